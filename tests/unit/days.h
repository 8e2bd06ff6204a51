/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Days written as text, and people of a test's own configuration, in the unit tests. Header-only,
 * so that the tests of the pure core link nothing more for it. Include it after <cmocka.h>. */

#include "config.h"
#include "date.h"

/* The day written YYYY-MM-DD; fails the test on anything else. */
static inline Day D(const char *s) {
        Day d = DAY_NONE;

        assert_int_equal(day_parse(s, &d), 0);
        return d;
}

/* A person active on every day (title may be NULL); the strings are the caller's. */
static inline Person test_person(const char *id, const char *name, const char *title, unsigned roles) {
        return (Person) {
                .id = (char *) id,
                .name = (char *) name,
                .title = (char *) title,
                .roles = roles,
                .active_from = DAY_NONE,
                .active_until = DAY_NONE,
        };
}
