/* Unit tests of the toolkit's atomic outputs (atomic_file.h), on real files,
 * links, FIFOs and devices in a scratch folder under /tmp: names resolved
 * through links, descriptors, refusals before any work, mode and owner
 * kept, nothing visible while writing, long names. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "atomic_file.h"
#include "check.h"
#include "errors.h"

static char dir[] = "/tmp/concur-atomic-XXXXXX";

static int count_entries(const char *d)
{
  DIR *dp = opendir(d);
  if (!dp)
    return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dp)) != NULL)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(dp);
  return n;
}

/* dir/name into out. */
static const char *at(char *out, const char *name)
{
  snprintf(out, PATH_MAX, "%s/%s", dir, name);
  return out;
}

static int has(const char *path, const char *want)
{
  char buf[64] = {0};
  FILE *fp = fopen(path, "r");
  if (fp == NULL)
    return 0;
  size_t k = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  return k == strlen(want) && memcmp(buf, want, k) == 0;
}

static int put(const char *name, const char *text)
{
  struct afile af;
  if (afile_open(&af, name) != 0)
    return -1;
  fputs(text, af.fp);
  return afile_commit(&af);
}

static void test_basics(void)
{
  char path[PATH_MAX], p2[PATH_MAX];
  struct afile af;
  struct stat st;
  /* a missing folder, a folder, a name ending in '/': refused at open,
   * nothing created */
  CHECK(afile_open(&af, at(path, "no/such/folder/out.txt")) == -1);
  CHECK(mkdir(at(p2, "adir"), 0755) == 0);
  CHECK(afile_open(&af, p2) == -1);
  CHECK(afile_open(&af, at(path, "adir/")) == -1);
  CHECK(afile_open(&af, at(path, "new/")) == -1);
  CHECK(afile_open(&af, "") == -1);
  CHECK(count_entries(dir) == 1 && count_entries(p2) == 0);
  rmdir(p2);

  /* while written, nothing is visible (O_TMPFILE on /tmp); abort leaves
   * nothing */
  CHECK(afile_open(&af, at(path, "out.txt")) == 0);
  fputs("partial", af.fp);
  CHECK(count_entries(dir) == 0);
  afile_abort(&af);
  CHECK(count_entries(dir) == 0);

  /* commit: exactly the file, complete, 0666 & ~umask */
  mode_t old = umask(027);
  CHECK(put(path, "complete\n") == 0);
  umask(old);
  CHECK(count_entries(dir) == 1 && has(path, "complete\n"));
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);

  /* replacing: the old contents until commit (durable: fsynced) */
  CHECK(afile_open(&af, path) == 0);
  af.durable = 1;
  fputs("new\n", af.fp);
  CHECK(has(path, "complete\n"));
  CHECK(afile_commit(&af) == 0);
  CHECK(has(path, "new\n") && count_entries(dir) == 1);

  /* the mode of the file replaced is kept, and its owner where we may */
  CHECK(chmod(path, 0600) == 0);
  CHECK(put(path, "kept\n") == 0);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
  if (geteuid() == 0) {
    CHECK(chown(path, 1000, 1000) == 0);
    CHECK(put(path, "owned\n") == 0);
    CHECK(stat(path, &st) == 0 && st.st_uid == 1000 && st.st_gid == 1000);
    CHECK((st.st_mode & 07777) == 0600);
  }

  /* read-only: refused before anything is written */
  CHECK(chmod(path, 0444) == 0);
  CHECK(afile_open(&af, path) == -1);
  CHECK(has(path, geteuid() == 0 ? "owned\n" : "kept\n") && count_entries(dir) == 1);
  unlink(path);
}

