/*
 * VFIO: the host's EEH error data of a passed-through device's PE
 *
 * What the host kernel captured when it found the device's partitionable
 * endpoint (PE) frozen, through a proposed VFIO device feature
 * (hw/vfio/vfio-eeh-uapi.h): OPAL PHB diag data on a PowerNV host, an
 * RTAS error log on a pseries host.  No Linux kernel has the feature yet;
 * nothing asks for it unless the platform code is told to.  Nothing here
 * needs Linux headers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFIO_VFIO_EEH_ERROR_H
#define HW_VFIO_VFIO_EEH_ERROR_H

#include "hw/pci/pci_device.h"

/* Largest host error data QEMU takes from the kernel (PHB4: 8576 bytes) */
#define VFIO_EEH_HOST_DATA_MAX      16384

typedef enum VFIOEehHostDataState {
    VFIO_EEH_HOST_DATA_UNSUPPORTED, /* the kernel has no such interface */
    VFIO_EEH_HOST_DATA_EMPTY,       /* it has, but holds no error */
    VFIO_EEH_HOST_DATA_FAILED,      /* it has, but the read failed */
    VFIO_EEH_HOST_DATA_VALID,
} VFIOEehHostDataState;

typedef enum VFIOEehHostDataFormat {
    VFIO_EEH_HOST_DATA_NONE,
    VFIO_EEH_HOST_DATA_OPAL_PHB3,   /* OPAL OpalIoPhb3ErrorData */
    VFIO_EEH_HOST_DATA_OPAL_PHB4,   /* OPAL OpalIoPhb4ErrorData (PHB4/5) */
    VFIO_EEH_HOST_DATA_PAPR_RTAS,   /* RTAS v6 error log of a pseries host */
} VFIOEehHostDataFormat;

typedef struct VFIOEehHostData {
    VFIOEehHostDataState state;
    int error;                      /* errno, for VFIO_EEH_HOST_DATA_FAILED */
    VFIOEehHostDataFormat format;
    uint32_t pe_number;             /* the host's PE number */
    uint8_t *data;                  /* g_malloc'ed, len bytes */
    size_t len;
    size_t orig_len;                /* what the host held, >= len */
    bool truncated;                 /* the host, or QEMU, cut the data */
    bool mmio_fault;                /* mmio_guest_addr is valid */
    uint64_t mmio_guest_addr;       /* guest PCI address in a mapped BAR */
} VFIOEehHostData;

/*
 * vfio_pci_eeh_read_host_data: the error data the host holds for the PE
 * of @pdev, a vfio-pci device.  Host data is not trusted beyond the
 * buffer QEMU gave: at most VFIO_EEH_HOST_DATA_MAX bytes, and a faulting
 * MMIO address only when it falls inside a BAR the guest mapped,
 * translated to the guest's view.
 */
void vfio_pci_eeh_read_host_data(PCIDevice *pdev, VFIOEehHostData *hd);
void vfio_eeh_host_data_clear(VFIOEehHostData *hd);

/*
 * vfio_pci_eeh_host_rid: @pdev's requester id on the host (bus << 8 |
 * devfn), as host error data names it; false when QEMU does not know it.
 */
bool vfio_pci_eeh_host_rid(PCIDevice *pdev, uint16_t *rid);

#endif /* HW_VFIO_VFIO_EEH_ERROR_H */
