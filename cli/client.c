/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "duty-names.h"
#include "output.h"

#define FLAGS_SET(v, flags) (((v) & (flags)) == (flags))

static bool streq_ptr(const char *a, const char *b) {
        return a && b && streq(a, b);
}

int client_connect(const char *path, ClientFlags flags, VarlinkClient **ret) {
        _cleanup_free_ char *failure = NULL;
        VarlinkClient *c = NULL;
        int r;

        if (!path || !ret)
                return -EINVAL;

        r = varlink_client_connect(path, &c);
        if (r >= 0) {
                /* The daemon writes its sentences in the language of this dutyctl's messages. */
                r = varlink_client_set_language(c, i18n_language_from_environment());
                if (r < 0) {
                        varlink_client_free(c);
                        return r;
                }
                *ret = c;
                return 0;
        }

        switch (-r) {
        case ENOENT:
                r = asprintf(&failure, _("socket %s does not exist — is dutyd running?"), path);
                break;
        case EACCES:
        case EPERM:
                r = asprintf(&failure, _("permission denied on %s — are you in the socket's group?"), path);
                break;
        case ECONNREFUSED:
                r = asprintf(&failure, _("connection refused on %s — is dutyd running? (the socket file may be stale)"), path);
                break;
        case ENOTDIR:
                r = asprintf(&failure, _("cannot reach %s: a leading component is not a directory"), path);
                break;
        case ENAMETOOLONG:
                r = asprintf(&failure, _("socket path %s is too long for AF_UNIX"), path);
                break;
        default:
                r = asprintf(&failure, _("cannot connect to %s: %s"), path, strerror(-r));
                break;
        }
        client_report_failure(flags, NULL, r < 0 ? NULL : failure);
        return -ENOTCONN;
}

static const char *json_string_member(json_t *object, const char *key) {
        return json_string_value(json_object_get(object, key));
}

/* The words of the configuration checker's problems (config.c and libconfig write them in English,
 * around the file's own text: names, values, settings). Each is replaced by its translation, so that
 * the problems read in the language of the heading above them; what is quoted from the file stays
 * as written. Longer fragments come before the shorter ones they contain. */
static const char *const config_problem_words[] = {
        N_("unknown setting (did you mean "),
        N_("duplicate person id "),
        N_("duplicate group id "),
        N_("duplicate post id "),
        N_("duplicate sensitive period id "),
        N_("(first defined on line "),
        N_("invalid id "),
        N_(" characters of a-z, 0-9, _ and -"),
        N_(": use "),
        N_("invalid user name "),
        N_(" is before active_from"),
        N_(" is also given to person "),
        N_("the period ends before it starts"),
        N_("unknown leave policy "),
        N_("unknown time zone "),
        N_("(expected a name like Asia/Shanghai)"),
        N_("invalid time "),
        N_(", expected HH:MM between 00:00 and 23:59"),
        N_("socket path is longer than "),
        N_("socket path "),
        N_(" bytes"),
        N_("state directory "),
        N_("unknown language "),
        N_("unknown approver "),
        N_(" is neither a person, a group nor a role"),
        N_(" is outside the notice's years "),
        N_("make-up workday "),
        N_(", not a Saturday or Sunday"),
        N_("special day "),
        N_("unknown setting"),
        N_("unknown role "),
        N_("unknown person "),
        N_("unknown group "),
        N_("(known: "),
        N_("required setting is missing"),
        N_("must not be empty"),
        N_("invalid date "),
        N_(", expected YYYY-MM-DD"),
        N_(" is listed twice"),
        N_(" must be absolute"),
        N_("a group needs at least one member"),
        N_("a holiday needs at least one day off"),
        N_("empty string element"),
        N_("expected a string element, got "),
        N_("expected a group { … }, got "),
        N_("syntax error"),
        N_(" is out of range "),
        N_("cannot open holidays directory "),
        N_("cannot open: "),
        N_("invalid leave rules"),
        N_("expected "),
        N_(", got "),
};

