/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Spot checks (查岗): Varlink parameters to records of the store and back. Who may record a check,
 * which post a target means and the tally are check.c's. */

#include <stdio.h>
#include <time.h>

#include "api-check.h"
#include "check.h"
#include "duty-names.h"
#include "i18n.h"
#include "presence.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
/* The longest range CheckList lists, in days. */
#define API_CHECK_RANGE_MAX 366

typedef struct CheckParams {
        CheckTarget target;
        CheckHow how;
        bool answered;
        int64_t seconds;
        const char *person, *at, *remarks;
        Day from, to;
} CheckParams;

static int param_check_target(Manager *m, json_t *v, void *ret) {
        CheckTarget t = check_target_from_string(json_string_value(v));

        if (t < 0)
                return t;
        *(CheckTarget *) ret = t;
        return 0;
}

static int param_check_how(Manager *m, json_t *v, void *ret) {
        CheckHow h = check_how_from_string(json_string_value(v));

        if (h < 0)
                return h;
        *(CheckHow *) ret = h;
        return 0;
}

static int param_check_seconds(Manager *m, json_t *v, void *ret) {
        json_int_t n = json_integer_value(v);

        if (n < 0 || n > CHECK_SECONDS_MAX)
                return -ERANGE;
        *(int64_t *) ret = n;
        return 0;
}

/* const char *: at most CHECK_REMARKS_MAX bytes; NULL when empty. */
static int param_check_remarks(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);

        if (strlen(s) > CHECK_REMARKS_MAX)
                return -EINVAL;
        *(const char **) ret = isempty(s) ? NULL : s;
        return 0;
}

static size_t strv_count(char *const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

/* ---- Replies ---- */

static json_t *check_to_json(const Config *c, const SpotCheck *k) {
        return json_pack("{s:I, s:o, s:o, s:s, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:o}",
                         "id", (json_int_t) k->id,
                         "at", local_time_to_json(k->day, k->minutes),
                         "date", day_to_json(k->duty_day),
                         "target", check_target_to_string(k->target),
                         "person", json_string_or_null(k->person),
                         "person_name", k->person ? json_string(config_person_name(c, k->person)) : json_null(),
                         "how", check_how_to_string(k->how),
                         "answered", k->answered,
                         "seconds", k->seconds >= 0 ? json_integer(k->seconds) : json_null(),
                         "remarks", json_string_or_null(k->remarks),
                         "recorded_by", json_string_or_null(k->recorded_by),
                         "recorded_by_name", k->recorded_by ? json_string(config_person_name(c, k->recorded_by)) : json_null(),
                         "recorded", instant_to_json(k->recorded_usec));
}

static json_t *tally_to_json(const char *target, const CheckTally *t) {
        return json_pack("{s:s, s:i, s:i, s:i, s:o, s:o}",
                         "target", target,
                         "checks", (int) t->n,
                         "answered", (int) t->answered,
                         "missed", (int) (t->n - t->answered),
                         /* Rounded to the nearest second. */
                         "average_seconds", t->timed > 0 ? json_integer((json_int_t) ((t->seconds_sum + t->timed / 2) / t->timed))
                                                         : json_null(),
                         "longest_seconds", t->seconds_max >= 0 ? json_integer(t->seconds_max) : json_null());
}

static json_t *presence_to_json(const Config *c, const PresenceCheck *p) {
        return json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:o}",
                         "id", (json_int_t) p->id,
                         "date", day_to_json(p->duty_day),
                         "asked", local_time_to_json(p->day, p->minutes),
                         "due", local_time_to_json(p->due_day, p->due_minutes),
                         "state", presence_state_to_string(p->state),
                         "acknowledged_by", json_string_or_null(p->acked_by),
                         "acknowledged_by_name", p->acked_by ? json_string(config_person_name(c, p->acked_by)) : json_null(),
                         "acknowledged", local_time_to_json(p->acked_day, p->acked_minutes));
}

static int reply(VarlinkCall *call, json_t *params) {
        if (!params)
                return -ENOMEM;
        return varlink_call_reply(call, params);
}

/* The holder of the first post of role on duty day d, or NULL (r >= 0) when the roster has none. */
static int duty_holder(Manager *m, Day d, Role role, char **ret) {
        StoreAssignment *a = NULL;
        size_t n = 0;
        int r;

        r = store_assignment_list(m->store, d, d, &a, &n);
        if (r < 0)
                return r;
        *ret = NULL;
        for (size_t i = 0; i < n && !*ret; i++) {
                const Post *p = config_find_post(m->config, a[i].post);

                if (p && p->role == role && a[i].person) {
                        *ret = strdup(a[i].person);
                        if (!*ret)
                                r = -ENOMEM;
                }
        }
        store_assignment_free_many(a, n);
        return r < 0 ? r : 0;
}

