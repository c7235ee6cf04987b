/*
 * VFIO host model: interrupts (GET_IRQ_INFO, SET_IRQS, signalling)
 *
 * Mirrors drivers/vfio/pci/vfio_pci_intrs.c.  Eventfds are kept as
 * dup()s, like the kernel keeps an eventfd_ctx reference, and every
 * MSI vector is stored.  The device raises nothing by itself: the
 * control channel's "signal" command writes to the stored eventfds.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "vhm.h"

static void drop_fd(int *fd)
{
    if (*fd >= 0) {
        vhm_real.close(*fd);
        *fd = -1;
    }
}

static void signal_fd(int fd)
{
    uint64_t one = 1;
    ssize_t r = write(fd, &one, sizeof(one));

    (void)r;
}

/* eventfd_ctx_fdget(): -EBADF for a bad fd, -EINVAL if not an eventfd */
static int get_eventfd(int fd)
{
    char path[64], target[64];
    ssize_t n;
    int nfd;

    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    n = readlink(path, target, sizeof(target) - 1);
    if (n < 0) {
        return -EBADF;
    }
    target[n] = '\0';
    if (strcmp(target, "anon_inode:[eventfd]") != 0) {
        return -EINVAL;
    }
    nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return nfd < 0 ? -errno : nfd;
}

void vhm_irq_init(VhmDev *d)
{
    int i;

    d->irq_type = VHM_IRQ_NONE;
    d->intx_fd = -1;
    d->intx_unmask_fd = -1;
    d->intx_masked = false;
    d->intx_pending = false;
    for (i = 0; i < VHM_MSI_MAX; i++) {
        d->msi_fd[i] = -1;
    }
    d->msi_count = 0;
    d->err_fd = -1;
    d->req_fd = -1;
}

static void msi_disable(VhmDev *d)
{
    int i;

    for (i = 0; i < VHM_MSI_MAX; i++) {
        drop_fd(&d->msi_fd[i]);
    }
    d->msi_count = 0;
    d->irq_type = VHM_IRQ_NONE;
}

static void intx_disable(VhmDev *d)
{
    drop_fd(&d->intx_fd);
    drop_fd(&d->intx_unmask_fd);
    d->intx_masked = false;
    d->intx_pending = false;
    d->irq_type = VHM_IRQ_NONE;
}

void vhm_irq_teardown(VhmDev *d)
{
    if (d->irq_type == VFIO_PCI_INTX_IRQ_INDEX) {
        intx_disable(d);
    } else {
        msi_disable(d);
    }
    drop_fd(&d->intx_fd);
    drop_fd(&d->intx_unmask_fd);
    drop_fd(&d->err_fd);
    drop_fd(&d->req_fd);
    d->irq_type = VHM_IRQ_NONE;
}

/* vfio_pci_get_irq_count() */
static uint32_t irq_count(VhmDev *d, uint32_t index)
{
    switch (index) {
    case VFIO_PCI_INTX_IRQ_INDEX:
        return d->cfg[0x3d] ? 1 : 0;
    case VFIO_PCI_MSI_IRQ_INDEX:
        return d->msi_vectors;
    case VFIO_PCI_MSIX_IRQ_INDEX:
        return 0;
    case VFIO_PCI_ERR_IRQ_INDEX:
    case VFIO_PCI_REQ_IRQ_INDEX:
        return 1;
    default:
        return 0;
    }
}

long vhm_irq_info(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_irq_info info;

    memcpy(&info, arg, sizeof(info));
    vhm_buf_printf(lb, "argsz=%u index=%u", info.argsz, info.index);
    if (info.argsz < sizeof(info) || info.index >= VHM_NUM_IRQS) {
        return -EINVAL;
    }
    info.flags = VFIO_IRQ_INFO_EVENTFD;
    info.count = irq_count(d, info.index);
    if (info.index == VFIO_PCI_INTX_IRQ_INDEX) {
        info.flags |= VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED;
    } else if (info.index != VFIO_PCI_REQ_IRQ_INDEX) {
        info.flags |= VFIO_IRQ_INFO_NORESIZE;
    }
    memcpy(arg, &info, sizeof(info));
    vhm_buf_printf(lb, " -> count=%u flags=0x%x", info.count, info.flags);
    return 0;
}

void vhm_irq_unmask(VhmDev *d)
{
    d->intx_masked = false;
    if (d->intx_pending && d->intx_fd >= 0) {
        d->intx_pending = false;
        d->intx_masked = true;
        signal_fd(d->intx_fd);
    }
}

