/*
 * spapr-eeh-decode: print and check a PAPR version 6 EEH error log
 *
 * Reads the buffer that QEMU's ibm,slot-error-detail returns to a pseries
 * guest (binary, or hex text with -x) and prints it section by section:
 * fixed part, extended header, Private Header (PH), User Header (UH),
 * Primary SRC (PS) with its FRU call-outs and their substructures (each
 * must start with a FRU identity, "ID"), and the User Data (UD)
 * sections QEMU writes (interpreted summary, raw host data, guest driver
 * buffer).  Structural problems are printed as "error: ..." lines and make
 * the exit status 1.  UD subtypes 1 to 3 are taken to be QEMU's; other
 * log producers may use them for something else.
 *
 * This is an independent parser written from the format description in
 * docs/specs/ppc-spapr-eeh.rst; it shares no code with the encoder so that
 * each can check the other.
 *
 * Exit status: 0 valid log, 1 invalid log, 2 usage or input error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_INPUT           (1024 * 1024)
#define DUMP_SHORT          64

#define FIXED_LEN           8
#define V6HDR_LEN           16
#define SECT_HDR_LEN        8
#define PH_LEN              48
#define UH_LEN              24
#define PS_FIXED_LEN        80
#define LOC_CODE_MAX        80

#define SRC_WORD_COUNT      9       /* the reference code and words 2 to 9 */
#define SRC_HEX_WORDS_SPACE 0x20202020u

#define CALLOUT_F_FRU_ID    0x08    /* FRU identity substructure present */
#define FRU_SUB_HDR_LEN     4       /* 2-byte id, length, flags */
#define FRU_ID_F_PART_NO    0x08
#define FRU_ID_F_CCIN       0x04
#define FRU_ID_F_PROC       0x02
#define FRU_ID_F_SERIAL     0x01
#define FRU_ID_PART_NO_LEN  8       /* also the procedure id */
#define FRU_ID_CCIN_LEN     4
#define FRU_ID_SERIAL_LEN   12

#define UD_SUBTYPE_SUMMARY  0x01
#define UD_SUBTYPE_HOST     0x02
#define UD_SUBTYPE_DRIVER   0x03

#define SUMMARY_MAGIC       0x51454548u     /* "QEEH" */
#define SUMMARY_V1_LEN      96

#define BLOB_HDR_LEN        8
#define BLOB_FMT_DRIVER     0x80
#define BLOB_F_TRUNCATED    0x01
#define BLOB_F_CUT_AT_HOST  0x02

#define SUM_F_PERMANENT     0x001
#define SUM_F_RAW_PRESENT   0x002
#define SUM_F_RAW_TRUNCATED 0x004
#define SUM_F_RAW_DROPPED   0x008
#define SUM_F_DRV_PRESENT   0x020
#define SUM_F_DRV_DROPPED   0x080
#define SUM_F_RAW_WITHHELD  0x100

static const uint8_t *buf;      /* the whole input */
static size_t log_end;          /* end of the log proper */
static unsigned n_errors;
static bool verbose;

static void report(size_t off, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(size_t off, const char *fmt, ...)
{
    va_list ap;

    printf("error: @%zu: ", off);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    n_errors++;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static unsigned from_bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0xf);
}

/* Print a list of the names of the bits set in @v */
struct bit_name {
    uint32_t bit;
    const char *name;
};

static void print_bits(uint32_t v, const struct bit_name *names)
{
    const char *sep = "";

    if (!v) {
        return;
    }
    printf("(");
    for (; names->name; names++) {
        if (v & names->bit) {
            printf("%s%s", sep, names->name);
            sep = ",";
            v &= ~names->bit;
        }
    }
    if (v) {
        printf("%sunknown-0x%x", sep, v);
    }
    printf(")");
}

static void hexdump(const char *prefix, const uint8_t *p, size_t len)
{
    size_t shown = verbose || len <= DUMP_SHORT ? len : DUMP_SHORT;
    size_t i;

    for (i = 0; i < shown; i++) {
        if (i % 16 == 0) {
            printf("%s  %04zx:", prefix, i);
        }
        printf(" %02x", p[i]);
        if (i % 16 == 15 || i + 1 == shown) {
            printf("\n");
        }
    }
    if (shown < len) {
        printf("%s  ... %zu more bytes (-v shows all)\n", prefix, len - shown);
    }
}

static void print_text(const char *prefix, const uint8_t *p, size_t len)
{
    size_t i;
    bool bol = true;

    for (i = 0; i < len; i++) {
        if (bol) {
            printf("%s  | ", prefix);
            bol = false;
        }
        if (p[i] == '\n') {
            printf("\n");
            bol = true;
        } else if (isprint(p[i])) {
            putchar(p[i]);
        } else {
            printf("\\x%02x", p[i]);
        }
    }
    if (!bol) {
        printf("\n");
    }
}

static const char *severity_name(unsigned s)
{
    static const char *const names[] = {
        "no-error", "event", "warning", "error-sync", "error", "fatal",
        "already-reported", "reserved",
    };
    return names[s & 7];
}

static const char *disposition_name(unsigned d)
{
    static const char *const names[] = {
        "fully-recovered", "limited-recovery", "not-recovered", "reserved",
    };
    return names[d & 3];
}

static const char *io_kind_name(unsigned k)
{
    switch (k) {
    case 0: return "unknown";
    case 1: return "cpu";
    case 2: return "pci";
    case 4: return "memory";
    case 6: return "hotplug";
    default: return "other";
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case 0xe0: return "platform-error";
    case 0xe1: return "io-event";
    case 0xe2: return "platform-info";
    case 0xe5: return "hotplug";
    case 0x40: return "epow";
    default: return "other";
    }
}

