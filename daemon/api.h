/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The entry of every io.dutyd.Duty call (api.c): identity, access and language, then the method
 * table's handler (api-methods.h), in the request's transaction for writes (api-audit.h). The
 * layers below it, from the top: api-methods.c, the handlers api-<family>.c, api-audit.c,
 * api-json.c; none includes a header above its own. */

#include <jansson.h>
#include <stddef.h>

#include "varlink.h"

/* The methods to give to varlink_server_new() (an array owned by the caller), every one dispatched
 * through the access check; -EBADMSG with the disagreement in *ret_error when the method table and
 * idl, the interface served, do not list the same methods (dutyd then does not start). */
int api_methods(const VarlinkIdl *idl, VarlinkMethod **ret, size_t *ret_n, char **ret_error);
/* The Varlink method function of every method: identity, access, language, then the handler. */
int api_dispatch(VarlinkCall *call, json_t *params, void *userdata);