static long intx_mask(VhmDev *d, const struct vfio_irq_set *s,
                      const void *data, bool unmask)
{
    uint32_t type = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

    if (d->irq_type != VFIO_PCI_INTX_IRQ_INDEX || s->start != 0 ||
        s->count != 1) {
        return -EINVAL;
    }
    if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
        int32_t fd = *(const int32_t *)data;
        int nfd;

        if (!unmask) {
            return -ENOTTY;
        }
        /* virqfd unmask: only stored, QEMU without KVM never uses it */
        if (fd < 0) {
            drop_fd(&d->intx_unmask_fd);
            return 0;
        }
        nfd = get_eventfd(fd);
        if (nfd < 0) {
            return nfd;
        }
        drop_fd(&d->intx_unmask_fd);
        d->intx_unmask_fd = nfd;
        return 0;
    }
    if (type == VFIO_IRQ_SET_DATA_BOOL && !*(const uint8_t *)data) {
        return 0;
    }
    if (unmask) {
        vhm_irq_unmask(d);
    } else {
        d->intx_masked = true;
    }
    return 0;
}

static long intx_trigger(VhmDev *d, const struct vfio_irq_set *s,
                         const void *data)
{
    uint32_t type = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
    bool is_intx = d->irq_type == VFIO_PCI_INTX_IRQ_INDEX;

    if (is_intx && !s->count && type == VFIO_IRQ_SET_DATA_NONE) {
        intx_disable(d);
        return 0;
    }
    if (!(is_intx || d->irq_type == VHM_IRQ_NONE) || s->start != 0 ||
        s->count != 1) {
        return -EINVAL;
    }
    if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
        int32_t fd = *(const int32_t *)data;
        int nfd = -1;

        if (fd >= 0) {
            nfd = get_eventfd(fd);
            if (nfd < 0) {
                return nfd;
            }
        }
        if (!is_intx) {
            d->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
            d->intx_masked = false;
            d->intx_pending = false;
        }
        drop_fd(&d->intx_fd);
        d->intx_fd = nfd;
        return 0;
    }
    if (!is_intx) {
        return -EINVAL;
    }
    /* loopback */
    if ((type == VFIO_IRQ_SET_DATA_NONE ||
         *(const uint8_t *)data) && d->intx_fd >= 0) {
        signal_fd(d->intx_fd);
    }
    return 0;
}

static long msi_set_block(VhmDev *d, uint32_t start, uint32_t count,
                          const int32_t *fds)
{
    uint32_t i;

    for (i = 0; i < count; i++) {
        uint32_t v = start + i;
        int nfd = -1;

        if (v >= (uint32_t)d->msi_count) {
            goto unwind;
        }
        if (fds[i] >= 0) {
            nfd = get_eventfd(fds[i]);
            if (nfd < 0) {
                uint32_t j;

                for (j = start; j < v; j++) {
                    drop_fd(&d->msi_fd[j]);
                }
                return nfd;
            }
        }
        drop_fd(&d->msi_fd[v]);
        d->msi_fd[v] = nfd;
    }
    return 0;

unwind:
    for (i = start; i < start + count && i < VHM_MSI_MAX; i++) {
        drop_fd(&d->msi_fd[i]);
    }
    return -EINVAL;
}

static long msi_trigger(VhmDev *d, const struct vfio_irq_set *s,
                        const void *data)
{
    uint32_t type = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
    int index = (int)s->index;
    uint32_t i;
    long ret;

    if (d->irq_type == index && !s->count &&
        type == VFIO_IRQ_SET_DATA_NONE) {
        msi_disable(d);
        return 0;
    }
    if (!(d->irq_type == index || d->irq_type == VHM_IRQ_NONE)) {
        return -EINVAL;
    }
    if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
        if (d->irq_type == index) {
            return msi_set_block(d, s->start, s->count, data);
        }
        if (s->start + s->count > VHM_MSI_MAX) {
            return -EINVAL;
        }
        d->irq_type = index;
        d->msi_count = (int)(s->start + s->count);
        ret = msi_set_block(d, s->start, s->count, data);
        if (ret) {
            msi_disable(d);
        }
        return ret;
    }
    if (d->irq_type != index) {
        return -EINVAL;
    }
    for (i = s->start; i < s->start + s->count; i++) {
        bool fire = type == VFIO_IRQ_SET_DATA_NONE ||
                    ((const uint8_t *)data)[i - s->start];

        if (fire && i < VHM_MSI_MAX && d->msi_fd[i] >= 0) {
            signal_fd(d->msi_fd[i]);
        }
    }
    return 0;
}

/* vfio_pci_set_ctx_trigger_single() */
static long ctx_trigger(int *ctx, const struct vfio_irq_set *s,
                        const void *data)
{
    uint32_t type = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;

    if (s->start != 0 || s->count > 1) {
        return -EINVAL;
    }
    if (type == VFIO_IRQ_SET_DATA_NONE) {
        if (*ctx >= 0) {
            if (s->count) {
                signal_fd(*ctx);
            } else {
                drop_fd(ctx);
            }
            return 0;
        }
        return -EINVAL;
    }
    if (!s->count) {
        return -EINVAL;
    }
    if (type == VFIO_IRQ_SET_DATA_BOOL) {
        if (*(const uint8_t *)data && *ctx >= 0) {
            signal_fd(*ctx);
        }
        return 0;
    }
    if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
        int32_t fd = *(const int32_t *)data;

        if (fd == -1) {
            drop_fd(ctx);
        } else if (fd >= 0) {
            int nfd = get_eventfd(fd);

            if (nfd < 0) {
                return nfd;
            }
            drop_fd(ctx);
            *ctx = nfd;
        } else {
            return -EINVAL;
        }
        return 0;
    }
    return -EINVAL;
}

