/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The monthly circular of spot checks (值班查岗情况通报): an io.dutyd.Duty.CheckList reply as a
 * printable A4 page in Chinese, as the office circulates it. Works on the reply alone. */

#include <jansson.h>
#include <stdio.h>

/* Writes the circular of reply (borrowed) to f: 0; -EBADMSG if the reply lacks what the interface
 * declares; -EIO if writing failed. */
int circular_html(FILE *f, json_t *reply);

/* Writes the checks of reply (borrowed) to f as CSV, UTF-8 with a byte order mark like the
 * roster's and the log's: one row per spot check, then one per presence check, in the circular's
 * words. 0; -EBADMSG if the reply lacks what the interface declares; -EIO if writing failed. */
int circular_csv(FILE *f, json_t *reply);
