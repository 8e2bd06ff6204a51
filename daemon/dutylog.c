/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <string.h>

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
        int h, m;

        if (!s || strlen(s) != 5 || s[2] != ':' ||
            s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
            s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
                return -EINVAL;
        h = (s[0] - '0') * 10 + (s[1] - '0');
        m = (s[3] - '0') * 10 + (s[4] - '0');
        if (h > 23 || m > 59)
                return -EINVAL;

        *ret_minutes = h * 60 + m;
        /* A time later than now was yesterday's: an entry records what happened, never what will. */
        *ret_day_offset = *ret_minutes > now_minutes ? -1 : 0;
        return 0;
}
