/* SPDX-License-Identifier: GPL-2.0-or-later */

/* dutyctl's leave verbs (请假/销假): arguments to io.dutyd.Duty's Leave* parameters, replies to
 * text. Times are checked here with the daemon's own parser, so that a typo is a usage error before
 * anything is sent; the daemon checks them again, and every rule. */

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "dutyctl.h"
#include "labels.h"
#include "leave.h"
#include "duty-names.h"
#include "output.h"
#include "util.h"
#include "verbs.h"

/* Exit status 1 without a further message: the daemon's answer, printed, says no. */
#define LEAVE_REFUSED_ERRNO EREMOTEIO

static const VerbOption leave_request_options[] = {
        { "from", '\0', "TIME", N_("start: YYYY-MM-DD, \"YYYY-MM-DD am|pm|evening\" (上午/下午/晚上) or \"YYYY-MM-DD HH:MM\" (required)") },
        { "to", '\0', "TIME", N_("end, in the same forms; a bare date runs to the end of that day (required)") },
        { "kind", '\0', "KIND", N_("personal (default), official, sick, business_trip, annual or other") },
        { "destination", '\0', "TEXT", N_("where to (required)") },
        { "reason", '\0', "TEXT", N_("why (required)") },
        { "phone", '\0', "PHONE", N_("telephone while away (default: the configured one)") },
        { "acting", '\0', "PERSON", N_("who acts in your place (代为主持工作)") },
        { "out-of-town", '\0', NULL, N_("leaving the locality (the default)") },
        { "local", '\0', NULL, N_("staying in the locality") },
        { "urgent", '\0', NULL, N_("asked by phone: exempt from notice, the written form follows") },
        { "for", '\0', "PERSON", N_("the person the leave is for (administrators)") },
};

static const VerbOption leave_decide_options[] = {
        { "reason", '\0', "TEXT", N_("a note kept with the decision") },
        { "override", '\0', NULL, N_("decide as an administrator over the approver (needs --reason)") },
};

static const VerbOption leave_return_options[] = {
        { "at", '\0', "TIME", N_("the actual return, \"YYYY-MM-DD HH:MM\" (default: now)") },
};

static const VerbOption leave_change_options[] = {
        { "from", '\0', "TIME", N_("the new start, in leave request's forms; the same start to keep it (required)") },
        { "to", '\0', "TIME", N_("the new end (required)") },
        { "destination", '\0', "TEXT", N_("the new destination (default: unchanged)") },
        { "reason", '\0', "TEXT", N_("why the itinerary changes, kept in the history") },
};

static const VerbOption leave_list_options[] = {
        { "pending", '\0', NULL, N_("only leave waiting for a decision") },
        { "active", '\0', NULL, N_("only leave in force: approved, under way or overdue") },
        { "overdue", '\0', NULL, N_("only leave past its end with no return report, or with its written form late") },
        { "person", '\0', "PERSON", N_("only this person's") },
};

/* ---- Arguments ---- */

static int arg_time(const VerbArgs *args, const char *verb, const char *name, bool is_end, bool required) {
        const char *v = verb_args_get(args, name);
        LeaveTime t;

        if (!v)
                return required ? verb_usage(_("%s: --%s TIME is required"), verb, name) : 0;
        /* Only the form is checked here: the daemon knows the handover. RFC 3339 too, as the
         * daemon's replies write times. */
        if (leave_time_parse(v, is_end, 0, &t) < 0 && !timestamp_is_valid(v))
                return verb_usage(_("%s: --%s: '%s' is not YYYY-MM-DD, \"YYYY-MM-DD am|pm|evening\" or \"YYYY-MM-DD HH:MM\""),
                                  verb, name, v);
        return 0;
}

/* The parameters of LeaveCheck and LeaveRequest: the times and the kind checked, the texts as the
 * row's shape says, and where the leave is spent. */
