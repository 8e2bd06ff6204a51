/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <systemd/sd-event.h>
#include <time.h>

#include "alert.h"
#include "duty.h"
#include "dutylog.h"
#include "log-watch.h"
#include "log.h"
#include "context.h"
#include "notify-outbox.h"
#include "notify-send.h"
#include "store.h"

/* How late the timer may fire, to let the loop batch wake-ups. */
#define LOG_WATCH_ACCURACY_USEC USEC_PER_SEC

struct LogWatch {
        Manager *manager;
        sd_event_source *timer;
        bool locked;            /* the last turn found the database locked: said once */
        bool journal_failing;   /* idem for the journal */
};

int log_watch_daily(Store *s, const Config *c, Day d, bool *ret_due, uint64_t *ret_deadline_usec) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        char date[DAY_STRING_MAX];
        struct tm tm = {};
        bool holiday, sensitive;
        time_t t;
        int r;

        r = duty_calendar_load(s, c, &dc);
        if (r < 0)
                return r;
        holiday = calendar_day_type(&dc.calendar, d) == DAY_TYPE_HOLIDAY || calendar_holiday_name(&dc.calendar, d);
        sensitive = calendar_sensitive_at(&dc.calendar, d) != NULL;

        if (!strptime(day_format(d, date), "%Y-%m-%d", &tm))
                return -EINVAL;
        tm.tm_hour = c->duty_log.daily_report_minutes / 60;
        tm.tm_min = c->duty_log.daily_report_minutes % 60;
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t) -1 || t < 0)
                return -EINVAL;

        *ret_due = dutylog_daily_due(c->duty_log.daily_report, holiday, sensitive);
        *ret_deadline_usec = (uint64_t) t * USEC_PER_SEC;
        return 0;
}

/* Whether the daily report of day d is owed now: due, past its deadline (*ret_deadline), and with
 * no row of its own (neither sent nor told of). 1 if so, 0 if not, or a negative errno. */
static int log_watch_daily_owed(Manager *m, Day d, uint64_t now, uint64_t *ret_deadline) {
        _cleanup_(store_daily_report_done) StoreDailyReport dr = {};
        uint64_t deadline;
        bool due;
        int r;

        r = log_watch_daily(m->store, m->config, d, &due, &deadline);
        if (r < 0 || !due || now < deadline)
                return r < 0 ? r : 0;
        r = store_daily_report_get(m->store, d, &dr);
        if (r >= 0)
                return 0;       /* sent, or told already */
        if (r != -ENOENT)
                return r;
        if (ret_deadline)
                *ret_deadline = deadline;
        return 1;
}

/* A missed report reaches the admins and the leader on call of its duty day (report_missed), in the
 * transaction that remembers it was told: told once, queued once. */
static int log_watch_notify(LogWatch *w, Day day, const char *key, char *(*message)(const void *, const char *),
                            const void *userdata) {
        Manager *m = w->manager;
        _cleanup_free_ char *zh = NULL, *en = NULL;
        NotifyFacts f;

        if (m->config->notify.n_channels == 0 || !m->config->notify.alerts)
                return 0;
        zh = message(userdata, "zh");
        en = message(userdata, "en");
        if (!zh || !en)
                return -ENOMEM;
        f = (NotifyFacts) {
                .kind = NOTIFY_KIND_REPORT_MISSED,
                .day = day,
                .until = DAY_NONE,
                .detail_zh = zh,
                .detail_en = en,
        };
        return notify_outbox_add_alert(m->store, m->config, day, key, &f, manager_now_usec(m));
}

typedef struct DailyMessage {
        Day day;
        uint64_t deadline;
} DailyMessage;

static char *daily_message(const void *userdata, const char *lang) {
        const DailyMessage *d = userdata;

        return alert_daily_report_message(d->day, d->deadline, lang);
}

typedef struct ReportMessage {
        const StoreDutyLog *entry;
        DutyLogReport report;
        uint64_t now;
} ReportMessage;

static char *report_message(const void *userdata, const char *lang) {
        const ReportMessage *x = userdata;

        return alert_report_overdue_message(x->entry, x->report, x->now, lang);
}

