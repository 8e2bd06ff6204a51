/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps and substitutions: store, configuration and the pure core put together. See
 * swap-service.h. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty.h"
#include "swap-service.h"
#include "notify-events.h"
#include "notify-outbox.h"

#define OPEN_STATES                                                     \
        (STORE_SWAP_STATE_BIT(SWAP_STATE_PROPOSED) |                    \
         STORE_SWAP_STATE_BIT(SWAP_STATE_ACCEPTED) |                    \
         STORE_SWAP_STATE_BIT(SWAP_STATE_APPROVED))

/* ---- Transactions ---- */

/* Each action works inside its caller's transaction (the request's, api-audit.c) in a savepoint of
 * its own, undone on every early return: a refused action leaves nothing behind — the sweep of
 * expired swaps it began with included — and the caller's transaction goes on. */
static const StoreSavepoint savepoint_swap = STORE_SAVEPOINT(swap_action);

/* ---- Entries and outcomes ---- */

void swap_entry_done(SwapEntry *e) {
        if (!e)
                return;
        swap_done(&e->swap);
        *e = (SwapEntry) {};
}

SwapEntry *swap_entry_array_free(SwapEntry *e, size_t n) {
        if (!e)
                return NULL;
        for (size_t i = 0; i < n; i++)
                swap_entry_done(&e[i]);
        free(e);
        return NULL;
}

void swap_outcome_done(SwapOutcome *o) {
        if (!o)
                return;
        swap_entry_done(&o->entry);
        swap_event_array_free(o->events, o->n_events);
        swap_entry_array_free(o->entries, o->n_entries);
        store_amendment_free_many(o->amendments, o->n_amendments);
        refusal_done(&o->refusal);
        *o = (SwapOutcome) {};
}

/* Takes *s (leaving it zeroed) into an entry with its effective state and deadline. */
static void entry_take(const SwapServiceContext *sc, Swap *s, SwapEntry *ret) {
        *ret = (SwapEntry) {
                .swap = *s,
                .state = swap_effective_state(s, sc->config, sc->now_day, sc->now_minutes),
        };
        swap_deadline(s, sc->config, &ret->deadline_day, &ret->deadline_minutes);
        *s = (Swap) {};
}

/* ---- What the checks look at ---- */

typedef struct Loaded {
        StoreAssignment *stored;
        size_t n_stored;
        RosterSlot *slots;
        DutyAbsences absences;
        Calendar calendar;
        SwapContext ctx;
} Loaded;

static void loaded_done(Loaded *l) {
        store_assignment_free_many(l->stored, l->n_stored);
        free(l->slots);
        duty_absences_done(&l->absences);
        *l = (Loaded) {};
}

/* The stored roster of from … to (and, with_absences, who is away), as a SwapContext for "now". */
static int loaded_load_full(const SwapServiceContext *sc, Day from, Day to, bool with_absences, Loaded *ret) {
        _cleanup_(loaded_done) Loaded l = {};
        int r;

        r = store_assignment_list(sc->store, from, to, &l.stored, &l.n_stored);
        if (r < 0)
                return r;
        if (with_absences) {
                r = duty_absences_collect(sc->store, sc->config, from, to, &l.absences);
                if (r < 0)
                        return r;
        }

        r = store_assignment_slots(l.stored, l.n_stored, &l.slots);
        if (r < 0)
                return r;

        /* The checks need no holiday data (roster_check() does not classify days). */
        l.calendar = config_calendar(sc->config);
        *ret = l;
        l = (Loaded) {};
        ret->ctx = (SwapContext) {
                .config = sc->config,
                .calendar = &ret->calendar,
                .slots = ret->slots,
                .n_slots = ret->n_stored,
                .absences = ret->absences.items,
                .n_absences = ret->absences.n,
                .now_day = sc->now_day,
                .now_minutes = sc->now_minutes,
        };
        return 0;
}

static int loaded_load(const SwapServiceContext *sc, Day from, Day to, Loaded *ret) {
        return loaded_load_full(sc, from, to, true, ret);
}

/* Everything the checks of the swap need: its days with the rest around them. */
static int loaded_load_swap(const SwapServiceContext *sc, const Swap *s, Loaded *ret) {
        Day rest = (Day) sc->config->roster.min_rest_days;

        return loaded_load(sc, swap_first_day(s) - rest, swap_last_day(s) + rest, ret);
}

