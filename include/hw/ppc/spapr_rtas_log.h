/*
 * QEMU PowerPC pSeries Logical Partition (aka sPAPR) hardware System Emulator
 *
 * RTAS error and event log format (PAPR version 6 extended logs)
 *
 * These definitions are shared by everything that builds RTAS error/event
 * logs for the guest: the event sources (EPOW, hotplug, machine check) in
 * hw/ppc/spapr_events.c and the EEH slot error log.  All multi-byte fields
 * are big-endian in guest memory; fill them with cpu_to_be*().
 *
 * Copyright (c) 2012 David Gibson, IBM Corporation.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL
 * THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 * THE SOFTWARE.
 *
 */

#ifndef HW_PPC_SPAPR_RTAS_LOG_H
#define HW_PPC_SPAPR_RTAS_LOG_H

#define RTAS_LOG_VERSION_MASK                   0xff000000
#define   RTAS_LOG_VERSION_6                    0x06000000
#define RTAS_LOG_SEVERITY_MASK                  0x00e00000
#define   RTAS_LOG_SEVERITY_ALREADY_REPORTED    0x00c00000
#define   RTAS_LOG_SEVERITY_FATAL               0x00a00000
#define   RTAS_LOG_SEVERITY_ERROR               0x00800000
#define   RTAS_LOG_SEVERITY_ERROR_SYNC          0x00600000
#define   RTAS_LOG_SEVERITY_WARNING             0x00400000
#define   RTAS_LOG_SEVERITY_EVENT               0x00200000
#define   RTAS_LOG_SEVERITY_NO_ERROR            0x00000000
#define RTAS_LOG_DISPOSITION_MASK               0x00180000
#define   RTAS_LOG_DISPOSITION_FULLY_RECOVERED  0x00000000
#define   RTAS_LOG_DISPOSITION_LIMITED_RECOVERY 0x00080000
#define   RTAS_LOG_DISPOSITION_NOT_RECOVERED    0x00100000
#define RTAS_LOG_OPTIONAL_PART_PRESENT          0x00040000
#define RTAS_LOG_INITIATOR_MASK                 0x0000f000
#define   RTAS_LOG_INITIATOR_UNKNOWN            0x00000000
#define   RTAS_LOG_INITIATOR_CPU                0x00001000
#define   RTAS_LOG_INITIATOR_PCI                0x00002000
#define   RTAS_LOG_INITIATOR_MEMORY             0x00004000
#define   RTAS_LOG_INITIATOR_HOTPLUG            0x00006000
#define RTAS_LOG_TARGET_MASK                    0x00000f00
#define   RTAS_LOG_TARGET_UNKNOWN               0x00000000
#define   RTAS_LOG_TARGET_CPU                   0x00000100
#define   RTAS_LOG_TARGET_PCI                   0x00000200
#define   RTAS_LOG_TARGET_MEMORY                0x00000400
#define   RTAS_LOG_TARGET_HOTPLUG               0x00000600
#define RTAS_LOG_TYPE_MASK                      0x000000ff
#define   RTAS_LOG_TYPE_OTHER                   0x00000000
#define   RTAS_LOG_TYPE_RETRY                   0x00000001
#define   RTAS_LOG_TYPE_TCE_ERR                 0x00000002
#define   RTAS_LOG_TYPE_INTERN_DEV_FAIL         0x00000003
#define   RTAS_LOG_TYPE_TIMEOUT                 0x00000004
#define   RTAS_LOG_TYPE_DATA_PARITY             0x00000005
#define   RTAS_LOG_TYPE_ADDR_PARITY             0x00000006
#define   RTAS_LOG_TYPE_CACHE_PARITY            0x00000007
#define   RTAS_LOG_TYPE_ADDR_INVALID            0x00000008
#define   RTAS_LOG_TYPE_ECC_UNCORR              0x00000009
#define   RTAS_LOG_TYPE_ECC_CORR                0x0000000a
#define   RTAS_LOG_TYPE_EPOW                    0x00000040
#define   RTAS_LOG_TYPE_PLATFORM_ERROR          0x000000e0
#define   RTAS_LOG_TYPE_HOTPLUG                 0x000000e5

struct rtas_error_log {
    uint32_t summary;
    uint32_t extended_length;
} QEMU_PACKED;

struct rtas_event_log_v6 {
    uint8_t b0;
#define RTAS_LOG_V6_B0_VALID                          0x80
#define RTAS_LOG_V6_B0_UNRECOVERABLE_ERROR            0x40
#define RTAS_LOG_V6_B0_RECOVERABLE_ERROR              0x20
#define RTAS_LOG_V6_B0_DEGRADED_OPERATION             0x10
#define RTAS_LOG_V6_B0_PREDICTIVE_ERROR               0x08
#define RTAS_LOG_V6_B0_NEW_LOG                        0x04
#define RTAS_LOG_V6_B0_BIGENDIAN                      0x02
    uint8_t _resv1;
    uint8_t b2;
#define RTAS_LOG_V6_B2_POWERPC_FORMAT                 0x80
#define RTAS_LOG_V6_B2_LOG_FORMAT_MASK                0x0f
#define   RTAS_LOG_V6_B2_LOG_FORMAT_PLATFORM_EVENT    0x0e
    uint8_t _resv2[9];
    uint32_t company;
#define RTAS_LOG_V6_COMPANY_IBM                 0x49424d00 /* IBM<null> */
} QEMU_PACKED;

