/*
 * VFIO host model: the control channel and fault injection
 *
 * A line based protocol on an AF_UNIX stream socket ($VHM_CTRL), served
 * by a thread of its own.  Every command runs under the model mutex and
 * its reply is only sent once the state change is complete, so a test
 * that waits for "OK" has a strict happens-before with QEMU's next call.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vhm.h"
#include "sockio.h"

#define MAX_FAIL_RULES  32
#define MAX_ARGS        16

typedef struct FailRule {
    char name[64];
    int err;
    long count;
} FailRule;

static FailRule fail_rules[MAX_FAIL_RULES];
static bool ctrl_started;
static int listen_fd = -1;

int vhm_fail_check(const char *name)
{
    int i;

    for (i = 0; i < MAX_FAIL_RULES; i++) {
        FailRule *r = &fail_rules[i];

        if (r->count > 0 && !strcmp(r->name, name)) {
            r->count--;
            return r->err;
        }
    }
    return 0;
}

static const char *fail_add(const char *name, int err, long count)
{
    int i, free_slot = -1;

    for (i = 0; i < MAX_FAIL_RULES; i++) {
        if (fail_rules[i].count > 0 && !strcmp(fail_rules[i].name, name)) {
            free_slot = i;
            break;
        }
        if (fail_rules[i].count <= 0 && free_slot < 0) {
            free_slot = i;
        }
    }
    if (free_slot < 0) {
        return "too many fail rules";
    }
    snprintf(fail_rules[free_slot].name, sizeof(fail_rules[0].name), "%s",
             name);
    fail_rules[free_slot].err = err;
    fail_rules[free_slot].count = count;
    return NULL;
}

/* command helpers */

typedef struct Cmd {
    void (*out)(void *, const char *);
    void *opaque;
    char *argv[MAX_ARGS];
    int argc;
} Cmd;

