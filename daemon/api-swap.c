/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps (换班) and substitutions (代班): Varlink parameters to swap-service.c calls, and their
 * outcomes back to replies. Parameter types were checked against the interface before a handler
 * runs; the values (dates, posts, lengths, numbers) are checked here, everything else by the
 * service. */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "api-internal.h"
#include "duty-names.h"
#include "swap-service.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
#define API_SWAP_STAMP_MAX 20
/* Decimal digits of an int64 plus sign and NUL. */
#define API_SWAP_INT_STRING_MAX 24

/* ---- Parameters ---- */

static const char *param_string(json_t *params, const char *name) {
        return json_string_value(json_object_get(params, name));
}

static bool param_bool(json_t *params, const char *name) {
        return json_is_true(json_object_get(params, name));
}

/* The day in params[name]: 0, -ENOENT if absent or null, -EINVAL if not YYYY-MM-DD. */
static int param_day(json_t *params, const char *name, Day *ret) {
        json_t *v = json_object_get(params, name);

        if (!v || json_is_null(v))
                return -ENOENT;
        if (!json_is_string(v))
                return -EINVAL;
        return day_parse(json_string_value(v), ret);
}

/* The swap number: > 0, else 0. */
static int64_t param_id(json_t *params) {
        json_t *v = json_object_get(params, "id");
        json_int_t id = json_is_integer(v) ? json_integer_value(v) : 0;

        return id > 0 ? (int64_t) id : 0;
}

/* An optional text of at most SWAP_NOTE_MAX bytes: 0 (*ret NULL if absent), or -EINVAL. */
static int param_note(json_t *params, const char *name, const char **ret) {
        const char *s = param_string(params, name);

        if (s && strlen(s) > SWAP_NOTE_MAX)
                return -EINVAL;
        *ret = isempty(s) ? NULL : s;
        return 0;
}

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
        };

        manager_now_local(m, &ctx.now_day, &ctx.now_minutes);
        return ctx;
}

/* ---- Replies ---- */

/* Local "YYYY-MM-DD HH:MM[:SS]" of a wall-clock instant. */
static json_t *usec_to_json(uint64_t usec, bool seconds) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        char buf[API_SWAP_STAMP_MAX];
        struct tm tm;

        if (usec == 0 || !localtime_r(&t, &tm) ||
            strftime(buf, sizeof(buf), seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &tm) == 0)
                return json_null();
        return json_string(buf);
}

static json_t *local_time_to_json(Day d, int minutes) {
        char day[DAY_STRING_MAX], hm[6], buf[API_SWAP_STAMP_MAX];

        (void) snprintf(buf, sizeof(buf), "%s %s", day_format(d, day), minutes_format(minutes, hm));
        return json_string(buf);
}

static const char *person_name(const Config *c, const char *id) {
        const Person *p = id ? config_find_person(c, id) : NULL;

        return p && !isempty(p->name) ? p->name : id;
}

static json_t *person_name_to_json(const Config *c, const char *id) {
        return id ? json_string(person_name(c, id)) : json_null();
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
                         "requester_name", person_name(c, s->requester),
                         "counterpart", s->counterpart,
                         "counterpart_name", person_name(c, s->counterpart),
                         "date", day_to_json(s->day),
                         "post", s->post,
                         "post_name", post_name_to_json(c, s->post),
                         "slot", s->slot,
                         "their_date", day_to_json(s->their_day),
                         "their_post", json_string_or_null(s->their_post),
                         "their_post_name", post_name_to_json(c, s->their_post),
                         "their_slot", s->their_post ? json_integer(s->their_slot) : json_null(),
                         "reason", json_string_or_null(s->reason),
                         "created", usec_to_json(s->created_usec, false),
                         "updated", usec_to_json(s->updated_usec, false),
                         "deadline", local_time_to_json(e->deadline_day, e->deadline_minutes),
                         "approved_by", json_string_or_null(s->approved_by),
                         "approved_by_name", person_name_to_json(c, s->approved_by));
}

static json_t *swap_events_to_json(const Config *c, const SwapEvent *e, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, json_pack("{s:o, s:s, s:o, s:o, s:I, s:o}",
                                                       "at", usec_to_json(e[i].at_usec, true),
                                                       "action", e[i].action,
                                                       "actor", json_string_or_null(e[i].actor),
                                                       "actor_name", person_name_to_json(c, e[i].actor),
                                                       "uid", (json_int_t) e[i].uid,
                                                       "note", json_string_or_null(e[i].note))) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static int reply(VarlinkCall *call, json_t *params) {
        /* A reply that could not be built is a failure, not an empty answer. */
        if (!params)
                return -ENOMEM;
        return varlink_call_reply(call, params);
}

static int reply_swap(Manager *m, VarlinkCall *call, const SwapEntry *e) {
        json_t *swap = swap_entry_to_json(m->config, e);

        if (!swap)
                return -ENOMEM;
        return reply(call, json_pack("{s:o}", "swap", swap));
}

