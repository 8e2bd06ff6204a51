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
#include "leave.h"
#include "rules.h"

#define HANDOVER (8 * 60 + 30)

/* ---- A county office built by hand ---- */

enum {
        P_SECRETARY,
        P_HEAD,
        P_DEPUTY,
        P_VICE,
        P_VICE2,
        P_DIRECTOR,
        P_OFF1,
        P_OFF2,
        P_OFF3,
        P_CITY,
        _P_MAX,
};

#define MAX_LEAVES 8
#define MAX_DUTIES 16
#define MAX_LOADS 8

typedef struct Fixture {
        Person people[_P_MAX];
        size_t principal_members[2];
        Group groups[1];
        Post posts[2];
        Config config;

        HolidayNotice notices[1];
        HolidayDay days[SPRING_FESTIVAL_2026_DAYS];
        SensitivePeriod sensitive[2];
        Calendar cal;

        char *never_together[1];
        char *require_acting[1];
        LeaveTier tiers[3];
        ApproverRule approvers[5];
        LeaveRules rules;

        Leave leaves[MAX_LEAVES];
        size_t n_leaves;
        RulesDuty duties[MAX_DUTIES];
        size_t n_duties;
        RulesLoad loads[MAX_LOADS];
        size_t n_loads;
        RulesContext ctx;

        RulesViolation *v;
        size_t n_v;
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof(Fixture));

        assert_non_null(f);

        f->people[P_SECRETARY] = test_person("secretary", "王建国", "县委书记", ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_APPROVER));
        f->people[P_HEAD] = test_person("head", "李明", "县长", ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_APPROVER));
        f->people[P_DEPUTY] = test_person("deputy", "赵强", "县委副书记", ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_APPROVER));
        f->people[P_VICE] = test_person("vice", "孙丽", "副县长", ROLE_BIT(ROLE_LEADER));
        f->people[P_VICE2] = test_person("vice2", "周涛", "副县长", ROLE_BIT(ROLE_LEADER));
        f->people[P_DIRECTOR] = test_person("director", "陈刚", "办公室主任", ROLE_BIT(ROLE_OFFICER) | ROLE_BIT(ROLE_APPROVER));
        f->people[P_OFF1] = test_person("off1", "刘洋", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_OFF2] = test_person("off2", "杨帆", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_OFF3] = test_person("off3", "黄磊", NULL, ROLE_BIT(ROLE_OFFICER));
        f->people[P_CITY] = test_person("city", "吴海", "市委书记", ROLE_BIT(ROLE_APPROVER));

        f->principal_members[0] = P_SECRETARY;
        f->principal_members[1] = P_HEAD;
        f->groups[0] = (Group) { .id = (char *) "principals", .name = (char *) "党政主要负责同志",
                                 .members = f->principal_members, .n_members = 2 };
        f->posts[0] = (Post) { .id = (char *) "leader_on_call", .name = (char *) "带班领导", .role = ROLE_LEADER };
        f->posts[1] = (Post) { .id = (char *) "officer", .name = (char *) "值班员", .role = ROLE_OFFICER };

        f->config = (Config) {
                .handover_minutes = HANDOVER,
                TEST_CONFIG_TABLES(f, _P_MAX),
        };

        /* 2026 Spring Festival: off 02-15..02-23, make-up workdays 02-14 (Sat) and 02-28 (Sat). */
        test_spring_festival_2026(&f->notices[0], f->days);

        f->sensitive[0] = (SensitivePeriod) { .id = (char *) "qingming", .name = (char *) "清明安保",
                                              .from = D("2026-04-01"), .to = D("2026-04-05"),
                                              .leave = LEAVE_POLICY_FREEZE };
        f->sensitive[1] = (SensitivePeriod) { .id = (char *) "flood", .name = (char *) "防汛关键期",
                                              .from = D("2026-06-01"), .to = D("2026-06-10"),
                                              .leave = LEAVE_POLICY_ESCALATE };
        f->cal = (Calendar) {
                .notices = f->notices, .n_notices = ELEMENTSOF(f->notices),
                .days = f->days, .n_days = ELEMENTSOF(f->days),
                .sensitive = f->sensitive, .n_sensitive = ELEMENTSOF(f->sensitive),
        };

        leave_rules_init(&f->rules);
        f->never_together[0] = (char *) "principals";
        f->require_acting[0] = (char *) "principals";
        f->tiers[0] = (LeaveTier) { .max_days = 3 };
        f->tiers[1] = (LeaveTier) { .max_days = 7, .approver = (char *) "secretary" };
        f->tiers[2] = (LeaveTier) { .max_days = 0, .approver = (char *) "city" };
        f->approvers[0] = (ApproverRule) { (char *) "officer", (char *) "director", NULL, NULL };
        f->approvers[1] = (ApproverRule) { (char *) "leader", (char *) "secretary", (char *) "deputy", NULL };
        f->approvers[2] = (ApproverRule) { (char *) "secretary", (char *) "city", NULL, NULL };
        f->approvers[3] = (ApproverRule) { (char *) "head", (char *) "city", NULL, NULL };
        f->approvers[4] = (ApproverRule) { (char *) "director", (char *) "secretary", NULL, NULL };
        f->rules.never_together_groups = f->never_together;
        f->rules.n_never_together_groups = 1;
        f->rules.require_acting_groups = f->require_acting;
        f->rules.n_require_acting_groups = 1;
        f->rules.tiers = f->tiers;
        f->rules.n_tiers = ELEMENTSOF(f->tiers);
        f->rules.approvers = f->approvers;
        f->rules.n_approvers = ELEMENTSOF(f->approvers);

        f->ctx = (RulesContext) {
                .config = &f->config,
                .calendar = &f->cal,
                .rules = &f->rules,
                .leaves = f->leaves,
                .duties = f->duties,
                .loads = f->loads,
                .today = D("2026-03-02"),
                .now_minutes = 9 * 60,
        };

        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;

        rules_violations_free(f->v, f->n_v);
        free(f);
        return 0;
}

