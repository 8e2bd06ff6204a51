/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Spot checks (查岗) of the duty room. Records are added, never changed nor removed: the circular
 * quotes them as they were recorded. */

#include "check.h"
#include "store-internal.h"

const char store_migration_check[] =
        "CREATE TABLE spot_check ("
        "        id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "        day INTEGER NOT NULL,"
        "        minutes INTEGER NOT NULL CHECK (minutes >= 0 AND minutes < 1440),"
        "        duty_day INTEGER NOT NULL,"
        "        target TEXT NOT NULL,"
        "        person TEXT,"
        "        how TEXT NOT NULL,"
        "        answered INTEGER NOT NULL CHECK (answered IN (0, 1)),"
        "        seconds INTEGER CHECK (seconds IS NULL OR seconds >= 0),"
        "        remarks TEXT,"
        "        recorded_by TEXT,"
        "        recorded_usec INTEGER NOT NULL"
        ");"
        "CREATE INDEX spot_check_duty_day ON spot_check (duty_day, day, minutes);";

#define CHECK_COLUMNS \
        "id, day, minutes, duty_day, target, person, how, answered, seconds, remarks, recorded_by, recorded_usec"

static const char sql_check_insert[] =
        "INSERT INTO spot_check (day, minutes, duty_day, target, person, how, answered, seconds, remarks, "
        "recorded_by, recorded_usec) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_check_get[] = "SELECT " CHECK_COLUMNS " FROM spot_check WHERE id = ?1";
static const char sql_check_list[] =
        "SELECT " CHECK_COLUMNS " FROM spot_check WHERE duty_day >= ?1 AND duty_day <= ?2 "
        "ORDER BY day, minutes, id";

static int store_check_decode(sqlite3_stmt *st, SpotCheck *ret) {
        _cleanup_free_ char *target = NULL, *how = NULL;
        int64_t usec;
        int r;

        ret->id = sqlite3_column_int64(st, 0);
        ret->seconds = -1;
        r = store_column_day(st, 1, &ret->day);
        if (r >= 0)
                r = store_column_int(st, 2, &ret->minutes);
        if (r >= 0)
                r = store_column_day(st, 3, &ret->duty_day);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &target);
        if (r >= 0)
                r = store_column_strdup(st, 5, true, &ret->person);
        if (r >= 0)
                r = store_column_strdup(st, 6, false, &how);
        if (r >= 0)
                ret->answered = sqlite3_column_int(st, 7) != 0;
        if (r >= 0 && sqlite3_column_type(st, 8) != SQLITE_NULL)
                r = store_column_int(st, 8, &ret->seconds);
        if (r >= 0)
                r = store_column_strdup(st, 9, true, &ret->remarks);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &ret->recorded_by);
        if (r < 0)
                return r;
        usec = sqlite3_column_int64(st, 11);
        if (usec < 0)
                return -EBADMSG;
        ret->recorded_usec = (uint64_t) usec;

        ret->target = check_target_from_string(target);
        ret->how = check_how_from_string(how);
        if (ret->target < 0 || ret->how < 0 || ret->minutes < 0 || ret->minutes >= 24 * 60)
                return -EBADMSG;
        return 0;
}

int store_check_insert(Store *s, const SpotCheck *c, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !c || c->target < 0 || c->target >= _CHECK_TARGET_MAX || c->how < 0 || c->how >= _CHECK_HOW_MAX ||
            c->minutes < 0 || c->minutes >= 24 * 60 || c->recorded_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_check_insert, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, c->day) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, c->minutes) != SQLITE_OK ||
            store_bind_day(st, 3, c->duty_day) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, check_target_to_string(c->target), -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, c->person) != SQLITE_OK ||
            sqlite3_bind_text(st, 6, check_how_to_string(c->how), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 7, c->answered) != SQLITE_OK ||
            (c->seconds >= 0 ? sqlite3_bind_int(st, 8, c->seconds) : sqlite3_bind_null(st, 8)) != SQLITE_OK ||
            store_bind_text_or_null(st, 9, c->remarks) != SQLITE_OK ||
            store_bind_text_or_null(st, 10, c->recorded_by) != SQLITE_OK ||
            sqlite3_bind_int64(st, 11, (int64_t) c->recorded_usec) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

int store_check_get(Store *s, int64_t id, SpotCheck *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        SpotCheck c = {};
        int r;

        if (!s || !ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql_check_get, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r < 0)
                return r;
        r = store_check_decode(st, &c);
        if (r < 0) {
                spot_check_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}

int store_check_list(Store *s, Day from, Day to, SpotCheck **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        SpotCheck *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (!s || !ret || !ret_n || from > to)
                return -EINVAL;

        r = store_prepare_cached(s, sql_check_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK || store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                SpotCheck c = {};

                r = store_check_decode(st, &c);
                if (r >= 0)
                        r = store_grow((void **) &a, &allocated, n + 1, sizeof(*a));
                if (r < 0) {
                        spot_check_done(&c);
                        spot_check_free_many(a, n);
                        return r;
                }
                a[n++] = c;
        }
        if (rc != SQLITE_DONE) {
                spot_check_free_many(a, n);
                return store_errno(rc);
        }

        *ret = a;
        *ret_n = n;
        return 0;
}
