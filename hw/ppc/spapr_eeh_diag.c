/*
 * sPAPR EEH: interpret host EEH data into the error record
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "qemu/bswap.h"
#include "hw/pci/pci_regs.h"
#include "hw/pci/pcie_regs.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "hw/ppc/spapr_eeh_diag.h"

/* OPAL diag data common header (OpalIoPhbErrorCommon) */
#define DIAG_COMMON_SIZE        12
#define DIAG_VERSION            1
#define DIAG_IOTYPE_PHB3        2
#define DIAG_IOTYPE_PHB4        3

/*
 * PE state table entries (IODA2 for PHB3, IODA3 for PHB4/5; the bits are
 * the same).  IBM numbering in the comments: bit 0 is the MSB.
 */
#define PESTA_MMIO_FROZEN       (1ULL << 63)    /* b0 */
#define PESTA_MMIO_CAUSE        (1ULL << 61)    /* b2 */
#define PESTA_CFG_READ          (1ULL << 60)    /* b3 */
#define PESTA_CFG_WRITE         (1ULL << 59)    /* b4 */
#define PESTA_TTYPE_SHIFT       56              /* b5-7 */
#define PESTA_TTYPE_MASK        0x7
#define   PESTA_TTYPE_DMA_WRITE 0
#define   PESTA_TTYPE_DMA_READ  2
#define   PESTA_TTYPE_MMIO_LOAD 4
#define   PESTA_TTYPE_MMIO_STORE 5
#define PESTA_CA                (1ULL << 55)    /* b8 */
#define PESTA_UR                (1ULL << 54)    /* b9 */
#define PESTA_PCIE_NONFATAL     (1ULL << 53)    /* b10 */
#define PESTA_PCIE_FATAL        (1ULL << 52)    /* b11 */
#define PESTA_PARITY_UE         (1ULL << 50)    /* b13 */
#define PESTA_TCE_PAGE_FAULT    (1ULL << 45)    /* b18 */
#define PESTA_TCE_ACCESS_FAULT  (1ULL << 44)    /* b19 */
#define PESTA_DMA_RESP_TIMEOUT  (1ULL << 43)    /* b20 */
#define PESTA_AIB_SIZE_INVALID  (1ULL << 42)    /* b21 */
#define PESTA_RID_SHIFT         16              /* b32-47 */

#define PESTB_DMA_STOPPED       (1ULL << 63)    /* b0 */
#define PESTB_FAIL_ADDR_MASK    0x1fffffffffffffffULL   /* b3-63 */

#define PESTA_DMA_CAUSES        (PESTA_TCE_PAGE_FAULT | \
                                 PESTA_TCE_ACCESS_FAULT | \
                                 PESTA_DMA_RESP_TIMEOUT | \
                                 PESTA_AIB_SIZE_INVALID)
#define PESTA_CFG_CAUSES        (PESTA_CFG_READ | PESTA_CFG_WRITE)
#define PESTA_MMIO_CAUSES       (PESTA_MMIO_CAUSE | PESTA_CA | PESTA_UR)
#define PESTA_UE_CAUSES         (PESTA_PCIE_NONFATAL | PESTA_PCIE_FATAL | \
                                 PESTA_PARITY_UE)

/*
 * Root port registers as OPAL stores them: 32-bit reads at the control
 * register, so the status register is in the upper 16 bits.
 */
#define LINK_DLLLA              ((uint32_t)PCI_EXP_LNKSTA_DLLLA << 16)
#define SLOT_PDC                ((uint32_t)PCI_EXP_SLTSTA_PDC << 16)
#define SLOT_DLLSC              ((uint32_t)PCI_EXP_SLTSTA_DLLSC << 16)

/* AER uncorrectable error status bits */
#define UE_DLP                  PCI_ERR_UNC_DLP                 /* b4 */
#define UE_SDN                  PCI_ERR_UNC_SDN                 /* b5 */
/* Bits 0-3 and 6-11 are reserved (bit 0 was "Training Error" in 1.0a) */
#define UE_DEFINED              0xfffff030u
#define UE_LINK                 (UE_DLP | UE_SDN)

/* AER root error status: error messages received from below */
#define ROOT_ERR_UNCOR_RCV      0x00000004u     /* b2 */
#define ROOT_ERR_FIRST_FATAL    0x00000010u     /* b4 */
#define ROOT_ERR_NONFATAL_RCV   0x00000020u     /* b5 */
#define ROOT_ERR_FATAL_RCV      0x00000040u     /* b6 */
#define ROOT_ERR_UE             (ROOT_ERR_UNCOR_RCV | ROOT_ERR_FIRST_FATAL | \
                                 ROOT_ERR_NONFATAL_RCV | ROOT_ERR_FATAL_RCV)

