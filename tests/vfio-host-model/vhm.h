/*
 * VFIO host model: internal declarations
 *
 * The host model is an LD_PRELOAD library that makes an unmodified QEMU
 * see a host kernel with the legacy VFIO container/group API, the sPAPR
 * TCE v2 IOMMU and VFIO EEH.  Every piece of state lives in one process
 * (QEMU's) and is guarded by one recursive mutex.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef VHM_H
#define VHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <pthread.h>
#include <sys/types.h>

#define VHM_MAX_DEVS        32
#define VHM_MAX_GROUPS      32
#define VHM_MAX_GROUP_DEVS  8
#define VHM_FD_MAX          65536
#define VHM_MSI_MAX         32

#define VHM_CFG_SIZE        4096
#define VHM_REGION_SHIFT    40
#define VHM_NUM_REGIONS     9
#define VHM_NUM_IRQS        5
#define VHM_CONFIG_INDEX    7

#define VHM_BAR0_SIZE       0x4000
#define VHM_BAR2_SIZE       0x10000

/* sPAPR TCE geometry reported by TCE_GET_INFO */
#define VHM_DMA32_START     0ULL
#define VHM_DMA32_SIZE      0x80000000ULL
#define VHM_DDW_BASE        (1ULL << 59)
#define VHM_PGSIZES         (0x1000ULL | 0x10000ULL | 0x1000000ULL)
#define VHM_MAX_WINDOWS     2
#define VHM_MAX_LEVELS      5
/* PAGE_SHIFT of a POWER host kernel (64 KiB pages) */
#define VHM_HOST_PAGE_SHIFT 16

/* Config space layout of the modelled device */
#define VHM_CAP_PM          0x40
#define VHM_CAP_MSI         0x50
#define VHM_CAP_EXP         0x70
#define VHM_ECAP_BASE       0x100   /* the first extended capability */

/*
 * The AER extended capability sits at the device's aer= offset (default
 * VHM_ECAP_BASE; 0: no AER and no extended capabilities).  An endpoint's
 * registers end with the header log (vfio-pci's pci_ext_cap_length[] of
 * PCI_EXT_CAP_ID_ERR is PCI_ERR_ROOT_COMMAND), so the capability fits up
 * to VHM_AER_MAX.  Elsewhere than at VHM_ECAP_BASE, a Vendor-Specific
 * Extended Capability of VHM_VSEC_LEN bytes there points to it.
 */
#define VHM_AER_LEN         0x2c
#define VHM_AER_MAX         (VHM_CFG_SIZE - VHM_AER_LEN)
#define VHM_AER_STICKY_LEN  (VHM_AER_LEN - 4)   /* status .. header log */
#define VHM_VSEC_ID         0x0001
#define VHM_VSEC_LEN        8

/*
 * personality=virtio: a modern (virtio 1.0) virtio-pci function.  Four
 * vendor-specific capabilities after the PCIe one point into BAR2.
 */
enum {
    VHM_PERS_DEFAULT,
    VHM_PERS_VIRTIO,
};

#define VHM_VIRTIO_VENDOR       0x1af4
#define VHM_VIRTIO_DEVID        0x1041  /* 0x1040 + 1: network device */
#define VHM_CAP_VIRTIO          0xb0    /* common, isr, device, notify */
#define VHM_VIRTIO_BAR          2
#define VHM_VIRTIO_COMMON_OFF   0x0000
#define VHM_VIRTIO_ISR_OFF      0x1000
#define VHM_VIRTIO_DEVICE_OFF   0x2000
#define VHM_VIRTIO_NOTIFY_OFF   0x3000
#define VHM_VIRTIO_REGION_LEN   0x1000
#define VHM_VIRTIO_NOTIFY_MULT  4

/* largest DMA engine transfer of one control command */
#define VHM_DMA_MAX         65536

