/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the store's files (store.c and store-<family>.c): the Store itself and the helpers
 * every accessor uses. Only store files include this, and only they include sqlite3.h. */

#include <pthread.h>
#include <sqlite3.h>

#include "store.h"

/* The one statement cache: every statement of every store file, keyed by the address of its SQL
 * text (a static string). The bound is on the program's own statements, not on anything a client
 * sends: store_prepare_cached() fails with -E2BIG past it. */
#define STORE_CACHED_STATEMENTS_MAX 256
/* Decimal digits of an int64 plus sign and NUL. */
#define STORE_INT_STRING_MAX 24
/* The most rows store_list() reads into memory when the caller sets no limit: a damaged or
 * enormous table fails with -E2BIG instead of growing dutyd without bound. Far above any real
 * office's rows (a 5-year roster is some 10,000 slots). */
#define STORE_LIST_ROWS_MAX (4U * 1024U * 1024U)
/* Leave rows written between two leave lists that store_leave_span() reads back one by one. */
#define STORE_LEAVE_TOUCHED_MAX 64u
/* Nested savepoints open at once: a request's and the services' it calls. */
#define STORE_SAVEPOINTS_MAX 16u

/* The store's own statements (store.c): the transaction and meta ones. They live in the one cache
 * like every other statement; the ids only name their SQL. */
typedef enum StoreStatement {
        STORE_STMT_BEGIN,
        STORE_STMT_BEGIN_READ,
        STORE_STMT_COMMIT,
        STORE_STMT_ROLLBACK,
        STORE_STMT_USER_VERSION,
        STORE_STMT_META_GET,
        STORE_STMT_META_SET,
        _STORE_STMT_MAX,
        _STORE_STMT_INVALID = -EINVAL,
} StoreStatement;

/* store-leave.c: the longest leave's span (StoreConnection.leave_span_max), kept through the
 * writer's update hook. */
void store_leave_written(Store *s, int64_t rowid);
int store_leave_span(Store *s, int *ret);

typedef struct StoreCachedStatement {
        const char *sql;
        sqlite3_stmt *statement;
} StoreCachedStatement;

/* One SQLite connection and what belongs to it alone: its statements (a statement is prepared on
 * one connection), and what it alone can tell, such as PRAGMA data_version, which moves when
 * another connection commits. */
typedef struct StoreConnection {
        sqlite3 *db;
        StoreCachedStatement cached[STORE_CACHED_STATEMENTS_MAX];
        size_t n_cached;
        /* The longest leave in what this connection sees, in days after its first (end_day -
         * start_day), or -1 when unknown: a leave meeting from … to starts no earlier than from
         * minus this, which bounds the leave lists' range on start_day far tighter than
         * LEAVE_DAYS_MAX. Made by a full scan, then kept up to date from the rows the writer's
         * update hook saw written since (whatever statement wrote them; each connection has its own
         * list of them), read back at the next list through this connection; past
         * STORE_LEAVE_TOUCHED_MAX of them it is unknown again. A rollback or a shortened leave
         * leaves it too large, never too small: too large only widens a list's range. */
        int leave_span_max;
        /* This connection's PRAGMA data_version when leave_span_max was made. */
        int64_t leave_span_data_version;
        int64_t leave_touched[STORE_LEAVE_TOUCHED_MAX];
        size_t n_leave_touched;
        /* The reader only: a reading of the writer's PRAGMA data_version made before the reader's
         * current read transaction began (snapshot_writer_version: Store.writer_version_seen then),
         * and the one of the transaction leave_span_max was made in (leave_span_writer_version).
         * store_leave_span() explains. */
        int64_t snapshot_writer_version;
        int64_t leave_span_writer_version;
        /* The reader only: where in leave_touched the rows of the writer's transaction still open
         * begin (set by store_begin()). The reader reads them back at their committed version, if
         * any, and must read them again once their transaction commits: they stay in the list. */
        size_t leave_touched_open;
} StoreConnection;

