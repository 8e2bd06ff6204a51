/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The notification outbox. A row is written in the transaction of the change that causes it (or,
 * for the time-based ones, in the notifier's own short one), under a key naming the event, so
 * that an event is queued once however often it is looked at; its uuid is what every delivery
 * carries, the same on every retry, for the receiver to de-duplicate on. */

#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-id128.h>

#include "store-internal.h"

const char store_migration_notify[] =
        "CREATE TABLE notification ("
        "        id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "        uuid TEXT NOT NULL UNIQUE,"
        "        key TEXT NOT NULL UNIQUE,"
        "        kind TEXT NOT NULL,"
        "        person TEXT NOT NULL,"
        "        text_zh TEXT NOT NULL,"
        "        text_en TEXT NOT NULL,"
        "        state TEXT NOT NULL,"
        "        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
        "        next_usec INTEGER NOT NULL,"
        "        last_error TEXT,"
        "        delivered TEXT NOT NULL DEFAULT '',"
        "        created_usec INTEGER NOT NULL,"
        "        sent_usec INTEGER"
        ");"
        "CREATE INDEX notification_due ON notification (state, next_usec);";

#define NOTIFY_COLUMNS \
        "id, uuid, key, kind, person, text_zh, text_en, state, attempts, next_usec, last_error, delivered, " \
        "created_usec, sent_usec"

static const char sql_notify_insert[] =
        "INSERT OR IGNORE INTO notification (uuid, key, kind, person, text_zh, text_en, state, next_usec, "
        "created_usec) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7)";
static const char sql_notify_count_queued[] = "SELECT count(*) FROM notification WHERE state = 'queued'";
static const char sql_notify_due[] =
        "SELECT " NOTIFY_COLUMNS " FROM notification WHERE state = 'queued' AND next_usec <= ?1 "
        "ORDER BY next_usec, id LIMIT ?2";
static const char sql_notify_next[] = "SELECT min(next_usec) FROM notification WHERE state = 'queued'";
static const char sql_notify_list[] =
        "SELECT " NOTIFY_COLUMNS " FROM notification WHERE (?1 = 0 OR state = 'failed') "
        "ORDER BY id DESC LIMIT ?2";
static const char sql_notify_get[] = "SELECT " NOTIFY_COLUMNS " FROM notification WHERE id = ?1";
static const char sql_notify_prune[] =
        "DELETE FROM notification WHERE state = 'sent' AND sent_usec < ?1";
static const char sql_notify_update[] =
        "UPDATE notification SET state = ?2, attempts = ?3, next_usec = ?4, last_error = ?5, delivered = ?6, "
        "sent_usec = ?7 WHERE id = ?1";

static uint64_t nonneg(int64_t v) {
        return v < 0 ? 0 : (uint64_t) v;
}

void store_notification_done(StoreNotification *n) {
        if (!n)
                return;
        free(n->uuid);
        free(n->key);
        free(n->person);
        free(n->text_zh);
        free(n->text_en);
        free(n->last_error);
        free(n->delivered);
        *n = (StoreNotification) {};
}

StoreNotification *store_notification_free_many(StoreNotification *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_notification_done(&a[i]);
        free(a);
        return NULL;
}

int store_notify_add(Store *s, const char *key, NotifyKind kind, const char *person, const char *text_zh,
                     const char *text_en, uint64_t now_usec, bool *ret_added) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        char uuid[SD_ID128_UUID_STRING_MAX];
        sd_id128_t u;
        int r;

        if (!s || !key || !person || !text_zh || !text_en || kind < 0 || kind >= _NOTIFY_KIND_MAX ||
            now_usec > INT64_MAX)
                return -EINVAL;
        r = sd_id128_randomize(&u);
        if (r < 0)
                return r;
        (void) sd_id128_to_uuid_string(u, uuid);

        r = store_prepare_cached(s, sql_notify_insert, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, notify_kind_to_string(kind), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, person, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, text_zh, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 6, text_en, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 7, (int64_t) now_usec) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        if (ret_added)
                *ret_added = sqlite3_changes(store_db(s)) > 0;
        return 0;
}

int store_notify_count_queued(Store *s, size_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret)
                return -EINVAL;
        r = store_prepare_cached(s, sql_notify_count_queued, &st);
        if (r < 0)
                return r;
        r = store_step_row(st);
        if (r < 0)
                return r;
        *ret = (size_t) sqlite3_column_int64(st, 0);
        return 0;
}

