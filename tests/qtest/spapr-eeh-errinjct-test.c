/*
 * QTest: sPAPR guest error injection (ibm,open-errinjct, ibm,errinjct,
 * ibm,close-errinjct) on VFIO devices
 *
 * Each test checks the status the guest gets and what reached the host:
 * the VFIO_EEH_PE_OP INJECT_ERR requests in the host model's operation
 * log, with the error type, function, host address and mask the host
 * got (see spapr-eeh-common.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "libqos/libqos-spapr.h"
#include "spapr-eeh-common.h"

#define RTAS_BUSY               (-2)
#define RTAS_NOT_OPENER         (-4)

#define IOA_BUS_ERROR           7
#define IOA_BUS_ERROR_64        15

#define FUNC_LD_MEM_ADDR        0
#define FUNC_LD_MEM_DATA        1
#define FUNC_LD_CFG_ADDR        4
#define FUNC_ST_MEM_ADDR        6
#define FUNC_ST_MEM_DATA        7
#define FUNC_ST_CFG_DATA        11
#define FUNC_DMA_RD_ADDR        12
#define FUNC_DMA_WR_TARGET      19

/* BAR0 of the device at DEV_CFG_ADDR, as the guest's CPU sees it */
#define PHB0_MMIO32_CPU         (1ULL << 45)
#define GUEST_BAR0_CPU          (PHB0_MMIO32_CPU + GUEST_BAR0)

/* What the model's op log says about one INJECT_ERR */
typedef struct HostInject {
    int group;
    uint32_t type;
    uint32_t func;
    uint64_t addr;
    uint64_t mask;
    int ret;
    char err[16];               /* errno name of a failed one */
} HostInject;

/* The INJECT_ERR requests the host got since the last call */
static GArray *host_injects(EehTest *t)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *st = vhm_cmd(t, lines, "log %" PRIu64, t->log_seq);
    GArray *out = g_array_new(FALSE, TRUE, sizeof(HostInject));
    guint i;

    g_assert_true(g_str_has_prefix(st, "OK "));
    t->log_seq = g_ascii_strtoull(st + 3, NULL, 10);
    for (i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *p = strstr(l, "op=INJECT_ERR ");
        HostInject hi = { 0 };
        const char *f;

        if (!p) {
            continue;
        }
        g_assert_nonnull(f = strstr(p, " group="));
        hi.group = atoi(f + 7);
        g_assert_nonnull(f = strstr(p, " type="));
        hi.type = g_ascii_strtoull(f + 6, NULL, 0);
        g_assert_nonnull(f = strstr(p, " func="));
        hi.func = g_ascii_strtoull(f + 6, NULL, 0);
        g_assert_nonnull(f = strstr(p, " addr="));
        hi.addr = g_ascii_strtoull(f + 6, NULL, 0);
        g_assert_nonnull(f = strstr(p, " mask="));
        hi.mask = g_ascii_strtoull(f + 6, NULL, 0);
        g_assert_nonnull(f = strstr(p, " = "));
        hi.ret = atoi(f + 3);
        f = strchr(f + 3, ' ');
        if (f) {
            g_strlcpy(hi.err, f + 1, sizeof(hi.err));
            g_strchomp(hi.err);
        }
        g_array_append_val(out, hi);
    }
    return out;
}

static void assert_no_host_inject(EehTest *t)
{
    g_autoptr(GArray) hi = host_injects(t);

    g_assert_cmpuint(hi->len, ==, 0);
}

/* Where the host has BAR @bar of the device @bdf: its sysfs resource */
static uint64_t host_bar(EehTest *t, const char *bdf, int bar)
{
    g_autofree char *path = g_strdup_printf("%s/sys/devices/%s/resource",
                                            t->dir, bdf);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    uint64_t start;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), >, bar);
    start = g_ascii_strtoull(lines[bar], NULL, 16);
    g_assert_cmphex(start, !=, 0);
    return start;
}

