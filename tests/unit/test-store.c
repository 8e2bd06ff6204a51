/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "date.h"
#include "fixture.h"
#include "leave.h"
#include "offices.h"
#include "roster.h"
#include "sha256.h"
#include "store-internal.h"
#include "store.h"
#include "store-audit.h"


/* The tables of the migrations after 9, dropped by the tests that take a store back to an older
 * schema version (the migrations then create them again). */
#define STORE_TEST_DROP_AFTER_9 "DROP TABLE handover; ALTER TABLE alert_state DROP COLUMN step; " \
        "DROP TABLE spot_check; DROP TABLE presence_check; DROP TABLE duty_log; DROP TABLE daily_report; " \
        "DROP TABLE office_cursor; DROP TABLE office_report; DROP TABLE office_gap; DROP TABLE notice_alert; " \
        "DROP TABLE report_version; " \
        "DROP TABLE notification; "

FIXTURE_SETUP_TEARDOWN("store", 0)

static sqlite3 *raw_open(const char *path) {
        sqlite3 *db = NULL;

        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
        return db;
}

static void raw_exec(sqlite3 *db, const char *sql) {
        char *m = NULL;
        int rc = sqlite3_exec(db, sql, NULL, NULL, &m);

        if (rc != SQLITE_OK)
                fail_msg("%s: %s", sql, m);
}

/* Another program's commit: sql run on a connection of its own, closed after. */
static void other_commit(const char *path, const char *sql) {
        sqlite3 *other = raw_open(path);

        raw_exec(other, sql);
        assert_int_equal(sqlite3_close(other), SQLITE_OK);
}

static int64_t raw_int(sqlite3 *db, const char *sql) {
        sqlite3_stmt *st = NULL;
        int64_t v;

        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
}

static char *raw_text(sqlite3 *db, const char *sql) {
        sqlite3_stmt *st = NULL;
        char *v;

        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        v = strdup((const char *) sqlite3_column_text(st, 0));
        assert_non_null(v);
        sqlite3_finalize(st);
        return v;
}

static void test_open_creates_private_wal(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *created = NULL, *mode = NULL;
        struct stat st;
        mode_t old_umask;
        sqlite3 *db;

        /* With no umask to help, the mode must still come out private. */
        old_umask = umask(0);
        s = store_open_ok(f->path);
        umask(old_umask);

        assert_int_equal(stat(f->path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_true(store_schema_latest() >= 2);
        assert_false(store_in_transaction(s));

        assert_int_equal(store_meta_get(s, "created_at", &created), 0);
        assert_int_equal(strlen(created), strlen("2024-01-01T00:00:00Z"));
        s = store_free(s);
        assert_null(s);

        db = raw_open(f->path);
        mode = raw_text(db, "PRAGMA journal_mode");
        assert_string_equal(mode, "wal");
        assert_int_equal(raw_int(db, "PRAGMA user_version"), store_schema_latest());
        sqlite3_close(db);
}

/* A report's version grows per key, never below what the caller asks for, and only with a commit. */
static void test_report_versions(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        int v = 0;

        s = store_open_ok(f->path);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_report_version_next(s, "2026-7", 1, &v), 0);
        assert_int_equal(v, 1);
        /* A later publication, version 3: the report takes it. */
        assert_int_equal(store_report_version_next(s, "2026-7", 3, &v), 0);
        assert_int_equal(v, 3);
        /* An amendment of version 3 (at least 4), then a publication of version 4: 4, then 5. */
        assert_int_equal(store_report_version_next(s, "2026-7", 4, &v), 0);
        assert_int_equal(v, 4);
        assert_int_equal(store_report_version_next(s, "2026-7", 4, &v), 0);
        assert_int_equal(v, 5);
        assert_int_equal(store_report_version_next(s, "leave-1", 1, &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(store_commit(s), 0);

        /* Rolled back: the next one is the same number again. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_report_version_next(s, "leave-1", 1, &v), 0);
        assert_int_equal(v, 2);
        store_rollback(s);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_report_version_next(s, "leave-1", 1, &v), 0);
        assert_int_equal(v, 2);
        assert_int_equal(store_commit(s), 0);

        assert_int_equal(store_report_version_next(s, "leave-1", 0, &v), -EINVAL);
}

static void test_open_narrows_mode(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        struct stat st;
        mode_t old_umask;
        int fd;

        old_umask = umask(0);
        fd = open(f->path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
        umask(old_umask);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(stat(f->path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0666);

        /* An empty file is an empty database: it gets the schema and the narrow mode. */
        s = store_open_ok(f->path);
        assert_int_equal(stat(f->path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(store_schema_version(s), store_schema_latest());
}

static void test_migrate_from_v1(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *summary = NULL;
        StoreAssignment *a = NULL;
        uint64_t count = 0;
        size_t n = 0;
        sqlite3 *db;

        /* A database as a version-1 build left it, written without the store. */
        db = raw_open(f->path);
        raw_exec(db,
                 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "CREATE TABLE audit (id INTEGER PRIMARY KEY, at_usec INTEGER NOT NULL, uid INTEGER NOT NULL,"
                 " person TEXT, method TEXT NOT NULL, summary TEXT NOT NULL, result TEXT NOT NULL,"
                 " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
                 "INSERT INTO meta VALUES ('created_at', '2024-01-01T00:00:00Z');"
                 "INSERT INTO audit VALUES (1, 1700000000000000, 1000, 'zhang', 'io.dutyd.Duty.Generate',"
                 " 'roster 2024-02', 'ok', 'x', 'y');"
                 "PRAGMA user_version = 1;");
        sqlite3_close(db);

        s = store_open_ok(f->path);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_int_equal(store_count_audit(s, &count), 0);
        assert_int_equal(count, 1);

        /* The v2 tables exist and work. */
        assert_int_equal(store_assignment_set(s, day_from_ymd(2024, 2, 10), "leader", 0, "li", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_list(s, day_from_ymd(2024, 2, 1), day_from_ymd(2024, 2, 29), &a, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(a[0].person, "li");
        assert_string_equal(a[0].source, STORE_ASSIGNMENT_SOURCE_DEFAULT);
        a = store_assignment_free_many(a, n);
        s = store_free(s);

        db = raw_open(f->path);
        summary = raw_text(db, "SELECT summary FROM audit WHERE id = 1");
        assert_string_equal(summary, "roster 2024-02");
        assert_int_equal(raw_int(db, "PRAGMA user_version"), store_schema_latest());
        assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'publication'"), 1);
        sqlite3_close(db);
}

static void test_newer_schema_refused(void **state) {
        Fixture *f = *state;
        _cleanup_free_ char *error = NULL, *sql = NULL;
        Store *s = NULL;
        sqlite3 *db;

        assert_true(asprintf(&sql, "CREATE TABLE future (x); PRAGMA user_version = %d;", store_schema_latest() + 1) > 0);
        db = raw_open(f->path);
        raw_exec(db, sql);
        sqlite3_close(db);

        assert_int_equal(store_open(f->path, &s, &error), -EPROTO);
        assert_null(s);
        assert_non_null(error);
        assert_non_null(strstr(error, f->path));
        assert_non_null(strstr(error, "newer"));

        db = raw_open(f->path);
        assert_int_equal(raw_int(db, "PRAGMA user_version"), store_schema_latest() + 1);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'"), 0);
        sqlite3_close(db);
}

static void test_garbage_refused(void **state) {
        Fixture *f = *state;
        _cleanup_free_ char *error = NULL;
        char junk[4096];
        Store *s = NULL;
        FILE *fp;

        for (size_t i = 0; i < sizeof(junk); i++)
                junk[i] = "值班表 duty roster\n"[i % 22];
        fp = fopen(f->path, "we");
        assert_non_null(fp);
        assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
        fclose(fp);

        assert_int_equal(store_open(f->path, &s, &error), -EBADMSG);
        assert_null(s);
        assert_non_null(error);
        assert_non_null(strstr(error, f->path));
        assert_non_null(strstr(error, "file is not a database"));
}

static void test_corrupt_refused(void **state) {
        Fixture *f = *state;
        _cleanup_free_ char *error = NULL;
        Store *s = NULL;
        uint8_t junk[512];
        int64_t page_size;
        sqlite3 *db;
        int fd;

        s = store_open_ok(f->path);
        for (int i = 0; i < 200; i++) {
                char key[32];

                snprintf(key, sizeof(key), "key-%03d", i);
                assert_int_equal(store_meta_set(s, key, "some value long enough to fill a few pages"), 0);
        }
        s = store_free(s);

        db = raw_open(f->path);
        page_size = raw_int(db, "PRAGMA page_size");
        assert_true(raw_int(db, "PRAGMA page_count") > 3);
        sqlite3_close(db);

        for (size_t i = 0; i < sizeof(junk); i++)
                junk[i] = (uint8_t) (i * 37 + 11);
        fd = open(f->path, O_WRONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, junk, sizeof(junk), page_size), (ssize_t) sizeof(junk));
        close(fd);

        assert_int_equal(store_open(f->path, &s, &error), -EBADMSG);
        assert_null(s);
        assert_non_null(error);
        assert_non_null(strstr(error, f->path));
        assert_non_null(strstr(error, "corrupt"));
        /* One problem, on one line. */
        assert_null(strchr(error, '\n'));
}

static void test_transactions(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *v = NULL;

        s = store_open_ok(f->path);
        assert_int_equal(store_commit(s), -EINVAL);

        assert_int_equal(store_begin(s), 0);
        assert_true(store_in_transaction(s));
        assert_int_equal(store_begin(s), -EBUSY);
        assert_int_equal(store_meta_set(s, "k", "discarded"), 0);
        store_rollback(s);
        assert_false(store_in_transaction(s));
        assert_int_equal(store_meta_get(s, "k", &v), -ENOENT);
        assert_null(v);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "kept"), 0);
        assert_int_equal(store_meta_set(s, "k", "kept twice"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_false(store_in_transaction(s));
        s = store_free(s);

        s = store_open_ok(f->path);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "kept twice");

        /* A transaction left open at close is lost, not committed. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "unacknowledged"), 0);
        s = store_free(s);
        s = store_open_ok(f->path);
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "kept twice");
}

/* A read-only call's statements run on the reader (store_read_scope_begin()) and share one read
 * transaction there: begun by the first statement, not before; one snapshot throughout, while another
 * connection commits; ended by the scope's end. */
static void test_read_scope(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *v = NULL;
        sqlite3 *other;

        s = store_open_ok(f->path);
        assert_int_equal(store_schema_version_opened(s), store_schema_latest());
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "one"), 0);
        assert_int_equal(store_commit(s), 0);

        /* No statement, no transaction. */
        store_read_scope_begin(s);
        assert_true(sqlite3_get_autocommit(s->reader.db));
        store_read_scope_end(s);
        assert_true(sqlite3_get_autocommit(s->reader.db));

        store_read_scope_begin(s);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "one");
        assert_false(sqlite3_get_autocommit(s->reader.db));
        assert_true(sqlite3_get_autocommit(s->writer.db));
        assert_false(store_in_transaction(s));
        /* Another connection's commit is not seen until the scope ends: one snapshot. */
        other = raw_open(f->path);
        raw_exec(other, "UPDATE meta SET value = 'two' WHERE key = 'k'");
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "one");
        store_read_scope_end(s);
        assert_true(sqlite3_get_autocommit(s->reader.db));
        assert_int_equal(sqlite3_close(other), SQLITE_OK);

        /* The next scope sees it, as the writer does. */
        store_read_scope_begin(s);
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "two");
        store_read_scope_end(s);
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "two");
}

/* What a read never waits for: the writes of a transaction the writer holds open (the requests'
 * group before its commit). A read scope does not see them, whether they change a row or add one,
 * and sees them once committed; rolled back, never. */
static void test_read_scope_committed_only(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *v = NULL;

        s = store_open_ok(f->path);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "committed"), 0);
        assert_int_equal(store_commit(s), 0);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "open"), 0);
        assert_int_equal(store_meta_set(s, "new", "open"), 0);

        store_read_scope_begin(s);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "committed");
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "new", &v), -ENOENT);
        store_read_scope_end(s);
        /* The writer, outside the scope, sees its own. */
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "open");
        free(v);
        v = NULL;

        assert_int_equal(store_commit(s), 0);
        store_read_scope_begin(s);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "open");
        free(v);
        v = NULL;
        assert_int_equal(store_meta_get(s, "new", &v), 0);
        assert_string_equal(v, "open");
        free(v);
        v = NULL;
        store_read_scope_end(s);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "rolled back"), 0);
        store_rollback(s);
        store_read_scope_begin(s);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "open");
        store_read_scope_end(s);
}

