/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The duty log (值班记录): what an entry is and who may write one. Pure: no I/O, no clock (the
 * caller passes who is on duty and what time it is). */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
