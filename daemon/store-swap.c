/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps (换班) and substitutions (代班) and their history. */

#include "store-internal.h"
#include "swap.h"

/* A swap exchanges the requester's duty (day, post, slot) with the counterpart's (their_*); a
 * substitution (kind 'cover') hands the requester's duty to the counterpart and leaves their_*
 * NULL. swap_event is the audit of every transition. */
const char store_migration_swap[] =
        "CREATE TABLE swap ("
        "        id INTEGER PRIMARY KEY,"
        STORE_SCHEMA_SWAP
        ");"
        STORE_SCHEMA_SWAP_INDEXES
        "CREATE TABLE swap_event ("
        "        id INTEGER PRIMARY KEY,"
        "        swap_id INTEGER NOT NULL REFERENCES swap (id),"
        STORE_SCHEMA_EVENT
        ");"
        "CREATE INDEX swap_event_swap ON swap_event (swap_id, id);";

/* Columns of a swap row, in the order store_swap_decode() reads them. */
#define SWAP_COLUMNS                                                                             \
        "id, kind, requester, counterpart, day, post, slot, their_day, their_post, their_slot, " \
        "state, reason, created_usec, updated_usec, approved_by"

static const char sql_swap_insert[] =
        "INSERT INTO swap (kind, requester, counterpart, day, post, slot, their_day, their_post, their_slot, "
        "state, reason, created_usec, updated_usec, approved_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char sql_swap_get[] = "SELECT " SWAP_COLUMNS " FROM swap WHERE id = ?1";
/* A swap touches its own day and, for a swap, the counterpart's. */
static const char sql_swap_list[] =
        "SELECT " SWAP_COLUMNS " FROM swap "
        "WHERE (?1 IS NULL OR requester = ?1 OR counterpart = ?1) "
        "AND ((?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3) "
        "     OR their_day IS NOT NULL AND (?2 IS NULL OR their_day >= ?2) AND (?3 IS NULL OR their_day <= ?3)) "
        "ORDER BY id DESC";
static const char sql_swap_update_state[] =
        "UPDATE swap SET state = ?2, updated_usec = ?3, approved_by = ?4 WHERE id = ?1 AND state = ?5";
static const char sql_swap_exists[] = "SELECT 1 FROM swap WHERE id = ?1";
static const char sql_swap_event_insert[] =
        "INSERT INTO swap_event (swap_id, at_usec, uid, actor, action, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_swap_event_list[] =
        "SELECT id, swap_id, at_usec, uid, actor, action, note FROM swap_event WHERE swap_id = ?1 ORDER BY id";

/* Reads the current row of a statement selecting SWAP_COLUMNS into *ret (which must be zeroed); on
 * failure *ret may hold some strings, freed by swap_done(). */
static int store_swap_decode(sqlite3_stmt *st, Swap *ret) {
        _cleanup_free_ char *kind = NULL, *state = NULL;
        int r;

        ret->id = sqlite3_column_int64(st, 0);
        ret->their_day = DAY_NONE;
        ret->their_slot = -1;

        r = store_column_strdup(st, 1, false, &kind);
        if (r >= 0)
                r = store_column_strdup(st, 2, false, &ret->requester);
        if (r >= 0)
                r = store_column_strdup(st, 3, false, &ret->counterpart);
        if (r >= 0)
                r = store_column_day(st, 4, &ret->day);
        if (r >= 0)
                r = store_column_strdup(st, 5, false, &ret->post);
        if (r >= 0)
                r = store_column_int(st, 6, &ret->slot);
        if (r >= 0 && sqlite3_column_type(st, 7) != SQLITE_NULL)
                r = store_column_day(st, 7, &ret->their_day);
        if (r >= 0)
                r = store_column_strdup(st, 8, true, &ret->their_post);
        if (r >= 0 && sqlite3_column_type(st, 9) != SQLITE_NULL)
                r = store_column_int(st, 9, &ret->their_slot);
        if (r >= 0)
                r = store_column_strdup(st, 10, false, &state);
        if (r >= 0)
                r = store_column_strdup(st, 11, true, &ret->reason);
        if (r >= 0)
                r = store_column_usec(st, 12, &ret->created_usec);
        if (r >= 0)
                r = store_column_usec(st, 13, &ret->updated_usec);
        if (r >= 0)
                r = store_column_strdup(st, 14, true, &ret->approved_by);
        if (r < 0)
                return r;

        ret->kind = swap_kind_from_string(kind);
        ret->state = swap_state_from_string(state);
        return swap_is_valid(ret) ? 0 : -EBADMSG;
}
STORE_DEFINE_DECODE(store_swap_decode, Swap)
STORE_DEFINE_DONE(swap_done, Swap)

