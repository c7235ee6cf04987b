/*
 * sPAPR EEH: guest error injection (ibm,open-errinjct, ibm,errinjct,
 * ibm,close-errinjct)
 *
 * LoPAR makes the error injection facility part of the EEH option: a
 * guest may inject an "IOA bus error" into a PE it owns, to test its own
 * recovery.  QEMU checks the request and passes it to the host kernel
 * (VFIO_EEH_PE_INJECT_ERR) for the PE of a VFIO device, at the host's
 * addresses.  One session per machine, opened and closed by the guest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_ERRINJCT_H
#define HW_PPC_SPAPR_EEH_ERRINJCT_H

#include "hw/ppc/spapr.h"
#include "migration/vmstate.h"

/* The work buffer of ibm,errinjct: its size and alignment */
#define SPAPR_ERRINJCT_BUF_SIZE         1024

/* Defaults of the PHB properties errinjct-limit and errinjct-window */
#define SPAPR_ERRINJCT_DEFAULT_LIMIT    64
#define SPAPR_ERRINJCT_DEFAULT_WINDOW   60

/* Register the RTAS calls, when the machine has error injection on */
void spapr_errinjct_init(SpaprMachineState *spapr);

/* /rtas/ibm,errinjct-tokens, when the machine has error injection on */
void spapr_dt_errinjct(SpaprMachineState *spapr, void *fdt, int rtas);

/* Machine reset closes the session */
void spapr_errinjct_reset(SpaprMachineState *spapr);

/* The open session, which migrates when there is one */
extern const VMStateDescription vmstate_spapr_errinjct;

#endif /* HW_PPC_SPAPR_EEH_ERRINJCT_H */
