/*
 * QTest for sPAPR EEH (Enhanced Error Handling) on VFIO devices
 *
 * The pseries machine is started with vfio-pci devices that are served by
 * the VFIO host model (an LD_PRELOAD library standing in for the host
 * kernel's VFIO, sPAPR TCE and EEH interface).  Each test drives the EEH
 * RTAS calls and checks both what the guest gets back and which host
 * operations QEMU performed, in order, through the model's operation log.
 *
 * The model is found through the environment:
 *   VHM_LIBRARY   path of libvfio-host-model.so (tests are skipped without)
 *
 * Copyright (c) 2026 qemu-spapr-eeh developers
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or later.
 * See the COPYING file in the top-level directory.
 */

#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "libqtest.h"
#include "libqos/malloc-spapr.h"
#include "libqos/rtas.h"

/* LoPAR values, as the guest sees them */
#define PHB0_BUID               0x0800000020000000ULL
#define PHB1_BUID               0x0800000020000001ULL

#define RTAS_SUCCESS            0
#define RTAS_NO_ERRORS_FOUND    1
#define RTAS_HW_ERROR           (-1)
#define RTAS_PARAM_ERROR        (-3)

#define EEH_OPT_DISABLE         0
#define EEH_OPT_ENABLE          1
#define EEH_OPT_THAW_IO         2
#define EEH_OPT_THAW_DMA        3

#define SLOT_RESET_DEACTIVATE   0
#define SLOT_RESET_HOT          1
#define SLOT_RESET_FUNDAMENTAL  3

#define PE_STATE_NORMAL         0
#define PE_STATE_STOPPED_IO_DMA 2
#define PE_STATE_STOPPED_DMA    4
#define PE_STATE_UNAVAIL        5

#define SLOT_ERR_TEMP           1
#define SLOT_ERR_PERM           2

#define PE_MODE_SHARED          2

/* Device 00:01.0 on a PHB: config address and PE address */
#define DEV_CFG_ADDR            0x800
#define PE_ADDR                 0x1

typedef struct EehDev {
    const char *bdf;        /* host address, as the model names it */
    int group;              /* host IOMMU group (= host PE) */
    int slot;               /* guest slot on its PHB */
    const char *bus;        /* guest bus, NULL for PHB 0 (pci.0) */
} EehDev;

typedef struct EehTest {
    QTestState *qts;
    QGuestAllocator alloc;
    char *dir;
    int ctrl;
    GString *rbuf;
    uint64_t log_seq;
} EehTest;

static const char *model_lib;

static const EehDev one_dev[] = {
    { "0001:00:01.0", 42, 1, NULL },
    { NULL }
};

/* Control channel of the host model */

static void vhm_connect(EehTest *t)
{
    g_autofree char *path = g_strdup_printf("%s/ctrl.sock", t->dir);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    t->ctrl = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(t->ctrl, >=, 0);
    g_assert_cmpint(connect(t->ctrl, (struct sockaddr *)&addr,
                            sizeof(addr)), ==, 0);
    t->rbuf = g_string_new("");
}

/* Read one reply line (without its newline); NULL on EOF */
static char *vhm_read_line(EehTest *t)
{
    char buf[512];
    char *nl;

    while (!(nl = memchr(t->rbuf->str, '\n', t->rbuf->len))) {
        ssize_t n = read(t->ctrl, buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(t->rbuf, buf, n);
    }
    {
        char *line = g_strndup(t->rbuf->str, nl - t->rbuf->str);

        g_string_erase(t->rbuf, 0, nl - t->rbuf->str + 1);
        return line;
    }
}

/*
 * Send one command; the model answers after the state change is done, so
 * everything QEMU does afterwards is ordered after it.  Returns the final
 * status line ("OK ..." or "ERR ...") and appends data lines to @data.
 */
static char * G_GNUC_PRINTF(3, 4)
vhm_cmd(EehTest *t, GPtrArray *data, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    va_list ap;
    size_t off = 0;
    char *line;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    cmd = g_realloc(cmd, strlen(cmd) + 2);
    strcat(cmd, "\n");

    while (off < strlen(cmd)) {
        ssize_t n = write(t->ctrl, cmd + off, strlen(cmd) - off);

        g_assert_cmpint(n, >, 0);
        off += n;
    }
    while ((line = vhm_read_line(t))) {
        if (g_str_has_prefix(line, "OK") || g_str_has_prefix(line, "ERR")) {
            return line;
        }
        if (data) {
            g_ptr_array_add(data, line);
        } else {
            g_free(line);
        }
    }
    g_error("host model closed the control channel during '%s'", cmd);
}

static void G_GNUC_PRINTF(2, 3) vhm_ok(EehTest *t, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *st = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    st = vhm_cmd(t, NULL, "%s", cmd);
    if (!g_str_has_prefix(st, "OK")) {
        g_error("host model refused '%s': %s", cmd, st);
    }
}

/*
 * The EEH operations (VFIO_EEH_PE_OP) QEMU sent since the last call, as
 * "OP@group" words separated by spaces; failed ones end in "!".
 */
static char *vhm_eeh_ops(EehTest *t)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) ops = g_string_new("");
    g_autofree char *st = vhm_cmd(t, lines, "log %" PRIu64, t->log_seq);
    guint i;

    g_assert_true(g_str_has_prefix(st, "OK "));
    t->log_seq = g_ascii_strtoull(st + 3, NULL, 10);
    for (i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *op = strstr(l, "VFIO_EEH_PE_OP op=");
        const char *grp, *ret;

        if (!op) {
            continue;
        }
        op += strlen("VFIO_EEH_PE_OP op=");
        grp = strstr(op, " group=");
        ret = strstr(op, " = ");
        g_assert_nonnull(grp);
        g_assert_nonnull(ret);
        g_string_append_printf(ops, "%s%.*s@%d%s", ops->len ? " " : "",
                               (int)(grp - op), op,
                               atoi(grp + strlen(" group=")),
                               ret[3] == '-' ? "!" : "");
    }
    return g_string_free(g_steal_pointer(&ops), FALSE);
}

