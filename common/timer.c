#include "timer.h"

#include <omp.h>

double timer_now(void)
{
  return omp_get_wtime();
}
