/* randompix: one manifest line, written and read back (rpx_mline.c).
 *
 * {"item":I,"line":L,"url":"...","final_url":"...","status":200,
 *  "result":"saved","path":"OUT/NAME","bytes":B,"sha256":"...",
 *  "attempts":A,"seconds":S,"error":""}
 * Strings are JSON; a byte that is not part of valid UTF-8 (a URL or name
 * may hold any byte) is written \u00XX with XX the byte, which this reader
 * turns back into that byte, so a line read back names the same URL. */
#ifndef CONCUR_RPX_MLINE_H
#define CONCUR_RPX_MLINE_H

#include <stddef.h>
#include <stdint.h>

#include "rpx.h"

/* The outcome of one item, as its line tells it. */
struct rpx_rec {
  enum rpx_result result;
  const char *final_url; /* after redirects, or "" */
  long status;           /* the last HTTP status, 0 = none */
  const char *path;      /* the saved file, or "" */
  uint64_t bytes;        /* bytes in the saved file */
  const char *sha256;    /* of those bytes, 64 hex digits, or "" */
  int attempts;
  double seconds; /* from the first attempt's start to the verdict */
  const char *error;
};

/* A growable byte buffer. */
struct rpx_buf {
  char *p;
  size_t len, cap;
  int oom; /* an append failed: p holds what fit */
};
void rpx_buf_add(struct rpx_buf *b, const char *s, size_t n);
void rpx_buf_str(struct rpx_buf *b, const char *s); /* a JSON string literal */

/* FNV-1a hash of a string (the hash tables of names, hosts, URLs). */
uint64_t rpx_hash(const char *s);

/* The line (with its newline) for item i of w, appended to b. */
void rpx_mline_format(struct rpx_buf *b, const struct rpx_work *w, uint64_t i,
                      const struct rpx_rec *r);

/* A line read back: the members --skip-existing needs. Strings are
 * malloc'ed (rpx_mline_clear frees them). */
struct rpx_mline {
  char *url, *result, *path, *sha256;
  uint64_t bytes;
};
/* Parse one line. Returns 0, or -1 when it is not an object of this shape
 * (then m is cleared). */
int rpx_mline_parse(const char *s, size_t len, struct rpx_mline *m);
void rpx_mline_clear(struct rpx_mline *m);

#endif
