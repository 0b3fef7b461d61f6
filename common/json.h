/* Writing JSON that is valid whatever the bytes (docs/json.md, "Strings").
 *
 * Strings: `"` and `\` escaped; \n \r \t \b \f as such; every other C0
 * control, DEL and the C1 controls (U+0080-U+009F) as \u00XX, so that a
 * record read on a terminal cannot drive it; valid UTF-8 as it is; every
 * byte that is not part of valid UTF-8 (a file name in Latin-1, a cut
 * sequence) as \ufffd, the replacement character, one per byte. Numbers: a
 * value that is not finite (no JSON number can say it) is written null.
 *
 * The builder collects object members ("key":value,...) in memory, without
 * the braces: what struct report's extra_json and options_json take. */
#ifndef CONCUR_JSON_H
#define CONCUR_JSON_H

#include <stdint.h>
#include <stdio.h>

/* s as a JSON string literal, quotes included; NULL is written null. */
void json_string(FILE *fp, const char *s);
/* v with 9 significant digits (%.9g), null when not finite. */
void json_number(FILE *fp, double v);

/* Members of an object, built in memory. */
struct json_members {
  FILE *fp;
  char *text;
  size_t len;
  int count;
};
/* Start (0), or -1 when out of memory: every later call is then a no-op and
 * json_end returns NULL. */
int json_begin(struct json_members *m);
/* `"key":` after a comma when needed; the caller writes the value to m->fp. */
void json_key(struct json_members *m, const char *key);
void json_str(struct json_members *m, const char *key, const char *value); /* NULL: null */
void json_num(struct json_members *m, const char *key, double value);
void json_u64(struct json_members *m, const char *key, uint64_t value);
void json_int(struct json_members *m, const char *key, long long value);
void json_u64_or_null(struct json_members *m, const char *key, int present, uint64_t value);
void json_bool(struct json_members *m, const char *key, int value); /* < 0: null */
/* A value already written as JSON (an object, an array) */
void json_raw(struct json_members *m, const char *key, const char *json);
/* The members as malloc()ed text ("" when none; free it), or NULL when out
 * of memory. */
char *json_end(struct json_members *m);

#endif
