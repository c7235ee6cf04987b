/*
 * Unit tests for the VFIO host model
 *
 * Runs with libvfio-host-model.so preloaded and performs the VFIO call
 * sequence itself, asserting every kernel rule the model implements.
 * Without VHM_TEST_CHILD=1 it writes its own configuration and re-execs
 * itself with LD_PRELOAD set (library: $VHM_LIB, else next to the
 * executable); what the library's constructor writes to stderr (config
 * errors) goes to stderr.txt next to that configuration.  Output is TAP.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio-eeh-uapi.h"

#define CFG_OFF     (7ULL << 40)
#define BAR0_OFF    (0ULL << 40)
#define BAR2_OFF    (2ULL << 40)
#define DDW_BASE    (1ULL << 59)

/* host addresses of DEV_A's BARs (<sysfsdev>/resource) */
#define HOST_BAR0_A 0x00060100c0020000ULL   /* domain 1, 32-bit window */
#define HOST_BAR2_A 0x0006018000080000ULL   /* domain 1, 64-bit window */

#define DEV_A   "0001:00:01.0"      /* group 42: defaults */
#define DEV_B   "0001:00:02.0"      /* group 43: flr=0, enodev */
#define DEV_C   "0002:00:01.0"      /* group 44: pass */
#define DEV_D   "0002:00:02.0"      /* group 45: vconfig, reset_state */
#define DEV_E   "0003:00:01.0"      /* group 46: not viable */
#define DEV_F   "0004:00:01.0"      /* group 47: eio, other IDs */
#define DEV_G   "0005:00:01.0"      /* group 48, host PE 7 ... */
#define DEV_H   "0005:00:01.1"      /* ... shared with G */
#define DEV_I   "0006:00:01.0"      /* group 49: virtio personality ... */
#define DEV_J   "0006:00:02.0"      /* ... with devid=0x1043 */
#define DEV_K   "0007:00:01.0"      /* group 50: aer=0xfd4 */
#define DEV_L   "0008:00:01.0"      /* group 51: aer=512 (0x200) */
#define DEV_M   "0009:00:01.0"      /* group 52: aer=none */
#define DEV_N   "000a:00:01.0"      /* group 53: aer=0x100 */
#define DEV_O   "000c:00:01.0"      /* group 54: aer=0x104 */

static const char config_text[] =
    "# written by test-host-model\n"
    "option log_dma=0\n"
    "option eeh_inject=phb3\n"
    "device " DEV_A " group=42 msi_vectors=4\n"
    "device " DEV_B " group=43 flr=0 cfg_frozen=enodev\n"
    "device " DEV_C " group=44 cfg_frozen=pass\n"
    "device " DEV_D " group=45 cfg_frozen=vconfig reset_state=1\n"
    "device " DEV_E " group=46 viable=0\n"
    "device " DEV_F " group=47 cfg_frozen=eio vendor=0x1234 devid=0x5678\n"
    "device " DEV_G " group=48 pe=7\n"
    "device " DEV_H " group=48\n"
    "device " DEV_I " group=49 personality=virtio\n"
    "device " DEV_J " group=49 devid=0x1043 personality=virtio\n"
    "device " DEV_K " group=50 aer=0xfd4\n"
    "device " DEV_L " group=51 aer=512\n"
    "device " DEV_M " group=52 aer=none\n"
    "device " DEV_N " group=53 aer=0x100\n"
    "device " DEV_O " group=54 aer=0x104\n"
    "# bad aer= values: reported on stderr, the devices are not created\n"
    "device 000b:00:01.0 group=60 aer=0x102\n"
    "device 000b:00:02.0 group=60 aer=0xfd8\n"
    "device 000b:00:03.0 group=60 aer=0xfc\n"
    "device 000b:00:04.0 group=60 aer=0x200x\n";

/* snprintf without the compiler's truncation warnings */
static int xsnprintf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int xsnprintf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}

/* leading decimal number of a string */
static uint64_t dec(const char *s)
{
    uint64_t v = 0;

    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
    }
    return v;
}

static int ntests;
static int nfailed;
static int ctl_fd = -1;
static FILE *ctl_in;
static char dir[PATH_MAX];
static char ctl_path[PATH_MAX];
static char cli_path[PATH_MAX];

static void ok(bool cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void ok(bool cond, const char *fmt, ...)
{
    va_list ap;

    ntests++;
    if (!cond) {
        nfailed++;
    }
    printf("%sok %d - ", cond ? "" : "not ", ntests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* ioctl returning -errno on failure */
static long ioc(int fd, unsigned long req, void *arg)
{
    int r = ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

static long ioc_int(int fd, unsigned long req, unsigned long arg)
{
    int r = ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

static long cfg_rd(int dev, uint64_t off, int len, uint32_t *val)
{
    uint32_t v = 0;
    ssize_t r = pread(dev, &v, len, CFG_OFF + off);

    *val = v;
    return r < 0 ? -errno : r;
}

static uint32_t cfg_get(int dev, uint64_t off, int len)
{
    uint32_t v;

    cfg_rd(dev, off, len, &v);
    return v;
}

static long cfg_wr(int dev, uint64_t off, int len, uint32_t val)
{
    ssize_t r = pwrite(dev, &val, len, CFG_OFF + off);

    return r < 0 ? -errno : r;
}

static long bar_rd(int dev, uint64_t off, int len, uint32_t *val)
{
    uint32_t v = 0;
    ssize_t r = pread(dev, &v, len, BAR0_OFF + off);

    *val = v;
    return r < 0 ? -errno : r;
}

static uint32_t bar_get(int dev, uint64_t off)
{
    uint32_t v;

    bar_rd(dev, off, 4, &v);
    return v;
}

static long bar_wr(int dev, uint64_t off, uint32_t val)
{
    ssize_t r = pwrite(dev, &val, 4, BAR0_OFF + off);

    return r < 0 ? -errno : r;
}

static long bar2_rd(int dev, uint64_t off, uint32_t *val)
{
    uint32_t v = 0;
    ssize_t r = pread(dev, &v, 4, BAR2_OFF + off);

    *val = v;
    return r < 0 ? -errno : r;
}

static long bar2_wr(int dev, uint64_t off, uint32_t val)
{
    ssize_t r = pwrite(dev, &val, 4, BAR2_OFF + off);

    return r < 0 ? -errno : r;
}

/* control channel */

static int ctl_connect(void)
{
    struct sockaddr_un sa;

    ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    xsnprintf(sa.sun_path, sizeof(sa.sun_path), "%s", ctl_path);
    if (connect(ctl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        return -1;
    }
    ctl_in = fdopen(dup(ctl_fd), "r");
    return ctl_in ? 0 : -1;
}

/*
 * Send one command; collect data lines into out (newline separated) and
 * the final line into last.  Returns 0 on OK, 1 on ERR, -1 on trouble.
 */
static int ctl(const char *cmd, char *out, size_t outlen, char *last,
               size_t lastlen)
{
    char line[4096];
    size_t used = 0;
    char buf[1024];
    int n = xsnprintf(buf, sizeof(buf), "%s\n", cmd);

    if (out && outlen) {
        out[0] = '\0';
    }
    if (write(ctl_fd, buf, n) != n) {
        return -1;
    }
    while (fgets(line, sizeof(line), ctl_in)) {
        if (!strncmp(line, "OK", 2) || !strncmp(line, "ERR", 3)) {
            line[strcspn(line, "\n")] = '\0';
            if (last) {
                xsnprintf(last, lastlen, "%s", line);
            }
            return line[0] == 'O' ? 0 : 1;
        }
        if (out && used < outlen) {
            int k = xsnprintf(out + used, outlen - used, "%s", line);

            used += k > 0 ? (size_t)k : 0;
        }
    }
    return -1;
}

static int ctl_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int ctl_ok(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return ctl(cmd, NULL, 0, NULL, 0);
}

static char state_buf[512];

static const char *state_of(int group)
{
    char cmd[64];

    xsnprintf(cmd, sizeof(cmd), "state group=%d", group);
    ctl(cmd, state_buf, sizeof(state_buf), NULL, 0);
    return state_buf;
}

static bool state_has(int group, const char *needle)
{
    return strstr(state_of(group), needle) != NULL;
}

static uint64_t log_next(void)
{
    char last[128];

    ctl("log 999999999999", NULL, 0, last, sizeof(last));
    return dec(last + 3);
}

static char *log_since(uint64_t from)
{
    static char big[1 << 20];
    char cmd[64];

    xsnprintf(cmd, sizeof(cmd), "log %llu", (unsigned long long)from);
    ctl(cmd, big, sizeof(big), NULL, 0);
    return big;
}

/* sequence number of the log line containing p */
static uint64_t line_seq(const char *log, const char *p)
{
    while (p > log && p[-1] != '\n') {
        p--;
    }
    return dec(p);
}

/* EEH helpers */

static long eeh(int cont, uint32_t op)
{
    struct vfio_eeh_pe_op p = { .argsz = sizeof(p), .op = op };

    return ioc(cont, VFIO_EEH_PE_OP, &p);
}

static long inject(int cont, uint32_t type, uint32_t func, uint64_t addr,
                   uint64_t mask)
{
    struct vfio_eeh_pe_op p = {
        .argsz = sizeof(p), .op = VFIO_EEH_PE_INJECT_ERR,
        .err = { .type = type, .func = func, .addr = addr, .mask = mask },
    };

    return ioc(cont, VFIO_EEH_PE_OP, &p);
}

/* fixtures */

static int open_group(int id)
{
    char path[64];

    xsnprintf(path, sizeof(path), "/dev/vfio/%d", id);
    return open(path, O_RDWR | O_CLOEXEC);
}

static int new_container(void)
{
    return open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
}

static long set_container(int group, int cont)
{
    return ioc(group, VFIO_GROUP_SET_CONTAINER, &cont);
}

static int get_dev(int group, const char *name)
{
    long r = ioc(group, VFIO_GROUP_GET_DEVICE_FD, (void *)name);

    return (int)r;
}

static long reg_mem(int cont, void *va, uint64_t size, bool reg)
{
    struct vfio_iommu_spapr_register_memory r = {
        .argsz = sizeof(r), .vaddr = (uintptr_t)va, .size = size,
    };

    return ioc(cont, reg ? VFIO_IOMMU_SPAPR_REGISTER_MEMORY
                         : VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &r);
}

static long map(int cont, uint64_t iova, void *va, uint64_t size,
                 uint32_t flags)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = sizeof(m), .flags = flags, .vaddr = (uintptr_t)va,
        .iova = iova, .size = size,
    };

    return ioc(cont, VFIO_IOMMU_MAP_DMA, &m);
}

static long unmap(int cont, uint64_t iova, uint64_t size)
{
    struct vfio_iommu_type1_dma_unmap u = {
        .argsz = sizeof(u), .iova = iova, .size = size,
    };

    return ioc(cont, VFIO_IOMMU_UNMAP_DMA, &u);
}

static long create_win(int cont, uint32_t shift, uint64_t size,
                       uint32_t levels, uint64_t *start)
{
    struct vfio_iommu_spapr_tce_create c = {
        .argsz = sizeof(c), .page_shift = shift, .window_size = size,
        .levels = levels,
    };
    long r = ioc(cont, VFIO_IOMMU_SPAPR_TCE_CREATE, &c);

    if (start) {
        *start = c.start_addr;
    }
    return r;
}

static long remove_win(int cont, uint64_t start)
{
    struct vfio_iommu_spapr_tce_remove r = {
        .argsz = sizeof(r), .start_addr = start,
    };

    return ioc(cont, VFIO_IOMMU_SPAPR_TCE_REMOVE, &r);
}

/* struct vfio_irq_set with room for 32 int32 data entries */
typedef struct {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t start;
    uint32_t count;
    int32_t data[32];
} IrqSet;

/* struct vfio_pci_hot_reset_info with room for 4 devices */
typedef struct {
    uint32_t argsz;
    uint32_t flags;
    uint32_t count;
    struct vfio_pci_dependent_device d[4];
} HotResetInfo;

/* struct vfio_pci_hot_reset with room for 4 group fds */
typedef struct {
    uint32_t argsz;
    uint32_t flags;
    uint32_t count;
    int32_t fds[4];
} HotReset;

#define IRQ_SET_HDR     offsetof(IrqSet, data)
#define HRI_HDR         offsetof(HotResetInfo, d)
#define HR_HDR          offsetof(HotReset, fds)

static long set_irqs(int dev, uint32_t flags, uint32_t index,
                     uint32_t start, uint32_t count, const int32_t *fds)
{
    IrqSet x;
    uint32_t i;

    memset(&x, 0, sizeof(x));
    x.argsz = IRQ_SET_HDR + count * sizeof(int32_t);
    x.flags = flags;
    x.index = index;
    x.start = start;
    x.count = count;
    for (i = 0; fds && i < count && i < 32; i++) {
        x.data[i] = fds[i];
    }
    return ioc(dev, VFIO_DEVICE_SET_IRQS, &x);
}

static uint64_t efd_read(int efd)
{
    uint64_t v = 0;

    if (read(efd, &v, sizeof(v)) != sizeof(v)) {
        return 0;
    }
    return v;
}

/* tests */

/* <sysfsdev>/resource of a device, or "" */
static const char *resource_file(const char *bdf)
{
    static char buf[4096];
    char path[PATH_MAX];
    FILE *f;
    size_t n;

    xsnprintf(path, sizeof(path), "%s/sys/devices/%s/resource", dir, bdf);
    buf[0] = '\0';
    f = fopen(path, "r");
    if (f) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
    }
    return buf;
}

static void test_sysfs_resource(void)
{
    static const char zero[] = "0x0000000000000000 0x0000000000000000 "
                               "0x0000000000000000\n";
    static const struct {
        const char *bdf;
        const char *bar0, *bar2;
    } want[] = {
        { DEV_A, "0x00060100c0020000 0x00060100c0023fff 0x0000000000040200\n",
          "0x0006018000080000 0x000601800008ffff 0x000000000014220c\n" },
        { DEV_B, "0x00060100c0040000 0x00060100c0043fff 0x0000000000040200\n",
          "0x0006018000100000 0x000601800010ffff 0x000000000014220c\n" },
        { DEV_C, "0x00060200c0020000 0x00060200c0023fff 0x0000000000040200\n",
          "0x0006028000080000 0x000602800008ffff 0x000000000014220c\n" },
        { DEV_H, "0x00060500c0024000 0x00060500c0027fff 0x0000000000040200\n",
          "0x0006058000090000 0x000605800009ffff 0x000000000014220c\n" },
    };
    const char *all[] = { DEV_A, DEV_B, DEV_C, DEV_D, DEV_E, DEV_F, DEV_G,
                          DEV_H, DEV_I, DEV_J, DEV_K, DEV_L, DEV_M, DEV_N,
                          DEV_O };
    char expect[2048];
    size_t i;
    int good = 0, j;

    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int n = xsnprintf(expect, sizeof(expect), "%s%s%s", want[i].bar0,
                          zero, want[i].bar2);

        for (j = 3; j < 13; j++) {
            n += xsnprintf(expect + n, sizeof(expect) - n, "%s", zero);
        }
        good += !strcmp(resource_file(want[i].bdf), expect);
    }
    ok(good == 4, "sysfs resource: 13 lines; BAR0 mem32 at the host "
       "address, BAR2 mem64 prefetchable, everything else zero");
    for (i = 0, good = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        const char *r = resource_file(all[i]);

        good += strlen(r) == 13 * strlen(zero) &&
                !strncmp(r, "0x0006", 6);
    }
    ok(good == (int)(sizeof(all) / sizeof(all[0])),
       "sysfs resource: written for every device");
}

static void test_sysfs(void)
{
    const char *devs[] = { DEV_A, DEV_B, DEV_C, DEV_D, DEV_E, DEV_F };
    const int groups[] = { 42, 43, 44, 45, 46, 47 };
    char path[PATH_MAX], target[128], want[64];
    int i, good = 0;

    for (i = 0; i < 6; i++) {
        ssize_t n;

        xsnprintf(path, sizeof(path), "%s/sys/devices/%s/iommu_group", dir,
                 devs[i]);
        n = readlink(path, target, sizeof(target) - 1);
        if (n < 0) {
            continue;
        }
        target[n] = '\0';
        xsnprintf(want, sizeof(want), "../../kernel/iommu_groups/%d",
                 groups[i]);
        good += !strcmp(target, want);
    }
    ok(good == 6, "sysfs: iommu_group symlinks for all 6 devices");
    xsnprintf(path, sizeof(path), "%s/sys/devices/%s/iommu_group/.", dir,
             DEV_A);
    ok(access(path, F_OK) == 0, "sysfs: iommu_group link resolves");
    test_sysfs_resource();
}

static void test_open(int *g42)
{
    int fd;

    fd = open("/dev/vfio/99", O_RDWR);
    ok(fd < 0 && errno == ENOENT, "open unknown group -> ENOENT");
    fd = open("/dev/vfio/4x", O_RDWR);
    ok(fd < 0 && errno == ENOENT, "open bad group name -> ENOENT");
    *g42 = open_group(42);
    ok(*g42 >= 0, "open /dev/vfio/42");
    fd = open_group(42);
    ok(fd < 0 && errno == EBUSY, "second open of group -> EBUSY");
    fd = openat(AT_FDCWD, "/dev/vfio/42", O_RDWR);
    ok(fd < 0 && errno == EBUSY, "openat is intercepted too");
}

static void test_container_basic(int *c1, int g42)
{
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    struct vfio_eeh_pe_op op = { .argsz = sizeof(op), .op = 4 };
    int c;

    c = new_container();
    *c1 = c;
    ok(c >= 0, "open /dev/vfio/vfio");
    ok(ctl_connect() == 0, "control socket bound on first /dev/vfio open");
    ok(ioc_int(c, VFIO_GET_API_VERSION, 0) == VFIO_API_VERSION,
       "GET_API_VERSION = 0");
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 0 &&
       ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) == 0,
       "CHECK_EXTENSION TYPE1/TYPE1v2 = 0");
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) == 1,
       "CHECK_EXTENSION SPAPR_TCE_v2 = 1");
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_IOMMU) == 1,
       "CHECK_EXTENSION SPAPR_TCE = 1");
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_EEH) == 1,
       "CHECK_EXTENSION VFIO_EEH = 1");
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU) == 0,
       "CHECK_EXTENSION DMA_CC = 0");
    ok(ioc(c, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == -EINVAL,
       "TCE_GET_INFO without IOMMU -> EINVAL");
    ok(ioc(c, VFIO_EEH_PE_OP, &op) == -EINVAL,
       "EEH_PE_OP without IOMMU -> EINVAL");
    ok(ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) == -EINVAL,
       "SET_IOMMU without groups -> EINVAL");
    (void)g42;
}

