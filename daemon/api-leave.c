/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Leave (请假/销假): Varlink parameters to leave-service.c calls, and their outcomes back to replies.
 * Parameter types were checked against the interface before a handler runs; the values (times,
 * kinds, filters) are checked here, everything else by the service. */

#include <inttypes.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "api-leave.h"
#include "duty-names.h"
#include "leave-service.h"
#include "log.h"
#include "report.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
/* Decimal digits of an int64 plus sign and NUL. */
#define API_LEAVE_INT_STRING_MAX 24

/* ---- Parameters ---- */

/* The parameters of every leave method; each fills those it has. */
typedef struct LeaveParams {
        Leave leave;                /* LeaveCheck, LeaveRequest */
        int64_t id;
        const char *reason, *person;
        bool override;
        LeaveTime at;               /* LeaveReturn; day DAY_NONE when not given */
        LeaveListFilter filter;
} LeaveParams;

/* A leave's times: RFC 3339 (in the office's local time, to the minute), or leave_time_parse()'s
 * local forms. */
static int leave_time_param(Manager *m, json_t *v, bool is_end, LeaveTime *ret) {
        const char *s = json_string_value(v);
        int minutes;
        Day d;

        if (timestamp_to_local(s, &d, &minutes) >= 0) {
                *ret = (LeaveTime) { d, minutes };
                return 0;
        }
        return leave_time_parse(s, is_end, m->config->handover_minutes, ret);
}

static int param_leave_start(Manager *m, json_t *v, void *ret) {
        return leave_time_param(m, v, false, ret);
}

static int param_leave_end(Manager *m, json_t *v, void *ret) {
        return leave_time_param(m, v, true, ret);
}

static int param_leave_kind(Manager *m, json_t *v, void *ret) {
        LeaveKind k = leave_kind_from_string(json_string_value(v));

        if (k < 0)
                return k;
        *(LeaveKind *) ret = k;
        return 0;
}

static int param_leave_filter(Manager *m, json_t *v, void *ret) {
        LeaveListFilter f = leave_list_filter_from_string(json_string_value(v));

        if (f < 0)
                return f;
        *(LeaveListFilter *) ret = f;
        return 0;
}

/* char *: NULL when empty. */
static int param_optional_text(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);

        *(char **) ret = isempty(s) ? NULL : (char *) s;
        return 0;
}

static LeaveServiceContext api_leave_context(Manager *m, const Identity *id) {
        LeaveServiceContext ctx = {
                .store = m->store,
                .config = m->config,
                .now_usec = manager_now_usec(m),
                .actor = {
                        .uid = id->uid,
                        .person = id->person,
                        .is_admin = id->access >= ACCESS_ADMIN,
                        .is_approver = id->access >= ACCESS_APPROVER,
                },
                .language = api_language(m),
        };

        manager_now_local(m, &ctx.now.day, &ctx.now.minutes);
        return ctx;
}

/* ---- Replies ---- */

static json_t *leave_time_to_json(LeaveTime t) {
        return leave_time_is_valid(t) ? local_time_to_json(t.day, t.minutes) : json_null();
}

static json_t *strv_to_json(char *const *l, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, json_string(l[i])) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

json_t *leave_entry_to_json(const Config *c, const LeaveEntry *e) {
        const StoreLeave *sl = &e->stored;
        const Leave *l = &sl->leave;

        /* Every reply about a leave carries one or more of these: built member by member, not by
         * json_pack() (JSON_OBJECT_BUILD()). */
        return JSON_OBJECT_BUILD(
                { "id", json_integer(l->id) },
                { "person", json_string(l->person) },
                { "name", json_string(config_person_name(c, l->person)) },
                { "kind", json_string(leave_kind_to_string(l->kind)) },
                { "start", leave_time_to_json(l->start) },
                { "end", leave_time_to_json(l->end) },
                { "duty_from", day_to_json(e->duty_from) },
                { "duty_to", day_to_json(e->duty_to) },
                { "half_days", json_integer((int) e->half_days) },
                { "destination", json_string_or_null(l->destination) },
                { "out_of_town", json_boolean(l->out_of_town) },
                { "reason", json_string_or_null(l->reason) },
                { "phone", json_string_or_null(l->phone) },
                { "acting", json_string_or_null(l->acting) },
                { "acting_name", l->acting ? json_string(config_person_name(c, l->acting)) : json_null() },
                { "urgent", json_boolean(l->urgent) },
                { "paperwork_due", day_to_json(l->paperwork_due) },
                { "paperwork_done", json_boolean(l->paperwork_done) },
                { "paperwork_overdue", json_boolean(e->paperwork_overdue) },
                { "state", json_string(leave_state_to_string(e->state)) },
                { "unexcused", json_boolean(e->unexcused) },
                { "returned_at", l->state == LEAVE_STATE_RETURNED ? leave_time_to_json(l->returned) : json_null() },
                { "requested", day_to_json(l->requested) },
                { "requested_by", json_string_or_null(sl->requested_by) },
                { "approver", json_string_or_null(sl->approver) },
                { "approver_name", sl->approver ? json_string(config_person_name(c, sl->approver)) : json_null() },
                { "decided_by", json_string_or_null(l->decided_by) },
                { "decided_by_name", l->decided_by ? json_string(config_person_name(c, l->decided_by)) : json_null() },
                { "decided_at", instant_to_json(sl->decided_usec) },
                { "decision_reason", json_string_or_null(sl->decision_note) },
                { "decision_override", json_boolean(sl->decision_override) });
}

