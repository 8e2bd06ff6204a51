/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Widths are computed here rather than with wcwidth(3) because wcwidth answers -1 for every
 * non-ASCII character in the C locale, which is what services, cron jobs and ssh sessions
 * without LANG often run under; a roster of Chinese names must still line up there. */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

typedef struct UnicharRange {
        uint32_t first;
        uint32_t last;
} UnicharRange;

/* Characters that take no cell of their own: combining marks, conjoining Hangul vowels and
 * finals, zero-width and directional formatting characters, variation selectors. Sorted. */
static const UnicharRange zero_width_ranges[] = {
        { 0x0300, 0x036F },   /* combining diacritical marks */
        { 0x0483, 0x0489 },
        { 0x0591, 0x05BD },
        { 0x05BF, 0x05BF },
        { 0x05C1, 0x05C2 },
        { 0x05C4, 0x05C5 },
        { 0x05C7, 0x05C7 },
        { 0x0610, 0x061A },
        { 0x064B, 0x065F },
        { 0x0670, 0x0670 },
        { 0x06D6, 0x06DC },
        { 0x06DF, 0x06E4 },
        { 0x06E7, 0x06E8 },
        { 0x06EA, 0x06ED },
        { 0x0E31, 0x0E31 },   /* Thai vowel and tone marks */
        { 0x0E34, 0x0E3A },
        { 0x0E47, 0x0E4E },
        { 0x0F18, 0x0F19 },   /* Tibetan marks */
        { 0x0F35, 0x0F35 },
        { 0x0F37, 0x0F37 },
        { 0x0F39, 0x0F39 },
        { 0x0F71, 0x0F7E },
        { 0x0F80, 0x0F84 },
        { 0x0F86, 0x0F87 },
        { 0x0F8D, 0x0FBC },
        { 0x1160, 0x11FF },   /* Hangul Jamo medial vowels and final consonants */
        { 0x1AB0, 0x1AFF },   /* combining diacritical marks extended */
        { 0x1DC0, 0x1DFF },   /* combining diacritical marks supplement */
        { 0x200B, 0x200F },   /* zero width space, joiners, direction marks */
        { 0x202A, 0x202E },
        { 0x2060, 0x2064 },
        { 0x20D0, 0x20FF },   /* combining marks for symbols */
        { 0x302A, 0x302D },   /* ideographic tone marks */
        { 0x3099, 0x309A },   /* combining kana voiced sound marks */
        { 0xFE00, 0xFE0F },   /* variation selectors */
        { 0xFE20, 0xFE2F },   /* combining half marks */
        { 0xFEFF, 0xFEFF },   /* zero width no-break space */
        { 0xE0001, 0xE0001 },
        { 0xE0020, 0xE007F }, /* tags */
        { 0xE0100, 0xE01EF }, /* variation selectors supplement */
};

