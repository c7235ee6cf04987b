/*
 * sPAPR EEH: the error record and its PAPR version 6 error log encoding
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/timer.h"
#include "hw/pci/pci_regs.h"
#include "hw/pci/pcie_regs.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "hw/ppc/spapr_eeh_log.h"

#define EEH_LOG_HDR_SIZE    (sizeof(struct rtas_error_log) + \
                             sizeof(struct rtas_event_log_v6))
#define EEH_LOG_SECT_HDR    sizeof(struct rtas_event_log_v6_section_header)
#define EEH_LOG_SUMMARY_SECT (EEH_LOG_SECT_HDR + sizeof(SpaprEehLogSummary))
#define EEH_LOG_BLOB_HDR    (EEH_LOG_SECT_HDR + sizeof(SpaprEehLogBlobHeader))
/* A truncated data section is only worth emitting with some data in it */
#define EEH_LOG_BLOB_MIN    (EEH_LOG_BLOB_HDR + 4)
/* Largest data payload: the section length field is 16 bits */
#define EEH_LOG_BLOB_DATA_MAX (QEMU_ALIGN_DOWN(UINT16_MAX, 4) - \
                               EEH_LOG_BLOB_HDR)

QEMU_BUILD_BUG_ON(sizeof(struct rtas_error_log) != 8);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6) != 16);
QEMU_BUILD_BUG_ON(EEH_LOG_SECT_HDR != 8);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_maina) != 48);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_mainb) != 24);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_src) != 80);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_fru_subsection) != 4);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_fru_callout) != 4);
QEMU_BUILD_BUG_ON(sizeof(struct rtas_event_log_v6_fru_id) != 4);
QEMU_BUILD_BUG_ON(sizeof(SpaprEehLogSummary) != 96);
QEMU_BUILD_BUG_ON(sizeof(SpaprEehLogBlobHeader) != 8);
QEMU_BUILD_BUG_ON(SPAPR_EEH_LOG_MIN_SIZE !=
                  EEH_LOG_HDR_SIZE + sizeof(struct rtas_event_log_v6_maina) +
                  sizeof(struct rtas_event_log_v6_mainb) +
                  sizeof(struct rtas_event_log_v6_src));

/* The sizes of everything the log will contain, decided before writing */
typedef struct EehLogPlan {
    size_t loc_field;       /* location code field, 0: no FRU call-out */
    size_t fru_len;         /* FRU subsection bytes after the SRC */
    bool summary;
    bool raw;
    size_t raw_data;        /* raw host data bytes emitted */
    bool drv;
    size_t drv_data;        /* driver buffer bytes emitted */
    uint32_t flags;         /* SPAPR_EEH_SUMMARY_F_* */
    unsigned sections;
    size_t total;
} EehLogPlan;

static const char *const err_class_names[] = {
    [SPAPR_EEH_ERR_CLASS_UNKNOWN] = "unknown",
    [SPAPR_EEH_ERR_CLASS_DMA_IOMMU] = "dma-iommu",
    [SPAPR_EEH_ERR_CLASS_MMIO] = "mmio",
    [SPAPR_EEH_ERR_CLASS_LINK_DOWN] = "link-down",
    [SPAPR_EEH_ERR_CLASS_PCIE_UE] = "pcie-ue",
    [SPAPR_EEH_ERR_CLASS_CONFIG] = "config",
};
QEMU_BUILD_BUG_ON(ARRAY_SIZE(err_class_names) != SPAPR_EEH_ERR_CLASS__MAX);

static const char *const data_source_names[] = {
    [SPAPR_EEH_SRC_UNAVAILABLE] = "unavailable",
    [SPAPR_EEH_SRC_HOST_DIAG] = "host-diag",
    [SPAPR_EEH_SRC_AER_CONFIG] = "aer-config",
    [SPAPR_EEH_SRC_QEMU] = "qemu",
};
QEMU_BUILD_BUG_ON(ARRAY_SIZE(data_source_names) != SPAPR_EEH_SRC__MAX);

