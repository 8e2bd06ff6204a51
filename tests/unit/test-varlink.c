/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "varlink.h"

extern const char dutyd_idl_text[];

/* ---- Framer ---- */

static void test_framer_byte_by_byte(void **state) {
        static const char stream[] = "{\"a\":1}\0{\"bb\":22}\0";
        VarlinkFramer f;
        const char *m;
        size_t len, got = 0;

        varlink_framer_init(&f, 64);
        for (size_t i = 0; i < sizeof(stream) - 1; i++) {
                assert_int_equal(varlink_framer_feed(&f, stream + i, 1), 0);
                int r = varlink_framer_next(&f, &m, &len);
                if (i == 7) {
                        assert_int_equal(r, 1);
                        assert_string_equal(m, "{\"a\":1}");
                        assert_int_equal(len, 7);
                        got++;
                } else if (i == sizeof(stream) - 2) {
                        assert_int_equal(r, 1);
                        assert_string_equal(m, "{\"bb\":22}");
                        assert_int_equal(len, 9);
                        got++;
                } else
                        assert_int_equal(r, 0);
        }
        assert_int_equal(got, 2);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 0);
        varlink_framer_done(&f);
}

static void test_framer_merged(void **state) {
        static const char stream[] = "one\0two\0three\0fou";
        VarlinkFramer f;
        const char *m;
        size_t len;

        varlink_framer_init(&f, 64);
        assert_int_equal(varlink_framer_feed(&f, stream, sizeof(stream) - 1), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_string_equal(m, "one");
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_string_equal(m, "two");
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_string_equal(m, "three");
        assert_int_equal(len, 5);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 0);
        /* The tail is kept and completed by the next read. */
        assert_int_equal(varlink_framer_feed(&f, "r\0", 2), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_string_equal(m, "four");
        varlink_framer_done(&f);
}

static void test_framer_oversize(void **state) {
        char big[40];
        VarlinkFramer f;
        const char *m;
        size_t len;

        /* Exactly the limit is fine. */
        varlink_framer_init(&f, 16);
        memset(big, 'x', 16);
        big[16] = '\0';
        assert_int_equal(varlink_framer_feed(&f, big, 17), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_int_equal(len, 16);
        varlink_framer_done(&f);

        /* One byte over with its NUL. */
        varlink_framer_init(&f, 16);
        memset(big, 'x', 17);
        big[17] = '\0';
        assert_int_equal(varlink_framer_feed(&f, big, 18), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), -EMSGSIZE);
        varlink_framer_done(&f);

        /* Over the limit with no NUL yet: detected before the end arrives. */
        varlink_framer_init(&f, 16);
        memset(big, 'x', sizeof(big));
        assert_int_equal(varlink_framer_feed(&f, big, 16), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 0);
        assert_int_equal(varlink_framer_feed(&f, big, 1), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), -EMSGSIZE);
        varlink_framer_done(&f);

        /* The read path refuses to buffer more than one message's worth. */
        varlink_framer_init(&f, 16);
        for (;;) {
                char *p;
                size_t n;
                int r = varlink_framer_space(&f, &p, &n);

                if (r < 0) {
                        assert_int_equal(r, -EMSGSIZE);
                        break;
                }
                assert_true(n > 0);
                memset(p, 'y', n);
                varlink_framer_advance(&f, n);
                assert_true(f.size <= 17);
        }
        assert_int_equal(varlink_framer_next(&f, &m, &len), -EMSGSIZE);
        varlink_framer_done(&f);
}

static void test_framer_empty(void **state) {
        VarlinkFramer f;
        const char *m = NULL;
        size_t len = 99;

        varlink_framer_init(&f, 16);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 0);
        assert_int_equal(varlink_framer_feed(&f, "\0\0", 2), 0);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_int_equal(len, 0);
        assert_string_equal(m, "");
        assert_int_equal(varlink_framer_next(&f, &m, &len), 1);
        assert_int_equal(varlink_framer_next(&f, &m, &len), 0);
        varlink_framer_done(&f);
}

/* A long-lived connection reading through space()/advance() in odd-sized chunks reuses its buffer. */
static void test_framer_bounded(void **state) {
        static const char msg[] = "{\"method\":\"io.dutyd.Duty.Status\"}";
        VarlinkFramer f;
        size_t pos = 0, seen = 0, total = 20000 * sizeof(msg);

        varlink_framer_init(&f, 1024);
        while (pos < total) {
                const char *m;
                size_t n, len;
                char *p;

                assert_int_equal(varlink_framer_space(&f, &p, &n), 0);
                if (n > 7)
                        n = 7;
                if (n > total - pos)
                        n = total - pos;
                for (size_t i = 0; i < n; i++)
                        p[i] = msg[(pos + i) % sizeof(msg)];
                varlink_framer_advance(&f, n);
                pos += n;
                while (varlink_framer_next(&f, &m, &len) == 1) {
                        assert_string_equal(m, msg);
                        seen++;
                }
                assert_true(f.size <= 1025);
        }
        assert_int_equal(seen, 20000);
        varlink_framer_done(&f);
}

/* ---- Interface definition ---- */

static void test_idl_real(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ char *error = NULL, *missing = NULL;
        const char *p = NULL;
        json_t *v;

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, &error), 0);
        assert_null(error);
        assert_string_equal(varlink_idl_name(idl), "io.dutyd.Duty");
        assert_string_equal(varlink_idl_text(idl), dutyd_idl_text);
        assert_true(varlink_idl_n_methods(idl) >= 3);
        assert_true(varlink_idl_has_method(idl, "Status"));
        assert_true(varlink_idl_has_method(idl, "Whoami"));
        assert_true(varlink_idl_has_method(idl, "ListPeople"));
        assert_false(varlink_idl_has_method(idl, "Person"));
        assert_false(varlink_idl_has_method(idl, "Failed"));
        assert_true(varlink_idl_has_error(idl, "Failed"));
        for (size_t i = 0; i < varlink_idl_n_methods(idl); i++)
                assert_true(varlink_idl_has_method(idl, varlink_idl_method_name(idl, i)));
        assert_null(varlink_idl_method_name(idl, varlink_idl_n_methods(idl)));

        assert_int_equal(varlink_idl_check_documented(idl, &missing), 0);
        assert_null(missing);

        v = json_pack("{s:s}", "role", "leader");
        assert_int_equal(varlink_idl_validate_input(idl, "ListPeople", v, &p), 0);
        json_decref(v);
        assert_int_equal(varlink_idl_validate_input(idl, "ListPeople", NULL, &p), 0);
        v = json_pack("{s:i}", "role", 3);
        assert_int_equal(varlink_idl_validate_input(idl, "ListPeople", v, &p), -EINVAL);
        assert_string_equal(p, "role");
        json_decref(v);
        assert_int_equal(varlink_idl_validate_input(idl, "NoSuchMethod", NULL, &p), -ENOENT);

        v = json_pack("{s:[{s:s, s:s, s:n, s:n, s:[s], s:n, s:i, s:n, s:n}]}",
                      "people",
                      "id", "zhang_wei", "name", "张伟", "title", "phone", "roles", "leader",
                      "user", "uid", 1000, "active_from", "active_until");
        assert_int_equal(varlink_idl_validate_output(idl, "ListPeople", v, &p), 0);
        json_object_set_new(json_array_get(json_object_get(v, "people"), 0), "uid", json_string("1000"));
        assert_int_equal(varlink_idl_validate_output(idl, "ListPeople", v, &p), -EINVAL);
        assert_string_equal(p, "people");
        json_decref(v);
}

/* Every string of a request is one line of plain text: controls, DEL, C1 and bidirectional
 * overrides are refused wherever they are, naming the parameter; replies are not held to it. */
static void test_idl_text_controls(void **state) {
        static const char *const bad[] = {
                "\x1b]0;pwned\x07", "a\x1b[2J", "tab\there", "two\nlines", "cr\r", "del\x7f",
                "c1 \xc2\x9b" "31m", "nel\xc2\x85", "\xe2\x80\xae" "evil", "lri\xe2\x81\xa6", "pdi\xe2\x81\xa9",
                "lrm\xe2\x80\x8e", "rlm\xe2\x80\x8f", "alm\xd8\x9c", "lre\xe2\x80\xaa",
        };
        static const char *const good[] = {
                "北京 朝阳区", "探亲（母亲住院）", "a\\x1b[2J literally", "emoji \xf0\x9f\x98\x80", "zwj a\xe2\x80\x8d" "b",
                "\xc2\xa0nbsp", "",
        };
        _cleanup_free_ char *path = NULL;
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        const char *p;
        json_t *v;

        assert_int_equal(varlink_idl_parse(dutyd_idl_text, &idl, NULL), 0);

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                v = json_pack("{s:s, s:s, s:s, s:s}", "from", "2026-12-10", "to", "2026-12-12",
                              "destination", "上海", "reason", bad[i]);
                assert_non_null(v);
                p = NULL;
                assert_int_equal(varlink_idl_validate_input(idl, "LeaveRequest", v, &p), -EINVAL);
                assert_non_null(p);
                assert_string_equal(p, "reason");
                json_decref(v);

                v = json_pack("{s:i, s:s}", "id", 3, "note", bad[i]);
                assert_int_equal(varlink_idl_validate_input(idl, "SwapDecline", v, &p), -EINVAL);
                assert_string_equal(p, "note");
                json_decref(v);

                v = json_pack("{s:s, s:s, s:s}", "name", bad[i], "from", "2026-12-10", "to", "2026-12-12");
                assert_int_equal(varlink_idl_validate_input(idl, "SensitiveAdd", v, &p), -EINVAL);
                assert_string_equal(p, "name");
                json_decref(v);
        }

        /* A NUL inside the string (jansson can carry one) is a control too. */
        v = json_pack("{s:s, s:s, s:s#, s:s}", "from", "2026-12-10", "to", "2026-12-12",
                      "destination", "a\0b", (size_t) 3, "reason", "r");
        if (v) {
                assert_int_equal(varlink_idl_validate_input(idl, "LeaveRequest", v, &p), -EINVAL);
                assert_string_equal(p, "destination");
                json_decref(v);
        }

        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                v = json_pack("{s:s, s:s, s:s, s:s}", "from", "2026-12-10", "to", "2026-12-12",
                              "destination", good[i], "reason", good[i]);
                assert_int_equal(varlink_idl_validate_input(idl, "LeaveRequest", v, &p), 0);
                json_decref(v);
        }

        /* An optional string is checked as well. */
        v = json_pack("{s:s, s:s, s:s, s:s}", "person", "li_na", "from", "2026-12-10", "to", "2026-12-12",
                      "reason", "\x1b[31mapproved");
        assert_int_equal(varlink_idl_validate_input(idl, "UnavailableAdd", v, &p), -EINVAL);
        assert_string_equal(p, "reason");
        json_decref(v);

        /* Replies and errors may carry what an older dutyd stored: only requests are refused. */
        v = json_pack("{s:s, s:s, s:s}", "what", "leave", "id", "\x1b[2J", "message", "\xe2\x80\xae" "x");
        assert_int_equal(varlink_idl_validate_error(idl, "NotFound", v, &path), 0);
        json_decref(v);
}

