/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Shared by every api*.c file: JSON forms of the configuration's objects, the reply, and the
 * parameters by table. */

#include "api-json.h"
#include "duty-names.h"

#include <stdio.h>
#include <time.h>

#include "util.h"

json_t *json_string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

json_t *json_object_build(JsonField *fields) {
        json_t *o = json_object();

        for (JsonField *f = fields; f->key; f++) {
                json_t *v = TAKE_PTR(f->value);

                /* The keys are literals of ours: their UTF-8 needs no check. */
                if (!o || !v || json_object_set_new_nocheck(o, f->key, v) < 0) {
                        json_decref(v);
                        json_decref(o);
                        o = NULL;
                }
        }
        return o;
}

json_t *day_to_json(Day d) {
        char buf[DAY_STRING_MAX];

        return d == DAY_NONE ? json_null() : json_string(day_format(d, buf));
}

/* ---- Points in time ----
 *
 * The process's time zone is the configured one (manager.c sets TZ), so the C library gives each
 * local time its offset, DST included; date.c writes the text. */

int instant_format(uint64_t usec, char buf[static TIMESTAMP_STRING_MAX]) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return -EINVAL;
        timestamp_format(day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                         tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, (int) tm.tm_gmtoff, buf);
        return 0;
}

json_t *instant_to_json(uint64_t usec) {
        char buf[TIMESTAMP_STRING_MAX];

        return usec == 0 || instant_format(usec, buf) < 0 ? json_null() : json_string(buf);
}

int local_time_format(Day d, int minutes, char buf[static TIMESTAMP_STRING_MAX]) {
        struct tm tm = { .tm_isdst = -1 };
        int y, mo, dd;

        if (d == DAY_NONE || minutes < 0)
                return -EINVAL;
        /* "24:00" (the end of a day) is the next day's midnight; mktime() normalizes it, and moves
         * a local time that a DST change skips to one that exists. */
        day_to_ymd(d, &y, &mo, &dd);
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = dd;
        tm.tm_hour = minutes / 60;
        tm.tm_min = minutes % 60;
        if (mktime(&tm) == (time_t) -1)
                return -EINVAL;
        timestamp_format(day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                         tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, (int) tm.tm_gmtoff, buf);
        return 0;
}

json_t *local_time_to_json(Day d, int minutes) {
        char buf[TIMESTAMP_STRING_MAX];

        return local_time_format(d, minutes, buf) < 0 ? json_null() : json_string(buf);
}

int timestamp_to_local(const char *s, Day *ret_day, int *ret_minutes) {
        int seconds, offset;
        struct tm tm;
        time_t t;
        Day d;

        if (!ret_day || !ret_minutes || timestamp_parse(s, &d, &seconds, &offset) < 0)
                return -EINVAL;
        t = (time_t) d * SECONDS_PER_DAY + seconds - offset;
        if (!localtime_r(&t, &tm))
                return -EINVAL;
        d = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        if (d == DAY_NONE || day_year(d) < DAY_MIN_YEAR || day_year(d) > DAY_MAX_YEAR)
                return -EINVAL;
        *ret_day = d;
        *ret_minutes = tm.tm_hour * 60 + tm.tm_min;
        return 0;
}

int local_moment_or_timestamp_parse(const char *s, Day *ret_day, int *ret_minutes) {
        return timestamp_to_local(s, ret_day, ret_minutes) >= 0 ? 0 : local_moment_parse(s, ret_day, ret_minutes);
}

json_t *person_to_json(const Person *p) {
        json_t *roles = json_array();

        for (Role r = 0; r < _ROLE_MAX; r++)
                if (person_has_role(p, r))
                        json_array_append_new(roles, json_string(role_to_string(r)));

        return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                         "id", p->id,
                         "name", p->name,
                         "title", json_string_or_null(p->title),
                         "phone", json_string_or_null(p->phone),
                         "roles", roles,
                         "user", json_string_or_null(p->user),
                         "uid", p->has_uid ? json_integer(p->uid) : json_null(),
                         "active_from", day_to_json(p->active_from),
                         "active_until", day_to_json(p->active_until));
}

