/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The roster views and exports, fed with RosterShow replies built here: the 2026 春节 run with a
 * leader and two officers a day, the workdays around it, an empty slot with its reason, and names
 * of two, three and four characters. Each format is read back by an independent reader (libical's
 * parser, an RFC 4180 reader) rather than compared with a stored copy. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "export.h"
#include "labels.h"
#include "output.h"
#include "util.h"
#include "varlink.h"

extern const char dutyd_idl_text[];

#define OFFICE "中共某某县委办公室"
#define TZ "Asia/Shanghai"
#define FIXTURE_FROM "2026-02-13"
#define FIXTURE_DAYS 13                 /* 2026-02-13 … 2026-02-25 */
#define VACANT_DATE "2026-02-20"
/* A reason with a comma and quotes, which CSV must quote and double. */
#define VACANT_REASON "所有值班员均已请假, 或不满足\"连续值班\"休息要求"
#define STAMP_USEC ((uint64_t) 1768875600 * USEC_PER_SEC)      /* 2026-01-20T02:20:00Z */
#define LINES_MAX 64

typedef struct FixturePerson {
        const char *id;
        const char *name;
        const char *phone;
} FixturePerson;

static const FixturePerson leaders[] = {
        { "wangjg",   "王建国",   "0791-86201001" },
        { "lixy",     "李秀英",   "0791-86201002" },
        { "ouyangmh", "欧阳明华", "0791-86201003" },
        { "zhangw",   "张伟",     "0791-86201004" },
        { "chenzq",   "陈志强",   "0791-86201005" },
        { "liuf",     "刘芳",     "0791-86201006" },
};

static const FixturePerson officers[] = {
        { "zhouxd", "周晓东",   "13879100101" },
        { "wum",    "吴敏",     "13879100102" },
        { "fengj",  "冯静",     "13879100104" },
        { "simayf", "司马云飞", "13879100111" },
        { "mal",    "马丽",     "13879100106" },
        { "huwb",   "胡文斌",   NULL },         /* no phone on file */
        { "xut",    "徐婷",     "13879100110" },
};

static bool fixture_is_holiday(Day d) {
        return d >= day_from_ymd(2026, 2, 15) && d <= day_from_ymd(2026, 2, 23);
}

static json_t *fixture_assignment(const char *date, const char *post, const char *post_name, const char *role,
                                  int slot, const FixturePerson *p, const char *reason) {
        json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:s}",
                              "date", date, "post", post, "post_name", post_name, "role", role,
                              "slot", slot, "locked", 0, "assume_ordinary", 0, "source", "generated");

        assert_non_null(a);
        if (p) {
                assert_int_equal(json_object_set_new(a, "person", json_string(p->id)), 0);
                assert_int_equal(json_object_set_new(a, "name", json_string(p->name)), 0);
                if (p->phone)
                        assert_int_equal(json_object_set_new(a, "phone", json_string(p->phone)), 0);
        } else {
                assert_int_equal(json_object_set_new(a, "reason", json_string(reason)), 0);
                assert_int_equal(json_object_set_new(a, "reason_code", json_string("no_candidate")), 0);
        }
        return a;
}

static const FixturePerson *fixture_leader(size_t i) {
        return leaders + i % ELEMENTSOF(leaders);
}

static const FixturePerson *fixture_officer(size_t i, int slot) {
        return officers + (2 * i + (size_t) slot) % ELEMENTSOF(officers);
}

static int fixture_officer_count(Day d) {
        return fixture_is_holiday(d) ? 2 : 1;
}

/* The RosterShow reply over FIXTURE_DAYS days, as dutyd would send it. */
static json_t *fixture_reply(bool published) {
        json_t *reply, *days;
        Day first;

        assert_int_equal(day_parse(FIXTURE_FROM, &first), 0);
        reply = json_pack("{s:s, s:s, s:s, s:[]}", "office", OFFICE, "timezone", TZ, "handover", "08:30", "days");
        assert_non_null(reply);
        if (published)
                assert_int_equal(json_object_set_new(reply, "version", json_integer(3)), 0);
        days = json_object_get(reply, "days");

        for (size_t i = 0; i < FIXTURE_DAYS; i++) {
                Day d = first + (Day) i;
                char date[DAY_STRING_MAX];
                json_t *cal, *as;

                day_format(d, date);
                cal = json_pack("{s:s, s:i, s:s}", "date", date, "weekday", day_weekday(d), "type",
                                fixture_is_holiday(d) ? "holiday" :
                                d == day_from_ymd(2026, 2, 14) ? "makeup_workday" : "workday");
                assert_non_null(cal);
                if (fixture_is_holiday(d)) {
                        assert_int_equal(json_object_set_new(cal, "holiday", json_string("春节")), 0);
                        assert_int_equal(json_object_set_new(cal, "run_from", json_string("2026-02-15")), 0);
                        assert_int_equal(json_object_set_new(cal, "run_to", json_string("2026-02-23")), 0);
                }
                if (d == day_from_ymd(2026, 2, 16) || d == day_from_ymd(2026, 2, 17)) {
                        assert_int_equal(json_object_set_new(cal, "special",
                                json_string(d == day_from_ymd(2026, 2, 16) ? "除夕" : "春节初一")), 0);
                        assert_int_equal(json_object_set_new(cal, "special_weight", json_integer(3)), 0);
                }

                as = json_array();
                assert_non_null(as);
                assert_int_equal(json_array_append_new(as, fixture_assignment(date, "leader_on_call", "带班领导",
                                                                              "leader", 0, fixture_leader(i), NULL)), 0);
                for (int k = 0; k < fixture_officer_count(d); k++) {
                        bool vacant = streq(date, VACANT_DATE) && k == 1;

                        assert_int_equal(json_array_append_new(as, fixture_assignment(
                                date, "officer_on_duty", "值班员", "officer", k,
                                vacant ? NULL : fixture_officer(i, k), VACANT_REASON)), 0);
                }

                assert_int_equal(json_array_append_new(days, json_pack("{s:o, s:o}", "day", cal, "assignments", as)), 0);
        }
        return reply;
}

/* The reply dutyd sends for --person: the same days, with only that person's duties. */
static json_t *fixture_filter(json_t *reply, const char *person) {
        json_t *copy = json_deep_copy(reply), *rd;
        size_t i;

        assert_non_null(copy);
        json_array_foreach(json_object_get(copy, "days"), i, rd) {
                json_t *as = json_object_get(rd, "assignments");

                for (size_t j = json_array_size(as); j > 0; j--) {
                        const char *p = json_string_value(json_object_get(json_array_get(as, j - 1), "person"));

                        if (!p || !streq(p, person))
                                assert_int_equal(json_array_remove(as, j - 1), 0);
                }
        }
        return copy;
}

