/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Coverage rules for leave, and who approves it. Pure core: no I/O, no clock, no logging.
 *
 * rules_check_leave() evaluates a proposed leave against the office's rules, the calendar, the other
 * leaves and the duty assignments, and returns every violation found, each tagged with the stable id
 * of its rule:
 *
 *   calendar_unknown     a day of the leave (or of its notice period) lies in a year with no notice
 *   overlap              the person already has a pending or approved leave at the same time
 *   never_together       two members of a never-together group away on the same duty day
 *   min_leaders_present  fewer than N leaders present on some duty day
 *   on_duty              the person holds a post on a duty day of the leave (with substitutes)
 *   acting               a principal leaves town without an acting person, or the person named to
 *                        act (代为主持工作) is the applicant, unknown, or not a leader who may act
 *   acting_away          the acting person is away on days they act: named while away, or their own
 *                        leave falls on days they act for an approved leave of a principal
 *   sensitive            a leader's leave in a sensitive period: frozen, or the next approver up
 *   notice               requested fewer than N working days ahead (urgent leave: a warning)
 *   tiers                the length of the leave calls for a higher approver
 *
 * Proposed configuration section, for config-parse.c to parse into a LeaveRules (every setting optional):
 *
 *   leave = {
 *           # Groups whose members are never away on overlapping duty days
 *           # (党政主要负责同志不得同时外出).
 *           never_together = [ "principals" ];
 *
 *           # At least this many leaders (role "leader", active) present on every duty day;
 *           # 0 turns the rule off.
 *           min_leaders_present = 2;
 *
 *           # A leave longer than notice_min_days days is requested at least notice_working_days
 *           # working days ahead, counted on the official calendar (make-up workdays count).
 *           notice_working_days = 3;
 *           notice_min_days = 1;
 *
 *           # Urgent leave (requested by phone) is exempt from notice; its written form is due this
 *           # many days after the request.
 *           urgent_paperwork_days = 2;
 *
 *           # Members of these groups name an acting person (代为主持工作) when leaving town.
 *           require_acting = [ "principals" ];
 *
 *           # Who may be named to act: leaders (role "leader") in these groups. Without it, any
 *           # leader but the applicant.
 *           acting_groups = [ "standing_committee" ];
 *
 *           # Length tiers: the tier with the smallest max_days not below the length (in days, half
 *           # days rounded up) applies; a tier without max_days has no upper bound. approver is a
 *           # person id; a tier without one keeps the person's own approver. A tier only ever raises
 *           # the approver: one below the person's own approver in the chain is ignored.
 *           tiers = (
 *                   { max_days = 3; },
 *                   { max_days = 7; approver = "deputy_secretary"; },
 *                   { approver = "secretary"; }
 *           );
 *
 *           # Who approves whose leave. who is a person id, a group id or a role name ("leader",
 *           # "officer", …); a person rule beats a group rule beats a role rule, and within each kind
 *           # the first listed wins. A group or role rule is skipped for its own approver and for
 *           # anyone above that approver by person rules. The stand_in approves while the approver
 *           # is away on the approval day. reports_to instead of approver ends the chain: nobody in
 *           # the office approves, the leave is reported to that body (an admin records it).
 *           approvers = (
 *                   { who = "officer";   approver = "office_director"; stand_in = "office_deputy"; },
 *                   { who = "leader";    approver = "secretary";       stand_in = "deputy_secretary"; },
 *                   { who = "secretary"; reports_to = "市委"; }
 *           );
 *   };
 *
 * Strings in LeaveRules are owned by it (leave_rules_done() frees them); ids refer to the Config. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "leave.h"
#include "util.h"
#include "vocabulary.h"

/* Longest approval chain followed (person → approver → approver's approver …); guards cycles. */
#define RULES_CHAIN_MAX 16
/* Substitutes proposed per on_duty violation. */
#define RULES_SUBSTITUTES_MAX 8

/* The stable rule ids, as they appear in RulesViolation.rule and at the start of every message. */
#define RULES_CALENDAR_UNKNOWN "calendar_unknown"
#define RULES_OVERLAP "overlap"
#define RULES_NEVER_TOGETHER "never_together"
#define RULES_MIN_LEADERS_PRESENT "min_leaders_present"
#define RULES_ON_DUTY "on_duty"
#define RULES_ACTING "acting"
#define RULES_ACTING_AWAY "acting_away"
#define RULES_SENSITIVE "sensitive"
#define RULES_NOTICE "notice"
#define RULES_TIERS "tiers"

/* LeaveTier, ApproverRule and LeaveRules are declared in config.h, which holds them and owns their
 * lifetime (leave_rules_init(), leave_rules_done()). */

/* The rule that decides who approves person `id`'s leave, or NULL: a person rule beats a group rule
 * beats a role rule, the first listed wins within each kind. A rule with reports_to ends the chain
 * (its approver is NULL). A group or role rule is skipped for its own approver and for anyone above
 * that approver by person rules. */
