/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "roster.h"
#include "rules.h"

/* ---- Approval chain ---- */

static bool group_has_member(const Config *c, const Group *g, const Person *p) {
        size_t i;

        if (!g || !p)
                return false;
        i = (size_t) (p - c->people);
        for (size_t k = 0; k < g->n_members; k++)
                if (g->members[k] == i)
                        return true;
        return false;
}

static bool person_in_groups(const Config *c, const Person *p, char *const *groups, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (groups[i] && group_has_member(c, config_find_group(c, groups[i]), p))
                        return true;
        return false;
}

/* A rule that ends the chain (reports_to) or names an approver other than `id`. */
static bool rule_usable(const ApproverRule *a, const char *id) {
        return a->who && (a->reports_to || (a->approver && !streq(a->approver, id)));
}

/* Following the person rules up from `from` (inclusive) reaches `target`. */
static bool person_rules_reach(const LeaveRules *r, const char *from, const char *target) {
        const char *x = from;

        for (unsigned step = 0; x && step < RULES_CHAIN_MAX; step++) {
                const char *next = NULL;

                if (streq(x, target))
                        return true;
                for (size_t i = 0; i < r->n_approvers && !next; i++)
                        if (r->approvers[i].who && streq(r->approvers[i].who, x) && !r->approvers[i].reports_to)
                                next = r->approvers[i].approver;
                x = next;
        }
        return false;
}

/* A group or role rule does not send leave down the chain: it is skipped for its own approver and
 * for anyone the person rules put above that approver, so "leaders → 县长" with "县长 → 书记" leaves
 * 书记 at the top instead of making a loop. */
static bool group_rule_applies(const LeaveRules *r, const ApproverRule *a, const char *id) {
        return rule_usable(a, id) && (a->reports_to || !person_rules_reach(r, a->approver, id));
}

const ApproverRule *rules_approver_rule_for(const Config *c, const LeaveRules *r, const char *id) {
        const Person *p = config_find_person(c, id);

        if (!id)
                return NULL;

        for (size_t i = 0; i < r->n_approvers; i++) {
                const ApproverRule *a = &r->approvers[i];

                if (rule_usable(a, id) && streq(a->who, id))
                        return a;
        }
        if (!p)
                return NULL;
        for (size_t i = 0; i < r->n_approvers; i++) {
                const ApproverRule *a = &r->approvers[i];

                if (group_rule_applies(r, a, id) && group_has_member(c, config_find_group(c, a->who), p))
                        return a;
        }
        for (size_t i = 0; i < r->n_approvers; i++) {
                const ApproverRule *a = &r->approvers[i];
                Role role;

                if (!group_rule_applies(r, a, id))
                        continue;
                role = role_from_string(a->who);
                if (role >= 0 && person_has_role(p, role))
                        return a;
        }
        return NULL;
}

static const char *approver_of(const Config *c, const LeaveRules *r, const char *id) {
        const ApproverRule *a = rules_approver_rule_for(c, r, id);

        return a ? a->approver : NULL;
}

/* Walking up from `from` (exclusive) reaches `target`. */
static bool chain_reaches(const Config *c, const LeaveRules *r, const char *from, const char *target) {
        const char *x = from;

        for (unsigned step = 0; step < RULES_CHAIN_MAX; step++) {
                x = approver_of(c, r, x);
                if (!x)
                        return false;
                if (streq(x, target))
                        return true;
        }
        return false;
}

static const char *stand_in_for(const LeaveRules *r, const char *approver, const ApproverRule *preferred) {
        if (preferred && preferred->stand_in && streq(preferred->approver, approver))
                return preferred->stand_in;
        for (size_t i = 0; i < r->n_approvers; i++)
                if (r->approvers[i].stand_in && r->approvers[i].approver &&
                    streq(r->approvers[i].approver, approver))
                        return r->approvers[i].stand_in;
        return NULL;
}

static bool id_in(const char *id, const char *const *ids, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (ids[i] && streq(ids[i], id))
                        return true;
        return false;
}

/* The tier with the smallest bound not below the length; an unbounded tier only if none is. */
static const LeaveTier *tier_for(const LeaveRules *r, unsigned half_days) {
        unsigned days = (half_days + 1) / 2;
        const LeaveTier *best = NULL, *open = NULL;

        for (size_t i = 0; i < r->n_tiers; i++) {
                const LeaveTier *t = &r->tiers[i];

                if (t->max_days == 0) {
                        if (!open)
                                open = t;
                } else if (t->max_days >= days && (!best || t->max_days < best->max_days))
                        best = t;
        }
        return best ?: open;
}

int rules_resolve_approver(const Config *config, const Calendar *calendar, const LeaveRules *rules,
                           const Leave *leave, const char *const *away, size_t n_away,
                           RulesApproval *ret) {
        const ApproverRule *rule;
        const LeaveTier *tier;
        const Person *applicant;
        RulesApproval a = { .policy = LEAVE_POLICY_NORMAL };
        const char *cand;
        Day from, to;

        if (!config || !calendar || !rules || !leave || !ret || isempty(leave->person))
                return -EINVAL;
        if (leave_duty_days(leave, config->handover_minutes, &from, &to) < 0)
                return -EINVAL;
        applicant = config_find_person(config, leave->person);

        rule = rules_approver_rule_for(config, rules, leave->person);
        a.base = a.required = rule ? rule->approver : NULL;

        tier = tier_for(rules, leave_length_half_days(leave));
        if (tier && tier->approver && !streq(tier->approver, leave->person) &&
            !(a.base && streq(tier->approver, a.base)) &&
            !(a.base && chain_reaches(config, rules, tier->approver, a.base)))
                a.tier = a.required = tier->approver;

        if (person_has_role(applicant, ROLE_LEADER)) {
                a.policy = calendar_leave_policy(calendar, from, to);
                if (a.policy == LEAVE_POLICY_ESCALATE && a.required) {
                        const char *up = approver_of(config, rules, a.required);

                        if (up && !streq(up, leave->person))
                                a.escalated = a.required = up;
                }
        }

        /* Away approvers hand over to their stand-in; if that one is away too, the decision moves up. */
        cand = a.required;
        for (unsigned step = 0; cand && step < RULES_CHAIN_MAX; step++) {
                const char *s;

                if (!streq(cand, leave->person) && !id_in(cand, away, n_away)) {
                        a.approver = cand;
                        break;
                }
                a.via_stand_in = true;
                s = stand_in_for(rules, cand, rule);
                if (s && !streq(s, leave->person) && !id_in(s, away, n_away)) {
                        a.approver = s;
                        break;
                }
                cand = approver_of(config, rules, cand);
        }
        if (!a.approver)
                a.via_stand_in = false;

        *ret = a;
        return a.approver ? 0 : -ENOENT;
}

