/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The office's calendar data beside the roster (schema 2, in store.c): sensitive periods (敏感期)
 * and people's unavailability, for rules.c, the gap monitor and the calendar requests. */

#include <stdlib.h>

#include "store-internal.h"

static const char sql_sensitive_add[] =
        "INSERT INTO sensitive_period (name, from_day, to_day, extra_officers, leave, created_usec) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* In no order: the table has no index on from_day, so ORDER BY would cost a sorter on every run —
 * the rules load the calendar with every leave request — for a handful of rows sorted here. */
static const char sql_sensitive_list[] =
        "SELECT id, name, from_day, to_day, extra_officers, leave, created_usec "
        "FROM sensitive_period WHERE from_day <= ?2 AND to_day >= ?1";
static const char sql_sensitive_remove[] = "DELETE FROM sensitive_period WHERE id = ?1";
static const char sql_sensitive_count[] = "SELECT count(*) FROM sensitive_period";
static const char sql_unavailable_add[] =
        "INSERT INTO unavailable (person, from_day, to_day, reason) VALUES (?1, ?2, ?3, ?4)";
static const char sql_unavailable_list[] =
        "SELECT id, person, from_day, to_day, reason FROM unavailable "
        "WHERE (?1 IS NULL OR person = ?1) AND from_day <= ?3 AND to_day >= ?2 "
        "ORDER BY from_day, id";
static const char sql_unavailable_remove[] = "DELETE FROM unavailable WHERE id = ?1";
static const char sql_unavailable_count[] = "SELECT count(*) FROM unavailable";

static int store_remove_by_id(Store *s, const char *sql, int64_t id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}

/* ---- Sensitive periods ---- */

int store_sensitive_period_add(Store *s, const char *name, Day from, Day to, int extra_officers,
                               const char *leave, uint64_t created_usec, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (isempty(name) || from == DAY_NONE || to == DAY_NONE || from > to || extra_officers < 0 ||
            created_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_sensitive_add, &st);
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

static void store_sensitive_period_done(StoreSensitivePeriod *p) {
        free(p->name);
        free(p->leave);
}
STORE_DEFINE_DONE(store_sensitive_period_done, StoreSensitivePeriod)

StoreSensitivePeriod *store_sensitive_period_free_many(StoreSensitivePeriod *p, size_t n) {
        for (size_t i = 0; p && i < n; i++)
                store_sensitive_period_done(&p[i]);
        free(p);
        return NULL;
}

static int store_sensitive_period_decode(sqlite3_stmt *st, StoreSensitivePeriod *e) {
        int r;

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
        e->created_usec = (uint64_t) sqlite3_column_int64(st, 6);
        return r < 0 ? r : 0;
}
STORE_DEFINE_DECODE(store_sensitive_period_decode, StoreSensitivePeriod)

/* By first day, then id. */
static int sensitive_period_compare(const void *a, const void *b) {
        const StoreSensitivePeriod *x = a, *y = b;

        if (x->from_day != y->from_day)
                return x->from_day < y->from_day ? -1 : 1;
        return x->id < y->id ? -1 : x->id > y->id;
}

int store_sensitive_period_list(Store *s, Day from, Day to, StoreSensitivePeriod **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_sensitive_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        r = store_list(st, store_sensitive_period_decode_any, store_sensitive_period_done_any,
                       NULL, sizeof(**ret), 0, (void **) ret, ret_n);
        if (r >= 0 && *ret_n > 1)
                qsort(*ret, *ret_n, sizeof(**ret), sensitive_period_compare);
        return r;
}

int store_sensitive_period_remove(Store *s, int64_t id) {
        return store_remove_by_id(s, sql_sensitive_remove, id);
}

int store_sensitive_period_count(Store *s, uint64_t *ret) {
        return store_count(s, sql_sensitive_count, ret);
}

/* ---- Unavailability ---- */

int store_unavailable_add(Store *s, const char *person, Day from, Day to, const char *reason, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (isempty(person) || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_prepare_cached(s, sql_unavailable_add, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 2, from) != SQLITE_OK ||
            store_bind_day(st, 3, to) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, reason) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

static void store_unavailable_done(StoreUnavailable *u) {
        free(u->person);
        free(u->reason);
}
STORE_DEFINE_DONE(store_unavailable_done, StoreUnavailable)

StoreUnavailable *store_unavailable_free_many(StoreUnavailable *u, size_t n) {
        for (size_t i = 0; u && i < n; i++)
                store_unavailable_done(&u[i]);
        free(u);
        return NULL;
}

static int store_unavailable_decode(sqlite3_stmt *st, StoreUnavailable *e) {
        int r;

        e->id = sqlite3_column_int64(st, 0);
        r = store_column_strdup(st, 1, false, &e->person);
        if (r >= 0)
                r = store_column_day(st, 2, &e->from_day);
        if (r >= 0)
                r = store_column_day(st, 3, &e->to_day);
        if (r >= 0)
                r = store_column_strdup(st, 4, true, &e->reason);
        return r < 0 ? r : 0;
}
STORE_DEFINE_DECODE(store_unavailable_decode, StoreUnavailable)

int store_unavailable_list(Store *s, const char *person, Day from, Day to, StoreUnavailable **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_unavailable_list, &st);
        if (r < 0)
                return r;
        if (store_bind_text_or_null(st, 1, person) != SQLITE_OK ||
            store_bind_day(st, 2, from) != SQLITE_OK ||
            store_bind_day(st, 3, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_unavailable_decode_any, store_unavailable_done_any, NULL,
                          sizeof(**ret), 0, (void **) ret, ret_n);
}

int store_unavailable_remove(Store *s, int64_t id) {
        return store_remove_by_id(s, sql_unavailable_remove, id);
}

int store_unavailable_count(Store *s, uint64_t *ret) {
        return store_count(s, sql_unavailable_count, ret);
}
