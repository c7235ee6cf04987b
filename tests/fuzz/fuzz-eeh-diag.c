/*
 * Fuzz harness for the sPAPR EEH host data interpreter
 * (spapr_eeh_diag_interpret, spapr_eeh_diag_rtas_log_valid)
 *
 * Input: one format byte, the host PE number (BE16), one flags byte, then
 * the host's error data exactly as the kernel would hand it over (OPAL
 * PHB3/PHB4 diag data or a pseries host's RTAS log).  The data is copied
 * into a buffer of its exact size.  The record is checked against the
 * documented contract of include/hw/ppc/spapr_eeh_diag.h, and the record
 * with its raw data is then encoded and the log checked, as QEMU does
 * when the guest asks for it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_eeh_log.h"
#include "hw/ppc/spapr_eeh_diag.h"
#include "eeh-fuzz.h"

/* Flags byte */
#define F_ENDPOINT_AER  0x01    /* the record already holds endpoint AER */
#define F_CLASS_SET     0x02    /* the record already has a class */
#define F_NULL_DATA     0x04
#define F_PERMANENT     0x08
#define F_SMALL_LOG     0x10    /* encode into a small return buffer */

#define VALID_AER_ALL   (SPAPR_EEH_VALID_AER_UE_STATUS | \
                         SPAPR_EEH_VALID_AER_CE_STATUS | \
                         SPAPR_EEH_VALID_AER_UE_SEVERITY | \
                         SPAPR_EEH_VALID_AER_TLP_HEADER)
/* What the interpreter may set */
#define VALID_DIAG      (SPAPR_EEH_VALID_FAULT_ADDR | \
                         SPAPR_EEH_VALID_REQUESTER_ID | VALID_AER_ALL)

/* Whether the OPAL header and PE number are acceptable (the contract) */
static bool phb_acceptable(SpaprEehRawFormat fmt, const uint8_t *d,
                           size_t len, uint32_t pe)
{
    uint32_t io_type = fmt == SPAPR_EEH_RAW_PHB3 ? 2 : 3;
    uint32_t npes = fmt == SPAPR_EEH_RAW_PHB3 ?
                    SPAPR_EEH_DIAG_PHB3_NUM_PES : SPAPR_EEH_DIAG_PHB4_NUM_PES;
    size_t pest_b = fmt == SPAPR_EEH_RAW_PHB3 ? 2344 : 4480;
    uint32_t hdr_len;

    if (len < 12 || ldl_be_p(d) != 1 || ldl_be_p(d + 4) != io_type) {
        return false;
    }
    hdr_len = ldl_be_p(d + 8);
    return hdr_len <= len && pe < npes && hdr_len >= pest_b + 8 * (pe + 1);
}

/* Field by field: struct padding is not part of the record */
static bool rec_equal(const SpaprEehErrorRecord *a,
                      const SpaprEehErrorRecord *b)
{
    return a->err_class == b->err_class && a->class_src == b->class_src &&
           a->valid == b->valid && a->fault_addr == b->fault_addr &&
           a->addr_kind == b->addr_kind && a->addr_src == b->addr_src &&
           a->requester_id == b->requester_id && a->rid_src == b->rid_src &&
           a->aer_ue_status == b->aer_ue_status &&
           a->aer_ce_status == b->aer_ce_status &&
           a->aer_ue_severity == b->aer_ue_severity &&
           !memcmp(a->aer_tlp_header, b->aer_tlp_header,
                   sizeof(a->aer_tlp_header)) &&
           a->aer_src == b->aer_src && a->pe_state == b->pe_state &&
           a->pe_state_src == b->pe_state_src &&
           a->freeze_count == b->freeze_count &&
           a->dropped_records == b->dropped_records &&
           a->detect_time_ns == b->detect_time_ns &&
           a->time_src == b->time_src && a->raw_format == b->raw_format &&
           a->raw_data == b->raw_data && a->raw_len == b->raw_len &&
           a->raw_orig_len == b->raw_orig_len && a->trunc == b->trunc &&
           a->raw_withheld == b->raw_withheld;
}

