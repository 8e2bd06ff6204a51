/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's calendar, who, roster (all but show), sensitive and unavailable verbs, three families:
 * arguments to io.dutyd.Duty parameters, replies to tables. Dates are checked here with the daemon's own parser
 * so that a typo is a usage error before anything is sent; the daemon checks them again. */

#include <errno.h>
#include <jansson.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "client.h"
#include "date.h"
#include "duty.h"
#include "dutyctl.h"
#include "labels.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

#define CELL_MAX 512

static const VerbOption calendar_options[] = {
        { "from", '\0', "DATE", N_("first day, YYYY-MM-DD (with --to)") },
        { "to", '\0', "DATE", N_("last day, YYYY-MM-DD (with --from)") },
        { "year", '\0', "YEAR", N_("the whole calendar year (default: the current one)") },
};

static const VerbOption roster_generate_options[] = {
        { "from", '\0', "DATE", N_("first duty day, YYYY-MM-DD (required)") },
        { "to", '\0', "DATE", N_("last duty day, YYYY-MM-DD (required)") },
        { "dry-run", '\0', NULL, N_("show the roster without storing it") },
        { "assume-ordinary", '\0', NULL, N_("plan days of years without a holiday notice as ordinary days") },
        { "replace-manual", '\0', NULL, N_("plan again the assignments made by hand, which are otherwise kept") },
        { "amend", '\0', NULL, N_("change days of a published roster, as a recorded amendment (with --reason)") },
        { "reason", '\0', "TEXT", N_("why the published roster changes (required with --amend)") },
};

static const VerbOption roster_holiday_options[] = {
        { "year", '\0', "YEAR", N_("the holiday of this year (default: the next one)") },
        { "dry-run", '\0', NULL, N_("show the roster without storing it") },
        { "replace-manual", '\0', NULL, N_("plan again the assignments made by hand, which are otherwise kept") },
        { "amend", '\0', NULL, N_("change days of a published roster, as a recorded amendment (with --reason)") },
        { "reason", '\0', "TEXT", N_("why the published roster changes (required with --amend)") },
};

static const VerbOption roster_assign_options[] = {
        { "lock", '\0', NULL, N_("keep this assignment when the range is generated again") },
        { "amend", '\0', NULL, N_("change a day of a published roster, as a recorded amendment (with --reason)") },
        { "reason", '\0', "TEXT", N_("why the published roster changes (required with --amend)") },
};

static const VerbOption roster_unassign_options[] = {
        { "amend", '\0', NULL, N_("change a day of a published roster, as a recorded amendment (with --reason)") },
        { "reason", '\0', "TEXT", N_("why the published roster changes (required with --amend)") },
};

static const VerbOption roster_amendments_options[] = {
        { "from", '\0', "DATE", N_("first duty day, YYYY-MM-DD (required)") },
        { "to", '\0', "DATE", N_("last duty day, YYYY-MM-DD (required)") },
};

static const VerbOption roster_publish_options[] = {
        { "from", '\0', "DATE", N_("first duty day, YYYY-MM-DD (required)") },
        { "to", '\0', "DATE", N_("last duty day, YYYY-MM-DD (required)") },
};

static const VerbOption roster_stats_options[] = {
        { "year", '\0', "YEAR", N_("the calendar year counted (default: the current one)") },
};

static const VerbOption sensitive_add_options[] = {
        { "from", '\0', "DATE", N_("first day, YYYY-MM-DD (required)") },
        { "to", '\0', "DATE", N_("last day, YYYY-MM-DD (required)") },
        { "extra-officers", '\0', "N", N_("officers added to every officer post (default 1)") },
        { "leave", '\0', "POLICY", N_("leaders' leave: freeze, escalate (default) or normal") },
};

static const VerbOption unavailable_add_options[] = {
        { "from", '\0', "DATE", N_("first day, YYYY-MM-DD (required)") },
        { "to", '\0', "DATE", N_("last day, YYYY-MM-DD (required)") },
        { "reason", '\0', "TEXT", N_("why") },
};

static const VerbOption unavailable_list_options[] = {
        { "person", '\0', "ID", N_("only this person's") },
};

/* ---- Arguments ---- */

/* A date option: required or not, YYYY-MM-DD. */
static int arg_day(const VerbArgs *args, const char *verb, const char *name, bool required, Day *ret) {
        const char *v = verb_args_get(args, name);

        if (!v) {
                if (required)
                        return verb_usage(_("%s: --%s DATE is required"), verb, name);
                *ret = DAY_NONE;
                return 0;
        }
        if (day_parse(v, ret) < 0)
                return verb_usage(_("%s: --%s: '%s' is not a date YYYY-MM-DD"), verb, name, v);
        return 0;
}

static int arg_year(const VerbArgs *args, const char *verb, long long *ret) {
        const char *v = verb_args_get(args, "year");

        if (!v) {
                *ret = 0;
                return 0;
        }
        if (parse_integer(v, DAY_MIN_YEAR, DAY_MAX_YEAR, ret) < 0)
                return verb_usage(_("%s: --year: '%s' is not a year %d…%d"), verb, v, DAY_MIN_YEAR, DAY_MAX_YEAR);
        return 0;
}

