/* SPDX-License-Identifier: GPL-2.0-or-later */

/* duty.c against a temporary store and the sample office (conf/dutyd.conf). */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "config-parse.h"
#include "config.h"
#include "date.h"
#include "duty.h"
#include "fixture.h"
#include "roster.h"
#include "source-file.h"
#include "store.h"

#define LEADER_POST "leader_on_call"
#define OFFICER_POST "officer_on_duty"

static int fixture_setup(void **state) {
        Fixture *f = fixture_new("duty", FIXTURE_STORE | FIXTURE_CONFIG);

        assert_int_equal(f->config->roster.min_rest_days, 1);
        *state = f;
        return 0;
}

static int fixture_teardown(void **state) {
        fixture_free(*state);
        return 0;
}

static void generate(Fixture *f, const char *from, const char *to, const char *today, DutyRoster *ret) {
        Refusal problem = {};
        DutyGenerateRequest req = { .from = D(from), .to = D(to), .today = D(today) };
        int r;

        r = duty_generate(f->store, f->config, &req, ret, &problem);
        if (r < 0)
                fail_msg("duty_generate %s..%s: %d %s", from, to, r, problem.message ? problem.message : "");
        refusal_done(&problem);
        assert_true(ret->stored);
}

typedef struct Stored {
        StoreAssignment *a;
        size_t n;
} Stored;

static Stored list(Fixture *f, const char *from, const char *to) {
        Stored s = {};

        assert_int_equal(store_assignment_list(f->store, D(from), D(to), &s.a, &s.n), 0);
        return s;
}

static void stored_done(Stored *s) {
        store_assignment_free_many(s->a, s->n);
        *s = (Stored) {};
}

static const StoreAssignment *find_slot(const Stored *s, Day day, const char *post, int slot) {
        for (size_t i = 0; i < s->n; i++)
                if (s->a[i].day == day && streq(s->a[i].post, post) && s->a[i].slot == slot)
                        return &s->a[i];
        return NULL;
}

static bool serves(const Stored *s, const char *person, Day day) {
        for (size_t i = 0; i < s->n; i++)
                if (s->a[i].day == day && s->a[i].person && streq(s->a[i].person, person))
                        return true;
        return false;
}

/* The number of slots a day needs, as the generator plans it. */
static unsigned slots_needed(const Fixture *f, const Calendar *cal, Day day) {
        RosterDay rd;
        unsigned n = 0;

        assert_int_equal(roster_day_classify(cal, day, false, &rd), 0);
        for (size_t j = 0; j < f->config->n_posts; j++)
                n += roster_post_count(&f->config->posts[j], &rd);
        return n;
}

static void test_generate_stores_every_slot(void **state) {
        Fixture *f = *state;
        DutyRoster roster = {};
        DutyCalendar dc = {};
        Stored s;
        unsigned needed = 0;

        generate(f, "2026-09-14", "2026-10-11", "2026-09-01", &roster);
        assert_int_equal(duty_calendar_load(f->store, f->config, &dc), 0);
        for (Day d = D("2026-09-14"); d <= D("2026-10-11"); d++)
                needed += slots_needed(f, &dc.calendar, d);
        duty_calendar_done(&dc);

        /* The sensitive period of the configuration (09-20..09-24) raises the officers to 3. */
        assert_int_equal(roster.n_slots, needed);
        assert_int_equal(roster.filled + roster.empty, needed);
        assert_true(needed > 2 * 28);

        s = list(f, "2026-09-14", "2026-10-11");
        assert_int_equal(s.n, roster.n_slots);
        for (size_t i = 0; i < s.n; i++) {
                const StoreAssignment *g = &roster.slots[i], *a = find_slot(&s, g->day, g->post, g->slot);

                assert_non_null(a);
                if (g->person)
                        assert_string_equal(a->person, g->person);
                else {
                        assert_null(a->person);
                        /* An empty slot is never silent: its reason is stored. */
                        assert_non_null(a->reason);
                        assert_true(roster_empty_reason_from_string(a->reason) > ROSTER_EMPTY_NONE);
                }
                assert_string_equal(a->source, DUTY_SOURCE_GENERATED);
                assert_false(a->locked);
        }
        {
                unsigned officers = 0;

                for (size_t i = 0; i < s.n; i++)
                        if (s.a[i].day == D("2026-09-22") && streq(s.a[i].post, OFFICER_POST))
                                officers++;
                assert_int_equal(officers, 3);
        }
        stored_done(&s);
        duty_roster_done(&roster);
}

