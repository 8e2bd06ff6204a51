/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sha256.h"
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
/* Decimal digits of an int64 plus sign and NUL. */
#define STORE_INT_STRING_MAX 24

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
        "        name TEXT NOT NULL,"
        "        from_day INTEGER NOT NULL,"
        "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"
        "        extra_officers INTEGER NOT NULL DEFAULT 0,"
        "        leave TEXT NOT NULL DEFAULT 'normal',"
        "        created_usec INTEGER NOT NULL"
        ");"
        "CREATE TABLE unavailable ("
        "        id INTEGER PRIMARY KEY,"
        "        person TEXT NOT NULL,"
        "        from_day INTEGER NOT NULL,"
        "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"
        "        reason TEXT"
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
        STORE_REBUILD_AUTOINCREMENT(sensitive_period,
                "        name TEXT NOT NULL,"
                "        from_day INTEGER NOT NULL,"
                "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"
                "        extra_officers INTEGER NOT NULL DEFAULT 0,"
                "        leave TEXT NOT NULL DEFAULT 'normal',"
                "        created_usec INTEGER NOT NULL")
        STORE_REBUILD_AUTOINCREMENT(unavailable,
                "        person TEXT NOT NULL,"
                "        from_day INTEGER NOT NULL,"
                "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"
                "        reason TEXT")
        "CREATE INDEX unavailable_person ON unavailable (person, from_day);"
        STORE_REBUILD_AUTOINCREMENT(leave,
                "        person TEXT NOT NULL,"
                "        kind TEXT NOT NULL,"
                "        start_day INTEGER NOT NULL,"
                "        start_min INTEGER NOT NULL,"
                "        end_day INTEGER NOT NULL,"
                "        end_min INTEGER NOT NULL,"
                "        destination TEXT,"
                "        out_of_town INTEGER NOT NULL DEFAULT 0,"
                "        reason TEXT,"
                "        phone TEXT,"
                "        acting TEXT,"
                "        urgent INTEGER NOT NULL DEFAULT 0,"
                "        requested_day INTEGER NOT NULL,"
                "        requested_usec INTEGER NOT NULL,"
                "        requested_by TEXT,"
                "        paperwork_due INTEGER,"
                "        paperwork_done INTEGER NOT NULL DEFAULT 0,"
                "        state TEXT NOT NULL,"
                "        unexcused INTEGER NOT NULL DEFAULT 0,"
                "        returned_day INTEGER,"
                "        returned_min INTEGER,"
                "        approver TEXT,"
                "        decided_by TEXT,"
                "        decided_usec INTEGER,"
                "        decision_note TEXT,"
                "        decision_override INTEGER NOT NULL DEFAULT 0,"
                "        CHECK (end_day > start_day OR (end_day = start_day AND end_min > start_min))")
        "CREATE INDEX leave_person ON leave (person, start_day);"
        "CREATE INDEX leave_days ON leave (start_day, end_day);"
        "CREATE INDEX leave_state ON leave (state, start_day);"
        "CREATE INDEX leave_paperwork ON leave (urgent, paperwork_done);"
        STORE_REBUILD_AUTOINCREMENT(swap,
                "        kind TEXT NOT NULL CHECK (kind IN ('swap', 'cover')),"
                "        requester TEXT NOT NULL,"
                "        counterpart TEXT NOT NULL,"
                "        day INTEGER NOT NULL,"
                "        post TEXT NOT NULL,"
                "        slot INTEGER NOT NULL,"
                "        their_day INTEGER,"
                "        their_post TEXT,"
                "        their_slot INTEGER,"
                "        state TEXT NOT NULL,"
                "        reason TEXT,"
                "        created_usec INTEGER NOT NULL,"
                "        updated_usec INTEGER NOT NULL,"
                "        approved_by TEXT")
        "CREATE INDEX swap_day ON swap (day, post, slot);"
        "CREATE INDEX swap_their_day ON swap (their_day, their_post, their_slot);"
        "CREATE INDEX swap_state ON swap (state);"
        STORE_REBUILD_AUTOINCREMENT(amendment,
                "        at_usec INTEGER NOT NULL,"
                "        uid INTEGER NOT NULL,"
                "        by_person TEXT,"
                "        reason TEXT NOT NULL,"
                "        day INTEGER NOT NULL,"
                "        post TEXT NOT NULL,"
                "        slot INTEGER NOT NULL,"
                "        before TEXT,"
                "        after TEXT,"
                "        version INTEGER NOT NULL")
        "CREATE INDEX amendment_day ON amendment (day, version);",

        /* 10: takeovers and handovers (store-handover.c); the escalation step of an alert. */
        store_migration_handover,
        /* 11: spot checks and presence checks of the duty room (store-check.c). */
        store_migration_check,
        /* 11: the duty log (store-dutylog.c). */
        store_migration_duty_log,
        /* 12: follow-up reports (续报) of an emergency (store-dutylog.c). */
        store_migration_duty_log_followup,
        /* 14: the notification outbox (store-notify.c). */
        store_migration_notify,
};