int rules_find_approver(const Config *config, const Calendar *calendar, const LeaveRules *rules,
                        const Leave *leave, const char *const *away, size_t n_away,
                        const char **ret_approver, bool *ret_via_stand_in) {
        RulesApproval a;
        int r;

        r = rules_resolve_approver(config, calendar, rules, leave, away, n_away, &a);
        if (r < 0)
                return r;
        if (ret_approver)
                *ret_approver = a.approver;
        if (ret_via_stand_in)
                *ret_via_stand_in = a.via_stand_in;
        return 0;
}

int rules_may_approve(const Person *identity, bool admin_override, const Leave *leave, const char *approver,
                      LeaveError *ret_error) {
        if (!leave || isempty(leave->person))
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (identity && identity->id && streq(identity->id, leave->person))
                return leave_error_set(ret_error, LEAVE_ERROR_SELF_APPROVAL, -EPERM);
        if (admin_override)
                return 0;
        if (!identity || !identity->id)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_APPROVER, -EPERM);
        if (approver ? streq(identity->id, approver) : person_has_role(identity, ROLE_APPROVER))
                return 0;
        return leave_error_set(ret_error, LEAVE_ERROR_NOT_APPROVER, -EPERM);
}

/* ---- Validation of the rules against the configuration ---- */

static bool who_resolves(const Config *c, const char *who) {
        return config_find_person(c, who) || config_find_group(c, who) || role_from_string(who) >= 0;
}

int leave_rules_validate(const LeaveRules *r, const Config *c, char **ret_message) {
        char *m = NULL;

        if (!r || !c)
                return -EINVAL;

#define FAIL(...)                                                       \
        do {                                                            \
                if (ret_message) {                                      \
                        if (asprintf(&m, __VA_ARGS__) < 0)              \
                                return -ENOMEM;                         \
                        *ret_message = m;                               \
                }                                                       \
                return -EINVAL;                                         \
        } while (0)

        for (size_t i = 0; i < r->n_never_together_groups; i++)
                if (!r->never_together_groups[i] || !config_find_group(c, r->never_together_groups[i]))
                        FAIL("leave.never_together: unknown group \"%s\".", strempty(r->never_together_groups[i]));
        for (size_t i = 0; i < r->n_require_acting_groups; i++)
                if (!r->require_acting_groups[i] || !config_find_group(c, r->require_acting_groups[i]))
                        FAIL("leave.require_acting: unknown group \"%s\".", strempty(r->require_acting_groups[i]));
        for (size_t i = 0; i < r->n_acting_groups; i++)
                if (!r->acting_groups[i] || !config_find_group(c, r->acting_groups[i]))
                        FAIL("leave.acting_groups: unknown group \"%s\".", strempty(r->acting_groups[i]));

        for (size_t i = 0; i < r->n_tiers; i++) {
                if (r->tiers[i].approver && !config_find_person(c, r->tiers[i].approver))
                        FAIL("leave.tiers.[%zu].approver: unknown person \"%s\".", i, r->tiers[i].approver);
                for (size_t k = 0; k < i; k++)
                        if (r->tiers[k].max_days == r->tiers[i].max_days)
                                FAIL("leave.tiers.[%zu]: a tier with max_days = %u is already defined.",
                                     i, r->tiers[i].max_days);
        }

        for (size_t i = 0; i < r->n_approvers; i++) {
                const ApproverRule *a = &r->approvers[i];

                if (!a->who || !who_resolves(c, a->who))
                        FAIL("leave.approvers.[%zu].who: \"%s\" is neither a person, a group nor a role.",
                             i, strempty(a->who));
                if (!a->reports_to && (!a->approver || !config_find_person(c, a->approver)))
                        FAIL("leave.approvers.[%zu].approver: unknown person \"%s\".", i, strempty(a->approver));
                if (a->stand_in && !config_find_person(c, a->stand_in))
                        FAIL("leave.approvers.[%zu].stand_in: unknown person \"%s\".", i, a->stand_in);
                if (a->stand_in && a->approver && streq(a->stand_in, a->approver))
                        FAIL("leave.approvers.[%zu].stand_in: the stand-in must differ from the approver.", i);
        }

        for (size_t i = 0; i < c->n_people; i++) {
                const char *x = c->people[i].id;
                unsigned step = 0;

                while (x && step < RULES_CHAIN_MAX) {
                        x = approver_of(c, r, x);
                        step++;
                }
                if (x)
                        FAIL("leave.approvers: the approval chain of \"%s\" loops or is longer than %d.",
                             c->people[i].id, RULES_CHAIN_MAX);
        }

#undef FAIL
        return 0;
}

/* ---- Message building ---- */

typedef struct Buf {
        char *s;
        size_t len, cap;
        bool oom;
} Buf;

static void buf_done(Buf *b) {
        free(b->s);
        *b = (Buf) {};
}

static void buf_printf(Buf *b, const char *fmt, ...) _printf_(2, 3);
static void buf_printf(Buf *b, const char *fmt, ...) {
        va_list ap;
        int n;

        if (b->oom)
                return;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
                b->oom = true;
                return;
        }

        if (b->len + (size_t) n + 1 > b->cap) {
                size_t cap = (b->len + (size_t) n + 1) * 2;
                char *s = realloc(b->s, cap);

                if (!s) {
                        b->oom = true;
                        return;
                }
                b->s = s;
                b->cap = cap;
        }

        va_start(ap, fmt);
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
}

static void buf_put_person(Buf *b, const Person *p, bool zh) {
        const char *name;

        if (!p)
                return;
        name = isempty(p->name) ? p->id : p->name;
        if (!isempty(p->title))
                buf_printf(b, zh ? "%s（%s）" : "%s (%s)", name, p->title);
        else
                buf_printf(b, "%s", name);
}

static void buf_put_people(Buf *b, const Config *c, const size_t *idx, size_t n, bool zh) {
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        buf_printf(b, "%s", zh ? "、" : ", ");
                buf_put_person(b, &c->people[idx[i]], zh);
        }
}

/* Runs of three or more consecutive days read as a range. */
static void buf_put_days(Buf *b, const Day *days, size_t n, bool zh) {
        char x[DAY_STRING_MAX], y[DAY_STRING_MAX];

        for (size_t i = 0; i < n;) {
                size_t j = i;

                while (j + 1 < n && days[j + 1] == days[j] + 1)
                        j++;
                if (i > 0)
                        buf_printf(b, "%s", zh ? "、" : ", ");
                if (j - i >= 2) {
                        buf_printf(b, zh ? "%s 至 %s" : "%s to %s", day_format(days[i], x), day_format(days[j], y));
                        i = j + 1;
                } else {
                        buf_printf(b, "%s", day_format(days[i], x));
                        i++;
                }
        }
}

static void buf_put_half_days(Buf *b, unsigned half) {
        if (half % 2)
                buf_printf(b, "%u.5", half / 2);
        else
                buf_printf(b, "%u", half / 2);
}

/* ---- The checker ---- */