static const StoreAssignment *stored_find(const Loaded *l, Day day, const char *post, int slot) {
        for (size_t i = 0; i < l->n_stored; i++) {
                const StoreAssignment *a = &l->stored[i];

                if (a->day == day && a->slot == slot && streq(a->post, post))
                        return a;
        }
        return NULL;
}

/* ---- Visibility ---- */

static bool visible(const SwapServiceContext *sc, const SwapContext *ctx, const Swap *s) {
        if (sc->sees_all || swap_is_party(s, sc->actor.person))
                return true;
        return swap_may_approve(ctx, s, &sc->actor);
}

/* Whether a member who is not a party may approve s: only a leader on call of one of its days,
 * which needs the roster of those days. */
static int visible_load(const SwapServiceContext *sc, const Swap *s) {
        _cleanup_(loaded_done) Loaded l = {};
        const Person *p;
        int r;

        if (sc->sees_all || swap_is_party(s, sc->actor.person))
                return 1;
        p = sc->actor.person ? config_find_person(sc->config, sc->actor.person) : NULL;
        if (!p || !person_has_role(p, ROLE_LEADER) || !sc->config->swap.leader_approves)
                return 0;

        /* Who is on call is all it takes. */
        r = loaded_load_full(sc, swap_first_day(s), swap_last_day(s), false, &l);
        if (r < 0)
                return r;
        return visible(sc, &l.ctx, s);
}

/* ---- Recording ---- */

static int record(const SwapServiceContext *sc, Swap *s, SwapState from, SwapAction a, const char *actor,
                  const char *note) {
        int r;

        r = store_swap_update_state(sc->store, s, from);
        if (r < 0)
                return r;
        return store_swap_event_append(sc->store, s->id, sc->now_usec, sc->uid, actor,
                                       swap_action_to_string(a), note, NULL);
}

/* Takes the action on s (after swap_authorize()) and stores it with its history entry. */
static int transition(const SwapServiceContext *sc, Swap *s, SwapAction a, const char *note) {
        SwapState from = s->state;
        int r;

        r = swap_transition(s, a, &sc->actor, sc->now_usec);
        if (r < 0)
                return r;
        return record(sc, s, from, a, sc->actor.person, note);
}

/* Records the expiry of the open swaps whose deadline has passed. Nobody acts: the entry names no
 * person. */
static int sweep(const SwapServiceContext *sc) {
        static const SwapActor nobody = {};
        StoreSwapFilter f = {
                .states = OPEN_STATES,
                /* Older ones are expired all the same (derived); this keeps the scan short. */
                .from = sc->now_day - SWAP_DAYS_APART_MAX,
                .to = DAY_NONE,
                .limit = SWAP_SERVICE_SWEEP_MAX,
        };
        Swap *swaps = NULL;
        size_t n = 0;
        int r = 0;

        r = store_swap_list(sc->store, &f, &swaps, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n && r >= 0; i++) {
                Swap *s = &swaps[i];
                SwapState from = s->state;

                if (swap_effective_state(s, sc->config, sc->now_day, sc->now_minutes) != SWAP_STATE_EXPIRED)
                        continue;
                r = swap_transition(s, SWAP_ACTION_EXPIRE, &nobody, sc->now_usec);
                if (r >= 0)
                        r = record(sc, s, from, SWAP_ACTION_EXPIRE, NULL, NULL);
        }

        swap_array_free(swaps, n);
        return r;
}

static bool context_is_valid(const SwapServiceContext *sc) {
        return sc && sc->store && sc->config && sc->now_day != DAY_NONE;
}

/* Starts ret empty: 0, or -EINVAL without a valid context. */
static int outcome_init(const SwapServiceContext *ctx, SwapOutcome *ret) {
        if (!ret)
                return -EINVAL;
        *ret = (SwapOutcome) {};
        ret->refusal = REFUSAL_INIT;
        return context_is_valid(ctx) ? 0 : -EINVAL;
}

/* Commits the request's savepoint and hands the swap back as it now stands. */
static int outcome_keep(const SwapServiceContext *ctx, StoreSavepointHold *tx, Swap *s, SwapOutcome *ret) {
        int r;

        r = store_savepoint_keep(tx);
        if (r < 0)
                return r;

        entry_take(ctx, s, &ret->entry);
        return 0;
}

