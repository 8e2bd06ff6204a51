/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The roster's tables (schema 2, in store.c): the assignments, the publications and their
 * snapshots, the newest publication of a range and the ranges published (which the gap monitor
 * checks holiday rosters against), who held the duties of given days (the special
 * days' rotation looks back further than the year of history); and the amendments of published
 * days (schema 8). */

#include <stdlib.h>

#include "roster.h"
#include "store-internal.h"

/* Migration 8: a published day changes only by an amendment, and each one is kept here: who made
 * it, when and why, the slot, who held it before and after, and the version it amends. */
const char store_migration_amendment[] =
        "CREATE TABLE amendment ("
        "        id INTEGER PRIMARY KEY,"
        STORE_SCHEMA_AMENDMENT
        ");"
        "CREATE INDEX amendment_day ON amendment (day, version);";

static const char sql_amendment_add[] =
        "INSERT INTO amendment (at_usec, uid, by_person, reason, day, post, slot, before, after, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_amendment_list[] =
        "SELECT id, at_usec, uid, by_person, reason, day, post, slot, before, after, version "
        "FROM amendment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, id";


static const char sql_assignment_set[] =
        "INSERT INTO assignment (day, post, slot, person, locked, reason, source, assume_ordinary) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0) "
        "ON CONFLICT (day, post, slot) DO UPDATE SET "
        "person = excluded.person, locked = excluded.locked, reason = excluded.reason, "
        "source = excluded.source, assume_ordinary = 0";
static const char sql_assignment_set_assume_ordinary[] =
        "UPDATE assignment SET assume_ordinary = ?4 WHERE day = ?1 AND post = ?2 AND slot = ?3";
static const char sql_assignment_clear_range[] =
        "DELETE FROM assignment WHERE day BETWEEN ?1 AND ?2 AND (?3 = 0 OR locked = 0)";
static const char sql_assignment_list[] =
        "SELECT day, post, slot, person, locked, reason, source, assume_ordinary "
        "FROM assignment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, post, slot";
/* The snapshot is one line per slot, "day|post|slot|person", person empty for an empty slot. */
static const char sql_publication_create[] =
        "INSERT INTO publication (version, from_day, to_day, at_usec, snapshot) "
        "SELECT (SELECT ifnull(max(version), 0) + 1 FROM publication), ?1, ?2, ?3, "
        "       ifnull((SELECT group_concat(line, char(10)) FROM "
        "               (SELECT day || '|' || post || '|' || slot || '|' || ifnull(person, '') AS line "
        "                FROM assignment WHERE day BETWEEN ?1 AND ?2 ORDER BY day, post, slot)), '') "
        "RETURNING version";
static const char sql_publication_get[] =
        "SELECT version, from_day, to_day, at_usec, snapshot FROM publication "
        "WHERE ?1 = 0 OR version = ?1 ORDER BY version DESC LIMIT 1";
static const char sql_publication_latest[] =
        "SELECT version FROM publication WHERE from_day <= ?2 AND to_day >= ?1 "
        "ORDER BY version DESC LIMIT 1";
static const char sql_publication_ranges[] =
        "SELECT version, from_day, to_day FROM publication WHERE from_day <= ?2 AND to_day >= ?1 "
        "ORDER BY version";
static const char sql_day_holders[] =
        "SELECT person FROM assignment WHERE day = ?1 AND person IS NOT NULL ORDER BY post, slot";

int store_assignment_set(Store *s, Day day, const char *post, int slot, const char *person, bool locked,
                         const char *reason, const char *source) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (day == DAY_NONE || isempty(post) || slot < 0)
                return -EINVAL;

        r = store_prepare_cached(s, sql_assignment_set, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, slot) != SQLITE_OK ||
            store_bind_text_or_null(st, 4, person) != SQLITE_OK ||
            sqlite3_bind_int(st, 5, locked) != SQLITE_OK ||
            store_bind_text_or_null(st, 6, reason) != SQLITE_OK ||
            sqlite3_bind_text(st, 7, source ?: STORE_ASSIGNMENT_SOURCE_DEFAULT, -1, SQLITE_STATIC) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_done(st);
}

