/* SPDX-License-Identifier: GPL-2.0-or-later */

/* NotifyList, NotifyRetry, NotifyTest: the outbox as the office sees it. Nothing here contacts a
 * channel: a retry or a test is queued in the call's transaction and the notifier delivers it
 * after the reply (notify-send.h). */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "api-json.h"
#include "api-notify.h"
#include "duty-names.h"
#include "manager.h"
#include "notify-outbox.h"
#include "offices.h"
#include "store.h"

#define API_NOTIFY_LIMIT_DEFAULT 100
#define API_NOTIFY_LIMIT_MAX 1000

static json_t *delivered_json(const char *delivered) {
        json_t *a = json_array();
        const char *p = delivered;

        while (a && p && *p) {
                size_t n;

                p += strspn(p, ",");
                n = strcspn(p, ",");
                if (n == 0)
                        break;
                if (json_array_append_new(a, json_stringn(p, n)) < 0) {
                        json_decref(a);
                        return NULL;
                }
                p += n;
        }
        return a;
}

static json_t *notification_json(Manager *m, const StoreNotification *n) {
        Person office;
        /* A person, or an aggregator's office ("office:<id>", its reminders). */
        const Person *p = office_notify_recipient(m->config, n->person, &office);
        const char *lang = p && p->language ? p->language : api_language(m);
        json_t *delivered = delivered_json(n->delivered);

        if (!delivered)
                return NULL;
        return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o}",
                         "id", (json_int_t) n->id,
                         "uuid", n->uuid,
                         "kind", notify_kind_to_string(n->kind),
                         "person", n->person,
                         "person_name", json_string_or_null(p ? p->name : NULL),
                         "state", notify_state_to_string(n->state),
                         "attempts", (int) n->attempts,
                         "text", language_is_en(lang) ? n->text_en : n->text_zh,
                         "created", instant_to_json(n->created_usec),
                         "sent", n->state == NOTIFY_STATE_SENT ? instant_to_json(n->sent_usec) : json_null(),
                         "next_attempt", n->state == NOTIFY_STATE_QUEUED ? instant_to_json(n->next_usec) : json_null(),
                         "last_error", json_string_or_null(n->last_error),
                         "delivered", delivered);
}

static int reply_one(Manager *m, VarlinkCall *call, int64_t id) {
        StoreNotification n = {};
        json_t *j;
        int r;

        r = store_notify_get(m->store, id, &n);
        if (r < 0)
                return r;
        j = notification_json(m, &n);
        store_notification_done(&n);
        if (!j)
                return -ENOMEM;
        return varlink_call_reply(call, json_pack("{s:o}", "notification", j));
}

typedef struct ListParams {
        bool failed;
        int64_t limit;
} ListParams;

int api_notify_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "failed", JSON_TRUE,    api_param_bool,  offsetof(ListParams, failed), false },
                { "limit",  JSON_INTEGER, api_param_int64, offsetof(ListParams, limit),  false },
                {}
        };
        ListParams p = { .limit = API_NOTIFY_LIMIT_DEFAULT };
        bool all = id->access == ACCESS_ADMIN || id->access == ACCESS_ROOT;
        StoreNotification *v = NULL;
        size_t n = 0;
        json_t *a;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (p.limit < 1 || p.limit > API_NOTIFY_LIMIT_MAX)
                return varlink_call_error_invalid_parameter(call, "limit");

        /* Someone else's messages are filtered out after the query: a member's list may come out
         * shorter than the limit, never longer. */
        r = store_notify_list(m->store, p.failed, (size_t) (all ? p.limit : API_NOTIFY_LIMIT_MAX), &v, &n);
        if (r < 0)
                return r;
        a = json_array();
        for (size_t i = 0, k = 0; a && i < n && k < (size_t) p.limit; i++) {
                if (!all && (!id->person || !streq(id->person->id, v[i].person)))
                        continue;
                if (json_array_append_new(a, notification_json(m, &v[i])) < 0) {
                        json_decref(a);
                        a = NULL;
                }
                k++;
        }
        store_notification_free_many(v, n);
        if (!a)
                return -ENOMEM;
        return varlink_call_reply(call, json_pack("{s:o}", "notifications", a));
}