struct Store {
        /* The connection the statements of the moment run on: the writer, or the reader inside a
         * read scope (store_read_scope_begin()). Store files reach it through store_db(). */
        StoreConnection *conn;
        /* The writer writes and runs everything outside read scopes: the requests' group
         * transaction, the background writers, the migrations. The reader is opened read-only on
         * the same file once the writer has checked and migrated it; in WAL mode it reads the last
         * committed state whatever transaction the writer holds open, and never waits for it. */
        StoreConnection writer;
        StoreConnection reader;
        char *path;
        bool in_transaction;       /* a store_begin() not yet committed or rolled back */
        bool transaction_failed;   /* a savepoint could not be rolled back: the transaction must not commit */
        unsigned n_savepoints;     /* savepoints open in the transaction */
        /* The savepoint that began the transaction (store_savepoint() outside one), or NULL. */
        const StoreSavepoint *savepoint_outer;
        StoreOpenHandler open_handler;
        void *open_userdata;
        uint64_t n_commits;        /* COMMITs that made changes durable (store_commit_count()) */
        /* The files opened, as stat() saw them at store_open(): every COMMIT compares the paths
         * with them (store_check_files()). wal_ino is 0 while no write-ahead log was seen. */
        dev_t dev;
        ino_t ino;
        char *wal_path;
        dev_t wal_dev;
        ino_t wal_ino;
        StoreDamage damage;
        StoreDamageHandler damage_handler;
        void *damage_userdata;
        /* PRAGMA user_version as store_open() left it: only migrations change it, and they run
         * there, so Status need not open a read transaction for it on every call. */
        int schema_version;
        /* A read scope is open (store_read_scope_begin()): statements run on the reader. Its first
         * statement opens a read transaction on the reader that the scope's end closes (reading),
         * so that its statements take the database's shared lock once, not once each, and see one
         * snapshot. */
        bool read_scope;
        bool reading;
        /* The writer's PRAGMA data_version as last read, by whatever read it; -1 before. */
        int64_t writer_version_seen;
        /* store_commit_start(): the COMMIT runs in commit_thread, which owns the writer until
         * store_commit_finish() joined it; commit_result is its outcome, commit_fd the eventfd it
         * writes when done. */
        bool committing;
        pthread_t commit_thread;
        sqlite3_stmt *commit_statement;
        int commit_result;
        int commit_fd;
};

#define FOREACH_STORE_CONNECTION(c, s) \
        for (StoreConnection *c = &(s)->writer; c; c = c == &(s)->writer ? &(s)->reader : NULL)

/* PRAGMA data_version: of connection c, or of the connection of the moment (in a read scope, the
 * first statement begins the reader's transaction: the version is its snapshot's). */
int store_data_version(Store *s, StoreConnection *c, int64_t *ret);
int store_data_version_now(Store *s, int64_t *ret);

/* The connection of the moment (Store.conn). */
static inline sqlite3 *store_db(Store *s) {
        return s->conn->db;
}

/* The columns (after "id") of the tables that migration 9 rebuilt, written once for the migration
 * that created each table and for the rebuild. A released migration never changes: these expand
 * to the very text the migrations always had. */
#define STORE_SCHEMA_SENSITIVE_PERIOD                                   \
        "        name TEXT NOT NULL,"                                   \
        "        from_day INTEGER NOT NULL,"                            \
        "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"   \
        "        extra_officers INTEGER NOT NULL DEFAULT 0,"            \
        "        leave TEXT NOT NULL DEFAULT 'normal',"                 \
        "        created_usec INTEGER NOT NULL"
#define STORE_SCHEMA_UNAVAILABLE                                        \
        "        person TEXT NOT NULL,"                                 \
        "        from_day INTEGER NOT NULL,"                            \
        "        to_day INTEGER NOT NULL CHECK (to_day >= from_day),"   \
        "        reason TEXT"
/* Migration 3's columns; migration 7 added decision_override after them. */
#define STORE_SCHEMA_LEAVE                                              \
        "        person TEXT NOT NULL,"                                 \
        "        kind TEXT NOT NULL,"                                   \
        "        start_day INTEGER NOT NULL,"                           \
        "        start_min INTEGER NOT NULL,"                           \
        "        end_day INTEGER NOT NULL,"                             \
        "        end_min INTEGER NOT NULL,"                             \
        "        destination TEXT,"                                     \
        "        out_of_town INTEGER NOT NULL DEFAULT 0,"               \
        "        reason TEXT,"                                          \
        "        phone TEXT,"                                           \
        "        acting TEXT,"                                          \
        "        urgent INTEGER NOT NULL DEFAULT 0,"                    \
        "        requested_day INTEGER NOT NULL,"                       \
        "        requested_usec INTEGER NOT NULL,"                      \
        "        requested_by TEXT,"                                    \
        "        paperwork_due INTEGER,"                                \
        "        paperwork_done INTEGER NOT NULL DEFAULT 0,"            \
        "        state TEXT NOT NULL,"                                  \
        "        unexcused INTEGER NOT NULL DEFAULT 0,"                 \
        "        returned_day INTEGER,"                                 \
        "        returned_min INTEGER,"                                 \
        "        approver TEXT,"                                        \
        "        decided_by TEXT,"                                      \
        "        decided_usec INTEGER,"                                 \
        "        decision_note TEXT,"
