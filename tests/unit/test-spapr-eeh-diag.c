/*
 * Unit tests for the sPAPR EEH host data interpreter
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_eeh_diag.h"

/*
 * OpalIoPhb3ErrorData / OpalIoPhb4ErrorData, written out again from the
 * OPAL API rather than taken from the code under test.
 */
typedef struct TestLayout {
    const char *name;
    SpaprEehRawFormat fmt;
    uint32_t io_type;
    size_t size;
    uint32_t num_pes;
    size_t dev_cmd_status;
    size_t slot_status;
    size_t link_status;
    size_t root_err;
    size_t ue;
    size_t ce;
    size_t tlp;
    size_t source_id;
    size_t lem_fir;
    size_t pest_a;
    size_t pest_b;
} TestLayout;

static const TestLayout phb3 = {
    .name = "phb3", .fmt = SPAPR_EEH_RAW_PHB3, .io_type = 2,
    .size = 4392, .num_pes = 256,
    .dev_cmd_status = 40, .slot_status = 32, .link_status = 36,
    .root_err = 48, .ue = 52, .ce = 56, .tlp = 60, .source_id = 76,
    .lem_fir = 144, .pest_a = 296, .pest_b = 2344,
};

static const TestLayout phb4 = {
    .name = "phb4", .fmt = SPAPR_EEH_RAW_PHB4, .io_type = 3,
    .size = 8576, .num_pes = 512,
    .dev_cmd_status = 28, .slot_status = 20, .link_status = 24,
    .root_err = 36, .ue = 40, .ce = 44, .tlp = 48, .source_id = 64,
    .lem_fir = 112, .pest_a = 384, .pest_b = 4480,
};

/* PEST bits, IBM numbering (bit 0 = MSB) */
#define PESTA_FROZEN            0x8000000000000000ULL   /* b0 */
#define PESTA_MMIO_CAUSE        0x2000000000000000ULL   /* b2 */
#define PESTA_CFG_READ          0x1000000000000000ULL   /* b3 */
#define PESTA_CFG_WRITE         0x0800000000000000ULL   /* b4 */
#define PESTA_TTYPE(t)          ((uint64_t)(t) << 56)   /* b5-7 */
#define PESTA_CA                0x0080000000000000ULL   /* b8 */
#define PESTA_UR                0x0040000000000000ULL   /* b9 */
#define PESTA_NONFATAL          0x0020000000000000ULL   /* b10 */
#define PESTA_TCE_PAGE          0x0000200000000000ULL   /* b18 */
#define PESTA_TCE_ACCESS        0x0000100000000000ULL   /* b19 */
#define PESTA_DMA_TIMEOUT       0x0000080000000000ULL   /* b20 */
#define PESTA_RID(r)            ((uint64_t)(r) << 16)   /* b32-47 */
#define PESTB_STOPPED           0x8000000000000000ULL

#define TT_DMA_WRITE            0
#define TT_DMA_READ             2
#define TT_MMIO_LOAD            4
#define TT_MMIO_STORE           5

/* Root port registers: CTL | STA << 16 */
#define LINK_UP                 0x21030040u     /* DLLLA, x16, 8GT/s */
#define LINK_DOWN               0x00010040u     /* DLLLA clear */
#define SLOT_PRESENT            0x00400000u     /* presence detect state */
#define SLOT_DLLSC              0x01000000u
#define CMD_STATUS              0x00100546u

/* AER uncorrectable error status bits */
#define UE_DLP                  (1u << 4)
#define UE_SDN                  (1u << 5)
#define UE_POISON               (1u << 12)
#define UE_UNSUP_REQ            (1u << 20)

#define CE_ADVISORY             (1u << 13)

/* Fields the interpreter must never touch */
#define CANARY_PE_STATE         0x22
#define CANARY_FREEZES          7
#define CANARY_TIME             0x1122334455667788ULL

/* A diag blob of exactly the size of the structure, healthy root port */
static uint8_t *diag_new(const TestLayout *l)
{
    uint8_t *b = g_malloc0(l->size);

    stl_be_p(b, 1);
    stl_be_p(b + 4, l->io_type);
    stl_be_p(b + 8, l->size);
    stl_be_p(b + l->dev_cmd_status, CMD_STATUS);
    stl_be_p(b + l->slot_status, SLOT_PRESENT);
    stl_be_p(b + l->link_status, LINK_UP);
    stl_be_p(b + l->ce, CE_ADVISORY);
    stq_be_p(b + l->lem_fir, 0x0000000000800000ULL);
    return b;
}

