/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Leave end to end against a temporary store and the sample office (conf/dutyd.conf): the store's
 * leave accessors, then every request of leave-service.c with its rules, permissions, transitions,
 * history and the roster's absences. */

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api-leave.h"
#include "config-parse.h"
#include "config.h"
#include "date.h"
#include "duty.h"
#include "fixture.h"
#include "leave-fixture.h"
#include "leave-service.h"
#include "leave.h"
#include "rules.h"
#include "store.h"
#include "varlink.h"

extern const char dutyd_idl_text[];

FIXTURE_SETUP_TEARDOWN("leave-service", FIXTURE_STORE | FIXTURE_CONFIG)

/* A request as the API builds it: strings borrowed. */
static Leave req(const Fixture *f, const char *person, const char *from, const char *to) {
        return (Leave) {
                .person = (char *) person,
                .kind = LEAVE_KIND_PERSONAL,
                .start = T(f, from, false),
                .end = T(f, to, true),
                .destination = (char *) "南昌",
                .reason = (char *) "开会",
                .out_of_town = true,
        };
}

static const RulesViolation *find_violation(const LeaveOutcome *o, const char *rule) {
        for (size_t i = 0; i < o->n_violations; i++)
                if (streq(o->violations[i].rule, rule))
                        return &o->violations[i];
        return NULL;
}

static bool strv_contains(char *const *l, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}

static LeaveState stored_state(const Fixture *f, int64_t id) {
        StoreLeave sl = {};
        LeaveState s;

        assert_int_equal(store_leave_get(f->store, id, &sl), 0);
        s = sl.leave.state;
        store_leave_done(&sl);
        return s;
}

static size_t count_leaves(const Fixture *f) {
        StoreLeaveFilter all = { .from = DAY_NONE, .to = DAY_NONE };
        StoreLeave *l = NULL;
        size_t n = 0;

        assert_int_equal(store_leave_list(f->store, &all, &l, &n), 0);
        store_leave_free_many(l, n);
        return n;
}

/* ---- The store ---- */

