/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The superior duty office's view of its offices (aggregator role): OfficesList, OfficeShow,
 * OfficesOnDuty, from what aggregate.c took from their journals. */

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "api-json.h"
#include "api-offices.h"
#include "log.h"
#include "offices.h"
#include "store.h"

/* The notice report asked for (key), else the first whose holiday has not ended by today, else the
 * last one; NULL when none (or no such key: *ret_unknown). */
static const NoticeReport *offices_notice(const Config *c, const char *key, Day today, bool *ret_unknown) {
        const NoticeReport *best = NULL, *last = NULL;

        *ret_unknown = false;
        for (size_t i = 0; i < c->n_notices; i++)
                for (size_t k = 0; k < c->notices[i].n_reports; k++) {
                        const NoticeReport *r = &c->notices[i].reports[k];

                        if (key) {
                                if (streq(r->key, key))
                                        return r;
                                continue;
                        }
                        if (r->to >= today && (!best || r->to < best->to))
                                best = r;
                        if (!last || r->to > last->to)
                                last = r;
                }
        if (key) {
                *ret_unknown = true;
                return NULL;
        }
        return best ?: last;
}

/* Every report has its time, the epoch included (as the audit's rows). */
static json_t *stamp_to_json(uint64_t usec) {
        char buf[TIMESTAMP_STRING_MAX];

        return instant_format(usec, buf) < 0 ? json_null() : json_string(buf);
}

static json_t *notice_to_json(const NoticeReport *r) {
        if (!r)
                return json_null();
        return json_pack("{s:s, s:s, s:o, s:o, s:o}", "key", r->key, "holiday", r->holiday, "from", day_to_json(r->from),
                         "to", day_to_json(r->to), "deadline", stamp_to_json(aggregator_deadline_usec(r)));
}

/* The payload, parsed; NULL when it does not parse (it did when taken). */
static json_t *payload_load(const OfficeReport *r) {
        return json_loadb(r->payload, strlen(r->payload), 0, NULL);
}

/* The holiday's name: the notice's when the roster answers it (no payload to parse), else the
 * report's. */
static json_t *roster_to_json(const OfficeReport *r, const NoticeReport *notice) {
        json_t *p = NULL, *holiday, *v;

        if (notice && streq(notice->key, r->key))
                holiday = json_string(notice->holiday);
        else {
                p = payload_load(r);
                holiday = json_object_get(json_object_get(p, "holiday"), "name");
                holiday = json_is_string(holiday) ? json_string(json_string_value(holiday)) : json_null();
        }
        v = json_pack("{s:s, s:o, s:o, s:o, s:I, s:s, s:o, s:o}", "key", r->key, "holiday", holiday, "from",
                      day_to_json(r->from), "to", day_to_json(r->to), "version", (json_int_t) r->version, "state",
                      r->state, "reported", stamp_to_json(r->written_usec), "first_reported",
                      stamp_to_json(r->first_usec));
        json_decref(p);
        return v;
}

static json_t *string_field(json_t *o, const char *key) {
        json_t *v = json_object_get(o, key);

        return json_is_string(v) ? json_string(json_string_value(v)) : json_null();
}

static json_t *away_to_json(const OfficeReport *r) {
        json_t *p = payload_load(r), *person = json_object_get(p, "person"), *acting = json_object_get(p, "acting");
        json_t *v, *name = json_object_get(person, "name");

        v = json_pack("{s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "key", r->key, "version",
                      (json_int_t) r->version, "state", r->state, "person",
                      json_is_string(name) ? json_string_value(name) : "?", "title", string_field(person, "title"),
                      "destination", string_field(p, "destination"), "reason", string_field(p, "reason"), "start",
                      json_is_string(json_object_get(p, "start")) ? string_field(p, "start") : day_to_json(r->from),
                      "end", json_is_string(json_object_get(p, "end")) ? string_field(p, "end") : day_to_json(r->to),
                      "from", day_to_json(r->from), "to", day_to_json(r->to), "acting", string_field(acting, "name"),
                      "reported", stamp_to_json(r->written_usec));
        json_decref(p);
        return v;
}

/* A trip as OfficesList shows it: what the superior office needs to reach the leader. */
static json_t *trip_to_json(const OfficeReport *r) {
        return json_pack("{s:s, s:o, s:o, s:o, s:o, s:I}", "person", r->person ?: "?", "destination",
                         json_string_or_null(r->destination), "start", r->start ? json_string(r->start) : day_to_json(r->from),
                         "end", r->end ? json_string(r->end) : day_to_json(r->to), "acting", json_string_or_null(r->acting),
                         "version", (json_int_t) r->version);
}