/* Whole days, from the handover of the first to the end of the last. */
static Leave whole_days(const char *person_id, const char *from, const char *to, LeaveState state) {
        return (Leave) {
                .person = (char *) person_id,
                .kind = LEAVE_KIND_PERSONAL,
                .start = { D(from), HANDOVER },
                .end = { D(to), MINUTES_PER_DAY },
                .requested = DAY_NONE,
                .paperwork_due = DAY_NONE,
                .state = state,
        };
}

static void add_leave(Fixture *f, Leave l) {
        assert_true(f->n_leaves < MAX_LEAVES);
        l.id = (int64_t) f->n_leaves + 100;
        f->leaves[f->n_leaves++] = l;
        f->ctx.n_leaves = f->n_leaves;
}

static void add_duty(Fixture *f, const char *day, const char *post, const char *person_id) {
        assert_true(f->n_duties < MAX_DUTIES);
        f->duties[f->n_duties++] = (RulesDuty) { D(day), post, person_id };
        f->ctx.n_duties = f->n_duties;
}

static void add_load(Fixture *f, const char *person_id, unsigned load) {
        assert_true(f->n_loads < MAX_LOADS);
        f->loads[f->n_loads++] = (RulesLoad) { person_id, load };
        f->ctx.n_loads = f->n_loads;
}

static void check(Fixture *f, const Leave *l) {
        f->v = rules_violations_free(f->v, f->n_v);
        f->n_v = 0;
        assert_int_equal(rules_check_leave(&f->ctx, l, &f->v, &f->n_v), 0);
        for (size_t i = 0; i < f->n_v; i++) {
                const RulesViolation *v = &f->v[i];

                /* Every message starts with its rule id. */
                assert_non_null(v->message_zh);
                assert_non_null(v->message_en);
                assert_true(strneq(v->message_zh, v->rule, strlen(v->rule)));
                assert_true(strneq(v->message_en, v->rule, strlen(v->rule)));
                assert_true(v->n_people >= 1);
                assert_string_equal(v->people[0], l->person);
        }
}

static const RulesViolation *find(const Fixture *f, const char *rule) {
        for (size_t i = 0; i < f->n_v; i++)
                if (streq(f->v[i].rule, rule))
                        return &f->v[i];
        return NULL;
}

static size_t count(const Fixture *f, const char *rule) {
        size_t n = 0;

        for (size_t i = 0; i < f->n_v; i++)
                n += streq(f->v[i].rule, rule);
        return n;
}

static void assert_days(const RulesViolation *v, const char *const *days, size_t n) {
        assert_int_equal(v->n_days, n);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(v->days[i], D(days[i]));
}

/* ---- never_together ---- */

