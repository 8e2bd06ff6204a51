/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Leave requests (请假) and their history, for leave.c's records: the schema (migration 3) and
 * its accessors. */

#include <limits.h>

#include "store-internal.h"

/* Times are a duty-independent local (day, minutes) pair, as LeaveTime. State is the stored state
 * (never "overdue", which is derived). leave_event is the audit of every transition. */
const char store_migration_leave[] =
        "CREATE TABLE leave ("
        "        id INTEGER PRIMARY KEY,"
        STORE_SCHEMA_LEAVE
        STORE_SCHEMA_LEAVE_CHECK
        ");"
        STORE_SCHEMA_LEAVE_INDEXES
        "CREATE TABLE leave_event ("
        "        id INTEGER PRIMARY KEY,"
        "        leave_id INTEGER NOT NULL REFERENCES leave (id),"
        STORE_SCHEMA_EVENT
        ");"
        "CREATE INDEX leave_event_leave ON leave_event (leave_id, id);";

/* Migration 6: the gap monitor's query (store_leave_list_monitored()) looks leaves up by state and
 * by missing paperwork instead of reading the whole table after every commit. */
const char store_migration_leave_monitor[] =
        "CREATE INDEX leave_state ON leave (state, start_day);"
        "CREATE INDEX leave_paperwork ON leave (urgent, paperwork_done);";

/* Migration 7: a decision an administrator made over the resolved approver (an override, with the
 * reason in decision_note) is marked on the leave itself, not only in its history. */
const char store_migration_leave_override[] =
        "ALTER TABLE leave ADD COLUMN decision_override INTEGER NOT NULL DEFAULT 0;";

/* Columns of a leave row, in the order store_leave_decode() reads them. */
#define LEAVE_COLUMNS                                                                            \
        "id, person, kind, start_day, start_min, end_day, end_min, destination, out_of_town, "   \
        "reason, phone, acting, urgent, requested_day, requested_usec, requested_by, "           \
        "paperwork_due, paperwork_done, state, unexcused, returned_day, returned_min, "          \
        "approver, decided_by, decided_usec, decision_note, decision_override"

static const char sql_leave_insert[] =
        "INSERT INTO leave (person, kind, start_day, start_min, end_day, end_min, destination, "
        "out_of_town, reason, phone, acting, urgent, requested_day, requested_usec, requested_by, "
        "paperwork_due, paperwork_done, state, unexcused, approver) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";
static const char sql_leave_get[] = "SELECT " LEAVE_COLUMNS " FROM leave WHERE id = ?1";
/* Calendar days: the end day is inclusive here (an end at 00:00 merely widens the match by a day,
 * which callers filter more precisely). ?1 … ?2 bound the start day so that the index serves the
 * range: a leave starts at most LEAVE_DAYS_MAX days before it ends (leave_validate(), checked at
 * insert and at every change of the days, store_leave_update_itinerary()), so one that meets
 * from … to starts in from - LEAVE_DAYS_MAX - 1 … to. ?3 is the from day itself. */
#define LEAVE_LIST_WHERE_DAYS "start_day BETWEEN ?1 AND ?2 AND end_day >= ?3 "
#define LEAVE_LIST_ASC "ORDER BY start_day, start_min, id"
#define LEAVE_LIST_DESC "ORDER BY start_day DESC, start_min DESC, id DESC"
static const char sql_leave_list_asc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE " LEAVE_LIST_WHERE_DAYS LEAVE_LIST_ASC;
static const char sql_leave_list_desc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE " LEAVE_LIST_WHERE_DAYS LEAVE_LIST_DESC;
static const char sql_leave_list_person_asc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE person = ?4 AND " LEAVE_LIST_WHERE_DAYS LEAVE_LIST_ASC;
static const char sql_leave_list_person_desc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE person = ?4 AND " LEAVE_LIST_WHERE_DAYS LEAVE_LIST_DESC;
/* With a set of states: the state slots ?5 … ?11 (one per LeaveState, NULL for a state not asked
 * for) let the index leave_state (state, start_day) skip the rows in other states — the cancelled,
 * rejected and ended leaves that accumulate over the years — instead of reading each one to drop
 * it here (the rules' queries ask for open leaves only). */
