/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* dutyctl's side of the io.dutyd.Duty interface: connecting and calling, with the failures
 * explained to the user once, here. */

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "duty-names.h"
#include "util.h"
#include "varlink-client.h"

/* Whether s is one of the strings listed. */
static inline bool str_in_set(const char *s, const char *const *set) {
        for (; *set; set++)
                if (streq(s, *set))
                        return true;
        return false;
}
#define STR_IN_SET(s, ...) str_in_set((s), (const char *const[]) { __VA_ARGS__, NULL })

/* dutyctl's exit statuses. */
#define CLIENT_EXIT_OK            0
#define CLIENT_EXIT_DAEMON_ERROR  1     /* the daemon answered with an error, or the exchange failed */
#define CLIENT_EXIT_USAGE         2
#define CLIENT_EXIT_NO_CONNECTION 3

/* How failures are reported. By default as "dutyctl: <explanation>" on stderr, in the user's words:
 * the Varlink method and error names only appear with CLIENT_VERBOSE. With CLIENT_JSON they are
 * printed on stdout as one JSON object instead (see client_print_error_json()). The exit status is
 * the same either way. */
typedef enum ClientFlags {
        CLIENT_VERBOSE = 1 << 0,
        CLIENT_JSON    = 1 << 1,
} ClientFlags;

/* Connects to the socket at path, asking the daemon to answer in the language of the environment's
 * locale (i18n_language_from_environment()). On failure reports why and returns -ENOTCONN. */
int client_connect(const char *path, ClientFlags flags, VarlinkClient **ret);
/* Calls DUTY_INTERFACE "." method with params (borrowed, NULL for none). On a reply returns 0 and
 * *ret_reply (a new reference). On a Varlink error reports the explanation and returns -EREMOTEIO;
 * on a broken exchange reports why and returns its negative errno. */
int client_call(VarlinkClient *c, const char *method, json_t *params, ClientFlags flags, json_t **ret_reply);
/* Reports a failure that is not a Varlink error (no connection, a broken exchange) as flags say;
 * full_method may be NULL. */
void client_report_failure(ClientFlags flags, const char *full_method, const char *failure);
/* An error as --json prints it: {"error": name (null for a failure of the exchange), "method": the
 * full method name, "parameters": the error's parameters, "rules": the rule ids they name (the
 * refusal's "rule" and every violation's), "message": the explanation dutyctl prints}. */
int client_print_error_json(FILE *f, const char *full_method, const char *error, json_t *parameters,
                            const char *message);
/* The explanation of a Varlink error for humans (owned by the caller): what went wrong and what
 * would make it work, without the error's name. method (bare, may be NULL) words the refusal of a
 * parameter in terms of the command line. */
char *client_error_explain_call(const char *method, const char *error, json_t *parameters);
char *client_error_explain(const char *error, json_t *parameters);
/* The violations of a leave (the interface's Violation), one per line after indent: a mark for the
 * severity (✗ block, ↑ escalate, ! warning), the rule id in brackets, and the sentence. */
int client_format_violations(FILE *f, json_t *violations, const char *indent);
/* Maps a verb's result (0 or a negative errno from the functions above) to an exit status; a verb
 * returns -EINVAL for a usage error it has explained (a bad date, a missing option). */
int client_exit_status(int r);
