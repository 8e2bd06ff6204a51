/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The calendar, the roster, sensitive periods and unavailability: Varlink parameters to duty.c
 * calls, and their results back to replies. Parameter types were checked against the interface
 * before a handler runs; the values (dates, ranges, names) are checked here. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "api-roster.h"
#include "api-handover.h"
#include "duty-names.h"
#include "duty.h"
#include "log.h"
#include "notify-events.h"
#include "report.h"
#include "roster-reply.h"
#include "varlink-protocol.h"

/* "YYYY-MM-DDTHH:MM" + NUL. */

/* ---- Parameters ---- */

/* The parameters of every method of this file; each fills those it has. */
typedef struct RosterParams {
        Day from, to, date, at;
        const char *post, *person, *name, *reason, *leave;
        int64_t year, version, extra_officers, id;
        bool dry_run, assume_ordinary, replace_manual, amend, lock;
} RosterParams;

#define RP(field) offsetof(RosterParams, field)
/* The range every view and change of days has. */
#define ROSTER_PARAM_RANGE                                                       \
        { "from", JSON_STRING, api_param_day, RP(from), true },                 \
        { "to",   JSON_STRING, api_param_day, RP(to),   true }
/* An amendment of published days: checked by amend_from_params(). */
#define ROSTER_PARAM_AMEND                                                       \
        { "amend",  JSON_TRUE,   api_param_bool,   RP(amend),  false },         \
        { "reason", JSON_STRING, api_param_string, RP(reason), false }

/* The removals of a row the calendar holds: its number. */
static const ApiParam params_row_id[] = {
        { "id", JSON_INTEGER, api_param_id, RP(id), true },
        {}
};

/* api_params_dispatch(), then the range's length: at most max_days days, else InvalidParameter
 * "to". 0; 1 when the reply was sent; a negative errno. */
static int params_range(Manager *m, VarlinkCall *call, json_t *params, const ApiParam *table, RosterParams *p,
                        int64_t max_days) {
        int r;

        r = api_params_dispatch(m, call, params, table, p);
        if (r != 0)
                return r;
        if (p->to < p->from || (int64_t) p->to - p->from + 1 > max_days)
                return varlink_call_error_invalid_parameter(call, "to") ?: 1;
        return 0;
}

/* int64_t: a year dutyd knows days of. */
static int param_year(Manager *m, json_t *v, void *ret) {
        json_int_t y = json_integer_value(v);

        if (y < DAY_MIN_YEAR || y > DAY_MAX_YEAR)
                return -EINVAL;
        *(int64_t *) ret = y;
        return 0;
}

/* const char *: a name, not empty and at most DUTY_TEXT_MAX bytes. */
static int param_text(Manager *m, json_t *v, void *ret) {
        const char *s = json_string_value(v);

        if (isempty(s) || strlen(s) > DUTY_TEXT_MAX)
                return -EINVAL;
        *(const char **) ret = s;
        return 0;
}

/* ---- Replies ---- */

/* Answers a failure of duty.c: the error its refusal names (api_refuse()), or (an internal
 * failure) the server's generic Failed reply, which logs it. */
static int reply_problem(VarlinkCall *call, const Refusal *p, int r) {
        if (p->kind == REFUSAL_NONE)
                return r < 0 ? r : -EIO;
        /* duty.c never answers PermissionDenied, which alone needs the caller's identity. */
        return api_refuse(call, NULL, p, NULL);
}

/* Appends the JSON of each slot; false on failure. */
static bool assignments_append(json_t *array, const Config *c, const StoreAssignment *a, size_t n) {
        if (!array)
                return false;
        for (size_t i = 0; i < n; i++)
                if (json_array_append_new(array, roster_reply_assignment_to_json(c, &a[i])) < 0)
                        return false;
        return true;
}

static json_t *assignments_to_json(const Config *c, const StoreAssignment *a, size_t n) {
        json_t *array = json_array();

        if (!assignments_append(array, c, a, n)) {
                json_decref(array);
                return NULL;
        }
        return array;
}

/* ---- Calendar and Who ---- */

int api_calendar(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = { ROSTER_PARAM_RANGE, {} };
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        RosterParams p = {};
        json_t *days;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;

        r = duty_calendar_load(m->store, m->config, &dc);
        if (r < 0)
                return r;

        days = json_array();
        if (!days)
                return -ENOMEM;
        for (Day d = p.from; d <= p.to; d++)
                if (json_array_append_new(days, roster_reply_day_to_json(&dc.calendar, d)) < 0) {
                        json_decref(days);
                        return -ENOMEM;
                }

        return api_reply(m, call, json_pack("{s:o}", "days", days));
}

/* Day: "now", "YYYY-MM-DD" (that duty day), "YYYY-MM-DDTHH:MM" or RFC 3339 (the duty day
 * containing it). */