/* line with every fragment of config_problem_words translated, into f. */
static void put_config_problem(FILE *f, const char *line) {
        _cleanup_free_ char *text = strdup(line);

        if (!text) {
                fputs(line, f);
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(config_problem_words); i++) {
                const char *from = config_problem_words[i], *to = _(from);
                char *hit;

                if (streq(from, to))
                        continue;
                while ((hit = strstr(text, from))) {
                        _cleanup_free_ char *old = text;

                        if (asprintf(&text, "%.*s%s%s", (int) (hit - old), old, to, hit + strlen(from)) < 0) {
                                text = NULL;
                                fputs(line, f);
                                return;
                        }
                }
        }
        fputs(text, f);
}

/* The daemon's problems with its configuration, one per line under a heading. */
static int explain_config_invalid(json_t *errors, char **ret) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0, i;
        FILE *f;
        json_t *e;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fputs(_("the configuration is invalid; dutyd keeps the previous one. Correct these lines and run 'dutyctl reload' again:"), f);
        json_array_foreach(errors, i, e)
                if (json_is_string(e)) {
                        fputs("\n  ", f);
                        put_config_problem(f, json_string_value(e));
                }
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(text);
        return 0;
}

static const char *violation_mark(const char *severity) {
        if (severity && streq(severity, "block"))
                return "✗";
        if (severity && streq(severity, "escalate"))
                return "↑";
        return "!";
}

int client_format_violations(FILE *f, json_t *violations, const char *indent) {
        size_t i;
        json_t *v;

        json_array_foreach(violations, i, v) {
                const char *rule = strempty(json_string_member(v, "rule"));
                const char *message = strempty(json_string_member(v, "message"));
                size_t len = strlen(rule);

                /* The sentence starts with "rule: ", which the bracketed id replaces. */
                if (len > 0 && strneq(message, rule, len) && message[len] == ':')
                        message += len + 1 + (message[len + 1] == ' ');
                fprintf(f, "%s%s [", strempty(indent), violation_mark(json_string_member(v, "severity")));
                /* The message may quote what a caller typed (a destination, a reason). */
                (void) fputs_escaped(rule, f);
                fputs("] ", f);
                (void) fputs_escaped(message, f);
                fputc('\n', f);
        }
        return ferror(f) ? -EIO : 0;
}

/* The refusal's sentence, then every violation on a line of its own. */
static int explain_leave_refused(json_t *parameters, char **ret) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        (void) fputs_escaped(strna(json_string_member(parameters, "message")), f);
        if (json_array_size(json_object_get(parameters, "violations")) > 0) {
                fputc('\n', f);
                (void) client_format_violations(f, json_object_get(parameters, "violations"), "  ");
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        /* No trailing newline: the caller ends the line. */
        if (size > 0 && text[size - 1] == '\n')
                text[size - 1] = '\0';
        *ret = TAKE_PTR(text);
        return 0;
}

/* What the daemon would have accepted, for a parameter it refused, in the words of the command
 * line. The limits are the interface's (io.dutyd.Duty.varlink states them beside each field;
 * tests/integration/091-json-limits.sh holds the two together). */
#define CLIENT_VIEW_DAYS_MAX     1100
#define CLIENT_GENERATE_DAYS_MAX 400
#define CLIENT_AUDIT_LIMIT_MAX   1000
#define CLIENT_GAPS_DAYS_MAX     366
#define CLIENT_LEAVE_TEXT_MAX    500
#define CLIENT_SWAP_TEXT_MAX     1000
#define CLIENT_DUTY_TEXT_MAX     256
#define CLIENT_EXTRA_OFFICERS_MAX 100

static bool method_is(const char *method, const char *prefix) {
        return method && strneq(method, prefix, strlen(prefix));
}

