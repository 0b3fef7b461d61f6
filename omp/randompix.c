/* randompix: download images with libcurl - serial, threads or async.
 * The engine lives in common/rpx_*.c; this is the phase list. */
#include <stdio.h>

#include "errors.h"
#include "rpx.h"

int main(int argc, char **argv)
{
  const char *prog = "randompix";
  struct rpx_opts o;
  char err[CLI_ERR_MAX];
  err_init(prog);
  enum cli_status cs = rpx_parse_opts(argc, argv, prog, &o, err);
  if (cs != CLI_OK)
    return rpx_opts_answer(prog, 0, cs, err, 1);

  struct rpx_work w = {0};
  if (o.list != NULL) {
    int lrc = rpx_work_load_list(&w, o.list);
    if (lrc != EXIT_OK)
      return lrc;
  } else {
    w.url = o.url;
    w.n = o.count;
  }
  if (rpx_work_check_urls(&w, 1) != 0) { /* before any transfer: usage, not network */
    rpx_work_free(&w);
    return EXIT_USAGE;
  }
  setvbuf(stdout, NULL, _IOLBF, 0); /* each saved name as it completes */
  rpx_install_signals();

  struct rpx_stats st;
  struct rpx_out out;
  if ((o.names == RPX_NAMES_REMOTE && rpx_names_plan(&w) != 0) ||
      (o.skip_existing && rpx_skip_plan(&o, &w) != 0)) {
    rpx_skip_free(&w);
    rpx_names_free(&w);
    rpx_work_free(&w);
    return EXIT_FAIL;
  }
  if (rpx_out_start(&out, &o, &w, &w) != 0 || rpx_out_attach(&out) != 0) {
    rpx_out_free(&out);
    rpx_skip_free(&w);
    rpx_work_free(&w);
    return EXIT_FAIL;
  }
  int status = rpx_run(&o, &w, 0, 1, &out, &st);
  if (rpx_out_finish(&out, &w) != 0) /* also after a run that could not start */
    status = -1;
  rpx_print_summary(prog, &o, &st, 1, NULL);
  rpx_out_free(&out);
  rpx_skip_free(&w);
  rpx_names_free(&w);
  rpx_work_free(&w);
  return status != 0 ? EXIT_FAIL : rpx_exit_code(&st);
}
