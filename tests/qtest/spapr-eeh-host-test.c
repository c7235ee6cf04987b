/*
 * QTest: the host's own EEH error data (proposed VFIO feature)
 *
 * The host model (see spapr-eeh-common.h) implements the proposed
 * VFIO_DEVICE_FEATURE_EEH_ERROR when told to ("option
 * eeh_error_feature=1"), with PHB4 and PHB3 diag data of each error class
 * and pseries RTAS logs, valid or broken.  QEMU asks for it with the PHB
 * property x-vfio-eeh-error, and lets the guest's log carry it with
 * eeh-host-data-to-guest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "spapr-eeh-common.h"

#define ASK_HOST    "-global spapr-pci-host-bridge.x-vfio-eeh-error=on "
#define TO_GUEST    "-global spapr-pci-host-bridge.eeh-host-data-to-guest=on "

#define SECTION_UD              0x5544
#define UD_SUMMARY              1
#define UD_HOST_DATA            2
#define UD_DRIVER               3

/* Summary fields: offsets from the start of the UD section */
#define SUM_CLASS               (8 + 8)
#define SUM_ADDR_KIND           (8 + 9)
#define SUM_VALID               (8 + 12)
#define SUM_FAULT_ADDR          (8 + 24)
#define SUM_RID                 (8 + 32)
#define SUM_RAW_FORMAT          (8 + 80)
#define SUM_RAW_LEN             (8 + 84)
#define SUM_FLAGS               (8 + 92)

#define VALID_FAULT_ADDR        0x1
#define VALID_RID               0x2
#define F_RAW_WITHHELD          0x100

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

#define PHB4_DIAG_LEN           8576

static uint16_t be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* A frozen PE whose log the guest fetched, MMIO thawed as Linux does */
static void freeze_and_fetch(EehTest *t, const char *freeze, QRtasLog *log)
{
    vhm_ok(t, "option eeh_error_feature=1");
    /* Give BAR0 a guest address and decode it, as the guest kernel does */
    eeh_bar0_assign(t, 0x0006);
    eeh_freeze(t, "freeze all aer=UE:0x100000 %s", freeze);
    g_assert_cmpint(qrtas_ibm_slot_error_detail_log(t->qts, &t->alloc,
                                                    PHB0_BUID, PE_ADDR,
                                                    "drv", 3, SLOT_ERR_TEMP,
                                                    log), ==, RTAS_SUCCESS);
}

/* The one record query-vfio-eeh lists (free with @rsp) */
static QDict *query_record(EehTest *t, QDict **rsp)
{
    QList *pes, *recs;

    *rsp = qtest_qmp(t->qts, "{'execute': 'query-vfio-eeh'}");
    pes = qdict_get_qlist(*rsp, "return");
    g_assert_nonnull(pes);
    recs = qdict_get_qlist(qobject_to(QDict, qlist_peek(pes)), "records");
    g_assert_cmpuint(qlist_size(recs), ==, 1);
    return qobject_to(QDict, qlist_peek(recs));
}

/* The host data of a record, decoded; its length is host-data-length */
static GByteArray *record_host_data(QDict *rec)
{
    const char *hex = qdict_get_str(rec, "host-data");
    GByteArray *b = g_byte_array_new();
    size_t i;

    g_assert_cmpuint(strlen(hex) % 2, ==, 0);
    for (i = 0; hex[i]; i += 2) {
        int hi = g_ascii_xdigit_value(hex[i]);
        int lo = g_ascii_xdigit_value(hex[i + 1]);
        uint8_t v = hi << 4 | lo;

        g_assert_true(hi >= 0 && lo >= 0);
        g_byte_array_append(b, &v, 1);
    }
    g_assert_cmpuint(b->len, ==, qdict_get_int(rec, "host-data-length"));
    return b;
}

