/* queue --mpi in a build without MPI: say so clearly. */
#include "errors.h"
#include "primer.h"
#include "queue_common.h"

void primer_queue_mpi_facts(void) {}

int primer_queue_mpi(const struct primer_opts *o)
{
  (void)o;
  err_msg("queue --mpi: this primer was built without MPI (configure with "
          "-DCONCUR_WITH_MPI=ON; Debian: apt-get install libopenmpi-dev openmpi-bin)");
  return EXIT_USAGE;
}
