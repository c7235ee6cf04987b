/*
 * QTest: sPAPR EEH RTAS calls on VFIO devices
 *
 * Each test drives the EEH RTAS calls and checks both what the guest gets
 * back and which host operations QEMU performed, in order, through the
 * host model's operation log (see spapr-eeh-common.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "spapr-eeh-common.h"

static void test_enable(void)
{
    EehTest t = { 0 };
    uint32_t info = 0;

    eeh_start(&t, eeh_one_dev, NULL);
    /* Machine reset re-enables EEH on the PE (spapr_phb_vfio_reset) */
    assert_eeh_ops(&t, "ENABLE@42");

    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    PHB0_BUID, DEV_CFG_ADDR,
                                                    0, &info), ==, 0);
    g_assert_cmphex(info, ==, PE_ADDR);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    PHB0_BUID, DEV_CFG_ADDR,
                                                    1, &info), ==, 0);
    g_assert_cmpint(info, ==, PE_MODE_SHARED);
    /* Neither function touches the host */
    assert_eeh_ops(&t, "");

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "ENABLE@42");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "GET_STATE@42");

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_DISABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "DISABLE@42");
    eeh_stop(&t);
}

static void test_freeze_reported(void)
{
    EehTest t = { 0 };

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);

    vhm_ok(&t, "freeze all aer=UE:0x4000");
    /* Config space of a stopped PE reads as all-ones; AER passes through */
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0xffffffff);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_DMA);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0x104), ==, 0x4000);

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_DMA),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "GET_STATE@42 UNFREEZE_IO@42 GET_STATE@42 "
                   "UNFREEZE_DMA@42 GET_STATE@42");
    eeh_stop(&t);
}

static void run_recovery(uint32_t reset_option, const char *reset_op)
{
    EehTest t = { 0 };
    g_autofree char *expect = NULL;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");

    /* Linux: reset, hold, deactivate, settle, configure, then thaw */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, reset_option),
                    ==, RTAS_SUCCESS);
    /* The PowerNV VFIO path keeps the PE stopped while reset is active */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_DEACTIVATE),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, PHB0_BUID,
                                           PE_ADDR), ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_DMA),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);

    expect = g_strdup_printf("GET_STATE@42 %s@42 GET_STATE@42 "
                             "RESET_DEACTIVATE@42 CONFIGURE@42 "
                             "UNFREEZE_IO@42 UNFREEZE_DMA@42 GET_STATE@42",
                             reset_op);
    assert_eeh_ops(&t, expect);
    eeh_stop(&t);
}

static void test_recovery_hot(void)
{
    run_recovery(SLOT_RESET_HOT, "RESET_HOT");
}

static void test_recovery_fundamental(void)
{
    run_recovery(SLOT_RESET_FUNDAMENTAL, "RESET_FUNDAMENTAL");
}

/*
 * A limit of QEMU, pinned: a PHB whose devices sit in two host groups
 * shares one container between them, and EEH is then unavailable.
 */
static void test_two_groups_unavailable(void)
{
    static const EehDev devs[] = {
        { "0001:00:01.0", 42, 1, NULL },
        { "0001:00:02.0", 43, 2, NULL },
        { NULL }
    };
    EehTest t = { 0 };
    uint32_t state, info;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *st = NULL;

    eeh_start(&t, devs, NULL);
    /* No ENABLE at machine reset either */
    assert_eeh_ops(&t, "");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t.qts, &t.alloc,
                                                     PHB0_BUID, PE_ADDR,
                                                     &state, &info),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_PARAM_ERROR);
    assert_eeh_ops(&t, "");
    /* Both devices still work */
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(qrtas_ibm_read_pci_config(t.qts, &t.alloc, PHB0_BUID,
                                              0x1000, 4), ==, 0x00051b36);
    /* The model knows the second PE, and it never had EEH enabled */
    st = vhm_cmd(&t, lines, "state group=43");
    g_assert_true(g_str_has_prefix(st, "OK"));
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_nonnull(strstr(g_ptr_array_index(lines, 0), "eeh_enabled=0"));
    eeh_stop(&t);
}

