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
#include "qobject/qdict.h"
#include "qobject/qlist.h"
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
    bool stderr_to_file;        /* QEMU's stderr goes to dir/qemu.stderr */
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
                           "VHM_CTRL=%s/ctrl.sock VHM_LOG=%s/ops.log %s%s%s%s",
                           model_lib, list->str, t->dir, t->dir, t->dir,
                           g_getenv("QTEST_QEMU_BINARY"),
                           t->stderr_to_file ? " 2>" : "",
                           t->stderr_to_file ? t->dir : "",
                           t->stderr_to_file ? "/qemu.stderr" : "");
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

/* ibm,slot-error-detail: the log the guest gets back */

#define LOG_MAX                 2048
#define LOG_MIN                 (8 + 16 + 48 + 24 + 80)
#define UD_SUMMARY              1
#define UD_HOST_DATA            2
#define UD_DRIVER               3

/* Summary error classes and address kinds (docs/specs/ppc-spapr-eeh.rst) */
#define CLASS_UNKNOWN           0
#define CLASS_DMA_IOMMU         1
#define CLASS_MMIO              2
#define CLASS_LINK_DOWN         3
#define CLASS_PCIE_UE           4
#define CLASS_CONFIG            5
#define ADDR_IOVA               1
#define ADDR_MMIO               2
#define RAW_PHB3                1
#define RAW_PHB4                2
#define RAW_RTAS                3
#define SRC_AER_CONFIG          2

typedef struct EehLog {
    uint8_t buf[LOG_MAX + 64];
    uint32_t len;               /* from the log's own header */
    int nsec;
    uint32_t off[16];           /* section offsets */
} EehLog;

static uint16_t be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/*
 * Check the structure every consumer relies on (Linux log_error(),
 * librtasevent's parse_rtas_event()): v6 header, "IBM", PH of 48 bytes
 * with the right section count, UH of 24, then sections of at least 16
 * bytes, 4-byte aligned, that add up to the log length.
 */
static void log_parse(EehLog *log, uint32_t ret_len)
{
    uint32_t off;

    g_assert_cmpuint(log->buf[0], ==, 6);               /* version */
    g_assert_cmpuint(log->buf[3], ==, 0xe0);            /* platform error */
    log->len = 8 + be32(log->buf + 4);
    g_assert_cmpuint(log->len, >=, LOG_MIN);
    g_assert_cmpuint(log->len, <=, MIN(ret_len, LOG_MAX));
    g_assert_cmpuint(log->len % 4, ==, 0);
    g_assert_cmphex(be32(log->buf + 20), ==, 0x49424d00); /* "IBM" */

    log->nsec = 0;
    for (off = 24; off < log->len; off += be16(log->buf + off + 2)) {
        g_assert_cmpint(log->nsec, <, ARRAY_SIZE(log->off));
        g_assert_cmpuint(be16(log->buf + off + 2), >=, 16);
        g_assert_cmpuint(be16(log->buf + off + 2) % 4, ==, 0);
        log->off[log->nsec++] = off;
    }
    g_assert_cmpuint(off, ==, log->len);
    g_assert_cmpint(log->nsec, >=, 3);
    g_assert_cmphex(be16(log->buf + 24), ==, 0x5048);   /* PH */
    g_assert_cmpuint(be16(log->buf + 26), ==, 48);
    g_assert_cmpuint(log->buf[24 + 27], ==, log->nsec); /* section count */
    g_assert_cmphex(be16(log->buf + 72), ==, 0x5548);   /* UH */
    g_assert_cmpuint(be16(log->buf + 74), ==, 24);
    g_assert_cmphex(be16(log->buf + 96), ==, 0x5053);   /* PS */
}

/* The UD section of @subtype, or NULL */
static const uint8_t *log_ud(EehLog *log, uint8_t subtype)
{
    int i;

    for (i = 0; i < log->nsec; i++) {
        const uint8_t *sec = log->buf + log->off[i];

        if (be16(sec) == 0x5544 && sec[5] == subtype) {
            return sec;
        }
    }
    return NULL;
}

static const char *log_src(EehLog *log)
{
    static char src[9];

    memcpy(src, log->buf + 96 + 48, 8);       /* PS reference code */
    return src;
}

