/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "output.h"

#define ERROR_PERMISSION_DENIED CLIENT_INTERFACE ".PermissionDenied"
#define ERROR_FAILED            CLIENT_INTERFACE ".Failed"

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

char *client_error_explain(const char *error, json_t *parameters) {
        _cleanup_free_ char *dump = NULL;
        char *s = NULL;
        int r;

        if (!error)
                return NULL;

        if (streq(error, ERROR_PERMISSION_DENIED)) {
                const char *method = json_string_member(parameters, "method");
                const char *access = json_string_member(parameters, "access");

                r = asprintf(&s, _("permission denied: method %s needs more than access '%s'"),
                             strna(method), strna(access));
        } else if (streq(error, ERROR_FAILED) && json_string_member(parameters, "message"))
                r = asprintf(&s, "%s", json_string_member(parameters, "message"));
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
        return CLIENT_EXIT_DAEMON_ERROR;
}