static const char *const raw_format_names[] = {
    [SPAPR_EEH_RAW_NONE] = "none",
    [SPAPR_EEH_RAW_PHB3] = "phb3",
    [SPAPR_EEH_RAW_PHB4] = "phb4",
    [SPAPR_EEH_RAW_RTAS] = "rtas",
};
QEMU_BUILD_BUG_ON(ARRAY_SIZE(raw_format_names) != SPAPR_EEH_RAW__MAX);

const char *spapr_eeh_err_class_name(SpaprEehErrorClass c)
{
    return (unsigned)c < ARRAY_SIZE(err_class_names) ?
           err_class_names[c] : "invalid";
}

const char *spapr_eeh_data_source_name(SpaprEehDataSource s)
{
    return (unsigned)s < ARRAY_SIZE(data_source_names) ?
           data_source_names[s] : "invalid";
}

const char *spapr_eeh_raw_format_name(SpaprEehRawFormat f)
{
    return (unsigned)f < ARRAY_SIZE(raw_format_names) ?
           raw_format_names[f] : "invalid";
}

static uint32_t clamp_u32(size_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : v;
}

static bool rec_has_raw(const SpaprEehErrorRecord *rec)
{
    return rec->raw_data && rec->raw_len && !rec->raw_withheld;
}

/* Raw data exists, the log only says so */
static bool rec_raw_withheld(const SpaprEehErrorRecord *rec)
{
    return rec->raw_withheld && rec->raw_format != SPAPR_EEH_RAW_NONE;
}

static size_t rec_raw_orig_len(const SpaprEehErrorRecord *rec)
{
    return MAX(rec->raw_orig_len, rec->raw_len);
}

static bool rec_raw_cut_at_host(const SpaprEehErrorRecord *rec)
{
    return (rec->trunc & SPAPR_EEH_TRUNC_RAW_DATA) ||
           rec->raw_orig_len > rec->raw_len;
}

/*
 * Size a data section (raw host data or driver buffer) for @len bytes of
 * data in @avail bytes of room.  Returns the section size, 0 if it must be
 * dropped; *data gets the number of data bytes that fit.
 */
static size_t plan_blob(size_t len, size_t avail, size_t *data)
{
    size_t want = MIN(len, EEH_LOG_BLOB_DATA_MAX);
    size_t room;

    if (avail < EEH_LOG_BLOB_MIN) {
        *data = 0;
        return 0;
    }
    room = QEMU_ALIGN_DOWN(avail, 4) - EEH_LOG_BLOB_HDR;
    *data = MIN(want, room);
    return EEH_LOG_BLOB_HDR + QEMU_ALIGN_UP(*data, 4);
}

