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
        "CREATE INDEX spot_check_duty_day ON spot_check (duty_day, day, minutes);"
        /* One row per window of a duty day once dutyd asked; its state moves from pending to
         * acknowledged or missed, once. */
        "CREATE TABLE presence_check ("
        "        id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "        duty_day INTEGER NOT NULL,"
        "        window INTEGER NOT NULL CHECK (window >= 0),"
        "        day INTEGER NOT NULL,"
        "        minutes INTEGER NOT NULL,"
        "        due_day INTEGER NOT NULL,"
        "        due_minutes INTEGER NOT NULL,"
        "        state TEXT NOT NULL,"
        "        acked_by TEXT,"
        "        acked_day INTEGER,"
        "        acked_minutes INTEGER,"
        "        UNIQUE (duty_day, window)"
        ");"
        "CREATE INDEX presence_check_state ON presence_check (state);";

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

STORE_DEFINE_DECODE(store_check_decode, SpotCheck)
STORE_DEFINE_DONE(spot_check_done, SpotCheck)

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
        return store_get_by_id(s, sql_check_get, id, store_check_decode_any, spot_check_done_any, sizeof(*ret), ret);
}

int store_check_list(Store *s, Day from, Day to, SpotCheck **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n || from > to)
                return -EINVAL;

        r = store_prepare_cached(s, sql_check_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK || store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_check_decode_any, spot_check_done_any, NULL, sizeof(**ret), 0, (void **) ret,
                          ret_n);
}

/* ---- Presence checks ---- */

#define PRESENCE_COLUMNS \
        "id, duty_day, window, day, minutes, due_day, due_minutes, state, acked_by, acked_day, acked_minutes"

static const char sql_presence_insert[] =
        "INSERT INTO presence_check (duty_day, window, day, minutes, due_day, due_minutes, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_presence_exists[] = "SELECT 1 FROM presence_check WHERE duty_day = ?1 AND window = ?2";
static const char sql_presence_pending[] =
        "SELECT " PRESENCE_COLUMNS " FROM presence_check WHERE state = 'pending' ORDER BY day, minutes, id";
static const char sql_presence_list[] =
        "SELECT " PRESENCE_COLUMNS " FROM presence_check WHERE duty_day >= ?1 AND duty_day <= ?2 "
        "ORDER BY day, minutes, id";
static const char sql_presence_settle[] =
        "UPDATE presence_check SET state = ?2, acked_by = ?3, acked_day = ?4, acked_minutes = ?5 "
        "WHERE id = ?1 AND state = 'pending'";

static int store_presence_decode(sqlite3_stmt *st, PresenceCheck *ret) {
        _cleanup_free_ char *state = NULL;
        int window = -1, r;

        ret->id = sqlite3_column_int64(st, 0);
        ret->acked_day = DAY_NONE;
        r = store_column_day(st, 1, &ret->duty_day);
        if (r >= 0)
                r = store_column_int(st, 2, &window);
        if (r >= 0)
                r = store_column_day(st, 3, &ret->day);
        if (r >= 0)
                r = store_column_int(st, 4, &ret->minutes);
        if (r >= 0)
                r = store_column_day(st, 5, &ret->due_day);
        if (r >= 0)
                r = store_column_int(st, 6, &ret->due_minutes);
        if (r >= 0)
                r = store_column_strdup(st, 7, false, &state);
        if (r >= 0)
                r = store_column_strdup(st, 8, true, &ret->acked_by);
        if (r >= 0 && sqlite3_column_type(st, 9) != SQLITE_NULL)
                r = store_column_day(st, 9, &ret->acked_day);
        if (r >= 0 && sqlite3_column_type(st, 10) != SQLITE_NULL)
                r = store_column_int(st, 10, &ret->acked_minutes);
        if (r < 0)
                return r;
        ret->window = (unsigned) window;
        ret->state = presence_state_from_string(state);
        return ret->state < 0 || window < 0 ? -EBADMSG : 0;
}

STORE_DEFINE_DECODE(store_presence_decode, PresenceCheck)
STORE_DEFINE_DONE(presence_check_done, PresenceCheck)

int store_presence_insert(Store *s, const PresenceCheck *p, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !p || p->state < 0 || p->state >= _PRESENCE_STATE_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_presence_insert, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, p->duty_day) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, (int) p->window) != SQLITE_OK ||
            store_bind_day(st, 3, p->day) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, p->minutes) != SQLITE_OK ||
            store_bind_day(st, 5, p->due_day) != SQLITE_OK ||
            sqlite3_bind_int(st, 6, p->due_minutes) != SQLITE_OK ||
            sqlite3_bind_text(st, 7, presence_state_to_string(p->state), -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);
        return store_step_insert(s, st, ret_id);
}

int store_presence_exists(Store *s, Day duty_day, unsigned window) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s)
                return -EINVAL;
        r = store_prepare_cached(s, sql_presence_exists, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, duty_day) != SQLITE_OK || sqlite3_bind_int(st, 2, (int) window) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_row(st);
        if (r == -ENOENT)
                return 0;
        return r < 0 ? r : 1;
}

int store_presence_pending(Store *s, PresenceCheck **ret, size_t *ret_n) {
        return store_list_by(s, sql_presence_pending, NULL, 0, store_presence_decode_any, presence_check_done_any,
                             sizeof(**ret), (void **) ret, ret_n);
}

int store_presence_list(Store *s, Day from, Day to, PresenceCheck **ret, size_t *ret_n) {
        if (from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;
        return store_list_by(s, sql_presence_list, (const int64_t[]) { from, to }, 2, store_presence_decode_any,
                             presence_check_done_any, sizeof(**ret), (void **) ret, ret_n);
}

int store_presence_settle(Store *s, int64_t id, PresenceState state, const char *acked_by, Day acked_day,
                          int acked_minutes) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || state == PRESENCE_STATE_PENDING || state < 0 || state >= _PRESENCE_STATE_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_presence_settle, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, presence_state_to_string(state), -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 3, acked_by) != SQLITE_OK ||
            (acked_day != DAY_NONE ? store_bind_day(st, 4, acked_day) : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
            (acked_day != DAY_NONE ? sqlite3_bind_int(st, 5, acked_minutes) : sqlite3_bind_null(st, 5)) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ESTALE;
}