/* Keep the bytes for the decoder cross-check, when the runner asks */
static void log_save(EehLog *log, const char *name)
{
    const char *dir = g_getenv("SPAPR_EEH_TEST_LOGDIR");
    g_autofree char *path = NULL;

    if (dir) {
        path = g_strdup_printf("%s/%s.bin", dir, name);
        g_assert_true(g_file_set_contents(path, (char *)log->buf, log->len,
                                          NULL));
    }
}

static int32_t slot_error_detail(EehTest *t, const char *drv, uint32_t fn,
                                 EehLog *log)
{
    uint64_t dbuf = 0, rbuf = guest_alloc(&t->alloc, LOG_MAX);
    uint32_t dlen = drv ? strlen(drv) : 0;
    int32_t st;

    if (dlen) {
        dbuf = guest_alloc(&t->alloc, dlen);
        qtest_memwrite(t->qts, dbuf, drv, dlen);
    }
    qtest_memset(t->qts, rbuf, 0, LOG_MAX);
    st = qrtas_ibm_slot_error_detail(t->qts, &t->alloc, PHB0_BUID, PE_ADDR,
                                     dbuf, dlen, rbuf, LOG_MAX, fn);
    memset(log, 0, sizeof(*log));
    qtest_memread(t->qts, rbuf, log->buf, LOG_MAX);
    if (st == RTAS_SUCCESS) {
        log_parse(log, LOG_MAX);
    }
    return st;
}

/*
 * Today's kernels: no host log, so the record comes from the AER
 * registers, read once the guest released MMIO (state 4) as Linux does
 * before it asks for the log.
 */
static void test_log_aer_only(void)
{
    static const char drv[] = "0001:00:01.0\ndev/vend:00051b36\n";
    EehTest t = { 0 };
    EehLog log;
    const uint8_t *sum, *ud;

    eeh_start_enabled(&t, one_dev, NULL);
    /* Nothing to report on a healthy PE */
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_NO_ERRORS_FOUND);

    vhm_ok(&t, "freeze all aer=UE:0x100000 hdr=0x40000001,0x0100000f,"
           "0x80000000,0x0");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    log_save(&log, "aer-only");
    g_assert_cmpstr(log_src(&log), ==, "BA188001");

    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmphex(be32(sum + 8), ==, 0x51454548);     /* "QEEH" */
    g_assert_cmpuint(be16(sum + 8 + 4), ==, 1);
    /* Unsupported Request: the device rejected a load or store */
    g_assert_cmpuint(sum[8 + 8], ==, CLASS_MMIO);
    g_assert_cmpuint(sum[8 + 10], ==, SLOT_ERR_TEMP);
    g_assert_cmpuint(sum[8 + 16], ==, SRC_AER_CONFIG);  /* class source */
    g_assert_cmpuint(sum[8 + 19], ==, SRC_AER_CONFIG);  /* AER source */
    g_assert_cmpuint(be32(sum + 8 + 36), ==, 1);        /* freeze count */
    g_assert_cmpuint(be32(sum + 8 + 40), ==, 0);        /* dropped */
    g_assert_cmphex(be32(sum + 8 + 44), ==, 0x100000);  /* UE status */
    g_assert_cmphex(be32(sum + 8 + 56), ==, 0x40000001);
    g_assert_cmphex(be32(sum + 8 + 60), ==, 0x0100000f);
    g_assert_cmphex(be32(sum + 8 + 64), ==, 0x80000000);
    g_assert_cmpuint(sum[8 + 80], ==, 0);               /* no host data */
    g_assert_cmpuint(be32(sum + 8 + 88), ==, strlen(drv));
    g_assert_null(log_ud(&log, UD_HOST_DATA));

    /* The driver buffer comes last, whole */
    ud = log_ud(&log, UD_DRIVER);
    g_assert_nonnull(ud);
    g_assert_true(ud == log.buf + log.off[log.nsec - 1]);
    g_assert_cmpuint(be16(ud + 8 + 2), ==, strlen(drv));
    g_assert_cmpmem(ud + 16, strlen(drv), drv, strlen(drv));

    /* The guest recovers: the PE is available again, no more log */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_DEACTIVATE),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_NO_ERRORS_FOUND);
    eeh_stop(&t);
}

