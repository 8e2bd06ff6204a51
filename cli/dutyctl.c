/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl: the command-line client of dutyd. Adding a verb means one handler and one line in the
 * verb table below; parsing, argument checking and help follow from the table. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build-config.h"
#include "client.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

#define PROGRAM_NAME "dutyctl"
#define UPTIME_STRING_MAX 64
#define INT_STRING_MAX 24

typedef struct Context {
        const char *socket_path;
        bool json;
} Context;

static const char *json_str(json_t *object, const char *key) {
        const char *s = json_string_value(json_object_get(object, key));

        return isempty(s) ? "-" : s;
}

static const char *json_int_str(json_t *object, const char *key, char buf[static INT_STRING_MAX]) {
        json_t *v = json_object_get(object, key);

        if (!json_is_integer(v))
                return "-";
        snprintf(buf, INT_STRING_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
}

/* The string members of a JSON array joined by sep; "-" for none. */
static char *json_strv_join(json_t *array, const char *sep) {
        size_t len = 0, i;
        json_t *v;
        char *s, *p;

        json_array_foreach(array, i, v)
                if (json_is_string(v))
                        len += strlen(json_string_value(v)) + strlen(sep);

        if (len == 0)
                return strdup("-");

        s = malloc(len + 1);
        if (!s)
                return NULL;

        p = s;
        json_array_foreach(array, i, v) {
                if (!json_is_string(v))
                        continue;
                if (p != s)
                        p = stpcpy(p, sep);
                p = stpcpy(p, json_string_value(v));
        }
        *p = '\0';
        return s;
}

static char *format_uptime(int64_t sec, char buf[static UPTIME_STRING_MAX]) {
        int64_t d, h, m, s;

        if (sec < 0) {
                snprintf(buf, UPTIME_STRING_MAX, "-");
                return buf;
        }

        d = sec / 86400;
        h = sec / 3600 % 24;
        m = sec / 60 % 60;
        s = sec % 60;

        if (d > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "天 %" PRId64 "小时 %" PRId64 "分"), d, h, m);
        else if (h > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "小时 %" PRId64 "分"), h, m);
        else if (m > 0)
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "分 %" PRId64 "秒"), m, s);
        else
                snprintf(buf, UPTIME_STRING_MAX, _("%" PRId64 "秒"), s);
        return buf;
}

static int print_status(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        char uptime[UPTIME_STRING_MAX], schema[INT_STRING_MAX];
        char people[INT_STRING_MAX], groups[INT_STRING_MAX], posts[INT_STRING_MAX], conns[INT_STRING_MAX];
        json_t *counts = json_object_get(reply, "counts"), *up = json_object_get(reply, "uptime_sec");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        if ((r = table_add_pair(t, _("版本"), "%s", json_str(reply, "version"))) < 0 ||
            (r = table_add_pair(t, _("单位"), "%s", json_str(reply, "office"))) < 0 ||
            (r = table_add_pair(t, _("运行时间"), "%s",
                                json_is_integer(up) ? format_uptime(json_integer_value(up), uptime) : "-")) < 0 ||
            (r = table_add_pair(t, _("配置文件"), "%s", json_str(reply, "config_path"))) < 0 ||
            (r = table_add_pair(t, _("数据库"), "%s", json_str(reply, "database"))) < 0 ||
            (r = table_add_pair(t, _("数据库版本"), "%s", json_int_str(reply, "schema_version", schema))) < 0 ||
            (r = table_add_pair(t, _("时区"), "%s", json_str(reply, "timezone"))) < 0 ||
            (r = table_add_pair(t, _("交接班时间"), "%s", json_str(reply, "handover"))) < 0 ||
            (r = table_add_pair(t, _("数量"), _("人员 %s，分组 %s，岗位 %s，连接 %s"),
                                json_int_str(counts, "people", people),
                                json_int_str(counts, "groups", groups),
                                json_int_str(counts, "posts", posts),
                                json_int_str(counts, "connections", conns))) < 0)
                return r;

        return table_print(t, f);
}

