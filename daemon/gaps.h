/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The gap monitor's core: every hole in the duty coverage, from the state and "now". Pure: no I/O,
 * no clock, no logging.
 *
 * gaps_compute() looks at the duty days of a window (the duty day running now and the following
 * ones) and returns every gap, each with a stable id that names what it is about, so that the same
 * problem keeps its id from one computation to the next:
 *
 *   unfilled:DATE:POST:SLOT                a post of a duty day without a person
 *   leave_conflict:DATE:POST:SLOT:PERSON   the assignee is on approved leave or declared unavailable
 *   ineligible:DATE:POST:SLOT:PERSON       the assignee is no longer configured, active or eligible
 *   rule:RULE:DATE                         never_together or min_leaders_present broken on a duty day
 *                                          by the approved leaves together
 *   roster_missing:DATE                    a run of days within the roster horizon without a roster,
 *                                          named by its first day
 *   holiday_unpublished:YEAR-NAME          a holiday's roster not published by its deadline
 *   calendar_unknown:YEAR                  days of the window in a year without a holiday notice
 *   leave_overdue:ID                       a leave has ended and the return is not reported
 *   paperwork_overdue:ID                   an urgent leave's written form is late
 *   swap_pending:ID                        a swap still awaiting consent or approval close to the
 *                                          deadline its lead time sets
 *   acting_uncovered:DATE:PRINCIPAL        the person acting (代为主持工作) for a principal on approved
 *                                          leave is away or out of office that duty day
 *   takeover_missing:DATE:POST             nobody has taken over the post of the duty day running
 *                                          now, takeover_minutes after its handover (handover.h);
 *                                          its step grows as it escalates
 *   report_overdue:ID:REPORT               an emergency's report (phone, written) of log entry ID
 *                                          not recorded as sent by its deadline
 *   daily_report_missing:DATE              the daily report (零报告) of DATE not sent by its time
 *   presence_missed:ID                     presence check ID of the duty running now not confirmed
 *
 * The last three are told to the journal where they are found (log-watch.c, presence.c), once;
 * the gap monitor lists them and does not tell them again (gap_kind_told_by_monitor()).
 *
 * Each gap has an urgency from the time until the duty it threatens starts (see gaps_urgency()). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "dutylog.h"
#include "leave.h"
#include "roster.h"
#include "util.h"
#include "vocabulary.h"

/* Longest window a computation looks at, in days. */
#define GAPS_DAYS_MAX 366
/* A swap awaiting approval becomes a gap this long before its deadline. */
#define GAPS_SWAP_MARGIN_MINUTES (24 * 60)
/* The urgency thresholds, in minutes before the duty starts. */
#define GAPS_CRIT_MINUTES 60
#define GAPS_ERR_MINUTES (24 * 60)
#define GAPS_WARNING_MINUTES (7 * 24 * 60)

/* One gap. Every string but the static rule id is owned by the gap. */
typedef struct Gap {
        char *id;
        GapKind kind;
        GapUrgency urgency;
        Day day;                /* the duty day concerned (leave_overdue: the day the leave ended;
                                 * paperwork_overdue: the day it was due); DAY_NONE for none */
        Day until;              /* roster_missing, holiday_unpublished, calendar_unknown: the last day
                                 * of the range; else DAY_NONE */
        char *post;             /* Post.id, or NULL */
        int slot;               /* slot number, or -1 */
        char **people;          /* Person.ids concerned: the assignee; the people away (rule); the
                                 * person on leave; the requester and the counterpart (swap); the
                                 * principal and the person acting (acting_uncovered) */
        size_t n_people;
        const char *rule;       /* GAP_RULE: RULES_NEVER_TOGETHER or RULES_MIN_LEADERS_PRESENT;
                                 * GAP_ACTING_UNCOVERED: RULES_ACTING_AWAY */
        int64_t leave_id;       /* the leave concerned, or 0 */
        int64_t swap_id;        /* the swap concerned, or 0 */
        char *name;             /* holiday_unpublished: the holiday's name */
        int year;               /* calendar_unknown, holiday_unpublished: the year; else 0 */
        GapIneligible ineligible; /* GAP_INELIGIBLE: why; else _GAP_INELIGIBLE_INVALID */
        bool unavailable;       /* leave_conflict: declared unavailability rather than leave */
        LeaveTime due;          /* leave_overdue: the end of the leave; swap_pending: the deadline */
        int step;               /* takeover_missing: the escalation step (handover_step()); else 0.
                                 * A higher step is told again, as a higher urgency is. */
        size_t n_due;           /* takeover_missing: people[0 … n_due) are due on the post, the
                                 * others are told as the alert escalates; else 0 */
        int64_t since;          /* takeover_missing: minutes since the handover; report_overdue,
                                 * daily_report_missing: minutes late; else 0 */
        int64_t log_id;         /* report_overdue: the emergency's log entry; else 0 */
        DutyLogReport report;   /* report_overdue: which report; else _DUTYLOG_REPORT_INVALID */
        int64_t check_id;       /* presence_missed: the presence check; else 0 */
        int at_minutes;         /* presence_missed: when it was asked, minutes since the local
                                 * midnight of at_day; else 0 */
        Day at_day;             /* presence_missed: idem; else DAY_NONE */
} Gap;

