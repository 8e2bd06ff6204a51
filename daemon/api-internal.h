/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by the api*.c files: the handler signature, the JSON helpers of api-json.c and the
 * handlers api.c's method table lists. Handlers turn Varlink parameters into domain calls and
 * domain results into replies; they do not speak SQL and hold no logic of their own. */

#include <jansson.h>
#include <stddef.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "date.h"
#include "i18n.h"
#include "leave-service.h"
#include "context.h"
#include "refusal.h"
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

/* The language of the sentences of the call being answered, "en" or else Chinese: the caller's when
 * it sent one (api_dispatch() gives m->config the caller's language for the call), else the
 * configured one. The journal keeps the configured one (manager_journal_language()). */
static inline const char *api_language(const Manager *m) {
        return m->config->language;
}
static inline bool api_language_en(const Manager *m) {
        return language_is_en(api_language(m));
}

/* Sends params (taking it) as the call's reply: -ENOMEM for NULL (a reply that could not be built is
 * a failure, not an empty answer), Failed saying so for one longer than a message may be. */
int api_reply(Manager *m, VarlinkCall *call, json_t *params);
/* The errors several handlers answer, each built in one place: NotFound (what, id, message),
 * PermissionDenied (the call's method, id's access level, reason and message, each omitted when
 * NULL) and Failed (message). */
int api_error_not_found(VarlinkCall *call, const char *what, const char *id, const char *message);
int api_error_permission(VarlinkCall *call, const Identity *id, const char *reason, const char *message);
int api_error_failed(VarlinkCall *call, const char *message);
/* The clerk's words for a change that could not be saved (error: the store's negative errno). */
const char *api_failed_message(const Manager *m, int error);

/* The one answer of every refused call: the Varlink error r names (RuleViolation, CalendarUnknown,
 * NotFound, PermissionDenied for id, Failed, LeaveRefused, SwapRefused, HandoverRefused,
 * LogRefused) with its members; details (taken; may be NULL) holds what only the api can add
 * (LeaveRefused's "violations" and "leave"). -EINVAL for REFUSAL_NONE. */
int api_refuse(VarlinkCall *call, const Identity *id, const Refusal *r, json_t *details);
/* api_refuse() of a refusal made on the spot: kind, rule (or reason), day (DAY_NONE) and the
 * sentence in the call's language. */
int api_refuse_with(VarlinkCall *call, const Identity *id, RefusalKind kind, const char *rule, Day day,
                    const char *message);
/* api_refuse() of NotFound: what, the identifier given (ident) and the sentence. */
int api_refuse_not_found(VarlinkCall *call, const char *what, const char *ident, const char *message);

json_t *json_string_or_null(const char *s);
/* "YYYY-MM-DD", or null for DAY_NONE. */
json_t *day_to_json(Day d);
/* Points in time in replies, RFC 3339 with the office's offset (date.h's timestamp_format()): of a
 * wall-clock instant (microseconds since the epoch; null for 0) and of a local date and time of
 * the office (minutes 0..1440, 1440 being the next day's midnight). The *_format() forms return 0
 * or -EINVAL. */
int instant_format(uint64_t usec, char buf[static TIMESTAMP_STRING_MAX]);
json_t *instant_to_json(uint64_t usec);
int local_time_format(Day d, int minutes, char buf[static TIMESTAMP_STRING_MAX]);
json_t *local_time_to_json(Day d, int minutes);
/* A point in time given as RFC 3339 (any offset, or Z), as the office's local day and minute (the
 * seconds dropped). 0, or -EINVAL when s is not RFC 3339. */
int timestamp_to_local(const char *s, Day *ret_day, int *ret_minutes);
/* local_moment_parse() (YYYY-MM-DD, YYYY-MM-DDTHH:MM) that takes RFC 3339 too. */
int local_moment_or_timestamp_parse(const char *s, Day *ret_day, int *ret_minutes);
/* The Person type of the interface. */
json_t *person_to_json(const Person *p);

