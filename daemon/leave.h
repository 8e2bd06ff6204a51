/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Leave (请假) and return (销假): the record and its state machine. Pure core: no I/O, no clock (the
 * caller passes "now"), no logging, no allocation in the transitions.
 *
 *   pending ──approve──▶ approved ──(now ≥ start)──▶ started ──return──▶ returned
 *      │                    │                           │
 *      ├──reject──▶ rejected └──cancel (before start)──▶ cancelled
 *      └──cancel (before start)──▶ cancelled
 *
 * "started" is reached by time alone: leave_effective_state() derives it from an approved leave and
 * "now", so nothing has to run at the start instant (leave_mark_started() lets the store persist it).
 * "overdue" is never stored: it is an approved or started leave whose end has passed with no return.
 * A leave approved after it began is flagged unexcused (先走后批). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "util.h"
#include "vocabulary.h"

/* A leave spans at most this many calendar days. */
#define LEAVE_DAYS_MAX 366

#define MINUTES_PER_DAY 1440
/* The half-day boundaries: the morning runs from the handover to noon, the afternoon from noon to
 * the close of office, the evening from there to midnight. */
#define LEAVE_NOON_MINUTES (12 * 60)
#define LEAVE_CLOSE_MINUTES (17 * 60 + 30)

/* "YYYY-MM-DD HH:MM" + NUL. */
#define LEAVE_TIME_STRING_MAX 17

const char *leave_kind_to_zh(LeaveKind k);

const char *leave_state_to_zh(LeaveState s);

/* The person is away: approved, started or overdue. Pending, rejected, cancelled and returned leave
 * do not make anybody absent. */
bool leave_state_is_away(LeaveState s);
/* Pending or away: a leave that still claims its time. */
bool leave_state_is_open(LeaveState s);

typedef enum LeaveHalf {
        LEAVE_HALF_AM,
        LEAVE_HALF_PM,
        LEAVE_HALF_EVENING,
        _LEAVE_HALF_MAX,
        _LEAVE_HALF_INVALID = -EINVAL,
} LeaveHalf;

/* "am", "pm", "evening"; from_string also takes "上午", "下午", "晚上". */
const char *leave_half_to_string(LeaveHalf h);
LeaveHalf leave_half_from_string(const char *s);

/* A local instant. minutes is 0..1439, or 1440 (24:00) for the end of a day, used only as an end. */
typedef struct LeaveTime {
        Day day;
        int minutes;
} LeaveTime;

static inline int64_t leave_time_minutes(LeaveTime t) {
        return (int64_t) t.day * MINUTES_PER_DAY + t.minutes;
}

static inline int leave_time_compare(LeaveTime a, LeaveTime b) {
        int64_t x = leave_time_minutes(a), y = leave_time_minutes(b);

        return (x > y) - (x < y);
}

bool leave_time_is_valid(LeaveTime t);
/* The start and the end of a half day; the morning starts at the handover (if before noon). */
LeaveTime leave_half_start(Day d, LeaveHalf h, int handover_minutes);
LeaveTime leave_half_end(Day d, LeaveHalf h, int handover_minutes);

/* Parses "YYYY-MM-DD" (a whole day: from the handover as a start, to 24:00 as an end),
 * "YYYY-MM-DD am|pm|evening" (the half's start or end) or "YYYY-MM-DD HH:MM" (also with 'T';
 * "24:00" only as an end). Returns 0 or -EINVAL; ret untouched on failure. */
int leave_time_parse(const char *s, bool is_end, int handover_minutes, LeaveTime *ret);
/* "YYYY-MM-DD HH:MM" ("24:00" for the end of a day). */
char *leave_time_format(LeaveTime t, char buf[static LEAVE_TIME_STRING_MAX]);

typedef struct Leave {
        int64_t id;              /* 0: not stored yet */
        char *person;            /* Person.id */
        LeaveKind kind;
        LeaveTime start, end;    /* [start, end) */
        char *destination;       /* may be NULL */
        bool out_of_town;        /* leaves the locality (离开本地) */
        char *reason;            /* may be NULL */
        char *phone;             /* contact while away, may be NULL */
        char *acting;            /* Person.id of who acts for the person (代为主持工作), or NULL */
        bool urgent;             /* requested by phone; the written form follows */
        Day requested;           /* the day the request was made */
        Day paperwork_due;       /* urgent leave: the written form is due by this day; else DAY_NONE */
        bool paperwork_done;
        LeaveState state;        /* as stored: never LEAVE_STATE_OVERDUE */
        bool unexcused;          /* approved only after it had started */
        LeaveTime returned;      /* the actual return, when state is LEAVE_STATE_RETURNED */
        char *decided_by;        /* Person.id of who approved or rejected it, filled by the edges */
} Leave;

/* Frees the strings of *l and leaves it zeroed. Accepts NULL. */
void leave_done(Leave *l);
/* leave_done() on every element, then frees the array. Returns NULL. */
Leave *leave_array_free(Leave *l, size_t n);