/* A write inside a read scope fails loudly, with the group's transaction open or not, and leaves
 * that transaction as it was: nothing silently goes to the writer. */
static void test_read_scope_write_fails(void **state) {
        static const StoreSavepoint sp = STORE_SAVEPOINT(test_scope);
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *v = NULL;

        s = store_open_ok(f->path);

        store_read_scope_begin(s);
        assert_int_equal(store_begin(s), -EROFS);
        assert_int_equal(store_savepoint(s, &sp), -EROFS);
        /* A writing statement reaches SQLite's read-only connection: SQLITE_READONLY. */
        assert_int_equal(store_meta_set(s, "k", "in a scope"), -EROFS);
        assert_int_equal(sqlite3_errcode(s->reader.db) & 0xff, SQLITE_READONLY);
        assert_false(store_in_transaction(s));
        store_read_scope_end(s);
        assert_int_equal(store_meta_get(s, "k", &v), -ENOENT);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "group"), 0);
        store_read_scope_begin(s);
        assert_int_equal(store_meta_set(s, "k", "in a scope"), -EROFS);
        assert_int_equal(store_savepoint(s, &sp), -EROFS);
        assert_int_equal(store_begin(s), -EROFS);
        store_read_scope_end(s);
        assert_true(store_in_transaction(s));
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "group");
}

static unsigned open_handler_calls;

static void finish_on_open(Store *s, void *userdata) {
        open_handler_calls++;
        if (store_committing(s))
                assert_int_equal(store_commit_finish(s), 0);
}

/* The COMMIT off the caller's thread (store_commit_start()): the thread says when it is done through
 * the eventfd, and store_commit_finish() returns the outcome; read scopes go on meanwhile, and
 * anything that needs the writer finishes the commit first — through the open handler if there is
 * one. A transaction that may not commit is refused before any thread runs. */
static void test_commit_thread(void **state) {
        static const StoreSavepoint sp = STORE_SAVEPOINT(test_thread);
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *v = NULL;
        uint64_t n, one;
        int fd, r;

        s = store_open_ok(f->path);
        fd = eventfd(0, EFD_CLOEXEC);
        assert_true(fd >= 0);
        n = store_commit_count(s);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "one"), 0);
        assert_int_equal(store_commit_start(s, fd), 0);
        assert_true(store_committing(s));
        assert_false(store_in_transaction(s));
        /* A read meanwhile, on the reader: before the commit or after it, never half of it. */
        store_read_scope_begin(s);
        r = store_meta_get(s, "k", &v);
        store_read_scope_end(s);
        assert_true(r == -ENOENT || (r == 0 && streq(v, "one")));
        free(v);
        v = NULL;
        assert_int_equal(read(fd, &one, sizeof(one)), (ssize_t) sizeof(one));
        assert_true(store_committing(s));
        assert_int_equal(store_commit_finish(s), 0);
        assert_false(store_committing(s));
        assert_int_equal(store_commit_finish(s), -EINVAL);
        assert_int_equal(store_commit_count(s), n + 1);
        store_read_scope_begin(s);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        store_read_scope_end(s);
        assert_string_equal(v, "one");
        free(v);
        v = NULL;

        /* A statement of the writer's, without an open handler: the store finishes the commit. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "two"), 0);
        assert_int_equal(store_commit_start(s, fd), 0);
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "two");
        free(v);
        v = NULL;
        assert_false(store_committing(s));
        assert_int_equal(store_commit_count(s), n + 2);

        /* store_begin(), with an open handler: it is asked to finish the commit first. */
        store_set_open_handler(s, finish_on_open, NULL);
        open_handler_calls = 0;
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "three"), 0);
        assert_int_equal(store_commit_start(s, fd), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(open_handler_calls, 1);
        assert_int_equal(store_commit_count(s), n + 3);
        assert_int_equal(store_meta_set(s, "k", "four"), 0);
        assert_int_equal(store_commit(s), 0);
        store_set_open_handler(s, NULL, NULL);

        /* A savepoint left open: refused before any thread, rolled back. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "five"), 0);
        assert_int_equal(store_savepoint(s, &sp), 0);
        assert_int_equal(store_commit_start(s, fd), -EIO);
        assert_false(store_committing(s));
        assert_false(store_in_transaction(s));
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, "four");
        assert_int_equal(store_commit_start(s, fd), -EINVAL);
        (void) close(fd);
}

static bool stamp_equal(const StoreChangeStamp *a, const StoreChangeStamp *b) {
        return store_change_stamp_equal(a, b);
}

/* The stamp an answer kept between calls (Who's) is checked against: still while nothing is written,
 * moved by this connection's writes — committed or rolled back — and by another program's commit. */
static void test_change_stamp(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        StoreChangeStamp a, b;

        s = store_open_ok(f->path);
        assert_int_equal(store_change_stamp(s, &a), 0);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_int_equal(store_change_stamp(s, &b), 0);
        assert_true(stamp_equal(&a, &b));

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "one"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_change_stamp(s, &b), 0);
        assert_false(stamp_equal(&a, &b));

        a = b;
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "two"), 0);
        store_rollback(s);
        assert_int_equal(store_change_stamp(s, &b), 0);
        assert_false(stamp_equal(&a, &b));

        a = b;
        other_commit(f->path, "UPDATE meta SET value = 'three' WHERE key = 'k'");
        assert_int_equal(store_change_stamp(s, &b), 0);
        assert_false(stamp_equal(&a, &b));

        /* Inside a read scope, as a read-only call takes it: of the committed data. Still while
         * nothing commits, the writer's open writes included; moved by the writer's commit and by
         * another program's; never equal to one taken outside a scope. */
        store_read_scope_begin(s);
        assert_int_equal(store_change_stamp(s, &a), 0);
        store_read_scope_end(s);
        assert_false(stamp_equal(&a, &b));
        store_read_scope_begin(s);
        assert_int_equal(store_change_stamp(s, &b), 0);
        store_read_scope_end(s);
        assert_true(stamp_equal(&a, &b));

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "four"), 0);
        store_read_scope_begin(s);
        assert_int_equal(store_change_stamp(s, &b), 0);
        store_read_scope_end(s);
        assert_true(stamp_equal(&a, &b));
        assert_int_equal(store_commit(s), 0);
        store_read_scope_begin(s);
        assert_int_equal(store_change_stamp(s, &b), 0);
        store_read_scope_end(s);
        assert_false(stamp_equal(&a, &b));

        a = b;
        other_commit(f->path, "UPDATE meta SET value = 'five' WHERE key = 'k'");
        store_read_scope_begin(s);
        assert_int_equal(store_change_stamp(s, &b), 0);
        store_read_scope_end(s);
        assert_false(stamp_equal(&a, &b));
}

