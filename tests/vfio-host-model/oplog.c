/*
 * VFIO host model: the ordered operation log
 *
 * Every line gets a sequence number under the model mutex, so the log
 * order is the linearization order of QEMU's calls and the control
 * commands.  Lines are kept in a bounded ring (dropped lines are
 * counted) and appended to $VHM_LOG, one write() per line.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vhm.h"

typedef struct LogEnt {
    uint64_t seq;
    char *text;
} LogEnt;

typedef struct DmaRun {
    bool active;
    int fd;
    char name[48];
    uint64_t first;
    uint64_t last;
    uint64_t count;
    char line[512];
} DmaRun;

static LogEnt *ring;
static size_t ring_cap;
static size_t ring_head;        /* index of the oldest entry */
static size_t ring_count;
static uint64_t next_seq = 1;
static uint64_t dropped;
static int log_fd = -1;
static DmaRun run;

void vhm_buf_printf(VhmBuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->len >= sizeof(b->s) - 1) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    b->len += n;
    if (b->len >= sizeof(b->s)) {
        b->len = sizeof(b->s) - 1;
    }
}

void vhm_log_open_file(void)
{
    if (!vhm.log_path || log_fd >= 0) {
        return;
    }
    log_fd = vhm_real.open(vhm.log_path,
                           O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        fprintf(stderr, "vfio-host-model: cannot open VHM_LOG %s: %s\n",
                vhm.log_path, strerror(errno));
    }
}

static void emit(const char *text)
{
    char *line;
    int n;

    vhm_lock();
    if (!ring) {
        ring_cap = vhm.opt.log_max ? vhm.opt.log_max : 65536;
        ring = calloc(ring_cap, sizeof(*ring));
        if (!ring) {
            ring_cap = 0;
        }
    }
    n = asprintf(&line, "%" PRIu64 " %s", next_seq, text);
    if (n < 0) {
        next_seq++;
        dropped++;
        vhm_unlock();
        return;
    }
    if (log_fd >= 0) {
        char *nl = malloc(n + 1);

        if (nl) {
            ssize_t r;

            memcpy(nl, line, n);
            nl[n] = '\n';
            r = write(log_fd, nl, n + 1);
            (void)r;
            free(nl);
        }
    }
    if (ring_cap) {
        size_t idx;

        if (ring_count == ring_cap) {
            free(ring[ring_head].text);
            ring_head = (ring_head + 1) % ring_cap;
            ring_count--;
            dropped++;
        }
        idx = (ring_head + ring_count) % ring_cap;
        ring[idx].seq = next_seq;
        ring[idx].text = line;
        ring_count++;
    } else {
        free(line);
        dropped++;
    }
    next_seq++;
    vhm_unlock();
}

void vhm_log_flush_run(void)
{
    char buf[256];

    vhm_lock();
    if (run.active) {
        run.active = false;
        if (run.count == 1) {
            emit(run.line);
        } else {
            snprintf(buf, sizeof(buf), "IOCTL cont fd=%d %s x%" PRIu64
                     " iova=0x%" PRIx64 "..0x%" PRIx64 " = 0",
                     run.fd, run.name, run.count, run.first, run.last);
            emit(buf);
        }
    }
    vhm_unlock();
}

void vhm_log(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    vhm_lock();
    vhm_log_flush_run();
    emit(buf);
    vhm_unlock();
}

static void format_ioctl(char *buf, size_t len, const char *kind, int fd,
                         const char *name, const char *args, long ret)
{
    snprintf(buf, len, "IOCTL %s fd=%d %s%s%s = %ld%s%s", kind, fd, name,
             (args && *args) ? " " : "", args ? args : "",
             ret < 0 ? -1L : ret, ret < 0 ? " " : "",
             ret < 0 ? vhm_errno_name((int)-ret) : "");
}

void vhm_log_ioctl(const char *kind, int fd, const char *name,
                   const char *args, long ret)
{
    char buf[2048];

    format_ioctl(buf, sizeof(buf), kind, fd, name, args, ret);
    vhm_log("%s", buf);
}

void vhm_log_dma(int fd, const char *name, uint64_t iova,
                 const char *args, long ret)
{
    vhm_lock();
    if (vhm.opt.log_dma || ret < 0) {
        vhm_log_ioctl("cont", fd, name, args, ret);
        vhm_unlock();
        return;
    }
    if (run.active && run.fd == fd && !strcmp(run.name, name)) {
        run.count++;
        run.last = iova;
        vhm_unlock();
        return;
    }
    vhm_log_flush_run();
    run.active = true;
    run.fd = fd;
    snprintf(run.name, sizeof(run.name), "%s", name);
    run.first = iova;
    run.last = iova;
    run.count = 1;
    format_ioctl(run.line, sizeof(run.line), "cont", fd, name, args, ret);
    vhm_unlock();
}

uint64_t vhm_log_dump(uint64_t from, void (*out)(void *, const char *),
                      void *opaque, uint64_t *pdropped)
{
    size_t i;
    uint64_t next;

    vhm_lock();
    vhm_log_flush_run();
    for (i = 0; i < ring_count; i++) {
        LogEnt *e = &ring[(ring_head + i) % ring_cap];

        if (e->seq >= from) {
            out(opaque, e->text);
        }
    }
    next = next_seq;
    if (pdropped) {
        *pdropped = dropped;
    }
    vhm_unlock();
    return next;
}

void vhm_log_reset(void)
{
    size_t i;

    vhm_lock();
    vhm_log_flush_run();
    for (i = 0; i < ring_count; i++) {
        free(ring[(ring_head + i) % ring_cap].text);
    }
    ring_head = 0;
    ring_count = 0;
    vhm_unlock();
}
