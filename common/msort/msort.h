/* msort: stable merge sort of typed data (the serial core shared by msort-omp
 * and msort).
 *
 * Types: u32 i32 u64 i64 f32 f64 (floats in IEEE 754 totalOrder, except that
 * negative NaNs go after positive ones: all NaNs last) and rec100 (100-byte
 * records, 10-byte key compared as unsigned bytes, payload carried).
 *
 * How: numbers are mapped in place to unsigned keys of the same width whose
 * integer order is the type's order (a bijection, undone after sorting);
 * rec100 records are sorted through 128-bit keys (80 key bits, then the
 * record's index: unique keys, so the sort is stable by construction) and
 * then moved once. The references (msort_ref.c) sort the raw data with a
 * comparator instead, so the two paths check each other. */
#ifndef CONCUR_MSORT_H
#define CONCUR_MSORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 msort_u128;

/* rec100 sort keys: 80 key bits, then the record's index in the low 48 bits. */
#define MSORT_REC_SIZE     100
#define MSORT_REC_KEY      10
#define MSORT_REC_IDX_BITS 48
#define MSORT_REC_IDX_MASK ((msort_u128)((1ULL << MSORT_REC_IDX_BITS) - 1))

/* Merges smaller than this are not split across threads. */
#define MSORT_MIN_PIECE 16384

enum msort_type { MSORT_U32, MSORT_I32, MSORT_U64, MSORT_I64, MSORT_F32, MSORT_F64, MSORT_REC100 };
enum msort_dist {
  MSORT_UNIFORM,
  MSORT_SORTED,
  MSORT_REVERSE,
  MSORT_NEARLY,
  MSORT_FEW,
  MSORT_EQUAL,
  /* Helman, Bader and JaJa's hard inputs for sample sorts (msort_data.c) */
  MSORT_ZERO,
  MSORT_BUCKET,
  MSORT_GGROUP,
  MSORT_STAGGERED,
  MSORT_DDUP,
  MSORT_TWO,
  MSORT_GENSORT /* rec100 only: the sort benchmark's gensort records */
};
/* The blocks those inputs are defined over: a constant, not the rank count,
 * so that any ranks and threads generate the same data. */
#define MSORT_HBJ_BLOCKS 16
#define MSORT_HBJ_GROUP  4 /* g of g-group */
enum msort_algo { MSORT_TASKS, MSORT_CHUNKS, MSORT_SERIAL, MSORT_REF2, MSORT_REFK };

extern const char *const msort_type_names[]; /* NULL-terminated, enum order */
extern const char *const msort_dist_names[];
extern const char *const msort_algo_names[];

/* Bytes per element. */
size_t msort_type_size(enum msort_type t);
/* Bytes per sort key (4, 8 or 16). */
size_t msort_key_size(enum msort_type t);

/* ---- key mapping (msort_key.c) ------------------------------------------ */
/* Map n numbers in place to their unsigned order keys, and back. */
void msort_to_keys(enum msort_type t, void *data, size_t n, int threads);
void msort_from_keys(enum msort_type t, void *data, size_t n, int threads);
/* The 128-bit key of record r with index idx. */
msort_u128 msort_rec_key(const unsigned char *r, uint64_t idx);
/* keys[i] = key of recs[i] with index i; out[j] = recs[index of keys[j]]. */
void msort_rec_make_keys(const unsigned char *recs, size_t n, msort_u128 *keys, int threads);
void msort_rec_gather(const unsigned char *recs, const msort_u128 *keys, size_t n,
                      unsigned char *out, int threads);
/* Reference comparator on raw elements (qsort convention). */
typedef int (*msort_cmp_fn)(const void *, const void *);
msort_cmp_fn msort_type_cmp(enum msort_type t);

/* ---- production core (msort_core.h, instantiated in msort_core.c) --------- */
#define MSORT_DECLARE(T, SFX)                                                                      \
  void msort_merge_##SFX(const T *a, size_t na, const T *b, size_t nb, T *o);                      \
  void msort_serial_##SFX(T *a, T *t, size_t n);                                                   \
  size_t msort_corank_##SFX(size_t k, const T *a, size_t na, const T *b, size_t nb);               \
  void msort_pmerge_##SFX(const T *a, size_t na, const T *b, size_t nb, T *o, int pieces);         \
  void msort_tasks_##SFX(T *a, T *t, size_t n, int threads);                                       \
  void msort_chunks_##SFX(T *a, T *t, size_t n, int k);                                            \
  T *msort_merge_runs_##SFX(T *a, T *t, const size_t *offs, int k, int threads);                   \
  size_t msort_lower_key_##SFX(const T *a, size_t n, T x);                                         \
  size_t msort_upper_key_##SFX(const T *a, size_t n, T x);
