/* SPDX-License-Identifier: GPL-2.0-or-later */

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