static void diag_set_pest(const TestLayout *l, uint8_t *b, uint32_t pe,
                          uint64_t a, uint64_t pb)
{
    stq_be_p(b + l->pest_a + 8 * pe, a);
    stq_be_p(b + l->pest_b + 8 * pe, pb);
}

static void rec_init(SpaprEehErrorRecord *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->pe_state = CANARY_PE_STATE;
    rec->pe_state_src = SPAPR_EEH_SRC_QEMU;
    rec->freeze_count = CANARY_FREEZES;
    rec->detect_time_ns = CANARY_TIME;
    rec->time_src = SPAPR_EEH_SRC_QEMU;
    rec->valid = SPAPR_EEH_VALID_PE_STATE | SPAPR_EEH_VALID_DETECT_TIME;
}

static void check_untouched_fields(const SpaprEehErrorRecord *rec)
{
    g_assert_cmpuint(rec->pe_state, ==, CANARY_PE_STATE);
    g_assert_cmpint(rec->pe_state_src, ==, SPAPR_EEH_SRC_QEMU);
    g_assert_cmpuint(rec->freeze_count, ==, CANARY_FREEZES);
    g_assert_cmpuint(rec->detect_time_ns, ==, CANARY_TIME);
    g_assert_cmpint(rec->time_src, ==, SPAPR_EEH_SRC_QEMU);
    g_assert_cmpuint(rec->valid & (SPAPR_EEH_VALID_PE_STATE |
                                   SPAPR_EEH_VALID_DETECT_TIME), ==,
                     SPAPR_EEH_VALID_PE_STATE | SPAPR_EEH_VALID_DETECT_TIME);
    g_assert_cmpint(rec->raw_format, ==, SPAPR_EEH_RAW_NONE);
    g_assert_null(rec->raw_data);
    g_assert_cmpuint(rec->raw_len, ==, 0);
}

static void check_no_addr(const SpaprEehErrorRecord *rec)
{
    g_assert_false(rec->valid & SPAPR_EEH_VALID_FAULT_ADDR);
    g_assert_cmphex(rec->fault_addr, ==, 0);
    g_assert_cmpint(rec->addr_kind, ==, SPAPR_EEH_ADDR_UNKNOWN);
    g_assert_cmpint(rec->addr_src, ==, SPAPR_EEH_SRC_UNAVAILABLE);
}

/* A guest DMA address taken from the host's diag data */
static void check_iova(const SpaprEehErrorRecord *rec, uint64_t iova)
{
    g_assert_true(rec->valid & SPAPR_EEH_VALID_FAULT_ADDR);
    g_assert_cmphex(rec->fault_addr, ==, iova);
    g_assert_cmpint(rec->addr_kind, ==, SPAPR_EEH_ADDR_GUEST_IOVA);
    g_assert_cmpint(rec->addr_src, ==, SPAPR_EEH_SRC_HOST_DIAG);
}

static void check_rid(const SpaprEehErrorRecord *rec, int rid)
{
    if (rid < 0) {
        g_assert_false(rec->valid & SPAPR_EEH_VALID_REQUESTER_ID);
        g_assert_cmphex(rec->requester_id, ==, 0);
        g_assert_cmpint(rec->rid_src, ==, SPAPR_EEH_SRC_UNAVAILABLE);
    } else {
        g_assert_true(rec->valid & SPAPR_EEH_VALID_REQUESTER_ID);
        g_assert_cmphex(rec->requester_id, ==, rid);
        g_assert_cmpint(rec->rid_src, ==, SPAPR_EEH_SRC_HOST_DIAG);
    }
}

