/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl me: what concerns the caller, composed from the methods every member may call — Whoami
 * for who they are, Who for the duty day under way, RosterShow for their next duties, LeaveList
 * and SwapList for what is open and what waits for their decision. No method of its own: the
 * daemon already decides what each caller may see, and a view is not worth an interface change. */

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

#define ME_DAYS_DEFAULT 60
#define ME_DAYS_MAX     366

static const VerbOption me_options[] = {
        { "days", '\0', "N", N_("look this many duty days ahead for my duties (default 60, at most 366)") },
};

static bool streq_null(const char *a, const char *b) {
        return a && b && streq(a, b);
}

static bool leave_open(const char *state) {
        return streq_null(state, "pending") || streq_null(state, "approved") || streq_null(state, "started") ||
                streq_null(state, "overdue");
}

static int print_me(FILE *f, const char *me, json_t *roster, json_t *leaves, json_t *swaps) {
        json_t *day, *a, *l, *s;
        size_t i, j, n;

        fputs(_("My next duties:\n"), f);
        n = 0;
        json_array_foreach(json_object_get(roster, "days"), i, day)
                json_array_foreach(json_object_get(day, "assignments"), j, a) {
                        if (!streq_null(json_string_value(json_object_get(a, "person")), me))
                                continue;
                        fprintf(f, "  %s %s  %s\n", json_str(a, "date"), label_weekday_of(json_str(a, "date")),
                                json_str(a, "post_name"));
                        n++;
                }
        if (n == 0)
                fputs(_("  none in the roster\n"), f);

        fputs(_("My leave:\n"), f);
        n = 0;
        json_array_foreach(json_object_get(leaves, "leaves"), i, l) {
                if (!streq_null(json_string_value(json_object_get(l, "person")), me) ||
                    !leave_open(json_string_value(json_object_get(l, "state"))))
                        continue;
                fprintf(f, _("  #%s %s to %s, %s (approver: %s)\n"),
                        json_int_str(l, "id", (char[INT_STRING_MAX]) {}), json_moment(l, "start", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(l, "end", MOMENT_END, (char[MOMENT_STRING_MAX]) {}),
                        label_leave_state(json_str(l, "state")), json_str(l, "approver_name"));
                n++;
        }
        if (n == 0)
                fputs(_("  none open\n"), f);

        fputs(_("My swaps:\n"), f);
        n = 0;
        json_array_foreach(json_object_get(swaps, "swaps"), i, s) {
                if (!streq_null(json_string_value(json_object_get(s, "requester")), me) &&
                    !streq_null(json_string_value(json_object_get(s, "counterpart")), me))
                        continue;
                if (streq_null(json_string_value(json_object_get(s, "counterpart")), me) &&
                    streq_null(json_string_value(json_object_get(s, "state")), "proposed"))
                        continue;       /* listed below, as waiting for me */
                fprintf(f, _("  #%s %s %s, %s with %s: %s\n"),
                        json_int_str(s, "id", (char[INT_STRING_MAX]) {}), label_swap_kind(json_str(s, "kind")),
                        json_str(s, "date"), json_str(s, "requester_name"), json_str(s, "counterpart_name"),
                        label_swap_state(json_str(s, "state")));
                n++;
        }
        if (n == 0)
                fputs(_("  none open\n"), f);

        fputs(_("Waiting for my decision:\n"), f);
        n = 0;
        json_array_foreach(json_object_get(leaves, "leaves"), i, l) {
                if (!streq_null(json_string_value(json_object_get(l, "approver")), me) ||
                    !streq_null(json_string_value(json_object_get(l, "state")), "pending"))
                        continue;
                fprintf(f, _("  leave #%s of %s, %s to %s: 'dutyctl leave approve %s' or 'dutyctl leave reject %s'\n"),
                        json_int_str(l, "id", (char[INT_STRING_MAX]) {}), json_str(l, "name"), json_moment(l, "start", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                        json_moment(l, "end", MOMENT_END, (char[MOMENT_STRING_MAX]) {}), json_int_str(l, "id", (char[INT_STRING_MAX]) {}),
                        json_int_str(l, "id", (char[INT_STRING_MAX]) {}));
                n++;
        }
        json_array_foreach(json_object_get(swaps, "swaps"), i, s) {
                const char *state = json_string_value(json_object_get(s, "state"));
                bool party = streq_null(json_string_value(json_object_get(s, "requester")), me) ||
                             streq_null(json_string_value(json_object_get(s, "counterpart")), me);

                if (streq_null(json_string_value(json_object_get(s, "counterpart")), me) && streq_null(state, "proposed"))
                        fprintf(f, _("  swap #%s: %s asks you to take %s: 'dutyctl swap accept %s' or 'dutyctl swap decline %s'\n"),
                                json_int_str(s, "id", (char[INT_STRING_MAX]) {}), json_str(s, "requester_name"),
                                json_str(s, "date"), json_int_str(s, "id", (char[INT_STRING_MAX]) {}),
                                json_int_str(s, "id", (char[INT_STRING_MAX]) {}));
                else if (!party && streq_null(state, "accepted"))
                        /* SwapList shows a member only the swaps they are a party to or may approve. */
                        fprintf(f, _("  swap #%s of %s with %s, %s: 'dutyctl swap approve %s'\n"),
                                json_int_str(s, "id", (char[INT_STRING_MAX]) {}), json_str(s, "requester_name"),
                                json_str(s, "counterpart_name"), json_str(s, "date"),
                                json_int_str(s, "id", (char[INT_STRING_MAX]) {}));
                else
                        continue;
                n++;
        }
        if (n == 0)
                fputs(_("  nothing\n"), f);

        return ferror(f) ? -EIO : 0;
}

static int verb_me(const VerbArgs *args, void *userdata) {
        const Context *ctx = userdata;
        json_auto_t *whoami = NULL, *roster = NULL, *leaves = NULL, *swaps = NULL, *params = NULL, *all = NULL;
        const char *days_arg = verb_args_get(args, "days"), *me;
        char from[DAY_STRING_MAX], to[DAY_STRING_MAX];
        long days = ME_DAYS_DEFAULT;
        Day today;
        int r;

        if (days_arg) {
                if (parse_count(days_arg, ME_DAYS_MAX, &days) < 0) {
                        fprintf(stderr, _("dutyctl: me: --days needs a number from 1 to %d, not '%s'\n"), ME_DAYS_MAX, days_arg);
                        return -EINVAL;
                }
        }

        r = call_method(ctx, DUTY_METHOD_WHOAMI, NULL, &whoami);
        if (r < 0)
                return r;
        me = json_string_value(json_object_get(json_object_get(whoami, "person"), "id"));
        if (!me) {
                if (ctx->json)
                        (void) client_print_error_json(stdout, NULL, NULL, NULL,
                                                       _("you are not a person of this office's configuration"));
                else
                        fprintf(stderr, _("dutyctl: me: dutyd does not know you (uid %s, user %s) as a person of "
                                          "the office; ask the administrator to add user = \"%s\" to your entry\n"),
                                json_int_str(whoami, "uid", (char[INT_STRING_MAX]) {}), json_str(whoami, "user"),
                                json_str(whoami, "user"));
                return -EREMOTEIO;
        }

        r = call_today(ctx, &today);
        if (r < 0)
                return r;
        params = json_pack("{s:s, s:s, s:s}", "from", day_format(today, from),
                           "to", day_format(today + (Day) days - 1, to), "person", me);
        if (!params)
                return -ENOMEM;
        r = call_method(ctx, DUTY_METHOD_ROSTER_SHOW, params, &roster);
        if (r < 0)
                return r;
        /* Everything visible: one's own, and for an approver what waits for them. */
        r = call_method(ctx, DUTY_METHOD_LEAVE_LIST, NULL, &leaves);
        if (r < 0)
                return r;
        json_decref(params);
        params = json_pack("{s:b}", "pending", 1);
        if (!params)
                return -ENOMEM;
        r = call_method(ctx, DUTY_METHOD_SWAP_LIST, params, &swaps);
        if (r < 0)
                return r;

        if (ctx->json) {
                /* Each member is the reply of the method named, as the interface defines it. */
                all = json_pack("{s:O, s:O, s:O, s:O}", "whoami", whoami, "roster", roster,
                                "leave", leaves, "swaps", swaps);
                if (!all)
                        return -ENOMEM;
                return output_json(stdout, all);
        }
        return print_me(stdout, me, roster, leaves, swaps);
}

static const Verb me_verbs[] = {
        { "me", "[--days N]", N_("Show my next duties, my open leave and swaps, and what waits for my decision."),
          0, 0, me_options, ELEMENTSOF(me_options), verb_me, NULL, NULL, 0, NULL },
};

const VerbFamily me_family = { me_verbs, ELEMENTSOF(me_verbs) };
