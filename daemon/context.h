/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The Manager owns everything the daemon holds: the event loop, the configuration, the store and
 * the Varlink server. It is passed explicitly; nothing lives in globals. This header is what every
 * part of the daemon (the API, the monitor, the watches) reads of it — the state, the clock and the
 * journal's language — and depends on none of them, so that manager.c, which creates and runs them,
 * is the only file above them all. */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "anchor.h"
#include "auth.h"
#include "config.h"
#include "date.h"
#include "kept-answer.h"
#include "log.h"
#include "refusals.h"
#include "store.h"
#include "varlink.h"

typedef struct Monitor Monitor;


typedef struct LogWatch LogWatch;
typedef struct Feed Feed;
typedef struct Aggregator Aggregator;
typedef struct Notifier Notifier;

typedef struct Manager {
        sd_event *event;
        Config *config;
        uint64_t config_generation; /* moves each time a reload replaces config: for answers kept between calls */
        Store *store;
        VarlinkIdl *idl;
        VarlinkServer *server;
        Monitor *monitor;          /* the gap monitor (monitor.h) */
        LogWatch *log_watch;       /* the duty log's report deadlines (log-watch.h) */
        Feed *feed;                /* the calendar feeds (feed.h) */
        Aggregator *aggregator;    /* the offices' journals, when dutyd.conf makes this an aggregator (aggregate.h) */
        KeptAnswer offices_answer; /* OfficesList's last answer and what it was made from (api-offices.c) */
        KeptAnswer who_answer;     /* Who's last answer and what it was made from (api-roster.c) */
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
        /* Requests that share one transaction and one commit (api-audit.c): begun by the first
         * write of a turn of the loop, committed by group_commit once no call is ready to run or by
         * group_commit_timer at the latest, or by store_begin() of another writer. Their replies
         * are held until the COMMIT. */
        struct ApiGroupCall *group_calls;
        size_t n_group_calls;
        /* The audit chain's head as the group's rows left it (its row, 0 for none, and hash), told
         * to the journal once the group commits: the chain links every row before it, so one
         * anchor per commit proves what one per row did. */
        int64_t anchor_seq;
        char anchor_hash[ANCHOR_HASH_SIZE];
        sd_event_source *group_commit;
        sd_event_source *group_commit_timer;
        sd_event_source *commit_done; /* the eventfd the store's commit thread writes when done */
        bool request_running;      /* a write's handler runs: the group cannot commit meanwhile */
        /* Test hook ($DUTYD_COMMIT_DELAY_MS, manager.c): the group commits this long after its
         * first write instead of once the calls ready with it have run. 0 in production. */
        uint64_t commit_delay_usec;
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

/* The office id every MESSAGE_ID entry carries as DUTY_OFFICE (report.h), or NULL. */
static inline const char *manager_office_id(const Manager *m) {
        return m && m->config ? m->config->office_id : NULL;
}

/* The language of the journal's entries: the configuration's, even while a call runs in the
 * caller's. */
static inline const char *manager_journal_language(const Manager *m) {
        return m->journal_language ?: m->config->language;
}

/* clock_gettime() in µs; a wall clock set before 1970 reads as the epoch. */
uint64_t context_clock_usec(clockid_t clock);
/* Wall-clock "now" for the core, in µs since the epoch (honours the DUTYD_NOW test hook); a clock
 * set before 1970 reads as 0, the epoch. */
uint64_t manager_now_usec(const Manager *m);
uint64_t manager_uptime_usec(const Manager *m);
/* "now" as the office's local date and minutes since local midnight. */
void manager_now_local(const Manager *m, Day *ret_day, int *ret_minutes);
/* The duty day running now (before the handover it is still yesterday's). */
Day manager_today(const Manager *m);
