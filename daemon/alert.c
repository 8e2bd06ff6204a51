/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <systemd/sd-journal.h>

#include "alert.h"
#include "handover.h"
#include "check.h"
#include "report-fields.h"
#include "string-table.h"

/* Fields of one entry at most: the fixed ones, then one DUTY_PERSON per person. */
#define ALERT_FIELDS_FIXED 18
#define ALERT_PEOPLE_MAX 32
#define ALERT_SYSLOG_IDENTIFIER "dutyd"

static const char *const alert_event_table[_ALERT_EVENT_MAX] = {
        [ALERT_EVENT_OPENED] = "opened",
        [ALERT_EVENT_ESCALATED] = "escalated",
        [ALERT_EVENT_RESOLVED] = "resolved",
};

static const char *const alert_message_id_table[_GAP_KIND_MAX] = {
        [GAP_UNFILLED] = ALERT_MESSAGE_ID_UNFILLED,
        [GAP_LEAVE_CONFLICT] = ALERT_MESSAGE_ID_LEAVE_CONFLICT,
        [GAP_INELIGIBLE] = ALERT_MESSAGE_ID_INELIGIBLE,
        [GAP_RULE] = ALERT_MESSAGE_ID_RULE,
        [GAP_ROSTER_MISSING] = ALERT_MESSAGE_ID_ROSTER_MISSING,
        [GAP_HOLIDAY_UNPUBLISHED] = ALERT_MESSAGE_ID_HOLIDAY_UNPUBLISHED,
        [GAP_CALENDAR_UNKNOWN] = ALERT_MESSAGE_ID_CALENDAR_UNKNOWN,
        [GAP_LEAVE_OVERDUE] = ALERT_MESSAGE_ID_LEAVE_OVERDUE,
        [GAP_PAPERWORK_OVERDUE] = ALERT_MESSAGE_ID_PAPERWORK_OVERDUE,
        [GAP_SWAP_PENDING] = ALERT_MESSAGE_ID_SWAP_PENDING,
        [GAP_ACTING_UNCOVERED] = ALERT_MESSAGE_ID_ACTING_UNCOVERED,
        [GAP_TAKEOVER_MISSING] = ALERT_MESSAGE_ID_TAKEOVER_MISSING,
        /* Told by log-watch.c and presence.c with these, never by the gap monitor
         * (gap_kind_told_by_monitor()). */
        [GAP_REPORT_OVERDUE] = ALERT_MESSAGE_ID_REPORT_OVERDUE,
        [GAP_DAILY_REPORT_MISSING] = ALERT_MESSAGE_ID_DAILY_REPORT_MISSING,
        [GAP_PRESENCE_MISSED] = ALERT_MESSAGE_ID_PRESENCE_MISSED,
};

DEFINE_STRING_TABLE_LOOKUP(alert_event, AlertEvent);

const char *alert_message_id(AlertEvent e, GapKind kind) {
        switch (e) {
        case ALERT_EVENT_OPENED:
        case ALERT_EVENT_ESCALATED:
                if (kind < 0 || kind >= _GAP_KIND_MAX)
                        return NULL;
                return alert_message_id_table[kind];
        case ALERT_EVENT_RESOLVED:
                return ALERT_MESSAGE_ID_RESOLVED;
        case _ALERT_EVENT_MAX:
        case _ALERT_EVENT_INVALID:
                break;
        }
        return NULL;
}

int alert_priority(GapUrgency u) {
        switch (u) {
        case GAP_URGENCY_CRIT:
                return LOG_CRIT;
        case GAP_URGENCY_ERR:
                return LOG_ERR;
        case GAP_URGENCY_WARNING:
                return LOG_WARNING;
        case GAP_URGENCY_NOTICE:
        case _GAP_URGENCY_MAX:
        case _GAP_URGENCY_INVALID:
                break;
        }
        return LOG_NOTICE;
}

/* ---- The decision ---- */

typedef struct IndexedId {
        const char *id;
        size_t index;
} IndexedId;

/* By id, then by position, so that the first of two equal ids is the one kept. */
static int indexed_id_compare(const void *a, const void *b) {
        const IndexedId *x = a, *y = b;
        int r = strcmp(x->id, y->id);

        if (r != 0)
                return r;
        return (x->index > y->index) - (x->index < y->index);
}

static int indexed_id_key_compare(const void *key, const void *element) {
        return strcmp(key, ((const IndexedId *) element)->id);
}

