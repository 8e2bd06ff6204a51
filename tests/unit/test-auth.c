/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "i18n.h"

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

static void test_access_strings(void **state) {
        for (Access a = 0; a < _ACCESS_MAX; a++)
                assert_int_equal(access_from_string(access_to_string(a)), a);
        assert_int_equal(access_from_string("superuser"), _ACCESS_INVALID);
        assert_null(access_to_string(_ACCESS_MAX));
}

static const AuthNameEntry *name_cache_find(const AuthNameCache *cache, uid_t uid) {
        for (size_t i = 0; i < AUTH_NAME_CACHE_SIZE; i++)
                if (cache->entries[i].looked_up_usec != 0 && cache->entries[i].uid == uid)
                        return &cache->entries[i];
        return NULL;
}

static void test_name_cache(void **state) {
        /* A uid no system of this project's tests gives a name to. */
        const uid_t nobody_known = 4242424;
        AuthNameCache cache = {};
        AuthNameEntry *e;
        Identity id, plain;

        /* The first call looks the name up, like auth_identify_peer(). */
        plain = auth_identify_peer(&config, 0);
        id = auth_identify_peer_cached(&cache, &config, 0, 1000);
        assert_int_equal(id.access, ACCESS_ROOT);
        assert_string_equal(id.user, plain.user);
        e = (AuthNameEntry *) name_cache_find(&cache, 0);
        assert_non_null(e);
        assert_true(e->known);
        assert_string_equal(e->user, plain.user);

        /* Within AUTH_NAME_CACHE_USEC the remembered name is used, not the user database: a name
         * planted in the cache decides the person. */
        snprintf(e->user, sizeof(e->user), "lixy");
        id = auth_identify_peer_cached(&cache, &config, 0, 1000 + AUTH_NAME_CACHE_USEC - 1);
        assert_string_equal(id.user, "lixy");
        assert_non_null(id.person);
        assert_string_equal(id.person->id, "li");

        /* Once it is that old, it is looked up again. */
        id = auth_identify_peer_cached(&cache, &config, 0, 1000 + AUTH_NAME_CACHE_USEC);
        assert_string_equal(id.user, plain.user);
        assert_null(id.person);
        assert_string_equal(name_cache_find(&cache, 0)->user, plain.user);

        /* A clock going backwards does not keep an entry forever. */
        snprintf(e->user, sizeof(e->user), "lixy");
        id = auth_identify_peer_cached(&cache, &config, 0, 10);
        assert_string_equal(id.user, plain.user);

        /* A uid without a name is remembered as such. */
        id = auth_identify_peer_cached(&cache, &config, nobody_known, 2000);
        assert_string_equal(id.user, "");
        assert_int_equal(id.access, ACCESS_GUEST);
        assert_non_null(name_cache_find(&cache, nobody_known));
        assert_false(name_cache_find(&cache, nobody_known)->known);

        /* More uids than entries: the oldest give way, the newest are there, identities stay right. */
        for (uid_t u = 1000; u < 1000 + 2 * AUTH_NAME_CACHE_SIZE; u++) {
                id = auth_identify_peer_cached(&cache, &config, u, 3000);
                assert_int_equal(id.uid, u);
                assert_non_null(name_cache_find(&cache, u));
        }
        assert_null(name_cache_find(&cache, 1000));
        id = auth_identify_peer_cached(&cache, &config, 1001, 3000);
        assert_string_equal(id.person->id, "chen");
}

/* The identity resolved under a configuration is kept with the name, and is the one
 * auth_identify() gives; another configuration (a reload) resolves it again. */
static void test_name_cache_identity(void **state) {
        static Person others[] = {
                { .id = (char *) "zhao", .name = (char *) "赵敏", .uid = 1001, .has_uid = true,
                  .roles = ROLE_BIT(ROLE_OFFICER) | ROLE_BIT(ROLE_ADMIN), .active_from = DAY_NONE, .active_until = DAY_NONE },
        };
        const Config reloaded = {
                .people = others,
                .n_people = ELEMENTSOF(others),
        };
        AuthNameCache cache = {};
        Identity id, plain;

        for (int i = 0; i < 3; i++) {
                plain = auth_identify_peer(&config, 1001);
                id = auth_identify_peer_cached(&cache, &config, 1001, 1000 + i);
                assert_int_equal(id.uid, plain.uid);
                assert_string_equal(id.user, plain.user);
                assert_ptr_equal(id.person, plain.person);
                assert_int_equal(id.access, plain.access);
                assert_string_equal(id.person->id, "chen");
        }
        assert_ptr_equal(name_cache_find(&cache, 1001)->config, &config);

        id = auth_identify_peer_cached(&cache, &reloaded, 1001, 2000);
        assert_string_equal(id.person->id, "zhao");
        assert_int_equal(id.access, ACCESS_ADMIN);

        auth_name_cache_forget_config(&cache);
        assert_null(name_cache_find(&cache, 1001)->config);
        id = auth_identify_peer_cached(&cache, &config, 1001, 2001);
        assert_string_equal(id.person->id, "chen");
        assert_int_equal(id.access, ACCESS_MEMBER);
}

static void test_language_from_locale(void **state) {
        assert_string_equal(i18n_language_from_locale("zh_CN.UTF-8"), "zh");
        assert_string_equal(i18n_language_from_locale("zh"), "zh");
        assert_string_equal(i18n_language_from_locale("en_US.UTF-8"), "en");
        assert_string_equal(i18n_language_from_locale("en:zh"), "en");
        assert_null(i18n_language_from_locale("C.UTF-8"));
        assert_null(i18n_language_from_locale("POSIX"));
        assert_null(i18n_language_from_locale("de_DE.UTF-8"));
        assert_null(i18n_language_from_locale("enx"));
        assert_null(i18n_language_from_locale(NULL));

        setenv("LC_ALL", "", 1);
        setenv("LC_MESSAGES", "", 1);
        setenv("LANG", "zh_CN.UTF-8", 1);
        setenv("LANGUAGE", "", 1);
        assert_string_equal(i18n_language_from_environment(), "zh");
        setenv("LANGUAGE", "en", 1);
        assert_string_equal(i18n_language_from_environment(), "en");
        /* gettext ignores LANGUAGE in the C locale, and so does the daemon's choice. */
        setenv("LC_ALL", "C.UTF-8", 1);
        assert_null(i18n_language_from_environment());
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_name_cache),
                cmocka_unit_test(test_name_cache_identity),
                cmocka_unit_test(test_identify),
                cmocka_unit_test(test_access_strings),
                cmocka_unit_test(test_language_from_locale),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
