/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl reload and dutyctl audit: the administrator's verbs. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "dutyctl.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

/* Mirrors the daemon's bound, so that a bad --limit is a usage error before any call. */
#define AUDIT_LIMIT_MAX 1000

static const VerbOption audit_options[] = {
        { "since", '\0', "TIME", N_("only rows from this local time on: YYYY-MM-DD or YYYY-MM-DDTHH:MM") },
        { "person", '\0', "ID", N_("only rows of this person") },
        { "limit", '\0', "N", N_("at most N rows, the newest ones (default 100, at most 1000)") },
        { "verify", '\0', NULL, N_("check the hash chain instead; exit 1 naming the first row that does not match") },
};

static int print_reload(FILE *f, json_t *reply, void *userdata) {
        char people[INT_STRING_MAX], posts[INT_STRING_MAX];

        fprintf(f, _("Configuration reloaded: %s people, %s posts.\n"),
                json_int_str(reply, "people", people), json_int_str(reply, "posts", posts));
        return 0;
}

static int print_audit(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *entries = json_object_get(reply, "entries"), *e;
        size_t i;
        int r;

        r = table_new(7, (const char *const[]) {
                        _("No."), _("Time"), _("UID"), _("Person"), _("Method"), _("Result"), _("Parameters") }, &t);
        if (r < 0)
                return r;
        r = table_set_align(t, 0, TABLE_ALIGN_RIGHT);
        if (r < 0)
                return r;

        json_array_foreach(entries, i, e) {
                char id[INT_STRING_MAX], uid[INT_STRING_MAX];

                r = table_add_row(t, (const char *const[]) {
                                json_int_str(e, "id", id), json_moment(e, "at", MOMENT_T_SECONDS, (char[MOMENT_STRING_MAX]) {}), json_int_str(e, "uid", uid),
                                json_str(e, "person"), json_str(e, "method"), json_str(e, "result"),
                                json_str(e, "summary") });
                if (r < 0)
                        return r;
        }

        if (table_n_rows(t) == 0) {
                fputs(_("(no audit records)\n"), f);
                return 0;
        }
        return table_print(t, f);
}

/* What the chain and the journal's anchors say, in the clerk's words; the exit code follows "ok". */
static void audit_verify_print(json_t *reply, bool ok) {
        const char *anchors = json_string_value(json_object_get(reply, "anchors"));
        char rows[INT_STRING_MAX], bad[INT_STRING_MAX], seq[INT_STRING_MAX], newest[INT_STRING_MAX];

        json_int_str(reply, "rows", rows);
        json_int_str(reply, "anchor_seq", seq);
        json_int_str(reply, "anchor_newest", newest);

        if (json_object_get(reply, "first_bad")) {
                fprintf(stderr, _("dutyctl: audit log broken: row %s does not match its hash chain "
                                  "(edited, inserted or removed behind dutyd's back)\n"),
                        json_int_str(reply, "first_bad", bad));
                return;
        }
        if (!anchors || streq(anchors, "matched")) {
                if (anchors)
                        printf(_("The audit log is intact: %s records, the hash chain matches and agrees "
                                 "with its anchors in the journal (newest: row %s).\n"), rows, newest);
                else
                        printf(_("The audit log is intact: %s records, the hash chain matches.\n"), rows);
        } else if (streq(anchors, "none") || streq(anchors, "unavailable"))
                printf(_("The hash chain matches (%s records), but its anchors could not be read from the "
                         "journal: removed newest rows or recomputed hashes cannot be ruled out. "
                         "Check that dutyd may read the journal and that it still holds dutyd's entries.\n"),
                       rows);
        else if (streq(anchors, "truncated"))
                fprintf(stderr, _("dutyctl: audit log truncated: the journal anchors row %s, but the log ends "
                                  "at %s records (the newest rows were removed, or an older copy of the "
                                  "database was put back). Compare with the backups and the journal.\n"),
                        seq, rows);
        else if (streq(anchors, "rehashed"))
                fprintf(stderr, _("dutyctl: audit log re-hashed: row %s differs from its anchor in the journal "
                                  "although the chain matches (rows were edited and the hashes recomputed "
                                  "behind dutyd's back). Compare with the backups and the journal.\n"),
                        seq);
        else if (streq(anchors, "rolled_back"))
                fprintf(stderr, _("dutyctl: audit log rolled back: row %s differs from its anchor in the "
                                  "journal (an older copy of the database was put back and written on "
                                  "since). Compare with the backups and the journal.\n"),
                        seq);
        else if (!ok)
                fprintf(stderr, _("dutyctl: audit log does not match its anchors (%s)\n"), anchors);
}

static int audit_verify(const Context *ctx) {
        json_t *reply = NULL;
        bool ok;
        int r;

        r = call_method(ctx, DUTY_METHOD_AUDIT_VERIFY, NULL, &reply);
        if (r < 0)
                return r;

        ok = json_is_true(json_object_get(reply, "ok"));
        if (ctx->json) {
                r = output_json(stdout, reply);
                /* The sentence of a failure goes to stderr beside the document. */
                if (!ok)
                        audit_verify_print(reply, ok);
        } else
                audit_verify_print(reply, ok);
        json_decref(reply);
        if (r < 0)
                return r;
        return ok ? 0 : -EBADMSG;
}

static int verb_audit(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        const Context *ctx = userdata;
        const char *since = verb_args_get(args, "since"), *person = verb_args_get(args, "person"),
                *limit = verb_args_get(args, "limit");
        long n;

        if (verb_args_has(args, "verify")) {
                if (since || person || limit) {
                        fprintf(stderr, _("dutyctl: audit: --verify checks the whole log and takes no filters\n"));
                        return -EINVAL;
                }
                return audit_verify(ctx);
        }

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (params_set_string(params, "since", since) < 0 || params_set_string(params, "person", person) < 0)
                return -ENOMEM;
        if (limit) {
                if (parse_count(limit, AUDIT_LIMIT_MAX, &n) < 0) {
                        fprintf(stderr, _("dutyctl: audit: --limit needs a number from 1 to %d, not '%s'\n"),
                                AUDIT_LIMIT_MAX, limit);
                        return -EINVAL;
                }
                if (json_object_set_new(params, "limit", json_integer(n)) < 0)
                        return -ENOMEM;
        }

        return verb_call_params(args, ctx, params, NULL);
}

static const Verb admin_verbs[] = {
        { "reload", "", N_("Make dutyd re-read its configuration; an invalid one is refused with every problem (admin)."),
          0, 0, NULL, 0, verb_call, DUTY_METHOD_RELOAD, NULL, 0, print_reload },
        { "audit", "[--since TIME] [--person ID] [--limit N] | --verify",
          N_("Show the audit log of changes, or verify its hash chain (admin)."),
          0, 0, audit_options, ELEMENTSOF(audit_options), verb_audit, DUTY_METHOD_AUDIT_LIST, NULL, 0, print_audit },
};

const VerbFamily admin_family = { admin_verbs, ELEMENTSOF(admin_verbs) };
