/*
 * sPAPR EEH: guest error injection (ibm,open-errinjct, ibm,errinjct,
 * ibm,close-errinjct)
 *
 * Supported error types: ioa-bus-error and ioa-bus-error-64, the two
 * that LoPAR requires with the EEH option.  The guest names its target
 * by its own addresses: the PHB's BUID, a device's config address, and
 * an address whose meaning depends on the function: the PCI bus address
 * (or CPU address) of a memory or I/O BAR of that device, a register of
 * its config space, or a DMA address in one of the PHB's DMA windows.
 * The host kernel wants the host's addresses, so BAR addresses are
 * translated through the host's sysfs, and the config address becomes
 * the host's config address of the device.  DMA addresses need no
 * translation: the guest's DMA windows are the host's.
 *
 * An injection is refused before it reaches the host when the PE is
 * permanently unavailable, or when the PE already had errinjct-limit
 * injections in the last errinjct-window seconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/timer.h"
#include "system/dma.h"
#include "hw/pci/pci_device.h"
#include "hw/pci-host/spapr.h"
#include "hw/ppc/fdt.h"
#include "hw/ppc/spapr.h"
#include "hw/ppc/spapr_eeh.h"
#include "hw/ppc/spapr_eeh_errinjct.h"
#include "hw/ppc/spapr_eeh_guest_log.h"
#include <libfdt.h>
#include "trace.h"

/* Work buffer words in use: 6 for ioa-bus-error, 8 for -64 */
#define ERRINJCT_WORDS          8

/* Functions of ioa-bus-error: 0-19 inject, 20 and 21 are optional */
#define ERRINJCT_FUNC_LAST      19
#define ERRINJCT_FUNC_OPTIONAL  21

typedef enum ErrinjctTarget {
    ERRINJCT_MEM,               /* a load or store to a memory BAR */
    ERRINJCT_IO,                /* a load or store to an I/O BAR */
    ERRINJCT_CFG,               /* a config space load or store */
    ERRINJCT_DMA,               /* a DMA read or write by the device */
} ErrinjctTarget;

/* One ioa-bus-error or ioa-bus-error-64 request, as the guest gave it */
typedef struct ErrinjctRequest {
    bool is64;
    uint64_t addr;
    uint64_t mask;
    uint32_t config_addr;
    uint64_t buid;
    uint32_t func;
} ErrinjctRequest;

static ErrinjctTarget errinjct_target(uint32_t func)
{
    static const ErrinjctTarget target[ERRINJCT_FUNC_LAST + 1] = {
        [0] = ERRINJCT_MEM, [1] = ERRINJCT_MEM,
        [2] = ERRINJCT_IO, [3] = ERRINJCT_IO,
        [4] = ERRINJCT_CFG, [5] = ERRINJCT_CFG,
        [6] = ERRINJCT_MEM, [7] = ERRINJCT_MEM,
        [8] = ERRINJCT_IO, [9] = ERRINJCT_IO,
        [10] = ERRINJCT_CFG, [11] = ERRINJCT_CFG,
        [12 ... ERRINJCT_FUNC_LAST] = ERRINJCT_DMA,
    };

    return target[func];
}

/* @addr as a PCI bus address of @sphb: as given, or from a CPU address */
static bool errinjct_bus_addr(SpaprPhbState *sphb, bool io, uint64_t addr,
                              uint64_t *bus)
{
    if (io) {
        if (addr >= sphb->io_win_addr &&
            addr - sphb->io_win_addr < sphb->io_win_size) {
            *bus = addr - sphb->io_win_addr;
            return true;
        }
        return false;
    }
    if (addr >= sphb->mem_win_addr &&
        addr - sphb->mem_win_addr < sphb->mem_win_size) {
        *bus = addr - sphb->mem_win_addr + SPAPR_PCI_MEM_WIN_BUS_OFFSET;
        return true;
    }
    if (sphb->mem64_win_size && addr >= sphb->mem64_win_addr &&
        addr - sphb->mem64_win_addr < sphb->mem64_win_size) {
        *bus = addr - sphb->mem64_win_addr + sphb->mem64_win_pciaddr;
        return true;
    }
    return false;
}