static void test_never_together(void **state) {
        Fixture *f = *state;
        Leave mine = whole_days("secretary", "2026-03-16", "2026-03-20", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        add_leave(f, whole_days("head", "2026-03-14", "2026-03-17", LEAVE_STATE_APPROVED));
        check(f, &mine);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_NEVER_TOGETHER);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-03-16", "2026-03-17" }, 2);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[0], "secretary");
        assert_string_equal(v->people[1], "head");
        assert_string_equal(v->message_zh,
                            "never_together: 王建国（县委书记）与李明（县长）不得同时外出：2026-03-16、2026-03-17 两人均不在岗。");
        assert_string_equal(v->message_en,
                            "never_together: 王建国 (县委书记) and 李明 (县长) must not be away at the same time: both would be away on 2026-03-16, 2026-03-17.");

        /* Only approved (or started) leave makes anybody absent. */
        f->leaves[0].state = LEAVE_STATE_PENDING;
        check(f, &mine);
        assert_null(find(f, RULES_NEVER_TOGETHER));
        f->leaves[0].state = LEAVE_STATE_RETURNED;
        check(f, &mine);
        assert_null(find(f, RULES_NEVER_TOGETHER));
        f->leaves[0].state = LEAVE_STATE_STARTED;
        check(f, &mine);
        assert_non_null(find(f, RULES_NEVER_TOGETHER));

        /* Back before the handover of 03-16: only duty day 03-15 is touched. */
        f->leaves[0].end = (LeaveTime) { D("2026-03-16"), 8 * 60 };
        check(f, &mine);
        assert_null(find(f, RULES_NEVER_TOGETHER));

        /* Back after it: 03-16 is shared. */
        f->leaves[0].end = (LeaveTime) { D("2026-03-16"), 9 * 60 };
        check(f, &mine);
        v = find(f, RULES_NEVER_TOGETHER);
        assert_non_null(v);
        assert_days(v, (const char *[]) { "2026-03-16" }, 1);

        /* Long runs read as a range. */
        f->leaves[0].end = (LeaveTime) { D("2026-03-25"), MINUTES_PER_DAY };
        check(f, &mine);
        v = find(f, RULES_NEVER_TOGETHER);
        assert_non_null(v);
        assert_int_equal(v->n_days, 5);
        assert_non_null(strstr(v->message_zh, "2026-03-16 至 2026-03-20"));

        /* Somebody outside the group is not concerned. */
        mine.person = (char *) "vice";
        check(f, &mine);
        assert_int_equal(f->n_v, 0);
}

/* ---- notice ---- */

static void test_notice_spring_festival(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("off1", "2026-02-25", "2026-02-27", LEAVE_STATE_PENDING);
        const RulesViolation *v;
        int n = -1;

        assert_int_equal(leave_length_half_days(&l), 6);

        /* 02-13 (Fri), 02-14 (make-up Sat), 02-24 (Tue): three working days strictly between. */
        assert_int_equal(calendar_working_days_between(&f->cal, D("2026-02-12"), D("2026-02-25"), &n, NULL), 0);
        assert_int_equal(n, 3);
        f->ctx.today = D("2026-02-12");
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        assert_int_equal(calendar_working_days_between(&f->cal, D("2026-02-13"), D("2026-02-25"), &n, NULL), 0);
        assert_int_equal(n, 2);
        f->ctx.today = D("2026-02-13");
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_NOTICE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-02-25" }, 1);
        assert_string_equal(v->message_zh,
                            "notice: 请假超过 1 天须至少提前 3 个工作日申请；2026-02-13 申请、2026-02-25 开始，其间只有 2 个工作日。");

        /* Urgent leave is exempt, with a note on the paperwork due. */
        l.urgent = true;
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_NOTICE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_WARNING);
        assert_non_null(strstr(v->message_zh, "2026-02-15 前补办"));
        l.urgent = false;

        /* At approval the count runs from the request day, not from today. */
        l.requested = D("2026-02-12");
        f->ctx.today = D("2026-02-24");
        check(f, &l);
        assert_non_null(find(f, RULES_NOTICE));
        f->ctx.at_approval = true;
        check(f, &l);
        assert_null(find(f, RULES_NOTICE));
}

static void test_notice_makeup_saturday(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("off1", "2026-03-03", "2026-03-05", LEAVE_STATE_PENDING);
        int n = -1;

        /* 02-27 (Fri), 02-28 (make-up Sat), 03-02 (Mon); 03-01 (Sun) is off. */
        assert_int_equal(calendar_working_days_between(&f->cal, D("2026-02-26"), D("2026-03-03"), &n, NULL), 0);
        assert_int_equal(n, 3);
        f->ctx.today = D("2026-02-26");
        check(f, &l);
        assert_null(find(f, RULES_NOTICE));

        f->ctx.today = D("2026-02-27");
        check(f, &l);
        assert_non_null(find(f, RULES_NOTICE));
        assert_non_null(strstr(find(f, RULES_NOTICE)->message_zh, "其间只有 2 个工作日"));
}

