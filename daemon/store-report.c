/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The version last reported to the superior office per report key (report.h): a report's version
 * grows per key, whatever made it (a publication, an amendment, a leave's change), so that the
 * superior keeps the newest by comparing numbers. Written in the request's transaction, so a
 * rolled-back change leaves no trace here either. */

#include "store-internal.h"

const char store_migration_report[] =
        "CREATE TABLE report_version ("
        "        key TEXT PRIMARY KEY,"
        "        version INTEGER NOT NULL CHECK (version >= 1)"
        ");";

static const char sql_report_get[] = "SELECT version FROM report_version WHERE key = ?1";
static const char sql_report_set[] =
        "INSERT INTO report_version (key, version) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET version = excluded.version";

int store_report_version_next(Store *s, const char *key, int at_least, int *ret) {
        _cleanup_reset_ sqlite3_stmt *get = NULL, *set = NULL;
        int r, last = 0, next;

        if (!s || !key || !ret || at_least < 1)
                return -EINVAL;

        r = store_prepare_cached(s, sql_report_get, &get);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(get, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(get);
        if (r >= 0)
                r = store_column_int(get, 0, &last);
        else if (r == -ENOENT)
                r = 0;
        if (r < 0)
                return r;
        if (last >= INT32_MAX)
                return -EOVERFLOW;
        next = last + 1 > at_least ? last + 1 : at_least;

        r = store_prepare_cached(s, sql_report_set, &set);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(set, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(set, 2, next) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(set);
        if (r < 0)
                return r;
        *ret = next;
        return 0;
}
