/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

/* dutyctl.c's family list and global options are static; the test compiles them in, renaming main. */
int dutyctl_main(int argc, char *argv[]);
#define main dutyctl_main
#include "dutyctl.c"
#include "output.h"
#include "source-file.h"
#undef main

#define LINES_MAX 32

/* Splits a NUL-terminated buffer into lines (modifies it). Returns the number of lines. */
static size_t split_lines(char *buf, char *lines[static LINES_MAX]) {
        size_t n = 0;

        for (char *p = buf, *nl; *p; p = nl + 1) {
                nl = strchr(p, '\n');
                assert_non_null(nl);    /* every line is terminated */
                *nl = '\0';
                assert_true(n < LINES_MAX);
                lines[n++] = p;
        }
        return n;
}

/* Width of the first len bytes of s, by this module and by the C library. */
static size_t prefix_width(const char *s, size_t len) {
        _cleanup_free_ char *p = strndup(s, len);

        assert_non_null(p);
        return utf8_width(p);
}

static int prefix_wcswidth(const char *s, size_t len) {
        _cleanup_free_ char *p = strndup(s, len);
        wchar_t w[256];
        size_t n;

        assert_non_null(p);
        n = mbstowcs(w, p, ELEMENTSOF(w));
        assert_true(n != (size_t) -1 && n < ELEMENTSOF(w));
        return wcswidth(w, n);
}

static char *render_table(const Table *t) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        assert_non_null(f);
        assert_int_equal(table_print(t, f), 0);
        assert_int_equal(fclose(f), 0);
        return buf;
}

static void test_utf8_width(void **state) {
        assert_int_equal(utf8_width(""), 0);
        assert_int_equal(utf8_width(NULL), 0);
        assert_int_equal(utf8_width("abc"), 3);
        assert_int_equal(utf8_width("zhang_wei 01"), 12);
        assert_int_equal(utf8_width("张伟"), 4);
        assert_int_equal(utf8_width("欧阳明"), 6);
        assert_int_equal(utf8_width("Bob 张伟"), 8);
        assert_int_equal(utf8_width("党委书记(兼)"), 12);
        assert_int_equal(utf8_width("，"), 2);                  /* U+FF0C fullwidth comma */
        assert_int_equal(utf8_width("。"), 2);                  /* U+3002 ideographic full stop */
        assert_int_equal(utf8_width("ＡＢ"), 4);                /* fullwidth Latin */
        assert_int_equal(utf8_width("ｱ"), 1);                   /* halfwidth katakana stays narrow */
        assert_int_equal(utf8_width("한국"), 4);
        assert_int_equal(utf8_width("\xf0\xa0\x80\x80"), 2);    /* U+20000, extension B */
        assert_int_equal(utf8_width("e\xcc\x81"), 1);           /* e + combining acute */
        assert_int_equal(utf8_width("\xcc\x81"), 0);            /* the combining mark alone */
        assert_int_equal(utf8_width("a\xe2\x80\x8b" "b"), 2);   /* zero width space */
        assert_int_equal(utf8_width("é"), 1);
        assert_int_equal(utf8_width("Ω"), 1);

        /* Invalid input: one cell per offending byte, never a read past the end. */
        assert_int_equal(utf8_width("\xff"), 1);
        assert_int_equal(utf8_width("\xe5\xbc"), 2);            /* truncated 张 */
        assert_int_equal(utf8_width("\xc0\xaf"), 2);            /* overlong '/' */
        assert_int_equal(utf8_width("\xed\xa0\x80"), 3);        /* surrogate */
        assert_int_equal(utf8_width("a\xe5\xbc" "b"), 4);
}

/* The range tables agree with the C library's wcwidth() on the blocks a roster uses. */
static void test_unichar_width_matches_libc(void **state) {
        static const struct {
                uint32_t first, last;
        } blocks[] = {
                { 0x0020, 0x007E },
                { 0x00A0, 0x024F },
                { 0x0300, 0x036F },
                { 0x3001, 0x3029 },
                { 0x3041, 0x3096 },
                { 0x30A1, 0x30FA },
                { 0x4E00, 0x9FEF },
                { 0xAC00, 0xD7A3 },
                { 0xFF01, 0xFF60 },
                { 0xFFE0, 0xFFE6 },
                { 0xFF61, 0xFF9F },
        };

        if (!setlocale(LC_ALL, "C.UTF-8"))
                skip();

        for (size_t b = 0; b < ELEMENTSOF(blocks); b++)
                for (uint32_t c = blocks[b].first; c <= blocks[b].last; c++) {
                        int w = wcwidth((wchar_t) c);

                        if (w < 0)      /* unassigned in this libc */
                                continue;
                        if (unichar_width(c) != w)
                                fail_msg("U+%04X: %d cells, libc says %d", (unsigned) c, unichar_width(c), w);
                }

        setlocale(LC_ALL, "C");
}

