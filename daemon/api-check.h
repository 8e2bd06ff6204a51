/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-check.c: spot checks (查岗). */

#include "api-json.h"

int api_check_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_check_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_ack(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