static void test_links(void)
{
  char real[PATH_MAX], link[PATH_MAX], l2[PATH_MAX], sub[PATH_MAX], p[PATH_MAX];
  struct stat st;
  at(real, "real");
  at(link, "link");
  at(l2, "link2");
  CHECK(put(real, "old\n") == 0);
  CHECK(chmod(real, 0600) == 0);
  /* relative, absolute, a chain: the target gets the contents, the links
   * stay links, the mode of the target is kept */
  CHECK(symlink("real", link) == 0);
  CHECK(put(link, "rel\n") == 0);
  CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && has(real, "rel\n"));
  CHECK(stat(real, &st) == 0 && (st.st_mode & 07777) == 0600);
  unlink(link);
  CHECK(symlink(real, link) == 0);
  CHECK(symlink("link", l2) == 0);
  CHECK(put(l2, "chain\n") == 0);
  CHECK(lstat(l2, &st) == 0 && S_ISLNK(st.st_mode) && lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(has(real, "chain\n") && count_entries(dir) == 3);
  unlink(l2);
  unlink(link);
  unlink(real);
  /* dangling: creates the target */
  CHECK(symlink("made", link) == 0);
  CHECK(put(link, "made\n") == 0);
  CHECK(has(at(p, "made"), "made\n") && lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
  unlink(p);
  unlink(link);
  /* into another folder: the temporary goes next to the target */
  CHECK(mkdir(at(sub, "sub"), 0755) == 0);
  CHECK(symlink("sub/file", link) == 0);
  struct afile_target t;
  char tmp[PATH_MAX];
  CHECK(afile_target(link, &t) == 0 && t.kind == AFILE_NEW);
  CHECK(afile_make_temp(&t, tmp, sizeof tmp) == 0);
  CHECK(strncmp(tmp, sub, strlen(sub)) == 0 && strstr(tmp, "/.cc.") != NULL);
  CHECK(afile_publish(tmp, &t, 0) == 0 && access(at(p, "sub/file"), F_OK) == 0);
  CHECK(count_entries(sub) == 1);
  unlink(p);
  rmdir(sub);
  unlink(link);
  /* a loop: refused */
  CHECK(symlink("link2", link) == 0 && symlink("link", l2) == 0);
  CHECK(afile_target(link, &t) == -1);
  unlink(link);
  unlink(l2);
  CHECK(count_entries(dir) == 0);
}

static void test_descriptors_and_names(void)
{
  struct afile_target t;
  char link[PATH_MAX], p[PATH_MAX];
  CHECK(afile_target("-", &t) == 0 && t.kind == AFILE_FD && t.fd == 1);
  CHECK(afile_target("/dev/stdout", &t) == 0 && t.kind == AFILE_FD && t.fd == 1);
  CHECK(afile_target("/dev/fd/2", &t) == 0 && t.kind == AFILE_FD && t.fd == 2);
  CHECK(symlink("/dev/stdout", at(link, "so")) == 0);
  CHECK(afile_target(link, &t) == 0 && t.kind == AFILE_FD && t.fd == 1);
  CHECK(afile_is_stdout(NULL) && afile_is_stdout("-") && afile_is_stdout(link));
  CHECK(!afile_is_stdout(at(p, "x")) && !afile_is_stdout("/dev/stderr"));
  unlink(link);
  /* standard output is flushed, not closed */
  struct afile af;
  CHECK(afile_open(&af, "-") == 0 && af.fp == stdout);
  CHECK(afile_commit(&af) == 0 && fcntl(1, F_GETFD) >= 0);
  /* a 255-byte name (the most a folder entry takes) works: the temporary
   * name is short */
  char name[256];
  memset(name, 'n', 255);
  name[255] = '\0';
  CHECK(put(at(p, name), "long\n") == 0 && has(p, "long\n"));
  CHECK(put(p, "again\n") == 0 && has(p, "again\n") && count_entries(dir) == 1);
  struct afile_target lt;
  char tmp[PATH_MAX];
  CHECK(afile_target(p, &lt) == 0 && afile_make_temp(&lt, tmp, sizeof tmp) == 0);
  CHECK(afile_publish(tmp, &lt, 1) == 0 && count_entries(dir) == 1);
  unlink(p);
}

/* An output that exists and is not a regular file is written in place,
 * never renamed over or removed: a FIFO, and a null device of our own
 * (root only), so that a failure cannot break the real /dev/null. */
static void test_special(void)
{
  char dev[PATH_MAX], fifo[PATH_MAX];
  struct afile_target t;
  CHECK(mkfifo(at(fifo, "fifo"), 0644) == 0);
  CHECK(afile_target(fifo, &t) == 0 && t.kind == AFILE_IN_PLACE && !AFILE_BY_NAME(&t));
  unlink(fifo);
  if (mknod(at(dev, "null"), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    printf("atomic: no mknod (%s): device output not checked\n", strerror(errno));
    return;
  }
  struct stat st;
  struct afile af;
  CHECK(afile_open(&af, dev) == 0);
  fputs("gone\n", af.fp);
  CHECK(afile_commit(&af) == 0);
  CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode) && count_entries(dir) == 1);
  CHECK(afile_open(&af, dev) == 0);
  af.durable = 1; /* fsync of a device fails with EINVAL: not an error */
  CHECK(afile_commit(&af) == 0);
  CHECK(afile_open(&af, dev) == 0);
  afile_abort(&af);
  char tmp[PATH_MAX];
  CHECK(afile_target(dev, &t) == 0 && afile_make_temp(&t, tmp, sizeof tmp) == -1);
  CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode) && count_entries(dir) == 1);
  unlink(dev);
}

int main(void)
{
  err_init("test_atomic_file");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_basics();
  test_links();
  test_descriptors_and_names();
  test_special();
  CHECK(rmdir(dir) == 0);
  return check_summary("atomic_file");
}