MSORT_DECLARE(uint32_t, k32)
MSORT_DECLARE(uint64_t, k64)
MSORT_DECLARE(msort_u128, k128)

/* ---- vectorised kernels, chosen at run time (msort_dispatch.c) ----------- */
/* The production sort of 32- and 64-bit keys runs on AVX-512F or AVX2 when
 * the build has the kernels and the CPU the instructions, else on the
 * scalar core; the environment variable CONCUR_SIMD (auto, scalar, avx2,
 * avx512) forces one. */
enum msort_simd { MSORT_SIMD_SCALAR, MSORT_SIMD_AVX2, MSORT_SIMD_AVX512 };
extern const char *const msort_simd_names[]; /* NULL-terminated, enum order */
/* Whether this build and CPU can run path p. */
int msort_simd_supported(enum msort_simd p);
/* The path in use (on first use: CONCUR_SIMD if valid, else the best). */
enum msort_simd msort_simd_path(void);
/* Use path p from now on; -1 (and no change) when it cannot run here. */
int msort_simd_set(enum msort_simd p);
/* Apply CONCUR_SIMD (unset, empty or "auto": the best path); 0, or -1 with
 * the reason in why. */
int msort_simd_from_env(char *why, size_t len);

/* ---- references (msort_ref.c): simple, comparator based, for teaching ----- */
/* Top-down 2-way merge sort; tmp holds n*size bytes. */
void msort_ref2(void *base, size_t n, size_t size, msort_cmp_fn cmp, void *tmp);
/* k parts each sorted by msort_ref2, then one k-way merge through tmp. */
void msort_refk(void *base, size_t n, size_t size, msort_cmp_fn cmp, void *tmp, int k);

/* ---- one entry point (msort_sort.c) -------------------------------------- */
/* Scratch for msort_sort, allocated once and first-touched by the threads. */
struct msort_ws {
  void *tmp;        /* n elements: merge scratch, or rec100 output records */
  msort_u128 *keys; /* rec100 only: n keys and n scratch keys */
  msort_u128 *keys_tmp;
  size_t n;
};
/* Bytes msort_ws_alloc takes for n elements of t. */
size_t msort_ws_bytes(enum msort_type t, size_t n);
int msort_ws_alloc(struct msort_ws *ws, enum msort_type t, size_t n, int threads);
void msort_ws_free(struct msort_ws *ws);
/* The progress line a program draws while msort_sort runs (progress.h), or
 * NULL. Each sort adds its n to it over the run: the merges above
 * MSORT_PROGRESS_GRAIN keys each add their share (msort_progress_merged),
 * and the end of the sort the rest. */
struct progress;
extern struct progress *msort_progress;
#define MSORT_PROGRESS_GRAIN ((size_t)1 << 16)
void msort_progress_merged(size_t n);
/* Sort n elements of t in data with the algorithm; returns where the result
 * is (data, or ws->tmp for rec100 with production algorithms). `parts` is
 * refk's k. */
void *msort_sort(enum msort_type t, enum msort_algo algo, void *data, size_t n, struct msort_ws *ws,
                 int threads, int parts);
/* The SIMD level of the kernels msort_sort runs on this CPU, for --version
 * and the JSON record ("none (portable C kernels)" by default). A file that
 * adds SIMD kernels defines this function (a strong definition replaces the
 * weak default in msort_opts.c) and returns what its dispatch chose, e.g.
 * "AVX-512, chosen at run time". */
const char *msort_simd_level(void);
/* Sort keys (4, 8 or 16 bytes wide) with the production algorithms. */
void msort_sort_keys(size_t ksize, enum msort_algo algo, void *keys, void *tmp, size_t n,
                     int threads);
/* Key-width-generic helpers for the distributed sort (ksize 4, 8 or 16). */
/* Parallel stable merge of sorted key arrays a and b into o. */
void msort_keys_merge(size_t ksize, const void *a, size_t na, const void *b, size_t nb, void *o,
                      int threads);
/* Merge k consecutive sorted runs (offs[0..k]); returns a or t, whichever
 * holds the result (NULL when out of memory). */
void *msort_keys_merge_runs(size_t ksize, void *a, void *t, const size_t *offs, int k, int threads);
/* Key i widened to 128 bits (rec100 keys with the index bits set, so only
 * the record key counts), and the equal-key range bounds for such a key. */
