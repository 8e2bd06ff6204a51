/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "leave-service.h"
#include "notify-outbox.h"
#include "roster.h"
#include "string-table.h"

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
/* "returned at YYYY-MM-DD HH:MM". */
#define LEAVE_NOTE_MAX 64
/* Decimal digits of an int64 plus sign and NUL. */
#define LEAVE_ID_STRING_MAX 24

static const char *const leave_list_filter_table[_LEAVE_LIST_MAX] = {
        [LEAVE_LIST_ALL] = "all",
        [LEAVE_LIST_PENDING] = "pending",
        [LEAVE_LIST_ACTIVE] = "active",
        [LEAVE_LIST_OVERDUE] = "overdue",
};

DEFINE_STRING_TABLE_LOOKUP(leave_list_filter, LeaveListFilter);

/* Refusals that are not leave.c's LeaveErrorCodes. */
typedef struct LeaveReason {
        const char *code;
        const char *zh;
        const char *en;
} LeaveReason;

static const LeaveReason reason_not_found = {
        "not_found", "没有这条请假记录。", "There is no such leave." };
static const LeaveReason reason_not_own = {
        "not_own", "只能办理或查看本人的请假。", "Members act on, and see, their own leave only." };
static const LeaveReason reason_for_others = {
        "for_others", "只有管理员可以代他人请假。", "Only administrators file leave for somebody else." };
static const LeaveReason reason_no_person = {
        "no_person", "调用者不是本单位人员，须指明请假人。",
        "The caller is no person of the office: name the person the leave is for." };
static const LeaveReason reason_admin_only = {
        "admin_only", "未配置此人请假的审批人（由上级审批），须由管理员登记审批结果。",
        "Nobody is configured to approve this person's leave (a superior body does): an administrator records the decision." };
static const LeaveReason reason_unknown_person = {
        "unknown_person", "人员名单中没有此人。", "There is no such person in the list of people." };
static const LeaveReason reason_too_early = {
        "too_early", "请假开始日期不得早于 " STRINGIFY(LEAVE_SERVICE_PAST_DAYS_MAX) " 天前。",
        "A leave cannot start more than " STRINGIFY(LEAVE_SERVICE_PAST_DAYS_MAX) " days ago." };
static const LeaveReason reason_too_far = {
        "too_far", "请假开始日期不得晚于 " STRINGIFY(LEAVE_SERVICE_AHEAD_DAYS_MAX) " 天后。",
        "A leave cannot start more than " STRINGIFY(LEAVE_SERVICE_AHEAD_DAYS_MAX) " days ahead." };
static const LeaveReason reason_text_too_long = {
        "text_too_long", "文字过长，最多 " STRINGIFY(LEAVE_SERVICE_TEXT_MAX) " 字节。",
        "The text is too long: at most " STRINGIFY(LEAVE_SERVICE_TEXT_MAX) " bytes." };
static const LeaveReason reason_rules_request = {
        LEAVE_REASON_RULES, "请假违反以下规则，不能提交。", "The leave breaks the rules below and cannot be filed." };
static const LeaveReason reason_rules_approve = {
        LEAVE_REASON_RULES, "请假违反以下规则，不能批准。", "The leave breaks the rules below and cannot be approved." };

void leave_entry_done(LeaveEntry *e) {
        if (!e)
                return;
        store_leave_done(&e->stored);
        *e = (LeaveEntry) {};
}

LeaveEntry *leave_entry_free_many(LeaveEntry *e, size_t n) {
        if (!e)
                return NULL;
        for (size_t i = 0; i < n; i++)
                leave_entry_done(&e[i]);
        free(e);
        return NULL;
}

void leave_outcome_done(LeaveOutcome *o) {
        if (!o)
                return;
        leave_entry_done(&o->leave);
        rules_violations_free(o->violations, o->n_violations);
        store_leave_event_free_many(o->events, o->n_events);
        leave_entry_free_many(o->entries, o->n_entries);
        refusal_done(&o->refusal);
        *o = (LeaveOutcome) { .refusal = REFUSAL_INIT };
}

/* Starts ret empty: 0, or -EINVAL without a context. */
static int outcome_init(const LeaveServiceContext *ctx, LeaveOutcome *ret) {
        if (!ret)
                return -EINVAL;
        *ret = (LeaveOutcome) { .refusal = REFUSAL_INIT };
        return ctx ? 0 : -EINVAL;
}

static bool context_en(const LeaveServiceContext *ctx) {
        return language_is_en(ctx->language);
}

/* Fills o->refusal (kind DENIED or LEAVE) with the code, the field at fault and the sentence in the
 * call's language; returns r, or -ENOMEM (the refusal left unset). */
static int refuse_text(const LeaveServiceContext *ctx, LeaveOutcome *o, RefusalKind kind, const char *code,
                       const char *field, const char *zh, const char *en, int r) {
        int k;

        k = refusal_set(&o->refusal, kind, code, context_en(ctx) ? en : zh);
        if (k < 0)
                return k;
        o->refusal.field = field;
        return r;
}

static int refuse(const LeaveServiceContext *ctx, LeaveOutcome *o, RefusalKind kind, const LeaveReason *why,
                  const char *field, int r) {
        return refuse_text(ctx, o, kind, why->code, field, why->zh, why->en, r);
}

static int refuse_error(const LeaveServiceContext *ctx, LeaveOutcome *o, RefusalKind kind, const LeaveError *e,
                        const char *field, int r) {
        return refuse_text(ctx, o, kind, leave_error_code_to_string(e->code), field, e->message_zh, e->message_en, r);
}

/* NotFound: what ("leave", "person") with the identifier given (ident), for the request's field. */
static int refuse_not_found(const LeaveServiceContext *ctx, LeaveOutcome *o, const char *what, const char *ident,
                            const LeaveReason *why, const char *field) {
        int k;

        k = refusal_set_not_found(&o->refusal, what, ident, context_en(ctx) ? why->en : why->zh);
        if (k < 0)
                return k;
        o->refusal.rule = why->code;
        o->refusal.field = field;
        return -ENOENT;
}

static const LeaveReason reason_override_reason = {
        "override_reason", "管理员越过审批人作出决定（--override），须用 --reason 说明理由。",
        "An administrator deciding over the approver (--override) must say why with --reason." };

/* A denial naming who decides: "not_approver", or "override_needed" for an administrator, who is
 * told how to decide anyway. */
