/*
 * Unit tests for the sPAPR EEH error record: log encoding, AER classes
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "hw/ppc/spapr_eeh_log.h"

#define CANARY          0xa5
#define PHB4_DIAG_LEN   8576
#define BIG_DRV_LEN     8192

/* Offsets of the sections in the reference log (see expected_*) */
#define OFF_PH          24
#define OFF_UH          72
#define OFF_PS          96
#define OFF_SUMMARY     204
#define OFF_RAW         308
#define OFF_DRV         336
#define REF_TOTAL       372

static const uint8_t ref_raw[10] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
};
static const char ref_drv[] = "dev/vend:12345678\n";       /* 18 bytes */
static const char ref_loc[] = "U78D2.001-P1-C7";           /* 15 bytes */
#define REF_PLID        0x11223344

/* AER uncorrectable error status bits */
#define UE_DLP                  (1u << 4)
#define UE_SDN                  (1u << 5)
#define UE_POISON               (1u << 12)
#define UE_FCP                  (1u << 13)
#define UE_CMPLT_TO             (1u << 14)
#define UE_CMPLT_ABRT           (1u << 15)
#define UE_UNX_CMPLT            (1u << 16)
#define UE_RX_OVFL              (1u << 17)
#define UE_MALFORMED            (1u << 18)
#define UE_ECRC                 (1u << 19)
#define UE_UNSUP_REQ            (1u << 20)
#define UE_ACSV                 (1u << 21)
#define UE_INTERNAL             (1u << 22)

/* 2026-01-02 03:04:05.67 UTC */
#define REF_TIME_NS     1767323045670000000ULL

static void ref_record(SpaprEehErrorRecord *rec)
{
    static const uint32_t tlp[4] = {
        0x40000001, 0x0108000f, 0x80001000, 0x00000000,
    };

    memset(rec, 0, sizeof(*rec));
    rec->err_class = SPAPR_EEH_ERR_CLASS_DMA_IOMMU;
    rec->class_src = SPAPR_EEH_SRC_HOST_DIAG;
    rec->valid = SPAPR_EEH_VALID_ALL;
    rec->fault_addr = 0x80001000;
    rec->addr_kind = SPAPR_EEH_ADDR_GUEST_IOVA;
    rec->addr_src = SPAPR_EEH_SRC_HOST_DIAG;
    rec->requester_id = 0x0108;
    rec->rid_src = SPAPR_EEH_SRC_HOST_DIAG;
    rec->aer_ue_status = 0x00100000;
    rec->aer_ce_status = 0x00002000;
    rec->aer_ue_severity = 0x00462030;
    memcpy(rec->aer_tlp_header, tlp, sizeof(tlp));
    rec->aer_src = SPAPR_EEH_SRC_AER_CONFIG;
    rec->pe_state = 2;
    rec->pe_state_src = SPAPR_EEH_SRC_QEMU;
    rec->freeze_count = 3;
    rec->dropped_records = 1;
    rec->detect_time_ns = REF_TIME_NS;
    rec->time_src = SPAPR_EEH_SRC_QEMU;
    rec->raw_format = SPAPR_EEH_RAW_PHB4;
    rec->raw_data = ref_raw;
    rec->raw_len = sizeof(ref_raw);
    rec->raw_orig_len = PHB4_DIAG_LEN;
    rec->trunc = SPAPR_EEH_TRUNC_RAW_DATA;
}

/* The reference log, section by section, written out by hand */
static const uint8_t expected_fixed[24] = {
    0x06, 0x44, 0x22, 0xe0,  0x00, 0x00, 0x01, 0x6c,  /* v6, warning, 364 */
    0xa6, 0x00, 0x8e, 0x00,  0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,  'I',  'B',  'M',  0x00,
};

static const uint8_t expected_ph[48] = {
    'P',  'H',  0x00, 0x30,  0x00, 0x00, 0x00, 0x00,
    0x20, 0x26, 0x01, 0x02,  0x03, 0x04, 0x05, 0x00,  /* date, time */
    0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,
    'H',  0x00, 0x00, 0x06,  0x00, 0x00, 0x00, 0x00,  /* creator, count */
    0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,
    0x11, 0x22, 0x33, 0x44,  0x00, 0x00, 0x00, 0x00,  /* PLID */
};

static const uint8_t expected_uh[24] = {
    'U',  'H',  0x00, 0x18,  0x01, 0x00, 0x00, 0x00,
    0x40, 0x00, 0x10, 0x00,  0x00, 0x00, 0x00, 0x00,  /* adapter, recov. */
    0x00, 0x00, 0x00, 0x00,  0x00, 0x00, 0x00, 0x00,
};

