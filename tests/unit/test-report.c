/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The report entries for the superior office (report.h): the payload, the message and the fields
 * the aggregator reads, pinned to the contract of report-fields.h. */

#include <errno.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "report.h"
#include "util.h"

static Day day(const char *s) {
        Day d;

        assert_int_equal(day_parse(s, &d), 0);
        return d;
}

static const ReportOffice office = { .id = "xx-county", .name = "中共某某县委办公室", .phone = "0791-88888110" };

static void test_states(void **state) {
        for (ReportState s = 0; s < _REPORT_STATE_MAX; s++) {
                assert_non_null(report_state_to_string(s));
                assert_int_equal(report_state_from_string(report_state_to_string(s)), s);
        }
        assert_string_equal(report_state_to_string(REPORT_AMENDED), "amended");
        assert_string_equal(report_state_to_string(REPORT_RETURNED), "returned");
        assert_int_equal(report_state_from_string("late"), _REPORT_STATE_INVALID);
}

static void test_holiday_key(void **state) {
        HolidayDay days[] = {
                { .day = day("2026-09-20"), .off = false, .notice_year = 2026, .notice_item = 7 },
                { .day = day("2026-10-01"), .off = true, .notice_year = 2026, .notice_item = 7 },
                { .day = day("2026-10-02"), .off = true, .notice_year = 2026, .notice_item = 7 },
                /* A local holiday (no notice) inside a run counts for nothing. */
                { .day = day("2026-10-20"), .off = true },
                /* 元旦 2027 named by the 2027 notice, starting on 31 December. */
                { .day = day("2026-12-31"), .off = true, .notice_year = 2027, .notice_item = 1 },
                { .day = day("2027-01-01"), .off = true, .notice_year = 2027, .notice_item = 1 },
        };
        char key[REPORT_KEY_MAX];

        assert_int_equal(report_holiday_key(days, ELEMENTSOF(days), day("2026-10-01"), day("2026-10-07"), key), 0);
        assert_string_equal(key, "2026-7");
        assert_int_equal(report_holiday_key(days, ELEMENTSOF(days), day("2026-12-31"), day("2027-01-03"), key), 0);
        assert_string_equal(key, "2027-1");
        assert_int_equal(report_holiday_key(days, ELEMENTSOF(days), day("2026-10-18"), day("2026-10-20"), key),
                         -ENOENT);
        assert_int_equal(report_holiday_key(days, ELEMENTSOF(days), day("2026-10-07"), day("2026-10-01"), key),
                         -EINVAL);
}

