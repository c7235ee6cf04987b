/*
 * sPAPR EEH: the VFIO_EEH event and query-vfio-eeh
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_QMP_H
#define HW_PPC_SPAPR_EEH_QMP_H

/* Send VFIO_EEH events for the PEs of the machine; once is enough */
void spapr_eeh_qmp_init(void);

#endif /* HW_PPC_SPAPR_EEH_QMP_H */
