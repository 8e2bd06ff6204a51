/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What a roster change means to each person (libdutyd-core, pure): from the duties held before and
 * after a publication or an amendment, the duties each person gained and lost. roster_changed
 * (notify-events.h) tells exactly these people, and nobody else. */

#include <stddef.h>

#include "date.h"

/* A duty someone holds: the day, the post (Post.id), the person (Person.id). The slot does not
 * matter: moving within a post's slots changes nobody's duty. */
typedef struct NotifyHeld {
        Day day;
        const char *post;
        const char *person;
} NotifyHeld;

typedef struct NotifyPersonChange {
        const char *person;        /* points into the input */
        NotifyHeld *added;         /* held after and not before, by day then post */
        size_t n_added;
        NotifyHeld *removed;       /* held before and not after, by day then post */
        size_t n_removed;
} NotifyPersonChange;

/* The people whose duties differ between before and after (entries without a person are ignored;
 * a duty held twice counts twice), sorted by person id, each with at least one duty added or
 * removed. The strings point into the inputs, which must outlive the result. 0 or -ENOMEM;
 * *ret and *ret_n untouched on failure. */
int notify_changes_per_person(const NotifyHeld *before, size_t n_before, const NotifyHeld *after, size_t n_after,
                              NotifyPersonChange **ret, size_t *ret_n);
NotifyPersonChange *notify_person_changes_free(NotifyPersonChange *v, size_t n);
