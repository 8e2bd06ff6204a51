/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The duty log's table family (daemon/store-dutylog.c): entries only ever added, the carry-over of
 * open items to later days' logs until the day they are closed, closing once, the reports of an
 * emergency recorded once and told once, the daily report sent once. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "store.h"

FIXTURE_SETUP_TEARDOWN("store-dutylog", FIXTURE_STORE)

#define MIN (60 * USEC_PER_SEC)

static int64_t add(Store *s, Day day, uint64_t at, const char *kind, const char *matter, bool open) {
        StoreDutyLog e = {
                .day = day,
                .at_usec = at,
                .created_usec = at,
                .kind = (char *) kind,
                .matter = (char *) matter,
                .recorded_by = (char *) "wum",
                .uid = 1001,
                .open = open,
        };
        int64_t id = 0;

        if (streq(kind, "emergency"))
                for (DutyLogReport r = 0; r < _DUTYLOG_REPORT_MAX; r++)
                        e.report_due_usec[r] = dutylog_report_due(DUTYLOG_KIND_EMERGENCY, at,
                                                                   dutylog_report_minutes_default(r));
        assert_int_equal(store_duty_log_insert(s, &e, &id), 0);
        assert_true(id > 0);
        return id;
}

static void list_ids(Store *s, Day day, const int64_t *expected, size_t n_expected) {
        StoreDutyLog *e = NULL;
        size_t n = 0;

        assert_int_equal(store_duty_log_list(s, day, &e, &n), 0);
        assert_int_equal(n, n_expected);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(e[i].id, expected[i]);
        store_duty_log_free_many(e, n);
}

static void test_carry_over(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 6, 10);
        uint64_t t = 1781000000ULL * USEC_PER_SEC;
        int64_t open, plain, later;

        open = add(s, d, t, "call", "open item", true);
        plain = add(s, d, t + MIN, "other", "plain entry", false);
        list_ids(s, d, (const int64_t[]) { open, plain }, 2);
        /* The next days see the open item only. */
        list_ids(s, d + 1, (const int64_t[]) { open }, 1);
        list_ids(s, d + 5, (const int64_t[]) { open }, 1);

        later = add(s, d + 2, t + 2 * 24 * 60 * MIN, "call", "later", false);
        assert_int_equal(store_duty_log_close(s, open, t + 2 * 24 * 60 * MIN, d + 2, "zhenght", "done"), 0);
        /* Closed on d + 2: in that day's log, not after; the days before keep it. */
        list_ids(s, d + 1, (const int64_t[]) { open }, 1);
        list_ids(s, d + 2, (const int64_t[]) { open, later }, 2);
        list_ids(s, d + 3, NULL, 0);

        /* Closed once; a plain entry is never open; an unknown one is not found. */
        assert_int_equal(store_duty_log_close(s, open, t, d + 3, "zhenght", NULL), -EALREADY);
        assert_int_equal(store_duty_log_close(s, plain, t, d + 3, "zhenght", NULL), -EALREADY);
        assert_int_equal(store_duty_log_close(s, 9999, t, d + 3, "zhenght", NULL), -ENOENT);
}

static void open_ids(Store *s, Day day, const int64_t *expected, size_t n_expected) {
        StoreDutyLog *e = NULL;
        size_t n = 0;

        assert_int_equal(store_duty_log_open(s, day, &e, &n), 0);
        assert_int_equal(n, n_expected);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(e[i].id, expected[i]);
        store_duty_log_free_many(e, n);
}

/* What a duty passes on at the handover: the open items of that day or before, still open now. */
static void test_open_items(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 6, 10);
        uint64_t t = 1781000000ULL * USEC_PER_SEC;
        int64_t old, kept, closed, next;

        old = add(s, d - 1, t - 24 * 60 * MIN, "call", "older open item", true);
        kept = add(s, d, t, "assignment", "open item", true);
        closed = add(s, d, t + MIN, "call", "closed item", true);
        (void) add(s, d, t + 2 * MIN, "other", "plain entry", false);
        next = add(s, d + 1, t + 24 * 60 * MIN, "call", "the next duty's item", true);
        assert_int_equal(store_duty_log_close(s, closed, t + 3 * MIN, d, "wum", NULL), 0);

        open_ids(s, d - 2, NULL, 0);
        open_ids(s, d - 1, (const int64_t[]) { old }, 1);
        open_ids(s, d, (const int64_t[]) { old, kept }, 2);
        open_ids(s, d + 1, (const int64_t[]) { old, kept, next }, 3);
        assert_int_equal(store_duty_log_close(s, old, t + 24 * 60 * MIN, d + 1, "zhenght", NULL), 0);
        open_ids(s, d, (const int64_t[]) { kept }, 1);
}

