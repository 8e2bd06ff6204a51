/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Takeovers (接班) and handovers (交班): one row each, written once and never changed, as a duty book
 * is signed. */

#include "store-internal.h"

const char store_migration_handover[] =
        "CREATE TABLE handover ("
        "        id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "        day INTEGER NOT NULL,"
        "        post TEXT NOT NULL,"
        "        person TEXT NOT NULL,"
        "        action TEXT NOT NULL CHECK (action IN ('take', 'give')),"
        "        at_usec INTEGER NOT NULL,"
        "        late INTEGER NOT NULL DEFAULT 0,"
        "        note TEXT,"
        "        recorded_by TEXT,"
        "        UNIQUE (day, post, person, action)"
        ");"
        "CREATE INDEX handover_action ON handover (action, day);"
        "ALTER TABLE alert_state ADD COLUMN step INTEGER NOT NULL DEFAULT 0;";

static const char sql_handover_add[] =
        "INSERT INTO handover (day, post, person, action, at_usec, late, note, recorded_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char sql_handover_list[] =
        "SELECT id, day, post, person, action, at_usec, late, note, recorded_by FROM handover "
        "WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id";
static const char sql_handover_first_take[] =
        "SELECT MIN(day) FROM handover WHERE action = 'take'";

void store_handover_done(StoreHandover *h) {
        if (!h)
                return;
        free(h->post);
        free(h->person);
        free(h->note);
        free(h->recorded_by);
        *h = (StoreHandover) {};
}

StoreHandover *store_handover_free_many(StoreHandover *h, size_t n) {
        for (size_t i = 0; h && i < n; i++)
                store_handover_done(&h[i]);
        free(h);
        return NULL;
}
STORE_DEFINE_DONE(store_handover_done, StoreHandover)

int store_handover_add(Store *s, const StoreHandover *h, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const char *action;
        int r;

        if (!s || !h || h->day == DAY_NONE || isempty(h->post) || isempty(h->person) || h->at_usec > INT64_MAX)
                return -EINVAL;
        action = handover_action_to_string(h->action);
        if (!action)
                return -EINVAL;

        r = store_prepare_cached(s, sql_handover_add, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, h->day) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, h->post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, h->person, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 5, (int64_t) h->at_usec) != SQLITE_OK ||
            sqlite3_bind_int(st, 6, h->late) != SQLITE_OK ||
            store_bind_text_or_null(st, 7, h->note) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, h->recorded_by) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

static int store_handover_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        _cleanup_free_ char *action = NULL;
        StoreHandover *e = elem;
        int r;

        e->id = sqlite3_column_int64(st, 0);
        r = store_column_day(st, 1, &e->day);
        if (r >= 0)
                r = store_column_strdup(st, 2, false, &e->post);
        if (r >= 0)
                r = store_column_strdup(st, 3, false, &e->person);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &action);
        if (r >= 0)
                r = store_column_strdup(st, 7, true, &e->note);
        if (r >= 0)
                r = store_column_strdup(st, 8, true, &e->recorded_by);
        if (r < 0)
                return r;
        e->action = handover_action_from_string(action);
        if (e->action < 0)
                return -EBADMSG;
        e->at_usec = (uint64_t) sqlite3_column_int64(st, 5);
        e->late = sqlite3_column_int(st, 6) != 0;
        return 0;
}

int store_handover_list(Store *s, Day from, Day to, StoreHandover **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_handover_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_handover_decode, store_handover_done_any, NULL, sizeof(**ret), 0, (void **) ret,
                          ret_n);
}

int store_handover_first_take(Store *s, Day *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        if (!s || !ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql_handover_first_take, &st);
        if (r < 0)
                return r;
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
                return -ENOENT;
        return store_column_day(st, 0, ret);
}
