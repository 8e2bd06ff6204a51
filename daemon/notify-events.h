/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The person events (libdutyd): who is told what when the roster, a swap or a leave changes, and
 * what the notifier's timer queues by itself. Each is queued with notify_outbox_add() under a key
 * naming the event and the recipient, so that it is queued once however often the code runs:
 *
 *   duty_soon:PERSON:POST:DAY            the duty of DAY begins in notify.soon_minutes (timer)
 *   roster_changed:vVERSION:PERSON       publication VERSION changed PERSON's duties
 *   roster_changed:aID:PERSON            the amendment (first StoreAmendment.id) changed them
 *   swap_approval:ID:PERSON              swap ID, accepted, waits for PERSON's approval
 *   swap_decided:ID:STATE:PERSON         swap ID was approved, declined or cancelled
 *   return_overdue:ID:PERSON             leave ID ended without its return (timer)
 *
 * The request-driven ones are called inside the request's transaction (the change and its
 * notifications commit together); notify_events_timed() inside the timer's own. */

#include "config.h"
#include "notify.h"
#include "store.h"
#include "swap.h"

/* After publication `version` of from..to: each person whose duties in it differ from the version
 * that covered each day before (none: every duty is new) is told what was added and removed. */
int notify_roster_published(Store *s, const Config *c, Day from, Day to, int version, uint64_t now_usec);

/* After the amendments a of one request (duty_amend_slot()): each person they change is told. */
int notify_roster_amended(Store *s, const Config *c, const StoreAmendment *a, size_t n, uint64_t now_usec);

/* After swap sw was accepted: the people who may approve it (swap_may_approve() on ctx, which
 * holds the roster of its days) are told. With swap.leader_approves, the leaders on call of its
 * days; when none may (or the setting is off), the administrators. */
int notify_swap_approval(Store *s, const Config *c, const SwapContext *ctx, const Swap *sw, uint64_t now_usec);

/* After swap sw was approved (by `by`), declined by its counterpart or cancelled by an
 * administrator (note: their reason, may be NULL): the requester is told, and on approval the
 * counterpart too. */
int notify_swap_decided(Store *s, const Config *c, const Swap *sw, NotifySwapOutcome outcome, const char *by,
                        const char *note, uint64_t now_usec);

/* The timed events at local today/minutes: duty_soon for the duties beginning within
 * notify.soon_minutes, return_overdue for the approved leaves that ended unreported within the
 * last NOTIFY_OVERDUE_LOOKBACK_DAYS days. In the caller's transaction. */
#define NOTIFY_OVERDUE_LOOKBACK_DAYS 30
#define NOTIFY_OVERDUE_SCAN_MAX 1000
int notify_events_timed(Store *s, const Config *c, Day today, int minutes, uint64_t now_usec);
