/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The duty log's pure rules (daemon/dutylog.c): its kinds, who may write a day's log, the time an
 * entry happened. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dutylog.h"

static void test_kinds(void **state) {
        for (DutyLogKind k = 0; k < _DUTYLOG_KIND_MAX; k++) {
                assert_non_null(dutylog_kind_to_string(k));
                assert_int_equal(dutylog_kind_from_string(dutylog_kind_to_string(k)), k);
                assert_non_null(dutylog_kind_label(k, "zh"));
                assert_non_null(dutylog_kind_label(k, "en"));
        }
        assert_string_equal(dutylog_kind_to_string(DUTYLOG_KIND_EMERGENCY), "emergency");
        assert_string_equal(dutylog_kind_label(DUTYLOG_KIND_EMERGENCY, "zh"), "突发事件");
        assert_string_equal(dutylog_kind_label(DUTYLOG_KIND_CALL, NULL), "来电");
        assert_string_equal(dutylog_kind_label(DUTYLOG_KIND_CALL, "en"), "call");
        assert_int_equal(dutylog_kind_from_string("gossip"), _DUTYLOG_KIND_INVALID);
        assert_int_equal(dutylog_kind_from_string(NULL), _DUTYLOG_KIND_INVALID);
        assert_null(dutylog_kind_to_string(_DUTYLOG_KIND_MAX));
        assert_null(dutylog_kind_label(_DUTYLOG_KIND_MAX, "zh"));
}

/* The day's people on duty and administrators; nobody else, root without a person neither unless
 * it is an administrator. An empty slot matches nobody. */
static void test_may_write(void **state) {
        const char *on_duty[] = { "zhangw", NULL, "wum" };

        assert_true(dutylog_may_write("zhangw", false, on_duty, 3));
        assert_true(dutylog_may_write("wum", false, on_duty, 3));
        assert_false(dutylog_may_write("lixy", false, on_duty, 3));
        assert_false(dutylog_may_write(NULL, false, on_duty, 3));
        assert_true(dutylog_may_write("lixy", true, on_duty, 3));
        assert_true(dutylog_may_write(NULL, true, on_duty, 3));
        /* A day nobody is assigned: administrators only. */
        assert_false(dutylog_may_write("wum", false, NULL, 0));
        assert_true(dutylog_may_write("wum", true, NULL, 0));
        /* Ids compare whole. */
        assert_false(dutylog_may_write("wu", false, on_duty, 3));
        assert_false(dutylog_may_write("wumm", false, on_duty, 3));
}

static void test_parse_time(void **state) {
        int offset = 7, minutes = 7;

        /* At 10:00: 09:40 is today's, 23:10 yesterday's, 10:00 now. */
        assert_int_equal(dutylog_parse_time("09:40", 600, &offset, &minutes), 0);
        assert_int_equal(offset, 0);
        assert_int_equal(minutes, 580);
        assert_int_equal(dutylog_parse_time("23:10", 600, &offset, &minutes), 0);
        assert_int_equal(offset, -1);
        assert_int_equal(minutes, 1390);
        assert_int_equal(dutylog_parse_time("10:00", 600, &offset, &minutes), 0);
        assert_int_equal(offset, 0);
        assert_int_equal(dutylog_parse_time("00:00", 0, &offset, &minutes), 0);
        assert_int_equal(offset, 0);
        assert_int_equal(minutes, 0);

        offset = minutes = 7;
        assert_int_equal(dutylog_parse_time("24:00", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time("09:60", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time("9:40", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time("09:40:00", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time("09-40", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time("", 600, &offset, &minutes), -EINVAL);
        assert_int_equal(dutylog_parse_time(NULL, 600, &offset, &minutes), -EINVAL);
        /* Untouched on failure. */
        assert_int_equal(offset, 7);
        assert_int_equal(minutes, 7);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kinds),
                cmocka_unit_test(test_may_write),
                cmocka_unit_test(test_parse_time),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
