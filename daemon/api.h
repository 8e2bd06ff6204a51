/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* One handler per io.dutyd.Duty method: Varlink parameters in, domain calls, Varlink reply out.
 * Authorization happens in one place, api_dispatch(), before any handler runs. */

#include <jansson.h>

#include "date.h"
#include "varlink.h"

typedef struct Manager Manager;
typedef struct Store Store;

/* A write that finds the database locked by another program (a sqlite3 shell inside a transaction,
 * a backup) is not answered yet: it waits off the event loop, tried again after
 * API_LOCK_RETRY_FIRST_USEC, then after as long as it has waited so far (so the delays double),
 * at most API_LOCK_RETRY_MAX_USEC apart, and is answered Failed once it has waited
 * API_LOCK_WAIT_USEC. Meanwhile other callers are answered at once; the caller's own later calls on
 * the same connection wait behind it. */
#define API_LOCK_WAIT_USEC        (5 * USEC_PER_SEC)
#define API_LOCK_RETRY_FIRST_USEC (10 * USEC_PER_MSEC)
#define API_LOCK_RETRY_MAX_USEC   (200 * USEC_PER_MSEC)

/* The methods to give to varlink_server_new() (an array owned by the caller), every one dispatched
 * through the access check; -EBADMSG with the disagreement in *ret_error when the method table and
 * idl, the interface served, do not list the same methods (dutyd then does not start). */
int api_methods(const VarlinkIdl *idl, VarlinkMethod **ret, size_t *ret_n, char **ret_error);

/* Writes the audit rows of the guests' refusals counted so far (api-audit.c): at shutdown, before
 * the store closes; a timer does it at the end of each interval. */
void api_audit_refusals_flush(Manager *m);

/* What RosterShow answers for [from, to] (person: only their slots; NULL: everybody's), into *ret
 * (a new reference): also what the calendar feeds (feed.c) render, so that they show exactly what
 * `dutyctl roster show` does. */
int api_roster_show_build(Manager *m, Day from, Day to, const char *person, json_t **ret);
/* The requests sharing one commit (api-audit.c). api_group_commit() commits the open group, if any,
 * and releases its replies (0, or the COMMIT's negative errno: the writes were answered Failed);
 * api_group_on_store_open() is the store's open handler (store.h);
 * api_group_free() at shutdown rolls back what was never acknowledged. */
int api_group_commit(Manager *m);
void api_group_on_store_open(Store *s, void *userdata);
void api_group_free(Manager *m);
/* Drops OfficesList's kept answer (api-offices.c), at shutdown. */
void api_offices_cache_free(Manager *m);
