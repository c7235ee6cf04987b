/*
 * Fuzz harnesses for sPAPR EEH: input reader and the checker of the
 * version 6 error logs spapr_eeh_log_encode() writes
 *
 * The checker knows the log only from its documentation (the header
 * comments of include/hw/ppc/spapr_eeh_log.h and spapr_rtas_log.h and
 * docs/specs/ppc-spapr-eeh.rst), not from the encoder's own plan.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/ppc/spapr_rtas_log.h"
#include "hw/ppc/spapr_eeh_log.h"
#include "hw/ppc/spapr_eeh_diag.h"
#include "eeh-fuzz.h"

#define CANARY              0xa5
#define LOG_HDR             24      /* fixed part and v6 extended header */
#define SECT_HDR            8
#define PH_LEN              48
#define UH_LEN              24
#define PS_LEN              80
#define SUMMARY_SECT        (SECT_HDR + 96)
#define BLOB_HDR            (SECT_HDR + 8)
/* The section length field is 16 bits */
#define BLOB_DATA_MAX       (QEMU_ALIGN_DOWN(UINT16_MAX, 4) - BLOB_HDR)
/* Room for the largest log: FRU call-out, summary, two full blobs */
#define LOG_BIG             (SPAPR_EEH_LOG_MIN_SIZE + 12 + \
                             RTAS_LOG_V6_FRU_LOC_CODE_MAX + SUMMARY_SECT + \
                             2 * (BLOB_HDR + BLOB_DATA_MAX + 4))

bool eehf_break_log;

/* ldl_be_p() returns an int */
static uint32_t be32(const void *p)
{
    return ldl_be_p(p);
}

uint8_t eehf_u8(EehfReader *r)
{
    uint8_t v;

    if (!r->len) {
        return 0;
    }
    v = *r->p++;
    r->len--;
    return v;
}

uint16_t eehf_u16(EehfReader *r)
{
    uint16_t hi = eehf_u8(r);

    return hi << 8 | eehf_u8(r);
}

uint32_t eehf_u32(EehfReader *r)
{
    uint32_t hi = eehf_u16(r);

    return hi << 16 | eehf_u16(r);
}

uint64_t eehf_u64(EehfReader *r)
{
    uint64_t hi = eehf_u32(r);

    return hi << 32 | eehf_u32(r);
}

void eehf_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "spapr-eeh fuzz check failed: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

/* Sections found in a log */
typedef struct LogSections {
    unsigned count;
    size_t ps, ps_len;
    size_t summary;                 /* 0: none */
    size_t raw, raw_len;            /* section offset and length */
    size_t drv, drv_len;
} LogSections;

static bool loc_usable(const char *loc)
{
    return loc && loc[0] &&
           strnlen(loc, RTAS_LOG_V6_FRU_LOC_CODE_MAX) <
           RTAS_LOG_V6_FRU_LOC_CODE_MAX;
}

static bool rec_has_raw(const SpaprEehErrorRecord *rec)
{
    return rec && rec->raw_data && rec->raw_len && !rec->raw_withheld;
}

/* Check a host data or driver buffer section against its source */
static void check_blob(const uint8_t *log, size_t off, size_t len,
                       const char *what, uint8_t format, const uint8_t *src,
                       size_t src_len, size_t orig_len, bool cut_at_host)
{
    size_t data_len = lduw_be_p(log + off + SECT_HDR + 2);
    uint8_t flags = log[off + SECT_HDR + 1];
    size_t i;

    if (len != BLOB_HDR + QEMU_ALIGN_UP(data_len, 4)) {
        eehf_fail("%s section is %zu bytes for %zu bytes of data", what, len,
                  data_len);
    }
    if (log[off + SECT_HDR] != format) {
        eehf_fail("%s section has format 0x%x, not 0x%x", what,
                  log[off + SECT_HDR], format);
    }
    if (!data_len || data_len > src_len) {
        eehf_fail("%s section carries %zu of %zu bytes", what, data_len,
                  src_len);
    }
    if (be32(log + off + SECT_HDR + 4) != MIN(orig_len, UINT32_MAX)) {
        eehf_fail("%s section has original length %u, not %zu", what,
                  be32(log + off + SECT_HDR + 4), orig_len);
    }
    if (!!(flags & SPAPR_EEH_BLOB_F_TRUNCATED) != (data_len < src_len)) {
        eehf_fail("%s section: truncated flag %d for %zu of %zu bytes", what,
                  flags & SPAPR_EEH_BLOB_F_TRUNCATED, data_len, src_len);
    }
    if (!!(flags & SPAPR_EEH_BLOB_F_CUT_AT_HOST) != cut_at_host) {
        eehf_fail("%s section: cut-at-host flag is wrong", what);
    }
    if (memcmp(log + off + BLOB_HDR, src, data_len)) {
        eehf_fail("%s section data differs from its source", what);
    }
    for (i = data_len; i < QEMU_ALIGN_UP(data_len, 4); i++) {
        if (log[off + BLOB_HDR + i]) {
            eehf_fail("%s section padding is not zero", what);
        }
    }
}

