/* sudoku (MPI): the distributed read (rank 0 reads, every rank parses its
 * piece) and the end of the run (every rank checks and formats its piece;
 * the records reach the output in rank order: sudoku_mpi_out.c), and the
 * median of the per-puzzle times for the summary. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "memory.h"
#include "mpi_util.h"
#include "stats.h"
#include "sudoku_mpi_int.h"

/* Rank 0 reads the inputs whole and scatters them, one piece per rank (with
 * the file offsets and where each piece starts, in one broadcast); every
 * rank parses its piece into mine. The text it parsed is handed back in
 * *spare (*spare_len bytes, all touched), for the output to reuse. Returns
 * 0, or rank 0's exit code on every rank when it could not read. */
int dist_read(const struct dist_ctx *c, struct sudoku_text *tx, struct sudoku_batch *mine,
              char **spare, size_t *spare_len)
{
  int P = c->size, rank = c->rank;
  size_t nin = c->o->nfiles > 0 ? (size_t)c->o->nfiles : 1;
  /* the broadcast: status, nin + 1 file offsets, P pieces */
  size_t hbytes =
      sizeof(int64_t) + (nin + 1) * sizeof(uint64_t) + (size_t)P * sizeof(struct sudoku_piece);
  char *hdr = calloc(1, hbytes);
  if (hdr == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  int64_t *status = (int64_t *)hdr;
  uint64_t *start = (uint64_t *)(hdr + sizeof(int64_t));
  struct sudoku_piece *pc = (struct sudoku_piece *)(start + nin + 1);
  if (rank == 0) {
    int rc = sudoku_text_read(c->o, tx);
    if (rc == 0 && tx->len / (size_t)P >= (size_t)INT32_MAX / 2) {
      err_msg("%zu bytes of input: more than one run can share out", tx->len);
      rc = EXIT_FAIL;
    }
    if (rc == 0) {
      sudoku_text_split(tx, P, pc);
      for (size_t f = 0; f <= nin; f++)
        start[f] = tx->start[f];
      for (int r = 0; r < P && rc == 0; r++)
        if (pc[r].hi - pc[r].lo > (uint64_t)INT32_MAX) { /* one huge line */
          err_msg("a piece of %llu bytes: more than one message can carry",
                  (unsigned long long)(pc[r].hi - pc[r].lo));
          rc = EXIT_FAIL;
        }
    }
    *status = rc;
  } else if (sudoku_text_names(c->o, tx) != 0) {
    mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Bcast(hdr, (int)hbytes, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (*status != 0) {
    int rc = (int)*status;
    free(hdr);
    return rc;
  }
  if (rank != 0) {
    tx->nfiles = nin;
    for (size_t f = 0; f <= nin; f++)
      tx->start[f] = (size_t)start[f];
  }
  /* each piece in one message (under 1 GB, checked above; the whole text
   * may be larger than an int offset allows), sent without waiting, so that
   * rank 0 parses its piece while the others pull theirs (shared memory: the
   * receiver copies) */
  int mylen = (int)(pc[rank].hi - pc[rank].lo);
  char *text = NULL;
  MPI_Request *rq = NULL;
  if (rank == 0) {
    if ((rq = malloc((size_t)P * sizeof *rq)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (int r = 1; r < P; r++)
      MPI_Isend(tx->buf + pc[r].lo, (int)(pc[r].hi - pc[r].lo), MPI_CHAR, r, TAG_PIECE,
                MPI_COMM_WORLD, &rq[r - 1]);
  } else {
    if ((text = mem_alloc_big((size_t)mylen)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory for %d bytes of puzzles", mylen);
    MPI_Recv(text, mylen, MPI_CHAR, 0, TAG_PIECE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  if (sudoku_parse_piece(tx, rank == 0 ? tx->buf : text, pc[rank].lo, &pc[rank], mine) != 0)
    mpix_abort(EXIT_FAIL, "out of memory");
  *spare = text;
  *spare_len = (size_t)mylen;
  if (rank == 0) { /* its piece comes first: the rest has gone to the others */
    MPI_Waitall(P - 1, rq, MPI_STATUSES_IGNORE);
    mem_release_tail(tx->buf, (size_t)mylen, tx->len);
    *spare = tx->buf;
    tx->buf = NULL;
  }
  free(rq);
  free(hdr);
  return 0;
}

/* Cyclic and dynamic: where every piece's puzzles go in the whole batch. */
void dist_count(struct dist_ctx *c, const struct sudoku_batch *mine)
{
  int mine_n = (int)mine->n;
  MPI_Allgather(&mine_n, 1, MPI_INT, c->counts, 1, MPI_INT, MPI_COMM_WORLD);
  c->n = 0;
  for (int r = 0; r < c->size; r++) {
    c->displs[r] = (int)c->n;
    c->n += (size_t)c->counts[r];
    if (c->n > (size_t)INT32_MAX)
      mpix_abort(EXIT_FAIL, "%zu puzzles: more than one run can share out", c->n);
  }
}

/* What a rank tells rank 0 about its piece at the end. */
struct piece_report {
  uint64_t n, nrej, text, rejmsg, msg; /* counts and byte lengths */
  struct sudoku_counts cnt;
  double pmin, pmax;             /* per-puzzle solve seconds */
  uint64_t slow_file, slow_line; /* the piece's first slowest puzzle */
};

/* Gather `len` bytes of every rank to rank 0, which writes them to fp in
 * rank order. */
static void gather_bytes(const struct dist_ctx *c, const char *buf, size_t len,
                         const struct piece_report *all, size_t field, FILE *fp)
{
  int P = c->size;
  int *cnt = NULL, *off = NULL;
  char *dst = NULL;
  if (c->rank == 0) {
    size_t total = 0;
    cnt = malloc((size_t)P * sizeof *cnt);
    off = malloc((size_t)P * sizeof *off);
    if (cnt == NULL || off == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (int r = 0; r < P; r++) {
      uint64_t k;
      memcpy(&k, (const char *)&all[r] + field, sizeof k);
      if (total + k > (size_t)INT32_MAX)
        mpix_abort(EXIT_FAIL, "over 2 GB of messages: too many to gather");
      cnt[r] = (int)k;
      off[r] = (int)total;
      total += k;
    }
    if ((dst = malloc(total ? total : 1)) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    MPI_Gatherv(buf, (int)len, MPI_CHAR, dst, cnt, off, MPI_CHAR, 0, MPI_COMM_WORLD);
    fwrite(dst, 1, total, fp);
    fflush(fp);
  } else {
    MPI_Gatherv(buf, (int)len, MPI_CHAR, NULL, NULL, NULL, MPI_CHAR, 0, MPI_COMM_WORLD);
  }
  free(cnt);
  free(off);
  free(dst);
}

/* Every rank checks its piece's results, counts them and formats its
 * records (into *spare, spare_len bytes, when they fit: *spare is then the
 * buffer they are in, freed after the clock stops); rank 0 prints the
 * messages (rejected lines first, as a serial run does), writes the records
 * in rank order, and fills cnt and st (all but the median). Returns 0, or
 * -1 on rank 0 after an output error. */
int dist_write(const struct dist_ctx *c, const struct sudoku_text *tx,
               const struct sudoku_batch *mine, const struct sudoku_result *res, char **spare,
               size_t spare_len, struct sudoku_counts *cnt, struct sudoku_stats *st)
{
  const struct sudoku_opts *o = c->o;
  int P = c->size, rank = c->rank;
  struct piece_report me = {.n = mine->n, .nrej = mine->nrej};
  char *rejmsg = NULL, *msg = NULL, *text = NULL;
  size_t rejlen = 0, msglen = 0, textlen = 0;
  FILE *rf = open_memstream(&rejmsg, &rejlen), *mf = open_memstream(&msg, &msglen);
  if (rf == NULL || mf == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  uint64_t nrej = mine->nrej, upto = 0, total = 0; /* rejected lines up to mine, in all */
  MPI_Scan(&nrej, &upto, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(&nrej, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  sudoku_rejects_place(tx, mine->rej, mine->nrej, 0, upto - nrej, rf);
  sudoku_account(o, tx, mine, res, &me.cnt, mf);
  if (fclose(rf) != 0 || fclose(mf) != 0)
    mpix_abort(EXIT_FAIL, "out of memory");
  if (c->out->p.how != MPIX_OUT_NONE) {
    text = sudoku_format_piece(o, tx, mine, res, *spare, spare_len, &textlen);
    if ((*spare = text) == NULL)
      mpix_abort(EXIT_FAIL, "out of memory formatting the output");
  }
  me.text = textlen;
  me.rejmsg = rejlen;
  me.msg = msglen;
  if (mine->n > 0) {
    size_t slow = sudoku_time_extremes(res, mine->n, &me.pmin, &me.pmax);
    me.slow_file = mine->file[slow];
    me.slow_line = mine->line[slow];
  }
  struct piece_report *all = NULL;
  if (rank == 0 && (all = malloc((size_t)P * sizeof *all)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&me, (int)sizeof me, MPI_BYTE, all, (int)sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD);
  gather_bytes(c, rejmsg, rejlen, all, offsetof(struct piece_report, rejmsg), stderr);
  if (rank == 0)
    sudoku_rejects_summary(total);
  gather_bytes(c, msg, msglen, all, offsetof(struct piece_report, msg), stderr);
  free(rejmsg);
  free(msg);

  int rc = dist_write_records(c, text, textlen);

  if (rank == 0) {
    memset(cnt, 0, sizeof *cnt);
    memset(st, 0, sizeof *st);
    int first = 1;
    for (int r = 0; r < P; r++) {
      const struct piece_report *p = &all[r];
      uint64_t *sum = (uint64_t *)cnt;
      const uint64_t *add = (const uint64_t *)&p->cnt;
      for (size_t k = 0; k < sizeof *cnt / sizeof *sum; k++)
        sum[k] += add[k];
      st->n += p->n;
      st->nrej += p->nrej;
      if (p->n == 0)
        continue;
      if (first || p->pmin < st->pmin)
        st->pmin = p->pmin;
      if (first || p->pmax > st->pmax) {
        st->pmax = p->pmax;
        st->slow_name = tx->names[p->slow_file];
        st->slow_line = p->slow_line;
      }
      first = 0;
    }
    free(all);
  }
  return rc;
}

/* For the summary, after the clock: the median of every puzzle's solve time
 * (the per-piece times are gathered to rank 0, straight out of res). */
double dist_median_seconds(const struct dist_ctx *c, const struct sudoku_result *res, size_t mine_n,
                           size_t n)
{
  int P = c->size;
  MPI_Datatype one;
  MPI_Type_create_resized(MPI_FLOAT, 0, (MPI_Aint)sizeof *res, &one); /* a float every 88 bytes */
  MPI_Type_commit(&one);
  int *cnt = NULL, *off = NULL;
  float *t = NULL;
  int mn = (int)mine_n;
  if (c->rank == 0) {
    cnt = malloc((size_t)P * sizeof *cnt);
    off = malloc((size_t)P * sizeof *off);
    t = malloc((n ? n : 1) * sizeof *t);
    if (cnt == NULL || off == NULL || t == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
  }
  MPI_Gather(&mn, 1, MPI_INT, cnt, 1, MPI_INT, 0, MPI_COMM_WORLD);
  for (int r = 0, at = 0; c->rank == 0 && r < P; r++) {
    off[r] = at;
    at += cnt[r];
  }
  MPI_Gatherv(mine_n ? &res[0].seconds : NULL, mn, one, t, cnt, off, MPI_FLOAT, 0, MPI_COMM_WORLD);
  MPI_Type_free(&one);
  double med = 0;
  if (c->rank == 0 && n > 0) {
    double *d = malloc(n * sizeof *d);
    if (d == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    for (size_t i = 0; i < n; i++)
      d[i] = t[i];
    med = stats_median(d, n);
    free(d);
  }
  free(t);
  free(cnt);
  free(off);
  return med;
}