static int errinjct_open(EehTest *t, uint32_t *token)
{
    uint32_t ret[2] = { 0xdead, 0xdead };

    g_assert_cmpuint(qrtas_call(t->qts, &t->alloc, "ibm,open-errinjct",
                                0, NULL, 2, ret), ==, 0);
    *token = ret[0];
    return (int32_t)ret[1];
}

static int errinjct_close(EehTest *t, uint32_t token)
{
    uint32_t ret = 0xdead;

    g_assert_cmpuint(qrtas_call(t->qts, &t->alloc, "ibm,close-errinjct",
                                1, &token, 1, &ret), ==, 0);
    return (int32_t)ret;
}

/* A 1 KiB aligned work buffer in guest memory, holding @words */
static uint64_t work_buffer(EehTest *t, const uint32_t *words, int n)
{
    uint64_t raw = guest_alloc(&t->alloc, 2048);
    uint64_t buf = ROUND_UP(raw, 1024);
    int i;

    for (i = 0; i < n; i++) {
        qtest_writel(t->qts, buf + 4 * i, words[i]);
    }
    return buf;
}

static int errinjct_raw(EehTest *t, uint32_t type, uint32_t token,
                        uint64_t buf)
{
    uint32_t args[3] = { type, token, buf };
    uint32_t ret = 0xdead;

    g_assert_cmpuint(qrtas_call(t->qts, &t->alloc, "ibm,errinjct", 3, args,
                                1, &ret), ==, 0);
    return (int32_t)ret;
}

/* ioa-bus-error with these fields, through a fresh work buffer */
static int ioa_bus_error(EehTest *t, uint32_t token, uint32_t addr,
                         uint32_t mask, uint32_t cfg, uint64_t buid,
                         uint32_t func)
{
    uint32_t w[6] = { addr, mask, cfg, buid >> 32, buid, func };

    return errinjct_raw(t, IOA_BUS_ERROR, token, work_buffer(t, w, 6));
}

static int ioa_bus_error_64(EehTest *t, uint32_t token, uint64_t addr,
                            uint64_t mask, uint32_t cfg, uint64_t buid,
                            uint32_t func)
{
    uint32_t w[8] = { addr >> 32, addr, mask >> 32, mask, cfg, buid >> 32,
                      buid, func };

    return errinjct_raw(t, IOA_BUS_ERROR_64, token, work_buffer(t, w, 8));
}

/* The machine with the device's BAR0 decoded, and a session open */
static uint32_t start_open(EehTest *t, const char *extra)
{
    uint32_t token = 0;

    eeh_start_enabled(t, eeh_one_dev, extra);
    eeh_bar0_assign(t, 0x0006);
    g_assert_cmpint(errinjct_open(t, &token), ==, RTAS_SUCCESS);
    g_assert_cmphex(token, !=, 0);
    g_free(vhm_eeh_ops(t));
    return token;
}

static QDict *query_pe(EehTest *t, QDict **rsp)
{
    QList *l;

    *rsp = qtest_qmp(t->qts, "{ 'execute': 'query-vfio-eeh' }");
    g_assert_true(qdict_haskey(*rsp, "return"));
    l = qdict_get_qlist(*rsp, "return");
    return qobject_to(QDict, qlist_peek(l));
}