#define STORE_SCHEMA_LEAVE_CHECK \
        "        CHECK (end_day > start_day OR (end_day = start_day AND end_min > start_min))"
#define STORE_SCHEMA_LEAVE_INDEXES                                      \
        "CREATE INDEX leave_person ON leave (person, start_day);"       \
        "CREATE INDEX leave_days ON leave (start_day, end_day);"
#define STORE_SCHEMA_SWAP                                               \
        "        kind TEXT NOT NULL CHECK (kind IN ('swap', 'cover')),"  \
        "        requester TEXT NOT NULL,"                              \
        "        counterpart TEXT NOT NULL,"                            \
        "        day INTEGER NOT NULL,"                                 \
        "        post TEXT NOT NULL,"                                   \
        "        slot INTEGER NOT NULL,"                                \
        "        their_day INTEGER,"                                    \
        "        their_post TEXT,"                                      \
        "        their_slot INTEGER,"                                   \
        "        state TEXT NOT NULL,"                                  \
        "        reason TEXT,"                                          \
        "        created_usec INTEGER NOT NULL,"                        \
        "        updated_usec INTEGER NOT NULL,"                        \
        "        approved_by TEXT"
#define STORE_SCHEMA_SWAP_INDEXES                                                       \
        "CREATE INDEX swap_day ON swap (day, post, slot);"                              \
        "CREATE INDEX swap_their_day ON swap (their_day, their_post, their_slot);"      \
        "CREATE INDEX swap_state ON swap (state);"
#define STORE_SCHEMA_AMENDMENT                                          \
        "        at_usec INTEGER NOT NULL,"                             \
        "        uid INTEGER NOT NULL,"                                 \
        "        by_person TEXT,"                                       \
        "        reason TEXT NOT NULL,"                                 \
        "        day INTEGER NOT NULL,"                                 \
        "        post TEXT NOT NULL,"                                   \
        "        slot INTEGER NOT NULL,"                                \
        "        before TEXT,"                                          \
        "        after TEXT,"                                           \
        "        version INTEGER NOT NULL"
/* The history of a leave or a swap (leave_event, swap_event): the columns after the owner's id. */
#define STORE_SCHEMA_EVENT                                              \
        "        at_usec INTEGER NOT NULL,"                             \
        "        uid INTEGER NOT NULL,"                                 \
        "        actor TEXT,"                                           \
        "        action TEXT NOT NULL,"                                 \
        "        note TEXT"

/* The schema each domain adds, applied in order by store.c's migrations. */
extern const char store_migration_leave[];
extern const char store_migration_duty_log_followup[];
extern const char store_migration_swap[];
extern const char store_migration_alert[];
extern const char store_migration_leave_monitor[];
extern const char store_migration_leave_override[];
extern const char store_migration_amendment[];
extern const char store_migration_handover[];
extern const char store_migration_check[];
extern const char store_migration_duty_log[];
extern const char store_migration_offices[];
extern const char store_migration_report[];
extern const char store_migration_notify[];

/* Prepares sql once per Store (sql must be a string with static storage: its address is the key). */
int store_prepare_cached(Store *s, const char *sql, sqlite3_stmt **ret);

void store_stmt_resetp(sqlite3_stmt **st);
#define _cleanup_reset_ _cleanup_(store_stmt_resetp)

int store_errno(int rc);
int store_errno_last(Store *s);
int store_step_done(sqlite3_stmt *st);
/* Steps an INSERT; ret_id (optional) gets the new row's id. */
int store_step_insert(Store *s, sqlite3_stmt *st, int64_t *ret_id);
/* Steps an UPDATE or DELETE: how many rows it changed, or a negative errno. */
int store_step_changes(Store *s, sqlite3_stmt *st);
/* Appends to the history of a leave or a swap: sql inserts (owner, at_usec, uid, actor, action,
 * note) into a table of STORE_SCHEMA_EVENT. */
int store_event_append(Store *s, const char *sql, int64_t owner_id, uint64_t at_usec, uid_t uid, const char *actor,
                       const char *action, const char *note, int64_t *ret_id);
