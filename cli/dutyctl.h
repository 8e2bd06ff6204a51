/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by dutyctl's verb files: the context every verb handler gets as userdata, the calling and
 * printing helpers of call.c, and the handlers the verb table in dutyctl.c lists. A verb handler
 * returns 0, -EINVAL for a usage error it explained, or another negative errno. */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "client.h"
#include "date.h"
#include "verbs.h"

#define INT_STRING_MAX 24

typedef struct Context {
        const char *socket_path;
        bool json;
        bool verbose;   /* failures name the Varlink method and error */
} Context;

/* How client.c reports failures for this context (--json, --verbose). */
ClientFlags context_client_flags(const Context *ctx);

/* A string member, or "-" when missing or empty. */
const char *json_str(json_t *object, const char *key);
/* An integer member formatted into buf, or "-". */
const char *json_int_str(json_t *object, const char *key, char buf[static INT_STRING_MAX]);

/* Connects and calls method with params (borrowed, NULL for none): 0 and *ret_reply (a new
 * reference), or a negative errno with the failure already explained on stderr. */
int call_method(const Context *ctx, const char *method, json_t *params, json_t **ret_reply);
/* Connects, calls method with params (borrowed, NULL for none), and prints the reply as JSON
 * (--json) or through print(). Returns 0 or a negative errno (the failure already explained). */
int call_and_print(const Context *ctx, const char *method, json_t *params,
                   int (*print)(FILE *f, json_t *reply));

/* The date of the duty day under way by the daemon's clock (a Who call): 0, or a negative errno
 * with the failure reported. */
int call_today(const Context *ctx, Day *ret);
/* "today", "tomorrow", "yesterday", "+N" or "-N" (days, N at most RELATIVE_DAYS_MAX) from today:
 * 0 and *ret; -ENOENT when s is none of these forms, -EINVAL for a bad N. */
#define RELATIVE_DAYS_MAX 1100
int parse_relative_day(const char *s, Day today, Day *ret);

/* Verb handler of verbs-me.c: the caller's own duties, leave and swaps, and what waits for them. */
int verb_me(const VerbArgs *args, void *userdata);
extern const VerbOption me_options[1];

/* Verb handlers of verbs-roster.c: the calendar, the roster and the records it depends on. */
int verb_calendar(const VerbArgs *args, void *userdata);
int verb_who(const VerbArgs *args, void *userdata);
int verb_roster_generate(const VerbArgs *args, void *userdata);
int verb_roster_holiday(const VerbArgs *args, void *userdata);
int verb_roster_assign(const VerbArgs *args, void *userdata);
int verb_roster_unassign(const VerbArgs *args, void *userdata);
int verb_roster_publish(const VerbArgs *args, void *userdata);
int verb_roster_diff(const VerbArgs *args, void *userdata);
int verb_roster_stats(const VerbArgs *args, void *userdata);
int verb_roster_amendments(const VerbArgs *args, void *userdata);
int verb_sensitive_add(const VerbArgs *args, void *userdata);
int verb_sensitive_list(const VerbArgs *args, void *userdata);
int verb_sensitive_remove(const VerbArgs *args, void *userdata);
int verb_unavailable_add(const VerbArgs *args, void *userdata);
int verb_unavailable_list(const VerbArgs *args, void *userdata);
int verb_unavailable_remove(const VerbArgs *args, void *userdata);

/* Their option tables, sized so that the verb table in dutyctl.c can count them. */
extern const VerbOption calendar_options[3];
extern const VerbOption roster_generate_options[7];
extern const VerbOption roster_holiday_options[5];
extern const VerbOption roster_assign_options[3];
extern const VerbOption roster_unassign_options[2];
extern const VerbOption roster_amendments_options[2];
extern const VerbOption roster_publish_options[2];
extern const VerbOption roster_stats_options[1];
extern const VerbOption sensitive_add_options[4];
extern const VerbOption unavailable_add_options[3];
extern const VerbOption unavailable_list_options[1];

/* Verb handlers of verbs-admin.c: reloading the configuration and the audit log. */
int verb_reload(const VerbArgs *args, void *userdata);
int verb_audit(const VerbArgs *args, void *userdata);
extern const VerbOption audit_options[4];

/* Verb handlers of verbs-leave.c: leave (请假/销假). */
int verb_leave_check(const VerbArgs *args, void *userdata);
int verb_leave_request(const VerbArgs *args, void *userdata);
int verb_leave_approve(const VerbArgs *args, void *userdata);
int verb_leave_reject(const VerbArgs *args, void *userdata);
int verb_leave_cancel(const VerbArgs *args, void *userdata);
int verb_leave_return(const VerbArgs *args, void *userdata);
int verb_leave_paperwork(const VerbArgs *args, void *userdata);
int verb_leave_list(const VerbArgs *args, void *userdata);
int verb_leave_show(const VerbArgs *args, void *userdata);
extern const VerbOption leave_request_options[11];
extern const VerbOption leave_decide_options[2];
extern const VerbOption leave_return_options[1];
extern const VerbOption leave_list_options[4];

/* Verb handlers of verbs-swap.c: swaps (换班) and substitutions (代班). */
int verb_swap_request(const VerbArgs *args, void *userdata);
int verb_swap_cover(const VerbArgs *args, void *userdata);
int verb_swap_list(const VerbArgs *args, void *userdata);
int verb_swap_show(const VerbArgs *args, void *userdata);
int verb_swap_accept(const VerbArgs *args, void *userdata);
int verb_swap_decline(const VerbArgs *args, void *userdata);
int verb_swap_approve(const VerbArgs *args, void *userdata);
int verb_swap_cancel(const VerbArgs *args, void *userdata);
extern const VerbOption swap_request_options[4];
extern const VerbOption swap_cover_options[3];
extern const VerbOption swap_list_options[2];
extern const VerbOption swap_note_options[1];

/* Verb handler of verbs-gaps.c: the gaps in the duty coverage. */
int verb_gaps(const VerbArgs *args, void *userdata);
extern const VerbOption gaps_options[2];
