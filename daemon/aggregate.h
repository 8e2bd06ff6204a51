/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The aggregator role (dutyd.conf `aggregator = { … }`): reads the files systemd-journal-remote
 * writes for the offices (one set per office: remote-<office id>*.journal*, named after the
 * certificate of the sender in split-mode=host), takes their report entries and gap alerts into
 * the store, and at each notice's deadline tells the journal which offices have not sent their
 * roster (REPORT_MESSAGE_ID_DEADLINE).
 *
 * Incremental: per office the cursor of the last entry taken is kept in the store, written in the
 * transaction of what the entries produced (one transaction per turn, so that 2,000 offices are
 * not 2,000 commits); an office's files are opened again only when their sizes or times changed. Never long on the loop: a turn reads at most AGGREGATE_TURN_ENTRIES
 * entries and AGGREGATE_TURN_OFFICES offices, and the next turn follows at once while work
 * remains. An inotify watch on the directory brings the next turn forward to
 * AGGREGATE_WAKE_USEC after journal-remote writes; the files are looked at every
 * AGGREGATE_INTERVAL_USEC regardless (a directory that does not exist yet, a missed event), and
 * that turn also tells the deadlines. A database locked by another program is tried again at the
 * next turn. */

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

typedef struct Manager Manager;
typedef struct Aggregator Aggregator;

#define AGGREGATE_INTERVAL_USEC (2 * USEC_PER_SEC)
#define AGGREGATE_WAKE_USEC (200 * USEC_PER_MSEC)
#define AGGREGATE_TURN_ENTRIES 2000u
#define AGGREGATE_TURN_OFFICES 64u

int aggregator_new(Manager *m, Aggregator **ret);
Aggregator *aggregator_free(Aggregator *a);
DEFINE_POINTER_CLEANUP(Aggregator, aggregator_free)

/* One turn. Returns >0 when work remains (call again soon), 0 when caught up, or a negative errno
 * (logged). */
int aggregator_run(Aggregator *a);

/* Which offices of aggregator.offices are enrolled at this superior: the link
 * "dutyd-remote@<office id>.socket" in aggregator.enrolled_dir (what `systemctl enable`, run by
 * dutyd-superior-enroll, leaves there). Looked at again after a reload and at most every
 * AGGREGATE_ENROLMENT_RECHECK_USEC otherwise; the first look after a start or a reload writes one
 * warning (REPORT_MESSAGE_ID_NOT_ENROLLED) naming those not enrolled. *ret_enrolled: one flag per
 * office, in aggregator.offices' order, valid until the next call or reload; NULL when
 * enrolled_dir is "" (not checked: all enrolled). *ret_generation moves whenever a flag changes.
 * Returns 0 or -ENOMEM. */
/* After a reload: the next aggregator_enrolment() looks again and warns (the new configuration may
 * even sit where a freed one was). */
void aggregator_reloaded(Aggregator *a);
#define AGGREGATE_ENROLMENT_RECHECK_USEC (60 * USEC_PER_SEC)
int aggregator_enrolment(Aggregator *a, const bool **ret_enrolled, uint64_t *ret_generation);

/* The deadline of a notice report in µs since the epoch (office local time, as the notice gives
 * it). 0 for a time that cannot be represented. */
typedef struct NoticeReport NoticeReport;
uint64_t aggregator_deadline_usec(const NoticeReport *r);