static void say(Cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(Cmd *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    c->out(c->opaque, buf);
}

static const char *find_kv(Cmd *c, const char *key)
{
    size_t n = strlen(key);
    int i;

    for (i = 1; i < c->argc; i++) {
        if (!strncmp(c->argv[i], key, n) && c->argv[i][n] == '=') {
            return c->argv[i] + n + 1;
        }
    }
    return NULL;
}

static VhmGroup *pick_group(Cmd *c, const char **err)
{
    const char *v = find_kv(c, "group");
    VhmGroup *g;
    uint64_t id;

    if (!v) {
        if (!vhm.ngroups) {
            *err = "no groups configured";
            return NULL;
        }
        return &vhm.groups[0];
    }
    g = vhm_parse_u64(v, 10, &id) < 0 || id > INT_MAX ? NULL
        : vhm_group_by_id((int)id);
    if (!g) {
        *err = "no such group";
    }
    return g;
}

static VhmDev *pick_dev(Cmd *c, const char **err)
{
    const char *v = find_kv(c, "dev");
    VhmDev *d;

    if (!v) {
        if (!vhm.ndevs) {
            *err = "no devices configured";
            return NULL;
        }
        return &vhm.devs[0];
    }
    d = vhm_dev_by_bdf(v);
    if (!d) {
        *err = "no such device";
    }
    return d;
}

static int parse_hex32(const char *s, uint32_t *out)
{
    uint64_t v;

    if (vhm_parse_u64(s, 16, &v) < 0 || v > 0xffffffffULL) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static void state_line(Cmd *c, VhmGroup *g)
{
    int diag = g->snap.data ? g->snap.spec.format :
               g->diag_pending ? g->pending.format : VHM_DIAG_NONE;

    say(c, "group=%d mmio_frozen=%d dma_frozen=%d cfg_blocked=%d "
        "eeh_enabled=%d unavailable=%d windows=%zu maps=%zu diag=%s "
        "captured=%d pe=%u", g->id,
        g->mmio_frozen, g->dma_frozen, g->cfg_blocked, g->eeh_enabled,
        g->unavailable, vhm_container_nwindows(g->cont),
        g->cont ? g->cont->map.count : (size_t)0,
        vhm_diag_format_name(diag), g->snap.data != NULL, g->host_pe);
}

/* The diag-related arguments of freeze, before defaults are applied */
typedef struct DiagArgs {
    int format;         /* -1: no diag= */
    int cls;            /* -1: from the freeze type */
    int rtas;           /* VHM_RTAS_*: defect of a diag=rtas log */
    bool have_pe, have_rid, have_iova, have_bar, have_off, have_rootue;
    uint32_t pe;
    uint16_t rid;
    uint64_t iova;
    int bar;
    uint64_t off;
    uint32_t rootue;
} DiagArgs;

/* 1 if a is a diag argument (parsed into da), 0 if not, -1 on error */
static int freeze_diag_arg(Cmd *c, const char *a, DiagArgs *da)
{
    uint64_t v;

    if (!strncmp(a, "diag=", 5)) {
        da->format = vhm_diag_format_parse(a + 5);
        if (da->format < 0) {
            say(c, "ERR diag=phb4|phb3|rtas|none");
            return -1;
        }
    } else if (!strncmp(a, "class=", 6)) {
        da->cls = vhm_diag_class_parse(a + 6);
        if (da->cls < 0) {
            say(c, "ERR class=dma-iommu|dma-access|mmio-load|mmio-store|"
                "cfg-read|link-down|pcie-ue|none");
            return -1;
        }
    } else if (!strncmp(a, "pe=", 3)) {
        if (vhm_parse_u64(a + 3, 0, &v) < 0 || v > 0xffffffffULL) {
            say(c, "ERR bad pe");
            return -1;
        }
        da->pe = (uint32_t)v;
        da->have_pe = true;
    } else if (!strncmp(a, "rid=", 4)) {
        if (vhm_parse_u64(a + 4, 16, &v) < 0 || v > 0xffff) {
            say(c, "ERR bad rid");
            return -1;
        }
        da->rid = (uint16_t)v;
        da->have_rid = true;
    } else if (!strncmp(a, "iova=", 5)) {
        if (vhm_parse_u64(a + 5, 16, &da->iova) < 0) {
            say(c, "ERR bad iova");
            return -1;
        }
        da->have_iova = true;
    } else if (!strncmp(a, "bar=", 4)) {
        if (!strcmp(a + 4, "none")) {
            da->bar = -1;
        } else if (vhm_parse_u64(a + 4, 10, &v) < 0 || v > 5) {
            say(c, "ERR bar=0..5|none");
            return -1;
        } else {
            da->bar = (int)v;
        }
        da->have_bar = true;
    } else if (!strncmp(a, "off=", 4)) {
        if (vhm_parse_u64(a + 4, 16, &da->off) < 0) {
            say(c, "ERR bad off");
            return -1;
        }
        da->have_off = true;
    } else if (!strncmp(a, "rootue=", 7)) {
        if (parse_hex32(a + 7, &da->rootue) < 0) {
            say(c, "ERR bad rootue");
            return -1;
        }
        da->have_rootue = true;
    } else if (!strncmp(a, "rtas=", 5)) {
        da->rtas = vhm_diag_rtas_parse(a + 5);
        if (da->rtas < 0) {
            say(c, "ERR rtas=version|length|ibm|format|sections");
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

/* Build the diag spec of a freeze; NULL or an error message */
static const char *freeze_diag_spec(VhmGroup *g, const DiagArgs *da,
                                    bool mmio, bool dma,
                                    const uint32_t *hdr, VhmDiagSpec *s)
{
    int cls = da->cls;

    if (da->format <= VHM_DIAG_NONE) {
        if (cls >= 0 || da->have_pe || da->have_rid || da->have_iova ||
            da->have_bar || da->have_off || da->have_rootue || da->rtas) {
            return "class=/pe=/rid=/iova=/bar=/off=/rootue=/rtas= need diag=";
        }
        s->format = VHM_DIAG_NONE;
        return NULL;
    }
    if (da->rtas && da->format != VHM_DIAG_RTAS) {
        return "rtas= needs diag=rtas";
    }
    if (cls < 0) {
        cls = mmio && !dma ? VHM_ERR_MMIO_LOAD : VHM_ERR_DMA_IOMMU;
    }
    vhm_diag_spec_init(s, g, da->format, cls);
    s->mmio = mmio;
    s->dma = dma;
    if (da->have_pe) {
        s->pe = da->pe;
    }
    if (da->have_rid) {
        s->rid = da->rid;
    }
    if (da->have_iova) {
        s->iova = da->iova;
    }
    if (da->have_bar) {
        s->bar = da->bar;
    }
    if (da->have_off) {
        s->off = da->off;
    }
    if (da->have_off && s->bar < 0 && !da->have_bar) {
        return "off= needs an MMIO class or bar=";
    }
    s->have_rootue = da->have_rootue;
    s->rootue = da->rootue;
    s->rtas = da->rtas;
    if (hdr) {
        s->have_hdr = true;
        memcpy(s->hdr, hdr, sizeof(s->hdr));
    }
    return vhm_diag_spec_check(s, g);
}

static int cmd_freeze(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);
    bool mmio = true, dma = true;
    uint32_t ue = 0, ce = 0, hdr[4];
    bool have_hdr = false;
    DiagArgs da = { .format = -1, .cls = -1, .rtas = VHM_RTAS_VALID };
    VhmDiagSpec spec;
    int i, r;

    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    for (i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];

        r = freeze_diag_arg(c, a, &da);
        if (r < 0) {
            return -1;
        }
        if (r > 0) {
            continue;
        }
        if (!strcmp(a, "mmio")) {
            mmio = true;
            dma = false;
        } else if (!strcmp(a, "dma")) {
            mmio = false;
            dma = true;
        } else if (!strcmp(a, "all")) {
            mmio = dma = true;
        } else if (!strncmp(a, "group=", 6)) {
            continue;
        } else if (!strncmp(a, "aer=UE:", 7) || !strncmp(a, "aer=ue:", 7)) {
            uint32_t v;

            if (parse_hex32(a + 7, &v) < 0) {
                say(c, "ERR bad aer value");
                return -1;
            }
            ue |= v;
        } else if (!strncmp(a, "aer=CE:", 7) || !strncmp(a, "aer=ce:", 7)) {
            uint32_t v;

            if (parse_hex32(a + 7, &v) < 0) {
                say(c, "ERR bad aer value");
                return -1;
            }
            ce |= v;
        } else if (!strncmp(a, "hdr=", 4)) {
            char buf[128], *tok, *save = NULL;
            int n = 0;

            snprintf(buf, sizeof(buf), "%s", a + 4);
            for (tok = strtok_r(buf, ",", &save); tok && n < 4;
                 tok = strtok_r(NULL, ",", &save)) {
                if (parse_hex32(tok, &hdr[n]) < 0) {
                    break;
                }
                n++;
            }
            if (n != 4 || tok) {
                say(c, "ERR hdr needs 4 hex words");
                return -1;
            }
            have_hdr = true;
        } else {
            say(c, "ERR unknown freeze argument '%s'", a);
            return -1;
        }
    }
    err = freeze_diag_spec(g, &da, mmio, dma, have_hdr ? hdr : NULL, &spec);
    if (err) {
        say(c, "ERR %s", err);
        return -1;
    }
    vhm_inject_disarm(g, "freeze");
    vhm_pe_freeze(g, mmio, dma);
    if (ue || ce || have_hdr) {
        for (i = 0; i < g->ndevs; i++) {
            vhm_aer_inject(g->devs[i], ue, ce, have_hdr ? hdr : NULL);
        }
    }
    if (spec.format != VHM_DIAG_NONE) {
        vhm_diag_set_pending(g, &spec);
    }
    say(c, "OK");
    return 0;
}

/* diag-dump: the PE's snapshot, 16 bytes a line, all-zero lines left out */
static int cmd_diag_dump(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);
    const VhmDiagSnap *sn;
    uint32_t off;

    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    sn = &g->snap;
    if (!sn->data) {
        say(c, "group=%d diag=none pending=%s", g->id,
            vhm_diag_format_name(g->diag_pending ? g->pending.format
                                                 : VHM_DIAG_NONE));
        say(c, "OK");
        return 0;
    }
    say(c, "group=%d diag=%s class=%s pe=%u rid=0x%04x freeze_count=%u "
        "len=%u%s%s", g->id, vhm_diag_format_name(sn->spec.format),
        vhm_diag_class_name(sn->spec.cls), sn->spec.pe, sn->spec.rid,
        sn->freeze_count, sn->len, sn->spec.rtas ? " rtas=" : "",
        sn->spec.rtas ? vhm_diag_rtas_name(sn->spec.rtas) : "");
    for (off = 0; off < sn->len; off += 16) {
        char line[128];
        size_t n = 0;
        uint32_t i, end = off + 16 < sn->len ? off + 16 : sn->len;
        bool nz = false;

        for (i = off; i < end; i++) {
            nz |= sn->data[i] != 0;
        }
        if (!nz) {
            continue;
        }
        n += snprintf(line + n, sizeof(line) - n, "%04x:", off);
        for (i = off; i < end; i++) {
            n += snprintf(line + n, sizeof(line) - n, "%s%02x",
                          (i - off) % 4 ? "" : " ", sn->data[i]);
        }
        say(c, "%s", line);
    }
    say(c, "OK");
    return 0;
}

/* the arguments of a command that are not key=value */
static int positional(Cmd *c, const char **pos, int max)
{
    int i, n = 0;

    for (i = 1; i < c->argc; i++) {
        if (!strchr(c->argv[i], '=')) {
            if (n == max) {
                return -1;
            }
            pos[n++] = c->argv[i];
        }
    }
    return n;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/*
 * dma-read <iova> <len> [dev=BDF] / dma-write <iova> <hex bytes> [dev=BDF]:
 * the device's DMA engine, through its container's TCEs.
 */
static int cmd_dma(Cmd *c)
{
    static uint8_t buf[VHM_DMA_MAX];
    bool write = !strcmp(c->argv[0], "dma-write");
    const char *err = NULL, *pos[2];
    char why[256], line[128];
    uint64_t iova, len;
    VhmDev *d;
    size_t i, k;
    long ret;

    d = pick_dev(c, &err);
    if (!d) {
        say(c, "ERR %s", err);
        return -1;
    }
    if (positional(c, pos, 2) != 2 || vhm_parse_u64(pos[0], 0, &iova) < 0) {
        say(c, write ? "ERR usage: dma-write <iova> <hex bytes> [dev=BDF]"
                     : "ERR usage: dma-read <iova> <len> [dev=BDF]");
        return -1;
    }
    if (write) {
        const char *h = pos[1];
        size_t n = strlen(h);

        if (n >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) {
            h += 2;
            n -= 2;
        }
        if (!n || n % 2 || n / 2 > VHM_DMA_MAX) {
            say(c, "ERR dma-write needs an even number of hex digits");
            return -1;
        }
        for (i = 0; i < n / 2; i++) {
            int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);

            if (hi < 0 || lo < 0) {
                say(c, "ERR bad hex byte at %zu", i);
                return -1;
            }
            buf[i] = (uint8_t)(hi << 4 | lo);
        }
        len = n / 2;
    } else if (vhm_parse_u64(pos[1], 0, &len) < 0) {
        say(c, "ERR bad length");
        return -1;
    }
    /* an armed DMA injection that matches fails this DMA (EIO) */
    vhm_inject_dma(d, iova, len, write);
    ret = vhm_dma_rw(d, iova, buf, len, write, why, sizeof(why));
    vhm_log("DMA %s dev=%s group=%d iova=0x%" PRIx64 " len=%" PRIu64
            " = %ld%s%s", write ? "write" : "read", d->bdf, d->group->id,
            iova, len, ret < 0 ? -1L : ret, ret < 0 ? " " : "",
            ret < 0 ? vhm_errno_name((int)-ret) : "");
    if (ret < 0) {
        say(c, "ERR %s: %s", vhm_errno_name((int)-ret), why);
        return -1;
    }
    if (!write) {
        say(c, "dev=%s group=%d iova=0x%" PRIx64 " len=%" PRIu64, d->bdf,
            d->group->id, iova, len);
        for (i = 0; i < len; i += 16) {
            int n = snprintf(line, sizeof(line), "0x%" PRIx64 ":",
                             iova + i);

            for (k = i; k < len && k < i + 16; k++) {
                n += snprintf(line + n, sizeof(line) - n, "%s%02x",
                              (k - i) % 4 ? "" : " ", buf[k]);
            }
            say(c, "%s", line);
        }
    }
    say(c, "OK %" PRIu64, len);
    return 0;
}

static int cmd_maps(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);

    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    say(c, "group=%d container=%d", g->id, g->cont ? g->cont->id : -1);
    vhm_container_maps(g->cont, c->out, c->opaque);
    say(c, "OK");
    return 0;
}

/* tce-stats [group=N] [reset|check] */
static int cmd_tce_stats(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);
    bool reset = false, check = false;
    char line[400];
    int i;

    for (i = 1; i < c->argc; i++) {
        if (!strcmp(c->argv[i], "reset")) {
            reset = true;
        } else if (!strcmp(c->argv[i], "check")) {
            check = true;
        } else if (strncmp(c->argv[i], "group=", 6)) {
            say(c, "ERR bad argument '%s'", c->argv[i]);
            return -1;
        }
    }
    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    if (!g->cont) {
        say(c, "ERR group %d has no container", g->id);
        return -1;
    }
    vhm_container_tce_stats(g->cont, line, sizeof(line));
    say(c, "group=%d %s", g->id, line);
    if (check && g->cont->stats.map_live) {
        say(c, "ERR MAP_DMA over a mapped TCE: %" PRIu64 " TCEs, last "
            "iova=0x%" PRIx64, g->cont->stats.map_live,
            g->cont->stats.map_live_iova);
        return -1;
    }
    if (reset) {
        memset(&g->cont->stats, 0, sizeof(g->cont->stats));
    }
    say(c, "OK");
    return 0;
}

