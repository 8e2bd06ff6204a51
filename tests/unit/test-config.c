/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "config-parse.h"
#include "config.h"
#include "rules.h"

#ifndef SRCDIR
#error "SRCDIR must point at the source tree"
#endif

#define SAMPLE_CONFIG SRCDIR "/conf/dutyd.conf"

/* Two people and one post: the smallest valid file, extended by each case. */
#define PEOPLE_OK                                                                        \
        "people = (\n"                                                                   \
        "  { id = \"a\"; name = \"甲\"; roles = [ \"leader\" ]; },\n"                    \
        "  { id = \"b\"; name = \"乙\"; roles = [ \"officer\" ]; }\n"                    \
        ");\n"
#define POSTS_OK "posts = ( { id = \"p\"; name = \"值班员\"; role = \"officer\"; } );\n"

typedef struct Fixture {
        char dir[PATH_MAX];
} Fixture;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static int setup(void **state) {
        Fixture *fx = calloc(1, sizeof(Fixture));

        if (!fx)
                return -1;
        snprintf(fx->dir, sizeof(fx->dir), "/tmp/test-config-XXXXXX");
        if (!mkdtemp(fx->dir)) {
                free(fx);
                return -1;
        }
        *state = fx;
        return 0;
}

static int teardown(void **state) {
        Fixture *fx = *state;

        (void) nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(fx);
        return 0;
}

static void path_in(const Fixture *fx, const char *name, char buf[static PATH_MAX]) {
        assert_true(snprintf(buf, PATH_MAX, "%s/%s", fx->dir, name) < PATH_MAX);
}

