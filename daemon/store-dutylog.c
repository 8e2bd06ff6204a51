/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The duty log (值班记录): one row per entry. Rows are only ever inserted, and an open item is
 * closed once; corrections and follow-ups are rows of their own pointing at the entry. */

#include "dutylog.h"
#include "store-internal.h"

/* IF NOT EXISTS: a database rewound to an older schema version (as the store tests do) still has
 * the table. */
const char store_migration_duty_log[] =
        "CREATE TABLE IF NOT EXISTS duty_log ("
        "        id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "        day INTEGER NOT NULL,"
        "        at_usec INTEGER NOT NULL,"
        "        created_usec INTEGER NOT NULL,"
        "        kind TEXT NOT NULL,"
        "        source TEXT,"
        "        phone TEXT,"
        "        matter TEXT NOT NULL,"
        "        measures TEXT,"
        "        informed TEXT,"
        "        recorded_by TEXT,"
        "        uid INTEGER NOT NULL,"
        "        open INTEGER NOT NULL DEFAULT 0,"
        "        corrects INTEGER REFERENCES duty_log (id),"
        "        follows INTEGER REFERENCES duty_log (id),"
        "        closed_usec INTEGER,"
        "        closed_day INTEGER,"
        "        closed_by TEXT,"
        "        closed_note TEXT,"
        "        phone_due INTEGER,"
        "        phone_sent INTEGER,"
        "        phone_to TEXT,"
        "        phone_alerted INTEGER,"
        "        written_due INTEGER,"
        "        written_sent INTEGER,"
        "        written_to TEXT,"
        "        written_alerted INTEGER"
        ");"
        "CREATE INDEX IF NOT EXISTS duty_log_day ON duty_log (day, at_usec);"
        "CREATE INDEX IF NOT EXISTS duty_log_open ON duty_log (open, closed_usec);"
        "CREATE INDEX IF NOT EXISTS duty_log_corrects ON duty_log (corrects);"
        "CREATE INDEX IF NOT EXISTS duty_log_follows ON duty_log (follows);"
        "CREATE INDEX IF NOT EXISTS duty_log_reports ON duty_log (phone_sent, written_sent) "
        "        WHERE phone_due IS NOT NULL OR written_due IS NOT NULL;"
        "CREATE TABLE IF NOT EXISTS daily_report ("
        "        day INTEGER PRIMARY KEY,"
        "        sent_usec INTEGER,"
        "        sent_by TEXT,"
        "        uid INTEGER,"
        "        to_whom TEXT,"
        "        text TEXT,"
        "        alerted_usec INTEGER"
        ");";

/* The migration to schema 13: follow-up reports (续报) of an emergency. */
const char store_migration_duty_log_followup[] =
        "ALTER TABLE duty_log ADD COLUMN followup_minutes INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE duty_log ADD COLUMN followup_sent INTEGER;"
        "ALTER TABLE duty_log ADD COLUMN followup_to TEXT;"
        "ALTER TABLE duty_log ADD COLUMN followup_alerted INTEGER;"
        "ALTER TABLE duty_log ADD COLUMN followup_count INTEGER NOT NULL DEFAULT 0;";

/* When the next follow-up is due: followup_minutes after the written report or the last follow-up,
 * while the entry is open; NULL when none is owed. */
#define FOLLOWUP_DUE \
        "(CASE WHEN followup_minutes > 0 AND open = 1 AND closed_usec IS NULL AND written_sent IS NOT NULL " \
        "      THEN max(written_sent, coalesce(followup_sent, 0)) + followup_minutes * 60000000 END)"

#define DUTY_LOG_COLUMNS \
        "id, day, at_usec, created_usec, kind, source, phone, matter, measures, informed, recorded_by, " \
        "uid, open, corrects, follows, closed_usec, closed_day, closed_by, closed_note, " \
        "(SELECT max(c.id) FROM duty_log c WHERE c.corrects = duty_log.id), " \
        "phone_due, phone_sent, phone_to, phone_alerted, written_due, written_sent, written_to, written_alerted, " \
        FOLLOWUP_DUE ", followup_sent, followup_to, followup_alerted, followup_minutes, followup_count "

