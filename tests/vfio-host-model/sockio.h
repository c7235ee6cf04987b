/*
 * VFIO host model: socket helpers shared by the library and the CLI
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VHM_SOCKIO_H
#define VHM_SOCKIO_H

#include <stddef.h>

/* Send all of @p, retrying on EINTR; 0 on success, -1 on error */
int vhm_send_all(int fd, const char *p, size_t len);

#endif /* VHM_SOCKIO_H */
