/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Reports for the superior duty office (报送): a journal entry with MESSAGE_ID REPORT_MESSAGE_ID and
 * the DUTY_REPORT_* fields of report-fields.h, one per holiday a published roster covers and one
 * per step of a reportable leader's out-of-town leave (外出报备). systemd-journal-upload carries them
 * to the superior's systemd-journal-remote; dutyd never contacts anyone itself.
 *
 * The entries are written only when the configuration has an office_id, and only once the
 * request's transaction committed: they join the request's other journal entries
 * (Manager.journal_pending, flushed by api_run_audited()), so a change rolled back is never
 * reported. A report's version grows per key (store_report_version_next(), in the same
 * transaction): a roster report carries at least the version the publication got.
 *
 * The payload (DUTY_REPORT_JSON) and the MESSAGE are made by pure functions from plain structs,
 * so that the unit tests pin the format the aggregator reads. */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "date.h"
#include "report-fields.h"

typedef struct Manager Manager;
typedef struct LeaveEntry LeaveEntry;
typedef struct StoreAmendment StoreAmendment;

typedef enum ReportState {
        REPORT_PUBLISHED,       /* roster: a publication covers the holiday */
        REPORT_AMENDED,         /* roster: a published day of it was amended */
        REPORT_APPROVED,        /* away: the leave was approved */
        REPORT_CHANGED,         /* away: its itinerary changed (LeaveChange of an approved leave) */
        REPORT_CANCELLED,       /* away: cancelled before it began */
        REPORT_RETURNED,        /* away: the person reported back (销假) */
        _REPORT_STATE_MAX,
        _REPORT_STATE_INVALID = -EINVAL,
} ReportState;

/* The REPORT_STATE_* strings. */
const char *report_state_to_string(ReportState s);
ReportState report_state_from_string(const char *s);

typedef struct ReportOffice {
        const char *id;         /* Config.office_id */
        const char *name;       /* Config.office, may be NULL */
        const char *phone;      /* the duty room's phone, may be NULL */
} ReportOffice;

typedef struct ReportPerson {
        const char *id;
        const char *name;
        const char *title;      /* may be NULL */
        const char *phone;      /* may be NULL */
} ReportPerson;

typedef struct ReportDay {
        Day day;
        const ReportPerson *leader;     /* NULL: nobody on call */
        const ReportPerson *officers;
        size_t n_officers;
        const char *duty_phone;         /* may be NULL */
} ReportDay;

typedef struct ReportRoster {
        const char *key;                /* "<notice year>-<item>" */
        const char *holiday;            /* its name */
        Day from, to;                   /* the holiday's duty period */
        int version;
        ReportState state;              /* published or amended */
        const char *published;          /* RFC 3339, when this version or amendment was made */
        const ReportDay *days;          /* from..to in order */
        size_t n_days;
} ReportRoster;

typedef struct ReportAway {
        const char *key;                /* "leave-<id>" */
        int64_t leave_id;
        int version;
        ReportState state;              /* approved, changed, cancelled or returned */
        ReportPerson person;
        const char *destination;        /* may be NULL */
        const char *reason;             /* may be NULL */
        const char *start, *end;        /* as the IDL's Leave gives them: "YYYY-MM-DD HH:MM" */
        Day from, to;                   /* the days it touches (DUTY_REPORT_FROM/TO) */
        unsigned half_days;
        const char *acting_id;          /* who presides meanwhile, or NULL */
        const char *acting_name;
        const char *reported;           /* RFC 3339, when this step was made */
} ReportAway;

/* The key of the holiday of a duty period: "<notice year>-<item>" from the last day of it a notice
 * names (HolidayDay.notice_year/notice_item), into buf. -ENOENT when no notice names any of its
 * days (a local holiday alone: the superior did not ask for it). */
#define REPORT_KEY_MAX 32
int report_holiday_key(const HolidayDay *days, size_t n_days, Day from, Day to, char buf[static REPORT_KEY_MAX]);

/* The compact JSON payload of the contract (report-fields.h), newly allocated into *ret. Returns 0,
 * -EINVAL, -ENOMEM, or -E2BIG when it would exceed REPORT_JSON_MAX. */
int report_roster_json(const ReportOffice *o, const ReportRoster *r, char **ret);
int report_away_json(const ReportOffice *o, const ReportAway *a, char **ret);

/* The one-line MESSAGE in lang ("en", else Chinese). Newly allocated, NULL on OOM. */
char *report_roster_message(const ReportRoster *r, const char *lang);
char *report_away_message(const ReportAway *a, const char *lang);

/* The entry's DUTY_* fields ("FIELD=value", NULL-terminated, newly allocated): DUTY_OFFICE is left
 * to the writer (log_struct_entry()). Returns 0, -EINVAL or -ENOMEM. */
int report_fields(const ReportOffice *o, const char *kind, const char *key, int version, ReportState state,
                  Day from, Day to, const char *json, char ***ret);

/* "2026-09-20T10:00:00+08:00" of a wall-clock instant in the local time zone, into buf
 * (instant_format(), as every point in time of the protocol); NULL if it cannot be told. */
#define REPORT_STAMP_MAX TIMESTAMP_STRING_MAX
const char *report_stamp(uint64_t usec, char buf[static REPORT_STAMP_MAX]);

/* ---- What the daemon reports (the request's transaction must be open) ---- */

/* A publication of from..to as `version`: one report per holiday period it touches (when
 * superior.holiday_rosters is on). Logs its own failures. */
void report_roster_publication(Manager *m, Day from, Day to, int version);
/* Amendments of published days: one report per holiday period an amended day lies in. */
void report_roster_amendments(Manager *m, const StoreAmendment *a, size_t n);
/* A step of a leave: reported if it is out of town and its person belongs to a report group. */
void report_leave(Manager *m, const LeaveEntry *e, ReportState state);
