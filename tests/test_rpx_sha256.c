/* randompix's SHA-256 against the FIPS 180-4 / NIST example vectors, fed in
 * one piece and in pieces of every awkward size (the body arrives in
 * write-callback pieces of any length). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rpx_sha256.h"

static int use_own; /* the portable code, or the one randompix uses */

static void digest(const char *msg, size_t len, size_t piece, char hex[65])
{
  struct rpx_sha256 s = {0};
  struct rpx_sha256_own o;
  if (use_own)
    rpx_sha256_own_init(&o);
  else
    rpx_sha256_init(&s);
  for (size_t off = 0; off < len; off += piece) {
    size_t k = len - off < piece ? len - off : piece;
    if (use_own)
      rpx_sha256_own_update(&o, msg + off, k);
    else
      rpx_sha256_update(&s, msg + off, k);
  }
  if (use_own)
    rpx_sha256_own_hex(&o, hex);
  else
    rpx_sha256_hex(&s, hex);
  rpx_sha256_free(&s);
}

int main(void)
{
  static const struct {
    const char *msg, *hex;
  } v[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
       "lmnopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
  };
  char hex[65];
  printf("test_rpx_sha256: randompix uses the %s SHA-256\n", rpx_sha256_impl());
  for (use_own = 0; use_own < 2; use_own++) {
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
      size_t len = strlen(v[i].msg);
      for (size_t piece = 1; piece <= 130; piece++) {
        digest(v[i].msg, len, piece, hex);
        CHECK(strcmp(hex, v[i].hex) == 0);
      }
    }
    /* A million 'a's (crosses many blocks), in pieces of 997 bytes. */
    static char a[1000000];
    memset(a, 'a', sizeof a);
    digest(a, sizeof a, 997, hex);
    CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
    /* Lengths 55, 56 and 64: the padding takes one block or two. */
    static const char *lens[] = {
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"};
    size_t ls[] = {55, 56, 64};
    for (int i = 0; i < 3; i++) {
      digest(a, ls[i], ls[i], hex);
      CHECK(strcmp(hex, lens[i]) == 0);
    }
  }
  return check_summary("test_rpx_sha256");
}
