/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The replies built member by member (json_object_build()): the same bytes json_pack() gave. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "api-json.h"
#include "api-leave.h"
#include "leave-service.h"
#include "util.h"

static char *dump(json_t *j) {
        char *s;

        assert_non_null(j);
        s = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        assert_non_null(s);
        return s;
}

/* The members in the order given, objects nested; any value missing (NULL, as json_string(NULL)
 * is) fails the whole object, as json_pack() did. */
static void test_object_build(void **state) {
        _cleanup_free_ char *built = NULL, *packed = NULL;

        built = dump(JSON_OBJECT_BUILD(
                { "z", json_integer(1) },
                { "a", json_string("二") },
                { "m", JSON_OBJECT_BUILD({ "y", json_true() }, { "b", json_null() }) },
                { "e", json_array() }));
        packed = dump(json_pack("{s:i, s:s, s:{s:b, s:n}, s:[]}", "z", 1, "a", "二", "m", "y", 1, "b", "e"));
        assert_string_equal(built, packed);
        assert_string_equal(built, "{\"z\":1,\"a\":\"二\",\"m\":{\"y\":true,\"b\":null},\"e\":[]}");

        assert_null(JSON_OBJECT_BUILD({ "a", json_integer(1) }, { "b", json_string(NULL) }, { "c", json_true() }));
        assert_null(JSON_OBJECT_BUILD({ "a", json_string(NULL) }));
}

/* A leave with every member set, then with the optional ones empty: the bytes main's json_pack()
 * wrote (checked against it when the reply was rebuilt). Without a configuration, names are ids. */
static void test_leave_entry(void **state) {
        static const char full[] =
                "{\"id\":42,\"person\":\"lixy\",\"name\":\"lixy\",\"kind\":\"official\","
                "\"start\":\"2024-10-04T08:30:00+08:00\",\"end\":\"2024-10-06T12:00:00+08:00\","
                "\"duty_from\":\"2024-10-04\",\"duty_to\":\"2024-10-06\",\"half_days\":5,"
                "\"destination\":\"南昌 \\\"会\\\"\",\"out_of_town\":true,\"reason\":\"会议\\n二\",\"phone\":\"0791\","
                "\"acting\":\"ouyangmh\",\"acting_name\":\"ouyangmh\",\"urgent\":true,\"paperwork_due\":\"2024-09-29\","
                "\"paperwork_done\":false,\"paperwork_overdue\":true,\"state\":\"overdue\",\"unexcused\":true,"
                "\"returned_at\":\"2024-10-06T10:00:00+08:00\",\"requested\":\"2024-09-24\",\"requested_by\":\"zhouxd\","
                "\"approver\":\"wangjg\",\"approver_name\":\"wangjg\",\"decided_by\":\"zhaods\","
                "\"decided_by_name\":\"zhaods\",\"decided_at\":\"2023-11-15T06:13:20+08:00\","
                "\"decision_reason\":\"同意\",\"decision_override\":true}";
        static const char sparse[] =
                "{\"id\":42,\"person\":\"lixy\",\"name\":\"lixy\",\"kind\":\"official\","
                "\"start\":\"2024-10-04T08:30:00+08:00\",\"end\":\"2024-10-06T12:00:00+08:00\","
                "\"duty_from\":\"2024-10-04\",\"duty_to\":\"2024-10-06\",\"half_days\":5,"
                "\"destination\":null,\"out_of_town\":true,\"reason\":\"会议\\n二\",\"phone\":\"0791\","
                "\"acting\":null,\"acting_name\":null,\"urgent\":true,\"paperwork_due\":null,"
                "\"paperwork_done\":false,\"paperwork_overdue\":true,\"state\":\"overdue\",\"unexcused\":true,"
                "\"returned_at\":null,\"requested\":\"2024-09-24\",\"requested_by\":\"zhouxd\","
                "\"approver\":null,\"approver_name\":null,\"decided_by\":null,\"decided_by_name\":null,"
                "\"decided_at\":null,\"decision_reason\":\"同意\",\"decision_override\":true}";
        Config c = {};
        LeaveEntry e = {
                .stored = {
                        .leave = {
                                .id = 42, .person = (char *) "lixy", .kind = LEAVE_KIND_OFFICIAL,
                                .start = { 20000, 510 }, .end = { 20002, 720 },
                                .destination = (char *) "南昌 \"会\"", .out_of_town = true,
                                .reason = (char *) "会议\n二", .phone = (char *) "0791",
                                .acting = (char *) "ouyangmh", .urgent = true,
                                .requested = 19990, .paperwork_due = 19995, .paperwork_done = false,
                                .state = LEAVE_STATE_RETURNED, .unexcused = true,
                                .returned = { 20002, 600 }, .decided_by = (char *) "zhaods",
                        },
                        .requested_usec = 1, .requested_by = (char *) "zhouxd", .approver = (char *) "wangjg",
                        .decided_usec = 1700000000000000ULL, .decision_note = (char *) "同意",
                        .decision_override = true,
                },
                .state = LEAVE_STATE_OVERDUE, .unexcused = true, .paperwork_overdue = true,
                .half_days = 5, .duty_from = 20000, .duty_to = 20002,
        };
        char *s;

        assert_int_equal(setenv("TZ", "Asia/Shanghai", 1), 0);
        tzset();

        s = dump(leave_entry_to_json(&c, &e));
        assert_string_equal(s, full);
        free(s);

        e.stored.leave.acting = NULL;
        e.stored.approver = NULL;
        e.stored.leave.decided_by = NULL;
        e.stored.leave.state = LEAVE_STATE_PENDING;
        e.stored.leave.destination = NULL;
        e.stored.decided_usec = 0;
        e.stored.leave.paperwork_due = DAY_NONE;
        s = dump(leave_entry_to_json(&c, &e));
        assert_string_equal(s, sparse);
        free(s);

        /* No person, no entry (json_pack()'s "s" of NULL failed likewise). */
        e.stored.leave.person = NULL;
        assert_null(leave_entry_to_json(&c, &e));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_object_build),
                cmocka_unit_test(test_leave_entry),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
