/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <stdlib.h>

#include "i18n.h"
#include "notify.h"
#include "string-table.h"

static const char *const notify_kind_table[_NOTIFY_KIND_MAX] = {
        [NOTIFY_KIND_DUTY_TOMORROW] = "duty_tomorrow",
        [NOTIFY_KIND_SWAP_REQUESTED] = "swap_requested",
        [NOTIFY_KIND_LEAVE_PENDING] = "leave_pending",
        [NOTIFY_KIND_LEAVE_DECIDED] = "leave_decided",
        [NOTIFY_KIND_TEST] = "test",
        [NOTIFY_KIND_REPORT_REMINDER] = "report_reminder",
};
DEFINE_STRING_TABLE_LOOKUP(notify_kind, NotifyKind);

static const char *const notify_state_table[_NOTIFY_STATE_MAX] = {
        [NOTIFY_STATE_QUEUED] = "queued",
        [NOTIFY_STATE_SENT] = "sent",
        [NOTIFY_STATE_FAILED] = "failed",
};
DEFINE_STRING_TABLE_LOOKUP(notify_state, NotifyState);

static const char *const notify_channel_type_table[_NOTIFY_CHANNEL_TYPE_MAX] = {
        [NOTIFY_CHANNEL_WEBHOOK] = "webhook",
        [NOTIFY_CHANNEL_COMMAND] = "command",
        [NOTIFY_CHANNEL_SMTP] = "smtp",
};
DEFINE_STRING_TABLE_LOOKUP(notify_channel_type, NotifyChannelType);

static const char *const notify_template_table[_NOTIFY_TEMPLATE_MAX] = {
        [NOTIFY_TEMPLATE_JSON] = "json",
        [NOTIFY_TEMPLATE_WECOM] = "wecom",
        [NOTIFY_TEMPLATE_DINGTALK] = "dingtalk",
};
DEFINE_STRING_TABLE_LOOKUP(notify_template, NotifyTemplate);

uint64_t notify_backoff_usec(unsigned attempts, uint64_t first, uint64_t max) {
        uint64_t d = first;

        if (first == 0)
                return 0;
        /* Doubling stops at max: no overflow however many attempts. */
        for (unsigned i = 1; i < attempts && d < max; i++) {
                if (d > UINT64_MAX / 2)
                        return max;
                d *= 2;
        }
        return d < max ? d : max;
}

static const char *or_dash(const char *s) {
        return isempty(s) ? "-" : s;
}

char *notify_render(const NotifyFacts *f, const char *language) {
        char day[DAY_STRING_MAX], until[DAY_STRING_MAX];
        bool en = language_is_en(language);
        char *s = NULL;
        int r = -1;

        if (!f)
                return NULL;
        (void) day_format(f->day, day);
        (void) day_format(f->until != DAY_NONE ? f->until : f->day, until);

        switch (f->kind) {
        case NOTIFY_KIND_DUTY_TOMORROW:
                r = en ? asprintf(&s, "%s, you are on duty tomorrow (%s) as %s. The handover is at the duty room.",
                                  or_dash(f->person_name), day, or_dash(f->post_name))
                       : asprintf(&s, "%s同志：您明天（%s）值班，岗位：%s。请按时到值班室交接班。",
                                  or_dash(f->person_name), day, or_dash(f->post_name));
                break;
        case NOTIFY_KIND_SWAP_REQUESTED:
                r = en ? asprintf(&s, "%s asks to swap their duty of %s with you (swap %lld). "
                                  "Answer with `dutyctl swap accept %lld` or `dutyctl swap decline %lld`.",
                                  or_dash(f->other_name), day, (long long) f->id, (long long) f->id, (long long) f->id)
                       : asprintf(&s, "%s申请与您调换 %s 的值班（调班申请 %lld）。"
                                  "同意请执行 `dutyctl swap accept %lld`，不同意请执行 `dutyctl swap decline %lld`。",
                                  or_dash(f->other_name), day, (long long) f->id, (long long) f->id, (long long) f->id);
                break;
        case NOTIFY_KIND_LEAVE_PENDING:
                r = en ? asprintf(&s, "%s asks for leave from %s to %s (leave %lld) and waits for your decision: "
                                  "`dutyctl leave approve %lld` or `dutyctl leave reject %lld`.",
                                  or_dash(f->other_name), day, until, (long long) f->id, (long long) f->id, (long long) f->id)
                       : asprintf(&s, "%s申请请假，%s 至 %s（请假单 %lld），等待您审批："
                                  "批准请执行 `dutyctl leave approve %lld`，不批准请执行 `dutyctl leave reject %lld`。",
                                  or_dash(f->other_name), day, until, (long long) f->id, (long long) f->id, (long long) f->id);
                break;
        case NOTIFY_KIND_LEAVE_DECIDED:
                r = en ? asprintf(&s, "Your leave from %s to %s (leave %lld) was %s by %s.",
                                  day, until, (long long) f->id, f->approved ? "approved" : "rejected",
                                  or_dash(f->other_name))
                       : asprintf(&s, "您 %s 至 %s 的请假（请假单 %lld）已被%s%s。",
                                  day, until, (long long) f->id, or_dash(f->other_name),
                                  f->approved ? "批准" : "驳回");
                break;
        case NOTIFY_KIND_TEST:
                r = en ? asprintf(&s, "%s, this is a test message from the duty room of %s: notifications reach you here.",
                                  or_dash(f->person_name), or_dash(f->office))
                       : asprintf(&s, "%s同志：这是%s值班室发送的测试消息，说明通知能送达您这里。",
                                  or_dash(f->person_name), or_dash(f->office));
                break;
        case NOTIFY_KIND_REPORT_REMINDER:
                /* To an office's duty room from the superior's (office): what is missing, by when,
                 * and that publishing it is all it takes (report.c sends it up). */
                if (f->overdue)
                        r = en ? asprintf(&s, "%s: the %s duty roster, due by %s, has not reached %s. Publish it now "
                                          "(dutyctl roster publish): it is reported on its own.",
                                          or_dash(f->person_name), or_dash(f->holiday), or_dash(f->deadline),
                                          or_dash(f->office))
                               : asprintf(&s, "%s：%s尚未收到贵单位的%s值班表（报送截止时间 %s，已逾期）。"
                                          "请立即发布值班表（dutyctl roster publish），发布后自动报送。",
                                          or_dash(f->person_name), or_dash(f->office), or_dash(f->holiday),
                                          or_dash(f->deadline));
                else
                        r = en ? asprintf(&s, "%s: your %s duty roster is due at %s by %s and has not arrived yet. "
                                          "Publish it (dutyctl roster publish): it is reported on its own.",
                                          or_dash(f->person_name), or_dash(f->holiday), or_dash(f->office),
                                          or_dash(f->deadline))
                               : asprintf(&s, "%s：请于 %s 前向%s报送%s值班表，目前尚未收到。"
                                          "发布值班表（dutyctl roster publish）后即自动报送。",
                                          or_dash(f->person_name), or_dash(f->deadline), or_dash(f->office),
                                          or_dash(f->holiday));
                break;
        case _NOTIFY_KIND_MAX:
        case _NOTIFY_KIND_INVALID:
                return NULL;
        }
        if (r < 0)
                return NULL;
        /* Names come from the configuration, bounded there; the cap keeps a payload bounded anyway. */
        if (strlen(s) > NOTIFY_TEXT_MAX) {
                size_t n = NOTIFY_TEXT_MAX;

                /* Not inside a UTF-8 sequence. */
                while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
                        n--;
                s[n] = '\0';
        }
        return s;
}
