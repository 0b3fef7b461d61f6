/* Unit tests of the toolkit's line reader (common/lines.h) and message
 * budget's skip (common/msglimit.h), on real pipes, files and descriptors: line
 * ends of every kind (also split between two reads), the byte-order mark,
 * NUL bytes, lines over the limit, and reads that fail (a folder, a closed
 * descriptor) told apart from the end of the input. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "errors.h"
#include "lines.h"
#include "msglimit.h"

/* A reader on a pipe that holds `text` (n bytes) and is then closed. */
static void pipe_reader(struct lines *r, const char *text, size_t n, size_t max)
{
  int fd[2];
  CHECK(pipe(fd) == 0);
  CHECK(write(fd[1], text, n) == (ssize_t)n);
  close(fd[1]);
  lines_from_fd(r, fd[0], "pipe", max);
  r->own_fd = 1;
}

/* The next record is line `no` with exactly `want` (wlen bytes). */
static int is_line(struct lines *r, const char *want, size_t wlen, uint64_t no)
{
  struct lines_rec ln;
  return lines_next(r, &ln) == LINES_LINE && ln.len == wlen && memcmp(ln.s, want, wlen) == 0 &&
         ln.s[wlen] == '\0' && ln.no == no;
}

static void test_line_ends(void)
{
  struct lines r;
  struct lines_rec ln;
  static const char text[] = "a\nb\r\nc\rd\r\r\n\n\xef\xbb\xbf"
                             "e";
  pipe_reader(&r, text, sizeof text - 1, 100);
  CHECK(is_line(&r, "a", 1, 1));
  CHECK(is_line(&r, "b", 1, 2));
  CHECK(is_line(&r, "c", 1, 3));
  CHECK(is_line(&r, "d", 1, 4));
  CHECK(is_line(&r, "", 0, 5)); /* "\r\r\n": a lone '\r', then "\r\n" */
  CHECK(is_line(&r, "", 0, 6));
  CHECK(is_line(&r,
                "\xef\xbb\xbf"
                "e",
                4, 7)); /* a mark is dropped at the start only; no final end */
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);

  /* the mark at the start; a final "\r" is one line end, not two */
  pipe_reader(&r, "\xef\xbb\xbfx\r", 5, 100);
  CHECK(is_line(&r, "x", 1, 1));
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);

  /* nothing at all; one empty line */
  pipe_reader(&r, "", 0, 100);
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);
  pipe_reader(&r, "\r", 1, 100);
  CHECK(is_line(&r, "", 0, 1));
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);
}

/* "\r\n" split between two reads is still one line end: the line before it
 * comes out at the '\r', before the '\n' is even written. */
static void test_split_crlf(void)
{
  int fd[2];
  struct lines r;
  struct lines_rec ln;
  CHECK(pipe(fd) == 0);
  lines_from_fd(&r, fd[0], "pipe", 100);
  CHECK(write(fd[1], "x\r", 2) == 2);
  CHECK(is_line(&r, "x", 1, 1));
  CHECK(write(fd[1], "\ny\n", 3) == 3);
  close(fd[1]);
  CHECK(is_line(&r, "y", 1, 2));
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);
  close(fd[0]);
}

