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
#include "qemu/timer.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/pci/pci_device.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_diag.h"
#include "hw/ppc/spapr_eeh_log.h"
#include "hw/vfio/vfio-eeh.h"
#include "hw/vfio/vfio-eeh-uapi.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-vfio.h"
#include "qapi/qapi-events-vfio.h"
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
    bool unavail;                   /* the host reports the PE unavailable */
    bool unavail_expired;           /* ... for longer than the timeout */
    int64_t unavail_since;          /* virtual clock ms, when first seen */
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

/* QMP: the event and the query */

QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_UNKNOWN !=
                  SPAPR_EEH_ERR_CLASS_UNKNOWN);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_DMA_IOMMU !=
                  SPAPR_EEH_ERR_CLASS_DMA_IOMMU);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_MMIO != SPAPR_EEH_ERR_CLASS_MMIO);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_LINK_DOWN !=
                  SPAPR_EEH_ERR_CLASS_LINK_DOWN);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_PCIE_UE !=
                  SPAPR_EEH_ERR_CLASS_PCIE_UE);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS_CONFIG !=
                  SPAPR_EEH_ERR_CLASS_CONFIG);
QEMU_BUILD_BUG_ON((int)VFIO_EEH_ERROR_CLASS__MAX !=
                  SPAPR_EEH_ERR_CLASS__MAX);

static VfioEehErrorClass qapi_err_class(SpaprEehErrorClass c)
{
    return c < SPAPR_EEH_ERR_CLASS__MAX ? (VfioEehErrorClass)c :
                                          VFIO_EEH_ERROR_CLASS_UNKNOWN;
}

/* The QAPI address kind of @rec's fault address, or false if unknown */
static bool qapi_addr_kind(const SpaprEehErrorRecord *rec,
                           VfioEehAddressKind *kind)
{
    switch (rec->addr_kind) {
    case SPAPR_EEH_ADDR_GUEST_IOVA:
        *kind = VFIO_EEH_ADDRESS_KIND_GUEST_IOVA;
        return true;
    case SPAPR_EEH_ADDR_GUEST_MMIO:
        *kind = VFIO_EEH_ADDRESS_KIND_GUEST_MMIO;
        return true;
    default:
        return false;
    }
}

static VfioEehHostDataFormat qapi_host_format(SpaprEehRawFormat f)
{
    switch (f) {
    case SPAPR_EEH_RAW_PHB3:
        return VFIO_EEH_HOST_DATA_FORMAT_PHB3;
    case SPAPR_EEH_RAW_PHB4:
        return VFIO_EEH_HOST_DATA_FORMAT_PHB4;
    case SPAPR_EEH_RAW_RTAS:
        return VFIO_EEH_HOST_DATA_FORMAT_RTAS;
    default:
        return VFIO_EEH_HOST_DATA_FORMAT_NONE;
    }
}

/* The members the QMP event's summary and query's record share */
static void spapr_eeh_fill_base(VfioEehErrorBase *b,
                                const SpaprEehErrorRecord *rec)
{
    b->q_class = qapi_err_class(rec->err_class);
    b->freeze_count = rec->freeze_count;
    if (rec->valid & SPAPR_EEH_VALID_FAULT_ADDR) {
        b->has_fault_address = true;
        b->fault_address = rec->fault_addr;
        b->has_address_kind = qapi_addr_kind(rec, &b->address_kind);
    }
    if (rec->valid & SPAPR_EEH_VALID_REQUESTER_ID) {
        b->has_requester_id = true;
        b->requester_id = rec->requester_id;
    }
    if (rec->valid & SPAPR_EEH_VALID_AER_UE_STATUS) {
        b->has_aer_ue_status = true;
        b->aer_ue_status = rec->aer_ue_status;
    }
    if (rec->valid & SPAPR_EEH_VALID_AER_CE_STATUS) {
        b->has_aer_ce_status = true;
        b->aer_ce_status = rec->aer_ce_status;
    }
}