int store_assignment_set_assume_ordinary(Store *s, Day day, const char *post, int slot, bool assume_ordinary) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (day == DAY_NONE || isempty(post) || slot < 0)
                return -EINVAL;

        r = store_prepare_cached(s, sql_assignment_set_assume_ordinary, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, day) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, slot) != SQLITE_OK ||
            sqlite3_bind_int(st, 4, assume_ordinary) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s)) > 0 ? 0 : -ENOENT;
}

int store_assignment_clear_range(Store *s, Day from, Day to, bool keep_locked) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to)
                return -EINVAL;

        r = store_prepare_cached(s, sql_assignment_clear_range, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK ||
            sqlite3_bind_int(st, 3, keep_locked) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_done(st);
        if (r < 0)
                return r;
        return sqlite3_changes(store_db(s));
}

static void store_assignment_done(StoreAssignment *a) {
        free(a->post);
        free(a->person);
        free(a->reason);
        free(a->source);
}
STORE_DEFINE_DONE(store_assignment_done, StoreAssignment)

StoreAssignment *store_assignment_free_many(StoreAssignment *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_assignment_done(&a[i]);
        free(a);
        return NULL;
}

int store_assignment_slots(const StoreAssignment *a, size_t n, RosterSlot **ret) {
        RosterSlot *slots;

        if (!ret || (n > 0 && !a))
                return -EINVAL;
        slots = calloc(n ?: 1, sizeof(RosterSlot));
        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                RosterEmptyReason reason = a[i].reason ? roster_empty_reason_from_string(a[i].reason) : ROSTER_EMPTY_NONE;

                slots[i] = (RosterSlot) {
                        .day = a[i].day,
                        .post = a[i].post,
                        .slot = a[i].slot,
                        .person = a[i].person,
                        .locked = a[i].locked,
                        .reason = reason >= 0 ? reason : ROSTER_EMPTY_NONE,
                        .assume_ordinary = a[i].assume_ordinary,
                };
        }
        *ret = slots;
        return 0;
}

static int store_assignment_decode(sqlite3_stmt *st, StoreAssignment *e) {
        int r;

        r = store_column_day(st, 0, &e->day);
        if (r >= 0)
                r = store_column_strdup(st, 1, false, &e->post);
        if (r >= 0)
                r = store_column_int(st, 2, &e->slot);
        if (r >= 0)
                r = store_column_strdup(st, 3, true, &e->person);
        if (r >= 0)
                r = store_column_strdup(st, 5, true, &e->reason);
        if (r >= 0)
                r = store_column_strdup(st, 6, false, &e->source);
        e->locked = sqlite3_column_int64(st, 4) != 0;
        e->assume_ordinary = sqlite3_column_int64(st, 7) != 0;
        return r < 0 ? r : 0;
}
STORE_DEFINE_DECODE(store_assignment_decode, StoreAssignment)

int store_assignment_list(Store *s, Day from, Day to, StoreAssignment **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_assignment_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_assignment_decode_any, store_assignment_done_any, NULL, sizeof(**ret), 0,
                          (void **) ret, ret_n);
}

int store_publication_create(Store *s, Day from, Day to, uint64_t at_usec, int *ret_version) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r, rc;

        if (from == DAY_NONE || to == DAY_NONE || from > to || at_usec > INT64_MAX)
                return -EINVAL;

        r = store_prepare_cached(s, sql_publication_create, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, (int64_t) at_usec) != SQLITE_OK)
                return store_errno_last(s);

        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
                return store_errno(rc);
        r = sqlite3_column_int(st, 0);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        if (ret_version)
                *ret_version = r;
        return 0;
}

StorePublication *store_publication_done(StorePublication *p) {
        if (!p)
                return NULL;
        p->slots = store_assignment_free_many(p->slots, p->n_slots);
        p->n_slots = 0;
        return NULL;
}

