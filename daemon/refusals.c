/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdio.h>
#include <string.h>

#include "refusals.h"

static void entry_count(RefusalEntry *e, const char *method) {
        if (e->count == 0)
                (void) snprintf(e->method, sizeof(e->method), "%s", method);
        else if (strncmp(e->method, method, sizeof(e->method) - 1) != 0)
                (void) snprintf(e->method, sizeof(e->method), "%s", REFUSAL_METHOD_SEVERAL);
        e->count++;
}

bool refusal_tally_add(RefusalTally *t, uid_t uid, const char *method) {
        RefusalEntry *free_entry = NULL;

        for (size_t i = 0; i < REFUSAL_TALLY_SIZE; i++) {
                RefusalEntry *e = &t->entries[i];

                if (!e->used) {
                        if (!free_entry)
                                free_entry = e;
                        continue;
                }
                if (e->uid == uid) {
                        entry_count(e, method);
                        return false;
                }
        }

        if (free_entry) {
                /* The first of this uid in the interval: its own row, and later ones counted. */
                *free_entry = (RefusalEntry) { .uid = uid, .used = true };
                return true;
        }

        t->others.uid = REFUSAL_UID_OTHERS;
        t->others.used = true;
        entry_count(&t->others, method);
        return false;
}

static bool entry_flush(RefusalEntry *e, RefusalWriteRow write_row, void *userdata) {
        if (!e->used)
                return false;
        if (e->count == 0) {
                /* Not refused again in this interval: the next refusal is audited on its own. */
                *e = (RefusalEntry) {};
                return false;
        }
        if (write_row(e->uid, e->method, e->count, userdata) >= 0)
                e->count = 0;
        return true;
}

size_t refusal_tally_flush(RefusalTally *t, RefusalWriteRow write_row, void *userdata) {
        size_t n = 0;

        for (size_t i = 0; i < REFUSAL_TALLY_SIZE; i++)
                if (entry_flush(&t->entries[i], write_row, userdata))
                        n++;
        if (entry_flush(&t->others, write_row, userdata))
                n++;
        return n;
}

uint64_t refusal_tally_pending(const RefusalTally *t) {
        uint64_t n = t->others.count;

        for (size_t i = 0; i < REFUSAL_TALLY_SIZE; i++)
                n += t->entries[i].count;
        return n;
}
