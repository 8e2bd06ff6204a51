/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "alert.h"
#include "i18n.h"
#include "log.h"
#include "presence.h"
#include "sha256.h"
#include "store.h"

#define PRESENCE_SEED_KEY "presence_seed"

/* The seed of the moments, made once per database (in its own transaction): the people on duty cannot work the moments out
 * from the configuration. */
static int presence_seed(Store *s, uint8_t ret[static CHECK_SEED_SIZE]) {
        _cleanup_transaction_ Store *tx = NULL;
        _cleanup_free_ char *hex = NULL;
        char buf[SHA256_HEX_SIZE];
        uint8_t seed[CHECK_SEED_SIZE];
        int r;

        r = store_meta_get(s, PRESENCE_SEED_KEY, &hex);
        if (r >= 0 && strlen(hex) == 2 * CHECK_SEED_SIZE) {
                for (size_t i = 0; i < CHECK_SEED_SIZE; i++) {
                        unsigned v;

                        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
                                return -EBADMSG;
                        ret[i] = (uint8_t) v;
                }
                return 0;
        }
        if (r < 0 && r != -ENOENT)
                return r;

        if (getrandom(seed, sizeof(seed), 0) != (ssize_t) sizeof(seed))
                return errno > 0 ? -errno : -EIO;
        /* A write cannot begin in the read scope presence_run() may be called in (store.h): the
         * rest of the run reads outside it. */
        store_read_scope_end(s);
        r = store_begin(s);
        if (r < 0)
                return r;
        tx = s;
        r = store_meta_set(s, PRESENCE_SEED_KEY, sha256_to_hex(seed, buf));
        if (r < 0)
                return r;
        r = store_commit(TAKE_PTR(tx));
        if (r < 0)
                return r;
        memcpy(ret, seed, CHECK_SEED_SIZE);
        return 0;
}

int presence_people(Manager *m, Day duty_day, char ***ret) {
        StoreAssignment *a = NULL;
        char **l = NULL;
        size_t n = 0, k = 0;
        int r;

        r = store_assignment_list(m->store, duty_day, duty_day, &a, &n);
        if (r < 0)
                return r;
        l = calloc(n + 1, sizeof(char *));
        if (!l) {
                store_assignment_free_many(a, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                bool seen = false;

                if (!a[i].person)
                        continue;
                for (size_t j = 0; j < k && !seen; j++)
                        seen = streq(l[j], a[i].person);
                if (seen)
                        continue;
                l[k] = strdup(a[i].person);
                if (!l[k]) {
                        strv_free(l);
                        store_assignment_free_many(a, n);
                        return -ENOMEM;
                }
                k++;
        }
        store_assignment_free_many(a, n);
        *ret = l;
        return 0;
}

char *presence_people_text(const Config *c, char *const *ids, const char *lang) {
        bool en = language_is_en(lang);
        char *s = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&s, &size);

        if (!f)
                return NULL;
        for (size_t i = 0; ids && ids[i]; i++) {
                const Person *p = config_find_person(c, ids[i]);

                fprintf(f, "%s%s%s%s", i > 0 ? (en ? ", " : "、") : "", p && p->name ? p->name : ids[i],
                        p && p->phone ? " " : "", p && p->phone ? p->phone : "");
        }
        if (!ids || !ids[0])
                fputs(en ? "nobody on the roster" : "值班表上无人", f);
        if (fclose(f) != 0) {
                free(s);
                return NULL;
        }
        return s;
}

