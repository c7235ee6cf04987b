/*
 * sPAPR EEH: the error record and its PAPR version 6 error log encoding
 *
 * The error record is a host-neutral description of one EEH error of a
 * partitionable endpoint (PE): what kind of error it was, where it hit,
 * which registers were read and where each piece of data came from.
 * spapr_eeh_aer_interpret() classifies an error from the endpoint's AER
 * registers alone.
 *
 * spapr_eeh_log_encode() turns a record plus the guest driver's buffer
 * into the platform error log that ibm,slot-error-detail returns.  It is
 * a pure function: it touches nothing but its output buffer.  The log
 * layout is described in docs/specs/ppc-spapr-eeh.rst.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_LOG_H
#define HW_PPC_SPAPR_EEH_LOG_H

/* What kind of error froze the PE */
typedef enum SpaprEehErrorClass {
    SPAPR_EEH_ERR_CLASS_UNKNOWN = 0,
    SPAPR_EEH_ERR_CLASS_DMA_IOMMU = 1,  /* DMA or IOMMU (TCE) fault */
    SPAPR_EEH_ERR_CLASS_MMIO = 2,       /* MMIO load or store failed */
    SPAPR_EEH_ERR_CLASS_LINK_DOWN = 3,  /* link loss or surprise down */
    SPAPR_EEH_ERR_CLASS_PCIE_UE = 4,    /* PCIe uncorrectable error */
    SPAPR_EEH_ERR_CLASS_CONFIG = 5,     /* config space access failed */
    SPAPR_EEH_ERR_CLASS__MAX,
} SpaprEehErrorClass;

/* Which address space SpaprEehErrorRecord.fault_addr belongs to */
typedef enum SpaprEehAddrKind {
    SPAPR_EEH_ADDR_UNKNOWN = 0,
    SPAPR_EEH_ADDR_GUEST_IOVA = 1,      /* DMA address as the guest set it */
    SPAPR_EEH_ADDR_GUEST_MMIO = 2,      /* PCI address in a guest BAR */
    SPAPR_EEH_ADDR__MAX,
} SpaprEehAddrKind;

/* Where a field of the record came from */
typedef enum SpaprEehDataSource {
    SPAPR_EEH_SRC_UNAVAILABLE = 0,      /* nobody could provide it */
    SPAPR_EEH_SRC_HOST_DIAG = 1,        /* host EEH log / PHB diag data */
    SPAPR_EEH_SRC_AER_CONFIG = 2,       /* AER registers read via config */
    SPAPR_EEH_SRC_QEMU = 3,             /* QEMU's own state */
    SPAPR_EEH_SRC__MAX,
} SpaprEehDataSource;

/* Format of the raw host data attached to the record */
typedef enum SpaprEehRawFormat {
    SPAPR_EEH_RAW_NONE = 0,
    SPAPR_EEH_RAW_PHB3 = 1,             /* OPAL OpalIoPhb3ErrorData */
    SPAPR_EEH_RAW_PHB4 = 2,             /* OPAL OpalIoPhb4ErrorData (PHB4/5) */
    SPAPR_EEH_RAW_RTAS = 3,             /* RTAS error log of a pseries host */
    SPAPR_EEH_RAW__MAX,
} SpaprEehRawFormat;

/* SpaprEehErrorRecord.valid: which optional fields hold data */
#define SPAPR_EEH_VALID_FAULT_ADDR      0x0001
#define SPAPR_EEH_VALID_REQUESTER_ID    0x0002
#define SPAPR_EEH_VALID_AER_UE_STATUS   0x0004
#define SPAPR_EEH_VALID_AER_CE_STATUS   0x0008
#define SPAPR_EEH_VALID_AER_UE_SEVERITY 0x0010
#define SPAPR_EEH_VALID_AER_TLP_HEADER  0x0020
#define SPAPR_EEH_VALID_PE_STATE        0x0040
#define SPAPR_EEH_VALID_DETECT_TIME     0x0080
#define SPAPR_EEH_VALID_ALL             0x00ff

/* SpaprEehErrorRecord.trunc: data that was cut before reaching the record */
#define SPAPR_EEH_TRUNC_RAW_DATA        0x0001  /* raw_len < raw_orig_len */

