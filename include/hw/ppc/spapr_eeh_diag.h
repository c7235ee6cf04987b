/*
 * sPAPR EEH: interpret host EEH data into the error record
 *
 * The host describes a frozen PE in its own terms: on a PowerNV host the
 * OPAL PHB diag data (PHB3 or PHB4/PHB5 register snapshot, with the PE
 * state table), on a pseries host an RTAS error log.  The functions here
 * turn that data into the host-neutral fields of SpaprEehErrorRecord:
 * error class, faulting address, requester id and AER status.
 *
 * They are pure functions: no I/O, no global state.  Host data is not
 * trusted: every length, version and index in it is checked before use.
 * The rules are described in docs/specs/vfio-eeh-error-feature.rst.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_DIAG_H
#define HW_PPC_SPAPR_EEH_DIAG_H

#include "hw/ppc/spapr_eeh_log.h"

/* Sizes of the OPAL diag data structures (OpalIoPhb3/4ErrorData) */
#define SPAPR_EEH_DIAG_PHB3_SIZE        4392
#define SPAPR_EEH_DIAG_PHB4_SIZE        8576

/* Entries of the PE state table (PEST) in each structure */
#define SPAPR_EEH_DIAG_PHB3_NUM_PES     256
#define SPAPR_EEH_DIAG_PHB4_NUM_PES     512

/**
 * spapr_eeh_diag_interpret:
 * @fmt: format of @data: SPAPR_EEH_RAW_PHB3, _PHB4 or _RTAS
 * @data: the host data; may be NULL when @len is 0
 * @len: bytes in @data
 * @pe_number: the host's number of the frozen PE (its PEST index)
 * @rec: the record to fill
 *
 * For PHB3 and PHB4 diag data, check the OPAL common header (version 1,
 * ioType 2 for PHB3 or 3 for PHB4, length within @len and covering every
 * field read) and @pe_number, then classify the error from the PE's PEST
 * entry and the PHB root port's registers:
 *
 * - DMA_IOMMU: PEST-A transaction type DMA write or read with a TCE page
 *   or access fault, a DMA response timeout or an invalid AIB size.  The
 *   PEST-B failing address is a PCI bus address, which with sPAPR TCE
 *   tables is the IOVA the guest programmed: it is stored as
 *   SPAPR_EEH_ADDR_GUEST_IOVA.
 * - CONFIG: PEST-A config read or config write.
 * - MMIO: PEST-A MMIO cause, completer abort or unsupported request with
 *   transaction type MMIO load or store.  The failing address is then a
 *   host address and is not stored: the caller translates it.
 * - LINK_DOWN: root port data link layer link not active, slot data link
 *   layer or presence detect changed, or root port AER surprise down or
 *   data link protocol error.
 * - PCIE_UE: any other root port AER uncorrectable error, an ERR_FATAL or
 *   ERR_NONFATAL message received by the root port, or a PCIe fatal,
 *   non-fatal or parity error in PEST-A.
 * - otherwise the class is left as it was (UNKNOWN in a fresh record).
 *
 * The requester id comes from PEST-A when the PE's entry is active, else
 * for PCIE_UE from the root port's error source id.  It is in the host's
 * bus numbering: the caller must map it to the guest's, or clear
 * SPAPR_EEH_VALID_REQUESTER_ID.  The AER status and TLP header are the
 * root port's, tagged SPAPR_EEH_SRC_HOST_DIAG; they are not stored when
 * @rec already holds AER registers read from the endpoint
 * (SPAPR_EEH_SRC_AER_CONFIG).  Registers that read as all-ones are
 * treated as not read.  Only the fields listed are written, with their
 * valid bits and source tags.
 *
 * RTAS logs of a pseries host (SPAPR_EEH_RAW_RTAS) are not classified:
 * PowerVM describes the error with IBM SRCs and FRU call-outs whose
 * mapping to the classes is not public.  The function returns false for
 * them; spapr_eeh_diag_rtas_log_valid() checks one before it is
 * forwarded to the guest.
 *
 * Returns: true if @rec was updated; false, with @rec untouched, when the
 * data is not usable.
 */
bool spapr_eeh_diag_interpret(SpaprEehRawFormat fmt, const uint8_t *data,
                              size_t len, uint32_t pe_number,
                              SpaprEehErrorRecord *rec);

/**
 * spapr_eeh_diag_rtas_log_valid:
 * @data: an RTAS error log of a pseries host
 * @len: bytes in @data
 *
 * Check the fixed part (version 6, extended log present, extended length
 * within @len), the version 6 extended header (valid, log format 14,
 * company "IBM") and that the first two sections are a Private Header of
 * at least 48 bytes and a User Header of at least 24 bytes within the log.
 *
 * Returns: true if @data looks like a version 6 platform event log.
 */
bool spapr_eeh_diag_rtas_log_valid(const uint8_t *data, size_t len);

#endif /* HW_PPC_SPAPR_EEH_DIAG_H */
