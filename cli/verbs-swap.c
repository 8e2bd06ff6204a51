/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's swap verbs (换班/代班): arguments to io.dutyd.Duty's Swap* parameters, replies to text.
 * Dates and numbers are checked here with the daemon's own parser, so that a typo is a usage error
 * before anything is sent; the daemon checks them again, and every rule. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "labels.h"
#include "output.h"
#include "swap.h"
#include "util.h"
#include "verbs.h"

const VerbOption swap_request_options[4] = {
        { "with", '\0', "PERSON", N_("who you exchange duties with (required)") },
        { "their-date", '\0', "DATE", N_("their duty day you take (default: their next one on the same post)") },
        { "post", '\0', "POST", N_("your post that day, if you hold more than one") },
        { "reason", '\0', "TEXT", N_("why") },
};

const VerbOption swap_cover_options[3] = {
        { "by", '\0', "PERSON", N_("who takes your duty (required)") },
        { "post", '\0', "POST", N_("your post that day, if you hold more than one") },
        { "reason", '\0', "TEXT", N_("why") },
};

const VerbOption swap_list_options[2] = {
        { "mine", '\0', NULL, N_("only swaps you are a party to") },
        { "pending", '\0', NULL, N_("only swaps still awaiting consent or approval") },
};

const VerbOption swap_note_options[1] = {
        { "reason", '\0', "TEXT", N_("why, kept in the swap's history") },
};

/* ---- Arguments ---- */

_printf_(1, 2)
static int usage(const char *format, ...) {
        va_list ap;

        fputs("dutyctl: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputc('\n', stderr);
        return -EINVAL;
}

static int arg_id(const VerbArgs *args, const char *verb, json_int_t *ret) {
        const char *s = args->n_args > 0 ? args->args[0] : NULL;
        char *end;
        long long v;

        if (isempty(s) || s[0] < '0' || s[0] > '9')
                return usage(_("%s: '%s' is not a swap number"), verb, strempty(s));
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || *end != '\0' || v <= 0)
                return usage(_("%s: '%s' is not a swap number"), verb, s);
        *ret = (json_int_t) v;
        return 0;
}

static int check_date(const char *verb, const char *what, const char *value) {
        Day d;

        if (day_parse(value, &d) < 0)
                return usage(_("%s: %s: '%s' is not a date YYYY-MM-DD"), verb, what, value);
        return 0;
}

static int set_string(json_t *params, const char *key, const char *value) {
        if (!value)
                return 0;
        return json_object_set_new(params, key, json_string(value)) < 0 ? -ENOMEM : 0;
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

/* "name (id)", or "-". */
static char *person_text(json_t *object, const char *id_key, const char *name_key) {
        const char *id = json_string_value(json_object_get(object, id_key));
        const char *name = json_string_value(json_object_get(object, name_key));
        char *s;

        if (!id)
                return strdup("-");
        if (asprintf(&s, _("%s (%s)"), name ?: id, id) < 0)
                return NULL;
        return s;
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
            (r = table_add_pair(t, _("Requested"), "%s", json_str(swap, "created"))) < 0 ||
            (r = table_add_pair(t, _("Approve by"), "%s", json_str(swap, "deadline"))) < 0)
                return r;
        if (may_approve && !json_is_string(json_object_get(swap, "approved_by")))
                r = table_add_pair(t, _("May approve"), "%s", may_approve);
        else
                r = table_add_pair(t, _("Approved by"), "%s", approver);
        if (r < 0)
                return r;

        return table_print(t, f);
}

static int print_swap(FILE *f, json_t *swap) {
        return print_swap_full(f, swap, NULL);
}

static int print_swap_reply(FILE *f, json_t *reply) {
        return print_swap(f, json_object_get(reply, "swap"));
}

static int print_swap_list(FILE *f, json_t *reply) {
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
                                json_str(e, "at"), action_text(e), who, json_str(e, "note") });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

/* ---- Verbs ---- */

static char *swap_show_may_approve(const Context *ctx, json_t *swap);

static int call_owned(const VerbArgs *args, void *userdata, const char *method, json_t *params,
                      int (*print)(FILE *f, json_t *reply)) {
        const Context *ctx = userdata;
        _cleanup_free_ char *may_approve = NULL;
        json_t *reply = NULL;
        int r;

        if (!params)
                return -ENOMEM;
        if (print != print_swap_reply || ctx->json) {
                r = call_and_print(userdata, method, params, print);
                json_decref(params);
                return r;
        }

        /* A swap just requested, accepted or declined: say who may approve it, by name. */
        r = call_method(ctx, method, params, &reply);
        json_decref(params);
        if (r < 0)
                return r;
        may_approve = swap_show_may_approve(ctx, json_object_get(reply, "swap"));
        r = print_swap_full(stdout, json_object_get(reply, "swap"), may_approve);
        json_decref(reply);
        return r;
}

