/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <stdlib.h>

#include "leave.h"
#include "log.h"
#include "manager.h"
#include "notify-outbox.h"
#include "notify-summary.h"
#include "store.h"
#include "swap.h"

/* Everything a summary quotes, read before the transaction; freed with summary_data_done(). */
typedef struct SummaryData {
        StoreAssignment *assignments;
        size_t n_assignments;
        NotifySummaryDuty *duties;
        StoreAlertState *alerts;
        size_t n_alerts;
        const char **gaps;
        StoreLeave *leaves;
        size_t n_leaves;
        char **leaves_pending;
        size_t n_leaves_pending;
        char **away;
        size_t n_away;
        Swap *swaps;
        size_t n_swaps;
        char **swaps_pending;
        size_t n_swaps_pending;
} SummaryData;

static void lines_free(char **l, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(l[i]);
        free(l);
}

static void summary_data_done(SummaryData *d) {
        store_assignment_free_many(d->assignments, d->n_assignments);
        free(d->duties);
        store_alert_state_free_many(d->alerts, d->n_alerts);
        free(d->gaps);
        store_leave_free_many(d->leaves, d->n_leaves);
        lines_free(d->leaves_pending, d->n_leaves_pending);
        lines_free(d->away, d->n_away);
        swap_array_free(d->swaps, d->n_swaps);
        lines_free(d->swaps_pending, d->n_swaps_pending);
        *d = (SummaryData) {};
}

bool notify_summary_due(const Manager *m, Day today, int minutes) {
        const NotifySettings *ns = &m->config->notify;

        if (ns->n_channels == 0 || ns->summary_minutes < 0 || minutes < ns->summary_minutes)
                return false;
        return ns->summary_weekday == 0 || day_weekday(today) == ns->summary_weekday;
}

static int summary_read(Manager *m, Day from, Day to, SummaryData *d) {
        const Config *c = m->config;
        StoreLeaveFilter lf = {
                .states = STORE_LEAVE_STATE_BIT(LEAVE_STATE_PENDING) | STORE_LEAVE_STATE_BIT(LEAVE_STATE_APPROVED) |
                          STORE_LEAVE_STATE_BIT(LEAVE_STATE_STARTED),
                .from = DAY_NONE,
                .to = DAY_NONE,
        };
        StoreSwapFilter sf = {
                .states = STORE_SWAP_STATE_BIT(SWAP_STATE_PROPOSED) | STORE_SWAP_STATE_BIT(SWAP_STATE_ACCEPTED),
                .from = from,
                .to = DAY_NONE,
        };
        int r;

        r = store_assignment_list(m->store, from, to, &d->assignments, &d->n_assignments);
        if (r < 0)
                return r;
        d->duties = calloc(d->n_assignments + 1, sizeof(NotifySummaryDuty));
        if (!d->duties)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_assignments; i++) {
                const StoreAssignment *a = &d->assignments[i];
                const Post *post = config_find_post(c, a->post);

                d->duties[i] = (NotifySummaryDuty) {
                        .day = a->day,
                        .post_name = post && post->name ? post->name : a->post,
                        .person_name = a->person ? config_person_name(c, a->person) : NULL,
                };
        }

        r = store_alert_state_list(m->store, &d->alerts, &d->n_alerts);
        if (r < 0)
                return r;
        d->gaps = calloc(d->n_alerts + 1, sizeof(char *));
        if (!d->gaps)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_alerts; i++)
                d->gaps[i] = d->alerts[i].message ?: d->alerts[i].gap_id;

        r = store_leave_list(m->store, &lf, &d->leaves, &d->n_leaves);
        if (r < 0)
                return r;
        d->leaves_pending = calloc(d->n_leaves + 1, sizeof(char *));
        d->away = calloc(d->n_leaves + 1, sizeof(char *));
        if (!d->leaves_pending || !d->away)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_leaves; i++) {
                const Leave *l = &d->leaves[i].leave;
                const Person *p = config_find_person(c, l->person);
                char a[DAY_STRING_MAX], b[DAY_STRING_MAX];
                char *line = NULL;

                (void) day_format(l->start.day, a);
                (void) day_format(l->end.day, b);
                if (l->state == LEAVE_STATE_PENDING) {
                        if (asprintf(&line, "%s %s – %s (#%lld)", config_person_name(c, l->person), a, b,
                                     (long long) l->id) < 0)
                                return -ENOMEM;
                        d->leaves_pending[d->n_leaves_pending++] = line;
                        continue;
                }
                /* Approved or under way, meeting the period: a leader away. */
                if (!person_has_role(p, ROLE_LEADER) || l->end.day < from || l->start.day > to)
                        continue;
                if (asprintf(&line, "%s %s – %s%s%s", config_person_name(c, l->person), a, b,
                             l->destination ? " " : "", strempty(l->destination)) < 0)
                        return -ENOMEM;
                d->away[d->n_away++] = line;
        }

        r = store_swap_list(m->store, &sf, &d->swaps, &d->n_swaps);
        if (r < 0)
                return r;
        d->swaps_pending = calloc(d->n_swaps + 1, sizeof(char *));
        if (!d->swaps_pending)
                return -ENOMEM;
        for (size_t i = 0; i < d->n_swaps; i++) {
                const Swap *s = &d->swaps[i];
                char a[DAY_STRING_MAX];
                char *line = NULL;

                if (asprintf(&line, "%s → %s %s (#%lld, %s)", config_person_name(c, s->requester),
                             config_person_name(c, s->counterpart), day_format(s->day, a), (long long) s->id,
                             swap_state_to_string(s->state)) < 0)
                        return -ENOMEM;
                d->swaps_pending[d->n_swaps_pending++] = line;
        }
        return 0;
}

