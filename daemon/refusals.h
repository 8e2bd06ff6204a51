/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The tally of refused calls by unknown callers (guests). Pure: no I/O, no clock. A guest can be
 * refused as fast as it can connect; one audit row (and one fdatasync) per refusal would let any
 * local user grow the log without bound. So the first refusal of a uid is audited at once, as
 * every refusal of a known person is, and the ones after it are counted here until the interval
 * ends: then one row per uid stands for them, with their count. The table has a fixed size: uids
 * that find it full are counted together in one "others" entry. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define REFUSAL_TALLY_SIZE 64u
#define REFUSAL_TALLY_INTERVAL_USEC (60u * UINT64_C(1000000))
/* The uid of the row that stands for the uids which found the table full. */
#define REFUSAL_UID_OTHERS ((uid_t) -1)
/* Longer method names are kept cut: they are only reported. */
#define REFUSAL_METHOD_MAX 64u
/* The method of a row whose refusals were of different methods. */
#define REFUSAL_METHOD_SEVERAL "(several)"

typedef struct RefusalEntry {
        uid_t uid;
        bool used;
        uint64_t count;                         /* refusals since the last row, not yet written */
        char method[REFUSAL_METHOD_MAX];        /* the method refused, or REFUSAL_METHOD_SEVERAL */
} RefusalEntry;

typedef struct RefusalTally {
        RefusalEntry entries[REFUSAL_TALLY_SIZE];
        RefusalEntry others;                    /* uid REFUSAL_UID_OTHERS, used once it counted */
} RefusalTally;

/* Records one refusal of method to uid. True if the caller is to audit this one on its own (the
 * uid's first in the interval); false if it was counted, for refusal_tally_flush(). */
bool refusal_tally_add(RefusalTally *t, uid_t uid, const char *method);

/* The interval ended: calls write_row once per entry with refusals counted (the others entry
 * last), then forgets the uids that had none in this interval and sets the others to zero, so that
 * a uid still being refused keeps being counted and gets one row per interval. write_row's
 * negative return leaves its entry's count for the next flush. Returns how many entries remain
 * (0: nothing to wait for). */
typedef int (*RefusalWriteRow)(uid_t uid, const char *method, uint64_t count, void *userdata);
size_t refusal_tally_flush(RefusalTally *t, RefusalWriteRow write_row, void *userdata);

/* Refusals counted and not yet written. */
uint64_t refusal_tally_pending(const RefusalTally *t);
