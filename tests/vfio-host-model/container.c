/*
 * VFIO host model: the container and the sPAPR TCE IOMMU
 *
 * Mirrors drivers/vfio/container.c (API version, extension checks,
 * SET_IOMMU) and drivers/vfio/vfio_iommu_spapr_tce.c (preregistration,
 * DDW windows, MAP/UNMAP_DMA) for the v2 IOMMU, with a minimal v1.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vhm.h"


static VhmContainer *containers[256];

VhmContainer *vhm_container_new(void)
{
    VhmContainer *c = calloc(1, sizeof(*c));
    size_t i;

    if (!c) {
        return NULL;
    }
    for (i = 0; i < sizeof(containers) / sizeof(containers[0]); i++) {
        if (!containers[i]) {
            containers[i] = c;
            break;
        }
    }
    if (i == sizeof(containers) / sizeof(containers[0])) {
        free(c);
        return NULL;
    }
    c->id = vhm.next_cont_id++;
    c->fd = -1;
    return c;
}

static void container_free(VhmContainer *c)
{
    size_t i;

    for (i = 0; i < sizeof(containers) / sizeof(containers[0]); i++) {
        if (containers[i] == c) {
            containers[i] = NULL;
        }
    }
    free(c->map.tab);
    free(c->prereg);
    free(c);
}

/* sparse iova -> vaddr map (open addressing, linear probing) */

static size_t map_hash(uint64_t iova, size_t cap)
{
    return (size_t)(((iova >> 12) * 0x9e3779b97f4a7c15ULL) >> 17) &
           (cap - 1);
}

static long map_find(VhmMap *m, uint64_t iova)
{
    size_t i;

    if (!m->cap) {
        return -1;
    }
    for (i = map_hash(iova, m->cap); m->tab[i].used;
         i = (i + 1) & (m->cap - 1)) {
        if (m->tab[i].iova == iova) {
            return (long)i;
        }
    }
    return -1;
}

static int map_grow(VhmMap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    VhmMapEnt *ntab = calloc(ncap, sizeof(*ntab));
    size_t i, j;

    if (!ntab) {
        return -ENOMEM;
    }
    for (i = 0; i < m->cap; i++) {
        if (!m->tab[i].used) {
            continue;
        }
        for (j = map_hash(m->tab[i].iova, ncap); ntab[j].used;
             j = (j + 1) & (ncap - 1)) {
            continue;
        }
        ntab[j] = m->tab[i];
    }
    free(m->tab);
    m->tab = ntab;
    m->cap = ncap;
    return 0;
}

/* 1: the TCE was mapped and is replaced, 0: newly mapped, -ENOMEM */
static int map_put(VhmMap *m, uint64_t iova, uint64_t vaddr, uint32_t flags)
{
    long idx = map_find(m, iova);
    size_t i;

    if (idx >= 0) {
        /* the TCE is exchanged, like iommu_tce_xchg_no_kill() */
        m->tab[idx].vaddr = vaddr;
        m->tab[idx].flags = flags;
        return 1;
    }
    if ((m->count + 1) * 2 > m->cap && map_grow(m) < 0) {
        return -ENOMEM;
    }
    for (i = map_hash(iova, m->cap); m->tab[i].used;
         i = (i + 1) & (m->cap - 1)) {
        continue;
    }
    m->tab[i].used = 1;
    m->tab[i].iova = iova;
    m->tab[i].vaddr = vaddr;
    m->tab[i].flags = flags;
    m->count++;
    return 0;
}

static void map_del_idx(VhmMap *m, size_t i)
{
    size_t j = i, k;

    m->tab[i].used = 0;
    m->count--;
    /* backward shift deletion */
    for (;;) {
        j = (j + 1) & (m->cap - 1);
        if (!m->tab[j].used) {
            return;
        }
        k = map_hash(m->tab[j].iova, m->cap);
        if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
            m->tab[i] = m->tab[j];
            m->tab[j].used = 0;
            i = j;
        }
    }
}

/* returns the number of TCEs cleared */
static size_t map_clear_range(VhmMap *m, uint64_t start, uint64_t npages,
                              uint32_t shift)
{
    size_t before = m->count;
    uint64_t p;
    size_t i;

    if (!m->count || !npages) {
        return 0;
    }
    if (npages <= 4 * (uint64_t)m->count || npages <= 65536) {
        for (p = 0; p < npages && m->count; p++) {
            long idx = map_find(m, start + (p << shift));

            if (idx >= 0) {
                map_del_idx(m, idx);
            }
        }
        return before - m->count;
    }
    /* large range: walk the table instead, restarting after deletes */
    i = 0;
    while (i < m->cap) {
        VhmMapEnt *e = &m->tab[i];

        if (e->used && e->iova >= start &&
            ((e->iova - start) >> shift) < npages) {
            map_del_idx(m, i);
            continue;
        }
        i++;
    }
    return before - m->count;
}

