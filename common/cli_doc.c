/* A program's manual page and its shell-completion data, written from the
 * same option table and help texts as its --help (declared in cli.h), so
 * that neither can drift from what the parser accepts. The build asks each
 * program for them (CONCUR_HELP_FORMAT=man|bash PROG --help, dist/). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Every program of the suite, for SEE ALSO. */
static const char *const suite[] = {"msort",      "msort-omp", "sudoku",
                                    "sudoku-omp", "randompix", "randompix-mpi",
                                    "hostres",    "primer",    NULL};

static int applies(const struct cli_option *o, unsigned variant)
{
  return o->only == 0 || (o->only & variant) != 0;
}

static int is_end(const struct cli_option *o)
{
  return o->name == NULL && o->letter == 0 && o->help == NULL;
}

/* Write len bytes of s as roff text: backslashes and dashes escaped, and a
 * line that would start with a control character guarded. */
static void roff_put(FILE *fp, const char *s, size_t len, int line_start)
{
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (line_start && (c == '.' || c == '\''))
      fputs("\\&", fp);
    line_start = 0;
    if (c == '\\')
      fputs("\\e", fp);
    else if (c == '-')
      fputs("\\-", fp);
    else
      fputc(c, fp);
  }
}

/* Text with "{prog}" replaced by prog, as one string (caller frees). */
static char *expand(const char *text, const char *prog)
{
  size_t cap = strlen(text) * 2 + 64, at = 0;
  char *out = malloc(cap);
  if (out == NULL)
    return NULL;
  for (const char *s = text; *s && at + strlen(prog) + 2 < cap;) {
    if (strncmp(s, "{prog}", 6) == 0) {
      at += (size_t)snprintf(out + at, cap - at, "%s", prog);
      s += 6;
    } else {
      out[at++] = *s++;
    }
  }
  out[at] = '\0';
  return out;
}

/* Whether a help line starts a new item rather than continuing the last
 * one: indented, or "word  description" (the sub-lists of --algo). */
static int starts_item(const char *line, size_t len)
{
  if (len == 0 || line[0] == ' ')
    return 1;
  size_t w = 0;
  while (w < len && line[w] != ' ')
    w++;
  return w + 1 < len && line[w + 1] == ' ';
}

/* The man section a paragraph of the text after the options opens, or NULL. */
static const char *section_of(const char *line)
{
  static const char *const opens[][2] = {{"Example:", "EXAMPLES"},
                                         {"Examples:", "EXAMPLES"},
                                         {"Exit status:", "EXIT STATUS"},
                                         {"Output:", "OUTPUT"},
                                         {"Demos:", "DEMOS"}};
  for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++)
    if (strncmp(line, opens[i][0], strlen(opens[i][0])) == 0)
      return opens[i][1];
  return NULL;
}

/* Prose lines as filled roff text; lines that start an item get a break,
 * or with `tagged` (outside an option's text) a "word  description" line
 * becomes a tagged paragraph. */
static void roff_lines(FILE *fp, const char *text, int tagged)
{
  int first = 1;
  for (const char *s = text; *s;) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    if (len == 0) {
      fputs(".PP\n", fp);
      first = 1;
    } else {
      size_t lead = 0, w;
      while (lead < len && s[lead] == ' ')
        lead++;
      for (w = lead; w < len && s[w] != ' ';)
        w++;
      if (tagged && w + 1 < len && s[w + 1] == ' ') {
        fputs(".TP 14\n\\fB", fp);
        roff_put(fp, s + lead, w - lead, 0);
        fputs("\\fR\n", fp);
        for (lead = w; lead < len && s[lead] == ' ';)
          lead++;
        first = 1;
      } else if (!first && starts_item(s, len)) {
        fputs(".br\n", fp);
      }
      roff_put(fp, s + lead, len - lead, 1);
      fputc('\n', fp);
      first = 0;
    }
    s += len + (nl != NULL);
  }
}

/* Lines kept as they are (usage, examples). */
static void roff_verbatim(FILE *fp, const char *text, size_t len)
{
  fputs(".nf\n", fp);
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(text + i, '\n', len - i);
    size_t k = nl ? (size_t)(nl - (text + i)) : len - i;
    roff_put(fp, text + i, k, 1);
    fputc('\n', fp);
    i += k + 1;
  }
  fputs(".fi\n", fp);
}

