/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl gaps: the holes in the duty coverage as the daemon's gap monitor sees them now. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "dutyctl.h"
#include "labels.h"
#include "duty-names.h"
#include "gaps.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static const VerbOption gaps_options[] = {
        { "days", '\0', "N", N_("look N duty days ahead (default the configured roster horizon, at most 366)") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static int print_gaps(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *gaps = json_object_get(reply, "gaps"), *g;
        size_t i;
        int r;

        if (json_array_size(gaps) == 0) {
                fputs(_("No gaps in the duty coverage.\n"), f);
                return 0;
        }

        r = table_new(4, (const char *const[]) { _("Urgency"), _("Date"), _("Kind"), _("Description") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(gaps, i, g) {
                r = table_add_row(t, (const char *const[]) {
                                label_gap_urgency(json_string_value(json_object_get(g, "urgency"))),
                                json_str(g, "date"), label_gap_kind(json_string_value(json_object_get(g, "kind"))),
                                json_str(g, "message") });
                if (r < 0)
                        return r;
        }

        r = table_print(t, f);
        if (r < 0)
                return r;
        fprintf(f, ngettext("%zu gap.\n", "%zu gaps.\n", json_array_size(gaps)), json_array_size(gaps));
        return 0;
}

static int verb_gaps(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        Context ctx = *(const Context *) userdata;
        const char *days = verb_args_get(args, "days");
        long n;

        ctx.json = ctx.json || verb_args_has(args, "json");

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (days) {
                if (parse_count(days, GAPS_DAYS_MAX, &n) < 0) {
                        fprintf(stderr, _("dutyctl: gaps: --days needs a number from 1 to %d, not '%s'\n"),
                                GAPS_DAYS_MAX, days);
                        return -EINVAL;
                }
                if (json_object_set_new(params, "days", json_integer(n)) < 0)
                        return -ENOMEM;
        }

        return verb_call_params(args, &ctx, params, NULL);
}

static const Verb gaps_verbs[] = {
        { "gaps", "[--days N] [--json]", N_("List the gaps in the duty coverage now, most urgent first."),
          0, 0, gaps_options, ELEMENTSOF(gaps_options), verb_gaps, DUTY_METHOD_GAPS, NULL, 0, print_gaps },
};

const VerbFamily gaps_family = { gaps_verbs, ELEMENTSOF(gaps_verbs) };
