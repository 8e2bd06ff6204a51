/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The enum words of vocabulary.c and the string-table.h lookups behind them. The words are the
 * wire's, the configuration's and the database's: a changed word is a changed protocol. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "string-table.h"
#include "vocabulary.h"

/* Every value has a word, no two values share one, nothing outside the range has one. */
#define CHECK_TO_STRING(name, max)                                                     \
        do {                                                                           \
                for (int i = 0; i < (max); i++) {                                      \
                        assert_non_null(name##_to_string(i));                          \
                        for (int j = 0; j < i; j++)                                    \
                                assert_string_not_equal(name##_to_string(i),           \
                                                        name##_to_string(j));          \
                }                                                                      \
                assert_null(name##_to_string(max));                                    \
                assert_null(name##_to_string(-EINVAL));                                \
        } while (0)

/* …and each word reads back as its value, and nothing else reads as any. */
#define CHECK_TABLE(name, max)                                                         \
        do {                                                                           \
                CHECK_TO_STRING(name, max);                                            \
                for (int i = 0; i < (max); i++)                                        \
                        assert_int_equal(name##_from_string(name##_to_string(i)), i);  \
                assert_int_equal(name##_from_string(NULL), -EINVAL);                   \
                assert_int_equal(name##_from_string(""), -EINVAL);                     \
                assert_int_equal(name##_from_string("no such word"), -EINVAL);         \
        } while (0)

static void test_round_trips(void **state) {
        CHECK_TABLE(role, _ROLE_MAX);
        CHECK_TO_STRING(post_day_type, _POST_DAY_MAX);
        CHECK_TABLE(day_type, _DAY_TYPE_MAX);
        CHECK_TABLE(leave_policy, _LEAVE_POLICY_MAX);
        CHECK_TABLE(leave_kind, _LEAVE_KIND_MAX);
        CHECK_TABLE(leave_state, _LEAVE_STATE_MAX);
        CHECK_TABLE(roster_empty_reason, _ROSTER_EMPTY_MAX);
        CHECK_TO_STRING(roster_absence_kind, _ROSTER_ABSENCE_MAX);
        CHECK_TABLE(fairness_category, _FAIR_MAX);
        CHECK_TABLE(roster_violation_kind, _ROSTER_VIOLATION_MAX);
        CHECK_TABLE(rules_severity, _RULES_SEVERITY_MAX);
        CHECK_TABLE(gap_kind, _GAP_KIND_MAX);
        CHECK_TABLE(gap_urgency, _GAP_URGENCY_MAX);
        CHECK_TO_STRING(gap_ineligible, _GAP_INELIGIBLE_MAX);
        CHECK_TABLE(swap_kind, _SWAP_KIND_MAX);
        CHECK_TABLE(swap_state, _SWAP_STATE_MAX);
        CHECK_TABLE(swap_action, _SWAP_ACTION_MAX);
        CHECK_TABLE(handover_action, _HANDOVER_ACTION_MAX);
}

static void test_words(void **state) {
        /* A few words pinned where a client or a stored row depends on them. */
        assert_string_equal(role_to_string(ROLE_APPROVER), "approver");
        assert_int_equal(role_from_string("Leader"), _ROLE_INVALID);  /* case matters */
        assert_string_equal(post_day_type_to_string(POST_DAY_SENSITIVE), "sensitive");
        assert_string_equal(day_type_to_string(DAY_TYPE_MAKEUP_WORKDAY), "makeup_workday");
        assert_string_equal(leave_state_to_string(LEAVE_STATE_OVERDUE), "overdue");
        assert_string_equal(leave_kind_to_string(LEAVE_KIND_BUSINESS_TRIP), "business_trip");
        assert_string_equal(swap_action_to_string(SWAP_ACTION_REFUSE), "refused");
        assert_string_equal(gap_urgency_to_string(GAP_URGENCY_CRIT), "crit");
        assert_string_equal(roster_violation_kind_to_string(ROSTER_VIOLATION_REST), "rest");
}

static const char *const sparse_table[4] = {
        [0] = "zero",
        [2] = "two",
};

static void test_lookup(void **state) {
        /* A table may leave values without a word: they never match, and a NULL key matches none. */
        assert_int_equal(string_table_lookup(sparse_table, ELEMENTSOF(sparse_table), "zero"), 0);
        assert_int_equal(string_table_lookup(sparse_table, ELEMENTSOF(sparse_table), "two"), 2);
        assert_int_equal(string_table_lookup(sparse_table, ELEMENTSOF(sparse_table), "one"), -EINVAL);
        assert_int_equal(string_table_lookup(sparse_table, ELEMENTSOF(sparse_table), NULL), -EINVAL);
        assert_int_equal(string_table_lookup(sparse_table, 0, "zero"), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trips),
                cmocka_unit_test(test_words),
                cmocka_unit_test(test_lookup),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