static size_t fixture_filled(json_t *reply) {
        json_t *rd, *a;
        size_t i, j, n = 0;

        json_array_foreach(json_object_get(reply, "days"), i, rd)
                json_array_foreach(json_object_get(rd, "assignments"), j, a)
                        if (json_is_string(json_object_get(a, "person")))
                                n++;
        return n;
}

/* Not inlined: gcc's -Wdangling-pointer otherwise takes the result for a pointer to the local
 * it was returned through. */
__attribute__((noinline))
static char *render(ExportFormat format, json_t *reply, const ExportOptions *o) {
        char *data = NULL;
        size_t size = 0;

        assert_int_equal(export_roster_to_buffer(format, reply, o, &data, &size), 0);
        assert_non_null(data);
        assert_int_equal(strlen(data), size);
        return data;
}

static size_t count(const char *haystack, const char *needle) {
        size_t n = 0;

        for (const char *p = strstr(haystack, needle); p; p = strstr(p + strlen(needle), needle))
                n++;
        return n;
}

/* Splits on "\n" (modifies buf). */
static size_t split_lines(char *buf, char *lines[static LINES_MAX]) {
        size_t n = 0;

        for (char *p = buf, *nl; *p; p = nl + 1) {
                nl = strchr(p, '\n');
                assert_non_null(nl);
                *nl = '\0';
                assert_true(n < LINES_MAX);
                lines[n++] = p;
        }
        return n;
}

/* ---- The fixture itself is what the interface declares ---- */

static void test_fixture_matches_interface(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ char *error = NULL, *path = NULL;
        json_t *reply = fixture_reply(true), *mine = fixture_filter(reply, "wangjg");

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, &error), 0);
        assert_int_equal(varlink_idl_validate_full(idl, "RosterShow", true, reply, &path), 0);
        assert_int_equal(varlink_idl_validate_full(idl, "RosterShow", true, mine, &path), 0);
        json_decref(mine);
        json_decref(reply);
}

static void test_format_names(void **state) {
        for (ExportFormat f = 0; f < _EXPORT_FORMAT_MAX; f++)
                assert_int_equal(export_format_from_string(export_format_to_string(f)), f);
        assert_int_equal(export_format_from_string("ical"), -EINVAL);
        assert_int_equal(export_format_from_string(NULL), -EINVAL);
        assert_null(export_format_to_string(_EXPORT_FORMAT_MAX));
}

/* ---- table ---- */

/* The table is dutyctl's interface: this test runs in the C locale, so its words are English. The
 * documents (CSV, iCalendar, HTML) are Chinese whatever the locale. */

/* Display column where needle starts in line, or SIZE_MAX if absent. */
static size_t column_of(const char *line, const char *needle) {
        const char *p = strstr(line, needle);
        _cleanup_free_ char *prefix = NULL;

        if (!p)
                return SIZE_MAX;
        prefix = strndup(line, (size_t) (p - line));
        assert_non_null(prefix);
        return utf8_width(prefix);
}

static void test_table_aligned(void **state) {
        json_t *reply = fixture_reply(true);
        _cleanup_free_ char *out = render(EXPORT_FORMAT_TABLE, reply, NULL);
        char *lines[LINES_MAX];
        size_t n = split_lines(out, lines), c_leader, c_officers, c_phones, c_weekday;
        Day first;

        /* A title, the header, one line per day. */
        assert_int_equal(n, 2 + FIXTURE_DAYS);
        assert_non_null(strstr(lines[0], OFFICE));
        assert_non_null(strstr(lines[0], "version 3"));

        c_weekday = column_of(lines[1], "Day");
        c_leader = column_of(lines[1], "Leader on call");
        c_officers = column_of(lines[1], "Officers on duty");
        c_phones = column_of(lines[1], "Phone");
        assert_int_equal(column_of(lines[1], "Date"), 0);
        assert_true(c_weekday < c_leader && c_leader < c_officers && c_officers < c_phones);

        assert_int_equal(day_parse(FIXTURE_FROM, &first), 0);
        for (size_t i = 0; i < FIXTURE_DAYS; i++) {
                const char *line = lines[2 + i];
                Day d = first + (Day) i;
                char date[DAY_STRING_MAX];

                /* Every cell starts where its header does, counted in terminal cells. */
                assert_int_equal(column_of(line, day_format(d, date)), 0);
                assert_int_equal(column_of(line, label_weekday(d)), c_weekday);
                assert_int_equal(column_of(line, fixture_leader(i)->name), c_leader);
                assert_int_equal(column_of(line, fixture_officer(i, 0)->name), c_officers);
                assert_int_equal(column_of(line, fixture_leader(i)->phone), c_phones);
                assert_true(utf8_width(line) > c_phones);
                assert_true(line[strlen(line) - 1] != ' ');

                if (fixture_is_holiday(d))
                        assert_non_null(strstr(line, "春节"));
                if (fixture_officer_count(d) == 2 && !streq(date, VACANT_DATE)) {
                        _cleanup_free_ char *both = NULL;

                        assert_true(asprintf(&both, "%s, %s", fixture_officer(i, 0)->name,
                                             fixture_officer(i, 1)->name) > 0);
                        assert_non_null(strstr(line, both));
                }
        }

        /* The empty slot is shown with its reason, never silently. */
        assert_non_null(strstr(lines[2 + 7], "(empty: " VACANT_REASON ")"));
        assert_non_null(strstr(lines[2 + 3], "除夕"));
        assert_non_null(strstr(lines[2 + 1], "make-up workday"));
        json_decref(reply);
}

static void test_table_unpublished_and_unscheduled(void **state) {
        json_t *reply = fixture_reply(false), *rd = json_array_get(json_object_get(reply, "days"), 0);
        _cleanup_free_ char *out = NULL, *mine = NULL;
        ExportOptions o = { .person = "wangjg" };
        json_t *filtered;

        /* A day not generated yet, and a day of a year without a notice generated as ordinary. */
        assert_int_equal(json_array_clear(json_object_get(rd, "assignments")), 0);
        rd = json_array_get(json_object_get(reply, "days"), 12);
        assert_int_equal(json_object_set_new(json_object_get(rd, "day"), "type", json_string("unknown")), 0);
        assert_int_equal(json_object_set_new(json_array_get(json_object_get(rd, "assignments"), 0),
                                             "assume_ordinary", json_true()), 0);

        out = render(EXPORT_FORMAT_TABLE, reply, NULL);
        assert_non_null(strstr(out, "not published"));
        assert_null(strstr(out, "version "));
        assert_non_null(strstr(out, "2026-02-13  Fri"));
        assert_non_null(strstr(out, "(not scheduled)"));
        assert_non_null(strstr(out, "planned as an ordinary day"));

        /* Filtered to one person, only their days are listed. */
        filtered = fixture_filter(reply, "wangjg");
        mine = render(EXPORT_FORMAT_TABLE, filtered, &o);
        assert_null(strstr(mine, "(not scheduled)"));
        assert_int_equal(count(mine, "王建国"), 2);     /* days 6 and 12 of the rotation */
        assert_int_equal(count(mine, "\n"), 2 + 2);
        json_decref(filtered);
        json_decref(reply);
}

