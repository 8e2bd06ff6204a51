/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The iCalendar renderer shared by dutyctl and dutyd's feeds (daemon/ics.c), on replies built
 * here: a person's feed holds their duties with their colleagues; phones can be hidden; drafts are
 * left out of a feed; an unchanged event keeps its SEQUENCE and stamps across renderings (the same
 * bytes), a changed one is a new revision; a bad reply or an unknown zone is refused. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <libical/ical.h>

#include "ics.h"
#include "util.h"

/* 2026-10-01 10:00 and 2026-10-02 12:00 in Asia/Shanghai, µs since the epoch. */
#define T1 (UINT64_C(1790820000) * USEC_PER_SEC)
#define T2 (UINT64_C(1790913600) * USEC_PER_SEC)

static json_t *slot(const char *post, const char *post_name, const char *person, const char *name, const char *phone) {
        return json_pack("{s:s, s:s, s:i, s:s?, s:s?, s:s?, s:b}", "post", post, "post_name", post_name, "slot", 0,
                         "person", person, "name", name, "phone", phone, "assume_ordinary", 0);
}

/* Two days: 10-01 published (leader li, officers zhou and ma), 10-02 a draft (zhou alone). */
static json_t *reply_new(const char *ma_name) {
        json_t *d1 = json_pack("{s:{s:s, s:s, s:s}, s:[o, o, o], s:i}",
                               "day", "date", "2026-10-01", "type", "holiday", "holiday", "国庆节",
                               "assignments",
                               slot("leader_on_call", "带班领导", "li", "李秀英", "0791-86201002"),
                               slot("officer_on_duty", "值班员", "zhou", "周晓东", "13879100101"),
                               slot("officer_2", "值班员", "ma", ma_name, "13879100106"),
                               "version", 1);
        json_t *d2 = json_pack("{s:{s:s, s:s}, s:[o], s:n}",
                               "day", "date", "2026-10-02", "type", "holiday",
                               "assignments", slot("officer_on_duty", "值班员", "zhou", "周晓东", "13879100101"),
                               "version");

        assert_non_null(d1);
        assert_non_null(d2);
        return json_pack("{s:s, s:s, s:s, s:s, s:i, s:[o, o]}", "office", "中共某某县委办公室",
                         "timezone", "Asia/Shanghai", "handover", "08:30", "office_phone", "0791-88888110",
                         "ics_reminder_minutes", 60, "days", d1, d2);
}

static char *render(json_t *reply, const IcsOptions *o) {
        char *text = NULL;
        size_t size = 0;

        assert_int_equal(ics_render(reply, o, &text, &size), 0);
        assert_non_null(text);
        assert_int_equal(strlen(text), size);
        return text;
}

/* The events of text by UID prefix "YYYYMMDD-post-slot-person". */
static icalcomponent *event_find(icalcomponent *cal, const char *prefix) {
        for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
                if (strneq(icalcomponent_get_uid(ev), prefix, strlen(prefix)))
                        return ev;
        return NULL;
}

static size_t events_count(icalcomponent *cal) {
        return icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
}

static void test_person_feed(void **state) {
        json_t *reply = reply_new("马丽");
        IcsOptions o = { .now_usec = T1, .person = "zhou", .published_only = true };
        _cleanup_free_ char *text = render(reply, &o);
        icalcomponent *cal = icalparser_parse_string(text), *ev, *alarm;
        struct icaltimetype start, end;
        const char *desc;

        assert_non_null(cal);
        /* Zhou's published duty only: not li's nor ma's, not the draft of 10-02. */
        assert_int_equal(events_count(cal), 1);
        ev = event_find(cal, "20261001-officer_on_duty-0-zhou.");
        assert_non_null(ev);
        assert_string_equal(icalcomponent_get_summary(ev), "值班员：周晓东");
        start = icalcomponent_get_dtstart(ev);
        end = icalcomponent_get_dtend(ev);
        assert_int_equal(start.day, 1);
        assert_int_equal(start.hour, 8);
        assert_int_equal(start.minute, 30);
        assert_int_equal(end.day, 2);
        assert_non_null(strstr(text, "DTSTART;TZID=Asia/Shanghai:20261001T083000"));
        assert_non_null(strstr(text, "TZID:Asia/Shanghai"));
        /* The colleagues with their phones, the duty room's phone, the holiday. */
        desc = icalcomponent_get_description(ev);
        assert_non_null(strstr(desc, "电话：13879100101"));
        assert_non_null(strstr(desc, "同班：带班领导 李秀英（0791-86201002）、值班员 马丽（13879100106）"));
        assert_non_null(strstr(desc, "值班室电话：0791-88888110"));
        assert_non_null(strstr(desc, "节日：国庆节"));
        assert_int_equal(icalcomponent_get_sequence(ev), 0);
        alarm = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
        assert_non_null(alarm);
        assert_int_equal(icaldurationtype_as_int(icalproperty_get_trigger(
                icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY)).duration), -3600);
        assert_non_null(strstr(text, "X-WR-CALNAME:中共某某县委办公室值班表（周晓东）"));
        icalcomponent_free(cal);

        /* Without published_only (dutyctl's export) the draft is there too; without person, all. */
        o.published_only = false;
        free(text);
        text = render(reply, &o);
        cal = icalparser_parse_string(text);
        assert_int_equal(events_count(cal), 2);
        icalcomponent_free(cal);
        o.person = NULL;
        free(text);
        text = render(reply, &o);
        cal = icalparser_parse_string(text);
        assert_int_equal(events_count(cal), 4);
        icalcomponent_free(cal);
        json_decref(reply);
}