json_t *leave_violations_to_json(const RulesViolation *v, size_t n, const char *lang) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++) {
                json_t *days = json_array(), *j;

                for (size_t k = 0; days && k < v[i].n_days; k++)
                        if (json_array_append_new(days, day_to_json(v[i].days[k])) < 0) {
                                json_decref(days);
                                days = NULL;
                        }
                j = json_pack("{s:s, s:s, s:o*, s:o*, s:s, s:o, s:o*}",
                              "rule", v[i].rule,
                              "severity", rules_severity_to_string(v[i].severity),
                              "days", days,
                              "people", strv_to_json(v[i].people, v[i].n_people),
                              "message", language_is_en(lang) ? v[i].message_en : v[i].message_zh,
                              "approver", json_string_or_null(v[i].approver),
                              "substitutes", strv_to_json(v[i].substitutes, v[i].n_substitutes));
                if (!j || json_object_size(j) != 7 || json_array_append_new(a, j) < 0) {
                        json_decref(a);
                        return NULL;
                }
        }
        return a;
}

json_t *leave_events_to_json(const Config *c, const StoreLeaveEvent *e, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, api_event_to_json(c, e[i].at_usec, e[i].action, e[i].actor, e[i].uid,
                                                               "note", e[i].note)) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

/* After a service call: the refusal, or r for the server's generic failure, or 0 to go on. A
 * refusal of the leave itself (LeaveRefused) carries the violations and the leave as it stands. */
static int outcome_check(Manager *m, VarlinkCall *call, const Identity *id, const LeaveOutcome *o, int r) {
        json_t *details = NULL;

        if (o->refusal.kind == REFUSAL_NONE)
                return r;
        if (o->refusal.kind == REFUSAL_LEAVE) {
                json_t *v = leave_violations_to_json(o->violations, o->n_violations, api_language(m));
                json_t *leave = o->leave.stored.leave.person ? leave_entry_to_json(m->config, &o->leave) : json_null();

                details = v && leave ? json_pack("{s:o, s:o}", "violations", v, "leave", leave) : NULL;
                if (!details) {
                        if (!v || !leave) {
                                json_decref(v);
                                json_decref(leave);
                        }
                        return -ENOMEM;
                }
        }
        return api_refuse(call, id, &o->refusal, details) ?: 1;
}

/* ---- Handlers ---- */

/* The request's leave from LeaveCheck/LeaveRequest parameters; answers InvalidParameter itself
 * (returning 1) for a value that does not parse. */
static int params_leave(Manager *m, VarlinkCall *call, json_t *params, Leave *ret) {
        static const ApiParam table[] = {
                { "from",        JSON_STRING, param_leave_start,   offsetof(LeaveParams, leave.start),       true },
                { "to",          JSON_STRING, param_leave_end,     offsetof(LeaveParams, leave.end),         true },
                { "kind",        JSON_STRING, param_leave_kind,    offsetof(LeaveParams, leave.kind),        false },
                { "destination", JSON_STRING, api_param_nonempty,  offsetof(LeaveParams, leave.destination), true },
                { "reason",      JSON_STRING, api_param_nonempty,  offsetof(LeaveParams, leave.reason),      true },
                { "phone",       JSON_STRING, param_optional_text, offsetof(LeaveParams, leave.phone),       false },
                { "acting",      JSON_STRING, param_optional_text, offsetof(LeaveParams, leave.acting),      false },
                { "person",      JSON_STRING, api_param_string,    offsetof(LeaveParams, leave.person),      false },
                { "out_of_town", JSON_TRUE,   api_param_bool,      offsetof(LeaveParams, leave.out_of_town), false },
                { "urgent",      JSON_TRUE,   api_param_bool,      offsetof(LeaveParams, leave.urgent),      false },
                {}
        };
        LeaveParams p = {
                .leave = {
                        .kind = LEAVE_KIND_PERSONAL,
                        .out_of_town = true,
                },
        };
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r;

        *ret = p.leave;
        return 0;
}

