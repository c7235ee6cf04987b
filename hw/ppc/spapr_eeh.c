/*
 * sPAPR EEH: per-PE error state, capture and retention of error records
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_diag.h"
#include "hw/ppc/spapr_eeh_log.h"
#include "hw/vfio/vfio-eeh.h"
#include "hw/vfio/vfio-eeh-uapi.h"
#include "trace.h"

typedef struct SpaprEehCapture {
    SpaprEehErrorRecord rec;        /* rec.raw_data points into raw */
    uint8_t *raw;
    uint32_t plid;
    bool aer_pending;               /* AER was unreadable at capture */
    bool delivered;                 /* returned by ibm,slot-error-detail */
    bool released;                  /* LoPAR let it go before delivery */
} SpaprEehCapture;

struct SpaprEehPe {
    bool permanent;                 /* permanent log requested */
    bool stopped;                   /* a capture was made for this stop */
    uint32_t freeze_count;
    uint32_t plid_seq;
    uint32_t dropped;               /* records the guest never got */
    SpaprEehCapture *rec[SPAPR_EEH_MAX_RECORDS]; /* oldest first */
    unsigned nrec;
};

static SpaprEehPe *spapr_eeh_pe(SpaprPhbState *sphb)
{
    if (!sphb->eeh) {
        sphb->eeh = g_new0(SpaprEehPe, 1);
    }
    return sphb->eeh;
}

static void spapr_eeh_capture_free(SpaprEehCapture *c)
{
    g_free(c->raw);
    g_free(c);
}

static bool pe_state_stopped(int state)
{
    return state == RTAS_EEH_PE_STATE_STOPPED_IO_DMA ||
           state == RTAS_EEH_PE_STATE_STOPPED_DMA ||
           state == RTAS_EEH_PE_STATE_UNAVAIL;
}

static SpaprEehRawFormat raw_format(uint32_t host_format)
{
    switch (host_format) {
    case VFIO_EEH_ERROR_FORMAT_OPAL_PHB3:
        return SPAPR_EEH_RAW_PHB3;
    case VFIO_EEH_ERROR_FORMAT_OPAL_PHB4:
        return SPAPR_EEH_RAW_PHB4;
    case VFIO_EEH_ERROR_FORMAT_PAPR_RTAS:
        return SPAPR_EEH_RAW_RTAS;
    default:
        return SPAPR_EEH_RAW_NONE;
    }
}

/* Take the endpoint's AER registers into the record, then classify */
static void spapr_eeh_apply_aer(SpaprEehErrorRecord *rec,
                                const VFIOEehHostError *herr)
{
    if (herr->aer != VFIO_EEH_AER_VALID) {
        return;
    }
    rec->aer_ue_status = herr->aer_ue_status;
    rec->aer_ce_status = herr->aer_ce_status;
    rec->aer_ue_severity = herr->aer_ue_severity;
    memcpy(rec->aer_tlp_header, herr->aer_header,
           sizeof(rec->aer_tlp_header));
    rec->aer_src = SPAPR_EEH_SRC_AER_CONFIG;
    rec->valid |= SPAPR_EEH_VALID_AER_UE_STATUS |
                  SPAPR_EEH_VALID_AER_CE_STATUS |
                  SPAPR_EEH_VALID_AER_UE_SEVERITY |
                  SPAPR_EEH_VALID_AER_TLP_HEADER;
    if (rec->err_class == SPAPR_EEH_ERR_CLASS_UNKNOWN) {
        spapr_eeh_aer_interpret(rec);
    }
}

static uint64_t guest_time_ns(void)
{
    SpaprMachineState *spapr = SPAPR_MACHINE(qdev_get_machine());
    struct tm tm;
    uint32_t ns;

    spapr_rtc_read(&spapr->rtc, &tm, &ns);
    return (uint64_t)mktimegm(&tm) * NANOSECONDS_PER_SECOND + ns;
}

