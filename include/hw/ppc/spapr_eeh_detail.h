/*
 * sPAPR EEH: ibm,slot-error-detail, the error log the guest gets
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_DETAIL_H
#define HW_PPC_SPAPR_EEH_DETAIL_H

#include "hw/pci-host/spapr.h"

/*
 * ibm,slot-error-detail on @sphb's PE: check the guest's buffers, then,
 * if the PE is stopped or unavailable or @permanent (function 2) was
 * asked, write the error log of its record within min(@ret_len,
 * RTAS_ERROR_LOG_MAX) bytes at @ret_addr, with at most that much of the
 * driver's buffer at @drv_addr as its last section.  Returns an RTAS
 * status: 0 with a log, 1 without, -1 or -3 on errors.
 */
int spapr_eeh_slot_error_detail(SpaprPhbState *sphb, uint64_t drv_addr,
                                uint32_t drv_len, uint64_t ret_addr,
                                uint32_t ret_len, bool permanent);

#endif /* HW_PPC_SPAPR_EEH_DETAIL_H */