static int param_who_at(Manager *m, json_t *v, void *ret) {
        const char *at = json_string_value(v);
        int minutes;
        Day d;

        if (streq(at, "now")) {
                *(Day *) ret = manager_today(m);
                return 0;
        }
        if (local_moment_or_timestamp_parse(at, &d, &minutes) < 0)
                return -EINVAL;
        *(Day *) ret = minutes < 0 ? d : duty_day_of(d, minutes, m->config->handover_minutes);
        return 0;
}

/* Whether the duty day d has somebody on post, and whether somebody took it over. */
static bool day_has_post(const StoreAssignment *a, size_t n, const char *post) {
        for (size_t i = 0; i < n; i++)
                if (a[i].person && streq(a[i].post, post))
                        return true;
        return false;
}

/* The running duty d's posts that nobody has taken over keep the previous duty's people on
 * (交接班: the outgoing person does not leave before the incoming one takes over): their
 * assignments of d - 1, once takeovers are watched (from the first day anybody took over). */
static json_t *still_on_to_json(Manager *m, Day d, const StoreAssignment *today, size_t n_today) {
        _cleanup_free_ StoreAssignment *kept = NULL;
        StoreAssignment *prev = NULL;
        StoreHandover *h = NULL;
        size_t n_prev = 0, n_h = 0, k = 0;
        json_t *j = NULL;
        Day first;
        int r;

        if (d != manager_today(m))
                return json_array();
        r = store_handover_first_take(m->store, &first);
        if (r == -ENOENT || (r >= 0 && d < first))
                return json_array();
        if (r < 0)
                return NULL;

        if (store_handover_list(m->store, d, d, &h, &n_h) < 0)
                return NULL;
        if (store_assignment_list(m->store, d - 1, d - 1, &prev, &n_prev) < 0)
                goto finish;
        kept = calloc(n_prev ?: 1, sizeof(StoreAssignment));
        if (!kept)
                goto finish;
        for (size_t i = 0; i < n_prev; i++) {
                bool taken = false;

                if (!prev[i].person || !day_has_post(today, n_today, prev[i].post))
                        continue;
                for (size_t x = 0; x < n_h; x++)
                        taken = taken || (h[x].action == HANDOVER_TAKE && streq(h[x].post, prev[i].post));
                if (!taken)
                        kept[k++] = prev[i];    /* shallow: prev owns the strings */
        }
        j = assignments_to_json(m->config, kept, k);

finish:
        store_assignment_free_many(prev, n_prev);
        store_handover_free_many(h, n_h);
        return j;
}

static int who_build(Manager *m, Day d, json_t **ret) {
        const Config *c = m->config;
        StoreAssignment *a = NULL;
        Calendar cal = config_calendar(c);
        json_t *assignments, *handovers, *still_on, *reply;
        size_t n = 0;
        int r;

        r = store_assignment_list(m->store, d, d, &a, &n);
        if (r < 0)
                return r;
        assignments = assignments_to_json(c, a, n);
        still_on = still_on_to_json(m, d, a, n);
        store_assignment_free_many(a, n);
        handovers = api_handovers_to_json(m, d);
        if (!assignments || !handovers || !still_on) {
                json_decref(assignments);
                json_decref(handovers);
                json_decref(still_on);
                return -ENOMEM;
        }

        reply = json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}",
                          "date", day_to_json(d),
                          "starts", local_time_to_json(d, c->handover_minutes),
                          "ends", local_time_to_json(d + 1, c->handover_minutes),
                          "type", day_type_to_string(calendar_day_type(&cal, d)),
                          "holiday", json_string_or_null(calendar_holiday_name(&cal, d)),
                          "assignments", assignments,
                          "handovers", handovers,
                          "still_on", still_on);
        if (!reply)
                return -ENOMEM;
        *ret = reply;
        return 0;
}

/* The duty room's screens ask Who for "now" again and again, and the answer changes far less
 * often: making it (the day's slots and handovers read, a few dozen jansson objects built, encoded
 * and freed) is most of the call. It is made from the asked day, today (the people still on are
 * shown only for the running duty), the configuration (config_generation) in the caller's language
 * and the committed data: kept with exactly that (kept-answer.h), and given again while all of it
 * holds. */
static KeptAnswerKey who_key(const Manager *m, Day d, Day today) {
        return (KeptAnswerKey) { .word = {
                (uint64_t) (int64_t) d,
                (uint64_t) (int64_t) today,
                m->config_generation,
                language_is_en(m->config->language),
        } };
}

/* Keeps the answer just made; a failure only means the next call makes it again. */
static void who_keep(Manager *m, const KeptAnswerKey *key, const StoreChangeStamp *stamp, const json_t *reply) {
        char *text = NULL;
        size_t length;

        /* One too long for a message is answered Failed by api_reply(), in the caller's words: not
         * kept, it always goes that way. */
        if (varlink_json_encode(reply, &text, &length) < 0)
                return;
        if (length > VARLINK_MESSAGE_SIZE_MAX - API_REPLY_ENVELOPE_MAX) {
                free(text);
                return;
        }
        kept_answer_set(&m->who_answer, stamp, key, text);
}

