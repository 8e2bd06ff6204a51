/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Notifications, the pure part (libdutyd-core): the kinds of event, the channel types and body
 * templates, the retry schedule and the text a person reads. The outbox (store-notify.c) keeps
 * them, the notifier (notify-send.c) delivers them; neither decides what a message says. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "util.h"

/* Stable names: receivers and `dutyctl notify list` see them. */
typedef enum NotifyKind {
        NOTIFY_KIND_DUTY_TOMORROW,     /* your duty tomorrow, at notify.reminder_time the day before */
        NOTIFY_KIND_SWAP_REQUESTED,    /* a swap waits for your consent */
        NOTIFY_KIND_LEAVE_PENDING,     /* a leave waits for your decision */
        NOTIFY_KIND_LEAVE_DECIDED,     /* your leave was approved or rejected */
        NOTIFY_KIND_TEST,              /* `dutyctl notify test` */
        /* Person events (notify-events.h). */
        NOTIFY_KIND_DUTY_SOON,         /* your duty begins in notify.soon_minutes */
        NOTIFY_KIND_ROSTER_CHANGED,    /* a publication or an amendment changed your duties */
        NOTIFY_KIND_SWAP_APPROVAL,     /* a swap its counterpart accepted waits for your approval */
        NOTIFY_KIND_SWAP_DECIDED,      /* your swap was approved, declined or cancelled */
        NOTIFY_KIND_RETURN_OVERDUE,    /* a leave ended and its return (销假) is not reported */
        NOTIFY_KIND_REPORT_REMINDER,   /* aggregator: an office's holiday roster has not arrived (催办) */
        /* To the admins and the leader on call, once per alert (queued where the alert is written): */
        NOTIFY_KIND_GAP_ALERT,         /* the gap monitor opened a gap alert */
        NOTIFY_KIND_TAKEOVER_MISSED,   /* nobody took over a duty post after the handover */
        NOTIFY_KIND_REPORT_MISSED,     /* a report (信息报送, 每日报告) missed its deadline */
        NOTIFY_KIND_SUMMARY,           /* the clerk's daily or weekly summary (notify.summary) */
        _NOTIFY_KIND_MAX,
        _NOTIFY_KIND_INVALID = -EINVAL,
} NotifyKind;

const char *notify_kind_to_string(NotifyKind k);
NotifyKind notify_kind_from_string(const char *s);

/* An outbox row's state: queued (waiting or between retries), sent (every channel took it),
 * failed (notify.max_attempts reached; `dutyctl notify retry` queues it again). */
typedef enum NotifyState {
        NOTIFY_STATE_QUEUED,
        NOTIFY_STATE_SENT,
        NOTIFY_STATE_FAILED,
        _NOTIFY_STATE_MAX,
        _NOTIFY_STATE_INVALID = -EINVAL,
} NotifyState;

const char *notify_state_to_string(NotifyState s);
NotifyState notify_state_from_string(const char *s);

typedef enum NotifyChannelType {
        NOTIFY_CHANNEL_WEBHOOK,        /* an HTTP(S) POST of a JSON body */
        NOTIFY_CHANNEL_COMMAND,        /* a program: the message as JSON on stdin and in the environment */
        NOTIFY_CHANNEL_SMTP,           /* a mail to the person's email, through an SMTP server */
        _NOTIFY_CHANNEL_TYPE_MAX,
        _NOTIFY_CHANNEL_TYPE_INVALID = -EINVAL,
} NotifyChannelType;

const char *notify_channel_type_to_string(NotifyChannelType t);
NotifyChannelType notify_channel_type_from_string(const char *s);

/* The body a webhook receives: dutyd's own JSON, or a group robot's text message (企业微信, 钉钉). */
typedef enum NotifyTemplate {
        NOTIFY_TEMPLATE_JSON,
        NOTIFY_TEMPLATE_WECOM,
        NOTIFY_TEMPLATE_DINGTALK,
        _NOTIFY_TEMPLATE_MAX,
        _NOTIFY_TEMPLATE_INVALID = -EINVAL,
} NotifyTemplate;

const char *notify_template_to_string(NotifyTemplate t);
NotifyTemplate notify_template_from_string(const char *s);

