/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The handover by the clock (handover.c): the day an incoming person takes over, lateness, and the
 * escalation steps of a missing takeover. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "date.h"
#include "handover.h"

#define HANDOVER (8 * 60 + 30)
#define HM(h, m) ((h) * 60 + (m))

static void test_incoming_day(void **state) {
        Day d = day_from_ymd(2026, 12, 7);

        /* From an hour before today's handover on, the incoming duty is today's. */
        assert_int_equal(handover_incoming_day(d, HM(7, 29), HANDOVER), d - 1);
        assert_int_equal(handover_incoming_day(d, HM(7, 30), HANDOVER), d);
        assert_int_equal(handover_incoming_day(d, HM(8, 30), HANDOVER), d);
        assert_int_equal(handover_incoming_day(d, HM(23, 59), HANDOVER), d);
        assert_int_equal(handover_incoming_day(d, HM(0, 0), HANDOVER), d - 1);
        /* A handover shortly after midnight: from 23:10 the day before on it is tomorrow's. */
        assert_int_equal(handover_incoming_day(d, HM(23, 9), HM(0, 10)), d);
        assert_int_equal(handover_incoming_day(d, HM(23, 10), HM(0, 10)), d + 1);
        assert_int_equal(handover_incoming_day(d, HM(0, 5), HM(0, 10)), d);
}

static void test_since_and_late(void **state) {
        Day d = day_from_ymd(2026, 12, 7);

        assert_int_equal(handover_minutes_since(d, HANDOVER, d, HM(8, 20)), -10);
        assert_int_equal(handover_minutes_since(d, HANDOVER, d, HM(8, 45)), 15);
        assert_int_equal(handover_minutes_since(d, HANDOVER, d + 1, HM(3, 0)), 18 * 60 + 30);

        assert_false(handover_is_late(-10, 15));
        assert_false(handover_is_late(15, 15));
        assert_true(handover_is_late(16, 15));
        /* 0 is the default, 15. */
        assert_int_equal(handover_takeover_minutes(0), HANDOVER_TAKEOVER_MINUTES_DEFAULT);
        assert_int_equal(handover_takeover_minutes(5), 5);
        assert_false(handover_is_late(15, 0));
        assert_true(handover_is_late(16, 0));
        assert_true(handover_is_late(6, 5));
}

static void test_steps(void **state) {
        assert_int_equal(handover_step(-30, 15), -1);
        assert_int_equal(handover_step(14, 15), -1);
        assert_int_equal(handover_step(15, 15), 0);
        assert_int_equal(handover_step(29, 15), 0);
        assert_int_equal(handover_step(30, 15), 1);
        assert_int_equal(handover_step(45, 15), 2);
        assert_int_equal(handover_step(60, 15), 3);
        assert_int_equal(handover_step(24 * 60, 15), 95);
        assert_int_equal(handover_step(10, 10), 0);

        assert_int_equal(handover_step_audience(0), HANDOVER_AUDIENCE_DUE);
        assert_int_equal(handover_step_audience(1), HANDOVER_AUDIENCE_LEADER);
        assert_int_equal(handover_step_audience(2), HANDOVER_AUDIENCE_ADMINS);
        assert_int_equal(handover_step_audience(40), HANDOVER_AUDIENCE_ADMINS);

        /* The monitor's timer wakes at each change of step. */
        assert_int_equal(handover_minutes_to_next_step(-600, 15), 615);
        assert_int_equal(handover_minutes_to_next_step(0, 15), 15);
        assert_int_equal(handover_minutes_to_next_step(14, 15), 1);
        assert_int_equal(handover_minutes_to_next_step(15, 15), 15);
        assert_int_equal(handover_minutes_to_next_step(59, 15), 1);
        for (int64_t since = -100; since < 300; since++) {
                int next = handover_minutes_to_next_step(since, 15);

                assert_true(next > 0);
                assert_int_not_equal(handover_step(since + next, 15), handover_step(since, 15));
                assert_int_equal(handover_step(since + next - 1, 15), handover_step(since, 15));
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_incoming_day),
                cmocka_unit_test(test_since_and_late),
                cmocka_unit_test(test_steps),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
