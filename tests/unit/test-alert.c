/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "alert.h"
#include "gaps.h"
#include "source-file.h"
#include "store.h"

#define T0 ((uint64_t) 1767225600 * 1000000ULL)

static Gap gap(const char *id, GapKind kind, GapUrgency urgency) {
        return (Gap) {
                .id = (char *) id,
                .kind = kind,
                .urgency = urgency,
                .day = DAY_NONE,
                .until = DAY_NONE,
                .slot = -1,
                .ineligible = _GAP_INELIGIBLE_INVALID,
        };
}

static StoreAlertState told(const char *id, GapKind kind, GapUrgency urgency) {
        return (StoreAlertState) {
                .gap_id = (char *) id,
                .kind = (char *) gap_kind_to_string(kind),
                .urgency = (int) urgency,
                .day = DAY_NONE,
                .slot = -1,
        };
}

static const AlertEntry *entry_for(const AlertEntry *e, size_t n, const char *id) {
        for (size_t i = 0; i < n; i++) {
                const char *eid = e[i].event == ALERT_EVENT_RESOLVED ? e[i].state->gap_id : e[i].gap->id;

                if (strcmp(eid, id) == 0)
                        return &e[i];
        }
        return NULL;
}

static void test_plan_nothing(void **state) {
        AlertEntry *e = (AlertEntry *) 1;
        size_t n = 1;

        assert_int_equal(alert_plan(NULL, 0, NULL, 0, &e, &n), 0);
        assert_null(e);
        assert_int_equal(n, 0);
        assert_int_equal(alert_plan(NULL, 1, NULL, 0, &e, &n), -EINVAL);
}

static void test_plan_opened(void **state) {
        Gap g[] = {
                gap("unfilled:2026-03-03:officer:0", GAP_UNFILLED, GAP_URGENCY_ERR),
                gap("roster_missing:2026-03-09", GAP_ROSTER_MISSING, GAP_URGENCY_NOTICE),
        };
        AlertEntry *e = NULL;
        size_t n = 0;

        assert_int_equal(alert_plan(NULL, 0, g, ELEMENTSOF(g), &e, &n), 0);
        assert_int_equal(n, 2);
        /* In the order of the gaps. */
        assert_int_equal(e[0].event, ALERT_EVENT_OPENED);
        assert_ptr_equal(e[0].gap, &g[0]);
        assert_null(e[0].state);
        assert_int_equal(e[1].event, ALERT_EVENT_OPENED);
        assert_ptr_equal(e[1].gap, &g[1]);
        free(e);
}

static void test_plan_same_and_less_urgent(void **state) {
        Gap g[] = {
                gap("a", GAP_UNFILLED, GAP_URGENCY_WARNING),
                gap("b", GAP_UNFILLED, GAP_URGENCY_NOTICE),
        };
        StoreAlertState p[] = {
                told("a", GAP_UNFILLED, GAP_URGENCY_WARNING),
                told("b", GAP_UNFILLED, GAP_URGENCY_ERR),
        };
        AlertEntry *e = NULL;
        size_t n = 0;

        /* Told already, at that level or a more urgent one: nothing to repeat. */
        assert_int_equal(alert_plan(p, ELEMENTSOF(p), g, ELEMENTSOF(g), &e, &n), 0);
        assert_int_equal(n, 0);
        assert_null(e);
}