static void test_hide_phones(void **state) {
        json_t *reply = reply_new("马丽");
        const IcsOptions o = { .now_usec = T1, .hide_phones = true };
        _cleanup_free_ char *text = render(reply, &o);

        assert_null(strstr(text, "1387910"));
        assert_null(strstr(text, "0791-"));
        assert_null(strstr(text, "电话"));
        assert_non_null(strstr(text, "李秀英"));
        json_decref(reply);
}

static void test_revisions(void **state) {
        json_t *reply = reply_new("马丽"), *changed = reply_new("马丽丽");
        IcsOptions o = { .now_usec = T1 };
        _cleanup_free_ char *first = render(reply, &o), *again = NULL, *next = NULL, *garbage = NULL;
        icalcomponent *cal, *ev;

        /* Unchanged, later: the same bytes (so dutyd does not rewrite the file). */
        o.now_usec = T2;
        o.previous = first;
        o.previous_size = strlen(first);
        again = render(reply, &o);
        assert_string_equal(again, first);

        /* Ma's name changed: every event of 10-01 names her, each is a new revision now; the
         * event of 10-02, which does not, keeps its revision and stamps. */
        next = render(changed, &o);
        cal = icalparser_parse_string(next);
        assert_non_null(cal);
        assert_int_equal(events_count(cal), 4);
        for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
                icalproperty *lm = icalcomponent_get_first_property(ev, ICAL_LASTMODIFIED_PROPERTY);
                bool touched = strneq(icalcomponent_get_uid(ev), "20261001", 8);
                uint64_t when = touched ? T2 : T1;

                assert_int_equal(icalcomponent_get_sequence(ev), touched ? 1 : 0);
                assert_non_null(lm);
                assert_int_equal((int64_t) icaltime_as_timet(icalproperty_get_lastmodified(lm)),
                                 (int64_t) (when / USEC_PER_SEC));
                assert_int_equal((int64_t) icaltime_as_timet(icalcomponent_get_dtstamp(ev)),
                                 (int64_t) (when / USEC_PER_SEC));
        }
        icalcomponent_free(cal);

        /* Rendered again against what was written, the same reply is the same bytes. */
        o.previous = next;
        o.previous_size = strlen(next);
        free(again);
        again = render(changed, &o);
        assert_string_equal(again, next);

        /* A previous feed that is not iCalendar is no previous feed. */
        garbage = strdup("BEGIN:VCALENDAR\nthis is not\n");
        o.previous = garbage;
        o.previous_size = strlen(garbage);
        free(again);
        again = render(reply, &o);
        assert_non_null(strstr(again, "SEQUENCE:0"));
        json_decref(reply);
        json_decref(changed);
}

static void test_refusals(void **state) {
        json_t *reply = reply_new("马丽");
        char *text = NULL;
        size_t size = 0;

        assert_int_equal(json_object_set_new(reply, "timezone", json_string("Mars/Olympus_Mons")), 0);
        assert_int_equal(ics_render(reply, NULL, &text, &size), -ENOENT);
        assert_int_equal(json_object_set_new(reply, "timezone", json_string("Asia/Shanghai")), 0);
        assert_int_equal(json_object_set_new(reply, "handover", json_string("25:00")), 0);
        assert_int_equal(ics_render(reply, NULL, &text, &size), -EBADMSG);
        assert_int_equal(json_object_set_new(reply, "handover", json_string("08:30")), 0);
        assert_int_equal(json_object_set_new(reply, "days", json_string("no")), 0);
        assert_int_equal(ics_render(reply, NULL, &text, &size), -EBADMSG);
        assert_null(text);
        json_decref(reply);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_person_feed),
                cmocka_unit_test(test_hide_phones),
                cmocka_unit_test(test_revisions),
                cmocka_unit_test(test_refusals),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
