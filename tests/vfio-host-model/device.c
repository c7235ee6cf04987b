/*
 * VFIO host model: the vfio-pci device (regions, config space, resets)
 *
 * Mirrors drivers/vfio/pci/vfio_pci_core.c, vfio_pci_rdwr.c and the
 * parts of vfio_pci_config.c that QEMU can observe.  BARs are never
 * mmap-able, so every access arrives here through pread/pwrite.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vhm.h"
#include "vfio-eeh-uapi.h"

#define REGION_MASK     ((1ULL << VHM_REGION_SHIFT) - 1)

/* BAR0 dword 0 is a read-only identification register */
#define BAR0_ID_LEN     4

static void cfg_set(VhmDev *d, int off, int len, uint32_t val)
{
    vhm_st(&d->cfg[off], len, val);
}

static void cfg_wmask(VhmDev *d, int off, int len, uint32_t mask)
{
    vhm_st(&d->wmask[off], len, mask);
}

static void cfg_w1c(VhmDev *d, int off, int len, uint32_t mask)
{
    vhm_st(&d->w1c[off], len, mask);
}

static void cfg_virt(VhmDev *d, int off, int len)
{
    memset(&d->virt[off], 1, len);
}

static uint32_t cfg_get(VhmDev *d, int off, int len)
{
    return vhm_ld(&d->cfg[off], len);
}

/*
 * One struct virtio_pci_cap (include/uapi/linux/virtio_pci.h) at pos:
 * vendor-specific capability, cfg_type, BAR, offset and length in it.
 * vfio-pci virtualizes the ID and next pointer and passes the rest of a
 * vendor capability through, read-only here.
 */
static void virtio_cap(VhmDev *d, int pos, int next, int len, int type,
                       uint32_t off)
{
    cfg_set(d, pos + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_VNDR);
    cfg_set(d, pos + PCI_CAP_LIST_NEXT, 1, next);
    cfg_virt(d, pos, 2);
    cfg_set(d, pos + 2, 1, len);            /* cap_len */
    cfg_set(d, pos + 3, 1, type);           /* cfg_type */
    cfg_set(d, pos + 4, 1, VHM_VIRTIO_BAR); /* bar */
    cfg_set(d, pos + 8, 4, off);            /* offset */
    cfg_set(d, pos + 12, 4, VHM_VIRTIO_REGION_LEN); /* length */
}

/*
 * The capabilities a modern virtio-pci function has, as vp_modern_probe()
 * looks for them: common (1), ISR (3), device (4) and notify (2, with
 * notify_off_multiplier), each 4 KiB of BAR2.
 */
static void virtio_caps_build(VhmDev *d)
{
    const int p = VHM_CAP_VIRTIO;

    virtio_cap(d, p, p + 0x10, 16, 1, VHM_VIRTIO_COMMON_OFF);
    virtio_cap(d, p + 0x10, p + 0x20, 16, 3, VHM_VIRTIO_ISR_OFF);
    virtio_cap(d, p + 0x20, p + 0x30, 16, 4, VHM_VIRTIO_DEVICE_OFF);
    virtio_cap(d, p + 0x30, 0, 20, 2, VHM_VIRTIO_NOTIFY_OFF);
    cfg_set(d, p + 0x30 + 16, 4, VHM_VIRTIO_NOTIFY_MULT);
}

/*
 * Build the config space as vfio-pci presents it right after the device
 * was opened.  With keep_sticky, the AER status/mask/severity/header
 * registers keep their value, as they do across FLR and hot reset.
 */
