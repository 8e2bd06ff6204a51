/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The one reader of a RosterShow reply (daemon/roster-view.c) behind dutyctl's exports and the
 * iCalendar renderer: who leads a day (by role, else the day's first post), the versions, the
 * person's display name, and the replies it refuses. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "roster-view.h"

static json_t *reply_new(json_t *assignments, json_t *reminder) {
        json_t *r = json_pack("{s:s, s:s, s:s, s:o, s:i, s:[{s:{s:s, s:s}, s:o, s:i, s:i}]}",
                              "office", "市委办公室", "timezone", "Asia/Shanghai", "handover", "08:30",
                              "ics_reminder_minutes", reminder, "amendments", 1,
                              "days", "day", "date", "2026-10-01", "type", "holiday",
                              "assignments", assignments, "version", 2, "amendments", 1);

        assert_non_null(r);
        return r;
}

static void test_leader_by_role_or_first_post(void **state) {
        _cleanup_(roster_view_freep) RosterView *v = NULL;
        json_t *reply;

        /* With roles: the leader is whoever's post says so, wherever it stands. */
        reply = reply_new(json_pack("[{s:s, s:s, s:i, s:s, s:s, s:s, s:b}, {s:s, s:s, s:i, s:s, s:s, s:s, s:b}]",
                                    "post", "officer", "post_name", "值班员", "slot", 0, "role", "officer",
                                    "person", "zhou", "name", "周晓东", "assume_ordinary", 1,
                                    "post", "leader", "post_name", "带班领导", "slot", 0, "role", "leader",
                                    "person", "li", "name", "李秀英", "assume_ordinary", 0),
                          json_integer(30));
        assert_int_equal(roster_view_parse(reply, &v), 0);
        assert_int_equal(v->n_days, 1);
        assert_int_equal(v->days[0].n_slots, 2);
        assert_false(v->days[0].slots[0].leader);
        assert_true(v->days[0].slots[1].leader);
        assert_true(v->days[0].has_version);
        assert_int_equal(v->days[0].version, 2);
        assert_true(v->days_versioned);
        assert_int_equal(v->handover_minutes, 8 * 60 + 30);
        assert_int_equal(v->ics_reminder_minutes, 30);
        assert_true(roster_view_day_assumed(&v->days[0]));
        assert_string_equal(roster_view_person_name(v, "li"), "李秀英");
        assert_string_equal(roster_view_person_name(v, "nobody"), "nobody");
        v = roster_view_free(v);
        json_decref(reply);

        /* Without roles: the day's first post leads. */
        reply = reply_new(json_pack("[{s:s, s:s, s:i, s:s}, {s:s, s:s, s:i, s:n}]",
                                    "post", "leader", "post_name", "带班领导", "slot", 0, "person", "li",
                                    "post", "officer", "post_name", "值班员", "slot", 0, "person"),
                          json_null());
        assert_int_equal(roster_view_parse(reply, &v), 0);
        assert_true(v->days[0].slots[0].leader);
        assert_false(v->days[0].slots[1].leader);
        assert_null(v->days[0].slots[1].person);
        assert_false(roster_view_day_assumed(&v->days[0]));
        assert_int_equal(v->ics_reminder_minutes, 0);
        json_decref(reply);
}

static void test_refused(void **state) {
        RosterView *v = NULL;
        json_t *reply;

        /* A reminder more than a week ahead. */
        reply = reply_new(json_array(), json_integer(ROSTER_VIEW_REMINDER_MAX + 1));
        assert_int_equal(roster_view_parse(reply, &v), -EBADMSG);
        assert_null(v);
        json_decref(reply);

        /* assume_ordinary that is not a boolean. */
        reply = reply_new(json_pack("[{s:s, s:s, s:i, s:s}]", "post", "leader", "post_name", "带班领导", "slot", 0,
                                    "assume_ordinary", "yes"),
                          json_null());
        assert_int_equal(roster_view_parse(reply, &v), -EBADMSG);
        assert_null(v);
        json_decref(reply);

        /* A slot without its post. */
        reply = reply_new(json_pack("[{s:s, s:i}]", "post_name", "带班领导", "slot", 0), json_null());
        assert_int_equal(roster_view_parse(reply, &v), -EBADMSG);
        assert_null(v);
        json_decref(reply);

        /* Not a reply at all. */
        reply = json_pack("{s:s}", "days", "none");
        assert_int_equal(roster_view_parse(reply, &v), -EBADMSG);
        json_decref(reply);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_leader_by_role_or_first_post),
                cmocka_unit_test(test_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
