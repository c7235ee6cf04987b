/*
 * VFIO: host EEH error data of a passed-through PCI device
 *
 * What the host knows about an EEH error of a device's partitionable
 * endpoint (PE), in a platform-neutral form: the host's own error data
 * when the kernel offers it (see vfio-eeh-uapi.h), and the device's AER
 * registers read through the VFIO config region.  The platform code that
 * turns this into a guest-visible log (sPAPR) lives elsewhere.
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFIO_VFIO_EEH_H
#define HW_VFIO_VFIO_EEH_H

#include "hw/pci/pci_device.h"

/* Largest host error data QEMU takes from the kernel (PHB4: 8576 bytes) */
#define VFIO_EEH_HOST_DATA_MAX      16384

typedef enum VFIOEehHostLog {
    VFIO_EEH_HOST_LOG_UNSUPPORTED,  /* the kernel has no such interface */
    VFIO_EEH_HOST_LOG_EMPTY,        /* it has, but holds no error */
    VFIO_EEH_HOST_LOG_FAILED,       /* it has, but the read failed */
    VFIO_EEH_HOST_LOG_VALID,
} VFIOEehHostLog;

typedef enum VFIOEehAer {
    VFIO_EEH_AER_ABSENT,            /* no AER capability */
    VFIO_EEH_AER_UNREADABLE,        /* config space blocked (PE stopped) */
    VFIO_EEH_AER_VALID,
} VFIOEehAer;

typedef struct VFIOEehHostError {
    VFIOEehHostLog host_log;
    int host_errno;                 /* for VFIO_EEH_HOST_LOG_FAILED */
    uint32_t format;                /* VFIO_EEH_ERROR_FORMAT_* */
    uint32_t pe_number;
    uint32_t host_freeze_count;
    uint64_t timestamp_ns;
    uint8_t *data;                  /* g_malloc'ed, data_len bytes */
    size_t data_len;
    size_t data_orig_len;           /* what the host held, >= data_len */
    bool mmio_fault;                /* mmio_guest_addr is valid */
    uint64_t mmio_guest_addr;       /* guest PCI address in a mapped BAR */

    VFIOEehAer aer;
    uint32_t aer_ue_status;
    uint32_t aer_ue_mask;
    uint32_t aer_ue_severity;
    uint32_t aer_ce_status;
    uint32_t aer_header[4];
} VFIOEehHostError;

/*
 * vfio_pci_eeh_read_host_log: fetch the host's error data of @pdev's PE.
 * vfio_pci_eeh_read_aer: read @pdev's AER registers from the host; never
 * changes the PE state, so on a stopped PE it reports them unreadable.
 * Both fill only their own part of @err.  @pdev must be a vfio-pci device.
 */
void vfio_pci_eeh_read_host_log(PCIDevice *pdev, VFIOEehHostError *err);
void vfio_pci_eeh_read_aer(PCIDevice *pdev, VFIOEehHostError *err);
void vfio_eeh_host_error_clear(VFIOEehHostError *err);

/*
 * vfio_pci_eeh_host_rid: @pdev's requester id on the host (bus << 8 |
 * devfn), as host error data names it; false when QEMU does not know it.
 */
bool vfio_pci_eeh_host_rid(PCIDevice *pdev, uint16_t *rid);

#endif /* HW_VFIO_VFIO_EEH_H */