static void test_locked_kept(void **state) {
        Fixture *f = *state;
        DutyRoster roster = {};
        Day day = D("2026-06-10");
        const StoreAssignment *a;
        Stored s;

        /* liuf is locked on the 10th; generation keeps her there and around it respects her rest. */
        assert_int_equal(store_assignment_set(f->store, day, LEADER_POST, 0, "liuf", true, NULL, DUTY_SOURCE_MANUAL), 0);
        generate(f, "2026-06-01", "2026-06-20", "2026-05-20", &roster);
        duty_roster_done(&roster);
        generate(f, "2026-06-05", "2026-06-15", "2026-05-20", &roster);
        duty_roster_done(&roster);

        s = list(f, "2026-06-01", "2026-06-20");
        a = find_slot(&s, day, LEADER_POST, 0);
        assert_non_null(a);
        assert_string_equal(a->person, "liuf");
        assert_true(a->locked);
        assert_string_equal(a->source, DUTY_SOURCE_MANUAL);
        assert_false(serves(&s, "liuf", day - 1));
        assert_false(serves(&s, "liuf", day + 1));
        stored_done(&s);
}

static const char *free_person(Fixture *f, const Stored *s, Role role, Day day);

static void test_past_refused(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        StoreAssignment a = {};
        DutyGenerateRequest req = { .from = D("2026-03-01"), .to = D("2026-03-09"), .today = D("2026-03-10") };
        Stored s;

        /* A range of past days has nothing left to plan. */
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), -EPERM);
        assert_int_equal(problem.kind, REFUSAL_RULE);
        assert_string_equal(problem.rule, DUTY_RULE_PAST);
        assert_int_equal(problem.day, D("2026-03-09"));
        refusal_done(&problem);

        assert_int_equal(duty_assign(f->store, f->config, D("2026-03-10"), D("2026-03-09"), LEADER_POST, "wangjg",
                                     false, NULL, &a, &problem), -EPERM);
        assert_string_equal(problem.rule, DUTY_RULE_PAST);
        refusal_done(&problem);
        assert_int_equal(duty_unassign(f->store, f->config, D("2026-03-10"), D("2026-03-09"), LEADER_POST, "wangjg", NULL,
                                       &problem), -EPERM);
        assert_string_equal(problem.rule, DUTY_RULE_PAST);
        refusal_done(&problem);

        s = list(f, "2026-01-01", "2026-12-31");
        assert_int_equal(s.n, 0);
        stored_done(&s);

        /* A range starting in the past is planned from the duty under way, which has no roster
         * yet: nobody holds it, so planning it disturbs nobody. */
        req.to = D("2026-03-20");
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        assert_true(roster.stored);
        assert_int_equal(roster.from, D("2026-03-10"));
        duty_roster_done(&roster);
        s = list(f, "2026-01-01", "2026-03-09");
        assert_int_equal(s.n, 0);
        stored_done(&s);
        s = list(f, "2026-03-10", "2026-03-10");
        assert_true(s.n > 0);
        stored_done(&s);

        /* Once it has one, the duty under way is kept and planning starts the day after. */
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        assert_int_equal(roster.from, D("2026-03-11"));
        duty_roster_done(&roster);
        req.to = D("2026-03-10");
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), -EPERM);
        assert_string_equal(problem.rule, DUTY_RULE_PAST);
        refusal_done(&problem);
}

/* The duty under way, hand-made and agreed assignments survive a new generation; replace_manual
 * lets hand-made ones go. */
