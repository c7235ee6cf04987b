/*
 * QTest: sPAPR EEH error records and the logs of ibm,slot-error-detail
 *
 * A PE frozen on the host (through the host model, see
 * spapr-eeh-common.h) is seen by QEMU, which captures an error record and
 * returns it to the guest as a PAPR version 6 error log; the log layout
 * is described in docs/specs/ppc-spapr-eeh.rst.  The logs the tests get
 * can be kept for other tools (SPAPR_EEH_TEST_LOGDIR).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "libqos/libqos-spapr.h"
#include "spapr-eeh-common.h"

#define LOG_MIN                 (8 + 16 + 48 + 24 + 80)
#define SECTION_PS              0x5053
#define SECTION_UD              0x5544
#define UD_SUMMARY              1
#define UD_HOST_DATA            2
#define UD_DRIVER               3

/* Summary fields: offsets from the start of the UD section */
#define SUM_MAGIC               (8 + 0)
#define SUM_VERSION             (8 + 4)
#define SUM_CLASS               (8 + 8)
#define SUM_FUNCTION            (8 + 10)
#define SUM_CLASS_SRC           (8 + 16)
#define SUM_AER_SRC             (8 + 19)
#define SUM_FREEZES             (8 + 36)
#define SUM_DROPPED             (8 + 40)
#define SUM_UE_STATUS           (8 + 44)
#define SUM_TLP_HEADER          (8 + 56)
#define SUM_RAW_FORMAT          (8 + 80)
#define SUM_DRV_LEN             (8 + 88)

#define CLASS_UNKNOWN           0
#define CLASS_MMIO              2
#define SRC_AER_CONFIG          2

/* Hot-plug events, for check-exception */
#define EVENT_MASK_HOTPLUG      0x10000000

#define NS_PER_S                ((int64_t)1000 * 1000 * 1000)

static uint16_t be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static void eeh_log_check(QRtasLog *log, uint32_t ret_len)
{
    qrtas_log_parse(log, ret_len);
    qrtas_log_check_platform_error(log);
    g_assert_cmpuint(log->len, >=, LOG_MIN);
}

static const uint8_t *log_ud(const QRtasLog *log, uint8_t subtype)
{
    return qrtas_log_section(log, SECTION_UD, subtype);
}

static const char *log_src(const QRtasLog *log)
{
    static char src[9];

    memcpy(src, log->buf + 96 + 48, 8);       /* PS reference code */
    return src;
}

/* Keep the bytes for the other checkers, when the runner asks */
static void log_save(const QRtasLog *log, const char *name)
{
    qrtas_log_save(log, g_getenv("SPAPR_EEH_TEST_LOGDIR"), name);
}

static int32_t slot_error_detail(EehTest *t, const char *drv, uint32_t fn,
                                 QRtasLog *log)
{
    return qrtas_ibm_slot_error_detail_log(t->qts, &t->alloc, PHB0_BUID,
                                           PE_ADDR, drv,
                                           drv ? strlen(drv) : 0, fn, log);
}

static void machine_reset(EehTest *t)
{
    qtest_qmp_assert_success(t->qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(t->qts, "RESET");
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
    QRtasLog log;
    const uint8_t *sum, *ud;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    /* Nothing to report on a healthy PE */
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_NO_ERRORS_FOUND);

    eeh_freeze(&t, "freeze all aer=UE:0x100000 hdr=0x40000001,0x0100000f,"
               "0x80000000,0x0");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    log_save(&log, "aer-only");
    g_assert_cmpstr(log_src(&log), ==, "BA188001");

    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmphex(be32(sum + SUM_MAGIC), ==, 0x51454548);    /* "QEEH" */
    g_assert_cmpuint(be16(sum + SUM_VERSION), ==, 1);
    /* Unsupported Request: the device rejected a load or store */
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_MMIO);
    g_assert_cmpuint(sum[SUM_FUNCTION], ==, SLOT_ERR_TEMP);
    g_assert_cmpuint(sum[SUM_CLASS_SRC], ==, SRC_AER_CONFIG);
    g_assert_cmpuint(sum[SUM_AER_SRC], ==, SRC_AER_CONFIG);
    g_assert_cmpuint(be32(sum + SUM_FREEZES), ==, 1);
    g_assert_cmpuint(be32(sum + SUM_DROPPED), ==, 0);
    g_assert_cmphex(be32(sum + SUM_UE_STATUS), ==, 0x100000);
    g_assert_cmphex(be32(sum + SUM_TLP_HEADER), ==, 0x40000001);
    g_assert_cmphex(be32(sum + SUM_TLP_HEADER + 4), ==, 0x0100000f);
    g_assert_cmphex(be32(sum + SUM_TLP_HEADER + 8), ==, 0x80000000);
    g_assert_cmpuint(sum[SUM_RAW_FORMAT], ==, 0);      /* no host data */
    g_assert_cmpuint(be32(sum + SUM_DRV_LEN), ==, strlen(drv));
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
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    g_assert_cmpint(slot_error_detail(&t, drv, SLOT_ERR_TEMP, &log), ==,
                    RTAS_NO_ERRORS_FOUND);
    eeh_stop(&t);
}