/* Answers what the service said: 1 (a refusal), -ENOENT, -EPERM; returns 1 when it answered, r for
 * the server's generic failure, or 0 to go on. */
static int outcome_check(Manager *m, VarlinkCall *call, const Identity *id, json_t *params,
                         const SwapOutcome *o, int r) {
        bool en = streq(m->config->language, "en");

        if (r > 0 && o->refused) {
                _cleanup_free_ char *message = NULL;
                const SwapRefusal *x = &o->refusal;

                if (swap_refusal_format(x, m->config, m->config->language, &message) < 0)
                        return -ENOMEM;
                return varlink_call_error(call, DUTY_ERROR_SWAP_REFUSED,
                                          json_pack("{s:s, s:s, s:o, s:o}",
                                                    "rule", swap_rule_to_string(x->rule),
                                                    "message", message,
                                                    "date", day_to_json(x->day),
                                                    "person", json_string_or_null(x->person))) ?: 1;
        }
        if (r == -ENOENT) {
                char buf[API_SWAP_INT_STRING_MAX];

                (void) snprintf(buf, sizeof(buf), "%" PRIi64, param_id(params));
                return varlink_call_error(call, DUTY_ERROR_NOT_FOUND,
                                          json_pack("{s:s, s:s, s:s}", "what", "swap", "id", buf,
                                                    "message", en ? "there is no such swap, or it is not yours to see"
                                                                  : "没有该换班申请，或无权查看")) ?: 1;
        }
        if (r == -EPERM)
                return varlink_call_error(call, DUTY_ERROR_PERMISSION_DENIED,
                                          json_pack("{s:s, s:s, s:s, s:s}",
                                                    "method", varlink_call_method(call),
                                                    "access", access_to_string(id->access),
                                                    "reason", "no_person",
                                                    "message", en ? "only a person of the office can ask for a swap of their duty"
                                                                  : "只有本单位人员才能申请换班或代班")) ?: 1;
        return r;
}

/* ---- Handlers ---- */

static int api_swap_request_common(Manager *m, VarlinkCall *call, const Identity *id, json_t *params,
                                   SwapKind kind) {
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        const char *other_field = kind == SWAP_KIND_SWAP ? "with" : "by";
        SwapRequest req = {
                .kind = kind,
                .their_day = DAY_NONE,
        };
        int r;

        if (param_day(params, "date", &req.day) < 0)
                return varlink_call_error_invalid_parameter(call, "date");
        req.counterpart = param_string(params, other_field);
        if (isempty(req.counterpart))
                return varlink_call_error_invalid_parameter(call, other_field);
        if (kind == SWAP_KIND_SWAP) {
                r = param_day(params, "their_date", &req.their_day);
                if (r < 0 && r != -ENOENT)
                        return varlink_call_error_invalid_parameter(call, "their_date");
        }
        req.post = param_string(params, "post");
        if (req.post && !config_find_post(m->config, req.post))
                return varlink_call_error(call, DUTY_ERROR_NOT_FOUND,
                                          json_pack("{s:s, s:s, s:s}", "what", "post", "id", req.post,
                                                    "message", streq(m->config->language, "en") ? "no such post"
                                                                                                 : "没有该岗位"));
        if (param_note(params, "reason", &req.reason) < 0)
                return varlink_call_error_invalid_parameter(call, "reason");

        r = swap_service_request(&ctx, &req, &o);
        r = outcome_check(m, call, id, params, &o, r);
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
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        json_t *swaps;
        int r;

        r = swap_service_list(&ctx, param_bool(params, "mine"), param_bool(params, "pending"), &o);
        r = outcome_check(m, call, id, params, &o, r);
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
        return reply(call, json_pack("{s:o}", "swaps", swaps));
}

int api_swap_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        int64_t swap_id = param_id(params);
        json_t *swap, *events;
        int r;

        if (swap_id <= 0)
                return varlink_call_error_invalid_parameter(call, "id");

        r = swap_service_show(&ctx, swap_id, &o);
        r = outcome_check(m, call, id, params, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        swap = swap_entry_to_json(m->config, &o.entry);
        events = swap_events_to_json(m->config, o.events, o.n_events);
        if (!swap || !events) {
                json_decref(swap);
                json_decref(events);
                return -ENOMEM;
        }
        return reply(call, json_pack("{s:o, s:o}", "swap", swap, "events", events));
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
        _cleanup_(swap_outcome_done) SwapOutcome o = {};
        SwapServiceContext ctx = api_swap_context(m, id);
        int64_t swap_id = param_id(params);
        const char *note = NULL;
        int r = -EINVAL;

        if (swap_id <= 0)
                return varlink_call_error_invalid_parameter(call, "id");
        if (param_note(params, "note", &note) < 0)
                return varlink_call_error_invalid_parameter(call, "note");

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

        r = outcome_check(m, call, id, params, &o, r);
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