/* The root port's AER registers as the healthy blob has them */
static void check_rp_aer(const SpaprEehErrorRecord *rec, uint32_t ue,
                         const uint32_t *tlp)
{
    uint32_t want = SPAPR_EEH_VALID_AER_UE_STATUS |
                    SPAPR_EEH_VALID_AER_CE_STATUS;
    int i;

    if (tlp) {
        want |= SPAPR_EEH_VALID_AER_TLP_HEADER;
    }
    g_assert_cmphex(rec->valid & (want | SPAPR_EEH_VALID_AER_UE_SEVERITY |
                                  SPAPR_EEH_VALID_AER_TLP_HEADER), ==, want);
    g_assert_cmpint(rec->aer_src, ==, SPAPR_EEH_SRC_HOST_DIAG);
    g_assert_cmphex(rec->aer_ue_status, ==, ue);
    g_assert_cmphex(rec->aer_ce_status, ==, CE_ADVISORY);
    g_assert_cmphex(rec->aer_ue_severity, ==, 0);
    for (i = 0; i < 4; i++) {
        g_assert_cmphex(rec->aer_tlp_header[i], ==, tlp ? tlp[i] : 0);
    }
}

static void check_class(const SpaprEehErrorRecord *rec, SpaprEehErrorClass c,
                        SpaprEehDataSource src)
{
    g_assert_cmpstr(spapr_eeh_err_class_name(rec->err_class), ==,
                    spapr_eeh_err_class_name(c));
    g_assert_cmpint(rec->class_src, ==, src);
}

/* Interpret a heap copy of exactly @len bytes, so valgrind sees overruns */
static bool interpret(SpaprEehRawFormat fmt, const uint8_t *b, size_t len,
                      uint32_t pe, SpaprEehErrorRecord *rec)
{
    uint8_t *copy = g_memdup2(b, len);
    bool ret = spapr_eeh_diag_interpret(fmt, len ? copy : b, len, pe, rec);

    g_free(copy);
    return ret;
}

static uint32_t test_pe(const TestLayout *l)
{
    return l->num_pes == 512 ? 5 : l->num_pes - 1;
}

static void test_iommu_page_fault(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    /* DMA read through the 64-bit window hits an invalid TCE */
    diag_set_pest(l, b, pe,
                  PESTA_FROZEN | PESTA_TTYPE(TT_DMA_READ) | PESTA_TCE_PAGE |
                  PESTA_RID(0x0108),
                  PESTB_STOPPED | 0x0800000012345000ULL);
    /* another PE's entry must not leak in */
    diag_set_pest(l, b, pe - 1, PESTA_FROZEN | PESTA_TTYPE(TT_MMIO_LOAD) |
                  PESTA_UR | PESTA_RID(0x0200), PESTB_STOPPED | 0x1234);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU, SPAPR_EEH_SRC_HOST_DIAG);
    check_iova(&rec, 0x0800000012345000ULL);
    check_rid(&rec, 0x0108);
    check_rp_aer(&rec, 0, NULL);
    check_untouched_fields(&rec);
}

static void test_iommu_access_fault(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    /* DMA write to a read-only TCE of the 32-bit window */
    diag_set_pest(l, b, pe,
                  PESTA_FROZEN | PESTA_TTYPE(TT_DMA_WRITE) |
                  PESTA_TCE_ACCESS | PESTA_RID(0x0110),
                  PESTB_STOPPED | 0x7fff0000ULL);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU, SPAPR_EEH_SRC_HOST_DIAG);
    check_iova(&rec, 0x7fff0000ULL);
    check_rid(&rec, 0x0110);
    check_rp_aer(&rec, 0, NULL);
    check_untouched_fields(&rec);
}

static void test_dma_timeout(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    diag_set_pest(l, b, pe,
                  PESTA_FROZEN | PESTA_TTYPE(TT_DMA_READ) |
                  PESTA_DMA_TIMEOUT | PESTA_RID(0x0101),
                  PESTB_STOPPED | 0x10000ULL);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU, SPAPR_EEH_SRC_HOST_DIAG);
    check_iova(&rec, 0x10000ULL);
    check_rid(&rec, 0x0101);
}

/* A host MMIO address, which must never reach the record */
#define HOST_MMIO_ADDR          0x000600c000101000ULL

static void check_mmio_like(const TestLayout *l, uint64_t pest_a,
                            SpaprEehErrorClass want)
{
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    diag_set_pest(l, b, pe, pest_a | PESTA_RID(0x0100),
                  PESTB_STOPPED | HOST_MMIO_ADDR);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, want, want == SPAPR_EEH_ERR_CLASS_UNKNOWN ?
                SPAPR_EEH_SRC_UNAVAILABLE : SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    check_rid(&rec, 0x0100);
    check_rp_aer(&rec, 0, NULL);
    check_untouched_fields(&rec);
}