/* Another officer post shows up grouped under its name; a reply without roles takes the day's
 * first post for the leader's. */
static void test_table_posts(void **state) {
        json_t *reply = fixture_reply(true), *rd = json_array_get(json_object_get(reply, "days"), 0), *a;
        json_t *as = json_object_get(rd, "assignments");
        _cleanup_free_ char *out = NULL, *roleless = NULL;
        char *lines[LINES_MAX];
        size_t i, n;

        assert_int_equal(json_array_append_new(as, fixture_assignment("2026-02-13", "driver", "驾驶员", "officer", 0,
                                                                      officers + 6, NULL)), 0);
        out = render(EXPORT_FORMAT_TABLE, reply, NULL);
        assert_non_null(strstr(out, "值班员: 周晓东; 驾驶员: 徐婷"));
        assert_non_null(strstr(out, "0791-86201001, 13879100101, 13879100110"));

        json_array_foreach(as, i, a)
                assert_int_equal(json_object_del(a, "role"), 0);
        roleless = render(EXPORT_FORMAT_TABLE, reply, NULL);
        n = split_lines(roleless, lines);
        assert_true(n > 2);
        /* The first day: the leader under the leader's header, both officer posts under theirs. */
        assert_int_equal(column_of(lines[2], "王建国"), column_of(lines[1], "Leader on call"));
        assert_int_equal(column_of(lines[2], "值班员: 周晓东; 驾驶员: 徐婷"), column_of(lines[1], "Officers on duty"));
        json_decref(reply);
}

/* ---- CSV ---- */

#define CSV_RECORDS_MAX 64
#define CSV_FIELDS_MAX 12

typedef struct CsvTable {
        char *fields[CSV_RECORDS_MAX][CSV_FIELDS_MAX];
        size_t n_fields[CSV_RECORDS_MAX];
        size_t n_records;
} CsvTable;

/* An RFC 4180 reader: records end with CRLF; a quoted field may hold commas, CRLF and doubled
 * quotes. Fails the test on anything else (a bare LF, a quote inside an unquoted field). */
static void csv_read(const char *s, CsvTable *t) {
        *t = (CsvTable) {};

        while (*s) {
                size_t nf = 0;

                assert_true(t->n_records < ELEMENTSOF(t->fields));
                for (;;) {
                        char *buf = NULL;
                        size_t size = 0;
                        FILE *f = open_memstream(&buf, &size);

                        assert_non_null(f);
                        if (*s == '"') {
                                for (s++;; s++) {
                                        assert_true(*s != '\0');
                                        if (*s == '"' && s[1] == '"')
                                                fputc(*s++, f);
                                        else if (*s == '"')
                                                break;
                                        else
                                                fputc(*s, f);
                                }
                                s++;
                        } else
                                for (; *s && *s != ',' && *s != '\r'; s++) {
                                        assert_true(*s != '"' && *s != '\n');
                                        fputc(*s, f);
                                }
                        assert_int_equal(fclose(f), 0);
                        assert_true(nf < ELEMENTSOF(t->fields[0]));
                        t->fields[t->n_records][nf++] = buf;

                        if (*s == ',') {
                                s++;
                                continue;
                        }
                        assert_true(s[0] == '\r' && s[1] == '\n');
                        s += 2;
                        break;
                }
                t->n_fields[t->n_records++] = nf;
        }
}

static void csv_free(CsvTable *t) {
        for (size_t i = 0; i < t->n_records; i++)
                for (size_t j = 0; j < t->n_fields[i]; j++)
                        free(t->fields[i][j]);
}

static void test_csv(void **state) {
        json_t *reply = fixture_reply(true);
        _cleanup_free_ char *out = render(EXPORT_FORMAT_CSV, reply, NULL), *expected = NULL;
        static const char *const headers[] = { "日期", "星期", "节日", "带班领导", "值班人员", "电话" };
        CsvTable t;

        assert_memory_equal(out, "\xEF\xBB\xBF", 3);
        /* Every line ends with CRLF: no LF without its CR. */
        for (const char *p = strchr(out, '\n'); p; p = strchr(p + 1, '\n'))
                assert_true(p > out && p[-1] == '\r');

        csv_read(out + 3, &t);
        assert_int_equal(t.n_records, 1 + FIXTURE_DAYS);
        for (size_t i = 0; i < t.n_records; i++)
                assert_int_equal(t.n_fields[i], ELEMENTSOF(headers));
        for (size_t j = 0; j < ELEMENTSOF(headers); j++)
                assert_string_equal(t.fields[0][j], headers[j]);

        assert_string_equal(t.fields[1][0], "2026-02-13");
        assert_string_equal(t.fields[1][1], "周五");
        assert_string_equal(t.fields[1][3], fixture_leader(0)->name);
        assert_string_equal(t.fields[1][4], fixture_officer(0, 0)->name);
        assert_string_equal(t.fields[3][2], "春节");

        /* The field with a comma and quotes comes back whole. */
        assert_true(asprintf(&expected, "%s、（空缺：%s）", fixture_officer(7, 0)->name, VACANT_REASON) > 0);
        assert_string_equal(t.fields[1 + 7][4], expected);
        assert_non_null(strstr(out, "\"\"连续值班\"\""));

        /* A day whose officer has no phone on file shows a placeholder in the phone's place. */
        assert_non_null(strstr(t.fields[1 + 2][5], "、-"));
        csv_free(&t);
        json_decref(reply);
}

