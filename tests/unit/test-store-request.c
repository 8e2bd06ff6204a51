/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The transaction its owner begins and commits, the named savepoints nested in it (a request of a
 * group, a service's undo), the open handler, and reading the audit log back. */

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
#include "store-audit.h"

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

static const StoreSavepoint sp_request = STORE_SAVEPOINT(request);
static const StoreSavepoint sp_service = STORE_SAVEPOINT(service);

/* A service's savepoint inside the request's transaction is not durable until the owner commits;
 * there is no hidden switch: store_begin() inside a transaction is refused. */
static void test_nested_commit(void **state) {
        Fixture *f = *state;
        Store *s = f->store;

        assert_int_equal(store_begin(s), 0);
        assert_true(store_in_transaction(s));
        assert_int_equal(store_begin(s), -EBUSY);

        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_int_equal(store_meta_set(s, "k", "v1"), 0);
        assert_int_equal(store_savepoint_release(s, &sp_service), 0);
        assert_true(store_in_transaction(s));

        /* Rolling the transaction back drops the released savepoint. */
        store_rollback(s);
        assert_false(store_in_transaction(s));
        assert_meta(s, "k", NULL);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_int_equal(store_meta_set(s, "k", "v2"), 0);
        assert_int_equal(store_savepoint_release(s, &sp_service), 0);
        assert_int_equal(store_audit_append(s, 1, 0, NULL, "X", "{}", "ok"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_meta(s, "k", "v2");

        /* Durable: another connection sees it. */
        store_free(f->store);
        f->store = s = store_open_ok(f->path);
        assert_meta(s, "k", "v2");
        assert_int_equal(store_audit_verify(s, NULL), 0);
}

/* A savepoint's rollback undoes its own work only: a dry run or a refusal keeps the transaction
 * usable — and a refused request of a group leaves the others' work (group commit). */
static void test_nested_rollback(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        uint64_t n = 0, commits;

        commits = store_commit_count(s);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_savepoint(s, &sp_request), 0);
        assert_int_equal(store_meta_set(s, "before", "kept"), 0);
        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_int_equal(store_meta_set(s, "inner", "undone"), 0);
        store_savepoint_rollback(s, &sp_service);
        assert_true(store_in_transaction(s));
        assert_meta(s, "inner", NULL);
        assert_meta(s, "before", "kept");
        assert_int_equal(store_audit_append(s, 2, 1001, "zhang", "RosterGenerate", "{\"dry_run\":true}", "ok"), 0);
        assert_int_equal(store_savepoint_release(s, &sp_request), 0);

        /* A second request of the same group, refused: only its own work goes. */
        assert_int_equal(store_savepoint(s, &sp_request), 0);
        assert_int_equal(store_meta_set(s, "second", "refused"), 0);
        store_savepoint_rollback(s, &sp_request);
        assert_int_equal(store_audit_append(s, 3, 1002, NULL, "LeaveRequest", "{}", "RuleViolation"), 0);

        /* A third, kept. */
        assert_int_equal(store_savepoint(s, &sp_request), 0);
        assert_int_equal(store_meta_set(s, "third", "kept"), 0);
        assert_int_equal(store_audit_append(s, 4, 1003, NULL, "LeaveRequest", "{}", "ok"), 0);
        assert_int_equal(store_savepoint_release(s, &sp_request), 0);

        /* One commit for the three. */
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_commit_count(s), commits + 1);
        assert_meta(s, "before", "kept");
        assert_meta(s, "inner", NULL);
        assert_meta(s, "second", NULL);
        assert_meta(s, "third", "kept");
        assert_int_equal(store_count_audit(s, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(store_audit_verify(s, NULL), 0);
}

/* A savepoint left open by its owner was never confirmed: committing refuses. */
static void test_unfinished_savepoint(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        uint64_t n = 0;

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_audit_append(s, 3, 0, NULL, "X", "{}", "ok"), 0);
        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_int_equal(store_meta_set(s, "k", "half"), 0);
        assert_int_equal(store_commit(s), -EIO);
        assert_false(store_in_transaction(s));
        assert_meta(s, "k", NULL);
        assert_int_equal(store_count_audit(s, &n), 0);
        assert_int_equal(n, 0);

        /* The store is usable afterwards. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "plain"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_meta(s, "k", "plain");
        assert_int_equal(store_commit(s), -EINVAL);
        assert_int_equal(store_savepoint_release(s, &sp_service), -EINVAL);
}

/* A service called alone (no transaction open): its savepoint is the transaction, committed
 * durably on release, undone on rollback. */
static void test_outer_savepoint(void **state) {
        Fixture *f = *state;
        Store *s = f->store;
        uint64_t commits = store_commit_count(s);

        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_true(store_in_transaction(s));
        assert_int_equal(store_meta_set(s, "k", "x"), 0);
        store_savepoint_rollback(s, &sp_service);
        assert_false(store_in_transaction(s));
        assert_meta(s, "k", NULL);

        assert_int_equal(store_savepoint(s, &sp_service), 0);
        assert_int_equal(store_meta_set(s, "k", "y"), 0);
        assert_int_equal(store_savepoint_release(s, &sp_service), 0);
        assert_false(store_in_transaction(s));
        assert_int_equal(store_commit_count(s), commits + 1);
        assert_meta(s, "k", "y");
}

static unsigned opened;

static void on_open(Store *s, void *userdata) {
        opened++;
        assert_int_equal(store_commit(s), 0);
}

/* The owner of a transaction left open is asked to commit it before another writer begins. */
static void test_open_handler(void **state) {
        Fixture *f = *state;
        Store *s = f->store;

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "group"), 0);
        assert_int_equal(store_begin(s), -EBUSY);
        store_set_open_handler(s, on_open, NULL);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(opened, 1u);
        store_rollback(s);
        assert_meta(s, "k", "group");
        store_set_open_handler(s, NULL, NULL);
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
        assert_int_equal(store_begin(other), 0);
        assert_int_equal(store_meta_set(other, "k", "v2"), 0);

        t0 = now_msec();
        assert_int_equal(store_begin(f->store), -EBUSY);
        ms = now_msec() - t0;
        assert_false(store_in_transaction(f->store));
        if (ms >= 1000)
                fail_msg("waited %" PRIu64 " ms for the lock", ms);
        /* WAL: the reader sees the last committed value, without waiting. */
        assert_meta(f->store, "k", "v1");

        assert_int_equal(store_commit(other), 0);
        store_free(other);
        assert_int_equal(store_begin(f->store), 0);
        store_rollback(f->store);
        assert_meta(f->store, "k", "v2");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_nested_commit, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_nested_rollback, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_unfinished_savepoint, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_outer_savepoint, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_open_handler, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_audit_list, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_locked_by_another, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