static void test_generate_keeps(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        StoreAssignment a = {};
        const StoreAssignment *slot;
        char *today_leader, *manual_from;
        const char *spare;
        Stored s;

        generate(f, "2026-05-01", "2026-05-20", "2026-04-20", &roster);
        duty_roster_done(&roster);

        s = list(f, "2026-05-01", "2026-05-20");
        today_leader = strdup(find_slot(&s, D("2026-05-05"), LEADER_POST, 0)->person);
        manual_from = strdup(find_slot(&s, D("2026-05-12"), LEADER_POST, 0)->person);
        spare = free_person(f, &s, ROLE_LEADER, D("2026-05-12"));
        assert_non_null(spare);
        assert_int_equal(duty_unassign(f->store, f->config, D("2026-04-20"), D("2026-05-12"), LEADER_POST, manual_from,
                                       NULL, &problem), 0);
        assert_int_equal(duty_assign(f->store, f->config, D("2026-04-20"), D("2026-05-12"), LEADER_POST, spare, false,
                                     NULL, &a, &problem), 0);
        assert_string_equal(a.source, DUTY_SOURCE_MANUAL);
        duty_assignment_done(&a);
        stored_done(&s);

        /* Planned again on 05-05 (the duty under way) from 05-01: 05-01..05-05 stay, the hand-made
         * slot stays, whatever the new plan would be. */
        DutyGenerateRequest req = { .from = D("2026-05-01"), .to = D("2026-05-20"), .today = D("2026-05-05") };
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        assert_int_equal(roster.from, D("2026-05-06"));
        duty_roster_done(&roster);
        s = list(f, "2026-05-01", "2026-05-20");
        assert_string_equal(find_slot(&s, D("2026-05-05"), LEADER_POST, 0)->person, today_leader);
        slot = find_slot(&s, D("2026-05-12"), LEADER_POST, 0);
        assert_string_equal(slot->person, spare);
        assert_string_equal(slot->source, DUTY_SOURCE_MANUAL);
        stored_done(&s);

        /* replace_manual plans it again: the slot is the generator's once more. */
        req.replace_manual = true;
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        duty_roster_done(&roster);
        s = list(f, "2026-05-12", "2026-05-12");
        slot = find_slot(&s, D("2026-05-12"), LEADER_POST, 0);
        assert_string_equal(slot->source, DUTY_SOURCE_GENERATED);
        stored_done(&s);

        free(today_leader);
        free(manual_from);
}

/* A published day changes only as an amendment, which is recorded and counted until the next
 * publication; diff without a version compares each day with the version covering it. */