static void write_file(const Fixture *fx, const char *name, const char *text) {
        char path[PATH_MAX];
        FILE *f;

        path_in(fx, name, path);
        f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fputs(text, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
}

static void make_dir(const Fixture *fx, const char *name) {
        char path[PATH_MAX];

        path_in(fx, name, path);
        assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* The 1-based line on which `needle` first occurs in `text`. */
static int line_of(const char *text, const char *needle) {
        const char *at = strstr(text, needle);
        int line = 1;

        assert_non_null(at);
        for (const char *c = text; c < at; c++)
                line += *c == '\n';
        return line;
}

static int load_text(const Fixture *fx, const char *text, Config **ret, ConfigErrors *ret_errors) {
        char path[PATH_MAX];

        write_file(fx, "dutyd.conf", text);
        path_in(fx, "dutyd.conf", path);
        return config_load(path, ret, ret_errors);
}

/* Asserts that one error names the file (by its trailing name), line, setting and a message part. */
static void assert_error(const ConfigErrors *e, const char *file, int line, const char *setting,
                         const char *message) {
        char *all;

        for (size_t i = 0; i < e->n; i++) {
                const ConfigError *x = &e->items[i];
                size_t lf = strlen(x->file), ln = strlen(file);

                if (lf < ln || !streq(x->file + lf - ln, file) || x->line != line)
                        continue;
                if (setting ? !x->setting || !streq(x->setting, setting) : x->setting != NULL)
                        continue;
                if (!strstr(x->message, message))
                        continue;
                return;
        }
        all = config_errors_format(e);
        print_error("expected %s:%d: %s: …%s…, got:\n%s", file, line, strna(setting), message, strna(all));
        free(all);
        fail();
}

/* Loads text that must fail and checks the one error the case is about. */
static void check_bad(void **state, const char *text, const char *marker, const char *setting, const char *message) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_null(c);
        assert_true(e.n >= 1);
        assert_error(&e, "/dutyd.conf", marker ? line_of(text, marker) : 0, setting, message);
        config_errors_done(&e);
        assert_null(e.items);
        assert_int_equal(e.n, 0);
}

static size_t count_role(const Config *c, Role r) {
        size_t n = 0;

        for (size_t i = 0; i < c->n_people; i++)
                n += person_has_role(&c->people[i], r);
        return n;
}

static Day day(const char *s) {
        Day d;

        assert_int_equal(day_parse(s, &d), 0);
        return d;
}

static const HolidayDay *holiday_day(const Config *c, Day d) {
        for (size_t i = 0; i < c->n_holiday_days; i++)
                if (c->holiday_days[i].day == d)
                        return &c->holiday_days[i];
        return NULL;
}

static void assert_calendar_consistent(const Config *c) {
        Calendar cal = config_calendar(c);

        assert_ptr_equal(cal.days, c->holiday_days);
        assert_int_equal(cal.n_days, c->n_holiday_days);
        assert_ptr_equal(cal.notices, c->notices);
        assert_int_equal(cal.n_notices, c->n_notices);
        assert_ptr_equal(cal.special, c->special_days);
        assert_int_equal(cal.n_special, c->n_special_days);
        assert_ptr_equal(cal.sensitive, c->sensitive);
        assert_int_equal(cal.n_sensitive, c->n_sensitive);
        for (size_t i = 1; i < c->n_holiday_days; i++)
                assert_true(c->holiday_days[i - 1].day < c->holiday_days[i].day);
        for (size_t i = 0; i < c->n_holiday_days; i++)
                if (!c->holiday_days[i].off)
                        assert_true(day_is_weekend(c->holiday_days[i].day));
}

static void check_sample_people(const Config *c) {
        const Person *p, *sec, *head;
        const Group *g;
        const Post *post;

        assert_string_equal(c->timezone, "Asia/Shanghai");
        assert_int_equal(c->handover_minutes, 8 * 60 + 30);
        assert_string_equal(c->language, "zh");
        assert_non_null(c->office);

        assert_int_equal(c->n_people, 20);
        assert_int_equal(count_role(c, ROLE_LEADER), 8);
        assert_int_equal(count_role(c, ROLE_OFFICER), 12);
        assert_true(count_role(c, ROLE_APPROVER) >= 2);
        assert_true(count_role(c, ROLE_ADMIN) >= 1);

        /* The integration tests log in with these uids. */
        p = config_find_person_by_uid(c, 1001);
        assert_non_null(p);
        assert_true(person_has_role(p, ROLE_OFFICER));
        assert_false(person_has_role(p, ROLE_LEADER));
        p = config_find_person_by_uid(c, 1002);
        assert_non_null(p);
        assert_true(person_has_role(p, ROLE_LEADER));
        assert_null(config_find_person_by_uid(c, 0));

        g = config_find_group(c, "principals");
        assert_non_null(g);
        assert_int_equal(g->n_members, 2);
        sec = &c->people[g->members[0]];
        head = &c->people[g->members[1]];
        assert_string_equal(sec->title, "县委书记");
        assert_true(strstr(head->title, "县长") != NULL);
        assert_ptr_equal(config_find_person_by_user(c, sec->user), sec);
        assert_ptr_equal(config_find_person(c, head->id), head);
        assert_null(config_find_person(c, "nobody"));

        /* Every person by id, through the sorted index and through a search of a Config put
         * together by hand (no index): the same answers. */
        {
                Config bare = { .people = c->people, .n_people = c->n_people };

                assert_non_null(c->people_by_id);
                assert_int_equal(c->n_people_by_id, c->n_people);
                for (size_t i = 0; i < c->n_people; i++) {
                        assert_int_equal(config_person_index(c, c->people[i].id), (ssize_t) i);
                        assert_int_equal(config_person_index(&bare, c->people[i].id), (ssize_t) i);
                }
                assert_int_equal(config_person_index(c, "nobody"), -1);
                assert_int_equal(config_person_index(&bare, "nobody"), -1);
                assert_int_equal(config_person_index(c, NULL), -1);
        }

        post = config_find_post(c, "leader_on_call");
        assert_non_null(post);
        assert_int_equal(post->role, ROLE_LEADER);
        post = config_find_post(c, "officer_on_duty");
        assert_non_null(post);
        assert_int_equal(post->role, ROLE_OFFICER);
        assert_int_equal(post->count[POST_DAY_WORKDAY], 1);
        assert_int_equal(post->count[POST_DAY_HOLIDAY], 2);
        assert_int_equal(post->count[POST_DAY_SENSITIVE], 2);

        assert_int_equal(c->n_special_days, 2);
        assert_int_equal(c->special_days[0].day, day("2026-02-16"));
        assert_int_equal(c->special_days[0].weight, 3);
        assert_int_equal(c->special_days[1].day, day("2026-02-17"));
        assert_int_equal(c->n_sensitive, 1);
        assert_int_equal(c->sensitive[0].leave, LEAVE_POLICY_ESCALATE);
        assert_true(c->sensitive[0].from <= c->sensitive[0].to);
}

static void test_sample(void **state) {
        ConfigErrors e = {};
        Config *c = NULL;
        char *s;
        int r;

        r = config_load(SAMPLE_CONFIG, &c, &e);
        s = config_errors_format(&e);
        if (r < 0)
                print_error("%s", strna(s));
        free(s);
        assert_int_equal(r, 0);
        assert_int_equal(e.n, 0);
        check_sample_people(c);
        assert_string_equal(c->holidays_dir, SRCDIR "/conf/holidays.d");
        assert_calendar_consistent(c);

        /* The notice data lives beside the sample; check what the 2026 notice says where present. */
        for (size_t i = 0; i < c->n_notices; i++) {
                const HolidayDay *h;

                assert_non_null(c->notices[i].source);
                if (c->notices[i].year != 2026)
                        continue;
                h = holiday_day(c, day("2026-01-01"));
                assert_non_null(h);
                assert_true(h->off);
                assert_string_equal(h->name, "元旦");
                h = holiday_day(c, day("2026-02-14"));
                assert_non_null(h);
                assert_false(h->off);
                assert_null(holiday_day(c, day("2026-03-03")));
        }
        config_free(c);
}

static void copy_file(const char *from, const Fixture *fx, const char *name) {
        char buf[65536];
        size_t n;
        FILE *f;

        f = fopen(from, "re");
        assert_non_null(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        assert_true(n > 0 && n < sizeof(buf) - 1);
        fclose(f);
        buf[n] = '\0';
        write_file(fx, name, buf);
}

/* The sample with a holidays directory of our own, so the notice handling is checked whatever data
 * the tree ships. */
static void test_sample_with_holidays(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char path[PATH_MAX];
        const HolidayDay *h;

        copy_file(SAMPLE_CONFIG, fx, "dutyd.conf");
        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf",
                   "year = 2026;\n"
                   "source = \"国办发明电〔2025〕7号\";\n"
                   "holidays = (\n"
                   "  { name = \"元旦\"; off = [ \"2026-01-01\", \"2026-01-02\", \"2026-01-03\" ]; work = [ \"2026-01-04\" ]; },\n"
                   "  { name = \"春节\"; off = [ \"2026-02-15\", \"2026-02-16\", \"2026-02-17\" ];\n"
                   "    work = [ \"2026-02-14\", \"2026-02-28\" ]; }\n"
                   ");\n");
        write_file(fx, "holidays.d/cn-2025.conf",
                   "year = 2025;\n"
                   "source = \"国办发明电〔2024〕12号\";\n"
                   "holidays = ( { name = \"元旦\"; off = [ \"2025-01-01\" ]; } );\n");
        /* Not a notice file: ignored. */
        write_file(fx, "holidays.d/README.md", "notes\n");

        path_in(fx, "dutyd.conf", path);
        assert_int_equal(config_load(path, &c, &e), 0);
        check_sample_people(c);
        assert_calendar_consistent(c);

        assert_int_equal(c->n_notices, 2);
        assert_int_equal(c->notices[0].year, 2025); /* file name order */
        assert_int_equal(c->notices[1].year, 2026);
        assert_string_equal(c->notices[1].source, "国办发明电〔2025〕7号");
        assert_true(strstr(c->notices[1].file, "/holidays.d/cn-2026.conf") != NULL);
        assert_int_equal(c->n_holiday_days, 1 + 4 + 5);
        assert_int_equal(c->holiday_days[0].day, day("2025-01-01"));
        h = holiday_day(c, day("2026-01-04"));
        assert_non_null(h);
        assert_false(h->off);
        assert_string_equal(h->name, "元旦");
        h = holiday_day(c, day("2026-02-16"));
        assert_non_null(h);
        assert_true(h->off);
        assert_string_equal(h->name, "春节");
        /* The notice's year and item index: the stable key of a holiday for the superior office. */
        assert_int_equal(h->notice_year, 2026);
        assert_int_equal(h->notice_item, 2);
        h = holiday_day(c, day("2026-01-04"));
        assert_int_equal(h->notice_year, 2026);
        assert_int_equal(h->notice_item, 1);
        config_free(c);
}

static void test_defaults(void **state) {
        Fixture *fx = *state;
        const char *text = PEOPLE_OK
                "posts = (\n"
                "  { id = \"p\"; name = \"值班员\"; role = \"officer\"; },\n"
                "  { id = \"q\"; name = \"q\"; role = \"officer\"; count = { workday = 2; }; },\n"
                "  { id = \"r\"; name = \"r\"; role = \"officer\"; count = { workday = 1; holiday = 3; }; },\n"
                "  { id = \"s\"; name = \"s\"; role = \"leader\"; count = { workday = 0; weekend = 1; }; }\n"
                ");\n"
                "special_days = ( { date = \"2026-02-17\"; name = \"初一\"; },\n"
                "                 { date = \"2026-02-16\"; name = \"除夕\"; weight = 5; } );\n"
                "sensitive_periods = ( { id = \"s1\"; name = \"会\"; from = \"2026-03-01\"; to = \"2026-03-01\"; } );\n"
                "local_holidays = ( { date = \"2026-07-26\"; name = \"县庆\"; } );\n";
        ConfigErrors e = {};
        Config *c = NULL;
        char expect[PATH_MAX];
        const Post *p;
        const Person *a;

        assert_int_equal(load_text(fx, text, &c, &e), 0);
        assert_int_equal(e.n, 0);
        assert_null(c->office);
        assert_string_equal(c->timezone, "Asia/Shanghai");
        assert_int_equal(c->handover_minutes, 510);
        assert_string_equal(c->language, "zh");
        assert_null(c->socket_path);
        assert_null(c->state_dir);
        assert_null(c->socket_group);
        path_in(fx, "holidays.d", expect);
        assert_string_equal(c->holidays_dir, expect); /* missing default directory: no notices */
        assert_int_equal(c->n_notices, 0);
        assert_int_equal(c->n_groups, 0);

        p = config_find_post(c, "p");
        assert_int_equal(p->count[POST_DAY_WORKDAY], 1);
        assert_int_equal(p->count[POST_DAY_WEEKEND], 1);
        assert_int_equal(p->count[POST_DAY_HOLIDAY], 1);
        assert_int_equal(p->count[POST_DAY_SENSITIVE], 1);
        p = config_find_post(c, "q");
        assert_int_equal(p->count[POST_DAY_WEEKEND], 2);
        assert_int_equal(p->count[POST_DAY_HOLIDAY], 2);
        assert_int_equal(p->count[POST_DAY_SENSITIVE], 2);
        p = config_find_post(c, "r");
        assert_int_equal(p->count[POST_DAY_WEEKEND], 1);
        assert_int_equal(p->count[POST_DAY_HOLIDAY], 3);
        assert_int_equal(p->count[POST_DAY_SENSITIVE], 3);
        p = config_find_post(c, "s");
        assert_int_equal(p->count[POST_DAY_WORKDAY], 0);
        assert_int_equal(p->count[POST_DAY_HOLIDAY], 1);
        assert_int_equal(p->count[POST_DAY_SENSITIVE], 1);

        /* Sorted by day, default weight 2. */
        assert_int_equal(c->n_special_days, 2);
        assert_int_equal(c->special_days[0].day, day("2026-02-16"));
        assert_int_equal(c->special_days[0].weight, 5);
        assert_int_equal(c->special_days[1].weight, 2);
        assert_string_equal(c->special_days[1].name, "初一");

        assert_int_equal(c->sensitive[0].extra_officers, 0);
        assert_int_equal(c->sensitive[0].leave, LEAVE_POLICY_ESCALATE);

        assert_int_equal(c->n_holiday_days, 1);
        assert_true(c->holiday_days[0].off);
        assert_string_equal(c->holiday_days[0].name, "县庆");

        a = config_find_person(c, "a");
        assert_non_null(a);
        assert_int_equal(a->active_from, DAY_NONE);
        assert_false(a->has_uid);
        assert_null(a->user);
        assert_true(person_is_active(a, day("1990-01-01")));
        assert_int_equal(a->roles, ROLE_BIT(ROLE_LEADER));
        assert_int_equal(a->line, 2);
        config_free(c);
}

static void test_settings(void **state) {
        Fixture *fx = *state;
        const char *text =
                "office = \"某某区人民政府办公室\";\n"
                "timezone = \"Asia/Urumqi\";\n"
                "handover = \"09:05\";\n"
                "socket_group = \"duty\";\n"
                "socket = \"/run/x/duty.sock\";\n"
                "state_dir = \"/var/lib/x\";\n"
                "language = \"en\";\n"
                "holidays_dir = \"cal\";\n"
                PEOPLE_OK POSTS_OK
                "groups = ( { id = \"both\"; members = [ \"b\", \"a\" ]; } );\n";
        ConfigErrors e = {};
        Config *c = NULL;
        const Group *g;

        make_dir(fx, "cal");
        assert_int_equal(load_text(fx, text, &c, &e), 0);
        assert_string_equal(c->office, "某某区人民政府办公室");
        assert_string_equal(c->timezone, "Asia/Urumqi");
        assert_int_equal(c->handover_minutes, 9 * 60 + 5);
        assert_string_equal(c->socket_group, "duty");
        assert_string_equal(c->socket_path, "/run/x/duty.sock");
        assert_string_equal(c->state_dir, "/var/lib/x");
        assert_string_equal(c->language, "en");
        assert_true(strstr(c->holidays_dir, "/cal") != NULL);
        g = config_find_group(c, "both");
        assert_non_null(g);
        assert_null(g->name);
        assert_int_equal(g->n_members, 2);
        assert_string_equal(c->people[g->members[0]].id, "b");
        assert_string_equal(c->people[g->members[1]].id, "a");
        assert_null(config_find_group(c, "none"));
        config_free(c);
}

/* The documents' settings: the duty room's phone, what the printed roster says, the feed's
 * organizer and reminder; all optional. */
/* The aggregator section: offices sorted and looked up by id, bad ids and duplicates at their line. */
static void test_aggregator(void **state) {
        Fixture *fx = *state;
        const char *text =
                PEOPLE_OK POSTS_OK
                "aggregator = {\n"
                "  journal_dir = \"/var/log/journal/remote\";\n"
                "  offices = ( { id = \"zy\"; name = \"中原区\"; phone = \"0371-1\"; }, { id = \"ey\"; } );\n"
                "};\n";
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), 0);
        assert_string_equal(c->aggregator.journal_dir, "/var/log/journal/remote");
        assert_int_equal(c->aggregator.n_offices, 2);
        assert_string_equal(c->aggregator.offices[0].id, "ey");
        assert_null(c->aggregator.offices[0].name);
        assert_string_equal(config_find_office(c, "zy")->name, "中原区");
        assert_string_equal(config_find_office(c, "zy")->phone, "0371-1");
        assert_null(config_find_office(c, "xx"));
        config_free(c);

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_null(c->aggregator.journal_dir);
        assert_null(config_find_office(c, "zy"));
        config_free(c);

        check_bad(state, PEOPLE_OK POSTS_OK "aggregator = { journal_dir = \"remote\"; offices = ( ); };\n",
                  "journal_dir", "aggregator.journal_dir", "must be absolute");
        check_bad(state, PEOPLE_OK POSTS_OK "aggregator = { journal_dir = \"/r\";\n  offices = ( { id = \"Zy\"; } ); };\n",
                  "Zy", "aggregator.offices.Zy.id", "invalid office id");
        check_bad(state, PEOPLE_OK POSTS_OK "aggregator = { journal_dir = \"/r\"; offices = ( { id = \"a\"; }, { id = \"a\"; } ); };\n",
                  "offices", "aggregator.offices", "listed twice");
        /* Without journal_dir: where dutyd-remote@.service writes. */
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "aggregator = { offices = ( { id = \"a\"; } ); };\n", &c, &e), 0);
        assert_string_equal(c->aggregator.journal_dir, "/var/log/journal/dutyd-remote");
        /* …and the enrolment seen where `systemctl enable` leaves the socket unit's link. */
        assert_string_equal(c->aggregator.enrolled_dir, "/etc/systemd/system/sockets.target.wants");
        config_free(c);
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "aggregator = { enrolled_dir = \"/srv/wants\"; offices = ( { id = \"a\"; } ); };\n",
                                   &c, &e), 0);
        assert_string_equal(c->aggregator.enrolled_dir, "/srv/wants");
        config_free(c);
        /* "": not checked. */
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "aggregator = { enrolled_dir = \"\"; offices = ( { id = \"a\"; } ); };\n",
                                   &c, &e), 0);
        assert_null(c->aggregator.enrolled_dir);
        config_free(c);
        check_bad(state, PEOPLE_OK POSTS_OK "aggregator = { enrolled_dir = \"wants\"; offices = ( ); };\n",
                  "enrolled_dir", "aggregator.enrolled_dir", "must be absolute");
}

