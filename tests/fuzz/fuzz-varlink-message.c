/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The whole request path of dutyd on arbitrary client bytes: the NUL framer, JSON parsing, checking
 * against the interface definition, authorization and every method's handler, on the daemon's own
 * Manager (sample office, scratch state directory). The input is what one client sends on one
 * connection (a socketpair end handed to the server) before closing its side; the server must
 * answer or close, never stall, and every reply must parse.
 *
 * Differentially, dutyd's own encoder (varlink-json.c) against jansson: every message parsed here —
 * each request of the input, parsed as the server parses it, and each reply — is encoded by both
 * varlink_json_encode() and json_dumps(JSON_COMPACT | JSON_ENCODE_ANY), the flags whose bytes the
 * encoder promises, and the two must be the same bytes (or both refuse). */

#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "manager.h"
#include "varlink-protocol.h"
#include "varlink.h"

/* Loop turns one connection may take before the server is considered stalled. */
#define FUZZ_TURNS_MAX 200000u
/* A fresh state directory every so many inputs, so that what earlier inputs stored does not slow
 * down later ones without bound. */
#define FUZZ_RESET_RUNS 20000u

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Fuzz {
        char dir[64];
        char config[128];
        char state[128];
        char socket[128];
        Manager *manager;
        unsigned runs;
} Fuzz;

/* libFuzzer passes no context to the callback: the harness is the one piece of state, set up in
 * LLVMFuzzerInitialize(). */
static Fuzz fuzz;

static void copy_file(const char *from, const char *to) {
        char buf[4096];
        FILE *in = fopen(from, "re"), *out = fopen(to, "we");
        size_t n;

        if (!in || !out)
                abort();
        while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
                if (fwrite(buf, 1, n, out) != n)
                        abort();
        fclose(in);
        if (fclose(out) != 0)
                abort();
}

static void fuzz_start(void) {
        char cmd[512];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -m 0700 '%s'", fuzz.state, fuzz.state);
        if (system(cmd) != 0)
                abort();
        if (manager_new(&(const ManagerOptions) {
                                .config_path = fuzz.config,
                                .state_dir = fuzz.state,
                                .socket_path = fuzz.socket,
                        }, &fuzz.manager) < 0)
                abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        char cmd[512];

        snprintf(fuzz.dir, sizeof(fuzz.dir), "/tmp/fuzz-varlink-XXXXXX");
        if (!mkdtemp(fuzz.dir))
                abort();
        snprintf(fuzz.config, sizeof(fuzz.config), "%s/dutyd.conf", fuzz.dir);
        snprintf(fuzz.state, sizeof(fuzz.state), "%s/state", fuzz.dir);
        snprintf(fuzz.socket, sizeof(fuzz.socket), "%s/socket", fuzz.dir);
        copy_file(FUZZ_SRCDIR "/conf/dutyd.conf", fuzz.config);
        snprintf(cmd, sizeof(cmd), "cp -r '%s/conf/holidays.d' '%s/holidays.d'", FUZZ_SRCDIR, fuzz.dir);
        if (system(cmd) != 0)
                abort();

        /* A fixed "now" makes a crash reproducible from its input alone. */
        setenv("DUTYD_NOW", "2026-03-02T10:00", 1);
        fuzz_start();
        return 0;
}

/* varlink_json_encode() and json_dumps() write the same bytes of v, or both fail. */
static void encode_compare(const json_t *v) {
        char *expected = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY), *text = NULL;
        size_t n = 0;
        int r;

        r = varlink_json_encode(v, &text, &n);
        if (!expected) {
                if (r >= 0)
                        abort();  /* encoded what jansson refuses */
                return;
        }
        if (r < 0 || n != strlen(expected) || memcmp(text, expected, n + 1) != 0)
                abort();  /* other bytes than json_dumps() */
        free(text);
        free(expected);
}

/* The requests of the input as the server frames and parses them (varlink.c), each compared. */
static void requests_compare(const uint8_t *data, size_t size) {
        VarlinkFramer f;
        const char *m;
        size_t len;
        int r;

        varlink_framer_init(&f, VARLINK_MESSAGE_SIZE_MAX);
        if (varlink_framer_feed(&f, data, size) >= 0)
                while ((r = varlink_framer_next(&f, &m, &len)) != 0) {
                        json_t *request;

                        if (r < 0)
                                break;  /* too long: the server closes there too */
                        request = json_loadb(m, len, JSON_REJECT_DUPLICATES, NULL);
                        if (request)
                                encode_compare(request);
                        json_decref(request);
                }
        varlink_framer_done(&f);
}

/* Reads what the server sent; every NUL-terminated reply must be a JSON object, which the encoder
 * writes as json_dumps() does. */
static void drain(int fd, VarlinkFramer *f) {
        for (;;) {
                const char *m;
                size_t n, len;
                ssize_t k;
                char *p;

                while (varlink_framer_next(f, &m, &len) == 1) {
                        json_t *reply = json_loadb(m, len, 0, NULL);

                        if (!json_is_object(reply))
                                abort();
                        encode_compare(reply);
                        json_decref(reply);
                }
                if (varlink_framer_space(f, &p, &n) < 0)
                        abort();
                k = recv(fd, p, n, MSG_DONTWAIT);
                if (k <= 0)
                        return;
                varlink_framer_advance(f, (size_t) k);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Manager *m = fuzz.manager;
        VarlinkFramer replies;
        size_t written = 0;
        unsigned turns = 0;
        int fds[2];

        requests_compare(data, size);
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0)
                abort();
        if (varlink_server_add_connection(m->server, fds[0]) < 0)
                abort();
        varlink_framer_init(&replies, VARLINK_MESSAGE_SIZE_MAX);

        /* Send everything, then close our side; the server answers what it can and hangs up. */
        while (varlink_server_n_connections(m->server) > 0) {
                if (written < size) {
                        ssize_t k = send(fds[1], data + written, size - written, MSG_DONTWAIT | MSG_NOSIGNAL);

                        if (k > 0)
                                written += (size_t) k;
                        else if (k < 0 && errno != EAGAIN)
                                written = size;  /* the server hung up early */
                        if (written == size)
                                (void) shutdown(fds[1], SHUT_WR);
                } else if (size == 0 && turns == 0)
                        (void) shutdown(fds[1], SHUT_WR);

                if (sd_event_run(m->event, 0) < 0)
                        abort();
                drain(fds[1], &replies);
                if (++turns > FUZZ_TURNS_MAX)
                        abort();  /* neither answered nor closed: a stall */
        }
        drain(fds[1], &replies);
        varlink_framer_done(&replies);
        close(fds[1]);

        if (++fuzz.runs % FUZZ_RESET_RUNS == 0) {
                fuzz.manager = manager_free(fuzz.manager);
                fuzz_start();
        }
        return 0;
}