static const char forms_idl[] =
        "# Every type form.\n"
        "interface org.example.forms\n"
        "\n"
        "# A colour.\n"
        "type Colour (red, green, blue)\n"
        "\n"
        "# A record.\n"
        "type Record (\n"
        "  # flag\n"
        "  b: bool,\n"
        "  # count\n"
        "  i: int,\n"
        "  # ratio\n"
        "  f: float,\n"
        "  # text\n"
        "  s: string,\n"
        "  # anything\n"
        "  o: object,\n"
        "  # named enum\n"
        "  c: Colour,\n"
        "  # optional\n"
        "  opt: ?string,\n"
        "  # array\n"
        "  list: []int,\n"
        "  # map\n"
        "  dict: [string]float,\n"
        "  # anonymous struct\n"
        "  span: (\n"
        "    # start\n"
        "    start: string,\n"
        "    # end\n"
        "    end: ?string\n"
        "  ),\n"
        "  # anonymous enum\n"
        "  mode: (one, two),\n"
        "  # optional array of optional strings\n"
        "  maybe: ?[]?string,\n"
        "  # nested named\n"
        "  children: ?[]Record\n"
        ")\n"
        "\n"
        "# Takes a record.\n"
        "method Put(\n"
        "  # the record\n"
        "  record: Record,\n"
        "  # a colour\n"
        "  colour: ?Colour\n"
        ") -> ()\n"
        "\n"
        "# Empty in, empty out.\n"
        "method Ping() -> ()\n"
        "\n"
        "# Something failed.\n"
        "error Oops (\n"
        "  # why\n"
        "  why: string\n"
        ")\n";

static json_t *good_record(void) {
        json_t *r = json_pack("{s:b, s:i, s:f, s:s, s:{}, s:s, s:n, s:[i, i], s:{s:f, s:i}, s:{s:s}, s:s, s:[s, n]}",
                              "b", 1, "i", 42, "f", 1.5, "s", "text", "o", "c", "green", "opt",
                              "list", 1, 2, "dict", "x", 0.5, "y", 3,
                              "span", "start", "2026-02-14", "mode", "two", "maybe", "a");

        assert_non_null(r);
        return r;
}

/* Validates {"record": record} for Put and returns the failing path, or NULL when valid. */
static char *put_path(const VarlinkIdl *idl, json_t *record) {
        _cleanup_(json_decrefp) json_t *params = json_pack("{s:O}", "record", record);
        char *path = NULL;
        int r;

        r = varlink_idl_validate_full(idl, "Put", false, params, &path);
        if (r == 0)
                return NULL;
        assert_int_equal(r, -EINVAL);
        assert_non_null(path);
        return path;
}

#define assert_put_fails(idl, record, expected)                         \
        do {                                                            \
                _cleanup_free_ char *_p_ = put_path((idl), (record));   \
                assert_non_null(_p_);                                   \
                assert_string_equal(_p_, (expected));                   \
        } while (0)

static void test_idl_forms(void **state) {
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ char *error = NULL, *missing = NULL;
        _cleanup_(json_decrefp) json_t *rec = NULL;
        json_t *child;
        const char *p;

        assert_int_equal(varlink_idl_parse(forms_idl, &idl, &error), 0);
        assert_string_equal(varlink_idl_name(idl), "org.example.forms");
        assert_int_equal(varlink_idl_n_methods(idl), 2);
        assert_string_equal(varlink_idl_method_name(idl, 0), "Put");
        assert_string_equal(varlink_idl_method_name(idl, 1), "Ping");
        assert_int_equal(varlink_idl_check_documented(idl, &missing), 0);

        rec = good_record();
        assert_null(put_path(idl, rec));

        /* Wrong JSON types, each named by its path. */
        json_object_set_new(rec, "i", json_string("42"));
        assert_put_fails(idl, rec, "record.i");
        json_object_set_new(rec, "i", json_real(42.0));  /* int means a JSON integer */
        assert_put_fails(idl, rec, "record.i");
        json_object_set_new(rec, "i", json_integer(7));
        json_object_set_new(rec, "f", json_integer(7));  /* an integer is a float */
        assert_null(put_path(idl, rec));
        json_object_set_new(rec, "s", json_integer(1));
        assert_put_fails(idl, rec, "record.s");
        json_object_set_new(rec, "s", json_string("x"));
        json_object_set_new(rec, "b", json_integer(1));
        assert_put_fails(idl, rec, "record.b");
        json_object_set_new(rec, "b", json_false());
        json_object_set_new(rec, "o", json_array());
        assert_put_fails(idl, rec, "record.o");
        json_object_set_new(rec, "o", json_object());

        /* Arrays and maps name the element. */
        json_array_append_new(json_object_get(rec, "list"), json_string("3"));
        assert_put_fails(idl, rec, "record.list[2]");
        json_array_remove(json_object_get(rec, "list"), 2);
        json_object_set_new(json_object_get(rec, "dict"), "z", json_true());
        assert_put_fails(idl, rec, "record.dict.z");
        json_object_del(json_object_get(rec, "dict"), "z");
        json_object_set_new(rec, "list", json_object());
        assert_put_fails(idl, rec, "record.list");
        json_object_set_new(rec, "list", json_array());
        assert_null(put_path(idl, rec));

        /* Enums, named and anonymous. */
        json_object_set_new(rec, "c", json_string("purple"));
        assert_put_fails(idl, rec, "record.c");
        json_object_set_new(rec, "c", json_integer(0));
        assert_put_fails(idl, rec, "record.c");
        json_object_set_new(rec, "c", json_string("blue"));
        json_object_set_new(rec, "mode", json_string("three"));
        assert_put_fails(idl, rec, "record.mode");
        json_object_set_new(rec, "mode", json_string("one"));

        /* Nested anonymous struct: missing, unknown and null members. */
        json_object_del(json_object_get(rec, "span"), "start");
        assert_put_fails(idl, rec, "record.span.start");
        json_object_set_new(json_object_get(rec, "span"), "start", json_null());
        assert_put_fails(idl, rec, "record.span.start");
        json_object_set_new(json_object_get(rec, "span"), "start", json_string("s"));
        json_object_set_new(json_object_get(rec, "span"), "end", json_null());
        assert_null(put_path(idl, rec));
        json_object_set_new(json_object_get(rec, "span"), "middle", json_string("m"));
        assert_put_fails(idl, rec, "record.span.middle");
        json_object_del(json_object_get(rec, "span"), "middle");

        /* Optionals accept null, required members do not. */
        json_object_set_new(rec, "opt", json_null());
        json_object_set_new(rec, "maybe", json_null());
        assert_null(put_path(idl, rec));
        json_object_set_new(rec, "s", json_null());
        assert_put_fails(idl, rec, "record.s");
        json_object_set_new(rec, "s", json_string("x"));
        json_object_set_new(rec, "maybe", json_pack("[n, n]"));
        assert_null(put_path(idl, rec));
        json_object_set_new(rec, "maybe", json_pack("[s, i]", "a", 1));
        assert_put_fails(idl, rec, "record.maybe[1]");
        json_object_del(rec, "maybe");
        assert_null(put_path(idl, rec));

        /* Recursive named type. */
        child = good_record();
        json_object_set_new(child, "i", json_string("bad"));
        json_object_set_new(rec, "children", json_pack("[o, o]", json_deep_copy(rec), child));
        assert_put_fails(idl, rec, "record.children[1].i");

        /* Top level: the public entry point names the top-level parameter. */
        {
                _cleanup_(json_decrefp) json_t *params = json_pack("{s:O}", "record", rec);
                _cleanup_(json_decrefp) json_t *unknown = json_pack("{s:O, s:i}", "record", rec, "extra", 1);
                _cleanup_(json_decrefp) json_t *colour = json_pack("{s:O, s:s}", "record", rec, "colour", "red");
                _cleanup_(json_decrefp) json_t *nullcolour = json_pack("{s:O, s:n}", "record", rec, "colour");

                assert_int_equal(varlink_idl_validate_input(idl, "Put", params, &p), -EINVAL);
                assert_string_equal(p, "record");
                assert_int_equal(varlink_idl_validate_input(idl, "Put", unknown, &p), -EINVAL);
                assert_string_equal(p, "extra");
                assert_int_equal(varlink_idl_validate_input(idl, "Put", NULL, &p), -EINVAL);
                assert_string_equal(p, "record");
                json_array_remove(json_object_get(rec, "children"), 1);
                assert_int_equal(varlink_idl_validate_input(idl, "Put", params, &p), 0);
                assert_int_equal(varlink_idl_validate_input(idl, "Put", colour, &p), 0);
                assert_int_equal(varlink_idl_validate_input(idl, "Put", nullcolour, &p), 0);
                json_object_set_new(colour, "colour", json_string("Red"));
                assert_int_equal(varlink_idl_validate_input(idl, "Put", colour, &p), -EINVAL);
                assert_string_equal(p, "colour");
        }

        /* Methods without parameters refuse any; replies are checked the same way. */
        {
                _cleanup_(json_decrefp) json_t *one = json_pack("{s:i}", "x", 1);
                _cleanup_(json_decrefp) json_t *why = json_pack("{s:s}", "why", "disk full");

                assert_int_equal(varlink_idl_validate_input(idl, "Ping", NULL, &p), 0);
                assert_int_equal(varlink_idl_validate_input(idl, "Ping", one, &p), -EINVAL);
                assert_string_equal(p, "x");
                assert_int_equal(varlink_idl_validate_output(idl, "Ping", one, &p), -EINVAL);
                assert_int_equal(varlink_idl_validate_error(idl, "Oops", why, NULL), 0);
                assert_int_equal(varlink_idl_validate_error(idl, "Oops", one, NULL), -EINVAL);
                assert_int_equal(varlink_idl_validate_error(idl, "Nope", why, NULL), -ENOENT);
        }
}

