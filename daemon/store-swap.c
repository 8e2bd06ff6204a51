/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Swaps (换班) and substitutions (代班) and their history. */

#include "store-internal.h"

/* A swap exchanges the requester's duty (day, post, slot) with the counterpart's (their_*); a
 * substitution (kind 'cover') hands the requester's duty to the counterpart and leaves their_*
 * NULL. swap_event is the audit of every transition. */
const char store_migration_swap[] =
        "CREATE TABLE swap ("
        "        id INTEGER PRIMARY KEY,"
        "        kind TEXT NOT NULL CHECK (kind IN ('swap', 'cover')),"
        "        requester TEXT NOT NULL,"
        "        counterpart TEXT NOT NULL,"
        "        day INTEGER NOT NULL,"
        "        post TEXT NOT NULL,"
        "        slot INTEGER NOT NULL,"
        "        their_day INTEGER,"
        "        their_post TEXT,"
        "        their_slot INTEGER,"
        "        state TEXT NOT NULL,"
        "        reason TEXT,"
        "        created_usec INTEGER NOT NULL,"
        "        updated_usec INTEGER NOT NULL,"
        "        approved_by TEXT"
        ");"
        "CREATE INDEX swap_day ON swap (day, post, slot);"
        "CREATE INDEX swap_state ON swap (state);"
        "CREATE TABLE swap_event ("
        "        id INTEGER PRIMARY KEY,"
        "        swap_id INTEGER NOT NULL REFERENCES swap (id),"
        "        at_usec INTEGER NOT NULL,"
        "        uid INTEGER NOT NULL,"
        "        actor TEXT,"
        "        action TEXT NOT NULL,"
        "        note TEXT"
        ");";
