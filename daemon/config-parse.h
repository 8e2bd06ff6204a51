/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Reading the office configuration (libconfig syntax, see dutyd.conf(5)) into a Config. */

#include <stddef.h>

#include "config.h"

/* Parses and validates. On success returns 0 and *ret; on failure returns -EINVAL (or -ENOMEM,
 * -ENOENT, …) and fills ret_errors (if not NULL) with every problem found, each naming file:line. */
int config_load(const char *path, Config **ret, ConfigErrors *ret_errors);
/* The same for a text held in memory (it ends at its first NUL), as if it were the file `name`:
 * messages name it, and @include and a relative holidays_dir are looked up beside it. */
int config_load_from_memory(const char *name, const void *data, size_t size, Config **ret,
                            ConfigErrors *ret_errors);
/* Only the holiday notices of directory dir (every *.conf in it, as holidays_dir names them): a Config
 * whose calendar data (config_calendar()) is theirs and everything else empty. For tools and tests
 * that need the official calendar and no office. Same returns as config_load(). */
int config_load_notices(const char *dir, Config **ret, ConfigErrors *ret_errors);