/* Two PHBs, each with its own container and PE: independent EEH */
static void test_two_phbs(void)
{
    static const EehDev devs[] = {
        { "0001:00:01.0", 42, 1, NULL },
        { "0002:00:01.0", 43, 1, "phb1.0" },
        { NULL }
    };
    EehTest t = { 0 };

    g_autofree char *ops = NULL;

    eeh_start(&t, devs, "-device spapr-pci-host-bridge,index=1,id=phb1");
    /* Each PHB re-enables its own PE at machine reset, in either order */
    ops = vhm_eeh_ops(&t);
    g_assert_true(g_str_equal(ops, "ENABLE@42 ENABLE@43") ||
                  g_str_equal(ops, "ENABLE@43 ENABLE@42"));
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB1_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "ENABLE@43");

    vhm_ok(&t, "freeze all group=43");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    g_assert_cmpuint(eeh_pe_state(&t, PHB1_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(eeh_cfg_read(&t, PHB1_BUID, 0), ==, 0xffffffff);
    assert_eeh_ops(&t, "GET_STATE@42 GET_STATE@43");
    eeh_stop(&t);
}

/* Wrong argument or return counts, for every EEH call */
static void test_bad_counts(void)
{
    static const struct {
        const char *name;
        uint32_t nargs, nret;
    } calls[] = {
        { "ibm,set-eeh-option", 4, 1 },
        { "ibm,get-config-addr-info2", 4, 2 },
        { "ibm,read-slot-reset-state2", 3, 4 },
        { "ibm,set-slot-reset", 4, 1 },
        { "ibm,configure-pe", 3, 1 },
        { "ibm,slot-error-detail", 8, 1 },
    };
    EehTest t = { 0 };
    uint32_t args[10], ret[6];
    int i;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    for (i = 0; i < ARRAY_SIZE(calls); i++) {
        memset(args, 0, sizeof(args));
        args[0] = PE_ADDR;
        args[1] = PHB0_BUID >> 32;
        args[2] = PHB0_BUID & 0xffffffff;
        args[3] = 1;
        args[7] = 1;

        ret[0] = 0x12345678;
        g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, calls[i].name,
                                    calls[i].nargs + 1, args,
                                    calls[i].nret, ret), ==, 0);
        g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);

        ret[0] = 0x12345678;
        g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, calls[i].name,
                                    calls[i].nargs - 1, args,
                                    calls[i].nret, ret), ==, 0);
        g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);

        ret[0] = 0x12345678;
        g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, calls[i].name,
                                    calls[i].nargs, args,
                                    calls[i].nret + 2, ret), ==, 0);
        g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);
    }
    /* None of that reached the host */
    assert_eeh_ops(&t, "");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/* Unknown BUID and option values out of range */
static void test_bad_values(void)
{
    EehTest t = { 0 };
    const uint64_t bad_buid = PHB0_BUID + 7;
    uint32_t state, info;
    uint64_t buf;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    buf = guest_alloc(&t.alloc, 1024);

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, bad_buid,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    bad_buid, DEV_CFG_ADDR,
                                                    0, &info),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t.qts, &t.alloc,
                                                     bad_buid, PE_ADDR,
                                                     &state, &info),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, bad_buid,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, bad_buid,
                                           PE_ADDR), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, bad_buid,
                                                PE_ADDR, 0, 0, buf, 1024,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);

    /* Options that LoPAR does not define */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, 4), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, 0xffffffff),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    PHB0_BUID, DEV_CFG_ADDR,
                                                    2, &info),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, 2), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, 0x80000000),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, buf, 1024, 0),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, buf, 1024, 3),
                    ==, RTAS_PARAM_ERROR);
    /* A config address with no device behind it */
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t.qts, &t.alloc,
                                                    PHB0_BUID, 0x1800,
                                                    0, &info),
                    ==, RTAS_PARAM_ERROR);
    /* ENABLE needs a vfio-pci device on the bus named by the address */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             0x00050001, EEH_OPT_ENABLE),
                    ==, RTAS_PARAM_ERROR);

    assert_eeh_ops(&t, "");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/* Host ioctl failures, injected in the model, become PAPR statuses */
