/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The duty log (值班记录): Varlink parameters to store calls, who may write from dutylog.c, and the
 * entries back to replies. A write runs inside api_run_audited(): the entry and its audit row
 * commit together. */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "api-dutylog.h"
#include "duty-names.h"
#include "dutylog.h"
#include "i18n.h"
#include "log-watch.h"
#include "store.h"

/* "YYYY-MM-DD HH:MM:SS" + NUL. */
/* Decimal digits of an int64 plus sign and NUL. */
#define API_LOG_INT_STRING_MAX 24

typedef struct LogParams {
        const char *kind, *matter, *from, *phone, *measures, *informed, *note, *report, *to, *text;
        bool open;
        int64_t id, corrects, follows;
        Day date;
        /* A write's (log_write_params()): the duty day written to and the moment of the call;
         * at is when it happened, now unless "time" says otherwise. */
        Day today;
        uint64_t now, at;
} LogParams;

#define LP(f) offsetof(LogParams, f)

static bool lang_en(const Manager *m) {
        return language_is_en(m->config->language);
}

static json_t *name_to_json(const Config *c, const char *id) {
        const Person *p = id ? config_find_person(c, id) : NULL;

        if (!id)
                return json_null();
        return json_string(p && !isempty(p->name) ? p->name : id);
}

static json_t *id_or_null(int64_t id) {
        return id > 0 ? json_integer((json_int_t) id) : json_null();
}

static json_t *log_entry_to_json(const Config *c, const StoreDutyLog *e) {
        json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:b, s:b}",
                              "id", (json_int_t) e->id,
                              "date", day_to_json(e->day),
                              "time", instant_to_json(e->at_usec),
                              "written", instant_to_json(e->created_usec),
                              "kind", e->kind,
                              "from", json_string_or_null(e->source),
                              "phone", json_string_or_null(e->phone),
                              "matter", e->matter,
                              "measures", json_string_or_null(e->measures),
                              "informed", json_string_or_null(e->informed),
                              "recorded_by", json_string_or_null(e->recorded_by),
                              "recorded_by_name", name_to_json(c, e->recorded_by),
                              "open", e->open,
                              "pending", e->open && e->closed_usec == 0);

        if (!o)
                return NULL;
        if (json_object_set_new(o, "corrects", id_or_null(e->corrects)) < 0 ||
            json_object_set_new(o, "follows", id_or_null(e->follows)) < 0 ||
            json_object_set_new(o, "corrected_by", id_or_null(e->corrected_by)) < 0 ||
            json_object_set_new(o, "closed", instant_to_json(e->closed_usec)) < 0 ||
            json_object_set_new(o, "closed_date", e->closed_usec ? day_to_json(e->closed_day) : json_null()) < 0 ||
            json_object_set_new(o, "closed_by", json_string_or_null(e->closed_by)) < 0 ||
            json_object_set_new(o, "closed_by_name", name_to_json(c, e->closed_by)) < 0 ||
            json_object_set_new(o, "close_note", json_string_or_null(e->closed_note)) < 0 ||
            json_object_set_new(o, "phone_report_due", instant_to_json(e->report_due_usec[DUTYLOG_REPORT_PHONE])) < 0 ||
            json_object_set_new(o, "phone_report_sent", instant_to_json(e->report_sent_usec[DUTYLOG_REPORT_PHONE])) < 0 ||
            json_object_set_new(o, "phone_report_to", json_string_or_null(e->report_to[DUTYLOG_REPORT_PHONE])) < 0 ||
            json_object_set_new(o, "written_report_due", instant_to_json(e->report_due_usec[DUTYLOG_REPORT_WRITTEN])) < 0 ||
            json_object_set_new(o, "written_report_sent", instant_to_json(e->report_sent_usec[DUTYLOG_REPORT_WRITTEN])) < 0 ||
            json_object_set_new(o, "written_report_to", json_string_or_null(e->report_to[DUTYLOG_REPORT_WRITTEN])) < 0 ||
            json_object_set_new(o, "followup_report_due", instant_to_json(e->report_due_usec[DUTYLOG_REPORT_FOLLOWUP])) < 0 ||
            json_object_set_new(o, "followup_report_sent", instant_to_json(e->report_sent_usec[DUTYLOG_REPORT_FOLLOWUP])) < 0 ||
            json_object_set_new(o, "followup_report_to", json_string_or_null(e->report_to[DUTYLOG_REPORT_FOLLOWUP])) < 0 ||
            json_object_set_new(o, "followup_reports", json_integer(e->followup_count)) < 0) {
                json_decref(o);
                return NULL;
        }
        return o;
}

