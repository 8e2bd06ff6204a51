/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>

#include "api.h"
#include "auth.h"
#include "build-config.h"
#include "log.h"
#include "manager.h"

typedef int (*ApiHandler)(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

static json_t *json_string_or_null(const char *s) {
        return s ? json_string(s) : json_null();
}

static json_t *day_to_json(Day d) {
        char buf[DAY_STRING_MAX];

        return d == DAY_NONE ? json_null() : json_string(day_format(d, buf));
}

static json_t *person_to_json(const Person *p) {
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

static int api_status(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        const Config *c = m->config;
        char handover[6];

        return varlink_call_reply(call, json_pack(
                        "{s:s, s:I, s:s, s:o, s:s, s:i, s:s, s:s, s:{s:I, s:I, s:I, s:I}}",
                        "version", PACKAGE_VERSION,
                        "uptime_sec", (json_int_t) (manager_uptime_usec(m) / USEC_PER_SEC),
                        "config_path", m->config_path,
                        "office", json_string_or_null(c->office),
                        "database", m->database_path,
                        "schema_version", store_schema_version(m->store),
                        "timezone", c->timezone,
                        "handover", minutes_format(c->handover_minutes, handover),
                        "counts",
                        "people", (json_int_t) c->n_people,
                        "groups", (json_int_t) c->n_groups,
                        "posts", (json_int_t) c->n_posts,
                        "connections", (json_int_t) varlink_server_n_connections(m->server)));
}

static int api_whoami(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return varlink_call_reply(call, json_pack("{s:I, s:o, s:o, s:s}",
                        "uid", (json_int_t) id->uid,
                        "user", isempty(id->user) ? json_null() : json_string(id->user),
                        "person", id->person ? person_to_json(id->person) : json_null(),
                        "access", access_to_string(id->access)));
}

static int api_list_people(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        const char *role_name = json_string_value(json_object_get(params, "role"));
        Role role = _ROLE_INVALID;
        json_t *people;

        if (role_name) {
                role = role_from_string(role_name);
                if (role < 0)
                        return varlink_call_error_invalid_parameter(call, "role");
        }

        people = json_array();
        for (size_t i = 0; i < m->config->n_people; i++) {
                const Person *p = &m->config->people[i];

                if (role >= 0 && !person_has_role(p, role))
                        continue;
                json_array_append_new(people, person_to_json(p));
        }

        return varlink_call_reply(call, json_pack("{s:o}", "people", people));
}

/* Every method of io.dutyd.Duty with its handler, listed once: both tables below expand from it. */
#define API_METHODS(X)                          \
        X("Status", api_status)                 \
        X("Whoami", api_whoami)                 \
        X("ListPeople", api_list_people)

#define API_HANDLER_ENTRY(name, fn) { name, fn },
static const struct {
        const char *name;
        ApiHandler handler;
} api_handlers[] = {
        API_METHODS(API_HANDLER_ENTRY)
};

static int api_dispatch(VarlinkCall *call, json_t *params, void *userdata) {
        Manager *m = userdata;
        const struct ucred *cred = varlink_call_peer(call);
        const char *method = varlink_call_method(call);
        Identity id;

        id = auth_identify_peer(m->config, cred->uid);
        if (!auth_allowed(&id, method)) {
                log_info("Refused %s to uid %u (%s).", method, (unsigned) id.uid, access_to_string(id.access));
                return varlink_call_error(call, "io.dutyd.Duty.PermissionDenied",
                                          json_pack("{s:s, s:s}",
                                                    "method", method,
                                                    "access", access_to_string(id.access)));
        }

        for (size_t i = 0; i < ELEMENTSOF(api_handlers); i++)
                if (streq(api_handlers[i].name, method))
                        return api_handlers[i].handler(m, call, &id, params);

        return varlink_call_error(call, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
                                  json_pack("{s:s}", "method", method));
}

/* The server table: every method goes through api_dispatch(), so authorization is checked once. */
#define API_SERVER_ENTRY(name, fn) { name, api_dispatch },
static const VarlinkMethod api_method_table[] = {
        API_METHODS(API_SERVER_ENTRY)
};

const VarlinkMethod *api_methods(size_t *ret_n) {
        *ret_n = ELEMENTSOF(api_method_table);
        return api_method_table;
}
