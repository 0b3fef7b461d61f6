/* Writing all of a buffer to a file descriptor with write(2).
 *
 * write(2) may take fewer bytes than asked (a pipe, a signal, a disk nearly
 * full) and fails with EINTR when a signal comes first: every writer of raw
 * bytes in the suite loops through this one function instead of its own. */
#ifndef CONCUR_FD_WRITE_H
#define CONCUR_FD_WRITE_H

#include <stddef.h>

/* 0 when all n bytes are written; -1 with errno set otherwise (EIO if the
 * kernel took no byte without saying why). */
int fd_write_all(int fd, const void *buf, size_t n);

#endif