static const char *const store_statement_sql[_STORE_STMT_MAX] = {
        [STORE_STMT_BEGIN] = "BEGIN IMMEDIATE",
        [STORE_STMT_COMMIT] = "COMMIT",
        [STORE_STMT_ROLLBACK] = "ROLLBACK",
        [STORE_STMT_USER_VERSION] = "PRAGMA user_version",
        [STORE_STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
        [STORE_STMT_META_SET] =
                "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [STORE_STMT_AUDIT_LAST] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        [STORE_STMT_AUDIT_INSERT] =
                "INSERT INTO audit (id, at_usec, uid, person, method, summary, result, prev_hash, hash) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        [STORE_STMT_AUDIT_ALL] =
                "SELECT id, at_usec, uid, person, method, summary, result, prev_hash, hash "
                "FROM audit ORDER BY id",
        [STORE_STMT_AUDIT_COUNT] = "SELECT count(*) FROM audit",
        [STORE_STMT_ASSIGNMENT_SET] =
                "INSERT INTO assignment (day, post, slot, person, locked, reason, source, assume_ordinary) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0) "
                "ON CONFLICT (day, post, slot) DO UPDATE SET "
                "person = excluded.person, locked = excluded.locked, reason = excluded.reason, "
                "source = excluded.source, assume_ordinary = 0",
        [STORE_STMT_ASSIGNMENT_SET_ASSUME_ORDINARY] =
                "UPDATE assignment SET assume_ordinary = ?4 WHERE day = ?1 AND post = ?2 AND slot = ?3",
        [STORE_STMT_ASSIGNMENT_CLEAR_RANGE] =
                "DELETE FROM assignment WHERE day BETWEEN ?1 AND ?2 AND (?3 = 0 OR locked = 0)",
        [STORE_STMT_ASSIGNMENT_LIST] =
                "SELECT day, post, slot, person, locked, reason, source, assume_ordinary "
                "FROM assignment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, post, slot",
        [STORE_STMT_SENSITIVE_ADD] =
                "INSERT INTO sensitive_period (name, from_day, to_day, extra_officers, leave, created_usec) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        [STORE_STMT_SENSITIVE_LIST] =
                "SELECT id, name, from_day, to_day, extra_officers, leave, created_usec "
                "FROM sensitive_period WHERE from_day <= ?2 AND to_day >= ?1 ORDER BY from_day, id",
        [STORE_STMT_SENSITIVE_REMOVE] = "DELETE FROM sensitive_period WHERE id = ?1",
        [STORE_STMT_UNAVAILABLE_ADD] =
                "INSERT INTO unavailable (person, from_day, to_day, reason) VALUES (?1, ?2, ?3, ?4)",
        [STORE_STMT_UNAVAILABLE_LIST] =
                "SELECT id, person, from_day, to_day, reason FROM unavailable "
                "WHERE (?1 IS NULL OR person = ?1) AND from_day <= ?3 AND to_day >= ?2 "
                "ORDER BY from_day, id",
        [STORE_STMT_UNAVAILABLE_REMOVE] = "DELETE FROM unavailable WHERE id = ?1",
        /* The snapshot is one line per slot, "day|post|slot|person", person empty for an empty slot. */
        [STORE_STMT_PUBLICATION_CREATE] =
                "INSERT INTO publication (version, from_day, to_day, at_usec, snapshot) "
                "SELECT (SELECT ifnull(max(version), 0) + 1 FROM publication), ?1, ?2, ?3, "
                "       ifnull((SELECT group_concat(line, char(10)) FROM "
                "               (SELECT day || '|' || post || '|' || slot || '|' || ifnull(person, '') AS line "
                "                FROM assignment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, post, slot)), '') "
                "RETURNING version",
        [STORE_STMT_PUBLICATION_GET] =
                "SELECT version, from_day, to_day, at_usec, snapshot FROM publication "
                "WHERE ?1 = 0 OR version = ?1 ORDER BY version DESC LIMIT 1",
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
        return store_errno(sqlite3_errcode(s->db));
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

static int store_statement(Store *s, StoreStatement id, sqlite3_stmt **ret) {
        int rc;

        if (!s->statements[id]) {
                rc = sqlite3_prepare_v3(s->db, store_statement_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                        &s->statements[id], NULL);
                if (rc != SQLITE_OK)
                        return store_errno(rc);
        }

        *ret = s->statements[id];
        return 0;
}

int store_prepare_cached(Store *s, const char *sql, sqlite3_stmt **ret) {
        size_t i;
        int rc;

        for (i = 0; i < s->n_cached; i++)
                if (s->cached[i].sql == sql) {
                        *ret = s->cached[i].statement;
                        return 0;
                }

        if (s->n_cached >= STORE_CACHED_STATEMENTS_MAX)
                return -E2BIG;

        rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->cached[i].statement, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        s->cached[i].sql = sql;
        s->n_cached++;
        *ret = s->cached[i].statement;
        return 0;
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
                *ret_id = sqlite3_last_insert_rowid(s->db);
        return 0;
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

        rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check(" STRINGIFY(STORE_INTEGRITY_ERRORS_MAX) ")", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);

        if ((rc & 0xff) == SQLITE_NOTADB) {
                store_set_error(ret_error, "%s: file is not a database", s->path);
                return -EBADMSG;
        }
        if (rc != SQLITE_ROW) {
                store_set_error(ret_error, "%s: integrity check failed: %s", s->path, sqlite3_errmsg(s->db));
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

        rc = sqlite3_exec(s->db, sql, NULL, NULL, &m);
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

        rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                store_set_error(ret_error, "%s: cannot set the journal mode: %s", s->path, sqlite3_errmsg(s->db));
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

        r = store_statement(s, STORE_STMT_USER_VERSION, &st);
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

        rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                store_set_error(ret_error, "%s: a row of table %s refers to a missing row of %s", s->path,
                                strna((const char *) sqlite3_column_text(st, 0)),
                                strna((const char *) sqlite3_column_text(st, 2)));
                return -EBADMSG;
        }
        if (rc != SQLITE_DONE) {
                store_set_error(ret_error, "%s: cannot check the foreign keys: %s", s->path, sqlite3_errmsg(s->db));
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
                store_set_error(ret_error, "%s: cannot read the schema version: %s", s->path, sqlite3_errmsg(s->db));
                return version;
        }

        for (int v = version; v < store_schema_latest(); v++) {
                char pragma[STORE_INT_STRING_MAX + 32];

                r = store_begin(s);
                if (r < 0) {
                        store_set_error(ret_error, "%s: cannot begin the migration to schema version %d: %s",
                                        s->path, v + 1, sqlite3_errmsg(s->db));
                        return r;
                }

                /* Another process may have migrated between our read and the lock. */
                r = store_schema_version(s);
                if (r < 0 || r > v) {
                        store_rollback(s);
                        if (r < 0) {
                                store_set_error(ret_error, "%s: cannot read the schema version: %s", s->path,
                                                sqlite3_errmsg(s->db));
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
                if (r < 0) {
                        store_rollback(s);
                        return r;
                }
                r = store_commit(s);
                if (r < 0) {
                        store_set_error(ret_error, "%s: cannot commit the migration to schema version %d: %s",
                                        s->path, v + 1, sqlite3_errmsg(s->db));
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

        if (s->in_transaction || s->in_request)
                return -EBUSY;

        rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(" STRINGIFY(STORE_INTEGRITY_ERRORS_MAX) ")", -1, &st, NULL);
        if (rc == SQLITE_OK)
                rc = sqlite3_step(st);
        if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
                problem = strdup(sqlite3_errmsg(s->db));
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
                        (void) sqlite3_db_release_memory(s->db);
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

int store_open(const char *path, Store **ret, char **ret_error) {
        _cleanup_(store_freep) Store *s = NULL;
        struct stat st;
        int r, rc;

        if (isempty(path) || !ret)
                return -EINVAL;

        r = store_prepare_file(path, ret_error);
        if (r < 0)
                return r;

        s = calloc(1, sizeof(Store));
        if (!s)
                return -ENOMEM;
        s->path = strdup(path);
        if (!s->path)
                return -ENOMEM;
        if (asprintf(&s->wal_path, "%s-wal", path) < 0)
                return -ENOMEM;

        /* Not SQLITE_OPEN_CREATE: the file exists now, with our mode. */
        rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL);
        if (rc != SQLITE_OK) {
                store_set_error(ret_error, "%s: cannot open database: %s", path,
                                s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
                return store_errno(rc);
        }
        (void) sqlite3_extended_result_codes(s->db, 1);
        (void) sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MSEC);

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
        r = store_exec(s, "PRAGMA foreign_keys=ON;", ret_error);
        if (r < 0)
                return r;
        /* The integrity check has read the whole file through the page cache; what it left there
         * would stay for the daemon's life (2 MiB, a quarter of its idle memory; tests/bench). */
        (void) sqlite3_db_release_memory(s->db);
        store_record_wal(s);

        *ret = TAKE_PTR(s);
        return 0;
}

Store *store_free(Store *s) {
        if (!s)
                return NULL;

        for (size_t i = 0; i < _STORE_STMT_MAX; i++)
                (void) sqlite3_finalize(s->statements[i]);
        for (size_t i = 0; i < s->n_cached; i++)
                (void) sqlite3_finalize(s->cached[i].statement);
        /* An open transaction is rolled back by the close: nothing unacknowledged survives. */
        (void) sqlite3_close_v2(s->db);
        free(s->path);
        free(s->wal_path);
        free(s);
        return NULL;
}

/* Inside a request's transaction (store_request_begin()), store_begin() opens a savepoint: its
 * commit keeps the work for the request's COMMIT, and its rollback undoes only its own work (a dry
 * run, a refused change) without ending the request. Nothing is durable before the request commits,
 * so a reply sent after store_request_end() is the acknowledgement of a committed change. */
static const char sql_savepoint[] = "SAVEPOINT nested";
static const char sql_release[] = "RELEASE nested";
static const char sql_rollback_to[] = "ROLLBACK TO nested";

static int store_run_cached(Store *s, const char *sql) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        return store_step_done(st);
}

static int store_run(Store *s, StoreStatement id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_statement(s, id, &st);
        if (r < 0)
                return r;
        return store_step_done(st);
}

int store_begin(Store *s) {
        int r;

        if (s->in_transaction)
                return -EBUSY;
        if (s->damage != STORE_DAMAGE_NONE)
                return -ESTALE;

        r = s->in_request ? store_run_cached(s, sql_savepoint) : store_run(s, STORE_STMT_BEGIN);
        if (r < 0)
                return r;

        s->in_transaction = true;
        return 0;
}

void store_rollback(Store *s) {
        if (!s->in_transaction)
                return;
        s->in_transaction = false;

        /* Some errors (SQLITE_FULL, SQLITE_IOERR, …) already rolled the whole transaction back. */
        if (sqlite3_get_autocommit(s->db)) {
                if (s->in_request)
                        s->request_failed = true;
                return;
        }

        if (!s->in_request) {
                (void) store_run(s, STORE_STMT_ROLLBACK);
                return;
        }

        /* ROLLBACK TO keeps the savepoint open; RELEASE ends it. If the undo fails, what the request
         * holds is unknown: it must not commit. */
        if (store_run_cached(s, sql_rollback_to) < 0 || store_run_cached(s, sql_release) < 0)
                s->request_failed = true;
}

/* Every COMMIT, of a request or of a transaction of its own: a commit into a file no longer at
 * the database's path would be acknowledged and then lost, so the files are compared first (one
 * lstat() each). The caller rolls back on failure. */
static int store_commit_durable(Store *s) {
        int r;

        r = store_check_files(s);
        if (r < 0)
                return r;
        r = store_run(s, STORE_STMT_COMMIT);
        if (r < 0)
                return r;
        s->n_commits++;
        return 0;
}

int store_commit(Store *s) {
        int r;

        if (!s->in_transaction)
                return -EINVAL;

        /* Inside a request nothing is durable yet: store_request_end() commits. */
        r = s->in_request ? store_run_cached(s, sql_release) : store_commit_durable(s);
        if (r < 0) {
                store_rollback(s);
                return r;
        }

        s->in_transaction = false;
        return 0;
}

uint64_t store_commit_count(Store *s) {
        return s->n_commits;
}

int store_request_begin(Store *s) {
        int r;

        if (s->in_request || s->in_transaction)
                return -EBUSY;
        if (s->damage != STORE_DAMAGE_NONE)
                return -ESTALE;

        r = store_run(s, STORE_STMT_BEGIN);
        if (r < 0)
                return r;

        s->in_request = true;
        s->request_failed = false;
        return 0;
}

int store_request_end(Store *s, bool commit) {
        bool failed;
        int r = 0;

        if (!s->in_request)
                return -EINVAL;

        /* A savepoint still open was neither committed nor rolled back by its owner: its work was
         * never confirmed. */
        if (s->in_transaction) {
                store_rollback(s);
                failed = true;
        } else
                failed = s->request_failed;

        if (commit && !failed) {
                r = store_commit_durable(s);
                if (r >= 0) {
                        s->in_request = false;
                        return 0;
                }
        } else if (commit)
                r = -EIO;

        if (!sqlite3_get_autocommit(s->db))
                (void) store_run(s, STORE_STMT_ROLLBACK);
        s->in_request = false;
        s->request_failed = false;
        return r;
}

bool store_in_request(Store *s) {
        return s->in_request;
}

bool store_in_transaction(Store *s) {
        return s->in_transaction;
}

const char *store_error(Store *s) {
        return sqlite3_errmsg(s->db);
}

int store_meta_get(Store *s, const char *key, char **ret_value) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!key || !ret_value)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_META_GET, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_row(st);
        if (r < 0)
                return r;

        return store_column_strdup(st, 0, false, ret_value);
}

int store_meta_set(Store *s, const char *key, const char *value) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!key || !value)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_META_SET, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_done(st);
}

static void store_hash_field(Sha256 *c, const char *field) {
        char len[STORE_INT_STRING_MAX];
        int n;

        /* Netstring framing ("<len>:<bytes>,"), so that no two rows hash the same input;
         * NULL is "-," which no framed string can be. */
        if (!field) {
                sha256_update(c, "-,", 2);
                return;
        }
        n = snprintf(len, sizeof(len), "%zu:", strlen(field));
        sha256_update(c, len, (size_t) n);
        sha256_update(c, field, strlen(field));
        sha256_update(c, ",", 1);
}

static void store_hash_int(Sha256 *c, int64_t v) {
        char buf[STORE_INT_STRING_MAX];

        (void) snprintf(buf, sizeof(buf), "%" PRIi64, v);
        store_hash_field(c, buf);
}

static char *store_audit_hash(const char *prev_hash, int64_t id, int64_t at_usec, int64_t uid, const char *person,
                              const char *method, const char *summary, const char *result,
                              char buf[static SHA256_HEX_SIZE]) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        Sha256 c;

        sha256_init(&c);
        store_hash_field(&c, prev_hash);
        store_hash_int(&c, id);
        store_hash_int(&c, at_usec);
        store_hash_int(&c, uid);
        store_hash_field(&c, person);
        store_hash_field(&c, method);
        store_hash_field(&c, summary);
        store_hash_field(&c, result);
        sha256_finish(&c, digest);
        return sha256_to_hex(digest, buf);
}

