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
#include "config.h"
#include "date.h"
#include "days.h"
#include "roster.h"
#include "swap.h"

#define OFFICE_PEOPLE_MAX 16
#define OFFICE_SLOTS_MAX 64
#define OFFICE_ABSENCES_MAX 8
#define HANDOVER (8 * 60 + 30)

/* ---- A small office: four leaders, six officers, one person with both roles ---- */

typedef struct Office {
        Person people[OFFICE_PEOPLE_MAX];
        Post posts[2];
        Config config;
        Calendar cal;
        RosterSlot slots[OFFICE_SLOTS_MAX];
        size_t n_slots;
        RosterAbsence absences[OFFICE_ABSENCES_MAX];
        size_t n_absences;
        SwapContext ctx;
} Office;

static const char *const leaders[] = { "l1", "l2", "l3", "l4" };
static const char *const officers[] = { "o1", "o2", "o3", "o4", "o5", "o6" };

static void office_add_slot(Office *o, const char *day, const char *post, int slot, const char *person) {
        assert_true(o->n_slots < OFFICE_SLOTS_MAX);
        o->slots[o->n_slots++] = (RosterSlot) {
                .day = D(day),
                .post = post,
                .slot = slot,
                .person = person,
        };
}

static RosterSlot *office_slot(Office *o, const char *day, const char *post) {
        for (size_t i = 0; i < o->n_slots; i++)
                if (o->slots[i].day == D(day) && streq(o->slots[i].post, post))
                        return &o->slots[i];
        fail_msg("no slot %s %s", day, post);
        return NULL;
}

static void office_add_absence(Office *o, const char *person, const char *from, const char *to,
                               RosterAbsenceKind kind) {
        assert_true(o->n_absences < OFFICE_ABSENCES_MAX);
        o->absences[o->n_absences++] = (RosterAbsence) {
                .person = person, .from = D(from), .to = D(to), .kind = kind,
        };
        o->ctx.n_absences = o->n_absences;
}

static void office_set_now(Office *o, const char *day, int minutes) {
        o->ctx.now_day = D(day);
        o->ctx.now_minutes = minutes;
}

/* The roster of 2026-05-11 (Monday) … 2026-05-20: leaders l1 … l4 and officers o1 … o6 in turn;
 * "now" is 2026-05-01 10:00, well before any of it. */
static void office_init(Office *o) {
        size_t n = 0;
        Day first = D("2026-05-11");

        memset(o, 0, sizeof(*o));
        for (size_t i = 0; i < ELEMENTSOF(leaders); i++)
                o->people[n++] = (Person) {
                        .id = (char *) leaders[i], .name = (char *) leaders[i],
                        .roles = ROLE_BIT(ROLE_LEADER), .active_from = DAY_NONE, .active_until = DAY_NONE,
                };
        for (size_t i = 0; i < ELEMENTSOF(officers); i++)
                o->people[n++] = (Person) {
                        .id = (char *) officers[i], .name = (char *) officers[i],
                        .roles = ROLE_BIT(ROLE_OFFICER), .active_from = DAY_NONE, .active_until = DAY_NONE,
                };
        o->people[n++] = (Person) {
                .id = (char *) "both", .name = (char *) "两者",
                .roles = ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_OFFICER),
                .active_from = DAY_NONE, .active_until = DAY_NONE,
        };

        o->posts[0] = (Post) {
                .id = (char *) "leader_on_call", .name = (char *) "带班领导", .role = ROLE_LEADER,
                .count = { 1, 1, 1, 1 },
        };
        o->posts[1] = (Post) {
                .id = (char *) "officer_on_duty", .name = (char *) "值班员", .role = ROLE_OFFICER,
                .count = { 1, 1, 1, 1 },
        };

        o->config = (Config) {
                .people = o->people, .n_people = n,
                .posts = o->posts, .n_posts = 2,
                .handover_minutes = HANDOVER,
                .roster = { .min_rest_days = 1 },
                .swap = { .lead_days = 1, .leader_approves = true },
        };

        for (int i = 0; i < 10; i++) {
                char day[DAY_STRING_MAX];

                day_format(first + i, day);
                o->slots[o->n_slots++] = (RosterSlot) {
                        .day = first + i, .post = "leader_on_call", .slot = 0, .person = leaders[i % 4],
                };
                o->slots[o->n_slots++] = (RosterSlot) {
                        .day = first + i, .post = "officer_on_duty", .slot = 0, .person = officers[i % 6],
                };
        }

        o->ctx = (SwapContext) {
                .config = &o->config,
                .calendar = &o->cal,
                .slots = o->slots,
                .n_slots = o->n_slots,
                .absences = o->absences,
                .n_absences = 0,
        };
        office_set_now(o, "2026-05-01", 10 * 60);
}