static int cmd_group_simple(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);

    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    if (!strcmp(c->argv[0], "thaw")) {
        /* host recovery: the PE is reset and thawed, its data is gone */
        vhm_inject_disarm(g, "thaw");
        vhm_pe_thaw(g);
        vhm_diag_clear(g);
    } else if (!strcmp(c->argv[0], "unavailable")) {
        vhm_inject_disarm(g, "unavailable");
        g->unavailable = true;
        vhm_pe_freeze(g, true, true);
    } else {
        state_line(c, g);
    }
    say(c, "OK");
    return 0;
}

/* inject-state: the INJECT_ERR platform and what is armed for the PE */
static int cmd_inject_state(Cmd *c)
{
    const char *err = NULL;
    VhmGroup *g = pick_group(c, &err);
    const VhmInject *in;

    if (!g) {
        say(c, "ERR %s", err);
        return -1;
    }
    in = &g->inj;
    if (in->armed) {
        say(c, "platform=%s group=%d armed=1 type=%u func=%u addr=0x%" PRIx64
            " mask=0x%" PRIx64, vhm_inject_platform_name(vhm.opt.eeh_inject),
            g->id, in->type, in->func, in->addr, in->mask);
    } else {
        say(c, "platform=%s group=%d armed=0",
            vhm_inject_platform_name(vhm.opt.eeh_inject), g->id);
    }
    say(c, "OK");
    return 0;
}

