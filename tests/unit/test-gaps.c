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
#include "gaps.h"
#include "leave.h"
#include "roster.h"
#include "rules.h"

#define HANDOVER (8 * 60 + 30)
#define MAX_SLOTS 128
#define MAX_LEAVES 8
#define MAX_ABSENCES 4
#define MAX_PUBLICATIONS 4
#define MAX_SWAPS 4

enum {
        P_SECRETARY,
        P_HEAD,
        P_VICE,
        P_VICE2,
        P_OFF1,
        P_OFF2,
        P_OFF3,
        P_RETIRED,
        _P_MAX,
};

typedef struct Fixture {
        Person people[_P_MAX];
        size_t principal_members[2];
        Group groups[1];
        Post posts[2];
        char *never_together[1];
        Config config;

        HolidayNotice notices[1];
        HolidayDay days[SPRING_FESTIVAL_2026_DAYS];
        Calendar cal;

        RosterSlot slots[MAX_SLOTS];
        Leave leaves[MAX_LEAVES];
        RosterAbsence absences[MAX_ABSENCES];
        GapsPublication publications[MAX_PUBLICATIONS];
        GapsSwap swaps[MAX_SWAPS];
        GapsInput in;

        Gap *gaps;
        size_t n_gaps;
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof(Fixture));

        assert_non_null(f);

        f->people[P_SECRETARY] = test_person("secretary", "王建国", NULL, ROLE_BIT(ROLE_LEADER));
        f->people[P_HEAD] = test_person("head", "李明", NULL, ROLE_BIT(ROLE_LEADER));
        f->people[P_VICE] = test_person("vice", "孙丽", NULL, ROLE_BIT(ROLE_LEADER));
        f->people[P_VICE2] = test_person("vice2", "周涛", NULL, ROLE_BIT(ROLE_LEADER));
        f->people[P_OFF1] = test_person("off1", "刘洋", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_OFF2] = test_person("off2", "杨帆", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_OFF3] = test_person("off3", "黄磊", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_RETIRED] = test_person("retired", "老张", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_RETIRED].active_until = D("2026-03-04");

        f->principal_members[0] = P_SECRETARY;
        f->principal_members[1] = P_HEAD;
        f->groups[0] = (Group) { .id = (char *) "principals", .name = (char *) "党政主要负责同志",
                                 .members = f->principal_members, .n_members = 2 };
        f->posts[0] = (Post) { .id = (char *) "leader_on_call", .name = (char *) "带班领导", .role = ROLE_LEADER,
                               .count = { 1, 1, 1, 1 } };
        f->posts[1] = (Post) { .id = (char *) "officer", .name = (char *) "值班员", .role = ROLE_OFFICER,
                               .count = { 1, 1, 2, 2 } };
        f->never_together[0] = (char *) "principals";

        f->config = (Config) {
                .handover_minutes = HANDOVER,
                .language = (char *) "zh",
                TEST_CONFIG_TABLES(f, _P_MAX),
                .roster = { .min_rest_days = 1, .publish_days_before = 2, .horizon_days = 10 },
                .swap = { .lead_days = 1, .leader_approves = true },
        };
        leave_rules_init(&f->config.leave);
        f->config.leave.never_together_groups = f->never_together;
        f->config.leave.n_never_together_groups = 1;

        /* 2026 Spring Festival: off 02-15..02-23, make-up workdays 02-14 (Sat) and 02-28 (Sat). No
         * notice for 2027. */
        test_spring_festival_2026(&f->notices[0], f->days);
        f->cal = (Calendar) {
                .notices = f->notices, .n_notices = ELEMENTSOF(f->notices),
                .days = f->days, .n_days = ELEMENTSOF(f->days),
        };

        f->in = (GapsInput) {
                .config = &f->config,
                .calendar = &f->cal,
                .today = D("2026-03-02"),
                .now_minutes = 9 * 60,
                .slots = f->slots,
                .leaves = f->leaves,
                .absences = f->absences,
                .publications = f->publications,
                .swaps = f->swaps,
        };

        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;

        gaps_free_many(f->gaps, f->n_gaps);
        free(f);
        return 0;
}

static void add_slot(Fixture *f, Day day, const char *post, int slot, const char *person_id) {
        assert_true(f->in.n_slots < MAX_SLOTS);
        f->slots[f->in.n_slots++] = (RosterSlot) { .day = day, .post = post, .slot = slot, .person = person_id };
}

/* A complete roster from..to: the leaders and officers in turn, two officers on holidays. */
static void fill(Fixture *f, const char *from, const char *to) {
        static const char *const leaders[] = { "secretary", "head", "vice", "vice2" };
        static const char *const officers[] = { "off1", "off2", "off3" };
        unsigned k = 0;

        for (Day d = D(from); d <= D(to); d++, k++) {
                add_slot(f, d, "leader_on_call", 0, leaders[k % ELEMENTSOF(leaders)]);
                add_slot(f, d, "officer", 0, officers[k % ELEMENTSOF(officers)]);
                if (calendar_day_type(&f->cal, d) == DAY_TYPE_HOLIDAY)
                        add_slot(f, d, "officer", 1, officers[(k + 1) % ELEMENTSOF(officers)]);
        }
}

static RosterSlot *find_slot(Fixture *f, const char *day, const char *post, int slot) {
        for (size_t i = 0; i < f->in.n_slots; i++)
                if (f->slots[i].day == D(day) && strcmp(f->slots[i].post, post) == 0 && f->slots[i].slot == slot)
                        return &f->slots[i];
        fail_msg("no slot %s %s %d", day, post, slot);
        return NULL;
}

static void remove_slot(Fixture *f, const char *day, const char *post, int slot) {
        RosterSlot *s = find_slot(f, day, post, slot);

        *s = f->slots[--f->in.n_slots];
}