/* Reads a row of (id, owner's id, at_usec, uid, actor, action, note) of such a table. */
int store_event_decode(sqlite3_stmt *st, int64_t *ret_id, int64_t *ret_owner_id, uint64_t *ret_at_usec, uid_t *ret_uid,
                       char **ret_actor, char **ret_action, char **ret_note);
/* Steps a query of one row: 0 on the row, -ENOENT if there is none. */
int store_step_row(sqlite3_stmt *st);
int store_bind_day(sqlite3_stmt *st, int index, Day d);
/* NULL for DAY_NONE. */
int store_bind_day_or_null(sqlite3_stmt *st, int index, Day d);
int store_bind_text_or_null(sqlite3_stmt *st, int index, const char *text);
/* NULL when `null` is true, else v. */
int store_bind_int64_or_null(sqlite3_stmt *st, int index, int64_t v, bool null);
/* NULL for 0 (or a time beyond INT64_MAX). */
int store_bind_usec_or_null(sqlite3_stmt *st, int index, uint64_t usec);
int store_column_strdup(sqlite3_stmt *st, int col, bool nullable, char **ret);
int store_column_day(sqlite3_stmt *st, int col, Day *ret);
int store_column_int(sqlite3_stmt *st, int col, int *ret);
/* A non-negative count of microseconds; -EBADMSG for a negative one. */
int store_column_usec(sqlite3_stmt *st, int col, uint64_t *ret);
/* Minutes of a day, 0 … MINUTES_PER_DAY. */
int store_column_minutes(sqlite3_stmt *st, int col, int *ret);
/* A uid_t, -EBADMSG outside its range. */
int store_column_uid(sqlite3_stmt *st, int col, uid_t *ret);
int store_grow(void **array, size_t *allocated, size_t need, size_t size);
/* Binds key to ?1 of st (prepared, reset by the caller) and copies column 0 of its one row into
 * *ret: -ENOENT if there is no row. */
int store_text_by_key(Store *s, sqlite3_stmt *st, const char *key, char **ret);
/* Runs a cached "SELECT count(*) …". */
int store_count(Store *s, const char *sql, uint64_t *ret);

/* Reads the current row of st into *elem, which is zeroed: 0 to keep it, > 0 to skip it (a filter
 * the SQL does not express), or a negative errno. On failure or skip, *elem may hold some of the
 * row: store_list() hands it to the StoreDoneFunc. */
typedef int (*StoreDecodeFunc)(sqlite3_stmt *st, void *elem, void *userdata);
/* Frees what one element holds (not the element itself). */
typedef void (*StoreDoneFunc)(void *elem);

/* Steps st (prepared from the cache and bound by the caller) to its end and decodes each row into
 * a growing array of elements of `size` bytes: the one loop of every list the store returns.
 * limit > 0 stops after that many rows kept; limit == 0 reads them all, up to STORE_LIST_ROWS_MAX
 * (-E2BIG past it). On failure every element decoded so far goes to done (which may be NULL for
 * elements holding nothing) and *ret, *ret_n are untouched. An empty result is NULL, 0. */
int store_list(sqlite3_stmt *st, StoreDecodeFunc decode, StoreDoneFunc done, void *userdata, size_t size,
               size_t limit, void **ret, size_t *ret_n);

/* store_list() of the cached `sql` with its ?1 … ?n bound to the n_params integers of params (a
 * Day is one too): the whole of a list query whose parameters are numbers. */
int store_list_by(Store *s, const char *sql, const int64_t *params, size_t n_params, StoreDecodeFunc decode,
                  StoreDoneFunc done, size_t size, void **ret, size_t *ret_n);

/* Reads the one row `sql` selects by its ?1 = id into *ret (of `size` bytes) with decode: 0,
 * -ENOENT if there is none, or a negative errno (then *ret is untouched). */
int store_get_by_id(Store *s, const char *sql, int64_t id, StoreDecodeFunc decode, StoreDoneFunc done, size_t size,
                    void *ret);

/* Adapters from typed functions to StoreDecodeFunc/StoreDoneFunc, so that decoders and done
 * functions keep their types for their other callers: <decode>_any() and <done>_any(). */
#define STORE_DEFINE_DECODE(decode, type)                                                         \
        static int decode##_any(sqlite3_stmt *st, void *elem, void *userdata) {         \
                (void) userdata;                                                                  \
                return decode(st, (type *) elem);                                                 \
        }
#define STORE_DEFINE_DONE(done, type)                                                             \
        static void done##_any(void *elem) {                                               \
                done((type *) elem);                                                              \
        }
