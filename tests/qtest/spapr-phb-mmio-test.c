/*
 * QTest: MMIO that no device claims in a sPAPR PHB's windows
 *
 * A real PHB ends such an access with an Unsupported Request: all-ones
 * for a load, a dropped store, no machine check.  A Linux guest's
 * eeh_dev_break does exactly this (memory decoding off, then a load from
 * the BAR).  Older machine types keep the decode error, which qtest reads
 * as 0.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/libqos-spapr.h"
#include "libqos/malloc-spapr.h"
#include "libqos/pci-spapr.h"
#include "standard-headers/linux/pci_regs.h"

/* PCI bus address 0xc0000000, in PHB 0's 32-bit window, where no BAR is */
#define PHB0_MMIO32_CPU         (1ULL << 45)
#define UNCLAIMED               (PHB0_MMIO32_CPU + 0xc0000000ULL)


static void test_unclaimed_ones(void)
{
    QTestState *qts = qtest_init("-machine pseries -nodefaults");

    g_assert_cmphex(qtest_readb(qts, UNCLAIMED), ==, 0xff);
    g_assert_cmphex(qtest_readw(qts, UNCLAIMED + 2), ==, 0xffff);
    g_assert_cmphex(qtest_readl(qts, UNCLAIMED + 4), ==, 0xffffffff);
    g_assert_cmphex(qtest_readq(qts, UNCLAIMED + 8), ==, UINT64_MAX);
    qtest_writel(qts, UNCLAIMED, 0x12345678);
    g_assert_cmphex(qtest_readl(qts, UNCLAIMED), ==, 0xffffffff);
    qtest_quit(qts);
}

/* A BAR with memory decoding off is not claimed either */
static void test_decode_off(void)
{
    QTestState *qts;
    QGuestAllocator alloc;
    QPCIBus *bus;
    QPCIDevice *dev;
    QPCIBar bar;
    uint32_t id;

    if (!qtest_has_device("edu")) {
        g_test_skip("the edu device is not available");
        return;
    }
    qts = qtest_init("-machine pseries -nodefaults -device edu,addr=2.0");
    spapr_alloc_init(&alloc, qts, ALLOC_NO_FLAGS);
    bus = qpci_new_spapr(qts, &alloc);
    dev = qpci_device_find(bus, QPCI_DEVFN(2, 0));
    g_assert_nonnull(dev);
    qpci_device_enable(dev);
    bar = qpci_iomap(dev, 0, NULL);

    /* edu's identification register: 0x010000ed, in either byte order */
    id = qpci_io_readl(dev, bar, 0);
    g_assert_true(id == 0x010000ed || id == 0xed000001);
    qpci_config_writew(dev, PCI_COMMAND, 0);
    g_assert_cmphex(qpci_io_readl(dev, bar, 0), ==, 0xffffffff);
    g_assert_cmphex(qpci_io_readb(dev, bar, 0x10), ==, 0xff);
    qpci_config_writew(dev, PCI_COMMAND, PCI_COMMAND_MEMORY);
    g_assert_cmphex(qpci_io_readl(dev, bar, 0), ==, id);

    g_free(dev);
    qpci_free_spapr(bus);
    alloc_destroy(&alloc);
    qtest_quit(qts);
}

/* On the newest machine type only; unclaimed-mmio-ones=off turns it off */
static void test_compat(void)
{
    g_autofree char *newest = NULL;
    g_autofree char *previous = NULL;
    QTestState *qts;

    qtest_spapr_compat_machines(&newest, &previous);
    qts = qtest_initf("-machine %s -nodefaults", newest);
    g_assert_cmphex(qtest_readl(qts, UNCLAIMED), ==, 0xffffffff);
    qtest_quit(qts);

    qts = qtest_initf("-machine %s -nodefaults", previous);
    g_assert_cmphex(qtest_readl(qts, UNCLAIMED), ==, 0);
    qtest_quit(qts);

    qts = qtest_initf("-machine %s -nodefaults "
                      "-global spapr-pci-host-bridge.unclaimed-mmio-ones=off",
                      newest);
    g_assert_cmphex(qtest_readl(qts, UNCLAIMED), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("spapr-phb/unclaimed-mmio/ones", test_unclaimed_ones);
    qtest_add_func("spapr-phb/unclaimed-mmio/decode-off", test_decode_off);
    qtest_add_func("spapr-phb/unclaimed-mmio/compat", test_compat);

    return g_test_run();
}
