/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl: the command-line client of dutyd. Adding a verb means one handler and one line in the
 * verb table below; parsing, argument checking and help follow from the table. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "client.h"
#include "dutyctl.h"
#include "export.h"
#include "labels.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

#define PROGRAM_NAME "dutyctl"
#define UPTIME_STRING_MAX 64
/* leave check and leave request take the same arguments. */
#define LEAVE_REQUEST_SYNOPSIS                                                                   \
        "--from TIME --to TIME [--kind KIND] --destination TEXT --reason TEXT [--phone PHONE] "  \
        "[--acting PERSON] [--out-of-town|--local] [--urgent] [--for PERSON]"

/* The string members of a JSON array, each through label(), joined by sep; "-" for none. */
static char *json_strv_join(json_t *array, const char *sep, const char *(*label)(const char *)) {
        size_t len = 0, i;
        json_t *v;
        char *s, *p;

        json_array_foreach(array, i, v)
                if (json_is_string(v))
                        len += strlen(label(json_string_value(v))) + strlen(sep);

        if (len == 0)
                return strdup("-");

        s = malloc(len + 1);
        if (!s)
                return NULL;

        p = s;
        json_array_foreach(array, i, v) {
                if (!json_is_string(v))
                        continue;
                if (p != s)
                        p = stpcpy(p, sep);
                p = stpcpy(p, label(json_string_value(v)));
        }
        *p = '\0';
        return s;
}

static char *format_uptime(int64_t sec, char buf[static UPTIME_STRING_MAX]) {
        int64_t d, h, m, s;

        if (sec < 0) {
                snprintf(buf, UPTIME_STRING_MAX, "-");
                return buf;
        }

        d = sec / 86400;
        h = sec / 3600 % 24;
        m = sec / 60 % 60;
        s = sec % 60;

        /* TRANSLATORS: uptime: days, hours, minutes. */
        if (d > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "d %" PRId64 "h %" PRId64 "min"), d, h, m);
        else if (h > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "h %" PRId64 "min"), h, m);
        else if (m > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "min %" PRId64 "s"), m, s);
        else
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "s"), s);
        return buf;
}

static int print_status(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        char uptime[UPTIME_STRING_MAX], schema[INT_STRING_MAX];
        char people[INT_STRING_MAX], groups[INT_STRING_MAX], posts[INT_STRING_MAX], conns[INT_STRING_MAX];
        json_t *counts = json_object_get(reply, "counts"), *up = json_object_get(reply, "uptime_sec");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        if ((r = table_add_pair(t, _("Version"), "%s", json_str(reply, "version"))) < 0 ||
            (r = table_add_pair(t, _("Office"), "%s", json_str(reply, "office"))) < 0 ||
            (r = table_add_pair(t, _("Uptime"), "%s",
                                json_is_integer(up) ? format_uptime(json_integer_value(up), uptime) : "-")) < 0 ||
            (r = table_add_pair(t, _("Configuration"), "%s", json_str(reply, "config_path"))) < 0 ||
            (r = table_add_pair(t, _("Database"), "%s", json_str(reply, "database"))) < 0 ||
            /* Only when dutyd refuses every change: the clerk must see why. */
            (json_object_get(reply, "database_problem_message") &&
             (r = table_add_pair(t, _("Database problem"), "%s", json_str(reply, "database_problem_message"))) < 0) ||
            (r = table_add_pair(t, _("Schema version"), "%s", json_int_str(reply, "schema_version", schema))) < 0 ||
            (r = table_add_pair(t, _("Time zone"), "%s", json_str(reply, "timezone"))) < 0 ||
            (r = table_add_pair(t, _("Handover"), "%s", json_str(reply, "handover"))) < 0 ||
            (r = table_add_pair(t, _("Counts"), _("people %s, groups %s, posts %s, connections %s"),
                                json_int_str(counts, "people", people),
                                json_int_str(counts, "groups", groups),
                                json_int_str(counts, "posts", posts),
                                json_int_str(counts, "connections", conns))) < 0)
                return r;

        return table_print(t, f);
}

static int print_whoami(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *roles = NULL;
        char uid[INT_STRING_MAX];
        json_t *person = json_object_get(reply, "person");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        r = table_add_pair(t, _("UID"), "%s", json_int_str(reply, "uid", uid));
        if (r < 0)
                return r;
        r = table_add_pair(t, _("User"), "%s", json_str(reply, "user"));
        if (r < 0)
                return r;

        if (json_is_object(person)) {
                roles = json_strv_join(json_object_get(person, "roles"), _(", "), label_role);
                if (!roles)
                        return -ENOMEM;

                if ((r = table_add_pair(t, _("Person"), "%s (%s)", json_str(person, "name"), json_str(person, "id"))) < 0 ||
                    (r = table_add_pair(t, _("Title"), "%s", json_str(person, "title"))) < 0 ||
                    (r = table_add_pair(t, _("Roles"), "%s", roles)) < 0)
                        return r;
        } else {
                r = table_add_pair(t, _("Person"), "%s", _("(not in the configuration)"));
                if (r < 0)
                        return r;
        }

        r = table_add_pair(t, _("Access"), "%s", label_access(json_string_value(json_object_get(reply, "access"))));
        if (r < 0)
                return r;

        return table_print(t, f);
}

