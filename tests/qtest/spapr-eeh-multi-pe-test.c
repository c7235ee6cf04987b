/*
 * qtest for sPAPR EEH with several PEs on one PHB
 *
 * Two VFIO devices of one PHB in two host IOMMU groups: on the newest
 * machine type each group has a VFIO container of its own and is a PE of
 * its own, which the EEH RTAS calls address by its PE address, and whose
 * freeze, error log and recovery leave the other PE alone.  On older
 * machine types the two groups share a container, and EEH is unavailable
 * on the whole PHB.
 *
 * The host is tests/vfio-host-model (LD_PRELOAD), as in spapr-eeh-test.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "libqos/libqos-spapr.h"
#include "spapr-eeh-common.h"

/* Devices 00:01.0 (host group 42) and 00:02.0 (host group 43) */
#define DEV2_CFG_ADDR           0x1000
#define PE2_ADDR                0x1001

static const EehDev two_groups[] = {
    { "0001:00:01.0", 42, 1, NULL },
    { "0001:00:02.0", 43, 2, NULL },
    { NULL }
};

static uint32_t pe_addr_of(EehTest *t, uint32_t cfg_addr)
{
    uint32_t info = 0;

    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t->qts, &t->alloc,
                                                    PHB0_BUID, cfg_addr, 0,
                                                    &info), ==, RTAS_SUCCESS);
    return info;
}

static uint32_t pe_state(EehTest *t, uint32_t pe_addr)
{
    uint32_t state = 0xdead, info;

    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t->qts, &t->alloc,
                                                     PHB0_BUID, pe_addr,
                                                     &state, &info),
                    ==, RTAS_SUCCESS);
    return state;
}

static void enable(EehTest *t, uint32_t pe_addr, const char *ops)
{
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t->qts, &t->alloc, PHB0_BUID,
                                             pe_addr, EEH_OPT_ENABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(t, ops);
}

static void start_two(EehTest *t)
{
    eeh_start(t, two_groups, NULL);
    g_free(vhm_eeh_ops(t));
    g_assert_cmphex(pe_addr_of(t, DEV_CFG_ADDR), ==, PE_ADDR);
    g_assert_cmphex(pe_addr_of(t, DEV2_CFG_ADDR), ==, PE2_ADDR);
    enable(t, PE_ADDR, "ENABLE@42");
    enable(t, PE2_ADDR, "ENABLE@43");
}

/*
 * How many containers the model's log shows groups being set into; the
 * log stays unread for vhm_eeh_ops()
 */
static unsigned containers_used(EehTest *t)
{
    uint64_t seq = t->log_seq;
    g_autoptr(GPtrArray) lines = vhm_log_lines(t);
    g_autoptr(GHashTable) fds = g_hash_table_new_full(g_str_hash,
                                                      g_str_equal, g_free,
                                                      NULL);
    guint i;

    for (i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *c = strstr(l, "VFIO_GROUP_SET_CONTAINER container=");

        if (c && g_str_has_suffix(l, "= 0")) {
            c += strlen("VFIO_GROUP_SET_CONTAINER container=");
            g_hash_table_add(fds, g_strndup(c, strcspn(c, " ")));
        }
    }
    t->log_seq = seq;
    return g_hash_table_size(fds);
}

static QList *query_pes(EehTest *t, QDict **rsp)
{
    *rsp = qtest_qmp(t->qts, "{'execute': 'query-vfio-eeh'}");
    g_assert_false(qdict_haskey(*rsp, "error"));
    return qdict_get_qlist(*rsp, "return");
}

static QDict *pe_of_group(QList *pes, int group)
{
    const QListEntry *e;

    QLIST_FOREACH_ENTRY(pes, e) {
        QDict *pe = qobject_to(QDict, qlist_entry_obj(e));

        if (qdict_get_try_int(pe, "iommu-group", -1) == group) {
            return pe;
        }
    }
    return NULL;
}

/*
 * Each group is a PE: its own container, its own PE address, and EEH
 * operations that reach its container only, whether the guest names the
 * PE by its PE address or by a device's config address.
 */
static void test_addresses(void)
{
    EehTest t = { 0 };
    g_autofree char *ops = NULL;
    QDict *rsp;
    QList *pes;

    eeh_start(&t, two_groups, NULL);
    g_assert_cmpuint(containers_used(&t), ==, 2);
    /* Machine reset re-enabled both PEs, each in its container */
    ops = vhm_eeh_ops(&t);
    g_assert_true(g_str_equal(ops, "ENABLE@42 ENABLE@43") ||
                  g_str_equal(ops, "ENABLE@43 ENABLE@42"));

    g_assert_cmphex(pe_addr_of(&t, DEV_CFG_ADDR), ==, PE_ADDR);
    g_assert_cmphex(pe_addr_of(&t, DEV2_CFG_ADDR), ==, PE2_ADDR);
    enable(&t, PE2_ADDR, "ENABLE@43");
    enable(&t, PE_ADDR, "ENABLE@42");
    /* Linux up to v5.9 enables each device by its config address */
    enable(&t, DEV2_CFG_ADDR, "ENABLE@43");
    enable(&t, DEV_CFG_ADDR, "ENABLE@42");
    g_assert_cmpuint(pe_state(&t, PE2_ADDR), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "GET_STATE@43");

    /* No device at 00:03.0, and "00BB0001" names no PE here */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             0x1801, EEH_OPT_ENABLE),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR_PHB, SLOT_RESET_HOT),
                    ==, RTAS_PARAM_ERROR);
    assert_eeh_ops(&t, "");

    pes = query_pes(&t, &rsp);
    g_assert_cmpuint(qlist_size(pes), ==, 2);
    g_assert_cmpuint(qdict_get_int(pe_of_group(pes, 42), "pe-address"), ==,
                     PE_ADDR);
    g_assert_cmpuint(qdict_get_int(pe_of_group(pes, 43), "pe-address"), ==,
                     PE2_ADDR);
    qobject_unref(rsp);
    eeh_stop(&t);
}