static const char *subsystem_name(unsigned s)
{
    if (s >= 0x30 && s <= 0x3f) {
        return "io-bus";
    }
    if (s >= 0x40 && s <= 0x4f) {
        return "io-adapter";
    }
    if (s >= 0x80 && s <= 0x8f) {
        return "platform-firmware";
    }
    return "other";
}

static const char *event_severity_name(unsigned s)
{
    switch (s) {
    case 0x00: return "informational";
    case 0x10: return "recovered";
    case 0x20: return "predictive";
    case 0x40: return "unrecoverable";
    case 0x60: return "diagnostic";
    default: return "other";
    }
}

static const char *class_name(unsigned c)
{
    static const char *const names[] = {
        "unknown", "dma-iommu", "mmio", "link-down", "pcie-ue", "config",
    };
    return c < sizeof(names) / sizeof(names[0]) ? names[c] : "invalid";
}

static const char *addr_kind_name(unsigned k)
{
    static const char *const names[] = {
        "unknown", "guest-iova", "guest-mmio",
    };
    return k < sizeof(names) / sizeof(names[0]) ? names[k] : "invalid";
}

static const char *source_name(unsigned s)
{
    static const char *const names[] = {
        "unavailable", "host-diag", "aer-config", "qemu",
    };
    return s < sizeof(names) / sizeof(names[0]) ? names[s] : "invalid";
}

static const char *raw_format_name(unsigned f)
{
    static const char *const names[] = {
        "none", "phb3", "phb4", "rtas",
    };
    if (f == BLOB_FMT_DRIVER) {
        return "driver";
    }
    return f < sizeof(names) / sizeof(names[0]) ? names[f] : "invalid";
}

static const char *pe_state_name(unsigned s)
{
    switch (s) {
    case 0: return "normal";
    case 1: return "reset";
    case 2: return "stopped";
    case 4: return "dma-stopped";
    case 5: return "unavailable";
    case 0xff: return "unknown";
    default: return "invalid";
    }
}

static const char *fru_id_type_name(unsigned t)
{
    switch (t) {
    case 0x1: return "hardware-fru";
    case 0x2: return "code-fru";
    case 0x3: return "config-error";
    case 0x4: return "maintenance-procedure";
    case 0x9: return "external-fru";
    case 0xa: return "external-code-fru";
    case 0xb: return "tool-fru";
    case 0xc: return "symbolic-fru";
    case 0xe: return "symbolic-fru-trusted-loc";
    default: return "reserved";
    }
}

static const char *ud_subtype_name(unsigned s)
{
    switch (s) {
    case UD_SUBTYPE_SUMMARY: return "summary";
    case UD_SUBTYPE_HOST: return "host-data";
    case UD_SUBTYPE_DRIVER: return "driver";
    default: return "unknown";
    }
}

static const struct bit_name v6_flag_names[] = {
    { 0x80, "valid" }, { 0x40, "unrecoverable" }, { 0x20, "recoverable" },
    { 0x10, "degraded" }, { 0x08, "predictive" }, { 0x04, "new-log" },
    { 0x02, "big-endian" }, { 0, NULL },
};

static const struct bit_name action_names[] = {
    { 0x8000, "service" }, { 0x4000, "hidden" },
    { 0x2000, "report-externally" }, { 0x1000, "no-hypervisor" },
    { 0x0800, "call-home" }, { 0x0400, "isolation-incomplete" },
    { 0, NULL },
};

static const struct bit_name valid_names[] = {
    { 0x01, "fault-addr" }, { 0x02, "requester-id" },
    { 0x04, "aer-ue-status" }, { 0x08, "aer-ce-status" },
    { 0x10, "aer-ue-severity" }, { 0x20, "aer-tlp-header" },
    { 0x40, "pe-state" }, { 0x80, "detect-time" }, { 0, NULL },
};

static const struct bit_name callout_flag_names[] = {
    { CALLOUT_F_FRU_ID, "fru-id" }, { 0, NULL },
};

static const struct bit_name fru_id_field_names[] = {
    { FRU_ID_F_PART_NO, "part-number" }, { FRU_ID_F_CCIN, "ccin" },
    { FRU_ID_F_PROC, "procedure" }, { FRU_ID_F_SERIAL, "serial-number" },
    { 0, NULL },
};

static const struct bit_name summary_flag_names[] = {
    { 0x001, "permanent" }, { 0x002, "raw-present" },
    { 0x004, "raw-truncated" }, { 0x008, "raw-dropped" },
    { 0x010, "raw-cut-at-host" }, { 0x020, "drv-present" },
    { 0x040, "drv-truncated" }, { 0x080, "drv-dropped" },
    { 0x100, "raw-withheld" }, { 0, NULL },
};

static const struct bit_name blob_flag_names[] = {
    { BLOB_F_TRUNCATED, "truncated" }, { BLOB_F_CUT_AT_HOST, "cut-at-host" },
    { 0, NULL },
};

/* What the section walk learnt, for checks that span sections */
struct walk {
    unsigned ph_count;
    bool ph_seen;
    bool ps_seen;
    int last_driver;            /* index of a driver UD, -1 if none */
    unsigned sections;
    unsigned summary_ver;       /* 0: no summary seen */
    uint32_t summary_flags;
    uint32_t summary_drv_len;
    bool host_seen;
    size_t host_off;            /* offset of the first host data UD */
};

static void decode_fixed(void)
{
    uint8_t b1 = buf[1], b2 = buf[2];

    printf("fixed: version=%u severity=%u(%s) disposition=%u(%s) "
           "extended=%u initiator=%u(%s) target=%u(%s) type=0x%02x(%s) "
           "ext_length=%" PRIu32 "\n",
           buf[0], b1 >> 5, severity_name(b1 >> 5),
           (b1 >> 3) & 3, disposition_name((b1 >> 3) & 3), (b1 >> 2) & 1,
           b2 >> 4, io_kind_name(b2 >> 4), b2 & 0xf, io_kind_name(b2 & 0xf),
           buf[3], type_name(buf[3]), be32(buf + 4));
    if (buf[0] != 6) {
        report(0, "version %u, expected 6", buf[0]);
    }
    if (!(b1 & 0x04)) {
        report(1, "extended log bit clear");
    }
    if (b1 & 0x03) {
        report(1, "reserved bits set in byte 1: 0x%02x", b1 & 0x03);
    }
}

