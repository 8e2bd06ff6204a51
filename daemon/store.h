/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The SQLite store. The store's files are the only ones that speak SQL: store.c (open, migrate,
 * integrity, transactions, the statement cache, the list loop) and one store-<family>.c per family
 * of tables (roster, calendar, audit, leave, swap, handover, check, dutylog, alert).
 *
 * WAL journal, synchronous=FULL, foreign keys on, prepared statements, the schema versioned by
 * PRAGMA user_version with forward migrations. Each mutating request runs in a transaction its API
 * layer owns (store_begin/store_commit); a request is acknowledged only after store_commit()
 * returned 0. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "date.h"
#include "dutylog.h"
#include "leave.h"
#include "notify.h"
#include "util.h"

typedef struct RosterSlot RosterSlot;

typedef struct Store Store;

#define STORE_SCHEMA_VERSION_MIN 0

/* Opens (creating if missing, mode 0600), checks PRAGMA quick_check (refusing a corrupt file
 * with -EBADMSG and a message), and migrates to the newest schema. ret_error (optional) gets a
 * human message on failure. */
int store_open(const char *path, Store **ret, char **ret_error);
Store *store_free(Store *s);
DEFINE_POINTER_CLEANUP(Store, store_free)

int store_schema_version(Store *s);
/* The schema version read when the store was opened, after its migrations (no query). */
int store_schema_version_opened(const Store *s);
/* A read scope: between these two, the statements run on the store's second, read-only connection
 * (the reader), which sees what is committed and never the writes of a transaction the writer holds
 * open (the requests' group waiting for its commit): a read is never held for another call's
 * fdatasync. Its statements share one read transaction, begun by the first of them (none, if it runs
 * none): one shared lock of the database instead of one per statement, and one snapshot for all.
 * A write inside the scope fails: store_begin() and store_savepoint() with -EROFS, a writing
 * statement with SQLite's SQLITE_READONLY (-EROFS). A caller that reads and then writes (the gap
 * monitor) ends its scope first. Scopes do not nest. */
void store_read_scope_begin(Store *s);
void store_read_scope_end(Store *s);
/* The newest schema this build knows. */
int store_schema_latest(void);

/* One explicit transaction, begun and committed by its owner: the API layer for the requests it
 * runs (api-audit.c), a background writer (monitor, presence, log-watch, …) for its own short
 * work. Services never begin or commit: they work inside their caller's transaction. -EBUSY if a
 * transaction is open already, -ESTALE once the store is damaged. store_commit() makes the work
 * durable (0), or rolls it back and returns a negative errno (-EIO when a savepoint could not be
 * undone or was left open: the transaction then holds nothing). */
int store_begin(Store *s);
int store_commit(Store *s);
void store_rollback(Store *s);
/* Rolls back the transaction still open when the variable goes out of scope, so that every early
 * return after store_begin() is safe; set the variable after store_begin() succeeded, and
 * TAKE_PTR() it into store_commit(). */
void store_rollbackp(Store **s);
#define _cleanup_transaction_ _cleanup_(store_rollbackp)
bool store_in_transaction(Store *s);
/* The COMMIT off the event loop: store_commit_start() checks what store_commit() checks, then runs
 * the COMMIT — its fdatasync — in a thread of its own, which writes to done_fd (an eventfd) when it
 * is done (0; 1 when no thread could be made and it committed here already; or store_commit()'s
 * negative errno, rolled back). store_commit_finish() joins the thread and returns what
 * store_commit() would have. In between, store_committing() is true and store_in_transaction()
 * false: read scopes go on, on the reader; anything that needs the writer (store_begin(), a
 * statement outside a read scope, a savepoint) has the open handler finish the commit first — it
 * waits for the thread — or, without one, finishes it itself. */
int store_commit_start(Store *s, int done_fd);
int store_commit_finish(Store *s);
bool store_committing(Store *s);
/* How many transactions have committed since the store was opened: a caller compares two readings
 * to learn whether anything changed. */
uint64_t store_commit_count(Store *s);
/* A stamp that moves whenever the data seen may have changed: the rows the connection of the moment
 * has changed (counted whether or not their transaction committed after all) and its PRAGMA
 * data_version, which moves with another connection's commit (another program's; for the reader,
 * the writer's too). Equal stamps, both taken in read scopes or both outside (`reader` says which):
 * the same data. In a read scope the stamp is of the committed data alone, whatever transaction the
 * writer holds open. For an answer kept between calls; one statement, no lock held after it. */
