/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The days named by the holiday notices and the configured local holidays, gathered from every file
 * and merged into one sorted list in which each day appears once.
 *
 * Holiday notice files (every *.conf in holidays_dir, read in file name order by config-parse.c)
 * have this format:
 *
 *     year = 2026;
 *     source = "国办发明电〔2025〕7号";
 *     holidays = (
 *       { name = "元旦"; off = [ "2026-01-01", "2026-01-02", "2026-01-03" ]; work = [ "2026-01-04" ]; },
 *       { name = "春节"; off = [ ... ]; work = [ "2026-02-14", "2026-02-28" ]; }
 *     );
 *
 * "off" lists the days off, "work" (optional) the make-up workdays, which must fall on a Saturday or
 * Sunday. Dates may be in `year` or the year before (a notice can start a holiday on 31 December).
 * One file per year; a day may be named only once across all files and the local holidays.
 *
 * Pure: no file is read here, and clashes are handed to the caller to report. */

#include <stdbool.h>
#include <stddef.h>

#include "calendar.h"
#include "date.h"
#include "util.h"

/* A day named by a notice file or a local holiday, before duplicates are ruled out. */
typedef struct HolidayMention {
        Day day;
        bool off;
        bool local;
        char *name;
        char *setting;
        const char *file;  /* not owned: must outlive the merge */
        int line;
        size_t seq;        /* keeps the sort stable: the later mention is the one reported */
        int notice_year;   /* HolidayDay.notice_year and .notice_item: 0 unless a notice names it */
        unsigned notice_item;
} HolidayMention;

typedef struct HolidayMentions {
        HolidayMention *items;
        size_t n;
} HolidayMentions;

void holiday_mentions_done(HolidayMentions *m);
/* Copies name and setting. -ENOMEM, and nothing added, when out of memory. */
int holiday_mentions_add(HolidayMentions *m, const char *file, int line, const char *setting, Day day, bool off,
                         bool local, const char *name);

/* A day named again: `again` is the later mention, `first` the earliest one, whose name is
 * first_name. Returns 0 or -ENOMEM. */
typedef int (*HolidayClashFn)(const HolidayMention *again, const HolidayMention *first, const char *first_name,
                              void *userdata);

/* Sorts the mentions and moves them into *ret_days (allocated, sorted by day; names taken from the
 * mentions), calling clash for every day named more than once and keeping the first mention of
 * it. Nothing is allocated for no mentions. Returns 0, -ENOMEM, or what clash returned. */
int holiday_mentions_merge(HolidayMentions *m, HolidayClashFn clash, void *userdata, HolidayDay **ret_days,
                           size_t *ret_n_days);