static int store_audit_append_locked(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                                     const char *summary, const char *result, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *last = NULL, *ins = NULL;
        char prev[SHA256_HEX_SIZE] = STORE_AUDIT_GENESIS, hash[SHA256_HEX_SIZE];
        int64_t id = 1;
        int r, rc;

        r = store_statement(s, STORE_STMT_AUDIT_LAST, &last);
        if (r < 0)
                return r;
        rc = sqlite3_step(last);
        if (rc == SQLITE_ROW) {
                const unsigned char *h = sqlite3_column_text(last, 1);

                if (!h || strlen((const char *) h) != SHA256_HEX_SIZE - 1)
                        return -EBADMSG;
                memcpy(prev, h, SHA256_HEX_SIZE);
                id = sqlite3_column_int64(last, 0);
                if (id <= 0 || id == INT64_MAX)
                        return -EBADMSG;
                id++;
        } else if (rc != SQLITE_DONE)
                return store_errno(rc);

        store_audit_hash(prev, id, (int64_t) at_usec, (int64_t) uid, person, method, summary, result, hash);

        r = store_statement(s, STORE_STMT_AUDIT_INSERT, &ins);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(ins, 1, id) != SQLITE_OK ||
            sqlite3_bind_int64(ins, 2, (int64_t) at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(ins, 3, (int64_t) uid) != SQLITE_OK ||
            store_bind_text_or_null(ins, 4, person) != SQLITE_OK ||
            sqlite3_bind_text(ins, 5, method, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 6, summary, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 7, result, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 8, prev, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 9, hash, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(ins);
        if (r < 0)
                return r;

        if (ret_id)
                *ret_id = id;
        return 0;
}

int store_audit_append_full(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                            const char *summary, const char *result, int64_t *ret_id) {
        bool own = !s->in_transaction;
        int64_t id = 0;
        int r;

        if (!method || !summary || !result || at_usec > INT64_MAX)
                return -EINVAL;

        /* Reading the chain's head and appending to it must not interleave with another writer. */
        if (own) {
                r = store_begin(s);
                if (r < 0)
                        return r;
        }

        r = store_audit_append_locked(s, at_usec, uid, person, method, summary, result, &id);
        if (own) {
                if (r < 0)
                        store_rollback(s);
                else
                        r = store_commit(s);
        }
        if (r < 0)
                return r;

        if (ret_id)
                *ret_id = id;
        return 0;
}

int store_audit_verify(Store *s, int64_t *ret_bad_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        char expected_prev[SHA256_HEX_SIZE] = STORE_AUDIT_GENESIS;
        int r, rc;

        r = store_statement(s, STORE_STMT_AUDIT_ALL, &st);
        if (r < 0)
                return r;

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                int64_t id = sqlite3_column_int64(st, 0);
                const char *person, *method, *summary, *result, *prev, *hash;
                char computed[SHA256_HEX_SIZE] = "";

                person = (const char *) sqlite3_column_text(st, 3);
                method = (const char *) sqlite3_column_text(st, 4);
                summary = (const char *) sqlite3_column_text(st, 5);
                result = (const char *) sqlite3_column_text(st, 6);
                prev = (const char *) sqlite3_column_text(st, 7);
                hash = (const char *) sqlite3_column_text(st, 8);

                if (method && summary && result && prev && hash)
                        store_audit_hash(prev, id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                         person, method, summary, result, computed);

                if (!method || !summary || !result || !prev || !hash ||
                    !streq(prev, expected_prev) || !streq(hash, computed)) {
                        if (ret_bad_id)
                                *ret_bad_id = id;
                        return -EBADMSG;
                }

                memcpy(expected_prev, computed, sizeof(computed));
        }
        if (rc != SQLITE_DONE)
                return store_errno(rc);

        return 0;
}

int store_count_audit(Store *s, uint64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        r = store_statement(s, STORE_STMT_AUDIT_COUNT, &st);
        if (r < 0)
                return r;
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);

        *ret = (uint64_t) sqlite3_column_int64(st, 0);
        return 0;
}

