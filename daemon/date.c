/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

bool ymd_is_valid(int year, int month, int day) {
        static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        bool leap;

        if (year < DAY_MIN_YEAR || year > DAY_MAX_YEAR || month < 1 || month > 12 || day < 1)
                return false;
        leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return day <= mdays[month - 1] + (month == 2 && leap);
}

/* Howard Hinnant's days_from_civil. */
Day day_from_ymd(int y, int m, int d) {
        int era, yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = y - era * 400;
        doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

void day_to_ymd(Day z, int *ret_year, int *ret_month, int *ret_day) {
        int era, doe, yoe, y, doy, mp, d, m;

        z += 719468;
        era = (z >= 0 ? z : z - 146096) / 146097;
        doe = z - era * 146097;
        yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        y = yoe + era * 400;
        doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        mp = (5 * doy + 2) / 153;
        d = doy - (153 * mp + 2) / 5 + 1;
        m = mp + (mp < 10 ? 3 : -9);
        if (ret_year)
                *ret_year = y + (m <= 2);
        if (ret_month)
                *ret_month = m;
        if (ret_day)
                *ret_day = d;
}

int day_year(Day d) {
        int y;

        day_to_ymd(d, &y, NULL, NULL);
        return y;
}

int day_weekday(Day d) {
        /* 1970-01-01 was a Thursday (4). */
        int w = (int) (((int64_t) d + 3) % 7);

        if (w < 0)
                w += 7;
        return w + 1;
}

static int parse_digits(const char *s, int n, int *ret) {
        int v = 0;

        for (int i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (s[i] - '0');
        }
        *ret = v;
        return 0;
}

int day_parse(const char *s, Day *ret) {
        int y, m, d;

        if (!s || strnlen(s, DAY_STRING_MAX) != DAY_STRING_MAX - 1 || s[4] != '-' || s[7] != '-')
                return -EINVAL;
        if (parse_digits(s, 4, &y) < 0 || parse_digits(s + 5, 2, &m) < 0 || parse_digits(s + 8, 2, &d) < 0)
                return -EINVAL;
        if (!ymd_is_valid(y, m, d))
                return -EINVAL;
        *ret = day_from_ymd(y, m, d);
        return 0;
}

/* n decimal digits of v (0 ≤ v < 10ⁿ) at p, zero-padded; returns the end. The formats below are
 * on every reply's path (a timestamp is several hundred instructions through snprintf()). */
static char *put_digits(char *p, unsigned v, unsigned n) {
        for (unsigned i = n; i > 0; i--) {
                p[i - 1] = (char) ('0' + v % 10u);
                v /= 10u;
        }
        return p + n;
}

char *day_format(Day d, char buf[static DAY_STRING_MAX]) {
        int y, m, dd;
        char *p = buf;

        day_to_ymd(d, &y, &m, &dd);
        if (y < 0 || y > 9999)
                y = m = dd = 0;
        p = put_digits(p, (unsigned) y, 4);
        *p++ = '-';
        p = put_digits(p, (unsigned) m, 2);
        *p++ = '-';
        p = put_digits(p, (unsigned) dd, 2);
        *p = '\0';
        return buf;
}

int minutes_parse(const char *s, int *ret_minutes) {
        int h, m;

        if (!s || s[0] == '\0' || s[1] == '\0' || s[2] != ':' || s[3] == '\0' || s[4] == '\0' || s[5] != '\0')
                return -EINVAL;
        if (parse_digits(s, 2, &h) < 0 || parse_digits(s + 3, 2, &m) < 0)
                return -EINVAL;
        if (h > 23 || m > 59)
                return -EINVAL;
        *ret_minutes = h * 60 + m;
        return 0;
}

char *minutes_format(int minutes, char buf[static 6]) {
        unsigned m = minutes < 0 ? 0u : (unsigned) minutes % (24u * 60u);

        put_digits(buf, m / 60u, 2);
        buf[2] = ':';
        put_digits(buf + 3, m % 60u, 2);
        buf[5] = '\0';
        return buf;
}

const char *day_weekday_zh(Day d) {
        static const char *const names[7] = { "周一", "周二", "周三", "周四", "周五", "周六", "周日" };

        return names[day_weekday(d) - 1];
}

const char *day_weekday_en(Day d) {
        static const char *const names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

        return names[day_weekday(d) - 1];
}

int local_moment_parse(const char *s, Day *ret_day, int *ret_minutes) {
        char day[DAY_STRING_MAX];
        int minutes;
        Day d;

        if (!s || !ret_day || !ret_minutes)
                return -EINVAL;
        if (strlen(s) == DAY_STRING_MAX - 1) {
                if (day_parse(s, &d) < 0)
                        return -EINVAL;
                *ret_day = d;
                *ret_minutes = -1;
                return 0;
        }
        if (strlen(s) != LOCAL_TIME_STRING_MAX - 1 || s[DAY_STRING_MAX - 1] != 'T')
                return -EINVAL;

        memcpy(day, s, DAY_STRING_MAX - 1);
        day[DAY_STRING_MAX - 1] = '\0';
        if (day_parse(day, &d) < 0 || minutes_parse(s + DAY_STRING_MAX, &minutes) < 0)
                return -EINVAL;
        *ret_day = d;
        *ret_minutes = minutes;
        return 0;
}

char *timestamp_format(Day d, int seconds, int utc_offset_seconds, char buf[static TIMESTAMP_STRING_MAX]) {
        int s = seconds < 0 ? 0 : seconds >= SECONDS_PER_DAY ? SECONDS_PER_DAY - 1 : seconds;
        /* RFC 3339 offsets have minutes only; no zone in use today has seconds in its offset. */
        int off = (utc_offset_seconds < 0 ? -utc_offset_seconds + 30 : utc_offset_seconds + 30) / 60;
        char *p;

        if (off > 23 * 60 + 59)
                off = 23 * 60 + 59;
        /* "YYYY-MM-DDTHH:MM:SS+HH:MM" */
        day_format(d, buf);
        p = buf + DAY_STRING_MAX - 1;
        *p++ = 'T';
        p = put_digits(p, (unsigned) (s / 3600), 2);
        *p++ = ':';
        p = put_digits(p, (unsigned) (s / 60 % 60), 2);
        *p++ = ':';
        p = put_digits(p, (unsigned) (s % 60), 2);
        *p++ = utc_offset_seconds < 0 && off > 0 ? '-' : '+';
        p = put_digits(p, (unsigned) (off / 60), 2);
        *p++ = ':';
        p = put_digits(p, (unsigned) (off % 60), 2);
        *p = '\0';
        return buf;
}

int timestamp_parse(const char *s, Day *ret_day, int *ret_seconds, int *ret_utc_offset_seconds) {
        char day[DAY_STRING_MAX];
        int h, m, sec, oh, om, sign;
        const char *p;
        Day d;

        if (!s || !ret_day || !ret_seconds || !ret_utc_offset_seconds || strlen(s) < 20)
                return -EINVAL;
        memcpy(day, s, DAY_STRING_MAX - 1);
        day[DAY_STRING_MAX - 1] = '\0';
        if (day_parse(day, &d) < 0 || !strchr("Tt ", s[10]) || s[10] == '\0')
                return -EINVAL;
        p = s + 11;
        if (parse_digits(p, 2, &h) < 0 || p[2] != ':' || parse_digits(p + 3, 2, &m) < 0 || p[5] != ':' ||
            parse_digits(p + 6, 2, &sec) < 0 || h > 23 || m > 59 || sec > 59)
                return -EINVAL;
        p += 8;
        if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                while (*p >= '0' && *p <= '9')
                        p++;
        }
        if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
                oh = om = 0, sign = 1;
        else if ((*p == '+' || *p == '-') && parse_digits(p + 1, 2, &oh) >= 0 && p[3] == ':' &&
                 parse_digits(p + 4, 2, &om) >= 0 && p[6] == '\0' && oh <= 23 && om <= 59)
                sign = *p == '-' ? -1 : 1;
        else
                return -EINVAL;

        *ret_day = d;
        *ret_seconds = h * 3600 + m * 60 + sec;
        *ret_utc_offset_seconds = sign * (oh * 3600 + om * 60);
        return 0;
}

