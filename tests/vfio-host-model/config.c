/*
 * VFIO host model: configuration (environment, config file, sysfs tree)
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "vhm.h"

#define VHM_DEFAULT_DEVICES "0001:00:01.0@42"

static const struct {
    int err;
    const char *name;
} errno_names[] = {
    { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
    { EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
    { E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
    { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
    { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
    { ENOTDIR, "ENOTDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
    { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" },
    { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
    { EPIPE, "EPIPE" }, { EDOM, "EDOM" }, { ERANGE, "ERANGE" },
    { EDEADLK, "EDEADLK" }, { ENAMETOOLONG, "ENAMETOOLONG" },
    { ENOSYS, "ENOSYS" }, { ENODATA, "ENODATA" }, { ETIME, "ETIME" },
    { EOVERFLOW, "EOVERFLOW" }, { EBADFD, "EBADFD" },
    { EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
    { EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
    { ECANCELED, "ECANCELED" }, { ENOMSG, "ENOMSG" },
    { EHWPOISON, "EHWPOISON" }, { ENOLINK, "ENOLINK" },
    { EPROTO, "EPROTO" }, { ENOTSUP, "ENOTSUP" },
};

#define N_ERRNO_NAMES (sizeof(errno_names) / sizeof(errno_names[0]))

const char *vhm_errno_name(int err)
{
    static __thread char buf[16];
    size_t i;

    for (i = 0; i < N_ERRNO_NAMES; i++) {
        if (errno_names[i].err == err) {
            return errno_names[i].name;
        }
    }
    snprintf(buf, sizeof(buf), "E%d", err);
    return buf;
}

int vhm_errno_parse(const char *s)
{
    uint64_t v;
    size_t i;

    if (vhm_parse_u64(s[0] == '-' ? s + 1 : s, 0, &v) == 0) {
        return (v > 0 && v < 4096) ? (int)v : -1;
    }
    for (i = 0; i < N_ERRNO_NAMES; i++) {
        if (!strcasecmp(errno_names[i].name, s)) {
            return errno_names[i].err;
        }
    }
    return -1;
}

VhmDev *vhm_dev_by_bdf(const char *bdf)
{
    int i;

    for (i = 0; i < vhm.ndevs; i++) {
        if (strcmp(vhm.devs[i].bdf, bdf) == 0) {
            return &vhm.devs[i];
        }
    }
    return NULL;
}

VhmGroup *vhm_group_by_id(int id)
{
    int i;

    for (i = 0; i < vhm.ngroups; i++) {
        if (vhm.groups[i].id == id) {
            return &vhm.groups[i];
        }
    }
    return NULL;
}

static int parse_bdf(const char *s, char *out, size_t outlen,
                     unsigned *domain, unsigned *bus, unsigned *devfn)
{
    unsigned d = 0, b, sl, f;
    int n = 0;

    if (sscanf(s, "%x:%x:%x.%x%n", &d, &b, &sl, &f, &n) != 4 ||
        s[n] != '\0') {
        n = 0;
        d = 0;
        if (sscanf(s, "%x:%x.%x%n", &b, &sl, &f, &n) != 3 ||
            s[n] != '\0') {
            return -1;
        }
    }
    if (d > 0xffff || b > 0xff || sl > 0x1f || f > 7) {
        return -1;
    }
    snprintf(out, outlen, "%04x:%02x:%02x.%x", d, b, sl, f);
    *domain = d;
    *bus = b;
    *devfn = (sl << 3) | f;
    return 0;
}

static VhmDev *add_device(const char *bdf, int group, char *err,
                          size_t errlen)
{
    VhmDev *d;
    char name[32];
    unsigned dom, bus, devfn;

    if (parse_bdf(bdf, name, sizeof(name), &dom, &bus, &devfn) < 0) {
        snprintf(err, errlen, "bad BDF '%s'", bdf);
        return NULL;
    }
    if (group < 0) {
        snprintf(err, errlen, "bad group for %s", name);
        return NULL;
    }
    if (vhm_dev_by_bdf(name)) {
        snprintf(err, errlen, "duplicate device %s", name);
        return NULL;
    }
    if (vhm.ndevs >= VHM_MAX_DEVS) {
        snprintf(err, errlen, "too many devices");
        return NULL;
    }
    d = &vhm.devs[vhm.ndevs++];
    memset(d, 0, sizeof(*d));
    snprintf(d->bdf, sizeof(d->bdf), "%s", name);
    d->domain = dom;
    d->bus = bus;
    d->devfn = devfn;
    d->group_id = group;
    d->vendor = 0x1b36;
    d->devid = 0x0005;
    d->flr = true;
    d->viable = true;
    d->cfg_frozen = VHM_CFG_ONES;
    d->msi_vectors = 1;
    d->pe = -1;
    d->aer = VHM_ECAP_BASE;
    return d;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes")) {
        *out = true;
    } else if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no")) {
        *out = false;
    } else {
        return -1;
    }
    return 0;
}

static int parse_cfg_mode(const char *v)
{
    static const char *const names[] = {
        [VHM_CFG_ONES] = "ones",
        [VHM_CFG_PASS] = "pass",
        [VHM_CFG_ENODEV] = "enodev",
        [VHM_CFG_EIO] = "eio",
        [VHM_CFG_VCONFIG] = "vconfig",
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcmp(v, names[i])) {
            return (int)i;
        }
    }
    return -1;
}

static int parse_option(const char *key, const char *val, char *err,
                        size_t errlen)
{
    bool b;

    if (!strcmp(key, "log_max")) {
        uint64_t n;

        if (vhm_parse_u64(val, 0, &n) < 0 || n < 16 || n > (1 << 24)) {
            snprintf(err, errlen, "log_max too small");
            return -1;
        }
        vhm.opt.log_max = n;
        return 0;
    }
    if (!strcmp(key, "eeh_inject")) {
        int p = vhm_inject_platform_parse(val);

        if (p < 0) {
            snprintf(err, errlen, "eeh_inject=phb3|phb4|pseries|none");
            return -1;
        }
        if (p != vhm.opt.eeh_inject) {
            /* another host: nothing stays armed in the old one's PHBs */
            vhm_inject_disarm_all("option");
        }
        vhm.opt.eeh_inject = p;
        return 0;
    }
    if (!strcmp(key, "eeh_container_ops")) {
        if (!strcmp(val, "first")) {
            vhm.opt.eeh_first_group = true;
        } else if (!strcmp(val, "all")) {
            vhm.opt.eeh_first_group = false;
        } else {
            snprintf(err, errlen, "eeh_container_ops=all|first");
            return -1;
        }
        return 0;
    }
    if (parse_bool(val, &b) < 0) {
        snprintf(err, errlen, "option %s: bad value '%s'", key, val);
        return -1;
    }
    if (!strcmp(key, "log_dma")) {
        vhm.opt.log_dma = b;
    } else if (!strcmp(key, "bar_needs_mem")) {
        vhm.opt.bar_needs_mem = b;
    } else if (!strcmp(key, "eeh")) {
        vhm.opt.eeh = b;
    } else if (!strcmp(key, "spapr_v2")) {
        vhm.opt.spapr_v2 = b;
    } else if (!strcmp(key, "eeh_error_feature")) {
        vhm.opt.eeh_error_feature = b;
    } else {
        snprintf(err, errlen, "unknown option '%s'", key);
        return -1;
    }
    return 0;
}

