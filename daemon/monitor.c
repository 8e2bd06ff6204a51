/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <systemd/sd-event.h>

#include "alert.h"
#include "duty.h"
#include "dutylog.h"
#include "handover.h"
#include "log-watch.h"
#include "log.h"
#include "context.h"
#include "monitor.h"
#include "notify-outbox.h"
#include "notify-send.h"
#include "presence.h"
#include "store.h"
#include "swap.h"

/* Publications are loaded this far past the window, so that a holiday period beginning inside it is
 * seen whole. */
#define MONITOR_HOLIDAY_RUN_DAYS_MAX 31
/* Swaps are loaded this many days past their lead time: a swap becomes a gap a day before its
 * deadline. */
#define MONITOR_SWAP_SLACK_DAYS 2

struct Monitor {
        Manager *manager;
        sd_event_source *timer;
        sd_event_source *soon;  /* monitor_schedule(): a run MONITOR_SOON_USEC after a change */
        bool journal_failing;   /* the last write to the journal failed: said once, not at every run */
        bool locked;            /* the last run found the database locked by another program: idem */
};

/* What gaps_compute() borrows, and the records it borrows from. */
typedef struct MonitorInput {
        GapsInput in;
        DutyCalendar calendar;
        StoreAssignment *assignments;
        size_t n_assignments;
        RosterSlot *slots;
        StoreLeave *store_leaves;
        size_t n_leaves;
        Leave *leaves;                  /* shallow copies of store_leaves[].leave */
        StoreUnavailable *unavailable;
        size_t n_unavailable;
        RosterAbsence *absences;
        StorePublicationRange *ranges;
        size_t n_ranges;
        GapsPublication *publications;
        Swap *swaps;
        size_t n_swaps;
        GapsSwap *open_swaps;
        size_t n_open_swaps;
        StoreHandover *handovers;
        size_t n_handovers;
        GapsTakeover *takeovers;
        size_t n_takeovers;
        bool watch_takeovers;
        Day takeover_from;
        StoreDutyLog *unsent;
        size_t n_unsent;
        GapsReport *reports;
        size_t n_reports;
        PresenceCheck *presence;
        size_t n_presence;
        GapsPresenceMiss *presence_misses;
        size_t n_presence_misses;
} MonitorInput;

static void monitor_input_done(MonitorInput *mi) {
        duty_calendar_done(&mi->calendar);
        store_assignment_free_many(mi->assignments, mi->n_assignments);
        free(mi->slots);
        store_leave_free_many(mi->store_leaves, mi->n_leaves);
        free(mi->leaves);
        store_unavailable_free_many(mi->unavailable, mi->n_unavailable);
        free(mi->absences);
        free(mi->ranges);
        free(mi->publications);
        swap_array_free(mi->swaps, mi->n_swaps);
        free(mi->open_swaps);
        store_handover_free_many(mi->handovers, mi->n_handovers);
        free(mi->takeovers);
        store_duty_log_free_many(mi->unsent, mi->n_unsent);
        free(mi->reports);
        presence_check_free_many(mi->presence, mi->n_presence);
        free(mi->presence_misses);
        *mi = (MonitorInput) {};
}

static int monitor_load_slots(Monitor *mon, Day first, Day last, MonitorInput *mi) {
        int r;

        r = store_assignment_list(mon->manager->store, first, last, &mi->assignments, &mi->n_assignments);
        if (r < 0)
                return r;
        return store_assignment_slots(mi->assignments, mi->n_assignments, &mi->slots);
}

static int monitor_load_leaves(Monitor *mon, Day last, MonitorInput *mi) {
        int r;

        /* A leave starting on the day after the window, before its handover, still touches the
         * window's last duty day. */
        r = store_leave_list_monitored(mon->manager->store, last + 1, &mi->store_leaves, &mi->n_leaves);
        if (r < 0)
                return r;
        mi->leaves = calloc(mi->n_leaves ?: 1, sizeof(Leave));
        if (!mi->leaves)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_leaves; i++)
                mi->leaves[i] = mi->store_leaves[i].leave;
        return 0;
}

static int monitor_load_unavailable(Monitor *mon, Day first, Day last, MonitorInput *mi) {
        int r;

        r = store_unavailable_list(mon->manager->store, NULL, first, last, &mi->unavailable, &mi->n_unavailable);
        if (r < 0)
                return r;
        mi->absences = calloc(mi->n_unavailable ?: 1, sizeof(RosterAbsence));
        if (!mi->absences)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_unavailable; i++)
                mi->absences[i] = (RosterAbsence) {
                        .person = mi->unavailable[i].person,
                        .from = mi->unavailable[i].from_day,
                        .to = mi->unavailable[i].to_day,
                        .kind = ROSTER_ABSENCE_UNAVAILABLE,
                };
        return 0;
}