static void config_build(VhmDev *d, bool keep_sticky)
{
    uint8_t sticky[VHM_AER_STICKY_LEN];
    int i;

    vhm_aer_save(d, sticky);
    memset(d->cfg, 0, sizeof(d->cfg));
    memset(d->wmask, 0, sizeof(d->wmask));
    memset(d->w1c, 0, sizeof(d->w1c));
    memset(d->virt, 0, sizeof(d->virt));

    /* header */
    cfg_set(d, PCI_VENDOR_ID, 2, d->vendor);
    cfg_set(d, PCI_DEVICE_ID, 2, d->devid);
    cfg_virt(d, PCI_VENDOR_ID, 4);
    /* pci_enable_device() at open leaves memory decoding on */
    cfg_set(d, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    cfg_wmask(d, PCI_COMMAND, 2, 0x0547);
    cfg_set(d, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
    cfg_w1c(d, PCI_STATUS, 2, 0xf900);
    cfg_set(d, PCI_REVISION_ID, 1, 0x01);
    cfg_set(d, PCI_CLASS_PROG, 3, 0xff0000);
    cfg_wmask(d, PCI_CACHE_LINE_SIZE, 1, 0xff);
    cfg_wmask(d, PCI_LATENCY_TIMER, 1, 0xff);

    /* BARs: virtualized in vconfig, sizing by write mask */
    for (i = 0; i < 6; i++) {
        cfg_virt(d, PCI_BASE_ADDRESS_0 + 4 * i, 4);
    }
    cfg_set(d, PCI_BASE_ADDRESS_0, 4, 0x80000000u);
    cfg_wmask(d, PCI_BASE_ADDRESS_0, 4, ~(uint32_t)(VHM_BAR0_SIZE - 1));
    cfg_set(d, PCI_BASE_ADDRESS_2, 4,
            PCI_BASE_ADDRESS_MEM_TYPE_64 | PCI_BASE_ADDRESS_MEM_PREFETCH);
    cfg_set(d, PCI_BASE_ADDRESS_3, 4, 0x00002000u);
    cfg_wmask(d, PCI_BASE_ADDRESS_2, 4, ~(uint32_t)(VHM_BAR2_SIZE - 1));
    cfg_wmask(d, PCI_BASE_ADDRESS_3, 4, 0xffffffffu);

    cfg_set(d, PCI_SUBSYSTEM_VENDOR_ID, 2, d->vendor);
    cfg_set(d, PCI_SUBSYSTEM_ID, 2, d->devid);
    cfg_virt(d, PCI_ROM_ADDRESS, 4);
    cfg_set(d, PCI_CAPABILITY_LIST, 1, VHM_CAP_PM);
    cfg_virt(d, PCI_CAPABILITY_LIST, 1);
    cfg_wmask(d, PCI_INTERRUPT_LINE, 1, 0xff);
    cfg_set(d, PCI_INTERRUPT_PIN, 1, 1);
    cfg_virt(d, PCI_INTERRUPT_LINE, 2);

    /* power management, v3; NoSoftReset unless FLR is switched off */
    cfg_set(d, VHM_CAP_PM + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_PM);
    cfg_set(d, VHM_CAP_PM + PCI_CAP_LIST_NEXT, 1, VHM_CAP_MSI);
    cfg_virt(d, VHM_CAP_PM, 2);
    cfg_set(d, VHM_CAP_PM + PCI_PM_PMC, 2, 0x0003);
    cfg_set(d, VHM_CAP_PM + PCI_PM_CTRL, 2,
            d->flr ? PCI_PM_CTRL_NO_SOFT_RESET : 0);
    cfg_wmask(d, VHM_CAP_PM + PCI_PM_CTRL, 2,
              PCI_PM_CTRL_STATE_MASK | PCI_PM_CTRL_PME_ENABLE);
    cfg_w1c(d, VHM_CAP_PM + PCI_PM_CTRL, 2, PCI_PM_CTRL_PME_STATUS);

    /* MSI: 64-bit, msi_vectors vectors, no masking; fully virtualized */
    cfg_set(d, VHM_CAP_MSI + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_MSI);
    cfg_set(d, VHM_CAP_MSI + PCI_CAP_LIST_NEXT, 1, VHM_CAP_EXP);
    cfg_set(d, VHM_CAP_MSI + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_64BIT |
            (__builtin_ctz(d->msi_vectors) << 1));
    cfg_wmask(d, VHM_CAP_MSI + PCI_MSI_FLAGS, 2,
              PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
    cfg_wmask(d, VHM_CAP_MSI + PCI_MSI_ADDRESS_LO, 4, 0xfffffffcu);
    cfg_wmask(d, VHM_CAP_MSI + PCI_MSI_ADDRESS_HI, 4, 0xffffffffu);
    cfg_wmask(d, VHM_CAP_MSI + PCI_MSI_DATA_64, 2, 0xffff);
    cfg_virt(d, VHM_CAP_MSI, 16);

    /* PCI Express v2, endpoint */
    cfg_set(d, VHM_CAP_EXP + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_EXP);
    cfg_set(d, VHM_CAP_EXP + PCI_CAP_LIST_NEXT, 1,
            d->personality == VHM_PERS_VIRTIO ? VHM_CAP_VIRTIO : 0);
    cfg_virt(d, VHM_CAP_EXP, 2);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_FLAGS, 2,
            2 | (PCI_EXP_TYPE_ENDPOINT << 4));
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_DEVCAP, 4,
            0x1 | PCI_EXP_DEVCAP_EXT_TAG | PCI_EXP_DEVCAP_RBER |
            (d->flr ? PCI_EXP_DEVCAP_FLR : 0));
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_DEVCTL, 2, 0x2000);
    cfg_wmask(d, VHM_CAP_EXP + PCI_EXP_DEVCTL, 2, 0x7fff);
    cfg_w1c(d, VHM_CAP_EXP + PCI_EXP_DEVSTA, 2, 0x000f);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_LNKCAP, 4, 0x00000083u);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_LNKCTL, 2, 0);
    cfg_wmask(d, VHM_CAP_EXP + PCI_EXP_LNKCTL, 2, 0x0fc3);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_LNKSTA, 2, 0x0083);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_DEVCAP2, 4, 0x0000001fu);
    cfg_wmask(d, VHM_CAP_EXP + PCI_EXP_DEVCTL2, 2, 0x000f);

    if (d->personality == VHM_PERS_VIRTIO) {
        virtio_caps_build(d);
    }

    /* extended capabilities: AER, where the device's aer= puts it */
    vhm_ecap_build(d);

    if (keep_sticky) {
        vhm_aer_restore(d, sticky);
    }
}

