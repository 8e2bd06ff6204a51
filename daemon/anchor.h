/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Anchors of the audit chain outside the database. After every commit of audit rows dutyd writes the
 * chain's head (the newest row's id and hash; the chain links every row before it, so one anchor per
 * commit proves what one per row would) to the journal as an entry of its own, so that removing the
 * newest rows, or editing a row and recomputing the hashes after it, no longer goes unnoticed:
 * AuditVerify compares the database with the newest anchors. The journal is read here (an edge);
 * anchor_check() is pure. */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ANCHOR_MESSAGE_ID "90e0df111ca241fea9042bfd07185b43"
/* The administrator accepted a database that disagrees with its anchors (dutyd
 * --accept-database-reset): the anchors before this entry no longer bind the start-up check. */
#define ANCHOR_RESET_MESSAGE_ID "8893dcfdce2d4286913d83f469e18ae0"
/* The hex SHA-256 of a row, with its NUL. */
#define ANCHOR_HASH_SIZE 65
/* AuditVerify reads at most this many anchors, the newest: the check costs the same on a log of
 * years, and the newest are those a removal or a re-hash must contradict. */
#define ANCHOR_READ_MAX 256u

typedef struct Anchor {
        int64_t seq;                    /* the audit row's id */
        char hash[ANCHOR_HASH_SIZE];    /* its hash when anchored */
} Anchor;

typedef enum AnchorVerdict {
        ANCHOR_MATCHED,         /* every anchor read matches its row */
        ANCHOR_NONE,            /* the journal holds no anchor of this database */
        ANCHOR_UNAVAILABLE,     /* the journal could not be read */
        ANCHOR_TRUNCATED,       /* the newest anchor names a row beyond the database's last */
        ANCHOR_REHASHED,        /* the newest anchor's row exists with another hash */
        ANCHOR_ROLLED_BACK,     /* the newest anchor matches, an older one does not: the database
                                 * went back to an older state and was written on since */
        _ANCHOR_VERDICT_MAX,
        _ANCHOR_VERDICT_INVALID = -EINVAL,
} AnchorVerdict;

const char *anchor_verdict_to_string(AnchorVerdict v);

/* The stored hash of row seq into ret_hash: 0, -ENOENT without such a row, or another error. */
typedef int (*AnchorHashAt)(int64_t seq, char ret_hash[static ANCHOR_HASH_SIZE], void *userdata);

/* Compares anchors (newest first, n of them) with a database whose last row is last_seq. ret_seq
 * gets the anchored row concerned (for TRUNCATED, REHASHED and ROLLED_BACK; the oldest of those read
 * that disagree, for REHASHED). A negative errno if hash_at fails otherwise than -ENOENT. */
int anchor_check(const Anchor *anchors, size_t n, int64_t last_seq, AnchorHashAt hash_at, void *userdata,
                 AnchorVerdict *ret_verdict, int64_t *ret_seq);

/* The newest anchors (at most max, newest first) the journal holds for the database at path:
 * -ENOMEDIUM (or the error of sd_journal_open) if the journal cannot be read. With since_reset,
 * only those after the newest ANCHOR_RESET_MESSAGE_ID entry of the database (the start-up check);
 * without, all of them (AuditVerify: an accepted reset is still a rollback of the log). The journal
 * is read backwards from its end, through its index of these fields: as fast on a journal of years. */
int anchor_read_journal(const char *database, size_t max, bool since_reset, Anchor **ret, size_t *ret_n);

