/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swap.h"

#define MINUTES_PER_DAY 1440

static const char *const swap_kind_zh_table[_SWAP_KIND_MAX] = {
        [SWAP_KIND_SWAP] = "换班",
        [SWAP_KIND_COVER] = "代班",
};

static const char *const swap_kind_source_table[_SWAP_KIND_MAX] = {
        [SWAP_KIND_SWAP] = "swap",
        [SWAP_KIND_COVER] = "substitution",
};

static const char *const swap_state_zh_table[_SWAP_STATE_MAX] = {
        [SWAP_STATE_PROPOSED] = "待对方同意",
        [SWAP_STATE_ACCEPTED] = "待审批",
        [SWAP_STATE_APPROVED] = "已批准",
        [SWAP_STATE_APPLIED] = "已生效",
        [SWAP_STATE_DECLINED] = "对方已拒绝",
        [SWAP_STATE_CANCELLED] = "已撤销",
        [SWAP_STATE_EXPIRED] = "已过期",
};

static const char *const swap_action_zh_table[_SWAP_ACTION_MAX] = {
        [SWAP_ACTION_REQUEST] = "申请",
        [SWAP_ACTION_ACCEPT] = "同意",
        [SWAP_ACTION_DECLINE] = "拒绝",
        [SWAP_ACTION_APPROVE] = "批准",
        [SWAP_ACTION_APPLY] = "生效",
        [SWAP_ACTION_CANCEL] = "撤销",
        [SWAP_ACTION_EXPIRE] = "过期",
        [SWAP_ACTION_REFUSE] = "未通过复核",
};

typedef struct SwapRuleText {
        const char *id;
        const char *zh;
        const char *en;
} SwapRuleText;

static const SwapRuleText swap_rule_table[_SWAP_RULE_MAX] = {
        [SWAP_RULE_STATE] = { "state", "换班申请当前的状态不允许此操作",
                              "the swap is not in a state that allows this" },
        [SWAP_RULE_EXPIRED] = { "expired", "换班申请已过期：距值班开始已不足规定的提前天数",
                                "the swap has expired: its duty starts within the required lead time" },
        [SWAP_RULE_NOT_COUNTERPART] = { "not_counterpart", "只有被请求的人才能同意或拒绝",
                                        "only the person asked may accept or decline" },
        [SWAP_RULE_NOT_REQUESTER] = { "not_requester", "只有申请人或管理员才能撤销",
                                      "only the requester or an administrator may cancel" },
        [SWAP_RULE_NOT_APPROVER] = { "not_approver", "只有当日带班领导或管理员才能审批",
                                     "only the leader on call of the duty day or an administrator may approve" },
        [SWAP_RULE_OWN_SWAP] = { "own_swap", "不能审批自己参与的换班",
                                 "nobody approves a swap they are a party to" },
        [SWAP_RULE_SELF] = { "self", "不能与自己换班", "a person cannot swap with themselves" },
        [SWAP_RULE_STAFF] = { "staff", "不在本单位人员名单中", "is not on the office's staff list" },
        [SWAP_RULE_NO_DUTY] = { "no_duty", "当日没有该值班安排", "holds no such duty" },
        [SWAP_RULE_AMBIGUOUS] = { "ambiguous", "当日有多个岗位，请指定岗位",
                                  "holds several posts that day; name the post" },
        [SWAP_RULE_TOO_FAR] = { "too_far", "两个值班日相隔超过一年",
                                "the two duties lie more than a year apart" },
        [SWAP_RULE_PAST] = { "past", "该值班已开始或已结束", "the duty has already begun or is over" },
        [SWAP_RULE_LEAD_TIME] = { "lead_time", "距值班开始已不足规定的提前天数",
                                  "the duty starts within the required lead time" },
        [SWAP_RULE_ELIGIBILITY] = { "eligibility", "不具备该岗位所需角色（或不属于岗位限定的分组）", "lacks the role (or the group) this post needs" },
        [SWAP_RULE_INACTIVE] = { "inactive", "当日不在岗", "is not active on that day" },
        [SWAP_RULE_ON_LEAVE] = { "on_leave", "当日请假", "is on approved leave that day" },
        [SWAP_RULE_UNAVAILABLE] = { "unavailable", "当日已申报无法值班", "declared they are unavailable that day" },
        [SWAP_RULE_DOUBLE_BOOKING] = { "double_booking", "当日已有其他值班", "already holds another post that day" },
        [SWAP_RULE_REST] = { "rest", "两次值班间隔不足规定休息天数", "would have too little rest between two duties" },
        [SWAP_RULE_LOCKED] = { "locked", "该值班安排已锁定，不能调换", "the duty is locked and cannot be swapped" },
        [SWAP_RULE_ROSTER_CHANGED] = { "roster_changed", "排班已变动，该值班已不是申请时的安排",
                                       "the roster has changed: the duty is no longer held as when the swap was requested" },
};

