/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <stdlib.h>

#include "handover-service.h"
#include "handover.h"

void handover_result_done(HandoverResult *r) {
        if (!r)
                return;
        store_handover_free_many(r->records, r->n_records);
        *r = (HandoverResult) {};
}

/* The posts person holds in a (ids borrowed from a), each once. */
static size_t held_posts(const StoreAssignment *a, size_t n, const char *person, const char **ret) {
        size_t k = 0;

        for (size_t i = 0; i < n; i++) {
                bool seen = false;

                if (!a[i].person || !streq(a[i].person, person))
                        continue;
                for (size_t j = 0; j < k; j++)
                        seen = seen || streq(ret[j], a[i].post);
                if (!seen)
                        ret[k++] = a[i].post;
        }
        return k;
}

static bool handover_done(const StoreHandover *h, size_t n, HandoverAction action, const char *post,
                          const char *person) {
        for (size_t i = 0; i < n; i++)
                if (h[i].action == (int) action && streq(h[i].post, post) && (!person || streq(h[i].person, person)))
                        return true;
        return false;
}

/* 1 with *ret the refusal, or -ENOMEM. */
static int refuse(Refusal *ret, const char *reason, Day day, const char *message) {
        int r;

        r = refusal_set(ret, REFUSAL_HANDOVER, reason, message);
        if (r < 0)
                return r;
        ret->day = day;
        return 1;
}

static int record_copy(const StoreHandover *h, StoreHandover *ret) {
        *ret = (StoreHandover) {
                .id = h->id,
                .day = h->day,
                .action = h->action,
                .at_usec = h->at_usec,
                .late = h->late,
                .post = strdup(h->post),
                .person = strdup(h->person),
                .note = h->note ? strdup(h->note) : NULL,
                .recorded_by = h->recorded_by ? strdup(h->recorded_by) : NULL,
        };
        if (!ret->post || !ret->person || (h->note && !ret->note) || (h->recorded_by && !ret->recorded_by)) {
                store_handover_done(ret);
                return -ENOMEM;
        }
        return 0;
}

int handover_service_act(const HandoverRequest *rq, HandoverResult *ret, Refusal *ret_refusal) {
        const Config *c;
        StoreAssignment *a = NULL;
        StoreHandover *done = NULL, *next = NULL;
        size_t n = 0, n_done = 0, n_next = 0, n_posts;
        _cleanup_free_ const char **posts = NULL;
        HandoverResult result = {};
        char date[DAY_STRING_MAX], message[HANDOVER_MESSAGE_MAX];
        bool take, en;
        Day incoming;
        int r;

        if (!rq || !rq->store || !rq->config || !rq->person || !ret || !ret_refusal ||
            !handover_action_to_string(rq->action))
                return -EINVAL;
        c = rq->config;
        take = rq->action == HANDOVER_TAKE;
        en = rq->lang && streq(rq->lang, "en");

        incoming = handover_incoming_day(rq->today, rq->now_minutes, c->handover_minutes);
        result.day = take ? incoming : incoming - 1;
        result.late = take && handover_is_late(handover_minutes_since(incoming, c->handover_minutes, rq->today,
                                                                      rq->now_minutes),
                                               c->takeover_minutes);
        day_format(result.day, date);

        r = store_assignment_list(rq->store, result.day, result.day, &a, &n);
        if (r < 0)
                return r;
        posts = calloc(n ?: 1, sizeof(char *));
        if (!posts) {
                r = -ENOMEM;
                goto finish;
        }
        n_posts = held_posts(a, n, rq->person->id, posts);
        if (n_posts == 0) {
                if (en)
                        snprintf(message, sizeof(message),
                                 "%s %s not on duty on %s, so there is nothing to %s; `dutyctl who %s` shows who is",
                                 rq->recorded_by ? rq->person->id : "you", rq->recorded_by ? "is" : "are", date,
                                 take ? "take over" : "hand over", date);
                else
                        snprintf(message, sizeof(message),
                                 "%s不在 %s 的值班安排中，无需%s；`dutyctl who %s` 可查看当日值班人员",
                                 rq->recorded_by ? rq->person->name : "您", date, take ? "接班" : "交班", date);
                r = refuse(ret_refusal, "not_on_duty", result.day, message);
                goto finish;
        }

        r = store_handover_list(rq->store, result.day, result.day, &done, &n_done);
        if (r < 0)
                goto finish;

        /* Face to face: the outgoing person leaves only once the incoming one has taken over. */
        if (!take) {
                r = store_handover_list(rq->store, incoming, incoming, &next, &n_next);
                if (r < 0)
                        goto finish;
                if (!handover_done(next, n_next, HANDOVER_TAKE, posts[0], NULL)) {
                        day_format(incoming, date);
                        if (en)
                                snprintf(message, sizeof(message),
                                         "nobody has taken over the duty of %s yet; stay on until the incoming person "
                                         "runs `dutyctl handover take`, then hand over", date);
                        else
                                snprintf(message, sizeof(message),
                                         "%s 的接班人尚未接班，请等接班人执行 `dutyctl handover take` 后再交班，"
                                         "接班前不得离岗", date);
                        r = refuse(ret_refusal, "not_taken_over", incoming, message);
                        goto finish;
                }
        }

        result.records = calloc(n_posts, sizeof(StoreHandover));
        if (!result.records) {
                r = -ENOMEM;
                goto finish;
        }
        for (size_t i = 0; i < n_posts; i++) {
                StoreHandover h = {
                        .day = result.day,
                        .post = (char *) posts[i],
                        .person = rq->person->id,
                        .action = rq->action,
                        .at_usec = rq->now_usec,
                        .late = result.late,
                        .note = (char *) rq->note,
                        .recorded_by = (char *) rq->recorded_by,
                };

                if (handover_done(done, n_done, rq->action, posts[i], rq->person->id))
                        continue;
                r = store_handover_add(rq->store, &h, &h.id);
                if (r >= 0)
                        r = record_copy(&h, &result.records[result.n_records]);
                if (r < 0)
                        goto finish;
                result.n_records++;
        }
        if (result.n_records == 0) {
                if (en)
                        snprintf(message, sizeof(message),
                                 "%s %s already %s the duty of %s; `dutyctl handover list` shows the record",
                                 rq->recorded_by ? rq->person->id : "you", rq->recorded_by ? "has" : "have",
                                 take ? "taken over" : "handed over", date);
                else
                        snprintf(message, sizeof(message),
                                 "%s已于此前%s（%s 的值班），无需重复操作；`dutyctl handover list` 可查看记录",
                                 rq->recorded_by ? rq->person->name : "您", take ? "接班" : "交班", date);
                r = refuse(ret_refusal, "already", result.day, message);
                goto finish;
        }

        *ret = result;
        result = (HandoverResult) {};
        r = 0;

finish:
        handover_result_done(&result);
        store_assignment_free_many(a, n);
        store_handover_free_many(done, n_done);
        store_handover_free_many(next, n_next);
        return r;
}
