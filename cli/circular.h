/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The monthly circular of spot checks (值班查岗情况通报): an io.dutyd.Duty.CheckList reply as a
 * printable A4 page in Chinese, as the office circulates it. Works on the reply alone. */

#include <jansson.h>
#include <stdio.h>

/* Writes the circular of reply (borrowed) to f: 0; -EBADMSG if the reply lacks what the interface
 * declares; -EIO if writing failed. */
int circular_html(FILE *f, json_t *reply);
