/*
 * VFIO: the host's EEH error data of a passed-through device's PE
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "hw/vfio/vfio-eeh-error.h"
#include "pci.h"
#include "vfio-eeh-uapi.h"
#include "trace.h"

void vfio_eeh_host_data_clear(VFIOEehHostData *hd)
{
    g_free(hd->data);
    memset(hd, 0, sizeof(*hd));
}

static VFIOEehHostDataFormat host_format(uint32_t format)
{
    switch (format) {
    case VFIO_EEH_ERROR_FORMAT_OPAL_PHB3:
        return VFIO_EEH_HOST_DATA_OPAL_PHB3;
    case VFIO_EEH_ERROR_FORMAT_OPAL_PHB4:
        return VFIO_EEH_HOST_DATA_OPAL_PHB4;
    case VFIO_EEH_ERROR_FORMAT_PAPR_RTAS:
        return VFIO_EEH_HOST_DATA_PAPR_RTAS;
    default:
        return VFIO_EEH_HOST_DATA_NONE;
    }
}

void vfio_pci_eeh_read_host_data(PCIDevice *pdev, VFIOEehHostData *hd)
{
    VFIOPCIDevice *vdev = OBJECT_CHECK(VFIOPCIDevice, pdev, TYPE_VFIO_PCI);
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

    vfio_eeh_host_data_clear(hd);
    if (ioctl(vbasedev->fd, VFIO_DEVICE_FEATURE, &probe)) {
        hd->state = VFIO_EEH_HOST_DATA_UNSUPPORTED;
        hd->error = errno;
        trace_vfio_eeh_host_data(vbasedev->name, "unsupported", -hd->error,
                                 0, 0);
        return;
    }

    feature = g_malloc0(hdr + VFIO_EEH_HOST_DATA_MAX);
    feature->argsz = hdr + VFIO_EEH_HOST_DATA_MAX;
    feature->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_EEH_ERROR;
    if (ioctl(vbasedev->fd, VFIO_DEVICE_FEATURE, feature)) {
        hd->error = errno;
        hd->state = hd->error == ENOMSG ? VFIO_EEH_HOST_DATA_EMPTY :
                                          VFIO_EEH_HOST_DATA_FAILED;
        trace_vfio_eeh_host_data(vbasedev->name,
                                 hd->error == ENOMSG ? "empty" : "failed",
                                 -hd->error, 0, 0);
        return;
    }

    /* The host's answer is trusted no further than the buffer we gave */
    info = (struct vfio_device_feature_eeh_error *)feature->data;
    hd->state = VFIO_EEH_HOST_DATA_VALID;
    hd->format = host_format(info->format);
    hd->pe_number = info->pe_number;
    hd->orig_len = info->data_len;
    hd->len = MIN(info->data_len, VFIO_EEH_HOST_DATA_MAX);
    hd->truncated = (info->flags & VFIO_EEH_ERROR_FLAG_TRUNCATED) ||
                    hd->len < hd->orig_len;
    if (hd->len) {
        hd->data = g_memdup2(info->data, hd->len);
    }

    if ((info->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT) &&
        info->fault_region < PCI_ROM_SLOT) {
        bar_size = pdev->io_regions[info->fault_region].size;
        if (info->fault_offset < bar_size &&
            pci_get_bar_addr(pdev, info->fault_region) != PCI_BAR_UNMAPPED) {
            hd->mmio_fault = true;
            hd->mmio_guest_addr = pci_get_bar_addr(pdev, info->fault_region) +
                                  info->fault_offset;
        }
    }
    trace_vfio_eeh_host_data(vbasedev->name, "valid", 0, info->format,
                             hd->orig_len);
}

bool vfio_pci_eeh_host_rid(PCIDevice *pdev, uint16_t *rid)
{
    VFIOPCIDevice *vdev = OBJECT_CHECK(VFIOPCIDevice, pdev, TYPE_VFIO_PCI);
    unsigned int domain, bus, slot, fn;
    char end;

    if (~vdev->host.bus && ~vdev->host.slot && ~vdev->host.function) {
        bus = vdev->host.bus;
        slot = vdev->host.slot;
        fn = vdev->host.function;
    } else if (sscanf(vdev->vbasedev.name, "%x:%x:%x.%x%c", &domain, &bus,
                      &slot, &fn, &end) != 4) {
        /* With sysfsdev=, only a name that is the host address tells */
        return false;
    }
    if (bus > 0xff || slot > 0x1f || fn > 7) {
        return false;
    }
    *rid = PCI_BUILD_BDF(bus, PCI_DEVFN(slot, fn));
    return true;
}
