/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps end to end against a temporary store and the sample office (conf/dutyd.conf): the store's
 * swap accessors, then swap-service.c's requests with their transactions, the rewritten
 * assignments, the history, who sees what, and the recorded expiry. */

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

#include "config-parse.h"
#include "config.h"
#include "date.h"
#include "duty.h"
#include "fixture.h"
#include "store.h"
#include "swap-service.h"
#include "swap.h"

#define MINUTES_PER_DAY 1440

/* A week of June 2026: officers and leaders on call in turn, none twice within two days. */
static const struct {
        const char *day;
        const char *leader;
        const char *officer;
} week[] = {
        { "2026-06-08", "wangjg", "wum" },
        { "2026-06-09", "lixy", "zhenght" },
        { "2026-06-10", "chenzq", "fengj" },
        { "2026-06-11", "liuf", "hejj" },
        { "2026-06-12", "sunlh", "huwb" },
        { "2026-06-13", "ouyangmh", "wum" },
        { "2026-06-14", "zhangw", "linxy" },
};

static int fixture_setup(void **state) {
        Fixture *f = fixture_new("swap-service", FIXTURE_STORE | FIXTURE_CONFIG);

        for (size_t i = 0; i < ELEMENTSOF(week); i++) {
                assert_int_equal(store_assignment_set(f->store, D(week[i].day), "leader_on_call", 0, week[i].leader,
                                                      false, NULL, NULL), 0);
                assert_int_equal(store_assignment_set(f->store, D(week[i].day), "officer_on_duty", 0, week[i].officer,
                                                      false, NULL, NULL), 0);
        }
        *state = f;
        return 0;
}

static int fixture_teardown(void **state) {
        fixture_free(*state);
        return 0;
}

/* `who` (a person id, or NULL for root) acting at local "YYYY-MM-DD", minutes. */
static SwapServiceContext ctx_at(const Fixture *f, const char *who, const char *day, int minutes) {
        SwapServiceContext c = {
                .store = f->store,
                .config = f->config,
                .now_day = D(day),
                .now_minutes = minutes,
                .actor = { .admin = true },
                .sees_all = true,
        };

        /* Any clock that grows with local time does for the record. */
        c.now_usec = ((uint64_t) c.now_day * MINUTES_PER_DAY + (uint64_t) minutes) * 60 * USEC_PER_SEC;
        if (who) {
                const Person *p = config_find_person(f->config, who);

                assert_non_null(p);
                c.uid = 2000 + (uid_t) (p - f->config->people);
                c.actor = (SwapActor) { .person = p->id, .admin = person_has_role(p, ROLE_ADMIN) };
                c.sees_all = person_has_role(p, ROLE_APPROVER) || person_has_role(p, ROLE_ADMIN);
        }
        return c;
}

static SwapServiceContext ctx(const Fixture *f, const char *who) {
        return ctx_at(f, who, "2026-06-01", 10 * 60);
}

/* The stored holder and source of a slot. */
static void expect_slot(const Fixture *f, const char *day, const char *post, const char *person, const char *source) {
        StoreAssignment *a = NULL;
        size_t n = 0;
        bool found = false;

        assert_int_equal(store_assignment_list(f->store, D(day), D(day), &a, &n), 0);
        for (size_t i = 0; i < n; i++)
                if (streq(a[i].post, post) && a[i].slot == 0) {
                        assert_non_null(a[i].person);
                        assert_string_equal(a[i].person, person);
                        assert_string_equal(a[i].source, source);
                        found = true;
                }
        store_assignment_free_many(a, n);
        assert_true(found);
}

static void expect_events(const Fixture *f, int64_t id, const char *const *actions, size_t n_actions) {
        SwapEvent *e = NULL;
        size_t n = 0;

        assert_int_equal(store_swap_event_list(f->store, id, &e, &n), 0);
        assert_int_equal(n, n_actions);
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(e[i].swap_id, id);
                assert_string_equal(e[i].action, actions[i]);
        }
        swap_event_array_free(e, n);
}

static int64_t request_cover(const Fixture *f, const char *who, const char *day, const char *by) {
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext c = ctx(f, who);
        SwapRequest req = {
                .kind = SWAP_KIND_COVER,
                .counterpart = by,
                .day = D(day),
                .their_day = DAY_NONE,
        };

        assert_int_equal(swap_service_request(&c, &req, &o), 0);
        assert_int_equal(o.refusal.kind, REFUSAL_NONE);
        assert_int_equal(o.entry.state, SWAP_STATE_PROPOSED);
        return o.entry.swap.id;
}