#define assert_eeh_ops(t, expected) do {                \
        g_autofree char *ops_ = vhm_eeh_ops(t);         \
        g_assert_cmpstr(ops_, ==, expected);            \
    } while (0)

/* Machine set-up and tear-down */

static void eeh_start(EehTest *t, const EehDev *devs, const char *extra)
{
    g_autoptr(GString) list = g_string_new("");
    g_autoptr(GString) args = g_string_new("");
    g_autofree char *qemu = NULL;
    g_autofree char *cmdline = NULL;
    const EehDev *d;

    t->dir = g_dir_make_tmp("spapr-eeh-XXXXXX", NULL);
    g_assert_nonnull(t->dir);
    for (d = devs; d->bdf; d++) {
        g_string_append_printf(list, "%s%s@%d", list->len ? "," : "",
                               d->bdf, d->group);
        g_string_append_printf(args,
                               " -device vfio-pci,sysfsdev=%s/sys/devices/%s,"
                               "addr=%02x.0,bus=%s",
                               t->dir, d->bdf, d->slot,
                               d->bus ? d->bus : "pci.0");
    }
    qemu = g_strdup_printf("env LD_PRELOAD=%s VHM_DEVICES=%s VHM_SYSFS=%s/sys "
                           "VHM_CTRL=%s/ctrl.sock VHM_LOG=%s/ops.log %s",
                           model_lib, list->str, t->dir, t->dir, t->dir,
                           g_getenv("QTEST_QEMU_BINARY"));
    g_setenv("QTEST_EEH_QEMU", qemu, TRUE);
    /* Extra devices (PHBs) come first: the vfio-pci devices may use them */
    cmdline = g_strdup_printf("-machine pseries -m 512M -nodefaults %s%s",
                              extra ? extra : "", args->str);
    t->qts = qtest_init_with_env("QTEST_EEH_QEMU", cmdline, true);
    spapr_alloc_init(&t->alloc, t->qts, ALLOC_NO_FLAGS);
    vhm_connect(t);
}

static void eeh_stop(EehTest *t)
{
    g_autofree char *log = g_strdup_printf("%s/ops.log", t->dir);
    g_autofree char *sys = g_strdup_printf("rm -rf '%s'", t->dir);

    alloc_destroy(&t->alloc);
    qtest_quit(t->qts);
    close(t->ctrl);
    g_string_free(t->rbuf, TRUE);
    if (g_getenv("SPAPR_EEH_TEST_KEEP")) {
        g_test_message("host model log kept in %s", log);
    } else {
        g_assert_cmpint(system(sys), ==, 0);
    }
    g_free(t->dir);
}

/* Boot one device and enable EEH on its PE, as a Linux guest does */
static void eeh_start_enabled(EehTest *t, const EehDev *devs,
                              const char *extra)
{
    uint32_t info = 0;

    eeh_start(t, devs, extra);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t->qts, &t->alloc,
                                                    PHB0_BUID, DEV_CFG_ADDR,
                                                    0, &info), ==, 0);
    g_assert_cmphex(info, ==, PE_ADDR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t->qts, &t->alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE), ==, 0);
    g_free(vhm_eeh_ops(t));
}

static uint32_t pe_state(EehTest *t, uint64_t buid)
{
    uint32_t state = 0xdead, info = 0xdead;

    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t->qts, &t->alloc, buid,
                                                     PE_ADDR, &state, &info),
                    ==, RTAS_SUCCESS);
    return state;
}

