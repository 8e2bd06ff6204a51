/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* One handler per io.dutyd.Duty method: Varlink parameters in, domain calls, Varlink reply out.
 * Authorization happens in one place, api_dispatch(), before any handler runs. */

#include "varlink.h"

typedef struct Manager Manager;

/* The method table to give to varlink_server_new(); every entry dispatches through the access
 * check. */
const VarlinkMethod *api_methods(size_t *ret_n);

/* Writes the audit rows of the guests' refusals counted so far (api-audit.c): at shutdown, before
 * the store closes; a timer does it at the end of each interval. */
void api_audit_refusals_flush(Manager *m);