static int monitor_load_publications(Monitor *mon, Day first, Day last, MonitorInput *mi) {
        const Config *c = mon->manager->config;
        Day to = last + (Day) c->roster.publish_days_before + MONITOR_HOLIDAY_RUN_DAYS_MAX;
        int r;

        r = store_publication_ranges(mon->manager->store, first, to, &mi->ranges, &mi->n_ranges);
        if (r < 0)
                return r;
        mi->publications = calloc(mi->n_ranges ?: 1, sizeof(GapsPublication));
        if (!mi->publications)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_ranges; i++)
                mi->publications[i] = (GapsPublication) {
                        .from = mi->ranges[i].from_day,
                        .to = mi->ranges[i].to_day,
                };
        return 0;
}

static int monitor_load_swaps(Monitor *mon, Day today, int minutes, Day first, MonitorInput *mi) {
        const Config *c = mon->manager->config;
        StoreSwapFilter filter = {
                .states = STORE_SWAP_STATE_BIT(SWAP_STATE_PROPOSED) | STORE_SWAP_STATE_BIT(SWAP_STATE_ACCEPTED),
                .from = first,
                .to = today + (Day) c->swap.lead_days + MONITOR_SWAP_SLACK_DAYS,
        };
        int r;

        if (filter.to < filter.from)
                filter.to = filter.from;
        r = store_swap_list(mon->manager->store, &filter, &mi->swaps, &mi->n_swaps);
        if (r < 0)
                return r;
        mi->open_swaps = calloc(mi->n_swaps ?: 1, sizeof(GapsSwap));
        if (!mi->open_swaps)
                return -ENOMEM;

        for (size_t i = 0; i < mi->n_swaps; i++) {
                const Swap *s = &mi->swaps[i];
                bool theirs_first = s->their_day != DAY_NONE && s->their_day < s->day;
                GapsSwap *g;

                /* Awaiting the counterpart or an approval, and not expired by now. */
                if (!swap_is_valid(s) || !swap_state_is_open(swap_effective_state(s, c, today, minutes)) ||
                    s->state == SWAP_STATE_APPROVED)
                        continue;

                g = &mi->open_swaps[mi->n_open_swaps++];
                *g = (GapsSwap) {
                        .id = s->id,
                        .day = swap_first_day(s),
                        .post = theirs_first ? s->their_post : s->post,
                        .slot = theirs_first ? s->their_slot : s->slot,
                        .requester = s->requester,
                        .counterpart = s->counterpart,
                };
                swap_deadline(s, c, &g->deadline_day, &g->deadline_minutes);
        }
        return 0;
}

/* The takeovers of the duty day running now, and since when they are watched. */
static int monitor_load_takeovers(Monitor *mon, Day first, MonitorInput *mi) {
        int r;

        r = store_handover_first_take(mon->manager->store, &mi->takeover_from);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        mi->watch_takeovers = true;

        r = store_handover_list(mon->manager->store, first, first, &mi->handovers, &mi->n_handovers);
        if (r < 0)
                return r;
        mi->takeovers = calloc(mi->n_handovers ?: 1, sizeof(GapsTakeover));
        if (!mi->takeovers)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_handovers; i++)
                if (mi->handovers[i].action == HANDOVER_TAKE)
                        mi->takeovers[mi->n_takeovers++] = (GapsTakeover) {
                                .day = mi->handovers[i].day,
                                .post = mi->handovers[i].post,
                        };
        return 0;
}

/* The reports overdue now: an emergency's not sent by its deadline, and the daily reports of
 * yesterday and today (log-watch.c looks at the same) not sent by their time. */
