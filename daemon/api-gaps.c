/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Gaps: what the gap monitor sees now, without writing anything to the journal. */

#include "api-gaps.h"
#include "duty-names.h"
#include "gaps.h"
#include "monitor.h"

static json_t *gap_to_json(const Gap *g, const Config *c) {
        _cleanup_free_ char *message = gap_message(g, c, c->language);
        json_t *people = json_array();

        if (!message || !people) {
                json_decref(people);
                return NULL;
        }
        for (size_t i = 0; i < g->n_people; i++)
                if (json_array_append_new(people, json_string(g->people[i])) < 0) {
                        json_decref(people);
                        return NULL;
                }

        return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
                         "id", g->id,
                         "kind", gap_kind_to_string(g->kind),
                         "urgency", gap_urgency_to_string(g->urgency),
                         "date", day_to_json(g->day),
                         "until", day_to_json(g->until),
                         "post", json_string_or_null(g->post),
                         "slot", g->slot >= 0 ? json_integer(g->slot) : json_null(),
                         "person", json_string_or_null(g->n_people > 0 ? g->people[0] : NULL),
                         "people", people,
                         "rule", json_string_or_null(g->rule),
                         "leave_id", g->leave_id != 0 ? json_integer(g->leave_id) : json_null(),
                         "swap_id", g->swap_id != 0 ? json_integer(g->swap_id) : json_null(),
                         "log_id", g->log_id != 0 ? json_integer(g->log_id) : json_null(),
                         "report", json_string_or_null(g->log_id != 0 ? dutylog_report_to_string(g->report) : NULL),
                         "check_id", g->check_id != 0 ? json_integer(g->check_id) : json_null(),
                         "message", message);
}

/* Most urgent first; then as gaps_compute() ordered them (by day, then id). */
static int gap_urgency_compare(const void *a, const void *b) {
        const Gap *x = a, *y = b;

        if (x->urgency != y->urgency)
                return x->urgency > y->urgency ? -1 : 1;
        if (x->day != y->day)
                return x->day < y->day ? -1 : 1;
        return strcmp(x->id, y->id);
}

/* int64_t: 1 to GAPS_DAYS_MAX days ahead. */
static int param_gap_days(Manager *m, json_t *v, void *ret) {
        json_int_t days = json_integer_value(v);

        if (days < 1 || days > GAPS_DAYS_MAX)
                return -EINVAL;
        *(int64_t *) ret = days;
        return 0;
}

int api_gaps(Manager *m, VarlinkCall *call, const Identity *id, json_t *params) {
        static const ApiParam table[] = {
                { "days", JSON_INTEGER, param_gap_days, 0, false },
                {}
        };
        int64_t days = 0;      /* the monitor's horizon */
        json_t *list;
        Gap *gaps = NULL;
        size_t n = 0;
        int r;

        r = api_params_dispatch(m, call, params, table, &days);
        if (r != 0)
                return r < 0 ? r : 0;

        r = monitor_compute(m->monitor, (unsigned) days, &gaps, &n);
        if (r < 0)
                return api_error_failed(call, api_language_en(m)
                                              ? "The gaps could not be computed; the daemon's log says why."
                                              : "无法计算值班缺口，原因见守护进程日志。");

        if (n > 1)
                qsort(gaps, n, sizeof(Gap), gap_urgency_compare);

        list = json_array();
        for (size_t i = 0; list && i < n; i++)
                if (json_array_append_new(list, gap_to_json(&gaps[i], m->config)) < 0) {
                        json_decref(list);
                        list = NULL;
                }
        gaps_free_many(gaps, n);
        if (!list)
                return -ENOMEM;

        return api_reply(m, call, json_pack("{s:o}", "gaps", list));
}
