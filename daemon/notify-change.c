/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "notify-change.h"
#include "util.h"

static int held_compare(const void *x, const void *y) {
        const NotifyHeld *a = x, *b = y;
        int k;

        k = strcmp(a->person, b->person);
        if (k != 0)
                return k;
        if (a->day != b->day)
                return a->day < b->day ? -1 : 1;
        return strcmp(a->post, b->post);
}

/* The entries with a person, sorted by person, day, post. */
static int held_sorted(const NotifyHeld *v, size_t n, NotifyHeld **ret, size_t *ret_n) {
        NotifyHeld *c;
        size_t k = 0;

        c = calloc(n ?: 1, sizeof(NotifyHeld));
        if (!c)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (v[i].person && v[i].post && v[i].day != DAY_NONE)
                        c[k++] = v[i];
        qsort(c, k, sizeof(NotifyHeld), held_compare);
        *ret = c;
        *ret_n = k;
        return 0;
}

NotifyPersonChange *notify_person_changes_free(NotifyPersonChange *v, size_t n) {
        for (size_t i = 0; v && i < n; i++) {
                free(v[i].added);
                free(v[i].removed);
        }
        free(v);
        return NULL;
}

static int change_push(NotifyHeld **list, size_t *n, const NotifyHeld *h) {
        NotifyHeld *l = reallocarray(*list, *n + 1, sizeof(NotifyHeld));

        if (!l)
                return -ENOMEM;
        l[(*n)++] = *h;
        *list = l;
        return 0;
}

/* The change of the person of h: the last one if it is theirs, else a new one. */
static NotifyPersonChange *change_for(NotifyPersonChange **v, size_t *n, const NotifyHeld *h) {
        NotifyPersonChange *c;

        if (*n > 0 && streq((*v)[*n - 1].person, h->person))
                return &(*v)[*n - 1];
        c = reallocarray(*v, *n + 1, sizeof(NotifyPersonChange));
        if (!c)
                return NULL;
        *v = c;
        c[*n] = (NotifyPersonChange) { .person = h->person };
        return &c[(*n)++];
}

int notify_changes_per_person(const NotifyHeld *before, size_t n_before, const NotifyHeld *after, size_t n_after,
                              NotifyPersonChange **ret, size_t *ret_n) {
        _cleanup_free_ NotifyHeld *b = NULL, *a = NULL;
        NotifyPersonChange *v = NULL;
        size_t nb = 0, na = 0, i = 0, j = 0, n = 0;
        int r;

        if ((!before && n_before > 0) || (!after && n_after > 0) || !ret || !ret_n)
                return -EINVAL;
        r = held_sorted(before, n_before, &b, &nb);
        if (r < 0)
                return r;
        r = held_sorted(after, n_after, &a, &na);
        if (r < 0)
                return r;

        /* Both sorted alike: one walk pairs what is held on both sides. Persons come in order, so
         * each person's changes are contiguous. */
        while (i < nb || j < na) {
                int k = i >= nb ? 1 : j >= na ? -1 : held_compare(&b[i], &a[j]);
                const NotifyHeld *h = k < 0 ? &b[i] : &a[j];
                NotifyPersonChange *c;

                if (k == 0) {
                        i++;
                        j++;
                        continue;
                }
                /* The person that comes first of the two walks next; its entry is opened here. */
                c = change_for(&v, &n, h);
                if (!c) {
                        r = -ENOMEM;
                        break;
                }
                if (k < 0) {
                        r = change_push(&c->removed, &c->n_removed, h);
                        i++;
                } else {
                        r = change_push(&c->added, &c->n_added, h);
                        j++;
                }
                if (r < 0)
                        break;
        }
        if (r < 0) {
                notify_person_changes_free(v, n);
                return r;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}