static bool lang_is_en(const char *lang) {
        return lang && streq(lang, "en");
}

static bool streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return streq(a, b);
}

const char *swap_kind_to_zh(SwapKind k) {
        if (k < 0 || k >= _SWAP_KIND_MAX)
                return NULL;
        return swap_kind_zh_table[k];
}

const char *swap_kind_source(SwapKind k) {
        if (k < 0 || k >= _SWAP_KIND_MAX)
                return NULL;
        return swap_kind_source_table[k];
}

const char *swap_state_to_zh(SwapState s) {
        if (s < 0 || s >= _SWAP_STATE_MAX)
                return NULL;
        return swap_state_zh_table[s];
}

bool swap_state_is_open(SwapState s) {
        switch (s) {
        case SWAP_STATE_PROPOSED:
        case SWAP_STATE_ACCEPTED:
        case SWAP_STATE_APPROVED:
                return true;
        case SWAP_STATE_APPLIED:
        case SWAP_STATE_DECLINED:
        case SWAP_STATE_CANCELLED:
        case SWAP_STATE_EXPIRED:
        case _SWAP_STATE_MAX:
        case _SWAP_STATE_INVALID:
                return false;
        }
        return false;
}

const char *swap_action_to_zh(SwapAction a) {
        if (a < 0 || a >= _SWAP_ACTION_MAX)
                return NULL;
        return swap_action_zh_table[a];
}

SwapState swap_action_target(SwapAction a) {
        switch (a) {
        case SWAP_ACTION_REQUEST:
                return SWAP_STATE_PROPOSED;
        case SWAP_ACTION_ACCEPT:
                return SWAP_STATE_ACCEPTED;
        case SWAP_ACTION_DECLINE:
                return SWAP_STATE_DECLINED;
        case SWAP_ACTION_APPROVE:
                return SWAP_STATE_APPROVED;
        case SWAP_ACTION_APPLY:
                return SWAP_STATE_APPLIED;
        case SWAP_ACTION_CANCEL:
                return SWAP_STATE_CANCELLED;
        case SWAP_ACTION_EXPIRE:
                return SWAP_STATE_EXPIRED;
        case SWAP_ACTION_REFUSE:
        case _SWAP_ACTION_MAX:
        case _SWAP_ACTION_INVALID:
                return _SWAP_STATE_INVALID;
        }
        return _SWAP_STATE_INVALID;
}

const char *swap_rule_to_string(SwapRule r) {
        if (r < 0 || r >= _SWAP_RULE_MAX)
                return NULL;
        return swap_rule_table[r].id;
}

SwapRule swap_rule_from_string(const char *s) {
        if (!s)
                return _SWAP_RULE_INVALID;
        for (SwapRule r = 0; r < _SWAP_RULE_MAX; r++)
                if (streq(swap_rule_table[r].id, s))
                        return r;
        return _SWAP_RULE_INVALID;
}

const char *swap_rule_message(SwapRule r, const char *lang) {
        if (r < 0 || r >= _SWAP_RULE_MAX)
                return NULL;
        return lang_is_en(lang) ? swap_rule_table[r].en : swap_rule_table[r].zh;
}