/* windows */

static int find_window(VhmContainer *c, uint64_t iova)
{
    int i;

    for (i = 0; i < VHM_MAX_WINDOWS; i++) {
        VhmWindow *w = &c->win[i];

        if (w->used && iova >= w->start && iova - w->start < w->size) {
            return i;
        }
    }
    return -1;
}

size_t vhm_container_nwindows(VhmContainer *c)
{
    size_t n = 0;
    int i;

    for (i = 0; c && i < VHM_MAX_WINDOWS; i++) {
        n += c->win[i].used;
    }
    return n;
}

static void window_set(VhmWindow *w, uint64_t start, uint64_t size,
                       uint32_t shift, uint32_t levels)
{
    w->used = true;
    w->start = start;
    w->size = size;
    w->shift = shift;
    w->levels = levels;
}

static void window_remove(VhmContainer *c, int num)
{
    VhmWindow *w = &c->win[num];

    map_clear_range(&c->map, w->start, w->size >> w->shift, w->shift);
    memset(w, 0, sizeof(*w));
}

/* tce_iommu_create_default_window() */
static long create_default_window(VhmContainer *c)
{
    if (!c->def_window_pending || !c->ngroups) {
        return 0;
    }
    window_set(&c->win[0], VHM_DMA32_START, VHM_DMA32_SIZE, 12, 1);
    c->def_window_pending = false;
    return 0;
}

/*
 * The window that holds @iova, creating the default window first if it is
 * pending (as the kernel's MAP/UNMAP paths do): NULL with -ENXIO in *ret
 * when no window holds it.
 */
static VhmWindow *dma_window(VhmContainer *c, uint64_t iova, long *ret)
{
    int num;

    *ret = create_default_window(c);
    if (*ret) {
        return NULL;
    }
    num = find_window(c, iova);
    if (num < 0) {
        *ret = -ENXIO;
        return NULL;
    }
    return &c->win[num];
}

static bool is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* pnv_pci_ioda2_create_table() argument checks */
static long check_table_geometry(uint32_t shift, uint64_t size,
                                 uint32_t levels)
{
    uint64_t entries_shift, level_shift;

    if (!levels || levels > VHM_MAX_LEVELS || !is_pow2(size)) {
        return -EINVAL;
    }
    if (shift >= 64 || (size >> shift) == 0) {
        return -EINVAL;
    }
    entries_shift = __builtin_ctzll(size) - shift;
    entries_shift = (entries_shift + levels - 1) / levels;
    level_shift = entries_shift + 3;
    if (level_shift < VHM_HOST_PAGE_SHIFT) {
        level_shift = VHM_HOST_PAGE_SHIFT;
    }
    if ((level_shift - 3) * levels + shift >= 55) {
        return -EINVAL;
    }
    return 0;
}

/* preregistered memory */

static uint64_t host_page_mask(void)
{
    return (uint64_t)getauxval(AT_PAGESZ) - 1;
}

static VhmPrereg *prereg_lookup(VhmContainer *c, uint64_t ua, uint64_t len)
{
    size_t i;

    for (i = 0; i < c->nprereg; i++) {
        VhmPrereg *p = &c->prereg[i];

        if (ua >= p->vaddr && ua + len <= p->vaddr + p->size &&
            ua + len >= ua) {
            return p;
        }
    }
    return NULL;
}

static long prereg_register(VhmContainer *c, uint64_t ua, uint64_t size)
{
    size_t i, k;

    if ((ua & host_page_mask()) || (size & host_page_mask()) ||
        ua + size < ua || !size) {
        return -EINVAL;
    }
    /* mm_iommu_get(): an identical region is shared mm-wide */
    for (i = 0; i < c->nprereg; i++) {
        if (c->prereg[i].vaddr == ua && c->prereg[i].size == size) {
            return -EBUSY;
        }
    }
    /* mm_iommu_new(): overlapping a different region fails */
    for (k = 0; k < sizeof(containers) / sizeof(containers[0]); k++) {
        VhmContainer *o = containers[k];

        for (i = 0; o && i < o->nprereg; i++) {
            VhmPrereg *p = &o->prereg[i];

            if (p->vaddr == ua && p->size == size) {
                continue;
            }
            if (p->vaddr < ua + size && ua < p->vaddr + p->size) {
                return -EINVAL;
            }
        }
    }
    if (c->nprereg == c->prereg_cap) {
        size_t ncap = c->prereg_cap ? c->prereg_cap * 2 : 8;
        VhmPrereg *n = realloc(c->prereg, ncap * sizeof(*n));

        if (!n) {
            return -ENOMEM;
        }
        c->prereg = n;
        c->prereg_cap = ncap;
    }
    c->prereg[c->nprereg].vaddr = ua;
    c->prereg[c->nprereg].size = size;
    c->nprereg++;
    c->enabled = true;
    return 0;
}