/* Function 2: the PE becomes permanently unavailable, until reset */
static void test_log_permanent(void)
{
    EehTest t = { 0 };
    uint32_t state = 0, info = 0xdead;
    EehLog log;
    const uint8_t *sum;
    QDict *rsp;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x20");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log), ==,
                    RTAS_SUCCESS);
    log_save(&log, "permanent");
    g_assert_cmpstr(log_src(&log), ==, "BA188002");
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[8 + 10], ==, SLOT_ERR_PERM);
    /* AER was not readable while stopped, and nothing thawed it */
    g_assert_cmpuint(sum[8 + 8], ==, CLASS_UNKNOWN);
    g_assert_null(log_ud(&log, UD_DRIVER));
    g_free(vhm_eeh_ops(&t));

    /* State 5 with unavailable-info 0, without asking the host */
    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t.qts, &t.alloc,
                                                     PHB0_BUID, PE_ADDR,
                                                     &state, &info), ==, 0);
    g_assert_cmpuint(state, ==, PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    /* Recovery attempts fail and do not reach the host */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, PHB0_BUID,
                                           PE_ADDR), ==, RTAS_HW_ERROR);
    assert_eeh_ops(&t, "");
    /* The log can still be fetched */
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);

    /* A machine reset gives the PE back */
    rsp = qtest_qmp(t.qts, "{'execute': 'system_reset'}");
    g_assert_false(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
    qtest_qmp_eventwait(t.qts, "RESET");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/* Two freezes before the guest asks: the log says one was dropped */
static void test_log_second_freeze(void)
{
    EehTest t = { 0 };
    EehLog log;
    const uint8_t *sum;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    /* Asking again during the same stop captures nothing new */
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    vhm_ok(&t, "thaw");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    vhm_ok(&t, "freeze all aer=UE:0x1000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, "x", SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(be32(sum + 8 + 36), ==, 2);        /* freeze count */
    g_assert_cmpuint(be32(sum + 8 + 40), ==, 1);        /* dropped */
    /* The newest error: AER status keeps both errors' bits */
    g_assert_cmphex(be32(sum + 8 + 44), ==, 0x5000);
    eeh_stop(&t);
}

/*
 * A host with the proposed kernel interface hands out its diag data: the
 * log carries QEMU's interpretation and the raw data, whole if it fits.
 */
typedef struct DiagCase {
    const char *freeze;         /* host-side error */
    uint8_t err_class;
    uint8_t addr_kind;
    uint64_t addr;
    uint8_t raw_format;
    uint32_t raw_len;
    int32_t rid;                /* guest requester id, -1 none, -2 any */
} DiagCase;

#define GUEST_BAR0              0x80010000
/* The model's BAR0 dword 0 (device << 16 | vendor), as a big-endian load */
#define BAR0_ID_BE              0x361b0500

/* Put BAR0 at GUEST_BAR0 and write @command to COMMAND */
static void bar0_assign(EehTest *t, uint16_t command)
{
    g_assert_cmpint(qrtas_ibm_write_pci_config(t->qts, &t->alloc, PHB0_BUID,
                                               DEV_CFG_ADDR | 0x10, 4,
                                               GUEST_BAR0), ==, 0);
    g_assert_cmpint(qrtas_ibm_write_pci_config(t->qts, &t->alloc, PHB0_BUID,
                                               DEV_CFG_ADDR | 0x04, 2,
                                               command), ==, 0);
}

static void run_diag(gconstpointer data)
{
    const DiagCase *dc = data;
    EehTest t = { 0 };
    EehLog log;
    const uint8_t *sum, *raw;
    g_autofree char *name = NULL;
    uint32_t raw_len;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "option eeh_error_feature=1");
    /* Give BAR0 a guest address and decode it, as the guest kernel does */
    bar0_assign(&t, 0x0006);

    vhm_ok(&t, "freeze all aer=UE:0x100000 %s", dc->freeze);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(slot_error_detail(&t, "drv", SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    name = g_strdup_printf("diag-%s", dc->freeze);
    g_strdelimit(name, " =", '_');
    log_save(&log, name);

    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[8 + 8], ==, dc->err_class);
    g_assert_cmpuint(sum[8 + 9], ==, dc->addr_kind);
    if (dc->addr_kind) {
        g_assert_cmphex(be32(sum + 8 + 24), ==, dc->addr >> 32);
        g_assert_cmphex(be32(sum + 8 + 28), ==, dc->addr & 0xffffffff);
        g_assert_cmpuint(be32(sum + 8 + 12) & 1, ==, 1);  /* valid */
    }
    g_assert_cmpuint(sum[8 + 80], ==, dc->raw_format);
    raw_len = dc->raw_len ? dc->raw_len : be32(sum + 8 + 84);
    g_assert_cmpuint(be32(sum + 8 + 84), ==, raw_len);
    g_assert_cmpuint(raw_len, >, 0);
    /* Requester ids are the guest's: a host-only one is not passed on */
    if (dc->rid >= 0) {
        g_assert_cmpuint(be32(sum + 8 + 12) & 2, ==, 2);
        g_assert_cmphex(be16(sum + 8 + 32), ==, dc->rid);
    } else if (dc->rid == -1) {
        g_assert_cmpuint(be32(sum + 8 + 12) & 2, ==, 0);
        g_assert_cmphex(be16(sum + 8 + 32), ==, 0);
    }

    /* The raw data: its own section, cut to fit and flagged if needed */
    raw = log_ud(&log, UD_HOST_DATA);
    g_assert_nonnull(raw);
    g_assert_cmpuint(raw[8], ==, dc->raw_format);
    g_assert_cmpuint(be32(raw + 8 + 4), ==, raw_len);
    g_assert_cmpuint(raw[8 + 1] & 1, ==, raw_len > be16(raw + 8 + 2));
    if (dc->raw_format != RAW_RTAS) {
        /* OPAL common header: version 1, ioType, length */
        g_assert_cmphex(be32(raw + 16), ==, 1);
        g_assert_cmphex(be32(raw + 16 + 4), ==,
                        dc->raw_format == RAW_PHB4 ? 3 : 2);
        g_assert_cmpuint(be32(raw + 16 + 8), ==, dc->raw_len);
    }
    /* The driver buffer is still the last section */
    g_assert_true(log_ud(&log, UD_DRIVER) == log.buf + log.off[log.nsec - 1]);
    eeh_stop(&t);
}

static const DiagCase diag_cases[] = {
    { "diag=phb4 class=dma-iommu iova=0x8000123000",
      CLASS_DMA_IOMMU, ADDR_IOVA, 0x8000123000ULL, RAW_PHB4, 8576, 0x0008 },
    { "diag=phb3 class=dma-iommu iova=0x7fff0000",
      CLASS_DMA_IOMMU, ADDR_IOVA, 0x7fff0000ULL, RAW_PHB3, 4392, 0x0008 },
    { "diag=phb4 class=dma-access iova=0x10000 rid=0x0300",
      CLASS_DMA_IOMMU, ADDR_IOVA, 0x10000ULL, RAW_PHB4, 8576, -1 },
    { "diag=phb4 class=mmio-load bar=0 off=0x40",
      CLASS_MMIO, ADDR_MMIO, GUEST_BAR0 + 0x40, RAW_PHB4, 8576, -2 },
    { "diag=phb3 class=mmio-store bar=0 off=0x1ffc",
      CLASS_MMIO, ADDR_MMIO, GUEST_BAR0 + 0x1ffc, RAW_PHB3, 4392, -2 },
    { "diag=phb4 class=link-down",
      CLASS_LINK_DOWN, 0, 0, RAW_PHB4, 8576, -2 },
    { "diag=phb4 class=pcie-ue",
      CLASS_PCIE_UE, 0, 0, RAW_PHB4, 8576, -2 },
    { "diag=phb4 class=cfg-read",
      CLASS_CONFIG, 0, 0, RAW_PHB4, 8576, -2 },
    /* A pseries host's RTAS log is passed on, not interpreted */
    { "diag=rtas",
      CLASS_UNKNOWN, 0, 0, RAW_RTAS, 0, -1 },
};

/* Guest buffers that are not usable, and bytes never written past */
static void test_log_bad_buffers(void)
{
    EehTest t = { 0 };
    uint64_t rbuf, dbuf;
    uint8_t canary[64], after[64];
    EehLog log;
    const uint8_t *ud;
    uint32_t ret_len;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    rbuf = guest_alloc(&t.alloc, LOG_MAX + sizeof(canary));
    dbuf = guest_alloc(&t.alloc, 4096);
    qtest_memset(t.qts, dbuf, 'D', 4096);

    /* Zero, too small, unmapped, wrapping past 4 GiB */
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, rbuf, 0,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, rbuf,
                                                LOG_MIN - 4, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, 0xf0000000,
                                                LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, 0xfffffc00,
                                                LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0xf0000000, 64,
                                                rbuf, LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0xfffffff0, 0x100,
                                                rbuf, LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    /* Still stopped, still answering */
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);

    /* Short return buffers: the log fits, the canary after it survives */
    memset(canary, 0x5a, sizeof(canary));
    for (ret_len = LOG_MIN; ret_len <= LOG_MAX; ret_len += 124) {
        qtest_memset(t.qts, rbuf, 0, LOG_MAX + sizeof(canary));
        qtest_memwrite(t.qts, rbuf + ret_len, canary, sizeof(canary));
        g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc,
                                                    PHB0_BUID, PE_ADDR,
                                                    dbuf, 4096, rbuf, ret_len,
                                                    SLOT_ERR_TEMP),
                        ==, RTAS_SUCCESS);
        qtest_memread(t.qts, rbuf + ret_len, after, sizeof(after));
        g_assert_cmpmem(after, sizeof(after), canary, sizeof(canary));
        memset(&log, 0, sizeof(log));
        qtest_memread(t.qts, rbuf, log.buf, ret_len);
        log_parse(&log, ret_len);
    }

    /* A huge driver length is read no further than the log can hold */
    qtest_memset(t.qts, rbuf + LOG_MAX, 0x5a, sizeof(canary));
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, dbuf, 0xffffffff,
                                                rbuf, 0xffffffff,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_SUCCESS);
    memset(&log, 0, sizeof(log));
    qtest_memread(t.qts, rbuf, log.buf, LOG_MAX);
    log_parse(&log, LOG_MAX);
    log_save(&log, "huge-driver-buffer");
    qtest_memread(t.qts, rbuf + LOG_MAX, after, sizeof(after));
    g_assert_cmpmem(after, sizeof(after), canary, sizeof(canary));
    ud = log_ud(&log, UD_DRIVER);
    g_assert_nonnull(ud);
    g_assert_cmpuint(ud[8 + 1] & 1, ==, 1);             /* truncated */
    g_assert_cmpuint(ud[16], ==, 'D');
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

