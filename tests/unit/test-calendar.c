/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "config-parse.h"
#include "date.h"
#include "days.h"

#ifndef SRCDIR
#error "SRCDIR must point at the source tree"
#endif

/* ---- The real notice files, read by dutyd's own loader ---- */

typedef struct Data {
        Config *config;
        Calendar cal;
} Data;

static int setup_real(void **state) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        Data *data = calloc(1, sizeof(Data));
        int r;

        assert_non_null(data);
        r = config_load_notices(SRCDIR "/conf/holidays.d", &data->config, &errors);
        if (r < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                fail_msg("conf/holidays.d: %s", strna(text));
        }
        data->cal = config_calendar(data->config);
        /* The loader's promise the calendar relies on: one entry per day, in order. */
        for (size_t i = 1; i < data->cal.n_days; i++)
                assert_true(data->cal.days[i - 1].day < data->cal.days[i].day);
        *state = data;
        return 0;
}

static int teardown_real(void **state) {
        Data *data = *state;

        config_free(data->config);
        free(data);
        return 0;
}

/* ---- The notices, transcribed a second time, independently of conf/holidays.d ---- */

static const struct {
        const char *from, *to;
} expected_off[] = {
        /* 国办发明电〔2023〕7号 */
        { "2023-12-30", "2024-01-01" },
        { "2024-02-10", "2024-02-17" },
        { "2024-04-04", "2024-04-06" },
        { "2024-05-01", "2024-05-05" },
        { "2024-06-08", "2024-06-10" },
        { "2024-09-15", "2024-09-17" },
        { "2024-10-01", "2024-10-07" },
        /* 国办发明电〔2024〕12号 */
        { "2025-01-01", "2025-01-01" },
        { "2025-01-28", "2025-02-04" },
        { "2025-04-04", "2025-04-06" },
        { "2025-05-01", "2025-05-05" },
        { "2025-05-31", "2025-06-02" },
        { "2025-10-01", "2025-10-08" },
        /* 国办发明电〔2025〕7号 */
        { "2026-01-01", "2026-01-03" },
        { "2026-02-15", "2026-02-23" },
        { "2026-04-04", "2026-04-06" },
        { "2026-05-01", "2026-05-05" },
        { "2026-06-19", "2026-06-21" },
        { "2026-09-25", "2026-09-27" },
        { "2026-10-01", "2026-10-07" },
};

