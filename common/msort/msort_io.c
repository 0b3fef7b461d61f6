/* msort files: binary (native little-endian elements or 100-byte records)
 * and text (one number per line, read by the toolkit's line reader: "\n",
 * "\r\n" and "\r" end a line, a line is at most MSORT_TEXT_LINE_MAX bytes).
 * "-" is standard input. Every error names the file, and the line for text;
 * a read error is an error, never an early end. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "lines.h"
#include "msort.h"

int msort_file_count(const char *path, enum msort_type t, uint64_t *n)
{
  struct stat st;
  size_t size = msort_type_size(t);
  if (stat(path, &st) != 0) {
    err_at(path, 0, "cannot open input: %s", strerror(errno));
    return EXIT_FAIL;
  }
  if (!S_ISREG(st.st_mode)) {
    err_at(path, 0, "input is not a regular file");
    return EXIT_FAIL;
  }
  if ((uint64_t)st.st_size % size != 0) {
    err_at(path, 0, "size %lld is not a multiple of the %zu-byte %s element", (long long)st.st_size,
           size, msort_type_names[t]);
    return EXIT_DATA;
  }
  *n = (uint64_t)st.st_size / size;
  return EXIT_OK;
}

int msort_read_binary(const char *path, void *buf, size_t bytes)
{
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    err_at(path, 0, "cannot open input: %s", strerror(errno));
    return EXIT_FAIL;
  }
  size_t done = 0;
  while (done < bytes) {
    ssize_t got = read(fd, (char *)buf + done, bytes - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      err_at(path, 0, "read failed: %s", got < 0 ? strerror(errno) : "file shrank while reading");
      close(fd);
      return EXIT_FAIL;
    }
    done += (size_t)got;
  }
  close(fd);
  return EXIT_OK;
}

/* Double the capacity of *data (cap elements of size bytes). Returns 1, or
 * 0 when out of memory (*data still valid). */
static int grow(char **data, size_t *cap, size_t size)
{
  char *more = realloc(*data, 2 * *cap * size);
  if (more == NULL)
    return 0;
  *data = more;
  *cap *= 2;
  return 1;
}

int msort_parse_number(enum msort_type t, const char *s, void *out, char *why, size_t whylen)
{
  char *end;
  errno = 0;
  while (isspace((unsigned char)*s))
    s++;
  if (*s == '\0') {
    snprintf(why, whylen, "empty line, expected a number");
    return -1;
  }
  char buf[128]; /* the number without trailing blanks */
  size_t len = strlen(s);
  while (len > 0 && isspace((unsigned char)s[len - 1]))
    len--;
  if (len >= sizeof buf) {
    snprintf(why, whylen, "'%.40s...' is too long for a number", s);
    return -1;
  }
  memcpy(buf, s, len);
  buf[len] = '\0';
  s = buf;
  switch (t) {
  case MSORT_U32:
  case MSORT_U64: {
    if (*s == '-') {
      snprintf(why, whylen, "'%s' is negative, type %s is unsigned", s, msort_type_names[t]);
      return -1;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0')
      break;
    if (errno == ERANGE || (t == MSORT_U32 && v > UINT32_MAX)) {
      snprintf(why, whylen, "'%s' is out of range for %s", s, msort_type_names[t]);
      return -1;
    }
    if (t == MSORT_U32) {
      uint32_t x = (uint32_t)v;
      memcpy(out, &x, 4);
    } else {
      uint64_t x = v;
      memcpy(out, &x, 8);
    }
    return 0;
  }
  case MSORT_I32:
  case MSORT_I64: {
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0')
      break;
    if (errno == ERANGE || (t == MSORT_I32 && (v < INT32_MIN || v > INT32_MAX))) {
      snprintf(why, whylen, "'%s' is out of range for %s", s, msort_type_names[t]);
      return -1;
    }
    if (t == MSORT_I32) {
      int32_t x = (int32_t)v;
      memcpy(out, &x, 4);
    } else {
      int64_t x = v;
      memcpy(out, &x, 8);
    }
    return 0;
  }
  case MSORT_F32: {
    float v = strtof(s, &end);
    if (end == s || *end != '\0')
      break;
    if (errno == ERANGE && (v == HUGE_VALF || v == -HUGE_VALF)) {
      snprintf(why, whylen, "'%s' is out of range for f32", s);
      return -1;
    }
    memcpy(out, &v, 4);
    return 0;
  }
  case MSORT_F64: {
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
      break;
    if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
      snprintf(why, whylen, "'%s' is out of range for f64", s);
      return -1;
    }
    memcpy(out, &v, 8);
    return 0;
  }
  case MSORT_REC100:
    snprintf(why, whylen, "rec100 has no text format");
    return -1;
  }
  snprintf(why, whylen, "'%s' is not a%s %s number", s, t == MSORT_I32 || t == MSORT_I64 ? "n" : "",
           msort_type_names[t]);
  return -1;
}