static json_t *log_entries_to_json(const Config *c, const StoreDutyLog *e, size_t n) {
        json_t *a = json_array();

        for (size_t i = 0; a && i < n; i++)
                if (json_array_append_new(a, log_entry_to_json(c, &e[i])) < 0) {
                        json_decref(a);
                        return NULL;
                }
        return a;
}

static int reply(VarlinkCall *call, json_t *params) {
        /* A reply that could not be built is a failure, not an empty answer. */
        if (!params)
                return -ENOMEM;
        return varlink_call_reply(call, params);
}

static int reply_entry(Manager *m, VarlinkCall *call, int64_t id) {
        _cleanup_(store_duty_log_done) StoreDutyLog e = {};
        json_t *o;
        int r;

        r = store_duty_log_get(m->store, id, &e);
        if (r < 0)
                return r;
        o = log_entry_to_json(m->config, &e);
        if (!o)
                return -ENOMEM;
        return reply(call, json_pack("{s:o}", "entry", o));
}

static int log_refused(Manager *m, VarlinkCall *call, const char *reason, const char *en, const char *zh) {
        return api_refuse_with(call, NULL, REFUSAL_LOG, reason, DAY_NONE, lang_en(m) ? en : zh);
}

static int not_found(Manager *m, VarlinkCall *call, int64_t id) {
        char buf[API_LOG_INT_STRING_MAX];

        (void) snprintf(buf, sizeof(buf), "%" PRIi64, id);
        return api_refuse_not_found(call, "log_entry", buf,
                                    lang_en(m) ? "there is no such entry in the duty log" : "值班记录中没有该条目");
}

/* Refuses a write to the log of duty day d by someone not on duty then, naming who is; 0 when id
 * may write it, 1 when refused (the reply sent), a negative errno. */
