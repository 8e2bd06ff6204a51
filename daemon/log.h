/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Logging for the edges (the core never logs). Lines go to stderr with a syslog priority prefix,
 * which journald understands (SyslogLevelPrefix=yes is the default for services). Debug lines only
 * appear when $DUTYD_DEBUG is set, read at each call so no state is kept. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "util.h"

#define log_full(prefix, fmt, ...) \
        (fprintf(stderr, prefix fmt "\n", ##__VA_ARGS__))

#define log_error(fmt, ...)   log_full(SD_ERR, fmt, ##__VA_ARGS__)
#define log_warning(fmt, ...) log_full(SD_WARNING, fmt, ##__VA_ARGS__)
#define log_notice(fmt, ...)  log_full(SD_NOTICE, fmt, ##__VA_ARGS__)
#define log_info(fmt, ...)    log_full(SD_INFO, fmt, ##__VA_ARGS__)
#define log_debug(fmt, ...)                                             \
        do {                                                            \
                if (getenv("DUTYD_DEBUG"))                              \
                        log_full(SD_DEBUG, fmt, ##__VA_ARGS__);         \
        } while (0)

/* Logs and returns the (negative) error, for `return log_error_errno(r, "…: %m")` style. */
#define log_error_errno(r, fmt, ...)                                    \
        ({                                                              \
                int _e_ = (r) < 0 ? -(r) : (r);                         \
                errno = _e_;                                            \
                log_error(fmt, ##__VA_ARGS__);                          \
                -_e_;                                                   \
        })

/* A journal entry of its own with MESSAGE_ID (32 hex digits; packaging/dutyd.catalog explains it)
 * and the extra "FIELD=value" strings of `fields` (NULL-terminated, at most LOG_STRUCT_FIELDS_MAX),
 * sent to journald directly; the message is also printed to stderr unless stderr is the journal
 * already ($JOURNAL_STREAM), so a service's log holds it once. */
#define LOG_STRUCT_FIELDS_MAX 16
/* office: the office id (Config.office_id), written as DUTY_OFFICE so that the superior office
 * knows whose entry it is, or NULL when the office has none. */
int log_struct_entry(int priority, const char *message_id, const char *office, const char *const *fields,
                     const char *message);

/* Journal entries that tell of a change a request makes, held until its transaction ends: sent
 * if it committed, dropped if it rolled back, so that the journal never tells of a change the
 * store does not hold. The entries of one request are bounded by what the request may change. */
typedef struct LogPending {
        int priority;
        char message_id[33];
        char **fields;          /* NULL-terminated */
        char *message;
} LogPending;

typedef struct LogQueue {
        LogPending *items;
        size_t n;
} LogQueue;

/* Copies one entry (as log_struct_entry() takes it) into the queue. */
int log_queue_add(LogQueue *q, int priority, const char *message_id, const char *const *fields, const char *message);
/* Sends every queued entry when `send` (with DUTY_OFFICE=office unless NULL), then empties the
 * queue either way. */
void log_queue_flush(LogQueue *q, bool send, const char *office);
void log_queue_done(LogQueue *q);
/* Drops the entries queued after the first n (a request undone alone, within a group that commits). */
void log_queue_truncate(LogQueue *q, size_t n);
