/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Leave requests end to end: the edge between the store (store-leave.c, the roster's assignments)
 * and the pure core (leave.c's state machine, rules.c's coverage rules). No JSON (api-leave.c
 * speaks Varlink), no SQL, no clock: the caller passes "now" and who is acting, so that all of it
 * runs against a temporary store in tests.
 *
 * What each request does, as a duty office works:
 *
 *   check     A dry run: every violation is listed, nothing is stored.
 *   request   Stored as pending, with its escalations and warnings for the approver to see. A
 *             request that breaks a blocking rule is refused with the explanation: the applicant
 *             changes it (other days, a substitute for the duty) before filing it again. Urgent
 *             leave (asked by phone, the person may already be on the way) is the exception: it is
 *             recorded as pending with its violations, so that the office knows, and the approver
 *             cannot approve it while a blocking rule still stands. An overlap with the applicant's
 *             own open leave refuses even urgent leave, which would record the same time twice.
 *   approve   In one transaction every rule runs again against the state at that moment, so that
 *             two leaves each fine alone but together breaking a rule cannot both be approved. The
 *             caller must be the approver resolved at that moment (length tier and sensitive
 *             period included; the stand-in while the approver is away on the approval day), an
 *             administrator with an explicit override and a reason (recorded on the leave), and
 *             never the applicant. When nobody is configured above the
 *             applicant (the Party secretary, whose leave the superior committee approves), an
 *             administrator records the decision.
 *   reject    Same permission as approve; no rules.
 *   cancel, return (销假), paperwork
 *             leave.c's transitions. Members act on their own leave, administrators on anybody's.
 *   list, show
 *             Members see their own leave; approvers and administrators everybody's (deciding
 *             needs to know who else is away).
 *
 * "started" and "overdue" are derived from now and never stored. Every mutation and its entry in
 * the leave's history (leave_event: who, when, what) are one transaction (a savepoint of the
 * request's, whose audit row the dispatcher adds), committed before the function returns 0. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "date.h"
#include "duty.h"
#include "leave.h"
#include "refusal.h"
#include "rules.h"
#include "store.h"

/* A leave starts at most this many days before today (recording urgent leave after the fact)… */
#define LEAVE_SERVICE_PAST_DAYS_MAX 31
/* … and at most this many days after it. */
#define LEAVE_SERVICE_AHEAD_DAYS_MAX 366
/* Longest destination, reason, phone or note, in bytes. */
#define LEAVE_SERVICE_TEXT_MAX 500
/* Leaves one list returns at most, newest first. */
#define LEAVE_SERVICE_LIST_MAX 500

/* Actions in a leave's history. */
#define LEAVE_ACTION_REQUEST "request"
#define LEAVE_ACTION_APPROVE "approve"
#define LEAVE_ACTION_REJECT "reject"
#define LEAVE_ACTION_CANCEL "cancel"
#define LEAVE_ACTION_RETURN "return"
#define LEAVE_ACTION_PAPERWORK "paperwork"
#define LEAVE_ACTION_CHANGE "change"

typedef struct LeaveActor {
        uid_t uid;
        const Person *person;   /* the caller's person; NULL for root without one */
        bool is_admin;          /* the admin role, or root */
        bool is_approver;       /* the approver role */
} LeaveActor;

typedef struct LeaveServiceContext {
        Store *store;
        const Config *config;
        uint64_t now_usec;      /* wall clock, for the history */
        LeaveTime now;          /* the office's local date and time */
        LeaveActor actor;
        const char *language;   /* the call's: "en" for English, anything else (NULL) Chinese */
} LeaveServiceContext;

/* The reason code (Refusal.rule) of a refusal for blocking coverage rules. */
#define LEAVE_REASON_RULES "rules"

/* A stored leave with what "now" makes of it. */
typedef struct LeaveEntry {
        StoreLeave stored;         /* approver: for a pending leave, who must decide as of now */
        LeaveState state;          /* effective: started and overdue derived from now */
        bool unexcused;            /* approved after it began, or still pending after it began */
        bool paperwork_overdue;    /* urgent leave whose written form is late */
        Day duty_from, duty_to;    /* the duty days it touches */
        unsigned half_days;        /* its length */
} LeaveEntry;

void leave_entry_done(LeaveEntry *e);
LeaveEntry *leave_entry_free_many(LeaveEntry *e, size_t n);

/* What a request came to: its results, and when it was refused, why. */
typedef struct LeaveOutcome {
        Refusal refusal;           /* REFUSAL_NONE, or why the request was refused, the message in the
                                    * context's language:
                                    *   NOT_FOUND  no leave with that id (field "id"), or no such
                                    *              person (field "person", "acting"); rule the code
                                    *              ("not_found", "unknown_person")
                                    *   DENIED     the caller may not do this; rule a denial
                                    *              ("not_own", "for_others", "no_person",
                                    *              "admin_only", "self_approval", "not_approver",
                                    *              "override_needed")
                                    *   LEAVE      the request is malformed, the leave's state or
                                    *              the time does not allow it, or blocking coverage
                                    *              rules (the violations); rule a code of
                                    *              leave_error_code_to_string(), "override_reason",
                                    *              "too_early", "too_far", "text_too_long" or
                                    *              LEAVE_REASON_RULES
                                    * field: the request's field at fault, or NULL. */
        LeaveEntry leave;          /* the leave after the request; check: as it would be stored;
                                    * refused LEAVE: as it stands (or as it would have been filed) */
        RulesViolation *violations;/* check, request, approve: every violation found (refused for
                                    * the rules: those that refuse it and the others) */
        size_t n_violations;
        bool allowed;              /* check: a request would be accepted as it is */
        StoreLeaveEvent *events;   /* show: the history, oldest first */
        size_t n_events;
        LeaveEntry *entries;       /* list */
        size_t n_entries;
        bool overridden;           /* approve, reject: decided by an administrator over the approver */
} LeaveOutcome;

