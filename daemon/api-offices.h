/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-offices.c: the aggregator's view of its offices. */

#include "api-json.h"

int api_offices_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_office_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_offices_on_duty(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
/* Makes OfficesList's answer for the current notice ahead, when what it shows changed (after the
 * aggregator's turn took entries): the next `dutyctl offices` is answered from it. */
void api_offices_cache_warm(Manager *m);
