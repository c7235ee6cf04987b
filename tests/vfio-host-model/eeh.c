/*
 * VFIO host model: the EEH PE state machine (VFIO_EEH_PE_OP)
 *
 * Mirrors vfio_spapr_ioctl_eeh_pe_op() and the PowerNV side of
 * arch/powerpc/kernel/eeh.c for PEs that are passed through: the host
 * never recovers them by itself and never signals the ERR eventfd.
 * INJECT_ERR follows eeh_pe_inject_err() and the err_inject hook of the
 * host platform chosen by option eeh_inject= (see "INJECT_ERR" below).
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vhm.h"

#define EEH_ERR_FUNC_MAX    19
/* offsetofend(struct vfio_eeh_pe_op, op): the kernel's minimum argsz */
#define EEH_OP_MINSZ        (offsetof(struct vfio_eeh_pe_op, op) + \
                             sizeof(uint32_t))

static const char *const op_names[] = {
    [VFIO_EEH_PE_DISABLE] = "DISABLE",
    [VFIO_EEH_PE_ENABLE] = "ENABLE",
    [VFIO_EEH_PE_UNFREEZE_IO] = "UNFREEZE_IO",
    [VFIO_EEH_PE_UNFREEZE_DMA] = "UNFREEZE_DMA",
    [VFIO_EEH_PE_GET_STATE] = "GET_STATE",
    [VFIO_EEH_PE_RESET_DEACTIVATE] = "RESET_DEACTIVATE",
    [VFIO_EEH_PE_RESET_HOT] = "RESET_HOT",
    [VFIO_EEH_PE_RESET_FUNDAMENTAL] = "RESET_FUNDAMENTAL",
    [VFIO_EEH_PE_CONFIGURE] = "CONFIGURE",
    [VFIO_EEH_PE_INJECT_ERR] = "INJECT_ERR",
};

#define NUM_OPS ((uint32_t)(sizeof(op_names) / sizeof(op_names[0])))

static const char *const platform_names[] = {
    [VHM_INJ_PHB3] = "phb3",
    [VHM_INJ_PHB4] = "phb4",
    [VHM_INJ_PSERIES] = "pseries",
    [VHM_INJ_NONE] = "none",
};

#define N_PLATFORMS \
    ((int)(sizeof(platform_names) / sizeof(platform_names[0])))

static const char *const space_names[] = {
    [VHM_SPACE_MEM] = "mem",
    [VHM_SPACE_IO] = "io",
    [VHM_SPACE_CFG] = "cfg",
    [VHM_SPACE_DMA] = "dma",
};

void vhm_pe_freeze(VhmGroup *g, bool mmio, bool dma)
{
    g->mmio_frozen |= mmio;
    g->dma_frozen |= dma;
}

void vhm_pe_thaw(VhmGroup *g)
{
    g->mmio_frozen = false;
    g->dma_frozen = false;
    vhm_diag_drop_pending(g);
}

/*
 * eeh_pe_change_owner(): a frozen PE is thawed when ownership moves
 * (ENABLE, first open and last close of a device); the error data of
 * the previous owner goes too.
 */
void vhm_pe_owner_change(VhmGroup *g)
{
    if (!g->unavailable) {
        vhm_pe_thaw(g);
        vhm_diag_clear(g);
    }
}

bool vhm_pe_mmio_blocked(VhmGroup *g)
{
    return g->unavailable || g->mmio_frozen;
}

bool vhm_pe_cfg_blocked(VhmGroup *g)
{
    return g->unavailable || g->mmio_frozen || g->cfg_blocked;
}

/* eeh_pe_get_state() on PowerNV */
int vhm_eeh_get_state(VhmGroup *g)
{
    if (g->unavailable) {
        return VFIO_EEH_PE_STATE_UNAVAIL;
    }
    if (g->cfg_blocked && g->reset_state) {
        return VFIO_EEH_PE_STATE_RESET;
    }
    if (g->mmio_frozen && g->dma_frozen) {
        return VFIO_EEH_PE_STATE_STOPPED;
    }
    if (g->dma_frozen) {
        return VFIO_EEH_PE_STATE_STOPPED_DMA;
    }
    if (g->mmio_frozen) {
        return VFIO_EEH_PE_STATE_UNAVAIL;
    }
    return VFIO_EEH_PE_STATE_NORMAL;
}