static int check_may_write(Manager *m, VarlinkCall *call, const Identity *id, Day d) {
        _cleanup_free_ const char **holders = NULL;
        _cleanup_free_ char *names = NULL, *message = NULL;
        char day[DAY_STRING_MAX];
        StoreAssignment *a = NULL;
        size_t n = 0, len = 0;
        FILE *f;
        bool ok, en = lang_en(m);
        int r;

        r = store_assignment_list(m->store, d, d, &a, &n);
        if (r < 0)
                return r;
        holders = calloc(n + 1, sizeof(char *));
        if (!holders) {
                store_assignment_free_many(a, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                holders[i] = a[i].person;
        ok = dutylog_may_write(id->person ? id->person->id : NULL, id->access >= ACCESS_ADMIN, holders, n);
        if (ok) {
                store_assignment_free_many(a, n);
                return 0;
        }

        f = open_memstream(&names, &len);
        if (!f) {
                store_assignment_free_many(a, n);
                return -ENOMEM;
        }
        for (size_t i = 0, k = 0; i < n; i++) {
                const Person *p;

                if (!a[i].person)
                        continue;
                p = config_find_person(m->config, a[i].person);
                fprintf(f, "%s%s", k++ == 0 ? "" : en ? ", " : "、", p && !isempty(p->name) ? p->name : a[i].person);
        }
        store_assignment_free_many(a, n);
        if (fclose(f) != 0)
                return -ENOMEM;

        if (asprintf(&message,
                     en ? "only the people on duty on %s (%s) and administrators write that day's log; "
                          "ask one of them to record it"
                        : "只有 %s 的值班人员（%s）和管理员可以填写当日值班记录；请由他们记录",
                     day_format(d, day), isempty(names) ? (en ? "nobody assigned" : "尚未安排") : names) < 0)
                return -ENOMEM;
        return api_refuse_with(call, id, REFUSAL_DENIED, "not_on_duty", DAY_NONE, message) ?: 1;
}

/* uint64_t: the instant of "HH:MM" given now, the latest such minute not after now; empty keeps
 * the field's value. */
static int param_time(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);
        uint64_t now = manager_now_usec(m), at;
        int now_minutes, offset, minutes;
        int64_t back;

        if (isempty(s))
                return 0;
        manager_now_local(m, NULL, &now_minutes);
        if (dutylog_parse_time(s, now_minutes, &offset, &minutes) < 0)
                return -EINVAL;
        back = (int64_t) (now_minutes - minutes - offset * 24 * 60) * 60 * (int64_t) USEC_PER_SEC;
        at = now - (uint64_t) back;
        /* Seconds are not given: the minute itself, which may lie a few seconds before now. */
        at -= at % (60 * USEC_PER_SEC);
        *(uint64_t *) ret = at;
        return 0;
}

/* The texts of the log are bounded where they are read: a longer one is refused naming its field. */
static int param_bounded(json_t *v, size_t max, bool nonempty, void *ret) {
        const char *s = json_string_value(v);

        if ((nonempty && isempty(s)) || (s && strlen(s) > max))
                return -EINVAL;
        *(const char **) ret = s;
        return 0;
}

/* A name, a phone number, an addressee: at most DUTYLOG_NAME_MAX bytes. */
static int param_name(Manager *m, json_t *v, void *ret) {
        return param_bounded(v, DUTYLOG_NAME_MAX, false, ret);
}

static int param_name_nonempty(Manager *m, json_t *v, void *ret) {
        return param_bounded(v, DUTYLOG_NAME_MAX, true, ret);
}

/* What happened, what was done, who was told: at most DUTYLOG_TEXT_MAX bytes. */
static int param_text(Manager *m, json_t *v, void *ret) {
        return param_bounded(v, DUTYLOG_TEXT_MAX, false, ret);
}

static int param_text_nonempty(Manager *m, json_t *v, void *ret) {
        return param_bounded(v, DUTYLOG_TEXT_MAX, true, ret);
}

/* A daily report's own text. */
static int param_daily_text(Manager *m, json_t *v, void *ret) {
        return param_bounded(v, DUTYLOG_DAILY_TEXT_MAX, false, ret);
}

/* An entry's kind, by its name. */
static int param_kind(Manager *m, json_t *v, void *ret) {
        if (dutylog_kind_from_string(json_string_value(v)) < 0)
                return -EINVAL;
        return api_param_string(m, v, ret);
}

/* A report's kind (phone, written, followup), by its name. */
static int param_report(Manager *m, json_t *v, void *ret) {
        if (dutylog_report_from_string(json_string_value(v)) < 0)
                return -EINVAL;
        return api_param_string(m, v, ret);
}

/* An entry it points at must exist: 0, 1 when the reply was sent, a negative errno. */
static int check_exists(Manager *m, VarlinkCall *call, int64_t id) {
        _cleanup_(store_duty_log_done) StoreDutyLog e = {};
        int r;

        if (id <= 0)
                return 0;
        r = store_duty_log_get(m->store, id, &e);
        if (r == -ENOENT)
                return not_found(m, call, id) ?: 1;
        return r;
}

/* The parameters of a write to the log by table, then whether the caller may write today's log
 * (check_may_write()): 0, 1 when the reply was sent, a negative errno. */
static int log_write_params(Manager *m, VarlinkCall *call, const Identity *id, json_t *params,
                            const ApiParam *table, LogParams *p) {
        int r;

        p->today = manager_today(m);
        p->now = p->at = manager_now_usec(m);
        r = api_params_dispatch(m, call, params, table, p);
        if (r != 0)
                return r;
        return check_may_write(m, call, id, p->today);
}

int api_log_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "kind",      JSON_STRING,  param_kind,          LP(kind),     true },
                { "matter",    JSON_STRING,  param_text_nonempty, LP(matter),   true },
                { "time",      JSON_STRING,  param_time,          LP(at),       false },
                { "from",      JSON_STRING,  param_name,          LP(from),     false },
                { "phone",     JSON_STRING,  param_name,          LP(phone),    false },
                { "measures",  JSON_STRING,  param_text,          LP(measures), false },
                { "informed",  JSON_STRING,  param_text,          LP(informed), false },
                { "open",      JSON_TRUE,    api_param_bool,      LP(open),     false },
                { "corrects",  JSON_INTEGER, api_param_id,        LP(corrects), false },
                { "follows",   JSON_INTEGER, api_param_id,        LP(follows),  false },
                {}
        };
        LogParams p = {};
        int64_t new_id;
        int r;
        StoreDutyLog e;

        r = log_write_params(m, call, id, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        r = check_exists(m, call, p.corrects);
        if (r != 0)
                return r < 0 ? r : 0;
        r = check_exists(m, call, p.follows);
        if (r != 0)
                return r < 0 ? r : 0;

        e = (StoreDutyLog) {
                .day = p.today,
                .at_usec = p.at,
                .created_usec = p.now,
                .kind = (char *) p.kind,
                .source = isempty(p.from) ? NULL : (char *) p.from,
                .phone = isempty(p.phone) ? NULL : (char *) p.phone,
                .matter = (char *) p.matter,
                .measures = isempty(p.measures) ? NULL : (char *) p.measures,
                .informed = isempty(p.informed) ? NULL : (char *) p.informed,
                .recorded_by = id->person ? (char *) id->person->id : NULL,
                .uid = id->uid,
                .open = p.open,
                .corrects = p.corrects,
                .follows = p.follows,
        };
        /* An emergency's reports are due from the moment it happened (信息报送); a follow-up or a
         * correction of one is its further report, not a new event. */
        for (DutyLogReport k = DUTYLOG_REPORT_PHONE; k <= DUTYLOG_REPORT_WRITTEN && p.follows == 0 && p.corrects == 0; k++)
                e.report_due_usec[k] = dutylog_report_due(dutylog_kind_from_string(p.kind), p.at,
                                                           m->config->duty_log.report_minutes[k]);
        /* Follow-ups keep the interval in force when the event was written, as the deadlines do. */
        if (e.report_due_usec[DUTYLOG_REPORT_WRITTEN] != 0)
                e.followup_minutes = m->config->duty_log.report_minutes[DUTYLOG_REPORT_FOLLOWUP];
        r = store_duty_log_insert(m->store, &e, &new_id);
        if (r < 0)
                return r;
        return reply_entry(m, call, new_id);
}

