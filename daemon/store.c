/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store-internal.h"

#define STORE_FILE_MODE 0600
/* dutyd runs every call on its one event loop: waiting here for another program's lock (a sqlite3
 * shell inside BEGIN EXCLUSIVE, a backup) would stop every other caller and the watchdog. So SQLite
 * never sleeps on a lock: a write that finds it taken gets -EBUSY at once, and its caller waits off
 * the loop (a call: api-audit.c, varlink_call_retry()) or tries again at its next turn (the gap
 * monitor, the refusals' rows). Readers are never blocked in WAL mode. */
#define STORE_BUSY_TIMEOUT_MSEC 0
/* Only the first problem is reported; stop looking after it. */
#define STORE_INTEGRITY_ERRORS_MAX 1
#define STORE_INTEGRITY_HEADING "*** in database main ***\n"
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* Rebuilds table t with the given columns after an "id INTEGER PRIMARY KEY AUTOINCREMENT": the
 * columns must be the table's own, in its order, as the rows are copied with SELECT *. The copy sets
 * the table's sqlite_sequence to its highest id. Indexes go with the old table: recreate them. */
#define STORE_REBUILD_AUTOINCREMENT(t, columns)                                         \
        "CREATE TABLE " #t "_autoincrement ("                                           \
        "        id INTEGER PRIMARY KEY AUTOINCREMENT," columns ");"                    \
        "INSERT INTO " #t "_autoincrement SELECT * FROM " #t ";"                        \
        "DROP TABLE " #t ";"                                                            \
        "ALTER TABLE " #t "_autoincrement RENAME TO " #t ";"
/* Forward migrations: entry i brings the schema from version i to version i + 1. Never edit an
 * entry once released; append a new one. */
static const char *const store_migrations[] = {
        /* 1: foundation. */
        "CREATE TABLE meta ("
        "        key TEXT PRIMARY KEY,"
        "        value TEXT NOT NULL"
        ");"
        "CREATE TABLE audit ("
        "        id INTEGER PRIMARY KEY,"
        "        at_usec INTEGER NOT NULL,"
        "        uid INTEGER NOT NULL,"
        "        person TEXT,"
        "        method TEXT NOT NULL,"
        "        summary TEXT NOT NULL,"
        "        result TEXT NOT NULL,"
        "        prev_hash TEXT NOT NULL,"
        "        hash TEXT NOT NULL"
        ");"
        "INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",

        /* 2: the roster, sensitive periods, unavailability, publications. */
        "CREATE TABLE assignment ("
        "        day INTEGER NOT NULL,"
        "        post TEXT NOT NULL,"
        "        slot INTEGER NOT NULL CHECK (slot >= 0),"
        "        person TEXT,"
        "        locked INTEGER NOT NULL DEFAULT 0,"
        "        reason TEXT,"
        "        source TEXT NOT NULL DEFAULT 'generated',"
        "        assume_ordinary INTEGER NOT NULL DEFAULT 0,"
        "        PRIMARY KEY (day, post, slot)"
        ");"
        "CREATE TABLE sensitive_period ("
        "        id INTEGER PRIMARY KEY,"
        STORE_SCHEMA_SENSITIVE_PERIOD
        ");"
        "CREATE TABLE unavailable ("
        "        id INTEGER PRIMARY KEY,"
        STORE_SCHEMA_UNAVAILABLE
        ");"
        "CREATE INDEX unavailable_person ON unavailable (person, from_day);"
        "CREATE TABLE publication ("
        "        version INTEGER PRIMARY KEY,"
        "        from_day INTEGER NOT NULL,"
        "        to_day INTEGER NOT NULL,"
        "        at_usec INTEGER NOT NULL,"
        "        snapshot TEXT NOT NULL"
        ");",

        /* 3: leave requests and their history (store-leave.c). */
        store_migration_leave,

        /* 4: swaps and substitutions (store-swap.c). */
        store_migration_swap,

        /* 5: the gap monitor's alert memory (store-alert.c). */
        store_migration_alert,

        /* 6: indexes for the gap monitor's leave query (store-leave.c). */
        store_migration_leave_monitor,

        /* 7: a decision made by an administrator over the approver (store-leave.c). */
        store_migration_leave_override,
        /* 8: amendments of published days (store-roster.c). */
        store_migration_amendment,

        /* 9: the ids a client removes or acts on by are never handed out twice, even after the
         * newest row was deleted (a retried remove must not hit another record): the tables are
         * rebuilt with AUTOINCREMENT, rows, ids and indexes kept. store_migrate() runs this with
         * foreign keys off, as dropping a table that others reference requires. */
        STORE_REBUILD_AUTOINCREMENT(sensitive_period, STORE_SCHEMA_SENSITIVE_PERIOD)
        STORE_REBUILD_AUTOINCREMENT(unavailable, STORE_SCHEMA_UNAVAILABLE)
        "CREATE INDEX unavailable_person ON unavailable (person, from_day);"
        STORE_REBUILD_AUTOINCREMENT(leave,
                STORE_SCHEMA_LEAVE
                "        decision_override INTEGER NOT NULL DEFAULT 0,"
                STORE_SCHEMA_LEAVE_CHECK)
        STORE_SCHEMA_LEAVE_INDEXES
        "CREATE INDEX leave_state ON leave (state, start_day);"
        "CREATE INDEX leave_paperwork ON leave (urgent, paperwork_done);"
        STORE_REBUILD_AUTOINCREMENT(swap, STORE_SCHEMA_SWAP)
        STORE_SCHEMA_SWAP_INDEXES
        STORE_REBUILD_AUTOINCREMENT(amendment, STORE_SCHEMA_AMENDMENT)
        "CREATE INDEX amendment_day ON amendment (day, version);",

        /* 10: takeovers and handovers (store-handover.c); the escalation step of an alert. */
        store_migration_handover,
        /* 11: spot checks and presence checks of the duty room (store-check.c). */
        store_migration_check,
        /* 12: the duty log (store-dutylog.c). */
        store_migration_duty_log,
        /* 13: follow-up reports (续报) of an emergency (store-dutylog.c). */
        store_migration_duty_log_followup,
        /* 14: an aggregator's offices: their reports, open gaps, journal cursors, deadlines told
         * (store-offices.c). */
        store_migration_offices,
        /* 15: the version last reported to the superior office per report key (store-report.c). */
        store_migration_report,
        /* 16: the notification outbox (store-notify.c). */
        store_migration_notify,
};


