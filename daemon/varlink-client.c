/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The blocking Varlink client (dutyctl's side of the socket), and the socket address both sides use.
 * Every wait is bounded by poll() with the client's timeout. */

#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <sys/un.h>
#include <time.h>

#include "varlink-client.h"

int sockaddr_un_from_path(const char *path, SocketAddressUnix *ret, socklen_t *ret_len) {
        size_t n;

        if (isempty(path))
                return -EINVAL;
        n = strlen(path);
        if (n >= sizeof(ret->un.sun_path))
                return -ENAMETOOLONG;

        *ret = (SocketAddressUnix) {
                .un.sun_family = AF_UNIX,
        };
        memcpy(ret->un.sun_path, path, n);
        *ret_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + n + 1);
        return 0;
}

struct VarlinkClient {
        int fd;
        VarlinkFramer input;
        json_t *reply;  /* the last reply, which owns the error name handed out */
        int timeout_msec;
        char *language; /* sent with every call as "language", unless NULL */
};

VarlinkClient *varlink_client_free(VarlinkClient *c) {
        if (!c)
                return NULL;
        if (c->fd >= 0)
                close(c->fd);
        varlink_framer_done(&c->input);
        json_decref(c->reply);
        free(c->language);
        free(c);
        return NULL;
}

int varlink_client_connect(const char *path, VarlinkClient **ret) {
        _cleanup_(varlink_client_freep) VarlinkClient *c = NULL;
        SocketAddressUnix sa;
        socklen_t salen;
        int flags, r;

        r = sockaddr_un_from_path(path, &sa, &salen);
        if (r < 0)
                return r;

        c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->timeout_msec = VARLINK_CLIENT_TIMEOUT_MSEC;
        varlink_framer_init(&c->input, VARLINK_MESSAGE_SIZE_MAX);

        /* Connect blocking, so a busy server's full backlog means waiting rather than EAGAIN; all
         * later I/O is bounded by poll() timeouts. */
        c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c->fd < 0)
                return -errno;
        if (connect(c->fd, &sa.sa, salen) < 0)
                return -errno;
        flags = fcntl(c->fd, F_GETFL);
        if (flags < 0 || fcntl(c->fd, F_SETFL, flags | O_NONBLOCK) < 0)
                return -errno;

        *ret = TAKE_PTR(c);
        return 0;
}

int varlink_client_set_language(VarlinkClient *c, const char *language) {
        char *l = NULL;

        if (!isempty(language)) {
                l = strdup(language);
                if (!l)
                        return -ENOMEM;
        }
        free(c->language);
        c->language = l;
        return 0;
}

void varlink_client_set_timeout(VarlinkClient *c, int msec) {
        c->timeout_msec = msec;
}

int varlink_client_fd(const VarlinkClient *c) {
        return c->fd;
}

static int64_t now_msec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int client_wait(VarlinkClient *c, short events, int64_t deadline) {
        for (;;) {
                struct pollfd p = {
                        .fd = c->fd,
                        .events = events,
                };
                int64_t left = deadline - now_msec();
                int k;

                if (left <= 0)
                        return -ETIMEDOUT;
                k = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int) left);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k > 0)
                        return 0;
        }
}

int varlink_client_send_raw(VarlinkClient *c, const void *data, size_t n) {
        int64_t deadline = now_msec() + c->timeout_msec;
        const char *p = data;
        int r;

        while (n > 0) {
                ssize_t k = send(c->fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno != EAGAIN)
                                return -errno;
                        r = client_wait(c, POLLOUT, deadline);
                        if (r < 0)
                                return r;
                        continue;
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

static int client_send(VarlinkClient *c, const char *method, json_t *params, bool more) {
        _cleanup_(json_decrefp) json_t *m = NULL;
        _cleanup_free_ char *text = NULL;

        if (isempty(method) || (params && !json_is_object(params)))
                return -EINVAL;

        m = json_pack("{s:s}", "method", method);
        if (!m ||
            (params && json_object_set(m, "parameters", params) < 0) ||
            (more && json_object_set_new(m, "more", json_true()) < 0) ||
            (c->language && json_object_set_new(m, "language", json_string(c->language)) < 0))
                return -ENOMEM;
        text = json_dumps(m, JSON_COMPACT);
        if (!text)
                return -ENOMEM;
        return varlink_client_send_raw(c, text, strlen(text) + 1);
}

int varlink_client_read_reply(VarlinkClient *c, json_t **ret_parameters, const char **ret_error, bool *ret_continues) {
        int64_t deadline = now_msec() + c->timeout_msec;
        json_t *reply, *params, *error;
        const char *message;
        size_t length;
        int r;

        for (;;) {
                size_t n;
                ssize_t k;
                char *p;

                r = varlink_framer_next(&c->input, &message, &length);
                if (r < 0)
                        return r;
                if (r > 0)
                        break;

                r = varlink_framer_space(&c->input, &p, &n);
                if (r < 0)
                        return r;
                k = recv(c->fd, p, n, MSG_DONTWAIT);
                if (k > 0) {
                        varlink_framer_advance(&c->input, (size_t) k);
                        continue;
                }
                if (k == 0)
                        return -ECONNRESET;
                if (errno == EINTR)
                        continue;
                if (errno != EAGAIN)
                        return -errno;
                r = client_wait(c, POLLIN, deadline);
                if (r < 0)
                        return r;
        }

        reply = json_loadb(message, length, JSON_REJECT_DUPLICATES, NULL);
        if (!reply)
                return -EBADMSG;
        error = json_object_get(reply, "error");
        params = json_object_get(reply, "parameters");
        if (!json_is_object(reply) || (error && !json_is_string(error)) || (params && !json_is_object(params))) {
                json_decref(reply);
                return -EBADMSG;
        }

        params = params ? json_incref(params) : json_object();
        if (!params) {
                json_decref(reply);
                return -ENOMEM;
        }

        json_decref(c->reply);
        c->reply = reply;

        *ret_parameters = params;
        if (ret_error)
                *ret_error = json_string_value(error);
        if (ret_continues)
                *ret_continues = !error && json_is_true(json_object_get(reply, "continues"));
        return 0;
}

int varlink_client_call(VarlinkClient *c, const char *method, json_t *params,
                        json_t **ret_parameters, const char **ret_error) {
        int r;

        r = client_send(c, method, params, false);
        if (r < 0)
                return r;
        return varlink_client_read_reply(c, ret_parameters, ret_error, NULL);
}

int varlink_client_call_more(VarlinkClient *c, const char *method, json_t *params) {
        return client_send(c, method, params, true);
}

int varlink_framer_recv(VarlinkFramer *f, int fd, bool *ret_eof) {
        size_t n;
        ssize_t k;
        char *p;
        int r;

        r = varlink_framer_space(f, &p, &n);
        if (r < 0)
                return r;
        k = recv(fd, p, n, MSG_DONTWAIT);
        if (k < 0)
                return errno == EAGAIN || errno == EINTR ? 0 : -errno;
        if (k == 0) {
                *ret_eof = true;
                return 0;
        }
        varlink_framer_advance(f, (size_t) k);
        return 1;
}
