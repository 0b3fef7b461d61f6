/* Instantiates msort_core.h for the three key types. */
#include <stdlib.h>
#include <string.h>

#include "msort.h"
#include "msort_simd_kern.h"

#define T          uint32_t
#define SFX        k32
#define LESS(x, y) ((x) < (y))
#define KEYLESS    LESS
#define SIMD_KERN
#include "msort_core.h"
#undef T
#undef SFX

#define T   uint64_t
#define SFX k64
#include "msort_core.h"
#undef T
#undef SFX
#undef KEYLESS
#undef SIMD_KERN

#define T             msort_u128
#define SFX           k128
#define KEYLESS(x, y) (((x) | MSORT_REC_IDX_MASK) < ((y) | MSORT_REC_IDX_MASK))
#include "msort_core.h"
#undef T
#undef SFX
#undef LESS
#undef KEYLESS