/* Each snippet is invalid; the error names the line of the mistake. */
static void test_idl_errors(void **state) {
        static const struct {
                const char *text;
                const char *line;
        } bad[] = {
                { "",                                                           "line 1:" },
                { "# only a comment\n",                                         "line 2:" },
                { "interface foo\n",                                            "line 1:" },
                { "interface .org.x\n",                                         "line 1:" },
                { "interface org.x-\n",                                         "line 1:" },
                { "interface org.x\n\nmethod lower() -> ()\n",                  "line 3:" },
                { "interface org.x\nmethod A() -> ()\nmethod A() -> ()\n",      "line 3:" },
                { "interface org.x\ntype T (\n  a: int,\n  a: int\n)\n",        "line 4:" },
                { "interface org.x\ntype T (\n  a: int,\n  b\n)\n",             "line 4:" },
                { "interface org.x\ntype T (\n  a: integer\n)\n",               "line 3:" },
                { "interface org.x\n\ntype T (a: Missing)\n",                   "line 3:" },
                /* Named types are bound wherever they stand: an array's element, a map's, a
                 * struct within them, a method's output, an error's fields. */
                { "interface org.x\nmethod M() -> (a: ?[](b: [string]Missing))\n", "line 2:" },
                { "interface org.x\nerror E (\n  a: []Missing\n)\n",         "line 3:" },
                { "interface org.x\ntype T (a: ??int)\n",                       "line 2:" },
                { "interface org.x\ntype T (a: [int]int)\n",                    "line 2:" },
                { "interface org.x\ntype T (a: int\n",                          "line 3:" },
                { "interface org.x\ntype T (a: int,)\n",                        "line 2:" },
                { "interface org.x\nmethod M(a, b) -> ()\n",                    "line 2:" },
                { "interface org.x\nmethod M() (a: int)\n",                     "line 2:" },
                { "interface org.x\nerror E\n",                                 "line 3:" },
                { "interface org.x\nerror E (one, two)\n",                      "line 2:" },
                { "interface org.x\nfunction F() -> ()\n",                      "line 2:" },
                { "interface org.x\ntype T (a__b: int)\n",                      "line 2:" },
                { "interfaceorg.x\n",                                           "line 1:" },
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
                _cleanup_free_ char *error = NULL;

                assert_int_equal(varlink_idl_parse(bad[i].text, &idl, &error), -EINVAL);
                assert_null(idl);
                assert_non_null(error);
                if (!strneq(error, bad[i].line, strlen(bad[i].line)))
                        fail_msg("snippet %zu: expected \"%s…\", got \"%s\"", i, bad[i].line, error);
        }

        /* Deep nesting is refused, not a stack overflow. */
        {
                _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
                _cleanup_free_ char *text = NULL, *error = NULL;
                size_t n = 10000, k = 0;

                text = malloc(64 + 3 * n);
                assert_non_null(text);
                k += sprintf(text, "interface org.x\ntype T (a: ");
                for (size_t i = 0; i < n; i++)
                        text[k++] = '[', text[k++] = ']';
                strcpy(text + k, "int)\n");
                assert_int_equal(varlink_idl_parse(text, &idl, &error), -EINVAL);
                assert_non_null(error);
        }
}

static void test_idl_documented(void **state) {
        static const char undocumented[] =
                "# The interface.\n"
                "interface org.example.docs\n"
                "\n"
                "# Documented type.\n"
                "type T (\n"
                "  # documented\n"
                "  a: int,\n"
                "  b: int, # a trailing comment documents nothing\n"
                "  c: (\n"
                "    # documented\n"
                "    d: int,\n"
                "    e: int\n"
                "  )\n"
                ")\n"
                "\n"
                "method M(\n"
                "  # documented\n"
                "  x: int\n"
                ") -> (y: int)\n"
                "\n"
                "# Blank line below breaks the link.\n"
                "\n"
                "error E (\n"
                "  # documented\n"
                "  why: string\n"
                ")\n";
        _cleanup_(varlink_idl_freep) VarlinkIdl *idl = NULL;
        _cleanup_free_ char *missing = NULL;

        assert_int_equal(varlink_idl_parse(undocumented, &idl, NULL), 0);
        assert_int_equal(varlink_idl_check_documented(idl, &missing), -EBADMSG);
        assert_non_null(missing);
        assert_string_equal(missing,
                            "line 8: T.b; line 9: T.c; line 12: T.c.e; line 16: method M; "
                            "line 19: M(out).y; line 23: error E");
}

/* ---- Server ---- */

static const char test_idl_text[] =
        "# Interface of the server tests.\n"
        "interface org.example.test\n"
        "\n"
        "# A point.\n"
        "type Point (x: int, y: int)\n"
        "\n"
        "# Echoes text.\n"
        "method Echo(text: string, n: ?int, points: ?[]Point) -> (text: string, n: ?int)\n"
        "# Answers count times.\n"
        "method Stream(count: int) -> (i: int)\n"
        "# Fails with errno.\n"
        "method Fail(errno: int) -> ()\n"
        "# A large reply.\n"
        "method Big(size: int) -> (data: string)\n"
        "# No handler.\n"
        "method Missing() -> ()\n"
        "# Who is calling.\n"
        "method Peer() -> (uid: int, pid: int)\n"
        "# Stops the event loop.\n"
        "method Quit() -> ()\n"
        "# Replies, then (fail) replaces the reply before it leaves.\n"
        "method Commit(fail: bool) -> (done: bool)\n"
        "# A failure.\n"
        "error Failed (message: string)\n";

typedef struct TestServer {
        sd_event *event;
        VarlinkIdl *idl;
        VarlinkServer *server;
        char dir[64];
        char path[128];
        unsigned calls;
        int probe_fd;  /* the test client's socket, for Commit to look at while it runs */
        VarlinkPeerClass peer_class;  /* what test_classify() says of the next peers */
        unsigned classified;
        char order[64];  /* the first letter of each Echo's text, in the order they ran */
        bool hold;       /* Commit keeps its reply past its return, in held */
        VarlinkHold *held;
} TestServer;

static int method_echo(VarlinkCall *call, json_t *params, void *userdata) {
        TestServer *t = userdata;

        const char *text = json_string_value(json_object_get(params, "text"));
        size_t n = strlen(t->order);

        if (text && text[0] && n + 1 < sizeof(t->order))
                t->order[n] = text[0];
        t->calls++;
        return varlink_call_reply(call, json_pack("{s:O, s:O?}",
                                                  "text", json_object_get(params, "text"),
                                                  "n", json_object_get(params, "n")));
}

static int method_stream(VarlinkCall *call, json_t *params, void *userdata) {
        json_int_t count = json_integer_value(json_object_get(params, "count"));
        int r;

        for (json_int_t i = 0; i < count; i++) {
                r = varlink_call_reply_continues(call, json_pack("{s:I}", "i", i));
                if (r < 0)
                        return r;
        }
        return varlink_call_reply(call, json_pack("{s:I}", "i", count));
}

static int method_fail(VarlinkCall *call, json_t *params, void *userdata) {
        return -(int) json_integer_value(json_object_get(params, "errno"));
}

static int method_big(VarlinkCall *call, json_t *params, void *userdata) {
        TestServer *t = userdata;
        size_t n = (size_t) json_integer_value(json_object_get(params, "size"));
        _cleanup_free_ char *s = malloc(n + 1);

        t->calls++;
        if (!s)
                return -ENOMEM;
        memset(s, 'b', n);
        s[n] = '\0';
        return varlink_call_reply(call, json_pack("{s:s}", "data", s));
}

static int method_peer(VarlinkCall *call, json_t *params, void *userdata) {
        const struct ucred *u = varlink_call_peer(call);

        assert_string_equal(varlink_call_method(call), "Peer");
        assert_int_equal(json_object_size(params), 0);
        return varlink_call_reply(call, json_pack("{s:i, s:i}", "uid", (int) u->uid, "pid", (int) u->pid));
}

