/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <time.h>

#include "date.h"

static void test_epoch_and_weekday(void **state) {
        assert_int_equal(day_from_ymd(1970, 1, 1), 0);
        assert_int_equal(day_weekday(0), 4); /* Thursday */
        assert_int_equal(day_weekday(day_from_ymd(2026, 2, 14)), 6);
        assert_int_equal(day_weekday(day_from_ymd(2026, 2, 17)), 2);
        assert_int_equal(day_weekday(day_from_ymd(1969, 12, 28)), 7);
}

/* Round trip against the C library over two centuries. */
static void test_round_trip_against_libc(void **state) {
        for (Day d = day_from_ymd(1900, 1, 1); d <= day_from_ymd(2100, 12, 31); d++) {
                time_t t = (time_t) d * 86400;
                struct tm tm;
                int y, m, dd;

                assert_non_null(gmtime_r(&t, &tm));
                day_to_ymd(d, &y, &m, &dd);
                assert_int_equal(y, tm.tm_year + 1900);
                assert_int_equal(m, tm.tm_mon + 1);
                assert_int_equal(dd, tm.tm_mday);
                assert_int_equal(day_weekday(d) % 7, tm.tm_wday);
                assert_int_equal(day_from_ymd(y, m, dd), d);
        }
}

static void test_parse_format(void **state) {
        char buf[DAY_STRING_MAX];
        Day d = 12345;

        assert_int_equal(day_parse("2024-02-29", &d), 0);
        assert_string_equal(day_format(d, buf), "2024-02-29");
        assert_int_equal(day_parse("2023-02-29", &d), -EINVAL);
        assert_int_equal(day_parse("2026-13-01", &d), -EINVAL);
        assert_int_equal(day_parse("2026-1-01", &d), -EINVAL);
        assert_int_equal(day_parse("2026-01-011", &d), -EINVAL);
        assert_int_equal(day_parse("", &d), -EINVAL);
        assert_int_equal(day_parse("abcd", &d), -EINVAL);
        assert_int_equal(day_parse(NULL, &d), -EINVAL);
        assert_int_equal(day_parse("2026-00-10", &d), -EINVAL);
        /* Untouched on failure. */
        assert_int_equal(d, day_from_ymd(2024, 2, 29));
}

static void test_minutes(void **state) {
        char buf[6];
        int m = -1;

        assert_int_equal(minutes_parse("08:30", &m), 0);
        assert_int_equal(m, 510);
        assert_string_equal(minutes_format(m, buf), "08:30");
        assert_int_equal(minutes_parse("23:59", &m), 0);
        assert_int_equal(m, 1439);
        assert_int_equal(minutes_parse("24:00", &m), -EINVAL);
        assert_int_equal(minutes_parse("8:30", &m), -EINVAL);
        assert_int_equal(minutes_parse("08:60", &m), -EINVAL);
        assert_int_equal(minutes_parse("08:3", &m), -EINVAL);
        assert_int_equal(minutes_parse("", &m), -EINVAL);
        assert_int_equal(m, 1439);
}

static void test_duty_day(void **state) {
        Day d16 = day_from_ymd(2026, 1, 16);

        /* At 07:00 on the 16th the 15th's duty day still runs; from 08:30 on it is the 16th's. */
        assert_int_equal(duty_day_of(d16, 7 * 60, 510), d16 - 1);
        assert_int_equal(duty_day_of(d16, 510, 510), d16);
        assert_int_equal(duty_day_of(d16, 23 * 60, 510), d16);
}

