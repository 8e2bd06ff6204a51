/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* A damaged or replaced database fails loudly. SQLite writes on through the descriptors it holds
 * when its file is removed or replaced, and after a restart recovers silently from a write-ahead log
 * with bad frames by dropping them: both lose changes dutyd acknowledged, and nothing in the
 * database itself shows it. So:
 *   - while running, the store compares its files before every COMMIT (store_check_files()) and a
 *     quick check runs on a timer; damage makes every write fail until a restart, with one crit
 *     journal entry (damage_watch());
 *   - at start, the database's audit chain must reach and agree with the newest anchor the journal
 *     holds for it (anchor.h): an empty database, or one behind the journal, is refused unless the
 *     administrator accepts it (damage_check_start()). */

#include <stdbool.h>

#include "context.h"

/* The database file or its write-ahead log was removed or replaced while dutyd ran. */
#define DAMAGE_FILE_MESSAGE_ID "1b9a2549a9ff4e35971d876c50cf9472"
/* PRAGMA quick_check found the database corrupt while dutyd ran. */
#define DAMAGE_CORRUPT_MESSAGE_ID "5ccfcabce33c4496995ebcff77a5f00e"
/* At start, the database is empty or behind the journal's newest anchor: dutyd refuses to start. */
#define DAMAGE_BEHIND_MESSAGE_ID "0f3016aaae9e4be58243424d694159fe"

/* How often the quick check runs, off the request path (it reads the whole file: about 100 ms for
 * years of an office's data, once an hour). */
#define DAMAGE_CHECK_INTERVAL_USEC (3600u * USEC_PER_SEC)
/* The start-up check reads at most this many anchors, the newest: the newest is the head dutyd
 * last wrote; the older ones tell a rollback written on since. */
#define DAMAGE_START_ANCHORS_MAX 16u

/* Compares the database with the journal's newest anchors since the last accepted reset. 0 to go on
 * (matched, no anchors, or no journal to read: a warning), -ESTALE when the database is empty or
 * behind and accept_reset is false (logged, with a crit catalogued entry). With accept_reset, such
 * a database is taken as it is and the acceptance is recorded in the journal. */
int damage_check_start(Manager *m, bool accept_reset);

/* Reports the store's damage to the journal once, and runs the quick check on a timer. */
int damage_watch(Manager *m);

/* The reply's sentence for a write refused because the store is damaged, in the call's language. */
const char *damage_refusal_message(const Manager *m);