int swap_refusal_format(const SwapRefusal *r, const Config *c, const char *lang, char **ret) {
        char day[DAY_STRING_MAX] = "", other[DAY_STRING_MAX];
        const char *message, *who = NULL, *open = "", *extra = "", *close = "";
        bool en = lang_is_en(lang);
        char *s;

        if (!r || !ret)
                return -EINVAL;
        message = swap_rule_message(r->rule, lang);
        if (!message)
                return -EINVAL;

        if (r->day != DAY_NONE)
                day_format(r->day, day);
        if (r->person) {
                const Person *p = c ? config_find_person(c, r->person) : NULL;

                who = p && p->name ? p->name : r->person;
        }
        if (r->other_day != DAY_NONE) {
                open = en ? " (the other duty: " : "（另一值班日：";
                extra = day_format(r->other_day, other);
                close = en ? ")" : "）";
        } else if (r->state >= 0 && r->state < _SWAP_STATE_MAX) {
                open = en ? " (the swap is " : "（当前状态：";
                extra = en ? swap_state_to_string(r->state) : swap_state_to_zh(r->state);
                close = en ? ")" : "）";
        }

        /* "<day> <who>: <message> (<other day or state>)", each part only when known. */
        if (asprintf(&s, "%s%s%s%s%s%s%s%s",
                     day, day[0] && who ? " " : "", strempty(who),
                     day[0] || who ? (en ? ": " : "：") : "",
                     message, open, extra, close) < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}

/* ---- The record ---- */

void swap_done(Swap *s) {
        if (!s)
                return;
        free(s->requester);
        free(s->counterpart);
        free(s->post);
        free(s->their_post);
        free(s->reason);
        free(s->approved_by);
        *s = (Swap) {};
}

Swap *swap_array_free(Swap *s, size_t n) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < n; i++)
                swap_done(&s[i]);
        free(s);
        return NULL;
}

void swap_event_done(SwapEvent *e) {
        if (!e)
                return;
        free(e->actor);
        free(e->action);
        free(e->note);
        *e = (SwapEvent) {};
}

SwapEvent *swap_event_array_free(SwapEvent *e, size_t n) {
        if (!e)
                return NULL;
        for (size_t i = 0; i < n; i++)
                swap_event_done(&e[i]);
        free(e);
        return NULL;
}

static bool day_is_valid(Day d) {
        return d != DAY_NONE && d >= day_from_ymd(DAY_MIN_YEAR, 1, 1) && d <= day_from_ymd(DAY_MAX_YEAR, 12, 31);
}

static bool slot_is_valid(int slot) {
        return slot >= 0 && slot < ROSTER_SLOTS_MAX;
}

bool swap_is_valid(const Swap *s) {
        if (!s || s->kind < 0 || s->kind >= _SWAP_KIND_MAX || s->state < 0 || s->state >= _SWAP_STATE_MAX)
                return false;
        if (isempty(s->requester) || isempty(s->counterpart) || isempty(s->post))
                return false;
        if (!day_is_valid(s->day) || !slot_is_valid(s->slot))
                return false;

        switch (s->kind) {
        case SWAP_KIND_SWAP:
                return day_is_valid(s->their_day) && !isempty(s->their_post) && slot_is_valid(s->their_slot);
        case SWAP_KIND_COVER:
                return s->their_day == DAY_NONE && !s->their_post;
        case _SWAP_KIND_MAX:
        case _SWAP_KIND_INVALID:
                return false;
        }
        return false;
}

bool swap_is_party(const Swap *s, const char *person) {
        if (!s || !person)
                return false;
        return streq_ptr(s->requester, person) || streq_ptr(s->counterpart, person);
}

Day swap_first_day(const Swap *s) {
        if (s->kind == SWAP_KIND_SWAP && s->their_day != DAY_NONE && s->their_day < s->day)
                return s->their_day;
        return s->day;
}

Day swap_last_day(const Swap *s) {
        if (s->kind == SWAP_KIND_SWAP && s->their_day != DAY_NONE && s->their_day > s->day)
                return s->their_day;
        return s->day;
}

/* ---- Time ---- */

static int64_t local_minutes(Day d, int minutes) {
        return (int64_t) d * MINUTES_PER_DAY + minutes;
}