/* The BAR of @pdev that holds bus address @bus, or -1 */
static int errinjct_find_bar(PCIDevice *pdev, bool io, uint64_t bus)
{
    int i;

    for (i = 0; i < PCI_ROM_SLOT; i++) {
        PCIIORegion *r = &pdev->io_regions[i];

        if (!r->size || r->addr == PCI_BAR_UNMAPPED ||
            !!(r->type & PCI_BASE_ADDRESS_SPACE_IO) != io) {
            continue;
        }
        if (bus >= r->addr && bus - r->addr < r->size) {
            return i;
        }
    }
    return -1;
}

/*
 * The BAR of @pdev of the right kind that holds @addr, given as a PCI bus
 * address or as a CPU address in @sphb's windows, or -1; *@bus gets the
 * bus address.
 */
static int errinjct_bar_of(SpaprPhbState *sphb, PCIDevice *pdev, bool io,
                           uint64_t addr, uint64_t *bus)
{
    int bar = errinjct_find_bar(pdev, io, addr);

    *bus = addr;
    if (bar < 0 && errinjct_bus_addr(sphb, io, addr, bus)) {
        bar = errinjct_find_bar(pdev, io, *bus);
    }
    return bar;
}

/* The host address of a load or store target in a BAR of @pdev */
static bool errinjct_bar_host_addr(SpaprPhbState *sphb, PCIDevice *pdev,
                                   bool io, uint64_t addr, uint64_t *host)
{
    Error *err = NULL;
    uint64_t bus, start, size, off;
    int bar = errinjct_bar_of(sphb, pdev, io, addr, &bus);

    if (bar < 0) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: address 0x%" PRIx64 " is in no "
                              "%s BAR of device %02x:%02x.%x", addr,
                              io ? "I/O" : "memory", pci_dev_bus_num(pdev),
                              PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
        return false;
    }
    off = bus - pdev->io_regions[bar].addr;
    if (!spapr_phb_vfio_eeh_host_bar(pdev, bar, &start, &size, &err)) {
        /* The host's fault, not the guest's: say it once */
        static bool warned;

        warn_report_once_cond(&warned, "ibm,errinjct: no host address for "
                              "BAR %d: %s", bar,
                              err ? error_get_pretty(err) : "no VFIO");
        trace_spapr_errinjct_refused(sphb->index, "no host BAR address");
        error_free(err);
        return false;
    }
    if (off >= size) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: address 0x%" PRIx64 " is beyond "
                              "the host's BAR %d (0x%" PRIx64 " bytes)", addr,
                              bar, size);
        return false;
    }
    *host = start + off;
    return true;
}

/* Whether DMA address @addr lies in one of @sphb's DMA windows */
static bool errinjct_dma_addr_ok(SpaprPhbState *sphb, uint64_t addr)
{
    unsigned i;

    for (i = 0; i < SPAPR_PCI_DMA_MAX_WINDOWS; i++) {
        SpaprTceTable *tcet =
            spapr_tce_find_by_liobn(SPAPR_PCI_LIOBN(sphb->index, i));

        if (tcet && tcet->nb_table && addr >= tcet->bus_offset &&
            addr - tcet->bus_offset <
            ((uint64_t)tcet->nb_table << tcet->page_shift)) {
            return true;
        }
    }
    return false;
}

