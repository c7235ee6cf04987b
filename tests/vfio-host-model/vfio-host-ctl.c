/*
 * vfio-host-ctl: talk to the VFIO host model's control socket
 *
 *   vfio-host-ctl [-s SOCKET] COMMAND...   send one command
 *   vfio-host-ctl [-s SOCKET]              read commands from stdin
 *
 * Prints the reply lines.  Exit status: 0 if every reply was OK, 1 if
 * one was ERR, 2 if the socket could not be used.  So a shell can test
 * the model's checks: "vfio-host-ctl tce-stats check" exits 1 once QEMU
 * mapped over a TCE it had not unmapped.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "sockio.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: vfio-host-ctl [-s SOCKET] [COMMAND...]\n"
            "  SOCKET defaults to $VHM_CTRL; without COMMAND, commands\n"
            "  are read from stdin, one per line.  Try 'help'.\n"
            "  Exit status 1 if a reply was ERR (e.g. 'tce-stats check').\n");
}

static int connect_to(const char *path)
{
    struct sockaddr_un sa;
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "vfio-host-ctl: socket path too long\n");
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("vfio-host-ctl: socket");
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "vfio-host-ctl: connect %s: %s\n", path,
                strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* 0 = OK, 1 = ERR, 2 = connection trouble */
static int transact(int fd, FILE *in, const char *cmd)
{
    char *line = NULL;
    size_t cap = 0;
    size_t len = strlen(cmd);
    int ret = 2;

    if (vhm_send_all(fd, cmd, len) < 0 ||
        (len && cmd[len - 1] != '\n' && vhm_send_all(fd, "\n", 1) < 0)) {
        fprintf(stderr, "vfio-host-ctl: send: %s\n", strerror(errno));
        return 2;
    }
    while (getline(&line, &cap, in) >= 0) {
        fputs(line, stdout);
        if (!strncmp(line, "OK", 2) &&
            (line[2] == '\n' || line[2] == ' ' || line[2] == '\0')) {
            ret = 0;
            break;
        }
        if (!strncmp(line, "ERR", 3) &&
            (line[3] == '\n' || line[3] == ' ' || line[3] == '\0')) {
            ret = 1;
            break;
        }
    }
    if (ret == 2) {
        fprintf(stderr, "vfio-host-ctl: connection closed\n");
    }
    free(line);
    fflush(stdout);
    return ret;
}

int main(int argc, char **argv)
{
    const char *path = getenv("VHM_CTRL");
    FILE *in;
    int fd, opt, ret = 0;

    while ((opt = getopt(argc, argv, "+s:h")) != -1) {
        switch (opt) {
        case 's':
            path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!path || !*path) {
        fprintf(stderr, "vfio-host-ctl: no socket (-s or $VHM_CTRL)\n");
        return 2;
    }
    fd = connect_to(path);
    if (fd < 0) {
        return 2;
    }
    in = fdopen(dup(fd), "r");
    if (!in) {
        perror("vfio-host-ctl: fdopen");
        close(fd);
        return 2;
    }

    if (optind < argc) {
        char cmd[4096];
        size_t len = 0;
        int i;

        for (i = optind; i < argc; i++) {
            int n = snprintf(cmd + len, sizeof(cmd) - len, "%s%s",
                             i > optind ? " " : "", argv[i]);

            if (n < 0 || (size_t)n >= sizeof(cmd) - len) {
                fprintf(stderr, "vfio-host-ctl: command too long\n");
                return 2;
            }
            len += n;
        }
        ret = transact(fd, in, cmd);
    } else {
        char *line = NULL;
        size_t cap = 0;

        while (getline(&line, &cap, stdin) >= 0) {
            int r;

            if (line[strspn(line, " \t\r\n")] == '\0') {
                continue;
            }
            r = transact(fd, in, line);
            if (r == 2) {
                ret = 2;
                break;
            }
            if (r == 1) {
                ret = 1;
            }
        }
        free(line);
    }
    fclose(in);
    close(fd);
    return ret;
}
