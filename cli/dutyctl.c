/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl: the command-line client of dutyd. Each verb family (verbs-*.c) exports one table whose
 * rows name the verb, its arguments, the Varlink method it calls and how the reply is printed;
 * adding a verb means one row there (and a handler only where no shared one fits). Parsing,
 * argument checking and help follow from the tables, joined here in the order --help lists them. */

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "client.h"
#include "dutyctl.h"
#include "util.h"
#include "verbs.h"

#define PROGRAM_NAME "dutyctl"

/* The verb families, in the order --help lists their verbs. */
static const VerbFamily *const families[] = {
        &office_family,
        &roster_family,
        &sensitive_family,
        &unavailable_family,
        &roster_show_family,
        &admin_family,
        &leave_family,
        &swap_family,
        &handover_family,
        &gaps_family,
        &offices_family,
        &check_family,
        &ack_family,
        &log_family,
        &me_family,
        &notify_family,
};

/* The first GLOBAL_OPTIONS_AFTER_VERB of these may also follow the verb ("dutyctl calendar --json"). */
static const VerbOption global_options[] = {
        { "socket", 's', "PATH", N_("dutyd's socket (default $DUTYD_SOCKET, else the system socket)") },
        { "json", '\0', NULL, N_("print replies, and errors, as JSON on standard output") },
        { "verbose", 'v', NULL, N_("name the method and the error of a refusal, as dutyd sent them") },
        { "version", '\0', NULL, N_("show the version and exit") },
};
#define GLOBAL_OPTIONS_AFTER_VERB 3

static int help(FILE *f, const Verb *verbs, size_t n_verbs) {
        int r;

        fprintf(f, _("Usage: %s [OPTIONS] VERB [ARGS…]\n\n"
                     "Query the duty roster kept by dutyd.\n\n"
                     "Options:\n"), PROGRAM_NAME);
        r = verb_options_print_help(f, global_options, ELEMENTSOF(global_options));
        if (r < 0)
                return r;
        fputs(_("\nVerbs:\n"), f);
        r = verbs_print_list(f, verbs, n_verbs);
        if (r < 0)
                return r;
        fprintf(f, _("\nRun '%s VERB --help' for the options of a verb.\n"), PROGRAM_NAME);
        return 0;
}

static int usage_error(const char *message, const char *verb) {
        fprintf(stderr, "%s: %s\n", PROGRAM_NAME, message);
        if (verb)
                fprintf(stderr, _("See '%s %s --help'.\n"), PROGRAM_NAME, verb);
        else
                fprintf(stderr, _("See '%s --help'.\n"), PROGRAM_NAME);
        return CLIENT_EXIT_USAGE;
}

static int parse_failed(int r, const char *error, const char *verb) {
        if (r == -EINVAL && error)
                return usage_error(error, verb);
        fprintf(stderr, _("%s: cannot parse the command line: %s\n"), PROGRAM_NAME, strerror(-r));
        return CLIENT_EXIT_DAEMON_ERROR;
}

static int run(int argc, char *argv[]) {
        _cleanup_(verb_args_done) VerbArgs global = {}, verb_args = {};
        _cleanup_free_ char *error = NULL, *message = NULL;
        _cleanup_free_ Verb *verbs = NULL;
        size_t n_verbs = 0;
        Context ctx = {
                .socket_path = DUTYD_SOCKET_DEFAULT,
        };
        const Verb *verb;
        const char *e;
        size_t words = 0;
        int r;

        r = verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                               argc - 1, argv + 1, &global, &error);
        if (r < 0)
                return parse_failed(r, error, NULL);

        r = verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs);
        if (r < 0) {
                fprintf(stderr, _("%s: cannot parse the command line: %s\n"), PROGRAM_NAME, strerror(-r));
                return CLIENT_EXIT_DAEMON_ERROR;
        }

        if (global.help)
                return help(stdout, verbs, n_verbs) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;
        if (verb_args_has(&global, "version")) {
                printf("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
                return CLIENT_EXIT_OK;
        }

        e = getenv("DUTYD_SOCKET");
        if (!isempty(e))
                ctx.socket_path = e;
        e = verb_args_get(&global, "socket");
        if (e) {
                if (isempty(e))
                        return usage_error(_("option '--socket' needs a non-empty PATH"), NULL);
                ctx.socket_path = e;
        }
        ctx.json = verb_args_has(&global, "json");
        ctx.verbose = verb_args_has(&global, "verbose");

        if (global.n_args == 0)
                return usage_error(_("no verb given"), NULL);

        verb = verb_find_words(verbs, n_verbs, global.n_args, global.args, &words);
        /* "dutyctl leave --help", "dutyctl leave -h", "dutyctl leave help": the family's verbs. A
         * family word alone is a usage error that lists them. */
        if (!verb && verbs_have_group(verbs, n_verbs, global.args[0])) {
                if (global.n_args == 2 && STR_IN_SET(global.args[1], "--help", "-h", "help"))
                        return verbs_print_group_help(stdout, PROGRAM_NAME, verbs, n_verbs,
                                                      global.args[0]) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;
                if (global.n_args == 1) {
                        fprintf(stderr, _("%s: '%s' needs one more word:\n"), PROGRAM_NAME, global.args[0]);
                        (void) verbs_print_group_help(stderr, PROGRAM_NAME, verbs, n_verbs, global.args[0]);
                        return CLIENT_EXIT_USAGE;
                }
        }
        if (!verb) {
                if (!verbs_have_group(verbs, n_verbs, global.args[0]))
                        r = asprintf(&message, _("unknown verb '%s'"), global.args[0]);
                else if (global.n_args > 1)
                        r = asprintf(&message, _("unknown verb '%s %s'"), global.args[0], global.args[1]);
                else
                        r = asprintf(&message, _("'%s' needs one more word, as listed by --help"), global.args[0]);
                if (r < 0)
                        return CLIENT_EXIT_DAEMON_ERROR;
                return usage_error(message, NULL);
        }

        /* The parser takes the verb's last word as argv[0]. */
        r = verb_parse_full(verb, global_options, GLOBAL_OPTIONS_AFTER_VERB, (int) (global.n_args - words + 1),
                            global.args + words - 1, &verb_args, &error);
        if (r < 0)
                return parse_failed(r, error, verb->name);

        if (verb_args_has(&verb_args, "json"))
                ctx.json = true;
        if (verb_args_has(&verb_args, "verbose"))
                ctx.verbose = true;
        e = verb_args_get(&verb_args, "socket");
        if (e) {
                if (isempty(e))
                        return usage_error(_("option '--socket' needs a non-empty PATH"), NULL);
                ctx.socket_path = e;
        }

        if (verb_args.help)
                return verb_print_help(stdout, PROGRAM_NAME, verb) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;

        return client_exit_status(verb->run(&verb_args, &ctx));
}

int main(int argc, char *argv[]) {
        i18n_setup();
        return run(argc, argv);
}
