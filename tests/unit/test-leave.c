/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "days.h"
#include "leave.h"

#define HANDOVER (8 * 60 + 30)

static LeaveTime T(const char *day, int h, int m) {
        return (LeaveTime) { D(day), h * 60 + m };
}

/* A leave from 2026-03-02 08:30 to 2026-03-04 24:00, approved unless told. */
static Leave make_leave(LeaveState state) {
        return (Leave) {
                .id = 1,
                .person = (char *) "wang",
                .kind = LEAVE_KIND_PERSONAL,
                .start = T("2026-03-02", 8, 30),
                .end = T("2026-03-04", 24, 0),
                .requested = D("2026-02-25"),
                .paperwork_due = DAY_NONE,
                .state = state,
        };
}

static void test_strings(void **state) {
        for (LeaveKind k = 0; k < _LEAVE_KIND_MAX; k++) {
                assert_non_null(leave_kind_to_string(k));
                assert_non_null(leave_kind_to_zh(k));
                assert_int_equal(leave_kind_from_string(leave_kind_to_string(k)), k);
        }
        for (LeaveState s = 0; s < _LEAVE_STATE_MAX; s++) {
                assert_non_null(leave_state_to_zh(s));
                assert_int_equal(leave_state_from_string(leave_state_to_string(s)), s);
        }
        for (LeaveErrorCode c = 0; c < _LEAVE_ERROR_MAX; c++)
                assert_int_equal(leave_error_code_from_string(leave_error_code_to_string(c)), c);
        assert_string_equal(leave_kind_to_string(LEAVE_KIND_BUSINESS_TRIP), "business_trip");
        assert_string_equal(leave_state_to_string(LEAVE_STATE_OVERDUE), "overdue");
        assert_int_equal(leave_kind_from_string("holiday"), _LEAVE_KIND_INVALID);
        assert_int_equal(leave_state_from_string(NULL), _LEAVE_STATE_INVALID);
        assert_null(leave_kind_to_string(_LEAVE_KIND_MAX));
        assert_int_equal(leave_half_from_string("下午"), LEAVE_HALF_PM);
        assert_int_equal(leave_half_from_string("evening"), LEAVE_HALF_EVENING);
        assert_int_equal(leave_half_from_string("noon"), _LEAVE_HALF_INVALID);
}

static void test_halves(void **state) {
        Day d = D("2026-03-02");
        LeaveTime t;

        t = leave_half_start(d, LEAVE_HALF_AM, HANDOVER);
        assert_int_equal(t.day, d);
        assert_int_equal(t.minutes, 8 * 60 + 30);
        /* The morning follows the configured handover. */
        assert_int_equal(leave_half_start(d, LEAVE_HALF_AM, 9 * 60).minutes, 9 * 60);
        assert_int_equal(leave_half_end(d, LEAVE_HALF_AM, HANDOVER).minutes, 12 * 60);
        assert_int_equal(leave_half_start(d, LEAVE_HALF_PM, HANDOVER).minutes, 12 * 60);
        assert_int_equal(leave_half_end(d, LEAVE_HALF_PM, HANDOVER).minutes, 17 * 60 + 30);
        assert_int_equal(leave_half_start(d, LEAVE_HALF_EVENING, HANDOVER).minutes, 17 * 60 + 30);
        assert_int_equal(leave_half_end(d, LEAVE_HALF_EVENING, HANDOVER).minutes, 24 * 60);
}