static long prereg_unregister(VhmContainer *c, uint64_t ua, uint64_t size)
{
    size_t i, j;

    if ((ua & host_page_mask()) || (size & host_page_mask())) {
        return -EINVAL;
    }
    for (i = 0; i < c->nprereg; i++) {
        if (c->prereg[i].vaddr == ua && c->prereg[i].size == size) {
            break;
        }
    }
    if (i == c->nprereg) {
        return -ENOENT;
    }
    /* mm_iommu_put(): -EBUSY while any TCE still points into it */
    for (j = 0; j < c->map.cap; j++) {
        VhmMapEnt *e = &c->map.tab[j];

        if (e->used && e->vaddr >= ua && e->vaddr - ua < size) {
            return -EBUSY;
        }
    }
    c->prereg[i] = c->prereg[--c->nprereg];
    return 0;
}

/* ioctl handlers */

static long do_check_extension(unsigned long ext)
{
    switch (ext) {
    case VFIO_SPAPR_TCE_IOMMU:
        return 1;
    case VFIO_SPAPR_TCE_v2_IOMMU:
        return vhm.opt.spapr_v2 ? 1 : 0;
    case VFIO_EEH:
        return vhm.opt.eeh ? 1 : 0;
    default:
        return 0;
    }
}

/* vfio_ioctl_set_iommu() + tce_iommu_open() + tce_iommu_attach_group() */
static long do_set_iommu(VhmContainer *c, unsigned long type)
{
    if (!c->ngroups || c->iommu) {
        return -EINVAL;
    }
    if (do_check_extension(type) <= 0 ||
        (type != VFIO_SPAPR_TCE_IOMMU && type != VFIO_SPAPR_TCE_v2_IOMMU)) {
        return -ENODEV;
    }
    c->iommu = (int)type;
    c->enabled = false;
    memset(c->win, 0, sizeof(c->win));
    if (type == VFIO_SPAPR_TCE_v2_IOMMU) {
        c->def_window_pending = true;
    } else {
        /* v1 uses the platform's default 32-bit table */
        window_set(&c->win[0], VHM_DMA32_START, VHM_DMA32_SIZE, 12, 1);
    }
    return 0;
}

static long do_get_info(VhmContainer *c, void *arg, VhmBuf *lb)
{
    struct vfio_iommu_spapr_tce_info info;
    size_t minsz = offsetof(struct vfio_iommu_spapr_tce_info, ddw);

    if (!c->ngroups) {
        return -ENXIO;
    }
    memcpy(&info, arg, minsz);
    vhm_buf_printf(lb, "argsz=%u", info.argsz);
    if (info.argsz < minsz) {
        return -EINVAL;
    }
    info.dma32_window_start = VHM_DMA32_START;
    info.dma32_window_size = VHM_DMA32_SIZE;
    info.flags = 0;
    memset(&info.ddw, 0, sizeof(info.ddw));
    if (c->iommu == VFIO_SPAPR_TCE_v2_IOMMU) {
        info.flags |= VFIO_IOMMU_SPAPR_INFO_DDW;
        info.ddw.pgsizes = VHM_PGSIZES;
        info.ddw.max_dynamic_windows_supported = VHM_MAX_WINDOWS;
        info.ddw.levels = VHM_MAX_LEVELS;
    }
    if (info.argsz >= sizeof(info)) {
        minsz = sizeof(info);
    }
    memcpy(arg, &info, minsz);
    vhm_buf_printf(lb, " flags=0x%x dma32=0x%x+0x%x", info.flags,
                   info.dma32_window_start, info.dma32_window_size);
    if (minsz == sizeof(info)) {
        vhm_buf_printf(lb, " pgsizes=0x%llx windows=%u levels=%u",
                       (unsigned long long)info.ddw.pgsizes,
                       info.ddw.max_dynamic_windows_supported,
                       info.ddw.levels);
    }
    return 0;
}

