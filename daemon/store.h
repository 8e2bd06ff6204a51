/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The SQLite store. store.c is the only file that speaks SQL.
 *
 * WAL journal, synchronous=FULL, foreign keys on, prepared statements, the schema versioned by
 * PRAGMA user_version with forward migrations. Each mutating request runs in one transaction
 * (store_begin/store_commit); a request is acknowledged only after store_commit() returned 0. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "date.h"
#include "util.h"

typedef struct Store Store;

#define STORE_SCHEMA_VERSION_MIN 0

/* Opens (creating if missing, mode 0600), checks PRAGMA integrity_check (refusing a corrupt file
 * with -EBADMSG and a message), and migrates to the newest schema. ret_error (optional) gets a
 * human message on failure. */
int store_open(const char *path, Store **ret, char **ret_error);
Store *store_free(Store *s);
DEFINE_POINTER_CLEANUP(Store, store_free)

int store_schema_version(Store *s);
/* The newest schema this build knows. */
int store_schema_latest(void);

int store_begin(Store *s);
int store_commit(Store *s);
void store_rollback(Store *s);
bool store_in_transaction(Store *s);

/* Last SQLite error message of the connection. */
const char *store_error(Store *s);

/* Key/value facts about the store itself (created_at, …). store_meta_get returns -ENOENT for a
 * missing key. */
int store_meta_get(Store *s, const char *key, char **ret_value);
int store_meta_set(Store *s, const char *key, const char *value);

/* The audit log: an append-only hash chain. Each row's hash is the SHA-256 (hex) of the previous
 * row's hash and the row's own fields, so that an edited, inserted or removed row breaks the chain
 * from that row on. The first row chains to STORE_AUDIT_GENESIS. */
#define STORE_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Appends one row (inside the current transaction if there is one, else in its own). person may
 * be NULL. ret_id (optional) gets the new row id. */
int store_audit_append_full(Store *s, uint64_t at_usec, uid_t uid, const char *person, const char *method,
                            const char *summary, const char *result, int64_t *ret_id);
static inline int store_audit_append(Store *s, uint64_t at_usec, uid_t uid, const char *person,
                                     const char *method, const char *summary, const char *result) {
        return store_audit_append_full(s, at_usec, uid, person, method, summary, result, NULL);
}
/* 0 if the chain is intact; -EBADMSG with the id of the first broken row in ret_bad_id (optional)
 * otherwise. */
int store_audit_verify(Store *s, int64_t *ret_bad_id);
int store_count_audit(Store *s, uint64_t *ret);

/* The roster: one row per (day, post, slot). person NULL is a slot left empty; reason says why. */
typedef struct StoreAssignment {
        Day day;
        char *post;
        int slot;
        char *person;       /* NULL: empty slot */
        bool locked;        /* kept when the range is regenerated */
        char *reason;       /* may be NULL */
        char *source;       /* "generated", "manual", "swap", … */
        bool assume_ordinary; /* generated while the year's holiday notice was unknown */
} StoreAssignment;

#define STORE_ASSIGNMENT_SOURCE_DEFAULT "generated"

/* Inserts or replaces the slot. source NULL means STORE_ASSIGNMENT_SOURCE_DEFAULT. Replacing a
 * slot resets assume_ordinary; set it with store_assignment_set_assume_ordinary(). */
int store_assignment_set(Store *s, Day day, const char *post, int slot, const char *person, bool locked,
                         const char *reason, const char *source);
/* -ENOENT if the slot does not exist. */
int store_assignment_set_assume_ordinary(Store *s, Day day, const char *post, int slot, bool assume_ordinary);
/* Removes the slots of days from..to (inclusive), the locked ones too unless keep_locked. Returns
 * the number of rows removed. */
int store_assignment_clear_range(Store *s, Day from, Day to, bool keep_locked);
/* Slots of days from..to (inclusive), ordered by day, post, slot. */
int store_assignment_list(Store *s, Day from, Day to, StoreAssignment **ret, size_t *ret_n);
StoreAssignment *store_assignment_free_many(StoreAssignment *a, size_t n);

/* Sensitive periods declared at run time (beside those of the configuration). */
typedef struct StoreSensitivePeriod {
        int64_t id;
        char *name;
        Day from_day;
        Day to_day;
        int extra_officers;
        char *leave;        /* leave policy name, "normal" by default */
        uint64_t created_usec;
} StoreSensitivePeriod;

/* leave NULL means "normal". */
int store_sensitive_period_add(Store *s, const char *name, Day from, Day to, int extra_officers,
                               const char *leave, uint64_t created_usec, int64_t *ret_id);
/* Periods overlapping from..to (inclusive), ordered by from_day, id. */
int store_sensitive_period_list(Store *s, Day from, Day to, StoreSensitivePeriod **ret, size_t *ret_n);
/* -ENOENT if there is no such id. */
int store_sensitive_period_remove(Store *s, int64_t id);
StoreSensitivePeriod *store_sensitive_period_free_many(StoreSensitivePeriod *p, size_t n);

/* Days on which a person cannot take a duty (besides approved leave). */
typedef struct StoreUnavailable {
        int64_t id;
        char *person;
        Day from_day;
        Day to_day;
        char *reason;       /* may be NULL */
} StoreUnavailable;

int store_unavailable_add(Store *s, const char *person, Day from, Day to, const char *reason, int64_t *ret_id);
/* Entries overlapping from..to (inclusive), of one person or (person NULL) of everybody, ordered
 * by from_day, id. */
int store_unavailable_list(Store *s, const char *person, Day from, Day to, StoreUnavailable **ret, size_t *ret_n);
/* -ENOENT if there is no such id. */
int store_unavailable_remove(Store *s, int64_t id);
StoreUnavailable *store_unavailable_free_many(StoreUnavailable *u, size_t n);

/* A published (frozen, numbered) roster of a range. */
typedef struct StorePublication {
        int version;
        Day from_day;
        Day to_day;
        uint64_t at_usec;
        StoreAssignment *slots;   /* post and person set; the other fields zero */
        size_t n_slots;
} StorePublication;

/* Freezes the current assignments of from..to as the next version. */
int store_publication_create(Store *s, Day from, Day to, uint64_t at_usec, int *ret_version);
/* version 0: the newest. -ENOENT if there is none. */
int store_publication_get(Store *s, int version, StorePublication *ret);
StorePublication *store_publication_done(StorePublication *p);