static void test_group(int c1, int g42, int *g43)
{
    struct vfio_group_status st = { .argsz = 4 };
    int g46, nul, bad = -1;

    ok(ioc(g42, VFIO_GROUP_GET_STATUS, &st) == -EINVAL,
       "GROUP_GET_STATUS argsz 4 -> EINVAL");
    st.argsz = sizeof(st);
    ok(ioc(g42, VFIO_GROUP_GET_STATUS, &st) == 0 &&
       st.flags == VFIO_GROUP_FLAGS_VIABLE, "GET_STATUS: viable, no container");
    g46 = open_group(46);
    st.flags = 0xff;
    ok(ioc(g46, VFIO_GROUP_GET_STATUS, &st) == 0 && st.flags == 0,
       "GET_STATUS of group with a host driver: not viable");
    ok(set_container(g46, c1) == -EBUSY, "SET_CONTAINER non-viable -> EBUSY");
    close(g46);
    ok(ioc(g42, VFIO_GROUP_SET_CONTAINER, &bad) == -EBADF,
       "SET_CONTAINER bad fd -> EBADF");
    nul = open("/dev/null", O_RDWR);
    ok(set_container(g42, nul) == -EBADFD,
       "SET_CONTAINER non-container fd -> EBADFD");
    close(nul);
    ok(get_dev(g42, DEV_A) == -EINVAL, "GET_DEVICE_FD w/o container -> EINVAL");
    ok(set_container(g42, c1) == 0, "SET_CONTAINER");
    ok(ioc(g42, VFIO_GROUP_GET_STATUS, &st) == 0 &&
       st.flags == (VFIO_GROUP_FLAGS_VIABLE | VFIO_GROUP_FLAGS_CONTAINER_SET),
       "GET_STATUS: viable + container set");
    ok(set_container(g42, c1) == -EINVAL, "SET_CONTAINER twice -> EINVAL");
    ok(get_dev(g42, DEV_A) == -EINVAL, "GET_DEVICE_FD w/o IOMMU -> EINVAL");
    ok(ioc_int(c1, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) == -ENODEV,
       "SET_IOMMU TYPE1v2 -> ENODEV");
    ok(ioc_int(c1, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) == 0,
       "SET_IOMMU SPAPR_TCE_v2");
    ok(ioc_int(c1, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) == -EINVAL,
       "SET_IOMMU twice -> EINVAL");
    *g43 = open_group(43);
    ok(set_container(*g43, c1) == 0,
       "second group joins a container that has an IOMMU (v2)");
    ok(ioc(*g43, VFIO_GROUP_UNSET_CONTAINER, NULL) == 0,
       "UNSET_CONTAINER of second group");
    ok(ioc(*g43, VFIO_GROUP_UNSET_CONTAINER, NULL) == -EINVAL,
       "UNSET_CONTAINER without container -> EINVAL");
    ok(ioc_int(g42, 0x3b00 + 99, 0) == -ENOTTY,
       "unknown group ioctl -> ENOTTY");
}

static void *mem;
static const size_t mem_size = 4 << 20;

static void test_iommu(int c1)
{
    struct vfio_iommu_spapr_tce_info info;
    struct vfio_iommu_spapr_register_memory rm;
    struct vfio_iommu_spapr_tce_create cr;
    struct vfio_iommu_type1_dma_map mp;
    struct vfio_iommu_type1_dma_unmap um;
    uint8_t *raw;
    uint64_t start = 1;
    uint64_t seq;
    char *log;
    int i;

    raw = mmap(NULL, mem_size + (1 << 20), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mem = (void *)(((uintptr_t)raw + (1 << 20) - 1) & ~(uintptr_t)0xfffff);

    memset(&info, 0xa5, sizeof(info));
    info.argsz = 8;
    ok(ioc(c1, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == -EINVAL,
       "TCE_GET_INFO argsz 8 -> EINVAL");
    info.argsz = 16;
    ok(ioc(c1, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == 0 &&
       info.dma32_window_size == 0x80000000u &&
       info.ddw.pgsizes == 0xa5a5a5a5a5a5a5a5ULL,
       "TCE_GET_INFO argsz 16 fills no ddw");
    info.argsz = sizeof(info);
    ok(ioc(c1, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == 0 &&
       info.flags == VFIO_IOMMU_SPAPR_INFO_DDW &&
       info.dma32_window_start == 0 && info.ddw.pgsizes == 0x1011000 &&
       info.ddw.max_dynamic_windows_supported == 2 && info.ddw.levels == 5,
       "TCE_GET_INFO argsz 32: DDW, 4K|64K|16M, 2 windows, 5 levels");

    ok(map(c1, 0, mem, 4096, 3) == -EPERM, "MAP_DMA before prereg -> EPERM");
    ok(unmap(c1, 0, 4096) == -EPERM, "UNMAP_DMA before prereg -> EPERM");

    rm = (struct vfio_iommu_spapr_register_memory) {
        .argsz = 16, .vaddr = (uintptr_t)mem, .size = mem_size,
    };
    ok(ioc(c1, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &rm) == -EINVAL,
       "REGISTER_MEMORY argsz 16 -> EINVAL");
    rm.argsz = sizeof(rm);
    rm.flags = 1;
    ok(ioc(c1, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &rm) == -EINVAL,
       "REGISTER_MEMORY flags -> EINVAL");
    ok(reg_mem(c1, (char *)mem + 1, 4096, true) == -EINVAL,
       "REGISTER_MEMORY unaligned -> EINVAL");
    ok(reg_mem(c1, mem, mem_size, true) == 0, "REGISTER_MEMORY");
    ok(reg_mem(c1, mem, mem_size, true) == -EBUSY,
       "REGISTER_MEMORY same region twice -> EBUSY");
    ok(reg_mem(c1, (char *)mem + 4096, 4096, true) == -EINVAL,
       "REGISTER_MEMORY overlapping -> EINVAL");

    ok(remove_win(c1, 0) == 0 && state_has(42, "windows=0"),
       "TCE_REMOVE of the pending default window");
    ok(map(c1, 0, mem, 4096, 3) == -ENXIO, "MAP_DMA outside windows -> ENXIO");
    ok(remove_win(c1, 0) == -EINVAL, "TCE_REMOVE of no window -> EINVAL");

    cr = (struct vfio_iommu_spapr_tce_create) {
        .argsz = 32, .page_shift = 12, .window_size = 1 << 30, .levels = 1,
    };
    ok(ioc(c1, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr) == -EINVAL,
       "TCE_CREATE argsz 32 -> EINVAL");
    cr.argsz = sizeof(cr);
    cr.flags = 1;
    ok(ioc(c1, VFIO_IOMMU_SPAPR_TCE_CREATE, &cr) == -EINVAL,
       "TCE_CREATE flags -> EINVAL");
    ok(create_win(c1, 13, 1 << 30, 1, NULL) == -EINVAL,
       "TCE_CREATE page shift not in pgsizes -> EINVAL");
    ok(create_win(c1, 12, 1 << 30, 0, NULL) == -EINVAL &&
       create_win(c1, 12, 1 << 30, 6, NULL) == -EINVAL,
       "TCE_CREATE levels 0 or 6 -> EINVAL");
    ok(create_win(c1, 12, 3 << 29, 1, NULL) == -EINVAL,
       "TCE_CREATE size not a power of 2 -> EINVAL");
    ok(create_win(c1, 12, 1ULL << 60, 1, NULL) == -EINVAL,
       "TCE_CREATE table too big for the levels -> EINVAL");
    ok(create_win(c1, 12, 1 << 30, 1, &start) == 0 && start == 0,
       "TCE_CREATE window 0 starts at 0");
    ok(create_win(c1, 16, 1ULL << 32, 2, &start) == 0 && start == DDW_BASE,
       "TCE_CREATE window 1 starts at 1<<59");
    ok(create_win(c1, 12, 1 << 30, 1, NULL) == -ENOSPC,
       "TCE_CREATE third window -> ENOSPC");
    ok(state_has(42, "windows=2"), "state reports 2 windows");

    mp = (struct vfio_iommu_type1_dma_map) {
        .argsz = 24, .flags = 3, .vaddr = (uintptr_t)mem, .size = 4096,
    };
    ok(ioc(c1, VFIO_IOMMU_MAP_DMA, &mp) == -EINVAL,
       "MAP_DMA argsz 24 -> EINVAL");
    ok(map(c1, 0, mem, 4096, 4) == -EINVAL, "MAP_DMA unknown flag -> EINVAL");
    ok(map(c1, 0, mem, 4096, 0) == -EINVAL, "MAP_DMA no direction -> EINVAL");
    ok(map(c1, 1ULL << 40, mem, 4096, 3) == -ENXIO,
       "MAP_DMA iova in no window -> ENXIO");
    ok(map(c1, 0, (char *)mem + 8, 4096, 3) == -EINVAL,
       "MAP_DMA unaligned vaddr -> EINVAL");
    ok(map(c1, 0, mem, 100, 3) == -EINVAL, "MAP_DMA unaligned size -> EINVAL");
    ok(map(c1, 0x800, mem, 4096, 3) == -EINVAL,
       "MAP_DMA unaligned iova -> EINVAL");
    ok(map(c1, 0, (char *)mem + mem_size, 4096, 3) == -EINVAL,
       "MAP_DMA of memory not preregistered -> EINVAL");
    ok(map(c1, (1 << 30) - 4096, mem, 8192, 3) == -EINVAL,
       "MAP_DMA crossing the window end -> EINVAL");
    ok(map(c1, 0x1000, mem, 4 * 4096, 3) == 0 && state_has(42, "maps=4"),
       "MAP_DMA 4 pages");
    ok(map(c1, 0x1000, (char *)mem + 4096, 4096, 1) == 0 &&
       state_has(42, "maps=4"), "MAP_DMA over a mapped TCE replaces it");
    ok(map(c1, DDW_BASE, (char *)mem + 4096, 65536, 3) == -EINVAL,
       "MAP_DMA 64K page with 4K aligned vaddr -> EINVAL");
    ok(map(c1, DDW_BASE + 65536, mem, 2 * 65536, 3) == 0 &&
       state_has(42, "maps=6"), "MAP_DMA 2 x 64K pages in the DDW");
    ok(reg_mem(c1, mem, mem_size, false) == -EBUSY,
       "UNREGISTER_MEMORY while mapped -> EBUSY");
    ok(reg_mem(c1, mem, 8192, false) == -ENOENT,
       "UNREGISTER_MEMORY of unknown region -> ENOENT");

    um = (struct vfio_iommu_type1_dma_unmap) {
        .argsz = sizeof(um), .flags = 1, .iova = 0x1000, .size = 4096,
    };
    ok(ioc(c1, VFIO_IOMMU_UNMAP_DMA, &um) == -EINVAL,
       "UNMAP_DMA flags -> EINVAL");
    um.argsz = 16;
    um.flags = 0;
    ok(ioc(c1, VFIO_IOMMU_UNMAP_DMA, &um) == -EINVAL,
       "UNMAP_DMA argsz 16 -> EINVAL");
    ok(unmap(c1, 0x1000, 100) == -EINVAL, "UNMAP_DMA unaligned -> EINVAL");
    ok(unmap(c1, 1ULL << 40, 4096) == -ENXIO, "UNMAP_DMA no window -> ENXIO");
    ok(unmap(c1, 0, 2ULL << 30) == -EINVAL,
       "UNMAP_DMA beyond the window -> EINVAL");

    seq = log_next();
    for (i = 0; i < 10; i++) {
        unmap(c1, 0x1000 + i * 4096, 4096);
    }
    ok(state_has(42, "maps=2"), "UNMAP_DMA clears the 4K TCEs");
    log = log_since(seq);
    ok(strstr(log, "VFIO_IOMMU_UNMAP_DMA x10 iova=0x1000..0xa000 = 0") != NULL,
       "a run of UNMAP_DMA is logged as one line");
    ctl_ok("option log_dma=1");
    seq = log_next();
    unmap(c1, 0x1000, 4096);
    unmap(c1, 0x2000, 4096);
    log = log_since(seq);
    ok(strstr(log, "UNMAP_DMA iova=0x1000 size=0x1000 = 0") &&
       strstr(log, "UNMAP_DMA iova=0x2000 size=0x1000 = 0"),
       "option log_dma=1 logs every UNMAP_DMA");
    ctl_ok("option log_dma=0");

    ok(remove_win(c1, DDW_BASE + 0x100000) == 0 && state_has(42, "maps=0") &&
       state_has(42, "windows=1"), "TCE_REMOVE clears the window's TCEs");
    ok(reg_mem(c1, mem, mem_size, false) == 0, "UNREGISTER_MEMORY");
    ok(reg_mem(c1, mem, mem_size, false) == -ENOENT,
       "UNREGISTER_MEMORY twice -> ENOENT");
    ok(ioc_int(c1, VFIO_IOMMU_ENABLE, 0) == -ENOTTY,
       "IOMMU_ENABLE on v2 -> ENOTTY");
    ok(reg_mem(c1, mem, mem_size, true) == 0, "REGISTER_MEMORY again");
}

static int run_cli(const char *input, const char *const *args, char *out,
                   size_t outlen);

/* tce-stats: the MAP_DMA/UNMAP_DMA counters of group 42's container */
static bool tce_stats_has(const char *needle)
{
    char out[1024];

    return ctl("tce-stats group=42", out, sizeof(out), NULL, 0) == 0 &&
           strstr(out, needle) != NULL;
}

static void test_tce_stats(int c1)
{
    char out[1024], last[256];
    const char *a_check[] = { "-s", ctl_path, "tce-stats", "check", NULL };
    uint64_t seq;
    char *log;

    /* test_iommu mapped over the TCE at 0x1000 once */
    ok(tce_stats_has(" map_live=1 map_live_iova=0x1000 ") &&
       tce_stats_has(" maps=0"),
       "tce-stats counts test_iommu's MAP_DMA over a mapped TCE");
    ok(ctl("tce-stats check", out, sizeof(out), last, sizeof(last)) == 1 &&
       strstr(last, "ERR MAP_DMA over a mapped TCE: 1 TCEs, last "
              "iova=0x1000"), "tce-stats check: ERR after a MAP over a TCE");
    ok(run_cli(NULL, a_check, out, sizeof(out)) == 1 &&
       strstr(out, "map_live=1"), "CLI: tce-stats check exits 1");
    seq = log_next();
    ok(ctl("tce-stats reset", out, sizeof(out), NULL, 0) == 0 &&
       strstr(out, "group=42 container=") && strstr(out, "map_live=1"),
       "tce-stats reset prints the counters before clearing them");
    ok(tce_stats_has(" map_dma=0 map_err=0 map_pages=0 map_live=0 "
                     "map_live_iova=0x0 unmap_dma=0 unmap_err=0 "
                     "unmap_pages=0 unmap_empty=0 maps=0"),
       "tce-stats after reset: all zero");
    log = log_since(seq);
    ok(strstr(log, "CTRL tce-stats reset") &&
       !strstr(log, "CTRL tce-stats group=42"),
       "tce-stats is logged only with reset");

    ok(map(c1, 0x10000, mem, 4 * 4096, 3) == 0 &&
       map(c1, 0x20000, mem, 4096, 1) == 0 &&
       tce_stats_has(" map_dma=2 map_err=0 map_pages=5 map_live=0 "),
       "tce-stats: MAP_DMA calls and pages");
    ok(ctl_ok("tce-stats check") == 0, "tce-stats check: OK without a MAP "
       "over a mapped TCE");
    ok(map(c1, 1ULL << 40, mem, 4096, 3) == -ENXIO &&
       tce_stats_has(" map_dma=3 map_err=1 map_pages=5 "),
       "tce-stats: a failed MAP_DMA is counted in map_err");
    ok(unmap(c1, 0x10000, 2 * 4096) == 0 &&
       tce_stats_has(" unmap_dma=1 unmap_err=0 unmap_pages=2 "
                     "unmap_empty=0 maps=3"),
       "tce-stats: UNMAP_DMA of 2 mapped TCEs");
    ok(unmap(c1, 0x10000, 4096) == 0 &&
       tce_stats_has(" unmap_dma=2 unmap_err=0 unmap_pages=2 "
                     "unmap_empty=1 maps=3"),
       "tce-stats: UNMAP_DMA of nothing mapped succeeds, counted as empty");
    ok(unmap(c1, 0x10000, 100) == -EINVAL &&
       tce_stats_has(" unmap_dma=3 unmap_err=1 unmap_pages=2 unmap_empty=1 "),
       "tce-stats: a failed UNMAP_DMA is counted in unmap_err only");
    ctl_ok("fail VFIO_IOMMU_UNMAP_DMA EIO");
    ok(unmap(c1, 0x12000, 4096) == -EIO &&
       tce_stats_has(" unmap_dma=4 unmap_err=2 unmap_pages=2 ") &&
       tce_stats_has(" maps=3"),
       "tce-stats: an injected UNMAP_DMA failure is counted, maps kept");
    /* the whole 1 GiB window in one call: the table walk path */
    ok(unmap(c1, 0, 1 << 30) == 0 &&
       tce_stats_has(" unmap_dma=5 unmap_err=2 unmap_pages=5 unmap_empty=1 "
                     "maps=0"),
       "tce-stats: one UNMAP_DMA of the whole window counts its 3 TCEs");
    ok(map(c1, 0x30000, mem, 4096, 3) == 0 &&
       map(c1, 0x30000, (char *)mem + 4096, 4096, 3) == 0 &&
       tce_stats_has(" map_live=1 map_live_iova=0x30000 ") &&
       tce_stats_has(" maps=1"),
       "tce-stats: MAP_DMA over a mapped TCE still replaces it, counted");
    ok(unmap(c1, 0x30000, 4096) == 0 && ctl_ok("tce-stats reset") == 0 &&
       ctl_ok("tce-stats check") == 0 && state_has(42, "maps=0"),
       "tce-stats reset clears map_live");
    ok(ctl("tce-stats group=99", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "no such group"), "tce-stats of an unknown group -> ERR");
    ok(ctl("tce-stats group=42 bogus", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "bad argument"), "tce-stats with a bad argument -> ERR");
}

static void test_device_fd(int g42, int *dev)
{
    ok(get_dev(g42, "0001:00:09.0") == -ENODEV,
       "GET_DEVICE_FD unknown name -> ENODEV");
    ok(get_dev(g42, DEV_B) == -ENODEV,
       "GET_DEVICE_FD device of another group -> ENODEV");
    ok(get_dev(g42, DEV_A " vf_token=2ab74924-c335-45f4-9b16-8569e5b08258")
       == -EINVAL, "GET_DEVICE_FD with vf_token on a non-SR-IOV dev -> EINVAL");
    *dev = get_dev(g42, DEV_A);
    ok(*dev >= 0 && fcntl(*dev, F_GETFD) == FD_CLOEXEC,
       "GET_DEVICE_FD returns a new close-on-exec fd");
}

static void test_device_info(int dev)
{
    struct vfio_device_info di = { .argsz = 8 };
    struct vfio_region_info ri;
    struct vfio_irq_info ii;
    static const struct {
        uint32_t index;
        uint64_t size;
        uint32_t flags;
    } regions[] = {
        { 0, 0x4000, 3 }, { 1, 0, 0 }, { 2, 0x10000, 3 }, { 3, 0, 0 },
        { 4, 0, 0 }, { 5, 0, 0 }, { 6, 0, 0 }, { 7, 4096, 3 },
    };
    static const struct {
        uint32_t index;
        uint32_t count;
        uint32_t flags;
    } irqs[] = {
        { 0, 1, 0x7 }, { 1, 4, 0x9 }, { 2, 0, 0x9 }, { 3, 1, 0x9 },
        { 4, 1, 0x1 },
    };
    size_t i;
    int good;

    ok(ioc(dev, VFIO_DEVICE_GET_INFO, &di) == -EINVAL,
       "DEVICE_GET_INFO argsz 8 -> EINVAL");
    di.argsz = sizeof(di);
    ok(ioc(dev, VFIO_DEVICE_GET_INFO, &di) == 0 &&
       di.flags == (VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET) &&
       di.num_regions == 9 && di.num_irqs == 5,
       "DEVICE_GET_INFO: PCI|RESET, 9 regions, 5 irqs");

    ri = (struct vfio_region_info) { .argsz = 16, .index = 0 };
    ok(ioc(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) == -EINVAL,
       "GET_REGION_INFO argsz 16 -> EINVAL");
    good = 0;
    for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        ri = (struct vfio_region_info) {
            .argsz = sizeof(ri), .index = regions[i].index,
        };
        if (ioc(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) == 0 &&
            ri.size == regions[i].size && ri.flags == regions[i].flags &&
            ri.offset == (uint64_t)regions[i].index << 40) {
            good++;
        }
    }
    ok(good == 8, "GET_REGION_INFO 0..7: sizes, R|W, no MMAP, index<<40");
    ri = (struct vfio_region_info) { .argsz = sizeof(ri), .index = 8 };
    ok(ioc(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) == -EINVAL,
       "GET_REGION_INFO VGA -> EINVAL");
    ri.index = 9;
    ok(ioc(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) == -EINVAL,
       "GET_REGION_INFO index 9 -> EINVAL");

    ii = (struct vfio_irq_info) { .argsz = 8 };
    ok(ioc(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) == -EINVAL,
       "GET_IRQ_INFO argsz 8 -> EINVAL");
    good = 0;
    for (i = 0; i < sizeof(irqs) / sizeof(irqs[0]); i++) {
        ii = (struct vfio_irq_info) { .argsz = sizeof(ii),
                                      .index = irqs[i].index };
        if (ioc(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) == 0 &&
            ii.count == irqs[i].count && ii.flags == irqs[i].flags) {
            good++;
        }
    }
    ok(good == 5, "GET_IRQ_INFO: INTx 1 maskable, MSI 4, MSI-X 0, ERR, REQ");
    ii = (struct vfio_irq_info) { .argsz = sizeof(ii), .index = 5 };
    ok(ioc(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) == -EINVAL,
       "GET_IRQ_INFO index 5 -> EINVAL");
    ok(ioc_int(dev, 0x3b00 + 99, 0) == -ENOTTY,
       "unknown device ioctl -> ENOTTY");
}

static void test_config(int dev, int devb)
{
    uint8_t cfg[4096];
    uint32_t v;
    int pos, n = 0, caps = 0;

    ok(pread(dev, cfg, sizeof(cfg), CFG_OFF) == 4096,
       "config space: 4096 byte read");
    ok(cfg[0] == 0x36 && cfg[1] == 0x1b && cfg[2] == 0x05 && cfg[3] == 0x00,
       "config: vendor 1b36 device 0005");
    ok(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST && cfg[PCI_INTERRUPT_PIN] == 1,
       "config: capability list, INTA");
    for (pos = cfg[PCI_CAPABILITY_LIST]; pos && n++ < 8;
         pos = cfg[pos + 1]) {
        caps = caps * 0x100 + cfg[pos];
    }
    ok(caps == 0x010510, "config: caps PM -> MSI -> PCIe");
    ok((cfg[0x72] >> 4) == PCI_EXP_TYPE_ENDPOINT &&
       (*(uint32_t *)&cfg[0x74] & PCI_EXP_DEVCAP_FLR) &&
       (cfg[0x44] & PCI_PM_CTRL_NO_SOFT_RESET),
       "config: PCIe endpoint with FLR, PM NoSoftReset");
    ok(*(uint32_t *)&cfg[0x100] == 0x00020001,
       "config: AER ext cap v2 at 0x100");
    ok(cfg_get(devb, 0x74, 4) == 0x00008021 &&
       !(cfg_get(devb, 0x44, 2) & PCI_PM_CTRL_NO_SOFT_RESET),
       "config: flr=0 device has no FLR and does PM reset");

    cfg_wr(dev, 0x10, 4, 0xffffffff);
    cfg_wr(dev, 0x14, 4, 0xffffffff);
    cfg_wr(dev, 0x18, 4, 0xffffffff);
    cfg_wr(dev, 0x1c, 4, 0xffffffff);
    ok(cfg_get(dev, 0x10, 4) == 0xffffc000, "BAR0 sizing: 16K mem32");
    ok(cfg_get(dev, 0x14, 4) == 0, "BAR1 unused reads 0");
    ok(cfg_get(dev, 0x18, 4) == 0xffff000c &&
       cfg_get(dev, 0x1c, 4) == 0xffffffff, "BAR2/3 sizing: 64K mem64 pref");
    cfg_wr(dev, 0x30, 4, 0xfffff800);
    ok(cfg_get(dev, 0x30, 4) == 0, "no ROM: sizing reads 0");
    cfg_wr(dev, 0x10, 4, 0x12345678);
    ok(cfg_get(dev, 0x10, 4) == 0x12344000, "BAR0 keeps address bits only");
    cfg_wr(dev, 0x0, 4, 0);
    ok(cfg_get(dev, 0, 4) == 0x00051b36, "vendor/device are read-only");
    cfg_wr(dev, PCI_COMMAND, 2, 0xffff);
    ok(cfg_get(dev, PCI_COMMAND, 2) == 0x0547, "COMMAND write mask 0x0547");
    cfg_wr(dev, 0x3c, 1, 0x5a);
    cfg_wr(dev, 0x3d, 1, 0x00);
    ok(cfg_get(dev, 0x3c, 2) == 0x015a, "interrupt line RW, pin RO");
    cfg_wr(dev, 0x108, 4, 0xffffffff);
    ok(cfg_get(dev, 0x108, 4) == 0x03fff030, "AER UE mask write mask");
    cfg_wr(dev, 0x108, 4, 0);
    ctl_ok("freeze group=42 aer=UE:0x4000 aer=CE:0x1 hdr=1,2,3,4");
    ctl_ok("thaw group=42");
    ok(cfg_get(dev, 0x104, 4) == 0x4000 && cfg_get(dev, 0x110, 4) == 0x1 &&
       cfg_get(dev, 0x11c, 4) == 1 && cfg_get(dev, 0x128, 4) == 4,
       "freeze aer=...: UE/CE status and header log set");
    ok((cfg_get(dev, 0x7a, 2) & 0x3) == 0x3 &&
       (cfg_get(dev, 0x118, 4) & 0x1f) == 14,
       "AER injection sets DEVSTA and the first error pointer");
    cfg_wr(dev, 0x104, 4, 0x4000);
    cfg_wr(dev, 0x110, 4, 0x1);
    cfg_wr(dev, 0x7a, 2, 0xf);
    ok(cfg_get(dev, 0x104, 4) == 0 && cfg_get(dev, 0x110, 4) == 0 &&
       (cfg_get(dev, 0x7a, 2) & 0xf) == 0, "AER status and DEVSTA are RW1C");
    ok(cfg_rd(dev, 4096, 4, &v) == -EFAULT,
       "config read beyond 4096 -> EFAULT");
    ok(pread(dev, &v, 4, 6ULL << 40) < 0 && errno == EINVAL,
       "ROM region read -> EINVAL");
    ok(pread(dev, &v, 4, 1ULL << 40) < 0 && errno == EINVAL,
       "empty BAR1 region read -> EINVAL");
    ok(pread(dev, &v, 4, 9ULL << 40) < 0 && errno == EINVAL,
       "region 9 read -> EINVAL");
}

static void test_bar(int dev)
{
    uint32_t v;
    uint8_t buf[16];

    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    ok(bar_get(dev, 0) == 0x00051b36, "BAR0 dword 0: ID register");
    ok(bar_wr(dev, 0x10, 0xcafe) == 4 && bar_get(dev, 0x10) == 0xcafe,
       "BAR0 scratch write/read");
    bar_wr(dev, 0, 0);
    ok(bar_get(dev, 0) == 0x00051b36, "BAR0 ID register is read-only");
    ok(pwrite(dev, "\x11\x22", 2, BAR2_OFF + 0x20) == 2 &&
       pread(dev, buf, 2, BAR2_OFF + 0x20) == 2 && buf[1] == 0x22,
       "BAR2 2-byte access");
    ok(bar_rd(dev, 0x4000, 4, &v) == -EINVAL, "BAR0 read past end -> EINVAL");
    ok(pread(dev, buf, 16, BAR0_OFF + 0x3ff8) == 8,
       "BAR0 read straddling the end is short");
    cfg_wr(dev, PCI_COMMAND, 2, 0);
    ok(bar_rd(dev, 0x10, 4, &v) == -EIO, "BAR read with MEM off -> EIO");
    ctl_ok("option bar_needs_mem=0");
    ok(bar_rd(dev, 0x10, 4, &v) == 4 && v == 0xcafe,
       "option bar_needs_mem=0 allows it");
    ctl_ok("option bar_needs_mem=1");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    cfg_wr(dev, 0x44, 2, 3);
    ok(bar_rd(dev, 0x10, 4, &v) == -EIO, "BAR read in D3hot -> EIO");
    cfg_wr(dev, 0x44, 2, 0);
}

static void test_resets(int dev, int devb, int g42, int g43, int c1)
{
    HotResetInfo hi;
    HotReset hr;

    bar_wr(dev, 0x10, 0x1234);
    cfg_wr(dev, 0x10, 4, 0xabcd0000);
    ok(ioc(dev, VFIO_DEVICE_RESET, NULL) == 0 && bar_get(dev, 0x10) == 0 &&
       cfg_get(dev, 0x10, 4) == 0xabcd0000,
       "DEVICE_RESET clears device state, config is restored");
    bar_wr(dev, 0x10, 0x1234);
    cfg_wr(dev, 0x78, 2, 0x2000 | PCI_EXP_DEVCTL_BCR_FLR);
    ok(bar_get(dev, 0x10) == 0 && !(cfg_get(dev, 0x78, 2) & 0x8000),
       "DEVCTL initiate-FLR resets the function");
    cfg_wr(devb, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    bar_wr(devb, 0x10, 0x77);
    cfg_wr(devb, 0x78, 2, 0x2000 | PCI_EXP_DEVCTL_BCR_FLR);
    ok(bar_get(devb, 0x10) == 0x77, "DEVCTL FLR ignored without FLR cap");

    memset(&hi, 0, sizeof(hi));
    hi.argsz = 8;
    ok(ioc(dev, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hi) == -EINVAL,
       "HOT_RESET_INFO argsz 8 -> EINVAL");
    hi.argsz = HRI_HDR;
    ok(ioc(dev, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hi) == -ENOSPC &&
       hi.count == 2, "HOT_RESET_INFO argsz 12 -> ENOSPC with count 2");
    hi.argsz = sizeof(hi);
    ok(ioc(dev, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &hi) == 0 &&
       hi.count == 2 && hi.d[0].group_id == 42 && hi.d[1].group_id == 43 &&
       hi.d[1].segment == 1 && hi.d[1].bus == 0 && hi.d[1].devfn == 0x10,
       "HOT_RESET_INFO lists both devices on bus 0001:00");

    memset(&hr, 0, sizeof(hr));
    hr.argsz = HR_HDR;
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == -EINVAL,
       "PCI_HOT_RESET with no groups -> EINVAL");
    hr.argsz = HR_HDR + 4;
    hr.count = 1;
    hr.fds[0] = g42;
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == -EINVAL,
       "PCI_HOT_RESET missing an affected group -> EINVAL");
    hr.argsz = HR_HDR + 8;
    hr.count = 2;
    hr.fds[1] = c1;
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == -EINVAL,
       "PCI_HOT_RESET with a non-group fd -> EINVAL");
    hr.flags = 1;
    hr.fds[1] = g43;
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == -EINVAL,
       "PCI_HOT_RESET flags -> EINVAL");
    hr.flags = 0;
    hr.count = 3;
    hr.argsz = HR_HDR + 12;
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == -EINVAL,
       "PCI_HOT_RESET more groups than devices -> EINVAL");
    hr.count = 2;
    hr.argsz = HR_HDR + 8;
    bar_wr(dev, 0x10, 0x1234);
    ok(ioc(dev, VFIO_DEVICE_PCI_HOT_RESET, &hr) == 0 &&
       bar_get(dev, 0x10) == 0 && bar_get(devb, 0x10) == 0,
       "PCI_HOT_RESET resets every device on the bus");
}

