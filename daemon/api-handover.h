/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-handover.c: takeovers (接班) and handovers (交班). */

#include "api-json.h"

int api_handover_take(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_handover_give(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_handover_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* The Handover records of duty day d (array of the interface's Handover), or NULL. */
json_t *api_handovers_to_json(Manager *m, Day d);