int store_assignment_set(Store *s, Day day, const char *post, int slot, const char *person, bool locked,
                         const char *reason, const char *source) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (day == DAY_NONE || isempty(post) || slot < 0)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_ASSIGNMENT_SET, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, slot) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, person) != SQLITE_OK ||
            sqlite3_bind_int(st, 5, locked) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, reason) != SQLITE_OK ||
            sqlite3_bind_text(st, 7, source ?: STORE_ASSIGNMENT_SOURCE_DEFAULT, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_done(st);
}

int store_assignment_set_assume_ordinary(Store *s, Day day, const char *post, int slot, bool assume_ordinary) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (day == DAY_NONE || isempty(post) || slot < 0)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_ASSIGNMENT_SET_ASSUME_ORDINARY, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, slot) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, assume_ordinary) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}

int store_assignment_clear_range(Store *s, Day from, Day to, bool keep_locked) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_ASSIGNMENT_CLEAR_RANGE, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, keep_locked) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(s->db);
}

StoreAssignment *store_assignment_free_many(StoreAssignment *a, size_t n) {
        if (!a)
                return NULL;

        for (size_t i = 0; i < n; i++) {
                free(a[i].post);
                free(a[i].person);
                free(a[i].reason);
                free(a[i].source);
        }
        free(a);
        return NULL;
}