typedef struct SpaprEehErrorRecord {
    SpaprEehErrorClass err_class;
    SpaprEehDataSource class_src;
    uint32_t valid;                     /* SPAPR_EEH_VALID_* */

    uint64_t fault_addr;
    SpaprEehAddrKind addr_kind;
    SpaprEehDataSource addr_src;

    uint16_t requester_id;              /* bus << 8 | devfn */
    SpaprEehDataSource rid_src;

    uint32_t aer_ue_status;
    uint32_t aer_ce_status;
    uint32_t aer_ue_severity;
    uint32_t aer_tlp_header[4];         /* header log DW0..DW3 */
    SpaprEehDataSource aer_src;

    uint8_t pe_state;                   /* ibm,read-slot-reset-state2 value */
    SpaprEehDataSource pe_state_src;

    uint32_t freeze_count;              /* freezes of this PE so far */
    uint32_t dropped_records;           /* records lost before this one */
    uint64_t detect_time_ns;            /* guest RTC, ns since 1970 UTC */
    SpaprEehDataSource time_src;

    SpaprEehRawFormat raw_format;
    const uint8_t *raw_data;
    size_t raw_len;
    size_t raw_orig_len;                /* host size, >= raw_len; 0: raw_len */
    uint32_t trunc;                     /* SPAPR_EEH_TRUNC_* */
    /*
     * The host holds raw_orig_len bytes of raw_format data that the guest
     * must not see: raw_data is NULL, the log only says that they exist.
     */
    bool raw_withheld;
} SpaprEehErrorRecord;

/*
 * User data (UD) sections written by the encoder, told apart by the
 * section subtype.  All of them are section version 1.
 */
#define SPAPR_EEH_UD_VERSION            1
#define SPAPR_EEH_UD_SUBTYPE_SUMMARY    0x01
#define SPAPR_EEH_UD_SUBTYPE_HOST_DATA  0x02
#define SPAPR_EEH_UD_SUBTYPE_DRIVER     0x03

/*
 * Interpreted summary UD payload, layout version 1.  Every field is
 * big-endian.  Consumers must check magic and version, and use length to
 * skip fields that later versions append.
 */
#define SPAPR_EEH_SUMMARY_MAGIC         0x51454548  /* "QEEH" */
#define SPAPR_EEH_SUMMARY_VERSION       1
#define SPAPR_EEH_PE_STATE_UNKNOWN      0xff

/* SpaprEehLogSummary.flags: what happened to the other sections */
#define SPAPR_EEH_SUMMARY_F_PERMANENT       0x00000001
#define SPAPR_EEH_SUMMARY_F_RAW_PRESENT     0x00000002
#define SPAPR_EEH_SUMMARY_F_RAW_TRUNCATED   0x00000004
#define SPAPR_EEH_SUMMARY_F_RAW_DROPPED     0x00000008
#define SPAPR_EEH_SUMMARY_F_RAW_CUT_AT_HOST 0x00000010
#define SPAPR_EEH_SUMMARY_F_DRV_PRESENT     0x00000020
#define SPAPR_EEH_SUMMARY_F_DRV_TRUNCATED   0x00000040
#define SPAPR_EEH_SUMMARY_F_DRV_DROPPED     0x00000080
#define SPAPR_EEH_SUMMARY_F_RAW_WITHHELD    0x00000100

typedef struct SpaprEehLogSummary {
    uint32_t magic;                     /* SPAPR_EEH_SUMMARY_MAGIC */
    uint16_t version;                   /* SPAPR_EEH_SUMMARY_VERSION */
    uint16_t length;                    /* bytes, from magic on */
    uint8_t err_class;                  /* SpaprEehErrorClass */
    uint8_t addr_kind;                  /* SpaprEehAddrKind */
    uint8_t log_function;               /* 1 temporary, 2 permanent */
    uint8_t pe_state;                   /* or SPAPR_EEH_PE_STATE_UNKNOWN */
    uint32_t valid;                     /* SPAPR_EEH_VALID_* */
    uint8_t class_src;                  /* SpaprEehDataSource, per field */
    uint8_t addr_src;
    uint8_t rid_src;
    uint8_t aer_src;
    uint8_t pe_state_src;
    uint8_t time_src;
    uint8_t _resv1[2];
    uint64_t fault_addr;
    uint16_t requester_id;
    uint8_t _resv2[2];
    uint32_t freeze_count;
    uint32_t dropped_records;
    uint32_t aer_ue_status;
    uint32_t aer_ce_status;
    uint32_t aer_ue_severity;
    uint32_t aer_tlp_header[4];
    uint64_t detect_time_ns;
    uint8_t raw_format;                 /* SpaprEehRawFormat */
    uint8_t _resv3[3];
    uint32_t raw_orig_len;              /* host data size before any cut */
    uint32_t drv_len;                   /* driver buffer size as given */
    uint32_t flags;                     /* SPAPR_EEH_SUMMARY_F_* */
} QEMU_PACKED SpaprEehLogSummary;

