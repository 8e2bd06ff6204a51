/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Swaps (换班) and substitutions (代班): the record, its state machine and its checks. Pure core: no
 * I/O, no clock (the caller passes "now"), no logging.
 *
 * A swap exchanges the requester's duty with one of the counterpart's; a substitution ("cover")
 * hands the requester's duty to the counterpart.
 *
 *   proposed ──accept──▶ accepted ──approve──▶ approved ──apply──▶ applied
 *      │                    │
 *      ├──decline───────────┴──▶ declined     (by the counterpart)
 *      ├──cancel────────────┴──▶ cancelled    (by the requester or an administrator)
 *      └──(deadline)────────┴──▶ expired
 *
 * The counterpart accepts; the leader on call of a duty day the swap touches, or an
 * administrator, approves (only administrators when the configuration says so); nobody approves a
 * swap they are a party to. Approving applies at once: the edge runs approve and apply in one
 * transaction, and the apply re-checks everything against the roster as it is then.
 *
 * Expiry is derived: a proposed or accepted swap is expired once "now" reaches its deadline,
 * swap.lead_days days before the handover that starts the earliest duty it touches
 * (swap_effective_state()), so nothing has to run at that instant.
 *
 * The roster rules are roster_check()'s, not repeated here: a swap is refused when the roster it
 * would leave breaks a rule that the roster before it did not break (so a duty held by someone now
 * on leave may be handed over, which is the point). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "roster.h"
#include "util.h"
#include "vocabulary.h"

/* A swap's two duties lie at most this many days apart. */
#define SWAP_DAYS_APART_MAX 366
/* Without a day for the counterpart's duty, their first duty on the same post within this many
 * days after the requester's is taken. */
#define SWAP_SEARCH_DAYS 92
/* Longest reason or note, in bytes. */
#define SWAP_NOTE_MAX 1000

/* "换班", "代班". */
const char *swap_kind_to_zh(SwapKind k);
/* The assignment source an applied swap leaves: "swap" or "substitution". */
const char *swap_kind_source(SwapKind k);

const char *swap_state_to_zh(SwapState s);
/* Still waiting for someone: proposed, accepted or approved. */
bool swap_state_is_open(SwapState s);

const char *swap_action_to_zh(SwapAction a);
/* The state an action leads to; _SWAP_STATE_INVALID for SWAP_ACTION_REFUSE. */
SwapState swap_action_target(SwapAction a);

/* Why a request or an action is refused. */
typedef enum SwapRule {
        SWAP_RULE_STATE,          /* the swap is not in a state where this applies */
        SWAP_RULE_EXPIRED,        /* it expired: its duty starts within the lead time */
        SWAP_RULE_NOT_COUNTERPART,/* only the person asked accepts or declines */
        SWAP_RULE_NOT_REQUESTER,  /* only the requester (or an administrator) cancels */
        SWAP_RULE_NOT_APPROVER,   /* only the leader on call of the day or an administrator approves */
        SWAP_RULE_OWN_SWAP,       /* nobody approves a swap they are a party to */
        SWAP_RULE_SELF,           /* the counterpart is the requester */
        SWAP_RULE_STAFF,          /* a person is not on the office's staff list */
        SWAP_RULE_NO_DUTY,        /* the person holds no such duty */
        SWAP_RULE_AMBIGUOUS,      /* the person holds several posts that day: the post must be named */
        SWAP_RULE_TOO_FAR,        /* the two duties lie more than SWAP_DAYS_APART_MAX days apart */
        SWAP_RULE_PAST,           /* the duty has begun or is over */
        SWAP_RULE_LEAD_TIME,      /* the duty starts within the lead time */
        SWAP_RULE_ELIGIBILITY,    /* lacks the post's role */
        SWAP_RULE_INACTIVE,       /* not active on the day */
        SWAP_RULE_ON_LEAVE,
        SWAP_RULE_UNAVAILABLE,
        SWAP_RULE_DOUBLE_BOOKING, /* would hold two posts on one duty day */
        SWAP_RULE_REST,           /* would have too little rest between two duties */
        SWAP_RULE_LOCKED,         /* the duty is locked */
        SWAP_RULE_ROSTER_CHANGED, /* at apply: a duty is no longer held as when the swap was requested */
        _SWAP_RULE_MAX,
        _SWAP_RULE_INVALID = -EINVAL,
} SwapRule;

