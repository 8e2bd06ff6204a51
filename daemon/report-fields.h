/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The journal entries that go from an office's dutyd to its superior office (issue #19's contract):
 * an office writes them, journal-upload/journal-remote carry them, an aggregator reads them. Their
 * MESSAGE_IDs (packaging/dutyd.catalog) and field names, spelled once for both sides. */

/* A report for the superior office: a holiday roster published, a leader's out-of-town leave. */
#define REPORT_MESSAGE_ID                "c0875f3e98c0419ab99d67d11bde714e"
/* The aggregator refused an entry whose DUTY_OFFICE is not the office that sent the file. */
#define REPORT_REJECTED_MESSAGE_ID       "0894fe3c38404374837b6d29db741bc8"
/* The aggregator at a notice's deadline: the offices whose roster has not arrived. */
#define REPORT_DEADLINE_MESSAGE_ID       "9e00d10b644c457685151f32591da6fc"

#define REPORT_FIELD_OFFICE              "DUTY_OFFICE"
#define REPORT_FIELD_OFFICE_NAME         "DUTY_OFFICE_NAME"
#define REPORT_FIELD_KIND                "DUTY_REPORT_KIND"
#define REPORT_FIELD_KEY                 "DUTY_REPORT_KEY"
#define REPORT_FIELD_VERSION             "DUTY_REPORT_VERSION"
#define REPORT_FIELD_STATE               "DUTY_REPORT_STATE"
#define REPORT_FIELD_FROM                "DUTY_REPORT_FROM"
#define REPORT_FIELD_TO                  "DUTY_REPORT_TO"
#define REPORT_FIELD_JSON                "DUTY_REPORT_JSON"
#define REPORT_FIELD_SENDER              "DUTY_SENDER"
#define REPORT_FIELD_NOTICE              "DUTY_NOTICE"
#define REPORT_FIELD_DEADLINE            "DUTY_DEADLINE"
#define REPORT_FIELD_MISSING             "DUTY_MISSING"
#define REPORT_FIELD_MISSING_COUNT       "DUTY_MISSING_COUNT"

/* The largest DUTY_REPORT_JSON payload, in bytes. */
#define REPORT_JSON_MAX                  (256u * 1024u)
/* The payload's "schema". */
#define REPORT_SCHEMA                    1