/*
 * INJECT_ERR
 *
 * eeh_pe_inject_err() checks that the platform has an err_inject hook
 * (-ENOENT) and that func is 0..19 (-EINVAL), then calls the hook:
 *
 * phb3 (POWER8 PowerNV, pnv_eeh_err_inject() with skiboot's PHB3): type
 *   other than 0/1 -ERANGE; every func is programmed into the PHB's
 *   error injection registers and fires on the next matching access.
 * phb4 (POWER9/10 PowerNV): as phb3, but skiboot's PHB4 only implements
 *   the config functions; OPAL_UNSUPPORTED for the others becomes -EIO.
 * pseries (the host is a PowerVM LPAR, pseries_eeh_err_inject()): type
 *   other than 0/1 -EINVAL, func other than the memory load/store ones
 *   -ERANGE; addr/mask are ignored and the kernel freezes the PE at once
 *   with a load from the first memory BAR while decoding is off.
 * none: no hook, -ENOENT.
 *
 * An armed injection fires once, on the next access of the PE's devices
 * of its kind whose address matches under mask (type 0: the low 32 bits
 * only), and freezes the PE as a host freeze does.  The registers are
 * one set per PHB (PCI domain): arming replaces what was armed on any PE
 * of the same PHB.  A PE reset and a host freeze or thaw disarm it.
 */

int vhm_inject_platform_parse(const char *s)
{
    int i;

    for (i = 0; i < N_PLATFORMS; i++) {
        if (!strcmp(s, platform_names[i])) {
            return i;
        }
    }
    return -1;
}

const char *vhm_inject_platform_name(int platform)
{
    if (platform < 0 || platform >= N_PLATFORMS) {
        return "?";
    }
    return platform_names[platform];
}

/* EEH_ERR_FUNC_*: the kind of access a function injects into */
static void func_access(uint32_t func, int *space, bool *write)
{
    static const int spaces[] = {
        VHM_SPACE_MEM, VHM_SPACE_IO, VHM_SPACE_CFG,     /* 0-5 loads */
        VHM_SPACE_MEM, VHM_SPACE_IO, VHM_SPACE_CFG,     /* 6-11 stores */
    };

    if (func >= 12) {
        /* 12-15 DMA read (the device reads memory), 16-19 DMA write */
        *space = VHM_SPACE_DMA;
        *write = func >= 16;
        return;
    }
    *space = spaces[func / 2];
    *write = func >= 6;
}

static bool func_is_cfg(uint32_t func)
{
    return func == 4 || func == 5 || func == 10 || func == 11;
}

/* Two PEs share a PHB when a device of each is on one PCI domain */
static bool same_phb(VhmGroup *a, VhmGroup *b)
{
    int i, j;

    for (i = 0; i < a->ndevs; i++) {
        for (j = 0; j < b->ndevs; j++) {
            if (a->devs[i]->domain == b->devs[j]->domain) {
                return true;
            }
        }
    }
    return false;
}

void vhm_inject_disarm(VhmGroup *g, const char *reason)
{
    if (!g->inj.armed) {
        return;
    }
    g->inj.armed = false;
    vhm_log("EEH inject-disarmed group=%d func=%u reason=%s", g->id,
            g->inj.func, reason);
}

void vhm_inject_disarm_all(const char *reason)
{
    int i;

    for (i = 0; i < vhm.ngroups; i++) {
        vhm_inject_disarm(&vhm.groups[i], reason);
    }
}

/* The injected error happens: the PE freezes as on a host freeze */
static void inject_fire(VhmGroup *g, VhmDev *d, uint32_t type,
                        uint32_t func, int space, uint64_t addr)
{
    vhm_log("EEH inject-fired group=%d func=%u addr=0x%" PRIx64
            " dev=%s space=%s", g->id, func, addr, d->bdf,
            space_names[space]);
    vhm_pe_freeze(g, true, true);
    if (vhm.opt.eeh_error_feature) {
        vhm_diag_inject(g, type, func, addr);
    }
}

/*
 * An access of d that reaches the hardware: fire the PE's armed
 * injection if it is of this kind and the address matches.  addr is
 * the host address (MEM/IO), the PCI bus address (DMA) or the config
 * offset (CFG, not compared).
 */