static void check_record(const SpaprEehErrorRecord *old,
                         const SpaprEehErrorRecord *rec)
{
    uint32_t added = rec->valid & ~old->valid;

    if (rec->raw_format != old->raw_format || rec->raw_data != old->raw_data ||
        rec->raw_len != old->raw_len ||
        rec->raw_orig_len != old->raw_orig_len || rec->trunc != old->trunc ||
        rec->raw_withheld != old->raw_withheld ||
        rec->pe_state != old->pe_state ||
        rec->pe_state_src != old->pe_state_src ||
        rec->freeze_count != old->freeze_count ||
        rec->dropped_records != old->dropped_records ||
        rec->detect_time_ns != old->detect_time_ns ||
        rec->time_src != old->time_src) {
        eehf_fail("a field the interpreter does not own was changed");
    }
    if (added & ~VALID_DIAG) {
        eehf_fail("valid bits 0x%x set by the interpreter", added);
    }
    if ((unsigned)rec->err_class >= SPAPR_EEH_ERR_CLASS__MAX ||
        (unsigned)rec->addr_kind >= SPAPR_EEH_ADDR__MAX) {
        eehf_fail("class %d or address kind %d out of range",
                  rec->err_class, rec->addr_kind);
    }
    if (rec->err_class != old->err_class &&
        rec->class_src != SPAPR_EEH_SRC_HOST_DIAG) {
        eehf_fail("new class not tagged as host diag data");
    }
    if (rec->fault_addr != old->fault_addr &&
        (rec->err_class != SPAPR_EEH_ERR_CLASS_DMA_IOMMU ||
         rec->addr_kind != SPAPR_EEH_ADDR_GUEST_IOVA ||
         !(rec->valid & SPAPR_EEH_VALID_FAULT_ADDR))) {
        eehf_fail("a faulting address stored for class %d, kind %d",
                  rec->err_class, rec->addr_kind);
    }
    if ((rec->valid & SPAPR_EEH_VALID_REQUESTER_ID) &&
        (rec->requester_id != old->requester_id ||
         !(old->valid & SPAPR_EEH_VALID_REQUESTER_ID)) &&
        rec->rid_src != SPAPR_EEH_SRC_HOST_DIAG) {
        eehf_fail("new requester id not tagged as host diag data");
    }
    if ((old->valid & VALID_AER_ALL) &&
        old->aer_src == SPAPR_EEH_SRC_AER_CONFIG) {
        if ((rec->valid & VALID_AER_ALL) != (old->valid & VALID_AER_ALL) ||
            rec->aer_src != old->aer_src ||
            rec->aer_ue_status != old->aer_ue_status ||
            rec->aer_ce_status != old->aer_ce_status ||
            rec->aer_ue_severity != old->aer_ue_severity ||
            memcmp(rec->aer_tlp_header, old->aer_tlp_header,
                   sizeof(rec->aer_tlp_header))) {
            eehf_fail("the endpoint's AER registers were replaced");
        }
    } else if ((rec->valid & VALID_AER_ALL) &&
               rec->aer_src != SPAPR_EEH_SRC_HOST_DIAG) {
        eehf_fail("AER registers from the diag data not tagged as such");
    } else if (((rec->valid & SPAPR_EEH_VALID_AER_UE_STATUS) &&
                rec->aer_ue_status == 0xffffffff) ||
               ((rec->valid & SPAPR_EEH_VALID_AER_CE_STATUS) &&
                rec->aer_ce_status == 0xffffffff)) {
        eehf_fail("an all-ones register taken as read");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    EehfReader r = { data, size };
    SpaprEehRawFormat fmt = eehf_u8(&r) % (SPAPR_EEH_RAW__MAX + 1);
    uint32_t pe = eehf_u16(&r);
    uint8_t f = eehf_u8(&r);
    size_t len = r.len;
    g_autofree uint8_t *host = g_malloc(MAX(len, 1));
    SpaprEehErrorRecord rec = { 0 }, old, again;
    bool ok, valid_log;
    uint8_t *buf = (f & F_NULL_DATA) ? NULL : host;

    memcpy(host, r.p, len);

    if (f & F_ENDPOINT_AER) {
        rec.valid |= SPAPR_EEH_VALID_AER_UE_STATUS |
                     SPAPR_EEH_VALID_AER_TLP_HEADER;
        rec.aer_src = SPAPR_EEH_SRC_AER_CONFIG;
        rec.aer_ue_status = 0x00100000;
        rec.aer_tlp_header[0] = 0x12345678;
    }
    if (f & F_CLASS_SET) {
        rec.err_class = SPAPR_EEH_ERR_CLASS_MMIO;
        rec.class_src = SPAPR_EEH_SRC_QEMU;
    }
    rec.valid |= SPAPR_EEH_VALID_PE_STATE;
    rec.pe_state = 2;
    rec.pe_state_src = SPAPR_EEH_SRC_QEMU;
    rec.freeze_count = 1;
    old = rec;

    ok = spapr_eeh_diag_interpret(fmt, buf, len, pe, &rec);
    if (!ok && !rec_equal(&rec, &old)) {
        eehf_fail("record changed although the data was rejected");
    }
    if (fmt == SPAPR_EEH_RAW_PHB3 || fmt == SPAPR_EEH_RAW_PHB4) {
        if (ok != (buf && phb_acceptable(fmt, buf, len, pe))) {
            eehf_fail("data %s, but the header says it is %s",
                      ok ? "accepted" : "rejected",
                      ok ? "unusable" : "usable");
        }
    } else if (ok) {
        eehf_fail("format %d classified", fmt);
    }
    if (ok) {
        check_record(&old, &rec);
    }

    /* Deterministic */
    again = old;
    if (spapr_eeh_diag_interpret(fmt, buf, len, pe, &again) != ok ||
        !rec_equal(&again, &rec)) {
        eehf_fail("a second interpretation differs");
    }

    valid_log = spapr_eeh_diag_rtas_log_valid(buf, len);
    if (valid_log && (len < 8 + 16 + 48 + 24 || buf[0] != 6 ||
                      memcmp(buf + 20, "IBM", 4))) {
        eehf_fail("RTAS log accepted with a bad header");
    }

    /* What ibm,slot-error-detail would make of it */
    if (fmt != SPAPR_EEH_RAW_NONE && buf &&
        (ok || (fmt == SPAPR_EEH_RAW_RTAS && valid_log))) {
        static const uint8_t drv[] = "driver log";

        rec.raw_format = fmt;
        rec.raw_data = buf;
        rec.raw_len = MIN(len, 8192);
        rec.raw_orig_len = len;
        eehf_check_encode(&(EehfLogCall){
            .rec = &rec,
            .drv_buf = drv,
            .drv_len = sizeof(drv),
            .permanent = f & F_PERMANENT,
            .plid = 0x51454548,
            .loc_code = "U78D2.001-P1-C7",
            .out_max = (f & F_SMALL_LOG) ? 256 + f : 2048,
        });
    }
    return 0;
}
