/* SPDX-License-Identifier: GPL-2.0-or-later */

/* A call that waits off the event loop (varlink_call_retry()): it is dispatched again with the time
 * it has waited, its connection dispatches nothing else meanwhile while other connections are
 * served, and a hang-up or a drain drops it without running the method again. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "varlink.h"

static const char retry_idl_text[] =
        "# Interface of the retry tests.\n"
        "interface org.example.retry\n"
        "\n"
        "# Waits, being run again every 20 ms, until run tries times; answers how long it waited.\n"
        "method Wait(tries: int) -> (tries: int, waited_ms: int)\n"
        "# Answers at once.\n"
        "method Echo(text: string) -> (text: string)\n"
        "# Answers, then asks to wait (which it may no longer do).\n"
        "method Late() -> ()\n";

#define RETRY_DELAY_USEC (20 * USEC_PER_MSEC)
#define RETRY_RUNS_MAX 64

typedef struct RetryServer {
        sd_event *event;
        VarlinkIdl *idl;
        VarlinkServer *server;
        unsigned runs;                          /* every run of Wait, first ones included */
        uint64_t waited[RETRY_RUNS_MAX];        /* what each run of Wait was told it had waited */
        unsigned echoes;
        unsigned drained;
} RetryServer;

static int method_wait(VarlinkCall *call, json_t *params, void *userdata) {
        RetryServer *t = userdata;
        json_int_t tries = json_integer_value(json_object_get(params, "tries"));
        uint64_t waited = varlink_call_waited_usec(call);

        if (t->runs < RETRY_RUNS_MAX)
                t->waited[t->runs] = waited;
        t->runs++;
        if (t->runs < (unsigned) tries)
                return varlink_call_retry(call, RETRY_DELAY_USEC);
        return varlink_call_reply(call, json_pack("{s:I, s:I}", "tries", (json_int_t) t->runs,
                                                  "waited_ms", (json_int_t) (waited / USEC_PER_MSEC)));
}

static int method_echo(VarlinkCall *call, json_t *params, void *userdata) {
        RetryServer *t = userdata;

        t->echoes++;
        return varlink_call_reply(call, json_pack("{s:O}", "text", json_object_get(params, "text")));
}

static int method_late(VarlinkCall *call, json_t *params, void *userdata) {
        assert_int_equal(varlink_call_reply(call, NULL), 0);
        assert_int_equal(varlink_call_retry(call, RETRY_DELAY_USEC), -EALREADY);
        return 0;
}

static const VarlinkMethod retry_methods[] = {
        { "Wait", method_wait },
        { "Echo", method_echo },
        { "Late", method_late },
};

static const VarlinkServerInfo retry_info = {
        .vendor = "dutyd",
        .product = "test-varlink-retry",
        .version = "1",
        .url = "https://example.org/",
};

static void setup(RetryServer *t) {
        *t = (RetryServer) {};
        assert_int_equal(varlink_idl_parse(retry_idl_text, &t->idl, NULL), 0);
        assert_int_equal(sd_event_new(&t->event), 0);
        assert_int_equal(varlink_server_new(t->event, t->idl, &retry_info, retry_methods, ELEMENTSOF(retry_methods),
                                            t, &t->server), 0);
}

static void teardown(RetryServer *t) {
        t->server = varlink_server_free(t->server);
        t->idl = varlink_idl_free(t->idl);
        t->event = sd_event_unref(t->event);
}

/* The client's end of a socketpair whose other end the server serves. */
typedef struct Client {
        int fd;
        VarlinkFramer input;
} Client;

static void client_connect(RetryServer *t, Client *c) {
        int fds[2];

        assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds), 0);
        assert_int_equal(varlink_server_add_connection(t->server, fds[1]), 0);
        c->fd = fds[0];
        varlink_framer_init(&c->input, VARLINK_MESSAGE_SIZE_MAX);
}

static void client_close(Client *c) {
        if (c->fd >= 0)
                close(c->fd);
        c->fd = -1;
        varlink_framer_done(&c->input);
}

static void pump(RetryServer *t, uint64_t usec) {
        assert_true(sd_event_run(t->event, usec) >= 0);
}

static void client_send(Client *c, const char *text) {
        assert_int_equal(send(c->fd, text, strlen(text) + 1, MSG_NOSIGNAL), (ssize_t) strlen(text) + 1);
}

/* 1 and *ret: a reply has come; 0: none yet; -1: the server closed the connection. Never waits. */
static int client_poll(Client *c, json_t **ret) {
        for (;;) {
                const char *m;
                size_t n, len;
                ssize_t k;
                char *p;

                if (varlink_framer_next(&c->input, &m, &len) == 1) {
                        *ret = json_loadb(m, len, JSON_REJECT_DUPLICATES, NULL);
                        assert_non_null(*ret);
                        return 1;
                }
                assert_int_equal(varlink_framer_space(&c->input, &p, &n), 0);
                k = recv(c->fd, p, n, MSG_DONTWAIT);
                if (k > 0) {
                        varlink_framer_advance(&c->input, (size_t) k);
                        continue;
                }
                if (k == 0 || errno == ECONNRESET)
                        return -1;
                assert_int_equal(errno, EAGAIN);
                return 0;
        }
}

