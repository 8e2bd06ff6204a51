/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "dl.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dlerror()'s words name the file already ("libcurl.so.4: cannot open shared object file: …",
 * "/usr/lib/…/libcurl.so.4: undefined symbol: curl_multi_assign"). */
static int dl_fail(const char *soname, const char *what, char **ret_error) {
        const char *why = dlerror();
        int r;

        if (!ret_error)
                return -ELIBACC;
        r = why ? asprintf(ret_error, "%s", why) : asprintf(ret_error, "%s: %s", soname, what);
        if (r < 0)
                *ret_error = NULL;
        return -ELIBACC;
}

int dl_load(const char *soname, const DlSymbol *symbols, size_t n_symbols, void *table, void **ret_handle,
            char **ret_error) {
        void *handle;

        if (!soname || (!symbols && n_symbols > 0) || !table || !ret_handle)
                return -EINVAL;
        if (ret_error)
                *ret_error = NULL;

        /* RTLD_NOW: a missing symbol is found here, not at its first call. RTLD_NODELETE: once
         * loaded, a library stays, whatever dl_unload() says: libcurl's TLS library keeps exit
         * handlers and libical a cache of zones, which would point into unmapped pages. Loading
         * it again is then a lookup. */
        handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!handle)
                return dl_fail(soname, "cannot be loaded", ret_error);

        for (size_t i = 0; i < n_symbols; i++) {
                void *p;

                (void) dlerror();
                p = dlsym(handle, symbols[i].name);
                if (!p) {
                        int r = dl_fail(soname, "a symbol is missing", ret_error);

                        (void) dlclose(handle);
                        return r;
                }
                /* POSIX: what dlsym() returns converts to a pointer to the function. */
                memcpy((char *) table + symbols[i].offset, &p, sizeof(p));
        }

        *ret_handle = handle;
        return 0;
}

void dl_unload(void *handle) {
        if (handle)
                (void) dlclose(handle);
}
