/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What the leave service's unit tests (test-leave-service.c, test-leave-change.c) share on top of
 * fixture.h: a local time read as dutyctl reads it, and the context of someone acting at a time.
 * Include after <cmocka.h>. */

#include "config.h"
#include "date.h"
#include "fixture.h"
#include "leave-service.h"
#include "leave.h"

/* s ("2026-03-02 08:30", "2026-03-02 pm"…) as a start (is_end false) or an end. */
static inline LeaveTime T(const Fixture *f, const char *s, bool is_end) {
        LeaveTime t = {};

        assert_int_equal(leave_time_parse(s, is_end, f->config->handover_minutes, &t), 0);
        return t;
}

/* The context of `who` (a person id, or NULL for root) acting at local time `now`. */
static inline LeaveServiceContext ctx_at(const Fixture *f, const char *who, const char *now) {
        LeaveServiceContext c = {
                .store = f->store,
                .config = f->config,
                .now = T(f, now, false),
                .actor = { .uid = 0, .is_admin = true, .is_approver = true },
        };

        /* Any clock that grows with local time does for the history. */
        c.now_usec = ((uint64_t) c.now.day * MINUTES_PER_DAY + (uint64_t) c.now.minutes) * 60 * USEC_PER_SEC;
        if (who) {
                const Person *p = config_find_person(f->config, who);

                assert_non_null(p);
                c.actor = (LeaveActor) {
                        .uid = 2000 + (uid_t) (p - f->config->people),
                        .person = p,
                        .is_admin = person_has_role(p, ROLE_ADMIN),
                        .is_approver = person_has_role(p, ROLE_APPROVER) || person_has_role(p, ROLE_ADMIN),
                };
        }
        return c;
}

/* Files a request that must be accepted, returning its id. */
static inline int64_t file(const Fixture *f, const char *who, const char *now, Leave l) {
        LeaveServiceContext c = ctx_at(f, who, now);
        LeaveOutcome o;
        int64_t id;

        assert_int_equal(leave_service_request(&c, &l, &o), 0);
        assert_int_equal(o.refusal.kind, REFUSAL_NONE);
        assert_int_equal(o.leave.state, LEAVE_STATE_PENDING);
        id = o.leave.stored.leave.id;
        assert_true(id > 0);
        leave_outcome_done(&o);
        return id;
}

/* Approves leave id as `who` at `now`: it must be approved. */
static inline void approve(const Fixture *f, const char *who, const char *now, int64_t id) {
        LeaveServiceContext c = ctx_at(f, who, now);
        LeaveOutcome o;

        if (leave_service_approve(&c, id, NULL, false, &o) < 0)
                for (size_t i = 0; i < o.n_violations; i++)
                        print_message("%s\n", o.violations[i].message_en);
        assert_int_equal(o.refusal.kind, REFUSAL_NONE);
        assert_int_equal(o.leave.stored.leave.state, LEAVE_STATE_APPROVED);
        leave_outcome_done(&o);
}
