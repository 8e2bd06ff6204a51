/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's swap verbs (换班/代班): arguments to io.dutyd.Duty's Swap* parameters, replies to text.
 * Dates and numbers are checked here with the daemon's own parser, so that a typo is a usage error
 * before anything is sent; the daemon checks them again, and every rule. */

#include <errno.h>
#include <inttypes.h>
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
#include "swap.h"
#include "util.h"
#include "verbs.h"

static const VerbOption swap_request_options[] = {
        { "with", '\0', "PERSON", N_("who you exchange duties with (required)") },
        { "their-date", '\0', "DATE", N_("their duty day you take (default: their next one on the same post)") },
        { "post", '\0', "POST", N_("your post that day, if you hold more than one") },
        { "reason", '\0', "TEXT", N_("why") },
};

static const VerbOption swap_cover_options[] = {
        { "by", '\0', "PERSON", N_("who takes your duty (required)") },
        { "post", '\0', "POST", N_("your post that day, if you hold more than one") },
        { "reason", '\0', "TEXT", N_("why") },
};

static const VerbOption swap_list_options[] = {
        { "mine", '\0', NULL, N_("only swaps you are a party to") },
        { "pending", '\0', NULL, N_("only swaps still awaiting consent or approval") },
};

static const VerbOption swap_note_options[] = {
        { "reason", '\0', "TEXT", N_("why, kept in the swap's history") },
};

/* ---- Arguments ---- */

static int check_date(const char *verb, const char *what, const char *value) {
        Day d;

        if (day_parse(value, &d) < 0)
                return verb_usage(_("%s: %s: '%s' is not a date YYYY-MM-DD"), verb, what, value);
        return 0;
}

/* ---- Output ---- */

static const char *kind_text(json_t *swap) {
        return label_swap_kind(json_string_value(json_object_get(swap, "kind")));
}

static const char *state_text(json_t *swap) {
        return label_swap_state(json_string_value(json_object_get(swap, "state")));
}

static const char *action_text(json_t *event) {
        return label_swap_action(json_string_value(json_object_get(event, "action")));
}

/* "YYYY-MM-DD <post name>", or "-". */
static char *duty_text(json_t *swap, const char *date_key, const char *post_name_key) {
        const char *date = json_string_value(json_object_get(swap, date_key));
        char *s;

        if (!date)
                return strdup("-");
        if (asprintf(&s, "%s %s", date, json_str(swap, post_name_key)) < 0)
                return NULL;
        return s;
}