static int params_request(const VerbArgs *args, const char *verb, json_t **ret) {
        _cleanup_(json_decrefp) json_t *params = NULL;
        int r;

        if ((r = arg_time(args, verb, "from", false, true)) < 0 ||
            (r = arg_time(args, verb, "to", true, true)) < 0)
                return r;
        if (!verb_args_get(args, "destination"))
                return verb_usage(_("%s: --destination TEXT is required"), verb);
        if (!verb_args_get(args, "reason"))
                return verb_usage(_("%s: --reason TEXT is required"), verb);
        if (verb_args_has(args, "out-of-town") && verb_args_has(args, "local"))
                return verb_usage(_("%s: --out-of-town and --local exclude each other"), verb);
        if (verb_args_has(args, "kind") && leave_kind_from_string(verb_args_get(args, "kind")) < 0)
                return verb_usage(_("%s: --kind: '%s' is not personal, official, sick, business_trip, annual or other"),
                                  verb, verb_args_get(args, "kind"));

        r = verb_params_build(args, &params);
        if (r < 0)
                return r;
        if (json_object_set_new(params, "out_of_town", json_boolean(!verb_args_has(args, "local"))) < 0 ||
            json_object_set_new(params, "urgent", json_boolean(verb_args_has(args, "urgent"))) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(params);
        return 0;
}

/* ---- Output ---- */

static const char *state_text(json_t *leave) {
        return label_leave_state(json_string_value(json_object_get(leave, "state")));
}

static const char *kind_text(json_t *leave) {
        return label_leave_kind(json_string_value(json_object_get(leave, "kind")));
}

/* The days as "3 days" / "2.5 days". */
static char *days_text(json_t *leave) {
        long long half = (long long) json_integer_value(json_object_get(leave, "half_days"));
        char *s;

        if (asprintf(&s, half % 2 ? _("%lld.5 days") : ngettext("%lld day", "%lld days", (unsigned long) (half / 2)),
                     half / 2) < 0)
                return NULL;
        return s;
}

/* What is notable about a leave beyond its state. */
static char *flags_text(json_t *leave) {
        char *s;

        if (asprintf(&s, "%s%s%s",
                     json_is_true(json_object_get(leave, "urgent")) ? _(" (urgent)") : "",
                     json_is_true(json_object_get(leave, "unexcused")) ? _(" (left before approval)") : "",
                     json_is_true(json_object_get(leave, "paperwork_overdue")) ? _(" (written form overdue)") : "") < 0)
                return NULL;
        return s;
}

static int print_leave(FILE *f, json_t *leave) {
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *who = NULL, *approver = NULL, *acting = NULL, *decided = NULL, *days = NULL,
                *flags = NULL;
        char id[INT_STRING_MAX];
        int r;

        who = person_text(leave, "person", "name");
        approver = person_text(leave, "approver", "approver_name");
        acting = person_text(leave, "acting", "acting_name");
        decided = person_text(leave, "decided_by", "decided_by_name");
        days = days_text(leave);
        flags = flags_text(leave);
        if (!who || !approver || !acting || !decided || !days || !flags)
                return -ENOMEM;

        r = table_new_pairs(&t);
        if (r < 0)
                return r;

        if ((r = table_add_pair(t, _("Number"), "%s", json_integer_value(json_object_get(leave, "id")) > 0 ?
                                json_int_str(leave, "id", id) : _("(not filed)"))) < 0 ||
            (r = table_add_pair(t, _("Person"), "%s", who)) < 0 ||
            (r = table_add_pair(t, _("Kind"), "%s", kind_text(leave))) < 0 ||
            (r = table_add_pair(t, _("Time"), _("%s to %s (%s)"), json_moment(leave, "start", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(leave, "end", MOMENT_END, (char[MOMENT_STRING_MAX]) {}), days)) < 0 ||
            (r = table_add_pair(t, _("Duty days"), _("%s to %s"), json_str(leave, "duty_from"), json_str(leave, "duty_to"))) < 0 ||
            (r = table_add_pair(t, _("Destination"), "%s%s", json_str(leave, "destination"),
                                json_is_true(json_object_get(leave, "out_of_town")) ? _(" (out of town)") : _(" (local)"))) < 0 ||
            (r = table_add_pair(t, _("Reason"), "%s", json_str(leave, "reason"))) < 0 ||
            (r = table_add_pair(t, _("Phone"), "%s", json_str(leave, "phone"))) < 0 ||
            (r = table_add_pair(t, _("Acting"), "%s", acting)) < 0 ||
            (r = table_add_pair(t, _("State"), "%s%s", state_text(leave), flags)) < 0 ||
            (r = table_add_pair(t, _("Approver"), "%s", json_object_get(leave, "approver") && !json_is_null(json_object_get(leave, "approver")) ?
                                approver : _("recorded by an administrator (no approver above)"))) < 0)
                return r;

        if (json_is_string(json_object_get(leave, "paperwork_due")) &&
            (r = table_add_pair(t, _("Written form"), _("due by %s%s"), json_str(leave, "paperwork_due"),
                                json_is_true(json_object_get(leave, "paperwork_done")) ? _(" (received)") : "")) < 0)
                return r;
        if (json_is_string(json_object_get(leave, "decided_by")) &&
            (r = table_add_pair(t, _("Decided"), "%s %s", decided, json_moment(leave, "decided_at", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0)
                return r;
        if (json_is_true(json_object_get(leave, "decision_override")) &&
            (r = table_add_pair(t, _("Override"), "%s",
                                _("decided by an administrator over the approver"))) < 0)
                return r;
        if (json_is_string(json_object_get(leave, "decision_reason")) &&
            (r = table_add_pair(t, _("Decision note"), "%s", json_str(leave, "decision_reason"))) < 0)
                return r;
        if (json_is_string(json_object_get(leave, "returned_at")) &&
            (r = table_add_pair(t, _("Returned at"), "%s", json_moment(leave, "returned_at", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}))) < 0)
                return r;

        return table_print(t, f);
}

static int print_violations(FILE *f, json_t *violations, const char *heading) {
        if (json_array_size(violations) == 0)
                return 0;
        fprintf(f, "%s\n", heading);
        return client_format_violations(f, violations, "  ");
}

static bool check_allowed(json_t *reply) {
        return json_is_true(json_object_get(reply, "allowed"));
}

static int print_check(FILE *f, json_t *reply, void *userdata) {
        int r;

        r = print_leave(f, json_object_get(reply, "leave"));
        if (r < 0)
                return r;
        r = print_violations(f, json_object_get(reply, "violations"), _("\nRules broken:"));
        if (r < 0)
                return r;
        fputs(check_allowed(reply) ? _("\nIt may be filed: dutyctl leave request with the same arguments.\n")
                                   : _("\nIt cannot be filed: clear the conflicts marked ✗ first (urgent leave excepted).\n"), f);
        return 0;
}

static int print_request(FILE *f, json_t *reply, void *userdata) {
        json_t *leave = json_object_get(reply, "leave");
        _cleanup_free_ char *approver = NULL;
        char id[INT_STRING_MAX];

        approver = person_text(leave, "approver", "approver_name");
        if (!approver)
                return -ENOMEM;
        fprintf(f, _("Leave %s filed (%s); approver: %s.\n"), json_int_str(leave, "id", id), state_text(leave),
                json_is_string(json_object_get(leave, "approver")) ? approver : _("an administrator records it"));
        if (json_is_true(json_object_get(leave, "urgent")))
                fprintf(f, _("Urgent leave: the written form is due by %s.\n"), json_str(leave, "paperwork_due"));
        return print_violations(f, json_object_get(reply, "violations"), _("Take note:"));
}

/* "Approved: leave 3 (name), state: approved.", and what to take note of. */
static int print_decided(FILE *f, json_t *reply, const char *done) {
        json_t *leave = json_object_get(reply, "leave");
        char id[INT_STRING_MAX];

        fprintf(f, _("%s: leave %s (%s), state: %s.\n"), done, json_int_str(leave, "id", id), json_str(leave, "name"),
                state_text(leave));
        return print_violations(f, json_object_get(reply, "violations"), _("Take note:"));
}

static int print_approved(FILE *f, json_t *reply, void *userdata) {
        return print_decided(f, reply, _("Approved"));
}

static int print_rejected(FILE *f, json_t *reply, void *userdata) {
        return print_decided(f, reply, _("Rejected"));
}

static int print_cancelled(FILE *f, json_t *reply, void *userdata) {
        return print_decided(f, reply, _("Cancelled"));
}

static int print_returned(FILE *f, json_t *reply, void *userdata) {
        int r = print_decided(f, reply, _("Reported back"));

        if (r >= 0)
                fprintf(f, _("Back at: %s\n"), json_moment(json_object_get(reply, "leave"), "returned_at", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}));
        return r;
}

static int print_paperwork(FILE *f, json_t *reply, void *userdata) {
        return print_decided(f, reply, _("Written form recorded"));
}

static int print_changed(FILE *f, json_t *reply, void *userdata) {
        json_t *leave = json_object_get(reply, "leave");
        _cleanup_free_ char *days = days_text(leave);
        char id[INT_STRING_MAX];

        if (!days)
                return -ENOMEM;
        fprintf(f, _("Changed: leave %s (%s), now %s to %s (%s), %s; state: %s.\n"), json_int_str(leave, "id", id),
                json_str(leave, "name"), json_moment(leave, "start", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}),
                json_moment(leave, "end", MOMENT_END, (char[MOMENT_STRING_MAX]) {}), days,
                json_str(leave, "destination"), state_text(leave));
        return print_violations(f, json_object_get(reply, "violations"), _("Take note:"));
}

static int print_list(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *leaves = json_object_get(reply, "leaves"), *l;
        size_t i;
        int r;

        if (json_array_size(leaves) == 0) {
                fputs(_("No leave matches.\n"), f);
                return 0;
        }

        r = table_new(8, (const char *const[]) { _("No."), _("Name"), _("Kind"), _("From"), _("To"),
                                                 _("Destination"), _("State"), _("Approver") }, &t);
        if (r < 0)
                return r;
        r = table_set_align(t, 0, TABLE_ALIGN_RIGHT);
        if (r < 0)
                return r;

        json_array_foreach(leaves, i, l) {
                _cleanup_free_ char *state = NULL, *flags = flags_text(l);
                char id[INT_STRING_MAX];

                if (!flags || asprintf(&state, "%s%s", state_text(l), flags) < 0)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_int_str(l, "id", id), json_str(l, "name"), kind_text(l),
                                json_moment(l, "start", MOMENT_MINUTES, (char[MOMENT_STRING_MAX]) {}), json_moment(l, "end", MOMENT_END, (char[MOMENT_STRING_MAX]) {}), json_str(l, "destination"), state,
                                json_is_string(json_object_get(l, "approver")) ? json_str(l, "approver_name") : "-" });
                if (r < 0)
                        return r;
        }
        return table_print(t, f);
}