typedef struct Checker {
        const RulesContext *ctx;
        const Config *config;
        const LeaveRules *rules;
        const Leave *leave;
        const Person *applicant;
        size_t applicant_index;
        unsigned half_days;
        Day from, to;
        size_t n_days;

        bool *away;             /* [person * n_days + day]: approved leave touching the duty day */
        unsigned rest;          /* roster.min_rest_days: free days a substitute keeps around a duty */
        size_t n_near;          /* days of `assigned`: from - rest … to + rest */
        bool *assigned;         /* [person * n_near + day - (from - rest)]: holds a post on the duty day */

        RulesApproval approval;
        int approval_r;
        int unknown_years[LEAVE_DAYS_MAX / 365 + 3];
        size_t n_unknown_years;

        RulesViolation *v;
        size_t n_v;
} Checker;

static void checker_done(Checker *c) {
        free(c->away);
        free(c->assigned);
        rules_violations_free(c->v, c->n_v);
        *c = (Checker) {};
}

static ssize_t checker_find(const Checker *c, const char *id) {
        return config_person_index(c->config, id);
}

static bool checker_away(const Checker *c, size_t person, Day d) {
        return d >= c->from && d <= c->to && c->away[person * c->n_days + (size_t) (d - c->from)];
}

static bool checker_assigned(const Checker *c, size_t person, Day d) {
        Day base = c->from - (Day) c->rest;

        return d >= base && d <= c->to + (Day) c->rest && c->assigned[person * c->n_near + (size_t) (d - base)];
}

/* Whether a person could take a duty on d without breaking the rest: no post within `rest` days
 * before or after it. */
static bool checker_rested(const Checker *c, size_t person, Day d) {
        for (Day e = d - (Day) c->rest; e <= d + (Day) c->rest; e++)
                if (e != d && checker_assigned(c, person, e))
                        return false;
        return true;
}

static char **ids_dup(const Checker *c, const size_t *idx, size_t n) {
        char **l;

        if (n == 0)
                return NULL;
        l = calloc(n, sizeof(char *));
        if (!l)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                l[i] = strdup(c->config->people[idx[i]].id);
                if (!l[i]) {
                        strv_free_n(l, i);
                        return NULL;
                }
        }
        return l;
}

/* Takes the messages from the buffers in every case. */
static int checker_add(Checker *c, const char *rule, RulesSeverity severity,
                       const Day *days, size_t n_days, const size_t *people, size_t n_people,
                       Buf *zh, Buf *en, const char *approver, const size_t *subs, size_t n_subs) {
        RulesViolation v = {
                .rule = rule,
                .severity = severity,
                .n_days = n_days,
                .n_people = n_people,
                .n_substitutes = n_subs,
        };
        RulesViolation *a;

        if (zh->oom || en->oom || !zh->s || !en->s)
                goto oom;
        v.message_zh = TAKE_PTR(zh->s);
        v.message_en = TAKE_PTR(en->s);
        buf_done(zh);
        buf_done(en);

        if (n_days > 0) {
                v.days = malloc(n_days * sizeof(Day));
                if (!v.days)
                        goto oom_v;
                memcpy(v.days, days, n_days * sizeof(Day));
        }
        v.people = ids_dup(c, people, n_people);
        if (n_people > 0 && !v.people)
                goto oom_v;
        v.substitutes = ids_dup(c, subs, n_subs);
        if (n_subs > 0 && !v.substitutes)
                goto oom_v;
        if (approver) {
                v.approver = strdup(approver);
                if (!v.approver)
                        goto oom_v;
        }

        a = realloc(c->v, (c->n_v + 1) * sizeof(RulesViolation));
        if (!a)
                goto oom_v;
        c->v = a;
        c->v[c->n_v++] = v;
        return 0;

oom_v:
        free(v.message_zh);
        free(v.message_en);
        free(v.days);
        strv_free_n(v.people, v.people ? n_people : 0);
        strv_free_n(v.substitutes, v.substitutes ? n_subs : 0);
        free(v.approver);
        return -ENOMEM;
oom:
        buf_done(zh);
        buf_done(en);
        return -ENOMEM;
}

static int checker_init(Checker *c, const RulesContext *ctx, const Leave *leave) {
        const Config *cfg = ctx->config;
        ssize_t i;

        *c = (Checker) {
                .ctx = ctx,
                .config = cfg,
                .rules = ctx->rules,
                .leave = leave,
        };

        if (leave_duty_days(leave, cfg->handover_minutes, &c->from, &c->to) < 0)
                return -EINVAL;
        c->n_days = (size_t) (c->to - c->from) + 1;
        c->rest = roster_rest_days(cfg);
        c->n_near = c->n_days + 2 * (size_t) c->rest;
        c->half_days = leave_length_half_days(leave);

        i = checker_find(c, leave->person);
        if (i < 0)
                return -EINVAL;
        c->applicant_index = (size_t) i;
        c->applicant = &cfg->people[i];

        if (cfg->n_people > 0) {
                c->away = calloc(cfg->n_people * c->n_days, sizeof(bool));
                c->assigned = calloc(cfg->n_people * c->n_near, sizeof(bool));
                if (!c->away || !c->assigned)
                        return -ENOMEM;
        }

        for (size_t k = 0; k < ctx->n_leaves; k++) {
                const Leave *l = &ctx->leaves[k];
                Day f, t;

                if ((leave->id != 0 && l->id == leave->id) || !leave_state_is_away(l->state))
                        continue;
                i = checker_find(c, l->person);
                if (i < 0 || leave_duty_days(l, cfg->handover_minutes, &f, &t) < 0)
                        continue;
                for (Day d = f > c->from ? f : c->from; d <= t && d <= c->to; d++)
                        c->away[(size_t) i * c->n_days + (size_t) (d - c->from)] = true;
        }

        for (size_t k = 0; k < ctx->n_duties; k++) {
                const RulesDuty *duty = &ctx->duties[k];

                if (duty->day < c->from - (Day) c->rest || duty->day > c->to + (Day) c->rest)
                        continue;
                i = checker_find(c, duty->person);
                if (i < 0)
                        continue;
                c->assigned[(size_t) i * c->n_near + (size_t) (duty->day - (c->from - (Day) c->rest))] = true;
        }

        return 0;
}

/* The people away on the approval day, for the stand-in. */
static int checker_resolve_approval(Checker *c) {
        const RulesContext *ctx = c->ctx;
        Day today = duty_day_of(ctx->today, ctx->now_minutes, c->config->handover_minutes);
        _cleanup_free_ const char **away = NULL;
        size_t n_away = 0;

        if (ctx->n_leaves > 0) {
                away = calloc(ctx->n_leaves, sizeof(char *));
                if (!away)
                        return -ENOMEM;
        }
        for (size_t k = 0; k < ctx->n_leaves; k++) {
                const Leave *l = &ctx->leaves[k];
                Day f, t;

                if ((c->leave->id != 0 && l->id == c->leave->id) || !leave_state_is_away(l->state) || !l->person)
                        continue;
                if (leave_duty_days(l, c->config->handover_minutes, &f, &t) < 0 || today < f || today > t)
                        continue;
                away[n_away++] = l->person;
        }

        c->approval_r = rules_resolve_approver(c->config, ctx->calendar, c->rules, c->leave, away, n_away,
                                               &c->approval);
        return c->approval_r == -ENOMEM ? -ENOMEM : 0;
}