/* Function 2: the PE becomes permanently unavailable, until reset */
static void test_log_permanent(void)
{
    EehTest t = { 0 };
    uint32_t info = 0xdead;
    QRtasLog log;
    const uint8_t *sum;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x20");
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log), ==,
                    RTAS_SUCCESS);
    log_save(&log, "permanent");
    g_assert_cmpstr(log_src(&log), ==, "BA188002");
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[SUM_FUNCTION], ==, SLOT_ERR_PERM);
    /* AER was not readable while stopped, and nothing thawed it */
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_UNKNOWN);
    g_assert_null(log_ud(&log, UD_DRIVER));
    g_free(vhm_eeh_ops(&t));

    /* State 5 with unavailable-info 0, without asking the host */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    /* Recovery attempts fail and do not reach the host */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_HW_ERROR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_HW_ERROR);
    /* LoPAR allows only 0, 990x and -3 here: 0 for a hardware error */
    g_assert_cmpint(qrtas_ibm_configure_pe(t.qts, &t.alloc, PHB0_BUID,
                                           PE_ADDR), ==, RTAS_SUCCESS);
    assert_eeh_ops(&t, "");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    /* The log can still be fetched */
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);

    /* A machine reset gives the PE back */
    machine_reset(&t);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_stop(&t);
}

/*
 * LoPAR: function 2 makes the PE permanently unavailable unconditionally,
 * even when no log can be returned.
 */
static void test_log_permanent_always(void)
{
    EehTest t = { 0 };
    uint32_t info = 0xdead;
    QRtasLog log;

    /* A return buffer outside guest memory: -3, and still permanent */
    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vhm_ok(&t, "freeze all");
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, 0xf0000000,
                                                QRTAS_LOG_MAX, SLOT_ERR_PERM),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    eeh_stop(&t);

    /* A host that cannot tell the PE state: permanent all the same */
    memset(&t, 0, sizeof(t));
    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vhm_ok(&t, "fail EEH_GET_STATE EIO 10");
    slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    eeh_stop(&t);
}

/* Two freezes before the guest asks: the log says one was dropped */
static void test_log_second_freeze(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");
    /* Asking again during the same stop captures nothing new */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
    vhm_ok(&t, "thaw");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_freeze(&t, "freeze all aer=UE:0x1000");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, "x", SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(be32(sum + SUM_FREEZES), ==, 2);
    g_assert_cmpuint(be32(sum + SUM_DROPPED), ==, 1);
    /* The newest error: AER status keeps both errors' bits */
    g_assert_cmphex(be32(sum + SUM_UE_STATUS), ==, 0x5000);
    eeh_stop(&t);
}

/*
 * LoPAR lets a record go once a reset was activated: a later log during
 * the same stop must not carry it, and must not count it as delivered.
 */
static void test_log_released(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum;
    uint32_t plid;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    plid = qrtas_log_plid(&log);
    /* Asked twice during one stop: the same record */
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    g_assert_cmphex(qrtas_log_plid(&log), ==, plid);

    /* The reset is activated; the host keeps the PE stopped meanwhile */
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    g_assert_cmphex(qrtas_log_plid(&log), !=, plid);
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(be32(sum + SUM_FREEZES), ==, 0);
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_UNKNOWN);
    eeh_stop(&t);
}