static int refuse_approver(const LeaveServiceContext *ctx, LeaveOutcome *o, const RulesApproval *a, int64_t id) {
        const Config *c = ctx->config;
        const Person *who = config_find_person(c, a->approver), *req = config_find_person(c, a->required);
        const char *name = who && !isempty(who->name) ? who->name : strempty(a->approver);
        const char *req_name = req && !isempty(req->name) ? req->name : strempty(a->required);
        _cleanup_free_ char *who_text = NULL, *message = NULL;
        bool en = context_en(ctx);
        int r;

        if (a->via_stand_in && a->required)
                r = en ? asprintf(&who_text, "the approver %s (%s) is away, so %s (%s) decides as stand-in", req_name,
                                  a->required, name, a->approver)
                       : asprintf(&who_text, "审批人%s（%s）不在岗，由%s（%s）代为审批", req_name, a->required, name,
                                  a->approver);
        else
                r = en ? asprintf(&who_text, "the leave is decided by its approver %s (%s)", name, strempty(a->approver))
                       : asprintf(&who_text, "该请假由审批人%s（%s）审批", name, strempty(a->approver));
        if (r < 0)
                return -ENOMEM;

        if (ctx->actor.is_admin)
                r = en ? asprintf(&message, "Being an administrator is not enough: %s. To decide over the approver, "
                                  "say why: dutyctl leave approve %" PRIi64 " --override --reason TEXT (or leave reject).",
                                  who_text, id)
                       : asprintf(&message, "%s。管理员如确需越过审批人作出决定，须说明理由："
                                  "dutyctl leave approve %" PRIi64 " --override --reason 理由（驳回用 leave reject）。",
                                  who_text, id);
        else
                r = en ? asprintf(&message, "Only the approver decides: %s; ask them.", who_text)
                       : asprintf(&message, "%s，请联系其审批。", who_text);
        if (r < 0)
                return -ENOMEM;

        r = refusal_set(&o->refusal, REFUSAL_DENIED,
                        ctx->actor.is_admin ? "override_needed" : leave_error_code_to_string(LEAVE_ERROR_NOT_APPROVER),
                        message);
        return r < 0 ? r : -EPERM;
}

static bool violations_block(const RulesViolation *v, size_t n, bool urgent) {
        for (size_t i = 0; i < n; i++)
                if (v[i].severity == RULES_SEVERITY_BLOCK && (!urgent || streq(v[i].rule, RULES_OVERLAP)))
                        return true;
        return false;
}

static bool actor_is(const LeaveActor *a, const char *person) {
        return a->person && a->person->id && person && streq(a->person->id, person);
}

static bool actor_sees(const LeaveActor *a, const Leave *l) {
        return a->is_admin || a->is_approver || actor_is(a, l->person);
}

static int check_own_or_admin(const LeaveServiceContext *ctx, const Leave *l, LeaveOutcome *o) {
        if (ctx->actor.is_admin || actor_is(&ctx->actor, l->person))
                return 0;
        return refuse(ctx, o, REFUSAL_DENIED, &reason_not_own, NULL, -EPERM);
}

/* ---- What the rules look at ---- */

typedef struct LeaveWorld {
        DutyCalendar calendar;
        StoreLeave *leaves;        /* open leaves around the days concerned and today */
        size_t n_leaves;
        Leave *plain;              /* shallow copies of leaves[].leave, as RulesContext takes them */
        const char **away;         /* people away on the duty day running now */
        size_t n_away;
        StoreAssignment *assignments; /* the duties on the leave's days and the rest around them */
        size_t n_assignments;
        RulesDuty *duties;
        size_t n_duties;
        RosterHistory *history;    /* this year's duties, for the fairness order of substitutes */
        size_t n_history;
        RulesLoad *loads;
        size_t n_loads;
} LeaveWorld;

static void leave_world_done(LeaveWorld *w) {
        duty_calendar_done(&w->calendar);
        store_leave_free_many(w->leaves, w->n_leaves);
        free(w->plain);
        free(w->away);
        store_assignment_free_many(w->assignments, w->n_assignments);
        free(w->duties);
        free(w->history);
        free(w->loads);
        *w = (LeaveWorld) {};
}

static Day today_duty_day(const LeaveServiceContext *ctx) {
        return duty_day_of(ctx->now.day, ctx->now.minutes, ctx->config->handover_minutes);
}

/* The leaves the rules look at: the open ones that meet the leave's duty days lf … lt (none without
 * a leave), and those that meet today, for who is away to approve it — one list of the store's for
 * both (a duty day runs into the next calendar day; a calendar day's early hours belong to the day
 * before). Leaves on the days between concern neither, however many there are: two stretches far
 * apart are asked for as such (StoreLeaveFilter.also), not as one. */
static int world_load_leaves(const LeaveServiceContext *ctx, LeaveWorld *w, Day lf, Day lt) {
        Day today = today_duty_day(ctx);
        StoreLeaveFilter open = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING) |
                          STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) |
                          STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED),
                .from = today - 1,
                .to = today + 1,
        };
        int r;

        if (lf != DAY_NONE && lf <= today + 2 && lt >= today - 2) {
                /* The two stretches meet or nearly so: one. */
                open.from = (lf < today ? lf : today) - 1;
                open.to = (lt > today ? lt : today) + 1;
        } else if (lf != DAY_NONE) {
                open.also = true;
                open.also_from = lf - 1;
                open.also_to = lt + 1;
        }
        r = store_leave_list(ctx->store, &open, &w->leaves, &w->n_leaves);
        if (r < 0)
                return r;

        if (w->n_leaves > 0) {
                w->plain = calloc(w->n_leaves, sizeof(Leave));
                w->away = calloc(w->n_leaves, sizeof(char *));
                if (!w->plain || !w->away)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < w->n_leaves; i++) {
                const Leave *l = &w->leaves[i].leave;
                Day f, t;

                w->plain[i] = *l;
                if (!leave_state_is_away(l->state) ||
                    leave_duty_days(l, ctx->config->handover_minutes, &f, &t) < 0 ||
                    today < f || today > t)
                        continue;
                w->away[w->n_away++] = l->person;
        }
        return 0;
}

/* Substitutes are proposed least loaded first: the weighted duties of the current year. */
static int world_load_loads(const LeaveServiceContext *ctx, LeaveWorld *w) {
        int year = day_year(ctx->now.day);
        _cleanup_free_ RosterSlot *slots = NULL;
        StoreAssignment *a = NULL;
        size_t n = 0, n_slots = 0;
        int r;

        r = store_assignment_list(ctx->store, day_from_ymd(year, 1, 1), day_from_ymd(year, 12, 31), &a, &n);
        if (r < 0)
                return r;
        if (n > 0) {
                slots = calloc(n, sizeof(RosterSlot));
                if (!slots) {
                        store_assignment_free_many(a, n);
                        return -ENOMEM;
                }
        }
        for (size_t i = 0; i < n; i++)
                if (a[i].person)
                        slots[n_slots++] = (RosterSlot) {
                                .day = a[i].day,
                                .post = a[i].post,
                                .slot = a[i].slot,
                                .person = a[i].person,
                        };

        r = roster_history_from_slots(ctx->config, &w->calendar.calendar, slots, n_slots, &w->history, &w->n_history);
        store_assignment_free_many(a, n);
        if (r < 0)
                return r;

        if (w->n_history > 0) {
                w->loads = calloc(w->n_history, sizeof(RulesLoad));
                if (!w->loads)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < w->n_history; i++) {
                unsigned load = 0;

                for (FairnessCategory c = 0; c < _FAIR_MAX; c++)
                        load += w->history[i].load[c];
                w->loads[w->n_loads++] = (RulesLoad) { .person = w->history[i].person, .load = load };
        }
        return 0;
}

