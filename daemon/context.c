/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <time.h>

#include "context.h"

uint64_t context_clock_usec(clockid_t clock) {
        struct timespec ts;

        (void) clock_gettime(clock, &ts);
        /* A wall clock set before 1970 reads as the epoch: the times stored (the audit's at_usec,
         * the histories') are unsigned, and a wrapped one would make every audit row fail. */
        if (ts.tv_sec < 0)
                return 0;
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

uint64_t manager_now_usec(const Manager *m) {
        int64_t now = (int64_t) context_clock_usec(CLOCK_REALTIME) + m->now_offset_usec;

        /* The same for the test hook's clock, which may name a time before 1970. */
        return now < 0 ? 0 : (uint64_t) now;
}

void manager_now_local(const Manager *m, Day *ret_day, int *ret_minutes) {
        time_t t = (time_t) (manager_now_usec(m) / USEC_PER_SEC);
        struct tm tm;

        (void) localtime_r(&t, &tm);
        if (ret_day)
                *ret_day = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        if (ret_minutes)
                *ret_minutes = tm.tm_hour * 60 + tm.tm_min;
}

Day manager_today(const Manager *m) {
        Day d;
        int minutes;

        manager_now_local(m, &d, &minutes);
        return duty_day_of(d, minutes, m->config->handover_minutes);
}

uint64_t manager_uptime_usec(const Manager *m) {
        return context_clock_usec(CLOCK_MONOTONIC) - m->start_usec;
}