/* ---- Replies ---- */

int api_reply(Manager *m, VarlinkCall *call, json_t *params) {
        char message[256];
        size_t size;
        int r;

        if (!params)
                return -ENOMEM;

        /* Encoded once, by the server, which keeps the text it sends: the size is read from it. */
        r = varlink_call_reply(call, params);
        if (r < 0)
                return r;

        /* A client takes no message longer than VARLINK_MESSAGE_SIZE_MAX: say so instead of
         * sending what it would drop. */
        size = varlink_call_reply_parameters_size(call);
        if (size <= VARLINK_MESSAGE_SIZE_MAX - API_REPLY_ENVELOPE_MAX)
                return 0;
        snprintf(message, sizeof(message),
                 api_language_en(m) ? "the answer would be %zu bytes, more than the %u of one message; ask for a shorter range"
                    : "应答长度 %zu 字节，超过单条消息上限 %u 字节，请缩短查询范围",
                 size, VARLINK_MESSAGE_SIZE_MAX);
        return varlink_call_replace_error(call, DUTY_ERROR_FAILED, json_pack("{s:s}", "message", message));
}

int api_error_not_found(VarlinkCall *call, const char *what, const char *id, const char *message) {
        return varlink_call_error(call, DUTY_ERROR_NOT_FOUND,
                                  json_pack("{s:s, s:s, s:s}", "what", what, "id", id, "message", message));
}

int api_error_permission(VarlinkCall *call, const Identity *id, const char *reason, const char *message) {
        return varlink_call_error(call, DUTY_ERROR_PERMISSION_DENIED,
                                  json_pack("{s:s, s:s, s:s*, s:s*}",
                                            "method", varlink_call_method(call),
                                            "access", access_to_string(id->access),
                                            "reason", reason,
                                            "message", message));
}

int api_error_failed(VarlinkCall *call, const char *message) {
        return varlink_call_error(call, DUTY_ERROR_FAILED, json_pack("{s:s}", "message", message));
}

/* ---- Refusals ---- */

int api_refuse(VarlinkCall *call, const Identity *id, const Refusal *r, json_t *details) {
        _cleanup_(json_decrefp) json_t *d = details;
        const char *message = strempty(r->message);
        char day[DAY_STRING_MAX];

        /* Each error's members in the order the interface lists them: replies stay the same bytes. */
        switch (r->kind) {
        case REFUSAL_RULE:
                return varlink_call_error(call, DUTY_ERROR_RULE_VIOLATION,
                                          json_pack("{s:s, s:o, s:s, s:o}",
                                                    "rule", strempty(r->rule),
                                                    "date", day_to_json(r->day),
                                                    "message", message,
                                                    "version", r->version > 0 ? json_integer(r->version) : json_null()));
        case REFUSAL_CALENDAR_UNKNOWN:
                return varlink_call_error(call, DUTY_ERROR_CALENDAR_UNKNOWN,
                                          json_pack("{s:s, s:i, s:s}",
                                                    "date", day_format(r->day, day),
                                                    "year", day_year(r->day),
                                                    "message", message));
        case REFUSAL_NOT_FOUND:
                return api_error_not_found(call, strempty(r->what), strempty(r->id), message);
        case REFUSAL_DENIED:
                if (!id)
                        return -EINVAL;
                return api_error_permission(call, id, r->rule, r->message);
        case REFUSAL_FAILED:
                return api_error_failed(call, message);
        case REFUSAL_LEAVE:
                return varlink_call_error(call, DUTY_ERROR_LEAVE_REFUSED,
                                          json_pack("{s:s, s:s, s:O, s:O}",
                                                    "reason", strempty(r->rule),
                                                    "message", message,
                                                    "violations", json_object_get(d, "violations") ?: json_null(),
                                                    "leave", json_object_get(d, "leave") ?: json_null()));
        case REFUSAL_SWAP:
                return varlink_call_error(call, DUTY_ERROR_SWAP_REFUSED,
                                          json_pack("{s:s, s:s, s:o, s:o}",
                                                    "rule", strempty(r->rule),
                                                    "message", message,
                                                    "date", day_to_json(r->day),
                                                    "person", json_string_or_null(r->person)));
        case REFUSAL_HANDOVER:
                return varlink_call_error(call, DUTY_ERROR_HANDOVER_REFUSED,
                                          json_pack("{s:s, s:s, s:o}",
                                                    "reason", strempty(r->rule),
                                                    "message", message,
                                                    "date", day_to_json(r->day)));
        case REFUSAL_LOG:
                return varlink_call_error(call, DUTY_ERROR_LOG_REFUSED,
                                          json_pack("{s:s, s:s}", "reason", strempty(r->rule), "message", message));
        case REFUSAL_NONE:
        case _REFUSAL_KIND_MAX:
        case _REFUSAL_KIND_INVALID:
                break;
        }
        return -EINVAL;
}