/* Loads what the rules need for `l` (NULL: only the calendar and who is away today). */
static int world_load(const LeaveServiceContext *ctx, const Leave *l, LeaveWorld *w) {
        Day lf = DAY_NONE, lt = DAY_NONE, rest;
        bool on_duty = false;
        int r;

        r = duty_calendar_load(ctx->store, ctx->config, &w->calendar);
        if (r < 0)
                return r;

        if (l) {
                r = leave_duty_days(l, ctx->config->handover_minutes, &lf, &lt);
                if (r < 0)
                        return r;
        }

        r = world_load_leaves(ctx, w, lf, lt);
        if (r < 0 || !l)
                return r;

        /* The substitutes of the applicant's duties keep the rest around them too. */
        rest = (Day) roster_rest_days(ctx->config);
        r = store_assignment_list(ctx->store, lf - rest, lt + rest, &w->assignments, &w->n_assignments);
        if (r < 0)
                return r;
        if (w->n_assignments > 0) {
                w->duties = calloc(w->n_assignments, sizeof(RulesDuty));
                if (!w->duties)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < w->n_assignments; i++)
                if (w->assignments[i].person) {
                        w->duties[w->n_duties++] = (RulesDuty) {
                                .day = w->assignments[i].day,
                                .post = w->assignments[i].post,
                                .person = w->assignments[i].person,
                        };
                        on_duty = on_duty || (w->assignments[i].day >= lf && w->assignments[i].day <= lt &&
                                              l->person && streq(w->assignments[i].person, l->person));
                }

        /* The loads only order the substitutes of the applicant's own duties. */
        return on_duty ? world_load_loads(ctx, w) : 0;
}

static RulesContext world_rules_context(const LeaveServiceContext *ctx, const LeaveWorld *w, bool at_approval) {
        return (RulesContext) {
                .config = ctx->config,
                .calendar = &w->calendar.calendar,
                .rules = &ctx->config->leave,
                .leaves = w->plain,
                .n_leaves = w->n_leaves,
                .duties = w->duties,
                .n_duties = w->n_duties,
                .loads = w->loads,
                .n_loads = w->n_loads,
                .today = ctx->now.day,
                .now_minutes = ctx->now.minutes,
                .at_approval = at_approval,
        };
}

/* Who decides `l` now: 0 with *ret the approver (borrowed from the Config) or NULL when nobody is
 * configured above the person; a negative errno for a malformed leave. */
static int world_approval(const LeaveServiceContext *ctx, const LeaveWorld *w, const Leave *l, RulesApproval *ret) {
        _cleanup_free_ const char **away = NULL;
        RulesApproval a = {};
        size_t n = 0;
        int r;

        /* The leave being decided never counts as its own approver's absence. */
        if (w->n_away > 0) {
                away = calloc(w->n_away, sizeof(char *));
                if (!away)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < w->n_leaves && n < w->n_away; i++) {
                const Leave *x = &w->plain[i];
                Day f, t, today = today_duty_day(ctx);

                if ((l->id != 0 && x->id == l->id) || !leave_state_is_away(x->state) ||
                    leave_duty_days(x, ctx->config->handover_minutes, &f, &t) < 0 || today < f || today > t)
                        continue;
                away[n++] = x->person;
        }

        r = rules_resolve_approver(ctx->config, &w->calendar.calendar, &ctx->config->leave, l, away, n, &a);
        if (r == -ENOENT) {
                a.approver = NULL;
                a.via_stand_in = false;
                *ret = a;
                return 0;
        }
        if (r < 0)
                return r;
        *ret = a;
        return 0;
}

static int world_approver(const LeaveServiceContext *ctx, const LeaveWorld *w, const Leave *l, const char **ret) {
        RulesApproval a;
        int r;

        r = world_approval(ctx, w, l, &a);
        if (r < 0)
                return r;
        *ret = a.approver;
        return 0;
}

/* Moves *sl into *ret with what now makes of it; a pending leave's approver is resolved again. */
static int entry_make(const LeaveServiceContext *ctx, const LeaveWorld *w, StoreLeave *sl, LeaveEntry *ret) {
        LeaveEntry e = {};
        Leave *l;
        int r;

        e.stored = *sl;
        *sl = (StoreLeave) {};
        l = &e.stored.leave;

        e.state = leave_effective_state(l, ctx->now);
        e.unexcused = leave_is_unexcused(l, ctx->now);
        e.paperwork_overdue = leave_paperwork_overdue(l, ctx->now.day);
        e.half_days = leave_length_half_days(l);
        r = leave_duty_days(l, ctx->config->handover_minutes, &e.duty_from, &e.duty_to);
        if (r < 0)
                goto fail;

        if (w && l->state == LEAVE_STATE_PENDING) {
                const char *approver;

                r = world_approver(ctx, w, l, &approver);
                if (r < 0)
                        goto fail;
                free(e.stored.approver);
                e.stored.approver = NULL;
                if (approver) {
                        e.stored.approver = strdup(approver);
                        if (!e.stored.approver) {
                                r = -ENOMEM;
                                goto fail;
                        }
                }
        }

        *ret = e;
        return 0;

fail:
        leave_entry_done(&e);
        return r;
}

/* entry_make() with who approves a pending leave resolved as of now. */
static int entry_make_now(const LeaveServiceContext *ctx, StoreLeave *sl, LeaveEntry *ret) {
        _cleanup_(leave_world_done) LeaveWorld w = {};
        int r;

        r = world_load(ctx, NULL, &w);
        if (r < 0)
                return r;
        return entry_make(ctx, &w, sl, ret);
}

/* ---- Requests ---- */

static int text_check(const LeaveServiceContext *ctx, const char *s, const char *field, LeaveOutcome *o) {
        if (s && strlen(s) > LEAVE_SERVICE_TEXT_MAX)
                return refuse(ctx, o, REFUSAL_LEAVE, &reason_text_too_long, field, -EINVAL);
        return 0;
}

static int strdup_or_null(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

/* Starts o, and the request as it would be stored: whose, with the defaults filled in, checked. */
static int proposed_prepare(const LeaveServiceContext *ctx, const Leave *in, StoreLeave *ret, LeaveOutcome *o) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        const char *person;
        const Person *p;
        LeaveError e;
        Leave *l = &sl.leave;
        int r;

        r = outcome_init(ctx, o);
        if (r < 0)
                return r;
        if (!in)
                return -EINVAL;

        person = in->person;
        if (!person) {
                if (!ctx->actor.person)
                        return refuse(ctx, o, REFUSAL_DENIED, &reason_no_person, "person", -EPERM);
                person = ctx->actor.person->id;
        } else if (!actor_is(&ctx->actor, person) && !ctx->actor.is_admin)
                return refuse(ctx, o, REFUSAL_DENIED, &reason_for_others, "person", -EPERM);

        p = config_find_person(ctx->config, person);
        if (!p)
                /* The person as the request named them (none: the caller). */
                return refuse_not_found(ctx, o, "person", strempty(in->person), &reason_unknown_person, "person");
        if (in->acting && !config_find_person(ctx->config, in->acting))
                return refuse_not_found(ctx, o, "person", in->acting, &reason_unknown_person, "acting");
        if ((r = text_check(ctx, in->destination, "destination", o)) < 0 ||
            (r = text_check(ctx, in->reason, "reason", o)) < 0 ||
            (r = text_check(ctx, in->phone, "phone", o)) < 0)
                return r;

        *l = (Leave) {
                .kind = in->kind,
                .start = in->start,
                .end = in->end,
                .out_of_town = in->out_of_town,
                .urgent = in->urgent,
                .requested = ctx->now.day,
                .paperwork_due = in->urgent ?
                        leave_paperwork_due_from(ctx->now.day, ctx->config->leave.urgent_paperwork_days) : DAY_NONE,
                .state = LEAVE_STATE_PENDING,
                .returned = { DAY_NONE, 0 },
        };
        if (strdup_or_null(p->id, &l->person) < 0 ||
            strdup_or_null(in->destination, &l->destination) < 0 ||
            strdup_or_null(in->reason, &l->reason) < 0 ||
            strdup_or_null(in->phone ?: p->phone, &l->phone) < 0 ||
            strdup_or_null(in->acting, &l->acting) < 0 ||
            strdup_or_null(ctx->actor.person ? ctx->actor.person->id : NULL, &sl.requested_by) < 0)
                return -ENOMEM;
        sl.requested_usec = ctx->now_usec;

        r = leave_validate(l, &e);
        if (r < 0)
                return refuse_error(ctx, o, REFUSAL_LEAVE, &e,
                                    e.code == LEAVE_ERROR_BAD_TIME || e.code == LEAVE_ERROR_TOO_LONG ? "to" : NULL, r);
        if (l->start.day < ctx->now.day - LEAVE_SERVICE_PAST_DAYS_MAX)
                return refuse(ctx, o, REFUSAL_LEAVE, &reason_too_early, "from", -EINVAL);
        if (l->start.day > ctx->now.day + LEAVE_SERVICE_AHEAD_DAYS_MAX)
                return refuse(ctx, o, REFUSAL_LEAVE, &reason_too_far, "from", -EINVAL);

        *ret = sl;
        sl = (StoreLeave) {};
        return 0;
}

