/* A valsort-style summary of sorted rec100 records (valsort.c of the sort
 * benchmark, Chris Nyberg, defines it): the number of records, the number of
 * duplicate keys (records whose 10-byte key equals the previous record's),
 * the first pair out of order, and the checksum: the sum, as a 128-bit
 * number, of the CRC-32 (the zlib / IEEE 802.3 CRC, reflected polynomial
 * 0xEDB88320) of every 100-byte record. The sum does not depend on the
 * order, so the checksum of the input equals that of a correct output.
 * Computed by all threads; msort (MPI) adds the ranks' summaries. */
#include <stdio.h>
#include <string.h>

#include "msort.h"

/* CRC-32, eight bytes at a time ("slicing by 8"): tab[k][b] is the CRC of
 * byte b followed by k zero bytes. */
static uint32_t crc_tab[8][256];

static void crc_init(void)
{
  for (uint32_t b = 0; b < 256; b++) {
    uint32_t c = b;
    for (int k = 0; k < 8; k++)
      c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_tab[0][b] = c;
  }
  for (uint32_t b = 0; b < 256; b++)
    for (int k = 1; k < 8; k++)
      crc_tab[k][b] = (crc_tab[k - 1][b] >> 8) ^ crc_tab[0][crc_tab[k - 1][b] & 0xFF];
}

static uint32_t crc_run(const unsigned char *p, size_t len)
{
  uint32_t c = 0xFFFFFFFFu;
  for (; len >= 8; len -= 8, p += 8) {
    uint32_t lo =
        c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    c = crc_tab[7][lo & 0xFF] ^ crc_tab[6][(lo >> 8) & 0xFF] ^ crc_tab[5][(lo >> 16) & 0xFF] ^
        crc_tab[4][lo >> 24] ^ crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^ crc_tab[1][p[6]] ^
        crc_tab[0][p[7]];
  }
  while (len-- > 0)
    c = crc_tab[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t msort_crc32(const void *p, size_t len)
{
#pragma omp critical(msort_crc_init)
  if (crc_tab[0][1] == 0)
    crc_init();
  return crc_run(p, len);
}

void msort_valsort(const void *recs, size_t n, int threads, struct msort_valsum *v)
{
  const unsigned char *r = recs;
  msort_crc32("", 0); /* the tables, once */
  v->records = n;
  v->dups = 0;
  v->first_unordered = n;
  v->checksum = 0;
  uint64_t dups = 0;
  size_t bad = n;
#pragma omp parallel num_threads(threads) reduction(+ : dups) reduction(min : bad)
  {
    msort_u128 sum = 0; /* per thread; the sum of the sums below */
#pragma omp for schedule(static)
    for (size_t i = 0; i < n; i++) {
      const unsigned char *x = r + i * MSORT_REC_SIZE;
      sum += crc_run(x, MSORT_REC_SIZE);
      if (i > 0) {
        int c = memcmp(x - MSORT_REC_SIZE, x, MSORT_REC_KEY);
        dups += c == 0;
        if (c > 0 && i - 1 < bad)
          bad = i - 1;
      }
    }
#pragma omp critical(msort_valsort_sum)
    v->checksum += sum;
  }
  v->dups = dups;
  v->first_unordered = bad;
}

void msort_valsort_add(struct msort_valsum *v, const struct msort_valsum *w)
{
  v->records += w->records;
  v->dups += w->dups;
  v->checksum += w->checksum;
}

void msort_valsort_hex(msort_u128 x, char out[33])
{
  char tmp[33];
  int k = 0;
  do {
    tmp[k++] = "0123456789abcdef"[(unsigned)(x & 0xF)];
    x >>= 4;
  } while (x != 0);
  for (int i = 0; i < k; i++)
    out[i] = tmp[k - 1 - i];
  out[k] = '\0';
}

void msort_valsort_print(FILE *fp, const char *prog, const struct msort_valsum *v, int ordered)
{
  char hex[33];
  msort_valsort_hex(v->checksum, hex);
  fprintf(fp, "%s: valsort: records %llu, duplicate keys %llu, order %s, checksum %s\n", prog,
          (unsigned long long)v->records, (unsigned long long)v->dups,
          ordered ? "verified" : "NOT verified", hex);
}

int msort_valsort_json(char *buf, size_t len, const struct msort_valsum *v, int ordered)
{
  char hex[33];
  msort_valsort_hex(v->checksum, hex);
  return snprintf(buf, len,
                  "\"records\":%llu,\"duplicate_keys\":%llu,\"order_verified\":%s,"
                  "\"checksum\":\"%s\"",
                  (unsigned long long)v->records, (unsigned long long)v->dups,
                  ordered ? "true" : "false", hex);
}