static void test_mmio_load_ur(const void *opaque)
{
    check_mmio_like(opaque, PESTA_FROZEN | PESTA_MMIO_CAUSE |
                    PESTA_TTYPE(TT_MMIO_LOAD) | PESTA_UR,
                    SPAPR_EEH_ERR_CLASS_MMIO);
}

static void test_mmio_store_ca(const void *opaque)
{
    check_mmio_like(opaque, PESTA_FROZEN | PESTA_MMIO_CAUSE |
                    PESTA_TTYPE(TT_MMIO_STORE) | PESTA_CA,
                    SPAPR_EEH_ERR_CLASS_MMIO);
}

static void test_config_read(const void *opaque)
{
    /* a config read is a load that got UR: config wins over MMIO */
    check_mmio_like(opaque, PESTA_FROZEN | PESTA_CFG_READ |
                    PESTA_TTYPE(TT_MMIO_LOAD) | PESTA_UR,
                    SPAPR_EEH_ERR_CLASS_CONFIG);
}

static void test_config_write(const void *opaque)
{
    check_mmio_like(opaque, PESTA_FROZEN | PESTA_CFG_WRITE |
                    PESTA_TTYPE(TT_MMIO_STORE) | PESTA_CA,
                    SPAPR_EEH_ERR_CLASS_CONFIG);
}

static void test_mmio_wrong_ttype(const void *opaque)
{
    /* UR with a DMA transaction type and no TCE fault: not MMIO */
    check_mmio_like(opaque, PESTA_FROZEN | PESTA_UR |
                    PESTA_TTYPE(TT_DMA_READ),
                    SPAPR_EEH_ERR_CLASS_UNKNOWN);
}

static void test_link_down_lnksta(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    /* PHB fence after the link dropped: no PEST detail for the PE */
    stl_be_p(b + l->link_status, LINK_DOWN);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_LINK_DOWN, SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    check_rid(&rec, -1);
    check_rp_aer(&rec, 0, NULL);
    check_untouched_fields(&rec);
}

static void test_link_down_ue(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    /* link retrained since: DLLLA set again, but surprise down logged */
    stl_be_p(b + l->ue, UE_SDN);
    stl_be_p(b + l->root_err, 0x00000044);
    diag_set_pest(l, b, pe, PESTA_FROZEN | PESTA_NONFATAL, PESTB_STOPPED);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_LINK_DOWN, SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    check_rid(&rec, 0);
    check_rp_aer(&rec, UE_SDN, NULL);

    /* data link protocol error */
    stl_be_p(b + l->ue, UE_DLP);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_LINK_DOWN, SPAPR_EEH_SRC_HOST_DIAG);
    check_rp_aer(&rec, UE_DLP, NULL);
}

static void test_link_down_slot(const void *opaque)
{
    const TestLayout *l = opaque;
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    stl_be_p(b + l->slot_status, SLOT_PRESENT | SLOT_DLLSC);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, 0, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_LINK_DOWN, SPAPR_EEH_SRC_HOST_DIAG);
    check_rid(&rec, -1);
}

static void test_pcie_ue_poisoned(const void *opaque)
{
    static const uint32_t tlp[4] = {
        0x60000001, 0x0108000f, 0x00000000, 0x7fff0000,  /* MWr64 */
    };
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;
    int i;

    /* the device DMA-wrote poisoned data; the root port logged it */
    stl_be_p(b + l->ue, UE_POISON);
    for (i = 0; i < 4; i++) {
        stl_be_p(b + l->tlp + 4 * i, tlp[i]);
    }
    diag_set_pest(l, b, pe,
                  PESTA_FROZEN | PESTA_TTYPE(TT_DMA_WRITE) | PESTA_NONFATAL |
                  PESTA_RID(0x0108), PESTB_STOPPED | 0x7fff0000ULL);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_PCIE_UE, SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    check_rid(&rec, 0x0108);
    check_rp_aer(&rec, UE_POISON, tlp);
    check_untouched_fields(&rec);
}

static void test_pcie_ue_message(const void *opaque)
{
    const TestLayout *l = opaque;
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    /* ERR_NONFATAL from 01:01.0, no PEST detail */
    stl_be_p(b + l->root_err, 0x00000024);
    stl_be_p(b + l->source_id, 0x01080000);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, 1, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_PCIE_UE, SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    check_rid(&rec, 0x0108);
    check_rp_aer(&rec, 0, NULL);
}