static void test_correction(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 6, 10);
        uint64_t t = 1781000000ULL * USEC_PER_SEC;
        StoreDutyLog c = {
                .day = d, .at_usec = t, .created_usec = t, .kind = (char *) "call",
                .matter = (char *) "correction", .uid = 0,
        }, got = {};
        StoreDutyLog *rel = NULL;
        int64_t first, second;
        size_t n = 0;

        first = add(s, d, t, "call", "as written", false);
        c.corrects = first;
        assert_int_equal(store_duty_log_insert(s, &c, &second), 0);
        assert_int_equal(store_duty_log_get(s, first, &got), 0);
        assert_string_equal(got.matter, "as written");
        assert_int_equal(got.corrected_by, second);
        store_duty_log_done(&got);
        assert_int_equal(store_duty_log_related(s, first, &rel, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(rel[0].id, second);
        assert_int_equal(rel[0].corrects, first);
        assert_null(rel[0].recorded_by);
        store_duty_log_free_many(rel, n);
        assert_int_equal(store_duty_log_get(s, 9999, &got), -ENOENT);
}

static void test_reports(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 6, 10);
        uint64_t t = 1781000000ULL * USEC_PER_SEC;
        StoreDutyLog *e = NULL;
        int64_t ev, call;
        size_t n = 0;

        ev = add(s, d, t, "emergency", "landslide", false);
        call = add(s, d, t, "call", "a call", false);

        /* Nothing overdue before the phone deadline; the phone report then, the written one after. */
        assert_int_equal(store_duty_log_overdue(s, t + 29 * MIN, &e, &n), 0);
        assert_int_equal(n, 0);
        free(e);
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_PHONE, t + 20 * MIN, "市委总值班室"), 0);
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_PHONE, t + 25 * MIN, "again"), -EALREADY);
        assert_int_equal(store_duty_log_report(s, call, DUTYLOG_REPORT_PHONE, t, "x"), -ENOMSG);
        assert_int_equal(store_duty_log_report(s, 9999, DUTYLOG_REPORT_PHONE, t, "x"), -ENOENT);
        assert_int_equal(store_duty_log_overdue(s, t + 59 * MIN, &e, &n), 0);
        assert_int_equal(n, 0);
        free(e);
        assert_int_equal(store_duty_log_overdue(s, t + 61 * MIN, &e, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(e[0].id, ev);
        assert_int_equal(e[0].report_sent_usec[DUTYLOG_REPORT_PHONE], t + 20 * MIN);
        assert_string_equal(e[0].report_to[DUTYLOG_REPORT_PHONE], "市委总值班室");
        assert_int_equal(e[0].report_sent_usec[DUTYLOG_REPORT_WRITTEN], 0);
        store_duty_log_free_many(e, n);

        /* Told once. */
        assert_int_equal(store_duty_log_report_alerted(s, ev, DUTYLOG_REPORT_WRITTEN, t + 61 * MIN), 0);
        assert_int_equal(store_duty_log_overdue(s, t + 120 * MIN, &e, &n), 0);
        assert_int_equal(n, 0);
        free(e);
}

/* Follow-ups (续报) of an open emergency: due every followup_minutes after the written report and
 * after each follow-up, told once per due time, none once it is closed. */
static void test_followups(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 6, 10);
        uint64_t t = 1781000000ULL * USEC_PER_SEC;
        StoreDutyLog e = {
                .day = d, .at_usec = t, .created_usec = t, .kind = (char *) "emergency",
                .matter = (char *) "landslide", .uid = 1001, .open = true, .followup_minutes = 120,
                .report_due_usec = { t + 30 * MIN, t + 60 * MIN },
        }, g = {}, *o = NULL;
        int64_t ev = 0, shut;
        size_t n = 0;

        assert_int_equal(store_duty_log_insert(s, &e, &ev), 0);
        shut = add(s, d, t, "emergency", "not open", false);
        /* Not open: no follow-up is recorded for it. */
        assert_int_equal(store_duty_log_report(s, shut, DUTYLOG_REPORT_FOLLOWUP, t, "x"), -ENOMSG);
        assert_int_equal(store_duty_log_report(s, shut, DUTYLOG_REPORT_PHONE, t, "x"), 0);
        assert_int_equal(store_duty_log_report(s, shut, DUTYLOG_REPORT_WRITTEN, t, "x"), 0);
        /* Sent, yet never any follow-up owed: not open. */
        assert_int_equal(store_duty_log_get(s, shut, &g), 0);
        assert_int_equal(g.report_due_usec[DUTYLOG_REPORT_FOLLOWUP], 0);
        store_duty_log_done(&g);

        /* None owed before the written report. */
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_PHONE, t + 10 * MIN, "a"), 0);
        assert_int_equal(store_duty_log_get(s, ev, &g), 0);
        assert_int_equal(g.report_due_usec[DUTYLOG_REPORT_FOLLOWUP], 0);
        assert_int_equal(g.followup_minutes, 120);
        store_duty_log_done(&g);
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_WRITTEN, t + 50 * MIN, "a"), 0);
        assert_int_equal(store_duty_log_get(s, ev, &g), 0);
        assert_int_equal(g.report_due_usec[DUTYLOG_REPORT_FOLLOWUP], t + 170 * MIN);
        store_duty_log_done(&g);

        /* Overdue at 170 minutes, told once. */
        assert_int_equal(store_duty_log_overdue(s, t + 169 * MIN, &o, &n), 0);
        assert_int_equal(n, 0);
        free(o);
        assert_int_equal(store_duty_log_overdue(s, t + 175 * MIN, &o, &n), 0);
        assert_int_equal(n, 1);
        store_duty_log_free_many(o, n);
        assert_int_equal(store_duty_log_report_alerted(s, ev, DUTYLOG_REPORT_FOLLOWUP, t + 175 * MIN), 0);
        assert_int_equal(store_duty_log_overdue(s, t + 200 * MIN, &o, &n), 0);
        assert_int_equal(n, 0);
        free(o);
        assert_int_equal(store_duty_log_unsent(s, t + 200 * MIN, &o, &n), 0);
        assert_int_equal(n, 1);
        store_duty_log_free_many(o, n);

        /* One sent: the next is due 120 minutes later, and told again when late. */
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_FOLLOWUP, t + 200 * MIN, "b"), 0);
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_FOLLOWUP, t + 210 * MIN, "c"), 0);
        assert_int_equal(store_duty_log_get(s, ev, &g), 0);
        assert_int_equal(g.report_due_usec[DUTYLOG_REPORT_FOLLOWUP], t + 330 * MIN);
        assert_int_equal(g.report_sent_usec[DUTYLOG_REPORT_FOLLOWUP], t + 210 * MIN);
        assert_string_equal(g.report_to[DUTYLOG_REPORT_FOLLOWUP], "c");
        assert_int_equal(g.followup_count, 2);
        store_duty_log_done(&g);
        assert_int_equal(store_duty_log_overdue(s, t + 331 * MIN, &o, &n), 0);
        assert_int_equal(n, 1);
        store_duty_log_free_many(o, n);

        /* Closed (终报): nothing owed, nothing more recorded. */
        assert_int_equal(store_duty_log_close(s, ev, t + 332 * MIN, d, "wum", "终报"), 0);
        assert_int_equal(store_duty_log_overdue(s, t + 999 * MIN, &o, &n), 0);
        assert_int_equal(n, 0);
        free(o);
        assert_int_equal(store_duty_log_report(s, ev, DUTYLOG_REPORT_FOLLOWUP, t + 340 * MIN, "d"), -ENOMSG);
}