/*
 * A guest retrying a host operation that keeps failing must not flood
 * QEMU's stderr: one report a second, with the count of those left out.
 */
static void test_host_failure_flood(void)
{
    EehTest t = { .stderr_to_file = true };
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned i, n = 0;

    eeh_start_enabled(&t, one_dev, NULL);
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
    path = g_strdup_printf("%s/qemu.stderr", t.dir);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
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

/*
 * Host state 5 is passed on as temporary (retry in 1000 ms) until it has
 * lasted the PHB's eeh-unavailable-timeout seconds of guest time since
 * QEMU first saw it, and then as permanent (unavailable-info 0).
 */
#define NS_PER_S                ((int64_t)1000 * 1000 * 1000)
#define UNAVAIL_TIMEOUT(s) \
    "-global spapr-pci-host-bridge.eeh-unavailable-timeout=" #s " "

static uint32_t unavail_info(EehTest *t)
{
    uint32_t state = 0xdead, info = 0xdead;

    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t->qts, &t->alloc,
                                                     PHB0_BUID, PE_ADDR,
                                                     &state, &info),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(state, ==, PE_STATE_UNAVAIL);
    return info;
}

static void test_host_unavail_timeout(void)
{
    EehTest t = { 0 };
    QDict *rsp;

    /* Default: 60 s */
    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 59 * NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 0);
    qtest_clock_step(t.qts, NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 0);
    /* The guest's recovery attempts still reach the host */
    qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             SLOT_RESET_HOT);
    g_assert_cmpuint(unavail_info(&t), ==, 0);

    /* A machine reset starts over while the host PE stays unavailable */
    rsp = qtest_qmp(t.qts, "{'execute': 'system_reset'}");
    g_assert_false(qdict_haskey(rsp, "error"));
    qobject_unref(rsp);
    qtest_qmp_eventwait(t.qts, "RESET");
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    eeh_stop(&t);

    /* A shorter timeout, counted from the first time QEMU saw state 5 */
    memset(&t, 0, sizeof(t));
    eeh_start_enabled(&t, one_dev, UNAVAIL_TIMEOUT(2));
    vhm_ok(&t, "unavailable");
    qtest_clock_step(t.qts, 10 * NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 2 * NS_PER_S - 1);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 1);
    g_assert_cmpuint(unavail_info(&t), ==, 0);
    eeh_stop(&t);

    /* 0: never permanent */
    memset(&t, 0, sizeof(t));
    eeh_start_enabled(&t, one_dev, UNAVAIL_TIMEOUT(0));
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 3600 * NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    eeh_stop(&t);
}