static void decode_v6hdr(void)
{
    const uint8_t *h = buf + FIXED_LEN;

    printf("v6hdr: flags=0x%02x", h[0]);
    print_bits(h[0], v6_flag_names);
    printf(" format=0x%02x(%s%s) company=\"%.3s\"\n", h[2],
           h[2] & 0x80 ? "powerpc," : "",
           (h[2] & 0x0f) == 0x0e ? "platform-event" : "other",
           (const char *)h + 12);
    if (!(h[0] & 0x80)) {
        report(FIXED_LEN, "log valid bit clear");
    }
    if (!(h[0] & 0x02)) {
        report(FIXED_LEN, "big-endian bit clear");
    }
    if ((h[2] & 0x8f) != 0x8e) {
        report(FIXED_LEN + 2, "format byte 0x%02x, expected 0x8e", h[2]);
    }
    if (memcmp(h + 12, "IBM", 4) != 0) {
        report(FIXED_LEN + 12, "company id is not \"IBM\\0\"");
    }
}

static void decode_ph(const uint8_t *s, struct walk *w)
{
    uint32_t date = be32(s + 8), time = be32(s + 12);

    w->ph_count = s[27];
    w->ph_seen = true;
    printf("  PH: date=%02u%02u-%02u-%02u time=%02u:%02u:%02u.%02u "
           "creator=%c section_count=%u plid=0x%08" PRIx32 "\n",
           from_bcd(date >> 24), from_bcd((date >> 16) & 0xff),
           from_bcd((date >> 8) & 0xff), from_bcd(date & 0xff),
           from_bcd(time >> 24), from_bcd((time >> 16) & 0xff),
           from_bcd((time >> 8) & 0xff), from_bcd(time & 0xff),
           isprint(s[24]) ? s[24] : '?', s[27], be32(s + 40));
}

static void decode_uh(const uint8_t *s)
{
    uint16_t action = be16(s + 18);

    printf("  UH: subsystem=0x%02x(%s) event_severity=0x%02x(%s) "
           "event_subtype=0x%02x action=0x%04x",
           s[8], subsystem_name(s[8]), s[10], event_severity_name(s[10]),
           s[11], action);
    print_bits(action, action_names);
    printf("\n");
}

/* A text field of a FRU identity: @len bytes at most, up to a NUL */
static void print_field(const char *name, const uint8_t *p, size_t len)
{
    size_t i;

    printf(" %s=\"", name);
    for (i = 0; i < len && p[i]; i++) {
        if (isprint(p[i]) && p[i] != '"' && p[i] != '\\') {
            putchar(p[i]);
        } else {
            printf("\\x%02x", p[i]);
        }
    }
    printf("\"");
}

/*
 * FRU identity substructure ("ID") at @pos, substructure @k of call-out
 * @n, already known to lie within the call-out.  The high nibble of its
 * flags is the failing component type, the low one says which fields
 * follow the header, in this order: part number or procedure id (8 bytes,
 * NUL-terminated; they share the field), CCIN (4 bytes), serial number
 * (12 bytes).  librtasevent reads the fields the flags announce whatever
 * the length says, so the two must agree.  Since librtas 2.0.3 it takes
 * only 7 bytes for the part number or procedure id, and so misreads a
 * CCIN or serial number after one; QEMU's FRU identity has no fields.
 */
static void decode_fru_id(size_t pos, unsigned n, unsigned k)
{
    const uint8_t *u = buf + pos;
    unsigned len = u[2], flags = u[3], want = FRU_SUB_HDR_LEN;
    size_t f = FRU_SUB_HDR_LEN;
    const char *pn_name = NULL;
    bool pn_open = false;

    printf(" type=%u(%s) fields=", flags >> 4, fru_id_type_name(flags >> 4));
    if (flags & 0x0f) {
        printf("0x%02x", flags & 0x0f);
        print_bits(flags & 0x0f, fru_id_field_names);
    } else {
        printf("none");
    }
    printf("\n");

    if ((flags & FRU_ID_F_PART_NO) && (flags & FRU_ID_F_PROC)) {
        report(pos + 3, "FRU call-out %u: FRU identity announces both a "
               "part number and a procedure id, which share one field", n);
        return;
    }
    if (flags & (FRU_ID_F_PART_NO | FRU_ID_F_PROC)) {
        want += FRU_ID_PART_NO_LEN;
    }
    if (flags & FRU_ID_F_CCIN) {
        want += FRU_ID_CCIN_LEN;
    }
    if (flags & FRU_ID_F_SERIAL) {
        want += FRU_ID_SERIAL_LEN;
    }
    if (len != want) {
        report(pos + 2, "FRU call-out %u: FRU identity length %u, its flags "
               "0x%02x announce %u bytes", n, len, flags, want);
        return;
    }
    if (want == FRU_SUB_HDR_LEN) {
        return;
    }

    printf("  PS: fru %u: sub %u:", n, k);
    if (flags & (FRU_ID_F_PART_NO | FRU_ID_F_PROC)) {
        pn_name = flags & FRU_ID_F_PART_NO ? "part_number" : "procedure";
        print_field(pn_name, u + f, FRU_ID_PART_NO_LEN);
        pn_open = !memchr(u + f, '\0', FRU_ID_PART_NO_LEN);
        f += FRU_ID_PART_NO_LEN;
    }
    if (flags & FRU_ID_F_CCIN) {
        print_field("ccin", u + f, FRU_ID_CCIN_LEN);
        f += FRU_ID_CCIN_LEN;
    }
    if (flags & FRU_ID_F_SERIAL) {
        print_field("serial_number", u + f, FRU_ID_SERIAL_LEN);
    }
    printf("\n");
    if (pn_open) {
        report(pos + FRU_SUB_HDR_LEN, "FRU call-out %u: %s not NUL-terminated "
               "in its %d bytes", n, pn_name, FRU_ID_PART_NO_LEN);
    }
    if (pn_name && (flags & (FRU_ID_F_CCIN | FRU_ID_F_SERIAL))) {
        printf("note: @%zu: librtasevent 2.0.3 and later read the %s as 7 "
               "bytes and misread the fields after it\n",
               pos + FRU_SUB_HDR_LEN, pn_name);
    }
}

