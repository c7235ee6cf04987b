/*
 * VFIO: what the host tells about an EEH error of a passed-through device
 *
 * The device's AER registers, read through the VFIO config region, in a
 * platform-neutral form.  The platform code that turns them into a
 * guest-visible error log (sPAPR) lives elsewhere.  Nothing here needs
 * Linux headers: the platform code that uses it is built on every host.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFIO_VFIO_EEH_H
#define HW_VFIO_VFIO_EEH_H

#include "hw/pci/pci_device.h"

typedef enum VFIOEehAerState {
    VFIO_EEH_AER_ABSENT,            /* no AER capability */
    VFIO_EEH_AER_UNREADABLE,        /* config space blocked (PE stopped) */
    VFIO_EEH_AER_VALID,
} VFIOEehAerState;

typedef struct VFIOEehAer {
    VFIOEehAerState state;
    uint32_t ue_status;
    uint32_t ue_severity;
    uint32_t ce_status;
    uint32_t header[4];             /* TLP header log, DW0 to DW3 */
} VFIOEehAer;

/*
 * vfio_pci_eeh_read_aer: read the AER registers of @pdev, a vfio-pci
 * device, from the host.  It never changes the PE state, so on a stopped
 * PE it reports them unreadable.
 */
void vfio_pci_eeh_read_aer(PCIDevice *pdev, VFIOEehAer *aer);

#endif /* HW_VFIO_VFIO_EEH_H */
