/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Loading the configuration: at start-up (manager_new()) and again on SIGHUP or the Reload method.
 * Apart from manager.c so that the Reload method (api-admin.c) reaches it without depending on the
 * daemon's life, which creates the API. */

#include "context.h"

/* How a file must be held to be trusted (check_trusted()). */
typedef enum TrustFlags {
        TRUST_PARENT   = 1 << 0,
        TRUST_NOFOLLOW = 1 << 1,
} TrustFlags;

/* The zone the office lives in decides what "today" and the handover mean; the process follows it. */
int manager_apply_timezone(const Config *c);
/* Loads the configuration at path, printing every error. */
int manager_load_config(const char *path, Config **ret);
void manager_log_config_warnings(const Manager *m, const Config *c);
/* The file (and with TRUST_PARENT its directory) is owned by root or dutyd's user and writable by
 * no one else: 0, or a negative errno after logging why. */
int check_trusted(const char *path, const char *what, TrustFlags flags);
/* One file or directory (is_parent: the directory of shown), the message in *ret_error. */
int check_trusted_one(const char *path, const char *what, const char *shown, TrustFlags flags,
                      bool is_parent, char **ret_error);
/* The holiday notices' directory of c, the same way. */
int check_holidays_dir_log(const Config *c);

/* Re-reads the configuration; on failure keeps the old one, returns -EINVAL and, if ret_error,
 * the formatted errors (file:line per problem). */
int manager_reload(Manager *m, char **ret_error);
/* The same, announced to the service manager (RELOADING=1 … READY=1): SIGHUP and the Reload method. */
int manager_reload_notify(Manager *m, char **ret_error);