static void office_sync(Office *o) {
        o->ctx.n_slots = o->n_slots;
}

static SwapRequest cover(const char *requester, const char *day, const char *by) {
        return (SwapRequest) {
                .kind = SWAP_KIND_COVER, .requester = requester, .counterpart = by,
                .day = D(day), .their_day = DAY_NONE,
        };
}

static SwapRequest swap_with(const char *requester, const char *day, const char *with, const char *their_day) {
        return (SwapRequest) {
                .kind = SWAP_KIND_SWAP, .requester = requester, .counterpart = with,
                .day = D(day), .their_day = their_day ? D(their_day) : DAY_NONE,
        };
}

/* Proposes and expects a refusal by `rule` on `day` (NULL: none) about `person` (NULL: any). */
static void expect_refused(Office *o, SwapRequest req, SwapRule rule, const char *day, const char *person) {
        Swap s = {};
        SwapRefusal x = {};
        int r;

        r = swap_propose(&o->ctx, &req, &s, &x);
        if (r != 1)
                fail_msg("expected a refusal by %s, got %d", swap_rule_to_string(rule), r);
        assert_string_equal(swap_rule_to_string(x.rule), swap_rule_to_string(rule));
        if (day)
                assert_int_equal(x.day, D(day));
        if (person) {
                assert_non_null(x.person);
                assert_string_equal(x.person, person);
        }
        /* Nothing is handed back with a refusal. */
        assert_null(s.requester);
        assert_null(s.post);
}

static void expect_proposed(Office *o, SwapRequest req, Swap *ret) {
        SwapRefusal x = {};
        int r;

        r = swap_propose(&o->ctx, &req, ret, &x);
        if (r != 0)
                fail_msg("expected the request to pass, got %d (%s)", r, r > 0 ? swap_rule_to_string(x.rule) : "error");
        assert_int_equal(ret->state, SWAP_STATE_PROPOSED);
        assert_true(swap_is_valid(ret));
}

/* ---- Names ---- */

static void test_strings(void **state) {
        for (SwapKind k = 0; k < _SWAP_KIND_MAX; k++) {
                assert_int_equal(swap_kind_from_string(swap_kind_to_string(k)), k);
                assert_non_null(swap_kind_to_zh(k));
        }
        for (SwapState s = 0; s < _SWAP_STATE_MAX; s++) {
                assert_int_equal(swap_state_from_string(swap_state_to_string(s)), s);
                assert_non_null(swap_state_to_zh(s));
        }
        for (SwapAction a = 0; a < _SWAP_ACTION_MAX; a++) {
                assert_int_equal(swap_action_from_string(swap_action_to_string(a)), a);
                assert_non_null(swap_action_to_zh(a));
        }
        for (SwapRule r = 0; r < _SWAP_RULE_MAX; r++) {
                assert_int_equal(swap_rule_from_string(swap_rule_to_string(r)), r);
                assert_non_null(swap_rule_message(r, "zh"));
                assert_non_null(swap_rule_message(r, "en"));
        }

        assert_int_equal(swap_kind_from_string("exchange"), _SWAP_KIND_INVALID);
        assert_int_equal(swap_state_from_string(NULL), _SWAP_STATE_INVALID);
        assert_null(swap_rule_to_string(_SWAP_RULE_MAX));
        assert_string_equal(swap_kind_source(SWAP_KIND_SWAP), "swap");
        assert_string_equal(swap_kind_source(SWAP_KIND_COVER), "substitution");
        assert_int_equal(swap_action_target(SWAP_ACTION_REFUSE), _SWAP_STATE_INVALID);

        assert_true(swap_state_is_open(SWAP_STATE_PROPOSED));
        assert_true(swap_state_is_open(SWAP_STATE_ACCEPTED));
        assert_false(swap_state_is_open(SWAP_STATE_APPLIED));
        assert_false(swap_state_is_open(SWAP_STATE_EXPIRED));
}

/* ---- Requests that pass ---- */

static void test_propose_cover(void **state) {
        _cleanup_(swap_done) Swap s = {};
        SwapChange ch[SWAP_CHANGES_MAX];
        Office o;

        office_init(&o);
        /* o1 holds 05-11; o5 (05-15) is free around it. */
        expect_proposed(&o, (SwapRequest) { .kind = SWAP_KIND_COVER, .requester = "o1", .counterpart = "o5",
                                             .day = D("2026-05-11"), .their_day = DAY_NONE, .reason = "出差" },
                        &s);
        assert_int_equal(s.kind, SWAP_KIND_COVER);
        assert_string_equal(s.requester, "o1");
        assert_string_equal(s.counterpart, "o5");
        assert_int_equal(s.day, D("2026-05-11"));
        assert_string_equal(s.post, "officer_on_duty");
        assert_int_equal(s.slot, 0);
        assert_int_equal(s.their_day, DAY_NONE);
        assert_null(s.their_post);
        assert_string_equal(s.reason, "出差");

        assert_int_equal(swap_changes(&s, ch), 1);
        assert_int_equal(ch[0].day, D("2026-05-11"));
        assert_string_equal(ch[0].post, "officer_on_duty");
        assert_string_equal(ch[0].person, "o5");
}

