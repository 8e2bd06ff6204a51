/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Days written as text in the unit tests. Header-only, so that the tests of the pure core link
 * nothing more for it. Include it after <cmocka.h>. */

#include "date.h"

/* The day written YYYY-MM-DD; fails the test on anything else. */
static inline Day D(const char *s) {
        Day d = DAY_NONE;

        assert_int_equal(day_parse(s, &d), 0);
        return d;
}