#define ALL_ONES32              0xffffffffu
#define ALL_ONES64              0xffffffffffffffffULL

#define VALID_AER_ALL           (SPAPR_EEH_VALID_AER_UE_STATUS | \
                                 SPAPR_EEH_VALID_AER_CE_STATUS | \
                                 SPAPR_EEH_VALID_AER_UE_SEVERITY | \
                                 SPAPR_EEH_VALID_AER_TLP_HEADER)

/* Byte offsets of the fields read in OpalIoPhb3ErrorData/OpalIoPhb4... */
typedef struct DiagLayout {
    uint32_t io_type;
    size_t size;
    uint32_t num_pes;
    size_t slot_status;
    size_t link_status;
    size_t root_error_status;
    size_t uncorr_error_status;
    size_t corr_error_status;
    size_t tlp_hdr;             /* tlpHdr1..4 */
    size_t source_id;
    size_t pest_a;
    size_t pest_b;
} DiagLayout;

static const DiagLayout phb3_layout = {
    .io_type = DIAG_IOTYPE_PHB3,
    .size = SPAPR_EEH_DIAG_PHB3_SIZE,
    .num_pes = SPAPR_EEH_DIAG_PHB3_NUM_PES,
    .slot_status = 32,
    .link_status = 36,
    .root_error_status = 48,
    .uncorr_error_status = 52,
    .corr_error_status = 56,
    .tlp_hdr = 60,
    .source_id = 76,
    .pest_a = 296,
    .pest_b = 2344,
};

static const DiagLayout phb4_layout = {
    .io_type = DIAG_IOTYPE_PHB4,
    .size = SPAPR_EEH_DIAG_PHB4_SIZE,
    .num_pes = SPAPR_EEH_DIAG_PHB4_NUM_PES,
    .slot_status = 20,
    .link_status = 24,
    .root_error_status = 36,
    .uncorr_error_status = 40,
    .corr_error_status = 44,
    .tlp_hdr = 48,
    .source_id = 64,
    .pest_a = 384,
    .pest_b = 4480,
};

QEMU_BUILD_BUG_ON(296 + 8 * SPAPR_EEH_DIAG_PHB3_NUM_PES != 2344);
QEMU_BUILD_BUG_ON(2344 + 8 * SPAPR_EEH_DIAG_PHB3_NUM_PES !=
                  SPAPR_EEH_DIAG_PHB3_SIZE);
QEMU_BUILD_BUG_ON(384 + 8 * SPAPR_EEH_DIAG_PHB4_NUM_PES != 4480);
QEMU_BUILD_BUG_ON(4480 + 8 * SPAPR_EEH_DIAG_PHB4_NUM_PES !=
                  SPAPR_EEH_DIAG_PHB4_SIZE);

/* The host data, limited to the length its header claims */
typedef struct DiagBuf {
    const uint8_t *data;
    size_t len;
} DiagBuf;

/* Out-of-range reads give all-ones, which every caller treats as no data */
static uint32_t diag_ld32(const DiagBuf *b, size_t off)
{
    if (off > b->len || b->len - off < 4) {
        return ALL_ONES32;
    }
    return ldl_be_p(b->data + off);
}

static uint64_t diag_ld64(const DiagBuf *b, size_t off)
{
    if (off > b->len || b->len - off < 8) {
        return ALL_ONES64;
    }
    return ldq_be_p(b->data + off);
}

/* A 32-bit register that was actually read */
static bool reg_ok(uint32_t v)
{
    return v != ALL_ONES32;
}

static void rec_set_class(SpaprEehErrorRecord *rec, SpaprEehErrorClass c,
                          SpaprEehDataSource src)
{
    rec->err_class = c;
    rec->class_src = src;
}

static void rec_set_rid(SpaprEehErrorRecord *rec, uint16_t rid)
{
    rec->requester_id = rid;
    rec->rid_src = SPAPR_EEH_SRC_HOST_DIAG;
    rec->valid |= SPAPR_EEH_VALID_REQUESTER_ID;
}

