/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Roster generation and checking. Pure core: no I/O, no clock, no logging.
 *
 * A roster is a list of slots, one per (duty day, post, slot number). The generator fills every
 * slot of a range of days from the people of the configuration, keeping every hard constraint:
 *
 *   - a post is taken only by a person with the post's role, active on that day;
 *   - nobody takes a duty on a day of approved leave or declared unavailability;
 *   - nobody holds two posts on one duty day;
 *   - between two duties of one person lie at least min_rest_days free days (across posts and across
 *     the range boundary, counting the stored duties just outside the range);
 *   - locked assignments are kept as they are.
 *
 * A slot that cannot be filled without breaking one of them stays empty with the reason. Within the
 * constraints duties are shared out fairly per category of day (workday, weekend, holiday; a special
 * day counts as a holiday with its weight), counting what people did before the range
 * (RosterHistory). Each person is compared with their prorated expectation: the load of their role's
 * posts on the days they were active, divided among the people active on each day, so someone who
 * joins or leaves mid-year is neither given a history they never had to catch up on nor spared.
 * A special day goes first to whoever had it (by name) longest ago, never twice before everybody
 * eligible had it once when that can be helped. Officers on duty together are paired as little as
 * the numbers allow. When a role's daily demand exceeds what its people can cover under the rest
 * rule over a run of days, the shortfall is spread evenly over the run. The result depends only on
 * the input: the seed breaks ties, nothing else is random.
 *
 * Locked slots come back as they were given (person, reason, assume_ordinary), only their post
 * string pointing at the Config's id. Strings in the slots the generator returns (post and person
 * ids) are borrowed from the Config and from the caller's `existing` slots, and stay valid as long as
 * those do. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "util.h"
#include "vocabulary.h"

/* Longest range generated or checked at once, in days: three years and a leap day. */
#define ROSTER_DAYS_MAX 1097
/* Largest minimum rest between two duties, in days. */
#define ROSTER_REST_DAYS_MAX 31
/* Highest slot number (exclusive) a post may have on one day. */
#define ROSTER_SLOTS_MAX 1000
#define ROSTER_MIN_REST_DAYS_DEFAULT 1

/* The office's roster.min_rest_days, at most ROSTER_REST_DAYS_MAX. */
static inline unsigned roster_rest_days(const Config *c) {
        return c->roster.min_rest_days < ROSTER_REST_DAYS_MAX ? c->roster.min_rest_days : ROSTER_REST_DAYS_MAX;
}

/* A sentence for people; lang "en" gives English, anything else (NULL, "zh") Chinese. */
const char *roster_empty_reason_message(RosterEmptyReason r, const char *lang);

typedef struct RosterSlot {
        Day day;
        const char *post;       /* Post.id */
        int slot;               /* 0 … count-1 */
        const char *person;     /* Person.id, or NULL: empty */
        bool locked;            /* kept as it is when the range is generated again */
        RosterEmptyReason reason; /* why it is empty; ROSTER_EMPTY_NONE when filled */
        bool assume_ordinary;   /* the day's year had no holiday notice and was taken as ordinary */
} RosterSlot;

typedef struct RosterAbsence {
        const char *person;
        Day from, to;           /* inclusive */
        RosterAbsenceKind kind;
} RosterAbsence;

/* What a person did before the range: weighted load per category, the load expected of them
 * (their share of their roles' load on the days they were active; 0 when unknown) and the last duty
 * day (DAY_NONE if none). */
typedef struct RosterHistory {
        const char *person;
        unsigned load[_FAIR_MAX];
        double expected[_FAIR_MAX];
        Day last_served;
} RosterHistory;

typedef struct RosterInput {
        const Config *config;
        const Calendar *calendar;
        Day from, to;                   /* inclusive */
        bool assume_ordinary;           /* plan days of unknown years as ordinary weekdays/weekends */
        /* Stored assignments in and around the range. Inside it the locked ones are kept and the
         * others are replaced; outside it they count for the rest rule. */
        const RosterSlot *existing;
        size_t n_existing;
        const RosterAbsence *absences;
        size_t n_absences;
        const RosterHistory *history;
        size_t n_history;
        /* Duties held on special days before the range, of any age (only day and person are read):
         * who had which special day (by name) last, for the rotation across years. */
        const RosterSlot *special_past;
        size_t n_special_past;
        unsigned min_rest_days;         /* free days required between two duties; 0: none */
        uint64_t seed;                  /* breaks ties */
} RosterInput;

/* How one day is planned. */
typedef struct RosterDay {
        DayType type;                   /* as the calendar says (DAY_TYPE_UNKNOWN possible) */
        PostDayType post_day;           /* column of the post-count table */
        bool sensitive;                 /* inside a sensitive period */
        unsigned extra_officers;        /* largest extra_officers of the periods covering it */
        FairnessCategory category;      /* never FAIR_SPECIAL: a special day is FAIR_HOLIDAY */
        unsigned weight;                /* load one duty adds in the category */
        const SpecialDay *special;      /* the special day, or NULL */
        bool assume_ordinary;           /* unknown, taken as ordinary */
} RosterDay;

/* Classifies a day. Returns 0, or -ENODATA for an unknown day when !assume_ordinary (ret untouched). */
int roster_day_classify(const Calendar *cal, Day day, bool assume_ordinary, RosterDay *ret);

/* People needed on `post` on a day: the count of the day's type; in a sensitive period at least the
 * sensitive count, plus the period's extra officers on officer posts. */
