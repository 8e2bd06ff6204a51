/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Days written as text, and people of a test's own configuration, in the unit tests. Header-only,
 * so that the tests of the pure core link nothing more for it. Include it after <cmocka.h>. */

#include "calendar.h"
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

/* The 2026 Spring Festival of 国办发明电〔2025〕7号: off 02-15 … 02-23, make-up workdays 02-14 (Sat)
 * and 02-28 (Sat); its notice and its SPRING_FESTIVAL_2026_DAYS days. */
#define SPRING_FESTIVAL_2026_DAYS 11
static inline void test_spring_festival_2026(HolidayNotice *ret_notice, HolidayDay ret_days[static SPRING_FESTIVAL_2026_DAYS]) {
        size_t n = 0;

        *ret_notice = (HolidayNotice) { .year = 2026, .source = (char *) "国办发明电〔2025〕7号" };
        ret_days[n++] = (HolidayDay) { .day = D("2026-02-14"), .off = false, .name = (char *) "春节" };
        for (Day d = D("2026-02-15"); d <= D("2026-02-23"); d++)
                ret_days[n++] = (HolidayDay) { .day = d, .off = true, .name = (char *) "春节" };
        ret_days[n++] = (HolidayDay) { .day = D("2026-02-28"), .off = false, .name = (char *) "春节" };
        assert_int_equal(n, SPRING_FESTIVAL_2026_DAYS);
}

/* The tables of a test's own configuration, in a Config's initializer: f holds people (n_people of
 * them), groups and posts. */
#define TEST_CONFIG_TABLES(f, n_people_)                \
        .people = (f)->people,                          \
        .n_people = (n_people_),                        \
        .groups = (f)->groups,                          \
        .n_groups = ELEMENTSOF((f)->groups),            \
        .posts = (f)->posts,                            \
        .n_posts = ELEMENTSOF((f)->posts)