/* ---- The store ---- */

static void test_store_accessors(void **state) {
        Fixture *f = *state;
        Swap s = {
                .kind = SWAP_KIND_SWAP,
                .state = SWAP_STATE_PROPOSED,
                .requester = (char *) "wum",
                .counterpart = (char *) "hejj",
                .day = D("2026-06-08"),
                .post = (char *) "officer_on_duty",
                .slot = 0,
                .their_day = D("2026-06-11"),
                .their_post = (char *) "officer_on_duty",
                .their_slot = 0,
                .reason = (char *) "家中有事",
                .created_usec = 100,
                .updated_usec = 100,
        };
        Swap c = {
                .kind = SWAP_KIND_COVER,
                .state = SWAP_STATE_PROPOSED,
                .requester = (char *) "fengj",
                .counterpart = (char *) "linxy",
                .day = D("2026-06-10"),
                .post = (char *) "officer_on_duty",
                .slot = 0,
                .their_day = DAY_NONE,
                .their_slot = -1,
                .created_usec = 200,
                .updated_usec = 200,
        };
        _cleanup_(swap_done) Swap got = {};
        Swap *list = NULL;
        SwapEvent *events = NULL;
        size_t n = 0;
        int64_t id1, id2;

        assert_int_equal(store_swap_insert(f->store, &s, &id1), 0);
        assert_int_equal(store_swap_insert(f->store, &c, &id2), 0);
        assert_true(id2 > id1);

        assert_int_equal(store_swap_get(f->store, id1, &got), 0);
        assert_int_equal(got.id, id1);
        assert_int_equal(got.kind, SWAP_KIND_SWAP);
        assert_string_equal(got.requester, "wum");
        assert_string_equal(got.counterpart, "hejj");
        assert_int_equal(got.their_day, D("2026-06-11"));
        assert_string_equal(got.their_post, "officer_on_duty");
        assert_string_equal(got.reason, "家中有事");
        assert_null(got.approved_by);
        swap_done(&got);
        assert_int_equal(store_swap_get(f->store, id2, &got), 0);
        assert_int_equal(got.their_day, DAY_NONE);
        assert_null(got.their_post);
        assert_int_equal(got.their_slot, -1);
        assert_int_equal(store_swap_get(f->store, id2 + 1, &got), -ENOENT);

        /* Malformed records are not stored. */
        c.their_day = D("2026-06-12");
        assert_int_equal(store_swap_insert(f->store, &c, NULL), -EINVAL);
        c.their_day = DAY_NONE;

        /* Filters: a party, a day touched (the counterpart's too), states, a limit; newest first. */
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .from = DAY_NONE, .to = DAY_NONE }, &list, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(list[0].id, id2);
        list = swap_array_free(list, n);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .person = "hejj", .from = DAY_NONE, .to = DAY_NONE },
                                         &list, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(list[0].id, id1);
        list = swap_array_free(list, n);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .from = D("2026-06-11"), .to = D("2026-06-11") },
                                         &list, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(list[0].id, id1);
        list = swap_array_free(list, n);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .from = D("2026-06-12"), .to = DAY_NONE },
                                         &list, &n), 0);
        assert_int_equal(n, 0);
        list = swap_array_free(list, n);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .from = DAY_NONE, .to = DAY_NONE, .limit = 1 },
                                         &list, &n), 0);
        assert_int_equal(n, 1);
        list = swap_array_free(list, n);

        /* A compare-and-set on the state. */
        got.id = 0;
        swap_done(&got);
        assert_int_equal(store_swap_get(f->store, id1, &got), 0);
        got.state = SWAP_STATE_ACCEPTED;
        got.updated_usec = 300;
        assert_int_equal(store_swap_update_state(f->store, &got, SWAP_STATE_ACCEPTED), -ESTALE);
        assert_int_equal(store_swap_update_state(f->store, &got, SWAP_STATE_PROPOSED), 0);
        assert_int_equal(store_swap_update_state(f->store, &got, SWAP_STATE_PROPOSED), -ESTALE);
        got.id = id2 + 10;
        assert_int_equal(store_swap_update_state(f->store, &got, SWAP_STATE_PROPOSED), -ENOENT);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) {
                                                 .states = STORE_SWAP_STATE_BIT(SWAP_STATE_ACCEPTED),
                                                 .from = DAY_NONE, .to = DAY_NONE }, &list, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(list[0].id, id1);
        assert_int_equal(list[0].updated_usec, 300);
        list = swap_array_free(list, n);

        /* The history, oldest first. */
        assert_int_equal(store_swap_event_append(f->store, id1, 100, 1001, "wum", "requested", "家中有事", NULL), 0);
        assert_int_equal(store_swap_event_append(f->store, id1, 300, 2000, "hejj", "accepted", NULL, NULL), 0);
        assert_int_equal(store_swap_event_append(f->store, id1, 300, 0, NULL, "", NULL, NULL), -EINVAL);
        assert_int_equal(store_swap_event_list(f->store, id1, &events, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(events[0].action, "requested");
        assert_string_equal(events[0].note, "家中有事");
        assert_int_equal(events[0].uid, 1001);
        assert_string_equal(events[1].actor, "hejj");
        assert_null(events[1].note);
        swap_event_array_free(events, n);
}

/* ---- The service ---- */

static void test_cover_applied(void **state) {
        Fixture *f = *state;
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext fengj = ctx(f, "fengj"), linxy = ctx(f, "linxy"), chenzq = ctx(f, "chenzq");
        static const char *const path[] = { "requested", "accepted", "approved", "applied" };
        int64_t id;

        /* A slot planned over an unknown year keeps its flag when it changes hands. */
        assert_int_equal(store_assignment_set_assume_ordinary(f->store, D("2026-06-10"), "officer_on_duty", 0, true), 0);

        id = request_cover(f, "fengj", "2026-06-10", "linxy");
        assert_int_equal(swap_service_accept(&linxy, id, &o), 0);
        assert_int_equal(o.entry.state, SWAP_STATE_ACCEPTED);
        swap_outcome_done(&o);

        /* chenzq, a leader without the approver role, is on call that day. */
        assert_int_equal(swap_service_approve(&chenzq, id, &o), 0);
        assert_int_equal(o.refusal.kind, REFUSAL_NONE);
        assert_int_equal(o.entry.state, SWAP_STATE_APPLIED);
        assert_string_equal(o.entry.swap.approved_by, "chenzq");
        /* Nothing of it was published: no amendment. */
        assert_int_equal(o.n_amendments, 0);
        swap_outcome_done(&o);

        expect_slot(f, "2026-06-10", "officer_on_duty", "linxy", "substitution");
        expect_slot(f, "2026-06-10", "leader_on_call", "chenzq", "generated");
        expect_events(f, id, path, ELEMENTSOF(path));
        {
                StoreAssignment *a = NULL;
                size_t n = 0;

                assert_int_equal(store_assignment_list(f->store, D("2026-06-10"), D("2026-06-10"), &a, &n), 0);
                for (size_t i = 0; i < n; i++)
                        if (streq(a[i].post, "officer_on_duty")) {
                                assert_true(a[i].assume_ordinary);
                                assert_false(a[i].locked);
                        }
                store_assignment_free_many(a, n);
        }

        /* Applied is final. */
        assert_int_equal(swap_service_cancel(&fengj, id, NULL, &o), 1);
        assert_int_equal(o.refusal.kind, REFUSAL_SWAP);
        assert_non_null(o.refusal.message);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_STATE));
        assert_int_equal(o.entry.state, SWAP_STATE_APPLIED);
        expect_events(f, id, path, ELEMENTSOF(path));
}