static void test_nothing_set(const void *opaque)
{
    const TestLayout *l = opaque;
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, test_pe(l), &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_UNKNOWN, SPAPR_EEH_SRC_UNAVAILABLE);
    check_no_addr(&rec);
    check_rid(&rec, -1);
    check_rp_aer(&rec, 0, NULL);
    check_untouched_fields(&rec);

    /* an entry without a stopped bit is stale: ignored */
    diag_set_pest(l, b, 0, PESTA_TTYPE(TT_DMA_READ) | PESTA_TCE_PAGE |
                  PESTA_RID(0x0108), 0x1000);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, 0, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_UNKNOWN, SPAPR_EEH_SRC_UNAVAILABLE);
    check_no_addr(&rec);
    check_rid(&rec, -1);
}

static void test_last_pe(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = l->num_pes - 1;
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    diag_set_pest(l, b, pe, PESTA_FROZEN | PESTA_TTYPE(TT_DMA_READ) |
                  PESTA_TCE_PAGE | PESTA_RID(0xfff8),
                  PESTB_STOPPED | 0x1fffffffffffe000ULL);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU, SPAPR_EEH_SRC_HOST_DIAG);
    check_iova(&rec, 0x1fffffffffffe000ULL);
    check_rid(&rec, 0xfff8);
}

/* Endpoint AER already in the record: kept, the class still comes in */
static void test_keeps_endpoint_aer(const void *opaque)
{
    const TestLayout *l = opaque;
    uint32_t pe = test_pe(l);
    g_autofree uint8_t *b = diag_new(l);
    SpaprEehErrorRecord rec;

    stl_be_p(b + l->ue, UE_POISON);
    diag_set_pest(l, b, pe, PESTA_FROZEN | PESTA_MMIO_CAUSE | PESTA_UR |
                  PESTA_TTYPE(TT_MMIO_LOAD), PESTB_STOPPED | HOST_MMIO_ADDR);
    rec_init(&rec);
    rec.aer_ue_status = UE_UNSUP_REQ;
    rec.aer_ue_severity = 0x00462030;
    rec.aer_src = SPAPR_EEH_SRC_AER_CONFIG;
    rec.valid |= SPAPR_EEH_VALID_AER_UE_STATUS |
                 SPAPR_EEH_VALID_AER_UE_SEVERITY;
    g_assert_true(interpret(l->fmt, b, l->size, pe, &rec));

    check_class(&rec, SPAPR_EEH_ERR_CLASS_MMIO, SPAPR_EEH_SRC_HOST_DIAG);
    check_no_addr(&rec);
    g_assert_cmpint(rec.aer_src, ==, SPAPR_EEH_SRC_AER_CONFIG);
    g_assert_cmphex(rec.aer_ue_status, ==, UE_UNSUP_REQ);
    g_assert_cmphex(rec.aer_ue_severity, ==, 0x00462030);
    g_assert_cmphex(rec.valid & (SPAPR_EEH_VALID_AER_UE_STATUS |
                                 SPAPR_EEH_VALID_AER_CE_STATUS |
                                 SPAPR_EEH_VALID_AER_UE_SEVERITY |
                                 SPAPR_EEH_VALID_AER_TLP_HEADER), ==,
                    SPAPR_EEH_VALID_AER_UE_STATUS |
                    SPAPR_EEH_VALID_AER_UE_SEVERITY);

    /* and the AER classification does not override the diag's */
    spapr_eeh_aer_interpret(&rec);
    check_class(&rec, SPAPR_EEH_ERR_CLASS_MMIO, SPAPR_EEH_SRC_HOST_DIAG);
}

/* Call with data the interpreter must refuse; check @rec is untouched */
static void check_refused(SpaprEehRawFormat fmt, const uint8_t *b, size_t len,
                          uint32_t pe)
{
    SpaprEehErrorRecord rec, ref;

    memset(&rec, 0x5a, sizeof(rec));
    ref = rec;
    g_assert_false(interpret(fmt, b, len, pe, &rec));
    g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));
}