/* --from and --to, both required, in order, at most max_days days. */
static int arg_range(const VerbArgs *args, const char *verb, int64_t max_days, Day *ret_from, Day *ret_to) {
        int r;

        r = arg_day(args, verb, "from", true, ret_from);
        if (r < 0)
                return r;
        r = arg_day(args, verb, "to", true, ret_to);
        if (r < 0)
                return r;
        if (*ret_to < *ret_from)
                return verb_usage(_("%s: --to comes before --from"), verb);
        if ((int64_t) *ret_to - *ret_from + 1 > max_days)
                return verb_usage(_("%s: the range is longer than %" PRId64 " days"), verb, max_days);
        return 0;
}

static int set_day(json_t *params, const char *key, Day d) {
        char buf[DAY_STRING_MAX];

        return json_object_set_new(params, key, json_string(day_format(d, buf))) < 0 ? -ENOMEM : 0;
}

static int set_bool(json_t *params, const char *key, bool v) {
        return json_object_set_new(params, key, json_boolean(v)) < 0 ? -ENOMEM : 0;
}

static int set_int(json_t *params, const char *key, long long v) {
        return json_object_set_new(params, key, json_integer(v)) < 0 ? -ENOMEM : 0;
}

/* Calls the row's method and prints the reply: as JSON with --json, else through the row's
 * printer. Takes params (NULL: out of memory). */
static int call_print(const VerbArgs *args, void *userdata, json_t *params) {
        _cleanup_(json_decrefp) json_t *p = params;

        if (!p)
                return -ENOMEM;
        return verb_call_params(args, userdata, p, NULL);
}

/* The parameters of the row's shape with --from and --to, both required, in order, at most
 * max_days days. */
static int range_params(const VerbArgs *args, int64_t max_days, json_t **ret) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        Day from, to;
        int r;

        r = arg_range(args, args->verb->name, max_days, &from, &to);
        if (r < 0)
                return r;
        r = verb_params_build(args, &params);
        if (r < 0)
                return r;
        if (!params) {
                params = json_object();
                if (!params)
                        return -ENOMEM;
        }
        if (set_day(params, "from", from) < 0 || set_day(params, "to", to) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(params);
        return 0;
}

/* The verbs of a range and the record it concerns: roster publish, roster amendments, unavailable add. */
static int verb_range(const VerbArgs *args, void *userdata) {
        json_t *params = NULL;
        int r;

        r = range_params(args, DUTY_VIEW_DAYS_MAX, &params);
        if (r < 0)
                return r;
        return call_print(args, userdata, params);
}

/* ---- Cells ---- */

/* The person cell of a slot: "name" or, for an empty slot, why it is empty. */
static const char *slot_person(json_t *a, char buf[static CELL_MAX]) {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *person = json_string_value(json_object_get(a, "person"));
        const char *reason = json_string_value(json_object_get(a, "reason"));

        if (!person) {
                snprintf(buf, CELL_MAX, _("(empty: %s)"), reason ? reason : _("no reason recorded"));
                return buf;
        }
        return name ? name : person;
}

/* Remarks: locked, by hand, planned without the year's notice. */
static const char *slot_notes(json_t *a, char buf[static CELL_MAX]) {
        const char *source = json_string_value(json_object_get(a, "source"));
        size_t n = 0;

        buf[0] = '\0';
        if (json_is_true(json_object_get(a, "locked")))
                n += snprintf(buf + n, CELL_MAX - n, "%s%s", n ? _(", ") : "", _("locked"));
        if (source && !streq(source, "generated") && n < CELL_MAX)
                n += snprintf(buf + n, CELL_MAX - n, "%s%s", n ? _(", ") : "", label_source(source));
        if (json_is_true(json_object_get(a, "assume_ordinary")) && n < CELL_MAX)
                snprintf(buf + n, CELL_MAX - n, "%s%s", n ? _(", ") : "", _("planned as an ordinary day"));
        return buf[0] ? buf : "-";
}

static int add_assignment_rows(Table *t, json_t *assignments, bool with_date) {
        json_t *a;
        size_t i;
        int r;

        json_array_foreach(assignments, i, a) {
                char person[CELL_MAX], notes[CELL_MAX];
                const char *date = json_string_value(json_object_get(a, "date"));
                const char *phone = json_string_value(json_object_get(a, "phone"));

                if (with_date)
                        r = table_add_row(t, (const char *const[]) {
                                        strempty(date), label_weekday_of(date), json_str(a, "post_name"),
                                        slot_person(a, person), phone ? phone : "-", slot_notes(a, notes) });
                else
                        r = table_add_row(t, (const char *const[]) {
                                        json_str(a, "post_name"), slot_person(a, person), phone ? phone : "-",
                                        slot_notes(a, notes) });
                if (r < 0)
                        return r;
        }
        return 0;
}

