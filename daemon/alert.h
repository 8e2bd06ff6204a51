/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Gap alerts in the systemd journal, de-duplicated against what was told before.
 *
 * A gap gets one entry when it appears, one more each time it becomes more urgent (it crosses 7
 * days, 1 day, 1 hour before its duty), and one "resolved" entry when it disappears. What was told
 * is kept in the store (StoreAlertState), so that a restart repeats nothing. alert_plan() makes
 * that decision and is pure; alert_send() writes one entry. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "gaps.h"
#include "store.h"

/* Every sender below takes `office`: the office id (Config.office_id) written as DUTY_OFFICE so that
 * the superior office knows whose entry it is, or NULL when the office has none.
 *
 * One journal MESSAGE_ID per gap kind and one for a resolved gap; packaging/dutyd.catalog explains
 * each. Never change one: journal queries and the catalog key on them. */
#define ALERT_MESSAGE_ID_UNFILLED            "7c0d749ad4d843b981b3cf89322cf9f2"
#define ALERT_MESSAGE_ID_LEAVE_CONFLICT      "ef3defef650e47c99e418eaac4b90627"
#define ALERT_MESSAGE_ID_INELIGIBLE          "5402346c15a54eec9bc6e00ff9225cec"
#define ALERT_MESSAGE_ID_RULE                "e5b8c18cf0814077af9250f994f165a6"
#define ALERT_MESSAGE_ID_ROSTER_MISSING      "16e3da478eb14e0298d4cfaf66a09a1b"
#define ALERT_MESSAGE_ID_HOLIDAY_UNPUBLISHED "dc33c8e25ebd41e9b9cf4c445e425103"
#define ALERT_MESSAGE_ID_CALENDAR_UNKNOWN    "e178ce2ea832413b9538fe392a40553c"
#define ALERT_MESSAGE_ID_LEAVE_OVERDUE       "3f72d98c7a03404fba5e39055d4da17a"
#define ALERT_MESSAGE_ID_PAPERWORK_OVERDUE   "c8a43debd5db4dff8a6dfd4aa507155c"
#define ALERT_MESSAGE_ID_SWAP_PENDING        "ebe1452975ac4c39ad57fc0b8f421e19"
#define ALERT_MESSAGE_ID_ACTING_UNCOVERED    "bc467c75a0ea4edbaa6668198faf1de6"
#define ALERT_MESSAGE_ID_TAKEOVER_MISSING    "c2dd5db071a143ee88c811110c49013f"
#define ALERT_MESSAGE_ID_RESOLVED            "bfb57ecee2444175809f85ccdcb72def"
/* Presence checks (check.h): one when dutyd asks the people on duty to confirm, one when they did
 * not confirm in time. */
#define ALERT_MESSAGE_ID_PRESENCE_ASKED      "256082731e6d4d29aedfcaf9e63e3c18"
#define ALERT_MESSAGE_ID_PRESENCE_MISSED     "d243682a20e848988a5ef4350848343a"
/* An emergency of the duty log whose report (by phone, in writing) was not recorded as sent by its
 * deadline (信息报送超时): told once per report, by log-watch.c. */
#define ALERT_MESSAGE_ID_REPORT_OVERDUE      "c95a40de87fc443ca391f1bb0a2a9a6d"
/* A duty day's daily report (每日报告, 零报告) not sent by its deadline: told once, by log-watch.c. */
#define ALERT_MESSAGE_ID_DAILY_REPORT_MISSING "9466f9f0595b430cb9843722f47484af"

/* The separator of the person ids in StoreAlertState.people (ids never contain it). */
#define ALERT_PEOPLE_SEPARATOR ","

typedef enum AlertEvent {
        ALERT_EVENT_OPENED,     /* the gap appeared */
        ALERT_EVENT_ESCALATED,  /* it became more urgent than last told */
        ALERT_EVENT_RESOLVED,   /* it is gone */
        _ALERT_EVENT_MAX,
        _ALERT_EVENT_INVALID = -EINVAL,
} AlertEvent;

/* "opened", "escalated", "resolved". */
const char *alert_event_to_string(AlertEvent e);
AlertEvent alert_event_from_string(const char *s);

/* The MESSAGE_ID (32 hex digits) of an entry: the kind's for opened and escalated, the resolved one
 * for resolved. NULL for an invalid kind or event. */
const char *alert_message_id(AlertEvent e, GapKind kind);