static const char sql_duty_log_insert[] =
        "INSERT INTO duty_log (day, at_usec, created_usec, kind, source, phone, matter, measures, informed, "
        "                      recorded_by, uid, open, corrects, follows, phone_due, written_due, followup_minutes) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char sql_duty_log_get[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log WHERE id = ?1";
/* An open item shows in every later day's log until the day it is closed, that one included. */
static const char sql_duty_log_list[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log "
        "WHERE day = ?1 "
        "   OR (day < ?1 AND open = 1 AND (closed_day IS NULL OR closed_day >= ?1)) "
        "ORDER BY at_usec, id LIMIT ?2";
static const char sql_duty_log_related[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log WHERE corrects = ?1 OR follows = ?1 ORDER BY at_usec, id LIMIT ?2";
static const char sql_duty_log_close[] =
        "UPDATE duty_log SET closed_usec = ?2, closed_day = ?3, closed_by = ?4, closed_note = ?5 "
        "WHERE id = ?1 AND open = 1 AND closed_usec IS NULL";
static const char sql_duty_log_exists[] = "SELECT 1 FROM duty_log WHERE id = ?1";
/* Column names cannot be bound: one statement per report. */
static const char *const sql_duty_log_report[_DUTYLOG_REPORT_MAX] = {
        [DUTYLOG_REPORT_PHONE] =
                "UPDATE duty_log SET phone_sent = ?2, phone_to = ?3 "
                "WHERE id = ?1 AND phone_due IS NOT NULL AND phone_sent IS NULL",
        [DUTYLOG_REPORT_WRITTEN] =
                "UPDATE duty_log SET written_sent = ?2, written_to = ?3 "
                "WHERE id = ?1 AND written_due IS NOT NULL AND written_sent IS NULL",
        /* Any number of them, while the emergency is open. */
        [DUTYLOG_REPORT_FOLLOWUP] =
                "UPDATE duty_log SET followup_sent = ?2, followup_to = ?3, followup_count = followup_count + 1 "
                "WHERE id = ?1 AND written_due IS NOT NULL AND open = 1 AND closed_usec IS NULL",
};
static const char *const sql_duty_log_report_owed[_DUTYLOG_REPORT_MAX] = {
        [DUTYLOG_REPORT_PHONE] = "SELECT phone_due IS NOT NULL FROM duty_log WHERE id = ?1",
        [DUTYLOG_REPORT_WRITTEN] = "SELECT written_due IS NOT NULL FROM duty_log WHERE id = ?1",
        /* Never "recorded already": -ENOMSG when not (or no longer) owed. */
        [DUTYLOG_REPORT_FOLLOWUP] = "SELECT 0 FROM duty_log WHERE id = ?1",
};
static const char *const sql_duty_log_report_alerted[_DUTYLOG_REPORT_MAX] = {
        [DUTYLOG_REPORT_PHONE] = "UPDATE duty_log SET phone_alerted = ?2 WHERE id = ?1",
        [DUTYLOG_REPORT_WRITTEN] = "UPDATE duty_log SET written_alerted = ?2 WHERE id = ?1",
        [DUTYLOG_REPORT_FOLLOWUP] = "UPDATE duty_log SET followup_alerted = ?2 WHERE id = ?1",
};
static const char sql_duty_log_overdue[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log "
        "WHERE (phone_due <= ?1 AND phone_sent IS NULL AND phone_alerted IS NULL) "
        "   OR (written_due <= ?1 AND written_sent IS NULL AND written_alerted IS NULL) "
        "   OR (" FOLLOWUP_DUE " <= ?1 AND (followup_alerted IS NULL OR followup_alerted < " FOLLOWUP_DUE ")) "
        "ORDER BY id LIMIT ?2";

/* Told or not: the gap monitor lists them until they are sent. */
static const char sql_duty_log_unsent[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log "
        "WHERE (phone_due <= ?1 AND phone_sent IS NULL) OR (written_due <= ?1 AND written_sent IS NULL) "
        "   OR " FOLLOWUP_DUE " <= ?1 "
        "ORDER BY id LIMIT ?2";

void store_duty_log_done(StoreDutyLog *e) {
        if (!e)
                return;
        free(e->kind);
        free(e->source);
        free(e->phone);
        free(e->matter);
        free(e->measures);
        free(e->informed);
        free(e->recorded_by);
        free(e->closed_by);
        free(e->closed_note);
        for (size_t i = 0; i < _DUTYLOG_REPORT_MAX; i++)
                free(e->report_to[i]);
        *e = (StoreDutyLog) {};
}

StoreDutyLog *store_duty_log_free_many(StoreDutyLog *e, size_t n) {
        for (size_t i = 0; e && i < n; i++)
                store_duty_log_done(&e[i]);
        free(e);
        return NULL;
}

int store_duty_log_insert(Store *s, const StoreDutyLog *e, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !e || !e->kind || !e->matter || e->at_usec > INT64_MAX || e->created_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_duty_log_insert, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, e->day) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) e->at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) e->created_usec) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, e->kind, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, e->source) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, e->phone) != SQLITE_OK ||
            sqlite3_bind_text(st, 7, e->matter, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, e->measures) != SQLITE_OK ||
            store_bind_text_or_null(st, 9, e->informed) != SQLITE_OK ||
            store_bind_text_or_null(st, 10, e->recorded_by) != SQLITE_OK ||
            sqlite3_bind_int64(st, 11, (int64_t) e->uid) != SQLITE_OK ||
            sqlite3_bind_int(st, 12, e->open) != SQLITE_OK ||
            store_bind_int64_or_null(st, 13, e->corrects, e->corrects <= 0) != SQLITE_OK ||
            store_bind_int64_or_null(st, 14, e->follows, e->follows <= 0) != SQLITE_OK ||
            store_bind_usec_or_null(st, 15, e->report_due_usec[DUTYLOG_REPORT_PHONE]) != SQLITE_OK ||
            store_bind_usec_or_null(st, 16, e->report_due_usec[DUTYLOG_REPORT_WRITTEN]) != SQLITE_OK ||
            sqlite3_bind_int64(st, 17, (int64_t) e->followup_minutes) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

