/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* An answer kept between calls: the encoded parameters of a reply that costs far more to make than
 * to send and is asked for far more often than it changes (Who's "now", OfficesList), with what it
 * was made from: the store's change stamp (the data) and a key of everything else it depends on
 * (the day asked, today, the configuration, the language…), filled by its owner. It is given again
 * while both are the same. Made in a read scope (store.h), the stamp is of the committed data, so
 * the answer is made, kept and given whether or not a group of writes waits for its commit. */

#include <stdint.h>

#include "store.h"

#define KEPT_ANSWER_KEY_WORDS 4u

typedef struct KeptAnswerKey {
        uint64_t word[KEPT_ANSWER_KEY_WORDS];
} KeptAnswerKey;

typedef struct KeptAnswer {
        StoreChangeStamp stamp;
        KeptAnswerKey key;
        char *text;             /* the reply's parameters, encoded once; NULL while none is kept */
} KeptAnswer;

/* The text kept, if it was made from exactly stamp and key; else NULL. */
const char *kept_answer_get(const KeptAnswer *k, const StoreChangeStamp *stamp, const KeptAnswerKey *key);
/* Keeps text (taken, whatever happens) as made from stamp and key, in place of what was kept. */
void kept_answer_set(KeptAnswer *k, const StoreChangeStamp *stamp, const KeptAnswerKey *key, char *text);
/* Forgets the answer (at exit). */
void kept_answer_done(KeptAnswer *k);