/* The daily reports of the duty under way and of the one before (dutyd may have been down at the
 * deadline) that are due, late and neither sent nor told: told now. Returns how many, or a
 * negative errno (the transaction is the caller's). */
static int log_watch_daily_run(LogWatch *w, uint64_t now, int *failed) {
        Manager *m = w->manager;
        Day today = manager_today(m);
        int told = 0, r;

        for (Day d = today - 1; d <= today; d++) {
                _cleanup_free_ char *message = NULL;
                _cleanup_free_ const char **people = NULL;
                StoreAssignment *a = NULL;
                uint64_t deadline;
                size_t n = 0;

                r = log_watch_daily_owed(m, d, now, &deadline);
                if (r <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }

                r = store_assignment_list(m->store, d, d, &a, &n);
                if (r < 0)
                        return r;
                people = calloc(n + 1, sizeof(char *));
                message = alert_daily_report_message(d, deadline, manager_journal_language(m));
                if (!people || !message) {
                        store_assignment_free_many(a, n);
                        return -ENOMEM;
                }
                for (size_t i = 0; i < n; i++)
                        people[i] = a[i].person;
                r = alert_daily_report_send(d, deadline, people, n, manager_office_id(m), message);
                store_assignment_free_many(a, n);
                if (r < 0) {
                        *failed = r;
                        continue;
                }
                r = store_daily_report_alerted(m->store, d, now);
                if (r < 0)
                        return r;
                {
                        DailyMessage dm = { .day = d, .deadline = deadline };
                        char key[64], date[DAY_STRING_MAX];

                        (void) snprintf(key, sizeof(key), "report_missed:daily:%s", day_format(d, date));
                        r = log_watch_notify(w, d, key, daily_message, &dm);
                        if (r < 0)
                                return r;
                }
                told++;
        }
        return told;
}

/* Whether anything is to be told now, read without the write lock: a turn that finds nothing (nearly
 * every one) never takes it, so another program using the database is not kept waiting every
 * minute. >0 when something is, 0 when nothing, a negative errno. */
static int log_watch_pending(LogWatch *w, uint64_t now) {
        Manager *m = w->manager;
        Day today = manager_today(m);
        StoreDutyLog *e = NULL;
        size_t n = 0;
        int r;

        r = store_duty_log_overdue(m->store, now, &e, &n);
        if (r < 0)
                return r;
        store_duty_log_free_many(e, n);
        if (n > 0)
                return 1;

        for (Day d = today - 1; d <= today; d++) {
                r = log_watch_daily_owed(m, d, now, NULL);
                if (r != 0)
                        return r;
        }
        return 0;
}

