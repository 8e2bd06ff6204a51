/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl roster show: fetches the roster of a range and renders it in the chosen format. */

#include <errno.h>
#include <stdlib.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "build-config.h"
#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "export.h"
#include "ics.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static const VerbOption roster_show_options[] = {
        { "from", '\0', "DATE", N_("first duty day, YYYY-MM-DD (with --to)") },
        { "to", '\0', "DATE", N_("last duty day, YYYY-MM-DD (with --from)") },
        { "week", '\0', NULL, N_("this week, Monday to Sunday (the default); +N: N weeks later") },
        { "month", '\0', "YYYY-MM", N_("every day of a month") },
        { "person", '\0', "ID", N_("only this person's duties (with --format ics: a personal calendar feed; with csv: a row per duty, with its leader and colleagues)") },
        { "format", '\0', "FORMAT", N_("table (default), json, csv, csv-long (a row per duty), csv-counts (duties per person), ics or html") },
        { "output", 'o', "FILE", N_("write to FILE (\"-\": standard output), replacing it only once complete") },
};

static uint64_t now_realtime_usec(void) {
        struct timespec ts;

        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

/* --from and --to as dates; a typo is a usage error before anything is sent. */
static int parse_from_to(const char *from, const char *to, Day *ret_from, Day *ret_to) {
        if (day_parse(from, ret_from) < 0) {
                fprintf(stderr, _("dutyctl: roster show: --from: '%s' is not a date YYYY-MM-DD\n"), from);
                return -EINVAL;
        }
        if (day_parse(to, ret_to) < 0) {
                fprintf(stderr, _("dutyctl: roster show: --to: '%s' is not a date YYYY-MM-DD\n"), to);
                return -EINVAL;
        }
        return 0;
}

/* The range asked for: --from/--to, --month YYYY-MM, or a week (--week [+N]; the default) from
 * Monday to Sunday around the duty day under way by the daemon's clock. */
static int show_range(const VerbArgs *args, const Context *ctx, Day *ret_from, Day *ret_to) {
        const char *from = verb_args_get(args, "from"), *to = verb_args_get(args, "to"),
                *month = verb_args_get(args, "month"), *offset = args->n_args > 0 ? args->args[0] : NULL;
        bool week = verb_args_has(args, "week");
        Day first, last, today;
        int y, m, r;
        char extra;

        if ((from || to) + (month != NULL) + week > 1) {
                fprintf(stderr, _("dutyctl: roster show: give --from and --to, --week or --month, not several\n"));
                return -EINVAL;
        }
        if (offset && !week) {
                fprintf(stderr, _("dutyctl: roster show: '%s': a number of weeks goes with --week, e.g. --week +1\n"), offset);
                return -EINVAL;
        }

        if (from || to) {
                if (isempty(from) || isempty(to)) {
                        fprintf(stderr, _("dutyctl: roster show: --from and --to go together\n"));
                        return -EINVAL;
                }
                r = parse_from_to(from, to, &first, &last);
                if (r < 0)
                        return r;
        } else if (month) {
                if (sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || strlen(month) != 7 || m < 1 || m > 12 ||
                    y < DAY_MIN_YEAR || y > DAY_MAX_YEAR) {
                        fprintf(stderr, _("dutyctl: roster show: --month: '%s' is not a month YYYY-MM\n"), month);
                        return -EINVAL;
                }
                first = day_from_ymd(y, m, 1);
                last = (m == 12 ? day_from_ymd(y + 1, 1, 1) : day_from_ymd(y, m + 1, 1)) - 1;
        } else {
                long n = 0;

                if (offset) {
                        char *end;

                        errno = 0;
                        n = strtol(offset, &end, 10);
                        if ((offset[0] != '+' && offset[0] != '-') || errno != 0 || *end != '\0' || end == offset + 1 ||
                            labs(n) > RELATIVE_DAYS_MAX / 7) {
                                fprintf(stderr, _("dutyctl: roster show: --week takes +N or -N weeks (at most %d), not '%s'\n"),
                                        RELATIVE_DAYS_MAX / 7, offset);
                                return -EINVAL;
                        }
                }
                r = call_today(ctx, &today);
                if (r < 0)
                        return r;
                first = today - (day_weekday(today) - 1) + (Day) (7 * n);
                last = first + 6;
        }

        *ret_from = first;
        *ret_to = last;
        return 0;
}

static int verb_roster_show(const VerbArgs *args, void *userdata) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        const Context *ctx = userdata;
        const char *from = verb_args_get(args, "from"), *to = verb_args_get(args, "to"),
                *person = verb_args_get(args, "person"), *format_name = verb_args_get(args, "format"),
                *output = verb_args_get(args, "output");
        ExportFormat format = ctx->json ? EXPORT_FORMAT_JSON : EXPORT_FORMAT_TABLE;
        char from_buf[DAY_STRING_MAX], to_buf[DAY_STRING_MAX];
        json_t *params = NULL, *reply = NULL;
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        Day first, last;
        ExportOptions options = {
                .person = person,
        };
        int r;

        r = show_range(args, ctx, &first, &last);
        if (r < 0)
                return r;
        from = day_format(first, from_buf);
        to = day_format(last, to_buf);
        /* A typo is a usage error before anything is sent; the daemon checks the range again. */
        r = parse_from_to(from, to, &first, &last);
        if (r < 0)
                return r;
        if (last < first) {
                fprintf(stderr, _("dutyctl: roster show: --to comes before --from\n"));
                return -EINVAL;
        }
        if (format_name) {
                format = export_format_from_string(format_name);
                if (format < 0) {
                        fprintf(stderr, _("dutyctl: roster show: unknown format '%s' (table, json, csv, csv-long, "
                                          "csv-counts, ics or html)\n"),
                                format_name);
                        return -EINVAL;
                }
        }
        if (output && isempty(output)) {
                fprintf(stderr, _("dutyctl: roster show: --output needs a file name\n"));
                return -EINVAL;
        }

        params = person ? json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "person", person)
                        : json_pack("{s:s, s:s}", "from", from, "to", to);
        if (!params)
                return -ENOMEM;

        r = client_connect(ctx->socket_path, context_client_flags(ctx), &c);
        if (r >= 0)
                r = client_call(c, args->verb->method, params, context_client_flags(ctx), &reply);
        json_decref(params);
        if (r < 0)
                return r;
        /* A person's rows in a spreadsheet name the leader and colleagues of each duty: the whole
         * roster, once the daemon has accepted the person. */
        if (person && (format == EXPORT_FORMAT_CSV || format == EXPORT_FORMAT_CSV_LONG)) {
                json_decref(reply);
                reply = NULL;
                params = json_pack("{s:s, s:s}", "from", from, "to", to);
                if (!params)
                        return -ENOMEM;
                r = client_call(c, args->verb->method, params, context_client_flags(ctx), &reply);
                json_decref(params);
                if (r < 0)
                        return r;
        }

        options.now_usec = now_realtime_usec();
        r = export_roster_to_buffer(format, reply, &options, &data, &size);
        if (r == -ENOENT)
                fprintf(stderr, _("dutyctl: roster show: the time zone %s is not known on this system "
                                  "(install tzdata)\n"), strna(json_string_value(json_object_get(reply, "timezone"))));
        else if (r == -EBADMSG)
                fprintf(stderr, _("dutyctl: roster show: malformed reply from dutyd\n"));
        else if (r == -ELIBACC) {
                /* libical is loaded for ics and html only: say what the loader said. */
                _cleanup_free_ char *why = NULL;

                (void) ics_library_load(&why);
                fprintf(stderr, _("dutyctl: roster show: cannot load the iCalendar library %s (%s): install libical "
                                  "(Debian: libical3); the table, json and csv formats do without it\n"),
                        LIBICAL_SONAME, strna(why));
        } else if (r < 0)
                fprintf(stderr, _("dutyctl: roster show: cannot render the roster: %s\n"), strerror(-r));
        else {
                bool file = false;

                r = export_output(output, data, size, &file);
                if (r < 0 && file)
                        fprintf(stderr, _("dutyctl: roster show: cannot write %s: %s\n"), output, strerror(-r));
                else if (r < 0)
                        fprintf(stderr, _("dutyctl: roster show: cannot write to standard output\n"));
        }
        json_decref(reply);
        return r;
}

static const Verb roster_show_verbs[] = {
        { "roster show", "[--week [+N] | --month YYYY-MM | --from DATE --to DATE] [--person ID] [--format FORMAT] [-o|--output FILE]",
          N_("Show or export the roster of this week, a week, a month or a range: table, json, csv, ics or html."),
          0, 1, roster_show_options, ELEMENTSOF(roster_show_options), verb_roster_show,
          DUTY_METHOD_ROSTER_SHOW, NULL, 0, NULL },
};

const VerbFamily roster_show_family = { roster_show_verbs, ELEMENTSOF(roster_show_verbs) };
