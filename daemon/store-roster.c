/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Queries over the roster's tables (schema 2, in store.c) that the roster requests need beyond the
 * basic accessors: the newest publication of a range and the sizes of the runtime lists. */

#include "store-internal.h"

static const char sql_publication_latest[] =
        "SELECT version FROM publication WHERE from_day <= ?2 AND to_day >= ?1 "
        "ORDER BY version DESC LIMIT 1";
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