static const uint8_t expected_ps[108] = {
    'P',  'S',  0x00, 0x6c,  0x01, 0x00, 0x00, 0x00,
    0x02, 0x01, 0x00, 0x09,  0x00, 0x00, 0x00, 0x64,  /* SRC v2, 9 words */
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',   /* hex words 2-9 */
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    'B',  'A',  '1',  '8',   '8',  '0',  '0',  '1',
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    ' ',  ' ',  ' ',  ' ',   ' ',  ' ',  ' ',  ' ',
    0xc0, 0x00, 0x00, 0x07,                           /* FRU subsection */
    0x18, 0x28, 'H',  0x10,                           /* call-out */
    'U',  '7',  '8',  'D',   '2',  '.',  '0',  '0',
    '1',  '-',  'P',  '1',   '-',  'C',  '7',  0x00,
    'I',  'D',  0x04, 0x10,                           /* FRU identity */
};

static const uint8_t expected_summary[104] = {
    'U',  'D',  0x00, 0x68,  0x01, 0x01, 0x00, 0x00,
    'Q',  'E',  'E',  'H',   0x00, 0x01, 0x00, 0x60,  /* magic, v1, 96 */
    0x01, 0x01, 0x01, 0x02,  0x00, 0x00, 0x00, 0xff,  /* class..., valid */
    0x01, 0x01, 0x01, 0x02,  0x03, 0x03, 0x00, 0x00,  /* sources */
    0x00, 0x00, 0x00, 0x00,  0x80, 0x00, 0x10, 0x00,  /* fault address */
    0x01, 0x08, 0x00, 0x00,  0x00, 0x00, 0x00, 0x03,  /* RID, freezes */
    0x00, 0x00, 0x00, 0x01,  0x00, 0x10, 0x00, 0x00,  /* dropped, UE */
    0x00, 0x00, 0x20, 0x00,  0x00, 0x46, 0x20, 0x30,  /* CE, UE severity */
    0x40, 0x00, 0x00, 0x01,  0x01, 0x08, 0x00, 0x0f,  /* TLP header */
    0x80, 0x00, 0x10, 0x00,  0x00, 0x00, 0x00, 0x00,
    0x18, 0x86, 0xca, 0xf2,  0x44, 0x85, 0x95, 0x80,  /* detection time */
    0x02, 0x00, 0x00, 0x00,  0x00, 0x00, 0x21, 0x80,  /* PHB4, 8576 */
    0x00, 0x00, 0x00, 0x12,  0x00, 0x00, 0x00, 0x32,  /* drv len, flags */
};

static const uint8_t expected_raw[28] = {
    'U',  'D',  0x00, 0x1c,  0x01, 0x02, 0x00, 0x00,
    0x02, 0x02, 0x00, 0x0a,  0x00, 0x00, 0x21, 0x80,  /* PHB4, cut at host */
    0x01, 0x02, 0x03, 0x04,  0x05, 0x06, 0x07, 0x08,
    0x09, 0x0a, 0x00, 0x00,
};

static const uint8_t expected_drv[36] = {
    'U',  'D',  0x00, 0x24,  0x01, 0x03, 0x00, 0x00,
    0x80, 0x00, 0x00, 0x12,  0x00, 0x00, 0x00, 0x12,
    'd',  'e',  'v',  '/',   'v',  'e',  'n',  'd',
    ':',  '1',  '2',  '3',   '4',  '5',  '6',  '7',
    '8',  '\n', 0x00, 0x00,
};

/* What a walk over the sections of a log found */
typedef struct LogWalk {
    size_t total;
    unsigned count;
    size_t summary_off, raw_off, drv_off;   /* 0 when absent */
    size_t ps_len;
} LogWalk;

/*
 * Check every structural invariant of a log and report where its UD
 * sections are: fixed part and header, PH then UH then PS, every section
 * at least 16 bytes and a multiple of 4, lengths adding up to the total,
 * PH section count equal to the number of sections, UD sections in the
 * order summary, host data, driver buffer.
 */