static void test_published_frozen(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        DutyDiff diff = {};
        StoreAssignment a = {};
        DutyAmend amend = { .amend = true, .reason = "ill", .uid = 1000, .by = "wangjg", .now_usec = 42 };
        _cleanup_free_ int *versions = NULL;
        _cleanup_free_ unsigned *counts = NULL;
        StoreAmendment *rows = NULL;
        size_t n_rows = 0;
        const char *spare;
        char *holder;
        int version;
        Stored s;

        generate(f, "2026-09-01", "2026-09-20", "2026-08-20", &roster);
        duty_roster_done(&roster);
        assert_int_equal(duty_publish(f->store, f->config, D("2026-09-01"), D("2026-09-10"), 1, &version, NULL,
                                      &problem), 0);
        assert_int_equal(version, 1);
        assert_int_equal(duty_publish(f->store, f->config, D("2026-09-11"), D("2026-09-20"), 2, &version, NULL,
                                      &problem), 0);
        assert_int_equal(version, 2);

        /* Generating over a published day: refused, naming the version and the day. */
        DutyGenerateRequest req = { .from = D("2026-09-05"), .to = D("2026-09-25"), .today = D("2026-08-20") };
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), -EPERM);
        assert_string_equal(problem.rule, DUTY_RULE_PUBLISHED);
        assert_int_equal(problem.day, D("2026-09-05"));
        assert_int_equal(problem.version, 1);
        assert_non_null(strstr(problem.message, "1"));
        refusal_done(&problem);
        /* A dry run changes nothing, so it may show what planning them again would give. */
        req.dry_run = true;
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        assert_false(roster.stored);
        duty_roster_done(&roster);
        req.dry_run = false;

        s = list(f, "2026-09-01", "2026-09-20");
        holder = strdup(find_slot(&s, D("2026-09-05"), LEADER_POST, 0)->person);
        spare = free_person(f, &s, ROLE_LEADER, D("2026-09-05"));
        assert_non_null(spare);

        /* By hand: refused too, without a word written. */
        assert_int_equal(duty_unassign(f->store, f->config, D("2026-08-20"), D("2026-09-05"), LEADER_POST, holder, NULL,
                                       &problem), -EPERM);
        assert_string_equal(problem.rule, DUTY_RULE_PUBLISHED);
        refusal_done(&problem);
        assert_int_equal(duty_unassign(f->store, f->config, D("2026-08-20"), D("2026-09-05"), LEADER_POST, holder,
                                       &amend, &problem), 0);
        assert_int_equal(amend.n_recorded, 1);
        assert_string_equal(amend.recorded[0].before, holder);
        assert_null(amend.recorded[0].after);
        assert_int_equal(amend.recorded[0].version, 1);
        duty_amend_done(&amend);
        assert_int_equal(duty_assign(f->store, f->config, D("2026-08-20"), D("2026-09-05"), LEADER_POST, spare, false,
                                     &amend, &a, &problem), 0);
        assert_int_equal(amend.n_recorded, 1);
        assert_null(amend.recorded[0].before);
        assert_string_equal(amend.recorded[0].after, spare);
        duty_amend_done(&amend);
        duty_assignment_done(&a);

        /* Recorded with who, when and why. */
        assert_int_equal(store_amendment_list(f->store, D("2026-09-01"), D("2026-09-30"), &rows, &n_rows), 0);
        assert_int_equal(n_rows, 2);
        assert_string_equal(rows[0].reason, "ill");
        assert_string_equal(rows[0].by, "wangjg");
        assert_int_equal(rows[0].uid, 1000);
        assert_int_equal(rows[0].at_usec, 42);
        assert_int_equal(rows[1].day, D("2026-09-05"));
        store_amendment_free_many(rows, n_rows);

        assert_int_equal(duty_amendment_counts(f->store, D("2026-09-04"), D("2026-09-12"), &versions, &counts), 0);
        assert_int_equal(versions[0], 1);
        assert_int_equal(counts[1], 2);
        assert_int_equal(counts[0], 0);
        assert_int_equal(versions[8], 2);

        /* Diff without a version: each day against the version that covers it (not only the newest). */
        assert_int_equal(duty_diff(f->store, f->config, 0, &diff, &problem), 0);
        assert_int_equal(diff.version, 2);
        assert_int_equal(diff.n_changes, 1);
        assert_int_equal(diff.changes[0].day, D("2026-09-05"));
        assert_int_equal(diff.changes[0].version, 1);
        assert_string_equal(diff.changes[0].before, holder);
        assert_string_equal(diff.changes[0].after, spare);
        duty_diff_done(&diff);

        /* Published again: the day is version 3 and no longer counts as amended. */
        assert_int_equal(duty_publish(f->store, f->config, D("2026-09-01"), D("2026-09-10"), 3, &version, NULL,
                                      &problem), 0);
        free(versions);
        free(counts);
        assert_int_equal(duty_amendment_counts(f->store, D("2026-09-05"), D("2026-09-05"), &versions, &counts), 0);
        assert_int_equal(versions[0], 3);
        assert_int_equal(counts[0], 0);

        /* An amendment by generation records each changed slot; without a reason it is refused. */
        req = (DutyGenerateRequest) { .from = D("2026-09-15"), .to = D("2026-09-16"), .today = D("2026-08-20"),
                                      .replace_manual = true, .amend = &amend };
        amend.reason = NULL;
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), -EINVAL);
        amend.reason = "re-planned";
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        for (size_t i = 0; i < amend.n_recorded; i++)
                assert_int_equal(amend.recorded[i].version, 2);
        duty_amend_done(&amend);
        duty_roster_done(&roster);

        free(holder);
        stored_done(&s);
}

/* A configured person of the role with no duty from day - 1 to day + 1. */
static const char *free_person(Fixture *f, const Stored *s, Role role, Day day) {
        for (size_t i = 0; i < f->config->n_people; i++) {
                const Person *p = &f->config->people[i];

                if (!person_has_role(p, role) || !person_is_active(p, day))
                        continue;
                if (!serves(s, p->id, day - 1) && !serves(s, p->id, day) && !serves(s, p->id, day + 1))
                        return p->id;
        }
        return NULL;
}

static void expect_rule(Fixture *f, Day today, Day day, const char *post, const char *person, const char *rule) {
        Refusal problem = {};
        StoreAssignment a = {};
        int r;

        r = duty_assign(f->store, f->config, today, day, post, person, false, NULL, &a, &problem);
        if (r != -EPERM)
                fail_msg("assigning %s to %s: expected rule %s, got %d", person, post, rule, r);
        assert_int_equal(problem.kind, REFUSAL_RULE);
        assert_string_equal(problem.rule, rule);
        assert_int_equal(problem.day, day);
        assert_non_null(problem.message);
        refusal_done(&problem);
}

