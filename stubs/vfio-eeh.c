/*
 * QMP query-vfio-eeh for machines without EEH
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qapi-commands-vfio.h"

VfioEehPeInfoList *qmp_query_vfio_eeh(Error **errp)
{
    error_setg(errp, "EEH is not supported by this machine");
    return NULL;
}
