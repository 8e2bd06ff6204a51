/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The roster as the interface writes it: a day of the calendar, a slot, and RosterShow's whole
 * reply. Below the handlers (api-roster.c answers with it) and beside the feeds (feed.c renders
 * the same reply), so that neither reaches into the other. */

#include "duty.h"
#include "roster-reply.h"

json_t *roster_reply_day_to_json(const Calendar *cal, Day d) {
        const SpecialDay *special = calendar_special_day(cal, d);
        const SensitivePeriod *sensitive = calendar_sensitive_at(cal, d);
        HolidayRun run;
        bool in_run = calendar_holiday_run_at(cal, d, &run) > 0;

        return json_pack("{s:o, s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
                         "date", day_to_json(d),
                         "weekday", day_weekday(d),
                         "type", day_type_to_string(calendar_day_type(cal, d)),
                         "holiday", json_string_or_null(calendar_holiday_name(cal, d)),
                         "run_from", in_run ? day_to_json(run.from) : json_null(),
                         "run_to", in_run ? day_to_json(run.to) : json_null(),
                         "special", json_string_or_null(special ? special->name : NULL),
                         "special_weight", special ? json_integer(special->weight) : json_null(),
                         "sensitive", json_string_or_null(sensitive ? sensitive->name : NULL));
}

json_t *roster_reply_assignment_to_json(const Config *c, const StoreAssignment *a) {
        const Post *post = config_find_post(c, a->post);
        const Person *p = a->person ? config_find_person(c, a->person) : NULL;
        const char *reason = NULL, *code = NULL;

        if (!a->person) {
                code = a->reason;
                reason = duty_reason_message(a->reason, c->language);
        } else if (a->assume_ordinary)
                reason = duty_assume_ordinary_message(c->language);

        return json_pack("{s:o, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:b, s:o, s:o, s:b, s:s}",
                         "date", day_to_json(a->day),
                         "post", a->post,
                         "post_name", post && post->name ? post->name : a->post,
                         /* A post since removed from the configuration has no role any more. */
                         "role", post ? strempty(role_to_string(post->role)) : "unknown",
                         "slot", a->slot,
                         "person", json_string_or_null(a->person),
                         "name", json_string_or_null(p ? p->name : NULL),
                         "phone", json_string_or_null(p ? p->phone : NULL),
                         "locked", a->locked,
                         "reason", json_string_or_null(reason),
                         "reason_code", json_string_or_null(code),
                         "assume_ordinary", a->assume_ordinary,
                         "source", a->source ?: DUTY_SOURCE_GENERATED);
}

int roster_reply_show(Manager *m, Day from, Day to, const char *person, json_t **ret) {
        _cleanup_(duty_calendar_done) DutyCalendar dc = {};
        const Config *c = m->config;
        _cleanup_free_ int *versions = NULL;
        _cleanup_free_ unsigned *amended = NULL;
        StoreAssignment *a = NULL;
        json_t *days = NULL, *version = NULL, *reply;
        char handover[6];
        size_t n = 0, i = 0;
        unsigned total = 0;
        int r, v;

        r = duty_calendar_load(m->store, c, &dc);
        if (r < 0)
                return r;
        r = store_publication_latest(m->store, from, to, &v);
        if (r < 0 && r != -ENOENT)
                return r;
        version = r >= 0 ? json_integer(v) : json_null();
        r = duty_amendment_counts(m->store, from, to, &versions, &amended);
        if (r < 0)
                goto finish;

        r = store_assignment_list(m->store, from, to, &a, &n);
        if (r < 0)
                goto finish;

        r = -ENOMEM;
        days = json_array();
        if (!days)
                goto finish;
        for (Day d = from; d <= to; d++) {
                json_t *assignments = json_array(), *day;

                /* Slots come ordered by day. */
                for (; i < n && a[i].day == d; i++)
                        if ((!person || (a[i].person && streq(a[i].person, person))) &&
                            json_array_append_new(assignments, roster_reply_assignment_to_json(c, &a[i])) < 0) {
                                json_decref(assignments);
                                goto finish;
                        }
                /* Which version the wall shows for the day, and how often it changed since. */
                day = json_pack("{s:o, s:o, s:o, s:i}", "day", roster_reply_day_to_json(&dc.calendar, d),
                                "assignments", assignments,
                                "version", versions[d - from] > 0 ? json_integer(versions[d - from]) : json_null(),
                                "amendments", (int) amended[d - from]);
                total += amended[d - from];
                if (json_array_append_new(days, day) < 0)
                        goto finish;
        }

        /* The office's words for its documents (dutyctl's print and feed), null when not set. */
        reply = json_pack("{s:o, s:s, s:s, s:O, s:i, s:O, s:o, s:o, s:o, s:o, s:o, s:o}",
                          "office", json_string_or_null(c->office),
                          "timezone", c->timezone,
                          "handover", minutes_format(c->handover_minutes, handover),
                          "version", version,
                          "amendments", (int) total,
                          "days", days,
                          "office_phone", json_string_or_null(c->documents.office_phone),
                          "requirements", json_string_or_null(c->documents.requirements),
                          "prepared_by", json_string_or_null(c->documents.prepared_by),
                          "reviewed_by", json_string_or_null(c->documents.reviewed_by),
                          "ics_organizer", json_string_or_null(c->documents.ics_organizer),
                          "ics_reminder_minutes", c->documents.ics_reminder_minutes > 0 ?
                                  json_integer(c->documents.ics_reminder_minutes) : json_null());
        if (!reply)
                goto finish;
        *ret = reply;
        r = 0;

finish:
        json_decref(days);
        json_decref(version);
        store_assignment_free_many(a, n);
        return r;
}
