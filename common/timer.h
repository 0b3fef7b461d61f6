/* Wall-clock timing. Setup and verification stay outside timed regions. */
#ifndef CONCUR_TIMER_H
#define CONCUR_TIMER_H

/* Seconds since an arbitrary fixed point (omp_get_wtime). */
double timer_now(void);

#endif