static int print_whoami(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *roles = NULL;
        char uid[INT_STRING_MAX];
        json_t *person = json_object_get(reply, "person");
        int r;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        r = table_add_pair(t, _("用户ID"), "%s", json_int_str(reply, "uid", uid));
        if (r < 0)
                return r;
        r = table_add_pair(t, _("用户"), "%s", json_str(reply, "user"));
        if (r < 0)
                return r;

        if (json_is_object(person)) {
                roles = json_strv_join(json_object_get(person, "roles"), ",");
                if (!roles)
                        return -ENOMEM;

                if ((r = table_add_pair(t, _("人员"), "%s (%s)", json_str(person, "name"), json_str(person, "id"))) < 0 ||
                    (r = table_add_pair(t, _("职务"), "%s", json_str(person, "title"))) < 0 ||
                    (r = table_add_pair(t, _("角色"), "%s", roles)) < 0)
                        return r;
        } else {
                r = table_add_pair(t, _("人员"), "%s", _("（未登记）"));
                if (r < 0)
                        return r;
        }

        r = table_add_pair(t, _("权限"), "%s", json_str(reply, "access"));
        if (r < 0)
                return r;

        return table_print(t, f);
}

static int print_people(FILE *f, json_t *reply) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *people = json_object_get(reply, "people"), *p;
        size_t i;
        int r;

        r = table_new(5, (const char *const[]) { _("ID"), _("姓名"), _("职务"), _("角色"), _("电话") }, &t);
        if (r < 0)
                return r;

        json_array_foreach(people, i, p) {
                _cleanup_free_ char *roles = json_strv_join(json_object_get(p, "roles"), ",");

                if (!roles)
                        return -ENOMEM;

                r = table_add_row(t, (const char *const[]) {
                                json_str(p, "id"), json_str(p, "name"), json_str(p, "title"),
                                roles, json_str(p, "phone") });
                if (r < 0)
                        return r;
        }

        return table_print(t, f);
}

/* Connects, calls, and prints the reply as JSON or through print(). */
static int call_and_print(const Context *ctx, const char *method, json_t *params,
                          int (*print)(FILE *f, json_t *reply)) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        json_t *reply = NULL;
        int r;

        r = client_connect(ctx->socket_path, &c);
        if (r < 0)
                return r;

        r = client_call(c, method, params, &reply);
        if (r < 0)
                return r;

        r = ctx->json ? output_json(stdout, reply) : print(stdout, reply);
        json_decref(reply);
        if (r < 0)
                fprintf(stderr, _("dutyctl: cannot print the reply: %s\n"), strerror(-r));
        return r;
}

static int verb_status(const VerbArgs *args, void *userdata) {
        return call_and_print(userdata, "Status", NULL, print_status);
}

static int verb_whoami(const VerbArgs *args, void *userdata) {
        return call_and_print(userdata, "Whoami", NULL, print_whoami);
}

static int verb_people(const VerbArgs *args, void *userdata) {
        json_t *params = json_object();
        const char *role = verb_args_get(args, "role");
        int r;

        if (!params)
                return -ENOMEM;
        if (role && json_object_set_new(params, "role", json_string(role)) < 0) {
                json_decref(params);
                return -ENOMEM;
        }

        r = call_and_print(userdata, "ListPeople", params, print_people);
        json_decref(params);
        return r;
}

static const VerbOption people_options[] = {
        { "role", '\0', "ROLE", "only people holding ROLE: leader, officer, approver or admin" },
};

static const Verb verbs[] = {
        { "status", "", "Show the daemon's state: version, office, uptime, files, counts.",
          0, 0, NULL, 0, verb_status },
        { "whoami", "", "Show who the daemon takes the caller to be, and the access it grants.",
          0, 0, NULL, 0, verb_whoami },
        { "people", "[--role ROLE]", "List the people of the office.",
          0, 0, people_options, ELEMENTSOF(people_options), verb_people },
};