int api_who(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "at", JSON_STRING, param_who_at, RP(at), false },
                {}
        };
        Day today = manager_today(m);
        RosterParams p = { .at = today };
        StoreChangeStamp stamp = {};
        KeptAnswerKey key;
        const char *kept;
        json_t *reply = NULL;
        bool keep;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        /* In the read scope of every read (api_dispatch()): the committed data, whatever group of
         * writes is open. */
        key = who_key(m, p.at, today);
        keep = store_change_stamp(m->store, &stamp) >= 0;
        kept = keep ? kept_answer_get(&m->who_answer, &stamp, &key) : NULL;
        if (kept)
                return varlink_call_reply_encoded(call, kept);

        r = who_build(m, p.at, &reply);
        if (r < 0)
                return r;
        if (keep)
                who_keep(m, &key, &stamp, reply);
        return api_reply(m, call, reply);
}

/* ---- Amendments ---- */

/* amend and reason of a roster-changing call into *ret (who and when from the caller); 1 when the
 * reply was sent (InvalidParameter "reason": an amendment says why). */
static int amend_from_params(Manager *m, VarlinkCall *call, const Identity *id, const RosterParams *p,
                             DutyAmend *ret) {
        *ret = (DutyAmend) {
                .amend = p->amend,
                .reason = p->reason,
                .uid = id->uid,
                .by = id->person ? id->person->id : NULL,
                .now_usec = manager_now_usec(m),
        };
        if (ret->amend && (isempty(p->reason) || strlen(p->reason) > DUTY_TEXT_MAX))
                return varlink_call_error_invalid_parameter(call, "reason") ?: 1;
        return 0;
}

/* The parameters of a roster-changing call by table, then its amendment (amend_from_params()): 0,
 * 1 when the reply was sent, or a negative errno. */
static int params_amend(Manager *m, VarlinkCall *call, const Identity *id, json_t *params, const ApiParam *table,
                        RosterParams *p, DutyAmend *ret) {
        int r;

        r = api_params_dispatch(m, call, params, table, p);
        if (r != 0)
                return r;
        return amend_from_params(m, call, id, p, ret);
}

static void amendments_journal(Manager *m, const StoreAmendment *a, size_t n) {
        const char *lang = manager_journal_language(m);
        bool en = lang && streq(lang, "en");

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *date = NULL, *post = NULL, *slot = NULL, *person = NULL, *previous = NULL,
                        *version = NULL, *reason = NULL, *amendment = NULL, *message = NULL;
                const Post *p = config_find_post(m->config, a[i].post);
                const Person *before = a[i].before ? config_find_person(m->config, a[i].before) : NULL;
                const Person *after = a[i].after ? config_find_person(m->config, a[i].after) : NULL;
                const char *fields[LOG_STRUCT_FIELDS_MAX + 1] = {};
                const char *empty = en ? "(empty)" : "（空缺）";
                char d[DAY_STRING_MAX];
                size_t k = 0;

                day_format(a[i].day, d);
                if (asprintf(&date, "DUTY_DATE=%s", d) < 0 ||
                    asprintf(&post, "DUTY_POST=%s", a[i].post) < 0 ||
                    asprintf(&slot, "DUTY_SLOT=%d", a[i].slot) < 0 ||
                    (a[i].after && asprintf(&person, "DUTY_PERSON=%s", a[i].after) < 0) ||
                    (a[i].before && asprintf(&previous, "DUTY_PREVIOUS_PERSON=%s", a[i].before) < 0) ||
                    asprintf(&version, "DUTY_VERSION=%d", a[i].version) < 0 ||
                    asprintf(&reason, "DUTY_REASON=%s", a[i].reason) < 0 ||
                    asprintf(&amendment, "DUTY_AMENDMENT_ID=%" PRIi64, a[i].id) < 0 ||
                    asprintf(&message,
                             en ? "Published roster version %d amended: %s %s, %s → %s (%s)"
                                : "已发布的第 %d 版值班表有变更：%s %s，%s → %s（%s）",
                             a[i].version, d, p && p->name ? p->name : a[i].post,
                             before && before->name ? before->name : a[i].before ?: empty,
                             after && after->name ? after->name : a[i].after ?: empty, a[i].reason) < 0) {
                        log_error("Out of memory for the journal entry of an amendment of %s.", d);
                        continue;
                }
                fields[k++] = date;
                fields[k++] = post;
                fields[k++] = slot;
                if (person)
                        fields[k++] = person;
                if (previous)
                        fields[k++] = previous;
                fields[k++] = version;
                fields[k++] = reason;
                fields[k++] = amendment;
                if (log_queue_add(&m->journal_pending, LOG_NOTICE, DUTY_MESSAGE_ID_AMENDMENT, fields, message) < 0)
                        log_error("Out of memory for the journal entry of an amendment of %s.", d);
        }
}

