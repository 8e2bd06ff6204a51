/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "output.h"

#define ERROR_PERMISSION_DENIED CLIENT_INTERFACE ".PermissionDenied"
#define ERROR_CONFIG_INVALID    CLIENT_INTERFACE ".ConfigInvalid"
#define ERROR_LEAVE_REFUSED     CLIENT_INTERFACE ".LeaveRefused"
#define ERROR_SWAP_REFUSED      CLIENT_INTERFACE ".SwapRefused"

int client_connect(const char *path, VarlinkClient **ret) {
        VarlinkClient *c = NULL;
        int r;

        if (!path || !ret)
                return -EINVAL;

        r = varlink_client_connect(path, &c);
        if (r >= 0) {
                *ret = c;
                return 0;
        }

        switch (-r) {
        case ENOENT:
                fprintf(stderr, _("dutyctl: socket %s does not exist — is dutyd running?\n"), path);
                break;
        case EACCES:
        case EPERM:
                fprintf(stderr, _("dutyctl: permission denied on %s — are you in the socket's group?\n"), path);
                break;
        case ECONNREFUSED:
                fprintf(stderr, _("dutyctl: connection refused on %s — is dutyd running? (the socket file may be stale)\n"), path);
                break;
        case ENOTDIR:
                fprintf(stderr, _("dutyctl: cannot reach %s: a leading component is not a directory\n"), path);
                break;
        case ENAMETOOLONG:
                fprintf(stderr, _("dutyctl: socket path %s is too long for AF_UNIX\n"), path);
                break;
        default:
                fprintf(stderr, _("dutyctl: cannot connect to %s: %s\n"), path, strerror(-r));
                break;
        }
        return -ENOTCONN;
}

static const char *json_string_member(json_t *object, const char *key) {
        return json_string_value(json_object_get(object, key));
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
        fputs(_("the configuration is invalid; dutyd keeps the previous one:"), f);
        json_array_foreach(errors, i, e)
                if (json_is_string(e))
                        fprintf(f, "\n  %s", json_string_value(e));
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
                fprintf(f, "%s%s [%s] %s\n", strempty(indent),
                        violation_mark(json_string_member(v, "severity")), rule, message);
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
        fputs(strna(json_string_member(parameters, "message")), f);
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

char *client_error_explain(const char *error, json_t *parameters) {
        _cleanup_free_ char *dump = NULL;
        char *s = NULL;
        int r;

        if (!error)
                return NULL;

        if (streq(error, ERROR_PERMISSION_DENIED)) {
                const char *method = json_string_member(parameters, "method");
                const char *access = json_string_member(parameters, "access");
                const char *message = json_string_member(parameters, "message");

                /* With a message, the method is allowed but not on this record (someone else's
                 * leave, one's own approval): say why. */
                if (message)
                        r = asprintf(&s, _("permission denied: %s"), message);
                else
                        r = asprintf(&s, _("permission denied: method %s needs more than access '%s'"),
                                     strna(method), strna(access));
        } else if (streq(error, ERROR_LEAVE_REFUSED))
                r = explain_leave_refused(parameters, &s);
        else if (streq(error, ERROR_SWAP_REFUSED))
                /* The sentence, and the rule's id for scripts. */
                r = asprintf(&s, "%s [%s]", strna(json_string_member(parameters, "message")),
                             strna(json_string_member(parameters, "rule")));
        else if (json_string_member(parameters, "message"))
                /* Failed, RuleViolation, NotFound, CalendarUnknown, …: the daemon's own words. */
                r = asprintf(&s, "%s", json_string_member(parameters, "message"));
        else if (streq(error, ERROR_CONFIG_INVALID))
                r = explain_config_invalid(json_object_get(parameters, "errors"), &s);
        else if (streq(error, VARLINK_ERROR_INVALID_PARAMETER))
                r = asprintf(&s, _("invalid parameter '%s'"), strna(json_string_member(parameters, "parameter")));
        else if (streq(error, VARLINK_ERROR_METHOD_NOT_FOUND))
                r = asprintf(&s, _("the daemon does not know method %s (is dutyd older than dutyctl?)"),
                             strna(json_string_member(parameters, "method")));
        else if (streq(error, VARLINK_ERROR_INTERFACE_NOT_FOUND))
                r = asprintf(&s, _("the daemon does not serve interface %s"),
                             strna(json_string_member(parameters, "interface")));
        else {
                /* An error this dutyctl does not know: show what came with it. */
                if (json_is_object(parameters) && json_object_size(parameters) > 0)
                        dump = json_dumps(parameters, JSON_COMPACT);
                r = asprintf(&s, "%s", dump ? dump : _("no details"));
        }

        return r < 0 ? NULL : s;
}

int client_call(VarlinkClient *c, const char *method, json_t *params, json_t **ret_reply) {
        _cleanup_free_ char *full = NULL, *explanation = NULL;
        json_t *reply = NULL;
        const char *error = NULL;
        int r;

        if (!c || isempty(method) || !ret_reply)
                return -EINVAL;

        if (asprintf(&full, "%s.%s", CLIENT_INTERFACE, method) < 0)
                return -ENOMEM;

        r = varlink_client_call(c, full, params, &reply, &error);
        /* -ENOTCONN means "never connected" to client_exit_status(); this connection was up. */
        if (r == -ENOTCONN)
                r = -ECONNRESET;
        if (r < 0) {
                switch (-r) {
                case ETIMEDOUT:
                        fprintf(stderr, _("dutyctl: %s: dutyd did not answer within %d s\n"),
                                full, VARLINK_CLIENT_TIMEOUT_MSEC / 1000);
                        break;
                case ECONNRESET:
                case EPIPE:
                        fprintf(stderr, _("dutyctl: %s: dutyd closed the connection\n"), full);
                        break;
                case EMSGSIZE:
                        fprintf(stderr, _("dutyctl: %s: the reply exceeds %u bytes\n"), full, VARLINK_MESSAGE_SIZE_MAX);
                        break;
                case EBADMSG:
                case EPROTO:
                        fprintf(stderr, _("dutyctl: %s: malformed reply from dutyd\n"), full);
                        break;
                default:
                        fprintf(stderr, _("dutyctl: %s: %s\n"), full, strerror(-r));
                        break;
                }
                return r;
        }

        if (error) {
                explanation = client_error_explain(error, reply);
                fprintf(stderr, "dutyctl: %s: %s\n", error, explanation ? explanation : strerror(ENOMEM));
                json_decref(reply);
                return -EREMOTEIO;
        }

        if (!json_is_object(reply)) {
                fprintf(stderr, _("dutyctl: %s: malformed reply from dutyd\n"), full);
                json_decref(reply);
                return -EBADMSG;
        }

        *ret_reply = reply;
        return 0;
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