int api_refuse_not_found(VarlinkCall *call, const char *what, const char *ident, const char *message) {
        Refusal r = REFUSAL_INIT;

        r.kind = REFUSAL_NOT_FOUND;
        r.what = what;
        /* Borrowed for the reply only, as in api_refuse_with(). */
        r.id = (char *) ident;
        r.message = (char *) message;
        return api_refuse(call, NULL, &r, NULL);
}

int api_refuse_with(VarlinkCall *call, const Identity *id, RefusalKind kind, const char *rule, Day day,
                    const char *message) {
        Refusal r = REFUSAL_INIT;

        r.kind = kind;
        r.rule = rule;
        r.day = day;
        /* Borrowed for the reply only: api_refuse() copies what it sends. */
        r.message = (char *) message;
        return api_refuse(call, id, &r, NULL);
}

/* ---- Parameters ---- */

int api_params_dispatch(Manager *m, VarlinkCall *call, json_t *params, const ApiParam *table, void *ret) {
        for (const ApiParam *p = table; p->name; p++) {
                json_t *v = json_object_get(params, p->name);
                int r;

                /* An optional member may be absent or null: the field keeps what the handler set. */
                if (!v || json_is_null(v)) {
                        if (p->required)
                                return varlink_call_error_invalid_parameter(call, p->name) ?: 1;
                        continue;
                }
                /* The interface checked the types already; this keeps the table honest. */
                if (p->type == JSON_TRUE ? !json_is_boolean(v) : json_typeof(v) != p->type)
                        return varlink_call_error_invalid_parameter(call, p->name) ?: 1;
                r = p->parser(m, v, (uint8_t *) ret + p->offset);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return varlink_call_error_invalid_parameter(call, p->name) ?: 1;
        }
        return 0;
}

int api_param_string(Manager *m, json_t *v, void *ret) {
        *(const char **) ret = json_string_value(v);
        return 0;
}

int api_param_nonempty(Manager *m, json_t *v, void *ret) {
        if (isempty(json_string_value(v)))
                return -EINVAL;
        return api_param_string(m, v, ret);
}

int api_param_bool(Manager *m, json_t *v, void *ret) {
        *(bool *) ret = json_is_true(v);
        return 0;
}

int api_param_int64(Manager *m, json_t *v, void *ret) {
        *(int64_t *) ret = json_integer_value(v);
        return 0;
}

int api_param_id(Manager *m, json_t *v, void *ret) {
        if (json_integer_value(v) <= 0)
                return -EINVAL;
        return api_param_int64(m, v, ret);
}

int api_param_day(Manager *m, json_t *v, void *ret) {
        return day_parse(json_string_value(v), ret);
}

json_t *api_event_to_json(const Config *c, uint64_t at_usec, const char *action, const char *actor, uid_t uid,
                          const char *note_key, const char *note) {
        return json_pack("{s:o, s:s, s:o, s:o, s:I, s:o}",
                         "at", instant_to_json(at_usec),
                         "action", action,
                         "actor", json_string_or_null(actor),
                         "actor_name", actor ? json_string(config_person_name(c, actor)) : json_null(),
                         "uid", (json_int_t) uid,
                         note_key, json_string_or_null(note));
}
