/* SPDX-License-Identifier: GPL-2.0-or-later */

/* check.c: who records spot checks, which post a target means, the tally of the circular, the
 * presence check windows, their moments drawn from the seed, and who may confirm one. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#define HANDOVER (8 * 60 + 30)

static void test_may_record(void **state) {
        Person inspector = { .id = (char *) "q", .roles = ROLE_BIT(ROLE_INSPECTOR) };
        Person admin = { .id = (char *) "a", .roles = ROLE_BIT(ROLE_OFFICER) | ROLE_BIT(ROLE_ADMIN) };
        Person officer = { .id = (char *) "o", .roles = ROLE_BIT(ROLE_OFFICER) };
        Person approver = { .id = (char *) "l", .roles = ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_APPROVER) };

        assert_true(check_may_record(&inspector, false));
        assert_true(check_may_record(&admin, false));
        assert_false(check_may_record(&officer, false));
        assert_false(check_may_record(&approver, false));
        assert_false(check_may_record(NULL, false));
        assert_true(check_may_record(NULL, true));
}

static void test_target_role(void **state) {
        assert_int_equal(check_target_role(CHECK_TARGET_OFFICER), ROLE_OFFICER);
        assert_int_equal(check_target_role(CHECK_TARGET_LEADER), ROLE_LEADER);
        assert_int_equal(check_target_role(CHECK_TARGET_ROOM), _ROLE_INVALID);
        assert_string_equal(check_target_to_string(CHECK_TARGET_ROOM), "room");
        assert_int_equal(check_how_from_string("video"), CHECK_HOW_VIDEO);
        assert_int_equal(check_how_from_string("fax"), _CHECK_HOW_INVALID);
        assert_string_equal(role_to_string(ROLE_INSPECTOR), "inspector");
}

static void test_duty_day_and_month(void **state) {
        Day d = day_from_ymd(2026, 3, 5), from, to;

        assert_int_equal(check_duty_day(d, 7 * 60 + 50, HANDOVER), d - 1);
        assert_int_equal(check_duty_day(d, HANDOVER, HANDOVER), d);
        assert_int_equal(check_duty_day(d, 23 * 60, HANDOVER), d);
        check_month(d, &from, &to);
        assert_int_equal(from, day_from_ymd(2026, 3, 1));
        assert_int_equal(to, day_from_ymd(2026, 3, 31));
        check_month(day_from_ymd(2026, 12, 7), &from, &to);
        assert_int_equal(to, day_from_ymd(2026, 12, 31));
        check_month(day_from_ymd(2028, 2, 10), &from, &to);
        assert_int_equal(to, day_from_ymd(2028, 2, 29));
}

static void test_tally(void **state) {
        SpotCheck c[] = {
                { .target = CHECK_TARGET_OFFICER, .answered = true, .seconds = 10 },
                { .target = CHECK_TARGET_OFFICER, .answered = true, .seconds = 31 },
                { .target = CHECK_TARGET_OFFICER, .answered = true, .seconds = -1 },
                { .target = CHECK_TARGET_LEADER, .answered = false, .seconds = -1 },
                /* An unanswered check's seconds are not a time to answer. */
                { .target = CHECK_TARGET_ROOM, .answered = false, .seconds = 99 },
        };
        CheckTally t[_CHECK_TARGET_MAX + 1];

        check_tally(c, ELEMENTSOF(c), t);
        assert_int_equal(t[CHECK_TARGET_OFFICER].n, 3);
        assert_int_equal(t[CHECK_TARGET_OFFICER].answered, 3);
        assert_int_equal(t[CHECK_TARGET_OFFICER].timed, 2);
        assert_int_equal(t[CHECK_TARGET_OFFICER].seconds_sum, 41);
        assert_int_equal(t[CHECK_TARGET_OFFICER].seconds_max, 31);
        assert_int_equal(t[CHECK_TARGET_LEADER].n, 1);
        assert_int_equal(t[CHECK_TARGET_LEADER].answered, 0);
        assert_int_equal(t[CHECK_TARGET_LEADER].seconds_max, -1);
        assert_int_equal(t[CHECK_TARGET_ROOM].timed, 0);
        assert_int_equal(t[_CHECK_TARGET_MAX].n, 5);
        assert_int_equal(t[_CHECK_TARGET_MAX].answered, 3);
        assert_int_equal(t[_CHECK_TARGET_MAX].seconds_max, 31);

        check_tally(NULL, 0, t);
        assert_int_equal(t[_CHECK_TARGET_MAX].n, 0);
        assert_int_equal(t[_CHECK_TARGET_MAX].seconds_max, -1);
}