/* When the duty day starts: its handover. */
static int64_t duty_start(const Config *c, Day d) {
        return local_minutes(d, c->handover_minutes);
}

/* Rounds towards minus infinity, for instants before 1970 (days from DAY_MIN_YEAR on). */
static int64_t div_floor(int64_t a, int64_t b) {
        int64_t q = a / b;

        return a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q;
}

void swap_deadline(const Swap *s, const Config *c, Day *ret_day, int *ret_minutes) {
        int64_t t = duty_start(c, swap_first_day(s)) - (int64_t) c->swap.lead_days * MINUTES_PER_DAY;
        int64_t d = div_floor(t, MINUTES_PER_DAY);

        if (ret_day)
                *ret_day = (Day) d;
        if (ret_minutes)
                *ret_minutes = (int) (t - d * MINUTES_PER_DAY);
}

SwapState swap_effective_state(const Swap *s, const Config *c, Day now_day, int now_minutes) {
        Day d;
        int m;

        if (!swap_state_is_open(s->state))
                return s->state;
        swap_deadline(s, c, &d, &m);
        if (local_minutes(now_day, now_minutes) >= local_minutes(d, m))
                return SWAP_STATE_EXPIRED;
        return s->state;
}

static SwapRefusal refusal(SwapRule rule, Day day, const char *person) {
        return (SwapRefusal) {
                .rule = rule,
                .day = day,
                .person = person,
                .other_day = DAY_NONE,
                .state = _SWAP_STATE_INVALID,
        };
}

static int refuse(SwapRefusal *ret, SwapRefusal r) {
        if (ret)
                *ret = r;
        return 1;
}

/* Whether a duty of day d can still be swapped now. */
static int check_time(const SwapContext *ctx, Day d, SwapRefusal *ret) {
        const Config *c = ctx->config;
        int64_t now = local_minutes(ctx->now_day, ctx->now_minutes), start = duty_start(c, d);

        if (now >= start)
                return refuse(ret, refusal(SWAP_RULE_PAST, d, NULL));
        if (now >= start - (int64_t) c->swap.lead_days * MINUTES_PER_DAY)
                return refuse(ret, refusal(SWAP_RULE_LEAD_TIME, d, NULL));
        return 0;
}

/* ---- The roster around the swap ---- */

static const RosterSlot *slot_find(const SwapContext *ctx, Day day, const char *post, int slot) {
        for (size_t i = 0; i < ctx->n_slots; i++) {
                const RosterSlot *s = &ctx->slots[i];

                if (s->day == day && s->slot == slot && streq_ptr(s->post, post))
                        return s;
        }
        return NULL;
}

bool swap_is_leader_on_call(const SwapContext *ctx, const char *person, Day day) {
        if (!ctx || !person)
                return false;

        for (size_t i = 0; i < ctx->n_slots; i++) {
                const RosterSlot *s = &ctx->slots[i];
                const Post *post;

                if (s->day != day || !streq_ptr(s->person, person))
                        continue;
                post = config_find_post(ctx->config, s->post);
                if (post && post->role == ROLE_LEADER)
                        return true;
        }
        return false;
}

/* The single duty a person holds on day (on post, if given). */
static int duty_find(const SwapContext *ctx, const char *person, Day day, const char *post,
                     const RosterSlot **ret, SwapRefusal *ret_refusal) {
        const RosterSlot *found = NULL;

        for (size_t i = 0; i < ctx->n_slots; i++) {
                const RosterSlot *s = &ctx->slots[i];

                if (s->day != day || !streq_ptr(s->person, person) || (post && !streq_ptr(s->post, post)))
                        continue;
                if (found)
                        return refuse(ret_refusal, refusal(SWAP_RULE_AMBIGUOUS, day, person));
                found = s;
        }
        if (!found)
                return refuse(ret_refusal, refusal(SWAP_RULE_NO_DUTY, day, person));
        *ret = found;
        return 0;
}

