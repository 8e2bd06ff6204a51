/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Takeovers and handovers against the roster and the store (handover-service.c): who may, when
 * it is late, the face-to-face rule, nothing signed twice. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handover-service.h"

FIXTURE_SETUP_TEARDOWN("handover-service", FIXTURE_STORE | FIXTURE_CONFIG)

#define HM(h, m) ((h) * 60 + (m))

static int act(Fixture *f, const char *person, HandoverAction action, Day today, int minutes,
               HandoverResult *ret, Refusal *refusal) {
        HandoverRequest rq = {
                .store = f->store,
                .config = f->config,
                .now_usec = 1000,
                .today = today,
                .now_minutes = minutes,
                .person = config_find_person(f->config, person),
                .action = action,
                .note = action == HANDOVER_GIVE ? "待办一件" : NULL,
                .lang = "zh",
        };

        assert_non_null(rq.person);
        refusal_done(refusal);
        return handover_service_act(&rq, ret, refusal);
}

static void test_take_and_give(void **state) {
        Fixture *f = *state;
        Day d = day_from_ymd(2026, 6, 2);
        HandoverResult res = {};
        _cleanup_(refusal_done) Refusal why = REFUSAL_INIT;

        assert_int_equal(store_assignment_set(f->store, d - 1, "officer_on_duty", 0, "zhenght", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(f->store, d, "officer_on_duty", 0, "wum", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(f->store, d, "leader_on_call", 0, "zhangw", false, NULL, NULL), 0);

        /* Not on duty that day. */
        assert_int_equal(act(f, "fengj", HANDOVER_TAKE, d, HM(8, 20), &res, &why), 1);
        assert_string_equal(why.rule, "not_on_duty");
        assert_int_equal(why.day, d);
        assert_non_null(strstr(why.message, "dutyctl who 2026-06-02"));

        /* The outgoing officer waits for the incoming one. */
        assert_int_equal(act(f, "zhenght", HANDOVER_GIVE, d, HM(8, 20), &res, &why), 1);
        assert_string_equal(why.rule, "not_taken_over");

        /* Ten minutes early: not late, for today's duty. */
        assert_int_equal(act(f, "wum", HANDOVER_TAKE, d, HM(8, 20), &res, &why), 0);
        assert_int_equal(res.day, d);
        assert_false(res.late);
        assert_int_equal(res.n_records, 1);
        assert_string_equal(res.records[0].post, "officer_on_duty");
        assert_true(res.records[0].id > 0);
        handover_result_done(&res);
        assert_int_equal(act(f, "wum", HANDOVER_TAKE, d, HM(8, 21), &res, &why), 1);
        assert_string_equal(why.rule, "already");

        /* Now the handover: for yesterday's duty, with its note. */
        assert_int_equal(act(f, "zhenght", HANDOVER_GIVE, d, HM(8, 25), &res, &why), 0);
        assert_int_equal(res.day, d - 1);
        assert_string_equal(res.records[0].note, "待办一件");
        assert_int_equal(res.records[0].action, HANDOVER_GIVE);
        handover_result_done(&res);

        /* The leader, 16 minutes after the handover: late. */
        assert_int_equal(act(f, "zhangw", HANDOVER_TAKE, d, HM(8, 46), &res, &why), 0);
        assert_true(res.late);
        assert_true(res.records[0].late);
        handover_result_done(&res);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_take_and_give, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