static int duty_log_read(sqlite3_stmt *st, StoreDutyLog *e) {
        int r;

        *e = (StoreDutyLog) { .closed_day = DAY_NONE };
        e->id = sqlite3_column_int64(st, 0);
        r = store_column_day(st, 1, &e->day);
        e->at_usec = (uint64_t) sqlite3_column_int64(st, 2);
        e->created_usec = (uint64_t) sqlite3_column_int64(st, 3);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &e->kind);
        if (r >= 0)
                r = store_column_strdup(st, 5, true, &e->source);
        if (r >= 0)
                r = store_column_strdup(st, 6, true, &e->phone);
        if (r >= 0)
                r = store_column_strdup(st, 7, false, &e->matter);
        if (r >= 0)
                r = store_column_strdup(st, 8, true, &e->measures);
        if (r >= 0)
                r = store_column_strdup(st, 9, true, &e->informed);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &e->recorded_by);
        e->uid = (uid_t) sqlite3_column_int64(st, 11);
        e->open = sqlite3_column_int(st, 12) != 0;
        e->corrects = sqlite3_column_int64(st, 13);
        e->follows = sqlite3_column_int64(st, 14);
        e->closed_usec = (uint64_t) sqlite3_column_int64(st, 15);
        if (r >= 0 && sqlite3_column_type(st, 16) != SQLITE_NULL)
                r = store_column_day(st, 16, &e->closed_day);
        if (r >= 0)
                r = store_column_strdup(st, 17, true, &e->closed_by);
        if (r >= 0)
                r = store_column_strdup(st, 18, true, &e->closed_note);
        e->corrected_by = sqlite3_column_int64(st, 19);
        for (size_t i = 0; i < _DUTYLOG_REPORT_MAX; i++) {
                int col = 20 + (int) i * 4;

                e->report_due_usec[i] = (uint64_t) sqlite3_column_int64(st, col);
                e->report_sent_usec[i] = (uint64_t) sqlite3_column_int64(st, col + 1);
                if (r >= 0)
                        r = store_column_strdup(st, col + 2, true, &e->report_to[i]);
                e->report_alerted_usec[i] = (uint64_t) sqlite3_column_int64(st, col + 3);
        }
        e->followup_minutes = (unsigned) sqlite3_column_int64(st, 20 + _DUTYLOG_REPORT_MAX * 4);
        e->followup_count = (unsigned) sqlite3_column_int64(st, 21 + _DUTYLOG_REPORT_MAX * 4);
        if (r < 0)
                store_duty_log_done(e);
        return r;
}

