/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "util.h"

Store *store_open_ok(const char *path) {
        _cleanup_free_ char *error = NULL;
        Store *s = NULL;
        int r;

        r = store_open(path, &s, &error);
        if (r < 0)
                fail_msg("store_open(%s): %d %s", path, r, strna(error));
        return s;
}

Fixture *fixture_new(const char *name, FixtureFlags flags) {
        Fixture *f = calloc(1, sizeof(Fixture));
        ConfigErrors errors = {};

        assert_non_null(f);
        assert_true((size_t) snprintf(f->dir, sizeof(f->dir), "/tmp/test-%s-XXXXXX", name) < sizeof(f->dir));
        assert_non_null(mkdtemp(f->dir));
        snprintf(f->path, sizeof(f->path), "%s/dutyd.db", f->dir);

        if (flags & FIXTURE_STORE)
                f->store = store_open_ok(f->path);
        if ((flags & FIXTURE_CONFIG) && config_load(SAMPLE_CONFIG, &f->config, &errors) < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                fail_msg("config_load(%s): %s", SAMPLE_CONFIG, strna(text));
        }
        config_errors_done(&errors);
        return f;
}

void fixture_free(Fixture *f) {
        struct dirent *de;
        DIR *d;

        if (!f)
                return;

        store_free(f->store);
        config_free(f->config);

        d = opendir(f->dir);
        assert_non_null(d);
        while ((de = readdir(d))) {
                char p[sizeof(f->dir) + 256 + 2];

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
                assert_int_equal(unlink(p), 0);
        }
        closedir(d);
        assert_int_equal(rmdir(f->dir), 0);
        free(f);
}