static const VerbOption global_options[] = {
        { "socket", 's', "PATH", "dutyd's socket (default $DUTYD_SOCKET, or " DUTYD_SOCKET_DEFAULT ")" },
        { "json", '\0', NULL, "print replies as JSON" },
        { "version", '\0', NULL, "show the version and exit" },
};

static int help(FILE *f) {
        int r;

        fprintf(f, _("Usage: %s [OPTIONS] VERB [ARGS…]\n\n"
                     "Query the duty roster kept by dutyd.\n\n"
                     "Options:\n"), PROGRAM_NAME);
        r = verb_options_print_help(f, global_options, ELEMENTSOF(global_options));
        if (r < 0)
                return r;
        fputs(_("\nVerbs:\n"), f);
        r = verbs_print_list(f, verbs, ELEMENTSOF(verbs));
        if (r < 0)
                return r;
        fprintf(f, _("\nRun '%s VERB --help' for the options of a verb.\n"), PROGRAM_NAME);
        return 0;
}

static int usage_error(const char *message, const char *verb) {
        fprintf(stderr, "%s: %s\n", PROGRAM_NAME, message);
        if (verb)
                fprintf(stderr, _("See '%s %s --help'.\n"), PROGRAM_NAME, verb);
        else
                fprintf(stderr, _("See '%s --help'.\n"), PROGRAM_NAME);
        return CLIENT_EXIT_USAGE;
}

static int parse_failed(int r, const char *error, const char *verb) {
        if (r == -EINVAL && error)
                return usage_error(error, verb);
        fprintf(stderr, _("%s: cannot parse the command line: %s\n"), PROGRAM_NAME, strerror(-r));
        return CLIENT_EXIT_DAEMON_ERROR;
}

static int run(int argc, char *argv[]) {
        _cleanup_(verb_args_done) VerbArgs global = {}, verb_args = {};
        _cleanup_free_ char *error = NULL, *message = NULL;
        Context ctx = {
                .socket_path = DUTYD_SOCKET_DEFAULT,
        };
        const Verb *verb;
        const char *e;
        int r;

        r = verb_options_parse(global_options, ELEMENTSOF(global_options), true,
                               argc - 1, argv + 1, &global, &error);
        if (r < 0)
                return parse_failed(r, error, NULL);

        if (global.help)
                return help(stdout) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;
        if (verb_args_has(&global, "version")) {
                printf("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
                return CLIENT_EXIT_OK;
        }

        e = getenv("DUTYD_SOCKET");
        if (!isempty(e))
                ctx.socket_path = e;
        e = verb_args_get(&global, "socket");
        if (e) {
                if (isempty(e))
                        return usage_error(_("option '--socket' needs a non-empty PATH"), NULL);
                ctx.socket_path = e;
        }
        ctx.json = verb_args_has(&global, "json");

        if (global.n_args == 0)
                return usage_error(_("no verb given"), NULL);

        verb = verb_find(verbs, ELEMENTSOF(verbs), global.args[0]);
        if (!verb) {
                if (asprintf(&message, _("unknown verb '%s'"), global.args[0]) < 0)
                        return CLIENT_EXIT_DAEMON_ERROR;
                return usage_error(message, NULL);
        }

        r = verb_parse(verb, (int) global.n_args, global.args, &verb_args, &error);
        if (r < 0)
                return parse_failed(r, error, verb->name);

        if (verb_args.help)
                return verb_print_help(stdout, PROGRAM_NAME, verb) < 0 ? CLIENT_EXIT_DAEMON_ERROR : CLIENT_EXIT_OK;

        return client_exit_status(verb->run(&verb_args, &ctx));
}

int main(int argc, char *argv[]) {
        return run(argc, argv);
}
