#include "escape.h"

#include <stdlib.h>
#include <string.h>

size_t esc_utf8_len(const unsigned char *s, size_t n)
{
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    len = 2;
  else if (c >= 0xe0 && c <= 0xef)
    len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
  else if (c >= 0xf0 && c <= 0xf4)
    len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
  else
    return 0;
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return len;
}

size_t esc_mem(char *dst, size_t cap, const char *src, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)src;
  size_t out = 0, i = 0;
  if (cap == 0)
    return 0;
  while (i < len) {
    char piece[4 * ESC_GROWTH];
    size_t plen = 0, take = esc_utf8_len(s + i, len - i);
    /* C1 controls are valid UTF-8 (C2 80 - C2 9F) but terminals obey them */
    int c1 = take == 2 && s[i] == 0xc2 && s[i + 1] <= 0x9f;
    if (take == 1 && s[i] >= 0x20 && s[i] != 0x7f) {
      piece[plen++] = (char)s[i];
    } else if (take > 1 && !c1) {
      memcpy(piece, s + i, take);
      plen = take;
    } else {
      if (take == 0)
        take = 1; /* an invalid byte: shown alone, the next one judged anew */
      for (size_t k = 0; k < take; k++) {
        unsigned char b = s[i + k];
        piece[plen++] = '\\';
        if (b == '\n' || b == '\r' || b == '\t') {
          piece[plen++] = b == '\n' ? 'n' : b == '\r' ? 'r' : 't';
          continue;
        }
        piece[plen++] = 'x';
        piece[plen++] = hex[b >> 4];
        piece[plen++] = hex[b & 15];
      }
    }
    if (out + plen >= cap)
      break;
    memcpy(dst + out, piece, plen);
    out += plen;
    i += take;
  }
  dst[out] = '\0';
  return out;
}

const char *esc_str(char *dst, size_t cap, const char *src)
{
  esc_mem(dst, cap, src, strlen(src));
  return dst;
}

char *esc_dup(const char *src)
{
  size_t len = strlen(src);
  char *dst = malloc(len * ESC_GROWTH + 1);
  if (dst != NULL)
    esc_mem(dst, len * ESC_GROWTH + 1, src, len);
  return dst;
}