static int explain_invalid_parameter(const char *method, const char *parameter, char **ret) {
        const char *p = strempty(parameter);

        if (streq(p, "to") && method_is(method, "Leave"))
                return asprintf(ret, _("--from and --to must be times YYYY-MM-DD or YYYY-MM-DDTHH:MM, --to after --from, at most 31 days ago and 366 days ahead"));
        if (streq(p, "from") && method_is(method, "Leave"))
                return asprintf(ret, _("--from must be a time YYYY-MM-DD or YYYY-MM-DDTHH:MM, at most 31 days ago and 366 days ahead"));
        if (streq(p, "to") && method_is(method, DUTY_METHOD_ROSTER_GENERATE))
                return asprintf(ret, _("--to must be a date YYYY-MM-DD not before --from, and the range at most %d days long; generate a long period in parts"),
                                CLIENT_GENERATE_DAYS_MAX);
        if (streq(p, "to"))
                return asprintf(ret, _("--to must be a date YYYY-MM-DD not before --from, and the range at most %d days long"),
                                CLIENT_VIEW_DAYS_MAX);
        if (streq(p, "from"))
                return asprintf(ret, _("--from must be a date YYYY-MM-DD"));
        if (streq(p, "limit"))
                return asprintf(ret, _("--limit must be a number from 1 to %d"), CLIENT_AUDIT_LIMIT_MAX);
        if (streq(p, "since"))
                return asprintf(ret, _("--since must be a time YYYY-MM-DD or YYYY-MM-DDTHH:MM"));
        if (streq(p, "days"))
                return asprintf(ret, _("--days must be a number from 1 to %d"), CLIENT_GAPS_DAYS_MAX);
        if (streq(p, "id") && method_is(method, "Leave"))
                return asprintf(ret, _("the leave number must be a positive number; 'dutyctl leave list' lists them"));
        if (streq(p, "id") && method_is(method, "Swap"))
                return asprintf(ret, _("the swap number must be a positive number; 'dutyctl swap list' lists them"));
        if (streq(p, "id") && method_is(method, "Sensitive"))
                return asprintf(ret, _("the number must be a positive number; 'dutyctl sensitive list' lists them"));
        if (streq(p, "id") && method_is(method, "Unavailable"))
                return asprintf(ret, _("the number must be a positive number; 'dutyctl unavailable list' lists them"));
        if (streq(p, "role"))
                return asprintf(ret, _("ROLE must be one of leader, officer, approver or admin"));
        if (STR_IN_SET(p, "person", "with", "by", "acting"))
                return asprintf(ret, _("name a person by id; 'dutyctl people' lists the people and their ids"));
        if (streq(p, "post"))
                return asprintf(ret, _("name a post by its id, as 'dutyctl roster show' shows them"));
        if (STR_IN_SET(p, "date", "their_date"))
                return asprintf(ret, _("the date must be YYYY-MM-DD"));
        if (streq(p, "at"))
                return asprintf(ret, _("the time must be now, YYYY-MM-DD or YYYY-MM-DDTHH:MM"));
        if (streq(p, "year"))
                return asprintf(ret, _("YEAR must be a year such as 2026; 'dutyctl calendar --year YEAR' shows what dutyd knows of it"));
        if (streq(p, "name") && method_is(method, DUTY_METHOD_ROSTER_HOLIDAY))
                return asprintf(ret, _("name a holiday as the calendar does (e.g. 国庆节); 'dutyctl calendar --year YEAR' lists them"));
        if (streq(p, "name"))
                return asprintf(ret, _("the name must be one line of text, not empty, without control characters and at most %d bytes long"), CLIENT_DUTY_TEXT_MAX);
        if (streq(p, "extra_officers"))
                return asprintf(ret, _("--extra-officers must be a number from 0 to %d"), CLIENT_EXTRA_OFFICERS_MAX);
        if (streq(p, "leave"))
                return asprintf(ret, _("--leave must be freeze, escalate or normal"));
        if (streq(p, "kind"))
                return asprintf(ret, _("--kind must be personal, official, sick, business_trip, annual or other"));
        if (streq(p, "version"))
                return asprintf(ret, _("VERSION must be the number of a published version; 'dutyctl roster diff' compares with the newest"));
        if (STR_IN_SET(p, "reason", "destination", "note") && method_is(method, "Swap"))
                return asprintf(ret, _("--%s must be one line of text, not empty, without control characters and at most %d bytes long"), p, CLIENT_SWAP_TEXT_MAX);
        if (STR_IN_SET(p, "reason", "destination", "note") && method_is(method, "Leave"))
                return asprintf(ret, _("--%s must be one line of text, not empty, without control characters and at most %d bytes long"), p, CLIENT_LEAVE_TEXT_MAX);
        if (STR_IN_SET(p, "reason", "destination", "note"))
                return asprintf(ret, _("--%s must be one line of text, not empty, without control characters and at most %d bytes long"), p, CLIENT_DUTY_TEXT_MAX);
        return asprintf(ret, _("dutyd did not accept the value given for '%s'; the command's --help shows its form"), p);
}

