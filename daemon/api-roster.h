/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-roster.c: the calendar, the roster, sensitive periods and unavailability. */

#include "api-json.h"
#include "store.h"

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
