/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl offices: the superior duty office's view of the offices that report to it (a dutyd with
 * an `aggregator` section): who sent the notice's holiday roster on time, late or not at all,
 * their open gaps and leaders away, one office in full, and every office's people on duty on a
 * day (the call list), as a table, an A4 page or CSV. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "export.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

/* A state word of a reply and its label: a word the table does not know is shown as sent. */
typedef struct StateLabel {
        const char *word;
        const char *label;
} StateLabel;

static const char *state_label(const StateLabel *table, size_t n, const char *s) {
        if (!s)
                return "-";
        for (size_t i = 0; i < n; i++)
                if (streq(s, table[i].word))
                        return _(table[i].label);
        return s;
}

static const char *label_roster_status(const char *s) {
        static const StateLabel table[] = {
                { "on_time", N_("on time") },
                { "late", N_("late") },
                { "missing", N_("missing") },
                { "pending", N_("not yet due") },
        };
        return state_label(table, ELEMENTSOF(table), s);
}

/* An office's roster status, or "not enrolled" for one whose receiver is not enrolled and whose
 * roster has not arrived: it cannot, the superior has to enrol it first. */
static const char *office_status_label(json_t *o) {
        if (json_is_false(json_object_get(o, "enrolled")) && !json_is_integer(json_object_get(o, "roster_version")))
                return _("not enrolled");
        return label_roster_status(json_string_value(json_object_get(o, "roster_status")));
}

static const char *label_away_state(const char *s) {
        static const StateLabel table[] = {
                { "approved", N_("approved") },
                { "changed", N_("changed") },
                { "cancelled", N_("cancelled") },
                { "returned", N_("returned") },
        };
        return state_label(table, ELEMENTSOF(table), s);
}

/* "甲县书记 西安 2026-10-03 上午–2026-10-05 下午 (acting: 甲县副书记)" */
static char *away_text(json_t *a) {
        const char *acting;
        char *s = NULL;
        int r;

        if (!a || json_is_null(a))
                return strdup("-");
        acting = json_string_value(json_object_get(a, "acting"));
        if (acting)
                r = asprintf(&s, _("%s %s %s–%s (acting: %s)"), json_str(a, "person"), json_str(a, "destination"),
                             json_str(a, "start"), json_str(a, "end"), acting);
        else
                r = asprintf(&s, "%s %s %s–%s", json_str(a, "person"), json_str(a, "destination"), json_str(a, "start"),
                             json_str(a, "end"));
        return r < 0 ? NULL : s;
}