char *client_error_explain_call(const char *method, const char *error, json_t *parameters) {
        _cleanup_free_ char *dump = NULL, *message = NULL;
        char *s = NULL;
        int r;

        if (!error)
                return NULL;

        /* The daemon's sentence may quote stored text: printed escaped like every table cell. */
        if (json_string_member(parameters, "message")) {
                message = text_escape(json_string_member(parameters, "message"));
                if (!message)
                        return NULL;
        }

        if (streq(error, DUTY_ERROR_PERMISSION_DENIED)) {
                const char *access = json_string_member(parameters, "access");

                /* The daemon says why, and who may: the method's name is for --verbose. */
                if (message)
                        r = asprintf(&s, "%s", message);
                else if (streq_ptr(access, "guest"))
                        r = asprintf(&s, _("you are not in this office's configuration; ask the administrator to add your user name to your entry ('dutyctl whoami' shows it)"));
                else
                        r = asprintf(&s, _("your access (%s) does not allow this; ask an administrator ('dutyctl people --role admin' lists them)"),
                                     strna(access));
        } else if (streq(error, DUTY_ERROR_LEAVE_REFUSED))
                r = explain_leave_refused(parameters, &s);
        else if (streq(error, DUTY_ERROR_SWAP_REFUSED))
                /* The sentence, and the rule's id for scripts. */
                r = asprintf(&s, "%s [%s]", strna(message), strna(json_string_member(parameters, "rule")));
        else if (message)
                /* Failed, RuleViolation, NotFound, CalendarUnknown, …: the daemon's own words. */
                r = asprintf(&s, "%s", message);
        else if (streq(error, DUTY_ERROR_CONFIG_INVALID))
                r = explain_config_invalid(json_object_get(parameters, "errors"), &s);
        else if (streq(error, VARLINK_ERROR_INVALID_PARAMETER))
                r = explain_invalid_parameter(method, json_string_member(parameters, "parameter"), &s);
        else if (streq(error, VARLINK_ERROR_METHOD_NOT_FOUND) || streq(error, VARLINK_ERROR_METHOD_NOT_IMPLEMENTED))
                r = asprintf(&s, _("dutyd does not know this command; it is older than dutyctl: update dutyd or use the dutyctl that came with it"));
        else if (streq(error, VARLINK_ERROR_INTERFACE_NOT_FOUND))
                r = asprintf(&s, _("the program answering on the socket is not dutyd, or a much older one; check --socket"));
        else {
                /* An error this dutyctl does not know: show what came with it. */
                if (json_is_object(parameters) && json_object_size(parameters) > 0)
                        dump = json_dumps(parameters, JSON_COMPACT);
                r = asprintf(&s, _("dutyd refused the request (%s)"), dump ? dump : _("no details"));
        }

        return r < 0 ? NULL : s;
}

char *client_error_explain(const char *error, json_t *parameters) {
        return client_error_explain_call(NULL, error, parameters);
}

/* The rule ids a refusal names, for scripts: its "rule", and each violation's. */
static json_t *error_rules(json_t *parameters) {
        json_t *rules = json_array(), *v;
        size_t i;

        if (!rules)
                return NULL;
        if (json_is_string(json_object_get(parameters, "rule")))
                json_array_append(rules, json_object_get(parameters, "rule"));
        json_array_foreach(json_object_get(parameters, "violations"), i, v)
                if (json_is_string(json_object_get(v, "rule")))
                        json_array_append(rules, json_object_get(v, "rule"));
        return rules;
}

