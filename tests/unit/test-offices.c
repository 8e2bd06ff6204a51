/* SPDX-License-Identifier: GPL-2.0-or-later */

/* offices.c: a report entry of the contract checked against the file's office, its states, which
 * version replaces which, on time / late / missing, and the office a journal-remote file name
 * gives. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "offices.h"
#include "report-fields.h"

static ReportFields good(void) {
        static const char json[] = "{\"schema\":1,\"days\":[]}";

        return (ReportFields) {
                .office = "county-a", .kind = "roster", .key = "2026-7", .version = "3", .state = "published",
                .from = "2026-10-01", .to = "2026-10-08", .json = json, .json_size = sizeof(json) - 1,
        };
}

static void test_entry_check(void **state) {
        ReportFields f = good();
        OfficeReport r = {};

        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), 0);
        assert_string_equal(r.office, "county-a");
        assert_int_equal(r.kind, REPORT_KIND_ROSTER);
        assert_string_equal(r.key, "2026-7");
        assert_int_equal(r.version, 3);
        assert_int_equal(r.from, day_from_ymd(2026, 10, 1));
        assert_int_equal(r.to, day_from_ymd(2026, 10, 8));
        assert_int_equal(r.written_usec, 1000);
        assert_int_equal(r.first_usec, 1000);
        assert_string_equal(r.payload, "{\"schema\":1,\"days\":[]}");
        office_report_done(&r);

        /* Another office's name in this office's file: refused, nothing filled. */
        assert_int_equal(report_entry_check(&f, "county-b", 1000, &r), -EPERM);
        assert_null(r.office);
        f.office = NULL;
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EPERM);

        f = good();
        f.json_size = REPORT_JSON_MAX + 1;
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -E2BIG);

        f = good();
        f.kind = "holiday";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f = good();
        f.state = "approved";   /* an away state on a roster */
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f = good();
        f.version = "0";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f.version = "2x";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f.version = "-1";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f = good();
        f.key = "2026 7";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f = good();
        f.to = "2026-09-30";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        /* A roster is one holiday: not a year of days. */
        f = good();
        f.to = "2026-12-31";
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        f = good();
        f.json = NULL;
        assert_int_equal(report_entry_check(&f, "county-a", 1000, &r), -EBADMSG);
        assert_null(r.office);

        /* An away report may span longer than a holiday. */
        f = good();
        f.kind = "away";
        f.key = "leave-12";
        f.state = "changed";
        f.to = "2026-12-31";
        assert_int_equal(report_entry_check(&f, "county-a", 5, &r), 0);
        assert_int_equal(r.kind, REPORT_KIND_AWAY);
        office_report_done(&r);
}

static void test_states(void **state) {
        assert_true(report_state_is_valid(REPORT_KIND_ROSTER, "published"));
        assert_true(report_state_is_valid(REPORT_KIND_ROSTER, "amended"));
        assert_false(report_state_is_valid(REPORT_KIND_ROSTER, "cancelled"));
        assert_true(report_state_is_valid(REPORT_KIND_AWAY, "approved"));
        assert_true(report_state_is_valid(REPORT_KIND_AWAY, "returned"));
        assert_false(report_state_is_valid(REPORT_KIND_AWAY, "published"));
        assert_false(report_state_is_valid(REPORT_KIND_AWAY, NULL));
        assert_false(report_state_is_valid(_REPORT_KIND_INVALID, "approved"));
        assert_true(report_away_is_active("approved"));
        assert_true(report_away_is_active("changed"));
        assert_false(report_away_is_active("cancelled"));
        assert_false(report_away_is_active("returned"));
}

static void test_versions(void **state) {
        assert_true(report_version_replaces(0, 1));
        assert_true(report_version_replaces(1, 2));
        /* The same entry twice, or an older one read late, changes nothing. */
        assert_false(report_version_replaces(2, 2));
        assert_false(report_version_replaces(3, 2));
}

static void test_timeliness(void **state) {
        assert_int_equal(report_timeliness(true, 100, 100, 500), REPORT_ON_TIME);
        assert_int_equal(report_timeliness(true, 101, 100, 500), REPORT_LATE);
        assert_int_equal(report_timeliness(false, 0, 100, 100), REPORT_PENDING);
        assert_int_equal(report_timeliness(false, 0, 100, 101), REPORT_MISSING);
        assert_string_equal(report_timeliness_to_string(REPORT_ON_TIME), "on_time");
        assert_int_equal(report_timeliness_from_string("missing"), REPORT_MISSING);
        assert_int_equal(report_kind_from_string("away"), REPORT_KIND_AWAY);
        assert_int_equal(report_kind_from_string("x"), _REPORT_KIND_INVALID);
}

static void test_file_office(void **state) {
        char id[CONFIG_OFFICE_ID_MAX + 1];

        assert_int_equal(report_file_office("remote-county-a.journal", id, sizeof(id)), 0);
        assert_string_equal(id, "county-a");
        assert_int_equal(report_file_office("remote-b@0123abcd-0000000000000001-0005b2d1a2b3c4d5.journal", id,
                                            sizeof(id)), 0);
        assert_string_equal(id, "b");
        assert_int_equal(report_file_office("remote-c.journal~", id, sizeof(id)), 0);
        assert_string_equal(id, "c");
        assert_int_equal(report_file_office("remote-c@x.journal~", id, sizeof(id)), 0);
        assert_string_equal(id, "c");

        assert_int_equal(report_file_office("remote-.journal", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("remote-A.journal", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("remote-a.journal.tmp", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("remote-a.journalx", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("system.journal", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("remote-a_b.journal", id, sizeof(id)), -EINVAL);
        assert_int_equal(report_file_office("remote-abcdefghij.journal", id, 4), -ENAMETOOLONG);

        assert_true(office_id_is_valid("zhengzhou-zhongyuan"));
        assert_false(office_id_is_valid(""));
        assert_false(office_id_is_valid("a.b"));
        assert_false(office_id_is_valid("0123456789012345678901234567890123456789012345678901234567890123"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_entry_check),
                cmocka_unit_test(test_states),
                cmocka_unit_test(test_versions),
                cmocka_unit_test(test_timeliness),
                cmocka_unit_test(test_file_office),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