/* Config access behaviour while frozen / blocked */
enum {
    VHM_CFG_ONES,       /* reads all-ones, writes dropped (default) */
    VHM_CFG_PASS,       /* accesses work as if not frozen */
    VHM_CFG_ENODEV,     /* accesses fail with -ENODEV */
    VHM_CFG_EIO,        /* accesses fail with -EIO */
    VHM_CFG_VCONFIG,    /* vfio-pci virtualized bytes work, rest ones */
};

enum {
    VHM_FD_NONE,
    VHM_FD_CONT,
    VHM_FD_GROUP,
    VHM_FD_DEV,
};

enum {
    VHM_IRQ_NONE = -1,  /* also VFIO_PCI_*_IRQ_INDEX values below */
};

/* Host EEH error data (diag.c): format and error class of a snapshot */
enum {
    VHM_DIAG_NONE,
    VHM_DIAG_PHB4,      /* OpalIoPhb4ErrorData (POWER9/10 PowerNV host) */
    VHM_DIAG_PHB3,      /* OpalIoPhb3ErrorData (POWER8 PowerNV host) */
    VHM_DIAG_RTAS,      /* RTAS v6 log of a pseries host */
};

/* freeze ... diag=rtas rtas=<defect>: the one way the log is broken */
enum {
    VHM_RTAS_VALID,
    VHM_RTAS_VERSION,   /* fixed part version 5 instead of 6 */
    VHM_RTAS_LENGTH,    /* extended length 64 bytes beyond the log */
    VHM_RTAS_IBM,       /* company id not "IBM\0" */
    VHM_RTAS_FORMAT,    /* v6 log format nibble not 14 */
    VHM_RTAS_SECTIONS,  /* first section not "PH" */
};

enum {
    VHM_ERR_NONE,
    VHM_ERR_DMA_IOMMU,  /* TCE page fault (translation miss) */
    VHM_ERR_DMA_ACCESS, /* TCE access fault (permission) */
    VHM_ERR_MMIO_LOAD,
    VHM_ERR_MMIO_STORE,
    VHM_ERR_CFG_READ,
    VHM_ERR_LINK_DOWN,
    VHM_ERR_PCIE_UE,
};

/*
 * INJECT_ERR (VFIO_EEH_PE_OP op 9): the host platform's err_inject hook,
 * option eeh_inject=
 */
enum {
    VHM_INJ_PHB3,       /* POWER8 PowerNV: MEM, IO, CFG and DMA, armed */
    VHM_INJ_PHB4,       /* POWER9/10 PowerNV: CFG only, armed */
    VHM_INJ_PSERIES,    /* PowerVM LPAR host: MMIO break, at once */
    VHM_INJ_NONE,       /* no err_inject hook: -ENOENT */
};

/* The kind of access an armed injection waits for */
enum {
    VHM_SPACE_MEM,      /* BAR in memory space; addr = host address */
    VHM_SPACE_IO,       /* BAR in I/O space; addr = host address */
    VHM_SPACE_CFG,      /* config space; addr = config offset */
    VHM_SPACE_DMA,      /* the device's DMA; addr = PCI bus address */
};

/* An error injection armed in the PHB (one set of registers per PHB) */
typedef struct VhmInject {
    bool armed;
    uint32_t type;      /* 0: 32-bit address compare, 1: 64-bit */
    uint32_t func;      /* EEH_ERR_FUNC_*, 0..19 */
    uint64_t addr;
    uint64_t mask;
} VhmInject;

/*
 * Host resources of a device (<sysfsdev>/resource): Linux prints
 * PCI_BRIDGE_RESOURCES lines for an endpoint, 13 with CONFIG_PCI_IOV
 * (BARs 0-5, the ROM, six SR-IOV BARs).  Flags as struct resource has
 * them.
 */
#define VHM_NUM_RESOURCES       13
#define VHM_IORESOURCE_IO       0x00000100ULL
#define VHM_IORESOURCE_MEM      0x00000200ULL
#define VHM_IORESOURCE_PREFETCH 0x00002000ULL
#define VHM_IORESOURCE_SIZEALIGN 0x00040000ULL
#define VHM_IORESOURCE_MEM_64   0x00100000ULL