static void test_propose_swap(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {};
        SwapChange ch[SWAP_CHANGES_MAX];
        Office o;

        office_init(&o);
        /* o1 (05-11, 05-17) and o3 (05-13, 05-19) exchange 05-11 and 05-13. */
        expect_proposed(&o, (SwapRequest) { .kind = SWAP_KIND_SWAP, .requester = "o1", .counterpart = "o3",
                                             .day = D("2026-05-11"), .their_day = D("2026-05-13") },
                        &s);
        assert_int_equal(s.their_day, D("2026-05-13"));
        assert_string_equal(s.their_post, "officer_on_duty");
        assert_int_equal(swap_first_day(&s), D("2026-05-11"));
        assert_int_equal(swap_last_day(&s), D("2026-05-13"));

        assert_int_equal(swap_changes(&s, ch), 2);
        assert_string_equal(ch[0].person, "o3");
        assert_int_equal(ch[1].day, D("2026-05-13"));
        assert_string_equal(ch[1].person, "o1");

        /* Without their day: the counterpart's next duty on the same post after mine. */
        expect_proposed(&o, (SwapRequest) { .kind = SWAP_KIND_SWAP, .requester = "o1", .counterpart = "o3",
                                             .day = D("2026-05-11"), .their_day = DAY_NONE },
                        &t);
        assert_int_equal(t.their_day, D("2026-05-13"));
        assert_int_equal(swap_first_day(&t), D("2026-05-11"));
}

/* A duty held by someone now on leave (or no longer active) may be handed over: the swap is judged
 * by what it changes, not by what was wrong before. */
static void test_pre_existing_problems_do_not_block(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {};
        Office o;

        office_init(&o);
        /* o1 fell ill after the roster was made: o5 may take over o1's 05-11. */
        office_add_absence(&o, "o1", "2026-05-10", "2026-05-12", ROSTER_ABSENCE_LEAVE);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);

        /* o2's leave on 05-12, between the two days of an exchange, is not the exchange's doing. */
        office_add_absence(&o, "o2", "2026-05-12", "2026-05-12", ROSTER_ABSENCE_LEAVE);
        expect_proposed(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), &t);
}

/* ---- Each refusal ---- */

static void test_refuse_people(void **state) {
        Office o;

        office_init(&o);
        expect_refused(&o, cover("o1", "2026-05-11", "o1"), SWAP_RULE_SELF, NULL, "o1");
        expect_refused(&o, cover("o1", "2026-05-11", "nobody"), SWAP_RULE_STAFF, NULL, "nobody");
        expect_refused(&o, cover("ghost", "2026-05-11", "o5"), SWAP_RULE_STAFF, NULL, "ghost");
        expect_refused(&o, swap_with("o1", "2026-05-11", "stranger", "2026-05-13"), SWAP_RULE_STAFF, NULL, "stranger");
}

static void test_refuse_no_duty(void **state) {
        Office o;

        office_init(&o);
        /* 05-12 is o2's. */
        expect_refused(&o, cover("o1", "2026-05-12", "o5"), SWAP_RULE_NO_DUTY, "2026-05-12", "o1");
        /* o3 holds nothing on 05-14. */
        expect_refused(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-14"), SWAP_RULE_NO_DUTY, "2026-05-14", "o3");
        /* A post named that the person does not hold that day. */
        expect_refused(&o, (SwapRequest) { .kind = SWAP_KIND_COVER, .requester = "o1", .counterpart = "o5",
                                            .day = D("2026-05-11"), .post = "leader_on_call", .their_day = DAY_NONE },
                       SWAP_RULE_NO_DUTY, "2026-05-11", "o1");
        /* No duty of o5's on the officer post in the days after 05-19. */
        expect_refused(&o, swap_with("o3", "2026-05-19", "o5", NULL), SWAP_RULE_NO_DUTY, NULL, "o5");
}

static void test_refuse_ambiguous(void **state) {
        _cleanup_(swap_done) Swap s = {};
        Office o;

        office_init(&o);
        /* "both" holds both posts on 05-15 (a roster that is wrong already). */
        office_slot(&o, "2026-05-15", "leader_on_call")->person = "both";
        office_slot(&o, "2026-05-15", "officer_on_duty")->person = "both";
        expect_refused(&o, cover("both", "2026-05-15", "o1"), SWAP_RULE_AMBIGUOUS, "2026-05-15", "both");

        /* Naming the post settles it. */
        expect_proposed(&o, (SwapRequest) { .kind = SWAP_KIND_COVER, .requester = "both", .counterpart = "o1",
                                             .day = D("2026-05-15"), .post = "officer_on_duty",
                                             .their_day = DAY_NONE },
                        &s);
        assert_string_equal(s.post, "officer_on_duty");
}

static void test_refuse_time(void **state) {
        _cleanup_(swap_done) Swap s = {};
        Office o;

        office_init(&o);

        /* The duty of 05-11 starts at 08:30 that day; with one day of lead time, requests close at
         * 05-10 08:30. */
        office_set_now(&o, "2026-05-10", HANDOVER - 1);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);

        office_set_now(&o, "2026-05-10", HANDOVER);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_LEAD_TIME, "2026-05-11", NULL);
        office_set_now(&o, "2026-05-11", HANDOVER - 1);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_LEAD_TIME, "2026-05-11", NULL);
        office_set_now(&o, "2026-05-11", HANDOVER);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_PAST, "2026-05-11", NULL);
        office_set_now(&o, "2026-05-18", 0);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_PAST, "2026-05-11", NULL);

        /* A swap is as early as its earlier duty: o3's 05-13 for o1's 05-17. */
        office_set_now(&o, "2026-05-12", 9 * 60);
        expect_refused(&o, swap_with("o1", "2026-05-17", "o3", "2026-05-13"), SWAP_RULE_LEAD_TIME, "2026-05-13", NULL);

        /* With no lead time, up to the handover itself. */
        o.config.swap.lead_days = 0;
        office_set_now(&o, "2026-05-11", HANDOVER - 1);
        swap_done(&s);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);
}