/* LeaveCheck (a dry run: every violation, nothing stored) and LeaveRequest (file). */
static int api_leave_propose(Manager *m, VarlinkCall *call, const Identity *id, json_t *params, bool file) {
        _cleanup_(leave_outcome_done) LeaveOutcome o = {};
        LeaveServiceContext ctx = api_leave_context(m, id);
        Leave l;
        int r;

        r = params_leave(m, call, params, &l);
        if (r != 0)
                return r < 0 ? r : 0;

        r = file ? leave_service_request(&ctx, &l, &o) : leave_service_check(&ctx, &l, &o);
        r = outcome_check(m, call, id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        if (file)
                return api_reply(m, call, JSON_OBJECT_BUILD(
                                         { "leave", leave_entry_to_json(m->config, &o.leave) },
                                         { "violations", leave_violations_to_json(o.violations, o.n_violations,
                                                                                  api_language(m)) }));
        return api_reply(m, call, JSON_OBJECT_BUILD(
                                 { "leave", leave_entry_to_json(m->config, &o.leave) },
                                 { "violations", leave_violations_to_json(o.violations, o.n_violations, api_language(m)) },
                                 { "allowed", json_boolean(o.allowed) }));
}

int api_leave_check(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_propose(m, call, id, params, false);
}

int api_leave_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_propose(m, call, id, params, true);
}

/* The catalog's entry for a decision an administrator made over the approver
 * (packaging/dutyd.catalog). */
#define API_LEAVE_MESSAGE_ID_OVERRIDE "701872a744a24f87ae950316138cc20f"

/* A notice in the journal, beside the audit row, so that the approver and whoever reads the log
 * learn of it without asking. */
static void log_leave_override(Manager *m, const Identity *id, const LeaveEntry *e, bool approved) {
        const StoreLeave *sl = &e->stored;
        const Leave *l = &sl->leave;
        bool en = streq(strempty(manager_journal_language(m)), "en");
        _cleanup_free_ char *f_leave = NULL, *f_person = NULL, *f_approver = NULL, *f_by = NULL,
                *f_decision = NULL, *f_reason = NULL, *message = NULL;
        const char *by = id->person ? id->person->id : NULL;
        char uid[API_LEAVE_INT_STRING_MAX + 4];

        (void) snprintf(uid, sizeof(uid), "uid %u", (unsigned) id->uid);
        if (asprintf(&f_leave, "DUTY_LEAVE_ID=%" PRIi64, l->id) < 0 ||
            asprintf(&f_person, "DUTY_PERSON=%s", l->person) < 0 ||
            asprintf(&f_approver, "DUTY_APPROVER=%s", strempty(sl->approver)) < 0 ||
            asprintf(&f_by, "DUTY_DECIDED_BY=%s", by ?: uid) < 0 ||
            asprintf(&f_decision, "DUTY_DECISION=%s", approved ? "approve" : "reject") < 0 ||
            asprintf(&f_reason, "DUTY_REASON=%s", strempty(sl->decision_note)) < 0)
                return;
        if (en) {
                if (asprintf(&message, "Leave %" PRIi64 " of %s %s by administrator %s over the approver %s: %s",
                             l->id, config_person_name(m->config, l->person), approved ? "approved" : "rejected",
                             by ? config_person_name(m->config, by) : uid,
                             sl->approver ? config_person_name(m->config, sl->approver) : "-",
                             strempty(sl->decision_note)) < 0)
                        message = NULL;
        } else if (asprintf(&message, "管理员%s越过审批人%s%s了%s的请假（请假编号 %" PRIi64 "），理由：%s",
                            by ? config_person_name(m->config, by) : uid,
                            sl->approver ? config_person_name(m->config, sl->approver) : "-", approved ? "批准" : "驳回",
                            config_person_name(m->config, l->person), l->id, strempty(sl->decision_note)) < 0)
                message = NULL;
        if (!message)
                return;
        /* Sent with the decision's commit (api_run_audited()), never for one rolled back. */
        if (log_queue_add(&m->journal_pending, LOG_NOTICE, API_LEAVE_MESSAGE_ID_OVERRIDE,
                          (const char *const[]) { f_leave, f_person, f_approver, f_by, f_decision, f_reason, NULL },
                          message) < 0)
                log_error("Out of memory for the journal notice of leave %" PRIi64 "'s override.", l->id);
}