typedef struct StoreChangeStamp {
        uint64_t changes;
        int64_t data_version;
        bool reader;
} StoreChangeStamp;
static inline bool store_change_stamp_equal(const StoreChangeStamp *a, const StoreChangeStamp *b) {
        return a->changes == b->changes && a->data_version == b->data_version && a->reader == b->reader;
}
int store_change_stamp(Store *s, StoreChangeStamp *ret);

/* The owner of a transaction it leaves open across turns of the loop (the API layer's group of
 * requests sharing one commit): store_begin() calls it when it finds that transaction open, so that
 * the owner commits it before another writer (a timer, the monitor) begins its own. */
typedef void (*StoreOpenHandler)(Store *s, void *userdata);
void store_set_open_handler(Store *s, StoreOpenHandler handler, void *userdata);

/* A named savepoint, for a part of a transaction that may have to be undone alone: one request of
 * a group sharing a commit, a service's change that is refused after it began writing. The SQL is
 * static, so that the statements are prepared once. Nested savepoints must use distinct names. */
typedef struct StoreSavepoint {
        const char *begin;
        const char *release;
        const char *rollback_to;
} StoreSavepoint;
#define STORE_SAVEPOINT(name) { "SAVEPOINT " #name, "RELEASE " #name, "ROLLBACK TO " #name }

/* Opens sp inside the open transaction. Outside one (a service called alone, in a unit test), the
 * savepoint begins the transaction and its release commits it, as SQLite's own outermost savepoint
 * does. store_savepoint_release() keeps the work in the transaction; store_savepoint_rollback()
 * undoes only the work done since store_savepoint(), and ends the savepoint. */
int store_savepoint(Store *s, const StoreSavepoint *sp);
int store_savepoint_release(Store *s, const StoreSavepoint *sp);
void store_savepoint_rollback(Store *s, const StoreSavepoint *sp);

/* A savepoint undone at the end of the scope unless released: every early return is safe.
 *   _cleanup_(store_savepoint_holdp) StoreSavepointHold h = {};
 *   r = store_savepoint_hold(s, &sp, &h);  …  r = store_savepoint_keep(&h); */
typedef struct StoreSavepointHold {
        Store *store;
        const StoreSavepoint *savepoint;
} StoreSavepointHold;
void store_savepoint_holdp(StoreSavepointHold *h);
static inline int store_savepoint_hold(Store *s, const StoreSavepoint *sp, StoreSavepointHold *h) {
        int r = store_savepoint(s, sp);
        if (r >= 0)
                *h = (StoreSavepointHold) { .store = s, .savepoint = sp };
        return r;
}
static inline int store_savepoint_keep(StoreSavepointHold *h) {
        Store *s = h->store;

        if (!s)
                return -EINVAL;
        h->store = NULL;
        return store_savepoint_release(s, h->savepoint);
}

/* Last SQLite error message of the connection. */
const char *store_error(Store *s);

/* What made the store refuse every write until dutyd restarts. SQLite keeps writing through the
 * descriptors it holds: a database file removed or replaced under it, or its write-ahead log, would
 * take every change committed since with it when dutyd next starts, silently. */
typedef enum StoreDamage {
        STORE_DAMAGE_NONE,
        STORE_DAMAGE_REMOVED,           /* nothing is at the database's path any more */
        STORE_DAMAGE_REPLACED,          /* another file is at the path */
        STORE_DAMAGE_WAL_REMOVED,       /* the write-ahead log (dutyd.sqlite-wal) is gone */
        STORE_DAMAGE_WAL_REPLACED,      /* another file is at the write-ahead log's path */
        STORE_DAMAGE_CORRUPT,           /* PRAGMA quick_check found a problem */
        _STORE_DAMAGE_MAX,
        _STORE_DAMAGE_INVALID = -EINVAL,
} StoreDamage;

const char *store_damage_to_string(StoreDamage d);

/* Called once, when the store first finds damage (problem: SQLite's words for STORE_DAMAGE_CORRUPT,
 * else NULL). Whatever was being committed has been rolled back by then. */
typedef void (*StoreDamageHandler)(Store *s, StoreDamage d, const char *problem, void *userdata);
void store_set_damage_handler(Store *s, StoreDamageHandler handler, void *userdata);
/* STORE_DAMAGE_NONE while the store takes writes. Once damaged, store_begin()
 * and every commit fail with -ESTALE; reads go on. */
StoreDamage store_damage(Store *s);
/* Whether the database file and its write-ahead log at their paths are still those opened (one
 * stat() each): 0, or -ESTALE (the store is then damaged). Every COMMIT checks this first. */