static void test_refuse_too_far(void **state) {
        Office o;

        office_init(&o);
        office_add_slot(&o, "2027-06-01", "officer_on_duty", 0, "o3");
        office_sync(&o);
        expect_refused(&o, swap_with("o1", "2026-05-11", "o3", "2027-06-01"), SWAP_RULE_TOO_FAR, "2027-06-01", "o3");
}

static void test_refuse_eligibility(void **state) {
        Office o;

        office_init(&o);
        /* An officer cannot be leader on call, nor a leader officer on duty. */
        expect_refused(&o, cover("l1", "2026-05-11", "o5"), SWAP_RULE_ELIGIBILITY, "2026-05-11", "o5");
        expect_refused(&o, cover("o1", "2026-05-11", "l3"), SWAP_RULE_ELIGIBILITY, "2026-05-11", "l3");
        /* In an exchange both must fit the other's post. */
        expect_refused(&o, swap_with("o1", "2026-05-11", "l3", "2026-05-13"), SWAP_RULE_ELIGIBILITY, NULL, NULL);
}

static void test_refuse_inactive(void **state) {
        Office o;

        office_init(&o);
        o.people[4 + 4].active_until = D("2026-05-10");   /* o5 leaves the office */
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_INACTIVE, "2026-05-11", "o5");
}

static void test_refuse_absence(void **state) {
        Office o;

        office_init(&o);
        office_add_absence(&o, "o5", "2026-05-11", "2026-05-11", ROSTER_ABSENCE_LEAVE);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_ON_LEAVE, "2026-05-11", "o5");

        office_init(&o);
        office_add_absence(&o, "o5", "2026-05-09", "2026-05-12", ROSTER_ABSENCE_UNAVAILABLE);
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_UNAVAILABLE, "2026-05-11", "o5");

        /* In an exchange, the requester on leave on the day they would take is refused too. */
        office_init(&o);
        office_add_absence(&o, "o1", "2026-05-13", "2026-05-13", ROSTER_ABSENCE_LEAVE);
        expect_refused(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), SWAP_RULE_ON_LEAVE, "2026-05-13", "o1");
}

static void test_refuse_double_booking(void **state) {
        Office o;

        office_init(&o);
        /* "both" is leader on call on 05-12 and is asked to take the officer post that day too. */
        office_slot(&o, "2026-05-12", "leader_on_call")->person = "both";
        expect_refused(&o, cover("o2", "2026-05-12", "both"), SWAP_RULE_DOUBLE_BOOKING, "2026-05-12", "both");
}

static void test_refuse_rest(void **state) {
        SwapRequest req;
        SwapRefusal x = {};
        Swap s = {};
        Office o;

        office_init(&o);
        /* o1 holds 05-11: taking 05-12 leaves no free day between; so does o3 (05-13). */
        expect_refused(&o, cover("o2", "2026-05-12", "o1"), SWAP_RULE_REST, NULL, "o1");
        expect_refused(&o, cover("o2", "2026-05-12", "o3"), SWAP_RULE_REST, NULL, "o3");

        /* The other duty is named. */
        req = cover("o2", "2026-05-12", "o1");
        assert_int_equal(swap_propose(&o.ctx, &req, &s, &x), 1);
        assert_true((x.day == D("2026-05-12") && x.other_day == D("2026-05-11")) ||
                    (x.day == D("2026-05-11") && x.other_day == D("2026-05-12")));

        /* Rest also counts duties outside the swap's days: o6 (05-16) taking o5's 05-15. */
        expect_refused(&o, cover("o5", "2026-05-15", "o6"), SWAP_RULE_REST, NULL, "o6");

        /* With no rest required, it is allowed. */
        o.config.roster.min_rest_days = 0;
        expect_proposed(&o, cover("o2", "2026-05-12", "o1"), &s);
        swap_done(&s);
}