typedef enum LeaveOp {
        LEAVE_OP_APPROVE,
        LEAVE_OP_REJECT,
        LEAVE_OP_CANCEL,
        LEAVE_OP_RETURN,
        LEAVE_OP_PAPERWORK,
        _LEAVE_OP_MAX,
        _LEAVE_OP_INVALID = -EINVAL,
} LeaveOp;

static int api_leave_transition(Manager *m, VarlinkCall *call, const Identity *id, json_t *params, LeaveOp op) {
        static const ApiParam table_decide[] = {
                { "id",       JSON_INTEGER, api_param_id,      offsetof(LeaveParams, id),       true },
                { "reason",   JSON_STRING,  api_param_string,  offsetof(LeaveParams, reason),   false },
                { "override", JSON_TRUE,    api_param_bool,    offsetof(LeaveParams, override), false },
                {}
        }, table_return[] = {
                { "id",       JSON_INTEGER, api_param_id,      offsetof(LeaveParams, id),       true },
                { "at",       JSON_STRING,  param_leave_start, offsetof(LeaveParams, at),       false },
                {}
        }, table_id[] = {
                { "id",       JSON_INTEGER, api_param_id,      offsetof(LeaveParams, id),       true },
                {}
        };
        _cleanup_(leave_outcome_done) LeaveOutcome o = {};
        LeaveServiceContext ctx = api_leave_context(m, id);
        LeaveParams p = { .at.day = DAY_NONE };
        const ApiParam *table = NULL;
        int r = -EINVAL;

        switch (op) {
        case LEAVE_OP_APPROVE:
        case LEAVE_OP_REJECT:
                table = table_decide;
                break;
        case LEAVE_OP_RETURN:
                table = table_return;
                break;
        case LEAVE_OP_CANCEL:
        case LEAVE_OP_PAPERWORK:
                table = table_id;
                break;
        case _LEAVE_OP_MAX:
        case _LEAVE_OP_INVALID:
                return -EINVAL;
        }
        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        switch (op) {
        case LEAVE_OP_APPROVE:
                r = leave_service_approve(&ctx, p.id, p.reason, p.override, &o);
                break;
        case LEAVE_OP_REJECT:
                r = leave_service_reject(&ctx, p.id, p.reason, p.override, &o);
                break;
        case LEAVE_OP_CANCEL:
                r = leave_service_cancel(&ctx, p.id, &o);
                break;
        case LEAVE_OP_RETURN:
                r = leave_service_return(&ctx, p.id, p.at.day != DAY_NONE ? &p.at : NULL, &o);
                break;
        case LEAVE_OP_PAPERWORK:
                r = leave_service_paperwork(&ctx, p.id, &o);
                break;
        case _LEAVE_OP_MAX:
        case _LEAVE_OP_INVALID:
                return -EINVAL;
        }

        r = outcome_check(m, call, id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        if (o.overridden)
                log_leave_override(m, id, &o.leave, op == LEAVE_OP_APPROVE);
        /* 外出报备: with the request's other entries, sent once it commits. */
        switch (op) {
        case LEAVE_OP_APPROVE:
                report_leave(m, &o.leave, REPORT_APPROVED);
                break;
        case LEAVE_OP_CANCEL:
                report_leave(m, &o.leave, REPORT_CANCELLED);
                break;
        case LEAVE_OP_RETURN:
                report_leave(m, &o.leave, REPORT_RETURNED);
                break;
        case LEAVE_OP_REJECT:
        case LEAVE_OP_PAPERWORK:
        case _LEAVE_OP_MAX:
        case _LEAVE_OP_INVALID:
                break;
        }

        if (op == LEAVE_OP_APPROVE)
                return api_reply(m, call, json_pack("{s:o, s:o}",
                                             "leave", leave_entry_to_json(m->config, &o.leave),
                                             "violations", leave_violations_to_json(o.violations, o.n_violations,
                                                                              api_language(m))));
        return api_reply(m, call, json_pack("{s:o}", "leave", leave_entry_to_json(m->config, &o.leave)));
}

int api_leave_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_transition(m, call, id, params, LEAVE_OP_APPROVE);
}

int api_leave_reject(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_transition(m, call, id, params, LEAVE_OP_REJECT);
}