static void test_host_failures(void)
{
    EehTest t = { 0 };
    uint32_t state, info;

    eeh_start_enabled(&t, eeh_one_dev, NULL);

    vhm_ok(&t, "fail EEH_ENABLE EIO");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_HW_ERROR);
    vhm_ok(&t, "fail EEH_UNFREEZE_IO ENODEV");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_HW_ERROR);
    vhm_ok(&t, "fail EEH_GET_STATE EIO");
    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t.qts, &t.alloc,
                                                     PHB0_BUID, PE_ADDR,
                                                     &state, &info),
                    ==, RTAS_PARAM_ERROR);
    vhm_ok(&t, "fail EEH_RESET_HOT EIO");
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_HW_ERROR);
    vhm_ok(&t, "fail EEH_CONFIGURE EINVAL");
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, PHB0_BUID,
                                           PE_ADDR), ==, RTAS_PARAM_ERROR);
    assert_eeh_ops(&t, "ENABLE@42! UNFREEZE_IO@42! GET_STATE@42! "
                   "RESET_HOT@42! CONFIGURE@42!");

    /* Each failure was one-shot; QEMU is still healthy */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "GET_STATE@42 ENABLE@42");
    eeh_stop(&t);
}

/*
 * A guest retrying a host operation that keeps failing must not flood
 * QEMU's stderr: one report a second, with the count of those left out.
 */
static void test_host_failure_flood(void)
{
    EehTest t = { .stderr_to_file = true };
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned i, n = 0;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vhm_ok(&t, "fail EEH_RESET_HOT EIO 500");
    for (i = 0; i < 500; i++) {
        g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                                 PE_ADDR, SLOT_RESET_HOT),
                        ==, RTAS_HW_ERROR);
    }
    /* The host saw every one of them */
    {
        g_autofree char *ops = vhm_eeh_ops(&t);
        g_auto(GStrv) v = g_strsplit(ops, " ", -1);

        g_assert_cmpuint(g_strv_length(v), ==, 500);
    }
    text = eeh_qemu_stderr(&t);
    lines = g_strsplit(text, "\n", -1);
    for (i = 0; lines[i]; i++) {
        if (strstr(lines[i], "EEH_PE_OP")) {
            g_assert_nonnull(strstr(lines[i], "Input/output error"));
            n++;
        }
    }
    /* 500 calls take well under a few seconds here; at least one report */
    g_assert_cmpuint(n, >=, 1);
    g_assert_cmpuint(n, <=, 10);
    eeh_stop(&t);
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    eeh_add_test("spapr-eeh/enable", test_enable);
    eeh_add_test("spapr-eeh/freeze-reported", test_freeze_reported);
    eeh_add_test("spapr-eeh/recovery/hot", test_recovery_hot);
    eeh_add_test("spapr-eeh/recovery/fundamental",
                 test_recovery_fundamental);
    eeh_add_test("spapr-eeh/limits/two-groups", test_two_groups_unavailable);
    eeh_add_test("spapr-eeh/two-phbs", test_two_phbs);
    eeh_add_test("spapr-eeh/bad-input/counts", test_bad_counts);
    eeh_add_test("spapr-eeh/bad-input/values", test_bad_values);
    eeh_add_test("spapr-eeh/host/failures", test_host_failures);
    eeh_add_test("spapr-eeh/host/failure-flood", test_host_failure_flood);

    return g_test_run();
}