static void spapr_eeh_capture(SpaprPhbState *sphb, SpaprEehPe *pe,
                              int state)
{
    SpaprEehCapture *c = g_new0(SpaprEehCapture, 1);
    SpaprEehErrorRecord *rec = &c->rec;
    VFIOEehHostError herr = { 0 };

    pe->freeze_count++;
    c->plid = (sphb->index << 24) | (++pe->plid_seq & 0xffffff);
    rec->pe_state = state;
    rec->pe_state_src = SPAPR_EEH_SRC_QEMU;
    rec->freeze_count = pe->freeze_count;
    rec->detect_time_ns = guest_time_ns();
    rec->time_src = SPAPR_EEH_SRC_QEMU;
    rec->valid = SPAPR_EEH_VALID_PE_STATE | SPAPR_EEH_VALID_DETECT_TIME;

    spapr_phb_vfio_eeh_host_error(sphb, true, &herr);
    if (herr.host_log == VFIO_EEH_HOST_LOG_VALID) {
        rec->raw_format = raw_format(herr.format);
        c->raw = g_steal_pointer(&herr.data);
        rec->raw_data = c->raw;
        rec->raw_len = herr.data_len;
        rec->raw_orig_len = herr.data_orig_len;
        if (herr.data_len < herr.data_orig_len) {
            rec->trunc |= SPAPR_EEH_TRUNC_RAW_DATA;
        }
        spapr_eeh_diag_interpret(rec->raw_format, c->raw, herr.data_len,
                                 herr.pe_number, rec);
    }
    if (herr.mmio_fault) {
        rec->fault_addr = herr.mmio_guest_addr;
        rec->addr_kind = SPAPR_EEH_ADDR_GUEST_MMIO;
        rec->addr_src = SPAPR_EEH_SRC_HOST_DIAG;
        rec->valid |= SPAPR_EEH_VALID_FAULT_ADDR;
        if (rec->err_class == SPAPR_EEH_ERR_CLASS_UNKNOWN) {
            rec->err_class = SPAPR_EEH_ERR_CLASS_MMIO;
            rec->class_src = SPAPR_EEH_SRC_HOST_DIAG;
        }
    }
    spapr_eeh_apply_aer(rec, &herr);
    c->aer_pending = herr.aer == VFIO_EEH_AER_UNREADABLE;

    if (pe->nrec == SPAPR_EEH_MAX_RECORDS) {
        SpaprEehCapture *old = pe->rec[0];

        if (!old->delivered && !old->released) {
            pe->dropped++;
        }
        spapr_eeh_capture_free(old);
        memmove(&pe->rec[0], &pe->rec[1],
                (SPAPR_EEH_MAX_RECORDS - 1) * sizeof(pe->rec[0]));
        pe->nrec--;
    }
    pe->rec[pe->nrec++] = c;
    trace_spapr_eeh_capture(sphb->index, state, rec->freeze_count,
                            spapr_eeh_err_class_name(rec->err_class),
                            herr.host_log, herr.aer, pe->dropped);
    g_free(herr.data);
}

/* The newest record the guest has not got and may still get */
static SpaprEehCapture *spapr_eeh_pending(SpaprEehPe *pe)
{
    int i;

    for (i = pe->nrec - 1; i >= 0; i--) {
        if (!pe->rec[i]->delivered && !pe->rec[i]->released) {
            return pe->rec[i];
        }
    }
    return NULL;
}

/*
 * @c goes to the guest.  Older records it has not got are superseded:
 * they are counted as dropped in the log, and stay visible to management.
 */
static void spapr_eeh_deliver(SpaprEehPe *pe, SpaprEehCapture *c)
{
    int i;

    for (i = 0; i < pe->nrec && pe->rec[i] != c; i++) {
        if (!pe->rec[i]->delivered && !pe->rec[i]->released) {
            pe->rec[i]->released = true;
            pe->dropped++;
        }
    }
    c->delivered = true;
}

/* AER could not be read while the PE was stopped; it can be now */
static void spapr_eeh_refresh_aer(SpaprPhbState *sphb, SpaprEehPe *pe)
{
    SpaprEehCapture *c = spapr_eeh_pending(pe);
    VFIOEehHostError herr = { 0 };

    if (!c || !c->aer_pending) {
        return;
    }
    spapr_phb_vfio_eeh_host_error(sphb, false, &herr);
    spapr_eeh_apply_aer(&c->rec, &herr);
    c->aer_pending = herr.aer == VFIO_EEH_AER_UNREADABLE;
    trace_spapr_eeh_refresh_aer(sphb->index, herr.aer);
    g_free(herr.data);
}

static void spapr_eeh_note_state(SpaprPhbState *sphb, SpaprEehPe *pe,
                                 int state)
{
    if (!pe_state_stopped(state)) {
        pe->stopped = false;
        return;
    }
    if (!pe->stopped) {
        pe->stopped = true;
        spapr_eeh_capture(sphb, pe, state);
    } else if (state == RTAS_EEH_PE_STATE_STOPPED_DMA) {
        spapr_eeh_refresh_aer(sphb, pe);
    }
}