/* A notice's reports: the key is the year and the item's place; the days are the item's. */
static void test_notice_reports(void **state) {
        Fixture *fx = *state;
        const char *notice =
                "year = 2026;\n"
                "source = \"国办发明电〔2025〕7号\";\n"
                "holidays = (\n"
                "  { name = \"元旦\"; off = [ \"2026-01-01\", \"2026-01-02\", \"2026-01-03\" ]; },\n"
                "  { name = \"国庆节\"; off = [ \"2026-10-03\", \"2026-10-01\", \"2026-10-02\" ]; }\n"
                ");\n";
        char text[4096];
        ConfigErrors e = {};
        Config *c = NULL;
        char path[PATH_MAX];

        copy_file(SAMPLE_CONFIG, fx, "dutyd.conf");
        make_dir(fx, "holidays.d");
        path_in(fx, "dutyd.conf", path);

        snprintf(text, sizeof(text), "%sreports = ( { holiday = \"国庆节\"; deadline = \"2026-09-28T17:00\"; },\n"
                 "  { holiday = \"元旦\"; deadline = \"2025-12-28\"; } );\n", notice);
        write_file(fx, "holidays.d/cn-2026.conf", text);
        assert_int_equal(config_load(path, &c, &e), 0);
        assert_int_equal(c->n_notices, 1);
        assert_int_equal(c->notices[0].n_reports, 2);
        assert_string_equal(c->notices[0].reports[0].key, "2026-2");
        assert_string_equal(c->notices[0].reports[0].holiday, "国庆节");
        assert_int_equal(c->notices[0].reports[0].from, day("2026-10-01"));
        assert_int_equal(c->notices[0].reports[0].to, day("2026-10-03"));
        assert_int_equal(c->notices[0].reports[0].deadline_day, day("2026-09-28"));
        assert_int_equal(c->notices[0].reports[0].deadline_minutes, 17 * 60);
        assert_string_equal(c->notices[0].reports[1].key, "2026-1");
        assert_int_equal(c->notices[0].reports[1].deadline_minutes, 24 * 60);
        config_free(c);
        c = NULL;

        snprintf(text, sizeof(text), "%sreports = ( { holiday = \"国庆\"; deadline = \"2026-09-28T17:00\"; } );\n", notice);
        write_file(fx, "holidays.d/cn-2026.conf", text);
        assert_int_equal(config_load(path, &c, &e), -EINVAL);
        assert_error(&e, "/holidays.d/cn-2026.conf", 7, "reports.国庆", "is not a holiday of this notice");
        config_errors_done(&e);

        snprintf(text, sizeof(text), "%sreports = ( { holiday = \"国庆节\"; deadline = \"2026-10-09T17:00\"; } );\n", notice);
        write_file(fx, "holidays.d/cn-2026.conf", text);
        assert_int_equal(config_load(path, &c, &e), -EINVAL);
        assert_error(&e, "/holidays.d/cn-2026.conf", 7, "reports.国庆节", "after the holiday's last day");
        config_errors_done(&e);

        snprintf(text, sizeof(text), "%sreports = ( { holiday = \"国庆节\"; deadline = \"9月28日\"; } );\n", notice);
        write_file(fx, "holidays.d/cn-2026.conf", text);
        assert_int_equal(config_load(path, &c, &e), -EINVAL);
        assert_error(&e, "/holidays.d/cn-2026.conf", 7, "reports.国庆节", "invalid deadline");
        config_errors_done(&e);
}

static void test_document_settings(void **state) {
        Fixture *fx = *state;
        const char *text =
                "office_phone = \"0791-88888110\";\n"
                "print = { requirements = \"1. 在岗在位。\\n2. 及时报告。\"; prepared_by = \"值班室\";\n"
                "          reviewed_by = \"主任\"; };\n"
                "ics = { organizer = \"zbs@example.gov.cn\"; reminder_minutes = 90; };\n"
                PEOPLE_OK POSTS_OK;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), 0);
        assert_string_equal(c->documents.office_phone, "0791-88888110");
        assert_string_equal(c->documents.requirements, "1. 在岗在位。\n2. 及时报告。");
        assert_string_equal(c->documents.prepared_by, "值班室");
        assert_string_equal(c->documents.reviewed_by, "主任");
        assert_string_equal(c->documents.ics_organizer, "zbs@example.gov.cn");
        assert_int_equal(c->documents.ics_reminder_minutes, 90);
        config_free(c);

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_null(c->documents.office_phone);
        assert_null(c->documents.requirements);
        assert_null(c->documents.ics_organizer);
        assert_int_equal(c->documents.ics_reminder_minutes, 0);
        config_free(c);

        check_bad(state, PEOPLE_OK POSTS_OK "print = { signed_by = \"x\"; };\n", "signed_by", "print.signed_by",
                  "unknown");
        check_bad(state, PEOPLE_OK POSTS_OK "ics = { organizer = \"值班室\"; };\n", "organizer", "ics.organizer",
                  "not an e-mail address");
        check_bad(state, PEOPLE_OK POSTS_OK "ics = { reminder_minutes = 20000; };\n", "reminder_minutes",
                  "ics.reminder_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "office_phone = \"\";\n", "office_phone", "office_phone", "must not be empty");
}

/* notify.soon_minutes: duty_soon's lead, default an hour, 0 turns it off, at most half a day. */
static void test_notify_soon(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_int_equal(c->notify.soon_minutes, 60);
        config_free(c);
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "notify = { soon_minutes = 0; };\n", &c, &e), 0);
        assert_int_equal(c->notify.soon_minutes, 0);
        config_free(c);
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "notify = { soon_minutes = 45; };\n", &c, &e), 0);
        assert_int_equal(c->notify.soon_minutes, 45);
        config_free(c);
        check_bad(state, PEOPLE_OK POSTS_OK "notify = { soon_minutes = 721; };\n", "soon_minutes",
                  "notify.soon_minutes", "out of range");
}

static void test_superior_settings(void **state) {
        Fixture *fx = *state;
        const char *text =
                "office_id = \"xx-county-2\";\n"
                "groups = ( { id = \"leaders\"; members = [ \"a\" ]; } );\n"
                "superior = { report_groups = [ \"leaders\" ]; holiday_rosters = false; };\n"
                PEOPLE_OK POSTS_OK;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), 0);
        assert_string_equal(c->office_id, "xx-county-2");
        assert_int_equal(c->superior.n_report_groups, 1);
        assert_string_equal(c->superior.report_groups[0], "leaders");
        assert_false(c->superior.holiday_rosters);
        assert_true(config_person_reportable(c, "a"));
        assert_false(config_person_reportable(c, "b"));
        assert_false(config_person_reportable(c, "nobody"));
        config_free(c);

        /* Without the keys: no id (no reports), holiday rosters on, nobody's leave reported. */
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_null(c->office_id);
        assert_true(c->superior.holiday_rosters);
        assert_int_equal(c->superior.n_report_groups, 0);
        assert_false(config_person_reportable(c, "a"));
        config_free(c);

        check_bad(state, PEOPLE_OK POSTS_OK "office_id = \"XX县\";\n", "office_id", "office_id", "is not valid");
        check_bad(state, PEOPLE_OK POSTS_OK "office_id = \"-xx\";\n", "office_id", "office_id", "is not valid");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "office_id = \"a234567890123456789012345678901234567890123456789012345678901234\";\n",
                  "office_id", "office_id", "is not valid");
        check_bad(state, PEOPLE_OK POSTS_OK "superior = {\n  report_groups = [ \"nope\" ]; };\n", "\"nope\"",
                  "superior.report_groups", "unknown group \"nope\"");
        check_bad(state, PEOPLE_OK POSTS_OK "superior = {\n  deadline = 3; };\n", "deadline", "superior.deadline",
                  "unknown");
        check_bad(state, PEOPLE_OK POSTS_OK "superior = {\n  holiday_rosters = 1; };\n", "holiday_rosters",
                  "superior.holiday_rosters", "true or false");

        assert_true(office_id_is_valid("a"));
        assert_true(office_id_is_valid("xx-yy-01"));
        assert_false(office_id_is_valid(""));
        assert_false(office_id_is_valid("xx-"));
        assert_false(office_id_is_valid("xx_yy"));
        assert_false(office_id_is_valid(NULL));
}

static void test_err_unknown_group_member(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK
                  "groups = ( { id = \"g\";\n"
                  "  members = [ \"a\",\n"
                  "              \"zz\" ]; } );\n",
                  "\"zz\"", "groups.g.members", "unknown person \"zz\"");
}