static int print_show(FILE *f, json_t *reply, void *userdata) {
        _cleanup_(table_freep) Table *t = NULL;
        json_t *events = json_object_get(reply, "events"), *e;
        size_t i;
        int r;

        r = print_leave(f, json_object_get(reply, "leave"));
        if (r < 0)
                return r;

        r = table_new(4, (const char *const[]) { _("Time"), _("Action"), _("By"), _("Note") }, &t);
        if (r < 0)
                return r;
        json_array_foreach(events, i, e) {
                _cleanup_free_ char *actor = NULL;
                char uid[INT_STRING_MAX];

                if (json_is_string(json_object_get(e, "actor")))
                        actor = person_text(e, "actor", "actor_name");
                else if (asprintf(&actor, _("uid %s"), json_int_str(e, "uid", uid)) < 0)
                        actor = NULL;
                if (!actor)
                        return -ENOMEM;
                r = table_add_row(t, (const char *const[]) {
                                json_moment(e, "at", MOMENT_SECONDS, (char[MOMENT_STRING_MAX]) {}), label_leave_action(json_string_value(json_object_get(e, "action"))),
                                actor, json_str(e, "note") });
                if (r < 0)
                        return r;
        }
        fputs(_("\nHistory:\n"), f);
        r = table_print(t, f);
        if (r < 0)
                return r;

        if (json_array_size(json_object_get(reply, "violations")) > 0) {
                r = print_violations(f, json_object_get(reply, "violations"), _("\nApproved now, it would break:"));
                if (r < 0)
                        return r;
                if (!json_is_true(json_object_get(reply, "approvable")))
                        fputs(_("It cannot be approved now: clear the conflicts marked ✗ first.\n"), f);
        }
        return 0;
}