static int parse_device_kv(VhmDev *d, const char *key, const char *val,
                           char *err, size_t errlen)
{
    uint64_t v;
    bool b;

    if (!strcmp(key, "vendor") || !strcmp(key, "devid")) {
        if (vhm_parse_u64(val, 0, &v) < 0 || v > 0xffff) {
            snprintf(err, errlen, "bad %s '%s'", key, val);
            return -1;
        }
        if (key[0] == 'v') {
            d->vendor = v;
            d->vendor_set = true;
        } else {
            d->devid = v;
            d->devid_set = true;
        }
        return 0;
    }
    if (!strcmp(key, "personality")) {
        if (!strcmp(val, "default")) {
            d->personality = VHM_PERS_DEFAULT;
        } else if (!strcmp(val, "virtio")) {
            d->personality = VHM_PERS_VIRTIO;
        } else {
            snprintf(err, errlen, "personality=default|virtio");
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "msi_vectors")) {
        if (vhm_parse_u64(val, 0, &v) < 0 || !v || v > VHM_MSI_MAX ||
            (v & (v - 1))) {
            snprintf(err, errlen, "msi_vectors=1|2|4|8|16|32");
            return -1;
        }
        d->msi_vectors = (int)v;
        return 0;
    }
    if (!strcmp(key, "pe")) {
        /* host PE number; PHB4 has 512 PEs */
        if (vhm_parse_u64(val, 0, &v) < 0 || v > 511) {
            snprintf(err, errlen, "pe=0..511");
            return -1;
        }
        d->pe = (int)v;
        return 0;
    }
    if (!strcmp(key, "aer")) {
        /* AER offset: dword-aligned, the 0x2c bytes inside config space */
        if (!strcmp(val, "none")) {
            d->aer = 0;
        } else if (vhm_parse_u64(val, 0, &v) < 0 || v < VHM_ECAP_BASE ||
                   v > VHM_AER_MAX || (v & 3)) {
            snprintf(err, errlen, "aer=none|0x%x..0x%x, dword-aligned",
                     VHM_ECAP_BASE, VHM_AER_MAX);
            return -1;
        } else {
            d->aer = (int)v;
        }
        return 0;
    }
    if (!strcmp(key, "cfg_frozen")) {
        d->cfg_frozen = parse_cfg_mode(val);
        if (d->cfg_frozen < 0) {
            snprintf(err, errlen, "cfg_frozen=ones|pass|enodev|eio|vconfig");
            return -1;
        }
        return 0;
    }
    if (parse_bool(val, &b) < 0) {
        snprintf(err, errlen, "bad value for %s: '%s'", key, val);
        return -1;
    }
    if (!strcmp(key, "flr")) {
        d->flr = b;
    } else if (!strcmp(key, "viable")) {
        d->viable = b;
    } else if (!strcmp(key, "reset_state")) {
        d->reset_state = b;
    } else {
        snprintf(err, errlen, "unknown device key '%s'", key);
        return -1;
    }
    return 0;
}