static IndexedId *indexed_ids_find(const IndexedId *ids, size_t n, const char *id) {
        return bsearch(id, ids, n, sizeof(IndexedId), indexed_id_key_compare);
}

int alert_plan(const StoreAlertState *prev, size_t n_prev, const Gap *gaps, size_t n_gaps,
               AlertEntry **ret, size_t *ret_n) {
        _cleanup_free_ IndexedId *p = NULL, *g = NULL;
        _cleanup_free_ bool *duplicate = NULL;
        _cleanup_free_ AlertEntry *entries = NULL;
        size_t n = 0;

        if ((n_prev > 0 && !prev) || (n_gaps > 0 && !gaps) || !ret || !ret_n)
                return -EINVAL;
        for (size_t i = 0; i < n_prev; i++)
                if (!prev[i].gap_id)
                        return -EINVAL;
        for (size_t i = 0; i < n_gaps; i++)
                if (!gaps[i].id)
                        return -EINVAL;

        if (n_prev + n_gaps == 0) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }

        p = calloc(n_prev > 0 ? n_prev : 1, sizeof(IndexedId));
        g = calloc(n_gaps > 0 ? n_gaps : 1, sizeof(IndexedId));
        duplicate = calloc(n_gaps > 0 ? n_gaps : 1, sizeof(bool));
        entries = calloc(n_prev + n_gaps, sizeof(AlertEntry));
        if (!p || !g || !duplicate || !entries)
                return -ENOMEM;

        for (size_t i = 0; i < n_prev; i++)
                p[i] = (IndexedId) { .id = prev[i].gap_id, .index = i };
        qsort(p, n_prev, sizeof(IndexedId), indexed_id_compare);
        for (size_t i = 0; i < n_gaps; i++)
                g[i] = (IndexedId) { .id = gaps[i].id, .index = i };
        qsort(g, n_gaps, sizeof(IndexedId), indexed_id_compare);
        for (size_t i = 1; i < n_gaps; i++)
                if (streq(g[i].id, g[i - 1].id))
                        duplicate[g[i].index] = true;

        for (size_t i = 0; i < n_prev; i++)
                if (!indexed_ids_find(g, n_gaps, p[i].id))
                        entries[n++] = (AlertEntry) {
                                .event = ALERT_EVENT_RESOLVED,
                                .state = &prev[p[i].index],
                        };

        for (size_t i = 0; i < n_gaps; i++) {
                const IndexedId *found;

                if (duplicate[i])
                        continue;
                found = indexed_ids_find(p, n_prev, gaps[i].id);
                if (!found)
                        entries[n++] = (AlertEntry) {
                                .event = ALERT_EVENT_OPENED,
                                .gap = &gaps[i],
                        };
                else if ((int) gaps[i].urgency > prev[found->index].urgency ||
                         gaps[i].step > prev[found->index].step)
                        entries[n++] = (AlertEntry) {
                                .event = ALERT_EVENT_ESCALATED,
                                .gap = &gaps[i],
                                .state = &prev[found->index],
                        };
        }

        if (n == 0) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        *ret = TAKE_PTR(entries);
        *ret_n = n;
        return 0;
}

static char *people_join(const Gap *g) {
        size_t len = 0;
        char *s, *p;

        if (g->n_people == 0)
                return NULL;
        for (size_t i = 0; i < g->n_people; i++)
                len += strlen(g->people[i]) + 1;
        s = malloc(len);
        if (!s)
                return NULL;
        p = s;
        for (size_t i = 0; i < g->n_people; i++) {
                if (i > 0)
                        p = stpcpy(p, ALERT_PEOPLE_SEPARATOR);
                p = stpcpy(p, g->people[i]);
        }
        return s;
}

