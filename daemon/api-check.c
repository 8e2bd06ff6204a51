/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Spot checks (查岗): Varlink parameters to records of the store and back. Who may record a check,
 * which post a target means and the tally are check.c's. */

#include <stdio.h>
#include <time.h>

#include "api-internal.h"
#include "check.h"
#include "duty-names.h"
#include "i18n.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
#define API_CHECK_STAMP_MAX 20
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

/* ---- Replies ---- */

static const char *person_name(const Config *c, const char *id) {
        const Person *p = id ? config_find_person(c, id) : NULL;

        return p && !isempty(p->name) ? p->name : id;
}

static json_t *stamp_to_json(uint64_t usec) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        char buf[API_CHECK_STAMP_MAX];
        struct tm tm;

        if (!localtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0)
                return json_string("");
        return json_string(buf);
}

static json_t *check_to_json(const Config *c, const SpotCheck *k) {
        char day[DAY_STRING_MAX], hm[6], at[LOCAL_TIME_STRING_MAX];

        (void) snprintf(at, sizeof(at), "%sT%s", day_format(k->day, day), minutes_format(k->minutes, hm));
        return json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:o}",
                         "id", (json_int_t) k->id,
                         "at", at,
                         "date", day_to_json(k->duty_day),
                         "target", check_target_to_string(k->target),
                         "person", json_string_or_null(k->person),
                         "person_name", k->person ? json_string(person_name(c, k->person)) : json_null(),
                         "how", check_how_to_string(k->how),
                         "answered", k->answered,
                         "seconds", k->seconds >= 0 ? json_integer(k->seconds) : json_null(),
                         "remarks", json_string_or_null(k->remarks),
                         "recorded_by", json_string_or_null(k->recorded_by),
                         "recorded_by_name", k->recorded_by ? json_string(person_name(c, k->recorded_by)) : json_null(),
                         "recorded", stamp_to_json(k->recorded_usec));
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
                return varlink_call_error(call, DUTY_ERROR_PERMISSION_DENIED,
                                          json_pack("{s:s, s:s, s:s, s:s}",
                                                    "method", varlink_call_method(call),
                                                    "access", access_to_string(id->access),
                                                    "reason", "not_inspector",
                                                    "message", en ? "only inspectors and administrators record spot checks; ask the administrator to give you the role \"inspector\" in dutyd.conf"
                                                                  : "只有查岗人员和管理员可以登记查岗；如需登记，请管理员在 dutyd.conf 中为您加上 \"inspector\" 角色"));

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
                if (local_moment_parse(p.at, &k.day, &k.minutes) < 0 || k.minutes < 0 ||
                    k.day > today || (k.day == today && k.minutes > now_minutes))
                        return varlink_call_error_invalid_parameter(call, "at");
        }
        k.duty_day = check_duty_day(k.day, k.minutes, m->config->handover_minutes);

        if (p.person) {
                if (!config_find_person(m->config, p.person))
                        return varlink_call_error(call, DUTY_ERROR_NOT_FOUND,
                                                  json_pack("{s:s, s:s, s:s}", "what", "person", "id", p.person,
                                                            "message", en ? "no such person; `dutyctl people` lists them"
                                                                          : "没有该人员；`dutyctl people` 可列出人员"));
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
        size_t n = 0;
        json_t *a, *t;
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
        if (!a || !t) {
                json_decref(a);
                json_decref(t);
                return -ENOMEM;
        }
        return reply(call, json_pack("{s:o, s:o, s:o, s:o}",
                                     "from", day_to_json(p.from),
                                     "to", day_to_json(p.to),
                                     "checks", a,
                                     "tally", t));
}