int vhm_config_parse_line(const char *line, char *err, size_t errlen)
{
    char buf[1024];
    char *tok, *save = NULL, *hash;
    VhmDev *d = NULL;
    int group = -1;
    char *bdf;
    char *kv[32];
    int nkv = 0, i;

    snprintf(buf, sizeof(buf), "%s", line);
    hash = strchr(buf, '#');
    if (hash) {
        *hash = '\0';
    }
    tok = strtok_r(buf, " \t\r\n", &save);
    if (!tok) {
        return 0;
    }
    if (!strcmp(tok, "option")) {
        while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
            char *eq = strchr(tok, '=');

            if (!eq) {
                snprintf(err, errlen, "option needs key=value");
                return -1;
            }
            *eq = '\0';
            if (parse_option(tok, eq + 1, err, errlen) < 0) {
                return -1;
            }
        }
        return 0;
    }
    if (strcmp(tok, "device") != 0) {
        snprintf(err, errlen, "unknown keyword '%s'", tok);
        return -1;
    }
    bdf = strtok_r(NULL, " \t\r\n", &save);
    if (!bdf) {
        snprintf(err, errlen, "device needs a BDF");
        return -1;
    }
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) && nkv < 32) {
        if (!strncmp(tok, "group=", 6)) {
            uint64_t g;

            if (vhm_parse_u64(tok + 6, 10, &g) < 0 || g > INT_MAX) {
                snprintf(err, errlen, "bad group '%s'", tok + 6);
                return -1;
            }
            group = (int)g;
        } else {
            kv[nkv++] = tok;
        }
    }
    if (group < 0) {
        snprintf(err, errlen, "device %s needs group=N", bdf);
        return -1;
    }
    d = add_device(bdf, group, err, errlen);
    if (!d) {
        return -1;
    }
    for (i = 0; i < nkv; i++) {
        char *eq = strchr(kv[i], '=');

        if (!eq) {
            snprintf(err, errlen, "expected key=value, got '%s'", kv[i]);
            vhm.ndevs--;
            return -1;
        }
        *eq = '\0';
        if (parse_device_kv(d, kv[i], eq + 1, err, errlen) < 0) {
            vhm.ndevs--;
            return -1;
        }
    }
    if (d->personality == VHM_PERS_VIRTIO) {
        /* explicit vendor=/devid= win, in any order */
        if (!d->vendor_set) {
            d->vendor = VHM_VIRTIO_VENDOR;
        }
        if (!d->devid_set) {
            d->devid = VHM_VIRTIO_DEVID;
        }
    }
    return 0;
}

static void parse_device_list(const char *list)
{
    char *copy = strdup(list);
    char *tok, *save = NULL;
    char err[256];

    for (tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        char *at = strchr(tok, '@');
        uint64_t g;

        if (!at) {
            fprintf(stderr, "vfio-host-model: VHM_DEVICES: '%s' needs "
                    "BDF@GROUP\n", tok);
            continue;
        }
        *at = '\0';
        if (vhm_parse_u64(at + 1, 10, &g) < 0 || g > INT_MAX) {
            fprintf(stderr, "vfio-host-model: bad group '%s'\n", at + 1);
            continue;
        }
        if (!add_device(tok, (int)g, err, sizeof(err))) {
            fprintf(stderr, "vfio-host-model: VHM_DEVICES: %s\n", err);
        }
    }
    free(copy);
}