/*
 * MMIO that no device claims in a PHB window ends like an Unsupported
 * Request on a real PHB: all-ones for a load, a dropped store, no machine
 * check.  eeh_dev_break does this: memory decoding off, then a load from
 * the BAR.  The PHB property unclaimed-mmio-ones=off restores the decode
 * error (qtest reads it as 0).
 */
#define PHB0_MEM32_CPU          0x200080000000ULL /* PCI bus 0x80000000 */
#define PCI_MEM32_BUS           0x80000000ULL
#define UNCLAIMED               (PHB0_MEM32_CPU + 0x100000)

static void test_unclaimed_mmio(void)
{
    EehTest t = { 0 };
    uint64_t bar0 = PHB0_MEM32_CPU + GUEST_BAR0 - PCI_MEM32_BUS;

    eeh_start_enabled(&t, one_dev, NULL);
    g_assert_cmphex(qtest_readb(t.qts, UNCLAIMED), ==, 0xff);
    g_assert_cmphex(qtest_readw(t.qts, UNCLAIMED + 2), ==, 0xffff);
    g_assert_cmphex(qtest_readl(t.qts, UNCLAIMED + 4), ==, 0xffffffff);
    g_assert_cmphex(qtest_readq(t.qts, UNCLAIMED + 8), ==, UINT64_MAX);
    qtest_writel(t.qts, UNCLAIMED, 0x12345678);
    g_assert_cmphex(qtest_readl(t.qts, UNCLAIMED), ==, 0xffffffff);

    /* BAR0 decoded: the device's identification register answers */
    bar0_assign(&t, 0x0002);
    g_assert_cmphex(qtest_readl(t.qts, bar0), ==, BAR0_ID_BE);
    /* Memory decoding off: all-ones, the PE stays as it was */
    g_assert_cmpint(qrtas_ibm_write_pci_config(t.qts, &t.alloc, PHB0_BUID,
                                               DEV_CFG_ADDR | 0x04, 2,
                                               0x0000), ==, 0);
    g_free(vhm_eeh_ops(&t));
    g_assert_cmphex(qtest_readl(t.qts, bar0), ==, 0xffffffff);
    g_assert_cmphex(qtest_readb(t.qts, bar0 + 0x10), ==, 0xff);
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    assert_eeh_ops(&t, "GET_STATE@42");
    eeh_stop(&t);

    memset(&t, 0, sizeof(t));
    eeh_start_enabled(&t, one_dev,
                      "-global spapr-pci-host-bridge.unclaimed-mmio-ones=off ");
    g_assert_cmphex(qtest_readl(t.qts, UNCLAIMED), ==, 0);
    eeh_stop(&t);
}

