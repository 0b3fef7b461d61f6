/* The suite's one way to read options and to answer --help, --version and
 * bad usage (declared in cli.h). */
#include <stdlib.h>
#include <string.h>

#include "buildinfo.h"
#include "cli.h"
#include "errors.h"
#include "escape.h"

/* getopt_long codes of the options a table has for other variants: cli_next
 * says they do not apply, rather than that they do not exist. */
#define CLI_NOT_HERE 0x10000

static int applies(const struct cli_option *o, unsigned variant)
{
  return o->only == 0 || (o->only & variant) != 0;
}

static int is_option(const struct cli_option *o)
{
  return o->name != NULL || o->letter != 0;
}

static int is_end(const struct cli_option *o)
{
  return !is_option(o) && o->help == NULL;
}

/* Whether the table's long options already have `name` (a variant's own
 * entry comes first and wins). */
static int have_long(const struct cli_parser *p, const char *name)
{
  for (int i = 0; i < p->nlong; i++)
    if (strcmp(p->longopts[i].name, name) == 0)
      return 1;
  return 0;
}

static void add_long(struct cli_parser *p, const struct cli_option *o, int val)
{
  if (p->nlong < CLI_MAX_OPTIONS && !have_long(p, o->name))
    p->longopts[p->nlong++] =
        (struct option){o->name, o->value ? required_argument : no_argument, NULL, val};
}

void cli_begin(struct cli_parser *p, const char *prog, const struct cli_option *opts,
               unsigned variant, int argc, char **argv)
{
  memset(p, 0, sizeof *p);
  p->prog = prog;
  p->opts = opts;
  p->variant = variant;
  p->argc = argc;
  p->argv = argv;
  size_t ns = 0;
  p->shortopts[ns++] = ':'; /* a missing value is ':', not '?' */
  for (int i = 0; !is_end(&opts[i]); i++) {
    const struct cli_option *o = &opts[i];
    if (!is_option(o) || !applies(o, variant))
      continue;
    if (o->letter && ns + 2 < sizeof p->shortopts) {
      p->shortopts[ns++] = (char)o->letter;
      if (o->value)
        p->shortopts[ns++] = ':';
    }
    if (o->name)
      add_long(p, o, o->code);
  }
  for (int i = 0; !is_end(&opts[i]); i++)
    if (opts[i].name && !applies(&opts[i], variant))
      add_long(p, &opts[i], CLI_NOT_HERE + i);
  p->shortopts[ns] = '\0';
  opterr = 0;
  optind = 1;
}

/* The long options that `given` (len bytes) may have meant: those that share
 * its first four characters (all of it, when shorter), as "--a, --b" into
 * out (empty when none). `--retry` names both --retries and --retry-delay. */
static void candidates(const struct cli_parser *p, const char *given, size_t len, char *out,
                       size_t cap)
{
  size_t at = 0, need = len < 4 ? len : 4;
  out[0] = '\0';
  for (int i = 0; i < p->nlong && at < cap; i++) {
    const char *name = p->longopts[i].name;
    size_t common = 0;
    while (common < len && name[common] == given[common])
      common++;
    if (p->longopts[i].val < CLI_NOT_HERE && need > 0 && common >= need)
      at += (size_t)snprintf(out + at, cap - at, "%s--%s", at ? ", " : "", name);
  }
}

/* err for an option that getopt_long did not take: elem is the argument it
 * stopped at. */
static void explain_unknown(const struct cli_parser *p, const char *elem, char err[CLI_ERR_MAX])
{
  if (elem == NULL || strncmp(elem, "--", 2) != 0) {
    snprintf(err, CLI_ERR_MAX, "unknown option -%c", optopt ? optopt : '?');
    return;
  }
  const char *name = elem + 2, *eq = strchr(name, '=');
  size_t len = eq ? (size_t)(eq - name) : strlen(name);
  for (int i = 0; i < p->nlong; i++)
    if (strlen(p->longopts[i].name) == len && strncmp(p->longopts[i].name, name, len) == 0) {
      snprintf(err, CLI_ERR_MAX, "--%.*s takes no value", (int)len, name);
      return;
    }
  char alts[160];
  candidates(p, name, len, alts, sizeof alts);
  if (alts[0])
    snprintf(err, CLI_ERR_MAX, "unknown option '--%.*s' (did you mean %s?)", (int)len, name, alts);
  else
    snprintf(err, CLI_ERR_MAX, "unknown option '--%.*s'", (int)len, name);
}

/* The name of a long option by its code, for "missing value for --X". */
static const char *long_name_of(const struct cli_parser *p, int code)
{
  for (int i = 0; i < p->nlong; i++)
    if (p->longopts[i].val == code)
      return p->longopts[i].name;
  return "?";
}