static int print_people(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *people = json_object_get(reply, "people"), *p;
        size_t i;
        int r;

        r = table_new(5, (const char *const[]) { _("ID"), _("Name"), _("Title"), _("Roles"), _("Phone") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(people, i, p) {
                _cleanup_free_ char *roles = json_strv_join(json_object_get(p, "roles"), _(", "), label_role);

                if (!roles)
                        return -ENOMEM;

                r = table_add_row(t, (const char *const[]) {
                                json_str(p, "id"), json_str(p, "name"), json_str(p, "title"),
                                roles, json_str(p, "phone") });
                if (r < 0)
                        return r;
        }

        return table_print(t, f);
}

/* One id per line, for shell completion and scripts. */
static int print_people_ids(FILE *f, json_t *reply) {
        json_t *p;
        size_t i;

        json_array_foreach(json_object_get(reply, "people"), i, p)
                if (json_is_string(json_object_get(p, "id")))
                        fprintf(f, "%s\n", json_string_value(json_object_get(p, "id")));
        return ferror(f) ? -EIO : 0;
}

static int verb_status(const VerbArgs *args, void *userdata) {
        return call_and_print(userdata, "Status", NULL, print_status);
}

static int verb_whoami(const VerbArgs *args, void *userdata) {
        return call_and_print(userdata, "Whoami", NULL, print_whoami);
}

static int verb_people(const VerbArgs *args, void *userdata) {
        json_t *params = json_object();
        const char *role = verb_args_get(args, "role");
        int r;

        if (!params)
                return -ENOMEM;
        if (role && json_object_set_new(params, "role", json_string(role)) < 0) {
                json_decref(params);
                return -ENOMEM;
        }

        r = call_and_print(userdata, "ListPeople", params,
                           verb_args_has(args, "ids") ? print_people_ids : print_people);
        json_decref(params);
        return r;
}

static const VerbOption people_options[] = {
        { "role", '\0', "ROLE", N_("only people holding ROLE: leader, officer, approver or admin") },
        { "ids", '\0', NULL, N_("print only their ids, one per line") },
};

static const Verb verbs[] = {
        { "status", "", N_("Show the daemon's state: version, office, uptime, files, counts."),
          0, 0, NULL, 0, verb_status },
        { "whoami", "", N_("Show who the daemon takes the caller to be, and the access it grants."),
          0, 0, NULL, 0, verb_whoami },
        { "people", "[--role ROLE] [--ids]", N_("List the people of the office."),
          0, 0, people_options, ELEMENTSOF(people_options), verb_people },
        { "calendar", "[--from DATE --to DATE | --year YEAR]",
          N_("Show the official calendar: day types, holidays and their runs, sensitive periods."),
          0, 0, calendar_options, ELEMENTSOF(calendar_options), verb_calendar },
        { "who", "[now|today|tomorrow|yesterday|+N|-N|YYYY-MM-DD|YYYY-MM-DDTHH:MM]",
          N_("Show who is on duty now, on a duty day counted from today, or at an instant."),
          0, 1, NULL, 0, verb_who },
        { "roster generate", "--from DATE --to DATE [--dry-run] [--assume-ordinary] [--replace-manual] [--amend --reason TEXT]",
          N_("Generate the roster of a range from the first day not begun; locked and hand-made assignments and applied swaps are kept (admin)."),
          0, 0, roster_generate_options, ELEMENTSOF(roster_generate_options), verb_roster_generate },
        { "roster holiday", "[NAME] [--year YEAR] [--dry-run] [--replace-manual] [--amend --reason TEXT]",
          N_("Generate exactly the duty period of the next, or the named, holiday (admin)."),
          0, 1, roster_holiday_options, ELEMENTSOF(roster_holiday_options), verb_roster_holiday },
        { "roster assign", "DATE POST PERSON [--lock] [--amend --reason TEXT]", N_("Put a person on a post for a duty day (admin)."),
          3, 3, roster_assign_options, ELEMENTSOF(roster_assign_options), verb_roster_assign },
        { "roster unassign", "DATE POST PERSON [--amend --reason TEXT]", N_("Take a person off a post for a duty day (admin)."),
          3, 3, roster_unassign_options, ELEMENTSOF(roster_unassign_options), verb_roster_unassign },
        { "roster publish", "--from DATE --to DATE", N_("Freeze the roster of a range as a numbered version (admin)."),
          0, 0, roster_publish_options, ELEMENTSOF(roster_publish_options), verb_roster_publish },
        { "roster diff", "[VERSION]", N_("Show what changed since a published version (default: each day since the version covering it)."),
          0, 1, NULL, 0, verb_roster_diff },
        { "roster amendments", "--from DATE --to DATE", N_("List the amendments of published days: who, when, why."),
          0, 0, roster_amendments_options, ELEMENTSOF(roster_amendments_options), verb_roster_amendments },
        { "roster stats", "[--year YEAR]", N_("Show duties per person and category, and their spread."),
          0, 0, roster_stats_options, ELEMENTSOF(roster_stats_options), verb_roster_stats },
        { "sensitive add", "NAME --from DATE --to DATE [--extra-officers N] [--leave POLICY]",
          N_("Add a sensitive period (重要敏感时期) (admin)."),
          1, 1, sensitive_add_options, ELEMENTSOF(sensitive_add_options), verb_sensitive_add },
        { "sensitive list", "", N_("List the sensitive periods, configured and added."),
          0, 0, NULL, 0, verb_sensitive_list },
        { "sensitive remove", "ID", N_("Remove a sensitive period added at run time (admin)."),
          1, 1, NULL, 0, verb_sensitive_remove },
        { "unavailable add", "PERSON --from DATE --to DATE [--reason TEXT]",
          N_("Declare that a person cannot take duties on some days (admin)."),
          1, 1, unavailable_add_options, ELEMENTSOF(unavailable_add_options), verb_unavailable_add },
        { "unavailable list", "[--person ID]", N_("List declared unavailability."),
          0, 0, unavailable_list_options, ELEMENTSOF(unavailable_list_options), verb_unavailable_list },
        { "unavailable remove", "ID", N_("Remove a declared unavailability (admin)."),
          1, 1, NULL, 0, verb_unavailable_remove },
        { "roster show", "[--week [+N] | --month YYYY-MM | --from DATE --to DATE] [--person ID] [--format FORMAT] [-o|--output FILE]",
          N_("Show or export the roster of this week, a week, a month or a range: table, json, csv, ics or html."),
          0, 1, roster_show_options, ELEMENTSOF(roster_show_options), verb_roster_show },
        { "reload", "", N_("Make dutyd re-read its configuration; an invalid one is refused with every problem (admin)."),
          0, 0, NULL, 0, verb_reload },
        { "audit", "[--since TIME] [--person ID] [--limit N] | --verify",
          N_("Show the audit log of changes, or verify its hash chain (admin)."),
          0, 0, audit_options, ELEMENTSOF(audit_options), verb_audit },
        { "leave check", LEAVE_REQUEST_SYNOPSIS,
          N_("Check a leave against every coverage rule without filing it; exits 1 if it would be refused."),
          0, 0, leave_request_options, ELEMENTSOF(leave_request_options), verb_leave_check },
        { "leave request", LEAVE_REQUEST_SYNOPSIS,
          N_("Ask for leave (请假); refused with the rules it breaks (✗ block, ↑ escalate, ! warning)."),
          0, 0, leave_request_options, ELEMENTSOF(leave_request_options), verb_leave_request },
        { "leave approve", "ID [--reason TEXT] [--override]", N_("Approve a leave; every rule is checked again (approver)."),
          1, 1, leave_decide_options, ELEMENTSOF(leave_decide_options), verb_leave_approve },
        { "leave reject", "ID [--reason TEXT] [--override]", N_("Reject a leave (approver)."),
          1, 1, leave_decide_options, ELEMENTSOF(leave_decide_options), verb_leave_reject },
        { "leave cancel", "ID", N_("Withdraw a leave that has not begun."),
          1, 1, NULL, 0, verb_leave_cancel },
        { "leave return", "ID [--at TIME]", N_("Report the return from a leave (销假)."),
          1, 1, leave_return_options, ELEMENTSOF(leave_return_options), verb_leave_return },
        { "leave paperwork", "ID", N_("Record that the written form of an urgent leave has arrived."),
          1, 1, NULL, 0, verb_leave_paperwork },
        { "leave list", "[--pending|--active|--overdue] [--person PERSON]", N_("List leave, newest first."),
          0, 0, leave_list_options, ELEMENTSOF(leave_list_options), verb_leave_list },
        { "leave show", "ID", N_("Show a leave, its history and the rules it meets."),
          1, 1, NULL, 0, verb_leave_show },
        { "swap request", "DATE --with PERSON [--their-date DATE] [--post POST] [--reason TEXT]",
          N_("Ask someone to exchange your duty of DATE for one of theirs (换班)."),
          1, 1, swap_request_options, ELEMENTSOF(swap_request_options), verb_swap_request },
        { "swap cover", "DATE --by PERSON [--post POST] [--reason TEXT]",
          N_("Ask someone to take your duty of DATE (代班)."),
          1, 1, swap_cover_options, ELEMENTSOF(swap_cover_options), verb_swap_cover },
        { "swap list", "[--mine|--pending]", N_("List swaps and substitutions, newest first."),
          0, 0, swap_list_options, ELEMENTSOF(swap_list_options), verb_swap_list },
        { "swap show", "ID", N_("Show a swap and its history."),
          1, 1, NULL, 0, verb_swap_show },
        { "swap accept", "ID", N_("Consent to a swap you were asked for."),
          1, 1, NULL, 0, verb_swap_accept },
        { "swap decline", "ID [--reason TEXT]", N_("Refuse a swap you were asked for, or withdraw your consent."),
          1, 1, swap_note_options, ELEMENTSOF(swap_note_options), verb_swap_decline },
        { "swap approve", "ID", N_("Approve and apply an accepted swap (leader on call of its day, or admin)."),
          1, 1, NULL, 0, verb_swap_approve },
        { "swap cancel", "ID [--reason TEXT]", N_("Withdraw your swap before it is applied."),
          1, 1, swap_note_options, ELEMENTSOF(swap_note_options), verb_swap_cancel },
        { "gaps", "[--days N] [--json]", N_("List the gaps in the duty coverage now, most urgent first."),
          0, 0, gaps_options, ELEMENTSOF(gaps_options), verb_gaps },
        { "me", "[--days N]", N_("Show my next duties, my open leave and swaps, and what waits for my decision."),
          0, 0, me_options, ELEMENTSOF(me_options), verb_me },
};

/* The first GLOBAL_OPTIONS_AFTER_VERB of these may also follow the verb ("dutyctl calendar --json"). */
static const VerbOption global_options[] = {
        { "socket", 's', "PATH", N_("dutyd's socket (default $DUTYD_SOCKET, else the system socket)") },
        { "json", '\0', NULL, N_("print replies, and errors, as JSON on standard output") },
        { "verbose", 'v', NULL, N_("name the method and the error of a refusal, as dutyd sent them") },
        { "version", '\0', NULL, N_("show the version and exit") },
};
#define GLOBAL_OPTIONS_AFTER_VERB 3

static int help(FILE *f) {
        int r;

        fprintf(f, _("Usage: %s [OPTIONS] VERB [ARGS…]\n\n"
                     "Query the duty roster kept by dutyd.\n\n"
                     "Options:\n"), PROGRAM_NAME);
        r = verb_options_print_help(f, global_options, ELEMENTSOF(global_options));
        if (r < 0)
                return r;
        fputs(_("\nVerbs:\n"), f);
        r = verbs_print_list(f, verbs, ELEMENTSOF(verbs));
        if (r < 0)
                return r;
        fprintf(f, _("\nRun '%s VERB --help' for the options of a verb.\n"), PROGRAM_NAME);
        return 0;
}

static bool str_in_set(const char *s, const char *const *set) {
        for (; *set; set++)
                if (streq(s, *set))
                        return true;
        return false;
}
#define STR_IN_SET(s, ...) str_in_set((s), (const char *const[]) { __VA_ARGS__, NULL })

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

        if (global.help)
                return help(stdout) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;
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

        verb = verb_find_words(verbs, ELEMENTSOF(verbs), global.n_args, global.args, &words);
        /* "dutyctl leave --help", "dutyctl leave -h", "dutyctl leave help": the family's verbs. A
         * family word alone is a usage error that lists them. */
        if (!verb && verbs_have_group(verbs, ELEMENTSOF(verbs), global.args[0])) {
                if (global.n_args == 2 && STR_IN_SET(global.args[1], "--help", "-h", "help"))
                        return verbs_print_group_help(stdout, PROGRAM_NAME, verbs, ELEMENTSOF(verbs),
                                                      global.args[0]) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;
                if (global.n_args == 1) {
                        fprintf(stderr, _("%s: '%s' needs one more word:\n"), PROGRAM_NAME, global.args[0]);
                        (void) verbs_print_group_help(stderr, PROGRAM_NAME, verbs, ELEMENTSOF(verbs), global.args[0]);
                        return CLIENT_EXIT_USAGE;
                }
        }
        if (!verb) {
                if (!verbs_have_group(verbs, ELEMENTSOF(verbs), global.args[0]))
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