/* Walk the sections of a log of @len bytes and check their framing */
static void check_framing(const uint8_t *log, size_t len, bool permanent,
                          LogSections *s)
{
    uint32_t summary = be32(log);
    size_t off = LOG_HDR;
    unsigned n = 0;
    int last_ud = 0;

    memset(s, 0, sizeof(*s));
    if ((summary & RTAS_LOG_VERSION_MASK) != RTAS_LOG_VERSION_6 ||
        !(summary & RTAS_LOG_OPTIONAL_PART_PRESENT)) {
        eehf_fail("fixed part summary 0x%08x is not a v6 extended log",
                  summary);
    }
    if ((summary & RTAS_LOG_SEVERITY_MASK) !=
        (permanent ? RTAS_LOG_SEVERITY_ERROR : RTAS_LOG_SEVERITY_WARNING)) {
        eehf_fail("severity 0x%08x does not match the log function",
                  summary & RTAS_LOG_SEVERITY_MASK);
    }
    if (be32(log + 4) != len - 8) {
        eehf_fail("extended length %u, log is %zu bytes", be32(log + 4),
                  len);
    }
    if (!(log[8] & RTAS_LOG_V6_B0_VALID) ||
        (log[10] & RTAS_LOG_V6_B2_LOG_FORMAT_MASK) !=
        RTAS_LOG_V6_B2_LOG_FORMAT_PLATFORM_EVENT ||
        be32(log + 20) != RTAS_LOG_V6_COMPANY_IBM) {
        eehf_fail("bad v6 extended header");
    }

    while (off < len) {
        uint16_t id, slen;
        uint8_t subtype;

        if (len - off < SECT_HDR) {
            eehf_fail("%zu stray bytes at the end of the log", len - off);
        }
        id = lduw_be_p(log + off);
        slen = lduw_be_p(log + off + 2);
        subtype = log[off + 5];
        if (slen < SECT_HDR || slen % 4 || slen > len - off) {
            eehf_fail("section %u at %zu has length %u (log %zu bytes)", n,
                      off, slen, len);
        }
        switch (n) {
        case 0:
            if (id != RTAS_LOG_V6_SECTION_ID_MAINA || slen != PH_LEN) {
                eehf_fail("first section is not a 48-byte Private Header");
            }
            break;
        case 1:
            if (id != RTAS_LOG_V6_SECTION_ID_MAINB || slen != UH_LEN) {
                eehf_fail("second section is not a 24-byte User Header");
            }
            break;
        case 2:
            if (id != RTAS_LOG_V6_SECTION_ID_PRIMARY_SRC || slen < PS_LEN) {
                eehf_fail("third section is not a Primary SRC");
            }
            s->ps = off;
            s->ps_len = slen;
            break;
        default:
            if (id != RTAS_LOG_V6_SECTION_ID_USER_DATA) {
                eehf_fail("section %u is 0x%04x, not User Data", n, id);
            }
            if (subtype <= last_ud || subtype > SPAPR_EEH_UD_SUBTYPE_DRIVER) {
                eehf_fail("User Data subtype %u after %d", subtype, last_ud);
            }
            last_ud = subtype;
            if (log[off + 4] != SPAPR_EEH_UD_VERSION) {
                eehf_fail("User Data section version %u", log[off + 4]);
            }
            if (subtype == SPAPR_EEH_UD_SUBTYPE_SUMMARY) {
                if (slen != SUMMARY_SECT) {
                    eehf_fail("summary section is %u bytes", slen);
                }
                s->summary = off;
            } else {
                if (slen < BLOB_HDR + 4) {
                    eehf_fail("data section of %u bytes", slen);
                }
                if (subtype == SPAPR_EEH_UD_SUBTYPE_HOST_DATA) {
                    s->raw = off;
                    s->raw_len = slen;
                } else {
                    s->drv = off;
                    s->drv_len = slen;
                }
            }
            break;
        }
        off += slen;
        n++;
    }
    if (n < 3) {
        eehf_fail("only %u sections", n);
    }
    if (log[LOG_HDR + 27] != n) {
        eehf_fail("Private Header counts %u sections, the log has %u",
                  log[LOG_HDR + 27], n);
    }
    s->count = n;
}

