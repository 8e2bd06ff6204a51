/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "offices.h"
#include "report-fields.h"
#include "string-table.h"

static const char *const report_kind_table[_REPORT_KIND_MAX] = {
        [REPORT_KIND_ROSTER] = REPORT_KIND_NAME_ROSTER,
        [REPORT_KIND_AWAY] = REPORT_KIND_NAME_AWAY,
};
DEFINE_STRING_TABLE_LOOKUP(report_kind, ReportKind);

static const char *const report_timeliness_table[_REPORT_TIMELINESS_MAX] = {
        [REPORT_PENDING] = "pending",
        [REPORT_ON_TIME] = "on_time",
        [REPORT_LATE] = "late",
        [REPORT_MISSING] = "missing",
};
DEFINE_STRING_TABLE_LOOKUP(report_timeliness, ReportTimeliness);

void office_report_done(OfficeReport *r) {
        if (!r)
                return;
        free(r->office);
        free(r->key);
        free(r->state);
        free(r->payload);
        free(r->person);
        free(r->destination);
        free(r->start);
        free(r->end);
        free(r->acting);
        *r = (OfficeReport) {};
}

void office_report_free_many(OfficeReport *r, size_t n) {
        for (size_t i = 0; r && i < n; i++)
                office_report_done(&r[i]);
        free(r);
}

bool report_state_is_valid(ReportKind kind, const char *state) {
        static const char *const roster[] = { "published", "amended", NULL };
        static const char *const away[] = { "approved", "changed", "cancelled", "returned", NULL };
        const char *const *list = NULL;

        if (!state)
                return false;
        switch (kind) {
        case REPORT_KIND_ROSTER:
                list = roster;
                break;
        case REPORT_KIND_AWAY:
                list = away;
                break;
        case _REPORT_KIND_MAX:
        case _REPORT_KIND_INVALID:
                return false;
        }
        for (size_t i = 0; list[i]; i++)
                if (streq(list[i], state))
                        return true;
        return false;
}

bool report_away_is_active(const char *state) {
        return state && (streq(state, "approved") || streq(state, "changed"));
}

/* A key is printable ASCII without separators: it ends up in SQL parameters, CSV and MESSAGEs. */
static bool report_key_is_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > REPORT_KEY_MAX)
                return false;
        for (const char *q = s; *q; q++)
                if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
                      *q == '-' || *q == '_' || *q == '.'))
                        return false;
        return true;
}

static int version_parse(const char *s, int64_t *ret) {
        char *end;
        long long v;

        if (!s || *s < '0' || *s > '9' || strlen(s) > 18)
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || *end || v <= 0)
                return -EINVAL;
        *ret = v;
        return 0;
}

int report_entry_check(const ReportFields *f, const char *sender, uint64_t realtime_usec, OfficeReport *ret) {
        OfficeReport r = {};
        ReportKind kind;
        int64_t version;
        Day from, to;

        if (!f || !sender || !ret)
                return -EINVAL;
        if (!f->office || !streq(f->office, sender))
                return -EPERM;
        if (f->json && f->json_size > REPORT_JSON_MAX)
                return -E2BIG;
        kind = report_kind_from_string(f->kind);
        if (kind < 0 || !report_key_is_valid(f->key) || version_parse(f->version, &version) < 0 ||
            !report_state_is_valid(kind, f->state) || !f->json || f->json_size == 0 ||
            day_parse(strempty(f->from), &from) < 0 || day_parse(strempty(f->to), &to) < 0 || to < from)
                return -EBADMSG;
        /* A roster covers one holiday; a longer span is not one, and would let a report grow the
         * aggregator's answers without bound. */
        if (kind == REPORT_KIND_ROSTER && to - from >= REPORT_DAYS_MAX)
                return -EBADMSG;

        r = (OfficeReport) {
                .office = strdup(f->office),
                .kind = kind,
                .key = strdup(f->key),
                .version = version,
                .state = strdup(f->state),
                .from = from,
                .to = to,
                .written_usec = realtime_usec,
                .first_usec = realtime_usec,
                .payload = strndup(f->json, f->json_size),
        };
        if (!r.office || !r.key || !r.state || !r.payload) {
                office_report_done(&r);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

ReportTimeliness report_timeliness(bool has_report, uint64_t first_usec, uint64_t deadline_usec, uint64_t now_usec) {
        if (has_report)
                return first_usec <= deadline_usec ? REPORT_ON_TIME : REPORT_LATE;
        return now_usec > deadline_usec ? REPORT_MISSING : REPORT_PENDING;
}

int report_file_office(const char *filename, char *ret, size_t ret_size) {
        static const char prefix[] = "remote-";
        const char *id, *end;
        size_t n, rest;

        if (!filename || !ret || strncmp(filename, prefix, sizeof(prefix) - 1) != 0)
                return -EINVAL;
        id = filename + sizeof(prefix) - 1;
        end = strchr(id, '@');
        if (!end) {
                end = strstr(id, ".journal");
                if (!end)
                        return -EINVAL;
        }
        /* What follows must be the journal suffix: "….journal" or "….journal~". */
        rest = strlen(end);
        if (!((rest >= 8 && streq(end + rest - 8, ".journal")) || (rest >= 9 && streq(end + rest - 9, ".journal~"))))
                return -EINVAL;
        if (*end != '@' && !streq(end, ".journal") && !streq(end, ".journal~"))
                return -EINVAL;
        n = (size_t) (end - id);
        if (n + 1 > ret_size)
                return -ENAMETOOLONG;
        memcpy(ret, id, n);
        ret[n] = '\0';
        if (!office_id_is_valid(ret))
                return -EINVAL;
        return 0;
}

const Person *office_notify_recipient(const Config *c, const char *recipient, Person *buf) {
        const AggregatorOffice *o;

        if (!c || !recipient)
                return NULL;
        if (strncmp(recipient, OFFICE_RECIPIENT_PREFIX, sizeof(OFFICE_RECIPIENT_PREFIX) - 1) != 0)
                return config_find_person(c, recipient);

        o = config_find_office(c, recipient + sizeof(OFFICE_RECIPIENT_PREFIX) - 1);
        /* Without a contact an office is not told: every channel would reach the superior's own
         * people instead. */
        if (!o || !buf || (!o->email && !o->notify))
                return NULL;
        *buf = (Person) {
                .id = o->id,
                .name = o->name ?: o->id,
                .phone = o->phone,
                .email = o->email,
                .notify = o->notify,
                .active_from = DAY_NONE,
                .active_until = DAY_NONE,
                .line = o->line,
        };
        return buf;
}