static void test_csv_formula_guard(void **state) {
        json_t *reply = fixture_reply(true);
        json_t *a = json_array_get(json_object_get(json_array_get(json_object_get(reply, "days"), 0), "assignments"), 0);
        _cleanup_free_ char *out = NULL;

        assert_int_equal(json_object_set_new(a, "name", json_string("=HYPERLINK(\"x\")")), 0);
        assert_int_equal(json_object_set_new(a, "phone", json_string("+86 791 8620 1001")), 0);
        out = render(EXPORT_FORMAT_CSV, reply, NULL);
        assert_non_null(strstr(out, ",\"'=HYPERLINK(\"\"x\"\")\","));
        assert_non_null(strstr(out, ",+86 791 8620 1001、13879100101\r\n"));
        json_decref(reply);
}

/* A phone alone in a cell is a formula of its text, which every spreadsheet shows as typed; a
 * count stays a number; nothing else becomes a formula. */
static void test_csv_phones_as_text(void **state) {
        json_t *reply = fixture_reply(true);
        json_t *day0 = json_object_get(json_array_get(json_object_get(reply, "days"), 0), "assignments");
        _cleanup_free_ char *out = NULL, *other = NULL;

        /* A workday with the leader alone: the phone cell is one number. */
        assert_int_equal(json_array_remove(day0, 1), 0);
        assert_int_equal(json_object_set_new(json_array_get(day0, 0), "phone", json_string("079186201001")), 0);
        out = render(EXPORT_FORMAT_CSV, reply, NULL);
        assert_non_null(strstr(out, ",\"=\"\"079186201001\"\"\"\r\n"));
        /* A list of phones is no number: as it was. */
        assert_non_null(strstr(out, ",0791-86201002、13879100104\r\n"));

        assert_int_equal(json_object_set_new(json_array_get(day0, 0), "phone", json_string("+86 138 7910 0101")), 0);
        other = render(EXPORT_FORMAT_CSV, reply, NULL);
        assert_non_null(strstr(other, ",\"=\"\"+86 138 7910 0101\"\"\"\r\n"));
        json_decref(reply);
}

/* One person's CSV: a row per duty, with the leader (and phone) and the colleagues of that day. */
static void test_csv_person_long(void **state) {
        json_t *reply = fixture_reply(true);
        ExportOptions o = { .now_usec = STAMP_USEC, .person = "simayf" };
        _cleanup_free_ char *out = render(EXPORT_FORMAT_CSV, reply, &o), *all = NULL;
        static const char *const headers[] = {
                "日期", "星期", "节日", "岗位", "编号", "姓名", "电话", "带班领导", "带班领导电话", "同班值班人员",
        };
        size_t mine = 0;
        CsvTable t;

        assert_memory_equal(out, "\xEF\xBB\xBF", 3);
        csv_read(out + 3, &t);
        for (size_t j = 0; j < ELEMENTSOF(headers); j++)
                assert_string_equal(t.fields[0][j], headers[j]);
        for (size_t i = 1; i < t.n_records; i++) {
                assert_int_equal(t.n_fields[i], ELEMENTSOF(headers));
                assert_string_equal(t.fields[i][4], "simayf");
                assert_string_equal(t.fields[i][5], "司马云飞");
                assert_string_equal(t.fields[i][6], "=\"13879100111\"");
                assert_true(strlen(t.fields[i][7]) > 0);
                assert_true(strncmp(t.fields[i][8], "=\"0791-", 7) == 0 || strncmp(t.fields[i][8], "0791-", 5) == 0);
        }
        /* Their duties in the fixture: every slot that is theirs, not the empty one. */
        for (size_t i = 0; i < FIXTURE_DAYS; i++)
                for (int k = 0; k < 2; k++)
                        if (k < fixture_officer_count(day_from_ymd(2026, 2, 13) + (Day) i) &&
                            !(i == 7 && k == 1) && streq(fixture_officer(i, k)->id, "simayf"))
                                mine++;
        assert_int_equal(t.n_records, 1 + mine);
        /* On a holiday day with two officers, the colleague is named with the phone. */
        for (size_t i = 1; i < t.n_records; i++)
                if (streq(t.fields[i][2], "春节"))
                        assert_non_null(strstr(t.fields[i][9], " 1387910"));
        csv_free(&t);

        /* The long form of everyone: a row per slot, the empty one too. */
        all = render(EXPORT_FORMAT_CSV_LONG, reply, NULL);
        csv_read(all + 3, &t);
        assert_int_equal(t.n_records, 1 + FIXTURE_DAYS + 4 + 9 * 2);
        csv_free(&t);
        json_decref(reply);
}

/* Duties per person by kind of day: leaders first, numbers that add up. */
static void test_csv_counts(void **state) {
        json_t *reply = fixture_reply(true);
        _cleanup_free_ char *out = render(EXPORT_FORMAT_CSV_COUNTS, reply, NULL), *mine = NULL;
        ExportOptions o = { .person = "wangjg" };
        unsigned total = 0;
        CsvTable t;

        csv_read(out + 3, &t);
        assert_string_equal(t.fields[0][3], "合计");
        assert_string_equal(t.fields[0][6], "法定节假日");
        assert_int_equal(t.n_records, 1 + ELEMENTSOF(leaders) + ELEMENTSOF(officers));
        /* 13 days, leaders in turn: 王建国 leads days 0, 6 and 12 (a workday, two holiday days). */
        assert_string_equal(t.fields[1][0], "wangjg");
        assert_string_equal(t.fields[1][1], "王建国");
        assert_string_equal(t.fields[1][2], "带班领导");
        assert_string_equal(t.fields[1][3], "3");
        for (size_t i = 1; i <= ELEMENTSOF(leaders); i++)
                assert_string_equal(t.fields[i][2], "带班领导");
        for (size_t i = 1; i < t.n_records; i++) {
                unsigned parts = 0;

                for (size_t j = 4; j < 9; j++)
                        parts += (unsigned) atoi(t.fields[i][j]);
                assert_int_equal(parts, (unsigned) atoi(t.fields[i][3]));
                total += parts;
                /* Counts stay numbers: no formula, no quote. */
                assert_null(strchr(t.fields[i][3], '='));
        }
        assert_int_equal(total, fixture_filled(reply));
        csv_free(&t);

        mine = render(EXPORT_FORMAT_CSV_COUNTS, reply, &o);
        csv_read(mine + 3, &t);
        assert_int_equal(t.n_records, 2);
        assert_string_equal(t.fields[1][0], "wangjg");
        csv_free(&t);
        json_decref(reply);
}

/* ---- iCalendar ---- */

typedef struct IcsEvent {
        char uid[128];
        char summary[128];
        time_t start, end;
} IcsEvent;

static const char *param_tzid(icalproperty *p) {
        icalparameter *tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);

        return tzid ? icalparameter_get_tzid(tzid) : NULL;
}

