/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Reading the audit log (schema 1, in store.c, which also appends and verifies it). */

#include "sha256.h"
#include "store-internal.h"

/* The newest rows first, so that LIMIT keeps the newest; the caller gets them reversed. */
static const char sql_audit_list[] =
        "SELECT id, at_usec, uid, person, method, summary, result FROM audit "
        "WHERE at_usec >= ?1 AND (?2 IS NULL OR person = ?2) "
        "ORDER BY id DESC LIMIT ?3";

static const char sql_audit_head[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
static const char sql_audit_hash_at[] = "SELECT hash FROM audit WHERE id = ?1";

static int audit_hash_column(sqlite3_stmt *st, int column, char ret_hash[static SHA256_HEX_SIZE]) {
        const unsigned char *h = sqlite3_column_text(st, column);

        if (!h || strlen((const char *) h) != SHA256_HEX_SIZE - 1)
                return -EBADMSG;
        memcpy(ret_hash, h, SHA256_HEX_SIZE);
        return 0;
}

int store_audit_head(Store *s, int64_t *ret_id, char ret_hash[static SHA256_HEX_SIZE]) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        char hash[SHA256_HEX_SIZE] = STORE_AUDIT_GENESIS;
        int64_t id = 0;
        int r, rc;

        r = store_prepare_cached(s, sql_audit_head, &st);
        if (r < 0)
                return r;
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                id = sqlite3_column_int64(st, 0);
                r = audit_hash_column(st, 1, hash);
                if (r < 0)
                        return r;
        } else if (rc != SQLITE_DONE)
                return store_errno(rc);

        *ret_id = id;
        memcpy(ret_hash, hash, SHA256_HEX_SIZE);
        return 0;
}

int store_audit_hash_at(Store *s, int64_t id, char ret_hash[static SHA256_HEX_SIZE]) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        r = store_prepare_cached(s, sql_audit_hash_at, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
                return store_errno_last(s);
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
                return -ENOENT;
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        return audit_hash_column(st, 0, ret_hash);
}

StoreAuditEntry *store_audit_free_many(StoreAuditEntry *a, size_t n) {
        if (!a)
                return NULL;

        for (size_t i = 0; i < n; i++) {
                free(a[i].person);
                free(a[i].method);
                free(a[i].summary);
                free(a[i].result);
        }
        free(a);
        return NULL;
}

int store_audit_list(Store *s, uint64_t since_usec, const char *person, size_t limit,
                     StoreAuditEntry **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreAuditEntry *a = NULL;
        size_t n = 0, allocated = 0;
        int r, rc;

        if (limit == 0 || limit > STORE_AUDIT_LIST_MAX || since_usec > INT64_MAX || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_audit_list, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, (int64_t) since_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 2, person) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) limit) != SQLITE_OK)
                return store_errno_last(s);

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                StoreAuditEntry *e;
                int64_t uid;

                r = store_grow((void **) &a, &allocated, n + 1, sizeof(*a));
                if (r < 0)
                        goto fail;
                e = &a[n++];

                e->id = sqlite3_column_int64(st, 0);
                e->at_usec = (uint64_t) sqlite3_column_int64(st, 1);
                uid = sqlite3_column_int64(st, 2);
                if (uid < 0 || uid > UINT32_MAX) {
                        r = -EBADMSG;
                        goto fail;
                }
                e->uid = (uid_t) uid;
                r = store_column_strdup(st, 3, true, &e->person);
                if (r >= 0)
                        r = store_column_strdup(st, 4, false, &e->method);
                if (r >= 0)
                        r = store_column_strdup(st, 5, false, &e->summary);
                if (r >= 0)
                        r = store_column_strdup(st, 6, false, &e->result);
                if (r < 0)
                        goto fail;
        }
        if (rc != SQLITE_DONE) {
                r = store_errno(rc);
                goto fail;
        }

        for (size_t i = 0; i < n / 2; i++) {
                StoreAuditEntry t = a[i];

                a[i] = a[n - 1 - i];
                a[n - 1 - i] = t;
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        store_audit_free_many(a, n);
        return r;
}
