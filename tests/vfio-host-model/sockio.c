/*
 * VFIO host model: socket helpers shared by the library and the CLI
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <sys/socket.h>

#include "sockio.h"

int vhm_send_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= n;
    }
    return 0;
}