/* Leaders away today shown per office in OfficesList: more is OfficeShow's. */
#define OFFICES_AWAY_NOW_MAX 3

/* Every report, read once, and the gap counts: what the three methods answer from. */
typedef struct OfficesView {
        OfficeReport *reports;  /* by office, kind, from */
        size_t n_reports;
        StoreOfficeCount *gaps; /* by office */
        size_t n_gaps;
} OfficesView;

static void offices_view_done(OfficesView *v) {
        office_report_free_many(v->reports, v->n_reports);
        store_office_counts_free(v->gaps, v->n_gaps);
        *v = (OfficesView) {};
}

static int offices_view_load(Manager *m, const char *office, int kind, bool payloads, Day payload_day,
                             Day active_day, const char *roster_key, OfficesView *ret) {
        int r;

        r = store_office_report_list(m->store, office, kind, payloads, payload_day, active_day, roster_key,
                                     &ret->reports, &ret->n_reports);
        if (r < 0)
                return r;
        r = store_office_gap_counts(m->store, &ret->gaps, &ret->n_gaps);
        if (r < 0) {
                offices_view_done(ret);
                return r;
        }
        return 0;
}

/* The run of v's reports of office: [*ret_lo, *ret_hi). Reports are sorted by office. */
static void view_office_run(const OfficesView *v, const char *office, size_t *ret_lo, size_t *ret_hi) {
        size_t lo = 0, hi = v->n_reports;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(v->reports[mid].office, office) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        hi = lo;
        while (hi < v->n_reports && streq(v->reports[hi].office, office))
                hi++;
        *ret_lo = lo;
        *ret_hi = hi;
}

static unsigned view_gaps(const OfficesView *v, const char *office) {
        size_t lo = 0, hi = v->n_gaps;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int c = strcmp(v->gaps[mid].office, office);

                if (c == 0)
                        return v->gaps[mid].count;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return 0;
}

/* The enrolment flags (aggregator_enrolment()), NULL: every office enrolled. */
static int offices_enrolment(Manager *m, const bool **ret, uint64_t *ret_generation) {
        if (!m->aggregator) {
                *ret = NULL;
                *ret_generation = 0;
                return 0;
        }
        return aggregator_enrolment(m->aggregator, ret, ret_generation);
}

static json_t *status_to_json(Manager *m, const OfficesView *v, const AggregatorOffice *o, bool enrolled,
                              const NoticeReport *notice, Day today, uint64_t now, ReportTimeliness *ret_t) {
        const OfficeReport *roster = NULL, *next = NULL;
        json_t *away_now = json_array(), *st;
        ReportTimeliness t = _REPORT_TIMELINESS_INVALID;
        size_t lo, hi;

        view_office_run(v, o->id, &lo, &hi);
        for (size_t i = lo; i < hi; i++) {
                const OfficeReport *r = &v->reports[i];

                switch (r->kind) {
                case REPORT_KIND_ROSTER:
                        if (notice && streq(r->key, notice->key))
                                roster = r;
                        break;
                case REPORT_KIND_AWAY:
                        if (!report_away_is_active(r->state))
                                break;
                        if (r->from <= today && today <= r->to) {
                                if (json_array_size(away_now) >= OFFICES_AWAY_NOW_MAX)
                                        break;
                                if (away_now && json_array_append_new(away_now, trip_to_json(r)) < 0) {
                                        json_decref(away_now);
                                        away_now = NULL;
                                }
                        } else if (r->from > today && (!next || r->from < next->from))
                                next = r;
                        break;
                case _REPORT_KIND_MAX:
                case _REPORT_KIND_INVALID:
                        break;
                }
        }
        if (!away_now)
                return NULL;
        if (notice)
                t = report_timeliness(roster != NULL, roster ? roster->first_usec : 0, aggregator_deadline_usec(notice), now);
        if (ret_t)
                *ret_t = t;
        (void) m;
        st = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:i, s:o, s:o}", "id", o->id, "name",
                       json_string_or_null(o->name), "phone", json_string_or_null(o->phone), "enrolled", enrolled,
                       "roster_status",
                       t >= 0 ? json_string(report_timeliness_to_string(t)) : json_null(), "roster_version",
                       roster ? json_integer(roster->version) : json_null(), "roster_reported",
                       roster ? stamp_to_json(roster->first_usec) : json_null(), "open_gaps", (int) view_gaps(v, o->id),
                       "away_now", away_now, "away_next", next ? trip_to_json(next) : json_null());
        return st;
}

