/*
 * sPAPR EEH: per-PE error state, capture and retention of error records
 *
 * A PHB with passed-through devices forms one partitionable endpoint (PE)
 * for EEH.  When QEMU first sees the PE stopped or unavailable, it
 * captures an error record from what the host can tell (see
 * hw/vfio/vfio-eeh.h) and keeps it until the guest fetches it with
 * ibm,slot-error-detail or LoPAR lets it go (PE reset, DMA released,
 * device removed).  The last records stay available to management
 * (QMP query-vfio-eeh), and PE state changes are sent to it as VFIO_EEH
 * events.
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_H
#define HW_PPC_SPAPR_EEH_H

#include "hw/pci-host/spapr.h"

typedef struct SpaprEehPe SpaprEehPe;

/* Records kept per PE; older ones are dropped, and counted */
#define SPAPR_EEH_MAX_RECORDS       8

/*
 * ibm,read-slot-reset-state2 on @sphb: the PE state as the host reports
 * it, or 5 once the guest asked for a permanent error log.  Host state 5
 * is reported as temporary until it has lasted the PHB's
 * eeh-unavailable-timeout, then as permanent (@unavail_info 0).  Captures
 * an error record on the first stop.  Returns an RTAS status.
 */
int spapr_eeh_read_state(SpaprPhbState *sphb, int *state, int *unavail_info);

/* A reset was activated / DMA was released on the PE (LoPAR retention) */
void spapr_eeh_reset_activated(SpaprPhbState *sphb);
void spapr_eeh_dma_released(SpaprPhbState *sphb);

/* The guest asked for the permanent log: the PE stays unavailable */
bool spapr_eeh_is_permanent(SpaprPhbState *sphb);

/* ibm,slot-error-detail; returns an RTAS status */
int spapr_eeh_slot_error_detail(SpaprPhbState *sphb, uint64_t drv_addr,
                                uint32_t drv_len, uint64_t ret_addr,
                                uint32_t ret_len, int function);

/* Forget the PE's error state (machine reset, device removal) */
void spapr_eeh_pe_reset(SpaprPhbState *sphb);
void spapr_eeh_pe_free(SpaprPhbState *sphb);

#endif /* HW_PPC_SPAPR_EEH_H */