static void test_refuse_locked(void **state) {
        Office o;

        office_init(&o);
        office_slot(&o, "2026-05-11", "officer_on_duty")->locked = true;
        expect_refused(&o, cover("o1", "2026-05-11", "o5"), SWAP_RULE_LOCKED, "2026-05-11", NULL);
        /* A locked duty of the counterpart blocks an exchange too. */
        expect_refused(&o, swap_with("o3", "2026-05-13", "o1", "2026-05-11"), SWAP_RULE_LOCKED, "2026-05-11", NULL);
}

static void test_check_at_apply(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {};
        SwapRefusal x = {};
        Office o;

        office_init(&o);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);
        assert_int_equal(swap_check(&o.ctx, &s, true, &x), 0);

        /* Someone else took the duty in between: the roster changed. */
        office_slot(&o, "2026-05-11", "officer_on_duty")->person = "o6";
        assert_int_equal(swap_check(&o.ctx, &s, true, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_ROSTER_CHANGED);
        assert_int_equal(x.day, D("2026-05-11"));
        assert_int_equal(swap_check(&o.ctx, &s, false, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_NO_DUTY);

        /* The counterpart's duty of an exchange, likewise. */
        office_init(&o);
        expect_proposed(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), &t);
        office_slot(&o, "2026-05-13", "officer_on_duty")->person = "o4";
        assert_int_equal(swap_check(&o.ctx, &t, true, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_ROSTER_CHANGED);
        assert_int_equal(x.day, D("2026-05-13"));
        assert_string_equal(x.person, "o3");

        /* Leave approved since the request is caught again. */
        office_init(&o);
        office_add_absence(&o, "o5", "2026-05-11", "2026-05-11", ROSTER_ABSENCE_LEAVE);
        assert_int_equal(swap_check(&o.ctx, &s, true, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_ON_LEAVE);

        /* Malformed input is an error, not a refusal. */
        s.kind = _SWAP_KIND_INVALID;
        assert_int_equal(swap_check(&o.ctx, &s, true, &x), -EINVAL);
        s.kind = SWAP_KIND_COVER;
        assert_int_equal(swap_check(NULL, &s, true, &x), -EINVAL);
}

/* ---- The state machine ---- */

static const SwapActor as_o1 = { .person = "o1" };
static const SwapActor as_o5 = { .person = "o5" };
static const SwapActor as_o4 = { .person = "o4" };
static const SwapActor as_l1 = { .person = "l1" };   /* leader on call of 05-11 */
static const SwapActor as_l3 = { .person = "l3" };   /* leader on call of 05-13 */
static const SwapActor as_admin = { .person = "l4", .admin = true };
static const SwapActor as_root = { .admin = true };

static void expect_action_refused(Office *o, const Swap *s, SwapAction a, const SwapActor *actor, SwapRule rule) {
        SwapRefusal x = {};
        int r = swap_authorize(&o->ctx, s, a, actor, &x);

        if (r != 1)
                fail_msg("expected %s to be refused by %s, got %d", swap_action_to_string(a), swap_rule_to_string(rule), r);
        assert_string_equal(swap_rule_to_string(x.rule), swap_rule_to_string(rule));
}

static void act(Office *o, Swap *s, SwapAction a, const SwapActor *actor) {
        SwapRefusal x = {};
        int r = swap_authorize(&o->ctx, s, a, actor, &x);

        if (r != 0)
                fail_msg("%s refused: %d %s", swap_action_to_string(a), r, r > 0 ? swap_rule_to_string(x.rule) : "");
        assert_int_equal(swap_transition(s, a, actor, 1000), 0);
        assert_int_equal(s->state, swap_action_target(a));
        assert_int_equal(s->updated_usec, 1000);
}

static void test_path_applied(void **state) {
        _cleanup_(swap_done) Swap s = {};
        Office o;

        office_init(&o);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);

        /* Only the counterpart consents; nobody approves before that. */
        expect_action_refused(&o, &s, SWAP_ACTION_ACCEPT, &as_o1, SWAP_RULE_NOT_COUNTERPART);
        expect_action_refused(&o, &s, SWAP_ACTION_ACCEPT, &as_admin, SWAP_RULE_NOT_COUNTERPART);
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_l1, SWAP_RULE_STATE);
        expect_action_refused(&o, &s, SWAP_ACTION_APPLY, &as_root, SWAP_RULE_STATE);
        act(&o, &s, SWAP_ACTION_ACCEPT, &as_o5);
        expect_action_refused(&o, &s, SWAP_ACTION_ACCEPT, &as_o5, SWAP_RULE_STATE);

        /* Approval: not a party, not a leader of another day, not anyone. */
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_o1, SWAP_RULE_OWN_SWAP);
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_o5, SWAP_RULE_OWN_SWAP);
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_o4, SWAP_RULE_NOT_APPROVER);
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_l3, SWAP_RULE_NOT_APPROVER);
        act(&o, &s, SWAP_ACTION_APPROVE, &as_l1);
        assert_string_equal(s.approved_by, "l1");

        act(&o, &s, SWAP_ACTION_APPLY, &as_l1);
        assert_int_equal(s.state, SWAP_STATE_APPLIED);

        /* Nothing more happens to it. */
        expect_action_refused(&o, &s, SWAP_ACTION_CANCEL, &as_o1, SWAP_RULE_STATE);
        expect_action_refused(&o, &s, SWAP_ACTION_DECLINE, &as_o5, SWAP_RULE_STATE);
        assert_int_equal(swap_transition(&s, SWAP_ACTION_CANCEL, &as_o1, 2000), -ESTALE);
        assert_int_equal(s.state, SWAP_STATE_APPLIED);
        assert_int_equal(s.updated_usec, 1000);
}

