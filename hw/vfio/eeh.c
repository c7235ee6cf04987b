/*
 * VFIO: the AER registers of a passed-through device, for EEH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/pci/pcie_regs.h"
#include "hw/vfio/vfio-eeh.h"
#include "pci.h"
#include "trace.h"

/* The AER registers read here end with the TLP header log */
#define AER_READ_END            (PCI_ERR_HEADER_LOG + 16)

/*
 * Read a dword of the host's config space, never the emulated one: the
 * host's AER registers are what the error left behind.  A stopped PE
 * reads as all-ones, or fails.
 */
static bool vfio_eeh_config_read(VFIOPCIDevice *vdev, uint32_t off,
                                 uint32_t *val)
{
    uint32_t le;

    if (pread(vdev->vbasedev.fd, &le, 4, vdev->config_offset + off) != 4) {
        return false;
    }
    *val = le32_to_cpu(le);
    return true;
}

/* Offset of the AER capability, 0 if there is none; -1 if unreadable */
static int vfio_eeh_find_aer(VFIOPCIDevice *vdev)
{
    uint32_t off = PCI_CONFIG_SPACE_SIZE, hdr;
    int i;

    if (vdev->config_size <= PCI_CONFIG_SPACE_SIZE) {
        return 0;
    }
    /* At most one capability per dword: a bounded walk of any ring */
    for (i = 0; i < (PCIE_CONFIG_SPACE_SIZE - PCI_CONFIG_SPACE_SIZE) / 4;
         i++) {
        if (!vfio_eeh_config_read(vdev, off, &hdr) || hdr == 0xffffffff) {
            return -1;
        }
        if (PCI_EXT_CAP_ID(hdr) == PCI_EXT_CAP_ID_ERR) {
            return off + AER_READ_END <= PCIE_CONFIG_SPACE_SIZE ? off : 0;
        }
        off = PCI_EXT_CAP_NEXT(hdr);
        if (off < PCI_CONFIG_SPACE_SIZE || off > PCIE_CONFIG_SPACE_SIZE - 4) {
            return 0;
        }
    }
    return 0;
}

void vfio_pci_eeh_read_aer(PCIDevice *pdev, VFIOEehAer *aer)
{
    VFIOPCIDevice *vdev = OBJECT_CHECK(VFIOPCIDevice, pdev, TYPE_VFIO_PCI);
    int off = vfio_eeh_find_aer(vdev);
    int i;

    memset(aer, 0, sizeof(*aer));
    if (off <= 0) {
        aer->state = off ? VFIO_EEH_AER_UNREADABLE : VFIO_EEH_AER_ABSENT;
        goto out;
    }
    aer->state = VFIO_EEH_AER_UNREADABLE;
    if (!vfio_eeh_config_read(vdev, off + PCI_ERR_UNCOR_STATUS,
                              &aer->ue_status) ||
        !vfio_eeh_config_read(vdev, off + PCI_ERR_UNCOR_SEVER,
                              &aer->ue_severity) ||
        !vfio_eeh_config_read(vdev, off + PCI_ERR_COR_STATUS,
                              &aer->ce_status)) {
        goto out;
    }
    /* Status registers of a blocked device read as all-ones */
    if (aer->ue_status == 0xffffffff || aer->ce_status == 0xffffffff) {
        goto out;
    }
    for (i = 0; i < ARRAY_SIZE(aer->header); i++) {
        /* A header log word may legitimately be all-ones */
        if (!vfio_eeh_config_read(vdev, off + PCI_ERR_HEADER_LOG + 4 * i,
                                  &aer->header[i])) {
            goto out;
        }
    }
    aer->state = VFIO_EEH_AER_VALID;
out:
    trace_vfio_eeh_aer(vdev->vbasedev.name, off, aer->state, aer->ue_status,
                       aer->ce_status);
}