int store_assignment_list(Store *s, Day from, Day to, StoreAssignment **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreAssignment *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_ASSIGNMENT_LIST, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                StoreAssignment *e;

                r = store_grow((void **) &a, &allocated, n + 1, sizeof(*a));
                if (r < 0)
                        goto fail;
                e = &a[n++];

                r = store_column_day(st, 0, &e->day);
                if (r >= 0)
                        r = store_column_strdup(st, 1, false, &e->post);
                if (r >= 0)
                        r = store_column_int(st, 2, &e->slot);
                if (r >= 0)
                        r = store_column_strdup(st, 3, true, &e->person);
                if (r >= 0)
                        r = store_column_strdup(st, 5, true, &e->reason);
                if (r >= 0)
                        r = store_column_strdup(st, 6, false, &e->source);
                if (r < 0)
                        goto fail;
                e->locked = sqlite3_column_int64(st, 4) != 0;
                e->assume_ordinary = sqlite3_column_int64(st, 7) != 0;
        }
        if (rc != SQLITE_DONE) {
                r = store_errno(rc);
                goto fail;
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        store_assignment_free_many(a, n);
        return r;
}

int store_sensitive_period_add(Store *s, const char *name, Day from, Day to, int extra_officers,
                               const char *leave, uint64_t created_usec, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (isempty(name) || from == DAY_NONE || to == DAY_NONE || from > to || extra_officers < 0 ||
            created_usec > INT64_MAX)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_SENSITIVE_ADD, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 2, from) != SQLITE_OK ||
            store_bind_day(st, 3, to) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, extra_officers) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, leave ?: "normal", -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 6, (int64_t) created_usec) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