static void test_err_duplicate_person(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\"; name = \"甲\"; },\n"
                  "  { id = \"a\"; name = \"乙\"; } # HERE\n"
                  ");\n" POSTS_OK,
                  "# HERE", "people.a.id", "duplicate person id \"a\" (first defined on line 2)");
}

static void test_err_duplicate_uid(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\"; name = \"甲\"; uid = 1001; },\n"
                  "  { id = \"b\"; name = \"乙\"; uid = 1001; } # HERE\n"
                  ");\n" POSTS_OK,
                  "# HERE", "people.b.uid", "uid 1001 is also given to person \"a\"");
}

static void test_err_duplicate_user(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\"; name = \"甲\"; user = \"wangjg\"; },\n"
                  "  { id = \"b\"; name = \"乙\"; user = \"wangjg\"; } # HERE\n"
                  ");\n" POSTS_OK,
                  "# HERE", "people.b.user", "user \"wangjg\" is also given to person \"a\"");
}

static void test_err_bad_time(void **state) {
        check_bad(state, "\n" PEOPLE_OK "handover = \"25:00\";\n" POSTS_OK, "handover", "handover",
                  "invalid time \"25:00\"");
}

static void test_err_bad_date(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\"; name = \"甲\";\n"
                  "    active_from = \"2026-02-30\"; }\n"
                  ");\n" POSTS_OK,
                  "active_from", "people.a.active_from", "invalid date \"2026-02-30\"");
}

static void test_err_unknown_role(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\"; name = \"甲\"; roles = [ \"leader\",\n"
                  "    \"boss\" ]; }\n"
                  ");\n" POSTS_OK,
                  "\"boss\"", "people.a.roles", "unknown role \"boss\"");
}

static void test_err_missing_person_fields(void **state) {
        const char *text =
                "people = (\n"
                "  { id = \"a\"; name = \"甲\"; },\n"
                "  { name = \"乙\"; }, # NOID\n"
                "  { id = \"c\"; } # NONAME\n"
                ");\n" POSTS_OK;
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 2);
        assert_error(&e, "/dutyd.conf", line_of(text, "# NOID"), "people.[1].id", "required setting is missing");
        assert_error(&e, "/dutyd.conf", line_of(text, "# NONAME"), "people.c.name", "required setting is missing");
        config_errors_done(&e);
}

static void test_err_missing_post_fields(void **state) {
        const char *text = PEOPLE_OK
                "posts = (\n"
                "  { name = \"值班员\"; role = \"officer\"; }, # NOID\n"
                "  { id = \"q\"; role = \"officer\"; }, # NONAME\n"
                "  { id = \"r\"; name = \"r\"; } # NOROLE\n"
                ");\n";
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 3);
        assert_error(&e, "/dutyd.conf", line_of(text, "# NOID"), "posts.[0].id", "required setting is missing");
        assert_error(&e, "/dutyd.conf", line_of(text, "# NONAME"), "posts.q.name", "required setting is missing");
        assert_error(&e, "/dutyd.conf", line_of(text, "# NOROLE"), "posts.r.role", "required setting is missing");
        config_errors_done(&e);
}

static void test_err_wrong_type(void **state) {
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\";\n"
                  "    name = 5; }\n"
                  ");\n" POSTS_OK,
                  "name = 5", "people.a.name", "expected a string, got an integer");
        check_bad(state, PEOPLE_OK "posts = \"p\";\n", "posts = ", "posts", "expected a list");
        check_bad(state, PEOPLE_OK POSTS_OK "groups = ( \"g\" );\n", "groups", "groups.[0]", "expected a group");
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"x\"; role = \"officer\"; count = 2; } );\n",
                  "count", "posts.p.count", "expected a group");
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"x\"; role = \"officer\";\n"
                  "  count = { holiday = -1; }; } );\n",
                  "holiday = -1", "posts.p.count.holiday", "out of range");
        check_bad(state, "people = ( { id = \"a\"; name = \"甲\"; roles = [ 1 ]; } );\n" POSTS_OK,
                  "roles", "people.a.roles", "expected a string element");
        check_bad(state, "people = ( { id = \"a\"; name = \"\"; } );\n" POSTS_OK,
                  "name", "people.a.name", "must not be empty");
}

static void test_err_unknown_settings(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK "holidys_dir = \"x\";\n", "holidys_dir", "holidys_dir",
                  "unknown setting (did you mean \"holidays_dir\"?)");
        check_bad(state, PEOPLE_OK POSTS_OK "colour = \"x\";\n", "colour", "colour", "unknown setting");
        check_bad(state,
                  "people = (\n"
                  "  { id = \"a\";\n"
                  "    name = \"甲\"; nmae = \"乙\"; }\n"
                  ");\n" POSTS_OK,
                  "nmae", "people.a.nmae", "did you mean \"name\"");
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"x\"; role = \"officer\";\n"
                  "  count = { weekday = 1; }; } );\n",
                  "weekday", "posts.p.count.weekday", "did you mean \"workday\"");
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"x\"; role = \"officer\";\n"
                  "  counts = { workday = 1; }; } );\n",
                  "counts", "posts.p.counts", "unknown setting");
}

static void test_err_post_role(void **state) {
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"x\";\n  role = \"driver\"; } );\n",
                  "driver", "posts.p.role", "unknown role \"driver\"");
}

static void test_err_timezone(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK "timezone = \"Asia/Nowhere\";\n", "timezone", "timezone",
                  "unknown time zone \"Asia/Nowhere\"");
        check_bad(state, PEOPLE_OK POSTS_OK "timezone = \"../../etc/passwd\";\n", "timezone", "timezone",
                  "unknown time zone");
        check_bad(state, PEOPLE_OK POSTS_OK "timezone = \"Asia\";\n", "timezone", "timezone",
                  "unknown time zone");
}

static void test_err_ids(void **state) {
        check_bad(state, "people = ( { id = \"WangJG\"; name = \"王建国\"; } );\n" POSTS_OK, "WangJG",
                  "people.WangJG.id", "invalid id \"WangJG\"");
        check_bad(state, "people = ( { id = \"wang jg\"; name = \"王建国\"; } );\n" POSTS_OK, "wang jg",
                  "people.[0].id", "invalid id");
        check_bad(state, PEOPLE_OK "posts = ( { id = \"p/1\"; name = \"x\"; role = \"officer\"; } );\n", "p/1",
                  "posts.p/1.id", "invalid id");
        check_bad(state, "people = ( { id = \"a\"; name = \"甲\"; user = \"a b\"; } );\n" POSTS_OK, "user",
                  "people.a.user", "invalid user name");
        check_bad(state, "people = ( { id = \"a\"; name = \"甲\"; uid = -1; } );\n" POSTS_OK, "uid",
                  "people.a.uid", "out of range");
}

static void test_err_active_range(void **state) {
        check_bad(state,
                  "people = ( { id = \"a\"; name = \"甲\"; active_from = \"2026-05-01\";\n"
                  "  active_until = \"2026-04-30\"; } );\n" POSTS_OK,
                  "active_until", "people.a.active_until", "before active_from");
}

static void test_err_other_settings(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK "language = \"fr\";\n", "language", "language", "unknown language");
        check_bad(state, PEOPLE_OK POSTS_OK "socket = \"duty.sock\";\n", "socket", "socket", "must be absolute");
        check_bad(state, PEOPLE_OK POSTS_OK "state_dir = \"var\";\n", "state_dir", "state_dir", "must be absolute");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "sensitive_periods = ( { id = \"s\"; name = \"会\"; from = \"2026-03-02\";\n"
                  "  to = \"2026-03-01\"; } );\n",
                  "to = ", "sensitive_periods.s.to", "ends before it starts");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "sensitive_periods = ( { id = \"s\"; name = \"会\"; from = \"2026-03-01\"; to = \"2026-03-02\";\n"
                  "  leave = \"forbid\"; } );\n",
                  "forbid", "sensitive_periods.s.leave", "unknown leave policy \"forbid\"");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "special_days = ( { date = \"2026-02-16\"; name = \"除夕\"; weight = 0; } );\n",
                  "weight", "special_days.2026-02-16.weight", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "local_holidays = ( { date = \"2026-7-26\"; name = \"县庆\"; } );\n",
                  "2026-7-26", "local_holidays.2026-7-26.date", "invalid date");
        check_bad(state, PEOPLE_OK POSTS_OK "groups = ( { id = \"g\"; members = [ \"a\", \"a\" ]; } );\n",
                  "members", "groups.g.members", "listed twice");
        check_bad(state, POSTS_OK, NULL, "people", "required setting is missing");
}

static void test_err_syntax(void **state) {
        const char *text = PEOPLE_OK "posts = ( { id = \"p\";\n  name = ; } );\n";
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 1);
        assert_error(&e, "/dutyd.conf", line_of(text, "  name = "), NULL, "syntax error");
        config_errors_done(&e);
}

static void test_err_missing_file(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char path[PATH_MAX];

        path_in(fx, "nonexistent.conf", path);
        assert_int_equal(config_load(path, &c, &e), -ENOENT);
        assert_null(c);
        assert_int_equal(e.n, 1);
        assert_string_equal(e.items[0].file, path);
        assert_int_equal(e.items[0].line, 0);
        config_errors_done(&e);

        /* Without an error list the result is the same. */
        assert_int_equal(config_load(path, &c, NULL), -ENOENT);
        assert_null(c);
}

static void test_err_holidays_dir_missing(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK "holidays_dir = \"no-such-dir\";\n", "holidays_dir", "holidays_dir",
                  "cannot open holidays directory");
}

