/* SPDX-License-Identifier: GPL-2.0-or-later */

/* anchor_check(): the database against the newest anchors of its audit chain. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "anchor.h"

/* A log of rows 1..last whose hashes are "h<seq>" padded, except where `changed` says otherwise. */
typedef struct Log {
        int64_t last;
        int64_t changed_from;   /* 0: none; else rows from here on have other hashes */
} Log;

static void make_hash(int64_t seq, char tag, char ret[static ANCHOR_HASH_SIZE]) {
        memset(ret, '0', ANCHOR_HASH_SIZE - 1);
        ret[ANCHOR_HASH_SIZE - 1] = '\0';
        ret[0] = tag;
        (void) snprintf(ret + 1, 21, "%020lld", (long long) seq);
        ret[21] = '0';
}

static int log_hash_at(int64_t seq, char ret[static ANCHOR_HASH_SIZE], void *userdata) {
        const Log *l = userdata;

        if (seq < 1 || seq > l->last)
                return -ENOENT;
        make_hash(seq, l->changed_from > 0 && seq >= l->changed_from ? 'b' : 'a', ret);
        return 0;
}

static int failing_hash_at(int64_t seq, char ret[static ANCHOR_HASH_SIZE], void *userdata) {
        return -EIO;
}

/* Anchors of rows to..from (newest first), as written for log 'a'. */
static size_t anchors(Anchor *a, int64_t from, int64_t to, char tag) {
        size_t n = 0;

        for (int64_t s = to; s >= from; s--, n++) {
                a[n].seq = s;
                make_hash(s, tag, a[n].hash);
        }
        return n;
}

static void check(const Anchor *a, size_t n, Log *l, AnchorVerdict expected, int64_t expected_seq) {
        AnchorVerdict v = _ANCHOR_VERDICT_INVALID;
        int64_t seq = -1;

        assert_int_equal(anchor_check(a, n, l->last, log_hash_at, l, &v, &seq), 0);
        assert_string_equal(anchor_verdict_to_string(v), anchor_verdict_to_string(expected));
        assert_int_equal(seq, expected_seq);
}

static void test_matched(void **state) {
        Anchor a[30];
        Log l = { .last = 30 };

        check(a, anchors(a, 1, 30, 'a'), &l, ANCHOR_MATCHED, 0);
        /* Rows written since the newest anchor reached the journal are no problem. */
        l.last = 32;
        check(a, anchors(a, 1, 30, 'a'), &l, ANCHOR_MATCHED, 0);
}

static void test_none(void **state) {
        Log l = { .last = 30 };

        check(NULL, 0, &l, ANCHOR_NONE, 0);
}

static void test_truncated(void **state) {
        Anchor a[30];
        Log l = { .last = 20 };

        check(a, anchors(a, 1, 30, 'a'), &l, ANCHOR_TRUNCATED, 30);
        l.last = 0;
        check(a, anchors(a, 1, 30, 'a'), &l, ANCHOR_TRUNCATED, 30);
}

static void test_rehashed(void **state) {
        Anchor a[30];
        Log l = { .last = 30, .changed_from = 20 };

        /* The oldest anchored row that differs is named: the edited one. */
        check(a, anchors(a, 1, 30, 'a'), &l, ANCHOR_REHASHED, 20);
        /* Only the newest anchors read: the oldest of them that differs. */
        check(a, anchors(a, 25, 30, 'a'), &l, ANCHOR_REHASHED, 25);
}

static void test_rolled_back(void **state) {
        Anchor a[40];
        size_t n;
        /* An older copy at row 20, written on since: rows 21, 22 are new. */
        Log l = { .last = 22, .changed_from = 21 };

        n = anchors(a, 21, 22, 'b');
        n += anchors(a + n, 1, 30, 'a');
        check(a, n, &l, ANCHOR_ROLLED_BACK, 30);
}

static void test_errors(void **state) {
        Anchor a[3];
        AnchorVerdict v = ANCHOR_MATCHED;
        int64_t seq = 7;
        size_t n = anchors(a, 1, 3, 'a');

        assert_int_equal(anchor_check(a, n, 3, failing_hash_at, NULL, &v, &seq), -EIO);
        assert_int_equal(anchor_check(NULL, 1, 3, log_hash_at, NULL, &v, &seq), -EINVAL);
        /* ret_* untouched on failure. */
        assert_int_equal(v, ANCHOR_MATCHED);
        assert_int_equal(seq, 7);
        assert_null(anchor_verdict_to_string(_ANCHOR_VERDICT_MAX));
        for (int i = 0; i < _ANCHOR_VERDICT_MAX; i++)
                assert_non_null(anchor_verdict_to_string(i));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_matched),
                cmocka_unit_test(test_none),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_rehashed),
                cmocka_unit_test(test_rolled_back),
                cmocka_unit_test(test_errors),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
