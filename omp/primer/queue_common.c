/* queue: what its three versions (threads, --procs, --mpi) share: the items
 * the producer puts, and the verdict on what the consumer received. */
#include <stdio.h>
#include <string.h>

#include "primer.h"
#include "queue_common.h"

int primer_queue_items(long out[PRIMER_QUEUE_MAX])
{
  long a = 0, b = 1;
  int n = 0;
  while (a <= PRIMER_QUEUE_LIMIT && n < PRIMER_QUEUE_MAX) {
    out[n++] = a;
    long next = a + b;
    a = b;
    b = next;
  }
  return n;
}

int primer_queue_verdict(const long *got, int ngot, int stopped, const char *how)
{
  long want[PRIMER_QUEUE_MAX];
  int nwant = primer_queue_items(want);
  char list[256] = "";
  size_t len = 0;
  for (int i = 0; i < ngot && len < sizeof list; i++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%ld", i ? " " : "", got[i]);
  int same = ngot == nwant && memcmp(got, want, sizeof *got * (size_t)nwant) == 0;
  return primer_verdict(same && stopped, "consumer received %s %s, %s (%s)", list,
                        same ? "in order" : "(WRONG: want the Fibonacci numbers up to 35)",
                        stopped ? "then the sentinel stopped it" : "and NO sentinel", how);
}