static void test_daily(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        Day d = day_from_ymd(2026, 10, 2);
        StoreDailyReport r = {};

        assert_int_equal(store_daily_report_get(s, d, &r), -ENOENT);
        /* Told missing, then sent late: both kept. */
        assert_int_equal(store_daily_report_alerted(s, d, 100), 0);
        assert_int_equal(store_daily_report_get(s, d, &r), 0);
        assert_int_equal(r.sent_usec, 0);
        assert_int_equal(r.alerted_usec, 100);
        store_daily_report_done(&r);
        assert_int_equal(store_daily_report_send(s, d, 200, "wum", 1001, "市委总值班室", "无事报平安"), 0);
        assert_int_equal(store_daily_report_send(s, d, 300, "wum", 1001, "again", "x"), -EALREADY);
        assert_int_equal(store_daily_report_get(s, d, &r), 0);
        assert_int_equal(r.sent_usec, 200);
        assert_int_equal(r.alerted_usec, 100);
        assert_string_equal(r.to, "市委总值班室");
        assert_string_equal(r.text, "无事报平安");
        assert_string_equal(r.sent_by, "wum");
        store_daily_report_done(&r);
        /* Another day: sent in time, never told. */
        assert_int_equal(store_daily_report_send(s, d + 1, 400, NULL, 0, "市委总值班室", "x"), 0);
        assert_int_equal(store_daily_report_get(s, d + 1, &r), 0);
        assert_int_equal(r.alerted_usec, 0);
        assert_null(r.sent_by);
        store_daily_report_done(&r);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_carry_over, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_open_items, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_correction, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_reports, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_followups, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_daily, fixture_setup, fixture_teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
