/* One puzzle line -> grid, or the reason it is rejected. */
#include <stdio.h>
#include <string.h>

#include "sudoku.h"

static int parse_is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int parse_is_cell(char c)
{
  return (c >= '0' && c <= '9') || c == '.';
}

/* A character as it should appear in a message: 'x', or '\xNN' when not
 * printable. */
static void parse_show_char(char *out, size_t cap, unsigned char c)
{
  if (c >= 0x20 && c < 0x7f && c != '\'')
    snprintf(out, cap, "'%c'", c);
  else
    snprintf(out, cap, "'\\x%02x'", c);
}

/* A NUL byte from `from` on makes the line bad (C strings, and so most
 * tools, would end the line there, silently): 1 with the reason, else 0.
 * Only comments and lines with text after the cells pay for the scan. */
static int parse_nul(const char *s, size_t len, size_t from, char reason[SUDOKU_REASON_MAX])
{
  const char *nul = memchr(s + from, '\0', len - from);
  if (nul == NULL)
    return 0;
  snprintf(reason, SUDOKU_REASON_MAX, "NUL byte at column %zu", (size_t)(nul - s) + 1);
  return 1;
}

/* Givens that clash: the first repeated digit in a row, column or box. */
static int parse_find_clash(const uint8_t g[SUDOKU_CELLS], char reason[SUDOKU_REASON_MAX])
{
  static const char *const kind[3] = {"row", "column", "box"};
  for (int u = 0; u < 27; u++) {
    int seen[10] = {0};
    for (int k = 0; k < 9; k++) {
      int c = sudoku_unit_cells[u][k], d = g[c];
      if (d == 0)
        continue;
      if (seen[d]) {
        int a = seen[d] - 1;
        snprintf(reason, SUDOKU_REASON_MAX,
                 "givens clash: digit %d twice in %s %d (row %d column %d and row %d column %d)", d,
                 kind[u / 9], u % 9 + 1, a / 9 + 1, a % 9 + 1, c / 9 + 1, c % 9 + 1);
        return -1;
      }
      seen[d] = c + 1;
    }
  }
  return 0;
}

enum sudoku_line_kind sudoku_parse_line(const char *s, size_t len, uint8_t grid[SUDOKU_CELLS],
                                        char reason[SUDOKU_REASON_MAX])
{
  size_t i = 0;
  char shown[16];

  if (len > SUDOKU_LINE_MAX) {
    snprintf(reason, SUDOKU_REASON_MAX, "line longer than %d bytes", SUDOKU_LINE_MAX);
    return SUDOKU_LINE_BAD;
  }
  if (len > 0 && s[len - 1] == '\r')
    len--;
  if (len > 0 && s[0] == '#')
    return parse_nul(s, len, 0, reason) ? SUDOKU_LINE_BAD : SUDOKU_LINE_SKIP;
  while (i < len && parse_is_space(s[i]))
    i++;
  if (i == len)
    return SUDOKU_LINE_SKIP;

  /* the common case: 81 cells, then the end or whitespace */
  size_t n = 0;
  i = 0;
  if (len >= SUDOKU_CELLS) {
    unsigned bad = 0;
    for (int c = 0; c < SUDOKU_CELLS; c++) {
      unsigned v = (unsigned char)s[c] - '0';
      bad |= v > 9 && s[c] != '.';
      grid[c] = (uint8_t)(v <= 9 ? v : 0);
    }
    if (!bad) {
      n = i = SUDOKU_CELLS;
    }
  }
  for (; i < len && parse_is_cell(s[i]); i++, n++)
    if (n < SUDOKU_CELLS)
      grid[n] = s[i] == '.' ? 0 : (uint8_t)(s[i] - '0');
  if (i < len && !parse_is_space(s[i])) {
    parse_show_char(shown, sizeof shown, (unsigned char)s[i]);
    if (n >= SUDOKU_CELLS)
      snprintf(reason, SUDOKU_REASON_MAX,
               "bad character %s at column %zu (text after the 81 cells must follow whitespace)",
               shown, i + 1);
    else
      snprintf(reason, SUDOKU_REASON_MAX, "bad character %s at column %zu", shown, i + 1);
    return SUDOKU_LINE_BAD;
  }
  if (n != SUDOKU_CELLS) {
    snprintf(reason, SUDOKU_REASON_MAX, "expected 81 cells, found %zu", n);
    return SUDOKU_LINE_BAD;
  }
  if (i < len && parse_nul(s, len, i, reason)) /* in the text after the cells */
    return SUDOKU_LINE_BAD;
  /* fast check with bitmasks; the slow search words the message */
  static const uint8_t box_of[81] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0,
                                     1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 3, 3, 3, 4, 4, 4,
                                     5, 5, 5, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8,
                                     6, 6, 6, 7, 7, 7, 8, 8, 8, 6, 6, 6, 7, 7, 7, 8, 8, 8};
  uint16_t row[9] = {0}, col[9] = {0}, box[9] = {0}, clash = 0;
  for (int r = 0, c = 0; r < 9; r++)
    for (int k = 0; k < 9; k++, c++) {
      uint16_t bit = (uint16_t)((1u << grid[c]) & ~1u); /* empty cells count as nothing */
      int b = box_of[c];
      clash |= (uint16_t)((row[r] | col[k] | box[b]) & bit);
      row[r] |= bit;
      col[k] |= bit;
      box[b] |= bit;
    }
  if (clash && parse_find_clash(grid, reason) != 0)
    return SUDOKU_LINE_BAD;
  return SUDOKU_LINE_PUZZLE;
}