static void log_out(void *opaque, const char *line)
{
    Cmd *c = opaque;

    c->out(c->opaque, line);
}

static int cmd_log(Cmd *c)
{
    uint64_t from = 0, next, dropped = 0;

    if (c->argc > 1) {
        if (vhm_parse_u64(c->argv[1], 0, &from) < 0) {
            say(c, "ERR bad sequence number");
            return -1;
        }
    }
    next = vhm_log_dump(from, log_out, c, &dropped);
    if (dropped) {
        say(c, "OK %" PRIu64 " dropped=%" PRIu64, next, dropped);
    } else {
        say(c, "OK %" PRIu64, next);
    }
    return 0;
}

static int cmd_signal(Cmd *c)
{
    const char *err = NULL;
    VhmDev *d;
    int n = 0, ret;

    if (c->argc < 2) {
        say(c, "ERR usage: signal intx|msi <n>|err|req [dev=BDF]");
        return -1;
    }
    d = pick_dev(c, &err);
    if (!d) {
        say(c, "ERR %s", err);
        return -1;
    }
    if (!strcmp(c->argv[1], "msi")) {
        uint64_t v;

        if (c->argc < 3) {
            say(c, "ERR signal msi needs a vector number");
            return -1;
        }
        if (vhm_parse_u64(c->argv[2], 0, &v) < 0 || v > INT_MAX) {
            say(c, "ERR bad vector number");
            return -1;
        }
        n = (int)v;
    }
    ret = vhm_irq_signal(d, c->argv[1], n);
    if (ret == -EINVAL) {
        say(c, "ERR unknown interrupt '%s'", c->argv[1]);
        return -1;
    }
    if (ret < 0) {
        say(c, "ERR no eventfd");
        return -1;
    }
    say(c, ret == 1 ? "OK pending (masked)" : "OK");
    return 0;
}

