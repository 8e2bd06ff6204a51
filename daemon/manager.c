/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "api-roster.h"
#include "api.h"
#include "api-audit.h"
#include "api-offices.h"
#include "build-config.h"
#include "config-parse.h"
#include "damage.h"
#include "i18n.h"
#include "log.h"
#include "manager.h"
#include "aggregate.h"
#include "log-watch.h"
#include "monitor.h"
#include "feed.h"
#include "notify-send.h"

extern const char dutyd_idl_text[];

/* Who connects decides how many connections it may hold (varlink.h): known at accept time from
 * SO_PEERCRED, with the configuration of that moment — a connection keeps its class across a
 * reload. */
static VarlinkPeerClass manager_classify_peer(const struct ucred *peer, void *userdata) {
        Manager *m = userdata;
        Identity id;

        id = auth_identify_peer_cached(&m->peer_names, m->config, peer->uid, manager_uptime_usec(m));
        switch (id.access) {
        case ACCESS_GUEST:
                return VARLINK_PEER_GUEST;
        case ACCESS_MEMBER:
        case ACCESS_APPROVER:
                return VARLINK_PEER_MEMBER;
        case ACCESS_ADMIN:
        case ACCESS_ROOT:
                return VARLINK_PEER_PRIVILEGED;
        case _ACCESS_MAX:
        case _ACCESS_INVALID:
                break;
        }
        return VARLINK_PEER_GUEST;
}

static int manager_parse_fake_now(Manager *m) {
        const char *s = getenv("DUTYD_NOW");
        struct tm tm = {};
        char *end;
        time_t t;

        if (isempty(s))
                return 0;

        end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
        if (end && *end == ':')
                end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
        if (!end || *end != '\0') {
                log_error("DUTYD_NOW=%s is not YYYY-MM-DDTHH:MM[:SS].", s);
                return -EINVAL;
        }
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t) -1) {
                log_error("DUTYD_NOW=%s is not a valid local time.", s);
                return -EINVAL;
        }
        m->now_offset_usec = (int64_t) t * (int64_t) USEC_PER_SEC - (int64_t) context_clock_usec(CLOCK_REALTIME);
        log_notice("Clock pinned by DUTYD_NOW to %s (test hook).", s);
        return 0;
}

/* Test hook: $DUTYD_REFUSAL_INTERVAL_SEC shortens the interval of the guests' refusal rows, so that
 * a scenario can see the timer write them. */
static int manager_parse_refusal_interval(Manager *m) {
        const char *s = getenv("DUTYD_REFUSAL_INTERVAL_SEC");
        unsigned long v;
        char *end;

        m->refusal_interval_usec = REFUSAL_TALLY_INTERVAL_USEC;
        if (isempty(s))
                return 0;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0 || v > 3600) {
                log_error("DUTYD_REFUSAL_INTERVAL_SEC=%s is not a number of seconds from 1 to 3600.", s);
                return -EINVAL;
        }
        m->refusal_interval_usec = (uint64_t) v * USEC_PER_SEC;
        log_notice("Refusal interval set by DUTYD_REFUSAL_INTERVAL_SEC to %lu s (test hook).", v);
        return 0;
}

/* Test hook: $DUTYD_COMMIT_DELAY_MS keeps each group of writes open that long after its first write
 * before it commits (api-audit.c), so that a scenario can call while a write waits for its commit
 * and see the reads answered meanwhile, without its changes. Never set it in production: every
 * write is then acknowledged that much later. */
static int manager_parse_commit_delay(Manager *m) {
        const char *s = getenv("DUTYD_COMMIT_DELAY_MS");
        unsigned long v;
        char *end;

        if (isempty(s))
                return 0;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno != 0 || *end != '\0' || v > 60000) {
                log_error("DUTYD_COMMIT_DELAY_MS=%s is not a number of milliseconds (0…60000).", s);
                return -EINVAL;
        }
        m->commit_delay_usec = (uint64_t) v * USEC_PER_MSEC;
        log_notice("Each group of writes commits %lu ms after its first write, set by DUTYD_COMMIT_DELAY_MS (test hook).", v);
        return 0;
}