/*
 * QMP: VFIO_EEH events and query-vfio-eeh.  The event is rate-limited per
 * device: the first one is sent at once, a later one within a second is
 * delayed, and only the last of those is sent.  Each test waits for one
 * event at a time, so every event it waits for is the last one sent.
 */

#define EEH_EVENT_RATE_NS       (1000 * 1000 * 1000)

/* Wait for VFIO_EEH of @kind; returns its data (free with the event) */
static QDict *qmp_eeh_event(EehTest *t, const char *kind, QDict **ev)
{
    QDict *data;

    *ev = qtest_qmp_eventwait_ref(t->qts, "VFIO_EEH");
    data = qdict_get_qdict(*ev, "data");
    g_assert_nonnull(data);
    g_assert_cmpstr(qdict_get_str(data, "kind"), ==, kind);
    /* The devices of these tests have no id */
    g_assert_false(qdict_haskey(data, "device-id"));
    g_assert_true(g_str_has_prefix(qdict_get_str(data, "qom-path"),
                                   "/machine/peripheral-anon/"));
    g_assert_true(g_str_has_prefix(qdict_get_str(data, "phb"), "/machine/"));
    return data;
}

/* query-vfio-eeh; the one PE it must list */
static QDict *qmp_eeh_query(EehTest *t, QDict **rsp)
{
    QList *ret;

    *rsp = qtest_qmp(t->qts, "{'execute': 'query-vfio-eeh'}");
    g_assert_false(qdict_haskey(*rsp, "error"));
    ret = qdict_get_qlist(*rsp, "return");
    g_assert_nonnull(ret);
    g_assert_cmpuint(qlist_size(ret), ==, 1);
    return qobject_to(QDict, qlist_peek(ret));
}

