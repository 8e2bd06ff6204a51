/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The handover (交接班) by the clock: which duty day an incoming person takes over, whether a
 * takeover is late, and how a missing takeover escalates. Pure: no I/O, no clock (the caller passes
 * the local "now"), no logging.
 *
 * At each duty day's handover the incoming people take over their posts (接班) and the outgoing ones
 * hand over (交班). A post nobody has taken over `takeover_minutes` after the handover is a missing
 * takeover: it is told to the people due (step 0), `takeover_minutes` later also to the leader on
 * call (step 1), and every `takeover_minutes` after that also to the office's administrators (step
 * 2, 3, …: each step is told again, so that the alert repeats until someone takes over). */

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "vocabulary.h"

/* The default of dutyd.conf "takeover_minutes". */
#define HANDOVER_TAKEOVER_MINUTES_DEFAULT 15
#define HANDOVER_TAKEOVER_MINUTES_MAX 240
/* A takeover up to this long before the handover is for the duty day that the handover starts: the
 * incoming people arrive early to be briefed. */
#define HANDOVER_EARLY_MINUTES 60

/* Who a missing takeover is told to at a step: each includes the ones before it. */
typedef enum HandoverAudience {
        HANDOVER_AUDIENCE_DUE,          /* the people due on the post */
        HANDOVER_AUDIENCE_LEADER,       /* and the leader on call of that duty day */
        HANDOVER_AUDIENCE_ADMINS,       /* and the office's administrators */
        _HANDOVER_AUDIENCE_MAX,
        _HANDOVER_AUDIENCE_INVALID = -EINVAL,
} HandoverAudience;

/* takeover_minutes, with 0 meaning the default. */
unsigned handover_takeover_minutes(unsigned configured);

/* The duty day an incoming person takes over at local (today, now_minutes): the one the next
 * handover starts when it is at most HANDOVER_EARLY_MINUTES away, else the one running. */
Day handover_incoming_day(Day today, int now_minutes, int handover_minutes);

/* Minutes from the handover that starts duty_day to local (today, now_minutes); negative before it. */
int64_t handover_minutes_since(Day duty_day, int handover_minutes, Day today, int now_minutes);

/* A takeover `since` minutes after the handover is late past takeover_minutes (0: the default). */
bool handover_is_late(int64_t since, unsigned takeover_minutes);

/* The escalation step of a post not taken over `since` minutes after its handover: -1 while it is not
 * missing yet (before takeover_minutes), then 0, 1, 2, … one more every takeover_minutes. */
int handover_step(int64_t since, unsigned takeover_minutes);

/* Who is told at step (>= 0). */
HandoverAudience handover_step_audience(int step);

/* Minutes from `since` to the next change of step (> 0). */
int handover_minutes_to_next_step(int64_t since, unsigned takeover_minutes);
