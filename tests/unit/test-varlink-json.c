/* SPDX-License-Identifier: GPL-2.0-or-later */

/* varlink_json_encode() writes what json_dumps(v, JSON_COMPACT) writes, byte for byte: every reply
 * dutyd sends goes through it, and clients (and tests/integration/param-replies.expected) see the
 * same text as before it existed. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "varlink-protocol.h"

static void assert_same_as_jansson(json_t *v) {
        char *expected, *text = NULL;
        size_t n = 0;

        assert_non_null(v);
        expected = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        assert_non_null(expected);
        assert_int_equal(varlink_json_encode(v, &text, &n), 0);
        assert_string_equal(text, expected);
        assert_int_equal(n, strlen(expected));
        free(text);
        free(expected);
        json_decref(v);
}

static void test_scalars(void **state) {
        assert_same_as_jansson(json_null());
        assert_same_as_jansson(json_true());
        assert_same_as_jansson(json_false());
        assert_same_as_jansson(json_integer(0));
        assert_same_as_jansson(json_integer(7));
        assert_same_as_jansson(json_integer(-1));
        assert_same_as_jansson(json_integer(1234567890123LL));
        assert_same_as_jansson(json_integer(INT64_MAX));
        assert_same_as_jansson(json_integer(INT64_MIN));
        assert_same_as_jansson(json_real(0.5));
        assert_same_as_jansson(json_real(-3.0));
        assert_same_as_jansson(json_real(1e300));
        assert_same_as_jansson(json_string(""));
}

static void test_strings(void **state) {
        char controls[32 + 1];

        assert_same_as_jansson(json_string("plain ASCII text, / and ~ and \x7f"));
        assert_same_as_jansson(json_string("quote \" backslash \\ tab \t newline \n return \r"));
        assert_same_as_jansson(json_string("\b\f"));
        assert_same_as_jansson(json_string("值班室 带班领导：张三；2026-12-07T09:30:00+08:00"));
        assert_same_as_jansson(json_string("é ß ‘’ “” … € 𝄞 😀"));
        /* Every control character, each escaped. */
        for (int i = 1; i < 32; i++)
                controls[i - 1] = (char) i;
        controls[31] = '\0';
        assert_same_as_jansson(json_string(controls));
        /* A NUL inside a string (json_stringn()) is escaped as \u0000. */
        assert_same_as_jansson(json_stringn("a\0b", 3));
}

static void test_containers(void **state) {
        json_t *o;

        assert_same_as_jansson(json_object());
        assert_same_as_jansson(json_array());
        assert_same_as_jansson(json_pack("[i, s, [], {}, [[[]]], n]", 1, "x"));
        /* Members in the order they were set; a member set again keeps its place. */
        o = json_pack("{s:i, s:s, s:{s:[i, i], s:b}, s:o}", "zeta", 1, "alpha", "二", "mid", "k", 1, 2, "t", 1,
                      "last", json_null());
        assert_non_null(o);
        assert_int_equal(json_object_set_new(o, "zeta", json_string("again")), 0);
        assert_same_as_jansson(o);
        /* Keys are escaped like strings, a NUL in a key included. */
        o = json_object();
        assert_non_null(o);
        assert_int_equal(json_object_set_new(o, "a\"b\\c\n", json_integer(1)), 0);
        assert_int_equal(json_object_setn_new(o, "x\0y", 3, json_integer(2)), 0);
        assert_int_equal(json_object_set_new(o, "名称", json_string("值")), 0);
        assert_same_as_jansson(o);
}

/* Random strings of ASCII (controls and escapes included) and multi-byte characters. */
static void test_random(void **state) {
        static const char *const pieces[] = { "é", "中", "文", "😀", "\"", "\\", "\n", "\x01", "\x1f", "/" };
        unsigned seed = 15;

        for (int round = 0; round < 500; round++) {
                char s[256];
                size_t n = 0;
                json_t *o;

                while (n < sizeof(s) - 8) {
                        seed = seed * 1103515245u + 12345u;
                        if ((seed >> 16) % 4 == 0)
                                break;
                        if ((seed >> 20) % 3 == 0) {
                                const char *p = pieces[(seed >> 8) % (sizeof(pieces) / sizeof(pieces[0]))];

                                memcpy(s + n, p, strlen(p));
                                n += strlen(p);
                        } else
                                s[n++] = (char) (1 + (seed >> 9) % 127);
                }
                s[n] = '\0';
                o = json_pack("{s:s, s:[s, i]}", s, s, "k", s, (json_int_t) seed);
                assert_same_as_jansson(o);
        }
}

static void test_invalid(void **state) {
        /* Not UTF-8: jansson will not dump it, and neither will the encoder. */
        static const char *const bad[] = {
                "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                "\xf5\x80\x80\x80", "\xe4\xb8", "a\xff",
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                json_t *v = json_string_nocheck(bad[i]);
                char *text = NULL, *dumped;

                assert_non_null(v);
                dumped = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                assert_null(dumped);
                assert_int_equal(varlink_json_encode(v, &text, NULL), -EINVAL);
                assert_null(text);
                json_decref(v);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scalars),
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_containers),
                cmocka_unit_test(test_random),
                cmocka_unit_test(test_invalid),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