/* All problems are reported, not only the first. */
static void test_errors_collected(void **state) {
        const char *text =
                "handover = \"8:30\";\n"
                "people = (\n"
                "  { id = \"a\"; name = \"甲\"; roles = [ \"leader\", \"lead\" ]; }\n"
                ");\n"
                "posts = ( { id = \"p\"; name = 7; role = \"officer\"; } );\n";
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char *s, expect[PATH_MAX + 256];

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 3);
        assert_error(&e, "/dutyd.conf", 1, "handover", "invalid time");
        assert_error(&e, "/dutyd.conf", 3, "people.a.roles", "unknown role \"lead\"");
        assert_error(&e, "/dutyd.conf", 5, "posts.p.name", "expected a string");

        s = config_errors_format(&e);
        assert_non_null(s);
        snprintf(expect, sizeof(expect), "%s/dutyd.conf:1: handover: invalid time \"8:30\"", fx->dir);
        assert_true(strneq(s, expect, strlen(expect)));
        assert_int_equal(s[strlen(s) - 1], '\n');
        {
                size_t lines = 0;

                for (const char *p = s; *p; p++)
                        lines += *p == '\n';
                assert_int_equal(lines, 3);
        }
        free(s);
        config_errors_done(&e);
}

/* A value with a line break is quoted in the message without breaking the one-error-per-line report. */
static void test_errors_one_per_line(void **state) {
        const char *text = PEOPLE_OK POSTS_OK
                "local_holidays = ( { date = \"2026-01\\n-01\"; name = \"x\"; } );\n";
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char *s;

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 1);
        assert_null(strchr(e.items[0].message, '\n'));
        assert_error(&e, "/dutyd.conf", line_of(text, "local_holidays"), "local_holidays.[0].date",
                     "invalid date \"2026-01 -01\"");
        s = config_errors_format(&e);
        assert_non_null(s);
        assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
        free(s);
        config_errors_done(&e);
}

/* A garbage file must not produce an unbounded report. */
static void test_errors_capped(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char *text = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&text, &size);
        assert_non_null(f);
        fputs(PEOPLE_OK POSTS_OK, f);
        for (int i = 0; i < 5000; i++)
                fprintf(f, "unknown%d = %d;\n", i, i);
        assert_int_equal(fclose(f), 0);

        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_true(e.n > 10 && e.n < 5000);
        assert_error(&e, "/dutyd.conf", 6, "unknown0", "unknown setting");
        assert_non_null(strstr(e.items[e.n - 1].message, "too many errors"));
        config_errors_done(&e);
        free(text);
}

static void test_include(void **state) {
        Fixture *fx = *state;
        const char *people =
                "people = (\n"
                "  { id = \"a\"; name = \"甲\"; roles = [ \"officer\" ]; },\n"
                "  { id = \"b\"; name = \"乙\"; roles = [ \"chief\" ]; }\n"
                ");\n";
        ConfigErrors e = {};
        Config *c = NULL;

        write_file(fx, "people.conf", people);
        assert_int_equal(load_text(fx, "@include \"people.conf\"\n" POSTS_OK, &c, &e), -EINVAL);
        assert_int_equal(e.n, 1);
        assert_error(&e, "/people.conf", 3, "people.b.roles", "unknown role \"chief\"");
        config_errors_done(&e);

        write_file(fx, "people.conf", "people = (\n  { id = \"a\"; name = ; }\n);\n");
        assert_int_equal(load_text(fx, "@include \"people.conf\"\n" POSTS_OK, &c, &e), -EINVAL);
        assert_int_equal(e.n, 1);
        assert_error(&e, "/people.conf", 2, NULL, "syntax error");
        config_errors_done(&e);

        write_file(fx, "people.conf", PEOPLE_OK);
        assert_int_equal(load_text(fx, "@include \"people.conf\"\n" POSTS_OK, &c, &e), 0);
        assert_int_equal(c->n_people, 2);
        config_free(c);
}

#define NOTICE_HEAD "year = 2026;\nsource = \"国办发明电〔2025〕7号\";\n"

static void check_bad_notice(void **state, const char *notice, const char *marker, const char *setting,
                             const char *message) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf", notice);
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), -EINVAL);
        assert_null(c);
        assert_error(&e, "/holidays.d/cn-2026.conf", marker ? line_of(notice, marker) : 0, setting, message);
        config_errors_done(&e);
}

static void test_notice_errors(void **state) {
        check_bad_notice(state, NOTICE_HEAD
                         "holidays = ( { name = \"元旦\";\n"
                         "  off = [ \"2026-01-01\", \"2026-01-32\" ]; } );\n",
                         "2026-01-32", "holidays.元旦.off", "invalid date \"2026-01-32\"");
}

static void test_notice_work_not_weekend(void **state) {
        /* 2026-01-05 is a Monday. */
        check_bad_notice(state, NOTICE_HEAD
                         "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\" ];\n"
                         "  work = [ \"2026-01-05\" ]; } );\n",
                         "2026-01-05", "holidays.元旦.work", "not a Saturday or Sunday");
}

static void test_notice_off_twice(void **state) {
        check_bad_notice(state, NOTICE_HEAD
                         "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\",\n"
                         "  \"2026-01-02\", \"2026-01-01\" ]; } );\n",
                         "\"2026-01-02\"", "holidays.元旦.off", "2026-01-01 is listed twice (also at ");
}

static void test_notice_out_of_range(void **state) {
        check_bad_notice(state, NOTICE_HEAD
                         "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\",\n"
                         "  \"2024-12-31\" ]; } );\n",
                         "2024-12-31", "holidays.元旦.off", "outside the notice's years 2025…2026");
}

static void test_notice_fields(void **state) {
        check_bad_notice(state, "year = 2026;\nholidays = ( );\n", NULL, "source", "required setting is missing");
        check_bad_notice(state, NOTICE_HEAD "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\" ];\n"
                         "  of = [ ]; } );\n",
                         "of =", "holidays.元旦.of", "unknown setting");
        check_bad_notice(state, NOTICE_HEAD "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\" ] } );\n"
                         "url = \"x\";\n",
                         "url", "url", "unknown setting");
}

static void test_notice_previous_year_ok(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf", NOTICE_HEAD
                   "holidays = ( { name = \"元旦\"; off = [ \"2025-12-31\", \"2026-01-01\" ]; work = [ ]; } );\n");
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_int_equal(c->n_holiday_days, 2);
        assert_int_equal(c->holiday_days[0].day, day("2025-12-31"));
        config_free(c);
}

static void test_notice_same_year(void **state) {
        Fixture *fx = *state;
        const char *second = "# a copy\n" NOTICE_HEAD "holidays = ( { name = \"国庆节\"; off = [ \"2026-10-01\" ]; } );\n";
        ConfigErrors e = {};
        Config *c = NULL;
        char first[PATH_MAX], msg[PATH_MAX + 64];

        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf", NOTICE_HEAD "holidays = ( { name = \"元旦\"; off = [ \"2026-01-01\" ]; } );\n");
        write_file(fx, "holidays.d/cn-2026-copy.conf", second);
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), -EINVAL);
        path_in(fx, "holidays.d/cn-2026-copy.conf", first);
        snprintf(msg, sizeof(msg), "year 2026 is also given by %s", first);
        /* "cn-2026-copy.conf" sorts before "cn-2026.conf", so the latter is reported. */
        assert_int_equal(e.n, 1);
        assert_error(&e, "/holidays.d/cn-2026.conf", 1, "year", msg);
        config_errors_done(&e);
}

static void test_notice_day_in_two_files(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2025.conf",
                   "year = 2025;\nsource = \"x\";\nholidays = ( { name = \"元旦\"; off = [ \"2025-01-01\" ]; } );\n");
        write_file(fx, "holidays.d/cn-2026.conf", NOTICE_HEAD
                   "holidays = ( { name = \"元旦\";\n  off = [ \"2025-01-01\" ]; } );\n");
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), -EINVAL);
        assert_int_equal(e.n, 1);
        assert_error(&e, "/holidays.d/cn-2026.conf", 4, "holidays.元旦.off", "cn-2025.conf:3");
        config_errors_done(&e);
}

static void test_local_holiday_conflict(void **state) {
        Fixture *fx = *state;
        const char *text = PEOPLE_OK POSTS_OK
                "local_holidays = (\n"
                "  { date = \"2026-07-26\"; name = \"县庆\"; },\n"
                "  { date = \"2026-01-01\"; name = \"本地\"; }, # CONFLICT\n"
                "  { date = \"2026-07-26\"; name = \"again\"; } # TWICE\n"
                ");\n";
        ConfigErrors e = {};
        Config *c = NULL;
        char notice[PATH_MAX], msg[PATH_MAX + 128];

        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf", NOTICE_HEAD
                   "holidays = ( { name = \"元旦\";\n  off = [ \"2026-01-01\" ]; } );\n");
        assert_int_equal(load_text(fx, text, &c, &e), -EINVAL);
        assert_int_equal(e.n, 2);
        path_in(fx, "holidays.d/cn-2026.conf", notice);
        snprintf(msg, sizeof(msg), "local holiday 2026-01-01 conflicts with the holiday notice at %s:4 (元旦)", notice);
        assert_error(&e, "/dutyd.conf", line_of(text, "# CONFLICT"), "local_holidays.2026-01-01", msg);
        assert_error(&e, "/dutyd.conf", line_of(text, "# TWICE"), "local_holidays.2026-07-26", "listed twice");
        config_errors_done(&e);
}

/* ---- Configuration traps ---- */

/* The county office as people write it: leaders → 县长, 县长 → 书记. */
#define CHAIN_PEOPLE                                                                             \
        "people = (\n"                                                                           \
        "  { id = \"shuji\"; name = \"书记\"; roles = [ \"leader\", \"approver\" ]; },\n"        \
        "  { id = \"xianzhang\"; name = \"县长\"; roles = [ \"leader\", \"approver\" ]; },\n"    \
        "  { id = \"fu\"; name = \"副县长\"; roles = [ \"leader\" ]; },\n"                       \
        "  { id = \"b\"; name = \"乙\"; roles = [ \"officer\" ]; }\n"                            \
        ");\n"