/* Whole days, from the handover of the first to the end of the last. */
static Leave *add_leave(Fixture *f, int64_t id, const char *person_id, const char *from, const char *to,
                        LeaveState state) {
        Leave *l;

        assert_true(f->in.n_leaves < MAX_LEAVES);
        l = &f->leaves[f->in.n_leaves++];
        *l = (Leave) {
                .id = id,
                .person = (char *) person_id,
                .kind = LEAVE_KIND_PERSONAL,
                .start = { D(from), HANDOVER },
                .end = { D(to), MINUTES_PER_DAY },
                .requested = D("2026-02-20"),
                .paperwork_due = DAY_NONE,
                .state = state,
        };
        return l;
}

static void compute(Fixture *f) {
        f->gaps = gaps_free_many(f->gaps, f->n_gaps);
        f->n_gaps = 0;
        assert_int_equal(gaps_compute(&f->in, &f->gaps, &f->n_gaps), 0);
        for (size_t i = 0; i < f->n_gaps; i++)
                print_message("  gap %s (%s)\n", f->gaps[i].id, gap_urgency_to_string(f->gaps[i].urgency));
}

static const Gap *find_gap(Fixture *f, const char *id) {
        for (size_t i = 0; i < f->n_gaps; i++)
                if (strcmp(f->gaps[i].id, id) == 0)
                        return &f->gaps[i];
        return NULL;
}

static const Gap *expect_gap(Fixture *f, const char *id, GapKind kind, GapUrgency urgency) {
        const Gap *g = find_gap(f, id);

        if (!g)
                fail_msg("expected gap %s", id);
        assert_int_equal(g->kind, kind);
        assert_string_equal(gap_urgency_to_string(g->urgency), gap_urgency_to_string(urgency));
        return g;
}

static void test_strings(void **state) {
        for (GapKind k = 0; k < _GAP_KIND_MAX; k++) {
                assert_non_null(gap_kind_to_string(k));
                assert_int_equal(gap_kind_from_string(gap_kind_to_string(k)), k);
        }
        assert_null(gap_kind_to_string(_GAP_KIND_MAX));
        assert_int_equal(gap_kind_from_string("nonsense"), _GAP_KIND_INVALID);
        assert_int_equal(gap_kind_from_string(NULL), _GAP_KIND_INVALID);

        for (GapUrgency u = 0; u < _GAP_URGENCY_MAX; u++)
                assert_int_equal(gap_urgency_from_string(gap_urgency_to_string(u)), u);
        assert_string_equal(gap_urgency_to_string(GAP_URGENCY_CRIT), "crit");
        assert_string_equal(gap_urgency_to_string(GAP_URGENCY_NOTICE), "notice");
        assert_true(GAP_URGENCY_CRIT > GAP_URGENCY_ERR && GAP_URGENCY_ERR > GAP_URGENCY_WARNING &&
                    GAP_URGENCY_WARNING > GAP_URGENCY_NOTICE);
}

static void test_urgency_thresholds(void **state) {
        Day d = D("2026-03-02");

        /* Today's duty, started or not, and earlier ones: crit. */
        assert_int_equal(gaps_urgency(d, 5, HANDOVER, d), GAP_URGENCY_CRIT);
        assert_int_equal(gaps_urgency(d, 23 * 60, HANDOVER, d), GAP_URGENCY_CRIT);
        assert_int_equal(gaps_urgency(d, 9 * 60, HANDOVER, d - 1), GAP_URGENCY_CRIT);
        /* Tomorrow's, late in the evening: more than an hour, within a day. */
        assert_int_equal(gaps_urgency(d, 23 * 60 + 59, HANDOVER, d + 1), GAP_URGENCY_ERR);
        /* Exactly one day ahead is err; a minute more is warning. */
        assert_int_equal(gaps_urgency(d, HANDOVER, HANDOVER, d + 1), GAP_URGENCY_ERR);
        assert_int_equal(gaps_urgency(d, HANDOVER - 1, HANDOVER, d + 1), GAP_URGENCY_WARNING);
        /* Seven days. */
        assert_int_equal(gaps_urgency(d, HANDOVER, HANDOVER, d + 7), GAP_URGENCY_WARNING);
        assert_int_equal(gaps_urgency(d, HANDOVER - 1, HANDOVER, d + 7), GAP_URGENCY_NOTICE);
        assert_int_equal(gaps_urgency(d, 0, HANDOVER, d + 30), GAP_URGENCY_NOTICE);
        /* A handover just after midnight: within the hour before it, the day before. */
        assert_int_equal(gaps_urgency(d, 23 * 60 + 45, 30, d + 1), GAP_URGENCY_CRIT);
        assert_int_equal(gaps_urgency(d, 23 * 60 + 29, 30, d + 1), GAP_URGENCY_ERR);
}

static void test_next_boundary(void **state) {
        assert_int_equal(gaps_minutes_to_next_boundary(0, HANDOVER), HANDOVER - 60);
        assert_int_equal(gaps_minutes_to_next_boundary(HANDOVER - 60, HANDOVER), 60);
        assert_int_equal(gaps_minutes_to_next_boundary(HANDOVER - 1, HANDOVER), 1);
        assert_int_equal(gaps_minutes_to_next_boundary(HANDOVER, HANDOVER), MINUTES_PER_DAY - HANDOVER);
        assert_int_equal(gaps_minutes_to_next_boundary(MINUTES_PER_DAY - 1, HANDOVER), 1);
        /* A handover at 00:30: an hour before it is the evening before. */
        assert_int_equal(gaps_minutes_to_next_boundary(23 * 60, 30), 30);
        assert_int_equal(gaps_minutes_to_next_boundary(0, 30), 30);
        for (int m = 0; m < MINUTES_PER_DAY; m += 7) {
                int n = gaps_minutes_to_next_boundary(m, HANDOVER);

                assert_true(n > 0 && n <= MINUTES_PER_DAY);
        }
}

