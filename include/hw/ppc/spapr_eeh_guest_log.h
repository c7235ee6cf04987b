/*
 * sPAPR EEH: guest error lines that a guest can repeat at will
 *
 * A guest can call an RTAS function in a loop with the same bad
 * argument.  With -d guest_errors each call would log a line, which
 * floods the log of whoever wanted to see what the guest does wrong.
 * SPAPR_EEH_GUEST_ERROR() logs like qemu_log_mask(LOG_GUEST_ERROR), but
 * at most one line a second from each place that calls it, and says how
 * many it left out.  Trace events still see every call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_PPC_SPAPR_EEH_GUEST_LOG_H
#define HW_PPC_SPAPR_EEH_GUEST_LOG_H

typedef struct SpaprEehLogLimit {
    int64_t last_ms;            /* realtime clock of the last line */
    uint32_t left_out;          /* lines not logged since */
} SpaprEehLogLimit;

void spapr_eeh_log_guest_error(SpaprEehLogLimit *lim, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* @fmt ends without a newline */
#define SPAPR_EEH_GUEST_ERROR(fmt, ...) do {                    \
        static SpaprEehLogLimit lim_;                           \
        spapr_eeh_log_guest_error(&lim_, fmt, ## __VA_ARGS__);  \
    } while (0)

#endif /* HW_PPC_SPAPR_EEH_GUEST_LOG_H */
