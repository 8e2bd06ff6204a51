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
        [NOTIFY_KIND_DUTY_SOON] = "duty_soon",
        [NOTIFY_KIND_ROSTER_CHANGED] = "roster_changed",
        [NOTIFY_KIND_SWAP_APPROVAL] = "swap_approval",
        [NOTIFY_KIND_SWAP_DECIDED] = "swap_decided",
        [NOTIFY_KIND_RETURN_OVERDUE] = "return_overdue",
        [NOTIFY_KIND_REPORT_REMINDER] = "report_reminder",
        [NOTIFY_KIND_GAP_ALERT] = "gap_alert",
        [NOTIFY_KIND_TAKEOVER_MISSED] = "takeover_missed",
        [NOTIFY_KIND_REPORT_MISSED] = "report_missed",
        [NOTIFY_KIND_SUMMARY] = "summary",
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

/* "2026-06-10 值班员、2026-06-12 值班员" ("…, …" in English), at most NOTIFY_DUTIES_LISTED_MAX and
 * then how many more: a month's first publication stays a readable message. */
static char *duties_format(const NotifyDuty *v, size_t n, bool en) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        for (size_t i = 0; i < n && i < NOTIFY_DUTIES_LISTED_MAX; i++) {
                char day[DAY_STRING_MAX];

                fprintf(f, "%s%s %s", i == 0 ? "" : en ? ", " : "、", day_format(v[i].day, day), or_dash(v[i].post_name));
        }
        if (n > NOTIFY_DUTIES_LISTED_MAX)
                fprintf(f, en ? " and %zu more" : "等，另有 %zu 个", n - NOTIFY_DUTIES_LISTED_MAX);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* The texts of the person events, kept together. */
static int render_roster_changed(const NotifyFacts *f, bool en, char **ret) {
        _cleanup_free_ char *added = NULL, *removed = NULL, *what = NULL;
        int r;

        added = f->n_added > 0 ? duties_format(f->added, f->n_added, en) : strdup("");
        removed = f->n_removed > 0 ? duties_format(f->removed, f->n_removed, en) : strdup("");
        if (!added || !removed)
                return -ENOMEM;
        if (f->version > 0)
                r = en ? asprintf(&what, "roster version %d is published", f->version)
                       : asprintf(&what, "第 %d 版值班表已发布", f->version);
        else
                r = en ? asprintf(&what, "the published roster was amended (%s)", or_dash(f->reason))
                       : asprintf(&what, "已发布的值班表作了调整（%s）", or_dash(f->reason));
        if (r < 0)
                return -ENOMEM;
        if (en)
                return asprintf(ret, "%s, %s and your duties change.%s%s%s%s%s%s See the roster with `dutyctl roster show`.",
                                or_dash(f->person_name), what,
                                f->n_added > 0 ? " Added: " : "", added, f->n_added > 0 ? "." : "",
                                f->n_removed > 0 ? " Removed: " : "", removed, f->n_removed > 0 ? "." : "");
        return asprintf(ret, "%s同志：%s，您的值班有变动。%s%s%s%s%s%s请执行 `dutyctl roster show` 查看最新值班表。",
                        or_dash(f->person_name), what,
                        f->n_added > 0 ? "新增：" : "", added, f->n_added > 0 ? "。" : "",
                        f->n_removed > 0 ? "取消：" : "", removed, f->n_removed > 0 ? "。" : "");
}

/* Who decided a swap: root has no name. */
static const char *decider(const NotifyFacts *f, bool en) {
        return !isempty(f->third_name) ? f->third_name : en ? "an administrator" : "管理员";
}

