/* SPDX-License-Identifier: GPL-2.0-or-later */

/* What an aggregator (the superior duty office) knows of its offices: the latest version of each
 * report, their open gaps, how far each office's journal files were read, and which notice
 * deadlines were told. A cursor is written in the transaction of the state its entries produced,
 * so a crash repeats nothing and loses nothing. */

#include <stdlib.h>

#include "offices.h"
#include "store-internal.h"

const char store_migration_offices[] =
        "CREATE TABLE office_cursor ("
        "        office TEXT PRIMARY KEY,"
        "        cursor TEXT NOT NULL"
        ");"
        "CREATE TABLE office_report ("
        "        office TEXT NOT NULL,"
        "        kind TEXT NOT NULL,"
        "        key TEXT NOT NULL,"
        "        version INTEGER NOT NULL CHECK (version > 0),"
        "        state TEXT NOT NULL,"
        "        from_day INTEGER NOT NULL,"
        "        to_day INTEGER NOT NULL,"
        "        written_usec INTEGER NOT NULL,"
        "        first_usec INTEGER NOT NULL,"
        "        payload TEXT NOT NULL,"
        "        person TEXT,"
        "        destination TEXT,"
        "        start_text TEXT,"
        "        end_text TEXT,"
        "        acting TEXT,"
        "        PRIMARY KEY (office, kind, key)"
        ");"
        "CREATE INDEX office_report_key ON office_report (kind, key);"
        "CREATE TABLE office_gap ("
        "        office TEXT NOT NULL,"
        "        gap TEXT NOT NULL,"
        "        PRIMARY KEY (office, gap)"
        ");"
        "CREATE TABLE notice_alert ("
        "        key TEXT PRIMARY KEY,"
        "        alerted_usec INTEGER NOT NULL,"
        "        missing TEXT NOT NULL"
        ");";

static const char sql_cursor_get[] = "SELECT cursor FROM office_cursor WHERE office = ?1";
static const char sql_cursor_set[] =
        "INSERT INTO office_cursor (office, cursor) VALUES (?1, ?2) "
        "ON CONFLICT (office) DO UPDATE SET cursor = excluded.cursor";
/* Only a higher version replaces; the first written time stays the earliest seen. */
static const char sql_report_put[] =
        "INSERT INTO office_report (office, kind, key, version, state, from_day, to_day, written_usec, first_usec, payload, "
        "person, destination, start_text, end_text, acting) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        "ON CONFLICT (office, kind, key) DO UPDATE SET version = excluded.version, state = excluded.state, "
        "from_day = excluded.from_day, to_day = excluded.to_day, written_usec = excluded.written_usec, "
        "first_usec = min(office_report.first_usec, excluded.first_usec), payload = excluded.payload, "
        "person = excluded.person, destination = excluded.destination, start_text = excluded.start_text, "
        "end_text = excluded.end_text, acting = excluded.acting "
        "WHERE excluded.version > office_report.version";
#define REPORT_COLUMNS "office, kind, key, version, state, from_day, to_day, written_usec, first_usec, payload, " \
        "person, destination, start_text, end_text, acting"
/* Payloads (a holiday's people and phones, kilobytes) only when asked for, or for the rosters
 * covering day ?4: a list of 2,000 offices need not copy megabytes it does not show. With ?5 (a
 * day), only the away reports of leave still active then; with ?6 (a key), only that roster. */
static const char sql_report_list_all[] =
        "SELECT office, kind, key, version, state, from_day, to_day, written_usec, first_usec, "
        "CASE WHEN ?3 OR (kind = 'roster' AND from_day <= ?4 AND to_day >= ?4) THEN payload ELSE '' END, "
        "person, destination, start_text, end_text, acting "
        "FROM office_report WHERE (?1 IS NULL OR office = ?1) AND (?2 IS NULL OR kind = ?2) "
        "AND (?5 IS NULL OR kind <> 'away' OR (to_day >= ?5 AND state IN ('approved', 'changed'))) "
        "AND (?6 IS NULL OR kind <> 'roster' OR key = ?6) "
        "ORDER BY office, kind, from_day, key";
static const char sql_report_list_key[] =
        "SELECT " REPORT_COLUMNS " FROM office_report WHERE kind = ?1 AND key = ?2 ORDER BY office";
static const char sql_gap_open[] = "INSERT OR IGNORE INTO office_gap (office, gap) VALUES (?1, ?2)";
static const char sql_gap_close[] = "DELETE FROM office_gap WHERE office = ?1 AND gap = ?2";
static const char sql_gap_counts[] = "SELECT office, count(*) FROM office_gap GROUP BY office ORDER BY office";
static const char sql_alert_get[] = "SELECT alerted_usec FROM notice_alert WHERE key = ?1";
static const char sql_alert_set[] =
        "INSERT OR REPLACE INTO notice_alert (key, alerted_usec, missing) VALUES (?1, ?2, ?3)";

int store_office_cursor_get(Store *s, const char *office, char **ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !office || !ret)
                return -EINVAL;
        r = store_prepare_cached(s, sql_cursor_get, &st);
        if (r < 0)
                return r;
        return store_text_by_key(s, st, office, ret);
}

int store_office_cursor_set(Store *s, const char *office, const char *cursor) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !office || !cursor)
                return -EINVAL;
        r = store_prepare_cached(s, sql_cursor_set, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, cursor, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_done(st);
}

