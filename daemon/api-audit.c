/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The audit log of mutating calls, and the transaction they run in. api_dispatch() hands every
 * method the method table marks as a write to api_run_audited(), which owns the transaction: the
 * first write of a turn of the loop begins it (store_begin()), each write runs in a savepoint of its
 * own ("request") with its audit row appended inside it, and the transaction stays open for the
 * other writes that arrive together (group commit). It commits once — one COMMIT, one fdatasync —
 * when no call is ready to run any more (on the loop: it has nothing else to do), or at the latest
 * API_GROUP_COMMIT_MAX_USEC after its first write while reads keep the loop busy (then in the
 * store's commit thread, the loop answering reads meanwhile), or when another writer begins (the
 * store's open handler). Every reply of
 * the group's writes is held (varlink_call_hold()) until then, so that nothing is acknowledged
 * before it is durable. Reads meanwhile run on the store's reader (api_dispatch()), which sees none
 * of the group's writes, and are answered at once. A call that is refused or fails is rolled back to its
 * savepoint and leaves nothing but its audit row; the others go on. A call whose transaction cannot
 * begin because another program holds the database's write lock waits off the event loop
 * (varlink_call_retry()) for at most API_LOCK_WAIT_USEC before it fails. */

#include "api-audit.h"
#include "duty-names.h"
#include <inttypes.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <syslog.h>
#include <unistd.h>

#include "anchor.h"
#include "damage.h"
#include "log.h"
#include "feed.h"
#include "notify-send.h"
#include "monitor.h"
#include "store-audit.h"

#define API_AUDIT_RESULT_OK      "ok"
/* Our own errors by their bare name (audit_result_name()). */
#define API_AUDIT_RESULT_FAILED  audit_result_name(DUTY_ERROR_FAILED)
#define API_AUDIT_RESULT_REFUSED audit_result_name(DUTY_ERROR_PERMISSION_DENIED)
#define API_INTERFACE_PREFIX     DUTY_INTERFACE "."
/* The parameters are recorded as compact JSON cut to this many bytes, so that a row stays a line
 * and a client cannot grow the log by more than this per call. */
#define API_AUDIT_SUMMARY_MAX    256u
#define API_AUDIT_ELLIPSIS       "…"
/* "DUTY_AUDIT_SEQ=" and an int64 in decimal, with its NUL. */
#define API_AUDIT_SEQ_FIELD_MAX      (sizeof("DUTY_AUDIT_SEQ=") + 21)

/* Compact JSON of params, cut at a character boundary to API_AUDIT_SUMMARY_MAX bytes. The bytes of
 * json_dumps(params, JSON_COMPACT | JSON_ENCODE_ANY), written by the replies' faster encoder (a
 * third of json_dumps()'s instructions, every write pays it). */
static char *audit_summary(json_t *params) {
        size_t n, cut;
        char *text;

        if (!params || varlink_json_encode(params, &text, &n) < 0)
                return NULL;

        if (n <= API_AUDIT_SUMMARY_MAX)
                return text;

        cut = API_AUDIT_SUMMARY_MAX - strlen(API_AUDIT_ELLIPSIS);
        /* Never end inside a UTF-8 sequence: back up over continuation bytes. */
        while (cut > 0 && ((unsigned char) text[cut] & 0xc0) == 0x80)
                cut--;
        memcpy(text + cut, API_AUDIT_ELLIPSIS, sizeof(API_AUDIT_ELLIPSIS));
        return text;
}

/* Our own errors by their bare name ("RuleViolation"), others in full. */
static const char *audit_result_name(const char *error) {
        if (!error)
                return API_AUDIT_RESULT_OK;
        if (strneq(error, API_INTERFACE_PREFIX, strlen(API_INTERFACE_PREFIX)))
                return error + strlen(API_INTERFACE_PREFIX);
        return error;
}

/* Writes the chain's head, row id of hash head, to the journal (anchor.h). */
static void audit_anchor_write(Manager *m, int64_t id, const char *head) {
        char seq[API_AUDIT_SEQ_FIELD_MAX], hash[sizeof("DUTY_AUDIT_HASH=") + ANCHOR_HASH_SIZE],
                message[sizeof("Audit chain head: row , hash .") + API_AUDIT_SEQ_FIELD_MAX + ANCHOR_HASH_SIZE];
        _cleanup_free_ char *database = NULL;
        int r;

        if (asprintf(&database, "DUTY_DATABASE=%s", m->database_path) < 0) {
                log_error("Out of memory for the anchor of audit row %" PRIi64 ".", id);
                return;
        }
        (void) snprintf(seq, sizeof(seq), "DUTY_AUDIT_SEQ=%" PRIi64, id);
        (void) snprintf(hash, sizeof(hash), "DUTY_AUDIT_HASH=%s", head);
        (void) snprintf(message, sizeof(message), "Audit chain head: row %" PRIi64 ", hash %s.", id, head);

        const char *fields[] = { database, seq, hash, NULL };
        r = log_struct_entry(LOG_NOTICE, ANCHOR_MESSAGE_ID, manager_office_id(m), fields, message);
        if (r < 0)
                log_error("Cannot write the anchor of audit row %" PRIi64 " to the journal: %s", id, strerror(-r));
}

/* Anchors row id of hash head, just appended: at once if it is committed already, else once its
 * transaction commits, with the group's newest row (api_group_commit()). */
static void audit_anchor(Manager *m, int64_t id, const char *head) {
        if (!store_in_transaction(m->store)) {
                audit_anchor_write(m, id, head);
                return;
        }
        m->anchor_seq = id;
        memcpy(m->anchor_hash, head, ANCHOR_HASH_SIZE);
}

/* Appends one row, in the request's transaction if one is open, else in its own, and anchors it.
 * Another program's lock is never waited for (that would stop the event loop, store.c): -EBUSY,
 * and the caller says what becomes of the row. */
static int audit_append_row(Manager *m, uid_t uid, const char *person, const char *method, const char *summary,
                            const char *result) {
        char head[ANCHOR_HASH_SIZE];
        int64_t id;
        int r;

        r = store_audit_append_full(m->store, manager_now_usec(m), uid, person, method,
                                    summary ?: "(unavailable)", result, &id, head);
        if (r < 0 && r != -EBUSY)
                log_error("Cannot append the audit row of %s by uid %u (%s): %s",
                          method, (unsigned) uid, result, strerror(-r));
        if (r < 0)
                return r;
        audit_anchor(m, id, head);
        return r;
}

/* The same, for a row that is lost if the database is locked: the journal keeps what it said. */
static int audit_append(Manager *m, uid_t uid, const char *person, const char *method, const char *summary,
                        const char *result) {
        int r;

        r = audit_append_row(m, uid, person, method, summary, result);
        if (r == -EBUSY)
                log_warning("The database is locked by another program: the audit row of %s by uid %u (%s) "
                            "is not written: %s", method, (unsigned) uid, result, summary ?: "(unavailable)");
        return r;
}

void api_audit_attempt(Manager *m, const Identity *id, const char *method, json_t *params, const char *result) {
        _cleanup_free_ char *summary = audit_summary(params);

        (void) audit_append(m, id->uid, id->person ? id->person->id : NULL, method, summary, result);
}

/* The row standing for count refusals of a guest (or, uid REFUSAL_UID_OTHERS, of the guests that
 * found the tally full): the parameters of each are not kept, the count is. */
typedef struct RefusalFlush {
        Manager *manager;
        bool locked;            /* a row found the database locked by another program */
} RefusalFlush;

/* Once a row found the database locked, the others would each wait for the same lock: they keep
 * their counts for the next interval instead. */
static int refusal_write_row(uid_t uid, const char *method, uint64_t count, void *userdata) {
        RefusalFlush *f = userdata;
        char summary[64];
        int r;

        if (f->locked)
                return -EBUSY;
        (void) snprintf(summary, sizeof(summary), "{\"refused\":%" PRIu64 "%s}", count,
                        uid == REFUSAL_UID_OTHERS ? ",\"others\":true" : "");
        r = audit_append_row(f->manager, uid, NULL, method, summary, API_AUDIT_RESULT_REFUSED);
        if (r == -EBUSY) {
                log_warning("The database is locked by another program: the refusals' audit rows are "
                            "written one interval later.");
                f->locked = true;
        }
        return r;
}

/* The refusals' timer due one interval from now. */
static void refusal_timer_rearm(Manager *m) {
        int r;

        r = sd_event_source_set_time_relative(m->refusal_timer, m->refusal_interval_usec);
        if (r >= 0)
                r = sd_event_source_set_enabled(m->refusal_timer, SD_EVENT_ONESHOT);
        if (r < 0)
                log_error("Cannot arm the timer of the refusals' audit rows: %s", strerror(-r));
}

void api_audit_refusals_flush(Manager *m) {
        RefusalFlush f = { .manager = m };
        size_t remaining;

        remaining = refusal_tally_flush(&m->refusals, refusal_write_row, &f);
        if (!m->refusal_timer)
                return;
        if (remaining == 0) {
                (void) sd_event_source_set_enabled(m->refusal_timer, SD_EVENT_OFF);
                return;
        }
        /* A uid still refused keeps its entry: the next row is due one interval later. */
        refusal_timer_rearm(m);
}

static int on_refusal_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        api_audit_refusals_flush(userdata);
        return 0;
}