/* The counterpart's first duty on post within SWAP_SEARCH_DAYS days after day. */
static int duty_find_next(const SwapContext *ctx, const char *person, Day day, const char *post,
                          const RosterSlot **ret, SwapRefusal *ret_refusal) {
        const RosterSlot *best = NULL;

        for (size_t i = 0; i < ctx->n_slots; i++) {
                const RosterSlot *s = &ctx->slots[i];

                if (s->day <= day || (int64_t) s->day - day > SWAP_SEARCH_DAYS ||
                    !streq_ptr(s->person, person) || !streq_ptr(s->post, post))
                        continue;
                if (!best || s->day < best->day || (s->day == best->day && s->slot < best->slot))
                        best = s;
        }
        if (!best)
                return refuse(ret_refusal, refusal(SWAP_RULE_NO_DUTY, DAY_NONE, person));
        *ret = best;
        return 0;
}

/* The person named in a refusal, as a string that lives as long as the swap or the Config. */
static const char *person_ref(const Config *c, const Swap *s, const char *id) {
        const Person *p;

        if (!id)
                return NULL;
        if (streq_ptr(id, s->requester))
                return s->requester;
        if (streq_ptr(id, s->counterpart))
                return s->counterpart;
        p = config_find_person(c, id);
        return p ? p->id : NULL;
}

static bool violation_equal(const RosterViolation *a, const RosterViolation *b) {
        return a->kind == b->kind && a->day == b->day && a->slot == b->slot && a->other_day == b->other_day &&
                streq_ptr(a->post, b->post) && streq_ptr(a->person, b->person);
}

static SwapRule rule_from_violation(RosterViolationKind k) {
        switch (k) {
        case ROSTER_VIOLATION_UNKNOWN_PERSON:
                return SWAP_RULE_STAFF;
        case ROSTER_VIOLATION_NOT_ELIGIBLE:
                return SWAP_RULE_ELIGIBILITY;
        case ROSTER_VIOLATION_INACTIVE:
                return SWAP_RULE_INACTIVE;
        case ROSTER_VIOLATION_ON_LEAVE:
                return SWAP_RULE_ON_LEAVE;
        case ROSTER_VIOLATION_UNAVAILABLE:
                return SWAP_RULE_UNAVAILABLE;
        case ROSTER_VIOLATION_SAME_DAY:
                return SWAP_RULE_DOUBLE_BOOKING;
        case ROSTER_VIOLATION_REST:
                return SWAP_RULE_REST;
        case ROSTER_VIOLATION_LOCKED:
                return SWAP_RULE_LOCKED;
        /* Not the swap's doing: the slots it changes keep their day, post and number. */
        case ROSTER_VIOLATION_OUT_OF_RANGE:
        case ROSTER_VIOLATION_UNKNOWN_POST:
        case ROSTER_VIOLATION_DUPLICATE_SLOT:
        case _ROSTER_VIOLATION_MAX:
        case _ROSTER_VIOLATION_INVALID:
                return SWAP_RULE_ROSTER_CHANGED;
        }
        return SWAP_RULE_ROSTER_CHANGED;
}

/* Checks the roster of the swap's days with and without it; refuses on the first violation the
 * swap brings. */
static int check_roster(const SwapContext *ctx, const Swap *s, SwapRefusal *ret) {
        _cleanup_free_ RosterSlot *before = NULL, *after = NULL;
        _cleanup_free_ RosterViolation *old = NULL, *new = NULL;
        SwapChange changes[SWAP_CHANGES_MAX];
        size_t n = 0, n_old = 0, n_new = 0;
        RosterInput in = {
                .config = ctx->config,
                .calendar = ctx->calendar,
                .from = swap_first_day(s),
                .to = swap_last_day(s),
                .existing = ctx->slots,
                .n_existing = ctx->n_slots,
                .absences = ctx->absences,
                .n_absences = ctx->n_absences,
                .min_rest_days = ctx->config->roster.min_rest_days,
        };
        int n_changes, r;

        n_changes = swap_changes(s, changes);
        if (n_changes < 0)
                return n_changes;

        before = calloc(ctx->n_slots ?: 1, sizeof(RosterSlot));
        after = calloc(ctx->n_slots ?: 1, sizeof(RosterSlot));
        if (!before || !after)
                return -ENOMEM;

        for (size_t i = 0; i < ctx->n_slots; i++) {
                const RosterSlot *x = &ctx->slots[i];

                if (x->day < in.from || x->day > in.to)
                        continue;
                before[n] = after[n] = *x;
                for (int j = 0; j < n_changes; j++)
                        if (x->day == changes[j].day && x->slot == changes[j].slot &&
                            streq_ptr(x->post, changes[j].post))
                                after[n].person = changes[j].person;
                n++;
        }

        r = roster_check(&in, before, n, &old, &n_old);
        if (r < 0)
                return r;
        r = roster_check(&in, after, n, &new, &n_new);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n_new; i++) {
                const RosterViolation *v = &new[i];
                bool known = false;
                SwapRefusal x;

                for (size_t j = 0; j < n_old && !known; j++)
                        known = violation_equal(v, &old[j]);
                if (known)
                        continue;

                x = refusal(rule_from_violation(v->kind), v->day, person_ref(ctx->config, s, v->person));
                if (v->kind == ROSTER_VIOLATION_REST || v->kind == ROSTER_VIOLATION_SAME_DAY)
                        x.other_day = v->other_day == v->day ? DAY_NONE : v->other_day;
                return refuse(ret, x);
        }
        return 0;
}