static int monitor_load_reports(Monitor *mon, MonitorInput *mi) {
        Manager *m = mon->manager;
        uint64_t now = manager_now_usec(m);
        Day today = manager_today(m);
        int r;

        r = store_duty_log_unsent(m->store, now, &mi->unsent, &mi->n_unsent);
        if (r < 0)
                return r;
        mi->reports = calloc(mi->n_unsent * _DUTYLOG_REPORT_MAX + 2, sizeof(GapsReport));
        if (!mi->reports)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_unsent; i++) {
                const StoreDutyLog *e = &mi->unsent[i];

                for (DutyLogReport k = 0; k < _DUTYLOG_REPORT_MAX; k++)
                        /* A follow-up's due is there only while one is owed. */
                        if (e->report_due_usec[k] != 0 && e->report_due_usec[k] <= now &&
                            (k == DUTYLOG_REPORT_FOLLOWUP || e->report_sent_usec[k] == 0))
                                mi->reports[mi->n_reports++] = (GapsReport) {
                                        .log_id = e->id,
                                        .report = k,
                                        .day = e->day,
                                        .overdue = (int64_t) dutylog_minutes_overdue(e->report_due_usec[k], now),
                                        .person = e->recorded_by,
                                };
        }

        for (Day d = today - 1; d <= today; d++) {
                _cleanup_(store_daily_report_done) StoreDailyReport dr = {};
                uint64_t deadline;
                bool due;

                r = log_watch_daily(m->store, m->config, d, &due, &deadline);
                if (r < 0)
                        return r;
                if (!due || now < deadline)
                        continue;
                r = store_daily_report_get(m->store, d, &dr);
                if (r >= 0 && dr.sent_usec != 0)
                        continue;
                if (r < 0 && r != -ENOENT)
                        return r;
                mi->reports[mi->n_reports++] = (GapsReport) {
                        .day = d,
                        .overdue = (int64_t) dutylog_minutes_overdue(deadline, now),
                        .report = _DUTYLOG_REPORT_INVALID,
                };
        }
        return 0;
}

/* The presence checks of the duty day running now that were missed. */
static int monitor_load_presence(Monitor *mon, Day first, MonitorInput *mi) {
        int r;

        r = store_presence_list(mon->manager->store, first, first, &mi->presence, &mi->n_presence);
        if (r < 0)
                return r;
        mi->presence_misses = calloc(mi->n_presence ?: 1, sizeof(GapsPresenceMiss));
        if (!mi->presence_misses)
                return -ENOMEM;
        for (size_t i = 0; i < mi->n_presence; i++)
                if (mi->presence[i].state == PRESENCE_STATE_MISSED)
                        mi->presence_misses[mi->n_presence_misses++] = (GapsPresenceMiss) {
                                .id = mi->presence[i].id,
                                .duty_day = mi->presence[i].duty_day,
                                .day = mi->presence[i].day,
                                .minutes = mi->presence[i].minutes,
                        };
        return 0;
}

static int monitor_input_load(Monitor *mon, unsigned days, MonitorInput *ret) {
        Manager *m = mon->manager;
        const Config *c = m->config;
        _cleanup_(monitor_input_done) MonitorInput mi = {};
        Day today, first, last;
        int minutes, r;

        if (days == 0)
                days = c->roster.horizon_days ?: 1;
        if (days > GAPS_DAYS_MAX)
                return -EINVAL;

        manager_now_local(m, &today, &minutes);
        first = duty_day_of(today, minutes, c->handover_minutes);
        last = first + (Day) days - 1;

        r = duty_calendar_load(m->store, c, &mi.calendar);
        if (r >= 0)
                r = monitor_load_slots(mon, first, last, &mi);
        if (r >= 0)
                r = monitor_load_leaves(mon, last, &mi);
        if (r >= 0)
                r = monitor_load_unavailable(mon, first, last, &mi);
        if (r >= 0)
                r = monitor_load_publications(mon, first, last, &mi);
        if (r >= 0)
                r = monitor_load_swaps(mon, today, minutes, first, &mi);
        if (r >= 0)
                r = monitor_load_takeovers(mon, first, &mi);
        if (r >= 0)
                r = monitor_load_reports(mon, &mi);
        if (r >= 0)
                r = monitor_load_presence(mon, first, &mi);
        if (r < 0)
                return r;

        mi.in = (GapsInput) {
                .config = c,
                .today = today,
                .now_minutes = minutes,
                .days = days,
                .slots = mi.slots,
                .n_slots = mi.n_assignments,
                .leaves = mi.leaves,
                .n_leaves = mi.n_leaves,
                .absences = mi.absences,
                .n_absences = mi.n_unavailable,
                .publications = mi.publications,
                .n_publications = mi.n_ranges,
                .swaps = mi.open_swaps,
                .n_swaps = mi.n_open_swaps,
                .watch_takeovers = mi.watch_takeovers,
                .takeover_from = mi.takeover_from,
                .takeovers = mi.takeovers,
                .n_takeovers = mi.n_takeovers,
                .reports = mi.reports,
                .n_reports = mi.n_reports,
                .presence_misses = mi.presence_misses,
                .n_presence_misses = mi.n_presence_misses,
        };
        *ret = mi;
        /* The one pointer into the struct itself must follow it. */
        ret->in.calendar = &ret->calendar.calendar;
        mi = (MonitorInput) {};
        return 0;
}

