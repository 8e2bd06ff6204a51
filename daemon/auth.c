/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>
#include <stdio.h>

#include "auth.h"
#include "string-table.h"

static const char *const access_table[_ACCESS_MAX] = {
        [ACCESS_GUEST] = "guest",
        [ACCESS_MEMBER] = "member",
        [ACCESS_APPROVER] = "approver",
        [ACCESS_ADMIN] = "admin",
        [ACCESS_ROOT] = "root",
};

DEFINE_STRING_TABLE_LOOKUP(access, Access);

Identity auth_identify(const Config *c, uid_t uid, const char *user) {
        Identity id = {
                .uid = uid,
                .access = ACCESS_GUEST,
        };

        if (user)
                snprintf(id.user, sizeof(id.user), "%s", user);

        id.person = config_find_person_by_uid(c, uid);
        if (!id.person && user)
                id.person = config_find_person_by_user(c, user);

        if (id.person) {
                if (person_has_role(id.person, ROLE_ADMIN))
                        id.access = ACCESS_ADMIN;
                else if (person_has_role(id.person, ROLE_APPROVER))
                        id.access = ACCESS_APPROVER;
                else
                        id.access = ACCESS_MEMBER;
        }

        /* root administers the daemon whether or not it is also a person of the office. */
        if (uid == 0)
                id.access = ACCESS_ROOT;

        return id;
}

Identity auth_identify_peer(const Config *c, uid_t uid) {
        struct passwd pw, *result = NULL;
        char buf[4096];

        if (getpwuid_r(uid, &pw, buf, sizeof(buf), &result) != 0 || !result)
                return auth_identify(c, uid, NULL);
        return auth_identify(c, uid, result->pw_name);
}

Identity auth_identify_peer_cached(AuthNameCache *cache, const Config *c, uid_t uid, uint64_t now_usec) {
        struct passwd pw, *result = NULL;
        AuthNameEntry *e = NULL;
        char buf[4096];
        int r;

        for (size_t i = 0; i < AUTH_NAME_CACHE_SIZE; i++)
                if (cache->entries[i].looked_up_usec != 0 && cache->entries[i].uid == uid) {
                        e = &cache->entries[i];
                        break;
                }
        if (e && now_usec >= e->looked_up_usec && now_usec - e->looked_up_usec < AUTH_NAME_CACHE_USEC) {
                Identity id;

                if (c && e->config == c) {
                        id = (Identity) {
                                .uid = uid,
                                .person = e->person,
                                .access = e->access,
                        };
                        if (e->known)
                                strcpy(id.user, e->user);
                        return id;
                }
                id = auth_identify(c, uid, e->known ? e->user : NULL);
                e->config = c;
                e->person = id.person;
                e->access = id.access;
                return id;
        }

        r = getpwuid_r(uid, &pw, buf, sizeof(buf), &result);
        /* Remember only a clear answer, with a name that fits whole. */
        if (r == 0 && (!result || strlen(result->pw_name) < sizeof(e->user))) {
                if (!e) {
                        e = &cache->entries[cache->next];
                        cache->next = (cache->next + 1) % AUTH_NAME_CACHE_SIZE;
                }
                *e = (AuthNameEntry) {
                        .uid = uid,
                        .known = result != NULL,
                        .looked_up_usec = now_usec ?: 1,
                };
                if (result)
                        strcpy(e->user, result->pw_name);
        }
        return auth_identify(c, uid, r == 0 && result ? result->pw_name : NULL);
}

void auth_name_cache_forget_config(AuthNameCache *cache) {
        for (size_t i = 0; i < AUTH_NAME_CACHE_SIZE; i++)
                cache->entries[i].config = NULL;
}