void cli_doc_options(FILE *fp, const char *format, const struct cli_option *opts, unsigned variant)
{
  int man = strcmp(format, "man") == 0;
  for (int i = 0; !is_end(&opts[i]); i++) {
    const struct cli_option *o = &opts[i];
    if (o->name == NULL && o->letter == 0) {
      if (man) {
        size_t len = strlen(o->help);
        fputs(".SS ", fp);
        roff_put(fp, o->help, len && o->help[len - 1] == ':' ? len - 1 : len, 0);
        fputc('\n', fp);
      }
      continue;
    }
    if (!applies(o, variant))
      continue;
    if (!man) { /* bash: [option]=kind, kind one of flag file dir value choice:a b c */
      char kind[512] = "flag";
      if (o->choices) {
        size_t at = (size_t)snprintf(kind, sizeof kind, "choice:");
        for (int k = 0; o->choices[k] && at < sizeof kind; k++)
          at += (size_t)snprintf(kind + at, sizeof kind - at, "%s%s", k ? " " : "", o->choices[k]);
      } else if (o->value) {
        snprintf(kind, sizeof kind, "%s",
                 strcmp(o->value, "FILE") == 0  ? "file"
                 : strcmp(o->value, "DIR") == 0 ? "dir"
                                                : "value");
      }
      if (o->letter)
        fprintf(fp, "  [-%c]='%s'\n", o->letter, kind);
      if (o->name)
        fprintf(fp, "  [--%s]='%s'\n", o->name, kind);
      continue;
    }
    fputs(".TP\n", fp);
    if (o->letter)
      fprintf(fp, "\\fB\\-%c\\fR%s", o->letter, o->name ? ", " : "");
    if (o->name) {
      fputs("\\fB\\-\\-", fp);
      roff_put(fp, o->name, strlen(o->name), 0);
      fputs("\\fR", fp);
    }
    if (o->value) {
      fputs(" \\fI", fp);
      roff_put(fp, o->value, strlen(o->value), 0);
      fputs("\\fR", fp);
    }
    fputc('\n', fp);
    roff_lines(fp, o->help, 0);
  }
}

/* The manual page: NAME and DESCRIPTION from the about text, SYNOPSIS from
 * the usage, OPTIONS from the table, EXAMPLES and NOTES from the text after
 * it, SEE ALSO the rest of the suite and the installed docs. */
