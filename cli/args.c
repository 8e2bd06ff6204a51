/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's arguments: checked here, with the daemon's own parsers, so that a typo is a usage error
 * before anything is sent (the daemon checks everything again), and turned into the parameters of
 * the verb's method by the argument shape of its row. */

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutyctl.h"
#include "leave.h"
#include "util.h"
#include "verbs.h"

int verb_usage(const char *format, ...) {
        va_list ap;

        fputs("dutyctl: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputc('\n', stderr);
        return -EINVAL;
}

int parse_integer(const char *s, long long min, long long max, long long *ret) {
        char *end;
        long long v;

        if (isempty(s) || (s[0] != '-' && (s[0] < '0' || s[0] > '9')))
                return -EINVAL;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0 || *end != '\0' || v < min || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_count(const char *s, long max, long *ret) {
        char *end;
        long n;

        errno = 0;
        n = strtol(s, &end, 10);
        if (errno != 0 || end == s || *end != '\0' || n < 1 || n > max)
                return -EINVAL;
        *ret = n;
        return 0;
}

int params_set_string(json_t *params, const char *key, const char *value) {
        if (!value)
                return 0;
        return json_object_set_new(params, key, json_string(value)) < 0 ? -ENOMEM : 0;
}

/* A leave, swap or sensitive period number: a positive integer, with no sign. */
static int arg_id(const char *verb, VerbParamType type, const char *s, json_int_t *ret) {
        long long v = 0;

        if (!isempty(s) && s[0] >= '0' && s[0] <= '9' && parse_integer(s, 1, INT64_MAX, &v) >= 0) {
                *ret = (json_int_t) v;
                return 0;
        }

        switch (type) {
        case VERB_PARAM_LEAVE_ID:
                return verb_usage(_("%s: '%s' is not a leave number"), verb, strempty(s));
        case VERB_PARAM_SWAP_ID:
                return verb_usage(_("%s: '%s' is not a swap number"), verb, strempty(s));
        case VERB_PARAM_SENSITIVE_ID:
                /* Only periods added at run time have numbers; the configured ones live in the file. */
                return verb_usage(_("%s: '%s' is not the number of a period added at run time; a period of dutyd.conf is removed there, then `dutyctl reload`"),
                                  verb, strempty(s));
        case VERB_PARAM_NOTIFY_ID:
                return verb_usage(_("%s: '%s' is not a notification number"), verb, strempty(s));
        case VERB_PARAM_STRING:
        case VERB_PARAM_FLAG:
        case VERB_PARAM_OVERRIDE:
        case VERB_PARAM_LEAVE_TIME:
        case _VERB_PARAM_TYPE_MAX:
        case _VERB_PARAM_TYPE_INVALID:
                break;
        }
        return -EINVAL;
}

/* One parameter of the row's shape: checked (a usage error explained) and set when given. */
static int param_set(const VerbArgs *args, const VerbParam *p, json_t *params) {
        const char *verb = args->verb->name;
        const char *v = p->option ? verb_args_get(args, p->option) : args->n_args > 0 ? args->args[0] : NULL;
        json_int_t id = 0;
        LeaveTime t;
        int r;

        switch (p->type) {
        case VERB_PARAM_STRING:
                return params_set_string(params, p->key, v);
        case VERB_PARAM_FLAG:
                if (!v)
                        return 0;
                return json_object_set_new(params, p->key, json_true()) < 0 ? -ENOMEM : 0;
        case VERB_PARAM_OVERRIDE:
                if (!v)
                        return 0;
                /* Deciding over the approver is only ever explicit and explained. */
                if (isempty(verb_args_get(args, "reason")))
                        return verb_usage(_("%s: --override needs --reason TEXT saying why"), verb);
                return json_object_set_new(params, p->key, json_true()) < 0 ? -ENOMEM : 0;
        case VERB_PARAM_LEAVE_ID:
        case VERB_PARAM_SWAP_ID:
        case VERB_PARAM_SENSITIVE_ID:
        case VERB_PARAM_NOTIFY_ID:
                r = arg_id(verb, p->type, v, &id);
                if (r < 0)
                        return r;
                return json_object_set_new(params, p->key, json_integer(id)) < 0 ? -ENOMEM : 0;
        case VERB_PARAM_LEAVE_TIME:
                if (!v)
                        return 0;
                /* Only the form is checked here: the daemon knows the handover. RFC 3339 too, as
                 * the daemon's replies write times (a script passes one on). */
                if (leave_time_parse(v, false, 0, &t) < 0 && !timestamp_is_valid(v))
                        return verb_usage(_("%s: --%s: '%s' is not YYYY-MM-DD, \"YYYY-MM-DD am|pm|evening\" or \"YYYY-MM-DD HH:MM\""),
                                          verb, p->option, v);
                return params_set_string(params, p->key, v);
        case _VERB_PARAM_TYPE_MAX:
        case _VERB_PARAM_TYPE_INVALID:
                break;
        }
        return -EINVAL;
}

int verb_params_build(const VerbArgs *args, json_t **ret) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        int r;

        if (!args || !args->verb || !ret)
                return -EINVAL;
        if (args->verb->n_params == 0) {
                *ret = NULL;
                return 0;
        }

        params = json_object();
        if (!params)
                return -ENOMEM;
        for (size_t i = 0; i < args->verb->n_params; i++) {
                r = param_set(args, args->verb->params + i, params);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(params);
        return 0;
}