/* Keeps the swaps in the filter's states, skips the others. */
static int store_swap_decode_filtered(sqlite3_stmt *st, void *elem, void *userdata) {
        const StoreSwapFilter *f = userdata;
        Swap *sw = elem;
        int r;

        r = store_swap_decode(st, sw);
        if (r < 0)
                return r;
        /* The state set is matched here rather than in SQL, so that the state names live in
         * swap.c only. */
        return f->states != 0 && !(f->states & STORE_SWAP_STATE_BIT(sw->state));
}

int store_swap_insert(Store *s, const Swap *sw, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !swap_is_valid(sw) || sw->created_usec > INT64_MAX || sw->updated_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_swap_insert, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, swap_kind_to_string(sw->kind), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, sw->requester, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, sw->counterpart, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 4, sw->day) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, sw->post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 6, sw->slot) != SQLITE_OK ||
            store_bind_day_or_null(st, 7, sw->their_day) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, sw->their_post) != SQLITE_OK ||
            (sw->their_post ? sqlite3_bind_int(st, 9, sw->their_slot) : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
            sqlite3_bind_text(st, 10, swap_state_to_string(sw->state), -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_text_or_null(st, 11, sw->reason) != SQLITE_OK ||
            sqlite3_bind_int64(st, 12, (int64_t) sw->created_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 13, (int64_t) sw->updated_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 14, sw->approved_by) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

int store_swap_get(Store *s, int64_t id, Swap *ret) {
        return store_get_by_id(s, sql_swap_get, id, store_swap_decode_any, swap_done_any, sizeof(*ret), ret);
}

int store_swap_list(Store *s, const StoreSwapFilter *f, Swap **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !f || !ret || !ret_n)
                return -EINVAL;
        if (f->from != DAY_NONE && f->to != DAY_NONE && f->from > f->to)
                return -EINVAL;

        r = store_prepare_cached(s, sql_swap_list, &st);
        if (r < 0)
                return r;
        if (store_bind_text_or_null(st, 1, f->person) != SQLITE_OK ||
            store_bind_day_or_null(st, 2, f->from) != SQLITE_OK ||
            store_bind_day_or_null(st, 3, f->to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_swap_decode_filtered, swap_done_any, (void *) f, sizeof(**ret), f->limit,
                          (void **) ret, ret_n);
}

static int store_swap_exists(Store *s, int64_t id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        r = store_prepare_cached(s, sql_swap_exists, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                return 1;
        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int store_swap_update_state(Store *s, const Swap *sw, int from) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const char *from_name = swap_state_to_string(from);
        int r;

        if (!s || !swap_is_valid(sw) || !from_name || sw->updated_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_swap_update_state, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, sw->id) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, swap_state_to_string(sw->state), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) sw->updated_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, sw->approved_by) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, from_name, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_changes(s, st);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_swap_exists(s, sw->id);
        if (r < 0)
                return r;
        return r > 0 ? -ESTALE : -ENOENT;
}

int store_swap_event_append(Store *s, int64_t swap_id, uint64_t at_usec, uid_t uid, const char *actor,
                            const char *action, const char *note, int64_t *ret_id) {
        return store_event_append(s, sql_swap_event_insert, swap_id, at_usec, uid, actor, action, note, ret_id);
}

STORE_DEFINE_DONE(swap_event_done, SwapEvent)

static int store_swap_event_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        SwapEvent *e = elem;

        return store_event_decode(st, &e->id, &e->swap_id, &e->at_usec, &e->uid, &e->actor, &e->action, &e->note);
}

int store_swap_event_list(Store *s, int64_t swap_id, SwapEvent **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_swap_event_list, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, swap_id) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_swap_event_decode, swap_event_done_any, NULL, sizeof(**ret), 0, (void **) ret,
                          ret_n);
}