static void test_assign_rules(void **state) {
        Fixture *f = *state;
        Day today = D("2026-02-20"), day = D("2026-04-15");
        Refusal problem = {};
        DutyRoster roster = {};
        StoreAssignment a = {};
        const StoreAssignment *leader;
        const char *resting = NULL, *spare, *holder;
        int64_t id;
        Stored s;

        generate(f, "2026-04-01", "2026-04-30", "2026-02-20", &roster);
        duty_roster_done(&roster);

        s = list(f, "2026-04-01", "2026-04-30");
        leader = find_slot(&s, day, LEADER_POST, 0);
        assert_non_null(leader);
        assert_non_null(leader->person);
        holder = leader->person;

        /* Every slot of the day is taken: a rule-abiding person is told the post is full… */
        spare = free_person(f, &s, ROLE_LEADER, day);
        assert_non_null(spare);
        expect_rule(f, today, day, LEADER_POST, spare, DUTY_RULE_POST_FULL);
        /* …but a person who may not take it at all is told why, full or not. */
        expect_rule(f, today, day, LEADER_POST, "wum", "not_eligible");

        assert_int_equal(duty_unassign(f->store, f->config, today, day, LEADER_POST, holder, NULL, &problem), 0);
        assert_int_equal(duty_unassign(f->store, f->config, today, day, LEADER_POST, holder, NULL, &problem), -ENOENT);
        assert_int_equal(problem.kind, REFUSAL_NOT_FOUND);
        refusal_done(&problem);
        stored_done(&s);
        s = list(f, "2026-04-01", "2026-04-30");
        leader = find_slot(&s, day, LEADER_POST, 0);
        assert_null(leader->person);
        assert_string_equal(leader->reason, DUTY_REASON_UNASSIGNED);

        expect_rule(f, today, day, LEADER_POST, "wum", "not_eligible");
        expect_rule(f, today, day, OFFICER_POST, "wangjg", "not_eligible");
        for (size_t i = 0; i < s.n; i++)
                if (s.a[i].day == day - 1 && streq(s.a[i].post, LEADER_POST))
                        resting = s.a[i].person;
        assert_non_null(resting);
        expect_rule(f, today, day, LEADER_POST, resting, "rest");

        assert_int_equal(duty_unavailable_add(f->store, f->config, spare, day, day + 2, "出差", &id, &problem), 0);
        expect_rule(f, today, day, LEADER_POST, spare, "unavailable");
        assert_int_equal(duty_unavailable_remove(f->store, f->config, id, &problem), 0);
        assert_int_equal(duty_unavailable_remove(f->store, f->config, id, &problem), -ENOENT);
        refusal_done(&problem);

        /* Not active yet: simayf starts on 2026-03-01 (no roster there: slot 0 is free). */
        expect_rule(f, today, D("2026-02-25"), OFFICER_POST, "simayf", "inactive");

        /* Unknown post and person. */
        assert_int_equal(duty_assign(f->store, f->config, today, day, "cook", spare, false, NULL, &a, &problem), -ENOENT);
        assert_string_equal(problem.what, "post");
        refusal_done(&problem);
        assert_int_equal(duty_assign(f->store, f->config, today, day, LEADER_POST, "nobody", false, NULL, &a, &problem), -ENOENT);
        assert_string_equal(problem.what, "person");
        refusal_done(&problem);

        /* A rule-abiding person takes the slot, locked; asking again changes nothing. */
        assert_int_equal(duty_assign(f->store, f->config, today, day, LEADER_POST, spare, true, NULL, &a, &problem), 0);
        assert_string_equal(a.person, spare);
        assert_int_equal(a.slot, 0);
        assert_true(a.locked);
        assert_string_equal(a.source, DUTY_SOURCE_MANUAL);
        duty_assignment_done(&a);
        assert_int_equal(duty_assign(f->store, f->config, today, day, LEADER_POST, spare, false, NULL, &a, &problem), 0);
        assert_true(a.locked);
        duty_assignment_done(&a);
        stored_done(&s);
        s = list(f, "2026-04-15", "2026-04-15");
        leader = find_slot(&s, day, LEADER_POST, 0);
        assert_string_equal(leader->person, spare);
        assert_true(leader->locked);
        stored_done(&s);
}

