/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl check: spot checks (查岗) of the duty room, recorded by inspectors and administrators,
 * and the month's list with its tally for the circular (通报). */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circular.h"
#include "client.h"
#include "export.h"
#include "dutyctl.h"
#include "labels.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"
#include "vocabulary.h"

/* Mirrors the daemon's CHECK_SECONDS_MAX (daemon/check.h, which dutyctl does not link). */
#define CHECK_CLI_SECONDS_MAX 3600

static const VerbOption check_add_options[] = {
        { "answered", '\0', NULL, N_("the check was answered") },
        { "missed", '\0', NULL, N_("the check was not answered") },
        { "how", '\0', "HOW", N_("how the check was made: phone (default), video or visit") },
        { "seconds", '\0', "N", N_("seconds it took to answer (0 to 3600)") },
        { "person", '\0', "ID", N_("who was checked (default the holder of the post that duty day)") },
        { "at", '\0', "TIME", N_("when the check was made, YYYY-MM-DDTHH:MM (default now)") },
        { "remarks", '\0', "TEXT", N_("remarks on the check") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const VerbOption check_list_options[] = {
        { "month", '\0', "YYYY-MM", N_("the checks of that month (default the current one)") },
        { "from", '\0', "DATE", N_("first duty day") },
        { "to", '\0', "DATE", N_("last duty day") },
        { "format", '\0', "FORMAT", N_("table (default), json, html (the monthly circular as an A4 page in Chinese) or csv (its checks, for a spreadsheet)") },
        { "output", 'o', "FILE", N_("write to FILE (\"-\": standard output), replacing it only once complete") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const char *seconds_text(json_t *o, const char *key, char buf[static INT_STRING_MAX]) {
        json_t *v = json_object_get(o, key);

        if (!json_is_integer(v))
                return "-";
        (void) snprintf(buf, INT_STRING_MAX, "%llds", (long long) json_integer_value(v));
        return buf;
}

static int print_check(FILE *f, json_t *reply, void *userdata) {
        json_t *c = json_object_get(reply, "check");
        _cleanup_(table_freep) Table *t = NULL;
        char id[INT_STRING_MAX], secs[INT_STRING_MAX];
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;
        if (table_add_pair(t, _("Check"), "%s", json_int_str(c, "id", id)) < 0 ||
            table_add_pair(t, _("Time"), "%s", json_moment(c, "at", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {})) < 0 ||
            table_add_pair(t, _("Duty day"), "%s", json_str(c, "date")) < 0 ||
            table_add_pair(t, _("Checked"), "%s", label_check_target(json_string_value(json_object_get(c, "target")))) < 0 ||
            table_add_person(t, _("Person"), c, "person", "person_name") < 0 ||
            table_add_pair(t, _("How"), "%s", label_check_how(json_string_value(json_object_get(c, "how")))) < 0 ||
            table_add_pair(t, _("Answered"), "%s", json_is_true(json_object_get(c, "answered")) ? _("yes") : _("NO")) < 0 ||
            table_add_pair(t, _("Time to answer"), "%s", seconds_text(c, "seconds", secs)) < 0 ||
            table_add_pair(t, _("Remarks"), "%s", json_str(c, "remarks")) < 0 ||
            table_add_person(t, _("Recorded by"), c, "recorded_by", "recorded_by_name") < 0)
                return -ENOMEM;
        return table_print(t, f);
}

static int print_checks(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL, *tally = NULL, *t2 = NULL;
        json_t *checks = json_object_get(reply, "checks"), *c;
        size_t i;
        int r;

        fprintf(f, _("Spot checks of duty days %s to %s:\n"), json_str(reply, "from"), json_str(reply, "to"));
        if (json_array_size(checks) == 0)
                fputs(_("No spot checks.\n"), f);
        else {
                r = table_new(7, (const char *const[]) { _("No."), _("Time"), _("Checked"), _("Person"), _("How"),
                                                         _("Answered"), _("Remarks") }, &t);
                if (r < 0)
                        return r;
                json_array_foreach(checks, i, c) {
                        _cleanup_free_ char *who = person_text(c, "person", "person_name");
                        _cleanup_free_ char *answered = NULL;
                        char id[INT_STRING_MAX], secs[INT_STRING_MAX];

                        if (!who)
                                return -ENOMEM;
                        if (json_is_true(json_object_get(c, "answered"))) {
                                if (asprintf(&answered, "%s %s", _("yes"), seconds_text(c, "seconds", secs)) < 0)
                                        return -ENOMEM;
                        } else if (!(answered = strdup(_("NO"))))
                                return -ENOMEM;
                        r = table_add_row(t, (const char *const[]) {
                                        json_int_str(c, "id", id), json_moment(c, "at", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                                        label_check_target(json_string_value(json_object_get(c, "target"))),
                                        who, label_check_how(json_string_value(json_object_get(c, "how"))),
                                        answered, json_str(c, "remarks") });
                        if (r < 0)
                                return r;
                }
                r = table_print(t, f);
                if (r < 0)
                        return r;
        }

        fputs(_("\nTally:\n"), f);
        r = table_new(6, (const char *const[]) { _("Checked"), _("Checks"), _("Answered"), _("Missed"),
                                                 _("Average"), _("Longest") }, &tally);
        if (r < 0)
                return r;
        json_array_foreach(json_object_get(reply, "tally"), i, c) {
                const char *target = json_string_value(json_object_get(c, "target"));
                char n[INT_STRING_MAX], a[INT_STRING_MAX], m[INT_STRING_MAX], avg[INT_STRING_MAX], max[INT_STRING_MAX];

                r = table_add_row(tally, (const char *const[]) {
                                target && streq(target, "all") ? _("all") : label_check_target(target),
                                json_int_str(c, "checks", n), json_int_str(c, "answered", a),
                                json_int_str(c, "missed", m), seconds_text(c, "average_seconds", avg),
                                seconds_text(c, "longest_seconds", max) });
                if (r < 0)
                        return r;
        }
        r = table_print(tally, f);
        if (r < 0)
                return r;

        checks = json_object_get(reply, "presence");
        if (json_array_size(checks) == 0)
                return 0;
        fputs(_("\nPresence checks:\n"), f);
        r = table_new(5, (const char *const[]) { _("No."), _("Asked"), _("Due"), _("State"), _("Confirmed by") }, &t2);
        if (r < 0)
                return r;
        json_array_foreach(checks, i, c) {
                _cleanup_free_ char *by = person_text(c, "acknowledged_by", "acknowledged_by_name");
                char id[INT_STRING_MAX];

                if (!by)
                        return -ENOMEM;
                r = table_add_row(t2, (const char *const[]) {
                                json_int_str(c, "id", id), json_moment(c, "asked", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(c, "due", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                                label_presence_state(json_string_value(json_object_get(c, "state"))), by });
                if (r < 0)
                        return r;
        }
        return table_print(t2, f);
}

static int verb_check_add(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        Context ctx = *(const Context *) userdata;
        const char *how = verb_args_get(args, "how"), *seconds = verb_args_get(args, "seconds");
        bool answered = verb_args_has(args, "answered"), missed = verb_args_has(args, "missed");
        long long n = -1;

        ctx.json = ctx.json || verb_args_has(args, "json");

        if (check_target_from_string(args->args[0]) < 0)
                return verb_usage(_("dutyctl: check add: who was checked is room, officer or leader, not '%s'\n"),
                                  args->args[0]);
        if (answered == missed)
                return verb_usage(_("dutyctl: check add: say whether the check was answered: --answered or --missed\n"));
        if (how && check_how_from_string(how) < 0)
                return verb_usage(_("dutyctl: check add: --how is phone, video or visit, not '%s'\n"), how);
        if (seconds && parse_integer(seconds, 0, CHECK_CLI_SECONDS_MAX, &n) < 0)
                return verb_usage(_("dutyctl: check add: --seconds needs a number from 0 to %d, not '%s'\n"),
                                  CHECK_CLI_SECONDS_MAX, seconds);
        if (seconds && missed)
                return verb_usage(_("dutyctl: check add: a missed check has no time to answer; leave out --seconds\n"));

        params = json_pack("{s:s, s:b}", "target", args->args[0], "answered", answered);
        if (!params)
                return -ENOMEM;
        if (params_set_string(params, "how", how) < 0 ||
            params_set_string(params, "person", verb_args_get(args, "person")) < 0 ||
            params_set_string(params, "at", verb_args_get(args, "at")) < 0 ||
            params_set_string(params, "remarks", verb_args_get(args, "remarks")) < 0 ||
            (n >= 0 && json_object_set_new(params, "seconds", json_integer(n)) < 0))
                return -ENOMEM;

        return verb_call_params(args, &ctx, params, NULL);
}

/* The parameters of CheckList from --month, --from and --to (those the verb has). */
static int check_list_params(const VerbArgs *args, json_t **ret) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        const char *month = verb_args_get(args, "month"), *from = verb_args_get(args, "from"), *to = verb_args_get(args, "to");

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (month) {
                char first[DAY_STRING_MAX + 3];
                int y, mo, d;
                Day start, end;

                if (from || to)
                        return verb_usage(_("dutyctl: check: --month or --from/--to, not both\n"));
                (void) snprintf(first, sizeof(first), "%s-01", month);
                if (strlen(month) != 7 || day_parse(first, &start) < 0)
                        return verb_usage(_("dutyctl: check: --month is YYYY-MM, e.g. 2026-11, not '%s'\n"), month);
                day_to_ymd(start, &y, &mo, &d);
                end = (mo == 12 ? day_from_ymd(y + 1, 1, 1) : day_from_ymd(y, mo + 1, 1)) - 1;
                if (json_object_set_new(params, "from", json_string(day_format(start, first))) < 0 ||
                    json_object_set_new(params, "to", json_string(day_format(end, first))) < 0)
                        return -ENOMEM;
        } else if (params_set_string(params, "from", from) < 0 || params_set_string(params, "to", to) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(params);
        return 0;
}

/* The month's circular, as an A4 page (html) or its checks as a spreadsheet (csv), on standard
 * output or into output. */
static int check_circular(const Context *ctx, json_t *params, bool csv, const char *output) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        bool file = false;
        MemStream ms;
        FILE *f;
        int r;

        r = call_method(ctx, DUTY_METHOD_CHECK_LIST, params, &reply);
        if (r < 0)
                return r;

        f = memstream_open(&ms);
        if (!f)
                return -ENOMEM;
        r = memstream_finish(&ms, csv ? circular_csv(f, reply) : circular_html(f, reply), &data, &size);
        if (r == -EBADMSG) {
                fprintf(stderr, _("dutyctl: check list: malformed reply from dutyd\n"));
                return r;
        }
        if (r < 0)
                return r;
        r = export_output(output, data, size, &file);
        if (r < 0 && file)
                fprintf(stderr, _("dutyctl: check list: cannot write %s: %s\n"), output, strerror(-r));
        else if (r < 0)
                fprintf(stderr, _("dutyctl: check list: cannot write to standard output\n"));
        return r;
}

static int verb_check_list(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        Context ctx = *(const Context *) userdata;
        const char *format = verb_args_get(args, "format"), *output = verb_args_get(args, "output");
        int r;

        ctx.json = ctx.json || verb_args_has(args, "json") || (format && streq(format, "json"));
        if (format && !streq(format, "table") && !streq(format, "json") && !streq(format, "html") &&
            !streq(format, "csv"))
                return verb_usage(_("dutyctl: check list: unknown format '%s' (table, json, html or csv)\n"), format);
        if (output && isempty(output))
                return verb_usage(_("dutyctl: check list: --output needs a file name\n"));
        if (output && !(format && (streq(format, "html") || streq(format, "csv"))))
                return verb_usage(_("dutyctl: check list: --output goes with --format html or csv\n"));
        r = check_list_params(args, &params);
        if (r < 0)
                return r;
        if (format && (streq(format, "html") || streq(format, "csv")))
                return check_circular(&ctx, params, streq(format, "csv"), output);
        return verb_call_params(args, &ctx, params, NULL);
}

static int print_ack(FILE *f, json_t *reply, void *userdata) {
        json_t *p = json_object_get(reply, "presence");

        fprintf(f, _("Presence check %s of duty day %s confirmed at %s.\n"),
                json_moment(p, "asked", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_str(p, "date"), json_moment(p, "acknowledged", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}));
        return 0;
}

static const VerbOption ack_options[] = {
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const Verb check_verbs[] = {
        { "check add", "TARGET --answered | --missed [--how HOW] [--seconds N] [--person ID] [--at TIME] [--remarks TEXT] [--json]",
          N_("Record a spot check of the duty room: TARGET is room, officer or leader (inspectors and administrators)."),
          1, 1, check_add_options, ELEMENTSOF(check_add_options), verb_check_add, DUTY_METHOD_CHECK_ADD, NULL, 0, print_check },
        { "check list", "[--month YYYY-MM | --from DATE --to DATE] [--format FORMAT] [--output FILE] [--json]",
          N_("List the spot checks of a month with their tally for the circular, and the presence checks."),
          0, 0, check_list_options, ELEMENTSOF(check_list_options), verb_check_list, DUTY_METHOD_CHECK_LIST, NULL, 0, print_checks },
};

static const Verb ack_verbs[] = {
        { "ack", "[--json]", N_("Confirm you are at your post when dutyd asks (presence check)."),
          0, 0, ack_options, ELEMENTSOF(ack_options), verb_call, DUTY_METHOD_ACK, NULL, 0, print_ack },
};

const VerbFamily ack_family = { ack_verbs, ELEMENTSOF(ack_verbs) };

const VerbFamily check_family = { check_verbs, ELEMENTSOF(check_verbs) };
