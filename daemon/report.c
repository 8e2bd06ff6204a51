/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "api-json.h"
#include "config.h"
#include "leave-service.h"
#include "log.h"
#include "manager.h"
#include "report.h"
#include "store.h"
#include "string-table.h"

static const char *const report_state_table[_REPORT_STATE_MAX] = {
        [REPORT_PUBLISHED] = REPORT_STATE_PUBLISHED,
        [REPORT_AMENDED] = REPORT_STATE_AMENDED,
        [REPORT_APPROVED] = REPORT_STATE_APPROVED,
        [REPORT_CHANGED] = REPORT_STATE_CHANGED,
        [REPORT_CANCELLED] = REPORT_STATE_CANCELLED,
        [REPORT_RETURNED] = REPORT_STATE_RETURNED,
};

DEFINE_STRING_TABLE_LOOKUP(report_state, ReportState);

/* The Chinese word of a state, for the MESSAGE. */
static const char *report_state_zh(ReportState s) {
        switch (s) {
        case REPORT_PUBLISHED:
                return "已发布";
        case REPORT_AMENDED:
                return "已变更";
        case REPORT_APPROVED:
                return "已批准";
        case REPORT_CHANGED:
                return "行程变更";
        case REPORT_CANCELLED:
                return "已取消";
        case REPORT_RETURNED:
                return "已销假";
        case _REPORT_STATE_MAX:
        case _REPORT_STATE_INVALID:
                break;
        }
        return "?";
}

int report_holiday_key(const HolidayDay *days, size_t n_days, Day from, Day to, char buf[static REPORT_KEY_MAX]) {
        const HolidayDay *named = NULL;

        if (!buf || from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;
        /* A run belongs to the year of its last holiday (calendar.h): the last named day decides. */
        for (size_t i = 0; i < n_days; i++)
                if (days[i].day >= from && days[i].day <= to && days[i].off && days[i].notice_item > 0)
                        named = &days[i];
        if (!named)
                return -ENOENT;
        (void) snprintf(buf, REPORT_KEY_MAX, "%d-%u", named->notice_year, named->notice_item);
        return 0;
}

const char *report_stamp(uint64_t usec, char buf[static REPORT_STAMP_MAX]) {
        return instant_format(usec, buf) < 0 ? NULL : buf;
}


static json_t *day_json(Day d) {
        char buf[DAY_STRING_MAX];

        return d == DAY_NONE ? json_null() : json_string(day_format(d, buf));
}

static json_t *person_json(const ReportPerson *p) {
        if (!p || !p->id)
                return json_null();
        return json_pack("{s:s, s:s, s:o}", "id", p->id, "name", p->name ?: p->id, "phone", json_string_or_null(p->phone));
}

/* Dumps j (stolen) compactly, refusing what the contract does not allow. */
static int report_dump(json_t *j, char **ret) {
        char *text;

        if (!j)
                return -ENOMEM;
        text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        if (!text)
                return -ENOMEM;
        if (strlen(text) > REPORT_JSON_MAX) {
                free(text);
                return -E2BIG;
        }
        *ret = text;
        return 0;
}

int report_roster_json(const ReportOffice *o, const ReportRoster *r, char **ret) {
        json_t *days, *j;

        if (!o || !o->id || !r || !r->key || !r->holiday || !ret || (r->n_days > 0 && !r->days) ||
            (r->state != REPORT_PUBLISHED && r->state != REPORT_AMENDED))
                return -EINVAL;

        days = json_array();
        if (!days)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_days; i++) {
                const ReportDay *d = &r->days[i];
                json_t *officers = json_array(), *day;

                for (size_t k = 0; officers && k < d->n_officers; k++)
                        if (json_array_append_new(officers, person_json(&d->officers[k])) < 0) {
                                json_decref(officers);
                                officers = NULL;
                        }
                day = officers ? json_pack("{s:o, s:o, s:o, s:o}", "date", day_json(d->day),
                                           "leader", person_json(d->leader), "officers", officers,
                                           "duty_phone", json_string_or_null(d->duty_phone))
                               : NULL;
                if (!day || json_array_append_new(days, day) < 0) {
                        json_decref(days);
                        return -ENOMEM;
                }
        }

        j = json_pack("{s:i, s:s, s:o, s:o, s:s, s:s, s:{s:s, s:o, s:o}, s:i, s:s, s:o, s:o}",
                      "schema", REPORT_JSON_SCHEMA,
                      "office", o->id,
                      "office_name", json_string_or_null(o->name),
                      "office_phone", json_string_or_null(o->phone),
                      "kind", REPORT_KIND_NAME_ROSTER,
                      "key", r->key,
                      "holiday", "name", r->holiday, "from", day_json(r->from), "to", day_json(r->to),
                      "version", r->version,
                      "state", report_state_to_string(r->state),
                      "published", json_string_or_null(r->published),
                      "days", days);
        return report_dump(j, ret);
}

