/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-status.c: who dutyd is, who the caller is, and the people. */

#include "api-json.h"

int api_status(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_whoami(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_list_people(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