static void test_session(void)
{
    EehTest t = { 0 };
    uint32_t token, other = 0, bad;
    uint32_t ret[2];

    eeh_start_enabled(&t, eeh_one_dev, NULL);

    /* Nothing is open: errinjct and close say -4 */
    g_assert_cmpint(errinjct_close(&t, 1), ==, RTAS_NOT_OPENER);
    g_assert_cmpint(ioa_bus_error(&t, 1, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_NOT_OPENER);

    /* One session per machine: a second open gets -4 and no token */
    g_assert_cmpint(errinjct_open(&t, &token), ==, RTAS_SUCCESS);
    g_assert_cmphex(token, !=, 0);
    g_assert_cmpint(errinjct_open(&t, &other), ==, RTAS_NOT_OPENER);
    g_assert_cmphex(other, ==, 0);

    /* Another caller's token closes nothing, injects nothing */
    bad = token + 1;
    g_assert_cmpint(errinjct_close(&t, bad), ==, RTAS_NOT_OPENER);
    g_assert_cmpint(errinjct_close(&t, 0), ==, RTAS_NOT_OPENER);
    g_assert_cmpint(ioa_bus_error(&t, bad, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_NOT_OPENER);
    /* ... and the session stays open for its owner */
    g_assert_cmpint(errinjct_open(&t, &other), ==, RTAS_NOT_OPENER);
    g_assert_cmpint(errinjct_close(&t, token), ==, RTAS_SUCCESS);
    g_assert_cmpint(errinjct_close(&t, token), ==, RTAS_NOT_OPENER);

    /* A new session gets a new token; the old one is dead */
    g_assert_cmpint(errinjct_open(&t, &other), ==, RTAS_SUCCESS);
    g_assert_cmphex(other, !=, token);
    g_assert_cmpint(errinjct_close(&t, token), ==, RTAS_NOT_OPENER);

    /* Wrong argument or return counts: -3, the session unchanged */
    g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, "ibm,open-errinjct",
                                1, &token, 2, ret), ==, 0);
    g_assert_cmpint((int32_t)ret[1], ==, RTAS_PARAM_ERROR);
    g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, "ibm,open-errinjct",
                                0, NULL, 1, ret), ==, 0);
    g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);
    g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, "ibm,close-errinjct",
                                0, NULL, 1, ret), ==, 0);
    g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);
    g_assert_cmpuint(qrtas_call(t.qts, &t.alloc, "ibm,errinjct",
                                2, ret, 1, ret), ==, 0);
    g_assert_cmpint((int32_t)ret[0], ==, RTAS_PARAM_ERROR);

    /* Machine reset closes the session */
    qtest_qmp_assert_success(t.qts, "{ 'execute': 'system_reset' }");
    g_assert_cmpint(errinjct_close(&t, other), ==, RTAS_NOT_OPENER);
    g_assert_cmpint(errinjct_open(&t, &token), ==, RTAS_SUCCESS);
    assert_no_host_inject(&t);
    eeh_stop(&t);
}

/* A 32-bit load: armed on the host, fired by the next load from BAR0 */
static void test_load_32(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    uint64_t hbar = host_bar(&t, "0001:00:01.0", 0);
    g_autoptr(GArray) hi = NULL;
    HostInject *h;

    g_assert_cmphex(hbar, !=, GUEST_BAR0);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0 + 0x40, 0xfffffffc,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_DATA),
                    ==, RTAS_SUCCESS);
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 1);
    h = &g_array_index(hi, HostInject, 0);
    g_assert_cmpint(h->group, ==, 42);
    g_assert_cmpuint(h->type, ==, 0);
    g_assert_cmpuint(h->func, ==, FUNC_LD_MEM_DATA);
    g_assert_cmphex(h->addr, ==, hbar + 0x40);
    g_assert_cmphex(h->mask, ==, 0xfffffffc);
    g_assert_cmpint(h->ret, ==, 0);

    /* Injected, not yet fired: the PE runs until the matching load */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    qtest_readl(t.qts, GUEST_BAR0_CPU + 0x40);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
    eeh_stop(&t);
}

