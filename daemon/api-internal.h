/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the api*.c files: the handler signature, the JSON helpers of api-json.c and the
 * handlers api.c's method table lists. Handlers turn Varlink parameters into domain calls and
 * domain results into replies; they do not speak SQL and hold no logic of their own. */

#include <jansson.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "date.h"
#include "leave-service.h"
#include "manager.h"
#include "varlink.h"

typedef int (*ApiHandler)(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-methods.c: the method table ---- */

/* One method of io.dutyd.Duty. */
typedef struct ApiMethod {
        const char *name;           /* bare name, DUTY_METHOD_* */
        ApiHandler handler;
        Access access;              /* the least level that may call it */
        bool writes;                /* audited, in one transaction with its audit row */
        /* What it does, in the refusal of a caller whose level is too low: required for methods
         * members may not call, so that the refusal never names the method. */
        const char *action_zh, *action_en;
        /* Runs on the configured language whatever the caller's (Reload: its problems are the
         * configuration file's text). */
        bool configured_language;
} ApiMethod;

/* The table dutyd serves. */
const ApiMethod *api_method_table_get(size_t *ret_n);
/* The row of name in table, or NULL. */
const ApiMethod *api_method_find(const ApiMethod *table, size_t n, const char *name);
/* 0 when every method of idl has one row in table and every row a method of idl, with a handler, an
 * access level and (for the methods members may not call) its words; else -EBADMSG with the first
 * disagreement in *ret_error (owned by the caller; may be NULL). -ENOMEM without memory. */
int api_methods_check(const VarlinkIdl *idl, const ApiMethod *table, size_t n, char **ret_error);
bool api_method_allowed(const ApiMethod *method, const Identity *id);
/* Pure: the sentence refusing method to id, in lang ("en", else Chinese), saying what would make it
 * work: for a guest, the uid and user name and the line the administrator adds to the
 * configuration; otherwise who may call it and what the method does. Owned by the caller; NULL
 * without memory. */
char *api_refusal_message(const Identity *id, const ApiMethod *method, const char *lang);

/* ---- api.c ---- */

/* The Varlink method function of every method: identity, access, language, then the handler. */
int api_dispatch(VarlinkCall *call, json_t *params, void *userdata);
int api_status(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_whoami(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_list_people(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-json.c ---- */

json_t *json_string_or_null(const char *s);
/* "YYYY-MM-DD", or null for DAY_NONE. */
json_t *day_to_json(Day d);
/* The Person type of the interface. */
json_t *person_to_json(const Person *p);

/* ---- api-audit.c: the audit log of mutating calls ---- */

/* Runs a mutating handler in one store transaction with its audit row: the reply leaves only after
 * the COMMIT, and becomes io.dutyd.Duty.Failed if the COMMIT fails. A refused or failed call is
 * rolled back and audited on its own. */
int api_run_audited(Manager *m, VarlinkCall *call, const Identity *id, ApiHandler handler, json_t *params);
/* Audits a call that never ran (e.g. refused by the method table), in its own transaction. */
void api_audit_attempt(Manager *m, const Identity *id, const char *method, json_t *params, const char *result);
/* Audits a call the method table refused. A known person's refusal is one row each, as any other
 * attempt; a guest's is rate-limited (refusals.h): its first in an interval gets its row at once,
 * the rest one row per uid when the interval ends, with the count in the summary. */
void api_audit_refusal(Manager *m, const Identity *id, const char *method, json_t *params);

/* ---- api-admin.c: reload and the audit log ---- */

int api_reload(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_audit_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_audit_verify(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-roster.c: the calendar, the roster, sensitive periods and unavailability ---- */

int api_calendar(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_who(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_generate(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_holiday(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_assign(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_unassign(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_publish(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_diff(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_stats(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_roster_amendments(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* Takes the amendments a call recorded (*a and *n are left empty): one journal entry each
 * (DUTY_MESSAGE_ID_AMENDMENT), sent when the call's transaction commits (api_run_audited()). */
void api_amendments_defer(Manager *m, StoreAmendment **a, size_t *n);
int api_sensitive_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_sensitive_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_sensitive_remove(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_unavailable_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_unavailable_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_unavailable_remove(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-gaps.c: the gap monitor's view ---- */

int api_gaps(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-leave.c: leave (请假/销假) ---- */

/* The interface's Leave, Violation (messages in lang) and LeaveEvent, from leave-service.c's
 * results. */
json_t *leave_entry_to_json(const Config *c, const LeaveEntry *e);
json_t *leave_violations_to_json(const RulesViolation *v, size_t n, const char *lang);
json_t *leave_events_to_json(const Config *c, const StoreLeaveEvent *e, size_t n);

int api_leave_check(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_reject(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_return(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_paperwork(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_leave_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-swap.c: swaps (换班) and substitutions (代班) ---- */

int api_swap_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cover(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_accept(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_decline(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
