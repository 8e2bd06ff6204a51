/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdlib.h>

#include "check.h"

void spot_check_done(SpotCheck *c) {
        if (!c)
                return;
        free(c->person);
        free(c->remarks);
        free(c->recorded_by);
        c->person = c->remarks = c->recorded_by = NULL;
}

SpotCheck *spot_check_free_many(SpotCheck *c, size_t n) {
        for (size_t i = 0; c && i < n; i++)
                spot_check_done(&c[i]);
        free(c);
        return NULL;
}

bool check_may_record(const Person *person, bool root) {
        if (root)
                return true;
        return person_has_role(person, ROLE_INSPECTOR) || person_has_role(person, ROLE_ADMIN);
}

Role check_target_role(CheckTarget t) {
        switch (t) {
        case CHECK_TARGET_OFFICER:
                return ROLE_OFFICER;
        case CHECK_TARGET_LEADER:
                return ROLE_LEADER;
        case CHECK_TARGET_ROOM:
        case _CHECK_TARGET_MAX:
        case _CHECK_TARGET_INVALID:
                break;
        }
        return _ROLE_INVALID;
}

void check_tally(const SpotCheck *checks, size_t n, CheckTally ret[static _CHECK_TARGET_MAX + 1]) {
        for (size_t k = 0; k <= _CHECK_TARGET_MAX; k++)
                ret[k] = (CheckTally) { .seconds_max = -1 };

        for (size_t i = 0; i < n; i++) {
                const SpotCheck *c = &checks[i];
                CheckTally *lines[2] = { &ret[_CHECK_TARGET_MAX], NULL };

                if (c->target >= 0 && c->target < _CHECK_TARGET_MAX)
                        lines[1] = &ret[c->target];
                for (size_t k = 0; k < 2 && lines[k]; k++) {
                        CheckTally *t = lines[k];

                        t->n++;
                        if (!c->answered)
                                continue;
                        t->answered++;
                        /* An unanswered check has no time to answer, whatever was typed. */
                        if (c->seconds < 0)
                                continue;
                        t->timed++;
                        t->seconds_sum += (uint64_t) c->seconds;
                        if (c->seconds > t->seconds_max)
                                t->seconds_max = c->seconds;
                }
        }
}

void check_month(Day d, Day *ret_from, Day *ret_to) {
        int y, mo, dd;

        day_to_ymd(d, &y, &mo, &dd);
        *ret_from = day_from_ymd(y, mo, 1);
        *ret_to = mo == 12 ? day_from_ymd(y + 1, 1, 1) - 1 : day_from_ymd(y, mo + 1, 1) - 1;
}
