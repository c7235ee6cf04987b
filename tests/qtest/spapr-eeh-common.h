/*
 * QTest helpers for sPAPR EEH (Enhanced Error Handling) on VFIO devices
 *
 * The pseries machine runs with vfio-pci devices that a user-space model
 * of the host kernel's VFIO, sPAPR TCE and EEH interface serves: a
 * library loaded with LD_PRELOAD, found through the environment variable
 * VHM_LIBRARY (the tests are skipped without it).  The model has a
 * control socket that freezes PEs, sets AER bits and fails host calls,
 * and keeps an ordered log of the host operations QEMU performed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef SPAPR_EEH_COMMON_H
#define SPAPR_EEH_COMMON_H

#include "libqtest.h"
#include "libqos/malloc-spapr.h"
#include "libqos/rtas.h"

/* LoPAR values, as the guest sees them */
#define PHB0_BUID               0x0800000020000000ULL
#define PHB1_BUID               0x0800000020000001ULL

#define RTAS_SUCCESS            0
#define RTAS_NO_ERRORS_FOUND    1
#define RTAS_HW_ERROR           (-1)
#define RTAS_PARAM_ERROR        (-3)

#define EEH_OPT_DISABLE         0
#define EEH_OPT_ENABLE          1
#define EEH_OPT_THAW_IO         2
#define EEH_OPT_THAW_DMA        3

#define SLOT_RESET_DEACTIVATE   0
#define SLOT_RESET_HOT          1
#define SLOT_RESET_FUNDAMENTAL  3

#define PE_STATE_NORMAL         0
#define PE_STATE_RESET          1
#define PE_STATE_STOPPED_IO_DMA 2
#define PE_STATE_STOPPED_DMA    4
#define PE_STATE_UNAVAIL        5

#define SLOT_ERR_TEMP           1
#define SLOT_ERR_PERM           2

#define PE_MODE_SHARED          2

/* Device 00:01.0 on a PHB: config address and PE address */
#define DEV_CFG_ADDR            0x800
#define PE_ADDR                 0x1

/* Where eeh_bar0_assign() puts BAR0, and what its dword 0 reads */
#define GUEST_BAR0              0x80010000
#define BAR0_ID_BE              0x361b0500  /* model's ID, big-endian load */

typedef struct EehDev {
    const char *bdf;        /* host address, as the model names it */
    int group;              /* host IOMMU group (= host PE) */
    int slot;               /* guest slot on its PHB */
    const char *bus;        /* guest bus, NULL for PHB 0 (pci.0) */
    const char *keys;       /* more keys of the model's "device" line */
} EehDev;

typedef struct EehTest {
    QTestState *qts;
    QGuestAllocator alloc;
    char *dir;
    int ctrl;
    GString *rbuf;
    uint64_t log_seq;
    bool stderr_to_file;        /* QEMU's stderr goes to dir/qemu.stderr */
    const char *machine;        /* default "pseries" */
} EehTest;

/* One device, 0001:00:01.0 in host group 42, at 00:01.0 on PHB 0 */
extern const EehDev eeh_one_dev[];

/*
 * Register @fn as the test @path, or, when the host model is missing, a
 * test that is skipped and says why.
 */
void eeh_add_test(const char *path, void (*fn)(void));
void eeh_add_data_test(const char *path, const void *data,
                       void (*fn)(const void *));

/*
 * Start the machine with @devs (terminated by an entry with no bdf) and
 * the extra command line @extra (may be NULL), connected to the model's
 * control socket.  eeh_start_enabled() also enables EEH on PHB 0's PE as
 * a Linux guest does, and forgets the host operations that took.
 */
void eeh_start(EehTest *t, const EehDev *devs, const char *extra);
void eeh_start_enabled(EehTest *t, const EehDev *devs, const char *extra);
void eeh_stop(EehTest *t);

/*
 * Send a control command to the model.  It answers once the state change
 * is done, so what QEMU does afterwards is ordered after it.  Returns the
 * status line ("OK ..." or "ERR ..."); data lines go to @data if given.
 */
char *vhm_cmd(EehTest *t, GPtrArray *data, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* The same, and the test fails unless the model said OK */
void vhm_ok(EehTest *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * The EEH operations (VFIO_EEH_PE_OP) QEMU sent since the last call, as
 * "OP@group" words separated by spaces; failed ones end in "!".
 */
char *vhm_eeh_ops(EehTest *t);

#define assert_eeh_ops(t, expected) do {                \
        g_autofree char *ops_ = vhm_eeh_ops(t);         \
        g_assert_cmpstr(ops_, ==, expected);            \
    } while (0)

/* ibm,read-slot-reset-state2 on the PE at PE_ADDR, which must succeed */
uint32_t eeh_pe_state(EehTest *t, uint64_t buid, uint32_t *unavail_info);

/*
 * Freeze PEs on the host with the model's command @fmt ("freeze ...") and
 * check that the guest now finds PHB 0's PE stopped (state 2)
 */
void eeh_freeze(EehTest *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* ibm,read-pci-config of the device at DEV_CFG_ADDR, 4 bytes at @off */
uint32_t eeh_cfg_read(EehTest *t, uint64_t buid, uint32_t off);

/* Put BAR0 of the device at DEV_CFG_ADDR at GUEST_BAR0, set COMMAND */
void eeh_bar0_assign(EehTest *t, uint16_t command);

/* QEMU's stderr so far (with stderr_to_file) */
char *eeh_qemu_stderr(EehTest *t);

#endif /* SPAPR_EEH_COMMON_H */