/* The interval starts with the first refusal the tally sees while the timer is off. */
static void refusal_timer_arm(Manager *m) {
        int enabled = SD_EVENT_OFF;
        int r;

        if (!m->refusal_timer) {
                r = sd_event_add_time_relative(m->event, &m->refusal_timer, CLOCK_MONOTONIC,
                                               m->refusal_interval_usec, 0, on_refusal_timer, m);
                if (r < 0)
                        log_error("Cannot add the timer of the refusals' audit rows: %s", strerror(-r));
                return;
        }
        if (sd_event_source_get_enabled(m->refusal_timer, &enabled) >= 0 && enabled != SD_EVENT_OFF)
                return;
        refusal_timer_rearm(m);
}

void api_audit_refusal(Manager *m, const Identity *id, const char *method, json_t *params) {
        switch (id->access) {
        case ACCESS_GUEST:
                break;
        case ACCESS_MEMBER:
        case ACCESS_APPROVER:
        case ACCESS_ADMIN:
        case ACCESS_ROOT:
        case _ACCESS_MAX:
        case _ACCESS_INVALID:
                api_audit_attempt(m, id, method, params, API_AUDIT_RESULT_REFUSED);
                return;
        }

        refusal_timer_arm(m);
        if (refusal_tally_add(&m->refusals, id->uid, method))
                api_audit_attempt(m, id, method, params, API_AUDIT_RESULT_REFUSED);
}