#define LEAVE_ROW(person, from, to)                                                              \
        "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min, requested_day, "      \
        "requested_usec, state) VALUES ('" person "', 'personal', " #from ", 480, " #to ", 1080, 90, 1, 'approved');"

/* How many approved leaves meet the single day d. */
static size_t leaves_meeting(Store *s, Day d) {
        StoreLeaveFilter f = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED),
                .from = d,
                .to = d,
        };
        StoreLeave *l = NULL;
        size_t n = 0;

        assert_int_equal(store_leave_list(s, &f, &l, &n), 0);
        store_leave_free_many(l, n);
        return n;
}

/* The leave lists bound start_day by the longest leave stored, not by LEAVE_DAYS_MAX: a longer one
 * written afterwards — through any statement of the store's connection, by another program, or
 * among more rows than the store notes one by one — is still found. */
static void test_leave_span(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        int span;

        s = store_open_ok(f->path);
        raw_exec(s->writer.db, LEAVE_ROW("wang", 1000, 1000));
        assert_int_equal(leaves_meeting(s, 1000), 1);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 0);
        assert_int_equal(leaves_meeting(s, 1050), 0);

        /* Written by this connection, by a statement outside store-leave.c. */
        raw_exec(s->writer.db, LEAVE_ROW("li", 900, 1100));
        assert_int_equal(leaves_meeting(s, 1050), 1);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 200);

        /* Committed by another connection. */
        other_commit(f->path, LEAVE_ROW("chen", 1000, 1300));
        assert_int_equal(leaves_meeting(s, 1250), 1);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 300);

        /* A longer one first, then more rows than are noted one by one. */
        raw_exec(s->writer.db, LEAVE_ROW("zhao", 1650, 2000));
        for (unsigned i = 0; i < STORE_LEAVE_TOUCHED_MAX + 6; i++)
                raw_exec(s->writer.db, LEAVE_ROW("wu", 2500, 2500));
        assert_int_equal(leaves_meeting(s, 1990), 1);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 350);
        assert_int_equal(leaves_meeting(s, 2500), STORE_LEAVE_TOUCHED_MAX + 6);
}

/* How many approved leaves meet day d, as a read-only call sees them (in a read scope). */
static size_t leaves_meeting_committed(Store *s, Day d) {
        size_t n;

        store_read_scope_begin(s);
        n = leaves_meeting(s, d);
        store_read_scope_end(s);
        return n;
}

/* The reader keeps its own longest span (store_leave_span()): it covers what the reader's snapshot
 * holds, not what the writer sees. A leave committed long, then shortened in a transaction still
 * open, is long for the reader — though the writer, which read its rows back shortened, keeps a
 * span too short for it; another program's commit between two reader's lists, and more rows than
 * are noted one by one, are found too. */
static void test_leave_span_reader(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        int span;

        s = store_open_ok(f->path);
        raw_exec(s->writer.db, LEAVE_ROW("wang", 1000, 1000));
        assert_int_equal(leaves_meeting_committed(s, 1000), 1);
        assert_int_equal(leaves_meeting(s, 1000), 1);

        /* Committed long, then shortened in the open transaction, which the writer lists from. */
        raw_exec(s->writer.db, "UPDATE leave SET end_day = 1300 WHERE person = 'wang'");
        assert_int_equal(store_begin(s), 0);
        raw_exec(s->writer.db, "UPDATE leave SET end_day = 1000 WHERE person = 'wang'");
        assert_int_equal(leaves_meeting(s, 1250), 0);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 0);
        assert_int_equal(leaves_meeting_committed(s, 1250), 1);
        store_read_scope_begin(s);
        assert_int_equal(store_leave_span(s, &span), 0);
        assert_int_equal(span, 300);
        store_read_scope_end(s);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(leaves_meeting_committed(s, 1250), 0);
        assert_int_equal(leaves_meeting_committed(s, 1000), 1);

        /* Lengthened in an open transaction while the reader lists after another commit: the
         * reader reads the row back short then, and must read it again once it commits. */
        raw_exec(s->writer.db, LEAVE_ROW("qian", 1500, 1500));
        assert_int_equal(store_begin(s), 0);
        raw_exec(s->writer.db, "UPDATE leave SET end_day = 1850 WHERE person = 'qian'");
        assert_int_equal(leaves_meeting_committed(s, 1840), 0);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(leaves_meeting_committed(s, 1840), 1);

        /* Another program's commit between two lists of the reader, none of the writer's. */
        other_commit(f->path, LEAVE_ROW("chen", 2000, 2300));
        assert_int_equal(leaves_meeting_committed(s, 2250), 1);

        /* Another program's commit and the writer's between two lists of the reader. */
        other_commit(f->path, LEAVE_ROW("zhao", 3000, 3340));
        raw_exec(s->writer.db, LEAVE_ROW("li", 3000, 3001));
        assert_int_equal(leaves_meeting_committed(s, 3330), 1);

        /* More rows than are noted one by one, one of them the longest. */
        raw_exec(s->writer.db, LEAVE_ROW("sun", 5000, 5350));
        for (unsigned i = 0; i < STORE_LEAVE_TOUCHED_MAX + 6; i++)
                raw_exec(s->writer.db, LEAVE_ROW("wu", 6000, 6000));
        assert_int_equal(leaves_meeting_committed(s, 5340), 1);
        assert_int_equal(leaves_meeting_committed(s, 6000), STORE_LEAVE_TOUCHED_MAX + 6);
}