static void walk_log(const uint8_t *log, size_t len, LogWalk *w)
{
    size_t off = 24;
    int last_ud = 0;

    memset(w, 0, sizeof(*w));
    g_assert_cmpuint(len, >=, SPAPR_EEH_LOG_MIN_SIZE);
    g_assert_cmpuint(len % 4, ==, 0);
    g_assert_cmpuint(log[0], ==, 6);
    g_assert_cmpuint(log[1] & 0x04, ==, 0x04);
    g_assert_cmpuint(log[3], ==, 0xe0);
    g_assert_cmpuint(ldl_be_p(log + 4) + 8, ==, len);
    g_assert_cmpuint(log[8] & 0x80, ==, 0x80);
    g_assert_cmpuint(log[10], ==, 0x8e);
    g_assert(memcmp(log + 20, "IBM", 4) == 0);

    while (off < len) {
        uint16_t id, slen;

        g_assert_cmpuint(off + 8, <=, len);
        id = lduw_be_p(log + off);
        slen = lduw_be_p(log + off + 2);
        g_assert_cmpuint(slen, >=, 16);
        g_assert_cmpuint(slen % 4, ==, 0);
        g_assert_cmpuint(off + slen, <=, len);

        switch (w->count) {
        case 0:
            g_assert_cmphex(id, ==, RTAS_LOG_V6_SECTION_ID_MAINA);
            g_assert_cmpuint(slen, ==, 48);
            break;
        case 1:
            g_assert_cmphex(id, ==, RTAS_LOG_V6_SECTION_ID_MAINB);
            g_assert_cmpuint(slen, ==, 24);
            break;
        case 2:
            g_assert_cmphex(id, ==, RTAS_LOG_V6_SECTION_ID_PRIMARY_SRC);
            g_assert_cmpuint(slen, >=, 80);
            w->ps_len = slen;
            break;
        default:
            g_assert_cmphex(id, ==, RTAS_LOG_V6_SECTION_ID_USER_DATA);
            g_assert_cmpint(log[off + 5], >, last_ud);
            last_ud = log[off + 5];
            switch (last_ud) {
            case SPAPR_EEH_UD_SUBTYPE_SUMMARY:
                g_assert_cmpuint(slen, ==, 104);
                g_assert_cmphex(ldl_be_p(log + off + 8), ==,
                                SPAPR_EEH_SUMMARY_MAGIC);
                w->summary_off = off;
                break;
            case SPAPR_EEH_UD_SUBTYPE_HOST_DATA:
                w->raw_off = off;
                break;
            case SPAPR_EEH_UD_SUBTYPE_DRIVER:
                w->drv_off = off;
                break;
            default:
                g_assert_not_reached();
            }
            if (last_ud != SPAPR_EEH_UD_SUBTYPE_SUMMARY) {
                /* data length fits the section, padding is zero */
                size_t dlen = lduw_be_p(log + off + 10);
                size_t i;

                g_assert_cmpuint(slen, ==, 16 + QEMU_ALIGN_UP(dlen, 4));
                for (i = 16 + dlen; i < slen; i++) {
                    g_assert_cmpuint(log[off + i], ==, 0);
                }
            }
            break;
        }
        w->count++;
        off += slen;
    }
    g_assert_cmpuint(off, ==, len);
    g_assert_cmpuint(w->count, ==, log[OFF_PH + 27]);
    w->total = len;
}

static uint32_t summary_flags(const uint8_t *log, const LogWalk *w)
{
    g_assert_cmpuint(w->summary_off, !=, 0);
    return ldl_be_p(log + w->summary_off + 8 + 92);
}

static void assert_canary(const uint8_t *buf, size_t from, size_t to)
{
    size_t i;

    for (i = from; i < to; i++) {
        g_assert_cmphex(buf[i], ==, CANARY);
    }
}

static size_t encode_ref(uint8_t *buf, size_t out_max, bool permanent)
{
    SpaprEehErrorRecord rec;

    ref_record(&rec);
    return spapr_eeh_log_encode(&rec, (const uint8_t *)ref_drv,
                                strlen(ref_drv), permanent, REF_PLID,
                                ref_loc, buf, out_max);
}

static void test_exact_bytes(void)
{
    uint8_t buf[1024];
    size_t len;
    LogWalk w;

    memset(buf, CANARY, sizeof(buf));
    len = encode_ref(buf, sizeof(buf), false);
    g_assert_cmpuint(len, ==, REF_TOTAL);
    g_assert(memcmp(buf, expected_fixed, sizeof(expected_fixed)) == 0);
    g_assert(memcmp(buf + OFF_PH, expected_ph, sizeof(expected_ph)) == 0);
    g_assert(memcmp(buf + OFF_UH, expected_uh, sizeof(expected_uh)) == 0);
    g_assert(memcmp(buf + OFF_PS, expected_ps, sizeof(expected_ps)) == 0);
    g_assert(memcmp(buf + OFF_SUMMARY, expected_summary,
                    sizeof(expected_summary)) == 0);
    g_assert(memcmp(buf + OFF_RAW, expected_raw, sizeof(expected_raw)) == 0);
    g_assert(memcmp(buf + OFF_DRV, expected_drv, sizeof(expected_drv)) == 0);
    assert_canary(buf, REF_TOTAL, sizeof(buf));

    walk_log(buf, len, &w);
    g_assert_cmpuint(w.count, ==, 6);
    g_assert_cmpuint(w.summary_off, ==, OFF_SUMMARY);
    g_assert_cmpuint(w.raw_off, ==, OFF_RAW);
    g_assert_cmpuint(w.drv_off, ==, OFF_DRV);
}

