/* queue: the part its three versions share (queue_common.c), and the
 * versions that the demo (queue.c) dispatches to. */
#ifndef PRIMER_QUEUE_COMMON_H
#define PRIMER_QUEUE_COMMON_H

#include "primer.h"

#define PRIMER_QUEUE_LIMIT 35 /* Fibonacci numbers up to this */
#define PRIMER_QUEUE_MAX   16
/* Fibonacci numbers <= PRIMER_QUEUE_LIMIT into out; returns how many. */
int primer_queue_items(long out[PRIMER_QUEUE_MAX]);
/* Verdict on what the consumer received (in order) and whether it saw the
 * sentinel; `how` names the transport. */
int primer_queue_verdict(const long *got, int ngot, int stopped, const char *how);

int primer_queue_procs(const struct primer_opts *o); /* queue_procs.c */
int primer_queue_mpi(const struct primer_opts *o);   /* queue_mpi.c (MPI builds) */
/* Register the MPI library for --version (a no-op without MPI). */
void primer_queue_mpi_facts(void);

#endif