void api_amendments_defer(Manager *m, StoreAmendment **a, size_t *n) {
        int r;

        /* Still inside the request's transaction: the messages commit with the amendments. A
         * failure here loses the messages, not the change the clerk asked for. */
        r = notify_roster_amended(m->store, m->config, *a, *n, manager_now_usec(m));
        if (r < 0)
                log_error("Notifications: cannot queue the roster changes of %zu amendments: %s", *n, strerror(-r));
        amendments_journal(m, *a, *n);
        report_roster_amendments(m, *a, *n);
        *a = store_amendment_free_many(*a, *n);
        *n = 0;
}

static json_t *amendment_to_json(const Config *c, const StoreAmendment *a) {
        const Post *post = config_find_post(c, a->post);
        const Person *before = a->before ? config_find_person(c, a->before) : NULL;
        const Person *after = a->after ? config_find_person(c, a->after) : NULL;
        const Person *by = a->by ? config_find_person(c, a->by) : NULL;

        return json_pack("{s:I, s:o, s:i, s:o, s:o, s:s, s:o, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:i}",
                         "id", (json_int_t) a->id,
                         "at", instant_to_json(a->at_usec),
                         "uid", (int) a->uid,
                         "by", json_string_or_null(a->by),
                         "by_name", json_string_or_null(by ? by->name : NULL),
                         "reason", a->reason,
                         "date", day_to_json(a->day),
                         "post", a->post,
                         "post_name", post && post->name ? post->name : a->post,
                         "slot", a->slot,
                         "before", json_string_or_null(a->before),
                         "before_name", json_string_or_null(before ? before->name : NULL),
                         "after", json_string_or_null(a->after),
                         "after_name", json_string_or_null(after ? after->name : NULL),
                         "version", a->version);
}

int api_roster_amendments(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = { ROSTER_PARAM_RANGE, {} };
        _cleanup_free_ int *versions = NULL;
        StoreAmendment *a = NULL;
        RosterParams p = {};
        json_t *items;
        size_t n = 0;
        Day from, to;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;
        from = p.from;
        to = p.to;

        r = duty_published_versions(m->store, from, to, &versions);
        if (r < 0)
                return r;
        r = store_amendment_list(m->store, from, to, &a, &n);
        if (r < 0)
                return r;

        items = json_array();
        for (size_t i = 0; items && i < n; i++) {
                json_t *v = amendment_to_json(m->config, &a[i]);

                /* Whether a newer publication has taken it in since. */
                if (v && json_object_set_new(v, "current", json_boolean(a[i].version == versions[a[i].day - from])) < 0) {
                        json_decref(v);
                        v = NULL;
                }
                if (json_array_append_new(items, v) < 0) {
                        json_decref(items);
                        items = NULL;
                }
        }
        store_amendment_free_many(a, n);
        if (!items)
                return -ENOMEM;

        return api_reply(m, call, json_pack("{s:o}", "amendments", items));
}

/* ---- Generation ---- */

static json_t *roster_result_to_json(const Config *c, const DutyRoster *roster, const DutyAmend *amend) {
        json_t *assignments = assignments_to_json(c, roster->slots, roster->n_slots);

        if (!assignments)
                return NULL;
        return json_pack("{s:o, s:i, s:i, s:b, s:o, s:i}",
                         "assignments", assignments,
                         "filled", (int) roster->filled,
                         "empty", (int) roster->empty,
                         "stored", roster->stored,
                         "planned_from", day_to_json(roster->from),
                         "amended", (int) amend->n_recorded);
}

static void log_generated(const Identity *id, const char *what, Day from, Day to, const DutyRoster *roster) {
        char f[DAY_STRING_MAX], t[DAY_STRING_MAX];

        if (roster->stored)
                log_info("Roster %s %s…%s generated by uid %u: %u slots filled, %u empty.", what,
                         day_format(from, f), day_format(to, t), (unsigned) id->uid, roster->filled, roster->empty);
}

int api_roster_generate(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        _cleanup_(duty_roster_done) DutyRoster roster = {};
        _cleanup_(duty_amend_done) DutyAmend amend = {};
        static const ApiParam table[] = {
                ROSTER_PARAM_RANGE,
                { "dry_run",         JSON_TRUE, api_param_bool, RP(dry_run),         false },
                { "assume_ordinary", JSON_TRUE, api_param_bool, RP(assume_ordinary), false },
                { "replace_manual",  JSON_TRUE, api_param_bool, RP(replace_manual),  false },
                ROSTER_PARAM_AMEND,
                {}
        };
        RosterParams p = {};
        DutyGenerateRequest req;
        json_t *result;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_GENERATE_DAYS_MAX);
        if (r == 0)
                r = amend_from_params(m, call, id, &p, &amend);
        if (r != 0)
                return r < 0 ? r : 0;
        req = (DutyGenerateRequest) {
                .today = manager_today(m),
                .from = p.from,
                .to = p.to,
                .dry_run = p.dry_run,
                .assume_ordinary = p.assume_ordinary,
                .replace_manual = p.replace_manual,
                .amend = &amend,
        };

        r = duty_generate(m->store, m->config, &req, &roster, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        log_generated(id, "range", roster.from, req.to, &roster);
        result = roster_result_to_json(m->config, &roster, &amend);
        api_amendments_defer(m, &amend.recorded, &amend.n_recorded);
        if (!result || json_object_set_new(result, "from", day_to_json(req.from)) < 0) {
                json_decref(result);
                return -ENOMEM;
        }
        return api_reply(m, call, result);
}

