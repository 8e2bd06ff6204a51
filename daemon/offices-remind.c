/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "config.h"
#include "log.h"
#include "manager.h"
#include "notify-outbox.h"
#include "notify-send.h"
#include "offices-remind.h"
#include "offices.h"
#include "store.h"

typedef enum RemindMoment {
        REMIND_BEFORE,          /* remind_before hours ahead */
        REMIND_AT_DEADLINE,
        _REMIND_MOMENT_MAX,
} RemindMoment;

static const char *const remind_suffix[_REMIND_MOMENT_MAX] = {
        [REMIND_BEFORE] = "remind-before",
        [REMIND_AT_DEADLINE] = "remind",
};

/* Whether moment's reminders of nr are due now: before the deadline from remind_before hours
 * ahead of it; from the deadline while the holiday has not ended. */
static bool remind_due(const Config *c, const NoticeReport *nr, RemindMoment moment, uint64_t now, Day today) {
        uint64_t deadline = aggregator_deadline_usec(nr), ahead;

        if (deadline == 0 || today > nr->to)
                return false;
        switch (moment) {
        case REMIND_BEFORE:
                ahead = (uint64_t) c->aggregator.remind_before_hours * 3600 * USEC_PER_SEC;
                return ahead > 0 && now < deadline && now + ahead >= deadline;
        case REMIND_AT_DEADLINE:
                return now >= deadline;
        case _REMIND_MOMENT_MAX:
                break;
        }
        return false;
}

/* The reminders of one notice and moment; *ret_n the offices told. */
static int remind_notice(Manager *m, const NoticeReport *nr, RemindMoment moment, const char *done_key,
                         uint64_t now, size_t *ret_n) {
        const Config *c = m->config;
        _cleanup_free_ char *ids = NULL;
        char deadline[DAY_STRING_MAX + 6];
        OfficeReport *reps = NULL;
        size_t n_reps = 0, q = 0, n = 0, ids_size = 0;
        FILE *fi;
        int r;

        r = store_office_report_list_key(m->store, REPORT_KIND_ROSTER, nr->key, &reps, &n_reps);
        if (r < 0)
                return r;
        (void) day_format(nr->deadline_day, deadline);
        (void) snprintf(deadline + strlen(deadline), sizeof(deadline) - strlen(deadline), " %02d:%02d",
                        nr->deadline_minutes / 60, nr->deadline_minutes % 60);

        fi = open_memstream(&ids, &ids_size);
        if (!fi) {
                office_report_free_many(reps, n_reps);
                return -ENOMEM;
        }
        for (size_t i = 0; i < c->aggregator.n_offices; i++) {
                const AggregatorOffice *o = &c->aggregator.offices[i];
                char to[OFFICE_RECIPIENT_MAX + 1], key[256];
                NotifyFacts f = {
                        .kind = NOTIFY_KIND_REPORT_REMINDER,
                        .day = nr->deadline_day,
                        .until = DAY_NONE,
                        .holiday = nr->holiday,
                        .deadline = deadline,
                        .overdue = moment == REMIND_AT_DEADLINE,
                };

                /* Both sorted by office id. Any roster for the notice, late or not, is one arrived. */
                while (q < n_reps && strcmp(reps[q].office, o->id) < 0)
                        q++;
                if ((q < n_reps && streq(reps[q].office, o->id)) || (!o->email && !o->notify))
                        continue;
                (void) snprintf(to, sizeof(to), OFFICE_RECIPIENT_PREFIX "%s", o->id);
                (void) snprintf(key, sizeof(key), "report_reminder:%s:%s:%s", nr->key, o->id, remind_suffix[moment]);
                r = notify_outbox_add(m->store, c, to, key, &f, now);
                if (r < 0)
                        break;
                fprintf(fi, "%s%s", n > 0 ? "," : "", o->id);
                n++;
        }
        office_report_free_many(reps, n_reps);
        if (fclose(fi) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0)
                return r;

        r = store_notice_alert_set(m->store, done_key, now, strempty(ids));
        if (r < 0)
                return r;
        *ret_n = n;
        return 0;
}

int offices_remind(Manager *m) {
        const Config *c = m->config;
        uint64_t now = manager_now_usec(m);
        Day today = manager_today(m);
        bool queued = false;
        int r;

        /* Without a channel nothing could be sent: nothing is marked done either, so that channels
         * configured later still remind. */
        if (c->notify.n_channels == 0 || c->aggregator.n_offices == 0)
                return 0;

        for (size_t i = 0; i < c->n_notices; i++)
                for (size_t k = 0; k < c->notices[i].n_reports; k++)
                        for (RemindMoment moment = 0; moment < _REMIND_MOMENT_MAX; moment++) {
                                const NoticeReport *nr = &c->notices[i].reports[k];
                                _cleanup_transaction_ Store *tx = NULL;
                                char done_key[128];
                                size_t n = 0;

                                if (!remind_due(c, nr, moment, now, today))
                                        continue;
                                (void) snprintf(done_key, sizeof(done_key), "%s:%s", nr->key, remind_suffix[moment]);
                                r = store_notice_alert_get(m->store, done_key, NULL);
                                if (r == 0)
                                        continue;
                                if (r != -ENOENT)
                                        return r;

                                r = store_begin(m->store);
                                if (r < 0)
                                        return r;
                                tx = m->store;
                                r = remind_notice(m, nr, moment, done_key, now, &n);
                                if (r < 0)
                                        return r;
                                r = store_commit(TAKE_PTR(tx));
                                if (r < 0)
                                        return r;
                                queued = queued || n > 0;
                                log_info("Aggregator: %zu offices reminded of the %s roster (%s)%s.", n, nr->holiday,
                                         nr->key, moment == REMIND_BEFORE ? " before the deadline" : " at the deadline");
                        }

        if (queued && m->notifier)
                (void) notifier_schedule(m->notifier);
        return 0;
}