/* Runs every rule for the proposed leave into o->violations and decides whether it may be filed;
 * the leave's approver is resolved as of now. */
static int proposed_evaluate(const LeaveServiceContext *ctx, StoreLeave *sl, bool *ret_allowed, LeaveOutcome *o) {
        _cleanup_(leave_world_done) LeaveWorld w = {};
        RulesContext rc;
        const char *approver;
        int r;

        r = world_load(ctx, &sl->leave, &w);
        if (r < 0)
                return r;

        rc = world_rules_context(ctx, &w, false);
        r = rules_check_leave(&rc, &sl->leave, &o->violations, &o->n_violations);
        if (r < 0)
                return r;

        r = world_approver(ctx, &w, &sl->leave, &approver);
        if (r < 0)
                return r;
        free(sl->approver);
        sl->approver = NULL;
        r = strdup_or_null(approver, &sl->approver);
        if (r < 0)
                return r;

        *ret_allowed = !violations_block(o->violations, o->n_violations, sl->leave.urgent);
        return 0;
}

int leave_service_check(const LeaveServiceContext *ctx, const Leave *proposed, LeaveOutcome *ret) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        int r;

        r = proposed_prepare(ctx, proposed, &sl, ret);
        if (r < 0)
                return r;
        r = proposed_evaluate(ctx, &sl, &ret->allowed, ret);
        if (r < 0)
                return r;

        /* Nothing else to resolve: the approver was, just now. */
        return entry_make(ctx, NULL, &sl, &ret->leave);
}

/* "on_duty(block), notice(warning)": what an urgent request was recorded with. */
static char *violations_note(const RulesViolation *v, size_t n) {
        size_t len = 1;
        char *s, *p;

        if (n == 0)
                return NULL;
        for (size_t i = 0; i < n; i++)
                len += strlen(v[i].rule) + strlen(strempty(rules_severity_to_string(v[i].severity))) + 4;
        s = malloc(len);
        if (!s)
                return NULL;
        p = s;
        for (size_t i = 0; i < n; i++)
                p += sprintf(p, "%s%s(%s)", i > 0 ? ", " : "", v[i].rule,
                             strempty(rules_severity_to_string(v[i].severity)));
        return s;
}

/* A change works inside its caller's transaction (the request's, api-audit.c) in a savepoint of its
 * own: a refused change is undone alone, and the leave is then reported as it is stored. */
static const StoreSavepoint savepoint_leave = STORE_SAVEPOINT(leave_change);

/* The leave's last day, for a message: the end is exclusive. */
static Day leave_last_day(const Leave *l) {
        return l->end.minutes == 0 && l->end.day > l->start.day ? l->end.day - 1 : l->end.day;
}

/* Queues the notification of kind about sl for `to`, in the change's transaction. */
static int notify_leave(const LeaveServiceContext *ctx, const StoreLeave *sl, NotifyKind kind, const char *to) {
        const Leave *l = &sl->leave;
        char key[128];
        NotifyFacts f = {
                .kind = kind,
                .day = l->start.day,
                .until = leave_last_day(l),
                .id = l->id,
                .approved = l->state == LEAVE_STATE_APPROVED,
        };

        if (!to)
                return 0;
        if (kind == NOTIFY_KIND_LEAVE_PENDING)
                f.other_name = config_person_name(ctx->config, l->person);
        else
                f.other_name = ctx->actor.person ? config_person_name(ctx->config, ctx->actor.person->id)
                                                 : (language_is_en(ctx->config->language) ? "the administrator" : "管理员");
        (void) snprintf(key, sizeof(key), "%s:%lld:%s", notify_kind_to_string(kind), (long long) l->id, to);
        return notify_outbox_add(ctx->store, ctx->config, to, key, &f, ctx->now_usec);
}

static int request_locked(const LeaveServiceContext *ctx, StoreLeave *sl, LeaveOutcome *o) {
        _cleanup_free_ char *note = NULL;
        bool allowed = false;
        int r;

        r = proposed_evaluate(ctx, sl, &allowed, o);
        if (r < 0)
                return r;
        if (!allowed)
                return refuse(ctx, o, REFUSAL_LEAVE, &reason_rules_request, NULL, -ECANCELED);

        r = store_leave_insert(ctx->store, sl, &sl->leave.id);
        if (r < 0)
                return r;
        r = notify_leave(ctx, sl, NOTIFY_KIND_LEAVE_PENDING, sl->approver);
        if (r < 0)
                return r;

        if (o->n_violations > 0) {
                note = violations_note(o->violations, o->n_violations);
                if (!note)
                        return -ENOMEM;
        }
        return store_leave_event_append(ctx->store, sl->leave.id, ctx->now_usec, ctx->actor.uid,
                                        ctx->actor.person ? ctx->actor.person->id : NULL, LEAVE_ACTION_REQUEST,
                                        note, NULL);
}

