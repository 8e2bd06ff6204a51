/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Who is calling and what they may do. Identity comes from SO_PEERCRED only: the peer uid maps to
 * a person of the configuration (by uid, else by user name); root is admin; anyone else is a guest.
 * The access table below is the one place that decides which method each level may call. */

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

typedef enum Access {
        ACCESS_GUEST,     /* unknown uid: may read status only */
        ACCESS_MEMBER,    /* a person of the office */
        ACCESS_APPROVER,  /* a person with the approver role */
        ACCESS_ADMIN,     /* a person with the admin role */
        ACCESS_ROOT,      /* uid 0 */
        _ACCESS_MAX,
        _ACCESS_INVALID = -EINVAL,
} Access;

const char *access_to_string(Access a);
Access access_from_string(const char *s);

#define AUTH_USER_MAX 64

typedef struct Identity {
        uid_t uid;
        char user[AUTH_USER_MAX];   /* "" if the system has no name for the uid */
        const Person *person;       /* NULL for guests and for root without a person entry */
        Access access;
} Identity;

/* Pure: maps uid (and its user name, may be NULL) to an identity under config c. */
Identity auth_identify(const Config *c, uid_t uid, const char *user);
/* Edge: looks the user name up in the system's user database first. */
Identity auth_identify_peer(const Config *c, uid_t uid);

/* The least access level a method needs, or _ACCESS_INVALID for a method not in the table (which
 * is then refused). method is the bare name within io.dutyd.Duty, or a full org.varlink.service.*
 * name. */
Access auth_method_access(const char *method);
bool auth_allowed(const Identity *id, const char *method);