/* Parses an export with libical and returns its events, their times resolved through the
 * VTIMEZONE the export carries. */
static size_t ics_read(const char *text, IcsEvent *events, size_t max, char **ret_calname) {
        icalcomponent *cal = icalparser_parse_string(text), *ev;
        icaltimezone *zone;
        size_t n = 0;

        assert_non_null(cal);
        assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
        assert_string_equal(icalproperty_get_version(icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY)), "2.0");
        assert_non_null(icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY));

        for (icalproperty *p = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY); p;
             p = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY))
                if (streq(icalproperty_get_x_name(p), "X-WR-CALNAME"))
                        *ret_calname = strdup(icalproperty_get_x(p));
        assert_non_null(*ret_calname);

        assert_int_equal(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT), 1);
        zone = icalcomponent_get_timezone(cal, TZ);
        assert_non_null(zone);

        for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
                icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
                icalproperty *pe = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);

                assert_true(n < max);
                assert_non_null(ps);
                assert_non_null(pe);
                assert_string_equal(param_tzid(ps), TZ);
                assert_string_equal(param_tzid(pe), TZ);
                assert_non_null(icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY));
                assert_non_null(strstr(icalcomponent_get_description(ev), "电话："));

                snprintf(events[n].uid, sizeof(events[n].uid), "%s", icalcomponent_get_uid(ev));
                snprintf(events[n].summary, sizeof(events[n].summary), "%s", icalcomponent_get_summary(ev));
                events[n].start = icaltime_as_timet_with_zone(icalproperty_get_dtstart(ps), zone);
                events[n].end = icaltime_as_timet_with_zone(icalproperty_get_dtend(pe), zone);
                n++;
        }

        icalcomponent_free(cal);
        return n;
}

static void check_ics_lines(const char *text) {
        /* CRLF line ends, folded at 75 octets. */
        for (const char *p = text, *nl; *p; p = nl + 1) {
                nl = strchr(p, '\n');
                assert_non_null(nl);
                assert_true(nl > p && nl[-1] == '\r');
                assert_true(nl - 1 - p <= 75);
        }
}

static void test_ics(void **state) {
        json_t *reply = fixture_reply(true);
        ExportOptions o1 = { .now_usec = STAMP_USEC }, o2 = { .now_usec = STAMP_USEC + 3600 * USEC_PER_SEC };
        _cleanup_free_ char *a = render(EXPORT_FORMAT_ICS, reply, &o1), *b = render(EXPORT_FORMAT_ICS, reply, &o2);
        _cleanup_free_ char *name_a = NULL, *name_b = NULL;
        IcsEvent ea[64], eb[64];
        size_t n = ics_read(a, ea, ELEMENTSOF(ea), &name_a), nb = ics_read(b, eb, ELEMENTSOF(eb), &name_b);
        Day first;

        check_ics_lines(a);
        assert_non_null(strstr(name_a, OFFICE));
        assert_non_null(strstr(a, "TZID:" TZ "\r\n"));
        assert_null(strstr(a, "freeassociation"));

        /* One event per filled slot: not the empty one. */
        assert_int_equal(n, fixture_filled(reply));
        assert_int_equal(n, FIXTURE_DAYS + 4 + 9 * 2 - 1);
        assert_int_equal(nb, n);

        assert_int_equal(day_parse(FIXTURE_FROM, &first), 0);
        for (size_t i = 0; i < n; i++) {
                /* 08:30 in Beijing is 00:30 UTC; the duty lasts to the next handover. */
                Day d = (Day) ((ea[i].start - 30 * 60) / 86400);

                assert_int_equal((ea[i].start - 30 * 60) % 86400, 0);
                assert_true(d >= first && d < first + FIXTURE_DAYS);
                assert_int_equal(ea[i].end - ea[i].start, 86400);
                assert_true(strstr(ea[i].summary, "带班领导：") == ea[i].summary ||
                            strstr(ea[i].summary, "值班员：") == ea[i].summary);

                /* UIDs are unique, and the same in a later export. */
                for (size_t j = 0; j < i; j++)
                        assert_string_not_equal(ea[i].uid, ea[j].uid);
                assert_string_equal(ea[i].uid, eb[i].uid);
        }

        /* The first duty of the range, as a person reads it. */
        assert_string_equal(ea[0].summary, "带班领导：王建国");
        assert_int_equal(ea[0].start, (time_t) first * 86400 + 30 * 60);
        assert_non_null(strstr(ea[0].uid, "20260213-leader_on_call-0-wangjg"));
        for (size_t i = 0; i < n; i++)
                assert_null(strstr(ea[i].uid, "20260220-officer_on_duty-1"));
        json_decref(reply);
}

/* The feed as libical's restriction check sees it (METHOD:PUBLISH: an ORGANIZER in every event),
 * with the configured organizer and reminder. */
static void test_ics_organizer_alarm(void **state) {
        json_t *reply = fixture_reply(true);
        ExportOptions o = { .now_usec = STAMP_USEC };
        _cleanup_free_ char *plain = render(EXPORT_FORMAT_ICS, reply, &o), *text = NULL;
        icalcomponent *cal, *ev;
        size_t n = 0;

        cal = icalparser_parse_string(plain);
        assert_non_null(cal);
        assert_true(icalrestriction_check(cal));
        ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
        assert_string_equal(icalproperty_get_organizer(icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY)),
                            "mailto:duty@dutyd.invalid");
        assert_int_equal(icalcomponent_count_components(ev, ICAL_VALARM_COMPONENT), 0);
        icalcomponent_free(cal);

        assert_int_equal(json_object_set_new(reply, "ics_organizer", json_string("zbs@mouxian.gov.cn")), 0);
        assert_int_equal(json_object_set_new(reply, "ics_reminder_minutes", json_integer(45)), 0);
        text = render(EXPORT_FORMAT_ICS, reply, &o);
        check_ics_lines(text);
        cal = icalparser_parse_string(text);
        assert_non_null(cal);
        assert_true(icalrestriction_check(cal));
        for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
                icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
                icalparameter *cn = icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER);
                icalcomponent *alarm = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
                struct icaltriggertype trigger;

                assert_string_equal(icalproperty_get_organizer(org), "mailto:zbs@mouxian.gov.cn");
                assert_non_null(cn);
                assert_string_equal(icalparameter_get_cn(cn), OFFICE);
                assert_non_null(alarm);
                assert_int_equal(icalcomponent_count_components(ev, ICAL_VALARM_COMPONENT), 1);
                assert_int_equal(icalproperty_get_action(icalcomponent_get_first_property(alarm, ICAL_ACTION_PROPERTY)),
                                 ICAL_ACTION_DISPLAY);
                trigger = icalproperty_get_trigger(icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY));
                assert_int_equal(icaldurationtype_as_int(trigger.duration), -45 * 60);
                assert_string_equal(icalcomponent_get_description(alarm), icalcomponent_get_summary(ev));
                n++;
        }
        assert_int_equal(n, fixture_filled(reply));
        icalcomponent_free(cal);
        json_decref(reply);
}