int verb_swap_request(const VerbArgs *args, void *userdata) {
        const char *with = verb_args_get(args, "with"), *their = verb_args_get(args, "their-date");
        json_t *params;
        int r;

        if ((r = check_date("swap request", "DATE", args->args[0])) < 0)
                return r;
        if (isempty(with))
                return usage(_("swap request: --with PERSON is required"));
        if (their && (r = check_date("swap request", "--their-date", their)) < 0)
                return r;

        params = json_object();
        if (params && (set_string(params, "date", args->args[0]) < 0 ||
                       set_string(params, "with", with) < 0 ||
                       set_string(params, "their_date", their) < 0 ||
                       set_string(params, "post", verb_args_get(args, "post")) < 0 ||
                       set_string(params, "reason", verb_args_get(args, "reason")) < 0)) {
                json_decref(params);
                params = NULL;
        }
        return call_owned(args, userdata, "SwapRequest", params, print_swap_reply);
}

int verb_swap_cover(const VerbArgs *args, void *userdata) {
        const char *by = verb_args_get(args, "by");
        json_t *params;
        int r;

        if ((r = check_date("swap cover", "DATE", args->args[0])) < 0)
                return r;
        if (isempty(by))
                return usage(_("swap cover: --by PERSON is required"));

        params = json_object();
        if (params && (set_string(params, "date", args->args[0]) < 0 ||
                       set_string(params, "by", by) < 0 ||
                       set_string(params, "post", verb_args_get(args, "post")) < 0 ||
                       set_string(params, "reason", verb_args_get(args, "reason")) < 0)) {
                json_decref(params);
                params = NULL;
        }
        return call_owned(args, userdata, "SwapCover", params, print_swap_reply);
}

int verb_swap_list(const VerbArgs *args, void *userdata) {
        bool mine = verb_args_has(args, "mine"), pending = verb_args_has(args, "pending");

        return call_owned(args, userdata, "SwapList",
                          json_pack("{s:b, s:b}", "mine", mine, "pending", pending), print_swap_list);
}

/* The leaders on call of a duty day, "name (id)" joined by ", ", appended to f. */
static void append_leaders(const Context *ctx, FILE *f, const char *date, bool *first) {
        json_auto_t *params = json_pack("{s:s}", "at", date), *reply = NULL;
        json_t *a;
        size_t i;

        if (!params || call_method(ctx, "Who", params, &reply) < 0)
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

int verb_swap_show(const VerbArgs *args, void *userdata) {
        const Context *ctx = userdata;
        json_auto_t *params = NULL, *reply = NULL;
        _cleanup_free_ char *may_approve = NULL;
        json_int_t id = 0;
        int r;

        r = arg_id(args, "swap show", &id);
        if (r < 0)
                return r;
        params = json_pack("{s:I}", "id", id);
        if (!params)
                return -ENOMEM;
        r = call_method(ctx, "SwapShow", params, &reply);
        if (r < 0)
                return r;
        if (ctx->json)
                return output_json(stdout, reply);
        may_approve = swap_show_may_approve(ctx, json_object_get(reply, "swap"));
        return print_swap_show_full(stdout, reply, may_approve);
}

/* accept, decline, approve, cancel: the swap number, and a note where the method takes one. */
static int swap_act(const VerbArgs *args, void *userdata, const char *verb, const char *method, bool with_note) {
        const char *note = with_note ? verb_args_get(args, "reason") : NULL;
        json_int_t id = 0;
        json_t *params;
        int r;

        r = arg_id(args, verb, &id);
        if (r < 0)
                return r;

        params = json_pack("{s:I}", "id", id);
        if (params && set_string(params, "note", note) < 0) {
                json_decref(params);
                params = NULL;
        }
        return call_owned(args, userdata, method, params, print_swap_reply);
}

int verb_swap_accept(const VerbArgs *args, void *userdata) {
        return swap_act(args, userdata, "swap accept", "SwapAccept", false);
}

int verb_swap_decline(const VerbArgs *args, void *userdata) {
        return swap_act(args, userdata, "swap decline", "SwapDecline", true);
}

int verb_swap_approve(const VerbArgs *args, void *userdata) {
        return swap_act(args, userdata, "swap approve", "SwapApprove", false);
}

int verb_swap_cancel(const VerbArgs *args, void *userdata) {
        return swap_act(args, userdata, "swap cancel", "SwapCancel", true);
}
