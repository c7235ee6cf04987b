/*
 * VFIO host model: the host's EEH error data (proposed interface)
 *
 * A host-side freeze can carry error data: what PowerNV's OPAL returns
 * from OPAL_PCI_GET_PHB_DIAG_DATA2 (OpalIoPhb4ErrorData, or
 * OpalIoPhb3ErrorData on POWER8), or the RTAS v6 log a pseries host gets
 * from ibm,slot-error-detail.  Like pnv_eeh_get_pe_state(), the first
 * GET_STATE that sees the frozen PE copies it into the PE (pe->data);
 * that snapshot stays until the PE is reset or changes owner.  The
 * proposed VFIO_DEVICE_FEATURE_EEH_ERROR (hw/vfio/vfio-eeh-uapi.h)
 * hands it to user space.  No kernel has it yet, so the feature is off
 * unless "option eeh_error_feature=1" is set.
 *
 * Layouts and bits follow skiboot's include/opal-api.h, phb4-regs.h and
 * phb3-regs.h as summarised in the project's host-eeh.md, sections 2.3,
 * 2.4 and 3.  Every field is big-endian.  Register values that the
 * public documents do not describe are plausible constants.
 *
 * Copyright (c) 2026 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vhm.h"
#include "vfio-eeh-uapi.h"

/* OpalIoPhbErrorCommon */
#define DIAG_VERSION            1
#define IOTYPE_PHB3             2
#define IOTYPE_PHB4             3

#define PHB3_SIZE               4392
#define PHB3_NUM_PES            256
#define PHB4_SIZE               8576
#define PHB4_NUM_PES            512
#define RTAS_MAX                2048    /* RTAS_ERROR_LOG_MAX */
#define DIAG_MAX                PHB4_SIZE

/* PEST entries (IODA2/IODA3, IBM bit numbers in the comments) */
#define PESTA_MMIO_FROZEN       (1ULL << 63)    /* b0 */
#define PESTA_MMIO_CAUSE        (1ULL << 61)    /* b2 */
#define PESTA_CFG_READ          (1ULL << 60)    /* b3 */
#define PESTA_TTYPE_SHIFT       56              /* b5-7 */
#define   TTYPE_DMA_WRITE       0
#define   TTYPE_DMA_READ        2
#define   TTYPE_MMIO_LOAD       4
#define   TTYPE_MMIO_STORE      5
#define   TTYPE_OTHER           7
#define PESTA_UR                (1ULL << 54)    /* b9 */
#define PESTA_PCIE_NONFATAL     (1ULL << 53)    /* b10 */
#define PESTA_PCIE_FATAL        (1ULL << 52)    /* b11 */
#define PESTA_PARITY_UE         (1ULL << 50)    /* b13 */
#define PESTA_TCE_PAGE_FAULT    (1ULL << 45)    /* b18 */
#define PESTA_TCE_ACCESS_FAULT  (1ULL << 44)    /* b19 */
#define PESTA_LEM_SHIFT         32              /* b26-31 */
#define PESTA_RID_SHIFT         16              /* b32-47 */
#define PESTB_DMA_STOPPED       (1ULL << 63)    /* b0 */
#define PESTB_FAIL_ADDR_MASK    0x1fffffffffffffffULL

/* Made-up host MMIO addresses of the device's BARs */
#define HOST_MMIO_BASE          0x0006000000000000ULL
#define HOST_MMIO_NO_BAR        0xffULL

#define DEFAULT_IOVA            0x7fff0000ULL
#define UE_SEV_DEFAULT          0x00462030u

/* Root port of the PHB (bdfn 0), as OPAL reads it: CTL | STA << 16 */
typedef struct RootPort {
    uint32_t brdg_ctl;
    uint32_t dev_sta;
    uint32_t slot_sta;
    uint32_t link_sta;
    uint32_t cmd_sta;
    uint32_t sec_sta;
    uint32_t root_err;
    uint32_t ue;
    uint32_t ce;
    uint32_t hdr[4];
    uint32_t src_id;
} RootPort;

/* Byte offsets shared by both OPAL layouts */
typedef struct PhbLayout {
    uint32_t io_type;
    uint32_t size;
    uint32_t num_pes;
    size_t brdg_ctl, dev_sta, slot_sta, link_sta, cmd_sta, sec_sta;
    size_t root_err, ue, ce, tlp_hdr, src_id;
    size_t nfir;        /* nFir, nFirMask, nFirWOF */
    size_t plssr, csr;
    size_t lem;         /* lemFir, lemErrorMask, lemWOF */
    size_t phb_err;     /* phbErrorStatus, First, Log0, Log1 */
    size_t pest_a, pest_b;
} PhbLayout;

static const PhbLayout phb4_layout = {
    .io_type = IOTYPE_PHB4, .size = PHB4_SIZE, .num_pes = PHB4_NUM_PES,
    .brdg_ctl = 12, .dev_sta = 16, .slot_sta = 20, .link_sta = 24,
    .cmd_sta = 28, .sec_sta = 32, .root_err = 36, .ue = 40, .ce = 44,
    .tlp_hdr = 48, .src_id = 64, .nfir = 72, .plssr = 96, .csr = 104,
    .lem = 112, .phb_err = 136, .pest_a = 384, .pest_b = 4480,
};