/* The same BAR named by its CPU address, and a store */
static void test_store_cpu_addr(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    uint64_t hbar = host_bar(&t, "0001:00:01.0", 0);
    g_autoptr(GArray) hi = NULL;
    HostInject *h;

    g_assert_cmpint(ioa_bus_error_64(&t, token, GUEST_BAR0_CPU + 0x100,
                                     ~0ULL, DEV_CFG_ADDR, PHB0_BUID,
                                     FUNC_ST_MEM_ADDR), ==, RTAS_SUCCESS);
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 1);
    h = &g_array_index(hi, HostInject, 0);
    g_assert_cmpuint(h->type, ==, 1);
    g_assert_cmpuint(h->func, ==, FUNC_ST_MEM_ADDR);
    g_assert_cmphex(h->addr, ==, hbar + 0x100);
    g_assert_cmphex(h->mask, ==, ~0ULL);

    /* A load does not fire a store injection; the store does */
    qtest_readl(t.qts, GUEST_BAR0_CPU + 0x100);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    qtest_writel(t.qts, GUEST_BAR0_CPU + 0x100, 0);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
    eeh_stop(&t);
}

/* Config and DMA functions: the host's config address, the DMA address */
static void test_cfg_dma(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    g_autoptr(GArray) hi = NULL;
    HostInject *h;

    /* Config register 0x10 of the device the host calls 0001:00:01.0 */
    g_assert_cmpint(ioa_bus_error(&t, token, 0x10, 0xffffffff, DEV_CFG_ADDR,
                                  PHB0_BUID, FUNC_ST_CFG_DATA),
                    ==, RTAS_SUCCESS);
    /* DMA address 0x1000 in the default 32-bit DMA window */
    g_assert_cmpint(ioa_bus_error_64(&t, token, 0x1000, ~0ULL, DEV_CFG_ADDR,
                                     PHB0_BUID, FUNC_DMA_WR_TARGET),
                    ==, RTAS_SUCCESS);
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 2);
    h = &g_array_index(hi, HostInject, 0);
    g_assert_cmpuint(h->type, ==, 0);
    g_assert_cmpuint(h->func, ==, FUNC_ST_CFG_DATA);
    g_assert_cmphex(h->addr, ==, (0x00 << 16 | 0x08 << 8) | 0x10);
    h = &g_array_index(hi, HostInject, 1);
    g_assert_cmpuint(h->type, ==, 1);
    g_assert_cmpuint(h->func, ==, FUNC_DMA_WR_TARGET);
    g_assert_cmphex(h->addr, ==, 0x1000);
    eeh_stop(&t);
}

/*
 * Every function, 32- and 64-bit: the host gets the same function number
 * and type 0 or 1.  Memory functions name BAR0, config functions a
 * register, DMA functions an address in the DMA window; the model's
 * device has no I/O BAR, so the I/O functions get -3 and reach nothing.
 */
static void test_all_functions(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    g_autoptr(GArray) hi = NULL;
    unsigned func, is64, n = 0;

    for (is64 = 0; is64 < 2; is64++) {
        for (func = 0; func <= 19; func++) {
            bool io = func == 2 || func == 3 || func == 8 || func == 9;
            bool cfg = func == 4 || func == 5 || func == 10 || func == 11;
            uint64_t addr = func >= 12 ? 0x2000 : cfg ? 0x10 :
                            GUEST_BAR0 + 8 * func;
            int st;

            st = is64 ? ioa_bus_error_64(&t, token, addr, ~0ULL,
                                         DEV_CFG_ADDR, PHB0_BUID, func) :
                        ioa_bus_error(&t, token, addr, 0xffffffff,
                                      DEV_CFG_ADDR, PHB0_BUID, func);
            g_assert_cmpint(st, ==, io ? RTAS_PARAM_ERROR : RTAS_SUCCESS);
            hi = host_injects(&t);
            g_assert_cmpuint(hi->len, ==, io ? 0 : 1);
            if (!io) {
                g_assert_cmpuint(g_array_index(hi, HostInject, 0).func, ==,
                                 func);
                g_assert_cmpuint(g_array_index(hi, HostInject, 0).type, ==,
                                 is64);
                n++;
            }
            g_clear_pointer(&hi, g_array_unref);
        }
    }
    g_assert_cmpuint(n, ==, 32);
    eeh_stop(&t);
}

