/*
 * VFIO host model: iommu groups (/dev/vfio/<N>)
 *
 * Mirrors drivers/vfio/group.c: one open file per group, viability,
 * SET/UNSET_CONTAINER and GET_DEVICE_FD.  One group is one EEH PE.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>

#include "vhm.h"

int vhm_group_open(int id, int flags)
{
    VhmGroup *g = vhm_group_by_id(id);
    int fd;

    if (!g) {
        return -ENOENT;
    }
    /* the file stays open while device fds hold it */
    if (g->refs > 0) {
        return -EBUSY;
    }
    fd = vhm_fd_new(VHM_FD_GROUP, g, flags);
    if (fd < 0) {
        return fd;
    }
    g->fd = fd;
    g->refs = 1;
    return fd;
}

static bool group_viable(VhmGroup *g)
{
    int i;

    for (i = 0; i < g->ndevs; i++) {
        if (!g->devs[i]->viable) {
            return false;
        }
    }
    return true;
}

static long do_get_status(VhmGroup *g, void *arg, VhmBuf *lb)
{
    struct vfio_group_status st;

    memcpy(&st, arg, sizeof(st));
    vhm_buf_printf(lb, "argsz=%u", st.argsz);
    if (st.argsz < sizeof(st)) {
        return -EINVAL;
    }
    st.flags = 0;
    if (g->cont) {
        st.flags |= VFIO_GROUP_FLAGS_CONTAINER_SET | VFIO_GROUP_FLAGS_VIABLE;
    } else if (group_viable(g)) {
        st.flags |= VFIO_GROUP_FLAGS_VIABLE;
    }
    memcpy(arg, &st, sizeof(st));
    vhm_buf_printf(lb, " -> flags=0x%x", st.flags);
    return 0;
}

static long do_set_container(VhmGroup *g, void *arg, VhmBuf *lb)
{
    int cfd = *(int *)arg;
    VhmContainer *c;

    vhm_buf_printf(lb, "container=%d", cfd);
    if (vhm_fd_kind(cfd) != VHM_FD_CONT) {
        return fcntl(cfd, F_GETFD) < 0 ? -EBADF : -EBADFD;
    }
    c = vhm_fd_obj(cfd);
    if (g->cont) {
        return -EINVAL;
    }
    /* iommu_group_claim_dma_owner() fails if a host driver is bound */
    if (!group_viable(g)) {
        return -EBUSY;
    }
    return vhm_container_attach(c, g);
}

static long do_unset_container(VhmGroup *g)
{
    if (!g->cont) {
        return -EINVAL;
    }
    /* devices still open */
    if (g->refs > 1) {
        return -EBUSY;
    }
    vhm_container_detach(g);
    return 0;
}

static long do_get_device_fd(VhmGroup *g, void *arg, VhmBuf *lb)
{
    char name[256];
    char *sp;
    VhmDev *d = NULL;
    int i, fd;

    snprintf(name, sizeof(name), "%s", (const char *)arg);
    vhm_buf_printf(lb, "name=\"%s\"", name);
    if (!g->cont || !g->cont->iommu) {
        return -EINVAL;
    }
    sp = strchr(name, ' ');
    if (sp) {
        *sp = '\0';
    }
    for (i = 0; i < g->ndevs; i++) {
        if (!strcmp(g->devs[i]->bdf, name)) {
            d = g->devs[i];
        }
    }
    if (!d) {
        return -ENODEV;
    }
    if (sp) {
        /* vfio_pci_validate_vf_token(): not a PF with SR-IOV, not a VF */
        return -EINVAL;
    }
    fd = vhm_fd_new(VHM_FD_DEV, d, O_CLOEXEC);
    if (fd < 0) {
        return fd;
    }
    g->refs++;
    if (d->open_count++ == 0) {
        /* vfio_pci_core_enable(): reset, then vconfig from hardware */
        vhm_dev_open(d);
        /* eeh_dev_open() -> eeh_pe_change_owner() thaws a frozen PE */
        vhm_pe_owner_change(g);
    }
    return fd;
}

long vhm_group_ioctl(int fd, VhmGroup *g, unsigned long req, void *arg)
{
    const char *name;
    VhmBuf lb = { .len = 0 };
    long ret;
    int err;

    lb.s[0] = '\0';
    switch (req) {
    case VFIO_GROUP_GET_STATUS:
        name = "VFIO_GROUP_GET_STATUS";
        break;
    case VFIO_GROUP_SET_CONTAINER:
        name = "VFIO_GROUP_SET_CONTAINER";
        break;
    case VFIO_GROUP_UNSET_CONTAINER:
        name = "VFIO_GROUP_UNSET_CONTAINER";
        break;
    case VFIO_GROUP_GET_DEVICE_FD:
        name = "VFIO_GROUP_GET_DEVICE_FD";
        break;
    default:
        name = "UNKNOWN";
        break;
    }
    err = vhm_fail_check(name);
    if (err) {
        vhm_log_ioctl("group", fd, name, "injected", -err);
        return -err;
    }
    switch (req) {
    case VFIO_GROUP_GET_STATUS:
        ret = do_get_status(g, arg, &lb);
        break;
    case VFIO_GROUP_SET_CONTAINER:
        ret = do_set_container(g, arg, &lb);
        break;
    case VFIO_GROUP_UNSET_CONTAINER:
        ret = do_unset_container(g);
        break;
    case VFIO_GROUP_GET_DEVICE_FD:
        ret = do_get_device_fd(g, arg, &lb);
        break;
    default:
        vhm_buf_printf(&lb, "cmd=0x%lx", req);
        ret = -ENOTTY;
        break;
    }
    vhm_buf_printf(&lb, "%sgroup=%d", lb.len ? " " : "", g->id);
    vhm_log_ioctl("group", fd, name, lb.s, ret);
    return ret;
}

void vhm_group_put(VhmGroup *g)
{
    if (--g->refs == 0 && g->cont) {
        vhm_container_detach(g);
    }
}

void vhm_group_close(VhmGroup *g)
{
    g->fd = -1;
    vhm_group_put(g);
}