/* ---- Verbs ---- */

/* leave request files the leave; leave check only answers, and exits 1 when it would be refused. */
static int verb_leave_request(const VerbArgs *args, void *userdata) {
        _cleanup_(json_decrefp) json_t *params = NULL, *reply = NULL;
        int r;

        r = params_request(args, args->verb->name, &params);
        if (r < 0)
                return r;
        r = verb_call_params(args, userdata, params, &reply);
        if (r < 0)
                return r;
        if (streq(args->verb->method, DUTY_METHOD_LEAVE_CHECK) && !check_allowed(reply))
                return -LEAVE_REFUSED_ERRNO;
        return 0;
}

/* leave change: both times are required and checked before anything is sent. */
static int verb_leave_change(const VerbArgs *args, void *userdata) {
        int r;

        if ((r = arg_time(args, args->verb->name, "from", false, true)) < 0 ||
            (r = arg_time(args, args->verb->name, "to", true, true)) < 0)
                return r;
        return verb_call(args, userdata);
}

static int verb_leave_list(const VerbArgs *args, void *userdata) {
        static const char *const filters[] = { "pending", "active", "overdue" };
        _cleanup_(json_decrefp) json_t *params = NULL;
        const char *filter = NULL;

        for (size_t i = 0; i < ELEMENTSOF(filters); i++)
                if (verb_args_has(args, filters[i])) {
                        if (filter)
                                return verb_usage(_("leave list: --%s and --%s exclude each other"), filter, filters[i]);
                        filter = filters[i];
                }

        params = json_object();
        if (!params)
                return -ENOMEM;
        if (params_set_string(params, "filter", filter) < 0 ||
            params_set_string(params, "person", verb_args_get(args, "person")) < 0)
                return -ENOMEM;
        return verb_call_params(args, userdata, params, NULL);
}

