/* SPDX-License-Identifier: GPL-2.0-or-later */

/* notify.c and the configuration's channels: the kinds' stable names, the retry schedule, the
 * messages in both languages (bounded), and which channels a person is told through. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "notify.h"

static void test_names(void **state) {
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_DUTY_TOMORROW), "duty_tomorrow");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_SWAP_REQUESTED), "swap_requested");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_LEAVE_PENDING), "leave_pending");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_LEAVE_DECIDED), "leave_decided");
        assert_int_equal(notify_kind_from_string("test"), NOTIFY_KIND_TEST);
        assert_int_equal(notify_kind_from_string("nope"), _NOTIFY_KIND_INVALID);
        for (NotifyKind k = 0; k < _NOTIFY_KIND_MAX; k++)
                assert_int_equal(notify_kind_from_string(notify_kind_to_string(k)), k);
        assert_int_equal(notify_state_from_string("failed"), NOTIFY_STATE_FAILED);
        assert_int_equal(notify_channel_type_from_string("command"), NOTIFY_CHANNEL_COMMAND);
        assert_int_equal(notify_channel_type_from_string("smtp"), NOTIFY_CHANNEL_SMTP);
        assert_int_equal(notify_channel_type_from_string("sms"), _NOTIFY_CHANNEL_TYPE_INVALID);
        assert_int_equal(notify_template_from_string("dingtalk"), NOTIFY_TEMPLATE_DINGTALK);
        /* The alerts' kinds and the summary: receivers and scripts key on these names. */
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_GAP_ALERT), "gap_alert");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_TAKEOVER_MISSED), "takeover_missed");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_REPORT_MISSED), "report_missed");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_SUMMARY), "summary");
}

/* An alert quotes the journal entry's own message, in the recipient's language, after a greeting. */
static void test_render_alerts(void **state) {
        NotifyFacts f = {
                .kind = NOTIFY_KIND_TAKEOVER_MISSED,
                .person_name = "周晓东",
                .day = DAY_NONE,
                .until = DAY_NONE,
                .detail_zh = "未接班：值班员无人接班。",
                .detail_en = "Not taken over: nobody on the officer post.",
        };
        char *zh, *en;

        zh = notify_render(&f, "zh");
        en = notify_render(&f, "en");
        assert_non_null(zh);
        assert_non_null(en);
        assert_non_null(strstr(zh, "周晓东同志"));
        assert_non_null(strstr(zh, "未接班：值班员无人接班。"));
        assert_null(strstr(zh, "Not taken over"));
        assert_non_null(strstr(en, "Not taken over: nobody on the officer post."));
        free(zh);
        free(en);

        /* No detail (never expected): a dash, not a crash. */
        f.kind = NOTIFY_KIND_REPORT_MISSED;
        f.detail_zh = f.detail_en = NULL;
        zh = notify_render(&f, "zh");
        assert_non_null(zh);
        assert_non_null(strstr(zh, "信息报送超时"));
        free(zh);
}

/* The summary: every section, counted; empty ones say so; long lists are cut and counted. */
static void test_summary(void **state) {
        NotifySummaryDuty duties[] = {
                { .day = 20606, .post_name = "带班领导", .person_name = "张伟" },
                { .day = 20606, .post_name = "值班员", .person_name = NULL },
        };
        const char *gaps[] = { "值班空缺：值班员无人值班。" };
        const char *many[NOTIFY_SUMMARY_LINES_MAX + 5];
        NotifySummary sm = {
                .from = 20606,
                .to = 20606,
                .duties = duties,
                .n_duties = 2,
                .gaps = gaps,
                .n_gaps = 1,
        };
        char *zh, *en;

        zh = notify_summary_render(&sm, "zh");
        en = notify_summary_render(&sm, "en");
        assert_non_null(zh);
        assert_non_null(en);
        assert_non_null(strstr(zh, "带班领导: 张伟"));
        assert_non_null(strstr(zh, "值班员: （空缺）"));
        assert_non_null(strstr(zh, "未解决的缺口：1项\n- 值班空缺：值班员无人值班。"));
        assert_non_null(strstr(zh, "待审批的请假：无"));
        assert_non_null(strstr(en, "Swaps pending: none"));
        assert_non_null(strstr(en, "(empty)"));
        free(zh);
        free(en);

        for (size_t i = 0; i < ELEMENTSOF(many); i++)
                many[i] = "x";
        sm.leaves_pending = many;
        sm.n_leaves_pending = ELEMENTSOF(many);
        en = notify_summary_render(&sm, "en");
        assert_non_null(en);
        assert_non_null(strstr(en, "Leaves waiting for a decision: 35"));
        assert_non_null(strstr(en, "- … and 5 more"));
        free(en);
}