int store_check_files(Store *s);
/* PRAGMA quick_check: 0, or -EBADMSG with the store damaged (STORE_DAMAGE_CORRUPT) and
 * ret_problem (optional) the first problem found. */
int store_quick_check(Store *s, char **ret_problem);

/* Key/value facts about the store itself (created_at, …). store_meta_get returns -ENOENT for a
 * missing key. */
int store_meta_get(Store *s, const char *key, char **ret_value);
int store_meta_set(Store *s, const char *key, const char *value);

/* The next version of report `key` (report.h): the last one reported plus one, or at_least if that
 * is more (a roster report carries at least the publication's version), recorded as the last one.
 * Returns 0, -EINVAL, -EOVERFLOW or a store error. (store-report.c) */
int store_report_version_next(Store *s, const char *key, int at_least, int *ret);

/* The roster: one row per (day, post, slot). person NULL is a slot left empty; reason says why. */
typedef struct StoreAssignment {
        Day day;
        char *post;
        int slot;
        char *person;       /* NULL: empty slot */
        bool locked;        /* kept when the range is regenerated */
        char *reason;       /* may be NULL */
        char *source;       /* "generated", "manual", "swap", … */
        bool assume_ordinary; /* generated while the year's holiday notice was unknown */
} StoreAssignment;

#define STORE_ASSIGNMENT_SOURCE_DEFAULT "generated"

/* Inserts or replaces the slot. source NULL means STORE_ASSIGNMENT_SOURCE_DEFAULT. Replacing a
 * slot resets assume_ordinary; set it with store_assignment_set_assume_ordinary(). */
int store_assignment_set(Store *s, Day day, const char *post, int slot, const char *person, bool locked,
                         const char *reason, const char *source);
/* -ENOENT if the slot does not exist. */
int store_assignment_set_assume_ordinary(Store *s, Day day, const char *post, int slot, bool assume_ordinary);
/* Removes the slots of days from..to (inclusive), the locked ones too unless keep_locked. Returns
 * the number of rows removed. */
int store_assignment_clear_range(Store *s, Day from, Day to, bool keep_locked);
/* Slots of days from..to (inclusive), ordered by day, post, slot. */
int store_assignment_list(Store *s, Day from, Day to, StoreAssignment **ret, size_t *ret_n);
StoreAssignment *store_assignment_free_many(StoreAssignment *a, size_t n);
/* The n assignments as the roster engine's slots (roster.h), in one array of at least one element
 * into *ret (the caller frees it): the strings borrowed from a, which must outlive them, and an
 * empty slot's reason read back (ROSTER_EMPTY_NONE for one not known). 0, or -ENOMEM. */
int store_assignment_slots(const StoreAssignment *a, size_t n, RosterSlot **ret);

/* Sensitive periods declared at run time (beside those of the configuration). */
typedef struct StoreSensitivePeriod {
        int64_t id;
        char *name;
        Day from_day;
        Day to_day;
        int extra_officers;
        char *leave;        /* leave policy name, "normal" by default */
        uint64_t created_usec;
} StoreSensitivePeriod;

/* leave NULL means "normal". */
int store_sensitive_period_add(Store *s, const char *name, Day from, Day to, int extra_officers,
                               const char *leave, uint64_t created_usec, int64_t *ret_id);
/* Periods overlapping from..to (inclusive), ordered by from_day, id. */
int store_sensitive_period_list(Store *s, Day from, Day to, StoreSensitivePeriod **ret, size_t *ret_n);
/* -ENOENT if there is no such id. */
int store_sensitive_period_remove(Store *s, int64_t id);
/* How many are stored (store-roster.c). */
int store_sensitive_period_count(Store *s, uint64_t *ret);
StoreSensitivePeriod *store_sensitive_period_free_many(StoreSensitivePeriod *p, size_t n);

/* Days on which a person cannot take a duty (besides approved leave). */
typedef struct StoreUnavailable {
        int64_t id;
        char *person;
        Day from_day;
        Day to_day;
        char *reason;       /* may be NULL */
} StoreUnavailable;

int store_unavailable_add(Store *s, const char *person, Day from, Day to, const char *reason, int64_t *ret_id);
/* Entries overlapping from..to (inclusive), of one person or (person NULL) of everybody, ordered
 * by from_day, id. */
