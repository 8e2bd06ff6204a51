/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>

#include "api.h"
#include "api-audit.h"
#include "api-methods.h"
#include "duty-names.h"
#include "log.h"
#include "i18n.h"

/* The entry of every call: api_methods() gives the server one method function for all, api_dispatch(),
 * which identifies the caller, checks the method table's access level, gives the call the caller's
 * language and runs the handler (a write in the request's transaction, api-audit.c). */

static bool streq_null(const char *a, const char *b) {
        return a && b && streq(a, b);
}

/* The caller's language as sent with the call ("zh_CN.UTF-8", "en_US", "zh"…) reduced to one that
 * dutyd writes, or NULL to keep the configured one. */
static const char *api_call_language(VarlinkCall *call) {
        return i18n_language_from_locale(varlink_call_language(call));
}

/* The uniform sentence for a person id nobody in the configuration has, wherever it was named. */
static char *unknown_person_message(const char *id, const char *lang) {
        char *s = NULL;

        if (asprintf(&s, language_is_en(lang) ? "there is nobody with id \"%s\" in this office; `dutyctl people` lists the people and their ids"
                                          : "本办公室没有 id 为“%s”的人员；`dutyctl people` 可列出全部人员及其 id",
                     strempty(id)) < 0)
                return NULL;
        return s;
}

/* The holiday names known for the years of the configuration's notices, "、"- or ", "-joined. */
static char *known_holidays_message(const Config *c, const char *name, const char *lang) {
        _cleanup_free_ char *names = NULL;
        size_t size = 0;
        char *s = NULL;
        FILE *f;
        bool first = true;

        f = open_memstream(&names, &size);
        if (!f)
                return NULL;
        for (size_t i = 0; i < c->n_holiday_days; i++) {
                const char *n = c->holiday_days[i].name;
                bool seen = false;

                if (isempty(n) || !c->holiday_days[i].off)
                        continue;
                for (size_t j = 0; j < i && !seen; j++)
                        seen = c->holiday_days[j].off && streq_null(c->holiday_days[j].name, n);
                if (seen)
                        continue;
                /* Quoted: a name may itself hold a "、" (国庆节、中秋节). */
                fprintf(f, language_is_en(lang) ? "%s\"%s\"" : "%s“%s”", first ? "" : language_is_en(lang) ? ", " : "、", n);
                first = false;
        }
        if (fclose(f) != 0)
                return NULL;

        if (asprintf(&s, language_is_en(lang) ? "no holiday \"%s\"; the known holidays are: %s (`dutyctl calendar --year YEAR` shows their days)"
                                          : "没有名为“%s”的节假日；已知的节假日有：%s（`dutyctl calendar --year 年份` 可查看具体日期）",
                     strempty(name), first ? "-" : names) < 0)
                return NULL;
        return s;
}

/* Where to look up what exists, for a record not found; NULL where the refusal says it already. */
static const char *not_found_hint(const char *what, const char *lang) {
        static const struct {
                const char *what, *zh, *en;
        } hints[] = {
                { "leave",            "`dutyctl leave list` 可列出您能查看的请假", "`dutyctl leave list` lists the leave you may see" },
                { "swap",             "`dutyctl swap list` 可列出您能查看的换班",  "`dutyctl swap list` lists the swaps you may see" },
                { "log_entry",        "`dutyctl log list [日期]` 可列出当日值班记录", "`dutyctl log list [DATE]` lists a duty day's log" },
                { "sensitive_period", "`dutyctl sensitive list` 可列出敏感时期",   "`dutyctl sensitive list` lists them" },
                { "unavailability",   "`dutyctl unavailable list` 可列出登记",     "`dutyctl unavailable list` lists them" },
                { "publication",      "`dutyctl roster diff` 不带版本号时与最新发布的版本比较",
                                      "`dutyctl roster diff` without a version compares with the newest one published" },
        };

        for (size_t i = 0; i < ELEMENTSOF(hints); i++)
                if (streq_null(what, hints[i].what))
                        return language_is_en(lang) ? hints[i].en : hints[i].zh;
        return NULL;
}

/* The daemon's sentence without its full stop, then the hint. */
static char *message_with_hint(const char *message, const char *hint, const char *lang) {
        size_t n = strlen(message);
        char *s = NULL;

        if (n >= strlen("。") && streq(message + n - strlen("。"), "。"))
                n -= strlen("。");
        else if (n > 0 && message[n - 1] == '.')
                n--;
        if (asprintf(&s, language_is_en(lang) ? "%.*s; %s" : "%.*s；%s", (int) n, message, hint) < 0)
                return NULL;
        return s;
}

/* The posts of the configuration, "id (name)", for a post not found. */
static char *known_posts_message(const Config *c, const char *message, const char *lang) {
        _cleanup_free_ char *posts = NULL, *hint = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&posts, &size);
        if (!f)
                return NULL;
        for (size_t i = 0; i < c->n_posts; i++)
                fprintf(f, language_is_en(lang) ? "%s%s (%s)" : "%s%s（%s）",
                        i == 0 ? "" : language_is_en(lang) ? ", " : "、", c->posts[i].id, c->posts[i].name);
        if (fclose(f) != 0)
                return NULL;
        if (asprintf(&hint, language_is_en(lang) ? "the posts are: %s" : "岗位有：%s", posts) < 0)
                return NULL;
        return message_with_hint(message, hint, lang);
}

/* Rewrites a refusal the handler sent so that it reads the same everywhere and says what to do
 * next: an unknown person in one wording with the command that lists people, an unknown holiday
 * with the names that exist. The error's name and its machine-readable members stay as they are. */