static void test_table_alignment(void **state) {
        static const char *const rows[][3] = {
                { "张伟", "|党委书记", "#1" },
                { "欧阳明", "|办公室主任", "#2" },
                { "李", "|-", "#3" },
                { "Bob Smith", "|Secretary，秘书", "#4" },
                { "José", "|ＡＢ", "#5" },
                { "", "|", "#6" },
        };
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *out = NULL;
        char *lines[LINES_MAX];
        size_t n, col2 = 0, col3 = 0;
        int wcol2 = 0, wcol3 = 0;

        assert_int_equal(table_new(3, (const char *const[]) { "姓名", "|职务", "#" }, &t), 0);
        for (size_t i = 0; i < ELEMENTSOF(rows); i++)
                assert_int_equal(table_add_row(t, rows[i]), 0);
        assert_int_equal(table_n_rows(t), ELEMENTSOF(rows));

        out = render_table(t);
        assert_true(setlocale(LC_ALL, "C.UTF-8") != NULL);

        n = split_lines(out, lines);
        assert_int_equal(n, ELEMENTSOF(rows) + 1);

        for (size_t i = 0; i < n; i++) {
                const char *bar = strchr(lines[i], '|'), *hash = strchr(lines[i], '#');
                size_t w2, w3;

                assert_non_null(bar);
                assert_non_null(hash);

                w2 = prefix_width(lines[i], (size_t) (bar - lines[i]));
                w3 = prefix_width(lines[i], (size_t) (hash - lines[i]));
                if (i == 0) {
                        col2 = w2;
                        col3 = w3;
                        wcol2 = prefix_wcswidth(lines[i], (size_t) (bar - lines[i]));
                        wcol3 = prefix_wcswidth(lines[i], (size_t) (hash - lines[i]));
                }
                assert_int_equal(w2, col2);
                assert_int_equal(w3, col3);
                assert_int_equal(prefix_wcswidth(lines[i], (size_t) (bar - lines[i])), wcol2);
                assert_int_equal(prefix_wcswidth(lines[i], (size_t) (hash - lines[i])), wcol3);
                /* No trailing blanks after the last column. */
                assert_true(lines[i][strlen(lines[i]) - 1] != ' ');
        }

        /* Widest name "Bob Smith" (9 cells) plus the two-space separator. */
        assert_int_equal(col2, 9 + 2);
        assert_int_equal(wcol2, 9 + 2);
        /* Widest title "|Secretary，秘书" is 16 cells. */
        assert_int_equal(col3, col2 + 16 + 2);

        setlocale(LC_ALL, "C");
}

static void test_table_pairs(void **state) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *out = NULL;
        char *lines[LINES_MAX];
        size_t n, colon = 0;

        assert_int_equal(table_new_pairs(&t), 0);
        assert_int_equal(table_add_pair(t, "版本", "%s", "0.1.0"), 0);
        assert_int_equal(table_add_pair(t, "交接班时间", "%02d:%02d", 8, 30), 0);
        assert_int_equal(table_add_pair(t, "uid", "%d", 1000), 0);

        out = render_table(t);
        n = split_lines(out, lines);
        assert_int_equal(n, 3);

        for (size_t i = 0; i < n; i++) {
                const char *c = strstr(lines[i], ": ");
                size_t w;

                assert_non_null(c);
                w = prefix_width(lines[i], (size_t) (c - lines[i]));
                if (i == 0)
                        colon = w;
                assert_int_equal(w, colon);
        }
        assert_int_equal(colon, utf8_width("交接班时间"));
        assert_string_equal(lines[1], "交接班时间: 08:30");
        assert_string_equal(lines[2], "       uid: 1000");

        /* Pairs need exactly two columns. */
        table_free(TAKE_PTR(t));
        assert_int_equal(table_new(3, NULL, &t), 0);
        assert_int_equal(table_add_pair(t, "a", "b"), -EINVAL);
        assert_int_equal(table_n_rows(t), 0);
}

static void test_table_invalid(void **state) {
        Table *t = (Table *) 0x1;

        assert_int_equal(table_new(0, NULL, &t), -EINVAL);
        assert_int_equal(table_new(TABLE_COLUMNS_MAX + 1, NULL, &t), -EINVAL);
        assert_ptr_equal(t, (Table *) 0x1);     /* untouched on failure */
        assert_null(table_free(NULL));

        assert_int_equal(table_new(2, NULL, &t), 0);
        assert_int_equal(table_set_align(t, 2, TABLE_ALIGN_RIGHT), -EINVAL);
        assert_int_equal(table_set_align(t, 0, _TABLE_ALIGN_INVALID), -EINVAL);
        /* A NULL cell prints as empty. */
        assert_int_equal(table_add_row(t, (const char *const[]) { NULL, "x" }), 0);
        {
                _cleanup_free_ char *out = render_table(t);

                assert_string_equal(out, "  x\n");
        }
        table_free(t);
}

/* What the daemon sent is printed escaped as cescape() would: no byte that makes a terminal act
 * reaches it, CJK and other printable text is kept, and the escaped cells still line up. */
