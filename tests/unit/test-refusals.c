/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

#include "refusals.h"

typedef struct Rows {
        size_t n;
        uid_t uid[REFUSAL_TALLY_SIZE + 1];
        char method[REFUSAL_TALLY_SIZE + 1][REFUSAL_METHOD_MAX];
        uint64_t count[REFUSAL_TALLY_SIZE + 1];
        int fail;               /* the return of write_row */
} Rows;

static int write_row(uid_t uid, const char *method, uint64_t count, void *userdata) {
        Rows *r = userdata;

        assert_true(r->n < ELEMENTSOF(r->uid));
        r->uid[r->n] = uid;
        strcpy(r->method[r->n], method);
        r->count[r->n] = count;
        r->n++;
        return r->fail;
}

/* The first refusal of a uid is the caller's to audit; the rest are counted and come out as one
 * row per uid and flush; a uid still refused keeps being counted, one that stopped is forgotten. */
static void test_first_then_counted(void **state) {
        RefusalTally t = {};
        Rows rows = {};

        assert_true(refusal_tally_add(&t, 4242, "SensitiveAdd"));
        for (int i = 0; i < 2999; i++)
                assert_false(refusal_tally_add(&t, 4242, "SensitiveAdd"));
        assert_true(refusal_tally_add(&t, 4243, "LeaveRequest"));
        assert_int_equal(refusal_tally_pending(&t), 2999);

        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 1);
        assert_int_equal(rows.n, 1);
        assert_int_equal(rows.uid[0], 4242);
        assert_string_equal(rows.method[0], "SensitiveAdd");
        assert_int_equal(rows.count[0], 2999);
        assert_int_equal(refusal_tally_pending(&t), 0);

        /* 4242 is still known: counted, not audited on its own; 4243 was forgotten by the flush. */
        assert_false(refusal_tally_add(&t, 4242, "SensitiveAdd"));
        assert_false(refusal_tally_add(&t, 4242, "RosterGenerate"));
        assert_true(refusal_tally_add(&t, 4243, "LeaveRequest"));
        rows = (Rows) {};
        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 1);
        assert_int_equal(rows.n, 1);
        assert_string_equal(rows.method[0], REFUSAL_METHOD_SEVERAL);
        assert_int_equal(rows.count[0], 2);

        /* Nobody refused in the last interval: nothing to write, nothing left. */
        rows = (Rows) {};
        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 0);
        assert_int_equal(rows.n, 0);
        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 0);
        assert_true(refusal_tally_add(&t, 4242, "SensitiveAdd"));
}

/* A full table folds new uids into the others entry, whose row comes last. */
static void test_full_table(void **state) {
        RefusalTally t = {};
        Rows rows = {};

        for (uid_t u = 0; u < REFUSAL_TALLY_SIZE; u++)
                assert_true(refusal_tally_add(&t, 5000 + u, "SensitiveAdd"));
        for (uid_t u = 0; u < 10; u++) {
                assert_false(refusal_tally_add(&t, 6000 + u, "SensitiveAdd"));
                assert_false(refusal_tally_add(&t, 6000 + u, "SensitiveAdd"));
        }
        assert_false(refusal_tally_add(&t, 5000, "SensitiveAdd"));
        assert_int_equal(refusal_tally_pending(&t), 21);

        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 2);
        assert_int_equal(rows.n, 2);
        assert_int_equal(rows.uid[0], 5000);
        assert_int_equal(rows.count[0], 1);
        assert_int_equal(rows.uid[1], REFUSAL_UID_OTHERS);
        assert_int_equal(rows.count[1], 20);
        assert_string_equal(rows.method[1], "SensitiveAdd");

        /* The uids that had no refusal since made room. */
        assert_true(refusal_tally_add(&t, 6000, "SensitiveAdd"));
}

/* A row that could not be written keeps its count for the next flush. */
static void test_failed_row_kept(void **state) {
        RefusalTally t = {};
        Rows rows = { .fail = -EIO };

        assert_true(refusal_tally_add(&t, 4242, "SensitiveAdd"));
        assert_false(refusal_tally_add(&t, 4242, "SensitiveAdd"));
        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 1);
        assert_int_equal(refusal_tally_pending(&t), 1);
        rows = (Rows) {};
        assert_int_equal(refusal_tally_flush(&t, write_row, &rows), 1);
        assert_int_equal(rows.count[0], 1);
        assert_int_equal(refusal_tally_pending(&t), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_first_then_counted),
                cmocka_unit_test(test_full_table),
                cmocka_unit_test(test_failed_row_kept),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