static void test_approvers(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {}, u = {};
        Office o;

        office_init(&o);
        expect_proposed(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), &s);
        act(&o, &s, SWAP_ACTION_ACCEPT, &(SwapActor) { .person = "o3" });

        /* The leader on call of either day the swap touches may approve; an admin may; root may. */
        assert_true(swap_may_approve(&o.ctx, &s, &as_l1));
        assert_true(swap_may_approve(&o.ctx, &s, &as_l3));
        assert_true(swap_may_approve(&o.ctx, &s, &as_admin));
        assert_true(swap_may_approve(&o.ctx, &s, &as_root));
        assert_false(swap_may_approve(&o.ctx, &s, &(SwapActor) { .person = "l2" }));
        assert_true(swap_is_leader_on_call(&o.ctx, "l3", D("2026-05-13")));
        assert_false(swap_is_leader_on_call(&o.ctx, "o3", D("2026-05-13")));

        /* Configured for administrators only. */
        o.config.swap.leader_approves = false;
        expect_action_refused(&o, &s, SWAP_ACTION_APPROVE, &as_l1, SWAP_RULE_NOT_APPROVER);
        act(&o, &s, SWAP_ACTION_APPROVE, &as_root);
        assert_null(s.approved_by);
        o.config.swap.leader_approves = true;

        /* Leaders swapping their own leader duties: neither approves; an administrator who is a party
         * does not either. */
        expect_proposed(&o, swap_with("l1", "2026-05-11", "l3", "2026-05-13"), &t);
        act(&o, &t, SWAP_ACTION_ACCEPT, &as_l3);
        expect_action_refused(&o, &t, SWAP_ACTION_APPROVE, &as_l1, SWAP_RULE_OWN_SWAP);
        expect_action_refused(&o, &t, SWAP_ACTION_APPROVE, &as_l3, SWAP_RULE_OWN_SWAP);
        expect_proposed(&o, swap_with("l4", "2026-05-14", "l2", "2026-05-16"), &u);
        act(&o, &u, SWAP_ACTION_ACCEPT, &(SwapActor) { .person = "l2" });
        expect_action_refused(&o, &u, SWAP_ACTION_APPROVE, &as_admin, SWAP_RULE_OWN_SWAP);
        act(&o, &t, SWAP_ACTION_APPROVE, &as_admin);
}

static void test_path_declined_cancelled(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {}, u = {};
        Office o;

        office_init(&o);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);
        expect_action_refused(&o, &s, SWAP_ACTION_DECLINE, &as_o1, SWAP_RULE_NOT_COUNTERPART);
        act(&o, &s, SWAP_ACTION_DECLINE, &as_o5);
        expect_action_refused(&o, &s, SWAP_ACTION_ACCEPT, &as_o5, SWAP_RULE_STATE);

        /* The counterpart may withdraw consent before the approval. */
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &t);
        act(&o, &t, SWAP_ACTION_ACCEPT, &as_o5);
        act(&o, &t, SWAP_ACTION_DECLINE, &as_o5);
        assert_int_equal(t.state, SWAP_STATE_DECLINED);

        /* The requester or an administrator cancels; the counterpart does not. */
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &u);
        expect_action_refused(&o, &u, SWAP_ACTION_CANCEL, &as_o5, SWAP_RULE_NOT_REQUESTER);
        expect_action_refused(&o, &u, SWAP_ACTION_CANCEL, &as_l1, SWAP_RULE_NOT_REQUESTER);
        assert_int_equal(swap_authorize(&o.ctx, &u, SWAP_ACTION_CANCEL, &as_admin, NULL), 0);
        act(&o, &u, SWAP_ACTION_ACCEPT, &as_o5);
        act(&o, &u, SWAP_ACTION_CANCEL, &as_o1);
        expect_action_refused(&o, &u, SWAP_ACTION_CANCEL, &as_o1, SWAP_RULE_STATE);
}