typedef struct OfficesParams {
        const char *notice;
        const char *office;
        Day date;
} OfficesParams;

static int offices_notice_param(Manager *m, VarlinkCall *call, const char *key, const NoticeReport **ret) {
        bool unknown;

        *ret = offices_notice(m->config, key, manager_today(m), &unknown);
        if (unknown)
                return api_error_not_found(call, "notice", key,
                                           api_language_en(m) ? "no holiday notice asks for this report; see the notices' reports"
                                                              : "没有哪份节假日通知要求报送此项；请查看通知中的 reports");
        return 0;
}

/* OfficesList's answer is derived from every office's reports (about 8,000 rows at 2,000 offices)
 * and is some 700 KiB of JSON: making it costs tens of milliseconds, and the superior office asks
 * for it far more often than it changes. It changes only when the aggregator takes entries (the
 * store's change stamp moves), when the configured offices or the notice change, when the day turns
 * (who is away now, next), when the deadline passes (pending becomes missing) and when an office's
 * enrolment changes: the answer is kept with exactly that (kept-answer.h) and given again while all
 * of it holds.
 * After a turn of the aggregator that took entries it is made again on the loop
 * (api_offices_cache_warm()), so that the clerk who asks next does not wait for it. */

/* FNV-1a, with the terminating NUL so that ("ab", "c") and ("a", "bc") differ; NULL hashes apart
 * from "". */
static uint64_t hash_str(uint64_t h, const char *s) {
        if (!s)
                return (h ^ 0xffu) * UINT64_C(0x100000001b3);
        for (;; s++) {
                h = (h ^ (unsigned char) *s) * UINT64_C(0x100000001b3);
                if (*s == '\0')
                        return h;
        }
}

static uint64_t hash_u64(uint64_t h, uint64_t v) {
        for (unsigned i = 0; i < 8; i++, v >>= 8)
                h = (h ^ (v & 0xffu)) * UINT64_C(0x100000001b3);
        return h;
}

/* What of the configuration the answer shows: a reload that changes none of it keeps the answer. */
static uint64_t offices_config_hash(const AggregatorSettings *ag, const NoticeReport *notice) {
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        h = hash_u64(h, ag->n_offices);
        for (size_t i = 0; i < ag->n_offices; i++) {
                h = hash_str(h, ag->offices[i].id);
                h = hash_str(h, ag->offices[i].name);
                h = hash_str(h, ag->offices[i].phone);
        }
        if (notice) {
                h = hash_str(h, notice->key);
                h = hash_str(h, notice->holiday);
                h = hash_u64(h, (uint64_t) notice->from);
                h = hash_u64(h, (uint64_t) notice->to);
                h = hash_u64(h, aggregator_deadline_usec(notice));
        } else
                h = hash_str(h, NULL);
        return h;
}

static int offices_list_build(Manager *m, const NoticeReport *notice, const bool *enrolled, Day today, uint64_t now,
                              json_t **ret) {
        const AggregatorSettings *ag = &m->config->aggregator;
        _cleanup_(offices_view_done) OfficesView v = {};
        unsigned counts[_REPORT_TIMELINESS_MAX] = {}, not_enrolled = 0;
        json_t *a, *reply;
        int r;

        /* The list shows the notice's roster and the trips not over: nothing else is read. */
        r = offices_view_load(m, NULL, -1, false, DAY_NONE, today, notice ? notice->key : "", &v);
        if (r < 0)
                return r;

        a = json_array();
        for (size_t i = 0; a && i < ag->n_offices; i++) {
                ReportTimeliness t;
                bool e = !enrolled || enrolled[i];
                json_t *o = status_to_json(m, &v, &ag->offices[i], e, notice, today, now, &t);

                if (!o || json_array_append_new(a, o) < 0) {
                        json_decref(a);
                        a = NULL;
                        break;
                }
                /* An office not enrolled is counted apart: its roster cannot arrive, it is the
                 * superior's to enrol it, not the office's to send. One that reported before its
                 * receiver was withdrawn still counts as on time or late. */
                if (!e)
                        not_enrolled++;
                if (t >= 0 && (e || t == REPORT_ON_TIME || t == REPORT_LATE))
                        counts[t]++;
        }
        if (!a)
                return -ENOMEM;
        reply = json_pack("{s:o, s:o, s:i, s:i, s:i, s:i, s:i}", "notice", notice_to_json(notice), "offices", a, "on_time",
                          (int) counts[REPORT_ON_TIME], "late", (int) counts[REPORT_LATE], "missing",
                          (int) counts[REPORT_MISSING], "pending", (int) counts[REPORT_PENDING], "not_enrolled",
                          (int) not_enrolled);
        if (!reply)
                return -ENOMEM;
        *ret = reply;
        return 0;
}