static int resolve_state_dir(const ManagerOptions *o, const Config *c, char **ret) {
        const char *e;

        if (o->state_dir)
                *ret = strdup(o->state_dir);
        else if (c->state_dir)
                *ret = strdup(c->state_dir);
        else if ((e = getenv("STATE_DIRECTORY")) && !isempty(e))
                /* systemd may pass several, separated by ':'; ours is the first. */
                *ret = strndup(e, strcspn(e, ":"));
        else
                *ret = strdup(DUTYD_STATE_DIR_DEFAULT);
        return *ret ? 0 : -ENOMEM;
}

static int resolve_socket_path(const ManagerOptions *o, const Config *c, char **ret) {
        const char *e;

        if (o->socket_path)
                *ret = strdup(o->socket_path);
        else if (c->socket_path)
                *ret = strdup(c->socket_path);
        else if ((e = getenv("RUNTIME_DIRECTORY")) && !isempty(e)) {
                if (asprintf(ret, "%.*s/" DUTYD_SOCKET_NAME, (int) strcspn(e, ":"), e) < 0)
                        *ret = NULL;
        } else
                *ret = strdup(DUTYD_SOCKET_DEFAULT);
        return *ret ? 0 : -ENOMEM;
}

/* Created 0700: the database in it holds who is away and where. */
static int ensure_state_dir(const char *path) {
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Cannot create state directory %s: %m", path);
        return check_trusted(path, N_("state directory"), TRUST_NOFOLLOW);
}

int manager_new(const ManagerOptions *o, Manager **ret) {
        _cleanup_(manager_freep) Manager *m = NULL;
        _cleanup_free_ char *idl_error = NULL, *store_error = NULL, *table_error = NULL;
        _cleanup_free_ VarlinkMethod *methods = NULL;
        size_t n_methods;
        int r;

        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        m->start_usec = context_clock_usec(CLOCK_MONOTONIC);

        m->config_path = strdup(o->config_path);
        if (!m->config_path)
                return -ENOMEM;

        r = check_trusted(m->config_path, N_("configuration file"), TRUST_PARENT);
        if (r < 0)
                return r;
        r = manager_load_config(m->config_path, &m->config);
        if (r < 0)
                return r;
        r = check_holidays_dir_log(m->config);
        if (r < 0)
                return r;
        r = manager_apply_timezone(m->config);
        if (r < 0)
                return log_error_errno(r, "Cannot set time zone %s: %m", m->config->timezone);
        r = manager_parse_fake_now(m);
        if (r < 0)
                return r;
        r = manager_parse_commit_delay(m);
        if (r < 0)
                return r;
        r = manager_parse_refusal_interval(m);
        if (r < 0)
                return r;
        manager_log_config_warnings(m, m->config);

        r = resolve_state_dir(o, m->config, &m->state_dir);
        if (r < 0)
                return r;
        r = resolve_socket_path(o, m->config, &m->socket_path);
        if (r < 0)
                return r;
        r = ensure_state_dir(m->state_dir);
        if (r < 0)
                return r;
        if (asprintf(&m->database_path, "%s/dutyd.sqlite", m->state_dir) < 0)
                return -ENOMEM;

        r = store_open(m->database_path, &m->store, &store_error);
        if (r < 0) {
                log_error("Cannot open database %s: %s", m->database_path, store_error ?: strerror(-r));
                return r;
        }
        store_set_open_handler(m->store, api_group_on_store_open, m);
        r = damage_check_start(m, o->accept_database_reset);
        if (r < 0)
                return r;

        r = varlink_idl_parse(dutyd_idl_text, &m->idl, &idl_error);
        if (r < 0) {
                log_error("Built-in interface definition is invalid: %s", strna(idl_error));
                return r;
        }

        r = sd_event_default(&m->event);
        if (r < 0)
                return log_error_errno(r, "Cannot allocate event loop: %m");

        r = api_methods(m->idl, &methods, &n_methods, &table_error);
        if (r < 0) {
                log_error("The method table and the built-in interface definition disagree: %s",
                          table_error ?: strerror(-r));
                return r;
        }
        r = varlink_server_new(m->event, m->idl,
                               &(const VarlinkServerInfo) {
                                       .vendor = "dutyd",
                                       .product = "dutyd",
                                       .version = PACKAGE_VERSION,
                                       .url = "https://github.com/dutyd/dutyd",
                               },
                               methods, n_methods, m, &m->server);
        if (r < 0)
                return log_error_errno(r, "Cannot create Varlink server: %m");
        varlink_server_set_classifier(m->server, manager_classify_peer);

        r = damage_watch(m);
        if (r < 0)
                return r;

        r = monitor_new(m, &m->monitor);
        if (r < 0)
                return r;

        r = log_watch_new(m, &m->log_watch);
        if (r < 0)
                return r;

        r = feed_new(m, &m->feed);
        if (r < 0)
                return r;

        r = aggregator_new(m, &m->aggregator);
        if (r < 0)
                return r;

        r = notifier_new(m, &m->notifier);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(m);
        return 0;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;

        api_group_free(m);
        monitor_free(m->monitor);
        log_watch_free(m->log_watch);
        feed_free(m->feed);
        aggregator_free(m->aggregator);
        kept_answer_done(&m->offices_answer);
        kept_answer_done(&m->who_answer);
        notifier_free(m->notifier);
        sd_event_source_disable_unref(m->refusal_timer);
        sd_event_source_disable_unref(m->damage_timer);
        log_queue_done(&m->journal_pending);
        varlink_server_free(m->server);
        sd_event_unref(m->event);
        varlink_idl_free(m->idl);
        store_free(m->store);
        config_free(m->config);
        free(m->config_path);
        free(m->state_dir);
        free(m->socket_path);
        free(m->database_path);
        free(m);
        return NULL;
}

