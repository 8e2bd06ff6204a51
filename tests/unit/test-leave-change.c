/* SPDX-License-Identifier: GPL-2.0-or-later */

/* LeaveChange (leave_service_change()) against a temporary store and the sample office
 * (conf/dutyd.conf): who may change which leave, the rules checked again with the leave itself
 * left out, the core's Refusal filled with the rule and the day, the history and the store. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "date.h"
#include "days.h"
#include "fixture.h"
#include "leave-fixture.h"
#include "leave-service.h"
#include "leave.h"
#include "rules.h"
#include "store.h"

FIXTURE_SETUP_TEARDOWN("leave-change", FIXTURE_STORE | FIXTURE_CONFIG)

/* A leave of `who`'s own, out of town, filed at `now`: its id. */
static int64_t file_trip(const Fixture *f, const char *who, const char *now, const char *from, const char *to,
                         const char *acting) {
        return file(f, who, now, (Leave) {
                .person = (char *) who,
                .kind = LEAVE_KIND_PERSONAL,
                .start = T(f, from, false),
                .end = T(f, to, true),
                .destination = (char *) "南昌",
                .reason = (char *) "开会",
                .acting = (char *) acting,
                .out_of_town = true,
        });
}

static LeaveChangeRequest change(const Fixture *f, const char *from, const char *to, const char *destination) {
        return (LeaveChangeRequest) {
                .start = T(f, from, false),
                .end = T(f, to, true),
                .destination = destination,
                .note = "会议改期",
        };
}

static StoreLeave stored(const Fixture *f, int64_t id) {
        StoreLeave sl = {};

        assert_int_equal(store_leave_get(f->store, id, &sl), 0);
        return sl;
}

/* The action of the leave's newest history entry (a new string), its note in *ret_note if asked. */
static char *last_action(const Fixture *f, int64_t id, char **ret_note) {
        StoreLeaveEvent *e = NULL;
        char *action;
        size_t n = 0;

        assert_int_equal(store_leave_event_list(f->store, id, &e, &n), 0);
        assert_true(n > 0);
        action = strdup(e[n - 1].action);
        assert_non_null(action);
        if (ret_note)
                *ret_note = e[n - 1].note ? strdup(e[n - 1].note) : NULL;
        store_leave_event_free_many(e, n);
        return action;
}

