/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "kept-answer.h"

static bool key_equal(const KeptAnswerKey *a, const KeptAnswerKey *b) {
        for (size_t i = 0; i < KEPT_ANSWER_KEY_WORDS; i++)
                if (a->word[i] != b->word[i])
                        return false;
        return true;
}

const char *kept_answer_get(const KeptAnswer *k, const StoreChangeStamp *stamp, const KeptAnswerKey *key) {
        if (!k->text || !store_change_stamp_equal(&k->stamp, stamp) || !key_equal(&k->key, key))
                return NULL;
        return k->text;
}

void kept_answer_set(KeptAnswer *k, const StoreChangeStamp *stamp, const KeptAnswerKey *key, char *text) {
        free(k->text);
        *k = (KeptAnswer) {
                .stamp = *stamp,
                .key = *key,
                .text = text,
        };
}

void kept_answer_done(KeptAnswer *k) {
        free(k->text);
        *k = (KeptAnswer) {};
}
