/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "refusal.h"
#include "util.h"

void refusal_done(Refusal *r) {
        if (!r)
                return;
        free(r->id);
        free(r->message);
        *r = REFUSAL_INIT;
}

int refusal_set(Refusal *r, RefusalKind kind, const char *rule, const char *message) {
        char *m = NULL;

        if (!r)
                return -EINVAL;
        if (message) {
                m = strdup(message);
                if (!m)
                        return -ENOMEM;
        }
        free(r->message);
        r->message = m;
        r->kind = kind;
        r->rule = rule;
        return 0;
}

int refusal_set_not_found(Refusal *r, const char *what, const char *id, const char *message) {
        char *copy;
        int k;

        if (!r)
                return -EINVAL;
        copy = strdup(strempty(id));
        if (!copy)
                return -ENOMEM;
        k = refusal_set(r, REFUSAL_NOT_FOUND, NULL, message);
        if (k < 0) {
                free(copy);
                return k;
        }
        free(r->id);
        r->id = copy;
        r->what = what;
        return 0;
}