msort_u128 msort_keys_get(size_t ksize, const void *a, size_t i);
size_t msort_keys_lower(size_t ksize, const void *a, size_t n, msort_u128 x);
size_t msort_keys_upper(size_t ksize, const void *a, size_t n, msort_u128 x);
/* Stable merge of two sorted rec100 arrays (left first on equal keys). */
void msort_rec_merge(const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                     unsigned char *o);
/* The same merge split into pieces by co-ranking, on `threads` threads. */
void msort_rec_pmerge(const unsigned char *a, size_t na, const unsigned char *b, size_t nb,
                      unsigned char *o, int threads);

/* ---- data: generation, checks, files (msort_data.c, msort_io.c) ----------- */
/* Elements first..first+count of the n-element input named by (dist, seed). */
void msort_generate(enum msort_type t, enum msort_dist d, uint64_t seed, uint64_t n, uint64_t first,
                    size_t count, void *out, int threads);
/* Order-independent multiset checksum (sum and xor of hashed elements). */
struct msort_sum {
  uint64_t sum, xr;
};
struct msort_sum msort_checksum(enum msort_type t, const void *data, size_t n, int threads);
/* Index of the first i with data[i+1] < data[i], or n when sorted (n>=1). */
size_t msort_first_unsorted(enum msort_type t, const void *data, size_t n, int threads);
/* rec100 generated input carries its index (bytes 10..17; gensort records:
 * their record number): index of the first equal-key pair out of input
 * order, or n when stable. */
size_t msort_first_unstable(const void *recs, size_t n, enum msort_dist d, int threads);
/* Input index of a record generated with dist d. */
uint64_t msort_rec_index(const unsigned char *r, enum msort_dist d);

/* ---- sort benchmark records (msort_gensort.c, msort_valsort.c) ----------- */
/* Records first..first+count of gensort's binary records into out. */
void msort_gensort(uint64_t first, size_t count, void *out, int threads);
/* The record number a gensort record carries (bytes 28..43, hex). */
uint64_t msort_gensort_index(const unsigned char *r);
/* CRC-32 (zlib's) of len bytes. */
uint32_t msort_crc32(const void *p, size_t len);
/* valsort's summary: records, duplicate keys (equal to the previous record's
 * key), the first index i with record i+1 before record i (n when ordered),
 * and the sum of the records' CRC-32s. */
struct msort_valsum {
  uint64_t records, dups;
  size_t first_unordered;
  msort_u128 checksum;
};
void msort_valsort(const void *recs, size_t n, int threads, struct msort_valsum *v);
/* v += w (records, duplicates, checksum). */
void msort_valsort_add(struct msort_valsum *v, const struct msort_valsum *w);
/* The checksum in hex, no leading zeros (as valsort prints it). */
void msort_valsort_hex(msort_u128 x, char out[33]);
/* "prog: valsort: records N, duplicate keys D, order verified, checksum H". */
void msort_valsort_print(FILE *fp, const char *prog, const struct msort_valsum *v, int ordered);
/* The same as JSON members; returns what snprintf returns. */
int msort_valsort_json(char *buf, size_t len, const struct msort_valsum *v, int ordered);

/* Files. Errors are printed (`prog: file:line: reason`); return EXIT_* codes. */
/* Binary: element count of path (size must be a multiple of the element). */
int msort_file_count(const char *path, enum msort_type t, uint64_t *n);
int msort_read_binary(const char *path, void *buf, size_t bytes);
/* Text: one number per line; *buf is malloc'ed. path "-" is standard input.
 * A line longer than MSORT_TEXT_LINE_MAX bytes, or holding a NUL byte, is a
 * bad record (EXIT_DATA); a failed read is EXIT_FAIL. */
#define MSORT_TEXT_LINE_MAX 4096 /* no number needs more, blanks included */
int msort_read_text(const char *path, enum msort_type t, void **buf, size_t *n);
/* Whether path is read as a stream: "-" (standard input), a pipe such as
 * <(command), a terminal or a socket. Its size is not known in advance, and
 * MPI-IO cannot read it: one reader takes it whole. */
int msort_input_is_stream(const char *path);
/* The whole input into *buf (malloc'ed): text as msort_read_text, else
 * binary elements read to the end of the stream path. */
int msort_read_whole(const char *path, enum msort_type t, int text, void **buf, size_t *n);
/* Parse one number; 0 or -1 with a reason in why. */
int msort_parse_number(enum msort_type t, const char *s, void *out, char *why, size_t whylen);
/* Write n elements as text, one per line. Returns 0 or -1 (errno set). */
int msort_write_text(FILE *fp, enum msort_type t, const void *data, size_t n);

#endif
