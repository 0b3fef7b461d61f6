/* Internals shared by the atomic_*.c files (atomic_file.h is the
 * interface): temporary files, their names, and the signal clean-up. */
#ifndef CONCUR_ATOMIC_INT_H
#define CONCUR_ATOMIC_INT_H

#include <limits.h>
#include <sys/types.h>

#include "atomic_file.h"

/* The folder of path ("." when it has none). */
void afile_dir_of(const char *path, char dir[PATH_MAX]);
/* An unnamed O_TMPFILE file in the target's folder, with the attributes the
 * result keeps; -1 (nothing printed) where the file system has none. */
int afile_anon_temp(const struct afile_target *t);
/* A named temporary `.cc.XXXXXX` in the target's folder (its name in tmp,
 * registered for clean-up), with the attributes the result keeps, plus
 * mode_extra. Returns the descriptor, or -1 after printing the reason. */
int afile_named_temp(const struct afile_target *t, char *tmp, size_t tmplen, mode_t mode_extra);
/* Give the complete unnamed file fd the target's name. Returns 0, or -1
 * after printing the reason. */
int afile_link_anon(int fd, const struct afile_target *t);
/* fsync the folder of path (best effort: some file systems refuse). */
void afile_sync_folder(const char *path);
/* Forget a registered temporary name (it was renamed away). */
void afile_forget(const char *tmp);

#endif
