/* Atomic output files: nothing ever appears half-written under its final name.
 *
 * Data go to a temporary file in the target's folder (".NAME.tmp.XXXXXX"),
 * which is flushed and renamed over NAME when complete: a crash or a kill of
 * the program never leaves a truncated file under NAME. Durable outputs (the
 * programs' --fsync) are also fsynced, and their folder after the rename, so
 * that a power cut cannot either; that costs 4-10 ms per file on this kind of
 * virtual machine, and much more on parallel file systems, so it is asked
 * for, not the default (GNU sort and rsync make the same choice). On any
 * failure the temporary file is removed and NAME is left as it was. While a
 * temporary file exists, SIGINT/SIGTERM/SIGHUP remove it before the process
 * dies of the signal. An existing NAME that is not a regular file
 * (/dev/null, a FIFO, a terminal) is written in place instead: renaming over
 * it would replace the device. */
#ifndef CONCUR_ATOMIC_FILE_H
#define CONCUR_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>

struct afile {
  FILE *fp;             /* write here */
  char tmp[PATH_MAX];   /* temporary name */
  char final[PATH_MAX]; /* name it gets on commit */
  int durable;          /* set after afile_open: fsync on commit */
  int direct;           /* NAME is not a regular file: written in place */
};

/* Create the temporary file for `path`. On failure prints
 * `prog: path: reason` and returns -1. */
int afile_open(struct afile *af, const char *path);
/* Flush, fsync if durable, close and rename into place (then fsync the
 * folder if durable). Returns 0, or -1 after printing the reason (the
 * temporary file is then removed). */
int afile_commit(struct afile *af);
/* Close and remove the temporary file (safe to call after a failed commit). */
void afile_abort(struct afile *af);

/* Lower level, for writers that are not stdio (MPI-IO): create and close an
 * empty temporary file for `final`, putting its name in tmp (or put final
 * itself in tmp when it is not a regular file: then publish does nothing). Returns 0, or -1
 * after printing the reason. The name stays registered for signal clean-up
 * until afile_publish or afile_discard. */
int afile_make_temp(const char *final, char *tmp, size_t tmplen);
/* Rename tmp to final (durable: fsync tmp first and the folder after).
 * Returns 0, or -1 after printing the reason and removing tmp. */
int afile_publish(const char *tmp, const char *final, int durable);
/* Remove tmp and forget it. */
void afile_discard(const char *tmp);

#endif