static int method_quit(VarlinkCall *call, json_t *params, void *userdata) {
        TestServer *t = userdata;

        (void) sd_event_exit(t->event, 0);
        return varlink_call_reply(call, NULL);
}

static int method_commit(VarlinkCall *call, json_t *params, void *userdata) {
        TestServer *t = userdata;
        char c;

        assert_false(varlink_call_replied(call));
        assert_int_equal(varlink_call_replace_error(call, "org.example.test.Failed", NULL), -ENOMSG);
        assert_int_equal(varlink_call_reply(call, json_pack("{s:b}", "done", true)), 0);
        assert_true(varlink_call_replied(call));
        assert_null(varlink_call_reply_error(call));

        /* Held: nothing has reached the client while the method runs. */
        assert_int_equal(recv(t->probe_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT), -1);
        assert_int_equal(errno, EAGAIN);

        if (json_is_true(json_object_get(params, "fail"))) {
                assert_int_equal(varlink_call_replace_error(call, "org.example.test.Failed",
                                                            json_pack("{s:s}", "message", "not committed")), 0);
                assert_string_equal(varlink_call_reply_error(call), "org.example.test.Failed");
        }
        if (t->hold)
                assert_int_equal(varlink_call_hold(call, &t->held), 0);
        return 0;
}

static const VarlinkMethod test_methods[] = {
        { "Echo",   method_echo   },
        { "Stream", method_stream },
        { "Fail",   method_fail   },
        { "Big",    method_big    },
        { "Peer",   method_peer   },
        { "Quit",   method_quit   },
        { "Commit", method_commit },
};

static const VarlinkServerInfo test_info = {
        .vendor = "dutyd",
        .product = "test-varlink",
        .version = "1.2.3",
        .url = "https://example.org/",
};

static void test_server_setup(TestServer *t, sd_event *event, uint64_t idle_usec) {
        *t = (TestServer) {};
        strcpy(t->dir, "/tmp/test-varlink-XXXXXX");
        assert_non_null(mkdtemp(t->dir));
        snprintf(t->path, sizeof(t->path), "%s/socket", t->dir);

        assert_int_equal(varlink_idl_parse(test_idl_text, &t->idl, NULL), 0);
        if (event)
                t->event = sd_event_ref(event);
        else
                assert_int_equal(sd_event_new(&t->event), 0);
        assert_int_equal(varlink_server_new(t->event, t->idl, &test_info, test_methods, ELEMENTSOF(test_methods),
                                            t, &t->server), 0);
        if (idle_usec > 0)
                varlink_server_set_idle_timeout(t->server, idle_usec);
}

static void test_server_teardown(TestServer *t) {
        t->server = varlink_server_free(t->server);
        t->idl = varlink_idl_free(t->idl);
        t->event = sd_event_unref(t->event);
        (void) unlink(t->path);
        (void) rmdir(t->dir);
}

/* A raw non-blocking client driven by the test while the server runs in the same thread. */
typedef struct Raw {
        int fd;
        VarlinkFramer input;
} Raw;

static void raw_connect(TestServer *t, Raw *r) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        strcpy(sa.sun_path, t->path);
        r->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        assert_true(r->fd >= 0);
        assert_int_equal(connect(r->fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
        varlink_framer_init(&r->input, VARLINK_MESSAGE_SIZE_MAX);
}

static void raw_close(Raw *r) {
        if (r->fd >= 0)
                close(r->fd);
        r->fd = -1;
        varlink_framer_done(&r->input);
}

static void pump(TestServer *t, uint64_t usec) {
        assert_true(sd_event_run(t->event, usec) >= 0);
}

/* Sends everything, running the server whenever the socket is full. Returns -EPIPE/-ECONNRESET if
 * the server hung up first. */
static int raw_send_bytes(TestServer *t, Raw *r, const char *data, size_t n) {
        while (n > 0) {
                ssize_t k = send(r->fd, data, n, MSG_DONTWAIT | MSG_NOSIGNAL);

                if (k < 0) {
                        if (errno == EPIPE || errno == ECONNRESET)
                                return -errno;
                        assert_int_equal(errno, EAGAIN);
                        pump(t, 10 * USEC_PER_MSEC);
                        continue;
                }
                data += k;
                n -= (size_t) k;
        }
        return 0;
}

static void raw_send(TestServer *t, Raw *r, const char *text) {
        assert_int_equal(raw_send_bytes(t, r, text, strlen(text) + 1), 0);
}

static void raw_call(TestServer *t, Raw *r, json_t *request) {
        _cleanup_free_ char *text = json_dumps(request, JSON_COMPACT);

        assert_non_null(text);
        raw_send(t, r, text);
        json_decref(request);
}

/* 1 and *ret: one reply; 0: the server closed the connection. */
static int raw_reply(TestServer *t, Raw *r, json_t **ret) {
        for (unsigned i = 0; i < 1000; i++) {
                const char *m;
                size_t n, len;
                char *p;
                ssize_t k;

                if (varlink_framer_next(&r->input, &m, &len) == 1) {
                        *ret = json_loadb(m, len, JSON_REJECT_DUPLICATES, NULL);
                        assert_non_null(*ret);
                        return 1;
                }
                assert_int_equal(varlink_framer_space(&r->input, &p, &n), 0);
                k = recv(r->fd, p, n, MSG_DONTWAIT);
                if (k > 0) {
                        varlink_framer_advance(&r->input, (size_t) k);
                        continue;
                }
                if (k == 0 || errno == ECONNRESET)
                        return 0;
                assert_int_equal(errno, EAGAIN);
                pump(t, 10 * USEC_PER_MSEC);
        }
        fail_msg("no reply and no hangup");
        return -ETIMEDOUT;
}

static json_t *raw_expect_reply(TestServer *t, Raw *r) {
        json_t *reply = NULL;

        assert_int_equal(raw_reply(t, r, &reply), 1);
        return reply;
}

/* Reads what has arrived, without waiting; returns the number of complete replies. */
static unsigned raw_take_replies(Raw *r) {
        unsigned n = 0;

        for (;;) {
                const char *m;
                size_t size, len;
                char *p;
                ssize_t k;

                while (varlink_framer_next(&r->input, &m, &len) == 1)
                        n++;
                assert_int_equal(varlink_framer_space(&r->input, &p, &size), 0);
                k = recv(r->fd, p, size, MSG_DONTWAIT);
                if (k <= 0) {
                        assert_true(k < 0 && errno == EAGAIN);
                        return n;
                }
                varlink_framer_advance(&r->input, (size_t) k);
        }
}

static void raw_expect_hangup(TestServer *t, Raw *r) {
        json_t *reply = NULL;

        assert_int_equal(raw_reply(t, r, &reply), 0);
}

static const char *reply_error(json_t *reply) {
        return json_string_value(json_object_get(reply, "error"));
}

static json_t *reply_params(json_t *reply) {
        return json_object_get(reply, "parameters");
}

static void expect_error(TestServer *t, Raw *r, const char *error, const char *key, const char *value) {
        _cleanup_(json_decrefp) json_t *reply = raw_expect_reply(t, r);

        assert_non_null(reply_error(reply));
        assert_string_equal(reply_error(reply), error);
        if (key)
                assert_string_equal(json_string_value(json_object_get(reply_params(reply), key)), value);
}

/* A reply no client could read is never sent: the call gets the interface's Failed error, and the
 * method sees it before it returns. */
static void test_server_reply_too_long(void **state) {
        TestServer t;
        Raw a;
        json_t *reply;
        char request[128];

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0660, (gid_t) -1), 0);
        raw_connect(&t, &a);

        snprintf(request, sizeof(request), "{\"method\":\"org.example.test.Big\",\"parameters\":{\"size\":%u}}",
                 VARLINK_MESSAGE_SIZE_MAX);
        raw_send(&t, &a, request);
        reply = raw_expect_reply(&t, &a);
        assert_string_equal(reply_error(reply), "org.example.test.Failed");
        assert_non_null(json_string_value(json_object_get(reply_params(reply), "message")));
        json_decref(reply);

        /* Just under the limit goes through, and the connection lives on. */
        snprintf(request, sizeof(request), "{\"method\":\"org.example.test.Big\",\"parameters\":{\"size\":%u}}",
                 VARLINK_MESSAGE_SIZE_MAX - 64);
        raw_send(&t, &a, request);
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        assert_int_equal(json_string_length(json_object_get(reply_params(reply), "data")), VARLINK_MESSAGE_SIZE_MAX - 64);
        json_decref(reply);

        raw_close(&a);
        test_server_teardown(&t);
}

/* The final reply leaves only after the method returns, and can be replaced until then. */
static void test_server_held_reply(void **state) {
        TestServer t;
        Raw a;
        json_t *reply;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0660, (gid_t) -1), 0);
        raw_connect(&t, &a);
        t.probe_fd = a.fd;

        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":false}}");
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        assert_true(json_is_true(json_object_get(reply_params(reply), "done")));
        json_decref(reply);

        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":true}}");
        expect_error(&t, &a, "org.example.test.Failed", "message", "not committed");

        /* A oneway call is answered by nothing, replaced or not; the next call still is. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":true},\"oneway\":true}");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":false}}");
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        json_decref(reply);

        raw_close(&a);
        test_server_teardown(&t);
}

/* A reply held past its method's return (group commit, api-audit.c) reaches the client only when
 * released, replaced or not; meanwhile the connection runs none of its later calls, while other
 * connections go on. A hold whose connection has gone is released to nobody. */