static const char *const store_statement_sql[_STORE_STMT_MAX] = {
        [STORE_STMT_BEGIN] = "BEGIN IMMEDIATE",
        /* Deferred: the first read takes the shared lock, and nothing writes. */
        [STORE_STMT_BEGIN_READ] = "BEGIN DEFERRED",
        [STORE_STMT_COMMIT] = "COMMIT",
        [STORE_STMT_ROLLBACK] = "ROLLBACK",
        [STORE_STMT_USER_VERSION] = "PRAGMA user_version",
        [STORE_STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
        [STORE_STMT_META_SET] =
                "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};


/* Statements are cached for the life of the Store; this returns them to a clean state when the
 * calling function is done, so that no read cursor stays open across a COMMIT. */
void store_stmt_resetp(sqlite3_stmt **st) {
        if (*st) {
                (void) sqlite3_reset(*st);
                (void) sqlite3_clear_bindings(*st);
        }
}

static void store_finalizep(sqlite3_stmt **st) {
        (void) sqlite3_finalize(*st);
}
#define _cleanup_finalize_ _cleanup_(store_finalizep)

/* Maps a failed call's result code to a negative errno; never returns 0, since a caller that got a
 * success code where it expected another (SQLITE_ROW for SQLITE_DONE) failed too. */
int store_errno(int rc) {
        switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EBUSY;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_READONLY:
                return -EROFS;
        case SQLITE_INTERRUPT:
                return -EINTR;
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
                return -EBADMSG;
        case SQLITE_FULL:
                return -ENOSPC;
        case SQLITE_CANTOPEN:
                return -ENOENT;
        case SQLITE_CONSTRAINT:
                return -EEXIST;
        case SQLITE_TOOBIG:
                return -E2BIG;
        case SQLITE_RANGE:
        case SQLITE_MISMATCH:
        case SQLITE_MISUSE:
                return -EINVAL;
        case SQLITE_PERM:
        case SQLITE_AUTH:
                return -EPERM;
        default:
                return -EIO;
        }
}

/* The error of the last failed call on the connection, for failures (such as bind) that do not
 * return a result code of their own worth keeping. */
int store_errno_last(Store *s) {
        return store_errno(sqlite3_errcode(store_db(s)));
}

_printf_(2, 3) static void store_set_error(char **ret_error, const char *fmt, ...) {
        va_list ap;
        char *m;

        if (!ret_error)
                return;

        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);

        free(*ret_error);
        *ret_error = m;
}

static int store_run(Store *s, StoreConnection *c, StoreStatement id);
static int store_writer_wait(Store *s);

/* Every row the writer inserts, updates or deletes, whatever the statement: only a table whose rows
 * the store keeps something about is looked at. No SQL may run from here. */
static void store_update_hook(void *userdata, int op, const char *database, const char *table, sqlite3_int64 rowid) {
        Store *s = userdata;

        if (op != SQLITE_DELETE && streq(database, "main") && streq(table, "leave"))
                store_leave_written(s, rowid);
}

/* The reader's read transaction of a read scope, if one is open. */
static void store_read_end(Store *s) {
        StoreConnection *c = &s->reader;

        if (!s->reading)
                return;
        s->reading = false;
        /* An I/O error may have rolled it back already. It wrote nothing: should the COMMIT
         * fail, a ROLLBACK ends it as well, and the next BEGIN finds no transaction open. */
        if (!sqlite3_get_autocommit(c->db) && store_run(s, c, STORE_STMT_COMMIT) < 0 && !sqlite3_get_autocommit(c->db))
                (void) store_run(s, c, STORE_STMT_ROLLBACK);
}

void store_read_scope_begin(Store *s) {
        if (!s || s->read_scope)
                return;
        s->read_scope = true;
        s->conn = &s->reader;
}

void store_read_scope_end(Store *s) {
        if (!s || !s->read_scope)
                return;
        store_read_end(s);
        s->read_scope = false;
        s->conn = &s->writer;
}

static const char sql_data_version[] = "PRAGMA data_version";


/* sql prepared once on connection c: the one statement cache, held once per connection. */
static int store_conn_prepare(StoreConnection *c, const char *sql, sqlite3_stmt **ret) {
        size_t i;
        int rc;

        for (i = 0; i < c->n_cached; i++)
                if (c->cached[i].sql == sql) {
                        *ret = c->cached[i].statement;
                        return 0;
                }

        if (c->n_cached >= STORE_CACHED_STATEMENTS_MAX)
                return -E2BIG;

        rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->cached[i].statement, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        c->cached[i].sql = sql;
        c->n_cached++;
        *ret = c->cached[i].statement;
        return 0;
}

int store_prepare_cached(Store *s, const char *sql, sqlite3_stmt **ret) {
        /* A read scope's first statement: the reader's transaction first (its BEGIN runs on the
         * reader through store_run(), not through here). The writer's data_version last read, by
         * whatever did, was read before the reader's snapshot begins: store_leave_span() relies on
         * that, at no cost here. Should the BEGIN fail, the statements run on their own, each its
         * snapshot, and the span is made anew (snapshot_writer_version -1). */
        if (s->read_scope && !s->reading) {
                s->reading = true;
                s->reader.snapshot_writer_version = s->writer_version_seen;
                if (store_run(s, &s->reader, STORE_STMT_BEGIN_READ) < 0)
                        s->reader.snapshot_writer_version = -1;
        }

        if (s->conn == &s->writer && s->committing) {
                int r = store_writer_wait(s);

                if (r < 0)
                        return r;
        }
        return store_conn_prepare(s->conn, sql, ret);
}

/* The store's own statements go through the same cache as every other. */
static int store_statement(StoreConnection *c, StoreStatement id, sqlite3_stmt **ret) {
        return store_conn_prepare(c, store_statement_sql[id], ret);
}