static void parse_config_file(const char *path)
{
    FILE *f = fopen(path, "re");
    char line[1024];
    char err[256];
    int lineno = 0;

    if (!f) {
        fprintf(stderr, "vfio-host-model: cannot open VHM_CONFIG %s: %s\n",
                path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (vhm_config_parse_line(line, err, sizeof(err)) < 0) {
            fprintf(stderr, "vfio-host-model: %s:%d: %s\n", path, lineno,
                    err);
        }
    }
    fclose(f);
}

static void build_groups(void)
{
    int i;

    for (i = 0; i < vhm.ndevs; i++) {
        VhmDev *d = &vhm.devs[i];
        VhmGroup *g = vhm_group_by_id(d->group_id);

        if (!g) {
            if (vhm.ngroups >= VHM_MAX_GROUPS) {
                fprintf(stderr, "vfio-host-model: too many groups\n");
                vhm.ndevs = i;
                break;
            }
            g = &vhm.groups[vhm.ngroups++];
            memset(g, 0, sizeof(*g));
            g->id = d->group_id;
            g->fd = -1;
            g->host_pe = (uint32_t)g->id % 256;
        }
        if (g->ndevs >= VHM_MAX_GROUP_DEVS) {
            fprintf(stderr, "vfio-host-model: group %d is full\n", g->id);
            vhm.ndevs = i;
            break;
        }
        g->devs[g->ndevs++] = d;
        g->reset_state |= d->reset_state;
        if (d->pe >= 0 && !g->host_pe_set) {
            /* the first device that names the PE wins */
            g->host_pe = d->pe;
            g->host_pe_set = true;
        }
        d->group = g;
        vhm_dev_init(d);
    }
}

void vhm_config_load(void)
{
    const char *cfg = getenv("VHM_CONFIG");
    const char *devs = getenv("VHM_DEVICES");
    const char *s;

    vhm.opt.log_dma = false;
    vhm.opt.bar_needs_mem = true;
    vhm.opt.eeh = true;
    vhm.opt.eeh_first_group = false;
    vhm.opt.spapr_v2 = true;
    vhm.opt.eeh_error_feature = false;
    vhm.opt.eeh_inject = VHM_INJ_PHB3;
    vhm.opt.log_max = 65536;

    s = getenv("VHM_CTRL");
    vhm.ctrl_path = (s && *s) ? strdup(s) : NULL;
    s = getenv("VHM_LOG");
    vhm.log_path = (s && *s) ? strdup(s) : NULL;
    s = getenv("VHM_SYSFS");
    vhm.sysfs = (s && *s) ? strdup(s) : NULL;

    if (cfg && *cfg) {
        parse_config_file(cfg);
    }
    if (devs && *devs) {
        parse_device_list(devs);
    }
    if (!(cfg && *cfg) && !(devs && *devs)) {
        parse_device_list(VHM_DEFAULT_DEVICES);
    }
    build_groups();
    vhm_log_open_file();
}

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    char *p;

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        return -ENAMETOOLONG;
    }
    for (p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
                return -errno;
            }
            *p = '/';
        }
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
        return -errno;
    }
    return 0;
}

/* a device's 32-bit (64-bit) BARs fit in its 16 KiB (64 KiB) host slot */
_Static_assert(VHM_BAR0_SIZE <= (1ULL << VHM_HOST_M32_SLOT_SHIFT),
               "BAR0 does not fit the host M32 slot");
_Static_assert(VHM_BAR2_SIZE <= (1ULL << VHM_HOST_M64_SLOT_SHIFT),
               "BAR2 does not fit the host M64 slot");

/* the read-only low bits of BAR i: I/O or memory, type, prefetchable */
static uint32_t bar_low_bits(const VhmDev *d, int i)
{
    return vhm_ld(&d->cfg[PCI_BASE_ADDRESS_0 + 4 * i], 4) & 0xf;
}

/*
 * The host resource of BAR or ROM index of d, as the host kernel holds
 * it (and prints it in <sysfsdev>/resource).  Every device sits in the
 * windows of the PHB of its PCI domain, at a slot of its bus and devfn;
 * its BARs of one kind follow each other there, each aligned to its
 * size.  false (and zeros) for an unused resource.
 */