static void test_ics_personal_feed(void **state) {
        json_t *reply = fixture_reply(true), *mine = fixture_filter(reply, "simayf");
        ExportOptions o = { .now_usec = STAMP_USEC, .person = "simayf" };
        _cleanup_free_ char *text = render(EXPORT_FORMAT_ICS, mine, &o), *name = NULL;
        IcsEvent ev[16];
        size_t n = ics_read(text, ev, ELEMENTSOF(ev), &name);

        assert_true(n >= 2);
        assert_int_equal(n, fixture_filled(mine));
        assert_non_null(strstr(name, "司马云飞"));
        for (size_t i = 0; i < n; i++)
                assert_string_equal(ev[i].summary, "值班员：司马云飞");
        json_decref(mine);
        json_decref(reply);
}

static void test_ics_without_tzdata(void **state) {
        json_t *reply = fixture_reply(true);
        ExportOptions o = { .now_usec = STAMP_USEC, .no_tzdata = true };
        _cleanup_free_ char *text = render(EXPORT_FORMAT_ICS, reply, &o), *name = NULL, *data = NULL;
        IcsEvent ev[64];
        size_t n = ics_read(text, ev, ELEMENTSOF(ev), &name), size;

        assert_non_null(strstr(text, "TZOFFSETTO:+0800\r\n"));
        assert_int_equal(n, fixture_filled(reply));
        assert_int_equal(ev[0].start, (time_t) day_from_ymd(2026, 2, 13) * 86400 + 30 * 60);
        assert_int_equal(ev[0].end - ev[0].start, 86400);

        /* A zone known neither here nor to the fixed table is refused, not guessed. */
        assert_int_equal(json_object_set_new(reply, "timezone", json_string("America/Nowhere")), 0);
        assert_int_equal(export_roster_to_buffer(EXPORT_FORMAT_ICS, reply, &o, &data, &size), -ENOENT);
        assert_null(data);
        json_decref(reply);
}

/* ---- HTML ---- */

static void test_html(void **state) {
        json_t *reply = fixture_reply(true), *unpublished = fixture_reply(false);
        json_t *a = json_array_get(json_object_get(json_array_get(json_object_get(reply, "days"), 4), "assignments"), 0);
        _cleanup_free_ char *out = NULL, *other = NULL, *lower = NULL, *person = NULL;
        ExportOptions o = { .now_usec = STAMP_USEC };

        assert_int_equal(json_object_set_new(a, "name", json_string("李<b>明&")), 0);
        out = render(EXPORT_FORMAT_HTML, reply, &o);

        /* Self-contained: nothing fetched, nothing run. */
        lower = strdup(out);
        assert_non_null(lower);
        for (char *p = lower; *p; p++)
                *p = (char) tolower((unsigned char) *p);
        assert_null(strstr(lower, "http"));
        assert_null(strstr(lower, "<script"));
        assert_null(strstr(lower, "src="));
        assert_null(strstr(lower, "url("));
        assert_null(strstr(lower, "<link"));

        assert_non_null(strstr(out, "<meta charset=\"utf-8\">"));
        assert_non_null(strstr(out, "@page { size: A4 portrait;"));
        /* Common Chinese fonts by name, a generic family last. */
        assert_non_null(strstr(out, "font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"SimSun\",\n"
                                    "       \"SimHei\", \"PingFang SC\", sans-serif;"));
        /* Dates, names, phones and headings never break inside. */
        assert_non_null(strstr(out, "word-break: keep-all"));
        assert_non_null(strstr(out, ".nw, .name, .phone, .mark, .post { white-space: nowrap; }"));
        assert_non_null(strstr(out, "td.date, td.wd { white-space: nowrap;"));
        assert_non_null(strstr(out, "th { background: #e0e0e0; white-space: nowrap;"));
        /* One title for the whole document, not one per section (which cost a page each). */
        assert_int_equal(count(out, "<h1>"), 1);
        assert_non_null(strstr(out, "<h1>" OFFICE "值班表</h1>"));
        /* Lists of one export flow on one page; only month grids start a new one. */
        assert_null(strstr(out, "section + section"));
        assert_non_null(strstr(out, "第 3 版"));
        assert_non_null(strstr(out, "李&lt;b&gt;明&amp;"));
        assert_null(strstr(out, "<b>"));
        assert_non_null(strstr(out, "class=\"empty\""));
        assert_non_null(strstr(out, "&quot;连续值班&quot;"));

        /* Each person's phone beside the name, in the same unbreakable unit. */
        assert_true(asprintf(&person, "<span class=\"person\"><span class=\"name\">%s</span><span class=\"phone\">%s</span></span>",
                             fixture_leader(1)->name, fixture_leader(1)->phone) > 0);
        assert_non_null(strstr(out, person));
        /* Nobody's phone without a name: no column of phones. */
        assert_null(strstr(out, "<th>电话</th>"));

        /* February before the holiday, the 春节 run on its own, February after it: a list each. */
        assert_int_equal(count(out, "<section class=\"list\">"), 3);
        assert_int_equal(count(out, "<table class=\"list\">"), 3);
        assert_non_null(strstr(out, "<h2>2026年2月（2026-02-13 至 2026-02-14）<span class=\"version\">第 3 版</span></h2>"));
        assert_non_null(strstr(out, "<h2>春节（2026-02-15 至 2026-02-23）<span class=\"version\">第 3 版</span></h2>"));
        assert_non_null(strstr(out, "<h2>2026年2月（2026-02-24 至 2026-02-25）"));
        assert_int_equal(count(out, "<tr class=\"holiday\">"), 9);
        assert_int_equal(count(out, "<tr class=\"makeup\">"), 1);
        assert_int_equal(count(out, "<tr class=\"workday\">"), 3);
        assert_int_equal(count(out, "<td class=\"date\">"), FIXTURE_DAYS);
        /* Black and white: a 休 beside each day off, a 班 beside the make-up workday (and the legend). */
        assert_int_equal(count(out, "<span class=\"mark off\">休</span>"), 9 + 1);
        assert_int_equal(count(out, "<span class=\"mark\">班</span>"), 1 + 1);
        assert_non_null(strstr(out, "repeating-linear-gradient"));

        /* Without print settings, the signature line is there to be filled in by hand. */
        assert_non_null(strstr(out, "制表人：　　　　"));
        assert_non_null(strstr(out, "审核人：　　　　"));
        assert_non_null(strstr(out, "制表日期：2026年1月20日"));
        assert_null(strstr(out, "值班要求"));
        assert_null(strstr(out, "值班室电话"));

        other = render(EXPORT_FORMAT_HTML, unpublished, NULL);
        assert_non_null(strstr(other, "未发布"));
        assert_null(strstr(other, "第 3 版"));
        assert_null(strstr(other, " 版"));
        json_decref(unpublished);
        json_decref(reply);
}