static const char *approver_of(const Config *c, const char *id) {
        const ApproverRule *a = rules_approver_rule_for(c, &c->leave, id);

        return a ? a->approver : NULL;
}

/* Loads text that must load and returns it; no error, whatever the warnings. */
static Config *load_ok(void **state, const char *text) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        int r;

        r = load_text(fx, text, &c, &e);
        if (r < 0) {
                char *all = config_errors_format(&e);

                print_error("expected the file to load, got:\n%s", strna(all));
                free(all);
                fail();
        }
        assert_non_null(c);
        return c;
}

static void test_chain_natural(void **state) {
        Config *c;

        /* Refused as a loop before: the role rule made 书记's approver 县长. */
        c = load_ok(state, CHAIN_PEOPLE POSTS_OK
                    "leave = { approvers = (\n"
                    "  { who = \"leader\"; approver = \"xianzhang\"; },\n"
                    "  { who = \"xianzhang\"; approver = \"shuji\"; } ); };\n");
        assert_string_equal(approver_of(c, "fu"), "xianzhang");
        assert_string_equal(approver_of(c, "xianzhang"), "shuji");
        assert_null(approver_of(c, "shuji"));
        assert_null(approver_of(c, "b"));
        config_free(c);
}

static void test_chain_reports_to(void **state) {
        const ApproverRule *a;
        Config *c;

        c = load_ok(state, CHAIN_PEOPLE POSTS_OK
                    "leave = { approvers = (\n"
                    "  { who = \"leader\"; approver = \"xianzhang\"; },\n"
                    "  { who = \"xianzhang\"; approver = \"shuji\"; },\n"
                    "  { who = \"shuji\"; reports_to = \"市委\"; } ); };\n");
        a = rules_approver_rule_for(c, &c->leave, "shuji");
        assert_non_null(a);
        assert_null(a->approver);
        assert_string_equal(a->reports_to, "市委");
        assert_string_equal(approver_of(c, "fu"), "xianzhang");
        assert_string_equal(approver_of(c, "xianzhang"), "shuji");
        config_free(c);

        /* A group rule may end the chain for its members too. */
        c = load_ok(state, CHAIN_PEOPLE POSTS_OK
                    "groups = ( { id = \"principals\"; members = [ \"shuji\", \"xianzhang\" ]; } );\n"
                    "leave = { approvers = (\n"
                    "  { who = \"leader\"; approver = \"xianzhang\"; },\n"
                    "  { who = \"principals\"; reports_to = \"市委\"; } ); };\n");
        assert_null(approver_of(c, "xianzhang"));
        assert_null(approver_of(c, "shuji"));
        assert_string_equal(approver_of(c, "fu"), "xianzhang");
        config_free(c);
}

static void test_err_chain(void **state) {
        const char *loop = CHAIN_PEOPLE POSTS_OK
                "leave = {\n"
                "  approvers = (\n"
                "    { who = \"fu\"; approver = \"xianzhang\"; },\n"
                "    { who = \"xianzhang\"; approver = \"shuji\"; },\n"
                "    { who = \"shuji\"; approver = \"xianzhang\"; }\n"
                "  );\n"
                "};\n";

        /* Reported once, at the rule that sends the chain back, not at "leave = {". */
        check_bad(state, loop, "{ who = \"shuji\"", "leave.approvers.[2]",
                  "the approval chain loops: 县长 (xianzhang) → 书记 (shuji) → xianzhang again, sent back by this "
                  "rule; end the chain at the top with { who = \"…\"; reports_to = \"…\"; } naming where his "
                  "leave is reported (e.g. \"市委\")");
        {
                Fixture *fx = *state;
                ConfigErrors e = {};
                Config *c = NULL;

                assert_int_equal(load_text(fx, loop, &c, &e), -EINVAL);
                assert_int_equal(e.n, 1);
                config_errors_done(&e);
        }

        /* Silently skipped before. */
        check_bad(state, CHAIN_PEOPLE POSTS_OK
                  "leave = { approvers = (\n"
                  "  { who = \"leader\"; approver = \"xianzhang\"; },\n"
                  "  { who = \"shuji\";\n"
                  "    approver = \"shuji\"; } ); };\n",
                  "approver = \"shuji\"", "leave.approvers.[1].approver",
                  "\"shuji\" cannot approve his own leave; if nobody in the office does, end the chain with "
                  "{ who = \"shuji\"; reports_to = \"…\"; } naming where it is reported (e.g. \"市委\")");
        check_bad(state, CHAIN_PEOPLE POSTS_OK
                  "leave = { approvers = (\n"
                  "  { who = \"shuji\"; reports_to = \"市委\";\n"
                  "    approver = \"xianzhang\"; } ); };\n",
                  "approver = \"xianzhang\"", "leave.approvers.[0].approver",
                  "give either approver (who approves, in the office) or reports_to (the chain ends: the leave "
                  "is reported outside the office), not both");
        check_bad(state, CHAIN_PEOPLE POSTS_OK
                  "leave = { approvers = (\n"
                  "  { who = \"shuji\"; } ); };\n",
                  "{ who = \"shuji\"", "leave.approvers.[0].approver",
                  "required setting is missing: give approver = \"<person id>\", or end the chain with "
                  "reports_to = \"…\" naming where the leave is reported (e.g. \"市委\")");
        check_bad(state, CHAIN_PEOPLE POSTS_OK
                  "leave = { approvers = (\n"
                  "  { who = \"shuji\"; reports_to = \"市委\";\n"
                  "    stand_in = \"fu\"; } ); };\n",
                  "stand_in", "leave.approvers.[0].stand_in",
                  "a rule with reports_to has no approver to stand in for; remove stand_in");
}

static void test_full_width(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;
        char *text;
        const char *file = PEOPLE_OK POSTS_OK
                "# 注释里的；和“引号”不算\n"
                "office = “某某县委办公室”；\n"
                "handover = \"08：30\"；\n"
                "roster = （ min_rest_days ＝ 1, ）;\n";

        assert_int_equal(load_text(fx, file, &c, &e), -EINVAL);
        assert_null(c);
        assert_error(&e, "/dutyd.conf", line_of(file, "office = “"), NULL,
                     "full-width “ typed with a Chinese input method: use \" instead");
        assert_error(&e, "/dutyd.conf", line_of(file, "office = “"), NULL,
                     "full-width ” typed with a Chinese input method: use \" instead");
        assert_error(&e, "/dutyd.conf", line_of(file, "office = “"), NULL,
                     "full-width ； typed with a Chinese input method: use ; instead");
        /* Inside a string it is text: only the ； after it counts. */
        assert_error(&e, "/dutyd.conf", line_of(file, "handover ="), NULL,
                     "full-width ； typed with a Chinese input method: use ; instead");
        assert_error(&e, "/dutyd.conf", line_of(file, "roster = （"), NULL,
                     "full-width （ typed with a Chinese input method: use ( instead");
        assert_error(&e, "/dutyd.conf", line_of(file, "roster = （"), NULL,
                     "full-width ＝ typed with a Chinese input method: use = instead");
        assert_error(&e, "/dutyd.conf", line_of(file, "roster = （"), NULL,
                     "full-width ） typed with a Chinese input method: use ) instead");
        assert_int_equal(e.n, 7);
        text = config_errors_format(&e);
        assert_non_null(strstr(text, "/dutyd.conf:8: full-width ； typed with a Chinese input method: use ; instead\n"));
        assert_null(strstr(text, "syntax error"));
        free(text);
        config_errors_done(&e);

        /* A syntax error of another kind keeps libconfig's words. */
        check_bad(state, PEOPLE_OK POSTS_OK "office = \"x\"\nlanguage = ;\n", "language", NULL, "syntax error");

        /* The same in a holiday notice. */
        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf", "year = 2026；\n");
        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), -EINVAL);
        assert_error(&e, "/holidays.d/cn-2026.conf", 1, NULL,
                     "full-width ； typed with a Chinese input method: use ; instead");
        config_errors_done(&e);
}

static void test_post_group(void **state) {
        const Post *post;
        Config *c;

        c = load_ok(state,
                    "people = (\n"
                    "  { id = \"a\"; name = \"甲\"; roles = [ \"officer\" ]; },\n"
                    "  { id = \"b\"; name = \"乙\"; roles = [ \"officer\" ]; },\n"
                    "  { id = \"l\"; name = \"丙\"; roles = [ \"leader\" ]; }\n"
                    ");\n"
                    "groups = ( { id = \"chiefs\"; name = \"科长\"; members = [ \"a\", \"l\" ]; } );\n"
                    "posts = (\n"
                    "  { id = \"chief\"; name = \"值班科长\"; role = \"officer\"; group = \"chiefs\"; },\n"
                    "  { id = \"p\"; name = \"值班员\"; role = \"officer\"; }\n"
                    ");\n");
        post = config_find_post(c, "chief");
        assert_non_null(post);
        assert_string_equal(post->group, "chiefs");
        assert_true(config_person_may_hold(c, post, config_find_person(c, "a")));
        assert_false(config_person_may_hold(c, post, config_find_person(c, "b")));  /* not a chief */
        assert_false(config_person_may_hold(c, post, config_find_person(c, "l")));  /* not an officer */
        post = config_find_post(c, "p");
        assert_null(post->group);
        assert_true(config_person_may_hold(c, post, config_find_person(c, "b")));
        assert_false(config_person_may_hold(c, post, config_find_person(c, "l")));
        assert_false(config_person_may_hold(c, post, NULL));
        config_free(c);

        check_bad(state, PEOPLE_OK "posts = ( { id = \"p\"; name = \"值班科长\"; role = \"officer\";\n"
                  "  group = \"chiefs\"; } );\n",
                  "group = ", "posts.p.group", "unknown group \"chiefs\" (a post names a group of groups = ( … ))");
}