/* The texts of leave check and leave request (checked by params_request() first). */
static const VerbParam leave_request_params[] = {
        { "from", "from", VERB_PARAM_STRING },
        { "to", "to", VERB_PARAM_STRING },
        { "kind", "kind", VERB_PARAM_STRING },
        { "destination", "destination", VERB_PARAM_STRING },
        { "reason", "reason", VERB_PARAM_STRING },
        { "phone", "phone", VERB_PARAM_STRING },
        { "acting", "acting", VERB_PARAM_STRING },
        { "person", "for", VERB_PARAM_STRING },
};

/* The argument shapes of the verbs taking a leave number. */
static const VerbParam leave_id_params[] = {
        { "id", NULL, VERB_PARAM_LEAVE_ID },
};

static const VerbParam leave_decide_params[] = {
        { "id", NULL, VERB_PARAM_LEAVE_ID },
        { "reason", "reason", VERB_PARAM_STRING },
        { "override", "override", VERB_PARAM_OVERRIDE },
};

static const VerbParam leave_return_params[] = {
        { "id", NULL, VERB_PARAM_LEAVE_ID },
        { "at", "at", VERB_PARAM_LEAVE_TIME },
};

static const VerbParam leave_change_params[] = {
        { "id", NULL, VERB_PARAM_LEAVE_ID },
        { "from", "from", VERB_PARAM_STRING },
        { "to", "to", VERB_PARAM_STRING },
        { "destination", "destination", VERB_PARAM_STRING },
        { "reason", "reason", VERB_PARAM_STRING },
};

