/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The report deadlines of the duty log (信息报送): an emergency's report by phone or in writing
 * not recorded as sent by its deadline is told to the journal once (alert.c,
 * ALERT_MESSAGE_ID_REPORT_OVERDUE), in a short transaction of its own that never waits for
 * another program's lock (the next turn tries again). Runs at start-up and every
 * LOG_WATCH_INTERVAL_USEC on the Manager's event loop, by the Manager's clock (DUTYD_NOW). */

#include "util.h"

typedef struct Manager Manager;
typedef struct LogWatch LogWatch;

/* How often the deadlines are looked at: a report is told late by at most this much. */
#define LOG_WATCH_INTERVAL_USEC (60 * USEC_PER_SEC)

int log_watch_new(Manager *m, LogWatch **ret);
LogWatch *log_watch_free(LogWatch *w);
DEFINE_POINTER_CLEANUP(LogWatch, log_watch_free)

/* One turn: tells the journal of every report overdue now and not told yet. 0, or a negative
 * errno (logged). */
int log_watch_run(LogWatch *w);