static void check_src(const uint8_t *log, const LogSections *s,
                      const EehfLogCall *c)
{
    const uint8_t *ps = log + s->ps;
    const char *ref = c->permanent ? SPAPR_EEH_SRC_PERMANENT :
                                     SPAPR_EEH_SRC_TEMPORARY;
    size_t fru = s->ps_len - PS_LEN;

    if (lduw_be_p(ps + 14) != s->ps_len - SECT_HDR) {
        eehf_fail("SRC length %u in a %zu-byte section", lduw_be_p(ps + 14),
                  s->ps_len);
    }
    if (memcmp(ps + 48, ref, strlen(ref))) {
        eehf_fail("primary SRC is not %s", ref);
    }
    if (!!(ps[9] & RTAS_LOG_V6_SRC_FLAG_SUBSECTION) != !!fru) {
        eehf_fail("SRC subsection flag does not match its %zu bytes", fru);
    }
    if (fru) {
        const uint8_t *sub = ps + PS_LEN;
        size_t field = sub[7];

        if (!loc_usable(c->loc_code)) {
            eehf_fail("FRU call-out without a usable location code");
        }
        if (sub[0] != RTAS_LOG_V6_FRU_SUBSECTION_ID ||
            lduw_be_p(sub + 2) * 4 != fru) {
            eehf_fail("FRU subsection header does not match its %zu bytes",
                      fru);
        }
        if (field % 4 || fru != 4 + 4 + field + 4 || sub[4] != 4 + field + 4) {
            eehf_fail("FRU call-out lengths inconsistent");
        }
        if (strnlen((const char *)sub + 8, field) >= field ||
            strcmp((const char *)sub + 8, c->loc_code)) {
            eehf_fail("FRU location code differs from the one given");
        }
        if (memcmp(sub + 8 + field, "ID", 2) || sub[8 + field + 2] != 4) {
            eehf_fail("FRU identity substructure missing");
        }
    }
}

static void check_summary(const uint8_t *log, const LogSections *s,
                          const EehfLogCall *c, size_t drv_data,
                          size_t raw_data)
{
    static const SpaprEehErrorRecord empty;
    const SpaprEehErrorRecord *rec = c->rec ? c->rec : &empty;
    const uint8_t *p = log + s->summary + SECT_HDR;
    size_t drv_len = c->drv_buf ? c->drv_len : 0;
    uint32_t flags = be32(p + 92);
    uint32_t want = 0;

    if (be32(p) != SPAPR_EEH_SUMMARY_MAGIC ||
        lduw_be_p(p + 4) != SPAPR_EEH_SUMMARY_VERSION ||
        lduw_be_p(p + 6) != 96) {
        eehf_fail("summary magic, version or length wrong");
    }
    if (p[8] != (uint8_t)rec->err_class || p[10] != (c->permanent ? 2 : 1) ||
        be32(p + 12) != (rec->valid & SPAPR_EEH_VALID_ALL) ||
        ldq_be_p(p + 24) != rec->fault_addr ||
        be32(p + 88) != MIN(drv_len, UINT32_MAX)) {
        eehf_fail("summary fields differ from the record");
    }
    if (c->permanent) {
        want |= SPAPR_EEH_SUMMARY_F_PERMANENT;
    }
    if (s->drv) {
        want |= SPAPR_EEH_SUMMARY_F_DRV_PRESENT;
        if (drv_data < drv_len) {
            want |= SPAPR_EEH_SUMMARY_F_DRV_TRUNCATED;
        }
    } else if (drv_len) {
        want |= SPAPR_EEH_SUMMARY_F_DRV_DROPPED;
    }
    if (rec_has_raw(rec)) {
        if (s->raw) {
            want |= SPAPR_EEH_SUMMARY_F_RAW_PRESENT;
            if (raw_data < rec->raw_len) {
                want |= SPAPR_EEH_SUMMARY_F_RAW_TRUNCATED;
            }
        } else {
            want |= SPAPR_EEH_SUMMARY_F_RAW_DROPPED;
        }
        if ((rec->trunc & SPAPR_EEH_TRUNC_RAW_DATA) ||
            rec->raw_orig_len > rec->raw_len) {
            want |= SPAPR_EEH_SUMMARY_F_RAW_CUT_AT_HOST;
        }
    } else if (rec->raw_withheld && rec->raw_format != SPAPR_EEH_RAW_NONE) {
        want |= SPAPR_EEH_SUMMARY_F_RAW_WITHHELD;
    }
    if (flags != want) {
        eehf_fail("summary flags 0x%x, expected 0x%x", flags, want);
    }
}

