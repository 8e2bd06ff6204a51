/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Calling dutyd and printing its reply, for every verb of dutyctl. */

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "date.h"
#include "dutyctl.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"

ClientFlags context_client_flags(const Context *ctx) {
        return (ctx->json ? CLIENT_JSON : 0) | (ctx->verbose ? CLIENT_VERBOSE : 0);
}

int call_method(const Context *ctx, const char *method, json_t *params, json_t **ret_reply) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        int r;

        r = client_connect(ctx->socket_path, context_client_flags(ctx), &c);
        if (r < 0)
                return r;
        return client_call(c, method, params, context_client_flags(ctx), ret_reply);
}

/* Calls method and prints the reply; hands it back with ret_reply. */
static int call_print_reply(const Context *ctx, const char *method, json_t *params, VerbPrint print,
                            json_t **ret_reply) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        int r;

        r = call_method(ctx, method, params, &reply);
        if (r < 0)
                return r;

        /* The JSON form is the interface's reply object, as for every verb. */
        r = ctx->json ? output_json(stdout, reply) : print(stdout, reply, (void *) ctx);
        if (r < 0) {
                fprintf(stderr, _("dutyctl: cannot print the reply: %s\n"), strerror(-r));
                return r;
        }
        if (ret_reply)
                *ret_reply = TAKE_PTR(reply);
        return 0;
}

int call_and_print(const Context *ctx, const char *method, json_t *params, VerbPrint print) {
        return call_print_reply(ctx, method, params, print, NULL);
}

int verb_call_params(const VerbArgs *args, const Context *ctx, json_t *params, json_t **ret_reply) {
        return call_print_reply(ctx, args->verb->method, params, args->verb->print, ret_reply);
}

int verb_call(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        int r;

        r = verb_params_build(args, &params);
        if (r < 0)
                return r;
        return verb_call_params(args, userdata, params, NULL);
}

int call_today(const Context *ctx, Day *ret) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        Day d;
        int r;

        /* The daemon's clock and time zone decide, not this machine's: the duty day under way. */
        r = call_method(ctx, DUTY_METHOD_WHO, NULL, &reply);
        if (r < 0)
                return r;
        if (day_parse(json_string_value(json_object_get(reply, "date")), &d) < 0) {
                client_report_failure(context_client_flags(ctx), NULL, _("malformed reply from dutyd"));
                return -EBADMSG;
        }
        *ret = d;
        return 0;
}

int parse_relative_day(const char *s, Day today, Day *ret) {
        char *end;
        long n;

        if (streq(s, "today"))
                n = 0;
        else if (streq(s, "tomorrow"))
                n = 1;
        else if (streq(s, "yesterday"))
                n = -1;
        else if (s[0] == '+' || s[0] == '-') {
                errno = 0;
                n = strtol(s + 1, &end, 10);
                if (errno != 0 || end == s + 1 || *end != '\0' || n > RELATIVE_DAYS_MAX)
                        return -EINVAL;
                if (s[0] == '-')
                        n = -n;
        } else
                return -ENOENT;

        *ret = today + (Day) n;
        return 0;
}