/* The address the host takes for @req on @pdev, or false */
static bool errinjct_host_addr(SpaprPhbState *sphb, PCIDevice *pdev,
                               const ErrinjctRequest *req, uint64_t *host)
{
    uint16_t rid;

    switch (errinjct_target(req->func)) {
    case ERRINJCT_MEM:
        return errinjct_bar_host_addr(sphb, pdev, false, req->addr, host);
    case ERRINJCT_IO:
        return errinjct_bar_host_addr(sphb, pdev, true, req->addr, host);
    case ERRINJCT_CFG:
        /* A register; the host gets its config address on the host */
        if (req->addr >= pci_config_size(pdev)) {
            SPAPR_EEH_GUEST_ERROR("ibm,errinjct: config register 0x%" PRIx64
                                  " is beyond the device's config space",
                                  req->addr);
            return false;
        }
        if (!spapr_phb_vfio_eeh_host_rid(pdev, &rid)) {
            SPAPR_EEH_GUEST_ERROR("ibm,errinjct: the host address of device "
                                  "%02x:%02x.%x is unknown",
                                  pci_dev_bus_num(pdev),
                                  PCI_SLOT(pdev->devfn),
                                  PCI_FUNC(pdev->devfn));
            return false;
        }
        *host = ((uint64_t)rid << 8) | (req->addr & 0xff) |
                ((req->addr & 0xf00) << 20);
        return true;
    case ERRINJCT_DMA:
        if (!errinjct_dma_addr_ok(sphb, req->addr)) {
            SPAPR_EEH_GUEST_ERROR("ibm,errinjct: DMA address 0x%" PRIx64
                                  " is in no DMA window of PHB %u",
                                  req->addr, sphb->index);
            return false;
        }
        *host = req->addr;
        return true;
    }
    g_assert_not_reached();
}

/*
 * The target device of @req among @devs, the VFIO devices of @sphb's PE.
 * The config address names a device, or is the PE address that
 * ibm,get-config-addr-info2 gave ("00BB0001", which powerpc-utils'
 * errinjct passes): then the target is the PE's device on bus BB whose
 * BAR holds the address for a load or store, else its first device.
 */
static PCIDevice *errinjct_target_dev(SpaprMachineState *spapr,
                                      SpaprPhbState *sphb, GPtrArray *devs,
                                      const ErrinjctRequest *req)
{
    PCIDevice *pdev = spapr_pci_find_dev(spapr, req->buid, req->config_addr);
    ErrinjctTarget target = errinjct_target(req->func);
    PCIDevice *first = NULL;
    uint64_t bus;
    guint i;

    if (pdev) {
        return g_ptr_array_find(devs, pdev, NULL) ? pdev : NULL;
    }
    if ((req->config_addr & 0xff00ffff) != 1) {
        return NULL;
    }
    for (i = 0; i < devs->len; i++) {
        PCIDevice *d = g_ptr_array_index(devs, i);

        if (pci_dev_bus_num(d) != ((req->config_addr >> 16) & 0xff)) {
            continue;
        }
        if (target != ERRINJCT_MEM && target != ERRINJCT_IO) {
            return d;
        }
        if (errinjct_bar_of(sphb, d, target == ERRINJCT_IO, req->addr,
                            &bus) >= 0) {
            return d;
        }
        first = first ? first : d;
    }
    return first;
}

/*
 * Whether @sphb may take one more injection now.  Every request counts
 * against the window, refused ones too; the first refusal of a window
 * is reported, the others counted.
 */
static bool errinjct_allowed(SpaprPhbState *sphb)
{
    int64_t now = qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL);
    int64_t window = (int64_t)sphb->errinjct_window * 1000;

    if (!sphb->errinjct_in_window ||
        now - sphb->errinjct_window_start >= window) {
        sphb->errinjct_window_start = now;
        sphb->errinjct_in_window = 0;
    }
    if (sphb->errinjct_in_window < UINT32_MAX) {
        sphb->errinjct_in_window++;
    }
    if (sphb->errinjct_in_window <= sphb->errinjct_limit) {
        return true;
    }
    if (sphb->errinjct_in_window == sphb->errinjct_limit + 1) {
        warn_report("ibm,errinjct: PHB %u reached its limit of %u "
                    "injection(s) in %u s; refusing more until the window "
                    "ends", sphb->index, sphb->errinjct_limit,
                    sphb->errinjct_window);
    }
    return false;
}