static long do_map(VhmContainer *c, void *arg, VhmBuf *lb, uint64_t *iova)
{
    struct vfio_iommu_type1_dma_map p;
    VhmWindow *w;
    uint64_t pg, n, i;
    long ret;

    memcpy(&p, arg, sizeof(p));
    *iova = p.iova;
    vhm_buf_printf(lb, "iova=0x%llx size=0x%llx vaddr=0x%llx flags=0x%x",
                   (unsigned long long)p.iova, (unsigned long long)p.size,
                   (unsigned long long)p.vaddr, p.flags);
    if (!c->enabled) {
        return -EPERM;
    }
    if (p.argsz < sizeof(p)) {
        return -EINVAL;
    }
    if (p.flags & ~(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)) {
        return -EINVAL;
    }
    w = dma_window(c, p.iova, &ret);
    if (!w) {
        return ret;
    }
    pg = 1ULL << w->shift;
    if ((p.size & (pg - 1)) || (p.vaddr & (pg - 1))) {
        return -EINVAL;
    }
    if (!(p.flags & (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE))) {
        return -EINVAL;
    }
    /* iommu_tce_put_param_check() */
    if (p.iova & (pg - 1)) {
        return -EINVAL;
    }
    n = p.size >> w->shift;
    if (((p.iova - w->start) >> w->shift) + (n ? n : 1) >
        (w->size >> w->shift)) {
        return -EINVAL;
    }
    /* tce_iommu_build_v2(): every page must be preregistered */
    if (c->iommu == VFIO_SPAPR_TCE_v2_IOMMU) {
        for (i = 0; i < n; i++) {
            if (!prereg_lookup(c, p.vaddr + (i << w->shift), pg) ||
                w->shift > VHM_HOST_PAGE_SHIFT) {
                return -EINVAL;
            }
        }
    }
    for (i = 0; i < n; i++) {
        int r = map_put(&c->map, p.iova + (i << w->shift),
                        p.vaddr + (i << w->shift), p.flags);

        if (r < 0) {
            map_clear_range(&c->map, p.iova, i, w->shift);
            return -ENOMEM;
        }
        if (r > 0) {
            /* the kernel replaces it silently: QEMU skipped an unmap */
            c->stats.map_live++;
            c->stats.map_live_iova = p.iova + (i << w->shift);
        }
    }
    c->stats.map_pages += n;
    return 0;
}

static long do_unmap(VhmContainer *c, void *arg, VhmBuf *lb, uint64_t *iova)
{
    struct vfio_iommu_type1_dma_unmap p;
    VhmWindow *w;
    uint64_t pg;
    size_t cleared;
    long ret;

    memcpy(&p, arg, sizeof(p));
    *iova = p.iova;
    vhm_buf_printf(lb, "iova=0x%llx size=0x%llx",
                   (unsigned long long)p.iova, (unsigned long long)p.size);
    if (!c->enabled) {
        return -EPERM;
    }
    if (p.argsz < sizeof(p)) {
        return -EINVAL;
    }
    if (p.flags) {
        return -EINVAL;
    }
    w = dma_window(c, p.iova, &ret);
    if (!w) {
        return ret;
    }
    pg = 1ULL << w->shift;
    if ((p.size & (pg - 1)) || (p.iova & (pg - 1))) {
        return -EINVAL;
    }
    /* iommu_tce_clear_param_check() */
    if (((p.iova - w->start) >> w->shift) + (p.size >> w->shift) >
        (w->size >> w->shift)) {
        return -EINVAL;
    }
    cleared = map_clear_range(&c->map, p.iova, p.size >> w->shift, w->shift);
    c->stats.unmap_pages += cleared;
    if (!cleared) {
        c->stats.unmap_empty++;
    }
    return 0;
}

static long do_register(VhmContainer *c, void *arg, VhmBuf *lb, bool reg)
{
    struct vfio_iommu_spapr_register_memory p;

    if (c->iommu != VFIO_SPAPR_TCE_v2_IOMMU) {
        return -ENOTTY;
    }
    memcpy(&p, arg, sizeof(p));
    vhm_buf_printf(lb, "argsz=%u flags=0x%x vaddr=0x%llx size=0x%llx",
                   p.argsz, p.flags, (unsigned long long)p.vaddr,
                   (unsigned long long)p.size);
    if (p.argsz < sizeof(p) || p.flags) {
        return -EINVAL;
    }
    return reg ? prereg_register(c, p.vaddr, p.size)
               : prereg_unregister(c, p.vaddr, p.size);
}