static void test_qmp_frozen(void)
{
    EehTest t = { 0 };
    EehLog log;
    QDict *ev, *data, *err, *rsp, *pe, *rec;
    QList *recs, *hdr;
    g_autofree char *phb = NULL;
    uint32_t plid;

    eeh_start_enabled(&t, one_dev, NULL);
    /* A healthy PE: listed, with nothing to tell */
    pe = qmp_eeh_query(&t, &rsp);
    g_assert_false(qdict_get_bool(pe, "permanent"));
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 0);
    g_assert_cmpuint(qlist_size(qdict_get_qlist(pe, "records")), ==, 0);
    qobject_unref(rsp);

    vhm_ok(&t, "freeze all aer=UE:0x100000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    data = qmp_eeh_event(&t, "frozen", &ev);
    phb = g_strdup(qdict_get_str(data, "phb"));
    err = qdict_get_qdict(data, "error");
    g_assert_nonnull(err);
    g_assert_cmpuint(qdict_get_int(err, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(err, "dropped"), ==, 0);
    g_assert_true(qdict_haskey(err, "class"));
    qobject_unref(ev);

    /* The guest thaws MMIO and fetches the log, as Linux does */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    plid = be32(log.buf + 24 + 40);

    pe = qmp_eeh_query(&t, &rsp);
    g_assert_cmpstr(qdict_get_str(pe, "phb"), ==, phb);
    g_assert_false(qdict_get_bool(pe, "permanent"));
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(pe, "dropped"), ==, 0);
    recs = qdict_get_qlist(pe, "records");
    g_assert_cmpuint(qlist_size(recs), ==, 1);
    rec = qobject_to(QDict, qlist_peek(recs));
    g_assert_cmphex(qdict_get_int(rec, "plid"), ==, plid);
    g_assert_cmpstr(qdict_get_str(rec, "class"), ==, "mmio");
    g_assert_cmpuint(qdict_get_int(rec, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(rec, "pe-state"), ==,
                     PE_STATE_STOPPED_IO_DMA);
    g_assert_cmphex(qdict_get_int(rec, "aer-ue-status"), ==, 0x100000);
    hdr = qdict_get_qlist(rec, "aer-header-log");
    g_assert_nonnull(hdr);
    g_assert_cmpuint(qlist_size(hdr), ==, 4);
    g_assert_cmpstr(qdict_get_str(rec, "host-data-format"), ==, "none");
    g_assert_cmpuint(qdict_get_int(rec, "host-data-length"), ==, 0);
    g_assert_false(qdict_haskey(rec, "host-data"));
    g_assert_false(qdict_haskey(rec, "fault-address"));
    g_assert_true(qdict_get_bool(rec, "delivered"));
    g_assert_false(qdict_get_bool(rec, "released"));
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* The PE is available again: kind recovered, with no error */
static void test_qmp_recovered(void)
{
    EehTest t = { 0 };
    QDict *ev, *data;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    qmp_eeh_event(&t, "frozen", &ev);
    qobject_unref(ev);

    vhm_ok(&t, "thaw");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_NORMAL);
    /*
     * Within a second of the last one: held back until the second is
     * over (qtest runs the rate limit on the virtual clock), then sent.
     * A QMP round trip first: an event sent at once would precede its
     * reply.
     */
    qobject_unref(qtest_qmp(t.qts, "{'execute': 'query-status'}"));
    g_assert_null(qtest_qmp_event_ref(t.qts, "VFIO_EEH"));
    qtest_clock_step(t.qts, EEH_EVENT_RATE_NS);
    data = qmp_eeh_event(&t, "recovered", &ev);
    g_assert_false(qdict_haskey(data, "error"));
    qobject_unref(ev);
    eeh_stop(&t);
}

/* Function 2: kind permanent, and the query says so */
static void test_qmp_permanent(void)
{
    EehTest t = { 0 };
    EehLog log;
    QDict *ev, *data, *rsp, *pe;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "freeze all aer=UE:0x20");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    qmp_eeh_event(&t, "frozen", &ev);
    qobject_unref(ev);

    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log), ==,
                    RTAS_SUCCESS);
    qtest_clock_step(t.qts, EEH_EVENT_RATE_NS);
    data = qmp_eeh_event(&t, "permanent", &ev);
    g_assert_cmpuint(qdict_get_int(qdict_get_qdict(data, "error"),
                                   "freeze-count"), ==, 1);
    qobject_unref(ev);

    pe = qmp_eeh_query(&t, &rsp);
    g_assert_true(qdict_get_bool(pe, "permanent"));
    g_assert_cmpuint(qlist_size(qdict_get_qlist(pe, "records")), ==, 1);
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* Management gets all of the host data, not the part that fits the log */
static void test_qmp_host_data(void)
{
    EehTest t = { 0 };
    EehLog log;
    QDict *rsp, *pe, *rec;
    const char *hex;

    eeh_start_enabled(&t, one_dev, NULL);
    vhm_ok(&t, "option eeh_error_feature=1");
    vhm_ok(&t, "freeze all aer=UE:0x100000 diag=phb4 class=link-down");
    g_assert_cmpuint(pe_state(&t, PHB0_BUID), ==, PE_STATE_STOPPED_IO_DMA);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);

    pe = qmp_eeh_query(&t, &rsp);
    rec = qobject_to(QDict, qlist_peek(qdict_get_qlist(pe, "records")));
    g_assert_nonnull(rec);
    g_assert_cmpstr(qdict_get_str(rec, "class"), ==, "link-down");
    g_assert_cmpstr(qdict_get_str(rec, "host-data-format"), ==, "phb4");
    g_assert_cmpuint(qdict_get_int(rec, "host-data-length"), ==, 8576);
    hex = qdict_get_str(rec, "host-data");
    g_assert_cmpuint(strlen(hex), ==, 2 * 8576);
    g_assert_cmpuint(strspn(hex, "0123456789abcdef"), ==, strlen(hex));
    /* OPAL common header: version 1, ioType PHB4 (3), length */
    g_assert_true(g_str_has_prefix(hex, "000000010000000300002180"));
    qobject_unref(rsp);
    eeh_stop(&t);
}

