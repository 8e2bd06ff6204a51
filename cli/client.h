/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* dutyctl's side of the io.dutyd.Duty interface: connecting and calling, with the failures
 * explained to the user once, here. */

#include <jansson.h>
#include <stdio.h>

#include "varlink.h"

#define CLIENT_INTERFACE "io.dutyd.Duty"

/* dutyctl's exit statuses. */
#define CLIENT_EXIT_OK            0
#define CLIENT_EXIT_DAEMON_ERROR  1     /* the daemon answered with an error, or the exchange failed */
#define CLIENT_EXIT_USAGE         2
#define CLIENT_EXIT_NO_CONNECTION 3

/* Connects to the socket at path. On failure prints why to stderr and returns -ENOTCONN. */
int client_connect(const char *path, VarlinkClient **ret);
/* Calls CLIENT_INTERFACE "." method with params (borrowed, NULL for none). On a reply returns 0 and
 * *ret_reply (a new reference). On a Varlink error prints "dutyctl: <error>: <explanation>" to
 * stderr and returns -EREMOTEIO; on a broken exchange prints why and returns its negative errno. */
int client_call(VarlinkClient *c, const char *method, json_t *params, json_t **ret_reply);
/* The explanation of a Varlink error for humans (owned by the caller). */
char *client_error_explain(const char *error, json_t *parameters);
/* The violations of a leave (the interface's Violation), one per line after indent: a mark for the
 * severity (✗ block, ↑ escalate, ! warning), the rule id in brackets, and the sentence. */
int client_format_violations(FILE *f, json_t *violations, const char *indent);
/* Maps a verb's result (0 or a negative errno from the functions above) to an exit status; a verb
 * returns -EINVAL for a usage error it has explained (a bad date, a missing option). */
int client_exit_status(int r);
