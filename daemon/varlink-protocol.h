/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What both ends of a Varlink connection share: the message size limit, the standard error names,
 * the NUL framer, the socket address and the interface definition (IDL). Nothing here needs sd-event
 * or the server, so that dutyctl builds on it alone (varlink.h has the whole picture). */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "util.h"

#define VARLINK_MESSAGE_SIZE_MAX   (1024u * 1024u)   /* one message, bytes, NUL excluded */

#define VARLINK_ERROR_METHOD_NOT_FOUND       "org.varlink.service.MethodNotFound"
#define VARLINK_ERROR_INTERFACE_NOT_FOUND    "org.varlink.service.InterfaceNotFound"
#define VARLINK_ERROR_INVALID_PARAMETER      "org.varlink.service.InvalidParameter"
#define VARLINK_ERROR_METHOD_NOT_IMPLEMENTED "org.varlink.service.MethodNotImplemented"
#define VARLINK_ERROR_EXPECTED_MORE          "org.varlink.service.ExpectedMore"

/* ---- Framer (pure) ---- */

typedef struct VarlinkFramer {
        char *buf;
        size_t size;    /* allocated */
        size_t used;    /* bytes held */
        size_t start;   /* start of the first unconsumed byte */
        size_t scanned; /* bytes before this offset hold no NUL */
        size_t max;     /* message size limit */
} VarlinkFramer;

void varlink_framer_init(VarlinkFramer *f, size_t max_message);
void varlink_framer_done(VarlinkFramer *f);
/* Returns a pointer/length where up to *ret_size bytes may be written (read() target), growing
 * the buffer as needed; follow with varlink_framer_advance(). */
int varlink_framer_space(VarlinkFramer *f, char **ret_ptr, size_t *ret_size);
void varlink_framer_advance(VarlinkFramer *f, size_t n);
/* Convenience: copies data in. */
int varlink_framer_feed(VarlinkFramer *f, const void *data, size_t n);
/* Next complete message: returns 1 and a NUL-terminated pointer valid until the next call into the
 * framer; 0 if none is complete yet; -EMSGSIZE if the pending message exceeds the limit. */
int varlink_framer_next(VarlinkFramer *f, const char **ret_message, size_t *ret_length);
/* Whether varlink_framer_next() would return non-zero (a message, or -EMSGSIZE) without more input;
 * consumes nothing, and searches each byte once (like varlink_framer_next()). */
bool varlink_framer_has_next(VarlinkFramer *f);

/* ---- Encoding ---- */

/* The bytes of json_dumps(v, JSON_COMPACT), written faster (varlink-json.c): a NUL-terminated text
 * in *ret (free()) and its length without the NUL. -EINVAL for a string that is not UTF-8, -ELOOP for
 * a tree deeper than any message, -ENOMEM. */
int varlink_json_encode(const json_t *v, char **ret, size_t *ret_length);

/* ---- Interface definition ---- */

typedef struct VarlinkIdl VarlinkIdl;

/* Parses the text of a .varlink file. On error returns -EINVAL and, if ret_error, a message with the
 * line number. */
int varlink_idl_parse(const char *text, VarlinkIdl **ret, char **ret_error);
VarlinkIdl *varlink_idl_free(VarlinkIdl *idl);
DEFINE_POINTER_CLEANUP(VarlinkIdl, varlink_idl_free)
const char *varlink_idl_name(const VarlinkIdl *idl);        /* "io.dutyd.Duty" */
const char *varlink_idl_text(const VarlinkIdl *idl);        /* the full description */
bool varlink_idl_has_method(const VarlinkIdl *idl, const char *method); /* bare name, e.g. "Status" */
size_t varlink_idl_n_methods(const VarlinkIdl *idl);
const char *varlink_idl_method_name(const VarlinkIdl *idl, size_t i);
/* Checks params (an object, or NULL for none) against the method's input type. Returns 0 if valid;
 * -ENOENT if the method is not declared; otherwise -EINVAL with *ret_parameter naming the top-level
 * parameter at fault (static, owned by idl, or, for an unknown parameter, owned by params), e.g.
 * "leave" when "leave.start" is wrong. Unknown parameters are refused too, and so is any string
 * holding a control character or bidirectional override (unichar_is_control()). */
int varlink_idl_validate_input(const VarlinkIdl *idl, const char *method, json_t *params, const char **ret_parameter);
/* Same check for a reply (used by tests to hold the daemon to its own interface). */
int varlink_idl_validate_output(const VarlinkIdl *idl, const char *method, json_t *params, const char **ret_parameter);
/* The same checks, naming the offending member by its full path ("leave.start", "people[2].id"; map
 * entries as "name.key"): -EINVAL with *ret_path (owned by the caller) when params do not match;
 * -ENOENT if the method (or error) is not declared. */
int varlink_idl_validate_full(const VarlinkIdl *idl, const char *method, bool output, json_t *params, char **ret_path);
int varlink_idl_validate_error(const VarlinkIdl *idl, const char *error, json_t *params, char **ret_path);
bool varlink_idl_has_error(const VarlinkIdl *idl, const char *error); /* bare name, e.g. "Failed" */
/* Every type, method and error, and every field of them (method input and output included, and the
 * fields of anonymous structs), must have a comment on the line directly above it. Returns 0, or
 * -EBADMSG and *ret_missing listing what lacks one ("line 12: Person.id; …"). */
int varlink_idl_check_documented(const VarlinkIdl *idl, char **ret_missing);

/* ---- Socket address ---- */

typedef union SocketAddressUnix {
        struct sockaddr sa;
        struct sockaddr_un un;
} SocketAddressUnix;

/* The address of the socket at path, and its length; -EINVAL for an empty path, -ENAMETOOLONG. */
int sockaddr_un_from_path(const char *path, SocketAddressUnix *ret, socklen_t *ret_len);
