/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The transaction of one request (store_request_begin/end) with the handler transactions nested in
 * it, and reading the audit log back. */

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"
#include "fixture.h"
#include "store.h"

FIXTURE_SETUP_TEARDOWN("store-request", FIXTURE_STORE)

static char *meta(Store *s, const char *key) {
        char *v = NULL;
        int r = store_meta_get(s, key, &v);

        if (r == -ENOENT)
                return NULL;
        assert_int_equal(r, 0);
        return v;
}

static void assert_meta(Store *s, const char *key, const char *expected) {
        _cleanup_free_ char *v = meta(s, key);

        if (!expected)
                assert_null(v);
        else {
                assert_non_null(v);
                assert_string_equal(v, expected);
        }
}

/* A handler's commit inside a request is not durable until the request commits. */
static void test_nested_commit(void **state) {
        Fixture *f = *state;
        Store *s = f->store;

        assert_int_equal(store_request_begin(s), 0);
        assert_true(store_in_request(s));
        assert_false(store_in_transaction(s));
        assert_int_equal(store_request_begin(s), -EBUSY);

        assert_int_equal(store_begin(s), 0);
        assert_true(store_in_transaction(s));
        assert_int_equal(store_begin(s), -EBUSY);
        assert_int_equal(store_meta_set(s, "k", "v1"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_false(store_in_transaction(s));
        assert_true(store_in_request(s));

        /* Dropping the request drops the committed savepoint. */
        assert_int_equal(store_request_end(s, false), 0);
        assert_false(store_in_request(s));
        assert_meta(s, "k", NULL);

        assert_int_equal(store_request_begin(s), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "v2"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_audit_append(s, 1, 0, NULL, "X", "{}", "ok"), 0);
        assert_int_equal(store_request_end(s, true), 0);
        assert_meta(s, "k", "v2");

        /* Durable: another connection sees it. */
        store_free(f->store);
        f->store = s = store_open_ok(f->path);
        assert_meta(s, "k", "v2");
        assert_int_equal(store_audit_verify(s, NULL), 0);
}

/* A handler's rollback undoes its own work only: a dry run or a refusal keeps the request usable. */
static void test_nested_rollback(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        uint64_t n = 0;

        assert_int_equal(store_request_begin(s), 0);
        assert_int_equal(store_meta_set(s, "before", "kept"), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "inner", "undone"), 0);
        store_rollback(s);
        assert_false(store_in_transaction(s));
        assert_meta(s, "inner", NULL);
        assert_meta(s, "before", "kept");

        /* Still one transaction: the audit row joins it. */
        assert_int_equal(store_audit_append(s, 2, 1001, "zhang", "RosterGenerate", "{\"dry_run\":true}", "ok"), 0);
        assert_int_equal(store_request_end(s, true), 0);
        assert_meta(s, "before", "kept");
        assert_meta(s, "inner", NULL);
        assert_int_equal(store_count_audit(s, &n), 0);
        assert_int_equal(n, 1);
}

/* A savepoint left open by its owner was never confirmed: committing the request refuses. */
static void test_unfinished_savepoint(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        uint64_t n = 0;

        assert_int_equal(store_request_begin(s), 0);
        assert_int_equal(store_audit_append(s, 3, 0, NULL, "X", "{}", "ok"), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "half"), 0);
        assert_int_equal(store_request_end(s, true), -EIO);
        assert_false(store_in_request(s));
        assert_false(store_in_transaction(s));
        assert_meta(s, "k", NULL);
        assert_int_equal(store_count_audit(s, &n), 0);
        assert_int_equal(n, 0);

        /* The store is usable afterwards, inside and outside requests. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "plain"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_meta(s, "k", "plain");
        assert_int_equal(store_request_end(s, true), -EINVAL);
}

/* Outside a request, store_begin() is a real transaction as before. */
static void test_plain_transaction_unchanged(void **state) {
        Fixture *f = *state;
        Store *s = f->store;

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_request_begin(s), -EBUSY);
        assert_int_equal(store_meta_set(s, "k", "x"), 0);
        store_rollback(s);
        assert_meta(s, "k", NULL);
        assert_false(store_in_request(s));
}

static void test_audit_list(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        StoreAuditEntry *e = NULL;
        size_t n = 0;

        for (int i = 1; i <= 5; i++)
                assert_int_equal(store_audit_append(s, (uint64_t) i * 1000, 1000 + (i % 2),
                                                    i % 2 ? "zhang" : NULL, "M", "{}",
                                                    i == 3 ? "PermissionDenied" : "ok"), 0);

        /* The newest rows, oldest first. */
        assert_int_equal(store_audit_list(s, 0, NULL, 3, &e, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(e[0].id, 3);
        assert_int_equal(e[2].id, 5);
        assert_string_equal(e[0].result, "PermissionDenied");
        assert_int_equal(e[0].uid, 1001);
        assert_string_equal(e[0].person, "zhang");
        assert_null(e[1].person);
        assert_int_equal(e[2].at_usec, 5000);
        e = store_audit_free_many(e, n);

        /* Filters: a time and a person. */
        assert_int_equal(store_audit_list(s, 2000, "zhang", STORE_AUDIT_LIST_MAX, &e, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(e[0].id, 3);
        assert_int_equal(e[1].id, 5);
        e = store_audit_free_many(e, n);

        assert_int_equal(store_audit_list(s, 6000, NULL, 10, &e, &n), 0);
        assert_int_equal(n, 0);
        e = store_audit_free_many(e, n);

        assert_int_equal(store_audit_list(s, 0, NULL, 0, &e, &n), -EINVAL);
        assert_int_equal(store_audit_list(s, 0, NULL, STORE_AUDIT_LIST_MAX + 1, &e, &n), -EINVAL);
}

static uint64_t now_msec(void) {
        struct timespec ts;

        assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
        return (uint64_t) ts.tv_sec * 1000u + (uint64_t) ts.tv_nsec / 1000000u;
}

/* Another connection holding the write lock: a request cannot begin, and says so (-EBUSY) within a
 * short bound instead of the seconds that held up every caller of the daemon; reads go on, and the
 * request begins once the lock is released. */
static void test_locked_by_another(void **state) {
        Fixture *f = *state;
        Store *other = store_open_ok(f->path);
        uint64_t t0, ms;

        assert_int_equal(store_meta_set(f->store, "k", "v1"), 0);
        assert_int_equal(store_request_begin(other), 0);
        assert_int_equal(store_meta_set(other, "k", "v2"), 0);

        t0 = now_msec();
        assert_int_equal(store_request_begin(f->store), -EBUSY);
        ms = now_msec() - t0;
        assert_false(store_in_request(f->store));
        if (ms >= 1000)
                fail_msg("waited %" PRIu64 " ms for the lock", ms);
        /* WAL: the reader sees the last committed value, without waiting. */
        assert_meta(f->store, "k", "v1");

        assert_int_equal(store_request_end(other, true), 0);
        store_free(other);
        assert_int_equal(store_request_begin(f->store), 0);
        assert_int_equal(store_request_end(f->store, false), 0);
        assert_meta(f->store, "k", "v2");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_nested_commit, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_nested_rollback, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_unfinished_savepoint, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_plain_transaction_unchanged, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_audit_list, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_locked_by_another, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