static bool context_is_valid(const SwapContext *ctx) {
        return ctx && ctx->config && ctx->calendar && (ctx->n_slots == 0 || ctx->slots) &&
                (ctx->n_absences == 0 || ctx->absences) && ctx->now_day != DAY_NONE;
}

int swap_check(const SwapContext *ctx, const Swap *s, bool at_apply, SwapRefusal *ret_refusal) {
        const Config *c;
        const RosterSlot *x;
        int r;

        if (!context_is_valid(ctx) || !swap_is_valid(s))
                return -EINVAL;
        c = ctx->config;

        if (!config_find_person(c, s->requester))
                return refuse(ret_refusal, refusal(SWAP_RULE_STAFF, DAY_NONE, s->requester));
        if (!config_find_person(c, s->counterpart))
                return refuse(ret_refusal, refusal(SWAP_RULE_STAFF, DAY_NONE, s->counterpart));
        if (streq(s->requester, s->counterpart))
                return refuse(ret_refusal, refusal(SWAP_RULE_SELF, DAY_NONE, s->requester));
        if (s->kind == SWAP_KIND_SWAP && llabs((long long) s->their_day - s->day) > SWAP_DAYS_APART_MAX)
                return refuse(ret_refusal, refusal(SWAP_RULE_TOO_FAR, s->their_day, s->counterpart));

        r = check_time(ctx, swap_first_day(s), ret_refusal);
        if (r != 0)
                return r;
        if (swap_last_day(s) != swap_first_day(s)) {
                r = check_time(ctx, swap_last_day(s), ret_refusal);
                if (r != 0)
                        return r;
        }

        x = slot_find(ctx, s->day, s->post, s->slot);
        if (!x || !streq_ptr(x->person, s->requester))
                return refuse(ret_refusal, refusal(at_apply ? SWAP_RULE_ROSTER_CHANGED : SWAP_RULE_NO_DUTY,
                                                   s->day, s->requester));
        if (s->kind == SWAP_KIND_SWAP) {
                x = slot_find(ctx, s->their_day, s->their_post, s->their_slot);
                if (!x || !streq_ptr(x->person, s->counterpart))
                        return refuse(ret_refusal, refusal(at_apply ? SWAP_RULE_ROSTER_CHANGED : SWAP_RULE_NO_DUTY,
                                                           s->their_day, s->counterpart));
        }

        return check_roster(ctx, s, ret_refusal);
}

