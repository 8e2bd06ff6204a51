/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The method table (daemon/api-methods.c): every method of the interface once, with who may call it
 * and whether it writes, checked against the interface as dutyd checks it at start-up. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api-methods.h"
#include "duty-names.h"
#include "varlink.h"

extern const char dutyd_idl_text[];

static const ApiMethod *method(const char *name) {
        size_t n;
        const ApiMethod *table = api_method_table_get(&n);

        return api_method_find(table, n, name);
}

static void test_table_matches_interface(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ VarlinkMethod *methods = NULL;
        char *error = NULL;
        size_t n, n_table;
        const ApiMethod *table = api_method_table_get(&n_table);

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, NULL), 0);
        assert_int_equal(api_methods_check(idl, table, n_table, &error), 0);
        assert_null(error);

        /* What the server is given: one entry per row, all through the access check. */
        assert_int_equal(api_methods(idl, &methods, &n, &error), 0);
        assert_int_equal(n, varlink_idl_n_methods(idl));
        for (size_t i = 0; i < n; i++) {
                assert_true(varlink_idl_has_method(idl, methods[i].name));
                assert_ptr_equal(methods[i].fn, api_dispatch);
        }
}

/* dutyd does not start when a method of the interface has no row: api_methods() fails, and
 * manager_new() with it. */
static void test_missing_method_refused(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ ApiMethod *copy = NULL;
        size_t n;
        const ApiMethod *table = api_method_table_get(&n);
        char *error = NULL;
        size_t k = 0;

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, NULL), 0);

        copy = calloc(n + 1, sizeof(ApiMethod));
        assert_non_null(copy);
        for (size_t i = 0; i < n; i++)
                if (!streq(table[i].name, DUTY_METHOD_LEAVE_CANCEL))
                        copy[k++] = table[i];
        assert_int_equal(k, n - 1);
        assert_int_equal(api_methods_check(idl, copy, k, &error), -EBADMSG);
        assert_non_null(error);
        assert_non_null(strstr(error, "LeaveCancel"));
        assert_non_null(strstr(error, "no row"));
        free(error);
        error = NULL;

        /* A row for a method the interface does not have. */
        memcpy(copy, table, n * sizeof(ApiMethod));
        copy[n] = copy[0];
        copy[n].name = "Teleport";
        assert_int_equal(api_methods_check(idl, copy, n + 1, &error), -EBADMSG);
        assert_non_null(strstr(error, "Teleport"));
        assert_non_null(strstr(error, "not in the interface"));
        free(error);
        error = NULL;

        /* The same method twice. */
        copy[n] = copy[0];
        assert_int_equal(api_methods_check(idl, copy, n + 1, &error), -EBADMSG);
        assert_non_null(strstr(error, "more than one row"));
        free(error);
        error = NULL;

        /* A method members may not call, without its words for the refusal. */
        for (size_t i = 0; i < n; i++)
                if (streq(copy[i].name, DUTY_METHOD_RELOAD))
                        copy[i].action_en = NULL;
        assert_int_equal(api_methods_check(idl, copy, n, &error), -EBADMSG);
        assert_non_null(strstr(error, "Reload"));
        free(error);
}