StoreSensitivePeriod *store_sensitive_period_free_many(StoreSensitivePeriod *p, size_t n) {
        if (!p)
                return NULL;

        for (size_t i = 0; i < n; i++) {
                free(p[i].name);
                free(p[i].leave);
        }
        free(p);
        return NULL;
}

int store_sensitive_period_list(Store *s, Day from, Day to, StoreSensitivePeriod **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreSensitivePeriod *p = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_SENSITIVE_LIST, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                StoreSensitivePeriod *e;

                r = store_grow((void **) &p, &allocated, n + 1, sizeof(*p));
                if (r < 0)
                        goto fail;
                e = &p[n++];

                e->id = sqlite3_column_int64(st, 0);
                r = store_column_strdup(st, 1, false, &e->name);
                if (r >= 0)
                        r = store_column_day(st, 2, &e->from_day);
                if (r >= 0)
                        r = store_column_day(st, 3, &e->to_day);
                if (r >= 0)
                        r = store_column_int(st, 4, &e->extra_officers);
                if (r >= 0)
                        r = store_column_strdup(st, 5, false, &e->leave);
                if (r < 0)
                        goto fail;
                e->created_usec = (uint64_t) sqlite3_column_int64(st, 6);
        }
        if (rc != SQLITE_DONE) {
                r = store_errno(rc);
                goto fail;
        }

        *ret = p;
        *ret_n = n;
        return 0;