const char *api_failed_message(const Manager *m, int error) {
        bool en = api_language_en(m);

        if (error == -ESTALE)
                return damage_refusal_message(m);
        if (error == -EBUSY)
                return en ? "the database is locked by another program (a sqlite3 shell or a backup that "
                            "writes to dutyd.sqlite); nothing was changed; try again when it has finished"
                          : "数据库正被其他程序锁定（如正在写入 dutyd.sqlite 的 sqlite3 命令行或备份程序），"
                            "未做任何修改；请待其结束后重试";
        return en ? "the change could not be saved; nothing was changed" : "变更未能保存，未做任何修改";
}

/* The audit row of a call that failed. When the cause is another program's lock on the database,
 * the row would only wait for the same lock again, blocking the loop a second time: it is left out,
 * and the journal says so (with what the row would have said). */
static void audit_append_failed(Manager *m, int error, uid_t uid, const char *person, const char *method,
                                const char *summary, const char *result) {
        /* A damaged store takes no row at all; the journal has the crit entry (damage.h). */
        if (error == -ESTALE) {
                log_warning("The database is damaged, dutyd refuses every change until it restarts: %s by uid %u "
                            "failed (%s), its audit row is not written: %s",
                            method, (unsigned) uid, result, summary ?: "(unavailable)");
                return;
        }
        if (error == -EBUSY) {
                log_warning("The database is locked by another program: %s by uid %u failed (%s), "
                            "its audit row is not written: %s",
                            method, (unsigned) uid, result, summary ?: "(unavailable)");
                return;
        }
        (void) audit_append(m, uid, person, method, summary, result);
}

/* Asks the server to run the call again later, while it has waited less than its bound (api-audit.h).
 * Returns true when it will: the call is not answered now. The last try falls on the bound. */