/* OfficesList's answer for notice, from the cache or made again (and kept) when anything it shows
 * changed. */
static int offices_list_text(Manager *m, const NoticeReport *notice, const char **ret) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        StoreChangeStamp stamp;
        KeptAnswerKey key;
        const bool *enrolled;
        uint64_t now = manager_now_usec(m), t0, enrolment;
        const char *kept;
        char *text;
        Day today = manager_today(m);
        int r;

        r = offices_enrolment(m, &enrolled, &enrolment);
        if (r < 0)
                return r;
        r = store_change_stamp(m->store, &stamp);
        if (r < 0)
                return r;
        key = (KeptAnswerKey) { .word = {
                offices_config_hash(&m->config->aggregator, notice),
                enrolment,
                (uint64_t) (int64_t) today,
                notice && now > aggregator_deadline_usec(notice),
        } };
        kept = kept_answer_get(&m->offices_answer, &stamp, &key);
        if (kept) {
                *ret = kept;
                return 0;
        }

        t0 = context_clock_usec(CLOCK_MONOTONIC);
        r = offices_list_build(m, notice, enrolled, today, now, &reply);
        if (r < 0)
                return r;
        text = json_dumps(reply, JSON_COMPACT);
        if (!text)
                return -ENOMEM;
        kept_answer_set(&m->offices_answer, &stamp, &key, text);
        log_debug("OfficesList: the answer for %zu offices made in %.1f ms (%zu KiB).",
                  m->config->aggregator.n_offices, (double) (context_clock_usec(CLOCK_MONOTONIC) - t0) / USEC_PER_MSEC,
                  strlen(text) / 1024);
        *ret = text;
        return 0;
}

void api_offices_cache_warm(Manager *m) {
        const NoticeReport *notice;
        const char *text;
        bool unknown;
        int r;

        if (!m || !m->config->aggregator.journal_dir || m->config->aggregator.n_offices == 0)
                return;
        /* The answer `dutyctl offices` asks for: the current notice's, made from the committed data
         * as OfficesList's own call makes it (in the read scope of api_dispatch()), so that it
         * finds it. */
        notice = offices_notice(m->config, NULL, manager_today(m), &unknown);
        store_read_scope_begin(m->store);
        r = offices_list_text(m, notice, &text);
        store_read_scope_end(m->store);
        if (r < 0)
                log_debug("Aggregator: cannot make the offices' list ahead (%s); it is made when asked.", strerror(-r));
}

int api_offices_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "notice", JSON_STRING, api_param_nonempty, offsetof(OfficesParams, notice), false },
                {}
        };
        OfficesParams p = {};
        const NoticeReport *notice;
        const char *text;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        r = offices_notice_param(m, call, p.notice, &notice);
        if (r != 0 || (p.notice && !notice))
                return r;
        r = offices_list_text(m, notice, &text);
        if (r < 0)
                return r;

        /* Longer than one message (2,500 offices stay far below it), it would be answered Failed
         * there, as api_reply() does. */
        return varlink_call_reply_encoded(call, text);
}

int api_office_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "office", JSON_STRING, api_param_nonempty, offsetof(OfficesParams, office), true },
                { "notice", JSON_STRING, api_param_nonempty, offsetof(OfficesParams, notice), false },
                {}
        };
        _cleanup_(offices_view_done) OfficesView v = {};
        OfficesParams p = {};
        const AggregatorOffice *o;
        const NoticeReport *notice;
        const bool *enrolled;
        uint64_t enrol_gen;
        json_t *status, *rosters, *away;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        o = config_find_office(m->config, p.office);
        if (!o)
                return api_error_not_found(call, "office", p.office,
                                           api_language_en(m) ? "no such office in dutyd.conf's aggregator.offices; "
                                                                "`dutyctl offices` lists them"
                                                              : "dutyd.conf 的 aggregator.offices 中没有这个单位；"
                                                                "用 `dutyctl offices` 查看各单位");
        r = offices_notice_param(m, call, p.notice, &notice);
        if (r != 0 || (p.notice && !notice))
                return r;
        r = offices_enrolment(m, &enrolled, &enrol_gen);
        if (r < 0)
                return r;
        r = offices_view_load(m, o->id, -1, true, DAY_NONE, DAY_NONE, NULL, &v);
        if (r < 0)
                return r;

        status = status_to_json(m, &v, o, !enrolled || enrolled[o - m->config->aggregator.offices], notice, manager_today(m), manager_now_usec(m), NULL);
        rosters = json_array();
        away = json_array();
        for (size_t i = 0; status && rosters && away && i < v.n_reports; i++) {
                const OfficeReport *rep = &v.reports[i];
                json_t *x = rep->kind == REPORT_KIND_ROSTER ? roster_to_json(rep, notice) : away_to_json(rep);

                if (!x || json_array_append_new(rep->kind == REPORT_KIND_ROSTER ? rosters : away, x) < 0) {
                        json_decref(rosters);
                        rosters = NULL;
                }
        }
        if (!status || !rosters || !away) {
                json_decref(status);
                json_decref(rosters);
                json_decref(away);
                return -ENOMEM;
        }
        return api_reply(m, call, json_pack("{s:o, s:o, s:o, s:o}", "office", status, "notice", notice_to_json(notice),
                                            "rosters", rosters, "away", away));
}