static void test_feature(int dev)
{
    struct vfio_device_feature f = {
        .argsz = sizeof(f),
        .flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION,
    };

    ok(ioc(dev, VFIO_DEVICE_FEATURE, &f) == -ENOTTY,
       "DEVICE_FEATURE GET MIGRATION -> ENOTTY");
    f.flags |= VFIO_DEVICE_FEATURE_SET;
    ok(ioc(dev, VFIO_DEVICE_FEATURE, &f) == -EINVAL,
       "DEVICE_FEATURE GET|SET -> EINVAL");
    f.argsz = 4;
    ok(ioc(dev, VFIO_DEVICE_FEATURE, &f) == -EINVAL,
       "DEVICE_FEATURE argsz 4 -> EINVAL");
}

static void test_irqs(int dev)
{
    const uint32_t eventfd_trigger = VFIO_IRQ_SET_DATA_EVENTFD |
                                     VFIO_IRQ_SET_ACTION_TRIGGER;
    const uint32_t none_trigger = VFIO_IRQ_SET_DATA_NONE |
                                  VFIO_IRQ_SET_ACTION_TRIGGER;
    int e1 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int e2[4], e3, x, i, p[2];
    int32_t fds[4];
    char last[128];
    IrqSet bad;
    int got;

    memset(&bad, 0, sizeof(bad));
    bad.argsz = 16;
    ok(ioc(dev, VFIO_DEVICE_SET_IRQS, &bad) == -EINVAL,
       "SET_IRQS argsz 16 -> EINVAL");
    ok(set_irqs(dev, eventfd_trigger, 5, 0, 1, &e1) == -EINVAL,
       "SET_IRQS index 5 -> EINVAL");
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_MSIX_IRQ_INDEX, 0, 1, &e1)
       == -EINVAL, "SET_IRQS on MSI-X (count 0) -> EINVAL");
    ok(set_irqs(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |
                VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, NULL) == -EINVAL,
       "SET_IRQS with two data types -> EINVAL");
    bad.argsz = IRQ_SET_HDR;
    bad.flags = eventfd_trigger;
    bad.count = 1;
    ok(ioc(dev, VFIO_DEVICE_SET_IRQS, &bad) == -EINVAL,
       "SET_IRQS eventfd data beyond argsz -> EINVAL");
    ok(ctl("signal intx", NULL, 0, last, sizeof(last)) == 1 &&
       !strcmp(last, "ERR no eventfd"), "signal before arming -> ERR");
    x = 9999;
    ok(set_irqs(dev, eventfd_trigger, 0, 0, 1, &x) == -EBADF,
       "SET_IRQS with a bad fd -> EBADF");
    if (pipe(p) == 0) {
        ok(set_irqs(dev, eventfd_trigger, 0, 0, 1, &p[0]) == -EINVAL,
           "SET_IRQS with a non-eventfd -> EINVAL");
        close(p[0]);
        close(p[1]);
    }

    ok(set_irqs(dev, eventfd_trigger, 0, 0, 1, &e1) == 0, "arm INTx");
    ok(ctl_ok("signal intx") == 0 && efd_read(e1) == 1,
       "signal intx writes the INTx eventfd");
    ok(ctl("signal intx", NULL, 0, last, sizeof(last)) == 0 &&
       strstr(last, "pending") && efd_read(e1) == 0,
       "INTx is automasked: a second signal stays pending");
    ok(set_irqs(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
                0, 0, 1, NULL) == 0 && efd_read(e1) == 1,
       "UNMASK delivers the pending INTx");
    set_irqs(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 0, 0,
             1, NULL);
    ok(set_irqs(dev, none_trigger, 0, 0, 1, NULL) == 0 && efd_read(e1) == 1,
       "INTx loopback trigger");
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 1, &e1) ==
       -EINVAL, "MSI enable while INTx is on -> EINVAL");
    ok(set_irqs(dev, none_trigger, 0, 0, 0, NULL) == 0 &&
       ctl_ok("signal intx") == 1, "INTx disable drops the eventfd");
    ok(set_irqs(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 0,
                0, 1, NULL) == -EINVAL, "UNMASK with INTx off -> EINVAL");

    for (i = 0; i < 4; i++) {
        e2[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        fds[i] = e2[i];
    }
    fds[2] = -1;
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 4, fds) == 0,
       "enable 4 MSI vectors (one unused)");
    got = 0;
    for (i = 0; i < 4; i++) {
        char cmd[32];

        xsnprintf(cmd, sizeof(cmd), "signal msi %d", i);
        if (i == 2) {
            got += ctl_ok("%s", cmd) == 1;
        } else {
            got += ctl_ok("%s", cmd) == 0 && efd_read(e2[i]) == 1;
        }
    }
    ok(got == 4, "every MSI vector is stored and signalable");
    ok(set_irqs(dev, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
                VFIO_PCI_MSI_IRQ_INDEX, 0, 1, NULL) == -ENOTTY,
       "MSI MASK -> ENOTTY");
    fds[0] = -1;
    fds[1] = e2[2];
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_MSI_IRQ_INDEX, 1, 1, &fds[1])
       == 0 && ctl_ok("signal msi 1") == 0 && efd_read(e2[2]) == 1,
       "MSI vector reassigned in place");
    ok(set_irqs(dev, none_trigger, VFIO_PCI_MSI_IRQ_INDEX, 0, 0, NULL) == 0 &&
       ctl_ok("signal msi 0") == 1, "MSI disable drops all vectors");

    e3 = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    x = dup(e3);
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &x) == 0,
       "arm ERR");
    close(x);
    ok(ctl_ok("signal err") == 0 && efd_read(e3) == 1,
       "ERR eventfd kept by dup() after the caller closed its fd");
    x = -1;
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, &x) == 0 &&
       ctl_ok("signal err") == 1, "ERR fd -1 drops the eventfd");
    ok(set_irqs(dev, none_trigger, VFIO_PCI_ERR_IRQ_INDEX, 0, 1, NULL) ==
       -EINVAL, "ERR loopback without eventfd -> EINVAL");
    ok(set_irqs(dev, eventfd_trigger, VFIO_PCI_REQ_IRQ_INDEX, 0, 1, &e3) == 0 &&
       ctl_ok("signal req") == 0 && efd_read(e3) == 1, "REQ arm and signal");
    ok(ctl("signal msi 0 dev=9999:00:00.0", NULL, 0, last, sizeof(last)) == 1,
       "signal for an unknown device -> ERR");
    ok(ctl_ok("signal bogus") == 1, "signal of an unknown kind -> ERR");
    set_irqs(dev, none_trigger, VFIO_PCI_REQ_IRQ_INDEX, 0, 0, NULL);
    close(e1);
    close(e3);
    for (i = 0; i < 4; i++) {
        close(e2[i]);
    }
}

