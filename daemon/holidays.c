/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdlib.h>

#include "holidays.h"

void holiday_mentions_done(HolidayMentions *m) {
        if (!m)
                return;
        for (size_t i = 0; i < m->n; i++) {
                free(m->items[i].name);
                free(m->items[i].setting);
        }
        free(m->items);
        *m = (HolidayMentions) {};
}

int holiday_mentions_add(HolidayMentions *m, const char *file, int line, const char *setting, Day day, bool off,
                         bool local, const char *name) {
        _cleanup_free_ char *n = NULL, *s = NULL;
        HolidayMention *items;

        if ((name && !(n = strdup(name))) || (setting && !(s = strdup(setting))))
                return -ENOMEM;
        items = reallocarray(m->items, m->n + 1, sizeof(HolidayMention));
        if (!items)
                return -ENOMEM;
        m->items = items;
        items[m->n] = (HolidayMention) {
                .day = day,
                .off = off,
                .local = local,
                .name = TAKE_PTR(n),
                .setting = TAKE_PTR(s),
                .file = file,
                .line = line,
                .seq = m->n,
        };
        m->n++;
        return 0;
}

static int mention_compare(const void *a, const void *b) {
        const HolidayMention *x = a, *y = b;

        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int holiday_mentions_merge(HolidayMentions *m, HolidayClashFn clash, void *userdata, HolidayDay **ret_days,
                           size_t *ret_n_days) {
        HolidayDay *days;
        size_t n = 0;
        int r;

        if (m->n == 0) {
                *ret_days = NULL;
                *ret_n_days = 0;
                return 0;
        }
        qsort(m->items, m->n, sizeof(HolidayMention), mention_compare);
        days = calloc(m->n, sizeof(HolidayDay));
        if (!days)
                return -ENOMEM;
        for (size_t i = 0; i < m->n; i++) {
                HolidayMention *x = &m->items[i];

                if (i > 0 && m->items[i - 1].day == x->day) {
                        const HolidayMention *first = &m->items[i - 1];

                        /* Report against the earliest mention, so three mentions name the first twice. */
                        for (size_t j = i - 1; j > 0 && m->items[j - 1].day == x->day; j--)
                                first = &m->items[j - 1];
                        /* The first mention's name already moved into the list. */
                        r = clash(x, first, days[n - 1].name, userdata);
                        if (r < 0)
                                goto fail;
                        continue;
                }
                days[n++] = (HolidayDay) {
                        .day = x->day,
                        .off = x->off,
                        .name = TAKE_PTR(x->name),
                        .notice_year = x->notice_year,
                        .notice_item = x->notice_item,
                };
        }
        *ret_days = days;
        *ret_n_days = n;
        return 0;
fail:
        for (size_t i = 0; i < n; i++)
                free(days[i].name);
        free(days);
        return r;
}
