/*
 * sPAPR EEH: the host's own error data in the error record
 *
 * With the PHB property x-vfio-eeh-error, QEMU asks the host kernel for
 * the error data it captured when it found the PE frozen (a proposed
 * VFIO device feature), interprets it into the record's class, address
 * and requester, and keeps it whole for management.  The guest's log
 * carries it only when the host opts in with eeh-host-data-to-guest: it
 * holds host addresses, host bus numbers and PHB register values.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_diag.h"
#include "hw/ppc/spapr_eeh_host.h"
#include "hw/vfio/vfio-eeh-error.h"
#include "trace.h"

static SpaprEehRawFormat raw_format(VFIOEehHostDataFormat format)
{
    switch (format) {
    case VFIO_EEH_HOST_DATA_OPAL_PHB3:
        return SPAPR_EEH_RAW_PHB3;
    case VFIO_EEH_HOST_DATA_OPAL_PHB4:
        return SPAPR_EEH_RAW_PHB4;
    case VFIO_EEH_HOST_DATA_PAPR_RTAS:
        return SPAPR_EEH_RAW_RTAS;
    default:
        return SPAPR_EEH_RAW_NONE;
    }
}

/* Requester ids in host data use host bus numbers: map them, or drop */
static void map_requester_id(SpaprPhbState *sphb, SpaprEehErrorRecord *rec)
{
    uint16_t rid;

    if (!(rec->valid & SPAPR_EEH_VALID_REQUESTER_ID)) {
        return;
    }
    if (spapr_phb_vfio_eeh_guest_rid(sphb, rec->requester_id, &rid)) {
        rec->requester_id = rid;
    } else {
        rec->requester_id = 0;
        rec->valid &= ~SPAPR_EEH_VALID_REQUESTER_ID;
        rec->rid_src = SPAPR_EEH_SRC_UNAVAILABLE;
    }
}

static void spapr_eeh_host_collect(SpaprPhbState *sphb, SpaprEehRecord *r)
{
    SpaprEehErrorRecord *rec = &r->rec;
    VFIOEehHostData hd = { 0 };
    bool usable;

    spapr_phb_vfio_eeh_host_data(sphb, &hd);
    if (hd.state != VFIO_EEH_HOST_DATA_VALID || !hd.len) {
        trace_spapr_eeh_host_data(sphb->index, hd.state, hd.error, 0, 0);
        g_free(hd.data);
        return;
    }

    rec->raw_format = raw_format(hd.format);
    r->raw = g_steal_pointer(&hd.data);
    rec->raw_data = r->raw;
    rec->raw_len = hd.len;
    rec->raw_orig_len = hd.orig_len;
    if (hd.truncated) {
        rec->trunc |= SPAPR_EEH_TRUNC_RAW_DATA;
    }

    if (rec->raw_format == SPAPR_EEH_RAW_RTAS) {
        /* Passed on as it is, if it is an RTAS log at all */
        usable = spapr_eeh_diag_rtas_log_valid(r->raw, hd.len);
    } else {
        usable = spapr_eeh_diag_interpret(rec->raw_format, r->raw, hd.len,
                                          hd.pe_number, rec);
        map_requester_id(sphb, rec);
    }
    if (!usable) {
        warn_report_once("spapr_eeh: PHB %u: the host's EEH error data "
                         "(format %u, %zu bytes) is not valid; the guest "
                         "does not get it", sphb->index, (unsigned)hd.format,
                         hd.len);
    }
    if (hd.mmio_fault) {
        rec->fault_addr = hd.mmio_guest_addr;
        rec->addr_kind = SPAPR_EEH_ADDR_GUEST_MMIO;
        rec->addr_src = SPAPR_EEH_SRC_HOST_DIAG;
        rec->valid |= SPAPR_EEH_VALID_FAULT_ADDR;
        if (rec->err_class == SPAPR_EEH_ERR_CLASS_UNKNOWN) {
            rec->err_class = SPAPR_EEH_ERR_CLASS_MMIO;
            rec->class_src = SPAPR_EEH_SRC_HOST_DIAG;
        }
    }
    r->raw_to_guest = usable && sphb->eeh_host_data_to_guest;
    trace_spapr_eeh_host_data(sphb->index, hd.state, 0, hd.format,
                              r->raw_to_guest);
}

const SpaprEehSource spapr_eeh_host_source = {
    .name = "host-data",
    .collect = spapr_eeh_host_collect,
};