int spapr_eeh_read_state(SpaprPhbState *sphb, int *state, int *unavail_info)
{
    SpaprEehPe *pe = spapr_eeh_pe(sphb);
    int ret;

    if (pe->permanent) {
        *state = RTAS_EEH_PE_STATE_UNAVAIL;
        *unavail_info = 0;
        return RTAS_OUT_SUCCESS;
    }
    ret = spapr_phb_vfio_eeh_get_state(sphb, state);
    if (ret != RTAS_OUT_SUCCESS) {
        return ret;
    }
    *unavail_info = RTAS_EEH_PE_UNAVAIL_INFO;
    spapr_eeh_note_state(sphb, pe, *state);
    return RTAS_OUT_SUCCESS;
}

static void spapr_eeh_release(SpaprPhbState *sphb, const char *why)
{
    SpaprEehPe *pe = spapr_eeh_pe(sphb);
    unsigned n = 0;
    int i;

    for (i = 0; i < pe->nrec; i++) {
        if (!pe->rec[i]->delivered && !pe->rec[i]->released) {
            pe->rec[i]->released = true;
            n++;
        }
    }
    trace_spapr_eeh_release(sphb->index, why, n);
}

void spapr_eeh_reset_activated(SpaprPhbState *sphb)
{
    spapr_eeh_release(sphb, "reset");
}

void spapr_eeh_dma_released(SpaprPhbState *sphb)
{
    spapr_eeh_release(sphb, "dma-released");
}

bool spapr_eeh_is_permanent(SpaprPhbState *sphb)
{
    return sphb->eeh && sphb->eeh->permanent;
}

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
                                uint32_t ret_len, int function)
{
    SpaprEehPe *pe = spapr_eeh_pe(sphb);
    bool permanent = function == RTAS_SLOT_PERM_ERR_LOG;
    g_autofree uint8_t *drv = NULL;
    g_autofree uint8_t *log = NULL;
    g_autofree char *loc = NULL;
    SpaprEehCapture *c;
    size_t out_max, drv_take, len;
    int state = RTAS_EEH_PE_STATE_NORMAL, info;

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

    if (!pe->permanent) {
        int ret = spapr_eeh_read_state(sphb, &state, &info);

        if (ret != RTAS_OUT_SUCCESS) {
            return RTAS_OUT_HW_ERROR;
        }
    }
    if (!pe->permanent && !permanent && !pe_state_stopped(state)) {
        /* LoPAR: no log for a PE that is available again */
        return RTAS_OUT_NO_ERRORS_FOUND;
    }

    c = spapr_eeh_pending(pe);
    if (!c && pe->nrec) {
        /* Already returned once during this stop: return it again */
        c = pe->rec[pe->nrec - 1];
    }
    if (drv_take) {
        drv = g_malloc(drv_take);
        if (address_space_read(&address_space_memory, drv_addr,
                               MEMTXATTRS_UNSPECIFIED, drv, drv_take)) {
            return RTAS_OUT_PARAM_ERROR;
        }
    }
    loc = spapr_phb_eeh_loc_code(sphb);
    log = g_malloc0(out_max);
    if (c && !c->delivered) {
        spapr_eeh_deliver(pe, c);
        c->rec.dropped_records = pe->dropped;
    }
    len = spapr_eeh_log_encode(c ? &c->rec : NULL, drv, drv_take, permanent,
                               c ? c->plid : (sphb->index << 24), loc,
                               log, out_max);
    if (!len) {
        return RTAS_OUT_HW_ERROR;
    }
    if (address_space_write(&address_space_memory, ret_addr,
                            MEMTXATTRS_UNSPECIFIED, log, len)) {
        return RTAS_OUT_PARAM_ERROR;
    }
    if (permanent && !pe->permanent) {
        pe->permanent = true;
        trace_spapr_eeh_permanent(sphb->index);
    }
    trace_spapr_eeh_log(sphb->index, function, c ? c->plid : 0, len);
    return RTAS_OUT_SUCCESS;
}

void spapr_eeh_pe_reset(SpaprPhbState *sphb)
{
    SpaprEehPe *pe = sphb->eeh;
    int i;

    if (!pe) {
        return;
    }
    for (i = 0; i < pe->nrec; i++) {
        spapr_eeh_capture_free(pe->rec[i]);
    }
    memset(pe, 0, sizeof(*pe));
}

void spapr_eeh_pe_free(SpaprPhbState *sphb)
{
    spapr_eeh_pe_reset(sphb);
    g_free(sphb->eeh);
    sphb->eeh = NULL;
}