static long do_create(VhmContainer *c, void *arg, VhmBuf *lb)
{
    struct vfio_iommu_spapr_tce_create p;
    int num;
    long ret;

    if (c->iommu != VFIO_SPAPR_TCE_v2_IOMMU) {
        return -ENOTTY;
    }
    if (!c->ngroups) {
        return -ENXIO;
    }
    memcpy(&p, arg, sizeof(p));
    vhm_buf_printf(lb, "argsz=%u flags=0x%x page_shift=%u "
                   "window_size=0x%llx levels=%u", p.argsz, p.flags,
                   p.page_shift, (unsigned long long)p.window_size,
                   p.levels);
    if (p.argsz < sizeof(p) || p.flags) {
        return -EINVAL;
    }
    ret = create_default_window(c);
    if (ret) {
        return ret;
    }
    for (num = 0; num < VHM_MAX_WINDOWS; num++) {
        if (!c->win[num].used) {
            break;
        }
    }
    if (num == VHM_MAX_WINDOWS) {
        return -ENOSPC;
    }
    if (p.page_shift >= 64 || !(VHM_PGSIZES & (1ULL << p.page_shift))) {
        return -EINVAL;
    }
    ret = check_table_geometry(p.page_shift, p.window_size, p.levels);
    if (ret) {
        return ret;
    }
    p.start_addr = num ? VHM_DDW_BASE : VHM_DMA32_START;
    window_set(&c->win[num], p.start_addr, p.window_size, p.page_shift,
               p.levels);
    memcpy(arg, &p, sizeof(p));
    vhm_buf_printf(lb, " -> start_addr=0x%llx",
                   (unsigned long long)p.start_addr);
    return 0;
}

static long do_remove(VhmContainer *c, void *arg, VhmBuf *lb)
{
    struct vfio_iommu_spapr_tce_remove p;
    int num;

    if (c->iommu != VFIO_SPAPR_TCE_v2_IOMMU) {
        return -ENOTTY;
    }
    if (!c->ngroups) {
        return -ENXIO;
    }
    memcpy(&p, arg, sizeof(p));
    vhm_buf_printf(lb, "argsz=%u flags=0x%x start_addr=0x%llx", p.argsz,
                   p.flags, (unsigned long long)p.start_addr);
    if (p.argsz < sizeof(p) || p.flags) {
        return -EINVAL;
    }
    if (c->def_window_pending && !p.start_addr) {
        c->def_window_pending = false;
        vhm_buf_printf(lb, " (default window pending)");
        return 0;
    }
    num = find_window(c, p.start_addr);
    if (num < 0) {
        return -EINVAL;
    }
    window_remove(c, num);
    return 0;
}

static const char *ioctl_name(unsigned long req)
{
    switch (req) {
    case VFIO_GET_API_VERSION:
        return "VFIO_GET_API_VERSION";
    case VFIO_CHECK_EXTENSION:
        return "VFIO_CHECK_EXTENSION";
    case VFIO_SET_IOMMU:
        return "VFIO_SET_IOMMU";
    case VFIO_IOMMU_SPAPR_TCE_GET_INFO:
        return "VFIO_IOMMU_SPAPR_TCE_GET_INFO";
    case VFIO_IOMMU_MAP_DMA:
        return "VFIO_IOMMU_MAP_DMA";
    case VFIO_IOMMU_UNMAP_DMA:
        return "VFIO_IOMMU_UNMAP_DMA";
    case VFIO_IOMMU_ENABLE:
        return "VFIO_IOMMU_ENABLE";
    case VFIO_IOMMU_DISABLE:
        return "VFIO_IOMMU_DISABLE";
    case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
        return "VFIO_IOMMU_SPAPR_REGISTER_MEMORY";
    case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY:
        return "VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY";
    case VFIO_IOMMU_SPAPR_TCE_CREATE:
        return "VFIO_IOMMU_SPAPR_TCE_CREATE";
    case VFIO_IOMMU_SPAPR_TCE_REMOVE:
        return "VFIO_IOMMU_SPAPR_TCE_REMOVE";
    case VFIO_EEH_PE_OP:
        return "VFIO_EEH_PE_OP";
    default:
        return "UNKNOWN";
    }
}

/* count a MAP_DMA or UNMAP_DMA ioctl and its failure */
static void tce_count(VhmContainer *c, unsigned long req, long ret)
{
    if (req == VFIO_IOMMU_MAP_DMA) {
        c->stats.map_dma++;
        c->stats.map_err += ret < 0;
    } else if (req == VFIO_IOMMU_UNMAP_DMA) {
        c->stats.unmap_dma++;
        c->stats.unmap_err += ret < 0;
    }
}

