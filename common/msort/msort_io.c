/* msort files: binary (native little-endian elements or 100-byte records)
 * and text (one number per line). Every error names the file, and the line
 * for text. */
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
  FILE *fp = fopen(path, "r");
  if (fp == NULL) {
    err_at(path, 0, "cannot open input: %s", strerror(errno));
    return EXIT_FAIL;
  }
  size_t size = msort_type_size(t), cap = 1024, len = 0;
  char *data = malloc(cap * size), *line = NULL, why[200];
  size_t linecap = 0;
  long lineno = 0;
  ssize_t got;
  int rc = EXIT_OK;
  if (data == NULL) {
    err_at(path, 0, "out of memory");
    fclose(fp);
    return EXIT_FAIL;
  }
  while ((got = getline(&line, &linecap, fp)) >= 0) {
    lineno++;
    while (got > 0 && isspace((unsigned char)line[got - 1]))
      line[--got] = '\0';
    if (len == cap) {
      char *more = realloc(data, 2 * cap * size);
      if (more == NULL) {
        err_at(path, lineno, "out of memory");
        rc = EXIT_FAIL;
        break;
      }
      data = more;
      cap *= 2;
    }
    if (msort_parse_number(t, line, data + len * size, why, sizeof why) != 0) {
      err_at(path, lineno, "%s", why);
      rc = EXIT_DATA;
      break;
    }
    len++;
  }
  if (rc == EXIT_OK && ferror(fp)) {
    err_at(path, 0, "read failed: %s", strerror(errno));
    rc = EXIT_FAIL;
  }
  free(line);
  fclose(fp);
  if (rc != EXIT_OK) {
    free(data);
    return rc;
  }
  *buf = data;
  *n = len;
  return EXIT_OK;
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