/* may_approve: who may approve a swap still open, or NULL. */
static int print_swap_full(FILE *f, json_t *swap, const char *may_approve) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *requester = NULL, *counterpart = NULL, *mine = NULL, *theirs = NULL, *approver = NULL;
        bool exchange = json_is_string(json_object_get(swap, "their_date"));
        char id[INT_STRING_MAX];
        int r;

        requester = person_text(swap, "requester", "requester_name");
        counterpart = person_text(swap, "counterpart", "counterpart_name");
        mine = duty_text(swap, "date", "post_name");
        theirs = duty_text(swap, "their_date", "their_post_name");
        approver = person_text(swap, "approved_by", "approved_by_name");
        if (!requester || !counterpart || !mine || !theirs || !approver)
                return -ENOMEM;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        if ((r = table_add_pair(t, _("Number"), "%s", json_int_str(swap, "id", id))) < 0 ||
            (r = table_add_pair(t, _("Kind"), "%s", kind_text(swap))) < 0 ||
            (r = table_add_pair(t, _("State"), "%s", state_text(swap))) < 0 ||
            (r = table_add_pair(t, _("Requester"), "%s", requester)) < 0 ||
            (r = table_add_pair(t, _("Requester's duty"), "%s", mine)) < 0 ||
            (r = table_add_pair(t, exchange ? _("Swap with") : _("Substitute"), "%s", counterpart)) < 0)
                return r;
        if (exchange && (r = table_add_pair(t, _("Their duty"), "%s", theirs)) < 0)
                return r;
        if ((r = table_add_pair(t, _("Reason"), "%s", json_str(swap, "reason"))) < 0 ||
            (r = table_add_pair(t, _("Requested"), "%s", json_moment(swap, "created", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0 ||
            (r = table_add_pair(t, _("Approve by"), "%s", json_moment(swap, "deadline", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0)
                return r;
        if (may_approve && !json_is_string(json_object_get(swap, "approved_by")))
                r = table_add_pair(t, _("May approve"), "%s", may_approve);
        else
                r = table_add_pair(t, _("Approved by"), "%s", approver);
        if (r < 0)
                return r;

        return table_print(t, f);
}

static int print_swap_list(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *swaps = json_object_get(reply, "swaps"), *s;
        size_t i;
        int r;

        if (json_array_size(swaps) == 0) {
                fputs(_("No swaps.\n"), f);
                return 0;
        }

        r = table_new(7, (const char *const[]) {
                        _("No."), _("Kind"), _("State"), _("Requester"), _("Requester's duty"), _("Other party"),
                        _("Their duty") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(swaps, i, s) {
                _cleanup_free_ char *mine = duty_text(s, "date", "post_name");
                _cleanup_free_ char *theirs = duty_text(s, "their_date", "their_post_name");
                char id[INT_STRING_MAX];

                if (!mine || !theirs)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_int_str(s, "id", id), kind_text(s), state_text(s),
                                json_str(s, "requester_name"), mine, json_str(s, "counterpart_name"), theirs });
                if (r < 0)
                        return r;
        }

        return table_print(t, f);
}

static int print_swap_show_full(FILE *f, json_t *reply, const char *may_approve) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *events = json_object_get(reply, "events"), *e;
        size_t i;
        int r;

        r = print_swap_full(f, json_object_get(reply, "swap"), may_approve);
        if (r < 0)
                return r;
        if (json_array_size(events) == 0)
                return 0;

        fputs(_("\nHistory:\n"), f);
        r = table_new(4, (const char *const[]) { _("Time"), _("Action"), _("By"), _("Note") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(events, i, e) {
                const char *name = json_string_value(json_object_get(e, "actor_name"));
                const char *actor = json_string_value(json_object_get(e, "actor"));
                char uid[INT_STRING_MAX];
                _cleanup_free_ char *who = NULL;

                /* An expiry is nobody's act; root acts with no person. */
                if (name || actor)
                        who = strdup(name ?: actor);
                else if (swap_action_from_string(json_string_value(json_object_get(e, "action"))) == SWAP_ACTION_EXPIRE)
                        who = strdup("-");
                else if (asprintf(&who, _("uid %s"), json_int_str(e, "uid", uid)) < 0)
                        who = NULL;
                if (!who)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_moment(e, "at", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}), action_text(e), who, json_str(e, "reason") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

/* Who may approve an open swap, by name: the leaders on call of the days it touches. */

/* The leaders on call of a duty day, "name (id)" joined by ", ", appended to f. */
static void append_leaders(const Context *ctx, FILE *f, const char *date, bool *first) {
        json_auto_t *params = json_pack("{s:s}", "at", date), *reply = NULL;
        json_t *a;
        size_t i;

        if (!params || call_method(ctx, DUTY_METHOD_WHO, params, &reply) < 0)
                return;
        json_array_foreach(json_object_get(reply, "assignments"), i, a) {
                if (!streq(json_str(a, "role"), "leader") || !json_is_string(json_object_get(a, "person")))
                        continue;
                fprintf(f, "%s%s (%s)", *first ? "" : _(", "), json_str(a, "name"), json_str(a, "person"));
                *first = false;
        }
}

/* Who may approve an open swap: the leader on call of a duty day it touches, by name, or an
 * administrator. */
static char *swap_show_may_approve(const Context *ctx, json_t *swap) {
        _cleanup_free_ char *names = NULL;
        const char *state = json_string_value(json_object_get(swap, "state"));
        const char *their = json_string_value(json_object_get(swap, "their_date"));
        size_t size = 0;
        bool first = true;
        char *s = NULL;
        FILE *f;

        if (!state || !(streq(state, "proposed") || streq(state, "accepted")))
                return NULL;
        f = open_memstream(&names, &size);
        if (!f)
                return NULL;
        append_leaders(ctx, f, json_str(swap, "date"), &first);
        if (their)
                append_leaders(ctx, f, their, &first);
        if (fclose(f) != 0)
                return NULL;
        if (first)
                return strdup(_("the leader on call of its day, or an administrator"));
        if (asprintf(&s, _("%s (leader on call of its day), or an administrator"), names) < 0)
                return NULL;
        return s;
}

/* A swap just requested, accepted or declined: said with who may approve it, by name. */
static int print_swap_reply(FILE *f, json_t *reply, void *userdata) {
        _cleanup_free_ char *may_approve = swap_show_may_approve(userdata, json_object_get(reply, "swap"));

        return print_swap_full(f, json_object_get(reply, "swap"), may_approve);
}

static int print_swap_show(FILE *f, json_t *reply, void *userdata) {
        _cleanup_free_ char *may_approve = swap_show_may_approve(userdata, json_object_get(reply, "swap"));

        return print_swap_show_full(f, reply, may_approve);
}

/* ---- Verbs ---- */

/* swap request DATE --with PERSON and swap cover DATE --by PERSON: the counterpart required, the
 * dates checked; the rest as the row's shape says. */
static int verb_swap_ask(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        const char *verb = args->verb->name, *their = verb_args_get(args, "their-date");
        bool exchange = streq(args->verb->method, DUTY_METHOD_SWAP_REQUEST);
        int r;

        if ((r = check_date(verb, "DATE", args->args[0])) < 0)
                return r;
        if (exchange && isempty(verb_args_get(args, "with")))
                return verb_usage(_("swap request: --with PERSON is required"));
        if (!exchange && isempty(verb_args_get(args, "by")))
                return verb_usage(_("swap cover: --by PERSON is required"));
        if (their && (r = check_date(verb, "--their-date", their)) < 0)
                return r;

        r = verb_params_build(args, &params);
        if (r < 0)
                return r;
        return verb_call_params(args, userdata, params, NULL);
}

static const VerbParam swap_request_params[] = {
        { "date", NULL, VERB_PARAM_STRING },
        { "with", "with", VERB_PARAM_STRING },
        { "their_date", "their-date", VERB_PARAM_STRING },
        { "post", "post", VERB_PARAM_STRING },
        { "reason", "reason", VERB_PARAM_STRING },
};

static const VerbParam swap_cover_params[] = {
        { "date", NULL, VERB_PARAM_STRING },
        { "by", "by", VERB_PARAM_STRING },
        { "post", "post", VERB_PARAM_STRING },
        { "reason", "reason", VERB_PARAM_STRING },
};

static int verb_swap_list(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = json_pack("{s:b, s:b}", "mine", verb_args_has(args, "mine"),
                                                           "pending", verb_args_has(args, "pending"));

        if (!params)
                return -ENOMEM;
        return verb_call_params(args, userdata, params, NULL);
}

/* show, accept, decline, approve, cancel: the swap number, and a reason where the method takes one. */
static const VerbParam swap_id_params[] = {
        { "id", NULL, VERB_PARAM_SWAP_ID },
};

static const VerbParam swap_note_params[] = {
        { "id", NULL, VERB_PARAM_SWAP_ID },
        { "reason", "reason", VERB_PARAM_STRING },
};

static const Verb swap_verbs[] = {
        { "swap request", "DATE --with PERSON [--their-date DATE] [--post POST] [--reason TEXT]",
          N_("Ask someone to exchange your duty of DATE for one of theirs (换班)."),
          1, 1, swap_request_options, ELEMENTSOF(swap_request_options), verb_swap_ask,
          DUTY_METHOD_SWAP_REQUEST, swap_request_params, ELEMENTSOF(swap_request_params), print_swap_reply },
        { "swap cover", "DATE --by PERSON [--post POST] [--reason TEXT]",
          N_("Ask someone to take your duty of DATE (代班)."),
          1, 1, swap_cover_options, ELEMENTSOF(swap_cover_options), verb_swap_ask,
          DUTY_METHOD_SWAP_COVER, swap_cover_params, ELEMENTSOF(swap_cover_params), print_swap_reply },
        { "swap list", "[--mine|--pending]", N_("List swaps and substitutions, newest first."),
          0, 0, swap_list_options, ELEMENTSOF(swap_list_options), verb_swap_list,
          DUTY_METHOD_SWAP_LIST, NULL, 0, print_swap_list },
        { "swap show", "ID", N_("Show a swap and its history."),
          1, 1, NULL, 0, verb_call, DUTY_METHOD_SWAP_SHOW, swap_id_params, ELEMENTSOF(swap_id_params), print_swap_show },
        { "swap accept", "ID", N_("Consent to a swap you were asked for."),
          1, 1, NULL, 0, verb_call, DUTY_METHOD_SWAP_ACCEPT, swap_id_params, ELEMENTSOF(swap_id_params), print_swap_reply },
        { "swap decline", "ID [--reason TEXT]", N_("Refuse a swap you were asked for, or withdraw your consent."),
          1, 1, swap_note_options, ELEMENTSOF(swap_note_options), verb_call,
          DUTY_METHOD_SWAP_DECLINE, swap_note_params, ELEMENTSOF(swap_note_params), print_swap_reply },
        { "swap approve", "ID", N_("Approve and apply an accepted swap (leader on call of its day, or admin)."),
          1, 1, NULL, 0, verb_call, DUTY_METHOD_SWAP_APPROVE, swap_id_params, ELEMENTSOF(swap_id_params), print_swap_reply },
        { "swap cancel", "ID [--reason TEXT]", N_("Withdraw your swap before it is applied."),
          1, 1, swap_note_options, ELEMENTSOF(swap_note_options), verb_call,
          DUTY_METHOD_SWAP_CANCEL, swap_note_params, ELEMENTSOF(swap_note_params), print_swap_reply },
};

const VerbFamily swap_family = { swap_verbs, ELEMENTSOF(swap_verbs) };
