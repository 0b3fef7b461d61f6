/* What a program is: the facts --version prints and every JSON record
 * carries (docs/json.md).
 *
 * Build facts, fixed by the build: the version (CMake's project()), the git
 * commit ("-dirty" when tracked files had changes; "unknown" without git, as
 * from a tarball; looked up again at every build by cmake/commit.cmake), the
 * build type, the compiler and the C flags.
 *
 * Run-time facts, from what a program links: a library that has something to
 * say registers a getter with build_provide before the options are answered.
 *   BUILD_MPI, BUILD_MPI_VERSION  the MPI library and the MPI standard it
 *                                 implements (mpix_init; MPI_Get_library_version
 *                                 works before MPI_Init)
 *   BUILD_CURL                    libcurl's version (randompix's options)
 *   BUILD_SIMD                    the SIMD level a core's kernels chose for this
 *                                 CPU (sudoku's and msort's options)
 * A program that registers nothing for a fact has no such thing: --version
 * says "none" and the JSON has null. */
#ifndef CONCUR_BUILDINFO_H
#define CONCUR_BUILDINFO_H

#include <stdio.h>

const char *build_version(void);  /* "0.1.0" */
const char *build_commit(void);   /* "3284d2a", "3284d2a-dirty" or "unknown" */
const char *build_type(void);     /* "Release", "RelWithDebInfo", ... */
const char *build_compiler(void); /* "GNU 12.2.0" */
const char *build_flags(void);    /* "-O3 -DNDEBUG -Wall -Wextra -O3 -fopenmp" */

enum build_part { BUILD_MPI, BUILD_MPI_VERSION, BUILD_CURL, BUILD_SIMD, BUILD_NPARTS };
typedef const char *(*build_getter)(void);
/* Register (or replace) the getter of a run-time fact. */
void build_provide(enum build_part part, build_getter get);
/* The fact, or NULL when no getter was registered (or it had no answer). */
const char *build_part(enum build_part part);

/* --version: "prog (concur) VERSION", then one "name: value" line per fact
 * (commit, build type, compiler, flags, mpi, libcurl, simd). */
void build_print_version(FILE *fp, const char *prog);

#endif
