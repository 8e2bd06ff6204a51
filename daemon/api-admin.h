/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-admin.c: reload and the audit log. */

#include "api-json.h"

int api_reload(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_audit_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_audit_verify(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
