/* msort (MPI): input with MPI-IO or from rank 0, verification across ranks,
 * output into the temporary file by every rank. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "msort_mpi_int.h"

/* Largest MPI message we send in one call (counts are ints). */
#define IO_CHUNK ((size_t)1 << 30)

/* Rank 0 decides; everyone learns the code (and n). */
int msortm_bcast_code(int code, uint64_t *n)
{
  uint64_t v[2] = {(uint64_t)code, n ? *n : 0};
  MPI_Bcast(v, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (n)
    *n = v[1];
  return (int)v[0];
}

/* MPI-IO read or write of bytes at off, in chunks that fit an int count. */
static int io_at(MPI_File fh, MPI_Offset off, void *buf, size_t bytes, int write)
{
  for (size_t done = 0; done < bytes;) {
    size_t len = bytes - done < IO_CHUNK ? bytes - done : IO_CHUNK;
    MPI_Status st;
    int rc = write ? MPI_File_write_at(fh, off + (MPI_Offset)done, (char *)buf + done, (int)len,
                                       MPI_BYTE, &st)
                   : MPI_File_read_at(fh, off + (MPI_Offset)done, (char *)buf + done, (int)len,
                                      MPI_BYTE, &st);
    int got = 0;
    MPI_Get_count(&st, MPI_BYTE, &got);
    if (rc != MPI_SUCCESS || (size_t)got != len)
      return -1;
    done += len;
  }
  return 0;
}

/* Fill my slice [lo, lo+cnt) of the input into buf (untimed). For text
 * input and streams rank 0 has read the whole input into text0. */
int msortm_load_slice(const struct run *R, size_t lo, size_t cnt, void *buf, void *text0)
{
  const struct msort_opts *o = &R->o;
  if (o->input == NULL) {
    msort_generate(o->type, o->dist, o->seed, R->n, lo, cnt, buf, R->threads);
    return EXIT_OK;
  }
  if (R->whole) { /* rank 0 deals the elements it read */
    int *c = malloc(2 * (size_t)R->size * sizeof *c);
    if (c == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    size_t my = cnt;
    unsigned long long mine = my, *all = malloc((size_t)R->size * sizeof *all);
    if (all == NULL)
      mpix_abort(EXIT_FAIL, "out of memory");
    MPI_Gather(&mine, 1, MPI_UNSIGNED_LONG_LONG, all, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    if (R->rank == 0) {
      size_t d = 0;
      for (int r = 0; r < R->size; r++) {
        c[r] = (int)all[r];
        c[R->size + r] = (int)d;
        d += all[r];
      }
    }
    MPI_Scatterv(text0, c, c + R->size, R->etype, buf, (int)cnt, R->etype, 0, MPI_COMM_WORLD);
    free(all);
    free(c);
    return EXIT_OK;
  }
  MPI_File fh;
  int rc = MPI_File_open(MPI_COMM_WORLD, o->input, MPI_MODE_RDONLY, MPI_INFO_NULL, &fh);
  if (mpix_agree(rc != MPI_SUCCESS)) {
    if (R->rank == 0)
      err_at(o->input, 0, "MPI_File_open failed");
    if (rc == MPI_SUCCESS)
      MPI_File_close(&fh);
    return EXIT_FAIL;
  }
  int bad = io_at(fh, (MPI_Offset)(lo * R->esz), buf, cnt * R->esz, 0);
  MPI_File_close(&fh);
  if (bad)
    err_at(o->input, 0, "read of elements %zu..%zu failed", lo, lo + cnt);
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- gather: scatter, local sort, tree of pairwise merges to rank 0 -------- */

/* What rank 0 needs to check the boundaries between ranks. */
struct edge {
  uint64_t count;
  unsigned char first[MSORT_REC_SIZE], last[MSORT_REC_SIZE];
};

int msortm_verify(const struct run *R, const void *res, size_t len, struct msort_sum before)
{
  const struct msort_opts *o = &R->o;
  int bad = 0, stab = o->type == MSORT_REC100 && o->input == NULL;
  size_t i = msort_first_unsorted(o->type, res, len, R->threads);
  if (i < len) {
    err_msg("verification FAILED: not sorted at local elements %zu and %zu", i, i + 1);
    bad = 1;
  }
  if (stab && (i = msort_first_unstable(res, len, o->dist, R->threads)) < len) {
    err_msg("verification FAILED: not stable at local records %zu and %zu", i, i + 1);
    bad = 1;
  }
  struct msort_sum s = msort_checksum(o->type, res, len, R->threads);
  uint64_t v[3] = {s.sum, len, 0}, x = s.xr;
  MPI_Allreduce(MPI_IN_PLACE, v, 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &x, 1, MPI_UINT64_T, MPI_BXOR, MPI_COMM_WORLD);
  struct edge e, *all = NULL;
  memset(&e, 0, sizeof e);
  e.count = len;
  if (len > 0) {
    memcpy(e.first, res, R->esz);
    memcpy(e.last, (const char *)res + (len - 1) * R->esz, R->esz);
  }
  if (R->rank == 0 && (all = malloc((size_t)R->size * sizeof *all)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&e, (int)sizeof e, MPI_BYTE, all, (int)sizeof e, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (R->rank == 0) {
    if (v[1] != R->n) {
      err_msg("verification FAILED: %llu elements after sorting, %llu before",
              (unsigned long long)v[1], (unsigned long long)R->n);
      bad = 1;
    } else if (v[0] != before.sum || x != before.xr) {
      err_msg("verification FAILED: checksum differs, elements were lost or changed");
      bad = 1;
    }
    msort_cmp_fn cmp = msort_type_cmp(o->type);
    const struct edge *prev = NULL;
    for (int r = 0; r < R->size && !bad; r++) {
      if (all[r].count == 0)
        continue;
      if (prev && cmp(all[r].first, prev->last) < 0) {
        err_msg("verification FAILED: rank %d's first element sorts before the previous rank's "
                "last",
                r);
        bad = 1;
      } else if (prev && stab && cmp(all[r].first, prev->last) == 0 &&
                 msort_rec_index(all[r].first, o->dist) <= msort_rec_index(prev->last, o->dist)) {
        err_msg("verification FAILED: not stable across ranks %d and its predecessor", r);
        bad = 1;
      }
      prev = &all[r];
    }
    free(all);
  }
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- output: every rank writes its slice of the temporary file ------------- */

int msortm_write_output(const struct run *R, const char *tmp, const void *res, size_t len)
{
  char *text = NULL;
  size_t tlen = 0, bytes = len * R->esz;
  const void *buf = res;
  int bad = 0;
  if (R->o.text) {
    FILE *ms = open_memstream(&text, &tlen);
    bad = ms == NULL || msort_write_text(ms, R->o.type, res, len) != 0;
    if (ms)
      fclose(ms);
    buf = text;
    bytes = tlen;
  }
  uint64_t mine = bytes, off = 0;
  MPI_Exscan(&mine, &off, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (R->rank == 0)
    off = 0;
  MPI_File fh;
  int rc = MPI_File_open(MPI_COMM_WORLD, tmp, MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  if (rc == MPI_SUCCESS) {
    bad |= io_at(fh, (MPI_Offset)off, (void *)buf, bytes, 1) != 0;
    bad |= MPI_File_close(&fh) != MPI_SUCCESS;
  } else {
    bad = 1;
  }
  free(text);
  if (bad)
    err_at(R->o.output, 0, "writing my slice failed");
  return mpix_agree(bad) ? EXIT_FAIL : EXIT_OK;
}

/* ---- set-up ------------------------------------------------------------------ */