int client_print_error_json(FILE *f, const char *full_method, const char *error, json_t *parameters,
                            const char *message) {
        _cleanup_(json_decrefp) json_t *o = NULL, *none = NULL;

        if (!parameters) {
                parameters = none = json_object();
                if (!none)
                        return -ENOMEM;
        }
        /* A failure of the exchange has no error name, and before a call no method: null. */
        o = json_pack("{s:o, s:o, s:O, s:o, s:s*}",
                      "error", error ? json_string(error) : json_null(),
                      "method", full_method ? json_string(full_method) : json_null(),
                      "parameters", parameters,
                      "rules", error_rules(parameters),
                      "message", message);
        if (!o)
                return -ENOMEM;
        return output_json(f, o);
}

int client_call(VarlinkClient *c, const char *method, json_t *params, ClientFlags flags, json_t **ret_reply) {
        _cleanup_free_ char *full = NULL, *explanation = NULL, *failure = NULL;
        json_t *reply = NULL;
        const char *error = NULL;
        int r;

        if (!c || isempty(method) || !ret_reply)
                return -EINVAL;

        if (asprintf(&full, "%s.%s", DUTY_INTERFACE, method) < 0)
                return -ENOMEM;

        r = varlink_client_call(c, full, params, &reply, &error);
        /* -ENOTCONN means "never connected" to client_exit_status(); this connection was up. */
        if (r == -ENOTCONN)
                r = -ECONNRESET;
        if (r < 0) {
                switch (-r) {
                case ETIMEDOUT:
                        r = asprintf(&failure, _("dutyd did not answer within %d s"), VARLINK_CLIENT_TIMEOUT_MSEC / 1000) < 0 ? -ENOMEM : r;
                        break;
                case ECONNRESET:
                case EPIPE:
                        failure = strdup(_("dutyd closed the connection"));
                        break;
                case EMSGSIZE:
                        r = asprintf(&failure, _("the reply exceeds %u bytes"), VARLINK_MESSAGE_SIZE_MAX) < 0 ? -ENOMEM : r;
                        break;
                case EBADMSG:
                case EPROTO:
                        failure = strdup(_("malformed reply from dutyd"));
                        break;
                default:
                        failure = strdup(strerror(-r));
                        break;
                }
                client_report_failure(flags, full, failure);
                return r;
        }

        if (error) {
                explanation = client_error_explain_call(method, error, reply);
                if (FLAGS_SET(flags, CLIENT_JSON))
                        (void) client_print_error_json(stdout, full, error, reply, explanation);
                else if (FLAGS_SET(flags, CLIENT_VERBOSE))
                        fprintf(stderr, "dutyctl: %s: %s: %s\n", full, error, explanation ?: strerror(ENOMEM));
                else
                        fprintf(stderr, "dutyctl: %s\n", explanation ?: strerror(ENOMEM));
                json_decref(reply);
                return -EREMOTEIO;
        }

        if (!json_is_object(reply)) {
                client_report_failure(flags, full, _("malformed reply from dutyd"));
                json_decref(reply);
                return -EBADMSG;
        }

        *ret_reply = reply;
        return 0;
}

void client_report_failure(ClientFlags flags, const char *full_method, const char *failure) {
        if (FLAGS_SET(flags, CLIENT_JSON))
                (void) client_print_error_json(stdout, full_method, NULL, NULL, failure ?: strerror(ENOMEM));
        else if (FLAGS_SET(flags, CLIENT_VERBOSE) && full_method)
                fprintf(stderr, "dutyctl: %s: %s\n", full_method, failure ?: strerror(ENOMEM));
        else
                fprintf(stderr, "dutyctl: %s\n", failure ?: strerror(ENOMEM));
}

int client_exit_status(int r) {
        if (r >= 0)
                return CLIENT_EXIT_OK;
        if (r == -ENOTCONN)
                return CLIENT_EXIT_NO_CONNECTION;
        if (r == -EINVAL)
                return CLIENT_EXIT_USAGE;
        return CLIENT_EXIT_DAEMON_ERROR;
}