/*
 * The host opted in: the log carries QEMU's interpretation and the raw
 * data, whole if it fits.
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

static void run_diag(const void *data)
{
    const DiagCase *dc = data;
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum, *raw;
    g_autofree char *name = NULL;
    uint32_t raw_len;

    eeh_start_enabled(&t, eeh_one_dev, ASK_HOST TO_GUEST);
    freeze_and_fetch(&t, dc->freeze, &log);
    name = g_strdup_printf("diag-%s", dc->freeze);
    g_strdelimit(name, " =", '_');
    qrtas_log_save(&log, g_getenv("SPAPR_EEH_TEST_LOGDIR"), name);

    sum = qrtas_log_section(&log, SECTION_UD, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[SUM_CLASS], ==, dc->err_class);
    g_assert_cmpuint(sum[SUM_ADDR_KIND], ==, dc->addr_kind);
    if (dc->addr_kind) {
        g_assert_cmphex(be32(sum + SUM_FAULT_ADDR), ==, dc->addr >> 32);
        g_assert_cmphex(be32(sum + SUM_FAULT_ADDR + 4), ==,
                        dc->addr & 0xffffffff);
        g_assert_cmphex(be32(sum + SUM_VALID) & VALID_FAULT_ADDR, ==,
                        VALID_FAULT_ADDR);
    }
    g_assert_cmpuint(sum[SUM_RAW_FORMAT], ==, dc->raw_format);
    raw_len = dc->raw_len ? dc->raw_len : be32(sum + SUM_RAW_LEN);
    g_assert_cmpuint(be32(sum + SUM_RAW_LEN), ==, raw_len);
    g_assert_cmpuint(raw_len, >, 0);
    g_assert_cmphex(be32(sum + SUM_FLAGS) & F_RAW_WITHHELD, ==, 0);
    /* Requester ids are the guest's: a host-only one is not passed on */
    if (dc->rid >= 0) {
        g_assert_cmphex(be32(sum + SUM_VALID) & VALID_RID, ==, VALID_RID);
        g_assert_cmphex(be16(sum + SUM_RID), ==, dc->rid);
    } else if (dc->rid == -1) {
        g_assert_cmphex(be32(sum + SUM_VALID) & VALID_RID, ==, 0);
        g_assert_cmphex(be16(sum + SUM_RID), ==, 0);
    }

    /* The raw data: its own section, cut to fit and flagged if needed */
    raw = qrtas_log_section(&log, SECTION_UD, UD_HOST_DATA);
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
    g_assert_true(qrtas_log_section(&log, SECTION_UD, UD_DRIVER) ==
                  log.buf + log.off[log.nsec - 1]);
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
    /* A pseries host's RTAS log is checked and passed on, not interpreted */
    { "diag=rtas",
      CLASS_UNKNOWN, 0, 0, RAW_RTAS, 0, -1 },
};

/*
 * By default the host keeps its data from the guest: the log has the
 * interpretation and says data was withheld; management gets it whole.
 */