int main(int argc, char *argv[])
{
    int i;

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
    qtest_add_func("spapr-eeh/log/aer-only", test_log_aer_only);
    qtest_add_func("spapr-eeh/log/permanent", test_log_permanent);
    qtest_add_func("spapr-eeh/log/second-freeze", test_log_second_freeze);
    qtest_add_func("spapr-eeh/log/bad-buffers", test_log_bad_buffers);
    for (i = 0; i < ARRAY_SIZE(diag_cases); i++) {
        g_autofree char *path = g_strdup_printf("spapr-eeh/log/host-diag/%d",
                                                i);

        qtest_add_data_func(path, &diag_cases[i], run_diag);
    }
    qtest_add_func("spapr-eeh/limits/two-groups",
                   test_two_groups_unavailable);
    qtest_add_func("spapr-eeh/two-phbs", test_two_phbs);
    qtest_add_func("spapr-eeh/bad-input/counts", test_bad_counts);
    qtest_add_func("spapr-eeh/bad-input/values", test_bad_values);
    qtest_add_func("spapr-eeh/host/failures", test_host_failures);
    qtest_add_func("spapr-eeh/host/permanent", test_host_permanent);
    qtest_add_func("spapr-eeh/host/failure-flood", test_host_failure_flood);
    qtest_add_func("spapr-eeh/host/unavailable-timeout",
                   test_host_unavail_timeout);
    qtest_add_func("spapr-eeh/unclaimed-mmio", test_unclaimed_mmio);
    qtest_add_func("spapr-eeh/qmp/frozen", test_qmp_frozen);
    qtest_add_func("spapr-eeh/qmp/recovered", test_qmp_recovered);
    qtest_add_func("spapr-eeh/qmp/permanent", test_qmp_permanent);
    qtest_add_func("spapr-eeh/qmp/host-data", test_qmp_host_data);

    return g_test_run();
}