static void test_text_escape(void **state) {
        static const struct {
                const char *in, *out;
        } cases[] = {
                { "北京 朝阳区", "北京 朝阳区" },
                { "\x1b]0;pwned\x07", "\\x1b]0;pwned\\a" },
                { "\x1b[2J\x1b[1;32mapproved", "\\x1b[2J\\x1b[1;32mapproved" },
                { "a\tb\nc\rd\be\ff\vg", "a\\tb\\nc\\rd\\be\\ff\\vg" },
                { "del\x7f", "del\\x7f" },
                { "\x01\x1f", "\\x01\\x1f" },
                { "csi\xc2\x9b" "2J nel\xc2\x85", "csi\\u009b2J nel\\u0085" },
                { "\xe2\x80\xae" "gnp.exe", "\\u202egnp.exe" },
                { "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d" },
                { "\xe2\x81\xa6x\xe2\x81\xa7y\xe2\x81\xa8z\xe2\x81\xa9", "\\u2066x\\u2067y\\u2068z\\u2069" },
                { "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\\u200e\\u200f\\u061c" },
                { "back\\slash", "back\\\\slash" },
                { "bad \x9b" "2J \xff", "bad \\x9b2J \\xff" },
                { "cut \xe4\xb8", "cut \\xe4\\xb8" },
                { "zwj a\xe2\x80\x8d" "b \xc2\xa0 \xf0\x9f\x98\x80", "zwj a\xe2\x80\x8d" "b \xc2\xa0 \xf0\x9f\x98\x80" },
                { "", "" },
        };
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *out = NULL;
        char *lines[LINES_MAX];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *e = text_escape(cases[i].in);

                assert_non_null(e);
                assert_string_equal(e, cases[i].out);
                assert_null(strchr(e, '\x1b'));
        }
        assert_null(text_escape(NULL));

        /* Every table cell goes through it, and widths are those of the escaped text. */
        assert_int_equal(table_new_pairs(&t), 0);
        assert_int_equal(table_add_pair(t, "目的地", "%s", "\x1b]0;root\x07\x1b[2J"), 0);
        assert_int_equal(table_add_pair(t, "事由", "%s", "\xe2\x80\xae" "已批准"), 0);
        out = render_table(t);
        assert_null(strchr(out, '\x1b'));
        assert_null(strchr(out, '\a'));
        assert_null(strstr(out, "\xe2\x80\xae"));
        assert_int_equal(split_lines(out, lines), 2);
        assert_string_equal(lines[0], "目的地: \\x1b]0;root\\a\\x1b[2J");
        assert_string_equal(lines[1], "  事由: \\u202e已批准");
}

/* buf parses back to v, which is released. */
static void assert_parses_back(const char *buf, json_t *v) {
        json_t *back = json_loads(buf, 0, NULL);

        assert_non_null(back);
        assert_true(json_equal(back, v));
        json_decref(back);
        json_decref(v);
}

static void test_output_json(void **state) {
        json_t *v = json_pack("{s:s, s:[s, s], s:i, s:n}", "name", "张伟", "roles", "leader", "officer",
                              "uid", 1000, "title");
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        assert_non_null(v);
        f = open_memstream(&buf, &size);
        assert_non_null(f);
        assert_int_equal(output_json(f, v), 0);
        assert_int_equal(fclose(f), 0);

        assert_true(size > 0 && buf[size - 1] == '\n');
        assert_non_null(strstr(buf, "\"张伟\""));         /* UTF-8 kept, not \u-escaped */
        assert_non_null(strstr(buf, "\n  \"name\""));      /* indented by two */

        assert_parses_back(buf, v);
        free(buf);

        /* Stored text with ESC, DEL, a C1 control and a bidi override: the document parses back to
         * the same strings, and none of them reaches the terminal raw. */
        v = json_pack("{s:s, s:s}", "destination", "\x1b]0;x\x07北京\x7f", "reason", "\xc2\x9b" "2J\xe2\x80\xae" "已批准");
        assert_non_null(v);
        buf = NULL;
        f = open_memstream(&buf, &size);
        assert_non_null(f);
        assert_int_equal(output_json(f, v), 0);
        assert_int_equal(fclose(f), 0);
        assert_null(strchr(buf, '\x1b'));
        assert_null(strchr(buf, '\x7f'));
        assert_null(strstr(buf, "\xc2\x9b"));
        assert_null(strstr(buf, "\xe2\x80\xae"));
        assert_non_null(strstr(buf, "\\u202e已批准"));
        assert_non_null(strstr(buf, "北京\\u007f"));
        assert_parses_back(buf, v);
        free(buf);
}

static void test_verb_table(void **state) {
        _cleanup_free_ char *error = NULL;
        _cleanup_free_ Verb *verbs = NULL;
        size_t n_verbs = 0;

        assert_int_equal(verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs), 0);

        assert_int_equal(verbs_verify(verbs, n_verbs, &error), 0);
        assert_null(error);
        assert_int_equal(verbs_verify(verbs, n_verbs, NULL), 0);

        for (size_t i = 0; i < n_verbs; i++) {
                assert_false(isempty(verbs[i].help));
                assert_non_null(verbs[i].synopsis);
                /* The synopsis shows every flag of the verb. */
                for (size_t j = 0; j < verbs[i].n_options; j++) {
                        _cleanup_free_ char *flag = NULL;

                        assert_true(asprintf(&flag, "--%s", verbs[i].options[j].name) > 0);
                        assert_non_null(strstr(verbs[i].synopsis, flag));
                        assert_false(isempty(verbs[i].options[j].help));
                }
                assert_ptr_equal(verb_find(verbs, n_verbs, verbs[i].name), verbs + i);
        }
        assert_null(verb_find(verbs, n_verbs, "frobnicate"));
        assert_non_null(verb_find(verbs, n_verbs, "status"));
        assert_non_null(verb_find(verbs, n_verbs, "whoami"));
        assert_non_null(verb_find(verbs, n_verbs, "people"));
}

