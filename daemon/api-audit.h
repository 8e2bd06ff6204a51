/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The request's transaction (api-audit.c): every write runs with its audit row in one transaction,
 * writes that arrive together share one commit, and replies are held until it. Below the method
 * table and above api-json.h; it knows no handler but the one it is given to run. */

#include <stdbool.h>

#include "api-json.h"
#include "store.h"

/* A write that finds the database locked by another program (a sqlite3 shell inside a transaction,
 * a backup) is not answered yet: it waits off the event loop, tried again after
 * API_LOCK_RETRY_FIRST_USEC, then after as long as it has waited so far (so the delays double),
 * at most API_LOCK_RETRY_MAX_USEC apart, and is answered Failed once it has waited
 * API_LOCK_WAIT_USEC. Meanwhile other callers are answered at once; the caller's own later calls on
 * the same connection wait behind it. */
#define API_LOCK_WAIT_USEC        (5 * USEC_PER_SEC)
/* The longest a group of writes stays open while calls keep the loop busy (reads, which are never
 * held, can): its writes are acknowledged at most this much later than if the loop were idle. */
#define API_GROUP_COMMIT_MAX_USEC (10 * USEC_PER_MSEC)
/* How often a write that arrives while the group before it commits (in the store's commit thread)
 * looks again whether the commit is done. */
#define API_COMMIT_WAIT_USEC (250u)
#define API_LOCK_RETRY_FIRST_USEC (10 * USEC_PER_MSEC)
#define API_LOCK_RETRY_MAX_USEC   (200 * USEC_PER_MSEC)

/* Runs a mutating handler in one store transaction with its audit row: the reply leaves only after
 * the COMMIT, and becomes io.dutyd.Duty.Failed if the COMMIT fails. A refused or failed call is
 * rolled back and audited on its own. */
int api_run_audited(Manager *m, VarlinkCall *call, const Identity *id, ApiHandler handler, json_t *params);
/* After a write ran in the group's transaction: holds its reply until the group commits (its audit
 * row is rewritten as failed if the COMMIT fails). Reads are never held: they run on the store's
 * reader, which sees none of the group's writes. */
int api_group_join(Manager *m, VarlinkCall *call);
/* Debug: "N requests shared one commit." (DUTY_COMMIT_REQUESTS=N), for every commit of more than one
 * write. */
#define API_GROUP_COMMIT_MESSAGE_ID "794de67e044d492f8eddac8929f39a6e"
/* Audits a call that never ran (e.g. refused by the method table), in its own transaction. */
void api_audit_attempt(Manager *m, const Identity *id, const char *method, json_t *params, const char *result);
/* Audits a call the method table refused. A known person's refusal is one row each, as any other
 * attempt; a guest's is rate-limited (refusals.h): its first in an interval gets its row at once,
 * the rest one row per uid when the interval ends, with the count in the summary. */
void api_audit_refusal(Manager *m, const Identity *id, const char *method, json_t *params);
/* Writes the audit rows of the guests' refusals counted so far (api-audit.c): at shutdown, before
 * the store closes; a timer does it at the end of each interval. */
void api_audit_refusals_flush(Manager *m);
/* The requests sharing one commit (api-audit.c). api_group_commit() commits the open group, if any,
 * and releases its replies (0, or the COMMIT's negative errno: the writes were answered Failed);
 * api_group_on_store_open() is the store's open handler (store.h);
 * api_group_free() at shutdown rolls back what was never acknowledged. */
int api_group_commit(Manager *m);
void api_group_on_store_open(Store *s, void *userdata);
void api_group_free(Manager *m);