static void test_no_gaps(void **state) {
        Fixture *f = *state;

        fill(f, "2026-03-02", "2026-03-11");
        compute(f);
        assert_int_equal(f->n_gaps, 0);
        assert_null(f->gaps);
}

static void test_unfilled(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        find_slot(f, "2026-03-03", "officer", 0)->person = NULL;
        remove_slot(f, "2026-03-10", "leader_on_call", 0);
        compute(f);
        assert_int_equal(f->n_gaps, 2);

        g = expect_gap(f, "unfilled:2026-03-03:officer:0", GAP_UNFILLED, GAP_URGENCY_ERR);
        assert_int_equal(g->day, D("2026-03-03"));
        assert_string_equal(g->post, "officer");
        assert_int_equal(g->slot, 0);
        assert_int_equal(g->n_people, 0);
        /* A slot missing from a day that has a roster is unfilled too. */
        g = expect_gap(f, "unfilled:2026-03-10:leader_on_call:0", GAP_UNFILLED, GAP_URGENCY_NOTICE);
        assert_int_equal(g->day, D("2026-03-10"));

        /* Ordered by day. */
        assert_string_equal(f->gaps[0].id, "unfilled:2026-03-03:officer:0");
}

static void test_unfilled_holiday_count(void **state) {
        Fixture *f = *state;

        /* The second officer of a holiday is missing; the roster exists. */
        f->in.today = D("2026-02-10");
        fill(f, "2026-02-10", "2026-02-19");
        remove_slot(f, "2026-02-16", "officer", 1);
        f->publications[f->in.n_publications++] = (GapsPublication) { D("2026-02-14"), D("2026-02-23") };
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        expect_gap(f, "unfilled:2026-02-16:officer:1", GAP_UNFILLED, GAP_URGENCY_WARNING);
}

static void test_leave_conflict(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        /* head holds leader_on_call on 03-03 (day 1 of the cycle). */
        assert_string_equal(find_slot(f, "2026-03-03", "leader_on_call", 0)->person, "head");
        add_leave(f, 17, "head", "2026-03-03", "2026-03-03", LEAVE_STATE_APPROVED);
        /* Pending, rejected and returned leave take nobody away. */
        add_leave(f, 18, "vice", "2026-03-04", "2026-03-04", LEAVE_STATE_PENDING);
        add_leave(f, 19, "vice2", "2026-03-05", "2026-03-05", LEAVE_STATE_REJECTED);
        compute(f);
        assert_int_equal(f->n_gaps, 1);

        g = expect_gap(f, "leave_conflict:2026-03-03:leader_on_call:0:head", GAP_LEAVE_CONFLICT, GAP_URGENCY_ERR);
        assert_int_equal(g->leave_id, 17);
        assert_false(g->unavailable);
        assert_int_equal(g->n_people, 1);
        assert_string_equal(g->people[0], "head");
        assert_string_equal(g->post, "leader_on_call");

        /* Reported back early: the duty is no longer threatened. */
        f->leaves[0].state = LEAVE_STATE_RETURNED;
        f->leaves[0].returned = (LeaveTime) { D("2026-03-02"), 8 * 60 };
        compute(f);
        assert_int_equal(f->n_gaps, 0);
}

static void test_unavailable_conflict(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        assert_string_equal(find_slot(f, "2026-03-09", "officer", 0)->person, "off2");
        f->absences[f->in.n_absences++] = (RosterAbsence) {
                .person = "off2", .from = D("2026-03-09"), .to = D("2026-03-12"), .kind = ROSTER_ABSENCE_UNAVAILABLE,
        };
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = expect_gap(f, "leave_conflict:2026-03-09:officer:0:off2", GAP_LEAVE_CONFLICT, GAP_URGENCY_WARNING);
        assert_true(g->unavailable);
        assert_int_equal(g->leave_id, 0);
}

static void test_ineligible(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        /* Removed from the configuration by a reload, still holding a duty: a gap, not a dangling
         * reference. */
        find_slot(f, "2026-03-04", "officer", 0)->person = "gone";
        /* Active until 03-04 only. */
        find_slot(f, "2026-03-04", "leader_on_call", 0)->person = "vice";
        find_slot(f, "2026-03-05", "officer", 0)->person = "retired";
        find_slot(f, "2026-03-03", "officer", 0)->person = "retired";
        /* An officer on the leader's post. */
        find_slot(f, "2026-03-06", "leader_on_call", 0)->person = "off3";
        compute(f);
        assert_int_equal(f->n_gaps, 3);

        g = expect_gap(f, "ineligible:2026-03-04:officer:0:gone", GAP_INELIGIBLE, GAP_URGENCY_WARNING);
        assert_int_equal(g->ineligible, GAP_INELIGIBLE_UNKNOWN_PERSON);
        assert_string_equal(g->people[0], "gone");
        g = expect_gap(f, "ineligible:2026-03-05:officer:0:retired", GAP_INELIGIBLE, GAP_URGENCY_WARNING);
        assert_int_equal(g->ineligible, GAP_INELIGIBLE_INACTIVE);
        g = expect_gap(f, "ineligible:2026-03-06:leader_on_call:0:off3", GAP_INELIGIBLE, GAP_URGENCY_WARNING);
        assert_int_equal(g->ineligible, GAP_INELIGIBLE_ROLE);
        assert_null(find_gap(f, "ineligible:2026-03-03:officer:0:retired"));
        assert_string_equal(gap_ineligible_to_string(GAP_INELIGIBLE_INACTIVE), "inactive");
}

