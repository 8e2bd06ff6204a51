/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method handlers of api-gaps.c: the gap monitor's view. */

#include "api-json.h"

int api_gaps(Manager *m, VarlinkCall *call, const Identity *id, json_t *params);