static const char *const expected_makeup[] = {
        "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
        "2024-09-29", "2024-10-12",
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

static DayType expected_type(Day d) {
        for (size_t i = 0; i < ELEMENTSOF(expected_off); i++)
                if (d >= D(expected_off[i].from) && d <= D(expected_off[i].to))
                        return DAY_TYPE_HOLIDAY;
        for (size_t i = 0; i < ELEMENTSOF(expected_makeup); i++)
                if (d == D(expected_makeup[i]))
                        return DAY_TYPE_MAKEUP_WORKDAY;
        return day_is_weekend(d) ? DAY_TYPE_WEEKEND : DAY_TYPE_WORKDAY;
}

static void test_notices(void **state) {
        const Data *data = *state;
        static const struct {
                int year;
                const char *source;
        } expected[] = {
                { 2024, "国办发明电〔2023〕7号" },
                { 2025, "国办发明电〔2024〕12号" },
                { 2026, "国办发明电〔2025〕7号" },
        };

        for (size_t i = 0; i < ELEMENTSOF(expected); i++) {
                bool found = false;

                for (size_t j = 0; j < data->cal.n_notices; j++)
                        if (data->cal.notices[j].year == expected[i].year) {
                                assert_string_equal(data->cal.notices[j].source, expected[i].source);
                                found = true;
                        }
                assert_true(found);
                assert_true(calendar_year_known(&data->cal, expected[i].year));
        }
        assert_false(calendar_year_known(&data->cal, 2023));
        assert_false(calendar_year_known(&data->cal, 2027));
}

static void test_every_day(void **state) {
        const Data *data = *state;
        unsigned n_holiday = 0, n_makeup = 0;

        for (Day d = D("2024-01-01"); d <= D("2026-12-31"); d++) {
                DayType want = expected_type(d), got = calendar_day_type(&data->cal, d);

                if (got != want) {
                        char buf[DAY_STRING_MAX];

                        fail_msg("%s: expected %s, got %s", day_format(d, buf),
                                 day_type_to_string(want), day_type_to_string(got));
                }
                assert_int_equal(calendar_is_day_off(&data->cal, d),
                                 want == DAY_TYPE_HOLIDAY || want == DAY_TYPE_WEEKEND);
                n_holiday += want == DAY_TYPE_HOLIDAY;
                n_makeup += want == DAY_TYPE_MAKEUP_WORKDAY;
        }

        /* Guards the table itself: 2024 has 30 listed days off from 2024-01-01 on (plus two in
         * 2023), 2025 has 28, 2026 has 33; 8 + 5 + 6 make-up days. */
        assert_int_equal(n_holiday, 30 + 28 + 33);
        assert_int_equal(n_makeup, ELEMENTSOF(expected_makeup));
}

static void test_unknown(void **state) {
        const Data *data = *state;

        assert_int_equal(calendar_day_type(&data->cal, D("2027-01-04")), DAY_TYPE_UNKNOWN);
        assert_int_equal(calendar_day_type(&data->cal, D("2023-06-01")), DAY_TYPE_UNKNOWN);
        assert_int_equal(calendar_day_type(&data->cal, D("2023-12-29")), DAY_TYPE_UNKNOWN);
        assert_int_equal(calendar_day_type(&data->cal, D("2023-12-30")), DAY_TYPE_HOLIDAY);
        assert_int_equal(calendar_day_type(&data->cal, D("2023-12-31")), DAY_TYPE_HOLIDAY);
        assert_int_equal(calendar_day_type(&data->cal, INT32_MAX), DAY_TYPE_UNKNOWN);
        assert_int_equal(calendar_day_type(&data->cal, INT32_MIN), DAY_TYPE_UNKNOWN);
        assert_false(calendar_is_day_off(&data->cal, D("2027-01-02")));
        assert_null(calendar_holiday_name(&data->cal, D("2027-01-01")));
}

static void assert_run(const HolidayRun *run, const char *from, const char *to, const char *name) {
        assert_int_equal(run->from, D(from));
        assert_int_equal(run->to, D(to));
        assert_non_null(run->name);
        assert_string_equal(run->name, name);
}

static void test_runs(void **state) {
        const Data *data = *state;
        const Calendar *cal = &data->cal;
        HolidayRun run;

        assert_int_equal(calendar_find_holiday_run(cal, "元旦", 2024, &run), 0);
        assert_run(&run, "2023-12-30", "2024-01-01", "元旦");
        assert_int_equal(calendar_holiday_run_at(cal, D("2023-12-31"), &run), 1);
        assert_run(&run, "2023-12-30", "2024-01-01", "元旦");

        assert_int_equal(calendar_find_holiday_run(cal, "春节", 2026, &run), 0);
        assert_run(&run, "2026-02-15", "2026-02-23", "春节");

        assert_int_equal(calendar_find_holiday_run(cal, "国庆", 2025, &run), 0);
        assert_run(&run, "2025-10-01", "2025-10-08", "国庆节、中秋节");
        assert_int_equal(calendar_find_holiday_run(cal, "中秋", 2025, &run), 0);
        assert_run(&run, "2025-10-01", "2025-10-08", "国庆节、中秋节");

        /* 2026 keeps 中秋节 and 国庆节 apart. */
        assert_int_equal(calendar_find_holiday_run(cal, "中秋", 2026, &run), 0);
        assert_run(&run, "2026-09-25", "2026-09-27", "中秋节");

        assert_int_equal(calendar_find_holiday_run(cal, "清明", 2026, &run), 0);
        assert_run(&run, "2026-04-04", "2026-04-06", "清明节");
        assert_int_equal(calendar_find_holiday_run(cal, "元旦", 2026, &run), 0);
        assert_run(&run, "2026-01-01", "2026-01-03", "元旦");
        assert_int_equal(calendar_find_holiday_run(cal, "元旦", 2025, &run), 0);
        assert_run(&run, "2025-01-01", "2025-01-01", "元旦");
        assert_int_equal(calendar_find_holiday_run(cal, "端午", 2024, &run), 0);
        assert_run(&run, "2024-06-08", "2024-06-10", "端午节");

        assert_int_equal(calendar_find_holiday_run(cal, "春节", 2027, &run), -ENODATA);
        assert_int_equal(calendar_find_holiday_run(cal, "元旦", 2023, &run), -ENODATA);
        assert_int_equal(calendar_find_holiday_run(cal, "植树节", 2026, &run), -ENOENT);
        assert_int_equal(calendar_find_holiday_run(cal, "", 2026, &run), -EINVAL);

        /* Inside a run, at its edges, and beside it. */
        assert_int_equal(calendar_holiday_run_at(cal, D("2026-02-23"), &run), 1);
        assert_run(&run, "2026-02-15", "2026-02-23", "春节");
        assert_int_equal(calendar_holiday_run_at(cal, D("2026-02-14"), NULL), 0);
        assert_int_equal(calendar_holiday_run_at(cal, D("2026-02-24"), NULL), 0);
        assert_int_equal(calendar_holiday_run_at(cal, D("2026-03-07"), NULL), 0);
        assert_int_equal(calendar_holiday_run_at(cal, D("2027-01-01"), NULL), -ENODATA);

        assert_string_equal(calendar_holiday_name(cal, D("2026-02-15")), "春节");
        assert_string_equal(calendar_holiday_name(cal, D("2024-06-09")), "端午节");
        assert_null(calendar_holiday_name(cal, D("2026-02-14")));
        assert_null(calendar_holiday_name(cal, D("2026-03-07")));
        assert_null(calendar_holiday_name(cal, D("2026-03-09")));
}

static void test_next_run(void **state) {
        const Data *data = *state;
        const Calendar *cal = &data->cal;
        HolidayRun run;

        assert_int_equal(calendar_next_holiday_run(cal, D("2026-01-20"), &run), 0);
        assert_run(&run, "2026-02-15", "2026-02-23", "春节");
        /* A run already under way is still the next one. */
        assert_int_equal(calendar_next_holiday_run(cal, D("2026-02-20"), &run), 0);
        assert_run(&run, "2026-02-15", "2026-02-23", "春节");
        assert_int_equal(calendar_next_holiday_run(cal, D("2026-02-24"), &run), 0);
        assert_run(&run, "2026-04-04", "2026-04-06", "清明节");
        assert_int_equal(calendar_next_holiday_run(cal, D("2024-10-08"), &run), 0);
        assert_run(&run, "2025-01-01", "2025-01-01", "元旦");
        assert_int_equal(calendar_next_holiday_run(cal, D("2023-12-30"), &run), 0);
        assert_run(&run, "2023-12-30", "2024-01-01", "元旦");

        /* Nothing known after 国庆 2026; and unknown 2023 days may hide a run. */
        assert_int_equal(calendar_next_holiday_run(cal, D("2026-10-08"), &run), -ENODATA);
        assert_int_equal(calendar_next_holiday_run(cal, D("2023-06-01"), &run), -ENODATA);
        assert_int_equal(calendar_next_holiday_run(cal, D("2023-12-29"), &run), -ENODATA);
}

static void test_working_days(void **state) {
        const Data *data = *state;
        const Calendar *cal = &data->cal;
        int count = -1, year = 0, expected = 0;
        Day d = DAY_NONE;

        /* 02-13 (Fri), 02-14 (make-up Sat), 02-24 (Tue). */
        assert_int_equal(calendar_working_days_between(cal, D("2026-02-12"), D("2026-02-25"), &count, &year), 0);
        assert_int_equal(count, 3);
        /* 02-27 (Fri), 02-28 (make-up Sat), 03-02 (Mon). */
        assert_int_equal(calendar_working_days_between(cal, D("2026-02-26"), D("2026-03-03"), &count, &year), 0);
        assert_int_equal(count, 3);
        /* 2025 国庆: 09-28 (make-up Sun), 09-29, 09-30, then 10-09, 10-10, 10-11 (make-up Sat). */
        assert_int_equal(calendar_working_days_between(cal, D("2025-09-27"), D("2025-10-12"), &count, &year), 0);
        assert_int_equal(count, 6);
        assert_int_equal(calendar_working_days_between(cal, D("2026-02-12"), D("2026-02-13"), &count, &year), 0);
        assert_int_equal(count, 0);
        assert_int_equal(calendar_working_days_between(cal, D("2026-02-25"), D("2026-02-12"), &count, &year), 0);
        assert_int_equal(count, 0);

        /* A whole year against the independent table. */
        for (Day i = D("2025-01-01"); i <= D("2025-12-31"); i++)
                expected += day_type_is_working(expected_type(i));
        assert_int_equal(calendar_working_days_between(cal, D("2024-12-31"), D("2026-01-01"), &count, &year), 0);
        assert_int_equal(count, expected);

        count = -1;
        assert_int_equal(calendar_working_days_between(cal, D("2026-12-28"), D("2027-01-05"), &count, &year), -ENODATA);
        assert_int_equal(year, 2027);
        assert_int_equal(count, -1);
        assert_int_equal(calendar_working_days_between(cal, D("2023-12-01"), D("2024-01-05"), &count, &year), -ENODATA);
        assert_int_equal(year, 2023);

        assert_int_equal(calendar_add_working_days(cal, D("2026-02-13"), 1, &d, &year), 0);
        assert_int_equal(d, D("2026-02-14"));
        assert_int_equal(calendar_add_working_days(cal, D("2026-02-13"), 2, &d, &year), 0);
        assert_int_equal(d, D("2026-02-24"));
        assert_int_equal(calendar_add_working_days(cal, D("2026-02-24"), -1, &d, &year), 0);
        assert_int_equal(d, D("2026-02-14"));
        assert_int_equal(calendar_add_working_days(cal, D("2026-02-24"), -2, &d, &year), 0);
        assert_int_equal(d, D("2026-02-13"));
        assert_int_equal(calendar_add_working_days(cal, D("2026-02-15"), 0, &d, &year), 0);
        assert_int_equal(d, D("2026-02-15"));

        d = DAY_NONE;
        year = 0;
        assert_int_equal(calendar_add_working_days(cal, D("2026-12-30"), 5, &d, &year), -ENODATA);
        assert_int_equal(year, 2027);
        assert_int_equal(d, DAY_NONE);
        assert_int_equal(calendar_add_working_days(cal, D("2026-01-05"), CALENDAR_WORKING_DAYS_MAX + 1, &d, &year),
                         -ERANGE);
}

/* ---- Hand-built calendars ---- */

static void test_local_runs(void **state) {
        /* A local holiday on Thursday and Friday 2031-03-13/14 joined to its weekend, and a
         * second one on Monday, under another name, that loses the vote. */
        static const HolidayNotice notices[] = { { .year = 2031 } };
        HolidayDay days[] = {
                { .day = D("2031-03-13"), .off = true, .name = (char *) "建市纪念日" },
                { .day = D("2031-03-14"), .off = true, .name = (char *) "建市纪念日" },
                { .day = D("2031-03-17"), .off = true, .name = (char *) "民族节" },
                { .day = D("2031-03-22"), .off = false, .name = (char *) "民族节" },
        };
        const Calendar cal = {
                .notices = notices, .n_notices = ELEMENTSOF(notices),
                .days = days, .n_days = ELEMENTSOF(days),
        };
        HolidayRun run;

        assert_int_equal(calendar_day_type(&cal, D("2031-03-15")), DAY_TYPE_WEEKEND);
        assert_int_equal(calendar_holiday_run_at(&cal, D("2031-03-15"), &run), 1);
        assert_run(&run, "2031-03-13", "2031-03-17", "建市纪念日");
        assert_string_equal(calendar_holiday_name(&cal, D("2031-03-16")), "建市纪念日");
        assert_string_equal(calendar_holiday_name(&cal, D("2031-03-17")), "民族节");
        assert_int_equal(calendar_find_holiday_run(&cal, "民族", 2031, &run), 0);
        assert_run(&run, "2031-03-13", "2031-03-17", "建市纪念日");

        /* A make-up Saturday splits off an ordinary weekend day, which forms no run of its own. */
        assert_int_equal(calendar_day_type(&cal, D("2031-03-22")), DAY_TYPE_MAKEUP_WORKDAY);
        assert_int_equal(calendar_holiday_run_at(&cal, D("2031-03-23"), &run), 0);
        assert_null(calendar_holiday_name(&cal, D("2031-03-23")));
}

static void test_special_and_sensitive(void **state) {
        const SpecialDay special[] = {
                { .day = D("2026-02-16"), .name = (char *) "除夕", .weight = 3 },
                { .day = D("2026-02-17"), .name = (char *) "春节", .weight = 2 },
        };
        const SensitivePeriod sensitive[] = {
                { .id = (char *) "congress", .name = (char *) "党代会", .from = D("2026-03-01"),
                  .to = D("2026-03-10"), .extra_officers = 1, .leave = LEAVE_POLICY_ESCALATE },
                { .id = (char *) "flood", .name = (char *) "防汛", .from = D("2026-03-08"),
                  .to = D("2026-03-20"), .extra_officers = 2, .leave = LEAVE_POLICY_FREEZE },
                { .id = (char *) "anniv", .name = (char *) "纪念日", .from = D("2026-03-09"),
                  .to = D("2026-03-09"), .extra_officers = 0, .leave = LEAVE_POLICY_NORMAL },
        };
        const Calendar cal = {
                .special = special, .n_special = ELEMENTSOF(special),
                .sensitive = sensitive, .n_sensitive = ELEMENTSOF(sensitive),
        };
        const SpecialDay *s;
        const SensitivePeriod *p;
        unsigned n = 0;

        s = calendar_special_day(&cal, D("2026-02-17"));
        assert_non_null(s);
        assert_string_equal(s->name, "春节");
        assert_int_equal(s->weight, 2);
        assert_null(calendar_special_day(&cal, D("2026-02-18")));

        assert_null(calendar_sensitive_at(&cal, D("2026-02-28")));
        p = calendar_sensitive_at(&cal, D("2026-03-01"));
        assert_non_null(p);
        assert_string_equal(p->id, "congress");
        p = calendar_sensitive_at(&cal, D("2026-03-15"));
        assert_non_null(p);
        assert_string_equal(p->id, "flood");
        assert_null(calendar_sensitive_at(&cal, D("2026-03-21")));

        CALENDAR_FOREACH_SENSITIVE(i, &cal, D("2026-03-09"), D("2026-03-09"))
                n++;
        assert_int_equal(n, 3);
        n = 0;
        CALENDAR_FOREACH_SENSITIVE(i, &cal, D("2026-02-20"), D("2026-03-02")) {
                assert_string_equal(i->id, "congress");
                n++;
        }
        assert_int_equal(n, 1);

        assert_int_equal(calendar_leave_policy(&cal, D("2026-03-02"), D("2026-03-03")), LEAVE_POLICY_ESCALATE);
        assert_int_equal(calendar_leave_policy(&cal, D("2026-03-05"), D("2026-03-08")), LEAVE_POLICY_FREEZE);
        assert_int_equal(calendar_leave_policy(&cal, D("2026-04-01"), D("2026-04-03")), LEAVE_POLICY_NORMAL);
        assert_int_equal(calendar_extra_officers(&cal, D("2026-03-09"), D("2026-03-09")), 2);
        assert_int_equal(calendar_extra_officers(&cal, D("2026-03-01"), D("2026-03-07")), 1);
        assert_int_equal(calendar_extra_officers(&cal, D("2026-02-01"), D("2026-02-28")), 0);

        /* Without notices every year is unknown. */
        assert_int_equal(calendar_day_type(&cal, D("2026-03-02")), DAY_TYPE_UNKNOWN);
}

static void test_strings(void **state) {
        for (DayType t = 0; t < _DAY_TYPE_MAX; t++) {
                const char *s = day_type_to_string(t);

                assert_non_null(s);
                assert_int_equal(day_type_from_string(s), t);
        }
        assert_string_equal(day_type_to_string(DAY_TYPE_MAKEUP_WORKDAY), "makeup_workday");
        assert_null(day_type_to_string(_DAY_TYPE_MAX));
        assert_null(day_type_to_string(_DAY_TYPE_INVALID));
        assert_int_equal(day_type_from_string("Holiday"), _DAY_TYPE_INVALID);
        assert_int_equal(day_type_from_string(""), _DAY_TYPE_INVALID);
        assert_int_equal(day_type_from_string(NULL), _DAY_TYPE_INVALID);

        for (LeavePolicy p = 0; p < _LEAVE_POLICY_MAX; p++) {
                const char *s = leave_policy_to_string(p);

                assert_non_null(s);
                assert_int_equal(leave_policy_from_string(s), p);
        }
        assert_string_equal(leave_policy_to_string(LEAVE_POLICY_FREEZE), "freeze");
        assert_null(leave_policy_to_string(_LEAVE_POLICY_INVALID));
        assert_int_equal(leave_policy_from_string("frozen"), _LEAVE_POLICY_INVALID);
}

int main(void) {
        const struct CMUnitTest real[] = {
                cmocka_unit_test(test_notices),
                cmocka_unit_test(test_every_day),
                cmocka_unit_test(test_unknown),
                cmocka_unit_test(test_runs),
                cmocka_unit_test(test_next_run),
                cmocka_unit_test(test_working_days),
        };
        const struct CMUnitTest built[] = {
                cmocka_unit_test(test_local_runs),
                cmocka_unit_test(test_special_and_sensitive),
                cmocka_unit_test(test_strings),
        };
        int r;

        r = cmocka_run_group_tests_name("calendar-notices", real, setup_real, teardown_real);
        r += cmocka_run_group_tests_name("calendar-built", built, NULL, NULL);
        return r;
}
