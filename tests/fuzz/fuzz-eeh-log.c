/*
 * Fuzz harness for the sPAPR EEH PAPR log encoder (spapr_eeh_log_encode)
 *
 * The input describes one call: flags, the buffer size, the PLID, every
 * field of the error record, the location code, and the driver buffer
 * and raw host data bytes (see README.rst for the layout).  Every buffer
 * is allocated at its exact size, so that ASan sees any access past it;
 * eehf_check_encode() checks the log.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/ppc/spapr_eeh_log.h"
#include "eeh-fuzz.h"

/* Flags of the first input byte */
#define F_PERMANENT     0x01
#define F_NO_RECORD     0x02
#define F_NO_DRV_BUF    0x04
#define F_NO_RAW_DATA   0x08
#define F_WITHHELD      0x10
#define F_BIG_OUT       0x20
#define F_HUGE_ORIG     0x40
#define F_LOC_CODE      0x80
/* Flags of the second input byte */
#define F2_BIG_DRV      0x01
#define F2_BIG_RAW      0x02

/*
 * Fill @len bytes from the input; once it runs out, with a pattern that
 * still depends on it, so that long buffers need not be spelled out.
 */
static uint8_t *take_bytes(EehfReader *r, size_t len)
{
    uint8_t *buf = g_malloc(MAX(len, 1));
    uint8_t seed = eehf_u8(r);
    size_t n = MIN(len, r->len), i;

    memcpy(buf, r->p, n);
    r->p += n;
    r->len -= n;
    for (i = n; i < len; i++) {
        buf[i] = seed + i * 7;
    }
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    EehfReader r = { data, size };
    SpaprEehErrorRecord rec = { 0 };
    uint8_t f = eehf_u8(&r), f2 = eehf_u8(&r);
    g_autofree char *loc = NULL;
    g_autofree uint8_t *drv = NULL;
    g_autofree uint8_t *raw = NULL;
    size_t out_max, drv_len, raw_len, loc_len;
    uint32_t plid;
    int i;

    out_max = eehf_u16(&r);
    if (f & F_BIG_OUT) {
        out_max += (size_t)(eehf_u8(&r) & 3) << 16;
    }
    plid = eehf_u32(&r);

    rec.err_class = eehf_u8(&r);
    rec.class_src = eehf_u8(&r);
    rec.valid = eehf_u32(&r);
    rec.fault_addr = eehf_u64(&r);
    rec.addr_kind = eehf_u8(&r);
    rec.addr_src = eehf_u8(&r);
    rec.requester_id = eehf_u16(&r);
    rec.rid_src = eehf_u8(&r);
    rec.aer_ue_status = eehf_u32(&r);
    rec.aer_ce_status = eehf_u32(&r);
    rec.aer_ue_severity = eehf_u32(&r);
    for (i = 0; i < 4; i++) {
        rec.aer_tlp_header[i] = eehf_u32(&r);
    }
    rec.aer_src = eehf_u8(&r);
    rec.pe_state = eehf_u8(&r);
    rec.pe_state_src = eehf_u8(&r);
    rec.freeze_count = eehf_u32(&r);
    rec.dropped_records = eehf_u32(&r);
    rec.detect_time_ns = eehf_u64(&r);
    rec.time_src = eehf_u8(&r);
    rec.raw_format = eehf_u8(&r);
    rec.trunc = eehf_u8(&r);
    rec.raw_orig_len = (f & F_HUGE_ORIG) ? eehf_u64(&r) : eehf_u16(&r);
    rec.raw_withheld = f & F_WITHHELD;

    loc_len = eehf_u8(&r) % 101;
    if (f & F_LOC_CODE) {
        uint8_t *l = take_bytes(&r, loc_len);

        loc = g_malloc(loc_len + 1);
        memcpy(loc, l, loc_len);
        loc[loc_len] = 0;
        g_free(l);
    }

    drv_len = eehf_u16(&r) + ((f2 & F2_BIG_DRV) ? 0x10000 : 0);
    raw_len = eehf_u16(&r) + ((f2 & F2_BIG_RAW) ? 0x10000 : 0);
    if (!(f & F_NO_DRV_BUF)) {
        drv = take_bytes(&r, drv_len);
    }
    if (!(f & F_NO_RAW_DATA)) {
        raw = take_bytes(&r, raw_len);
        rec.raw_data = raw;
    }
    rec.raw_len = raw_len;

    eehf_check_encode(&(EehfLogCall){
        .rec = (f & F_NO_RECORD) ? NULL : &rec,
        .drv_buf = drv,
        .drv_len = drv_len,
        .permanent = f & F_PERMANENT,
        .plid = plid,
        .loc_code = loc,
        .out_max = out_max,
    });
    return 0;
}