static int strdup_or_null(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

int alert_state_from_gap(const Gap *g, const StoreAlertState *prev, const char *message, uint64_t now_usec,
                         StoreAlertState *ret) {
        StoreAlertState a = {
                .urgency = g ? (int) g->urgency : 0,
                .day = g ? g->day : DAY_NONE,
                .slot = g ? g->slot : -1,
                .leave_id = g ? g->leave_id : 0,
                .swap_id = g ? g->swap_id : 0,
                .step = g ? g->step : 0,
                .first_usec = prev ? prev->first_usec : now_usec,
                .last_usec = now_usec,
        };

        if (!g || !g->id || !ret || !gap_kind_to_string(g->kind))
                return -EINVAL;

        if (strdup_or_null(g->id, &a.gap_id) < 0 ||
            strdup_or_null(gap_kind_to_string(g->kind), &a.kind) < 0 ||
            strdup_or_null(g->post, &a.post) < 0 ||
            strdup_or_null(g->rule, &a.rule) < 0 ||
            strdup_or_null(message, &a.message) < 0)
                goto oom;
        if (g->n_people > 0) {
                a.people = people_join(g);
                if (!a.people)
                        goto oom;
        }

        *ret = a;
        return 0;

oom:
        store_alert_state_done(&a);
        return -ENOMEM;
}

char *alert_entry_message(const AlertEntry *e, const Config *c, const char *lang) {
        bool en = lang && streq(lang, "en");
        char *s;

        if (!e || !c)
                return NULL;

        switch (e->event) {
        case ALERT_EVENT_OPENED:
        case ALERT_EVENT_ESCALATED:
                return e->gap ? gap_message(e->gap, c, lang) : NULL;
        case ALERT_EVENT_RESOLVED:
                if (!e->state)
                        return NULL;
                if (asprintf(&s, en ? "Resolved: %s" : "已解决：%s",
                             e->state->message ?: e->state->gap_id) < 0)
                        return NULL;
                return s;
        case _ALERT_EVENT_MAX:
        case _ALERT_EVENT_INVALID:
                break;
        }
        return NULL;
}

/* ---- The journal ---- */

typedef struct Fields {
        struct iovec iov[ALERT_FIELDS_FIXED + ALERT_PEOPLE_MAX];
        size_t n;
        bool oom;
} Fields;

static void fields_done(Fields *f) {
        for (size_t i = 0; i < f->n; i++)
                free(f->iov[i].iov_base);
        f->n = 0;
}

_printf_(2, 3) static void fields_add(Fields *f, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        if (f->oom || f->n >= ELEMENTSOF(f->iov))
                return;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0) {
                f->oom = true;
                return;
        }
        f->iov[f->n++] = (struct iovec) { .iov_base = s, .iov_len = (size_t) r };
}

static void fields_add_people(Fields *f, const Gap *g, const char *joined) {
        size_t n = 0;

        if (g) {
                for (size_t i = 0; i < g->n_people && n < ALERT_PEOPLE_MAX; i++, n++)
                        fields_add(f, "DUTY_PERSON=%s", g->people[i]);
                return;
        }

        for (const char *p = joined; p && *p && n < ALERT_PEOPLE_MAX; n++) {
                size_t len = strcspn(p, ALERT_PEOPLE_SEPARATOR);

                if (len > 0)
                        fields_add(f, "DUTY_PERSON=%.*s", (int) len, p);
                p += len;
                if (*p)
                        p++;
        }
}