/* Runs a cached statement that returns no rows. */
int store_step_done(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);

        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int store_step_insert(Store *s, sqlite3_stmt *st, int64_t *ret_id) {
        int r;

        r = store_step_done(st);
        if (r < 0)
                return r;
        if (ret_id)
                *ret_id = sqlite3_last_insert_rowid(store_db(s));
        return 0;
}

int store_step_changes(Store *s, sqlite3_stmt *st) {
        int r;

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s));
}

int store_event_append(Store *s, const char *sql, int64_t owner_id, uint64_t at_usec, uid_t uid, const char *actor,
                       const char *action, const char *note, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || owner_id <= 0 || isempty(action) || at_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, owner_id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) uid) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, actor) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, note) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

int store_event_decode(sqlite3_stmt *st, int64_t *ret_id, int64_t *ret_owner_id, uint64_t *ret_at_usec, uid_t *ret_uid,
                       char **ret_actor, char **ret_action, char **ret_note) {
        int r;

        *ret_id = sqlite3_column_int64(st, 0);
        *ret_owner_id = sqlite3_column_int64(st, 1);
        r = store_column_usec(st, 2, ret_at_usec);
        if (r >= 0)
                r = store_column_uid(st, 3, ret_uid);
        if (r >= 0)
                r = store_column_strdup(st, 4, true, ret_actor);
        if (r >= 0)
                r = store_column_strdup(st, 5, false, ret_action);
        if (r >= 0)
                r = store_column_strdup(st, 6, true, ret_note);
        return r < 0 ? r : 0;
}

int store_step_row(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);

        if (rc == SQLITE_ROW)
                return 0;
        return rc == SQLITE_DONE ? -ENOENT : store_errno(rc);
}

int store_bind_day(sqlite3_stmt *st, int index, Day d) {
        return sqlite3_bind_int64(st, index, d);
}

int store_bind_text_or_null(sqlite3_stmt *st, int index, const char *text) {
        if (!text)
                return sqlite3_bind_null(st, index);
        return sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
}

int store_column_strdup(sqlite3_stmt *st, int col, bool nullable, char **ret) {
        const unsigned char *t;
        char *c;

        if (sqlite3_column_type(st, col) == SQLITE_NULL) {
                if (!nullable)
                        return -EBADMSG;
                *ret = NULL;
                return 0;
        }

        t = sqlite3_column_text(st, col);
        if (!t)
                return -ENOMEM;
        c = strdup((const char *) t);
        if (!c)
                return -ENOMEM;
        *ret = c;
        return 0;
}

int store_column_day(sqlite3_stmt *st, int col, Day *ret) {
        int64_t v = sqlite3_column_int64(st, col);

        if (v <= DAY_NONE || v > INT32_MAX)
                return -EBADMSG;
        *ret = (Day) v;
        return 0;
}

int store_column_int(sqlite3_stmt *st, int col, int *ret) {
        int64_t v = sqlite3_column_int64(st, col);

        if (v < INT32_MIN || v > INT32_MAX)
                return -EBADMSG;
        *ret = (int) v;
        return 0;
}

/* Grows *array (of *allocated elements of size `size`) to hold at least `need` elements. */
int store_grow(void **array, size_t *allocated, size_t need, size_t size) {
        size_t n;
        void *p;

        if (need <= *allocated)
                return 0;

        n = *allocated > 0 ? *allocated * 2 : 16;
        if (n < need)
                n = need;
        p = reallocarray(*array, n, size);
        if (!p)
                return -ENOMEM;
        memset((char *) p + *allocated * size, 0, (n - *allocated) * size);
        *array = p;
        *allocated = n;
        return 0;
}

int store_bind_day_or_null(sqlite3_stmt *st, int index, Day d) {
        return d == DAY_NONE ? sqlite3_bind_null(st, index) : store_bind_day(st, index, d);
}

int store_bind_int64_or_null(sqlite3_stmt *st, int index, int64_t v, bool null) {
        return null ? sqlite3_bind_null(st, index) : sqlite3_bind_int64(st, index, v);
}

int store_bind_usec_or_null(sqlite3_stmt *st, int index, uint64_t usec) {
        return store_bind_int64_or_null(st, index, (int64_t) usec, usec == 0 || usec > INT64_MAX);
}

int store_column_usec(sqlite3_stmt *st, int col, uint64_t *ret) {
        int64_t v = sqlite3_column_int64(st, col);

        if (v < 0)
                return -EBADMSG;
        *ret = (uint64_t) v;
        return 0;
}

int store_column_minutes(sqlite3_stmt *st, int col, int *ret) {
        int64_t v = sqlite3_column_int64(st, col);

        if (v < 0 || v > MINUTES_PER_DAY)
                return -EBADMSG;
        *ret = (int) v;
        return 0;
}

int store_column_uid(sqlite3_stmt *st, int col, uid_t *ret) {
        int64_t v = sqlite3_column_int64(st, col);

        if (v < 0 || v > UINT32_MAX)
                return -EBADMSG;
        *ret = (uid_t) v;
        return 0;
}

int store_count(Store *s, const char *sql, uint64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        r = store_step_row(st);
        if (r < 0)
                return r == -ENOENT ? -EIO : r;
        *ret = (uint64_t) sqlite3_column_int64(st, 0);
        return 0;
}

int store_get_by_id(Store *s, const char *sql, int64_t id, StoreDecodeFunc decode, StoreDoneFunc done, size_t size,
                    void *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        _cleanup_free_ void *e = NULL;
        int r;

        if (!s || !ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r < 0)
                return r;

        /* Decoded aside, so that a row failing half-way leaves *ret as it was. */
        e = calloc(1, size);
        if (!e)
                return -ENOMEM;
        r = decode(st, e, NULL);
        if (r != 0) {
                if (done)
                        done(e);
                return r < 0 ? r : -ENOENT;
        }
        memcpy(ret, e, size);
        return 0;
}

