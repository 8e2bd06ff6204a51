/* SPDX-License-Identifier: GPL-2.0-or-later */

/* config_load() on arbitrary file contents: every input is either a Config or a list of errors that
 * each name the file, and formatting the errors never fails on them. */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer passes no context to the callback: the scratch file's path is all the state, set once. */
static char fuzz_config_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        static char dir[] = "/tmp/fuzz-config-XXXXXX";

        if (!mkdtemp(dir))
                abort();
        snprintf(fuzz_config_path, sizeof(fuzz_config_path), "%s/dutyd.conf", dir);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(config_errors_done) ConfigErrors errors = {};
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        fd = open(fuzz_config_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, data, size) != (ssize_t) size)
                abort();

        r = config_load(fuzz_config_path, &c, &errors);
        if (r >= 0) {
                if (!c || errors.n != 0)
                        abort();
                return 0;
        }
        if (c)
                abort();
        if (r == -ENOMEM)
                return 0;
        /* A refused file is explained: at least one error, each naming the file. */
        if (errors.n == 0)
                abort();
        for (size_t i = 0; i < errors.n; i++)
                if (!errors.items[i].file || !errors.items[i].message)
                        abort();
        text = config_errors_format(&errors);
        if (!text || !strstr(text, fuzz_config_path))
                abort();
        return 0;
}