static void test_temporary_vs_permanent(void)
{
    uint8_t tmp[512], perm[512];
    size_t tlen, plen;
    LogWalk w;

    tlen = encode_ref(tmp, sizeof(tmp), false);
    plen = encode_ref(perm, sizeof(perm), true);
    g_assert_cmpuint(tlen, ==, REF_TOTAL);
    g_assert_cmpuint(plen, ==, REF_TOTAL);

    /* fixed part: warning/fully recovered vs error/not recovered */
    g_assert_cmphex(tmp[1], ==, 0x44);
    g_assert_cmphex(perm[1], ==, 0x94);
    /* extended header: recoverable vs unrecoverable */
    g_assert_cmphex(tmp[8], ==, 0xa6);
    g_assert_cmphex(perm[8], ==, 0xc6);
    /* UH: severity recovered vs unrecoverable, action flags */
    g_assert_cmphex(tmp[OFF_UH + 10], ==, 0x10);
    g_assert_cmphex(perm[OFF_UH + 10], ==, 0x40);
    g_assert_cmphex(lduw_be_p(tmp + OFF_UH + 18), ==, 0x0000);
    g_assert_cmphex(lduw_be_p(perm + OFF_UH + 18), ==, 0xa000);
    /* primary SRC */
    g_assert(memcmp(tmp + OFF_PS + 48, "BA188001        ", 16) == 0);
    g_assert(memcmp(perm + OFF_PS + 48, "BA188002        ", 16) == 0);
    /* summary: function and permanent flag */
    g_assert_cmpuint(tmp[OFF_SUMMARY + 8 + 10], ==, 1);
    g_assert_cmpuint(perm[OFF_SUMMARY + 8 + 10], ==, 2);
    walk_log(perm, plen, &w);
    g_assert_cmphex(summary_flags(perm, &w), ==, 0x33);

    /* nothing else differs */
    tmp[1] = perm[1];
    tmp[8] = perm[8];
    tmp[OFF_UH + 10] = perm[OFF_UH + 10];
    tmp[OFF_UH + 18] = perm[OFF_UH + 18];
    tmp[OFF_PS + 55] = perm[OFF_PS + 55];
    tmp[OFF_SUMMARY + 8 + 10] = perm[OFF_SUMMARY + 8 + 10];
    tmp[OFF_SUMMARY + 8 + 95] = perm[OFF_SUMMARY + 8 + 95];
    g_assert(memcmp(tmp, perm, REF_TOTAL) == 0);
}

/*
 * Encode the reference log into every possible out_max from 0 to past its
 * full size: nothing is ever written at or beyond out_max, every result is
 * a valid log, and the optional parts disappear in the documented order.
 */
static void test_truncation_sweep(void)
{
    size_t out_max;

    for (out_max = 0; out_max <= REF_TOTAL + 8; out_max++) {
        uint8_t buf[REF_TOTAL + 64];
        size_t len;
        LogWalk w;
        bool summary, drv, raw, fru;

        memset(buf, CANARY, sizeof(buf));
        len = encode_ref(buf, out_max, false);
        assert_canary(buf, MIN(len, out_max), sizeof(buf));
        g_assert_cmpuint(len, <=, out_max);

        if (out_max < SPAPR_EEH_LOG_MIN_SIZE) {
            g_assert_cmpuint(len, ==, 0);
            assert_canary(buf, 0, sizeof(buf));
            continue;
        }
        walk_log(buf, len, &w);

        /* which parts must be there at this size */
        fru = out_max >= 204;
        summary = out_max >= 308;
        drv = out_max >= 308 + 20;
        raw = out_max >= 308 + 36 + 20;

        g_assert_cmpuint(w.ps_len, ==, fru ? 108 : 80);
        g_assert_cmpuint(buf[OFF_PS + 9], ==, fru ? 1 : 0);
        g_assert_cmpuint(w.summary_off != 0, ==, summary);
        g_assert_cmpuint(w.drv_off != 0, ==, drv);
        g_assert_cmpuint(w.raw_off != 0, ==, raw);

        if (!summary) {
            g_assert_cmpuint(len, ==, fru ? 204 : 176);
            g_assert_cmpuint(w.count, ==, 3);
            continue;
        }

        /* the head of the log never changes with the size limit */
        g_assert(memcmp(buf + OFF_PH, expected_ph, 27) == 0);
        g_assert(memcmp(buf + OFF_UH, expected_uh, sizeof(expected_uh)) == 0);
        g_assert(memcmp(buf + OFF_PS, expected_ps, sizeof(expected_ps)) == 0);

        if (drv) {
            size_t dlen = lduw_be_p(buf + w.drv_off + 10);

            g_assert_cmpuint(dlen, ==, MIN(18, (out_max & ~3) - 308 - 16));
            g_assert_cmpuint(ldl_be_p(buf + w.drv_off + 12), ==, 18);
            g_assert_cmphex(buf[w.drv_off + 9], ==, dlen < 18 ? 1 : 0);
            g_assert(memcmp(buf + w.drv_off + 16, ref_drv, dlen) == 0);
            g_assert_cmphex(summary_flags(buf, &w) & 0xe0, ==,
                            dlen < 18 ? 0x60 : 0x20);
        } else {
            g_assert_cmphex(summary_flags(buf, &w) & 0xe0, ==, 0x80);
        }
        if (raw) {
            size_t rlen = lduw_be_p(buf + w.raw_off + 10);

            g_assert_cmpuint(rlen, ==,
                             MIN(10, (out_max & ~3) - 308 - 36 - 16));
            g_assert_cmphex(buf[w.raw_off + 9], ==, rlen < 10 ? 3 : 2);
            g_assert(memcmp(buf + w.raw_off + 16, ref_raw, rlen) == 0);
            g_assert_cmphex(summary_flags(buf, &w) & 0x1e, ==,
                            rlen < 10 ? 0x16 : 0x12);
        } else {
            g_assert_cmphex(summary_flags(buf, &w) & 0x1e, ==, 0x18);
        }
        /* a cut section uses every byte up to the last 4-byte boundary */
        if (!drv) {
            g_assert_cmpuint(len, ==, 308);
        } else if ((out_max & ~3) < 344) {
            g_assert_cmpuint(len, ==, out_max & ~3);
        } else if (!raw) {
            g_assert_cmpuint(len, ==, 344);
        } else {
            g_assert_cmpuint(len, ==, MIN(out_max & ~3, REF_TOTAL));
        }
    }
}