static void test_group_shadows_role(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK
                  "groups = (\n"
                  "  { id = \"leader\"; members = [ \"a\" ]; }\n"
                  ");\n",
                  "{ id = \"leader\"", "groups.leader.id",
                  "group id \"leader\" is the name of a role; give the group another id, e.g. \"leader_group\"");
        check_bad(state, PEOPLE_OK POSTS_OK "groups = ( { id = \"admin\"; members = [ \"a\" ]; } );\n",
                  "groups", "groups.admin.id", "group id \"admin\" is the name of a role");
}

static void test_warn_no_roles(void **state) {
        const char *text =
                "people = (\n"
                "  { id = \"a\"; name = \"甲\"; roles = [ \"leader\" ]; },\n"
                "  { id = \"b\"; name = \"乙\"; roles = [ \"officer\" ]; },\n"
                "  { id = \"c\"; name = \"丙\";\n"
                "    roles = [ ]; },\n"
                "  { id = \"d\"; name = \"丁\"; }\n"
                ");\n" POSTS_OK;
        ConfigErrors w = {};
        Config *c;
        char *out;

        c = load_ok(state, text);
        assert_int_equal(c->warnings.n, 2);
        assert_error(&c->warnings, "/dutyd.conf", line_of(text, "roles = [ ]"), "people.c.roles",
                     "\"c\" has no role, so is never put on duty and approves nothing; give roles = "
                     "[ \"officer\" ] (or leader, approver, admin) unless that is meant");
        assert_error(&c->warnings, "/dutyd.conf", line_of(text, "{ id = \"d\""), "people.d.roles",
                     "\"d\" has no role");
        assert_true(c->warnings.items[0].warning);

        assert_int_equal(config_warnings(c, DAY_NONE, &w), 0);
        assert_int_equal(w.n, 2);
        out = config_errors_format(&w);
        assert_non_null(strstr(out, "/dutyd.conf:5: warning: people.c.roles: \"c\" has no role, so is never put "
                                    "on duty and approves nothing; give roles = [ \"officer\" ] (or leader, "
                                    "approver, admin) unless that is meant\n"));
        free(out);
        config_errors_done(&w);
        config_free(c);
}

static void test_holidays_default_and_years(void **state) {
        Fixture *fx = *state;
        ConfigErrors w = {};
        char expect[PATH_MAX];
        Config *c;
        Day today;

        /* The default is where the package puts the notices: holidays.d beside the file. */
        make_dir(fx, "holidays.d");
        write_file(fx, "holidays.d/cn-2026.conf",
                   "year = 2026;\nsource = \"国办发明电〔2025〕7号\";\n"
                   "holidays = ( { name = \"国庆节\"; off = [ \"2026-10-01\" ]; } );\n");
        c = load_ok(state, PEOPLE_OK POSTS_OK);
        path_in(fx, "holidays.d", expect);
        assert_string_equal(c->holidays_dir, expect);
        assert_int_equal(c->n_notices, 1);

        /* December 2026: 2026 is known, 2027 is not yet. */
        assert_int_equal(day_parse("2026-12-06", &today), 0);
        assert_int_equal(config_warnings(c, today, &w), 0);
        assert_int_equal(w.n, 1);
        assert_error(&w, "/holidays.d", 0, NULL,
                     "no holiday notice for 2027: its days are unknown and cannot be planned; when the State "
                     "Council publishes it, add it here as cn-2027.conf (format: see dutyd.conf(5))");
        assert_true(w.items[0].warning);
        config_errors_done(&w);

        /* Before November the next year's notice is not out yet: no warning for it. */
        assert_int_equal(day_parse("2026-10-31", &today), 0);
        assert_int_equal(config_warnings(c, today, &w), 0);
        assert_int_equal(w.n, 0);
        config_errors_done(&w);

        /* A year ahead: this year's is missing at once, the next one's from November. */
        assert_int_equal(day_parse("2027-03-01", &today), 0);
        assert_int_equal(config_warnings(c, today, &w), 0);
        assert_int_equal(w.n, 1);
        assert_error(&w, "/holidays.d", 0, NULL, "no holiday notice for 2027");
        config_errors_done(&w);
        assert_int_equal(day_parse("2027-11-01", &today), 0);
        assert_int_equal(config_warnings(c, today, &w), 0);
        assert_int_equal(w.n, 2);
        assert_error(&w, "/holidays.d", 0, NULL, "no holiday notice for 2027");
        assert_error(&w, "/holidays.d", 0, NULL, "no holiday notice for 2028");
        config_errors_done(&w);

        /* Without a day, nothing about years. */
        assert_int_equal(config_warnings(c, DAY_NONE, &w), 0);
        assert_int_equal(w.n, 0);
        config_errors_done(&w);
        config_free(c);
}

static void test_misc(void **state) {
        Person p = { .active_from = DAY_NONE, .active_until = DAY_NONE };
        ConfigErrors e = {};
        char *s;

        assert_null(config_free(NULL));
        config_errors_done(NULL);
        config_errors_done(&e);
        s = config_errors_format(&e);
        assert_non_null(s);
        assert_string_equal(s, "");
        free(s);

        for (Role r = 0; r < _ROLE_MAX; r++)
                assert_int_equal(role_from_string(role_to_string(r)), r);
        assert_string_equal(role_to_string(ROLE_APPROVER), "approver");
        assert_int_equal(role_from_string("Leader"), _ROLE_INVALID);
        assert_int_equal(role_from_string(NULL), _ROLE_INVALID);
        assert_null(role_to_string(_ROLE_MAX));
        assert_string_equal(post_day_type_to_string(POST_DAY_SENSITIVE), "sensitive");
        assert_null(post_day_type_to_string(_POST_DAY_INVALID));

        assert_true(person_is_active(&p, day("2026-01-01")));
        p.active_from = day("2026-03-01");
        p.active_until = day("2026-03-31");
        assert_false(person_is_active(&p, day("2026-02-28")));
        assert_true(person_is_active(&p, day("2026-03-01")));
        assert_true(person_is_active(&p, day("2026-03-31")));
        assert_false(person_is_active(&p, day("2026-04-01")));
        assert_false(person_is_active(NULL, day("2026-04-01")));

        assert_null(config_find_person(NULL, "a"));
        assert_null(config_find_post(NULL, "a"));
        assert_int_equal(config_calendar(NULL).n_days, 0);
}

static void test_sections_defaults_and_values(void **state) {
        Fixture *fx = *state;
        ConfigErrors e = {};
        Config *c = NULL;

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK, &c, &e), 0);
        assert_int_equal(c->roster.min_rest_days, 1);
        assert_int_equal(c->roster.publish_days_before, 2);
        assert_int_equal(c->roster.horizon_days, 30);
        assert_int_equal(c->swap.lead_days, 1);
        assert_true(c->swap.leader_approves);
        assert_int_equal(c->leave.notice_working_days, 3);
        assert_int_equal(c->leave.n_approvers, 0);
        assert_int_equal(c->takeover_minutes, 15);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_PHONE], 30);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_WRITTEN], 60);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_FOLLOWUP], 0);
        config_free(c);

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK
                                   "duty_log = { phone_report_minutes = 20; written_report_minutes = 45;\n"
                                   "  followup_report_minutes = 120; };\n", &c, &e), 0);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_FOLLOWUP], 120);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_PHONE], 20);
        assert_int_equal(c->duty_log.report_minutes[DUTYLOG_REPORT_WRITTEN], 45);
        config_free(c);

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK "takeover_minutes = 30;\n", &c, &e), 0);
        assert_int_equal(c->takeover_minutes, 30);
        config_free(c);

        assert_int_equal(load_text(fx, PEOPLE_OK POSTS_OK
                                   "groups = ( { id = \"g\"; members = [ \"a\", \"b\" ]; } );\n"
                                   "roster = { min_rest_days = 2; publish_days_before = 5; horizon_days = 60; };\n"
                                   "swap = { lead_days = 3; approver = \"admin\"; };\n"
                                   "leave = { never_together = [ \"g\" ]; min_leaders_present = 1;\n"
                                   "  notice_working_days = 4; require_acting = [ \"g\" ];\n"
                                   "  tiers = ( { max_days = 3; }, { approver = \"a\"; } );\n"
                                   "  approvers = ( { who = \"officer\"; approver = \"a\"; } ); };\n",
                                   &c, &e), 0);
        assert_int_equal(c->roster.min_rest_days, 2);
        assert_int_equal(c->roster.publish_days_before, 5);
        assert_int_equal(c->roster.horizon_days, 60);
        assert_int_equal(c->swap.lead_days, 3);
        assert_false(c->swap.leader_approves);
        assert_int_equal(c->leave.n_never_together_groups, 1);
        assert_string_equal(c->leave.never_together_groups[0], "g");
        assert_int_equal(c->leave.min_leaders_present, 1);
        assert_int_equal(c->leave.notice_working_days, 4);
        assert_int_equal(c->leave.n_tiers, 2);
        assert_int_equal(c->leave.tiers[0].max_days, 3);
        assert_null(c->leave.tiers[0].approver);
        assert_string_equal(c->leave.tiers[1].approver, "a");
        assert_int_equal(c->leave.n_approvers, 1);
        assert_string_equal(c->leave.approvers[0].who, "officer");
        assert_string_equal(c->leave.approvers[0].approver, "a");
        config_free(c);
}

