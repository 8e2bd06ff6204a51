/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The date and time parsers every request goes through: day_parse(), minutes_parse() and
 * leave_time_parse(), local_moment_parse(), and the protocol's RFC 3339 timestamp_parse() with
 * dutyctl's moment_text(). Whatever they accept must format back to a string they accept again, with
 * the same value. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "leave.h"

/* Longer inputs only repeat what a short one exercises. */
#define FUZZ_TIME_INPUT_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_day(const char *s) {
        char buf[DAY_STRING_MAX];
        Day d, again;

        if (day_parse(s, &d) < 0)
                return;
        if (day_parse(day_format(d, buf), &again) < 0 || again != d)
                abort();
        if (day_weekday(d) < 1 || day_weekday(d) > 7)
                abort();
}

static void check_minutes(const char *s) {
        char buf[6];
        int m, again;

        if (minutes_parse(s, &m) < 0)
                return;
        if (m < 0 || m >= 24 * 60)
                abort();
        if (minutes_parse(minutes_format(m, buf), &again) < 0 || again != m)
                abort();
}

static void check_leave_time(const char *s, bool is_end, int handover) {
        char buf[LEAVE_TIME_STRING_MAX];
        LeaveTime t, again;

        if (leave_time_parse(s, is_end, handover, &t) < 0)
                return;
        if (!leave_time_is_valid(t))
                abort();
        /* The formatted form is exact ("YYYY-MM-DD HH:MM"): it reads back as the same instant. */
        if (leave_time_parse(leave_time_format(t, buf), is_end, handover, &again) < 0 ||
            leave_time_compare(t, again) != 0)
                abort();
}

static void check_moment(const char *s) {
        char buf[LOCAL_TIME_STRING_MAX], day[DAY_STRING_MAX], hm[6];
        int m, again_m;
        Day d, again_d;

        if (local_moment_parse(s, &d, &m) < 0)
                return;
        if (m < -1 || m >= 24 * 60)
                abort();
        if (m < 0)
                snprintf(buf, sizeof(buf), "%s", day_format(d, day));
        else
                snprintf(buf, sizeof(buf), "%sT%s", day_format(d, day), minutes_format(m, hm));
        if (local_moment_parse(buf, &again_d, &again_m) < 0 || again_d != d || again_m != m)
                abort();
}

static void check_timestamp(const char *s) {
        char buf[TIMESTAMP_STRING_MAX], local[MOMENT_STRING_MAX];
        int sec, off, again_sec, again_off;
        Day d, again_d;

        if (timestamp_parse(s, &d, &sec, &off) < 0)
                return;
        if (sec < 0 || sec >= SECONDS_PER_DAY || off <= -24 * 3600 || off >= 24 * 3600)
                abort();
        /* Written back (the fraction dropped, "Z" as "+00:00"), it reads as the same time. */
        if (timestamp_parse(timestamp_format(d, sec, off, buf), &again_d, &again_sec, &again_off) < 0 ||
            again_d != d || again_sec != sec || again_off != off)
                abort();
        for (MomentForm f = 0; f < _MOMENT_FORM_MAX; f++)
                if (moment_text(s, f, local) != local || strlen(local) >= MOMENT_STRING_MAX)
                        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char s[FUZZ_TIME_INPUT_MAX + 1];
        int handover;

        if (size < 1 || size > FUZZ_TIME_INPUT_MAX + 1)
                return 0;
        /* The first byte picks the handover time; the rest is the text. */
        handover = (int) (data[0] % (24 * 60 / 15)) * 15;
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';

        check_day(s);
        check_minutes(s);
        check_moment(s);
        check_timestamp(s);
        check_leave_time(s, false, handover);
        check_leave_time(s, true, handover);
        return 0;
}
