#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"

/* Temporary files alive now, removed by the signal handler. */
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

static void forget(const char *tmp)
{
  for (int i = 0; i < MAX_LIVE; i++)
    if (live_used[i] && strcmp(live_names[i], tmp) == 0)
      live_used[i] = 0;
}

/* Folder and base name of path (copies: dirname/basename may modify). */
static void split_path(const char *path, char *dir, char *base)
{
  char a[PATH_MAX], b[PATH_MAX];
  snprintf(a, sizeof a, "%s", path);
  snprintf(b, sizeof b, "%s", path);
  snprintf(dir, PATH_MAX, "%s", dirname(a));
  snprintf(base, PATH_MAX, "%s", basename(b));
}

/* An existing output that is a device, a FIFO or a socket (/dev/null, a
 * terminal) is written in place: renaming over it would replace it. (A
 * folder is not: the rename fails, with a clear message.) */
static int is_special(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

static int open_temp(const char *final, char *tmp, size_t tmplen)
{
  char dir[PATH_MAX], base[PATH_MAX];
  if (final[0] == '\0') {
    err_msg("empty output file name");
    return -1;
  }
  split_path(final, dir, base);
  if ((size_t)snprintf(tmp, tmplen, "%s/.%s.tmp.XXXXXX", dir, base) >= tmplen) {
    err_msg("%s: output path too long", final);
    return -1;
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    err_at(final, 0, "cannot create output file: %s", strerror(errno));
    return -1;
  }
  /* mkstemp makes 0600; outputs are ordinary files, subject to the umask */
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  remember(tmp);
  return fd;
}

static void sync_folder(const char *final)
{
  char dir[PATH_MAX], base[PATH_MAX];
  split_path(final, dir, base);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd); /* best effort: some file systems refuse */
    close(dfd);
  }
}

int afile_open(struct afile *af, const char *path)
{
  memset(af, 0, sizeof *af);
  snprintf(af->final, sizeof af->final, "%s", path);
  if (is_special(path)) {
    af->direct = 1;
    if ((af->fp = fopen(path, "wb")) == NULL) {
      err_at(path, 0, "cannot open output: %s", strerror(errno));
      return -1;
    }
    return 0;
  }
  int fd = open_temp(path, af->tmp, sizeof af->tmp);
  if (fd < 0)
    return -1;
  af->fp = fdopen(fd, "wb");
  if (af->fp == NULL) {
    err_at(path, 0, "cannot open output stream: %s", strerror(errno));
    close(fd);
    afile_discard(af->tmp);
    return -1;
  }
  return 0;
}

int afile_commit(struct afile *af)
{
  int failed = 0;
  errno = 0;
  if (fflush(af->fp) != 0 || ferror(af->fp))
    failed = errno ? errno : EIO;
  if (!failed && af->durable && fsync(fileno(af->fp)) != 0 && errno != EINVAL)
    failed = errno;
  if (fclose(af->fp) != 0 && !failed)
    failed = errno ? errno : EIO;
  af->fp = NULL;
  if (failed) {
    err_at(af->final, 0, "write failed: %s", strerror(failed));
    afile_discard(af->tmp);
    af->tmp[0] = '\0';
    return -1;
  }
  if (af->direct)
    return 0;
  if (rename(af->tmp, af->final) != 0) {
    err_at(af->final, 0, "cannot rename output into place: %s", strerror(errno));
    afile_discard(af->tmp);
    af->tmp[0] = '\0';
    return -1;
  }
  forget(af->tmp);
  af->tmp[0] = '\0';
  if (af->durable)
    sync_folder(af->final);
  return 0;
}

void afile_abort(struct afile *af)
{
  if (af->fp != NULL) {
    fclose(af->fp);
    af->fp = NULL;
  }
  if (af->tmp[0] != '\0')
    afile_discard(af->tmp);
  af->tmp[0] = '\0';
}

int afile_make_temp(const char *final, char *tmp, size_t tmplen)
{
  if (is_special(final)) { /* written in place: "publishing" it does nothing */
    if ((size_t)snprintf(tmp, tmplen, "%s", final) >= tmplen) {
      err_msg("%s: output path too long", final);
      return -1;
    }
    return 0;
  }
  int fd = open_temp(final, tmp, tmplen);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

int afile_publish(const char *tmp, const char *final, int durable)
{
  if (strcmp(tmp, final) == 0) /* a special file, written in place */
    return 0;
  int fd = durable ? open(tmp, O_RDONLY) : -1;
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  if (rename(tmp, final) != 0) {
    err_at(final, 0, "cannot rename output into place: %s", strerror(errno));
    afile_discard(tmp);
    return -1;
  }
  forget(tmp);
  if (durable)
    sync_folder(final);
  return 0;
}

void afile_discard(const char *tmp)
{
  struct stat sb;
  if (tmp[0] != '\0' && lstat(tmp, &sb) == 0 && S_ISREG(sb.st_mode)) /* never /dev/null */
    unlink(tmp);
  forget(tmp);
}