/* Copy the root port's AER registers, unless the endpoint's are there */
static void diag_fill_aer(SpaprEehErrorRecord *rec, const DiagBuf *b,
                          const DiagLayout *l)
{
    uint32_t ue = diag_ld32(b, l->uncorr_error_status);
    uint32_t ce = diag_ld32(b, l->corr_error_status);
    uint32_t hdr[4], hdr_or = 0, hdr_and = ALL_ONES32;
    uint32_t valid = 0;
    int i;

    if ((rec->valid & VALID_AER_ALL) &&
        rec->aer_src == SPAPR_EEH_SRC_AER_CONFIG) {
        return;
    }
    for (i = 0; i < 4; i++) {
        hdr[i] = diag_ld32(b, l->tlp_hdr + 4 * i);
        hdr_or |= hdr[i];
        hdr_and &= hdr[i];
    }

    rec->valid &= ~VALID_AER_ALL;
    rec->aer_ue_status = 0;
    rec->aer_ce_status = 0;
    rec->aer_ue_severity = 0;
    memset(rec->aer_tlp_header, 0, sizeof(rec->aer_tlp_header));
    if (reg_ok(ue)) {
        rec->aer_ue_status = ue;
        valid |= SPAPR_EEH_VALID_AER_UE_STATUS;
    }
    if (reg_ok(ce)) {
        rec->aer_ce_status = ce;
        valid |= SPAPR_EEH_VALID_AER_CE_STATUS;
    }
    if (hdr_or != 0 && hdr_and != ALL_ONES32) {
        memcpy(rec->aer_tlp_header, hdr, sizeof(hdr));
        valid |= SPAPR_EEH_VALID_AER_TLP_HEADER;
    }
    rec->valid |= valid;
    rec->aer_src = valid ? SPAPR_EEH_SRC_HOST_DIAG : SPAPR_EEH_SRC_UNAVAILABLE;
}

static bool diag_link_down(const DiagBuf *b, const DiagLayout *l)
{
    uint32_t link = diag_ld32(b, l->link_status);
    uint32_t slot = diag_ld32(b, l->slot_status);
    uint32_t ue = diag_ld32(b, l->uncorr_error_status);

    /* An all-zero link register was not read either: nothing to go by */
    if (reg_ok(link) && link != 0 && !(link & LINK_DLLLA)) {
        return true;
    }
    if (reg_ok(slot) && (slot & (SLOT_DLLSC | SLOT_PDC))) {
        return true;
    }
    return reg_ok(ue) && (ue & UE_LINK);
}

static bool diag_interpret_phb(const DiagLayout *l, const uint8_t *data,
                               size_t len, uint32_t pe_number,
                               SpaprEehErrorRecord *out)
{
    SpaprEehErrorRecord rec = *out;
    DiagBuf b;
    uint32_t hdr_len, root_err, ue, src_id;
    uint64_t pest_a, pest_b;
    bool pest_active;
    unsigned ttype;

    if (len < DIAG_COMMON_SIZE ||
        ldl_be_p(data) != DIAG_VERSION ||
        ldl_be_p(data + 4) != l->io_type) {
        return false;
    }
    hdr_len = ldl_be_p(data + 8);
    if (hdr_len > len || pe_number >= l->num_pes) {
        return false;
    }
    /* Every field read must be inside what the header claims */
    if (hdr_len < l->pest_b + 8 * ((size_t)pe_number + 1)) {
        return false;
    }
    b.data = data;
    b.len = hdr_len;

    pest_a = diag_ld64(&b, l->pest_a + 8 * (size_t)pe_number);
    pest_b = diag_ld64(&b, l->pest_b + 8 * (size_t)pe_number);
    /* As the kernel: an entry describes an error if a stopped bit is set */
    pest_active = ((pest_a & PESTA_MMIO_FROZEN) ||
                   (pest_b & PESTB_DMA_STOPPED)) &&
                  pest_a != ALL_ONES64 && pest_b != ALL_ONES64;
    ttype = (pest_a >> PESTA_TTYPE_SHIFT) & PESTA_TTYPE_MASK;
    root_err = diag_ld32(&b, l->root_error_status);
    ue = diag_ld32(&b, l->uncorr_error_status);
    src_id = diag_ld32(&b, l->source_id);

    if (pest_active) {
        rec_set_rid(&rec, extract64(pest_a, PESTA_RID_SHIFT, 16));
    }

    if (pest_active && (pest_a & PESTA_DMA_CAUSES) &&
        (ttype == PESTA_TTYPE_DMA_WRITE || ttype == PESTA_TTYPE_DMA_READ)) {
        rec_set_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU,
                      SPAPR_EEH_SRC_HOST_DIAG);
        /* A PCI bus address: with sPAPR TCE, the guest's own IOVA */
        rec.fault_addr = pest_b & PESTB_FAIL_ADDR_MASK;
        rec.addr_kind = SPAPR_EEH_ADDR_GUEST_IOVA;
        rec.addr_src = SPAPR_EEH_SRC_HOST_DIAG;
        rec.valid |= SPAPR_EEH_VALID_FAULT_ADDR;
    } else if (pest_active && (pest_a & PESTA_CFG_CAUSES)) {
        rec_set_class(&rec, SPAPR_EEH_ERR_CLASS_CONFIG,
                      SPAPR_EEH_SRC_HOST_DIAG);
    } else if (pest_active && (pest_a & PESTA_MMIO_CAUSES) &&
               (ttype == PESTA_TTYPE_MMIO_LOAD ||
                ttype == PESTA_TTYPE_MMIO_STORE)) {
        /* The failing address is a host address: left to the caller */
        rec_set_class(&rec, SPAPR_EEH_ERR_CLASS_MMIO,
                      SPAPR_EEH_SRC_HOST_DIAG);
    } else if (diag_link_down(&b, l)) {
        rec_set_class(&rec, SPAPR_EEH_ERR_CLASS_LINK_DOWN,
                      SPAPR_EEH_SRC_HOST_DIAG);
    } else if ((reg_ok(ue) && (ue & UE_DEFINED)) ||
               (reg_ok(root_err) && (root_err & ROOT_ERR_UE)) ||
               (pest_active && (pest_a & PESTA_UE_CAUSES))) {
        rec_set_class(&rec, SPAPR_EEH_ERR_CLASS_PCIE_UE,
                      SPAPR_EEH_SRC_HOST_DIAG);
        /* Without a PEST entry: the source of the ERR_(NON)FATAL message */
        if (!pest_active && reg_ok(root_err) &&
            (root_err & ROOT_ERR_UNCOR_RCV) && reg_ok(src_id)) {
            rec_set_rid(&rec, src_id >> 16);
        }
    }

    diag_fill_aer(&rec, &b, l);
    *out = rec;
    return true;
}