int alert_send(const AlertEntry *e, const char *office, const char *message) {
        _cleanup_(fields_done) Fields f = {};
        const Gap *g;
        const StoreAlertState *st;
        const char *id, *kind, *post, *rule, *message_id;
        char date[DAY_STRING_MAX];
        int urgency, slot, r;
        int64_t leave_id, swap_id;
        Day day;

        if (!e || !message)
                return -EINVAL;
        g = e->event == ALERT_EVENT_RESOLVED ? NULL : e->gap;
        st = e->state;
        if (e->event == ALERT_EVENT_RESOLVED ? !st : !g)
                return -EINVAL;

        /* A resolved gap is described by what was told about it. */
        id = g ? g->id : st->gap_id;
        kind = g ? gap_kind_to_string(g->kind) : st->kind;
        urgency = g ? (int) g->urgency : st->urgency;
        day = g ? g->day : st->day;
        post = g ? g->post : st->post;
        slot = g ? g->slot : st->slot;
        rule = g ? g->rule : st->rule;
        leave_id = g ? g->leave_id : st->leave_id;
        swap_id = g ? g->swap_id : st->swap_id;

        message_id = alert_message_id(e->event, g ? g->kind : _GAP_KIND_INVALID);
        if (!message_id || !id)
                return -EINVAL;

        fields_add(&f, "MESSAGE_ID=%s", message_id);
        fields_add(&f, "PRIORITY=%d",
                   e->event == ALERT_EVENT_RESOLVED ? ALERT_PRIORITY_RESOLVED : alert_priority((GapUrgency) urgency));
        fields_add(&f, "MESSAGE=%s", message);
        fields_add(&f, "SYSLOG_IDENTIFIER=%s", ALERT_SYSLOG_IDENTIFIER);
        if (office)
                fields_add(&f, REPORT_FIELD_OFFICE "=%s", office);
        fields_add(&f, "DUTY_GAP_ID=%s", id);
        fields_add(&f, "DUTY_GAP_KIND=%s", strna(kind));
        fields_add(&f, "DUTY_GAP_EVENT=%s", alert_event_to_string(e->event));
        fields_add(&f, "DUTY_URGENCY=%s", strna(gap_urgency_to_string((GapUrgency) urgency)));
        if (day != DAY_NONE)
                fields_add(&f, "DUTY_DATE=%s", day_format(day, date));
        if (post)
                fields_add(&f, "DUTY_POST=%s", post);
        if (slot >= 0)
                fields_add(&f, "DUTY_SLOT=%d", slot);
        if (rule)
                fields_add(&f, "DUTY_RULE=%s", rule);
        if (leave_id != 0)
                fields_add(&f, "DUTY_LEAVE_ID=%" PRIi64, leave_id);
        if (swap_id != 0)
                fields_add(&f, "DUTY_SWAP_ID=%" PRIi64, swap_id);
        if (g && g->kind == GAP_TAKEOVER_MISSING) {
                static const char *const audience[_HANDOVER_AUDIENCE_MAX] = {
                        [HANDOVER_AUDIENCE_DUE] = "due",
                        [HANDOVER_AUDIENCE_LEADER] = "leader",
                        [HANDOVER_AUDIENCE_ADMINS] = "admins",
                };

                fields_add(&f, "DUTY_STEP=%d", g->step);
                fields_add(&f, "DUTY_ESCALATION=%s", audience[handover_step_audience(g->step)]);
        }
        fields_add_people(&f, g, g ? NULL : st->people);
        if (f.oom)
                return -ENOMEM;

        r = sd_journal_sendv(f.iov, (int) f.n);
        return r < 0 ? r : 0;
}

int alert_send_presence(const PresenceCheck *p, bool missed, char *const *people, const char *office,
                        const char *message) {
        _cleanup_(fields_done) Fields f = {};
        char date[DAY_STRING_MAX], due[DAY_STRING_MAX], hm[6];
        int r;

        if (!p || !message)
                return -EINVAL;

        fields_add(&f, "MESSAGE_ID=%s", missed ? ALERT_MESSAGE_ID_PRESENCE_MISSED : ALERT_MESSAGE_ID_PRESENCE_ASKED);
        fields_add(&f, "PRIORITY=%d", missed ? LOG_CRIT : LOG_WARNING);
        fields_add(&f, "MESSAGE=%s", message);
        fields_add(&f, "SYSLOG_IDENTIFIER=%s", ALERT_SYSLOG_IDENTIFIER);
        if (office)
                fields_add(&f, REPORT_FIELD_OFFICE "=%s", office);
        fields_add(&f, "DUTY_CHECK_ID=%" PRIi64, p->id);
        fields_add(&f, "DUTY_DATE=%s", day_format(p->duty_day, date));
        fields_add(&f, "DUTY_DUE=%sT%s", day_format(p->due_day, due), minutes_format(p->due_minutes, hm));
        for (size_t i = 0; people && people[i] && i < ALERT_PEOPLE_MAX; i++)
                fields_add(&f, "DUTY_PERSON=%s", people[i]);
        if (f.oom)
                return -ENOMEM;

        r = sd_journal_sendv(f.iov, (int) f.n);
        return r < 0 ? r : 0;
}

/* Local "YYYY-MM-DD HH:MM" of an instant. */
static const char *alert_stamp(uint64_t usec, char buf[static 20]) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm) || strftime(buf, 20, "%Y-%m-%d %H:%M", &tm) == 0)
                return "-";
        return buf;
}

