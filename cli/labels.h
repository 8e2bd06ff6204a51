/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The words dutyctl shows for the daemon's machine values (day types, states, kinds, roles…), in
 * the user's language. The daemon sends the values themselves ("makeup_workday", "pending"), which
 * is what --json prints; a value this dutyctl does not know is shown as it came, or "-" if none. */

#include "date.h"

const char *label_weekday(Day d);
/* "-" unless date is a date YYYY-MM-DD. */
const char *label_weekday_of(const char *date);
const char *label_day_type(const char *type);
/* Fairness categories of roster stats: workday, weekend, holiday, special. */
const char *label_category(const char *category);
const char *label_role(const char *role);
const char *label_check_target(const char *target);
const char *label_check_how(const char *how);
const char *label_presence_state(const char *state);
const char *label_access(const char *access);
/* How an assignment came to be (generated ones have no remark): manual, swap, substitution. */
const char *label_source(const char *source);
const char *label_leave_policy(const char *policy);
const char *label_leave_kind(const char *kind);
const char *label_leave_state(const char *state);
const char *label_leave_action(const char *action);
const char *label_swap_kind(const char *kind);
const char *label_swap_state(const char *state);
const char *label_swap_action(const char *action);
const char *label_gap_kind(const char *kind);
const char *label_gap_urgency(const char *urgency);