unsigned roster_post_count(const Post *post, const RosterDay *day);

/* Generates every slot of in->from … in->to, ordered by day, then post in configuration order, then
 * slot number (a locked slot of a post no longer configured comes last in its day). Returns 0 and a
 * newly allocated array (free()), -ENODATA with the first unknown day in *ret_unknown_day (may be
 * NULL) when a day is unknown and !in->assume_ordinary, -EINVAL for a malformed input (days outside
 * DAY_MIN_YEAR … DAY_MAX_YEAR, an absence ending before it starts, an existing slot without a post or
 * with a slot number outside 0 … ROSTER_SLOTS_MAX-1, a post with an invalid role), -ERANGE for a
 * range longer than ROSTER_DAYS_MAX or a rest longer than ROSTER_REST_DAYS_MAX, -ENOMEM. */
/* Orders slots by day, then post, then slot number. */
int roster_slot_compare(const RosterSlot *x, const RosterSlot *y);

int roster_generate(const RosterInput *in, RosterSlot **ret_slots, size_t *ret_n, Day *ret_unknown_day);

const char *roster_violation_message(RosterViolationKind k, const char *lang);

typedef struct RosterViolation {
        RosterViolationKind kind;
        Day day;
        const char *post;       /* borrowed from the slot checked */
        int slot;
        const char *person;     /* may be NULL (LOCKED: the person the locked slot had) */
        Day other_day;          /* REST, SAME_DAY: the other duty; DAY_NONE otherwise */
} RosterViolation;

/* Checks `slots` as the roster of in->from … in->to against every hard constraint, with the same
 * input the generator takes (existing slots, absences, rest). Returns 0 and a newly allocated array
 * of violations (free(); NULL with *ret_n == 0 when there is none), ordered by day, post, slot, kind;
 * or -EINVAL, -ERANGE, -ENOMEM. */
int roster_check(const RosterInput *in, const RosterSlot *slots, size_t n,
                 RosterViolation **ret, size_t *ret_n);

/* History from past slots (empty slots and people no longer configured are skipped; days of unknown
 * years count as ordinary). One entry per configured person, in configuration order, person pointing
 * at the Config's id; `expected` is each person's share of the filled load over the days the slots
 * span (first to last), so that someone who arrived during them owes only their part. */
int roster_history_from_slots(const Config *c, const Calendar *cal, const RosterSlot *slots, size_t n,
                              RosterHistory **ret, size_t *ret_n);

typedef struct RosterPersonStats {
        const char *person;             /* Person.id */
        unsigned count[_FAIR_MAX];      /* duties; FAIR_HOLIDAY includes the special days */
        unsigned load[_FAIR_MAX];       /* weighted duties */
        /* Weighted load expected of the person: on each day they were active, the filled load of
         * their roles' posts divided by the people of that role active that day. */
        double expected[_FAIR_MAX];
        unsigned total;                 /* duties of all categories */
        unsigned active_days;           /* days of the range the person was active */
        bool full_range;                /* active on every day of the range */
} RosterPersonStats;

typedef struct RosterStats {
        RosterPersonStats *people;      /* one per configured person, configuration order */
        size_t n_people;
        /* Per role taking some post, per category: max - min weighted load among the people with
         * that role active on every day of the range. 0 when fewer than two such people. */
        bool role_posted[_ROLE_MAX];
        unsigned spread[_ROLE_MAX][_FAIR_MAX];
        /* The same over everybody of the role active some day of the range, prorated: max - min of
         * load - expected. */
        double prorated_spread[_ROLE_MAX][_FAIR_MAX];
        unsigned empty;                 /* slots left empty */
        unsigned filled;
} RosterStats;

/* Statistics over the slots of from … to (slots outside are ignored; unknown days count as
 * ordinary). Returns 0 and *ret, -EINVAL or -ENOMEM. */
int roster_stats(const Config *c, const Calendar *cal, Day from, Day to, const RosterSlot *slots, size_t n,
                 RosterStats **ret);
RosterStats *roster_stats_free(RosterStats *s);
DEFINE_POINTER_CLEANUP(RosterStats, roster_stats_free)

/* A daily post count of a role that its eligible people cannot cover under the rest rule: with
 * rest r, one person serves at most once in any 1+r consecutive days, so a run of days needing
 * `needed` people a day takes needed × (1+r) people, and `eligible` people give at most
 * eligible / (1+r) a day. */
typedef struct RosterShortfall {
        Role role;
        PostDayType day_type;           /* POST_DAY_SENSITIVE with `period` set */
        const char *period;             /* SensitivePeriod.id for a sensitive period's count */
        unsigned needed;                /* people of the role needed a day */
        unsigned rest;                  /* min_rest_days */
        unsigned eligible;              /* people with the role */
        unsigned per_day;               /* eligible / (1 + rest): most people a day over a run */
} RosterShortfall;

/* Every shortfall of the configuration, per role and post day type (and sensitive period). Returns
 * 0 and a newly allocated array (NULL with *ret_n == 0 when there is none), -EINVAL or -ENOMEM. */
int roster_feasibility(const Config *c, RosterShortfall **ret, size_t *ret_n);
/* The shortfall with its arithmetic, as a sentence for the clerk; lang as above. Returns a newly
 * allocated string, or NULL on ENOMEM. */
char *roster_shortfall_format(const RosterShortfall *s, const char *lang);