int leave_service_request(const LeaveServiceContext *ctx, const Leave *proposed, LeaveOutcome *ret) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        int r;

        r = proposed_prepare(ctx, proposed, &sl, ret);
        if (r < 0)
                return r;

        r = store_savepoint(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;
        r = request_locked(ctx, &sl, ret);
        if (r < 0) {
                store_savepoint_rollback(ctx->store, &savepoint_leave);
                if (ret->refusal.kind == REFUSAL_NONE)
                        return r;
                sl.leave.id = 0;
                (void) entry_make(ctx, NULL, &sl, &ret->leave);
                return r;
        }
        r = store_savepoint_release(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;

        return entry_make(ctx, NULL, &sl, &ret->leave);
}

/* Loads leave `id`, or refuses NOT_FOUND. */
static int leave_load(const LeaveServiceContext *ctx, int64_t id, StoreLeave *ret, LeaveOutcome *o) {
        int r;

        r = store_leave_get(ctx->store, id, ret);
        if (r == -ENOENT) {
                char ident[LEAVE_ID_STRING_MAX];

                (void) snprintf(ident, sizeof(ident), "%" PRIi64, id);
                return refuse_not_found(ctx, o, "leave", ident, &reason_not_found, "id");
        }
        return r;
}

/* Whether the caller may approve or reject `l`, the approver resolved as of now into *ret, and
 * whether it takes the administrator's override into *ret_override. */
static int decide_permission(const LeaveServiceContext *ctx, const LeaveWorld *w, const Leave *l, bool override,
                             const char **ret_approver, bool *ret_override, LeaveOutcome *o) {
        const char *approver;
        RulesApproval a;
        LeaveError e;
        int r;

        r = world_approval(ctx, w, l, &a);
        if (r < 0)
                return r;
        approver = a.approver;
        *ret_override = false;

        if (!approver) {
                /* Nobody above the person: the decision comes from outside and an administrator
                 * records it — never the applicant themselves. */
                r = rules_may_approve(ctx->actor.person, true, l, NULL, &e);
                if (r < 0)
                        return refuse_error(ctx, o, REFUSAL_DENIED, &e, NULL, r);
                if (!ctx->actor.is_admin)
                        return refuse(ctx, o, REFUSAL_DENIED, &reason_admin_only, NULL, -EPERM);
        } else {
                /* The approver (or the stand-in) decides; holding the admin role to keep the roster
                 * is not being the approver: an administrator decides over them only explicitly. */
                r = rules_may_approve(ctx->actor.person, false, l, approver, &e);
                if (r < 0 && e.code == LEAVE_ERROR_NOT_APPROVER && ctx->actor.is_admin && override) {
                        r = rules_may_approve(ctx->actor.person, true, l, approver, &e);
                        if (r >= 0)
                                *ret_override = true;
                }
                if (r < 0 && e.code == LEAVE_ERROR_NOT_APPROVER)
                        return refuse_approver(ctx, o, &a, l->id);
                if (r < 0)
                        return refuse_error(ctx, o, REFUSAL_DENIED, &e, NULL, r);
        }

        *ret_approver = approver;
        return 0;
}

static int decision_record(const LeaveServiceContext *ctx, StoreLeave *sl, const char *approver, const char *note,
                           bool override, const char *action) {
        Leave *l = &sl->leave;
        int r;

        free(sl->approver);
        free(l->decided_by);
        free(sl->decision_note);
        sl->approver = l->decided_by = sl->decision_note = NULL;
        if (strdup_or_null(approver, &sl->approver) < 0 ||
            strdup_or_null(ctx->actor.person ? ctx->actor.person->id : NULL, &l->decided_by) < 0 ||
            strdup_or_null(note, &sl->decision_note) < 0)
                return -ENOMEM;
        sl->decided_usec = ctx->now_usec;
        sl->decision_override = override;

        r = store_leave_update(ctx->store, sl);
        if (r < 0)
                return r;
        /* The applicant learns the decision, unless they decided themselves (an administrator's own). */
        if (!ctx->actor.person || !streq(ctx->actor.person->id, l->person)) {
                r = notify_leave(ctx, sl, NOTIFY_KIND_LEAVE_DECIDED, l->person);
                if (r < 0)
                        return r;
        }
        /* The history says an override was one, so that it reads right without the leave. */
        if (override) {
                _cleanup_free_ char *n = NULL;

                if (asprintf(&n, "override: %s", strempty(note)) < 0)
                        return -ENOMEM;
                return store_leave_event_append(ctx->store, l->id, ctx->now_usec, ctx->actor.uid,
                                                ctx->actor.person ? ctx->actor.person->id : NULL, action, n, NULL);
        }
        return store_leave_event_append(ctx->store, l->id, ctx->now_usec, ctx->actor.uid,
                                        ctx->actor.person ? ctx->actor.person->id : NULL, action, note, NULL);
}

static int decide_locked(const LeaveServiceContext *ctx, int64_t id, const char *note, bool approve, bool override,
                         StoreLeave *sl, LeaveOutcome *o) {
        _cleanup_(leave_world_done) LeaveWorld w = {};
        const char *approver = NULL;
        bool overridden = false;
        LeaveError e;
        int r;

        r = leave_load(ctx, id, sl, o);
        if (r < 0)
                return r;

        r = world_load(ctx, &sl->leave, &w);
        if (r < 0)
                return r;

        r = decide_permission(ctx, &w, &sl->leave, override, &approver, &overridden, o);
        if (r < 0)
                return r;
        if (overridden && (!note || note[strspn(note, " \t\n")] == '\0'))
                return refuse(ctx, o, REFUSAL_LEAVE, &reason_override_reason, "reason", -EINVAL);

        if (sl->leave.state != LEAVE_STATE_PENDING) {
                r = approve ? leave_approve(&sl->leave, ctx->now, &e) : leave_reject(&sl->leave, &e);
                return refuse_error(ctx, o, REFUSAL_LEAVE, &e, NULL, r < 0 ? r : -ESTALE);
        }

        if (approve) {
                RulesContext rc = world_rules_context(ctx, &w, true);

                /* Against the state at this moment: whatever was approved since the request
                 * counts now. */
                r = rules_check_leave(&rc, &sl->leave, &o->violations, &o->n_violations);
                if (r < 0)
                        return r;
                if (violations_block(o->violations, o->n_violations, false))
                        return refuse(ctx, o, REFUSAL_LEAVE, &reason_rules_approve, NULL, -ECANCELED);

                r = leave_approve(&sl->leave, ctx->now, &e);
        } else
                r = leave_reject(&sl->leave, &e);
        if (r < 0)
                return refuse_error(ctx, o, REFUSAL_LEAVE, &e, NULL, r);

        o->overridden = overridden;
        return decision_record(ctx, sl, approver, note, overridden,
                               approve ? LEAVE_ACTION_APPROVE : LEAVE_ACTION_REJECT);
}

/* Runs fn in one transaction; on a refusal the leave is reported as it was before. */
typedef int (*LeaveLockedFn)(const LeaveServiceContext *ctx, int64_t id, const void *arg, StoreLeave *sl,
                             LeaveOutcome *o);

static int leave_transaction(const LeaveServiceContext *ctx, int64_t id, const void *arg, LeaveLockedFn fn,
                             LeaveOutcome *ret) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        r = store_savepoint(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;
        r = fn(ctx, id, arg, &sl, ret);
        if (r < 0) {
                store_savepoint_rollback(ctx->store, &savepoint_leave);
                if (ret->refusal.kind == REFUSAL_NONE || ret->refusal.kind == REFUSAL_NOT_FOUND ||
                    ret->refusal.kind == REFUSAL_DENIED)
                        return r;

                /* Report the leave as it is stored, not as the refused change left it. */
                store_leave_done(&sl);
                if (store_leave_get(ctx->store, id, &sl) >= 0)
                        (void) entry_make_now(ctx, &sl, &ret->leave);
                return r;
        }
        r = store_savepoint_release(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;

        return entry_make_now(ctx, &sl, &ret->leave);
}

typedef struct DecideArgs {
        const char *note;
        bool approve;
        bool override;
} DecideArgs;

static int decide_fn(const LeaveServiceContext *ctx, int64_t id, const void *arg, StoreLeave *sl, LeaveOutcome *o) {
        const DecideArgs *a = arg;

        return decide_locked(ctx, id, a->note, a->approve, a->override, sl, o);
}

/* Someone else's decision: the refusal "not_approver" says whose (the approver as of now, the
 * stand-in while the approver is away), so that the clerk knows whom to ask, when the caller may see
 * the leave (an approver may). */
static void refusal_name_approver(const LeaveServiceContext *ctx, int64_t id, Refusal *refusal) {
        _cleanup_(leave_outcome_done) LeaveOutcome shown = {};
        const Person *approver;
        char *named;

        if (refusal->kind != REFUSAL_DENIED || !refusal->rule ||
            !streq(refusal->rule, leave_error_code_to_string(LEAVE_ERROR_NOT_APPROVER)))
                return;
        if (leave_service_show(ctx, id, &shown) < 0 || !shown.leave.stored.approver)
                return;
        approver = config_find_person(ctx->config, shown.leave.stored.approver);
        if (!approver)
                return;
        if (asprintf(&named, context_en(ctx) ? "%s Its approver now is %s (%s)." : "%s当前审批人：%s（%s）。",
                     refusal->message, approver->name, approver->id) < 0)
                return;
        free(refusal->message);
        refusal->message = named;
}

static int decide(const LeaveServiceContext *ctx, int64_t id, const char *note, bool approve, bool override,
                  LeaveOutcome *ret) {
        DecideArgs a = { .note = isempty(note) ? NULL : note, .approve = approve, .override = override };

        int r;

        if (ctx && ret && note && strlen(note) > LEAVE_SERVICE_TEXT_MAX) {
                *ret = (LeaveOutcome) { .refusal = REFUSAL_INIT };
                return refuse(ctx, ret, REFUSAL_LEAVE, &reason_text_too_long, "reason", -EINVAL);
        }
        r = leave_transaction(ctx, id, &a, decide_fn, ret);
        if (r == -EPERM)
                refusal_name_approver(ctx, id, &ret->refusal);
        return r;
}

int leave_service_approve(const LeaveServiceContext *ctx, int64_t id, const char *note, bool override,
                          LeaveOutcome *ret) {
        return decide(ctx, id, note, true, override, ret);
}

int leave_service_reject(const LeaveServiceContext *ctx, int64_t id, const char *note, bool override,
                         LeaveOutcome *ret) {
        return decide(ctx, id, note, false, override, ret);
}

/* The applicant's (or an administrator's) transitions: cancel, return and paperwork. */
typedef enum OwnAction {
        OWN_CANCEL,
        OWN_RETURN,
        OWN_PAPERWORK,
        _OWN_ACTION_MAX,
        _OWN_ACTION_INVALID = -EINVAL,
} OwnAction;

typedef struct OwnArgs {
        OwnAction action;
        LeaveTime at;
} OwnArgs;

static int own_fn(const LeaveServiceContext *ctx, int64_t id, const void *arg, StoreLeave *sl, LeaveOutcome *o) {
        const OwnArgs *a = arg;
        char note[LEAVE_NOTE_MAX], t[LEAVE_TIME_STRING_MAX];
        const char *action = NULL, *event_note = NULL;
        Leave *l = &sl->leave;
        LeaveError e;
        int r;

        r = leave_load(ctx, id, sl, o);
        if (r < 0)
                return r;
        r = check_own_or_admin(ctx, l, o);
        if (r < 0)
                return r;

        switch (a->action) {
        case OWN_CANCEL:
                r = leave_cancel(l, ctx->now, &e);
                action = LEAVE_ACTION_CANCEL;
                break;
        case OWN_RETURN:
                r = leave_return(l, ctx->now, a->at, &e);
                (void) snprintf(note, sizeof(note), "returned at %s", leave_time_format(a->at, t));
                event_note = note;
                action = LEAVE_ACTION_RETURN;
                break;
        case OWN_PAPERWORK:
                r = leave_submit_paperwork(l, &e);
                action = LEAVE_ACTION_PAPERWORK;
                break;
        case _OWN_ACTION_MAX:
        case _OWN_ACTION_INVALID:
                return -EINVAL;
        }
        if (r < 0)
                return refuse_error(ctx, o, REFUSAL_LEAVE, &e, a->action == OWN_RETURN ? "at" : NULL, r);

        r = store_leave_update(ctx->store, sl);
        if (r < 0)
                return r;
        return store_leave_event_append(ctx->store, l->id, ctx->now_usec, ctx->actor.uid,
                                        ctx->actor.person ? ctx->actor.person->id : NULL, action, event_note, NULL);
}

int leave_service_cancel(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret) {
        OwnArgs a = { .action = OWN_CANCEL };

        return leave_transaction(ctx, id, &a, own_fn, ret);
}

int leave_service_return(const LeaveServiceContext *ctx, int64_t id, const LeaveTime *at, LeaveOutcome *ret) {
        OwnArgs a = { .action = OWN_RETURN };

        if (ctx)
                a.at = at ? *at : ctx->now;
        return leave_transaction(ctx, id, &a, own_fn, ret);
}

int leave_service_paperwork(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret) {
        OwnArgs a = { .action = OWN_PAPERWORK };

        return leave_transaction(ctx, id, &a, own_fn, ret);
}

int leave_service_show(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        _cleanup_(leave_world_done) LeaveWorld w = {};
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        r = leave_load(ctx, id, &sl, ret);
        if (r < 0)
                return r;
        if (!actor_sees(&ctx->actor, &sl.leave))
                return refuse(ctx, ret, REFUSAL_DENIED, &reason_not_own, NULL, -EPERM);

        r = store_leave_event_list(ctx->store, id, &ret->events, &ret->n_events);
        if (r < 0)
                return r;

        if (sl.leave.state == LEAVE_STATE_PENDING) {
                RulesContext rc;

                /* What the approver would meet if they approved it now. */
                r = world_load(ctx, &sl.leave, &w);
                if (r < 0)
                        return r;
                rc = world_rules_context(ctx, &w, true);
                r = rules_check_leave(&rc, &sl.leave, &ret->violations, &ret->n_violations);
                if (r < 0)
                        return r;
                ret->allowed = !violations_block(ret->violations, ret->n_violations, false);
        } else {
                r = world_load(ctx, NULL, &w);
                if (r < 0)
                        return r;
        }

        return entry_make(ctx, &w, &sl, &ret->leave);
}

static bool list_filter_matches(LeaveListFilter f, const LeaveEntry *e) {
        switch (f) {
        case LEAVE_LIST_ALL:
                return true;
        case LEAVE_LIST_PENDING:
                return e->state == LEAVE_STATE_PENDING;
        case LEAVE_LIST_ACTIVE:
                return leave_state_is_away(e->state);
        case LEAVE_LIST_OVERDUE:
                return e->state == LEAVE_STATE_OVERDUE || e->paperwork_overdue;
        case _LEAVE_LIST_MAX:
        case _LEAVE_LIST_INVALID:
                break;
        }
        return false;
}

static unsigned list_filter_states(LeaveListFilter f) {
        switch (f) {
        case LEAVE_LIST_ALL:
                return 0;
        case LEAVE_LIST_PENDING:
                return STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING);
        case LEAVE_LIST_ACTIVE:
                return STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED);
        case LEAVE_LIST_OVERDUE:
                /* Overdue returns, and late paperwork of any leave that took place or waits. */
                return STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) |
                        STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_RETURNED);
        case _LEAVE_LIST_MAX:
        case _LEAVE_LIST_INVALID:
                break;
        }
        return 0;
}

