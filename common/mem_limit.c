/* The tightest memory limit on this process (declared in memory.h).
 *
 * Physical memory is the wrong yardstick under a batch system or in a
 * container: the kernel kills a process that outgrows its memory cgroup
 * however much the machine has free, and malloc fails beyond RLIMIT_AS. So
 * the limits are read where the kernel keeps them: /proc/meminfo, the memory
 * cgroups of /proc/self/cgroup (v2 and v1, found through
 * /proc/self/mountinfo, since either may be mounted anywhere or both at
 * once), and getrlimit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "memory.h"

#define PATH_CAP 1024
/* cgroup v1 writes "no limit" as 2^63 minus a page; nothing real is near. */
#define NO_LIMIT_FLOOR ((uint64_t)1 << 62)

/* Where one cgroup hierarchy is mounted: the hierarchy's folder `root` is
 * seen at `dir`. */
struct cg_mount {
  char root[PATH_CAP], dir[PATH_CAP];
  int found;
};

static void keep_tightest(struct mem_limit *best, uint64_t room, const char *what, const char *how)
{
  if (room >= best->room)
    return;
  best->room = room;
  snprintf(best->what, sizeof best->what, "%s", what);
  snprintf(best->how, sizeof best->how, "%s", how);
}

/* The number a one-value file holds; -1 if unreadable or not a number
 * (cgroup v2 writes "max" for no limit). */
static int read_number_file(const char *path, uint64_t *v)
{
  FILE *fp = fopen(path, "r");
  unsigned long long x;
  int ok = fp != NULL && fscanf(fp, "%llu", &x) == 1;
  if (fp != NULL)
    fclose(fp);
  if (ok)
    *v = x;
  return ok ? 0 : -1;
}

/* The number after `key` at the start of a line of path ("inactive_file 123"
 * in memory.stat, "VmSize:  123 kB" in /proc/self/status), times `unit`. */
static int read_keyed(const char *path, const char *key, uint64_t unit, uint64_t *v)
{
  FILE *fp = fopen(path, "r");
  char line[256];
  size_t klen = strlen(key);
  int ok = 0;
  while (fp != NULL && !ok && fgets(line, sizeof line, fp) != NULL) {
    char *end;
    if (strncmp(line, key, klen) != 0 || (line[klen] != ' ' && line[klen] != '\t'))
      continue;
    unsigned long long x = strtoull(line + klen, &end, 10);
    ok = end != line + klen;
    *v = (uint64_t)x * unit;
  }
  if (fp != NULL)
    fclose(fp);
  return ok ? 0 : -1;
}

/* A mountinfo path field, its \ooo escapes (spaces, tabs) decoded. */
static void unescape_field(const char *s, char *out, size_t cap)
{
  size_t n = 0;
  while (*s != '\0' && n + 1 < cap) {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
        s[3] <= '7') {
      out[n++] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 4;
    } else {
      out[n++] = *s++;
    }
  }
  out[n] = '\0';
}

/* Does the comma-separated list hold `word`? */
static int has_word(const char *list, const char *word)
{
  size_t w = strlen(word);
  for (const char *p = list; p != NULL; p = strchr(p, ','), p = p ? p + 1 : NULL)
    if (strncmp(p, word, w) == 0 && (p[w] == ',' || p[w] == '\0' || p[w] == '\n'))
      return 1;
  return 0;
}

/* The first cgroup2 mount, and the first v1 mount with the memory
 * controller. */
static void find_mounts(struct cg_mount *v2, struct cg_mount *v1)
{
  FILE *fp = fopen("/proc/self/mountinfo", "r");
  char line[4096];
  while (fp != NULL && fgets(line, sizeof line, fp) != NULL) {
    char root[PATH_CAP], dir[PATH_CAP], fstype[64], super[512];
    const char *sep = strstr(line, " - ");
    if (sep == NULL || sscanf(line, "%*s %*s %*s %1023s %1023s", root, dir) != 2 ||
        sscanf(sep + 3, "%63s %*s %511s", fstype, super) != 2)
      continue;
    struct cg_mount *m = strcmp(fstype, "cgroup2") == 0                               ? v2
                         : strcmp(fstype, "cgroup") == 0 && has_word(super, "memory") ? v1
                                                                                      : NULL;
    if (m == NULL || m->found)
      continue;
    unescape_field(root, m->root, sizeof m->root);
    unescape_field(dir, m->dir, sizeof m->dir);
    m->found = 1;
  }
  if (fp != NULL)
    fclose(fp);
}

/* This process's cgroup paths in v2 ("0::/path") and in v1's memory
 * hierarchy ("N:memory,...:/path"); "" where there is none. */
static void find_paths(char *v2, char *v1, size_t cap)
{
  FILE *fp = fopen("/proc/self/cgroup", "r");
  char line[PATH_CAP + 128];
  v2[0] = v1[0] = '\0';
  while (fp != NULL && fgets(line, sizeof line, fp) != NULL) {
    char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
    if (b == NULL)
      continue;
    *a = *b = '\0'; /* line: hierarchy number, a + 1: controllers, b + 1: path */
    b[strcspn(b + 1, "\n") + 1] = '\0';
    if (strcmp(line, "0") == 0 && a[1] == '\0')
      snprintf(v2, cap, "%s", b + 1);
    else if (has_word(a + 1, "memory"))
      snprintf(v1, cap, "%s", b + 1);
  }
  if (fp != NULL)
    fclose(fp);
}

