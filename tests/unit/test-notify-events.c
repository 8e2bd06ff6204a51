/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The pure parts of the person events: what a roster change means to each person
 * (notify-change.c), and the texts of duty_soon, roster_changed, swap_approval, swap_decided and
 * return_overdue in both languages (notify.c). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "notify-change.h"
#include "notify.h"

static Day day(const char *s) {
        Day d = DAY_NONE;

        assert_int_equal(day_parse(s, &d), 0);
        return d;
}

#define H(d_, post_, person_) ((NotifyHeld) { .day = day(d_), .post = (post_), .person = (person_) })

static const NotifyPersonChange *find(const NotifyPersonChange *v, size_t n, const char *person) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(v[i].person, person) == 0)
                        return &v[i];
        return NULL;
}

static void test_changes(void **state) {
        /* Before: zhang on the 10th, li on the 10th and 11th, wang on the 12th (slot order irrelevant). */
        NotifyHeld before[] = {
                H("2026-06-10", "officer", "zhang"),
                H("2026-06-10", "leader", "li"),
                H("2026-06-11", "leader", "li"),
                H("2026-06-12", "officer", "wang"),
                H("2026-06-12", "officer", NULL),        /* an empty slot */
        };
        /* After: zhang moves to the 12th, li keeps both (listed in another order), wang moves to
         * the leader's post of the same day, zhao is new. */
        NotifyHeld after[] = {
                H("2026-06-11", "leader", "li"),
                H("2026-06-12", "officer", "zhang"),
                H("2026-06-10", "leader", "li"),
                H("2026-06-12", "leader", "wang"),
                H("2026-06-10", "officer", "zhao"),
        };
        NotifyPersonChange *v = NULL;
        const NotifyPersonChange *c;
        size_t n = 0;

        assert_int_equal(notify_changes_per_person(before, 5, after, 5, &v, &n), 0);
        /* li is not affected: nothing for li. */
        assert_int_equal(n, 3);
        assert_null(find(v, n, "li"));
        /* Sorted by person. */
        assert_string_equal(v[0].person, "wang");
        assert_string_equal(v[1].person, "zhang");
        assert_string_equal(v[2].person, "zhao");

        c = find(v, n, "zhang");
        assert_int_equal(c->n_added, 1);
        assert_int_equal(c->n_removed, 1);
        assert_int_equal(c->added[0].day, day("2026-06-12"));
        assert_int_equal(c->removed[0].day, day("2026-06-10"));

        /* Same day, another post: removed and added. */
        c = find(v, n, "wang");
        assert_int_equal(c->n_added, 1);
        assert_int_equal(c->n_removed, 1);
        assert_string_equal(c->added[0].post, "leader");
        assert_string_equal(c->removed[0].post, "officer");

        c = find(v, n, "zhao");
        assert_int_equal(c->n_added, 1);
        assert_int_equal(c->n_removed, 0);
        notify_person_changes_free(v, n);
}

static void test_changes_edges(void **state) {
        NotifyHeld first[] = {
                H("2026-06-02", "officer", "zhang"),
                H("2026-06-01", "officer", "zhang"),
                H("2026-06-01", "leader", "li"),
        };
        NotifyHeld twice[] = {
                H("2026-06-01", "officer", "zhang"),
                H("2026-06-01", "officer", "zhang"),
        };
        NotifyPersonChange *v = NULL;
        size_t n = 7;

        /* A first publication: everything is new, each person's duties by day. */
        assert_int_equal(notify_changes_per_person(NULL, 0, first, 3, &v, &n), 0);
        assert_int_equal(n, 2);
        assert_string_equal(v[0].person, "li");
        assert_string_equal(v[1].person, "zhang");
        assert_int_equal(v[1].n_added, 2);
        assert_int_equal(v[1].added[0].day, day("2026-06-01"));
        assert_int_equal(v[1].added[1].day, day("2026-06-02"));
        v = notify_person_changes_free(v, n);

        /* The same roster again: nobody. */
        assert_int_equal(notify_changes_per_person(first, 3, first, 3, &v, &n), 0);
        assert_int_equal(n, 0);
        v = notify_person_changes_free(v, n);

        /* A duty held twice counts twice: one of them removed is a change. */
        assert_int_equal(notify_changes_per_person(twice, 2, twice, 1, &v, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(v[0].n_removed, 1);
        v = notify_person_changes_free(v, n);

        /* Bad arguments leave the outputs alone. */
        n = 7;
        assert_int_equal(notify_changes_per_person(NULL, 1, first, 3, &v, &n), -EINVAL);
        assert_int_equal(n, 7);
}

static void test_names(void **state) {
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_DUTY_SOON), "duty_soon");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_ROSTER_CHANGED), "roster_changed");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_SWAP_APPROVAL), "swap_approval");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_SWAP_DECIDED), "swap_decided");
        assert_string_equal(notify_kind_to_string(NOTIFY_KIND_RETURN_OVERDUE), "return_overdue");
}