int monitor_compute(Monitor *mon, unsigned days, Gap **ret, size_t *ret_n) {
        _cleanup_(monitor_input_done) MonitorInput mi = {};
        int r;

        r = monitor_input_load(mon, days, &mi);
        if (r < 0)
                return log_error_errno(r, "Gap monitor: cannot read the roster, leave and swaps: %m");

        r = gaps_compute(&mi.in, ret, ret_n);
        if (r < 0)
                return log_error_errno(r, "Gap monitor: cannot compute the gaps: %m");
        return 0;
}

static void monitor_arm(Monitor *mon) {
        Manager *m = mon->manager;
        uint64_t now = manager_now_usec(m), minute = 60 * USEC_PER_SEC, delay;
        int minutes, next, step, r;
        unsigned presence;
        Day today;

        manager_now_local(m, &today, &minutes);
        next = gaps_minutes_to_next_boundary(minutes, m->config->handover_minutes);
        /* A missing takeover escalates every takeover_minutes after the handover. */
        step = handover_minutes_to_next_step(
                handover_minutes_since(duty_day_of(today, minutes, m->config->handover_minutes),
                                       m->config->handover_minutes, today, minutes),
                m->config->takeover_minutes);
        if (step < next)
                next = step;
        /* Just past the next boundary, so that the run sees it crossed. */
        delay = (uint64_t) next * minute - now % minute + MONITOR_ACCURACY_USEC;
        if (delay > MONITOR_INTERVAL_USEC)
                delay = MONITOR_INTERVAL_USEC;
        /* A presence check is asked at its minute, and closed when its time runs out. */
        if (presence_next_minutes(m, &presence) >= 0) {
                /* Due now yet not done (the database was locked): at the next minute, not in a loop. */
                uint64_t d = (uint64_t) (presence ?: 1) * minute - now % minute + MONITOR_ACCURACY_USEC;

                if (d < delay)
                        delay = d;
        }

        r = sd_event_source_set_time_relative(mon->timer, delay);
        if (r >= 0)
                r = sd_event_source_set_enabled(mon->timer, SD_EVENT_ONESHOT);
        if (r < 0)
                log_error("Gap monitor: cannot re-arm the timer: %s", strerror(-r));
}

typedef struct Told {
        AlertEntry *entries;
        size_t n;
        StoreAlertState *next;  /* per entry: the state to keep (opened, escalated) */
        bool *sent;
} Told;

static void told_done(Told *t) {
        for (size_t i = 0; t->next && i < t->n; i++)
                store_alert_state_done(&t->next[i]);
        free(t->next);
        free(t->sent);
        free(t->entries);
        *t = (Told) {};
}

/* A newly opened alert reaches the admins and the leader on call (gap_alert, takeover_missed), in
 * the transaction that remembers it: an alert already told (re-raised, escalated) queues nothing,
 * and one opened again after it was resolved has a new first_usec, hence a new key. */
static int monitor_notify(Monitor *mon, const AlertEntry *e, const StoreAlertState *next) {
        Manager *m = mon->manager;
        const Config *c = m->config;
        _cleanup_free_ char *zh = NULL, *en = NULL;
        NotifyFacts f;
        char key[256];

        if (e->event != ALERT_EVENT_OPENED || !e->gap || c->notify.n_channels == 0 || !c->notify.alerts)
                return 0;
        zh = alert_entry_message(e, c, "zh");
        en = alert_entry_message(e, c, "en");
        if (!zh || !en)
                return -ENOMEM;
        f = (NotifyFacts) {
                .kind = e->gap->kind == GAP_TAKEOVER_MISSING ? NOTIFY_KIND_TAKEOVER_MISSED : NOTIFY_KIND_GAP_ALERT,
                .day = e->gap->day,
                .until = DAY_NONE,
                .detail_zh = zh,
                .detail_en = en,
        };
        (void) snprintf(key, sizeof(key), "%s:%s:%llu", notify_kind_to_string(f.kind), e->gap->id,
                        (unsigned long long) next->first_usec);
        /* A gap without a day (the calendar, a missing roster) concerns the duty under way. */
        return notify_outbox_add_alert(m->store, c, e->gap->day != DAY_NONE ? e->gap->day : manager_today(m),
                                       key, &f, manager_now_usec(m));
}

