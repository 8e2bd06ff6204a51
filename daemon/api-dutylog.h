/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-dutylog.c: the duty log (值班记录) and the daily report. */

#include "api-json.h"

int api_log_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_close(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_log_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* The open items (待办) written in duty day d or before and still open, as LogEntry objects: what
 * the handover replies carry. NULL on failure. */
json_t *api_log_open_items_to_json(Manager *m, Day d);
int api_daily_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_daily_report_send(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