int store_unavailable_list(Store *s, const char *person, Day from, Day to, StoreUnavailable **ret, size_t *ret_n);
/* -ENOENT if there is no such id. */
int store_unavailable_remove(Store *s, int64_t id);
/* How many are stored (store-roster.c). */
int store_unavailable_count(Store *s, uint64_t *ret);
StoreUnavailable *store_unavailable_free_many(StoreUnavailable *u, size_t n);

/* A published (frozen, numbered) roster of a range. */
typedef struct StorePublication {
        int version;
        Day from_day;
        Day to_day;
        uint64_t at_usec;
        StoreAssignment *slots;   /* post and person set; the other fields zero */
        size_t n_slots;
} StorePublication;

/* Freezes the current assignments of from..to as the next version. */
int store_publication_create(Store *s, Day from, Day to, uint64_t at_usec, int *ret_version);
/* version 0: the newest. -ENOENT if there is none. */
int store_publication_get(Store *s, int version, StorePublication *ret);
StorePublication *store_publication_done(StorePublication *p);
/* The newest version whose range overlaps from..to (store-roster.c); -ENOENT if none. */
int store_publication_latest(Store *s, Day from, Day to, int *ret_version);

/* A published range, without its slots. */
typedef struct StorePublicationRange {
        int version;
        Day from_day;
        Day to_day;
} StorePublicationRange;

/* The publications whose range overlaps from..to, by version. */
int store_publication_ranges(Store *s, Day from, Day to, StorePublicationRange **ret, size_t *ret_n);

/* Who held a duty on each of `days` (store-roster.c): one entry per filled slot, with only day and
 * person set, in the order of `days`. */
int store_day_holders(Store *s, const Day *days, size_t n_days, StoreAssignment **ret, size_t *ret_n);

/* A change of a published day, made explicitly as an amendment (store-roster.c). */
typedef struct StoreAmendment {
        int64_t id;
        uint64_t at_usec;
        uid_t uid;          /* who asked for it */
        char *by;           /* their Person.id, NULL for a caller with no person (root) */
        char *reason;
        Day day;
        char *post;
        int slot;
        char *before;       /* person before, NULL: the slot was empty */
        char *after;        /* person after, NULL: the slot is left empty */
        int version;        /* the published version it amends */
} StoreAmendment;

/* Appends one (strings borrowed); ret_id (optional) gets its id. */
int store_amendment_add(Store *s, const StoreAmendment *a, int64_t *ret_id);
/* The amendments of days from..to, ordered by day, then as they were made. */
int store_amendment_list(Store *s, Day from, Day to, StoreAmendment **ret, size_t *ret_n);
void store_amendment_done(StoreAmendment *a);
StoreAmendment *store_amendment_free_many(StoreAmendment *a, size_t n);

/* ---- Leave (store-leave.c) ---- */

/* Bit of a stored LeaveState in StoreLeaveFilter.states. */
#define STORE_LEAVE_STATE_BIT(s) (1u << (s))

/* A leave request as stored: the core record and what only the store keeps beside it. */
typedef struct StoreLeave {
        Leave leave;               /* state as stored (never overdue); decided_by filled */
        uint64_t requested_usec;   /* when it was filed */
        char *requested_by;        /* Person.id of who filed it (an administrator may file for
                                    * someone else), NULL for a caller with no person (root) */
        char *approver;            /* Person.id of who must decide, as last resolved; NULL: only an
                                    * administrator (nobody is configured above the person) */
        uint64_t decided_usec;     /* when it was approved or rejected; 0 while undecided */
        char *decision_note;       /* the approver's note, may be NULL; with decision_override, the
                                    * administrator's reason */
        bool decision_override;    /* decided by an administrator who was not the approver, with an
                                    * explicit override */
} StoreLeave;

/* Frees the strings and leaves *l zeroed. Accepts NULL. */
void store_leave_done(StoreLeave *l);
StoreLeave *store_leave_free_many(StoreLeave *l, size_t n);

typedef struct StoreLeaveFilter {
        const char *person;        /* NULL: everybody */
        unsigned states;           /* STORE_LEAVE_STATE_BIT()s of the stored state; 0: any */
        Day from, to;              /* only leaves whose calendar days (start day … end day) meet
                                    * from … to; DAY_NONE leaves that side open */
        /* With `also`, a leave meeting the second stretch also_from … also_to is listed too (once,
         * should it meet both), and those of the days between are not read: the rules ask about
         * the leave's days and today at once. Only with a set of states, both stretches closed,
         * no person and no limit (else -EINVAL). */
        bool also;
        Day also_from, also_to;
        size_t limit;              /* at most this many rows; 0: no limit */
        bool newest_first;         /* by start descending (else ascending), then id */
} StoreLeaveFilter;