/*
 * The PE address that ibm,get-config-addr-info2 gives ("00BB0001") as the
 * config address, as powerpc-utils' errinjct passes it
 */
static void test_pe_addr(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    uint64_t hbar = host_bar(&t, "0001:00:01.0", 0);
    g_autoptr(GArray) hi = NULL;

    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0 + 8, 0xffffffff,
                                  PE_ADDR, PHB0_BUID, FUNC_ST_MEM_DATA),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(ioa_bus_error(&t, token, 0x4, 0xffffffff, PE_ADDR,
                                  PHB0_BUID, FUNC_LD_CFG_ADDR),
                    ==, RTAS_SUCCESS);
    /* A PE address of a bus without devices names nothing */
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  0x20001, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_PARAM_ERROR);
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 2);
    g_assert_cmphex(g_array_index(hi, HostInject, 0).addr, ==, hbar + 8);
    g_assert_cmphex(g_array_index(hi, HostInject, 1).addr, ==, 0x804);
    eeh_stop(&t);
}

/* A PE the host keeps unavailable gets no injection */
static void test_host_unavailable(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    uint32_t info = 0;

    vhm_ok(&t, "unavailable all");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_free(vhm_eeh_ops(&t));
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_HW_ERROR);
    /* ... also once the guest was told it is permanent */
    qtest_clock_step(t.qts, 61 * NANOSECONDS_PER_SECOND);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_HW_ERROR);
    assert_no_host_inject(&t);
    eeh_stop(&t);
}

/* A guest looping on a bad call logs a line a second, not one a call */
static void test_guest_error_flood(void)
{
    EehTest t = { 0 };
    g_autofree char *err = NULL;
    uint32_t token;
    unsigned i, lines = 0;
    const char *p;

    t.stderr_to_file = true;
    token = start_open(&t, "-d guest_errors ");
    for (i = 0; i < 200; i++) {
        g_assert_cmpint(errinjct_close(&t, token + 1), ==, RTAS_NOT_OPENER);
        g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                      0x1000, PHB0_BUID, 0), ==,
                        RTAS_PARAM_ERROR);
    }
    err = eeh_qemu_stderr(&t);
    for (p = err; (p = strstr(p, "cannot close the session")); p++) {
        lines++;
    }
    g_assert_cmpuint(lines, >=, 1);
    g_assert_cmpuint(lines, <=, 5);
    lines = 0;
    for (p = err; (p = strstr(p, "names no device")); p++) {
        lines++;
    }
    g_assert_cmpuint(lines, >=, 1);
    g_assert_cmpuint(lines, <=, 5);
    eeh_stop(&t);
}