static void test_roster_json(void **state) {
        const ReportPerson leader = { .id = "lixy", .name = "李秀英", .title = "县长", .phone = "0791-86201002" };
        const ReportPerson officers[] = { { .id = "wum", .name = "吴敏" }, { .id = "fengj", .name = "冯静" } };
        const ReportDay days[] = {
                { .day = day("2026-10-01"), .leader = &leader, .officers = officers, .n_officers = 2,
                  .duty_phone = "0791-88888110" },
                { .day = day("2026-10-02"), .officers = officers + 1, .n_officers = 1 },
        };
        ReportRoster r = {
                .key = "2026-7", .holiday = "国庆节", .from = day("2026-10-01"), .to = day("2026-10-02"),
                .version = 3, .state = REPORT_PUBLISHED, .published = "2026-09-20T10:00:00+08:00",
                .days = days, .n_days = 2,
        };
        char *text = NULL, *message;
        json_error_t err;
        json_t *j;

        assert_int_equal(report_roster_json(&office, &r, &text), 0);
        /* Compact, the contract's key order. */
        assert_non_null(strstr(text, "{\"schema\":1,\"office\":\"xx-county\",\"office_name\":\"中共某某县委办公室\","
                                     "\"office_phone\":\"0791-88888110\",\"kind\":\"roster\",\"key\":\"2026-7\","
                                     "\"holiday\":{\"name\":\"国庆节\",\"from\":\"2026-10-01\",\"to\":\"2026-10-02\"},"
                                     "\"version\":3,\"state\":\"published\","
                                     "\"published\":\"2026-09-20T10:00:00+08:00\",\"days\":["));
        assert_null(strchr(text, '\n'));
        j = json_loads(text, 0, &err);
        assert_non_null(j);
        assert_int_equal(json_array_size(json_object_get(j, "days")), 2);
        json_t *d0 = json_array_get(json_object_get(j, "days"), 0), *d1 = json_array_get(json_object_get(j, "days"), 1);
        assert_string_equal(json_string_value(json_object_get(json_object_get(d0, "leader"), "name")), "李秀英");
        assert_string_equal(json_string_value(json_object_get(json_object_get(d0, "leader"), "phone")), "0791-86201002");
        /* The contract's person has id, name and phone, no title. */
        assert_null(json_object_get(json_object_get(d0, "leader"), "title"));
        assert_int_equal(json_array_size(json_object_get(d0, "officers")), 2);
        assert_true(json_is_null(json_object_get(json_array_get(json_object_get(d0, "officers"), 0), "phone")));
        assert_true(json_is_null(json_object_get(d1, "leader")));
        assert_true(json_is_null(json_object_get(d1, "duty_phone")));
        json_decref(j);
        free(text);

        message = report_roster_message(&r, "zh");
        assert_string_equal(message, "值班表已报送：国庆节 2026-10-01至2026-10-02 第3版");
        free(message);
        r.state = REPORT_AMENDED;
        message = report_roster_message(&r, "en");
        assert_string_equal(message, "Roster reported to the superior office: 国庆节 2026-10-01 to 2026-10-02, version 3 (amended)");
        free(message);

        /* An away state is no roster state. */
        r.state = REPORT_APPROVED;
        assert_int_equal(report_roster_json(&office, &r, &text), -EINVAL);
}

static void test_roster_too_big(void **state) {
        /* 1,000 days of 100 officers with long names: far beyond the 256 KiB the contract allows. */
        ReportPerson *people = calloc(100, sizeof(ReportPerson));
        ReportDay *days = calloc(1000, sizeof(ReportDay));
        char name[200];
        char *text = NULL;

        assert_non_null(people);
        assert_non_null(days);
        memset(name, 'x', sizeof(name) - 1);
        name[sizeof(name) - 1] = 0;
        for (size_t i = 0; i < 100; i++)
                people[i] = (ReportPerson) { .id = "p", .name = name };
        for (size_t i = 0; i < 1000; i++)
                days[i] = (ReportDay) { .day = day("2026-10-01") + (Day) i, .officers = people, .n_officers = 100 };
        ReportRoster r = { .key = "2026-7", .holiday = "国庆节", .from = days[0].day, .to = days[999].day,
                           .version = 1, .state = REPORT_PUBLISHED, .days = days, .n_days = 1000 };
        assert_int_equal(report_roster_json(&office, &r, &text), -E2BIG);
        assert_null(text);
        free(days);
        free(people);
}