static void test_server_hold(void **state) {
        TestServer t;
        Raw a, b;
        json_t *reply;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0660, (gid_t) -1), 0);
        raw_connect(&t, &a);
        raw_connect(&t, &b);
        t.probe_fd = a.fd;

        t.hold = true;
        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":false}}");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"after\"}}");
        for (unsigned i = 0; i < 20 && !t.held; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_non_null(t.held);
        t.hold = false;

        /* Another connection is answered meanwhile. */
        raw_send(&t, &b, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"other\"}}");
        reply = raw_expect_reply(&t, &b);
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), "other");
        json_decref(reply);
        for (unsigned i = 0; i < 10; i++)
                pump(&t, 5 * USEC_PER_MSEC);
        assert_int_equal(raw_take_replies(&a), 0u);
        assert_string_equal(t.order, "o");

        /* Replaced (the commit failed), then released: the reply, then the next call's. */
        assert_int_equal(varlink_hold_replace_error(t.held, "org.example.test.Failed",
                                                    json_pack("{s:s}", "message", "not committed")), 0);
        assert_string_equal(varlink_hold_error(t.held), "org.example.test.Failed");
        t.held = varlink_hold_release(t.held);
        expect_error(&t, &a, "org.example.test.Failed", "message", "not committed");
        reply = raw_expect_reply(&t, &a);
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), "after");
        json_decref(reply);
        assert_string_equal(t.order, "oa");

        /* The client goes before its reply is released. */
        t.hold = true;
        raw_send(&t, &a, "{\"method\":\"org.example.test.Commit\",\"parameters\":{\"fail\":false}}");
        for (unsigned i = 0; i < 20 && !t.held; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_non_null(t.held);
        t.hold = false;
        raw_close(&a);
        for (unsigned i = 0; i < 10; i++)
                pump(&t, 5 * USEC_PER_MSEC);
        t.held = varlink_hold_release(t.held);
        pump(&t, 5 * USEC_PER_MSEC);

        raw_close(&b);
        test_server_teardown(&t);
}

static void test_server_basic(void **state) {
        TestServer t;
        Raw a;
        json_t *reply, *list;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0660, (gid_t) -1), 0);
        raw_connect(&t, &a);

        /* GetInfo */
        raw_send(&t, &a, "{\"method\":\"org.varlink.service.GetInfo\"}");
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "product")), "test-varlink");
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "version")), "1.2.3");
        list = json_object_get(reply_params(reply), "interfaces");
        assert_int_equal(json_array_size(list), 2);
        assert_string_equal(json_string_value(json_array_get(list, 0)), "org.varlink.service");
        assert_string_equal(json_string_value(json_array_get(list, 1)), "org.example.test");
        json_decref(reply);
        assert_int_equal(varlink_server_n_connections(t.server), 1);

        /* GetInterfaceDescription, verbatim, for both interfaces; unknown interface. */
        raw_call(&t, &a, json_pack("{s:s, s:{s:s}}", "method", "org.varlink.service.GetInterfaceDescription",
                                   "parameters", "interface", "org.example.test"));
        reply = raw_expect_reply(&t, &a);
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "description")), test_idl_text);
        json_decref(reply);
        raw_call(&t, &a, json_pack("{s:s, s:{s:s}}", "method", "org.varlink.service.GetInterfaceDescription",
                                   "parameters", "interface", "org.varlink.service"));
        reply = raw_expect_reply(&t, &a);
        assert_non_null(strstr(json_string_value(json_object_get(reply_params(reply), "description")),
                                "\ninterface org.varlink.service\n"));
        json_decref(reply);
        raw_call(&t, &a, json_pack("{s:s, s:{s:s}}", "method", "org.varlink.service.GetInterfaceDescription",
                                   "parameters", "interface", "org.example.nothing"));
        expect_error(&t, &a, VARLINK_ERROR_INTERFACE_NOT_FOUND, "interface", "org.example.nothing");
        raw_send(&t, &a, "{\"method\":\"org.varlink.service.GetInterfaceDescription\"}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "interface");

        /* Routing errors. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Nope\"}");
        expect_error(&t, &a, VARLINK_ERROR_METHOD_NOT_FOUND, "method", "org.example.test.Nope");
        raw_send(&t, &a, "{\"method\":\"org.example.other.Echo\"}");
        expect_error(&t, &a, VARLINK_ERROR_INTERFACE_NOT_FOUND, "interface", "org.example.other");
        raw_send(&t, &a, "{\"method\":\"Echo\"}");
        expect_error(&t, &a, VARLINK_ERROR_INTERFACE_NOT_FOUND, NULL, NULL);
        raw_send(&t, &a, "{\"method\":\"org.example.test.Missing\"}");
        expect_error(&t, &a, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED, "method", "org.example.test.Missing");
        raw_send(&t, &a, "{\"method\":\"org.varlink.service.Frobnicate\"}");
        expect_error(&t, &a, VARLINK_ERROR_METHOD_NOT_FOUND, "method", "org.varlink.service.Frobnicate");

        /* Parameter validation, naming the parameter. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":5}}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "text");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{}}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "text");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"a\",\"bogus\":1}}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "bogus");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":"
                         "{\"text\":\"a\",\"points\":[{\"x\":1,\"y\":2},{\"x\":1,\"y\":\"no\"}]}}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "points[1].y");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":null}}");
        expect_error(&t, &a, VARLINK_ERROR_INVALID_PARAMETER, "parameter", "text");
        assert_int_equal(t.calls, 0);

        /* A good call; its reply conforms to the interface. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"你好\",\"n\":null}}");
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), "你好");
        assert_int_equal(varlink_idl_validate_output(t.idl, "Echo", reply_params(reply), NULL), 0);
        assert_null(json_object_get(reply, "continues"));
        json_decref(reply);
        assert_int_equal(t.calls, 1);

        /* Peer credentials; "parameters" absent means {}. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Peer\"}");
        reply = raw_expect_reply(&t, &a);
        assert_int_equal(json_integer_value(json_object_get(reply_params(reply), "uid")), (json_int_t) getuid());
        assert_int_equal(json_integer_value(json_object_get(reply_params(reply), "pid")), (json_int_t) getpid());
        json_decref(reply);

        /* A failing handler that did not reply. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Fail\",\"parameters\":{\"errno\":2}}");
        expect_error(&t, &a, "org.example.test.Failed", "message", strerror(ENOENT));

        /* oneway: the handler runs, nothing comes back; the next reply is the next call's. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"quiet\"},\"oneway\":true}");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Nope\",\"oneway\":true}");
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"loud\"}}");
        reply = raw_expect_reply(&t, &a);
        assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), "loud");
        json_decref(reply);
        assert_int_equal(t.calls, 3);

        /* more/continues. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Stream\",\"parameters\":{\"count\":3},\"more\":true}");
        for (json_int_t i = 0; i <= 3; i++) {
                reply = raw_expect_reply(&t, &a);
                assert_null(reply_error(reply));
                assert_int_equal(json_integer_value(json_object_get(reply_params(reply), "i")), i);
                assert_true(json_is_true(json_object_get(reply, "continues")) == (i < 3));
                json_decref(reply);
        }
        raw_send(&t, &a, "{\"method\":\"org.example.test.Stream\",\"parameters\":{\"count\":3}}");
        expect_error(&t, &a, VARLINK_ERROR_EXPECTED_MORE, NULL, NULL);
        /* Without continues, a "more" call gets a single plain reply. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Stream\",\"parameters\":{\"count\":0},\"more\":true}");
        reply = raw_expect_reply(&t, &a);
        assert_null(json_object_get(reply, "continues"));
        json_decref(reply);

        /* Requests pipelined in one write are answered in order. */
        {
                static const char two[] = "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"1\"}}\0"
                                          "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"2\"}}";

                assert_int_equal(raw_send_bytes(&t, &a, two, sizeof(two)), 0);
        }
        for (int i = 1; i <= 2; i++) {
                char expected[2] = { (char) ('0' + i), 0 };

                reply = raw_expect_reply(&t, &a);
                assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), expected);
                json_decref(reply);
        }

        raw_close(&a);
        for (unsigned i = 0; i < 100 && varlink_server_n_connections(t.server) > 0; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_n_connections(t.server), 0);
        test_server_teardown(&t);
}

/* Each malformed message closes its own connection only. */
static void test_server_protocol_violations(void **state) {
        static const char *const bad[] = {
                "{not json",
                "",
                "[1, 2]",
                "\"method\"",
                "{\"parameters\":{}}",
                "{\"method\":5}",
                "{\"method\":\"org.example.test.Echo\",\"parameters\":[]}",
                "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"a\"},\"oneway\":1}",
                "{\"method\":\"org.example.test.Echo\",\"method\":\"org.example.test.Echo\"}",
        };
        TestServer t;
        Raw good;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &good);

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(json_decrefp) json_t *reply = NULL;
                Raw r;

                raw_connect(&t, &r);
                raw_send(&t, &r, bad[i]);
                raw_expect_hangup(&t, &r);
                raw_close(&r);

                raw_send(&t, &good, "{\"method\":\"org.varlink.service.GetInfo\"}");
                reply = raw_expect_reply(&t, &good);
                assert_null(reply_error(reply));
        }
        assert_int_equal(varlink_server_n_connections(t.server), 1);

        raw_close(&good);
        test_server_teardown(&t);
}