/* The texts of the elements of arr, each by `text`, joined by sep; "-" for none, NULL on ENOMEM. */
static char *join_texts(json_t *arr, const char *sep, char *(*text)(json_t *e)) {
        char *out = NULL;
        size_t n = 0, i;
        json_t *e;
        FILE *f;

        if (json_array_size(arr) == 0)
                return strdup("-");
        f = open_memstream(&out, &n);
        if (!f)
                return NULL;
        json_array_foreach(arr, i, e) {
                _cleanup_free_ char *t = text(e);

                fprintf(f, "%s%s", i > 0 ? sep : "", t ?: "?");
        }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

static char *away_list_text(json_t *arr) {
        return join_texts(arr, "; ", away_text);
}

static int print_notice(FILE *f, json_t *notice) {
        if (!json_is_object(notice)) {
                fputs(_("No holiday notice asks the offices for a roster.\n"), f);
                return 0;
        }
        fprintf(f, _("Notice %s: %s roster (%s to %s), due by %s\n"), json_str(notice, "key"), json_str(notice, "holiday"),
                json_str(notice, "from"), json_str(notice, "to"), json_str(notice, "deadline"));
        return 0;
}

static int print_offices(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *offices = json_object_get(reply, "offices"), *o;
        size_t i;
        int r;

        if (json_array_size(offices) == 0) {
                fputs(_("No offices report here: dutyd.conf has no aggregator section listing them.\n"), f);
                return 0;
        }
        print_notice(f, json_object_get(reply, "notice"));
        r = table_new(7, (const char *const[]) { _("Office"), _("Name"), _("Roster"), _("Version"), _("Reported"),
                                                 _("Open gaps"), _("Leaders away (now; next)") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(offices, i, o) {
                char version[INT_STRING_MAX], gaps[INT_STRING_MAX];
                _cleanup_free_ char *now = away_list_text(json_object_get(o, "away_now"));
                _cleanup_free_ char *next = away_text(json_object_get(o, "away_next"));
                _cleanup_free_ char *away = NULL;

                if (!now || !next || asprintf(&away, "%s; %s", now, next) < 0)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_str(o, "id"), json_str(o, "name"), office_status_label(o),
                                json_int_str(o, "roster_version", version), json_str(o, "roster_reported"),
                                json_int_str(o, "open_gaps", gaps), away });
                if (r < 0)
                        return r;
        }
        r = table_print(t, f);
        if (r < 0)
                return r;
        fprintf(f, _("%zu offices: %lld on time, %lld late, %lld missing, %lld not yet due.\n"), json_array_size(offices),
                (long long) json_integer_value(json_object_get(reply, "on_time")),
                (long long) json_integer_value(json_object_get(reply, "late")),
                (long long) json_integer_value(json_object_get(reply, "missing")),
                (long long) json_integer_value(json_object_get(reply, "pending")));
        if (json_integer_value(json_object_get(reply, "not_enrolled")) > 0)
                fprintf(f, _("%lld offices not enrolled: their reports cannot arrive until they are enrolled "
                             "here (dutyd-superior-enroll OFFICE_ID CSR).\n"),
                        (long long) json_integer_value(json_object_get(reply, "not_enrolled")));
        return 0;
}

static int print_office_show(FILE *f, json_t *reply, void *userdata) {
        json_t *o = json_object_get(reply, "office"), *x;
        char buf[INT_STRING_MAX];
        size_t i;

        fprintf(f, "%s %s  %s\n", json_str(o, "id"), json_str(o, "name"), json_str(o, "phone"));
        print_notice(f, json_object_get(reply, "notice"));
        fprintf(f, _("Roster for the notice: %s\n"), office_status_label(o));
        if (json_is_false(json_object_get(o, "enrolled")))
                fprintf(f, _("Not enrolled: this office's receiver is not enabled here, so nothing it sends arrives. "
                             "Enrol it with dutyd-superior-enroll %s CSR.\n"), json_str(o, "id"));
        fprintf(f, _("Open gaps: %s\n"), json_int_str(o, "open_gaps", buf));

        fputs(_("Rosters reported:\n"), f);
        if (json_array_size(json_object_get(reply, "rosters")) == 0)
                fputs(_("  none\n"), f);
        json_array_foreach(json_object_get(reply, "rosters"), i, x)
                fprintf(f, _("  %s %s %s–%s version %s (%s), first reported %s, this version %s\n"), json_str(x, "key"),
                        json_str(x, "holiday"), json_str(x, "from"), json_str(x, "to"), json_int_str(x, "version", buf),
                        json_str(x, "state"), json_str(x, "first_reported"), json_str(x, "reported"));

        fputs(_("Out-of-town leave reported:\n"), f);
        if (json_array_size(json_object_get(reply, "away")) == 0)
                fputs(_("  none\n"), f);
        json_array_foreach(json_object_get(reply, "away"), i, x) {
                _cleanup_free_ char *t = away_text(x);

                fprintf(f, _("  %s %s, version %s (%s), reported %s\n"), json_str(x, "key"), t ?: "?",
                        json_int_str(x, "version", buf), label_away_state(json_string_value(json_object_get(x, "state"))),
                        json_str(x, "reported"));
                if (json_string_value(json_object_get(x, "reason")))
                        fprintf(f, _("    reason: %s\n"), json_str(x, "reason"));
        }
        return 0;
}

/* "name phone" of a contact, or "-". */
static char *contact_text(json_t *c) {
        char *s = NULL;

        if (!json_is_object(c))
                return strdup("-");
        if (json_string_value(json_object_get(c, "phone")))
                return asprintf(&s, "%s %s", json_str(c, "name"), json_str(c, "phone")) < 0 ? NULL : s;
        return strdup(json_str(c, "name"));
}

static char *officers_text(json_t *arr, const char *sep) {
        return join_texts(arr, sep, contact_text);
}

static int print_on_duty(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *o;
        size_t i;
        int r;

        fprintf(f, _("On duty on %s:\n"), json_str(reply, "date"));
        r = table_new(5, (const char *const[]) { _("Office"), _("Name"), _("Leader on call"), _("Officers"),
                                                 _("Duty phone") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(json_object_get(reply, "offices"), i, o) {
                _cleanup_free_ char *leader = contact_text(json_object_get(o, "leader"));
                _cleanup_free_ char *officers = officers_text(json_object_get(o, "officers"), ", ");

                if (!leader || !officers)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) { json_str(o, "id"), json_str(o, "name"),
                                  json_is_object(json_object_get(o, "leader")) || json_string_value(json_object_get(o, "roster"))
                                          ? leader
                                          : json_is_false(json_object_get(o, "enrolled")) ? _("(not enrolled)")
                                                                                           : _("(no roster reported)"),
                                  officers, json_str(o, "duty_phone") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static void on_duty_csv(FILE *f, json_t *reply) {
        static const char *const header[] = { "日期", "单位代码", "单位", "带班领导", "领导电话", "值班员", "值班电话", "备注" };
        json_t *o;
        size_t i;

        export_csv_header(f, header, ELEMENTSOF(header));
        json_array_foreach(json_object_get(reply, "offices"), i, o) {
                json_t *leader = json_object_get(o, "leader");
                _cleanup_free_ char *officers = officers_text(json_object_get(o, "officers"), "；");
                const char *cells[] = {
                        json_string_value(json_object_get(reply, "date")),
                        json_string_value(json_object_get(o, "id")),
                        json_string_value(json_object_get(o, "name")),
                        json_string_value(json_object_get(leader, "name")),
                        json_string_value(json_object_get(leader, "phone")),
                        officers && !streq(officers, "-") ? officers : NULL,
                        json_string_value(json_object_get(o, "duty_phone")),
                        json_is_false(json_object_get(o, "enrolled")) ? "未开通接收"
                        : json_string_value(json_object_get(o, "roster")) ? NULL : "未报送",
                };

                for (size_t k = 0; k < ELEMENTSOF(cells); k++) {
                        if (k > 0)
                                fputc(',', f);
                        /* Ids and phones as typed, never read as numbers. */
                        export_csv_field(f, cells[k], k == 1 || k == 4 || k == 6);
                }
                export_csv_end(f);
        }
}

static void on_duty_html(FILE *f, json_t *reply) {
        const char *date = json_string_value(json_object_get(reply, "date"));
        json_t *o;
        size_t i;

        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>各单位值班安排 ", f);
        export_html_escape(f, date);
        fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>各单位值班安排</h1>\n"
                "<p class=\"meta\"><span>日期：", export_html_style_get());
        export_html_escape(f, date);
        fputs("</span></p>\n</header>\n<table>\n<thead><tr><th>序号</th><th>单位</th><th>带班领导</th><th>联系电话</th>"
              "<th>值班员</th><th>值班电话</th></tr></thead>\n<tbody>\n", f);
        json_array_foreach(json_object_get(reply, "offices"), i, o) {
                json_t *leader = json_object_get(o, "leader");
                _cleanup_free_ char *officers = officers_text(json_object_get(o, "officers"), "、");

                fprintf(f, "<tr><td class=\"c\">%zu</td><td>", i + 1);
                export_html_escape(f, json_string_value(json_object_get(o, "name")) ?: json_str(o, "id"));
                fputs("</td><td>", f);
                if (json_is_object(leader))
                        export_html_escape(f, json_str(leader, "name"));
                else if (json_is_false(json_object_get(o, "enrolled")))
                        fputs("未开通接收", f);
                else
                        fputs(json_string_value(json_object_get(o, "roster")) ? "" : "未报送", f);
                fputs("</td><td>", f);
                export_html_escape(f, json_string_value(json_object_get(leader, "phone")) ?: "");
                fputs("</td><td>", f);
                export_html_escape(f, officers && !streq(officers, "-") ? officers : "");
                fputs("</td><td>", f);
                export_html_escape(f, json_string_value(json_object_get(o, "duty_phone")) ?: "");
                fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table>\n</body>\n</html>\n", f);
}

static const VerbOption offices_options[] = {
        { "notice", '\0', "KEY", N_("the notice's report, \"<year>-<n>\" (default the current one)") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static const VerbParam offices_params[] = {
        { "notice", "notice", VERB_PARAM_STRING },
};

static const VerbParam office_show_params[] = {
        { "office", NULL, VERB_PARAM_STRING },
        { "notice", "notice", VERB_PARAM_STRING },
};

static const VerbOption on_duty_options[] = {
        { "format", '\0', "FORMAT", N_("text (the default), html (an A4 page to print) or csv") },
        { "output", 'o', "FILE", N_("write to FILE (\"-\": standard output), replacing it only once complete") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static int verb_offices(const VerbArgs *args, void *userdata) {
        Context ctx = *(const Context *) userdata;

        ctx.json = ctx.json || verb_args_has(args, "json");
        return verb_call(args, &ctx);
}

static int verb_offices_on_duty(const VerbArgs *args, void *userdata) {
        Context ctx = *(const Context *) userdata;
        const char *format = verb_args_get(args, "format"), *output = verb_args_get(args, "output");
        _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        ctx.json = ctx.json || verb_args_has(args, "json");
        if (format && !STR_IN_SET(format, "text", "html", "csv"))
                return verb_usage(_("offices on-duty: unknown format '%s' (text, html or csv)"), format);
        if (output && isempty(output))
                return verb_usage(_("offices on-duty: --output needs a file name"));

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (args->n_args > 0) {
                char buf[DAY_STRING_MAX];
                Day d, today;

                if (day_parse(args->args[0], &d) < 0) {
                        r = call_today(&ctx, &today);
                        if (r < 0)
                                return r;
                        if (parse_relative_day(args->args[0], today, &d) < 0)
                                return verb_usage(_("offices on-duty: '%s' is not a date YYYY-MM-DD, today or tomorrow"),
                                                  args->args[0]);
                }
                if (params_set_string(params, "date", day_format(d, buf)) < 0)
                        return -ENOMEM;
        }
        if (ctx.json || !format || streq(format, "text"))
                if (!output || streq(output, "-"))
                        return call_and_print(&ctx, DUTY_METHOD_OFFICES_ON_DUTY, params, print_on_duty);

        r = call_method(&ctx, DUTY_METHOD_OFFICES_ON_DUTY, params, &reply);
        if (r < 0)
                return r;
        f = open_memstream(&data, &size);
        if (!f)
                return -ENOMEM;
        if (ctx.json)
                r = output_json(f, reply);
        else if (!format || streq(format, "text"))
                r = print_on_duty(f, reply, NULL);
        else if (streq(format, "csv"))
                on_duty_csv(f, reply);
        else
                on_duty_html(f, reply);
        if (fclose(f) != 0 || r < 0)
                return r < 0 ? r : -ENOMEM;
        if (output && !streq(output, "-")) {
                r = export_write_file(output, data, size);
                if (r < 0)
                        fprintf(stderr, _("dutyctl: offices on-duty: cannot write %s: %s\n"), output, strerror(-r));
                return r;
        }
        if (fwrite(data, 1, size, stdout) != size || fflush(stdout) != 0) {
                fprintf(stderr, _("dutyctl: offices on-duty: cannot write to standard output\n"));
                return -EIO;
        }
        return 0;
}

static const Verb offices_verbs[] = {
        { "offices", "[--notice KEY] [--json]",
          N_("List the offices reporting here: their holiday roster on time, late or missing, open gaps, leaders away."),
          0, 0, offices_options, ELEMENTSOF(offices_options), verb_offices, DUTY_METHOD_OFFICES_LIST,
          offices_params, ELEMENTSOF(offices_params), print_offices },
        { "offices show", "OFFICE [--notice KEY] [--json]",
          N_("Show one office: its rosters and its leaders' out-of-town leave as reported."),
          1, 1, offices_options, ELEMENTSOF(offices_options), verb_offices, DUTY_METHOD_OFFICE_SHOW,
          office_show_params, ELEMENTSOF(office_show_params), print_office_show },
        { "offices on-duty", "[DATE] [--format text|html|csv] [--output FILE] [--json]",
          N_("Every office's leader on call, officers and duty phone on a day (the call list)."),
          0, 1, on_duty_options, ELEMENTSOF(on_duty_options), verb_offices_on_duty, DUTY_METHOD_OFFICES_ON_DUTY, NULL, 0,
          print_on_duty },
};

const VerbFamily offices_family = { offices_verbs, ELEMENTSOF(offices_verbs) };