static void test_history_carries_over(void **state) {
        Fixture *f = *state;
        DutyRoster roster = {};
        const char *seen[10];
        size_t n_seen = 0;
        Stored s;

        /* Five workdays, then five more: with what the first week did counted, the second week's
         * five officers are five who had no duty in the first, so ten different people serve. */
        generate(f, "2026-03-02", "2026-03-06", "2026-02-20", &roster);
        duty_roster_done(&roster);
        generate(f, "2026-03-09", "2026-03-13", "2026-02-20", &roster);
        duty_roster_done(&roster);

        s = list(f, "2026-03-02", "2026-03-13");
        for (size_t i = 0; i < s.n; i++) {
                if (!streq(s.a[i].post, OFFICER_POST))
                        continue;
                assert_non_null(s.a[i].person);
                for (size_t j = 0; j < n_seen; j++)
                        if (streq(seen[j], s.a[i].person))
                                fail_msg("%s serves twice in two weeks of 12 officers", s.a[i].person);
                assert_true(n_seen < ELEMENTSOF(seen));
                seen[n_seen++] = s.a[i].person;
        }
        assert_int_equal(n_seen, 10);
        stored_done(&s);
}

static void test_unknown_year(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        DutyGenerateRequest req = { .from = D("2026-12-28"), .to = D("2027-01-05"), .today = D("2026-06-01") };
        Stored s;

        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), -ENODATA);
        assert_int_equal(problem.kind, REFUSAL_CALENDAR_UNKNOWN);
        assert_int_equal(problem.day, D("2027-01-01"));
        assert_non_null(strstr(problem.message, "2027"));
        refusal_done(&problem);
        s = list(f, "2026-12-28", "2027-01-05");
        assert_int_equal(s.n, 0);
        stored_done(&s);

        req.assume_ordinary = true;
        assert_int_equal(duty_generate(f->store, f->config, &req, &roster, &problem), 0);
        duty_roster_done(&roster);
        s = list(f, "2026-12-28", "2027-01-05");
        assert_true(s.n >= 2 * 9);
        for (size_t i = 0; i < s.n; i++)
                assert_int_equal(s.a[i].assume_ordinary, s.a[i].day >= D("2027-01-01"));
        stored_done(&s);
}

static void test_holiday_find(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        HolidayRun run;

        assert_int_equal(duty_holiday_find(f->config, NULL, 0, D("2026-01-20"), &run, &problem), 0);
        assert_int_equal(run.from, D("2026-02-15"));
        assert_int_equal(run.to, D("2026-02-23"));
        assert_int_equal(duty_holiday_find(f->config, "春节", 2026, D("2026-01-20"), &run, &problem), 0);
        assert_int_equal(run.from, D("2026-02-15"));
        assert_int_equal(duty_holiday_find(f->config, "国庆", 0, D("2026-01-20"), &run, &problem), 0);
        assert_int_equal(run.from, D("2026-10-01"));
        assert_int_equal(run.to, D("2026-10-07"));
        assert_int_equal(duty_holiday_find(f->config, "元旦", 2024, D("2026-01-20"), &run, &problem), 0);
        assert_int_equal(run.from, D("2023-12-30"));
        assert_int_equal(run.to, D("2024-01-01"));

        /* During the run, "the next" is the one after it. */
        assert_int_equal(duty_holiday_find(f->config, NULL, 0, D("2026-02-16"), &run, &problem), 0);
        assert_int_equal(run.from, D("2026-04-04"));

        /* This year's has begun: next year's, whose notice is unknown. */
        assert_int_equal(duty_holiday_find(f->config, "春节", 0, D("2026-03-01"), &run, &problem), -ENODATA);
        assert_int_equal(problem.kind, REFUSAL_CALENDAR_UNKNOWN);
        assert_int_equal(day_year(problem.day), 2027);
        refusal_done(&problem);

        assert_int_equal(duty_holiday_find(f->config, "腊八", 2026, D("2026-01-20"), &run, &problem), -ENOENT);
        assert_int_equal(problem.kind, REFUSAL_NOT_FOUND);
        assert_string_equal(problem.what, "holiday");
        refusal_done(&problem);
}

