/* Where an output name leads: links followed, descriptors recognised, the
 * target checked before any work (see atomic_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "atomic_int.h"
#include "errors.h"

/* Links followed before giving up (the kernel's own limit). */
#define MAX_LINKS 40

/* The descriptor a name stands for, or -1: "-", /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N (what /dev/stdout links to). Writing to the
 * descriptor, never opening the name, keeps what the shell set up: a pipe,
 * an appending `>>`, a terminal; and never touches /dev itself. */
static int fd_of_name(const char *p)
{
  if (strcmp(p, "-") == 0 || strcmp(p, "/dev/stdout") == 0)
    return 1;
  if (strcmp(p, "/dev/stderr") == 0)
    return 2;
  static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    size_t k = strlen(dirs[i]);
    if (strncmp(p, dirs[i], k) != 0 || p[k] < '0' || p[k] > '9')
      continue;
    char *end;
    errno = 0;
    long fd = strtol(p + k, &end, 10);
    if (*end == '\0' && errno == 0 && fd <= INT_MAX)
      return (int)fd;
  }
  return -1;
}

void afile_dir_of(const char *path, char dir[PATH_MAX])
{
  const char *slash = strrchr(path, '/');
  if (slash == NULL) {
    snprintf(dir, PATH_MAX, ".");
    return;
  }
  size_t len = (size_t)(slash - path);
  if (len == 0) /* "/name" */
    len = 1;
  snprintf(dir, PATH_MAX, "%.*s", (int)len, path);
}

/* Where the link `at` points: its target, relative to the link's folder.
 * Returns 0, or -1 with errno set. */
static int link_step(char at[PATH_MAX])
{
  char to[PATH_MAX], dir[PATH_MAX];
  ssize_t k = readlink(at, to, sizeof to);
  if (k < 0)
    return -1;
  if ((size_t)k >= sizeof to) {
    errno = ENAMETOOLONG;
    return -1;
  }
  to[k] = '\0';
  afile_dir_of(at, dir);
  int w = to[0] == '/' || strcmp(dir, ".") == 0 ? snprintf(at, PATH_MAX, "%s", to)
                                                : snprintf(at, PATH_MAX, "%s/%s", dir, to);
  if (w >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

/* Follow the links from name to what is at the end of them, into at: a
 * descriptor's name (*fd set), something that is not a link (*sb its lstat)
 * or nothing (*exists = 0). Returns 0, or -1 with errno set. */
static int follow(const char *name, char at[PATH_MAX], int *fd, struct stat *sb, int *exists)
{
  if (snprintf(at, PATH_MAX, "%s", name) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (int hop = 0;; hop++) {
    *fd = fd_of_name(at);
    *exists = 1;
    if (*fd >= 0)
      return 0;
    if (lstat(at, sb) != 0) {
      if (errno != ENOENT)
        return -1;
      *exists = 0;
      return 0;
    }
    if (!S_ISLNK(sb->st_mode))
      return 0;
    if (hop == MAX_LINKS) {
      errno = ELOOP;
      return -1;
    }
    if (link_step(at) != 0)
      return -1;
  }
}

int afile_is_stdout(const char *name)
{
  char at[PATH_MAX];
  struct stat sb;
  int fd = -1, exists;
  return name == NULL || (follow(name, at, &fd, &sb, &exists) == 0 && fd == 1);
}

/* A file the user may not write is not replaced: what `cp` refuses without
 * -f. Root may write anything, so for root only the mode bits count: a file
 * with no write bit at all is refused. Returns 0, or -1 with errno set. */
static int may_replace(const char *path, const struct stat *sb)
{
  if ((sb->st_mode & 0222) == 0) {
    errno = EACCES;
    return -1;
  }
  return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS);
}

/* A new file's folder must exist and be one. */
static int check_folder(const struct afile_target *t)
{
  char dir[PATH_MAX];
  struct stat sb;
  afile_dir_of(t->path, dir);
  if (stat(dir, &sb) != 0) {
    err_at(t->name, 0, "cannot create output file: folder %s: %s", dir, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(sb.st_mode)) {
    err_at(t->name, 0, "cannot create output file: %s is not a folder", dir);
    return -1;
  }
  return 0;
}

int afile_target(const char *name, struct afile_target *t)
{
  memset(t, 0, sizeof *t);
  int std = strcmp(name, "-") == 0 || strcmp(name, "/dev/stdout") == 0;
  snprintf(t->name, sizeof t->name, "%s", std ? "standard output" : name);
  size_t len = strlen(name);
  if (len == 0) {
    err_msg("empty output file name");
    return -1;
  }
  if (name[len - 1] == '/') {
    err_at(name, 0, "is a folder name: the output needs a file name");
    return -1;
  }
  struct stat sb;
  int fd, exists;
  if (follow(name, t->path, &fd, &sb, &exists) != 0) {
    err_at(name, 0, "cannot use as output: %s", strerror(errno));
    return -1;
  }
  /* messages about a link's target name both */
  char what[2 * PATH_MAX + 16];
  snprintf(what, sizeof what, "%s", t->path);
  if (strcmp(t->path, name) != 0)
    snprintf(what, sizeof what, "%s (link to %s)", name, t->path);
  if (fd >= 0) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
      err_at(what, 0, "descriptor %d is not open for writing", fd);
      return -1;
    }
    t->kind = AFILE_FD;
    t->fd = fd;
    return 0;
  }
  if (!exists) {
    t->kind = AFILE_NEW;
    return check_folder(t);
  }
  if (S_ISDIR(sb.st_mode)) {
    err_at(what, 0, "is a folder: the output needs a file name");
    return -1;
  }
  if (!S_ISREG(sb.st_mode)) {
    t->kind = AFILE_IN_PLACE;
    return 0;
  }
  if (may_replace(t->path, &sb) != 0) {
    err_at(what, 0, "is read-only, not replaced (%s): remove it or make it writable",
           strerror(errno));
    return -1;
  }
  t->kind = AFILE_REPLACE;
  t->mode = sb.st_mode & 07777;
  t->uid = sb.st_uid;
  t->gid = sb.st_gid;
  return 0;
}