static void test_away_json(void **state) {
        ReportAway a = {
                .key = "leave-12", .leave_id = 12, .version = 2, .state = REPORT_CANCELLED,
                .person = { .id = "lixy", .name = "李秀英", .title = "县长", .phone = "0791-86201002" },
                .destination = "北京", .reason = "参加会议", .start = "2026-09-28 08:30", .end = "2026-09-29 12:00",
                .from = day("2026-09-28"), .to = day("2026-09-29"), .half_days = 3,
                .acting_id = "zhangw", .acting_name = "张伟", .reported = "2026-09-20T10:00:00+08:00",
        };
        char *text = NULL, *message;

        assert_int_equal(report_away_json(&office, &a, &text), 0);
        assert_string_equal(text,
                "{\"schema\":1,\"office\":\"xx-county\",\"office_name\":\"中共某某县委办公室\",\"kind\":\"away\","
                "\"key\":\"leave-12\",\"leave_id\":12,\"version\":2,\"state\":\"cancelled\","
                "\"person\":{\"id\":\"lixy\",\"name\":\"李秀英\",\"title\":\"县长\",\"phone\":\"0791-86201002\"},"
                "\"destination\":\"北京\",\"reason\":\"参加会议\",\"start\":\"2026-09-28 08:30\","
                "\"end\":\"2026-09-29 12:00\",\"half_days\":3,\"acting\":{\"id\":\"zhangw\",\"name\":\"张伟\"},"
                "\"reported\":\"2026-09-20T10:00:00+08:00\"}");
        free(text);

        message = report_away_message(&a, "zh");
        assert_string_equal(message, "外出报备：李秀英 2026-09-28 08:30至2026-09-29 12:00 赴北京（已取消，第2版）");
        free(message);

        a.acting_id = NULL;
        a.destination = NULL;
        a.person.title = NULL;
        assert_int_equal(report_away_json(&office, &a, &text), 0);
        assert_non_null(strstr(text, "\"title\":null"));
        assert_non_null(strstr(text, "\"destination\":null"));
        assert_non_null(strstr(text, "\"acting\":null"));
        free(text);

        a.state = REPORT_PUBLISHED;
        assert_int_equal(report_away_json(&office, &a, &text), -EINVAL);
}

static void test_fields(void **state) {
        char **f = NULL;

        assert_int_equal(report_fields(&office, REPORT_KIND_NAME_ROSTER, "2026-7", 3, REPORT_PUBLISHED, day("2026-10-01"),
                                       day("2026-10-07"), "{}", &f), 0);
        assert_string_equal(f[0], "DUTY_OFFICE_NAME=中共某某县委办公室");
        assert_string_equal(f[1], "DUTY_REPORT_KIND=roster");
        assert_string_equal(f[2], "DUTY_REPORT_KEY=2026-7");
        assert_string_equal(f[3], "DUTY_REPORT_VERSION=3");
        assert_string_equal(f[4], "DUTY_REPORT_STATE=published");
        assert_string_equal(f[5], "DUTY_REPORT_FROM=2026-10-01");
        assert_string_equal(f[6], "DUTY_REPORT_TO=2026-10-07");
        assert_string_equal(f[7], "DUTY_REPORT_JSON={}");
        assert_null(f[8]);
        strv_free(f);

        /* No office id, no report. */
        const ReportOffice none = { .name = "x" };
        assert_int_equal(report_fields(&none, REPORT_KIND_NAME_AWAY, "leave-1", 1, REPORT_APPROVED, day("2026-10-01"),
                                       day("2026-10-01"), "{}", &f), -EINVAL);
        assert_int_equal(report_fields(&office, REPORT_KIND_NAME_AWAY, "leave-1", 0, REPORT_APPROVED, day("2026-10-01"),
                                       day("2026-10-01"), "{}", &f), -EINVAL);
}

static void test_stamp(void **state) {
        char buf[REPORT_STAMP_MAX];

        assert_int_equal(setenv("TZ", "Asia/Shanghai", 1), 0);
        tzset();
        /* 2026-09-20T02:00:00Z */
        assert_string_equal(report_stamp((uint64_t) 1789869600 * USEC_PER_SEC, buf), "2026-09-20T10:00:00+08:00");
        assert_int_equal(setenv("TZ", "UTC", 1), 0);
        tzset();
        assert_string_equal(report_stamp((uint64_t) 1789869600 * USEC_PER_SEC, buf), "2026-09-20T02:00:00+00:00");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_states),
                cmocka_unit_test(test_holiday_key),
                cmocka_unit_test(test_roster_json),
                cmocka_unit_test(test_roster_too_big),
                cmocka_unit_test(test_away_json),
                cmocka_unit_test(test_fields),
                cmocka_unit_test(test_stamp),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