static json_t *contact_to_json(json_t *person) {
        json_t *name = json_object_get(person, "name");

        if (!json_is_string(name))
                return json_null();
        return json_pack("{s:s, s:o}", "name", json_string_value(name), "phone", string_field(person, "phone"));
}

static json_t *on_duty_to_json(const OfficesView *v, const AggregatorOffice *o, bool enrolled, Day d) {
        const OfficeReport *roster = NULL;
        json_t *day = NULL, *payload = NULL, *officers, *phone, *res;
        char date[DAY_STRING_MAX];
        size_t lo, hi, i;

        view_office_run(v, o->id, &lo, &hi);
        /* The latest report covering the day (a holiday's roster; two never overlap in practice). */
        for (size_t k = lo; k < hi; k++)
                if (v->reports[k].kind == REPORT_KIND_ROSTER && v->reports[k].from <= d && d <= v->reports[k].to &&
                    (!roster || v->reports[k].written_usec > roster->written_usec))
                        roster = &v->reports[k];
        if (roster) {
                json_t *x;

                payload = payload_load(roster);
                day_format(d, date);
                json_array_foreach(json_object_get(payload, "days"), i, x)
                        if (json_is_string(json_object_get(x, "date")) &&
                            streq(json_string_value(json_object_get(x, "date")), date)) {
                                day = x;
                                break;
                        }
        }
        officers = json_array();
        if (day) {
                json_t *x;

                json_array_foreach(json_object_get(day, "officers"), i, x) {
                        json_t *c = contact_to_json(x);

                        if (!json_is_null(c) && officers && json_array_append_new(officers, c) < 0) {
                                json_decref(officers);
                                officers = NULL;
                        }
                }
        }
        phone = day ? string_field(day, "duty_phone") : json_null();
        if (json_is_null(phone) && payload)
                phone = string_field(payload, "office_phone");
        if (json_is_null(phone) && o->phone)
                phone = json_string(o->phone);
        res = officers ? json_pack("{s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "id", o->id, "name",
                                   json_string_or_null(o->name), "enrolled", enrolled, "leader",
                                   day ? contact_to_json(json_object_get(day, "leader")) : json_null(), "officers",
                                   officers, "duty_phone", phone ?: json_null(), "roster",
                                   json_string_or_null(day ? roster->key : NULL), "version",
                                   day ? json_integer(roster->version) : json_null())
                       : NULL;
        json_decref(payload);
        return res;
}

int api_offices_on_duty(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "date", JSON_STRING, api_param_day, offsetof(OfficesParams, date), false },
                {}
        };
        const AggregatorSettings *ag = &m->config->aggregator;
        _cleanup_(offices_view_done) OfficesView v = {};
        OfficesParams p = { .date = DAY_NONE };
        const bool *enrolled;
        uint64_t enrol_gen;
        json_t *a;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.date == DAY_NONE)
                p.date = manager_today(m);
        r = offices_enrolment(m, &enrolled, &enrol_gen);
        if (r < 0)
                return r;
        r = offices_view_load(m, NULL, REPORT_KIND_ROSTER, false, p.date, DAY_NONE, NULL, &v);
        if (r < 0)
                return r;
        a = json_array();
        for (size_t i = 0; a && i < ag->n_offices; i++) {
                json_t *o = on_duty_to_json(&v, &ag->offices[i], !enrolled || enrolled[i], p.date);

                if (!o || json_array_append_new(a, o) < 0) {
                        json_decref(a);
                        a = NULL;
                }
        }
        if (!a)
                return -ENOMEM;
        return api_reply(m, call, json_pack("{s:o, s:o}", "date", day_to_json(p.date), "offices", a));
}