long vhm_container_ioctl(int fd, VhmContainer *c, unsigned long req,
                         void *arg)
{
    const char *name = ioctl_name(req);
    VhmBuf lb = { .len = 0 };
    uint64_t iova = 0;
    long ret;
    int err;

    lb.s[0] = '\0';
    if (req == VFIO_EEH_PE_OP) {
        return vhm_eeh_pe_op(fd, c, arg);
    }
    err = vhm_fail_check(name);
    if (err) {
        tce_count(c, req, -err);
        vhm_log_ioctl("cont", fd, name, "injected", -err);
        return -err;
    }

    switch (req) {
    case VFIO_GET_API_VERSION:
        ret = VFIO_API_VERSION;
        break;
    case VFIO_CHECK_EXTENSION:
        vhm_buf_printf(&lb, "ext=%lu", (unsigned long)arg);
        ret = do_check_extension((unsigned long)arg);
        break;
    case VFIO_SET_IOMMU:
        vhm_buf_printf(&lb, "type=%lu", (unsigned long)arg);
        ret = do_set_iommu(c, (unsigned long)arg);
        break;
    default:
        if (!c->iommu) {
            /* vfio_fops_unl_ioctl() without an IOMMU driver */
            if (!strcmp(name, "UNKNOWN")) {
                vhm_buf_printf(&lb, "cmd=0x%lx", req);
            }
            ret = -EINVAL;
            tce_count(c, req, ret);
            break;
        }
        switch (req) {
        case VFIO_IOMMU_SPAPR_TCE_GET_INFO:
            ret = do_get_info(c, arg, &lb);
            break;
        case VFIO_IOMMU_MAP_DMA:
            ret = do_map(c, arg, &lb, &iova);
            tce_count(c, req, ret);
            vhm_log_dma(fd, name, iova, lb.s, ret);
            return ret;
        case VFIO_IOMMU_UNMAP_DMA:
            ret = do_unmap(c, arg, &lb, &iova);
            tce_count(c, req, ret);
            vhm_log_dma(fd, name, iova, lb.s, ret);
            return ret;
        case VFIO_IOMMU_ENABLE:
            if (c->iommu == VFIO_SPAPR_TCE_v2_IOMMU) {
                ret = -ENOTTY;
            } else if (c->enabled) {
                ret = -EBUSY;
            } else {
                c->enabled = true;
                ret = 0;
            }
            break;
        case VFIO_IOMMU_DISABLE:
            if (c->iommu == VFIO_SPAPR_TCE_v2_IOMMU) {
                ret = -ENOTTY;
            } else {
                c->enabled = false;
                ret = 0;
            }
            break;
        case VFIO_IOMMU_SPAPR_REGISTER_MEMORY:
            ret = do_register(c, arg, &lb, true);
            break;
        case VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY:
            ret = do_register(c, arg, &lb, false);
            break;
        case VFIO_IOMMU_SPAPR_TCE_CREATE:
            ret = do_create(c, arg, &lb);
            break;
        case VFIO_IOMMU_SPAPR_TCE_REMOVE:
            ret = do_remove(c, arg, &lb);
            break;
        default:
            vhm_buf_printf(&lb, "cmd=0x%lx", req);
            ret = -ENOTTY;
            break;
        }
        break;
    }
    vhm_log_ioctl("cont", fd, name, lb.s, ret);
    return ret;
}

/* called with the group already validated by group.c */
int vhm_container_attach(VhmContainer *c, VhmGroup *g)
{
    int i;

    if (c->ngroups >= VHM_MAX_GROUPS) {
        return -ENOSPC;
    }
    for (i = 0; i < c->ngroups; i++) {
        if (c->groups[i] == g) {
            return -EBUSY;
        }
    }
    if (c->iommu == VFIO_SPAPR_TCE_v2_IOMMU && !c->ngroups &&
        !c->win[0].used) {
        c->def_window_pending = true;
    }
    /* list_add(): the new group becomes the list head */
    memmove(&c->groups[1], &c->groups[0], c->ngroups * sizeof(c->groups[0]));
    c->groups[0] = g;
    c->ngroups++;
    g->cont = c;
    return 0;
}

static void container_release_iommu(VhmContainer *c)
{
    c->iommu = 0;
    c->enabled = false;
    c->def_window_pending = false;
    memset(c->win, 0, sizeof(c->win));
    free(c->map.tab);
    memset(&c->map, 0, sizeof(c->map));
    free(c->prereg);
    c->prereg = NULL;
    c->nprereg = 0;
    c->prereg_cap = 0;
}