/* The core's refusal as the one Refusal, its sentence in the call's language. 1, or -ENOMEM. */
static int outcome_refuse(const SwapServiceContext *ctx, SwapOutcome *ret, const SwapRefusal *x) {
        _cleanup_free_ char *message = NULL;
        int r;

        r = swap_refusal_format(x, ctx->config, ctx->language, &message);
        if (r < 0)
                return r;
        r = refusal_set(&ret->refusal, REFUSAL_SWAP, swap_rule_to_string(x->rule), message);
        if (r < 0)
                return r;
        ret->refusal.day = x->day;
        ret->refusal.person = x->person;
        return 1;
}

/* ---- Requests ---- */

int swap_service_request(const SwapServiceContext *ctx, const SwapRequest *req, SwapOutcome *ret) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        _cleanup_(loaded_done) Loaded l = {};
        _cleanup_(swap_done) Swap s = {};
        SwapRequest q;
        SwapRefusal x;
        Day from, to, rest;
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;
        if (!req || req->day == DAY_NONE)
                return -EINVAL;
        if (!ctx->actor.person)
                return -EPERM;

        q = *req;
        q.requester = ctx->actor.person;

        /* The days the checks look at: both duties (or, without the counterpart's day, the window
         * their duty is looked for in), with the rest around them. */
        rest = (Day) ctx->config->roster.min_rest_days;
        from = to = q.day;
        if (q.kind == SWAP_KIND_SWAP && q.their_day != DAY_NONE) {
                if (q.their_day < from)
                        from = q.their_day;
                if (q.their_day > to)
                        to = q.their_day;
        } else if (q.kind == SWAP_KIND_SWAP)
                to = q.day + SWAP_SEARCH_DAYS;
        if ((int64_t) to - from > SWAP_DAYS_APART_MAX) {
                x = (SwapRefusal) { .rule = SWAP_RULE_TOO_FAR, .day = q.their_day, .person = NULL,
                                    .other_day = DAY_NONE, .state = _SWAP_STATE_INVALID };
                return outcome_refuse(ctx, ret, &x);
        }

        r = store_savepoint_hold(ctx->store, &savepoint_swap, &tx);
        if (r < 0)
                return r;

        r = sweep(ctx);
        if (r < 0)
                return r;
        r = loaded_load(ctx, from - rest, to + rest, &l);
        if (r < 0)
                return r;

        r = swap_propose(&l.ctx, &q, &s, &x);
        if (r < 0)
                return r;
        if (r > 0) {
                /* Point at the Config rather than at the roster loaded here; a person not on the
                 * staff list can only be the request's own counterpart. */
                const Person *p = x.person ? config_find_person(ctx->config, x.person) : NULL;

                x.person = p ? p->id : x.person;
                return outcome_refuse(ctx, ret, &x);
        }

        s.created_usec = s.updated_usec = ctx->now_usec;
        r = store_swap_insert(ctx->store, &s, &s.id);
        if (r < 0)
                return r;
        r = store_swap_event_append(ctx->store, s.id, ctx->now_usec, ctx->uid, ctx->actor.person,
                                    swap_action_to_string(SWAP_ACTION_REQUEST), s.reason, NULL);
        if (r < 0)
                return r;
        if (s.counterpart) {
                char key[128];
                NotifyFacts f = {
                        .kind = NOTIFY_KIND_SWAP_REQUESTED,
                        .other_name = config_person_name(ctx->config, s.requester),
                        .day = s.day,
                        .until = DAY_NONE,
                        .id = s.id,
                };

                (void) snprintf(key, sizeof(key), "swap_requested:%lld:%s", (long long) s.id, s.counterpart);
                r = notify_outbox_add(ctx->store, ctx->config, s.counterpart, key, &f, ctx->now_usec);
                if (r < 0)
                        return r;
        }

        return outcome_keep(ctx, &tx, &s, ret);
}

/* The common part of accept, decline, cancel and approve: loads, checks sight and right, and takes
 * the action. Leaves the transaction open (and *l loaded) for approve to go on. */
static int act_begin(const SwapServiceContext *ctx, int64_t id, SwapAction a, const char *note,
                     StoreSavepointHold *tx, Swap *s, Loaded *l, SwapOutcome *ret) {
        SwapRefusal x;
        int r;

        if (note && strlen(note) > SWAP_NOTE_MAX)
                return -EINVAL;

        r = store_savepoint_hold(ctx->store, &savepoint_swap, tx);
        if (r < 0)
                return r;
        r = sweep(ctx);
        if (r < 0)
                return r;

        r = store_swap_get(ctx->store, id, s);
        if (r < 0)
                return r;
        r = loaded_load_swap(ctx, s, l);
        if (r < 0)
                return r;
        if (!visible(ctx, &l->ctx, s))
                return -ENOENT;

        r = swap_authorize(&l->ctx, s, a, &ctx->actor, &x);
        if (r < 0)
                return r;
        if (r > 0) {
                /* Keep the refusal's strings alive with the swap, handed back as it stands. */
                const Person *p = x.person ? config_find_person(ctx->config, x.person) : NULL;

                x.person = p ? p->id : NULL;
                entry_take(ctx, s, &ret->entry);
                return outcome_refuse(ctx, ret, &x);
        }

        return transition(ctx, s, a, note);
}