/* ---- api-json.c: parameters ----
 *
 * Each handler describes its parameters in a table (as sd_json_dispatch() does) and fills a struct of
 * its own from it with api_params_dispatch(), which answers InvalidParameter naming the first field
 * that is missing (required) or whose value the parser refuses. Checks that span fields (a range's
 * length) or answer another error stay in the handler. */

/* Stores the value of v at ret: 0, or a negative errno (-ENOMEM aside, the value is refused). */
typedef int (*ApiParamParser)(Manager *m, json_t *v, void *ret);

typedef struct ApiParam {
        const char *name;
        json_type type;             /* JSON_STRING, JSON_INTEGER; JSON_TRUE: a boolean */
        ApiParamParser parser;
        size_t offset;              /* of the field within the handler's struct */
        bool required;              /* absent or null is refused; else the field keeps its value */
} ApiParam;

/* Fills ret from params by table (ended by an entry without a name), in its order. 0; 1 when the
 * reply was sent (InvalidParameter naming the field); a negative errno. Handlers write
 * `if (r != 0) return r < 0 ? r : 0;`. */
int api_params_dispatch(Manager *m, VarlinkCall *call, json_t *params, const ApiParam *table, void *ret);
/* const char *: the string. */
int api_param_string(Manager *m, json_t *v, void *ret);
/* const char *: a string that is not empty. */
int api_param_nonempty(Manager *m, json_t *v, void *ret);
/* bool. */
int api_param_bool(Manager *m, json_t *v, void *ret);
/* int64_t: any integer. */
int api_param_int64(Manager *m, json_t *v, void *ret);
/* int64_t: a record number, > 0. */
int api_param_id(Manager *m, json_t *v, void *ret);
/* Day: YYYY-MM-DD. */
int api_param_day(Manager *m, json_t *v, void *ret);

/* ---- api-audit.c: the audit log of mutating calls ---- */

/* Runs a mutating handler in one store transaction with its audit row: the reply leaves only after
 * the COMMIT, and becomes io.dutyd.Duty.Failed if the COMMIT fails. A refused or failed call is
 * rolled back and audited on its own. */
int api_run_audited(Manager *m, VarlinkCall *call, const Identity *id, ApiHandler handler, json_t *params);
/* After a call ran while a group's transaction is open (it read what the group wrote, or wrote it):
 * holds its reply until the group commits. writes: it was a write (its audit row is rewritten as
 * failed if the COMMIT fails). */
int api_group_join(Manager *m, VarlinkCall *call, bool writes);
/* Debug: "N requests shared one commit." (DUTY_COMMIT_REQUESTS=N), for every commit of more than one
 * write. */
#define API_GROUP_COMMIT_MESSAGE_ID "794de67e044d492f8eddac8929f39a6e"
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

/* ---- api-offices.c: the aggregator's view of its offices ---- */

int api_offices_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_office_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_offices_on_duty(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

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
int api_leave_change(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-handover.c: takeovers (接班) and handovers (交班) ---- */

int api_handover_take(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_handover_give(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_handover_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* The Handover records of duty day d (array of the interface's Handover), or NULL. */
json_t *api_handovers_to_json(Manager *m, Day d);

/* ---- api-swap.c: swaps (换班) and substitutions (代班) ---- */

int api_swap_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cover(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_accept(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_decline(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* ---- api-check.c: spot checks (查岗) ---- */

int api_check_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_check_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_ack(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);

/* api-notify.c */
int api_notify_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_notify_retry(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_notify_test(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* ---- api-dutylog.c: the duty log (值班记录) ---- */

int api_log_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_close(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* The open items (待办) written in duty day d or before and still open, as LogEntry objects: what
 * the handover replies carry. NULL on failure. */
json_t *api_log_open_items_to_json(Manager *m, Day d);
int api_daily_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_daily_report_send(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