static void test_local_moment(void **state) {
        Day d = 7;
        int m = 7;

        assert_int_equal(local_moment_parse("2026-02-16", &d, &m), 0);
        assert_int_equal(d, day_from_ymd(2026, 2, 16));
        assert_int_equal(m, -1);
        assert_int_equal(local_moment_parse("2026-02-17T07:00", &d, &m), 0);
        assert_int_equal(d, day_from_ymd(2026, 2, 17));
        assert_int_equal(m, 7 * 60);
        assert_int_equal(local_moment_parse("2026-02-17T23:59", &d, &m), 0);
        assert_int_equal(m, 23 * 60 + 59);

        /* Refused, outputs untouched. */
        d = 7, m = 7;
        assert_int_equal(local_moment_parse("2026-13-01", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-30", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-17T24:00", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-17T07:60", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-17 07:00", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-17T7:00", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("2026-02-17T07:00:00", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("now", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse("", &d, &m), -EINVAL);
        assert_int_equal(local_moment_parse(NULL, &d, &m), -EINVAL);
        assert_int_equal(d, 7);
        assert_int_equal(m, 7);
}

/* The protocol's one form of a point in time (0.14), and the way back to what dutyctl shows. */
static void test_timestamp(void **state) {
        char buf[TIMESTAMP_STRING_MAX], local[MOMENT_STRING_MAX];
        Day d = day_from_ymd(2026, 12, 7), got = DAY_NONE;
        int seconds = -1, offset = -1;

        assert_string_equal(timestamp_format(d, 9 * 3600 + 30 * 60, 8 * 3600, buf), "2026-12-07T09:30:00+08:00");
        assert_string_equal(timestamp_format(d, 0, 0, buf), "2026-12-07T00:00:00+00:00");
        assert_string_equal(timestamp_format(d, 86399, -5 * 3600, buf), "2026-12-07T23:59:59-05:00");
        assert_string_equal(timestamp_format(d, 61, 5 * 3600 + 45 * 60, buf), "2026-12-07T00:01:01+05:45");
        /* Seconds in an offset (local mean time) are rounded: RFC 3339 has minutes only. */
        assert_string_equal(timestamp_format(d, 0, 8 * 3600 + 5 * 60 + 43, buf), "2026-12-07T00:00:00+08:06");

        assert_int_equal(timestamp_parse("2026-12-07T09:30:00+08:00", &got, &seconds, &offset), 0);
        assert_int_equal(got, d);
        assert_int_equal(seconds, 9 * 3600 + 30 * 60);
        assert_int_equal(offset, 8 * 3600);
        assert_int_equal(timestamp_parse("2026-12-07t01:30:00.123456Z", &got, &seconds, &offset), 0);
        assert_int_equal(seconds, 3600 + 30 * 60);
        assert_int_equal(offset, 0);
        assert_int_equal(timestamp_parse("2026-12-07 01:30:00-03:30", &got, &seconds, &offset), 0);
        assert_int_equal(offset, -(3 * 3600 + 30 * 60));
        /* What the same text round-trips to. */
        assert_int_equal(timestamp_parse(timestamp_format(d, 45296, -7 * 3600, buf), &got, &seconds, &offset), 0);
        assert_int_equal(got, d);
        assert_int_equal(seconds, 45296);
        assert_int_equal(offset, -7 * 3600);

        /* Not RFC 3339: the local forms, no offset, no seconds, bad fields; outputs untouched. */
        got = DAY_NONE;
        assert_int_equal(timestamp_parse("2026-12-07T09:30", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07 09:30", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30+08:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T24:00:00+08:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30:60+08:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30:00+0800", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30:00+08:00 ", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-12-07T09:30:00.+08:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("2026-02-30T09:30:00+08:00", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse("", &got, &seconds, &offset), -EINVAL);
        assert_int_equal(timestamp_parse(NULL, &got, &seconds, &offset), -EINVAL);
        assert_int_equal(got, DAY_NONE);

        /* dutyctl's forms: the local time as written, whatever the offset. */
        assert_string_equal(moment_text("2026-12-07T09:30:12+08:00", MOMENT_MINUTES, local), "2026-12-07 09:30");
        assert_string_equal(moment_text("2026-12-07T09:30:12+08:00", MOMENT_SECONDS, local), "2026-12-07 09:30:12");
        assert_string_equal(moment_text("2026-12-07T09:30:12+08:00", MOMENT_T_MINUTES, local), "2026-12-07T09:30");
        assert_string_equal(moment_text("2026-12-07T09:30:12-05:00", MOMENT_T_SECONDS, local), "2026-12-07T09:30:12");
        assert_string_equal(moment_text("2026-12-08T00:00:00+08:00", MOMENT_END, local), "2026-12-07 24:00");
        assert_string_equal(moment_text("2026-12-08T12:00:00+08:00", MOMENT_END, local), "2026-12-08 12:00");
        assert_string_equal(moment_text("2026-12-08T00:00:00+08:00", MOMENT_MINUTES, local), "2026-12-08 00:00");
        /* Anything else passes through: an older dutyd's text, dutyctl's "-", nothing. */
        assert_string_equal(moment_text("2026-12-07 09:30", MOMENT_T_MINUTES, local), "2026-12-07 09:30");
        assert_string_equal(moment_text("-", MOMENT_MINUTES, local), "-");
        assert_null(moment_text(NULL, MOMENT_MINUTES, local));
}

static void test_weekday_names(void **state) {
        assert_string_equal(day_weekday_zh(day_from_ymd(2026, 11, 27)), "周五");
        assert_string_equal(day_weekday_en(day_from_ymd(2026, 11, 29)), "Sun");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_epoch_and_weekday),
                cmocka_unit_test(test_round_trip_against_libc),
                cmocka_unit_test(test_parse_format),
                cmocka_unit_test(test_minutes),
                cmocka_unit_test(test_duty_day),
                cmocka_unit_test(test_local_moment),
                cmocka_unit_test(test_weekday_names),
                cmocka_unit_test(test_timestamp),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
