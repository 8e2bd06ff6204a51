/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's handover verbs (交接班): take over the duty, hand it over with a note, list a day's
 * takeovers and handovers. Who may do what is the daemon's to say: it checks the roster. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "labels.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static const VerbOption handover_take_options[] = {
        { "for", '\0', "PERSON", N_("record the takeover of this person (administrators)") },
};

static const VerbOption handover_give_options[] = {
        { "note", '\0', "TEXT", N_("what you hand over: open matters, things to watch") },
        { "for", '\0', "PERSON", N_("record the handover of this person (administrators)") },
};

static const char *action_text(json_t *h) {
        const char *a = json_string_value(json_object_get(h, "action"));

        if (a && streq(a, "take"))
                return json_is_true(json_object_get(h, "late")) ? _("took over (late)") : _("took over");
        if (a && streq(a, "give"))
                return _("handed over");
        return a ?: "-";
}

/* The handovers of a reply as a table: time, person, post, what, note. */
int print_handovers(FILE *f, json_t *handovers) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *h;
        size_t i;
        int r;

        r = table_new(5, (const char *const[]) { _("Time"), _("Person"), _("Post"), _("Action"), _("Note") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(handovers, i, h) {
                r = table_add_row(t, (const char *const[]) {
                                json_moment(h, "at", MOMENT_T_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_str(h, "name"), json_str(h, "post_name"), action_text(h),
                                json_str(h, "note") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_handover_reply(FILE *f, json_t *reply, void *userdata) {
        json_t *handovers = json_object_get(reply, "handovers"), *open_items = json_object_get(reply, "open_items");
        bool take = json_array_size(handovers) > 0 &&
                    streq(json_str(json_array_get(handovers, 0), "action"), "take");
        int r;

        if (json_is_string(json_object_get(json_array_get(handovers, 0), "recorded_by")))
                fprintf(f, take ? _("Takeover of %s recorded for %s.\n") : _("Handover of %s recorded for %s.\n"),
                        json_str(reply, "date"), json_str(json_array_get(handovers, 0), "name"));
        else if (take)
                fprintf(f, json_is_true(json_object_get(reply, "late"))
                                ? _("You have taken over the duty of %s, late: the handover time had passed.\n")
                                : _("You have taken over the duty of %s.\n"),
                        json_str(reply, "date"));
        else
                fprintf(f, _("You have handed over the duty of %s.\n"), json_str(reply, "date"));
        r = print_handovers(f, handovers);
        if (r < 0)
                return r;

        /* The open log items pass from one duty to the next: said at both ends of the handover. */
        if (json_array_size(open_items) == 0)
                fputs(take ? _("No open items are carried over to your duty.\n")
                           : _("You leave no open items to the next duty.\n"), f);
        else {
                fprintf(f, take ? _("Open items (待办) you take over: %zu\n")
                                : _("Open items (待办) you leave to the next duty: %zu\n"),
                        json_array_size(open_items));
                r = print_log_entries(f, open_items, json_string_value(json_object_get(reply, "date")));
                if (r < 0)
                        return r;
                if (take)
                        fputs(_("Close one once it is done with `dutyctl log close ID --note TEXT`.\n"), f);
        }
        if (take)
                fputs(_("The outgoing person hands over with `dutyctl handover give --note TEXT`.\n"), f);
        return 0;
}

static int print_handover_list(FILE *f, json_t *reply, void *userdata) {
        json_t *handovers = json_object_get(reply, "handovers"), *pending = json_object_get(reply, "pending"),
               *names = json_object_get(reply, "pending_names"), *p;
        size_t i;
        int r;

        fprintf(f, _("Duty day %s\n"), json_str(reply, "date"));
        if (json_array_size(handovers) == 0)
                fputs(_("Nobody has taken over or handed over yet.\n"), f);
        else {
                r = print_handovers(f, handovers);
                if (r < 0)
                        return r;
        }
        if (json_array_size(pending) > 0) {
                fputs(_("Not taken over yet:"), f);
                /* By the posts' display names, as the duty room calls them; the id from an older
                 * dutyd that sends no names. */
                json_array_foreach(pending, i, p) {
                        const char *name = json_string_value(json_array_get(names, i));

                        fprintf(f, i > 0 ? _(", %s") : " %s", name ?: json_string_value(p) ?: "-");
                }
                fputc('\n', f);
        }
        return 0;
}

static int verb_handover_list(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_object();
        Day d;

        if (!params)
                return -ENOMEM;
        if (args->n_args > 0) {
                if (day_parse(args->args[0], &d) < 0)
                        return verb_usage(_("handover list: '%s' is not a date YYYY-MM-DD"), args->args[0]);
                if (json_object_set_new(params, "date", json_string(args->args[0])) < 0)
                        return -ENOMEM;
        }
        return verb_call_params(args, userdata, params, NULL);
}

static const VerbParam handover_take_params[] = {
        { "for", "for", VERB_PARAM_STRING },
};

static const VerbParam handover_give_params[] = {
        { "note", "note", VERB_PARAM_STRING },
        { "for", "for", VERB_PARAM_STRING },
};

static const Verb handover_verbs[] = {
        { "handover take", "[--for PERSON]", N_("Take over your duty (接班) at the handover; late after the configured minutes."),
          0, 0, handover_take_options, ELEMENTSOF(handover_take_options), verb_call,
          DUTY_METHOD_HANDOVER_TAKE, handover_take_params, ELEMENTSOF(handover_take_params), print_handover_reply },
        { "handover give", "[--note TEXT] [--for PERSON]", N_("Hand over your duty (交班) once the incoming person has taken over."),
          0, 0, handover_give_options, ELEMENTSOF(handover_give_options), verb_call,
          DUTY_METHOD_HANDOVER_GIVE, handover_give_params, ELEMENTSOF(handover_give_params), print_handover_reply },
        { "handover list", "[DATE]", N_("Show who took over and handed over a duty day, and the posts not taken over."),
          0, 1, NULL, 0, verb_handover_list, DUTY_METHOD_HANDOVER_LIST, NULL, 0, print_handover_list },
};

const VerbFamily handover_family = { handover_verbs, ELEMENTSOF(handover_verbs) };
