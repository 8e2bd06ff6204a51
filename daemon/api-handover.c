/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Handover (交接班): the incoming people take over their posts, the outgoing ones hand over, each
 * stamped with the time and the person. A post not taken over in time is the gap monitor's
 * takeover_missing (gaps.c); handover.h holds the clock rules. */

#include <inttypes.h>
#include <time.h>

#include "api-handover.h"
#include "api-dutylog.h"
#include "duty-names.h"
#include "duty.h"
#include "handover-service.h"
#include "handover.h"
#include "i18n.h"
#include "log.h"
#include "store.h"

/* "YYYY-MM-DDTHH:MM" and a NUL. */

/* What recorded_by says of root, who is no person of the office. */
#define API_HANDOVER_ROOT "root"

typedef struct HandoverParams {
        const char *note;
        const char *person;
        Day date;
} HandoverParams;

#define HP(field) offsetof(HandoverParams, field)

static json_t *handover_to_json(const Config *c, const StoreHandover *h) {
        const Person *p = config_find_person(c, h->person);
        const Post *post = config_find_post(c, h->post);

        return json_pack("{s:I, s:o, s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:b, s:o, s:o}",
                         "id", (json_int_t) h->id,
                         "date", day_to_json(h->day),
                         "post", h->post,
                         "post_name", json_string_or_null(post ? post->name : NULL),
                         "person", h->person,
                         "name", json_string_or_null(p ? p->name : NULL),
                         "phone", json_string_or_null(p ? p->phone : NULL),
                         "action", handover_action_to_string(h->action),
                         "at", instant_to_json(h->at_usec),
                         "late", h->late,
                         "note", json_string_or_null(h->note),
                         "recorded_by", json_string_or_null(h->recorded_by));
}

json_t *api_handovers_to_json(Manager *m, Day d) {
        StoreHandover *h = NULL;
        size_t n = 0;
        json_t *items;
        int r;

        r = store_handover_list(m->store, d, d, &h, &n);
        if (r < 0)
                return NULL;
        items = json_array();
        for (size_t i = 0; items && i < n; i++)
                if (json_array_append_new(items, handover_to_json(m->config, &h[i])) < 0) {
                        json_decref(items);
                        items = NULL;
                }
        store_handover_free_many(h, n);
        return items;
}

static int refuse(Manager *m, VarlinkCall *call, const char *reason, Day d, const char *zh, const char *en) {
        return api_refuse_with(call, NULL, REFUSAL_HANDOVER, reason, d, api_language_en(m) ? en : zh);
}

/* Takes over or hands over (handover-service.h) every post the caller holds; or, for an
 * administrator naming `for_person`, every post that person holds (a leader on call who took over
 * by phone). */
static int handover_act(Manager *m, VarlinkCall *call, const Identity *id, HandoverAction action, const char *note,
                        const char *for_person) {
        const Config *c = m->config;
        _cleanup_(handover_result_done) HandoverResult result = {};
        _cleanup_(refusal_done) Refusal refusal = REFUSAL_INIT;
        HandoverRequest rq = {
                .store = m->store,
                .config = c,
                .now_usec = manager_now_usec(m),
                .person = id->person,
                .action = action,
                .note = note,
                .lang = language_is_en(c->language) ? "en" : "zh",
        };
        char date[DAY_STRING_MAX];
        json_t *items, *open_items;
        int r;

        if (for_person) {
                if (id->access < ACCESS_ADMIN) {
                        char zh[256], en[256];

                        snprintf(zh, sizeof(zh), "只有管理员可以代他人登记%s；请本人执行 `dutyctl handover %s`",
                                 action == HANDOVER_TAKE ? "接班" : "交班", handover_action_to_string(action));
                        snprintf(en, sizeof(en), "only administrators record a %s for somebody else; ask them to run "
                                 "`dutyctl handover %s`", action == HANDOVER_TAKE ? "takeover" : "handover",
                                 handover_action_to_string(action));
                        return refuse(m, call, "for_others", DAY_NONE, zh, en);
                }
                rq.person = config_find_person(c, for_person);
                if (!rq.person)
                        return api_refuse_not_found(call, "person", for_person,
                                                    api_language_en(m)
                                                    ? "no such person; `dutyctl people` lists the people and their ids"
                                                    : "没有此人；`dutyctl people` 可列出人员及其编号");
                if (rq.person != id->person)
                        rq.recorded_by = id->person ? id->person->id : API_HANDOVER_ROOT;
        }
        if (!rq.person) {
                char zh[256], en[256];

                snprintf(zh, sizeof(zh), "root 不是本办公室的人员，不能%s；请用 --for 人员 代值班人员登记",
                         action == HANDOVER_TAKE ? "接班" : "交班");
                snprintf(en, sizeof(en), "root is not a person of the office and cannot %s; record it for the person on "
                         "duty with --for PERSON", action == HANDOVER_TAKE ? "take over" : "hand over");
                return refuse(m, call, "no_person", DAY_NONE, zh, en);
        }

        manager_now_local(m, &rq.today, &rq.now_minutes);
        r = handover_service_act(&rq, &result, &refusal);
        if (r < 0)
                return r;
        if (r > 0)
                return api_refuse(call, id, &refusal, NULL);

        items = json_array();
        for (size_t i = 0; items && i < result.n_records; i++)
                if (json_array_append_new(items, handover_to_json(c, &result.records[i])) < 0) {
                        json_decref(items);
                        items = NULL;
                }
        if (!items)
                return -ENOMEM;
        /* The open log items (待办) pass from one duty to the next: the incoming duty sees what it
         * inherits, the outgoing one what it leaves open. */
        open_items = api_log_open_items_to_json(m, result.day);
        if (!open_items) {
                json_decref(items);
                return -ENOMEM;
        }

        log_info("%s %s the duty of %s%s%s%s.", rq.person->id, action == HANDOVER_TAKE ? "took over" : "handed over",
                 day_format(result.day, date), result.late ? " late" : "", rq.recorded_by ? ", recorded by " : "",
                 strempty(rq.recorded_by));
        return varlink_call_reply(call, json_pack("{s:o, s:o, s:b, s:o}",
                                                  "date", day_to_json(result.day),
                                                  "handovers", items,
                                                  "late", result.late,
                                                  "open_items", open_items));
}

