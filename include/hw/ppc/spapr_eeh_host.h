/*
 * sPAPR EEH: the host's own error data in the error record
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_HOST_H
#define HW_PPC_SPAPR_EEH_HOST_H

#include "hw/ppc/spapr_eeh.h"

/* Adds the host kernel's error data of the PE (x-vfio-eeh-error) */
extern const SpaprEehSource spapr_eeh_host_source;

#endif /* HW_PPC_SPAPR_EEH_HOST_H */