static void test_verbs_verify_rejects(void **state) {
        static const VerbOption dup_options[] = {
                { "role", '\0', "ROLE", "a" },
                { "role", '\0', NULL, "b" },
        };
        static const VerbOption help_options[] = {
                { "help", '\0', NULL, "a" },
        };
        const Verb no_help[] = { { "a", "", "", 0, 0, NULL, 0, verb_call, NULL, NULL, 0, NULL } };
        const Verb no_synopsis[] = { { "a", NULL, "x", 0, 0, NULL, 0, verb_call, NULL, NULL, 0, NULL } };
        const Verb bad_counts[] = { { "a", "", "x", 2, 1, NULL, 0, verb_call, NULL, NULL, 0, NULL } };
        const Verb twice[] = {
                { "a", "", "x", 0, 0, NULL, 0, verb_call, NULL, NULL, 0, NULL },
                { "a", "", "y", 0, 0, NULL, 0, verb_call, NULL, NULL, 0, NULL },
        };
        const Verb dup_option[] = { { "a", "", "x", 0, 0, dup_options, 2, verb_call, NULL, NULL, 0, NULL } };
        const Verb shadow[] = { { "a", "", "x", 0, 0, help_options, 1, verb_call, NULL, NULL, 0, NULL } };
        const Verb no_run[] = { { "a", "", "x", 0, 0, NULL, 0, NULL, NULL, NULL, 0, NULL } };
        const Verb *bad[] = { no_help, no_synopsis, bad_counts, dup_option, shadow, no_run };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(verbs_verify(bad[i], 1, &error), -EINVAL);
                assert_non_null(error);
        }
        {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(verbs_verify(twice, 2, &error), -EINVAL);
                assert_non_null(strstr(error, "twice"));
        }
}

/* Each row's method is one the interface declares, and no two rows call the same one. */
static void test_verb_methods(void **state) {
        _cleanup_free_ Verb *verbs = NULL;
        _cleanup_free_ char *idl = source_file_read("daemon/io.dutyd.Duty.varlink");
        size_t n_verbs = 0, with_method = 0;

        assert_int_equal(verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs), 0);

        for (size_t i = 0; i < n_verbs; i++) {
                _cleanup_free_ char *decl = NULL;

                if (!verbs[i].method) {
                        /* Only me and log print (the day's log with its roster) compose their
                         * view from several methods. */
                        assert_true(streq(verbs[i].name, "me") || streq(verbs[i].name, "log print"));
                        continue;
                }
                with_method++;
                assert_true(asprintf(&decl, "\nmethod %s(", verbs[i].method) > 0);
                assert_non_null(strstr(idl, decl));
                for (size_t j = 0; j < i; j++)
                        assert_false(verbs[j].method && streq(verbs[j].method, verbs[i].method));
        }
        assert_int_equal(with_method, n_verbs - 2);
}

/* Builds the parameters of verb from argv through its row's argument shape. */
static int build(const Verb *verbs, size_t n_verbs, const char *verb, char **argv, json_t **ret) {
        _cleanup_(verb_args_done) VerbArgs a = {};
        int argc = 0, r;

        while (argv[argc])
                argc++;
        r = verb_parse(verb_find(verbs, n_verbs, verb), argc, argv, &a, NULL);
        if (r < 0)
                return r;
        return verb_params_build(&a, ret);
}

static void assert_params(const Verb *verbs, size_t n_verbs, const char *verb, char **argv, const char *expected) {
        json_t *params = NULL, *want = json_loads(expected, 0, NULL);

        assert_non_null(want);
        assert_int_equal(build(verbs, n_verbs, verb, argv, &params), 0);
        assert_non_null(params);
        if (!json_equal(params, want)) {
                char *got = json_dumps(params, JSON_SORT_KEYS);

                print_error("%s: got %s, expected %s\n", verb, got, expected);
                free(got);
                fail();
        }
        json_decref(params);
        json_decref(want);
}

