/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The roster as the interface writes it (roster-reply.c): what the roster's handlers answer
 * with, and what the calendar feeds (feed.c) render, so that they show exactly what `dutyctl
 * roster show` does. */

#include "api-json.h"
#include "calendar.h"
#include "store.h"

/* The interface's CalendarDay of d. */
json_t *roster_reply_day_to_json(const Calendar *cal, Day d);
/* The interface's Assignment of a stored slot, its empty slot's reason in the configured language. */
json_t *roster_reply_assignment_to_json(const Config *c, const StoreAssignment *a);
/* What RosterShow answers for [from, to] (person: only their slots; NULL: everybody's), into *ret
 * (a new reference). */
int roster_reply_show(Manager *m, Day from, Day to, const char *person, json_t **ret);
