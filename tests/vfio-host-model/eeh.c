/*
 * VFIO host model: the EEH PE state machine (VFIO_EEH_PE_OP)
 *
 * Mirrors vfio_spapr_ioctl_eeh_pe_op() and the PowerNV side of
 * arch/powerpc/kernel/eeh.c for PEs that are passed through: the host
 * never recovers them by itself and never signals the ERR eventfd.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
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
        if (op->argsz < sizeof(full)) {
            return -EINVAL;
        }
        memcpy(&full, arg, sizeof(full));
        if (full.err.func > EEH_ERR_FUNC_MAX) {
            return -EINVAL;
        }
        /* pnv_eeh_err_inject(): only 32- and 64-bit types */
        if (full.err.type > 1) {
            return -ERANGE;
        }
        if (g->unavailable) {
            return -EIO;
        }
        vhm_pe_freeze(g, true, true);
        if (vhm.opt.eeh_error_feature) {
            vhm_diag_inject(g, full.err.type, full.err.func, full.err.addr);
        }
        return 0;
    default:
        return -EINVAL;
    }
}

long vhm_eeh_pe_op(int fd, VhmContainer *c, void *arg)
{
    struct vfio_eeh_pe_op op;
    char opname[32], args[96];
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
    vhm_log_ioctl("cont", fd, "VFIO_EEH_PE_OP", args, ret);
    return ret;
}