/* East Asian Wide (W) and Fullwidth (F) characters. Sorted. */
static const UnicharRange wide_ranges[] = {
        { 0x1100, 0x115F },   /* Hangul Jamo initial consonants */
        { 0x231A, 0x231B },
        { 0x2329, 0x232A },   /* angle brackets */
        { 0x23E9, 0x23EC },
        { 0x23F0, 0x23F0 },
        { 0x23F3, 0x23F3 },
        { 0x25FD, 0x25FE },
        { 0x2614, 0x2615 },
        { 0x2648, 0x2653 },
        { 0x267F, 0x267F },
        { 0x2693, 0x2693 },
        { 0x26A1, 0x26A1 },
        { 0x26AA, 0x26AB },
        { 0x26BD, 0x26BE },
        { 0x26C4, 0x26C5 },
        { 0x26CE, 0x26CE },
        { 0x26D4, 0x26D4 },
        { 0x26EA, 0x26EA },
        { 0x26F2, 0x26F3 },
        { 0x26F5, 0x26F5 },
        { 0x26FA, 0x26FA },
        { 0x26FD, 0x26FD },
        { 0x2705, 0x2705 },
        { 0x270A, 0x270B },
        { 0x2728, 0x2728 },
        { 0x274C, 0x274C },
        { 0x274E, 0x274E },
        { 0x2753, 0x2755 },
        { 0x2757, 0x2757 },
        { 0x2795, 0x2797 },
        { 0x27B0, 0x27B0 },
        { 0x27BF, 0x27BF },
        { 0x2B1B, 0x2B1C },
        { 0x2B50, 0x2B50 },
        { 0x2B55, 0x2B55 },
        { 0x2E80, 0x303E },   /* CJK radicals, Kangxi radicals, CJK symbols and punctuation */
        { 0x3041, 0x33FF },   /* Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo,
                               * Kanbun, CJK strokes, enclosed CJK, CJK compatibility */
        { 0x3400, 0x4DBF },   /* CJK Unified Ideographs Extension A */
        { 0x4E00, 0x9FFF },   /* CJK Unified Ideographs */
        { 0xA000, 0xA4CF },   /* Yi */
        { 0xA960, 0xA97F },   /* Hangul Jamo Extended-A */
        { 0xAC00, 0xD7A3 },   /* Hangul syllables */
        { 0xF900, 0xFAFF },   /* CJK compatibility ideographs */
        { 0xFE10, 0xFE19 },   /* vertical forms */
        { 0xFE30, 0xFE6F },   /* CJK compatibility forms, small form variants */
        { 0xFF00, 0xFF60 },   /* fullwidth forms */
        { 0xFFE0, 0xFFE6 },   /* fullwidth signs */
        { 0x16FE0, 0x16FE4 },
        { 0x17000, 0x18CFF }, /* Tangut, Khitan */
        { 0x1AFF0, 0x1B2FF }, /* Kana supplement and extensions, Nushu */
        { 0x1F004, 0x1F004 },
        { 0x1F0CF, 0x1F0CF },
        { 0x1F18E, 0x1F18E },
        { 0x1F191, 0x1F19A },
        { 0x1F200, 0x1F251 }, /* enclosed ideographic supplement */
        { 0x1F260, 0x1F265 },
        { 0x1F300, 0x1F64F }, /* pictographs, emoticons */
        { 0x1F680, 0x1F6FF }, /* transport and map symbols */
        { 0x1F7E0, 0x1F7EB },
        { 0x1F90C, 0x1F9FF }, /* supplemental symbols and pictographs */
        { 0x1FA70, 0x1FAFF },
        { 0x20000, 0x2FFFD }, /* CJK Unified Ideographs Extensions B–F, compatibility supplement */
        { 0x30000, 0x3FFFD }, /* CJK Unified Ideographs Extensions G, H */
};

static bool range_contains(const UnicharRange *ranges, size_t n, uint32_t c) {
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (c < ranges[mid].first)
                        hi = mid;
                else if (c > ranges[mid].last)
                        lo = mid + 1;
                else
                        return true;
        }
        return false;
}

int unichar_width(uint32_t c) {
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
                return 0;
        if (c < 0x300)
                return 1;
        if (range_contains(zero_width_ranges, ELEMENTSOF(zero_width_ranges), c))
                return 0;
        if (range_contains(wide_ranges, ELEMENTSOF(wide_ranges), c))
                return 2;
        return 1;
}

/* Decodes one strictly valid UTF-8 sequence (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Returns its length, or 0 if s does not start one. */
static size_t utf8_decode(const unsigned char *s, uint32_t *ret) {
        uint32_t c, min;
        size_t len;

        if (s[0] < 0x80) {
                *ret = s[0];
                return 1;
        }
        if ((s[0] & 0xE0) == 0xC0) {
                len = 2;
                c = s[0] & 0x1F;
                min = 0x80;
        } else if ((s[0] & 0xF0) == 0xE0) {
                len = 3;
                c = s[0] & 0x0F;
                min = 0x800;
        } else if ((s[0] & 0xF8) == 0xF0) {
                len = 4;
                c = s[0] & 0x07;
                min = 0x10000;
        } else
                return 0;

        /* A NUL byte fails the continuation test, so this never reads past the terminator. */
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xC0) != 0x80)
                        return 0;
                c = (c << 6) | (s[i] & 0x3F);
        }

        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
                return 0;

        *ret = c;
        return len;
}

size_t utf8_width(const char *s) {
        const unsigned char *p = (const unsigned char *) s;
        size_t width = 0;

        if (!s)
                return 0;

        while (*p) {
                uint32_t c;
                size_t n = utf8_decode(p, &c);

                if (n == 0) {
                        width++;
                        p++;
                        continue;
                }
                width += (size_t) unichar_width(c);
                p += n;
        }
        return width;
}

