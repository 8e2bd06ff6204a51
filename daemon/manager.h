/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The Manager owns everything the daemon holds: the event loop, the configuration, the store and
 * the Varlink server. It is passed explicitly; nothing lives in globals. */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "auth.h"
#include "config.h"
#include "date.h"
#include "log.h"
#include "refusals.h"
#include "store.h"
#include "varlink.h"

typedef struct Monitor Monitor;
typedef struct Notifier Notifier;

typedef struct ManagerOptions {
        const char *config_path;   /* required */
        const char *state_dir;     /* NULL: config, then $STATE_DIRECTORY, then the default */
        const char *socket_path;   /* NULL: config, then $RUNTIME_DIRECTORY/io.dutyd.Duty, then the default */
        bool accept_database_reset; /* start on a database behind the journal's anchors (damage.h) */
} ManagerOptions;

typedef struct LogWatch LogWatch;

typedef struct Manager {
        sd_event *event;
        Config *config;
        Store *store;
        VarlinkIdl *idl;
        VarlinkServer *server;
        Monitor *monitor;          /* the gap monitor (monitor.h) */
        LogWatch *log_watch;       /* the duty log's report deadlines (log-watch.h) */
        Notifier *notifier;        /* the outbox's deliveries and reminders (notify-send.h) */
        AuthNameCache peer_names;  /* user names of recent peers (auth.h) */

        char *config_path;
        char *state_dir;
        char *socket_path;
        char *database_path;
        bool socket_activated;

        /* Journal entries telling of the changes of the request in progress (amendments,
         * overrides): sent once its transaction commits, dropped if it does not
         * (api_run_audited()). */
        LogQueue journal_pending;
        /* While a call runs with the caller's language (api_dispatch()), the configured one: the
         * journal speaks the office's language whoever caused the entry. NULL otherwise. */
        const char *journal_language;

        /* Refusals of guests counted since their uid's last audit row, written once per interval
         * by refusal_timer and at shutdown (api_audit_refusal()). */
        RefusalTally refusals;
        sd_event_source *refusal_timer;
        uint64_t refusal_interval_usec;

        /* The database's periodic quick check (damage.h). */
        sd_event_source *damage_timer;
        uint64_t damage_check_usec;

        uint64_t start_usec;       /* CLOCK_MONOTONIC */
        /* Test hook: $DUTYD_NOW ("YYYY-MM-DDTHH:MM[:SS]", local time) pins the clock the core sees. */
        int64_t now_offset_usec;
} Manager;

/* The language of the journal's entries: the configuration's, even while a call runs in the
 * caller's. */
static inline const char *manager_journal_language(const Manager *m) {
        return m->journal_language ?: m->config->language;
}

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
/* Re-reads the configuration; on failure keeps the old one, returns -EINVAL and, if ret_error,
 * the formatted errors (file:line per problem). */
int manager_reload(Manager *m, char **ret_error);
/* The same, announced to the service manager (RELOADING=1 … READY=1): SIGHUP and the Reload method. */
int manager_reload_notify(Manager *m, char **ret_error);

/* Wall-clock "now" for the core, in µs since the epoch (honours the DUTYD_NOW test hook); a clock
 * set before 1970 reads as 0, the epoch. */
uint64_t manager_now_usec(const Manager *m);
uint64_t manager_uptime_usec(const Manager *m);
/* "now" as the office's local date and minutes since local midnight. */
void manager_now_local(const Manager *m, Day *ret_day, int *ret_minutes);
/* The duty day running now (before the handover it is still yesterday's). */
Day manager_today(const Manager *m);
