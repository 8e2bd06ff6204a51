/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Views and exports of the roster: an io.dutyd.Duty.RosterShow reply rendered as a terminal
 * table, JSON, CSV for spreadsheets, an iCalendar feed and a printable A4 page. Everything here
 * works on the reply alone, so it can be tested without a daemon. */

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

typedef enum ExportFormat {
        EXPORT_FORMAT_TABLE,
        EXPORT_FORMAT_JSON,
        EXPORT_FORMAT_CSV,
        EXPORT_FORMAT_ICS,
        EXPORT_FORMAT_HTML,
        EXPORT_FORMAT_CSV_LONG,         /* one row per person and duty */
        EXPORT_FORMAT_CSV_COUNTS,       /* duties per person and kind of day (值班补贴) */
        _EXPORT_FORMAT_MAX,
        _EXPORT_FORMAT_INVALID = -EINVAL,
} ExportFormat;

const char *export_format_to_string(ExportFormat f);
ExportFormat export_format_from_string(const char *s) _pure_;

typedef struct ExportOptions {
        /* The moment of the export, µs since the epoch: the DTSTAMP of iCalendar events. */
        uint64_t now_usec;
        /* The person the reply was filtered to, if any: a day without any of their duties is left
         * out instead of being shown as not scheduled, and the feed is named after them. The CSV
         * formats take the whole roster and keep that person's rows, so that each row can name
         * the leader and the colleagues of the duty. */
        const char *person;
        /* Do not take VTIMEZONE definitions from the system's time zone database, only from the
         * built-in fixed-offset zones (what an export falls back to without tzdata). */
        bool no_tzdata;
} ExportOptions;

/* Writes the reply (borrowed) in format to f. -EBADMSG if the reply does not have the shape the
 * interface declares; -ENOENT (ics only) if the time zone is unknown here; -EIO if writing failed. */
int export_roster(FILE *f, ExportFormat format, json_t *reply, const ExportOptions *options);

/* The same into a new buffer (*ret_data, NUL-terminated, owned by the caller; *ret_size bytes). */
int export_roster_to_buffer(ExportFormat format, json_t *reply, const ExportOptions *options,
                            char **ret_data, size_t *ret_size);

/* Writes data to path atomically: into a temporary file beside it, then renamed over it, so a
 * failed write never leaves a partial file. The file gets mode 0644. */
int export_write_file(const char *path, const void *data, size_t size);
/* Writes data into the file `output`, or to standard output for NULL or "-" (-EIO if that fails).
 * ret_file (optional) tells where a failure was: true for the file, false for standard output. */
int export_output(const char *output, const void *data, size_t size, bool *ret_file);

/* A text written in memory: open with memstream_open(), write to its FILE, and memstream_finish()
 * with the writer's result, which closes it and hands the text over (r >= 0) or frees it. */
typedef struct MemStream {
        char *buf;
        size_t size;
        FILE *f;
} MemStream;
FILE *memstream_open(MemStream *m);
/* 0, the writer's failure r, -ENOMEM if the text could not be completed, or -EINVAL without ret;
 * ret_size is optional. */
int memstream_finish(MemStream *m, int r, char **ret, size_t *ret_size);

/* What the other printed documents (the duty log, export-log.c) share with the roster's: a CSV
 * field (text: kept as typed, as phone numbers are, never read as a number or a formula) and the
 * end of a record, HTML escaping and the A4 style sheet. */
void export_csv_field(FILE *f, const char *s, bool text);
void export_csv_end(FILE *f);
/* The byte order mark and the header record a spreadsheet opens as UTF-8. */
void export_csv_header(FILE *f, const char *const *header, size_t n);
void export_html_escape(FILE *f, const char *s);
const char *export_html_style_get(void);

/* The printable daily log (值班记录) of one duty day: the LogList reply (borrowed) with the
 * RosterShow reply of that day (for the office, its phone, the handover and who was on duty), as
 * EXPORT_FORMAT_HTML (one A4 page for a typical day, in Chinese, with lines to sign) or
 * EXPORT_FORMAT_CSV (one row per entry). -EOPNOTSUPP for another format, -EBADMSG if a reply does
 * not have the shape the interface declares, -EIO if writing failed. */
int export_log(FILE *f, ExportFormat format, json_t *log, json_t *roster, const ExportOptions *options);
int export_log_to_buffer(ExportFormat format, json_t *log, json_t *roster, const ExportOptions *options,
                         char **ret_data, size_t *ret_size);
