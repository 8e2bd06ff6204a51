/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The configuration parser on arbitrary text, read from memory as config_load() reads a file: every
 * input is either a Config or a list of errors that each name the file, and formatting the errors
 * never fails on them. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config-parse.h"
#include "config.h"

/* Where nothing is: a relative holidays_dir or @include in the input finds no file. */
#define FUZZ_CONFIG_NAME "/nonexistent/fuzz-config/dutyd.conf"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_free_ char *text = NULL;
        int r;

        r = config_load_from_memory(FUZZ_CONFIG_NAME, data, size, &c, &errors);
        if (r >= 0) {
                if (!c || errors.n != 0)
                        abort();
                return 0;
        }
        if (c)
                abort();
        if (r == -ENOMEM)
                return 0;
        /* A refused text is explained: at least one error, each naming a file. */
        if (errors.n == 0)
                abort();
        for (size_t i = 0; i < errors.n; i++)
                if (!errors.items[i].file || !errors.items[i].message)
                        abort();
        text = config_errors_format(&errors);
        if (!text || !strstr(text, "fuzz-config"))
                abort();
        return 0;
}
