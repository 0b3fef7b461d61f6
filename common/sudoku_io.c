/* Reading puzzle files into a batch, and writing the results in input order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "errors.h"
#include "sudoku_batch.h"

static int io_grow(void **p, size_t *cap, size_t need, size_t elem)
{
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 1024;
  while (ncap < need)
    ncap *= 2;
  void *q = realloc(*p, ncap * elem);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = ncap;
  return 0;
}

void *sudoku_alloc_big(size_t bytes)
{
  const size_t huge = (size_t)2 << 20;
  if (bytes < huge)
    return malloc(bytes ? bytes : 1);
  void *p = NULL;
  size_t rounded = (bytes + huge - 1) / huge * huge;
  if (posix_memalign(&p, huge, rounded) != 0)
    return NULL;
  madvise(p, rounded, MADV_HUGEPAGE); /* a hint: failure is harmless */
  return p;
}

/* Files from this size on are parsed by all the threads. */
#define IO_PARALLEL_MIN ((off_t)64 << 10)

/* Room for `need` puzzles. Grown by copying (huge-page blocks cannot be
 * realloc()ed); presizing from the file size makes that rare. */
static int io_reserve(struct sudoku_batch *bt, size_t need)
{
  if (need <= bt->cap)
    return 0;
  size_t cap = bt->cap ? bt->cap : 4096;
  while (cap < need)
    cap *= 2;
  uint8_t *gr = sudoku_alloc_big(cap * SUDOKU_CELLS);
  uint32_t *f = sudoku_alloc_big(cap * sizeof *f);
  uint64_t *l = sudoku_alloc_big(cap * sizeof *l);
  if (gr == NULL || f == NULL || l == NULL) {
    free(gr);
    free(f);
    free(l);
    return -1;
  }
  if (bt->n) {
    memcpy(gr, bt->grids, bt->n * SUDOKU_CELLS);
    memcpy(f, bt->file, bt->n * sizeof *f);
    memcpy(l, bt->line, bt->n * sizeof *l);
  }
  free(bt->grids);
  free(bt->file);
  free(bt->line);
  bt->grids = gr;
  bt->file = f;
  bt->line = l;
  bt->cap = cap;
  return 0;
}

/* A UTF-8 byte-order mark at the start of a file is skipped. */
static void io_skip_bom(const char **s, size_t *len)
{
  if (*len >= 3 && memcmp(*s, "\xef\xbb\xbf", 3) == 0) {
    *s += 3;
    *len -= 3;
  }
}

/* One line (without '\n'), parsed straight into the batch; rejected lines
 * are recorded, and reported now when `report` is set. */
static int io_line(struct sudoku_batch *bt, uint32_t fi, uint64_t line, const char *s, size_t len,
                   int report)
{
  struct sudoku_reject rj;
  if (bt->n == bt->cap && io_reserve(bt, bt->n + 1) != 0) {
    err_msg("out of memory after %zu puzzles", bt->n);
    return -1;
  }
  enum sudoku_line_kind k = sudoku_parse_line(s, len, bt->grids + bt->n * SUDOKU_CELLS, rj.reason);
  if (k == SUDOKU_LINE_PUZZLE) {
    bt->file[bt->n] = fi;
    bt->line[bt->n] = line;
    bt->n++;
  } else if (k == SUDOKU_LINE_BAD) {
    if (report)
      err_at(bt->names[fi], (long)line, "%s", rj.reason);
    if (io_grow((void **)&bt->rej, &bt->caprej, bt->nrej + 1, sizeof *bt->rej) != 0) {
      err_msg("out of memory");
      return -1;
    }
    rj.before = bt->n;
    rj.file = fi;
    rj.line = line;
    bt->rej[bt->nrej++] = rj;
  }
  return 0;
}

/* Read one stream in large blocks, line by line; a line may span blocks and
 * the last one may lack its newline. */