static void test_exchange_applied(void **state) {
        Fixture *f = *state;
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        _cleanup_(refusal_done) Refusal problem = {};
        StoreAmendment *rows = NULL;
        size_t n_rows = 0;
        int version = 0;
        SwapServiceContext wum = ctx(f, "wum"), hejj = ctx(f, "hejj"), root = ctx(f, NULL);
        SwapRequest req = {
                .kind = SWAP_KIND_SWAP,
                .requester = "ignored",
                .counterpart = "hejj",
                .day = D("2026-06-08"),
                .their_day = DAY_NONE,
        };
        int64_t id;

        /* Without their day: hejj's next duty on the post, 06-11. */
        assert_int_equal(swap_service_request(&wum, &req, &o), 0);
        assert_string_equal(o.entry.swap.requester, "wum");
        assert_int_equal(o.entry.swap.their_day, D("2026-06-11"));
        id = o.entry.swap.id;
        swap_outcome_done(&o);

        assert_int_equal(swap_service_accept(&hejj, id, &o), 0);
        swap_outcome_done(&o);

        /* 06-08 is published, 06-11 is not: the approval amends version 1 on 06-08 only. */
        assert_int_equal(duty_publish(f->store, f->config, D("2026-06-08"), D("2026-06-08"), 50, &version, NULL,
                                      &problem), 0);
        assert_int_equal(version, 1);

        assert_int_equal(swap_service_approve(&root, id, &o), 0);
        assert_int_equal(o.entry.state, SWAP_STATE_APPLIED);
        assert_null(o.entry.swap.approved_by);

        expect_slot(f, "2026-06-08", "officer_on_duty", "hejj", "swap");
        expect_slot(f, "2026-06-11", "officer_on_duty", "wum", "swap");

        assert_int_equal(o.n_amendments, 1);
        assert_int_equal(o.amendments[0].day, D("2026-06-08"));
        assert_string_equal(o.amendments[0].before, "wum");
        assert_string_equal(o.amendments[0].after, "hejj");
        assert_int_equal(o.amendments[0].version, 1);
        assert_null(o.amendments[0].by);
        assert_int_equal(store_amendment_list(f->store, D("2026-06-01"), D("2026-06-30"), &rows, &n_rows), 0);
        assert_int_equal(n_rows, 1);
        assert_int_equal(rows[0].id, o.amendments[0].id);
        assert_non_null(strstr(rows[0].reason, "#"));
        store_amendment_free_many(rows, n_rows);
}