/*
 * The host freezes one PE: the guest sees it stopped, gets its log,
 * which names its device's slot, and recovers it, while the other PE
 * stays normal and its device answers all along.
 */
static void test_freeze_one(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    QDict *rsp, *pe, *rec;
    QList *pes;

    start_two(&t);
    vhm_ok(&t, "freeze all group=43 aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PE_ADDR), ==, PE_STATE_NORMAL);
    g_assert_cmpuint(pe_state(&t, PE2_ADDR), ==, PE_STATE_STOPPED_IO_DMA);
    assert_eeh_ops(&t, "GET_STATE@42 GET_STATE@43");
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(qrtas_ibm_read_pci_config(t.qts, &t.alloc, PHB0_BUID,
                                              DEV2_CFG_ADDR, 4),
                    ==, 0xffffffff);

    /* The stopped PE has a log, which names 00:02.0; the other none */
    g_assert_cmpint(qrtas_ibm_slot_error_detail_log(t.qts, &t.alloc,
                                                    PHB0_BUID, PE_ADDR, NULL,
                                                    0, SLOT_ERR_TEMP, &log),
                    ==, RTAS_NO_ERRORS_FOUND);
    g_assert_cmpint(qrtas_ibm_slot_error_detail_log(t.qts, &t.alloc,
                                                    PHB0_BUID, PE2_ADDR, NULL,
                                                    0, SLOT_ERR_TEMP, &log),
                    ==, RTAS_SUCCESS);
    qrtas_log_save(&log, g_getenv("SPAPR_EEH_TEST_LOGDIR"), "multi-pe");
    g_assert_nonnull(memmem(log.buf, log.len, ":00:02.0", 8));
    g_assert_null(memmem(log.buf, log.len, ":00:01.0", 8));

    /* Recovery: every operation goes to group 43's container */
    g_free(vhm_eeh_ops(&t));
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE2_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE2_ADDR, SLOT_RESET_DEACTIVATE),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, PHB0_BUID,
                                           PE2_ADDR), ==, RTAS_SUCCESS);
    g_assert_cmpuint(pe_state(&t, PE2_ADDR), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "RESET_HOT@43 RESET_DEACTIVATE@43 CONFIGURE@43 "
                   "GET_STATE@43");
    g_assert_cmphex(qrtas_ibm_read_pci_config(t.qts, &t.alloc, PHB0_BUID,
                                              DEV2_CFG_ADDR, 4),
                    ==, 0x00051b36);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);

    /* Management sees the stop on group 43's PE only */
    pes = query_pes(&t, &rsp);
    pe = pe_of_group(pes, 42);
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 0);
    g_assert_cmpuint(qlist_size(qdict_get_qlist(pe, "records")), ==, 0);
    pe = pe_of_group(pes, 43);
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 1);
    g_assert_cmpuint(qlist_size(qdict_get_qlist(pe, "records")), ==, 1);
    rec = qobject_to(QDict, qlist_peek(qdict_get_qlist(pe, "records")));
    g_assert_cmpuint(qdict_get_int(rec, "pe-state"), ==,
                     PE_STATE_STOPPED_IO_DMA);
    g_assert_true(qdict_get_bool(rec, "delivered"));
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* A host error notification on one device holds its PE only */
static void test_host_error_one(void)
{
    EehTest t = { 0 };

    start_two(&t);
    vhm_ok(&t, "signal err dev=0001:00:02.0");
    qtest_qmp_eventwait(t.qts, "VFIO_EEH");
    g_assert_cmpuint(pe_state(&t, PE2_ADDR), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpuint(pe_state(&t, PE_ADDR), ==, PE_STATE_NORMAL);
    g_assert_cmphex(qrtas_ibm_read_pci_config(t.qts, &t.alloc, PHB0_BUID,
                                              DEV2_CFG_ADDR, 4),
                    ==, 0xffffffff);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    eeh_stop(&t);
}

/*
 * Machine types before the PE per group: the groups share one container,
 * and EEH is unavailable on the whole PHB; with a single group, the PE
 * is the PHB's, at "00BB0001".
 */
static void test_compat(void)
{
    g_autofree char *newest = NULL;
    g_autofree char *previous = NULL;
    EehTest t = { 0 };
    uint32_t info;

    qtest_spapr_compat_machines(&newest, &previous);
    t.machine = previous;
    eeh_start(&t, two_groups, NULL);
    g_assert_cmpuint(containers_used(&t), ==, 1);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    PHB0_BUID, DEV2_CFG_ADDR,
                                                    0, &info),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_PARAM_ERROR);
    assert_eeh_ops(&t, "");
    eeh_stop(&t);

    memset(&t, 0, sizeof(t));
    t.machine = previous;
    eeh_start(&t, eeh_one_dev, NULL);
    g_assert_cmphex(pe_addr_of(&t, DEV_CFG_ADDR), ==, PE_ADDR_PHB);
    eeh_stop(&t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    eeh_add_test("/spapr-eeh/multi-pe/addresses", test_addresses);
    eeh_add_test("/spapr-eeh/multi-pe/freeze-one", test_freeze_one);
    eeh_add_test("/spapr-eeh/multi-pe/host-error-one", test_host_error_one);
    eeh_add_test("/spapr-eeh/multi-pe/compat", test_compat);
    return g_test_run();
}
