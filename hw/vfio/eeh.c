/*
 * VFIO: host EEH error data of a passed-through PCI device
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "hw/pci/pcie_regs.h"
#include "hw/vfio/vfio-eeh.h"
#include "hw/vfio/vfio-eeh-uapi.h"
#include "pci.h"
#include "trace.h"

void vfio_eeh_host_error_clear(VFIOEehHostError *err)
{
    g_free(err->data);
    memset(err, 0, sizeof(*err));
}

void vfio_pci_eeh_read_host_log(PCIDevice *pdev, VFIOEehHostError *err)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    VFIODevice *vbasedev = &vdev->vbasedev;
    struct vfio_device_feature probe = {
        .argsz = sizeof(probe),
        .flags = VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
                 VFIO_DEVICE_FEATURE_EEH_ERROR,
    };
    const size_t hdr = sizeof(struct vfio_device_feature) +
                       sizeof(struct vfio_device_feature_eeh_error);
    g_autofree struct vfio_device_feature *feature = NULL;
    struct vfio_device_feature_eeh_error *info;
    uint64_t bar_size;

    g_free(err->data);
    err->data = NULL;
    err->data_len = err->data_orig_len = 0;
    err->mmio_fault = false;

    if (ioctl(vbasedev->fd, VFIO_DEVICE_FEATURE, &probe)) {
        err->host_log = VFIO_EEH_HOST_LOG_UNSUPPORTED;
        trace_vfio_eeh_host_log(vbasedev->name, "unsupported", -errno, 0, 0);
        return;
    }

    feature = g_malloc0(hdr + VFIO_EEH_HOST_DATA_MAX);
    feature->argsz = hdr + VFIO_EEH_HOST_DATA_MAX;
    feature->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_EEH_ERROR;
    if (ioctl(vbasedev->fd, VFIO_DEVICE_FEATURE, feature)) {
        err->host_errno = errno;
        err->host_log = errno == ENOMSG ? VFIO_EEH_HOST_LOG_EMPTY :
                                          VFIO_EEH_HOST_LOG_FAILED;
        trace_vfio_eeh_host_log(vbasedev->name,
                                errno == ENOMSG ? "empty" : "failed",
                                -err->host_errno, 0, 0);
        return;
    }

    /* The host's answer is trusted no further than the buffer we gave */
    info = (struct vfio_device_feature_eeh_error *)feature->data;
    err->host_log = VFIO_EEH_HOST_LOG_VALID;
    err->format = info->format;
    err->pe_number = info->pe_number;
    err->host_freeze_count = info->freeze_count;
    err->timestamp_ns = info->timestamp_ns;
    err->data_orig_len = info->data_len;
    err->data_len = MIN(info->data_len, VFIO_EEH_HOST_DATA_MAX);
    if (err->data_len) {
        err->data = g_memdup2(info->data, err->data_len);
    }

    if ((info->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT) &&
        info->fault_region < PCI_ROM_SLOT) {
        bar_size = pdev->io_regions[info->fault_region].size;
        if (info->fault_offset < bar_size &&
            pci_get_bar_addr(pdev, info->fault_region) != PCI_BAR_UNMAPPED) {
            err->mmio_fault = true;
            err->mmio_guest_addr = pci_get_bar_addr(pdev, info->fault_region) +
                                   info->fault_offset;
        }
    }
    trace_vfio_eeh_host_log(vbasedev->name, "valid", 0, err->format,
                            err->data_orig_len);
}

static bool vfio_eeh_config_read(VFIOPCIDevice *vdev, uint32_t off,
                                 uint32_t *val)
{
    uint32_t le;

    if (pread(vdev->vbasedev.fd, &le, 4, vdev->config_offset + off) != 4) {
        return false;
    }
    *val = le32_to_cpu(le);
    return *val != 0xffffffff;
}

void vfio_pci_eeh_read_aer(PCIDevice *pdev, VFIOEehHostError *err)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    uint32_t off = PCI_CONFIG_SPACE_SIZE, hdr = 0;
    uint32_t ue_mask, ue_sev, ce;
    int i;

    err->aer = VFIO_EEH_AER_ABSENT;
    if (vdev->config_size <= PCI_CONFIG_SPACE_SIZE) {
        goto out;
    }
    /* Walk the host's extended capabilities; a bounded walk of a ring */
    for (i = 0; i < PCIE_CONFIG_SPACE_SIZE / 4; i++) {
        if (!vfio_eeh_config_read(vdev, off, &hdr)) {
            err->aer = VFIO_EEH_AER_UNREADABLE;
            goto out;
        }
        if (PCI_EXT_CAP_ID(hdr) == PCI_EXT_CAP_ID_ERR) {
            break;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
        if (off < PCI_CONFIG_SPACE_SIZE || off > PCIE_CONFIG_SPACE_SIZE -
                                                 PCI_ERR_SIZEOF) {
            goto out;
        }
    }
    if (PCI_EXT_CAP_ID(hdr) != PCI_EXT_CAP_ID_ERR ||
        off > PCIE_CONFIG_SPACE_SIZE - PCI_ERR_SIZEOF) {
        goto out;
    }

    if (!vfio_eeh_config_read(vdev, off + PCI_ERR_UNCOR_STATUS,
                              &err->aer_ue_status) ||
        !vfio_eeh_config_read(vdev, off + PCI_ERR_UNCOR_MASK, &ue_mask) ||
        !vfio_eeh_config_read(vdev, off + PCI_ERR_UNCOR_SEVER, &ue_sev) ||
        !vfio_eeh_config_read(vdev, off + PCI_ERR_COR_STATUS, &ce)) {
        err->aer = VFIO_EEH_AER_UNREADABLE;
        goto out;
    }
    err->aer_ue_mask = ue_mask;
    err->aer_ue_severity = ue_sev;
    err->aer_ce_status = ce;
    for (i = 0; i < 4; i++) {
        off_t pos = vdev->config_offset + off + PCI_ERR_HEADER_LOG + 4 * i;

        /* A header log word may legitimately be all-ones */
        if (pread(vdev->vbasedev.fd, &err->aer_header[i], 4, pos) != 4) {
            err->aer = VFIO_EEH_AER_UNREADABLE;
            goto out;
        }
        err->aer_header[i] = le32_to_cpu(err->aer_header[i]);
    }
    err->aer = VFIO_EEH_AER_VALID;
out:
    trace_vfio_eeh_aer(vdev->vbasedev.name, err->aer, err->aer_ue_status,
                       err->aer_ce_status);
}

bool vfio_pci_eeh_host_rid(PCIDevice *pdev, uint16_t *rid)
{
    VFIOPCIDevice *vdev = VFIO_PCI(pdev);
    unsigned int domain, bus, slot, fn;
    char end;

    if (~vdev->host.bus && ~vdev->host.slot && ~vdev->host.function) {
        bus = vdev->host.bus;
        slot = vdev->host.slot;
        fn = vdev->host.function;
    } else if (sscanf(vdev->vbasedev.name, "%x:%x:%x.%x%c", &domain, &bus,
                      &slot, &fn, &end) != 4) {
        /* With sysfsdev=, the device name is the host address */
        return false;
    }
    if (bus > 0xff || slot > 0x1f || fn > 7) {
        return false;
    }
    *rid = PCI_BUILD_BDF(bus, PCI_DEVFN(slot, fn));
    return true;
}
