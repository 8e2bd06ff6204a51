/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's duty log verbs (值班记录): log add, list, show and close. The kind is taken in the
 * duty book's words (来电, 突发事件, …) or the interface's ("call", "emergency", …); numbers and
 * dates are checked here before anything is sent, every rule by the daemon. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "dutylog.h"
#include "export.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

/* The kinds in the words of the printed duty book, translated by the catalog. */
static const char *const log_kind_labels[_DUTYLOG_KIND_MAX] = {
        [DUTYLOG_KIND_CALL] = N_("call"),
        [DUTYLOG_KIND_DOCUMENT] = N_("document"),
        [DUTYLOG_KIND_EMERGENCY] = N_("emergency"),
        [DUTYLOG_KIND_INSTRUCTION] = N_("leader's instruction"),
        [DUTYLOG_KIND_ASSIGNMENT] = N_("assigned task"),
        [DUTYLOG_KIND_OTHER] = N_("other"),
};

/* An emergency's reports (信息报送), by the prefix of their LogEntry fields. */
static const struct {
        const char *word, *label;
} log_reports[] = {
        { "phone", N_("Report by phone") },
        { "written", N_("Written report") },
        { "followup", N_("Follow-up report") },
};

static const char *log_kind_text(const char *kind) {
        DutyLogKind k = dutylog_kind_from_string(kind);

        return k >= 0 ? _(log_kind_labels[k]) : strempty(kind);
}

/* "call", "来电", or the label in the user's language: the interface's word, or NULL. */
static const char *log_kind_parse(const char *s) {
        for (DutyLogKind k = 0; k < _DUTYLOG_KIND_MAX; k++)
                if (streq(s, dutylog_kind_to_string(k)) || streq(s, dutylog_kind_label(k, "zh")) ||
                    streq(s, _(log_kind_labels[k])))
                        return dutylog_kind_to_string(k);
        return NULL;
}

static const VerbOption log_add_options[] = {
        { "time", '\0', "HH:MM", N_("when it happened (default now; a time later than now is yesterday's)") },
        { "from", '\0', "WHO", N_("from whom: a person or a unit") },
        { "phone", '\0', "PHONE", N_("their telephone number") },
        { "measures", '\0', "TEXT", N_("what the duty did about it") },
        { "informed", '\0', "WHO", N_("who was told (leaders, departments)") },
        { "open", '\0', NULL, N_("an open item: shown to every later duty until closed") },
        { "corrects", '\0', "ID", N_("the number of the entry this one corrects") },
        { "follows", '\0', "ID", N_("the number of the entry this one follows up") },
};

static const VerbOption log_report_options[] = {
        { "to", '\0', "WHOM", N_("to whom it went, e.g. the superior office's duty room (required)") },
        { "time", '\0', "HH:MM", N_("when it went (default now; a time later than now is yesterday's)") },
};

static const VerbOption log_print_options[] = {
        { "format", '\0', "FORMAT", N_("html (an A4 page to print, the default) or csv") },
        { "output", 'o', "FILE", N_("write to FILE (\"-\": standard output), replacing it only once complete") },
};

static const VerbOption report_daily_options[] = {
        { "send", '\0', NULL, N_("mark today's report as sent (people on duty and administrators)") },
        { "to", '\0', "WHOM", N_("with --send: to whom it went (required)") },
        { "text", '\0', "TEXT", N_("with --send: the text sent (default the draft)") },
};

static const VerbOption log_close_options[] = {
        { "note", '\0', "TEXT", N_("what was done to close it") },
};

/* ---- Output ---- */

static const char *log_state_text(json_t *e) {
        if (json_is_true(json_object_get(e, "pending")))
                return _("open");
        if (json_is_true(json_object_get(e, "open")))
                return _("closed");
        return "";
}