static int cmd_fail(Cmd *c)
{
    const char *err;
    long count = 1;
    int e;

    if (c->argc < 3) {
        say(c, "ERR usage: fail <name> <errno> [count]");
        return -1;
    }
    e = vhm_errno_parse(c->argv[2]);
    if (e <= 0) {
        say(c, "ERR bad errno '%s'", c->argv[2]);
        return -1;
    }
    if (c->argc > 3) {
        uint64_t v;

        if (vhm_parse_u64(c->argv[3], 0, &v) < 0 || v > INT_MAX) {
            say(c, "ERR bad count");
            return -1;
        }
        count = (long)v;
    }
    err = fail_add(c->argv[1], e, count);
    if (err) {
        say(c, "ERR %s", err);
        return -1;
    }
    say(c, "OK");
    return 0;
}

static int cmd_option(Cmd *c, const char *line)
{
    char err[256];

    if (vhm_config_parse_line(line, err, sizeof(err)) < 0) {
        say(c, "ERR %s", err);
        return -1;
    }
    say(c, "OK");
    return 0;
}

static void cmd_help(Cmd *c)
{
    static const char *const lines[] = {
        ("freeze [mmio|dma|all] [group=N] [aer=UE:<hex>] [aer=CE:<hex>] "
         "[hdr=<w0>,<w1>,<w2>,<w3>] [diag=phb4|phb3|rtas] [class=<c>] "
         "[pe=N] [rid=0x<bdf>] [iova=0x<a>] [bar=<n>|none off=0x<o>] "
         "[rootue=0x<ue>] [rtas=<defect>]"),
        ("  class: dma-iommu dma-access mmio-load mmio-store cfg-read "
         "link-down pcie-ue none"),
        "  rtas (diag=rtas only): version length ibm format sections",
        "thaw [group=N]",
        "unavailable [group=N]",
        "state [group=N]",
        "diag-dump [group=N]",
        "inject-state [group=N]",
        "log [from]",
        "signal intx|msi <n>|err|req [dev=BDF]",
        "dma-read <iova> <len> [dev=BDF]",
        "dma-write <iova> <hex bytes> [dev=BDF]",
        "maps [group=N]",
        "tce-stats [group=N] [reset|check]",
        "fail <name> <errno> [count]",
        "mark <text>",
        "reset-log",
        "option <key>=<value>...",
        ("  eeh_inject=phb3|phb4|pseries|none: the INJECT_ERR host "
         "platform"),
        "help",
    };
    size_t i;

    for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        c->out(c->opaque, lines[i]);
    }
    say(c, "OK");
}