static bool audit_lock_retry(VarlinkCall *call) {
        uint64_t waited = varlink_call_waited_usec(call), delay;

        if (waited >= API_LOCK_WAIT_USEC)
                return false;
        delay = waited < API_LOCK_RETRY_FIRST_USEC ? API_LOCK_RETRY_FIRST_USEC : waited;
        if (delay > API_LOCK_RETRY_MAX_USEC)
                delay = API_LOCK_RETRY_MAX_USEC;
        if (delay > API_LOCK_WAIT_USEC - waited)
                delay = API_LOCK_WAIT_USEC - waited;
        if (waited == 0)
                log_debug("%s by uid %u waits for the database, locked by another program.",
                          varlink_call_method(call), (unsigned) varlink_call_peer(call)->uid);
        return varlink_call_retry(call, delay) >= 0;
}

/* ---- Group commit ---- */

/* A write of the open group: its held reply, and what its audit row says if the COMMIT fails. */
typedef struct ApiGroupCall {
        VarlinkHold *hold;
        uid_t uid;
        char *person;
        char *method;
        char *summary;
} ApiGroupCall;

static void group_call_done(ApiGroupCall *g) {
        g->hold = varlink_hold_release(g->hold);
        free(g->person);
        free(g->method);
        free(g->summary);
}

/* The writes of the group's transaction, undone one by one when refused. */
static const StoreSavepoint savepoint_request = STORE_SAVEPOINT(request);

static void group_commit_start(Manager *m);

/* Nothing else is ready to run: the loop would only wait for the commit's end, so the COMMIT runs
 * here, saving the commit thread's start and the wake-up by its eventfd (a single caller's write
 * waits for no more than the commit itself). */
static int on_group_commit(sd_event_source *s, void *userdata) {
        (void) api_group_commit(userdata);
        return 0;
}

static int on_group_commit_time(sd_event_source *s, uint64_t usec, void *userdata) {
        group_commit_start(userdata);
        return 0;
}

static int group_timer_arm(Manager *m, uint64_t delay_usec) {
        int r;

        if (!m->group_commit_timer)
                return sd_event_add_time_relative(m->event, &m->group_commit_timer, CLOCK_MONOTONIC, delay_usec, 0,
                                                  on_group_commit_time, m);
        r = sd_event_source_set_time_relative(m->group_commit_timer, delay_usec);
        if (r < 0)
                return r;
        return sd_event_source_set_enabled(m->group_commit_timer, SD_EVENT_ONESHOT);
}

/* The group commits once no call is ready to run (group_commit, a defer source below every call's
 * priority), so that the writes arriving together share the commit and its fdatasync. Calls held
 * by the group block their connections, so the group is bounded by the connections
 * (VARLINK_CONNECTIONS_MAX); but the reads, which run on the store's reader and are never held,
 * could keep the loop busy for ever: API_GROUP_COMMIT_MAX_USEC after its first write, a timer at
 * the calls' priority commits it anyway. With the test hook $DUTYD_COMMIT_DELAY_MS, the timer alone
 * commits it, that long after its first write. */
static int group_arm(Manager *m) {
        int r;

        if (m->commit_delay_usec > 0) {
                log_notice("A group of writes begins; it commits in %" PRIu64 " ms (test hook).",
                           m->commit_delay_usec / USEC_PER_MSEC);
                return group_timer_arm(m, m->commit_delay_usec);
        }

        r = group_timer_arm(m, API_GROUP_COMMIT_MAX_USEC);
        if (r < 0)
                return r;
        if (!m->group_commit) {
                r = sd_event_add_defer(m->event, &m->group_commit, on_group_commit, m);
                if (r < 0)
                        return r;
                r = sd_event_source_set_priority(m->group_commit, SD_EVENT_PRIORITY_IDLE);
                if (r < 0) {
                        m->group_commit = sd_event_source_disable_unref(m->group_commit);
        m->group_commit_timer = sd_event_source_disable_unref(m->group_commit_timer);
                        return r;
                }
                return 0;
        }
        return sd_event_source_set_enabled(m->group_commit, SD_EVENT_ONESHOT);
}

/* A write's place in the group, taken once its transaction is open, with what its audit row says
 * should the COMMIT fail; api_group_join() adds the held reply after the call returned. */