/*
 * Host addresses of the BARs (host physical, as the host kernel's
 * resources hold them): a PowerNV-like window per PCI domain (= PHB),
 * 32-bit BARs in the PHB's 32-bit window (the low 32 bits look like a
 * 32-bit PCI address), 64-bit BARs in its 64-bit window.
 */
#define VHM_HOST_PHB_BASE       0x0006000000000000ULL
#define VHM_HOST_PHB_STRIDE     0x0000010000000000ULL  /* per domain */
#define VHM_HOST_M32_OFF        0x00000000c0000000ULL
#define VHM_HOST_M32_SLOT_SHIFT 14      /* 16 KiB per devfn */
#define VHM_HOST_M32_BUS_SHIFT  22      /* 4 MiB per bus */
#define VHM_HOST_M64_OFF        0x0000008000000000ULL
#define VHM_HOST_M64_SLOT_SHIFT 16      /* 64 KiB per devfn */
#define VHM_HOST_M64_BUS_SHIFT  24      /* 16 MiB per bus */

/* What a host-side freeze recorded, before and after capture */
typedef struct VhmDiagSpec {
    int format;         /* VHM_DIAG_* */
    int cls;            /* VHM_ERR_* */
    bool mmio;          /* the freeze stopped MMIO */
    bool dma;           /* the freeze stopped DMA */
    uint32_t pe;        /* host PE number */
    uint16_t rid;       /* requester/completer ID (bus << 8 | devfn) */
    uint64_t iova;      /* DMA classes: PCI bus address */
    int bar;            /* MMIO classes: BAR index, -1 outside the BARs */
    uint64_t off;       /* offset in that BAR */
    bool have_rootue;
    uint32_t rootue;    /* root port AER uncorrectable status */
    bool have_hdr;
    uint32_t hdr[4];    /* TLP header log */
    int rtas;           /* diag=rtas: VHM_RTAS_* */
} VhmDiagSpec;

/* The copy the host made at detection time (PowerNV: pe->data) */
typedef struct VhmDiagSnap {
    VhmDiagSpec spec;
    uint8_t *data;
    uint32_t len;
    uint32_t freeze_count;
    uint64_t timestamp_ns;
} VhmDiagSnap;

typedef struct VhmDev VhmDev;
typedef struct VhmGroup VhmGroup;
typedef struct VhmContainer VhmContainer;

struct VhmDev {
    char bdf[32];
    unsigned domain;
    unsigned bus;
    unsigned devfn;
    int group_id;
    VhmGroup *group;

    /* configuration */
    int personality;    /* VHM_PERS_* */
    uint16_t vendor;
    uint16_t devid;
    bool vendor_set;    /* vendor=/devid= given: personality keeps them */
    bool devid_set;
    bool flr;
    bool viable;
    bool reset_state;
    int cfg_frozen;
    int msi_vectors;
    int pe;             /* host PE number, -1: group_id % 256 */
    int aer;            /* AER offset, 0: no extended capabilities */

    /* config space: value, write mask, RW1C mask, vfio-virtualized */
    uint8_t cfg[VHM_CFG_SIZE];
    uint8_t wmask[VHM_CFG_SIZE];
    uint8_t w1c[VHM_CFG_SIZE];
    uint8_t virt[VHM_CFG_SIZE];

    uint64_t bar_size[6];
    uint8_t *bar_mem[6];

    int open_count;

    /* interrupts; fds are dup()s owned by the model, -1 if none */
    int irq_type;
    int intx_fd;
    int intx_unmask_fd;
    bool intx_masked;
    bool intx_pending;
    int msi_fd[VHM_MSI_MAX];
    int msi_count;
    int err_fd;
    int req_fd;
};

struct VhmGroup {
    int id;
    VhmDev *devs[VHM_MAX_GROUP_DEVS];
    int ndevs;

    int fd;             /* open group fd, -1 if none */
    int refs;           /* group fd + open device fds */
    VhmContainer *cont;