/* Who is told of the action, in its savepoint: an accepted swap waits for its approvers; a declined
 * one, or one an administrator withdrew, is the requester's news. */
static int act_notify(const SwapServiceContext *ctx, const Swap *s, const Loaded *l, SwapAction a, const char *note) {
        switch (a) {
        case SWAP_ACTION_ACCEPT:
                return notify_swap_approval(ctx->store, ctx->config, &l->ctx, s, ctx->now_usec);
        case SWAP_ACTION_DECLINE:
                return notify_swap_decided(ctx->store, ctx->config, s, NOTIFY_SWAP_DECLINED, ctx->actor.person, note,
                                           ctx->now_usec);
        case SWAP_ACTION_CANCEL:
                /* The requester's own withdrawal tells nobody (notify_swap_decided() skips them). */
                return notify_swap_decided(ctx->store, ctx->config, s, NOTIFY_SWAP_CANCELLED, ctx->actor.person, note,
                                           ctx->now_usec);
        case SWAP_ACTION_REQUEST:
        case SWAP_ACTION_APPROVE:
        case SWAP_ACTION_APPLY:
        case SWAP_ACTION_EXPIRE:
        case SWAP_ACTION_REFUSE:
        case _SWAP_ACTION_MAX:
        case _SWAP_ACTION_INVALID:
                break;
        }
        return 0;
}

static int act(const SwapServiceContext *ctx, int64_t id, SwapAction a, const char *note, SwapOutcome *ret) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        _cleanup_(loaded_done) Loaded l = {};
        _cleanup_(swap_done) Swap s = {};
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        r = act_begin(ctx, id, a, note, &tx, &s, &l, ret);
        if (r != 0)
                return r;
        r = act_notify(ctx, &s, &l, a, note);
        if (r < 0)
                return r;

        return outcome_keep(ctx, &tx, &s, ret);
}

int swap_service_accept(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret) {
        return act(ctx, id, SWAP_ACTION_ACCEPT, NULL, ret);
}

int swap_service_decline(const SwapServiceContext *ctx, int64_t id, const char *note, SwapOutcome *ret) {
        return act(ctx, id, SWAP_ACTION_DECLINE, note, ret);
}

int swap_service_cancel(const SwapServiceContext *ctx, int64_t id, const char *note, SwapOutcome *ret) {
        return act(ctx, id, SWAP_ACTION_CANCEL, note, ret);
}

