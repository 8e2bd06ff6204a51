/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The fixture of the unit tests that need a database (and the sample configuration) in a
 * temporary directory of their own; tests/unit/fixture.c, linked by those tests only. Include it
 * after <cmocka.h>. */

#include <stdbool.h>

#include "config-parse.h"
#include "config.h"
#include "date.h"
#include "days.h"
#include "store.h"

#ifndef SRCDIR
#error "SRCDIR must point at the source tree"
#endif

#define SAMPLE_CONFIG SRCDIR "/conf/dutyd.conf"

typedef enum FixtureFlags {
        FIXTURE_STORE  = 1 << 0,        /* open the database at path */
        FIXTURE_CONFIG = 1 << 1,        /* load the sample configuration */
} FixtureFlags;

typedef struct Fixture {
        char dir[64];           /* a new directory under /tmp, removed by fixture_free() */
        char path[128];         /* dir/dutyd.db */
        Store *store;           /* with FIXTURE_STORE, else NULL */
        Config *config;         /* with FIXTURE_CONFIG, else NULL */
} Fixture;

/* A fixture in /tmp/test-<name>-XXXXXX; fails the test, saying why, when anything cannot be set up. */
Fixture *fixture_new(const char *name, FixtureFlags flags);
/* Closes the store, frees the configuration and removes the directory with every file in it,
 * failing the test when a file or the directory cannot be removed. NULL is ignored. */
void fixture_free(Fixture *f);

/* cmocka setup and teardown taking *state for the fixture. */
#define FIXTURE_SETUP_TEARDOWN(name, flags)                                             \
        static int fixture_setup(void **state) {                                        \
                *state = fixture_new(name, flags);                                      \
                return 0;                                                               \
        }                                                                               \
        static int fixture_teardown(void **state) {                                     \
                fixture_free(*state);                                                   \
                return 0;                                                               \
        }

/* The store at path, opened; fails the test, with the store's explanation, if it cannot be. */
Store *store_open_ok(const char *path);
