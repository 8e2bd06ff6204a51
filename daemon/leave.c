/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leave.h"

static const char *const leave_kind_zh_table[_LEAVE_KIND_MAX] = {
        [LEAVE_KIND_PERSONAL] = "事假",
        [LEAVE_KIND_OFFICIAL] = "公假",
        [LEAVE_KIND_SICK] = "病假",
        [LEAVE_KIND_BUSINESS_TRIP] = "出差",
        [LEAVE_KIND_ANNUAL] = "年休假",
        [LEAVE_KIND_OTHER] = "其他",
};

static const char *const leave_state_zh_table[_LEAVE_STATE_MAX] = {
        [LEAVE_STATE_PENDING] = "待审批",
        [LEAVE_STATE_APPROVED] = "已批准",
        [LEAVE_STATE_REJECTED] = "未批准",
        [LEAVE_STATE_CANCELLED] = "已撤销",
        [LEAVE_STATE_STARTED] = "外出中",
        [LEAVE_STATE_RETURNED] = "已销假",
        [LEAVE_STATE_OVERDUE] = "逾期未销假",
};

static const char *const leave_half_table[_LEAVE_HALF_MAX] = {
        [LEAVE_HALF_AM] = "am",
        [LEAVE_HALF_PM] = "pm",
        [LEAVE_HALF_EVENING] = "evening",
};

static const char *const leave_half_zh_table[_LEAVE_HALF_MAX] = {
        [LEAVE_HALF_AM] = "上午",
        [LEAVE_HALF_PM] = "下午",
        [LEAVE_HALF_EVENING] = "晚上",
};

typedef struct LeaveErrorText {
        const char *code;
        const char *zh;
        const char *en;
} LeaveErrorText;

static const LeaveErrorText leave_error_table[_LEAVE_ERROR_MAX] = {
        [LEAVE_ERROR_NONE] = { "none", "成功。", "Success." },
        [LEAVE_ERROR_INVALID] = { "invalid", "请假记录不完整或有误。", "The leave record is incomplete or malformed." },
        [LEAVE_ERROR_BAD_TIME] = { "bad_time", "请假时间有误：结束时间须晚于开始时间。",
                                   "The leave times are invalid: the end must come after the start." },
        [LEAVE_ERROR_TOO_LONG] = { "too_long", "请假时间过长，超过一年。", "The leave is longer than a year." },
        [LEAVE_ERROR_NOT_PENDING] = { "not_pending", "该请假已处理，不能再审批。",
                                      "The leave has already been decided." },
        [LEAVE_ERROR_NOT_APPROVED] = { "not_approved", "该请假未获批准，无需销假。",
                                       "The leave was never approved, so there is nothing to report back from." },
        [LEAVE_ERROR_CLOSED] = { "closed", "该请假已结束（未批准、已撤销或已销假）。",
                                 "The leave is closed (rejected, cancelled or returned)." },
        [LEAVE_ERROR_ALREADY_STARTED] = { "already_started", "请假已开始，不能撤销，返回后请销假。",
                                          "The leave has already started and cannot be cancelled; report the return instead." },
        [LEAVE_ERROR_NOT_STARTED] = { "not_started", "请假尚未开始，不能销假；如不再外出请撤销。",
                                      "The leave has not started yet; cancel it instead of reporting a return." },
        [LEAVE_ERROR_BAD_RETURN_TIME] = { "bad_return_time", "销假时间须在请假开始之后、当前时间之前。",
                                          "The return time must lie between the start of the leave and now." },
        [LEAVE_ERROR_NOT_URGENT] = { "not_urgent", "该请假不是紧急请假，无需补办书面手续。",
                                     "The leave is not urgent and has no written form to follow." },
        [LEAVE_ERROR_PAPERWORK_DONE] = { "paperwork_done", "书面手续已补办。",
                                         "The written form has already been submitted." },
        [LEAVE_ERROR_SELF_APPROVAL] = { "self_approval", "不能审批本人的请假。",
                                        "Nobody may approve their own leave." },
        [LEAVE_ERROR_NOT_APPROVER] = { "not_approver", "只有该请假的审批人可以审批（管理员须加 --override 并说明理由）。",
                                       "Only the leave's approver may decide it (an administrator only with --override and a reason)." },
};

const char *leave_kind_to_zh(LeaveKind k) {
        if (k < 0 || k >= _LEAVE_KIND_MAX)
                return NULL;
        return leave_kind_zh_table[k];
}

const char *leave_state_to_zh(LeaveState s) {
        if (s < 0 || s >= _LEAVE_STATE_MAX)
                return NULL;
        return leave_state_zh_table[s];
}