STORE_DEFINE_DECODE(duty_log_read, StoreDutyLog)
STORE_DEFINE_DONE(store_duty_log_done, StoreDutyLog)

int store_duty_log_get(Store *s, int64_t id, StoreDutyLog *ret) {
        return store_get_by_id(s, sql_duty_log_get, id, duty_log_read_any, store_duty_log_done_any, sizeof(*ret), ret);
}

static int duty_log_query(Store *s, const char *sql, int64_t key, StoreDutyLog **ret, size_t *ret_n);

int store_duty_log_report(Store *s, int64_t id, DutyLogReport r, uint64_t sent_usec, const char *to) {
        _cleanup_reset_ sqlite3_stmt *st = NULL, *owed = NULL;
        int k;

        if (!s || r < 0 || r >= _DUTYLOG_REPORT_MAX || sent_usec > INT64_MAX)
                return -EINVAL;

        k = store_prepare_cached(s, sql_duty_log_report[r], &st);
        if (k < 0)
                return k;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) sent_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 3, to) != SQLITE_OK)
                return store_errno_last(s);
        k = store_step_changes(s, st);
        if (k != 0)
                return k < 0 ? k : 0;

        k = store_prepare_cached(s, sql_duty_log_report_owed[r], &owed);
        if (k < 0)
                return k;
        if (sqlite3_bind_int64(owed, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        k = store_step_row(owed);
        if (k < 0)
                return k;
        return sqlite3_column_int(owed, 0) ? -EALREADY : -ENOMSG;
}

int store_duty_log_overdue(Store *s, uint64_t now_usec, StoreDutyLog **ret, size_t *ret_n) {
        if (!s || !ret || !ret_n || now_usec > INT64_MAX)
                return -EINVAL;
        return duty_log_query(s, sql_duty_log_overdue, (int64_t) now_usec, ret, ret_n);
}

int store_duty_log_unsent(Store *s, uint64_t now_usec, StoreDutyLog **ret, size_t *ret_n) {
        if (!s || !ret || !ret_n || now_usec > INT64_MAX)
                return -EINVAL;
        return duty_log_query(s, sql_duty_log_unsent, (int64_t) now_usec, ret, ret_n);
}

int store_duty_log_report_alerted(Store *s, int64_t id, DutyLogReport r, uint64_t usec) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int k;

        if (!s || r < 0 || r >= _DUTYLOG_REPORT_MAX || usec > INT64_MAX)
                return -EINVAL;
        k = store_prepare_cached(s, sql_duty_log_report_alerted[r], &st);
        if (k < 0)
                return k;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) usec) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_done(st);
}

static int duty_log_query(Store *s, const char *sql, int64_t key, StoreDutyLog **ret, size_t *ret_n) {
        return store_list_by(s, sql, (const int64_t[]) { key, DUTYLOG_LIST_MAX }, 2, duty_log_read_any,
                             store_duty_log_done_any, sizeof(**ret), (void **) ret, ret_n);
}

int store_duty_log_list(Store *s, Day day, StoreDutyLog **ret, size_t *ret_n) {
        if (!s || !ret || !ret_n)
                return -EINVAL;
        return duty_log_query(s, sql_duty_log_list, (int64_t) day, ret, ret_n);
}

