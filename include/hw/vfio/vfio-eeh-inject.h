/*
 * VFIO: what an EEH error injection needs to know about a host device
 *
 * A guest names the target of an error injection by its own addresses:
 * the PCI bus address of one of the device's BARs, the device's config
 * address.  The host kernel wants its own, which only sysfs tells.
 * Nothing here needs Linux headers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFIO_VFIO_EEH_INJECT_H
#define HW_VFIO_VFIO_EEH_INJECT_H

#include "hw/pci/pci_device.h"

/*
 * vfio_pci_eeh_host_bar: where BAR @bar of @pdev sits on the host: its
 * start address and size from the host's sysfs "resource" file.  Returns
 * false with @errp set when the host does not tell.
 */
bool vfio_pci_eeh_host_bar(PCIDevice *pdev, int bar, uint64_t *start,
                           uint64_t *size, Error **errp);

#endif /* HW_VFIO_VFIO_EEH_INJECT_H */
