/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-swap.c: swaps (换班) and substitutions (代班). */

#include "api-json.h"

int api_swap_request(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cover(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_accept(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_decline(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_approve(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_swap_cancel(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