static VfioEehErrorSummary *spapr_eeh_summary(SpaprEehPe *pe,
                                              const SpaprEehErrorRecord *rec)
{
    VfioEehErrorSummary *s = g_new0(VfioEehErrorSummary, 1);

    spapr_eeh_fill_base(qapi_VfioEehErrorSummary_base(s), rec);
    s->dropped = pe->dropped;
    return s;
}

/*
 * Tell management about @kind on @sphb's PE.  The event names the PE's
 * first VFIO device: QMP rate-limits it per device (monitor.c).
 */
static void spapr_eeh_send_event(SpaprPhbState *sphb, SpaprEehPe *pe,
                                 VfioEehEventKind kind,
                                 const SpaprEehErrorRecord *rec)
{
    g_autoptr(VfioEehErrorSummary) summary = NULL;
    g_autofree char *qom_path = NULL;
    g_autofree char *phb_path = NULL;
    PCIDevice *first = spapr_phb_eeh_first_dev(sphb);

    if (!first) {
        return;
    }
    qom_path = object_get_canonical_path(OBJECT(first));
    phb_path = object_get_canonical_path(OBJECT(sphb));
    if (rec) {
        summary = spapr_eeh_summary(pe, rec);
    }
    trace_spapr_eeh_event(sphb->index, VfioEehEventKind_str(kind), qom_path);
    qapi_event_send_vfio_eeh(DEVICE(first)->id, qom_path, phb_path, kind,
                             summary);
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
    if (rec->valid & SPAPR_EEH_VALID_REQUESTER_ID) {
        uint16_t rid;

        if (spapr_phb_vfio_eeh_guest_rid(sphb, rec->requester_id, &rid)) {
            rec->requester_id = rid;
        } else {
            /* A host bus number means nothing to the guest */
            rec->requester_id = 0;
            rec->valid &= ~SPAPR_EEH_VALID_REQUESTER_ID;
            rec->rid_src = SPAPR_EEH_SRC_UNAVAILABLE;
        }
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
    spapr_eeh_send_event(sphb, pe, VFIO_EEH_EVENT_KIND_FROZEN, rec);
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
        if (pe->stopped) {
            pe->stopped = false;
            spapr_eeh_send_event(sphb, pe, VFIO_EEH_EVENT_KIND_RECOVERED,
                                 NULL);
        }
        return;
    }
    if (!pe->stopped) {
        pe->stopped = true;
        spapr_eeh_capture(sphb, pe, state);
    } else if (state == RTAS_EEH_PE_STATE_STOPPED_DMA) {
        spapr_eeh_refresh_aer(sphb, pe);
    }
}

/*
 * The host kernel answers "unavailable" both for a PE that will not come
 * back and for one whose parent PE it is recovering itself; VFIO does not
 * tell the two apart.  Report it as temporary (retry in a second) until it
 * has lasted eeh-unavailable-timeout seconds of guest time, then as
 * permanent (PE Unavailable Info 0), so that the guest gives up at once
 * instead of waiting out its own limit twice.  0 disables the rule.
 */
static int spapr_eeh_unavail_info(SpaprPhbState *sphb, SpaprEehPe *pe,
                                  int state)
{
    int64_t now, limit;

    if (state != RTAS_EEH_PE_STATE_UNAVAIL) {
        pe->unavail = false;
        pe->unavail_expired = false;
        return RTAS_EEH_PE_UNAVAIL_INFO;
    }
    now = qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL);
    if (!pe->unavail) {
        pe->unavail = true;
        pe->unavail_since = now;
    }
    limit = (int64_t)sphb->eeh_unavail_timeout * 1000;
    if (!limit || now - pe->unavail_since < limit) {
        return RTAS_EEH_PE_UNAVAIL_INFO;
    }
    if (!pe->unavail_expired) {
        pe->unavail_expired = true;
        trace_spapr_eeh_unavail_timeout(sphb->index, now - pe->unavail_since);
    }
    return 0;
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
    *unavail_info = spapr_eeh_unavail_info(sphb, pe, *state);
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
        spapr_eeh_send_event(sphb, pe, VFIO_EEH_EVENT_KIND_PERMANENT,
                             c ? &c->rec : NULL);
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

