/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The journal entries an office sends up to its superior duty office and what the superior's
 * aggregator writes about them: MESSAGE_IDs and field names, shared by the office side (report.c)
 * and the aggregator. packaging/dutyd.catalog explains each MESSAGE_ID; never change one. */

/* A report for the superior office: a holiday roster or a leader's out-of-town leave. */
#define REPORT_MESSAGE_ID                "c0875f3e98c0419ab99d67d11bde714e"
/* The aggregator rejected an entry whose DUTY_OFFICE is not the sender's certificate identity. */
#define REPORT_MESSAGE_ID_REJECTED       "0894fe3c38404374837b6d29db741bc8"
/* The aggregator's alert at a notice's deadline, naming the offices that did not report. */
#define REPORT_MESSAGE_ID_DEADLINE       "9e00d10b644c457685151f32591da6fc"

/* The aggregator's warning, at start and on reload, naming the offices of aggregator.offices whose
 * receiver is not enrolled (no dutyd-remote@<office id>.socket enabled): their reports cannot arrive. */
#define REPORT_MESSAGE_ID_NOT_ENROLLED   "dc2c5b6fb14e48c9b6c15a66344b895f"

/* On every entry with a MESSAGE_ID an office's dutyd writes while office_id is set. */
#define REPORT_FIELD_OFFICE              "DUTY_OFFICE"
#define REPORT_FIELD_OFFICE_NAME         "DUTY_OFFICE_NAME"
#define REPORT_FIELD_KIND                "DUTY_REPORT_KIND"
#define REPORT_FIELD_KEY                 "DUTY_REPORT_KEY"
#define REPORT_FIELD_VERSION             "DUTY_REPORT_VERSION"
#define REPORT_FIELD_STATE               "DUTY_REPORT_STATE"
#define REPORT_FIELD_FROM                "DUTY_REPORT_FROM"
#define REPORT_FIELD_TO                  "DUTY_REPORT_TO"
#define REPORT_FIELD_JSON                "DUTY_REPORT_JSON"
/* Rejected entries: the identity taken from the sender's file name. */
#define REPORT_FIELD_SENDER              "DUTY_SENDER"
/* Deadline alerts. */
#define REPORT_FIELD_NOTICE              "DUTY_NOTICE"
#define REPORT_FIELD_DEADLINE            "DUTY_DEADLINE"
#define REPORT_FIELD_MISSING             "DUTY_MISSING"
#define REPORT_FIELD_MISSING_COUNT       "DUTY_MISSING_COUNT"
/* Enrolment warnings. */
#define REPORT_FIELD_NOT_ENROLLED        "DUTY_NOT_ENROLLED"
#define REPORT_FIELD_NOT_ENROLLED_COUNT  "DUTY_NOT_ENROLLED_COUNT"

/* DUTY_REPORT_KIND values. */
#define REPORT_KIND_NAME_ROSTER             "roster"
#define REPORT_KIND_NAME_AWAY               "away"

/* DUTY_REPORT_STATE values. */
#define REPORT_STATE_PUBLISHED           "published"
#define REPORT_STATE_AMENDED             "amended"
#define REPORT_STATE_APPROVED            "approved"
#define REPORT_STATE_CHANGED             "changed"
#define REPORT_STATE_CANCELLED           "cancelled"
#define REPORT_STATE_RETURNED            "returned"

/* The payload's "schema" and its largest size in bytes. */
#define REPORT_JSON_SCHEMA               1
#define REPORT_JSON_MAX                  (256u * 1024u)

/* An away report's key: "leave-<leave id>". */
#define REPORT_AWAY_KEY_PREFIX           "leave-"