void vhm_container_detach(VhmGroup *g)
{
    VhmContainer *c = g->cont;
    int i;

    if (!c) {
        return;
    }
    for (i = 0; i < c->ngroups; i++) {
        if (c->groups[i] == g) {
            memmove(&c->groups[i], &c->groups[i + 1],
                    (c->ngroups - i - 1) * sizeof(c->groups[0]));
            c->ngroups--;
            break;
        }
    }
    g->cont = NULL;
    if (!c->ngroups) {
        /* __vfio_container_detach_group(): the driver is released */
        container_release_iommu(c);
        if (c->fd < 0) {
            container_free(c);
        }
    }
}

void vhm_container_close(VhmContainer *c)
{
    c->fd = -1;
    if (!c->ngroups) {
        container_free(c);
    }
}

/*
 * The DMA engine: a device reads or writes guest memory through the
 * container's TCEs, as the PHB would.  The TCE gives the QEMU virtual
 * address of the page (the vaddr of MAP_DMA, which the kernel would have
 * pinned); since the model lives in QEMU's process it copies directly.
 */

/* copy between buf and our own address space, EFAULT instead of SIGSEGV */
static long self_copy(VhmContainer *c, uint64_t va, uint8_t *buf,
                      size_t len, bool write)
{
    struct iovec local = { .iov_base = buf, .iov_len = len };
    struct iovec remote = { .iov_base = (void *)(uintptr_t)va,
                            .iov_len = len };
    ssize_t n;

    if (write) {
        n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
    } else {
        n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    }
    if (n == (ssize_t)len) {
        return 0;
    }
    if (n < 0 && (errno == ENOSYS || errno == EPERM) &&
        prereg_lookup(c, va, len)) {
        /* no process_vm_*: preregistered memory is known to be mapped */
        if (write) {
            memcpy((void *)(uintptr_t)va, buf, len);
        } else {
            memcpy(buf, (void *)(uintptr_t)va, len);
        }
        return 0;
    }
    return -EFAULT;
}

/*
 * Translate [iova, iova + len) page by page.  With buf == NULL only check
 * that every page has a TCE that allows the access; else copy too.
 */
static long dma_walk(VhmContainer *c, uint64_t iova, uint8_t *buf,
                     size_t len, bool write, char *err, size_t errlen)
{
    uint32_t need = write ? VFIO_DMA_MAP_FLAG_WRITE : VFIO_DMA_MAP_FLAG_READ;
    size_t done = 0;

    while (done < len) {
        uint64_t cur = iova + done;
        int num = find_window(c, cur);
        uint64_t pg, page, chunk;
        VhmMapEnt *e;
        long idx;

        if (num < 0) {
            snprintf(err, errlen, "iova 0x%" PRIx64 " is in no DMA window",
                     cur);
            return -ENXIO;
        }
        pg = 1ULL << c->win[num].shift;
        page = cur & ~(pg - 1);
        idx = map_find(&c->map, page);
        if (idx < 0) {
            snprintf(err, errlen, "iova 0x%" PRIx64 " is not mapped "
                     "(no TCE in window %d)", cur, num);
            return -EFAULT;
        }
        e = &c->map.tab[idx];
        if (!(e->flags & need)) {
            snprintf(err, errlen, "iova 0x%" PRIx64 ": the TCE does not "
                     "let the device %s (flags=0x%x)", cur,
                     write ? "write" : "read", e->flags);
            return -EACCES;
        }
        chunk = page + pg - cur;
        if (chunk > len - done) {
            chunk = len - done;
        }
        if (buf && self_copy(c, e->vaddr + (cur - page), buf + done,
                             chunk, write) < 0) {
            snprintf(err, errlen, "iova 0x%" PRIx64 " -> vaddr 0x%" PRIx64
                     " is not accessible", cur, e->vaddr + (cur - page));
            return -EFAULT;
        }
        done += chunk;
    }
    return 0;
}

