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
#include "gaps.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

const VerbOption gaps_options[2] = {
        { "days", '\0', "N", N_("look N duty days ahead (default the configured roster horizon, at most 366)") },
        { "json", '\0', NULL, N_("print the reply as JSON") },
};

static int print_gaps(FILE *f, json_t *reply) {
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

int verb_gaps(const VerbArgs *args, void *userdata) {
        Context ctx = *(const Context *) userdata;
        const char *days = verb_args_get(args, "days");
        json_t *params;
        int r;

        ctx.json = ctx.json || verb_args_has(args, "json");

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (days) {
                char *end;
                long n;

                errno = 0;
                n = strtol(days, &end, 10);
                if (errno != 0 || end == days || *end != '\0' || n < 1 || n > GAPS_DAYS_MAX) {
                        fprintf(stderr, _("dutyctl: gaps: --days needs a number from 1 to %d, not '%s'\n"),
                                GAPS_DAYS_MAX, days);
                        json_decref(params);
                        return -EINVAL;
                }
                if (json_object_set_new(params, "days", json_integer(n)) < 0) {
                        json_decref(params);
                        return -ENOMEM;
                }
        }

        r = call_and_print(&ctx, "Gaps", params, print_gaps);
        json_decref(params);
        return r;
}