int swap_service_approve(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret) {
        _cleanup_(store_savepoint_holdp) StoreSavepointHold tx = {};
        _cleanup_(loaded_done) Loaded l = {};
        _cleanup_(swap_done) Swap s = {};
        _cleanup_(duty_amend_done) DutyAmend amend = {};
        _cleanup_free_ char *reason = NULL;
        SwapChange changes[SWAP_CHANGES_MAX];
        SwapRefusal x;
        int n, r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        r = act_begin(ctx, id, SWAP_ACTION_APPROVE, NULL, &tx, &s, &l, ret);
        if (r != 0)
                return r;

        /* Apply: everything again, against the roster as it is now, inside this transaction. */
        r = swap_authorize(&l.ctx, &s, SWAP_ACTION_APPLY, &ctx->actor, &x);
        if (r < 0)
                return r;
        if (r > 0) {
                const Person *p = x.person ? config_find_person(ctx->config, x.person) : NULL;

                /* Nothing of the approval is kept: the swap is handed back as it stands. */
                x.person = p ? p->id : NULL;
                store_savepoint_holdp(&tx);
                swap_done(&s);
                r = store_swap_get(ctx->store, id, &s);
                if (r < 0)
                        return r;
                entry_take(ctx, &s, &ret->entry);
                return outcome_refuse(ctx, ret, &x);
        }

        /* The approver's approval is the amendment of a published day it touches: the clerk
         * expects an approved swap to hold, and the record says which swap it was. */
        if (asprintf(&reason, streq(strempty(ctx->config->language), "en") ? "%s #%" PRIi64 " approved" : "%s #%" PRIi64 "，已批准",
                     streq(strempty(ctx->config->language), "en") ?
                             (s.kind == SWAP_KIND_SWAP ? "swap" : "substitution") :
                             (s.kind == SWAP_KIND_SWAP ? "换班" : "代班"),
                     s.id) < 0) {
                reason = NULL;
                return -ENOMEM;
        }
        amend = (DutyAmend) {
                .amend = true,
                .reason = reason,
                .uid = ctx->uid,
                .by = ctx->actor.person,
                .now_usec = ctx->now_usec,
        };

        n = swap_changes(&s, changes);
        if (n < 0)
                return n;
        for (int i = 0; i < n; i++) {
                const StoreAssignment *a = stored_find(&l, changes[i].day, changes[i].post, changes[i].slot);

                /* swap_check() found it held by the right person a moment ago. */
                if (!a)
                        return -ESTALE;
                r = duty_amend_slot(ctx->store, &amend, changes[i].day, changes[i].post, changes[i].slot, a->person,
                                    changes[i].person);
                if (r < 0)
                        return r;
                r = store_assignment_set(ctx->store, changes[i].day, changes[i].post, changes[i].slot,
                                         changes[i].person, a->locked, NULL, swap_kind_source(s.kind));
                if (r >= 0 && a->assume_ordinary)
                        r = store_assignment_set_assume_ordinary(ctx->store, changes[i].day, changes[i].post,
                                                                 changes[i].slot, true);
                if (r < 0)
                        return r;
        }

        r = transition(ctx, &s, SWAP_ACTION_APPLY, NULL);
        if (r < 0)
                return r;
        r = notify_swap_decided(ctx->store, ctx->config, &s, NOTIFY_SWAP_APPROVED, ctx->actor.person, NULL,
                                ctx->now_usec);
        if (r < 0)
                return r;

        r = outcome_keep(ctx, &tx, &s, ret);
        if (r < 0)
                return r;
        ret->amendments = TAKE_PTR(amend.recorded);
        ret->n_amendments = amend.n_recorded;
        amend.n_recorded = 0;
        return 0;
}

int swap_service_show(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret) {
        _cleanup_(swap_done) Swap s = {};
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        r = store_swap_get(ctx->store, id, &s);
        if (r < 0)
                return r;
        r = visible_load(ctx, &s);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENOENT;

        r = store_swap_event_list(ctx->store, id, &ret->events, &ret->n_events);
        if (r < 0)
                return r;

        entry_take(ctx, &s, &ret->entry);
        return 0;
}

int swap_service_list(const SwapServiceContext *ctx, bool mine, bool pending, SwapOutcome *ret) {
        StoreSwapFilter f = {
                .from = DAY_NONE,
                .to = DAY_NONE,
        };
        Swap *swaps = NULL;
        size_t n = 0, k = 0;
        int r;

        r = outcome_init(ctx, ret);
        if (r < 0)
                return r;

        if (mine) {
                /* Root with no person is a party to nothing. */
                if (!ctx->actor.person)
                        return 0;
                f.person = ctx->actor.person;
        }
        if (pending)
                f.states = STORE_SWAP_STATE_BIT(SWAP_STATE_PROPOSED) | STORE_SWAP_STATE_BIT(SWAP_STATE_ACCEPTED);
        /* A member sees few of all swaps; read more than a page so that a page of theirs can fill. */
        f.limit = ctx->sees_all || mine ? SWAP_SERVICE_LIST_MAX : SWAP_SERVICE_LIST_MAX * 4;

        r = store_swap_list(ctx->store, &f, &swaps, &n);
        if (r < 0)
                return r;

        ret->entries = calloc(n ?: 1, sizeof(SwapEntry));
        if (!ret->entries) {
                swap_array_free(swaps, n);
                return -ENOMEM;
        }

        for (size_t i = 0; i < n && k < SWAP_SERVICE_LIST_MAX; i++) {
                Swap *s = &swaps[i];

                if (pending && swap_effective_state(s, ctx->config, ctx->now_day, ctx->now_minutes) == SWAP_STATE_EXPIRED)
                        continue;
                r = visible_load(ctx, s);
                if (r < 0) {
                        swap_array_free(swaps, n);
                        return r;
                }
                if (r == 0)
                        continue;
                entry_take(ctx, s, &ret->entries[k++]);
                ret->n_entries = k;
        }

        swap_array_free(swaps, n);
        return 0;
}
