/* SPDX-License-Identifier: GPL-2.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void assert_hex(const char *input, size_t len, const char *expected) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        char hex[SHA256_HEX_SIZE];

        sha256_hash(input, len, digest);
        assert_string_equal(sha256_to_hex(digest, hex), expected);
}

static void test_vectors(void **state) {
        assert_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        /* 56 bytes: the padding spills into a second block. */
        assert_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assert_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                   112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        char hex[SHA256_HEX_SIZE], chunk[1000];
        Sha256 c;

        memset(chunk, 'a', sizeof(chunk));
        sha256_init(&c);
        for (size_t i = 0; i < 1000; i++)
                sha256_update(&c, chunk, sizeof(chunk));
        sha256_finish(&c, digest);
        assert_string_equal(sha256_to_hex(digest, hex),
                            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Feeding the same bytes in pieces of every size gives the one-shot digest. */
static void test_incremental(void **state) {
        uint8_t msg[300], whole[SHA256_DIGEST_SIZE];

        for (size_t i = 0; i < sizeof(msg); i++)
                msg[i] = (uint8_t) (i * 7 + 3);
        sha256_hash(msg, sizeof(msg), whole);

        for (size_t step = 1; step <= 130; step++) {
                uint8_t digest[SHA256_DIGEST_SIZE];
                Sha256 c;

                sha256_init(&c);
                for (size_t off = 0; off < sizeof(msg); off += step)
                        sha256_update(&c, msg + off, off + step > sizeof(msg) ? sizeof(msg) - off : step);
                sha256_finish(&c, digest);
                assert_memory_equal(digest, whole, sizeof(whole));
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_vectors),
                cmocka_unit_test(test_million_a),
                cmocka_unit_test(test_incremental),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
