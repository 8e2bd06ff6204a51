/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Takeovers (接班) and handovers (交班) against the roster and the store: who holds which post of the
 * duty being taken over or handed over, the face-to-face rule (the outgoing person hands over only
 * once the incoming one has taken over), nothing signed twice. The clock rules are handover.h's;
 * the caller owns the transaction (api_run_audited). */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "date.h"
#include "refusal.h"
#include "store.h"
#include "vocabulary.h"

#define HANDOVER_MESSAGE_MAX 512

typedef struct HandoverRequest {
        Store *store;
        const Config *config;
        uint64_t now_usec;
        Day today;                      /* local "now" */
        int now_minutes;
        const Person *person;           /* who takes over or hands over */
        const char *recorded_by;        /* the administrator recording it for person, or NULL */
        HandoverAction action;
        const char *note;               /* give: what is handed over, or NULL */
        const char *lang;               /* of the refusal's message: "en", else Chinese */
} HandoverRequest;

typedef struct HandoverResult {
        Day day;                        /* the duty day taken over or handed over */
        bool late;
        StoreHandover *records;         /* written, one per post */
        size_t n_records;
} HandoverResult;

void handover_result_done(HandoverResult *r);

/* Takes over (the duty day handover_incoming_day() names) or hands over (the day before it) every
 * post rq->person holds that day, writing one record per post not signed yet. 0 with *ret filled;
 * 1 when refused, with *ret_refusal filled (REFUSAL_HANDOVER: rule is HandoverRefused's reason,
 * "not_on_duty", "not_taken_over" or "already"; day the duty day; the sentence in rq->lang; the
 * caller frees it with refusal_done()); a negative errno. */
int handover_service_act(const HandoverRequest *rq, HandoverResult *ret, Refusal *ret_refusal);