int api_leave_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_transition(m, call, id, params, LEAVE_OP_CANCEL);
}

int api_leave_return(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_transition(m, call, id, params, LEAVE_OP_RETURN);
}

int api_leave_paperwork(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        return api_leave_transition(m, call, id, params, LEAVE_OP_PAPERWORK);
}

int api_leave_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "filter", JSON_STRING, param_leave_filter, offsetof(LeaveParams, filter), false },
                { "person", JSON_STRING, api_param_string,   offsetof(LeaveParams, person), false },
                {}
        };
        _cleanup_(leave_outcome_done) LeaveOutcome o = {};
        LeaveServiceContext ctx = api_leave_context(m, id);
        LeaveParams p = { .filter = LEAVE_LIST_ALL };
        json_t *leaves;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = leave_service_list(&ctx, p.filter, p.person, &o);
        r = outcome_check(m, call, id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        leaves = json_array();
        for (size_t i = 0; leaves && i < o.n_entries; i++)
                if (json_array_append_new(leaves, leave_entry_to_json(m->config, &o.entries[i])) < 0) {
                        json_decref(leaves);
                        leaves = NULL;
                }
        if (!leaves)
                return -ENOMEM;

        return api_reply(m, call, json_pack("{s:o}", "leaves", leaves));
}

int api_leave_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id", JSON_INTEGER, api_param_id, offsetof(LeaveParams, id), true },
                {}
        };
        _cleanup_(leave_outcome_done) LeaveOutcome o = {};
        LeaveServiceContext ctx = api_leave_context(m, id);
        LeaveParams p = {};
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = leave_service_show(&ctx, p.id, &o);
        r = outcome_check(m, call, id, &o, r);
        if (r != 0)
                return r < 0 ? r : 0;

        return api_reply(m, call, json_pack("{s:o, s:o, s:o, s:b}",
                                     "leave", leave_entry_to_json(m->config, &o.leave),
                                     "events", leave_events_to_json(m->config, o.events, o.n_events),
                                     "violations", leave_violations_to_json(o.violations, o.n_violations, api_language(m)),
                                     "approvable", o.allowed));
}

/* LeaveChange: the service fills the core's Refusal itself; a refusal about the leave carries its
 * violations and the leave as stored, as LeaveRequest's does. */
int api_leave_change(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id",          JSON_INTEGER, api_param_id,        offsetof(LeaveParams, id),                true },
                { "from",        JSON_STRING,  param_leave_start,   offsetof(LeaveParams, leave.start),       true },
                { "to",          JSON_STRING,  param_leave_end,     offsetof(LeaveParams, leave.end),         true },
                { "destination", JSON_STRING,  param_optional_text, offsetof(LeaveParams, leave.destination), false },
                { "reason",      JSON_STRING,  param_optional_text, offsetof(LeaveParams, reason),            false },
                {}
        };
        _cleanup_(leave_change_result_done) LeaveChangeResult res = { .refusal = REFUSAL_INIT };
        LeaveServiceContext ctx = api_leave_context(m, id);
        LeaveChangeRequest change;
        LeaveParams p = {};
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        change = (LeaveChangeRequest) {
                .start = p.leave.start,
                .end = p.leave.end,
                .destination = p.leave.destination,
                .note = p.reason,
                .language = api_language(m),
        };
        r = leave_service_change(&ctx, p.id, &change, &res);
        if (res.refusal.kind == REFUSAL_LEAVE) {
                json_t *v = leave_violations_to_json(res.violations, res.n_violations, api_language(m));
                json_t *leave = res.leave.stored.leave.person ? leave_entry_to_json(m->config, &res.leave) : json_null();
                json_t *details = v && leave ? json_pack("{s:o, s:o}", "violations", v, "leave", leave) : NULL;

                if (!details) {
                        if (!v || !leave) {
                                json_decref(v);
                                json_decref(leave);
                        }
                        return -ENOMEM;
                }
                return api_refuse(call, id, &res.refusal, details);
        }
        if (res.refusal.kind != REFUSAL_NONE)
                return api_refuse(call, id, &res.refusal, NULL);
        if (r < 0)
                return r;

        /* 外出报备: an approved leader's new itinerary goes up as "changed", same key, next version. */
        if (res.approved)
                report_leave(m, &res.leave, REPORT_CHANGED);

        return api_reply(m, call, json_pack("{s:o, s:o}",
                                     "leave", leave_entry_to_json(m->config, &res.leave),
                                     "violations", leave_violations_to_json(res.violations, res.n_violations,
                                                                      api_language(m))));
}