int api_roster_holiday(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        _cleanup_(duty_roster_done) DutyRoster roster = {};
        _cleanup_(duty_amend_done) DutyAmend amend = {};
        static const ApiParam table[] = {
                { "name",           JSON_STRING,  param_text,     RP(name),           false },
                { "year",           JSON_INTEGER, param_year,     RP(year),           false },
                { "dry_run",        JSON_TRUE,    api_param_bool, RP(dry_run),        false },
                { "replace_manual", JSON_TRUE,    api_param_bool, RP(replace_manual), false },
                ROSTER_PARAM_AMEND,
                {}
        };
        RosterParams p = {};
        DutyGenerateRequest req;
        const char *name;
        HolidayRun run;
        json_t *result;
        int r;

        r = params_amend(m, call, id, params, table, &p, &amend);
        if (r != 0)
                return r < 0 ? r : 0;
        name = p.name;
        req = (DutyGenerateRequest) {
                .today = manager_today(m),
                .dry_run = p.dry_run,
                .replace_manual = p.replace_manual,
                .amend = &amend,
        };

        r = duty_holiday_find(m->config, name, (int) p.year, req.today, &run, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        req.from = run.from;
        req.to = run.to;
        r = duty_generate(m->store, m->config, &req, &roster, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        log_generated(id, run.name ?: strempty(name), roster.from, run.to, &roster);

        result = roster_result_to_json(m->config, &roster, &amend);
        api_amendments_defer(m, &amend.recorded, &amend.n_recorded);
        if (!result)
                return -ENOMEM;
        if (json_object_set_new(result, "holiday", json_string(run.name ?: strempty(name))) < 0 ||
            json_object_set_new(result, "from", day_to_json(run.from)) < 0 ||
            json_object_set_new(result, "to", day_to_json(run.to)) < 0 ||
            json_object_set_new(result, "publish_by",
                                day_to_json(run.from - (Day) m->config->roster.publish_days_before)) < 0) {
                json_decref(result);
                return -ENOMEM;
        }
        return api_reply(m, call, result);
}

/* ---- Manual changes ---- */

/* RosterAssign and RosterUnassign: the slot, then the amendment. */
#define ROSTER_PARAM_SLOT                                                        \
        { "date",   JSON_STRING, api_param_day,      RP(date),   true },        \
        { "post",   JSON_STRING, api_param_nonempty, RP(post),   true },        \
        { "person", JSON_STRING, api_param_nonempty, RP(person), true }

int api_roster_assign(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        _cleanup_(duty_assignment_done) StoreAssignment a = {};
        _cleanup_(duty_amend_done) DutyAmend amend = {};
        static const ApiParam table[] = {
                ROSTER_PARAM_SLOT,
                { "lock", JSON_TRUE, api_param_bool, RP(lock), false },
                ROSTER_PARAM_AMEND,
                {}
        };
        RosterParams p = {};
        char d[DAY_STRING_MAX];
        json_t *v;
        int r;

        r = params_amend(m, call, id, params, table, &p, &amend);
        if (r != 0)
                return r < 0 ? r : 0;

        r = duty_assign(m->store, m->config, manager_today(m), p.date, p.post, p.person, p.lock,
                        &amend, &a, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);
        api_amendments_defer(m, &amend.recorded, &amend.n_recorded);

        log_info("Roster %s %s slot %d: %s assigned by uid %u%s.", day_format(p.date, d), a.post, a.slot,
                 p.person, (unsigned) id->uid, a.locked ? " (locked)" : "");
        v = roster_reply_assignment_to_json(m->config, &a);
        if (!v)
                return -ENOMEM;
        return api_reply(m, call, json_pack("{s:o}", "assignment", v));
}

int api_roster_unassign(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        _cleanup_(duty_amend_done) DutyAmend amend = {};
        static const ApiParam table[] = { ROSTER_PARAM_SLOT, ROSTER_PARAM_AMEND, {} };
        RosterParams p = {};
        char d[DAY_STRING_MAX];
        int r;

        r = params_amend(m, call, id, params, table, &p, &amend);
        if (r != 0)
                return r < 0 ? r : 0;

        r = duty_unassign(m->store, m->config, manager_today(m), p.date, p.post, p.person, &amend, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);
        api_amendments_defer(m, &amend.recorded, &amend.n_recorded);

        log_info("Roster %s %s: %s taken off by uid %u.", day_format(p.date, d), p.post, p.person, (unsigned) id->uid);
        return varlink_call_reply(call, NULL);
}

/* ---- Views ---- */

int api_roster_show(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        static const ApiParam table[] = {
                ROSTER_PARAM_RANGE,
                { "person", JSON_STRING, api_param_string, RP(person), false },
                {}
        };
        RosterParams p = {};
        json_t *reply = NULL;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.person) {
                r = duty_person_require(m->config, p.person, &problem);
                if (r < 0)
                        return reply_problem(call, &problem, r);
        }
        r = roster_reply_show(m, p.from, p.to, p.person, &reply);
        if (r < 0)
                return r;
        return api_reply(m, call, reply);
}

/* ---- Publication ---- */

int api_roster_publish(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        char f[DAY_STRING_MAX], t[DAY_STRING_MAX];
        static const ApiParam table[] = { ROSTER_PARAM_RANGE, {} };
        RosterParams p = {};
        unsigned empty = 0;
        int r, version;
        Day from, to;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;
        from = p.from;
        to = p.to;

        r = duty_publish(m->store, m->config, from, to, manager_now_usec(m), &version, &empty, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);
        /* Each person whose duties it changes is told, in this request's transaction. */
        r = notify_roster_published(m->store, m->config, from, to, version, manager_now_usec(m));
        if (r < 0)
                return r;

        log_info("Roster %s…%s published as version %d by uid %u (%u empty slots).",
                 day_format(from, f), day_format(to, t), version, (unsigned) id->uid, empty);
        report_roster_publication(m, from, to, version);
        return api_reply(m, call, json_pack("{s:i, s:i}", "version", version, "empty", (int) empty));
}

/* int64_t: a publication's number. */
static int param_version(Manager *m, json_t *v, void *ret) {
        json_int_t n = json_integer_value(v);

        if (n < 1 || n > INT32_MAX)
                return -EINVAL;
        *(int64_t *) ret = n;
        return 0;
}

int api_roster_diff(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        _cleanup_(duty_diff_done) DutyDiff diff = {};
        static const ApiParam table[] = {
                { "version", JSON_INTEGER, param_version, RP(version), false },
                {}
        };
        RosterParams p = {};
        json_t *changes;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = duty_diff(m->store, m->config, (int) p.version, &diff, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        changes = json_array();
        if (!changes)
                return -ENOMEM;
        for (size_t i = 0; i < diff.n_changes; i++) {
                const DutyChange *ch = &diff.changes[i];

                const Post *post = config_find_post(m->config, ch->post);
                const Person *before = ch->before ? config_find_person(m->config, ch->before) : NULL;
                const Person *after = ch->after ? config_find_person(m->config, ch->after) : NULL;

                if (json_array_append_new(changes, json_pack("{s:o, s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o}",
                                                             "date", day_to_json(ch->day),
                                                             "post", ch->post,
                                                             "post_name", post && post->name ? post->name : ch->post,
                                                             "slot", ch->slot,
                                                             "version", ch->version,
                                                             "before", json_string_or_null(ch->before),
                                                             "before_name", json_string_or_null(before ? before->name : NULL),
                                                             "after", json_string_or_null(ch->after),
                                                             "after_name", json_string_or_null(after ? after->name : NULL))) < 0) {
                        json_decref(changes);
                        return -ENOMEM;
                }
        }

        return api_reply(m, call, json_pack("{s:i, s:o, s:o, s:o}",
                                     "version", diff.version,
                                     "from", day_to_json(diff.from),
                                     "to", day_to_json(diff.to),
                                     "changes", changes));
}

/* ---- Statistics ---- */

static bool person_takes_posts(const Config *c, const Person *p) {
        for (size_t j = 0; j < c->n_posts; j++)
                if (person_has_role(p, c->posts[j].role))
                        return true;
        return false;
}

/* Expectations are shares of whole duties: a tenth is as precise as a clerk reads them. */
static double round_tenth(double x) {
        return (double) (int64_t) (x * 10.0 + (x < 0 ? -0.5 : 0.5)) / 10.0;
}

int api_roster_stats(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(duty_stats_done) DutyStats st = {};
        const Config *c = m->config;
        static const ApiParam table[] = {
                { "year", JSON_INTEGER, param_year, RP(year), false },
                {}
        };
        Day today = manager_today(m);
        RosterParams args = { .year = day_year(today) };
        json_int_t year;
        json_t *people = NULL, *spread = NULL;
        int r;

        r = api_params_dispatch(m, call, params, table, &args);
        if (r != 0)
                return r < 0 ? r : 0;
        year = args.year;

        r = duty_stats(m->store, c, (int) year, today, &st);
        if (r < 0)
                return r;

        r = -ENOMEM;
        people = json_array();
        spread = json_array();
        if (!people || !spread)
                goto fail;

        for (size_t i = 0; i < st.stats->n_people && i < c->n_people; i++) {
                const RosterPersonStats *ps = &st.stats->people[i];
                const Person *p = &c->people[i];

                if (ps->total == 0 && !person_takes_posts(c, p))
                        continue;
                if (json_array_append_new(people, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, s:i, s:o}",
                                                            "person", p->id,
                                                            "name", p->name,
                                                            "workday", (int) ps->count[FAIR_WORKDAY],
                                                            "weekend", (int) ps->count[FAIR_WEEKEND],
                                                            "holiday", (int) ps->count[FAIR_HOLIDAY],
                                                            "special", (int) ps->load[FAIR_SPECIAL],
                                                            "holiday_load", (int) ps->load[FAIR_HOLIDAY],
                                                            "expected_workday", round_tenth(ps->expected[FAIR_WORKDAY]),
                                                            "expected_weekend", round_tenth(ps->expected[FAIR_WEEKEND]),
                                                            "expected_holiday", round_tenth(ps->expected[FAIR_HOLIDAY]),
                                                            "active_days", (int) ps->active_days,
                                                            "last", day_to_json(i < st.n_last ? st.last[i] : DAY_NONE))) < 0)
                        goto fail;
        }

        for (Role role = 0; role < _ROLE_MAX; role++) {
                if (!st.stats->role_posted[role])
                        continue;
                /* Special days are rotated, not evened out: they are inside the holidays. */
                for (FairnessCategory k = 0; k < _FAIR_MAX; k++)
                        if (k != FAIR_SPECIAL &&
                            json_array_append_new(spread, json_pack("{s:s, s:s, s:i, s:f}",
                                                                    "category", fairness_category_to_string(k),
                                                                    "role", role_to_string(role),
                                                                    "spread", (int) st.stats->spread[role][k],
                                                                    "prorated", round_tenth(st.stats->prorated_spread[role][k]))) < 0)
                                goto fail;
        }

        return api_reply(m, call, json_pack("{s:i, s:o, s:o}", "year", (int) year, "people", people, "spread", spread));

fail:
        json_decref(people);
        json_decref(spread);
        return r;
}

