/*
 * sPAPR EEH: the VFIO_EEH event and query-vfio-eeh
 *
 * Management learns what the guest learns, and more: a VFIO_EEH event
 * when a PE is found frozen, is back to normal or was declared
 * permanently unavailable, and query-vfio-eeh with every record QEMU
 * keeps, including the host's raw error data whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-vfio.h"
#include "qapi/qapi-events-vfio.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_qmp.h"
#include "trace.h"

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

/* The members the event's summary and the query's record share */
static void fill_base(VfioEehErrorBase *b, const SpaprEehErrorRecord *rec)
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

static const VfioEehEventKind event_kinds[] = {
    [SPAPR_EEH_EVENT_FROZEN] = VFIO_EEH_EVENT_KIND_FROZEN,
    [SPAPR_EEH_EVENT_RECOVERED] = VFIO_EEH_EVENT_KIND_RECOVERED,
    [SPAPR_EEH_EVENT_PERMANENT] = VFIO_EEH_EVENT_KIND_PERMANENT,
};

/*
 * Tell management what happened to a PE.  The event names the PE's first
 * VFIO device; QMP rate-limits it per device and kind (monitor.c).
 */
static void spapr_eeh_qmp_notify(Notifier *n, void *opaque)
{
    const SpaprEehEvent *ev = opaque;
    SpaprPhbState *sphb = ev->sphb;
    SpaprEehPe *pe = spapr_eeh_pe_get(sphb);
    g_autoptr(GPtrArray) devs = spapr_phb_eeh_devices(sphb);
    g_autoptr(VfioEehErrorSummary) summary = NULL;
    g_autofree char *qom_path = NULL;
    g_autofree char *phb_path = NULL;
    VfioEehEventKind kind = event_kinds[ev->kind];
    DeviceState *first;

    if (!devs->len) {
        return;
    }
    first = DEVICE(g_ptr_array_index(devs, 0));
    qom_path = object_get_canonical_path(OBJECT(first));
    phb_path = object_get_canonical_path(OBJECT(sphb));
    if (ev->rec && kind != VFIO_EEH_EVENT_KIND_RECOVERED) {
        summary = g_new0(VfioEehErrorSummary, 1);
        fill_base(qapi_VfioEehErrorSummary_base(summary), &ev->rec->rec);
        summary->dropped = pe ? pe->dropped : 0;
    }
    trace_spapr_eeh_qmp_event(sphb->index, VfioEehEventKind_str(kind),
                              qom_path);
    qapi_event_send_vfio_eeh(first->id, qom_path, phb_path, kind,
                             pe ? pe->freeze_count : 0, summary);
}

void spapr_eeh_qmp_init(void)
{
    static Notifier notifier = { .notify = spapr_eeh_qmp_notify };
    static bool added;

    if (!added) {
        spapr_eeh_add_notifier(&notifier);
        added = true;
    }
}

static int collect_phb(Object *obj, void *opaque)
{
    GSList **list = opaque;
    SpaprPhbState *sphb = (SpaprPhbState *)
        object_dynamic_cast(obj, TYPE_SPAPR_PCI_HOST_BRIDGE);

    if (sphb && (spapr_eeh_pe_get(sphb) || spapr_phb_eeh_available(sphb))) {
        *list = g_slist_prepend(*list, sphb);
    }
    return 0;
}

static gint phb_index_cmp(gconstpointer a, gconstpointer b, gpointer opaque)
{
    const SpaprPhbState *pa = a, *pb = b;

    return pa->index < pb->index ? -1 : pa->index > pb->index;
}

static VfioEehErrorRecord *qapi_record(const SpaprEehRecord *r)
{
    const SpaprEehErrorRecord *rec = &r->rec;
    VfioEehErrorRecord *q = g_new0(VfioEehErrorRecord, 1);
    size_t n;
    int i;

    fill_base(qapi_VfioEehErrorRecord_base(q), rec);
    q->plid = r->plid;
    q->pe_state = rec->pe_state;
    if (rec->valid & SPAPR_EEH_VALID_AER_UE_SEVERITY) {
        q->has_aer_ue_severity = true;
        q->aer_ue_severity = rec->aer_ue_severity;
    }
    if (rec->valid & SPAPR_EEH_VALID_AER_TLP_HEADER) {
        q->has_aer_header_log = true;
        for (i = ARRAY_SIZE(rec->aer_tlp_header) - 1; i >= 0; i--) {
            QAPI_LIST_PREPEND(q->aer_header_log, rec->aer_tlp_header[i]);
        }
    }
    q->detect_time_ns = rec->detect_time_ns;
    q->host_data_format = qapi_host_format(rec->raw_format);
    q->host_data_length = MAX(rec->raw_orig_len, rec->raw_len);
    if (rec->raw_data && rec->raw_len) {
        q->host_data = g_malloc(rec->raw_len * 2 + 1);
        for (n = 0; n < rec->raw_len; n++) {
            snprintf(q->host_data + n * 2, 3, "%02x", rec->raw_data[n]);
        }
    }
    q->delivered = r->delivered;
    q->released = r->retired && !r->delivered;
    return q;
}

VfioEehPeInfoList *qmp_query_vfio_eeh(Error **errp)
{
    VfioEehPeInfoList *head = NULL, **tail = &head;
    GSList *phbs = NULL, *l;

    if (!object_dynamic_cast(qdev_get_machine(), TYPE_SPAPR_MACHINE)) {
        error_setg(errp, "EEH is not supported by this machine");
        return NULL;
    }
    object_child_foreach_recursive(qdev_get_machine(), collect_phb, &phbs);
    phbs = g_slist_sort_with_data(phbs, phb_index_cmp, NULL);
    for (l = phbs; l; l = l->next) {
        SpaprPhbState *sphb = l->data;
        SpaprEehPe *pe = spapr_eeh_pe_get(sphb);
        VfioEehPeInfo *info = g_new0(VfioEehPeInfo, 1);
        VfioEehErrorRecordList **rtail = &info->records;
        unsigned i;

        info->phb = object_get_canonical_path(OBJECT(sphb));
        if (pe) {
            info->permanent = pe->permanent;
            info->freeze_count = pe->freeze_count;
            info->dropped = pe->dropped;
            for (i = 0; i < pe->nrec; i++) {
                QAPI_LIST_APPEND(rtail, qapi_record(pe->rec[i]));
            }
        }
        QAPI_LIST_APPEND(tail, info);
    }
    g_slist_free(phbs);
    return head;
}