#define LEAVE_LIST_WHERE_STATES "state IN (?5, ?6, ?7, ?8, ?9, ?10, ?11) AND "
#define LEAVE_LIST_STATE_SLOT 5
_Static_assert(_LEAVE_STATE_MAX == 7, "one state slot (?5 … ?11) per LeaveState");
static const char sql_leave_list_states_asc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE " LEAVE_LIST_WHERE_STATES LEAVE_LIST_WHERE_DAYS LEAVE_LIST_ASC;
static const char sql_leave_list_states_desc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE " LEAVE_LIST_WHERE_STATES LEAVE_LIST_WHERE_DAYS LEAVE_LIST_DESC;
static const char sql_leave_list_person_states_asc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE person = ?4 AND " LEAVE_LIST_WHERE_STATES LEAVE_LIST_WHERE_DAYS
        LEAVE_LIST_ASC;
static const char sql_leave_list_person_states_desc[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE person = ?4 AND " LEAVE_LIST_WHERE_STATES LEAVE_LIST_WHERE_DAYS
        LEAVE_LIST_DESC;
/* The rules' lists (a set of states, anybody's, no limit): one state at a time through the index
 * leave_state (state, start_day), in no order — sorted here, the rows are few. An IN list of
 * states costs SQLite an ephemeral table, and ORDER BY a sorter, on every run: more than the rows
 * themselves. The second form adds the filter's other stretch of days (also_from … also_to, its
 * slots ?5 … ?7 bound like ?1 … ?3), so that a leave meeting both is read once. */
#define LEAVE_LIST_WHERE_ALSO "start_day BETWEEN ?5 AND ?6 AND end_day >= ?7 "
static const char sql_leave_list_state[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE state = ?4 AND " LEAVE_LIST_WHERE_DAYS;
static const char sql_leave_list_state_also[] =
        "SELECT " LEAVE_COLUMNS " FROM leave WHERE state = ?4 AND "
        "((" LEAVE_LIST_WHERE_DAYS ") OR (" LEAVE_LIST_WHERE_ALSO "))";
static const char sql_leave_update[] =
        "UPDATE leave SET state = ?2, unexcused = ?3, returned_day = ?4, returned_min = ?5, "
        "paperwork_done = ?6, approver = ?7, decided_by = ?8, decided_usec = ?9, decision_note = ?10, "
        "decision_override = ?11 "
        "WHERE id = ?1";
static const char sql_leave_event_insert[] =
        "INSERT INTO leave_event (leave_id, at_usec, uid, actor, action, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_leave_event_list[] =
        "SELECT id, leave_id, at_usec, uid, actor, action, note FROM leave_event WHERE leave_id = ?1 ORDER BY id";

void store_leave_done(StoreLeave *l) {
        if (!l)
                return;
        leave_done(&l->leave);
        free(l->requested_by);
        free(l->approver);
        free(l->decision_note);
        *l = (StoreLeave) {};
}

StoreLeave *store_leave_free_many(StoreLeave *l, size_t n) {
        for (size_t i = 0; l && i < n; i++)
                store_leave_done(&l[i]);
        free(l);
        return NULL;
}
STORE_DEFINE_DONE(store_leave_done, StoreLeave)

/* Reads the current row of a statement selecting LEAVE_COLUMNS into *ret (which must be zeroed);
 * on failure *ret may hold some strings, freed by store_leave_done(). */
static int store_leave_decode(sqlite3_stmt *st, StoreLeave *ret) {
        Leave *l = &ret->leave;
        _cleanup_free_ char *kind = NULL, *state = NULL;
        int r;

        l->id = sqlite3_column_int64(st, 0);
        r = store_column_strdup(st, 1, false, &l->person);
        if (r >= 0)
                r = store_column_strdup(st, 2, false, &kind);
        if (r >= 0)
                r = store_column_day(st, 3, &l->start.day);
        if (r >= 0)
                r = store_column_minutes(st, 4, &l->start.minutes);
        if (r >= 0)
                r = store_column_day(st, 5, &l->end.day);
        if (r >= 0)
                r = store_column_minutes(st, 6, &l->end.minutes);
        if (r >= 0)
                r = store_column_strdup(st, 7, true, &l->destination);
        if (r >= 0)
                r = store_column_strdup(st, 9, true, &l->reason);
        if (r >= 0)
                r = store_column_strdup(st, 10, true, &l->phone);
        if (r >= 0)
                r = store_column_strdup(st, 11, true, &l->acting);
        if (r >= 0)
                r = store_column_day(st, 13, &l->requested);
        if (r >= 0)
                r = store_column_usec(st, 14, &ret->requested_usec);
        if (r >= 0)
                r = store_column_strdup(st, 15, true, &ret->requested_by);
        if (r >= 0)
                r = store_column_strdup(st, 18, false, &state);
        if (r >= 0)
                r = store_column_strdup(st, 22, true, &ret->approver);
        if (r >= 0)
                r = store_column_strdup(st, 23, true, &l->decided_by);
        if (r >= 0)
                r = store_column_strdup(st, 25, true, &ret->decision_note);
        if (r < 0)
                return r;

        l->kind = leave_kind_from_string(kind);
        l->state = leave_state_from_string(state);
        if (l->kind < 0 || l->state < 0 || l->state == LEAVE_STATE_OVERDUE)
                return -EBADMSG;

        l->out_of_town = sqlite3_column_int64(st, 8) != 0;
        l->urgent = sqlite3_column_int64(st, 12) != 0;
        l->paperwork_done = sqlite3_column_int64(st, 17) != 0;
        l->unexcused = sqlite3_column_int64(st, 19) != 0;
        ret->decision_override = sqlite3_column_int64(st, 26) != 0;

        l->paperwork_due = DAY_NONE;
        if (sqlite3_column_type(st, 16) != SQLITE_NULL) {
                r = store_column_day(st, 16, &l->paperwork_due);
                if (r < 0)
                        return r;
        }

        l->returned = (LeaveTime) { DAY_NONE, 0 };
        if (sqlite3_column_type(st, 20) != SQLITE_NULL) {
                r = store_column_day(st, 20, &l->returned.day);
                if (r >= 0)
                        r = store_column_minutes(st, 21, &l->returned.minutes);
                if (r < 0)
                        return r;
        }

        if (sqlite3_column_type(st, 24) != SQLITE_NULL) {
                r = store_column_usec(st, 24, &ret->decided_usec);
                if (r < 0)
                        return r;
        }

        return leave_validate(l, NULL) < 0 ? -EBADMSG : 0;
}
STORE_DEFINE_DECODE(store_leave_decode, StoreLeave)

/* Keeps the leaves in the filter's states, skips the others. */
static int store_leave_decode_filtered(sqlite3_stmt *st, void *elem, void *userdata) {
        const StoreLeaveFilter *f = userdata;
        StoreLeave *l = elem;
        int r;

        r = store_leave_decode(st, l);
        if (r < 0)
                return r;
        /* The state set is matched here rather than in SQL, so that the state names live in
         * leave.c only. */
        return f->states != 0 && !(f->states & STORE_LEAVE_STATE_BIT(l->leave.state));
}

/* The leave of sl as a write stores it (its days and times): NULL for missing arguments or a leave
 * leave_validate() refuses, which the table's CHECK and the lists' bound on the span rely on. */
static const Leave *leave_to_store(const Store *s, const StoreLeave *sl) {
        return s && sl && leave_validate(&sl->leave, NULL) >= 0 ? &sl->leave : NULL;
}

int store_leave_insert(Store *s, const StoreLeave *sl, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const Leave *l = leave_to_store(s, sl);
        int r;

        if (!l || l->requested == DAY_NONE || sl->requested_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_leave_insert, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_text(st, 1, l->person, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, leave_kind_to_string(l->kind), -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 3, l->start.day) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, l->start.minutes) != SQLITE_OK ||
            store_bind_day(st, 5, l->end.day) != SQLITE_OK ||
            sqlite3_bind_int(st, 6, l->end.minutes) != SQLITE_OK ||
            store_bind_text_or_null(st, 7, l->destination) != SQLITE_OK ||
            sqlite3_bind_int(st, 8, l->out_of_town) != SQLITE_OK ||
            store_bind_text_or_null(st, 9, l->reason) != SQLITE_OK ||
            store_bind_text_or_null(st, 10, l->phone) != SQLITE_OK ||
            store_bind_text_or_null(st, 11, l->acting) != SQLITE_OK ||
            sqlite3_bind_int(st, 12, l->urgent) != SQLITE_OK ||
            store_bind_day(st, 13, l->requested) != SQLITE_OK ||
            sqlite3_bind_int64(st, 14, (int64_t) sl->requested_usec) != SQLITE_OK ||
            store_bind_text_or_null(st, 15, sl->requested_by) != SQLITE_OK ||
            store_bind_day_or_null(st, 16, l->paperwork_due) != SQLITE_OK ||
            sqlite3_bind_int(st, 17, l->paperwork_done) != SQLITE_OK ||
            sqlite3_bind_text(st, 18, leave_state_to_string(l->state), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 19, l->unexcused) != SQLITE_OK ||
            store_bind_text_or_null(st, 20, sl->approver) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

int store_leave_get(Store *s, int64_t id, StoreLeave *ret) {
        return store_get_by_id(s, sql_leave_get, id, store_leave_decode_any, store_leave_done_any, sizeof(*ret), ret);
}

static const char sql_leave_span_all[] =
        "SELECT COALESCE(MAX(end_day - start_day), 0) FROM leave";
static const char sql_leave_span_one[] =
        "SELECT end_day - start_day FROM leave WHERE id = ?1";
static void leave_touched_add(StoreConnection *c, int64_t rowid) {
        if (c->leave_span_max < 0)
                return;
        if (c->n_leave_touched >= STORE_LEAVE_TOUCHED_MAX) {
                c->leave_span_max = -1;
                c->n_leave_touched = 0;
                c->leave_touched_open = 0;
                return;
        }
        c->leave_touched[c->n_leave_touched++] = rowid;
}

/* From the writer's update hook: each connection reads the row back at its next list, in what it
 * sees then (the writer its own writes, the reader the committed version, or none). */
void store_leave_written(Store *s, int64_t rowid) {
        FOREACH_STORE_CONNECTION(c, s)
                leave_touched_add(c, rowid);
}

static int leave_span_step(Store *s, sqlite3_stmt *st, int *span) {
        int rc = sqlite3_step(st);

        if (rc == SQLITE_DONE)
                return 0;
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        if (sqlite3_column_int64(st, 0) > *span)
                *span = sqlite3_column_int64(st, 0) > INT_MAX ? INT_MAX : (int) sqlite3_column_int64(st, 0);
        return 0;
}

/* Whether the span c kept (c->leave_span_max, made when c's data_version was c->leave_span_data_version)
 * still covers what c sees now, at data_version `version`, once the rows touched since are read back
 * — or must be made anew by a full scan.
 *
 * The writer: its data_version moves only with another program's commit; its own writes, committed
 * or not, are all in its list of rows touched. So the same version: the list covers every change.
 *
 * The reader sees only commits: the writer's and other programs'. The same version as when the span
 * was made: the very same data, and the rows touched since are writes the writer has not committed
 * yet — they stay in the list for later (reading them back now would read their committed version,
 * which is harmless but does not cover their version to come). A moved version: commits came in
 * between. The writer's are all in the list. Another program's would not be, and the reader cannot
 * tell them apart by its own version (it moves once however many commits it missed) — but the
 * writer's data_version moves with exactly those. Two readings of it tell: one made before the
 * snapshot the span was made in (leave_span_writer_version: whatever reading was the last when
 * that read transaction began, store_prepare_cached()), and one made now, after the current
 * snapshot began. Equal, no other program committed between them, hence none between the two
 * snapshots. (One reading made after the first snapshot would prove nothing: a commit between that
 * snapshot and the reading would move neither.) A reading taken at each list, not at each read
 * scope: a read that lists no leave (Who) pays nothing for it. After another program's commit, the
 * next two lists scan in full, until a reading made before the snapshot is the new version.
 *
 * Reading the touched rows back on the reader gives the version of each that its snapshot holds;
 * a row the writer wrote twice between two reader's lists was committed in between at most in a
 * version the reader never had in a snapshot it made a list from, so no version it lists from is
 * missed. The rows of a transaction the writer still holds open are read at their committed
 * version and kept in the list (leave_touched_open), to be read again after their commit. */
static bool leave_span_holds(Store *s, StoreConnection *c, int64_t version) {
        int64_t writer_version;

        if (c->leave_span_max < 0)
                return false;
        if (c == &s->writer)
                return version == c->leave_span_data_version;
        if (version == c->leave_span_data_version)
                return true;
        /* Not while the commit thread has the writer: scanned in full then. */
        if (c->leave_span_writer_version < 0 || store_data_version(s, &s->writer, &writer_version) < 0)
                return false;
        return writer_version == c->leave_span_writer_version;
}

int store_leave_span(Store *s, int *ret) {
        StoreConnection *c = s->conn;
        int span, r;
        int64_t version;

        r = store_data_version_now(s, &version);
        if (r < 0)
                return r;

        if (!leave_span_holds(s, c, version)) {
                _cleanup_reset_ sqlite3_stmt *st = NULL;

                span = 0;
                r = store_prepare_cached(s, sql_leave_span_all, &st);
                if (r >= 0)
                        r = leave_span_step(s, st, &span);
                if (r < 0)
                        return r;
        } else if (c == &s->reader && version == c->leave_span_data_version) {
                /* The reader, nothing committed since: the same data (see above). */
                *ret = c->leave_span_max;
                return 0;
        } else {
                span = c->leave_span_max;
                for (size_t i = 0; i < c->n_leave_touched; i++) {
                        _cleanup_reset_ sqlite3_stmt *st = NULL;

                        r = store_prepare_cached(s, sql_leave_span_one, &st);
                        if (r < 0)
                                return r;
                        if (sqlite3_bind_int64(st, 1, c->leave_touched[i]) != SQLITE_OK)
                                return store_errno_last(s);
                        /* A row gone (rolled back, deleted) counts for nothing. */
                        r = leave_span_step(s, st, &span);
                        if (r < 0)
                                return r;
                }
        }
        c->leave_span_max = span;
        c->leave_span_data_version = version;
        c->leave_span_writer_version = c->snapshot_writer_version;
        if (c == &s->reader && s->in_transaction && c->leave_touched_open <= c->n_leave_touched) {
                /* The rows of the writer's transaction still open were read at their committed
                 * version (or not at all): read them again after their commit. */
                memmove(c->leave_touched, c->leave_touched + c->leave_touched_open,
                        (c->n_leave_touched - c->leave_touched_open) * sizeof(c->leave_touched[0]));
                c->n_leave_touched -= c->leave_touched_open;
        } else
                c->n_leave_touched = 0;
        c->leave_touched_open = 0;
        *ret = span;
        return 0;
}

/* Binds the stretch of days from … to at slot … slot + 2 (LEAVE_LIST_WHERE_DAYS' ?1 … ?3): a leave
 * meeting from starts at most span days before it. Open sides bind to values beyond any day. */
static int leave_list_bind_days(Store *s, sqlite3_stmt *st, int slot, Day from, Day to, int span) {
        if (sqlite3_bind_int64(st, slot, from == DAY_NONE ? INT64_MIN : (int64_t) from - span - 1) != SQLITE_OK ||
            sqlite3_bind_int64(st, slot + 1, to == DAY_NONE ? INT64_MAX : (int64_t) to) != SQLITE_OK ||
            sqlite3_bind_int64(st, slot + 2, from == DAY_NONE ? INT64_MIN : (int64_t) from) != SQLITE_OK)
                return store_errno_last(s);
        return 0;
}

/* The lists' order: by start, then id (LEAVE_LIST_ASC). */
static int leave_compare_start(const void *a, const void *b) {
        const Leave *x = &((const StoreLeave *) a)->leave, *y = &((const StoreLeave *) b)->leave;

        if (x->start.day != y->start.day)
                return x->start.day < y->start.day ? -1 : 1;
        if (x->start.minutes != y->start.minutes)
                return x->start.minutes < y->start.minutes ? -1 : 1;
        return x->id < y->id ? -1 : x->id > y->id;
}

static int leave_compare_start_desc(const void *a, const void *b) {
        return leave_compare_start(b, a);
}

/* The rules' lists (sql_leave_list_state): each state of the set in turn, then sorted. */
static int leave_list_by_state(Store *s, const StoreLeaveFilter *f, int span, StoreLeave **ret, size_t *ret_n) {
        StoreLeave *all = NULL;
        size_t n_all = 0;
        int r = 0;

        for (LeaveState state = 0; state < _LEAVE_STATE_MAX && r >= 0; state++) {
                _cleanup_reset_ sqlite3_stmt *st = NULL;
                StoreLeave *part = NULL, *grown;
                size_t n_part = 0;

                if (!(f->states & STORE_LEAVE_STATE_BIT(state)))
                        continue;
                r = store_prepare_cached(s, f->also ? sql_leave_list_state_also : sql_leave_list_state, &st);
                if (r < 0)
                        break;
                r = leave_list_bind_days(s, st, 1, f->from, f->to, span);
                if (r >= 0 && f->also)
                        r = leave_list_bind_days(s, st, 5, f->also_from, f->also_to, span);
                if (r >= 0 && sqlite3_bind_text(st, 4, leave_state_to_string(state), -1, SQLITE_STATIC) != SQLITE_OK)
                        r = store_errno_last(s);
                if (r >= 0)
                        r = store_list(st, store_leave_decode_filtered, store_leave_done_any, (void *) f,
                                       sizeof(StoreLeave), 0, (void **) &part, &n_part);
                if (r < 0 || n_part == 0)
                        continue;
                if (n_all == 0) {
                        all = part;
                        n_all = n_part;
                        continue;
                }
                grown = reallocarray(all, n_all + n_part, sizeof(StoreLeave));
                if (!grown) {
                        store_leave_free_many(part, n_part);
                        r = -ENOMEM;
                        break;
                }
                all = grown;
                memcpy(all + n_all, part, n_part * sizeof(StoreLeave));
                n_all += n_part;
                free(part);
        }
        if (r < 0) {
                store_leave_free_many(all, n_all);
                return r;
        }

        if (n_all > 1)
                qsort(all, n_all, sizeof(StoreLeave), f->newest_first ? leave_compare_start_desc : leave_compare_start);
        *ret = all;
        *ret_n = n_all;
        return 0;
}

int store_leave_list(Store *s, const StoreLeaveFilter *f, StoreLeave **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const char *sql;
        int span, r;

        if (!s || !f || !ret || !ret_n)
                return -EINVAL;
        if (f->from != DAY_NONE && f->to != DAY_NONE && f->from > f->to)
                return -EINVAL;
        if (f->also && (f->from == DAY_NONE || f->to == DAY_NONE || f->also_from == DAY_NONE ||
                        f->also_to == DAY_NONE || f->also_from > f->also_to || f->states == 0 || f->person ||
                        f->limit > 0))
                return -EINVAL;

        /* A leave meeting from starts at most its span before it: the longest stored, or any. */
        if (f->from == DAY_NONE || store_leave_span(s, &span) < 0 || span > LEAVE_DAYS_MAX)
                span = LEAVE_DAYS_MAX;

        /* Without a limit, every row is read anyway: the state index serves each state of the set. */
        if (f->states != 0 && !f->person && f->limit == 0)
                return leave_list_by_state(s, f, span, ret, ret_n);

        if (f->person && f->states != 0)
                sql = f->newest_first ? sql_leave_list_person_states_desc : sql_leave_list_person_states_asc;
        else if (f->person)
                sql = f->newest_first ? sql_leave_list_person_desc : sql_leave_list_person_asc;
        else if (f->states != 0)
                sql = f->newest_first ? sql_leave_list_states_desc : sql_leave_list_states_asc;
        else
                sql = f->newest_first ? sql_leave_list_desc : sql_leave_list_asc;
        r = store_prepare_cached(s, sql, &st);
        if (r < 0)
                return r;
        r = leave_list_bind_days(s, st, 1, f->from, f->to, span);
        if (r < 0)
                return r;
        if (f->person && store_bind_text_or_null(st, 4, f->person) != SQLITE_OK)
                return store_errno_last(s);
        if (f->states != 0)
                for (LeaveState state = 0; state < _LEAVE_STATE_MAX; state++)
                        if (store_bind_text_or_null(st, LEAVE_LIST_STATE_SLOT + (int) state,
                                                    f->states & STORE_LEAVE_STATE_BIT(state) ?
                                                    leave_state_to_string(state) : NULL) != SQLITE_OK)
                                return store_errno_last(s);

        return store_list(st, store_leave_decode_filtered, store_leave_done_any, (void *) f, sizeof(**ret), f->limit,
                          (void **) ret, ret_n);
}

int store_leave_update(Store *s, const StoreLeave *sl) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const Leave *l;
        bool returned;
        int r;

        if (!s || !sl)
                return -EINVAL;
        l = &sl->leave;
        if (l->state < 0 || l->state >= _LEAVE_STATE_MAX || l->state == LEAVE_STATE_OVERDUE ||
            sl->decided_usec > INT64_MAX)
                return -EINVAL;
        returned = l->state == LEAVE_STATE_RETURNED;
        if (returned && !leave_time_is_valid(l->returned))
                return -EINVAL;

        r = store_prepare_cached(s, sql_leave_update, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, l->id) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, leave_state_to_string(l->state), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, l->unexcused) != SQLITE_OK ||
            (returned ? store_bind_day(st, 4, l->returned.day) : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
            (returned ? sqlite3_bind_int(st, 5, l->returned.minutes) : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
            sqlite3_bind_int(st, 6, l->paperwork_done) != SQLITE_OK ||
            store_bind_text_or_null(st, 7, sl->approver) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, l->decided_by) != SQLITE_OK ||
            (sl->decided_usec > 0 ? sqlite3_bind_int64(st, 9, (int64_t) sl->decided_usec)
                                  : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
            store_bind_text_or_null(st, 10, sl->decision_note) != SQLITE_OK ||
            sqlite3_bind_int(st, 11, sl->decision_override) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}

int store_leave_event_append(Store *s, int64_t leave_id, uint64_t at_usec, uid_t uid, const char *actor,
                             const char *action, const char *note, int64_t *ret_id) {
        return store_event_append(s, sql_leave_event_insert, leave_id, at_usec, uid, actor, action, note, ret_id);
}

static void store_leave_event_done(StoreLeaveEvent *e) {
        free(e->actor);
        free(e->action);
        free(e->note);
}
STORE_DEFINE_DONE(store_leave_event_done, StoreLeaveEvent)

StoreLeaveEvent *store_leave_event_free_many(StoreLeaveEvent *e, size_t n) {
        for (size_t i = 0; e && i < n; i++)
                store_leave_event_done(&e[i]);
        free(e);
        return NULL;
}

static int store_leave_event_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreLeaveEvent *e = elem;

        return store_event_decode(st, &e->id, &e->leave_id, &e->at_usec, &e->uid, &e->actor, &e->action, &e->note);
}

int store_leave_event_list(Store *s, int64_t leave_id, StoreLeaveEvent **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_leave_event_list, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, leave_id) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_leave_event_decode, store_leave_event_done_any, NULL, sizeof(**ret), 0,
                          (void **) ret, ret_n);
}

