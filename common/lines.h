/* Reading text one line at a time, from a file or a file descriptor, with a
 * bound on the length of a line.
 *
 * The suite's text inputs (msort numbers, randompix lists, hostres names)
 * all read through this, so that they agree on what a line is:
 * - a line ends at "\n", "\r\n" or a lone "\r" (each one line end, so line
 *   numbers match what an editor shows), or at the end of the input;
 * - a UTF-8 byte-order mark (EF BB BF) at the start of the input is dropped;
 * - a line longer than the reader's `max` bytes is never stored: it is
 *   reported (LINES_TOO_LONG, with its number) and the rest of it skipped;
 * - a NUL byte inside a line is reported with the line (rec.nul), for the
 *   caller to reject: C strings would end there silently;
 * - a failed read is LINES_ERROR (errno in r->err), never an end of file.
 * Bytes are read with read(2) in blocks: a line from a pipe or a terminal is
 * returned as soon as it is complete. */
#ifndef CONCUR_LINES_H
#define CONCUR_LINES_H

#include <stddef.h>
#include <stdint.h>

#define LINES_NONE ((size_t)-1)
#define LINES_MIB  ((size_t)1 << 20) /* the limit of puzzle and list lines */

struct lines {
  int fd, own_fd;   /* own_fd: opened here, closed by lines_close */
  const char *name; /* for messages: the path, or "<stdin>" for "-" */
  size_t max;       /* longest line accepted, without its end */
  char *buf;        /* bytes [pos, end) are read and not handed out yet */
  size_t pos, end, cap;
  size_t scan;     /* bytes from pos on known to hold no line end */
  uint64_t lineno; /* number of the line returned last */
  int eof;         /* read(2) returned 0 */
  int skip_lf;     /* the last line ended at a '\r': a '\n' next belongs to it */
  int skipping;    /* inside a line that was too long: drop up to its end */
  int err;         /* errno of the failed read, or 0 */
};

/* One line: s[0..len) without its end (s[len] is a NUL written by the
 * reader), its number, and the index of its first NUL byte or LINES_NONE.
 * Valid until the next call. */
struct lines_rec {
  char *s;
  size_t len;
  uint64_t no;
  size_t nul;
};

enum lines_status {
  LINES_LINE = 0, /* rec is the next line */
  LINES_EOF,      /* no more lines */
  LINES_TOO_LONG, /* line rec.no is longer than max; skipped (rec.s is NULL) */
  LINES_ERROR     /* a read failed: r->err (sticky) */
};

/* Read `path` ("-": standard input, named "<stdin>"). Returns 0, or -1 with
 * errno set when it cannot be opened. */
int lines_open(struct lines *r, const char *path, size_t max);
/* Read an open descriptor (not closed by lines_close). */
void lines_from_fd(struct lines *r, int fd, const char *name, size_t max);
enum lines_status lines_next(struct lines *r, struct lines_rec *rec);
void lines_close(struct lines *r);

/* Whether the first bytes of an input look like binary data rather than
 * text: 1 when they hold a NUL byte (its offset in *at), 2 when more than one
 * in ten are control characters other than tab, line ends, form feed and
 * ESC (their count in *at), else 0. */
int lines_binary(const char *buf, size_t len, size_t *at);
#define LINES_SNIFF 4096 /* how many first bytes lines_binary is meant for */

#endif