static int io_read_stream(FILE *fp, uint32_t fi, struct sudoku_batch *bt)
{
  size_t cap = 1 << 20, have = 0;
  char *buf = malloc(cap);
  uint64_t line = 0;
  int rc = 0;
  if (buf == NULL) {
    err_msg("out of memory");
    return -1;
  }
  for (;;) {
    if (have == cap) { /* one line longer than the buffer */
      char *nb = realloc(buf, cap * 2);
      if (nb == NULL) {
        err_msg("out of memory");
        rc = -1;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + have, 1, cap - have, fp);
    if (got == 0) {
      if (ferror(fp)) {
        err_sys("%s: read error", bt->names[fi]);
        rc = -1;
      } else if (have > 0) {
        const char *ls = buf;
        size_t ll = have;
        if (line == 0)
          io_skip_bom(&ls, &ll);
        rc = io_line(bt, fi, ++line, ls, ll, 1);
      }
      break;
    }
    have += got;
    char *p = buf, *end = buf + have, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
      const char *ls = p;
      size_t ll = (size_t)(nl - p);
      if (line == 0)
        io_skip_bom(&ls, &ll);
      if (io_line(bt, fi, ++line, ls, ll, 1) != 0) {
        rc = -1;
        break;
      }
      p = nl + 1;
    }
    if (rc != 0)
      break;
    have = (size_t)(end - p);
    memmove(buf, p, have);
  }
  free(buf);
  return rc;
}

/* A regular file of `size` bytes, parsed by `threads` OpenMP threads: the
 * text is split at line boundaries, each part parsed into its own batch, and
 * the parts appended in order (errors are reported in line order after the
 * parse). */
static int io_read_parallel(FILE *fp, size_t size, uint32_t fi, struct sudoku_batch *bt,
                            int threads)
{
  char *text = sudoku_alloc_big(size);
  if (text == NULL) {
    err_msg("out of memory for %s", bt->names[fi]);
    return -1;
  }
  size_t got = fread(text, 1, size, fp);
  if (got != size || ferror(fp)) {
    err_sys("%s: read error", bt->names[fi]);
    free(text);
    return -1;
  }
  int T = threads;
  size_t *cut = malloc(((size_t)T + 1) * sizeof *cut);
  uint64_t *nlines = calloc((size_t)T, sizeof *nlines);
  struct sudoku_batch *part = calloc((size_t)T, sizeof *part);
  int *prc = calloc((size_t)T, sizeof *prc);
  if (cut == NULL || nlines == NULL || part == NULL || prc == NULL) {
    err_msg("out of memory");
    free(text);
    free(cut);
    free(nlines);
    free(part);
    free(prc);
    return -1;
  }
  cut[0] = 0;
  for (int t = 1; t < T; t++) { /* each cut just after a newline */
    size_t c = size * (size_t)t / (size_t)T;
    if (c < cut[t - 1])
      c = cut[t - 1];
    const char *nl = c < size ? memchr(text + c, '\n', size - c) : NULL;
    cut[t] = nl ? (size_t)(nl - text) + 1 : size;
  }
  cut[T] = size;

#pragma omp parallel for num_threads(T) schedule(static, 1)
  for (int t = 0; t < T; t++) {
    struct sudoku_batch *b = &part[t];
    b->names = bt->names;
    size_t lo = cut[t], hi = cut[t + 1];
    if (io_reserve(b, (hi - lo) / (SUDOKU_CELLS + 1) + 1) != 0) {
      prc[t] = -1;
      continue;
    }
    uint64_t line = 0;
    const char *p = text + lo, *end = text + hi;
    while (p < end && prc[t] == 0) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      const char *e = nl ? nl : end;
      size_t len = (size_t)(e - p);
      if (t == 0 && line == 0)
        io_skip_bom(&p, &len);
      prc[t] = io_line(b, fi, ++line, p, len, 0);
      p = e + 1;
    }
    nlines[t] = line;
  }

  int rc = 0;
  size_t total = bt->n;
  for (int t = 0; t < T; t++) {
    rc |= prc[t];
    total += part[t].n;
  }
  if (rc == 0 && io_reserve(bt, total) != 0) {
    err_msg("out of memory for %zu puzzles", total);
    rc = -1;
  }
  if (rc == 0) {
    size_t poff = bt->n;
    uint64_t loff = 0;
    size_t *po = malloc((size_t)T * sizeof *po);
    uint64_t *lo = malloc((size_t)T * sizeof *lo);
    if (po == NULL || lo == NULL) {
      err_msg("out of memory");
      rc = -1;
    } else {
      for (int t = 0; t < T; t++) {
        po[t] = poff;
        lo[t] = loff;
        poff += part[t].n;
        loff += nlines[t];
      }
#pragma omp parallel for num_threads(T) schedule(static, 1)
      for (int t = 0; t < T; t++) {
        struct sudoku_batch *b = &part[t];
        if (b->n)
          memcpy(bt->grids + po[t] * SUDOKU_CELLS, b->grids, b->n * SUDOKU_CELLS);
        for (size_t i = 0; i < b->n; i++) {
          bt->file[po[t] + i] = fi;
          bt->line[po[t] + i] = b->line[i] + lo[t];
        }
      }
      for (int t = 0; t < T && rc == 0; t++)
        for (size_t r = 0; r < part[t].nrej; r++) {
          struct sudoku_reject rj = part[t].rej[r];
          rj.before += po[t];
          rj.line += lo[t];
          err_at(bt->names[fi], (long)rj.line, "%s", rj.reason);
          if (io_grow((void **)&bt->rej, &bt->caprej, bt->nrej + 1, sizeof *bt->rej) != 0) {
            err_msg("out of memory");
            rc = -1;
            break;
          }
          bt->rej[bt->nrej++] = rj;
        }
      bt->n = total;
    }
    free(po);
    free(lo);
  }
  for (int t = 0; t < T; t++) {
    part[t].names = NULL;
    sudoku_batch_free(&part[t]);
  }
  free(text);
  free(cut);
  free(nlines);
  free(part);
  free(prc);
  return rc;
}