static int print_assignments(FILE *f, json_t *assignments) {
        _cleanup_(table_freep) Table *t = NULL;
        int r;

        r = table_new(6, (const char *const[]) { _("Date"), _("Day"), _("Post"), _("Person"), _("Phone"), _("Notes") }, &t);
        if (r < 0)
                return r;
        r = add_assignment_rows(t, assignments, true);
        if (r < 0)
                return r;
        return table_print(t, f);
}

static int print_generated_full(FILE *f, json_t *reply, const char *asked_from) {
        json_t *stored = json_object_get(reply, "stored");
        const char *planned = json_string_value(json_object_get(reply, "planned_from"));
        char filled[INT_STRING_MAX], empty[INT_STRING_MAX], amended[INT_STRING_MAX];
        int r;

        /* Say so when the days asked for had begun: nothing of them changed. */
        if (planned && asked_from && strcmp(planned, asked_from) > 0)
                fprintf(f, _("Generated from %s on (the duty days before it have begun or are past).\n"), planned);
        r = print_assignments(f, json_object_get(reply, "assignments"));
        if (r < 0)
                return r;
        fprintf(f, _("%s posts filled, %s empty; %s\n"),
                json_int_str(reply, "filled", filled), json_int_str(reply, "empty", empty),
                json_is_true(stored) ? _("saved.") : _("dry run, not saved."));
        if (json_integer_value(json_object_get(reply, "amended")) > 0)
                fprintf(f, _("%s posts of the published roster changed, each recorded as an amendment; publish it again.\n"),
                        json_int_str(reply, "amended", amended));
        return 0;
}

static int print_generated(FILE *f, json_t *reply, void *userdata) {
        return print_generated_full(f, reply, json_string_value(json_object_get(reply, "from")));
}

/* ---- calendar ---- */