/* Every malformed request gets -3 and nothing reaches the host */
static void test_bad_requests(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    uint32_t w[6] = { GUEST_BAR0, 0xffffffff, DEV_CFG_ADDR,
                      PHB0_BUID >> 32, (uint32_t)PHB0_BUID,
                      FUNC_LD_MEM_ADDR };
    uint64_t buf = work_buffer(&t, w, 6);
    static const uint32_t types[] = { 0, 1, 6, 8, 14, 16, 0xffffffff };
    g_autoptr(GArray) hi = NULL;
    unsigned i;

    /* Error types other than the two ioa-bus-error ones */
    for (i = 0; i < ARRAY_SIZE(types); i++) {
        g_assert_cmpint(errinjct_raw(&t, types[i], token, buf), ==,
                        RTAS_PARAM_ERROR);
    }
    /* Work buffers: not 1 KiB aligned, beyond guest memory, unbacked */
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token, buf + 4), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token, buf + 512), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token,
                                 512 * MiB - 512), ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token, 512 * MiB), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token, 0xfffffc00), ==,
                    RTAS_PARAM_ERROR);
    /* ... but the last KiB of guest memory is a valid buffer */
    for (i = 0; i < 6; i++) {
        qtest_writel(t.qts, 512 * MiB - 1024 + 4 * i, w[i]);
    }
    g_assert_cmpint(errinjct_raw(&t, IOA_BUS_ERROR, token, 512 * MiB - 1024),
                    ==, RTAS_SUCCESS);
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 1);
    g_assert_cmpint(g_array_index(hi, HostInject, 0).ret, ==, 0);

    /* Functions: 20 (disable) and 21 (read back) unsupported, 22+ bad */
    for (i = 20; i < 24; i++) {
        g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                      DEV_CFG_ADDR, PHB0_BUID, i), ==,
                        RTAS_PARAM_ERROR);
    }
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, 0xffffffff), ==,
                    RTAS_PARAM_ERROR);
    /* BUID: no such PHB */
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB1_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, 0, 0), ==, RTAS_PARAM_ERROR);
    /* Config address: no device there */
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  0x1000, PHB0_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  0x10800, PHB0_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    /* Address: in no BAR, not aligned, beyond the BAR, wrong BAR kind */
    g_assert_cmpint(ioa_bus_error(&t, token, 0xc0000000, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0 + 2, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error_64(&t, token, GUEST_BAR0 + 4, ~0ULL,
                                     DEV_CFG_ADDR, PHB0_BUID, 0), ==,
                    RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, 2), ==,
                    RTAS_PARAM_ERROR);
    /* Config register beyond config space; DMA address in no window */
    g_assert_cmpint(ioa_bus_error(&t, token, 0x1000, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_CFG_ADDR),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(ioa_bus_error_64(&t, token, 1ULL << 40, ~0ULL,
                                     DEV_CFG_ADDR, PHB0_BUID,
                                     FUNC_DMA_RD_ADDR), ==, RTAS_PARAM_ERROR);
    assert_no_host_inject(&t);
    eeh_stop(&t);
}

/* A device that is not passed through is in no EEH PE */
static void test_emulated_device(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, "-device e1000e,addr=02.0,romfile= ");

    g_assert_cmpint(ioa_bus_error(&t, token, 0x10, 0xffffffff, 0x1000,
                                  PHB0_BUID, FUNC_LD_CFG_ADDR), ==,
                    RTAS_PARAM_ERROR);
    assert_no_host_inject(&t);
    eeh_stop(&t);
}

/* The host rejects: -3 for what it does not support, -1 for failures */
static void test_host_rejects(void)
{
    EehTest t = { 0 };
    uint32_t token;
    g_autoptr(GArray) hi = NULL;
    g_autofree char *err = NULL;

    t.stderr_to_file = true;
    token = start_open(&t, NULL);

    /* A PowerVM host takes memory loads and stores only (ERANGE) */
    vhm_ok(&t, "option eeh_inject=pseries");
    g_assert_cmpint(ioa_bus_error(&t, token, 0x10, 0xffffffff, DEV_CFG_ADDR,
                                  PHB0_BUID, FUNC_LD_CFG_ADDR), ==,
                    RTAS_PARAM_ERROR);
    /* A host without injection (ENOENT) */
    vhm_ok(&t, "option eeh_inject=none");
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_PARAM_ERROR);
    /* POWER9 firmware fails memory injection (EIO) */
    vhm_ok(&t, "option eeh_inject=phb4");
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_HW_ERROR);
    /* ... but takes config injection */
    g_assert_cmpint(ioa_bus_error(&t, token, 0, 0, DEV_CFG_ADDR, PHB0_BUID,
                                  FUNC_LD_CFG_ADDR), ==, RTAS_SUCCESS);
    hi = host_injects(&t);
    /*
     * A rejected type is tried once in the RTAS token convention, until
     * one worked: ERANGE (pseries) and ENOENT (none) made QEMU retry.
     */
    g_assert_cmpuint(hi->len, ==, 5);
    g_assert_cmpuint(g_array_index(hi, HostInject, 0).type, ==, 0);
    g_assert_cmpuint(g_array_index(hi, HostInject, 1).type, ==,
                     IOA_BUS_ERROR);
    g_assert_cmpstr(g_array_index(hi, HostInject, 0).err, ==, "ERANGE");
    g_assert_cmpstr(g_array_index(hi, HostInject, 2).err, ==, "ENOENT");
    g_assert_cmpstr(g_array_index(hi, HostInject, 3).err, ==, "EIO");
    g_assert_cmpint(g_array_index(hi, HostInject, 4).ret, ==, 0);

    /* Host failures are reported, rate-limited, with the reason */
    err = eeh_qemu_stderr(&t);
    g_assert_nonnull(strstr(err, "EEH_PE_OP 0x9 failed"));
    eeh_stop(&t);
}