static void test_backoff(void **state) {
        const uint64_t s = USEC_PER_SEC;

        /* 30 s, doubling, at most an hour. */
        assert_int_equal(notify_backoff_usec(1, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 30 * s);
        assert_int_equal(notify_backoff_usec(2, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 60 * s);
        assert_int_equal(notify_backoff_usec(3, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 120 * s);
        assert_int_equal(notify_backoff_usec(7, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 1920 * s);
        assert_int_equal(notify_backoff_usec(8, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 3600 * s);
        assert_int_equal(notify_backoff_usec(1000, NOTIFY_BACKOFF_FIRST_USEC, NOTIFY_BACKOFF_MAX_USEC), 3600 * s);
        assert_int_equal(notify_backoff_usec(UINT32_MAX, 1, UINT64_MAX), UINT64_MAX);
        /* The test hook's 1 s. */
        assert_int_equal(notify_backoff_usec(3, s, NOTIFY_BACKOFF_MAX_USEC), 4 * s);
        assert_int_equal(notify_backoff_usec(0, s, NOTIFY_BACKOFF_MAX_USEC), s);
        assert_int_equal(notify_backoff_usec(5, 0, NOTIFY_BACKOFF_MAX_USEC), 0);
}

static void test_render(void **state) {
        NotifyFacts f = {
                .kind = NOTIFY_KIND_DUTY_TOMORROW,
                .person_name = "吴敏",
                .day = day_from_ymd(2026, 6, 10),
                .until = DAY_NONE,
                .post_name = "值班员",
        };
        char *s;

        s = notify_render(&f, "zh");
        assert_non_null(s);
        assert_non_null(strstr(s, "吴敏同志"));
        assert_non_null(strstr(s, "明天（2026-06-10）"));
        assert_non_null(strstr(s, "值班员"));
        free(s);
        s = notify_render(&f, "en");
        assert_non_null(strstr(s, "on duty tomorrow (2026-06-10)"));
        free(s);

        f = (NotifyFacts) { .kind = NOTIFY_KIND_LEAVE_PENDING, .other_name = "陈志强", .id = 42,
                            .day = day_from_ymd(2026, 6, 22), .until = day_from_ymd(2026, 6, 23) };
        s = notify_render(&f, "zh");
        assert_non_null(strstr(s, "陈志强申请请假，2026-06-22 至 2026-06-23（请假单 42）"));
        assert_non_null(strstr(s, "dutyctl leave approve 42"));
        free(s);

        f = (NotifyFacts) { .kind = NOTIFY_KIND_LEAVE_DECIDED, .other_name = "王建国", .id = 42,
                            .day = day_from_ymd(2026, 6, 22), .until = DAY_NONE, .approved = false };
        s = notify_render(&f, "en");
        assert_string_equal(s, "Your leave from 2026-06-22 to 2026-06-22 (leave 42) was rejected by 王建国.");
        free(s);

        f = (NotifyFacts) { .kind = NOTIFY_KIND_SWAP_REQUESTED, .other_name = "吴敏", .id = 7,
                            .day = day_from_ymd(2026, 6, 10), .until = DAY_NONE };
        s = notify_render(&f, "zh");
        assert_non_null(strstr(s, "dutyctl swap accept 7"));
        free(s);

        /* Missing names read "-"; an unknown kind renders nothing. */
        f = (NotifyFacts) { .kind = NOTIFY_KIND_TEST, .day = DAY_NONE, .until = DAY_NONE };
        s = notify_render(&f, "zh");
        assert_non_null(strstr(s, "-同志"));
        free(s);
        f.kind = _NOTIFY_KIND_MAX;
        assert_null(notify_render(&f, "zh"));
        assert_null(notify_render(NULL, "zh"));
}

static void test_render_bounded(void **state) {
        char name[3 * NOTIFY_TEXT_MAX + 1];
        NotifyFacts f = { .kind = NOTIFY_KIND_TEST, .person_name = name, .day = DAY_NONE, .until = DAY_NONE };
        char *s;

        /* A name of three-byte characters: cut at the bound, never inside a character. */
        for (size_t i = 0; i < NOTIFY_TEXT_MAX; i++)
                memcpy(name + 3 * i, "值", 3);
        name[3 * NOTIFY_TEXT_MAX] = '\0';
        s = notify_render(&f, "zh");
        assert_non_null(s);
        assert_true(strlen(s) <= NOTIFY_TEXT_MAX);
        assert_int_equal(strlen(s) % 3, 0);
        free(s);
}

static void test_channels(void **state) {
        NotifyChannel channels[] = {
                { .name = (char *) "ops", .type = NOTIFY_CHANNEL_WEBHOOK },
                { .name = (char *) "wecom", .type = NOTIFY_CHANNEL_WEBHOOK, .template = NOTIFY_TEMPLATE_WECOM },
                { .name = (char *) "sms", .type = NOTIFY_CHANNEL_COMMAND },
        };
        char *own[] = { (char *) "sms", (char *) "gone", NULL };
        char *defaults[] = { (char *) "wecom", NULL };
        Person mine = { .id = (char *) "wum", .notify = own }, other = { .id = (char *) "fengj" };
        Config c = { .notify = { .channels = channels, .n_channels = 3 } };
        const NotifyChannel *r[NOTIFY_CHANNELS_MAX];

        /* No defaults: every channel. */
        assert_int_equal(config_notify_channels(&c, &other, r), 3);
        assert_ptr_equal(r[0], &channels[0]);
        assert_ptr_equal(r[2], &channels[2]);
        assert_int_equal(config_notify_channels(&c, NULL, r), 3);
        /* The person's own list; a name no longer defined is skipped. */
        assert_int_equal(config_notify_channels(&c, &mine, r), 1);
        assert_ptr_equal(r[0], &channels[2]);
        /* The defaults for the others. */
        c.notify.default_channels = defaults;
        assert_int_equal(config_notify_channels(&c, &other, r), 1);
        assert_ptr_equal(r[0], &channels[1]);
        assert_int_equal(config_notify_channels(&c, &mine, r), 1);
        /* None configured: none. */
        c = (Config) {};
        assert_int_equal(config_notify_channels(&c, &other, r), 0);
        assert_ptr_equal(config_find_notify_channel(&c, "ops"), NULL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_backoff),
                cmocka_unit_test(test_render),
                cmocka_unit_test(test_render_bounded),
                cmocka_unit_test(test_render_alerts),
                cmocka_unit_test(test_summary),
                cmocka_unit_test(test_channels),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