static void test_malformed(const void *opaque)
{
    const TestLayout *l = opaque;
    const TestLayout *other = l == &phb4 ? &phb3 : &phb4;
    g_autofree uint8_t *b = diag_new(l);
    g_autofree uint8_t *ones = g_malloc(l->size);
    SpaprEehErrorRecord rec;
    size_t n;

    diag_set_pest(l, b, 5, PESTA_FROZEN | PESTA_TTYPE(TT_DMA_READ) |
                  PESTA_TCE_PAGE, PESTB_STOPPED | 0x1000);

    /* short buffers, including every length below the header */
    for (n = 0; n <= 12; n++) {
        check_refused(l->fmt, b, n, 5);
    }
    check_refused(l->fmt, b, l->size - 1, 5);
    check_refused(l->fmt, b, l->size / 2, 5);
    g_assert_false(spapr_eeh_diag_interpret(l->fmt, NULL, l->size, 5, &rec));
    g_assert_false(spapr_eeh_diag_interpret(l->fmt, b, l->size, 5, NULL));

    /* PE numbers beyond the table */
    check_refused(l->fmt, b, l->size, l->num_pes);
    check_refused(l->fmt, b, l->size, l->num_pes + 1);
    check_refused(l->fmt, b, l->size, UINT32_MAX);
    check_refused(l->fmt, b, l->size, UINT32_MAX / 8 + 1);

    /* wrong format for the data, unknown formats */
    check_refused(other->fmt, b, l->size, 5);
    check_refused(SPAPR_EEH_RAW_NONE, b, l->size, 5);
    check_refused(SPAPR_EEH_RAW__MAX, b, l->size, 5);
    check_refused((SpaprEehRawFormat)-1, b, l->size, 5);
    check_refused(SPAPR_EEH_RAW_RTAS, b, l->size, 5);

    /* wrong version */
    stl_be_p(b, 0);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b, 2);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b, 0x01000000);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b, 1);

    /* wrong ioType: P7IOC, the other PHB, garbage */
    stl_be_p(b + 4, 1);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 4, other->io_type);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 4, 0xffffffff);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 4, l->io_type);

    /* length field larger than the buffer */
    stl_be_p(b + 8, l->size + 1);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 8, 0xffffffff);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 8, l->size);
    check_refused(l->fmt, b, l->size - 8, 5);

    /* length field too small for the PE's PEST-B entry */
    stl_be_p(b + 8, 0);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 8, 12);
    check_refused(l->fmt, b, l->size, 5);
    stl_be_p(b + 8, l->pest_b + 8 * 6 - 1);
    check_refused(l->fmt, b, l->size, 5);
    /* ... but enough for it is fine, in a buffer of that size too */
    stl_be_p(b + 8, l->pest_b + 8 * 6);
    check_refused(l->fmt, b, l->size, 6);
    rec_init(&rec);
    g_assert_true(interpret(l->fmt, b, l->pest_b + 8 * 6, 5, &rec));
    check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU, SPAPR_EEH_SRC_HOST_DIAG);
    check_iova(&rec, 0x1000);

    /* a length field beyond the structure is accepted within the buffer */
    {
        g_autofree uint8_t *big = g_malloc0(l->size + 64);

        memcpy(big, b, l->size);
        stl_be_p(big + 8, l->size + 64);
        rec_init(&rec);
        g_assert_true(interpret(l->fmt, big, l->size + 64, 5, &rec));
        check_class(&rec, SPAPR_EEH_ERR_CLASS_DMA_IOMMU,
                    SPAPR_EEH_SRC_HOST_DIAG);
    }

    /* all-ones, as a read from a dead PHB gives */
    memset(ones, 0xff, l->size);
    check_refused(l->fmt, ones, l->size, 5);
    check_refused(l->fmt, ones, l->size, 0);

    /* all-ones behind a valid header: nothing to take from it */
    stl_be_p(ones, 1);
    stl_be_p(ones + 4, l->io_type);
    stl_be_p(ones + 8, l->size);
    for (n = 0; n < l->num_pes; n += l->num_pes - 1) {
        rec_init(&rec);
        g_assert_true(interpret(l->fmt, ones, l->size, n, &rec));
        check_class(&rec, SPAPR_EEH_ERR_CLASS_UNKNOWN,
                    SPAPR_EEH_SRC_UNAVAILABLE);
        check_no_addr(&rec);
        check_rid(&rec, -1);
        g_assert_false(rec.valid & (SPAPR_EEH_VALID_AER_UE_STATUS |
                                    SPAPR_EEH_VALID_AER_CE_STATUS |
                                    SPAPR_EEH_VALID_AER_UE_SEVERITY |
                                    SPAPR_EEH_VALID_AER_TLP_HEADER));
        g_assert_cmpint(rec.aer_src, ==, SPAPR_EEH_SRC_UNAVAILABLE);
        check_untouched_fields(&rec);
    }
}

