/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* SHA-256 (FIPS 180-4). Pure: used for the audit log's hash chain, where a dependency on a crypto
 * library would be out of proportion. Not constant-time; never use it with secrets. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64
#define SHA256_HEX_SIZE (SHA256_DIGEST_SIZE * 2 + 1)

typedef struct Sha256 {
        uint32_t state[8];
        uint64_t length;        /* bytes fed so far */
        uint8_t buffer[SHA256_BLOCK_SIZE];
        size_t buffer_len;
} Sha256;

void sha256_init(Sha256 *c);
void sha256_update(Sha256 *c, const void *data, size_t len);
/* Writes the digest; the context must be re-initialized before it is used again. */
void sha256_finish(Sha256 *c, uint8_t ret[static SHA256_DIGEST_SIZE]);

void sha256_hash(const void *data, size_t len, uint8_t ret[static SHA256_DIGEST_SIZE]);
/* Lower-case hex of a digest into buf; returns buf. */
char *sha256_to_hex(const uint8_t digest[static SHA256_DIGEST_SIZE], char buf[static SHA256_HEX_SIZE]);