/* Limits: every message and every queue is bounded. */
#define NOTIFY_TEXT_MAX 2048                 /* bytes of a rendered text, per language */
#define NOTIFY_QUEUE_MAX 10000               /* queued rows; beyond, new ones are dropped (journal warning) */
#define NOTIFY_MAX_ATTEMPTS_DEFAULT 8
#define NOTIFY_MAX_ATTEMPTS_MAX 100
#define NOTIFY_REMINDER_MINUTES_DEFAULT (16 * 60)
#define NOTIFY_SOON_MINUTES_DEFAULT 60
#define NOTIFY_SOON_MINUTES_MAX (12 * 60)   /* a duty's start is "soon" at most half a day ahead */
/* A roster_changed message lists at most this many duties added and as many removed ("… N more"). */
#define NOTIFY_DUTIES_LISTED_MAX 10
#define NOTIFY_TIMEOUT_SEC_DEFAULT 10
#define NOTIFY_TIMEOUT_SEC_MAX 300
/* Delivered rows are kept this long (for `dutyctl notify list`), then removed, once a day. */
#define NOTIFY_KEEP_SENT_USEC (90ULL * 24 * 60 * 60 * USEC_PER_SEC)
#define NOTIFY_BACKOFF_FIRST_USEC (30 * USEC_PER_SEC)
#define NOTIFY_BACKOFF_MAX_USEC (60 * 60 * USEC_PER_SEC)

/* The wait before attempt n + 1 after n failed ones (n ≥ 1): first, doubling, at most max. */
uint64_t notify_backoff_usec(unsigned attempts, uint64_t first, uint64_t max);

/* A duty a roster_changed message lists. */
typedef struct NotifyDuty {
        Day day;
        const char *post_name;
} NotifyDuty;

/* What swap_decided tells. */
typedef enum NotifySwapOutcome {
        NOTIFY_SWAP_APPROVED,          /* approved and applied: the roster changed */
        NOTIFY_SWAP_DECLINED,          /* the counterpart said no */
        NOTIFY_SWAP_CANCELLED,         /* withdrawn by an administrator */
        _NOTIFY_SWAP_OUTCOME_MAX,
        _NOTIFY_SWAP_OUTCOME_INVALID = -EINVAL,
} NotifySwapOutcome;

/* What a message is about: the fields the texts quote. Strings may be NULL. */
typedef struct NotifyFacts {
        NotifyKind kind;
        const char *person_name;       /* the recipient */
        const char *other_name;        /* the requester of a swap, the applicant of a leave */
        Day day;                       /* the duty, or the leave's first day */
        Day until;                     /* the leave's last day, or DAY_NONE */
        const char *post_name;         /* the duty's post */
        int64_t id;                    /* the leave or swap number, 0 if none */
        bool approved;                 /* leave_decided */
        const char *office;
        /* The person events' own (notify-events.h). */
        int minutes;                   /* duty_soon: when the duty begins, minutes since midnight of day */
        int version;                   /* roster_changed: the publication; 0 for an amendment */
        const char *reason;            /* roster_changed: the amendment's; swap_decided: the note */
        const NotifyDuty *added;       /* roster_changed: the duties you have now and had not */
        size_t n_added;
        const NotifyDuty *removed;     /* roster_changed: the duties you had and have no more */
        size_t n_removed;
        const char *third_name;        /* swap_approval: the counterpart; swap_decided: who decided */
        NotifySwapOutcome outcome;     /* swap_decided */
        bool to_other;                 /* swap_decided: to the counterpart; return_overdue: to the approver */
        const char *holiday;           /* report_reminder: the holiday whose roster is due */
        const char *deadline;          /* report_reminder: "YYYY-MM-DD HH:MM" */
        bool overdue;                  /* report_reminder: the deadline has passed */
        const char *detail_zh;         /* gap_alert, takeover_missed, report_missed: the alert's own
                                        * message; summary: the summary (notify_summary_render()) */
        const char *detail_en;
} NotifyFacts;

/* The message in language "zh" or "en": a newly allocated string, or NULL when out of memory. */
char *notify_render(const NotifyFacts *f, const char *language);

/* The clerk's summary (notify.summary) of the days from … to: what the duty room needs to know at
 * the start of the day or week. Lines are borrowed. */
typedef struct NotifySummaryDuty {
        Day day;
        const char *post_name;
        const char *person_name;       /* NULL: the slot is empty */
} NotifySummaryDuty;

typedef struct NotifySummary {
        Day from, to;
        const NotifySummaryDuty *duties;
        size_t n_duties;
        const char *const *gaps;       /* the open alerts' messages, as told */
        size_t n_gaps;
        const char *const *leaves_pending;  /* "NAME DAY–DAY (leave N)" */
        size_t n_leaves_pending;
        const char *const *swaps_pending;   /* "NAME ⇄ NAME DAY (swap N)" */
        size_t n_swaps_pending;
        const char *const *away;       /* leaders away: "NAME DAY–DAY DESTINATION" */
        size_t n_away;
} NotifySummary;

/* Lines of each list quoted in a summary; the rest are counted ("… and N more"). */
#define NOTIFY_SUMMARY_LINES_MAX 30

/* The summary's text in language "zh" or "en" (without greeting: notify_render() adds it), newly
 * allocated, at most NOTIFY_TEXT_MAX bytes; NULL when out of memory. */
char *notify_summary_render(const NotifySummary *s, const char *language);