static void test_pending_by_applicant(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c = ctx_at(f, "lixy", "2026-03-02 10:00");
        LeaveChangeRequest ch = change(f, "2026-03-11", "2026-03-13", "成都");
        LeaveChangeResult res;
        StoreLeave sl;
        char *note = NULL, *action;
        int64_t id;

        id = file_trip(f, "lixy", "2026-03-02 09:00", "2026-03-10", "2026-03-12", "ouyangmh");

        /* Overlapping its own old days: the leave itself is left out of the rules. */
        assert_int_equal(leave_service_change(&c, id, &ch, &res), 0);
        assert_int_equal(res.refusal.kind, REFUSAL_NONE);
        assert_false(res.approved);
        assert_int_equal(res.leave.stored.leave.state, LEAVE_STATE_PENDING);
        assert_int_equal(res.leave.duty_from, D("2026-03-11"));
        assert_int_equal(res.leave.duty_to, D("2026-03-13"));
        for (size_t i = 0; i < res.n_violations; i++)
                assert_string_not_equal(res.violations[i].rule, RULES_OVERLAP);
        leave_change_result_done(&res);

        sl = stored(f, id);
        assert_int_equal(sl.leave.start.day, D("2026-03-11"));
        assert_int_equal(sl.leave.end.day, D("2026-03-13"));
        assert_string_equal(sl.leave.destination, "成都");
        store_leave_done(&sl);
        action = last_action(f, id, &note);
        assert_string_equal(action, LEAVE_ACTION_CHANGE);
        free(action);
        assert_non_null(strstr(note, "2026-03-10"));
        assert_non_null(strstr(note, "成都"));
        assert_non_null(strstr(note, "会议改期"));
        free(note);

        /* Nothing to change. */
        assert_int_equal(leave_service_change(&c, id, &ch, &res), -EINVAL);
        assert_int_equal(res.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(res.refusal.rule, "unchanged");
        leave_change_result_done(&res);

        /* Somebody else's. */
        c = ctx_at(f, "chenzq", "2026-03-02 10:00");
        ch = change(f, "2026-03-12", "2026-03-13", NULL);
        assert_int_equal(leave_service_change(&c, id, &ch, &res), -EPERM);
        assert_int_equal(res.refusal.kind, REFUSAL_DENIED);
        leave_change_result_done(&res);

        /* No such leave. */
        assert_int_equal(leave_service_change(&c, 999, &ch, &res), -ENOENT);
        assert_int_equal(res.refusal.kind, REFUSAL_NOT_FOUND);
        assert_string_equal(res.refusal.what, "leave");
        assert_string_equal(res.refusal.id, "999");
        leave_change_result_done(&res);
}

static void test_approved(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c;
        LeaveChangeRequest ch;
        LeaveChangeResult res;
        StoreLeave sl;
        int64_t trip, secretary;
        char *action;

        trip = file_trip(f, "lixy", "2026-03-02 09:00", "2026-03-10", "2026-03-12", "ouyangmh");
        approve(f, "wangjg", "2026-03-02 09:30", trip);
        secretary = file_trip(f, "wangjg", "2026-03-02 09:00", "2026-03-16", "2026-03-17", "zhangw");
        approve(f, "zhaods", "2026-03-02 09:40", secretary);

        /* The applicant asks her approver. */
        c = ctx_at(f, "lixy", "2026-03-02 10:00");
        ch = change(f, "2026-03-11", "2026-03-13", NULL);
        assert_int_equal(leave_service_change(&c, trip, &ch, &res), -EPERM);
        assert_int_equal(res.refusal.kind, REFUSAL_DENIED);
        assert_string_equal(res.refusal.rule, leave_error_code_to_string(LEAVE_ERROR_SELF_APPROVAL));
        assert_non_null(strstr(res.refusal.message, "王建国"));
        leave_change_result_done(&res);

        /* Onto the secretary's days: never_together, named with its first day, in English too. */
        c = ctx_at(f, "wangjg", "2026-03-02 10:00");
        ch = change(f, "2026-03-15", "2026-03-17", "成都");
        ch.language = "en";
        assert_int_equal(leave_service_change(&c, trip, &ch, &res), -ECANCELED);
        assert_int_equal(res.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(res.refusal.rule, LEAVE_REASON_RULES);
        assert_int_equal(res.refusal.day, D("2026-03-16"));
        assert_non_null(strstr(res.refusal.message, "never_together"));
        assert_non_null(strstr(res.refusal.message, "2026-03-16"));
        assert_non_null(strstr(res.refusal.message, "Choose other dates"));
        assert_true(res.n_violations > 0);
        /* Reported as it is stored. */
        assert_int_equal(res.leave.duty_from, D("2026-03-10"));
        assert_string_equal(res.leave.stored.leave.destination, "南昌");
        leave_change_result_done(&res);
        sl = stored(f, trip);
        assert_int_equal(sl.leave.start.day, D("2026-03-10"));
        store_leave_done(&sl);
        action = last_action(f, trip, NULL);
        assert_string_equal(action, LEAVE_ACTION_APPROVE);
        free(action);

        /* Its approver changes it: half a day later, to the end of the 13th. */
        ch = change(f, "2026-03-11 pm", "2026-03-13", "成都");
        assert_int_equal(leave_service_change(&c, trip, &ch, &res), 0);
        assert_true(res.approved);
        assert_int_equal(res.leave.stored.leave.state, LEAVE_STATE_APPROVED);
        assert_int_equal(res.leave.half_days, 5);
        leave_change_result_done(&res);

        /* Under way (03-12): the start stays, the end moves. */
        c = ctx_at(f, "wangjg", "2026-03-12 10:00");
        ch = change(f, "2026-03-12", "2026-03-14", NULL);
        assert_int_equal(leave_service_change(&c, trip, &ch, &res), -ESTALE);
        assert_string_equal(res.refusal.rule, leave_error_code_to_string(LEAVE_ERROR_ALREADY_STARTED));
        leave_change_result_done(&res);
        ch = change(f, "2026-03-11 pm", "2026-03-14", NULL);
        assert_int_equal(leave_service_change(&c, trip, &ch, &res), 0);
        assert_int_equal(res.leave.duty_to, D("2026-03-14"));
        leave_change_result_done(&res);

        /* A closed leave does not change. */
        c = ctx_at(f, "wangjg", "2026-03-02 11:00");
        {
                LeaveServiceContext own = ctx_at(f, "wangjg", "2026-03-02 11:00");
                LeaveOutcome o;

                assert_int_equal(leave_service_cancel(&own, secretary, &o), 0);
                leave_outcome_done(&o);
        }
        c = ctx_at(f, "zhaods", "2026-03-02 11:00");
        ch = change(f, "2026-03-17", "2026-03-18", NULL);
        assert_int_equal(leave_service_change(&c, secretary, &ch, &res), -ESTALE);
        assert_string_equal(res.refusal.rule, leave_error_code_to_string(LEAVE_ERROR_CLOSED));
        leave_change_result_done(&res);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_pending_by_applicant, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_approved, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