/* "state", "expired", "not_counterpart", "not_requester", "not_approver", "own_swap", "self",
 * "staff", "no_duty", "ambiguous", "too_far", "past", "lead_time", "eligibility", "inactive",
 * "on_leave", "unavailable", "double_booking", "rest", "locked", "roster_changed". */
const char *swap_rule_to_string(SwapRule r);
SwapRule swap_rule_from_string(const char *s);
/* A sentence for people; lang "en" gives English, anything else (NULL, "zh") Chinese. */
const char *swap_rule_message(SwapRule r, const char *lang);

typedef struct SwapRefusal {
        SwapRule rule;
        Day day;                /* the duty day concerned, or DAY_NONE */
        const char *person;     /* the person concerned (borrowed), or NULL */
        Day other_day;          /* rest, double_booking: the other duty; else DAY_NONE */
        SwapState state;        /* state, expired: the swap's state; else _SWAP_STATE_INVALID */
} SwapRefusal;

/* The refusal as one line for people, e.g. "2026-05-10 郑海涛：当日请假", into a newly allocated
 * string. Names come from c (may be NULL: ids are shown). Returns 0 or -ENOMEM, -EINVAL. */
int swap_refusal_format(const SwapRefusal *r, const Config *c, const char *lang, char **ret);

typedef struct Swap {
        int64_t id;             /* 0: not stored yet */
        SwapKind kind;
        SwapState state;        /* as stored; see swap_effective_state() */
        char *requester;        /* Person.id */
        char *counterpart;      /* Person.id */
        Day day;                /* the requester's duty */
        char *post;
        int slot;
        Day their_day;          /* kind swap: the counterpart's duty; cover: DAY_NONE, NULL, -1 */
        char *their_post;
        int their_slot;
        char *reason;           /* may be NULL */
        uint64_t created_usec;
        uint64_t updated_usec;
        char *approved_by;      /* Person.id of who approved, NULL before or for root */
} Swap;

/* Frees the strings of *s and leaves it zeroed. Accepts NULL. */
void swap_done(Swap *s);
/* swap_done() on every element, then frees the array. Returns NULL. */
Swap *swap_array_free(Swap *s, size_t n);

/* The swap is well formed: a kind and state, people, days within the date range, a post and a
 * slot for every duty it touches, none for the counterpart of a cover. */
bool swap_is_valid(const Swap *s);
bool swap_is_party(const Swap *s, const char *person);
/* The first and the last duty day the swap touches. */
Day swap_first_day(const Swap *s);
Day swap_last_day(const Swap *s);

/* One transition, as the audit keeps it. */
typedef struct SwapEvent {
        int64_t id;
        int64_t swap_id;
        uint64_t at_usec;
        uid_t uid;
        char *actor;            /* Person.id, or NULL (root, or the daemon expiring it) */
        char *action;           /* swap_action_to_string() */
        char *note;             /* may be NULL */
} SwapEvent;

void swap_event_done(SwapEvent *e);
SwapEvent *swap_event_array_free(SwapEvent *e, size_t n);

/* What the checks look at. */
typedef struct SwapContext {
        const Config *config;   /* people, posts, roster.min_rest_days, swap.*, handover */
        const Calendar *calendar;
        /* The stored assignments of at least every day from swap_first_day() - min_rest_days to
         * swap_last_day() + min_rest_days (for swap_propose() without their_day, up to
         * SWAP_SEARCH_DAYS further), as they are now. */
        const RosterSlot *slots;
        size_t n_slots;
        /* Approved leave and declared unavailability over the same days. */
        const RosterAbsence *absences;
        size_t n_absences;
        Day now_day;            /* the office's local date and time now */
        int now_minutes;
} SwapContext;