static void test_store_accessors(void **state) {
        Fixture *f = *state;
        StoreLeave a = {}, got = {}, *list = NULL;
        StoreLeaveEvent *ev = NULL;
        StoreLeaveFilter flt;
        size_t n = 0;
        int64_t id1, id2, id3;

        a.leave = (Leave) {
                .person = (char *) "lixy",
                .kind = LEAVE_KIND_BUSINESS_TRIP,
                .start = T(f, "2026-03-10 pm", false),
                .end = T(f, "2026-03-12 am", true),
                .destination = (char *) "北京",
                .out_of_town = true,
                .phone = (char *) "13800000000",
                .acting = (char *) "ouyangmh",
                .urgent = true,
                .requested = D("2026-03-02"),
                .paperwork_due = D("2026-03-04"),
                .state = LEAVE_STATE_PENDING,
                .returned = { DAY_NONE, 0 },
        };
        a.requested_usec = 1234;
        a.requested_by = (char *) "zhaods";
        a.approver = (char *) "wangjg";
        assert_int_equal(store_leave_insert(f->store, &a, &id1), 0);

        assert_int_equal(store_leave_get(f->store, id1, &got), 0);
        assert_int_equal(got.leave.id, id1);
        assert_string_equal(got.leave.person, "lixy");
        assert_int_equal(got.leave.kind, LEAVE_KIND_BUSINESS_TRIP);
        assert_int_equal(leave_time_compare(got.leave.start, a.leave.start), 0);
        assert_int_equal(got.leave.end.minutes, LEAVE_NOON_MINUTES);
        assert_string_equal(got.leave.destination, "北京");
        assert_null(got.leave.reason);
        assert_string_equal(got.leave.acting, "ouyangmh");
        assert_true(got.leave.urgent && got.leave.out_of_town && !got.leave.paperwork_done);
        assert_int_equal(got.leave.paperwork_due, D("2026-03-04"));
        assert_int_equal(got.leave.requested, D("2026-03-02"));
        assert_int_equal(got.requested_usec, 1234);
        assert_string_equal(got.requested_by, "zhaods");
        assert_string_equal(got.approver, "wangjg");
        assert_int_equal(got.leave.state, LEAVE_STATE_PENDING);
        assert_int_equal(got.leave.returned.day, DAY_NONE);
        assert_int_equal(got.decided_usec, 0);

        /* Update: the return is kept, and only in state returned. */
        got.leave.state = LEAVE_STATE_RETURNED;
        got.leave.returned = T(f, "2026-03-11 18:00", false);
        got.leave.paperwork_done = true;
        got.leave.decided_by = strdup("wangjg");
        got.decided_usec = 99;
        got.decision_note = strdup("同意");
        assert_int_equal(store_leave_update(f->store, &got), 0);
        store_leave_done(&got);
        assert_int_equal(store_leave_get(f->store, id1, &got), 0);
        assert_int_equal(got.leave.state, LEAVE_STATE_RETURNED);
        assert_int_equal(got.leave.returned.minutes, 18 * 60);
        assert_true(got.leave.paperwork_done);
        assert_string_equal(got.leave.decided_by, "wangjg");
        assert_string_equal(got.decision_note, "同意");
        assert_int_equal(got.decided_usec, 99);
        got.leave.id = id1 + 100;
        assert_int_equal(store_leave_update(f->store, &got), -ENOENT);
        got.leave.state = LEAVE_STATE_OVERDUE;
        assert_int_equal(store_leave_update(f->store, &got), -EINVAL);
        store_leave_done(&got);
        assert_int_equal(store_leave_get(f->store, id1 + 100, &got), -ENOENT);

        a.leave.person = (char *) "wangjg";
        a.leave.start = T(f, "2026-04-01", false);
        a.leave.end = T(f, "2026-04-02", true);
        assert_int_equal(store_leave_insert(f->store, &a, &id2), 0);
        a.leave.person = (char *) "lixy";
        a.leave.start = T(f, "2026-05-01", false);
        a.leave.end = T(f, "2026-05-01", true);
        a.leave.state = LEAVE_STATE_APPROVED;
        assert_int_equal(store_leave_insert(f->store, &a, &id3), 0);

        /* An end before the start never reaches the table. */
        a.leave.end = T(f, "2026-04-30", true);
        assert_int_equal(store_leave_insert(f->store, &a, NULL), -EINVAL);

        flt = (StoreLeaveFilter) { .person = "lixy", .from = DAY_NONE, .to = DAY_NONE };
        assert_int_equal(store_leave_list(f->store, &flt, &list, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(list[0].leave.id, id1);
        assert_int_equal(list[1].leave.id, id3);
        list = store_leave_free_many(list, n);

        flt = (StoreLeaveFilter) { .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING), .from = DAY_NONE, .to = DAY_NONE };
        assert_int_equal(store_leave_list(f->store, &flt, &list, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(list[0].leave.id, id2);
        list = store_leave_free_many(list, n);

        flt = (StoreLeaveFilter) { .from = D("2026-04-02"), .to = D("2026-04-30") };
        assert_int_equal(store_leave_list(f->store, &flt, &list, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(list[0].leave.id, id2);
        list = store_leave_free_many(list, n);

        flt = (StoreLeaveFilter) { .from = DAY_NONE, .to = DAY_NONE, .newest_first = true, .limit = 2 };
        assert_int_equal(store_leave_list(f->store, &flt, &list, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(list[0].leave.id, id3);
        assert_int_equal(list[1].leave.id, id2);
        list = store_leave_free_many(list, n);

        flt = (StoreLeaveFilter) { .from = D("2026-05-02"), .to = D("2026-05-01") };
        assert_int_equal(store_leave_list(f->store, &flt, &list, &n), -EINVAL);

        assert_int_equal(store_leave_event_append(f->store, id1, 10, 1002, "zhangw", "approve", "同意", NULL), 0);
        assert_int_equal(store_leave_event_append(f->store, id1, 20, 0, NULL, "return", NULL, NULL), 0);
        assert_int_equal(store_leave_event_append(f->store, id2, 30, 0, NULL, "cancel", NULL, NULL), 0);
        assert_int_equal(store_leave_event_append(f->store, id1, 40, 0, NULL, "", NULL, NULL), -EINVAL);
        assert_int_equal(store_leave_event_list(f->store, id1, &ev, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(ev[0].action, "approve");
        assert_string_equal(ev[0].actor, "zhangw");
        assert_int_equal(ev[0].uid, 1002);
        assert_int_equal(ev[0].at_usec, 10);
        assert_string_equal(ev[0].note, "同意");
        assert_string_equal(ev[1].action, "return");
        assert_null(ev[1].actor);
        store_leave_event_free_many(ev, n);
}

/* ---- Requests ---- */

static void test_request_refusals(void **state) {
        Fixture *f = *state;
        LeaveServiceContext root = ctx_at(f, NULL, "2026-03-02 09:00"), wum = ctx_at(f, "wum", "2026-03-02 09:00");
        _cleanup_free_ char *long_text = NULL;
        LeaveOutcome o;
        Leave l;

        l = req(f, NULL, "2026-03-10", "2026-03-10");
        assert_int_equal(leave_service_request(&root, &l, &o), -EPERM);
        assert_int_equal(o.refusal.kind, REFUSAL_DENIED);
        assert_string_equal(o.refusal.rule, "no_person");
        leave_outcome_done(&o);

        l = req(f, "lixy", "2026-03-10", "2026-03-10");
        assert_int_equal(leave_service_request(&wum, &l, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "for_others");
        assert_non_null(strstr(o.refusal.message, "管理员"));
        leave_outcome_done(&o);
        wum.language = "en";
        assert_int_equal(leave_service_request(&wum, &l, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "for_others");
        assert_non_null(strstr(o.refusal.message, "administrators"));
        leave_outcome_done(&o);
        wum.language = NULL;

        l = req(f, "nobody", "2026-03-10", "2026-03-10");
        assert_int_equal(leave_service_check(&root, &l, &o), -ENOENT);
        assert_int_equal(o.refusal.kind, REFUSAL_NOT_FOUND);
        assert_string_equal(o.refusal.field, "person");
        assert_string_equal(o.refusal.what, "person");
        assert_string_equal(o.refusal.id, "nobody");
        leave_outcome_done(&o);

        l = req(f, NULL, "2026-03-10", "2026-03-10");
        l.acting = (char *) "nobody";
        assert_int_equal(leave_service_request(&wum, &l, &o), -ENOENT);
        assert_int_equal(o.refusal.kind, REFUSAL_NOT_FOUND);
        assert_string_equal(o.refusal.field, "acting");
        assert_string_equal(o.refusal.what, "person");
        assert_string_equal(o.refusal.id, "nobody");
        leave_outcome_done(&o);

        l = req(f, NULL, "2026-03-10", "2026-03-09");
        assert_int_equal(leave_service_request(&wum, &l, &o), -EINVAL);
        assert_int_equal(o.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(o.refusal.rule, "bad_time");
        assert_string_equal(o.refusal.field, "to");
        leave_outcome_done(&o);

        l = req(f, NULL, "2027-03-10", "2027-03-10");
        assert_int_equal(leave_service_request(&wum, &l, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "too_far");
        assert_string_equal(o.refusal.field, "from");
        leave_outcome_done(&o);

        l = req(f, NULL, "2026-01-20", "2026-01-20");
        assert_int_equal(leave_service_request(&wum, &l, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "too_early");
        leave_outcome_done(&o);

        long_text = malloc(LEAVE_SERVICE_TEXT_MAX + 2);
        assert_non_null(long_text);
        memset(long_text, 'x', LEAVE_SERVICE_TEXT_MAX + 1);
        long_text[LEAVE_SERVICE_TEXT_MAX + 1] = '\0';
        l = req(f, NULL, "2026-03-10", "2026-03-10");
        l.reason = long_text;
        assert_int_equal(leave_service_request(&wum, &l, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "text_too_long");
        assert_string_equal(o.refusal.field, "reason");
        leave_outcome_done(&o);

        assert_int_equal(count_leaves(f), 0);

        /* The caller's own, with the configured phone and the day of the request. */
        l = req(f, NULL, "2026-03-10", "2026-03-10");
        assert_int_equal(leave_service_request(&wum, &l, &o), 0);
        assert_string_equal(o.leave.stored.leave.person, "wum");
        assert_string_equal(o.leave.stored.leave.phone, config_find_person(f->config, "wum")->phone);
        assert_int_equal(o.leave.stored.leave.requested, D("2026-03-02"));
        assert_string_equal(o.leave.stored.requested_by, "wum");
        assert_string_equal(o.leave.stored.approver, "zhaods");
        assert_int_equal(o.leave.duty_from, D("2026-03-10"));
        assert_int_equal(o.leave.duty_to, D("2026-03-10"));
        assert_int_equal(o.leave.half_days, 2);
        leave_outcome_done(&o);
        assert_int_equal(count_leaves(f), 1);
}

/* The Party secretary and the government head are never away on the same duty day. */
static void test_never_together(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c = ctx_at(f, "wangjg", "2026-03-02 09:00");
        const RulesViolation *v;
        LeaveOutcome o;
        int64_t id;
        Leave l;

        l = req(f, "lixy", "2026-03-10", "2026-03-12");
        l.acting = (char *) "ouyangmh";
        id = file(f, "lixy", "2026-03-02 09:00", l);

        /* A pending leave does not make anybody absent yet. */
        l = req(f, "wangjg", "2026-03-11", "2026-03-13");
        l.acting = (char *) "zhangw";
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_true(o.allowed);
        assert_null(find_violation(&o, RULES_NEVER_TOGETHER));
        leave_outcome_done(&o);

        approve(f, "wangjg", "2026-03-02 10:00", id);

        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_false(o.allowed);
        assert_int_equal(o.leave.stored.leave.id, 0);
        leave_outcome_done(&o);

        assert_int_equal(leave_service_request(&c, &l, &o), -ECANCELED);
        assert_int_equal(o.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(o.refusal.rule, LEAVE_REASON_RULES);
        v = find_violation(&o, RULES_NEVER_TOGETHER);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[0], "wangjg");
        assert_string_equal(v->people[1], "lixy");
        assert_int_equal(v->n_days, 2);
        assert_int_equal(v->days[0], D("2026-03-11"));
        assert_int_equal(v->days[1], D("2026-03-12"));
        assert_non_null(strstr(v->message_zh, "王建国"));
        assert_non_null(strstr(v->message_zh, "李秀英"));
        leave_outcome_done(&o);

        /* Refused means not stored. */
        assert_int_equal(count_leaves(f), 1);
}

/* Notice counts working days on the official calendar: the 2026 Spring Festival runs 02-15…02-23,
 * with make-up Saturdays 02-14 and 02-28. */
static void test_notice_spring_festival(void **state) {
        Fixture *f = *state;
        const RulesViolation *v;
        LeaveServiceContext c;
        LeaveOutcome o;
        Leave l;

        l = req(f, "chenzq", "2026-02-25", "2026-02-27");

        /* Asked on Friday 02-13: only 02-14 (make-up) and 02-24 lie between. */
        c = ctx_at(f, "chenzq", "2026-02-13 10:00");
        assert_int_equal(leave_service_request(&c, &l, &o), -ECANCELED);
        v = find_violation(&o, RULES_NOTICE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_int_equal(v->n_days, 1);
        assert_int_equal(v->days[0], D("2026-02-25"));
        assert_non_null(strstr(v->message_zh, "只有 2 个工作日"));
        leave_outcome_done(&o);

        /* Asked on Thursday 02-12: 02-13, 02-14 (make-up) and 02-24 make three. */
        c = ctx_at(f, "chenzq", "2026-02-12 10:00");
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_null(find_violation(&o, RULES_NOTICE));
        assert_true(o.allowed);
        leave_outcome_done(&o);

        /* The second make-up Saturday: asked 02-27 for 03-03, only 02-28 and 03-02 between… */
        l = req(f, "chenzq", "2026-03-03", "2026-03-05");
        c = ctx_at(f, "chenzq", "2026-02-27 10:00");
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        v = find_violation(&o, RULES_NOTICE);
        assert_non_null(v);
        assert_non_null(strstr(v->message_en, "only 2 working days"));
        assert_false(o.allowed);
        leave_outcome_done(&o);

        /* … asked 02-26, 02-27, 02-28 and 03-02 make three. */
        c = ctx_at(f, "chenzq", "2026-02-26 10:00");
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_null(find_violation(&o, RULES_NOTICE));
        leave_outcome_done(&o);

        /* Urgent leave is the exception: recorded, with a warning and the paperwork due in two days. */
        l = req(f, "chenzq", "2026-02-25", "2026-02-27");
        l.urgent = true;
        c = ctx_at(f, "chenzq", "2026-02-13 10:00");
        assert_int_equal(leave_service_request(&c, &l, &o), 0);
        v = find_violation(&o, RULES_NOTICE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_WARNING);
        assert_int_equal(o.leave.stored.leave.paperwork_due, D("2026-02-15"));
        assert_int_equal(stored_state(f, o.leave.stored.leave.id), LEAVE_STATE_PENDING);
        leave_outcome_done(&o);
}

/* The leader on call cannot take leave that day; substitutes come least loaded first. */
static void test_on_duty(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c = ctx_at(f, "zhangw", "2026-03-02 09:00");
        const RulesViolation *v;
        size_t i_chenzq = SIZE_MAX, i_liuf = SIZE_MAX;
        LeaveOutcome o;
        Leave l;

        assert_int_equal(store_assignment_set(f->store, D("2026-03-10"), "leader_on_call", 0, "zhangw", false, NULL, NULL), 0);
        /* chenzq has already served three times this year, liuf never. */
        assert_int_equal(store_assignment_set(f->store, D("2026-01-06"), "leader_on_call", 0, "chenzq", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(f->store, D("2026-01-08"), "leader_on_call", 0, "chenzq", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(f->store, D("2026-01-12"), "leader_on_call", 0, "chenzq", false, NULL, NULL), 0);

        l = req(f, NULL, "2026-03-10", "2026-03-10");
        assert_int_equal(leave_service_request(&c, &l, &o), -ECANCELED);
        v = find_violation(&o, RULES_ON_DUTY);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_int_equal(v->n_days, 1);
        assert_int_equal(v->days[0], D("2026-03-10"));
        assert_true(v->n_substitutes > 1);
        assert_false(strv_contains(v->substitutes, v->n_substitutes, "zhangw"));
        for (size_t i = 0; i < v->n_substitutes; i++) {
                const Person *p = config_find_person(f->config, v->substitutes[i]);

                assert_non_null(p);
                assert_true(person_has_role(p, ROLE_LEADER));
                if (streq(v->substitutes[i], "chenzq"))
                        i_chenzq = i;
                if (streq(v->substitutes[i], "liuf"))
                        i_liuf = i;
        }
        /* Nobody else has served: chenzq comes last, after liuf. */
        assert_true(i_liuf < i_chenzq);
        assert_int_equal(i_chenzq, v->n_substitutes - 1);
        leave_outcome_done(&o);

        /* Another day is fine. */
        l = req(f, NULL, "2026-03-11", "2026-03-11");
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_null(find_violation(&o, RULES_ON_DUTY));
        leave_outcome_done(&o);

        /* Urgent leave breaking a blocking rule is recorded for the approver, who cannot approve it
         * while the rule stands, and can once the duty is handed over. */
        l = req(f, NULL, "2026-03-10", "2026-03-10");
        l.urgent = true;
        assert_int_equal(leave_service_request(&c, &l, &o), 0);
        assert_non_null(find_violation(&o, RULES_ON_DUTY));
        {
                int64_t id = o.leave.stored.leave.id;
                LeaveServiceContext boss = ctx_at(f, "wangjg", "2026-03-02 11:00");
                LeaveOutcome a;

                leave_outcome_done(&o);
                assert_int_equal(leave_service_show(&boss, id, &a), 0);
                assert_false(a.allowed);
                assert_non_null(find_violation(&a, RULES_ON_DUTY));
                leave_outcome_done(&a);

                assert_int_equal(leave_service_approve(&boss, id, NULL, false, &a), -ECANCELED);
                assert_int_equal(a.refusal.kind, REFUSAL_LEAVE);
                assert_non_null(find_violation(&a, RULES_ON_DUTY));
                assert_int_equal(a.leave.stored.leave.state, LEAVE_STATE_PENDING);
                leave_outcome_done(&a);
                assert_int_equal(stored_state(f, id), LEAVE_STATE_PENDING);

                assert_int_equal(store_assignment_set(f->store, D("2026-03-10"), "leader_on_call", 0, "liuf",
                                                      false, NULL, "swap"), 0);
                approve(f, "wangjg", "2026-03-02 11:30", id);
        }

        /* Still, an urgent leave never overlaps the person's own open leave. */
        l = req(f, NULL, "2026-03-10", "2026-03-10");
        l.urgent = true;
        assert_int_equal(leave_service_request(&c, &l, &o), -ECANCELED);
        assert_non_null(find_violation(&o, RULES_OVERLAP));
        leave_outcome_done(&o);
}

/* Two leaves each fine alone, together breaking min_leaders_present (5 of the 8 leaders). */
static void test_min_leaders_jointly(void **state) {
        Fixture *f = *state;
        LeaveServiceContext boss = ctx_at(f, "wangjg", "2026-03-02 10:00");
        const RulesViolation *v;
        int64_t a, b;
        LeaveOutcome o;

        approve(f, "wangjg", "2026-03-02 10:00", file(f, "chenzq", "2026-03-02 09:00", req(f, NULL, "2026-03-10", "2026-03-10")));
        approve(f, "wangjg", "2026-03-02 10:00", file(f, "liuf", "2026-03-02 09:00", req(f, NULL, "2026-03-10", "2026-03-10")));

        a = file(f, "sunlh", "2026-03-02 09:00", req(f, NULL, "2026-03-10", "2026-03-10"));
        b = file(f, "ouyangmh", "2026-03-02 09:00", req(f, NULL, "2026-03-10", "2026-03-10"));

        approve(f, "wangjg", "2026-03-02 10:00", a);

        assert_int_equal(leave_service_approve(&boss, b, NULL, false, &o), -ECANCELED);
        assert_int_equal(o.refusal.kind, REFUSAL_LEAVE);
        v = find_violation(&o, RULES_MIN_LEADERS_PRESENT);
        assert_non_null(v);
        assert_int_equal(v->n_days, 1);
        assert_int_equal(v->days[0], D("2026-03-10"));
        assert_string_equal(v->people[0], "ouyangmh");
        assert_true(strv_contains(v->people, v->n_people, "sunlh"));
        leave_outcome_done(&o);
        assert_int_equal(stored_state(f, b), LEAVE_STATE_PENDING);

        /* Once one of them is back (销假), the other can go. */
        {
                LeaveServiceContext back = ctx_at(f, "sunlh", "2026-03-10 12:00");
                LeaveTime at = T(f, "2026-03-10 11:00", false);

                assert_int_equal(leave_service_return(&back, a, &at, &o), 0);
                assert_int_equal(o.leave.state, LEAVE_STATE_RETURNED);
                leave_outcome_done(&o);
        }
        approve(f, "wangjg", "2026-03-10 12:30", b);
}

static void test_who_decides(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c;
        LeaveOutcome o;
        int64_t id, own;
        Leave l;

        id = file(f, "zhangw", "2026-03-02 09:00", req(f, NULL, "2026-03-16", "2026-03-16"));

        /* Nobody approves their own leave; only the approver as of now or an administrator. */
        c = ctx_at(f, "zhangw", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_int_equal(o.refusal.kind, REFUSAL_DENIED);
        assert_string_equal(o.refusal.rule, "self_approval");
        leave_outcome_done(&o);
        c = ctx_at(f, "wum", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_approver");
        /* A member may not see somebody else's leave: not told who its approver is now. */
        assert_null(strstr(o.refusal.message, "当前审批人"));
        leave_outcome_done(&o);
        c = ctx_at(f, "lixy", "2026-03-02 10:00");
        assert_int_equal(leave_service_reject(&c, id, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_approver");
        leave_outcome_done(&o);
        assert_int_equal(stored_state(f, id), LEAVE_STATE_PENDING);

        /* The Party secretary has nobody above him here: an administrator records the decision. */
        l = req(f, "wangjg", "2026-03-20", "2026-03-20");
        l.out_of_town = false;
        own = file(f, "wangjg", "2026-03-02 09:00", l);
        c = ctx_at(f, "zhangw", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, own, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "admin_only");
        leave_outcome_done(&o);
        c = ctx_at(f, "wangjg", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, own, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "self_approval");
        leave_outcome_done(&o);
        approve(f, "zhaods", "2026-03-02 10:00", own);

        /* While the secretary is away, his stand-in decides, and he does not. */
        id = file(f, "chenzq", "2026-03-20 09:00", req(f, NULL, "2026-03-27", "2026-03-27"));
        c = ctx_at(f, "chenzq", "2026-03-20 10:00");
        assert_int_equal(leave_service_show(&c, id, &o), 0);
        assert_string_equal(o.leave.stored.approver, "zhangw");
        leave_outcome_done(&o);
        c = ctx_at(f, "wangjg", "2026-03-20 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_approver");
        leave_outcome_done(&o);
        c = ctx_at(f, "zhangw", "2026-03-20 10:00");
        assert_int_equal(leave_service_approve(&c, id, "同意", false, &o), 0);
        assert_string_equal(o.leave.stored.leave.decided_by, "zhangw");
        assert_string_equal(o.leave.stored.approver, "zhangw");
        assert_string_equal(o.leave.stored.decision_note, "同意");
        leave_outcome_done(&o);

        /* Decided is decided. */
        c = ctx_at(f, "zhangw", "2026-03-20 10:05");
        assert_int_equal(leave_service_reject(&c, id, NULL, false, &o), -ESTALE);
        assert_int_equal(o.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(o.refusal.rule, "not_pending");
        assert_int_equal(o.leave.stored.leave.state, LEAVE_STATE_APPROVED);
        leave_outcome_done(&o);

        c = ctx_at(f, NULL, "2026-03-20 10:05");
        assert_int_equal(leave_service_approve(&c, 999, NULL, false, &o), -ENOENT);
        assert_int_equal(o.refusal.kind, REFUSAL_NOT_FOUND);
        assert_string_equal(o.refusal.what, "leave");
        assert_string_equal(o.refusal.id, "999");
        assert_string_equal(o.refusal.field, "id");
        leave_outcome_done(&o);
}

/* The clerk holds the admin role to keep the roster; that does not make him the approver. */
static void test_admin_override(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c;
        LeaveOutcome o;
        int64_t id, other;
        Leave l;

        l = req(f, "lixy", "2026-03-16", "2026-03-16");
        l.out_of_town = false;
        id = file(f, "lixy", "2026-03-02 09:00", l);

        /* Refused, saying who decides and how an administrator would decide anyway. */
        c = ctx_at(f, "zhouxd", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_int_equal(o.refusal.kind, REFUSAL_DENIED);
        assert_string_equal(o.refusal.rule, "override_needed");
        assert_non_null(strstr(o.refusal.message, "王建国（wangjg）"));
        assert_non_null(strstr(o.refusal.message, "--override --reason"));
        leave_outcome_done(&o);
        /* The same in the caller's English. */
        c.language = "en";
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_int_equal(o.refusal.kind, REFUSAL_DENIED);
        assert_string_equal(o.refusal.rule, "override_needed");
        assert_non_null(strstr(o.refusal.message, "wangjg"));
        assert_non_null(strstr(o.refusal.message, "--override --reason TEXT"));
        leave_outcome_done(&o);
        /* root too. */
        c = ctx_at(f, NULL, "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "override_needed");
        leave_outcome_done(&o);
        /* An override needs a reason. */
        c = ctx_at(f, "zhouxd", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, "  ", true, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "override_reason");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_approve(&c, id, NULL, true, &o), -EINVAL);
        assert_int_equal(o.refusal.kind, REFUSAL_LEAVE);
        assert_string_equal(o.refusal.rule, "override_reason");
        assert_string_equal(o.refusal.field, "reason");
        leave_outcome_done(&o);
        /* Somebody who is no administrator cannot override: told who decides. */
        c = ctx_at(f, "zhangw", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, "我来批", true, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_approver");
        assert_non_null(strstr(o.refusal.message, "王建国（wangjg）"));
        /* An approver may see the leave: told who its approver is now. */
        assert_non_null(strstr(o.refusal.message, "。当前审批人：王建国（wangjg）。"));
        leave_outcome_done(&o);
        c.language = "en";
        assert_int_equal(leave_service_approve(&c, id, "我来批", true, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_approver");
        assert_non_null(strstr(o.refusal.message, "; ask them. Its approver now is 王建国 (wangjg)."));
        leave_outcome_done(&o);
        assert_int_equal(stored_state(f, id), LEAVE_STATE_PENDING);

        /* With the override and a reason: decided, and marked so on the leave and in its history. */
        c = ctx_at(f, "zhouxd", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, "书记电话同意", true, &o), 0);
        assert_true(o.overridden);
        assert_true(o.leave.stored.decision_override);
        assert_string_equal(o.leave.stored.approver, "wangjg");
        assert_string_equal(o.leave.stored.leave.decided_by, "zhouxd");
        assert_string_equal(o.leave.stored.decision_note, "书记电话同意");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_show(&c, id, &o), 0);
        assert_true(o.leave.stored.decision_override);
        assert_string_equal(o.events[o.n_events - 1].action, LEAVE_ACTION_APPROVE);
        assert_string_equal(o.events[o.n_events - 1].note, "override: 书记电话同意");
        leave_outcome_done(&o);

        /* The approver's own decision is no override, whatever the flag. */
        l = req(f, "lixy", "2026-03-18", "2026-03-18");
        l.out_of_town = false;
        other = file(f, "lixy", "2026-03-02 09:00", l);
        c = ctx_at(f, "wangjg", "2026-03-02 10:00");
        assert_int_equal(leave_service_reject(&c, other, "改期", true, &o), 0);
        assert_false(o.overridden);
        assert_false(o.leave.stored.decision_override);
        leave_outcome_done(&o);
}

static const StoreLeaveEvent *find_event(const LeaveOutcome *o, const char *action) {
        for (size_t i = 0; i < o->n_events; i++)
                if (streq(o->events[i].action, action))
                        return &o->events[i];
        return NULL;
}

static void test_lifecycle(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c;
        const StoreLeaveEvent *e;
        LeaveOutcome o;
        LeaveTime at;
        int64_t id, gone, other;

        id = file(f, "wum", "2026-03-02 09:00", req(f, NULL, "2026-03-10 pm", "2026-03-11 am"));

        /* Somebody else's leave is not a member's to cancel, nor to see. */
        c = ctx_at(f, "zhenght", "2026-03-02 09:30");
        assert_int_equal(leave_service_cancel(&c, id, &o), -EPERM);
        assert_string_equal(o.refusal.rule, "not_own");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_show(&c, id, &o), -EPERM);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_ALL, "wum", &o), -EPERM);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_ALL, NULL, &o), 0);
        assert_int_equal(o.n_entries, 0);
        leave_outcome_done(&o);

        /* Returning before it began is refused: cancel it instead. */
        approve(f, "zhaods", "2026-03-02 10:00", id);
        c = ctx_at(f, "wum", "2026-03-09 09:00");
        assert_int_equal(leave_service_return(&c, id, NULL, &o), -EBUSY);
        assert_string_equal(o.refusal.rule, "not_started");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_ACTIVE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_int_equal(o.entries[0].state, LEAVE_STATE_APPROVED);
        leave_outcome_done(&o);

        /* Under way: cancelling is too late; a return in the future is refused. */
        c = ctx_at(f, "wum", "2026-03-10 15:00");
        assert_int_equal(leave_service_cancel(&c, id, &o), -EBUSY);
        assert_string_equal(o.refusal.rule, "already_started");
        assert_int_equal(o.leave.state, LEAVE_STATE_STARTED);
        leave_outcome_done(&o);
        at = T(f, "2026-03-10 16:00", false);
        assert_int_equal(leave_service_return(&c, id, &at, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "bad_return_time");
        assert_string_equal(o.refusal.field, "at");
        leave_outcome_done(&o);

        /* Past its end with no report: overdue, in the overdue list. */
        c = ctx_at(f, "wum", "2026-03-11 14:00");
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_OVERDUE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_int_equal(o.entries[0].state, LEAVE_STATE_OVERDUE);
        assert_int_equal(o.entries[0].stored.leave.id, id);
        leave_outcome_done(&o);
        at = T(f, "2026-03-11 11:40", false);
        assert_int_equal(leave_service_return(&c, id, &at, &o), 0);
        assert_int_equal(o.leave.state, LEAVE_STATE_RETURNED);
        assert_int_equal(leave_time_compare(o.leave.stored.leave.returned, at), 0);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_OVERDUE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 0);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_return(&c, id, NULL, &o), -ESTALE);
        assert_string_equal(o.refusal.rule, "closed");
        leave_outcome_done(&o);

        /* The history: who did what, when. */
        assert_int_equal(leave_service_show(&c, id, &o), 0);
        assert_int_equal(o.n_events, 3);
        assert_string_equal(o.events[0].action, LEAVE_ACTION_REQUEST);
        assert_string_equal(o.events[0].actor, "wum");
        e = find_event(&o, LEAVE_ACTION_APPROVE);
        assert_non_null(e);
        assert_string_equal(e->actor, "zhaods");
        assert_true(e->at_usec > o.events[0].at_usec);
        e = find_event(&o, LEAVE_ACTION_RETURN);
        assert_non_null(e);
        assert_string_equal(e->actor, "wum");
        assert_string_equal(e->note, "returned at 2026-03-11 11:40");
        assert_int_equal(o.n_violations, 0);
        leave_outcome_done(&o);

        /* Cancelling one's own, and rejecting, are recorded too. */
        gone = file(f, "wum", "2026-03-12 09:00", req(f, NULL, "2026-03-20", "2026-03-20"));
        c = ctx_at(f, "wum", "2026-03-12 09:10");
        assert_int_equal(leave_service_cancel(&c, gone, &o), 0);
        assert_int_equal(o.leave.state, LEAVE_STATE_CANCELLED);
        leave_outcome_done(&o);
        other = file(f, "wum", "2026-03-12 09:00", req(f, NULL, "2026-03-21", "2026-03-21"));
        c = ctx_at(f, "zhaods", "2026-03-12 09:20");
        assert_int_equal(leave_service_reject(&c, other, "值班人手不足", false, &o), 0);
        assert_int_equal(o.leave.state, LEAVE_STATE_REJECTED);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_show(&c, gone, &o), 0);
        assert_non_null(find_event(&o, LEAVE_ACTION_CANCEL));
        leave_outcome_done(&o);
        assert_int_equal(leave_service_show(&c, other, &o), 0);
        e = find_event(&o, LEAVE_ACTION_REJECT);
        assert_non_null(e);
        assert_string_equal(e->actor, "zhaods");
        assert_string_equal(e->note, "值班人手不足");
        assert_string_equal(o.leave.stored.leave.decided_by, "zhaods");
        leave_outcome_done(&o);

        /* Approved after it began: unexcused. */
        id = file(f, "wum", "2026-03-12 09:00", req(f, NULL, "2026-03-13", "2026-03-13"));
        c = ctx_at(f, "zhaods", "2026-03-13 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), 0);
        assert_true(o.leave.unexcused);
        assert_true(o.leave.stored.leave.unexcused);
        assert_int_equal(o.leave.state, LEAVE_STATE_STARTED);
        leave_outcome_done(&o);
}

static void test_paperwork(void **state) {
        Fixture *f = *state;
        LeaveServiceContext c;
        LeaveOutcome o;
        int64_t urgent, plain;
        Leave l;

        l = req(f, NULL, "2026-03-03", "2026-03-04");
        l.urgent = true;
        urgent = file(f, "wum", "2026-03-02 20:00", l);
        plain = file(f, "wum", "2026-03-02 20:00", req(f, NULL, "2026-03-20", "2026-03-20"));

        /* Due 03-04; late from 03-05 on, pending or not. */
        c = ctx_at(f, "wum", "2026-03-04 17:00");
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_OVERDUE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 0);
        leave_outcome_done(&o);
        c = ctx_at(f, "wum", "2026-03-05 09:00");
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_OVERDUE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_true(o.entries[0].paperwork_overdue);
        assert_int_equal(o.entries[0].stored.leave.paperwork_due, D("2026-03-04"));
        leave_outcome_done(&o);

        assert_int_equal(leave_service_paperwork(&c, urgent, &o), 0);
        assert_true(o.leave.stored.leave.paperwork_done);
        assert_false(o.leave.paperwork_overdue);
        leave_outcome_done(&o);
        assert_int_equal(leave_service_paperwork(&c, urgent, &o), -EALREADY);
        assert_string_equal(o.refusal.rule, "paperwork_done");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_paperwork(&c, plain, &o), -EINVAL);
        assert_string_equal(o.refusal.rule, "not_urgent");
        leave_outcome_done(&o);
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_OVERDUE, NULL, &o), 0);
        assert_int_equal(o.n_entries, 0);
        leave_outcome_done(&o);

        c = ctx_at(f, "wum", "2026-03-05 09:00");
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_PENDING, NULL, &o), 0);
        assert_int_equal(o.n_entries, 2);
        /* Newest first. */
        assert_int_equal(o.entries[0].stored.leave.id, plain);
        leave_outcome_done(&o);
}

/* Approved and started leave keeps people off the roster; pending leave does not. */
static void test_absences(void **state) {
        Fixture *f = *state;
        DutyAbsences a = {};
        bool seen_zhangw = false, seen_chenzq = false;
        int64_t id;

        approve(f, "wangjg", "2026-03-02 10:00", file(f, "zhangw", "2026-03-02 09:00", req(f, NULL, "2026-03-10", "2026-03-12")));
        (void) file(f, "liuf", "2026-03-02 09:00", req(f, NULL, "2026-03-11", "2026-03-11"));
        id = file(f, "chenzq", "2026-02-25 09:00", req(f, NULL, "2026-03-03", "2026-03-06"));
        approve(f, "wangjg", "2026-02-25 10:00", id);
        {
                LeaveServiceContext c = ctx_at(f, "chenzq", "2026-03-04 12:00");
                LeaveTime at = T(f, "2026-03-04 10:00", false);
                LeaveOutcome o;

                assert_int_equal(leave_service_return(&c, id, &at, &o), 0);
                leave_outcome_done(&o);
        }

        assert_int_equal(duty_absences_collect(f->store, f->config, D("2026-03-01"), D("2026-03-31"), &a), 0);
        for (size_t i = 0; i < a.n; i++) {
                const RosterAbsence *x = &a.items[i];

                if (x->kind != ROSTER_ABSENCE_LEAVE)
                        continue;
                assert_string_not_equal(x->person, "liuf");
                if (streq(x->person, "zhangw")) {
                        assert_int_equal(x->from, D("2026-03-10"));
                        assert_int_equal(x->to, D("2026-03-12"));
                        seen_zhangw = true;
                }
                if (streq(x->person, "chenzq")) {
                        /* Back on 03-04 at 10:00: away until then only. */
                        assert_int_equal(x->from, D("2026-03-03"));
                        assert_int_equal(x->to, D("2026-03-04"));
                        seen_chenzq = true;
                }
        }
        assert_true(seen_zhangw);
        assert_true(seen_chenzq);
        duty_absences_done(&a);

        /* Clipped to the range asked for. */
        assert_int_equal(duty_absences_collect(f->store, f->config, D("2026-03-11"), D("2026-03-11"), &a), 0);
        seen_zhangw = false;
        for (size_t i = 0; i < a.n; i++)
                if (a.items[i].kind == ROSTER_ABSENCE_LEAVE && streq(a.items[i].person, "zhangw")) {
                        assert_int_equal(a.items[i].from, D("2026-03-11"));
                        assert_int_equal(a.items[i].to, D("2026-03-11"));
                        seen_zhangw = true;
                }
        assert_true(seen_zhangw);
        duty_absences_done(&a);
}

/* The replies api-leave.c builds from the service's results are what the interface declares. */
static void assert_valid(const VarlinkIdl *idl, const char *method, bool error, json_t *params) {
        _cleanup_free_ char *path = NULL;
        int r;

        assert_non_null(params);
        r = error ? varlink_idl_validate_error(idl, method, params, &path)
                  : varlink_idl_validate_full(idl, method, true, params, &path);
        if (r < 0)
                fail_msg("%s: %s does not match the interface", method, strna(path));
        json_decref(params);
}

static void test_interface(void **state) {
        Fixture *f = *state;
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ char *error = NULL;
        LeaveServiceContext c;
        LeaveOutcome o;
        int64_t id;
        Leave l;

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, &error), 0);

        /* Every field filled: urgent, acting, decided, returned, with violations and history. */
        assert_int_equal(store_assignment_set(f->store, D("2026-03-04"), "leader_on_call", 0, "lixy", false, NULL, NULL), 0);
        l = req(f, "lixy", "2026-03-03 pm", "2026-03-04 evening");
        l.urgent = true;
        l.acting = (char *) "ouyangmh";
        c = ctx_at(f, "lixy", "2026-03-02 09:00");
        assert_int_equal(leave_service_check(&c, &l, &o), 0);
        assert_true(o.n_violations >= 2);
        assert_valid(idl, "LeaveCheck", false,
                     json_pack("{s:o, s:o, s:b}", "leave", leave_entry_to_json(f->config, &o.leave),
                               "violations", leave_violations_to_json(o.violations, o.n_violations, "zh"),
                               "allowed", o.allowed));
        leave_outcome_done(&o);
        assert_int_equal(leave_service_request(&c, &l, &o), 0);
        id = o.leave.stored.leave.id;
        assert_valid(idl, "LeaveRequest", false,
                     json_pack("{s:o, s:o}", "leave", leave_entry_to_json(f->config, &o.leave),
                               "violations", leave_violations_to_json(o.violations, o.n_violations, "en")));
        leave_outcome_done(&o);

        c = ctx_at(f, "wangjg", "2026-03-02 10:00");
        assert_int_equal(leave_service_approve(&c, id, NULL, false, &o), -ECANCELED);
        assert_valid(idl, "LeaveRefused", true,
                     json_pack("{s:s, s:s, s:o, s:o}", "reason", o.refusal.rule, "message", o.refusal.message,
                               "violations", leave_violations_to_json(o.violations, o.n_violations, "zh"),
                               "leave", leave_entry_to_json(f->config, &o.leave)));
        leave_outcome_done(&o);
        assert_int_equal(store_assignment_set(f->store, D("2026-03-04"), "leader_on_call", 0, "liuf", false, NULL, NULL), 0);
        assert_int_equal(leave_service_approve(&c, id, "同意", false, &o), 0);
        assert_valid(idl, "LeaveApprove", false,
                     json_pack("{s:o, s:o}", "leave", leave_entry_to_json(f->config, &o.leave),
                               "violations", leave_violations_to_json(o.violations, o.n_violations, "zh")));
        leave_outcome_done(&o);

        c = ctx_at(f, "lixy", "2026-03-05 09:00");
        assert_int_equal(leave_service_return(&c, id, NULL, &o), 0);
        assert_valid(idl, "LeaveReturn", false, json_pack("{s:o}", "leave", leave_entry_to_json(f->config, &o.leave)));
        leave_outcome_done(&o);

        assert_int_equal(leave_service_show(&c, id, &o), 0);
        assert_int_equal(o.n_events, 3);
        assert_valid(idl, "LeaveShow", false,
                     json_pack("{s:o, s:o, s:o, s:b}", "leave", leave_entry_to_json(f->config, &o.leave),
                               "events", leave_events_to_json(f->config, o.events, o.n_events),
                               "violations", leave_violations_to_json(o.violations, o.n_violations, "zh"),
                               "approvable", o.allowed));
        leave_outcome_done(&o);

        /* A pending one, with no approver above: the optional fields absent. */
        l = req(f, "wangjg", "2026-03-20", "2026-03-20");
        l.out_of_town = false;
        (void) file(f, "wangjg", "2026-03-02 09:00", l);
        c = ctx_at(f, NULL, "2026-03-05 09:00");
        assert_int_equal(leave_service_list(&c, LEAVE_LIST_ALL, NULL, &o), 0);
        assert_int_equal(o.n_entries, 2);
        {
                json_t *a = json_array();

                for (size_t i = 0; i < o.n_entries; i++)
                        assert_int_equal(json_array_append_new(a, leave_entry_to_json(f->config, &o.entries[i])), 0);
                assert_valid(idl, "LeaveList", false, json_pack("{s:o}", "leaves", a));
        }
        leave_outcome_done(&o);
}

static void test_names(void **state) {
        for (LeaveListFilter i = 0; i < _LEAVE_LIST_MAX; i++)
                assert_int_equal(leave_list_filter_from_string(leave_list_filter_to_string(i)), i);
        assert_int_equal(leave_list_filter_from_string("late"), _LEAVE_LIST_INVALID);
        assert_int_equal(leave_list_filter_from_string(NULL), _LEAVE_LIST_INVALID);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names),
                cmocka_unit_test_setup_teardown(test_store_accessors, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_request_refusals, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_never_together, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_notice_spring_festival, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_on_duty, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_min_leaders_jointly, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_who_decides, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_lifecycle, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_paperwork, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_absences, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_interface, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_admin_override, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
