#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Multiplier of a size suffix, or 0 if the suffix is not one we know. */
static uint64_t suffix_multiplier(const char *sfx)
{
  static const struct {
    const char *name;
    uint64_t mul;
  } table[] = {
      {"", 1ULL},           {"k", 1000ULL},          {"K", 1000ULL},     {"M", 1000000ULL},
      {"G", 1000000000ULL}, {"T", 1000000000000ULL}, {"Ki", 1ULL << 10}, {"Mi", 1ULL << 20},
      {"Gi", 1ULL << 30},   {"Ti", 1ULL << 40},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(sfx, table[i].name) == 0)
      return table[i].mul;
  return 0;
}

/* Parse magnitude digits + suffix into *out; sets *neg for a leading '-'. */
static int parse_magnitude(const char *opt, const char *s, int allow_neg, int *neg, uint64_t *out,
                           char err[CLI_ERR_MAX])
{
  const char *p = s;
  *neg = 0;
  if (s == NULL || *s == '\0') {
    snprintf(err, CLI_ERR_MAX, "%s: empty value", opt);
    return -1;
  }
  if (*p == '+' || *p == '-') {
    if (*p == '-') {
      if (!allow_neg) {
        snprintf(err, CLI_ERR_MAX, "%s: '%s' must not be negative", opt, s);
        return -1;
      }
      *neg = 1;
    }
    p++;
  }
  if (!isdigit((unsigned char)*p)) {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' is not a number", opt, s);
    return -1;
  }
  uint64_t v = 0;
  for (; isdigit((unsigned char)*p); p++) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) {
      snprintf(err, CLI_ERR_MAX, "%s: '%s' is too large", opt, s);
      return -1;
    }
    v = v * 10 + d;
  }
  uint64_t mul = suffix_multiplier(p);
  if (mul == 0) {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' has trailing junk '%s' (suffixes: k M G T Ki Mi Gi Ti)",
             opt, s, p);
    return -1;
  }
  if (v != 0 && mul > UINT64_MAX / v) {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' is too large", opt, s);
    return -1;
  }
  *out = v * mul;
  return 0;
}

int cli_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out,
                  char err[CLI_ERR_MAX])
{
  int neg;
  uint64_t v;
  if (parse_magnitude(opt, s, 0, &neg, &v, err) != 0)
    return -1;
  if (v < min || v > max) {
    snprintf(err, CLI_ERR_MAX, "%s: %s is out of range [%llu, %llu]", opt, s,
             (unsigned long long)min, (unsigned long long)max);
    return -1;
  }
  *out = v;
  return 0;
}

int cli_parse_i64(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out,
                  char err[CLI_ERR_MAX])
{
  int neg;
  uint64_t mag;
  if (parse_magnitude(opt, s, 1, &neg, &mag, err) != 0)
    return -1;
  int64_t v;
  if (neg) {
    if (mag > (uint64_t)INT64_MAX + 1) {
      snprintf(err, CLI_ERR_MAX, "%s: '%s' is too small", opt, s);
      return -1;
    }
    v = (mag == (uint64_t)INT64_MAX + 1) ? INT64_MIN : -(int64_t)mag;
  } else {
    if (mag > (uint64_t)INT64_MAX) {
      snprintf(err, CLI_ERR_MAX, "%s: '%s' is too large", opt, s);
      return -1;
    }
    v = (int64_t)mag;
  }
  if (v < min || v > max) {
    snprintf(err, CLI_ERR_MAX, "%s: %s is out of range [%lld, %lld]", opt, s, (long long)min,
             (long long)max);
    return -1;
  }
  *out = v;
  return 0;
}

int cli_parse_int(const char *opt, const char *s, int min, int max, int *out, char err[CLI_ERR_MAX])
{
  int64_t v;
  if (cli_parse_i64(opt, s, min, max, &v, err) != 0)
    return -1;
  *out = (int)v;
  return 0;
}

int cli_parse_double(const char *opt, const char *s, double min, double max, double *out,
                     char err[CLI_ERR_MAX])
{
  if (s == NULL || *s == '\0') {
    snprintf(err, CLI_ERR_MAX, "%s: empty value", opt);
    return -1;
  }
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || isspace((unsigned char)*s)) {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' is not a number", opt, s);
    return -1;
  }
  if (*end != '\0') {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' has trailing junk '%s'", opt, s, end);
    return -1;
  }
  if (errno == ERANGE || !isfinite(v)) {
    snprintf(err, CLI_ERR_MAX, "%s: '%s' is out of range", opt, s);
    return -1;
  }
  if (v < min || v > max) {
    snprintf(err, CLI_ERR_MAX, "%s: %s is out of range [%g, %g]", opt, s, min, max);
    return -1;
  }
  *out = v;
  return 0;
}

int cli_parse_choice(const char *opt, const char *s, const char *const *choices, int *out,
                     char err[CLI_ERR_MAX])
{
  for (int i = 0; choices[i] != NULL; i++) {
    if (strcmp(s, choices[i]) == 0) {
      *out = i;
      return 0;
    }
  }
  size_t len = (size_t)snprintf(err, CLI_ERR_MAX, "%s: unknown value '%s' (one of:", opt, s);
  for (int i = 0; choices[i] != NULL && len < CLI_ERR_MAX; i++)
    len += (size_t)snprintf(err + len, CLI_ERR_MAX - len, " %s", choices[i]);
  if (len < CLI_ERR_MAX)
    snprintf(err + len, CLI_ERR_MAX - len, ")");
  return -1;
}
