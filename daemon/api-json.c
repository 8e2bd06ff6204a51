/* SPDX-License-Identifier: GPL-2.0-or-later */

/* JSON forms of the configuration's objects, shared by every api*.c file. */

#include "api-internal.h"

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
