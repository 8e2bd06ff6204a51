/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps (换班) and substitutions (代班): Varlink parameters to swap-service.c calls, and their
 * outcomes back to replies. Parameter types were checked against the interface before a handler
 * runs; the values (dates, posts, lengths, numbers) are checked here, everything else by the
 * service. */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "api-swap.h"
#include "api-roster.h"
#include "duty-names.h"
#include "swap-service.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
/* Decimal digits of an int64 plus sign and NUL. */
#define API_SWAP_INT_STRING_MAX 24

/* ---- Parameters ---- */

/* const char *: a text of at most SWAP_NOTE_MAX bytes; NULL when empty. */
static int param_swap_note(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);

        if (strlen(s) > SWAP_NOTE_MAX)
                return -EINVAL;
        *(const char **) ret = isempty(s) ? NULL : s;
        return 0;
}

/* The parameters of every swap method; each fills those it has. */
typedef struct SwapParams {
        int64_t id;
        Day date, their_date;
        const char *counterpart, *post, *reason, *note;
        bool mine, pending;
} SwapParams;

static SwapServiceContext api_swap_context(Manager *m, const Identity *id) {
        SwapServiceContext ctx = {
                .store = m->store,
                .config = m->config,
                .now_usec = manager_now_usec(m),
                .uid = id->uid,
                .actor = {
                        .person = id->person ? id->person->id : NULL,
                        .admin = id->access >= ACCESS_ADMIN,
                },
                .sees_all = id->access >= ACCESS_APPROVER,
                .language = api_language(m),
        };

        manager_now_local(m, &ctx.now_day, &ctx.now_minutes);
        return ctx;
}

/* ---- Replies ---- */

static json_t *person_name_to_json(const Config *c, const char *id) {
        return id ? json_string(config_person_name(c, id)) : json_null();
}

static json_t *post_name_to_json(const Config *c, const char *id) {
        const Post *p = id ? config_find_post(c, id) : NULL;

        if (!id)
                return json_null();
        return json_string(p && !isempty(p->name) ? p->name : id);
}

static json_t *swap_entry_to_json(const Config *c, const SwapEntry *e) {
        const Swap *s = &e->swap;

        return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:i, s:o, s:o, s:o, s:o,"
                         " s:o, s:o, s:o, s:o, s:o, s:o}",
                         "id", (json_int_t) s->id,
                         "kind", swap_kind_to_string(s->kind),
                         "state", swap_state_to_string(e->state),
                         "requester", s->requester,
                         "requester_name", config_person_name(c, s->requester),
                         "counterpart", s->counterpart,
                         "counterpart_name", config_person_name(c, s->counterpart),
                         "date", day_to_json(s->day),
                         "post", s->post,
                         "post_name", post_name_to_json(c, s->post),
                         "slot", s->slot,
                         "their_date", day_to_json(s->their_day),
                         "their_post", json_string_or_null(s->their_post),
                         "their_post_name", post_name_to_json(c, s->their_post),
                         "their_slot", s->their_post ? json_integer(s->their_slot) : json_null(),
                         "reason", json_string_or_null(s->reason),
                         "created", instant_to_json(s->created_usec),
                         "updated", instant_to_json(s->updated_usec),
                         "deadline", local_time_to_json(e->deadline_day, e->deadline_minutes),
                         "approved_by", json_string_or_null(s->approved_by),
                         "approved_by_name", person_name_to_json(c, s->approved_by));
}

static json_t *swap_events_to_json(const Config *c, const SwapEvent *e, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, api_event_to_json(c, e[i].at_usec, e[i].action, e[i].actor, e[i].uid,
                                                               "reason", e[i].note)) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static int reply_swap(Manager *m, VarlinkCall *call, const SwapEntry *e) {
        json_t *swap = swap_entry_to_json(m->config, e);

        if (!swap)
                return -ENOMEM;
        return api_reply(m, call, json_pack("{s:o}", "swap", swap));
}

/* Answers what the service said: 1 (a refusal), -ENOENT, -EPERM; returns 1 when it answered, r for
 * the server's generic failure, or 0 to go on. */
static int outcome_check(Manager *m, VarlinkCall *call, const Identity *id, int64_t swap_id,
                         const SwapOutcome *o, int r) {
        bool en = api_language_en(m);

        _cleanup_(refusal_done) Refusal refusal = REFUSAL_INIT;
        int k;

        if (r > 0 && o->refusal.kind != REFUSAL_NONE)
                return api_refuse(call, id, &o->refusal, NULL) ?: 1;
        if (r == -ENOENT) {
                char buf[API_SWAP_INT_STRING_MAX];

                (void) snprintf(buf, sizeof(buf), "%" PRIi64, swap_id);
                k = refusal_set_not_found(&refusal, "swap", buf,
                                          en ? "there is no such swap, or it is not yours to see"
                                             : "没有该换班申请，或无权查看");
                return k < 0 ? k : api_refuse(call, id, &refusal, NULL) ?: 1;
        }
        if (r == -EPERM)
                return api_refuse_with(call, id, REFUSAL_DENIED, "no_person", DAY_NONE,
                                       en ? "only a person of the office can ask for a swap of their duty"
                                          : "只有本单位人员才能申请换班或代班") ?: 1;
        return r;
}

/* ---- Handlers ---- */