static int group_reserve(Manager *m, uid_t uid, const char *person, const char *method, const char *summary) {
        _cleanup_(group_call_done) ApiGroupCall g = { .uid = uid };
        ApiGroupCall *calls;

        calls = reallocarray(m->group_calls, m->n_group_calls + 1, sizeof(ApiGroupCall));
        if (!calls)
                return -ENOMEM;
        m->group_calls = calls;
        g.method = strdup(method);
        if (!g.method || (person && !(g.person = strdup(person))) || (summary && !(g.summary = strdup(summary))))
                return -ENOMEM;
        m->group_calls[m->n_group_calls++] = g;
        g = (ApiGroupCall) {};
        return 0;
}

int api_group_join(Manager *m, VarlinkCall *call) {
        ApiGroupCall *g;

        if (!store_in_transaction(m->store) || !varlink_call_replied(call))
                return 0;
        /* api_run_audited() reserved the write's place when it ran in the group. A write that did
         * not run in it (it failed to begin) has nothing to wait for. */
        if (m->n_group_calls == 0 || m->group_calls[m->n_group_calls - 1].hold)
                return 0;
        g = &m->group_calls[m->n_group_calls - 1];
        return varlink_call_hold(call, &g->hold);
}

static void group_disarm(Manager *m) {
        if (m->group_commit)
                (void) sd_event_source_set_enabled(m->group_commit, SD_EVENT_OFF);
        if (m->group_commit_timer)
                (void) sd_event_source_set_enabled(m->group_commit_timer, SD_EVENT_OFF);
}

/* The group's end, once its COMMIT is done with result r: the replies, the journal, the work that
 * follows a change. No write of another group ran meanwhile (they wait for the commit's end), so
 * the chain's head to anchor is still this group's. */
static int group_finish(Manager *m, int r) {
        ApiGroupCall *calls = TAKE_PTR(m->group_calls);
        size_t n = m->n_group_calls, n_writes = n;
        int64_t anchor_seq = m->anchor_seq;
        char anchor_hash[ANCHOR_HASH_SIZE];

        /* Taken before the replies: a failed commit's rows are written again below, each in a
         * transaction of its own and anchored at once. */
        memcpy(anchor_hash, m->anchor_hash, ANCHOR_HASH_SIZE);
        m->anchor_seq = 0;
        m->n_group_calls = 0;

        if (r < 0)
                log_error("Cannot commit %zu request(s), answering Failed: %s", n_writes, strerror(-r));

        /* The replies first: the callers wait for them, nobody waits for the journal. */
        for (size_t i = 0; i < n; i++) {
                ApiGroupCall *g = &calls[i];

                /* Nothing the group wrote is kept: its writes are answered Failed, and their rows
                 * say so, each in a transaction of its own. */
                if (r < 0 && g->hold && !varlink_hold_error(g->hold)) {
                        if (varlink_hold_replace_error(g->hold, DUTY_ERROR_FAILED,
                                                       json_pack("{s:s}", "message", api_failed_message(m, r))) < 0)
                                log_error("Cannot replace the reply of %s by uid %u after the failed commit.",
                                          g->method, (unsigned) g->uid);
                        audit_append_failed(m, r, g->uid, g->person, g->method, g->summary,
                                            API_AUDIT_RESULT_FAILED);
                }
                group_call_done(g);
        }
        free(calls);

        /* The journal tells of the changes only once the store holds them (the requests' own
         * entries, then the chain's head), right after the replies: committed either way. */
        log_queue_flush(&m->journal_pending, r >= 0, manager_office_id(m));
        if (r >= 0 && anchor_seq > 0)
                audit_anchor_write(m, anchor_seq, anchor_hash);
        if (r >= 0 && n_writes > 1) {
                char count[64], message[96];
                const char *fields[] = { count, NULL };

                (void) snprintf(count, sizeof(count), "DUTY_COMMIT_REQUESTS=%zu", n_writes);
                (void) snprintf(message, sizeof(message), "%zu requests shared one commit.", n_writes);
                (void) log_struct_entry(LOG_DEBUG, API_GROUP_COMMIT_MESSAGE_ID, manager_office_id(m), fields, message);
        }

        /* A committed change may open or close gaps: the journal hears of it after the replies
         * (the callers do not wait for it). */
        if (r >= 0 && n_writes > 0) {
                (void) monitor_schedule(m->monitor);
                /* And the calendar feeds are rewritten then, off the request path, once for all
                 * the changes of that turn. */
                (void) feed_schedule(m->feed);
                /* Notifications queued by the changes are delivered after the replies, likewise. */
                (void) notifier_schedule(m->notifier);
        }
        return r;
}

