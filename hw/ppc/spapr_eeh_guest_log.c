/*
 * sPAPR EEH: guest error lines that a guest can repeat at will
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "hw/ppc/spapr_eeh_guest_log.h"

void spapr_eeh_log_guest_error(SpaprEehLogLimit *lim, const char *fmt, ...)
{
    int64_t now;
    g_autofree char *msg = NULL;
    va_list ap;

    if (!qemu_loglevel_mask(LOG_GUEST_ERROR)) {
        return;
    }
    now = qemu_clock_get_ms(QEMU_CLOCK_REALTIME);
    if (lim->last_ms && now - lim->last_ms < 1000) {
        lim->left_out++;
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (lim->left_out) {
        qemu_log("%s (%u more like it in the last second left out)\n", msg,
                 lim->left_out);
    } else {
        qemu_log("%s\n", msg);
    }
    lim->last_ms = now;
    lim->left_out = 0;
}