/* A permanently unavailable PE never gets another injection */
static void test_permanent(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, NULL);
    QDict *rsp, *pe;
    QRtasLog log;
    int i;

    vhm_ok(&t, "freeze all");
    g_assert_cmpint(qrtas_ibm_slot_error_detail_log(t.qts, &t.alloc,
                                                    PHB0_BUID, PE_ADDR,
                                                    NULL, 0, SLOT_ERR_PERM,
                                                    &log), ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_UNAVAIL);
    g_free(vhm_eeh_ops(&t));
    for (i = 0; i < 5; i++) {
        g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                      DEV_CFG_ADDR, PHB0_BUID,
                                      FUNC_LD_MEM_ADDR), ==, RTAS_HW_ERROR);
    }
    assert_no_host_inject(&t);
    pe = query_pe(&t, &rsp);
    g_assert_cmpint(qdict_get_int(pe, "injections"), ==, 0);
    g_assert_cmpint(qdict_get_int(pe, "injections-refused"), ==, 5);
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* The administrator's limit: N injections per PE per window */
static void test_rate_limit(void)
{
    EehTest t = { 0 };
    uint32_t token;
    g_autofree char *err = NULL;
    g_autoptr(GArray) hi = NULL;
    QDict *rsp, *pe;
    int i;

    t.stderr_to_file = true;
    token = start_open(&t, "-global spapr-pci-host-bridge.errinjct-limit=3 "
                       "-global spapr-pci-host-bridge.errinjct-window=10 ");
    for (i = 0; i < 3; i++) {
        g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                      DEV_CFG_ADDR, PHB0_BUID,
                                      FUNC_LD_MEM_ADDR), ==, RTAS_SUCCESS);
    }
    for (i = 0; i < 4; i++) {
        g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                      DEV_CFG_ADDR, PHB0_BUID,
                                      FUNC_LD_MEM_ADDR), ==, RTAS_HW_ERROR);
    }
    hi = host_injects(&t);
    g_assert_cmpuint(hi->len, ==, 3);
    pe = query_pe(&t, &rsp);
    g_assert_cmpint(qdict_get_int(pe, "injections"), ==, 3);
    g_assert_cmpint(qdict_get_int(pe, "injections-refused"), ==, 4);
    qobject_unref(rsp);

    /* The next window takes injections again */
    qtest_clock_step(t.qts, 10 * NANOSECONDS_PER_SECOND);
    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_SUCCESS);

    /* One warning for the window that hit the limit, not one per call */
    err = eeh_qemu_stderr(&t);
    g_assert_nonnull(strstr(err, "reached its limit of 3"));
    g_assert_null(strstr(strstr(err, "reached its limit") + 1,
                         "reached its limit"));
    eeh_stop(&t);
}

/* errinjct-limit=0 turns injection off on the PHB */
static void test_limit_zero(void)
{
    EehTest t = { 0 };
    uint32_t token = start_open(&t, "-global "
                                "spapr-pci-host-bridge.errinjct-limit=0 ");

    g_assert_cmpint(ioa_bus_error(&t, token, GUEST_BAR0, 0xffffffff,
                                  DEV_CFG_ADDR, PHB0_BUID, FUNC_LD_MEM_ADDR),
                    ==, RTAS_HW_ERROR);
    assert_no_host_inject(&t);
    eeh_stop(&t);
}

