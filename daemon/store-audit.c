/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The audit log (schema 1, in store.c): appending a row to its hash chain, verifying the chain,
 * and reading it. */

#include <inttypes.h>
#include <stdio.h>

#include "sha256.h"
#include "store-audit.h"
#include "store-internal.h"

/* The newest rows first, so that LIMIT keeps the newest; the caller gets them reversed. */
static const char sql_audit_list[] =
        "SELECT id, at_usec, uid, person, method, summary, result FROM audit "
        "WHERE at_usec >= ?1 AND (?2 IS NULL OR person = ?2) "
        "ORDER BY id DESC LIMIT ?3";

static const char sql_audit_head[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
static const char sql_audit_hash_at[] = "SELECT hash FROM audit WHERE id = ?1";
static const char sql_audit_insert[] =
        "INSERT INTO audit (id, at_usec, uid, person, method, summary, result, prev_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_audit_all[] =
        "SELECT id, at_usec, uid, person, method, summary, result, prev_hash, hash "
        "FROM audit ORDER BY id";
static const char sql_audit_count[] = "SELECT count(*) FROM audit";

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

static void store_audit_entry_done(StoreAuditEntry *e) {
        free(e->person);
        free(e->method);
        free(e->summary);
        free(e->result);
}
STORE_DEFINE_DONE(store_audit_entry_done, StoreAuditEntry)

StoreAuditEntry *store_audit_free_many(StoreAuditEntry *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_audit_entry_done(&a[i]);
        free(a);
        return NULL;
}

static int store_audit_entry_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreAuditEntry *e = elem;
        int r;

        e->id = sqlite3_column_int64(st, 0);
        e->at_usec = (uint64_t) sqlite3_column_int64(st, 1);
        r = store_column_uid(st, 2, &e->uid);
        if (r >= 0)
                r = store_column_strdup(st, 3, true, &e->person);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &e->method);
        if (r >= 0)
                r = store_column_strdup(st, 5, false, &e->summary);
        if (r >= 0)
                r = store_column_strdup(st, 6, false, &e->result);
        return r < 0 ? r : 0;
}

int store_audit_list(Store *s, uint64_t since_usec, const char *person, size_t limit,
                     StoreAuditEntry **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        StoreAuditEntry *a;
        size_t n;
        int r;

        if (limit == 0 || limit > STORE_AUDIT_LIST_MAX || since_usec > INT64_MAX || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_audit_list, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, (int64_t) since_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 2, person) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) limit) != SQLITE_OK)
                return store_errno_last(s);

        r = store_list(st, store_audit_entry_decode, store_audit_entry_done_any, NULL, sizeof(*a), 0,
                       (void **) &a, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n / 2; i++) {
                StoreAuditEntry t = a[i];

                a[i] = a[n - 1 - i];
                a[n - 1 - i] = t;
        }

        *ret = a;
        *ret_n = n;
        return 0;
}

/* ---- Appending and verifying ---- */

/* Writes v in decimal ending at end (exclusive), as printf's "%" PRIu64 would: the start. Every
 * row hashes ten numbers; snprintf() cost more than the rest of the framing. */
static char *format_u64(uint64_t v, char *end) {
        char *p = end;

        do
                *--p = (char) ('0' + v % 10);
        while ((v /= 10) > 0);
        return p;
}

/* Netstring framing ("<len>:<bytes>,"), so that no two rows hash the same input; NULL is "-,",
 * which no framed string can be. */
static void store_hash_bytes(Sha256 *c, const char *field, size_t n) {
        char len[STORE_INT_STRING_MAX + 1], *start;

        len[sizeof(len) - 1] = ':';
        start = format_u64(n, len + sizeof(len) - 1);
        sha256_update(c, start, (size_t) (len + sizeof(len) - start));
        sha256_update(c, field, n);
        sha256_update(c, ",", 1);
}

static void store_hash_field(Sha256 *c, const char *field) {
        if (!field) {
                sha256_update(c, "-,", 2);
                return;
        }
        store_hash_bytes(c, field, strlen(field));
}

/* The field of "%" PRIi64. */
static void store_hash_int(Sha256 *c, int64_t v) {
        char buf[STORE_INT_STRING_MAX], *start;

        /* The magnitude as unsigned: INT64_MIN has no positive int64. */
        start = format_u64(v < 0 ? -(uint64_t) v : (uint64_t) v, buf + sizeof(buf));
        if (v < 0)
                *--start = '-';
        store_hash_bytes(c, start, (size_t) (buf + sizeof(buf) - start));
}

