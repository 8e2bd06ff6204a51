/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The superior office's view of its offices (aggregator role, issue #19): the reports they send
 * up, checked and ordered. Pure: the caller reads the journal and the store and passes "now". */

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "util.h"

typedef enum ReportKind {
        REPORT_KIND_ROSTER,     /* a holiday roster published or amended */
        REPORT_KIND_AWAY,       /* a leader's out-of-town leave (外出报备) */
        _REPORT_KIND_MAX,
        _REPORT_KIND_INVALID = -EINVAL,
} ReportKind;

const char *report_kind_to_string(ReportKind k);
ReportKind report_kind_from_string(const char *s);

/* Where an office stands with a notice's roster. */
typedef enum ReportTimeliness {
        REPORT_PENDING,         /* not arrived, deadline not passed */
        REPORT_ON_TIME,         /* written by the deadline */
        REPORT_LATE,            /* written after it */
        REPORT_MISSING,         /* not arrived and the deadline passed */
        _REPORT_TIMELINESS_MAX,
        _REPORT_TIMELINESS_INVALID = -EINVAL,
} ReportTimeliness;

const char *report_timeliness_to_string(ReportTimeliness t);
ReportTimeliness report_timeliness_from_string(const char *s);

/* How many days one roster report may carry (a holiday with its weekends is at most ~10). */
#define REPORT_DAYS_MAX 62
/* The longest key, state and version strings of an entry taken. */
#define REPORT_KEY_MAX 64

/* One report as stored: the latest version of (office, kind, key). */
typedef struct OfficeReport {
        char *office;
        ReportKind kind;
        char *key;
        int64_t version;
        char *state;
        Day from, to;
        uint64_t written_usec;  /* when the office wrote this version (__REALTIME_TIMESTAMP) */
        uint64_t first_usec;    /* when it wrote the first version the aggregator took */
        char *payload;          /* DUTY_REPORT_JSON, as written */
        /* An away report's trip, taken from the payload when stored so that a list of 2,000
         * offices parses none (OfficeTrip); NULL for a roster or when the payload lacks it. */
        char *person;
        char *destination;
        char *start;
        char *end;
        char *acting;
} OfficeReport;

void office_report_done(OfficeReport *r);
void office_report_free_many(OfficeReport *r, size_t n);

/* The fields of a report entry as the journal gives them (NULL: absent). */
typedef struct ReportFields {
        const char *office;
        const char *kind;
        const char *key;
        const char *version;
        const char *state;
        const char *from;
        const char *to;
        const char *json;
        size_t json_size;
} ReportFields;

/* Checks a report entry read from sender's files and written at realtime_usec, and fills *ret
 * (owned copies; first_usec = written_usec). -EPERM: its DUTY_OFFICE is not sender; -E2BIG: the
 * payload is larger than REPORT_JSON_MAX; -EBADMSG: a field is missing or malformed; -ENOMEM.
 * The payload's JSON itself is the caller's to check (the core has no JSON parser). */
int report_entry_check(const ReportFields *f, const char *sender, uint64_t realtime_usec, OfficeReport *ret);

/* Whether state is one of kind's: roster published|amended; away approved|changed|cancelled|returned. */
bool report_state_is_valid(ReportKind kind, const char *state);
/* Whether an away report in this state means the leader is (or will be) away. */
bool report_away_is_active(const char *state);

/* Whether a report of version `incoming` replaces the stored one (`stored`, 0: none): only a higher
 * version does, so that an entry read twice or an older one read late changes nothing. */
static inline bool report_version_replaces(int64_t stored, int64_t incoming) {
        return incoming > stored;
}

/* An office's standing for a notice's roster due at deadline_usec: has_report and first_usec (when
 * the office first wrote it) against the deadline and now. */
ReportTimeliness report_timeliness(bool has_report, uint64_t first_usec, uint64_t deadline_usec, uint64_t now_usec);

/* The office id journal-remote's file name gives (split-mode=host): "remote-<id>.journal",
 * "remote-<id>@<…>.journal" (rotated) or either with "~" (a file it could not close cleanly).
 * Copies the id into ret (size ret_size) and returns 0; -EINVAL for any other name or an id
 * that is not a valid office id; -ENAMETOOLONG. */
int report_file_office(const char *filename, char *ret, size_t ret_size);

/* ---- Reminders to the offices (催办) ---- */

typedef struct Config Config;
typedef struct Person Person;

/* The outbox's recipient of an office's reminder: "office:<id>", apart from every person id. */
#define OFFICE_RECIPIENT_PREFIX "office:"
#define OFFICE_RECIPIENT_MAX (sizeof(OFFICE_RECIPIENT_PREFIX) + 63)

/* Whom a notification goes to: a person of the configuration, or for "office:<id>" an office of
 * aggregator.offices with a contact (email or notify), seen as a Person in *buf (its id, its name or
 * id, its phone, email and channels; strings borrowed from c). NULL: neither. */
const Person *office_notify_recipient(const Config *c, const char *recipient, Person *buf);