struct rtas_event_log_v6_section_header {
    uint16_t section_id;
    uint16_t section_length;
    uint8_t section_version;
    uint8_t section_subtype;
    uint16_t creator_component_id;
} QEMU_PACKED;

struct rtas_event_log_v6_maina {
#define RTAS_LOG_V6_SECTION_ID_MAINA                0x5048 /* PH */
    struct rtas_event_log_v6_section_header hdr;
    uint32_t creation_date; /* BCD: YYYYMMDD */
    uint32_t creation_time; /* BCD: HHMMSS00 */
    uint8_t _platform1[8];
    char creator_id;
    uint8_t _resv1[2];
    uint8_t section_count;
    uint8_t _resv2[4];
    uint8_t _platform2[8];
    uint32_t plid;
    uint8_t _platform3[4];
} QEMU_PACKED;

struct rtas_event_log_v6_mainb {
#define RTAS_LOG_V6_SECTION_ID_MAINB                0x5548 /* UH */
    struct rtas_event_log_v6_section_header hdr;
    uint8_t subsystem_id;
    uint8_t _platform1;
    uint8_t event_severity;
    uint8_t event_subtype;
    uint8_t _platform2[4];
    uint8_t _resv1[2];
    uint16_t action_flags;
    uint8_t _resv2[4];
} QEMU_PACKED;

/* Identifiers of the other sections of a platform event log */
#define RTAS_LOG_V6_SECTION_ID_PRIMARY_SRC          0x5053 /* PS */
#define RTAS_LOG_V6_SECTION_ID_SECONDARY_SRC        0x5353 /* SS */
#define RTAS_LOG_V6_SECTION_ID_MTMS                 0x4D54 /* MT */
#define RTAS_LOG_V6_SECTION_ID_IMPACTED_LP          0x4C50 /* LP */
#define RTAS_LOG_V6_SECTION_ID_IO_EVENT             0x4945 /* IE */
#define RTAS_LOG_V6_SECTION_ID_USER_DATA            0x5544 /* UD */

/* Private Header (Main-A) creator ids */
#define RTAS_LOG_V6_MAINA_CREATOR_HYPERVISOR        'H'

/* User Header (Main-B) subsystem ids */
#define RTAS_LOG_V6_MAINB_SUBSYS_IO_BUS             0x30 /* hub, bridge, bus */
#define RTAS_LOG_V6_MAINB_SUBSYS_IO_ADAPTER         0x40 /* adapter, device */

/* User Header (Main-B) event severities */
#define RTAS_LOG_V6_MAINB_SEV_INFORMATIONAL         0x00
#define RTAS_LOG_V6_MAINB_SEV_RECOVERED             0x10
#define RTAS_LOG_V6_MAINB_SEV_PREDICTIVE            0x20
#define RTAS_LOG_V6_MAINB_SEV_UNRECOVERABLE         0x40

/* User Header (Main-B) action flags */
#define RTAS_LOG_V6_MAINB_ACTION_SERVICE            0x8000
#define RTAS_LOG_V6_MAINB_ACTION_HIDDEN             0x4000
#define RTAS_LOG_V6_MAINB_ACTION_REPORT_EXTERNALLY  0x2000

/*
 * Primary (PS) and secondary (SS) SRC section.  The fixed part is 80 bytes;
 * when RTAS_LOG_V6_SRC_FLAG_SUBSECTION is set a FRU call-out subsection
 * follows it and the section length covers both.
 */
struct rtas_event_log_v6_src {
    struct rtas_event_log_v6_section_header hdr;
    uint8_t src_version;
#define RTAS_LOG_V6_SRC_VERSION                     0x02
    uint8_t src_flags;
#define RTAS_LOG_V6_SRC_FLAG_SUBSECTION             0x01
    uint8_t _platform1[6];
    uint32_t hex_words[8];      /* extended reference code words 2 to 9 */
    char ref_code[32];          /* ASCII primary reference code, ' ' padded */
} QEMU_PACKED;

/* FRU call-out subsection header, follows the 80-byte SRC fixed part */
struct rtas_event_log_v6_fru_subsection {
    uint8_t id;
#define RTAS_LOG_V6_FRU_SUBSECTION_ID               0xC0
    uint8_t _platform1;
    uint16_t length;            /* in 4-byte words, including this header */
} QEMU_PACKED;

/* One FRU call-out, followed by its location code */
struct rtas_event_log_v6_fru_callout {
    uint8_t length;             /* bytes, including the location code */
    uint8_t type_flags;
#define RTAS_LOG_V6_FRU_CALLOUT_TYPE_2              0x20
#define RTAS_LOG_V6_FRU_CALLOUT_FRU_ID_PRESENT      0x08
    uint8_t priority;
#define RTAS_LOG_V6_FRU_PRIORITY_HIGH               'H'
#define RTAS_LOG_V6_FRU_PRIORITY_MEDIUM             'M'
#define RTAS_LOG_V6_FRU_PRIORITY_LOW                'L'
    uint8_t loc_code_length;    /* multiple of 4, including the NUL */
} QEMU_PACKED;

/* Largest location code field: 79 characters, a NUL, no padding needed */
#define RTAS_LOG_V6_FRU_LOC_CODE_MAX                80

#endif /* HW_PPC_SPAPR_RTAS_LOG_H */