/* The journal PRIORITY (syslog level) of an urgency: crit 2, err 3, warning 4, notice 5. */
int alert_priority(GapUrgency u);
/* The PRIORITY of a resolved entry: info. */
#define ALERT_PRIORITY_RESOLVED 6

/* One entry to write. */
typedef struct AlertEntry {
        AlertEvent event;
        const Gap *gap;                 /* opened, escalated: the gap now; resolved: NULL */
        const StoreAlertState *state;   /* escalated, resolved: what was told before; opened: NULL */
} AlertEntry;

/* Decides the entries for the gaps now given what was told (prev): opened for a gap not in prev,
 * escalated for one more urgent than prev's urgency or at a higher step (takeover_missing), resolved for a prev entry no gap has any more;
 * nothing for the others (less urgent counts as told: an entry is never repeated). Resolved entries
 * come first, by gap id, then the others in the order of `gaps`; a gap id given twice counts once.
 * Pointers in the entries borrow from prev and gaps. Returns 0 with a newly allocated array (NULL
 * when there is nothing to write), -EINVAL, -ENOMEM. */
int alert_plan(const StoreAlertState *prev, size_t n_prev, const Gap *gaps, size_t n_gaps,
               AlertEntry **ret, size_t *ret_n);

/* The state to keep once an opened or escalated entry for g is written: its fields, its urgency
 * and its message (copied); first_usec kept from prev (if any), else now_usec. Returns 0 or
 * -ENOMEM, -EINVAL. */
int alert_state_from_gap(const Gap *g, const StoreAlertState *prev, const char *message, uint64_t now_usec,
                         StoreAlertState *ret);

/* The MESSAGE of an entry in lang ("en", else Chinese): the gap's message, or for a resolved gap
 * the message last told, marked resolved. Newly allocated, NULL on OOM. */
char *alert_entry_message(const AlertEntry *e, const Config *c, const char *lang);

/* Writes the entry to the journal with its MESSAGE_ID, PRIORITY, MESSAGE and the DUTY_* fields
 * that apply (DUTY_GAP_ID, DUTY_GAP_KIND, DUTY_GAP_EVENT, DUTY_URGENCY, DUTY_DATE, DUTY_POST,
 * DUTY_SLOT, DUTY_PERSON once per person, DUTY_RULE, DUTY_LEAVE_ID, DUTY_SWAP_ID; takeover_missing:
 * DUTY_STEP and DUTY_ESCALATION "due", "leader" or "admins"). Returns 0 or the
 * negative errno of sd_journal_sendv(). */
int alert_send(const AlertEntry *e, const char *office, const char *message);

typedef struct PresenceCheck PresenceCheck;

/* Writes a presence check's entry: asked (PRIORITY warning) or missed (crit), with DUTY_CHECK_ID,
 * DUTY_DATE (the duty day), DUTY_DUE (local "YYYY-MM-DDTHH:MM") and one DUTY_PERSON per person due. */
int alert_send_presence(const PresenceCheck *p, bool missed, char *const *people, const char *office,
                        const char *message);
/* The MESSAGE of a missing report r of duty log entry e as of now_usec, in lang ("en", else
 * Chinese): the event, the report, its deadline, how late it is and how to record it. Newly
 * allocated, NULL on OOM. */
char *alert_report_overdue_message(const StoreDutyLog *e, DutyLogReport r, uint64_t now_usec, const char *lang);
/* Writes it with MESSAGE_ID ALERT_MESSAGE_ID_REPORT_OVERDUE, PRIORITY crit, DUTY_LOG_ID,
 * DUTY_DATE, DUTY_REPORT, DUTY_DUE, DUTY_OVERDUE_MINUTES and DUTY_PERSON (who wrote the entry).
 * Returns 0 or the negative errno of sd_journal_sendv(). */
int alert_report_overdue_send(const StoreDutyLog *e, DutyLogReport r, uint64_t now_usec, const char *office,
                              const char *message);

/* The MESSAGE of the missing daily report of duty day d, due at due_usec, in lang. */
char *alert_daily_report_message(Day d, uint64_t due_usec, const char *lang);
/* Writes it with MESSAGE_ID ALERT_MESSAGE_ID_DAILY_REPORT_MISSING, PRIORITY crit, DUTY_DATE,
 * DUTY_DUE and one DUTY_PERSON per person on duty that day (people, n). */
int alert_daily_report_send(Day d, uint64_t due_usec, const char *const *people, size_t n, const char *office,
                            const char *message);