bool vhm_dev_resource(const VhmDev *d, int index, uint64_t *start,
                      uint64_t *end, uint64_t *flags)
{
    uint64_t phb = VHM_HOST_PHB_BASE + d->domain * VHM_HOST_PHB_STRIDE;
    uint64_t off = 0, base, size;
    uint32_t lo;
    int i;

    *start = *end = *flags = 0;
    if (index < 0 || index >= 6 || !d->bar_size[index]) {
        /* no ROM, no SR-IOV BARs; BAR3 is the upper half of BAR2 */
        return false;
    }
    lo = bar_low_bits(d, index);
    for (i = 0; i < index; i++) {
        uint64_t sz = d->bar_size[i];

        if (sz && !((bar_low_bits(d, i) ^ lo) & 0x7)) {
            off = ((off + sz - 1) & ~(sz - 1)) + sz;
        }
    }
    size = d->bar_size[index];
    off = (off + size - 1) & ~(size - 1);

    if (lo & PCI_BASE_ADDRESS_SPACE_IO) {
        /* the model's device has no I/O BAR; a 64 KiB PHB I/O window */
        base = phb + ((uint64_t)d->bus << 16) + ((uint64_t)d->devfn << 8);
        *flags = VHM_IORESOURCE_IO | (lo & 0x3);
    } else if ((lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK) ==
               PCI_BASE_ADDRESS_MEM_TYPE_64) {
        base = phb + VHM_HOST_M64_OFF +
               ((uint64_t)d->bus << VHM_HOST_M64_BUS_SHIFT) +
               ((uint64_t)d->devfn << VHM_HOST_M64_SLOT_SHIFT);
        *flags = VHM_IORESOURCE_MEM | VHM_IORESOURCE_MEM_64 | lo;
    } else {
        base = phb + VHM_HOST_M32_OFF +
               ((uint64_t)d->bus << VHM_HOST_M32_BUS_SHIFT) +
               ((uint64_t)d->devfn << VHM_HOST_M32_SLOT_SHIFT);
        *flags = VHM_IORESOURCE_MEM | lo;
    }
    if (!(lo & PCI_BASE_ADDRESS_SPACE_IO) &&
        (lo & PCI_BASE_ADDRESS_MEM_PREFETCH)) {
        *flags |= VHM_IORESOURCE_PREFETCH;
    }
    /* __pci_read_base() marks every BAR resource size-aligned */
    *flags |= VHM_IORESOURCE_SIZEALIGN;
    *start = base + off;
    *end = *start + size - 1;
    return true;
}

/* <dir>/devices/<BDF>/resource, replaced atomically */
static int write_resource_file(const char *dir, const VhmDev *d)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    uint64_t start, end, flags;
    FILE *f;
    int i, ok = 1;

    if (snprintf(path, sizeof(path), "%s/devices/%s/resource", dir,
                 d->bdf) >= (int)sizeof(path) - 16) {
        return -1;
    }
    memcpy(tmp, path, sizeof(tmp));
    snprintf(tmp + strlen(tmp), 16, ".%d", (int)getpid() & 0x7fffffff);
    f = fopen(tmp, "we");
    if (!f) {
        return -1;
    }
    for (i = 0; i < VHM_NUM_RESOURCES; i++) {
        vhm_dev_resource(d, i, &start, &end, &flags);
        ok &= fprintf(f, "0x%016" PRIx64 " 0x%016" PRIx64 " 0x%016" PRIx64
                      "\n", start, end, flags) > 0;
    }
    if (fclose(f) || !ok || rename(tmp, path) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int vhm_sysfs_create(const char *dir)
{
    char path[PATH_MAX], target[64], cur[PATH_MAX];
    int i, ret = 0;

    for (i = 0; i < vhm.ngroups; i++) {
        snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%d", dir,
                 vhm.groups[i].id);
        mkdir_p(path);
    }
    for (i = 0; i < vhm.ndevs; i++) {
        VhmDev *d = &vhm.devs[i];
        ssize_t n;

        snprintf(path, sizeof(path), "%s/devices/%s", dir, d->bdf);
        if (mkdir_p(path) < 0) {
            fprintf(stderr, "vfio-host-model: cannot create %s\n", path);
            ret = -1;
            continue;
        }
        if (write_resource_file(dir, d) < 0) {
            fprintf(stderr, "vfio-host-model: cannot write %s/resource\n",
                    path);
            ret = -1;
        }
        snprintf(target, sizeof(target), "../../kernel/iommu_groups/%d",
                 d->group_id);
        snprintf(path, sizeof(path), "%s/devices/%s/iommu_group", dir,
                 d->bdf);
        n = readlink(path, cur, sizeof(cur) - 1);
        if (n >= 0) {
            cur[n] = '\0';
            if (!strcmp(cur, target)) {
                continue;
            }
            unlink(path);
        }
        if (symlink(target, path) < 0 && errno != EEXIST) {
            fprintf(stderr, "vfio-host-model: symlink %s: %s\n", path,
                    strerror(errno));
            ret = -1;
        }
    }
    return ret;
}
