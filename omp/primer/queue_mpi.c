/* queue --mpi: producer and consumer are MPI ranks. Rank 1 produces, rank 0
 * consumes (and, as the rank that prints summaries, gives the verdict).
 * MPI_Ssend completes only when the matching receive has started: a queue
 * of capacity zero, so the producer can never run ahead of the consumer.
 * The sentinel is an empty message with tag STOP.
 * Construct: MPI_Ssend / MPI_Recv with MPI_ANY_TAG. */
#include <mpi.h>
#include <stdio.h>

#include "errors.h"
#include "mpi_util.h"
#include "primer.h"
#include "queue_common.h"

enum { QUEUE_TAG_ITEM = 1, QUEUE_TAG_STOP = 2 };

static void queue_mpi_produce(void)
{
  long items[PRIMER_QUEUE_MAX];
  int n = primer_queue_items(items);
  for (int i = 0; i < n; i++) {
    MPI_Ssend(&items[i], 1, MPI_LONG, 0, QUEUE_TAG_ITEM, MPI_COMM_WORLD);
    primer_say("rank 1", "sent %ld", items[i]);
  }
  MPI_Ssend(NULL, 0, MPI_LONG, 0, QUEUE_TAG_STOP, MPI_COMM_WORLD);
  primer_say("rank 1", "sent STOP");
}

static int queue_mpi_consume(void)
{
  long got[PRIMER_QUEUE_MAX], v;
  int ngot = 0, stopped = 0;
  for (;;) {
    MPI_Status st;
    MPI_Recv(&v, 1, MPI_LONG, 1, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == QUEUE_TAG_STOP) {
      primer_say("rank 0", "got STOP: stopping");
      stopped = 1;
      break;
    }
    primer_say("rank 0", "got %ld", v);
    if (ngot < PRIMER_QUEUE_MAX)
      got[ngot++] = v;
  }
  return primer_queue_verdict(got, ngot, stopped, "MPI ranks 1 -> 0, synchronous sends");
}

void primer_queue_mpi_facts(void)
{
  mpix_provide_facts();
}

int primer_queue_mpi(const struct primer_opts *o)
{
  (void)o;
  int rank, size, code = 0;
  mpix_init(NULL, NULL, "primer", &rank, &size);
  if (size < 2) {
    err_msg("queue --mpi needs 2 ranks: mpirun -np 2 primer queue --mpi");
    return mpix_finish(EXIT_USAGE);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  primer_clock_start(); /* one time origin for both ranks' lines */
  if (rank == 0 && size == 3)
    primer_say("rank 0", "3 ranks: rank 2 has nothing to do");
  else if (rank == 0 && size > 3)
    primer_say("rank 0", "%d ranks: ranks 2..%d have nothing to do", size, size - 1);
  if (rank == 1)
    queue_mpi_produce();
  else if (rank == 0)
    code = queue_mpi_consume();
  return mpix_finish(code);
}
