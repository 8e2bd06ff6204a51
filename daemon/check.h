/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Spot checks (查岗): the general duty office, or an inspector, calls or visits the duty room at a
 * time of its choosing and records whether the duty room, the officer on duty or the leader on call
 * answered, how and how fast. The records are the material of the monthly circular (通报).
 *
 * Pure: who may record a check, which post a target means, which duty day a moment belongs to, and
 * a month's tally. No I/O; the store keeps the records (store-check.c), api-check.c serves them. */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "date.h"
#include "vocabulary.h"

/* Longest remark kept, in bytes. */
#define CHECK_REMARKS_MAX 500
/* Longest time to answer worth recording, in seconds (one hour: beyond that it was not answered). */
#define CHECK_SECONDS_MAX 3600

typedef struct SpotCheck {
        int64_t id;
        Day day;                /* local date and time of the check */
        int minutes;
        Day duty_day;           /* the duty day the moment falls in (before the handover: the day before) */
        CheckTarget target;
        char *person;           /* Person.id of who was checked; NULL: the duty room as such */
        CheckHow how;
        bool answered;
        int seconds;            /* how long it took to answer; -1 when not measured */
        char *remarks;          /* NULL when none */
        char *recorded_by;      /* Person.id of who recorded it; NULL for root without a person entry */
        uint64_t recorded_usec; /* wall clock when it was recorded */
} SpotCheck;

void spot_check_done(SpotCheck *c);
SpotCheck *spot_check_free_many(SpotCheck *c, size_t n);

/* Whether person (NULL: a caller without a person entry) may record a spot check: inspectors and
 * administrators, and root. The people on duty never check themselves. */
bool check_may_record(const Person *person, bool root);

/* The role of the posts whose holder a target means: ROLE_OFFICER, ROLE_LEADER, or _ROLE_INVALID for
 * the duty room as such (whoever answers its phone). */
Role check_target_role(CheckTarget t);

/* The duty day of a check made at local day d, minutes after midnight. */
static inline Day check_duty_day(Day d, int minutes, int handover_minutes) {
        return duty_day_of(d, minutes, handover_minutes);
}

/* One line of the circular: the checks of a target in a period. */
typedef struct CheckTally {
        unsigned n;             /* checks */
        unsigned answered;
        unsigned timed;         /* answered checks with a time to answer */
        uint64_t seconds_sum;   /* over the timed ones */
        int seconds_max;        /* -1 when none timed */
} CheckTally;

/* Tallies checks per target into ret[target] and, over all targets, ret[_CHECK_TARGET_MAX]. */
void check_tally(const SpotCheck *checks, size_t n, CheckTally ret[static _CHECK_TARGET_MAX + 1]);

/* The first and last day of the month of d. */
void check_month(Day d, Day *ret_from, Day *ret_to);

/* ---- Presence checks (在岗抽查): dutyd asks, the people on duty confirm with `dutyctl ack` ---- */

/* The secret that makes the moments unpredictable to the people on duty, kept in the database. */
#define CHECK_SEED_SIZE 32

typedef struct PresenceCheck {
        int64_t id;
        Day duty_day;
        unsigned window;        /* index among the configured windows */
        Day day;                /* local moment it was asked */
        int minutes;
        Day due_day;            /* local moment by which it is confirmed */
        int due_minutes;
        PresenceState state;
        char *acked_by;         /* Person.id, for acknowledged */
        Day acked_day;          /* DAY_NONE unless acknowledged */
        int acked_minutes;
} PresenceCheck;

void presence_check_done(PresenceCheck *p);
PresenceCheck *presence_check_free_many(PresenceCheck *p, size_t n);

/* Parses "HH:MM-HH:MM" into *ret. The window may run past midnight but must lie within one duty day
 * (handover to handover): -ERANGE when it contains the handover time, -EINVAL when malformed or
 * empty. *ret untouched on failure. */
int check_presence_window_parse(const char *s, int handover_minutes, PresenceWindow *ret);

/* The moment of the presence check of window number `window` (w) on duty_day: a minute of the
 * window drawn from seed, duty_day and window, the same every time they are the same. */
void check_presence_moment(const uint8_t seed[static CHECK_SEED_SIZE], Day duty_day, unsigned window,
                           const PresenceWindow *w, int handover_minutes, Day *ret_day, int *ret_minutes);

/* Local day and minutes plus `minutes` minutes. */
void check_moment_add(Day d, int minutes, unsigned add, Day *ret_day, int *ret_minutes);

/* Whether local moment (a_day, a_minutes) is at or after (b_day, b_minutes). */
static inline bool check_moment_reached(Day a_day, int a_minutes, Day b_day, int b_minutes) {
        return a_day > b_day || (a_day == b_day && a_minutes >= b_minutes);
}

/* Whether person may confirm a presence check of a duty day whose people on duty (post holders)
 * are on_duty[0..n): only they. Administrators may not confirm for them, or the check would
 * prove nothing. */
bool check_may_ack(const char *person, const char *const *on_duty, size_t n);
