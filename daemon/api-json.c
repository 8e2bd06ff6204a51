/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Shared by every api*.c file: JSON forms of the configuration's objects, the reply, and the
 * parameters by table. */

#include "api-internal.h"
#include "duty-names.h"

#include <stdio.h>

json_t *json_string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

json_t *day_to_json(Day d) {
        char buf[DAY_STRING_MAX];

        return d == DAY_NONE ? json_null() : json_string(day_format(d, buf));
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

/* Room left in a message for the envelope around the parameters ({"parameters":…} and the NUL). */
#define API_REPLY_ENVELOPE_MAX 64u

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