static void log_data(const struct vfio_irq_set *s, const void *data,
                     VhmBuf *lb)
{
    uint32_t type = s->flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
    uint32_t i, n = s->count < 8 ? s->count : 8;

    if (type == VFIO_IRQ_SET_DATA_EVENTFD) {
        vhm_buf_printf(lb, " fds=[");
        for (i = 0; i < n; i++) {
            vhm_buf_printf(lb, "%s%d", i ? "," : "",
                           ((const int32_t *)data)[i]);
        }
        vhm_buf_printf(lb, "%s]", s->count > n ? ",..." : "");
    } else if (type == VFIO_IRQ_SET_DATA_BOOL) {
        vhm_buf_printf(lb, " data=[");
        for (i = 0; i < n; i++) {
            vhm_buf_printf(lb, "%s%u", i ? "," : "",
                           ((const uint8_t *)data)[i]);
        }
        vhm_buf_printf(lb, "%s]", s->count > n ? ",..." : "");
    }
}

long vhm_irq_set(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_irq_set s;
    const void *data;
    size_t minsz = offsetof(struct vfio_irq_set, data);
    size_t size;
    uint32_t max, action;

    memcpy(&s, arg, minsz);
    data = (const char *)arg + minsz;
    vhm_buf_printf(lb, "argsz=%u flags=0x%x index=%u start=%u count=%u",
                   s.argsz, s.flags, s.index, s.start, s.count);

    /* vfio_set_irqs_validate_and_prepare() */
    if (s.argsz < minsz || s.index >= VHM_NUM_IRQS ||
        s.count >= UINT32_MAX - s.start ||
        (s.flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
                     VFIO_IRQ_SET_ACTION_TYPE_MASK))) {
        return -EINVAL;
    }
    max = irq_count(d, s.index);
    if (s.start >= max || s.start + s.count > max) {
        return -EINVAL;
    }
    switch (s.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
    case VFIO_IRQ_SET_DATA_NONE:
        size = 0;
        break;
    case VFIO_IRQ_SET_DATA_BOOL:
        size = sizeof(uint8_t);
        break;
    case VFIO_IRQ_SET_DATA_EVENTFD:
        size = sizeof(int32_t);
        break;
    default:
        return -EINVAL;
    }
    if (size && s.argsz - minsz < s.count * size) {
        return -EINVAL;
    }
    log_data(&s, data, lb);

    /* vfio_pci_set_irqs_ioctl() */
    action = s.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
    switch (s.index) {
    case VFIO_PCI_INTX_IRQ_INDEX:
        if (action == VFIO_IRQ_SET_ACTION_MASK) {
            return intx_mask(d, &s, data, false);
        } else if (action == VFIO_IRQ_SET_ACTION_UNMASK) {
            return intx_mask(d, &s, data, true);
        } else if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
            return intx_trigger(d, &s, data);
        }
        break;
    case VFIO_PCI_MSI_IRQ_INDEX:
    case VFIO_PCI_MSIX_IRQ_INDEX:
        if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
            return msi_trigger(d, &s, data);
        }
        break;
    case VFIO_PCI_ERR_IRQ_INDEX:
        if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
            return ctx_trigger(&d->err_fd, &s, data);
        }
        break;
    case VFIO_PCI_REQ_IRQ_INDEX:
        if (action == VFIO_IRQ_SET_ACTION_TRIGGER) {
            return ctx_trigger(&d->req_fd, &s, data);
        }
        break;
    }
    return -ENOTTY;
}

/* returns 0 when signalled, 1 when left pending (masked), <0 if none */
int vhm_irq_signal(VhmDev *d, const char *what, int n)
{
    if (!strcmp(what, "intx")) {
        if (d->irq_type != VFIO_PCI_INTX_IRQ_INDEX || d->intx_fd < 0) {
            return -ENOENT;
        }
        if (d->intx_masked) {
            d->intx_pending = true;
            return 1;
        }
        /* AUTOMASKED: the line stays masked until UNMASK */
        d->intx_masked = true;
        signal_fd(d->intx_fd);
        return 0;
    }
    if (!strcmp(what, "msi")) {
        if (d->irq_type != VFIO_PCI_MSI_IRQ_INDEX || n < 0 ||
            n >= d->msi_count || d->msi_fd[n] < 0) {
            return -ENOENT;
        }
        signal_fd(d->msi_fd[n]);
        return 0;
    }
    if (!strcmp(what, "err") || !strcmp(what, "req")) {
        int fd = what[0] == 'e' ? d->err_fd : d->req_fd;

        if (fd < 0) {
            return -ENOENT;
        }
        signal_fd(fd);
        return 0;
    }
    return -EINVAL;
}
