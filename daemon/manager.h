/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The daemon's life: start-up (manager_new), the loop and its signals (manager_run), reload and
 * shutdown. The state it owns, which every part of the daemon is handed, is context.h's Manager. */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "date.h"
#include "log.h"
#include "store.h"
#include "varlink.h"

#include "context.h"
#include "reload.h"

typedef struct ManagerOptions {
        const char *config_path;   /* required */
        const char *state_dir;     /* NULL: config, then $STATE_DIRECTORY, then the default */
        const char *socket_path;   /* NULL: config, then $RUNTIME_DIRECTORY/io.dutyd.Duty, then the default */
        bool accept_database_reset; /* start on a database behind the journal's anchors (damage.h) */
} ManagerOptions;

/* Loads the config (printing every error), opens the store and prepares the loop; does not listen. */
int manager_new(const ManagerOptions *o, Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_POINTER_CLEANUP(Manager, manager_free)

/* Starts listening (socket activation, else binding the path). */
int manager_listen(Manager *m);
/* How long a stop request waits for clients to collect the replies already queued (of calls
 * already committed) before dutyd exits regardless. Well under systemd's TimeoutStopSec. */
#define MANAGER_SHUTDOWN_FLUSH_USEC (2u * USEC_PER_SEC)

/* Blocks SIGTERM, SIGINT and SIGHUP, returning the previous mask in ret_old (may be NULL). main()
 * calls it first of all: until the loop handles them, a SIGHUP (reload) or SIGTERM stays pending
 * instead of killing a daemon that is still loading its configuration or opening its database. */
int manager_block_signals(sigset_t *ret_old);
/* Runs the loop until SIGTERM/SIGINT; sends READY=1 first. On the first stop request, finishes
 * writing the replies already queued (at most MANAGER_SHUTDOWN_FLUSH_USEC) before returning. */
int manager_run(Manager *m);