/* The RTAS status of a host error of VFIO_EEH_PE_INJECT_ERR */
static int errinjct_host_status(int err)
{
    switch (err) {
    case 0:
        return RTAS_OUT_SUCCESS;
    case -EINVAL:           /* a type or function the host rejects */
    case -ERANGE:
    case -ENOTTY:           /* no EEH, or no injection, on the host */
    case -ENOENT:
    case -ENXIO:
    case -EOPNOTSUPP:
        return RTAS_OUT_NOT_SUPPORTED;
    default:
        return RTAS_OUT_HW_ERROR;
    }
}

/*
 * A PE that cannot take an injection: the guest declared it permanently
 * unavailable, or the host reported it unavailable when the guest last
 * looked (for longer than eeh-unavailable-timeout, the guest was told it
 * is permanent).  Injecting there would fail on the host at best.
 */
static const char *errinjct_dead_pe(SpaprPhbState *sphb)
{
    if (spapr_eeh_is_permanent(sphb)) {
        return "PE permanently unavailable";
    }
    if (sphb->eeh_unavail_since >= 0) {
        return "PE unavailable on the host";
    }
    return NULL;
}

static int errinjct_ioa(SpaprMachineState *spapr, const ErrinjctRequest *req)
{
    g_autoptr(GPtrArray) devs = NULL;
    SpaprPhbState *sphb;
    PCIDevice *pdev;
    const char *dead;
    uint64_t host;
    int err, status;

    if (req->func > ERRINJCT_FUNC_OPTIONAL) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: function %u is out of range",
                              req->func);
        return RTAS_OUT_PARAM_ERROR;
    }
    if (req->func > ERRINJCT_FUNC_LAST) {
        trace_spapr_errinjct_refused(-1, "function not supported");
        return RTAS_OUT_NOT_SUPPORTED;
    }
    sphb = spapr_pci_find_phb(spapr, req->buid);
    if (!sphb) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: no PHB with BUID 0x%" PRIx64,
                              req->buid);
        return RTAS_OUT_PARAM_ERROR;
    }
    devs = spapr_phb_eeh_devices(sphb);
    pdev = spapr_phb_eeh_available(sphb) ?
           errinjct_target_dev(spapr, sphb, devs, req) : NULL;
    if (!pdev) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: config address 0x%x of PHB %u "
                              "names no device of an EEH-capable PE",
                              req->config_addr, sphb->index);
        return RTAS_OUT_PARAM_ERROR;
    }
    if (req->addr & (req->is64 ? 7 : 3)) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: address 0x%" PRIx64 " is not %s "
                              "aligned", req->addr,
                              req->is64 ? "doubleword" : "word");
        return RTAS_OUT_PARAM_ERROR;
    }
    if (!errinjct_host_addr(sphb, pdev, req, &host)) {
        return RTAS_OUT_PARAM_ERROR;
    }
    dead = errinjct_dead_pe(sphb);
    if (dead) {
        sphb->errinjct_refused++;
        trace_spapr_errinjct_refused(sphb->index, dead);
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: PHB %u: %s", sphb->index, dead);
        return RTAS_OUT_HW_ERROR;
    }
    if (!errinjct_allowed(sphb)) {
        sphb->errinjct_refused++;
        trace_spapr_errinjct_refused(sphb->index, "limit reached");
        return RTAS_OUT_HW_ERROR;
    }
    trace_spapr_errinjct_request(sphb->index, req->is64, req->func, req->addr,
                                 req->mask, host);
    err = spapr_phb_vfio_eeh_inject(sphb, req->is64, req->func, host,
                                    req->mask);
    status = errinjct_host_status(err);
    trace_spapr_errinjct_host(sphb->index, err, status);
    if (!err) {
        sphb->errinjct_count++;
    }
    return status;
}