static void test_decision_verbs(void **state) {
        static const char *const decisions[] = {
                "leave approve", "leave reject", "leave cancel", "leave return", "leave paperwork", "leave show",
                "swap show", "swap accept", "swap decline", "swap approve", "swap cancel",
        };
        _cleanup_free_ Verb *verbs = NULL;
        size_t n_verbs = 0;
        json_t *params = NULL;

        assert_int_equal(verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs), 0);

        /* One handler for every verb deciding on a leave or a swap by its number. */
        for (size_t i = 0; i < ELEMENTSOF(decisions); i++) {
                const Verb *v = verb_find(verbs, n_verbs, decisions[i]);

                assert_non_null(v);
                assert_ptr_equal(v->run, verb_call);
                assert_true(v->n_params > 0);
        }

        assert_params(verbs, n_verbs, "leave approve", (char *[]) { "approve", "12", NULL }, "{\"id\": 12}");
        assert_params(verbs, n_verbs, "leave reject", (char *[]) { "reject", "3", "--reason", "no", "--override", NULL },
                      "{\"id\": 3, \"reason\": \"no\", \"override\": true}");
        assert_params(verbs, n_verbs, "leave return", (char *[]) { "return", "4", "--at", "2026-05-01 08:30", NULL },
                      "{\"id\": 4, \"at\": \"2026-05-01 08:30\"}");
        /* A time as the replies write it (0.14) is passed on as it is. */
        assert_params(verbs, n_verbs, "leave return", (char *[]) { "return", "4", "--at", "2026-05-01T00:30:00Z", NULL },
                      "{\"id\": 4, \"at\": \"2026-05-01T00:30:00Z\"}");
        assert_params(verbs, n_verbs, "leave cancel", (char *[]) { "cancel", "5", NULL }, "{\"id\": 5}");
        /* A swap's decision takes its text as "reason", as a leave's does (0.14). */
        assert_params(verbs, n_verbs, "swap decline", (char *[]) { "decline", "6", "--reason", "ill", NULL },
                      "{\"id\": 6, \"reason\": \"ill\"}");
        assert_params(verbs, n_verbs, "swap accept", (char *[]) { "accept", "7", NULL }, "{\"id\": 7}");
        /* A run-time period's number is an integer (0.14); a configured id is refused before sending. */
        assert_params(verbs, n_verbs, "sensitive remove", (char *[]) { "remove", "3", NULL }, "{\"id\": 3}");
        assert_params(verbs, n_verbs, "unavailable list", (char *[]) { "list", NULL }, "{}");
        /* leave request's texts; its handler adds where the leave is spent. */
        assert_params(verbs, n_verbs, "leave request",
                      (char *[]) { "request", "--from", "2026-05-01", "--to", "2026-05-02 pm", "--destination", "南昌",
                                   "--reason", "family", "--for", "liuf", "--local", NULL },
                      "{\"from\": \"2026-05-01\", \"to\": \"2026-05-02 pm\", \"destination\": \"南昌\", "
                      "\"reason\": \"family\", \"person\": \"liuf\"}");

        /* Usage errors, before anything is sent. */
        assert_int_equal(build(verbs, n_verbs, "leave approve", (char *[]) { "approve", "x", NULL }, &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "leave approve", (char *[]) { "approve", "0", NULL }, &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "leave approve", (char *[]) { "approve", "1x", NULL }, &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "swap accept", (char *[]) { "accept", "-1", NULL }, &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "sensitive remove", (char *[]) { "remove", "s1", NULL }, &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "swap show", (char *[]) { "show", "99999999999999999999", NULL }, &params),
                         -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "leave approve", (char *[]) { "approve", "1", "--override", NULL }, &params),
                         -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "leave reject", (char *[]) { "reject", "1", "--override", "--reason", "", NULL },
                               &params), -EINVAL);
        assert_int_equal(build(verbs, n_verbs, "leave return", (char *[]) { "return", "1", "--at", "soon", NULL }, &params),
                         -EINVAL);
        assert_null(params);

        /* A row without parameters sends none. */
        assert_int_equal(build(verbs, n_verbs, "status", (char *[]) { "status", NULL }, &params), 0);
        assert_null(params);
}

static void test_verbs_verify_shapes(void **state) {
        static const VerbOption reason_option[] = {
                { "reason", '\0', "TEXT", "x" },
        };
        static const VerbParam from_reason[] = { { "reason", "reason", VERB_PARAM_STRING } };
        static const VerbParam from_argument[] = { { "id", NULL, VERB_PARAM_SWAP_ID } };
        static const VerbParam bad_type[] = { { "id", NULL, _VERB_PARAM_TYPE_MAX } };
        const Verb ok[] = { { "a", "", "x", 1, 1, reason_option, 1, verb_call, "SwapDecline", from_reason, 1, print_done } };
        const Verb no_method[] = { { "a", "", "x", 1, 1, reason_option, 1, verb_call, NULL, from_reason, 1, print_done } };
        const Verb no_option[] = { { "a", "", "x", 1, 1, NULL, 0, verb_call, "SwapDecline", from_reason, 1, print_done } };
        const Verb no_argument[] = { { "a", "", "x", 0, 0, NULL, 0, verb_call, "SwapShow", from_argument, 1, print_done } };
        const Verb invalid[] = { { "a", "", "x", 1, 1, NULL, 0, verb_call, "SwapShow", bad_type, 1, print_done } };
        const Verb *bad[] = { no_method, no_option, no_argument, invalid };

        assert_int_equal(verbs_verify(ok, 1, NULL), 0);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(verbs_verify(bad[i], 1, &error), -EINVAL);
                assert_non_null(error);
        }
}

/* verbs outlives what is parsed: the result points at its row. */
static int parse(const Verb *verbs, size_t n_verbs, const char *verb, char **argv, VerbArgs *ret, char **ret_error) {
        int argc = 0;

        while (argv[argc])
                argc++;
        return verb_parse(verb_find(verbs, n_verbs, verb), argc, argv, ret, ret_error);
}