int report_away_json(const ReportOffice *o, const ReportAway *a, char **ret) {
        json_t *j, *acting;

        if (!o || !o->id || !a || !a->key || !a->person.id || !a->start || !a->end || !ret ||
            a->state < REPORT_APPROVED || a->state > REPORT_RETURNED)
                return -EINVAL;

        acting = a->acting_id ? json_pack("{s:s, s:s}", "id", a->acting_id, "name", a->acting_name ?: a->acting_id)
                              : json_null();
        j = json_pack("{s:i, s:s, s:o, s:s, s:s, s:I, s:i, s:s, s:{s:s, s:s, s:o, s:o}, s:o, s:o, s:s, s:s, s:i, "
                      "s:o, s:o}",
                      "schema", REPORT_JSON_SCHEMA,
                      "office", o->id,
                      "office_name", json_string_or_null(o->name),
                      "kind", REPORT_KIND_NAME_AWAY,
                      "key", a->key,
                      "leave_id", (json_int_t) a->leave_id,
                      "version", a->version,
                      "state", report_state_to_string(a->state),
                      "person", "id", a->person.id, "name", a->person.name ?: a->person.id,
                      "title", json_string_or_null(a->person.title), "phone", json_string_or_null(a->person.phone),
                      "destination", json_string_or_null(a->destination),
                      "reason", json_string_or_null(a->reason),
                      "start", a->start,
                      "end", a->end,
                      "half_days", (int) a->half_days,
                      "acting", acting,
                      "reported", json_string_or_null(a->reported));
        return report_dump(j, ret);
}

char *report_roster_message(const ReportRoster *r, const char *lang) {
        char f[DAY_STRING_MAX], t[DAY_STRING_MAX];
        char *s;

        if (!r || !r->holiday)
                return NULL;
        day_format(r->from, f);
        day_format(r->to, t);
        if (lang && streq(lang, "en")) {
                if (asprintf(&s, "Roster reported to the superior office: %s %s to %s, version %d%s", r->holiday, f, t,
                             r->version, r->state == REPORT_AMENDED ? " (amended)" : "") < 0)
                        return NULL;
        } else if (asprintf(&s, "值班表已报送：%s %s至%s 第%d版%s", r->holiday, f, t, r->version,
                            r->state == REPORT_AMENDED ? "（已变更）" : "") < 0)
                return NULL;
        return s;
}

char *report_away_message(const ReportAway *a, const char *lang) {
        const char *who;
        char *s;

        if (!a || !a->person.id || !a->start || !a->end)
                return NULL;
        who = a->person.name ?: a->person.id;
        if (lang && streq(lang, "en")) {
                if (asprintf(&s, "away: %s, %s to %s, to %s (%s, version %d)", who, a->start, a->end,
                             a->destination ?: "(no destination given)", report_state_to_string(a->state),
                             a->version) < 0)
                        return NULL;
        } else if (asprintf(&s, "外出报备：%s %s至%s 赴%s（%s，第%d版）", who, a->start, a->end,
                            a->destination ?: "（未填目的地）", report_state_zh(a->state), a->version) < 0)
                return NULL;
        return s;
}

int report_fields(const ReportOffice *o, const char *kind, const char *key, int version, ReportState state,
                  Day from, Day to, const char *json, char ***ret) {
        char f[DAY_STRING_MAX], t[DAY_STRING_MAX];
        char **l;
        size_t n = 0;
        bool oom = false;

        if (!o || !o->id || !kind || !key || !json || !ret || version < 1 || !report_state_to_string(state))
                return -EINVAL;
        l = calloc(9, sizeof(char *));
        if (!l)
                return -ENOMEM;
#define ADD(...) do { if (asprintf(&l[n], __VA_ARGS__) < 0) { l[n] = NULL; oom = true; } else n++; } while (0)
        if (o->name)
                ADD(REPORT_FIELD_OFFICE_NAME "=%s", o->name);
        ADD(REPORT_FIELD_KIND "=%s", kind);
        ADD(REPORT_FIELD_KEY "=%s", key);
        ADD(REPORT_FIELD_VERSION "=%d", version);
        ADD(REPORT_FIELD_STATE "=%s", report_state_to_string(state));
        ADD(REPORT_FIELD_FROM "=%s", day_format(from, f));
        ADD(REPORT_FIELD_TO "=%s", day_format(to, t));
        ADD(REPORT_FIELD_JSON "=%s", json);
#undef ADD
        if (oom) {
                strv_free_n(l, n);
                return -ENOMEM;
        }
        *ret = l;
        return 0;
}