/* "HH:MM" of a "YYYY-MM-DD HH:MM" on date, else the whole stamp. */
static const char *log_time_text(json_t *e, const char *date, char buf[static MOMENT_STRING_MAX]) {
        const char *t = json_moment(e, "time", MOMENT_MINUTES, buf);

        if (date && strlen(t) == 16 && strncmp(t, date, 10) == 0)
                return t + 11;
        return t;
}

static int print_log_entry(FILE *f, json_t *e) {
        _cleanup_(table_freep) Table *t = NULL;
        char id[INT_STRING_MAX], other[INT_STRING_MAX];
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;
        if ((r = table_add_pair(t, _("Number"), "%s", json_int_str(e, "id", id))) < 0 ||
            (r = table_add_pair(t, _("Duty day"), "%s", json_str(e, "date"))) < 0 ||
            (r = table_add_pair(t, _("Time"), "%s", json_moment(e, "time", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0 ||
            (r = table_add_pair(t, _("Kind"), "%s", log_kind_text(json_string_value(json_object_get(e, "kind"))))) < 0 ||
            (r = table_add_pair(t, _("From whom"), "%s", json_str(e, "from"))) < 0 ||
            (r = table_add_pair(t, _("Phone"), "%s", json_str(e, "phone"))) < 0 ||
            (r = table_add_pair(t, _("Matter"), "%s", json_str(e, "matter"))) < 0 ||
            (r = table_add_pair(t, _("Measures"), "%s", json_str(e, "measures"))) < 0 ||
            (r = table_add_pair(t, _("Informed"), "%s", json_str(e, "informed"))) < 0 ||
            (r = table_add_person(t, _("Recorded by"), e, "recorded_by", "recorded_by_name")) < 0 ||
            (r = table_add_pair(t, _("Written"), "%s", json_moment(e, "written", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}))) < 0)
                return r;
        if (json_is_integer(json_object_get(e, "corrects")) &&
            (r = table_add_pair(t, _("Corrects"), "%s", json_int_str(e, "corrects", other))) < 0)
                return r;
        if (json_is_integer(json_object_get(e, "follows")) &&
            (r = table_add_pair(t, _("Follows up"), "%s", json_int_str(e, "follows", other))) < 0)
                return r;
        if (json_is_integer(json_object_get(e, "corrected_by")) &&
            (r = table_add_pair(t, _("Corrected by"), "%s", json_int_str(e, "corrected_by", other))) < 0)
                return r;
        for (size_t k = 0; k < ELEMENTSOF(log_reports); k++) {
                _cleanup_free_ char *key_due = NULL, *key_sent = NULL, *key_to = NULL, *text = NULL;

                if (asprintf(&key_due, "%s_report_due", log_reports[k].word) < 0 ||
                    asprintf(&key_sent, "%s_report_sent", log_reports[k].word) < 0 ||
                    asprintf(&key_to, "%s_report_to", log_reports[k].word) < 0)
                        return -ENOMEM;
                if (!json_is_string(json_object_get(e, key_due)))
                        continue;
                if (streq(log_reports[k].word, "followup") && json_is_string(json_object_get(e, key_sent)))
                        r = asprintf(&text, _("next due by %s; the last one sent %s to %s"), json_moment(e, key_due, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                                     json_moment(e, key_sent, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_str(e, key_to));
                else if (json_is_string(json_object_get(e, key_sent)))
                        r = asprintf(&text, _("due by %s; sent %s to %s"), json_moment(e, key_due, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(e, key_sent, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                                     json_str(e, key_to));
                else
                        r = asprintf(&text, _("due by %s; not sent yet"), json_moment(e, key_due, MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}));
                if (r < 0)
                        return -ENOMEM;
                if ((r = table_add_pair(t, _(log_reports[k].label), "%s", text)) < 0)
                        return r;
        }
        if (json_is_true(json_object_get(e, "open"))) {
                if ((r = table_add_pair(t, _("State"), "%s", log_state_text(e))) < 0)
                        return r;
                if (!json_is_true(json_object_get(e, "pending")) &&
                    ((r = table_add_pair(t, _("Closed"), "%s", json_moment(e, "closed", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}))) < 0 ||
                     (r = table_add_person(t, _("Closed by"), e, "closed_by", "closed_by_name")) < 0 ||
                     (r = table_add_pair(t, _("Close note"), "%s", json_str(e, "close_note"))) < 0))
                        return r;
        }
        return table_print(t, f);
}

static int print_log_reply(FILE *f, json_t *reply, void *userdata) {
        return print_log_entry(f, json_object_get(reply, "entry"));
}

int print_log_entries(FILE *f, json_t *entries, const char *date) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *e;
        size_t i;
        int r;

        r = table_new(8, (const char *const[]) {
                        _("No."), _("Time"), _("Kind"), _("From whom"), _("Matter"), _("Measures"), _("Recorded by"),
                        _("State") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(entries, i, e) {
                _cleanup_free_ char *matter = NULL, *state = NULL;
                const char *d = json_string_value(json_object_get(e, "date"));
                char id[INT_STRING_MAX], other[INT_STRING_MAX];

                /* Carried over from an earlier duty, a correction, a follow-up: said in front. */
                if (json_is_integer(json_object_get(e, "corrects")))
                        r = asprintf(&matter, _("[corrects %s] %s"), json_int_str(e, "corrects", other), json_str(e, "matter"));
                else if (json_is_integer(json_object_get(e, "follows")))
                        r = asprintf(&matter, _("[follows %s] %s"), json_int_str(e, "follows", other), json_str(e, "matter"));
                else
                        r = asprintf(&matter, "%s", json_str(e, "matter"));
                if (r < 0)
                        return -ENOMEM;
                if (date && d && !streq(d, date) && json_is_true(json_object_get(e, "open")))
                        r = asprintf(&state, _("%s (since %s)"), log_state_text(e), d);
                else if (json_is_integer(json_object_get(e, "corrected_by")))
                        r = asprintf(&state, _("corrected by %s"), json_int_str(e, "corrected_by", other));
                else
                        r = asprintf(&state, "%s", log_state_text(e));
                if (r < 0)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_int_str(e, "id", id), log_time_text(e, date, (char[MOMENT_STRING_MAX]) {}),
                                log_kind_text(json_string_value(json_object_get(e, "kind"))),
                                json_str(e, "from"), matter, json_str(e, "measures"),
                                json_str(e, "recorded_by_name"), state });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_log_list(FILE *f, json_t *reply, void *userdata) {
        json_t *entries = json_object_get(reply, "entries");
        const char *date = json_string_value(json_object_get(reply, "date"));

        if (json_array_size(entries) == 0) {
                fprintf(f, _("Nothing in the duty log of %s.\n"), strempty(date));
                return 0;
        }
        fprintf(f, _("Duty log of %s:\n"), strempty(date));
        return print_log_entries(f, entries, date);
}

static int print_log_show(FILE *f, json_t *reply, void *userdata) {
        json_t *related = json_object_get(reply, "related");
        int r;

        r = print_log_entry(f, json_object_get(reply, "entry"));
        if (r < 0 || json_array_size(related) == 0)
                return r;
        fputs(_("\nCorrections and follow-ups:\n"), f);
        return print_log_entries(f, related, NULL);
}

/* ---- Verbs ---- */

static int set_id(json_t *params, const char *verb, const char *key, const char *what, const char *s) {
        long long id;

        if (!s)
                return 0;
        if (parse_integer(s, 1, INT64_MAX, &id) < 0)
                return verb_usage(_("%s: %s: '%s' is not an entry number"), verb, what, s);
        return json_object_set_new(params, key, json_integer(id)) < 0 ? -ENOMEM : 0;
}

static int verb_log_add(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        const char *kind = log_kind_parse(args->args[0]), *time = verb_args_get(args, "time");
        int r;

        if (!params)
                return -ENOMEM;
        if (!kind)
                return verb_usage(_("log add: '%s' is not a kind of entry: call, document, emergency, instruction, "
                                    "assignment or other (or in the duty book's words: %s)"),
                                  args->args[0], "来电、来文、突发事件、领导批示、交办事项、其他");
        if (isempty(args->args[1]))
                return verb_usage(_("log add: say what the entry is about"));
        if (time) {
                int offset, minutes;

                if (dutylog_parse_time(time, 0, &offset, &minutes) < 0)
                        return verb_usage(_("log add: --time: '%s' is not a time HH:MM"), time);
        }
        if ((r = params_set_string(params, "kind", kind)) < 0 ||
            (r = params_set_string(params, "matter", args->args[1])) < 0 ||
            (r = params_set_string(params, "time", time)) < 0 ||
            (r = params_set_string(params, "from", verb_args_get(args, "from"))) < 0 ||
            (r = params_set_string(params, "phone", verb_args_get(args, "phone"))) < 0 ||
            (r = params_set_string(params, "measures", verb_args_get(args, "measures"))) < 0 ||
            (r = params_set_string(params, "informed", verb_args_get(args, "informed"))) < 0 ||
            (r = set_id(params, "log add", "corrects", "--corrects", verb_args_get(args, "corrects"))) < 0 ||
            (r = set_id(params, "log add", "follows", "--follows", verb_args_get(args, "follows"))) < 0)
                return r;
        if (verb_args_has(args, "open") && json_object_set_new(params, "open", json_true()) < 0)
                return -ENOMEM;
        return verb_call_params(args, userdata, params, NULL);
}

static int verb_log_list(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        const char *date = args->n_args > 0 ? args->args[0] : NULL;
        Day d;

        if (!params)
                return -ENOMEM;
        if (date) {
                if (day_parse(date, &d) < 0) {
                        Day today;
                        int r;

                        r = call_today(userdata, &today);
                        if (r < 0)
                                return r;
                        if (parse_relative_day(date, today, &d) < 0)
                                return verb_usage(_("log list: '%s' is not a date YYYY-MM-DD, today or yesterday"), date);
                }
                char buf[DAY_STRING_MAX];
                if (params_set_string(params, "date", day_format(d, buf)) < 0)
                        return -ENOMEM;
        }
        return verb_call_params(args, userdata, params, NULL);
}

static int verb_log_id(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        int r;

        if (!params)
                return -ENOMEM;
        r = set_id(params, args->verb->name, "id", "ID", args->args[0]);
        if (r < 0)
                return r;
        if (verb_args_has(args, "note") && params_set_string(params, "note", verb_args_get(args, "note")) < 0)
                return -ENOMEM;
        return verb_call_params(args, userdata, params, NULL);
}

static int verb_log_report(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        const char *report = args->args[1], *to = verb_args_get(args, "to"), *time = verb_args_get(args, "time");
        int r;

        if (!params)
                return -ENOMEM;
        r = set_id(params, "log report", "id", "ID", args->args[0]);
        if (r < 0)
                return r;
        if (!streq(report, "phone") && !streq(report, "written") && !streq(report, "followup"))
                return verb_usage(_("log report: say which report went: phone, written or followup, not '%s'"), report);
        if (isempty(to))
                return verb_usage(_("log report: --to WHOM is required"));
        if (time) {
                int offset, minutes;

                if (dutylog_parse_time(time, 0, &offset, &minutes) < 0)
                        return verb_usage(_("log report: --time: '%s' is not a time HH:MM"), time);
        }
        if (params_set_string(params, "report", report) < 0 || params_set_string(params, "to", to) < 0 ||
            params_set_string(params, "time", time) < 0)
                return -ENOMEM;
        return verb_call_params(args, userdata, params, NULL);
}

static uint64_t now_realtime_usec(void) {
        struct timespec ts;

        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

/* log print [DATE]: the day's log (LogList) with that day's roster (RosterShow: the office, its
 * phone, who was on duty), as the printed duty book or CSV. */
/* Sets params' "date" to the day a date, "today" or "yesterday" names: 0, -EINVAL for anything else
 * (the caller says how its verb is used), or the error of asking dutyd which day is today. */
static int params_set_day_argument(const Context *ctx, json_t *params, const char *arg) {
        char buf[DAY_STRING_MAX];
        Day d, today;
        int r;

        if (day_parse(arg, &d) < 0) {
                r = call_today(ctx, &today);
                if (r < 0)
                        return r;
                if (parse_relative_day(arg, today, &d) < 0)
                        return -EINVAL;
        }
        return params_set_string(params, "date", day_format(d, buf)) < 0 ? -ENOMEM : 0;
}

static int verb_log_print(const VerbArgs *args, void *userdata) {
        const Context *ctx = userdata;
        const char *format_name = verb_args_get(args, "format"), *output = verb_args_get(args, "output");
        _cleanup_(json_decrefp) json_t *params = NULL, *log = NULL, *roster = NULL, *roster_params = NULL;
        ExportFormat format = EXPORT_FORMAT_HTML;
        ExportOptions options = {};
        _cleanup_free_ char *data = NULL;
        bool file = false;
        const char *date;
        size_t size = 0;
        int r;

        if (format_name) {
                format = export_format_from_string(format_name);
                if (format != EXPORT_FORMAT_HTML && format != EXPORT_FORMAT_CSV)
                        return verb_usage(_("log print: unknown format '%s' (html or csv)"), format_name);
        }
        if (output && isempty(output))
                return verb_usage(_("log print: --output needs a file name"));

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (args->n_args > 0) {
                r = params_set_day_argument(ctx, params, args->args[0]);
                if (r == -EINVAL)
                        return verb_usage(_("log print: '%s' is not a date YYYY-MM-DD, today or yesterday"),
                                          args->args[0]);
                if (r < 0)
                        return r;
        }

        r = call_method(ctx, DUTY_METHOD_LOG_LIST, params, &log);
        if (r < 0)
                return r;
        date = json_string_value(json_object_get(log, "date"));
        roster_params = json_pack("{s:s, s:s}", "from", strempty(date), "to", strempty(date));
        if (!roster_params)
                return -ENOMEM;
        r = call_method(ctx, DUTY_METHOD_ROSTER_SHOW, roster_params, &roster);
        if (r < 0)
                return r;

        options.now_usec = now_realtime_usec();
        r = export_log_to_buffer(format, log, roster, &options, &data, &size);
        if (r == -EBADMSG) {
                fprintf(stderr, _("dutyctl: log print: malformed reply from dutyd\n"));
                return r;
        }
        if (r < 0)
                return r;
        r = export_output(output, data, size, &file);
        if (r < 0 && file)
                fprintf(stderr, _("dutyctl: log print: cannot write %s: %s\n"), output, strerror(-r));
        else if (r < 0)
                fprintf(stderr, _("dutyctl: log print: cannot write to standard output\n"));
        return r;
}

static int print_daily(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *d = json_object_get(reply, "report");
        bool sent = json_is_string(json_object_get(d, "sent"));
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;
        if ((r = table_add_pair(t, _("Duty day"), "%s", json_str(d, "date"))) < 0 ||
            (r = table_add_pair(t, _("Due"), "%s", json_is_true(json_object_get(d, "due"))
                                ? json_moment(d, "deadline", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}) : _("not due that day"))) < 0 ||
            (r = table_add_pair(t, _("State"), "%s", sent ? _("sent") : _("not sent"))) < 0)
                return r;
        if (sent &&
            ((r = table_add_pair(t, _("Sent"), "%s", json_moment(d, "sent", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}))) < 0 ||
             (r = table_add_person(t, _("Sent by"), d, "sent_by", "sent_by_name")) < 0 ||
             (r = table_add_pair(t, _("Sent to"), "%s", json_str(d, "to"))) < 0))
                return r;
        r = table_print(t, f);
        if (r < 0)
                return r;
        fprintf(f, "\n%s\n%s\n", sent ? _("Text sent:") : _("Draft:"), json_str(d, sent ? "text" : "draft"));
        return 0;
}

static int verb_report_daily(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        const Context *ctx = userdata;
        int r;

        if (!params)
                return -ENOMEM;
        if (verb_args_has(args, "send")) {
                if (args->n_args > 0)
                        return verb_usage(_("report daily: --send sends today's report; give no date"));
                if (isempty(verb_args_get(args, "to")))
                        return verb_usage(_("report daily: --send needs --to WHOM"));
                if (params_set_string(params, "to", verb_args_get(args, "to")) < 0 ||
                    params_set_string(params, "text", verb_args_get(args, "text")) < 0)
                        return -ENOMEM;
                return call_and_print(ctx, DUTY_METHOD_DAILY_REPORT_SEND, params, print_daily);
        }
        if (verb_args_has(args, "to") || verb_args_has(args, "text"))
                return verb_usage(_("report daily: --to and --text go with --send"));
        if (args->n_args > 0) {
                r = params_set_day_argument(ctx, params, args->args[0]);
                if (r == -EINVAL)
                        return verb_usage(_("report daily: '%s' is not a date YYYY-MM-DD, today or yesterday"),
                                          args->args[0]);
                if (r < 0)
                        return r;
        }
        return verb_call_params(args, userdata, params, NULL);
}

static const Verb log_verbs[] = {
        { "log add", "KIND MATTER [--time HH:MM] [--from WHO] [--phone PHONE] [--measures TEXT] [--informed WHO] "
                     "[--open] [--corrects ID] [--follows ID]",
          N_("Write an entry in the duty log of today's duty (people on duty and administrators)."),
          2, 2, log_add_options, ELEMENTSOF(log_add_options), verb_log_add, DUTY_METHOD_LOG_ADD, NULL, 0, print_log_reply },
        { "log list", "[DATE]", N_("Show a duty day's log, with the open items carried over (default today's)."),
          0, 1, NULL, 0, verb_log_list, DUTY_METHOD_LOG_LIST, NULL, 0, print_log_list },
        { "log show", "ID", N_("Show a log entry with its corrections and follow-ups."),
          1, 1, NULL, 0, verb_log_id, DUTY_METHOD_LOG_SHOW, NULL, 0, print_log_show },
        { "log report", "ID REPORT --to WHOM [--time HH:MM]",
          N_("Record that an emergency's report (REPORT: phone, written or followup) went, and to whom."),
          2, 2, log_report_options, ELEMENTSOF(log_report_options), verb_log_report, DUTY_METHOD_LOG_REPORT, NULL, 0,
          print_log_reply },
        { "log print", "[DATE] [--format html|csv] [--output FILE]",
          N_("Print a duty day's log: an A4 page for the duty book (html) or a spreadsheet (csv)."),
          0, 1, log_print_options, ELEMENTSOF(log_print_options), verb_log_print, NULL, NULL, 0, NULL },
        { "log close", "ID [--note TEXT]", N_("Close an open item of the duty log."),
          1, 1, log_close_options, ELEMENTSOF(log_close_options), verb_log_id, DUTY_METHOD_LOG_CLOSE, NULL, 0, print_log_reply },
        { "report daily", "[DATE] [--send --to WHOM [--text TEXT]]",
          N_("Show the daily report of a duty day and its draft, or mark today's as sent."),
          0, 1, report_daily_options, ELEMENTSOF(report_daily_options), verb_report_daily, DUTY_METHOD_DAILY_REPORT,
          NULL, 0, print_daily },
};

const VerbFamily log_family = { log_verbs, ELEMENTSOF(log_verbs) };
