/*
 * sPAPR EEH: ibm,slot-error-detail, the error log the guest gets
 *
 * LoPAR: while a PE is stopped or unavailable, or permanently unavailable
 * after a permanent log was asked for, the call returns a version 6
 * platform error log with the driver's buffer as the last User Data
 * section; otherwise it returns "no errors found".  The log is built by
 * spapr_eeh_log_encode() from the PE's error record.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "system/dma.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_detail.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "trace.h"

/*
 * Guest buffers: RTAS passes 32-bit real addresses.  A buffer must lie in
 * guest memory as a whole; the sum is done in 64 bits so it cannot wrap.
 */
static bool guest_buf_ok(uint64_t addr, uint64_t len, bool is_write)
{
    return addr + len <= UINT32_MAX + 1ULL &&
           address_space_access_valid(&address_space_memory, addr, len,
                                      is_write, MEMTXATTRS_UNSPECIFIED);
}

int spapr_eeh_slot_error_detail(SpaprPhbState *sphb, uint64_t drv_addr,
                                uint32_t drv_len, uint64_t ret_addr,
                                uint32_t ret_len, bool permanent)
{
    g_autofree uint8_t *drv = NULL;
    g_autofree uint8_t *log = NULL;
    g_autofree char *loc = NULL;
    SpaprEehErrorRecord rec = { 0 };
    SpaprEehRecord *r;
    size_t out_max, drv_take, len;
    uint32_t plid;
    int state, info;

    out_max = MIN(ret_len, RTAS_ERROR_LOG_MAX);
    if (out_max < SPAPR_EEH_LOG_MIN_SIZE ||
        !guest_buf_ok(ret_addr, out_max, true)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "spapr_eeh: PHB %u: ibm,slot-error-detail return "
                      "buffer 0x%" PRIx64 "+%u is unusable (need %u bytes "
                      "of guest memory)\n", sphb->index, ret_addr, ret_len,
                      SPAPR_EEH_LOG_MIN_SIZE);
        return RTAS_OUT_PARAM_ERROR;
    }
    /* More driver data than the log can hold is never read */
    drv_take = MIN(drv_len, out_max);
    if (drv_take && !guest_buf_ok(drv_addr, drv_take, false)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "spapr_eeh: PHB %u: ibm,slot-error-detail driver "
                      "buffer 0x%" PRIx64 "+%u is not in guest memory\n",
                      sphb->index, drv_addr, drv_len);
        return RTAS_OUT_PARAM_ERROR;
    }

    if (spapr_eeh_read_state(sphb, &state, &info) != RTAS_OUT_SUCCESS) {
        return RTAS_OUT_HW_ERROR;
    }
    if (!permanent && !spapr_eeh_state_stopped(state)) {
        /* LoPAR: no log for a PE that is available again */
        return RTAS_OUT_NO_ERRORS_FOUND;
    }

    if (drv_take) {
        drv = g_malloc(drv_take);
        if (address_space_read(&address_space_memory, drv_addr,
                               MEMTXATTRS_UNSPECIFIED, drv, drv_take)) {
            return RTAS_OUT_PARAM_ERROR;
        }
    }
    r = spapr_eeh_record_for_guest(sphb);
    if (r) {
        spapr_eeh_record_delivered(sphb, r);
        rec = r->rec;
        plid = r->plid;
        /* Host data the host does not let the guest see stays here */
        rec.raw_withheld = rec.raw_data && !r->raw_to_guest;
        if (rec.raw_withheld) {
            rec.raw_data = NULL;
            rec.raw_len = 0;
        }
    } else {
        /* Nothing was captured: a log that says when, and no more */
        plid = spapr_rtas_log_next_plid();
        rec.detect_time_ns = spapr_eeh_guest_time_ns();
        rec.time_src = SPAPR_EEH_SRC_QEMU;
        rec.valid = SPAPR_EEH_VALID_DETECT_TIME;
    }
    loc = spapr_phb_eeh_loc_code(sphb);
    log = g_malloc0(out_max);
    len = spapr_eeh_log_encode(&rec, drv, drv_take, permanent, plid, loc,
                               log, out_max);
    if (!len) {
        return RTAS_OUT_HW_ERROR;
    }
    if (address_space_write(&address_space_memory, ret_addr,
                            MEMTXATTRS_UNSPECIFIED, log, len)) {
        return RTAS_OUT_PARAM_ERROR;
    }
    trace_spapr_eeh_log(sphb->index, permanent, plid, len);
    return RTAS_OUT_SUCCESS;
}
