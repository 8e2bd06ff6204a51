/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Reading a file of the source tree (the catalog, the interface…) whole, for the unit tests that
 * check it against the code. Include it after <cmocka.h>. */

#include <stdio.h>
#include <stdlib.h>

#ifndef SRCDIR
#error "SRCDIR must point at the source tree"
#endif

/* The text of SRCDIR/relpath, to be freed; fails the test if it cannot be read. */
static inline char *source_file_read(const char *relpath) {
        char *path = NULL, *text = NULL;
        size_t size = 0;
        FILE *f;

        assert_true(asprintf(&path, "%s/%s", SRCDIR, relpath) > 0);
        f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open %s", path);
        assert_true(getdelim(&text, &size, '\0', f) > 0);
        fclose(f);
        free(path);
        return text;
}
