/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Swaps (换班) and substitutions (代班) end to end: the edge between the store (store-swap.c, the
 * roster's assignments, the absences duty.c collects) and the pure core (swap.c's state machine
 * and checks, which use roster.c's rules). No JSON (api-swap.c speaks Varlink), no SQL, no clock:
 * the caller passes "now" and who is acting, so that all of it runs against a temporary store in
 * tests.
 *
 *   request, cover  Checked against the roster as stored (both people, the duties, leave,
 *                   unavailability, rest, double booking, locks, the lead time) and stored as
 *                   proposed. The requester is the caller.
 *   accept, decline The counterpart's answer (declining also withdraws an earlier consent).
 *   cancel          The requester, or an administrator, withdraws it.
 *   approve         The leader on call of a day it touches (when the configuration says so) or an
 *                   administrator approves; in the same transaction it is applied: every check runs
 *                   again against the roster as it is at that moment and the assignments are
 *                   rewritten (source "swap" or "substitution"). A swap that an earlier one
 *                   overtook is refused with the reason and nothing of it is kept, so the roster is
 *                   never half swapped. A duty day of a published version it changes is recorded
 *                   as an amendment of that version, the approval being the amendment (reason:
 *                   the swap's number), by the approver.
 *   list, show      Members see the swaps they are a party to or may approve; approvers and
 *                   administrators see every swap.
 *
 * Expiry is derived (swap_effective_state()); each successful mutation also records the expiry of
 * the open swaps whose deadline has passed, so that their history says they lapsed. Every transition is one transaction with its entry in swap_event (a savepoint
 * of the request's when the dispatcher has opened one), committed before the function returns 0. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "date.h"
#include "refusal.h"
#include "store.h"
#include "swap.h"

/* Swaps one list returns at most, newest first. */
#define SWAP_SERVICE_LIST_MAX 500
/* Open swaps whose expiry one request records at most. */
#define SWAP_SERVICE_SWEEP_MAX 200

typedef struct SwapServiceContext {
        Store *store;
        const Config *config;
        uint64_t now_usec;      /* wall clock, for the record and the history */
        Day now_day;            /* the office's local date and time */
        int now_minutes;
        uid_t uid;              /* the caller, for the history */
        SwapActor actor;        /* person borrowed from the Config; admin for the admin role and root */
        bool sees_all;          /* approvers and administrators see every swap */
        const char *language;   /* the call's: "en" for English, anything else (NULL) Chinese */
} SwapServiceContext;

/* A stored swap with what "now" makes of it. */
typedef struct SwapEntry {
        Swap swap;
        SwapState state;        /* effective: expired derived from now */
        Day deadline_day;       /* when it expires unless applied (local time) */
        int deadline_minutes;
} SwapEntry;

void swap_entry_done(SwapEntry *e);
SwapEntry *swap_entry_array_free(SwapEntry *e, size_t n);

typedef struct SwapOutcome {
        Refusal refusal;        /* REFUSAL_SWAP when refused (message in the context's language;
                                 * person borrowed from the Config or, for a counterpart not on the
                                 * staff list, from the request); else REFUSAL_NONE */
        SwapEntry entry;        /* the swap after the request (refused: as it stands) */
        SwapEvent *events;      /* show: its history, oldest first */
        size_t n_events;
        SwapEntry *entries;     /* list */
        size_t n_entries;
        StoreAmendment *amendments;     /* approve: the published slots it changed, recorded as
                                         * amendments (the approval is the amendment) */
        size_t n_amendments;
} SwapOutcome;

void swap_outcome_done(SwapOutcome *o);

/* Every function below returns 0 when the request was carried out, 1 when it was refused
 * (ret->refusal), -ENOENT for a swap that does not exist or that the caller may not
 * see, -EPERM for a request by a caller with no person of the office, or another negative errno
 * (the store, memory). ret is always initialized; free it with swap_outcome_done(). */

/* req->requester is ignored: the caller asks for their own duty. */
int swap_service_request(const SwapServiceContext *ctx, const SwapRequest *req, SwapOutcome *ret);
/* note (may be NULL, at most SWAP_NOTE_MAX bytes) is kept in the history. */
int swap_service_accept(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret);
int swap_service_decline(const SwapServiceContext *ctx, int64_t id, const char *note, SwapOutcome *ret);
int swap_service_cancel(const SwapServiceContext *ctx, int64_t id, const char *note, SwapOutcome *ret);
int swap_service_approve(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret);

int swap_service_show(const SwapServiceContext *ctx, int64_t id, SwapOutcome *ret);
/* Newest first, at most SWAP_SERVICE_LIST_MAX, into ret->entries. mine: only those the caller is a
 * party to; pending: only those still open (proposed, accepted). */
int swap_service_list(const SwapServiceContext *ctx, bool mine, bool pending, SwapOutcome *ret);