/* The office's words from the configuration: the duty room's phone, the requirements (lines kept),
 * who drew it up and who checked it. */
static void test_html_print_settings(void **state) {
        json_t *reply = fixture_reply(true);
        _cleanup_free_ char *out = NULL;
        ExportOptions o = { .now_usec = STAMP_USEC };

        assert_int_equal(json_object_set_new(reply, "office_phone", json_string("0791-88888110")), 0);
        assert_int_equal(json_object_set_new(reply, "requirements", json_string("1. 在岗在位。\n2. <及时>报告。")), 0);
        assert_int_equal(json_object_set_new(reply, "prepared_by", json_string("县委办值班室")), 0);
        assert_int_equal(json_object_set_new(reply, "reviewed_by", json_string("县委办主任")), 0);
        /* A sensitive period over two days, with a name too long for a cell. */
        for (size_t i = 5; i <= 6; i++)
                assert_int_equal(json_object_set_new(json_object_get(json_array_get(json_object_get(reply, "days"), i), "day"),
                                                     "sensitive", json_string("中国共产党某某县第十六次代表大会")), 0);
        out = render(EXPORT_FORMAT_HTML, reply, &o);

        /* The period's name once under the table, its days marked in the cells. */
        assert_int_equal(count(out, "中国共产党某某县第十六次代表大会"), 1);
        assert_non_null(strstr(out, "<p class=\"note\">重要敏感时期：中国共产党某某县第十六次代表大会"
                                    "<span class=\"nw\">（2026-02-18 至 2026-02-19）</span></p>"));
        assert_int_equal(count(out, "<td class=\"fest\"><span class=\"nw\">春节</span>，<span class=\"nw\">重要敏感时期</span></td>"), 2);

        assert_non_null(strstr(out, "<span>值班室电话：0791-88888110</span>"));
        assert_non_null(strstr(out, "<h3>值班要求</h3>\n<p class=\"req\">1. 在岗在位。\n2. &lt;及时&gt;报告。</p>"));
        assert_non_null(strstr(out, "white-space: pre-line"));
        assert_non_null(strstr(out, "<span>制表人：县委办值班室</span><span>审核人：县委办主任</span>"
                                    "<span>制表日期：2026年1月20日</span>"));
        json_decref(reply);
}

/* A daemon that publishes day by day: the version only where published, the changes since. */
static void test_html_versions(void **state) {
        json_t *reply = fixture_reply(false), *days;
        _cleanup_free_ char *out = NULL, *table = NULL;

        /* The 春节 run (days 2…10) is version 2 with one slot changed on each of two days; the
         * days around it are not published. */
        days = json_object_get(reply, "days");
        for (size_t i = 2; i <= 10; i++) {
                json_t *rd = json_array_get(days, i);

                assert_int_equal(json_object_set_new(rd, "version", json_integer(2)), 0);
                assert_int_equal(json_object_set_new(rd, "amendments", json_integer(i == 4 || i == 7 ? 1 : 0)), 0);
        }
        assert_int_equal(json_object_set_new(reply, "version", json_integer(2)), 0);
        assert_int_equal(json_object_set_new(reply, "amendments", json_integer(2)), 0);

        out = render(EXPORT_FORMAT_HTML, reply, NULL);
        assert_non_null(strstr(out, "<h2>2026年2月（2026-02-13 至 2026-02-14）<span class=\"version\">未发布</span></h2>"));
        assert_non_null(strstr(out, "<h2>春节（2026-02-15 至 2026-02-23）<span class=\"version\">第 2 版，已变更 2 处</span></h2>"));
        assert_non_null(strstr(out, "<h2>2026年2月（2026-02-24 至 2026-02-25）<span class=\"version\">未发布</span></h2>"));
        assert_int_equal(count(out, "第 2 版"), 1);

        /* Unamended, nothing said of changes. */
        json_object_set_new(json_array_get(days, 4), "amendments", json_integer(0));
        json_object_set_new(json_array_get(days, 7), "amendments", json_integer(0));
        free(out);
        out = render(EXPORT_FORMAT_HTML, reply, NULL);
        assert_non_null(strstr(out, "<span class=\"version\">第 2 版</span>"));
        assert_null(strstr(out, "已变更"));

        /* A section partly published says so. */
        json_object_set_new(json_array_get(days, 11), "version", json_integer(1));
        free(out);
        out = render(EXPORT_FORMAT_HTML, reply, NULL);
        assert_non_null(strstr(out, "<h2>2026年2月（2026-02-24 至 2026-02-25）<span class=\"version\">第 1 版（部分日期未发布）</span></h2>"));

        /* An older daemon's top-level version and amendments, without days of their own. */
        json_decref(reply);
        reply = fixture_reply(true);
        assert_int_equal(json_object_set_new(reply, "amendments", json_integer(5)), 0);
        free(out);
        out = render(EXPORT_FORMAT_HTML, reply, NULL);
        assert_int_equal(count(out, "第 3 版，已变更 5 处"), 3);
        table = render(EXPORT_FORMAT_TABLE, reply, NULL);
        assert_non_null(strstr(table, "version 3, amended 5 times"));
        json_decref(reply);
}

