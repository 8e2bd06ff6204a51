/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "anchor.h"
#include "util.h"

static const char *const anchor_verdict_table[_ANCHOR_VERDICT_MAX] = {
        [ANCHOR_MATCHED] = "matched",
        [ANCHOR_NONE] = "none",
        [ANCHOR_UNAVAILABLE] = "unavailable",
        [ANCHOR_TRUNCATED] = "truncated",
        [ANCHOR_REHASHED] = "rehashed",
        [ANCHOR_ROLLED_BACK] = "rolled_back",
};

const char *anchor_verdict_to_string(AnchorVerdict v) {
        if (v < 0 || v >= _ANCHOR_VERDICT_MAX)
                return NULL;
        return anchor_verdict_table[v];
}

/* 1 if row seq is there with the anchored hash, 0 if it is missing or differs. */
static int anchor_holds(const Anchor *a, int64_t last_seq, AnchorHashAt hash_at, void *userdata) {
        char hash[ANCHOR_HASH_SIZE];
        int r;

        if (a->seq > last_seq)
                return 0;
        r = hash_at(a->seq, hash, userdata);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return streq(hash, a->hash);
}

int anchor_check(const Anchor *anchors, size_t n, int64_t last_seq, AnchorHashAt hash_at, void *userdata,
                 AnchorVerdict *ret_verdict, int64_t *ret_seq) {
        int64_t seq = 0;
        AnchorVerdict v;
        int r;

        if ((n > 0 && !anchors) || !hash_at || !ret_verdict || !ret_seq)
                return -EINVAL;

        if (n == 0) {
                *ret_verdict = ANCHOR_NONE;
                *ret_seq = 0;
                return 0;
        }

        /* The newest anchor is the chain's head as dutyd last wrote it: the database must reach it and
         * agree with it, whatever happened before. */
        if (anchors[0].seq > last_seq) {
                *ret_verdict = ANCHOR_TRUNCATED;
                *ret_seq = anchors[0].seq;
                return 0;
        }
        r = anchor_holds(&anchors[0], last_seq, hash_at, userdata);
        if (r < 0)
                return r;
        if (r == 0) {
                /* A re-hash changes every row from the edited one on: name the oldest anchored row
                 * that disagrees, the nearest to the edit. */
                seq = anchors[0].seq;
                for (size_t i = 1; i < n; i++) {
                        r = anchor_holds(&anchors[i], last_seq, hash_at, userdata);
                        if (r < 0)
                                return r;
                        if (r == 0 && anchors[i].seq < seq)
                                seq = anchors[i].seq;
                }
                *ret_verdict = ANCHOR_REHASHED;
                *ret_seq = seq;
                return 0;
        }

        /* The head matches: an older anchor that does not means the database was replaced by an
         * older copy, and written on since (the newest anchors are then of the copy). */
        v = ANCHOR_MATCHED;
        for (size_t i = 1; i < n; i++) {
                r = anchor_holds(&anchors[i], last_seq, hash_at, userdata);
                if (r < 0)
                        return r;
                if (r == 0) {
                        v = ANCHOR_ROLLED_BACK;
                        seq = anchors[i].seq;
                        break;
                }
        }

        *ret_verdict = v;
        *ret_seq = seq;
        return 0;
}

static int journal_field(sd_journal *j, const char *name, const char **ret, size_t *ret_n) {
        const void *data;
        size_t length, prefix = strlen(name) + 1;
        int r;

        r = sd_journal_get_data(j, name, &data, &length);
        if (r < 0)
                return r;
        if (length < prefix)
                return -EBADMSG;
        *ret = (const char *) data + prefix;
        *ret_n = length - prefix;
        return 0;
}

/* One anchor from the current entry; -EBADMSG if its fields are malformed. */
static int journal_anchor(sd_journal *j, Anchor *ret) {
        char buf[32], *end;
        const char *v;
        size_t n;
        long long seq;
        int r;

        r = journal_field(j, "DUTY_AUDIT_SEQ", &v, &n);
        if (r < 0)
                return r;
        if (n == 0 || n >= sizeof(buf))
                return -EBADMSG;
        memcpy(buf, v, n);
        buf[n] = '\0';
        errno = 0;
        seq = strtoll(buf, &end, 10);
        if (errno != 0 || *end != '\0' || seq <= 0)
                return -EBADMSG;

        r = journal_field(j, "DUTY_AUDIT_HASH", &v, &n);
        if (r < 0)
                return r;
        if (n != ANCHOR_HASH_SIZE - 1)
                return -EBADMSG;

        ret->seq = seq;
        memcpy(ret->hash, v, n);
        ret->hash[n] = '\0';
        return 0;
}

static bool journal_is_reset(sd_journal *j) {
        const char *v;
        size_t n;

        return journal_field(j, "MESSAGE_ID", &v, &n) >= 0 && n == strlen(ANCHOR_RESET_MESSAGE_ID) &&
               memcmp(v, ANCHOR_RESET_MESSAGE_ID, n) == 0;
}

int anchor_read_journal(const char *database, size_t max, bool since_reset, Anchor **ret, size_t *ret_n) {
        _cleanup_free_ char *match_id = NULL, *match_db = NULL, *match_uid = NULL;
        _cleanup_free_ Anchor *a = NULL;
        sd_journal *j = NULL;
        size_t n = 0;
        int r;

        if (!database || max == 0 || !ret || !ret_n)
                return -EINVAL;

        a = calloc(max, sizeof(Anchor));
        if (!a)
                return -ENOMEM;
        if (asprintf(&match_id, "MESSAGE_ID=%s", ANCHOR_MESSAGE_ID) < 0 ||
            asprintf(&match_db, "DUTY_DATABASE=%s", database) < 0 ||
            /* _UID is set by journald, not by the sender: any local user may send an entry with our
             * MESSAGE_ID, only dutyd's own count. */
            asprintf(&match_uid, "_UID=%u", (unsigned) geteuid()) < 0)
                return -ENOMEM;

        /* Every namespace: with the LogNamespace=dutyd drop-in of an office that reports to its
         * superior (packaging/superior/), the anchors are in the namespace "dutyd", not in the
         * default journal. _UID and DUTY_DATABASE keep the matches to our own. */
        r = sd_journal_open_namespace(&j, NULL, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_ALL_NAMESPACES);
        if (r < 0)
                return r;
        /* Two values of one field match either (sd_journal_add_match()), other fields all. */
        r = sd_journal_add_match(j, match_id, 0);
        if (r >= 0 && since_reset)
                r = sd_journal_add_match(j, "MESSAGE_ID=" ANCHOR_RESET_MESSAGE_ID, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, match_db, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, match_uid, 0);
        if (r >= 0)
                r = sd_journal_seek_tail(j);
        while (r >= 0 && n < max) {
                r = sd_journal_previous(j);
                if (r <= 0)
                        break;
                if (since_reset && journal_is_reset(j))
                        break;
                /* A malformed entry (there should be none) is skipped, not trusted. */
                if (journal_anchor(j, &a[n]) >= 0)
                        n++;
        }
        sd_journal_close(j);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(a);
        *ret_n = n;
        return 0;
}