static void test_assignments(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        Day d1 = day_from_ymd(2024, 10, 1), d2 = d1 + 1, d3 = d1 + 2;
        StoreAssignment *a = NULL;
        size_t n = 0;

        s = store_open_ok(f->path);

        assert_int_equal(store_assignment_set(s, d2, "officer", 1, "wang", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d2, "officer", 0, NULL, false, "nobody eligible", NULL), 0);
        assert_int_equal(store_assignment_set(s, d1, "leader", 0, "zhao", true, NULL, "manual"), 0);
        assert_int_equal(store_assignment_set(s, d1, "officer", 0, "sun", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d3, "leader", 0, "qian", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d1 - 1, "leader", 0, "outside", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d1, "", 0, "x", false, NULL, NULL), -EINVAL);
        assert_int_equal(store_assignment_set(s, d1, "leader", -1, "x", false, NULL, NULL), -EINVAL);

        /* Replacing a slot overwrites it, and clears assume_ordinary. */
        assert_int_equal(store_assignment_set(s, d3, "leader", 0, "zhou", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set_assume_ordinary(s, d3, "leader", 0, true), 0);
        assert_int_equal(store_assignment_set_assume_ordinary(s, d3, "leader", 5, true), -ENOENT);

        assert_int_equal(store_assignment_list(s, d1, d3, &a, &n), 0);
        assert_int_equal(n, 5);
        assert_int_equal(a[0].day, d1);
        assert_string_equal(a[0].post, "leader");
        assert_string_equal(a[0].person, "zhao");
        assert_true(a[0].locked);
        assert_string_equal(a[0].source, "manual");
        assert_string_equal(a[1].post, "officer");
        assert_string_equal(a[1].person, "sun");
        assert_false(a[1].locked);
        assert_int_equal(a[2].day, d2);
        assert_int_equal(a[2].slot, 0);
        assert_null(a[2].person);
        assert_string_equal(a[2].reason, "nobody eligible");
        assert_int_equal(a[3].slot, 1);
        assert_string_equal(a[3].person, "wang");
        assert_null(a[3].reason);
        assert_int_equal(a[4].day, d3);
        assert_string_equal(a[4].person, "zhou");
        assert_true(a[4].assume_ordinary);
        assert_false(a[3].assume_ordinary);
        /* The roster engine's view of them: the strings borrowed, an empty slot's reason read back
         * when it is one of the engine's. */
        assert_int_equal(store_assignment_set(s, d2, "officer", 1, NULL, false, "all_on_leave", NULL), 0);
        {
                _cleanup_free_ RosterSlot *slots = NULL;

                assert_int_equal(store_assignment_slots(a, n, &slots), 0);
                assert_int_equal(slots[0].day, d1);
                assert_ptr_equal(slots[0].post, a[0].post);
                assert_ptr_equal(slots[0].person, a[0].person);
                assert_true(slots[0].locked);
                assert_int_equal(slots[0].reason, ROSTER_EMPTY_NONE);
                assert_null(slots[2].person);
                assert_int_equal(slots[2].slot, 0);
                /* "nobody eligible" is no reason the engine knows. */
                assert_int_equal(slots[2].reason, ROSTER_EMPTY_NONE);
                assert_true(slots[4].assume_ordinary);
                assert_false(slots[3].assume_ordinary);
        }
        a = store_assignment_free_many(a, n);
        assert_int_equal(store_assignment_list(s, d2, d2, &a, &n), 0);
        assert_int_equal(n, 2);
        {
                _cleanup_free_ RosterSlot *slots = NULL;

                assert_int_equal(store_assignment_slots(a, n, &slots), 0);
                assert_null(slots[1].person);
                assert_int_equal(slots[1].reason, ROSTER_EMPTY_ALL_ON_LEAVE);
        }
        a = store_assignment_free_many(a, n);
        {
                _cleanup_free_ RosterSlot *slots = NULL;

                /* None: still an array to free. */
                assert_int_equal(store_assignment_slots(NULL, 0, &slots), 0);
                assert_non_null(slots);
        }

        assert_int_equal(store_assignment_set(s, d3, "leader", 0, "zhou", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_list(s, d3, d3, &a, &n), 0);
        assert_int_equal(n, 1);
        assert_false(a[0].assume_ordinary);
        a = store_assignment_free_many(a, n);

        /* Regeneration keeps the locked slot. */
        assert_int_equal(store_assignment_clear_range(s, d1, d3, true), 4);
        assert_int_equal(store_assignment_list(s, d1, d3, &a, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(a[0].person, "zhao");
        a = store_assignment_free_many(a, n);

        assert_int_equal(store_assignment_clear_range(s, d1, d3, false), 1);
        assert_int_equal(store_assignment_list(s, d1, d3, &a, &n), 0);
        assert_int_equal(n, 0);
        a = store_assignment_free_many(a, n);

        /* The day before the range was never touched. */
        assert_int_equal(store_assignment_list(s, d1 - 1, d1 - 1, &a, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(a[0].person, "outside");
        a = store_assignment_free_many(a, n);

        assert_int_equal(store_assignment_clear_range(s, d3, d1, false), -EINVAL);
        assert_int_equal(store_assignment_list(s, d3, d1, &a, &n), -EINVAL);
}

static void test_audit_chain(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *genesis = NULL;
        char appended[SHA256_HEX_SIZE] = "", head[SHA256_HEX_SIZE] = "";
        int64_t bad = 0, id = 0, head_id = 0;
        uint64_t count = 0;
        sqlite3 *db;

        s = store_open_ok(f->path);
        assert_int_equal(store_audit_verify(s, &bad), 0);

        assert_int_equal(store_audit_append(s, 1000, 0, NULL, "io.dutyd.Duty.Reload", "reload", "ok"), 0);
        assert_int_equal(store_audit_append(s, 2000, 1001, "zhang", "io.dutyd.Duty.Leave", "2024-10-02..03", "ok"), 0);
        assert_int_equal(store_audit_append_full(s, 3000, 1002, "li", "io.dutyd.Duty.Swap", "10-05 ↔ 10-06",
                                                 "denied", &id, appended), 0);
        assert_int_equal(id, 3);
        /* The hash handed back is the chain's head as stored (what the anchor tells the journal). */
        assert_int_equal(store_audit_head(s, &head_id, head), 0);
        assert_int_equal(head_id, 3);
        assert_string_equal(appended, head);
        /* Row 1's hash over its netstring-framed fields, as computed apart (Python's hashlib over
         * "64:<genesis>,1:1,4:1000,1:0,-,20:io.dutyd.Duty.Reload,6:reload,2:ok,"): the chains
         * written before keep verifying. */
        assert_int_equal(store_audit_hash_at(s, 1, head), 0);
        assert_string_equal(head, "c8622cec3d5ce777fccb93ec57ba5de7a928c763a11f376e55815affe47e85fc");

        /* Appended in a transaction that is rolled back: gone with it. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_audit_append(s, 4000, 0, NULL, "io.dutyd.Duty.Generate", "x", "ok"), 0);
        store_rollback(s);

        assert_int_equal(store_count_audit(s, &count), 0);
        assert_int_equal(count, 3);
        assert_int_equal(store_audit_verify(s, &bad), 0);

        db = raw_open(f->path);
        genesis = raw_text(db, "SELECT prev_hash FROM audit WHERE id = 1");
        assert_string_equal(genesis, STORE_AUDIT_GENESIS);
        raw_exec(db, "UPDATE audit SET summary = '2024-10-02..04' WHERE id = 2");
        sqlite3_close(db);

        bad = 0;
        assert_int_equal(store_audit_verify(s, &bad), -EBADMSG);
        assert_int_equal(bad, 2);

        /* Restoring the field restores the chain: the hash covers exactly the row's content. */
        db = raw_open(f->path);
        raw_exec(db, "UPDATE audit SET summary = '2024-10-02..03' WHERE id = 2");
        sqlite3_close(db);
        assert_int_equal(store_audit_verify(s, &bad), 0);

        /* A removed row breaks the link of the one after it. */
        db = raw_open(f->path);
        raw_exec(db, "DELETE FROM audit WHERE id = 2");
        sqlite3_close(db);
        bad = 0;
        assert_int_equal(store_audit_verify(s, &bad), -EBADMSG);
        assert_int_equal(bad, 3);
}

static void test_audit_null_person_distinct(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        int64_t bad = 0;
        sqlite3 *db;

        s = store_open_ok(f->path);
        assert_int_equal(store_audit_append(s, 1000, 0, NULL, "m", "s", "ok"), 0);

        /* An empty person is not the same as no person. */
        db = raw_open(f->path);
        raw_exec(db, "UPDATE audit SET person = '' WHERE id = 1");
        sqlite3_close(db);
        assert_int_equal(store_audit_verify(s, &bad), -EBADMSG);
        assert_int_equal(bad, 1);
}

static void test_sensitive_and_unavailable(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        Day oct1 = day_from_ymd(2024, 10, 1);
        StoreSensitivePeriod *p = NULL;
        StoreUnavailable *u = NULL;
        int64_t id1 = 0, id2 = 0, id3 = 0, uid1 = 0, uid2 = 0;
        size_t n = 0;

        s = store_open_ok(f->path);

        assert_int_equal(store_sensitive_period_add(s, "国庆", oct1, oct1 + 6, 1, "frozen", 42, &id1), 0);
        assert_int_equal(store_sensitive_period_add(s, "两会", oct1 - 30, oct1 - 20, 0, NULL, 43, &id2), 0);
        assert_true(id1 != id2);
        assert_int_equal(store_sensitive_period_add(s, "bad", oct1, oct1 - 1, 0, NULL, 0, NULL), -EINVAL);

        assert_int_equal(store_sensitive_period_list(s, oct1 + 6, oct1 + 10, &p, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(p[0].id, id1);
        assert_string_equal(p[0].name, "国庆");
        assert_int_equal(p[0].from_day, oct1);
        assert_int_equal(p[0].to_day, oct1 + 6);
        assert_int_equal(p[0].extra_officers, 1);
        assert_string_equal(p[0].leave, "frozen");
        assert_int_equal(p[0].created_usec, 42);
        p = store_sensitive_period_free_many(p, n);

        assert_int_equal(store_sensitive_period_list(s, oct1 - 100, oct1 + 100, &p, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(p[0].id, id2);
        assert_string_equal(p[0].leave, "normal");
        p = store_sensitive_period_free_many(p, n);

        /* By first day, then id (sorted after the query, which reads them in the table's order). */
        assert_int_equal(store_sensitive_period_add(s, "同日", oct1, oct1 + 1, 0, NULL, 44, &id3), 0);
        assert_int_equal(store_sensitive_period_list(s, oct1 - 100, oct1 + 100, &p, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(p[0].id, id2);
        assert_int_equal(p[1].id, id1);
        assert_int_equal(p[2].id, id3);
        p = store_sensitive_period_free_many(p, n);
        assert_int_equal(store_sensitive_period_remove(s, id3), 0);

        assert_int_equal(store_sensitive_period_remove(s, id2), 0);
        assert_int_equal(store_sensitive_period_remove(s, id2), -ENOENT);
        assert_int_equal(store_sensitive_period_list(s, oct1 - 100, oct1 + 100, &p, &n), 0);
        assert_int_equal(n, 1);
        p = store_sensitive_period_free_many(p, n);

        assert_int_equal(store_unavailable_add(s, "zhang", oct1, oct1 + 2, "training", &uid1), 0);
        assert_int_equal(store_unavailable_add(s, "li", oct1 + 1, oct1 + 1, NULL, &uid2), 0);
        assert_int_equal(store_unavailable_add(s, "", oct1, oct1, NULL, NULL), -EINVAL);

        assert_int_equal(store_unavailable_list(s, NULL, oct1 + 1, oct1 + 1, &u, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(u[0].person, "zhang");
        assert_string_equal(u[0].reason, "training");
        assert_string_equal(u[1].person, "li");
        assert_null(u[1].reason);
        u = store_unavailable_free_many(u, n);

        assert_int_equal(store_unavailable_list(s, "li", oct1, oct1 + 10, &u, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(u[0].id, uid2);
        u = store_unavailable_free_many(u, n);

        assert_int_equal(store_unavailable_list(s, NULL, oct1 + 3, oct1 + 10, &u, &n), 0);
        assert_int_equal(n, 0);
        u = store_unavailable_free_many(u, n);

        assert_int_equal(store_unavailable_remove(s, uid1), 0);
        assert_int_equal(store_unavailable_remove(s, uid1), -ENOENT);
        assert_int_equal(store_unavailable_list(s, "zhang", oct1, oct1 + 10, &u, &n), 0);
        assert_int_equal(n, 0);
        u = store_unavailable_free_many(u, n);
}

static void test_publications(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        Day d1 = day_from_ymd(2026, 2, 15);
        StorePublication p = {};
        int version = 0;

        s = store_open_ok(f->path);
        assert_int_equal(store_publication_get(s, 0, &p), -ENOENT);

        assert_int_equal(store_assignment_set(s, d1, "leader", 0, "zhao", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d1, "officer", 0, NULL, false, "nobody", NULL), 0);
        assert_int_equal(store_assignment_set(s, d1 + 1, "leader", 0, "qian", false, NULL, NULL), 0);
        assert_int_equal(store_assignment_set(s, d1 + 5, "leader", 0, "outside", false, NULL, NULL), 0);
        assert_int_equal(store_publication_create(s, d1, d1 + 1, 1000, &version), 0);
        assert_int_equal(version, 1);

        /* Later changes do not touch the frozen version. */
        assert_int_equal(store_assignment_set(s, d1 + 1, "leader", 0, "sun", false, NULL, NULL), 0);
        assert_int_equal(store_publication_create(s, d1, d1 + 1, 2000, &version), 0);
        assert_int_equal(version, 2);

        assert_int_equal(store_publication_get(s, 1, &p), 0);
        assert_int_equal(p.version, 1);
        assert_int_equal(p.from_day, d1);
        assert_int_equal(p.to_day, d1 + 1);
        assert_int_equal(p.n_slots, 3);
        assert_string_equal(p.slots[0].post, "leader");
        assert_string_equal(p.slots[0].person, "zhao");
        assert_null(p.slots[1].person);
        assert_int_equal(p.slots[2].day, d1 + 1);
        assert_string_equal(p.slots[2].person, "qian");
        store_publication_done(&p);

        assert_int_equal(store_publication_get(s, 0, &p), 0);
        assert_int_equal(p.version, 2);
        assert_string_equal(p.slots[2].person, "sun");
        store_publication_done(&p);

        assert_int_equal(store_publication_get(s, 7, &p), -ENOENT);
}

/* Takeovers and handovers: written once per person, post, day and action, listed by day; the first
 * day taken over; an alert's escalation step kept with what was told. */
static void test_handovers(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        Day d = day_from_ymd(2026, 6, 2), first = DAY_NONE;
        StoreHandover *h = NULL;
        StoreAlertState *a = NULL;
        size_t n = 0;
        int64_t id1 = 0, id2 = 0;

        s = store_open_ok(f->path);
        assert_int_equal(store_handover_first_take(s, &first), -ENOENT);

        assert_int_equal(store_handover_add(s, &(StoreHandover) {
                                .day = d, .post = (char *) "officer", .person = (char *) "wum",
                                .action = HANDOVER_TAKE, .at_usec = 1000 }, &id1), 0);
        assert_int_equal(store_handover_add(s, &(StoreHandover) {
                                .day = d - 1, .post = (char *) "officer", .person = (char *) "zhenght",
                                .action = HANDOVER_GIVE, .at_usec = 2000, .note = (char *) "待办一件" }, &id2), 0);
        assert_true(id2 > id1);
        /* Signed once. */
        assert_int_equal(store_handover_add(s, &(StoreHandover) {
                                .day = d, .post = (char *) "officer", .person = (char *) "wum",
                                .action = HANDOVER_TAKE, .at_usec = 3000, .late = true }, NULL), -EEXIST);
        assert_int_equal(store_handover_first_take(s, &first), 0);
        assert_int_equal(first, d);

        assert_int_equal(store_handover_list(s, d - 1, d, &h, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(h[0].day, d - 1);
        assert_int_equal(h[0].action, HANDOVER_GIVE);
        assert_string_equal(h[0].note, "待办一件");
        assert_int_equal(h[1].id, id1);
        assert_string_equal(h[1].person, "wum");
        assert_false(h[1].late);
        assert_null(h[1].note);
        h = store_handover_free_many(h, n);
        assert_int_equal(store_handover_list(s, d + 1, d + 1, &h, &n), 0);
        assert_int_equal(n, 0);
        free(h);

        assert_int_equal(store_alert_state_put(s, &(StoreAlertState) {
                                .gap_id = (char *) "takeover_missing:2026-06-02:officer",
                                .kind = (char *) "takeover_missing", .urgency = 3, .day = d, .slot = -1,
                                .step = 4, .first_usec = 1, .last_usec = 2 }), 0);
        assert_int_equal(store_alert_state_list(s, &a, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(a[0].step, 4);
        store_alert_state_free_many(a, n);
}

/* Amendments of published days: schema 8 migrates a version-7 store forward, rows come back as
 * written (empty before or after as NULL), ordered by day then as made, filtered by day. */
static void test_amendments(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        Day d1 = day_from_ymd(2026, 2, 17), d2 = day_from_ymd(2026, 2, 20);
        StoreAmendment *a = NULL;
        size_t n = 0;
        int64_t id1 = 0, id2 = 0, id3 = 0;
        sqlite3 *db;

        /* A store as the build before amendments left it. */
        s = store_open_ok(f->path);
        s = store_free(s);
        db = raw_open(f->path);
        raw_exec(db, "DROP TABLE amendment; " STORE_TEST_DROP_AFTER_9 "PRAGMA user_version = 7;");
        sqlite3_close(db);

        s = store_open_ok(f->path);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_true(store_schema_latest() >= 7);

        assert_int_equal(store_amendment_add(s, &(StoreAmendment) {
                                .at_usec = 3000, .uid = 0, .reason = "生病", .day = d2, .post = "officer",
                                .slot = 1, .before = "wum", .after = NULL, .version = 2 }, &id1), 0);
        assert_int_equal(store_amendment_add(s, &(StoreAmendment) {
                                .at_usec = 4000, .uid = 1000, .by = "zhao", .reason = "生病", .day = d2,
                                .post = "officer", .slot = 1, .before = NULL, .after = "li", .version = 2 }, &id2), 0);
        assert_int_equal(store_amendment_add(s, &(StoreAmendment) {
                                .at_usec = 5000, .uid = 1000, .by = "zhao", .reason = "换班 #3，已批准", .day = d1,
                                .post = "leader", .slot = 0, .before = "wang", .after = "chen", .version = 1 }, &id3), 0);
        assert_true(id1 > 0 && id2 > id1 && id3 > id2);

        /* Without what it needs, nothing is written. */
        assert_int_equal(store_amendment_add(s, &(StoreAmendment) { .day = d1, .post = "leader", .version = 1 }, NULL),
                         -EINVAL);
        assert_int_equal(store_amendment_add(s, &(StoreAmendment) { .day = d1, .post = "leader", .reason = "x" }, NULL),
                         -EINVAL);

        assert_int_equal(store_amendment_list(s, d1, d2, &a, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(a[0].id, id3);
        assert_int_equal(a[0].day, d1);
        assert_string_equal(a[0].reason, "换班 #3，已批准");
        assert_string_equal(a[0].before, "wang");
        assert_string_equal(a[0].after, "chen");
        assert_int_equal(a[0].version, 1);
        assert_int_equal(a[1].id, id1);
        assert_null(a[1].by);
        assert_null(a[1].after);
        assert_int_equal(a[1].uid, 0);
        assert_int_equal(a[1].slot, 1);
        assert_int_equal(a[1].at_usec, 3000);
        assert_int_equal(a[2].id, id2);
        assert_string_equal(a[2].by, "zhao");
        assert_null(a[2].before);
        assert_string_equal(a[2].after, "li");
        assert_int_equal(a[2].uid, 1000);
        a = store_amendment_free_many(a, n);

        assert_int_equal(store_amendment_list(s, d1 + 1, d2 - 1, &a, &n), 0);
        assert_int_equal(n, 0);
        a = store_amendment_free_many(a, n);
        assert_int_equal(store_amendment_list(s, d2, d1, &a, &n), -EINVAL);
}

/* Schema 9: a store as schema 8 left it (tables without AUTOINCREMENT) is rebuilt in one step with
 * its rows, ids, references and indexes; afterwards an id freed by deleting the newest row is never
 * handed out again. */
static void test_migrate_autoincrement(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *name = NULL;
        static const char *const tables[] = { "sensitive_period", "unavailable", "leave", "swap", "amendment" };
        static const char *const indexes[] = { "unavailable_person", "leave_person", "leave_days", "leave_state",
                                               "leave_paperwork", "swap_day", "swap_their_day", "swap_state",
                                               "amendment_day" };
        int64_t id = 0;
        sqlite3 *db;

        s = store_open_ok(f->path);
        s = store_free(s);

        /* Schema 8's tables, as migrations 2 and 3 created them, with rows; the newest of them is
         * deleted before the migration, as a client may have done. */
        db = raw_open(f->path);
        raw_exec(db,
                 "PRAGMA foreign_keys=OFF;"
                 STORE_TEST_DROP_AFTER_9
                 "DROP TABLE sensitive_period;"
                 "CREATE TABLE sensitive_period ("
                 "        id INTEGER PRIMARY KEY,"
                 STORE_SCHEMA_SENSITIVE_PERIOD
                 ");"
                 "DROP TABLE unavailable;"
                 "CREATE TABLE unavailable ("
                 "        id INTEGER PRIMARY KEY,"
                 STORE_SCHEMA_UNAVAILABLE
                 ");"
                 "CREATE INDEX unavailable_person ON unavailable (person, from_day);"
                 "DROP TABLE leave_event; DROP TABLE leave;"
                 "CREATE TABLE leave (id INTEGER PRIMARY KEY, person TEXT NOT NULL, kind TEXT NOT NULL,"
                 "        start_day INTEGER NOT NULL, start_min INTEGER NOT NULL, end_day INTEGER NOT NULL,"
                 "        end_min INTEGER NOT NULL, destination TEXT, out_of_town INTEGER NOT NULL DEFAULT 0,"
                 "        reason TEXT, phone TEXT, acting TEXT, urgent INTEGER NOT NULL DEFAULT 0,"
                 "        requested_day INTEGER NOT NULL, requested_usec INTEGER NOT NULL, requested_by TEXT,"
                 "        paperwork_due INTEGER, paperwork_done INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL,"
                 "        unexcused INTEGER NOT NULL DEFAULT 0, returned_day INTEGER, returned_min INTEGER,"
                 "        approver TEXT, decided_by TEXT, decided_usec INTEGER, decision_note TEXT,"
                 "        CHECK (end_day > start_day OR (end_day = start_day AND end_min > start_min)));"
                 "CREATE INDEX leave_person ON leave (person, start_day);"
                 "CREATE INDEX leave_days ON leave (start_day, end_day);"
                 "CREATE TABLE leave_event (id INTEGER PRIMARY KEY, leave_id INTEGER NOT NULL REFERENCES leave (id),"
                 "        at_usec INTEGER NOT NULL, uid INTEGER NOT NULL, actor TEXT, action TEXT NOT NULL, note TEXT);"
                 "CREATE INDEX leave_event_leave ON leave_event (leave_id, id);"
                 "CREATE INDEX leave_state ON leave (state, start_day);"
                 "CREATE INDEX leave_paperwork ON leave (urgent, paperwork_done);"
                 "ALTER TABLE leave ADD COLUMN decision_override INTEGER NOT NULL DEFAULT 0;"
                 "DELETE FROM sqlite_sequence;"
                 "INSERT INTO sensitive_period (id, name, from_day, to_day, created_usec) VALUES"
                 "        (1, '两会', 10, 20, 1), (2, '国庆', 30, 37, 2), (3, '春节', 40, 47, 3);"
                 "DELETE FROM sensitive_period WHERE id = 3;"
                 "INSERT INTO unavailable (id, person, from_day, to_day, reason) VALUES"
                 "        (1, 'wang', 10, 12, '出差'), (2, 'li', 11, 11, NULL);"
                 "INSERT INTO leave (id, person, kind, start_day, start_min, end_day, end_min, requested_day,"
                 "        requested_usec, state, decision_override) VALUES"
                 "        (5, 'wang', 'personal', 10, 480, 11, 480, 9, 100, 'approved', 1);"
                 "INSERT INTO leave_event (leave_id, at_usec, uid, action) VALUES (5, 100, 1000, 'requested');"
                 "PRAGMA user_version = 8;");
        sqlite3_close(db);

        s = store_open_ok(f->path);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_true(store_schema_latest() >= 9);
        s = store_free(s);

        db = raw_open(f->path);
        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                char sql[256];

                snprintf(sql, sizeof(sql),
                         "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s' "
                         "AND sql LIKE '%%id INTEGER PRIMARY KEY AUTOINCREMENT%%'", tables[i]);
                if (raw_int(db, sql) != 1)
                        fail_msg("table %s has no AUTOINCREMENT id", tables[i]);
        }
        for (size_t i = 0; i < ELEMENTSOF(indexes); i++) {
                char sql[256];

                snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '%s'",
                         indexes[i]);
                if (raw_int(db, sql) != 1)
                        fail_msg("index %s is lost", indexes[i]);
        }
        assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%autoincrement%'"), 0);

        /* Rows and ids as they were; the leave's history still refers to it. */
        assert_int_equal(raw_int(db, "SELECT count(*) FROM sensitive_period"), 2);
        name = raw_text(db, "SELECT name FROM sensitive_period WHERE id = 2");
        assert_string_equal(name, "国庆");
        assert_int_equal(raw_int(db, "SELECT count(*) FROM unavailable WHERE id IN (1, 2)"), 2);
        assert_int_equal(raw_int(db, "SELECT decision_override FROM leave WHERE id = 5"), 1);
        assert_int_equal(raw_int(db, "SELECT count(*) FROM leave_event e JOIN leave l ON l.id = e.leave_id"), 1);
        sqlite3_close(db);

        /* Delete the newest, add another: a new id, not the freed one. */
        s = store_open_ok(f->path);
        assert_int_equal(store_sensitive_period_remove(s, 2), 0);
        assert_int_equal(store_sensitive_period_add(s, "清明", 50, 52, 0, NULL, 4, &id), 0);
        assert_true(id > 2);
        assert_int_equal(store_unavailable_remove(s, 2), 0);
        assert_int_equal(store_unavailable_add(s, "zhao", 60, 61, NULL, &id), 0);
        assert_true(id > 2);
}

/* VM steps of the store's statements that read the leave table, and the plan of the one that ran
 * (ret_plan: every line of EXPLAIN QUERY PLAN, joined). */
static uint64_t leave_statements_steps(Store *s, bool reset, char *ret_plan, size_t plan_size) {
        uint64_t steps = 0;

        for (sqlite3_stmt *st = sqlite3_next_stmt(s->writer.db, NULL); st; st = sqlite3_next_stmt(s->writer.db, st)) {
                const char *sql = sqlite3_sql(st);
                int n;

                if (!strstr(sql, "FROM leave WHERE"))
                        continue;
                n = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, reset);
                steps += (uint64_t) n;
                if (n > 0 && ret_plan) {
                        _cleanup_free_ char *eqp = NULL;
                        sqlite3_stmt *q = NULL;

                        assert_true(asprintf(&eqp, "EXPLAIN QUERY PLAN %s", sql) > 0);
                        assert_int_equal(sqlite3_prepare_v2(s->writer.db, eqp, -1, &q, NULL), SQLITE_OK);
                        ret_plan[0] = '\0';
                        while (sqlite3_step(q) == SQLITE_ROW) {
                                strncat(ret_plan, (const char *) sqlite3_column_text(q, 3),
                                        plan_size - strlen(ret_plan) - 2);
                                strcat(ret_plan, ";");
                        }
                        sqlite3_finalize(q);
                }
        }
        return steps;
}

/* The rules' question: the open leaves of days 100 … 110. */
static const StoreLeaveFilter open_leaves_100_110 = {
        .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) |
                  STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED),
        .from = 100,
        .to = 110,
};

/* The rules ask for the open leaves of some days: the cancelled, rejected and ended ones of those
 * days (they accumulate over the years) are skipped by the index on the state, not read and
 * dropped one by one. */
static void test_leave_open_by_index(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        StoreLeaveFilter open = open_leaves_100_110;
        StoreLeave *l = NULL;
        size_t n = 0;
        char plan[1024] = "";
        uint64_t steps;
        sqlite3 *db;

        s = store_open_ok(f->path);
        db = raw_open(f->path);
        raw_exec(db,
                 "WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 2000) "
                 "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min, requested_day, "
                 "                   requested_usec, state) "
                 "SELECT 'wang', 'personal', 100 + k % 10, 480, 101 + k % 10, 480, 90, k, "
                 "       CASE k % 3 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'returned' ELSE 'rejected' END FROM i;"
                 "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min, requested_day, "
                 "                   requested_usec, state) "
                 "VALUES ('li', 'official', 105, 480, 106, 480, 90, 1, 'approved');");
        sqlite3_close(db);

        (void) leave_statements_steps(s, true, NULL, 0);
        assert_int_equal(store_leave_list(s, &open, &l, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(l[0].leave.person, "li");
        l = store_leave_free_many(l, n);

        steps = leave_statements_steps(s, true, plan, sizeof(plan));
        if (!strstr(plan, "USING INDEX leave_state"))
                fail_msg("the open leaves are not looked up by state: %s", plan);
        /* Reading 2,001 rows takes tens of thousands of steps; the one open row, a few dozen. */
        if (steps > 500)
                fail_msg("%" PRIu64 " VM steps for one open leave among 2,000 closed ones", steps);

        /* Without a state set, every leave of the days, as before. */
        assert_int_equal(store_leave_list(s, &(StoreLeaveFilter) { .from = 100, .to = 110 }, &l, &n), 0);
        assert_int_equal(n, 2001);
        l = store_leave_free_many(l, n);
}

#define LEAVE_ROW_STATE(person, from, from_min, to, state)                                            \
        "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min, requested_day, "      \
        "requested_usec, state) VALUES ('" person "', 'personal', " #from ", " #from_min ", " #to ", 1080, 90, 1, '" \
        state "');"

/* The people of a list, in its order, joined by spaces. */
static void leave_people(const StoreLeave *l, size_t n, char *buf, size_t size) {
        buf[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                strncat(buf, l[i].leave.person, size - strlen(buf) - 2);
                if (i + 1 < n)
                        strcat(buf, " ");
        }
}

/* The people store_leave_list() gives for f, in its order, are `expected` (space-separated). */
static void assert_leave_people(Store *s, const StoreLeaveFilter *f, const char *expected) {
        StoreLeave *l = NULL;
        size_t n = 0;
        char people[256];

        assert_int_equal(store_leave_list(s, f, &l, &n), 0);
        leave_people(l, n, people, sizeof(people));
        store_leave_free_many(l, n);
        assert_string_equal(people, expected);
}

/* The open leaves come one state at a time from the index and are sorted afterwards: the order is
 * the lists' own (by start day, start time, id; newest first when asked), across states. */
static void test_leave_open_order(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        StoreLeaveFilter open = open_leaves_100_110;

        s = store_open_ok(f->path);
        /* Stored in no order of theirs; x is closed. */
        raw_exec(s->writer.db, LEAVE_ROW_STATE("d", 104, 600, 105, "pending") LEAVE_ROW_STATE("a", 101, 480, 102, "started")
                        LEAVE_ROW_STATE("c", 104, 480, 106, "approved") LEAVE_ROW_STATE("b", 103, 480, 103, "pending")
                        LEAVE_ROW_STATE("x", 102, 480, 103, "cancelled") LEAVE_ROW_STATE("e", 104, 600, 104, "approved")
                        LEAVE_ROW_STATE("f", 108, 480, 109, "started"));

        assert_leave_people(s, &open, "a b c d e f");

        open.newest_first = true;
        assert_leave_people(s, &open, "f e d c b a");

        /* The same as the one ordered statement of a list with a limit gives. */
        open.limit = 10;
        assert_leave_people(s, &open, "f e d c b a");
}

/* Two stretches of days in one list (the rules' today and the leave's days): the leaves of either,
 * one meeting both once, none of the days between. */
static void test_leave_list_also(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        StoreLeaveFilter two = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED),
                .from = 100,
                .to = 102,
                .also = true,
                .also_from = 200,
                .also_to = 202,
        };
        StoreLeave *l = NULL;
        size_t n = 0;

        s = store_open_ok(f->path);
        raw_exec(s->writer.db,
                 LEAVE_ROW_STATE("late", 201, 480, 203, "pending")
                 LEAVE_ROW_STATE("between", 150, 480, 160, "approved")
                 LEAVE_ROW_STATE("both", 90, 480, 250, "approved")
                 LEAVE_ROW_STATE("early", 99, 480, 100, "pending")
                 LEAVE_ROW_STATE("gone", 101, 480, 101, "rejected")
                 LEAVE_ROW_STATE("after", 203, 480, 204, "approved"));

        assert_leave_people(s, &two, "both early late");

        /* Overlapping stretches: still once each. */
        two.also_from = 101;
        two.also_to = 160;
        assert_leave_people(s, &two, "both early between");

        /* Only where the lists read by state, with both stretches closed. */
        two.also_to = DAY_NONE;
        assert_int_equal(store_leave_list(s, &two, &l, &n), -EINVAL);
        two.also_to = 160;
        two.limit = 5;
        assert_int_equal(store_leave_list(s, &two, &l, &n), -EINVAL);
        two.limit = 0;
        two.person = "both";
        assert_int_equal(store_leave_list(s, &two, &l, &n), -EINVAL);
        two.person = NULL;
        two.states = 0;
        assert_int_equal(store_leave_list(s, &two, &l, &n), -EINVAL);
}

typedef struct DamageSeen {
        StoreDamage damage;
        unsigned calls;
        char problem[256];
} DamageSeen;

static void damage_seen(Store *s, StoreDamage d, const char *problem, void *userdata) {
        DamageSeen *seen = userdata;

        seen->damage = d;
        seen->calls++;
        snprintf(seen->problem, sizeof(seen->problem), "%s", strempty(problem));
}

/* What a damaged store still does, and what it refuses. */
/* A store where "k" = "before" is committed, whose damage is reported to *seen. */
static Store *store_open_before(const char *path, DamageSeen *seen) {
        Store *s = store_open_ok(path);

        store_set_damage_handler(s, damage_seen, seen);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "before"), 0);
        assert_int_equal(store_commit(s), 0);
        return s;
}

static void assert_refuses_writes(Store *s, DamageSeen *seen, const char *kept) {
        _cleanup_free_ char *v = NULL;

        assert_int_equal(store_begin(s), -ESTALE);
        assert_int_equal(store_check_files(s), -ESTALE);
        assert_false(store_in_transaction(s));
        /* Told once, whatever follows. */
        assert_int_equal(seen->calls, 1);
        /* Reads go on; what was being committed is not there. */
        assert_int_equal(store_meta_get(s, "k", &v), 0);
        assert_string_equal(v, kept);
}

static void test_damage_removed(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        DamageSeen seen = {};
        uint64_t commits;

        s = store_open_ok(f->path);
        store_set_damage_handler(s, damage_seen, &seen);
        assert_int_equal(store_damage(s), STORE_DAMAGE_NONE);
        assert_int_equal(store_check_files(s), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "before"), 0);
        assert_int_equal(store_commit(s), 0);
        commits = store_commit_count(s);

        assert_int_equal(unlink(f->path), 0);
        /* SQLite goes on through its descriptor: only the commit's check sees it. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "after"), 0);
        assert_int_equal(store_commit(s), -ESTALE);
        assert_int_equal(store_damage(s), STORE_DAMAGE_REMOVED);
        assert_int_equal(seen.damage, STORE_DAMAGE_REMOVED);
        assert_string_equal(store_damage_to_string(STORE_DAMAGE_REMOVED), "removed");
        assert_int_equal(store_commit_count(s), commits);
        assert_refuses_writes(s, &seen, "before");
}

static void test_damage_request_replaced(void **state) {
        static const StoreSavepoint sp = STORE_SAVEPOINT(request);
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        char other[sizeof(f->path) + 8];
        uint64_t commits;
        DamageSeen seen = {};
        int fd;

        s = store_open_ok(f->path);
        store_set_damage_handler(s, damage_seen, &seen);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "before"), 0);
        assert_int_equal(store_commit(s), 0);
        commits = store_commit_count(s);

        /* Another file moved over the path (a restore run against the live daemon). */
        snprintf(other, sizeof(other), "%s.new", f->path);
        fd = open(other, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(rename(other, f->path), 0);

        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_savepoint(s, &sp), 0);
        assert_int_equal(store_meta_set(s, "k", "after"), 0);
        assert_int_equal(store_savepoint_release(s, &sp), 0);
        assert_int_equal(store_commit(s), -ESTALE);
        assert_int_equal(store_commit_count(s), commits);
        assert_int_equal(store_damage(s), STORE_DAMAGE_REPLACED);
        assert_int_equal(seen.damage, STORE_DAMAGE_REPLACED);
        assert_refuses_writes(s, &seen, "before");
}

static void test_damage_wal_removed(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        char wal[sizeof(f->path) + 8];
        DamageSeen seen = {};
        struct stat st;

        s = store_open_before(f->path, &seen);

        snprintf(wal, sizeof(wal), "%s-wal", f->path);
        assert_int_equal(stat(wal, &st), 0);
        assert_int_equal(unlink(wal), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "after"), 0);
        assert_int_equal(store_commit(s), -ESTALE);
        assert_int_equal(store_damage(s), STORE_DAMAGE_WAL_REMOVED);
        assert_int_equal(seen.damage, STORE_DAMAGE_WAL_REMOVED);
        assert_refuses_writes(s, &seen, "before");
}

static void test_damage_wal_replaced(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        char wal[sizeof(f->path) + 8], other[sizeof(f->path) + 8];
        DamageSeen seen = {};
        int fd;

        s = store_open_before(f->path, &seen);

        snprintf(wal, sizeof(wal), "%s-wal", f->path);
        snprintf(other, sizeof(other), "%s.new", f->path);
        fd = open(other, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(rename(other, wal), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_meta_set(s, "k", "after"), 0);
        assert_int_equal(store_commit(s), -ESTALE);
        assert_int_equal(store_damage(s), STORE_DAMAGE_WAL_REPLACED);
        assert_int_equal(seen.damage, STORE_DAMAGE_WAL_REPLACED);
        assert_int_equal(seen.calls, 1);
        assert_int_equal(store_begin(s), -ESTALE);
}

static void test_quick_check(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        _cleanup_free_ char *problem = NULL;
        DamageSeen seen = {};
        uint8_t junk[8] = { 0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
        int64_t page_size, root;
        sqlite3 *db;
        int fd;

        s = store_open_ok(f->path);
        store_set_damage_handler(s, damage_seen, &seen);
        assert_int_equal(store_begin(s), 0);
        for (int i = 0; i < 200; i++) {
                char key[32];

                snprintf(key, sizeof(key), "key-%03d", i);
                assert_int_equal(store_meta_set(s, key, "some value long enough to fill a few pages"), 0);
        }
        assert_int_equal(store_meta_set(s, "k", "before"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_quick_check(s, &problem), 0);
        assert_null(problem);
        assert_int_equal(store_damage(s), STORE_DAMAGE_NONE);

        /* A b-tree page of the file damaged under the open store (the pages written back first). */
        db = raw_open(f->path);
        raw_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        page_size = raw_int(db, "PRAGMA page_size");
        root = raw_int(db, "SELECT rootpage FROM sqlite_master WHERE name = 'meta'");
        sqlite3_close(db);
        assert_true(root > 1);
        fd = open(f->path, O_WRONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, junk, sizeof(junk), (root - 1) * page_size), (ssize_t) sizeof(junk));
        close(fd);

        assert_int_equal(store_quick_check(s, &problem), -EBADMSG);
        assert_non_null(problem);
        assert_null(strchr(problem, '\n'));
        assert_int_equal(store_damage(s), STORE_DAMAGE_CORRUPT);
        assert_int_equal(seen.damage, STORE_DAMAGE_CORRUPT);
        assert_string_equal(seen.problem, problem);
        assert_int_equal(store_begin(s), -ESTALE);
        assert_int_equal(seen.calls, 1);
}

/* An aggregator's reports: the latest version per office, kind and key; the same entry again or an
 * older one changes nothing, and the first written time stays. Cursors and deadline alerts. */
static void test_offices(void **state) {
        Fixture *f = *state;
        _cleanup_(store_freep) Store *s = NULL;
        OfficeReport r = {
                .office = (char *) "a", .kind = REPORT_KIND_ROSTER, .key = (char *) "2026-7", .version = 1,
                .state = (char *) "published", .from = day_from_ymd(2026, 10, 1), .to = day_from_ymd(2026, 10, 7),
                .written_usec = 100, .payload = (char *) "{\"v\":1}",
        };
        OfficeReport *list = NULL;
        StoreOfficeCount *counts = NULL;
        size_t n = 0;
        char *cursor = NULL;
        uint64_t usec = 0;

        s = store_open_ok(f->path);
        assert_int_equal(store_office_report_put(s, &r), 1);
        assert_int_equal(store_office_report_put(s, &r), 0);
        r.version = 2;
        r.state = (char *) "amended";
        r.written_usec = 200;
        r.payload = (char *) "{\"v\":2}";
        assert_int_equal(store_office_report_put(s, &r), 1);
        r.version = 1;
        r.written_usec = 300;
        r.payload = (char *) "{\"v\":1}";
        assert_int_equal(store_office_report_put(s, &r), 0);
        r.office = (char *) "b";
        assert_int_equal(store_office_report_put(s, &r), 1);

        assert_int_equal(store_office_report_list_key(s, REPORT_KIND_ROSTER, "2026-7", &list, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(list[0].office, "a");
        assert_int_equal(list[0].version, 2);
        assert_string_equal(list[0].state, "amended");
        assert_string_equal(list[0].payload, "{\"v\":2}");
        assert_int_equal(list[0].written_usec, 200);
        assert_int_equal(list[0].first_usec, 100);
        assert_string_equal(list[1].office, "b");
        office_report_free_many(list, n);
        /* Without payloads, a roster's is left out unless it covers the day asked. */
        assert_int_equal(store_office_report_list(s, NULL, REPORT_KIND_ROSTER, false, DAY_NONE, DAY_NONE, NULL, &list, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(list[0].payload, "");
        office_report_free_many(list, n);
        assert_int_equal(store_office_report_list(s, NULL, -1, false, day_from_ymd(2026, 10, 7), DAY_NONE, NULL,
                                                  &list, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(list[0].payload, "{\"v\":2}");
        office_report_free_many(list, n);
        assert_int_equal(store_office_report_list(s, NULL, -1, false, DAY_NONE, DAY_NONE, "2026-8", &list, &n), 0);
        assert_int_equal(n, 0);
        office_report_free_many(list, n);
        /* An away report with its trip: listed while the leave is not over and not cancelled. */
        r = (OfficeReport) {
                .office = (char *) "a", .kind = REPORT_KIND_AWAY, .key = (char *) "leave-5", .version = 1,
                .state = (char *) "approved", .from = day_from_ymd(2026, 10, 3), .to = day_from_ymd(2026, 10, 5),
                .written_usec = 100, .payload = (char *) "{}", .person = (char *) "张三", .destination = (char *) "西安",
        };
        assert_int_equal(store_office_report_put(s, &r), 1);
        assert_int_equal(store_office_report_list(s, "a", REPORT_KIND_AWAY, false, DAY_NONE, day_from_ymd(2026, 10, 5),
                                                  NULL, &list, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(list[0].person, "张三");
        assert_string_equal(list[0].destination, "西安");
        assert_null(list[0].acting);
        office_report_free_many(list, n);
        assert_int_equal(store_office_report_list(s, "a", REPORT_KIND_AWAY, false, DAY_NONE, day_from_ymd(2026, 10, 6),
                                                  NULL, &list, &n), 0);
        assert_int_equal(n, 0);
        office_report_free_many(list, n);
        assert_int_equal(store_office_report_list(s, "b", REPORT_KIND_AWAY, true, DAY_NONE, DAY_NONE, NULL, &list, &n), 0);
        assert_int_equal(n, 0);
        office_report_free_many(list, n);

        assert_int_equal(store_office_cursor_get(s, "a", &cursor), -ENOENT);
        assert_int_equal(store_office_cursor_set(s, "a", "s=1;i=2"), 0);
        assert_int_equal(store_office_cursor_set(s, "a", "s=1;i=3"), 0);
        assert_int_equal(store_office_cursor_get(s, "a", &cursor), 0);
        assert_string_equal(cursor, "s=1;i=3");
        free(cursor);

        assert_int_equal(store_office_gap_set(s, "c", "g1", true), 0);
        assert_int_equal(store_office_gap_set(s, "c", "g1", true), 0);
        assert_int_equal(store_office_gap_set(s, "c", "g2", true), 0);
        assert_int_equal(store_office_gap_set(s, "c", "g1", false), 0);
        assert_int_equal(store_office_gap_counts(s, &counts, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(counts[0].office, "c");
        assert_int_equal(counts[0].count, 1);
        store_office_counts_free(counts, n);

        assert_int_equal(store_notice_alert_get(s, "2026-7", &usec), -ENOENT);
        assert_int_equal(store_notice_alert_set(s, "2026-7", 42, "b,c"), 0);
        assert_int_equal(store_notice_alert_get(s, "2026-7", &usec), 0);
        assert_int_equal(usec, 42);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_open_creates_private_wal, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_open_narrows_mode, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_migrate_from_v1, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_newer_schema_refused, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_garbage_refused, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_corrupt_refused, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_transactions, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_read_scope, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_read_scope_committed_only, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_read_scope_write_fails, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_commit_thread, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_leave_span_reader, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_leave_span, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_change_stamp, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_assignments, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_audit_chain, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_audit_null_person_distinct, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_sensitive_and_unavailable, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_publications, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_handovers, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_amendments, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_migrate_autoincrement, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_leave_open_by_index, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_leave_open_order, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_leave_list_also, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_damage_removed, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_damage_request_replaced, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_damage_wal_removed, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_damage_wal_replaced, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_quick_check, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_offices, fixture_setup, fixture_teardown),
                cmocka_unit_test_setup_teardown(test_report_versions, fixture_setup, fixture_teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
