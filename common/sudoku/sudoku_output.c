/* Writing the results in input order. Records are formatted by all the
 * threads, a window at a time: each thread measures its block of records,
 * the block offsets are summed up, each thread formats its block into place,
 * and the window goes out in one write. Messages on stderr (unsolvable, gave
 * up, failed check) are printed in order by one thread. */
#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "errors.h"
#include "memory.h"
#include "sudoku_batch.h"

/* Puzzles formatted per window: bounds the buffer (about 6 MB plain). */
#define OUT_WINDOW ((size_t)1 << 16)
/* Room for the longest record: a pretty heading with a long file name. */
#define OUT_RECORD_MAX (SUDOKU_REASON_MAX + 4400)

static const char *out_status_word(int st, int count)
{
  switch (st) {
  case SUDOKU_SOLVED:
    return count ? "solved (unique)" : "solved";
  case SUDOKU_MULTIPLE:
    return "multiple";
  case SUDOKU_UNSOLVABLE:
    return "unsolvable";
  default:
    return "gave-up";
  }
}

/* The textbook's board (Norvig's display()), trailing blanks removed. */
static size_t out_pretty_grid(char *out, const uint8_t *g)
{
  size_t n = 0;
  for (int r = 0; r < 9; r++) {
    for (int c = 0; c < 9; c++) {
      int d = g[9 * r + c];
      out[n++] = d ? (char)('0' + d) : '.';
      out[n++] = ' ';
      if (c == 2 || c == 5)
        out[n++] = '|';
    }
    out[n - 1] = '\n';
    if (r == 2 || r == 5) {
      memcpy(out + n, "------+------+------\n", 21);
      n += 21;
    }
  }
  return n;
}

/* A rejected line's record. */
static size_t out_reject(char *out, const struct sudoku_text *tx, const struct sudoku_reject *rj,
                         int pretty)
{
  int n =
      snprintf(out, OUT_RECORD_MAX, pretty ? "%s:%llu: invalid: %s\n\n" : "invalid %s:%llu: %s\n",
               tx->names[rj->file], (unsigned long long)rj->line, rj->reason);
  if (n < 0)
    return 0;
  if ((size_t)n >= OUT_RECORD_MAX) { /* an absurdly long file name: cut, keep the newline */
    n = OUT_RECORD_MAX - 1;
    out[n - 1] = '\n';
  }
  return (size_t)n;
}

/* The tag after a plain record's 81 cells. */
static const char *out_tag(const struct sudoku_result *r)
{
  int st = r->status, found = st == SUDOKU_SOLVED || st == SUDOKU_MULTIPLE;
  return found && !r->checked      ? " verify-failed"
         : st == SUDOKU_SOLVED     ? ""
         : st == SUDOKU_MULTIPLE   ? " multiple"
         : st == SUDOKU_UNSOLVABLE ? " unsolvable"
                                   : " gave-up";
}

/* Puzzle i's record: its solution, or the puzzle itself with a tag. */
static size_t out_puzzle(char *out, const struct sudoku_opts *o, const struct sudoku_text *tx,
                         const struct sudoku_batch *bt, size_t i, const struct sudoku_result *r)
{
  const uint8_t *g = bt->grids + i * SUDOKU_CELLS;
  int st = r->status, found = st == SUDOKU_SOLVED || st == SUDOKU_MULTIPLE;
  int bad = found && !r->checked, show_sol = found && !bad;
  const uint8_t *show = show_sol ? r->sol : g;
  if (o->pretty) {
    int n = snprintf(out, OUT_RECORD_MAX - 300, "%s:%llu: %s\n", tx->names[bt->file[i]],
                     (unsigned long long)bt->line[i],
                     bad ? "verification failed" : out_status_word(st, o->lim.count));
    size_t len = n < 0 ? 0 : (size_t)n < OUT_RECORD_MAX - 300 ? (size_t)n : OUT_RECORD_MAX - 301;
    len += out_pretty_grid(out + len, show);
    out[len++] = '\n';
    return len;
  }
  for (int c = 0; c < SUDOKU_CELLS; c++) /* branch-free: the compiler vectorises it */
    out[c] = (char)(show[c] + '0' - (show[c] == 0) * ('0' - '.'));
  const char *tag = out_tag(r);
  size_t tl = strlen(tag);
  memcpy(out + SUDOKU_CELLS, tag, tl);
  out[SUDOKU_CELLS + tl] = '\n';
  return SUDOKU_CELLS + tl + 1;
}