static char *store_audit_hash(const char *prev_hash, int64_t id, int64_t at_usec, int64_t uid, const char *person,
                              const char *method, const char *summary, const char *result,
                              char buf[static SHA256_HEX_SIZE]) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        Sha256 c;

        sha256_init(&c);
        store_hash_field(&c, prev_hash);
        store_hash_int(&c, id);
        store_hash_int(&c, at_usec);
        store_hash_int(&c, uid);
        store_hash_field(&c, person);
        store_hash_field(&c, method);
        store_hash_field(&c, summary);
        store_hash_field(&c, result);
        sha256_finish(&c, digest);
        return sha256_to_hex(digest, buf);
}

static int store_audit_append_locked(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                                     const char *summary, const char *result, int64_t *ret_id,
                                     char ret_hash[static SHA256_HEX_SIZE]) {
        _cleanup_reset_ sqlite3_stmt *ins = NULL;
        char prev[SHA256_HEX_SIZE], hash[SHA256_HEX_SIZE];
        int64_t id;
        int r;

        /* The chain's head: its id and hash, or the genesis hash of an empty log. */
        r = store_audit_head(s, &id, prev);
        if (r < 0)
                return r;
        if (id < 0 || id == INT64_MAX)
                return -EBADMSG;
        id++;

        store_audit_hash(prev, id, (int64_t) at_usec, (int64_t) uid, person, method, summary, result, hash);

        r = store_prepare_cached(s, sql_audit_insert, &ins);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(ins, 1, id) != SQLITE_OK ||
            sqlite3_bind_int64(ins, 2, (int64_t) at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(ins, 3, (int64_t) uid) != SQLITE_OK ||
            store_bind_text_or_null(ins, 4, person) != SQLITE_OK ||
            sqlite3_bind_text(ins, 5, method, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 6, summary, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 7, result, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 8, prev, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 9, hash, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(ins);
        if (r < 0)
                return r;

        *ret_id = id;
        memcpy(ret_hash, hash, SHA256_HEX_SIZE);
        return 0;
}

int store_audit_append_full(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                            const char *summary, const char *result, int64_t *ret_id, char *ret_hash) {
        _cleanup_transaction_ Store *own = NULL;
        char hash[SHA256_HEX_SIZE];
        int64_t id = 0;
        int r;

        if (!method || !summary || !result || at_usec > INT64_MAX)
                return -EINVAL;

        /* Reading the chain's head and appending to it must not interleave with another writer. */
        if (!s->in_transaction) {
                r = store_begin(s);
                if (r < 0)
                        return r;
                own = s;
        }

        r = store_audit_append_locked(s, at_usec, uid, person, method, summary, result, &id, hash);
        if (r < 0)
                return r;
        if (own) {
                r = store_commit(TAKE_PTR(own));
                if (r < 0)
                        return r;
        }

        if (ret_id)
                *ret_id = id;
        if (ret_hash)
                memcpy(ret_hash, hash, SHA256_HEX_SIZE);
        return 0;
}

int store_audit_verify(Store *s, int64_t *ret_bad_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        char expected_prev[SHA256_HEX_SIZE] = STORE_AUDIT_GENESIS;
        int r, rc;

        r = store_prepare_cached(s, sql_audit_all, &st);
        if (r < 0)
                return r;

        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                int64_t id = sqlite3_column_int64(st, 0);
                const char *person, *method, *summary, *result, *prev, *hash;
                char computed[SHA256_HEX_SIZE] = "";

                person = (const char *) sqlite3_column_text(st, 3);
                method = (const char *) sqlite3_column_text(st, 4);
                summary = (const char *) sqlite3_column_text(st, 5);
                result = (const char *) sqlite3_column_text(st, 6);
                prev = (const char *) sqlite3_column_text(st, 7);
                hash = (const char *) sqlite3_column_text(st, 8);

                if (method && summary && result && prev && hash)
                        store_audit_hash(prev, id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                         person, method, summary, result, computed);

                if (!method || !summary || !result || !prev || !hash ||
                    !streq(prev, expected_prev) || !streq(hash, computed)) {
                        if (ret_bad_id)
                                *ret_bad_id = id;
                        return -EBADMSG;
                }

                memcpy(expected_prev, computed, sizeof(computed));
        }
        if (rc != SQLITE_DONE)
                return store_errno(rc);

        return 0;
}

int store_count_audit(Store *s, uint64_t *ret) {
        return store_count(s, sql_audit_count, ret);
}