static void test_notice_length(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("off1", "2026-03-03", "2026-03-03", LEAVE_STATE_PENDING);

        /* A single day needs no notice. */
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* A day and a half does. */
        l.end = (LeaveTime) { D("2026-03-04"), 12 * 60 };
        assert_int_equal(leave_length_half_days(&l), 3);
        check(f, &l);
        assert_non_null(find(f, RULES_NOTICE));

        /* Unless the rule is off. */
        f->rules.notice_working_days = 0;
        check(f, &l);
        assert_null(find(f, RULES_NOTICE));
}

/* ---- on_duty ---- */

static void test_on_duty(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice", "2026-03-16", "2026-03-18", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        add_duty(f, "2026-03-16", "leader_on_call", "vice");
        add_duty(f, "2026-03-17", "leader_on_call", "vice2");
        add_duty(f, "2026-03-18", "leader_on_call", "vice");
        add_duty(f, "2026-03-19", "leader_on_call", "deputy");
        add_duty(f, "2026-03-16", "officer", "off1");
        add_duty(f, "2026-03-20", "leader_on_call", "vice");
        add_load(f, "secretary", 5);
        add_load(f, "head", 3);
        add_load(f, "deputy", 1);
        add_load(f, "vice2", 3);

        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_ON_DUTY);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-03-16", "2026-03-18" }, 2);
        /* Least load first; equal loads in configuration order. */
        assert_int_equal(v->n_substitutes, 4);
        assert_string_equal(v->substitutes[0], "deputy");
        assert_string_equal(v->substitutes[1], "head");
        assert_string_equal(v->substitutes[2], "vice2");
        assert_string_equal(v->substitutes[3], "secretary");
        assert_string_equal(v->message_zh,
                            "on_duty: 孙丽（副县长）已排带班领导值班：2026-03-16、2026-03-18，值班日不得请假；"
                            "可替班人员（按轮值公平顺序）：赵强（县委副书记）、李明（县长）、周涛（副县长）、王建国（县委书记）。");

        /* Somebody away on one of the days cannot substitute. */
        add_leave(f, whole_days("head", "2026-03-18", "2026-03-18", LEAVE_STATE_APPROVED));
        check(f, &l);
        v = find(f, RULES_ON_DUTY);
        assert_non_null(v);
        assert_int_equal(v->n_substitutes, 3);
        assert_string_equal(v->substitutes[0], "deputy");
        assert_string_equal(v->substitutes[1], "vice2");
        assert_string_equal(v->substitutes[2], "secretary");

        /* Nor somebody holding a post on one of the days. */
        add_duty(f, "2026-03-18", "officer", "deputy");
        check(f, &l);
        v = find(f, RULES_ON_DUTY);
        assert_int_equal(v->n_substitutes, 2);
        assert_string_equal(v->substitutes[0], "vice2");

        /* With a day of rest between two duties, nor somebody on duty the day before or after:
         * vice2 (03-17) and deputy (03-19, and 03-18 already) drop out; 03-15 and 03-21 are
         * free, 03-14 and 03-22 beyond the rest. */
        f->config.roster.min_rest_days = 1;
        add_duty(f, "2026-03-14", "leader_on_call", "secretary");
        add_duty(f, "2026-03-22", "officer", "secretary");
        check(f, &l);
        v = find(f, RULES_ON_DUTY);
        assert_non_null(v);
        assert_int_equal(v->n_substitutes, 1);
        assert_string_equal(v->substitutes[0], "secretary");
        /* A duty within the rest after the last day counts too. */
        add_duty(f, "2026-03-19", "officer", "secretary");
        check(f, &l);
        v = find(f, RULES_ON_DUTY);
        assert_int_equal(v->n_substitutes, 0);
        f->config.roster.min_rest_days = 0;

        /* A leave clear of the duty days passes. */
        l = whole_days("vice", "2026-03-21", "2026-03-22", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_null(find(f, RULES_ON_DUTY));
}

/* ---- min_leaders_present ---- */

static void test_min_leaders_present(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice2", "2026-03-24", "2026-03-25", LEAVE_STATE_PENDING);
        Leave first = whole_days("vice", "2026-03-23", "2026-03-24", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        f->rules.min_leaders_present = 4;

        /* Each alone leaves four of five leaders. */
        check(f, &l);
        assert_int_equal(f->n_v, 0);
        check(f, &first);
        assert_int_equal(f->n_v, 0);

        /* The first still pending: not away yet. */
        add_leave(f, first);
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* Approved: together only three are present on 03-24. */
        f->leaves[0].state = LEAVE_STATE_APPROVED;
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_MIN_LEADERS_PRESENT);
        assert_non_null(v);
        assert_days(v, (const char *[]) { "2026-03-24" }, 1);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[1], "vice");
        assert_string_equal(v->message_zh,
                            "min_leaders_present: 须至少 4 名领导在岗，周涛（副县长）请假后 2026-03-24 在岗领导将不足 4 人（最少 3 人），"
                            "同时不在岗：孙丽（副县长）。");

        /* A leader not active then does not count as present either. */
        f->leaves[0].state = LEAVE_STATE_CANCELLED;
        f->people[P_DEPUTY].active_until = D("2026-03-24");
        check(f, &l);
        v = find(f, RULES_MIN_LEADERS_PRESENT);
        assert_non_null(v);
        assert_days(v, (const char *[]) { "2026-03-25" }, 1);
}

