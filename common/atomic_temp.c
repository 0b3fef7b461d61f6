/* The temporary files behind atomic outputs: unnamed (O_TMPFILE) where the
 * file system has them, else named `.cc.XXXXXX` in the target's folder;
 * their attributes, their linking or renaming into place, and the removal
 * of named ones when SIGINT, SIGTERM or SIGHUP ends the program. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic_int.h"
#include "errors.h"

/* ---- named temporaries alive now, removed by the signal handler ---------- */

#define MAX_LIVE 32
static char live_names[MAX_LIVE][PATH_MAX];
static volatile sig_atomic_t live_used[MAX_LIVE];
static int handlers_installed;

static void on_fatal_signal(int sig)
{
  for (int i = 0; i < MAX_LIVE; i++)
    if (live_used[i])
      unlink(live_names[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void install_handlers(void)
{
  if (handlers_installed)
    return;
  handlers_installed = 1;
  const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    struct sigaction old;
    sigaction(sigs[i], NULL, &old);
    if (old.sa_handler != SIG_DFL) /* the program has its own: leave it */
      continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
}

static void remember(const char *tmp)
{
  install_handlers();
  for (int i = 0; i < MAX_LIVE; i++) {
    if (!live_used[i]) {
      snprintf(live_names[i], PATH_MAX, "%s", tmp);
      live_used[i] = 1;
      return;
    }
  }
}

void afile_forget(const char *tmp)
{
  for (int i = 0; i < MAX_LIVE; i++)
    if (live_used[i] && strcmp(live_names[i], tmp) == 0)
      live_used[i] = 0;
}

/* ---- attributes ------------------------------------------------------------ */

static mode_t current_umask(void)
{
  mode_t mask = umask(0);
  umask(mask);
  return mask;
}

/* What the result keeps: a replaced file's owner, group and mode (the owner
 * only where the process may set it: root; else the group if it may, else
 * the file becomes the user's); a new file 0666 & ~umask, which a named
 * temporary (mkstemp makes 0600) must be given. Owner first: chown clears
 * set-id bits, which the mode then restores. `mode_extra` is added to the
 * mode, for a file the writer opens again by name. */
static void set_attrs(int fd, const struct afile_target *t, int named, mode_t mode_extra)
{
  if (t->kind != AFILE_REPLACE) {
    if (named)
      fchmod(fd, (0666 & ~current_umask()) | mode_extra);
    return;
  }
  struct stat me;
  if (fstat(fd, &me) == 0 && (me.st_uid != t->uid || me.st_gid != t->gid) &&
      fchown(fd, t->uid, t->gid) != 0 && fchown(fd, (uid_t)-1, t->gid) != 0) {
    /* neither: the result is the user's own, as with cp */
  }
  fchmod(fd, t->mode | mode_extra);
}

/* ---- temporaries ------------------------------------------------------------ */

int afile_anon_temp(const struct afile_target *t)
{
  char dir[PATH_MAX];
  afile_dir_of(t->path, dir);
  /* the kernel applies the umask to 0666, as for any new file */
  int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd >= 0)
    set_attrs(fd, t, 0, 0);
  return fd;
}

/* dir/.cc.XXXXXX into out; 0, or -1 (printed) when too long. */
static int temp_pattern(const struct afile_target *t, char *out, size_t cap)
{
  char dir[PATH_MAX];
  afile_dir_of(t->path, dir);
  if ((size_t)snprintf(out, cap, "%s/.cc.XXXXXX", dir) >= cap) {
    err_at(t->name, 0, "output path too long");
    return -1;
  }
  return 0;
}

int afile_named_temp(const struct afile_target *t, char *tmp, size_t tmplen, mode_t mode_extra)
{
  if (temp_pattern(t, tmp, tmplen) != 0)
    return -1;
  int fd = mkstemp(tmp);
  if (fd < 0) {
    char dir[PATH_MAX];
    afile_dir_of(t->path, dir);
    err_at(t->name, 0, "cannot create output file (a temporary in %s): %s", dir, strerror(errno));
    tmp[0] = '\0';
    return -1;
  }
  set_attrs(fd, t, 1, mode_extra);
  remember(tmp);
  return fd;
}

/* Replace the XXXXXX at the end of name with random letters. */
static void randomise(char *name)
{
  static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char r[6];
  if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)getpid();
    for (size_t i = 0; i < sizeof r; i++, x >>= 8)
      r[i] = (unsigned char)x;
  }
  char *p = name + strlen(name) - sizeof r;
  for (size_t i = 0; i < sizeof r; i++)
    p[i] = abc[r[i] % (sizeof abc - 1)];
}

