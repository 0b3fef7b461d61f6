/* Checked parsing of numeric command-line values (cli.c), and the suite's
 * one way to parse options and answer --help, --version and bad usage
 * (cli_opts.c).
 *
 * Every parser rejects rather than clamps: empty strings, signs where none are
 * allowed, overflow, trailing junk and out-of-range values all fail with a
 * one-line reason in `err` (which names the option). Size suffixes: k M G T
 * (powers of 1000) and Ki Mi Gi Ti (powers of 1024), so `-n 10M` is ten
 * million and `-n 1Gi` is 2^30. */
#ifndef CONCUR_CLI_H
#define CONCUR_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_ERR_MAX 256

/* Unsigned integer with optional size suffix, in [min, max]. */
int cli_parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out,
                  char err[CLI_ERR_MAX]);
/* Signed integer with optional size suffix, in [min, max]. */
int cli_parse_i64(const char *opt, const char *s, int64_t min, int64_t max, int64_t *out,
                  char err[CLI_ERR_MAX]);
/* int convenience wrapper (no suffixes needed, but accepted). */
int cli_parse_int(const char *opt, const char *s, int min, int max, int *out,
                  char err[CLI_ERR_MAX]);
/* Finite floating-point number in [min, max] (e.g. seconds). */
int cli_parse_double(const char *opt, const char *s, double min, double max, double *out,
                     char err[CLI_ERR_MAX]);
/* Index of `s` in the NULL-terminated list `choices`, or -1 with err set. */
int cli_parse_choice(const char *opt, const char *s, const char *const *choices, int *out,
                     char err[CLI_ERR_MAX]);

/* ---- options, help and usage errors (cli_opts.c) -------------------------
 *
 * Every program describes its options in one table of struct cli_option. The
 * table gives getopt_long its options, prints the options part of --help, and
 * is what the man pages and the README's option table are checked against.
 * A letter means the same thing in every program of the suite (README.md,
 * "Options"). Parsers never print: they return a cli_status (and the reason
 * of a usage error), and the program hands it to cli_answer. */
#include <getopt.h>
#include <stdio.h>

/* Outcome of a program's option parsing. */
enum cli_status {
  CLI_OK = 0,  /* run the program */
  CLI_HELP,    /* --help: print the help, exit 0 */
  CLI_VERSION, /* --version: print the version, exit 0 */
  CLI_USAGE    /* bad usage: print err, exit 2 */
};

/* One option of a program's table. A table ends with an all-zero entry; an
 * entry with only `help` set is a heading line of the help text. */
struct cli_option {
  const char *name;  /* long name, without "--" */
  int letter;        /* short letter, or 0 */
  const char *value; /* the value's name in the help ("N", "FILE"); NULL: takes none */
  int code;          /* what cli_next returns for it (its letter, or a number >= 256) */
  const char *help;  /* one or more lines ('\n' between them) */
  unsigned only;     /* 0: in every variant of the program; else the variants that have it */
  /* The values the option accepts when they are a fixed set: the same
   * NULL-terminated list its parser hands cli_parse_choice, so that the man
   * page and the shell completion (cli_doc.c) cannot drift from the parser.
   * Tables leave it out (NULL) for other options. */
  const char *const *choices;
};
#define CLI_HEADING(text)                                                                          \
  {                                                                                                \
    NULL, 0, NULL, 0, text, 0, NULL                                                                \
  }
#define CLI_END                                                                                    \
  {                                                                                                \
    NULL, 0, NULL, 0, NULL, 0, NULL                                                                \
  }
#define CLI_MAX_OPTIONS 48

/* A program's help: the usage lines and what it does, the options (from the
 * table), and what follows them (output, exit status, an example). In the
 * texts, "{prog}" stands for the program's name. */
struct cli_help {
  const char *usage;
  const char *about;
  const char *after;
};

