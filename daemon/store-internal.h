/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the store's files (store.c and store-<domain>.c): the Store itself and the helpers
 * every accessor uses. Only store files include this, and only they include sqlite3.h. */

#include <sqlite3.h>

#include "store.h"

/* Statements of the domain files, cached by the address of their SQL text (a static string). */
#define STORE_CACHED_STATEMENTS_MAX 128

typedef enum StoreStatement {
        STORE_STMT_BEGIN,
        STORE_STMT_COMMIT,
        STORE_STMT_ROLLBACK,
        STORE_STMT_USER_VERSION,
        STORE_STMT_META_GET,
        STORE_STMT_META_SET,
        STORE_STMT_AUDIT_LAST,
        STORE_STMT_AUDIT_INSERT,
        STORE_STMT_AUDIT_ALL,
        STORE_STMT_AUDIT_COUNT,
        STORE_STMT_ASSIGNMENT_SET,
        STORE_STMT_ASSIGNMENT_SET_ASSUME_ORDINARY,
        STORE_STMT_ASSIGNMENT_CLEAR_RANGE,
        STORE_STMT_ASSIGNMENT_LIST,
        STORE_STMT_SENSITIVE_ADD,
        STORE_STMT_SENSITIVE_LIST,
        STORE_STMT_SENSITIVE_REMOVE,
        STORE_STMT_UNAVAILABLE_ADD,
        STORE_STMT_UNAVAILABLE_LIST,
        STORE_STMT_UNAVAILABLE_REMOVE,
        STORE_STMT_PUBLICATION_CREATE,
        STORE_STMT_PUBLICATION_GET,
        _STORE_STMT_MAX,
        _STORE_STMT_INVALID = -EINVAL,
} StoreStatement;

typedef struct StoreCachedStatement {
        const char *sql;
        sqlite3_stmt *statement;
} StoreCachedStatement;

struct Store {
        sqlite3 *db;
        char *path;
        bool in_transaction;       /* a store_begin() not yet committed or rolled back */
        bool in_request;           /* inside store_request_begin(): store_begin() opens a savepoint */
        bool request_failed;       /* a savepoint could not be rolled back: the request must not commit */
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
        sqlite3_stmt *statements[_STORE_STMT_MAX];
        StoreCachedStatement cached[STORE_CACHED_STATEMENTS_MAX];
        size_t n_cached;
};

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
/* Steps a query of one row: 0 on the row, -ENOENT if there is none. */
int store_step_row(sqlite3_stmt *st);
int store_bind_day(sqlite3_stmt *st, int index, Day d);
int store_bind_text_or_null(sqlite3_stmt *st, int index, const char *text);
int store_column_strdup(sqlite3_stmt *st, int col, bool nullable, char **ret);
int store_column_day(sqlite3_stmt *st, int col, Day *ret);
int store_column_int(sqlite3_stmt *st, int col, int *ret);
int store_grow(void **array, size_t *allocated, size_t need, size_t size);