/* ---- What the daemon reports ---- */

static ReportOffice report_office(const Config *c) {
        return (ReportOffice) { .id = c->office_id, .name = c->office, .phone = c->documents.office_phone };
}

static ReportPerson report_person(const Config *c, const char *id) {
        const Person *p = id ? config_find_person(c, id) : NULL;

        return (ReportPerson) {
                .id = id,
                .name = p && p->name ? p->name : id,
                .title = p ? p->title : NULL,
                .phone = p ? p->phone : NULL,
        };
}

/* Queues the entry with the request's other journal entries (sent only once it commits). */
static int report_queue(Manager *m, const char *kind, const char *key, int version, ReportState state, Day from,
                        Day to, const char *json, const char *message) {
        const ReportOffice o = report_office(m->config);
        char **fields = NULL;
        int r;

        r = report_fields(&o, kind, key, version, state, from, to, json, &fields);
        if (r < 0)
                return r;
        r = log_queue_add(&m->journal_pending, LOG_INFO, REPORT_MESSAGE_ID, (const char *const *) fields, message);
        strv_free(fields);
        return r;
}

/* One holiday period's report at version `at_least` or later. */
static int report_roster_run(Manager *m, const HolidayRun *run, const char *key, int at_least, ReportState state,
                             uint64_t usec) {
        const Config *c = m->config;
        const ReportOffice o = report_office(c);
        _cleanup_free_ char *json = NULL, *message = NULL;
        _cleanup_free_ ReportDay *days = NULL;
        _cleanup_free_ ReportPerson *people = NULL;
        StoreAssignment *a = NULL;
        char stamp[REPORT_STAMP_MAX];
        size_t n = 0, n_days = (size_t) (run->to - run->from) + 1, k = 0;
        int r, version;

        r = store_report_version_next(m->store, key, at_least, &version);
        if (r < 0)
                return r;
        r = store_assignment_list(m->store, run->from, run->to, &a, &n);
        if (r < 0)
                return r;
        days = calloc(n_days, sizeof(ReportDay));
        people = calloc(n > 0 ? n : 1, sizeof(ReportPerson));
        if (!days || !people) {
                r = -ENOMEM;
                goto finish;
        }
        /* Slots come ordered by day; the leader on call is the slot of a post for leaders, the
         * officers the other filled slots, people stored one after another per day. */
        for (size_t d = 0, i = 0; d < n_days; d++) {
                ReportDay *day = &days[d];

                *day = (ReportDay) { .day = run->from + (Day) d, .duty_phone = c->documents.office_phone };
                for (; i < n && a[i].day < day->day; i++)
                        ;
                for (size_t j = i; j < n && a[j].day == day->day; j++) {
                        const Post *post = config_find_post(c, a[j].post);

                        if (!a[j].person || !post || post->role != ROLE_LEADER || day->leader)
                                continue;
                        people[k] = report_person(c, a[j].person);
                        day->leader = &people[k++];
                }
                day->officers = &people[k];
                for (; i < n && a[i].day == day->day; i++) {
                        const Post *post = config_find_post(c, a[i].post);

                        if (!a[i].person || (post && post->role == ROLE_LEADER))
                                continue;
                        people[k++] = report_person(c, a[i].person);
                        day->n_officers++;
                }
        }

        const ReportRoster roster = {
                .key = key,
                .holiday = run->name ?: key,
                .from = run->from,
                .to = run->to,
                .version = version,
                .state = state,
                .published = report_stamp(usec, stamp),
                .days = days,
                .n_days = n_days,
        };
        r = report_roster_json(&o, &roster, &json);
        if (r < 0)
                goto finish;
        message = report_roster_message(&roster, manager_journal_language(m));
        if (!message) {
                r = -ENOMEM;
                goto finish;
        }
        r = report_queue(m, REPORT_KIND_NAME_ROSTER, key, version, state, run->from, run->to, json, message);
finish:
        store_assignment_free_many(a, n);
        return r;
}