static void test_rule_min_leaders(void **state) {
        Fixture *f = *state;
        const Gap *g;

        f->config.leave.min_leaders_present = 3;
        fill(f, "2026-03-02", "2026-03-11");
        /* vice away 03-09..03-11 and vice2 03-11 only: two of four leaders away on 03-11. The duties
         * of those days go to the two others, so that only the rule is broken. */
        find_slot(f, "2026-03-09", "leader_on_call", 0)->person = "secretary";
        find_slot(f, "2026-03-10", "leader_on_call", 0)->person = "secretary";
        find_slot(f, "2026-03-11", "leader_on_call", 0)->person = "head";
        add_leave(f, 21, "vice", "2026-03-09", "2026-03-11", LEAVE_STATE_APPROVED);
        add_leave(f, 22, "vice2", "2026-03-11", "2026-03-11", LEAVE_STATE_STARTED);
        compute(f);
        assert_int_equal(f->n_gaps, 1);

        g = expect_gap(f, "rule:min_leaders_present:2026-03-11", GAP_RULE, GAP_URGENCY_NOTICE);
        assert_string_equal(g->rule, RULES_MIN_LEADERS_PRESENT);
        assert_int_equal(g->day, D("2026-03-11"));
        /* Both, in configuration order, whichever leave was looked at first. */
        assert_int_equal(g->n_people, 2);
        assert_string_equal(g->people[0], "vice");
        assert_string_equal(g->people[1], "vice2");

        /* One of them cancelled: enough leaders again. */
        f->leaves[1].state = LEAVE_STATE_CANCELLED;
        compute(f);
        assert_int_equal(f->n_gaps, 0);

        /* The rule off: no gap whatever the leave. */
        f->leaves[1].state = LEAVE_STATE_APPROVED;
        f->config.leave.min_leaders_present = 0;
        compute(f);
        assert_int_equal(f->n_gaps, 0);
}

static void test_rule_never_together(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        for (Day d = D("2026-03-05"); d <= D("2026-03-08"); d++)
                for (size_t i = 0; i < f->in.n_slots; i++)
                        if (f->slots[i].day == d && strcmp(f->slots[i].post, "leader_on_call") == 0)
                                f->slots[i].person = "vice";
        /* The two principals away together on 03-06 and 03-07. */
        add_leave(f, 31, "secretary", "2026-03-05", "2026-03-07", LEAVE_STATE_APPROVED);
        add_leave(f, 32, "head", "2026-03-06", "2026-03-08", LEAVE_STATE_APPROVED);
        compute(f);
        assert_int_equal(f->n_gaps, 2);

        g = expect_gap(f, "rule:never_together:2026-03-06", GAP_RULE, GAP_URGENCY_WARNING);
        assert_string_equal(g->rule, RULES_NEVER_TOGETHER);
        assert_int_equal(g->n_people, 2);
        assert_string_equal(g->people[0], "secretary");
        assert_string_equal(g->people[1], "head");
        expect_gap(f, "rule:never_together:2026-03-07", GAP_RULE, GAP_URGENCY_WARNING);
        assert_null(find_gap(f, "rule:never_together:2026-03-05"));
        assert_null(find_gap(f, "rule:never_together:2026-03-08"));
}

static size_t count_kind(const Fixture *f, GapKind kind) {
        size_t n = 0;

        for (size_t i = 0; i < f->n_gaps; i++)
                if (f->gaps[i].kind == kind)
                        n++;
        return n;
}

/* The secretary's approved leave names vice2 to act; vice2 away on one of those days (a leave
 * approved before he was named) leaves that day with nobody acting. */
static void test_acting_uncovered(void **state) {
        Fixture *f = *state;
        _cleanup_free_ char *zh = NULL, *en = NULL;
        Leave *p;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        p = add_leave(f, 41, "secretary", "2026-03-05", "2026-03-07", LEAVE_STATE_APPROVED);
        p->acting = (char *) "vice2";
        add_leave(f, 42, "vice2", "2026-03-07", "2026-03-08", LEAVE_STATE_APPROVED);
        compute(f);
        assert_int_equal(count_kind(f, GAP_ACTING_UNCOVERED), 1);
        g = expect_gap(f, "acting_uncovered:2026-03-07:secretary", GAP_ACTING_UNCOVERED, GAP_URGENCY_WARNING);
        assert_int_equal(g->day, D("2026-03-07"));
        assert_string_equal(g->rule, RULES_ACTING_AWAY);
        assert_int_equal(g->leave_id, 41);
        assert_int_equal(g->n_people, 2);
        assert_string_equal(g->people[0], "secretary");
        assert_string_equal(g->people[1], "vice2");
        zh = gap_message(g, &f->config, "zh");
        en = gap_message(g, &f->config, "en");
        assert_non_null(zh);
        assert_non_null(en);
        assert_non_null(strstr(zh, "代为主持工作缺位：2026-03-07"));
        assert_non_null(strstr(en, "Nobody acts for"));

        /* A leave still pending takes nobody away; nor does a cancelled principal's leave need anyone. */
        f->leaves[1].state = LEAVE_STATE_PENDING;
        compute(f);
        assert_int_equal(count_kind(f, GAP_ACTING_UNCOVERED), 0);
        f->leaves[1].state = LEAVE_STATE_APPROVED;
        f->leaves[0].state = LEAVE_STATE_CANCELLED;
        compute(f);
        assert_int_equal(count_kind(f, GAP_ACTING_UNCOVERED), 0);

        /* Two records of the principal on one day (an older database): still one gap a day. */
        p = add_leave(f, 43, "secretary", "2026-03-07", "2026-03-07", LEAVE_STATE_APPROVED);
        p->acting = (char *) "vice2";
        compute(f);
        assert_int_equal(count_kind(f, GAP_ACTING_UNCOVERED), 1);
        f->leaves[2].state = LEAVE_STATE_CANCELLED;

        /* Out of office on those days counts as away. */
        f->leaves[0].state = LEAVE_STATE_APPROVED;
        f->leaves[1].state = LEAVE_STATE_CANCELLED;
        f->people[P_VICE2].active_until = D("2026-03-05");
        compute(f);
        assert_int_equal(count_kind(f, GAP_ACTING_UNCOVERED), 2);
        expect_gap(f, "acting_uncovered:2026-03-06:secretary", GAP_ACTING_UNCOVERED, GAP_URGENCY_WARNING);
        expect_gap(f, "acting_uncovered:2026-03-07:secretary", GAP_ACTING_UNCOVERED, GAP_URGENCY_WARNING);
}