int leave_service_list(const LeaveServiceContext *ctx, LeaveListFilter filter, const char *person,
                       LeaveOutcome *ret) {
        _cleanup_(leave_world_done) LeaveWorld w = {};
        StoreLeaveFilter f = {
                .from = DAY_NONE,
                .to = DAY_NONE,
                .newest_first = true,
        };
        StoreLeave *rows = NULL;
        size_t n_rows = 0;
        int r = 0;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;
        if (filter < 0 || filter >= _LEAVE_LIST_MAX)
                return -EINVAL;

        if (person && !config_find_person(ctx->config, person))
                return refuse_not_found(ctx, ret, "person", person, &reason_unknown_person, "person");
        if (!ctx->actor.is_admin && !ctx->actor.is_approver) {
                if (person && !actor_is(&ctx->actor, person))
                        return refuse(ctx, ret, REFUSAL_DENIED, &reason_not_own, "person", -EPERM);
                if (!ctx->actor.person)
                        return refuse(ctx, ret, REFUSAL_DENIED, &reason_no_person, "person", -EPERM);
                person = ctx->actor.person->id;
        }
        f.person = person;
        f.states = list_filter_states(filter);
        /* Only the effective filters can drop rows; without them the store stops at the limit. */
        if (filter == LEAVE_LIST_ALL || filter == LEAVE_LIST_PENDING)
                f.limit = LEAVE_SERVICE_LIST_MAX;

        r = world_load(ctx, NULL, &w);
        if (r < 0)
                return r;
        r = store_leave_list(ctx->store, &f, &rows, &n_rows);
        if (r < 0)
                return r;

        if (n_rows > 0) {
                ret->entries = calloc(n_rows < LEAVE_SERVICE_LIST_MAX ? n_rows : LEAVE_SERVICE_LIST_MAX,
                                      sizeof(LeaveEntry));
                if (!ret->entries) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        for (size_t i = 0; i < n_rows && ret->n_entries < LEAVE_SERVICE_LIST_MAX; i++) {
                LeaveEntry e;

                r = entry_make(ctx, &w, &rows[i], &e);
                if (r < 0)
                        goto finish;
                if (list_filter_matches(filter, &e))
                        ret->entries[ret->n_entries++] = e;
                else
                        leave_entry_done(&e);
        }
        r = 0;

finish:
        store_leave_free_many(rows, n_rows);
        return r;
}

/* ---- A changed itinerary (LeaveChange) ---- */

void leave_change_result_done(LeaveChangeResult *r) {
        if (!r)
                return;
        refusal_done(&r->refusal);
        leave_entry_done(&r->leave);
        rules_violations_free(r->violations, r->n_violations);
        *r = (LeaveChangeResult) { .refusal = REFUSAL_INIT };
}

/* Fills the result's refusal with the sentence in the call's language and returns r (or -ENOMEM). */
static int change_refuse(LeaveChangeResult *res, const LeaveChangeRequest *c, RefusalKind kind, const char *rule,
                         const char *zh, const char *en, int r) {
        int k = refusal_set(&res->refusal, kind, rule, language_is_en(c->language) ? en : zh);

        return k < 0 ? k : r;
}

static bool leave_time_same(LeaveTime a, LeaveTime b) {
        return a.day == b.day && a.minutes == b.minutes;
}

/* Whether t is at or before now: the leave's start has come. */
static bool leave_time_reached(LeaveTime t, LeaveTime now) {
        return t.day < now.day || (t.day == now.day && t.minutes <= now.minutes);
}

/* The first violation that refuses the change: what its refusal names. */
static const RulesViolation *change_blocking(const RulesViolation *v, size_t n, bool urgent) {
        for (size_t i = 0; i < n; i++)
                if (v[i].severity == RULES_SEVERITY_BLOCK && (!urgent || streq(v[i].rule, RULES_OVERLAP)))
                        return &v[i];
        return NULL;
}

static int change_refuse_rules(LeaveChangeResult *res, const LeaveChangeRequest *c, const RulesViolation *v) {
        _cleanup_free_ char *zh = NULL, *en = NULL;
        char day[DAY_STRING_MAX] = "-";

        if (v->n_days > 0)
                (void) day_format(v->days[0], day);
        /* The rule and its first day up front: the clerk sees at once which day to move. */
        if (asprintf(&zh, "改期后违反规则 %s（%s），不能改期：%s 请另选日期或先解决冲突。", v->rule, day,
                     strempty(v->message_zh)) < 0 ||
            asprintf(&en, "The new dates break rule %s (%s) and cannot be taken: %s Choose other dates or clear the "
                     "conflict first.", v->rule, day, strempty(v->message_en)) < 0)
                return -ENOMEM;
        res->refusal.day = v->n_days > 0 ? v->days[0] : DAY_NONE;
        return change_refuse(res, c, REFUSAL_LEAVE, LEAVE_REASON_RULES, zh, en, -ECANCELED);
}

/* Whether the caller may change l (the approver resolved in w as of now). */
static int change_permission(const LeaveServiceContext *ctx, const LeaveWorld *w, const Leave *l, bool pending,
                             const LeaveChangeRequest *c, LeaveChangeResult *res) {
        const bool is_applicant = actor_is(&ctx->actor, l->person);
        _cleanup_free_ char *zh = NULL, *en = NULL;
        const char *name;
        RulesApproval a;
        bool is_approver;
        int r;

        r = world_approval(ctx, w, l, &a);
        if (r < 0)
                return r;
        is_approver = a.approver && actor_is(&ctx->actor, a.approver);

        if (pending) {
                /* Still to be decided: the applicant corrects it, the approver or an
                 * administrator may as well. */
                if (is_applicant || is_approver || ctx->actor.is_admin)
                        return 0;
                return change_refuse(res, c, REFUSAL_DENIED, reason_not_own.code, reason_not_own.zh,
                                     reason_not_own.en, -EPERM);
        }

        /* Approved: changing it is deciding it again, which the applicant never does. */
        if (!is_applicant && (is_approver || ctx->actor.is_admin))
                return 0;
        name = a.approver ? config_person_name(ctx->config, a.approver) : NULL;
        if (name) {
                if (asprintf(&zh, "已批准的请假改期须由审批人%s（%s）或管理员办理，请联系其改期。", name, a.approver) < 0 ||
                    asprintf(&en, "An approved leave is changed by its approver %s (%s) or an administrator: ask them.",
                             name, a.approver) < 0)
                        return -ENOMEM;
        } else if (asprintf(&zh, "已批准的请假改期须由管理员办理。") < 0 ||
                   asprintf(&en, "An approved leave is changed by an administrator.") < 0)
                return -ENOMEM;
        return change_refuse(res, c, REFUSAL_DENIED,
                             leave_error_code_to_string(is_applicant ? LEAVE_ERROR_SELF_APPROVAL : LEAVE_ERROR_NOT_APPROVER),
                             zh, en, -EPERM);
}

/* Queues the approver's notice of a pending leave changed by someone else, under a key of its own
 * per change so that the outbox sends it (the request's notice has the plain key). */
static int change_notify(const LeaveServiceContext *ctx, const LeaveWorld *w, const StoreLeave *sl, int64_t event_id) {
        const Leave *l = &sl->leave;
        char key[160];
        RulesApproval a;
        NotifyFacts f = {
                .kind = NOTIFY_KIND_LEAVE_PENDING,
                .day = l->start.day,
                .until = leave_last_day(l),
                .id = l->id,
                .other_name = config_person_name(ctx->config, l->person),
        };
        int r;

        r = world_approval(ctx, w, l, &a);
        if (r < 0)
                return r;
        if (!a.approver || actor_is(&ctx->actor, a.approver))
                return 0;
        (void) snprintf(key, sizeof(key), "%s:%lld:%s:change-%lld", notify_kind_to_string(f.kind), (long long) l->id,
                        a.approver, (long long) event_id);
        return notify_outbox_add(ctx->store, ctx->config, a.approver, key, &f, ctx->now_usec);
}

static int change_locked(const LeaveServiceContext *ctx, int64_t id, const LeaveChangeRequest *c, StoreLeave *sl,
                         LeaveChangeResult *res) {
        _cleanup_(leave_world_done) LeaveWorld w = {};
        _cleanup_free_ char *note = NULL;
        char os[LEAVE_TIME_STRING_MAX], oe[LEAVE_TIME_STRING_MAX], ns[LEAVE_TIME_STRING_MAX],
                ne[LEAVE_TIME_STRING_MAX];
        const RulesViolation *block;
        Leave *l = &sl->leave;
        LeaveTime old_start, old_end;
        bool pending, start_moves, destination_changes;
        int64_t event_id = 0;
        LeaveError e;
        RulesContext rc;
        int r;

        r = store_leave_get(ctx->store, id, sl);
        if (r == -ENOENT) {
                char buf[24];

                (void) snprintf(buf, sizeof(buf), "%" PRIi64, id);
                r = refusal_set_not_found(&res->refusal, "leave", buf,
                                          language_is_en(c->language) ? reason_not_found.en : reason_not_found.zh);
                return r < 0 ? r : -ENOENT;
        }
        if (r < 0)
                return r;

        pending = l->state == LEAVE_STATE_PENDING;
        if (!pending && l->state != LEAVE_STATE_APPROVED)
                return change_refuse(res, c, REFUSAL_LEAVE, leave_error_code_to_string(LEAVE_ERROR_CLOSED),
                                     "这条请假已结束（驳回、撤销或已销假），不能改期；如仍需外出，请重新请假。",
                                     "This leave is closed (rejected, cancelled or returned) and cannot change; "
                                     "file a new request if the trip still happens.", -ESTALE);

        /* Who may: the leave's approver as of now, as it stands. */
        r = world_load(ctx, NULL, &w);
        if (r < 0)
                return r;
        r = change_permission(ctx, &w, l, pending, c, res);
        if (r < 0)
                return r;
        leave_world_done(&w);

        old_start = l->start;
        old_end = l->end;
        start_moves = !leave_time_same(c->start, old_start);
        destination_changes = c->destination && !(l->destination && streq(c->destination, l->destination));
        if (start_moves && leave_time_reached(old_start, ctx->now))
                return change_refuse(res, c, REFUSAL_LEAVE, leave_error_code_to_string(LEAVE_ERROR_ALREADY_STARTED),
                                     "请假已经开始，开始时间不能再改；只能改结束时间（--to）或目的地。",
                                     "The leave has begun: its start stays; change the end (--to) or the destination.",
                                     -ESTALE);
        if (!start_moves && leave_time_same(c->end, old_end) && !destination_changes)
                return change_refuse(res, c, REFUSAL_LEAVE, "unchanged",
                                     "新的行程与原来相同，没有改动。", "The itinerary is the same as before: nothing changed.",
                                     -EINVAL);
        if ((c->destination && strlen(c->destination) > LEAVE_SERVICE_TEXT_MAX) ||
            (c->note && strlen(c->note) > LEAVE_SERVICE_TEXT_MAX))
                return change_refuse(res, c, REFUSAL_LEAVE, reason_text_too_long.code, reason_text_too_long.zh,
                                     reason_text_too_long.en, -EINVAL);

        l->start = c->start;
        l->end = c->end;
        if (destination_changes) {
                free(l->destination);
                l->destination = strdup(c->destination);
                if (!l->destination)
                        return -ENOMEM;
        }
        r = leave_validate(l, &e);
        if (r < 0)
                return change_refuse(res, c, REFUSAL_LEAVE, leave_error_code_to_string(e.code), e.message_zh,
                                     e.message_en, -EINVAL);
        if (start_moves && l->start.day < ctx->now.day - LEAVE_SERVICE_PAST_DAYS_MAX)
                return change_refuse(res, c, REFUSAL_LEAVE, reason_too_early.code, reason_too_early.zh,
                                     reason_too_early.en, -EINVAL);
        if (l->start.day > ctx->now.day + LEAVE_SERVICE_AHEAD_DAYS_MAX)
                return change_refuse(res, c, REFUSAL_LEAVE, reason_too_far.code, reason_too_far.zh, reason_too_far.en,
                                     -EINVAL);

        /* The world around the new days; the leave itself (same id) is left out by the rules. */
        r = world_load(ctx, l, &w);
        if (r < 0)
                return r;

        /* As a new request: the notice counts from the original request while the start stays
         * (the notice given is still what it was), from today when it moves. */
        rc = world_rules_context(ctx, &w, !start_moves);
        r = rules_check_leave(&rc, l, &res->violations, &res->n_violations);
        if (r < 0)
                return r;
        block = change_blocking(res->violations, res->n_violations, pending && l->urgent);
        if (block)
                return change_refuse_rules(res, c, block);

        r = store_leave_update_itinerary(ctx->store, sl);
        if (r < 0)
                return r;

        if (asprintf(&note, "%s – %s → %s – %s%s%s%s%s",
                     leave_time_format(old_start, os), leave_time_format(old_end, oe),
                     leave_time_format(l->start, ns), leave_time_format(l->end, ne),
                     destination_changes ? "; " : "", destination_changes ? l->destination : "",
                     c->note ? "; " : "", strempty(c->note)) < 0)
                return -ENOMEM;
        r = store_leave_event_append(ctx->store, l->id, ctx->now_usec, ctx->actor.uid,
                                     ctx->actor.person ? ctx->actor.person->id : NULL, LEAVE_ACTION_CHANGE, note,
                                     &event_id);
        if (r < 0)
                return r;

        res->approved = !pending;
        /* The approver decides on the new dates: they learn of them. */
        return pending ? change_notify(ctx, &w, sl, event_id) : 0;
}

int leave_service_change(const LeaveServiceContext *ctx, int64_t id, const LeaveChangeRequest *change,
                         LeaveChangeResult *ret) {
        _cleanup_(store_leave_done) StoreLeave sl = {};
        _cleanup_(leave_world_done) LeaveWorld w = {};
        int r;

        if (!ret)
                return -EINVAL;
        *ret = (LeaveChangeResult) { .refusal = REFUSAL_INIT };
        if (!ctx || !change)
                return -EINVAL;

        r = store_savepoint(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;
        r = change_locked(ctx, id, change, &sl, ret);
        if (r < 0) {
                int k;

                store_savepoint_rollback(ctx->store, &savepoint_leave);
                if (ret->refusal.kind == REFUSAL_NONE || ret->refusal.kind == REFUSAL_NOT_FOUND ||
                    ret->refusal.kind == REFUSAL_DENIED)
                        return r;

                /* The leave as it is stored, not as the refused change left it. */
                store_leave_done(&sl);
                k = store_leave_get(ctx->store, id, &sl);
                if (k >= 0)
                        k = world_load(ctx, NULL, &w);
                if (k >= 0)
                        (void) entry_make(ctx, &w, &sl, &ret->leave);
                return r;
        }
        r = store_savepoint_release(ctx->store, &savepoint_leave);
        if (r < 0)
                return r;

        r = world_load(ctx, NULL, &w);
        if (r < 0)
                return r;
        return entry_make(ctx, &w, &sl, &ret->leave);
}
