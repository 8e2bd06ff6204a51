/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-leave.c: leave (请假/销假). */

#include "api-json.h"
#include "leave-service.h"

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