/* The day the request counts from, and whether the notice rule applies at all. */
static bool checker_notice_applies(const Checker *c, Day *ret_request) {
        const RulesContext *ctx = c->ctx;

        if (c->rules->notice_working_days == 0 ||
            c->half_days <= 2 * c->rules->notice_min_days)
                return false;
        *ret_request = ctx->at_approval && c->leave->requested != DAY_NONE ? c->leave->requested : ctx->today;
        return true;
}

static bool checker_year_reported(const Checker *c, int year) {
        for (size_t i = 0; i < c->n_unknown_years; i++)
                if (c->unknown_years[i] == year)
                        return true;
        return false;
}

static int check_calendar_unknown(Checker *c) {
        const Calendar *cal = c->ctx->calendar;
        _cleanup_free_ Day *days = NULL;
        Day request;
        int r;

        days = malloc(c->n_days * sizeof(Day));
        if (!days)
                return -ENOMEM;

        for (Day d = c->from; d <= c->to;) {
                int year = day_year(d);
                size_t n = 0;
                Buf zh = {}, en = {};

                for (; d <= c->to && day_year(d) == year; d++)
                        if (calendar_day_type(cal, d) == DAY_TYPE_UNKNOWN)
                                days[n++] = d;
                if (n == 0)
                        continue;

                buf_printf(&zh, "%s: %d 年的节假日安排尚未公布，无法核对 ", RULES_CALENDAR_UNKNOWN, year);
                buf_put_days(&zh, days, n, true);
                buf_printf(&zh, " 的请假。");
                buf_printf(&en, "%s: the holiday notice for %d is not known yet, so the leave on ",
                           RULES_CALENDAR_UNKNOWN, year);
                buf_put_days(&en, days, n, false);
                buf_printf(&en, " cannot be checked.");
                r = checker_add(c, RULES_CALENDAR_UNKNOWN, RULES_SEVERITY_BLOCK, days, n,
                                &c->applicant_index, 1, &zh, &en, NULL, NULL, 0);
                if (r < 0)
                        return r;
                if (c->n_unknown_years < ELEMENTSOF(c->unknown_years))
                        c->unknown_years[c->n_unknown_years++] = year;
        }

        /* The notice period is counted on the calendar too; an unknown year there is reported here,
         * so that every calendar_unknown comes first. */
        if (checker_notice_applies(c, &request)) {
                int count, year;
                Buf zh = {}, en = {};
                char x[DAY_STRING_MAX], y[DAY_STRING_MAX];

                r = calendar_working_days_between(cal, request, c->leave->start.day, &count, &year);
                if (r != -ENODATA || checker_year_reported(c, year))
                        return 0;

                buf_printf(&zh, "%s: %d 年的节假日安排尚未公布，无法计算 %s 至 %s 之间的工作日。",
                           RULES_CALENDAR_UNKNOWN, year, day_format(request, x), day_format(c->leave->start.day, y));
                buf_printf(&en, "%s: the holiday notice for %d is not known yet, so the working days between %s and %s cannot be counted.",
                           RULES_CALENDAR_UNKNOWN, year, x, y);
                return checker_add(c, RULES_CALENDAR_UNKNOWN, RULES_SEVERITY_BLOCK, NULL, 0,
                                   &c->applicant_index, 1, &zh, &en, NULL, NULL, 0);
        }
        return 0;
}