int store_list_by(Store *s, const char *sql, const int64_t *params, size_t n_params, StoreDecodeFunc decode,
                  StoreDoneFunc done, size_t size, void **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || (n_params > 0 && !params) || !ret || !ret_n)
                return -EINVAL;
        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_params; i++)
                if (sqlite3_bind_int64(st, (int) i + 1, params[i]) != SQLITE_OK)
                        return store_errno_last(s);
        return store_list(st, decode, done, NULL, size, 0, ret, ret_n);
}

int store_list(sqlite3_stmt *st, StoreDecodeFunc decode, StoreDoneFunc done, void *userdata, size_t size,
               size_t limit, void **ret, size_t *ret_n) {
        void *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        assert(st && decode && size > 0 && ret && ret_n);

        while (limit == 0 || n < limit) {
                void *e;

                rc = sqlite3_step(st);
                if (rc == SQLITE_DONE)
                        break;
                if (rc != SQLITE_ROW) {
                        r = store_errno(rc);
                        goto fail;
                }
                if (n >= STORE_LIST_ROWS_MAX) {
                        r = -E2BIG;
                        goto fail;
                }
                r = store_grow(&a, &allocated, n + 1, size);
                if (r < 0)
                        goto fail;

                e = (char *) a + n * size;
                r = decode(st, e, userdata);
                if (r != 0) {
                        if (done)
                                done(e);
                        if (r < 0)
                                goto fail;
                        /* Skipped: the slot is reused, zeroed as the decoder expects it. */
                        memset(e, 0, size);
                        continue;
                }
                n++;
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        for (size_t i = 0; done && i < n; i++)
                done((char *) a + i * size);
        free(a);
        return r;
}

/* Another user's file would be theirs to rewrite behind dutyd's back (sshd's StrictModes): only
 * root's or dutyd's own are used. */
static int store_check_owner(const char *path, const struct stat *st, char **ret_error) {
        if (st->st_uid == 0 || st->st_uid == geteuid())
                return 0;
        store_set_error(ret_error, "%s: refusing a file that belongs to uid %u, not to root or to uid %u that "
                        "dutyd runs as; give it to dutyd's user (chown) or move it away", path,
                        (unsigned) st->st_uid, (unsigned) geteuid());
        return -EPERM;
}

/* Creates the file ourselves so that it never exists with a mode wider than STORE_FILE_MODE, and
 * narrows the mode of a file (or of its WAL companions) left wider by hand. */
static int store_prepare_file(const char *path, char **ret_error) {
        static const char *const companions[] = { "-wal", "-shm" };
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        /* Never through a symbolic link: whoever placed it would have dutyd write their target. */
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, STORE_FILE_MODE);
        if (fd < 0) {
                r = -errno;
                if (r == -ELOOP)
                        store_set_error(ret_error, "%s: refusing a symbolic link; move the real database file here "
                                        "or remove the link", path);
                else
                        store_set_error(ret_error, "%s: cannot open: %s", path, strerror(-r));
                return r;
        }
        if (fstat(fd, &st) < 0) {
                r = -errno;
                store_set_error(ret_error, "%s: cannot stat: %s", path, strerror(-r));
                return r;
        }
        if (!S_ISREG(st.st_mode)) {
                store_set_error(ret_error, "%s: not a regular file", path);
                return -EINVAL;
        }
        r = store_check_owner(path, &st, ret_error);
        if (r < 0)
                return r;
        if ((st.st_mode & 07777) != STORE_FILE_MODE && fchmod(fd, STORE_FILE_MODE) < 0) {
                r = -errno;
                store_set_error(ret_error, "%s: cannot restrict the mode to %04o: %s", path,
                                STORE_FILE_MODE, strerror(-r));
                return r;
        }

        for (size_t i = 0; i < ELEMENTSOF(companions); i++) {
                _cleanup_free_ char *p = NULL;
                _cleanup_close_ int cfd = -1;

                if (asprintf(&p, "%s%s", path, companions[i]) < 0)
                        return -ENOMEM;
                cfd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
                if (cfd < 0) {
                        if (errno == ENOENT)
                                continue;
                        r = -errno;
                        store_set_error(ret_error, "%s: cannot open: %s", p, strerror(-r));
                        return r;
                }
                if (fstat(cfd, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                r = store_check_owner(p, &st, ret_error);
                if (r < 0)
                        return r;
                if ((st.st_mode & 07777 & ~STORE_FILE_MODE) != 0 && fchmod(cfd, STORE_FILE_MODE) < 0) {
                        r = -errno;
                        store_set_error(ret_error, "%s: cannot restrict the mode to %04o: %s", p,
                                        STORE_FILE_MODE, strerror(-r));
                        return r;
                }
        }

        return 0;
}

static bool startswith(const char *s, const char *prefix) {
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int store_check_integrity(Store *s, char **ret_error) {
        _cleanup_finalize_ sqlite3_stmt *st = NULL;
        const unsigned char *t;
        int rc;

        /* quick_check: every page, every b-tree and every record, but not whether each index
         * holds exactly its table's rows, which on a five-year history took half of the start-up
         * (tests/bench, row 6b); the periodic check (damage.h) is the same. */
        rc = sqlite3_prepare_v2(s->writer.db, "PRAGMA quick_check(" STRINGIFY(STORE_INTEGRITY_ERRORS_MAX) ")", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);

        if ((rc & 0xff) == SQLITE_NOTADB) {
                store_set_error(ret_error, "%s: file is not a database", s->path);
                return -EBADMSG;
        }
        if (rc != SQLITE_ROW) {
                store_set_error(ret_error, "%s: integrity check failed: %s", s->path, sqlite3_errmsg(s->writer.db));
                return store_errno(rc);
        }

        t = sqlite3_column_text(st, 0);
        if (!t)
                return -ENOMEM;
        if (!streq((const char *) t, "ok")) {
                const char *problem = (const char *) t;

                /* Name the first problem only, without SQLite's per-schema heading. */
                if (startswith(problem, STORE_INTEGRITY_HEADING))
                        problem += strlen(STORE_INTEGRITY_HEADING);
                store_set_error(ret_error, "%s: database is corrupt: %.*s", s->path,
                                (int) strcspn(problem, "\n"), problem);
                return -EBADMSG;
        }

        return 0;
}

static int store_exec(Store *s, const char *sql, char **ret_error) {
        char *m = NULL;
        int rc;

        rc = sqlite3_exec(s->writer.db, sql, NULL, NULL, &m);
        if (rc != SQLITE_OK) {
                store_set_error(ret_error, "%s: %s", s->path, m ?: sqlite3_errstr(rc));
                sqlite3_free(m);
                return store_errno(rc);
        }
        return 0;
}

static int store_set_pragmas(Store *s, char **ret_error) {
        _cleanup_finalize_ sqlite3_stmt *st = NULL;
        const unsigned char *mode;
        int rc;

        rc = sqlite3_prepare_v2(s->writer.db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                store_set_error(ret_error, "%s: cannot set the journal mode: %s", s->path, sqlite3_errmsg(s->writer.db));
                return store_errno(rc);
        }
        /* SQLite answers with the mode in force, which stays the old one where WAL is impossible. */
        mode = sqlite3_column_text(st, 0);
        if (!mode || strcasecmp((const char *) mode, "wal") != 0) {
                store_set_error(ret_error, "%s: cannot use WAL journal mode (got \"%s\")", s->path,
                                mode ? (const char *) mode : "");
                return -EOPNOTSUPP;
        }

        /* Foreign keys are enforced only after store_migrate(): a migration may rebuild a table that
         * others reference, which SQLite allows only with them off (and ignores the pragma inside a
         * transaction). */
        return store_exec(s, "PRAGMA synchronous=FULL;", ret_error);
}

int store_schema_latest(void) {
        return (int) ELEMENTSOF(store_migrations);
}

int store_schema_version(Store *s) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int64_t v;
        int r, rc;

        r = store_prepare_cached(s, store_statement_sql[STORE_STMT_USER_VERSION], &st);
        if (r < 0)
                return r;
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        v = sqlite3_column_int64(st, 0);
        if (v < 0 || v > INT32_MAX)
                return -EPROTO;
        return (int) v;
}

/* With foreign keys off during the migrations, a rebuilt table must still satisfy every reference to
 * it before the migration commits. */
static int store_check_foreign_keys(Store *s, char **ret_error) {
        _cleanup_finalize_ sqlite3_stmt *st = NULL;
        int rc;

        rc = sqlite3_prepare_v2(s->writer.db, "PRAGMA foreign_key_check", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                store_set_error(ret_error, "%s: a row of table %s refers to a missing row of %s", s->path,
                                strna((const char *) sqlite3_column_text(st, 0)),
                                strna((const char *) sqlite3_column_text(st, 2)));
                return -EBADMSG;
        }
        if (rc != SQLITE_DONE) {
                store_set_error(ret_error, "%s: cannot check the foreign keys: %s", s->path, sqlite3_errmsg(s->writer.db));
                return store_errno(rc);
        }
        return 0;
}

static int store_migrate(Store *s, char **ret_error) {
        int version, r;

        version = store_schema_version(s);
        if (version == -EPROTO) {
                store_set_error(ret_error, "%s: schema version is out of range; refusing to touch it", s->path);
                return -EPROTO;
        }
        if (version > store_schema_latest()) {
                store_set_error(ret_error,
                                "%s: schema version %d is newer than this dutyd knows (%d); refusing to touch it",
                                s->path, version, store_schema_latest());
                return -EPROTO;
        }
        if (version < 0) {
                store_set_error(ret_error, "%s: cannot read the schema version: %s", s->path, sqlite3_errmsg(s->writer.db));
                return version;
        }

        for (int v = version; v < store_schema_latest(); v++) {
                _cleanup_transaction_ Store *t = NULL;
                char pragma[STORE_INT_STRING_MAX + 32];

                r = store_begin(s);
                if (r < 0) {
                        store_set_error(ret_error, "%s: cannot begin the migration to schema version %d: %s",
                                        s->path, v + 1, sqlite3_errmsg(s->writer.db));
                        return r;
                }
                t = s;

                /* Another process may have migrated between our read and the lock. */
                r = store_schema_version(s);
                if (r < 0 || r > v) {
                        store_rollback(TAKE_PTR(t));
                        if (r < 0) {
                                store_set_error(ret_error, "%s: cannot read the schema version: %s", s->path,
                                                sqlite3_errmsg(s->writer.db));
                                return r;
                        }
                        v = r - 1;
                        if (r > store_schema_latest()) {
                                store_set_error(ret_error, "%s: schema version %d is newer than this dutyd knows (%d)",
                                                s->path, r, store_schema_latest());
                                return -EPROTO;
                        }
                        continue;
                }

                (void) snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
                r = store_exec(s, store_migrations[v], ret_error);
                if (r >= 0)
                        r = store_check_foreign_keys(s, ret_error);
                if (r >= 0)
                        r = store_exec(s, pragma, ret_error);
                if (r < 0)
                        return r;
                r = store_commit(TAKE_PTR(t));
                if (r < 0) {
                        store_set_error(ret_error, "%s: cannot commit the migration to schema version %d: %s",
                                        s->path, v + 1, sqlite3_errmsg(s->writer.db));
                        return r;
                }
        }

        return 0;
}

static const char *const store_damage_table[_STORE_DAMAGE_MAX] = {
        [STORE_DAMAGE_NONE] = "none",
        [STORE_DAMAGE_REMOVED] = "removed",
        [STORE_DAMAGE_REPLACED] = "replaced",
        [STORE_DAMAGE_WAL_REMOVED] = "wal_removed",
        [STORE_DAMAGE_WAL_REPLACED] = "wal_replaced",
        [STORE_DAMAGE_CORRUPT] = "corrupt",
};

const char *store_damage_to_string(StoreDamage d) {
        if (d < 0 || d >= _STORE_DAMAGE_MAX)
                return NULL;
        return store_damage_table[d];
}

void store_set_damage_handler(Store *s, StoreDamageHandler handler, void *userdata) {
        s->damage_handler = handler;
        s->damage_userdata = userdata;
}

int store_schema_version_opened(const Store *s) {
        return s->schema_version;
}

StoreDamage store_damage(Store *s) {
        return s->damage;
}

/* The first damage found is the one reported: what follows from it (a log removed with its
 * database) would only repeat it. */
static void store_set_damage(Store *s, StoreDamage d, const char *problem) {
        if (s->damage != STORE_DAMAGE_NONE)
                return;
        s->damage = d;
        if (s->damage_handler)
                s->damage_handler(s, d, problem, s->damage_userdata);
}

/* lstat(), not stat(): a symbolic link put at the path is another file, whatever it points to. */
static StoreDamage store_file_compare(const char *path, dev_t dev, ino_t ino, StoreDamage removed,
                                      StoreDamage replaced) {
        struct stat st;

        if (lstat(path, &st) < 0)
                /* Anything else (EACCES, ENOMEM) says nothing about the file: look again next time. */
                return errno == ENOENT || errno == ENOTDIR ? removed : STORE_DAMAGE_NONE;
        if (st.st_dev != dev || st.st_ino != ino)
                return replaced;
        return STORE_DAMAGE_NONE;
}

/* SQLite creates the write-ahead log once the database is in WAL mode and keeps it until the last
 * connection closes: dutyd's own, so from the first time it is seen it must stay the same file. */
static void store_record_wal(Store *s) {
        struct stat st;

        if (lstat(s->wal_path, &st) < 0 || !S_ISREG(st.st_mode))
                return;
        s->wal_dev = st.st_dev;
        s->wal_ino = st.st_ino;
}

int store_check_files(Store *s) {
        StoreDamage d;

        if (s->damage != STORE_DAMAGE_NONE)
                return -ESTALE;

        d = store_file_compare(s->path, s->dev, s->ino, STORE_DAMAGE_REMOVED, STORE_DAMAGE_REPLACED);
        if (d == STORE_DAMAGE_NONE) {
                if (s->wal_ino == 0)
                        store_record_wal(s);
                else
                        d = store_file_compare(s->wal_path, s->wal_dev, s->wal_ino, STORE_DAMAGE_WAL_REMOVED,
                                               STORE_DAMAGE_WAL_REPLACED);
        }
        if (d == STORE_DAMAGE_NONE)
                return 0;

        store_set_damage(s, d, NULL);
        return -ESTALE;
}

int store_quick_check(Store *s, char **ret_problem) {
        _cleanup_finalize_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *problem = NULL;
        const char *t;
        int rc;

        if (s->in_transaction || s->committing)
                return -EBUSY;

        rc = sqlite3_prepare_v2(s->writer.db, "PRAGMA quick_check(" STRINGIFY(STORE_INTEGRITY_ERRORS_MAX) ")", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
                problem = strdup(sqlite3_errmsg(s->writer.db));
        else if (rc != SQLITE_ROW)
                /* A lock, an interrupted read: nothing known about the file. */
                return store_errno(rc);
        else {
                t = (const char *) sqlite3_column_text(st, 0);
                if (!t)
                        return -ENOMEM;
                if (streq(t, "ok")) {
                        /* Whatever the check read through the page cache is of no use later. */
                        (void) sqlite3_finalize(TAKE_PTR(st));
                        (void) sqlite3_db_release_memory(s->writer.db);
                        return 0;
                }
                if (startswith(t, STORE_INTEGRITY_HEADING))
                        t += strlen(STORE_INTEGRITY_HEADING);
                problem = strndup(t, strcspn(t, "\n"));
        }
        if (!problem)
                return -ENOMEM;

        store_set_damage(s, STORE_DAMAGE_CORRUPT, problem);
        if (ret_problem)
                *ret_problem = TAKE_PTR(problem);
        return -EBADMSG;
}

/* One of the store's two connections to the file at path, opened with flags (never creating it,
 * never through a symlink), extended result codes on, the store's busy timeout; what says "%s: what:
 * SQLite's reason" in ret_error on failure. */
static int store_connection_open(StoreConnection *c, const char *path, int flags, const char *what,
                                 char **ret_error) {
        int rc;

        rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
        if (rc != SQLITE_OK) {
                store_set_error(ret_error, "%s: %s: %s", path, what,
                                c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
                return store_errno(rc);
        }
        (void) sqlite3_extended_result_codes(c->db, 1);
        (void) sqlite3_busy_timeout(c->db, STORE_BUSY_TIMEOUT_MSEC);
        return 0;
}

int store_open(const char *path, Store **ret, char **ret_error) {
        _cleanup_(store_freep) Store *s = NULL;
        struct stat st;
        int r;

        if (isempty(path) || !ret)
                return -EINVAL;

        r = store_prepare_file(path, ret_error);
        if (r < 0)
                return r;

        s = calloc(1, sizeof(Store));
        if (!s)
                return -ENOMEM;
        s->writer.leave_span_max = s->reader.leave_span_max = -1;
        s->writer_version_seen = -1;
        s->conn = &s->writer;
        s->path = strdup(path);
        if (!s->path)
                return -ENOMEM;
        if (asprintf(&s->wal_path, "%s-wal", path) < 0)
                return -ENOMEM;

        /* Not SQLITE_OPEN_CREATE: the file exists now, with our mode. */
        r = store_connection_open(&s->writer, path, SQLITE_OPEN_READWRITE, "cannot open database", ret_error);
        if (r < 0)
                return r;

        /* The file SQLite opened, as the file at the path now: what every COMMIT compares with. */
        if (lstat(path, &st) < 0) {
                r = -errno;
                store_set_error(ret_error, "%s: cannot stat: %s", path, strerror(-r));
                return r;
        }
        s->dev = st.st_dev;
        s->ino = st.st_ino;

        r = store_check_integrity(s, ret_error);
        if (r < 0)
                return r;
        r = store_set_pragmas(s, ret_error);
        if (r < 0)
                return r;
        r = store_migrate(s, ret_error);
        if (r < 0)
                return r;
        r = store_schema_version(s);
        if (r < 0) {
                store_set_error(ret_error, "%s: cannot read the schema version: %s", s->path, sqlite3_errmsg(s->writer.db));
                return r;
        }
        s->schema_version = r;
        /* Registered once the migrations are done: they may rebuild the leave table. */
        sqlite3_update_hook(s->writer.db, store_update_hook, s);
        r = store_exec(s, "PRAGMA foreign_keys=ON;", ret_error);
        if (r < 0)
                return r;
        /* The integrity check has read the whole file through the page cache; what it left there
         * would stay for the daemon's life (2 MiB, a quarter of its idle memory; tests/bench). */
        (void) sqlite3_db_release_memory(s->writer.db);
        store_record_wal(s);

        /* The reader, once the writer has checked, migrated and put the file in WAL mode (which
         * the file keeps): read-only, so that a write in a read scope fails with SQLITE_READONLY
         * instead of going anywhere. It never takes the write lock, and in WAL mode nothing but a
         * recovery makes it wait. */
        r = store_connection_open(&s->reader, path, SQLITE_OPEN_READONLY, "cannot open the database for reading",
                                  ret_error);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(s);
        return 0;
}

Store *store_free(Store *s) {
        if (!s)
                return NULL;

        store_read_scope_end(s);
        if (s->committing)
                (void) store_commit_finish(s);
        FOREACH_STORE_CONNECTION(c, s) {
                for (size_t i = 0; i < c->n_cached; i++)
                        (void) sqlite3_finalize(c->cached[i].statement);
                /* An open transaction is rolled back by the close: nothing unacknowledged survives. */
                (void) sqlite3_close_v2(c->db);
        }
        free(s->path);
        free(s->wal_path);
        free(s);
        return NULL;
}

/* A savepoint's statement: on the writer, whatever the scope. */
static int store_run_cached(Store *s, const char *sql) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_conn_prepare(&s->writer, sql, &st);
        if (r < 0)
                return r;
        return store_step_done(st);
}

static int store_run(Store *s, StoreConnection *c, StoreStatement id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_statement(c, id, &st);
        if (r < 0)
                return r;
        return store_step_done(st);
}

int store_begin(Store *s) {
        int r;

        /* A read scope promised its caller the committed data and nothing written: a caller that
         * reads, then writes, ends its scope first. */
        if (s->read_scope)
                return -EROFS;

        /* A transaction left open for requests that share one commit is committed first, and a
         * commit under way in the commit thread finished. */
        if ((s->in_transaction || s->committing) && s->open_handler)
                s->open_handler(s, s->open_userdata);
        if (store_writer_wait(s) < 0 || s->in_transaction)
                return -EBUSY;
        if (s->damage != STORE_DAMAGE_NONE)
                return -ESTALE;

        r = store_run(s, &s->writer, STORE_STMT_BEGIN);
        if (r < 0)
                return r;
        s->reader.leave_touched_open = s->reader.n_leave_touched;

        s->in_transaction = true;
        s->transaction_failed = false;
        s->n_savepoints = 0;
        s->savepoint_outer = NULL;
        return 0;
}

void store_rollback(Store *s) {
        if (!s->in_transaction)
                return;
        s->in_transaction = false;
        s->transaction_failed = false;
        s->n_savepoints = 0;
        s->savepoint_outer = NULL;

        /* Some errors (SQLITE_FULL, SQLITE_IOERR, …) already rolled the whole transaction back. */
        if (!sqlite3_get_autocommit(s->writer.db))
                (void) store_run(s, &s->writer, STORE_STMT_ROLLBACK);
}

void store_rollbackp(Store **s) {
        if (*s && store_in_transaction(*s))
                store_rollback(*s);
}

/* Every COMMIT: a commit into a file no longer at the database's path would be acknowledged and
 * then lost, so the files are compared first (one lstat() each). */
static int store_commit_check(Store *s) {
        if (!s->in_transaction)
                return -EINVAL;
        /* A savepoint still open was never confirmed by its owner, and one whose undo failed left
         * the transaction holding something unknown: neither may become durable. */
        if (s->transaction_failed || s->n_savepoints > 0)
                return -EIO;
        return store_check_files(s);
}

/* The COMMIT on the loop's thread, once store_commit_check() passed; a failed one rolls back. */
static int store_commit_here(Store *s) {
        int r;

        r = store_run(s, &s->writer, STORE_STMT_COMMIT);
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        s->n_commits++;
        s->in_transaction = false;
        return 0;
}

int store_commit(Store *s) {
        int r;

        if (s->committing)
                return -EBUSY;
        r = store_commit_check(s);
        if (r == -EINVAL)
                return r;
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit_here(s);
}

/* The commit thread: the COMMIT statement, prepared by store_commit_start(), and nothing else of
 * the store; the writer is the thread's alone until store_commit_finish() joined it. */
static void *store_commit_worker(void *userdata) {
        Store *s = userdata;
        uint64_t one = 1;
        int rc;

        rc = sqlite3_step(s->commit_statement);
        s->commit_result = rc == SQLITE_DONE ? 0 : store_errno(rc);
        (void) sqlite3_reset(s->commit_statement);
        while (write(s->commit_fd, &one, sizeof(one)) < 0 && errno == EINTR)
                ;
        return NULL;
}

int store_commit_start(Store *s, int done_fd) {
        int r;

        if (!s || done_fd < 0)
                return -EINVAL;
        if (s->committing)
                return -EBUSY;
        r = store_commit_check(s);
        if (r == -EINVAL)
                return r;
        if (r >= 0)
                r = store_statement(&s->writer, STORE_STMT_COMMIT, &s->commit_statement);
        if (r < 0) {
                store_rollback(s);
                return r;
        }

        s->commit_fd = done_fd;
        s->commit_result = 0;
        s->in_transaction = false;
        s->committing = true;
        r = -pthread_create(&s->commit_thread, NULL, store_commit_worker, s);
        if (r < 0) {
                /* No thread: the COMMIT here, as store_commit() runs it. */
                s->committing = false;
                s->in_transaction = true;
                r = store_commit_here(s);
                return r < 0 ? r : 1;
        }
        return 0;
}

int store_commit_finish(Store *s) {
        int r;

        if (!s || !s->committing)
                return -EINVAL;
        (void) pthread_join(s->commit_thread, NULL);
        s->committing = false;
        r = s->commit_result;
        if (r < 0) {
                /* Some errors leave the transaction open, some rolled it back already. */
                if (!sqlite3_get_autocommit(s->writer.db))
                        (void) store_run(s, &s->writer, STORE_STMT_ROLLBACK);
                s->transaction_failed = false;
                s->n_savepoints = 0;
                s->savepoint_outer = NULL;
                return r;
        }
        s->n_commits++;
        return 0;
}

bool store_committing(Store *s) {
        return s && s->committing;
}

/* Before anything of the writer's while its COMMIT runs in the commit thread: the owner of the
 * commit finishes it (the open handler: the API layer answers the group's calls), else it is
 * finished here. 0 once the writer is free, -EBUSY if it is not. */
static int store_writer_wait(Store *s) {
        if (!s->committing)
                return 0;
        if (s->open_handler)
                s->open_handler(s, s->open_userdata);
        if (s->committing && !s->open_handler)
                (void) store_commit_finish(s);
        return s->committing ? -EBUSY : 0;
}

uint64_t store_commit_count(Store *s) {
        return s->n_commits;
}

int store_savepoint(Store *s, const StoreSavepoint *sp) {
        bool began = false;
        int r;

        if (!s || !sp)
                return -EINVAL;

        if (s->read_scope)
                return -EROFS;
        r = store_writer_wait(s);
        if (r < 0)
                return r;
        /* Alone (a unit test calling a service), the outermost savepoint is the transaction. */
        if (!s->in_transaction) {
                r = store_begin(s);
                if (r < 0)
                        return r;
                began = true;
        }
        if (s->n_savepoints >= STORE_SAVEPOINTS_MAX)
                r = -E2BIG;
        else
                r = store_run_cached(s, sp->begin);
        if (r < 0) {
                if (began)
                        store_rollback(s);
                return r;
        }
        if (began)
                s->savepoint_outer = sp;
        s->n_savepoints++;
        return 0;
}

int store_savepoint_release(Store *s, const StoreSavepoint *sp) {
        int r;

        if (!s || !sp || !s->in_transaction || s->n_savepoints == 0)
                return -EINVAL;

        r = store_run_cached(s, sp->release);
        if (r < 0) {
                store_savepoint_rollback(s, sp);
                return r;
        }
        s->n_savepoints--;
        if (s->savepoint_outer == sp && s->n_savepoints == 0) {
                s->savepoint_outer = NULL;
                return store_commit(s);
        }
        return 0;
}

void store_savepoint_rollback(Store *s, const StoreSavepoint *sp) {
        if (!s || !sp || !s->in_transaction || s->n_savepoints == 0)
                return;
        s->n_savepoints--;

        if (s->savepoint_outer == sp && s->n_savepoints == 0) {
                store_rollback(s);
                return;
        }
        /* Some errors already rolled the whole transaction back: it must not commit what is left. */
        if (sqlite3_get_autocommit(s->writer.db)) {
                s->transaction_failed = true;
                return;
        }
        /* ROLLBACK TO keeps the savepoint open; RELEASE ends it. If the undo fails, what the
         * transaction holds is unknown: it must not commit. */
        if (store_run_cached(s, sp->rollback_to) < 0 || store_run_cached(s, sp->release) < 0)
                s->transaction_failed = true;
}

void store_set_open_handler(Store *s, StoreOpenHandler handler, void *userdata) {
        s->open_handler = handler;
        s->open_userdata = userdata;
}

void store_savepoint_holdp(StoreSavepointHold *h) {
        if (h->store)
                store_savepoint_rollback(TAKE_PTR(h->store), h->savepoint);
}

bool store_in_transaction(Store *s) {
        return s->in_transaction;
}

static int store_data_version_step(sqlite3_stmt *st, int64_t *ret) {
        int rc = sqlite3_step(st);

        if (rc != SQLITE_ROW)
                return store_errno(rc);
        *ret = sqlite3_column_int64(st, 0);
        return 0;
}

int store_data_version(Store *s, StoreConnection *c, int64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (c == &s->writer && s->committing)
                return -EBUSY;
        r = store_conn_prepare(c, sql_data_version, &st);
        if (r < 0)
                return r;
        r = store_data_version_step(st, ret);
        if (r >= 0 && c == &s->writer)
                s->writer_version_seen = *ret;
        return r;
}

int store_data_version_now(Store *s, int64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        /* Through store_prepare_cached(): in a read scope, the first statement begins the reader's
         * transaction, and the version is that of its snapshot. */
        r = store_prepare_cached(s, sql_data_version, &st);
        if (r < 0)
                return r;
        r = store_data_version_step(st, ret);
        if (r >= 0 && s->conn == &s->writer)
                s->writer_version_seen = *ret;
        return r;
}

int store_change_stamp(Store *s, StoreChangeStamp *ret) {
        int64_t version;
        int r;

        r = store_data_version_now(s, &version);
        if (r < 0)
                return r;
        *ret = (StoreChangeStamp) {
                .changes = (uint64_t) sqlite3_total_changes64(store_db(s)),
                .data_version = version,
                .reader = s->conn == &s->reader,
        };
        return 0;
}

const char *store_error(Store *s) {
        return sqlite3_errmsg(store_db(s));
}

int store_meta_get(Store *s, const char *key, char **ret_value) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!key || !ret_value)
                return -EINVAL;

        r = store_prepare_cached(s, store_statement_sql[STORE_STMT_META_GET], &st);
        if (r < 0)
                return r;
        return store_text_by_key(s, st, key, ret_value);
}

int store_text_by_key(Store *s, sqlite3_stmt *st, const char *key, char **ret) {
        int r;

        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r < 0)
                return r;
        return store_column_strdup(st, 0, false, ret);
}

int store_meta_set(Store *s, const char *key, const char *value) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!key || !value)
                return -EINVAL;

        r = store_prepare_cached(s, store_statement_sql[STORE_STMT_META_SET], &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_done(st);
}