static void test_verb_parse(void **state) {
        _cleanup_free_ Verb *verbs = NULL;
        _cleanup_(verb_args_done) VerbArgs a = {};
        VerbArgs untouched = { .n_args = 42 };
        size_t n_verbs = 0;

        assert_int_equal(verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs), 0);

        {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--bogus", NULL }, &untouched, &error), -EINVAL);
                assert_non_null(strstr(error, "--bogus"));
                assert_non_null(strstr(error, "people"));
                assert_int_equal(untouched.n_args, 42);
        }
        {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(parse(verbs, n_verbs, "status", (char *[]) { "status", "extra", NULL }, &a, &error), -EINVAL);
                assert_non_null(strstr(error, "'extra'"));
        }
        {
                _cleanup_free_ char *error = NULL;

                assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--role", NULL }, &a, &error), -EINVAL);
                assert_non_null(strstr(error, "--role"));
        }
        {
                _cleanup_free_ char *error = NULL;

                /* Global options are not verb options. */
                assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--json", NULL }, &a, &error), -EINVAL);
                assert_non_null(strstr(error, "--json"));
        }
        {
                _cleanup_free_ char *error = NULL;

                /* After "--" everything is an argument, and people takes none. */
                assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--", "--role", NULL }, &a, &error), -EINVAL);
                assert_non_null(strstr(error, "'--role'"));
        }

        assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--role", "leader", NULL }, &a, NULL), 0);
        assert_string_equal(verb_args_get(&a, "role"), "leader");
        assert_int_equal(a.n_args, 0);
        assert_false(a.help);
        verb_args_done(&a);

        assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", "--role=officer", "--role=leader", NULL }, &a, NULL), 0);
        assert_string_equal(verb_args_get(&a, "role"), "leader");   /* the last one wins */
        verb_args_done(&a);

        assert_int_equal(parse(verbs, n_verbs, "people", (char *[]) { "people", NULL }, &a, NULL), 0);
        assert_null(verb_args_get(&a, "role"));
        assert_false(verb_args_has(&a, "role"));
        assert_null(verb_args_get(&a, "nonexistent"));
        verb_args_done(&a);

        /* --help skips the argument count check. */
        assert_int_equal(parse(verbs, n_verbs, "status", (char *[]) { "status", "x", "y", "--help", NULL }, &a, NULL), 0);
        assert_true(a.help);
        verb_args_done(&a);
}

static void test_global_options(void **state) {
        _cleanup_(verb_args_done) VerbArgs a = {};
        char *argv[] = { "-s", "/run/x", "--json", "people", "--role", "leader", "-s", NULL };
        _cleanup_free_ char *error = NULL;

        assert_int_equal(verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                                            (int) ELEMENTSOF(argv) - 1, argv, &a, &error), 0);
        assert_string_equal(verb_args_get(&a, "socket"), "/run/x");
        assert_true(verb_args_has(&a, "json"));
        assert_false(verb_args_has(&a, "version"));
        /* Everything from the verb on is left for the verb. */
        assert_int_equal(a.n_args, 4);
        assert_string_equal(a.args[0], "people");
        assert_string_equal(a.args[3], "-s");
        assert_null(a.args[4]);
        verb_args_done(&a);

        assert_int_equal(verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                                            2, (char *[]) { "-s/tmp/y", "status", NULL }, &a, NULL), 0);
        assert_string_equal(verb_args_get(&a, "socket"), "/tmp/y");
        verb_args_done(&a);

        assert_int_equal(verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                                            2, (char *[]) { "--socket=/tmp/z", "status", NULL }, &a, NULL), 0);
        assert_string_equal(verb_args_get(&a, "socket"), "/tmp/z");
        verb_args_done(&a);

        assert_int_equal(verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                                            2, (char *[]) { "-x", "status", NULL }, &a, &error), -EINVAL);
        assert_non_null(strstr(error, "-x"));
}

static int run_dutyctl(char **argv) {
        int argc = 0;

        while (argv[argc])
                argc++;
        return dutyctl_main(argc, argv);
}

static void test_exit_codes(void **state) {
        /* Usage errors are found before any connection is attempted. */
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "people", "--bogus", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "status", "extra", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "frobnicate", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "--bogus", "status", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "-s", "", "status", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "--json", "people", "--role", NULL }), CLIENT_EXIT_USAGE);

        /* A socket that does not exist. */
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "-s", "/nonexistent/dutyd/io.dutyd.Duty", "status", NULL }),
                         CLIENT_EXIT_NO_CONNECTION);

        assert_int_equal(client_exit_status(0), CLIENT_EXIT_OK);
        assert_int_equal(client_exit_status(-ENOTCONN), CLIENT_EXIT_NO_CONNECTION);
        assert_int_equal(client_exit_status(-EREMOTEIO), CLIENT_EXIT_DAEMON_ERROR);
        assert_int_equal(client_exit_status(-ECONNRESET), CLIENT_EXIT_DAEMON_ERROR);
        assert_int_equal(client_exit_status(-EINVAL), CLIENT_EXIT_USAGE);
}