/* Guest buffers that are not usable, and bytes never written past */
static void test_log_bad_buffers(void)
{
    EehTest t = { 0 };
    uint64_t rbuf, dbuf;
    uint8_t canary[64], after[64];
    QRtasLog log;
    const uint8_t *ud;
    uint32_t ret_len;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");
    rbuf = guest_alloc(&t.alloc, QRTAS_LOG_MAX + sizeof(canary));
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
                                                QRTAS_LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0, 0, 0xfffffc00,
                                                QRTAS_LOG_MAX, SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0xf0000000, 64,
                                                rbuf, QRTAS_LOG_MAX,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, 0xfffffff0, 0x100,
                                                rbuf, QRTAS_LOG_MAX,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_PARAM_ERROR);
    /* Still stopped, still answering */
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);

    /* Short return buffers: the log fits, the canary after it survives */
    memset(canary, 0x5a, sizeof(canary));
    for (ret_len = LOG_MIN; ret_len <= QRTAS_LOG_MAX; ret_len += 124) {
        qtest_memset(t.qts, rbuf, 0, QRTAS_LOG_MAX + sizeof(canary));
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
        eeh_log_check(&log, ret_len);
    }

    /* A huge driver length is read no further than the log can hold */
    qtest_memset(t.qts, rbuf + QRTAS_LOG_MAX, 0x5a, sizeof(canary));
    g_assert_cmpint(qrtas_ibm_slot_error_detail(t.qts, &t.alloc, PHB0_BUID,
                                                PE_ADDR, dbuf, 0xffffffff,
                                                rbuf, 0xffffffff,
                                                SLOT_ERR_TEMP),
                    ==, RTAS_SUCCESS);
    memset(&log, 0, sizeof(log));
    qtest_memread(t.qts, rbuf, log.buf, QRTAS_LOG_MAX);
    eeh_log_check(&log, QRTAS_LOG_MAX);
    log_save(&log, "huge-driver-buffer");
    qtest_memread(t.qts, rbuf + QRTAS_LOG_MAX, after, sizeof(after));
    g_assert_cmpmem(after, sizeof(after), canary, sizeof(canary));
    ud = log_ud(&log, UD_DRIVER);
    g_assert_nonnull(ud);
    g_assert_cmpuint(ud[8 + 1] & 1, ==, 1);             /* truncated */
    g_assert_cmpuint(ud[16], ==, 'D');
    eeh_stop(&t);
}

/* An AER capability at the very end of config space is found */
static void test_log_aer_at_end(void)
{
    static const EehDev devs[] = {
        { "0001:00:01.0", 42, 1, NULL, "aer=0xfd4" },
        { NULL }
    };
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum;

    eeh_start_enabled(&t, devs, NULL);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0x100) & 0xffff, ==, 0x000b);
    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[SUM_AER_SRC], ==, SRC_AER_CONFIG);
    g_assert_cmphex(be32(sum + SUM_UE_STATUS), ==, 0x100000);
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_MMIO);
    eeh_stop(&t);
}

/* A PE the host gave up on stays unavailable through any guest action */
static void test_host_unavailable(void)
{
    EehTest t = { 0 };

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_UNAVAIL);
    /* The guest's recovery attempt changes nothing */
    qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             SLOT_RESET_HOT);
    qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             SLOT_RESET_DEACTIVATE);
    qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID, PE_ADDR,
                             EEH_OPT_THAW_IO);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_UNAVAIL);
    g_assert_cmphex(eeh_cfg_read(&t, PHB0_BUID, 0), ==, 0xffffffff);
    eeh_stop(&t);
}

/*
 * Host state 5 is passed on as temporary (retry in 1000 ms) until it has
 * lasted the PHB's eeh-unavailable-timeout seconds of guest time since
 * QEMU first saw it, and then as permanent (unavailable-info 0).
 */
#define UNAVAIL_TIMEOUT(s) \
    "-global spapr-pci-host-bridge.eeh-unavailable-timeout=" #s " "