/* The length of puzzle i's record (plain records without formatting). */
static size_t out_puzzle_len(const struct sudoku_opts *o, const struct sudoku_text *tx,
                             const struct sudoku_batch *bt, size_t i, const struct sudoku_result *r)
{
  if (!o->pretty)
    return SUDOKU_CELLS + strlen(out_tag(r)) + 1;
  char rec[OUT_RECORD_MAX];
  return out_puzzle(rec, o, tx, bt, i, r);
}

void sudoku_account(const struct sudoku_opts *o, const struct sudoku_text *tx,
                    const struct sudoku_batch *bt, const struct sudoku_result *res,
                    struct sudoku_counts *cnt, FILE *msgs)
{
  memset(cnt, 0, sizeof *cnt);
  cnt->invalid = bt->nrej;
  for (size_t i = 0; i < bt->n; i++) {
    const char *name = tx->names[bt->file[i]];
    long line = (long)bt->line[i];
    switch (res[i].status) {
    case SUDOKU_SOLVED:
    case SUDOKU_MULTIPLE:
      if (res[i].checked) {
        cnt->verified++;
      } else { /* say why: check it again */
        char reason[SUDOKU_REASON_MAX];
        if (sudoku_verify(bt->grids + i * SUDOKU_CELLS, res[i].sol, reason) == 0)
          snprintf(reason, sizeof reason, "not checked");
        err_at_to(msgs, name, line, "solution fails verification: %s", reason);
        cnt->verify_failed++;
      }
      if (res[i].status == SUDOKU_SOLVED)
        cnt->solved++;
      else
        cnt->multiple++;
      break;
    case SUDOKU_UNSOLVABLE: /* a result, but reported like the design notes ask */
      err_at_to(msgs, name, line, "no solution");
      cnt->unsolvable++;
      break;
    default:
      err_at_to(msgs, name, line, "gave up (--max-nodes %llu reached)",
                (unsigned long long)o->lim.max_nodes);
      cnt->gave_up++;
      break;
    }
  }
}

