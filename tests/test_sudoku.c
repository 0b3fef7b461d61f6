/* Unit tests of the sudoku core: the parser on every kind of line, the
 * verifier, both solvers (same grids, same 0/1/2+ classes, node cap), the
 * fast solver's two compiled copies, and the cutting of a multi-file text
 * into pieces parsed apart. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sudoku.h"
#include "sudoku_batch.h"

/* The fast solver's plain x86-64 copy (sudoku_fast.c): sudoku_fast_solve
 * runs the x86-64-v3 copy instead when the CPU has it. */
enum sudoku_status sudoku_fast_solve_generic(const uint8_t grid[SUDOKU_CELLS],
                                             uint8_t sol[SUDOKU_CELLS],
                                             const struct sudoku_limits *lim, uint64_t *nodes);

static const char *const top95_1 =
    "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";
static const char *const top95_1_sol =
    "417369825632158947958724316825437169791586432346912758289643571573291684164875293";
static const char *const hard1 =
    ".....6....59.....82....8....45........3........6..3.54...325..6..................";

static char reason[SUDOKU_REASON_MAX];

static int parse(const char *s, uint8_t g[SUDOKU_CELLS])
{
  reason[0] = '\0';
  return sudoku_parse_line(s, strlen(s), g, reason);
}

static int bad_with(const char *s, const char *want)
{
  uint8_t g[SUDOKU_CELLS];
  int k = parse(s, g);
  if (k != SUDOKU_LINE_BAD || strstr(reason, want) == NULL) {
    fprintf(stderr, "line '%s': kind %d, reason '%s', wanted '%s'\n", s, k, reason, want);
    return 0;
  }
  return 1;
}

static void to_text(const uint8_t *g, char out[82])
{
  for (int i = 0; i < 81; i++)
    out[i] = (char)('0' + g[i]);
  out[81] = '\0';
}

static void test_parse(void)
{
  uint8_t g[SUDOKU_CELLS], h[SUDOKU_CELLS];
  char buf[256];
  CHECK(parse(top95_1, g) == SUDOKU_LINE_PUZZLE);
  CHECK(g[0] == 4 && g[1] == 0 && g[6] == 8 && g[80] == 0);
  /* '0' blanks, trailing text after whitespace, CRLF: the same grid */
  CHECK(parse("400000805030000000000700000020000060000080400000010000000603070500200000104000000",
              h) == SUDOKU_LINE_PUZZLE &&
        memcmp(g, h, 81) == 0);
  snprintf(buf, sizeof buf, "%s  rated 9.0 (comment)", top95_1);
  CHECK(parse(buf, h) == SUDOKU_LINE_PUZZLE && memcmp(g, h, 81) == 0);
  snprintf(buf, sizeof buf, "%s\tx", top95_1);
  CHECK(parse(buf, h) == SUDOKU_LINE_PUZZLE && memcmp(g, h, 81) == 0);
  snprintf(buf, sizeof buf, "%s\r", top95_1);
  CHECK(parse(buf, h) == SUDOKU_LINE_PUZZLE && memcmp(g, h, 81) == 0);
  /* skipped lines */
  CHECK(parse("", g) == SUDOKU_LINE_SKIP);
  CHECK(parse("\r", g) == SUDOKU_LINE_SKIP);
  CHECK(parse("   \t", g) == SUDOKU_LINE_SKIP);
  CHECK(parse("# comment 4.....8.5", g) == SUDOKU_LINE_SKIP);
  CHECK(parse("#", g) == SUDOKU_LINE_SKIP);
  /* rejected lines and their reasons */
  CHECK(bad_with("4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4.....",
                 "expected 81 cells, found 80"));
  CHECK(
      bad_with("4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......1",
               "expected 81 cells, found 82"));
  CHECK(
      bad_with("4x....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......",
               "bad character 'x' at column 2"));
  snprintf(buf, sizeof buf, "%sx", top95_1);
  CHECK(bad_with(buf, "bad character 'x' at column 82"));
  CHECK(bad_with("1234", "expected 81 cells, found 4"));
  CHECK(bad_with(" 4.....8.5", "expected 81 cells, found 0"));
  CHECK(bad_with("12\x01", "bad character '\\x01' at column 3"));
  CHECK(
      bad_with("44....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......",
               "givens clash: digit 4 twice in row 1"));
  /* column and box clashes */
  memset(buf, '.', 81);
  buf[81] = '\0';
  buf[0] = '7';
  buf[72] = '7';
  CHECK(bad_with(buf, "digit 7 twice in column 1"));
  buf[72] = '.';
  buf[20] = '7';
  CHECK(bad_with(buf, "digit 7 twice in box 1"));
  /* an embedded NUL is a bad character, not the end of the line */
  char nul[90];
  memcpy(nul, top95_1, 81);
  nul[40] = '\0';
  CHECK(sudoku_parse_line(nul, 81, g, reason) == SUDOKU_LINE_BAD &&
        strstr(reason, "column 41") != NULL);
}

