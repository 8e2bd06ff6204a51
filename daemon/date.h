/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Civil dates and times of day. Pure: no clock, no time zone database.
 *
 * A Day is the number of days since 1970-01-01 in the proleptic Gregorian calendar, so that day
 * arithmetic is integer arithmetic. Minutes are minutes since local midnight (0..1439). */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

typedef int32_t Day;

#define DAY_NONE INT32_MIN
#define DAY_STRING_MAX 11 /* "YYYY-MM-DD" + NUL */
#define DAY_MIN_YEAR 1900
#define DAY_MAX_YEAR 2999

bool ymd_is_valid(int year, int month, int day);
Day day_from_ymd(int year, int month, int day);
void day_to_ymd(Day d, int *ret_year, int *ret_month, int *ret_day);
int day_year(Day d);
/* ISO weekday: 1 = Monday … 7 = Sunday. */
int day_weekday(Day d);
static inline bool day_is_weekend(Day d) {
        return day_weekday(d) >= 6;
}

/* Strict "YYYY-MM-DD" (years DAY_MIN_YEAR..DAY_MAX_YEAR). Returns 0 or -EINVAL; ret untouched on failure. */
int day_parse(const char *s, Day *ret);
/* Writes "YYYY-MM-DD" into buf and returns buf. */
char *day_format(Day d, char buf[static DAY_STRING_MAX]);

/* Strict "HH:MM" (00:00..23:59). Returns 0 or -EINVAL. */
int minutes_parse(const char *s, int *ret_minutes);
char *minutes_format(int minutes, char buf[static 6]);

/* "YYYY-MM-DDTHH:MM" + NUL */
#define LOCAL_TIME_STRING_MAX (DAY_STRING_MAX + 6)

/* A moment named as "YYYY-MM-DD" (*ret_minutes = -1: the day as a whole) or "YYYY-MM-DDTHH:MM".
 * Returns 0 or -EINVAL; the outputs are untouched on failure. */
int local_moment_parse(const char *s, Day *ret_day, int *ret_minutes);

/* A point in time as the protocol writes it (RFC 3339, from 0.14): the office's local date and time
 * of day with seconds, and the local time's offset from UTC, e.g. "2026-12-07T09:30:00+08:00".
 * "YYYY-MM-DDTHH:MM:SS+hh:mm" + NUL. */
#define TIMESTAMP_STRING_MAX 26
#define SECONDS_PER_DAY (24 * 60 * 60)

/* Writes local day d at seconds since its midnight (0..86399), whose offset from UTC is
 * utc_offset_seconds (east positive; rounded to minutes as RFC 3339 has no seconds there), and
 * returns buf. The offset is the caller's: the core has no time zone database. */
char *timestamp_format(Day d, int seconds, int utc_offset_seconds, char buf[static TIMESTAMP_STRING_MAX]);

/* Strict RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS", an optional fraction (ignored), then "Z" or
 * "+hh:mm"/"-hh:mm" ("t", "z" and a space for the "T" allowed, as RFC 3339 allows). Returns the
 * date and time as written and the offset they were written in; the instant is
 * (*ret_day * 86400 + *ret_seconds - *ret_utc_offset_seconds) seconds after the epoch. 0 or
 * -EINVAL; the outputs are untouched on failure. */
int timestamp_parse(const char *s, Day *ret_day, int *ret_seconds, int *ret_utc_offset_seconds);
/* Whether s is one, for a client that passes it on as it is. */
static inline bool timestamp_is_valid(const char *s) {
        int seconds, offset;
        Day d;

        return timestamp_parse(s, &d, &seconds, &offset) >= 0;
}

/* How a client shows a point in time to a person: the office's local time, as dutyctl always has,
 * while the protocol carries RFC 3339 (0.14). */
typedef enum MomentForm {
        MOMENT_MINUTES,         /* "YYYY-MM-DD HH:MM" */
        MOMENT_SECONDS,         /* "YYYY-MM-DD HH:MM:SS" */
        MOMENT_T_MINUTES,       /* "YYYY-MM-DDTHH:MM" */
        MOMENT_T_SECONDS,       /* "YYYY-MM-DDTHH:MM:SS" */
        MOMENT_END,             /* "YYYY-MM-DD HH:MM", midnight as the day before's "24:00" (a leave's end) */
        _MOMENT_FORM_MAX,
        _MOMENT_FORM_INVALID = -EINVAL,
} MomentForm;

#define MOMENT_STRING_MAX 20
/* The local time of s ("2026-12-07T09:30:00+08:00") in form, written into buf; s itself when it
 * is not RFC 3339 (NULL, "-", an older dutyd's local text). */
const char *moment_text(const char *s, MomentForm form, char buf[static MOMENT_STRING_MAX]);
/* The duty day containing local date `d` at `minutes`, given the handover time: before the handover
 * the previous day's duty is still running. */
static inline Day duty_day_of(Day d, int minutes, int handover_minutes) {
        return minutes < handover_minutes ? d - 1 : d;
}

/* Chinese short weekday name ("周一" … "周日") and English ("Mon" … "Sun"). */
const char *day_weekday_zh(Day d);
const char *day_weekday_en(Day d);