static void test_err_sections(void **state) {
        check_bad(state, PEOPLE_OK POSTS_OK "duty_log = {\n  phone_report_minutes = 0; };\n",
                  "phone_report_minutes", "duty_log.phone_report_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "duty_log = {\n  written_report_minutes = 1441; };\n",
                  "written_report_minutes", "duty_log.written_report_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "duty_log = {\n  followup_report_minutes = -1; };\n",
                  "followup_report_minutes", "duty_log.followup_report_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "duty_log = {\n  written_report_minutes = 20; };\n",
                  "written_report_minutes", "duty_log.written_report_minutes", "less than phone_report_minutes");
        check_bad(state, PEOPLE_OK POSTS_OK "duty_log = {\n  phone_report_minutes = 90; };\n",
                  "phone_report_minutes", "duty_log.written_report_minutes", "less than phone_report_minutes");
        check_bad(state, PEOPLE_OK POSTS_OK "\ntakeover_minutes = 0;\n",
                  "takeover_minutes", "takeover_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "\ntakeover_minutes = 241;\n",
                  "takeover_minutes", "takeover_minutes", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "roster = {\n  min_rest_days = 99; };\n",
                  "min_rest_days", "roster.min_rest_days", "out of range");
        check_bad(state, PEOPLE_OK POSTS_OK "roster = {\n  rest = 1; };\n",
                  "rest", "roster.rest", "");
        check_bad(state, PEOPLE_OK POSTS_OK "swap = {\n  approver = \"boss\"; };\n",
                  "approver", "swap.approver", "unknown approver \"boss\"");
        check_bad(state, PEOPLE_OK POSTS_OK "leave = {\n  never_together = [ \"nogroup\" ]; };\n",
                  "nogroup", "leave.never_together", "unknown group \"nogroup\"");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = { approvers = (\n  { who = \"officer\";\n    approver = \"ghost\"; } ); };\n",
                  "ghost", "leave.approvers.[0].approver", "unknown person \"ghost\"");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = { approvers = (\n  { who = \"nobody_or_role\"; approver = \"a\"; } ); };\n",
                  "nobody_or_role", "leave.approvers.[0].who", "neither a person, a group nor a role");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = { tiers = (\n  { max_days = 3; },\n  { max_days = 3; approver = \"a\"; } ); };\n",
                  "approver = \"a\"", "leave.tiers.[1]",
                  "another tier already has max_days = 3; give each tier its own");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = { tiers = (\n  { approver = \"a\"; },\n  { approver = \"b\"; } ); };\n",
                  "approver = \"b\"", "leave.tiers.[1]", "another tier already has no max_days; only one may be open-ended");
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = { approvers = (\n  { who = \"officer\"; approver = \"a\";\n    stand_in = \"a\"; } ); };\n",
                  "stand_in", "leave.approvers.[0].stand_in",
                  "the stand-in must differ from the approver: name who approves while \"a\" is away");
        /* a approves b and b approves a: a chain that never ends, reported at the rule closing it. */
        check_bad(state, PEOPLE_OK POSTS_OK
                  "leave = {\n  approvers = (\n    { who = \"a\"; approver = \"b\"; },\n"
                  "    { who = \"b\"; approver = \"a\"; } ); };\n",
                  "{ who = \"b\"", "leave.approvers.[1]", "the approval chain loops: 甲 (a) → 乙 (b) → a again");
}

/* ---- Reading from memory, and the notices alone ---- */

static char *read_all(const char *path, size_t *ret_size) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f, *m;
        int c;

        f = fopen(path, "re");
        assert_non_null(f);
        m = open_memstream(&buf, &size);
        assert_non_null(m);
        while ((c = fgetc(f)) != EOF)
                fputc(c, m);
        fclose(f);
        assert_int_equal(fclose(m), 0);
        *ret_size = size;
        return buf;
}

/* The sample read from memory under its own name is the sample read from the file. */
static void test_from_memory_sample(void **state) {
        _cleanup_(config_freep) Config *from_file = NULL, *from_memory = NULL;
        _cleanup_free_ char *text = NULL;
        ConfigErrors e = {};
        size_t size;

        text = read_all(SAMPLE_CONFIG, &size);
        assert_int_equal(config_load(SAMPLE_CONFIG, &from_file, &e), 0);
        assert_int_equal(config_load_from_memory(SAMPLE_CONFIG, text, size, &from_memory, &e), 0);
        assert_int_equal(e.n, 0);
        assert_string_equal(from_memory->path, SAMPLE_CONFIG);
        assert_string_equal(from_memory->holidays_dir, from_file->holidays_dir);
        assert_int_equal(from_memory->n_people, from_file->n_people);
        assert_int_equal(from_memory->n_posts, from_file->n_posts);
        assert_int_equal(from_memory->n_notices, from_file->n_notices);
        assert_int_equal(from_memory->n_holiday_days, from_file->n_holiday_days);
        for (size_t i = 0; i < from_file->n_people; i++)
                assert_string_equal(from_memory->people[i].id, from_file->people[i].id);
        assert_non_null(config_find_person(from_memory, from_file->people[0].id));
}

/* Errors in a text from memory name the name given, and full-width punctuation is found in the
 * text itself: no file of that name exists to be read again. */
static void test_from_memory_errors(void **state) {
        const char *text = PEOPLE_OK POSTS_OK "office = \"x\"；\n";
        const char *name = "/nonexistent/test-config/dutyd.conf";
        Config *c = NULL;
        ConfigErrors e = {};

        assert_int_equal(config_load_from_memory(name, text, strlen(text), &c, &e), -EINVAL);
        assert_null(c);
        assert_error(&e, name, line_of(text, "office ="), NULL,
                     "full-width ； typed with a Chinese input method: use ; instead");
        config_errors_done(&e);

        /* The text ends at its first NUL, as libconfig would read a file. */
        assert_int_equal(config_load_from_memory(name, PEOPLE_OK POSTS_OK "\0garbage", strlen(PEOPLE_OK POSTS_OK) + 8,
                                                 &c, &e), 0);
        assert_non_null(c);
        c = config_free(c);

        assert_int_equal(config_load_from_memory(name, NULL, 1, &c, &e), -EINVAL);
        assert_int_equal(config_load_from_memory(NULL, "", 0, &c, &e), -EINVAL);
        assert_null(c);
}

static void test_notices_alone(void **state) {
        Fixture *fx = *state;
        _cleanup_(config_freep) Config *c = NULL;
        ConfigErrors e = {};
        char dir[PATH_MAX];
        Calendar cal;

        make_dir(fx, "holidays.d");
        path_in(fx, "holidays.d", dir);
        write_file(fx, "holidays.d/cn-2026.conf", NOTICE_HEAD
                   "holidays = ( { name = \"元旦\";\n  off = [ \"2026-01-01\", \"2026-01-02\" ]; work = [ \"2026-01-04\" ]; } );\n");
        assert_int_equal(config_load_notices(dir, &c, &e), 0);
        assert_int_equal(e.n, 0);
        assert_int_equal(c->n_notices, 1);
        assert_int_equal(c->n_people, 0);
        cal = config_calendar(c);
        assert_int_equal(calendar_day_type(&cal, day("2026-01-02")), DAY_TYPE_HOLIDAY);
        assert_int_equal(calendar_day_type(&cal, day("2026-01-04")), DAY_TYPE_MAKEUP_WORKDAY);
        assert_int_equal(calendar_day_type(&cal, day("2027-01-04")), DAY_TYPE_UNKNOWN);
        c = config_free(c);

        /* The same checks as when the office's file names the directory. */
        write_file(fx, "holidays.d/cn-2027.conf",
                   "year = 2027;\nsource = \"x\";\nholidays = ( { name = \"again\"; off = [ \"2026-01-02\" ]; } );\n");
        assert_int_equal(config_load_notices(dir, &c, &e), -EINVAL);
        assert_null(c);
        assert_error(&e, "/holidays.d/cn-2027.conf", 3, "holidays.again.off", "2026-01-02 is listed twice");
        config_errors_done(&e);

        path_in(fx, "no-such-dir", dir);
        assert_int_equal(config_load_notices(dir, &c, &e), -EINVAL);
        assert_error(&e, "no-such-dir", 0, NULL, "cannot open holidays directory");
        config_errors_done(&e);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_sample, setup, teardown),
                cmocka_unit_test_setup_teardown(test_from_memory_sample, setup, teardown),
                cmocka_unit_test_setup_teardown(test_from_memory_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notices_alone, setup, teardown),
                cmocka_unit_test_setup_teardown(test_sample_with_holidays, setup, teardown),
                cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
                cmocka_unit_test_setup_teardown(test_document_settings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notify_soon, setup, teardown),
                cmocka_unit_test_setup_teardown(test_aggregator, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_reports, setup, teardown),
                cmocka_unit_test_setup_teardown(test_superior_settings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_unknown_group_member, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_duplicate_person, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_duplicate_uid, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_duplicate_user, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_bad_time, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_bad_date, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_unknown_role, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_missing_person_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_missing_post_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_wrong_type, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_unknown_settings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_post_role, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_timezone, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_ids, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_active_range, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_other_settings, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_syntax, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_missing_file, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_holidays_dir_missing, setup, teardown),
                cmocka_unit_test_setup_teardown(test_errors_collected, setup, teardown),
                cmocka_unit_test_setup_teardown(test_errors_capped, setup, teardown),
                cmocka_unit_test_setup_teardown(test_errors_one_per_line, setup, teardown),
                cmocka_unit_test_setup_teardown(test_include, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_errors, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_work_not_weekend, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_off_twice, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_out_of_range, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_previous_year_ok, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_same_year, setup, teardown),
                cmocka_unit_test_setup_teardown(test_notice_day_in_two_files, setup, teardown),
                cmocka_unit_test_setup_teardown(test_local_holiday_conflict, setup, teardown),
                cmocka_unit_test_setup_teardown(test_misc, setup, teardown),
                cmocka_unit_test_setup_teardown(test_chain_natural, setup, teardown),
                cmocka_unit_test_setup_teardown(test_chain_reports_to, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_chain, setup, teardown),
                cmocka_unit_test_setup_teardown(test_full_width, setup, teardown),
                cmocka_unit_test_setup_teardown(test_post_group, setup, teardown),
                cmocka_unit_test_setup_teardown(test_group_shadows_role, setup, teardown),
                cmocka_unit_test_setup_teardown(test_warn_no_roles, setup, teardown),
                cmocka_unit_test_setup_teardown(test_holidays_default_and_years, setup, teardown),
                cmocka_unit_test_setup_teardown(test_sections_defaults_and_values, setup, teardown),
                cmocka_unit_test_setup_teardown(test_err_sections, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