static void test_path_expired(void **state) {
        _cleanup_(swap_done) Swap s = {}, t = {};
        SwapRefusal x = {};
        Day d;
        int m;
        Office o;

        office_init(&o);
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &s);
        expect_proposed(&o, swap_with("o1", "2026-05-17", "o3", "2026-05-13"), &t);

        swap_deadline(&s, &o.config, &d, &m);
        assert_int_equal(d, D("2026-05-10"));
        assert_int_equal(m, HANDOVER);
        /* A swap's deadline follows its earlier duty. */
        swap_deadline(&t, &o.config, &d, &m);
        assert_int_equal(d, D("2026-05-12"));
        o.config.swap.lead_days = 3;
        swap_deadline(&s, &o.config, &d, &m);
        assert_int_equal(d, D("2026-05-08"));
        o.config.swap.lead_days = 1;

        assert_int_equal(swap_effective_state(&s, &o.config, D("2026-05-10"), HANDOVER - 1), SWAP_STATE_PROPOSED);
        assert_int_equal(swap_effective_state(&s, &o.config, D("2026-05-10"), HANDOVER), SWAP_STATE_EXPIRED);
        assert_int_equal(swap_effective_state(&t, &o.config, D("2026-05-10"), HANDOVER), SWAP_STATE_PROPOSED);

        act(&o, &s, SWAP_ACTION_ACCEPT, &as_o5);
        /* Not yet expired: there is nothing to expire. */
        expect_action_refused(&o, &s, SWAP_ACTION_EXPIRE, &as_root, SWAP_RULE_STATE);

        office_set_now(&o, "2026-05-10", 12 * 60);
        assert_int_equal(swap_effective_state(&s, &o.config, o.ctx.now_day, o.ctx.now_minutes), SWAP_STATE_EXPIRED);
        assert_int_equal(swap_authorize(&o.ctx, &s, SWAP_ACTION_APPROVE, &as_l1, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_EXPIRED);
        assert_int_equal(x.day, D("2026-05-11"));
        expect_action_refused(&o, &s, SWAP_ACTION_CANCEL, &as_o1, SWAP_RULE_EXPIRED);
        expect_action_refused(&o, &s, SWAP_ACTION_DECLINE, &as_o5, SWAP_RULE_EXPIRED);

        act(&o, &s, SWAP_ACTION_EXPIRE, &as_root);
        assert_int_equal(s.state, SWAP_STATE_EXPIRED);
        /* Stored expired, it stays so and cannot be expired again. */
        expect_action_refused(&o, &s, SWAP_ACTION_EXPIRE, &as_root, SWAP_RULE_STATE);
        expect_action_refused(&o, &s, SWAP_ACTION_ACCEPT, &as_o5, SWAP_RULE_EXPIRED);

        /* Terminal states never expire. */
        t.state = SWAP_STATE_APPLIED;
        assert_int_equal(swap_effective_state(&t, &o.config, D("2026-06-01"), 0), SWAP_STATE_APPLIED);
}

/* Apply re-checks the roster: a swap that another one overtook is refused, and nothing changes. */
static void test_apply_rechecks(void **state) {
        _cleanup_(swap_done) Swap a = {}, b = {};
        SwapChange ch[SWAP_CHANGES_MAX];
        SwapRefusal x = {};
        int n;
        Office o;

        office_init(&o);
        /* Two offers for o1's 05-11: o5 covers, o3 exchanges it with 05-13. */
        expect_proposed(&o, cover("o1", "2026-05-11", "o5"), &a);
        expect_proposed(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), &b);
        act(&o, &a, SWAP_ACTION_ACCEPT, &as_o5);
        act(&o, &b, SWAP_ACTION_ACCEPT, &(SwapActor) { .person = "o3" });
        act(&o, &a, SWAP_ACTION_APPROVE, &as_l1);
        act(&o, &b, SWAP_ACTION_APPROVE, &as_l1);

        act(&o, &a, SWAP_ACTION_APPLY, &as_l1);
        n = swap_changes(&a, ch);
        assert_int_equal(n, 1);
        office_slot(&o, "2026-05-11", "officer_on_duty")->person = ch[0].person;

        assert_int_equal(swap_authorize(&o.ctx, &b, SWAP_ACTION_APPLY, &as_l1, &x), 1);
        assert_int_equal(x.rule, SWAP_RULE_ROSTER_CHANGED);
        assert_int_equal(x.day, D("2026-05-11"));
        assert_string_equal(x.person, "o1");
}