/* The local instant (day, minutes) after which a still open swap expires: lead_days days before
 * the handover that starts its first duty. */
void swap_deadline(const Swap *s, const Config *c, Day *ret_day, int *ret_minutes);
/* The state as of now: a proposed, accepted or approved swap whose deadline has come is expired;
 * other states are returned as stored. */
SwapState swap_effective_state(const Swap *s, const Config *c, Day now_day, int now_minutes);

/* Who acts: a person of the office, an administrator, or both (root is an administrator without
 * a person). */
typedef struct SwapActor {
        const char *person;     /* Person.id or NULL */
        bool admin;
} SwapActor;

typedef struct SwapRequest {
        SwapKind kind;
        const char *requester;  /* Person.id */
        const char *counterpart;/* as given: checked against the staff list */
        Day day;                /* the requester's duty */
        const char *post;       /* NULL: the requester's only post that day */
        Day their_day;          /* swap: the counterpart's duty; DAY_NONE: their first on the same post
                                 * within SWAP_SEARCH_DAYS days after day. cover: DAY_NONE */
        const char *reason;     /* may be NULL */
} SwapRequest;

/* The swap a request asks for, resolved against the roster (state proposed, id and times zero) and
 * checked as swap_check() does. Returns 0 and *ret (owned strings), 1 with *ret_refusal filled
 * (*ret untouched), or -EINVAL (a malformed request or context), -ENOMEM. */
int swap_propose(const SwapContext *ctx, const SwapRequest *req, Swap *ret, SwapRefusal *ret_refusal);

/* Every rule a swap must keep to be applied now: both people on the staff list, distinct, the
 * duties not begun and at least lead_days away, each still held by its person (at_apply: else
 * "roster_changed", not "no_duty"), and the roster after it breaking no rule of roster_check() that
 * it did not break before. Returns 0 if it may go ahead, 1 with *ret_refusal filled, or -EINVAL,
 * -ENOMEM. */
int swap_check(const SwapContext *ctx, const Swap *s, bool at_apply, SwapRefusal *ret_refusal);

/* The person is the leader on call (holds a post of the leader role) on the duty day. */
bool swap_is_leader_on_call(const SwapContext *ctx, const char *person, Day day);
/* May the actor approve: not a party to it, and an administrator, or (swap.leader_approves) the
 * leader on call of a duty day it touches. */
bool swap_may_approve(const SwapContext *ctx, const Swap *s, const SwapActor *actor);

/* May the actor take the action now (REQUEST and REFUSE are not actions on a stored swap): the
 * actor's right first, then the effective state. APPLY also runs swap_check(at_apply). Returns 0,
 * 1 with *ret_refusal filled, or -EINVAL, -ENOMEM. */
int swap_authorize(const SwapContext *ctx, const Swap *s, SwapAction a, const SwapActor *actor,
                   SwapRefusal *ret_refusal);
/* Takes the action: sets the state to its target, updated_usec, and approved_by for APPROVE.
 * Returns 0, or -ESTALE when the stored state does not allow it, -ENOMEM. It does not check the
 * actor's right or the roster: swap_authorize() does. */
int swap_transition(Swap *s, SwapAction a, const SwapActor *actor, uint64_t now_usec);

/* One assignment an applied swap rewrites. */
typedef struct SwapChange {
        Day day;
        const char *post;       /* borrowed from the swap */
        int slot;
        const char *person;     /* the new holder */
} SwapChange;

#define SWAP_CHANGES_MAX 2

/* The assignments to rewrite when the swap is applied, with swap_kind_source() as their source.
 * Returns how many (1 for a cover, 2 for a swap) or -EINVAL. */
int swap_changes(const Swap *s, SwapChange ret[static SWAP_CHANGES_MAX]);