int store_duty_log_related(Store *s, int64_t id, StoreDutyLog **ret, size_t *ret_n) {
        if (!s || !ret || !ret_n)
                return -EINVAL;
        return duty_log_query(s, sql_duty_log_related, id, ret, ret_n);
}

int store_duty_log_close(Store *s, int64_t id, uint64_t at_usec, Day day, const char *by, const char *note) {
        _cleanup_reset_ sqlite3_stmt *st = NULL, *ex = NULL;
        int r;

        if (!s || at_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_duty_log_close, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) at_usec) != SQLITE_OK ||
            store_bind_day(st, 3, day) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, by) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, note) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_changes(s, st);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_prepare_cached(s, sql_duty_log_exists, &ex);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(ex, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(ex);
        return r < 0 ? r : -EALREADY;
}

/* ---- The daily report ---- */

static const char sql_daily_get[] =
        "SELECT day, sent_usec, sent_by, to_whom, text, alerted_usec FROM daily_report WHERE day = ?1";
static const char sql_daily_send[] =
        "INSERT INTO daily_report (day, sent_usec, sent_by, uid, to_whom, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (day) DO UPDATE SET sent_usec = excluded.sent_usec, sent_by = excluded.sent_by, "
        "uid = excluded.uid, to_whom = excluded.to_whom, text = excluded.text WHERE sent_usec IS NULL";
static const char sql_daily_alerted[] =
        "INSERT INTO daily_report (day, alerted_usec) VALUES (?1, ?2) "
        "ON CONFLICT (day) DO UPDATE SET alerted_usec = excluded.alerted_usec";

void store_daily_report_done(StoreDailyReport *r) {
        if (!r)
                return;
        free(r->sent_by);
        free(r->to);
        free(r->text);
        *r = (StoreDailyReport) {};
}

int store_daily_report_get(Store *s, Day day, StoreDailyReport *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreDailyReport d = {};
        int r;

        if (!s || !ret)
                return -EINVAL;
        r = store_prepare_cached(s, sql_daily_get, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r < 0)
                return r;
        d.day = day;
        d.sent_usec = (uint64_t) sqlite3_column_int64(st, 1);
        d.alerted_usec = (uint64_t) sqlite3_column_int64(st, 5);
        r = store_column_strdup(st, 2, true, &d.sent_by);
        if (r >= 0)
                r = store_column_strdup(st, 3, true, &d.to);
        if (r >= 0)
                r = store_column_strdup(st, 4, true, &d.text);
        if (r < 0) {
                store_daily_report_done(&d);
                return r;
        }
        *ret = d;
        return 0;
}

int store_daily_report_send(Store *s, Day day, uint64_t sent_usec, const char *by, uid_t uid, const char *to,
                            const char *text) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || sent_usec == 0 || sent_usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_daily_send, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (int64_t) sent_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 3, by) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, (int64_t) uid) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, to) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, text) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -EALREADY;
}

int store_daily_report_alerted(Store *s, Day day, uint64_t usec) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_daily_alerted, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK || sqlite3_bind_int64(st, 2, (int64_t) usec) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_done(st);
}

/* The open items written in duty day `day` or before and not closed yet: what that day's duty
 * passes on at the handover. Closing is a stamp on the row, so "not closed yet" is now, not as of
 * `day`: a handover looks at the items as they stand when it is signed. */
static const char sql_duty_log_open[] =
        "SELECT " DUTY_LOG_COLUMNS "FROM duty_log "
        "WHERE open = 1 AND closed_usec IS NULL AND day <= ?1 "
        "ORDER BY at_usec, id LIMIT ?2";

int store_duty_log_open(Store *s, Day day, StoreDutyLog **ret, size_t *ret_n) {
        if (!s || !ret || !ret_n)
                return -EINVAL;
        return duty_log_query(s, sql_duty_log_open, (int64_t) day, ret, ret_n);
}
