/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Presence checks (在岗抽查) run by dutyd itself: at a moment of each configured window (check.c
 * draws it from the database's secret seed) the people on duty are asked, in the journal, to confirm
 * with `dutyctl ack` within the configured minutes; a check not confirmed in time is recorded as
 * missed and alerted (crit). Runs with the gap monitor (monitor.c): at start-up, after each change
 * and on its timer. */

#include "check.h"
#include "context.h"

/* Asks the checks whose moment came during the duty day under way, and marks missed the pending
 * ones past their time. Its own short transaction; a database locked by another program leaves it
 * all to the next run. Returns 0 or a negative errno (logged). */
int presence_run(Manager *m);

/* Minutes from now to the next thing presence_run() has to do (a moment of the duty day under way
 * not asked yet, a pending check's time running out), 0 when due now: 0 or more; -ENOENT when
 * nothing is ahead; another negative errno when the store cannot be read. The gap monitor arms its
 * timer by it, so that a check is asked at its minute and closed at its time. */
int presence_next_minutes(Manager *m, unsigned *ret);

/* The people on duty of duty_day (the holders of its posts, each once): a NULL-terminated list. */
int presence_people(Manager *m, Day duty_day, char ***ret);

/* "姓名 电话、…" (zh) or "name phone, …" of ids, for the messages. */
char *presence_people_text(const Config *c, char *const *ids, const char *lang);
