/*
 * VFIO host model: the extended capabilities and AER
 *
 * The modelled endpoint has AER v2 at the offset its aer= key gives:
 * 0x100 (the first extended capability, the default), anywhere else
 * dword-aligned up to VHM_AER_MAX behind a small Vendor-Specific
 * Extended Capability at 0x100 that points to it, or nowhere (aer=none:
 * no extended capabilities, the dword at 0x100 reads 0).  Everything
 * else in extended config space reads 0 and ignores writes.
 *
 * vfio-pci virtualizes each extended capability header
 * (vfio_direct_config_read()) and passes the rest through; the AER
 * registers follow the kernel's write masks.  Status, masks, severity,
 * capabilities/control and the header log are sticky: FLR and hot reset
 * keep them, a fundamental reset (PERST#) restores the defaults.
 *
 * Copyright (c) 2026 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <string.h>
#include <linux/pci_regs.h>

#include "vhm.h"

#define UE_MASK         0x03fff030u
#define CE_MASK         0x0000f1c1u
#define UE_SEV_DEFAULT  0x00462030u
#define CE_MASK_DEFAULT 0x00002000u
#define CAP_DEFAULT     (PCI_ERR_CAP_ECRC_GENC | PCI_ERR_CAP_ECRC_CHKC)

/* the sticky block: UE status up to the end of the header log */
#define STICKY_START    PCI_ERR_UNCOR_STATUS

static uint32_t get(VhmDev *d, int off, int len)
{
    return vhm_ld(&d->cfg[off], len);
}

static void set(VhmDev *d, int off, int len, uint32_t val)
{
    vhm_st(&d->cfg[off], len, val);
}

/* VHM_ECAP_BASE: VSEC v1 whose next pointer is the AER capability */
static void vsec_build(VhmDev *d, int next)
{
    const int p = VHM_ECAP_BASE;

    set(d, p, 4, PCI_EXT_CAP_ID_VNDR | 1 << 16 | (uint32_t)next << 20);
    memset(&d->virt[p], 1, 4);
    /*
     * VSEC ID, revision 1, length: just the two headers.  With AER at
     * 0x104 there is no room; that dword is then AER's own header.
     */
    if (next - p >= VHM_VSEC_LEN) {
        set(d, p + PCI_VSEC_HDR, 4, VHM_VSEC_ID | 1 << 16 |
            (uint32_t)VHM_VSEC_LEN << PCI_VSEC_HDR_LEN_SHIFT);
    }
}

/* The extended capabilities, into a cleared config space */
void vhm_ecap_build(VhmDev *d)
{
    const int aer = d->aer;

    if (!aer) {
        return;
    }
    if (aer != VHM_ECAP_BASE) {
        vsec_build(d, aer);
    }
    /* AER v2, end of the list */
    set(d, aer, 4, PCI_EXT_CAP_ID_ERR | 2 << 16);
    memset(&d->virt[aer], 1, 4);
    vhm_st(&d->w1c[aer + PCI_ERR_UNCOR_STATUS], 4, UE_MASK);
    vhm_st(&d->wmask[aer + PCI_ERR_UNCOR_MASK], 4, UE_MASK);
    set(d, aer + PCI_ERR_UNCOR_SEVER, 4, UE_SEV_DEFAULT);
    vhm_st(&d->wmask[aer + PCI_ERR_UNCOR_SEVER], 4, UE_MASK);
    vhm_st(&d->w1c[aer + PCI_ERR_COR_STATUS], 4, CE_MASK);
    set(d, aer + PCI_ERR_COR_MASK, 4, CE_MASK_DEFAULT);
    vhm_st(&d->wmask[aer + PCI_ERR_COR_MASK], 4, CE_MASK);
    set(d, aer + PCI_ERR_CAP, 4, CAP_DEFAULT);
    vhm_st(&d->wmask[aer + PCI_ERR_CAP], 4,
           PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE);
}

/* Copy the sticky registers out (VHM_AER_STICKY_LEN bytes) */
void vhm_aer_save(VhmDev *d, uint8_t *sticky)
{
    if (d->aer) {
        memcpy(sticky, &d->cfg[d->aer + STICKY_START], VHM_AER_STICKY_LEN);
    } else {
        memset(sticky, 0, VHM_AER_STICKY_LEN);
    }
}

void vhm_aer_restore(VhmDev *d, const uint8_t *sticky)
{
    if (d->aer) {
        memcpy(&d->cfg[d->aer + STICKY_START], sticky, VHM_AER_STICKY_LEN);
    }
}

/* PERST#: the sticky registers go back to their defaults */
void vhm_aer_reset(VhmDev *d)
{
    const int aer = d->aer;

    if (!aer) {
        return;
    }
    memset(&d->cfg[aer + STICKY_START], 0, VHM_AER_STICKY_LEN);
    set(d, aer + PCI_ERR_UNCOR_SEVER, 4, UE_SEV_DEFAULT);
    set(d, aer + PCI_ERR_COR_MASK, 4, CE_MASK_DEFAULT);
    set(d, aer + PCI_ERR_CAP, 4, CAP_DEFAULT);
}

/*
 * freeze ... aer=/hdr=: the device logs the errors.  DEVSTA follows the
 * severity; without AER only DEVSTA records them (default severities).
 */
void vhm_aer_inject(VhmDev *d, uint32_t ue, uint32_t ce, const uint32_t *hdr)
{
    const int aer = d->aer;
    uint32_t v, sev = UE_SEV_DEFAULT, devsta;
    int i;

    devsta = get(d, VHM_CAP_EXP + PCI_EXP_DEVSTA, 2);
    if (ue) {
        if (aer) {
            v = get(d, aer + PCI_ERR_UNCOR_STATUS, 4);
            set(d, aer + PCI_ERR_UNCOR_STATUS, 4, v | ue);
            /* first error pointer: lowest reported bit */
            v = get(d, aer + PCI_ERR_CAP, 4) & ~0x1fu;
            set(d, aer + PCI_ERR_CAP, 4, v | (__builtin_ctz(ue) & 0x1f));
            sev = get(d, aer + PCI_ERR_UNCOR_SEVER, 4);
        }
        devsta |= (ue & sev) ? PCI_EXP_DEVSTA_FED : 0;
        devsta |= (ue & ~sev) ? PCI_EXP_DEVSTA_NFED : 0;
    }
    if (ce) {
        if (aer) {
            v = get(d, aer + PCI_ERR_COR_STATUS, 4);
            set(d, aer + PCI_ERR_COR_STATUS, 4, v | ce);
        }
        devsta |= PCI_EXP_DEVSTA_CED;
    }
    set(d, VHM_CAP_EXP + PCI_EXP_DEVSTA, 2, devsta);
    if (hdr && aer) {
        for (i = 0; i < 4; i++) {
            set(d, aer + PCI_ERR_HEADER_LOG + 4 * i, 4, hdr[i]);
        }
    }
}
