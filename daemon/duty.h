/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The roster's requests, put together from the configuration, the store and the pure core
 * (calendar.c, roster.c). No JSON and no Manager: the caller passes the store, the configuration
 * and the duty day running now, so that everything here runs against a temporary store in tests.
 *
 * Every mutation runs in one store transaction and is committed before the function returns 0.
 * Duty days before `today` (the duty day running now) are read-only; generation leaves `today`
 * alone too, once it has a roster. A day covered by a published version changes only as an
 * amendment (DutyAmend), which is recorded with the change.
 *
 * Failures the caller should explain to a person fill a Refusal (refusal.h: kind, rule, day,
 * message in the configured language) and return a negative errno; a failure with
 * problem->kind == REFUSAL_NONE is an internal one (the store, memory). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "date.h"
#include "refusal.h"
#include "roster.h"
#include "store.h"

/* Longest range a calendar or roster view covers, in days. */
#define DUTY_VIEW_DAYS_MAX 1100
/* Longest range generated at once, in days. */
#define DUTY_GENERATE_DAYS_MAX 400
/* How far back stored duties count for fairness when a range is generated, in days, at least: back to
 * the same date a year before (366 days across a leap day). */
#define DUTY_HISTORY_DAYS 365
/* Sensitive periods and unavailability entries the store holds at most. */
#define DUTY_SENSITIVE_STORED_MAX 1000
#define DUTY_UNAVAILABLE_STORED_MAX 10000
/* Officers a sensitive period adds at most. */
#define DUTY_EXTRA_OFFICERS_MAX 100
/* Longest name or reason given in a request, in bytes. */
#define DUTY_TEXT_MAX 256

/* The reason code stored with an empty slot: the generator's roster_empty_reason_to_string(), or
 * this one for a slot emptied by hand. */
#define DUTY_REASON_UNASSIGNED "unassigned"
/* Sources of an assignment (StoreAssignment.source). */
#define DUTY_SOURCE_GENERATED STORE_ASSIGNMENT_SOURCE_DEFAULT
#define DUTY_SOURCE_MANUAL "manual"

/* Rule ids beside roster_violation_kind_to_string()'s. */
#define DUTY_RULE_PAST "past"            /* a duty day before the one running now */
#define DUTY_RULE_POST_FULL "post_full"  /* every slot of the post is taken that day */
#define DUTY_RULE_PUBLISHED "published"  /* the day belongs to a published version (Refusal.version) */

/* 0 if id names a configured person, else -ENOENT and a NOT_FOUND problem. */
int duty_person_require(const Config *c, const char *id, Refusal *ret_problem);

/* A sentence for a stored reason code (roster codes and DUTY_REASON_UNASSIGNED) in lang ("en" or
 * Chinese); the code itself when unknown, NULL for NULL. */
const char *duty_reason_message(const char *code, const char *lang);
/* The sentence shown with a filled slot planned over a year without a holiday notice. */
const char *duty_assume_ordinary_message(const char *lang);

/* The calendar the roster sees: the configuration's data, with the sensitive periods of both the
 * configuration and the store. calendar.sensitive points into `sensitive`, whose first n_config
 * entries borrow their strings from the Config (which must outlive this) and the others own
 * theirs. */
typedef struct DutyCalendar {
        Calendar calendar;
        SensitivePeriod *sensitive;
        size_t n_sensitive;
        size_t n_config;
} DutyCalendar;

int duty_calendar_load(Store *s, const Config *c, DutyCalendar *ret);
void duty_calendar_done(DutyCalendar *dc);

/* The absences that keep people off duty, person ids borrowed from the Config. */
typedef struct DutyAbsences {
        RosterAbsence *items;
        size_t n;
        size_t allocated;
} DutyAbsences;

void duty_absences_done(DutyAbsences *a);
/* Appends one absence of a configured person (others are skipped: nobody schedules them). */
int duty_absences_add(DutyAbsences *a, const Config *c, const char *person, Day from, Day to,
                      RosterAbsenceKind kind);
