/* Parsing the text: each piece (a run of whole lines) into puzzles and
 * rejected lines, by several threads at once, and the report of the
 * rejected lines (the first few in full, then a count). */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "memory.h"
#include "msglimit.h"
#include "sudoku_batch.h"

#define SUDOKU_REJECT_KIND "rejected line"

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 64;
  while (ncap < need)
    ncap *= 2;
  void *q = realloc(*p, ncap * elem);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = ncap;
  return 0;
}

/* At most this many puzzles fit in `bytes` of text: each takes 81 cells and
 * a newline. */
static size_t max_puzzles(size_t bytes)
{
  return bytes / (SUDOKU_CELLS + 1) + 1;
}

/* Parse text[lo, hi) (a whole number of lines; `text` holds the bytes from
 * `base` on) into grids/file/line at slot `at` on, rejected lines onto
 * bt->rej (their `before` counted from `at`). Returns the puzzles parsed, or
 * -1 when out of memory. */
static long parse_piece_into(const struct sudoku_text *tx, const char *text, size_t base,
                             const struct sudoku_piece *pc, struct sudoku_batch *bt, size_t at)
{
  uint32_t f = pc->file;
  uint64_t line = pc->line;
  size_t n = 0;
  for (size_t pos = pc->lo; pos < pc->hi;) {
    while (f + 1 < tx->nfiles && tx->start[f + 1] <= pos) { /* the next file */
      f++;
      line = 1;
    }
    const char *s = text + (pos - base);
    const char *nl = memchr(s, '\n', pc->hi - pos);
    size_t len = nl ? (size_t)(nl - s) : pc->hi - pos;
    if (pos == tx->start[f] && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
      s += 3; /* a UTF-8 byte-order mark */
      len -= 3;
    }
    pos = nl ? (size_t)(nl - text) + base + 1 : pc->hi;
    struct sudoku_reject rj;
    enum sudoku_line_kind k =
        sudoku_parse_line(s, len, bt->grids + (at + n) * SUDOKU_CELLS, rj.reason);
    if (k == SUDOKU_LINE_PUZZLE) {
      bt->file[at + n] = f;
      bt->line[at + n] = line;
      n++;
    } else if (k == SUDOKU_LINE_BAD) {
      if (grow((void **)&bt->rej, &bt->caprej, bt->nrej + 1, sizeof *bt->rej) != 0)
        return -1;
      rj.before = n;
      rj.file = f;
      rj.line = line;
      bt->rej[bt->nrej++] = rj;
    }
    line++;
  }
  return (long)n;
}

void sudoku_rejects_place(const struct sudoku_text *tx, struct sudoku_reject *rej, size_t n,
                          size_t before_offset, uint64_t earlier, FILE *msgs)
{
  struct msglimit lim;
  msglimit_init(&lim, SUDOKU_REJECT_MESSAGES);
  msglimit_skip(&lim, SUDOKU_REJECT_KIND, earlier);
  for (size_t r = 0; r < n; r++) {
    rej[r].before += before_offset;
    if (msglimit_take(&lim, SUDOKU_REJECT_KIND))
      err_at_to(msgs, tx->names[rej[r].file], (long)rej[r].line, "%s", rej[r].reason);
  }
  msglimit_destroy(&lim);
}

void sudoku_rejects_summary(uint64_t total)
{
  struct msglimit lim;
  msglimit_init(&lim, SUDOKU_REJECT_MESSAGES);
  msglimit_skip(&lim, SUDOKU_REJECT_KIND, total);
  msglimit_summary(&lim);
  msglimit_destroy(&lim);
}

/* One block for the three arrays: line numbers first (8-byte aligned),
 * then file indexes, then grids (a fresh page costs more here than the
 * few bytes they share). */
int sudoku_batch_alloc(struct sudoku_batch *bt, size_t cap)
{
  size_t lines = cap * sizeof *bt->line, files = cap * sizeof *bt->file;
  char *block = mem_alloc_big(lines + files + cap * SUDOKU_CELLS);
  bt->cap = cap;
  if (block == NULL) {
    bt->line = NULL;
    bt->file = NULL;
    bt->grids = NULL;
    return -1;
  }
  bt->line = (uint64_t *)(void *)block;
  bt->file = (uint32_t *)(void *)(block + lines);
  bt->grids = (uint8_t *)(block + lines + files);
  return 0;
}