/* Runs the loop until a reply or the end of the connection comes. */
static int client_wait(RetryServer *t, Client *c, json_t **ret) {
        for (unsigned i = 0; i < 1000; i++) {
                int r = client_poll(c, ret);

                if (r != 0)
                        return r;
                pump(t, 10 * USEC_PER_MSEC);
        }
        fail_msg("no reply and no hang-up (runs %u, echoes %u)", t->runs, t->echoes);
        return -ETIMEDOUT;
}

static json_t *client_expect_reply(RetryServer *t, Client *c) {
        json_t *reply = NULL;

        assert_int_equal(client_wait(t, c, &reply), 1);
        assert_null(json_object_get(reply, "error"));
        return reply;
}

static json_int_t reply_int(json_t *reply, const char *key) {
        return json_integer_value(json_object_get(json_object_get(reply, "parameters"), key));
}

/* The waiting call is run again until it answers, told how long it has waited; the call sent behind
 * it on the same connection waits its turn; another connection is answered meanwhile. */
static void test_retry_order(void **state) {
        static const char two[] = "{\"method\":\"org.example.retry.Wait\",\"parameters\":{\"tries\":4}}"
                                  "\0{\"method\":\"org.example.retry.Echo\",\"parameters\":{\"text\":\"behind\"}}";
        _cleanup_(json_decrefp) json_t *wait = NULL, *echo = NULL, *other = NULL;
        RetryServer t;
        Client a, b;

        setup(&t);
        client_connect(&t, &a);
        client_connect(&t, &b);

        /* Both calls in one write: the second is read with the first. */
        assert_int_equal(send(a.fd, two, sizeof(two), MSG_NOSIGNAL), (ssize_t) sizeof(two));
        pump(&t, 0);
        pump(&t, 0);
        assert_int_equal(t.runs, 1u);
        assert_int_equal(t.waited[0], 0u);

        /* The other connection is served while a's call waits; a's second call is not run yet. */
        client_send(&b, "{\"method\":\"org.example.retry.Echo\",\"parameters\":{\"text\":\"other\"}}");
        other = client_expect_reply(&t, &b);
        assert_string_equal(json_string_value(json_object_get(json_object_get(other, "parameters"), "text")), "other");
        assert_int_equal(t.echoes, 1u);
        assert_true(t.runs < 4);

        wait = client_expect_reply(&t, &a);
        assert_int_equal(reply_int(wait, "tries"), 4);
        assert_int_equal(t.runs, 4u);
        /* Each run was told the time since the first, which grows by the delay at least. */
        for (unsigned i = 1; i < 4; i++)
                assert_true(t.waited[i] >= i * RETRY_DELAY_USEC);
        assert_true(reply_int(wait, "waited_ms") >= 3 * (json_int_t) (RETRY_DELAY_USEC / USEC_PER_MSEC));

        /* Then the call behind it, in order. */
        echo = client_expect_reply(&t, &a);
        assert_string_equal(json_string_value(json_object_get(json_object_get(echo, "parameters"), "text")), "behind");
        assert_int_equal(t.echoes, 2u);

        client_close(&a);
        client_close(&b);
        teardown(&t);
}

/* A call may not wait once it has answered. */
static void test_retry_after_reply(void **state) {
        _cleanup_(json_decrefp) json_t *reply = NULL;
        RetryServer t;
        Client a;

        setup(&t);
        client_connect(&t, &a);
        client_send(&a, "{\"method\":\"org.example.retry.Late\"}");
        reply = client_expect_reply(&t, &a);
        client_close(&a);
        teardown(&t);
}

/* A server with one client whose call waits (the method asks to be run again a thousand times),
 * once the method has run `runs` times. */
static void start_waiting_call(RetryServer *t, Client *a, unsigned runs) {
        setup(t);
        client_connect(t, a);
        client_send(a, "{\"method\":\"org.example.retry.Wait\",\"parameters\":{\"tries\":1000}}");
        for (unsigned i = 0; i < 100 && t->runs < runs; i++)
                pump(t, 10 * USEC_PER_MSEC);
        assert_true(t->runs >= runs);
}

/* A client that hangs up while its call waits: the connection goes, the method is not run again. */
static void test_retry_hangup(void **state) {
        RetryServer t;
        Client a;
        unsigned runs;

        start_waiting_call(&t, &a, 3);

        client_close(&a);
        for (unsigned i = 0; i < 100 && varlink_server_n_connections(t.server) > 0; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(varlink_server_n_connections(t.server), 0u);
        runs = t.runs;
        for (unsigned i = 0; i < 5; i++)
                pump(&t, 10 * USEC_PER_MSEC);
        assert_int_equal(t.runs, runs);
        teardown(&t);
}

static void on_drained(VarlinkServer *s, void *userdata) {
        RetryServer *t = userdata;

        t->drained++;
}

/* Shutting down: the waiting call is dropped unanswered (nothing of it was done), its connection
 * closes, and the method is not run again. */
static void test_retry_drain(void **state) {
        json_t *reply = NULL;
        RetryServer t;
        Client a;
        unsigned runs;

        start_waiting_call(&t, &a, 2);

        assert_int_equal(varlink_server_drain(t.server, on_drained, &t), 0);
        assert_int_equal(t.drained, 1u);
        assert_int_equal(varlink_server_n_connections(t.server), 0u);
        runs = t.runs;
        assert_int_equal(client_wait(&t, &a, &reply), -1);
        assert_int_equal(t.runs, runs);
        client_close(&a);
        teardown(&t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_retry_order),
                cmocka_unit_test(test_retry_after_reply),
                cmocka_unit_test(test_retry_hangup),
                cmocka_unit_test(test_retry_drain),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