/* Every absence overlapping from..to: declared unavailability and approved (or started) leave. The
 * one place generation and manual checks learn who is away. */
int duty_absences_collect(Store *s, const Config *c, Day from, Day to, DutyAbsences *ret);

/* Slots as stored: each with its own strings. */
typedef struct DutyRoster {
        StoreAssignment *slots;
        size_t n_slots;
        unsigned filled;
        unsigned empty;
        bool stored;
        Day from;               /* generation: the first day planned (after the duty under way) */
} DutyRoster;

/* A change of published days made explicitly as an amendment: who asks, when and why. Without one
 * (NULL, or amend false) a change touching a day of a published version is refused with rule
 * DUTY_RULE_PUBLISHED naming the version and the day. With one, each slot whose person changes on
 * a published day is recorded (StoreAmendment) in the same transaction, and handed back in
 * `recorded` for the journal. A change of days never published records nothing. */
typedef struct DutyAmend {
        bool amend;
        const char *reason;     /* required with amend, at most DUTY_TEXT_MAX bytes */
        uid_t uid;
        const char *by;         /* the caller's Person.id, NULL for root */
        uint64_t now_usec;
        StoreAmendment *recorded;       /* out, owned: freed by duty_amend_done() */
        size_t n_recorded;
} DutyAmend;

void duty_amend_done(DutyAmend *a);

/* The journal entry of one amendment (packaging/dutyd.catalog explains it). Never change it. */
#define DUTY_MESSAGE_ID_AMENDMENT "5d9c5712d0944e3b887ac943dd50b774"

/* Per day of from..to, the newest published version covering it (0: never published). */
int duty_published_versions(Store *s, Day from, Day to, int **ret);

/* Records the change of one slot of day from `before` to `after` (people, NULL: empty) as an
 * amendment of the version covering day, if one does and the person changes; nothing otherwise.
 * For callers that decided the change is allowed (an approved swap). */
int duty_amend_slot(Store *s, DutyAmend *amend, Day day, const char *post, int slot, const char *before,
                    const char *after);

void duty_roster_done(DutyRoster *r);
/* Frees the strings of one slot (not the slot itself). */
void duty_assignment_done(StoreAssignment *a);

typedef struct DutyGenerateRequest {
        Day from, to;           /* inclusive, at most DUTY_GENERATE_DAYS_MAX days */
        Day today;              /* the duty day running now */
        bool dry_run;           /* compute only */
        bool assume_ordinary;   /* plan days of unknown years as ordinary, flagging the slots */
        bool replace_manual;    /* plan again the slots filled by hand (source "manual") */
        DutyAmend *amend;       /* may be NULL: published days are refused */
} DutyGenerateRequest;

/* Generates the range: loads the stored duties around it (for the rest rule and the kept slots)
 * and the year before it (for fairness), the absences, and the merged calendar; runs the
 * generator; then, unless dry_run, replaces the range's slots except the kept ones, every slot
 * stored, the empty ones with their reason code. All in one transaction.
 *
 * Kept as they are: the days up to today (past days and the duty under way: only days after
 * today are planned, and ret->from says from which; today only if it has no slot at all), locked
 * slots, applied swaps and
 * substitutions, and slots filled by hand unless replace_manual. A range that ends by today is
 * refused (rule DUTY_RULE_PAST); a published day in what would be planned is refused (rule
 * DUTY_RULE_PUBLISHED) unless req->amend or dry_run; a day of an unknown year without assume_ordinary gives
 * -ENODATA and REFUSAL_CALENDAR_UNKNOWN. */
int duty_generate(Store *s, const Config *c, const DutyGenerateRequest *req, DutyRoster *ret,
                  Refusal *ret_problem);