static bool librtasevent_knows(const uint8_t *id)
{
    return !memcmp(id, "ID", 2) || !memcmp(id, "PE", 2) ||
           !memcmp(id, "MR", 2);
}

/*
 * The substructures of FRU call-out @n (at @callout, type/flags byte
 * @type_flags), from @pos to @end: each has a 2-byte id, a 1-byte length
 * that includes its 4-byte header, and a flags byte; librtasevent walks
 * them the same way, bounded by the call-out length (parse_src_scn()).
 * ppc64-diag's rtas_errd then takes the first substructure librtasevent
 * found as the FRU identity, without checking that there is one
 * (rtas_errd/v6ela.c, report_src()), so QEMU puts an "ID" first in every
 * call-out, and says so with bit 0x08 of the type/flags byte.
 */
static void decode_fru_subs(size_t pos, size_t end, unsigned n,
                            size_t callout, uint8_t type_flags)
{
    uint8_t first[2], first_known[2];
    bool broken = false, known = false, id_seen = false;
    size_t start = pos;
    unsigned k = 0;

    while (pos < end) {
        const uint8_t *u = buf + pos;
        unsigned len;

        if (end - pos < FRU_SUB_HDR_LEN) {
            report(pos, "FRU call-out %u: %zu bytes left after substructure "
                   "%u, too few for a substructure header", n, end - pos, k);
            broken = true;
            break;
        }
        len = u[2];
        printf("  PS: fru %u: sub %u: id=%c%c length=%u flags=0x%02x",
               n, k + 1, isprint(u[0]) ? u[0] : '?',
               isprint(u[1]) ? u[1] : '?', len, u[3]);
        if (len < FRU_SUB_HDR_LEN || len > end - pos) {
            printf("\n");
            report(pos + 2, "FRU call-out %u: substructure %u length %u "
                   "outside %d..%zu", n, k + 1, len, FRU_SUB_HDR_LEN,
                   end - pos);
            broken = true;
            break;
        }
        if (!k++) {
            memcpy(first, u, 2);
        }
        if (!known && librtasevent_knows(u)) {
            memcpy(first_known, u, 2);
            known = true;
        }
        if (!memcmp(u, "ID", 2)) {
            id_seen = true;
            decode_fru_id(pos, n, k);
        } else {
            printf("\n");
            if (len > FRU_SUB_HDR_LEN) {
                hexdump("  PS:", u + FRU_SUB_HDR_LEN, len - FRU_SUB_HDR_LEN);
            }
        }
        pos += len;
    }

    if (!k) {
        if (!broken) {
            report(callout, "FRU call-out %u has no substructure, no FRU "
                   "identity: ppc64-diag's rtas_errd crashes on it "
                   "(report_src() reads the first one unchecked)", n);
        }
    } else if (memcmp(first, "ID", 2)) {
        const char *why;

        if (!known) {
            why = "librtasevent knows none of its substructures, and "
                  "ppc64-diag's rtas_errd crashes on a call-out without one";
        } else if (!memcmp(first_known, "ID", 2)) {
            why = "librtasevent only finds the \"ID\" by skipping the "
                  "others byte by byte";
        } else {
            why = "ppc64-diag's rtas_errd looks only at the first "
                  "substructure and leaves the call-out out of servicelog";
        }
        report(start, "FRU call-out %u: first substructure is \"%c%c\", "
               "not \"ID\": %s", n, isprint(first[0]) ? first[0] : '?',
               isprint(first[1]) ? first[1] : '?', why);
    }
    if (broken && !id_seen) {
        return;
    }
    if ((type_flags & CALLOUT_F_FRU_ID) && !id_seen) {
        report(callout + 1, "FRU call-out %u: type/flags 0x%02x announces a "
               "FRU identity (0x%02x) but there is no \"ID\" substructure",
               n, type_flags, CALLOUT_F_FRU_ID);
    } else if (!(type_flags & CALLOUT_F_FRU_ID) && id_seen) {
        report(callout + 1, "FRU call-out %u: type/flags 0x%02x lacks the FRU "
               "identity bit 0x%02x but there is an \"ID\" substructure",
               n, type_flags, CALLOUT_F_FRU_ID);
    }
}

