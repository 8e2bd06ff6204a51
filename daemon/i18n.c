/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <ctype.h>
#include <locale.h>
#include <stdlib.h>

#include "build-config.h"
#include "i18n.h"
#include "util.h"

void i18n_setup(void) {
        const char *dir = getenv(I18N_LOCALEDIR_ENV);

        /* A failure here means the locale named by the environment is not installed: glibc keeps
         * "C", and the messages stay in English, which is the best that can be done. */
        (void) setlocale(LC_ALL, "");
        (void) bindtextdomain(I18N_DOMAIN, isempty(dir) ? LOCALEDIR : dir);
        /* Catalogs are UTF-8, and so are the names and places in the roster they are printed with. */
        (void) bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
        (void) textdomain(I18N_DOMAIN);
}

const char *i18n_language_from_locale(const char *locale) {
        if (isempty(locale))
                return NULL;
        if (strncmp(locale, "zh", 2) == 0 && !isalpha((unsigned char) locale[2]))
                return "zh";
        if (strncmp(locale, "en", 2) == 0 && !isalpha((unsigned char) locale[2]))
                return "en";
        return NULL;
}

const char *i18n_language_from_environment(void) {
        static const char *const names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
        const char *locale = NULL, *language;

        for (size_t i = 0; i < ELEMENTSOF(names) && isempty(locale); i++)
                locale = getenv(names[i]);
        if (isempty(locale) || streq(locale, "C") || strncmp(locale, "C.", 2) == 0 || streq(locale, "POSIX"))
                return NULL;

        language = getenv("LANGUAGE");
        if (!isempty(language) && i18n_language_from_locale(language))
                return i18n_language_from_locale(language);
        return i18n_language_from_locale(locale);
}