/* Every level of `path` in hierarchy m, from the process's cgroup up to the
 * mount's root: keep the tightest limit minus usage. */
static void walk_cgroup(struct mem_limit *best, const struct cg_mount *m, const char *path,
                        const char *limit_file, const char *usage_file, const char *inactive_key)
{
  size_t rl = strcmp(m->root, "/") == 0 ? 0 : strlen(m->root);
  char rel[PATH_CAP];
  /* the mount shows the hierarchy from m->root on (a container's bind mount) */
  if (rl > 0 && strncmp(path, m->root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0'))
    path += rl;
  snprintf(rel, sizeof rel, "%s", path);
  for (;;) {
    size_t len = strlen(rel);
    while (len > 0 && rel[len - 1] == '/')
      rel[--len] = '\0';
    char dir[2 * PATH_CAP + 8], file[sizeof dir + 64];
    uint64_t limit, usage = 0, inactive = 0;
    snprintf(dir, sizeof dir, "%s%s", m->dir, rel);
    snprintf(file, sizeof file, "%s/%s", dir, limit_file);
    if (read_number_file(file, &limit) == 0 && limit < NO_LIMIT_FLOOR) {
      snprintf(file, sizeof file, "%s/%s", dir, usage_file);
      read_number_file(file, &usage);
      snprintf(file, sizeof file, "%s/memory.stat", dir);
      read_keyed(file, inactive_key, 1, &inactive);
      uint64_t used = usage > inactive ? usage - inactive : 0;
      char what[sizeof best->what], how[sizeof best->how], a[32], b[32];
      snprintf(what, sizeof what, "the memory cgroup %s%s", rl ? m->root : "",
               len || rl ? rel : "/");
      mem_human_bytes((double)limit, a, sizeof a);
      mem_human_bytes((double)used, b, sizeof b);
      snprintf(how, sizeof how, "%s %s, %s in use", limit_file, a, b);
      keep_tightest(best, limit > used ? limit - used : 0, what, how);
    }
    char *slash = strrchr(rel, '/');
    if (slash == NULL)
      break;
    *slash = '\0';
  }
}

/* A resource limit, minus what the process has mapped already (`status_key`
 * in /proc/self/status). */
static void rlimit_room(struct mem_limit *best, int resource, const char *what,
                        const char *status_key)
{
  struct rlimit rl;
  uint64_t mapped = 0;
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return;
  read_keyed("/proc/self/status", status_key, 1024, &mapped);
  char how[sizeof best->how], a[32], b[32];
  mem_human_bytes((double)rl.rlim_cur, a, sizeof a);
  mem_human_bytes((double)mapped, b, sizeof b);
  snprintf(how, sizeof how, "limit %s, %s mapped already", a, b);
  keep_tightest(best, rl.rlim_cur > mapped ? rl.rlim_cur - mapped : 0, what, how);
}

uint64_t mem_limit(struct mem_limit *out, unsigned which)
{
  memset(out, 0, sizeof *out);
  out->room = UINT64_MAX;
  snprintf(out->what, sizeof out->what, "no memory limit");
  if (which & MEM_LIMIT_SHARED) {
    uint64_t avail;
    if (read_keyed("/proc/meminfo", "MemAvailable:", 1024, &avail) == 0)
      keep_tightest(out, avail, "this machine", "MemAvailable in /proc/meminfo");
    else if ((avail = mem_physical()) > 0)
      keep_tightest(out, avail, "this machine", "physical memory");
    struct cg_mount v2 = {"", "", 0}, v1 = {"", "", 0};
    char p2[PATH_CAP], p1[PATH_CAP];
    find_mounts(&v2, &v1);
    find_paths(p2, p1, sizeof p2);
    if (v2.found && p2[0] == '/')
      walk_cgroup(out, &v2, p2, "memory.max", "memory.current", "inactive_file");
    if (v1.found && p1[0] == '/')
      walk_cgroup(out, &v1, p1, "memory.limit_in_bytes", "memory.usage_in_bytes",
                  "total_inactive_file");
  }
  if (which & MEM_LIMIT_PROCESS) {
    rlimit_room(out, RLIMIT_AS, "RLIMIT_AS (ulimit -v)", "VmSize:");
    rlimit_room(out, RLIMIT_DATA, "RLIMIT_DATA (ulimit -d)", "VmData:");
  }
  return out->room;
}

void mem_limit_describe(const struct mem_limit *l, char *buf, size_t len)
{
  char a[32];
  if (l->room == UINT64_MAX) {
    snprintf(buf, len, "no memory limit is known");
    return;
  }
  mem_human_bytes((double)l->room, a, sizeof a);
  snprintf(buf, len, "%s allows %s (%s)", l->what, a, l->how);
}