static int render_swap_decided(const NotifyFacts *f, bool en, const char *day, char **ret) {
        _cleanup_free_ char *why = NULL;
        long long id = (long long) f->id;

        if (!isempty(f->reason) && asprintf(&why, en ? ": %s" : "，理由：%s", f->reason) < 0)
                return -ENOMEM;
        switch (f->outcome) {
        case NOTIFY_SWAP_APPROVED:
                if (f->to_other)
                        return en ? asprintf(ret, "The swap of %s that %s asked of you (swap %lld) was approved by %s: "
                                             "the roster is changed, please keep to it.",
                                             day, or_dash(f->other_name), id, decider(f, en))
                                  : asprintf(ret, "%s与您调换 %s 值班的申请（调班申请 %lld）已被%s批准，"
                                             "值班表已相应调整，请按调整后的安排值班。",
                                             or_dash(f->other_name), day, id, decider(f, en));
                return en ? asprintf(ret, "Your swap of %s (swap %lld) was approved by %s: the roster is changed accordingly.",
                                     day, id, decider(f, en))
                          : asprintf(ret, "您 %s 的调班申请（调班申请 %lld）已被%s批准，值班表已相应调整。",
                                     day, id, decider(f, en));
        case NOTIFY_SWAP_DECLINED:
                return en ? asprintf(ret, "%s declined your swap of %s (swap %lld)%s. Your duty stays as it is; "
                                     "ask someone else with `dutyctl swap request` or `dutyctl swap cover`.",
                                     decider(f, en), day, id, strempty(why))
                          : asprintf(ret, "%s不同意您 %s 的调班申请（调班申请 %lld）%s。原值班安排不变，"
                                     "可另找他人：`dutyctl swap request` 或 `dutyctl swap cover`。",
                                     decider(f, en), day, id, strempty(why));
        case NOTIFY_SWAP_CANCELLED:
                return en ? asprintf(ret, "Your swap of %s (swap %lld) was cancelled by %s%s. Your duty stays as it is.",
                                     day, id, decider(f, en), strempty(why))
                          : asprintf(ret, "您 %s 的调班申请（调班申请 %lld）已被%s撤销%s。原值班安排不变。",
                                     day, id, decider(f, en), strempty(why));
        case _NOTIFY_SWAP_OUTCOME_MAX:
        case _NOTIFY_SWAP_OUTCOME_INVALID:
                break;
        }
        return -EINVAL;
}

