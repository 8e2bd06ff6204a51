/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The notifier: delivers the outbox (store-notify.c) from the event loop, after the replies, and
 * queues the time-based notifications (duty tomorrow, at notify.reminder_time the day before).
 *
 * A queued row is sent on every channel of its person, as the configuration says at the moment it
 * is sent (a reload that changes channels or addresses applies to what is still queued): webhooks
 * through libcurl's multi interface driven by sd-event (never blocking the loop), command hooks as
 * child processes watched through a pidfd, each with the channel's timeout. At most
 * notify.max_in_flight rows are being delivered at once. A channel that took the row is not sent
 * it again; a failure is retried with backoff (NOTIFY_BACKOFF_FIRST_USEC doubling to
 * NOTIFY_BACKOFF_MAX_USEC) with the same uuid, and after notify.max_attempts the row is failed and
 * the journal told once (NOTIFY_MESSAGE_ID_FAILED). The outcome is kept in a short transaction of
 * its own; with the database locked by another program it is kept at the next turn, the row not
 * sent again meanwhile. */

#include "util.h"

typedef struct Manager Manager;
typedef struct Notifier Notifier;

/* Explained in packaging/dutyd.catalog. */
#define NOTIFY_MESSAGE_ID_FAILED "8873be30c27b453999afd6481f98edbf"

/* Response bodies and a command's message are bounded. */
#define NOTIFY_RESPONSE_MAX (64u * 1024u)
#define NOTIFY_PAYLOAD_MAX (16u * 1024u)

int notifier_new(Manager *m, Notifier **ret);
Notifier *notifier_free(Notifier *n);
DEFINE_POINTER_CLEANUP(Notifier, notifier_free)

/* A run on the loop's next turn: after a commit that may have queued notifications. */
int notifier_schedule(Notifier *n);