static void test_eeh(int c1, int dev)
{
    struct vfio_eeh_pe_op op = { .argsz = 8, .op = 4 };
    struct vfio_eeh_pe_op inj;
    uint32_t v;
    long r;
    char *log;
    uint64_t seq;

    ok(ioc(c1, VFIO_EEH_PE_OP, &op) == -EINVAL, "EEH argsz 8 -> EINVAL");
    op.argsz = 12;
    r = ioc(c1, VFIO_EEH_PE_OP, &op);
    ok(r == 0, "EEH argsz 12 is enough (got %ld)", r);
    op.flags = 1;
    ok(ioc(c1, VFIO_EEH_PE_OP, &op) == -EINVAL, "EEH flags != 0 -> EINVAL");
    seq = log_next();
    ok(eeh(c1, 10) == -EINVAL && eeh(c1, 99) == -EINVAL,
       "EEH unknown op -> EINVAL");
    ok(strstr(log_since(seq), "VFIO_EEH_PE_OP op=99 group=42 = -1 EINVAL")
       != NULL, "unknown EEH op logged as op=<num>");

    ok(eeh(c1, VFIO_EEH_PE_ENABLE) == 0 && state_has(42, "eeh_enabled=1"),
       "EEH ENABLE");
    ok(eeh(c1, VFIO_EEH_PE_DISABLE) == 0 && state_has(42, "eeh_enabled=0"),
       "EEH DISABLE");
    eeh(c1, VFIO_EEH_PE_ENABLE);
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 0, "GET_STATE normal = 0");
    ok(eeh(c1, VFIO_EEH_PE_CONFIGURE) == 0, "CONFIGURE = 0");

    bar_wr(dev, 0x10, 0x55);
    ok(ctl_ok("freeze") == 0 && state_has(42, "mmio_frozen=1 dma_frozen=1"),
       "ctl freeze (default all)");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 2, "GET_STATE both frozen = 2");
    ok(bar_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff,
       "frozen: BAR load returns all-ones");
    ok(bar_wr(dev, 0x10, 0x66) == 4, "frozen: BAR store returns len");
    ok(cfg_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff,
       "frozen: config read all-ones (cfg_frozen=ones)");
    cfg_wr(dev, 0x3c, 1, 0x77);
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_IO) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 4, "UNFREEZE_IO: GET_STATE = 4");
    ok(bar_get(dev, 0x10) == 0x55, "frozen BAR store was dropped");
    ok(cfg_get(dev, 0x3c, 1) == 0x5a, "frozen config write was dropped");
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_DMA) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0, "UNFREEZE_DMA: GET_STATE = 0");
    ctl_ok("freeze mmio");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 5, "MMIO-only frozen: GET_STATE = 5");
    ctl_ok("thaw");
    ctl_ok("freeze dma");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 4 && bar_get(dev, 0x10) == 0x55,
       "DMA-only frozen: GET_STATE = 4, MMIO works");
    ok(ctl_ok("thaw") == 0 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "ctl thaw recovers the PE");
    ctl_ok("freeze");
    ok(eeh(c1, VFIO_EEH_PE_ENABLE) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0, "ENABLE on a frozen PE thaws it");

    ctl_ok("freeze aer=UE:0x10 group=42");
    ctl_ok("thaw");
    ok(eeh(c1, VFIO_EEH_PE_RESET_HOT) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 2 && state_has(42, "cfg_blocked=1"),
       "RESET_HOT: frozen, config blocked, GET_STATE = 2");
    ok(cfg_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff,
       "config blocked during reset reads all-ones");
    ok(eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 && state_has(42, "cfg_blocked=0"),
       "RESET_DEACTIVATE thaws and unblocks");
    ok(bar_get(dev, 0x10) == 0 && cfg_get(dev, 0x104, 4) == 0x10,
       "hot reset lost device state, kept sticky AER status");
    ok(eeh(c1, VFIO_EEH_PE_RESET_FUNDAMENTAL) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 2, "RESET_FUNDAMENTAL: GET_STATE 2");
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ok(cfg_get(dev, 0x104, 4) == 0 && cfg_get(dev, 0x10c, 4) == 0x00462030,
       "fundamental reset clears sticky AER registers");
    ok(eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE) == 0,
       "RESET_DEACTIVATE without reset = 0");

    memset(&inj, 0, sizeof(inj));
    inj.argsz = 12;
    inj.op = VFIO_EEH_PE_INJECT_ERR;
    ok(ioc(c1, VFIO_EEH_PE_OP, &inj) == -EINVAL,
       "INJECT_ERR argsz 12 -> EINVAL");
    inj.argsz = sizeof(inj);
    inj.err.func = 20;
    ok(ioc(c1, VFIO_EEH_PE_OP, &inj) == -EINVAL,
       "INJECT_ERR func 20 -> EINVAL");
    inj.err.func = 0;
    inj.err.type = 2;
    ok(ioc(c1, VFIO_EEH_PE_OP, &inj) == -ERANGE, "INJECT_ERR type 2 -> ERANGE");
    inj.err.type = 1;
    inj.err.addr = HOST_BAR0_A + 0x10;
    inj.err.mask = ~0ULL;
    ok(ioc(c1, VFIO_EEH_PE_OP, &inj) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "INJECT_ERR (phb3) arms the error, the PE is not frozen yet");
    ok(bar_rd(dev, 0x10, 4, &v) == 4 && v == 0xffffffff &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 2,
       "INJECT_ERR: the next matching BAR load fails and freezes the PE");
    eeh(c1, VFIO_EEH_PE_RESET_HOT);
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);

    seq = log_next();
    ctl_ok("mark before-freeze");
    ctl_ok("freeze dma group=42");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ctl_ok("thaw");
    log = log_since(seq);
    {
        char *a = strstr(log, "MARK before-freeze");
        char *b = strstr(log, "CTRL freeze dma group=42");
        char *c = strstr(log, "VFIO_EEH_PE_OP op=GET_STATE group=42 = 4");
        char *d = strstr(log, "CTRL thaw");

        ok(a && b && c && d && a < b && b < c && c < d,
           "log order: MARK, CTRL freeze, GET_STATE = 4, CTRL thaw");
        ok(a && c && line_seq(log, a) < line_seq(log, c) &&
           line_seq(log, c) < line_seq(log, d),
           "sequence numbers increase");
    }
}

static void test_cfg_modes(int *devs_out)
{
    int c, g, dev, i;
    uint32_t v;
    static const struct {
        int group;
        const char *name;
    } pes[] = { { 43, DEV_B }, { 44, DEV_C }, { 45, DEV_D }, { 47, DEV_F } };

    for (i = 0; i < 4; i++) {
        devs_out[i * 3] = -1;
        devs_out[i * 3 + 1] = -1;
        devs_out[i * 3 + 2] = -1;
        if (pes[i].group == 43) {
            /* B is tested in test_enodev() */
            continue;
        }
        c = new_container();
        g = open_group(pes[i].group);
        devs_out[i * 3] = c;
        devs_out[i * 3 + 1] = g;
        set_container(g, c);
        ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
        dev = get_dev(g, pes[i].name);
        devs_out[i * 3 + 2] = dev;
        cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    }

    /* pass (C) */
    c = devs_out[3];
    dev = devs_out[5];
    ctl_ok("freeze group=44");
    ok(cfg_get(dev, 0, 4) == 0x00051b36 && bar_rd(dev, 0, 4, &v) == 4 &&
       v == 0xffffffff, "cfg_frozen=pass: config works, BAR all-ones");
    ctl_ok("thaw group=44");

    /* vconfig + reset_state (D) */
    c = devs_out[6];
    dev = devs_out[8];
    cfg_wr(dev, 0x10, 4, 0x40000000);
    ctl_ok("freeze group=45");
    ok(cfg_get(dev, 0, 4) == 0x00051b36 && cfg_get(dev, 0x10, 4) == 0x40000000
       && cfg_get(dev, PCI_COMMAND, 2) == 0xffff,
       "cfg_frozen=vconfig: virtualized regs readable, others all-ones");
    cfg_wr(dev, 0x10, 4, 0x50000000);
    cfg_wr(dev, 0x3c, 1, 0x33);
    ctl_ok("thaw group=45");
    ok(cfg_get(dev, 0x10, 4) == 0x50000000 && cfg_get(dev, 0x3c, 1) == 0x33,
       "cfg_frozen=vconfig: virtualized writes land");
    ok(eeh(c, VFIO_EEH_PE_RESET_HOT) == 0 &&
       eeh(c, VFIO_EEH_PE_GET_STATE) == 1,
       "reset_state=1: GET_STATE during reset = 1");
    ok(eeh(c, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
       eeh(c, VFIO_EEH_PE_GET_STATE) == 0, "reset_state=1: back to 0");

    /* eio (F), then permanently unavailable */
    c = devs_out[9];
    dev = devs_out[11];
    ok(cfg_get(dev, 0, 4) == 0x56781234 && bar_get(dev, 0) == 0x56781234,
       "vendor=/devid= configure the IDs");
    ctl_ok("freeze group=47");
    ok(cfg_rd(dev, 0, 4, &v) == -EIO && cfg_wr(dev, 0x3c, 1, 1) == -EIO,
       "cfg_frozen=eio: config access fails with EIO");
    ctl_ok("thaw group=47");
    ok(ctl_ok("unavailable group=47") == 0 &&
       state_has(47, "unavailable=1") &&
       eeh(c, VFIO_EEH_PE_GET_STATE) == 5, "unavailable: GET_STATE = 5");
    ok(eeh(c, VFIO_EEH_PE_ENABLE) == -EIO &&
       eeh(c, VFIO_EEH_PE_UNFREEZE_IO) == -EIO &&
       eeh(c, VFIO_EEH_PE_RESET_HOT) == -EIO,
       "unavailable: ENABLE/UNFREEZE/RESET fail with EIO");
    eeh(c, VFIO_EEH_PE_RESET_DEACTIVATE);
    ctl_ok("thaw group=47");
    ok(eeh(c, VFIO_EEH_PE_GET_STATE) == 5, "unavailable survives thaw/reset");
    ok(cfg_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff &&
       bar_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff,
       "unavailable: config and BAR read all-ones (overrides eio)");
}

static void test_enodev(int c1, int g42, int g43)
{
    int devb;
    uint32_t v;
    long r;

    (void)g42;
    devb = get_dev(g43, DEV_B);
    ctl_ok("freeze group=43");
    ok(cfg_rd(devb, 0, 4, &v) == -ENODEV, "cfg_frozen=enodev: -ENODEV");
    ctl_ok("thaw group=43");

    /* two groups in one container: ops run over every group in order */
    ctl_ok("freeze group=42");
    r = eeh(c1, VFIO_EEH_PE_GET_STATE);
    ok(r == 2, "multi-group container: GET_STATE finds the frozen PE");
    ctl_ok("option eeh_container_ops=first");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "eeh_container_ops=first: only the list head (last attached) counts");
    ctl_ok("option eeh_container_ops=all");
    ctl_ok("thaw group=42");
    close(devb);

    /*
     * The same two groups of one PHB, each in a container of its own (as
     * QEMU sets them up for a PE per group): each container's ops reach
     * its own group only
     */
    {
        int c2 = new_container();

        ok(ioc(g43, VFIO_GROUP_UNSET_CONTAINER, NULL) == 0 &&
           set_container(g43, c2) == 0 &&
           ioc_int(c2, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU) == 0,
           "one PHB, two containers: group 43 moves to a second container");
        ctl_ok("freeze group=43");
        ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
           eeh(c2, VFIO_EEH_PE_GET_STATE) == 2,
           "one PHB, two containers: only group 43's container is frozen");
        ok(eeh(c2, VFIO_EEH_PE_RESET_HOT) == 0 &&
           eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
           eeh(c2, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
           eeh(c2, VFIO_EEH_PE_GET_STATE) == 0,
           "one PHB, two containers: a reset of 43 leaves 42 alone");
        ioc(g43, VFIO_GROUP_UNSET_CONTAINER, NULL);
        close(c2);
        ok(set_container(g43, c1) == 0,
           "one PHB, two containers: group 43 back in the first");
    }
}

static void test_faults(int c1, int dev)
{
    uint32_t v;
    char last[256];
    char *log;
    uint64_t seq;

    ok(ctl_ok("fail VFIO_EEH_PE_OP EIO") == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == -EIO &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "fail VFIO_EEH_PE_OP: next op only");
    ctl_ok("fail EEH_RESET_HOT ENODEV 2");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       eeh(c1, VFIO_EEH_PE_RESET_HOT) == -ENODEV &&
       eeh(c1, VFIO_EEH_PE_RESET_HOT) == -ENODEV &&
       eeh(c1, VFIO_EEH_PE_RESET_HOT) == 0, "fail EEH_RESET_HOT count 2");
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ctl_ok("fail EEH_GET_STATE 22");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == -EINVAL, "fail with numeric errno");
    ctl_ok("fail pread EIO");
    ok(cfg_rd(dev, 0, 4, &v) == -EIO && cfg_rd(dev, 0, 4, &v) == 4,
       "fail pread");
    ctl_ok("fail pwrite EPERM");
    ok(bar_wr(dev, 0x10, 1) == -EPERM, "fail pwrite");
    ctl_ok("fail VFIO_IOMMU_MAP_DMA ENOMEM");
    ok(map(c1, 0, mem, 4096, 3) == -ENOMEM, "fail VFIO_IOMMU_MAP_DMA");
    ctl_ok("fail VFIO_DEVICE_RESET EBUSY");
    ok(ioc(dev, VFIO_DEVICE_RESET, NULL) == -EBUSY, "fail VFIO_DEVICE_RESET");
    ctl_ok("fail VFIO_DEVICE_RESET EBUSY 0");
    ok(ioc(dev, VFIO_DEVICE_RESET, NULL) == 0, "fail count 0 clears a rule");
    ok(ctl("fail X EBOGUS", NULL, 0, last, sizeof(last)) == 1 &&
       !strncmp(last, "ERR", 3), "fail with an unknown errno -> ERR");
    ok(ctl("frobnicate", NULL, 0, last, sizeof(last)) == 1,
       "unknown command -> ERR");
    ok(ctl("state group=999", NULL, 0, last, sizeof(last)) == 1 &&
       !strcmp(last, "ERR no such group"), "state of unknown group -> ERR");
    ok(ctl("freeze bogus", NULL, 0, last, sizeof(last)) == 1,
       "freeze with a bad argument -> ERR");
    ok(ctl("help", state_buf, sizeof(state_buf), NULL, 0) == 0 &&
       strstr(state_buf, "freeze"), "help lists the commands");
    ok(strstr(state_of(42), "group=42 mmio_frozen=0 dma_frozen=0 "
              "cfg_blocked=0 eeh_enabled=1 unavailable=0 windows=1 maps=0"),
       "state line format");

    seq = log_next();
    ctl_ok("reset-log");
    ctl_ok("mark after-reset");
    log = log_since(0);
    ok(dec(log) >= seq && !strstr(log, "before-freeze"),
       "reset-log clears the log, sequence numbers keep increasing");
}

static int run_cli(const char *input, const char *const *args, char *out,
                   size_t outlen);

/* the DMA engine: dma-read/dma-write through the container's TCEs */