/* A driver buffer bigger than the whole log pushes the raw data out */
static void test_big_driver_buffer(void)
{
    g_autofree uint8_t *drv = g_malloc(BIG_DRV_LEN);
    g_autofree uint8_t *raw = g_malloc(PHB4_DIAG_LEN);
    uint8_t buf[2048 + 64];
    SpaprEehErrorRecord rec;
    size_t len, dlen;
    LogWalk w;

    memset(drv, 'x', BIG_DRV_LEN);
    memset(raw, 0x5a, PHB4_DIAG_LEN);
    ref_record(&rec);
    rec.raw_data = raw;
    rec.raw_len = PHB4_DIAG_LEN;
    rec.raw_orig_len = 0;
    rec.trunc = 0;

    memset(buf, CANARY, sizeof(buf));
    len = spapr_eeh_log_encode(&rec, drv, BIG_DRV_LEN, false, REF_PLID,
                               ref_loc, buf, 2048);
    g_assert_cmpuint(len, ==, 2048);
    assert_canary(buf, 2048, sizeof(buf));
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.count, ==, 5);
    g_assert_cmpuint(w.raw_off, ==, 0);
    g_assert_cmpuint(w.drv_off, ==, 308);

    dlen = lduw_be_p(buf + w.drv_off + 10);
    g_assert_cmpuint(dlen, ==, 2048 - 308 - 16);
    g_assert_cmpuint(lduw_be_p(buf + w.drv_off + 2), ==, 2048 - 308);
    g_assert_cmphex(buf[w.drv_off + 8], ==, SPAPR_EEH_BLOB_FMT_DRIVER);
    g_assert_cmphex(buf[w.drv_off + 9], ==, SPAPR_EEH_BLOB_F_TRUNCATED);
    g_assert_cmpuint(ldl_be_p(buf + w.drv_off + 12), ==, BIG_DRV_LEN);
    g_assert(memcmp(buf + w.drv_off + 16, drv, dlen) == 0);

    g_assert_cmphex(summary_flags(buf, &w), ==,
                    SPAPR_EEH_SUMMARY_F_DRV_PRESENT |
                    SPAPR_EEH_SUMMARY_F_DRV_TRUNCATED |
                    SPAPR_EEH_SUMMARY_F_RAW_DROPPED);
    g_assert_cmpuint(ldl_be_p(buf + w.summary_off + 8 + 84), ==,
                     PHB4_DIAG_LEN);
    g_assert_cmpuint(ldl_be_p(buf + w.summary_off + 8 + 88), ==,
                     BIG_DRV_LEN);
}

/* Nothing known: NULL and an all-zero record give the same minimal log */
static void test_empty_record(void)
{
    static const uint8_t expected_empty_summary[104] = {
        'U',  'D',  0x00, 0x68,  0x01, 0x01, 0x00, 0x00,
        'Q',  'E',  'E',  'H',   0x00, 0x01, 0x00, 0x60,
        0x00, 0x00, 0x01, 0xff,  0x00, 0x00, 0x00, 0x00,
        /* everything else zero */
    };
    SpaprEehErrorRecord rec = { 0 };
    uint8_t a[512], b[512];
    size_t alen, blen;
    LogWalk w;

    memset(a, CANARY, sizeof(a));
    memset(b, CANARY, sizeof(b));
    alen = spapr_eeh_log_encode(NULL, NULL, 0, false, 0, NULL, a, sizeof(a));
    blen = spapr_eeh_log_encode(&rec, NULL, 0, false, 0, "", b, sizeof(b));
    g_assert_cmpuint(alen, ==, 280);
    g_assert_cmpuint(blen, ==, 280);
    g_assert(memcmp(a, b, sizeof(a)) == 0);
    assert_canary(a, 280, sizeof(a));

    walk_log(a, alen, &w);
    g_assert_cmpuint(w.count, ==, 4);
    g_assert_cmpuint(w.ps_len, ==, 80);
    g_assert_cmpuint(w.summary_off, ==, 176);
    g_assert(memcmp(a + 176, expected_empty_summary, 104) == 0);
    /* no date, no time, PLID 0, I/O bus subsystem */
    g_assert_cmphex(ldq_be_p(a + OFF_PH + 8), ==, 0);
    g_assert_cmphex(a[OFF_UH + 8], ==, 0x30);
    g_assert_cmphex(a[OFF_PS + 9], ==, 0);
    g_assert_cmpuint(ldl_be_p(a + 4), ==, 272);
}