/*
 * Header at the start of the host data and driver buffer UD payloads,
 * followed by data_len bytes of data and zero padding to 4 bytes.
 */
#define SPAPR_EEH_BLOB_FMT_DRIVER       0x80    /* guest driver buffer */
#define SPAPR_EEH_BLOB_F_TRUNCATED      0x01    /* cut to fit this log */
#define SPAPR_EEH_BLOB_F_CUT_AT_HOST    0x02    /* already cut when captured */

typedef struct SpaprEehLogBlobHeader {
    uint8_t format;                     /* SpaprEehRawFormat or _FMT_DRIVER */
    uint8_t flags;                      /* SPAPR_EEH_BLOB_F_* */
    uint16_t data_len;                  /* bytes of data in this section */
    uint32_t orig_len;                  /* bytes before any truncation */
} QEMU_PACKED SpaprEehLogBlobHeader;

/* Smallest log: fixed part, v6 header, PH, UH and an 80-byte PS */
#define SPAPR_EEH_LOG_MIN_SIZE          (8 + 16 + 48 + 24 + 80)

/* Primary SRCs of the temporary and permanent EEH logs */
#define SPAPR_EEH_SRC_TEMPORARY         "BA188001"
#define SPAPR_EEH_SRC_PERMANENT         "BA188002"

/**
 * spapr_eeh_log_encode:
 * @rec: the error record, or NULL for "nothing known"
 * @drv_buf: the guest driver's buffer (may be NULL if @drv_len is 0)
 * @drv_len: bytes in @drv_buf
 * @permanent: false for a temporary (function 1), true for a permanent
 *             (function 2) log
 * @plid: platform log id, stored in the Private Header
 * @loc_code: location code for the FRU call-out, or NULL/"" for none
 * @out: where to write the log
 * @out_max: size of @out; nothing is written at or beyond @out + @out_max
 *
 * Build the version 6 platform error log returned by ibm,slot-error-detail:
 * fixed part, extended header, PH, UH, PS (with a FRU call-out when
 * @loc_code is usable), then UD sections: the interpreted summary, the raw
 * host data and, last, the driver buffer.  Sections that do not fit are
 * dropped whole (raw data first, then the driver buffer, then the summary,
 * then the FRU call-out); the raw data and driver buffer sections may
 * instead carry a truncated, flagged payload.
 *
 * A caller that cannot afford to read an arbitrarily long guest buffer may
 * pass at most @out_max bytes of it: more can never be emitted, the section
 * is then flagged as truncated either way, and only the recorded original
 * length differs.
 *
 * Returns: the number of bytes written (a multiple of 4), or 0 when
 * @out_max is below SPAPR_EEH_LOG_MIN_SIZE; then @out is left untouched.
 */
size_t spapr_eeh_log_encode(const SpaprEehErrorRecord *rec,
                            const uint8_t *drv_buf, size_t drv_len,
                            bool permanent, uint32_t plid,
                            const char *loc_code,
                            uint8_t *out, size_t out_max);

/**
 * spapr_eeh_aer_interpret:
 * @rec: a record holding the endpoint's AER registers
 *
 * When @rec has no error class yet and holds the endpoint's AER
 * uncorrectable error status read through config space
 * (SPAPR_EEH_VALID_AER_UE_STATUS, aer_src SPAPR_EEH_SRC_AER_CONFIG),
 * classify the error from that status, the endpoint's point of view:
 *
 * - LINK_DOWN: surprise down or data link protocol error;
 * - MMIO: completer abort or unsupported request (the endpoint rejected
 *   a request it received, which for a passed-through device is a load
 *   or store of the guest);
 * - DMA_IOMMU: completion timeout (a request of the endpoint, that is a
 *   DMA read, got no completion);
 * - PCIE_UE: any other defined uncorrectable error bit;
 * - otherwise, or for an all-ones status, nothing is changed.
 *
 * The class source becomes SPAPR_EEH_SRC_AER_CONFIG.  No faulting
 * address is taken from the TLP header log: a request the endpoint
 * received carries a host address.  No requester id is taken either: the
 * header log holds host bus numbers, and for a completion the requester
 * is the endpoint itself.
 */
void spapr_eeh_aer_interpret(SpaprEehErrorRecord *rec);

/* Printable names for the enums, for traces and QMP; never NULL */
const char *spapr_eeh_err_class_name(SpaprEehErrorClass c);
const char *spapr_eeh_data_source_name(SpaprEehDataSource s);
const char *spapr_eeh_raw_format_name(SpaprEehRawFormat f);

#endif /* HW_PPC_SPAPR_EEH_LOG_H */