/* The state of one parse. */
struct cli_parser {
  const char *prog;
  const struct cli_option *opts;
  unsigned variant; /* which entries apply (see cli_option.only) */
  int argc;
  char **argv;
  const char *arg;  /* the value of the option cli_next returned */
  const char *name; /* how that option is named in messages: "--count" */
  int operand;      /* after the end: index of the first operand in argv */
  char namebuf[64];
  int nlong;
  char shortopts[2 * CLI_MAX_OPTIONS + 4];
  struct option longopts[CLI_MAX_OPTIONS + 1];
};

/* Start parsing argv with the options of `opts` that apply to `variant`. */
void cli_begin(struct cli_parser *p, const char *prog, const struct cli_option *opts,
               unsigned variant, int argc, char **argv);
/* The next option's code (its value in p->arg), -1 after the last option
 * (the operands start at p->operand), or '?' on a usage error (reason in
 * err). Long options are taken only by their full name: an abbreviation is
 * refused with the names it could stand for. A missing value and an unknown
 * option are told apart. --help and --version give CLI_CODE_HELP and
 * CLI_CODE_VERSION when the table has them as such. */
int cli_next(struct cli_parser *p, char err[CLI_ERR_MAX]);
enum { CLI_CODE_HELP = 'h', CLI_CODE_VERSION = 'V' };

/* Standard entries for the end of every table. */
#define CLI_HELP_OPTIONS                                                                           \
  {"help", 'h', NULL, CLI_CODE_HELP, "this help", 0},                                              \
  {                                                                                                \
    "version", 'V', NULL, CLI_CODE_VERSION, "the version", 0                                       \
  }

/* What a code that the program's switch does not handle means:
 * CLI_CODE_HELP -> CLI_HELP, CLI_CODE_VERSION -> CLI_VERSION, anything else
 * (a '?' from cli_next) -> CLI_USAGE. The `default:` of every parser. */
enum cli_status cli_status_of(int code);

/* The --threads help of the suite, one text per kind of program. */
#define CLI_THREADS_HELP "OpenMP threads (default: OMP_NUM_THREADS, else all cores)"
#define CLI_THREADS_HELP_MPI                                                                       \
  "OpenMP threads per rank (default: OMP_NUM_THREADS, else the\n"                                  \
  "node's cores shared among its ranks)"

/* err = "unexpected argument 'X'" when operands remain that the program
 * does not take; returns CLI_USAGE then, else CLI_OK. */
enum cli_status cli_no_operands(const struct cli_parser *p, char err[CLI_ERR_MAX]);

/* Print the options of `opts` that apply to `variant`, one per line
 * ("  -n, --count N        text"), headings as they are. */
void cli_print_options(FILE *fp, const struct cli_option *opts, unsigned variant);

/* The manual page (format "man": roff) or the bash-completion data (format
 * "bash") of a program, from the same table and texts as its --help
 * (cli_doc.c). cli_answer writes it instead of the help when the environment
 * has CONCUR_HELP_FORMAT; the build uses that to make man pages and
 * completions. sub_opts (or NULL): the options of a program's subcommands,
 * all variants. Returns an exit status. */
int cli_print_doc(FILE *fp, const char *format, const char *prog, const struct cli_help *help,
                  const struct cli_option *opts, unsigned variant,
                  const struct cli_option *sub_opts);
/* Only the options part of that (for a program with subcommands). */
void cli_doc_options(FILE *fp, const char *format, const struct cli_option *opts, unsigned variant);
/* What every program does with the outcome of its parse: CLI_HELP prints the
 * help on stdout, CLI_VERSION the version and the build's facts on stdout
 * (build_print_version, buildinfo.h), CLI_USAGE "prog: err"
 * and "Try 'prog --help'." on stderr; only when `speak` (rank 0 of an MPI
 * run). Returns the exit status (0 or 2); CLI_OK prints nothing, returns 0. */
int cli_answer(enum cli_status st, const char *prog, const struct cli_help *help,
               const struct cli_option *opts, unsigned variant, const char *err, int speak);

#endif
