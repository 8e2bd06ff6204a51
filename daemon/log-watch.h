/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The report deadlines of the duty log (信息报送): an emergency's report by phone or in writing
 * not recorded as sent by its deadline is told to the journal once (alert.c,
 * ALERT_MESSAGE_ID_REPORT_OVERDUE), and so is a duty day's daily report (零报告) not sent by the
 * configured time (ALERT_MESSAGE_ID_DAILY_REPORT_MISSING), in a short transaction of its own that never waits for
 * another program's lock (the next turn tries again). Runs at start-up and every
 * LOG_WATCH_INTERVAL_USEC on the Manager's event loop, by the Manager's clock (DUTYD_NOW). */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "store.h"
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

/* Whether the daily report of duty day d is due (duty_log.daily_report: its holiday periods and
 * sensitive periods, those of the store included) and by when: *ret_deadline_usec is d's date at
 * duty_log.daily_report_time, local time. 0, or a negative errno. */
int log_watch_daily(Store *s, const Config *c, Day d, bool *ret_due, uint64_t *ret_deadline_usec);