static uint32_t unavail_info(EehTest *t)
{
    uint32_t info = 0xdead;

    g_assert_cmpuint(eeh_pe_state(t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    return info;
}

static void test_host_unavail_timeout(void)
{
    EehTest t = { 0 };

    /* Default: 60 s */
    eeh_start_enabled(&t, eeh_one_dev, NULL);
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
    machine_reset(&t);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    eeh_stop(&t);

    /* A shorter timeout, counted from the first time QEMU saw state 5 */
    memset(&t, 0, sizeof(t));
    eeh_start_enabled(&t, eeh_one_dev, UNAVAIL_TIMEOUT(2));
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
    eeh_start_enabled(&t, eeh_one_dev, UNAVAIL_TIMEOUT(0));
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 3600 * NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    eeh_stop(&t);
}

/*
 * Every guest-visible behaviour of the error log is there on the newest
 * machine type and absent on the one before: the log itself, the
 * permanent state that function 2 brings, and the unavailable timeout.
 */
static void run_compat(const char *machine, bool on)
{
    EehTest t = { .machine = machine };
    uint32_t info = 0xdead;
    QRtasLog log;

    g_test_message("%s: the error log is %s", machine, on ? "on" : "off");
    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    on ? RTAS_SUCCESS : RTAS_NO_ERRORS_FOUND);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log), ==,
                    on ? RTAS_SUCCESS : RTAS_NO_ERRORS_FOUND);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     on ? PE_STATE_UNAVAIL : PE_STATE_STOPPED_IO_DMA);
    eeh_stop(&t);

    memset(&t, 0, sizeof(t));
    t.machine = machine;
    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vhm_ok(&t, "unavailable");
    g_assert_cmpuint(unavail_info(&t), ==, 1000);
    qtest_clock_step(t.qts, 3600 * NS_PER_S);
    g_assert_cmpuint(unavail_info(&t), ==, on ? 0 : 1000);
    eeh_stop(&t);
}

static void test_compat(void)
{
    g_autofree char *newest = NULL;
    g_autofree char *previous = NULL;

    qtest_spapr_compat_machines(&newest, &previous);
    run_compat(newest, true);
    run_compat(previous, false);
}

/* The error message of a migration attempt */
static char *migrate_error(EehTest *t)
{
    QDict *rsp = qtest_qmp(t->qts, "{'execute': 'migrate', 'arguments': "
                           "{'uri': 'exec:cat >/dev/null'}}");
    char *desc;

    g_assert_true(qdict_haskey(rsp, "error"));
    desc = g_strdup(qdict_get_str(qdict_get_qdict(rsp, "error"), "desc"));
    qobject_unref(rsp);
    return desc;
}

/*
 * The EEH state a guest relies on is not migrated: while a PE holds some
 * (stopped, a record not fetched, permanently unavailable), migration is
 * blocked, and the block goes with the state.  The device in these tests
 * cannot migrate anyway: its own blocker is what is left.
 */
static void test_migration_blocker(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    g_autofree char *vfio = NULL;
    char *desc;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    vfio = migrate_error(&t);
    g_assert_null(strstr(vfio, "EEH"));

    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    desc = migrate_error(&t);
    g_assert_nonnull(strstr(desc, "EEH error state"));
    g_free(desc);

    /* Recovered, with the record fetched: nothing left to lose */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_DMA),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    desc = migrate_error(&t);
    g_assert_cmpstr(desc, ==, vfio);
    g_free(desc);

    /* Permanently unavailable: blocked until the machine is reset */
    slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log);
    desc = migrate_error(&t);
    g_assert_nonnull(strstr(desc, "permanently unavailable"));
    g_free(desc);
    machine_reset(&t);
    desc = migrate_error(&t);
    g_assert_cmpstr(desc, ==, vfio);
    g_free(desc);
    eeh_stop(&t);
}

/*
 * Unplugging one device of a PE leaves the PE, and its state, to the
 * others.  On pseries the guest completes an unplug by isolating the
 * slot's DR connector.
 */
#define RTAS_ISOLATION_STATE    9001
#define RTAS_ISOLATE            0
#define DRC_PCI_INDEX(devfn)    (0x40000000 | (devfn))  /* PHB 0, root bus */
#define DEVFN(slot, fn)         ((slot) << 3 | (fn))