static void test_refusals_keep_nothing(void **state) {
        Fixture *f = *state;
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext fengj = ctx(f, "fengj"), linxy = ctx(f, "linxy"), hejj = ctx(f, "hejj"),
                chenzq = ctx(f, "chenzq"), root = ctx(f, NULL);
        SwapRequest req = {
                .kind = SWAP_KIND_COVER,
                .counterpart = "hejj",     /* on duty 06-11: no rest */
                .day = D("2026-06-10"),
                .their_day = DAY_NONE,
        };
        Swap *list = NULL;
        size_t n = 0;
        int64_t a, b;

        assert_int_equal(swap_service_request(&fengj, &req, &o), 1);
        assert_int_equal(o.refusal.kind, REFUSAL_SWAP);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_REST));
        assert_string_equal(o.refusal.person, "hejj");
        swap_outcome_done(&o);
        assert_int_equal(store_swap_list(f->store, &(StoreSwapFilter) { .from = DAY_NONE, .to = DAY_NONE }, &list, &n), 0);
        assert_int_equal(n, 0);
        list = swap_array_free(list, n);

        /* Not on the staff list: the refusal names who was asked, as given. */
        req.counterpart = "stranger";
        assert_int_equal(swap_service_request(&fengj, &req, &o), 1);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_STAFF));
        assert_string_equal(o.refusal.person, "stranger");
        swap_outcome_done(&o);

        /* Root holds no duty to give. */
        req.counterpart = "linxy";
        assert_int_equal(swap_service_request(&root, &req, &o), -EPERM);
        swap_outcome_done(&o);

        /* Two offers for one duty: the second approval is refused and keeps nothing. */
        a = request_cover(f, "fengj", "2026-06-10", "linxy");
        b = request_cover(f, "fengj", "2026-06-10", "zhouxd");
        assert_int_equal(swap_service_accept(&linxy, a, &o), 0);
        swap_outcome_done(&o);
        {
                SwapServiceContext zhouxd = ctx(f, "zhouxd");

                assert_int_equal(swap_service_accept(&zhouxd, b, &o), 0);
                swap_outcome_done(&o);
        }
        assert_int_equal(swap_service_approve(&chenzq, a, &o), 0);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_approve(&chenzq, b, &o), 1);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_ROSTER_CHANGED));
        assert_string_equal(o.refusal.person, "fengj");
        assert_int_equal(o.entry.state, SWAP_STATE_ACCEPTED);
        assert_null(o.entry.swap.approved_by);
        swap_outcome_done(&o);
        expect_slot(f, "2026-06-10", "officer_on_duty", "linxy", "substitution");
        {
                static const char *const kept[] = { "requested", "accepted" };

                expect_events(f, b, kept, ELEMENTSOF(kept));
        }
        assert_false(store_in_transaction(f->store));

        /* Someone else than the counterpart does not see it, let alone accept it. */
        assert_int_equal(swap_service_accept(&hejj, b, &o), -ENOENT);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_show(&hejj, b, &o), -ENOENT);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_show(&hejj, 9999, &o), -ENOENT);
}