static void test_roster_missing(void **state) {
        Fixture *f = *state;
        const Gap *g;

        /* Roster for 03-02..03-04 and 03-07..03-08: two runs missing within the 10-day horizon. */
        fill(f, "2026-03-02", "2026-03-04");
        fill(f, "2026-03-07", "2026-03-08");
        compute(f);
        assert_int_equal(f->n_gaps, 2);

        g = expect_gap(f, "roster_missing:2026-03-05", GAP_ROSTER_MISSING, GAP_URGENCY_WARNING);
        assert_int_equal(g->day, D("2026-03-05"));
        assert_int_equal(g->until, D("2026-03-06"));
        /* Seven days ahead less half an hour. */
        g = expect_gap(f, "roster_missing:2026-03-09", GAP_ROSTER_MISSING, GAP_URGENCY_WARNING);
        assert_int_equal(g->until, D("2026-03-11"));

        /* A longer window looks further but asks for no roster beyond the horizon. */
        f->in.days = 30;
        compute(f);
        assert_int_equal(f->n_gaps, 2);
        g = expect_gap(f, "roster_missing:2026-03-09", GAP_ROSTER_MISSING, GAP_URGENCY_WARNING);
        assert_int_equal(g->until, D("2026-03-11"));

        /* Nothing at all: one gap, from the duty day running now (before the handover, yesterday's). */
        f->in.n_slots = 0;
        f->in.days = 0;
        f->in.now_minutes = 7 * 60;
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = expect_gap(f, "roster_missing:2026-03-01", GAP_ROSTER_MISSING, GAP_URGENCY_CRIT);
        assert_int_equal(g->until, D("2026-03-10"));
}

static void test_holiday_unpublished(void **state) {
        Fixture *f = *state;
        const Gap *g;

        /* The Spring Festival period is 02-15..02-23 (02-14 is a make-up workday), due for
         * publication two days before it, by 02-13. */
        f->in.today = D("2026-02-12");
        fill(f, "2026-02-12", "2026-02-25");
        compute(f);
        assert_int_equal(f->n_gaps, 0);

        f->in.today = D("2026-02-13");
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = expect_gap(f, "holiday_unpublished:2026-春节", GAP_HOLIDAY_UNPUBLISHED, GAP_URGENCY_WARNING);
        assert_int_equal(g->day, D("2026-02-15"));
        assert_int_equal(g->until, D("2026-02-23"));
        assert_int_equal(g->year, 2026);
        assert_string_equal(g->name, "春节");

        /* Half of it published is not enough; published in two parts is. */
        f->publications[f->in.n_publications++] = (GapsPublication) { D("2026-02-10"), D("2026-02-19") };
        compute(f);
        expect_gap(f, "holiday_unpublished:2026-春节", GAP_HOLIDAY_UNPUBLISHED, GAP_URGENCY_WARNING);
        f->publications[f->in.n_publications++] = (GapsPublication) { D("2026-02-20"), D("2026-02-28") };
        compute(f);
        assert_int_equal(f->n_gaps, 0);

        /* Still unpublished once it has begun: crit. */
        f->in.n_publications = 0;
        f->in.today = D("2026-02-16");
        compute(f);
        expect_gap(f, "holiday_unpublished:2026-春节", GAP_HOLIDAY_UNPUBLISHED, GAP_URGENCY_CRIT);
}

static void test_calendar_unknown(void **state) {
        Fixture *f = *state;
        const Gap *g;

        f->in.today = D("2026-12-28");
        fill(f, "2026-12-28", "2026-12-31");
        compute(f);
        /* 2027 is unknown from 01-01; its days have no roster either. */
        assert_int_equal(f->n_gaps, 2);
        g = expect_gap(f, "calendar_unknown:2027", GAP_CALENDAR_UNKNOWN, GAP_URGENCY_WARNING);
        assert_int_equal(g->day, D("2027-01-01"));
        assert_int_equal(g->until, D("2027-01-06"));
        assert_int_equal(g->year, 2027);
        expect_gap(f, "roster_missing:2027-01-01", GAP_ROSTER_MISSING, GAP_URGENCY_WARNING);

        /* A roster planned over the unknown days as ordinary ones: still unknown, but no longer
         * missing, and judged as ordinary days. */
        fill(f, "2027-01-01", "2027-01-06");
        for (size_t i = 0; i < f->in.n_slots; i++)
                if (f->slots[i].day >= D("2027-01-01"))
                        f->slots[i].assume_ordinary = true;
        find_slot(f, "2027-01-04", "officer", 0)->person = NULL;
        compute(f);
        assert_int_equal(f->n_gaps, 2);
        expect_gap(f, "calendar_unknown:2027", GAP_CALENDAR_UNKNOWN, GAP_URGENCY_WARNING);
        expect_gap(f, "unfilled:2027-01-04:officer:0", GAP_UNFILLED, GAP_URGENCY_WARNING);
}