int sudoku_read_inputs(const struct sudoku_opts *o, struct sudoku_batch *bt)
{
  memset(bt, 0, sizeof *bt);
  size_t nin = o->nfiles > 0 ? (size_t)o->nfiles : 1;
  bt->names = calloc(nin, sizeof *bt->names);
  if (bt->names == NULL) {
    err_msg("out of memory");
    return -1;
  }
  bt->nnames = nin;
  if (o->nfiles == 0) {
    bt->names[0] = sudoku_default_set_name;
    FILE *fp = fmemopen((void *)sudoku_default_set, sudoku_default_set_len, "r");
    if (fp == NULL) {
      err_sys("cannot open the bundled puzzle set");
      return -1;
    }
    int rc = io_read_stream(fp, 0, bt);
    fclose(fp);
    return rc;
  }
  for (size_t i = 0; i < nin; i++) {
    const char *f = o->files[i];
    int is_stdin = strcmp(f, "-") == 0;
    bt->names[i] = is_stdin ? "<stdin>" : f;
    FILE *fp = is_stdin ? stdin : fopen(f, "r");
    if (fp == NULL) {
      err_sys("%s", f);
      return -1;
    }
    struct stat sb;
    int regular = !is_stdin && fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode);
    int rc;
    if (regular && o->threads > 1 && sb.st_size >= IO_PARALLEL_MIN) {
      rc = io_read_parallel(fp, (size_t)sb.st_size, (uint32_t)i, bt, o->threads);
    } else if (regular &&
               io_reserve(bt, bt->n + (size_t)sb.st_size / (SUDOKU_CELLS + 1) + 1) != 0) {
      err_msg("out of memory for %s", f);
      rc = -1;
    } else {
      rc = io_read_stream(fp, (uint32_t)i, bt);
    }
    if (!is_stdin)
      fclose(fp);
    if (rc != 0)
      return -1;
  }
  return 0;
}