static void test_visibility(void **state) {
        Fixture *f = *state;
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext chenzq = ctx(f, "chenzq"), liuf = ctx(f, "liuf"), hejj = ctx(f, "hejj"),
                zhangw = ctx(f, "zhangw"), wum = ctx(f, "wum");
        int64_t a, b;

        a = request_cover(f, "fengj", "2026-06-10", "linxy");     /* chenzq on call */
        b = request_cover(f, "hejj", "2026-06-11", "zhenght");    /* liuf on call */

        /* A member leader sees what they may approve; a member officer their own; an approver all. */
        assert_int_equal(swap_service_list(&chenzq, false, false, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_int_equal(o.entries[0].swap.id, a);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_list(&liuf, false, true, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_int_equal(o.entries[0].swap.id, b);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_list(&liuf, true, false, &o), 0);
        assert_int_equal(o.n_entries, 0);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_list(&hejj, false, false, &o), 0);
        assert_int_equal(o.n_entries, 1);
        assert_int_equal(o.entries[0].swap.id, b);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_list(&wum, false, false, &o), 0);
        assert_int_equal(o.n_entries, 0);
        swap_outcome_done(&o);
        assert_int_equal(swap_service_list(&zhangw, false, false, &o), 0);
        assert_int_equal(o.n_entries, 2);
        assert_int_equal(o.entries[0].swap.id, b);
        swap_outcome_done(&o);

        assert_int_equal(swap_service_show(&chenzq, a, &o), 0);
        assert_int_equal(o.n_events, 1);
        assert_string_equal(o.events[0].action, "requested");
        assert_string_equal(o.events[0].actor, "fengj");
        swap_outcome_done(&o);
        assert_int_equal(swap_service_show(&chenzq, b, &o), -ENOENT);
        swap_outcome_done(&o);

        /* An approver who is not on call sees it but may not approve it. */
        assert_int_equal(swap_service_approve(&zhangw, a, &o), 1);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_NOT_APPROVER));
        swap_outcome_done(&o);
}

static void test_expiry_recorded(void **state) {
        Fixture *f = *state;
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext fengj_late = ctx_at(f, "fengj", "2026-06-09", 9 * 60), root_late = ctx_at(f, NULL, "2026-06-09", 9 * 60);
        static const char *const expired[] = { "requested", "expired" };
        Swap s = {};
        int64_t id;

        /* Asked for 06-10; by 06-09 09:00 (after 08:30) the day of lead time has run out. */
        id = request_cover(f, "fengj", "2026-06-10", "linxy");
        assert_int_equal(swap_service_show(&root_late, id, &o), 0);
        assert_int_equal(o.entry.state, SWAP_STATE_EXPIRED);
        assert_int_equal(o.entry.deadline_day, D("2026-06-09"));
        assert_int_equal(o.entry.deadline_minutes, f->config->handover_minutes);
        swap_outcome_done(&o);

        /* Shown expired, still stored as proposed until a change records it. */
        assert_int_equal(store_swap_get(f->store, id, &s), 0);
        assert_int_equal(s.state, SWAP_STATE_PROPOSED);
        swap_done(&s);

        assert_int_equal(swap_service_request(&fengj_late, &(SwapRequest) {
                                                       .kind = SWAP_KIND_COVER, .counterpart = "linxy",
                                                       .day = D("2026-06-10"), .their_day = DAY_NONE }, &o), 1);
        assert_string_equal(o.refusal.rule, swap_rule_to_string(SWAP_RULE_LEAD_TIME));
        swap_outcome_done(&o);
        /* A refused request records nothing, the expiry neither. */
        assert_int_equal(store_swap_get(f->store, id, &s), 0);
        assert_int_equal(s.state, SWAP_STATE_PROPOSED);
        swap_done(&s);

        {
                SwapServiceContext wum_late = ctx_at(f, "wum", "2026-06-09", 9 * 60);

                assert_int_equal(swap_service_request(&wum_late, &(SwapRequest) {
                                                               .kind = SWAP_KIND_COVER, .counterpart = "zhenght",
                                                               .day = D("2026-06-13"), .their_day = DAY_NONE }, &o), 0);
                swap_outcome_done(&o);
        }
        assert_int_equal(store_swap_get(f->store, id, &s), 0);
        assert_int_equal(s.state, SWAP_STATE_EXPIRED);
        swap_done(&s);
        expect_events(f, id, expired, ELEMENTSOF(expired));
        {
                SwapEvent *e = NULL;
                size_t n = 0;

                assert_int_equal(store_swap_event_list(f->store, id, &e, &n), 0);
                assert_null(e[1].actor);
                swap_event_array_free(e, n);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_store_accessors, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_cover_applied, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_exchange_applied, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_refusals_keep_nothing, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_visibility, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_expiry_recorded, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