int store_notify_next_due(Store *s, uint64_t *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret)
                return -EINVAL;
        r = store_prepare_cached(s, sql_notify_next, &st);
        if (r < 0)
                return r;
        r = store_step_row(st);
        if (r < 0)
                return r;
        if (sqlite3_column_type(st, 0) == SQLITE_NULL)
                return -ENOENT;
        *ret = nonneg(sqlite3_column_int64(st, 0));
        return 0;
}

static int store_notify_decode(sqlite3_stmt *st, StoreNotification *ret) {
        _cleanup_free_ char *kind = NULL, *state = NULL;
        StoreNotification n = {};
        int r;

        n.id = sqlite3_column_int64(st, 0);
        r = store_column_strdup(st, 1, false, &n.uuid);
        if (r >= 0)
                r = store_column_strdup(st, 2, false, &n.key);
        if (r >= 0)
                r = store_column_strdup(st, 3, false, &kind);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &n.person);
        if (r >= 0)
                r = store_column_strdup(st, 5, false, &n.text_zh);
        if (r >= 0)
                r = store_column_strdup(st, 6, false, &n.text_en);
        if (r >= 0)
                r = store_column_strdup(st, 7, false, &state);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &n.last_error);
        if (r >= 0)
                r = store_column_strdup(st, 11, false, &n.delivered);
        if (r < 0) {
                store_notification_done(&n);
                return r;
        }
        n.attempts = (unsigned) nonneg(sqlite3_column_int(st, 8));
        n.next_usec = nonneg(sqlite3_column_int64(st, 9));
        n.created_usec = nonneg(sqlite3_column_int64(st, 12));
        n.sent_usec = nonneg(sqlite3_column_int64(st, 13));
        n.kind = notify_kind_from_string(kind);
        n.state = notify_state_from_string(state);
        if (n.kind < 0 || n.state < 0) {
                store_notification_done(&n);
                return -EBADMSG;
        }
        *ret = n;
        return 0;
}

STORE_DEFINE_DECODE(store_notify_decode, StoreNotification);
STORE_DEFINE_DONE(store_notification_done, StoreNotification);

int store_notify_due(Store *s, uint64_t now_usec, size_t max, StoreNotification **ret, size_t *ret_n) {
        if (now_usec > INT64_MAX || max > INT64_MAX)
                return -EINVAL;
        return store_list_by(s, sql_notify_due, (const int64_t[]) { (int64_t) now_usec, (int64_t) max }, 2,
                             store_notify_decode_any, store_notification_done_any, sizeof(**ret), (void **) ret,
                             ret_n);
}

int store_notify_list(Store *s, bool failed_only, size_t max, StoreNotification **ret, size_t *ret_n) {
        if (max > INT64_MAX)
                return -EINVAL;
        return store_list_by(s, sql_notify_list, (const int64_t[]) { failed_only, (int64_t) max }, 2,
                             store_notify_decode_any, store_notification_done_any, sizeof(**ret), (void **) ret,
                             ret_n);
}

int store_notify_get(Store *s, int64_t id, StoreNotification *ret) {
        return store_get_by_id(s, sql_notify_get, id, store_notify_decode_any, store_notification_done_any,
                               sizeof(*ret), ret);
}

int store_notify_update(Store *s, const StoreNotification *n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !n || n->state < 0 || n->state >= _NOTIFY_STATE_MAX || n->next_usec > INT64_MAX ||
            n->sent_usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_notify_update, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, n->id) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, notify_state_to_string(n->state), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, n->attempts) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, (int64_t) n->next_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 5, n->last_error) != SQLITE_OK ||
            sqlite3_bind_text(st, 6, strempty(n->delivered), -1, SQLITE_STATIC) != SQLITE_OK ||
            (n->sent_usec > 0 ? sqlite3_bind_int64(st, 7, (int64_t) n->sent_usec) : sqlite3_bind_null(st, 7)) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}

int store_notify_prune(Store *s, uint64_t before_usec, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || before_usec > INT64_MAX)
                return -EINVAL;
        r = store_prepare_cached(s, sql_notify_prune, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, (int64_t) before_usec) != SQLITE_OK)
                return store_errno_last(s);
        r = store_step_done(st);
        if (r < 0)
                return r;
        if (ret_n)
                *ret_n = (size_t) sqlite3_changes(store_db(s));
        return 0;
}