static char *presence_message(const Config *c, const PresenceCheck *p, bool missed, char *const *people) {
        _cleanup_free_ char *who = presence_people_text(c, people, c->language);
        char date[DAY_STRING_MAX], due[DAY_STRING_MAX], hm[6];
        bool en = language_is_en(c->language);
        char *s = NULL;
        int r;

        if (!who)
                return NULL;
        day_format(p->duty_day, date);
        day_format(p->due_day, due);
        minutes_format(p->due_minutes, hm);
        if (missed)
                r = asprintf(&s, en ? "Presence check missed: the people on duty of %s (%s) did not confirm with `dutyctl ack` by %s %s; recorded as missed"
                                    : "查岗未应答：%s 值班日的值班人员（%s）未在 %s %s 前执行 `dutyctl ack` 确认在岗，已记为未应答",
                             date, who, due, hm);
        else
                r = asprintf(&s, en ? "Presence check: the people on duty of %s (%s) confirm they are at their post with `dutyctl ack` by %s %s"
                                    : "查岗：请 %s 值班日的值班人员（%s）在 %s %s 前执行 `dutyctl ack` 确认在岗",
                             date, who, due, hm);
        return r < 0 ? NULL : s;
}

/* What a run does: checks to ask and checks to close as missed. */
typedef struct PresencePlan {
        PresenceCheck ask[CONFIG_PRESENCE_WINDOWS_MAX];
        size_t n_ask;
        PresenceCheck *pending;
        size_t n_pending;
        bool *missed;           /* per pending */
} PresencePlan;

static void presence_plan_done(PresencePlan *plan) {
        presence_check_free_many(plan->pending, plan->n_pending);
        free(plan->missed);
        *plan = (PresencePlan) {};
}

static void presence_tell(Manager *m, const PresenceCheck *p, bool missed) {
        _cleanup_strv_free_ char **people = NULL;
        _cleanup_free_ char *message = NULL;
        int r;

        r = presence_people(m, p->duty_day, &people);
        if (r >= 0) {
                message = presence_message(m->config, p, missed, people);
                r = message ? alert_send_presence(p, missed, people, manager_office_id(m), message) : -ENOMEM;
        }
        if (r < 0)
                log_warning("Presence check %" PRIi64 ": cannot write its journal entry: %s", p->id, strerror(-r));
}

/* Minutes from (d, minutes) to (to_d, to_minutes), 0 if that is not later. */
static unsigned minutes_until(Day d, int minutes, Day to_d, int to_minutes) {
        int64_t diff = ((int64_t) to_d - d) * 24 * 60 + to_minutes - minutes;

        return diff > 0 ? (unsigned) diff : 0;
}

int presence_next_minutes(Manager *m, unsigned *ret) {
        const Config *c = m->config;
        _cleanup_free_ char *hex = NULL;
        PresenceCheck *pending = NULL;
        size_t n = 0;
        uint8_t seed[CHECK_SEED_SIZE];
        bool found = false, have_seed = false;
        unsigned best = 0;
        Day today, duty_day;
        int minutes, r;

        if (c->presence.n_windows == 0)
                return -ENOENT;
        manager_now_local(m, &today, &minutes);
        duty_day = manager_today(m);

        r = store_presence_pending(m->store, &pending, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                unsigned u = minutes_until(today, minutes, pending[i].due_day, pending[i].due_minutes);

                if (!found || u < best)
                        best = u;
                found = true;
        }
        presence_check_free_many(pending, n);

        /* Reading the seed only: it is made by the first run, never here. */
        r = store_meta_get(m->store, PRESENCE_SEED_KEY, &hex);
        if (r >= 0 && strlen(hex) == 2 * CHECK_SEED_SIZE) {
                have_seed = true;
                for (size_t i = 0; i < CHECK_SEED_SIZE && have_seed; i++) {
                        unsigned v;

                        have_seed = sscanf(hex + 2 * i, "%2x", &v) == 1;
                        seed[i] = (uint8_t) v;
                }
        }
        for (size_t w = 0; have_seed && w < c->presence.n_windows; w++) {
                Day d;
                int at;
                unsigned u;

                r = store_presence_exists(m->store, duty_day, (unsigned) w);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                check_presence_moment(seed, duty_day, (unsigned) w, &c->presence.windows[w], c->handover_minutes, &d, &at);
                if (check_moment_reached(today, minutes, d, at))
                        continue;       /* passed, or asked at the next run */
                u = minutes_until(today, minutes, d, at);
                if (!found || u < best)
                        best = u;
                found = true;
        }
        if (!found)
                return -ENOENT;
        *ret = best;
        return 0;
}