    /* PE state */
    bool mmio_frozen;
    bool dma_frozen;
    bool cfg_blocked;
    bool eeh_enabled;
    bool unavailable;
    bool reset_state;

    /* host EEH error data */
    uint32_t host_pe;
    bool host_pe_set;       /* a device gave pe= */
    bool diag_pending;      /* hardware holds error data, not captured */
    VhmDiagSpec pending;
    VhmDiagSnap snap;       /* snap.data != NULL: a snapshot is held */
    uint32_t freeze_count;  /* snapshots taken */

    /* INJECT_ERR armed for this PE, waiting for a matching access */
    VhmInject inj;
};

typedef struct VhmWindow {
    bool used;
    uint64_t start;
    uint64_t size;
    uint32_t shift;
    uint32_t levels;
} VhmWindow;

typedef struct VhmPrereg {
    uint64_t vaddr;
    uint64_t size;
} VhmPrereg;

typedef struct VhmMapEnt {
    uint64_t iova;
    uint64_t vaddr;
    uint32_t flags;
    uint8_t used;
} VhmMapEnt;

typedef struct VhmMap {
    VhmMapEnt *tab;
    size_t cap;         /* power of two, 0 when empty */
    size_t count;
} VhmMap;

/*
 * MAP_DMA/UNMAP_DMA counters of a container, kept for its whole life
 * (detaching the last group does not clear them; "tce-stats reset" does).
 * They change nothing the ioctls do: they show how QEMU used the IOMMU.
 */
typedef struct VhmTceStats {
    uint64_t map_dma;       /* MAP_DMA ioctls, failed ones included */
    uint64_t map_err;       /* ... that failed */
    uint64_t map_pages;     /* TCEs set by successful MAP_DMA */
    uint64_t map_live;      /* of those, TCEs that were still mapped */
    uint64_t map_live_iova; /* the last such TCE */
    uint64_t unmap_dma;     /* UNMAP_DMA ioctls, failed ones included */
    uint64_t unmap_err;     /* ... that failed */
    uint64_t unmap_pages;   /* TCEs cleared by successful UNMAP_DMA */
    uint64_t unmap_empty;   /* successful UNMAP_DMA that cleared nothing */
} VhmTceStats;

struct VhmContainer {
    int id;
    int fd;             /* open container fd, -1 once closed */
    int iommu;          /* 0, VFIO_SPAPR_TCE_IOMMU or ..._v2_IOMMU */
    bool enabled;
    bool def_window_pending;
    /* index 0 is the kernel's list head: the most recently attached */
    VhmGroup *groups[VHM_MAX_GROUPS];
    int ngroups;
    VhmPrereg *prereg;
    size_t nprereg;
    size_t prereg_cap;
    VhmWindow win[VHM_MAX_WINDOWS];
    VhmMap map;
    VhmTceStats stats;
};

typedef struct VhmOptions {
    bool log_dma;
    bool bar_needs_mem;
    bool eeh;                   /* host EEH globally enabled */
    bool eeh_first_group;       /* EEH container ops: first group only */
    bool spapr_v2;              /* offer VFIO_SPAPR_TCE_v2_IOMMU */
    bool eeh_error_feature;     /* proposed VFIO_DEVICE_FEATURE_EEH_ERROR */
    int eeh_inject;             /* VHM_INJ_*: INJECT_ERR host platform */
    size_t log_max;
} VhmOptions;

typedef struct VhmModel {
    pthread_mutex_t lock;
    VhmOptions opt;
    VhmDev devs[VHM_MAX_DEVS];
    int ndevs;
    VhmGroup groups[VHM_MAX_GROUPS];
    int ngroups;
    int next_cont_id;
    char *ctrl_path;
    char *log_path;
    char *sysfs;
} VhmModel;

extern VhmModel vhm;