/* A request's savepoint was rolled back: what it queued for the journal goes, and the chain's head
 * to anchor is the one before it (its audit row, if appended, is gone too). */
static void group_journal_undo(Manager *m, size_t mark, int64_t anchor_seq, const char *anchor_hash) {
        log_queue_truncate(&m->journal_pending, mark);
        m->anchor_seq = anchor_seq;
        memcpy(m->anchor_hash, anchor_hash, ANCHOR_HASH_SIZE);
}

int api_group_commit(Manager *m) {
        int r = 0;

        group_disarm(m);
        if (store_committing(m->store))
                /* Waits for the commit thread. */
                return group_finish(m, store_commit_finish(m->store));
        if (store_in_transaction(m->store))
                r = store_commit(m->store);
        return group_finish(m, r);
}

static int on_commit_done(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        uint64_t v;

        (void) read(fd, &v, sizeof(v));
        /* Finished already if something needed the writer first (store_begin(): the open handler). */
        if (store_committing(m->store))
                (void) group_finish(m, store_commit_finish(m->store));
        return 0;
}

static int commit_done_fd(Manager *m) {
        int fd, r;

        if (m->commit_done)
                return sd_event_source_get_io_fd(m->commit_done);
        fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0)
                return -errno;
        r = sd_event_add_io(m->event, &m->commit_done, fd, EPOLLIN, on_commit_done, m);
        if (r < 0) {
                (void) close(fd);
                return r;
        }
        (void) sd_event_source_set_io_fd_own(m->commit_done, true);
        return fd;
}

/* The group's COMMIT, and its fdatasync, in the store's commit thread: the loop answers reads (on
 * the reader) meanwhile, and writes that arrive wait for its end off the loop (api_run_audited()),
 * to share the next group's commit. on_commit_done finishes the group when the thread is done. */
static void group_commit_start(Manager *m) {
        int fd, r;

        group_disarm(m);
        if (store_committing(m->store) || !store_in_transaction(m->store)) {
                (void) api_group_commit(m);
                return;
        }
        fd = commit_done_fd(m);
        if (fd < 0) {
                log_error("Cannot create the commit thread's eventfd, committing on the loop: %s", strerror(-fd));
                (void) api_group_commit(m);
                return;
        }
        r = store_commit_start(m->store, fd);
        if (r == 0)
                return;
        /* Refused before it began (damage, a savepoint left open: rolled back), or committed here. */
        (void) group_finish(m, r > 0 ? 0 : r);
}

void api_group_on_store_open(Store *s, void *userdata) {
        Manager *m = userdata;

        /* A write's handler is half-way through its savepoint: whatever begins now finds the
         * transaction open (-EBUSY) and does its work at its next run. */
        if (m->request_running) {
                log_debug("A write runs: a transaction of its own is not begun meanwhile.");
                return;
        }
        (void) api_group_commit(m);
}

void api_group_free(Manager *m) {
        /* A commit under way is waited for: its writes were sent to the disk, their callers are
         * answered as it went. */
        if (m->store && store_committing(m->store))
                (void) group_finish(m, store_commit_finish(m->store));
        m->commit_done = sd_event_source_disable_unref(m->commit_done);
        if (m->store && store_in_transaction(m->store))
                store_rollback(m->store);
        log_queue_flush(&m->journal_pending, false, NULL);
        m->anchor_seq = 0;
        for (size_t i = 0; i < m->n_group_calls; i++)
                group_call_done(&m->group_calls[i]);
        free(m->group_calls);
        m->group_calls = NULL;
        m->n_group_calls = 0;
        m->group_commit = sd_event_source_disable_unref(m->group_commit);
        m->group_commit_timer = sd_event_source_disable_unref(m->group_commit_timer);
}