int presence_run(Manager *m) {
        const Config *c = m->config;
        _cleanup_(presence_plan_done) PresencePlan plan = {};
        _cleanup_transaction_ Store *tx = NULL;
        uint8_t seed[CHECK_SEED_SIZE];
        bool any_missed = false;
        Day today, duty_day;
        int minutes, r;

        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return 0;

        manager_now_local(m, &today, &minutes);
        duty_day = manager_today(m);

        r = store_presence_pending(m->store, &plan.pending, &plan.n_pending);
        if (r < 0)
                goto fail;
        plan.missed = calloc(plan.n_pending + 1, sizeof(bool));
        if (!plan.missed) {
                r = -ENOMEM;
                goto fail;
        }
        for (size_t i = 0; i < plan.n_pending; i++) {
                plan.missed[i] = check_moment_reached(today, minutes, plan.pending[i].due_day, plan.pending[i].due_minutes);
                any_missed = any_missed || plan.missed[i];
        }

        /* The windows of the duty day under way whose moment came and that were not asked yet. */
        for (size_t w = 0; w < c->presence.n_windows; w++) {
                PresenceCheck *p = &plan.ask[plan.n_ask];

                r = store_presence_exists(m->store, duty_day, (unsigned) w);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        continue;
                if (plan.n_ask == 0) {
                        r = presence_seed(m->store, seed);
                        if (r == -EBUSY) {
                                log_debug("Presence checks: the database is locked; at the next run.");
                                return 0;
                        }
                        if (r < 0)
                                goto fail;
                }
                *p = (PresenceCheck) { .duty_day = duty_day, .window = (unsigned) w, .state = PRESENCE_STATE_PENDING,
                                       .acked_day = DAY_NONE };
                check_presence_moment(seed, p->duty_day, p->window, &c->presence.windows[w], c->handover_minutes,
                                      &p->day, &p->minutes);
                check_moment_add(p->day, p->minutes, c->presence.answer_minutes, &p->due_day, &p->due_minutes);
                /* Not yet: nothing is asked before its moment. A moment whose answering time passed
                 * while dutyd was not running is let go: nobody was asked. */
                if (!check_moment_reached(today, minutes, p->day, p->minutes) ||
                    check_moment_reached(today, minutes, p->due_day, p->due_minutes))
                        continue;
                plan.n_ask++;
        }
        if (plan.n_ask == 0 && !any_missed)
                return 0;

        /* Never wait for another program's lock: the next run does it. The read scope the run may
         * be called in ends first: a write cannot begin inside one (store.h). */
        store_read_scope_end(m->store);
        r = store_begin(m->store);
        if (r == -EBUSY) {
                log_debug("Presence checks: the database is locked; at the next run.");
                return 0;
        }
        if (r < 0)
                goto fail;
        tx = m->store;
        for (size_t i = 0; i < plan.n_ask; i++) {
                r = store_presence_insert(m->store, &plan.ask[i], &plan.ask[i].id);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < plan.n_pending; i++) {
                if (!plan.missed[i])
                        continue;
                r = store_presence_settle(m->store, plan.pending[i].id, PRESENCE_STATE_MISSED, NULL, DAY_NONE, 0);
                if (r == -ESTALE) {
                        /* Confirmed meanwhile. */
                        plan.missed[i] = false;
                        continue;
                }
                if (r < 0)
                        goto fail;
        }
        r = store_commit(TAKE_PTR(tx));
        if (r < 0)
                goto fail;

        /* Told once recorded: a record is never told twice, at worst (a crash right here) not told. */
        for (size_t i = 0; i < plan.n_ask; i++)
                presence_tell(m, &plan.ask[i], false);
        for (size_t i = 0; i < plan.n_pending; i++)
                if (plan.missed[i])
                        presence_tell(m, &plan.pending[i], true);
        return 0;

fail:
        log_error("Presence checks: %s", strerror(-r));
        return r;
}
