/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The method table (api-methods.c), which lists every handler: only api.c, the entry of every
 * call, reads it. */

#include <stdbool.h>
#include <stddef.h>

#include "api-json.h"

/* One method of io.dutyd.Duty. */
typedef struct ApiMethod {
        const char *name;           /* bare name, DUTY_METHOD_* */
        ApiHandler handler;
        Access access;              /* the least level that may call it */
        bool writes;                /* audited, in one transaction with its audit row */
        /* What it does, in the refusal of a caller whose level is too low: required for methods
         * members may not call, so that the refusal never names the method. */
        const char *action_zh, *action_en;
        /* Runs on the configured language whatever the caller's (Reload: its problems are the
         * configuration file's text). */
        bool configured_language;
} ApiMethod;

/* The table dutyd serves. */
const ApiMethod *api_method_table_get(size_t *ret_n);
/* The row of name in table, or NULL. */
const ApiMethod *api_method_find(const ApiMethod *table, size_t n, const char *name);
/* 0 when every method of idl has one row in table and every row a method of idl, with a handler, an
 * access level and (for the methods members may not call) its words; else -EBADMSG with the first
 * disagreement in *ret_error (owned by the caller; may be NULL). -ENOMEM without memory. */
int api_methods_check(const VarlinkIdl *idl, const ApiMethod *table, size_t n, char **ret_error);
bool api_method_allowed(const ApiMethod *method, const Identity *id);
/* Pure: the sentence refusing method to id, in lang ("en", else Chinese), saying what would make it
 * work: for a guest, the uid and user name and the line the administrator adds to the
 * configuration; otherwise who may call it and what the method does. Owned by the caller; NULL
 * without memory. */
char *api_refusal_message(const Identity *id, const ApiMethod *method, const char *lang);
