/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"

/* A holiday run seldom holds more than two names (a notice holiday plus an adjoining local one);
 * names beyond this many only lose the vote for the run's name. */
#define RUN_NAMES_MAX 8

/* Day arithmetic in date.c is only defined for these years; anything outside is unknown rather than
 * overflowing. */
static Day day_first(void) {
        return day_from_ymd(DAY_MIN_YEAR, 1, 1);
}

static Day day_last(void) {
        return day_from_ymd(DAY_MAX_YEAR, 12, 31);
}

static bool day_in_range(int64_t d) {
        return d >= day_first() && d <= day_last();
}

/* The year to name for an unknown day, clamped so that days beyond the supported range still name a
 * year no notice can cover. */
static int unknown_year_of(int64_t d) {
        if (d < day_first())
                return DAY_MIN_YEAR - 1;
        if (d > day_last())
                return DAY_MAX_YEAR + 1;
        return day_year((Day) d);
}

/* Index of the first listed day >= d. */
static size_t days_lower_bound(const Calendar *cal, Day d) {
        size_t lo = 0, hi = cal->n_days;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (cal->days[mid].day < d)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

static const HolidayDay *days_find(const Calendar *cal, Day d) {
        size_t i = days_lower_bound(cal, d);

        if (i < cal->n_days && cal->days[i].day == d)
                return &cal->days[i];
        return NULL;
}

bool calendar_year_known(const Calendar *cal, int year) {
        for (size_t i = 0; i < cal->n_notices; i++)
                if (cal->notices[i].year == year)
                        return true;
        return false;
}

DayType calendar_day_type(const Calendar *cal, Day day) {
        const HolidayDay *h;

        if (!day_in_range(day))
                return DAY_TYPE_UNKNOWN;

        /* A listed day wins over its year being unknown: a notice may name days of the year before
         * (元旦 joined to the last weekend of December). */
        h = days_find(cal, day);
        if (h)
                return h->off ? DAY_TYPE_HOLIDAY : DAY_TYPE_MAKEUP_WORKDAY;

        if (!calendar_year_known(cal, day_year(day)))
                return DAY_TYPE_UNKNOWN;

        return day_is_weekend(day) ? DAY_TYPE_WEEKEND : DAY_TYPE_WORKDAY;
}

bool calendar_is_day_off(const Calendar *cal, Day day) {
        return day_type_is_off(calendar_day_type(cal, day));
}

static bool is_off_day(const Calendar *cal, int64_t d) {
        return day_in_range(d) && calendar_is_day_off(cal, (Day) d);
}

typedef struct RunName {
        const char *name;
        unsigned count;
} RunName;

typedef struct RunInfo {
        HolidayRun run;
        Day last_holiday;
} RunInfo;

/* Fills *ret with the run around `day`. Returns 1, 0 if the day is in no run, -ENODATA if unknown. */
static int run_compute(const Calendar *cal, Day day, RunInfo *ret) {
        RunName names[RUN_NAMES_MAX];
        size_t n_names = 0, best = 0;
        unsigned n_holidays = 0;
        Day from = day, to = day, last_holiday = DAY_NONE;
        DayType t;

        t = calendar_day_type(cal, day);
        if (t == DAY_TYPE_UNKNOWN)
                return -ENODATA;
        if (!day_type_is_off(t))
                return 0;

        /* Stretches of days off without a listed holiday are at most a weekend long, and listed days
         * are finite, so both scans end quickly. */
        while (is_off_day(cal, (int64_t) from - 1))
                from--;
        while (is_off_day(cal, (int64_t) to + 1))
                to++;

        for (size_t i = days_lower_bound(cal, from); i < cal->n_days && cal->days[i].day <= to; i++) {
                const HolidayDay *h = &cal->days[i];
                size_t j;

                if (!h->off)
                        continue;
                n_holidays++;
                last_holiday = h->day;
                if (!h->name)
                        continue;

                for (j = 0; j < n_names; j++)
                        if (streq(names[j].name, h->name))
                                break;
                if (j == n_names) {
                        if (n_names >= RUN_NAMES_MAX)
                                continue;
                        names[n_names++] = (RunName) { .name = h->name };
                }
                names[j].count++;
        }

        if (n_holidays == 0)
                return 0;

        /* Ties go to the earliest name. */
        for (size_t j = 1; j < n_names; j++)
                if (names[j].count > names[best].count)
                        best = j;

        *ret = (RunInfo) {
                .run = {
                        .from = from,
                        .to = to,
                        .name = n_names > 0 ? names[best].name : NULL,
                },
                .last_holiday = last_holiday,
        };
        return 1;
}

int calendar_holiday_run_at(const Calendar *cal, Day day, HolidayRun *ret) {
        RunInfo info;
        int r;

        r = run_compute(cal, day, &info);
        if (r <= 0)
                return r;
        if (ret)
                *ret = info.run;
        return 1;
}

const char *calendar_holiday_name(const Calendar *cal, Day day) {
        const HolidayDay *h;
        RunInfo info;

        if (!day_in_range(day))
                return NULL;

        h = days_find(cal, day);
        if (h)
                return h->off ? h->name : NULL;

        if (run_compute(cal, day, &info) <= 0)
                return NULL;
        return info.run.name;
}

int calendar_next_holiday_run(const Calendar *cal, Day after, HolidayRun *ret) {
        RunInfo info;
        int r;

        r = run_compute(cal, after, &info);
        if (r < 0)
                return r;
        if (r == 0) {
                size_t i;

                for (i = days_lower_bound(cal, after); i < cal->n_days; i++)
                        if (cal->days[i].off)
                                break;
                if (i >= cal->n_days)
                        return -ENODATA;

                r = run_compute(cal, cal->days[i].day, &info);
                if (r < 0)
                        return r;
                if (r == 0)
                        return -ENODATA;

                /* An unknown day before the run may hide an earlier run. */
                for (Day d = after; d < info.run.from; d++)
                        if (calendar_day_type(cal, d) == DAY_TYPE_UNKNOWN)
                                return -ENODATA;
        }

        if (ret)
                *ret = info.run;
        return 0;
}

int calendar_find_holiday_run(const Calendar *cal, const char *name, int year, HolidayRun *ret) {
        Day checked_to = DAY_NONE;

        if (isempty(name))
                return -EINVAL;
        if (!calendar_year_known(cal, year))
                return -ENODATA;

        for (size_t i = 0; i < cal->n_days; i++) {
                const HolidayDay *h = &cal->days[i];
                RunInfo info;

                if (!h->off || !h->name || h->day <= checked_to || !strstr(h->name, name))
                        continue;

                if (run_compute(cal, h->day, &info) <= 0)
                        continue;
                if (day_year(info.last_holiday) == year) {
                        if (ret)
                                *ret = info.run;
                        return 0;
                }
                checked_to = info.run.to;
        }

        return -ENOENT;
}

int calendar_working_days_between(const Calendar *cal, Day from_exclusive, Day to_exclusive,
                                  int *ret_count, int *ret_unknown_year) {
        int count = 0;

        for (int64_t d = (int64_t) from_exclusive + 1; d < to_exclusive; d++) {
                DayType t = day_in_range(d) ? calendar_day_type(cal, (Day) d) : DAY_TYPE_UNKNOWN;

                if (t == DAY_TYPE_UNKNOWN) {
                        if (ret_unknown_year)
                                *ret_unknown_year = unknown_year_of(d);
                        return -ENODATA;
                }
                if (day_type_is_working(t))
                        count++;
        }

        if (ret_count)
                *ret_count = count;
        return 0;
}

int calendar_add_working_days(const Calendar *cal, Day from, int n, Day *ret, int *ret_unknown_year) {
        int step = n > 0 ? 1 : -1, remaining = n > 0 ? n : -n;
        int64_t d = from;

        if (n > CALENDAR_WORKING_DAYS_MAX || n < -CALENDAR_WORKING_DAYS_MAX)
                return -ERANGE;

        /* Each step lands on a working day, a known day off or an unknown day (which ends the walk);
         * known days off are finite, so the walk ends. */
        while (remaining > 0) {
                DayType t;

                d += step;
                t = day_in_range(d) ? calendar_day_type(cal, (Day) d) : DAY_TYPE_UNKNOWN;
                if (t == DAY_TYPE_UNKNOWN) {
                        if (ret_unknown_year)
                                *ret_unknown_year = unknown_year_of(d);
                        return -ENODATA;
                }
                if (day_type_is_working(t))
                        remaining--;
        }

        if (ret)
                *ret = (Day) d;
        return 0;
}

const SpecialDay *calendar_special_day(const Calendar *cal, Day day) {
        for (size_t i = 0; i < cal->n_special; i++)
                if (cal->special[i].day == day)
                        return &cal->special[i];
        return NULL;
}

const SensitivePeriod *calendar_sensitive_next(const Calendar *cal, Day from, Day to,
                                               const SensitivePeriod *prev) {
        size_t start = 0;

        if (prev) {
                if (prev < cal->sensitive || prev >= cal->sensitive + cal->n_sensitive)
                        return NULL;
                start = (size_t) (prev - cal->sensitive) + 1;
        }

        for (size_t i = start; i < cal->n_sensitive; i++)
                if (cal->sensitive[i].from <= to && cal->sensitive[i].to >= from)
                        return &cal->sensitive[i];
        return NULL;
}

const SensitivePeriod *calendar_sensitive_at(const Calendar *cal, Day day) {
        return calendar_sensitive_next(cal, day, day, NULL);
}

/* Strictness, not enum order: a freeze beats an escalation. */
static int leave_policy_rank(LeavePolicy p) {
        switch (p) {
        case LEAVE_POLICY_NORMAL:
                return 0;
        case LEAVE_POLICY_ESCALATE:
                return 1;
        case LEAVE_POLICY_FREEZE:
                return 2;
        case _LEAVE_POLICY_MAX:
        case _LEAVE_POLICY_INVALID:
                return -1;
        }
        return -1;
}

LeavePolicy calendar_leave_policy(const Calendar *cal, Day from, Day to) {
        LeavePolicy policy = LEAVE_POLICY_NORMAL;

        CALENDAR_FOREACH_SENSITIVE(p, cal, from, to)
                if (leave_policy_rank(p->leave) > leave_policy_rank(policy))
                        policy = p->leave;
        return policy;
}

unsigned calendar_extra_officers(const Calendar *cal, Day from, Day to) {
        unsigned extra = 0;

        CALENDAR_FOREACH_SENSITIVE(p, cal, from, to)
                if (p->extra_officers > extra)
                        extra = p->extra_officers;
        return extra;
}