static int lookup_group(const char *name, gid_t *ret) {
        struct group gr, *result = NULL;
        char buf[4096];
        int r;

        r = getgrnam_r(name, &gr, buf, sizeof(buf), &result);
        if (r != 0)
                return -r;
        if (!result)
                return -ESRCH;
        *ret = result->gr_gid;
        return 0;
}

int manager_listen(Manager *m) {
        gid_t gid = (gid_t) -1;
        int n, r;

        n = sd_listen_fds(true);
        if (n < 0)
                return log_error_errno(n, "Cannot read passed file descriptors: %m");
        if (n > 1) {
                log_error("Expected one socket from the service manager, got %d.", n);
                return -EINVAL;
        }
        if (n == 1) {
                if (sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) <= 0) {
                        log_error("The passed file descriptor is not a listening AF_UNIX stream socket.");
                        return -EINVAL;
                }
                r = varlink_server_listen_fd(m->server, SD_LISTEN_FDS_START);
                if (r < 0)
                        return log_error_errno(r, "Cannot listen on the passed socket: %m");
                m->socket_activated = true;
                log_info("Listening on the socket passed by the service manager.");
                return 0;
        }

        if (m->config->socket_group) {
                r = lookup_group(m->config->socket_group, &gid);
                if (r < 0)
                        return log_error_errno(r, "Socket group '%s' (%s:%s) does not exist.",
                                               m->config->socket_group, m->config_path, "socket_group");
        }

        /* Whoever may write the socket's directory could swap the socket for a link between
         * bind() and the chown() of its group, or replace it with their own. */
        {
                _cleanup_free_ char *copy = NULL, *problem = NULL;

                copy = strdup(m->socket_path);
                if (!copy)
                        return -ENOMEM;
                r = check_trusted_one(dirname(copy), N_("socket"), m->socket_path, 0, true, &problem);
                if (r < 0) {
                        log_error("%s", problem ?: strerror(-r));
                        return r;
                }
        }
        r = varlink_server_listen_path(m->server, m->socket_path, 0660, gid);
        if (r == -EADDRINUSE) {
                log_error("Another dutyd is already answering on %s; refusing to start.", m->socket_path);
                return r;
        }
        if (r < 0)
                return log_error_errno(r, "Cannot listen on %s: %m", m->socket_path);

        log_info("Listening on %s.", m->socket_path);
        return 0;
}