/*
 * Whether RTAS call @name exists: a call that does not leaves its return
 * buffer alone (libqtest does not pass on qtest's answer).
 */
static bool rtas_call_exists(EehTest *t, const char *name, uint32_t nargs,
                             uint32_t nret)
{
    uint64_t args = guest_alloc(&t->alloc, 16);
    uint64_t rets = guest_alloc(&t->alloc, 16);
    uint32_t i, untouched = 0;

    for (i = 0; i < 4; i++) {
        qtest_writel(t->qts, args + 4 * i, 0);
        qtest_writel(t->qts, rets + 4 * i, 0xdeadbeef);
    }
    qtest_rtas_call(t->qts, name, nargs, args, nret, rets);
    for (i = 0; i < nret; i++) {
        untouched += qtest_readl(t->qts, rets + 4 * i) == 0xdeadbeef;
    }
    guest_free(&t->alloc, rets);
    guest_free(&t->alloc, args);
    return untouched < nret;
}

/* Older machine types, and errinjct=off, have no such calls */
static void run_no_errinjct(const char *machine)
{
    EehTest t = { 0 };
    QDict *rsp, *pe;

    t.machine = machine;
    eeh_start_enabled(&t, eeh_one_dev, NULL);
    g_assert_true(rtas_call_exists(&t, "ibm,set-eeh-option", 4, 1));
    g_assert_false(rtas_call_exists(&t, "ibm,open-errinjct", 0, 2));
    g_assert_false(rtas_call_exists(&t, "ibm,errinjct", 3, 1));
    g_assert_false(rtas_call_exists(&t, "ibm,close-errinjct", 1, 1));
    pe = query_pe(&t, &rsp);
    g_assert_false(qdict_haskey(pe, "injections"));
    qobject_unref(rsp);
    eeh_stop(&t);
}

static void test_compat(void)
{
    g_autofree char *newest = NULL;
    g_autofree char *previous = NULL;

    qtest_spapr_compat_machines(&newest, &previous);
    run_no_errinjct(previous);
}

static void test_machine_off(void)
{
    run_no_errinjct("pseries,errinjct=off");
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    eeh_add_test("spapr-eeh/errinjct/session", test_session);
    eeh_add_test("spapr-eeh/errinjct/load-32", test_load_32);
    eeh_add_test("spapr-eeh/errinjct/store-64-cpu-addr",
                 test_store_cpu_addr);
    eeh_add_test("spapr-eeh/errinjct/cfg-dma", test_cfg_dma);
    eeh_add_test("spapr-eeh/errinjct/all-functions", test_all_functions);
    eeh_add_test("spapr-eeh/errinjct/pe-address", test_pe_addr);
    eeh_add_test("spapr-eeh/errinjct/bad-requests", test_bad_requests);
    eeh_add_test("spapr-eeh/errinjct/host-unavailable",
                 test_host_unavailable);
    eeh_add_test("spapr-eeh/errinjct/guest-error-flood",
                 test_guest_error_flood);
    eeh_add_test("spapr-eeh/errinjct/emulated-device", test_emulated_device);
    eeh_add_test("spapr-eeh/errinjct/host-rejects", test_host_rejects);
    eeh_add_test("spapr-eeh/errinjct/permanent", test_permanent);
    eeh_add_test("spapr-eeh/errinjct/rate-limit", test_rate_limit);
    eeh_add_test("spapr-eeh/errinjct/limit-zero", test_limit_zero);
    eeh_add_test("spapr-eeh/errinjct/compat", test_compat);
    eeh_add_test("spapr-eeh/errinjct/machine-off", test_machine_off);

    return g_test_run();
}