/*
 * The largest record: a full PHB4 diag blob, an 8 KiB driver buffer and
 * the longest usable location code.  With room for all of it nothing is
 * cut; at the usual 2048 bytes the raw data goes and the driver is cut.
 */
static void test_max_record(void)
{
    char loc[RTAS_LOG_V6_FRU_LOC_CODE_MAX + 1];
    g_autofree uint8_t *drv = g_malloc(BIG_DRV_LEN);
    g_autofree uint8_t *raw = g_malloc(PHB4_DIAG_LEN);
    g_autofree uint8_t *buf = NULL;
    const size_t full = 176 + 92 + 104 + 16 + PHB4_DIAG_LEN + 16 + BIG_DRV_LEN;
    SpaprEehErrorRecord rec;
    size_t len, i;
    LogWalk w;

    for (i = 0; i < BIG_DRV_LEN; i++) {
        drv[i] = 'a' + i % 26;
    }
    for (i = 0; i < PHB4_DIAG_LEN; i++) {
        raw[i] = i * 7;
    }
    memset(loc, 'L', 79);
    loc[79] = '\0';
    ref_record(&rec);
    rec.err_class = SPAPR_EEH_ERR_CLASS_LINK_DOWN;
    rec.raw_data = raw;
    rec.raw_len = PHB4_DIAG_LEN;
    rec.raw_orig_len = PHB4_DIAG_LEN;
    rec.trunc = 0;

    buf = g_malloc(full + 64);
    memset(buf, CANARY, full + 64);
    len = spapr_eeh_log_encode(&rec, drv, BIG_DRV_LEN, true, REF_PLID, loc,
                               buf, full);
    g_assert_cmpuint(len, ==, full);
    assert_canary(buf, full, full + 64);
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.count, ==, 6);
    g_assert_cmpuint(w.ps_len, ==, 172);
    g_assert_cmphex(buf[OFF_UH + 8], ==, 0x30);
    g_assert_cmpuint(buf[OFF_PS + 80 + 4], ==, 88);
    g_assert_cmpuint(buf[OFF_PS + 80 + 7], ==, 80);
    g_assert(memcmp(buf + OFF_PS + 88, loc, 80) == 0);

    g_assert_cmpuint(w.raw_off, ==, 176 + 92 + 104);
    g_assert_cmpuint(lduw_be_p(buf + w.raw_off + 10), ==, PHB4_DIAG_LEN);
    g_assert_cmphex(buf[w.raw_off + 8], ==, SPAPR_EEH_RAW_PHB4);
    g_assert_cmphex(buf[w.raw_off + 9], ==, 0);
    g_assert(memcmp(buf + w.raw_off + 16, raw, PHB4_DIAG_LEN) == 0);
    g_assert_cmpuint(lduw_be_p(buf + w.drv_off + 10), ==, BIG_DRV_LEN);
    g_assert_cmphex(buf[w.drv_off + 9], ==, 0);
    g_assert(memcmp(buf + w.drv_off + 16, drv, BIG_DRV_LEN) == 0);
    g_assert_cmphex(summary_flags(buf, &w), ==,
                    SPAPR_EEH_SUMMARY_F_PERMANENT |
                    SPAPR_EEH_SUMMARY_F_RAW_PRESENT |
                    SPAPR_EEH_SUMMARY_F_DRV_PRESENT);

    /* one byte less: the raw data is cut, not dropped */
    memset(buf, CANARY, full + 64);
    len = spapr_eeh_log_encode(&rec, drv, BIG_DRV_LEN, true, REF_PLID, loc,
                               buf, full - 1);
    g_assert_cmpuint(len, ==, full - 4);
    assert_canary(buf, full - 4, full + 64);
    walk_log(buf, len, &w);
    g_assert_cmpuint(lduw_be_p(buf + w.raw_off + 10), ==, PHB4_DIAG_LEN - 4);
    g_assert_cmphex(buf[w.raw_off + 9], ==, SPAPR_EEH_BLOB_F_TRUNCATED);
    g_assert_cmpuint(ldl_be_p(buf + w.raw_off + 12), ==, PHB4_DIAG_LEN);

    /* the usual RTAS buffer size */
    memset(buf, CANARY, full + 64);
    len = spapr_eeh_log_encode(&rec, drv, BIG_DRV_LEN, true, REF_PLID, loc,
                               buf, 2048);
    g_assert_cmpuint(len, ==, 2048);
    assert_canary(buf, 2048, full + 64);
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.raw_off, ==, 0);
    g_assert_cmpuint(w.drv_off, ==, 176 + 92 + 104);

    /* an 80-character location code does not fit the call-out */
    memset(loc, 'L', 80);
    loc[80] = '\0';
    len = spapr_eeh_log_encode(&rec, NULL, 0, true, REF_PLID, loc, buf, 512);
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.ps_len, ==, 80);
    g_assert_cmphex(buf[OFF_PS + 9], ==, 0);
}

