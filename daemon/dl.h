/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Libraries loaded when first needed (dlopen(3)) rather than at exec: libcurl for the webhooks and
 * mail of notify-send.c, libical for the iCalendar of ics.c. Each brings a tree of its own (TLS,
 * Kerberos, LDAP and SSH for libcurl; ICU and the C++ runtime for libical): linked, they cost every
 * start of dutyd and of dutyctl about 8 ms of the dynamic loader's time and dutyd 10 MiB of mapped
 * pages, whether or not the office sends a notification or writes a feed.
 *
 * The caller owns a table of function pointers, one member per symbol, and lists where each goes.
 * Nothing here is kept between calls: the caller holds the handle as long as it uses the table. */

#include <stddef.h>

typedef struct DlSymbol {
        const char *name;       /* as the library exports it */
        size_t offset;          /* of its member in the caller's table (offsetof) */
} DlSymbol;

/* Opens soname and resolves every symbol into table. 0 with *ret_handle set; or -ELIBACC, with the
 * reason in *ret_error (dlerror()'s words: the file is missing, or which symbol it lacks), nothing
 * kept open and the table not to be used. */
int dl_load(const char *soname, const DlSymbol *symbols, size_t n_symbols, void *table, void **ret_handle,
            char **ret_error);
/* Drops what dl_load() opened (NULL is fine); the library itself stays mapped (RTLD_NODELETE). */
void dl_unload(void *handle);