static void eeh_log_plan(EehLogPlan *plan, const SpaprEehErrorRecord *rec,
                         size_t drv_len, bool permanent, const char *loc_code,
                         size_t out_max)
{
    size_t avail = out_max - SPAPR_EEH_LOG_MIN_SIZE;
    size_t raw_sect = 0, drv_sect = 0;
    bool room = true;

    memset(plan, 0, sizeof(*plan));
    plan->sections = 3;     /* PH, UH, PS */
    if (permanent) {
        plan->flags |= SPAPR_EEH_SUMMARY_F_PERMANENT;
    }

    /*
     * Optional parts, most important first: the FRU call-out, the summary,
     * the driver buffer, the raw host data.  Each one is only added if all
     * the ones before it were, so the raw data goes first and the FRU
     * call-out last when room is short.  The driver buffer and the raw
     * data are cut rather than dropped when some of them fits.
     */
    if (loc_code && loc_code[0] &&
        strnlen(loc_code, RTAS_LOG_V6_FRU_LOC_CODE_MAX) <
        RTAS_LOG_V6_FRU_LOC_CODE_MAX) {
        size_t field = QEMU_ALIGN_UP(strlen(loc_code) + 1, 4);
        size_t fru = sizeof(struct rtas_event_log_v6_fru_subsection) +
                     sizeof(struct rtas_event_log_v6_fru_callout) + field +
                     sizeof(struct rtas_event_log_v6_fru_id);

        if (fru <= avail) {
            plan->loc_field = field;
            plan->fru_len = fru;
            avail -= fru;
        } else {
            room = false;
        }
    }

    if (room && EEH_LOG_SUMMARY_SECT <= avail) {
        plan->summary = true;
        plan->sections++;
        avail -= EEH_LOG_SUMMARY_SECT;
    } else {
        room = false;
    }

    if (drv_len) {
        if (room) {
            drv_sect = plan_blob(drv_len, avail, &plan->drv_data);
        }
        if (drv_sect) {
            plan->drv = true;
            plan->sections++;
            plan->flags |= SPAPR_EEH_SUMMARY_F_DRV_PRESENT;
            if (plan->drv_data < drv_len) {
                plan->flags |= SPAPR_EEH_SUMMARY_F_DRV_TRUNCATED;
                room = false;
            }
            avail -= drv_sect;
        } else {
            plan->flags |= SPAPR_EEH_SUMMARY_F_DRV_DROPPED;
            room = false;
        }
    }

    if (rec_has_raw(rec)) {
        if (room) {
            raw_sect = plan_blob(rec->raw_len, avail, &plan->raw_data);
        }
        if (raw_sect) {
            plan->raw = true;
            plan->sections++;
            plan->flags |= SPAPR_EEH_SUMMARY_F_RAW_PRESENT;
            if (plan->raw_data < rec->raw_len) {
                plan->flags |= SPAPR_EEH_SUMMARY_F_RAW_TRUNCATED;
            }
            avail -= raw_sect;
        } else {
            plan->flags |= SPAPR_EEH_SUMMARY_F_RAW_DROPPED;
        }
        if (rec_raw_cut_at_host(rec)) {
            plan->flags |= SPAPR_EEH_SUMMARY_F_RAW_CUT_AT_HOST;
        }
    } else if (rec_raw_withheld(rec)) {
        plan->flags |= SPAPR_EEH_SUMMARY_F_RAW_WITHHELD;
    }

    plan->total = SPAPR_EEH_LOG_MIN_SIZE + plan->fru_len +
                  (plan->summary ? EEH_LOG_SUMMARY_SECT : 0) +
                  raw_sect + drv_sect;
}

static void set_section_header(struct rtas_event_log_v6_section_header *hdr,
                               uint16_t id, size_t len, uint8_t subtype)
{
    hdr->section_id = cpu_to_be16(id);
    hdr->section_length = cpu_to_be16(len);
    hdr->section_version = 1;
    hdr->section_subtype = subtype;
    hdr->creator_component_id = cpu_to_be16(0);
}

static uint8_t *put_fixed_part(uint8_t *p, const EehLogPlan *plan,
                               bool permanent)
{
    struct rtas_error_log log;
    struct rtas_event_log_v6 v6 = { 0 };
    uint32_t summary = RTAS_LOG_VERSION_6 | RTAS_LOG_OPTIONAL_PART_PRESENT |
                       RTAS_LOG_INITIATOR_PCI | RTAS_LOG_TARGET_PCI |
                       RTAS_LOG_TYPE_PLATFORM_ERROR;

    if (permanent) {
        summary |= RTAS_LOG_SEVERITY_ERROR | RTAS_LOG_DISPOSITION_NOT_RECOVERED;
    } else {
        summary |= RTAS_LOG_SEVERITY_WARNING |
                   RTAS_LOG_DISPOSITION_FULLY_RECOVERED;
    }
    log.summary = cpu_to_be32(summary);
    log.extended_length = cpu_to_be32(plan->total - sizeof(log));
    memcpy(p, &log, sizeof(log));
    p += sizeof(log);

    spapr_rtas_log_init_v6hdr(&v6);
    v6.b0 |= permanent ? RTAS_LOG_V6_B0_UNRECOVERABLE_ERROR :
                         RTAS_LOG_V6_B0_RECOVERABLE_ERROR;
    memcpy(p, &v6, sizeof(v6));
    return p + sizeof(v6);
}

/* The Private Header: created when the error was seen, if that is known */
static uint8_t *put_private_header(uint8_t *p, const EehLogPlan *plan,
                                   const SpaprEehErrorRecord *rec,
                                   uint32_t plid)
{
    struct rtas_event_log_v6_maina ph = { 0 };
    time_t secs = rec->detect_time_ns / NANOSECONDS_PER_SECOND;
    struct tm tm = { 0 };
    bool dated = (rec->valid & SPAPR_EEH_VALID_DETECT_TIME) &&
                 gmtime_r(&secs, &tm) && tm.tm_year + 1900 <= 9999;

    spapr_rtas_log_init_maina(&ph, &tm, plid, plan->sections);
    if (!dated) {
        ph.creation_date = 0;
        ph.creation_time = 0;
    }
    memcpy(p, &ph, sizeof(ph));
    return p + sizeof(ph);
}