static void test_verb_words(void **state) {
        static const VerbOption extra[] = {
                { "json", '\0', NULL, "x" },
                { "from", '\0', "DATE", "shadowed by the verb's own --from" },
        };
        char *generate[] = { "roster", "generate", "--from", "2026-01-01", NULL };
        _cleanup_(verb_args_done) VerbArgs a = {};
        _cleanup_free_ char *error = NULL;
        const Verb *v;
        size_t words = 0;
        _cleanup_free_ Verb *verbs = NULL;
        size_t n_verbs = 0;

        assert_int_equal(verb_families_join(families, ELEMENTSOF(families), &verbs, &n_verbs), 0);

        /* The longest name whose words begin the arguments wins; a lone group word matches nothing. */
        v = verb_find_words(verbs, n_verbs, 4, generate, &words);
        assert_non_null(v);
        assert_string_equal(v->name, "roster generate");
        assert_int_equal(words, 2);
        assert_null(verb_find_words(verbs, n_verbs, 1, generate, &words));
        assert_null(verb_find_words(verbs, n_verbs, 2, (char *[]) { "roster", "frobnicate", NULL }, &words));
        assert_true(verbs_have_group(verbs, n_verbs, "roster"));
        assert_false(verbs_have_group(verbs, n_verbs, "rost"));
        assert_false(verbs_have_group(verbs, n_verbs, "status"));
        v = verb_find_words(verbs, n_verbs, 2, (char *[]) { "who", "now", NULL }, &words);
        assert_non_null(v);
        assert_int_equal(words, 1);

        /* Extra options after the verb; the verb's own of the same name win. */
        v = verb_find(verbs, n_verbs, "roster generate");
        assert_int_equal(verb_parse_full(v, extra, ELEMENTSOF(extra), 5,
                                         (char *[]) { "generate", "--json", "--from", "2026-01-01", "--dry-run", NULL },
                                         &a, &error), 0);
        assert_true(verb_args_has(&a, "json"));
        assert_true(verb_args_has(&a, "dry-run"));
        assert_string_equal(verb_args_get(&a, "from"), "2026-01-01");
        assert_int_equal(a.n_options, v->n_options + 1);
        verb_args_done(&a);
        assert_int_equal(verb_parse(v, 2, (char *[]) { "generate", "--json", NULL }, &a, &error), -EINVAL);
        assert_non_null(strstr(error, "--json"));

        /* The verb list: every help text starts at the same column, long synopses or not. */
        {
                _cleanup_free_ char *buf = NULL;
                size_t size = 0, column = 0;
                FILE *f = open_memstream(&buf, &size);

                assert_non_null(f);
                assert_int_equal(verbs_print_list(f, verbs, n_verbs), 0);
                assert_int_equal(fclose(f), 0);
                for (size_t i = 0; i < n_verbs; i++) {
                        const char *help = strstr(buf, verbs[i].help), *line = help;
                        size_t w;

                        assert_non_null(help);
                        while (line > buf && line[-1] != '\n')
                                line--;
                        w = prefix_width(line, (size_t) (help - line));
                        if (i == 0)
                                column = w;
                        assert_int_equal(w, column);
                }
                assert_true(column <= 48 + 2);
        }

        /* Through dutyctl: usage errors, and --json and -s accepted after a verb of two words. */
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", "frobnicate", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", "generate", "--from", "2026-01-01", NULL }),
                         CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", "generate", "--from", "2026-02-30",
                                                  "--to", "2026-03-01", NULL }), CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "calendar", "--year", "2026", "--from", "2026-01-01", NULL }),
                         CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", "assign", "2026-01-01", "leader_on_call", NULL }),
                         CLIENT_EXIT_USAGE);
        assert_int_equal(run_dutyctl((char *[]) { "dutyctl", "roster", "generate", "--from", "2026-01-01", "--to",
                                                  "2026-12-31", "--json", "-s", "/nonexistent/dutyd/io.dutyd.Duty", NULL }),
                         CLIENT_EXIT_NO_CONNECTION);
}

static void test_error_explain(void **state) {
        json_t *p;
        char *s;

        /* A refusal by access level reads as what to do, never as the method's name. */
        p = json_pack("{s:s, s:s}", "method", "ListPeople", "access", "guest");
        s = client_error_explain("io.dutyd.Duty.PermissionDenied", p);
        assert_non_null(strstr(s, "not in this office's configuration"));
        assert_null(strstr(s, "ListPeople"));
        free(s);
        json_decref(p);

        p = json_pack("{s:s, s:s, s:s}", "method", "LeaveApprove", "access", "member",
                      "message", "only approvers and administrators may approve leave");
        s = client_error_explain("io.dutyd.Duty.PermissionDenied", p);
        assert_string_equal(s, "only approvers and administrators may approve leave");
        free(s);
        json_decref(p);

        p = json_pack("{s:s}", "parameter", "role");
        s = client_error_explain(VARLINK_ERROR_INVALID_PARAMETER, p);
        assert_non_null(strstr(s, "leader, officer, approver or admin"));
        free(s);
        json_decref(p);

        /* A range over the limit says what the limit is. */
        p = json_pack("{s:s}", "parameter", "to");
        s = client_error_explain_call("RosterShow", VARLINK_ERROR_INVALID_PARAMETER, p);
        assert_non_null(strstr(s, "at most 1100 days"));
        free(s);
        s = client_error_explain_call("RosterGenerate", VARLINK_ERROR_INVALID_PARAMETER, p);
        assert_non_null(strstr(s, "at most 400 days"));
        free(s);
        json_decref(p);

        p = json_pack("{s:s}", "parameter", "limit");
        s = client_error_explain_call("AuditList", VARLINK_ERROR_INVALID_PARAMETER, p);
        assert_non_null(strstr(s, "1 to 1000"));
        free(s);
        json_decref(p);

        p = json_pack("{s:s}", "message", "数据库不可用");
        s = client_error_explain("io.dutyd.Duty.Failed", p);
        assert_string_equal(s, "数据库不可用");
        free(s);
        json_decref(p);

        /* Any error carrying a message shows it: the daemon words it for people. */
        p = json_pack("{s:s, s:s, s:s}", "rule", "rest", "date", "2026-02-16", "message", "两次值班间隔不足规定休息天数");
        s = client_error_explain("io.dutyd.Duty.RuleViolation", p);
        assert_string_equal(s, "两次值班间隔不足规定休息天数");
        free(s);
        json_decref(p);

        /* An error this client does not know: its parameters are shown. */
        p = json_pack("{s:i}", "limit", 7);
        s = client_error_explain("io.dutyd.Duty.SomethingNew", p);
        assert_non_null(strstr(s, "\"limit\""));
        assert_non_null(strstr(s, "7"));
        free(s);
        json_decref(p);

        /* The daemon's sentence may quote stored text: it is escaped too. */
        p = json_pack("{s:s, s:s}", "rule", "x", "message", "目的地 \x1b[2J已批准");
        s = client_error_explain("io.dutyd.Duty.RuleViolation", p);
        assert_string_equal(s, "目的地 \\x1b[2J已批准");
        free(s);
        json_decref(p);

        /* A refused text says that it must be one line without control characters. */
        p = json_pack("{s:s}", "parameter", "destination");
        s = client_error_explain_call("LeaveRequest", VARLINK_ERROR_INVALID_PARAMETER, p);
        assert_non_null(strstr(s, "--destination must be one line of text"));
        assert_non_null(strstr(s, "without control characters"));
        free(s);
        json_decref(p);

        assert_null(client_error_explain(NULL, NULL));
}