/* Inserts l (its id is ignored; the leave must pass leave_validate() and have a requested day).
 * ret_id (optional) gets the new id. */
int store_leave_insert(Store *s, const StoreLeave *l, int64_t *ret_id);
/* -ENOENT if there is no such id; -EBADMSG for a row that does not decode. */
int store_leave_get(Store *s, int64_t id, StoreLeave *ret);
int store_leave_list(Store *s, const StoreLeaveFilter *f, StoreLeave **ret, size_t *ret_n);
/* Writes what changes after the request: state, unexcused, the return time (kept only in state
 * returned), paperwork_done, approver, decided_by, decided_usec (0 stores NULL) and the decision
 * note. -ENOENT if there is no such id. */
int store_leave_update(Store *s, const StoreLeave *l);
/* A changed itinerary (LeaveChange): writes start, end and destination of leave l->id; the leave
 * must pass leave_validate() again (so that a leave never spans more than LEAVE_DAYS_MAX days,
 * which the list queries rely on). -ENOENT if there is no such id. */
int store_leave_update_itinerary(Store *s, const StoreLeave *l);

/* One entry of a leave's history (who did what when). */
typedef struct StoreLeaveEvent {
        int64_t id;
        int64_t leave_id;
        uint64_t at_usec;
        uid_t uid;
        char *actor;               /* Person.id, NULL for a caller with no person */
        char *action;              /* "request", "approve", "reject", "cancel", "return", "paperwork" */
        char *note;                /* may be NULL */
} StoreLeaveEvent;

int store_leave_event_append(Store *s, int64_t leave_id, uint64_t at_usec, uid_t uid, const char *actor,
                             const char *action, const char *note, int64_t *ret_id);
/* Oldest first. */
int store_leave_event_list(Store *s, int64_t leave_id, StoreLeaveEvent **ret, size_t *ret_n);
StoreLeaveEvent *store_leave_event_free_many(StoreLeaveEvent *e, size_t n);

/* ---- Swaps and substitutions (store-swap.c) ---- */

/* The records are swap.h's; the store reads and writes them. */
typedef struct Swap Swap;
typedef struct SwapEvent SwapEvent;

/* Inserts sw (its id is ignored; it must pass swap_is_valid()). ret_id (optional) gets the new id. */
int store_swap_insert(Store *s, const Swap *sw, int64_t *ret_id);
/* -ENOENT if there is no such id; -EBADMSG for a row that does not decode. */
int store_swap_get(Store *s, int64_t id, Swap *ret);

typedef struct StoreSwapFilter {
        const char *person;        /* only swaps this person is a party to; NULL: everybody's */
        unsigned states;           /* STORE_SWAP_STATE_BIT()s of the stored state; 0: any */
        Day from, to;              /* only swaps touching a duty day in from … to; DAY_NONE leaves that
                                    * side open */
        size_t limit;              /* at most this many rows, newest first; 0: no limit */
} StoreSwapFilter;

#define STORE_SWAP_STATE_BIT(s) (1u << (s))

/* Newest first (by id). */
int store_swap_list(Store *s, const StoreSwapFilter *f, Swap **ret, size_t *ret_n);
/* Moves the swap from state `from` to sw->state, writing updated_usec and approved_by: a
 * compare-and-set, -ESTALE when the stored state is not `from` any more, -ENOENT for no such id. */
int store_swap_update_state(Store *s, const Swap *sw, int from);
/* Appends to the swap's history. */
int store_swap_event_append(Store *s, int64_t swap_id, uint64_t at_usec, uid_t uid, const char *actor,
                            const char *action, const char *note, int64_t *ret_id);
/* Oldest first. */
int store_swap_event_list(Store *s, int64_t swap_id, SwapEvent **ret, size_t *ret_n);

/* ---- Alerts: the gap monitor's memory (store-alert.c) ---- */

/* What the journal was told about one open gap. urgency is a GapUrgency (gaps.h). */
typedef struct StoreAlertState {
        char *gap_id;
        char *kind;                /* gap_kind_to_string() */
        int urgency;               /* the most urgent level told */
        Day day;                   /* DAY_NONE for none */
        char *post;                /* may be NULL */
        int slot;                  /* -1 for none */
        char *people;              /* Person.ids joined by ALERT_PEOPLE_SEPARATOR, may be NULL */
        char *rule;                /* may be NULL */
        int64_t leave_id;          /* 0 for none */
        int64_t swap_id;           /* 0 for none */
        int step;                  /* the escalation step last told (Gap.step) */
        char *message;             /* the message last written, may be NULL */
        uint64_t first_usec;       /* when the gap was first told */
        uint64_t last_usec;        /* when it was last told */
} StoreAlertState;