int api_log_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "date", JSON_STRING, api_param_day, LP(date), false },
                {}
        };
        LogParams p = { .date = manager_today(m) };
        StoreDutyLog *e = NULL;
        json_t *entries;
        size_t n = 0;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_duty_log_list(m->store, p.date, &e, &n);
        if (r < 0)
                return r;
        entries = log_entries_to_json(m->config, e, n);
        store_duty_log_free_many(e, n);
        if (!entries)
                return -ENOMEM;
        return reply(call, json_pack("{s:o, s:o}", "date", day_to_json(p.date), "entries", entries));
}

int api_log_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id", JSON_INTEGER, api_param_id, LP(id), true },
                {}
        };
        _cleanup_(store_duty_log_done) StoreDutyLog e = {};
        LogParams p = {};
        StoreDutyLog *related = NULL;
        json_t *entry, *list;
        size_t n = 0;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_duty_log_get(m->store, p.id, &e);
        if (r == -ENOENT)
                return not_found(m, call, p.id);
        if (r < 0)
                return r;
        r = store_duty_log_related(m->store, p.id, &related, &n);
        if (r < 0)
                return r;
        list = log_entries_to_json(m->config, related, n);
        store_duty_log_free_many(related, n);
        entry = log_entry_to_json(m->config, &e);
        if (!list || !entry) {
                json_decref(list);
                json_decref(entry);
                return -ENOMEM;
        }
        return reply(call, json_pack("{s:o, s:o}", "entry", entry, "related", list));
}

int api_log_close(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id",   JSON_INTEGER, api_param_id, LP(id),   true },
                { "note", JSON_STRING,  param_text,   LP(note), false },
                {}
        };
        LogParams p = {};
        int r;

        r = log_write_params(m, call, id, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_duty_log_close(m->store, p.id, p.now, p.today,
                                 id->person ? id->person->id : NULL, isempty(p.note) ? NULL : p.note);
        if (r == -ENOENT)
                return not_found(m, call, p.id);
        if (r == -EALREADY)
                return log_refused(m, call, "not_open",
                                   "this entry is not an open item, or it was closed already; `dutyctl log show ID` shows it",
                                   "该条目不是待办事项，或已办结；`dutyctl log show 编号` 可查看");
        if (r < 0)
                return r;
        return reply_entry(m, call, p.id);
}

int api_log_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id",     JSON_INTEGER, api_param_id,        LP(id),     true },
                { "report", JSON_STRING,  param_report,        LP(report), true },
                { "to",     JSON_STRING,  param_name_nonempty, LP(to),     true },
                { "time",   JSON_STRING,  param_time,          LP(at),     false },
                {}
        };
        LogParams p = {};
        DutyLogReport k;
        int r;

        r = log_write_params(m, call, id, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        k = dutylog_report_from_string(p.report);

        r = store_duty_log_report(m->store, p.id, k, p.at, p.to);
        if (r == -ENOENT)
                return not_found(m, call, p.id);
        if (r == -ENOMSG && k == DUTYLOG_REPORT_FOLLOWUP)
                return log_refused(m, call, "no_report",
                                   "follow-up reports are recorded for an emergency written as an open item and not "
                                   "closed yet; closing it (`dutyctl log close ID`) is its final report",
                                   "续报只登记于作为待办登记且尚未办结的突发事件；办结（`dutyctl log close 编号`）即为终报");
        if (r == -ENOMSG)
                return log_refused(m, call, "no_report",
                                   "only an emergency owes reports; this entry is of another kind",
                                   "只有突发事件需要报送；该条目不是突发事件");
        if (r == -EALREADY)
                return log_refused(m, call, "reported",
                                   "this report was recorded already; `dutyctl log show ID` shows when and to whom",
                                   "该报告已登记报送；`dutyctl log show 编号` 可查看报送时间和对象");
        if (r < 0)
                return r;
        return reply_entry(m, call, p.id);
}