void sudoku_batch_free(struct sudoku_batch *bt)
{
  free(bt->grids);
  free(bt->file);
  free(bt->line);
  free(bt->rej);
  free(bt->names);
  memset(bt, 0, sizeof *bt);
}

/* ---- output ---------------------------------------------------------------- */

struct io_out {
  FILE *fp;
  char buf[1 << 16];
  size_t len;
  int failed;
};

static void io_flush(struct io_out *w)
{
  if (w->len && !w->failed && fwrite(w->buf, 1, w->len, w->fp) != w->len)
    w->failed = 1;
  w->len = 0;
}

static void io_put(struct io_out *w, const char *s, size_t n)
{
  if (w->len + n > sizeof w->buf)
    io_flush(w);
  if (n > sizeof w->buf) {
    if (!w->failed && fwrite(s, 1, n, w->fp) != n)
      w->failed = 1;
    return;
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}

static void io_puts(struct io_out *w, const char *s)
{
  io_put(w, s, strlen(s));
}

static void io_grid_text(char *out, const uint8_t *g)
{
  for (int c = 0; c < SUDOKU_CELLS; c++)
    out[c] = g[c] ? (char)('0' + g[c]) : '.';
}

/* The textbook's board (Norvig's display()), trailing blanks removed. */
static void io_pretty_grid(struct io_out *w, const uint8_t *g)
{
  for (int r = 0; r < 9; r++) {
    char line[32];
    size_t n = 0;
    for (int c = 0; c < 9; c++) {
      int d = g[9 * r + c];
      line[n++] = d ? (char)('0' + d) : '.';
      line[n++] = ' ';
      if (c == 2 || c == 5)
        line[n++] = '|';
    }
    line[n - 1] = '\n';
    io_put(w, line, n);
    if (r == 2 || r == 5)
      io_puts(w, "------+------+------\n");
  }
}

static const char *io_status_word(int st, int count)
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

static void io_write_reject(struct io_out *w, const struct sudoku_batch *bt,
                            const struct sudoku_reject *rj, int pretty)
{
  char line[SUDOKU_REASON_MAX + 4200];
  int n;
  if (pretty)
    n = snprintf(line, sizeof line, "%s:%llu: invalid: %s\n\n", bt->names[rj->file],
                 (unsigned long long)rj->line, rj->reason);
  else
    n = snprintf(line, sizeof line, "invalid %s:%llu: %s\n", bt->names[rj->file],
                 (unsigned long long)rj->line, rj->reason);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof line) { /* an absurdly long file name: cut, keep the newline */
    n = (int)sizeof line - 1;
    line[n - 1] = '\n';
  }
  io_put(w, line, (size_t)n);
}