static void test_verify(void)
{
  uint8_t g[SUDOKU_CELLS], s[SUDOKU_CELLS];
  parse(top95_1, g);
  for (int i = 0; i < 81; i++)
    s[i] = (uint8_t)(top95_1_sol[i] - '0');
  CHECK(sudoku_verify(g, s, reason) == 0);
  s[1] = 4; /* a second 4 in row 1 */
  CHECK(sudoku_verify(g, s, reason) != 0);
  s[1] = 1;
  uint8_t t[SUDOKU_CELLS];
  /* a valid grid that does not keep the givens: relabel 4 <-> 1 */
  for (int i = 0; i < 81; i++)
    t[i] = s[i] == 4 ? 1 : s[i] == 1 ? 4 : s[i];
  CHECK(sudoku_verify(g, t, reason) != 0 && strstr(reason, "given 4") != NULL);
  s[5] = 0;
  CHECK(sudoku_verify(g, s, reason) != 0);
}

typedef enum sudoku_status (*solver_fn)(const uint8_t *, uint8_t *, const struct sudoku_limits *,
                                        uint64_t *);

static void test_solvers(void)
{
  static const solver_fn solvers[2] = {sudoku_fast_solve, sudoku_norvig_solve};
  struct sudoku_limits first = {0, 0}, count = {1, 0};
  uint8_t g[SUDOKU_CELLS], s[SUDOKU_CELLS], s2[SUDOKU_CELLS];
  char txt[82];
  for (int a = 0; a < 2; a++) {
    solver_fn solve = solvers[a];
    parse(top95_1, g);
    CHECK(solve(g, s, &first, NULL) == SUDOKU_SOLVED);
    to_text(s, txt);
    CHECK(strcmp(txt, top95_1_sol) == 0);
    CHECK(solve(g, s, &count, NULL) == SUDOKU_SOLVED);
    /* the solved grid is its own solution */
    uint8_t full[SUDOKU_CELLS];
    memcpy(full, s, 81);
    CHECK(solve(full, s2, &count, NULL) == SUDOKU_SOLVED && memcmp(s2, full, 81) == 0);
    /* empty grid: first solution fast; count mode says 2+ */
    memset(g, 0, 81);
    CHECK(solve(g, s, &first, NULL) == SUDOKU_SOLVED && sudoku_verify(g, s, reason) == 0);
    CHECK(solve(g, s, &count, NULL) == SUDOKU_MULTIPLE);
    /* one wrong given that clashes with nothing: unsolvable */
    parse("4...3.......6..8..........1..2.5..9..8....6...7.2........1.27..5.3....4.9........", g);
    CHECK(solve(g, s, &count, NULL) == SUDOKU_UNSOLVABLE);
    /* clashing givens given straight to the solver (no parser): unsolvable */
    memset(g, 0, 81);
    g[0] = g[1] = 5;
    CHECK(solve(g, s, &first, NULL) == SUDOKU_UNSOLVABLE);
    /* node cap: gave up on hard1 (0 nodes allowed would still propagate) */
    parse(hard1, g);
    struct sudoku_limits capped = {1, 3};
    uint64_t nodes = 0;
    CHECK(solve(g, s, &capped, &nodes) == SUDOKU_GAVE_UP && nodes <= 3);
  }
  /* top95 #2-#6 (Norvig's hardest few): same grid from both */
  static const char *const more[] = {
      "52...6.........7.13...........4..8..6......5...........418.........3..2...87.....",
      "6.....8.3.4.7.................5.4.7.3..2.....1.6.......2.....5.....8.6......1....",
      "85...24..72......9..4.........1.7..23.5...9...4...........8..7..17..........36.4.",
      "..53.....8......2..7..1.5..4....53...1..7...6..32...8..6.5....9..4....3......97..",
      "..............3.85..1.2.......5.7.....4...1...9.......5......73..2.1........4...9"};
  for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
    parse(more[i], g);
    CHECK(sudoku_fast_solve(g, s, &count, NULL) == SUDOKU_SOLVED);
    CHECK(sudoku_norvig_solve(g, s2, &count, NULL) == SUDOKU_SOLVED);
    CHECK(memcmp(s, s2, 81) == 0 && sudoku_verify(g, s, reason) == 0);
  }
  /* line 570 of top2365: 3+ solutions */
  parse("...5.167.......25.5.1.64...185.46..................76.......52....1.5....58......", g);
  CHECK(sudoku_fast_solve(g, s, &count, NULL) == SUDOKU_MULTIPLE);
  CHECK(sudoku_norvig_solve(g, s, &count, NULL) == SUDOKU_MULTIPLE);
}

