/* hostres: resolve host names, each lookup bounded by a timeout.
 *
 * getaddrinfo() has no timeout of its own: with a dead DNS server it blocks
 * for timeout x attempts x servers from resolv.conf. Each lookup therefore
 * runs in a child process (common/ctimeout.h) that is killed when the time is
 * up; the host then falls back to its own name, as the textbook's resolver
 * does, and the reason goes to stderr. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "ctimeout.h"
#include "errors.h"
#include "escape.h"
#include "lines.h"

/* No host name is longer than 253 bytes: a longer line is not one. */
#define HOSTRES_LINE_MAX 1024

static const struct cli_option hostres_options[] = {
    {"timeout", 'w', "SECONDS", 'w', "limit for each lookup (default 5; 0 = no limit)", 0},
    {"ipv4", '4', NULL, '4', "IPv4 addresses only", 0},
    {"ipv6", '6', NULL, '6', "IPv6 addresses only", 0},
    CLI_HELP_OPTIONS,
    CLI_END};

static const struct cli_help hostres_help = {
    "Usage: {prog} [-w SECONDS] [-4|-6] HOST...\n",
    "Resolve each HOST and print HOST<TAB>ADDRESS, one line per host, in order.\n"
    "A host that cannot be resolved in time prints its own name as the address,\n"
    "and the reason goes to stderr. HOST - reads names from standard input, one\n"
    "a line (blank lines and # comments skipped), each printed as it resolves.\n",
    "Exit status: 0 all resolved, 1 some fell back to their name, 2 bad usage,\n"
    "3 some input lines were not names (too long, NUL byte: reported, skipped).\n"
    "Example: {prog} -w 1 localhost example.org\n"};

struct hostres_opts {
  double timeout;
  int family;
  int first; /* argv index of the first HOST */
};

struct hostres_query {
  const char *host;
  int family;
};

/* Runs in the child: the first address getaddrinfo gives, as text. */
static int hostres_lookup(void *arg, char *out, size_t cap, size_t *len)
{
  const struct hostres_query *q = arg;
  struct addrinfo hints = {.ai_family = q->family, .ai_socktype = SOCK_STREAM}, *ai = NULL;
  int rc = getaddrinfo(q->host, NULL, &hints, &ai);
  if (rc != 0) {
    const char *why = rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc);
    *len = (size_t)snprintf(out, cap, "%s", why);
    return 1;
  }
  const void *addr = ai->ai_family == AF_INET6
                         ? (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr
                         : (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr;
  if (inet_ntop(ai->ai_family, addr, out, (socklen_t)cap) == NULL) {
    *len = (size_t)snprintf(out, cap, "inet_ntop: %s", strerror(errno));
    freeaddrinfo(ai);
    return 1;
  }
  *len = strlen(out);
  freeaddrinfo(ai);
  return 0;
}

static enum cli_status hostres_parse(int argc, char **argv, struct hostres_opts *o,
                                     char err[CLI_ERR_MAX])
{
  struct cli_parser p;
  int c;
  o->timeout = 5.0;
  o->family = AF_UNSPEC;
  cli_begin(&p, "hostres", hostres_options, 1, argc, argv);
  while ((c = cli_next(&p, err)) != -1) {
    switch (c) {
    case 'w':
      if (cli_parse_double("--timeout", p.arg, 0, 86400, &o->timeout, err) != 0)
        return CLI_USAGE;
      break;
    case '4':
    case '6':
      if (o->family != AF_UNSPEC && o->family != (c == '4' ? AF_INET : AF_INET6)) {
        snprintf(err, CLI_ERR_MAX, "-4 and -6 exclude each other");
        return CLI_USAGE;
      }
      o->family = c == '4' ? AF_INET : AF_INET6;
      break;
    default:
      return cli_status_of(c);
    }
  }
  if (p.operand >= argc) {
    snprintf(err, CLI_ERR_MAX, "no HOST given");
    return CLI_USAGE;
  }
  o->first = p.operand;
  return CLI_OK;
}

/* Resolve one host; print its line. Returns 1 if it resolved. The name is
 * printed escaped (escape.h): a name holding control characters must not
 * reach the terminal raw nor break the one line per host. */
static int hostres_one(const char *host, const struct hostres_opts *o)
{
  struct hostres_query q = {.host = host, .family = o->family};
  char out[INET6_ADDRSTRLEN + 256];
  struct ctimeout_result r;
  enum ctimeout_outcome how =
      ctimeout_call(hostres_lookup, &q, o->timeout, out, sizeof out - 1, &r);
  char *shown = esc_dup(host);
  const char *name = shown ? shown : "(out of memory)";
  if (how == CTIMEOUT_DONE) {
    printf("%s\t%.*s\n", name, (int)r.len, out);
    free(shown);
    return 1;
  }
  char why[400];
  ctimeout_describe(&r, out, why, sizeof why);
  printf("%s\t%s\n", name, name);
  fflush(stdout);
  err_msg("%s: %s; using the name itself", host, why);
  free(shown);
  return 0;
}

/* Resolve the names on standard input, one a line, each as soon as its line
 * is read (hostres works in a pipe). Returns 1 if all resolved, 0 if some
 * fell back; *bad is set when lines were rejected, EXIT_FAIL when the read
 * failed. */
static int hostres_stdin(const struct hostres_opts *o, int *bad)
{
  struct lines in;
  struct lines_rec ln;
  enum lines_status ls;
  int all = 1;
  lines_from_fd(&in, 0, "<stdin>", HOSTRES_LINE_MAX);
  while ((ls = lines_next(&in, &ln)) != LINES_EOF) {
    if (ls == LINES_ERROR) {
      err_at(in.name, (long)in.lineno + 1, "read failed: %s", strerror(in.err));
      *bad = EXIT_FAIL;
      break;
    }
    if (ls == LINES_TOO_LONG || ln.nul != LINES_NONE) {
      if (ls == LINES_TOO_LONG)
        err_at(in.name, (long)ln.no, "line longer than %d bytes: not a host name",
               HOSTRES_LINE_MAX);
      else
        err_at(in.name, (long)ln.no, "NUL byte at column %zu: not a host name", ln.nul + 1);
      *bad = *bad ? *bad : EXIT_DATA;
      continue;
    }
    char *s = ln.s, *e = ln.s + ln.len;
    while (*s == ' ' || *s == '\t')
      s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
      *--e = '\0';
    if (*s != '\0' && *s != '#') {
      all &= hostres_one(s, o);
      fflush(stdout);
    }
  }
  lines_close(&in);
  return all;
}

int main(int argc, char **argv)
{
  struct hostres_opts o;
  char err[CLI_ERR_MAX] = "";
  err_init("hostres");
  enum cli_status st = hostres_parse(argc, argv, &o, err);
  if (st != CLI_OK)
    return cli_answer(st, "hostres", &hostres_help, hostres_options, 1, err, 1);
  int all = 1, bad = 0;
  for (int i = o.first; i < argc; i++) {
    if (strcmp(argv[i], "-") == 0) {
      all &= hostres_stdin(&o, &bad);
      continue;
    }
    all &= hostres_one(argv[i], &o);
    fflush(stdout); /* each line out as soon as it is known */
  }
  if (!all || bad == EXIT_FAIL)
    return EXIT_FAIL;
  return bad;
}