/* The catalog's entries for a start and a failed reload (packaging/dutyd.catalog). */
#define MANAGER_MESSAGE_ID_STARTED       "71d4d92a75264b3a9112a350b526791a"

static void manager_log_started(Manager *m) {
        _cleanup_free_ char *config = NULL, *state = NULL;

        if (asprintf(&config, "DUTY_CONFIG=%s", m->config_path) < 0 ||
            asprintf(&state, "DUTY_STATE_DIR=%s", strempty(m->state_dir)) < 0) {
                log_info("dutyd " PACKAGE_VERSION " ready.");
                return;
        }
        (void) log_struct_entry(LOG_INFO, MANAGER_MESSAGE_ID_STARTED, manager_office_id(m),
                                (const char *const[]) { config, state, NULL }, "dutyd " PACKAGE_VERSION " ready.");
        /* Once, so that an office expecting its reports to go up learns why none do. */
        if (!manager_office_id(m))
                log_info("No office_id in %s: no reports for the superior duty office are written.", m->config_path);
}

static void on_drained(VarlinkServer *s, void *userdata) {
        Manager *m = userdata;

        (void) sd_event_exit(m->event, 0);
}

static int on_shutdown_deadline(sd_event_source *s, uint64_t usec, void *userdata) {
        Manager *m = userdata;

        log_warning("Clients did not collect their replies within %u s of the stop request; exiting.",
                    (unsigned) (MANAGER_SHUTDOWN_FLUSH_USEC / USEC_PER_SEC));
        return sd_event_exit(m->event, 0);
}

/* A reply already queued acknowledges a change that is committed: it is written out before the
 * exit, so that the client does not take an EOF for "nothing happened" and try again. Nothing new is
 * read meanwhile, and a client that does not read is not waited for past the deadline. A second
 * request to stop exits at once. */
static int on_terminate(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Manager *m = userdata;
        int r;

        if (varlink_server_draining(m->server))
                return sd_event_exit(m->event, 0);

        (void) sd_notify(false, "STOPPING=1\nSTATUS=Shutting down.");
        r = sd_event_add_time_relative(m->event, NULL, CLOCK_MONOTONIC, MANAGER_SHUTDOWN_FLUSH_USEC, 0,
                                       on_shutdown_deadline, m);
        if (r < 0) {
                log_warning("Cannot arm the shutdown deadline, exiting without waiting for replies: %s",
                            strerror(-r));
                return sd_event_exit(m->event, 0);
        }
        return varlink_server_drain(m->server, on_drained, m);
}

static int on_reload(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        (void) manager_reload_notify(userdata, NULL);
        return 0;
}

int manager_block_signals(sigset_t *ret_old) {
        sigset_t mask;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &mask, ret_old) < 0)
                return -errno;
        return 0;
}

int manager_run(Manager *m) {
        int r;

        /* main() blocked them before anything else already; this is for any other caller, since
         * sd-event only takes signals that are blocked. */
        r = manager_block_signals(NULL);
        if (r < 0)
                return log_error_errno(r, "Cannot block signals: %m");

        r = sd_event_add_signal(m->event, NULL, SIGTERM, on_terminate, m);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGINT, on_terminate, m);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGHUP, on_reload, m);
        if (r < 0)
                return log_error_errno(r, "Cannot watch signals: %m");

        /* sd-event sends WATCHDOG=1 by itself at half of $WATCHDOG_USEC, from the loop, so it stops
         * when the loop stalls. */
        r = sd_event_set_watchdog(m->event, true);
        if (r < 0)
                return log_error_errno(r, "Cannot enable the watchdog: %m");

        (void) sd_notifyf(false, "READY=1\nSTATUS=Serving %zu people on %s.",
                          m->config->n_people, m->socket_path);
        manager_log_started(m);

        r = sd_event_loop(m->event);
        /* Refusals counted but not yet written get their rows before the store closes. */
        api_audit_refusals_flush(m);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        return 0;
}