static uint8_t *put_user_header(uint8_t *p, const SpaprEehErrorRecord *rec,
                                bool permanent)
{
    struct rtas_event_log_v6_mainb uh = { 0 };

    set_section_header(&uh.hdr, RTAS_LOG_V6_SECTION_ID_MAINB, sizeof(uh), 0);
    switch (rec->err_class) {
    case SPAPR_EEH_ERR_CLASS_DMA_IOMMU:
    case SPAPR_EEH_ERR_CLASS_MMIO:
    case SPAPR_EEH_ERR_CLASS_PCIE_UE:
    case SPAPR_EEH_ERR_CLASS_CONFIG:
        uh.subsystem_id = RTAS_LOG_V6_MAINB_SUBSYS_IO_ADAPTER;
        break;
    default:
        uh.subsystem_id = RTAS_LOG_V6_MAINB_SUBSYS_IO_BUS;
        break;
    }
    if (permanent) {
        uint16_t action = RTAS_LOG_V6_MAINB_ACTION_SERVICE |
                          RTAS_LOG_V6_MAINB_ACTION_REPORT_EXTERNALLY;

        uh.event_severity = RTAS_LOG_V6_MAINB_SEV_UNRECOVERABLE;
        uh.action_flags = cpu_to_be16(action);
    } else {
        uh.event_severity = RTAS_LOG_V6_MAINB_SEV_RECOVERED;
        uh.action_flags = cpu_to_be16(0);
    }
    memcpy(p, &uh, sizeof(uh));
    return p + sizeof(uh);
}

/*
 * The Primary SRC, laid out as PowerVM's EEH logs have it: nine hex words
 * with words 2 to 9 set to ASCII spaces, and one FRU call-out for the
 * slot with a FRU identity substructure, which ppc64-diag's rtas_errd
 * expects in every call-out.
 */
static uint8_t *put_primary_src(uint8_t *p, const EehLogPlan *plan,
                                bool permanent, const char *loc_code)
{
    struct rtas_event_log_v6_src ps = { 0 };
    const char *src = permanent ? SPAPR_EEH_SRC_PERMANENT :
                                  SPAPR_EEH_SRC_TEMPORARY;

    set_section_header(&ps.hdr, RTAS_LOG_V6_SECTION_ID_PRIMARY_SRC,
                       sizeof(ps) + plan->fru_len, 0);
    ps.src_version = RTAS_LOG_V6_SRC_VERSION;
    ps.src_flags = plan->fru_len ? RTAS_LOG_V6_SRC_FLAG_SUBSECTION : 0;
    ps.hex_word_count = RTAS_LOG_V6_SRC_HEX_WORDS;
    ps.src_length = cpu_to_be16(sizeof(ps) - sizeof(ps.hdr) + plan->fru_len);
    memset(ps.hex_words, ' ', sizeof(ps.hex_words));
    memset(ps.ref_code, ' ', sizeof(ps.ref_code));
    memcpy(ps.ref_code, src, strlen(src));
    memcpy(p, &ps, sizeof(ps));
    p += sizeof(ps);

    if (plan->fru_len) {
        struct rtas_event_log_v6_fru_subsection sub = { 0 };
        struct rtas_event_log_v6_fru_callout fru = { 0 };
        struct rtas_event_log_v6_fru_id id = {
            .id = { 'I', 'D' },
            .length = sizeof(id),
            .flags = RTAS_LOG_V6_FRU_ID_TYPE_HW_FRU,
        };

        sub.id = RTAS_LOG_V6_FRU_SUBSECTION_ID;
        sub.length = cpu_to_be16(plan->fru_len / 4);
        memcpy(p, &sub, sizeof(sub));
        p += sizeof(sub);

        fru.length = sizeof(fru) + plan->loc_field + sizeof(id);
        fru.type_flags = RTAS_LOG_V6_FRU_CALLOUT_TYPE_2 |
                         RTAS_LOG_V6_FRU_CALLOUT_FRU_ID_PRESENT;
        fru.priority = RTAS_LOG_V6_FRU_PRIORITY_HIGH;
        fru.loc_code_length = plan->loc_field;
        memcpy(p, &fru, sizeof(fru));
        p += sizeof(fru);

        /* NUL terminator and padding are already zero */
        memcpy(p, loc_code, strlen(loc_code));
        p += plan->loc_field;
        memcpy(p, &id, sizeof(id));
        p += sizeof(id);
    }
    return p;
}

