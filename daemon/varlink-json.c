/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Every message dutyd sends is a JSON object encoded once: json_dumps() spent about half of what a
 * Status call cost dutyd (tests/bench), checking each string's UTF-8 character by character through
 * its callback chain and printing each integer with snprintf(). This encoder writes the same bytes
 * as json_dumps(v, JSON_COMPACT) — same member order (jansson's iteration order), same escapes
 * (\" \\ \b \f \n \r \t, other control characters as \u00XX in upper case, "/" and non-ASCII as
 * they are) — copying the runs that need no escape whole. Strings that are not valid UTF-8 fail, as
 * they do in jansson; reals, which dutyd's replies do not carry, are left to jansson's own
 * formatting. tests/unit/test-varlink-json.c compares the two. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "varlink-protocol.h"

/* Deeper than any reply: a tree this deep is taken for a loop (jansson refuses loops too). */
#define JSON_ENCODE_DEPTH_MAX 2048u

typedef struct JsonBuffer {
        char *data;
        size_t used;
        size_t size;
} JsonBuffer;

static int buffer_reserve(JsonBuffer *b, size_t n) {
        size_t size;
        char *p;

        if (n <= b->size - b->used)
                return 0;
        if (n > SIZE_MAX / 2 - b->used)
                return -ENOMEM;
        size = b->size ? b->size * 2 : 512;
        while (size - b->used < n)
                size *= 2;
        p = realloc(b->data, size);
        if (!p)
                return -ENOMEM;
        b->data = p;
        b->size = size;
        return 0;
}

static int buffer_append(JsonBuffer *b, const char *p, size_t n) {
        int r;

        r = buffer_reserve(b, n);
        if (r < 0)
                return r;
        memcpy(b->data + b->used, p, n);
        b->used += n;
        return 0;
}

static int buffer_append_char(JsonBuffer *b, char c) {
        return buffer_append(b, &c, 1);
}

/* Length of the UTF-8 sequence at p (at most n bytes) that jansson accepts (utf8_check_first(),
 * utf8_check_full(): no overlong form, no surrogate, nothing above U+10FFFF); 0 if invalid. */
static size_t utf8_sequence_length(const unsigned char *p, size_t n) {
        unsigned char c = p[0];
        uint32_t v;
        size_t len;

        if (c < 0x80)
                return 1;
        if (c < 0xc2 || c > 0xf4)       /* a continuation byte, an overlong 2-byte lead, or > U+10FFFF */
                return 0;
        if (c < 0xe0) {
                len = 2;
                v = c & 0x1f;
        } else if (c < 0xf0) {
                len = 3;
                v = c & 0x0f;
        } else {
                len = 4;
                v = c & 0x07;
        }
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                v = (v << 6) | (p[i] & 0x3f);
        }
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
            (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
                return 0;
        return len;
}

static int encode_string(JsonBuffer *b, const char *s, size_t n) {
        const unsigned char *p = (const unsigned char *) s, *end = p + n, *run;
        int r;

        r = buffer_append_char(b, '"');
        if (r < 0)
                return r;
        run = p;
        while (p < end) {
                unsigned char c = *p;
                const char *escape;
                char seq[7];
                size_t k;

                if (c >= 0x20 && c != '"' && c != '\\') {
                        if (c < 0x80) {
                                p++;
                                continue;
                        }
                        k = utf8_sequence_length(p, (size_t) (end - p));
                        if (k == 0)
                                return -EINVAL;
                        p += k;
                        continue;
                }

                r = buffer_append(b, (const char *) run, (size_t) (p - run));
                if (r < 0)
                        return r;
                switch (c) {
                case '"':  escape = "\\\""; break;
                case '\\': escape = "\\\\"; break;
                case '\b': escape = "\\b"; break;
                case '\f': escape = "\\f"; break;
                case '\n': escape = "\\n"; break;
                case '\r': escape = "\\r"; break;
                case '\t': escape = "\\t"; break;
                default:
                        seq[0] = '\\';
                        seq[1] = 'u';
                        seq[2] = '0';
                        seq[3] = '0';
                        seq[4] = "0123456789ABCDEF"[c >> 4];
                        seq[5] = "0123456789ABCDEF"[c & 0xf];
                        seq[6] = '\0';
                        escape = seq;
                }
                r = buffer_append(b, escape, strlen(escape));
                if (r < 0)
                        return r;
                run = ++p;
        }
        r = buffer_append(b, (const char *) run, (size_t) (p - run));
        if (r < 0)
                return r;
        return buffer_append_char(b, '"');
}

static int encode_integer(JsonBuffer *b, json_int_t v) {
        char digits[24], *p = digits + sizeof(digits);
        /* Through the unsigned type: the most negative value has no positive counterpart. */
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long) v : (unsigned long long) v;

        do {
                *--p = (char) ('0' + u % 10);
                u /= 10;
        } while (u > 0);
        if (v < 0)
                *--p = '-';
        return buffer_append(b, p, (size_t) (digits + sizeof(digits) - p));
}

static int encode_value(JsonBuffer *b, const json_t *v, unsigned depth) {
        int r;

        if (depth > JSON_ENCODE_DEPTH_MAX)
                return -ELOOP;

        switch (json_typeof(v)) {
        case JSON_OBJECT: {
                bool first = true;

                r = buffer_append_char(b, '{');
                if (r < 0)
                        return r;
                /* json_object_iter() takes a non-const object but does not change it. */
                for (void *i = json_object_iter((json_t *) v); i; i = json_object_iter_next((json_t *) v, i)) {
                        if (!first) {
                                r = buffer_append_char(b, ',');
                                if (r < 0)
                                        return r;
                        }
                        first = false;
                        r = encode_string(b, json_object_iter_key(i), json_object_iter_key_len(i));
                        if (r >= 0)
                                r = buffer_append_char(b, ':');
                        if (r >= 0)
                                r = encode_value(b, json_object_iter_value(i), depth + 1);
                        if (r < 0)
                                return r;
                }
                return buffer_append_char(b, '}');
        }
        case JSON_ARRAY: {
                size_t n = json_array_size(v);

                r = buffer_append_char(b, '[');
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n; i++) {
                        if (i > 0) {
                                r = buffer_append_char(b, ',');
                                if (r < 0)
                                        return r;
                        }
                        r = encode_value(b, json_array_get(v, i), depth + 1);
                        if (r < 0)
                                return r;
                }
                return buffer_append_char(b, ']');
        }
        case JSON_STRING:
                return encode_string(b, json_string_value(v), json_string_length(v));
        case JSON_INTEGER:
                return encode_integer(b, json_integer_value(v));
        case JSON_REAL: {
                char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

                if (!text)
                        return -ENOMEM;
                r = buffer_append(b, text, strlen(text));
                free(text);
                return r;
        }
        case JSON_TRUE:
                return buffer_append(b, "true", 4);
        case JSON_FALSE:
                return buffer_append(b, "false", 5);
        case JSON_NULL:
                return buffer_append(b, "null", 4);
        }
        return -EINVAL;
}

int varlink_json_encode(const json_t *v, char **ret, size_t *ret_length) {
        JsonBuffer b = {};
        int r;

        if (!v || !ret)
                return -EINVAL;
        r = encode_value(&b, v, 0);
        if (r >= 0)
                r = buffer_append_char(&b, '\0');
        if (r < 0) {
                free(b.data);
                return r;
        }
        *ret = b.data;
        if (ret_length)
                *ret_length = b.used - 1;
        return 0;
}