char *text_escape(const char *s) {
        const unsigned char *p = (const unsigned char *) s;
        char *buf, *q;

        if (!s)
                return NULL;

        /* At most 6 bytes of output per input byte ("\xNN" for 1, "\u0085" for 2). */
        buf = malloc(strlen(s) * 6 + 1);
        if (!buf)
                return NULL;
        q = buf;

        while (*p) {
                uint32_t c;
                size_t n = utf8_decode(p, &c);

                if (n == 0) {
                        q += sprintf(q, "\\x%02x", *p);
                        p++;
                        continue;
                }
                if (c == '\\') {
                        *q++ = '\\';
                        *q++ = '\\';
                } else if (!unichar_is_control(c)) {
                        memcpy(q, p, n);
                        q += n;
                } else
                        switch (c) {
                        case '\a': q = stpcpy(q, "\\a"); break;
                        case '\b': q = stpcpy(q, "\\b"); break;
                        case '\t': q = stpcpy(q, "\\t"); break;
                        case '\n': q = stpcpy(q, "\\n"); break;
                        case '\v': q = stpcpy(q, "\\v"); break;
                        case '\f': q = stpcpy(q, "\\f"); break;
                        case '\r': q = stpcpy(q, "\\r"); break;
                        default:
                                q += c < 0x80 ? sprintf(q, "\\x%02x", (unsigned) c) : sprintf(q, "\\u%04x", (unsigned) c);
                                break;
                        }
                p += n;
        }
        *q = '\0';
        return buf;
}

int fputs_escaped(const char *s, FILE *f) {
        _cleanup_free_ char *e = NULL;

        if (!s)
                return 0;
        e = text_escape(s);
        if (!e)
                return -ENOMEM;
        return fputs(e, f) < 0 ? -EIO : 0;
}

struct Table {
        size_t n_columns;
        char **headers;         /* n_columns, or NULL */
        TableAlign *align;      /* n_columns */
        char *separator;
        char **cells;           /* row-major, n_rows * n_columns */
        size_t n_rows;
        size_t n_rows_allocated;
};

int table_new(size_t n_columns, const char *const *headers, Table **ret) {
        _cleanup_(table_freep) Table *t = NULL;

        if (n_columns == 0 || n_columns > TABLE_COLUMNS_MAX || !ret)
                return -EINVAL;

        t = calloc(1, sizeof(Table));
        if (!t)
                return -ENOMEM;
        t->n_columns = n_columns;

        t->align = calloc(n_columns, sizeof(TableAlign));
        t->separator = strdup(TABLE_SEPARATOR_DEFAULT);
        if (!t->align || !t->separator)
                return -ENOMEM;

        if (headers) {
                t->headers = calloc(n_columns, sizeof(char *));
                if (!t->headers)
                        return -ENOMEM;
                for (size_t i = 0; i < n_columns; i++) {
                        t->headers[i] = strdup(strempty(headers[i]));
                        if (!t->headers[i])
                                return -ENOMEM;
                }
        }

        *ret = TAKE_PTR(t);
        return 0;
}

int table_new_pairs(Table **ret) {
        _cleanup_(table_freep) Table *t = NULL;
        int r;

        if (!ret)
                return -EINVAL;

        r = table_new(2, NULL, &t);
        if (r < 0)
                return r;
        r = table_set_align(t, 0, TABLE_ALIGN_RIGHT);
        if (r < 0)
                return r;
        r = table_set_separator(t, ": ");
        if (r < 0)
                return r;

        *ret = TAKE_PTR(t);
        return 0;
}

Table *table_free(Table *t) {
        if (!t)
                return NULL;

        if (t->headers)
                for (size_t i = 0; i < t->n_columns; i++)
                        free(t->headers[i]);
        free(t->headers);
        for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
                free(t->cells[i]);
        free(t->cells);
        free(t->align);
        free(t->separator);
        free(t);
        return NULL;
}

int table_set_align(Table *t, size_t column, TableAlign align) {
        if (!t || column >= t->n_columns || align < 0 || align >= _TABLE_ALIGN_MAX)
                return -EINVAL;

        t->align[column] = align;
        return 0;
}

int table_set_separator(Table *t, const char *separator) {
        char *s;

        if (!t || !separator)
                return -EINVAL;

        s = strdup(separator);
        if (!s)
                return -ENOMEM;
        free(t->separator);
        t->separator = s;
        return 0;
}

int table_add_row(Table *t, const char *const *cells) {
        _cleanup_free_ char **row = NULL;

        if (!t || !cells)
                return -EINVAL;

        if (t->n_rows == t->n_rows_allocated) {
                size_t n = t->n_rows_allocated ? t->n_rows_allocated * 2 : 8;
                char **c;

                if (n > SIZE_MAX / sizeof(char *) / t->n_columns)
                        return -ENOMEM;
                c = realloc(t->cells, n * t->n_columns * sizeof(char *));
                if (!c)
                        return -ENOMEM;
                t->cells = c;
                t->n_rows_allocated = n;
        }

        row = calloc(t->n_columns, sizeof(char *));
        if (!row)
                return -ENOMEM;
        for (size_t i = 0; i < t->n_columns; i++) {
                row[i] = text_escape(strempty(cells[i]));
                if (!row[i]) {
                        for (size_t j = 0; j < i; j++)
                                free(row[j]);
                        return -ENOMEM;
                }
        }

        memcpy(t->cells + t->n_rows * t->n_columns, row, t->n_columns * sizeof(char *));
        t->n_rows++;
        return 0;
}