static uint8_t *put_summary(uint8_t *p, const EehLogPlan *plan,
                            const SpaprEehErrorRecord *rec, size_t drv_len,
                            bool permanent)
{
    struct rtas_event_log_v6_section_header hdr;
    SpaprEehLogSummary s = { 0 };
    int i;

    set_section_header(&hdr, RTAS_LOG_V6_SECTION_ID_USER_DATA,
                       EEH_LOG_SUMMARY_SECT, SPAPR_EEH_UD_SUBTYPE_SUMMARY);
    memcpy(p, &hdr, sizeof(hdr));
    p += sizeof(hdr);

    s.magic = cpu_to_be32(SPAPR_EEH_SUMMARY_MAGIC);
    s.version = cpu_to_be16(SPAPR_EEH_SUMMARY_VERSION);
    s.length = cpu_to_be16(sizeof(s));
    s.err_class = rec->err_class;
    s.addr_kind = rec->addr_kind;
    s.log_function = permanent ? 2 : 1;
    s.pe_state = (rec->valid & SPAPR_EEH_VALID_PE_STATE) ?
                 rec->pe_state : SPAPR_EEH_PE_STATE_UNKNOWN;
    s.valid = cpu_to_be32(rec->valid & SPAPR_EEH_VALID_ALL);
    s.class_src = rec->class_src;
    s.addr_src = rec->addr_src;
    s.rid_src = rec->rid_src;
    s.aer_src = rec->aer_src;
    s.pe_state_src = rec->pe_state_src;
    s.time_src = rec->time_src;
    s.fault_addr = cpu_to_be64(rec->fault_addr);
    s.requester_id = cpu_to_be16(rec->requester_id);
    s.freeze_count = cpu_to_be32(rec->freeze_count);
    s.dropped_records = cpu_to_be32(rec->dropped_records);
    s.aer_ue_status = cpu_to_be32(rec->aer_ue_status);
    s.aer_ce_status = cpu_to_be32(rec->aer_ce_status);
    s.aer_ue_severity = cpu_to_be32(rec->aer_ue_severity);
    for (i = 0; i < ARRAY_SIZE(s.aer_tlp_header); i++) {
        s.aer_tlp_header[i] = cpu_to_be32(rec->aer_tlp_header[i]);
    }
    s.detect_time_ns = cpu_to_be64(rec->detect_time_ns);
    if (rec_has_raw(rec) || rec_raw_withheld(rec)) {
        s.raw_format = rec->raw_format;
        s.raw_orig_len = cpu_to_be32(clamp_u32(rec_raw_orig_len(rec)));
    }
    s.drv_len = cpu_to_be32(clamp_u32(drv_len));
    s.flags = cpu_to_be32(plan->flags);
    memcpy(p, &s, sizeof(s));
    return p + sizeof(s);
}

static uint8_t *put_blob(uint8_t *p, uint8_t subtype, uint8_t format,
                         uint8_t flags, const uint8_t *data, size_t data_len,
                         size_t orig_len)
{
    struct rtas_event_log_v6_section_header hdr;
    SpaprEehLogBlobHeader bh;

    set_section_header(&hdr, RTAS_LOG_V6_SECTION_ID_USER_DATA,
                       EEH_LOG_BLOB_HDR + QEMU_ALIGN_UP(data_len, 4), subtype);
    memcpy(p, &hdr, sizeof(hdr));
    p += sizeof(hdr);

    bh.format = format;
    bh.flags = flags;
    bh.data_len = cpu_to_be16(data_len);
    bh.orig_len = cpu_to_be32(clamp_u32(orig_len));
    memcpy(p, &bh, sizeof(bh));
    p += sizeof(bh);

    /* Padding is already zero */
    memcpy(p, data, data_len);
    return p + QEMU_ALIGN_UP(data_len, 4);
}