long vhm_dma_rw(VhmDev *d, uint64_t iova, uint8_t *buf, size_t len,
                bool write, char *err, size_t errlen)
{
    VhmGroup *g = d->group;
    VhmContainer *c = g->cont;
    uint32_t cmd = vhm_ld(&d->cfg[PCI_COMMAND], 2);
    long ret;

    if (!len || len > VHM_DMA_MAX) {
        snprintf(err, errlen, "length must be 1..%d", VHM_DMA_MAX);
        return -EINVAL;
    }
    if (iova + len < iova) {
        snprintf(err, errlen, "iova range wraps");
        return -EINVAL;
    }
    if (!c || !c->iommu) {
        snprintf(err, errlen, "group %d has no container with an IOMMU",
                 g->id);
        return -ENODEV;
    }
    /* a frozen PE's PHB drops the device's DMA (the PE is DMA-stopped) */
    if (g->unavailable || g->dma_frozen) {
        snprintf(err, errlen, "PE of group %d is %s: DMA stopped", g->id,
                 g->unavailable ? "unavailable" : "frozen");
        return -EIO;
    }
    if (!(cmd & PCI_COMMAND_MASTER)) {
        snprintf(err, errlen, "bus mastering is off (COMMAND=0x%04x)", cmd);
        return -EPERM;
    }
    /* check every page first, so that a failing write writes nothing */
    ret = dma_walk(c, iova, NULL, len, write, err, errlen);
    if (ret) {
        return ret;
    }
    return dma_walk(c, iova, buf, len, write, err, errlen);
}

/* the mapped ranges, merged where both iova and vaddr are contiguous */

static int ent_cmp(const void *a, const void *b)
{
    const VhmMapEnt *x = a, *y = b;

    return x->iova < y->iova ? -1 : x->iova > y->iova;
}

#define MAPS_MAX_RUNS   256

void vhm_container_maps(VhmContainer *c,
                        void (*out)(void *, const char *), void *opaque)
{
    char line[256];
    VhmMapEnt *v = NULL;
    size_t i, n = 0, runs = 0;
    int w;

    if (!c || !c->iommu) {
        out(opaque, "no IOMMU");
        return;
    }
    if (c->def_window_pending) {
        out(opaque, "window=0 pending (created by the first MAP/UNMAP)");
    }
    for (w = 0; w < VHM_MAX_WINDOWS; w++) {
        VhmWindow *win = &c->win[w];

        if (win->used) {
            snprintf(line, sizeof(line), "window=%d start=0x%" PRIx64
                     " size=0x%" PRIx64 " shift=%u levels=%u", w,
                     win->start, win->size, win->shift, win->levels);
            out(opaque, line);
        }
    }
    if (c->map.count) {
        v = malloc(c->map.count * sizeof(*v));
    }
    for (i = 0; v && i < c->map.cap; i++) {
        if (c->map.tab[i].used) {
            v[n++] = c->map.tab[i];
        }
    }
    if (v) {
        qsort(v, n, sizeof(*v), ent_cmp);
    }
    for (i = 0; i < n;) {
        int num = find_window(c, v[i].iova);
        uint64_t pg = num < 0 ? 4096 : 1ULL << c->win[num].shift;
        uint64_t size = pg;
        size_t j = i + 1;

        while (j < n && v[j].iova == v[i].iova + size &&
               v[j].vaddr == v[i].vaddr + size && v[j].flags == v[i].flags) {
            size += pg;
            j++;
        }
        if (runs < MAPS_MAX_RUNS) {
            snprintf(line, sizeof(line), "map window=%d iova=0x%" PRIx64
                     " size=0x%" PRIx64 " vaddr=0x%" PRIx64 " flags=%s%s "
                     "pages=%zu", num, v[i].iova, size, v[i].vaddr,
                     v[i].flags & VFIO_DMA_MAP_FLAG_READ ? "r" : "-",
                     v[i].flags & VFIO_DMA_MAP_FLAG_WRITE ? "w" : "-",
                     j - i);
            out(opaque, line);
        }
        runs++;
        i = j;
    }
    if (runs > MAPS_MAX_RUNS) {
        snprintf(line, sizeof(line), "... %zu more ranges",
                 runs - MAPS_MAX_RUNS);
        out(opaque, line);
    }
    snprintf(line, sizeof(line), "maps=%zu ranges=%zu", n, runs);
    out(opaque, line);
    free(v);
}

/* the MAP_DMA/UNMAP_DMA counters and the TCEs mapped now, one line */
void vhm_container_tce_stats(VhmContainer *c, char *buf, size_t len)
{
    const VhmTceStats *st = &c->stats;

    snprintf(buf, len, "container=%d map_dma=%" PRIu64 " map_err=%" PRIu64
             " map_pages=%" PRIu64 " map_live=%" PRIu64
             " map_live_iova=0x%" PRIx64 " unmap_dma=%" PRIu64
             " unmap_err=%" PRIu64 " unmap_pages=%" PRIu64
             " unmap_empty=%" PRIu64 " maps=%zu", c->id, st->map_dma,
             st->map_err, st->map_pages, st->map_live, st->map_live_iova,
             st->unmap_dma, st->unmap_err, st->unmap_pages, st->unmap_empty,
             c->map.count);
}
