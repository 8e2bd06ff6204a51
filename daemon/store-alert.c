/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The gap monitor's memory of what it already told the journal, so that a restart does not repeat
 * alerts. */

#include "store-internal.h"

/* One row per open gap: the urgency last announced and what its "resolved" entry will need once the
 * gap is gone (the gap itself is not there any more to ask). A row is deleted when its "resolved"
 * entry has been written. */
const char store_migration_alert[] =
        "CREATE TABLE alert_state ("
        "        gap_id TEXT PRIMARY KEY,"
        "        kind TEXT NOT NULL,"
        "        urgency INTEGER NOT NULL,"
        "        day INTEGER,"
        "        post TEXT,"
        "        slot INTEGER,"
        "        people TEXT,"
        "        rule TEXT,"
        "        leave_id INTEGER,"
        "        swap_id INTEGER,"
        "        message TEXT,"
        "        first_usec INTEGER NOT NULL,"
        "        last_usec INTEGER NOT NULL"
        ");";

static const char sql_alert_list[] =
        "SELECT gap_id, kind, urgency, day, post, slot, people, rule, leave_id, swap_id, message, "
        "       first_usec, last_usec, step "
        "FROM alert_state ORDER BY gap_id";
static const char sql_alert_put[] =
        "INSERT INTO alert_state (gap_id, kind, urgency, day, post, slot, people, rule, leave_id, swap_id, "
        "                         message, first_usec, last_usec, step) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        "ON CONFLICT (gap_id) DO UPDATE SET kind = excluded.kind, urgency = excluded.urgency, "
        "day = excluded.day, post = excluded.post, slot = excluded.slot, people = excluded.people, "
        "rule = excluded.rule, leave_id = excluded.leave_id, swap_id = excluded.swap_id, "
        "message = excluded.message, first_usec = excluded.first_usec, last_usec = excluded.last_usec, "
        "step = excluded.step";
static const char sql_alert_remove[] = "DELETE FROM alert_state WHERE gap_id = ?1";

void store_alert_state_done(StoreAlertState *a) {
        if (!a)
                return;
        free(a->gap_id);
        free(a->kind);
        free(a->post);
        free(a->people);
        free(a->rule);
        free(a->message);
        *a = (StoreAlertState) {};
}

StoreAlertState *store_alert_state_free_many(StoreAlertState *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_alert_state_done(&a[i]);
        free(a);
        return NULL;
}
STORE_DEFINE_DONE(store_alert_state_done, StoreAlertState)

static int store_alert_state_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreAlertState *e = elem;
        int r;

        e->day = DAY_NONE;
        e->slot = -1;
        r = store_column_strdup(st, 0, false, &e->gap_id);
        if (r >= 0)
                r = store_column_strdup(st, 1, false, &e->kind);
        if (r >= 0)
                r = store_column_int(st, 2, &e->urgency);
        if (r >= 0 && sqlite3_column_type(st, 3) != SQLITE_NULL)
                r = store_column_day(st, 3, &e->day);
        if (r >= 0)
                r = store_column_strdup(st, 4, true, &e->post);
        if (r >= 0 && sqlite3_column_type(st, 5) != SQLITE_NULL)
                r = store_column_int(st, 5, &e->slot);
        if (r >= 0)
                r = store_column_strdup(st, 6, true, &e->people);
        if (r >= 0)
                r = store_column_strdup(st, 7, true, &e->rule);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &e->message);
        if (r < 0)
                return r;
        e->leave_id = sqlite3_column_int64(st, 8);
        e->swap_id = sqlite3_column_int64(st, 9);
        e->first_usec = (uint64_t) sqlite3_column_int64(st, 11);
        e->last_usec = (uint64_t) sqlite3_column_int64(st, 12);
        e->step = sqlite3_column_int(st, 13);
        return 0;
}

int store_alert_state_list(Store *s, StoreAlertState **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_alert_list, &st);
        if (r < 0)
                return r;

        return store_list(st, store_alert_state_decode, store_alert_state_done_any, NULL, sizeof(**ret), 0,
                          (void **) ret, ret_n);
}

int store_alert_state_put(Store *s, const StoreAlertState *a) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !a || isempty(a->gap_id) || isempty(a->kind) || a->first_usec > INT64_MAX ||
            a->last_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_alert_put, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, a->gap_id, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, a->kind, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, a->urgency) != SQLITE_OK ||
            store_bind_int64_or_null(st, 4, a->day, a->day == DAY_NONE) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, a->post) != SQLITE_OK ||
            store_bind_int64_or_null(st, 6, a->slot, a->slot < 0) != SQLITE_OK ||
            store_bind_text_or_null(st, 7, a->people) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, a->rule) != SQLITE_OK ||
            store_bind_int64_or_null(st, 9, a->leave_id, a->leave_id == 0) != SQLITE_OK ||
            store_bind_int64_or_null(st, 10, a->swap_id, a->swap_id == 0) != SQLITE_OK ||
            store_bind_text_or_null(st, 11, a->message) != SQLITE_OK ||
            sqlite3_bind_int64(st, 12, (int64_t) a->first_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 13, (int64_t) a->last_usec) != SQLITE_OK ||
            sqlite3_bind_int(st, 14, a->step) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_done(st);
}

int store_alert_state_remove(Store *s, const char *gap_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || isempty(gap_id))
                return -EINVAL;

        r = store_prepare_cached(s, sql_alert_remove, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, gap_id, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}