const char *moment_text(const char *s, MomentForm form, char buf[static MOMENT_STRING_MAX]) {
        char day[DAY_STRING_MAX];
        int seconds, offset;
        Day d;

        if (timestamp_parse(s, &d, &seconds, &offset) < 0)
                return s;
        /* The text is the office's local time already: the offset only says which one it is. */
        if (form == MOMENT_END && seconds == 0) {
                snprintf(buf, MOMENT_STRING_MAX, "%s 24:00", day_format(d - 1, day));
                return buf;
        }
        switch (form) {
        case MOMENT_END:
        case MOMENT_MINUTES:
        case MOMENT_T_MINUTES:
                snprintf(buf, MOMENT_STRING_MAX, "%s%c%02d:%02d", day_format(d, day), form == MOMENT_T_MINUTES ? 'T' : ' ',
                         seconds / 3600, seconds / 60 % 60);
                return buf;
        case MOMENT_SECONDS:
        case MOMENT_T_SECONDS:
                snprintf(buf, MOMENT_STRING_MAX, "%s%c%02d:%02d:%02d", day_format(d, day), form == MOMENT_T_SECONDS ? 'T' : ' ',
                         seconds / 3600, seconds / 60 % 60, seconds % 60);
                return buf;
        case _MOMENT_FORM_MAX:
        case _MOMENT_FORM_INVALID:
                break;
        }
        return s;
}