/* Reports each holiday period touched by the days of `list` (sorted), once. */
static void report_roster_days(Manager *m, const Day *list, size_t n, const int *versions, ReportState state,
                               uint64_t usec) {
        const Config *c = m->config;
        Calendar cal = config_calendar(c);
        Day done = DAY_NONE;

        for (size_t i = 0; i < n; i++) {
                char key[REPORT_KEY_MAX];
                HolidayRun run;
                int r;

                if (done != DAY_NONE && list[i] <= done)
                        continue;
                if (calendar_holiday_run_at(&cal, list[i], &run) <= 0)
                        continue;
                done = run.to;
                if (report_holiday_key(c->holiday_days, c->n_holiday_days, run.from, run.to, key) < 0)
                        continue;
                r = report_roster_run(m, &run, key, versions[i] > 0 ? versions[i] : 1, state, usec);
                if (r < 0)
                        log_error("Cannot report the roster of %s (%s) to the superior office: %s",
                                  run.name ?: key, key, strerror(-r));
        }
}

void report_roster_publication(Manager *m, Day from, Day to, int version) {
        _cleanup_free_ Day *list = NULL;
        _cleanup_free_ int *versions = NULL;
        size_t n;

        if (!m->config->office_id || !m->config->superior.holiday_rosters || from > to)
                return;
        n = (size_t) (to - from) + 1;
        list = calloc(n, sizeof(Day));
        versions = calloc(n, sizeof(int));
        if (!list || !versions) {
                log_error("Out of memory for the roster reports of version %d.", version);
                return;
        }
        for (size_t i = 0; i < n; i++) {
                list[i] = from + (Day) i;
                versions[i] = version;
        }
        report_roster_days(m, list, n, versions, REPORT_PUBLISHED, manager_now_usec(m));
}

void report_roster_amendments(Manager *m, const StoreAmendment *a, size_t n) {
        _cleanup_free_ Day *list = NULL;
        _cleanup_free_ int *versions = NULL;

        if (!m->config->office_id || !m->config->superior.holiday_rosters || n == 0)
                return;
        list = calloc(n, sizeof(Day));
        versions = calloc(n, sizeof(int));
        if (!list || !versions) {
                log_error("Out of memory for the roster reports of %zu amendments.", n);
                return;
        }
        /* Amendments come ordered by day (store.h); one report per period, after its last one. */
        for (size_t i = 0; i < n; i++) {
                list[i] = a[i].day;
                /* The amended version plus one: the report after the publication's own. */
                versions[i] = a[i].version + 1;
        }
        report_roster_days(m, list, n, versions, REPORT_AMENDED, a[n - 1].at_usec ?: manager_now_usec(m));
}

void report_leave(Manager *m, const LeaveEntry *e, ReportState state) {
        const Config *c = m->config;
        const ReportOffice o = report_office(c);
        const Leave *l = &e->stored.leave;
        _cleanup_free_ char *json = NULL, *message = NULL;
        char key[sizeof(REPORT_AWAY_KEY_PREFIX) + 24], start[LEAVE_TIME_STRING_MAX], end[LEAVE_TIME_STRING_MAX],
                stamp[REPORT_STAMP_MAX];
        const Person *acting;
        int r, version;

        if (!c->office_id || !l->out_of_town || !config_person_reportable(c, l->person))
                return;

        (void) snprintf(key, sizeof(key), REPORT_AWAY_KEY_PREFIX "%" PRIi64, l->id);
        r = store_report_version_next(m->store, key, 1, &version);
        if (r < 0)
                goto fail;
        acting = l->acting ? config_find_person(c, l->acting) : NULL;
        const ReportAway away = {
                .key = key,
                .leave_id = l->id,
                .version = version,
                .state = state,
                .person = report_person(c, l->person),
                .destination = l->destination,
                .reason = l->reason,
                .start = leave_time_format(l->start, start),
                .end = leave_time_format(l->end, end),
                .from = e->duty_from != DAY_NONE ? e->duty_from : l->start.day,
                .to = e->duty_to != DAY_NONE ? e->duty_to : l->end.day,
                .half_days = e->half_days,
                .acting_id = l->acting,
                .acting_name = acting && acting->name ? acting->name : l->acting,
                .reported = report_stamp(manager_now_usec(m), stamp),
        };
        r = report_away_json(&o, &away, &json);
        if (r < 0)
                goto fail;
        message = report_away_message(&away, manager_journal_language(m));
        if (!message) {
                r = -ENOMEM;
                goto fail;
        }
        r = report_queue(m, REPORT_KIND_NAME_AWAY, key, version, state, away.from, away.to, json, message);
        if (r >= 0)
                return;
fail:
        log_error("Cannot report leave %" PRIi64 " (%s) to the superior office: %s", l->id,
                  report_state_to_string(state), strerror(-r));
}