int swap_propose(const SwapContext *ctx, const SwapRequest *req, Swap *ret, SwapRefusal *ret_refusal) {
        _cleanup_(swap_done) Swap s = {};
        const RosterSlot *mine = NULL, *theirs = NULL;
        int r;

        if (!context_is_valid(ctx) || !req || !ret || isempty(req->requester) || isempty(req->counterpart) ||
            !day_is_valid(req->day) || req->kind < 0 || req->kind >= _SWAP_KIND_MAX)
                return -EINVAL;
        if (req->kind == SWAP_KIND_COVER && req->their_day != DAY_NONE)
                return -EINVAL;
        if (req->their_day != DAY_NONE && !day_is_valid(req->their_day))
                return -EINVAL;
        if (req->reason && strlen(req->reason) > SWAP_NOTE_MAX)
                return -EINVAL;

        /* Name the problem with the people before looking for their duties. */
        if (!config_find_person(ctx->config, req->requester))
                return refuse(ret_refusal, refusal(SWAP_RULE_STAFF, DAY_NONE, req->requester));
        if (!config_find_person(ctx->config, req->counterpart))
                return refuse(ret_refusal, refusal(SWAP_RULE_STAFF, DAY_NONE, req->counterpart));
        if (streq(req->requester, req->counterpart))
                return refuse(ret_refusal, refusal(SWAP_RULE_SELF, DAY_NONE, req->requester));

        r = duty_find(ctx, req->requester, req->day, req->post, &mine, ret_refusal);
        if (r != 0)
                return r;
        if (req->kind == SWAP_KIND_SWAP) {
                if (req->their_day != DAY_NONE)
                        r = duty_find(ctx, req->counterpart, req->their_day, NULL, &theirs, ret_refusal);
                else
                        r = duty_find_next(ctx, req->counterpart, req->day, mine->post, &theirs, ret_refusal);
                if (r != 0)
                        return r;
        }

        s = (Swap) {
                .kind = req->kind,
                .state = SWAP_STATE_PROPOSED,
                .requester = strdup(req->requester),
                .counterpart = strdup(req->counterpart),
                .day = mine->day,
                .post = strdup(mine->post),
                .slot = mine->slot,
                .their_day = theirs ? theirs->day : DAY_NONE,
                .their_post = theirs ? strdup(theirs->post) : NULL,
                .their_slot = theirs ? theirs->slot : -1,
                .reason = req->reason ? strdup(req->reason) : NULL,
        };
        if (!s.requester || !s.counterpart || !s.post || (theirs && !s.their_post) || (req->reason && !s.reason))
                return -ENOMEM;

        r = swap_check(ctx, &s, false, ret_refusal);
        if (r > 0 && ret_refusal) {
                /* Point at strings that outlive the swap built here. */
                if (ret_refusal->person == s.requester)
                        ret_refusal->person = req->requester;
                else if (ret_refusal->person == s.counterpart)
                        ret_refusal->person = req->counterpart;
        }
        if (r != 0)
                return r;

        *ret = s;
        s = (Swap) {};
        return 0;
}

/* ---- Actions ---- */

bool swap_may_approve(const SwapContext *ctx, const Swap *s, const SwapActor *actor) {
        if (!ctx || !s || !actor)
                return false;
        if (actor->person && swap_is_party(s, actor->person))
                return false;
        if (actor->admin)
                return true;
        if (!ctx->config->swap.leader_approves || !actor->person)
                return false;
        return swap_is_leader_on_call(ctx, actor->person, s->day) ||
                (s->kind == SWAP_KIND_SWAP && swap_is_leader_on_call(ctx, actor->person, s->their_day));
}

/* The actor's right to the action, whatever the state. */
static int authorize_actor(const SwapContext *ctx, const Swap *s, SwapAction a, const SwapActor *actor,
                           SwapRefusal *ret) {
        switch (a) {
        case SWAP_ACTION_ACCEPT:
        case SWAP_ACTION_DECLINE:
                if (!streq_ptr(actor->person, s->counterpart))
                        return refuse(ret, refusal(SWAP_RULE_NOT_COUNTERPART, DAY_NONE, actor->person));
                return 0;
        case SWAP_ACTION_CANCEL:
                if (!actor->admin && !streq_ptr(actor->person, s->requester))
                        return refuse(ret, refusal(SWAP_RULE_NOT_REQUESTER, DAY_NONE, actor->person));
                return 0;
        case SWAP_ACTION_APPROVE:
                if (actor->person && swap_is_party(s, actor->person))
                        return refuse(ret, refusal(SWAP_RULE_OWN_SWAP, DAY_NONE, actor->person));
                if (!swap_may_approve(ctx, s, actor))
                        return refuse(ret, refusal(SWAP_RULE_NOT_APPROVER, s->day, actor->person));
                return 0;
        case SWAP_ACTION_APPLY:
        case SWAP_ACTION_EXPIRE:
                /* Follow from an approval or from time, not from anyone's say. */
                return 0;
        case SWAP_ACTION_REQUEST:
        case SWAP_ACTION_REFUSE:
        case _SWAP_ACTION_MAX:
        case _SWAP_ACTION_INVALID:
                return -EINVAL;
        }
        return -EINVAL;
}