void store_alert_state_done(StoreAlertState *a);
StoreAlertState *store_alert_state_free_many(StoreAlertState *a, size_t n);
/* Every open gap told, ordered by gap_id. */
int store_alert_state_list(Store *s, StoreAlertState **ret, size_t *ret_n);
/* Inserts or replaces the row of a->gap_id. */
int store_alert_state_put(Store *s, const StoreAlertState *a);
/* -ENOENT if there is no such row. */
int store_alert_state_remove(Store *s, const char *gap_id);

/* ---- Handover: takeovers (接班) and handovers (交班) (store-handover.c) ---- */

/* One takeover or handover of a post of a duty day. Never changed once written. */
typedef struct StoreHandover {
        int64_t id;
        Day day;                   /* the duty day taken over (take) or handed over (give) */
        char *post;
        char *person;
        int action;                /* HandoverAction */
        uint64_t at_usec;
        bool late;                 /* take: after the handover + takeover_minutes */
        char *note;                /* give: what was handed over, may be NULL */
        char *recorded_by;         /* an administrator who recorded it for person (Person.id, or
                                    * "root"); NULL when person did it */
} StoreHandover;

void store_handover_done(StoreHandover *h);
StoreHandover *store_handover_free_many(StoreHandover *h, size_t n);
/* Appends h (its id is ignored); *ret_id gets the new row's. -EEXIST when h->person already did
 * h->action for that day and post. */
int store_handover_add(Store *s, const StoreHandover *h, int64_t *ret_id);
/* The rows of duty days from … to, by day, then id. */
int store_handover_list(Store *s, Day from, Day to, StoreHandover **ret, size_t *ret_n);
/* The first duty day anybody took over; -ENOENT when nobody ever did. */
int store_handover_first_take(Store *s, Day *ret);

/* The leave the gap monitor looks at (store-leave.c): approved or started (as stored) beginning by
 * `to`, which includes every one that ended with no return reported; and urgent leave whose
 * written form is missing, unless rejected or cancelled. Ordered by start. */
int store_leave_list_monitored(Store *s, Day to, StoreLeave **ret, size_t *ret_n);

/* ---- Spot checks (store-check.c) ---- */

typedef struct SpotCheck SpotCheck;

/* Inserts c (its id is ignored). ret_id (optional) gets the new id. */
int store_check_insert(Store *s, const SpotCheck *c, int64_t *ret_id);
/* -ENOENT if there is none. */
int store_check_get(Store *s, int64_t id, SpotCheck *ret);
/* The checks made during duty days from..to (inclusive), in the order they were made. */
int store_check_list(Store *s, Day from, Day to, SpotCheck **ret, size_t *ret_n);

/* Presence checks (check.h's PresenceCheck). */
typedef struct PresenceCheck PresenceCheck;

/* Inserts p (its id and acknowledgement ignored). */
int store_presence_insert(Store *s, const PresenceCheck *p, int64_t *ret_id);
/* 1 when window's check of duty_day was asked already, 0 if not. */
int store_presence_exists(Store *s, Day duty_day, unsigned window);
/* The checks waiting for a confirmation, oldest first. */
int store_presence_pending(Store *s, PresenceCheck **ret, size_t *ret_n);
/* The checks of duty days from..to, in the order they were asked. */
int store_presence_list(Store *s, Day from, Day to, PresenceCheck **ret, size_t *ret_n);
/* Moves a pending check to state (acknowledged, with who and when; or missed, acked_day DAY_NONE).
 * -ESTALE when it is no longer pending. */
int store_presence_settle(Store *s, int64_t id, PresenceState state, const char *acked_by, Day acked_day,
                          int acked_minutes);
/* The duty log (值班记录, store-dutylog.c). Entries are never changed once written but for their
 * closing: a correction is a new entry pointing at the one it corrects. */
