/*
 * Proposed VFIO UAPI: the host's EEH error data of a device's PE
 *
 * Linux has no way to give a VFIO user the data the host captured when
 * a partitionable endpoint (PE) froze.  On PowerNV the first state query
 * that sees the freeze copies the PHB diag data into the PE, and that
 * copy is the only one.  This header proposes a VFIO device feature, in
 * the style of s390's VFIO_DEVICE_FEATURE_ZPCI_ERROR, that hands it out.
 * It lives here, private to hw/vfio and self-contained, until Linux
 * carries the definitions; nothing outside hw/vfio may include it.  The
 * test host model compiles it too.
 *
 * VFIO_DEVICE_FEATURE_EEH_ERROR, GET on the device fd:
 *   data is struct vfio_device_feature_eeh_error, followed by up to
 *   (argsz - sizeof(struct vfio_device_feature) - sizeof(that struct))
 *   bytes of host error data.  The kernel fills the fixed part and as much
 *   data as fits, sets data_len to the full size of what it holds, and
 *   sets VFIO_EEH_ERROR_FLAG_TRUNCATED when it had to cut.
 *   Returns 0 with the snapshot of the PE's most recent error, which stays
 *   readable until the PE is reset or EEH is re-enabled on it;
 *   -ENOMSG when no error was captured since; -ENOTTY or -EINVAL from
 *   kernels without the feature (PROBE tells them apart beforehand).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_VFIO_VFIO_EEH_UAPI_H
#define HW_VFIO_VFIO_EEH_UAPI_H

#include <linux/types.h>

/*
 * Provisional, far from the small numbers Linux assigns in sequence; the
 * real one will be Linux's choice.  QEMU only asks for it when the PHB
 * property x-vfio-eeh-error is on.
 */
#define VFIO_DEVICE_FEATURE_EEH_ERROR           0xee00

struct vfio_device_feature_eeh_error {
    __u32 flags;
#define VFIO_EEH_ERROR_FLAG_TRUNCATED           (1 << 0)
#define VFIO_EEH_ERROR_FLAG_MMIO_FAULT          (1 << 1) /* fault_* valid */
    __u32 format;                       /* of data[] */
#define VFIO_EEH_ERROR_FORMAT_NONE              0
#define VFIO_EEH_ERROR_FORMAT_OPAL_PHB3         1 /* OpalIoPhb3ErrorData */
#define VFIO_EEH_ERROR_FORMAT_OPAL_PHB4         2 /* OpalIoPhb4ErrorData */
#define VFIO_EEH_ERROR_FORMAT_PAPR_RTAS         3 /* RTAS v6 error log */
    __u32 pe_number;                    /* host PE#, indexes PEST arrays */
    __u32 freeze_count;                 /* host count for this PE */
    __u64 timestamp_ns;                 /* CLOCK_BOOTTIME at capture */
    /*
     * A faulting MMIO address inside one of this device's BARs, as VFIO
     * region index and offset: only the kernel knows host BAR addresses.
     */
    __u32 fault_region;
    __u32 data_len;                     /* bytes held, >= bytes returned */
    __u64 fault_offset;
    __u8 data[];
};

#endif /* HW_VFIO_VFIO_EEH_UAPI_H */
