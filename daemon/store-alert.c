/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The gap monitor's memory of what it already told the journal, so that a restart does not repeat
 * alerts. */

#include "store-internal.h"

/* One row per open gap: the urgency last announced. A row is deleted when its "resolved" entry has
 * been written. */
const char store_migration_alert[] =
        "CREATE TABLE alert_state ("
        "        gap_id TEXT PRIMARY KEY,"
        "        kind TEXT NOT NULL,"
        "        urgency INTEGER NOT NULL,"
        "        day INTEGER,"
        "        first_usec INTEGER NOT NULL,"
        "        last_usec INTEGER NOT NULL"
        ");";
