/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The duty log's pure rules (daemon/dutylog.c): its kinds, who may write a day's log, the time an
 * entry happened. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dutylog.h"
#include "util.h"

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

/* An emergency owes a report by phone 30 minutes after the event and a written one after an hour
 * unless dutyd.conf says otherwise; the other kinds owe none. */
static void test_report_due(void **state) {
        uint64_t at = 1781000000ULL * USEC_PER_SEC, minute = 60 * USEC_PER_SEC;

        assert_int_equal(dutylog_report_minutes_default(DUTYLOG_REPORT_PHONE), 30);
        assert_int_equal(dutylog_report_minutes_default(DUTYLOG_REPORT_WRITTEN), 60);
        assert_int_equal(dutylog_report_minutes_default(_DUTYLOG_REPORT_MAX), 0);
        assert_int_equal(dutylog_report_due(DUTYLOG_KIND_EMERGENCY, at, 30), at + 30 * minute);
        assert_int_equal(dutylog_report_due(DUTYLOG_KIND_EMERGENCY, at, 45), at + 45 * minute);
        for (DutyLogKind k = 0; k < _DUTYLOG_KIND_MAX; k++)
                if (k != DUTYLOG_KIND_EMERGENCY)
                        assert_int_equal(dutylog_report_due(k, at, 30), 0);
        assert_int_equal(dutylog_report_due(DUTYLOG_KIND_EMERGENCY, at, 0), 0);

        assert_string_equal(dutylog_report_to_string(DUTYLOG_REPORT_WRITTEN), "written");
        assert_string_equal(dutylog_report_to_string(DUTYLOG_REPORT_FOLLOWUP), "followup");
        assert_string_equal(dutylog_report_label(DUTYLOG_REPORT_FOLLOWUP, "zh"), "续报");
        assert_int_equal(dutylog_report_minutes_default(DUTYLOG_REPORT_FOLLOWUP), 0);
        assert_int_equal(dutylog_report_from_string("phone"), DUTYLOG_REPORT_PHONE);
        assert_int_equal(dutylog_report_from_string("fax"), _DUTYLOG_REPORT_INVALID);
        assert_string_equal(dutylog_report_label(DUTYLOG_REPORT_WRITTEN, "zh"), "书面报告");
        assert_string_equal(dutylog_report_label(DUTYLOG_REPORT_PHONE, "en"), "report by phone");

        /* Late by whole minutes, rounded down; not late before the deadline nor without one. */
        assert_int_equal(dutylog_minutes_overdue(at, at), 0);
        assert_int_equal(dutylog_minutes_overdue(at, at - minute), 0);
        assert_int_equal(dutylog_minutes_overdue(at, at + 59 * USEC_PER_SEC), 0);
        assert_int_equal(dutylog_minutes_overdue(at, at + 15 * minute + 30 * USEC_PER_SEC), 15);
        assert_int_equal(dutylog_minutes_overdue(0, at), 0);
}

static void test_daily(void **state) {
        assert_false(dutylog_daily_due(DUTYLOG_DAILY_NEVER, true, true));
        assert_true(dutylog_daily_due(DUTYLOG_DAILY_HOLIDAYS, true, false));
        assert_true(dutylog_daily_due(DUTYLOG_DAILY_HOLIDAYS, false, true));
        assert_false(dutylog_daily_due(DUTYLOG_DAILY_HOLIDAYS, false, false));
        assert_true(dutylog_daily_due(DUTYLOG_DAILY_ALWAYS, false, false));
        assert_false(dutylog_daily_due(_DUTYLOG_DAILY_INVALID, true, true));
        assert_int_equal(dutylog_daily_from_string("holidays"), DUTYLOG_DAILY_HOLIDAYS);
        assert_int_equal(dutylog_daily_from_string("weekly"), _DUTYLOG_DAILY_INVALID);
        assert_string_equal(dutylog_daily_to_string(DUTYLOG_DAILY_ALWAYS), "always");
}

/* 无事报平安 when nothing was logged; else the entries, the open ones said. */
static void test_daily_draft(void **state) {
        const DutyLogDraftItem items[] = {
                { DUTYLOG_KIND_CALL, "市防汛办通知加强值守", false },
                { DUTYLOG_KIND_EMERGENCY, "某镇山体滑坡", true },
        };
        Day d = day_from_ymd(2026, 10, 2);
        char *s;

        s = dutylog_daily_draft("县委办", d, NULL, 0);
        assert_non_null(s);
        assert_string_equal(s, "县委办值班室 2026-10-02 每日报告：本日无重要情况，无事报平安。");
        free(s);

        s = dutylog_daily_draft("县委办", d, items, 2);
        assert_non_null(s);
        assert_string_equal(s, "县委办值班室 2026-10-02 每日报告：本日值班记录 2 条。1. 【来电】市防汛办通知加强值守；"
                               "2. 【突发事件】某镇山体滑坡（待办）。尚有待办事项 1 项，已移交下一班跟踪办理。");
        free(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kinds),
                cmocka_unit_test(test_may_write),
                cmocka_unit_test(test_parse_time),
                cmocka_unit_test(test_report_due),
                cmocka_unit_test(test_daily),
                cmocka_unit_test(test_daily_draft),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