static void test_leave_overdue(void **state) {
        Fixture *f = *state;
        const Gap *g;
        Leave *l;

        fill(f, "2026-03-02", "2026-03-11");
        l = add_leave(f, 41, "off3", "2026-02-25", "2026-02-27", LEAVE_STATE_STARTED);
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = find_gap(f, "leave_overdue:41");
        assert_non_null(g);
        assert_int_equal(g->kind, GAP_LEAVE_OVERDUE);
        assert_int_equal(g->leave_id, 41);
        assert_string_equal(g->people[0], "off3");
        assert_int_equal(g->day, D("2026-02-27"));
        /* off3 is on duty on 03-04: as urgent as that duty. */
        assert_string_equal(find_slot(f, "2026-03-04", "officer", 0)->person, "off3");
        assert_int_equal(g->urgency, GAP_URGENCY_WARNING);
        find_slot(f, "2026-03-04", "officer", 0)->person = "off1";
        find_slot(f, "2026-03-07", "officer", 0)->person = "off1";
        find_slot(f, "2026-03-10", "officer", 0)->person = "off1";
        find_slot(f, "2026-03-02", "officer", 0)->person = "off3";
        compute(f);
        assert_int_equal(find_gap(f, "leave_overdue:41")->urgency, GAP_URGENCY_CRIT);

        /* Reported back: gone. An approved leave that has not ended yet is not overdue. */
        l->state = LEAVE_STATE_RETURNED;
        add_leave(f, 42, "vice2", "2026-03-01", "2026-03-01", LEAVE_STATE_APPROVED);
        f->leaves[1].end = (LeaveTime) { D("2026-03-02"), 10 * 60 };
        compute(f);
        assert_int_equal(f->n_gaps, 0);
        f->in.now_minutes = 10 * 60;
        compute(f);
        assert_non_null(find_gap(f, "leave_overdue:42"));
}

static void test_paperwork_overdue(void **state) {
        Fixture *f = *state;
        const Gap *g;
        Leave *l;

        fill(f, "2026-03-02", "2026-03-11");
        l = add_leave(f, 51, "off1", "2026-02-26", "2026-02-26", LEAVE_STATE_RETURNED);
        l->returned = (LeaveTime) { D("2026-02-26"), 18 * 60 };
        l->urgent = true;
        l->requested = D("2026-02-26");
        l->paperwork_due = D("2026-02-28");
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = expect_gap(f, "paperwork_overdue:51", GAP_PAPERWORK_OVERDUE, GAP_URGENCY_NOTICE);
        assert_int_equal(g->leave_id, 51);
        assert_int_equal(g->day, D("2026-02-28"));
        assert_string_equal(g->people[0], "off1");

        l->paperwork_done = true;
        compute(f);
        assert_int_equal(f->n_gaps, 0);

        /* Due today is not overdue yet. */
        l->paperwork_done = false;
        l->paperwork_due = D("2026-03-02");
        compute(f);
        assert_int_equal(f->n_gaps, 0);
}

static void test_swap_pending(void **state) {
        Fixture *f = *state;
        const Gap *g;

        fill(f, "2026-03-02", "2026-03-11");
        /* Duty on 03-04 at 08:30, lead time one day: to be approved by 03-03 08:30, 23.5 hours from
         * now. */
        f->swaps[f->in.n_swaps++] = (GapsSwap) {
                .id = 5, .day = D("2026-03-04"), .post = "officer", .slot = 0,
                .requester = "off3", .counterpart = "off1",
                .deadline_day = D("2026-03-03"), .deadline_minutes = HANDOVER,
        };
        /* Far from its deadline. */
        f->swaps[f->in.n_swaps++] = (GapsSwap) {
                .id = 6, .day = D("2026-03-09"), .post = "officer", .slot = 0,
                .requester = "off2", .counterpart = "off1",
                .deadline_day = D("2026-03-08"), .deadline_minutes = HANDOVER,
        };
        /* Past its deadline: expired, nothing is waiting. */
        f->swaps[f->in.n_swaps++] = (GapsSwap) {
                .id = 7, .day = D("2026-03-03"), .post = "leader_on_call", .slot = 0,
                .requester = "head", .counterpart = "vice",
                .deadline_day = D("2026-03-02"), .deadline_minutes = HANDOVER,
        };
        compute(f);
        assert_int_equal(f->n_gaps, 1);
        g = expect_gap(f, "swap_pending:5", GAP_SWAP_PENDING, GAP_URGENCY_WARNING);
        assert_int_equal(g->swap_id, 5);
        assert_int_equal(g->n_people, 2);
        assert_string_equal(g->people[0], "off3");
        assert_string_equal(g->people[1], "off1");
        assert_int_equal(g->due.day, D("2026-03-03"));
}

static void test_stable_ids(void **state) {
        Fixture *f = *state;
        char **first;
        size_t n;

        f->config.leave.min_leaders_present = 4;
        fill(f, "2026-03-02", "2026-03-08");
        find_slot(f, "2026-03-03", "officer", 0)->person = NULL;
        add_leave(f, 61, "vice2", "2026-03-04", "2026-03-05", LEAVE_STATE_APPROVED);
        compute(f);
        n = f->n_gaps;
        assert_true(n >= 4);
        first = calloc(n, sizeof(char *));
        assert_non_null(first);
        for (size_t i = 0; i < n; i++)
                first[i] = strdup(f->gaps[i].id);

        /* The same state given in another order and an hour later: the same gaps, the same ids, the
         * same order. */
        for (size_t i = 0; i < f->in.n_slots / 2; i++) {
                RosterSlot t = f->slots[i];

                f->slots[i] = f->slots[f->in.n_slots - 1 - i];
                f->slots[f->in.n_slots - 1 - i] = t;
        }
        f->in.now_minutes += 60;
        compute(f);
        assert_int_equal(f->n_gaps, n);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(f->gaps[i].id, first[i]);
                free(first[i]);
        }
        free(first);

        /* Ids are unique. */
        for (size_t i = 0; i < f->n_gaps; i++)
                for (size_t j = i + 1; j < f->n_gaps; j++)
                        assert_string_not_equal(f->gaps[i].id, f->gaps[j].id);
}