void vhm_inject_access(VhmDev *d, int space, bool write, uint64_t addr)
{
    VhmGroup *g = d->group;
    VhmInject *in = &g->inj;
    uint64_t mask;
    bool want_write, stopped;
    int want;

    if (!in->armed) {
        return;
    }
    /* a frozen PE's PHB does not let the access through */
    if (space == VHM_SPACE_DMA) {
        stopped = g->dma_frozen;
    } else {
        stopped = g->mmio_frozen ||
                  (space == VHM_SPACE_CFG && g->cfg_blocked);
    }
    if (stopped || g->unavailable) {
        return;
    }
    func_access(in->func, &want, &want_write);
    if (want != space || want_write != write) {
        return;
    }
    if (space != VHM_SPACE_CFG) {
        mask = in->type ? in->mask : in->mask & 0xffffffffULL;
        if ((addr & mask) != (in->addr & mask)) {
            return;
        }
    }
    in->armed = false;
    inject_fire(g, d, in->type, in->func, space, addr);
}

/*
 * A DMA the device's engine is asked for: it reaches the PHB when the
 * request is valid, the group has an IOMMU, the PE's DMA is not stopped
 * and bus mastering is on (vhm_dma_rw() refuses it otherwise, before it
 * looks at any TCE).
 */
void vhm_inject_dma(VhmDev *d, uint64_t iova, uint64_t len, bool write)
{
    VhmContainer *c = d->group->cont;
    uint32_t cmd = vhm_ld(&d->cfg[PCI_COMMAND], 2);

    if (!len || len > VHM_DMA_MAX || iova + len < iova || !c ||
        !c->iommu || !(cmd & PCI_COMMAND_MASTER)) {
        return;
    }
    vhm_inject_access(d, VHM_SPACE_DMA, write, iova);
}

/*
 * pseries_eeh_err_inject(): eeh_break_device() on every device of the
 * PE; the first load from a memory BAR freezes the PE, the rest go to a
 * frozen PE.  Nothing happens for a PE without a memory BAR.
 */
static void inject_break(VhmGroup *g, const struct vfio_eeh_pe_err *err)
{
    uint64_t start, end, flags;
    int i, bar;

    for (i = 0; i < g->ndevs; i++) {
        for (bar = 0; bar < 6; bar++) {
            if (vhm_dev_resource(g->devs[i], bar, &start, &end, &flags) &&
                (flags & VHM_IORESOURCE_MEM)) {
                inject_fire(g, g->devs[i], err->type, err->func,
                            VHM_SPACE_MEM, start);
                return;
            }
        }
    }
}

static long pe_inject(VhmGroup *g, const struct vfio_eeh_pe_err *err)
{
    int i;

    if (vhm.opt.eeh_inject == VHM_INJ_NONE) {
        /* !eeh_ops->err_inject */
        return -ENOENT;
    }
    if (err->func > EEH_ERR_FUNC_MAX) {
        return -EINVAL;
    }
    switch (vhm.opt.eeh_inject) {
    case VHM_INJ_PSERIES:
        if (err->type > 1) {
            return -EINVAL;
        }
        if (err->func != 0 && err->func != 1 && err->func != 6 &&
            err->func != 7) {
            return -ERANGE;
        }
        if (g->unavailable) {
            return -EIO;
        }
        inject_break(g, err);
        return 0;
    case VHM_INJ_PHB4:
        if (err->type > 1) {
            return -ERANGE;
        }
        if (!func_is_cfg(err->func)) {
            /* OPAL_UNSUPPORTED */
            return -EIO;
        }
        break;
    default:
        if (err->type > 1) {
            return -ERANGE;
        }
        break;
    }
    if (g->unavailable) {
        return -EIO;
    }
    /* one set of injection registers per PHB: this replaces any other */
    for (i = 0; i < vhm.ngroups; i++) {
        if (&vhm.groups[i] == g || same_phb(&vhm.groups[i], g)) {
            vhm_inject_disarm(&vhm.groups[i], "replaced");
        }
    }
    g->inj.armed = true;
    g->inj.type = err->type;
    g->inj.func = err->func;
    g->inj.addr = err->addr;
    g->inj.mask = err->mask;
    return 0;
}

static long pe_reset(VhmGroup *g, uint32_t op)
{
    int i;

    if (g->unavailable) {
        return -EIO;
    }
    if (op == VFIO_EEH_PE_RESET_DEACTIVATE) {
        /* clear CFG_BLOCKED, restore BARs, thaw MMIO then DMA */
        g->cfg_blocked = false;
        vhm_pe_thaw(g);
        return 0;
    }
    /* proactive freeze, block config, then reset every device */
    vhm_inject_disarm(g, "reset");
    vhm_diag_clear(g);
    vhm_pe_freeze(g, true, true);
    g->cfg_blocked = true;
    for (i = 0; i < g->ndevs; i++) {
        vhm_dev_hw_reset(g->devs[i], op == VFIO_EEH_PE_RESET_FUNDAMENTAL);
    }
    return 0;
}