/* Keeps what was told, in the transaction monitor_tell() opened before telling it. */
static int monitor_persist(Monitor *mon, const Told *t) {
        Store *s = mon->manager->store;
        bool notified = false;
        int r = 0;

        for (size_t i = 0; i < t->n && r >= 0; i++) {
                if (!t->sent[i])
                        continue;
                if (t->entries[i].event == ALERT_EVENT_RESOLVED) {
                        r = store_alert_state_remove(s, t->entries[i].state->gap_id);
                        if (r == -ENOENT)
                                r = 0;
                } else {
                        r = store_alert_state_put(s, &t->next[i]);
                        if (r >= 0 && t->entries[i].event == ALERT_EVENT_OPENED) {
                                r = monitor_notify(mon, &t->entries[i], &t->next[i]);
                                notified = true;
                        }
                }
        }
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        r = store_commit(s);
        if (r >= 0 && notified)
                (void) notifier_schedule(mon->manager->notifier);
        return r;
}

static int monitor_tell(Monitor *mon) {
        Manager *m = mon->manager;
        const Config *c = m->config;
        Gap *gaps = NULL;
        StoreAlertState *prev = NULL;
        size_t n_gaps = 0, n_prev = 0, n_sent = 0;
        _cleanup_(told_done) Told t = {};
        uint64_t now = manager_now_usec(m);
        bool begun = false;
        int r, failed = 0;

        /* A damaged store (damage.h) cannot remember what was told: every run would tell the same
         * gaps again, every 5 minutes, until the restart the damage's crit entry asks for. */
        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return 0;

        r = monitor_compute(mon, 0, &gaps, &n_gaps);
        if (r < 0)
                return r;
        /* One journal path per kind: those told where they are found are listed by Gaps only. */
        for (size_t i = 0, j = 0, n = n_gaps; i < n; i++) {
                if (gap_kind_told_by_monitor(gaps[i].kind)) {
                        gaps[j++] = gaps[i];
                        continue;
                }
                gap_done(&gaps[i]);
                n_gaps--;
        }

        r = store_alert_state_list(m->store, &prev, &n_prev);
        if (r < 0) {
                log_error("Gap monitor: cannot read what the journal was told: %s", strerror(-r));
                goto finish;
        }

        r = alert_plan(prev, n_prev, gaps, n_gaps, &t.entries, &t.n);
        if (r < 0) {
                log_error("Gap monitor: cannot compare the gaps with what was told: %s", strerror(-r));
                goto finish;
        }
        if (t.n == 0)
                goto finish;

        t.next = calloc(t.n, sizeof(StoreAlertState));
        t.sent = calloc(t.n, sizeof(bool));
        if (!t.next || !t.sent) {
                r = -ENOMEM;
                goto finish;
        }

        /* The write lock before anything is told: with another program holding it (a sqlite3 shell,
         * a backup), waiting would stop the event loop, and entries told but not remembered would be
         * told again at every run. Nothing is told now; the next run (a timer, the next change)
         * tells it all. Its reads were of the committed data, in monitor_run()'s read scope, which
         * ends here: a write cannot begin inside one (store.h). An open group of requests commits
         * first (the store's open handler), and the monitor runs again after every commit. */
        store_read_scope_end(m->store);
        r = store_begin(m->store);
        if (r == -EBUSY) {
                if (!mon->locked)
                        log_warning("Gap monitor: the database is locked by another program; the journal "
                                    "is told of the gaps at the next run.");
                mon->locked = true;
                goto finish;
        }
        if (r < 0) {
                log_error("Gap monitor: cannot begin the transaction: %s", strerror(-r));
                goto finish;
        }
        begun = true;
        if (mon->locked)
                log_notice("Gap monitor: the database is no longer locked.");
        mon->locked = false;

        /* The journal first, then the memory of it: a crash in between repeats an entry rather than
         * losing one. */
        for (size_t i = 0; i < t.n; i++) {
                const AlertEntry *e = &t.entries[i];
                _cleanup_free_ char *message = alert_entry_message(e, c, c->language);

                if (!message) {
                        r = -ENOMEM;
                        goto finish;
                }
                if (e->event != ALERT_EVENT_RESOLVED) {
                        r = alert_state_from_gap(e->gap, e->state, message, now, &t.next[i]);
                        if (r < 0)
                                goto finish;
                }
                r = alert_send(e, manager_office_id(m), message);
                if (r < 0) {
                        failed = r;
                        continue;
                }
                t.sent[i] = true;
                n_sent++;
        }

        if (failed < 0 && !mon->journal_failing)
                log_warning("Gap monitor: cannot write to the journal (%s); %zu of %zu entries will be "
                            "tried again at the next run.", strerror(-failed), t.n - n_sent, t.n);
        else if (failed >= 0 && mon->journal_failing)
                log_notice("Gap monitor: writing to the journal again.");
        mon->journal_failing = failed < 0;

        begun = false;
        if (n_sent > 0)
                r = monitor_persist(mon, &t);
        else {
                store_rollback(m->store);
                r = 0;
        }
        if (r < 0)
                log_error("Gap monitor: cannot remember the entries written: %s", strerror(-r));
        else
                r = failed;

finish:
        if (begun)
                store_rollback(m->store);
        if (r == -ENOMEM)
                log_error("Gap monitor: out of memory.");
        else if (r >= 0)
                log_debug("Gap monitor: %zu gaps, %zu journal entries written.", n_gaps, n_sent);
        store_alert_state_free_many(prev, n_prev);
        gaps_free_many(gaps, n_gaps);
        return r;
}