int msort_read_text(const char *path, enum msort_type t, void **buf, size_t *n)
{
  struct lines in;
  if (lines_open(&in, path, MSORT_TEXT_LINE_MAX) != 0) {
    err_at(path, 0, "cannot open input: %s", strerror(errno));
    return EXIT_FAIL;
  }
  size_t size = msort_type_size(t), cap = 1024, len = 0;
  char *data = malloc(cap * size), why[200];
  int rc = data == NULL ? EXIT_FAIL : EXIT_OK;
  if (data == NULL)
    err_at(in.name, 0, "out of memory");
  struct lines_rec ln;
  enum lines_status ls = LINES_EOF;
  while (rc == EXIT_OK && (ls = lines_next(&in, &ln)) != LINES_EOF) {
    if (ls == LINES_ERROR) { /* never taken for the end: the numbers after it would be lost */
      err_at(in.name, (long)in.lineno + 1, "read failed: %s", strerror(in.err));
      rc = EXIT_FAIL;
    } else if (ls == LINES_TOO_LONG) {
      err_at(in.name, (long)ln.no, "line longer than %d bytes: not a number", MSORT_TEXT_LINE_MAX);
      rc = EXIT_DATA;
    } else if (ln.nul != LINES_NONE) {
      err_at(in.name, (long)ln.no, "NUL byte at column %zu", ln.nul + 1);
      rc = EXIT_DATA;
    } else if (len == cap && (cap > SIZE_MAX / 2 / size || !grow(&data, &cap, size))) {
      err_at(in.name, (long)ln.no, "out of memory");
      rc = EXIT_FAIL;
    } else if (msort_parse_number(t, ln.s, data + len * size, why, sizeof why) != 0) {
      err_at(in.name, (long)ln.no, "%s", why);
      rc = EXIT_DATA;
    } else {
      len++;
    }
  }
  lines_close(&in);
  if (rc != EXIT_OK) {
    free(data);
    return rc;
  }
  *buf = data;
  *n = len;
  return EXIT_OK;
}

int msort_input_is_stream(const char *path)
{
  struct stat st;
  if (strcmp(path, "-") == 0)
    return 1;
  return stat(path, &st) == 0 &&
         (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* Read all of fd to its end into a growing buffer. Returns EXIT_OK or
 * EXIT_FAIL after a message. */
static int read_to_end(int fd, const char *name, char **buf, size_t *len)
{
  size_t cap = (size_t)1 << 20;
  char *data = malloc(cap);
  *len = 0;
  for (;;) {
    if (data != NULL && *len == cap && (cap > SIZE_MAX / 2 || !grow(&data, &cap, 1))) {
      free(data);
      data = NULL;
    }
    if (data == NULL) {
      err_at(name, 0, "out of memory after %zu bytes", *len);
      return EXIT_FAIL;
    }
    ssize_t got = read(fd, data + *len, cap - *len);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      err_at(name, 0, "read failed after %zu bytes: %s", *len, strerror(errno));
      free(data);
      return EXIT_FAIL;
    }
    if (got == 0)
      break;
    *len += (size_t)got;
  }
  *buf = data;
  return EXIT_OK;
}

/* Binary elements from a stream: its size is not known in advance. */
static int msort_read_stream(const char *path, enum msort_type t, void **buf, size_t *n)
{
  int is_stdin = strcmp(path, "-") == 0, fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  const char *name = is_stdin ? "<stdin>" : path;
  size_t size = msort_type_size(t), len = 0;
  char *data = NULL;
  if (fd < 0) {
    err_at(name, 0, "cannot open input: %s", strerror(errno));
    return EXIT_FAIL;
  }
  int rc = read_to_end(fd, name, &data, &len);
  if (!is_stdin)
    close(fd);
  if (rc == EXIT_OK && len % size != 0) {
    err_at(name, 0, "size %zu is not a multiple of the %zu-byte %s element", len, size,
           msort_type_names[t]);
    free(data);
    rc = EXIT_DATA;
  }
  if (rc != EXIT_OK)
    return rc;
  *buf = data;
  *n = len / size;
  return EXIT_OK;
}

int msort_read_whole(const char *path, enum msort_type t, int text, void **buf, size_t *n)
{
  if (text)
    return msort_read_text(path, t, buf, n);
  return msort_read_stream(path, t, buf, n);
}

int msort_write_text(FILE *fp, enum msort_type t, const void *data, size_t n)
{
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) {
    int rc = 0;
    switch (t) {
    case MSORT_U32: {
      uint32_t v;
      memcpy(&v, p + 4 * i, 4);
      rc = fprintf(fp, "%" PRIu32 "\n", v);
      break;
    }
    case MSORT_I32: {
      int32_t v;
      memcpy(&v, p + 4 * i, 4);
      rc = fprintf(fp, "%" PRId32 "\n", v);
      break;
    }
    case MSORT_U64: {
      uint64_t v;
      memcpy(&v, p + 8 * i, 8);
      rc = fprintf(fp, "%" PRIu64 "\n", v);
      break;
    }
    case MSORT_I64: {
      int64_t v;
      memcpy(&v, p + 8 * i, 8);
      rc = fprintf(fp, "%" PRId64 "\n", v);
      break;
    }
    case MSORT_F32: { /* 9 significant digits round-trip a float */
      float v;
      memcpy(&v, p + 4 * i, 4);
      rc = fprintf(fp, "%.9g\n", (double)v);
      break;
    }
    case MSORT_F64: {
      double v;
      memcpy(&v, p + 8 * i, 8);
      rc = fprintf(fp, "%.17g\n", v);
      break;
    }
    case MSORT_REC100:
      errno = EINVAL;
      return -1;
    }
    if (rc < 0)
      return -1;
  }
  return 0;
}
