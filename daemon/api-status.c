/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Status, Whoami and ListPeople: what any caller may ask of dutyd itself and of the office's
 * configuration. */

#include "api-status.h"
#include "build-config.h"
#include "damage.h"
#include "duty-names.h"

int api_status(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        const Config *c = m->config;
        StoreDamage damage = store_damage(m->store);
        char handover[6];
        json_t *posts = json_array(), *reply;

        if (!posts)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_posts; i++)
                if (json_array_append_new(posts, json_string(c->posts[i].id)) < 0) {
                        json_decref(posts);
                        return -ENOMEM;
                }

        /* Built member by member (JSON_OBJECT_BUILD()): Status is the call monitoring makes most. */
        reply = JSON_OBJECT_BUILD(
                { "version", json_string(PACKAGE_VERSION) },
                { "interface_version", json_string(DUTY_INTERFACE_VERSION) },
                { "uptime_sec", json_integer((json_int_t) (manager_uptime_usec(m) / USEC_PER_SEC)) },
                { "config_path", json_string(m->config_path) },
                { "office", json_string_or_null(c->office) },
                { "database", json_string(m->database_path) },
                { "schema_version", json_integer(store_schema_version_opened(m->store)) },
                { "timezone", json_string(c->timezone) },
                { "handover", json_string(minutes_format(c->handover_minutes, handover)) },
                { "counts", JSON_OBJECT_BUILD(
                        { "people", json_integer((json_int_t) c->n_people) },
                        { "groups", json_integer((json_int_t) c->n_groups) },
                        { "posts", json_integer((json_int_t) c->n_posts) },
                        { "connections", json_integer((json_int_t) varlink_server_n_connections(m->server)) }) },
                { "posts", posts });
        if (reply && damage != STORE_DAMAGE_NONE &&
            (json_object_set_new(reply, "database_problem", json_string(store_damage_to_string(damage))) < 0 ||
             json_object_set_new(reply, "database_problem_message", json_string(damage_refusal_message(m))) < 0)) {
                json_decref(reply);
                return -ENOMEM;
        }
        return api_reply(m, call, reply);
}

int api_whoami(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_reply(m, call, json_pack("{s:I, s:o, s:o, s:s}",
                        "uid", (json_int_t) id->uid,
                        "user", isempty(id->user) ? json_null() : json_string(id->user),
                        "person", id->person ? person_to_json(id->person) : json_null(),
                        "access", access_to_string(id->access)));
}

/* Role: a role's name. */
static int param_role(Manager *m, json_t *v, void *ret) {
        Role role = role_from_string(json_string_value(v));

        if (role < 0)
                return role;
        *(Role *) ret = role;
        return 0;
}

int api_list_people(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "role", JSON_STRING, param_role, 0, false },
                {}
        };
        Role role = _ROLE_INVALID;
        json_t *people;
        int r;

        r = api_params_dispatch(m, call, params, table, &role);
        if (r != 0)
                return r < 0 ? r : 0;

        people = json_array();
        for (size_t i = 0; i < m->config->n_people; i++) {
                const Person *p = &m->config->people[i];

                if (role >= 0 && !person_has_role(p, role))
                        continue;
                json_array_append_new(people, person_to_json(p));
        }

        return api_reply(m, call, json_pack("{s:o}", "people", people));
}