/* leave check and leave request take the same arguments. */
#define LEAVE_REQUEST_SYNOPSIS                                                                   \
        "--from TIME --to TIME [--kind KIND] --destination TEXT --reason TEXT [--phone PHONE] "  \
        "[--acting PERSON] [--out-of-town|--local] [--urgent] [--for PERSON]"

static const Verb leave_verbs[] = {
        { "leave check", LEAVE_REQUEST_SYNOPSIS,
          N_("Check a leave against every coverage rule without filing it; exits 1 if it would be refused."),
          0, 0, leave_request_options, ELEMENTSOF(leave_request_options), verb_leave_request,
          DUTY_METHOD_LEAVE_CHECK, leave_request_params, ELEMENTSOF(leave_request_params), print_check },
        { "leave request", LEAVE_REQUEST_SYNOPSIS,
          N_("Ask for leave (请假); refused with the rules it breaks (✗ block, ↑ escalate, ! warning)."),
          0, 0, leave_request_options, ELEMENTSOF(leave_request_options), verb_leave_request,
          DUTY_METHOD_LEAVE_REQUEST, leave_request_params, ELEMENTSOF(leave_request_params), print_request },
        { "leave approve", "ID [--reason TEXT] [--override]", N_("Approve a leave; every rule is checked again (approver)."),
          1, 1, leave_decide_options, ELEMENTSOF(leave_decide_options), verb_call,
          DUTY_METHOD_LEAVE_APPROVE, leave_decide_params, ELEMENTSOF(leave_decide_params), print_approved },
        { "leave reject", "ID [--reason TEXT] [--override]", N_("Reject a leave (approver)."),
          1, 1, leave_decide_options, ELEMENTSOF(leave_decide_options), verb_call,
          DUTY_METHOD_LEAVE_REJECT, leave_decide_params, ELEMENTSOF(leave_decide_params), print_rejected },
        { "leave cancel", "ID", N_("Withdraw a leave that has not begun."),
          1, 1, NULL, 0, verb_call,
          DUTY_METHOD_LEAVE_CANCEL, leave_id_params, ELEMENTSOF(leave_id_params), print_cancelled },
        { "leave return", "ID [--at TIME]", N_("Report the return from a leave (销假)."),
          1, 1, leave_return_options, ELEMENTSOF(leave_return_options), verb_call,
          DUTY_METHOD_LEAVE_RETURN, leave_return_params, ELEMENTSOF(leave_return_params), print_returned },
        { "leave paperwork", "ID", N_("Record that the written form of an urgent leave has arrived."),
          1, 1, NULL, 0, verb_call,
          DUTY_METHOD_LEAVE_PAPERWORK, leave_id_params, ELEMENTSOF(leave_id_params), print_paperwork },
        { "leave change", "ID --from TIME --to TIME [--destination TEXT] [--reason TEXT]",
          N_("Change a leave's times or destination (a changed itinerary); checked against every rule again."),
          1, 1, leave_change_options, ELEMENTSOF(leave_change_options), verb_leave_change,
          DUTY_METHOD_LEAVE_CHANGE, leave_change_params, ELEMENTSOF(leave_change_params), print_changed },
        { "leave list", "[--pending|--active|--overdue] [--person PERSON]", N_("List leave, newest first."),
          0, 0, leave_list_options, ELEMENTSOF(leave_list_options), verb_leave_list,
          DUTY_METHOD_LEAVE_LIST, NULL, 0, print_list },
        { "leave show", "ID", N_("Show a leave, its history and the rules it meets."),
          1, 1, NULL, 0, verb_call,
          DUTY_METHOD_LEAVE_SHOW, leave_id_params, ELEMENTSOF(leave_id_params), print_show },
};

const VerbFamily leave_family = { leave_verbs, ELEMENTSOF(leave_verbs) };