/* Whether the action applies to a swap in state `from`. */
static bool action_applies(SwapAction a, SwapState from) {
        switch (a) {
        case SWAP_ACTION_ACCEPT:
                return from == SWAP_STATE_PROPOSED;
        case SWAP_ACTION_DECLINE:
        case SWAP_ACTION_CANCEL:
                return from == SWAP_STATE_PROPOSED || from == SWAP_STATE_ACCEPTED;
        case SWAP_ACTION_APPROVE:
                return from == SWAP_STATE_ACCEPTED;
        case SWAP_ACTION_APPLY:
                return from == SWAP_STATE_APPROVED;
        case SWAP_ACTION_EXPIRE:
                return swap_state_is_open(from);
        case SWAP_ACTION_REQUEST:
        case SWAP_ACTION_REFUSE:
        case _SWAP_ACTION_MAX:
        case _SWAP_ACTION_INVALID:
                return false;
        }
        return false;
}

int swap_authorize(const SwapContext *ctx, const Swap *s, SwapAction a, const SwapActor *actor,
                   SwapRefusal *ret_refusal) {
        SwapState effective;
        SwapRefusal x;
        int r;

        if (!context_is_valid(ctx) || !swap_is_valid(s) || !actor)
                return -EINVAL;

        r = authorize_actor(ctx, s, a, actor, ret_refusal);
        if (r != 0)
                return r;

        effective = swap_effective_state(s, ctx->config, ctx->now_day, ctx->now_minutes);
        if (a == SWAP_ACTION_EXPIRE) {
                if (effective == SWAP_STATE_EXPIRED && s->state != SWAP_STATE_EXPIRED)
                        return 0;
                x = refusal(SWAP_RULE_STATE, DAY_NONE, NULL);
                x.state = s->state;
                return refuse(ret_refusal, x);
        }
        if (effective == SWAP_STATE_EXPIRED) {
                x = refusal(SWAP_RULE_EXPIRED, swap_first_day(s), NULL);
                x.state = SWAP_STATE_EXPIRED;
                return refuse(ret_refusal, x);
        }
        if (!action_applies(a, effective)) {
                x = refusal(SWAP_RULE_STATE, DAY_NONE, NULL);
                x.state = effective;
                return refuse(ret_refusal, x);
        }

        if (a == SWAP_ACTION_APPLY)
                return swap_check(ctx, s, true, ret_refusal);
        return 0;
}

int swap_transition(Swap *s, SwapAction a, const SwapActor *actor, uint64_t now_usec) {
        char *approver = NULL;

        if (!s || !actor)
                return -EINVAL;
        if (!action_applies(a, s->state))
                return -ESTALE;

        if (a == SWAP_ACTION_APPROVE && actor->person) {
                approver = strdup(actor->person);
                if (!approver)
                        return -ENOMEM;
        }
        if (a == SWAP_ACTION_APPROVE) {
                free(s->approved_by);
                s->approved_by = approver;
        }
        s->state = swap_action_target(a);
        s->updated_usec = now_usec;
        return 0;
}

int swap_changes(const Swap *s, SwapChange ret[static SWAP_CHANGES_MAX]) {
        if (!swap_is_valid(s))
                return -EINVAL;

        ret[0] = (SwapChange) { .day = s->day, .post = s->post, .slot = s->slot, .person = s->counterpart };
        if (s->kind == SWAP_KIND_COVER)
                return 1;
        ret[1] = (SwapChange) {
                .day = s->their_day, .post = s->their_post, .slot = s->their_slot, .person = s->requester,
        };
        return 2;
}