static int api_swap_request_common(Manager *m, VarlinkCall *call, const Identity *id, json_t *params,
                                   SwapKind kind) {
        static const ApiParam table_swap[] = {
                { "date",       JSON_STRING, api_param_day,      offsetof(SwapParams, date),        true },
                { "with",       JSON_STRING, api_param_nonempty, offsetof(SwapParams, counterpart), true },
                { "their_date", JSON_STRING, api_param_day,      offsetof(SwapParams, their_date), false },
                { "post",       JSON_STRING, api_param_string,   offsetof(SwapParams, post), false },
                { "reason",     JSON_STRING, api_param_string,   offsetof(SwapParams, reason), false },
                {}
        }, table_cover[] = {
                { "date",       JSON_STRING, api_param_day,      offsetof(SwapParams, date),        true },
                { "by",         JSON_STRING, api_param_nonempty, offsetof(SwapParams, counterpart), true },
                { "post",       JSON_STRING, api_param_string,   offsetof(SwapParams, post), false },
                { "reason",     JSON_STRING, api_param_string,   offsetof(SwapParams, reason), false },
                {}
        };
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        SwapParams p = { .their_date = DAY_NONE };
        SwapRequest req;
        int r;

        r = api_params_dispatch(m, call, params, kind == SWAP_KIND_SWAP ? table_swap : table_cover, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.post && !config_find_post(m->config, p.post))
                return api_refuse_not_found(call, "post", p.post, api_language_en(m) ? "no such post" : "没有该岗位");
        /* After the post: a post that does not exist is said first. */
        if (p.reason && param_swap_note(m, json_object_get(params, "reason"), &p.reason) < 0)
                return varlink_call_error_invalid_parameter(call, "reason");

        req = (SwapRequest) {
                .kind = kind,
                .day = p.date,
                .counterpart = p.counterpart,
                .their_day = p.their_date,
                .post = p.post,
                .reason = p.reason,
        };
        r = swap_service_request(&ctx, &req, &o);
        r = outcome_check(m, call, id, 0, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        return reply_swap(m, call, &o.entry);
}

int api_swap_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_request_common(m, call, id, params, SWAP_KIND_SWAP);
}

int api_swap_cover(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_request_common(m, call, id, params, SWAP_KIND_COVER);
}

int api_swap_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "mine",    JSON_TRUE, api_param_bool, offsetof(SwapParams, mine), false },
                { "pending", JSON_TRUE, api_param_bool, offsetof(SwapParams, pending), false },
                {}
        };
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        SwapParams p = {};
        json_t *swaps;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = swap_service_list(&ctx, p.mine, p.pending, &o);
        r = outcome_check(m, call, id, 0, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        swaps = json_array();
        for (size_t i = 0; swaps && i < o.n_entries; i++)
                if (json_array_append_new(swaps, swap_entry_to_json(m->config, &o.entries[i])) < 0) {
                        json_decref(swaps);
                        swaps = NULL;
                }
        if (!swaps)
                return -ENOMEM;
        return api_reply(m, call, json_pack("{s:o}", "swaps", swaps));
}

int api_swap_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id", JSON_INTEGER, api_param_id, offsetof(SwapParams, id), true },
                {}
        };
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        SwapParams p = {};
        json_t *swap, *events;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = swap_service_show(&ctx, p.id, &o);
        r = outcome_check(m, call, id, p.id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        swap = swap_entry_to_json(m->config, &o.entry);
        events = swap_events_to_json(m->config, o.events, o.n_events);
        if (!swap || !events) {
                json_decref(swap);
                json_decref(events);
                return -ENOMEM;
        }
        return api_reply(m, call, json_pack("{s:o, s:o}", "swap", swap, "events", events));
}

typedef enum ApiSwapAction {
        API_SWAP_ACCEPT,
        API_SWAP_DECLINE,
        API_SWAP_APPROVE,
        API_SWAP_CANCEL,
        _API_SWAP_ACTION_MAX,
        _API_SWAP_ACTION_INVALID = -EINVAL,
} ApiSwapAction;

static int api_swap_act(Manager *m, VarlinkCall *call, const Identity *id, json_t *params, ApiSwapAction a) {
        /* SwapAccept and SwapApprove have no reason; the interface refuses one before this. */
        static const ApiParam table[] = {
                { "id",     JSON_INTEGER, api_param_id,    offsetof(SwapParams, id), true },
                { "reason", JSON_STRING,  param_swap_note, offsetof(SwapParams, note), false },
                {}
        };
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        SwapParams p = {};
        int64_t swap_id;
        const char *note;
        int r = -EINVAL;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        swap_id = p.id;
        note = p.note;
        r = -EINVAL;

        switch (a) {
        case API_SWAP_ACCEPT:
                r = swap_service_accept(&ctx, swap_id, &o);
                break;
        case API_SWAP_DECLINE:
                r = swap_service_decline(&ctx, swap_id, note, &o);
                break;
        case API_SWAP_APPROVE:
                r = swap_service_approve(&ctx, swap_id, &o);
                break;
        case API_SWAP_CANCEL:
                r = swap_service_cancel(&ctx, swap_id, note, &o);
                break;
        case _API_SWAP_ACTION_MAX:
        case _API_SWAP_ACTION_INVALID:
                break;
        }

        r = outcome_check(m, call, id, swap_id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        api_amendments_defer(m, &o.amendments, &o.n_amendments);
        return reply_swap(m, call, &o.entry);
}

int api_swap_accept(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_act(m, call, id, params, API_SWAP_ACCEPT);
}

int api_swap_decline(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_act(m, call, id, params, API_SWAP_DECLINE);
}

int api_swap_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_act(m, call, id, params, API_SWAP_APPROVE);
}

int api_swap_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_swap_act(m, call, id, params, API_SWAP_CANCEL);
}