/* The driver section length is a 16-bit field: payloads are capped */
static void test_section_length_cap(void)
{
    const size_t big = 70000;
    g_autofree uint8_t *drv = g_malloc0(big);
    g_autofree uint8_t *buf = g_malloc(big * 2);
    size_t len;
    LogWalk w;

    len = spapr_eeh_log_encode(NULL, drv, big, false, 1, NULL, buf, big * 2);
    walk_log(buf, len, &w);
    g_assert_cmpuint(lduw_be_p(buf + w.drv_off + 2), ==, 65532);
    g_assert_cmpuint(lduw_be_p(buf + w.drv_off + 10), ==, 65532 - 16);
    g_assert_cmpuint(ldl_be_p(buf + w.drv_off + 12), ==, big);
    g_assert_cmphex(buf[w.drv_off + 9], ==, SPAPR_EEH_BLOB_F_TRUNCATED);
    g_assert_cmpuint(len, ==, 176 + 104 + 65532);
}

/*
 * Host data that the host does not let the guest see: the summary says
 * what there is, the log carries none of it.
 */
static void test_raw_withheld(void)
{
    uint8_t buf[1024];
    SpaprEehErrorRecord rec;
    size_t len;
    LogWalk w;

    ref_record(&rec);
    rec.raw_data = NULL;
    rec.raw_len = 0;
    rec.trunc = 0;
    rec.raw_withheld = true;
    len = spapr_eeh_log_encode(&rec, (const uint8_t *)ref_drv,
                               strlen(ref_drv), false, REF_PLID, ref_loc,
                               buf, sizeof(buf));
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.count, ==, 5);
    g_assert_cmpuint(w.raw_off, ==, 0);
    g_assert_cmpuint(w.drv_off, ==, OFF_RAW);
    g_assert_cmphex(summary_flags(buf, &w), ==,
                    SPAPR_EEH_SUMMARY_F_RAW_WITHHELD |
                    SPAPR_EEH_SUMMARY_F_DRV_PRESENT);
    g_assert_cmpuint(buf[w.summary_off + 8 + 80], ==, SPAPR_EEH_RAW_PHB4);
    g_assert_cmpuint(ldl_be_p(buf + w.summary_off + 8 + 84), ==,
                     PHB4_DIAG_LEN);

    /* Withheld even when the data is at hand */
    ref_record(&rec);
    rec.raw_withheld = true;
    len = spapr_eeh_log_encode(&rec, NULL, 0, false, REF_PLID, ref_loc,
                               buf, sizeof(buf));
    walk_log(buf, len, &w);
    g_assert_cmpuint(w.raw_off, ==, 0);
    g_assert_cmphex(summary_flags(buf, &w), ==,
                    SPAPR_EEH_SUMMARY_F_RAW_WITHHELD);
}

static void aer_rec(SpaprEehErrorRecord *rec, uint32_t ue)
{
    static const uint32_t mrd[4] = {
        0x20000001, 0x0000000f, 0x00000006, 0x00101000, /* MRd64 */
    };

    memset(rec, 0, sizeof(*rec));
    rec->aer_ue_status = ue;
    rec->aer_ce_status = 0x2000;
    rec->aer_ue_severity = 0x00462030;
    memcpy(rec->aer_tlp_header, mrd, sizeof(mrd));
    rec->aer_src = SPAPR_EEH_SRC_AER_CONFIG;
    rec->valid |= SPAPR_EEH_VALID_AER_UE_STATUS |
                  SPAPR_EEH_VALID_AER_CE_STATUS |
                  SPAPR_EEH_VALID_AER_UE_SEVERITY |
                  SPAPR_EEH_VALID_AER_TLP_HEADER;
}