int table_add_pair(Table *t, const char *key, const char *value_format, ...) {
        _cleanup_free_ char *value = NULL;
        va_list ap;
        int r;

        if (!t || t->n_columns != 2 || !value_format)
                return -EINVAL;

        va_start(ap, value_format);
        r = vasprintf(&value, value_format, ap);
        va_end(ap);
        if (r < 0) {
                value = NULL;
                return -ENOMEM;
        }

        return table_add_row(t, (const char *const[]) { key, value });
}

size_t table_n_rows(const Table *t) {
        return t ? t->n_rows : 0;
}

static const char *table_cell(const Table *t, size_t row, size_t column) {
        return t->cells[row * t->n_columns + column];
}

static void print_spaces(FILE *f, size_t n) {
        for (size_t i = 0; i < n; i++)
                fputc(' ', f);
}

static void table_print_line(const Table *t, FILE *f, const char *const *cells, const size_t *widths) {
        size_t end = t->n_columns;

        /* Empty left-aligned cells at the end of a line print nothing, not even their padding. */
        while (end > 1 && isempty(cells[end - 1]) && t->align[end - 1] == TABLE_ALIGN_LEFT)
                end--;

        for (size_t i = 0; i < end; i++) {
                size_t w = utf8_width(cells[i]);
                size_t pad = widths[i] > w ? widths[i] - w : 0;
                bool last = i + 1 == end;

                if (i > 0)
                        fputs(t->separator, f);

                switch (t->align[i]) {
                case TABLE_ALIGN_LEFT:
                        fputs(cells[i], f);
                        if (!last)
                                print_spaces(f, pad);
                        break;
                case TABLE_ALIGN_RIGHT:
                        print_spaces(f, pad);
                        fputs(cells[i], f);
                        break;
                case _TABLE_ALIGN_MAX:
                case _TABLE_ALIGN_INVALID:
                        fputs(cells[i], f);
                        break;
                }
        }
        fputc('\n', f);
}

int table_print(const Table *t, FILE *f) {
        _cleanup_free_ size_t *widths = NULL;

        if (!t || !f)
                return -EINVAL;

        widths = calloc(t->n_columns, sizeof(size_t));
        if (!widths)
                return -ENOMEM;

        for (size_t i = 0; i < t->n_columns; i++) {
                if (t->headers)
                        widths[i] = utf8_width(t->headers[i]);
                for (size_t row = 0; row < t->n_rows; row++) {
                        size_t w = utf8_width(table_cell(t, row, i));

                        if (w > widths[i])
                                widths[i] = w;
                }
        }

        if (t->headers)
                table_print_line(t, f, (const char *const *) t->headers, widths);
        for (size_t row = 0; row < t->n_rows; row++)
                table_print_line(t, f, (const char *const *) t->cells + row * t->n_columns, widths);

        return ferror(f) ? -EIO : 0;
}

int output_json(FILE *f, json_t *v) {
        _cleanup_free_ char *text = NULL;
        const unsigned char *p;

        if (!f || !v)
                return -EINVAL;

        text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        if (!text)
                return -ENOMEM;

        /* jansson escapes the C0 controls inside strings but keeps DEL, the C1 controls and the bidi
         * overrides as they are, which a terminal acts on. They can only be inside strings, where
         * \uNNNN means the same character: written so, the document is unchanged for a parser and
         * inert on a terminal. (The newlines and spaces of the indentation are below U+007F.) */
        p = (const unsigned char *) text;
        while (*p) {
                uint32_t c;
                size_t n = utf8_decode(p, &c);

                if (n > 0 && c >= 0x7F && unichar_is_control(c))
                        fprintf(f, "\\u%04x", (unsigned) c);
                else if (n == 0) {
                        /* jansson writes valid UTF-8 only; should a byte not be, it is not sent raw. */
                        fputc('?', f);
                        n = 1;
                } else
                        fwrite(p, 1, n, f);
                p += n;
        }
        if (fputc('\n', f) == EOF || ferror(f))
                return -EIO;
        return 0;
}
