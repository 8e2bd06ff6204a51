/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Terminal output of dutyctl: text measured in terminal cells (CJK-aware, independent of the
 * locale), aligned tables, key/value lists and JSON. */

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "i18n.h"
#include "util.h"

/* Terminal cells taken by one code point: 0 for combining marks, zero-width and control
 * characters, 2 for East Asian Wide and Fullwidth characters, 1 otherwise. */
int unichar_width(uint32_t c) _pure_;
/* Terminal cells taken by a UTF-8 string. A byte that does not start a valid sequence counts as
 * one cell, as terminals show it as one replacement character. */
size_t utf8_width(const char *s) _pure_;

/* s with every control character, bidirectional override and invalid UTF-8 byte written out as
 * systemd's cescape() does: \a \b \t \n \v \f \r and \\ by name, other bytes below U+0080 and
 * invalid bytes as \xNN, C1 controls and bidirectional marks as \uNNNN (see unichar_is_control()).
 * Everything else, CJK included, is kept. NULL for NULL or on allocation failure. */
char *text_escape(const char *s);
/* Prints s escaped as by text_escape(); s NULL prints nothing. */
int fputs_escaped(const char *s, FILE *f);

typedef enum TableAlign {
        TABLE_ALIGN_LEFT,
        TABLE_ALIGN_RIGHT,
        _TABLE_ALIGN_MAX,
        _TABLE_ALIGN_INVALID = -EINVAL,
} TableAlign;

#define TABLE_COLUMNS_MAX 64u
#define TABLE_SEPARATOR_DEFAULT "  "

typedef struct Table Table;

/* headers: n_columns strings, or NULL for a table without a header line. */
int table_new(size_t n_columns, const char *const *headers, Table **ret);
/* A two-column key/value list: keys right-aligned, then ": ", then the value. */
int table_new_pairs(Table **ret);
Table *table_free(Table *t);
DEFINE_POINTER_CLEANUP(Table, table_free)

int table_set_align(Table *t, size_t column, TableAlign align);
/* The separator printed between columns (copied). */
int table_set_separator(Table *t, const char *separator);
/* cells: n_columns strings (copied, escaped by text_escape(): they hold what the daemon sent);
 * a NULL cell prints as empty. */
int table_add_row(Table *t, const char *const *cells);
/* For two-column tables. */
int table_add_pair(Table *t, const char *key, const char *value_format, ...) _printf_(3, 4);
size_t table_n_rows(const Table *t);
/* Every column padded with spaces to its widest cell (in terminal cells); the last column is not
 * padded when left-aligned, so lines carry no trailing blanks. */
int table_print(const Table *t, FILE *f);

/* The JSON value indented by two spaces, UTF-8 kept as is (but DEL, C1 controls and bidi overrides
 * written as \uNNNN escapes), followed by a newline. */
int output_json(FILE *f, json_t *v);
