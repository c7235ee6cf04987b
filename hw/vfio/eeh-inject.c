/*
 * VFIO: what an EEH error injection needs to know about a host device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/cutils.h"

#include "hw/vfio/vfio-eeh-inject.h"
#include "pci.h"
#include "trace.h"

/* Lines of a PCI device's sysfs "resource" file that are BARs */
#define VFIO_EEH_SYSFS_BARS     6

bool vfio_pci_eeh_host_bar(PCIDevice *pdev, int bar, uint64_t *start,
                           uint64_t *size, Error **errp)
{
    VFIOPCIDevice *vdev = OBJECT_CHECK(VFIOPCIDevice, pdev, TYPE_VFIO_PCI);
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) gerr = NULL;
    uint64_t s, e, flags;
    const char *p;

    if (bar < 0 || bar >= VFIO_EEH_SYSFS_BARS || !vdev->vbasedev.sysfsdev) {
        error_setg(errp, "no host address for BAR %d", bar);
        return false;
    }
    path = g_strdup_printf("%s/resource", vdev->vbasedev.sysfsdev);
    if (!g_file_get_contents(path, &text, NULL, &gerr)) {
        error_setg(errp, "cannot read %s: %s", path, gerr->message);
        return false;
    }
    lines = g_strsplit(text, "\n", VFIO_EEH_SYSFS_BARS + 1);
    if (g_strv_length(lines) <= bar) {
        error_setg(errp, "%s has no line for BAR %d", path, bar);
        return false;
    }
    p = lines[bar];
    if (qemu_strtou64(p, &p, 16, &s) || qemu_strtou64(p, &p, 16, &e) ||
        qemu_strtou64(p, &p, 16, &flags) || *p) {
        error_setg(errp, "%s: cannot parse the line of BAR %d", path, bar);
        return false;
    }
    if (!s || e < s) {
        error_setg(errp, "%s: BAR %d is not assigned on the host", path, bar);
        return false;
    }
    *start = s;
    *size = e - s + 1;
    trace_vfio_pci_eeh_host_bar(vdev->vbasedev.name, bar, s, *size);
    return true;
}