static void test_access(void **state) {
        Identity guest = { .access = ACCESS_GUEST }, member = { .access = ACCESS_MEMBER };
        Identity approver = { .access = ACCESS_APPROVER }, root = { .access = ACCESS_ROOT };

        assert_true(api_method_allowed(method(DUTY_METHOD_STATUS), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_WHOAMI), &guest));
        assert_false(api_method_allowed(method(DUTY_METHOD_LIST_PEOPLE), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_LIST_PEOPLE), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_LEAVE_APPROVE), &member));
        assert_true(api_method_allowed(method(DUTY_METHOD_LEAVE_APPROVE), &approver));
        assert_false(api_method_allowed(method(DUTY_METHOD_RELOAD), &approver));
        assert_true(api_method_allowed(method(DUTY_METHOD_RELOAD), &root));
        /* A method missing from the table is refused to everyone, root included. */
        assert_null(method("NoSuchMethod"));
        assert_null(method(NULL));
        assert_false(api_method_allowed(NULL, &root));

        /* Writes are audited and run in one transaction with their audit row. */
        assert_false(method(DUTY_METHOD_STATUS)->writes);
        assert_true(method(DUTY_METHOD_RELOAD)->writes);
        assert_false(method(DUTY_METHOD_AUDIT_LIST)->writes);
        assert_true(method(DUTY_METHOD_SWAP_APPROVE)->writes);
        assert_false(method(DUTY_METHOD_LEAVE_CHECK)->writes);
        /* Handover: any member may ask, the handler checks the day's roster; take and give write. */
        assert_false(api_method_allowed(method(DUTY_METHOD_HANDOVER_TAKE), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_HANDOVER_TAKE), &member));
        assert_true(api_method_allowed(method(DUTY_METHOD_HANDOVER_GIVE), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_HANDOVER_LIST), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_HANDOVER_LIST), &member));
        assert_true(method(DUTY_METHOD_HANDOVER_TAKE)->writes);
        assert_true(method(DUTY_METHOD_HANDOVER_GIVE)->writes);
        assert_false(method(DUTY_METHOD_HANDOVER_LIST)->writes);
        /* Spot checks: every member reaches the handler, which lets inspectors and administrators
         * record (check_may_record(), test-check.c); the list is read by the office. */
        assert_false(api_method_allowed(method(DUTY_METHOD_CHECK_ADD), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_CHECK_ADD), &member));
        assert_true(method(DUTY_METHOD_CHECK_ADD)->writes);
        assert_false(api_method_allowed(method(DUTY_METHOD_CHECK_LIST), &guest));
        assert_true(api_method_allowed(method(DUTY_METHOD_CHECK_LIST), &member));
        assert_false(method(DUTY_METHOD_CHECK_LIST)->writes);
        /* The duty log: every member reads it; writing is open to members in the table, and the
         * handlers let only the day's people on duty and administrators write (dutylog_may_write()). */
        assert_true(api_method_allowed(method(DUTY_METHOD_LOG_LIST), &member));
        assert_true(api_method_allowed(method(DUTY_METHOD_LOG_SHOW), &member));
        assert_true(api_method_allowed(method(DUTY_METHOD_LOG_ADD), &member));
        assert_true(api_method_allowed(method(DUTY_METHOD_LOG_CLOSE), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_LOG_LIST), &guest));
        assert_false(api_method_allowed(method(DUTY_METHOD_LOG_ADD), &guest));
        assert_false(api_method_allowed(method(DUTY_METHOD_LOG_CLOSE), &guest));
        assert_true(method(DUTY_METHOD_LOG_ADD)->writes);
        assert_true(method(DUTY_METHOD_LOG_CLOSE)->writes);
        assert_true(api_method_allowed(method(DUTY_METHOD_LOG_REPORT), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_LOG_REPORT), &guest));
        assert_true(method(DUTY_METHOD_LOG_REPORT)->writes);
        assert_true(api_method_allowed(method(DUTY_METHOD_DAILY_REPORT), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_DAILY_REPORT), &guest));
        assert_false(method(DUTY_METHOD_DAILY_REPORT)->writes);
        assert_true(api_method_allowed(method(DUTY_METHOD_DAILY_REPORT_SEND), &member));
        assert_false(api_method_allowed(method(DUTY_METHOD_DAILY_REPORT_SEND), &guest));
        assert_true(method(DUTY_METHOD_DAILY_REPORT_SEND)->writes);
        assert_false(method(DUTY_METHOD_LOG_LIST)->writes);
        assert_false(method(DUTY_METHOD_LOG_SHOW)->writes);
        /* Entries are never edited nor deleted: the interface has no method for it. */
        assert_null(method("LogEdit"));
        assert_null(method("LogRemove"));
        assert_null(method("LogDelete"));
        assert_true(method(DUTY_METHOD_RELOAD)->configured_language);
        assert_false(method(DUTY_METHOD_WHO)->configured_language);
}

/* A refusal says what would make it work, never just the method's name. */
static void test_refusal_message(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        Identity guest = { .uid = 4242, .access = ACCESS_GUEST };
        Identity named = { .uid = 1500, .access = ACCESS_GUEST };
        Identity member = { .uid = 1001, .access = ACCESS_MEMBER };
        char *s;

        s = api_refusal_message(&guest, method(DUTY_METHOD_LIST_PEOPLE), "zh");
        assert_non_null(strstr(s, "uid 4242"));
        assert_non_null(strstr(s, "不在本办公室的配置中"));
        assert_non_null(strstr(s, "uid = 4242"));
        free(s);

        snprintf(named.user, sizeof(named.user), "alice");
        s = api_refusal_message(&named, method(DUTY_METHOD_WHO), "en");
        assert_non_null(strstr(s, "user alice (uid 1500) is not in this office's configuration"));
        assert_non_null(strstr(s, "user = \"alice\""));
        free(s);

        s = api_refusal_message(&member, method(DUTY_METHOD_LEAVE_APPROVE), "en");
        assert_non_null(strstr(s, "only approvers and administrators may approve leave"));
        assert_null(strstr(s, "LeaveApprove"));
        free(s);

        s = api_refusal_message(&member, method(DUTY_METHOD_ROSTER_GENERATE), "zh");
        assert_non_null(strstr(s, "只有管理员可以生成值班表"));
        free(s);

        /* Every method of the interface a member may not call has its own words. */
        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, NULL), 0);
        for (size_t i = 0; i < varlink_idl_n_methods(idl); i++) {
                const char *name = varlink_idl_method_name(idl, i);

                assert_non_null(method(name));
                if (method(name)->access <= ACCESS_MEMBER)
                        continue;
                s = api_refusal_message(&member, method(name), "en");
                if (strstr(s, name))
                        fail_msg("the refusal of %s names the method: %s", name, s);
                free(s);
        }
}