static void test_sensitive_merged(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        DutyCalendar dc = {};
        const SensitivePeriod *p;
        unsigned officers = 0;
        int64_t id;
        char sid[24];

        assert_int_equal(duty_sensitive_add(f->store, f->config, "防汛", D("2026-05-11"), D("2026-05-12"), 2,
                                            LEAVE_POLICY_FREEZE, 1, &id, &problem), 0);
        assert_int_equal(duty_calendar_load(f->store, f->config, &dc), 0);
        assert_int_equal(dc.n_config, f->config->n_sensitive);
        assert_int_equal(dc.n_sensitive, f->config->n_sensitive + 1);
        p = calendar_sensitive_at(&dc.calendar, D("2026-05-11"));
        assert_non_null(p);
        assert_string_equal(p->name, "防汛");
        assert_int_equal(p->leave, LEAVE_POLICY_FREEZE);
        p = calendar_sensitive_at(&dc.calendar, D("2026-09-21"));
        assert_non_null(p);
        assert_string_equal(p->id, f->config->sensitive[0].id);
        duty_calendar_done(&dc);

        /* Officers: the post's sensitive count (2) plus the period's two. */
        generate(f, "2026-05-11", "2026-05-11", "2026-05-01", &roster);
        for (size_t i = 0; i < roster.n_slots; i++)
                if (streq(roster.slots[i].post, OFFICER_POST))
                        officers++;
        assert_int_equal(officers, 4);
        duty_roster_done(&roster);

        /* A configured period cannot be removed at run time; the added one can, once. */
        assert_int_equal(duty_sensitive_remove(f->store, f->config, f->config->sensitive[0].id, &problem), -EROFS);
        assert_int_equal(problem.kind, REFUSAL_FAILED);
        refusal_done(&problem);
        snprintf(sid, sizeof(sid), "%lld", (long long) id);
        assert_int_equal(duty_sensitive_remove(f->store, f->config, sid, &problem), 0);
        assert_int_equal(duty_sensitive_remove(f->store, f->config, sid, &problem), -ENOENT);
        refusal_done(&problem);
        assert_int_equal(duty_sensitive_remove(f->store, f->config, "x1", &problem), -ENOENT);
        refusal_done(&problem);
}

static void test_too_few_leaders(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        unsigned filled = 0, empty = 0;
        int64_t id;

        /* Every leader but zhangw is away for a week: with a free day between duties he takes every
         * other day, and the others stay empty with a reason, never filled against a rule. */
        for (size_t i = 0; i < f->config->n_people; i++) {
                const Person *p = &f->config->people[i];

                if (person_has_role(p, ROLE_LEADER) && !streq(p->id, "zhangw"))
                        assert_int_equal(duty_unavailable_add(f->store, f->config, p->id, D("2026-07-06"),
                                                              D("2026-07-12"), NULL, &id, &problem), 0);
        }
        generate(f, "2026-07-06", "2026-07-12", "2026-07-01", &roster);
        for (size_t i = 0; i < roster.n_slots; i++) {
                const StoreAssignment *a = &roster.slots[i];

                if (!streq(a->post, LEADER_POST))
                        continue;
                if (a->person) {
                        assert_string_equal(a->person, "zhangw");
                        filled++;
                } else {
                        assert_non_null(a->reason);
                        assert_non_null(duty_reason_message(a->reason, "zh"));
                        assert_true(roster_empty_reason_from_string(a->reason) > ROSTER_EMPTY_NONE);
                        empty++;
                }
        }
        assert_int_equal(filled, 4);
        assert_int_equal(empty, 3);
        duty_roster_done(&roster);
}