static void test_server_oversize(void **state) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        size_t n = 2u * 1024u * 1024u;
        _cleanup_free_ char *big = malloc(n);
        TestServer t;
        Raw a, b;
        int r;

        assert_non_null(big);
        memset(big, ' ', n);
        memcpy(big, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"", 56);

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &a);
        raw_connect(&t, &b);

        r = raw_send_bytes(&t, &b, big, n);
        assert_true(r == 0 || r == -EPIPE || r == -ECONNRESET);
        raw_expect_hangup(&t, &b);
        raw_close(&b);

        raw_send(&t, &a, "{\"method\":\"org.varlink.service.GetInfo\"}");
        reply = raw_expect_reply(&t, &a);
        assert_null(reply_error(reply));
        assert_int_equal(varlink_server_n_connections(t.server), 1);

        raw_close(&a);
        test_server_teardown(&t);
}

/* n copies of request (size bytes, its NUL the framing), back to back. */
static char *request_batch(const char *request, size_t size, unsigned n) {
        char *batch = malloc(n * size);

        assert_non_null(batch);
        for (unsigned i = 0; i < n; i++)
                memcpy(batch + i * size, request, size);
        return batch;
}

/* A client that never reads its replies: the server stops taking its requests, then resumes. */
static void test_server_backpressure(void **state) {
        static const char request[] = "{\"method\":\"org.example.test.Big\",\"parameters\":{\"size\":65536}}";
        unsigned n = 4 * VARLINK_PENDING_MAX, received = 0;
        _cleanup_free_ char *batch = request_batch(request, sizeof(request), n);
        TestServer t;
        Raw a, other;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &a);
        raw_connect(&t, &other);

        assert_int_equal(raw_send_bytes(&t, &a, batch, n * sizeof(request)), 0);
        for (unsigned i = 0; i < 500; i++)
                pump(&t, 0);
        /* Stopped by VARLINK_OUTPUT_MAX (32 replies of 64 KiB), or by VARLINK_PENDING_MAX. */
        assert_true(t.calls >= VARLINK_OUTPUT_MAX / 65536 || t.calls >= VARLINK_PENDING_MAX);
        assert_true(t.calls < n);

        /* Others are still served meanwhile. */
        {
                _cleanup_(json_decrefp) json_t *reply = NULL;

                raw_send(&t, &other, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"x\"}}");
                reply = raw_expect_reply(&t, &other);
                assert_null(reply_error(reply));
        }

        while (received < n) {
                _cleanup_(json_decrefp) json_t *reply = raw_expect_reply(&t, &a);

                assert_int_equal(json_string_length(json_object_get(reply_params(reply), "data")), 65536);
                received++;
        }
        assert_int_equal(t.calls, n + 1);

        raw_close(&a);
        raw_close(&other);
        test_server_teardown(&t);
}

/* Small replies: the flush that unblocks a connection happens in the same turn as the dispatch that
 * blocked it, with more calls already read and waiting. They must still be answered, although no
 * new input will ever wake the connection up. */
static void test_server_backpressure_buffered(void **state) {
        static const char request[] = "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"x\"}}";
        unsigned n = 4 * VARLINK_PENDING_MAX + 3;
        _cleanup_free_ char *batch = request_batch(request, sizeof(request), n);
        TestServer t;
        Raw a;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &a);

        assert_int_equal(raw_send_bytes(&t, &a, batch, n * sizeof(request)), 0);
        for (unsigned i = 0; i < n; i++) {
                _cleanup_(json_decrefp) json_t *reply = raw_expect_reply(&t, &a);

                assert_null(reply_error(reply));
                assert_string_equal(json_string_value(json_object_get(reply_params(reply), "text")), "x");
        }
        assert_int_equal(t.calls, n);

        raw_close(&a);
        test_server_teardown(&t);
}

static VarlinkPeerClass test_classify(const struct ucred *peer, void *userdata);

/* One call per connection per turn of the loop: a connection with many calls read does not run
 * them all before another connection's call, which waits for one of them at most. */
static void test_server_round_robin(void **state) {
        static const char a_call[] = "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"a\"}}";
        char batch[20 * sizeof(a_call)];
        const char *b;
        TestServer t;
        Raw a, other;

        for (unsigned i = 0; i < 20; i++)
                memcpy(batch + i * sizeof(a_call), a_call, sizeof(a_call));

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &a);
        raw_connect(&t, &other);
        for (unsigned i = 0; i < 10; i++)
                pump(&t, 0);  /* both accepted */

        assert_int_equal(raw_send_bytes(&t, &a, batch, sizeof(batch)), 0);
        pump(&t, 10 * USEC_PER_MSEC);  /* a's calls read, and the first run */
        assert_true(t.calls >= 1);
        assert_true(t.calls < 20);
        raw_send(&t, &other, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"b\"}}");
        json_decref(raw_expect_reply(&t, &other));
        b = strchr(t.order, 'b');
        assert_non_null(b);
        /* Read on a's turn or the next: at most two more of a's calls ran before it. */
        assert_true(b - t.order <= 3);
        for (unsigned i = 0; i < 20; i++)
                json_decref(raw_expect_reply(&t, &a));
        assert_int_equal(t.calls, 21);

        raw_close(&a);
        raw_close(&other);
        test_server_teardown(&t);
}

/* n connections of class on t's server (socketpairs with a small send buffer, so that what the
 * server queued is not hidden in the sockets), each sent calls Big calls of size bytes. */
static void budget_connections(TestServer *t, VarlinkPeerClass class, int (*ends)[2], unsigned n,
                               unsigned calls, unsigned size) {
        char request[128];
        int sndbuf = 4096;

        snprintf(request, sizeof(request), "{\"method\":\"org.example.test.Big\",\"parameters\":{\"size\":%u}}", size);
        t->peer_class = class;
        for (unsigned i = 0; i < n; i++) {
                assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends[i]), 0);
                assert_int_equal(setsockopt(ends[i][0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
                assert_int_equal(varlink_server_add_connection(t->server, ends[i][0]), 0);
                for (unsigned j = 0; j < calls; j++)
                        assert_int_equal(send(ends[i][1], request, strlen(request) + 1, MSG_NOSIGNAL),
                                         (ssize_t) strlen(request) + 1);
        }
        for (unsigned i = 0; i < 2000; i++)
                pump(t, 0);
}

/* Unread replies are bounded per owner: all guests together stop at VARLINK_GUEST_OUTPUT_MAX and one
 * member uid at VARLINK_UID_OUTPUT_MAX (each overrun by one reply at most), far below what their
 * connections could hold one by one; others are served meanwhile, and everything is answered once
 * the replies are read. */
/* A new connection of a peer of that class gets its Echo of text answered. */
static void echo_served(TestServer *t, VarlinkPeerClass class, const char *text) {
        _cleanup_free_ char *call = NULL;
        Raw raw;

        assert_true(asprintf(&call, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"%s\"}}", text) > 0);
        t->peer_class = class;
        raw_connect(t, &raw);
        raw_send(t, &raw, call);
        json_decref(raw_expect_reply(t, &raw));
        raw_close(&raw);
}

static void test_server_output_budget(void **state) {
        enum { GUESTS = 8, MEMBERS = 12, CALLS = 10 };
        int guests[GUESTS][2], members[MEMBERS][2];
        unsigned calls;
        size_t n;
        TestServer t;
        Raw raw;

        test_server_setup(&t, NULL, 0);
        varlink_server_set_classifier(t.server, test_classify);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);

        /* Replies of 500 kB: one connection alone could hold 5 (VARLINK_OUTPUT_MAX), 40 in all. */
        budget_connections(&t, VARLINK_PEER_GUEST, guests, GUESTS, CALLS, 500000);
        assert_true(t.calls >= VARLINK_GUEST_OUTPUT_MAX / 500000);
        assert_true(t.calls <= VARLINK_GUEST_OUTPUT_MAX / 500000 + 1);

        /* A member is not held back by the guests, and neither is a privileged caller. */
        echo_served(&t, VARLINK_PEER_MEMBER, "m");
        echo_served(&t, VARLINK_PEER_PRIVILEGED, "p");

        /* Replies of 1 MB: 3 per connection, 36 in all, but the uid stops at 17. */
        calls = t.calls;
        budget_connections(&t, VARLINK_PEER_MEMBER, members, MEMBERS, CALLS, 1000000);
        assert_true(t.calls - calls >= VARLINK_UID_OUTPUT_MAX / 1000000);
        assert_true(t.calls - calls <= VARLINK_UID_OUTPUT_MAX / 1000000 + 1);

        /* The privileged caller is still served, the member's budget being full; another
         * connection of the member is not. */
        echo_served(&t, VARLINK_PEER_PRIVILEGED, "p");
        calls = t.calls;
        t.peer_class = VARLINK_PEER_MEMBER;
        raw_connect(&t, &raw);
        raw_send(&t, &raw, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"m\"}}");
        for (unsigned i = 0; i < 100; i++)
                pump(&t, 0);
        assert_int_equal(t.calls, calls);
        /* Gone while it waits: its slot comes free at once, its call never runs. */
        n = varlink_server_n_connections(t.server);
        raw_close(&raw);
        for (unsigned i = 0; i < 100 && varlink_server_n_connections(t.server) == n; i++)
                pump(&t, 0);
        assert_int_equal(varlink_server_n_connections(t.server), n - 1);
        assert_int_equal(t.calls, calls);

        /* Read, everything is answered (the guests share their budget: one that reads waits for
         * the others to read too). */
        {
                Raw r[GUESTS + MEMBERS];
                unsigned received = 0;

                for (unsigned i = 0; i < GUESTS + MEMBERS; i++) {
                        r[i] = (Raw) { .fd = i < GUESTS ? guests[i][1] : members[i - GUESTS][1] };
                        varlink_framer_init(&r[i].input, VARLINK_MESSAGE_SIZE_MAX);
                }
                for (unsigned k = 0; k < 100000 && received < (GUESTS + MEMBERS) * CALLS; k++) {
                        for (unsigned i = 0; i < GUESTS + MEMBERS; i++)
                                received += raw_take_replies(&r[i]);
                        pump(&t, 0);
                }
                assert_int_equal(received, (GUESTS + MEMBERS) * CALLS);
                for (unsigned i = 0; i < GUESTS + MEMBERS; i++)
                        raw_close(&r[i]);
        }
        assert_int_equal(t.calls, (GUESTS + MEMBERS) * CALLS + 3);
        test_server_teardown(&t);
}