static void test_messages(void **state) {
        Fixture *f = *state;
        char *m;

        fill(f, "2026-03-02", "2026-03-11");
        add_leave(f, 17, "head", "2026-03-03", "2026-03-03", LEAVE_STATE_APPROVED);
        find_slot(f, "2026-03-05", "officer", 0)->person = NULL;
        compute(f);
        assert_int_equal(f->n_gaps, 2);

        m = gap_message(find_gap(f, "leave_conflict:2026-03-03:leader_on_call:0:head"), &f->config, "zh");
        assert_non_null(m);
        assert_non_null(strstr(m, "李明"));
        assert_non_null(strstr(m, "带班领导"));
        assert_non_null(strstr(m, "2026-03-03"));
        assert_non_null(strstr(m, "17"));
        free(m);
        m = gap_message(find_gap(f, "leave_conflict:2026-03-03:leader_on_call:0:head"), &f->config, "en");
        assert_non_null(m);
        assert_non_null(strstr(m, "李明 (head)"));
        assert_non_null(strstr(m, "approved leave (leave 17)"));
        free(m);
        m = gap_message(find_gap(f, "unfilled:2026-03-05:officer:0"), &f->config, "en");
        assert_non_null(m);
        assert_non_null(strstr(m, "Unfilled post"));
        assert_non_null(strstr(m, "2026-03-05 (Thu)"));
        free(m);
}

/* Overdue reports and missed presence checks are gaps of their own kinds, crit, listed but told to
 * the journal elsewhere. */
static void test_reports_and_presence(void **state) {
        Fixture *f = *state;
        GapsReport reports[2] = {
                { .log_id = 7, .report = DUTYLOG_REPORT_WRITTEN, .day = D("2026-02-28"), .overdue = 15,
                  .person = "off2" },
                { .log_id = 0, .report = _DUTYLOG_REPORT_INVALID, .day = D("2026-03-02"), .overdue = 40 },
        };
        GapsPresenceMiss misses[2] = {
                { .id = 3, .duty_day = D("2026-03-02"), .day = D("2026-03-03"), .minutes = 2 * 60 + 17 },
                /* Of an earlier duty: no longer a gap of the duty running now. */
                { .id = 2, .duty_day = D("2026-03-01"), .day = D("2026-03-02"), .minutes = 1 * 60 },
        };
        const Gap *g;
        char *m;

        fill(f, "2026-03-01", "2026-03-20");
        f->in.now_minutes = HANDOVER + 60;
        compute(f);
        assert_null(find_gap(f, "report_overdue:7:written"));

        f->in.reports = reports;
        f->in.n_reports = 2;
        f->in.presence_misses = misses;
        f->in.n_presence_misses = 2;
        compute(f);
        g = expect_gap(f, "report_overdue:7:written", GAP_REPORT_OVERDUE, GAP_URGENCY_CRIT);
        assert_int_equal(g->day, D("2026-02-28"));
        assert_int_equal(g->log_id, 7);
        assert_int_equal(g->report, DUTYLOG_REPORT_WRITTEN);
        assert_int_equal(g->n_people, 1);
        assert_string_equal(g->people[0], "off2");
        m = gap_message(g, &f->config, "zh");
        assert_non_null(strstr(m, "书面报告已超时 15 分钟"));
        assert_non_null(strstr(m, "dutyctl log report 7 written"));
        free(m);
        m = gap_message(g, &f->config, "en");
        assert_non_null(strstr(m, "written report of emergency 7"));
        free(m);

        g = expect_gap(f, "daily_report_missing:2026-03-02", GAP_DAILY_REPORT_MISSING, GAP_URGENCY_CRIT);
        m = gap_message(g, &f->config, "zh");
        assert_non_null(strstr(m, "每日报告已超时 40 分钟"));
        assert_non_null(strstr(m, "dutyctl report daily --send"));
        free(m);

        g = expect_gap(f, "presence_missed:3", GAP_PRESENCE_MISSED, GAP_URGENCY_CRIT);
        assert_int_equal(g->check_id, 3);
        assert_true(g->n_people >= 2);  /* the people on duty that day */
        m = gap_message(g, &f->config, "zh");
        assert_non_null(strstr(m, "2026-03-03 02:17"));
        free(m);
        assert_null(find_gap(f, "presence_missed:2"));

        /* One journal path: these are told where they are found, never by the monitor. */
        for (GapKind k = 0; k < _GAP_KIND_MAX; k++)
                assert_int_equal(gap_kind_told_by_monitor(k),
                                 k != GAP_REPORT_OVERDUE && k != GAP_DAILY_REPORT_MISSING && k != GAP_PRESENCE_MISSED);

        /* Arrays announced and missing are malformed input. */
        f->in.reports = NULL;
        assert_int_equal(gaps_compute(&f->in, &f->gaps, &f->n_gaps), -EINVAL);
        f->in.n_reports = 0;
}

static size_t takeover_gaps(Fixture *f) {
        size_t n = 0;

        for (size_t i = 0; i < f->n_gaps; i++)
                n += f->gaps[i].kind == GAP_TAKEOVER_MISSING;
        return n;
}

/* A post of the running duty nobody took over is a gap takeover_minutes after the handover; its
 * step grows, and its people go from the people due to the leader on call and the admins. */