typedef struct StoreDutyLog {
        int64_t id;
        Day day;                /* the duty day whose log it belongs to */
        uint64_t at_usec;       /* when it happened */
        uint64_t created_usec;  /* when it was written */
        char *kind;             /* dutylog_kind_to_string() */
        char *source;           /* from whom: a person or a unit; may be NULL */
        char *phone;            /* may be NULL */
        char *matter;
        char *measures;         /* may be NULL */
        char *informed;         /* who was told; may be NULL */
        char *recorded_by;      /* person id; NULL for root without a person entry */
        uid_t uid;
        bool open;              /* written as an open item (待办) */
        int64_t corrects;       /* the entry it corrects, or 0 */
        int64_t follows;        /* the entry it follows up, or 0 */
        int64_t corrected_by;   /* read only: the newest entry correcting it, or 0 */
        uint64_t closed_usec;   /* 0 while not closed */
        Day closed_day;         /* the duty day it was closed in; DAY_NONE while not closed */
        char *closed_by;
        char *closed_note;
        /* Per DutyLogReport (an emergency's reports): when due (0: none owed), when it went (0: not
         * yet) and to whom, when its missing was told to the journal (0: not yet). */
        uint64_t report_due_usec[_DUTYLOG_REPORT_MAX];
        uint64_t report_sent_usec[_DUTYLOG_REPORT_MAX];
        char *report_to[_DUTYLOG_REPORT_MAX];
        uint64_t report_alerted_usec[_DUTYLOG_REPORT_MAX];
        /* DUTYLOG_REPORT_FOLLOWUP above: due (read only) after the written report or the last
         * follow-up while the entry is open, 0 when none is owed; sent: the last one; alerted: when
         * the missing one due then was told (a later due is told again). */
        unsigned followup_minutes;      /* the interval in force when written; 0: no timer */
        unsigned followup_count;        /* read only: follow-ups recorded */
} StoreDutyLog;

void store_duty_log_done(StoreDutyLog *e);
StoreDutyLog *store_duty_log_free_many(StoreDutyLog *e, size_t n);
int store_duty_log_insert(Store *s, const StoreDutyLog *e, int64_t *ret_id);
/* -ENOENT if there is no such entry. */
int store_duty_log_get(Store *s, int64_t id, StoreDutyLog *ret);
/* The log of duty day `day`: its own entries, the open items of earlier days not closed before
 * it (carried over) and those closed in it; by time, at most DUTYLOG_LIST_MAX. */
int store_duty_log_list(Store *s, Day day, StoreDutyLog **ret, size_t *ret_n);
/* The corrections and follow-ups of entry id, oldest first. */
int store_duty_log_related(Store *s, int64_t id, StoreDutyLog **ret, size_t *ret_n);
/* The open items (待办) written in duty day `day` or before and still open now, by time, at most
 * DUTYLOG_LIST_MAX: what that day's duty passes on at the handover. */
int store_duty_log_open(Store *s, Day day, StoreDutyLog **ret, size_t *ret_n);
/* Closes an open item: -ENOENT if there is no such entry, -EALREADY if it is not open. */
int store_duty_log_close(Store *s, int64_t id, uint64_t at_usec, Day day, const char *by, const char *note);
/* Records that report r of entry id went at sent_usec to `to`: -ENOENT if there is no such entry,
 * -ENOMSG if it owes no such report, -EALREADY if it was recorded already. */
int store_duty_log_report(Store *s, int64_t id, DutyLogReport r, uint64_t sent_usec, const char *to);
/* The entries with a report due by now_usec, not sent and not told to the journal yet, by id. */
int store_duty_log_overdue(Store *s, uint64_t now_usec, StoreDutyLog **ret, size_t *ret_n);
/* The entries with a report due by now_usec and not sent, told to the journal or not, by id (at
 * most DUTYLOG_LIST_MAX). */
int store_duty_log_unsent(Store *s, uint64_t now_usec, StoreDutyLog **ret, size_t *ret_n);
/* Remembers that the missing report r of entry id was told to the journal at usec. */
int store_duty_log_report_alerted(Store *s, int64_t id, DutyLogReport r, uint64_t usec);

/* The daily report of a duty day (每日报告, 零报告; store-dutylog.c): sent once, or told to the
 * journal as missing once. */
typedef struct StoreDailyReport {
        Day day;
        uint64_t sent_usec;     /* 0: not sent */
        char *sent_by;          /* person id; NULL for root without a person entry */
        char *to;
        char *text;
        uint64_t alerted_usec;  /* 0: its missing not told to the journal */
} StoreDailyReport;

void store_daily_report_done(StoreDailyReport *r);
/* -ENOENT if the day has no row (neither sent nor told missing). */
int store_daily_report_get(Store *s, Day day, StoreDailyReport *ret);
/* Records the report of day as sent: -EALREADY if it was already. */
int store_daily_report_send(Store *s, Day day, uint64_t sent_usec, const char *by, uid_t uid, const char *to,
                            const char *text);