static void bar_reset(VhmDev *d)
{
    int i;

    for (i = 0; i < 6; i++) {
        if (d->bar_mem[i]) {
            memset(d->bar_mem[i], 0, d->bar_size[i]);
        }
    }
}

void vhm_dev_init(VhmDev *d)
{
    d->bar_size[0] = VHM_BAR0_SIZE;
    d->bar_size[2] = VHM_BAR2_SIZE;
    d->bar_mem[0] = calloc(1, VHM_BAR0_SIZE);
    d->bar_mem[2] = calloc(1, VHM_BAR2_SIZE);
    memset(d->cfg, 0, sizeof(d->cfg));
    config_build(d, false);
    vhm_irq_init(d);
}

/*
 * A device reset as seen through VFIO.  The kernel saves and restores
 * config space around FLR and bus resets (pci_dev_save_and_disable /
 * pci_dev_restore) and restores BARs after EEH resets, so the config
 * space the user sees is preserved.  Device-internal state (the BAR
 * contents) is lost, non-sticky error status is cleared, and a
 * fundamental reset also clears the sticky AER registers.
 */
void vhm_dev_hw_reset(VhmDev *d, bool fundamental)
{
    bar_reset(d);
    cfg_set(d, PCI_STATUS, 2, cfg_get(d, PCI_STATUS, 2) & ~0xf900u);
    cfg_set(d, VHM_CAP_EXP + PCI_EXP_DEVSTA, 2,
            cfg_get(d, VHM_CAP_EXP + PCI_EXP_DEVSTA, 2) & ~0xfu);
    if (fundamental) {
        /* PERST# also resets the sticky AER registers to defaults */
        vhm_aer_reset(d);
    }
}

/* first open of the device fd: vfio_pci_core_enable() + config init */
void vhm_dev_open(VhmDev *d)
{
    vhm_dev_hw_reset(d, false);
    config_build(d, true);
}