static void test_nul_and_limit(void)
{
  struct lines r;
  struct lines_rec ln;
  pipe_reader(&r, "5\0garbage\nok\n", 13, 100);
  CHECK(lines_next(&r, &ln) == LINES_LINE && ln.len == 9 && ln.nul == 1 && ln.no == 1);
  CHECK(lines_next(&r, &ln) == LINES_LINE && ln.nul == LINES_NONE && ln.no == 2);
  lines_close(&r);

  /* max 4: a line of 4 is fine, of 5 is too long and skipped, whole */
  pipe_reader(&r, "abcd\nabcde\r\nok", 14, 4);
  CHECK(is_line(&r, "abcd", 4, 1));
  CHECK(lines_next(&r, &ln) == LINES_TOO_LONG && ln.no == 2 && ln.s == NULL);
  CHECK(is_line(&r, "ok", 2, 3));
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  lines_close(&r);

  /* a 3 MB line (many reads) with a 1000-byte limit: reported once, as soon
   * as it passes the limit; the buffer never grows past the first block */
  char path[] = "/tmp/concur-lines-XXXXXX";
  int fd = mkstemp(path);
  size_t big = (size_t)3 << 20;
  char *text = malloc(big + 8);
  CHECK(fd >= 0 && text != NULL);
  memset(text, '7', big);
  memcpy(text + big, "\n2\n", 3);
  CHECK(write(fd, text, big + 3) == (ssize_t)(big + 3));
  close(fd);
  CHECK(lines_open(&r, path, 1000) == 0);
  CHECK(lines_next(&r, &ln) == LINES_TOO_LONG && ln.no == 1);
  CHECK(r.cap <= ((size_t)64 << 10));
  CHECK(is_line(&r, "2", 1, 2));
  CHECK(lines_next(&r, &ln) == LINES_EOF);
  CHECK(r.cap <= ((size_t)64 << 10));
  lines_close(&r);
  unlink(path);
  free(text);
}

/* A failed read is LINES_ERROR with its errno, every time after too: never
 * the end of the input. */
static void test_read_errors(void)
{
  struct lines r;
  struct lines_rec ln;
  CHECK(lines_open(&r, "/tmp", 100) == 0); /* opening a folder works, reading it fails */
  CHECK(lines_next(&r, &ln) == LINES_ERROR && r.err == EISDIR);
  CHECK(lines_next(&r, &ln) == LINES_ERROR);
  lines_close(&r);

  int fd[2];
  CHECK(pipe(fd) == 0);
  close(fd[1]);
  close(fd[0]); /* a descriptor that is closed under the reader */
  lines_from_fd(&r, fd[0], "closed", 100);
  CHECK(lines_next(&r, &ln) == LINES_ERROR && r.err == EBADF);
  lines_close(&r);

  errno = 0;
  CHECK(lines_open(&r, "/no/such/file", 100) == -1 && errno == ENOENT);
  CHECK(lines_open(&r, "-", 100) == 0 && r.fd == 0 && strcmp(r.name, "<stdin>") == 0);
  lines_close(&r);
}

static void test_binary(void)
{
  size_t at = 0;
  CHECK(lines_binary("1.3\n4..\r\n\t# x\f\x1b[0m caf\xc3\xa9\n", 24, &at) == 0);
  CHECK(lines_binary("abc\0def", 7, &at) == 1 && at == 3);
  char ctl[100];
  memset(ctl, 'a', sizeof ctl);
  for (int i = 0; i < 11; i++)
    ctl[i * 9] = '\x01';
  CHECK(lines_binary(ctl, sizeof ctl, &at) == 2 && at == 11);
  CHECK(lines_binary(ctl, sizeof ctl - 1, &at) == 2); /* 11 of 99 */
  ctl[0] = 'a';
  CHECK(lines_binary(ctl, sizeof ctl, &at) == 0 && at == 10); /* 1 in 10: still text */
}

/* msglimit_skip: messages offered elsewhere first (earlier MPI ranks) count
 * against the limit of their kind only. */
static void test_msglimit_skip(void)
{
  struct msglimit m;
  msglimit_init(&m, 3);
  msglimit_skip(&m, "x", 2);
  CHECK(msglimit_take(&m, "x") == 1 && msglimit_take(&m, "x") == 0);
  CHECK(msglimit_take(&m, "y") == 1);
  msglimit_skip(&m, "z", 10);
  CHECK(msglimit_take(&m, "z") == 0);
  CHECK(msglimit_summary(&m) == 1 + 8); /* x: 4 of 3; z: 11 of 3 */
  msglimit_destroy(&m);
}

int main(void)
{
  err_init("test_lines");
  test_line_ends();
  test_split_crlf();
  test_nul_and_limit();
  test_read_errors();
  test_binary();
  test_msglimit_skip();
  return check_summary("lines");
}