/* Why a transition or a check was refused. Messages are static full sentences. */
typedef enum LeaveErrorCode {
        LEAVE_ERROR_NONE,
        LEAVE_ERROR_INVALID,          /* the record itself is malformed */
        LEAVE_ERROR_BAD_TIME,         /* a time is out of range, or the end is not after the start */
        LEAVE_ERROR_TOO_LONG,         /* more than LEAVE_DAYS_MAX days */
        LEAVE_ERROR_NOT_PENDING,      /* approve/reject: already decided */
        LEAVE_ERROR_NOT_APPROVED,     /* return: the leave was never approved */
        LEAVE_ERROR_CLOSED,           /* rejected, cancelled or returned: nothing more happens to it */
        LEAVE_ERROR_ALREADY_STARTED,  /* cancel: it has begun, report the return instead */
        LEAVE_ERROR_NOT_STARTED,      /* return: it has not begun, cancel it instead */
        LEAVE_ERROR_BAD_RETURN_TIME,  /* return: before the start or in the future */
        LEAVE_ERROR_NOT_URGENT,       /* paperwork: only urgent leave has a written form to follow */
        LEAVE_ERROR_PAPERWORK_DONE,   /* paperwork: already submitted */
        LEAVE_ERROR_SELF_APPROVAL,    /* nobody approves their own leave */
        LEAVE_ERROR_NOT_APPROVER,     /* the identity may not approve this leave */
        _LEAVE_ERROR_MAX,
        _LEAVE_ERROR_INVALID = -EINVAL,
} LeaveErrorCode;

/* "none", "invalid", "bad_time", "too_long", "not_pending", "not_approved", "closed",
 * "already_started", "not_started", "bad_return_time", "not_urgent", "paperwork_done",
 * "self_approval", "not_approver". */
const char *leave_error_code_to_string(LeaveErrorCode c);
LeaveErrorCode leave_error_code_from_string(const char *s);

typedef struct LeaveError {
        LeaveErrorCode code;
        const char *message_zh;  /* static */
        const char *message_en;  /* static */
} LeaveError;

/* Fills *e (may be NULL) with the code and its messages and returns `r` (a negative errno). */
int leave_error_set(LeaveError *e, LeaveErrorCode code, int r);

/* Checks the record: a person, a valid kind and stored state, valid times with end after start, at
 * most LEAVE_DAYS_MAX days. Returns 0 or -EINVAL with *ret_error (may be NULL) filled. */
int leave_validate(const Leave *l, LeaveError *ret_error);

/* Length in half days: the calendar days from start to end, less a half for a start at or after
 * noon and a half for an end at or before noon; at least 1 for any non-empty leave. */
unsigned leave_length_half_days(const Leave *l);

/* The duty days a leave touches: duty day D runs from D's handover to D+1's handover, and the leave
 * touches D when [start, end) overlaps it. Returns 0 or -EINVAL (end not after start). */
int leave_duty_days(const Leave *l, int handover_minutes, Day *ret_from, Day *ret_to);

/* [start, end) of the two leaves intersect. */
bool leave_overlaps(const Leave *a, const Leave *b);

/* The urgent leave's written form is due this many days after the request. */
static inline Day leave_paperwork_due_from(Day requested, unsigned days) {
        return requested == DAY_NONE ? DAY_NONE : requested + (Day) days;
}

/* The state as of `now`: an approved leave is started once now ≥ start; an approved or started
 * leave is overdue once now ≥ end. Other states are returned as stored. */
LeaveState leave_effective_state(const Leave *l, LeaveTime now);

/* Urgent, not returned to paper, and `today` is past paperwork_due, for a leave that is pending or
 * took place (approved, started, overdue or returned). */
bool leave_paperwork_overdue(const Leave *l, Day today);

/* Flagged when approved, or pending while its start has already passed. */
bool leave_is_unexcused(const Leave *l, LeaveTime now);

/* Transitions. Each validates the stored state and "now"; on success it changes *l and returns 0,
 * on refusal it leaves *l untouched, fills *ret_error (may be NULL) and returns:
 *   -ESTALE     the leave is not in a state where this applies (decided, closed, never approved);
 *   -EBUSY      not at this time (cancel after the start, return before the start);
 *   -EINVAL     a bad argument (return time, paperwork on a leave that is not urgent);
 *   -EALREADY   nothing to do (paperwork already submitted). */

/* pending → approved; flags the leave unexcused when now ≥ start. */
int leave_approve(Leave *l, LeaveTime now, LeaveError *ret_error);
/* pending → rejected. */
int leave_reject(Leave *l, LeaveError *ret_error);
/* pending or approved → cancelled, only before the start. */
int leave_cancel(Leave *l, LeaveTime now, LeaveError *ret_error);
/* started (or approved and begun, or overdue) → returned, with the actual return time, which lies
 * between the start and now. */
int leave_return(Leave *l, LeaveTime now, LeaveTime returned_at, LeaveError *ret_error);
/* The written form of an urgent leave arrived. */
int leave_submit_paperwork(Leave *l, LeaveError *ret_error);
/* approved → started once now ≥ start, so the store can persist it. Returns 1 if changed, else 0. */
int leave_mark_started(Leave *l, LeaveTime now);