size_t spapr_eeh_log_encode(const SpaprEehErrorRecord *rec,
                            const uint8_t *drv_buf, size_t drv_len,
                            bool permanent, uint32_t plid,
                            const char *loc_code,
                            uint8_t *out, size_t out_max)
{
    static const SpaprEehErrorRecord empty;
    EehLogPlan plan;
    uint8_t *p = out;

    if (out_max < SPAPR_EEH_LOG_MIN_SIZE) {
        return 0;
    }
    if (!rec) {
        rec = &empty;
    }
    if (!drv_buf) {
        drv_len = 0;
    }

    eeh_log_plan(&plan, rec, drv_len, permanent, loc_code, out_max);
    assert(plan.total <= out_max && plan.total % 4 == 0);
    memset(out, 0, plan.total);

    p = put_fixed_part(p, &plan, permanent);
    p = put_private_header(p, &plan, rec, plid);
    p = put_user_header(p, rec, permanent);
    p = put_primary_src(p, &plan, permanent, loc_code);
    if (plan.summary) {
        p = put_summary(p, &plan, rec, drv_len, permanent);
    }
    if (plan.raw) {
        uint8_t flags = 0;

        if (plan.raw_data < rec->raw_len) {
            flags |= SPAPR_EEH_BLOB_F_TRUNCATED;
        }
        if (rec_raw_cut_at_host(rec)) {
            flags |= SPAPR_EEH_BLOB_F_CUT_AT_HOST;
        }
        p = put_blob(p, SPAPR_EEH_UD_SUBTYPE_HOST_DATA, rec->raw_format,
                     flags, rec->raw_data, plan.raw_data,
                     rec_raw_orig_len(rec));
    }
    if (plan.drv) {
        uint8_t flags = plan.drv_data < drv_len ?
                        SPAPR_EEH_BLOB_F_TRUNCATED : 0;

        p = put_blob(p, SPAPR_EEH_UD_SUBTYPE_DRIVER, SPAPR_EEH_BLOB_FMT_DRIVER,
                     flags, drv_buf, plan.drv_data, drv_len);
    }
    assert(p == out + plan.total);
    return plan.total;
}

/* AER uncorrectable error status bits, from the endpoint's point of view */
#define AER_UE_LINK             (PCI_ERR_UNC_DLP | PCI_ERR_UNC_SDN)
#define AER_UE_MMIO             (PCI_ERR_UNC_COMP_ABORT | PCI_ERR_UNC_UNSUP)
/* Bits 0-3 and 6-11 are reserved (bit 0 was "Training Error" in 1.0a) */
#define AER_UE_DEFINED          0xfffff030u

void spapr_eeh_aer_interpret(SpaprEehErrorRecord *rec)
{
    uint32_t ue;

    if (!rec || rec->err_class != SPAPR_EEH_ERR_CLASS_UNKNOWN ||
        !(rec->valid & SPAPR_EEH_VALID_AER_UE_STATUS) ||
        rec->aer_src != SPAPR_EEH_SRC_AER_CONFIG) {
        return;
    }
    ue = rec->aer_ue_status;
    if (ue == 0xffffffff) {
        return;     /* the config read failed: the device is not there */
    }
    if (ue & AER_UE_LINK) {
        rec->err_class = SPAPR_EEH_ERR_CLASS_LINK_DOWN;
    } else if (ue & AER_UE_MMIO) {
        rec->err_class = SPAPR_EEH_ERR_CLASS_MMIO;
    } else if (ue & PCI_ERR_UNC_COMP_TIME) {
        rec->err_class = SPAPR_EEH_ERR_CLASS_DMA_IOMMU;
    } else if (ue & AER_UE_DEFINED) {
        rec->err_class = SPAPR_EEH_ERR_CLASS_PCIE_UE;
    } else {
        return;
    }
    rec->class_src = SPAPR_EEH_SRC_AER_CONFIG;
}