static long pe_op(VhmGroup *g, const struct vfio_eeh_pe_op *op,
                  const void *arg)
{
    struct vfio_eeh_pe_op full;

    switch (op->op) {
    case VFIO_EEH_PE_DISABLE:
        g->eeh_enabled = false;
        return 0;
    case VFIO_EEH_PE_ENABLE:
        g->eeh_enabled = true;
        if (g->unavailable) {
            return -EIO;
        }
        vhm_pe_owner_change(g);
        return 0;
    case VFIO_EEH_PE_UNFREEZE_IO:
        if (g->unavailable) {
            return -EIO;
        }
        g->mmio_frozen = false;
        vhm_diag_drop_pending(g);
        return 0;
    case VFIO_EEH_PE_UNFREEZE_DMA:
        if (g->unavailable) {
            return -EIO;
        }
        g->dma_frozen = false;
        vhm_diag_drop_pending(g);
        return 0;
    case VFIO_EEH_PE_GET_STATE:
        vhm_diag_capture(g);
        return vhm_eeh_get_state(g);
    case VFIO_EEH_PE_RESET_DEACTIVATE:
    case VFIO_EEH_PE_RESET_HOT:
    case VFIO_EEH_PE_RESET_FUNDAMENTAL:
        return pe_reset(g, op->op);
    case VFIO_EEH_PE_CONFIGURE:
        return 0;
    case VFIO_EEH_PE_INJECT_ERR:
        /* vfio_spapr_ioctl_eeh_pe_op() needs the whole struct */
        if (op->argsz < sizeof(full)) {
            return -EINVAL;
        }
        memcpy(&full, arg, sizeof(full));
        return pe_inject(g, &full.err);
    default:
        return -EINVAL;
    }
}

long vhm_eeh_pe_op(int fd, VhmContainer *c, void *arg)
{
    struct vfio_eeh_pe_op op, full;
    char opname[32], args[192];
    char sub[48];
    VhmGroup *g = NULL;
    long ret = 0;
    int err, i;

    memset(&op, 0, sizeof(op));
    memcpy(&op, arg, EEH_OP_MINSZ);
    if (op.op < NUM_OPS) {
        snprintf(opname, sizeof(opname), "%s", op_names[op.op]);
    } else {
        snprintf(opname, sizeof(opname), "%u", op.op);
    }
    if (c->ngroups) {
        g = c->groups[0];
    }

    err = vhm_fail_check("VFIO_EEH_PE_OP");
    if (!err && op.op < NUM_OPS) {
        snprintf(sub, sizeof(sub), "EEH_%s", op_names[op.op]);
        err = vhm_fail_check(sub);
    }
    if (err) {
        ret = -err;
    } else if (!c->iommu) {
        /* no IOMMU driver: vfio_fops_unl_ioctl() returns -EINVAL */
        ret = -EINVAL;
    } else if (!vhm.opt.eeh) {
        /* eeh_iommu_group_to_pe() finds no PE */
        ret = c->ngroups ? -ENODEV : 0;
    } else {
        for (i = 0; i < c->ngroups; i++) {
            g = c->groups[i];
            if (op.argsz < EEH_OP_MINSZ || op.flags) {
                ret = -EINVAL;
            } else {
                ret = pe_op(g, &op, arg);
            }
            if (ret || vhm.opt.eeh_first_group) {
                break;
            }
        }
    }
    if (g) {
        snprintf(args, sizeof(args), "op=%s group=%d", opname, g->id);
    } else {
        snprintf(args, sizeof(args), "op=%s group=-", opname);
    }
    if (op.op == VFIO_EEH_PE_INJECT_ERR && op.argsz >= sizeof(full)) {
        size_t n = strlen(args);

        memcpy(&full, arg, sizeof(full));
        snprintf(args + n, sizeof(args) - n, " type=%u func=%u addr=0x%llx "
                 "mask=0x%llx", full.err.type, full.err.func,
                 (unsigned long long)full.err.addr,
                 (unsigned long long)full.err.mask);
    }
    vhm_log_ioctl("cont", fd, "VFIO_EEH_PE_OP", args, ret);
    return ret;
}