static void test_publish_and_diff(void **state) {
        Fixture *f = *state;
        Refusal problem = {};
        DutyRoster roster = {};
        DutyDiff diff = {};
        StoreAssignment a = {};
        DutyAmend amend = { .amend = true, .reason = "swap by phone" };
        const StoreAssignment *leader;
        const char *spare;
        unsigned empty = 99;
        int version = 0;
        char *holder;
        Stored s;

        generate(f, "2026-08-03", "2026-08-09", "2026-08-01", &roster);
        duty_roster_done(&roster);

        /* A day without any roster is not published. */
        assert_int_equal(duty_publish(f->store, f->config, D("2026-08-03"), D("2026-08-10"), 1, &version, &empty,
                                      &problem), -ENOMSG);
        assert_int_equal(problem.kind, REFUSAL_FAILED);
        assert_non_null(strstr(problem.message, "2026-08-10"));
        refusal_done(&problem);

        assert_int_equal(duty_publish(f->store, f->config, D("2026-08-03"), D("2026-08-09"), 1, &version, &empty,
                                      &problem), 0);
        assert_int_equal(version, 1);
        assert_int_equal(empty, 0);
        assert_int_equal(duty_diff(f->store, f->config, 0, &diff, &problem), 0);
        assert_int_equal(diff.version, 1);
        assert_int_equal(diff.n_changes, 0);
        duty_diff_done(&diff);

        s = list(f, "2026-08-01", "2026-08-12");
        leader = find_slot(&s, D("2026-08-05"), LEADER_POST, 0);
        holder = strdup(leader->person);
        spare = free_person(f, &s, ROLE_LEADER, D("2026-08-05"));
        assert_non_null(spare);
        assert_int_equal(duty_unassign(f->store, f->config, D("2026-08-01"), D("2026-08-05"), LEADER_POST, holder, &amend,
                                       &problem), 0);
        assert_int_equal(duty_assign(f->store, f->config, D("2026-08-01"), D("2026-08-05"), LEADER_POST, spare, false, &amend,
                                     &a, &problem), 0);
        duty_amend_done(&amend);
        duty_assignment_done(&a);

        assert_int_equal(duty_diff(f->store, f->config, 1, &diff, &problem), 0);
        assert_int_equal(diff.n_changes, 1);
        assert_int_equal(diff.changes[0].day, D("2026-08-05"));
        assert_string_equal(diff.changes[0].post, LEADER_POST);
        assert_string_equal(diff.changes[0].before, holder);
        assert_string_equal(diff.changes[0].after, spare);
        duty_diff_done(&diff);

        assert_int_equal(duty_diff(f->store, f->config, 7, &diff, &problem), -ENOENT);
        assert_string_equal(problem.what, "publication");
        refusal_done(&problem);
        free(holder);
        stored_done(&s);
}

static void test_stats(void **state) {
        Fixture *f = *state;
        DutyRoster roster = {};
        DutyStats st = {};
        unsigned total = 0, leaders = 0;

        generate(f, "2026-01-01", "2026-01-31", "2025-12-20", &roster);
        assert_int_equal(duty_stats(f->store, f->config, 2026, D("2026-01-10"), &st), 0);
        assert_int_equal(st.year, 2026);
        assert_int_equal(st.stats->filled, roster.filled);
        for (size_t i = 0; i < st.stats->n_people; i++) {
                total += st.stats->people[i].total;
                if (person_has_role(&f->config->people[i], ROLE_LEADER))
                        leaders += st.stats->people[i].total;
                /* The last duty counted is one served by the 10th. */
                if (st.last[i] != DAY_NONE)
                        assert_true(st.last[i] >= D("2026-01-01") && st.last[i] <= D("2026-01-10"));
        }
        assert_int_equal(total, roster.filled);
        assert_int_equal(leaders, 31);
        assert_true(st.stats->spread[ROLE_LEADER][FAIR_WORKDAY] <= 1);
        duty_stats_done(&st);
        duty_roster_done(&roster);
}

/* The amendment's MESSAGE_ID has its catalog entry, in English and in Chinese. */
static void test_amendment_catalog(void **state) {
        _cleanup_free_ char *text = source_file_read("packaging/dutyd.catalog");
        assert_non_null(strstr(text, "\n-- " DUTY_MESSAGE_ID_AMENDMENT "\nSubject: "));
        assert_non_null(strstr(text, "\n-- " DUTY_MESSAGE_ID_AMENDMENT " zh_CN\nSubject: "));
        assert_non_null(strstr(text, "@DUTY_VERSION@"));
        assert_non_null(strstr(text, "@DUTY_REASON@"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_generate_stores_every_slot, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_locked_kept, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_past_refused, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_generate_keeps, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_published_frozen, fixture_setup, fixture_teardown),
                cmocka_unit_test(test_amendment_catalog),
                cmocka_unit_test_setup_teardown(test_assign_rules, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_history_carries_over, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_unknown_year, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_holiday_find, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_sensitive_merged, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_too_few_leaders, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_publish_and_diff, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_stats, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
