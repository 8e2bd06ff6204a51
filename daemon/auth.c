/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <pwd.h>
#include <stdio.h>

#include "auth.h"

static const char *const access_names[_ACCESS_MAX] = {
        [ACCESS_GUEST] = "guest",
        [ACCESS_MEMBER] = "member",
        [ACCESS_APPROVER] = "approver",
        [ACCESS_ADMIN] = "admin",
        [ACCESS_ROOT] = "root",
};

const char *access_to_string(Access a) {
        if (a < 0 || a >= _ACCESS_MAX)
                return NULL;
        return access_names[a];
}

Access access_from_string(const char *s) {
        if (!s)
                return _ACCESS_INVALID;
        for (Access a = 0; a < _ACCESS_MAX; a++)
                if (streq(access_names[a], s))
                        return a;
        return _ACCESS_INVALID;
}

/* Every method of io.dutyd.Duty and org.varlink.service, with the least level that may call it. A
 * method missing here is refused to everyone, so a new method cannot be exposed by accident. */
static const struct {
        const char *method;
        Access access;
} method_access[] = {
        { "org.varlink.service.GetInfo",                 ACCESS_GUEST },
        { "org.varlink.service.GetInterfaceDescription", ACCESS_GUEST },
        { "Status",                                      ACCESS_GUEST },
        { "Whoami",                                      ACCESS_GUEST },
        { "ListPeople",                                  ACCESS_MEMBER },
};

Access auth_method_access(const char *method) {
        if (!method)
                return _ACCESS_INVALID;
        for (size_t i = 0; i < ELEMENTSOF(method_access); i++)
                if (streq(method_access[i].method, method))
                        return method_access[i].access;
        return _ACCESS_INVALID;
}

bool auth_allowed(const Identity *id, const char *method) {
        Access need = auth_method_access(method);

        if (need < 0)
                return false;
        return id->access >= need;
}

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
