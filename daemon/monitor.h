/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The gap monitor: gathers the state from the configuration and the store, computes the gaps
 * (gaps.c), writes what changed to the journal (alert.c) and remembers it in the store, in one
 * transaction.
 *
 * It runs after every committed change (api-audit.c calls monitor_schedule() after a group's commit:
 * the run comes MONITOR_SOON_USEC later, once the replies have been written and the callers' next
 * requests answered, so that neither waits for it; the changes of that time share the run), after a
 * reload, at start-up, and on a timer: at midnight, at the handover
 * and an hour before it (when urgencies change by time alone), and at least every
 * MONITOR_INTERVAL_USEC. It loads only the window it looks at (the roster horizon). */

#include <stddef.h>
#include <stdint.h>

#include "gaps.h"
#include "util.h"

typedef struct Manager Manager;
typedef struct Monitor Monitor;

/* The longest time between two runs. */
#define MONITOR_INTERVAL_USEC (5 * 60 * USEC_PER_SEC)
/* How late a timer may fire, to let the loop batch wake-ups. */
#define MONITOR_ACCURACY_USEC USEC_PER_SEC
/* A change's run comes this long after it (monitor_schedule()), for every change of that time. A
 * run reloads and recomputes the horizon (some 170,000 instructions, a third of a LeaveRequest):
 * run on the loop's next turn, it stood between a client that writes again at once and its next
 * answer. Alerts come within milliseconds of their change all the same (goal: a second). */
#define MONITOR_SOON_USEC (10 * USEC_PER_MSEC)
#define MONITOR_SOON_ACCURACY_USEC USEC_PER_MSEC

/* Creates the monitor of m (whose event loop, config and store it uses) with its timer armed to run
 * as soon as the loop starts. */
int monitor_new(Manager *m, Monitor **ret);
Monitor *monitor_free(Monitor *mon);
DEFINE_POINTER_CLEANUP(Monitor, monitor_free)

/* Computes the gaps of the next `days` duty days (0: the configured horizon) as of now, without
 * writing anything. Returns 0 with a newly allocated array (gaps_free_many()), or a negative errno
 * (logged). */
int monitor_compute(Monitor *mon, unsigned days, Gap **ret, size_t *ret_n);

/* One full run: compute, tell the journal what changed, persist what was told, re-arm the timer.
 * Returns 0 or a negative errno (logged); the timer is re-armed either way. */
int monitor_run(Monitor *mon);

/* Asks for one run MONITOR_SOON_USEC from now, or keeps the one already asked for (the changes of
 * that time share it). Returns 0 or a negative errno (logged; the timer's next run then sees the
 * change). */
int monitor_schedule(Monitor *mon);
