/* randompix: every URL of the work checked once, before any transfer.
 *
 * A URL that can never be fetched (not http or https, malformed, no host)
 * is a mistake in the command or the list, not a network failure: found
 * item by item it would fail once per item (a --url with -n 50000 made
 * 50000 identical lines) and exit 1 as if the network were at fault. Here it
 * is a usage error, exit 2, one line naming the URL and its list line. The
 * parser is libcurl's own (CURLU), so what passes is what libcurl will
 * fetch. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "msglimit.h"
#include "rpx.h"

#define URLS_SHOWN 20 /* bad URLs reported one by one; the rest are counted */

/* Why url cannot be fetched, into why; 0 if it can. */
static int urls_problem(const char *url, char *why, size_t cap)
{
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL;
  if (u == NULL) {
    snprintf(why, cap, "out of memory");
    return -1;
  }
  CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
  if (uc == CURLUE_BAD_SCHEME && strstr(url, "://") == NULL)
    snprintf(why, cap, "not a URL: no http:// or https:// at its start");
  else if (uc != CURLUE_OK)
    snprintf(why, cap, "not a URL: %s", curl_url_strerror(uc));
  else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
           (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
    snprintf(why, cap, "scheme '%s' is not http or https", scheme ? scheme : "");
  else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0')
    snprintf(why, cap, "no host");
  else
    why[0] = '\0';
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  return why[0] != '\0' ? -1 : 0;
}

int rpx_work_check_urls(const struct rpx_work *w, int speak)
{
  char why[160];
  if (w->url != NULL) {
    if (urls_problem(w->url, why, sizeof why) == 0)
      return 0;
    if (speak)
      err_msg("--url %s: %s", w->url, why);
    return -1;
  }
  struct msglimit lim;
  uint64_t bad = 0;
  msglimit_init(&lim, URLS_SHOWN);
  for (uint64_t i = 0; i < w->n; i++) {
    if (urls_problem(w->urls[i], why, sizeof why) == 0)
      continue;
    bad++;
    if (speak && msglimit_take(&lim, "bad URL"))
      err_at(w->list_name, w->lines[i], "%s: %s", w->urls[i], why);
  }
  if (speak)
    msglimit_summary(&lim);
  msglimit_destroy(&lim);
  return bad ? -1 : 0;
}
