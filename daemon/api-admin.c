/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The administrator's methods: reloading the configuration and reading or verifying the audit log. */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "anchor.h"
#include "api-admin.h"
#include "duty-names.h"
#include "log.h"
#include "reload.h"
#include "store-audit.h"

#define API_AUDIT_LIST_DEFAULT   100
/* "YYYY-MM-DDTHH:MM:SS" + NUL. */

/* The formatted errors, one per line, as an array of strings. */
static json_t *errors_to_json(const char *text) {
        json_t *a = json_array();

        if (!a)
                return NULL;
        for (const char *p = strempty(text); *p; ) {
                size_t n = strcspn(p, "\n");

                if (n > 0 && json_array_append_new(a, json_stringn(p, n)) < 0) {
                        json_decref(a);
                        return NULL;
                }
                p += n;
                if (*p == '\n')
                        p++;
        }
        return a;
}

int api_reload(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        _cleanup_free_ char *text = NULL;
        json_t *errors;
        int r;

        /* id points into the configuration this call replaces: it is not used here. */
        r = manager_reload_notify(m, &text);
        if (r < 0) {
                errors = errors_to_json(text);
                if (errors && json_array_size(errors) == 0)
                        (void) json_array_append_new(errors, json_sprintf("%s: %s", m->config_path,
                                                                           strerror(-r)));
                if (!errors)
                        return -ENOMEM;
                return varlink_call_error(call, DUTY_ERROR_CONFIG_INVALID, json_pack("{s:o}", "errors", errors));
        }

        return api_reply(m, call, json_pack("{s:I, s:I}",
                                                  "people", (json_int_t) m->config->n_people,
                                                  "posts", (json_int_t) m->config->n_posts));
}

/* RFC 3339 (to the second), or "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" local time,
 * to µs since the epoch. */
static int parse_local_time(const char *s, uint64_t *ret) {
        char day[DAY_STRING_MAX];
        int minutes = 0, seconds, offset, y, mo, d;
        struct tm tm = {};
        Day dd;
        time_t t;

        if (timestamp_parse(s, &dd, &seconds, &offset) >= 0) {
                int64_t sec = (int64_t) dd * SECONDS_PER_DAY + seconds - offset;

                *ret = sec < 0 ? 0 : (uint64_t) sec * USEC_PER_SEC;
                return 0;
        }
        if (strlen(s) < DAY_STRING_MAX - 1)
                return -EINVAL;
        memcpy(day, s, DAY_STRING_MAX - 1);
        day[DAY_STRING_MAX - 1] = '\0';
        if (day_parse(day, &dd) < 0)
                return -EINVAL;
        s += DAY_STRING_MAX - 1;
        if (*s != '\0') {
                if (*s != 'T' && *s != ' ')
                        return -EINVAL;
                if (minutes_parse(s + 1, &minutes) < 0)
                        return -EINVAL;
        }

        day_to_ymd(dd, &y, &mo, &d);
        tm = (struct tm) {
                .tm_year = y - 1900,
                .tm_mon = mo - 1,
                .tm_mday = d,
                .tm_hour = minutes / 60,
                .tm_min = minutes % 60,
                .tm_isdst = -1,
        };
        t = mktime(&tm);
        if (t == (time_t) -1)
                return -EINVAL;
        *ret = t < 0 ? 0 : (uint64_t) t * USEC_PER_SEC;
        return 0;
}

/* Every row has its time, the epoch included (a clock set before 1970 dates its rows there). */
static json_t *audit_time_to_json(uint64_t usec) {
        char buf[TIMESTAMP_STRING_MAX];

        return instant_format(usec, buf) < 0 ? json_null() : json_string(buf);
}

static json_t *audit_entry_to_json(const StoreAuditEntry *e) {
        return json_pack("{s:I, s:o, s:I, s:o, s:s, s:s, s:s}",
                         "id", (json_int_t) e->id,
                         "at", audit_time_to_json(e->at_usec),
                         "uid", (json_int_t) e->uid,
                         "person", json_string_or_null(e->person),
                         "method", e->method,
                         "summary", e->summary,
                         "result", e->result);
}

typedef struct AuditListParams {
        uint64_t since_usec;
        const char *person;
        int64_t limit;
} AuditListParams;

/* uint64_t: a local time, as microseconds since the epoch. */
static int param_since(Manager *m, json_t *v, void *ret) {
        return parse_local_time(json_string_value(v), ret);
}

/* int64_t: 1 to STORE_AUDIT_LIST_MAX rows. */
static int param_audit_limit(Manager *m, json_t *v, void *ret) {
        json_int_t limit = json_integer_value(v);

        if (limit < 1 || limit > (json_int_t) STORE_AUDIT_LIST_MAX)
                return -EINVAL;
        *(int64_t *) ret = limit;
        return 0;
}