static void decode_fru_callouts(size_t off, size_t len)
{
    size_t pos = off, end = off + len;
    unsigned n = 0;

    while (pos < end) {
        const uint8_t *c = buf + pos;
        unsigned clen, loc_len;

        n++;
        if (end - pos < 4) {
            report(pos, "FRU call-out %u: %zu bytes left, header needs 4",
                   n, end - pos);
            return;
        }
        clen = c[0];
        loc_len = c[3];
        printf("  PS: fru %u: length=%u type=%u flags=0x%02x", n, clen,
               c[1] >> 4, c[1]);
        print_bits(c[1] & 0x0f, callout_flag_names);
        printf(" priority=%c loc_code_length=%u",
               isprint(c[2]) ? c[2] : '?', loc_len);
        if (clen < 4 || pos + clen > end) {
            printf("\n");
            report(pos, "FRU call-out %u: length %u outside 4..%zu",
                   n, clen, end - pos);
            return;
        }
        if (loc_len % 4 || loc_len > LOC_CODE_MAX || 4 + loc_len > clen) {
            printf("\n");
            report(pos + 3, "FRU call-out %u: bad location code length %u",
                   n, loc_len);
            return;
        }
        if (loc_len && !memchr(c + 4, '\0', loc_len)) {
            printf("\n");
            report(pos + 4, "FRU call-out %u: location code not "
                   "NUL-terminated", n);
            return;
        }
        printf(" loc_code=\"%s\"\n", loc_len ? (const char *)c + 4 : "");
        decode_fru_subs(pos + 4 + loc_len, pos + clen, n, pos, c[1]);
        pos += clen;
    }
}

static void decode_ps(size_t off, size_t len, struct walk *w)
{
    const uint8_t *s = buf + off;
    char refcode[33];
    unsigned src_len;
    size_t i;

    w->ps_seen = true;
    if (len < PS_FIXED_LEN) {
        report(off, "PS section %zu bytes, needs at least %d",
               len, PS_FIXED_LEN);
        return;
    }
    memcpy(refcode, s + 48, 32);
    refcode[32] = '\0';
    for (i = 32; i > 0 && (refcode[i - 1] == ' ' || !refcode[i - 1]); i--) {
        refcode[i - 1] = '\0';
    }
    for (i = 0; refcode[i]; i++) {
        if (!isprint((unsigned char)refcode[i])) {
            refcode[i] = '?';
        }
    }
    printf("  PS: src_version=%u flags=0x%02x refcode=\"%s\"", s[8], s[9],
           refcode);
    if (!strcmp(refcode, "BA188001")) {
        printf(" (EEH temporary: recovered)\n");
    } else if (!strcmp(refcode, "BA188002")) {
        printf(" (EEH permanent: not recovered)\n");
    } else {
        printf("\n");
    }
    src_len = be16(s + 14);
    printf("  PS: word_count=%u src_length=%u\n", s[11], src_len);
    printf("  PS: hex_words=");
    for (i = 0; i < 8; i++) {
        printf("%08" PRIx32 "%s", be32(s + 16 + 4 * i), i < 7 ? " " : "\n");
    }

    /*
     * The word count is not optional for our logs: the 80-byte PS always
     * holds the reference code and hex words 2 to 9, which is 9 words, as
     * the format description and PowerVM's EEH logs have it, and a consumer
     * that honours the count would take a different number of hex words
     * as valid.  Any other value is an encoder bug, so it is an error.
     */
    if (s[11] != SRC_WORD_COUNT) {
        report(off + 11, "PS hex word count %u, expected %d", s[11],
               SRC_WORD_COUNT);
    }
    for (i = 0; i < 8; i++) {
        if (be32(s + 16 + 4 * i) != SRC_HEX_WORDS_SPACE) {
            report(off + 16 + 4 * i, "PS hex word %zu is 0x%08" PRIx32
                   ", expected ASCII spaces", i + 2, be32(s + 16 + 4 * i));
            break;
        }
    }
    /*
     * The SRC length covers everything after the section header.  Zero is
     * only noted: it means the producer did not fill it in, which
     * librtasevent and rtas_errd do not mind (they never read it), though
     * libopalevents, which walks the call-outs up to it, then sees none.
     */
    if (!src_len) {
        printf("note: @%zu: PS SRC length is 0 (not set)\n", off + 14);
    } else if (src_len != len - SECT_HDR_LEN) {
        report(off + 14, "PS SRC length %u, expected the section length "
               "minus %d (%zu)", src_len, SECT_HDR_LEN, len - SECT_HDR_LEN);
    }

    if (!(s[9] & 0x01)) {
        if (len != PS_FIXED_LEN) {
            report(off + 2, "PS length %zu but no subsection flag", len);
        }
        printf("  PS: no FRU call-outs\n");
        return;
    }
    if (len < PS_FIXED_LEN + 4) {
        report(off + 9, "subsection flag set but no room for a subsection");
        return;
    }
    s += PS_FIXED_LEN;
    printf("  PS: fru_subsection id=0x%02x length_words=%u\n", s[0],
           be16(s + 2));
    if (s[0] != 0xc0) {
        report(off + PS_FIXED_LEN, "FRU subsection id 0x%02x, expected 0xc0",
               s[0]);
        return;
    }
    if ((size_t)be16(s + 2) * 4 != len - PS_FIXED_LEN) {
        report(off + PS_FIXED_LEN + 2, "FRU subsection is %u bytes but the "
               "PS section leaves %zu", be16(s + 2) * 4, len - PS_FIXED_LEN);
        return;
    }
    if (len == PS_FIXED_LEN + 4) {
        report(off + PS_FIXED_LEN, "FRU subsection without call-outs");
        return;
    }
    decode_fru_callouts(off + PS_FIXED_LEN + 4, len - PS_FIXED_LEN - 4);
}

