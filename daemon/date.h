/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Civil dates and times of day. Pure: no clock, no time zone database.
 *
 * A Day is the number of days since 1970-01-01 in the proleptic Gregorian calendar, so that day
 * arithmetic is integer arithmetic. Minutes are minutes since local midnight (0..1439). */

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

/* The duty day containing local date `d` at `minutes`, given the handover time: before the handover
 * the previous day's duty is still running. */
static inline Day duty_day_of(Day d, int minutes, int handover_minutes) {
        return minutes < handover_minutes ? d - 1 : d;
}

/* Chinese short weekday name ("周一" … "周日") and English ("Mon" … "Sun"). */
const char *day_weekday_zh(Day d);
const char *day_weekday_en(Day d);
