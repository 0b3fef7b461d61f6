/* Reading puzzle inputs: every input is read whole into one text, which is
 * then cut at line boundaries into pieces that threads (or ranks) parse at
 * the same time (sudoku_pieces.c). Line ends "\n", "\r\n" and a lone "\r"
 * are all accepted: a lone '\r' is turned into '\n' here, once, so that the
 * splitter, the line counts and the hot parse loop see '\n' ends only. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errors.h"
#include "lines.h"
#include "memory.h"
#include "sudoku_batch.h"

/* ---- the text -------------------------------------------------------------- */

/* Append `n` bytes of room to the text; returns where they start, or NULL. */
static char *text_room(struct sudoku_text *tx, size_t *cap, size_t n)
{
  if (tx->len + n > *cap) {
    size_t ncap = *cap ? *cap : (size_t)1 << 20;
    while (ncap < tx->len + n)
      ncap *= 2;
    char *nb = mem_alloc_big(ncap);
    if (nb == NULL)
      return NULL;
    if (tx->len)
      memcpy(nb, tx->buf, tx->len);
    free(tx->buf);
    tx->buf = nb;
    *cap = ncap;
  }
  return tx->buf + tx->len;
}

/* Lone '\r' line ends in [p, end) become '\n', in place: the length, the
 * offsets and the line numbers stay ("\r\n" is one line end, a lone '\r'
 * one, as the line reader counts them); the '\r' of "\r\n" is left for
 * the parser, which drops it. Costs one memchr when there is no '\r'. */
static void text_unify_cr(char *p, char *end)
{
  while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
    if (p + 1 == end || p[1] != '\n')
      *p = '\n';
    p++;
  }
}

/* A file whose first bytes are clearly not text is refused whole, with one
 * message, instead of a message for every line of it. */
static int text_is_binary(const char *buf, size_t len, const char *name)
{
  size_t at, n = len < LINES_SNIFF ? len : LINES_SNIFF;
  int kind = lines_binary(buf, n, &at);
  if (kind == 1)
    err_at(name, 0, "binary data, not puzzles (a NUL byte at offset %zu)", at);
  else if (kind == 2)
    err_at(name, 0, "binary data, not puzzles (%zu of the first %zu bytes are control characters)",
           at, n);
  return kind != 0;
}

/* Read all of fp onto the end of the text (regular files in one read, the
 * size known); the file then ends with a newline. Returns EXIT_OK, or
 * EXIT_FAIL / EXIT_DATA (binary data) after a message. */
static int text_add(struct sudoku_text *tx, size_t *cap, FILE *fp, const char *name)
{
  struct stat sb;
  size_t want = 1 << 20, start = tx->start[tx->nfiles];
  if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
    want = (size_t)sb.st_size + 1;
  for (;;) {
    char *at = text_room(tx, cap, want);
    if (at == NULL) {
      err_msg("out of memory reading %s", name);
      return EXIT_FAIL;
    }
    size_t got = fread(at, 1, want, fp);
    tx->len += got;
    if (got < want) {
      if (ferror(fp)) {
        err_sys("%s: read error", name);
        return EXIT_FAIL;
      }
      break;
    }
  }
  if (text_is_binary(tx->buf + start, tx->len - start, name))
    return EXIT_DATA;
  text_unify_cr(tx->buf + start, tx->buf + tx->len);
  if (tx->len > start && tx->buf[tx->len - 1] != '\n') { /* no final newline */
    char *at = text_room(tx, cap, 1);
    if (at == NULL) {
      err_msg("out of memory reading %s", name);
      return EXIT_FAIL;
    }
    *at = '\n';
    tx->len++;
  }
  tx->start[++tx->nfiles] = tx->len;
  return EXIT_OK;
}

int sudoku_text_names(const struct sudoku_opts *o, struct sudoku_text *tx)
{
  memset(tx, 0, sizeof *tx);
  size_t nin = o->nfiles > 0 ? (size_t)o->nfiles : 1;
  tx->names = calloc(nin, sizeof *tx->names);
  tx->start = calloc(nin + 1, sizeof *tx->start);
  if (tx->names == NULL || tx->start == NULL) {
    err_msg("out of memory");
    return -1;
  }
  if (o->nfiles == 0)
    tx->names[0] = sudoku_default_set_name;
  for (int i = 0; i < o->nfiles; i++)
    tx->names[i] = strcmp(o->files[i], "-") == 0 ? "<stdin>" : o->files[i];
  return 0;
}

int sudoku_text_read(const struct sudoku_opts *o, struct sudoku_text *tx)
{
  size_t cap = 0;
  if (sudoku_text_names(o, tx) != 0)
    return EXIT_FAIL;
  if (o->nfiles == 0) { /* never standard input unless asked for with "-" */
    err_msg("no FILE given: solving the bundled top95 set (use - for standard input)");
    FILE *fp = fmemopen((void *)sudoku_default_set, sudoku_default_set_len, "r");
    if (fp == NULL) {
      err_sys("cannot open the bundled puzzle set");
      return EXIT_FAIL;
    }
    int rc = text_add(tx, &cap, fp, tx->names[0]);
    fclose(fp);
    return rc;
  }
  for (int i = 0; i < o->nfiles; i++) {
    const char *f = o->files[i];
    int is_stdin = strcmp(f, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(f, "r");
    if (fp == NULL) {
      err_sys("%s", f);
      return EXIT_FAIL;
    }
    int rc = text_add(tx, &cap, fp, tx->names[i]);
    if (!is_stdin)
      fclose(fp);
    if (rc != EXIT_OK)
      return rc;
  }
  return EXIT_OK;
}

void sudoku_text_free(struct sudoku_text *tx)
{
  free(tx->buf);
  free(tx->start);
  free(tx->names);
  memset(tx, 0, sizeof *tx);
}

void sudoku_text_drop(struct sudoku_text *tx)
{
  free(tx->buf);
  tx->buf = NULL;
}

/* The file that byte `at` belongs to (the last one starting at or before it). */
static uint32_t text_file_of(const struct sudoku_text *tx, size_t at)
{
  uint32_t f = 0;
  while (f + 1 < tx->nfiles && tx->start[f + 1] <= at)
    f++;
  return f;
}

void sudoku_text_split(const struct sudoku_text *tx, int k, struct sudoku_piece *pc)
{
  size_t prev = 0;
  for (int i = 0; i < k; i++) {
    size_t hi = tx->len * (size_t)(i + 1) / (size_t)k;
    if (hi < prev)
      hi = prev;
    if (i == k - 1) {
      hi = tx->len;
    } else if (hi > 0 && hi < tx->len) { /* move to just after a newline */
      const char *nl = memchr(tx->buf + hi - 1, '\n', tx->len - hi + 1);
      hi = nl ? (size_t)(nl - tx->buf) + 1 : tx->len;
    }
    pc[i].lo = prev;
    pc[i].hi = hi;
    pc[i].file = text_file_of(tx, prev);
    prev = hi;
  }
  /* the line number each piece starts at: newlines since its file began */
  for (int i = 0; i < k; i++) {
    size_t from = tx->start[pc[i].file];
    uint64_t line = 1;
    if (i > 0 && pc[i - 1].file == pc[i].file) { /* continue from the previous piece */
      from = pc[i - 1].lo;
      line = pc[i - 1].line;
    }
    for (const char *p = tx->buf + from, *end = tx->buf + pc[i].lo;
         p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
      line++;
    pc[i].line = line;
  }
}