static uint32_t cfg_read(EehTest *t, uint64_t buid, uint32_t off)
{
    uint32_t addr = ((off & 0xf00) << 20) | DEV_CFG_ADDR | (off & 0xff);

    return qrtas_ibm_read_pci_config(t->qts, &t->alloc, buid, addr, 4);
}

/* Tests */

static void test_enable(void)
{
    EehTest t = { 0 };
    uint32_t info = 0;

    eeh_start(&t, one_dev, NULL);
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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
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

    eeh_start_enabled(&t, one_dev, NULL);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);

    vhm_ok(&t, "freeze all aer=UE:0x4000");
    /* Config space of a stopped PE reads as all-ones; AER passes through */
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0xffffffff);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_DMA);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0x104), ==, 0x4000);

    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_DMA),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "GET_STATE@42 UNFREEZE_IO@42 GET_STATE@42 "
                   "UNFREEZE_DMA@42 GET_STATE@42");
    eeh_stop(&t);
}

static void run_recovery(uint32_t reset_option, const char *reset_op)
{
    EehTest t = { 0 };
    g_autofree char *expect = NULL;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);

    /* Linux: reset, hold, deactivate, settle, configure, then thaw */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, reset_option),
                    ==, RTAS_SUCCESS);
    /* The PowerNV VFIO path keeps the PE stopped while reset is active */
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);

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
 * Limit of QEMU 10.0, pinned: ibm,slot-error-detail answers "no errors
 * found" even for a stopped PE, and asks nothing of the host.
 */
static void test_slot_error_detail_today(void)
{
    EehTest t = { 0 };
    uint64_t drv, buf;

    eeh_start_enabled(&t, one_dev, NULL);
    drv = guest_alloc(&t.alloc, 64);
    buf = guest_alloc(&t.alloc, 2048);
    vhm_ok(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, drv, 64, buf, 2048,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_NO_ERRORS_FOUND);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, drv, 64, buf, 2048,
                                                SLOT_ERR_PERM),
                    ==, RTAS_NO_ERRORS_FOUND);
    /* Function 2 does not make the PE unavailable today */
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    assert_eeh_ops(&t, "GET_STATE@42 GET_STATE@42");
    eeh_stop(&t);
}

/*
 * Limit of QEMU 10.0, pinned: a PHB whose devices sit in two host groups
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
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    g_assert_cmpuint(pe_state(&t, PHB1_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0x00051b36);
    g_assert_cmphex(cfg_read(&t, PHB1_BUID, 0), ==, 0xffffffff);
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

    eeh_start_enabled(&t, one_dev, NULL);
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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/* Unknown BUID and option values out of range */
static void test_bad_values(void)
{
    EehTest t = { 0 };
    const uint64_t bad_buid = PHB0_BUID + 7;
    uint32_t state, info;
    uint64_t buf;

    eeh_start_enabled(&t, one_dev, NULL);
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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/* Host ioctl failures, injected in the model, become PAPR statuses */
static void test_host_failures(void)
{
    EehTest t = { 0 };
    uint32_t state, info;

    eeh_start_enabled(&t, one_dev, NULL);

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
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE),
                    ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "GET_STATE@42 ENABLE@42");
    eeh_stop(&t);
}

/* A PE the host gave up on stays unavailable through any guest action */
static void test_host_permanent(void)
{
    EehTest t = { 0 };

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_UNAVAIL);
    /* The guest's recovery attempt changes nothing */
    qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             SLOT_RESET_HOT);
    qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             SLOT_RESET_DEACTIVATE);
    qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             EEH_OPT_THAW_IO);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_UNAVAIL);
    g_assert_cmphex(cfg_read(&t, PHB0_BUID, 0), ==, 0xffffffff);
    eeh_stop(&t);
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    model_lib = g_getenv("VHM_LIBRARY");
    if (!model_lib || access(model_lib, R_OK)) {
        g_test_message("VHM_LIBRARY does not name the VFIO host model "
                       "library; skipping the sPAPR EEH tests");
        return g_test_run();
    }

    qtest_add_func("spapr-eeh/enable", test_enable);
    qtest_add_func("spapr-eeh/freeze-reported", test_freeze_reported);
    qtest_add_func("spapr-eeh/recovery/hot", test_recovery_hot);
    qtest_add_func("spapr-eeh/recovery/fundamental",
                   test_recovery_fundamental);
    qtest_add_func("spapr-eeh/slot-error-detail/today",
                   test_slot_error_detail_today);
    qtest_add_func("spapr-eeh/limits/two-groups",
                   test_two_groups_unavailable);
    qtest_add_func("spapr-eeh/two-phbs", test_two_phbs);
    qtest_add_func("spapr-eeh/bad-input/counts", test_bad_counts);
    qtest_add_func("spapr-eeh/bad-input/values", test_bad_values);
    qtest_add_func("spapr-eeh/host/failures", test_host_failures);
    qtest_add_func("spapr-eeh/host/permanent", test_host_permanent);

    return g_test_run();
}
