/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The blocking Varlink client: dutyctl's, the tests' and the benchmarks' end of the socket. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"
#include "varlink-protocol.h"

#define VARLINK_CLIENT_TIMEOUT_MSEC 30000

typedef struct VarlinkClient VarlinkClient;

/* Returns -ENOENT, -EACCES, -ECONNREFUSED, … as connect(2) reported. */
int varlink_client_connect(const char *path, VarlinkClient **ret);
VarlinkClient *varlink_client_free(VarlinkClient *c);
DEFINE_POINTER_CLEANUP(VarlinkClient, varlink_client_free)
/* Sends {"method":method,"parameters":params} (params borrowed, NULL = none) and waits for the
 * reply. On a reply: returns 0, *ret_parameters (new reference, {} if absent) and *ret_error NULL;
 * on a Varlink error: returns 0, *ret_error set (a string owned by *ret_parameters' sibling storage
 * — valid until the next call) and *ret_parameters the error parameters. Negative errno on I/O. */
int varlink_client_call(VarlinkClient *c, const char *method, json_t *params,
                        json_t **ret_parameters, const char **ret_error);
/* For "more" calls: first send with flags, then read replies one by one until *ret_continues is false. */
int varlink_client_call_more(VarlinkClient *c, const char *method, json_t *params);
int varlink_client_read_reply(VarlinkClient *c, json_t **ret_parameters, const char **ret_error, bool *ret_continues);
/* Raw access for tests: send bytes as-is. */
int varlink_client_send_raw(VarlinkClient *c, const void *data, size_t n);
int varlink_client_fd(const VarlinkClient *c);
/* Overrides VARLINK_CLIENT_TIMEOUT_MSEC for each later send and reply. */
void varlink_client_set_timeout(VarlinkClient *c, int msec);
/* Sends language (copied; NULL or "" for none) as the "language" member of every later call, so
 * that the server answers in it (see varlink_call_language()). */
int varlink_client_set_language(VarlinkClient *c, const char *language);

/* One non-blocking recv() from fd into the framer f, for the server and the bench's echo server:
 * 1 when bytes came; 0 when none came, because none are waiting (or a signal came first: either
 * way the caller waits for the next EPOLLIN) or because the stream ended, which sets *ret_eof to
 * true (it is left as it is otherwise, so that it may be the caller's lasting flag); a negative
 * errno on failure. */
int varlink_framer_recv(VarlinkFramer *f, int fd, bool *ret_eof);