/* ---- overlap and calendar_unknown ---- */

static void test_overlap(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice", "2026-03-17", "2026-03-18", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        add_leave(f, whole_days("vice", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING));
        add_leave(f, whole_days("vice", "2026-03-18", "2026-03-18", LEAVE_STATE_REJECTED));
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_OVERLAP);
        assert_non_null(v);
        assert_days(v, (const char *[]) { "2026-03-17" }, 1);
        assert_non_null(strstr(v->message_zh, "编号 100"));

        /* The leave itself, re-checked at approval, is not its own overlap. */
        l = f->leaves[0];
        f->ctx.at_approval = true;
        check(f, &l);
        assert_int_equal(f->n_v, 0);
}

static void test_calendar_unknown(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("off1", "2026-12-30", "2027-01-02", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        f->ctx.today = D("2026-12-01");
        check(f, &l);
        assert_true(f->n_v >= 1);
        v = &f->v[0];
        assert_string_equal(v->rule, RULES_CALENDAR_UNKNOWN);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2027-01-01", "2027-01-02" }, 2);
        assert_non_null(strstr(v->message_zh, "2027 年"));
        assert_non_null(strstr(v->message_en, "2027"));

        /* An unknown notice period is the same unknown year: reported once. */
        l = whole_days("off1", "2027-01-05", "2027-01-07", LEAVE_STATE_PENDING);
        f->ctx.today = D("2026-12-20");
        check(f, &l);
        assert_int_equal(count(f, RULES_CALENDAR_UNKNOWN), 1);
        assert_null(find(f, RULES_NOTICE));

        /* The leave within 2026, but the notice period reaching back into 2025, whose notice is
         * not known here: reported for the notice period, with no leave day. */
        l = whole_days("off1", "2026-01-05", "2026-01-07", LEAVE_STATE_PENDING);
        f->ctx.today = D("2025-12-29");
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_CALENDAR_UNKNOWN);
        assert_non_null(v);
        assert_int_equal(v->n_days, 0);
        assert_non_null(strstr(v->message_zh, "2025 年"));
}

/* ---- approvers ---- */

static void test_approver_stand_in(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        const char *approver = NULL;
        bool via = true;

        assert_int_equal(rules_find_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &approver, &via), 0);
        assert_string_equal(approver, "secretary");
        assert_false(via);

        assert_int_equal(rules_find_approver(&f->config, &f->cal, &f->rules, &l,
                                             (const char *[]) { "secretary" }, 1, &approver, &via), 0);
        assert_string_equal(approver, "deputy");
        assert_true(via);

        /* Both away: the decision moves up. */
        assert_int_equal(rules_find_approver(&f->config, &f->cal, &f->rules, &l,
                                             (const char *[]) { "deputy", "secretary" }, 2, &approver, &via), 0);
        assert_string_equal(approver, "city");
        assert_true(via);

        /* A group rule naming oneself is skipped: the secretary goes to the city. */
        l.person = (char *) "secretary";
        assert_int_equal(rules_find_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &approver, &via), 0);
        assert_string_equal(approver, "city");

        /* Nobody above the city: no approver. */
        l.person = (char *) "city";
        approver = "untouched";
        assert_int_equal(rules_find_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &approver, &via), -ENOENT);
        assert_string_equal(approver, "untouched");
}