int notify_summary_queue(Manager *m, Day today) {
        const Config *c = m->config;
        _cleanup_(summary_data_done) SummaryData d = {};
        _cleanup_free_ char *zh = NULL, *en = NULL;
        Day to = today + (c->notify.summary_weekday == 0 ? 0 : 6);
        NotifySummary sm;
        NotifyFacts f;
        char date[DAY_STRING_MAX];
        int r;

        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return 0;
        r = summary_read(m, today, to, &d);
        if (r < 0)
                return r;
        sm = (NotifySummary) {
                .from = today,
                .to = to,
                .duties = d.duties,
                .n_duties = d.n_assignments,
                .gaps = d.gaps,
                .n_gaps = d.n_alerts,
                .leaves_pending = (const char *const *) d.leaves_pending,
                .n_leaves_pending = d.n_leaves_pending,
                .swaps_pending = (const char *const *) d.swaps_pending,
                .n_swaps_pending = d.n_swaps_pending,
                .away = (const char *const *) d.away,
                .n_away = d.n_away,
        };
        zh = notify_summary_render(&sm, "zh");
        en = notify_summary_render(&sm, "en");
        if (!zh || !en)
                return -ENOMEM;
        f = (NotifyFacts) {
                .kind = NOTIFY_KIND_SUMMARY,
                .day = today,
                .until = to,
                .detail_zh = zh,
                .detail_en = en,
        };

        r = store_begin(m->store);
        if (r < 0)
                return r;
        (void) day_format(today, date);
        if (c->notify.summary_to)
                for (char **p = c->notify.summary_to; *p && r >= 0; p++) {
                        _cleanup_free_ char *key = NULL;

                        if (asprintf(&key, "summary:%s:%s", date, *p) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        r = notify_outbox_add(m->store, c, *p, key, &f, manager_now_usec(m));
                }
        else {
                _cleanup_free_ char *key = NULL;

                /* The admins of the office; nobody on call is added (notify_outbox_add_alert()
                 * with no day). */
                if (asprintf(&key, "summary:%s", date) < 0)
                        r = -ENOMEM;
                else
                        r = notify_outbox_add_alert(m->store, c, DAY_NONE, key, &f, manager_now_usec(m));
        }
        if (r >= 0)
                r = store_commit(m->store);
        if (r < 0)
                store_rollback(m->store);
        return r;
}