/* The holiday run to generate: with name NULL the next run that has not begun by today; with a
 * name, that holiday's run in `year`, or (year 0) this year's if it has not begun yet, else next
 * year's. Returns 0, -ENOENT (NOT_FOUND), -ENODATA (CALENDAR_UNKNOWN). */
int duty_holiday_find(const Config *c, const char *name, int year, Day today, HolidayRun *ret,
                      Refusal *ret_problem);

/* Puts person on post for day: into the post's first free slot (the day's post count, as the
 * generator would plan it), after checking every hard rule for that slot (eligibility, active
 * dates, leave, unavailability, another post that day, rest). Idempotent when the person already
 * holds the post that day (lock then only ever sets the lock). *ret gets the stored slot (its own
 * strings). */
int duty_assign(Store *s, const Config *c, Day today, Day day, const char *post, const char *person,
                bool lock, DutyAmend *amend, StoreAssignment *ret, Refusal *ret_problem);
/* Takes person off post for day; the slot stays, empty, with reason DUTY_REASON_UNASSIGNED and
 * unlocked, so the next generation may fill it. Both refuse a published day unless amend says
 * it is an amendment (see DutyAmend). */
int duty_unassign(Store *s, const Config *c, Day today, Day day, const char *post, const char *person,
                  DutyAmend *amend, Refusal *ret_problem);

/* Per day of from..to, the amendments recorded since the version covering it: version[i] (0: never
 * published) and amendments[i], both newly allocated arrays of to - from + 1. */
int duty_amendment_counts(Store *s, Day from, Day to, int **ret_version, unsigned **ret_amendments);

/* Freezes from..to as the next version. Refused (REFUSED naming the day) when a day of the range
 * has no roster at all. *ret_empty (may be NULL) gets the number of empty slots published. */
int duty_publish(Store *s, const Config *c, Day from, Day to, uint64_t now_usec, int *ret_version,
                 unsigned *ret_empty, Refusal *ret_problem);

typedef struct DutyChange {
        Day day;
        char *post;
        int slot;
        int version;            /* the publication the day is compared with */
        char *before;           /* person in the publication, or NULL */
        char *after;            /* person now, or NULL */
} DutyChange;

typedef struct DutyDiff {
        int version;
        Day from, to;
        DutyChange *changes;
        size_t n_changes;
        size_t allocated;
} DutyDiff;

void duty_diff_done(DutyDiff *d);
/* What changed in the roster since publication `version`, ordered by day, post, slot. With version
 * 0, every published day is compared with the newest version covering it (d->version is then the
 * newest of all, from..to the span of the publications). -ENOENT (NOT_FOUND) when there is no
 * such publication. */
int duty_diff(Store *s, const Config *c, int version, DutyDiff *ret, Refusal *ret_problem);

typedef struct DutyStats {
        int year;
        RosterStats *stats;
        Day *last;              /* per configured person: last duty of the year up to today, or DAY_NONE */
        size_t n_last;
} DutyStats;

void duty_stats_done(DutyStats *st);
/* Fairness statistics over the stored roster of `year`. */
int duty_stats(Store *s, const Config *c, int year, Day today, DutyStats *ret);

/* Adds a runtime sensitive period. */
int duty_sensitive_add(Store *s, const Config *c, const char *name, Day from, Day to, unsigned extra_officers,
                       LeavePolicy leave, uint64_t now_usec, int64_t *ret_id, Refusal *ret_problem);
/* Removes a runtime period by its id (the number as a string). A period of the configuration is
 * refused (REFUSED: it is edited in the file). */
int duty_sensitive_remove(Store *s, const Config *c, const char *id, Refusal *ret_problem);

/* Declares that a configured person cannot take duties from..to. */
int duty_unavailable_add(Store *s, const Config *c, const char *person, Day from, Day to, const char *reason,
                         int64_t *ret_id, Refusal *ret_problem);
int duty_unavailable_remove(Store *s, const Config *c, int64_t id, Refusal *ret_problem);