static void on_test_drained(VarlinkServer *s, void *userdata) {
        unsigned *n = userdata;

        (*n)++;
}

/* Shutting down: replies already queued (more than the socket holds) are all delivered before the
 * connection closes; nothing new is accepted, read or dispatched; the waiter hears once, when the
 * last connection is gone. */
static void test_server_drain(void **state) {
        static const char request[] = "{\"method\":\"org.example.test.Big\",\"parameters\":{\"size\":200000}}";
        unsigned n = 8, drained = 0, calls;
        _cleanup_free_ char *batch = request_batch(request, sizeof(request), n);
        TestServer t;
        Raw a, idle, late;
        char c;

        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &a);
        raw_connect(&t, &idle);

        assert_int_equal(raw_send_bytes(&t, &a, batch, n * sizeof(request)), 0);
        for (unsigned i = 0; i < 1000 && t.calls < n; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(t.calls, n);
        /* Both connections accepted before the stop. */
        assert_int_equal(varlink_server_n_connections(t.server), 2);

        assert_false(varlink_server_draining(t.server));
        assert_int_equal(varlink_server_drain(t.server, on_test_drained, &drained), 0);
        assert_true(varlink_server_draining(t.server));
        /* The idle connection had nothing to write: closed at once. */
        assert_int_equal(varlink_server_n_connections(t.server), 1);
        assert_int_equal(drained, 0u);
        raw_expect_hangup(&t, &idle);

        /* Neither a new call on a draining connection nor a new connection is served. */
        raw_send(&t, &a, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"late\"}}");
        raw_connect(&t, &late);
        raw_send(&t, &late, "{\"method\":\"org.example.test.Echo\",\"parameters\":{\"text\":\"late\"}}");
        calls = t.calls;
        for (unsigned i = 0; i < 5; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_n_connections(t.server), 1);
        assert_int_equal(recv(late.fd, &c, 1, MSG_DONTWAIT), -1);
        assert_int_equal(errno, EAGAIN);

        /* Every reply queued before the stop arrives whole, then the end of the connection. */
        for (unsigned i = 0; i < n; i++) {
                _cleanup_(json_decrefp) json_t *reply = raw_expect_reply(&t, &a);

                assert_null(reply_error(reply));
                assert_int_equal(json_string_length(json_object_get(reply_params(reply), "data")), 200000);
        }
        raw_expect_hangup(&t, &a);
        assert_int_equal(t.calls, calls);
        assert_int_equal(varlink_server_n_connections(t.server), 0);
        assert_int_equal(drained, 1u);

        /* Asking again, with nothing left, answers at once. */
        assert_int_equal(varlink_server_drain(t.server, on_test_drained, &drained), 0);
        assert_int_equal(drained, 2u);

        raw_close(&a);
        raw_close(&idle);
        raw_close(&late);
        test_server_teardown(&t);
}

static void test_server_idle_timeout(void **state) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        TestServer t;
        Raw slow, quick;

        test_server_setup(&t, NULL, 200 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &slow);
        raw_connect(&t, &quick);

        /* Half a message, then nothing: the connection is closed, the other one served meanwhile. */
        assert_int_equal(raw_send_bytes(&t, &slow, "{\"method\":", 10), 0);
        raw_send(&t, &quick, "{\"method\":\"org.varlink.service.GetInfo\"}");
        reply = raw_expect_reply(&t, &quick);
        assert_null(reply_error(reply));
        raw_expect_hangup(&t, &slow);

        raw_close(&slow);
        raw_close(&quick);
        test_server_teardown(&t);
}

static void test_server_connection_limit(void **state) {
        Raw *raws = calloc(VARLINK_CONNECTIONS_MAX + 1, sizeof(Raw));
        TestServer t;

        assert_non_null(raws);
        test_server_setup(&t, NULL, 0);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);

        for (unsigned i = 0; i < VARLINK_CONNECTIONS_MAX; i++)
                raw_connect(&t, &raws[i]);
        for (unsigned i = 0; i < 1000 && varlink_server_n_connections(t.server) < VARLINK_CONNECTIONS_MAX; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_n_connections(t.server), VARLINK_CONNECTIONS_MAX);

        raw_connect(&t, &raws[VARLINK_CONNECTIONS_MAX]);
        raw_expect_hangup(&t, &raws[VARLINK_CONNECTIONS_MAX]);
        assert_int_equal(varlink_server_n_connections(t.server), VARLINK_CONNECTIONS_MAX);

        /* Once one goes, a new client gets in. */
        raw_close(&raws[0]);
        raw_close(&raws[VARLINK_CONNECTIONS_MAX]);
        for (unsigned i = 0; i < 100 && varlink_server_n_connections(t.server) == VARLINK_CONNECTIONS_MAX; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        raw_connect(&t, &raws[0]);
        raw_send(&t, &raws[0], "{\"method\":\"org.varlink.service.GetInfo\"}");
        json_decref(raw_expect_reply(&t, &raws[0]));

        for (unsigned i = 0; i <= VARLINK_CONNECTIONS_MAX; i++)
                raw_close(&raws[i]);
        free(raws);
        test_server_teardown(&t);
}

/* The rules of who gets one more connection, decided from the counts alone. */
static void test_connection_limit_rules(void **state) {
        const size_t open_max = VARLINK_CONNECTIONS_MAX - VARLINK_CONNECTIONS_RESERVED;

        /* Guests share one small pool, whatever their uids. */
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_GUEST, 4242, 0, 0, 0), VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_GUEST, 4242, 20, VARLINK_GUEST_CONNECTIONS_MAX - 1, 3),
                         VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_GUEST, 4243, 20, VARLINK_GUEST_CONNECTIONS_MAX, 0),
                         VARLINK_LIMIT_GUESTS);
        assert_true(VARLINK_GUEST_CONNECTIONS_MAX < VARLINK_UID_CONNECTIONS_MAX);
        /* A member is not held to the guests' pool, only to its own share. */
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_MEMBER, 1001, 20, VARLINK_GUEST_CONNECTIONS_MAX, 0),
                         VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_MEMBER, 1001, 40, 0, VARLINK_UID_CONNECTIONS_MAX - 1),
                         VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_MEMBER, 1001, 40, 0, VARLINK_UID_CONNECTIONS_MAX),
                         VARLINK_LIMIT_UID);
        /* An admin too; root only by the total. */
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_PRIVILEGED, 1003, 40, 0, VARLINK_UID_CONNECTIONS_MAX),
                         VARLINK_LIMIT_UID);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_PRIVILEGED, 0, 100, 0, 100), VARLINK_LIMIT_NONE);
        /* The reserve: members and guests stop short of it, root and admins go on into it. */
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_MEMBER, 1001, open_max - 1, 0, 0), VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_MEMBER, 1001, open_max, 0, 0), VARLINK_LIMIT_RESERVED);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_GUEST, 4242, open_max, 0, 0), VARLINK_LIMIT_RESERVED);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_PRIVILEGED, 1003, open_max, 0, 0), VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_PRIVILEGED, 0, VARLINK_CONNECTIONS_MAX - 1, 0, 200),
                         VARLINK_LIMIT_NONE);
        assert_int_equal(varlink_connection_limit(VARLINK_PEER_PRIVILEGED, 0, VARLINK_CONNECTIONS_MAX, 0, 200),
                         VARLINK_LIMIT_TOTAL);
        /* A class nobody knows is a guest. */
        assert_int_equal(varlink_connection_limit(_VARLINK_PEER_CLASS_INVALID, 4242, 20, VARLINK_GUEST_CONNECTIONS_MAX, 0),
                         VARLINK_LIMIT_GUESTS);
        for (VarlinkLimit l = 0; l < _VARLINK_LIMIT_MAX; l++)
                assert_non_null(varlink_limit_to_string(l));
}

static VarlinkPeerClass test_classify(const struct ucred *peer, void *userdata) {
        TestServer *t = userdata;

        assert_int_equal(peer->uid, getuid());
        t->classified++;
        return t->peer_class;
}

/* The server counts connections per class and uid as they come and go, and refuses past the
 * guests' pool while members and privileged peers still get in. */
