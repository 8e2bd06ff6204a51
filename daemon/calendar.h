/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The official calendar: State Council holiday notices with make-up workdays (调休), local holidays,
 * special days and sensitive periods. Pure core: no I/O, no clock.
 *
 * The data comes from the configuration (config-parse.c reads the holiday notice files); calendar.c only
 * answers questions about it. */

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "util.h"
#include "vocabulary.h"

/* A report the superior office asks of its offices for one item of a notice (the notice file's
 * optional `reports` list): the item's holiday roster by a deadline (请各单位于9月28日前报送). */
typedef struct NoticeReport {
        char *holiday;          /* the item's name as the notice writes it */
        char *key;              /* "<year>-<n>": notice year and 1-based item index (DUTY_REPORT_KEY) */
        Day from, to;           /* the item's first and last day off */
        Day deadline_day;       /* the deadline, office local time */
        int deadline_minutes;
        int line;
} NoticeReport;

/* One year's notice (国务院办公厅关于YYYY年部分节假日安排的通知). */
typedef struct HolidayNotice {
        int year;
        char *source;   /* e.g. "国办发明电〔2025〕7号" */
        char *file;     /* where it was read from */
        NoticeReport *reports;  /* reports asked for, in file order (aggregator.h) */
        size_t n_reports;
} HolidayNotice;

/* One day named by a notice or by the configuration. */
typedef struct HolidayDay {
        Day day;
        bool off;       /* true: day off; false: make-up workday */
        char *name;     /* holiday name, e.g. "春节" */
        /* Where a notice names it: the notice's year and the 1-based index of the holiday in the
         * notice's `holidays` list, the stable key of a holiday (report.h); 0 and 0 for a local
         * holiday or a day put together by hand. */
        int notice_year;
        unsigned notice_item;
} HolidayDay;

/* A special day inside or outside a holiday (e.g. 除夕) that weighs more in fairness. */
typedef struct SpecialDay {
        Day day;
        char *name;
        unsigned weight;  /* >= 1 */
} SpecialDay;

/* 重要敏感时期. */
typedef struct SensitivePeriod {
        char *id;           /* from the config, or the database row id as a string */
        char *name;
        Day from, to;       /* inclusive */
        unsigned extra_officers;
        LeavePolicy leave;
} SensitivePeriod;

/* A read-only view over the calendar data; the arrays belong to whoever built it (the Config, or a
 * test). holiday_days must be sorted by day with no duplicates. */
typedef struct Calendar {
        const HolidayNotice *notices;
        size_t n_notices;
        const HolidayDay *days;
        size_t n_days;
        const SpecialDay *special;
        size_t n_special;
        const SensitivePeriod *sensitive;
        size_t n_sensitive;
} Calendar;

static inline bool day_type_is_working(DayType t) {
        return t == DAY_TYPE_WORKDAY || t == DAY_TYPE_MAKEUP_WORKDAY;
}

static inline bool day_type_is_off(DayType t) {
        return t == DAY_TYPE_HOLIDAY || t == DAY_TYPE_WEEKEND;
}

/* A notice for `year` is known. */
bool calendar_year_known(const Calendar *cal, int year);

/* A day listed in the data (by any notice, whatever its year, or as a local holiday) takes its type
 * from there; otherwise the day is DAY_TYPE_UNKNOWN when its year has no notice, else a weekend or a
 * workday by its weekday. Days outside DAY_MIN_YEAR..DAY_MAX_YEAR are unknown. */
DayType calendar_day_type(const Calendar *cal, Day day);

/* Holiday or weekend. An unknown day is reported as not off: callers that must not guess check
 * calendar_day_type() for DAY_TYPE_UNKNOWN first. */
bool calendar_is_day_off(const Calendar *cal, Day day);

/* The name of a listed day off, or of the holiday run a weekend day falls in; NULL otherwise. The
 * string belongs to the calendar data. */
const char *calendar_holiday_name(const Calendar *cal, Day day);

/* A holiday run: a maximal stretch of consecutive days off (holidays and weekend days; make-up
 * workdays and unknown days end it) holding at least one holiday. This is a holiday's duty period.
 * `name` is the name most of its holidays carry (the notices give a combined holiday such as
 * 国庆节、中秋节 one name), owned by the calendar data. */
typedef struct HolidayRun {
        Day from, to;   /* inclusive */
        const char *name;
} HolidayRun;

/* Returns 1 and fills *ret (may be NULL) if `day` lies in a holiday run, 0 if it does not, -ENODATA
 * if the day is unknown. */
int calendar_holiday_run_at(const Calendar *cal, Day day, HolidayRun *ret);

/* The first holiday run ending on or after `after`. Returns 0, or -ENODATA when no run is known from
 * `after` on, or an unknown day comes before the first known one. */
int calendar_next_holiday_run(const Calendar *cal, Day after, HolidayRun *ret);

/* The run of `year` holding a holiday whose name contains `name` (e.g. "春节", "国庆"). A run belongs
 * to the year of its last holiday, so ("元旦", 2024) is 2023-12-30..2024-01-01. Returns 0, -ENOENT if
 * the year's notice has no such holiday, -ENODATA if the year is unknown, -EINVAL for an empty name. */
int calendar_find_holiday_run(const Calendar *cal, const char *name, int year, HolidayRun *ret);

/* Counts workdays and make-up workdays strictly between the two days (0 if there are none). Returns 0,
 * or -ENODATA if a day in between is unknown, with the first such day's year in *ret_unknown_year
 * (may be NULL; set only on -ENODATA). */
int calendar_working_days_between(const Calendar *cal, Day from_exclusive, Day to_exclusive,
                                  int *ret_count, int *ret_unknown_year);

/* The n-th working day after `from` (n > 0) or before it (n < 0); `from` itself never counts, n == 0
 * returns `from`. Returns 0, or -ENODATA (with the year in *ret_unknown_year, may be NULL) when an
 * unknown day is reached first, -ERANGE if |n| exceeds CALENDAR_WORKING_DAYS_MAX. */
#define CALENDAR_WORKING_DAYS_MAX 3660
int calendar_add_working_days(const Calendar *cal, Day from, int n, Day *ret, int *ret_unknown_year);

/* The special day on `day`, or NULL. */
const SpecialDay *calendar_special_day(const Calendar *cal, Day day);

/* The first sensitive period covering `day`, or NULL. */
const SensitivePeriod *calendar_sensitive_at(const Calendar *cal, Day day);

/* The next sensitive period after `prev` (NULL: from the start) that overlaps from..to (inclusive),
 * in configuration order, or NULL. */
const SensitivePeriod *calendar_sensitive_next(const Calendar *cal, Day from, Day to,
                                               const SensitivePeriod *prev);

#define CALENDAR_FOREACH_SENSITIVE(p, cal, from, to)                            \
        for (const SensitivePeriod *p = calendar_sensitive_next((cal), (from), (to), NULL); \
             p;                                                                 \
             p = calendar_sensitive_next((cal), (from), (to), p))

/* Over every sensitive period overlapping from..to: the strictest leave policy (freeze over escalate
 * over normal) and the largest number of extra officers. */
LeavePolicy calendar_leave_policy(const Calendar *cal, Day from, Day to);
unsigned calendar_extra_officers(const Calendar *cal, Day from, Day to);