static void decode_summary(size_t off, size_t len, struct walk *w)
{
    const uint8_t *s = buf + off + SECT_HDR_LEN;
    size_t avail = len - SECT_HDR_LEN;
    uint32_t valid, flags;
    uint16_t rid, slen;
    uint64_t t;
    time_t secs;
    struct tm tm;
    unsigned i;

    if (avail < 8) {
        report(off, "summary shorter than its 8-byte header");
        return;
    }
    slen = be16(s + 6);
    printf("  summary: magic=0x%08" PRIx32 " version=%u length=%u\n",
           be32(s), be16(s + 4), slen);
    if (be32(s) != SUMMARY_MAGIC) {
        report(off + SECT_HDR_LEN, "summary magic 0x%08" PRIx32
               ", expected 0x%08x", be32(s), SUMMARY_MAGIC);
        return;
    }
    if (slen > avail) {
        report(off + SECT_HDR_LEN + 6, "summary length %u exceeds its "
               "section (%zu)", slen, avail);
        return;
    }
    if (be16(s + 4) < 1) {
        report(off + SECT_HDR_LEN + 4, "summary version 0");
        return;
    }
    if (slen < SUMMARY_V1_LEN) {
        report(off + SECT_HDR_LEN + 6, "summary length %u below the %d "
               "bytes of version 1", slen, SUMMARY_V1_LEN);
        return;
    }
    if (be16(s + 4) > 1) {
        printf("  summary: version %u, decoding the version 1 fields\n",
               be16(s + 4));
    }
    w->summary_ver = be16(s + 4);

    valid = be32(s + 12);
    rid = be16(s + 32);
    t = be64(s + 72);
    flags = be32(s + 92);
    w->summary_flags = flags;
    w->summary_drv_len = be32(s + 88);

    printf("  summary: class=%u(%s) source=%s\n", s[8], class_name(s[8]),
           source_name(s[16]));
    printf("  summary: fault_addr=0x%016" PRIx64 " kind=%u(%s) source=%s%s\n",
           be64(s + 24), s[9], addr_kind_name(s[9]), source_name(s[17]),
           valid & 0x01 ? "" : " (not valid)");
    printf("  summary: requester_id=0x%04x(%02x:%02x.%x) source=%s%s\n",
           rid, rid >> 8, (rid >> 3) & 0x1f, rid & 7, source_name(s[18]),
           valid & 0x02 ? "" : " (not valid)");
    printf("  summary: pe_state=%u(%s) source=%s\n", s[11],
           pe_state_name(s[11]), source_name(s[20]));
    printf("  summary: aer_ue_status=0x%08" PRIx32 "%s "
           "aer_ce_status=0x%08" PRIx32 "%s "
           "aer_ue_severity=0x%08" PRIx32 "%s source=%s\n",
           be32(s + 44), valid & 0x04 ? "" : "(not valid)",
           be32(s + 48), valid & 0x08 ? "" : "(not valid)",
           be32(s + 52), valid & 0x10 ? "" : "(not valid)",
           source_name(s[19]));
    printf("  summary: tlp_header=");
    for (i = 0; i < 4; i++) {
        printf("%08" PRIx32 "%s", be32(s + 56 + 4 * i), i < 3 ? " " : "");
    }
    printf("%s\n", valid & 0x20 ? "" : " (not valid)");
    printf("  summary: freeze_count=%" PRIu32 " dropped_records=%" PRIu32 "\n",
           be32(s + 36), be32(s + 40));
    printf("  summary: detect_time_ns=%" PRIu64, t);
    secs = (time_t)(t / 1000000000u);
    if ((valid & 0x80) && gmtime_r(&secs, &tm)) {
        printf(" (%04d-%02d-%02dT%02d:%02d:%02d.%09" PRIu64 "Z)",
               tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
               tm.tm_min, tm.tm_sec, t % 1000000000u);
    } else if (!(valid & 0x80)) {
        printf(" (not valid)");
    }
    printf(" source=%s\n", source_name(s[21]));
    printf("  summary: valid=0x%08" PRIx32, valid);
    print_bits(valid, valid_names);
    printf("\n");
    printf("  summary: raw_format=%u(%s) raw_orig_len=%" PRIu32
           " drv_len=%" PRIu32 "\n", s[80], raw_format_name(s[80]),
           be32(s + 84), be32(s + 88));
    printf("  summary: log_function=%u(%s) flags=0x%08" PRIx32, s[10],
           s[10] == 1 ? "temporary" : s[10] == 2 ? "permanent" : "invalid",
           flags);
    print_bits(flags, summary_flag_names);
    printf("\n");

    if (s[10] != 1 && s[10] != 2) {
        report(off + SECT_HDR_LEN + 10, "log function %u, expected 1 or 2",
               s[10]);
    }
    if (!!(flags & SUM_F_PERMANENT) != (s[10] == 2)) {
        report(off + SECT_HDR_LEN + 92, "permanent flag disagrees with "
               "log function %u", s[10]);
    }
    if ((flags & SUM_F_RAW_PRESENT) && (flags & SUM_F_RAW_DROPPED)) {
        report(off + SECT_HDR_LEN + 92, "raw data both present and dropped");
    }
    if ((flags & SUM_F_DRV_PRESENT) && (flags & SUM_F_DRV_DROPPED)) {
        report(off + SECT_HDR_LEN + 92, "driver buffer both present and "
               "dropped");
    }

    /*
     * Withheld raw data: the host has some but does not show it, so there
     * is no section to be present, cut or dropped, and the format and
     * size fields are all the log says about it.  (Whether the log has a
     * host data section is checked once all sections are seen.)
     */
    if (!(flags & SUM_F_RAW_WITHHELD)) {
        return;
    }
    if (flags & SUM_F_RAW_PRESENT) {
        report(off + SECT_HDR_LEN + 92, "raw data both present and "
               "withheld");
    }
    if (flags & (SUM_F_RAW_TRUNCATED | SUM_F_RAW_DROPPED)) {
        report(off + SECT_HDR_LEN + 92, "raw data withheld but flagged "
               "%s", flags & SUM_F_RAW_DROPPED ? "dropped" : "truncated");
    }
    if (s[80] == 0 || s[80] > 3) {
        report(off + SECT_HDR_LEN + 80, "raw data withheld but the raw "
               "format is %u(%s)", s[80], raw_format_name(s[80]));
    }
}

/* Host data and driver buffer sections: blob header, data, padding */
static void decode_blob(size_t off, size_t len, unsigned subtype,
                        struct walk *w)
{
    const uint8_t *s = buf + off + SECT_HDR_LEN;
    const char *what = ud_subtype_name(subtype);
    char prefix[32];
    size_t data_len, i;
    uint32_t orig;
    uint8_t flags;