int monitor_run(Monitor *mon) {
        int r;

        if (!mon)
                return -EINVAL;
        /* Its reads run on the store's reader and share one read transaction (one shared lock, not
         * one per statement); the write that may follow ends the scope first (store.h). */
        store_read_scope_begin(mon->manager->store);
        r = monitor_tell(mon);
        store_read_scope_end(mon->manager->store);
        /* Presence checks share the monitor's turns: the same times (start-up, each change, the
         * timer) are when a moment may have come or a check's time run out. */
        store_read_scope_begin(mon->manager->store);
        (void) presence_run(mon->manager);
        store_read_scope_end(mon->manager->store);
        monitor_arm(mon);
        return r;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        (void) monitor_run(userdata);
        return 0;
}

int monitor_schedule(Monitor *mon) {
        int enabled = SD_EVENT_OFF, r;

        if (!mon)
                return -EINVAL;
        if (mon->soon) {
                /* Due already: the changes since share that run. */
                if (sd_event_source_get_enabled(mon->soon, &enabled) >= 0 && enabled != SD_EVENT_OFF)
                        return 0;
                r = sd_event_source_set_time_relative(mon->soon, MONITOR_SOON_USEC);
                if (r >= 0)
                        r = sd_event_source_set_enabled(mon->soon, SD_EVENT_ONESHOT);
        } else {
                r = sd_event_add_time_relative(mon->manager->event, &mon->soon, CLOCK_MONOTONIC, MONITOR_SOON_USEC,
                                               MONITOR_SOON_ACCURACY_USEC, on_timer, mon);
                if (r >= 0)
                        (void) sd_event_source_set_description(mon->soon, "gap-monitor-soon");
        }
        if (r < 0) {
                /* Not lost: the timer's next run (at most MONITOR_INTERVAL_USEC away) sees it. */
                log_error("Gap monitor: cannot schedule a run after the change: %s", strerror(-r));
                return r;
        }
        return 0;
}

int monitor_new(Manager *m, Monitor **ret) {
        _cleanup_(monitor_freep) Monitor *mon = NULL;
        int r;

        if (!m || !m->event || !ret)
                return -EINVAL;

        mon = calloc(1, sizeof(Monitor));
        if (!mon)
                return -ENOMEM;
        mon->manager = m;

        /* Due at once: the first run happens as soon as the loop starts, after READY=1. */
        r = sd_event_add_time_relative(m->event, &mon->timer, CLOCK_MONOTONIC, 0, MONITOR_ACCURACY_USEC,
                                       on_timer, mon);
        if (r < 0)
                return log_error_errno(r, "Gap monitor: cannot create its timer: %m");
        (void) sd_event_source_set_description(mon->timer, "gap-monitor");

        *ret = TAKE_PTR(mon);
        return 0;
}

Monitor *monitor_free(Monitor *mon) {
        if (!mon)
                return NULL;
        sd_event_source_disable_unref(mon->timer);
        sd_event_source_disable_unref(mon->soon);
        free(mon);
        return NULL;
}