/* ---- For the gap monitor (declared in store.h's alerts section) ---- */

/* Approved or started leave (as stored) beginning by ?1, which includes every one that ended with
 * no return reported; and urgent leave whose written form is missing, unless rejected or
 * cancelled. The state names are bound from leave.c's table. */
static const char sql_leave_list_monitored[] =
        "SELECT " LEAVE_COLUMNS " FROM leave "
        "WHERE (state IN (?2, ?3) AND start_day <= ?1) "
        "   OR (urgent = 1 AND paperwork_done = 0 AND state NOT IN (?4, ?5)) "
        "ORDER BY start_day, start_min, id";

int store_leave_list_monitored(Store *s, Day to, StoreLeave **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || to == DAY_NONE || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_leave_list_monitored, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, to) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, leave_state_to_string(LEAVE_STATE_APPROVED), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, leave_state_to_string(LEAVE_STATE_STARTED), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, leave_state_to_string(LEAVE_STATE_REJECTED), -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, leave_state_to_string(LEAVE_STATE_CANCELLED), -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_leave_decode_any, store_leave_done_any, NULL, sizeof(**ret), 0, (void **) ret,
                          ret_n);
}

static const char sql_leave_update_itinerary[] =
        "UPDATE leave SET start_day = ?2, start_min = ?3, end_day = ?4, end_min = ?5, destination = ?6 "
        "WHERE id = ?1";

int store_leave_update_itinerary(Store *s, const StoreLeave *sl) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        const Leave *l = leave_to_store(s, sl);
        int r;

        if (!l)
                return -EINVAL;

        r = store_prepare_cached(s, sql_leave_update_itinerary, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, l->id) != SQLITE_OK ||
            store_bind_day(st, 2, l->start.day) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, l->start.minutes) != SQLITE_OK ||
            store_bind_day(st, 4, l->end.day) != SQLITE_OK ||
            sqlite3_bind_int(st, 5, l->end.minutes) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, l->destination) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}
