/*
 * sPAPR EEH: the error state of a partitionable endpoint (PE)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "migration/blocker.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "hw/vfio/vfio-eeh.h"
#include "trace.h"

static NotifierList spapr_eeh_notifiers =
    NOTIFIER_LIST_INITIALIZER(spapr_eeh_notifiers);

void spapr_eeh_add_notifier(Notifier *n)
{
    notifier_list_add(&spapr_eeh_notifiers, n);
}

static SpaprEehPe *spapr_eeh_pe(SpaprPhbState *sphb)
{
    if (!sphb->eeh) {
        sphb->eeh = g_new0(SpaprEehPe, 1);
        sphb->eeh->sources = g_ptr_array_new();
    }
    return sphb->eeh;
}

SpaprEehPe *spapr_eeh_pe_get(SpaprPhbState *sphb)
{
    return sphb->eeh;
}

void spapr_eeh_add_source(SpaprPhbState *sphb, const SpaprEehSource *src)
{
    g_ptr_array_add(spapr_eeh_pe(sphb)->sources, (gpointer)src);
}

static void spapr_eeh_notify(SpaprPhbState *sphb, SpaprEehEventKind kind,
                             const SpaprEehRecord *r)
{
    SpaprEehEvent ev = { .sphb = sphb, .kind = kind, .rec = r };

    trace_spapr_eeh_event(sphb->index, kind);
    notifier_list_notify(&spapr_eeh_notifiers, &ev);
}

static void spapr_eeh_record_free(SpaprEehRecord *r)
{
    g_free(r->raw);
    g_free(r);
}

static bool record_pending(const SpaprEehRecord *r)
{
    return !r->delivered && !r->retired;
}

/* The newest record the guest has not got and may still get */
static SpaprEehRecord *spapr_eeh_pending(SpaprEehPe *pe)
{
    int i;

    for (i = pe->nrec - 1; i >= 0; i--) {
        if (record_pending(pe->rec[i])) {
            return pe->rec[i];
        }
    }
    return NULL;
}

/*
 * The state of a PE that the guest relies on and that migration would
 * lose: a permanently unavailable PE would come back, and a stop whose
 * record the guest has not fetched would lose the record.  VFIO devices
 * rarely migrate at all, so rather than migrating host error data that
 * means nothing on the destination, migration waits until this is over.
 */
static void spapr_eeh_update_blocker(SpaprPhbState *sphb, SpaprEehPe *pe)
{
    bool block = pe->permanent || pe->stopped || spapr_eeh_pending(pe);
    Error *local_err = NULL;

    if (block && !pe->migration_blocker) {
        error_setg(&pe->migration_blocker,
                   "PE of PHB %u holds EEH error state (%s)", sphb->index,
                   pe->permanent ? "permanently unavailable" :
                   "stopped, error log not fetched by the guest");
        if (migrate_add_blocker(&pe->migration_blocker, &local_err) < 0) {
            /* pe->migration_blocker is NULL again */
            warn_report_err(local_err);
        }
    } else if (!block && pe->migration_blocker) {
        migrate_del_blocker(&pe->migration_blocker);
    }
}

/* Take the endpoint's AER registers into the record */
static void spapr_eeh_apply_aer(SpaprEehRecord *r, const VFIOEehAer *aer)
{
    SpaprEehErrorRecord *rec = &r->rec;

    r->aer_pending = aer->state == VFIO_EEH_AER_UNREADABLE;
    if (aer->state != VFIO_EEH_AER_VALID) {
        return;
    }
    rec->aer_ue_status = aer->ue_status;
    rec->aer_ce_status = aer->ce_status;
    rec->aer_ue_severity = aer->ue_severity;
    memcpy(rec->aer_tlp_header, aer->header, sizeof(rec->aer_tlp_header));
    rec->aer_src = SPAPR_EEH_SRC_AER_CONFIG;
    rec->valid |= SPAPR_EEH_VALID_AER_UE_STATUS |
                  SPAPR_EEH_VALID_AER_CE_STATUS |
                  SPAPR_EEH_VALID_AER_UE_SEVERITY |
                  SPAPR_EEH_VALID_AER_TLP_HEADER;
    spapr_eeh_aer_interpret(rec);
}

uint64_t spapr_eeh_guest_time_ns(void)
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
    SpaprEehRecord *r = g_new0(SpaprEehRecord, 1);
    SpaprEehErrorRecord *rec = &r->rec;
    VFIOEehAer aer = { 0 };
    guint i;

    pe->freeze_count++;
    r->plid = spapr_rtas_log_next_plid();
    rec->pe_state = state;
    rec->pe_state_src = SPAPR_EEH_SRC_QEMU;
    rec->freeze_count = pe->freeze_count;
    rec->detect_time_ns = spapr_eeh_guest_time_ns();
    rec->time_src = SPAPR_EEH_SRC_QEMU;
    rec->valid = SPAPR_EEH_VALID_PE_STATE | SPAPR_EEH_VALID_DETECT_TIME;

    for (i = 0; i < pe->sources->len; i++) {
        const SpaprEehSource *src = g_ptr_array_index(pe->sources, i);

        src->collect(sphb, r);
    }
    spapr_phb_vfio_eeh_read_aer(sphb, &aer);
    spapr_eeh_apply_aer(r, &aer);

    if (pe->nrec == SPAPR_EEH_MAX_RECORDS) {
        SpaprEehRecord *old = pe->rec[0];

        if (record_pending(old)) {
            pe->dropped++;
        }
        spapr_eeh_record_free(old);
        memmove(&pe->rec[0], &pe->rec[1],
                (SPAPR_EEH_MAX_RECORDS - 1) * sizeof(pe->rec[0]));
        pe->nrec--;
    }
    pe->rec[pe->nrec++] = r;
    trace_spapr_eeh_capture(sphb->index, state, rec->freeze_count,
                            spapr_eeh_err_class_name(rec->err_class),
                            aer.state, pe->dropped, r->plid);
}

