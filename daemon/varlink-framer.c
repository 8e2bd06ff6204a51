/* SPDX-License-Identifier: GPL-2.0-or-later */

/* The NUL framer of the Varlink transport, shared by the server and the client: pure, no I/O. */

#include "varlink-protocol.h"

/* Least free space offered to read(), and the size above which an empty buffer is given back. */
#define FRAMER_CHUNK   4096u
#define BUFFER_KEEP    (64u * 1024u)

void varlink_framer_init(VarlinkFramer *f, size_t max_message) {
        *f = (VarlinkFramer) {
                .max = max_message,
        };
}

void varlink_framer_done(VarlinkFramer *f) {
        size_t max = f->max;

        free(f->buf);
        varlink_framer_init(f, max);
}

/* Moves the unconsumed bytes to the front, so that a long-lived connection reuses one buffer. */
static void framer_compact(VarlinkFramer *f) {
        if (f->start == 0)
                return;
        memmove(f->buf, f->buf + f->start, f->used - f->start);
        f->used -= f->start;
        f->scanned = f->scanned > f->start ? f->scanned - f->start : 0;
        f->start = 0;
}

static int framer_resize(VarlinkFramer *f, size_t size) {
        char *b;

        b = realloc(f->buf, size);
        if (!b)
                return -ENOMEM;
        f->buf = b;
        f->size = size;
        return 0;
}

int varlink_framer_space(VarlinkFramer *f, char **ret_ptr, size_t *ret_size) {
        /* Reads never need to hold more than one whole message and its NUL: anything beyond that
         * without a NUL is an oversized message anyway. */
        size_t cap = f->max + 1;
        int r;

        framer_compact(f);
        if (f->used == 0 && f->size > BUFFER_KEEP) {
                free(f->buf);
                f->buf = NULL;
                f->size = 0;
        }
        if (f->used >= cap)
                return -EMSGSIZE;

        if (f->size < cap && f->size - f->used < FRAMER_CHUNK) {
                size_t n = f->size * 2;

                if (n < f->used + FRAMER_CHUNK)
                        n = f->used + FRAMER_CHUNK;
                if (n > cap)
                        n = cap;
                r = framer_resize(f, n);
                if (r < 0)
                        return r;
        }

        *ret_ptr = f->buf + f->used;
        *ret_size = f->size - f->used;
        return 0;
}

void varlink_framer_advance(VarlinkFramer *f, size_t n) {
        if (n > f->size - f->used)  /* a caller bug; never run past the buffer */
                n = f->size - f->used;
        f->used += n;
}

int varlink_framer_feed(VarlinkFramer *f, const void *data, size_t n) {
        int r;

        if (n == 0)
                return 0;

        framer_compact(f);
        if (n > f->size - f->used) {
                if (n > SIZE_MAX - f->used)
                        return -ENOMEM;
                r = framer_resize(f, f->used + n);
                if (r < 0)
                        return r;
        }
        memcpy(f->buf + f->used, data, n);
        f->used += n;
        return 0;
}

bool varlink_framer_has_next(VarlinkFramer *f) {
        size_t from = f->scanned > f->start ? f->scanned : f->start;

        if (from < f->used && memchr(f->buf + from, 0, f->used - from))
                return true;
        f->scanned = f->used;
        return f->used - f->start > f->max;
}

int varlink_framer_next(VarlinkFramer *f, const char **ret_message, size_t *ret_length) {
        /* Bytes before f->scanned are known to hold no NUL: a message trickling in byte by byte is
         * searched once, not once per byte. */
        size_t from = f->scanned > f->start ? f->scanned : f->start;
        const char *nul = NULL;
        size_t length;

        if (from < f->used)
                nul = memchr(f->buf + from, 0, f->used - from);
        if (!nul) {
                f->scanned = f->used;
                return f->used - f->start > f->max ? -EMSGSIZE : 0;
        }

        length = (size_t) (nul - (f->buf + f->start));
        if (length > f->max)
                return -EMSGSIZE;

        *ret_message = f->buf + f->start;
        if (ret_length)
                *ret_length = length;
        f->start += length + 1;
        f->scanned = f->start;
        return 1;
}