/* ---- Handlers ---- */

int api_check_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "target",   JSON_STRING,  param_check_target,  offsetof(CheckParams, target),   true },
                { "answered", JSON_TRUE,    api_param_bool,      offsetof(CheckParams, answered), true },
                { "how",      JSON_STRING,  param_check_how,     offsetof(CheckParams, how),      false },
                { "seconds",  JSON_INTEGER, param_check_seconds, offsetof(CheckParams, seconds),  false },
                { "person",   JSON_STRING,  api_param_nonempty,  offsetof(CheckParams, person),   false },
                { "at",       JSON_STRING,  api_param_nonempty,  offsetof(CheckParams, at),       false },
                { "remarks",  JSON_STRING,  param_check_remarks, offsetof(CheckParams, remarks),  false },
                {}
        };
        _cleanup_(spot_check_done) SpotCheck k = {};
        CheckParams p = { .how = CHECK_HOW_PHONE, .seconds = -1 };
        bool en = language_is_en(m->config->language);
        Day today;
        int now_minutes, r;
        int64_t new_id;

        /* Before the parameters: someone who may not record a check is told so, whatever they sent. */
        if (!check_may_record(id->person, id->access >= ACCESS_ROOT))
                return api_refuse_with(call, id, REFUSAL_DENIED, "not_inspector", DAY_NONE,
                                       en ? "only inspectors and administrators record spot checks; ask the administrator to give you the role \"inspector\" in dutyd.conf"
                                          : "只有查岗人员和管理员可以登记查岗；如需登记，请管理员在 dutyd.conf 中为您加上 \"inspector\" 角色");

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        manager_now_local(m, &today, &now_minutes);
        k = (SpotCheck) {
                .day = today,
                .minutes = now_minutes,
                .target = p.target,
                .how = p.how,
                .answered = p.answered,
                .seconds = p.answered ? (int) p.seconds : -1,
                .recorded_usec = manager_now_usec(m),
        };
        /* A time to answer of an unanswered check is a contradiction, not a detail to drop. */
        if (!p.answered && p.seconds >= 0)
                return varlink_call_error_invalid_parameter(call, "seconds");
        if (p.at) {
                if (local_moment_or_timestamp_parse(p.at, &k.day, &k.minutes) < 0 || k.minutes < 0 ||
                    k.day > today || (k.day == today && k.minutes > now_minutes))
                        return varlink_call_error_invalid_parameter(call, "at");
        }
        k.duty_day = check_duty_day(k.day, k.minutes, m->config->handover_minutes);

        if (p.person) {
                if (!config_find_person(m->config, p.person))
                        return api_refuse_not_found(call, "person", p.person,
                                                    en ? "no such person; `dutyctl people` lists them"
                                                       : "没有该人员；`dutyctl people` 可列出人员");
                k.person = strdup(p.person);
                if (!k.person)
                        return -ENOMEM;
        } else if (check_target_role(p.target) >= 0) {
                r = duty_holder(m, k.duty_day, check_target_role(p.target), &k.person);
                if (r < 0)
                        return r;
        }
        if (p.remarks) {
                k.remarks = strdup(p.remarks);
                if (!k.remarks)
                        return -ENOMEM;
        }
        if (id->person) {
                k.recorded_by = strdup(id->person->id);
                if (!k.recorded_by)
                        return -ENOMEM;
        }

        r = store_check_insert(m->store, &k, &new_id);
        if (r < 0)
                return r;
        k.id = new_id;

        return reply(call, json_pack("{s:o}", "check", check_to_json(m->config, &k)));
}

