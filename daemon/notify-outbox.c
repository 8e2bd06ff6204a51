/* SPDX-License-Identifier: GPL-2.0-or-later */

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