/* real libc entry points (interpose.c) */
typedef struct VhmReal {
    int (*open)(const char *, int, ...);
    int (*open64)(const char *, int, ...);
    int (*openat)(int, const char *, int, ...);
    int (*openat64)(int, const char *, int, ...);
    int (*open_2)(const char *, int);
    int (*open64_2)(const char *, int);
    int (*ioctl)(int, unsigned long, ...);
    ssize_t (*pread)(int, void *, size_t, off_t);
    ssize_t (*pread64)(int, void *, size_t, off_t);
    ssize_t (*pread_chk)(int, void *, size_t, off_t, size_t);
    ssize_t (*pread64_chk)(int, void *, size_t, off_t, size_t);
    ssize_t (*pwrite)(int, const void *, size_t, off_t);
    ssize_t (*pwrite64)(int, const void *, size_t, off_t);
    int (*close)(int);
} VhmReal;

extern VhmReal vhm_real;

void vhm_lock(void);
void vhm_unlock(void);

/* fd table (interpose.c) */
int vhm_fd_new(int kind, void *obj, int flags);
void vhm_fd_set(int fd, int kind, void *obj);
int vhm_fd_kind(int fd);
void *vhm_fd_obj(int fd);

/* config.c */
void vhm_config_load(void);
int vhm_config_parse_line(const char *line, char *err, size_t errlen);
int vhm_sysfs_create(const char *dir);
VhmDev *vhm_dev_by_bdf(const char *bdf);
VhmGroup *vhm_group_by_id(int id);
int vhm_errno_parse(const char *s);
const char *vhm_errno_name(int err);
bool vhm_dev_resource(const VhmDev *d, int index, uint64_t *start,
                      uint64_t *end, uint64_t *flags);

/* oplog.c */
typedef struct VhmBuf {
    char s[1024];
    size_t len;
} VhmBuf;