/* bytes of the "0x<iova>: <hex>..." lines of a dma-read reply */
static size_t dma_bytes(const char *out, uint8_t *buf, size_t cap)
{
    size_t n = 0;
    const char *p = out;

    while (p && *p) {
        const char *eol = strchr(p, '\n');
        const char *c = strchr(p, ':');

        if (!strncmp(p, "0x", 2) && c && (!eol || c < eol)) {
            for (c++; *c && *c != '\n'; c++) {
                unsigned v;

                if (*c == ' ') {
                    continue;
                }
                if (sscanf(c, "%2x", &v) != 1 || n == cap) {
                    return n;
                }
                buf[n++] = v;
                c++;
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    return n;
}

/* dma-read through the control socket: 0 and the bytes, or 1 with last */
static int dma_read(const char *args, uint8_t *buf, size_t cap, size_t *n,
                    char *last, size_t lastlen)
{
    static char out[65536];
    char cmd[256];
    int r;

    xsnprintf(cmd, sizeof(cmd), "dma-read %s", args);
    r = ctl(cmd, out, sizeof(out), last, lastlen);
    *n = r == 0 ? dma_bytes(out, buf, cap) : 0;
    return r;
}

static void test_dma(int c1, int dev)
{
    const char *a_read[] = { "-s", ctl_path, "dma-read", "0x10010", "4",
                             NULL };
    const char *a_bad[] = { "-s", ctl_path, "dma-read", "0x1000", "4", NULL };
    uint8_t *m = mem;
    uint8_t buf[256];
    char last[256], out[4096], want[128];
    uint64_t ddw = 0;
    size_t n, i;
    char *log;
    uint64_t seq;
    int good;

    for (i = 0; i < mem_size; i++) {
        m[i] = (uint8_t)(i * 7 + (i >> 12));
    }
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    map(c1, 0x10000, m + 0x20000, 2 * 4096, 3);
    ok(dma_read("0x10000 16", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && !strncmp(last, "ERR EPERM", 9), "DMA: bus mastering off -> EPERM");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    seq = log_next();
    ok(dma_read("0x10ff8 16", buf, sizeof(buf), &n, last, sizeof(last)) == 0
       && !strcmp(last, "OK 16") && n == 16 &&
       !memcmp(buf, m + 0x20ff8, 16),
       "DMA read across a 4K TCE boundary copies guest memory");
    log = log_since(seq);
    ok(strstr(log, "CTRL dma-read 0x10ff8 16") &&
       strstr(log, "DMA read dev=" DEV_A " group=42 iova=0x10ff8 len=16 = 0"),
       "DMA read is logged (command and result)");
    map(c1, 0x12000, m + 0x40000, 4096, 3);
    ok(dma_read("0x11ff0 32", buf, sizeof(buf), &n, NULL, 0) == 0 &&
       n == 32 && !memcmp(buf, m + 0x21ff0, 16) &&
       !memcmp(buf + 16, m + 0x40000, 16),
       "DMA read translates each page through its own TCE");
    ok(dma_read("0x1000 4", buf, sizeof(buf), &n, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EFAULT") && strstr(last, "0x1000 is not mapped"),
       "DMA read of an iova without TCE -> ERR EFAULT");
    ok(dma_read("0x11ffc 8", buf, sizeof(buf), &n, NULL, 0) == 0 &&
       dma_read("0x12ffc 8", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && strstr(last, "0x13000 is not mapped"),
       "DMA read running into an unmapped page -> ERR, names that page");
    ok(dma_read("0x10000000000 4", buf, sizeof(buf), &n, last,
                sizeof(last)) == 1 && strstr(last, "ERR ENXIO"),
       "DMA read outside every window -> ERR ENXIO");
    ok(dma_read("0x10000 0", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && strstr(last, "ERR EINVAL") &&
       dma_read("0x10000 65537", buf, sizeof(buf), &n, NULL, 0) == 1,
       "DMA length 0 or above 65536 -> ERR");
    ok(dma_read("0x10000", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && strstr(last, "usage"), "dma-read without a length -> usage");

    ok(ctl_ok("dma-write 0x10010 deadbeef") == 0 &&
       !memcmp(m + 0x20010, "\xde\xad\xbe\xef", 4),
       "DMA write lands in guest memory");
    ok(ctl("dma-write 0x10010 abc", NULL, 0, last, sizeof(last)) == 1 &&
       ctl("dma-write 0x10010 zz", NULL, 0, NULL, 0) == 1,
       "dma-write with an odd or bad hex string -> ERR");
    map(c1, 0x13000, m + 0x50000, 4096, VFIO_DMA_MAP_FLAG_READ);
    map(c1, 0x14000, m + 0x60000, 4096, VFIO_DMA_MAP_FLAG_WRITE);
    ok(dma_read("0x13000 4", buf, sizeof(buf), &n, NULL, 0) == 0 &&
       ctl("dma-write 0x13000 01020304", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EACCES") && m[0x50000] != 1,
       "read-only TCE: the device reads, its write -> ERR EACCES");
    ok(dma_read("0x14000 4", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && strstr(last, "ERR EACCES") &&
       ctl_ok("dma-write 0x14000 01020304") == 0 &&
       !memcmp(m + 0x60000, "\x01\x02\x03\x04", 4),
       "write-only TCE: the device writes, its read -> ERR EACCES");
    memcpy(want, m + 0x40ff8, 8);
    ok(ctl("dma-write 0x12ff8 00000000000000000000000000000000", NULL, 0,
           last, sizeof(last)) == 1 && !memcmp(m + 0x40ff8, want, 8),
       "a DMA write that fails on a later page writes nothing");

    ctl_ok("freeze dma");
    memcpy(want, m + 0x20010, 4);
    ok(dma_read("0x10000 16", buf, sizeof(buf), &n, last, sizeof(last)) == 1
       && strstr(last, "ERR EIO") && strstr(last, "frozen") && n == 0,
       "DMA read while the PE is DMA-frozen -> ERR EIO");
    ok(ctl("dma-write 0x10010 00000000", NULL, 0, NULL, 0) == 1 &&
       !memcmp(m + 0x20010, want, 4),
       "DMA write while frozen -> ERR, memory unchanged");
    ok(strstr(log_since(seq), "DMA read dev=" DEV_A " group=42 iova=0x10000 "
              "len=16 = -1 EIO") != NULL, "refused DMA is logged with EIO");
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_DMA) == 0 &&
       dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 0 &&
       !memcmp(buf, m + 0x20000, 16), "UNFREEZE_DMA: DMA works again");
    ctl_ok("freeze mmio");
    ok(dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 0,
       "an MMIO-only freeze does not stop DMA");
    ctl_ok("thaw");
    ctl_ok("freeze all");
    ok(dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 1,
       "freeze all stops DMA");
    ctl_ok("thaw");
    ok(dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 0,
       "host thaw: DMA works again");
    eeh(c1, VFIO_EEH_PE_RESET_HOT);
    good = dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 1;
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ok(good && dma_read("0x10000 16", buf, sizeof(buf), &n, NULL, 0) == 0,
       "PE reset: DMA stopped until RESET_DEACTIVATE");
    ok(dma_read("0x10000 16 dev=" DEV_B, buf, sizeof(buf), &n, last,
                sizeof(last)) == 1 && strstr(last, "ERR ENODEV") &&
       strstr(last, "group 43"),
       "DMA of a device whose group has no container -> ERR ENODEV");

    ok(ctl("maps", out, sizeof(out), NULL, 0) == 0 &&
       strstr(out, "group=42 container=") &&
       strstr(out, "window=0 start=0x0 size=0x40000000 shift=12 levels=1"),
       "maps lists the windows");
    xsnprintf(want, sizeof(want), "map window=0 iova=0x10000 size=0x2000 "
              "vaddr=0x%llx flags=rw pages=2",
              (unsigned long long)(uintptr_t)(m + 0x20000));
    ok(strstr(out, want) && strstr(out, "maps=5 ranges=4"),
       "maps merges contiguous TCEs into ranges");
    ok(run_cli(NULL, a_read, out, sizeof(out)) == 0 &&
       strstr(out, "\n0x10010: deadbeef\nOK 4\n"),
       "CLI: dma-read prints the bytes, exit 0");
    ok(run_cli(NULL, a_bad, out, sizeof(out)) == 1 &&
       !strncmp(out, "ERR EFAULT", 10), "CLI: a refused dma-read exits 1");

    ok(create_win(c1, 16, 1ULL << 32, 2, &ddw) == 0 && ddw == DDW_BASE &&
       map(c1, DDW_BASE + 0x10000, m + 0x10000, 0x10000, 3) == 0 &&
       dma_read("0x800000000010010 8", buf, sizeof(buf), &n, NULL, 0) == 0
       && !memcmp(buf, m + 0x10010, 8),
       "DMA read through a 64K TCE of the DDW");
    ok(remove_win(c1, DDW_BASE) == 0 &&
       dma_read("0x800000000010010 8", buf, sizeof(buf), &n, last,
                sizeof(last)) == 1 && strstr(last, "ERR ENXIO"),
       "DDW removed: DMA into it -> ERR ENXIO");
    unmap(c1, 0x10000, 0x5000);
    ok(dma_read("0x10000 4", buf, sizeof(buf), &n, NULL, 0) == 1 &&
       state_has(42, "maps=0"), "UNMAP_DMA: DMA refused again");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
}

/* INJECT_ERR: the host platform's checks, arming and firing */

static bool inj_state(int group, const char *needle)
{
    char out[512], cmd[64];

    xsnprintf(cmd, sizeof(cmd), "inject-state group=%d", group);
    return ctl(cmd, out, sizeof(out), NULL, 0) == 0 &&
           strstr(out, needle) != NULL;
}

/* group 42's PE is frozen (GET_STATE 2); thaw it again */
static bool fired(int c1)
{
    bool r = eeh(c1, VFIO_EEH_PE_GET_STATE) == 2;

    ctl_ok("thaw group=42");
    return r;
}

/* a before b, both present */
static bool in_order(const char *log, const char *a, const char *b)
{
    const char *pa = strstr(log, a), *pb = strstr(log, b);

    return pa && pb && pa < pb;
}

static void test_inject_platforms(int c1, int dev, int c47)
{
    struct vfio_eeh_pe_op small = { .argsz = 39,
                                    .op = VFIO_EEH_PE_INJECT_ERR };
    char last[256];
    uint32_t old;
    char *log;
    uint64_t seq;

    ok(inj_state(42, "platform=phb3 group=42 armed=0"),
       "inject-state: platform phb3 (the default), nothing armed");
    seq = log_next();
    ok(inject(c1, 2, 0, 0, 0) == -ERANGE &&
       inject(c1, 2, 20, 0, 0) == -EINVAL &&
       ioc(c1, VFIO_EEH_PE_OP, &small) == -EINVAL,
       "phb3: type 2 -> ERANGE; func 20 -> EINVAL first; argsz 39 -> EINVAL");
    log = log_since(seq);
    ok(strstr(log, "VFIO_EEH_PE_OP op=INJECT_ERR group=42 type=2 func=0 "
              "addr=0x0 mask=0x0 = -1 ERANGE") &&
       strstr(log, "VFIO_EEH_PE_OP op=INJECT_ERR group=42 type=2 func=20 "
              "addr=0x0 mask=0x0 = -1 EINVAL") &&
       strstr(log, "VFIO_EEH_PE_OP op=INJECT_ERR group=42 = -1 EINVAL"),
       "INJECT_ERR logged with type, func, addr, mask (not below argsz 40)");
    ok(inject(c47, 0, 0, 0, 0) == -EIO, "phb3: unavailable PE -> EIO");

    /* phb4: config injection only */
    ok(ctl_ok("option eeh_inject=phb4") == 0 &&
       inj_state(42, "platform=phb4 group=42 armed=0"),
       "option eeh_inject=phb4 at run time");
    ok(inject(c1, 0, 0, 0, 0) == -EIO && inject(c1, 1, 2, 0, 0) == -EIO &&
       inject(c1, 0, 7, 0, 0) == -EIO && inject(c1, 0, 9, 0, 0) == -EIO &&
       inject(c1, 0, 12, 0, 0) == -EIO && inject(c1, 1, 19, 0, 0) == -EIO &&
       inj_state(42, "armed=0"),
       "phb4: memory, I/O and DMA functions -> EIO (OPAL_UNSUPPORTED)");
    ok(inject(c1, 2, 4, 0, 0) == -ERANGE &&
       inject(c1, 2, 0, 0, 0) == -ERANGE &&
       inject(c1, 0, 20, 0, 0) == -EINVAL && inject(c47, 0, 4, 0, 0) == -EIO,
       "phb4: type 2 -> ERANGE before the OPAL check, func 20 -> EINVAL, "
       "unavailable -> EIO");
    seq = log_next();
    ok(inject(c1, 0, 4, 0, 0) == 0 && inject(c1, 0, 5, 0, 0) == 0 &&
       inject(c1, 1, 10, 0, 0) == 0 && inject(c1, 0, 11, 0x3c, 0xff) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       inj_state(42, "armed=1 type=0 func=11 addr=0x3c mask=0xff"),
       "phb4: config functions 4, 5, 10, 11 are armed, the PE not frozen");
    ok(strstr(log_since(seq), "EEH inject-disarmed group=42 func=4 "
              "reason=replaced") != NULL,
       "a new INJECT_ERR replaces the armed one (logged)");
    old = cfg_get(dev, 0x3c, 1);
    ok(cfg_get(dev, 0, 4) == 0x00051b36 && bar_get(dev, 0) == 0x00051b36 &&
       bar_wr(dev, 0x10, 1) == 4 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "phb4: a config store injection ignores config loads and BARs");
    seq = log_next();
    ok(cfg_wr(dev, 0x3c, 1, old ^ 0x11) == 1 && fired(c1) &&
       cfg_get(dev, 0x3c, 1) == old,
       "config store injection: the next config write is dropped and "
       "freezes the PE");
    ok(strstr(log_since(seq), "EEH inject-fired group=42 func=11 addr=0x3c "
              "dev=" DEV_A " space=cfg") != NULL,
       "the fired injection is logged (func, config offset, device)");
    ok(inj_state(42, "armed=0") && cfg_wr(dev, 0x3c, 1, old ^ 0x11) == 1 &&
       cfg_get(dev, 0x3c, 1) == (old ^ 0x11) &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "an injection fires once: the next config write works");
    cfg_wr(dev, 0x3c, 1, old);

    /* a platform change disarms */
    inject(c1, 0, 4, 0, 0);
    seq = log_next();
    ok(ctl_ok("option eeh_inject=pseries") == 0 &&
       inj_state(42, "platform=pseries group=42 armed=0") &&
       strstr(log_since(seq), "EEH inject-disarmed group=42 func=4 "
              "reason=option"), "changing eeh_inject= disarms (logged)");

    /* pseries: the kernel breaks the PE itself */
    ok(inject(c1, 2, 0, 0, 0) == -EINVAL && inject(c1, 0, 4, 0, 0) == -ERANGE
       && inject(c1, 0, 2, 0, 0) == -ERANGE &&
       inject(c1, 1, 12, 0, 0) == -ERANGE &&
       inject(c1, 0, 20, 0, 0) == -EINVAL &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "pseries: type 2 -> EINVAL, func not 0/1/6/7 -> ERANGE");
    seq = log_next();
    ok(inject(c1, 0, 7, 0x1234, 0xffff) == 0 && fired(c1),
       "pseries: a memory function freezes the PE at once");
    log = log_since(seq);
    ok(in_order(log, "EEH inject-fired group=42 func=7 addr=0x60100c0020000 "
                "dev=" DEV_A " space=mem",
                "VFIO_EEH_PE_OP op=INJECT_ERR group=42 type=0 func=7 "
                "addr=0x1234 mask=0xffff = 0") && inj_state(42, "armed=0"),
       "pseries: logged as a load from BAR0's host address, nothing armed");
    ok(inject(c1, 1, 0, 0, 0) == 0 && inject(c1, 0, 1, 0, 0) == 0 &&
       inject(c1, 1, 6, 0, 0) == 0 && fired(c1),
       "pseries: functions 0, 1, 6 too");
    ok(inject(c47, 0, 0, 0, 0) == -EIO, "pseries: unavailable PE -> EIO");

    /* none: no err_inject hook */
    ok(ctl_ok("option eeh_inject=none") == 0 &&
       inject(c1, 0, 0, 0, 0) == -ENOENT &&
       inject(c1, 7, 20, 0, 0) == -ENOENT &&
       inject(c47, 0, 4, 0, 0) == -ENOENT &&
       ioc(c1, VFIO_EEH_PE_OP, &small) == -EINVAL &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "none: ENOENT before any argument check; argsz < 40 still EINVAL");
    ok(ctl("option eeh_inject=phb5", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "eeh_inject=phb3|phb4|pseries|none") &&
       inj_state(42, "platform=none"),
       "option eeh_inject= of an unknown platform -> ERR, unchanged");
    ctl_ok("option eeh_inject=phb3");
}

static void test_inject_phb3(int c1, int dev)
{
    uint8_t buf[64];
    char last[256];
    uint32_t v, old;
    size_t n;
    char *log;
    uint64_t seq;

    /* memory load, 64-bit compare */
    bar_wr(dev, 0x10, 0x11111111);
    seq = log_next();
    ok(inject(c1, 1, 0, HOST_BAR0_A + 0x10, ~0ULL) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       inj_state(42, "platform=phb3 group=42 armed=1 type=1 func=0 "
                 "addr=0x60100c0020010 mask=0xffffffffffffffff"),
       "phb3: a memory load injection is armed, the PE not frozen");
    ok(strstr(log_since(seq), "VFIO_EEH_PE_OP op=INJECT_ERR group=42 type=1 "
              "func=0 addr=0x60100c0020010 mask=0xffffffffffffffff = 0")
       != NULL, "INJECT_ERR = 0 logged with its arguments");
    ok(bar_rd(dev, 0x14, 4, &v) == 4 && bar_wr(dev, 0x10, 0x22222222) == 4 &&
       cfg_rd(dev, 0, 4, &v) == 4 && v == 0x00051b36 &&
       bar2_rd(dev, 0x10, &v) == 4 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       inj_state(42, "armed=1"),
       "load injection: other addresses, stores, config, BAR2 do not fire");
    seq = log_next();
    ok(bar_rd(dev, 0x10, 4, &v) == 4 && v == 0xffffffff && fired(c1),
       "load injection: the next load there reads all-ones, PE frozen");
    log = log_since(seq);
    ok(in_order(log, "EEH inject-fired group=42 func=0 addr=0x60100c0020010 "
                "dev=" DEV_A " space=mem",
                "DEV pread dev=" DEV_A " region=0 off=0x10 len=4 "
                "val=0xffffffff = 4"),
       "inject-fired (host address) is logged before the failed access");
    ok(bar_get(dev, 0x10) == 0x22222222 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 && inj_state(42, "armed=0"),
       "load injection fires once; the earlier store had landed");

    /* memory store into the 64-bit BAR */
    bar2_wr(dev, 0x100, 0xaaaa);
    ok(inject(c1, 1, 7, HOST_BAR2_A + 0x100, ~0ULL) == 0 &&
       bar2_rd(dev, 0x100, &v) == 4 && v == 0xaaaa &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "store injection at a 64-bit BAR address ignores loads there");
    ok(bar2_wr(dev, 0x100, 0x5555) == 4 && fired(c1) &&
       bar2_rd(dev, 0x100, &v) == 4 && v == 0xaaaa,
       "store injection: the next store there is dropped, PE frozen");

    /* 32-bit and 64-bit address compare */
    ok(inject(c1, 0, 1, 0xdead00000000ULL |
              ((HOST_BAR2_A + 0x8) & 0xffffffffULL), ~0ULL) == 0 &&
       bar2_rd(dev, 0x8, &v) == 4 && v == 0xffffffff && fired(c1),
       "type 0 compares only the low 32 bits of the address");
    ok(inject(c1, 1, 1, (HOST_BAR0_A + 0x20) & 0xffffffffULL, ~0ULL) == 0 &&
       bar_rd(dev, 0x20, 4, &v) == 4 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0
       && inj_state(42, "armed=1"), "type 1 compares all 64 bits");

    /* PE resets disarm */
    seq = log_next();
    ok(eeh(c1, VFIO_EEH_PE_RESET_HOT) == 0 && inj_state(42, "armed=0") &&
       strstr(log_since(seq), "EEH inject-disarmed group=42 func=1 "
              "reason=reset"), "RESET_HOT disarms (logged)");
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ok(inject(c1, 1, 0, HOST_BAR0_A + 0x20, ~0ULL) == 0 &&
       eeh(c1, VFIO_EEH_PE_RESET_FUNDAMENTAL) == 0 &&
       eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
       inj_state(42, "armed=0") && bar_rd(dev, 0x20, 4, &v) == 4 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "RESET_FUNDAMENTAL disarms: the matching load does not fire");

    /* mask */
    ok(inject(c1, 1, 1, HOST_BAR0_A + 0x1000, ~0xfffULL) == 0 &&
       bar_rd(dev, 0xffc, 4, &v) == 4 && bar_rd(dev, 0x2000, 4, &v) == 4 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "mask: loads outside the masked 4 KiB do not fire");
    seq = log_next();
    ok(bar_rd(dev, 0x1ffc, 4, &v) == 4 && v == 0xffffffff && fired(c1) &&
       strstr(log_since(seq), "EEH inject-fired group=42 func=1 "
              "addr=0x60100c0021ffc "),
       "mask: a load anywhere inside fires, logged at its own address");
    ok(inject(c1, 1, 6, 0x1234, 0) == 0 && bar_rd(dev, 0x40, 4, &v) == 4 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 && bar2_wr(dev, 0x40, 1) == 4 &&
       fired(c1), "mask 0: the next store anywhere fires");

    /* config load */
    old = cfg_get(dev, 0x3c, 1);
    ok(inject(c1, 0, 4, 0, 0) == 0 && cfg_wr(dev, 0x3c, 1, 0x21) == 1 &&
       bar_rd(dev, 0, 4, &v) == 4 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "config load injection: config stores and BAR loads do not fire");
    seq = log_next();
    ok(cfg_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff && fired(c1) &&
       strstr(log_since(seq), "EEH inject-fired group=42 func=4 addr=0x0 "
              "dev=" DEV_A " space=cfg") && cfg_get(dev, 0x3c, 1) == 0x21,
       "config load injection: the next config read fails, PE frozen");
    cfg_wr(dev, 0x3c, 1, old);

    /* I/O functions: the device has no I/O BAR; a host freeze disarms */
    ok(inject(c1, 1, 2, 0, 0) == 0 && inject(c1, 0, 8, 0, 0) == 0 &&
       bar_rd(dev, 0, 4, &v) == 4 && bar_wr(dev, 0x10, 1) == 4 &&
       bar2_rd(dev, 0, &v) == 4 && eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       inj_state(42, "armed=1 type=0 func=8"),
       "I/O injection: memory BAR accesses do not fire it");
    seq = log_next();
    ok(ctl_ok("freeze mmio") == 0 && inj_state(42, "armed=0") &&
       strstr(log_since(seq), "EEH inject-disarmed group=42 func=8 "
              "reason=freeze"), "a host freeze disarms (logged)");
    ok(inject(c1, 1, 0, HOST_BAR0_A, ~0ULL) == 0 &&
       bar_rd(dev, 0, 4, &v) == 4 && inj_state(42, "armed=1"),
       "armed while frozen: frozen loads do not reach it");
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_IO) == 0 &&
       bar_rd(dev, 0, 4, &v) == 4 && v == 0xffffffff && fired(c1),
       "after UNFREEZE_IO, the matching load fires");
    inject(c1, 0, 10, 0, 0);
    seq = log_next();
    ok(ctl_ok("thaw") == 0 && inj_state(42, "armed=0") &&
       strstr(log_since(seq), "EEH inject-disarmed group=42 func=10 "
              "reason=thaw"), "the host thaw (a host recovery) disarms");

    /* DMA */
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    ok(inject(c1, 1, 12, 0x10000, ~0ULL) == 0 &&
       ctl("dma-write 0x10000 deadbeef", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EFAULT") &&
       dma_read("0x20000 4", buf, sizeof(buf), &n, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EFAULT") && bar_rd(dev, 0, 4, &v) == 4 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0,
       "DMA read injection: DMA writes, reads elsewhere, MMIO do not fire");
    seq = log_next();
    ok(dma_read("0x10000 4", buf, sizeof(buf), &n, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EIO") && fired(c1),
       "DMA read injection: the device's read there fails (EIO), PE frozen");
    ok(in_order(log_since(seq), "EEH inject-fired group=42 func=12 "
                "addr=0x10000 dev=" DEV_A " space=dma",
                "DMA read dev=" DEV_A " group=42 iova=0x10000 len=4 = -1 EIO"),
       "DMA injection: fired line before the refused DMA");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    ok(inject(c1, 0, 17, 0xabcd00003fff0000ULL, 0xffff0000ULL) == 0 &&
       ctl("dma-write 0x3fff0010 00", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EPERM") && inj_state(42, "armed=1"),
       "DMA write injection: a DMA with bus mastering off does not fire");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    ok(ctl("dma-write 0x3fff0010 00", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EIO") && fired(c1),
       "DMA write injection (type 0, mask): the next DMA write fires");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
}

/* one set of injection registers per PHB (PCI domain) */
static void test_inject_phb(int c1, int g43, int c44)
{
    uint64_t seq;
    int c2 = new_container();

    set_container(g43, c2);
    ioc_int(c2, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
    ok(inject(c2, 0, 4, 0, 0) == 0 && inject(c44, 0, 5, 0, 0) == 0 &&
       inj_state(43, "armed=1 type=0 func=4") &&
       inj_state(44, "armed=1 type=0 func=5"),
       "PEs on two PHBs (domains 1 and 2) are armed at once");
    seq = log_next();
    ok(inject(c1, 0, 10, 0, 0) == 0 && inj_state(43, "armed=0") &&
       inj_state(44, "armed=1") && inj_state(42, "armed=1 type=0 func=10") &&
       strstr(log_since(seq), "EEH inject-disarmed group=43 func=4 "
              "reason=replaced"),
       "arming group 42 replaces group 43's (same PHB), not group 44's");
    eeh(c44, VFIO_EEH_PE_RESET_HOT);
    eeh(c44, VFIO_EEH_PE_RESET_DEACTIVATE);
    eeh(c1, VFIO_EEH_PE_RESET_HOT);
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ok(inj_state(42, "armed=0") && inj_state(44, "armed=0") &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0, "resets disarm both");
    ioc(g43, VFIO_GROUP_UNSET_CONTAINER, NULL);
    close(c2);
}

static void test_inject(int c1, int dev, int g43, const int *more)
{
    test_inject_platforms(c1, dev, more[9]);
    test_inject_phb3(c1, dev);
    test_inject_phb(c1, g43, more[3]);
}

/* personality=virtio: the config space a modern virtio-pci driver needs */
static void test_virtio(void)
{
    static const uint8_t type[4] = { 1, 3, 4, 2 };
    static const uint8_t chain[8] = {
        PCI_CAP_ID_PM, PCI_CAP_ID_MSI, PCI_CAP_ID_EXP, PCI_CAP_ID_VNDR,
        PCI_CAP_ID_VNDR, PCI_CAP_ID_VNDR, PCI_CAP_ID_VNDR, 0,
    };
    uint8_t cfg[256], ids[8] = { 0 };
    int g, c, d, dj, pos, n = 0, good = 0, i;

    c = new_container();
    g = open_group(49);
    set_container(g, c);
    ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
    d = get_dev(g, DEV_I);
    dj = get_dev(g, DEV_J);
    ok(d >= 0 && pread(d, cfg, sizeof(cfg), CFG_OFF) == sizeof(cfg),
       "virtio: device fd and config space");
    ok(cfg_get(d, 0, 4) == 0x10411af4 && cfg_get(dj, 0, 4) == 0x10431af4,
       "virtio: IDs 1af4:1041, devid= given before personality= wins");
    for (pos = cfg[PCI_CAPABILITY_LIST]; pos && n < 8; pos = cfg[pos + 1]) {
        ids[n++] = cfg[pos];
    }
    ok(n == 7 && !memcmp(ids, chain, 8) && cfg[0x71] == 0xb0,
       "virtio: PM -> MSI -> PCIe -> 4 vendor capabilities");
    for (i = 0, pos = 0xb0; i < 4; i++, pos += 0x10) {
        good += cfg[pos] == PCI_CAP_ID_VNDR && cfg[pos + 3] == type[i] &&
                cfg[pos + 2] == (i == 3 ? 20 : 16) && cfg[pos + 4] == 2 &&
                *(uint32_t *)&cfg[pos + 8] == 0x1000u * i &&
                *(uint32_t *)&cfg[pos + 12] == 0x1000;
    }
    ok(good == 4 && *(uint32_t *)&cfg[0xf0] == 4,
       "virtio: common/ISR/device/notify caps in BAR2, multiplier 4");
    cfg_wr(d, 0xb8, 4, 0x5000);
    ok(cfg_get(d, 0xb8, 4) == 0, "virtio: capabilities are read-only");
    cfg_wr(d, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
    ok(pwrite(d, "\x01", 1, BAR2_OFF + 20) == 1 &&
       pread(d, cfg, 1, BAR2_OFF + 20) == 1 && cfg[0] == 1 &&
       pwrite(d, "\x00", 1, BAR2_OFF + 20) == 1 &&
       pread(d, cfg, 1, BAR2_OFF + 20) == 1 && cfg[0] == 0,
       "virtio: device_status reads back what was written (reset to 0)");
    close(dj);
    close(d);
    close(g);
    close(c);
}

static int run_cli(const char *input, const char *const *args, char *out,
                   size_t outlen)
{
    int in[2], outp[2], status;
    pid_t pid;
    ssize_t n, used = 0;

    if (pipe(in) < 0 || pipe(outp) < 0) {
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        char *argv[16];
        int i = 0;

        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[1]);
        close(outp[0]);
        argv[i++] = cli_path;
        while (*args && i < 15) {
            argv[i++] = (char *)*args++;
        }
        argv[i] = NULL;
        execv(cli_path, argv);
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    if (input && write(in[1], input, strlen(input)) < 0) {
        status = -1;
    }
    close(in[1]);
    while ((n = read(outp[0], out + used, outlen - used - 1)) > 0) {
        used += n;
    }
    out[used] = '\0';
    close(outp[0]);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_cli(void)
{
    char out[8192];
    const char *a_state[] = { "-s", ctl_path, "state", "group=42", NULL };
    const char *a_bad[] = { "-s", ctl_path, "frobnicate", NULL };
    const char *a_nosock[] = { "-s", "/nonexistent/sock", "state", NULL };
    const char *a_stdin[] = { "-s", ctl_path, NULL };
    const char *a_env[] = { "mark", "from-env", NULL };
    int rc;

    rc = run_cli(NULL, a_state, out, sizeof(out));
    ok(rc == 0 && strstr(out, "group=42 mmio_frozen=") &&
       strstr(out, "\nOK\n"), "CLI: state prints data and OK, exit 0");
    rc = run_cli(NULL, a_bad, out, sizeof(out));
    ok(rc == 1 && !strncmp(out, "ERR", 3), "CLI: ERR reply exits 1");
    rc = run_cli(NULL, a_nosock, out, sizeof(out));
    ok(rc == 2, "CLI: connection failure exits 2");
    rc = run_cli("mark via-stdin\n\nstate\n", a_stdin, out, sizeof(out));
    ok(rc == 0 && strstr(out, "group=42"), "CLI: commands from stdin");
    rc = run_cli("state\nfrobnicate\nstate\n", a_stdin, out, sizeof(out));
    ok(rc == 1, "CLI: stdin with one ERR exits 1");
    setenv("VHM_CTRL", ctl_path, 1);
    rc = run_cli(NULL, a_env, out, sizeof(out));
    ok(rc == 0 && strstr(log_since(0), "MARK from-env"),
       "CLI: socket from $VHM_CTRL");
}

/* host EEH error data: VFIO_DEVICE_FEATURE_EEH_ERROR (proposed) */

#define EEH_HDR     (sizeof(struct vfio_device_feature) + \
                     sizeof(struct vfio_device_feature_eeh_error))
#define FEAT_GET    (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_EEH_ERROR)
#define FEAT_PROBE  (VFIO_DEVICE_FEATURE_PROBE | FEAT_GET)
#define RID_A       0x0008          /* 0001:00:01.0 */
#define PE_A        42              /* group 42 % 256 */
#define HOST_MMIO   0x0006000000000000ULL
#define PHB4_LEN    8576
#define PHB3_LEN    4392

static uint8_t fbuf[EEH_HDR + 16384];

static struct vfio_device_feature_eeh_error *einfo(void)
{
    return (struct vfio_device_feature_eeh_error *)
        ((struct vfio_device_feature *)fbuf)->data;
}

static const uint8_t *edata(void)
{
    return fbuf + EEH_HDR;
}

/* the feature ioctl on a buffer pre-filled with 0xa5 */
static long efeat(int dev, uint32_t argsz, uint32_t flags)
{
    struct vfio_device_feature *f = (struct vfio_device_feature *)fbuf;

    memset(fbuf, 0xa5, sizeof(fbuf));
    f->argsz = argsz;
    f->flags = flags;
    return ioc(dev, VFIO_DEVICE_FEATURE, f);
}

static long eget(int dev)
{
    return efeat(dev, sizeof(fbuf), FEAT_GET);
}

static uint32_t be32(const uint8_t *p, size_t off)
{
    return (uint32_t)p[off] << 24 | p[off + 1] << 16 | p[off + 2] << 8 |
           p[off + 3];
}

static uint64_t be64(const uint8_t *p, size_t off)
{
    return (uint64_t)be32(p, off) << 32 | be32(p, off + 4);
}

static bool all_zero(const uint8_t *p, size_t off, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[off + i]) {
            return false;
        }
    }
    return true;
}

/* Byte offsets of OpalIoPhb4ErrorData / OpalIoPhb3ErrorData */
typedef struct PhbOff {
    const char *name;
    uint32_t io_type, len, fmt, num_pes;
    size_t slot, link, cmd, root_err, ue, tlp, src, nfir, lem, phb_err;
    size_t pest_a, pest_b;
} PhbOff;

static const PhbOff phb4_off = {
    "phb4", 3, PHB4_LEN, VFIO_EEH_ERROR_FORMAT_OPAL_PHB4, 512,
    20, 24, 28, 36, 40, 48, 64, 72, 112, 136, 384, 4480,
};

static const PhbOff phb3_off = {
    "phb3", 2, PHB3_LEN, VFIO_EEH_ERROR_FORMAT_OPAL_PHB3, 256,
    32, 36, 40, 48, 52, 60, 76, 104, 144, 168, 296, 2344,
};

/*
 * PHB4 ETU and PHB3 error register groups: offset, size, and the offset
 * of the status register that must be non-zero when the group is used
 */
typedef struct RegGroup {
    size_t off, len, status;
} RegGroup;

enum { G_TXE, G_RXE_ARB, G_RXE_MRG, G_RXE_TCE, G_PBL, G_DLP, G_REGB,
       G_NGROUPS };
static const RegGroup phb4_groups[G_NGROUPS] = {
    { 168, 32, 168 }, { 200, 32, 200 }, { 232, 32, 232 }, { 264, 32, 264 },
    { 296, 32, 296 }, { 328, 24, 344 }, { 352, 32, 352 },
};
enum { G3_MMIO, G3_DMA0, G3_DMA1, G3_NGROUPS };
static const RegGroup phb3_groups[G3_NGROUPS] = {
    { 200, 32, 200 }, { 232, 32, 232 }, { 264, 32, 264 },
};

/* wanted groups have a non-zero status, the others are all zero */
static bool groups_match(const uint8_t *d, const RegGroup *g, int n,
                         unsigned want)
{
    int i;

    for (i = 0; i < n; i++) {
        if (want & (1u << i) ? !be64(d, g[i].status)
                             : !all_zero(d, g[i].off, g[i].len)) {
            return false;
        }
    }
    return true;
}

typedef struct ClassWant {
    const char *cls;
    const char *extra;      /* more freeze arguments */
    unsigned ttype;
    uint64_t cause;
    uint64_t addr;          /* PEST B fail address */
    unsigned g4;            /* PHB4 groups that must be non-zero */
    unsigned g3;            /* PHB3 groups that must be non-zero */
} ClassWant;

static const ClassWant class_want[] = {
    { "dma-iommu", "iova=0x12345000", 2, 1ULL << 45, 0x12345000ULL,
      1 << G_RXE_TCE, 1 << G3_DMA0 },
    { "dma-access", "iova=0x7000", 0, 1ULL << 44, 0x7000ULL,
      1 << G_RXE_TCE, 1 << G3_DMA0 },
    { "mmio-load", "bar=0 off=0x10", 4, (1ULL << 61) | (1ULL << 54),
      HOST_MMIO + 0x10, 1 << G_TXE, 1 << G3_MMIO },
    { "mmio-store", "bar=2 off=0x100", 5, (1ULL << 61) | (1ULL << 54),
      HOST_MMIO + (2ULL << 32) + 0x100, 1 << G_TXE, 1 << G3_MMIO },
    { "cfg-read", "", 4, (1ULL << 60) | (1ULL << 54), 0, 1 << G_TXE,
      1 << G3_MMIO },
    { "link-down", "", 7, 1ULL << 52, 0, (1 << G_DLP) | (1 << G_REGB), 0 },
    { "pcie-ue", "iova=0x9000", 0, (1ULL << 53) | (1ULL << 50), 0x9000ULL,
      1 << G_RXE_MRG, 1 << G3_DMA1 },
    { "none", "", 0, 0, 0, 0, 0 },
};

static void check_phb_class(int c1, int dev, const PhbOff *l,
                            const ClassWant *w)
{
    struct vfio_device_feature_eeh_error *in = einfo();
    const uint8_t *d = edata();
    bool mmio = !strncmp(w->cls, "mmio", 4);
    bool none = !strcmp(w->cls, "none");
    uint64_t a, b, want_a;
    bool pest_ok = true, groups_ok = true, ok_hdr;
    uint32_t i, rc;
    long r;

    ctl_ok("freeze diag=%s class=%s %s", l->name, w->cls, w->extra);
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    r = eget(dev);
    rc = be32(d, l->root_err);
    ok_hdr = r == 0 && in->format == l->fmt && in->data_len == l->len &&
             in->pe_number == PE_A && in->freeze_count > 0 &&
             in->timestamp_ns != 0 &&
             !(in->flags & VFIO_EEH_ERROR_FLAG_TRUNCATED) &&
             !!(in->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT) == mmio &&
             be32(d, 0) == 1 && be32(d, 4) == l->io_type &&
             be32(d, 8) == l->len && fbuf[EEH_HDR + l->len] == 0xa5;
    ok(ok_hdr, "%s %s: GET = 0, format, len %u, PE, header", l->name,
       w->cls, l->len);

    a = be64(d, l->pest_a + 8 * PE_A);
    b = be64(d, l->pest_b + 8 * PE_A);
    want_a = (1ULL << 63) | (uint64_t)w->ttype << 56 | w->cause |
             (uint64_t)RID_A << 16;
    for (i = 0; i < l->num_pes; i++) {
        if (i != PE_A && (be64(d, l->pest_a + 8 * i) ||
                          be64(d, l->pest_b + 8 * i))) {
            pest_ok = false;
        }
    }
    ok(pest_ok && (a & ~(0x3fULL << 32)) == want_a &&
       b == ((1ULL << 63) | w->addr),
       "%s %s: pestA 0x%016llx pestB 0x%016llx at the PE, others 0",
       l->name, w->cls, (unsigned long long)a, (unsigned long long)b);

    if (l->io_type == 3) {
        groups_ok = groups_match(d, phb4_groups, G_NGROUPS, w->g4);
    } else {
        groups_ok = groups_match(d, phb3_groups, G3_NGROUPS, w->g3);
    }
    /* nFir, lemFir, phbErrorStatus */
    groups_ok &= none == (!be64(d, l->nfir) && !be64(d, l->lem) &&
                          !be64(d, l->phb_err));
    if (!strcmp(w->cls, "link-down")) {
        groups_ok &= !(be32(d, l->link) & (PCI_EXP_LNKSTA_DLLLA << 16)) &&
                     (be32(d, l->slot) & (PCI_EXP_SLTSTA_DLLSC << 16)) &&
                     (be32(d, l->ue) & PCI_ERR_UNC_SURPDN) &&
                     (rc & 0x44) == 0x44;
        if (l->io_type == 2) {
            groups_ok &= be32(d, 20) != 0 && be32(d, 24) != 0;
        }
    } else {
        groups_ok &= (be32(d, l->link) & (PCI_EXP_LNKSTA_DLLLA << 16)) &&
                     !(be32(d, l->slot) & (PCI_EXP_SLTSTA_DLLSC << 16));
    }
    if (!strcmp(w->cls, "pcie-ue")) {
        groups_ok &= (be32(d, l->ue) & PCI_ERR_UNC_POISON_TLP) &&
                     (rc & PCI_ERR_ROOT_UNCOR_RCV) &&
                     be32(d, l->src) >> 16 == RID_A &&
                     be32(d, l->tlp + 12) == 0x9000;
    }
    if (mmio) {
        groups_ok &= (be32(d, l->ue) & PCI_ERR_UNC_UNSUP) &&
                     (be32(d, l->cmd) & (PCI_STATUS_REC_MASTER_ABORT << 16)) &&
                     be32(d, l->tlp + 12) == (uint32_t)w->addr &&
                     be32(d, l->tlp + 8) == (uint32_t)(w->addr >> 32) &&
                     in->fault_region == (w->addr >> 32 & 0xff) &&
                     in->fault_offset == (w->addr & 0xffffffff);
    }
    ok(groups_ok, "%s %s: class register groups and root port fields",
       l->name, w->cls);
    ctl_ok("thaw");
}

/* RTAS v6 section: be16 id, be16 length */
static uint32_t sect_len(const uint8_t *d, size_t off)
{
    return be32(d, off) & 0xffff;
}

static void test_diag_rtas(int c1, int dev)
{
    struct vfio_device_feature_eeh_error *in = einfo();
    const uint8_t *d = edata();
    uint32_t len, o, sect = 0;
    bool ok_fixed;
    long r;

    ctl_ok("freeze diag=rtas class=mmio-load bar=2 off=0x40");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    r = eget(dev);
    len = in->data_len;
    ok_fixed = r == 0 && in->format == VFIO_EEH_ERROR_FORMAT_PAPR_RTAS &&
               len <= 2048 && len > 8 + 16 + 48 + 24 + 80 + 8 &&
               d[0] == 6 && (d[1] & 0x04) && d[3] == 0xe1 &&
               be32(d, 4) == len - 8 && (d[8] & 0x80) &&
               (d[10] & 0x0f) == 0x0e && !memcmp(d + 20, "IBM", 4);
    ok(ok_fixed, "rtas: v6 fixed part, extended length, 'IBM' (len %u)",
       len);
    ok(r == 0 && !memcmp(d + 24, "PH", 2) && sect_len(d, 24) == 48 &&
       d[24 + 24] == 'H' && !memcmp(d + 72, "UH", 2) &&
       sect_len(d, 72) == 24 && !memcmp(d + 96, "PS", 2) &&
       sect_len(d, 96) == 80 && !memcmp(d + 96 + 48, "B7006970", 8),
       "rtas: PH 48, UH 24, PS 80 with an SRC");
    for (o = 24; r == 0 && o + 8 <= len; o += sect_len(d, o)) {
        sect++;
        if (sect_len(d, o) < 8 || !memcmp(d + o, "UD", 2)) {
            break;
        }
    }
    ok(r == 0 && sect == 4 && o < len && !memcmp(d + o, "UD", 2) &&
       o + sect_len(d, o) == len && d[24 + 27] == 4 &&
       memmem(d + o, len - o, "dev/vend:00051b36\n", 18) &&
       memmem(d + o, len - o, "pci-e AER:\n", 11),
       "rtas: UD last, with the config dump; sections fill the log");
    ok(r == 0 && (in->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT) &&
       in->fault_region == 2 && in->fault_offset == 0x40,
       "rtas: MMIO fault flag, region and offset");
    ctl_ok("thaw");
}

/*
 * rtas=<defect>: the log is the valid one, broken in one place.  Only
 * the defect's bytes and the PLID (which counts snapshots) may differ.
 */
static void test_diag_rtas_defects(int c1, int dev)
{
    static const struct {
        const char *name;
        const char *desc;
        size_t off, n;          /* the broken bytes */
        const char *want;       /* their value; NULL: the extended length */
    } defects[] = {
        { "version", "fixed part version 5", 0, 1, "\x05" },
        { "length", "extended length 64 bytes too long", 4, 4, NULL },
        { "ibm", "company id 'XYZ\\0'", 20, 4, "XYZ" },
        { "format", "log format nibble 0", 10, 1, "\x80" },
        { "sections", "first section 'EH'", 24, 2, "EH" },
    };
    static const char *const bad[] = {
        "freeze diag=rtas rtas=bogus", "freeze diag=rtas rtas=valid",
        "freeze diag=rtas rtas=", "freeze diag=phb4 rtas=version",
        "freeze rtas=ibm",
    };
    struct vfio_device_feature_eeh_error *in = einfo();
    static uint8_t ref[2048];
    const uint8_t *d = edata();
    char out[8192], want[128];
    uint32_t len, i;
    size_t k, nbad = 0;
    bool same, broken;
    uint64_t seq;
    long r;

    ctl_ok("freeze diag=rtas class=mmio-load bar=2 off=0x40");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    r = eget(dev);
    len = in->data_len;
    memcpy(ref, d, len < sizeof(ref) ? len : sizeof(ref));
    ctl_ok("thaw");
    ok(r == 0 && len <= sizeof(ref) && ref[0] == 6 && ref[10] == 0x8e &&
       be32(ref, 4) == len - 8 && !memcmp(ref + 20, "IBM", 4) &&
       !memcmp(ref + 24, "PH", 2), "rtas: the valid reference log");

    for (k = 0; k < sizeof(defects) / sizeof(defects[0]); k++) {
        size_t off = defects[k].off, n = defects[k].n;

        ctl_ok("freeze diag=rtas class=mmio-load bar=2 off=0x40 rtas=%s",
               defects[k].name);
        eeh(c1, VFIO_EEH_PE_GET_STATE);
        r = eget(dev);
        same = r == 0 && in->format == VFIO_EEH_ERROR_FORMAT_PAPR_RTAS &&
               in->data_len == len;
        for (i = 0; same && i < len; i++) {
            if ((i >= off && i < off + n) || (i >= 64 && i < 68)) {
                continue;
            }
            same = d[i] == ref[i];
        }
        broken = memcmp(d + off, ref + off, n) &&
                 (defects[k].want ? !memcmp(d + off, defects[k].want, n)
                                  : be32(d, 4) == len - 8 + 64);
        ok(same && broken, "rtas=%s: %s, the rest as the valid log",
           defects[k].name, defects[k].desc);
        ctl_ok("thaw");
    }

    seq = log_next();
    ctl_ok("freeze diag=rtas rtas=length");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    r = eget(dev);
    xsnprintf(want, sizeof(want), "len=%u rtas=length\n", in->data_len);
    ok(r == 0 && ctl("diag-dump", out, sizeof(out), NULL, 0) == 0 &&
       strstr(out, "diag=rtas class=dma-iommu") && strstr(out, want) &&
       strstr(log_since(seq), "freeze_count=") &&
       strstr(log_since(seq), " rtas=length\n"),
       "rtas=: diag-dump and the capture log name the defect");
    ctl_ok("thaw");

    for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        nbad += ctl(bad[k], NULL, 0, NULL, 0) == 1;
    }
    ok(nbad == sizeof(bad) / sizeof(bad[0]) &&
       state_has(42, "mmio_frozen=0 dma_frozen=0 ") &&
       state_has(42, "diag=none"),
       "rtas=: unknown defect or not diag=rtas -> ERR, nothing frozen");
}

static void test_diag_group(void)
{
    struct vfio_device_feature_eeh_error *in = einfo();
    static uint8_t first[EEH_HDR + PHB3_LEN];
    int c, g, dg, dh;
    long r1, r2;

    c = new_container();
    g = open_group(48);
    set_container(g, c);
    ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
    dg = get_dev(g, DEV_G);
    dh = get_dev(g, DEV_H);
    ok(state_has(48, "diag=none captured=0 pe=7"),
       "pe=7 sets the group's host PE");
    ctl_ok("freeze group=48 diag=phb3 class=dma-access iova=0x4000");
    eeh(c, VFIO_EEH_PE_GET_STATE);
    r1 = eget(dg);
    memcpy(first, fbuf, sizeof(first));
    r2 = eget(dh);
    ok(r1 == 0 && r2 == 0 && in->pe_number == 7 &&
       !memcmp(first, fbuf, sizeof(first)),
       "two devices of one PE return the same snapshot");
    ok((be64(edata(), 296 + 8 * 7) & ~(0x3fULL << 32)) ==
       ((1ULL << 63) | (1ULL << 44) | (uint64_t)RID_A << 16) &&
       be64(edata(), 2344 + 8 * 7) == ((1ULL << 63) | 0x4000),
       "phb3 PEST entries at pe=7, RID of the first device");
    ctl_ok("thaw group=48");
    ctl_ok("freeze group=48 diag=phb4 class=dma-iommu rid=0x0009");
    eeh(c, VFIO_EEH_PE_GET_STATE);
    ok(eget(dh) == 0 &&
       ((be64(edata(), 384 + 8 * 7) >> 16) & 0xffff) == 0x0009,
       "rid= sets the PEST RID");
    close(dh);
    close(dg);
    close(g);
    close(c);
}

static void test_diag(int c1, int dev)
{
    struct vfio_device_feature_eeh_error *in = einfo();
    struct vfio_device_feature mig = {
        .argsz = sizeof(mig),
        .flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION,
    };
    struct vfio_eeh_pe_op inj = { .argsz = sizeof(inj),
                                  .op = VFIO_EEH_PE_INJECT_ERR };
    const char *const a_dump[] = { "-s", ctl_path, "diag-dump", "group=42",
                                   NULL };
    char last[256], out[8192], want[256];
    uint32_t fc;
    uint64_t seq;
    size_t i;

    ok(efeat(dev, EEH_HDR, FEAT_PROBE) == -ENOTTY &&
       eget(dev) == -ENOTTY, "eeh_error feature off: PROBE/GET -> ENOTTY");
    ctl_ok("option eeh_error_feature=1");
    ok(efeat(dev, sizeof(struct vfio_device_feature), FEAT_PROBE) == 0,
       "eeh_error feature on: PROBE|GET = 0");
    ok(efeat(dev, EEH_HDR, VFIO_DEVICE_FEATURE_PROBE |
             VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_EEH_ERROR) ==
       -EINVAL && efeat(dev, EEH_HDR, VFIO_DEVICE_FEATURE_SET |
                        VFIO_DEVICE_FEATURE_EEH_ERROR) == -EINVAL,
       "eeh_error: SET (with or without PROBE) -> EINVAL");
    ok(efeat(dev, 4, FEAT_GET) == -EINVAL &&
       efeat(dev, EEH_HDR - 1, FEAT_GET) == -EINVAL &&
       efeat(dev, EEH_HDR, VFIO_DEVICE_FEATURE_EEH_ERROR) == -EINVAL,
       "eeh_error: argsz < 8, GET argsz < 48, no GET -> EINVAL");
    ok(ioc(dev, VFIO_DEVICE_FEATURE, &mig) == -ENOTTY,
       "MIGRATION feature still -ENOTTY");
    seq = log_next();
    ok(eget(dev) == -ENOMSG, "GET without a snapshot -> ENOMSG");
    xsnprintf(want, sizeof(want), "VFIO_DEVICE_FEATURE argsz=%zu "
              "flags=0x1ee00 eeh_error \xe2\x86\x92 format=0 len=0 dev="
              DEV_A " = -1 ENOMSG", sizeof(fbuf));
    ok(strstr(log_since(seq), want) != NULL, "ENOMSG GET logged");

    /* capture happens at the first GET_STATE that sees the freeze */
    ctl_ok("freeze diag=phb4");
    ok(eget(dev) == -ENOMSG && state_has(42, "diag=phb4 captured=0 pe=42"),
       "freeze with diag: not yet captured before GET_STATE");
    seq = log_next();
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 2 && eget(dev) == 0 &&
       state_has(42, "diag=phb4 captured=1"),
       "GET_STATE captures the snapshot");
    xsnprintf(want, sizeof(want), "VFIO_DEVICE_FEATURE argsz=%zu "
              "flags=0x1ee00 eeh_error \xe2\x86\x92 format=2 len=8576 dev="
              DEV_A " = 0", sizeof(fbuf));
    ok(strstr(log_since(seq), want) &&
       strstr(log_since(seq), "INFO EEH diag captured group=42 "
              "format=phb4 class=dma-iommu pe=42 len=8576"),
       "GET and the capture logged");
    ok(ctl("diag-dump", out, sizeof(out), NULL, 0) == 0 &&
       strstr(out, "group=42 diag=phb4 class=dma-iommu pe=42 rid=0x0008") &&
       strstr(out, "\n0000: 00000001 00000003 00002180 "),
       "diag-dump prints the snapshot in hex");
    ok(run_cli(NULL, a_dump, out, sizeof(out)) == 0 &&
       strstr(out, "diag=phb4"), "CLI: diag-dump");

    /* truncation */
    ok(efeat(dev, EEH_HDR + 100, FEAT_GET) == 0 &&
       (in->flags & VFIO_EEH_ERROR_FLAG_TRUNCATED) &&
       in->data_len == PHB4_LEN && be32(edata(), 8) == PHB4_LEN &&
       fbuf[EEH_HDR + 99] != 0xa5 && fbuf[EEH_HDR + 100] == 0xa5,
       "small argsz: data cut, TRUNCATED, data_len stays full");
    ok(efeat(dev, EEH_HDR, FEAT_GET) == 0 &&
       (in->flags & VFIO_EEH_ERROR_FLAG_TRUNCATED) &&
       in->data_len == PHB4_LEN && fbuf[EEH_HDR] == 0xa5,
       "argsz = headers only: no data, TRUNCATED");
    ok(!(in->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT),
       "DMA class: no MMIO fault flag");

    /* lifetime */
    fc = in->freeze_count;
    ctl_ok("freeze diag=phb3 class=link-down");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 2 && eget(dev) == 0 &&
       in->format == VFIO_EEH_ERROR_FORMAT_OPAL_PHB4 &&
       in->freeze_count == fc,
       "a held snapshot is not replaced by the next freeze");
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_IO) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 4 && eget(dev) == 0 &&
       eeh(c1, VFIO_EEH_PE_UNFREEZE_DMA) == 0 && eget(dev) == 0 &&
       in->freeze_count == fc, "snapshot kept across UNFREEZE_IO/DMA");
    ok(eeh(c1, VFIO_EEH_PE_RESET_HOT) == 0 && eget(dev) == -ENOMSG &&
       state_has(42, "diag=none"), "RESET_HOT clears the snapshot");
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ctl_ok("freeze diag=phb4");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ok(eget(dev) == 0 && in->freeze_count == fc + 1 &&
       eeh(c1, VFIO_EEH_PE_RESET_FUNDAMENTAL) == 0 && eget(dev) == -ENOMSG,
       "RESET_FUNDAMENTAL clears it; freeze_count counts snapshots");
    eeh(c1, VFIO_EEH_PE_RESET_DEACTIVATE);
    ctl_ok("freeze diag=phb4");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ok(eget(dev) == 0 && eeh(c1, VFIO_EEH_PE_ENABLE) == 0 &&
       eget(dev) == -ENOMSG, "ENABLE clears the snapshot");
    ctl_ok("freeze diag=phb4");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ok(eget(dev) == 0 && ctl_ok("thaw") == 0 && eget(dev) == -ENOMSG,
       "host thaw clears the snapshot");
    ctl_ok("freeze diag=phb4");
    ok(eeh(c1, VFIO_EEH_PE_UNFREEZE_IO) == 0 &&
       eeh(c1, VFIO_EEH_PE_UNFREEZE_DMA) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 && eget(dev) == -ENOMSG &&
       state_has(42, "diag=none"),
       "thawed before any GET_STATE: nothing captured");
    ctl_ok("freeze aer=UE:0x4000");
    ok(eeh(c1, VFIO_EEH_PE_GET_STATE) == 2 && eget(dev) == -ENOMSG,
       "freeze without diag=: no snapshot");
    ctl_ok("thaw");

    /* every class, both OPAL layouts */
    for (i = 0; i < sizeof(class_want) / sizeof(class_want[0]); i++) {
        check_phb_class(c1, dev, &phb4_off, &class_want[i]);
    }
    for (i = 0; i < sizeof(class_want) / sizeof(class_want[0]); i++) {
        check_phb_class(c1, dev, &phb3_off, &class_want[i]);
    }

    /* MMIO outside the BARs, DMA-only freeze, PE override */
    ctl_ok("freeze mmio diag=phb4 bar=none off=0x20 pe=511");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ok(eget(dev) == 0 && !(in->flags & VFIO_EEH_ERROR_FLAG_MMIO_FAULT) &&
       in->pe_number == 511 &&
       be64(edata(), 384 + 8 * 511) >> 56 == 0xa4 &&
       be64(edata(), 4480 + 8 * 511) == HOST_MMIO + (0xffULL << 32) + 0x20,
       "freeze mmio: mmio-load, bar=none: no fault flag, DMA not stopped");
    ctl_ok("thaw");
    ok(ctl("freeze class=mmio-load", NULL, 0, last, sizeof(last)) == 1 &&
       ctl("freeze diag=phb3 pe=256", NULL, 0, last, sizeof(last)) == 1 &&
       ctl("freeze diag=phb4 class=mmio-load bar=1", NULL, 0, last,
           sizeof(last)) == 1 &&
       ctl("freeze diag=phb4 class=mmio-load off=0x4000", NULL, 0, last,
           sizeof(last)) == 1 &&
       ctl("freeze diag=phb4 class=dma-iommu bar=0", NULL, 0, last,
           sizeof(last)) == 1 &&
       ctl("freeze diag=phb5", NULL, 0, last, sizeof(last)) == 1 &&
       state_has(42, "mmio_frozen=0 dma_frozen=0"),
       "bad diag arguments -> ERR, nothing frozen");

    test_diag_rtas(c1, dev);
    test_diag_rtas_defects(c1, dev);

    /* INJECT_ERR leaves PHB4 data of the injected class */
    inj.err.type = 0;
    inj.err.func = 16;      /* DMA write address */
    inj.err.addr = 0x5000;
    inj.err.mask = ~0ULL;
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    ok(ioc(c1, VFIO_EEH_PE_OP, &inj) == 0 &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 0 &&
       ctl("dma-write 0x5000 00", NULL, 0, last, sizeof(last)) == 1 &&
       strstr(last, "ERR EIO") &&
       eeh(c1, VFIO_EEH_PE_GET_STATE) == 2 && eget(dev) == 0 &&
       in->format == VFIO_EEH_ERROR_FORMAT_OPAL_PHB4 &&
       (be64(edata(), 384 + 8 * PE_A) & (1ULL << 44)) &&
       be64(edata(), 4480 + 8 * PE_A) == ((1ULL << 63) | 0x5000),
       "INJECT_ERR DMA write, fired by the DMA: TCE access fault at addr");
    ctl_ok("thaw");
    cfg_wr(dev, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);

    test_diag_group();

    ctl_ok("freeze diag=phb4");
    eeh(c1, VFIO_EEH_PE_GET_STATE);
    ctl_ok("option eeh_error_feature=0");
    ok(eget(dev) == -ENOTTY && efeat(dev, EEH_HDR, FEAT_PROBE) == -ENOTTY,
       "eeh_error_feature=0 again: ENOTTY with a snapshot held");
    ctl_ok("thaw");
}

/* aer=: the extended capability chain, and AER wherever it is */

/* the chain from 0x100 as "<id>.<version>@<offset> ..." */
static const char *ecap_chain(int dev)
{
    static char buf[256];
    uint32_t pos = PCI_CFG_SPACE_SIZE, h;
    size_t used = 0;
    int n = 0;

    buf[0] = '\0';
    while (pos && n++ < 16) {
        h = cfg_get(dev, pos, 4);
        if (!h) {
            break;
        }
        used += xsnprintf(buf + used, sizeof(buf) - used, "%s%04x.%u@%03x",
                          used ? " " : "", h & 0xffff, (h >> 16) & 0xf, pos);
        pos = PCI_EXT_CAP_NEXT(h);
    }
    return buf;
}

/* a container with the group's device, its fds in fds[0..2] */
static int aer_dev_open(int group, const char *name, int *fds)
{
    fds[0] = new_container();
    fds[1] = open_group(group);
    set_container(fds[1], fds[0]);
    ioc_int(fds[0], VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
    fds[2] = get_dev(fds[1], name);
    return fds[2];
}

static void aer_dev_close(const int *fds)
{
    close(fds[2]);
    close(fds[1]);
    close(fds[0]);
}

/* the RTAS log's UD text of the PE of group (feature on, then off) */
static const char *rtas_ud(int c, int dev, int group, const char *extra)
{
    /* 8 + 16 bytes of headers, PH, UH, PS, then UD's 8-byte header */
    const uint32_t ud = 8 + 16 + 48 + 24 + 80 + 8;
    static char text[2048];
    uint32_t len;

    ctl_ok("option eeh_error_feature=1");
    ctl_ok("freeze group=%d diag=rtas %s", group, extra);
    eeh(c, VFIO_EEH_PE_GET_STATE);
    len = eget(dev) == 0 ? einfo()->data_len : 0;
    text[0] = '\0';
    if (len > ud && len - ud < sizeof(text) &&
        !memcmp(edata() + ud - 8, "UD", 2)) {
        memcpy(text, edata() + ud, len - ud);
        text[len - ud] = '\0';
    }
    ctl_ok("thaw group=%d", group);
    ctl_ok("option eeh_error_feature=0");
    return text;
}

static void check_aer_at(int group, const char *name, uint32_t aer)
{
    static uint8_t cfg[4096];
    int fds[3], dev = aer_dev_open(group, name, fds), c = fds[0];
    const uint32_t end = aer + 0x2c;
    char want[128], chain[64], tag[16];
    uint32_t v[2], i;
    bool hdr_ok = true;

    xsnprintf(tag, sizeof(tag), "aer=0x%x", aer);
    if (aer == 0x100) {
        xsnprintf(chain, sizeof(chain), "0001.2@100");
    } else {
        xsnprintf(chain, sizeof(chain), "000b.1@100 0001.2@%03x", aer);
    }
    ok(dev >= 0 && !strcmp(ecap_chain(dev), chain),
       "%s: extended capabilities %s", tag, chain);
    if (aer != 0x100) {
        cfg_wr(dev, 0x100, 4, 0);
        cfg_wr(dev, 0x104, 4, 0);
        ok(cfg_get(dev, 0x100, 4) == (0x0001000b | aer << 20) &&
           cfg_get(dev, 0x104, 4) == 0x00810001,
           "%s: read-only VSEC at 0x100: ID 1, rev 1, length 8", tag);
        cfg_wr(dev, aer - 4, 4, 0xffffffff);
        ok(pread(dev, v, 8, CFG_OFF + aer - 4) == 8 && v[0] == 0 &&
           v[1] == 0x00020001 && pread(dev, cfg, sizeof(cfg), CFG_OFF) ==
           sizeof(cfg) && all_zero(cfg, 0x108, aer - 0x108),
           "%s: the gap reads 0 and ignores writes; straddling read", tag);
    }
    pread(dev, cfg, sizeof(cfg), CFG_OFF);
    ok(all_zero(cfg, end, sizeof(cfg) - end) &&
       cfg_rd(dev, 0xffc, 4, v) == 4 && cfg_rd(dev, 0xffd, 4, v) == -EFAULT,
       "%s: 0 after the capability; config ends at 4096", tag);

    cfg_wr(dev, aer + 8, 4, 0xffffffff);
    ok(cfg_get(dev, aer + 8, 4) == 0x03fff030 &&
       cfg_get(dev, aer + 0xc, 4) == 0x00462030 &&
       cfg_get(dev, aer + 0x14, 4) == 0x2000 &&
       cfg_get(dev, aer + 0x18, 4) == 0xa0,
       "%s: UE mask write mask, default severity, CE mask, ECRC", tag);
    cfg_wr(dev, aer + 8, 4, 0);

    ctl_ok("freeze group=%d aer=UE:0x4000 aer=CE:0x1 hdr=1,2,3,4", group);
    ctl_ok("thaw group=%d", group);
    for (i = 0; i < 4; i++) {
        hdr_ok &= cfg_get(dev, aer + 0x1c + 4 * i, 4) == i + 1;
    }
    ok(cfg_get(dev, aer + 4, 4) == 0x4000 &&
       cfg_get(dev, aer + 0x10, 4) == 0x1 && hdr_ok &&
       (cfg_get(dev, aer + 0x18, 4) & 0x1f) == 14 &&
       (cfg_get(dev, 0x7a, 2) & 0x3) == 0x3,
       "%s: freeze aer=/hdr=: status, first error pointer, header log, "
       "DEVSTA", tag);
    ok(ioc(dev, VFIO_DEVICE_RESET, NULL) == 0 &&
       eeh(c, VFIO_EEH_PE_RESET_HOT) == 0 &&
       eeh(c, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
       cfg_get(dev, aer + 4, 4) == 0x4000 &&
       cfg_get(dev, aer + 0x28, 4) == 4 &&
       (cfg_get(dev, 0x7a, 2) & 0xf) == 0,
       "%s: AER sticky across FLR and hot reset, DEVSTA cleared", tag);
    cfg_wr(dev, aer + 4, 4, 0x4000);
    cfg_wr(dev, aer + 0x10, 4, 0x1);
    ok(cfg_get(dev, aer + 4, 4) == 0 && cfg_get(dev, aer + 0x10, 4) == 0 &&
       cfg_get(dev, aer + 0x28, 4) == 4, "%s: status RW1C", tag);

    cfg_wr(dev, aer + 0xc, 4, 0);
    ctl_ok("freeze group=%d aer=UE:0x10", group);
    ok(eeh(c, VFIO_EEH_PE_RESET_FUNDAMENTAL) == 0 &&
       eeh(c, VFIO_EEH_PE_RESET_DEACTIVATE) == 0 &&
       cfg_get(dev, aer + 4, 4) == 0 &&
       cfg_get(dev, aer + 0xc, 4) == 0x00462030 &&
       cfg_get(dev, aer + 0x18, 4) == 0xa0 &&
       cfg_get(dev, aer + 0x28, 4) == 0 &&
       !strcmp(ecap_chain(dev), chain),
       "%s: fundamental reset restores the AER defaults", tag);

    /* eeh_dump_dev_log(): 14 dwords; past 4 KiB the last one again */
    xsnprintf(want, sizeof(want), "pci-e AER:\n00:20001\n04:4000\n"
              "08:0\n0c:462030\n10:0\n14:2000\n18:ae\n1c:1\n20:2\n"
              "24:3\n28:4\n2c:%x\n30:%x\n34:%x\n",
              end == 4096 ? 4 : 0, end == 4096 ? 4 : 0, end == 4096 ? 4 : 0);
    ok(strstr(rtas_ud(c, dev, group, "aer=UE:0x4000 hdr=1,2,3,4"), want)
       != NULL, "%s: the RTAS log's AER dump", tag);

    /* the last close resets the device, the next open rebuilds config */
    close(dev);
    fds[2] = dev = get_dev(fds[1], name);
    ok(dev >= 0 && cfg_get(dev, aer + 4, 4) == 0x4000 &&
       cfg_get(dev, aer + 0x28, 4) == 4 &&
       cfg_get(dev, aer + 0xc, 4) == 0x00462030 &&
       !strcmp(ecap_chain(dev), chain),
       "%s: AER kept across close and reopen of the device", tag);
    aer_dev_close(fds);
}

static void test_aer_none(void)
{
    static uint8_t cfg[4096];
    int fds[3], dev = aer_dev_open(52, DEV_M, fds);
    const char *ud;

    ok(dev >= 0 && !ecap_chain(dev)[0] && cfg_get(dev, 0x100, 4) == 0,
       "aer=none: the dword at 0x100 reads 0");
    cfg_wr(dev, 0x100, 4, 0x00020001);
    cfg_wr(dev, 0x104, 4, 0xffffffff);
    cfg_wr(dev, 0x108, 4, 0xffffffff);
    ctl_ok("freeze group=52 aer=UE:0x10 aer=CE:0x1 hdr=1,2,3,4");
    ctl_ok("thaw group=52");
    ok(pread(dev, cfg, sizeof(cfg), CFG_OFF) == sizeof(cfg) &&
       all_zero(cfg, 0x100, 0xf00) && (cfg[0x7a] & 0xf) == 0x5,
       "aer=none: extended config space 0, writes and freeze aer= land "
       "nowhere; DEVSTA CED|FED by default severity");
    cfg_wr(dev, 0x7a, 2, 0xf);
    ctl_ok("freeze group=52 aer=UE:0x4000");
    ctl_ok("thaw group=52");
    ok((cfg_get(dev, 0x7a, 2) & 0xf) == 0x2,
       "aer=none: a default non-fatal UE sets NFED");
    ud = rtas_ud(fds[0], dev, 52, "");
    ok(strstr(ud, "pci-e cap10:\n") && !strstr(ud, "pci-e AER"),
       "aer=none: the RTAS log has no AER dump");
    aer_dev_close(fds);
}

/* the bad aer= lines of config_text, on the constructor's stderr */
static void test_aer_config(void)
{
    static char text[8192];
    char path[PATH_MAX];
    const char *p = text;
    int fd, bad = 0;
    ssize_t n = 0;

    xsnprintf(path, sizeof(path), "%s/stderr.txt", dir);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, text, sizeof(text) - 1);
        close(fd);
    }
    text[n > 0 ? n : 0] = '\0';
    while ((p = strstr(p, ": aer=none|0x100..0xfd4, dword-aligned\n"))) {
        bad++;
        p++;
    }
    ok(bad == 4 && open_group(60) == -1 && errno == ENOENT,
       "aer=0x102|0xfd8|0xfc|0x200x: config errors, no device");
}

static void test_aer(void)
{
    int fds[3], dev;

    test_aer_config();
    check_aer_at(53, DEV_N, 0x100);
    check_aer_at(51, DEV_L, 0x200);
    check_aer_at(50, DEV_K, 0xfd4);
    test_aer_none();

    /* no room for the VSEC's own header: it is just the link */
    dev = aer_dev_open(54, DEV_O, fds);
    ok(dev >= 0 && !strcmp(ecap_chain(dev), "000b.1@100 0001.2@104") &&
       cfg_get(dev, 0x104 + 0xc, 4) == 0x00462030,
       "aer=0x104: a 4-byte VSEC at 0x100, then AER");
    aer_dev_close(fds);
}

static void test_close(int c1, int g42, int dev)
{
    struct vfio_group_status st = { .argsz = sizeof(st) };
    struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };
    int g, c;

    ok(ioc(g42, VFIO_GROUP_UNSET_CONTAINER, NULL) == -EBUSY,
       "UNSET_CONTAINER with an open device -> EBUSY");
    close(g42);
    ok(open_group(42) == -1 && errno == EBUSY,
       "group stays busy while a device fd holds it");
    close(c1);
    ok(bar_get(dev, 0) == 0x00051b36 && state_has(42, "windows=1"),
       "closing the container fd keeps it alive for its groups");
    close(dev);
    g = open_group(42);
    ok(g >= 0 && ioc(g, VFIO_GROUP_GET_STATUS, &st) == 0 &&
       st.flags == VFIO_GROUP_FLAGS_VIABLE,
       "last device close releases group and container");
    c = new_container();
    set_container(g, c);
    ok(ioc(c, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == -EINVAL &&
       state_has(42, "windows=0"), "a new container starts without IOMMU");
    ok(ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_IOMMU) == 0 &&
       ioc(c, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info) == 0 && info.flags == 0,
       "v1 SPAPR_TCE IOMMU: no DDW");
    ok(map(c, 0, mem, 4096, 3) == -EPERM &&
       ioc_int(c, VFIO_IOMMU_ENABLE, 0) == 0 &&
       ioc_int(c, VFIO_IOMMU_ENABLE, 0) == -EBUSY &&
       map(c, 0, mem, 4096, 3) == 0, "v1: MAP_DMA needs IOMMU_ENABLE");
    ok(reg_mem(c, mem, 4096, true) == -ENOTTY, "v1: REGISTER_MEMORY -> ENOTTY");
    close(g);
    close(c);
    ctl_ok("option eeh=0");
    c = new_container();
    g = open_group(42);
    set_container(g, c);
    ioc_int(c, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU);
    ok(ioc_int(c, VFIO_CHECK_EXTENSION, VFIO_EEH) == 0 &&
       eeh(c, VFIO_EEH_PE_GET_STATE) == -ENODEV,
       "option eeh=0: no VFIO_EEH extension, PE ops -> ENODEV");
    ctl_ok("option eeh=1");
    close(g);
    close(c);
}

static int child_main(void)
{
    int g42, g43, c1, dev, devb;
    int more[12];
    const char *s = getenv("VHM_CTRL");

    xsnprintf(ctl_path, sizeof(ctl_path), "%s", s ? s : "");
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* the constructor has written to $dir/stderr.txt: stderr is back */
    s = getenv("VHM_TEST_STDERR");
    if (s && dup2(atoi(s), 2) == 2) {
        close(atoi(s));
    }

    test_sysfs();
    test_open(&g42);
    test_container_basic(&c1, g42);
    test_group(c1, g42, &g43);
    test_iommu(c1);
    test_tce_stats(c1);
    test_device_fd(g42, &dev);
    set_container(g43, c1);
    devb = get_dev(g43, DEV_B);
    test_device_info(dev);
    test_config(dev, devb);
    test_bar(dev);
    test_resets(dev, devb, g42, g43, c1);
    test_feature(dev);
    test_irqs(dev);
    close(devb);
    ioc(g43, VFIO_GROUP_UNSET_CONTAINER, NULL);
    test_eeh(c1, dev);
    test_cfg_modes(more);
    set_container(g43, c1);
    test_enodev(c1, g42, g43);
    ioc(g43, VFIO_GROUP_UNSET_CONTAINER, NULL);
    test_faults(c1, dev);
    test_dma(c1, dev);
    test_inject(c1, dev, g43, more);
    test_diag(c1, dev);
    test_cli();
    test_virtio();
    test_aer();
    test_close(c1, g42, dev);

    printf("1..%d\n", ntests);
    return nfailed ? 1 : 0;
}

static void exe_dir(char *out, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    char *slash;

    if (n < 0) {
        xsnprintf(out, len, ".");
        return;
    }
    out[n] = '\0';
    slash = strrchr(out, '/');
    if (slash) {
        *slash = '\0';
    }
}

int main(int argc, char **argv)
{
    char here[PATH_MAX], lib[PATH_MAX], path[PATH_MAX];
    const char *s;
    int errfd, saved;
    FILE *f;

    (void)argc;
    exe_dir(here, sizeof(here));
    s = getenv("VHM_CLI");
    if (s) {
        xsnprintf(cli_path, sizeof(cli_path), "%s", s);
    } else {
        xsnprintf(cli_path, sizeof(cli_path), "%s/vfio-host-ctl", here);
    }
    s = getenv("VHM_TEST_DIR");
    if (s) {
        xsnprintf(dir, sizeof(dir), "%s", s);
    }

    if (getenv("VHM_TEST_CHILD")) {
        return child_main();
    }

    if (!dir[0]) {
        xsnprintf(dir, sizeof(dir), "/tmp/vhm-test.XXXXXX");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 2;
        }
    }
    s = getenv("VHM_LIB");
    if (s) {
        xsnprintf(lib, sizeof(lib), "%s", s);
    } else {
        xsnprintf(lib, sizeof(lib), "%s/libvfio-host-model.so", here);
    }
    xsnprintf(path, sizeof(path), "%s/vhm.conf", dir);
    f = fopen(path, "w");
    if (!f || fputs(config_text, f) < 0 || fclose(f)) {
        perror("write config");
        return 2;
    }
    setenv("VHM_CONFIG", path, 1);
    unsetenv("VHM_DEVICES");
    xsnprintf(path, sizeof(path), "%s/sys", dir);
    setenv("VHM_SYSFS", path, 1);
    xsnprintf(path, sizeof(path), "%s/ctrl.sock", dir);
    setenv("VHM_CTRL", path, 1);
    xsnprintf(path, sizeof(path), "%s/ops.log", dir);
    setenv("VHM_LOG", path, 1);
    setenv("VHM_TEST_DIR", dir, 1);
    setenv("VHM_CLI", cli_path, 1);
    setenv("VHM_TEST_CHILD", "1", 1);
    setenv("LD_PRELOAD", lib, 1);
    /* the model's config errors go to a file the child checks */
    xsnprintf(path, sizeof(path), "%s/stderr.txt", dir);
    errfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    saved = dup(2);
    if (errfd < 0 || saved < 0) {
        perror("stderr.txt");
        return 2;
    }
    xsnprintf(path, sizeof(path), "%d", saved);
    setenv("VHM_TEST_STDERR", path, 1);
    dup2(errfd, 2);
    execv("/proc/self/exe", argv);
    dup2(saved, 2);
    perror("exec");
    return 2;
}