static void man_page(FILE *fp, const char *prog, const struct cli_help *help,
                     const struct cli_option *opts, unsigned variant,
                     const struct cli_option *sub_opts)
{
  char *usage = expand(help->usage ? help->usage : "", prog);
  char *about = expand(help->about ? help->about : "", prog);
  char *after = expand(help->after ? help->after : "", prog);
  if (usage == NULL || about == NULL || after == NULL)
    goto out;
  char upper[64];
  size_t n = 0;
  for (; prog[n] && n + 1 < sizeof upper; n++)
    upper[n] = (char)toupper((unsigned char)prog[n]);
  upper[n] = '\0';
  fprintf(fp, ".\\\" Generated by %s from its option table (CONCUR_HELP_FORMAT=man).\n", prog);
  fprintf(fp, ".TH %s 1 \"\" \"concur %s\" \"concur manual\"\n.nh\n.SH NAME\n", upper,
          CONCUR_VERSION);
  roff_put(fp, prog, strlen(prog), 1);
  fputs(" \\- ", fp);
  /* NAME: the about text's first sentence (up to ". " or ":"), on one line */
  size_t len = 0;
  while (
      about[len] && about[len] != ':' &&
      !(about[len] == '.' && (about[len + 1] == ' ' || about[len + 1] == '\n' || !about[len + 1])))
    len++;
  for (size_t i = 0; i < len; i++) {
    char c = about[i] == '\n' ? ' ' : about[i];
    if (i == 0 && isupper((unsigned char)c) && !isupper((unsigned char)about[1]))
      c = (char)tolower((unsigned char)c);
    roff_put(fp, &c, 1, 0);
  }
  fputs("\n.SH SYNOPSIS\n", fp);
  char *u = usage;
  for (char *line = u; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
    size_t k = strcspn(line, "\n"), skip = strncmp(line, "Usage: ", 7) == 0 ? 7 : 0;
    while (skip < k && line[skip] == ' ')
      skip++;
    roff_verbatim(fp, line + skip, k - skip);
  }
  fputs(".SH DESCRIPTION\n", fp);
  roff_lines(fp, about, 1);
  fputs(".SH OPTIONS\n", fp);
  cli_doc_options(fp, "man", opts, variant);
  /* The text after the options, by paragraph (a blank line, or a line that
   * opens a section, ends one): "Example:", "Exit status:", "Output:" and
   * "Demos:" open sections of those names (examples kept verbatim); other
   * paragraphs are NOTES. */
  int notes = 0;
  for (char *para = after; *para;) {
    char *end = strstr(para, "\n\n");
    size_t plen = end ? (size_t)(end - para) + 1 : strlen(para);
    for (char *nl = memchr(para, '\n', plen); nl && nl + 1 < para + plen;
         nl = memchr(nl + 1, '\n', (size_t)(para + plen - nl - 1)))
      if (section_of(nl + 1) != NULL) {
        plen = (size_t)(nl - para) + 1;
        end = NULL;
        break;
      }
    char keep = para[plen - 1];
    para[plen - 1] = '\0';
    const char *name = section_of(para);
    if (name != NULL) {
      fprintf(fp, ".SH %s\n", name);
      const char *rest = strchr(para, ':') + 1;
      while (*rest == ' ')
        rest++;
      if (strcmp(name, "EXAMPLES") == 0)
        roff_verbatim(fp, rest + (*rest == '\n'), strlen(rest + (*rest == '\n')));
      else
        roff_lines(fp, rest + (*rest == '\n'), 1);
      notes = 0;
    } else {
      fputs(notes ? ".PP\n" : ".SH NOTES\n", fp);
      roff_lines(fp, para, 1);
      notes = 1;
    }
    para[plen - 1] = keep;
    para += plen + (end != NULL);
  }
  if (sub_opts) {
    fputs(".SH SUBCOMMAND OPTIONS\n", fp);
    cli_doc_options(fp, "man", sub_opts, ~0u);
  }
  fputs(".SH SEE ALSO\n", fp);
  int k = 0;
  for (int i = 0; suite[i]; i++)
    if (strcmp(suite[i], prog) != 0) {
      fprintf(fp, "%s\\fB", k++ ? ",\n" : "");
      roff_put(fp, suite[i], strlen(suite[i]), 0);
      fputs("\\fR(1)", fp);
    }
  fputs(",\n\\fBmpirun\\fR(1).\n.PP\n"
        "The guides in share/doc/concur/ of the installation (README.md and docs/).\n",
        fp);
out:
  free(usage);
  free(about);
  free(after);
}

int cli_print_doc(FILE *fp, const char *format, const char *prog, const struct cli_help *help,
                  const struct cli_option *opts, unsigned variant,
                  const struct cli_option *sub_opts)
{
  if (strcmp(format, "man") == 0) {
    man_page(fp, prog, help, opts, variant, sub_opts);
  } else if (strcmp(format, "bash") == 0) {
    char var[64];
    snprintf(var, sizeof var, "%s", prog);
    for (char *c = var; *c; c++)
      if (!isalnum((unsigned char)*c))
        *c = '_';
    fprintf(fp, "# %s's options (CONCUR_HELP_FORMAT=bash %s --help)\n", prog, prog);
    fprintf(fp, "declare -gA _concur_opts_%s=(\n", var);
    cli_doc_options(fp, "bash", opts, variant);
    if (sub_opts)
      cli_doc_options(fp, "bash", sub_opts, ~0u);
    fprintf(fp, ")\ncomplete -F _concur_complete %s\n", prog);
  } else {
    fprintf(stderr, "%s: CONCUR_HELP_FORMAT must be man or bash, not '%s'\n", prog, format);
    return 2;
  }
  return fflush(fp) == 0 ? 0 : 1;
}
