/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>

#include "api-internal.h"
#include "build-config.h"
#include "log.h"
#include "monitor.h"

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
        X("ListPeople", api_list_people)        \
        X("Calendar", api_calendar)             \
        X("Who", api_who)                       \
        X("RosterGenerate", api_roster_generate) \
        X("RosterHoliday", api_roster_holiday)  \
        X("RosterAssign", api_roster_assign)    \
        X("RosterUnassign", api_roster_unassign) \
        X("RosterShow", api_roster_show)        \
        X("RosterPublish", api_roster_publish)  \
        X("RosterDiff", api_roster_diff)        \
        X("RosterStats", api_roster_stats)      \
        X("RosterAmendments", api_roster_amendments) \
        X("SensitiveAdd", api_sensitive_add)    \
        X("SensitiveList", api_sensitive_list)  \
        X("SensitiveRemove", api_sensitive_remove) \
        X("UnavailableAdd", api_unavailable_add) \
        X("UnavailableList", api_unavailable_list) \
        X("UnavailableRemove", api_unavailable_remove) \
        X("Reload", api_reload)                 \
        X("AuditList", api_audit_list)          \
        X("AuditVerify", api_audit_verify)      \
        X("LeaveCheck", api_leave_check)        \
        X("LeaveRequest", api_leave_request)    \
        X("LeaveApprove", api_leave_approve)    \
        X("LeaveReject", api_leave_reject)      \
        X("LeaveCancel", api_leave_cancel)      \
        X("LeaveReturn", api_leave_return)      \
        X("LeavePaperwork", api_leave_paperwork) \
        X("LeaveList", api_leave_list)          \
        X("LeaveShow", api_leave_show)         \
        X("Gaps", api_gaps)                     \
        X("SwapRequest", api_swap_request)      \
        X("SwapCover", api_swap_cover)          \
        X("SwapList", api_swap_list)            \
        X("SwapShow", api_swap_show)            \
        X("SwapAccept", api_swap_accept)        \
        X("SwapDecline", api_swap_decline)      \
        X("SwapApprove", api_swap_approve)      \
        X("SwapCancel", api_swap_cancel)

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
        bool mutating = auth_method_mutating(method);
        Identity id;
        int r;

        id = auth_identify_peer_cached(&m->peer_names, m->config, cred->uid, manager_uptime_usec(m));
        if (!auth_allowed(&id, method)) {
                log_info("Refused %s to uid %u (%s).", method, (unsigned) id.uid, access_to_string(id.access));
                r = varlink_call_error(call, "io.dutyd.Duty.PermissionDenied",
                                       json_pack("{s:s, s:s}",
                                                 "method", method,
                                                 "access", access_to_string(id.access)));
                if (mutating)
                        api_audit_attempt(m, &id, method, params, "PermissionDenied");
                return r;
        }

        for (size_t i = 0; i < ELEMENTSOF(api_handlers); i++)
                if (streq(api_handlers[i].name, method)) {
                        uint64_t commits = store_commit_count(m->store);

                        r = mutating ? api_run_audited(m, call, &id, api_handlers[i].handler, params)
                                     : api_handlers[i].handler(m, call, &id, params);
                        /* A committed change may open or close gaps: the journal hears of it in
                         * this same loop turn. */
                        if (store_commit_count(m->store) != commits)
                                (void) monitor_run(m->monitor);
                        return r;
                }

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