int api_audit_list(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "since",  JSON_STRING,  param_since,       offsetof(AuditListParams, since_usec), false },
                { "person", JSON_STRING,  api_param_string,  offsetof(AuditListParams, person),     false },
                { "limit",  JSON_INTEGER, param_audit_limit, offsetof(AuditListParams, limit),      false },
                {}
        };
        AuditListParams p = { .limit = API_AUDIT_LIST_DEFAULT };
        StoreAuditEntry *entries = NULL;
        size_t n = 0;
        json_t *array;
        int r;

        r = api_params_dispatch(m, call, params, table, &p);
        if (r != 0)
                return r < 0 ? r : 0;

        r = store_audit_list(m->store, p.since_usec, p.person, (size_t) p.limit, &entries, &n);
        if (r < 0) {
                log_error("Cannot read the audit log: %s", strerror(-r));
                return r;
        }

        array = json_array();
        for (size_t i = 0; array && i < n; i++)
                if (json_array_append_new(array, audit_entry_to_json(&entries[i])) < 0) {
                        json_decref(array);
                        array = NULL;
                        break;
                }
        store_audit_free_many(entries, n);
        if (!array)
                return -ENOMEM;

        return api_reply(m, call, json_pack("{s:o}", "entries", array));
}

static int anchor_hash_at(int64_t seq, char ret_hash[static ANCHOR_HASH_SIZE], void *userdata) {
        return store_audit_hash_at(userdata, seq, ret_hash);
}

/* Compares the database with the newest anchors in the journal (anchor.h). A journal that cannot
 * be read is a verdict of its own, never "matched". */
static int audit_verify_anchors(Manager *m, AnchorVerdict *ret_verdict, int64_t *ret_seq, int64_t *ret_newest) {
        _cleanup_free_ Anchor *anchors = NULL;
        char head[ANCHOR_HASH_SIZE];
        size_t n = 0;
        int64_t last;
        int r;

        r = store_audit_head(m->store, &last, head);
        if (r < 0)
                return r;

        r = anchor_read_journal(m->database_path, ANCHOR_READ_MAX, /* since_reset= */ false, &anchors, &n);
        if (r < 0) {
                log_warning("Cannot read the audit chain's anchors from the journal: %s", strerror(-r));
                *ret_verdict = ANCHOR_UNAVAILABLE;
                *ret_seq = 0;
                *ret_newest = 0;
                return 0;
        }

        r = anchor_check(anchors, n, last, anchor_hash_at, m->store, ret_verdict, ret_seq);
        if (r < 0)
                return r;
        *ret_newest = n > 0 ? anchors[0].seq : 0;
        return 0;
}

int api_audit_verify(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        AnchorVerdict verdict = ANCHOR_UNAVAILABLE;
        int64_t bad = 0, seq = 0, newest = 0;
        uint64_t rows = 0;
        json_t *reply;
        bool ok = false;
        int r;

        r = store_count_audit(m->store, &rows);
        if (r < 0) {
                log_error("Cannot count the audit log: %s", strerror(-r));
                return r;
        }

        r = store_audit_verify(m->store, &bad);
        if (r == -EBADMSG) {
                log_warning("The audit log's hash chain is broken at row %" PRIi64 ".", bad);
                return api_reply(m, call, json_pack("{s:b, s:I, s:I}",
                                                          "ok", false,
                                                          "rows", (json_int_t) rows,
                                                          "first_bad", (json_int_t) bad));
        }
        if (r < 0) {
                log_error("Cannot verify the audit log: %s", strerror(-r));
                return r;
        }

        r = audit_verify_anchors(m, &verdict, &seq, &newest);
        if (r < 0) {
                log_error("Cannot compare the audit log with its anchors: %s", strerror(-r));
                return r;
        }

        switch (verdict) {
        case ANCHOR_MATCHED:
        case ANCHOR_NONE:
        case ANCHOR_UNAVAILABLE:
                ok = true;
                break;
        case ANCHOR_TRUNCATED:
        case ANCHOR_REHASHED:
        case ANCHOR_ROLLED_BACK:
                log_warning("The audit log disagrees with its anchor of row %" PRIi64 " in the journal (%s).",
                            seq, anchor_verdict_to_string(verdict));
                ok = false;
                break;
        case _ANCHOR_VERDICT_MAX:
        case _ANCHOR_VERDICT_INVALID:
                return -EINVAL;
        }

        reply = json_pack("{s:b, s:I, s:s}", "ok", ok, "rows", (json_int_t) rows,
                          "anchors", anchor_verdict_to_string(verdict));
        if (!reply)
                return -ENOMEM;
        if ((newest > 0 && json_object_set_new(reply, "anchor_newest", json_integer(newest)) < 0) ||
            (seq > 0 && json_object_set_new(reply, "anchor_seq", json_integer(seq)) < 0)) {
                json_decref(reply);
                return -ENOMEM;
        }
        return api_reply(m, call, reply);
}
