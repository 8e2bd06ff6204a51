/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Why a request is refused, in one form for every service: the roster's requests (duty.c), the
 * leave service (LeaveOutcome.refusal) and the swap service (SwapOutcome.refusal) fill it
 * themselves; the handover, duty-log and spot-check services' own outcomes are turned into it by
 * the api layer, and one function there (api_refuse()) answers every refused call with the Varlink
 * error it names. Pure: no JSON, no I/O. */

#include <errno.h>

#include "date.h"

typedef enum RefusalKind {
        REFUSAL_NONE,
        REFUSAL_RULE,              /* io.dutyd.Duty.RuleViolation: a hard rule of the roster (rule, day, version) */
        REFUSAL_CALENDAR_UNKNOWN,  /* CalendarUnknown: a day of a year without a holiday notice (day) */
        REFUSAL_NOT_FOUND,         /* NotFound: no such record (what, id) */
        REFUSAL_DENIED,            /* PermissionDenied: not the caller's to do (rule: the reason) */
        REFUSAL_FAILED,            /* Failed: the request cannot be carried out (message) */
        REFUSAL_LEAVE,             /* LeaveRefused (rule: the reason; the api adds the violations and the leave) */
        REFUSAL_SWAP,              /* SwapRefused (rule, day, person) */
        REFUSAL_HANDOVER,          /* HandoverRefused (rule: the reason, day) */
        REFUSAL_LOG,               /* LogRefused (rule: the reason) */
        _REFUSAL_KIND_MAX,
        _REFUSAL_KIND_INVALID = -EINVAL,
} RefusalKind;

typedef struct Refusal {
        RefusalKind kind;
        const char *rule;       /* the rule id or reason code (static string), or NULL */
        Day day;                /* the day concerned, or DAY_NONE */
        const char *person;     /* SWAP: the person concerned (borrowed), or NULL */
        const char *what;       /* NOT_FOUND: "person", "post", "holiday", "leave", … (static string) */
        const char *field;      /* the request's field at fault (static string), or NULL: for the
                                 * caller of the service, never sent */
        char *id;               /* NOT_FOUND: the identifier looked for, as text */
        char *message;          /* a sentence in the call's language, saying what to do */
        int version;            /* RULE "published": the version covering the day; else 0 */
} Refusal;

#define REFUSAL_INIT ((Refusal) { .kind = REFUSAL_NONE, .day = DAY_NONE })

/* Frees what r owns and leaves it REFUSAL_INIT. NULL is fine. */
void refusal_done(Refusal *r);

/* Fills *r: kind, rule (static) and a copy of message; the rest is left as it is. 0 or -ENOMEM. */
int refusal_set(Refusal *r, RefusalKind kind, const char *rule, const char *message);
/* The same for NOT_FOUND: what (static), a copy of id and of message. 0 or -ENOMEM. */
int refusal_set_not_found(Refusal *r, const char *what, const char *id, const char *message);