/*
 * Random bodies and lengths behind mostly valid headers: whatever the
 * data, the result is consistent and nothing outside the buffer is read
 * (the buffers are heap copies of exactly @len bytes; run under valgrind).
 */
static void test_random(const void *opaque)
{
    const TestLayout *l = opaque;
    g_autofree uint8_t *b = g_malloc(l->size + 16);
    GRand *r = g_rand_new_with_seed(0x5eed + l->io_type);
    int iter;

    for (iter = 0; iter < 2000; iter++) {
        SpaprEehErrorRecord rec;
        size_t len = g_rand_int_range(r, 0, l->size + 16);
        uint32_t pe = g_rand_int_range(r, 0, l->num_pes + 4);
        size_t i;
        bool ok;

        for (i = 0; i < l->size + 16; i++) {
            /* sparse bits, so that some entries look real */
            b[i] = g_rand_int_range(r, 0, 4) ? 0 : g_rand_int(r);
        }
        stl_be_p(b, g_rand_int_range(r, 0, 8) ? 1 : g_rand_int(r));
        stl_be_p(b + 4, g_rand_int_range(r, 0, 8) ? l->io_type :
                 g_rand_int_range(r, 0, 5));
        stl_be_p(b + 8, g_rand_int_range(r, 0, 2) ? len :
                 g_rand_int_range(r, 0, l->size + 32));
        if (g_rand_int_range(r, 0, 2)) {
            len = g_rand_int_range(r, 0, 2) ? l->size : l->size + 16;
        }

        rec_init(&rec);
        ok = interpret(l->fmt, b, len, pe, &rec);
        check_untouched_fields(&rec);
        g_assert_cmpint(rec.err_class, <, SPAPR_EEH_ERR_CLASS__MAX);
        if (!ok) {
            continue;
        }
        g_assert_cmpuint(pe, <, l->num_pes);
        if (rec.valid & SPAPR_EEH_VALID_FAULT_ADDR) {
            g_assert_cmpint(rec.err_class, ==, SPAPR_EEH_ERR_CLASS_DMA_IOMMU);
            g_assert_cmpint(rec.addr_kind, ==, SPAPR_EEH_ADDR_GUEST_IOVA);
        } else {
            check_no_addr(&rec);
        }
        if (rec.err_class == SPAPR_EEH_ERR_CLASS_UNKNOWN) {
            g_assert_cmpint(rec.class_src, ==, SPAPR_EEH_SRC_UNAVAILABLE);
        } else {
            g_assert_cmpint(rec.class_src, ==, SPAPR_EEH_SRC_HOST_DIAG);
        }
    }
    g_rand_free(r);
}

/* A PowerVM-style slot error log: fixed part, v6 header, PH, UH, PS, UD */
static size_t rtas_log_new(uint8_t *b, size_t max)
{
    size_t len = 8 + 16 + 48 + 24 + 80 + 16;

    g_assert_cmpuint(max, >=, len);
    memset(b, 0, max);
    stl_be_p(b, 0x064422e0);            /* v6, warning, ext, PCI, 0xe0 */
    stl_be_p(b + 4, len - 8);
    b[8] = 0xa6;
    b[10] = 0x8e;
    memcpy(b + 20, "IBM", 4);
    stw_be_p(b + 24, 0x5048);           /* PH */
    stw_be_p(b + 26, 48);
    b[28] = 1;
    b[24 + 16] = 'H';
    b[24 + 19] = 4;
    stw_be_p(b + 72, 0x5548);           /* UH */
    stw_be_p(b + 74, 24);
    b[76] = 1;
    stw_be_p(b + 96, 0x5053);           /* PS */
    stw_be_p(b + 98, 80);
    memcpy(b + 96 + 40, "B7006970", 8);
    stw_be_p(b + 176, 0x5544);          /* UD */
    stw_be_p(b + 178, 16);
    return len;
}

static bool rtas_valid(const uint8_t *b, size_t len)
{
    g_autofree uint8_t *copy = g_memdup2(b, len);

    return spapr_eeh_diag_rtas_log_valid(len ? copy : b, len);
}