static void api_refine_refusal(const Config *c, VarlinkCall *call, json_t *call_params) {
        _cleanup_free_ char *message = NULL;
        const char *error = varlink_call_reply_error(call);
        json_t *params = varlink_call_reply_parameters(call), *copy;
        const char *what, *id;

        if (!error || !params)
                return;

        what = json_string_value(json_object_get(params, "what"));
        id = json_string_value(json_object_get(params, "id"));
        if (streq(error, DUTY_ERROR_NOT_FOUND) && streq_null(what, "person"))
                message = unknown_person_message(id, c->language);
        else if (streq(error, DUTY_ERROR_NOT_FOUND) && streq_null(what, "holiday"))
                /* The name as the caller gave it: the id names the year too. */
                message = known_holidays_message(c, json_string_value(json_object_get(call_params, "name")) ?: id,
                                                 c->language);
        else if (streq(error, DUTY_ERROR_NOT_FOUND) && streq_null(what, "post") &&
                 json_string_value(json_object_get(params, "message")))
                message = known_posts_message(c, json_string_value(json_object_get(params, "message")), c->language);
        else if (streq(error, DUTY_ERROR_NOT_FOUND) && not_found_hint(what, c->language) &&
                 json_string_value(json_object_get(params, "message")))
                message = message_with_hint(json_string_value(json_object_get(params, "message")),
                                            not_found_hint(what, c->language), c->language);
        else if (streq(error, DUTY_ERROR_SWAP_REFUSED) &&
                 streq_null(json_string_value(json_object_get(params, "rule")), "staff") &&
                 json_string_value(json_object_get(params, "person")) &&
                 !config_find_person(c, json_string_value(json_object_get(params, "person"))))
                message = unknown_person_message(json_string_value(json_object_get(params, "person")),
                                                 c->language);
        if (!message)
                return;

        copy = json_deep_copy(params);
        if (!copy || json_object_set_new(copy, "message", json_string(message)) < 0) {
                json_decref(copy);
                return;
        }
        (void) varlink_call_replace_error(call, error, copy);
}

int api_dispatch(VarlinkCall *call, json_t *params, void *userdata) {
        Manager *m = userdata;
        const struct ucred *cred = varlink_call_peer(call);
        const char *method = varlink_call_method(call);
        const char *lang = api_call_language(call);
        const ApiMethod *table, *row;
        Config *configured = m->config;
        Config view;
        Identity id;
        size_t n;
        int r, q;

        table = api_method_table_get(&n);
        row = api_method_find(table, n, method);
        /* The server dispatches only the methods of the table (api_methods()). */
        if (!row)
                return varlink_call_error(call, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED,
                                          json_pack("{s:s}", "method", method));

        id = auth_identify_peer_cached(&m->peer_names, m->config, cred->uid, manager_uptime_usec(m));
        if (!api_method_allowed(row, &id)) {
                _cleanup_free_ char *message = api_refusal_message(&id, row, lang ?: m->config->language);

                log_info("Refused %s to uid %u (%s).", method, (unsigned) id.uid, access_to_string(id.access));
                r = api_refuse_with(call, &id, REFUSAL_DENIED, NULL, DAY_NONE, message);
                if (row->writes)
                        api_audit_refusal(m, &id, method, params);
                return r;
        }

        /* The caller's language travels to every sentence the handlers write through the one path
         * they all read, the configuration's language: for this call only, m->config is a view of
         * the configuration with the caller's language. */
        if (lang && !streq(lang, m->config->language) && !row->configured_language) {
                view = *m->config;
                view.language = (char *) lang;
                m->journal_language = configured->language;
                m->config = &view;
        }

        if (row->writes)
                r = api_run_audited(m, call, &id, row->handler, params);
        else {
                /* A read runs on the store's reader (store.h): it sees what is committed, never the
                 * writes of the group waiting for its commit, so it is answered now, not held for
                 * their fdatasync. */
                store_read_scope_begin(m->store);
                r = row->handler(m, call, &id, params);
                store_read_scope_end(m->store);
        }
        api_refine_refusal(m->config, call, params);
        if (m->config == &view) {
                m->config = configured;
                m->journal_language = NULL;
        }

        /* A write is acknowledged when its group commits (api-audit.c). If its reply cannot be
         * held, the group commits now, before the reply goes out. */
        q = row->writes ? api_group_join(m, call) : 0;
        if (q < 0) {
                log_error("Cannot hold the reply of %s until its commit, committing now: %s", method, strerror(-q));
                q = api_group_commit(m);
                if (q < 0 && row->writes && varlink_call_replied(call) && !varlink_call_reply_error(call))
                        (void) varlink_call_replace_error(call, DUTY_ERROR_FAILED,
                                                          json_pack("{s:s}", "message", api_failed_message(m, q)));
        }
        return r;
}

int api_methods(const VarlinkIdl *idl, VarlinkMethod **ret, size_t *ret_n, char **ret_error) {
        _cleanup_free_ VarlinkMethod *methods = NULL;
        const ApiMethod *table;
        size_t n;
        int r;

        table = api_method_table_get(&n);
        r = api_methods_check(idl, table, n, ret_error);
        if (r < 0)
                return r;

        methods = calloc(n, sizeof(VarlinkMethod));
        if (!methods)
                return -ENOMEM;
        /* Every method goes through api_dispatch(), so authorization is checked once. */
        for (size_t i = 0; i < n; i++)
                methods[i] = (VarlinkMethod) {
                        .name = table[i].name,
                        .fn = api_dispatch,
                };

        *ret = TAKE_PTR(methods);
        *ret_n = n;
        return 0;
}