static void test_refusal_format(void **state) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *e = NULL;
        Office o;

        office_init(&o);
        assert_int_equal(swap_refusal_format(&(SwapRefusal) { .rule = SWAP_RULE_ON_LEAVE, .day = D("2026-05-11"),
                                                              .person = "both", .other_day = DAY_NONE,
                                                              .state = _SWAP_STATE_INVALID },
                                             &o.config, "zh", &a), 0);
        assert_string_equal(a, "2026-05-11 两者：当日请假");

        assert_int_equal(swap_refusal_format(&(SwapRefusal) { .rule = SWAP_RULE_REST, .day = D("2026-05-12"),
                                                              .person = "o1", .other_day = D("2026-05-11"),
                                                              .state = _SWAP_STATE_INVALID },
                                             &o.config, "en", &b), 0);
        assert_string_equal(b, "2026-05-12 o1: would have too little rest between two duties (the other duty: 2026-05-11)");

        assert_int_equal(swap_refusal_format(&(SwapRefusal) { .rule = SWAP_RULE_STATE, .day = DAY_NONE,
                                                              .other_day = DAY_NONE, .state = SWAP_STATE_APPLIED },
                                             NULL, "en", &c), 0);
        assert_string_equal(c, "the swap is not in a state that allows this (the swap is applied)");

        /* Without a configuration, ids stand for names. */
        assert_int_equal(swap_refusal_format(&(SwapRefusal) { .rule = SWAP_RULE_STAFF, .day = DAY_NONE,
                                                              .person = "nobody", .other_day = DAY_NONE,
                                                              .state = _SWAP_STATE_INVALID },
                                             NULL, "zh", &e), 0);
        assert_string_equal(e, "nobody：不在本单位人员名单中");

        assert_int_equal(swap_refusal_format(&(SwapRefusal) { .rule = _SWAP_RULE_MAX }, NULL, "zh", &e), -EINVAL);
}

static void test_validity(void **state) {
        _cleanup_(swap_done) Swap s = {};
        Office o;

        office_init(&o);
        expect_proposed(&o, swap_with("o1", "2026-05-11", "o3", "2026-05-13"), &s);
        assert_true(swap_is_party(&s, "o1"));
        assert_true(swap_is_party(&s, "o3"));
        assert_false(swap_is_party(&s, "o2"));
        assert_false(swap_is_party(&s, NULL));

        s.their_slot = -1;
        assert_false(swap_is_valid(&s));
        s.their_slot = 0;
        s.kind = SWAP_KIND_COVER;     /* a cover has no counterpart duty */
        assert_false(swap_is_valid(&s));
        s.kind = SWAP_KIND_SWAP;
        assert_true(swap_is_valid(&s));

        /* Malformed requests are errors. */
        assert_int_equal(swap_propose(&o.ctx, &(SwapRequest) { .kind = SWAP_KIND_COVER, .requester = "o1",
                                                                .counterpart = "o5", .day = DAY_NONE,
                                                                .their_day = DAY_NONE }, &s, NULL), -EINVAL);
        assert_int_equal(swap_propose(&o.ctx, &(SwapRequest) { .kind = SWAP_KIND_COVER, .requester = "o1",
                                                                .counterpart = "o5", .day = D("2026-05-11"),
                                                                .their_day = D("2026-05-13") }, &s, NULL), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_propose_cover),
                cmocka_unit_test(test_propose_swap),
                cmocka_unit_test(test_pre_existing_problems_do_not_block),
                cmocka_unit_test(test_refuse_people),
                cmocka_unit_test(test_refuse_no_duty),
                cmocka_unit_test(test_refuse_ambiguous),
                cmocka_unit_test(test_refuse_time),
                cmocka_unit_test(test_refuse_too_far),
                cmocka_unit_test(test_refuse_eligibility),
                cmocka_unit_test(test_refuse_inactive),
                cmocka_unit_test(test_refuse_absence),
                cmocka_unit_test(test_refuse_double_booking),
                cmocka_unit_test(test_refuse_rest),
                cmocka_unit_test(test_refuse_locked),
                cmocka_unit_test(test_check_at_apply),
                cmocka_unit_test(test_path_applied),
                cmocka_unit_test(test_approvers),
                cmocka_unit_test(test_path_declined_cancelled),
                cmocka_unit_test(test_path_expired),
                cmocka_unit_test(test_apply_rechecks),
                cmocka_unit_test(test_refusal_format),
                cmocka_unit_test(test_validity),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
