/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "handover.h"
#include "leave.h"

unsigned handover_takeover_minutes(unsigned configured) {
        return configured > 0 ? configured : HANDOVER_TAKEOVER_MINUTES_DEFAULT;
}

Day handover_incoming_day(Day today, int now_minutes, int handover_minutes) {
        /* Before today's handover the duty running is yesterday's; from it on, today's. */
        if (now_minutes >= handover_minutes)
                return handover_minutes - now_minutes + MINUTES_PER_DAY <= HANDOVER_EARLY_MINUTES ? today + 1 : today;
        return handover_minutes - now_minutes <= HANDOVER_EARLY_MINUTES ? today : today - 1;
}

int64_t handover_minutes_since(Day duty_day, int handover_minutes, Day today, int now_minutes) {
        return (int64_t) (today - duty_day) * MINUTES_PER_DAY + now_minutes - handover_minutes;
}

bool handover_is_late(int64_t since, unsigned takeover_minutes) {
        return since > (int64_t) handover_takeover_minutes(takeover_minutes);
}

int handover_step(int64_t since, unsigned takeover_minutes) {
        int64_t n = handover_takeover_minutes(takeover_minutes);

        if (since < n)
                return -1;
        /* A duty day lasts a day: the steps stay far below INT_MAX. */
        return (int) ((since - n) / n);
}

HandoverAudience handover_step_audience(int step) {
        if (step <= 0)
                return HANDOVER_AUDIENCE_DUE;
        if (step == 1)
                return HANDOVER_AUDIENCE_LEADER;
        return HANDOVER_AUDIENCE_ADMINS;
}

int handover_minutes_to_next_step(int64_t since, unsigned takeover_minutes) {
        int64_t n = handover_takeover_minutes(takeover_minutes);

        if (since < n)
                return (int) (n - since);
        return (int) (n - (since - n) % n);
}