int cli_next(struct cli_parser *p, char err[CLI_ERR_MAX])
{
  char *name = p->namebuf;
  int idx = -1;
  int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, &idx);
  const char *last = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : NULL;
  p->arg = optarg;
  p->name = name;
  if (c == -1) {
    p->operand = optind;
    return -1;
  }
  if (c == ':') {
    if (last != NULL && strncmp(last, "--", 2) == 0)
      snprintf(err, CLI_ERR_MAX, "missing value for --%s", long_name_of(p, optopt));
    else
      snprintf(err, CLI_ERR_MAX, "missing value for -%c", optopt);
    return '?';
  }
  if (c == '?') {
    explain_unknown(p, last, err);
    return '?';
  }
  if (idx < 0) { /* a short option */
    snprintf(name, sizeof p->namebuf, "-%c", c);
    return c;
  }
  /* a long option: refuse abbreviations (`--retry` for --retry-delay) */
  const struct option *lo = &p->longopts[idx];
  const char *elem = lo->has_arg && optarg == p->argv[optind - 1] ? p->argv[optind - 2] : last;
  const char *given = elem + 2, *eq = strchr(given, '=');
  size_t len = eq ? (size_t)(eq - given) : strlen(given);
  if (len != strlen(lo->name) || strncmp(given, lo->name, len) != 0) {
    char alts[160];
    candidates(p, given, len, alts, sizeof alts);
    snprintf(err, CLI_ERR_MAX, "unknown option '--%.*s' (did you mean %s?)", (int)len, given, alts);
    return '?';
  }
  snprintf(name, sizeof p->namebuf, "--%s", lo->name);
  if (c >= CLI_NOT_HERE) {
    snprintf(err, CLI_ERR_MAX, "--%s does not apply to %s", lo->name, p->prog);
    return '?';
  }
  return c;
}

enum cli_status cli_status_of(int code)
{
  return code == CLI_CODE_HELP ? CLI_HELP : code == CLI_CODE_VERSION ? CLI_VERSION : CLI_USAGE;
}

enum cli_status cli_no_operands(const struct cli_parser *p, char err[CLI_ERR_MAX])
{
  if (p->operand >= p->argc)
    return CLI_OK;
  snprintf(err, CLI_ERR_MAX, "unexpected argument '%s'", p->argv[p->operand]);
  return CLI_USAGE;
}

void cli_print_options(FILE *fp, const struct cli_option *opts, unsigned variant)
{
  enum { COLUMN = 24 };
  for (int i = 0; !is_end(&opts[i]); i++) {
    const struct cli_option *o = &opts[i];
    if (!is_option(o)) {
      fprintf(fp, "%s\n", o->help);
      continue;
    }
    if (!applies(o, variant))
      continue;
    char left[96];
    int n;
    if (o->name)
      n = snprintf(left, sizeof left, "  %c%c%s--%s%s%s", o->letter ? '-' : ' ',
                   o->letter ? o->letter : ' ', o->letter ? ", " : "  ", o->name,
                   o->value ? " " : "", o->value ? o->value : "");
    else
      n = snprintf(left, sizeof left, "  -%c%s%s", o->letter, o->value ? " " : "",
                   o->value ? o->value : "");
    fprintf(fp, "%s%*s", left, n < COLUMN - 1 ? COLUMN - n : 2, "");
    for (const char *h = o->help; *h;) {
      const char *nl = strchr(h, '\n');
      size_t k = nl ? (size_t)(nl - h) : strlen(h);
      fprintf(fp, "%.*s\n", (int)k, h);
      h += k;
      if (*h == '\n' && *++h)
        fprintf(fp, "%*s", COLUMN, "");
    }
  }
}

/* Print text with every "{prog}" replaced by prog. */
static void put_text(FILE *fp, const char *text, const char *prog)
{
  if (text == NULL)
    return;
  for (const char *at; (at = strstr(text, "{prog}")) != NULL; text = at + 6)
    fprintf(fp, "%.*s%s", (int)(at - text), text, prog);
  fputs(text, fp);
}

int cli_answer(enum cli_status st, const char *prog, const struct cli_help *help,
               const struct cli_option *opts, unsigned variant, const char *err, int speak)
{
  switch (st) {
  case CLI_OK:
    return EXIT_OK;
  case CLI_HELP:
    if (speak && getenv("CONCUR_HELP_FORMAT") != NULL)
      return cli_print_doc(stdout, getenv("CONCUR_HELP_FORMAT"), prog, help, opts, variant, NULL);
    if (speak) {
      put_text(stdout, help->usage, prog);
      put_text(stdout, help->about, prog);
      fputc('\n', stdout);
      cli_print_options(stdout, opts, variant);
      if (help->after) {
        fputc('\n', stdout);
        put_text(stdout, help->after, prog);
      }
      fflush(stdout);
    }
    return EXIT_OK;
  case CLI_VERSION:
    if (speak) {
      build_print_version(stdout, prog);
      fflush(stdout);
    }
    return EXIT_OK;
  case CLI_USAGE:
    break;
  }
  char shown[CLI_ERR_MAX * ESC_GROWTH]; /* the reason quotes the arguments: escaped */
  if (speak)
    fprintf(stderr, "%s: %s\nTry '%s --help'.\n", prog,
            esc_str(shown, sizeof shown, err && *err ? err : "bad usage"), prog);
  return EXIT_USAGE;
}