int api_check_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "from", JSON_STRING, api_param_day, offsetof(CheckParams, from), false },
                { "to",   JSON_STRING, api_param_day, offsetof(CheckParams, to),   false },
                {}
        };
        CheckParams p = { .from = DAY_NONE, .to = DAY_NONE };
        CheckTally tally[_CHECK_TARGET_MAX + 1];
        SpotCheck *checks = NULL;
        PresenceCheck *presence = NULL;
        size_t n = 0, n_presence = 0;
        json_t *a, *t, *pa;
        Day today, month_from, month_to;

        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        /* A month by default: the current one up to now, else the month of the day given. */
        today = manager_today(m);
        if (p.from == DAY_NONE && p.to == DAY_NONE) {
                check_month(today, &p.from, &month_to);
                p.to = today;
        } else if (p.from == DAY_NONE)
                check_month(p.to, &p.from, &month_to);
        else if (p.to == DAY_NONE)
                check_month(p.from, &month_from, &p.to);
        if (p.to < p.from)
                return varlink_call_error_invalid_parameter(call, "to");
        if (p.to - p.from >= API_CHECK_RANGE_MAX)
                return varlink_call_error_invalid_parameter(call, "to");

        r = store_check_list(m->store, p.from, p.to, &checks, &n);
        if (r < 0)
                return r;
        r = store_presence_list(m->store, p.from, p.to, &presence, &n_presence);
        if (r < 0) {
                spot_check_free_many(checks, n);
                return r;
        }
        pa = json_array();
        for (size_t i = 0; pa && i < n_presence; i++)
                if (json_array_append_new(pa, presence_to_json(m->config, &presence[i])) < 0) {
                        json_decref(pa);
                        pa = NULL;
                }
        presence_check_free_many(presence, n_presence);
        check_tally(checks, n, tally);

        a = json_array();
        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, check_to_json(m->config, &checks[i])) < 0)
                        {
                        json_decref(a);
                        a = NULL;
                }
        t = json_array();
        for (CheckTarget k = 0; t && k < _CHECK_TARGET_MAX; k++)
                if (json_array_append_new(t, tally_to_json(check_target_to_string(k), &tally[k])) < 0)
                        {
                        json_decref(t);
                        t = NULL;
                }
        if (t && json_array_append_new(t, tally_to_json("all", &tally[_CHECK_TARGET_MAX])) < 0)
                {
                        json_decref(t);
                        t = NULL;
                }
        spot_check_free_many(checks, n);
        if (!a || !t || !pa) {
                json_decref(a);
                json_decref(t);
                json_decref(pa);
                return -ENOMEM;
        }
        return reply(call, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
                                     "office", json_string_or_null(m->config->office),
                                     "from", day_to_json(p.from),
                                     "to", day_to_json(p.to),
                                     "checks", a,
                                     "tally", t,
                                     "presence", pa));
}

int api_ack(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_free_ char *names = NULL;
        bool en = language_is_en(m->config->language), waiting = false;
        PresenceCheck *pending = NULL;
        size_t n = 0;
        Day today;
        int minutes, r;

        manager_now_local(m, &today, &minutes);
        r = store_presence_pending(m->store, &pending, &n);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                PresenceCheck *p = &pending[i];
                _cleanup_strv_free_ char **people = NULL;

                /* Past its time it is missed, whether or not the monitor has said so yet. */
                if (check_moment_reached(today, minutes, p->due_day, p->due_minutes))
                        continue;
                waiting = true;
                r = presence_people(m, p->duty_day, &people);
                if (r < 0)
                        goto finish;
                if (!check_may_ack(id->person ? id->person->id : NULL, (const char *const *) people, strv_count(people))) {
                        if (!names)
                                names = presence_people_text(m->config, people, m->config->language);
                        continue;
                }

                r = store_presence_settle(m->store, p->id, PRESENCE_STATE_ACKNOWLEDGED, id->person->id, today, minutes);
                if (r < 0)
                        goto finish;
                p->state = PRESENCE_STATE_ACKNOWLEDGED;
                p->acked_day = today;
                p->acked_minutes = minutes;
                p->acked_by = strdup(id->person->id);
                if (!p->acked_by) {
                        r = -ENOMEM;
                        goto finish;
                }
                r = reply(call, json_pack("{s:o}", "presence", presence_to_json(m->config, p)));
                goto finish;
        }

        if (waiting) {
                _cleanup_free_ char *message = NULL;

                if (asprintf(&message, en ? "only the people on duty confirm a presence check (%s), not someone for them"
                                          : "在岗抽查只能由当班值班人员本人确认（%s），他人不能代为确认",
                             names ?: "-") < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
                r = api_refuse_with(call, id, REFUSAL_DENIED, "not_on_duty", DAY_NONE, message);
        } else
                r = api_refuse_not_found(call, "presence_check", "",
                                         en ? "no presence check is waiting for a confirmation; `dutyctl check list` shows the month's"
                                            : "当前没有等待确认的在岗抽查；`dutyctl check list` 可查看本月的抽查记录");
finish:
        presence_check_free_many(pending, n);
        return r;
}