int store_office_report_put(Store *s, const OfficeReport *rep) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const char *kind;
        int r;

        if (!s || !rep || !rep->office || !rep->key || !rep->state || !rep->payload ||
            !(kind = report_kind_to_string(rep->kind)) || rep->written_usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_report_put, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, rep->office, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, rep->key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, rep->version) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, rep->state, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 6, rep->from) != SQLITE_OK ||
            store_bind_day(st, 7, rep->to) != SQLITE_OK ||
            sqlite3_bind_int64(st, 8, (int64_t) rep->written_usec) != SQLITE_OK ||
            sqlite3_bind_text(st, 9, rep->payload, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 10, rep->person) != SQLITE_OK ||
            store_bind_text_or_null(st, 11, rep->destination) != SQLITE_OK ||
            store_bind_text_or_null(st, 12, rep->start) != SQLITE_OK ||
            store_bind_text_or_null(st, 13, rep->end) != SQLITE_OK ||
            store_bind_text_or_null(st, 14, rep->acting) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0;
}

static int report_decode(sqlite3_stmt *st, OfficeReport *ret) {
        _cleanup_free_ char *kind = NULL;
        OfficeReport x = {};
        int r;

        r = store_column_strdup(st, 0, false, &x.office);
        if (r >= 0)
                r = store_column_strdup(st, 1, false, &kind);
        if (r >= 0)
                r = store_column_strdup(st, 2, false, &x.key);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &x.state);
        if (r >= 0)
                r = store_column_day(st, 5, &x.from);
        if (r >= 0)
                r = store_column_day(st, 6, &x.to);
        if (r >= 0)
                r = store_column_strdup(st, 9, false, &x.payload);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &x.person);
        if (r >= 0)
                r = store_column_strdup(st, 11, true, &x.destination);
        if (r >= 0)
                r = store_column_strdup(st, 12, true, &x.start);
        if (r >= 0)
                r = store_column_strdup(st, 13, true, &x.end);
        if (r >= 0)
                r = store_column_strdup(st, 14, true, &x.acting);
        if (r >= 0) {
                x.kind = report_kind_from_string(kind);
                x.version = sqlite3_column_int64(st, 3);
                if (x.kind < 0 || sqlite3_column_int64(st, 7) < 0 || sqlite3_column_int64(st, 8) < 0)
                        r = -EBADMSG;
                x.written_usec = (uint64_t) sqlite3_column_int64(st, 7);
                x.first_usec = (uint64_t) sqlite3_column_int64(st, 8);
        }
        if (r < 0) {
                office_report_done(&x);
                return r;
        }
        *ret = x;
        return 0;
}

STORE_DEFINE_DECODE(report_decode, OfficeReport);
STORE_DEFINE_DONE(office_report_done, OfficeReport);

static int report_collect(sqlite3_stmt *st, OfficeReport **ret, size_t *ret_n) {
        return store_list(st, report_decode_any, office_report_done_any, NULL, sizeof(**ret), 0, (void **) ret, ret_n);
}

int store_office_report_list(Store *s, const char *office, int kind, bool payloads, Day payload_day,
                             Day active_day, const char *roster_key, OfficeReport **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n)
                return -EINVAL;
        r = store_prepare_cached(s, sql_report_list_all, &st);
        if (r < 0)
                return r;
        if (store_bind_text_or_null(st, 1, office) != SQLITE_OK ||
            store_bind_text_or_null(st, 2, kind >= 0 ? report_kind_to_string((ReportKind) kind) : NULL) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, payloads) != SQLITE_OK ||
            store_bind_day(st, 4, payload_day) != SQLITE_OK ||
            (active_day != DAY_NONE ? store_bind_day(st, 5, active_day) : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, roster_key) != SQLITE_OK)
                return store_errno_last(s);
        return report_collect(st, ret, ret_n);
}

int store_office_report_list_key(Store *s, int kind, const char *key, OfficeReport **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const char *k = report_kind_to_string((ReportKind) kind);
        int r;

        if (!s || !key || !k || !ret || !ret_n)
                return -EINVAL;
        r = store_prepare_cached(s, sql_report_list_key, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        return report_collect(st, ret, ret_n);
}

int store_office_gap_set(Store *s, const char *office, const char *gap, bool open) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !office || !gap)
                return -EINVAL;
        r = store_prepare_cached(s, open ? sql_gap_open : sql_gap_close, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, gap, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_done(st);
}

void store_office_counts_free(StoreOfficeCount *c, size_t n) {
        for (size_t i = 0; c && i < n; i++)
                free(c[i].office);
        free(c);
}

static int office_count_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreOfficeCount *c = elem;

        (void) userdata;
        c->count = (unsigned) sqlite3_column_int(st, 1);
        return store_column_strdup(st, 0, false, &c->office);
}

static void office_count_done(void *elem) {
        free(((StoreOfficeCount *) elem)->office);
}

int store_office_gap_counts(Store *s, StoreOfficeCount **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n)
                return -EINVAL;
        r = store_prepare_cached(s, sql_gap_counts, &st);
        if (r < 0)
                return r;
        return store_list(st, office_count_decode, office_count_done, NULL, sizeof(**ret), 0, (void **) ret, ret_n);
}

int store_notice_alert_get(Store *s, const char *key, uint64_t *ret_usec) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !key)
                return -EINVAL;
        r = store_prepare_cached(s, sql_alert_get, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r < 0)
                return r;
        if (ret_usec)
                *ret_usec = (uint64_t) sqlite3_column_int64(st, 0);
        return 0;
}

int store_notice_alert_set(Store *s, const char *key, uint64_t usec, const char *missing) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !key || !missing || usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_alert_set, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) usec) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, missing, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_done(st);
}