/* ---- Sensitive periods ---- */

/* A period added at run time has a record number (its id held in text by the calendar); a
 * configured one its name in dutyd.conf. */
static json_t *sensitive_to_json(const SensitivePeriod *p, bool runtime) {
        long long number = runtime && p->id ? strtoll(p->id, NULL, 10) : 0;

        if (number <= 0)
                runtime = false;
        return json_pack("{s:o, s:o, s:s, s:o, s:o, s:i, s:s, s:s}",
                         "id", runtime ? json_integer((json_int_t) number) : json_null(),
                         "config_id", runtime ? json_null() : json_string(p->id),
                         "name", p->name,
                         "from", day_to_json(p->from),
                         "to", day_to_json(p->to),
                         "extra_officers", (int) p->extra_officers,
                         "leave", leave_policy_to_string(p->leave) ?: "normal",
                         "origin", runtime ? "runtime" : "config");
}

int api_sensitive_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        /* extra_officers and leave are checked after the range, as they always were. */
        static const ApiParam table[] = {
                { "name",           JSON_STRING,  param_text,       RP(name),           true },
                ROSTER_PARAM_RANGE,
                { "extra_officers", JSON_INTEGER, api_param_int64,  RP(extra_officers), false },
                { "leave",          JSON_STRING,  api_param_string, RP(leave),          false },
                {}
        };
        RosterParams p = { .extra_officers = 1 };
        LeavePolicy leave = LEAVE_POLICY_ESCALATE;
        SensitivePeriod period;
        char row[24];
        int64_t rowid;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.extra_officers < 0 || p.extra_officers > DUTY_EXTRA_OFFICERS_MAX)
                return varlink_call_error_invalid_parameter(call, "extra_officers");
        if (p.leave) {
                leave = leave_policy_from_string(p.leave);
                if (leave < 0)
                        return varlink_call_error_invalid_parameter(call, "leave");
        }

        r = duty_sensitive_add(m->store, m->config, p.name, p.from, p.to, (unsigned) p.extra_officers, leave,
                               manager_now_usec(m), &rowid, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        snprintf(row, sizeof(row), "%" PRId64, rowid);
        log_info("Sensitive period %s (%s) added by uid %u.", row, p.name, (unsigned) id->uid);
        period = (SensitivePeriod) {
                .id = row,
                .name = (char *) p.name,
                .from = p.from,
                .to = p.to,
                .extra_officers = (unsigned) p.extra_officers,
                .leave = leave,
        };
        return api_reply(m, call, json_pack("{s:o}", "period", sensitive_to_json(&period, true)));
}