/* The first rejected line that goes before puzzle `at` or later. */
static size_t out_first_reject(const struct sudoku_batch *bt, size_t at)
{
  size_t lo = 0, hi = bt->nrej;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (bt->rej[mid].before < at)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The records of puzzles [lo, hi) with the rejected lines before each (and
 * those after the last puzzle when `tail`), into out, or only measured when
 * out is NULL. Returns the bytes. */
static size_t out_block(char *out, const struct sudoku_opts *o, const struct sudoku_text *tx,
                        const struct sudoku_batch *bt, const struct sudoku_result *res, size_t lo,
                        size_t hi, int tail)
{
  char rec[OUT_RECORD_MAX];
  size_t off = 0, r = out_first_reject(bt, lo);
  for (size_t i = lo; i <= hi; i++) {
    for (; r < bt->nrej && bt->rej[r].before == i && (i < hi || tail); r++) {
      size_t len = out_reject(rec, tx, &bt->rej[r], o->pretty); /* snprintf: via rec */
      if (out)
        memcpy(out + off, rec, len);
      off += len;
    }
    if (i == hi)
      break;
    if (out == NULL)
      off += out_puzzle_len(o, tx, bt, i, &res[i]);
    else if (!o->pretty) /* plain: straight into place */
      off += out_puzzle(out + off, o, tx, bt, i, &res[i]);
    else {
      size_t len = out_puzzle(rec, o, tx, bt, i, &res[i]);
      memcpy(out + off, rec, len);
      off += len;
    }
  }
  return off;
}

struct out_window {
  char *buf;
  size_t cap;
};

/* Format puzzles [lo, hi) and the rejected lines among them (and after the
 * last puzzle when hi == n) into w->buf: each thread measures a block of
 * them, the block offsets are summed, each thread formats its block into
 * place. Returns the bytes, or SIZE_MAX when out of memory. */
static size_t out_format_window(const struct sudoku_opts *o, const struct sudoku_text *tx,
                                const struct sudoku_batch *bt, const struct sudoku_result *res,
                                size_t lo, size_t hi, struct out_window *w)
{
  int T = o->threads;
  size_t *at = calloc((size_t)T + 1, sizeof *at), total = 0;
  int nomem = at == NULL;
#pragma omp parallel num_threads(T) if (!nomem)
  {
    size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
    size_t blo = lo + (hi - lo) * t / nt, bhi = lo + (hi - lo) * (t + 1) / nt;
    int tail = t == nt - 1 && hi == bt->n;
    if (!nomem)
      at[t + 1] = out_block(NULL, o, tx, bt, res, blo, bhi, tail);
#pragma omp barrier
#pragma omp single
    {
      for (size_t k = 0; !nomem && k < nt; k++)
        at[k + 1] += at[k];
      total = nomem ? 0 : at[nt];
      if (!nomem && total > w->cap) {
        free(w->buf);
        w->cap = total + total / 4;
        w->buf = mem_alloc_big(w->cap);
        nomem = w->buf == NULL;
      }
    } /* implied barrier */
    if (!nomem)
      out_block(w->buf + at[t], o, tx, bt, res, blo, bhi, tail);
  }
  free(at);
  return nomem ? SIZE_MAX : total;
}

char *sudoku_format_piece(const struct sudoku_opts *o, const struct sudoku_text *tx,
                          const struct sudoku_batch *bt, const struct sudoku_result *res,
                          char *spare, size_t cap, size_t *len)
{
  struct out_window w = {spare, spare != NULL ? cap : 0};
  size_t bytes = out_format_window(o, tx, bt, res, 0, bt->n, &w);
  if (bytes == SIZE_MAX) {
    free(w.buf);
    return NULL;
  }
  *len = bytes;
  return w.buf != NULL ? w.buf : malloc(1);
}

int sudoku_wants_output(const struct sudoku_opts *o)
{
  /* --quiet drops the records that would go to stdout, never a file's */
  return !(o->quiet && afile_is_stdout(o->output));
}

int sudoku_results_on_stdout(const struct sudoku_opts *o)
{
  return sudoku_wants_output(o) && afile_is_stdout(o->output);
}

int sudoku_out_open_target(const struct sudoku_opts *o, const struct afile_target *t,
                           struct sudoku_out *out)
{
  memset(out, 0, sizeof *out);
  if (afile_open_target(&out->af, t) != 0)
    return -1;
  out->open = 1;
  out->af.durable = o->fsync;
  return 0;
}

int sudoku_out_open(const struct sudoku_opts *o, struct sudoku_out *out)
{
  struct afile_target t;
  memset(out, 0, sizeof *out);
  if (afile_target(o->output ? o->output : "-", &t) != 0)
    return -1;
  return sudoku_out_open_target(o, &t, out);
}

void sudoku_out_write(struct sudoku_out *out, const char *buf, size_t len)
{
  if (!out->open || out->failed || len == 0)
    return;
  errno = 0;
  if (fwrite(buf, 1, len, out->af.fp) != len) {
    out->failed = 1;
    out->err = errno ? errno : EIO;
  }
}

void sudoku_out_abort(struct sudoku_out *out)
{
  if (out->open)
    afile_abort(&out->af);
  out->open = 0;
}

int sudoku_out_close(struct sudoku_out *out)
{
  if (!out->open)
    return -1;
  if (out->failed) {
    if (!out->nomem)
      err_at(out->af.t.name, 0, "write error: %s", strerror(out->err));
    sudoku_out_abort(out);
    return -1;
  }
  out->open = 0;
  return afile_commit(&out->af);
}

int sudoku_write_results(const struct sudoku_opts *o, const struct sudoku_text *tx,
                         const struct sudoku_batch *bt, const struct sudoku_result *res,
                         struct sudoku_counts *cnt, struct sudoku_out *out)
{
  sudoku_account(o, tx, bt, res, cnt, stderr);
  if (out == NULL)
    return 0;
  struct out_window w = {NULL, 0};
  size_t lo = 0;
  do {
    size_t hi = bt->n - lo > OUT_WINDOW ? lo + OUT_WINDOW : bt->n;
    size_t bytes = out_format_window(o, tx, bt, res, lo, hi, &w);
    if (bytes == SIZE_MAX) {
      err_msg("out of memory formatting the output");
      out->failed = out->nomem = 1;
    }
    sudoku_out_write(out, w.buf, bytes);
    lo = hi;
  } while (lo < bt->n && !out->failed);
  free(w.buf);
  return sudoku_out_close(out);
}