static void test_plan_escalated(void **state) {
        Gap g[] = {
                gap("a", GAP_UNFILLED, GAP_URGENCY_ERR),
                gap("b", GAP_LEAVE_CONFLICT, GAP_URGENCY_CRIT),
                gap("c", GAP_RULE, GAP_URGENCY_WARNING),
        };
        StoreAlertState p[] = {
                told("c", GAP_RULE, GAP_URGENCY_WARNING),
                told("b", GAP_LEAVE_CONFLICT, GAP_URGENCY_NOTICE),
                told("a", GAP_UNFILLED, GAP_URGENCY_WARNING),
        };
        AlertEntry *e = NULL;
        size_t n = 0;

        assert_int_equal(alert_plan(p, ELEMENTSOF(p), g, ELEMENTSOF(g), &e, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(e[0].event, ALERT_EVENT_ESCALATED);
        assert_ptr_equal(e[0].gap, &g[0]);
        assert_ptr_equal(e[0].state, &p[2]);
        assert_int_equal(e[1].event, ALERT_EVENT_ESCALATED);
        assert_ptr_equal(e[1].gap, &g[1]);
        assert_ptr_equal(e[1].state, &p[1]);
        free(e);
}

/* A missing takeover stays crit: each higher step is told again, the same step is not, and the
 * step is kept with what was told. */
static void test_plan_step(void **state) {
        Gap g[] = {
                gap("takeover_missing:2026-03-02:officer", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT),
                gap("takeover_missing:2026-03-02:leader_on_call", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT),
        };
        StoreAlertState p[] = {
                told("takeover_missing:2026-03-02:leader_on_call", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT),
                told("takeover_missing:2026-03-02:officer", GAP_TAKEOVER_MISSING, GAP_URGENCY_CRIT),
        };
        StoreAlertState next = {};
        AlertEntry *e = NULL;
        size_t n = 0;

        g[0].step = 2;
        g[1].step = 1;
        p[0].step = 1;
        p[1].step = 1;
        assert_int_equal(alert_plan(p, ELEMENTSOF(p), g, ELEMENTSOF(g), &e, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(e[0].event, ALERT_EVENT_ESCALATED);
        assert_ptr_equal(e[0].gap, &g[0]);
        free(e);

        assert_int_equal(alert_state_from_gap(&g[0], &p[1], "m", T0, &next), 0);
        assert_int_equal(next.step, 2);
        store_alert_state_done(&next);

        assert_string_equal(alert_message_id(ALERT_EVENT_OPENED, GAP_TAKEOVER_MISSING), ALERT_MESSAGE_ID_TAKEOVER_MISSING);
}

static void test_plan_resolved(void **state) {
        Gap g[] = {
                gap("m", GAP_UNFILLED, GAP_URGENCY_NOTICE),
        };
        StoreAlertState p[] = {
                told("z", GAP_SWAP_PENDING, GAP_URGENCY_ERR),
                told("m", GAP_UNFILLED, GAP_URGENCY_NOTICE),
                told("b", GAP_LEAVE_OVERDUE, GAP_URGENCY_WARNING),
        };
        AlertEntry *e = NULL;
        size_t n = 0;

        assert_int_equal(alert_plan(p, ELEMENTSOF(p), g, ELEMENTSOF(g), &e, &n), 0);
        /* Resolved ones first, by gap id. */
        assert_int_equal(n, 2);
        assert_int_equal(e[0].event, ALERT_EVENT_RESOLVED);
        assert_ptr_equal(e[0].state, &p[2]);
        assert_null(e[0].gap);
        assert_int_equal(e[1].event, ALERT_EVENT_RESOLVED);
        assert_ptr_equal(e[1].state, &p[0]);
        free(e);

        /* Every gap gone. */
        assert_int_equal(alert_plan(p, ELEMENTSOF(p), NULL, 0, &e, &n), 0);
        assert_int_equal(n, 3);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(e[i].event, ALERT_EVENT_RESOLVED);
        free(e);
}

static void test_plan_duplicates(void **state) {
        Gap g[] = {
                gap("x", GAP_UNFILLED, GAP_URGENCY_NOTICE),
                gap("x", GAP_UNFILLED, GAP_URGENCY_CRIT),
                gap("y", GAP_UNFILLED, GAP_URGENCY_NOTICE),
        };
        AlertEntry *e = NULL;
        size_t n = 0;

        assert_int_equal(alert_plan(NULL, 0, g, ELEMENTSOF(g), &e, &n), 0);
        assert_int_equal(n, 2);
        assert_ptr_equal(e[0].gap, &g[0]);
        assert_ptr_equal(e[1].gap, &g[2]);
        free(e);
}

/* The whole life of one gap, the state kept between runs as the monitor keeps it: one entry when it
 * appears, one at each threshold crossed, none while nothing changes, one when it is resolved. */
static void test_plan_lifecycle(void **state) {
        static const GapUrgency seen[] = {
                GAP_URGENCY_NOTICE, GAP_URGENCY_NOTICE, GAP_URGENCY_WARNING, GAP_URGENCY_WARNING,
                GAP_URGENCY_ERR, GAP_URGENCY_CRIT, GAP_URGENCY_CRIT, GAP_URGENCY_ERR, GAP_URGENCY_CRIT,
        };
        static const int expected[] = {
                ALERT_EVENT_OPENED, -1, ALERT_EVENT_ESCALATED, -1, ALERT_EVENT_ESCALATED,
                ALERT_EVENT_ESCALATED, -1, -1, -1,
        };
        StoreAlertState kept = {};
        bool have = false;
        unsigned written = 0;

        for (size_t step = 0; step < ELEMENTSOF(seen); step++) {
                Gap g = gap("unfilled:2026-03-09:officer:0", GAP_UNFILLED, seen[step]);
                AlertEntry *e = NULL;
                size_t n = 0;

                assert_int_equal(alert_plan(have ? &kept : NULL, have ? 1 : 0, &g, 1, &e, &n), 0);
                if (expected[step] < 0) {
                        assert_int_equal(n, 0);
                        continue;
                }
                assert_int_equal(n, 1);
                assert_int_equal(e[0].event, expected[step]);
                written++;

                {
                        StoreAlertState next = {};

                        assert_int_equal(alert_state_from_gap(&g, have ? &kept : NULL, "m", T0 + step, &next), 0);
                        assert_int_equal(next.first_usec, T0);
                        assert_int_equal(next.last_usec, T0 + step);
                        store_alert_state_done(&kept);
                        kept = next;
                        have = true;
                }
                free(e);
        }
        assert_int_equal(written, 4);
        assert_int_equal(kept.urgency, GAP_URGENCY_CRIT);

        {
                AlertEntry *e = NULL;
                size_t n = 0;

                assert_int_equal(alert_plan(&kept, 1, NULL, 0, &e, &n), 0);
                assert_int_equal(n, 1);
                assert_int_equal(e[0].event, ALERT_EVENT_RESOLVED);
                free(e);
        }
        store_alert_state_done(&kept);
}

static void test_state_from_gap(void **state) {
        Gap g = gap("rule:min_leaders_present:2026-03-11", GAP_RULE, GAP_URGENCY_WARNING);
        char *people[] = { (char *) "vice", (char *) "vice2" };
        StoreAlertState a = {};

        g.day = 20523;
        g.rule = "min_leaders_present";
        g.people = people;
        g.n_people = 2;
        g.leave_id = 21;
        assert_int_equal(alert_state_from_gap(&g, NULL, "在岗领导不足", T0, &a), 0);
        assert_string_equal(a.gap_id, g.id);
        assert_string_equal(a.kind, "rule");
        assert_int_equal(a.urgency, GAP_URGENCY_WARNING);
        assert_int_equal(a.day, 20523);
        assert_null(a.post);
        assert_int_equal(a.slot, -1);
        assert_string_equal(a.people, "vice,vice2");
        assert_string_equal(a.rule, "min_leaders_present");
        assert_int_equal(a.leave_id, 21);
        assert_string_equal(a.message, "在岗领导不足");
        assert_int_equal(a.first_usec, T0);
        store_alert_state_done(&a);

        assert_int_equal(alert_state_from_gap(NULL, NULL, "m", T0, &a), -EINVAL);
}

static void test_messages(void **state) {
        StoreAlertState p = told("unfilled:2026-03-03:officer:0", GAP_UNFILLED, GAP_URGENCY_ERR);
        AlertEntry e = { .event = ALERT_EVENT_RESOLVED, .state = &p };
        Config c = { .language = (char *) "zh" };
        char *m;

        p.message = (char *) "值班空缺：2026-03-03（周二）值班员无人值班。";
        m = alert_entry_message(&e, &c, "zh");
        assert_string_equal(m, "已解决：值班空缺：2026-03-03（周二）值班员无人值班。");
        free(m);
        m = alert_entry_message(&e, &c, "en");
        assert_string_equal(m, "Resolved: 值班空缺：2026-03-03（周二）值班员无人值班。");
        free(m);
        /* Nothing was kept of the message: the id stands for it. */
        p.message = NULL;
        m = alert_entry_message(&e, &c, "en");
        assert_string_equal(m, "Resolved: unfilled:2026-03-03:officer:0");
        free(m);
}

static bool is_id128(const char *s) {
        if (strlen(s) != 32)
                return false;
        for (const char *p = s; *p; p++)
                if (!isxdigit((unsigned char) *p) || isupper((unsigned char) *p))
                        return false;
        return true;
}

static void test_message_ids(void **state) {
        const char *ids[_GAP_KIND_MAX + 1];

        for (GapKind k = 0; k < _GAP_KIND_MAX; k++) {
                ids[k] = alert_message_id(ALERT_EVENT_OPENED, k);
                assert_non_null(ids[k]);
                assert_true(is_id128(ids[k]));
                /* An escalation is the same kind of news. */
                assert_string_equal(alert_message_id(ALERT_EVENT_ESCALATED, k), ids[k]);
        }
        ids[_GAP_KIND_MAX] = alert_message_id(ALERT_EVENT_RESOLVED, GAP_UNFILLED);
        assert_string_equal(ids[_GAP_KIND_MAX], ALERT_MESSAGE_ID_RESOLVED);
        assert_string_equal(alert_message_id(ALERT_EVENT_RESOLVED, _GAP_KIND_INVALID), ALERT_MESSAGE_ID_RESOLVED);
        assert_null(alert_message_id(ALERT_EVENT_OPENED, _GAP_KIND_INVALID));
        assert_null(alert_message_id(_ALERT_EVENT_INVALID, GAP_UNFILLED));

        for (size_t i = 0; i < ELEMENTSOF(ids); i++)
                for (size_t j = i + 1; j < ELEMENTSOF(ids); j++)
                        assert_string_not_equal(ids[i], ids[j]);
}

/* Every MESSAGE_ID has its catalog entry, in English and in Chinese. */
static void test_catalog(void **state) {
        char *text = source_file_read("packaging/dutyd.catalog");

        for (int k = 0; k <= _GAP_KIND_MAX; k++) {
                const char *id = k < _GAP_KIND_MAX ? alert_message_id(ALERT_EVENT_OPENED, k) : ALERT_MESSAGE_ID_RESOLVED;
                char *en = NULL, *zh = NULL;

                assert_true(asprintf(&en, "\n-- %s\nSubject: ", id) > 0);
                assert_true(asprintf(&zh, "\n-- %s zh_CN\nSubject: ", id) > 0);
                if (!strstr(text, en))
                        fail_msg("no English catalog entry for %s", id);
                if (!strstr(text, zh))
                        fail_msg("no zh_CN catalog entry for %s", id);
                free(en);
                free(zh);
        }
        free(text);
}

static void test_priority(void **state) {
        assert_int_equal(alert_priority(GAP_URGENCY_CRIT), LOG_CRIT);
        assert_int_equal(alert_priority(GAP_URGENCY_ERR), LOG_ERR);
        assert_int_equal(alert_priority(GAP_URGENCY_WARNING), LOG_WARNING);
        assert_int_equal(alert_priority(GAP_URGENCY_NOTICE), LOG_NOTICE);
        assert_int_equal(ALERT_PRIORITY_RESOLVED, LOG_INFO);
        for (AlertEvent e = 0; e < _ALERT_EVENT_MAX; e++)
                assert_int_equal(alert_event_from_string(alert_event_to_string(e)), e);
}

/* What was told survives the store being closed and opened again, so that a restarted daemon plans
 * nothing for gaps it already announced. */
static void test_persisted(void **state) {
        char dir[] = "/tmp/test-alert.XXXXXX", *path = NULL;
        Gap g[] = {
                gap("unfilled:2026-03-03:officer:0", GAP_UNFILLED, GAP_URGENCY_ERR),
                gap("leave_conflict:2026-03-04:leader_on_call:0:head", GAP_LEAVE_CONFLICT, GAP_URGENCY_WARNING),
        };
        char *people[] = { (char *) "head" };
        StoreAlertState *list = NULL, a = {};
        AlertEntry *e = NULL;
        size_t n = 0, n_e = 0;
        Store *s = NULL;

        g[0].day = 20515;
        g[0].post = (char *) "officer";
        g[0].slot = 0;
        g[1].day = 20516;
        g[1].post = (char *) "leader_on_call";
        g[1].slot = 0;
        g[1].people = people;
        g[1].n_people = 1;
        g[1].leave_id = 17;

        assert_non_null(mkdtemp(dir));
        assert_true(asprintf(&path, "%s/dutyd.sqlite", dir) > 0);
        assert_int_equal(store_open(path, &s, NULL), 0);
        assert_int_equal(store_begin(s), 0);
        for (size_t i = 0; i < ELEMENTSOF(g); i++) {
                assert_int_equal(alert_state_from_gap(&g[i], NULL, "told", T0, &a), 0);
                assert_int_equal(store_alert_state_put(s, &a), 0);
                store_alert_state_done(&a);
        }
        assert_int_equal(store_commit(s), 0);
        s = store_free(s);

        assert_int_equal(store_open(path, &s, NULL), 0);
        assert_int_equal(store_alert_state_list(s, &list, &n), 0);
        assert_int_equal(n, 2);
        /* By gap id. */
        assert_string_equal(list[0].gap_id, g[1].id);
        assert_string_equal(list[0].kind, "leave_conflict");
        assert_int_equal(list[0].urgency, GAP_URGENCY_WARNING);
        assert_int_equal(list[0].day, 20516);
        assert_string_equal(list[0].post, "leader_on_call");
        assert_int_equal(list[0].slot, 0);
        assert_string_equal(list[0].people, "head");
        assert_int_equal(list[0].leave_id, 17);
        assert_int_equal(list[0].swap_id, 0);
        assert_null(list[0].rule);
        assert_string_equal(list[0].message, "told");
        assert_int_equal(list[0].first_usec, T0);
        assert_string_equal(list[1].gap_id, g[0].id);
        assert_null(list[1].people);

        assert_int_equal(alert_plan(list, n, g, ELEMENTSOF(g), &e, &n_e), 0);
        assert_int_equal(n_e, 0);
        /* One of them gone, the other more urgent. */
        g[0].urgency = GAP_URGENCY_CRIT;
        assert_int_equal(alert_plan(list, n, g, 1, &e, &n_e), 0);
        assert_int_equal(n_e, 2);
        assert_non_null(entry_for(e, n_e, g[1].id));
        assert_int_equal(entry_for(e, n_e, g[1].id)->event, ALERT_EVENT_RESOLVED);
        assert_int_equal(entry_for(e, n_e, g[0].id)->event, ALERT_EVENT_ESCALATED);
        free(e);

        assert_int_equal(store_alert_state_remove(s, g[1].id), 0);
        assert_int_equal(store_alert_state_remove(s, g[1].id), -ENOENT);
        store_alert_state_free_many(list, n);
        assert_int_equal(store_alert_state_list(s, &list, &n), 0);
        assert_int_equal(n, 1);
        store_alert_state_free_many(list, n);
        store_free(s);

        (void) unlink(path);
        free(path);
        assert_true(asprintf(&path, "rm -rf '%s'", dir) > 0);
        assert_int_equal(system(path), 0);
        free(path);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plan_nothing),
                cmocka_unit_test(test_plan_opened),
                cmocka_unit_test(test_plan_same_and_less_urgent),
                cmocka_unit_test(test_plan_escalated),
                cmocka_unit_test(test_plan_step),
                cmocka_unit_test(test_plan_resolved),
                cmocka_unit_test(test_plan_duplicates),
                cmocka_unit_test(test_plan_lifecycle),
                cmocka_unit_test(test_state_from_gap),
                cmocka_unit_test(test_messages),
                cmocka_unit_test(test_message_ids),
                cmocka_unit_test(test_catalog),
                cmocka_unit_test(test_priority),
                cmocka_unit_test(test_persisted),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
