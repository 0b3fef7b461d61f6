/* Unit tests of the toolkit's guards against hostile text and floods:
 * escaping for terminals (escape.h) and the message limiter (msglimit.h). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"
#include "msglimit.h"

/* esc_str of `in` is `want`. */
static int esc_is(const char *in, const char *want)
{
  char buf[256];
  esc_str(buf, sizeof buf, in);
  if (strcmp(buf, want) != 0)
    fprintf(stderr, "escaped '%s', expected '%s'\n", buf, want);
  return strcmp(buf, want) == 0;
}

static void test_escape(void)
{
  CHECK(esc_is("plain text: /a/b.txt:3", "plain text: /a/b.txt:3"));
  CHECK(esc_is("back\\slash", "back\\slash")); /* unchanged: ordinary text prints as it is */
  CHECK(esc_is("a\033[2Jb\007", "a\\x1b[2Jb\\x07"));
  CHECK(esc_is("line\nbreak\r\ttab", "line\\nbreak\\r\\ttab"));
  CHECK(esc_is("\x7f\x01", "\\x7f\\x01"));
  CHECK(esc_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK(esc_is("\xc2\x9b"
               "31m",
               "\\xc2\\x9b31m")); /* C1 CSI, valid UTF-8 */
  CHECK(esc_is("\x9b"
               "31m",
               "\\x9b31m")); /* 8-bit CSI, invalid UTF-8 */
  CHECK(esc_is("\xc0\xaf \xed\xa0\x80", "\\xc0\\xaf \\xed\\xa0\\x80")); /* overlong, surrogate */
  CHECK(esc_is("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"));            /* above U+10FFFF */
  CHECK(esc_is("cut \xe2\x82", "cut \\xe2\\x82"));                      /* sequence cut short */
  /* a small buffer ends at a whole escape, never inside one */
  char small[8];
  size_t n = esc_mem(small, 7, "ab\033cd", 5);
  CHECK(n == 6 && strcmp(small, "ab\\x1b") == 0);
  n = esc_mem(small, 6, "ab\033cd", 5);
  CHECK(n == 2 && strcmp(small, "ab") == 0);
  n = esc_mem(small, sizeof small, "abcdef\033", 7);
  CHECK(n == 6 && strcmp(small, "abcdef") == 0);
  n = esc_mem(small, sizeof small, "abcde\xc3\xa9xyz", 10);
  CHECK(n == 7 && strcmp(small, "abcde\xc3\xa9") == 0);
  CHECK(esc_mem(small, 1, "abc", 3) == 0 && small[0] == '\0');
  /* embedded NUL bytes are shown, not taken as the end */
  n = esc_mem(small, sizeof small, "a\0b", 3);
  CHECK(n == 6 && memcmp(small, "a\\x00b", 7) == 0);
  char *d = esc_dup("\033\033\033");
  CHECK(d != NULL && strcmp(d, "\\x1b\\x1b\\x1b") == 0);
  free(d);
}

static void test_msglimit(void)
{
  struct msglimit l;
  msglimit_init(&l, 20);
  /* many threads at once: exactly the first 20 of a kind are let through */
  uint64_t shown = 0;
#pragma omp parallel for num_threads(8) reduction(+ : shown) schedule(dynamic, 7)
  for (int i = 0; i < 40000; i++)
    shown += (uint64_t)msglimit_take(&l, i % 2 ? "odd" : "even");
  CHECK(shown == 40);
  /* another kind still shows after a flood of the first */
  CHECK(msglimit_take(&l, "rare") == 1);
  /* kinds beyond the table share one count, and still show their first */
  char name[32];
  int first = 0;
  for (int k = 0; k < MSGLIMIT_KINDS + 30; k++) {
    snprintf(name, sizeof name, "kind %d", k);
    first += msglimit_take(&l, name);
  }
  CHECK(first == MSGLIMIT_KINDS - 3 + 20); /* 3 table slots were taken above */
  /* long names are cut alike, so they still count together */
  char longer[200];
  memset(longer, 'x', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  struct msglimit m;
  msglimit_init(&m, 1);
  CHECK(msglimit_take(&m, longer) == 1 && msglimit_take(&m, longer) == 0);
  msglimit_destroy(&m);
  fprintf(stderr, "(the summary lines below are expected)\n");
  CHECK(msglimit_summary(&l) == 2 * 19980 + 13);
  msglimit_destroy(&l);
}

int main(void)
{
  test_escape();
  test_msglimit();
  return check_summary("test_limits");
}