static void expect_text(const NotifyFacts *f, const char *language, const char *needle) {
        char *s = notify_render(f, language);

        assert_non_null(s);
        if (!strstr(s, needle))
                fail_msg("\"%s\" not in \"%s\"", needle, s);
        free(s);
}

static void test_render(void **state) {
        NotifyDuty added[12], removed[1];
        NotifyFacts f = {
                .kind = NOTIFY_KIND_DUTY_SOON,
                .person_name = "张三",
                .day = day("2026-06-10"),
                .until = DAY_NONE,
                .post_name = "值班员",
                .minutes = 8 * 60 + 30,
        };

        expect_text(&f, "zh", "张三同志：您的值班（2026-06-10，岗位：值班员）将于 08:30 开始");
        expect_text(&f, "en", "your duty as 值班员 begins at 08:30 on 2026-06-10");

        for (size_t i = 0; i < 12; i++)
                added[i] = (NotifyDuty) { .day = day("2026-06-01") + (Day) i, .post_name = "值班员" };
        removed[0] = (NotifyDuty) { .day = day("2026-06-20"), .post_name = "带班领导" };
        f = (NotifyFacts) {
                .kind = NOTIFY_KIND_ROSTER_CHANGED,
                .person_name = "张三",
                .day = DAY_NONE,
                .until = DAY_NONE,
                .version = 3,
                .added = added,
                .n_added = 12,
                .removed = removed,
                .n_removed = 1,
        };
        expect_text(&f, "zh", "第 3 版值班表已发布，您的值班有变动。新增：2026-06-01 值班员、2026-06-02 值班员");
        /* At most ten listed, then how many more. */
        expect_text(&f, "zh", "2026-06-10 值班员等，另有 2 个。取消：2026-06-20 带班领导。");
        expect_text(&f, "en", "roster version 3 is published and your duties change. Added: 2026-06-01 值班员, ");
        expect_text(&f, "en", " and 2 more. Removed: 2026-06-20 带班领导.");
        f.version = 0;
        f.reason = "因病调整";
        f.n_added = 0;
        expect_text(&f, "zh", "已发布的值班表作了调整（因病调整），您的值班有变动。取消：2026-06-20 带班领导。");

        f = (NotifyFacts) {
                .kind = NOTIFY_KIND_SWAP_APPROVAL,
                .other_name = "张三",
                .third_name = "李四",
                .day = day("2026-06-10"),
                .until = DAY_NONE,
                .id = 7,
        };
        expect_text(&f, "zh", "张三与李四调换 2026-06-10 值班的申请（调班申请 7）双方已同意，等待您审批");
        expect_text(&f, "en", "`dutyctl swap approve 7`");

        f.kind = NOTIFY_KIND_SWAP_DECIDED;
        f.outcome = NOTIFY_SWAP_DECLINED;
        f.reason = "家中有事";
        expect_text(&f, "zh", "李四不同意您 2026-06-10 的调班申请（调班申请 7），理由：家中有事。");
        expect_text(&f, "en", "李四 declined your swap of 2026-06-10 (swap 7): 家中有事.");
        f.outcome = NOTIFY_SWAP_APPROVED;
        f.third_name = "王五";
        expect_text(&f, "zh", "您 2026-06-10 的调班申请（调班申请 7）已被王五批准");
        f.to_other = true;
        expect_text(&f, "zh", "张三与您调换 2026-06-10 值班的申请（调班申请 7）已被王五批准");
        f.outcome = NOTIFY_SWAP_CANCELLED;
        f.to_other = false;
        f.third_name = NULL;
        f.reason = NULL;
        expect_text(&f, "zh", "已被管理员撤销。");
        expect_text(&f, "en", "was cancelled by an administrator.");

        f = (NotifyFacts) {
                .kind = NOTIFY_KIND_RETURN_OVERDUE,
                .person_name = "张三",
                .other_name = "张三",
                .day = day("2026-06-10"),
                .until = day("2026-06-12"),
                .id = 5,
        };
        expect_text(&f, "zh", "张三同志：您 2026-06-10 至 2026-06-12 的请假（请假单 5）已到期，尚未销假。返岗后请执行 `dutyctl leave return 5` 销假。");
        f.person_name = "王局长";
        f.to_other = true;
        expect_text(&f, "zh", "张三 2026-06-10 至 2026-06-12 的请假（请假单 5）已到期，尚未销假，请督促其及时销假。");
        expect_text(&f, "en", "The leave of 张三 from 2026-06-10 to 2026-06-12 (leave 5) has ended");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_changes),
                cmocka_unit_test(test_changes_edges),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_render),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
