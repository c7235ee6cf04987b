/*
 * rtasevent-parse: run librtasevent's parser over an RTAS error log
 *
 * Built by scripts/librtasevent-check against the librtasevent sources
 * of Debian's librtas package: the parser rtas_errd uses on a real
 * pseries system.  Exit status 0 when parse_rtas_event() accepts the
 * log, 1 when it refuses it, 2 on usage or input errors.
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "librtasevent.h"

int main(int argc, char **argv)
{
    static char buf[65536];
    struct rtas_event *ev;
    size_t len;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: rtasevent-parse FILE\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);

    ev = parse_rtas_event(buf, len);
    if (!ev) {
        printf("parse_rtas_event() refused the log\n");
        return 1;
    }
    rtas_print_event(stdout, ev, 0);
    cleanup_rtas_event(ev);
    return 0;
}