static const PhbLayout phb3_layout = {
    .io_type = IOTYPE_PHB3, .size = PHB3_SIZE, .num_pes = PHB3_NUM_PES,
    .brdg_ctl = 12, .dev_sta = 28, .slot_sta = 32, .link_sta = 36,
    .cmd_sta = 40, .sec_sta = 44, .root_err = 48, .ue = 52, .ce = 56,
    .tlp_hdr = 60, .src_id = 76, .nfir = 104, .plssr = 128, .csr = 136,
    .lem = 144, .phb_err = 168, .pest_a = 296, .pest_b = 2344,
};

/* PHB4 ETU register groups (status, first, log0, log1) */
#define P4_TXE                  168     /* outbound: MMIO, config */
#define P4_RXE_ARB              200
#define P4_RXE_MRG              232
#define P4_RXE_TCE              264     /* inbound IOMMU */
#define P4_PBL                  296
#define P4_DLP_LOG1             328
#define P4_DLP_LOG2             336
#define P4_DLP_STATUS           344
#define P4_REGB                 352

/* PHB3 */
#define P3_PORT_STATUS          16
#define P3_RC_STATUS            20
#define P3_BUS_AGENT_STATUS     24      /* UTL */
#define P3_MMIO_ERR             200     /* outbound */
#define P3_DMA0_ERR             232     /* inbound A */
#define P3_DMA1_ERR             264     /* inbound B */

/* RTAS v6 */
#define RTAS_VERSION_6          6
#define RTAS_LOG_FORMAT_EVENT   0x0e
#define RTAS_COMPANY_OFF        12      /* in the v6 extended header */
#define RTAS_BAD_VERSION        5
#define RTAS_BAD_EXTRA          64      /* rtas=length: claimed, not there */
#define RTAS_BAD_FORMAT         0x00
#define RTAS_HDR_SIZE           8
#define RTAS_V6_EXT_SIZE        16
#define RTAS_PH_SIZE            48
#define RTAS_UH_SIZE            24
#define RTAS_PS_SIZE            80
#define RTAS_SECT_HDR_SIZE      8

static const char *const format_names[] = {
    [VHM_DIAG_NONE] = "none",
    [VHM_DIAG_PHB4] = "phb4",
    [VHM_DIAG_PHB3] = "phb3",
    [VHM_DIAG_RTAS] = "rtas",
};

static const char *const class_names[] = {
    [VHM_ERR_NONE] = "none",
    [VHM_ERR_DMA_IOMMU] = "dma-iommu",
    [VHM_ERR_DMA_ACCESS] = "dma-access",
    [VHM_ERR_MMIO_LOAD] = "mmio-load",
    [VHM_ERR_MMIO_STORE] = "mmio-store",
    [VHM_ERR_CFG_READ] = "cfg-read",
    [VHM_ERR_LINK_DOWN] = "link-down",
    [VHM_ERR_PCIE_UE] = "pcie-ue",
};