bool leave_state_is_away(LeaveState s) {
        switch (s) {
        case LEAVE_STATE_APPROVED:
        case LEAVE_STATE_STARTED:
        case LEAVE_STATE_OVERDUE:
                return true;
        case LEAVE_STATE_PENDING:
        case LEAVE_STATE_REJECTED:
        case LEAVE_STATE_CANCELLED:
        case LEAVE_STATE_RETURNED:
        case _LEAVE_STATE_MAX:
        case _LEAVE_STATE_INVALID:
                return false;
        }
        return false;
}

bool leave_state_is_open(LeaveState s) {
        return s == LEAVE_STATE_PENDING || leave_state_is_away(s);
}

const char *leave_half_to_string(LeaveHalf h) {
        if (h < 0 || h >= _LEAVE_HALF_MAX)
                return NULL;
        return leave_half_table[h];
}

LeaveHalf leave_half_from_string(const char *s) {
        if (!s)
                return _LEAVE_HALF_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(leave_half_table); i++)
                if (streq(leave_half_table[i], s) || streq(leave_half_zh_table[i], s))
                        return (LeaveHalf) i;
        return _LEAVE_HALF_INVALID;
}

bool leave_time_is_valid(LeaveTime t) {
        int y;

        if (t.day == DAY_NONE || t.minutes < 0 || t.minutes > MINUTES_PER_DAY)
                return false;
        y = day_year(t.day);
        return y >= DAY_MIN_YEAR && y <= DAY_MAX_YEAR;
}

/* A handover after noon would make the morning empty; the morning then starts at midnight. */
static int morning_start(int handover_minutes) {
        return handover_minutes >= 0 && handover_minutes < LEAVE_NOON_MINUTES ? handover_minutes : 0;
}

LeaveTime leave_half_start(Day d, LeaveHalf h, int handover_minutes) {
        switch (h) {
        case LEAVE_HALF_AM:
                return (LeaveTime) { d, morning_start(handover_minutes) };
        case LEAVE_HALF_PM:
                return (LeaveTime) { d, LEAVE_NOON_MINUTES };
        case LEAVE_HALF_EVENING:
                return (LeaveTime) { d, LEAVE_CLOSE_MINUTES };
        case _LEAVE_HALF_MAX:
        case _LEAVE_HALF_INVALID:
                break;
        }
        return (LeaveTime) { DAY_NONE, 0 };
}

LeaveTime leave_half_end(Day d, LeaveHalf h, int handover_minutes) {
        switch (h) {
        case LEAVE_HALF_AM:
                return (LeaveTime) { d, LEAVE_NOON_MINUTES };
        case LEAVE_HALF_PM:
                return (LeaveTime) { d, LEAVE_CLOSE_MINUTES };
        case LEAVE_HALF_EVENING:
                return (LeaveTime) { d, MINUTES_PER_DAY };
        case _LEAVE_HALF_MAX:
        case _LEAVE_HALF_INVALID:
                break;
        }
        return (LeaveTime) { DAY_NONE, 0 };
}

int leave_time_parse(const char *s, bool is_end, int handover_minutes, LeaveTime *ret) {
        char date[DAY_STRING_MAX];
        const char *rest;
        LeaveTime t;
        Day d;

        if (!s || strlen(s) < DAY_STRING_MAX - 1)
                return -EINVAL;
        memcpy(date, s, DAY_STRING_MAX - 1);
        date[DAY_STRING_MAX - 1] = '\0';
        if (day_parse(date, &d) < 0)
                return -EINVAL;

        rest = s + DAY_STRING_MAX - 1;
        if (*rest == '\0')
                t = is_end ? (LeaveTime) { d, MINUTES_PER_DAY } : (LeaveTime) { d, morning_start(handover_minutes) };
        else {
                LeaveHalf h;
                int m;

                if (*rest != ' ' && *rest != 'T')
                        return -EINVAL;
                rest++;

                h = leave_half_from_string(rest);
                if (h >= 0)
                        t = is_end ? leave_half_end(d, h, handover_minutes) : leave_half_start(d, h, handover_minutes);
                else if (is_end && streq(rest, "24:00"))
                        t = (LeaveTime) { d, MINUTES_PER_DAY };
                else if (minutes_parse(rest, &m) >= 0)
                        t = (LeaveTime) { d, m };
                else
                        return -EINVAL;
        }

        *ret = t;
        return 0;
}

char *leave_time_format(LeaveTime t, char buf[static LEAVE_TIME_STRING_MAX]) {
        char d[DAY_STRING_MAX];
        int m = t.minutes < 0 ? 0 : t.minutes > MINUTES_PER_DAY ? MINUTES_PER_DAY : t.minutes;

        snprintf(buf, LEAVE_TIME_STRING_MAX, "%s %02d:%02d", day_format(t.day, d), m / 60, m % 60);
        return buf;
}

