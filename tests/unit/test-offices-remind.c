/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Reminders to the offices (催办), the pure parts: who an "office:<id>" recipient is, and what the
 * reminder says before and after the deadline. */

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
#include "offices.h"

static void test_recipient(void **state) {
        char *robot[] = { (char *) "b-robot", NULL };
        AggregatorOffice offices[] = {     /* sorted by id, as the parser leaves them */
                { .id = (char *) "a", .name = (char *) "甲县政府办" },
                { .id = (char *) "b", .name = (char *) "乙县政府办", .phone = (char *) "0371-1",
                  .email = (char *) "duty@b.example.gov.cn", .notify = robot },
                { .id = (char *) "c", .email = (char *) "duty@c.example.gov.cn" },
        };
        Config c = {
                .aggregator = { .journal_dir = (char *) "/x", .offices = offices, .n_offices = 3 },
        };
        const Person *p;
        Person buf;

        p = office_notify_recipient(&c, "office:b", &buf);
        assert_ptr_equal(p, &buf);
        assert_string_equal(p->id, "b");
        assert_string_equal(p->name, "乙县政府办");
        assert_string_equal(p->phone, "0371-1");
        assert_string_equal(p->email, "duty@b.example.gov.cn");
        assert_ptr_equal(p->notify, robot);
        assert_null(p->language);

        /* Unnamed: its id. */
        p = office_notify_recipient(&c, "office:c", &buf);
        assert_non_null(p);
        assert_string_equal(p->name, "c");
        assert_null(p->notify);

        /* No contact, no such office, no prefix (a person id that does not exist). */
        assert_null(office_notify_recipient(&c, "office:a", &buf));
        assert_null(office_notify_recipient(&c, "office:zz", &buf));
        assert_null(office_notify_recipient(&c, "b", &buf));
        assert_null(office_notify_recipient(&c, "office:b", NULL));
        assert_null(office_notify_recipient(NULL, "office:b", &buf));
}

static void test_render(void **state) {
        NotifyFacts f = {
                .kind = NOTIFY_KIND_REPORT_REMINDER,
                .person_name = "乙县政府办",
                .office = "市政府办公室",
                .holiday = "国庆节",
                .deadline = "2026-09-28 17:00",
                .day = DAY_NONE,
                .until = DAY_NONE,
        };
        char *s;

        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_REPORT_REMINDER), "report_reminder");
        assert_int_equal(notify_kind_from_string("report_reminder"), NOTIFY_KIND_REPORT_REMINDER);

        s = notify_render(&f, "zh");
        assert_non_null(s);
        assert_string_equal(s, "乙县政府办：请于 2026-09-28 17:00 前向市政府办公室报送国庆节值班表，目前尚未收到。"
                               "发布值班表（dutyctl roster publish）后即自动报送。");
        free(s);

        f.overdue = true;
        s = notify_render(&f, "zh");
        assert_non_null(strstr(s, "已逾期"));
        assert_non_null(strstr(s, "2026-09-28 17:00"));
        free(s);
        s = notify_render(&f, "en");
        assert_non_null(strstr(s, "the 国庆节 duty roster, due by 2026-09-28 17:00, has not reached 市政府办公室"));
        assert_non_null(strstr(s, "dutyctl roster publish"));
        free(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_recipient),
                cmocka_unit_test(test_render),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
