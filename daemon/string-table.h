/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Enum ↔ string conversion from one table, after systemd's src/basic/string-table.h.
 *
 * An enum Foo with FOO_A, …, _FOO_MAX and _FOO_INVALID (a negative errno) gets its words from one
 * designated-initializer table, `static const char *const foo_table[_FOO_MAX]`, and
 *
 *     DEFINE_STRING_TABLE_LOOKUP(foo, Foo);
 *
 * defines foo_to_string() (NULL for a value out of range) and foo_from_string() (_FOO_INVALID for
 * NULL or an unknown word). Conversions that accept aliases or translate are written by hand beside
 * the table instead. */

#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "util.h"

/* The index of s in table (entries may be NULL), or -EINVAL. */
static inline ssize_t string_table_lookup(const char *const *table, size_t len, const char *key) {
        if (!key)
                return -EINVAL;
        for (size_t i = 0; i < len; i++)
                if (table[i] && streq(table[i], key))
                        return (ssize_t) i;
        return -EINVAL;
}

#define _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, scope)                \
        scope const char *name##_to_string(type i) {                           \
                if ((size_t) i >= ELEMENTSOF(name##_table))                    \
                        return NULL;                                           \
                return name##_table[i];                                        \
        }

/* Every enum here has _X_INVALID = -EINVAL, which string_table_lookup() returns for a miss. */
#define _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, scope)                       \
        scope type name##_from_string(const char *s) {                                  \
                return (type) string_table_lookup(name##_table, ELEMENTSOF(name##_table), s); \
        }

#define DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type) \
        _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, )
#define DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type) \
        _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, )
#define DEFINE_STRING_TABLE_LOOKUP(name, type)                 \
        _DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type, )    \
        _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, )
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(name, type) \
        _DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name, type, static)