/* One valid puzzle's line(s); verification happens here, before printing. */
static void io_write_one(struct io_out *w, const struct sudoku_opts *o,
                         const struct sudoku_batch *bt, size_t i, const struct sudoku_result *r,
                         int checked_ok, struct sudoku_counts *cnt)
{
  const uint8_t *g = bt->grids + i * SUDOKU_CELLS;
  int st = r->status, bad = 0;
  char reason[SUDOKU_REASON_MAX];

  switch (st) {
  case SUDOKU_SOLVED:
  case SUDOKU_MULTIPLE:
    if (!checked_ok && sudoku_verify(g, r->sol, reason) != 0) {
      err_at(bt->names[bt->file[i]], (long)bt->line[i], "solution fails verification: %s", reason);
      cnt->verify_failed++;
      bad = 1;
    } else {
      cnt->verified++;
    }
    if (st == SUDOKU_SOLVED)
      cnt->solved++;
    else
      cnt->multiple++;
    break;
  case SUDOKU_UNSOLVABLE: /* a result, but reported like the design notes ask */
    err_at(bt->names[bt->file[i]], (long)bt->line[i], "no solution");
    cnt->unsolvable++;
    break;
  default:
    err_at(bt->names[bt->file[i]], (long)bt->line[i], "gave up (--max-nodes %llu reached)",
           (unsigned long long)o->lim.max_nodes);
    cnt->gave_up++;
    break;
  }
  if (o->quiet || (o->json && o->output == NULL))
    return;

  char line[SUDOKU_CELLS + 32];
  size_t n = SUDOKU_CELLS;
  int show_sol = (st == SUDOKU_SOLVED || st == SUDOKU_MULTIPLE) && !bad;
  if (o->pretty) {
    char head[4400];
    snprintf(head, sizeof head, "%s:%llu: %s\n", bt->names[bt->file[i]],
             (unsigned long long)bt->line[i],
             bad ? "verification failed" : io_status_word(st, o->lim.count));
    io_puts(w, head);
    io_pretty_grid(w, show_sol ? r->sol : g);
    io_puts(w, "\n");
    return;
  }
  io_grid_text(line, show_sol ? r->sol : g);
  const char *tag = bad                       ? " verify-failed"
                    : st == SUDOKU_SOLVED     ? ""
                    : st == SUDOKU_MULTIPLE   ? " multiple"
                    : st == SUDOKU_UNSOLVABLE ? " unsolvable"
                                              : " gave-up";
  size_t tl = strlen(tag);
  memcpy(line + n, tag, tl);
  n += tl;
  line[n++] = '\n';
  io_put(w, line, n);
}

int sudoku_write_results(const struct sudoku_opts *o, const struct sudoku_batch *bt,
                         const struct sudoku_result *res, struct sudoku_counts *cnt)
{
  memset(cnt, 0, sizeof *cnt);
  cnt->invalid = bt->nrej;
  int lines = !(o->quiet || (o->json && o->output == NULL));
  int to_file = o->output != NULL && strcmp(o->output, "-") != 0;
  struct afile af;
  struct io_out *w = malloc(sizeof *w);
  if (w == NULL) {
    err_msg("out of memory");
    return -1;
  }
  w->len = 0;
  w->failed = 0;
  w->fp = stdout;
  if (to_file) {
    if (afile_open(&af, o->output) != 0) {
      free(w);
      return -1;
    }
    w->fp = af.fp;
  }

  /* check every grid first, on all threads; a failure is checked again, and
   * reported, in order below (ok == NULL: everything is checked there) */
  uint8_t *ok = bt->n ? sudoku_alloc_big(bt->n) : NULL;
  if (ok != NULL) {
    char why[SUDOKU_REASON_MAX];
#pragma omp parallel for num_threads(o->threads) schedule(static) private(why)
    for (size_t i = 0; i < bt->n; i++)
      ok[i] = (uint8_t)((res[i].status == SUDOKU_SOLVED || res[i].status == SUDOKU_MULTIPLE) &&
                        sudoku_verify(bt->grids + i * SUDOKU_CELLS, res[i].sol, why) == 0);
  }
  size_t rj = 0;
  for (size_t i = 0; i < bt->n; i++) {
    for (; rj < bt->nrej && bt->rej[rj].before == i; rj++)
      if (lines)
        io_write_reject(w, bt, &bt->rej[rj], o->pretty);
    io_write_one(w, o, bt, i, &res[i], ok ? ok[i] : 0, cnt);
  }
  for (; rj < bt->nrej; rj++)
    if (lines)
      io_write_reject(w, bt, &bt->rej[rj], o->pretty);
  io_flush(w);
  free(ok);

  int rc = 0;
  if (to_file) {
    if (w->failed) {
      err_sys("%s: write error", o->output);
      afile_abort(&af);
      rc = -1;
    } else if (afile_commit(&af) != 0) {
      rc = -1;
    }
  } else if (w->failed || fflush(stdout) != 0) {
    err_sys("standard output: write error");
    rc = -1;
  }
  free(w);
  return rc;
}