static void test_window_parse(void **state) {
        PresenceWindow w = { .from_minutes = -7 };

        assert_int_equal(check_presence_window_parse("23:00-05:00", HANDOVER, &w), 0);
        assert_int_equal(w.from_minutes, 23 * 60);
        assert_int_equal(w.to_minutes, 5 * 60);
        /* Up to the handover, exclusive, is within the day. */
        assert_int_equal(check_presence_window_parse("06:00-08:30", HANDOVER, &w), 0);
        assert_int_equal(check_presence_window_parse("12:00-14:00", HANDOVER, &w), 0);
        /* Across the handover: two duties. */
        assert_int_equal(check_presence_window_parse("08:00-09:00", HANDOVER, &w), -ERANGE);
        assert_int_equal(check_presence_window_parse("05:00-23:00", HANDOVER, &w), -ERANGE);
        assert_int_equal(w.from_minutes, 12 * 60);
        assert_int_equal(check_presence_window_parse("23:00-23:00", HANDOVER, &w), -EINVAL);
        assert_int_equal(check_presence_window_parse("23:00", HANDOVER, &w), -EINVAL);
        assert_int_equal(check_presence_window_parse("24:00-01:00", HANDOVER, &w), -EINVAL);
        assert_int_equal(check_presence_window_parse("2300-0100", HANDOVER, &w), -EINVAL);
        assert_int_equal(check_presence_window_parse(NULL, HANDOVER, &w), -EINVAL);
}

static void test_moment(void **state) {
        uint8_t seed[CHECK_SEED_SIZE] = { 1, 2, 3 }, other[CHECK_SEED_SIZE] = { 9 };
        PresenceWindow w;
        Day d0 = day_from_ymd(2026, 3, 5), d, d2;
        int m, m2;
        unsigned differ = 0, after_midnight = 0;

        assert_int_equal(check_presence_window_parse("23:00-05:00", HANDOVER, &w), 0);
        for (Day day = d0; day < d0 + 200; day++) {
                check_presence_moment(seed, day, 0, &w, HANDOVER, &d, &m);
                /* Within the window, on the duty day or the night after. */
                if (d == day)
                        assert_true(m >= 23 * 60);
                else {
                        assert_int_equal(d, day + 1);
                        assert_true(m < 5 * 60);
                        after_midnight++;
                }
                /* The same inputs, the same moment. */
                check_presence_moment(seed, day, 0, &w, HANDOVER, &d2, &m2);
                assert_int_equal(d, d2);
                assert_int_equal(m, m2);
                /* Another seed, another moment (almost always). */
                check_presence_moment(other, day, 0, &w, HANDOVER, &d2, &m2);
                if (d != d2 || m != m2)
                        differ++;
        }
        /* Spread over the window: 5 of its 6 hours are after midnight. */
        assert_true(after_midnight > 120 && after_midnight < 195);
        assert_true(differ > 190);

        check_moment_add(d0, 23 * 60 + 55, 10, &d, &m);
        assert_int_equal(d, d0 + 1);
        assert_int_equal(m, 5);
        assert_true(check_moment_reached(d0 + 1, 0, d0, 23 * 60));
        assert_true(check_moment_reached(d0, 10, d0, 10));
        assert_false(check_moment_reached(d0, 9, d0, 10));
}

static void test_may_ack(void **state) {
        const char *const on_duty[] = { "zhangw", "wum" };

        assert_true(check_may_ack("wum", on_duty, 2));
        assert_true(check_may_ack("zhangw", on_duty, 2));
        /* An administrator who is not on duty that day may not confirm for those who are. */
        assert_false(check_may_ack("zhouxd", on_duty, 2));
        assert_false(check_may_ack(NULL, on_duty, 2));
        assert_false(check_may_ack("wum", NULL, 0));
        assert_string_equal(presence_state_to_string(PRESENCE_STATE_MISSED), "missed");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_may_record),
                cmocka_unit_test(test_target_role),
                cmocka_unit_test(test_duty_day_and_month),
                cmocka_unit_test(test_tally),
                cmocka_unit_test(test_window_parse),
                cmocka_unit_test(test_moment),
                cmocka_unit_test(test_may_ack),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
