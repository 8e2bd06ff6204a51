/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dl.h: a library loaded when first used, each symbol into its member of the caller's table, and
 * a failure that names what is wrong (the file, or the symbol it lacks) and keeps nothing open. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build-config.h"
#include "dl.h"
#include "ics.h"

typedef struct LibcTable {
        void *handle;
        size_t (*strlen)(const char *s);
        int (*abs)(int j);
} LibcTable;

static void test_load(void **state) {
        const DlSymbol symbols[] = {
                { "strlen", offsetof(LibcTable, strlen) },
                { "abs", offsetof(LibcTable, abs) },
        };
        LibcTable t = {};
        char *why = (char *) "untouched";

        assert_int_equal(dl_load("libc.so.6", symbols, 2, &t, &t.handle, &why), 0);
        assert_non_null(t.handle);
        assert_null(why);
        /* Each member is the function its name says. */
        assert_int_equal(t.strlen("值班"), strlen("值班"));
        assert_int_equal(t.abs(-7), 7);
        dl_unload(t.handle);
        dl_unload(NULL);
}

/* dl_load() fails with -ELIBACC, keeps nothing open, and its reason names what. */
static void assert_fails(const char *soname, const DlSymbol *symbols, size_t n, const char *what) {
        LibcTable t = {};
        char *why = NULL;

        assert_int_equal(dl_load(soname, symbols, n, &t, &t.handle, &why), -ELIBACC);
        assert_null(t.handle);
        assert_non_null(why);
        assert_non_null(strstr(why, what));
        free(why);
        /* Without room for the reason, the failure is the same. */
        assert_int_equal(dl_load(soname, symbols, n, &t, &t.handle, NULL), -ELIBACC);
}

static void test_missing_library(void **state) {
        /* The loader's words, with the file they are about. */
        assert_fails("libdutyd-no-such-library.so.0", NULL, 0, "libdutyd-no-such-library.so.0");
}

static void test_missing_symbol(void **state) {
        const DlSymbol symbols[] = {
                { "strlen", offsetof(LibcTable, strlen) },
                { "dutyd_no_such_function", offsetof(LibcTable, abs) },
        };
        LibcTable t = {};

        assert_fails("libc.so.6", symbols, 2, "dutyd_no_such_function");
        assert_int_equal(dl_load(NULL, symbols, 2, &t, &t.handle, NULL), -EINVAL);
}

/* libical by the soname the build read from it, with every function ics.c calls. */
static void test_libical(void **state) {
        char *why = NULL;
        int y, m, d;

        assert_int_equal(ics_library_load(&why), 0);
        assert_null(why);
        /* 2026-12-06T16:30Z is already the 7th in Beijing; a zone libical does not know is UTC. */
        assert_int_equal(ics_local_date("Asia/Shanghai", UINT64_C(1796574600) * 1000000, &y, &m, &d), 0);
        assert_int_equal(y * 10000 + m * 100 + d, 20261207);
        assert_int_equal(ics_local_date("Nowhere/Atlantis", UINT64_C(1796574600) * 1000000, &y, &m, &d), 0);
        assert_int_equal(y * 10000 + m * 100 + d, 20261206);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load),
                cmocka_unit_test(test_missing_library),
                cmocka_unit_test(test_missing_symbol),
                cmocka_unit_test(test_libical),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