int vhm_ctrl_exec(const char *line, void (*out)(void *, const char *),
                  void *opaque)
{
    char buf[1024];
    char *tok, *save = NULL;
    const char *rest;
    Cmd c = { .out = out, .opaque = opaque, .argc = 0 };
    int ret = 0;

    snprintf(buf, sizeof(buf), "%s", line);
    buf[strcspn(buf, "\r\n")] = '\0';
    for (tok = strtok_r(buf, " \t", &save); tok && c.argc < MAX_ARGS;
         tok = strtok_r(NULL, " \t", &save)) {
        c.argv[c.argc++] = tok;
    }
    if (!c.argc) {
        say(&c, "ERR empty command");
        return -1;
    }

    vhm_lock();
    if (strcmp(c.argv[0], "log") && strcmp(c.argv[0], "state") &&
        strcmp(c.argv[0], "help") && strcmp(c.argv[0], "mark") &&
        strcmp(c.argv[0], "diag-dump") && strcmp(c.argv[0], "maps") &&
        strcmp(c.argv[0], "inject-state") &&
        (strcmp(c.argv[0], "tce-stats") || strstr(line, "reset"))) {
        char clean[1024];

        snprintf(clean, sizeof(clean), "%s", line);
        clean[strcspn(clean, "\r\n")] = '\0';
        vhm_log("CTRL %s", clean);
    }
    if (!strcmp(c.argv[0], "freeze")) {
        ret = cmd_freeze(&c);
    } else if (!strcmp(c.argv[0], "thaw") ||
               !strcmp(c.argv[0], "unavailable") ||
               !strcmp(c.argv[0], "state")) {
        ret = cmd_group_simple(&c);
    } else if (!strcmp(c.argv[0], "diag-dump")) {
        ret = cmd_diag_dump(&c);
    } else if (!strcmp(c.argv[0], "inject-state")) {
        ret = cmd_inject_state(&c);
    } else if (!strcmp(c.argv[0], "log")) {
        ret = cmd_log(&c);
    } else if (!strcmp(c.argv[0], "dma-read") ||
               !strcmp(c.argv[0], "dma-write")) {
        ret = cmd_dma(&c);
    } else if (!strcmp(c.argv[0], "maps")) {
        ret = cmd_maps(&c);
    } else if (!strcmp(c.argv[0], "tce-stats")) {
        ret = cmd_tce_stats(&c);
    } else if (!strcmp(c.argv[0], "signal")) {
        ret = cmd_signal(&c);
    } else if (!strcmp(c.argv[0], "fail")) {
        ret = cmd_fail(&c);
    } else if (!strcmp(c.argv[0], "mark")) {
        rest = line + strspn(line, " \t") + 4;
        rest += strspn(rest, " \t");
        snprintf(buf, sizeof(buf), "%s", rest);
        buf[strcspn(buf, "\r\n")] = '\0';
        vhm_log("MARK %s", buf);
        say(&c, "OK");
    } else if (!strcmp(c.argv[0], "reset-log")) {
        vhm_log_reset();
        say(&c, "OK");
    } else if (!strcmp(c.argv[0], "option")) {
        ret = cmd_option(&c, line);
    } else if (!strcmp(c.argv[0], "help")) {
        cmd_help(&c);
    } else {
        say(&c, "ERR unknown command '%s'", c.argv[0]);
        ret = -1;
    }
    vhm_unlock();
    return ret;
}