bool spapr_eeh_diag_rtas_log_valid(const uint8_t *data, size_t len)
{
    const size_t hdr = sizeof(struct rtas_error_log) +
                       sizeof(struct rtas_event_log_v6);
    const size_t sect = sizeof(struct rtas_event_log_v6_section_header);
    uint32_t summary, ext_len;
    size_t end, ph_len, uh_len;

    if (!data || len < hdr) {
        return false;
    }
    summary = ldl_be_p(data);
    ext_len = ldl_be_p(data + 4);
    if ((summary & RTAS_LOG_VERSION_MASK) != RTAS_LOG_VERSION_6 ||
        !(summary & RTAS_LOG_OPTIONAL_PART_PRESENT) ||
        ext_len > len - sizeof(struct rtas_error_log)) {
        return false;
    }
    end = sizeof(struct rtas_error_log) + ext_len;
    if (end < hdr + sizeof(struct rtas_event_log_v6_maina) +
              sizeof(struct rtas_event_log_v6_mainb)) {
        return false;
    }
    if (!(data[8] & RTAS_LOG_V6_B0_VALID) ||
        (data[10] & RTAS_LOG_V6_B2_LOG_FORMAT_MASK) !=
        RTAS_LOG_V6_B2_LOG_FORMAT_PLATFORM_EVENT ||
        ldl_be_p(data + 20) != RTAS_LOG_V6_COMPANY_IBM) {
        return false;
    }

    /* Private Header, then User Header, both inside the log */
    ph_len = lduw_be_p(data + hdr + 2);
    if (lduw_be_p(data + hdr) != RTAS_LOG_V6_SECTION_ID_MAINA ||
        ph_len < sizeof(struct rtas_event_log_v6_maina) ||
        ph_len > end - hdr || end - hdr - ph_len < sect) {
        return false;
    }
    uh_len = lduw_be_p(data + hdr + ph_len + 2);
    return lduw_be_p(data + hdr + ph_len) == RTAS_LOG_V6_SECTION_ID_MAINB &&
           uh_len >= sizeof(struct rtas_event_log_v6_mainb) &&
           uh_len <= end - hdr - ph_len;
}

bool spapr_eeh_diag_interpret(SpaprEehRawFormat fmt, const uint8_t *data,
                              size_t len, uint32_t pe_number,
                              SpaprEehErrorRecord *rec)
{
    if (!rec || !data) {
        return false;
    }
    switch (fmt) {
    case SPAPR_EEH_RAW_PHB3:
        return diag_interpret_phb(&phb3_layout, data, len, pe_number, rec);
    case SPAPR_EEH_RAW_PHB4:
        return diag_interpret_phb(&phb4_layout, data, len, pe_number, rec);
    case SPAPR_EEH_RAW_RTAS:
        /*
         * A PowerVM log describes the error with IBM SRCs and FRU
         * call-outs, whose mapping to the classes is not public: it is
         * only checked, by spapr_eeh_diag_rtas_log_valid(), and forwarded
         * as it is; nothing in the record is derived from it.
         */
        return false;
    default:
        return false;
    }
}
