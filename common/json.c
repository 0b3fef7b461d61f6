/* JSON text for any bytes (json.h). */
#include "json.h"

#include <math.h>
#include <stdlib.h>

#include "escape.h"

void json_string(FILE *fp, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  if (s == NULL) {
    fputs("null", fp);
    return;
  }
  const unsigned char *p = (const unsigned char *)s;
  size_t n = 0;
  while (p[n])
    n++;
  fputc('"', fp);
  for (size_t i = 0; i < n;) {
    size_t take = esc_utf8_len(p + i, n - i);
    unsigned c = p[i];
    if (take == 0) { /* not UTF-8: the replacement character for this byte */
      fputs("\\ufffd", fp);
      i++;
      continue;
    }
    if (take == 2 && c == 0xc2 && p[i + 1] <= 0x9f) /* a C1 control, U+0080-U+009F */
      c = p[i + 1];
    else if (take > 1) {
      fwrite(p + i, 1, take, fp);
      i += take;
      continue;
    }
    i += take;
    const char *named = c == '"'    ? "\\\""
                        : c == '\\' ? "\\\\"
                        : c == '\n' ? "\\n"
                        : c == '\r' ? "\\r"
                        : c == '\t' ? "\\t"
                        : c == '\b' ? "\\b"
                        : c == '\f' ? "\\f"
                                    : NULL;
    if (named != NULL)
      fputs(named, fp);
    else if (c < 0x20 || c >= 0x7f)
      fprintf(fp, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
    else
      fputc((int)c, fp);
  }
  fputc('"', fp);
}

void json_number(FILE *fp, double v)
{
  if (isfinite(v))
    fprintf(fp, "%.9g", v);
  else
    fputs("null", fp);
}

int json_begin(struct json_members *m)
{
  m->text = NULL;
  m->len = 0;
  m->count = 0;
  m->fp = open_memstream(&m->text, &m->len);
  return m->fp != NULL ? 0 : -1;
}

void json_key(struct json_members *m, const char *key)
{
  if (m->fp == NULL)
    return;
  if (m->count++ > 0)
    fputc(',', m->fp);
  json_string(m->fp, key);
  fputc(':', m->fp);
}

void json_str(struct json_members *m, const char *key, const char *value)
{
  json_key(m, key);
  if (m->fp)
    json_string(m->fp, value);
}

void json_num(struct json_members *m, const char *key, double value)
{
  json_key(m, key);
  if (m->fp)
    json_number(m->fp, value);
}

void json_u64(struct json_members *m, const char *key, uint64_t value)
{
  json_key(m, key);
  if (m->fp)
    fprintf(m->fp, "%llu", (unsigned long long)value);
}

void json_u64_or_null(struct json_members *m, const char *key, int present, uint64_t value)
{
  if (present)
    json_u64(m, key, value);
  else
    json_raw(m, key, "null");
}

void json_int(struct json_members *m, const char *key, long long value)
{
  json_key(m, key);
  if (m->fp)
    fprintf(m->fp, "%lld", value);
}

void json_bool(struct json_members *m, const char *key, int value)
{
  json_key(m, key);
  if (m->fp)
    fputs(value < 0 ? "null" : value ? "true" : "false", m->fp);
}

void json_raw(struct json_members *m, const char *key, const char *json)
{
  json_key(m, key);
  if (m->fp)
    fputs(json != NULL ? json : "null", m->fp);
}

char *json_end(struct json_members *m)
{
  if (m->fp == NULL)
    return NULL;
  int bad = ferror(m->fp);
  fclose(m->fp);
  m->fp = NULL;
  if (bad) {
    free(m->text);
    return NULL;
  }
  return m->text;
}
