/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Shared by dutyctl's verb files: the context every verb handler gets as userdata, the calling,
 * argument and printing helpers, and the verb families the table of dutyctl.c joins. A verb handler
 * returns 0, -EINVAL for a usage error it explained, or another negative errno. */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "client.h"
#include "date.h"
#include "i18n.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

#define INT_STRING_MAX 24
#define UPTIME_STRING_MAX 64

typedef struct Context {
        const char *socket_path;
        bool json;
        bool verbose;   /* failures name the Varlink method and error */
} Context;

/* How client.c reports failures for this context (--json, --verbose). */
ClientFlags context_client_flags(const Context *ctx);

/* ---- call.c: calling dutyd ---- */

/* Connects and calls method with params (borrowed, NULL for none): 0 and *ret_reply (a new
 * reference), or a negative errno with the failure already explained on stderr. */
int call_method(const Context *ctx, const char *method, json_t *params, json_t **ret_reply);
/* Connects, calls method with params (borrowed, NULL for none), and prints the reply as JSON
 * (--json) or through print(). Returns 0 or a negative errno (the failure already explained). */
int call_and_print(const Context *ctx, const char *method, json_t *params, VerbPrint print);

/* The generic handler: the parameters from the row's argument shape, the row's method, the reply
 * through the row's printer (or as JSON). */
int verb_call(const VerbArgs *args, void *userdata);
/* The same with parameters a family's handler built (borrowed, NULL for none). With ret_reply,
 * the reply is handed back (a new reference), for the handler to draw its exit status from. */
int verb_call_params(const VerbArgs *args, const Context *ctx, json_t *params, json_t **ret_reply);

/* The date of the duty day under way by the daemon's clock (a Who call): 0, or a negative errno
 * with the failure reported. */
int call_today(const Context *ctx, Day *ret);
/* "today", "tomorrow", "yesterday", "+N" or "-N" (days, N at most RELATIVE_DAYS_MAX) from today:
 * 0 and *ret; -ENOENT when s is none of these forms, -EINVAL for a bad N. */
#define RELATIVE_DAYS_MAX 1100
int parse_relative_day(const char *s, Day today, Day *ret);

/* ---- args.c: arguments, checked before anything is sent ---- */

/* Explains a usage error on stderr ("dutyctl: …") and returns -EINVAL. */
int verb_usage(const char *format, ...) _printf_(1, 2);
/* An integer from min to max, in decimal, with nothing around it: 0 and *ret, or -EINVAL. */
int parse_integer(const char *s, long long min, long long max, long long *ret);
/* A count from 1 to max as strtol reads it (leading blanks and a sign allowed): 0 and *ret, or
 * -EINVAL. */
int parse_count(const char *s, long max, long *ret);
/* Sets key to the string value; nothing when value is NULL. 0 or -ENOMEM. */
int params_set_string(json_t *params, const char *key, const char *value);
/* The parameters of the row's argument shape (NULL for a row without any): 0, -EINVAL for a usage
 * error explained, or -ENOMEM. */
int verb_params_build(const VerbArgs *args, json_t **ret);

/* ---- print.c: what the printers share ---- */

/* A string member, or "-" when missing or empty. */
const char *json_str(json_t *object, const char *key);
/* json_str() of a point in time, through moment_text(). */
const char *json_moment(json_t *object, const char *key, MomentForm form, char buf[static MOMENT_STRING_MAX]);
/* An integer member formatted into buf, or "-". */
const char *json_int_str(json_t *object, const char *key, char buf[static INT_STRING_MAX]);
/* The string members of a JSON array, each through label(), joined by sep; "-" for none. */
char *json_strv_join(json_t *array, const char *sep, const char *(*label)(const char *));
/* "name (id)" from two members of object, or "-" without an id. NULL on ENOMEM. */
char *person_text(json_t *object, const char *id_key, const char *name_key);
/* A two-column table's row "key: name (id)" of person_text(). */
int table_add_person(Table *t, const char *key, json_t *object, const char *id_key, const char *name_key);
/* "1d 2h 3min", "1h 0min", "1min 1s", "0s"; "-" for a negative count. */
char *format_uptime(int64_t sec, char buf[static UPTIME_STRING_MAX]);
/* "Done." */
int print_done(FILE *f, json_t *reply, void *userdata);

/* ---- The verb families, in the order dutyctl --help lists them ---- */

extern const VerbFamily office_family;          /* verbs-office.c: status, whoami, people */
extern const VerbFamily roster_family;          /* verbs-roster.c: calendar, who, roster … */
extern const VerbFamily sensitive_family;       /* verbs-sensitive.c: sensitive periods */
extern const VerbFamily unavailable_family;     /* verbs-unavailable.c: declared unavailability */
extern const VerbFamily roster_show_family;     /* verbs-show.c: roster show and its exports */
extern const VerbFamily admin_family;           /* verbs-admin.c: reload, audit */
extern const VerbFamily leave_family;           /* verbs-leave.c: leave (请假/销假) */
extern const VerbFamily swap_family;            /* verbs-swap.c: swaps (换班) and substitutions (代班) */
extern const VerbFamily handover_family;        /* verbs-handover.c: take over, hand over */
/* A table of Handover records (verbs-handover.c). */
int print_handovers(FILE *f, json_t *handovers);
/* Log entries as a table; the open items of days other than date say since when (verbs-log.c). */
int print_log_entries(FILE *f, json_t *entries, const char *date);
extern const VerbFamily offices_family;         /* verbs-offices.c: the offices reporting to an aggregator */
extern const VerbFamily gaps_family;            /* verbs-gaps.c: gaps in the duty coverage */
extern const VerbFamily check_family;           /* verbs-check.c: spot checks (查岗) */
extern const VerbFamily notify_family;          /* verbs-notify.c: the notification outbox */
extern const VerbFamily ack_family;             /* verbs-check.c: confirming a presence check */
extern const VerbFamily log_family;             /* verbs-log.c: the duty log (值班记录) */
extern const VerbFamily me_family;              /* verbs-me.c: the caller's own view */

/* Printers the unit tests reach. */
int print_people(FILE *f, json_t *reply, void *userdata);