static void test_approver_tiers(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("off1", "2026-03-16", "2026-03-20", LEAVE_STATE_PENDING);
        RulesApproval a;
        const RulesViolation *v;

        /* Five days: the 3–7 tier raises the director to the secretary. */
        assert_int_equal(rules_resolve_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &a), 0);
        assert_string_equal(a.base, "director");
        assert_string_equal(a.tier, "secretary");
        assert_string_equal(a.approver, "secretary");
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_TIERS);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_ESCALATE);
        assert_string_equal(v->approver, "secretary");
        assert_string_equal(v->message_zh, "tiers: 刘洋请假 5 天（超过 3 天、不超过 7 天），须由王建国（县委书记）审批。");

        /* Three days: the director, no escalation. */
        l = whole_days("off1", "2026-03-16", "2026-03-18", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* Ten days: the unbounded tier. */
        l = whole_days("off1", "2026-03-16", "2026-03-25", LEAVE_STATE_PENDING);
        check(f, &l);
        v = find(f, RULES_TIERS);
        assert_non_null(v);
        assert_string_equal(v->approver, "city");
        assert_non_null(strstr(v->message_zh, "超过 7 天）"));

        /* A leader's five days already go to the secretary: nothing to raise. */
        l = whole_days("vice", "2026-03-16", "2026-03-20", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_null(find(f, RULES_TIERS));

        /* A tier never lowers: the director is below the secretary. */
        f->tiers[1].approver = (char *) "director";
        assert_int_equal(rules_resolve_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &a), 0);
        assert_null(a.tier);
        assert_string_equal(a.approver, "secretary");
}

static void test_sensitive(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice", "2026-04-02", "2026-04-03", LEAVE_STATE_PENDING);
        const RulesViolation *v;
        RulesApproval a;

        f->ctx.today = D("2026-03-20");

        /* Frozen for leaders. */
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_SENSITIVE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-04-02", "2026-04-03" }, 2);
        assert_non_null(strstr(v->message_zh, "清明安保"));
        assert_null(v->approver);

        /* Officers are not concerned. */
        l.person = (char *) "off1";
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* Escalate: the secretary's own approver decides. */
        l = whole_days("vice", "2026-05-30", "2026-06-02", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_SENSITIVE);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_ESCALATE);
        assert_string_equal(v->approver, "city");
        assert_days(v, (const char *[]) { "2026-06-01", "2026-06-02" }, 2);
        assert_non_null(strstr(v->message_zh, "吴海（市委书记）"));
        assert_int_equal(rules_resolve_approver(&f->config, &f->cal, &f->rules, &l, NULL, 0, &a), 0);
        assert_int_equal(a.policy, LEAVE_POLICY_ESCALATE);
        assert_string_equal(a.base, "secretary");
        assert_string_equal(a.escalated, "city");
        assert_string_equal(a.approver, "city");
}

static void test_may_approve(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("vice", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        Leave own = whole_days("secretary", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        LeaveError e = {};

        /* Never one's own, not even as an administrator. */
        assert_int_equal(rules_may_approve(&f->people[P_SECRETARY], true, &own, "secretary", &e), -EPERM);
        assert_int_equal(e.code, LEAVE_ERROR_SELF_APPROVAL);
        assert_int_equal(rules_may_approve(&f->people[P_SECRETARY], false, &own, NULL, &e), -EPERM);
        assert_int_equal(e.code, LEAVE_ERROR_SELF_APPROVAL);

        assert_int_equal(rules_may_approve(&f->people[P_SECRETARY], false, &l, "secretary", &e), 0);
        assert_int_equal(rules_may_approve(&f->people[P_DEPUTY], false, &l, "secretary", &e), -EPERM);
        assert_int_equal(e.code, LEAVE_ERROR_NOT_APPROVER);
        assert_int_equal(rules_may_approve(&f->people[P_DEPUTY], false, &l, NULL, &e), 0);
        assert_int_equal(rules_may_approve(&f->people[P_OFF1], false, &l, NULL, &e), -EPERM);
        /* An administrator over the approver: only with an explicit override (the caller checks it). */
        assert_int_equal(rules_may_approve(&f->people[P_OFF1], true, &l, "secretary", &e), 0);
        assert_int_equal(rules_may_approve(NULL, true, &l, "secretary", &e), 0);
        assert_int_equal(rules_may_approve(NULL, false, &l, "secretary", &e), -EPERM);
}

static void test_acting(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("secretary", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        l.out_of_town = true;
        check(f, &l);
        assert_int_equal(f->n_v, 1);
        v = find(f, RULES_ACTING);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        /* Says what to do next: whom to name, the applicant and the non-leaders left out. */
        assert_string_equal(v->message_zh, "acting: 王建国（县委书记）离开本地，须指定代为主持工作的同志（--acting），"
                            "可指定：李明（县长）、赵强（县委副书记）、孙丽（副县长）、周涛（副县长）。");

        l.acting = (char *) "deputy";
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* The acting person away too: a rule of its own, naming both. */
        add_leave(f, whole_days("deputy", "2026-03-17", "2026-03-19", LEAVE_STATE_APPROVED));
        check(f, &l);
        assert_null(find(f, RULES_ACTING));
        v = find(f, RULES_ACTING_AWAY);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-03-17" }, 1);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[1], "deputy");
        assert_non_null(strstr(v->message_zh, "赵强（县委副书记）在 2026-03-17 不在岗，不能代王建国（县委书记）主持工作"));

        l.acting = (char *) "secretary";
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING));
        assert_null(find(f, RULES_ACTING_AWAY));
        l.acting = (char *) "nobody";
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING));

        /* Staying in town needs nobody acting. */
        l.acting = NULL;
        l.out_of_town = false;
        check(f, &l);
        assert_null(find(f, RULES_ACTING));

        /* Not a principal: not needed either. */
        l.person = (char *) "vice";
        l.out_of_town = true;
        check(f, &l);
        assert_null(find(f, RULES_ACTING));
}

