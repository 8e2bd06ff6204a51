/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Queuing a notification in the outbox, in the caller's transaction: the services call it where
 * they make the change that causes it, so that the notification commits (or not) with the change.
 * Nothing is contacted here; the notifier (notify-send.h) delivers after the reply. */

#include "config.h"
#include "notify.h"
#include "store.h"

/* Queues the message f for person `person` (a Person.id) under key (the event: queued once).
 * Nothing is queued when no channel is configured, or for a person not in the configuration; a
 * full outbox (NOTIFY_QUEUE_MAX) drops it with a warning rather than refusing the change. */
int notify_outbox_add(Store *s, const Config *c, const char *person, const char *key, const NotifyFacts *f,
                      uint64_t now_usec);

/* Queues an alert's message f for the office's admins (people with the admin role, active on day)
 * and the leader on call of day (the holder of a leader post that day): each once, under
 * "KEY:PERSON". The caller's key names the alert occurrence (a re-raised identical alert gives the
 * same key and queues nothing; a new one after it was resolved gives a new one). Returns 0, or a
 * negative errno from the store. */
int notify_outbox_add_alert(Store *s, const Config *c, Day day, const char *key, const NotifyFacts *f,
                            uint64_t now_usec);
