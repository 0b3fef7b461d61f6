/* SHA-256 (FIPS 180-4), fed piece by piece as a body arrives, so that the
 * manifest's digest costs no second read of the file.
 *
 * Two implementations: libcrypto's (OpenSSL's EVP interface, which uses the
 * CPU's SHA instructions: about 1.3 GB/s on this machine), where the build
 * found it (CONCUR_HAVE_LIBCRYPTO), and a portable one written here (about
 * 0.1 GB/s), used otherwise; both are checked against the same vectors. */
#ifndef CONCUR_RPX_SHA256_H
#define CONCUR_RPX_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* The portable one. */
struct rpx_sha256_own {
  uint32_t h[8];
  uint64_t len; /* bytes fed so far */
  unsigned char buf[64];
  size_t fill; /* bytes waiting in buf */
};
void rpx_sha256_own_init(struct rpx_sha256_own *s);
void rpx_sha256_own_update(struct rpx_sha256_own *s, const void *data, size_t n);
void rpx_sha256_own_hex(struct rpx_sha256_own *s, char hex[65]);

/* The one to use. Zero it before the first rpx_sha256_init; it can be
 * initialised again for the next body; rpx_sha256_free at the end. */
struct rpx_sha256 {
  void *evp; /* libcrypto's context, or NULL */
  struct rpx_sha256_own own;
};
void rpx_sha256_init(struct rpx_sha256 *s);
void rpx_sha256_update(struct rpx_sha256 *s, const void *data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL. s is spent afterwards. */
void rpx_sha256_hex(struct rpx_sha256 *s, char hex[65]);
void rpx_sha256_free(struct rpx_sha256 *s);
/* "libcrypto" or "portable". */
const char *rpx_sha256_impl(void);

#endif