const ApproverRule *rules_approver_rule_for(const Config *c, const LeaveRules *r, const char *id);

/* Checks the rules against the configuration: groups and people exist, tiers are distinct, the
 * approval chains end. Returns 0, or -EINVAL with a sentence in *ret_message (may be NULL, newly
 * allocated) naming the first problem; -ENOMEM. */
int leave_rules_validate(const LeaveRules *r, const Config *c, char **ret_message);

/* Who is on duty when; the roster's slots reduce to this. */
typedef struct RulesDuty {
        Day day;                /* duty day */
        const char *post;       /* Post.id */
        const char *person;     /* Person.id */
} RulesDuty;

/* A person's accumulated duty load, for the fairness order of substitutes (least first). People
 * missing from the list count as 0. */
typedef struct RulesLoad {
        const char *person;
        unsigned load;
} RulesLoad;

typedef struct RulesContext {
        const Config *config;
        const Calendar *calendar;
        const LeaveRules *rules;
        const Leave *leaves;     /* every other leave, any state: only approved, started and overdue
                                  * ones make their person absent; one with the proposed leave's id
                                  * (if non-zero) is skipped */
        size_t n_leaves;
        const RulesDuty *duties; /* duty assignments over the duty days of the leave and roster.min_rest_days
                                  * around them (for the substitutes' rest) */
        size_t n_duties;
        const RulesLoad *loads;
        size_t n_loads;
        Day today;               /* local date now */
        int now_minutes;         /* local time now */
        bool at_approval;        /* re-run at approval: notice counts from the request day
                                  * (Leave.requested) rather than today */
} RulesContext;

typedef struct RulesViolation {
        const char *rule;         /* static, one of RULES_* */
        RulesSeverity severity;
        Day *days;                /* the duty days concerned, ascending */
        size_t n_days;
        char **people;            /* Person.id of those concerned, the applicant first */
        size_t n_people;
        char *message_zh;         /* full sentence starting with "rule: " */
        char *message_en;
        char *approver;           /* escalate: Person.id of who must approve; else NULL */
        char **substitutes;       /* on_duty: Person.id of who could take the duty, fairest first */
        size_t n_substitutes;
} RulesViolation;

RulesViolation *rules_violations_free(RulesViolation *v, size_t n);

/* Evaluates every rule for `proposed`. Returns 0 with every violation (possibly none: *ret NULL and
 * *ret_n 0) in a stable order (rules in the order listed at the top, then by day, then by
 * configuration order), -EINVAL if the context or the leave is malformed or its person unknown,
 * -ENOMEM. */
int rules_check_leave(const RulesContext *ctx, const Leave *proposed, RulesViolation **ret, size_t *ret_n);

/* How the approver of a leave was found. Strings are borrowed from the Config/LeaveRules. */
typedef struct RulesApproval {
        const char *base;           /* the person's configured approver, or NULL */
        const char *tier;           /* the approver the length tier raised to, or NULL */
        const char *escalated;      /* the next approver up a sensitive period called for, or NULL */
        const char *required;       /* base, raised by the tier and the escalation */
        const char *approver;       /* who decides: required, or the stand-in while required is away */
        bool via_stand_in;          /* required is away: approver is the stand-in or, that one away
                                     * too, the next approver up */
        LeavePolicy policy;         /* the strictest sensitive-period policy over the leave (leaders) */
} RulesApproval;

/* Resolves the approver of `leave`: the person's configured approver; raised by the length tier;
 * raised one step further (the approver's own approver) by a sensitive period with the "escalate"
 * policy, for leaders; and, when that person is among `away` (Person.ids away on the approval day),
 * the configured stand-in, or, if the stand-in is away too, the next approver up. Nobody resolves to
 * the applicant. Returns 0, -ENOENT if no approver can be found (ret->base etc. still filled),
 * -EINVAL. */
int rules_resolve_approver(const Config *config, const Calendar *calendar, const LeaveRules *rules,
                           const Leave *leave, const char *const *away, size_t n_away,
                           RulesApproval *ret);

/* The short form: who decides, and whether it is a stand-in. */
int rules_find_approver(const Config *config, const Calendar *calendar, const LeaveRules *rules,
                        const Leave *leave, const char *const *away, size_t n_away,
                        const char **ret_approver, bool *ret_via_stand_in);

/* Whether `identity` (NULL: a caller with no person, e.g. root) may decide `leave`: never one's own
 * leave, even as an administrator; an administrator deciding with an explicit override
 * (admin_override; the caller checks the role and the reason) otherwise may; else the identity must
 * be `approver` (the resolved approver, or the stand-in while the approver is away; NULL: anybody
 * with the approver role). Being an administrator alone is not enough: the office's approver
 * decides. Returns 0 or -EPERM with *ret_error (may be NULL) filled. */
int rules_may_approve(const Person *identity, bool admin_override, const Leave *leave, const char *approver,
                      LeaveError *ret_error);
