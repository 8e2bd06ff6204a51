/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdlib.h>

#include <string.h>

#include "check.h"
#include "sha256.h"

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

void presence_check_done(PresenceCheck *p) {
        if (!p)
                return;
        free(p->acked_by);
        p->acked_by = NULL;
}

PresenceCheck *presence_check_free_many(PresenceCheck *p, size_t n) {
        for (size_t i = 0; p && i < n; i++)
                presence_check_done(&p[i]);
        free(p);
        return NULL;
}

/* Minutes from the handover to local time `minutes`, 0..1439. */
static int offset_in_duty(int minutes, int handover_minutes) {
        return (minutes - handover_minutes + 24 * 60) % (24 * 60);
}

int check_presence_window_parse(const char *s, int handover_minutes, PresenceWindow *ret) {
        char from[6], to[6];
        const char *dash;
        int a, b, start, end;

        if (!s || !ret)
                return -EINVAL;
        dash = strchr(s, '-');
        if (!dash || dash - s != 5 || strlen(dash + 1) != 5)
                return -EINVAL;
        memcpy(from, s, 5);
        from[5] = '\0';
        memcpy(to, dash + 1, 6);
        if (minutes_parse(from, &a) < 0 || minutes_parse(to, &b) < 0 || a == b)
                return -EINVAL;

        /* The end is exclusive: a window may end at the handover. */
        start = offset_in_duty(a, handover_minutes);
        end = offset_in_duty(b, handover_minutes) ?: 24 * 60;
        if (end <= start)
                return -ERANGE;

        *ret = (PresenceWindow) { .from_minutes = a, .to_minutes = b };
        return 0;
}

void check_presence_moment(const uint8_t seed[static CHECK_SEED_SIZE], Day duty_day, unsigned window,
                           const PresenceWindow *w, int handover_minutes, Day *ret_day, int *ret_minutes) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        uint8_t input[CHECK_SEED_SIZE + 8];
        int start = offset_in_duty(w->from_minutes, handover_minutes);
        int end = offset_in_duty(w->to_minutes, handover_minutes) ?: 24 * 60;
        uint64_t x = 0;
        int at;

        /* The seed, then the day and window in a fixed byte order. */
        memcpy(input, seed, CHECK_SEED_SIZE);
        for (int i = 0; i < 4; i++)
                input[CHECK_SEED_SIZE + i] = (uint8_t) ((uint32_t) duty_day >> (8 * i));
        for (int i = 0; i < 4; i++)
                input[CHECK_SEED_SIZE + 4 + i] = (uint8_t) (window >> (8 * i));
        sha256_hash(input, sizeof(input), digest);
        for (int i = 0; i < 8; i++)
                x = x << 8 | digest[i];

        at = handover_minutes + start + (int) (x % (uint64_t) (end > start ? end - start : 1));
        *ret_day = duty_day + at / (24 * 60);
        *ret_minutes = at % (24 * 60);
}

void check_moment_add(Day d, int minutes, unsigned add, Day *ret_day, int *ret_minutes) {
        int64_t m = (int64_t) minutes + add;

        *ret_day = d + (Day) (m / (24 * 60));
        *ret_minutes = (int) (m % (24 * 60));
}

bool check_may_ack(const char *person, const char *const *on_duty, size_t n) {
        if (!person)
                return false;
        for (size_t i = 0; i < n; i++)
                if (on_duty[i] && streq(on_duty[i], person))
                        return true;
        return false;
}