/* Parses one "day|post|slot|person" line of a snapshot. */
static int store_publication_parse_line(char *line, StoreAssignment *ret) {
        char *fields[4], *p = line, *end;
        long long day, slot;

        for (size_t i = 0; i < 4; i++) {
                fields[i] = p;
                p = strchr(p, '|');
                if (i < 3) {
                        if (!p)
                                return -EBADMSG;
                        *p++ = '\0';
                }
        }

        errno = 0;
        day = strtoll(fields[0], &end, 10);
        if (errno != 0 || *end != '\0' || day < INT32_MIN || day > INT32_MAX)
                return -EBADMSG;
        slot = strtoll(fields[2], &end, 10);
        if (errno != 0 || *end != '\0' || slot < 0 || slot > INT32_MAX)
                return -EBADMSG;

        *ret = (StoreAssignment) {
                .day = (Day) day,
                .slot = (int) slot,
                .post = strdup(fields[1]),
                .person = isempty(fields[3]) ? NULL : strdup(fields[3]),
        };
        if (!ret->post || (!isempty(fields[3]) && !ret->person)) {
                free(ret->post);
                free(ret->person);
                return -ENOMEM;
        }
        return 0;
}

int store_publication_get(Store *s, int version, StorePublication *ret) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        _cleanup_free_ char *snapshot = NULL;
        StorePublication p = {};
        size_t allocated = 0;
        char *line, *saveptr = NULL;
        int r;

        if (version < 0 || !ret)
                return -EINVAL;

        r = store_prepare_cached(s, sql_publication_get, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int(st, 1, version) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_row(st);
        if (r < 0)
                return r;

        p.version = sqlite3_column_int(st, 0);
        r = store_column_day(st, 1, &p.from_day);
        if (r >= 0)
                r = store_column_day(st, 2, &p.to_day);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &snapshot);
        if (r < 0)
                return r;
        p.at_usec = (uint64_t) sqlite3_column_int64(st, 3);

        for (line = strtok_r(snapshot, "\n", &saveptr); line; line = strtok_r(NULL, "\n", &saveptr)) {
                r = store_grow((void **) &p.slots, &allocated, p.n_slots + 1, sizeof(*p.slots));
                if (r < 0)
                        goto fail;
                r = store_publication_parse_line(line, &p.slots[p.n_slots]);
                if (r < 0)
                        goto fail;
                p.n_slots++;
        }

        *ret = p;
        return 0;

fail:
        store_publication_done(&p);
        return r;
}

int store_publication_latest(Store *s, Day from, Day to, int *ret_version) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (from == DAY_NONE || to == DAY_NONE || from > to || !ret_version)
                return -EINVAL;

        r = store_prepare_cached(s, sql_publication_latest, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        r = store_step_row(st);
        if (r < 0)
                return r;
        *ret_version = sqlite3_column_int(st, 0);
        return 0;
}

static int store_publication_range_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StorePublicationRange *e = elem;
        int r;

        r = store_column_int(st, 0, &e->version);
        if (r >= 0)
                r = store_column_day(st, 1, &e->from_day);
        if (r >= 0)
                r = store_column_day(st, 2, &e->to_day);
        return r < 0 ? r : 0;
}

int store_publication_ranges(Store *s, Day from, Day to, StorePublicationRange **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_publication_ranges, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_publication_range_decode, NULL, NULL, sizeof(**ret), 0, (void **) ret, ret_n);
}

/* A row of sql_day_holders: the person, on the day the caller passes. */
static int store_day_holder_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreAssignment *e = elem;

        e->day = *(const Day *) userdata;
        return store_column_strdup(st, 0, false, &e->person);
}

int store_day_holders(Store *s, const Day *days, size_t n_days, StoreAssignment **ret, size_t *ret_n) {
        StoreAssignment *a = NULL;
        size_t n = 0, allocated = 0;
        int r;

        if (!s || (n_days > 0 && !days) || !ret || !ret_n)
                return -EINVAL;

        for (size_t i = 0; i < n_days; i++) {
                _cleanup_reset_ sqlite3_stmt *st = NULL;
                StoreAssignment *day = NULL;
                size_t n_day = 0;

                if (days[i] == DAY_NONE) {
                        r = -EINVAL;
                        goto fail;
                }
                r = store_prepare_cached(s, sql_day_holders, &st);
                if (r < 0)
                        goto fail;
                if (store_bind_day(st, 1, days[i]) != SQLITE_OK) {
                        r = store_errno_last(s);
                        goto fail;
                }
                r = store_list(st, store_day_holder_decode, store_assignment_done_any, (void *) &days[i],
                               sizeof(*day), 0, (void **) &day, &n_day);
                if (r >= 0)
                        r = store_grow((void **) &a, &allocated, n + n_day, sizeof(*a));
                if (r < 0) {
                        store_assignment_free_many(day, n_day);
                        goto fail;
                }
                /* The elements move: their strings are a's now. */
                if (n_day > 0)
                        memcpy(a + n, day, n_day * sizeof(*day));
                n += n_day;
                free(day);
        }

        *ret = a;
        *ret_n = n;
        return 0;

fail:
        store_assignment_free_many(a, n);
        return r;
}