static void unplug(EehTest *t, const char *qom_path, uint32_t devfn)
{
    uint32_t args[3] = { RTAS_ISOLATION_STATE, DRC_PCI_INDEX(devfn),
                         RTAS_ISOLATE };
    uint32_t ret[1];

    qtest_qmp_assert_success(t->qts, "{'execute': 'device_del', "
                             "'arguments': {'id': %s}}", qom_path);
    g_assert_cmpuint(qrtas_call(t->qts, &t->alloc, "set-indicator", 3, args,
                                1, ret), ==, 0);
    g_assert_cmpint(ret[0], ==, RTAS_SUCCESS);
    qtest_qmp_eventwait(t->qts, "DEVICE_DELETED");
}

static void test_unplug_keeps_state(void)
{
    static const EehDev devs[] = {
        { "0001:00:01.0", 42, 1, NULL },
        { "0001:00:02.0", 42, 2, NULL },
        { NULL }
    };
    EehTest t = { 0 };
    uint32_t info = 0xdead;
    QRtasLog log;
    const uint8_t *sum;

    eeh_start_enabled(&t, devs, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_PERM, &log), ==,
                    RTAS_SUCCESS);
    /*
     * The host lets the PE go meanwhile (the reset of an unplug reads the
     * device's config space, all-ones while frozen).  The guest's view,
     * permanently unavailable, stays.
     */
    vhm_ok(&t, "thaw");

    unplug(&t, "/machine/peripheral-anon/device[1]", DEVFN(2, 0));
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, &info), ==,
                     PE_STATE_UNAVAIL);
    g_assert_cmpuint(info, ==, 0);
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    sum = log_ud(&log, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(be32(sum + SUM_FREEZES), ==, 1);
    eeh_stop(&t);
}

/*
 * Every log the guest gets takes its PLID from one counter, the EEH logs
 * and the event logs of check-exception alike, stored big-endian.
 */
static void test_plid_shared(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    uint32_t first = 0;
    int i;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    if (!qtest_has_device("e1000")) {
        g_test_skip("e1000 is needed for hot-plug events");
        eeh_stop(&t);
        return;
    }
    for (i = 0; i < 2; i++) {
        g_autofree char *id = g_strdup_printf("hp%d", i);
        g_autofree char *addr = g_strdup_printf("%x.0", 3 + i);

        qtest_qmp_device_add(t.qts, "e1000", id,
                             "{'addr': %s, 'romfile': ''}", addr);
        g_assert_cmpint(qrtas_check_exception(t.qts, &t.alloc,
                                              EVENT_MASK_HOTPLUG, &log),
                        ==, RTAS_SUCCESS);
        g_assert_cmphex(log.buf[3], ==, 0xe5);          /* hot plug */
        if (!i) {
            first = qrtas_log_plid(&log);
            /* Small numbers, not byte-swapped ones */
            g_assert_cmphex(first, <, 0x10000);
        } else {
            g_assert_cmphex(qrtas_log_plid(&log), ==, first + 1);
        }
    }
    eeh_freeze(&t, "freeze all");
    g_assert_cmpint(slot_error_detail(&t, NULL, SLOT_ERR_TEMP, &log), ==,
                    RTAS_SUCCESS);
    g_assert_cmphex(qrtas_log_plid(&log), ==, first + 2);
    eeh_stop(&t);
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    eeh_add_test("spapr-eeh/log/aer-only", test_log_aer_only);
    eeh_add_test("spapr-eeh/log/permanent", test_log_permanent);
    eeh_add_test("spapr-eeh/log/permanent-always", test_log_permanent_always);
    eeh_add_test("spapr-eeh/log/second-freeze", test_log_second_freeze);
    eeh_add_test("spapr-eeh/log/released", test_log_released);
    eeh_add_test("spapr-eeh/log/bad-buffers", test_log_bad_buffers);
    eeh_add_test("spapr-eeh/log/aer-at-end", test_log_aer_at_end);
    eeh_add_test("spapr-eeh/log/plid-shared", test_plid_shared);
    eeh_add_test("spapr-eeh/host/unavailable", test_host_unavailable);
    eeh_add_test("spapr-eeh/host/unavailable-timeout",
                 test_host_unavail_timeout);
    eeh_add_test("spapr-eeh/compat", test_compat);
    eeh_add_test("spapr-eeh/migration-blocker", test_migration_blocker);
    eeh_add_test("spapr-eeh/unplug-keeps-state", test_unplug_keeps_state);

    return g_test_run();
}
