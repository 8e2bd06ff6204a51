/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "notify-outbox.h"
#include "offices.h"

int notify_outbox_add(Store *s, const Config *c, const char *person, const char *key, const NotifyFacts *f,
                      uint64_t now_usec) {
        _cleanup_free_ char *zh = NULL, *en = NULL;
        const Person *to;
        Person office;
        NotifyFacts facts;
        size_t queued;
        bool added;
        int r;

        if (!s || !c || !key || !f)
                return -EINVAL;
        /* A person, or an aggregator's office with a contact ("office:<id>", report reminders). */
        to = office_notify_recipient(c, person, &office);
        if (c->notify.n_channels == 0 || !to)
                return 0;

        r = store_notify_count_queued(s, &queued);
        if (r < 0)
                return r;
        if (queued >= NOTIFY_QUEUE_MAX) {
                log_warning("Notifications: the outbox holds %zu undelivered messages; %s is dropped. "
                            "Check the channels with `dutyctl notify list`.", queued, key);
                return 0;
        }

        facts = *f;
        facts.person_name = !isempty(to->name) ? to->name : to->id;
        facts.office = c->office;
        zh = notify_render(&facts, "zh");
        en = notify_render(&facts, "en");
        if (!zh || !en)
                return -ENOMEM;
        r = store_notify_add(s, key, f->kind, person, zh, en, now_usec, &added);
        if (r < 0)
                return r;
        if (added)
                log_debug("Notifications: queued %s for %s.", key, person);
        return 0;
}

static int alert_add_one(Store *s, const Config *c, const char *person, const char *key, const NotifyFacts *f,
                         uint64_t now_usec) {
        _cleanup_free_ char *k = NULL;

        if (asprintf(&k, "%s:%s", key, person) < 0)
                return -ENOMEM;
        return notify_outbox_add(s, c, person, k, f, now_usec);
}

int notify_outbox_add_alert(Store *s, const Config *c, Day day, const char *key, const NotifyFacts *f,
                            uint64_t now_usec) {
        StoreAssignment *a = NULL;
        size_t n_a = 0;
        int r = 0;

        if (!s || !c || !key || !f)
                return -EINVAL;
        if (c->notify.n_channels == 0)
                return 0;

        for (size_t i = 0; i < c->n_people && r >= 0; i++) {
                const Person *p = &c->people[i];

                if (!person_has_role(p, ROLE_ADMIN) || (day != DAY_NONE && !person_is_active(p, day)))
                        continue;
                r = alert_add_one(s, c, p->id, key, f, now_usec);
        }
        if (r < 0 || day == DAY_NONE)
                return r;

        r = store_assignment_list(s, day, day, &a, &n_a);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_a && r >= 0; i++) {
                const Post *post = config_find_post(c, a[i].post);
                const Person *p = a[i].person ? config_find_person(c, a[i].person) : NULL;

                if (!post || post->role != ROLE_LEADER || !p)
                        continue;
                /* An admin on call is told once. */
                if (person_has_role(p, ROLE_ADMIN) && person_is_active(p, day))
                        continue;
                r = alert_add_one(s, c, p->id, key, f, now_usec);
        }
        store_assignment_free_many(a, n_a);
        return r;
}
