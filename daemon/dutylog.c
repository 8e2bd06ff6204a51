/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "dutylog.h"
#include "string-table.h"
#include "util.h"

static const char *const dutylog_kind_table[_DUTYLOG_KIND_MAX] = {
        [DUTYLOG_KIND_CALL] = "call",
        [DUTYLOG_KIND_DOCUMENT] = "document",
        [DUTYLOG_KIND_EMERGENCY] = "emergency",
        [DUTYLOG_KIND_INSTRUCTION] = "instruction",
        [DUTYLOG_KIND_ASSIGNMENT] = "assignment",
        [DUTYLOG_KIND_OTHER] = "other",
};

DEFINE_STRING_TABLE_LOOKUP(dutylog_kind, DutyLogKind);

const char *dutylog_kind_label(DutyLogKind k, const char *lang) {
        bool en = lang && strncmp(lang, "en", 2) == 0;

        switch (k) {
        case DUTYLOG_KIND_CALL:
                return en ? "call" : "来电";
        case DUTYLOG_KIND_DOCUMENT:
                return en ? "document" : "来文";
        case DUTYLOG_KIND_EMERGENCY:
                return en ? "emergency" : "突发事件";
        case DUTYLOG_KIND_INSTRUCTION:
                return en ? "leader's instruction" : "领导批示";
        case DUTYLOG_KIND_ASSIGNMENT:
                return en ? "assigned task" : "交办事项";
        case DUTYLOG_KIND_OTHER:
                return en ? "other" : "其他";
        case _DUTYLOG_KIND_MAX:
        case _DUTYLOG_KIND_INVALID:
                break;
        }
        return NULL;
}

bool dutylog_may_write(const char *person, bool admin, const char *const *on_duty, size_t n_on_duty) {
        if (admin)
                return true;
        if (!person)
                return false;
        for (size_t i = 0; i < n_on_duty; i++)
                if (on_duty[i] && streq(on_duty[i], person))
                        return true;
        return false;
}

int dutylog_parse_time(const char *s, int now_minutes, int *ret_day_offset, int *ret_minutes) {
        int minutes;

        if (minutes_parse(s, &minutes) < 0)
                return -EINVAL;

        *ret_minutes = minutes;
        /* A time later than now was yesterday's: an entry records what happened, never what will. */
        *ret_day_offset = minutes > now_minutes ? -1 : 0;
        return 0;
}

static const char *const dutylog_report_table[_DUTYLOG_REPORT_MAX] = {
        [DUTYLOG_REPORT_PHONE] = "phone",
        [DUTYLOG_REPORT_WRITTEN] = "written",
        [DUTYLOG_REPORT_FOLLOWUP] = "followup",
};

DEFINE_STRING_TABLE_LOOKUP(dutylog_report, DutyLogReport);

const char *dutylog_report_label(DutyLogReport r, const char *lang) {
        bool en = lang && strncmp(lang, "en", 2) == 0;

        switch (r) {
        case DUTYLOG_REPORT_PHONE:
                return en ? "report by phone" : "电话报告";
        case DUTYLOG_REPORT_WRITTEN:
                return en ? "written report" : "书面报告";
        case DUTYLOG_REPORT_FOLLOWUP:
                return en ? "follow-up report" : "续报";
        case _DUTYLOG_REPORT_MAX:
        case _DUTYLOG_REPORT_INVALID:
                break;
        }
        return NULL;
}

unsigned dutylog_report_minutes_default(DutyLogReport r) {
        switch (r) {
        case DUTYLOG_REPORT_PHONE:
                return DUTYLOG_PHONE_REPORT_MINUTES;
        case DUTYLOG_REPORT_WRITTEN:
                return DUTYLOG_WRITTEN_REPORT_MINUTES;
        case DUTYLOG_REPORT_FOLLOWUP:
                return DUTYLOG_FOLLOWUP_REPORT_MINUTES;
        case _DUTYLOG_REPORT_MAX:
        case _DUTYLOG_REPORT_INVALID:
                break;
        }
        return 0;
}

uint64_t dutylog_report_due(DutyLogKind k, uint64_t at_usec, unsigned minutes) {
        if (k != DUTYLOG_KIND_EMERGENCY || minutes == 0)
                return 0;
        return at_usec + (uint64_t) minutes * 60 * USEC_PER_SEC;
}

uint64_t dutylog_minutes_overdue(uint64_t due_usec, uint64_t now_usec) {
        uint64_t minute = 60 * USEC_PER_SEC;

        if (due_usec == 0 || now_usec <= due_usec)
                return 0;
        return (now_usec - due_usec) / minute;
}

static const char *const dutylog_daily_table[_DUTYLOG_DAILY_MAX] = {
        [DUTYLOG_DAILY_NEVER] = "never",
        [DUTYLOG_DAILY_HOLIDAYS] = "holidays",
        [DUTYLOG_DAILY_ALWAYS] = "always",
};

DEFINE_STRING_TABLE_LOOKUP(dutylog_daily, DutyLogDaily);

bool dutylog_daily_due(DutyLogDaily mode, bool holiday, bool sensitive) {
        switch (mode) {
        case DUTYLOG_DAILY_NEVER:
                return false;
        case DUTYLOG_DAILY_HOLIDAYS:
                return holiday || sensitive;
        case DUTYLOG_DAILY_ALWAYS:
                return true;
        case _DUTYLOG_DAILY_MAX:
        case _DUTYLOG_DAILY_INVALID:
                break;
        }
        return false;
}

char *dutylog_daily_draft(const char *office, Day d, const DutyLogDraftItem *items, size_t n) {
        char date[DAY_STRING_MAX], *s = NULL;
        size_t size = 0, pending = 0;
        FILE *f;

        f = open_memstream(&s, &size);
        if (!f)
                return NULL;
        fprintf(f, "%s值班室 %s 每日报告：", office ?: "", day_format(d, date));
        if (n == 0)
                fputs("本日无重要情况，无事报平安。", f);
        else {
                fprintf(f, "本日值班记录 %zu 条。", n);
                for (size_t i = 0; i < n; i++) {
                        fprintf(f, "%zu. 【%s】%s%s", i + 1, strempty(dutylog_kind_label(items[i].kind, "zh")),
                                strempty(items[i].matter), items[i].pending ? "（待办）" : "");
                        fputs(i + 1 < n ? "；" : "。", f);
                        pending += items[i].pending;
                }
                if (pending > 0)
                        fprintf(f, "尚有待办事项 %zu 项，已移交下一班跟踪办理。", pending);
        }
        if (fclose(f) != 0) {
                free(s);
                return NULL;
        }
        return s;
}