    snprintf(prefix, sizeof(prefix), "  %s:", what);
    if (len < SECT_HDR_LEN + BLOB_HDR_LEN) {
        report(off, "%s section too short for its header", what);
        return;
    }
    flags = s[1];
    data_len = be16(s + 2);
    orig = be32(s + 4);
    printf("%s format=0x%02x(%s) flags=0x%02x", prefix, s[0],
           raw_format_name(s[0]), flags);
    print_bits(flags, blob_flag_names);
    printf(" data_len=%zu orig_len=%" PRIu32 " truncated=%s\n",
           data_len, orig, flags & BLOB_F_TRUNCATED ? "yes" : "no");

    if (SECT_HDR_LEN + BLOB_HDR_LEN + data_len > len) {
        report(off + SECT_HDR_LEN + 2, "%s data length %zu overruns the "
               "section", what, data_len);
        return;
    }
    if (len != SECT_HDR_LEN + BLOB_HDR_LEN + ((data_len + 3) & ~(size_t)3)) {
        report(off + 2, "%s section length %zu does not match data length "
               "%zu plus padding", what, len, data_len);
    }
    for (i = SECT_HDR_LEN + BLOB_HDR_LEN + data_len; i < len; i++) {
        if (buf[off + i]) {
            report(off + i, "%s padding is not zero", what);
            break;
        }
    }
    if (orig < data_len) {
        report(off + SECT_HDR_LEN + 4, "%s original length %" PRIu32
               " below data length %zu", what, orig, data_len);
    } else if ((flags & BLOB_F_TRUNCATED) && orig == data_len) {
        report(off + SECT_HDR_LEN + 1, "%s flagged truncated but complete",
               what);
    } else if (!(flags & (BLOB_F_TRUNCATED | BLOB_F_CUT_AT_HOST)) &&
               orig != data_len) {
        report(off + SECT_HDR_LEN + 1, "%s cut from %" PRIu32 " to %zu "
               "bytes but not flagged truncated", what, orig, data_len);
    }

    if (subtype == UD_SUBTYPE_DRIVER) {
        if (s[0] != BLOB_FMT_DRIVER) {
            report(off + SECT_HDR_LEN, "driver format 0x%02x, expected 0x%02x",
                   s[0], BLOB_FMT_DRIVER);
        }
        if (w->summary_ver && w->summary_drv_len != orig) {
            report(off + SECT_HDR_LEN + 4, "driver original length %" PRIu32
                   " differs from the summary's %" PRIu32, orig,
                   w->summary_drv_len);
        }
        printf("  driver: text:\n");
        print_text(prefix, s + BLOB_HDR_LEN, data_len);
    } else {
        if (!w->host_seen) {
            w->host_off = off;
        }
        w->host_seen = true;
        if (s[0] == 0 || s[0] > 3) {
            report(off + SECT_HDR_LEN, "host data format %u unknown", s[0]);
        }
        hexdump(prefix, s + BLOB_HDR_LEN, data_len);
    }
}

static void decode_ud(size_t off, size_t len, unsigned subtype,
                      struct walk *w)
{
    switch (subtype) {
    case UD_SUBTYPE_SUMMARY:
        decode_summary(off, len, w);
        break;
    case UD_SUBTYPE_HOST:
    case UD_SUBTYPE_DRIVER:
        decode_blob(off, len, subtype, w);
        break;
    default:
        printf("  UD: %zu bytes of opaque data\n", len - SECT_HDR_LEN);
        hexdump("  UD:", buf + off + SECT_HDR_LEN, len - SECT_HDR_LEN);
        break;
    }
}