/* A month and more: one calendar grid per month, Monday first, every day in its cell. */
static void test_html_month_grid(void **state) {
        json_t *reply = json_pack("{s:s, s:s, s:s, s:[]}", "office", OFFICE, "timezone", TZ, "handover", "08:30", "days");
        json_t *days = json_object_get(reply, "days");
        _cleanup_free_ char *out = NULL;

        /* 2026-09-28 (a Monday) … 2026-10-31: two months, the 国庆 days off and a make-up Saturday. */
        for (Day d = day_from_ymd(2026, 9, 28); d <= day_from_ymd(2026, 10, 31); d++) {
                char date[DAY_STRING_MAX];
                bool off = d >= day_from_ymd(2026, 10, 1) && d <= day_from_ymd(2026, 10, 7);
                json_t *cal = json_pack("{s:s, s:i, s:s}", "date", day_format(d, date), "weekday", day_weekday(d),
                                        "type", off ? "holiday" : d == day_from_ymd(2026, 10, 10) ? "makeup_workday" :
                                                day_is_weekend(d) ? "weekend" : "workday");

                if (off)
                        json_object_set_new(cal, "holiday", json_string("国庆节"));
                assert_int_equal(json_array_append_new(days, json_pack("{s:o, s:[o]}", "day", cal, "assignments",
                        fixture_assignment(date, "leader_on_call", "带班领导", "leader", 0,
                                           fixture_leader((size_t) d), NULL))), 0);
        }

        out = render(EXPORT_FORMAT_HTML, reply, NULL);
        assert_int_equal(count(out, "<section class=\"month\">"), 2);
        assert_int_equal(count(out, "<table class=\"grid\">"), 2);
        assert_non_null(strstr(out, "section.month + section.month { break-before: page;"));
        /* Each month's page carries the title. */
        assert_int_equal(count(out, "<h1>"), 2);
        assert_non_null(strstr(out, "<h2>2026年9月（2026-09-28 至 2026-09-30）"));
        assert_non_null(strstr(out, "<h2>2026年10月（2026-10-01 至 2026-10-31）"));
        /* September: one week, Thursday to Sunday blank. October: Monday 09-28 … Sunday 11-01. */
        assert_int_equal(count(out, "<td class=\"out\"></td>"), 4 + 3 + 1);
        assert_int_equal(count(out, "<th>星期一</th>"), 2);
        assert_int_equal(count(out, "<td class=\"holiday\"><span class=\"dn\">"), 7);
        assert_non_null(strstr(out, "<td class=\"makeup\"><span class=\"dn\">10</span><span class=\"mark\">班</span>"));
        assert_non_null(strstr(out, "<td class=\"weekend\"><span class=\"dn\">11</span>"));
        assert_int_equal(count(out, "<span class=\"role\">带</span>"), 34);
        json_decref(reply);
}

/* ---- JSON, malformed replies, files ---- */

static void test_json_as_is(void **state) {
        json_t *reply = fixture_reply(true), *back;
        _cleanup_free_ char *out = render(EXPORT_FORMAT_JSON, reply, NULL);
        json_error_t error;

        assert_non_null(strstr(out, "王建国"));        /* UTF-8, not \u escapes */
        assert_non_null(strstr(out, "\n  \"office\""));
        back = json_loads(out, 0, &error);
        assert_non_null(back);
        assert_true(json_equal(back, reply));
        json_decref(back);
        json_decref(reply);
}

static void test_malformed(void **state) {
        static const char *const broken[] = {
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\"}",
                "{\"handover\": \"08:30\", \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"8.30\", \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"days\": [{\"assignments\": []}]}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"days\": "
                "[{\"day\": {\"date\": \"2026-02-30\", \"type\": \"workday\"}, \"assignments\": []}]}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"days\": "
                "[{\"day\": {\"date\": \"2026-02-13\", \"type\": \"workday\"}, \"assignments\": [{\"post\": 1}]}]}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"version\": \"3\", \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"amendments\": -1, \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"ics_reminder_minutes\": 99999, \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"office_phone\": 791, \"days\": []}",
                "{\"timezone\": \"Asia/Shanghai\", \"handover\": \"08:30\", \"days\": "
                "[{\"day\": {\"date\": \"2026-02-13\", \"type\": \"workday\"}, \"version\": \"2\", \"assignments\": []}]}",
        };

        for (size_t i = 0; i < ELEMENTSOF(broken); i++) {
                json_t *v = json_loads(broken[i], 0, NULL);
                char *data = NULL;
                size_t size;

                assert_non_null(v);
                for (ExportFormat f = 0; f < _EXPORT_FORMAT_MAX; f++) {
                        if (f == EXPORT_FORMAT_JSON)
                                continue;
                        assert_int_equal(export_roster_to_buffer(f, v, NULL, &data, &size), -EBADMSG);
                        assert_null(data);
                }
                json_decref(v);
        }
}

static size_t dir_entries(const char *path) {
        DIR *d = opendir(path);
        struct dirent *de;
        size_t n = 0;

        assert_non_null(d);
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

static void test_write_file(void **state) {
        char dir[] = "/tmp/test-export-XXXXXX";
        _cleanup_free_ char *path = NULL, *missing = NULL;
        char buf[64] = {};
        struct stat st;
        mode_t old_umask;
        FILE *f;

        assert_non_null(mkdtemp(dir));
        assert_true(asprintf(&path, "%s/值班表.csv", dir) > 0);
        assert_true(asprintf(&missing, "%s/no/such/dir/x.csv", dir) > 0);

        /* Mode 0644 whatever the umask; the old file is replaced whole. */
        old_umask = umask(077);
        assert_int_equal(export_write_file(path, "old", 3), 0);
        assert_int_equal(export_write_file(path, "new contents", 12), 0);
        umask(old_umask);

        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        f = fopen(path, "re");
        assert_non_null(f);
        assert_int_equal(fread(buf, 1, sizeof(buf) - 1, f), 12);
        fclose(f);
        assert_string_equal(buf, "new contents");

        /* A failed write leaves nothing behind: no temporary file, no partial file. */
        assert_int_equal(export_write_file(missing, "x", 1), -ENOENT);
        assert_int_equal(dir_entries(dir), 1);

        assert_int_equal(unlink(path), 0);
        assert_int_equal(rmdir(dir), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fixture_matches_interface),
                cmocka_unit_test(test_format_names),
                cmocka_unit_test(test_table_aligned),
                cmocka_unit_test(test_table_unpublished_and_unscheduled),
                cmocka_unit_test(test_table_posts),
                cmocka_unit_test(test_csv),
                cmocka_unit_test(test_csv_formula_guard),
                cmocka_unit_test(test_csv_phones_as_text),
                cmocka_unit_test(test_csv_person_long),
                cmocka_unit_test(test_csv_counts),
                cmocka_unit_test(test_ics),
                cmocka_unit_test(test_ics_personal_feed),
                cmocka_unit_test(test_ics_organizer_alarm),
                cmocka_unit_test(test_ics_without_tzdata),
                cmocka_unit_test(test_html),
                cmocka_unit_test(test_html_print_settings),
                cmocka_unit_test(test_html_versions),
                cmocka_unit_test(test_html_month_grid),
                cmocka_unit_test(test_json_as_is),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_write_file),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
