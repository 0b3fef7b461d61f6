#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

static char prefix[128] = "concur";
static char prog_name[96] = "concur";

void err_init(const char *prog)
{
  snprintf(prog_name, sizeof prog_name, "%s", prog);
  snprintf(prefix, sizeof prefix, "%s", prog);
}

void err_set_rank(int rank, int nranks)
{
  if (nranks > 1)
    snprintf(prefix, sizeof prefix, "%s[%d]", prog_name, rank);
  else
    snprintf(prefix, sizeof prefix, "%s", prog_name);
}

const char *err_prog(void)
{
  return prog_name;
}

/* Format the whole line first so that concurrent writers do not interleave;
 * an over-long line is cut, never overflowed. The whole line is escaped
 * (escape.h): messages quote file names, URLs and server text, and none of
 * them may reach the terminal as control characters or break the line. */
static void emit(FILE *fp, const char *where, const char *fmt, va_list ap, int errnum)
{
  char line[2048], shown[sizeof line * ESC_GROWTH];
  size_t cap = sizeof line, len;
  len = (size_t)snprintf(line, cap, "%s: %s", prefix, where);
  if (len < cap)
    len += (size_t)vsnprintf(line + len, cap - len, fmt, ap);
  if (errnum && len < cap)
    len += (size_t)snprintf(line + len, cap - len, ": %s", strerror(errnum));
  if (len >= cap)
    len = cap - 1;
  len = esc_mem(shown, sizeof shown - 1, line, len);
  shown[len] = '\n';
  fwrite(shown, 1, len + 1, fp);
}

void err_msg(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  emit(stderr, "", fmt, ap, 0);
  va_end(ap);
}

void err_sys(const char *fmt, ...)
{
  int e = errno;
  va_list ap;
  va_start(ap, fmt);
  emit(stderr, "", fmt, ap, e);
  va_end(ap);
}

static void emit_at(FILE *fp, const char *file, long line, const char *fmt, va_list ap)
{
  char where[600];
  if (line > 0)
    snprintf(where, sizeof where, "%s:%ld: ", file, line);
  else
    snprintf(where, sizeof where, "%s: ", file);
  emit(fp, where, fmt, ap, 0);
}

void err_at(const char *file, long line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  emit_at(stderr, file, line, fmt, ap);
  va_end(ap);
}

void err_at_to(FILE *fp, const char *file, long line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  emit_at(fp, file, line, fmt, ap);
  va_end(ap);
}