/* Check the log @log of @len bytes that @c produced */
static void check_log(const uint8_t *log, size_t len, const EehfLogCall *c)
{
    static const SpaprEehErrorRecord empty;
    const SpaprEehErrorRecord *rec = c->rec ? c->rec : &empty;
    size_t drv_len = c->drv_buf ? c->drv_len : 0;
    size_t drv_data = 0, raw_data = 0;
    LogSections s;

    if (len < SPAPR_EEH_LOG_MIN_SIZE || len > c->out_max || len % 4) {
        eehf_fail("log of %zu bytes for a %zu-byte buffer", len, c->out_max);
    }
    check_framing(log, len, c->permanent, &s);
    check_src(log, &s, c);
    if (be32(log + LOG_HDR + 40) != c->plid) {
        eehf_fail("Private Header PLID differs");
    }

    if (s.drv) {
        drv_data = lduw_be_p(log + s.drv + SECT_HDR + 2);
        check_blob(log, s.drv, s.drv_len, "driver buffer",
                   SPAPR_EEH_BLOB_FMT_DRIVER, c->drv_buf, drv_len, drv_len,
                   false);
    }
    if (s.raw) {
        if (!rec_has_raw(rec)) {
            eehf_fail("host data section without host data");
        }
        raw_data = lduw_be_p(log + s.raw + SECT_HDR + 2);
        check_blob(log, s.raw, s.raw_len, "host data", rec->raw_format,
                   rec->raw_data, rec->raw_len,
                   MAX(rec->raw_orig_len, rec->raw_len),
                   (rec->trunc & SPAPR_EEH_TRUNC_RAW_DATA) ||
                   rec->raw_orig_len > rec->raw_len);
    }

    /* Dropped first: host data, driver buffer, summary, FRU call-out */
    if (s.raw && (!s.summary || (drv_len && !s.drv) ||
                  drv_data < MIN(drv_len, BLOB_DATA_MAX))) {
        eehf_fail("host data kept while the summary or driver buffer was cut");
    }
    if (s.drv && !s.summary) {
        eehf_fail("driver buffer kept without the summary");
    }
    if (s.summary && loc_usable(c->loc_code) && s.ps_len == PS_LEN) {
        eehf_fail("summary kept without the FRU call-out");
    }
    if (s.summary) {
        check_summary(log, &s, c, drv_data, raw_data);
    }
    if (!spapr_eeh_diag_rtas_log_valid(log, len)) {
        eehf_fail("spapr_eeh_diag_rtas_log_valid() rejects the log");
    }
}

size_t eehf_check_encode(const EehfLogCall *c)
{
    static uint8_t big[LOG_BIG];
    uint8_t *out = g_malloc(MAX(c->out_max, 1));
    size_t len, big_len, i;

    memset(out, CANARY, c->out_max);
    len = spapr_eeh_log_encode(c->rec, c->drv_buf, c->drv_len, c->permanent,
                               c->plid, c->loc_code, out, c->out_max);
    for (i = len; i < c->out_max; i++) {
        if (out[i] != CANARY) {
            eehf_fail("byte %zu written past the %zu-byte log (buffer %zu)",
                      i, len, c->out_max);
        }
    }
    if (c->out_max < SPAPR_EEH_LOG_MIN_SIZE) {
        if (len) {
            eehf_fail("%zu-byte log in a %zu-byte buffer", len, c->out_max);
        }
        g_free(out);
        return 0;
    }
    if (eehf_break_log && len >= 8) {
        out[7] ^= 4;
    }
    check_log(out, len, c);

    /* The same call into a buffer with room for everything */
    memset(big, CANARY, sizeof(big));
    big_len = spapr_eeh_log_encode(c->rec, c->drv_buf, c->drv_len,
                                   c->permanent, c->plid, c->loc_code, big,
                                   sizeof(big));
    if (big_len > sizeof(big)) {
        eehf_fail("%zu-byte log in a %zu-byte buffer", big_len, sizeof(big));
    }
    check_log(big, big_len, &(EehfLogCall){ .rec = c->rec,
              .drv_buf = c->drv_buf, .drv_len = c->drv_len,
              .permanent = c->permanent, .plid = c->plid,
              .loc_code = c->loc_code, .out_max = sizeof(big) });
    if (big_len <= c->out_max) {
        if (big_len != len || memcmp(big, out, len)) {
            eehf_fail("the log changes with a bigger buffer although the "
                      "full %zu-byte log fits in %zu bytes", big_len,
                      c->out_max);
        }
    } else if (big_len < len) {
        eehf_fail("a bigger buffer gives a smaller log");
    }
    g_free(out);
    return len;
}