int api_run_audited(Manager *m, VarlinkCall *call, const Identity *id, ApiHandler handler, json_t *params) {
        _cleanup_free_ char *summary = NULL, *person = NULL, *result = NULL;
        const char *method = varlink_call_method(call);
        uid_t uid = id->uid;
        char anchor_hash[ANCHOR_HASH_SIZE];
        int64_t anchor_seq;
        size_t mark;
        int r, q;

        /* The group's COMMIT runs in the commit thread: this write waits for its end off the loop,
         * and begins or joins the next group then. */
        if (store_committing(m->store)) {
                if (varlink_call_retry(call, API_COMMIT_WAIT_USEC) >= 0)
                        return 0;
                (void) api_group_commit(m);
        }

        summary = audit_summary(params);
        /* A reload frees the configuration id->person points into: keep what the row needs. */
        if (id->person) {
                person = strdup(id->person->id);
                if (!person)
                        return -ENOMEM;
        }

        /* The first write of a group begins its transaction; the others join it. */
        if (!store_in_transaction(m->store)) {
                r = store_begin(m->store);
                /* Another program holds the lock: waiting here would stop every other caller and the
                 * watchdog, so the call waits off the loop and comes back here (varlink_call_retry()). */
                if (r == -EBUSY && audit_lock_retry(call))
                        return 0;
                if (r >= 0) {
                        r = group_arm(m);
                        if (r < 0)
                                store_rollback(m->store);
                }
                if (r < 0) {
                        if (r == -EBUSY)
                                log_warning("%s by uid %u waited %" PRIu64 " ms for the database, locked by another "
                                            "program, and is refused.", method, (unsigned) uid,
                                            varlink_call_waited_usec(call) / USEC_PER_MSEC);
                        else
                                log_error("Cannot begin the transaction of %s: %s", method, strerror(-r));
                        audit_append_failed(m, r, uid, person, method, summary, API_AUDIT_RESULT_FAILED);
                        return api_error_failed(call, api_failed_message(m, r));
                }
        }

        r = group_reserve(m, uid, person, method, summary);
        if (r < 0)
                return r;
        /* What the journal is to hear of the group so far: a request undone goes back to it. */
        mark = m->journal_pending.n;
        anchor_seq = m->anchor_seq;
        memcpy(anchor_hash, m->anchor_hash, ANCHOR_HASH_SIZE);
        r = store_savepoint(m->store, &savepoint_request);
        if (r < 0) {
                log_error("Cannot begin the savepoint of %s: %s", method, strerror(-r));
                audit_append_failed(m, r, uid, person, method, summary, API_AUDIT_RESULT_FAILED);
                return api_error_failed(call, api_failed_message(m, r));
        }

        m->request_running = true;
        r = handler(m, call, id, params);
        m->request_running = false;

        if (!varlink_call_replied(call) || varlink_call_reply_error(call)) {
                /* Nothing of a refused or failed call is kept but its audit row, which commits with
                 * the group. A handler that gave no reply is answered with Failed by the server. */
                result = strdup(varlink_call_replied(call) ? audit_result_name(varlink_call_reply_error(call))
                                                           : API_AUDIT_RESULT_FAILED);
                store_savepoint_rollback(m->store, &savepoint_request);
                group_journal_undo(m, mark, anchor_seq, anchor_hash);
                (void) audit_append(m, uid, person, method, summary, result ?: API_AUDIT_RESULT_FAILED);
                return r;
        }

        q = audit_append(m, uid, person, method, summary, API_AUDIT_RESULT_OK);
        if (q >= 0)
                q = store_savepoint_release(m->store, &savepoint_request);
        else
                store_savepoint_rollback(m->store, &savepoint_request);
        if (q < 0) {
                group_journal_undo(m, mark, anchor_seq, anchor_hash);
                log_error("Cannot keep %s by uid %u, answering Failed: %s", method, (unsigned) uid, strerror(-q));
                audit_append_failed(m, q, uid, person, method, summary, API_AUDIT_RESULT_FAILED);
                q = varlink_call_replace_error(call, DUTY_ERROR_FAILED,
                                               json_pack("{s:s}", "message", api_failed_message(m, q)));
                if (q < 0)
                        return q;
        }
        return r;
}