static int render_person_event(const NotifyFacts *f, bool en, const char *day, const char *until, char **ret) {
        char at[6];
        long long id = (long long) f->id;

        switch (f->kind) {
        case NOTIFY_KIND_DUTY_SOON:
                (void) minutes_format(f->minutes, at);
                return en ? asprintf(ret, "%s, your duty as %s begins at %s on %s. Please be at the duty room for the handover.",
                                     or_dash(f->person_name), or_dash(f->post_name), at, day)
                          : asprintf(ret, "%s同志：您的值班（%s，岗位：%s）将于 %s 开始，请提前到值班室交接班。",
                                     or_dash(f->person_name), day, or_dash(f->post_name), at);
        case NOTIFY_KIND_ROSTER_CHANGED:
                return render_roster_changed(f, en, ret);
        case NOTIFY_KIND_SWAP_APPROVAL:
                return en ? asprintf(ret, "%s and %s agreed to swap the duty of %s (swap %lld); it waits for your approval: "
                                     "`dutyctl swap approve %lld`.",
                                     or_dash(f->other_name), or_dash(f->third_name), day, id, id)
                          : asprintf(ret, "%s与%s调换 %s 值班的申请（调班申请 %lld）双方已同意，等待您审批："
                                     "批准请执行 `dutyctl swap approve %lld`。",
                                     or_dash(f->other_name), or_dash(f->third_name), day, id, id);
        case NOTIFY_KIND_SWAP_DECIDED:
                return render_swap_decided(f, en, day, ret);
        case NOTIFY_KIND_RETURN_OVERDUE:
                if (f->to_other)
                        return en ? asprintf(ret, "The leave of %s from %s to %s (leave %lld) has ended and the return is "
                                             "not reported; please remind them to report it.",
                                             or_dash(f->other_name), day, until, id)
                                  : asprintf(ret, "%s %s 至 %s 的请假（请假单 %lld）已到期，尚未销假，请督促其及时销假。",
                                             or_dash(f->other_name), day, until, id);
                return en ? asprintf(ret, "%s, your leave from %s to %s (leave %lld) has ended and your return is not "
                                     "reported. Once back, report it with `dutyctl leave return %lld`.",
                                     or_dash(f->person_name), day, until, id, id)
                          : asprintf(ret, "%s同志：您 %s 至 %s 的请假（请假单 %lld）已到期，尚未销假。"
                                     "返岗后请执行 `dutyctl leave return %lld` 销假。",
                                     or_dash(f->person_name), day, until, id, id);
        case NOTIFY_KIND_DUTY_TOMORROW:
        case NOTIFY_KIND_SWAP_REQUESTED:
        case NOTIFY_KIND_LEAVE_PENDING:
        case NOTIFY_KIND_LEAVE_DECIDED:
        case NOTIFY_KIND_TEST:
        case NOTIFY_KIND_REPORT_REMINDER:
        case NOTIFY_KIND_GAP_ALERT:
        case NOTIFY_KIND_TAKEOVER_MISSED:
        case NOTIFY_KIND_REPORT_MISSED:
        case NOTIFY_KIND_SUMMARY:
        case _NOTIFY_KIND_MAX:
        case _NOTIFY_KIND_INVALID:
                break;
        }
        return -EINVAL;
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
        case NOTIFY_KIND_DUTY_SOON:
        case NOTIFY_KIND_ROSTER_CHANGED:
        case NOTIFY_KIND_SWAP_APPROVAL:
        case NOTIFY_KIND_SWAP_DECIDED:
        case NOTIFY_KIND_RETURN_OVERDUE:
                r = render_person_event(f, en, day, until, &s);
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
        case NOTIFY_KIND_GAP_ALERT:
                r = en ? asprintf(&s, "%s, the duty roster has a gap: %s Fill it with `dutyctl gaps` and `dutyctl assign`.",
                                  or_dash(f->person_name), or_dash(f->detail_en))
                       : asprintf(&s, "%s同志：值班安排出现缺口。%s 请用 `dutyctl gaps` 查看并安排补位。",
                                  or_dash(f->person_name), or_dash(f->detail_zh));
                break;
        case NOTIFY_KIND_TAKEOVER_MISSED:
                r = en ? asprintf(&s, "%s, a duty was not taken over after the handover: %s Call the duty room.",
                                  or_dash(f->person_name), or_dash(f->detail_en))
                       : asprintf(&s, "%s同志：交接班后无人接班。%s 请立即联系值班室。",
                                  or_dash(f->person_name), or_dash(f->detail_zh));
                break;
        case NOTIFY_KIND_REPORT_MISSED:
                r = en ? asprintf(&s, "%s, a report missed its deadline: %s",
                                  or_dash(f->person_name), or_dash(f->detail_en))
                       : asprintf(&s, "%s同志：信息报送超时。%s",
                                  or_dash(f->person_name), or_dash(f->detail_zh));
                break;
        case NOTIFY_KIND_SUMMARY:
                r = en ? asprintf(&s, "%s, the duty room's summary for %s to %s.\n%s",
                                  or_dash(f->person_name), day, until, or_dash(f->detail_en))
                       : asprintf(&s, "%s同志：%s 至 %s 值班情况汇总。\n%s",
                                  or_dash(f->person_name), day, until, or_dash(f->detail_zh));
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

/* One section: its heading, then up to NOTIFY_SUMMARY_LINES_MAX lines, the rest counted. */
static void summary_section(FILE *f, bool en, const char *heading_en, const char *heading_zh,
                            const char *const *lines, size_t n) {
        size_t shown = n < NOTIFY_SUMMARY_LINES_MAX ? n : NOTIFY_SUMMARY_LINES_MAX;

        fprintf(f, "%s", en ? heading_en : heading_zh);
        if (n == 0) {
                fprintf(f, "%s\n", en ? " none" : "无");
                return;
        }
        fprintf(f, en ? " %zu\n" : "%zu项\n", n);
        for (size_t i = 0; i < shown; i++)
                fprintf(f, "- %s\n", or_dash(lines[i]));
        if (n > shown)
                fprintf(f, en ? "- … and %zu more\n" : "- ……另有%zu项\n", n - shown);
}

char *notify_summary_render(const NotifySummary *sm, const char *language) {
        bool en = language_is_en(language);
        char *buf = NULL;
        size_t size = 0, shown;
        FILE *f;

        if (!sm)
                return NULL;
        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;

        fprintf(f, "%s", en ? "Duties:" : "值班安排：");
        if (sm->n_duties == 0)
                fprintf(f, "%s\n", en ? " none" : "无");
        else
                fputc('\n', f);
        shown = sm->n_duties < NOTIFY_SUMMARY_LINES_MAX ? sm->n_duties : NOTIFY_SUMMARY_LINES_MAX;
        for (size_t i = 0; i < shown; i++) {
                const NotifySummaryDuty *d = &sm->duties[i];
                char day[DAY_STRING_MAX];

                (void) day_format(d->day, day);
                fprintf(f, "- %s %s: %s\n", day, or_dash(d->post_name),
                        d->person_name ?: (en ? "(empty)" : "（空缺）"));
        }
        if (sm->n_duties > shown)
                fprintf(f, en ? "- … and %zu more\n" : "- ……另有%zu项\n", sm->n_duties - shown);
        summary_section(f, en, "Open gaps:", "未解决的缺口：", sm->gaps, sm->n_gaps);
        summary_section(f, en, "Leaves waiting for a decision:", "待审批的请假：", sm->leaves_pending, sm->n_leaves_pending);
        summary_section(f, en, "Swaps pending:", "待处理的调班：", sm->swaps_pending, sm->n_swaps_pending);
        summary_section(f, en, "Leaders away:", "外出的领导：", sm->away, sm->n_away);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        /* Trailing newline off: notify_render() places the text. */
        if (size > 0 && buf[size - 1] == '\n')
                buf[size - 1] = '\0';
        return buf;
}
