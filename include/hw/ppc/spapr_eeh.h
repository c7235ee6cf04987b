/*
 * sPAPR EEH: the error state of a partitionable endpoint (PE)
 *
 * A PHB whose devices are passed through with VFIO forms one
 * partitionable endpoint (PE) for EEH.  When QEMU first sees the PE
 * stopped or unavailable, it captures an error record from what the host
 * can tell: the AER registers of the PE's devices, and what further
 * sources (spapr_eeh_add_source()) add.  The PE is never unfrozen just to
 * look.  A record is kept until the guest fetches it with
 * ibm,slot-error-detail or LoPAR lets it go (reset activated, DMA
 * released), and the last SPAPR_EEH_MAX_RECORDS stay visible to
 * management.  A record the guest never got is counted, never lost
 * silently.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_H
#define HW_PPC_SPAPR_EEH_H

#include "qemu/notify.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh_log.h"

/* Records kept per PE; older ones are dropped, and counted */
#define SPAPR_EEH_MAX_RECORDS       8

typedef struct SpaprEehRecord {
    SpaprEehErrorRecord rec;        /* rec.raw_data points into raw */
    uint8_t *raw;                   /* g_malloc'ed host data, or NULL */
    bool raw_to_guest;              /* the host lets the guest see raw */
    uint32_t plid;
    bool aer_pending;               /* AER was unreadable at capture */
    bool delivered;                 /* returned by ibm,slot-error-detail */
    bool retired;                   /* LoPAR let it go: never returned again */
} SpaprEehRecord;

/*
 * A source of error data beyond the AER registers.  collect() fills what
 * it knows into the record of a stop, with a source tag on each field.
 * Sources run in the order they were added, before the AER registers
 * are read, so that the more specific data classifies the error first.
 */
typedef struct SpaprEehSource {
    const char *name;
    void (*collect)(SpaprPhbState *sphb, SpaprEehRecord *r);
} SpaprEehSource;

typedef struct SpaprEehPe {
    bool permanent;                 /* the guest asked for the permanent log */
    bool stopped;                   /* a record was captured for this stop */
    uint32_t freeze_count;          /* stops seen since machine reset */
    uint32_t dropped;               /* records the guest never got */
    SpaprEehRecord *rec[SPAPR_EEH_MAX_RECORDS]; /* oldest first */
    unsigned nrec;
    GPtrArray *sources;             /* const SpaprEehSource * */
    Error *migration_blocker;
} SpaprEehPe;

/* What happened to a PE, for spapr_eeh_add_notifier() */
typedef enum SpaprEehEventKind {
    SPAPR_EEH_EVENT_FROZEN,         /* found stopped, record captured */
    SPAPR_EEH_EVENT_RECOVERED,      /* available again after a stop */
    SPAPR_EEH_EVENT_PERMANENT,      /* made permanently unavailable */
} SpaprEehEventKind;

typedef struct SpaprEehEvent {
    SpaprPhbState *sphb;
    SpaprEehEventKind kind;
    const SpaprEehRecord *rec;      /* the stop's record, or NULL */
} SpaprEehEvent;

/* A PE state of ibm,read-slot-reset-state2 in which errors are kept */
static inline bool spapr_eeh_state_stopped(int state)
{
    return state == RTAS_EEH_PE_STATE_STOPPED_IO_DMA ||
           state == RTAS_EEH_PE_STATE_STOPPED_DMA ||
           state == RTAS_EEH_PE_STATE_UNAVAIL;
}

/* The guest's real-time clock, in ns since 1970 UTC, for error records */
uint64_t spapr_eeh_guest_time_ns(void);

/* @n is called with a SpaprEehEvent for every PE of the machine */
void spapr_eeh_add_notifier(Notifier *n);

/* @sphb's error state, or NULL if it never had any */
SpaprEehPe *spapr_eeh_pe_get(SpaprPhbState *sphb);

/* Run @src at every capture on @sphb's PE */
void spapr_eeh_add_source(SpaprPhbState *sphb, const SpaprEehSource *src);

/*
 * ibm,read-slot-reset-state2 on @sphb: the PE state the host reports, or
 * 5 with @unavail_info 0 once the PE is permanently unavailable.
 * Captures a record when it first sees the PE stopped or unavailable, and
 * completes it with the AER registers once the guest thawed MMIO.
 * Returns an RTAS status.
 */
int spapr_eeh_read_state(SpaprPhbState *sphb, int *state, int *unavail_info);

/* LoPAR retention: a reset was activated, DMA was released on the PE */
void spapr_eeh_reset_activated(SpaprPhbState *sphb);
void spapr_eeh_dma_released(SpaprPhbState *sphb);

/*
 * The record ibm,slot-error-detail returns: the newest one the guest has
 * not got, else the one it already got during this stop, else NULL.  The
 * caller marks it delivered with spapr_eeh_record_delivered().
 */
SpaprEehRecord *spapr_eeh_record_for_guest(SpaprPhbState *sphb);
void spapr_eeh_record_delivered(SpaprPhbState *sphb, SpaprEehRecord *r);

/* The PE stays unavailable until machine reset or device removal */
void spapr_eeh_set_permanent(SpaprPhbState *sphb);
bool spapr_eeh_is_permanent(SpaprPhbState *sphb);

/* Forget the PE's error state (machine reset, last device removed) */
void spapr_eeh_pe_reset(SpaprPhbState *sphb);
void spapr_eeh_pe_free(SpaprPhbState *sphb);

#endif /* HW_PPC_SPAPR_EEH_H */