static void test_withheld(void)
{
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum, *b;
    QDict *rsp, *rec;
    g_autoptr(GByteArray) data = NULL;

    eeh_start_enabled(&t, eeh_one_dev, ASK_HOST);
    freeze_and_fetch(&t, "diag=phb4 class=link-down", &log);
    qrtas_log_save(&log, g_getenv("SPAPR_EEH_TEST_LOGDIR"), "withheld");
    sum = qrtas_log_section(&log, SECTION_UD, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_LINK_DOWN);
    g_assert_cmpuint(sum[SUM_RAW_FORMAT], ==, RAW_PHB4);
    g_assert_cmpuint(be32(sum + SUM_RAW_LEN), ==, PHB4_DIAG_LEN);
    g_assert_cmphex(be32(sum + SUM_FLAGS) & F_RAW_WITHHELD, ==,
                    F_RAW_WITHHELD);
    g_assert_null(qrtas_log_section(&log, SECTION_UD, UD_HOST_DATA));

    rec = query_record(&t, &rsp);
    g_assert_cmpstr(qdict_get_str(rec, "class"), ==, "link-down");
    g_assert_cmpstr(qdict_get_str(rec, "host-data-format"), ==, "phb4");
    data = record_host_data(rec);
    g_assert_cmpuint(data->len, ==, PHB4_DIAG_LEN);
    /* OPAL common header: version 1, ioType PHB4 (3), the length */
    b = data->data;
    g_assert_cmpuint(be32(b), ==, 1);
    g_assert_cmpuint(be32(b + 4), ==, 3);
    g_assert_cmpuint(be32(b + 8), ==, data->len);
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* Without x-vfio-eeh-error QEMU never asks: the AER registers tell */
static void test_not_asked(void)
{
    EehTest t = { 0 };
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *st = NULL;
    QRtasLog log;
    const uint8_t *sum;
    guint i;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    freeze_and_fetch(&t, "diag=phb4 class=link-down", &log);
    sum = qrtas_log_section(&log, SECTION_UD, UD_SUMMARY);
    g_assert_nonnull(sum);
    /* AER is blocked while the PE is stopped, and nothing else tells */
    g_assert_cmpuint(sum[SUM_CLASS], ==, CLASS_UNKNOWN);
    g_assert_cmpuint(sum[SUM_RAW_FORMAT], ==, 0);

    st = vhm_cmd(&t, lines, "log 0");
    g_assert_true(g_str_has_prefix(st, "OK"));
    for (i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *f = strstr(l, "VFIO_DEVICE_FEATURE");

        if (f) {
            /* The migration feature is probed; 0xee00 never is */
            g_assert_null(strstr(f, "ee00 "));
        }
    }
    eeh_stop(&t);
}

/*
 * A pseries host's RTAS log that is not one never reaches the guest,
 * even when the host opted in; management still gets the bytes.
 */
static void run_bad_rtas(const void *data)
{
    const char *defect = data;
    EehTest t = { 0 };
    QRtasLog log;
    const uint8_t *sum;
    QDict *rsp, *rec;
    g_autofree char *freeze = g_strdup_printf("diag=rtas rtas=%s", defect);
    g_autoptr(GByteArray) host = NULL;

    eeh_start_enabled(&t, eeh_one_dev, ASK_HOST TO_GUEST);
    freeze_and_fetch(&t, freeze, &log);
    sum = qrtas_log_section(&log, SECTION_UD, UD_SUMMARY);
    g_assert_nonnull(sum);
    g_assert_cmpuint(sum[SUM_RAW_FORMAT], ==, RAW_RTAS);
    g_assert_cmphex(be32(sum + SUM_FLAGS) & F_RAW_WITHHELD, ==,
                    F_RAW_WITHHELD);
    g_assert_null(qrtas_log_section(&log, SECTION_UD, UD_HOST_DATA));

    rec = query_record(&t, &rsp);
    g_assert_cmpstr(qdict_get_str(rec, "host-data-format"), ==, "rtas");
    host = record_host_data(rec);
    g_assert_cmpuint(host->len, >, 0);
    qobject_unref(rsp);
    eeh_stop(&t);
}

static const char *const bad_rtas[] = {
    "version", "length", "ibm", "format", "sections",
};

int main(int argc, char *argv[])
{
    int i;

    g_test_init(&argc, &argv, NULL);

    for (i = 0; i < ARRAY_SIZE(diag_cases); i++) {
        g_autofree char *path = g_strdup_printf("spapr-eeh/host-data/diag/%d",
                                                i);

        eeh_add_data_test(path, &diag_cases[i], run_diag);
    }
    eeh_add_test("spapr-eeh/host-data/withheld", test_withheld);
    eeh_add_test("spapr-eeh/host-data/not-asked", test_not_asked);
    for (i = 0; i < ARRAY_SIZE(bad_rtas); i++) {
        g_autofree char *path =
            g_strdup_printf("spapr-eeh/host-data/bad-rtas/%s", bad_rtas[i]);

        eeh_add_data_test(path, bad_rtas[i], run_bad_rtas);
    }

    return g_test_run();
}