static void test_rtas(void)
{
    uint8_t b[2048];
    size_t len = rtas_log_new(b, sizeof(b)), n;

    g_assert_true(rtas_valid(b, len));
    g_assert_true(rtas_valid(b, sizeof(b)));
    /* valid, but never classified */
    check_refused(SPAPR_EEH_RAW_RTAS, b, len, 0);

    for (n = 0; n < len; n++) {
        g_assert_false(rtas_valid(b, n));
    }
    g_assert_false(spapr_eeh_diag_rtas_log_valid(NULL, len));

    b[0] = 5;                           /* version */
    g_assert_false(rtas_valid(b, len));
    b[0] = 6;
    b[1] = 0x40;                        /* no extended part */
    g_assert_false(rtas_valid(b, len));
    b[1] = 0x44;
    stl_be_p(b + 4, len - 7);           /* longer than the buffer */
    g_assert_false(rtas_valid(b, len));
    stl_be_p(b + 4, 0xffffffff);
    g_assert_false(rtas_valid(b, len));
    stl_be_p(b + 4, 16 + 48 + 24 - 1);  /* too short for PH and UH */
    g_assert_false(rtas_valid(b, len));
    stl_be_p(b + 4, 16 + 48 + 24);      /* PH and UH only: fine */
    g_assert_true(rtas_valid(b, len));
    stl_be_p(b + 4, len - 8);
    b[8] = 0x26;                        /* not valid */
    g_assert_false(rtas_valid(b, len));
    b[8] = 0xa6;
    b[10] = 0x8d;                       /* not a platform event log */
    g_assert_false(rtas_valid(b, len));
    b[10] = 0x8e;
    b[22] = 'X';                        /* not an IBM log */
    g_assert_false(rtas_valid(b, len));
    b[22] = 'M';
    stw_be_p(b + 24, 0x5548);           /* UH first */
    g_assert_false(rtas_valid(b, len));
    stw_be_p(b + 24, 0x5048);
    stw_be_p(b + 26, 40);               /* PH too short */
    g_assert_false(rtas_valid(b, len));
    stw_be_p(b + 26, 0xfffc);           /* PH past the end */
    g_assert_false(rtas_valid(b, len));
    stw_be_p(b + 26, 48);
    stw_be_p(b + 72, 0x5053);           /* no UH */
    g_assert_false(rtas_valid(b, len));
    stw_be_p(b + 72, 0x5548);
    stw_be_p(b + 74, 0xfffc);           /* UH past the end */
    g_assert_false(rtas_valid(b, len));
    stw_be_p(b + 74, 24);
    g_assert_true(rtas_valid(b, len));

    memset(b, 0xff, sizeof(b));
    g_assert_false(rtas_valid(b, sizeof(b)));
}

static void add_layout_tests(const TestLayout *l)
{
    static const struct {
        const char *name;
        GTestDataFunc fn;
    } tests[] = {
        { "iommu-page-fault", test_iommu_page_fault },
        { "iommu-access-fault", test_iommu_access_fault },
        { "dma-timeout", test_dma_timeout },
        { "mmio-load-ur", test_mmio_load_ur },
        { "mmio-store-ca", test_mmio_store_ca },
        { "mmio-wrong-ttype", test_mmio_wrong_ttype },
        { "config-read", test_config_read },
        { "config-write", test_config_write },
        { "link-down-lnksta", test_link_down_lnksta },
        { "link-down-ue", test_link_down_ue },
        { "link-down-slot", test_link_down_slot },
        { "pcie-ue-poisoned", test_pcie_ue_poisoned },
        { "pcie-ue-message", test_pcie_ue_message },
        { "nothing-set", test_nothing_set },
        { "last-pe", test_last_pe },
        { "keeps-endpoint-aer", test_keeps_endpoint_aer },
        { "malformed", test_malformed },
        { "random", test_random },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(tests); i++) {
        g_autofree char *path = g_strdup_printf("/spapr-eeh-diag/%s/%s",
                                                l->name, tests[i].name);

        g_test_add_data_func(path, l, tests[i].fn);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    add_layout_tests(&phb4);
    add_layout_tests(&phb3);
    g_test_add_func("/spapr-eeh-diag/rtas", test_rtas);

    return g_test_run();
}