void leave_outcome_done(LeaveOutcome *o);

/* Every function below returns 0 when the request was carried out. When it was refused,
 * ret->refusal says why and the return value is -ENOENT (NOT_FOUND), -EPERM (DENIED), -EINVAL
 * (a malformed request), leave.c's errno (the leave's state) or -ECANCELED (the rules). Any other
 * failure (the store, memory) leaves ret->refusal REFUSAL_NONE. ret is always initialized; free it
 * with leave_outcome_done(). */

/* proposed: kind, start, end, destination, out_of_town, reason, phone (NULL: the person's
 * configured phone), acting and urgent are taken; person NULL means the caller (another person
 * only for administrators); everything else is filled here. */
int leave_service_check(const LeaveServiceContext *ctx, const Leave *proposed, LeaveOutcome *ret);
int leave_service_request(const LeaveServiceContext *ctx, const Leave *proposed, LeaveOutcome *ret);

/* note (may be NULL) is the approver's reason, kept with the decision. The approver resolved now
 * decides (the stand-in while the approver is away; an administrator where nobody is configured
 * above the person). An administrator who is not that person decides only with override and a
 * note saying why: the leave is marked decision_override. Without it the refusal ("override_needed",
 * or "not_approver" for others) names who may decide; "not_approver" adds who the approver is now
 * when the caller may see the leave. override from anyone else, or from the approver, changes
 * nothing. */
int leave_service_approve(const LeaveServiceContext *ctx, int64_t id, const char *note, bool override,
                          LeaveOutcome *ret);
int leave_service_reject(const LeaveServiceContext *ctx, int64_t id, const char *note, bool override,
                         LeaveOutcome *ret);
int leave_service_cancel(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret);
/* at NULL: now. */
int leave_service_return(const LeaveServiceContext *ctx, int64_t id, const LeaveTime *at, LeaveOutcome *ret);
int leave_service_paperwork(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret);

/* The leave, its history and, while it is pending, the violations it would meet if approved now. */
int leave_service_show(const LeaveServiceContext *ctx, int64_t id, LeaveOutcome *ret);

typedef enum LeaveListFilter {
        LEAVE_LIST_ALL,
        LEAVE_LIST_PENDING,        /* waiting for a decision */
        LEAVE_LIST_ACTIVE,         /* in force: approved (upcoming), started, or overdue */
        LEAVE_LIST_OVERDUE,        /* past its end with no return report, or its written form late */
        _LEAVE_LIST_MAX,
        _LEAVE_LIST_INVALID = -EINVAL,
} LeaveListFilter;

/* "all", "pending", "active", "overdue". */
const char *leave_list_filter_to_string(LeaveListFilter f);
LeaveListFilter leave_list_filter_from_string(const char *s);

/* Newest first, at most LEAVE_SERVICE_LIST_MAX, into ret->entries. person NULL: everybody the
 * caller may see. */
int leave_service_list(const LeaveServiceContext *ctx, LeaveListFilter filter, const char *person,
                       LeaveOutcome *ret);

/* ---- A changed itinerary (LeaveChange) ---- */

/* What changes: the new times, and the destination when it changes too. */
typedef struct LeaveChangeRequest {
        LeaveTime start, end;
        const char *destination;   /* NULL: unchanged */
        const char *note;          /* why, kept in the leave's history; may be NULL */
        const char *language;      /* of the refusal's sentence: "en", else Chinese */
} LeaveChangeRequest;

/* What a change came to. The refusal is the core's (REFUSAL_NONE when it was carried out). */
typedef struct LeaveChangeResult {
        Refusal refusal;
        LeaveEntry leave;          /* after the change; refused: as stored (empty when not found) */
        RulesViolation *violations;/* every violation the new times meet (refused: the blocking ones
                                    * among them) */
        size_t n_violations;
        bool approved;             /* the leave was approved (it is reported to the superior office) */
} LeaveChangeResult;

void leave_change_result_done(LeaveChangeResult *r);

/* Changes a pending or approved leave's times (half days included) and destination, as a leader's
 * itinerary changes. The new times are checked against every coverage rule as a new request would
 * be, the leave itself excluded; the notice rule counts from the original request while the start
 * stays the same, from today when it moves. A pending leave keeps the urgent exception; an
 * approved one takes none (nobody checks it again). Once the leave has begun its start stays.
 *
 * Who: for a pending leave, its applicant, its approver as of now (or the stand-in) and
 * administrators; for an approved leave, the approver as of now and administrators, never the
 * applicant (who asks the approver, as for the leave itself). The change and its history entry
 * ("change": old → new times, the destination, the note) are one savepoint of the request's
 * transaction. Returns 0, or when refused ret->refusal says why and the value is -ENOENT,
 * -EINVAL, -EPERM, -ESTALE (state), -ECANCELED (rules); any other failure leaves it REFUSAL_NONE.
 * ret is always initialized; free it with leave_change_result_done(). */
int leave_service_change(const LeaveServiceContext *ctx, int64_t id, const LeaveChangeRequest *change,
                         LeaveChangeResult *ret);