static void walk_sections(void)
{
    struct walk w = { .last_driver = -1 };
    size_t off = FIXED_LEN + V6HDR_LEN;

    while (off < log_end) {
        const uint8_t *s = buf + off;
        unsigned idx = w.sections + 1;
        char id[3];
        size_t len;

        if (log_end - off < SECT_HDR_LEN) {
            report(off, "%zu bytes left, too few for a section header",
                   log_end - off);
            break;
        }
        id[0] = isprint(s[0]) ? s[0] : '?';
        id[1] = isprint(s[1]) ? s[1] : '?';
        id[2] = '\0';
        len = be16(s + 2);
        printf("section %u @%zu: id=%s length=%zu version=%u "
               "subtype=0x%02x", idx, off, id, len, s[4], s[5]);
        if (!memcmp(id, "UD", 2)) {
            printf("(%s)", ud_subtype_name(s[5]));
        }
        printf(" component=0x%04x\n", be16(s + 6));

        if (len < 16) {
            report(off + 2, "section length %zu below 16", len);
            break;
        }
        if (len % 4) {
            report(off + 2, "section length %zu not a multiple of 4", len);
        }
        if (len > log_end - off) {
            report(off + 2, "section length %zu overruns the log (%zu left)",
                   len, log_end - off);
            break;
        }
        w.sections++;

        if (idx == 1) {
            if (memcmp(id, "PH", 2) || len != PH_LEN) {
                report(off, "first section must be a %d-byte PH", PH_LEN);
            } else {
                decode_ph(s, &w);
            }
        } else if (idx == 2) {
            if (memcmp(id, "UH", 2) || len != UH_LEN) {
                report(off, "second section must be a %d-byte UH", UH_LEN);
            } else {
                decode_uh(s);
            }
        } else if (!memcmp(id, "PS", 2)) {
            decode_ps(off, len, &w);
        } else if (!memcmp(id, "UD", 2)) {
            if (w.last_driver >= 0) {
                report(off, "section after the driver buffer UD");
            }
            if (s[5] == UD_SUBTYPE_DRIVER) {
                w.last_driver = idx;
            }
            decode_ud(off, len, s[5], &w);
        } else if (!memcmp(id, "PH", 2) || !memcmp(id, "UH", 2)) {
            report(off, "second %s section", id);
        } else {
            printf("  %s: %zu bytes\n", id, len - SECT_HDR_LEN);
            hexdump("", s + SECT_HDR_LEN, len - SECT_HDR_LEN);
        }
        off += len;
    }

    if (w.ph_seen && w.ph_count != w.sections) {
        report(FIXED_LEN + V6HDR_LEN + 27, "PH section count %u but %u "
               "sections found", w.ph_count, w.sections);
    }
    if (buf[3] == 0xe0 && !w.ps_seen) {
        report(FIXED_LEN + V6HDR_LEN, "platform error log without a PS "
               "section");
    }
    if (w.summary_ver) {
        uint32_t flags = w.summary_flags;

        if (!!(flags & SUM_F_DRV_PRESENT) != (w.last_driver >= 0)) {
            report(FIXED_LEN + V6HDR_LEN, "summary says driver buffer %s, "
                   "log %s one", flags & SUM_F_DRV_PRESENT ? "present" :
                   "absent", w.last_driver >= 0 ? "has" : "has no");
        }
        if ((flags & (SUM_F_RAW_WITHHELD | SUM_F_RAW_PRESENT)) ==
            SUM_F_RAW_WITHHELD && w.host_seen) {
            /* says more than "absent, log has it" below */
            report(w.host_off, "summary says raw data withheld, log has a "
                   "host-data section");
        } else if (!!(flags & SUM_F_RAW_PRESENT) != w.host_seen) {
            report(FIXED_LEN + V6HDR_LEN, "summary says raw data %s, log %s "
                   "it", flags & SUM_F_RAW_PRESENT ? "present" : "absent",
                   w.host_seen ? "has" : "lacks");
        }
    }
    printf("sections: %u\n", w.sections);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Hex text: pairs of hex digits, whitespace anywhere, '#' to end of line */
static size_t parse_hex(uint8_t *data, size_t len)
{
    size_t in, out = 0;
    int hi = -1;

    for (in = 0; in < len; in++) {
        int c = data[in], v;

        if (c == '#') {
            while (in < len && data[in] != '\n') {
                in++;
            }
            continue;
        }
        if (isspace(c)) {
            continue;
        }
        v = hexval(c);
        if (v < 0) {
            fprintf(stderr, "spapr-eeh-decode: bad hex character '%c' at "
                    "input offset %zu\n", isprint(c) ? c : '?', in);
            exit(2);
        }
        if (hi < 0) {
            hi = v;
        } else {
            data[out++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0) {
        fprintf(stderr, "spapr-eeh-decode: odd number of hex digits\n");
        exit(2);
    }
    return out;
}

static uint8_t *read_input(const char *path, size_t *len)
{
    FILE *f = stdin;
    uint8_t *data = malloc(MAX_INPUT + 1);
    size_t n;

    if (!data) {
        fprintf(stderr, "spapr-eeh-decode: out of memory\n");
        exit(2);
    }
    if (path && strcmp(path, "-")) {
        f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "spapr-eeh-decode: %s: %s\n", path,
                    strerror(errno));
            exit(2);
        }
    }
    n = fread(data, 1, MAX_INPUT + 1, f);
    if (ferror(f)) {
        fprintf(stderr, "spapr-eeh-decode: read error\n");
        exit(2);
    }
    if (n > MAX_INPUT) {
        fprintf(stderr, "spapr-eeh-decode: input larger than %d bytes\n",
                MAX_INPUT);
        exit(2);
    }
    if (f != stdin) {
        fclose(f);
    }
    *len = n;
    return data;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: spapr-eeh-decode [-x] [-v] [FILE]\n"
            "Decode and check a PAPR v6 EEH error log (ibm,slot-error-detail"
            " buffer).\n"
            "  -x   input is hex text (whitespace and '#' comments allowed)\n"
            "  -v   dump binary data in full\n"
            "  -h   this help\n"
            "FILE defaults to standard input.\n"
            "Exit status: 0 valid, 1 invalid log, 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
    bool hex = false;
    uint8_t *data;
    size_t len;
    uint32_t ext;
    int opt;

    while ((opt = getopt(argc, argv, "xvh")) != -1) {
        switch (opt) {
        case 'x':
            hex = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return 2;
    }

    data = read_input(optind < argc ? argv[optind] : NULL, &len);
    if (hex) {
        len = parse_hex(data, len);
    }
    buf = data;
    printf("input: %zu bytes\n", len);

    if (len < FIXED_LEN) {
        report(0, "input shorter than the %d-byte fixed part", FIXED_LEN);
        goto out;
    }
    decode_fixed();
    ext = be32(buf + 4);
    log_end = FIXED_LEN + (size_t)ext;
    if (log_end > len) {
        report(4, "extended length %" PRIu32 " needs %zu bytes, input has "
               "%zu", ext, log_end, len);
        goto out;
    }
    if (log_end < len) {
        printf("note: %zu bytes after the log ignored\n", len - log_end);
    }
    if (!(buf[1] & 0x04)) {
        goto out;
    }
    if (ext < V6HDR_LEN) {
        report(4, "extended length %" PRIu32 " below the %d-byte v6 header",
               ext, V6HDR_LEN);
        goto out;
    }
    if (ext % 4) {
        report(4, "extended length %" PRIu32 " not a multiple of 4", ext);
    }
    decode_v6hdr();
    walk_sections();

out:
    if (n_errors) {
        printf("result: INVALID (%u error%s)\n", n_errors,
               n_errors == 1 ? "" : "s");
    } else {
        printf("result: OK\n");
    }
    free(data);
    return n_errors ? 1 : 0;
}