static int sensitive_compare(const void *a, const void *b) {
        const SensitivePeriod *x = *(const SensitivePeriod *const *) a, *y = *(const SensitivePeriod *const *) b;

        if (x->from != y->from)
                return x->from < y->from ? -1 : 1;
        /* Stable among equals: configuration order, then the order rows were added. */
        return (x > y) - (x < y);
}

int api_sensitive_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        _cleanup_free_ const SensitivePeriod **sorted = NULL;
        json_t *periods;
        int r;

        r = duty_calendar_load(m->store, m->config, &dc);
        if (r < 0)
                return r;

        sorted = calloc(dc.n_sensitive ?: 1, sizeof(SensitivePeriod *));
        if (!sorted)
                return -ENOMEM;
        for (size_t i = 0; i < dc.n_sensitive; i++)
                sorted[i] = &dc.sensitive[i];
        qsort(sorted, dc.n_sensitive, sizeof(SensitivePeriod *), sensitive_compare);

        periods = json_array();
        if (!periods)
                return -ENOMEM;
        for (size_t i = 0; i < dc.n_sensitive; i++)
                if (json_array_append_new(periods, sensitive_to_json(sorted[i],
                                                                     sorted[i] >= dc.sensitive + dc.n_config)) < 0) {
                        json_decref(periods);
                        return -ENOMEM;
                }

        return api_reply(m, call, json_pack("{s:o}", "periods", periods));
}

