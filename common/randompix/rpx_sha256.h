/* SHA-256 (FIPS 180-4), fed piece by piece as a body arrives, so that the
 * manifest's digest costs no second read of the file. Written here rather
 * than taken from libcrypto: libcurl's OpenSSL is not a dependency of the
 * suite's own code, and this is 100 lines. */
#ifndef CONCUR_RPX_SHA256_H
#define CONCUR_RPX_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct rpx_sha256 {
  uint32_t h[8];
  uint64_t len; /* bytes fed so far */
  unsigned char buf[64];
  size_t fill; /* bytes waiting in buf */
};

void rpx_sha256_init(struct rpx_sha256 *s);
void rpx_sha256_update(struct rpx_sha256 *s, const void *data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL. s is spent afterwards. */
void rpx_sha256_hex(struct rpx_sha256 *s, char hex[65]);

#endif
