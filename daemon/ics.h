/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The roster as iCalendar (RFC 5545): the one renderer behind `dutyctl roster show --format ics`
 * and dutyd's calendar feeds (feed.h). It reads an io.dutyd.Duty.RosterShow reply, the form both
 * programs hold, and writes one event per duty of a person: from the handover of its day to the
 * next handover in the office's time zone (with its VTIMEZONE), the post, the person's phone, the
 * colleagues of the same duty and the duty room's phone, the configured reminder as a VALARM.
 *
 * It lives in libdutyd-ics (the core, jansson and libical's headers), which both dutyctl and dutyd
 * link: the core takes no library, and the protocol library does not need libical. libical itself
 * (LIBICAL_SONAME) is loaded by the first call that needs it (dl.h) and stays; each call after
 * finds it loaded. Where it cannot be loaded, those calls answer -ELIBACC. */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A feed read back for its events' SEQUENCE and LAST-MODIFIED is at most this big; a bigger one
 * is taken for no previous feed (its events start again at SEQUENCE 0). */
#define ICS_PREVIOUS_MAX (32U * 1024U * 1024U)

/* Hex digits of an event's content hash (X-DUTYD-HASH): enough to tell a change, short to read. */
#define ICS_HASH_LEN 16

typedef struct IcsOptions {
        /* The moment of the rendering, µs since the epoch: an event's LAST-MODIFIED and DTSTAMP
         * when it is new or changed. */
        uint64_t now_usec;
        /* Only this person's duties (their colleagues are still named from the whole day); NULL:
         * everybody's. The calendar is named after them. */
        const char *person;
        /* Do not take VTIMEZONE definitions from the system's time zone database, only from the
         * built-in fixed-offset zones (what a feed falls back to without tzdata). */
        bool no_tzdata;
        /* Leave out days the reply shows no published version for: a subscribed calendar shows
         * what was published (and amended), never a draft. */
        bool published_only;
        /* No phone number of anybody, the duty room's included. */
        bool hide_phones;
        /* The same feed as written last time, or NULL: an event whose content is unchanged keeps
         * its SEQUENCE, LAST-MODIFIED and DTSTAMP (so that an unchanged roster renders the same
         * bytes), a changed one gets SEQUENCE + 1 and now. */
        const char *previous;
        size_t previous_size;
} IcsOptions;

/* Renders the reply (borrowed) into a new NUL-terminated buffer (*ret_data, owned by the caller;
 * *ret_size bytes). -EBADMSG if the reply does not have the shape the interface declares; -ENOENT
 * if its time zone is unknown here; -ELIBACC if libical cannot be loaded. */
int ics_render(json_t *reply, const IcsOptions *options, char **ret_data, size_t *ret_size);

/* The date (year, month 1–12, day) at usec µs since the epoch in zone tzid, as libical's zones
 * know it (UTC for a zone it does not know): what a printed roster's date of issue says. */
int ics_local_date(const char *tzid, uint64_t usec, int *ret_year, int *ret_month, int *ret_day);

/* Loads libical (it stays): 0, or -ELIBACC and the reason in *ret_error (the loader's words: the
 * file is missing, or which function it lacks). */
int ics_library_load(char **ret_error);

/* Writes data to path atomically: into a temporary file in the same directory, fsync()ed, renamed
 * over path, then the directory fsync()ed, so that a reader sees the old file or the new one,
 * whole, and a crash leaves one of them. The file gets mode. */
int ics_file_write_atomic(const char *path, const void *data, size_t size, unsigned mode);