int api_sensitive_remove(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        RosterParams p = {};
        char sid[24];
        int r;

        r = api_params_dispatch(m, call, params, params_row_id, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        /* The calendar holds a run-time period's number as text, beside the configured ids. */
        snprintf(sid, sizeof(sid), "%" PRId64, p.id);

        r = duty_sensitive_remove(m->store, m->config, sid, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        log_info("Sensitive period %s removed by uid %u.", sid, (unsigned) id->uid);
        return varlink_call_reply(call, NULL);
}

/* ---- Unavailability ---- */

static json_t *unavailable_to_json(int64_t rowid, const char *person, Day from, Day to, const char *reason) {
        return json_pack("{s:I, s:s, s:o, s:o, s:o}",
                         "id", (json_int_t) rowid,
                         "person", person,
                         "from", day_to_json(from),
                         "to", day_to_json(to),
                         "reason", json_string_or_null(reason));
}

int api_unavailable_add(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        /* The reason is checked after the range, as it always was. */
        static const ApiParam table[] = {
                { "person", JSON_STRING, api_param_nonempty, RP(person), true },
                ROSTER_PARAM_RANGE,
                { "reason", JSON_STRING, api_param_string,   RP(reason), false },
                {}
        };
        RosterParams p = {};
        int64_t rowid;
        int r;

        r = params_range(m, call, params, table, &p, DUTY_VIEW_DAYS_MAX);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.reason && strlen(p.reason) > DUTY_TEXT_MAX)
                return varlink_call_error_invalid_parameter(call, "reason");
        if (isempty(p.reason))
                p.reason = NULL;

        r = duty_unavailable_add(m->store, m->config, p.person, p.from, p.to, p.reason, &rowid, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        log_info("Unavailability %" PRId64 " of %s added by uid %u.", rowid, p.person, (unsigned) id->uid);
        return api_reply(m, call, json_pack("{s:o}", "unavailability",
                                            unavailable_to_json(rowid, p.person, p.from, p.to, p.reason)));
}

int api_unavailable_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "person", JSON_STRING, api_param_nonempty, RP(person), false },
                {}
        };
        RosterParams p = {};
        const char *person;
        StoreUnavailable *u = NULL;
        json_t *items;
        size_t n = 0;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        person = p.person;

        r = store_unavailable_list(m->store, person, day_from_ymd(DAY_MIN_YEAR, 1, 1),
                                   day_from_ymd(DAY_MAX_YEAR, 12, 31), &u, &n);
        if (r < 0)
                return r;

        items = json_array();
        for (size_t i = 0; items && i < n; i++)
                if (json_array_append_new(items, unavailable_to_json(u[i].id, u[i].person, u[i].from_day,
                                                                     u[i].to_day, u[i].reason)) < 0) {
                        json_decref(items);
                        items = NULL;
                }
        store_unavailable_free_many(u, n);
        if (!items)
                return -ENOMEM;

        return api_reply(m, call, json_pack("{s:o}", "items", items));
}

int api_unavailable_remove(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_(refusal_done) Refusal problem = {};
        RosterParams p = {};
        json_int_t rowid;
        int r;

        r = api_params_dispatch(m, call, params, params_row_id, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        rowid = p.id;

        r = duty_unavailable_remove(m->store, m->config, (int64_t) rowid, &problem);
        if (r < 0)
                return reply_problem(call, &problem, r);

        log_info("Unavailability %" PRId64 " removed by uid %u.", (int64_t) rowid, (unsigned) id->uid);
        return varlink_call_reply(call, NULL);
}