void gap_done(Gap *g);
Gap *gaps_free_many(Gap *g, size_t n);

/* A published range of the roster. */
typedef struct GapsPublication {
        Day from, to;
} GapsPublication;

/* A swap still waiting for the counterpart's consent or an approval. */
typedef struct GapsSwap {
        int64_t id;
        Day day;                /* the first duty day it touches */
        const char *post;       /* the requester's post */
        int slot;
        const char *requester;
        const char *counterpart;
        Day deadline_day;       /* the local instant it must be approved by (swap_deadline()) */
        int deadline_minutes;
} GapsSwap;

/* A post of a duty day someone has taken over (接班). */
typedef struct GapsTakeover {
        Day day;
        const char *post;
} GapsTakeover;

/* A report the duty owes and has not sent by its deadline, as the caller's clock sees it: an
 * emergency's (log_id > 0) or a daily report (log_id 0). */
typedef struct GapsReport {
        int64_t log_id;
        DutyLogReport report;   /* log_id > 0: which of its reports */
        Day day;                /* the duty day of the entry, or of the daily report */
        int64_t overdue;        /* minutes late */
        const char *person;     /* who wrote the entry; NULL when unknown or a daily report */
} GapsReport;

/* A presence check nobody confirmed in time. */
typedef struct GapsPresenceMiss {
        int64_t id;
        Day duty_day;
        Day day;                /* local moment it was asked */
        int minutes;
} GapsPresenceMiss;

typedef struct GapsInput {
        const Config *config;
        const Calendar *calendar;       /* with the runtime sensitive periods, for the post counts */
        Day today;                      /* local date now */
        int now_minutes;                /* local time now, minutes since midnight */
        unsigned days;                  /* the window: this many duty days from the one running now;
                                         * 0: config->roster.horizon_days. At most GAPS_DAYS_MAX. */
        /* The stored roster of the window (slots of other days are ignored). */
        const RosterSlot *slots;
        size_t n_slots;
        /* Leave that may matter, states as stored: approved or started over the window, approved
         * or started that ended (overdue), urgent with the written form missing. Others are
         * ignored. Ids must be distinct and non-zero. */
        const Leave *leaves;
        size_t n_leaves;
        /* Declared unavailability over the window. */
        const RosterAbsence *absences;
        size_t n_absences;
        /* Publications covering any day from today on. */
        const GapsPublication *publications;
        size_t n_publications;
        /* Open swaps (proposed or accepted). */
        const GapsSwap *swaps;
        size_t n_swaps;
        /* Takeovers are watched (watch_takeovers) from the duty day takeover_from on: the first one
         * the office took over with dutyd; before that, nobody was asked to. */
        bool watch_takeovers;
        Day takeover_from;
        /* The takeovers of the duty day running now. */
        const GapsTakeover *takeovers;
        size_t n_takeovers;
        /* Reports overdue now (the clock is the caller's); every one is a gap, crit. */
        const GapsReport *reports;
        size_t n_reports;
        /* Missed presence checks; those of the duty day running now are gaps, crit. */
        const GapsPresenceMiss *presence_misses;
        size_t n_presence_misses;
} GapsInput;

/* The urgency of a gap whose duty starts at the handover of `duty_day`, as seen at local
 * (today, now_minutes): crit when it starts today (or has started) or within GAPS_CRIT_MINUTES,
 * err within GAPS_ERR_MINUTES, warning within GAPS_WARNING_MINUTES, notice otherwise. */
GapUrgency gaps_urgency(Day today, int now_minutes, int handover_minutes, Day duty_day);

/* Minutes from local (today, now_minutes) to the next instant at which the urgency of some gap may
 * change by time alone: midnight, the handover and an hour before it. Always > 0. */
int gaps_minutes_to_next_boundary(int now_minutes, int handover_minutes);

/* Every gap of the input, ordered by day (those without a day first), then id; ids are unique.
 * Returns 0 with a newly allocated array (NULL when there is no gap), -EINVAL for a malformed input
 * (no config or calendar, today DAY_NONE, days above GAPS_DAYS_MAX, arrays missing), -ENOMEM. */
int gaps_compute(const GapsInput *in, Gap **ret, size_t *ret_n);

/* Whether the gap monitor tells the journal of gaps of kind k. Overdue reports and missed presence
 * checks are told where they are found (log-watch.c, presence.c), with their own MESSAGE_IDs and
 * fields; telling them again as gaps would alert twice. */
bool gap_kind_told_by_monitor(GapKind k);

/* A full sentence about the gap in lang ("en", else Chinese), names taken from c (ids when a person
 * or post is not configured). Returns a newly allocated string, or NULL on OOM. */
char *gap_message(const Gap *g, const Config *c, const char *lang);
