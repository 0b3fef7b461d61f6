/* msort (MPI): valsort's summary of a distributed rec100 result. Every rank
 * summarises its slice (msort_valsort, all its threads); rank 0 adds them up,
 * counting a duplicate key at each boundary where a rank's first key equals
 * the last key of the previous rank that holds records. */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "mpi_util.h"
#include "msort_mpi_int.h"

struct valpart {
  uint64_t records, dups, ck_lo, ck_hi, unordered;
  unsigned char first[MSORT_REC_KEY], last[MSORT_REC_KEY];
};

int msortm_valsort(const struct run *R, const void *res, size_t len, int verified, char *json,
                   size_t jlen)
{
  struct msort_valsum v;
  msort_valsort(res, len, R->threads, &v);
  struct valpart mine, *all = NULL;
  memset(&mine, 0, sizeof mine);
  mine.records = v.records;
  mine.dups = v.dups;
  mine.ck_lo = (uint64_t)v.checksum;
  mine.ck_hi = (uint64_t)(v.checksum >> 64);
  mine.unordered = v.first_unordered < len;
  if (len > 0) {
    memcpy(mine.first, res, MSORT_REC_KEY);
    memcpy(mine.last, (const unsigned char *)res + (len - 1) * MSORT_REC_SIZE, MSORT_REC_KEY);
  }
  if (R->rank == 0 && (all = malloc((size_t)R->size * sizeof *all)) == NULL)
    mpix_abort(EXIT_FAIL, "out of memory");
  MPI_Gather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, 0, MPI_COMM_WORLD);
  if (R->rank != 0)
    return 0;
  struct msort_valsum sum = {0, 0, 0, 0};
  int unordered = 0;
  const struct valpart *prev = NULL;
  for (int r = 0; r < R->size; r++) {
    struct msort_valsum w = {all[r].records, all[r].dups, 0,
                             ((msort_u128)all[r].ck_hi << 64) | all[r].ck_lo};
    msort_valsort_add(&sum, &w);
    unordered |= all[r].unordered != 0;
    if (all[r].records == 0)
      continue;
    if (prev != NULL) {
      int c = memcmp(prev->last, all[r].first, MSORT_REC_KEY);
      sum.dups += c == 0;
      unordered |= c > 0;
    }
    prev = &all[r];
  }
  free(all);
  int ordered = verified && !unordered;
  msort_valsort_print(stderr, msort_prog_name(MSORT_PROG_MPI), &sum, ordered);
  return msort_valsort_json(json, jlen, &sum, ordered);
}