static void test_aer_classes(void)
{
    static const struct {
        uint32_t ue;
        SpaprEehErrorClass c;
    } cases[] = {
        { UE_SDN, SPAPR_EEH_ERR_CLASS_LINK_DOWN },
        { UE_DLP, SPAPR_EEH_ERR_CLASS_LINK_DOWN },
        { UE_SDN | UE_POISON | UE_UNSUP_REQ, SPAPR_EEH_ERR_CLASS_LINK_DOWN },
        { UE_CMPLT_ABRT, SPAPR_EEH_ERR_CLASS_MMIO },
        { UE_UNSUP_REQ, SPAPR_EEH_ERR_CLASS_MMIO },
        { UE_UNSUP_REQ | UE_POISON, SPAPR_EEH_ERR_CLASS_MMIO },
        { UE_UNSUP_REQ | UE_CMPLT_TO, SPAPR_EEH_ERR_CLASS_MMIO },
        { UE_CMPLT_TO, SPAPR_EEH_ERR_CLASS_DMA_IOMMU },
        { UE_CMPLT_TO | UE_MALFORMED, SPAPR_EEH_ERR_CLASS_DMA_IOMMU },
        { UE_POISON, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_FCP, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_UNX_CMPLT, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_RX_OVFL, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_MALFORMED, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_ECRC, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_ACSV, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { UE_INTERNAL, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { 1u << 26, SPAPR_EEH_ERR_CLASS_PCIE_UE },
        { 0, SPAPR_EEH_ERR_CLASS_UNKNOWN },
        { 0x00000fcf, SPAPR_EEH_ERR_CLASS_UNKNOWN },   /* reserved only */
        { 0xffffffff, SPAPR_EEH_ERR_CLASS_UNKNOWN },   /* failed read */
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        SpaprEehErrorRecord rec, ref;

        aer_rec(&rec, cases[i].ue);
        ref = rec;
        spapr_eeh_aer_interpret(&rec);
        g_assert_cmpstr(spapr_eeh_err_class_name(rec.err_class), ==,
                        spapr_eeh_err_class_name(cases[i].c));
        if (cases[i].c == SPAPR_EEH_ERR_CLASS_UNKNOWN) {
            g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));
            continue;
        }
        g_assert_cmpint(rec.class_src, ==, SPAPR_EEH_SRC_AER_CONFIG);
        /* only the class changed: no address, no requester id */
        rec.err_class = ref.err_class;
        rec.class_src = ref.class_src;
        g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));
    }
}

static void test_aer_preconditions(void)
{
    SpaprEehErrorRecord rec, ref;

    /* root port registers from the diag data: not the endpoint's */
    aer_rec(&rec, UE_UNSUP_REQ);
    rec.aer_src = SPAPR_EEH_SRC_HOST_DIAG;
    ref = rec;
    spapr_eeh_aer_interpret(&rec);
    g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));

    /* status not valid */
    aer_rec(&rec, UE_UNSUP_REQ);
    rec.valid &= ~SPAPR_EEH_VALID_AER_UE_STATUS;
    ref = rec;
    spapr_eeh_aer_interpret(&rec);
    g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));

    /* a class is already known */
    aer_rec(&rec, UE_UNSUP_REQ);
    rec.err_class = SPAPR_EEH_ERR_CLASS_DMA_IOMMU;
    rec.class_src = SPAPR_EEH_SRC_HOST_DIAG;
    ref = rec;
    spapr_eeh_aer_interpret(&rec);
    g_assert_cmpmem(&rec, sizeof(rec), &ref, sizeof(ref));

    spapr_eeh_aer_interpret(NULL);
}

static void test_names(void)
{
    g_assert_cmpstr(spapr_eeh_err_class_name(SPAPR_EEH_ERR_CLASS_DMA_IOMMU),
                    ==, "dma-iommu");
    g_assert_cmpstr(spapr_eeh_err_class_name(SPAPR_EEH_ERR_CLASS__MAX),
                    ==, "invalid");
    g_assert_cmpstr(spapr_eeh_data_source_name(SPAPR_EEH_SRC_AER_CONFIG),
                    ==, "aer-config");
    g_assert_cmpstr(spapr_eeh_raw_format_name(SPAPR_EEH_RAW_PHB4),
                    ==, "phb4");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/spapr-eeh-log/exact-bytes", test_exact_bytes);
    g_test_add_func("/spapr-eeh-log/temporary-vs-permanent",
                    test_temporary_vs_permanent);
    g_test_add_func("/spapr-eeh-log/truncation-sweep", test_truncation_sweep);
    g_test_add_func("/spapr-eeh-log/big-driver-buffer",
                    test_big_driver_buffer);
    g_test_add_func("/spapr-eeh-log/empty-record", test_empty_record);
    g_test_add_func("/spapr-eeh-log/max-record", test_max_record);
    g_test_add_func("/spapr-eeh-log/section-length-cap",
                    test_section_length_cap);
    g_test_add_func("/spapr-eeh-log/raw-withheld", test_raw_withheld);
    g_test_add_func("/spapr-eeh-log/names", test_names);
    g_test_add_func("/spapr-eeh-log/aer/classes", test_aer_classes);
    g_test_add_func("/spapr-eeh-log/aer/preconditions",
                    test_aer_preconditions);

    return g_test_run();
}