static int check_overlap(Checker *c) {
        const RulesContext *ctx = c->ctx;
        _cleanup_free_ Day *days = NULL;
        int r;

        days = malloc(c->n_days * sizeof(Day));
        if (!days)
                return -ENOMEM;

        for (size_t k = 0; k < ctx->n_leaves; k++) {
                const Leave *l = &ctx->leaves[k];
                char s[LEAVE_TIME_STRING_MAX], e[LEAVE_TIME_STRING_MAX];
                Buf zh = {}, en = {};
                size_t n = 0;
                Day f, t;

                if ((c->leave->id != 0 && l->id == c->leave->id) || !l->person ||
                    !streq(l->person, c->leave->person) || !leave_state_is_open(l->state) ||
                    !leave_overlaps(l, c->leave) ||
                    leave_duty_days(l, c->config->handover_minutes, &f, &t) < 0)
                        continue;

                for (Day d = f > c->from ? f : c->from; d <= t && d <= c->to; d++)
                        days[n++] = d;

                buf_printf(&zh, "%s: ", RULES_OVERLAP);
                buf_put_person(&zh, c->applicant, true);
                buf_printf(&zh, "已有与本次时间重叠的请假（编号 %" PRIi64 "，%s，%s 至 %s），重叠日期：",
                           l->id, leave_state_to_zh(l->state), leave_time_format(l->start, s), leave_time_format(l->end, e));
                buf_put_days(&zh, days, n, true);
                buf_printf(&zh, "。");
                buf_printf(&en, "%s: ", RULES_OVERLAP);
                buf_put_person(&en, c->applicant, false);
                buf_printf(&en, " already has a leave overlapping this one (no. %" PRIi64 ", %s, %s to %s), on ",
                           l->id, leave_state_to_string(l->state), s, e);
                buf_put_days(&en, days, n, false);
                buf_printf(&en, ".");

                r = checker_add(c, RULES_OVERLAP, RULES_SEVERITY_BLOCK, days, n, &c->applicant_index, 1,
                                &zh, &en, NULL, NULL, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_never_together(Checker *c) {
        const Config *cfg = c->config;
        _cleanup_free_ Day *days = NULL;
        _cleanup_free_ bool *reported = NULL;
        int r;

        if (c->rules->n_never_together_groups == 0)
                return 0;

        days = malloc(c->n_days * sizeof(Day));
        reported = calloc(cfg->n_people, sizeof(bool));
        if (!days || !reported)
                return -ENOMEM;

        for (size_t g = 0; g < c->rules->n_never_together_groups; g++) {
                const Group *group = config_find_group(cfg, c->rules->never_together_groups[g]);

                if (!group_has_member(cfg, group, c->applicant))
                        continue;

                for (size_t k = 0; k < group->n_members; k++) {
                        size_t m = group->members[k], n = 0, pair[2] = { c->applicant_index, m };
                        Buf zh = {}, en = {};

                        if (m == c->applicant_index || m >= cfg->n_people || reported[m])
                                continue;
                        for (Day d = c->from; d <= c->to; d++)
                                if (checker_away(c, m, d))
                                        days[n++] = d;
                        if (n == 0)
                                continue;
                        reported[m] = true;

                        buf_printf(&zh, "%s: ", RULES_NEVER_TOGETHER);
                        buf_put_person(&zh, c->applicant, true);
                        buf_printf(&zh, "与");
                        buf_put_person(&zh, &cfg->people[m], true);
                        buf_printf(&zh, "不得同时外出：");
                        buf_put_days(&zh, days, n, true);
                        buf_printf(&zh, " 两人均不在岗。");

                        buf_printf(&en, "%s: ", RULES_NEVER_TOGETHER);
                        buf_put_person(&en, c->applicant, false);
                        buf_printf(&en, " and ");
                        buf_put_person(&en, &cfg->people[m], false);
                        buf_printf(&en, " must not be away at the same time: both would be away on ");
                        buf_put_days(&en, days, n, false);
                        buf_printf(&en, ".");

                        r = checker_add(c, RULES_NEVER_TOGETHER, RULES_SEVERITY_BLOCK, days, n, pair, 2,
                                        &zh, &en, NULL, NULL, 0);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int check_min_leaders_present(Checker *c) {
        const Config *cfg = c->config;
        unsigned need = c->rules->min_leaders_present, fewest = UINT32_MAX;
        _cleanup_free_ Day *days = NULL;
        _cleanup_free_ bool *also = NULL;
        _cleanup_free_ size_t *people = NULL;
        size_t n = 0, n_people = 0;
        Buf zh = {}, en = {};

        if (need == 0 || !person_has_role(c->applicant, ROLE_LEADER))
                return 0;

        days = malloc(c->n_days * sizeof(Day));
        also = calloc(cfg->n_people, sizeof(bool));
        people = malloc((cfg->n_people + 1) * sizeof(size_t));
        if (!days || !also || !people)
                return -ENOMEM;

        for (Day d = c->from; d <= c->to; d++) {
                unsigned present = 0;

                for (size_t i = 0; i < cfg->n_people; i++)
                        if (i != c->applicant_index && person_has_role(&cfg->people[i], ROLE_LEADER) &&
                            person_is_active(&cfg->people[i], d) && !checker_away(c, i, d))
                                present++;
                if (present >= need)
                        continue;

                days[n++] = d;
                if (present < fewest)
                        fewest = present;
                for (size_t i = 0; i < cfg->n_people; i++)
                        if (i != c->applicant_index && person_has_role(&cfg->people[i], ROLE_LEADER) &&
                            person_is_active(&cfg->people[i], d) && checker_away(c, i, d))
                                also[i] = true;
        }
        if (n == 0)
                return 0;

        people[n_people++] = c->applicant_index;
        for (size_t i = 0; i < cfg->n_people; i++)
                if (also[i])
                        people[n_people++] = i;

        buf_printf(&zh, "%s: 须至少 %u 名领导在岗，", RULES_MIN_LEADERS_PRESENT, need);
        buf_put_person(&zh, c->applicant, true);
        buf_printf(&zh, "请假后 ");
        buf_put_days(&zh, days, n, true);
        buf_printf(&zh, " 在岗领导将不足 %u 人（最少 %u 人）", need, fewest);
        if (n_people > 1) {
                buf_printf(&zh, "，同时不在岗：");
                buf_put_people(&zh, cfg, people + 1, n_people - 1, true);
        }
        buf_printf(&zh, "。");

        buf_printf(&en, "%s: at least %u leaders must be present, but with ", RULES_MIN_LEADERS_PRESENT, need);
        buf_put_person(&en, c->applicant, false);
        buf_printf(&en, " away only %u would be present on ", fewest);
        buf_put_days(&en, days, n, false);
        if (n_people > 1) {
                buf_printf(&en, "; also away: ");
                buf_put_people(&en, cfg, people + 1, n_people - 1, false);
        }
        buf_printf(&en, ".");

        return checker_add(c, RULES_MIN_LEADERS_PRESENT, RULES_SEVERITY_BLOCK, days, n, people, n_people,
                           &zh, &en, NULL, NULL, 0);
}

typedef struct DutyRef {
        size_t post;            /* index into Config.posts, or n_posts if unknown */
        const char *post_id;
        Day day;
} DutyRef;

static int duty_ref_compare(const void *a, const void *b) {
        const DutyRef *x = a, *y = b;
        int r;

        if (x->post != y->post)
                return x->post < y->post ? -1 : 1;
        r = strcmp(x->post_id, y->post_id);
        if (r != 0)
                return r;
        return (x->day > y->day) - (x->day < y->day);
}

static bool duty_same_post(const DutyRef *x, const DutyRef *y) {
        return x->post == y->post && streq(x->post_id, y->post_id);
}

typedef struct Candidate {
        size_t index;
        unsigned load;
} Candidate;

static int candidate_compare(const void *a, const void *b) {
        const Candidate *x = a, *y = b;

        if (x->load != y->load)
                return x->load < y->load ? -1 : 1;
        return (x->index > y->index) - (x->index < y->index);
}

static int check_on_duty(Checker *c) {
        const RulesContext *ctx = c->ctx;
        const Config *cfg = c->config;
        _cleanup_free_ DutyRef *mine = NULL;
        _cleanup_free_ Day *days = NULL;
        _cleanup_free_ Candidate *cand = NULL;
        _cleanup_free_ unsigned *load = NULL;
        size_t n_mine = 0;
        int r;

        for (size_t k = 0; k < ctx->n_duties; k++)
                if (ctx->duties[k].day >= c->from && ctx->duties[k].day <= c->to &&
                    ctx->duties[k].person && ctx->duties[k].post &&
                    streq(ctx->duties[k].person, c->leave->person))
                        n_mine++;
        if (n_mine == 0)
                return 0;

        mine = calloc(n_mine, sizeof(DutyRef));
        days = malloc(n_mine * sizeof(Day));
        cand = calloc(cfg->n_people, sizeof(Candidate));
        load = calloc(cfg->n_people, sizeof(unsigned));
        if (!mine || !days || (cfg->n_people > 0 && (!cand || !load)))
                return -ENOMEM;

        n_mine = 0;
        for (size_t k = 0; k < ctx->n_duties; k++) {
                const RulesDuty *d = &ctx->duties[k];
                const Post *p;

                if (d->day < c->from || d->day > c->to || !d->person || !d->post ||
                    !streq(d->person, c->leave->person))
                        continue;
                p = config_find_post(cfg, d->post);
                mine[n_mine++] = (DutyRef) {
                        .post = p ? (size_t) (p - cfg->posts) : cfg->n_posts,
                        .post_id = d->post,
                        .day = d->day,
                };
        }
        qsort(mine, n_mine, sizeof(DutyRef), duty_ref_compare);

        for (size_t k = 0; k < ctx->n_loads; k++) {
                ssize_t i = checker_find(c, ctx->loads[k].person);

                if (i >= 0)
                        load[i] = ctx->loads[k].load;
        }

        for (size_t k = 0; k < n_mine;) {
                const Post *post = mine[k].post < cfg->n_posts ? &cfg->posts[mine[k].post] : NULL;
                const char *post_name = post && !isempty(post->name) ? post->name : mine[k].post_id;
                size_t n = 0, n_cand = 0, subs[RULES_SUBSTITUTES_MAX], n_subs = 0;
                Buf zh = {}, en = {};

                /* Sorted by post, then day: this post's run starts at k. */
                for (size_t j = k; j < n_mine && duty_same_post(&mine[j], &mine[k]); j++)
                        if (n == 0 || days[n - 1] != mine[j].day)
                                days[n++] = mine[j].day;

                /* Substitutes take every one of these duties: same role, active, neither away nor
                 * holding another post on any of the days, nor a duty within the rest around them. */
                for (size_t i = 0; post && i < cfg->n_people; i++) {
                        bool ok = i != c->applicant_index && config_person_may_hold(cfg, post, &cfg->people[i]);

                        for (size_t j = 0; ok && j < n; j++)
                                ok = person_is_active(&cfg->people[i], days[j]) &&
                                        !checker_away(c, i, days[j]) && !checker_assigned(c, i, days[j]) &&
                                        checker_rested(c, i, days[j]);
                        if (ok)
                                cand[n_cand++] = (Candidate) { .index = i, .load = load[i] };
                }
                if (n_cand > 1)
                        qsort(cand, n_cand, sizeof(Candidate), candidate_compare);
                for (size_t i = 0; i < n_cand && n_subs < RULES_SUBSTITUTES_MAX; i++)
                        subs[n_subs++] = cand[i].index;

                buf_printf(&zh, "%s: ", RULES_ON_DUTY);
                buf_put_person(&zh, c->applicant, true);
                buf_printf(&zh, "已排%s值班：", post_name);
                buf_put_days(&zh, days, n, true);
                buf_printf(&zh, "，值班日不得请假；");
                if (n_subs > 0) {
                        buf_printf(&zh, "可替班人员（按轮值公平顺序）：");
                        buf_put_people(&zh, cfg, subs, n_subs, true);
                        buf_printf(&zh, "。");
                } else
                        buf_printf(&zh, "暂无可替班人员。");

                buf_printf(&en, "%s: ", RULES_ON_DUTY);
                buf_put_person(&en, c->applicant, false);
                buf_printf(&en, " is on duty as %s on ", post_name);
                buf_put_days(&en, days, n, false);
                buf_printf(&en, " and cannot be away on a duty day; ");
                if (n_subs > 0) {
                        buf_printf(&en, "possible substitutes, fairest first: ");
                        buf_put_people(&en, cfg, subs, n_subs, false);
                        buf_printf(&en, ".");
                } else
                        buf_printf(&en, "nobody is free to substitute.");

                r = checker_add(c, RULES_ON_DUTY, RULES_SEVERITY_BLOCK, days, n, &c->applicant_index, 1,
                                &zh, &en, NULL, subs, n_subs);
                if (r < 0)
                        return r;

                for (size_t first = k; k < n_mine && duty_same_post(&mine[k], &mine[first]); k++)
                        ;
        }
        return 0;
}

/* Whether p may act for a principal (代为主持工作): a leader, in one of leave.acting_groups when
 * any is configured. */
static bool person_may_act(const Config *cfg, const LeaveRules *r, const Person *p) {
        if (!person_has_role(p, ROLE_LEADER))
                return false;
        return r->n_acting_groups == 0 || person_in_groups(cfg, p, r->acting_groups, r->n_acting_groups);
}

/* Who the applicant could name instead, so that the refusal says what to do next. */
static void buf_put_may_act(Buf *b, const Checker *c, bool zh) {
        const Config *cfg = c->config;
        size_t n = 0;

        for (size_t i = 0; i < cfg->n_people; i++) {
                const Person *p = &cfg->people[i];

                if (i == c->applicant_index || !person_may_act(cfg, c->rules, p) ||
                    !person_is_active(p, c->from))
                        continue;
                if (n++ > 0)
                        buf_printf(b, "%s", zh ? "、" : ", ");
                buf_put_person(b, p, zh);
        }
        if (n == 0)
                buf_printf(b, "%s", zh ? "（无）" : "(nobody)");
}

/* The person named to act must be someone else, a leader who may act (leave.acting_groups); a
 * principal leaving town must name one (leave.require_acting). Whether they are there to act is
 * acting_away's. */
static int check_acting(Checker *c) {
        const Config *cfg = c->config;
        const Leave *l = c->leave;
        Buf zh = {}, en = {};
        bool required;
        ssize_t a;

        required = l->out_of_town &&
                person_in_groups(cfg, c->applicant, c->rules->require_acting_groups, c->rules->n_require_acting_groups);
        if (isempty(l->acting) && !required)
                return 0;

        buf_printf(&zh, "%s: ", RULES_ACTING);
        buf_put_person(&zh, c->applicant, true);
        buf_printf(&en, "%s: ", RULES_ACTING);
        buf_put_person(&en, c->applicant, false);

        if (isempty(l->acting)) {
                buf_printf(&zh, "离开本地，须指定代为主持工作的同志（--acting），可指定：");
                buf_put_may_act(&zh, c, true);
                buf_printf(&zh, "。");
                buf_printf(&en, " leaves town and must name a person to act in their place (--acting): ");
                buf_put_may_act(&en, c, false);
                buf_printf(&en, ".");
                return checker_add(c, RULES_ACTING, RULES_SEVERITY_BLOCK, NULL, 0, &c->applicant_index, 1,
                                   &zh, &en, NULL, NULL, 0);
        }
        if (streq(l->acting, l->person)) {
                buf_printf(&zh, "不能指定本人代为主持工作，请指定其他领导同志：");
                buf_put_may_act(&zh, c, true);
                buf_printf(&zh, "。");
                buf_printf(&en, " cannot act in their own place; name another leader: ");
                buf_put_may_act(&en, c, false);
                buf_printf(&en, ".");
                return checker_add(c, RULES_ACTING, RULES_SEVERITY_BLOCK, NULL, 0, &c->applicant_index, 1,
                                   &zh, &en, NULL, NULL, 0);
        }
        a = checker_find(c, l->acting);
        if (a < 0) {
                buf_printf(&zh, "指定的代为主持工作人员“%s”不在人员名单中。", l->acting);
                buf_printf(&en, " named \"%s\" to act in their place, who is not in the list of people.", l->acting);
                return checker_add(c, RULES_ACTING, RULES_SEVERITY_BLOCK, NULL, 0, &c->applicant_index, 1,
                                   &zh, &en, NULL, NULL, 0);
        }
        if (!person_may_act(cfg, c->rules, &cfg->people[a])) {
                size_t pair[2] = { c->applicant_index, (size_t) a };

                buf_printf(&zh, "指定的");
                buf_put_person(&zh, &cfg->people[a], true);
                buf_printf(&zh, "不能代为主持工作（须由领导同志代为主持），请改为指定：");
                buf_put_may_act(&zh, c, true);
                buf_printf(&zh, "。");
                buf_printf(&en, " named ");
                buf_put_person(&en, &cfg->people[a], false);
                buf_printf(&en, " to act in their place, who may not act (a leader must); name one of: ");
                buf_put_may_act(&en, c, false);
                buf_printf(&en, ".");
                return checker_add(c, RULES_ACTING, RULES_SEVERITY_BLOCK, NULL, 0, pair, 2, &zh, &en, NULL, NULL, 0);
        }

        buf_done(&zh);
        buf_done(&en);
        return 0;
}

/* The person acting cannot be away while they act, whichever comes first: the proposed leave names
 * someone away (or not in office) on some of its days, or the applicant acts on some of its days
 * for a principal whose leave is approved. */
static int check_acting_away(Checker *c) {
        const Config *cfg = c->config;
        const Leave *l = c->leave;
        _cleanup_free_ Day *days = NULL;
        size_t n = 0;
        ssize_t a;
        int r;

        days = malloc(c->n_days * sizeof(Day));
        if (!days)
                return -ENOMEM;

        a = isempty(l->acting) || streq(l->acting, l->person) ? -1 : checker_find(c, l->acting);
        if (a >= 0) {
                size_t pair[2] = { c->applicant_index, (size_t) a };
                Buf zh = {}, en = {};

                for (Day d = c->from; d <= c->to; d++)
                        if (checker_away(c, (size_t) a, d) || !person_is_active(&cfg->people[a], d))
                                days[n++] = d;
                if (n > 0) {
                        buf_printf(&zh, "%s: 指定的代为主持工作人员", RULES_ACTING_AWAY);
                        buf_put_person(&zh, &cfg->people[a], true);
                        buf_printf(&zh, "在 ");
                        buf_put_days(&zh, days, n, true);
                        buf_printf(&zh, " 不在岗，不能代");
                        buf_put_person(&zh, c->applicant, true);
                        buf_printf(&zh, "主持工作；请另行指定代为主持工作的同志，或调整请假日期。");
                        buf_printf(&en, "%s: ", RULES_ACTING_AWAY);
                        buf_put_person(&en, &cfg->people[a], false);
                        buf_printf(&en, ", named to act for ");
                        buf_put_person(&en, c->applicant, false);
                        buf_printf(&en, ", is not available on ");
                        buf_put_days(&en, days, n, false);
                        buf_printf(&en, "; name someone else to act, or change the days of the leave.");
                        r = checker_add(c, RULES_ACTING_AWAY, RULES_SEVERITY_BLOCK, days, n, pair, 2, &zh, &en,
                                        NULL, NULL, 0);
                        if (r < 0)
                                return r;
                }
        }

        for (size_t k = 0; k < c->ctx->n_leaves; k++) {
                const Leave *p = &c->ctx->leaves[k];
                size_t pair[2] = { c->applicant_index, 0 };
                Buf zh = {}, en = {};
                ssize_t principal;
                Day f, t;

                if ((l->id != 0 && p->id == l->id) || !leave_state_is_away(p->state) || isempty(p->acting) ||
                    !streq(p->acting, l->person) || !p->person || streq(p->person, l->person))
                        continue;
                principal = checker_find(c, p->person);
                if (principal < 0 || leave_duty_days(p, cfg->handover_minutes, &f, &t) < 0)
                        continue;
                n = 0;
                for (Day d = f > c->from ? f : c->from; d <= t && d <= c->to; d++)
                        days[n++] = d;
                if (n == 0)
                        continue;

                pair[1] = (size_t) principal;
                buf_printf(&zh, "%s: ", RULES_ACTING_AWAY);
                buf_put_person(&zh, c->applicant, true);
                buf_printf(&zh, "在 ");
                buf_put_days(&zh, days, n, true);
                buf_printf(&zh, " 代");
                buf_put_person(&zh, &cfg->people[principal], true);
                buf_printf(&zh, "主持工作（请假编号 %" PRIi64 "），代为主持工作期间不得请假；请调整请假日期，或请",
                           p->id);
                buf_put_person(&zh, &cfg->people[principal], true);
                buf_printf(&zh, "另行指定代为主持工作的同志。");
                buf_printf(&en, "%s: ", RULES_ACTING_AWAY);
                buf_put_person(&en, c->applicant, false);
                buf_printf(&en, " acts for ");
                buf_put_person(&en, &cfg->people[principal], false);
                buf_printf(&en, " on ");
                buf_put_days(&en, days, n, false);
                buf_printf(&en, " (leave %" PRIi64 ") and cannot be away while acting; change the days, or ask ", p->id);
                buf_put_person(&en, &cfg->people[principal], false);
                buf_printf(&en, " to name someone else to act.");
                r = checker_add(c, RULES_ACTING_AWAY, RULES_SEVERITY_BLOCK, days, n, pair, 2, &zh, &en,
                                NULL, NULL, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const Person *checker_person(const Checker *c, const char *id) {
        ssize_t i = checker_find(c, id);

        return i >= 0 ? &c->config->people[i] : NULL;
}

static void buf_put_person_id(Buf *b, const Checker *c, const char *id, bool zh) {
        const Person *p = checker_person(c, id);

        if (p)
                buf_put_person(b, p, zh);
        else
                buf_printf(b, "%s", strempty(id));
}

static int check_sensitive(Checker *c) {
        const Calendar *cal = c->ctx->calendar;
        _cleanup_free_ Day *days = NULL;
        int r;

        if (!person_has_role(c->applicant, ROLE_LEADER))
                return 0;

        days = malloc(c->n_days * sizeof(Day));
        if (!days)
                return -ENOMEM;

        CALENDAR_FOREACH_SENSITIVE(p, cal, c->from, c->to) {
                const char *approver = c->approval.required;
                const char *name = isempty(p->name) ? strempty(p->id) : p->name;
                char pf[DAY_STRING_MAX], pt[DAY_STRING_MAX];
                RulesSeverity severity = _RULES_SEVERITY_INVALID;
                Buf zh = {}, en = {};
                size_t n = 0;

                switch (p->leave) {
                case LEAVE_POLICY_FREEZE:
                        severity = RULES_SEVERITY_BLOCK;
                        break;
                case LEAVE_POLICY_ESCALATE:
                        severity = RULES_SEVERITY_ESCALATE;
                        break;
                case LEAVE_POLICY_NORMAL:
                case _LEAVE_POLICY_MAX:
                case _LEAVE_POLICY_INVALID:
                        continue;
                }

                for (Day d = p->from > c->from ? p->from : c->from; d <= p->to && d <= c->to; d++)
                        days[n++] = d;

                day_format(p->from, pf);
                day_format(p->to, pt);
                buf_printf(&zh, "%s: ", RULES_SENSITIVE);
                buf_put_days(&zh, days, n, true);
                buf_printf(&zh, " 处于重要敏感时期“%s”（%s 至 %s），", name, pf, pt);
                buf_printf(&en, "%s: ", RULES_SENSITIVE);
                buf_put_days(&en, days, n, false);
                buf_printf(&en, " fall in the sensitive period \"%s\" (%s to %s), ", name, pf, pt);

                if (severity == RULES_SEVERITY_BLOCK) {
                        approver = NULL;
                        buf_printf(&zh, "领导干部请假冻结，");
                        buf_put_person(&zh, c->applicant, true);
                        buf_printf(&zh, "的请假不能批准。");
                        buf_printf(&en, "when leaders' leave is frozen: the leave of ");
                        buf_put_person(&en, c->applicant, false);
                        buf_printf(&en, " cannot be approved.");
                } else if (c->approval.escalated) {
                        buf_put_person(&zh, c->applicant, true);
                        buf_printf(&zh, "的请假须报上一级");
                        buf_put_person_id(&zh, c, approver, true);
                        buf_printf(&zh, "审批。");
                        buf_printf(&en, "so the leave of ");
                        buf_put_person(&en, c->applicant, false);
                        buf_printf(&en, " needs the next approver up, ");
                        buf_put_person_id(&en, c, approver, false);
                        buf_printf(&en, ".");
                } else {
                        approver = NULL;
                        buf_put_person(&zh, c->applicant, true);
                        buf_printf(&zh, "的请假须报上一级审批，但未配置上一级审批人。");
                        buf_printf(&en, "so the leave of ");
                        buf_put_person(&en, c->applicant, false);
                        buf_printf(&en, " needs the next approver up, but none is configured.");
                }

                r = checker_add(c, RULES_SENSITIVE, severity, days, n, &c->applicant_index, 1, &zh, &en,
                                approver, NULL, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_notice(Checker *c) {
        const Leave *l = c->leave;
        unsigned need = c->rules->notice_working_days;
        char rq[DAY_STRING_MAX], st[DAY_STRING_MAX], due_s[DAY_STRING_MAX];
        Buf zh = {}, en = {};
        Day request, due;
        int count, r;

        if (!checker_notice_applies(c, &request))
                return 0;

        r = calendar_working_days_between(c->ctx->calendar, request, l->start.day, &count, NULL);
        if (r < 0)
                return 0; /* reported as calendar_unknown */
        if ((unsigned) count >= need)
                return 0;

        day_format(request, rq);
        day_format(l->start.day, st);

        if (l->urgent) {
                due = l->paperwork_due != DAY_NONE ? l->paperwork_due :
                        leave_paperwork_due_from(request, c->rules->urgent_paperwork_days);
                day_format(due, due_s);
                buf_printf(&zh, "%s: 紧急请假未提前 %u 个工作日申请（%s 申请、%s 开始，其间 %d 个工作日），书面请假手续须于 %s 前补办。",
                           RULES_NOTICE, need, rq, st, count, due_s);
                buf_printf(&en, "%s: urgent leave requested fewer than %u working days ahead (requested %s, starting %s, %d working days between); the written form is due by %s.",
                           RULES_NOTICE, need, rq, st, count, due_s);
                return checker_add(c, RULES_NOTICE, RULES_SEVERITY_WARNING, &l->start.day, 1,
                                   &c->applicant_index, 1, &zh, &en, NULL, NULL, 0);
        }

        buf_printf(&zh, "%s: 请假超过 %u 天须至少提前 %u 个工作日申请；%s 申请、%s 开始，其间只有 %d 个工作日。",
                   RULES_NOTICE, c->rules->notice_min_days, need, rq, st, count);
        buf_printf(&en, "%s: leave longer than %u day%s must be requested at least %u working days ahead; requested %s for %s, only %d working day%s between.",
                   RULES_NOTICE, c->rules->notice_min_days, c->rules->notice_min_days == 1 ? "" : "s",
                   need, rq, st, count, count == 1 ? "" : "s");
        return checker_add(c, RULES_NOTICE, RULES_SEVERITY_BLOCK, &l->start.day, 1, &c->applicant_index, 1,
                           &zh, &en, NULL, NULL, 0);
}

static int check_tiers(Checker *c) {
        const LeaveTier *tier = tier_for(c->rules, c->half_days);
        unsigned lower = 0;
        Buf zh = {}, en = {};

        if (!tier || !c->approval.tier)
                return 0;

        /* The bound below this tier, to say which band the leave falls in. */
        for (size_t i = 0; i < c->rules->n_tiers; i++) {
                unsigned m = c->rules->tiers[i].max_days;

                if (m > lower && (tier->max_days == 0 || m < tier->max_days))
                        lower = m;
        }

        buf_printf(&zh, "%s: ", RULES_TIERS);
        buf_put_person(&zh, c->applicant, true);
        buf_printf(&zh, "请假 ");
        buf_put_half_days(&zh, c->half_days);
        buf_printf(&zh, " 天（");
        if (lower > 0)
                buf_printf(&zh, "超过 %u 天", lower);
        if (lower > 0 && tier->max_days > 0)
                buf_printf(&zh, "、");
        if (tier->max_days > 0)
                buf_printf(&zh, "不超过 %u 天", tier->max_days);
        buf_printf(&zh, "），须由");
        buf_put_person_id(&zh, c, c->approval.tier, true);
        buf_printf(&zh, "审批。");

        buf_printf(&en, "%s: the leave of ", RULES_TIERS);
        buf_put_person(&en, c->applicant, false);
        buf_printf(&en, " lasts ");
        buf_put_half_days(&en, c->half_days);
        buf_printf(&en, " days (");
        if (lower > 0)
                buf_printf(&en, "more than %u", lower);
        if (lower > 0 && tier->max_days > 0)
                buf_printf(&en, ", ");
        if (tier->max_days > 0)
                buf_printf(&en, "at most %u", tier->max_days);
        buf_printf(&en, "), so it is approved by ");
        buf_put_person_id(&en, c, c->approval.tier, false);
        buf_printf(&en, ".");

        return checker_add(c, RULES_TIERS, RULES_SEVERITY_ESCALATE, NULL, 0, &c->applicant_index, 1, &zh, &en,
                           c->approval.tier, NULL, 0);
}

int rules_check_leave(const RulesContext *ctx, const Leave *proposed, RulesViolation **ret, size_t *ret_n) {
        static int (*const checks[])(Checker *c) = {
                check_calendar_unknown,
                check_overlap,
                check_never_together,
                check_min_leaders_present,
                check_on_duty,
                check_acting,
                check_acting_away,
                check_sensitive,
                check_notice,
                check_tiers,
        };
        _cleanup_(checker_done) Checker c = {};
        int r;

        if (!ctx || !ctx->config || !ctx->calendar || !ctx->rules || !proposed || !ret || !ret_n)
                return -EINVAL;
        if ((ctx->n_leaves > 0 && !ctx->leaves) || (ctx->n_duties > 0 && !ctx->duties) ||
            (ctx->n_loads > 0 && !ctx->loads) || ctx->today == DAY_NONE)
                return -EINVAL;
        if (leave_validate(proposed, NULL) < 0)
                return -EINVAL;

        r = checker_init(&c, ctx, proposed);
        if (r >= 0)
                r = checker_resolve_approval(&c);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(checks); i++)
                r = checks[i](&c);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(c.v);
        *ret_n = c.n_v;
        c.n_v = 0;
        return 0;
}

RulesViolation *rules_violations_free(RulesViolation *v, size_t n) {
        if (!v)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                free(v[i].days);
                strv_free_n(v[i].people, v[i].n_people);
                free(v[i].message_zh);
                free(v[i].message_en);
                free(v[i].approver);
                strv_free_n(v[i].substitutes, v[i].n_substitutes);
        }
        free(v);
        return NULL;
}