static int print_calendar(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *day;
        size_t i;
        int r;

        r = table_new(6, (const char *const[]) { _("Date"), _("Day"), _("Type"), _("Holiday"), _("Days off"), _("Sensitive period") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(json_object_get(reply, "days"), i, day) {
                const char *date = json_string_value(json_object_get(day, "date"));
                const char *holiday = json_string_value(json_object_get(day, "holiday"));
                const char *special = json_string_value(json_object_get(day, "special"));
                const char *run_from = json_string_value(json_object_get(day, "run_from"));
                const char *run_to = json_string_value(json_object_get(day, "run_to"));
                char name[CELL_MAX], run[CELL_MAX];

                if (holiday && special)
                        snprintf(name, sizeof(name), _("%s (%s)"), holiday, special);
                else
                        snprintf(name, sizeof(name), "%s", holiday ?: special ?: "-");
                if (run_from && run_to)
                        snprintf(run, sizeof(run), _("%s to %s"), run_from, run_to);
                else
                        snprintf(run, sizeof(run), "-");

                r = table_add_row(t, (const char *const[]) {
                                strempty(date), label_weekday_of(date), label_day_type(json_str(day, "type")),
                                name, run, json_str(day, "sensitive") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int this_year(void) {
        time_t now = time(NULL);
        struct tm tm;

        if (!localtime_r(&now, &tm))
                return DAY_MIN_YEAR;
        return tm.tm_year + 1900;
}

static int verb_calendar(const VerbArgs *args, void *userdata) {
        const Context *ctx = userdata;
        json_auto_t *params = NULL;
        long long year = 0;
        Day from, to;
        int r;

        r = arg_year(args, "calendar", &year);
        if (r < 0)
                return r;
        if (year != 0 && (verb_args_has(args, "from") || verb_args_has(args, "to")))
                return verb_usage(_("calendar: give either --year or --from and --to"));

        if (year == 0 && (verb_args_has(args, "from") || verb_args_has(args, "to"))) {
                r = arg_range(args, "calendar", DUTY_VIEW_DAYS_MAX, &from, &to);
                if (r < 0)
                        return r;
        } else {
                if (year == 0)
                        year = this_year();
                from = day_from_ymd((int) year, 1, 1);
                to = day_from_ymd((int) year, 12, 31);
        }

        params = json_object();
        if (!params || set_day(params, "from", from) < 0 || set_day(params, "to", to) < 0)
                return -ENOMEM;

        return verb_call_params(args, ctx, params, NULL);
}

/* ---- who ---- */

static int print_who(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *pairs = NULL, *t = NULL;
        const char *date = json_string_value(json_object_get(reply, "date"));
        const char *holiday = json_string_value(json_object_get(reply, "holiday"));
        json_t *assignments = json_object_get(reply, "assignments");
        int r;

        r = table_new_pairs(&pairs);
        if (r < 0)
                return r;
        if ((r = table_add_pair(pairs, _("Duty day"), "%s %s", strempty(date), label_weekday_of(date))) < 0 ||
            (r = holiday ? table_add_pair(pairs, _("Type"), _("%s (%s)"), label_day_type(json_str(reply, "type")), holiday)
                         : table_add_pair(pairs, _("Type"), "%s", label_day_type(json_str(reply, "type")))) < 0 ||
            (r = table_add_pair(pairs, _("Time"), _("%s to %s"), json_moment(reply, "starts", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(reply, "ends", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0)
                return r;
        r = table_print(pairs, f);
        if (r < 0)
                return r;

        if (json_array_size(assignments) == 0) {
                fputs(_("\nNo roster for this day yet.\n"), f);
                return 0;
        }

        fputc('\n', f);
        r = table_new(4, (const char *const[]) { _("Post"), _("Person"), _("Phone"), _("Notes") }, &t);
        if (r < 0)
                return r;
        r = add_assignment_rows(t, assignments, false);
        if (r < 0)
                return r;
        r = table_print(t, f);
        if (r < 0)
                return r;

        /* The outgoing people not relieved yet stay on. */
        if (json_array_size(json_object_get(reply, "still_on")) > 0) {
                json_t *a;
                size_t i;

                fputs(_("\nNot taken over yet; still on duty from the previous day:"), f);
                json_array_foreach(json_object_get(reply, "still_on"), i, a)
                        fprintf(f, _(" %s (%s)"), json_str(a, "name"), json_str(a, "post_name"));
                fputc('\n', f);
        }

        /* Who has actually taken over: the roster says who should. Nothing for a day nobody took
         * over (an office not using handover take, a day to come): `handover list` says more. */
        if (json_array_size(json_object_get(reply, "handovers")) == 0)
                return 0;
        fputs(_("\nHandover:\n"), f);
        return print_handovers(f, json_object_get(reply, "handovers"));
}

static int verb_who(const VerbArgs *args, void *userdata) {
        char buf[DAY_STRING_MAX];
        const char *at = args->n_args > 0 ? args->args[0] : NULL;
        json_t *params;
        Day d, today;
        int minutes, r;

        /* today, tomorrow, +N: duty days from the one under way by the daemon's clock. */
        r = at ? parse_relative_day(at, 0, &d) : -ENOENT;
        if (r == -EINVAL)
                return verb_usage(_("who: '%s' needs a number of days of at most %d after the sign"), at, RELATIVE_DAYS_MAX);
        if (r >= 0) {
                r = call_today(userdata, &today);
                if (r < 0)
                        return r;
                (void) parse_relative_day(at, today, &d);
                at = day_format(d, buf);
        } else if (at && !streq(at, "now") && local_moment_parse(at, &d, &minutes) < 0 && !timestamp_is_valid(at))
                return verb_usage(_("who: '%s' is not now, today, tomorrow, yesterday, +N, -N, YYYY-MM-DD or YYYY-MM-DDTHH:MM"), at);

        params = json_object();
        if (params && at && params_set_string(params, "at", at) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

/* ---- amendments and hand-made slots ---- */

/* --amend, --reason and --replace-manual (where the verb has them) into params. */
static int amend_params(const VerbArgs *args, json_t *params) {
        const char *reason = verb_args_get(args, "reason");

        if (verb_args_has(args, "amend") && set_bool(params, "amend", true) < 0)
                return -ENOMEM;
        if (reason && params_set_string(params, "reason", reason) < 0)
                return -ENOMEM;
        if (verb_args_has(args, "replace-manual") && set_bool(params, "replace_manual", true) < 0)
                return -ENOMEM;
        return 0;
}

/* An amendment says why: --amend without --reason is a usage error before anything is sent. */
static int amend_check(const VerbArgs *args, const char *verb) {
        const char *reason = verb_args_get(args, "reason");

        if (verb_args_has(args, "amend") && isempty(reason))
                return verb_usage(_("%s: --amend needs --reason TEXT, saying why the published roster changes"), verb);
        if (!verb_args_has(args, "amend") && reason)
                return verb_usage(_("%s: --reason goes with --amend"), verb);
        return 0;
}

/* ---- roster generate / holiday ---- */

static int verb_roster_generate(const VerbArgs *args, void *userdata) {
        json_t *params;
        Day from, to;
        int r;

        r = arg_range(args, "roster generate", DUTY_GENERATE_DAYS_MAX, &from, &to);
        if (r < 0)
                return r;

        params = json_object();
        if (params && (set_day(params, "from", from) < 0 || set_day(params, "to", to) < 0 ||
                       set_bool(params, "dry_run", verb_args_has(args, "dry-run")) < 0 ||
                       set_bool(params, "assume_ordinary", verb_args_has(args, "assume-ordinary")) < 0 ||
                       amend_params(args, params) < 0)) {
                json_decref(params);
                return -ENOMEM;
        }
        r = amend_check(args, "roster generate");
        if (r < 0) {
                json_decref(params);
                return r;
        }
        return call_print(args, userdata, params);
}

static int print_holiday(FILE *f, json_t *reply, void *userdata) {
        fprintf(f, _("%s: %s to %s, to be published by %s.\n\n"), json_str(reply, "holiday"), json_str(reply, "from"),
                json_str(reply, "to"), json_str(reply, "publish_by"));
        return print_generated_full(f, reply, json_string_value(json_object_get(reply, "from")));
}

static int verb_roster_holiday(const VerbArgs *args, void *userdata) {
        json_t *params;
        long long year = 0;
        int r;

        r = arg_year(args, "roster holiday", &year);
        if (r < 0)
                return r;

        params = json_object();
        if (params && ((args->n_args > 0 && params_set_string(params, "name", args->args[0]) < 0) ||
                       (year != 0 && set_int(params, "year", year) < 0) ||
                       set_bool(params, "dry_run", verb_args_has(args, "dry-run")) < 0 ||
                       amend_params(args, params) < 0)) {
                json_decref(params);
                return -ENOMEM;
        }
        r = amend_check(args, "roster holiday");
        if (r < 0) {
                json_decref(params);
                return r;
        }
        return call_print(args, userdata, params);
}

/* ---- roster assign / unassign ---- */

/* DATE POST PERSON. */
static int slot_params(const VerbArgs *args, const char *verb, json_t **ret) {
        json_t *params;
        Day d;

        if (day_parse(args->args[0], &d) < 0)
                return verb_usage(_("%s: '%s' is not a date YYYY-MM-DD"), verb, args->args[0]);
        params = json_object();
        if (!params || set_day(params, "date", d) < 0 || params_set_string(params, "post", args->args[1]) < 0 ||
            params_set_string(params, "person", args->args[2]) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        *ret = params;
        return 0;
}

static int print_assigned(FILE *f, json_t *reply, void *userdata) {
        json_t *a = json_object_get(reply, "assignment");
        char person[CELL_MAX], notes[CELL_MAX];

        fprintf(f, _("Assigned: %s %s %s"), json_str(a, "date"), json_str(a, "post_name"), slot_person(a, person));
        slot_notes(a, notes);
        if (streq(notes, "-"))
                fputc('\n', f);
        else
                fprintf(f, _(" (%s)\n"), notes);
        return 0;
}

static int verb_roster_assign(const VerbArgs *args, void *userdata) {
        json_t *params = NULL;
        int r;

        r = amend_check(args, "roster assign");
        if (r < 0)
                return r;
        r = slot_params(args, "roster assign", &params);
        if (r < 0)
                return r;
        if (set_bool(params, "lock", verb_args_has(args, "lock")) < 0 || amend_params(args, params) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

static int verb_roster_unassign(const VerbArgs *args, void *userdata) {
        json_t *params = NULL;
        int r;

        r = amend_check(args, "roster unassign");
        if (r < 0)
                return r;
        r = slot_params(args, "roster unassign", &params);
        if (r < 0)
                return r;
        if (amend_params(args, params) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

/* ---- roster publish / diff / stats ---- */

static int print_published(FILE *f, json_t *reply, void *userdata) {
        char version[INT_STRING_MAX], empty[INT_STRING_MAX];

        fprintf(f, _("Published version %s (%s posts empty).\n"), json_int_str(reply, "version", version),
                json_int_str(reply, "empty", empty));
        return 0;
}

static int print_diff(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *changes = json_object_get(reply, "changes"), *ch;
        char version[INT_STRING_MAX];
        size_t i;
        int r;

        fprintf(f, _("Compared with version %s (%s to %s): %s\n"), json_int_str(reply, "version", version),
                json_str(reply, "from"), json_str(reply, "to"),
                json_array_size(changes) == 0 ? _("no changes.") : "");
        if (json_array_size(changes) == 0)
                return 0;

        r = table_new(6, (const char *const[]) { _("Date"), _("Post"), _("Slot"), _("Version"), _("Before"), _("Now") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(changes, i, ch) {
                char slot[INT_STRING_MAX], version_of[INT_STRING_MAX];
                const char *before = json_string_value(json_object_get(ch, "before_name")) ?:
                                     json_string_value(json_object_get(ch, "before"));
                const char *after = json_string_value(json_object_get(ch, "after_name")) ?:
                                    json_string_value(json_object_get(ch, "after"));
                const char *post = json_string_value(json_object_get(ch, "post_name")) ?: json_str(ch, "post");

                r = table_add_row(t, (const char *const[]) {
                                json_str(ch, "date"), post, json_int_str(ch, "slot", slot),
                                json_int_str(ch, "version", version_of),
                                before ?: _("(empty)"), after ?: _("(empty)") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int verb_roster_diff(const VerbArgs *args, void *userdata) {
        json_t *params;
        long long version = 0;

        if (args->n_args > 0 && parse_integer(args->args[0], 1, INT_MAX, &version) < 0)
                return verb_usage(_("roster diff: '%s' is not a version number"), args->args[0]);

        params = json_object();
        if (params && version > 0 && set_int(params, "version", version) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

/* "12 (11.8)": a count with the share expected of the person beside it. */
static const char *count_expected(json_t *p, const char *count, const char *expected, char *buf, size_t size) {
        snprintf(buf, size, "%lld (%.1f)", (long long) json_integer_value(json_object_get(p, count)),
                 json_number_value(json_object_get(p, expected)));
        return buf;
}

/* ---- roster amendments ---- */

static int print_amendments(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *items = json_object_get(reply, "amendments"), *a;
        size_t i;
        int r;

        if (json_array_size(items) == 0) {
                fputs(_("No amendments in this range.\n"), f);
                return 0;
        }
        r = table_new(7, (const char *const[]) { _("Date"), _("Post"), _("Version"), _("Before"), _("Now"), _("By"),
                                                 _("Reason") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(items, i, a) {
                char version[INT_STRING_MAX], by_uid[INT_STRING_MAX + 8];
                const char *before = json_string_value(json_object_get(a, "before_name")) ?:
                                     json_string_value(json_object_get(a, "before"));
                const char *after = json_string_value(json_object_get(a, "after_name")) ?:
                                    json_string_value(json_object_get(a, "after"));
                const char *by = json_string_value(json_object_get(a, "by_name")) ?:
                                 json_string_value(json_object_get(a, "by"));
                char uid[INT_STRING_MAX];

                if (!by) {
                        snprintf(by_uid, sizeof(by_uid), "uid %s", json_int_str(a, "uid", uid));
                        by = by_uid;
                }
                r = table_add_row(t, (const char *const[]) {
                                json_str(a, "date"), json_str(a, "post_name"), json_int_str(a, "version", version),
                                before ?: _("(empty)"), after ?: _("(empty)"), by, json_str(a, "reason") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_stats(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL, *s = NULL;
        char year[INT_STRING_MAX];
        json_t *p;
        size_t i;
        int r;

        fprintf(f, _("Duties in %s (expected, prorated by the days each person was active, in brackets)\n\n"),
                json_int_str(reply, "year", year));

        r = table_new(8, (const char *const[]) {
                        _("Person"), _("Name"), _("Workdays"), _("Weekends"), _("Holidays"),
                        _("Holiday load (special days weighted)"), _("Special (weighted)"), _("Last duty") }, &t);
        if (r < 0)
                return r;
        for (size_t c = 2; c <= 6; c++) {
                r = table_set_align(t, c, TABLE_ALIGN_RIGHT);
                if (r < 0)
                        return r;
        }
        json_array_foreach(json_object_get(reply, "people"), i, p) {
                char w[64], we[64], h[INT_STRING_MAX], hl[64], sp[INT_STRING_MAX];

                r = table_add_row(t, (const char *const[]) {
                                json_str(p, "person"), json_str(p, "name"),
                                count_expected(p, "workday", "expected_workday", w, sizeof(w)),
                                count_expected(p, "weekend", "expected_weekend", we, sizeof(we)),
                                json_int_str(p, "holiday", h),
                                count_expected(p, "holiday_load", "expected_holiday", hl, sizeof(hl)),
                                json_int_str(p, "special", sp), json_str(p, "last") });
                if (r < 0)
                        return r;
        }
        r = table_print(t, f);
        if (r < 0)
                return r;

        fputs(_("\nSpread (most minus fewest within a role; prorated: counted against each person's expectation)\n"), f);
        r = table_new(4, (const char *const[]) { _("Role"), _("Category"), _("Spread"), _("Prorated") }, &s);
        if (r < 0)
                return r;
        json_array_foreach(json_object_get(reply, "spread"), i, p) {
                char spread[INT_STRING_MAX], prorated[64];

                snprintf(prorated, sizeof(prorated), "%.1f", json_number_value(json_object_get(p, "prorated")));
                r = table_add_row(s, (const char *const[]) {
                                label_role(json_string_value(json_object_get(p, "role"))),
                                label_category(json_string_value(json_object_get(p, "category"))),
                                json_int_str(p, "spread", spread), prorated });
                if (r < 0)
                        return r;
        }
        return table_print(s, f);
}

static int verb_roster_stats(const VerbArgs *args, void *userdata) {
        json_t *params;
        long long year = 0;
        int r;

        r = arg_year(args, "roster stats", &year);
        if (r < 0)
                return r;
        params = json_object();
        if (params && year != 0 && set_int(params, "year", year) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

/* ---- sensitive ---- */

static int add_period_row(Table *t, json_t *p) {
        char extra[INT_STRING_MAX], number[INT_STRING_MAX];
        const char *origin = json_str(p, "origin");
        /* A period added at run time has a number, a configured one its id in dutyd.conf. */
        const char *id = json_is_integer(json_object_get(p, "id")) ? json_int_str(p, "id", number) : json_str(p, "config_id");

        return table_add_row(t, (const char *const[]) {
                        id, json_str(p, "name"), json_str(p, "from"), json_str(p, "to"),
                        json_int_str(p, "extra_officers", extra),
                        label_leave_policy(json_string_value(json_object_get(p, "leave"))),
                        streq(origin, "config") ? _("configuration") : _("added at run time") });
}

static int print_periods(FILE *f, json_t *periods) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *p;
        size_t i;
        int r;

        r = table_new(7, (const char *const[]) {
                        _("ID"), _("Period"), _("From"), _("To"), _("Extra officers"), _("Leaders' leave"), _("Origin") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(periods, i, p) {
                r = add_period_row(t, p);
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

/* The record a reply's member holds, under a heading, as the one row of its list's table. */
static int print_added(FILE *f, json_t *reply, const char *member, const char *heading,
                       int (*print_list)(FILE *f, json_t *items)) {
        _cleanup_(json_decrefp) json_t *items = json_pack("[O]", json_object_get(reply, member));

        if (!items)
                return -ENOMEM;
        fputs(heading, f);
        return print_list(f, items);
}

/* A list's table, or a sentence saying it is empty. */
static int print_list_or_none(FILE *f, json_t *items, const char *none, int (*print_list)(FILE *f, json_t *items)) {
        if (json_array_size(items) == 0) {
                fputs(none, f);
                return 0;
        }
        return print_list(f, items);
}

static int print_period_added(FILE *f, json_t *reply, void *userdata) {
        return print_added(f, reply, "period", _("Sensitive period added:\n"), print_periods);
}

static int verb_sensitive_add(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        const char *leave = verb_args_get(args, "leave"), *extra = verb_args_get(args, "extra-officers");
        long long n = -1;
        int r;

        r = range_params(args, DUTY_VIEW_DAYS_MAX, &params);
        if (r < 0)
                return r;
        if (extra && parse_integer(extra, 0, DUTY_EXTRA_OFFICERS_MAX, &n) < 0)
                return verb_usage(_("sensitive add: --extra-officers: '%s' is not a number 0…%d"), extra,
                                  DUTY_EXTRA_OFFICERS_MAX);
        if (leave && leave_policy_from_string(leave) < 0)
                return verb_usage(_("sensitive add: --leave: '%s' is not freeze, escalate or normal"), leave);
        if (n >= 0 && set_int(params, "extra_officers", n) < 0)
                return -ENOMEM;
        return call_print(args, userdata, TAKE_PTR(params));
}

static int print_sensitive_list(FILE *f, json_t *reply, void *userdata) {
        return print_list_or_none(f, json_object_get(reply, "periods"), _("No sensitive periods.\n"), print_periods);
}

/* ---- unavailable ---- */

static int print_items(FILE *f, json_t *items) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *u;
        size_t i;
        int r;

        r = table_new(5, (const char *const[]) { _("ID"), _("Person"), _("From"), _("To"), _("Reason") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(items, i, u) {
                char id[INT_STRING_MAX];

                r = table_add_row(t, (const char *const[]) {
                                json_int_str(u, "id", id), json_str(u, "person"), json_str(u, "from"),
                                json_str(u, "to"), json_str(u, "reason") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_unavailable_added(FILE *f, json_t *reply, void *userdata) {
        return print_added(f, reply, "unavailability", _("Unavailability recorded:\n"), print_items);
}

static int print_unavailable_list(FILE *f, json_t *reply, void *userdata) {
        return print_list_or_none(f, json_object_get(reply, "items"), _("No unavailability recorded.\n"), print_items);
}

static int verb_unavailable_remove(const VerbArgs *args, void *userdata) {
        json_t *params;
        long long id;

        if (parse_integer(args->args[0], 1, INT64_MAX, &id) < 0)
                return verb_usage(_("unavailable remove: '%s' is not an id"), args->args[0]);
        params = json_object();
        if (params && set_int(params, "id", id) < 0) {
                json_decref(params);
                return -ENOMEM;
        }
        return call_print(args, userdata, params);
}

static const Verb roster_verbs[] = {
        { "calendar", "[--from DATE --to DATE | --year YEAR]",
          N_("Show the official calendar: day types, holidays and their runs, sensitive periods."),
          0, 0, calendar_options, ELEMENTSOF(calendar_options), verb_calendar, DUTY_METHOD_CALENDAR, NULL, 0, print_calendar },
        { "who", "[now|today|tomorrow|yesterday|+N|-N|YYYY-MM-DD|YYYY-MM-DDTHH:MM]",
          N_("Show who is on duty now, on a duty day counted from today, or at an instant."),
          0, 1, NULL, 0, verb_who, DUTY_METHOD_WHO, NULL, 0, print_who },
        { "roster generate", "--from DATE --to DATE [--dry-run] [--assume-ordinary] [--replace-manual] [--amend --reason TEXT]",
          N_("Generate the roster of a range from the first day not begun; locked and hand-made assignments and applied swaps are kept (admin)."),
          0, 0, roster_generate_options, ELEMENTSOF(roster_generate_options), verb_roster_generate,
          DUTY_METHOD_ROSTER_GENERATE, NULL, 0, print_generated },
        { "roster holiday", "[NAME] [--year YEAR] [--dry-run] [--replace-manual] [--amend --reason TEXT]",
          N_("Generate exactly the duty period of the next, or the named, holiday (admin)."),
          0, 1, roster_holiday_options, ELEMENTSOF(roster_holiday_options), verb_roster_holiday,
          DUTY_METHOD_ROSTER_HOLIDAY, NULL, 0, print_holiday },
        { "roster assign", "DATE POST PERSON [--lock] [--amend --reason TEXT]", N_("Put a person on a post for a duty day (admin)."),
          3, 3, roster_assign_options, ELEMENTSOF(roster_assign_options), verb_roster_assign,
          DUTY_METHOD_ROSTER_ASSIGN, NULL, 0, print_assigned },
        { "roster unassign", "DATE POST PERSON [--amend --reason TEXT]", N_("Take a person off a post for a duty day (admin)."),
          3, 3, roster_unassign_options, ELEMENTSOF(roster_unassign_options), verb_roster_unassign,
          DUTY_METHOD_ROSTER_UNASSIGN, NULL, 0, print_done },
        { "roster publish", "--from DATE --to DATE", N_("Freeze the roster of a range as a numbered version (admin)."),
          0, 0, roster_publish_options, ELEMENTSOF(roster_publish_options), verb_range,
          DUTY_METHOD_ROSTER_PUBLISH, NULL, 0, print_published },
        { "roster diff", "[VERSION]", N_("Show what changed since a published version (default: each day since the version covering it)."),
          0, 1, NULL, 0, verb_roster_diff, DUTY_METHOD_ROSTER_DIFF, NULL, 0, print_diff },
        { "roster amendments", "--from DATE --to DATE", N_("List the amendments of published days: who, when, why."),
          0, 0, roster_amendments_options, ELEMENTSOF(roster_amendments_options), verb_range,
          DUTY_METHOD_ROSTER_AMENDMENTS, NULL, 0, print_amendments },
        { "roster stats", "[--year YEAR]", N_("Show duties per person and category, and their spread."),
          0, 0, roster_stats_options, ELEMENTSOF(roster_stats_options), verb_roster_stats,
          DUTY_METHOD_ROSTER_STATS, NULL, 0, print_stats },
};

const VerbFamily roster_family = { roster_verbs, ELEMENTSOF(roster_verbs) };

/* --from, --to and --extra-officers are checked and set by the handler. */
static const VerbParam sensitive_add_params[] = {
        { "name", NULL, VERB_PARAM_STRING },
        { "leave", "leave", VERB_PARAM_STRING },
};

/* A run-time sensitive period's number, as SensitiveList gives it. */
static const VerbParam sensitive_remove_params[] = {
        { "id", NULL, VERB_PARAM_SENSITIVE_ID },
};

static const Verb sensitive_verbs[] = {
        { "sensitive add", "NAME --from DATE --to DATE [--extra-officers N] [--leave POLICY]",
          N_("Add a sensitive period (重要敏感时期) (admin)."),
          1, 1, sensitive_add_options, ELEMENTSOF(sensitive_add_options), verb_sensitive_add,
          DUTY_METHOD_SENSITIVE_ADD, sensitive_add_params, ELEMENTSOF(sensitive_add_params), print_period_added },
        { "sensitive list", "", N_("List the sensitive periods, configured and added."),
          0, 0, NULL, 0, verb_call, DUTY_METHOD_SENSITIVE_LIST, NULL, 0, print_sensitive_list },
        { "sensitive remove", "ID", N_("Remove a sensitive period added at run time (admin)."),
          1, 1, NULL, 0, verb_call,
          DUTY_METHOD_SENSITIVE_REMOVE, sensitive_remove_params, ELEMENTSOF(sensitive_remove_params), print_done },
};

const VerbFamily sensitive_family = { sensitive_verbs, ELEMENTSOF(sensitive_verbs) };

static const VerbParam unavailable_add_params[] = {
        { "person", NULL, VERB_PARAM_STRING },
        { "reason", "reason", VERB_PARAM_STRING },
};

static const VerbParam unavailable_list_params[] = {
        { "person", "person", VERB_PARAM_STRING },
};

static const Verb unavailable_verbs[] = {
        { "unavailable add", "PERSON --from DATE --to DATE [--reason TEXT]",
          N_("Declare that a person cannot take duties on some days (admin)."),
          1, 1, unavailable_add_options, ELEMENTSOF(unavailable_add_options), verb_range,
          DUTY_METHOD_UNAVAILABLE_ADD, unavailable_add_params, ELEMENTSOF(unavailable_add_params), print_unavailable_added },
        { "unavailable list", "[--person ID]", N_("List declared unavailability."),
          0, 0, unavailable_list_options, ELEMENTSOF(unavailable_list_options), verb_call,
          DUTY_METHOD_UNAVAILABLE_LIST, unavailable_list_params, ELEMENTSOF(unavailable_list_params), print_unavailable_list },
        { "unavailable remove", "ID", N_("Remove a declared unavailability (admin)."),
          1, 1, NULL, 0, verb_unavailable_remove, DUTY_METHOD_UNAVAILABLE_REMOVE, NULL, 0, print_done },
};

const VerbFamily unavailable_family = { unavailable_verbs, ELEMENTSOF(unavailable_verbs) };