/* ---- The daily report ---- */

/* The day's own entries (not those carried over) as the draft sums them up. */
static int daily_draft(Manager *m, Day d, char **ret) {
        StoreDutyLog *e = NULL;
        DutyLogDraftItem *items = NULL;
        size_t n = 0, k = 0;
        char *s;
        int r;

        r = store_duty_log_list(m->store, d, &e, &n);
        if (r < 0)
                return r;
        items = calloc(n + 1, sizeof(DutyLogDraftItem));
        if (!items) {
                store_duty_log_free_many(e, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                if (e[i].day == d)
                        items[k++] = (DutyLogDraftItem) {
                                .kind = dutylog_kind_from_string(e[i].kind),
                                .matter = e[i].matter,
                                .pending = e[i].open && e[i].closed_usec == 0,
                        };
        s = dutylog_daily_draft(m->config->office, d, items, k);
        free(items);
        store_duty_log_free_many(e, n);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

static int reply_daily(Manager *m, VarlinkCall *call, Day d) {
        _cleanup_(store_daily_report_done) StoreDailyReport dr = {};
        _cleanup_free_ char *draft = NULL;
        uint64_t deadline;
        bool due;
        int r;

        r = log_watch_daily(m->store, m->config, d, &due, &deadline);
        if (r < 0)
                return r;
        r = daily_draft(m, d, &draft);
        if (r < 0)
                return r;
        r = store_daily_report_get(m->store, d, &dr);
        if (r < 0 && r != -ENOENT)
                return r;
        return reply(call, json_pack("{s:{s:o, s:b, s:o, s:s, s:o, s:o, s:o, s:o, s:o}}", "report",
                                     "date", day_to_json(d),
                                     "due", due,
                                     "deadline", instant_to_json(deadline),
                                     "draft", draft,
                                     "sent", instant_to_json(dr.sent_usec),
                                     "sent_by", json_string_or_null(dr.sent_usec ? dr.sent_by : NULL),
                                     "sent_by_name", dr.sent_usec ? name_to_json(m->config, dr.sent_by) : json_null(),
                                     "to", json_string_or_null(dr.to),
                                     "text", json_string_or_null(dr.text)));
}

int api_daily_report(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "date", JSON_STRING, api_param_day, LP(date), false },
                {}
        };
        LogParams p = { .date = manager_today(m) };
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        return reply_daily(m, call, p.date);
}

int api_daily_report_send(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "to",   JSON_STRING, param_name_nonempty, LP(to),   true },
                { "text", JSON_STRING, param_daily_text,    LP(text), false },
                {}
        };
        _cleanup_free_ char *draft = NULL;
        LogParams p = {};
        int r;

        r = log_write_params(m, call, id, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (isempty(p.text)) {
                r = daily_draft(m, p.today, &draft);
                if (r < 0)
                        return r;
        }
        r = store_daily_report_send(m->store, p.today, p.now, id->person ? id->person->id : NULL, id->uid,
                                    p.to, isempty(p.text) ? draft : p.text);
        if (r == -EALREADY)
                return log_refused(m, call, "reported",
                                   "today's daily report was sent already; `dutyctl report daily` shows when and to whom",
                                   "本班每日报告已报送；`dutyctl report daily` 可查看报送时间和对象");
        if (r < 0)
                return r;
        return reply_daily(m, call, p.today);
}

json_t *api_log_open_items_to_json(Manager *m, Day d) {
        StoreDutyLog *e = NULL;
        json_t *items;
        size_t n = 0;
        int r;

        r = store_duty_log_open(m->store, d, &e, &n);
        if (r < 0)
                return NULL;
        items = log_entries_to_json(m->config, e, n);
        store_duty_log_free_many(e, n);
        return items;
}