int store_amendment_add(Store *s, const StoreAmendment *a, int64_t *ret_id) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || !a || a->day == DAY_NONE || !a->post || !a->reason || a->version <= 0)
                return -EINVAL;

        r = store_prepare_cached(s, sql_amendment_add, &st);
        if (r < 0)
                return r;
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64) a->at_usec) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, (sqlite3_int64) a->uid) != SQLITE_OK ||
            store_bind_text_or_null(st, 3, a->by) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, a->reason, -1, SQLITE_STATIC) != SQLITE_OK ||
            store_bind_day(st, 5, a->day) != SQLITE_OK ||
            sqlite3_bind_text(st, 6, a->post, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 7, a->slot) != SQLITE_OK ||
            store_bind_text_or_null(st, 8, a->before) != SQLITE_OK ||
            store_bind_text_or_null(st, 9, a->after) != SQLITE_OK ||
            sqlite3_bind_int(st, 10, a->version) != SQLITE_OK)
                return store_errno_last(s);

        return store_step_insert(s, st, ret_id);
}

void store_amendment_done(StoreAmendment *a) {
        if (!a)
                return;
        free(a->by);
        free(a->reason);
        free(a->post);
        free(a->before);
        free(a->after);
        *a = (StoreAmendment) {};
}

StoreAmendment *store_amendment_free_many(StoreAmendment *a, size_t n) {
        for (size_t i = 0; a && i < n; i++)
                store_amendment_done(&a[i]);
        free(a);
        return NULL;
}
STORE_DEFINE_DONE(store_amendment_done, StoreAmendment)

static int store_amendment_decode(sqlite3_stmt *st, void *elem, void *userdata) {
        StoreAmendment *e = elem;
        int r;

        *e = (StoreAmendment) {
                .id = sqlite3_column_int64(st, 0),
                .at_usec = (uint64_t) sqlite3_column_int64(st, 1),
                .uid = (uid_t) sqlite3_column_int64(st, 2),
        };
        r = store_column_strdup(st, 3, true, &e->by);
        if (r >= 0)
                r = store_column_strdup(st, 4, false, &e->reason);
        if (r >= 0)
                r = store_column_day(st, 5, &e->day);
        if (r >= 0)
                r = store_column_strdup(st, 6, false, &e->post);
        if (r >= 0)
                r = store_column_int(st, 7, &e->slot);
        if (r >= 0)
                r = store_column_strdup(st, 8, true, &e->before);
        if (r >= 0)
                r = store_column_strdup(st, 9, true, &e->after);
        if (r >= 0)
                r = store_column_int(st, 10, &e->version);
        return r < 0 ? r : 0;
}

int store_amendment_list(Store *s, Day from, Day to, StoreAmendment **ret, size_t *ret_n) {
        _cleanup_reset_ sqlite3_stmt *st = NULL;
        int r;

        if (!s || from == DAY_NONE || to == DAY_NONE || from > to || !ret || !ret_n)
                return -EINVAL;

        r = store_prepare_cached(s, sql_amendment_list, &st);
        if (r < 0)
                return r;
        if (store_bind_day(st, 1, from) != SQLITE_OK ||
            store_bind_day(st, 2, to) != SQLITE_OK)
                return store_errno_last(s);

        return store_list(st, store_amendment_decode, store_amendment_done_any, NULL, sizeof(**ret), 0,
                          (void **) ret, ret_n);
}