/* Read the work buffer at @addr once, and decode it for @type */
static int errinjct_read_request(SpaprMachineState *spapr, uint32_t type,
                                 uint64_t addr, ErrinjctRequest *req)
{
    MachineState *ms = MACHINE(spapr);
    uint32_t w[ERRINJCT_WORDS];
    int i;

    if (addr & (SPAPR_ERRINJCT_BUF_SIZE - 1) || addr >= ms->ram_size ||
        ms->ram_size - addr < SPAPR_ERRINJCT_BUF_SIZE) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: work buffer 0x%" PRIx64 " is "
                              "not a 1 KiB aligned buffer in guest memory",
                              addr);
        return RTAS_OUT_PARAM_ERROR;
    }
    if (address_space_read(&address_space_memory, addr,
                           MEMTXATTRS_UNSPECIFIED, w, sizeof(w)) != MEMTX_OK) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: cannot read the work buffer at "
                              "0x%" PRIx64, addr);
        return RTAS_OUT_PARAM_ERROR;
    }
    for (i = 0; i < ERRINJCT_WORDS; i++) {
        w[i] = be32_to_cpu(w[i]);
    }
    memset(req, 0, sizeof(*req));
    if (type == RTAS_ERRINJCT_IOA_BUS_ERROR) {
        req->addr = w[0];
        req->mask = w[1];
        req->config_addr = w[2];
        req->buid = ((uint64_t)w[3] << 32) | w[4];
        req->func = w[5];
    } else {
        req->is64 = true;
        req->addr = ((uint64_t)w[0] << 32) | w[1];
        req->mask = ((uint64_t)w[2] << 32) | w[3];
        req->config_addr = w[4];
        req->buid = ((uint64_t)w[5] << 32) | w[6];
        req->func = w[7];
    }
    return RTAS_OUT_SUCCESS;
}

static void rtas_ibm_open_errinjct(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                   uint32_t token, uint32_t nargs,
                                   target_ulong args, uint32_t nret,
                                   target_ulong rets)
{
    uint32_t open_token = 0;
    int status;

    if (nargs != 0 || nret != 2) {
        SPAPR_EEH_GUEST_ERROR("ibm,open-errinjct: wrong number of arguments "
                              "(%u) or returns (%u)", nargs, nret);
        status = RTAS_OUT_PARAM_ERROR;
    } else if (spapr->errinjct_token) {
        SPAPR_EEH_GUEST_ERROR("ibm,open-errinjct: the session is already "
                              "open");
        status = RTAS_OUT_ERRINJCT_NOT_OPENER;
    } else {
        /* A new token for every session, never 0 */
        open_token = ++spapr->errinjct_seq ? spapr->errinjct_seq :
                                             ++spapr->errinjct_seq;
        spapr->errinjct_token = open_token;
        status = RTAS_OUT_SUCCESS;
    }
    trace_spapr_errinjct_open(open_token, status);
    /* LoPAR: the open token first, the status second */
    if (nret >= 2) {
        rtas_st(rets, 0, open_token);
        rtas_st(rets, 1, status);
    } else if (nret) {
        rtas_st(rets, 0, status);
    }
}

static void rtas_ibm_errinjct(PowerPCCPU *cpu, SpaprMachineState *spapr,
                              uint32_t token, uint32_t nargs,
                              target_ulong args, uint32_t nret,
                              target_ulong rets)
{
    uint32_t type = 0, open_token = 0;
    uint64_t buf = 0;
    ErrinjctRequest req;
    int status;

    if (nargs != 3 || nret != 1) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: wrong number of arguments (%u) or "
                              "returns (%u)", nargs, nret);
        status = RTAS_OUT_PARAM_ERROR;
        goto out;
    }
    type = rtas_ld(args, 0);
    open_token = rtas_ld(args, 1);
    buf = rtas_ld(args, 2);
    if (!spapr->errinjct_token || open_token != spapr->errinjct_token) {
        SPAPR_EEH_GUEST_ERROR("ibm,errinjct: token 0x%x did not open the "
                              "session", open_token);
        status = RTAS_OUT_ERRINJCT_NOT_OPENER;
        goto out;
    }
    if (type != RTAS_ERRINJCT_IOA_BUS_ERROR &&
        type != RTAS_ERRINJCT_IOA_BUS_ERROR_64) {
        trace_spapr_errinjct_refused(-1, "error type not supported");
        status = RTAS_OUT_NOT_SUPPORTED;
        goto out;
    }
    status = errinjct_read_request(spapr, type, buf, &req);
    if (status == RTAS_OUT_SUCCESS) {
        status = errinjct_ioa(spapr, &req);
    }