/* Link the unnamed file fd under `to`: with AT_EMPTY_PATH where the process
 * may (root), else through /proc/self/fd. Returns 0, or -1 with errno. */
/* Rename the complete temporary `tmp` over the target; on failure say why
 * and remove it. */
static int rename_into_place(const char *tmp, const struct afile_target *t)
{
  if (rename(tmp, t->path) != 0) {
    err_at(t->name, 0, "cannot rename the output into place: %s", strerror(errno));
    afile_discard(tmp);
    return -1;
  }
  afile_forget(tmp);
  return 0;
}

static int link_fd(int fd, const char *to)
{
  if (linkat(fd, "", AT_FDCWD, to, AT_EMPTY_PATH) == 0)
    return 0;
  if (errno == EEXIST)
    return -1;
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  return linkat(AT_FDCWD, proc, AT_FDCWD, to, AT_SYMLINK_FOLLOW);
}

int afile_link_anon(int fd, const struct afile_target *t)
{
  /* no file there: the name itself, in one step (linkat never replaces) */
  if (t->kind == AFILE_NEW && link_fd(fd, t->path) == 0)
    return 0;
  if (t->kind == AFILE_NEW && errno != EEXIST) {
    err_at(t->name, 0, "cannot create output file: %s", strerror(errno));
    return -1;
  }
  /* a file there (or one made meanwhile): a short name, then a rename over it */
  char tmp[PATH_MAX];
  if (temp_pattern(t, tmp, sizeof tmp) != 0)
    return -1;
  int rc = -1;
  for (int tries = 0; tries < 100 && rc != 0; tries++) {
    randomise(tmp);
    rc = link_fd(fd, tmp);
    if (rc != 0 && errno != EEXIST)
      break;
  }
  if (rc != 0) {
    err_at(t->name, 0, "cannot name the output: %s", strerror(errno));
    return -1;
  }
  remember(tmp);
  return rename_into_place(tmp, t);
}

void afile_sync_folder(const char *path)
{
  char dir[PATH_MAX];
  afile_dir_of(path, dir);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd); /* best effort: some file systems refuse */
    close(dfd);
  }
}

/* ---- named temporaries for writers in several processes ------------------- */

int afile_make_temp(const struct afile_target *t, char *tmp, size_t tmplen)
{
  if (!AFILE_BY_NAME(t)) {
    err_at(t->name, 0, "not a regular file: cannot be written by several processes");
    return -1;
  }
  int fd = afile_named_temp(t, tmp, tmplen, S_IRUSR | S_IWUSR); /* the writers open it by name */
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

int afile_publish(const char *tmp, const struct afile_target *t, int durable)
{
  int fd = open(tmp, O_RDONLY);
  if (fd >= 0) {
    /* without the writers' extra bits */
    fchmod(fd, t->kind == AFILE_REPLACE ? t->mode : 0666 & ~current_umask());
    if (durable)
      fsync(fd);
    close(fd);
  }
  if (rename_into_place(tmp, t) != 0)
    return -1;
  if (durable)
    afile_sync_folder(t->path);
  return 0;
}

void afile_discard(const char *tmp)
{
  struct stat sb;
  if (tmp[0] != '\0' && lstat(tmp, &sb) == 0 && S_ISREG(sb.st_mode)) /* never a device */
    unlink(tmp);
  afile_forget(tmp);
}
