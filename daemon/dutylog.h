/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The duty log (值班记录): what an entry is and who may write one. Pure: no I/O, no clock (the
 * caller passes who is on duty and what time it is). */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"

/* Longest text of an entry's field (matter, measures, who was informed, a closing note), in bytes:
 * a page of the printed log holds a day's entries only if each stays short. */
#define DUTYLOG_TEXT_MAX 1000
/* Longest caller or unit name and phone number, in bytes. */
#define DUTYLOG_NAME_MAX 200
/* Entries one LogList reply carries at most: a day's own entries and the open ones carried over. */
#define DUTYLOG_LIST_MAX 500

/* What an entry records; the office's own words in dutylog_kind_label(). */
typedef enum DutyLogKind {
        DUTYLOG_KIND_CALL,          /* 来电 */
        DUTYLOG_KIND_DOCUMENT,      /* 来文 */
        DUTYLOG_KIND_EMERGENCY,     /* 突发事件 */
        DUTYLOG_KIND_INSTRUCTION,   /* 领导批示 */
        DUTYLOG_KIND_ASSIGNMENT,    /* 交办事项 */
        DUTYLOG_KIND_OTHER,         /* 其他 */
        _DUTYLOG_KIND_MAX,
        _DUTYLOG_KIND_INVALID = -EINVAL,
} DutyLogKind;

const char *dutylog_kind_to_string(DutyLogKind k);
DutyLogKind dutylog_kind_from_string(const char *s);
/* The kind as the duty book names it: Chinese unless lang is English ("en…"). NULL out of range. */
const char *dutylog_kind_label(DutyLogKind k, const char *lang);

/* Whether person (a person id, NULL for root without a person entry) may write the log of a duty
 * day whose holders (leader on call and officers, person ids, NULL for an empty slot) are
 * on_duty: the people on duty that day, and administrators. Nobody else, not even a leader who is
 * not on call that day: the log is the duty's own record. */
bool dutylog_may_write(const char *person, bool admin, const char *const *on_duty, size_t n_on_duty);

/* The moment an entry happened, from "HH:MM" given while the clock reads now (minutes since local
 * midnight of day now_day): the latest such moment not after now, today's or else yesterday's.
 * Returns 0 with *ret_day_offset (0 or -1) and *ret_minutes; -EINVAL for anything but HH:MM. */
int dutylog_parse_time(const char *s, int now_minutes, int *ret_day_offset, int *ret_minutes);

/* Reports of an emergency (信息报送): the first report by phone, then the written one, each due a
 * configured time after the event (duty_log.phone_report_minutes and written_report_minutes in
 * dutyd.conf; by default what the office's duty rules say: by phone within 30 minutes, in writing
 * within an hour). */
typedef enum DutyLogReport {
        DUTYLOG_REPORT_PHONE,       /* 电话初报 */
        DUTYLOG_REPORT_WRITTEN,     /* 书面报告 */
        DUTYLOG_REPORT_FOLLOWUP,    /* 续报: after the written report, every followup_report_minutes
                                     * while the emergency stays open; its closing is the final
                                     * report (终报) */
        _DUTYLOG_REPORT_MAX,
        _DUTYLOG_REPORT_INVALID = -EINVAL,
} DutyLogReport;

#define DUTYLOG_PHONE_REPORT_MINUTES 30
#define DUTYLOG_WRITTEN_REPORT_MINUTES 60
/* No follow-up timer unless the office sets one: its rules say follow-ups are due, not how often. */
#define DUTYLOG_FOLLOWUP_REPORT_MINUTES 0
/* A deadline further than a day from the event is no longer a report of it: the next duty's. */
#define DUTYLOG_REPORT_MINUTES_MAX (24 * 60)

const char *dutylog_report_to_string(DutyLogReport r);
DutyLogReport dutylog_report_from_string(const char *s);
/* The report as the duty book names it: Chinese unless lang is English. NULL out of range. */
const char *dutylog_report_label(DutyLogReport r, const char *lang);

/* The default deadline of report r, in minutes after the event; 0 out of range. */
unsigned dutylog_report_minutes_default(DutyLogReport r);

/* When a report due `minutes` after an entry of kind k that happened at at_usec is due, in µs since
 * the epoch; 0 when that kind owes no report (or minutes is 0). */
uint64_t dutylog_report_due(DutyLogKind k, uint64_t at_usec, unsigned minutes);

/* Whole minutes from due_usec to now_usec, rounded down: how late a report still missing is (0 when
 * it is not late yet, or less than a minute late). */
uint64_t dutylog_minutes_overdue(uint64_t due_usec, uint64_t now_usec);

/* The daily report (每日报告, 零报告: "有事报事，无事报平安"): on which duty days one is due, by the
 * configured time of the day (duty_log.daily_report and daily_report_time in dutyd.conf). */
typedef enum DutyLogDaily {
        DUTYLOG_DAILY_NEVER,        /* no daily report */
        DUTYLOG_DAILY_HOLIDAYS,     /* on the days of a holiday period and in sensitive periods */
        DUTYLOG_DAILY_ALWAYS,       /* every duty day */
        _DUTYLOG_DAILY_MAX,
        _DUTYLOG_DAILY_INVALID = -EINVAL,
} DutyLogDaily;

#define DUTYLOG_DAILY_DEFAULT DUTYLOG_DAILY_HOLIDAYS
/* 15:00, in minutes since midnight. */
#define DUTYLOG_DAILY_MINUTES_DEFAULT (15 * 60)
/* Longest text of a daily report, in bytes. */
#define DUTYLOG_DAILY_TEXT_MAX 4000

const char *dutylog_daily_to_string(DutyLogDaily d);
DutyLogDaily dutylog_daily_from_string(const char *s);

/* Whether a daily report is due on a duty day that is (holiday) within a holiday period and
 * (sensitive) within a sensitive period. */
bool dutylog_daily_due(DutyLogDaily mode, bool holiday, bool sensitive);

/* An entry as the daily report's draft sums it up. */
typedef struct DutyLogDraftItem {
        DutyLogKind kind;
        const char *matter;
        bool pending;           /* an open item not closed yet */
} DutyLogDraftItem;

/* The draft of the daily report of duty day d (in Chinese: the report goes to the superior office
 * as it is): "无事报平安" when the day's log is empty, else its entries one per line with the open
 * items said. Newly allocated, NULL on OOM. */
char *dutylog_daily_draft(const char *office, Day d, const DutyLogDraftItem *items, size_t n);