void leave_done(Leave *l) {
        if (!l)
                return;
        free(l->person);
        free(l->destination);
        free(l->reason);
        free(l->phone);
        free(l->acting);
        free(l->decided_by);
        *l = (Leave) {};
}

Leave *leave_array_free(Leave *l, size_t n) {
        if (!l)
                return NULL;
        for (size_t i = 0; i < n; i++)
                leave_done(&l[i]);
        free(l);
        return NULL;
}

const char *leave_error_code_to_string(LeaveErrorCode c) {
        if (c < 0 || c >= _LEAVE_ERROR_MAX)
                return NULL;
        return leave_error_table[c].code;
}

LeaveErrorCode leave_error_code_from_string(const char *s) {
        if (!s)
                return _LEAVE_ERROR_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(leave_error_table); i++)
                if (streq(leave_error_table[i].code, s))
                        return (LeaveErrorCode) i;
        return _LEAVE_ERROR_INVALID;
}

int leave_error_set(LeaveError *e, LeaveErrorCode code, int r) {
        if (e && code >= 0 && code < _LEAVE_ERROR_MAX)
                *e = (LeaveError) {
                        .code = code,
                        .message_zh = leave_error_table[code].zh,
                        .message_en = leave_error_table[code].en,
                };
        return r;
}

/* 24:00 only ends a leave: as a start it would be the next day's midnight in disguise. */
static bool leave_times_ok(const Leave *l) {
        return leave_time_is_valid(l->start) && leave_time_is_valid(l->end) &&
                l->start.minutes < MINUTES_PER_DAY &&
                leave_time_compare(l->start, l->end) < 0;
}

int leave_validate(const Leave *l, LeaveError *ret_error) {
        if (!l || isempty(l->person) || l->kind < 0 || l->kind >= _LEAVE_KIND_MAX ||
            l->state < 0 || l->state >= _LEAVE_STATE_MAX || l->state == LEAVE_STATE_OVERDUE)
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (!leave_times_ok(l))
                return leave_error_set(ret_error, LEAVE_ERROR_BAD_TIME, -EINVAL);
        if (leave_time_minutes(l->end) - leave_time_minutes(l->start) > (int64_t) LEAVE_DAYS_MAX * MINUTES_PER_DAY)
                return leave_error_set(ret_error, LEAVE_ERROR_TOO_LONG, -EINVAL);
        return 0;
}

unsigned leave_length_half_days(const Leave *l) {
        LeaveTime end;
        int64_t half;

        if (!l || !leave_times_ok(l))
                return 0;

        /* An end at midnight is the end of the previous day. */
        end = l->end;
        if (end.minutes == 0) {
                end.day--;
                end.minutes = MINUTES_PER_DAY;
        }

        half = ((int64_t) end.day - l->start.day + 1) * 2;
        if (l->start.minutes >= LEAVE_NOON_MINUTES)
                half--;
        if (end.minutes <= LEAVE_NOON_MINUTES)
                half--;
        return half < 1 ? 1 : (unsigned) half;
}

static Day duty_day_at(int64_t instant, int handover_minutes) {
        int64_t d = instant / MINUTES_PER_DAY, m = instant % MINUTES_PER_DAY;

        if (m < 0) {
                m += MINUTES_PER_DAY;
                d--;
        }
        return duty_day_of((Day) d, (int) m, handover_minutes);
}

int leave_duty_days(const Leave *l, int handover_minutes, Day *ret_from, Day *ret_to) {
        if (!l || !leave_times_ok(l))
                return -EINVAL;

        /* The end is exclusive: the last minute of the leave decides the last duty day. */
        if (ret_from)
                *ret_from = duty_day_at(leave_time_minutes(l->start), handover_minutes);
        if (ret_to)
                *ret_to = duty_day_at(leave_time_minutes(l->end) - 1, handover_minutes);
        return 0;
}

bool leave_overlaps(const Leave *a, const Leave *b) {
        if (!a || !b)
                return false;
        return leave_time_compare(a->start, b->end) < 0 && leave_time_compare(b->start, a->end) < 0;
}

LeaveState leave_effective_state(const Leave *l, LeaveTime now) {
        if (!l)
                return _LEAVE_STATE_INVALID;

        switch (l->state) {
        case LEAVE_STATE_APPROVED:
        case LEAVE_STATE_STARTED:
        case LEAVE_STATE_OVERDUE:
                if (leave_time_compare(now, l->end) >= 0)
                        return LEAVE_STATE_OVERDUE;
                if (leave_time_compare(now, l->start) >= 0)
                        return LEAVE_STATE_STARTED;
                return l->state == LEAVE_STATE_APPROVED ? LEAVE_STATE_APPROVED : LEAVE_STATE_STARTED;
        case LEAVE_STATE_PENDING:
        case LEAVE_STATE_REJECTED:
        case LEAVE_STATE_CANCELLED:
        case LEAVE_STATE_RETURNED:
                return l->state;
        case _LEAVE_STATE_MAX:
        case _LEAVE_STATE_INVALID:
                break;
        }
        return _LEAVE_STATE_INVALID;
}

