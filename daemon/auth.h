/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Who is calling and what they may do. Identity comes from SO_PEERCRED only: the peer uid maps to
 * a person of the configuration (by uid, else by user name); root is admin; anyone else is a guest.
 * Which level may call which method is the method table's (api-methods.c). */

#include <stdbool.h>
#include <stdint.h>
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

/* User names of peer uids, remembered for a short while: the user database is a file read from its
 * start on each lookup, about half of what answering Status cost dutyd (tests/bench). A name is
 * looked up again once it is AUTH_NAME_CACHE_USEC old, so a renamed or removed account takes effect
 * within that time; a failed lookup is not remembered. */
#define AUTH_NAME_CACHE_SIZE 16u
#define AUTH_NAME_CACHE_USEC (10u * 1000000u)

typedef struct AuthNameEntry {
        uid_t uid;
        bool known;                 /* the system has a name for the uid */
        char user[AUTH_USER_MAX];
        uint64_t looked_up_usec;    /* caller's monotonic clock; 0: unused entry */
        /* The identity the name gave under config (auth_identify() is a function of the config,
         * the uid and the name): finding the person is a scan of every person by uid, then by
         * name, on each call otherwise. NULL: not resolved yet, or the config was replaced. */
        const Config *config;
        const Person *person;
        Access access;
} AuthNameEntry;

typedef struct AuthNameCache {
        AuthNameEntry entries[AUTH_NAME_CACHE_SIZE];
        size_t next;                /* the entry a new uid replaces */
} AuthNameCache;

/* Edge: auth_identify_peer() with the name from the cache when it was looked up less than
 * AUTH_NAME_CACHE_USEC before now_usec (any monotonic clock, the same for every call). */
Identity auth_identify_peer_cached(AuthNameCache *cache, const Config *c, uid_t uid, uint64_t now_usec);
/* The configuration the cache resolved identities under is going away (a reload): its people are
 * looked up again in the next one. */
void auth_name_cache_forget_config(AuthNameCache *cache);
