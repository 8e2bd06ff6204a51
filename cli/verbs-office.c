/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl status, whoami and people: the daemon and the office as dutyd sees them. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutyctl.h"
#include "labels.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

static int print_status(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        char uptime[UPTIME_STRING_MAX], schema[INT_STRING_MAX];
        char people[INT_STRING_MAX], groups[INT_STRING_MAX], posts[INT_STRING_MAX], conns[INT_STRING_MAX];
        json_t *counts = json_object_get(reply, "counts"), *up = json_object_get(reply, "uptime_sec");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        if ((r = table_add_pair(t, _("Version"), "%s", json_str(reply, "version"))) < 0 ||
            (r = table_add_pair(t, _("Office"), "%s", json_str(reply, "office"))) < 0 ||
            (r = table_add_pair(t, _("Uptime"), "%s",
                                json_is_integer(up) ? format_uptime(json_integer_value(up), uptime) : "-")) < 0 ||
            (r = table_add_pair(t, _("Configuration"), "%s", json_str(reply, "config_path"))) < 0 ||
            (r = table_add_pair(t, _("Database"), "%s", json_str(reply, "database"))) < 0 ||
            /* Only when dutyd refuses every change: the clerk must see why. */
            (json_object_get(reply, "database_problem_message") &&
             (r = table_add_pair(t, _("Database problem"), "%s", json_str(reply, "database_problem_message"))) < 0) ||
            (r = table_add_pair(t, _("Schema version"), "%s", json_int_str(reply, "schema_version", schema))) < 0 ||
            (r = table_add_pair(t, _("Time zone"), "%s", json_str(reply, "timezone"))) < 0 ||
            (r = table_add_pair(t, _("Handover"), "%s", json_str(reply, "handover"))) < 0 ||
            (r = table_add_pair(t, _("Counts"), _("people %s, groups %s, posts %s, connections %s"),
                                json_int_str(counts, "people", people),
                                json_int_str(counts, "groups", groups),
                                json_int_str(counts, "posts", posts),
                                json_int_str(counts, "connections", conns))) < 0)
                return r;

        return table_print(t, f);
}

static int print_whoami(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *roles = NULL;
        char uid[INT_STRING_MAX];
        json_t *person = json_object_get(reply, "person");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        r = table_add_pair(t, _("UID"), "%s", json_int_str(reply, "uid", uid));
        if (r < 0)
                return r;
        r = table_add_pair(t, _("User"), "%s", json_str(reply, "user"));
        if (r < 0)
                return r;

        if (json_is_object(person)) {
                roles = json_strv_join(json_object_get(person, "roles"), _(", "), label_role);
                if (!roles)
                        return -ENOMEM;

                if ((r = table_add_pair(t, _("Person"), "%s (%s)", json_str(person, "name"), json_str(person, "id"))) < 0 ||
                    (r = table_add_pair(t, _("Title"), "%s", json_str(person, "title"))) < 0 ||
                    (r = table_add_pair(t, _("Roles"), "%s", roles)) < 0)
                        return r;
        } else {
                r = table_add_pair(t, _("Person"), "%s", _("(not in the configuration)"));
                if (r < 0)
                        return r;
        }

        r = table_add_pair(t, _("Access"), "%s", label_access(json_string_value(json_object_get(reply, "access"))));
        if (r < 0)
                return r;

        return table_print(t, f);
}

int print_people(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *people = json_object_get(reply, "people"), *p;
        size_t i;
        int r;

        r = table_new(5, (const char *const[]) { _("ID"), _("Name"), _("Title"), _("Roles"), _("Phone") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(people, i, p) {
                _cleanup_free_ char *roles = json_strv_join(json_object_get(p, "roles"), _(", "), label_role);

                if (!roles)
                        return -ENOMEM;

                r = table_add_row(t, (const char *const[]) {
                                json_str(p, "id"), json_str(p, "name"), json_str(p, "title"),
                                roles, json_str(p, "phone") });
                if (r < 0)
                        return r;
        }

        return table_print(t, f);
}

/* One id per line, for shell completion and scripts. */
static int print_people_ids(FILE *f, json_t *reply, void *userdata) {
        json_t *p;
        size_t i;

        json_array_foreach(json_object_get(reply, "people"), i, p)
                if (json_is_string(json_object_get(p, "id")))
                        fprintf(f, "%s\n", json_string_value(json_object_get(p, "id")));
        return ferror(f) ? -EIO : 0;
}

/* --ids prints only the ids, else the row's table. */
static int verb_people(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        int r;

        r = verb_params_build(args, &params);
        if (r < 0)
                return r;
        return call_and_print(userdata, args->verb->method, params,
                              verb_args_has(args, "ids") ? print_people_ids : args->verb->print);
}

static const VerbOption people_options[] = {
        { "role", '\0', "ROLE", N_("only people holding ROLE: leader, officer, approver or admin") },
        { "ids", '\0', NULL, N_("print only their ids, one per line") },
};

static const VerbParam people_params[] = {
        { "role", "role", VERB_PARAM_STRING },
};

static const Verb office_verbs[] = {
        { "status", "", N_("Show the daemon's state: version, office, uptime, files, counts."),
          0, 0, NULL, 0, verb_call, DUTY_METHOD_STATUS, NULL, 0, print_status },
        { "whoami", "", N_("Show who the daemon takes the caller to be, and the access it grants."),
          0, 0, NULL, 0, verb_call, DUTY_METHOD_WHOAMI, NULL, 0, print_whoami },
        { "people", "[--role ROLE] [--ids]", N_("List the people of the office."),
          0, 0, people_options, ELEMENTSOF(people_options), verb_people,
          DUTY_METHOD_LIST_PEOPLE, people_params, ELEMENTSOF(people_params), print_people },
};

const VerbFamily office_family = { office_verbs, ELEMENTSOF(office_verbs) };