/* region access */

static bool mem_enabled(VhmDev *d)
{
    uint32_t pmcsr = cfg_get(d, VHM_CAP_PM + PCI_PM_CTRL, 2);

    if ((pmcsr & PCI_PM_CTRL_STATE_MASK) == 3) {
        return false;
    }
    return cfg_get(d, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY;
}

static void config_write_bytes(VhmDev *d, const uint8_t *buf, size_t count,
                               uint64_t pos, bool virt_only)
{
    const uint64_t devctl = VHM_CAP_EXP + PCI_EXP_DEVCTL;
    bool flr = false;
    size_t i;

    for (i = 0; i < count; i++) {
        uint64_t o = pos + i;
        uint8_t v = buf[i];

        if (virt_only && !d->virt[o]) {
            continue;
        }
        d->cfg[o] = (d->cfg[o] & ~d->wmask[o]) | (v & d->wmask[o]);
        d->cfg[o] &= ~(v & d->w1c[o]);
        /* vfio_exp_config_write(): BCR_FLR starts a function reset */
        if (o == devctl + 1 && (v & (PCI_EXP_DEVCTL_BCR_FLR >> 8)) &&
            d->flr) {
            flr = true;
        }
    }
    if (flr) {
        vhm_dev_hw_reset(d, false);
    }
}

static ssize_t config_rw(VhmDev *d, uint8_t *buf, size_t count,
                         uint64_t pos, bool write)
{
    VhmGroup *g = d->group;
    int mode = g->unavailable ? VHM_CFG_ONES : d->cfg_frozen;
    size_t i;

    if (pos >= VHM_CFG_SIZE || pos + count > VHM_CFG_SIZE) {
        return -EFAULT;
    }
    /* an armed config injection fails this access: it sees the freeze */
    if (g->inj.armed) {
        vhm_inject_access(d, VHM_SPACE_CFG, write, pos);
    }
    if (g->unavailable || g->mmio_frozen || g->cfg_blocked) {
        switch (mode) {
        case VHM_CFG_ONES:
            if (!write) {
                memset(buf, 0xff, count);
            }
            return count;
        case VHM_CFG_ENODEV:
            return -ENODEV;
        case VHM_CFG_EIO:
            return -EIO;
        case VHM_CFG_VCONFIG:
            if (write) {
                config_write_bytes(d, buf, count, pos, true);
            } else {
                for (i = 0; i < count; i++) {
                    buf[i] = d->virt[pos + i] ? d->cfg[pos + i] : 0xff;
                }
            }
            return count;
        default:
            break;
        }
    }
    if (write) {
        config_write_bytes(d, buf, count, pos, false);
    } else {
        memcpy(buf, &d->cfg[pos], count);
    }
    return count;
}

static ssize_t bar_rw(VhmDev *d, int bar, uint8_t *buf, size_t count,
                      uint64_t pos, bool write)
{
    VhmGroup *g = d->group;
    uint64_t size = d->bar_size[bar];
    uint64_t start, end, flags;
    size_t i;

    if (!size || !d->bar_mem[bar] || pos >= size) {
        return -EINVAL;
    }
    if (count > size - pos) {
        count = size - pos;
    }
    if (vhm.opt.bar_needs_mem && !mem_enabled(d)) {
        return -EIO;
    }
    /*
     * The access goes out at the BAR's host address: an armed MMIO
     * injection that matches fails it, and it sees the freeze.
     */
    if (g->inj.armed &&
        vhm_dev_resource(d, bar, &start, &end, &flags)) {
        vhm_inject_access(d, (flags & VHM_IORESOURCE_IO) ? VHM_SPACE_IO
                                                         : VHM_SPACE_MEM,
                          write, start + pos);
    }
    if (g->mmio_frozen || g->unavailable) {
        /* loads see all-ones, stores are dropped by the frozen PE */
        if (!write) {
            memset(buf, 0xff, count);
        }
        return count;
    }
    for (i = 0; i < count; i++) {
        uint64_t o = pos + i;
        bool id = bar == 0 && o < BAR0_ID_LEN;

        if (write) {
            if (!id) {
                d->bar_mem[bar][o] = buf[i];
            }
        } else if (id) {
            buf[i] = (((uint32_t)d->devid << 16 | d->vendor) >>
                      (8 * o)) & 0xff;
        } else {
            buf[i] = d->bar_mem[bar][o];
        }
    }
    return count;
}

ssize_t vhm_dev_rw(int fd, VhmDev *d, void *buf, size_t count,
                   uint64_t off, bool write)
{
    const char *op = write ? "pwrite" : "pread";
    unsigned index = off >> VHM_REGION_SHIFT;
    uint64_t pos = off & REGION_MASK;
    uint64_t val = 0;
    ssize_t ret;
    size_t i;
    int err;

    (void)fd;
    err = vhm_fail_check(op);
    if (err) {
        ret = -err;
    } else if (index == VHM_CONFIG_INDEX) {
        ret = config_rw(d, buf, count, pos, write);
    } else if (index < 6) {
        ret = bar_rw(d, index, buf, count, pos, write);
    } else {
        /* no ROM, no VGA, no device specific regions */
        ret = -EINVAL;
    }
    if (ret > 0 || write) {
        for (i = 0; i < count && i < 8; i++) {
            val |= (uint64_t)((uint8_t *)buf)[i] << (8 * i);
        }
    }
    vhm_log("DEV %s dev=%s region=%u off=0x%" PRIx64 " len=%zu "
            "val=0x%" PRIx64 " = %zd%s%s", op, d->bdf, index, pos, count,
            val, ret < 0 ? (ssize_t)-1 : ret, ret < 0 ? " " : "",
            ret < 0 ? vhm_errno_name((int)-ret) : "");
    return ret;
}

/* ioctls */

static bool reset_works(VhmDev *d)
{
    (void)d;
    /* FLR, PM or a secondary bus reset always works in the model */
    return true;
}

static long do_get_info(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_device_info info;
    size_t minsz = offsetof(struct vfio_device_info, cap_offset);

    memcpy(&info, arg, minsz);
    vhm_buf_printf(lb, "argsz=%u", info.argsz);
    if (info.argsz < minsz) {
        return -EINVAL;
    }
    info.flags = VFIO_DEVICE_FLAGS_PCI |
                 (reset_works(d) ? VFIO_DEVICE_FLAGS_RESET : 0);
    info.num_regions = VHM_NUM_REGIONS;
    info.num_irqs = VHM_NUM_IRQS;
    memcpy(arg, &info, minsz);
    vhm_buf_printf(lb, " -> flags=0x%x regions=%u irqs=%u", info.flags,
                   info.num_regions, info.num_irqs);
    return 0;
}

static long do_region_info(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_region_info info;

    memcpy(&info, arg, sizeof(info));
    vhm_buf_printf(lb, "argsz=%u index=%u", info.argsz, info.index);
    if (info.argsz < sizeof(info)) {
        return -EINVAL;
    }
    info.offset = (uint64_t)info.index << VHM_REGION_SHIFT;
    info.cap_offset = 0;
    switch (info.index) {
    case VFIO_PCI_CONFIG_REGION_INDEX:
        info.size = VHM_CFG_SIZE;
        info.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
        break;
    case VFIO_PCI_BAR0_REGION_INDEX ... VFIO_PCI_BAR5_REGION_INDEX:
        info.size = d->bar_size[info.index];
        info.flags = info.size ? (VFIO_REGION_INFO_FLAG_READ |
                                  VFIO_REGION_INFO_FLAG_WRITE) : 0;
        break;
    case VFIO_PCI_ROM_REGION_INDEX:
        info.size = 0;
        info.flags = 0;
        break;
    default:
        /* VGA: !vdev->has_vga; no device specific regions */
        return -EINVAL;
    }
    memcpy(arg, &info, sizeof(info));
    vhm_buf_printf(lb, " -> size=0x%llx offset=0x%llx flags=0x%x",
                   (unsigned long long)info.size,
                   (unsigned long long)info.offset, info.flags);
    return 0;
}

/* devices affected by a bus reset of d: same domain and bus */
static int hot_reset_devs(VhmDev *d, VhmDev **out, int max)
{
    int i, n = 0;

    for (i = 0; i < vhm.ndevs; i++) {
        VhmDev *o = &vhm.devs[i];

        if (o->domain == d->domain && o->bus == d->bus) {
            if (n < max) {
                out[n] = o;
            }
            n++;
        }
    }
    return n;
}

static long do_hot_reset_info(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_pci_hot_reset_info hdr;
    struct vfio_pci_dependent_device *devs;
    VhmDev *aff[VHM_MAX_DEVS];
    size_t minsz = sizeof(hdr);
    int n, i;

    memcpy(&hdr, arg, minsz);
    vhm_buf_printf(lb, "argsz=%u", hdr.argsz);
    if (hdr.argsz < minsz) {
        return -EINVAL;
    }
    hdr.flags = 0;
    n = hot_reset_devs(d, aff, VHM_MAX_DEVS);
    if (hdr.argsz < minsz + n * sizeof(*devs)) {
        hdr.count = n;
        memcpy(arg, &hdr, minsz);
        vhm_buf_printf(lb, " -> count=%d", n);
        return -ENOSPC;
    }
    hdr.count = n;
    memcpy(arg, &hdr, minsz);
    devs = (struct vfio_pci_dependent_device *)((char *)arg + minsz);
    for (i = 0; i < n; i++) {
        devs[i].group_id = aff[i]->group_id;
        devs[i].segment = aff[i]->domain;
        devs[i].bus = aff[i]->bus;
        devs[i].devfn = aff[i]->devfn;
    }
    vhm_buf_printf(lb, " -> count=%d", n);
    return 0;
}

static long do_hot_reset(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_pci_hot_reset hdr;
    const int32_t *fds;
    VhmDev *aff[VHM_MAX_DEVS];
    VhmGroup *groups[VHM_MAX_DEVS];
    int n, i, j;

    memcpy(&hdr, arg, sizeof(hdr));
    vhm_buf_printf(lb, "argsz=%u flags=0x%x count=%u", hdr.argsz,
                   hdr.flags, hdr.count);
    if (hdr.argsz < sizeof(hdr) || hdr.flags) {
        return -EINVAL;
    }
    /* a zero-length array is only for cdev opened devices */
    if (!hdr.count) {
        return -EINVAL;
    }
    n = hot_reset_devs(d, aff, VHM_MAX_DEVS);
    if (hdr.count > (uint32_t)n ||
        hdr.argsz - sizeof(hdr) < hdr.count * sizeof(int32_t)) {
        return -EINVAL;
    }
    fds = (const int32_t *)((const char *)arg + sizeof(hdr));
    vhm_buf_printf(lb, " fds=");
    for (i = 0; i < (int)hdr.count; i++) {
        vhm_buf_printf(lb, "%s%d", i ? "," : "", fds[i]);
        if (vhm_fd_kind(fds[i]) != VHM_FD_GROUP) {
            return fcntl(fds[i], F_GETFD) < 0 ? -EBADF : -EINVAL;
        }
        groups[i] = vhm_fd_obj(fds[i]);
    }
    /* every affected device must be owned by one of the groups */
    for (i = 0; i < n; i++) {
        for (j = 0; j < (int)hdr.count; j++) {
            if (groups[j] == aff[i]->group) {
                break;
            }
        }
        if (j == (int)hdr.count) {
            return -EINVAL;
        }
    }
    for (i = 0; i < n; i++) {
        vhm_dev_hw_reset(aff[i], false);
    }
    return 0;
}

static long do_feature(VhmDev *d, void *arg, VhmBuf *lb)
{
    struct vfio_device_feature f;
    const uint32_t known = VFIO_DEVICE_FEATURE_MASK |
        VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
        VFIO_DEVICE_FEATURE_PROBE;

    memcpy(&f, arg, sizeof(f));
    vhm_buf_printf(lb, "argsz=%u flags=0x%x", f.argsz, f.flags);
    if (f.argsz < sizeof(f) || (f.flags & ~known)) {
        return -EINVAL;
    }
    if (!(f.flags & VFIO_DEVICE_FEATURE_PROBE) &&
        (f.flags & VFIO_DEVICE_FEATURE_SET) &&
        (f.flags & VFIO_DEVICE_FEATURE_GET)) {
        return -EINVAL;
    }
    if ((f.flags & VFIO_DEVICE_FEATURE_MASK) ==
        VFIO_DEVICE_FEATURE_EEH_ERROR) {
        /* proposed, off unless option eeh_error_feature=1 */
        return vhm_diag_feature(d, arg, f.argsz, f.flags, lb);
    }
    /* no migration driver, no low power, not an SR-IOV PF */
    return -ENOTTY;
}

static const char *dev_ioctl_name(unsigned long req)
{
    switch (req) {
    case VFIO_DEVICE_GET_INFO:
        return "VFIO_DEVICE_GET_INFO";
    case VFIO_DEVICE_GET_REGION_INFO:
        return "VFIO_DEVICE_GET_REGION_INFO";
    case VFIO_DEVICE_GET_IRQ_INFO:
        return "VFIO_DEVICE_GET_IRQ_INFO";
    case VFIO_DEVICE_SET_IRQS:
        return "VFIO_DEVICE_SET_IRQS";
    case VFIO_DEVICE_RESET:
        return "VFIO_DEVICE_RESET";
    case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
        return "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO";
    case VFIO_DEVICE_PCI_HOT_RESET:
        return "VFIO_DEVICE_PCI_HOT_RESET";
    case VFIO_DEVICE_FEATURE:
        return "VFIO_DEVICE_FEATURE";
    default:
        return "UNKNOWN";
    }
}

long vhm_dev_ioctl(int fd, VhmDev *d, unsigned long req, void *arg)
{
    const char *name = dev_ioctl_name(req);
    VhmBuf lb = { .len = 0 };
    long ret;
    int err;

    lb.s[0] = '\0';
    err = vhm_fail_check(name);
    if (err) {
        vhm_log_ioctl("dev", fd, name, "injected", -err);
        return -err;
    }
    switch (req) {
    case VFIO_DEVICE_GET_INFO:
        ret = do_get_info(d, arg, &lb);
        break;
    case VFIO_DEVICE_GET_REGION_INFO:
        ret = do_region_info(d, arg, &lb);
        break;
    case VFIO_DEVICE_GET_IRQ_INFO:
        ret = vhm_irq_info(d, arg, &lb);
        break;
    case VFIO_DEVICE_SET_IRQS:
        ret = vhm_irq_set(d, arg, &lb);
        break;
    case VFIO_DEVICE_RESET:
        if (!reset_works(d)) {
            ret = -EINVAL;
        } else {
            vhm_dev_hw_reset(d, false);
            ret = 0;
        }
        break;
    case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
        ret = do_hot_reset_info(d, arg, &lb);
        break;
    case VFIO_DEVICE_PCI_HOT_RESET:
        ret = do_hot_reset(d, arg, &lb);
        break;
    case VFIO_DEVICE_FEATURE:
        ret = do_feature(d, arg, &lb);
        break;
    default:
        vhm_buf_printf(&lb, "cmd=0x%lx", req);
        ret = -ENOTTY;
        break;
    }
    vhm_buf_printf(&lb, "%sdev=%s", lb.len ? " " : "", d->bdf);
    vhm_log_ioctl("dev", fd, name, lb.s, ret);
    return ret;
}

void vhm_dev_close(VhmDev *d)
{
    VhmGroup *g = d->group;

    if (d->open_count > 0 && --d->open_count == 0) {
        /* vfio_pci_core_disable(): irqs off, reset, EEH release */
        vhm_irq_teardown(d);
        vhm_dev_hw_reset(d, false);
        vhm_pe_owner_change(g);
    }
    vhm_group_put(g);
}