/* Whoever is named must be a leader other than the applicant, principal or not. */
static void test_acting_who(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("secretary", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        char *groups[] = { (char *) "principals" };
        const RulesViolation *v;

        l.out_of_town = true;
        l.acting = (char *) "off1";
        check(f, &l);
        v = find(f, RULES_ACTING);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[1], "off1");
        assert_non_null(strstr(v->message_zh, "刘洋不能代为主持工作"));
        assert_non_null(strstr(v->message_en, "who may not act"));

        /* An approver without the leader role cannot act either. */
        l.acting = (char *) "city";
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING));

        /* A leader who needs nobody acting still cannot name himself, nor an officer. */
        l = whole_days("vice", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        l.acting = (char *) "vice";
        check(f, &l);
        assert_non_null(strstr(find(f, RULES_ACTING)->message_zh, "不能指定本人代为主持工作"));
        l.acting = (char *) "off2";
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING));
        l.acting = (char *) "vice2";
        check(f, &l);
        assert_int_equal(f->n_v, 0);

        /* leave.acting_groups narrows who may act. */
        f->rules.acting_groups = groups;
        f->rules.n_acting_groups = 1;
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING));
        l = whole_days("secretary", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        l.out_of_town = true;
        l.acting = (char *) "deputy";
        check(f, &l);
        v = find(f, RULES_ACTING);
        assert_non_null(v);
        assert_non_null(strstr(v->message_zh, "请改为指定：李明（县长）。"));
        l.acting = (char *) "head";
        check(f, &l);
        assert_null(find(f, RULES_ACTING));
        f->rules.acting_groups = NULL;
        f->rules.n_acting_groups = 0;
}