typedef struct RetryParams {
        int64_t id;
} RetryParams;

static int not_found(Manager *m, VarlinkCall *call, const char *what, const char *id) {
        bool en = api_language_en(m);
        _cleanup_free_ char *message = NULL;

        if (streq(what, "notification")) {
                if (asprintf(&message, en ? "there is no notification %s; `dutyctl notify list` shows them"
                                          : "没有编号为 %s 的通知；`dutyctl notify list` 可查看全部通知", id) < 0)
                        return -ENOMEM;
        } else if (asprintf(&message, en ? "nobody in the configuration has the id %s; `dutyctl people` lists them"
                                         : "配置中没有编号为 %s 的人员；`dutyctl people` 可查看人员名单", id) < 0)
                return -ENOMEM;
        return varlink_call_error(call, DUTY_ERROR_NOT_FOUND,
                                  json_pack("{s:s, s:s, s:s}", "what", what, "id", id, "message", message));
}

int api_notify_retry(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "id", JSON_INTEGER, api_param_id, offsetof(RetryParams, id), true },
                {}
        };
        RetryParams p = {};
        StoreNotification n = {};
        char buf[32];
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        r = store_notify_get(m->store, p.id, &n);
        if (r == -ENOENT) {
                (void) snprintf(buf, sizeof(buf), "%lld", (long long) p.id);
                return not_found(m, call, "notification", buf);
        }
        if (r < 0)
                return r;
        if (n.state != NOTIFY_STATE_SENT) {
                /* The same uuid: a receiver that did get an earlier attempt drops this one. */
                n.state = NOTIFY_STATE_QUEUED;
                n.attempts = 0;
                n.next_usec = manager_now_usec(m);
                r = store_notify_update(m->store, &n);
        }
        store_notification_done(&n);
        if (r < 0)
                return r;
        return reply_one(m, call, p.id);
}

typedef struct TestParams {
        const char *person;
} TestParams;

int api_notify_test(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "person", JSON_STRING, api_param_nonempty, offsetof(TestParams, person), true },
                {}
        };
        TestParams p = {};
        NotifyFacts f = { .kind = NOTIFY_KIND_TEST, .day = DAY_NONE, .until = DAY_NONE };
        StoreNotification *v = NULL;
        uint64_t now = manager_now_usec(m);
        size_t n = 0;
        char key[128];
        int64_t found = 0;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;
        if (!config_find_person(m->config, p.person))
                return not_found(m, call, "person", p.person);
        if (m->config->notify.n_channels == 0)
                return api_error_failed(call, api_language_en(m)
                        ? "no notification channel is configured; add notify.channels to dutyd.conf and reload"
                        : "未配置通知渠道；请在 dutyd.conf 的 notify.channels 中添加后重新加载配置");

        /* Each test is its own event: the key carries the moment. */
        (void) snprintf(key, sizeof(key), "test:%s:%llu", p.person, (unsigned long long) now);
        r = notify_outbox_add(m->store, m->config, p.person, key, &f, now);
        if (r < 0)
                return r;
        r = store_notify_list(m->store, false, 16, &v, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && found == 0; i++)
                if (v[i].kind == NOTIFY_KIND_TEST && streq(v[i].key, key))
                        found = v[i].id;
        store_notification_free_many(v, n);
        if (found == 0)
                return api_error_failed(call, api_language_en(m)
                        ? "the outbox is full: undelivered notifications wait; see `dutyctl notify list`"
                        : "通知队列已满，尚有未送达的通知；请执行 `dutyctl notify list` 查看");
        return reply_one(m, call, found);
}
