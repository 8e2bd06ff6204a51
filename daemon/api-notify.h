/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-notify.c: the notification outbox. */

#include "api-json.h"

int api_notify_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_notify_retry(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
int api_notify_test(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
