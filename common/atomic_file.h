/* Output files that never damage anything: every output of the suite goes
 * through here.
 *
 * A name is resolved first (afile_target), before any work, so that a bad
 * output fails in milliseconds and not after the sort or the solve.
 * Symbolic links are followed (a chain of them too) to the file that gets
 * the contents; a dangling link creates its target. What is there decides
 * how it is written:
 *   - "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N, or a link
 *     to one: that open descriptor, written as it is;
 *   - a device, FIFO or socket: opened and written in place (renaming over
 *     it would replace the device);
 *   - a regular file, or no file yet: written through a temporary file in
 *     the target's folder, which takes the target's name only when complete
 *     (a rename: readers see the old file or the new one, never half of
 *     one). A replaced file keeps its mode, and its owner and group where the
 *     process may set them (root); a new file gets 0666 & ~umask.
 * Refused, with one line `prog: NAME: reason`: a folder (or a name ending in
 * '/'), a missing folder, a read-only file, a loop of links. Read-only means
 * what `cp` without -f refuses: no write permission for the user
 * (access(W_OK)); root, whom access() lets write anything, is refused a file
 * with no write bit at all (chmod a-w).
 *
 * The temporary file is an unnamed O_TMPFILE file where the file system has
 * them (tmpfs, ext4, xfs, btrfs): a crash or a SIGKILL while writing leaves
 * nothing. Complete, it is linked in under the target's name when there was
 * no file, else under a short name (".cc.XXXXXX") at once renamed over the
 * target: between those two system calls, and only then, a SIGKILL leaves a
 * complete `.cc.XXXXXX`. Where O_TMPFILE is missing, and for writers in
 * several processes (MPI-IO and the MPI ranks open the file by name), the
 * temporary is a named `.cc.XXXXXX` in the target's folder, which a SIGKILL
 * leaves behind (SIGINT, SIGTERM and SIGHUP remove it). The short name
 * keeps any valid output name (up to 255 bytes) valid.
 *
 * Durable outputs (the programs' --fsync) are fsynced before they take the
 * name, and their folder after, so that a power cut cannot leave a torn
 * file either; that costs 4-10 ms per file on this kind of virtual machine,
 * and much more on parallel file systems, so it is asked for, not the
 * default (GNU sort and rsync make the same choice). On any failure the
 * temporary file is removed and the target left as it was. */
#ifndef CONCUR_ATOMIC_FILE_H
#define CONCUR_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

/* What an output name leads to. */
enum afile_kind {
  AFILE_FD,       /* an open descriptor ("-", /dev/stdout, ...) */
  AFILE_IN_PLACE, /* a device, FIFO or socket */
  AFILE_NEW,      /* no file yet: created through a temporary */
  AFILE_REPLACE   /* a regular file: replaced through a temporary */
};

struct afile_target {
  int kind;            /* enum afile_kind */
  int fd;              /* AFILE_FD: which descriptor */
  char path[PATH_MAX]; /* the file that gets the contents, links followed */
  char name[PATH_MAX]; /* the name as given, for messages */
  mode_t mode;         /* AFILE_REPLACE: what the new file keeps */
  uid_t uid;
  gid_t gid;
};

/* Resolve and check the output name (see above). Returns 0, or -1 after
 * printing `prog: name: reason`. Creates nothing. */
int afile_target(const char *name, struct afile_target *t);
/* Whether output to `name` lands on standard output: NULL (no -o), "-",
 * /dev/stdout or a link to it. Never prints. */
int afile_is_stdout(const char *name);
/* Whether several processes can write the target at offsets of their own,
 * through a named temporary (afile_make_temp): a regular file, new or
 * replaced. The others (a pipe, a terminal, a device) go through one
 * writer. */
#define AFILE_BY_NAME(t) ((t)->kind == AFILE_NEW || (t)->kind == AFILE_REPLACE)

struct afile {
  FILE *fp; /* write here */
  struct afile_target t;
  char tmp[PATH_MAX]; /* a named temporary, or "" */
  int durable;        /* set after opening: fsync on commit */
  int anon;           /* fp writes an unnamed O_TMPFILE file */
};

/* afile_target, then open it for writing (the temporary file, or the
 * descriptor or device itself). Returns 0, or -1 after printing the
 * reason. */
int afile_open(struct afile *af, const char *name);
/* The same for a target already resolved. */
int afile_open_target(struct afile *af, const struct afile_target *t);
/* Flush, fsync if durable, and give the file its name (then fsync the
 * folder if durable). Returns 0, or -1 after printing the reason (the
 * temporary file is then removed). Standard output is flushed, not
 * closed. */
int afile_commit(struct afile *af);
/* Close and remove the temporary file (safe after a failed commit). */
void afile_abort(struct afile *af);

/* For writers in several processes (MPI-IO, pwrite by every rank): a named,
 * empty temporary file for the target (AFILE_BY_NAME), its name in tmp,
 * already with the owner the result keeps. Returns 0, or -1 after printing
 * the reason. The name stays registered for signal clean-up until
 * afile_publish or afile_discard. */
int afile_make_temp(const struct afile_target *t, char *tmp, size_t tmplen);
/* Give tmp the target's mode and rename it over the target (durable: fsync
 * tmp first, the folder after). Returns 0, or -1 after printing the reason
 * and removing tmp. */
int afile_publish(const char *tmp, const struct afile_target *t, int durable);
/* Remove tmp and forget it ("" does nothing). */
void afile_discard(const char *tmp);

#endif