static void test_print_people(void **state) {
        json_t *reply = json_loads(
                "{\"people\":["
                "{\"id\":\"zhang_wei\",\"name\":\"张伟\",\"title\":\"党委书记\",\"phone\":\"13800000001\",\"roles\":[\"leader\",\"approver\"]},"
                "{\"id\":\"ouyang_ming\",\"name\":\"欧阳明\",\"title\":\"办公室主任\",\"roles\":[\"leader\"]},"
                "{\"id\":\"bob\",\"name\":\"Bob Smith\",\"title\":null,\"roles\":[\"officer\"]}"
                "]}", 0, NULL);
        /* In the C locale, as this test runs: English headers and role names. */
        static const char *const names[] = { "Name", "张伟", "欧阳明", "Bob Smith" };
        static const char *const roles[] = { "Roles", "leader, approver", "leader", "officer" };
        char *buf = NULL, *lines[LINES_MAX];
        size_t size = 0, n;
        FILE *f;

        assert_non_null(reply);
        f = open_memstream(&buf, &size);
        assert_non_null(f);
        assert_int_equal(print_people(f, reply, NULL), 0);
        assert_int_equal(fclose(f), 0);

        n = split_lines(buf, lines);
        assert_int_equal(n, 4);
        for (size_t i = 0; i < n; i++) {
                const char *name = strstr(lines[i], names[i]), *role = strstr(lines[i], roles[i]);

                assert_non_null(name);
                assert_non_null(role);
                /* "ouyang_ming" (11) plus the separator. */
                assert_int_equal(prefix_width(lines[i], (size_t) (name - lines[i])), 11 + 2);
                /* … then the widest name (9) and title (10). */
                assert_int_equal(prefix_width(lines[i], (size_t) (role - lines[i])), 13 + 9 + 2 + 10 + 2);
        }
        assert_true(strneq(lines[3], "bob ", 4));
        /* The missing title and phone show as "-", and the line ends without padding. */
        assert_non_null(strstr(lines[3], "  -  "));
        assert_true(lines[3][strlen(lines[3]) - 1] == '-');

        free(buf);
        json_decref(reply);
}

static void test_format_uptime(void **state) {
        char buf[UPTIME_STRING_MAX];

        assert_string_equal(format_uptime(93784, buf), "1d 2h 3min");
        assert_string_equal(format_uptime(3600, buf), "1h 0min");
        assert_string_equal(format_uptime(61, buf), "1min 1s");
        assert_string_equal(format_uptime(0, buf), "0s");
        assert_string_equal(format_uptime(-5, buf), "-");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_utf8_width),
                cmocka_unit_test(test_unichar_width_matches_libc),
                cmocka_unit_test(test_table_alignment),
                cmocka_unit_test(test_table_pairs),
                cmocka_unit_test(test_table_invalid),
                cmocka_unit_test(test_text_escape),
                cmocka_unit_test(test_output_json),
                cmocka_unit_test(test_verb_table),
                cmocka_unit_test(test_verbs_verify_rejects),
                cmocka_unit_test(test_verb_methods),
                cmocka_unit_test(test_decision_verbs),
                cmocka_unit_test(test_verbs_verify_shapes),
                cmocka_unit_test(test_verb_parse),
                cmocka_unit_test(test_global_options),
                cmocka_unit_test(test_exit_codes),
                cmocka_unit_test(test_verb_words),
                cmocka_unit_test(test_error_explain),
                cmocka_unit_test(test_print_people),
                cmocka_unit_test(test_format_uptime),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
