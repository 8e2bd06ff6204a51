/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth.h"

static Person people[] = {
        { .id = (char *) "chen", .name = (char *) "陈志强", .uid = 1001, .has_uid = true,
          .roles = ROLE_BIT(ROLE_OFFICER), .active_from = DAY_NONE, .active_until = DAY_NONE },
        { .id = (char *) "li", .name = (char *) "李秀英", .user = (char *) "lixy",
          .roles = ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_APPROVER), .active_from = DAY_NONE, .active_until = DAY_NONE },
        { .id = (char *) "wang", .name = (char *) "王建国", .uid = 1003, .has_uid = true,
          .roles = ROLE_BIT(ROLE_OFFICER) | ROLE_BIT(ROLE_ADMIN), .active_from = DAY_NONE, .active_until = DAY_NONE },
};

static const Config config = {
        .people = people,
        .n_people = ELEMENTSOF(people),
};

static void test_identify(void **state) {
        Identity id;

        id = auth_identify(&config, 1001, "someone");
        assert_int_equal(id.access, ACCESS_MEMBER);
        assert_string_equal(id.person->id, "chen");
        assert_string_equal(id.user, "someone");

        /* By user name when the uid is not configured. */
        id = auth_identify(&config, 2000, "lixy");
        assert_int_equal(id.access, ACCESS_APPROVER);
        assert_string_equal(id.person->id, "li");

        id = auth_identify(&config, 1003, NULL);
        assert_int_equal(id.access, ACCESS_ADMIN);
        assert_string_equal(id.user, "");

        id = auth_identify(&config, 4242, "stranger");
        assert_int_equal(id.access, ACCESS_GUEST);
        assert_null(id.person);

        id = auth_identify(&config, 0, "root");
        assert_int_equal(id.access, ACCESS_ROOT);
}

static void test_method_table(void **state) {
        Identity guest = { .access = ACCESS_GUEST }, member = { .access = ACCESS_MEMBER };

        assert_true(auth_allowed(&guest, "Status"));
        assert_true(auth_allowed(&guest, "Whoami"));
        assert_false(auth_allowed(&guest, "ListPeople"));
        assert_true(auth_allowed(&member, "ListPeople"));
        /* Methods missing from the table are refused to everyone, root included. */
        Identity root = { .access = ACCESS_ROOT };
        assert_false(auth_allowed(&root, "NoSuchMethod"));
        assert_int_equal(auth_method_access(NULL), _ACCESS_INVALID);
}

static void test_access_strings(void **state) {
        for (Access a = 0; a < _ACCESS_MAX; a++)
                assert_int_equal(access_from_string(access_to_string(a)), a);
        assert_int_equal(access_from_string("superuser"), _ACCESS_INVALID);
        assert_null(access_to_string(_ACCESS_MAX));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_identify),
                cmocka_unit_test(test_method_table),
                cmocka_unit_test(test_access_strings),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