static int spapr_eeh_collect_phb(Object *obj, void *opaque)
{
    GSList **list = opaque;
    SpaprPhbState *sphb = (SpaprPhbState *)
        object_dynamic_cast(obj, TYPE_SPAPR_PCI_HOST_BRIDGE);

    if (sphb && (sphb->eeh || spapr_phb_eeh_available(sphb))) {
        *list = g_slist_prepend(*list, sphb);
    }
    return 0;
}

static gint spapr_eeh_phb_cmp(gconstpointer a, gconstpointer b)
{
    const SpaprPhbState *pa = a, *pb = b;

    return pa->index < pb->index ? -1 : pa->index > pb->index;
}

static char *hex_string(const uint8_t *data, size_t len)
{
    char *hex = g_malloc(len * 2 + 1);
    size_t i;

    for (i = 0; i < len; i++) {
        snprintf(hex + i * 2, 3, "%02x", data[i]);
    }
    hex[len * 2] = '\0';
    return hex;
}

static VfioEehErrorRecord *spapr_eeh_qapi_record(const SpaprEehCapture *c)
{
    const SpaprEehErrorRecord *rec = &c->rec;
    VfioEehErrorRecord *r = g_new0(VfioEehErrorRecord, 1);
    int i;

    spapr_eeh_fill_base(qapi_VfioEehErrorRecord_base(r), rec);
    r->plid = c->plid;
    r->pe_state = rec->pe_state;
    if (rec->valid & SPAPR_EEH_VALID_AER_UE_SEVERITY) {
        r->has_aer_ue_severity = true;
        r->aer_ue_severity = rec->aer_ue_severity;
    }
    if (rec->valid & SPAPR_EEH_VALID_AER_TLP_HEADER) {
        r->has_aer_header_log = true;
        for (i = ARRAY_SIZE(rec->aer_tlp_header) - 1; i >= 0; i--) {
            QAPI_LIST_PREPEND(r->aer_header_log, rec->aer_tlp_header[i]);
        }
    }
    r->detect_time_ns = rec->detect_time_ns;
    r->host_data_format = qapi_host_format(rec->raw_format);
    r->host_data_length = rec->raw_orig_len ? rec->raw_orig_len :
                                              rec->raw_len;
    if (rec->raw_data && rec->raw_len) {
        r->host_data = hex_string(rec->raw_data, rec->raw_len);
    }
    r->delivered = c->delivered;
    r->released = c->released;
    return r;
}

VfioEehPeInfoList *qmp_query_vfio_eeh(Error **errp)
{
    VfioEehPeInfoList *head = NULL, **tail = &head;
    GSList *phbs = NULL, *l;

    if (!object_dynamic_cast(qdev_get_machine(), TYPE_SPAPR_MACHINE)) {
        error_setg(errp, "EEH is not supported by this machine");
        return NULL;
    }
    object_child_foreach_recursive(qdev_get_machine(),
                                   spapr_eeh_collect_phb, &phbs);
    phbs = g_slist_sort(phbs, spapr_eeh_phb_cmp);
    for (l = phbs; l; l = l->next) {
        SpaprPhbState *sphb = l->data;
        SpaprEehPe *pe = sphb->eeh;
        VfioEehPeInfo *info = g_new0(VfioEehPeInfo, 1);
        VfioEehErrorRecordList **rtail = &info->records;
        unsigned i;

        info->phb = object_get_canonical_path(OBJECT(sphb));
        if (pe) {
            info->permanent = pe->permanent;
            info->freeze_count = pe->freeze_count;
            info->dropped = pe->dropped;
            for (i = 0; i < pe->nrec; i++) {
                QAPI_LIST_APPEND(rtail, spapr_eeh_qapi_record(pe->rec[i]));
            }
        }
        QAPI_LIST_APPEND(tail, info);
    }
    g_slist_free(phbs);
    return head;
}