void vhm_buf_printf(VhmBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vhm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vhm_log_ioctl(const char *kind, int fd, const char *name,
                   const char *args, long ret);
void vhm_log_dma(int fd, const char *name, uint64_t iova,
                 const char *args, long ret);
void vhm_log_flush_run(void);
void vhm_log_open_file(void);
uint64_t vhm_log_dump(uint64_t from, void (*out)(void *, const char *),
                      void *opaque, uint64_t *dropped);
void vhm_log_reset(void);

/* control.c */
void vhm_ctrl_start(void);
int vhm_fail_check(const char *name);
int vhm_ctrl_exec(const char *line, void (*out)(void *, const char *),
                  void *opaque);

/* container.c */
VhmContainer *vhm_container_new(void);
long vhm_container_ioctl(int fd, VhmContainer *c, unsigned long req,
                         void *arg);
void vhm_container_close(VhmContainer *c);
int vhm_container_attach(VhmContainer *c, VhmGroup *g);
void vhm_container_detach(VhmGroup *g);
size_t vhm_container_nwindows(VhmContainer *c);
long vhm_dma_rw(VhmDev *d, uint64_t iova, uint8_t *buf, size_t len,
                bool write, char *err, size_t errlen);
void vhm_container_maps(VhmContainer *c,
                        void (*out)(void *, const char *), void *opaque);
void vhm_container_tce_stats(VhmContainer *c, char *buf, size_t len);

/* group.c */
int vhm_group_open(int id, int flags);
long vhm_group_ioctl(int fd, VhmGroup *g, unsigned long req, void *arg);
void vhm_group_close(VhmGroup *g);
void vhm_group_put(VhmGroup *g);

/* device.c */
void vhm_dev_init(VhmDev *d);
long vhm_dev_ioctl(int fd, VhmDev *d, unsigned long req, void *arg);
ssize_t vhm_dev_rw(int fd, VhmDev *d, void *buf, size_t count,
                   uint64_t off, bool write);
void vhm_dev_open(VhmDev *d);
void vhm_dev_close(VhmDev *d);
void vhm_dev_hw_reset(VhmDev *d, bool fundamental);

/* aer.c */
void vhm_ecap_build(VhmDev *d);
void vhm_aer_save(VhmDev *d, uint8_t *sticky);
void vhm_aer_restore(VhmDev *d, const uint8_t *sticky);
void vhm_aer_reset(VhmDev *d);
void vhm_aer_inject(VhmDev *d, uint32_t ue, uint32_t ce, const uint32_t *hdr);

/* irq.c */
void vhm_irq_init(VhmDev *d);
long vhm_irq_info(VhmDev *d, void *arg, VhmBuf *lb);
long vhm_irq_set(VhmDev *d, void *arg, VhmBuf *lb);
void vhm_irq_teardown(VhmDev *d);
int vhm_irq_signal(VhmDev *d, const char *what, int n);
void vhm_irq_unmask(VhmDev *d);

/* eeh.c */
long vhm_eeh_pe_op(int fd, VhmContainer *c, void *arg);
int vhm_eeh_get_state(VhmGroup *g);
bool vhm_pe_mmio_blocked(VhmGroup *g);
bool vhm_pe_cfg_blocked(VhmGroup *g);
void vhm_pe_freeze(VhmGroup *g, bool mmio, bool dma);
void vhm_pe_thaw(VhmGroup *g);
void vhm_pe_owner_change(VhmGroup *g);
int vhm_inject_platform_parse(const char *s);
const char *vhm_inject_platform_name(int platform);
void vhm_inject_access(VhmDev *d, int space, bool write, uint64_t addr);
void vhm_inject_dma(VhmDev *d, uint64_t iova, uint64_t len, bool write);
void vhm_inject_disarm(VhmGroup *g, const char *reason);
void vhm_inject_disarm_all(const char *reason);

/* diag.c */
int vhm_diag_format_parse(const char *s);
const char *vhm_diag_format_name(int format);
int vhm_diag_class_parse(const char *s);
const char *vhm_diag_class_name(int cls);
int vhm_diag_rtas_parse(const char *s);
const char *vhm_diag_rtas_name(int defect);
void vhm_diag_spec_init(VhmDiagSpec *s, VhmGroup *g, int format, int cls);
const char *vhm_diag_spec_check(const VhmDiagSpec *s, VhmGroup *g);
void vhm_diag_set_pending(VhmGroup *g, const VhmDiagSpec *s);
void vhm_diag_capture(VhmGroup *g);
void vhm_diag_drop_pending(VhmGroup *g);
void vhm_diag_clear(VhmGroup *g);
void vhm_diag_inject(VhmGroup *g, uint32_t type, uint32_t func,
                     uint64_t addr);
size_t vhm_diag_build(const VhmDiagSpec *s, VhmGroup *g, uint8_t *buf,
                      size_t cap);
uint64_t vhm_diag_host_addr(int bar, uint64_t off);
long vhm_diag_feature(VhmDev *d, void *arg, uint32_t argsz, uint32_t flags,
                      VhmBuf *lb);

/* little helpers */

/*
 * Parse an unsigned number that uses the whole string: with base 0,
 * decimal or hex with a 0x prefix; with base 16, hex (0x optional).
 */
static inline int vhm_parse_u64(const char *s, int base, uint64_t *out)
{
    uint64_t v = 0;
    int digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
        (base == 0 || base == 16)) {
        base = 16;
        s += 2;
    } else if (base == 0) {
        base = 10;
    }
    for (; *s; s++) {
        int d;

        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
        } else if (base == 16 && *s >= 'a' && *s <= 'f') {
            d = *s - 'a' + 10;
        } else if (base == 16 && *s >= 'A' && *s <= 'F') {
            d = *s - 'A' + 10;
        } else {
            return -1;
        }
        if (v > (UINT64_MAX - d) / base) {
            return -1;
        }
        v = v * base + d;
        digits++;
    }
    if (!digits) {
        return -1;
    }
    *out = v;
    return 0;
}
static inline uint32_t vhm_ld(const uint8_t *p, int len)
{
    uint32_t v = 0;
    int i;

    for (i = 0; i < len; i++) {
        v |= (uint32_t)p[i] << (8 * i);
    }
    return v;
}

static inline void vhm_st(uint8_t *p, int len, uint32_t v)
{
    int i;

    for (i = 0; i < len; i++) {
        p[i] = v >> (8 * i);
    }
}

#endif