int log_watch_run(LogWatch *w) {
        _cleanup_transaction_ Store *tx = NULL;
        Manager *m;
        StoreDutyLog *e = NULL;
        size_t n = 0, told = 0;
        uint64_t now;
        int r, failed = 0;

        if (!w)
                return -EINVAL;
        m = w->manager;
        /* A damaged store cannot remember what was told: it would be told again at every turn. */
        if (store_damage(m->store) != STORE_DAMAGE_NONE)
                return 0;
        now = manager_now_usec(m);

        r = log_watch_pending(w, now);
        if (r < 0)
                return log_error_errno(r, "Duty log: cannot read the report deadlines: %m");
        if (r == 0) {
                log_debug("Duty log: report deadlines looked at, 0 overdue reports told.");
                return 0;
        }

        /* The lock before telling: telling the journal of what cannot be remembered would repeat it. */
        r = store_begin(m->store);
        if (r == -EBUSY) {
                if (!w->locked)
                        log_warning("Duty log: the database is locked by another program; overdue reports "
                                    "are told at the next turn.");
                w->locked = true;
                return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Duty log: cannot begin the transaction: %m");
        tx = m->store;
        w->locked = false;

        r = store_duty_log_overdue(m->store, now, &e, &n);
        if (r < 0)
                return log_error_errno(r, "Duty log: cannot read the report deadlines: %m");

        /* The journal first, then the memory of it: a crash in between repeats an entry rather than
         * losing one. */
        for (size_t i = 0; i < n && r >= 0; i++)
                for (DutyLogReport k = 0; k < _DUTYLOG_REPORT_MAX && r >= 0; k++) {
                        _cleanup_free_ char *message = NULL;
                        int q;

                        /* A follow-up is due again after each one sent: told once per due time. */
                        bool said = k == DUTYLOG_REPORT_FOLLOWUP ?
                                e[i].report_alerted_usec[k] >= e[i].report_due_usec[k] :
                                e[i].report_sent_usec[k] != 0 || e[i].report_alerted_usec[k] != 0;

                        if (e[i].report_due_usec[k] == 0 || e[i].report_due_usec[k] > now || said)
                                continue;
                        message = alert_report_overdue_message(&e[i], k, now, manager_journal_language(m));
                        if (!message) {
                                r = -ENOMEM;
                                break;
                        }
                        q = alert_report_overdue_send(&e[i], k, now, manager_office_id(m), message);
                        if (q < 0) {
                                failed = q;
                                continue;
                        }
                        told++;
                        r = store_duty_log_report_alerted(m->store, e[i].id, k, now);
                        if (r >= 0) {
                                ReportMessage rm = { .entry = &e[i], .report = k, .now = now };
                                char key[128];

                                /* A follow-up is owed again after each one sent: one key per due time. */
                                (void) snprintf(key, sizeof(key), "report_missed:%lld:%s:%llu", (long long) e[i].id,
                                                dutylog_report_to_string(k),
                                                (unsigned long long) e[i].report_due_usec[k]);
                                r = log_watch_notify(w, e[i].day, key, report_message, &rm);
                        }
                }
        store_duty_log_free_many(e, n);
        if (r >= 0) {
                r = log_watch_daily_run(w, now, &failed);
                if (r > 0)
                        told += (size_t) r;
        }

        if (failed < 0 && !w->journal_failing)
                log_warning("Duty log: cannot write to the journal (%s); overdue reports are told at the next turn.",
                            strerror(-failed));
        w->journal_failing = failed < 0;

        if (r < 0)
                return log_error_errno(r, "Duty log: cannot remember the reports told: %m");
        if (told == 0) {
                /* Nothing to remember: the cleanup rolls the empty transaction back. */
                log_debug("Duty log: report deadlines looked at, 0 overdue reports told.");
                return 0;
        }
        r = store_commit(TAKE_PTR(tx));
        if (r < 0)
                return log_error_errno(r, "Duty log: cannot remember the reports told: %m");
        (void) notifier_schedule(m->notifier);
        log_debug("Duty log: report deadlines looked at, %zu overdue reports told.", told);
        return 0;
}

static int on_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        LogWatch *w = userdata;

        (void) log_watch_run(w);
        if (sd_event_source_set_time_relative(s, LOG_WATCH_INTERVAL_USEC) < 0 ||
            sd_event_source_set_enabled(s, SD_EVENT_ONESHOT) < 0)
                log_error("Duty log: cannot re-arm the report deadline timer.");
        return 0;
}

int log_watch_new(Manager *m, LogWatch **ret) {
        _cleanup_(log_watch_freep) LogWatch *w = NULL;
        int r;

        if (!m || !m->event || !ret)
                return -EINVAL;

        w = calloc(1, sizeof(LogWatch));
        if (!w)
                return -ENOMEM;
        w->manager = m;

        /* Due at once: the first turn happens as soon as the loop starts. */
        r = sd_event_add_time_relative(m->event, &w->timer, CLOCK_MONOTONIC, 0, LOG_WATCH_ACCURACY_USEC,
                                       on_timer, w);
        if (r < 0)
                return log_error_errno(r, "Duty log: cannot create the report deadline timer: %m");
        (void) sd_event_source_set_description(w->timer, "log-watch");

        *ret = TAKE_PTR(w);
        return 0;
}

LogWatch *log_watch_free(LogWatch *w) {
        if (!w)
                return NULL;
        sd_event_source_disable_unref(w->timer);
        free(w);
        return NULL;
}