/* The acting person's own leave on days they act, once the principal's leave is approved. */
static void test_acting_away_after(void **state) {
        Fixture *f = *state;
        Leave p = whole_days("secretary", "2026-03-16", "2026-03-17", LEAVE_STATE_APPROVED);
        Leave l = whole_days("deputy", "2026-03-17", "2026-03-18", LEAVE_STATE_PENDING);
        const RulesViolation *v;

        p.out_of_town = true;
        p.acting = (char *) "deputy";

        /* Still pending: nobody acts yet; the approval runs the rules again. */
        p.state = LEAVE_STATE_PENDING;
        add_leave(f, p);
        check(f, &l);
        assert_null(find(f, RULES_ACTING_AWAY));

        f->leaves[0].state = LEAVE_STATE_APPROVED;
        check(f, &l);
        v = find(f, RULES_ACTING_AWAY);
        assert_non_null(v);
        assert_int_equal(v->severity, RULES_SEVERITY_BLOCK);
        assert_days(v, (const char *[]) { "2026-03-17" }, 1);
        assert_int_equal(v->n_people, 2);
        assert_string_equal(v->people[0], "deputy");
        assert_string_equal(v->people[1], "secretary");
        assert_string_equal(v->message_zh, "acting_away: 赵强（县委副书记）在 2026-03-17 代王建国（县委书记）主持工作"
                            "（请假编号 100），代为主持工作期间不得请假；请调整请假日期，或请王建国（县委书记）"
                            "另行指定代为主持工作的同志。");
        assert_non_null(strstr(v->message_en, "acts for 王建国 (县委书记) on 2026-03-17 (leave 100)"));

        /* Started counts as well; a cancelled one does not; days after it do not. */
        f->leaves[0].state = LEAVE_STATE_STARTED;
        check(f, &l);
        assert_non_null(find(f, RULES_ACTING_AWAY));
        f->leaves[0].state = LEAVE_STATE_CANCELLED;
        check(f, &l);
        assert_null(find(f, RULES_ACTING_AWAY));
        f->leaves[0].state = LEAVE_STATE_APPROVED;
        l = whole_days("deputy", "2026-03-18", "2026-03-19", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_null(find(f, RULES_ACTING_AWAY));

        /* Somebody else's leave on those days is no business of this rule. */
        l = whole_days("vice", "2026-03-16", "2026-03-17", LEAVE_STATE_PENDING);
        check(f, &l);
        assert_null(find(f, RULES_ACTING_AWAY));
}

/* ---- all together ---- */

static void test_order_and_errors(void **state) {
        Fixture *f = *state;
        Leave l = whole_days("secretary", "2026-04-02", "2026-04-03", LEAVE_STATE_PENDING);
        RulesViolation *v = NULL;
        size_t n = 7;

        f->ctx.today = D("2026-04-01");
        l.out_of_town = true;
        add_leave(f, whole_days("head", "2026-04-02", "2026-04-02", LEAVE_STATE_APPROVED));
        check(f, &l);
        assert_int_equal(f->n_v, 4);
        assert_string_equal(f->v[0].rule, RULES_NEVER_TOGETHER);
        assert_string_equal(f->v[1].rule, RULES_ACTING);
        assert_string_equal(f->v[2].rule, RULES_SENSITIVE);
        assert_string_equal(f->v[3].rule, RULES_NOTICE);

        l.person = (char *) "stranger";
        assert_int_equal(rules_check_leave(&f->ctx, &l, &v, &n), -EINVAL);
        assert_null(v);
        assert_int_equal(n, 7);

        l.person = (char *) "secretary";
        l.end = l.start;
        assert_int_equal(rules_check_leave(&f->ctx, &l, &v, &n), -EINVAL);
        assert_int_equal(rules_check_leave(NULL, &l, &v, &n), -EINVAL);
}

static void test_rules_validate(void **state) {
        Fixture *f = *state;
        LeaveRules r = {};
        char *m = NULL;

        assert_int_equal(leave_rules_validate(&f->rules, &f->config, &m), 0);
        assert_null(m);

        f->approvers[4].approver = (char *) "nobody";
        assert_int_equal(leave_rules_validate(&f->rules, &f->config, &m), -EINVAL);
        assert_non_null(strstr(m, "nobody"));
        free(m);
        m = NULL;

        /* secretary → city → secretary loops. */
        f->approvers[4].approver = (char *) "secretary";
        f->approvers[3] = (ApproverRule) { (char *) "city", (char *) "secretary", NULL, NULL };
        assert_int_equal(leave_rules_validate(&f->rules, &f->config, &m), -EINVAL);
        assert_non_null(strstr(m, "loops"));
        free(m);

        leave_rules_init(&r);
        assert_int_equal(r.notice_working_days, RULES_NOTICE_WORKING_DAYS_DEFAULT);
        assert_int_equal(r.urgent_paperwork_days, RULES_URGENT_PAPERWORK_DAYS_DEFAULT);
        r.never_together_groups = calloc(1, sizeof(char *));
        assert_non_null(r.never_together_groups);
        r.never_together_groups[0] = strdup("principals");
        r.n_never_together_groups = 1;
        r.approvers = calloc(1, sizeof(ApproverRule));
        assert_non_null(r.approvers);
        r.approvers[0] = (ApproverRule) { strdup("leader"), strdup("secretary"), NULL, NULL };
        r.n_approvers = 1;
        leave_rules_done(&r);
        assert_null(r.approvers);
        leave_rules_done(NULL);

        assert_string_equal(rules_severity_to_string(RULES_SEVERITY_ESCALATE), "escalate");
        assert_int_equal(rules_severity_from_string("warning"), RULES_SEVERITY_WARNING);
        assert_int_equal(rules_severity_from_string("fatal"), _RULES_SEVERITY_INVALID);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_never_together, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_spring_festival, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_makeup_saturday, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_length, setup, teardown),
                cmocka_unit_test_setup_teardown(test_on_duty, setup, teardown),
                cmocka_unit_test_setup_teardown(test_min_leaders_present, setup, teardown),
                cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
                cmocka_unit_test_setup_teardown(test_calendar_unknown, setup, teardown),
                cmocka_unit_test_setup_teardown(test_approver_stand_in, setup, teardown),
                cmocka_unit_test_setup_teardown(test_approver_tiers, setup, teardown),
                cmocka_unit_test_setup_teardown(test_sensitive, setup, teardown),
                cmocka_unit_test_setup_teardown(test_may_approve, setup, teardown),
                cmocka_unit_test_setup_teardown(test_acting, setup, teardown),
                cmocka_unit_test_setup_teardown(test_acting_who, setup, teardown),
                cmocka_unit_test_setup_teardown(test_acting_away_after, setup, teardown),
                cmocka_unit_test_setup_teardown(test_order_and_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_rules_validate, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
