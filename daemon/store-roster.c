/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Queries over the roster's tables (schema 2, in store.c) that the roster requests need beyond the
 * basic accessors: the newest publication of a range, who held the duties of given days (the
 * special days' rotation looks back further than the year of history), and the sizes of the
 * runtime lists; and the amendments of published days (schema 8). */

#include <stdlib.h>

#include "store-internal.h"

/* Migration 8: a published day changes only by an amendment, and each one is kept here: who made
 * it, when and why, the slot, who held it before and after, and the version it amends. */
const char store_migration_amendment[] =
        "CREATE TABLE amendment ("
        "        id INTEGER PRIMARY KEY,"
        "        at_usec INTEGER NOT NULL,"
        "        uid INTEGER NOT NULL,"
        "        by_person TEXT,"
        "        reason TEXT NOT NULL,"
        "        day INTEGER NOT NULL,"
        "        post TEXT NOT NULL,"
        "        slot INTEGER NOT NULL,"
        "        before TEXT,"
        "        after TEXT,"
        "        version INTEGER NOT NULL"
        ");"
        "CREATE INDEX amendment_day ON amendment (day, version);";

static const char sql_amendment_add[] =
        "INSERT INTO amendment (at_usec, uid, by_person, reason, day, post, slot, before, after, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_amendment_list[] =
        "SELECT id, at_usec, uid, by_person, reason, day, post, slot, before, after, version "
        "FROM amendment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id";


static const char sql_publication_latest[] =
        "SELECT version FROM publication WHERE from_day <= ?2 AND to_day >= ?1 "
        "ORDER BY version DESC LIMIT 1";
static const char sql_day_holders[] =
        "SELECT person FROM assignment WHERE day = ?1 AND person IS NOT NULL ORDER BY post, slot";
static const char sql_sensitive_count[] = "SELECT count(*) FROM sensitive_period";
static const char sql_unavailable_count[] = "SELECT count(*) FROM unavailable";

int store_publication_latest(Store *s, Day from, Day to, int *ret_version) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret_version)
                return -EINVAL;

        r = store_prepare_cached(s, sql_publication_latest, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_row(st);
        if (r < 0)
                return r;
        *ret_version = sqlite3_column_int(st, 0);
        return 0;
}

static int store_count(Store *s, const char *sql, uint64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        if (!ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        *ret = (uint64_t) sqlite3_column_int64(st, 0);
        return 0;
}

int store_sensitive_period_count(Store *s, uint64_t *ret) {
        return store_count(s, sql_sensitive_count, ret);
}

int store_unavailable_count(Store *s, uint64_t *ret) {
        return store_count(s, sql_unavailable_count, ret);
}

int store_day_holders(Store *s, const Day *days, size_t n_days, StoreAssignment **ret, size_t *ret_n) {
        StoreAssignment *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (!s || (n_days > 0 && !days) || !ret || !ret_n)
                return -EINVAL;

        for (size_t i = 0; i < n_days; i++) {
                _cleanup_reset_ sqlite3_stmt *st = NULL;

                if (days[i] == DAY_NONE) {
                        r = -EINVAL;
                        goto fail;
                }
                r = store_prepare_cached(s, sql_day_holders, &st);
                if (r < 0)
                        goto fail;
                if (store_bind_day(st, 1, days[i]) != SQLITE_OK) {
                        r = store_errno_last(s);
                        goto fail;
                }
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        r = store_grow((void **) &a, &allocated, n + 1, sizeof(*a));
                        if (r < 0)
                                goto fail;
                        a[n] = (StoreAssignment) { .day = days[i] };
                        r = store_column_strdup(st, 0, false, &a[n].person);
                        n++;
                        if (r < 0)
                                goto fail;
                }
                if (rc != SQLITE_DONE) {
                        r = store_errno(rc);
                        goto fail;
                }
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        store_assignment_free_many(a, n);
        return r;
}

int store_amendment_add(Store *s, const StoreAmendment *a, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !a || a->day == DAY_NONE || !a->post || !a->reason || a->version <= 0)
                return -EINVAL;

        r = store_prepare_cached(s, sql_amendment_add, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64) a->at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (sqlite3_int64) a->uid) != SQLITE_OK ||
            store_bind_text_or_null(st, 3, a->by) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, a->reason, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 5, a->day) != SQLITE_OK ||
            sqlite3_bind_text(st, 6, a->post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 7, a->slot) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, a->before) != SQLITE_OK ||
            store_bind_text_or_null(st, 9, a->after) != SQLITE_OK ||
            sqlite3_bind_int(st, 10, a->version) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

void store_amendment_done(StoreAmendment *a) {
        if (!a)
                return;
        free(a->by);
        free(a->reason);
        free(a->post);
        free(a->before);
        free(a->after);
        *a = (StoreAmendment) {};
}

StoreAmendment *store_amendment_free_many(StoreAmendment *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_amendment_done(&a[i]);
        free(a);
        return NULL;
}

int store_amendment_list(Store *s, Day from, Day to, StoreAmendment **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreAmendment *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (!s || from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_amendment_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                StoreAmendment *e;

                r = store_grow((void **) &a, &allocated, n + 1, sizeof(*a));
                if (r < 0)
                        goto fail;
                e = &a[n++];
                *e = (StoreAmendment) {
                        .id = sqlite3_column_int64(st, 0),
                        .at_usec = (uint64_t) sqlite3_column_int64(st, 1),
                        .uid = (uid_t) sqlite3_column_int64(st, 2),
                };
                r = store_column_strdup(st, 3, true, &e->by);
                if (r >= 0)
                        r = store_column_strdup(st, 4, false, &e->reason);
                if (r >= 0)
                        r = store_column_day(st, 5, &e->day);
                if (r >= 0)
                        r = store_column_strdup(st, 6, false, &e->post);
                if (r >= 0)
                        r = store_column_int(st, 7, &e->slot);
                if (r >= 0)
                        r = store_column_strdup(st, 8, true, &e->before);
                if (r >= 0)
                        r = store_column_strdup(st, 9, true, &e->after);
                if (r >= 0)
                        r = store_column_int(st, 10, &e->version);
                if (r < 0)
                        goto fail;
        }
        if (rc != SQLITE_DONE) {
                r = store_errno(rc);
                goto fail;
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        store_amendment_free_many(a, n);
        return r;
}