static void test_server_connection_accounting(void **state) {
        int ends[VARLINK_GUEST_CONNECTIONS_MAX + 2][2];
        Raw raw;
        TestServer t;

        test_server_setup(&t, NULL, 0);
        varlink_server_set_classifier(t.server, test_classify);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);

        t.peer_class = VARLINK_PEER_GUEST;
        for (unsigned i = 0; i < VARLINK_GUEST_CONNECTIONS_MAX; i++) {
                assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends[i]), 0);
                assert_int_equal(varlink_server_add_connection(t.server, ends[i][0]), 0);
        }
        assert_int_equal(varlink_server_n_guest_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX);
        assert_int_equal(varlink_server_n_connections_of(t.server, getuid()), VARLINK_GUEST_CONNECTIONS_MAX);
        assert_int_equal(varlink_server_n_connections_of(t.server, getuid() + 1), 0);

        /* One guest too many: closed at once, not counted. */
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends[VARLINK_GUEST_CONNECTIONS_MAX]), 0);
        assert_int_equal(varlink_server_add_connection(t.server, ends[VARLINK_GUEST_CONNECTIONS_MAX][0]), -EBUSY);
        assert_int_equal(recv(ends[VARLINK_GUEST_CONNECTIONS_MAX][1], &(char) {0}, 1, MSG_DONTWAIT), 0);
        close(ends[VARLINK_GUEST_CONNECTIONS_MAX][1]);
        assert_int_equal(varlink_server_n_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX);
        assert_int_equal(varlink_server_n_guest_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX);

        /* The same through the listener: a guest is hung up on, a member is served. */
        raw_connect(&t, &raw);
        raw_expect_hangup(&t, &raw);
        raw_close(&raw);
        t.peer_class = VARLINK_PEER_MEMBER;
        raw_connect(&t, &raw);
        raw_send(&t, &raw, "{\"method\":\"org.varlink.service.GetInfo\"}");
        json_decref(raw_expect_reply(&t, &raw));
        assert_int_equal(varlink_server_n_guest_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX);
        assert_int_equal(varlink_server_n_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX + 1);
        raw_close(&raw);

        /* A guest that leaves makes room for another. */
        close(ends[0][1]);
        for (unsigned i = 0; i < 100 && varlink_server_n_guest_connections(t.server) == VARLINK_GUEST_CONNECTIONS_MAX; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_n_guest_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX - 1);
        t.peer_class = VARLINK_PEER_GUEST;
        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends[0]), 0);
        assert_int_equal(varlink_server_add_connection(t.server, ends[0][0]), 0);
        assert_int_equal(varlink_server_n_guest_connections(t.server), VARLINK_GUEST_CONNECTIONS_MAX);
        assert_true(t.classified >= VARLINK_GUEST_CONNECTIONS_MAX + 4);

        for (unsigned i = 0; i < VARLINK_GUEST_CONNECTIONS_MAX; i++)
                close(ends[i][1]);
        test_server_teardown(&t);
}

/* Part of a message held past the message timeout closes the connection long before the idle
 * timeout; a client completing its messages in time, in pieces, is served. */
static void test_server_message_timeout(void **state) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        TestServer t;
        Raw slow, steady;

        test_server_setup(&t, NULL, 30 * USEC_PER_SEC);
        varlink_server_set_message_timeout(t.server, 300 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), 0);
        raw_connect(&t, &slow);
        raw_connect(&t, &steady);

        assert_int_equal(raw_send_bytes(&t, &slow, "{\"method\":", 10), 0);
        for (unsigned i = 0; i < 3; i++) {
                assert_int_equal(raw_send_bytes(&t, &steady, "{\"method\":", 10), 0);
                for (unsigned j = 0; j < 10; j++)
                        pump(&t, 10 * USEC_PER_MSEC);
                raw_send(&t, &steady, "\"org.varlink.service.GetInfo\"}");
                reply = raw_expect_reply(&t, &steady);
                assert_null(reply_error(reply));
                json_decref(reply);
                reply = NULL;
        }
        raw_expect_hangup(&t, &slow);

        raw_close(&slow);
        raw_close(&steady);
        test_server_teardown(&t);
}

static void test_server_listen_path(void **state) {
        TestServer t, second;
        struct stat st;
        int fd;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        test_server_setup(&t, NULL, 0);
        strcpy(sa.sun_path, t.path);

        /* Not a socket: left alone. */
        fd = open(t.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        close(fd);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0600, (gid_t) -1), -EEXIST);
        assert_int_equal(unlink(t.path), 0);

        /* A stale socket (nobody listening) is replaced. */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(fd >= 0);
        assert_int_equal(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
        close(fd);
        assert_int_equal(varlink_server_listen_path(t.server, t.path, 0660, getgid()), 0);
        assert_int_equal(stat(t.path, &st), 0);
        assert_true(S_ISSOCK(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 0660);
        assert_int_equal(st.st_gid, getgid());

        /* A live one is not. */
        test_server_setup(&second, t.event, 0);
        assert_int_equal(varlink_server_listen_path(second.server, t.path, 0660, (gid_t) -1), -EADDRINUSE);
        test_server_teardown(&second);

        assert_int_equal(varlink_server_listen_path(t.server, "", 0660, (gid_t) -1), -EINVAL);
        t.server = varlink_server_free(t.server);
        assert_int_equal(stat(t.path, &st), -1);
        assert_int_equal(errno, ENOENT);
        test_server_teardown(&t);
}

/* The blocking client against a server running in a child process. */
static void test_client(void **state) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char dir[] = "/tmp/test-varlink-client-XXXXXX";
        json_t *params = NULL, *in;
        const char *error = (const char *) 1;
        bool continues;
        int fd, status;
        pid_t pid;

        assert_non_null(mkdtemp(dir));
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/socket", dir);

        assert_int_equal(varlink_client_connect(sa.sun_path, &c), -ENOENT);
        assert_null(c);
        /* Bound but not listening. */
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_int_equal(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);
        assert_int_equal(varlink_client_connect(sa.sun_path, &c), -ECONNREFUSED);
        assert_int_equal(listen(fd, SOMAXCONN), 0);

        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                TestServer t;
                int r;

                /* Never outlive the test, even when one of its assertions fails. */
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL);
                test_server_setup(&t, NULL, 0);
                r = varlink_server_listen_fd(t.server, fd);
                if (r >= 0)
                        r = sd_event_loop(t.event);
                test_server_teardown(&t);
                _exit(r < 0 ? 1 : 0);
        }
        close(fd);

        assert_int_equal(varlink_client_connect(sa.sun_path, &c), 0);
        assert_true(varlink_client_fd(c) >= 0);

        assert_int_equal(varlink_client_call(c, "org.varlink.service.GetInfo", NULL, &params, &error), 0);
        assert_null(error);
        assert_string_equal(json_string_value(json_object_get(params, "vendor")), "dutyd");
        json_decref(params);

        in = json_pack("{s:s, s:i}", "text", "值班", "n", 7);
        assert_int_equal(varlink_client_call(c, "org.example.test.Echo", in, &params, &error), 0);
        assert_null(error);
        assert_string_equal(json_string_value(json_object_get(params, "text")), "值班");
        assert_int_equal(json_integer_value(json_object_get(params, "n")), 7);
        json_decref(params);

        /* An error reply: the name stays valid until the next call. */
        json_object_set_new(in, "n", json_string("seven"));
        assert_int_equal(varlink_client_call(c, "org.example.test.Echo", in, &params, &error), 0);
        assert_non_null(error);
        assert_string_equal(error, VARLINK_ERROR_INVALID_PARAMETER);
        assert_string_equal(json_string_value(json_object_get(params, "parameter")), "n");
        json_decref(params);
        json_decref(in);

        /* A stream. */
        in = json_pack("{s:i}", "count", 2);
        assert_int_equal(varlink_client_call_more(c, "org.example.test.Stream", in), 0);
        json_decref(in);
        for (json_int_t i = 0; i <= 2; i++) {
                assert_int_equal(varlink_client_read_reply(c, &params, &error, &continues), 0);
                assert_null(error);
                assert_int_equal(json_integer_value(json_object_get(params, "i")), i);
                assert_true(continues == (i < 2));
                json_decref(params);
        }

        /* A reply that never comes times out; garbage ends the connection. */
        {
                static const char oneway[] = "{\"method\":\"org.example.test.Echo\","
                                             "\"parameters\":{\"text\":\"\"},\"oneway\":true}";

                assert_int_equal(varlink_client_send_raw(c, oneway, sizeof(oneway)), 0);
        }
        varlink_client_set_timeout(c, 100);
        assert_int_equal(varlink_client_read_reply(c, &params, &error, NULL), -ETIMEDOUT);
        assert_int_equal(varlink_client_send_raw(c, "garbage", 8), 0);
        varlink_client_set_timeout(c, VARLINK_CLIENT_TIMEOUT_MSEC);
        assert_int_equal(varlink_client_read_reply(c, &params, &error, NULL), -ECONNRESET);
        c = varlink_client_free(c);

        assert_int_equal(varlink_client_connect(sa.sun_path, &c), 0);
        assert_int_equal(varlink_client_call(c, "org.example.test.Quit", NULL, &params, &error), 0);
        assert_null(error);
        json_decref(params);

        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);

        (void) unlink(sa.sun_path);
        (void) rmdir(dir);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_framer_byte_by_byte),
                cmocka_unit_test(test_framer_merged),
                cmocka_unit_test(test_framer_oversize),
                cmocka_unit_test(test_framer_empty),
                cmocka_unit_test(test_framer_bounded),
                cmocka_unit_test(test_idl_real),
                cmocka_unit_test(test_idl_forms),
                cmocka_unit_test(test_idl_text_controls),
                cmocka_unit_test(test_idl_errors),
                cmocka_unit_test(test_idl_documented),
                cmocka_unit_test(test_server_basic),
                cmocka_unit_test(test_server_held_reply),
                cmocka_unit_test(test_server_hold),
                cmocka_unit_test(test_server_reply_too_long),
                cmocka_unit_test(test_server_protocol_violations),
                cmocka_unit_test(test_server_oversize),
                cmocka_unit_test(test_server_backpressure),
                cmocka_unit_test(test_server_backpressure_buffered),
                cmocka_unit_test(test_server_round_robin),
                cmocka_unit_test(test_server_output_budget),
                cmocka_unit_test(test_server_drain),
                cmocka_unit_test(test_server_idle_timeout),
                cmocka_unit_test(test_server_connection_limit),
                cmocka_unit_test(test_connection_limit_rules),
                cmocka_unit_test(test_server_connection_accounting),
                cmocka_unit_test(test_server_message_timeout),
                cmocka_unit_test(test_server_listen_path),
                cmocka_unit_test(test_client),
        };

        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