char *alert_report_overdue_message(const StoreDutyLog *e, DutyLogReport r, uint64_t now_usec, const char *lang) {
        bool en = lang && streq(lang, "en");
        char due[20], date[DAY_STRING_MAX];
        char *s = NULL;

        if (!e || r < 0 || r >= _DUTYLOG_REPORT_MAX)
                return NULL;
        if (asprintf(&s, en ? "Report overdue: the %s of emergency no. %" PRIi64 " of %s (\"%s\") was due by %s and is "
                              "%" PRIu64 " min late; send it now and record it with `dutyctl log report %" PRIi64 " %s --to WHOM`."
                            : "信息报送超时：%3$s 第 %2$" PRIi64 " 条突发事件（“%4$s”）的%1$s应于 %5$s 前报送，已超时 %6$" PRIu64
                              " 分钟；请立即报送，并用 `dutyctl log report %7$" PRIi64 " %8$s --to 报送对象` 登记。",
                     dutylog_report_label(r, en ? "en" : "zh"), e->id, day_format(e->day, date), e->matter,
                     alert_stamp(e->report_due_usec[r], due),
                     dutylog_minutes_overdue(e->report_due_usec[r], now_usec), e->id, dutylog_report_to_string(r)) < 0)
                return NULL;
        return s;
}

int alert_report_overdue_send(const StoreDutyLog *e, DutyLogReport r, uint64_t now_usec, const char *office,
                              const char *message) {
        _cleanup_(fields_done) Fields f = {};
        char due[20], date[DAY_STRING_MAX];
        int k;

        if (!e || !message || r < 0 || r >= _DUTYLOG_REPORT_MAX)
                return -EINVAL;

        fields_add(&f, "MESSAGE_ID=%s", ALERT_MESSAGE_ID_REPORT_OVERDUE);
        fields_add(&f, "PRIORITY=%d", LOG_CRIT);
        fields_add(&f, "MESSAGE=%s", message);
        fields_add(&f, "SYSLOG_IDENTIFIER=%s", ALERT_SYSLOG_IDENTIFIER);
        if (office)
                fields_add(&f, REPORT_FIELD_OFFICE "=%s", office);
        fields_add(&f, "DUTY_LOG_ID=%" PRIi64, e->id);
        fields_add(&f, "DUTY_DATE=%s", day_format(e->day, date));
        fields_add(&f, "DUTY_REPORT=%s", dutylog_report_to_string(r));
        fields_add(&f, "DUTY_DUE=%s", alert_stamp(e->report_due_usec[r], due));
        fields_add(&f, "DUTY_OVERDUE_MINUTES=%" PRIu64, dutylog_minutes_overdue(e->report_due_usec[r], now_usec));
        if (e->recorded_by)
                fields_add(&f, "DUTY_PERSON=%s", e->recorded_by);
        if (f.oom)
                return -ENOMEM;

        k = sd_journal_sendv(f.iov, (int) f.n);
        return k < 0 ? k : 0;
}

char *alert_daily_report_message(Day d, uint64_t due_usec, const char *lang) {
        bool en = lang && streq(lang, "en");
        char due[20], date[DAY_STRING_MAX];
        char *s = NULL;

        if (asprintf(&s, en ? "Daily report missing: the daily report of the duty of %s was due by %s and has not been "
                              "sent; send it (\"nothing to report\" when nothing happened) and record it with "
                              "`dutyctl report daily --send --to WHOM`."
                            : "每日报告未报送：%s 值班的每日报告应于 %s 前报送，至今未报送；请立即报送（无事也须报平安），"
                              "并用 `dutyctl report daily --send --to 报送对象` 登记。",
                     day_format(d, date), alert_stamp(due_usec, due)) < 0)
                return NULL;
        return s;
}

int alert_daily_report_send(Day d, uint64_t due_usec, const char *const *people, size_t n, const char *office,
                            const char *message) {
        _cleanup_(fields_done) Fields f = {};
        char due[20], date[DAY_STRING_MAX];
        int k;

        if (!message)
                return -EINVAL;
        fields_add(&f, "MESSAGE_ID=%s", ALERT_MESSAGE_ID_DAILY_REPORT_MISSING);
        fields_add(&f, "PRIORITY=%d", LOG_CRIT);
        fields_add(&f, "MESSAGE=%s", message);
        fields_add(&f, "SYSLOG_IDENTIFIER=%s", ALERT_SYSLOG_IDENTIFIER);
        if (office)
                fields_add(&f, REPORT_FIELD_OFFICE "=%s", office);
        fields_add(&f, "DUTY_DATE=%s", day_format(d, date));
        fields_add(&f, "DUTY_DUE=%s", alert_stamp(due_usec, due));
        for (size_t i = 0; i < n && i < ALERT_PEOPLE_MAX; i++)
                if (people[i])
                        fields_add(&f, "DUTY_PERSON=%s", people[i]);
        if (f.oom)
                return -ENOMEM;
        k = sd_journal_sendv(f.iov, (int) f.n);
        return k < 0 ? k : 0;
}