fail:
        store_sensitive_period_free_many(p, n);
        return r;
}

static int store_remove_by_id(Store *s, StoreStatement id_stmt, int64_t id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_statement(s, id_stmt, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(s->db) > 0 ? 0 : -ENOENT;
}

int store_sensitive_period_remove(Store *s, int64_t id) {
        return store_remove_by_id(s, STORE_STMT_SENSITIVE_REMOVE, id);
}

int store_unavailable_add(Store *s, const char *person, Day from, Day to, const char *reason, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (isempty(person) || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_UNAVAILABLE_ADD, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 2, from) != SQLITE_OK ||
            store_bind_day(st, 3, to) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, reason) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

StoreUnavailable *store_unavailable_free_many(StoreUnavailable *u, size_t n) {
        if (!u)
                return NULL;

        for (size_t i = 0; i < n; i++) {
                free(u[i].person);
                free(u[i].reason);
        }
        free(u);
        return NULL;
}

int store_unavailable_list(Store *s, const char *person, Day from, Day to, StoreUnavailable **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreUnavailable *u = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_UNAVAILABLE_LIST, &st);
        if (r < 0)
                return r;
        if (store_bind_text_or_null(st, 1, person) != SQLITE_OK ||
            store_bind_day(st, 2, from) != SQLITE_OK ||
            store_bind_day(st, 3, to) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                StoreUnavailable *e;

                r = store_grow((void **) &u, &allocated, n + 1, sizeof(*u));
                if (r < 0)
                        goto fail;
                e = &u[n++];

                e->id = sqlite3_column_int64(st, 0);
                r = store_column_strdup(st, 1, false, &e->person);
                if (r >= 0)
                        r = store_column_day(st, 2, &e->from_day);
                if (r >= 0)
                        r = store_column_day(st, 3, &e->to_day);
                if (r >= 0)
                        r = store_column_strdup(st, 4, true, &e->reason);
                if (r < 0)
                        goto fail;
        }
        if (rc != SQLITE_DONE) {
                r = store_errno(rc);
                goto fail;
        }

        *ret = u;
        *ret_n = n;
        return 0;

fail:
        store_unavailable_free_many(u, n);
        return r;
}

