/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Reminders to the offices (催办), for an aggregator: an office whose roster for a notice has not
 * arrived is told through the notification channels (the outbox, notify-outbox.h), as
 * "office:<id>" with the contact aggregator.offices gives it (email, notify): remind_before hours
 * before the deadline, and again at the deadline. Once per notice, office and moment: the
 * outbox's key says which, and the moment done is kept with the notices' deadline alerts
 * (store_notice_alert_set(), key "<notice>:remind-before" or "<notice>:remind"). */

typedef struct Manager Manager;

/* Queues the reminders due now, in a short transaction of its own. 0; -EBUSY when the database is
 * locked by another program (tried again at the next turn); another negative errno on failure. */
int offices_remind(Manager *m);
