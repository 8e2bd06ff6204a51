/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The clerk's summary (notify.summary): at its time, every day or on its weekday, the duty slots
 * of the day (or of the week ahead), the open gaps, the leaves waiting for a decision, the swaps
 * pending and the leaders away, queued in the outbox for each person of notify.summary.to (the
 * admins when unset) under a key stable per period ("summary:FIRST-DAY:PERSON"): a restart or a
 * second run the same day queues nothing more. */

#include <stdbool.h>

#include "date.h"

typedef struct Manager Manager;

/* Whether a summary is due on day today at minutes past midnight (its time reached, its weekday). */
bool notify_summary_due(const Manager *m, Day today, int minutes);

/* Queues the summary of the period starting today, in a short transaction of its own. Returns 0,
 * -EBUSY when another program holds the database (tried again at the next run), or a negative
 * errno. */
int notify_summary_queue(Manager *m, Day today);