static void test_time_parse(void **state) {
        LeaveTime t = { 0, 0 };
        char buf[LEAVE_TIME_STRING_MAX];

        assert_int_equal(leave_time_parse("2026-03-02", false, HANDOVER, &t), 0);
        assert_int_equal(t.day, D("2026-03-02"));
        assert_int_equal(t.minutes, HANDOVER);
        assert_int_equal(leave_time_parse("2026-03-02", true, HANDOVER, &t), 0);
        assert_int_equal(t.minutes, 24 * 60);
        assert_string_equal(leave_time_format(t, buf), "2026-03-02 24:00");

        assert_int_equal(leave_time_parse("2026-03-02 pm", false, HANDOVER, &t), 0);
        assert_int_equal(t.minutes, 12 * 60);
        assert_int_equal(leave_time_parse("2026-03-02 上午", true, HANDOVER, &t), 0);
        assert_int_equal(t.minutes, 12 * 60);
        assert_int_equal(leave_time_parse("2026-03-02T14:05", false, HANDOVER, &t), 0);
        assert_int_equal(t.minutes, 14 * 60 + 5);
        assert_string_equal(leave_time_format(t, buf), "2026-03-02 14:05");
        assert_int_equal(leave_time_parse("2026-03-02 24:00", true, HANDOVER, &t), 0);
        assert_int_equal(t.minutes, 24 * 60);

        t = (LeaveTime) { 7, 7 };
        assert_int_equal(leave_time_parse("2026-03-02 24:00", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse("2026-02-30", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse("2026-03-02 25:00", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse("2026-03-02x", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse("2026-03-02 ", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse("2026-3-2", false, HANDOVER, &t), -EINVAL);
        assert_int_equal(leave_time_parse(NULL, false, HANDOVER, &t), -EINVAL);
        /* Untouched on failure. */
        assert_int_equal(t.day, 7);
        assert_int_equal(t.minutes, 7);
}

static void test_validate(void **state) {
        Leave l = make_leave(LEAVE_STATE_PENDING);
        LeaveError e = {};

        assert_int_equal(leave_validate(&l, &e), 0);
        assert_int_equal(e.code, LEAVE_ERROR_NONE);

        l.end = l.start;
        assert_int_equal(leave_validate(&l, &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_BAD_TIME);
        assert_non_null(e.message_zh);
        assert_non_null(e.message_en);

        l = make_leave(LEAVE_STATE_PENDING);
        l.start = T("2026-03-01", 24, 0);
        assert_int_equal(leave_validate(&l, &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_BAD_TIME);

        l = make_leave(LEAVE_STATE_PENDING);
        l.end = T("2027-03-04", 12, 0);
        assert_int_equal(leave_validate(&l, &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_TOO_LONG);

        l = make_leave(LEAVE_STATE_PENDING);
        l.person = NULL;
        assert_int_equal(leave_validate(&l, &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_INVALID);

        l = make_leave(LEAVE_STATE_OVERDUE);
        assert_int_equal(leave_validate(&l, NULL), -EINVAL);
}

static void test_duty_days(void **state) {
        Leave l = make_leave(LEAVE_STATE_APPROVED);
        Day from = DAY_NONE, to = DAY_NONE;

        assert_int_equal(leave_duty_days(&l, HANDOVER, &from, &to), 0);
        assert_int_equal(from, D("2026-03-02"));
        assert_int_equal(to, D("2026-03-04"));

        /* Ending exactly at the handover does not touch the next duty day. */
        l.start = T("2026-03-02", 20, 0);
        l.end = T("2026-03-03", 8, 30);
        assert_int_equal(leave_duty_days(&l, HANDOVER, &from, &to), 0);
        assert_int_equal(from, D("2026-03-02"));
        assert_int_equal(to, D("2026-03-02"));

        /* One minute past it does. */
        l.end = T("2026-03-03", 8, 31);
        assert_int_equal(leave_duty_days(&l, HANDOVER, &from, &to), 0);
        assert_int_equal(to, D("2026-03-03"));

        /* Early morning belongs to the previous duty day. */
        l.start = T("2026-03-02", 6, 0);
        l.end = T("2026-03-02", 8, 0);
        assert_int_equal(leave_duty_days(&l, HANDOVER, &from, &to), 0);
        assert_int_equal(from, D("2026-03-01"));
        assert_int_equal(to, D("2026-03-01"));

        /* A different handover moves the boundary. */
        assert_int_equal(leave_duty_days(&l, 6 * 60, &from, &to), 0);
        assert_int_equal(from, D("2026-03-02"));

        from = to = 42;
        l.end = l.start;
        assert_int_equal(leave_duty_days(&l, HANDOVER, &from, &to), -EINVAL);
        assert_int_equal(from, 42);
        assert_int_equal(to, 42);
}

static void test_length(void **state) {
        Leave l = make_leave(LEAVE_STATE_PENDING);

        assert_int_equal(leave_length_half_days(&l), 6);

        l.start = leave_half_start(D("2026-03-02"), LEAVE_HALF_AM, HANDOVER);
        l.end = leave_half_end(D("2026-03-02"), LEAVE_HALF_AM, HANDOVER);
        assert_int_equal(leave_length_half_days(&l), 1);

        l.end = leave_half_end(D("2026-03-02"), LEAVE_HALF_PM, HANDOVER);
        assert_int_equal(leave_length_half_days(&l), 2);

        /* Afternoon to the next morning: one day. */
        l.start = leave_half_start(D("2026-03-02"), LEAVE_HALF_PM, HANDOVER);
        l.end = leave_half_end(D("2026-03-03"), LEAVE_HALF_AM, HANDOVER);
        assert_int_equal(leave_length_half_days(&l), 2);

        /* Ending at midnight is ending the previous day. */
        l.start = T("2026-03-02", 8, 30);
        l.end = T("2026-03-04", 0, 0);
        assert_int_equal(leave_length_half_days(&l), 4);

        l.end = l.start;
        assert_int_equal(leave_length_half_days(&l), 0);
}

static void test_overlaps(void **state) {
        Leave a = make_leave(LEAVE_STATE_APPROVED), b = make_leave(LEAVE_STATE_PENDING);

        b.start = T("2026-03-04", 12, 0);
        b.end = T("2026-03-05", 12, 0);
        assert_true(leave_overlaps(&a, &b));
        assert_true(leave_overlaps(&b, &a));

        /* Touching ends do not overlap: the end is exclusive. */
        b.start = a.end;
        assert_false(leave_overlaps(&a, &b));
}

static void test_effective_state(void **state) {
        Leave l = make_leave(LEAVE_STATE_APPROVED);

        assert_int_equal(leave_effective_state(&l, T("2026-03-02", 8, 29)), LEAVE_STATE_APPROVED);
        assert_int_equal(leave_effective_state(&l, T("2026-03-02", 8, 30)), LEAVE_STATE_STARTED);
        assert_int_equal(leave_effective_state(&l, T("2026-03-04", 23, 59)), LEAVE_STATE_STARTED);
        /* Past its end with no return: overdue. */
        assert_int_equal(leave_effective_state(&l, T("2026-03-05", 0, 0)), LEAVE_STATE_OVERDUE);
        assert_int_equal(leave_effective_state(&l, T("2026-04-01", 9, 0)), LEAVE_STATE_OVERDUE);

        l.state = LEAVE_STATE_STARTED;
        assert_int_equal(leave_effective_state(&l, T("2026-03-03", 9, 0)), LEAVE_STATE_STARTED);
        assert_int_equal(leave_effective_state(&l, T("2026-03-06", 9, 0)), LEAVE_STATE_OVERDUE);

        l.state = LEAVE_STATE_RETURNED;
        assert_int_equal(leave_effective_state(&l, T("2026-03-06", 9, 0)), LEAVE_STATE_RETURNED);
        l.state = LEAVE_STATE_PENDING;
        assert_int_equal(leave_effective_state(&l, T("2026-03-06", 9, 0)), LEAVE_STATE_PENDING);

        assert_true(leave_state_is_away(LEAVE_STATE_OVERDUE));
        assert_false(leave_state_is_away(LEAVE_STATE_PENDING));
        assert_false(leave_state_is_away(LEAVE_STATE_RETURNED));
        assert_true(leave_state_is_open(LEAVE_STATE_PENDING));
        assert_false(leave_state_is_open(LEAVE_STATE_CANCELLED));
}

static void test_approve_reject(void **state) {
        Leave l = make_leave(LEAVE_STATE_PENDING);
        LeaveError e = {};

        assert_int_equal(leave_approve(&l, T("2026-03-01", 10, 0), &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);
        assert_false(l.unexcused);
        assert_false(leave_is_unexcused(&l, T("2026-03-03", 10, 0)));

        assert_int_equal(leave_approve(&l, T("2026-03-01", 10, 0), &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_PENDING);
        assert_int_equal(leave_reject(&l, &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_PENDING);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);

        l = make_leave(LEAVE_STATE_PENDING);
        assert_int_equal(leave_reject(&l, &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_REJECTED);
        assert_int_equal(leave_approve(&l, T("2026-03-01", 10, 0), &e), -ESTALE);
        assert_int_equal(l.state, LEAVE_STATE_REJECTED);

        /* Gone before it was approved: pending past the start is unexcused already, and the
         * approval keeps the flag. */
        l = make_leave(LEAVE_STATE_PENDING);
        assert_false(leave_is_unexcused(&l, T("2026-03-02", 8, 29)));
        assert_true(leave_is_unexcused(&l, T("2026-03-02", 8, 30)));
        assert_int_equal(leave_approve(&l, T("2026-03-02", 9, 0), NULL), 0);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);
        assert_true(l.unexcused);
        assert_true(leave_is_unexcused(&l, T("2026-03-02", 9, 0)));
        assert_int_equal(leave_effective_state(&l, T("2026-03-02", 9, 0)), LEAVE_STATE_STARTED);
}

static void test_cancel(void **state) {
        Leave l = make_leave(LEAVE_STATE_APPROVED);
        LeaveError e = {};

        /* After the start: refused, state kept. */
        assert_int_equal(leave_cancel(&l, T("2026-03-02", 8, 30), &e), -EBUSY);
        assert_int_equal(e.code, LEAVE_ERROR_ALREADY_STARTED);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);

        assert_int_equal(leave_cancel(&l, T("2026-03-02", 8, 29), &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_CANCELLED);
        assert_int_equal(leave_cancel(&l, T("2026-03-01", 8, 0), &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_CLOSED);

        l = make_leave(LEAVE_STATE_PENDING);
        assert_int_equal(leave_cancel(&l, T("2026-02-28", 8, 0), &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_CANCELLED);

        l = make_leave(LEAVE_STATE_STARTED);
        assert_int_equal(leave_cancel(&l, T("2026-03-01", 8, 0), &e), -EBUSY);
        assert_int_equal(l.state, LEAVE_STATE_STARTED);

        l = make_leave(LEAVE_STATE_REJECTED);
        assert_int_equal(leave_cancel(&l, T("2026-03-01", 8, 0), &e), -ESTALE);
        l = make_leave(LEAVE_STATE_RETURNED);
        assert_int_equal(leave_cancel(&l, T("2026-03-01", 8, 0), &e), -ESTALE);
}

static void test_return(void **state) {
        Leave l = make_leave(LEAVE_STATE_APPROVED);
        LeaveError e = {};

        /* Before the start: cancel, not return. */
        assert_int_equal(leave_return(&l, T("2026-03-01", 9, 0), T("2026-03-01", 9, 0), &e), -EBUSY);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_STARTED);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);

        /* A return time in the future or before the start. */
        assert_int_equal(leave_return(&l, T("2026-03-03", 9, 0), T("2026-03-03", 10, 0), &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_BAD_RETURN_TIME);
        assert_int_equal(leave_return(&l, T("2026-03-03", 9, 0), T("2026-03-02", 8, 0), &e), -EINVAL);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);

        /* Back early: approved (started by time) → returned. */
        assert_int_equal(leave_return(&l, T("2026-03-03", 18, 0), T("2026-03-03", 17, 0), &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_RETURNED);
        assert_int_equal(l.returned.day, D("2026-03-03"));
        assert_int_equal(l.returned.minutes, 17 * 60);
        assert_int_equal(leave_effective_state(&l, T("2026-03-10", 9, 0)), LEAVE_STATE_RETURNED);
        assert_int_equal(leave_return(&l, T("2026-03-03", 18, 0), T("2026-03-03", 17, 0), &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_CLOSED);

        /* Overdue, then reported back late. */
        l = make_leave(LEAVE_STATE_STARTED);
        assert_int_equal(leave_effective_state(&l, T("2026-03-06", 9, 0)), LEAVE_STATE_OVERDUE);
        assert_int_equal(leave_return(&l, T("2026-03-06", 9, 0), T("2026-03-05", 20, 0), &e), 0);
        assert_int_equal(l.state, LEAVE_STATE_RETURNED);

        l = make_leave(LEAVE_STATE_PENDING);
        assert_int_equal(leave_return(&l, T("2026-03-03", 9, 0), T("2026-03-03", 9, 0), &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_APPROVED);
        l = make_leave(LEAVE_STATE_CANCELLED);
        assert_int_equal(leave_return(&l, T("2026-03-03", 9, 0), T("2026-03-03", 9, 0), &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_CLOSED);
}

static void test_mark_started(void **state) {
        Leave l = make_leave(LEAVE_STATE_APPROVED);

        assert_int_equal(leave_mark_started(&l, T("2026-03-02", 8, 0)), 0);
        assert_int_equal(l.state, LEAVE_STATE_APPROVED);
        assert_int_equal(leave_mark_started(&l, T("2026-03-02", 9, 0)), 1);
        assert_int_equal(l.state, LEAVE_STATE_STARTED);
        assert_int_equal(leave_mark_started(&l, T("2026-03-02", 9, 0)), 0);

        l = make_leave(LEAVE_STATE_PENDING);
        assert_int_equal(leave_mark_started(&l, T("2026-03-02", 9, 0)), 0);
        assert_int_equal(l.state, LEAVE_STATE_PENDING);
}

static void test_paperwork(void **state) {
        Leave l = make_leave(LEAVE_STATE_PENDING);
        LeaveError e = {};

        assert_int_equal(leave_submit_paperwork(&l, &e), -EINVAL);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_URGENT);
        assert_false(l.paperwork_done);

        l.urgent = true;
        l.requested = D("2026-02-13");
        l.paperwork_due = leave_paperwork_due_from(l.requested, 2);
        assert_int_equal(l.paperwork_due, D("2026-02-15"));

        assert_false(leave_paperwork_overdue(&l, D("2026-02-15")));
        assert_true(leave_paperwork_overdue(&l, D("2026-02-16")));
        l.state = LEAVE_STATE_APPROVED;
        assert_true(leave_paperwork_overdue(&l, D("2026-02-16")));
        l.state = LEAVE_STATE_REJECTED;
        assert_false(leave_paperwork_overdue(&l, D("2026-02-16")));
        assert_int_equal(leave_submit_paperwork(&l, &e), -ESTALE);
        assert_int_equal(e.code, LEAVE_ERROR_CLOSED);

        l.state = LEAVE_STATE_APPROVED;
        assert_int_equal(leave_submit_paperwork(&l, &e), 0);
        assert_true(l.paperwork_done);
        assert_false(leave_paperwork_overdue(&l, D("2026-02-16")));
        assert_int_equal(leave_submit_paperwork(&l, &e), -EALREADY);
        assert_int_equal(e.code, LEAVE_ERROR_PAPERWORK_DONE);
}

static void test_done(void **state) {
        Leave *a = calloc(2, sizeof(Leave));

        assert_non_null(a);
        a[0].person = strdup("wang");
        a[0].reason = strdup("探亲");
        a[1].acting = strdup("li");
        a[1].decided_by = strdup("zhao");
        leave_done(&a[0]);
        assert_null(a[0].person);
        leave_done(NULL);
        assert_null(leave_array_free(a, 2));
        assert_null(leave_array_free(NULL, 0));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_halves),
                cmocka_unit_test(test_time_parse),
                cmocka_unit_test(test_validate),
                cmocka_unit_test(test_duty_days),
                cmocka_unit_test(test_length),
                cmocka_unit_test(test_overlaps),
                cmocka_unit_test(test_effective_state),
                cmocka_unit_test(test_approve_reject),
                cmocka_unit_test(test_cancel),
                cmocka_unit_test(test_return),
                cmocka_unit_test(test_mark_started),
                cmocka_unit_test(test_paperwork),
                cmocka_unit_test(test_done),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