/* A take or a give: its parameters by table (a take has no note), then the act. */
static int handover_params_act(Manager *m, VarlinkCall *call, const Identity *id, json_t *params,
                               const ApiParam *table, HandoverAction action) {
        HandoverParams p = {};
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        return handover_act(m, call, id, action, p.note, p.person);
}

int api_handover_take(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "for", JSON_STRING, api_param_nonempty, HP(person), false },
                {}
        };

        return handover_params_act(m, call, id, params, table, HANDOVER_TAKE);
}

static int param_note(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);

        if (!s || strlen(s) > DUTY_TEXT_MAX)
                return -EINVAL;
        *(const char **) ret = isempty(s) ? NULL : s;
        return 0;
}

int api_handover_give(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "note", JSON_STRING, param_note, HP(note), false },
                { "for", JSON_STRING, api_param_nonempty, HP(person), false },
                {}
        };

        return handover_params_act(m, call, id, params, table, HANDOVER_GIVE);
}

int api_handover_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "date", JSON_STRING, api_param_day, HP(date), false },
                {}
        };
        HandoverParams p = { .date = DAY_NONE };
        StoreAssignment *a = NULL;
        json_t *items, *pending, *pending_names;
        size_t n = 0;
        Day today;
        int minutes, r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.date == DAY_NONE) {
                manager_now_local(m, &today, &minutes);
                p.date = handover_incoming_day(today, minutes, m->config->handover_minutes);
        }

        items = api_handovers_to_json(m, p.date);
        if (!items)
                return -ENOMEM;

        /* The posts of the day with people on them that nobody has taken over yet. */
        r = store_assignment_list(m->store, p.date, p.date, &a, &n);
        if (r < 0) {
                json_decref(items);
                return r;
        }
        pending = json_array();
        pending_names = json_array();
        for (size_t i = 0; pending && pending_names && i < n; i++) {
                bool taken = false, listed = false;
                size_t k;
                json_t *v;

                if (!a[i].person)
                        continue;
                json_array_foreach(items, k, v)
                        taken = taken || (streq(json_string_value(json_object_get(v, "action")), "take") &&
                                          streq(json_string_value(json_object_get(v, "post")), a[i].post));
                json_array_foreach(pending, k, v)
                        listed = listed || streq(json_string_value(v), a[i].post);
                if (!taken && !listed) {
                        const Post *post = config_find_post(m->config, a[i].post);

                        if (json_array_append_new(pending, json_string(a[i].post)) < 0 ||
                            json_array_append_new(pending_names, json_string(post && !isempty(post->name)
                                                                                     ? post->name : a[i].post)) < 0) {
                                json_decref(pending);
                                pending = NULL;
                        }
                }
        }
        store_assignment_free_many(a, n);
        if (!pending || !pending_names) {
                json_decref(items);
                json_decref(pending);
                json_decref(pending_names);
                return -ENOMEM;
        }

        return varlink_call_reply(call, json_pack("{s:o, s:o, s:o, s:o}",
                                                  "date", day_to_json(p.date),
                                                  "handovers", items,
                                                  "pending", pending,
                                                  "pending_names", pending_names));
}