static const char *const rtas_names[] = {
    [VHM_RTAS_VALID] = "valid",
    [VHM_RTAS_VERSION] = "version",
    [VHM_RTAS_LENGTH] = "length",
    [VHM_RTAS_IBM] = "ibm",
    [VHM_RTAS_FORMAT] = "format",
    [VHM_RTAS_SECTIONS] = "sections",
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int vhm_diag_format_parse(const char *s)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(format_names); i++) {
        if (!strcmp(s, format_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

const char *vhm_diag_format_name(int format)
{
    if (format < 0 || (size_t)format >= ARRAY_LEN(format_names)) {
        return "?";
    }
    return format_names[format];
}

int vhm_diag_class_parse(const char *s)
{
    size_t i;

    for (i = 0; i < ARRAY_LEN(class_names); i++) {
        if (!strcmp(s, class_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

const char *vhm_diag_class_name(int cls)
{
    if (cls < 0 || (size_t)cls >= ARRAY_LEN(class_names)) {
        return "?";
    }
    return class_names[cls];
}

/* the defects rtas= accepts: every name but "valid" */
int vhm_diag_rtas_parse(const char *s)
{
    size_t i;

    for (i = VHM_RTAS_VALID + 1; i < ARRAY_LEN(rtas_names); i++) {
        if (!strcmp(s, rtas_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

const char *vhm_diag_rtas_name(int defect)
{
    if (defect < 0 || (size_t)defect >= ARRAY_LEN(rtas_names)) {
        return "?";
    }
    return rtas_names[defect];
}

static bool class_is_mmio(int cls)
{
    return cls == VHM_ERR_MMIO_LOAD || cls == VHM_ERR_MMIO_STORE;
}

static bool class_is_dma(int cls)
{
    return cls == VHM_ERR_DMA_IOMMU || cls == VHM_ERR_DMA_ACCESS ||
           cls == VHM_ERR_PCIE_UE;
}

/* uapi format number of a VHM_DIAG_* value */
static uint32_t uapi_format(int format)
{
    switch (format) {
    case VHM_DIAG_PHB3:
        return VFIO_EEH_ERROR_FORMAT_OPAL_PHB3;
    case VHM_DIAG_PHB4:
        return VFIO_EEH_ERROR_FORMAT_OPAL_PHB4;
    case VHM_DIAG_RTAS:
        return VFIO_EEH_ERROR_FORMAT_PAPR_RTAS;
    default:
        return VFIO_EEH_ERROR_FORMAT_NONE;
    }
}

uint64_t vhm_diag_host_addr(int bar, uint64_t off)
{
    uint64_t slot = bar < 0 ? HOST_MMIO_NO_BAR : (uint64_t)bar;

    return HOST_MMIO_BASE + (slot << 32) + off;
}

/* The device of the PE that the spec's RID names, else the first one */
static VhmDev *spec_dev(const VhmDiagSpec *s, VhmGroup *g)
{
    int i;

    for (i = 0; i < g->ndevs; i++) {
        VhmDev *d = g->devs[i];

        if (((d->bus << 8) | d->devfn) == s->rid) {
            return d;
        }
    }
    return g->ndevs ? g->devs[0] : NULL;
}

void vhm_diag_spec_init(VhmDiagSpec *s, VhmGroup *g, int format, int cls)
{
    memset(s, 0, sizeof(*s));
    s->format = format;
    s->cls = cls;
    s->mmio = true;
    s->dma = true;
    s->pe = g->host_pe;
    if (g->ndevs) {
        s->rid = (g->devs[0]->bus << 8) | g->devs[0]->devfn;
    }
    s->iova = DEFAULT_IOVA;
    s->bar = class_is_mmio(cls) ? 0 : -1;
    s->off = 0;
}

/* NULL if the spec describes something the host could report */
const char *vhm_diag_spec_check(const VhmDiagSpec *s, VhmGroup *g)
{
    VhmDev *d = spec_dev(s, g);

    if (s->format == VHM_DIAG_PHB4 && s->pe >= PHB4_NUM_PES) {
        return "pe= must be below 512 for phb4";
    }
    if (s->format == VHM_DIAG_PHB3 && s->pe >= PHB3_NUM_PES) {
        return "pe= must be below 256 for phb3";
    }
    if (s->bar >= 0) {
        if (!class_is_mmio(s->cls)) {
            return "bar= only for class=mmio-load|mmio-store";
        }
        if (s->bar > 5 || !d || !d->bar_size[s->bar]) {
            return "bar= is not a BAR of the device";
        }
        if (s->off >= d->bar_size[s->bar]) {
            return "off= is beyond the BAR";
        }
    }
    if (s->iova & ~PESTB_FAIL_ADDR_MASK) {
        return "iova= too large";
    }
    return NULL;
}

/* big-endian stores */

static void st16(uint8_t *p, size_t off, uint16_t v)
{
    p[off] = v >> 8;
    p[off + 1] = v;
}

static void st32(uint8_t *p, size_t off, uint32_t v)
{
    st16(p, off, v >> 16);
    st16(p, off + 2, v);
}

static void st64(uint8_t *p, size_t off, uint64_t v)
{
    st32(p, off, v >> 32);
    st32(p, off + 4, v);
}

static void st64x4(uint8_t *p, size_t off, uint64_t a, uint64_t b,
                   uint64_t c, uint64_t d)
{
    st64(p, off, a);
    st64(p, off + 8, b);
    st64(p, off + 16, c);
    st64(p, off + 24, d);
}

static uint64_t fault_addr(const VhmDiagSpec *s)
{
    switch (s->cls) {
    case VHM_ERR_DMA_IOMMU:
    case VHM_ERR_DMA_ACCESS:
    case VHM_ERR_PCIE_UE:
        return s->iova;
    case VHM_ERR_MMIO_LOAD:
    case VHM_ERR_MMIO_STORE:
        return vhm_diag_host_addr(s->bar, s->off);
    default:
        return 0;
    }
}

static uint32_t ue_of(const VhmDiagSpec *s, uint32_t dflt)
{
    return s->have_rootue ? s->rootue : dflt;
}

/* Memory request TLP header: 4 DW, 64-bit address */
static void tlp_mem(uint32_t *hdr, bool write, uint16_t requester,
                    uint32_t dw0_extra, uint64_t addr)
{
    hdr[0] = (write ? 0x60000000u : 0x20000000u) | dw0_extra | 1;
    hdr[1] = ((uint32_t)requester << 16) | 0x1a00 | 0x0f;
    hdr[2] = addr >> 32;
    hdr[3] = (uint32_t)addr & ~3u;
}

/* The PHB root port registers for an error of class s->cls */
static void root_port(const VhmDiagSpec *s, RootPort *rp)
{
    /* a healthy Gen3 x8 link with a device present */
    memset(rp, 0, sizeof(*rp));
    rp->brdg_ctl = PCI_BRIDGE_CTL_SERR;
    rp->dev_sta = 0x0000002f;                       /* DEVCTL: reporting */
    rp->slot_sta = ((uint32_t)PCI_EXP_SLTSTA_PDS << 16) | 0x1028;
    rp->link_sta = ((uint32_t)(PCI_EXP_LNKSTA_DLLLA | 0x0080 | 3) << 16) |
                   0x0008;
    rp->cmd_sta = ((uint32_t)PCI_STATUS_CAP_LIST << 16) | 0x0106;

    switch (s->cls) {
    case VHM_ERR_MMIO_LOAD:
    case VHM_ERR_MMIO_STORE:
    case VHM_ERR_CFG_READ:
        /* the root port, as requester, got an Unsupported Request */
        rp->cmd_sta |= (uint32_t)PCI_STATUS_REC_MASTER_ABORT << 16;
        rp->sec_sta = PCI_STATUS_REC_MASTER_ABORT;
        rp->ue = ue_of(s, PCI_ERR_UNC_UNSUP);
        rp->dev_sta |= (uint32_t)(PCI_EXP_DEVSTA_URD |
                                  PCI_EXP_DEVSTA_NFED) << 16;
        rp->root_err = PCI_ERR_ROOT_UNCOR_RCV | PCI_ERR_ROOT_NONFATAL_RCV;
        if (s->cls == VHM_ERR_CFG_READ) {
            /* CfgRd0 to the device, register 0 */
            rp->hdr[0] = 0x04000001;
            rp->hdr[1] = 0x00001a0f;
            rp->hdr[2] = (uint32_t)s->rid << 16;
        } else {
            tlp_mem(rp->hdr, s->cls == VHM_ERR_MMIO_STORE, 0, 0,
                    fault_addr(s));
        }
        break;
    case VHM_ERR_LINK_DOWN:
        /* surprise down: DLLLA clear, presence lost, DLLSC + PDC */
        rp->link_sta = (1u << 16) | 0x0008;
        rp->slot_sta = ((uint32_t)(PCI_EXP_SLTSTA_DLLSC |
                                   PCI_EXP_SLTSTA_PDC) << 16) | 0x1028;
        rp->ue = ue_of(s, PCI_ERR_UNC_SURPDN);
        rp->dev_sta |= (uint32_t)PCI_EXP_DEVSTA_FED << 16;
        rp->root_err = PCI_ERR_ROOT_UNCOR_RCV | PCI_ERR_ROOT_FIRST_FATAL |
                       PCI_ERR_ROOT_FATAL_RCV;
        break;
    case VHM_ERR_PCIE_UE:
        /* a poisoned DMA write from the device, reported by the port */
        rp->ue = ue_of(s, PCI_ERR_UNC_POISON_TLP);
        if (rp->ue & UE_SEV_DEFAULT) {
            rp->dev_sta |= (uint32_t)PCI_EXP_DEVSTA_FED << 16;
            rp->root_err = PCI_ERR_ROOT_UNCOR_RCV |
                           PCI_ERR_ROOT_FIRST_FATAL | PCI_ERR_ROOT_FATAL_RCV;
        } else {
            rp->dev_sta |= (uint32_t)PCI_EXP_DEVSTA_NFED << 16;
            rp->root_err = PCI_ERR_ROOT_UNCOR_RCV |
                           PCI_ERR_ROOT_NONFATAL_RCV;
        }
        rp->src_id = (uint32_t)s->rid << 16;
        tlp_mem(rp->hdr, true, s->rid,
                (rp->ue & PCI_ERR_UNC_POISON_TLP) ? 0x4000 : 0, s->iova);
        rp->hdr[0] = (rp->hdr[0] & ~0x3ffu) | 0x10;  /* 16 DW payload */
        break;
    default:
        rp->ue = ue_of(s, 0);
        break;
    }
    if (s->have_hdr) {
        memcpy(rp->hdr, s->hdr, sizeof(rp->hdr));
    }
}

static void pest(const VhmDiagSpec *s, uint64_t *a, uint64_t *b)
{
    uint64_t ttype = TTYPE_DMA_WRITE, cause = 0, lem = 0;
    RootPort rp;

    switch (s->cls) {
    case VHM_ERR_DMA_IOMMU:
        ttype = TTYPE_DMA_READ;
        cause = PESTA_TCE_PAGE_FAULT;
        lem = 0x1d;
        break;
    case VHM_ERR_DMA_ACCESS:
        ttype = TTYPE_DMA_WRITE;
        cause = PESTA_TCE_ACCESS_FAULT;
        lem = 0x1d;
        break;
    case VHM_ERR_MMIO_LOAD:
    case VHM_ERR_MMIO_STORE:
        ttype = s->cls == VHM_ERR_MMIO_LOAD ? TTYPE_MMIO_LOAD
                                             : TTYPE_MMIO_STORE;
        cause = PESTA_MMIO_CAUSE | PESTA_UR;
        lem = 0x0c;
        break;
    case VHM_ERR_CFG_READ:
        ttype = TTYPE_MMIO_LOAD;
        cause = PESTA_CFG_READ | PESTA_UR;
        lem = 0x0c;
        break;
    case VHM_ERR_LINK_DOWN:
        ttype = TTYPE_OTHER;
        cause = PESTA_PCIE_FATAL;
        lem = 0x06;
        break;
    case VHM_ERR_PCIE_UE:
        root_port(s, &rp);
        ttype = TTYPE_DMA_WRITE;
        cause = (rp.ue & UE_SEV_DEFAULT) ? PESTA_PCIE_FATAL
                                         : PESTA_PCIE_NONFATAL;
        if (rp.ue & PCI_ERR_UNC_POISON_TLP) {
            cause |= PESTA_PARITY_UE;
        }
        lem = 0x15;
        break;
    default:
        break;
    }
    *a = (s->mmio ? PESTA_MMIO_FROZEN : 0) | ttype << PESTA_TTYPE_SHIFT |
         cause | lem << PESTA_LEM_SHIFT |
         (uint64_t)s->rid << PESTA_RID_SHIFT;
    *b = (s->dma ? PESTB_DMA_STOPPED : 0) |
         (fault_addr(s) & PESTB_FAIL_ADDR_MASK);
}

/* LEM bit of the PHB error class, as in lemFir */
static uint64_t lem_fir(int cls)
{
    switch (cls) {
    case VHM_ERR_DMA_IOMMU:
    case VHM_ERR_DMA_ACCESS:
        return 0x0000000000000080ULL;
    case VHM_ERR_MMIO_LOAD:
    case VHM_ERR_MMIO_STORE:
    case VHM_ERR_CFG_READ:
        return 0x0000000000000400ULL;
    case VHM_ERR_LINK_DOWN:
        return 0x0000000000000040ULL;
    default:
        return 0x0000000000000002ULL;
    }
}

static size_t build_phb(const VhmDiagSpec *s, const PhbLayout *l,
                        uint8_t *p)
{
    RootPort rp;
    uint64_t a, b, lem, host = fault_addr(s);
    int i;

    memset(p, 0, l->size);
    st32(p, 0, DIAG_VERSION);
    st32(p, 4, l->io_type);
    st32(p, 8, l->size);

    root_port(s, &rp);
    st32(p, l->brdg_ctl, rp.brdg_ctl);
    st32(p, l->dev_sta, rp.dev_sta);
    st32(p, l->slot_sta, rp.slot_sta);
    st32(p, l->link_sta, rp.link_sta);
    st32(p, l->cmd_sta, rp.cmd_sta);
    st32(p, l->sec_sta, rp.sec_sta);
    st32(p, l->root_err, rp.root_err);
    st32(p, l->ue, rp.ue);
    st32(p, l->ce, rp.ce);
    for (i = 0; i < 4; i++) {
        st32(p, l->tlp_hdr + 4 * i, rp.hdr[i]);
    }
    st32(p, l->src_id, rp.src_id);

    st64(p, l->plssr, 0x0000001c00000000ULL);
    st64(p, l->csr, 0x0000001c00000000ULL);
    if (s->cls != VHM_ERR_NONE) {
        lem = lem_fir(s->cls);
        st64(p, l->nfir, 0x0000800000000000ULL);
        st64(p, l->nfir + 8, 0x0030001c00000000ULL);
        st64(p, l->nfir + 16, 0x0000800000000000ULL);
        st64(p, l->lem, lem);
        st64(p, l->lem + 16, lem);
        st64x4(p, l->phb_err, 0x0000028000000000ULL, 0x0000020000000000ULL,
               0x2148000098000240ULL, 0xa008400000000000ULL);
    }

    /* the class-specific register groups */
    if (l->io_type == IOTYPE_PHB4) {
        switch (s->cls) {
        case VHM_ERR_DMA_IOMMU:
        case VHM_ERR_DMA_ACCESS:
            st64x4(p, P4_RXE_TCE, s->cls == VHM_ERR_DMA_IOMMU ?
                   0x6000000000000000ULL : 0x2000000000000000ULL,
                   0x2000000000000000ULL,
                   0xc000000000000000ULL | (uint64_t)s->rid << 16 | 0xe0,
                   s->iova & ~0xfffULL);
            break;
        case VHM_ERR_MMIO_LOAD:
        case VHM_ERR_MMIO_STORE:
        case VHM_ERR_CFG_READ:
            st64x4(p, P4_TXE, 0x0000400000000000ULL, 0x0000400000000000ULL,
                   0x8000000000000000ULL | (uint64_t)s->pe << 16 |
                   (s->cls == VHM_ERR_MMIO_STORE ? 0x5 : 0x4),
                   s->cls == VHM_ERR_CFG_READ ? (uint64_t)s->rid << 16
                                              : host);
            break;
        case VHM_ERR_LINK_DOWN:
            st64(p, P4_DLP_LOG1, 0x8000000000000000ULL | 0x00a0);
            st64(p, P4_DLP_LOG2, 0x0000000000000100ULL);
            st64(p, P4_DLP_STATUS, 0x0000000000004000ULL);
            st64x4(p, P4_REGB, 0x0000400000000000ULL,
                   0x0000400000000000ULL, 0x4000000000000000ULL, 0);
            break;
        case VHM_ERR_PCIE_UE:
            st64x4(p, P4_RXE_MRG, 0x0000000000008000ULL,
                   0x0000000000008000ULL,
                   0x4000000000000000ULL | (uint64_t)s->rid << 16,
                   s->iova);
            break;
        default:
            break;
        }
    } else {
        switch (s->cls) {
        case VHM_ERR_DMA_IOMMU:
        case VHM_ERR_DMA_ACCESS:
            st64x4(p, P3_DMA0_ERR, s->cls == VHM_ERR_DMA_IOMMU ?
                   0x0200000000000000ULL : 0x0100000000000000ULL,
                   0x0200000000000000ULL,
                   0xc000000000000000ULL | (uint64_t)s->rid << 16,
                   s->iova & ~0xfffULL);
            break;
        case VHM_ERR_MMIO_LOAD:
        case VHM_ERR_MMIO_STORE:
        case VHM_ERR_CFG_READ:
            st64x4(p, P3_MMIO_ERR, 0x0000000000000002ULL,
                   0x0000000000000002ULL,
                   0x8000000000000000ULL | (uint64_t)s->pe << 16,
                   s->cls == VHM_ERR_CFG_READ ? (uint64_t)s->rid << 16
                                              : host);
            break;
        case VHM_ERR_LINK_DOWN:
            st32(p, P3_PORT_STATUS, 0x00000800);
            st32(p, P3_RC_STATUS, 0x00000080);
            st32(p, P3_BUS_AGENT_STATUS, 0x00000020);
            break;
        case VHM_ERR_PCIE_UE:
            st64x4(p, P3_DMA1_ERR, 0x0000000000000010ULL,
                   0x0000000000000010ULL,
                   0x4000000000000000ULL | (uint64_t)s->rid << 16,
                   s->iova);
            break;
        default:
            break;
        }
    }

    pest(s, &a, &b);
    st64(p, l->pest_a + 8 * (size_t)s->pe, a);
    st64(p, l->pest_b + 8 * (size_t)s->pe, b);
    return l->size;
}

/* eeh_dump_dev_log() text of one device: what becomes the 'UD' section */
static size_t dev_log(VhmDev *d, char *out, size_t cap)
{
    size_t n = 0;
    uint32_t v = 0;
    int i;

#define OUT(...) \
    do { \
        int k_ = snprintf(out + n, cap - n, __VA_ARGS__); \
        if (k_ < 0 || (size_t)k_ >= cap - n) { \
            return 0; \
        } \
        n += k_; \
    } while (0)

    OUT("%04x:%02x:%02x.%01x\n", d->domain, d->bus, d->devfn >> 3,
        d->devfn & 7);
    OUT("dev/vend:%08x\n", vhm_ld(&d->cfg[PCI_VENDOR_ID], 4));
    OUT("cmd/stat:%x\n", vhm_ld(&d->cfg[PCI_COMMAND], 4));
    OUT("pci-e cap10:\n");
    for (i = 0; i <= 0x20; i += 4) {
        OUT("%02x:%x\n", i, vhm_ld(&d->cfg[VHM_CAP_EXP + i], 4));
    }
    if (d->aer) {
        OUT("pci-e AER:\n");
        for (i = 0; i <= 0x34; i += 4) {
            /*
             * rtas_pci_dn_read_config() fails past 4 KiB without
             * touching the value: the previous dword is printed again
             */
            if (d->aer + i < VHM_CFG_SIZE) {
                v = vhm_ld(&d->cfg[d->aer + i], 4);
            }
            OUT("%02x:%x\n", i, v);
        }
    }
#undef OUT
    return n;
}

static void sect_hdr(uint8_t *p, const char *id, uint16_t len,
                     uint8_t version, uint8_t subtype)
{
    p[0] = id[0];
    p[1] = id[1];
    st16(p, 2, len);
    p[4] = version;
    p[5] = subtype;
    st16(p, 6, 0);
}

/* freeze ... rtas=<defect>: break the len-byte log in exactly one place */
static void rtas_break(uint8_t *p, size_t len, int defect)
{
    const size_t ext = RTAS_HDR_SIZE;

    switch (defect) {
    case VHM_RTAS_VERSION:
        p[0] = RTAS_BAD_VERSION;
        break;
    case VHM_RTAS_LENGTH:
        st32(p, 4, len - RTAS_HDR_SIZE + RTAS_BAD_EXTRA);
        break;
    case VHM_RTAS_IBM:
        memcpy(p + ext + RTAS_COMPANY_OFF, "XYZ", 4);
        break;
    case VHM_RTAS_FORMAT:
        p[ext + 2] = (p[ext + 2] & 0xf0) | RTAS_BAD_FORMAT;
        break;
    case VHM_RTAS_SECTIONS:
        /* an Extended User Header where the Private Header must be */
        memcpy(p + ext + RTAS_V6_EXT_SIZE, "EH", 2);
        break;
    default:
        break;
    }
}

/* The log ibm,slot-error-detail returns on a PowerVM host (LoPAR v6) */
static size_t build_rtas(const VhmDiagSpec *s, VhmGroup *g, uint8_t *p)
{
    static const char src[] = "B7006970";
    const size_t fixed = RTAS_HDR_SIZE + RTAS_V6_EXT_SIZE + RTAS_PH_SIZE +
                         RTAS_UH_SIZE + RTAS_PS_SIZE + RTAS_SECT_HDR_SIZE;
    char text[RTAS_MAX];
    size_t tlen = 0, ud_len, total, o;
    int i;

    for (i = 0; i < g->ndevs; i++) {
        size_t k = dev_log(g->devs[i], text + tlen,
                           RTAS_MAX - fixed - tlen - 4);

        if (!k) {
            break;
        }
        tlen += k;
    }
    ud_len = RTAS_SECT_HDR_SIZE + ((tlen + 3) & ~(size_t)3);
    total = fixed - RTAS_SECT_HDR_SIZE + ud_len;
    memset(p, 0, total);

    /* struct rtas_error_log: v6, ERROR, not recovered, extended, PCI, IO */
    p[0] = RTAS_VERSION_6;
    p[1] = 0x80 | 0x10 | 0x04;
    p[2] = 0x22;
    p[3] = 0xe1;
    st32(p, 4, total - RTAS_HDR_SIZE);

    /* struct rtas_ext_event_log_v6 */
    o = RTAS_HDR_SIZE;
    p[o] = 0x80 | 0x20 | 0x04 | 0x02;    /* valid, recoverable, new, BE */
    p[o + 2] = 0x80 | RTAS_LOG_FORMAT_EVENT;    /* PowerPC format */
    memcpy(p + o + RTAS_COMPANY_OFF, "IBM", 4);
    o += RTAS_V6_EXT_SIZE;

    /* 'PH' Private Header (Main-A) */
    sect_hdr(p + o, "PH", RTAS_PH_SIZE, 1, 0);
    st32(p, o + 8, 0x20260115);         /* BCD date */
    st32(p, o + 12, 0x12345600);        /* BCD time */
    p[o + 24] = 'H';                    /* creator: hypervisor */
    p[o + 27] = 4;                      /* sections: PH UH PS UD */
    st32(p, o + 40, 0x50000000 | (g->freeze_count + 1) << 12 |
         (s->pe & 0xfff));              /* PLID */
    o += RTAS_PH_SIZE;

    /* 'UH' User Header (Main-B) */
    sect_hdr(p + o, "UH", RTAS_UH_SIZE, 1, 0);
    p[o + 8] = 0x30;                    /* subsystem: I/O bus */
    p[o + 10] = 0x40;                   /* unrecoverable */
    st16(p, o + 18, 0xa000);            /* service action, report */
    o += RTAS_UH_SIZE;

    /* 'PS' Primary SRC: version 2, 8 hex words, ASCII reference code */
    sect_hdr(p + o, "PS", RTAS_PS_SIZE, 1, 1);
    p[o + 8] = 0x02;
    st32(p, o + 16, 0x00000055);        /* word 2: SRC format */
    st32(p, o + 20, s->pe);
    st32(p, o + 24, s->rid);
    st32(p, o + 28, s->cls);
    st32(p, o + 32, fault_addr(s) >> 32);
    st32(p, o + 36, (uint32_t)fault_addr(s));
    memset(p + o + 48, ' ', 32);
    memcpy(p + o + 48, src, strlen(src));
    o += RTAS_PS_SIZE;

    /* 'UD' User Data: the host driver's config dump, last */
    sect_hdr(p + o, "UD", ud_len, 1, 0);
    memcpy(p + o + RTAS_SECT_HDR_SIZE, text, tlen);
    o += ud_len;
    rtas_break(p, o, s->rtas);
    return o;
}

size_t vhm_diag_build(const VhmDiagSpec *s, VhmGroup *g, uint8_t *buf,
                      size_t cap)
{
    if (cap < DIAG_MAX) {
        return 0;
    }
    switch (s->format) {
    case VHM_DIAG_PHB4:
        return build_phb(s, &phb4_layout, buf);
    case VHM_DIAG_PHB3:
        return build_phb(s, &phb3_layout, buf);
    case VHM_DIAG_RTAS:
        return build_rtas(s, g, buf);
    default:
        return 0;
    }
}

/* PE state changes */

void vhm_diag_set_pending(VhmGroup *g, const VhmDiagSpec *s)
{
    g->pending = *s;
    g->diag_pending = s->format != VHM_DIAG_NONE;
}

/*
 * pnv_eeh_get_pe_state(): the first state query that sees the PE frozen
 * copies the diag data into the PE.  While a snapshot is held (the PE is
 * EEH_PE_ISOLATED) nothing is copied again.
 */
void vhm_diag_capture(VhmGroup *g)
{
    struct timespec ts;
    uint8_t *buf;
    size_t len;

    if (!g->diag_pending || g->snap.data || g->unavailable ||
        !(g->mmio_frozen || g->dma_frozen)) {
        return;
    }
    buf = calloc(1, DIAG_MAX);
    if (!buf) {
        return;
    }
    len = vhm_diag_build(&g->pending, g, buf, DIAG_MAX);
    if (!len) {
        free(buf);
        return;
    }
    clock_gettime(CLOCK_BOOTTIME, &ts);
    g->snap.spec = g->pending;
    g->snap.data = buf;
    g->snap.len = len;
    g->snap.freeze_count = ++g->freeze_count;
    g->snap.timestamp_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
    g->diag_pending = false;
    vhm_log("INFO EEH diag captured group=%d format=%s class=%s pe=%u "
            "len=%u freeze_count=%u%s%s", g->id,
            vhm_diag_format_name(g->snap.spec.format),
            vhm_diag_class_name(g->snap.spec.cls), g->snap.spec.pe,
            g->snap.len, g->snap.freeze_count,
            g->snap.spec.rtas ? " rtas=" : "",
            g->snap.spec.rtas ? vhm_diag_rtas_name(g->snap.spec.rtas) : "");
}

/* A thaw makes OPAL zero the PEST entries: nothing left to capture */
void vhm_diag_drop_pending(VhmGroup *g)
{
    g->diag_pending = false;
}

void vhm_diag_clear(VhmGroup *g)
{
    free(g->snap.data);
    memset(&g->snap, 0, sizeof(g->snap));
    g->diag_pending = false;
}

/*
 * INJECT_ERR with the feature on: the injected error leaves PHB4 diag
 * data.  func (EEH_ERR_FUNC_*): 0-3 MMIO load, 4-5 and 10-11 config,
 * 6-9 MMIO store, 12-15 DMA read, 16-19 DMA write; type 1 (64-bit)
 * targets BAR2, type 0 BAR0.
 */
void vhm_diag_inject(VhmGroup *g, uint32_t type, uint32_t func,
                     uint64_t addr)
{
    VhmDiagSpec s;
    int cls;

    if (func <= 3) {
        cls = VHM_ERR_MMIO_LOAD;
    } else if (func <= 5 || func == 10 || func == 11) {
        cls = VHM_ERR_CFG_READ;
    } else if (func <= 9) {
        cls = VHM_ERR_MMIO_STORE;
    } else if (func <= 15) {
        cls = VHM_ERR_DMA_IOMMU;
    } else {
        cls = VHM_ERR_DMA_ACCESS;
    }
    vhm_diag_spec_init(&s, g, VHM_DIAG_PHB4, cls);
    if (class_is_mmio(cls)) {
        s.bar = type ? 2 : 0;
    }
    if (class_is_dma(cls)) {
        s.iova = addr & PESTB_FAIL_ADDR_MASK;
    }
    vhm_diag_set_pending(g, &s);
}

/*
 * VFIO_DEVICE_FEATURE_EEH_ERROR, after vfio_ioctl_device_feature()'s
 * checks.  argsz is the whole ioctl argument's; arg points at it.
 */
long vhm_diag_feature(VhmDev *d, void *arg, uint32_t argsz, uint32_t flags,
                      VhmBuf *lb)
{
    struct vfio_device_feature_eeh_error info;
    const size_t hdr = sizeof(struct vfio_device_feature);
    VhmGroup *g = d->group;
    VhmDiagSnap *snap = &g->snap;
    size_t room, n;

    vhm_buf_printf(lb, " eeh_error");
    if (!vhm.opt.eeh_error_feature) {
        /* today's kernels: vfio_pci_core_ioctl_feature() default case */
        return -ENOTTY;
    }
    /* vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET, ...) */
    if (flags & VFIO_DEVICE_FEATURE_SET) {
        return -EINVAL;
    }
    if (flags & VFIO_DEVICE_FEATURE_PROBE) {
        return 0;
    }
    if (!(flags & VFIO_DEVICE_FEATURE_GET) ||
        argsz - hdr < sizeof(info)) {
        return -EINVAL;
    }
    if (!snap->data) {
        vhm_buf_printf(lb, " \xe2\x86\x92 format=%u len=0",
                       VFIO_EEH_ERROR_FORMAT_NONE);
        return -ENOMSG;
    }

    room = argsz - hdr - sizeof(info);
    n = snap->len < room ? snap->len : room;
    memset(&info, 0, sizeof(info));
    info.format = uapi_format(snap->spec.format);
    info.pe_number = snap->spec.pe;
    info.freeze_count = snap->freeze_count;
    info.timestamp_ns = snap->timestamp_ns;
    info.data_len = snap->len;
    if (n < snap->len) {
        info.flags |= VFIO_EEH_ERROR_FLAG_TRUNCATED;
    }
    if (class_is_mmio(snap->spec.cls) && snap->spec.bar >= 0) {
        info.flags |= VFIO_EEH_ERROR_FLAG_MMIO_FAULT;
        info.fault_region = VFIO_PCI_BAR0_REGION_INDEX + snap->spec.bar;
        info.fault_offset = snap->spec.off;
    }
    memcpy((uint8_t *)arg + hdr, &info, sizeof(info));
    memcpy((uint8_t *)arg + hdr + sizeof(info), snap->data, n);
    vhm_buf_printf(lb, " \xe2\x86\x92 format=%u len=%u", info.format,
                   info.data_len);
    return 0;
}
