/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build-config.h"
#include "config-parse.h"
#include "config.h"
#include "i18n.h"
#include "log.h"
#include "manager.h"
#include "roster.h"

static void help(void) {
        printf(_("Usage: dutyd [OPTIONS]\n"
                 "       dutyd --check-config [FILE]\n\n"
                 "Keeps the 24-hour duty roster of an office and checks leaders' leave.\n\n"
                 "  -c --config PATH     Configuration file (default %s)\n"
                 "     --state-dir DIR   Database directory (default $STATE_DIRECTORY or %s)\n"
                 "     --socket PATH     Varlink socket (default $RUNTIME_DIRECTORY/%s or %s)\n"
                 "     --check-config    Validate the configuration, print every problem, and exit\n"
                 "     --accept-database-reset\n"
                 "                       Start on a database that is empty or older than the journal\n"
                 "                       shows, and record that this was accepted\n"
                 "  -h --help            Show this help\n"
                 "     --version         Show the version\n"),
               DUTYD_CONFIG_DEFAULT, DUTYD_STATE_DIR_DEFAULT, DUTYD_SOCKET_NAME, DUTYD_SOCKET_DEFAULT);
}

typedef struct Arguments {
        const char *config_path;
        const char *state_dir;
        const char *socket_path;
        bool check_config;
        bool accept_database_reset;
} Arguments;

enum {
        ARG_STATE_DIR = 0x100,
        ARG_SOCKET,
        ARG_CHECK_CONFIG,
        ARG_ACCEPT_DATABASE_RESET,
        ARG_VERSION,
};

/* Returns 1 to go on, 0 to exit successfully, negative to exit with a usage error. */
static int parse_argv(int argc, char *argv[], Arguments *a) {
        static const struct option options[] = {
                { "config",       required_argument, NULL, 'c'              },
                { "state-dir",    required_argument, NULL, ARG_STATE_DIR    },
                { "socket",       required_argument, NULL, ARG_SOCKET       },
                { "check-config", no_argument,       NULL, ARG_CHECK_CONFIG },
                { "accept-database-reset", no_argument, NULL, ARG_ACCEPT_DATABASE_RESET },
                { "help",         no_argument,       NULL, 'h'              },
                { "version",      no_argument,       NULL, ARG_VERSION      },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "c:h", options, NULL)) >= 0)
                switch (c) {
                case 'c':
                        a->config_path = optarg;
                        break;
                case ARG_STATE_DIR:
                        a->state_dir = optarg;
                        break;
                case ARG_SOCKET:
                        a->socket_path = optarg;
                        break;
                case ARG_CHECK_CONFIG:
                        a->check_config = true;
                        break;
                case ARG_ACCEPT_DATABASE_RESET:
                        a->accept_database_reset = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("dutyd " PACKAGE_VERSION "\n");
                        return 0;
                default:
                        return -EINVAL;
                }

        /* "dutyd --check-config FILE" names the file without --config. */
        if (a->check_config && optind == argc - 1 && !a->config_path)
                a->config_path = argv[optind++];
        if (optind < argc) {
                fprintf(stderr, _("dutyd: unexpected argument '%s'; see --help.\n"), argv[optind]);
                return -EINVAL;
        }
        if (!a->config_path)
                a->config_path = DUTYD_CONFIG_DEFAULT;
        return 1;
}

/* Today in the office's time zone, or on the day DUTYD_NOW (the tests' clock) names. */
static Day check_config_today(const Config *c) {
        const char *fake = getenv("DUTYD_NOW");
        struct tm tm;
        time_t t;
        int minutes;
        Day d;

        /* The daemon's own parser of local instants (date.c), as dutyctl who uses it. */
        if (fake && local_moment_parse(fake, &d, &minutes) >= 0)
                return d;
        if (setenv("TZ", c->timezone, 1) < 0)
                return DAY_NONE;
        tzset();
        t = time(NULL);
        if (!localtime_r(&t, &tm))
                return DAY_NONE;
        return day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int check_config(const char *path) {
        _cleanup_(config_errors_done) ConfigErrors errors = {}, warnings = {};
        _cleanup_(config_freep) Config *c = NULL;
        _cleanup_free_ RosterShortfall *shortfalls = NULL;
        size_t n_shortfalls = 0;
        int r;

        r = config_load(path, &c, &errors);
        if (r < 0) {
                _cleanup_free_ char *text = config_errors_format(&errors);

                if (!isempty(text))
                        fputs(text, stderr);
                else
                        fprintf(stderr, "%s: %s\n", path, strerror(-r));
                return EXIT_FAILURE;
        }

        /* A post count its people cannot cover under the rest rule parses well and still leaves
         * slots empty every day: say so, with the arithmetic, before the roster shows it. It stays
         * a warning, not an error: a small office runs with it (reload accepts it, and the empty
         * slots say why), and an office may staff up later. */
        r = roster_feasibility(c, &shortfalls, &n_shortfalls);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(-r));
                return EXIT_FAILURE;
        }
        for (size_t i = 0; i < n_shortfalls; i++) {
                _cleanup_free_ char *text = roster_shortfall_format(&shortfalls[i], c->language);

                if (!text) {
                        fprintf(stderr, "%s: %s\n", path, strerror(ENOMEM));
                        return EXIT_FAILURE;
                }
                fprintf(stderr, "%s: %s%s\n", path, c->language && streq(c->language, "en") ? "warning: " : "警告：", text);
        }

        /* Warnings go where errors go; the file is still OK and the exit status says so. */
        if (config_warnings(c, check_config_today(c), &warnings) >= 0 && warnings.n > 0) {
                _cleanup_free_ char *text = config_errors_format(&warnings);

                if (text)
                        fputs(text, stderr);
        }
        printf(_("%s: OK (%zu people, %zu groups, %zu posts, %zu holiday notices)\n"),
               path, c->n_people, c->n_groups, c->n_posts, c->n_notices);
        return EXIT_SUCCESS;
}

int main(int argc, char *argv[]) {
        _cleanup_(manager_freep) Manager *m = NULL;
        Arguments a = {};
        sigset_t old_mask;
        int r;

        /* Before anything that takes time (the configuration, the database): the service manager
         * may send SIGHUP or SIGTERM as soon as the process exists, and with the default action
         * either would kill the daemon half-started. Blocked, they wait for the event loop. */
        r = manager_block_signals(&old_mask);
        if (r < 0) {
                fprintf(stderr, "dutyd: cannot block signals: %s\n", strerror(-r));
                return EXIT_FAILURE;
        }

        i18n_setup();
        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r < 0 ? 2 : EXIT_SUCCESS;

        /* A one-shot check from a terminal stops on Ctrl-C as any command does. */
        if (a.check_config) {
                (void) sigprocmask(SIG_SETMASK, &old_mask, NULL);
                return check_config(a.config_path);
        }

        r = manager_new(&(const ManagerOptions) {
                                .config_path = a.config_path,
                                .state_dir = a.state_dir,
                                .socket_path = a.socket_path,
                                .accept_database_reset = a.accept_database_reset,
                        }, &m);
        if (r < 0)
                return EXIT_FAILURE;

        r = manager_listen(m);
        if (r < 0)
                return EXIT_FAILURE;

        r = manager_run(m);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
