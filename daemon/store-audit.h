/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The audit log's table (store-audit.c), on top of store.h's infrastructure: only the request's
 * transaction (api-audit.c), the audit methods (api-admin.c) and the damage check read or write it. */

#include <stdint.h>
#include <sys/types.h>

#include "store.h"

/* The audit log: an append-only hash chain. Each row's hash is the SHA-256 (hex) of the previous
 * row's hash and the row's own fields, so that an edited, inserted or removed row breaks the chain
 * from that row on. The first row chains to STORE_AUDIT_GENESIS. */
#define STORE_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Appends one row (inside the current transaction if there is one, else in its own). person may
 * be NULL. ret_id and ret_hash (optional, 65 bytes) get the new row's id and hash: the chain's
 * head, which the anchor needs, without reading it back. */
int store_audit_append_full(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                            const char *summary, const char *result, int64_t *ret_id, char *ret_hash);
static inline int store_audit_append(Store *s, uint64_t at_usec, uid_t uid, const char *person,
                                     const char *method, const char *summary, const char *result) {
        return store_audit_append_full(s, at_usec, uid, person, method, summary, result, NULL, NULL);
}
/* 0 if the chain is intact; -EBADMSG with the id of the first broken row in ret_bad_id (optional)
 * otherwise. */
int store_audit_verify(Store *s, int64_t *ret_bad_id);
int store_count_audit(Store *s, uint64_t *ret);
/* The chain's head: the newest row's id and hash (ret_id 0 and the genesis hash on an empty log). */
int store_audit_head(Store *s, int64_t *ret_id, char ret_hash[static 65]);
/* The stored hash of row id; -ENOENT if there is no such row. */
int store_audit_hash_at(Store *s, int64_t id, char ret_hash[static 65]);

/* One row of the audit log, as stored (store-audit.c). */
typedef struct StoreAuditEntry {
        int64_t id;
        uint64_t at_usec;
        uid_t uid;
        char *person;       /* may be NULL */
        char *method;
        char *summary;
        char *result;
} StoreAuditEntry;

/* The newest `limit` rows (1..STORE_AUDIT_LIST_MAX) at or after since_usec, of one person (NULL:
 * everybody), returned oldest first. A row is well under 1 KiB as JSON (its summary is bounded), so
 * the most one call can ask for fits in one Varlink message. */
#define STORE_AUDIT_LIST_MAX 1000u
int store_audit_list(Store *s, uint64_t since_usec, const char *person, size_t limit,
                     StoreAuditEntry **ret, size_t *ret_n);
StoreAuditEntry *store_audit_free_many(StoreAuditEntry *a, size_t n);