static void test_takeover_missing(void **state) {
        Fixture *f = *state;
        GapsTakeover takeovers[2];
        const Gap *g;
        char *m;

        fill(f, "2026-03-01", "2026-03-20");
        f->people[P_OFF3].roles |= ROLE_BIT(ROLE_ADMIN);
        f->people[P_OFF3].phone = (char *) "13800000003";
        f->people[P_OFF2].phone = (char *) "13800000002";
        f->in.now_minutes = HANDOVER + 14;

        /* Not watched: nobody ever took over with dutyd. */
        f->in.now_minutes = HANDOVER + 40;
        compute(f);
        assert_int_equal(takeover_gaps(f), 0);

        /* Watched from today on: 14 minutes after the handover nothing is missing yet. */
        f->in.watch_takeovers = true;
        f->in.takeover_from = D("2026-03-02");
        f->in.now_minutes = HANDOVER + 14;
        compute(f);
        assert_int_equal(takeover_gaps(f), 0);

        /* At 15 minutes, both posts, step 0: the people due only. 03-02's officer is off2, its
         * leader head. */
        f->in.now_minutes = HANDOVER + 15;
        compute(f);
        assert_int_equal(takeover_gaps(f), 2);
        g = expect_gap(f, "takeover_missing:2026-03-02:officer", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT);
        assert_int_equal(g->step, 0);
        assert_int_equal(g->n_due, 1);
        assert_int_equal(g->n_people, 1);
        assert_string_equal(g->people[0], "off2");
        assert_string_equal(g->post, "officer");
        m = gap_message(g, &f->config, "zh");
        assert_non_null(strstr(m, "未接班"));
        assert_non_null(strstr(m, "13800000002"));
        assert_non_null(strstr(m, "dutyctl handover take"));
        free(m);
        m = gap_message(g, &f->config, "en");
        assert_non_null(strstr(m, "not taken over 15 minutes after the handover"));
        free(m);

        /* Step 1: the leader on call as well; step 2: the admins. */
        f->in.now_minutes = HANDOVER + 30;
        compute(f);
        g = expect_gap(f, "takeover_missing:2026-03-02:officer", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT);
        assert_int_equal(g->step, 1);
        assert_int_equal(g->n_people, 2);
        assert_string_equal(g->people[1], "head");
        f->in.now_minutes = HANDOVER + 45;
        compute(f);
        g = expect_gap(f, "takeover_missing:2026-03-02:officer", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT);
        assert_int_equal(g->step, 2);
        assert_int_equal(g->n_due, 1);
        assert_int_equal(g->n_people, 3);
        assert_string_equal(g->people[2], "off3");
        m = gap_message(g, &f->config, "en");
        assert_non_null(strstr(m, "told as it escalates"));
        assert_non_null(strstr(m, "13800000003"));
        free(m);

        /* A takeover ends its post's gap; one of another day does not. */
        takeovers[0] = (GapsTakeover) { .day = D("2026-03-02"), .post = "officer" };
        takeovers[1] = (GapsTakeover) { .day = D("2026-03-01"), .post = "leader_on_call" };
        f->in.takeovers = takeovers;
        f->in.n_takeovers = 2;
        compute(f);
        assert_int_equal(takeover_gaps(f), 1);
        assert_non_null(find_gap(f, "takeover_missing:2026-03-02:leader_on_call"));

        /* Before the first day watched, nothing. */
        f->in.takeover_from = D("2026-03-03");
        compute(f);
        assert_int_equal(takeover_gaps(f), 0);

        /* A post without anybody on it is unfilled, not a missing takeover. */
        f->in.takeover_from = D("2026-03-02");
        f->in.n_takeovers = 0;
        remove_slot(f, "2026-03-02", "officer", 0);
        compute(f);
        assert_int_equal(takeover_gaps(f), 1);
        assert_null(find_gap(f, "takeover_missing:2026-03-02:officer"));

        /* takeover_minutes from the configuration. */
        f->config.takeover_minutes = 60;
        f->in.now_minutes = HANDOVER + 59;
        compute(f);
        assert_int_equal(takeover_gaps(f), 0);
}

static void test_bad_input(void **state) {
        Fixture *f = *state;
        Gap *g = NULL;
        size_t n = 0;
        GapsInput in = f->in;

        in.config = NULL;
        assert_int_equal(gaps_compute(&in, &g, &n), -EINVAL);
        in = f->in;
        in.today = DAY_NONE;
        assert_int_equal(gaps_compute(&in, &g, &n), -EINVAL);
        in = f->in;
        in.days = GAPS_DAYS_MAX + 1;
        assert_int_equal(gaps_compute(&in, &g, &n), -EINVAL);
        in = f->in;
        in.n_slots = 1;
        in.slots = NULL;
        assert_int_equal(gaps_compute(&in, &g, &n), -EINVAL);
        in = f->in;
        in.now_minutes = MINUTES_PER_DAY;
        assert_int_equal(gaps_compute(&in, &g, &n), -EINVAL);
        assert_null(g);
        assert_int_equal(n, 0);
        in = f->in;
        in.days = GAPS_DAYS_MAX;
        assert_int_equal(gaps_compute(&in, &g, &n), 0);
        gaps_free_many(g, n);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_urgency_thresholds),
                cmocka_unit_test(test_next_boundary),
                cmocka_unit_test_setup_teardown(test_no_gaps, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unfilled, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unfilled_holiday_count, setup, teardown),
                cmocka_unit_test_setup_teardown(test_leave_conflict, setup, teardown),
                cmocka_unit_test_setup_teardown(test_unavailable_conflict, setup, teardown),
                cmocka_unit_test_setup_teardown(test_ineligible, setup, teardown),
                cmocka_unit_test_setup_teardown(test_rule_min_leaders, setup, teardown),
                cmocka_unit_test_setup_teardown(test_rule_never_together, setup, teardown),
                cmocka_unit_test_setup_teardown(test_roster_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_holiday_unpublished, setup, teardown),
                cmocka_unit_test_setup_teardown(test_calendar_unknown, setup, teardown),
                cmocka_unit_test_setup_teardown(test_leave_overdue, setup, teardown),
                cmocka_unit_test_setup_teardown(test_paperwork_overdue, setup, teardown),
                cmocka_unit_test_setup_teardown(test_swap_pending, setup, teardown),
                cmocka_unit_test_setup_teardown(test_stable_ids, setup, teardown),
                cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
                cmocka_unit_test_setup_teardown(test_acting_uncovered, setup, teardown),
                cmocka_unit_test_setup_teardown(test_takeover_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reports_and_presence, setup, teardown),
                cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
