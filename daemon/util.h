/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Small helpers shared by every module: cleanup attributes and string macros. */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _pure_ __attribute__((pure))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define streq(a, b) (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)
#define isempty(s) (!(s) || (s)[0] == '\0')

#define TAKE_PTR(p)                     \
        ({                              \
                typeof(p) _ptr_ = (p);  \
                (p) = NULL;             \
                _ptr_;                  \
        })

#define TAKE_FD(fd)                     \
        ({                              \
                int _fd_ = (fd);        \
                (fd) = -1;              \
                _fd_;                   \
        })

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

/* Defines fooP() for a destructor foo_free() that accepts NULL and returns NULL. */
#define DEFINE_POINTER_CLEANUP(type, func)              \
        static inline void func##p(type **p) {          \
                if (*p)                                 \
                        (void) func(*p);                \
        }

static inline const char *strempty(const char *s) {
        return s ? s : "";
}

static inline const char *strna(const char *s) {
        return s ? s : "n/a";
}

/* Frees a NULL-terminated or counted string array. */
static inline char **strv_free(char **l) {
        if (!l)
                return NULL;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
        return NULL;
}
DEFINE_POINTER_CLEANUP(char *, strv_free)

/* Frees the n strings of a counted array (entries may be NULL) and the array. */
static inline void strv_free_n(char **l, size_t n) {
        if (!l)
                return;
        for (size_t i = 0; i < n; i++)
                free(l[i]);
        free(l);
}

/* A newly allocated formatted string, or NULL when out of memory. */
_printf_(1, 2)
static inline char *strdup_printf(const char *fmt, ...) {
        char *s;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        return s;
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

/* Code points that make a terminal act rather than show a character: C0 controls (tab and newline
 * too), DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates that reorder
 * what follows them on screen. dutyd refuses them in the text of requests; dutyctl escapes them in
 * whatever it prints, so that text stored before the refusal is harmless too. */
static inline bool unichar_is_control(uint32_t c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
               (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

#define USEC_PER_SEC  ((uint64_t) 1000000ULL)
#define USEC_PER_MSEC ((uint64_t) 1000ULL)