/* Remembers that the missing report of day was told to the journal at usec. */
int store_daily_report_alerted(Store *s, Day day, uint64_t usec);

/* ---- The superior office's view of its offices (store-offices.c) ---- */

typedef struct OfficeReport OfficeReport;

/* The cursor of the last journal entry of office's files taken (-ENOENT: none yet), and setting
 * it: in the transaction that stored what the entries up to it produced. */
int store_office_cursor_get(Store *s, const char *office, char **ret);
int store_office_cursor_set(Store *s, const char *office, const char *cursor);
/* Stores r unless a version as high or higher of (office, kind, key) is stored; the earliest
 * written time is kept. Returns 1 if stored, 0 if it changed nothing. */
int store_office_report_put(Store *s, const OfficeReport *r);
/* Reports of one office (NULL: every office) and one kind (<0: every kind), ordered by office,
 * kind, from, key. A payload is "" unless payloads is set or it is a roster covering payload_day
 * (DAY_NONE: none does). With active_day (not DAY_NONE), only the away reports of leave approved
 * or changed and not ended before it; with roster_key, only the rosters of that key. */
int store_office_report_list(Store *s, const char *office, int kind, bool payloads, Day payload_day,
                             Day active_day, const char *roster_key, OfficeReport **ret, size_t *ret_n);
/* The roster reports of one notice key, by office. */
int store_office_report_list_key(Store *s, int kind, const char *key, OfficeReport **ret, size_t *ret_n);
/* An office's gap opened (open) or resolved (!open), by its DUTY_GAP_ID. */
int store_office_gap_set(Store *s, const char *office, const char *gap, bool open);
/* The number of open gaps per office, every office with one: parallel arrays. */
typedef struct StoreOfficeCount {
        char *office;
        unsigned count;
} StoreOfficeCount;
int store_office_gap_counts(Store *s, StoreOfficeCount **ret, size_t *ret_n);
void store_office_counts_free(StoreOfficeCount *c, size_t n);
/* Whether the deadline alert of notice report `key` was written (-ENOENT if not), and recording it. */
int store_notice_alert_get(Store *s, const char *key, uint64_t *ret_usec);
int store_notice_alert_set(Store *s, const char *key, uint64_t usec, const char *missing);

/* ---- The notification outbox (store-notify.c) ---- */

typedef struct StoreNotification {
        int64_t id;
        char *uuid;             /* what every delivery carries, for the receiver to de-duplicate on */
        char *key;              /* the event, queued once: "kind:person:…" */
        NotifyKind kind;
        char *person;           /* Person.id of the recipient */
        char *text_zh;
        char *text_en;
        NotifyState state;
        unsigned attempts;      /* failed attempts so far */
        uint64_t next_usec;     /* not before (wall clock, µs) */
        char *last_error;       /* may be NULL */
        char *delivered;        /* ",name,…," of the channels that took it already ("" none) */
        uint64_t created_usec;
        uint64_t sent_usec;     /* 0 until sent */
} StoreNotification;

void store_notification_done(StoreNotification *n);
StoreNotification *store_notification_free_many(StoreNotification *a, size_t n);

/* Queues a notification unless one with key exists already (*ret_added false then). */
int store_notify_add(Store *s, const char *key, NotifyKind kind, const char *person, const char *text_zh,
                     const char *text_en, uint64_t now_usec, bool *ret_added);
int store_notify_count_queued(Store *s, size_t *ret);
/* The earliest next_usec of a queued row; -ENOENT when none is queued. */
int store_notify_next_due(Store *s, uint64_t *ret);
/* At most max queued rows due at now_usec, the earliest first. */
int store_notify_due(Store *s, uint64_t now_usec, size_t max, StoreNotification **ret, size_t *ret_n);
/* At most max rows (only the failed ones if failed_only), the newest first. */
int store_notify_list(Store *s, bool failed_only, size_t max, StoreNotification **ret, size_t *ret_n);
/* -ENOENT if there is none. */
int store_notify_get(Store *s, int64_t id, StoreNotification *ret);
/* Removes the rows sent before before_usec (*ret_n, optional, gets how many). */
int store_notify_prune(Store *s, uint64_t before_usec, size_t *ret_n);
/* Writes state, attempts, next_usec, last_error, delivered and sent_usec of row n->id. */
int store_notify_update(Store *s, const StoreNotification *n);