/* Points in time in replies (api-json.c): the offset is the configured zone's at that moment. */
static void test_timestamps(void **state) {
        char buf[TIMESTAMP_STRING_MAX];
        int minutes = -1;
        Day d = DAY_NONE;

        assert_int_equal(setenv("TZ", ":Asia/Shanghai", 1), 0);
        tzset();
        /* 2026-12-07T01:30:00Z */
        assert_int_equal(instant_format(UINT64_C(1796607000) * USEC_PER_SEC, buf), 0);
        assert_string_equal(buf, "2026-12-07T09:30:00+08:00");
        assert_int_equal(local_time_format(day_from_ymd(2026, 12, 7), 8 * 60 + 30, buf), 0);
        assert_string_equal(buf, "2026-12-07T08:30:00+08:00");
        /* "24:00", the end of a leave's last day, is the next day's midnight. */
        assert_int_equal(local_time_format(day_from_ymd(2026, 12, 31), 24 * 60, buf), 0);
        assert_string_equal(buf, "2027-01-01T00:00:00+08:00");
        assert_int_equal(local_time_format(DAY_NONE, 0, buf), -EINVAL);
        /* Any offset in, the office's local time out. */
        assert_int_equal(timestamp_to_local("2026-12-07T01:30:59Z", &d, &minutes), 0);
        assert_int_equal(d, day_from_ymd(2026, 12, 7));
        assert_int_equal(minutes, 9 * 60 + 30);
        assert_int_equal(timestamp_to_local("2026-12-07T23:00:00-05:00", &d, &minutes), 0);
        assert_int_equal(d, day_from_ymd(2026, 12, 8));
        assert_int_equal(minutes, 12 * 60);
        assert_int_equal(timestamp_to_local("2026-12-07T09:30", &d, &minutes), -EINVAL);
        assert_int_equal(local_moment_or_timestamp_parse("2026-12-07T09:30", &d, &minutes), 0);
        assert_int_equal(minutes, 9 * 60 + 30);

        /* A zone with daylight saving time: the offset follows the date. */
        assert_int_equal(setenv("TZ", ":America/New_York", 1), 0);
        tzset();
        assert_int_equal(local_time_format(day_from_ymd(2026, 7, 1), 12 * 60, buf), 0);
        assert_string_equal(buf, "2026-07-01T12:00:00-04:00");
        assert_int_equal(local_time_format(day_from_ymd(2026, 12, 7), 12 * 60, buf), 0);
        assert_string_equal(buf, "2026-12-07T12:00:00-05:00");
        /* 02:30 on 2026-03-08 does not exist there: the clock jumps from 02:00 to 03:00. The text
         * names a time that does, with its offset, so that it is one real instant. */
        assert_int_equal(local_time_format(day_from_ymd(2026, 3, 8), 2 * 60 + 30, buf), 0);
        assert_true(streq(buf, "2026-03-08T03:30:00-04:00") || streq(buf, "2026-03-08T01:30:00-05:00"));
        /* 2026-07-01T16:00:00Z */
        assert_int_equal(instant_format(UINT64_C(1782921600) * USEC_PER_SEC, buf), 0);
        assert_string_equal(buf, "2026-07-01T12:00:00-04:00");
        assert_int_equal(timestamp_to_local("2026-07-01T16:00:00Z", &d, &minutes), 0);
        assert_int_equal(minutes, 12 * 60);
        assert_int_equal(unsetenv("TZ"), 0);
        tzset();
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table_matches_interface),
                cmocka_unit_test(test_missing_method_refused),
                cmocka_unit_test(test_access),
                cmocka_unit_test(test_refusal_message),
                cmocka_unit_test(test_timestamps),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