int store_unavailable_remove(Store *s, int64_t id) {
        return store_remove_by_id(s, STORE_STMT_UNAVAILABLE_REMOVE, id);
}

int store_publication_create(Store *s, Day from, Day to, uint64_t at_usec, int *ret_version) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        if (from == DAY_NONE || to == DAY_NONE || from > to || at_usec > INT64_MAX)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_PUBLICATION_CREATE, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) at_usec) != SQLITE_OK)
                return store_errno_last(s);

        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        r = sqlite3_column_int(st, 0);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        if (ret_version)
                *ret_version = r;
        return 0;
}

StorePublication *store_publication_done(StorePublication *p) {
        if (!p)
                return NULL;
        p->slots = store_assignment_free_many(p->slots, p->n_slots);
        p->n_slots = 0;
        return NULL;
}

/* Parses one "day|post|slot|person" line of a snapshot. */
static int store_publication_parse_line(char *line, StoreAssignment *ret) {
        char *fields[4], *p = line, *end;
        long long day, slot;

        for (size_t i = 0; i < 4; i++) {
                fields[i] = p;
                p = strchr(p, '|');
                if (i < 3) {
                        if (!p)
                                return -EBADMSG;
                        *p++ = '\0';
                }
        }

        errno = 0;
        day = strtoll(fields[0], &end, 10);
        if (errno != 0 || *end != '\0' || day < INT32_MIN || day > INT32_MAX)
                return -EBADMSG;
        slot = strtoll(fields[2], &end, 10);
        if (errno != 0 || *end != '\0' || slot < 0 || slot > INT32_MAX)
                return -EBADMSG;

        *ret = (StoreAssignment) {
                .day = (Day) day,
                .slot = (int) slot,
                .post = strdup(fields[1]),
                .person = isempty(fields[3]) ? NULL : strdup(fields[3]),
        };
        if (!ret->post || (!isempty(fields[3]) && !ret->person)) {
                free(ret->post);
                free(ret->person);
                return -ENOMEM;
        }
        return 0;
}

int store_publication_get(Store *s, int version, StorePublication *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *snapshot = NULL;
        StorePublication p = {};
        size_t allocated = 0;
        char *line, *saveptr = NULL;
        int r;

        if (version < 0 || !ret)
                return -EINVAL;

        r = store_statement(s, STORE_STMT_PUBLICATION_GET, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int(st, 1, version) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_row(st);
        if (r < 0)
                return r;

        p.version = sqlite3_column_int(st, 0);
        r = store_column_day(st, 1, &p.from_day);
        if (r >= 0)
                r = store_column_day(st, 2, &p.to_day);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &snapshot);
        if (r < 0)
                return r;
        p.at_usec = (uint64_t) sqlite3_column_int64(st, 3);

        for (line = strtok_r(snapshot, "\n", &saveptr); line; line = strtok_r(NULL, "\n", &saveptr)) {
                r = store_grow((void **) &p.slots, &allocated, p.n_slots + 1, sizeof(*p.slots));
                if (r < 0)
                        goto fail;
                r = store_publication_parse_line(line, &p.slots[p.n_slots]);
                if (r < 0)
                        goto fail;
                p.n_slots++;
        }

        *ret = p;
        return 0;

fail:
        store_publication_done(&p);
        return r;
}