/* AER could not be read while the PE was stopped; it can be now */
static void spapr_eeh_refresh_aer(SpaprPhbState *sphb, SpaprEehPe *pe)
{
    SpaprEehRecord *r = spapr_eeh_pending(pe);
    VFIOEehAer aer = { 0 };

    if (!r || !r->aer_pending) {
        return;
    }
    spapr_phb_vfio_eeh_read_aer(sphb, &aer);
    spapr_eeh_apply_aer(r, &aer);
    trace_spapr_eeh_refresh_aer(sphb->index, aer.state);
}

static void spapr_eeh_note_state(SpaprPhbState *sphb, SpaprEehPe *pe,
                                 int state)
{
    if (state == RTAS_EEH_PE_STATE_NORMAL) {
        if (pe->stopped) {
            pe->stopped = false;
            spapr_eeh_notify(sphb, SPAPR_EEH_EVENT_RECOVERED, NULL);
        }
    } else if (spapr_eeh_state_stopped(state)) {
        if (!pe->stopped) {
            pe->stopped = true;
            spapr_eeh_capture(sphb, pe, state);
            spapr_eeh_notify(sphb, SPAPR_EEH_EVENT_FROZEN,
                             pe->rec[pe->nrec - 1]);
        } else if (state == RTAS_EEH_PE_STATE_STOPPED_DMA) {
            spapr_eeh_refresh_aer(sphb, pe);
        }
    }
    /* State 1 (reset active) ends nothing and starts nothing */
    spapr_eeh_update_blocker(sphb, pe);
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
    SpaprEehPe *pe = sphb->eeh;
    unsigned i, n = 0;

    if (!pe) {
        return;
    }
    for (i = 0; i < pe->nrec; i++) {
        if (record_pending(pe->rec[i])) {
            n++;
        }
        pe->rec[i]->retired = true;
    }
    trace_spapr_eeh_release(sphb->index, why, n);
    spapr_eeh_update_blocker(sphb, pe);
}

void spapr_eeh_reset_activated(SpaprPhbState *sphb)
{
    spapr_eeh_release(sphb, "reset");
}

void spapr_eeh_dma_released(SpaprPhbState *sphb)
{
    spapr_eeh_release(sphb, "dma-released");
}

SpaprEehRecord *spapr_eeh_record_for_guest(SpaprPhbState *sphb)
{
    SpaprEehPe *pe = sphb->eeh;
    int i;

    if (!pe) {
        return NULL;
    }
    for (i = pe->nrec - 1; i >= 0; i--) {
        SpaprEehRecord *r = pe->rec[i];

        /* Pending, or already given during this stop: give it again */
        if (!r->retired) {
            return r;
        }
    }
    return NULL;
}

void spapr_eeh_record_delivered(SpaprPhbState *sphb, SpaprEehRecord *r)
{
    SpaprEehPe *pe = spapr_eeh_pe(sphb);
    unsigned i;

    if (r->delivered) {
        return;
    }
    /*
     * Older records the guest has not got are superseded: they count as
     * dropped in the log, and stay visible to management.
     */
    for (i = 0; i < pe->nrec && pe->rec[i] != r; i++) {
        if (record_pending(pe->rec[i])) {
            pe->rec[i]->retired = true;
            pe->dropped++;
        }
    }
    r->delivered = true;
    r->rec.dropped_records = pe->dropped;
    spapr_eeh_update_blocker(sphb, pe);
}

void spapr_eeh_set_permanent(SpaprPhbState *sphb)
{
    SpaprEehPe *pe = spapr_eeh_pe(sphb);

    if (pe->permanent) {
        return;
    }
    pe->permanent = true;
    trace_spapr_eeh_permanent(sphb->index);
    spapr_eeh_notify(sphb, SPAPR_EEH_EVENT_PERMANENT,
                     pe->nrec ? pe->rec[pe->nrec - 1] : NULL);
    spapr_eeh_update_blocker(sphb, pe);
}

bool spapr_eeh_is_permanent(SpaprPhbState *sphb)
{
    return sphb->eeh && sphb->eeh->permanent;
}

void spapr_eeh_pe_reset(SpaprPhbState *sphb)
{
    SpaprEehPe *pe = sphb->eeh;
    unsigned i;

    if (!pe) {
        return;
    }
    for (i = 0; i < pe->nrec; i++) {
        spapr_eeh_record_free(pe->rec[i]);
        pe->rec[i] = NULL;
    }
    pe->nrec = 0;
    pe->permanent = false;
    pe->stopped = false;
    pe->freeze_count = 0;
    pe->dropped = 0;
    spapr_eeh_update_blocker(sphb, pe);
}

void spapr_eeh_pe_free(SpaprPhbState *sphb)
{
    spapr_eeh_pe_reset(sphb);
    if (sphb->eeh) {
        g_ptr_array_free(sphb->eeh->sources, true);
        g_free(sphb->eeh);
        sphb->eeh = NULL;
    }
}