int sudoku_parse_piece(const struct sudoku_text *tx, const char *text, size_t base,
                       const struct sudoku_piece *pc, struct sudoku_batch *bt)
{
  memset(bt, 0, sizeof *bt);
  if (sudoku_batch_alloc(bt, max_puzzles(pc->hi - pc->lo)) != 0) {
    err_msg("out of memory for %zu bytes of puzzles", (size_t)(pc->hi - pc->lo));
    return -1;
  }
  long n = parse_piece_into(tx, text, base, pc, bt, 0);
  if (n < 0) {
    err_msg("out of memory");
    return -1;
  }
  bt->n = (size_t)n;
  return 0;
}

/* Parse the whole text with `threads` threads, each piece straight into the
 * batch at a slot range big enough for it; then close the gaps (in order,
 * so overlapping moves are safe) and report the rejected lines in order. */
int sudoku_parse_text(const struct sudoku_text *tx, int threads, struct sudoku_batch *bt)
{
  memset(bt, 0, sizeof *bt);
  int T = tx->len >= ((size_t)64 << 10) ? threads : 1; /* small inputs: not worth it */
  struct sudoku_piece *pc = calloc((size_t)T, sizeof *pc);
  size_t *slot = calloc((size_t)T + 1, sizeof *slot);
  long *got = calloc((size_t)T, sizeof *got);
  struct sudoku_batch *rej = calloc((size_t)T, sizeof *rej); /* rejected lines only */
  int rc = -1;
  if (pc == NULL || slot == NULL || got == NULL || rej == NULL) {
    err_msg("out of memory");
    goto out;
  }
  sudoku_text_split(tx, T, pc);
  for (int t = 0; t < T; t++)
    slot[t + 1] = slot[t] + max_puzzles(pc[t].hi - pc[t].lo);
  if (sudoku_batch_alloc(bt, slot[T]) != 0) {
    err_msg("out of memory for %zu puzzles", slot[T]);
    goto out;
  }
#pragma omp parallel for num_threads(T) schedule(static, 1)
  for (int t = 0; t < T; t++) {
    struct sudoku_batch view = *bt; /* this piece's slots; its own reject list */
    view.rej = NULL;
    view.nrej = view.caprej = 0;
    got[t] = parse_piece_into(tx, tx->buf, 0, &pc[t], &view, slot[t]);
    rej[t].rej = view.rej;
    rej[t].nrej = view.nrej;
  }
  size_t n = 0;
  for (int t = 0; t < T; t++) {
    if (got[t] < 0) {
      err_msg("out of memory");
      goto out;
    }
    size_t k = (size_t)got[t];
    if (n != slot[t] && k > 0) {
      memmove(bt->grids + n * SUDOKU_CELLS, bt->grids + slot[t] * SUDOKU_CELLS, k * SUDOKU_CELLS);
      memmove(bt->file + n, bt->file + slot[t], k * sizeof *bt->file);
      memmove(bt->line + n, bt->line + slot[t], k * sizeof *bt->line);
    }
    sudoku_rejects_place(tx, rej[t].rej, rej[t].nrej, n, bt->nrej, stderr);
    if (rej[t].nrej > 0) {
      if (grow((void **)&bt->rej, &bt->caprej, bt->nrej + rej[t].nrej, sizeof *bt->rej) != 0) {
        err_msg("out of memory");
        goto out;
      }
      memcpy(bt->rej + bt->nrej, rej[t].rej, rej[t].nrej * sizeof *bt->rej);
      bt->nrej += rej[t].nrej;
    }
    n += k;
  }
  bt->n = n;
  sudoku_rejects_summary(bt->nrej);
  rc = 0;
out:
  for (int t = 0; rej != NULL && t < T; t++)
    free(rej[t].rej);
  free(pc);
  free(slot);
  free(got);
  free(rej);
  return rc;
}

void sudoku_batch_free(struct sudoku_batch *bt)
{
  free(bt->line); /* the block of all three arrays */
  free(bt->rej);
  memset(bt, 0, sizeof *bt);
}