bool leave_paperwork_overdue(const Leave *l, Day today) {
        if (!l || !l->urgent || l->paperwork_done || l->paperwork_due == DAY_NONE || today <= l->paperwork_due)
                return false;

        switch (l->state) {
        case LEAVE_STATE_PENDING:
        case LEAVE_STATE_APPROVED:
        case LEAVE_STATE_STARTED:
        case LEAVE_STATE_OVERDUE:
        case LEAVE_STATE_RETURNED:
                return true;
        case LEAVE_STATE_REJECTED:
        case LEAVE_STATE_CANCELLED:
        case _LEAVE_STATE_MAX:
        case _LEAVE_STATE_INVALID:
                return false;
        }
        return false;
}

bool leave_is_unexcused(const Leave *l, LeaveTime now) {
        if (!l)
                return false;
        return l->unexcused || (l->state == LEAVE_STATE_PENDING && leave_time_compare(now, l->start) >= 0);
}

int leave_approve(Leave *l, LeaveTime now, LeaveError *ret_error) {
        if (!l)
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (l->state != LEAVE_STATE_PENDING)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_PENDING, -ESTALE);

        l->state = LEAVE_STATE_APPROVED;
        if (leave_time_compare(now, l->start) >= 0)
                l->unexcused = true;
        return 0;
}

int leave_reject(Leave *l, LeaveError *ret_error) {
        if (!l)
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (l->state != LEAVE_STATE_PENDING)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_PENDING, -ESTALE);

        l->state = LEAVE_STATE_REJECTED;
        return 0;
}

/* Cancelling and reporting a return act on open leave: 0 for it (pending, approved, started,
 * overdue), else the error of a closed one (rejected, cancelled, returned) or of none at all. */
static int leave_check_open(const Leave *l, LeaveError *ret_error) {
        if (!l || l->state < 0 || l->state >= _LEAVE_STATE_MAX)
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (!leave_state_is_open(l->state))
                return leave_error_set(ret_error, LEAVE_ERROR_CLOSED, -ESTALE);
        return 0;
}

int leave_cancel(Leave *l, LeaveTime now, LeaveError *ret_error) {
        int r;

        r = leave_check_open(l, ret_error);
        if (r < 0)
                return r;
        if (l->state == LEAVE_STATE_STARTED || l->state == LEAVE_STATE_OVERDUE)
                return leave_error_set(ret_error, LEAVE_ERROR_ALREADY_STARTED, -EBUSY);

        if (leave_time_compare(now, l->start) >= 0)
                return leave_error_set(ret_error, LEAVE_ERROR_ALREADY_STARTED, -EBUSY);

        l->state = LEAVE_STATE_CANCELLED;
        return 0;
}

int leave_return(Leave *l, LeaveTime now, LeaveTime returned_at, LeaveError *ret_error) {
        int r;

        r = leave_check_open(l, ret_error);
        if (r < 0)
                return r;
        if (l->state == LEAVE_STATE_PENDING)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_APPROVED, -ESTALE);

        if (leave_time_compare(now, l->start) < 0)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_STARTED, -EBUSY);
        if (!leave_time_is_valid(returned_at) ||
            leave_time_compare(returned_at, l->start) < 0 ||
            leave_time_compare(returned_at, now) > 0)
                return leave_error_set(ret_error, LEAVE_ERROR_BAD_RETURN_TIME, -EINVAL);

        l->state = LEAVE_STATE_RETURNED;
        l->returned = returned_at;
        return 0;
}

int leave_submit_paperwork(Leave *l, LeaveError *ret_error) {
        if (!l)
                return leave_error_set(ret_error, LEAVE_ERROR_INVALID, -EINVAL);
        if (!l->urgent)
                return leave_error_set(ret_error, LEAVE_ERROR_NOT_URGENT, -EINVAL);
        if (l->state == LEAVE_STATE_REJECTED || l->state == LEAVE_STATE_CANCELLED)
                return leave_error_set(ret_error, LEAVE_ERROR_CLOSED, -ESTALE);
        if (l->paperwork_done)
                return leave_error_set(ret_error, LEAVE_ERROR_PAPERWORK_DONE, -EALREADY);

        l->paperwork_done = true;
        return 0;
}

int leave_mark_started(Leave *l, LeaveTime now) {
        if (!l || l->state != LEAVE_STATE_APPROVED || leave_time_compare(now, l->start) < 0)
                return 0;
        l->state = LEAVE_STATE_STARTED;
        return 1;
}