out:
    trace_spapr_errinjct(type, open_token, buf, status);
    if (nret) {
        rtas_st(rets, 0, status);
    }
}

static void rtas_ibm_close_errinjct(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                    uint32_t token, uint32_t nargs,
                                    target_ulong args, uint32_t nret,
                                    target_ulong rets)
{
    uint32_t open_token = 0;
    int status;

    if (nargs != 1 || nret != 1) {
        SPAPR_EEH_GUEST_ERROR("ibm,close-errinjct: wrong number of arguments "
                              "(%u) or returns (%u)", nargs, nret);
        status = RTAS_OUT_PARAM_ERROR;
    } else {
        open_token = rtas_ld(args, 0);
        if (!spapr->errinjct_token || open_token != spapr->errinjct_token) {
            SPAPR_EEH_GUEST_ERROR("ibm,close-errinjct: token 0x%x cannot "
                                  "close the session", open_token);
            status = RTAS_OUT_ERRINJCT_NOT_OPENER;
        } else {
            spapr->errinjct_token = 0;
            status = RTAS_OUT_SUCCESS;
        }
    }
    trace_spapr_errinjct_close(open_token, status);
    if (nret) {
        rtas_st(rets, 0, status);
    }
}

void spapr_errinjct_init(SpaprMachineState *spapr)
{
    if (!spapr->errinjct) {
        return;
    }
    spapr_rtas_register(RTAS_IBM_OPEN_ERRINJCT, "ibm,open-errinjct",
                        rtas_ibm_open_errinjct);
    spapr_rtas_register(RTAS_IBM_ERRINJCT, "ibm,errinjct", rtas_ibm_errinjct);
    spapr_rtas_register(RTAS_IBM_CLOSE_ERRINJCT, "ibm,close-errinjct",
                        rtas_ibm_close_errinjct);
}

void spapr_dt_errinjct(SpaprMachineState *spapr, void *fdt, int rtas)
{
    static const struct {
        const char *name;
        uint32_t token;
    } types[] = {
        { "ioa-bus-error", RTAS_ERRINJCT_IOA_BUS_ERROR },
        { "ioa-bus-error-64", RTAS_ERRINJCT_IOA_BUS_ERROR_64 },
    };
    g_autoptr(GByteArray) prop = NULL;
    unsigned i;

    if (!spapr->errinjct) {
        return;
    }
    /* (name, token) pairs: a NUL-terminated string, a big-endian cell */
    prop = g_byte_array_new();
    for (i = 0; i < ARRAY_SIZE(types); i++) {
        uint32_t cell = cpu_to_be32(types[i].token);

        g_byte_array_append(prop, (const guint8 *)types[i].name,
                            strlen(types[i].name) + 1);
        g_byte_array_append(prop, (const guint8 *)&cell, sizeof(cell));
    }
    _FDT(fdt_setprop(fdt, rtas, "ibm,errinjct-tokens", prop->data,
                     prop->len));
}

void spapr_errinjct_reset(SpaprMachineState *spapr)
{
    spapr->errinjct_token = 0;
}

static bool spapr_errinjct_needed(void *opaque)
{
    SpaprMachineState *spapr = opaque;

    return spapr->errinjct_token != 0;
}

static int spapr_errinjct_post_load(void *opaque, int version_id)
{
    SpaprMachineState *spapr = opaque;

    /* The next session gets a token this one never had */
    spapr->errinjct_seq = spapr->errinjct_token;
    return 0;
}

const VMStateDescription vmstate_spapr_errinjct = {
    .name = "spapr_errinjct",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = spapr_errinjct_needed,
    .post_load = spapr_errinjct_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(errinjct_token, SpaprMachineState),
        VMSTATE_END_OF_LIST()
    },
};