/* Three "files" as sudoku_text_read lays them out (an empty one, a byte-order
 * mark, CRLF, comments, bad lines): cut into 1..12 pieces at every place,
 * each parsed alone, the pieces together give the same puzzles, files, line
 * numbers and rejected lines as one piece. */
static void test_pieces(void)
{
  char p1[90], p2[90];
  snprintf(p1, sizeof p1, "%s", top95_1);
  snprintf(p2, sizeof p2, "%s", hard1);
  char text[2048];
  size_t start[4];
  int len = 0;
  start[0] = 0; /* file 0: puzzle, comment, bad line, puzzle */
  len += sprintf(text + len, "%s\n# note\n12345\n%s\n", p1, p2);
  start[1] = (size_t)len; /* file 1: empty */
  start[2] = (size_t)len; /* file 2: BOM, CRLF, blank line, bad, puzzle (last newline added) */
  len += sprintf(text + len, "\xef\xbb\xbf%s\r\n\r\nxx\r\n%s\n", p2, p1);
  start[3] = (size_t)len;
  const char *names[3] = {"a", "b", "c"};
  struct sudoku_text tx = {text, (size_t)len, start, 3, names};
  const uint32_t want_file[4] = {0, 0, 2, 2};
  const uint64_t want_line[4] = {1, 4, 1, 4};
  const uint64_t want_rej[2] = {3, 3};
  for (int k = 1; k <= 12; k++) {
    struct sudoku_piece pc[12];
    sudoku_text_split(&tx, k, pc);
    size_t n = 0, nrej = 0;
    int ok = pc[0].lo == 0 && pc[k - 1].hi == tx.len;
    for (int i = 0; i < k; i++) {
      struct sudoku_batch b;
      ok &= i == 0 || pc[i].lo == pc[i - 1].hi;
      ok &= pc[i].lo == 0 || text[pc[i].lo - 1] == '\n';
      if (sudoku_parse_piece(&tx, text + pc[i].lo, pc[i].lo, &pc[i], &b) != 0) {
        ok = 0;
        continue;
      }
      for (size_t j = 0; j < b.n && n + j < 4; j++)
        ok &= b.file[j] == want_file[n + j] && b.line[j] == want_line[n + j];
      for (size_t j = 0; j < b.nrej && nrej + j < 2; j++)
        ok &= b.rej[j].line == want_rej[nrej + j] && b.rej[j].file == (nrej + j ? 2u : 0u);
      n += b.n;
      nrej += b.nrej;
      sudoku_batch_free(&b);
    }
    CHECK(ok && n == 4 && nrej == 2);
  }
  struct sudoku_batch all = {0};
  CHECK(sudoku_parse_text(&tx, 3, &all) == 0 && all.n == 4 && all.nrej == 2 &&
        all.rej[0].before == 1 && all.rej[1].before == 3 && all.line[3] == 4 &&
        all.grids[2 * 81 + 5] == 6);
  sudoku_batch_free(&all);
}

/* Both copies of the fast solver (plain x86-64 and, where the CPU has it,
 * x86-64-v3 with pext) take the same path: same status, grid and nodes on
 * the bundled set (top95) and the empty grid, in both modes. */
static void test_fast_copies(void)
{
  struct sudoku_limits modes[2] = {{0, 0}, {1, 0}};
  uint8_t g[SUDOKU_CELLS], s[SUDOKU_CELLS], s2[SUDOKU_CELLS];
  int puzzles = 0, same = 0;
  const char *p = sudoku_default_set, *end = p + sudoku_default_set_len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (sudoku_parse_line(p, len, g, reason) == SUDOKU_LINE_PUZZLE) {
      for (int m = 0; m < 2; m++) {
        uint64_t n1 = 0, n2 = 0;
        enum sudoku_status a = sudoku_fast_solve(g, s, &modes[m], &n1);
        enum sudoku_status b = sudoku_fast_solve_generic(g, s2, &modes[m], &n2);
        puzzles++;
        same += a == b && n1 == n2 && memcmp(s, s2, 81) == 0;
      }
    }
    p += len + 1;
  }
  CHECK(puzzles == 2 * 95 && same == puzzles);
  memset(g, 0, 81);
  for (int m = 0; m < 2; m++) {
    uint64_t n1 = 0, n2 = 0;
    CHECK(sudoku_fast_solve(g, s, &modes[m], &n1) ==
              sudoku_fast_solve_generic(g, s2, &modes[m], &n2) &&
          n1 == n2 && memcmp(s, s2, 81) == 0);
  }
}

int main(void)
{
  test_parse();
  test_verify();
  test_solvers();
  test_pieces();
  test_fast_copies();
  return check_summary("sudoku.unit");
}
