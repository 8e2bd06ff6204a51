/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Translation of the messages people read, through gettext (libintl is part of glibc). English is
 * the language of the sources and of the C locale; po/ holds the translations. What goes over the
 * protocol as data (JSON members, error names) and what the daemon writes to its log is never
 * translated, so that scripts and journal searches see the same text under every locale. */

#include <libintl.h>
#include <stdbool.h>
#include <string.h>

#define I18N_DOMAIN "dutyd"
/* Names a directory of compiled catalogs (<dir>/<lang>/LC_MESSAGES/dutyd.mo) that replaces the
 * installed one: for running from the build tree and in the tests. */
#define I18N_LOCALEDIR_ENV "DUTYD_LOCALEDIR"

#define _(s) gettext(s)
/* Marks a string of a static table for extraction; it is translated where it is printed, with _(). */
#define N_(s) (s)

/* Takes the locale from the environment (LANG, LC_ALL, LC_MESSAGES, LANGUAGE) and binds the
 * message catalog, in UTF-8 whatever the locale's codeset. A locale that does not exist leaves the
 * messages in English; that is not an error. */
void i18n_setup(void);

/* The languages the daemon writes its sentences in are "zh" and "en". A caller's locale name
 * ("zh_CN.UTF-8", "en_US", "zh", "en:zh") maps to one of them by its first language code; "C",
 * "POSIX", other languages and NULL map to NULL: the configured language then applies. */
const char *i18n_language_from_locale(const char *locale);

/* The locale dutyctl's messages follow, read as gettext does: LC_ALL, else LC_MESSAGES, else LANG;
 * LANGUAGE's first entry takes precedence unless that locale is "C" or "POSIX". Reduced by
 * i18n_language_from_locale(); NULL when none applies. */
const char *i18n_language_from_environment(void);

static inline bool language_is_en(const char *lang) {
        return lang && strcmp(lang, "en") == 0;
}