/* socket server */

typedef struct OutBuf {
    char *p;
    size_t len;
    size_t cap;
} OutBuf;

static void outbuf_add(void *opaque, const char *line)
{
    OutBuf *o = opaque;
    size_t n = strlen(line);

    if (o->len + n + 1 > o->cap) {
        size_t ncap = o->cap ? o->cap : 4096;
        char *np;

        while (o->len + n + 1 > ncap) {
            ncap *= 2;
        }
        np = realloc(o->p, ncap);
        if (!np) {
            return;
        }
        o->p = np;
        o->cap = ncap;
    }
    memcpy(o->p + o->len, line, n);
    o->p[o->len + n] = '\n';
    o->len += n + 1;
}

static void *conn_thread(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[4096];
    size_t have = 0;

    for (;;) {
        char *nl;
        ssize_t n;

        while ((nl = memchr(buf, '\n', have))) {
            OutBuf o = { NULL, 0, 0 };

            *nl = '\0';
            vhm_ctrl_exec(buf, outbuf_add, &o);
            if (o.p && vhm_send_all(fd, o.p, o.len) < 0) {
                free(o.p);
                goto out;
            }
            free(o.p);
            have -= (nl + 1 - buf);
            memmove(buf, nl + 1, have);
        }
        if (have == sizeof(buf)) {
            /* overlong line: drop it */
            have = 0;
        }
        n = read(fd, buf + have, sizeof(buf) - have);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        have += n;
    }
out:
    vhm_real.close(fd);
    return NULL;
}

static void *accept_thread(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_t t;
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            break;
        }
        if (pthread_create(&t, NULL, conn_thread, (void *)(intptr_t)fd)) {
            vhm_real.close(fd);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

void vhm_ctrl_start(void)
{
    struct sockaddr_un sa;
    pthread_attr_t attr;
    sigset_t all, old;
    pthread_t t;

    if (ctrl_started || !vhm.ctrl_path) {
        return;
    }
    ctrl_started = true;
    if (strlen(vhm.ctrl_path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "vfio-host-model: VHM_CTRL path too long\n");
        return;
    }
    listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) {
        perror("vfio-host-model: socket");
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, vhm.ctrl_path, strlen(vhm.ctrl_path));
    unlink(vhm.ctrl_path);
    if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(listen_fd, 8) < 0) {
        fprintf(stderr, "vfio-host-model: cannot listen on %s: %s\n",
                vhm.ctrl_path, strerror(errno));
        vhm_real.close(listen_fd);
        listen_fd = -1;
        return;
    }
    /* like qemu_thread_create(): no signals for our threads */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, accept_thread, NULL)) {
        fprintf(stderr, "vfio-host-model: cannot start control thread\n");
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    vhm_log("INFO control socket %s", vhm.ctrl_path);
}
