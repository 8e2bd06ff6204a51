/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Queries over the roster's tables (schema 2, in store.c) that the roster requests need beyond the
 * basic accessors: the newest publication of a range, who held the duties of given days (the
 * special days' rotation looks back further than the year of history), and the sizes of the
 * runtime lists. */

#include "store-internal.h"

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
