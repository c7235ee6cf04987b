/*
 * eeh-probe: drive the sPAPR EEH RTAS calls of a pseries QEMU with one
 * vfio-pci device through qtest, and check every call twice: by the
 * status the guest gets, and by the host operation (VFIO_EEH_PE_OP) that
 * QEMU's trace shows it caused.  Prints TAP, and one machine-readable
 * "OP" line per RTAS call:
 *
 *   OP <rtas-call> <args> rtas=<status>
 *      host=<op>=<ret>[,<op>=<ret>...]|none|unknown us=<microseconds>
 *
 * (one line), where us= is the wall time of the call's round trip: from
 * sending the qtest "rtas" command to its answer.  At the end a line
 *
 *   COST calls=N total_us=N mean_us=N max_us=N
 *
 * sums that up over all the RTAS calls.
 *
 * With --stock it checks a QEMU without this project's series (upstream,
 * e.g. 10.2.2): that has none of our trace events (upstream's EEH code
 * traces nothing, so the host operation is "unknown"), no query-vfio-eeh
 * and no VFIO_EEH events.  The probe then checks only the RTAS statuses,
 * against upstream's behaviour (hw/ppc/spapr_pci.c, spapr_pci_vfio.c):
 * the calls pass the host's answers through, and ibm,slot-error-detail
 * always answers 1, "no errors found", and writes no log.
 *
 * It needs nothing but libc, so that the same program runs on an x86
 * host against the VFIO host model (LD_PRELOAD, see probe-on-model) and
 * inside a POWER host, static, against the kernel's VFIO and EEH.  It
 * talks QEMU's qtest text protocol (system/qtest.c, and the "rtas"
 * command of hw/ppc/spapr_rtas.c) and QMP itself.
 *
 * Guest memory: qtest has no allocator without libqos, so the RTAS
 * argument and return areas, the driver buffer and the log buffer sit at
 * fixed guest-physical addresses in RAM, above the 4 MiB that the
 * firmware is loaded into (see --gpa); the probe checks that they are RAM
 * before it uses them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

/* LoPAR values, as the guest sees them */
#define RTAS_SUCCESS            0
#define RTAS_HW_ERROR           (-1)
#define RTAS_NO_ERRORS_FOUND    1

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

#define PE_MODE_SHARED          2
#define SLOT_ERR_TEMP           1

#define RTAS_ERROR_LOG_MAX      2048
#define LOG_MIN                 (8 + 16 + 48 + 24 + 80)
#define LOG_FILL                0xa5

/* VFIO_EEH_PE_OP operations (linux/vfio.h) */
enum {
    EEH_DISABLE, EEH_ENABLE, EEH_UNFREEZE_IO, EEH_UNFREEZE_DMA,
    EEH_GET_STATE, EEH_RESET_DEACTIVATE, EEH_RESET_HOT,
    EEH_RESET_FUNDAMENTAL, EEH_CONFIGURE, EEH_INJECT_ERR,
};

static const char *const eeh_op_names[] = {
    "DISABLE", "ENABLE", "UNFREEZE_IO", "UNFREEZE_DMA", "GET_STATE",
    "RESET_DEACTIVATE", "RESET_HOT", "RESET_FUNDAMENTAL", "CONFIGURE",
    "INJECT_ERR",
};

#define ARRAY_SIZE(a)           (sizeof(a) / sizeof((a)[0]))
#define END                     (-1)
#define MAX_OPS                 16

/* Trace events: hw/ppc/trace-events and hw/vfio/trace-events */
#define EV_HOST_OP              "spapr_pci_vfio_eeh_op"
#define EV_CAPTURE              "spapr_eeh_capture"
#define EV_LOG                  "spapr_eeh_log"
#define EV_INJECT_REQ           "spapr_errinjct_request"

static const char *const trace_patterns[] = {
    "spapr_pci_eeh_*",          /* each EEH RTAS call, with its status */
    "spapr_eeh_*",              /* error records, logs, QMP events */
    EV_HOST_OP,                 /* each host VFIO_EEH_PE_OP and result */
    "spapr_errinjct*",          /* guest error injection */
    "vfio_eeh_*",               /* AER and host error data reads */
};

typedef struct LineBuf {
    int fd;
    char *buf;
    size_t len, cap;
} LineBuf;

typedef struct Json Json;

typedef struct Opts {
    const char *qemu;
    const char *host;
    const char *sysfsdev;
    const char *freeze_cmd;
    const char *log_out;
    const char *trace_out;
    const char *fwdir;
    const char *workdir;
    const char *env[32];
    int nenv;
    const char *qemu_args[32];
    int nqemu_args;
    const char *log_checks[8];
    int nlog_checks;
    int timeout;
    int polls;
    int poll_ms;
    uint64_t buid;
    unsigned slot;
    uint64_t gpa;
    bool thaw_before_log;
    bool freeze_first;
    bool keep;
    bool stock;
    bool errinjct;
} Opts;

typedef struct Probe {
    Opts o;
    char dir[1024];
    char trace_path[PATH_MAX];
    char stderr_path[PATH_MAX];
    bool made_dir;
    pid_t qemu;
    LineBuf qt, qmp, trace;
    int ntest, nfail;
    uint32_t pe_addr;
    /* Guest-physical addresses */
    uint64_t args_gpa, rets_gpa, drv_gpa, log_gpa;
    /* From the trace of the last call */
    int capture_plid;
    long log_len;
    int log_plid;
    /* Host address of the last ibm,errinjct request, or -1 */
    long long inject_host_addr;
    /* Freezes the probe caused so far */
    int freezes;
    /* Kinds of the VFIO_EEH QMP events seen */
    char events[512];
    /* Wall time of the RTAS calls (qtest round trips) */
    long ncalls;
    long long total_us;
    long max_us;
} Probe;

typedef struct Call {
    const char *name;
    uint32_t args[8];
    unsigned nargs, nret;
    uint32_t rets[5];
    int32_t status;
    bool sent;                  /* QEMU knew the call */
    /* What the trace showed */
    int nops;
    int op[MAX_OPS], op_ret[MAX_OPS];
    bool traced;
    int traced_status;
    long us;                    /* round trip of the qtest rtas command */
} Call;

static Probe *the_probe;

/* Output */

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void diag(const char *fmt, ...)
{
    va_list ap;

    fputs("# ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static bool tap(Probe *p, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool tap(Probe *p, bool ok, const char *fmt, ...)
{
    va_list ap;

    p->ntest++;
    if (!ok) {
        p->nfail++;
    }
    printf("%sok %d - ", ok ? "" : "not ", p->ntest);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    return ok;
}

/* A skipped test: "ok N # SKIP reason" */
static void skip(Probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void skip(Probe *p, const char *fmt, ...)
{
    va_list ap;

    p->ntest++;
    printf("ok %d # SKIP ", p->ntest);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

#define SKIP_STOCK_QMP          "stock QEMU has no query-vfio-eeh"
#define SKIP_STOCK_TRACE        "stock QEMU has no EEH trace events"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                     noreturn));

static void kill_qemu(Probe *p)
{
    if (p && p->qemu > 0) {
        kill(p->qemu, SIGKILL);
        waitpid(p->qemu, NULL, 0);
        p->qemu = 0;
    }
}

static void die(const char *fmt, ...)
{
    va_list ap;

    fputs("Bail out! ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    kill_qemu(the_probe);
    if (the_probe && the_probe->made_dir) {
        fprintf(stderr, "eeh-probe: files kept in %s\n", the_probe->dir);
    }
    exit(2);
}

static void on_alarm(int sig)
{
    static const char msg[] = "Bail out! timeout\n";

    (void)sig;
    if (the_probe && the_probe->qemu > 0) {
        kill(the_probe->qemu, SIGKILL);
    }
    if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
        /* nothing left to do */
    }
    _exit(2);
}

static const char *errno_name(int e)
{
    static const struct {
        int e;
        const char *name;
    } names[] = {
        { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
        { ENXIO, "ENXIO" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
        { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
        { EBUSY, "EBUSY" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
        { ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" }, { ERANGE, "ERANGE" },
        { ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" },
        { ETIMEDOUT, "ETIMEDOUT" }, { ENOMSG, "ENOMSG" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (names[i].e == e) {
            return names[i].name;
        }
    }
    return "E?";
}

static const char *op_name(int op)
{
    static char buf[16];

    if (op >= 0 && op < (int)ARRAY_SIZE(eeh_op_names)) {
        return eeh_op_names[op];
    }
    snprintf(buf, sizeof(buf), "OP%d", op);
    return buf;
}

/* "NAME=ret" or "NAME=-5(EIO)" */
static void fmt_op(char *buf, size_t size, int op, int ret)
{
    if (ret < 0) {
        snprintf(buf, size, "%s=%d(%s)", op_name(op), ret, errno_name(-ret));
    } else {
        snprintf(buf, size, "%s=%d", op_name(op), ret);
    }
}

/*
 * A number at the start of @s: decimal, 0x hex or 0 octal (@hex: always
 * hex); 0 when there is none.  sscanf() keeps this libc-only.
 */
static unsigned long long parse_num(const char *s, bool hex)
{
    unsigned long long u = 0;
    long long v = 0;

    if (hex) {
        return sscanf(s, "%llx", &u) == 1 ? u : 0;
    }
    return sscanf(s, "%lli", &v) == 1 ? (unsigned long long)v : 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        /* again */
    }
}

/* Line buffers: the qtest and QMP sockets, and the growing trace file */

static void lb_init(LineBuf *lb, int fd)
{
    lb->fd = fd;
    lb->len = 0;
    lb->cap = 4096;
    lb->buf = malloc(lb->cap);
    if (!lb->buf) {
        die("out of memory");
    }
}

/* A complete line from the buffer (malloc'd, without newline), or NULL */
static char *lb_take(LineBuf *lb)
{
    char *nl = memchr(lb->buf, '\n', lb->len);
    size_t n;
    char *line;

    if (!nl) {
        return NULL;
    }
    n = nl - lb->buf;
    line = malloc(n + 1);
    if (!line) {
        die("out of memory");
    }
    memcpy(line, lb->buf, n);
    line[n] = '\0';
    memmove(lb->buf, nl + 1, lb->len - n - 1);
    lb->len -= n + 1;
    return line;
}

/* One read(): > 0 bytes added, 0 end of file, < 0 error */
static ssize_t lb_fill(LineBuf *lb)
{
    ssize_t n;

    if (lb->cap - lb->len < 4096) {
        lb->cap *= 2;
        lb->buf = realloc(lb->buf, lb->cap);
        if (!lb->buf) {
            die("out of memory");
        }
    }
    do {
        n = read(lb->fd, lb->buf + lb->len, lb->cap - lb->len);
    } while (n < 0 && errno == EINTR);
    if (n > 0) {
        lb->len += n;
    }
    return n;
}

/* Next line of a socket; NULL when it closed */
static char *lb_read_line(LineBuf *lb)
{
    char *line;

    while (!(line = lb_take(lb))) {
        if (lb_fill(lb) <= 0) {
            return NULL;
        }
    }
    return line;
}

static void send_all(int fd, const char *s)
{
    size_t off = 0, len = strlen(s);

    while (off < len) {
        ssize_t n = write(fd, s + off, len - off);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            die("write to QEMU failed: %s", strerror(errno));
        }
        off += n;
    }
}

/* qtest */

/*
 * Send one qtest command and return its answer without the "OK " (the
 * caller frees it); asynchronous "IRQ" lines are skipped.  Anything but
 * OK ends the probe.
 */
static char *qt_cmd(Probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *qt_cmd(Probe *p, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    char *line;
    size_t skip;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
    va_end(ap);
    strcat(cmd, "\n");
    send_all(p->qt.fd, cmd);
    for (;;) {
        line = lb_read_line(&p->qt);
        if (!line) {
            cmd[strlen(cmd) - 1] = '\0';
            die("QEMU closed the qtest connection during '%s' (see %s)",
                cmd, p->stderr_path);
        }
        if (!strncmp(line, "IRQ", 3)) {
            free(line);
            continue;
        }
        break;
    }
    if (strcmp(line, "OK") && strncmp(line, "OK ", 3)) {
        cmd[strlen(cmd) - 1] = '\0';
        die("qtest '%s' answered '%s'", cmd, line);
    }
    skip = line[2] ? 3 : 2;
    memmove(line, line + skip, strlen(line) - skip + 1);
    return line;
}

static void qt_writel(Probe *p, uint64_t addr, uint32_t val)
{
    free(qt_cmd(p, "writel 0x%" PRIx64 " 0x%" PRIx32, addr, val));
}

static uint32_t qt_readl(Probe *p, uint64_t addr)
{
    char *r = qt_cmd(p, "readl 0x%" PRIx64, addr);
    uint32_t v = parse_num(r, false);

    free(r);
    return v;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void qt_read(Probe *p, uint64_t addr, uint8_t *buf, size_t len)
{
    char *r = qt_cmd(p, "read 0x%" PRIx64 " %zu", addr, len);
    size_t i;

    if (strncmp(r, "0x", 2) || strlen(r) != 2 + 2 * len) {
        die("qtest read of %zu bytes answered %zu characters", len,
            strlen(r));
    }
    for (i = 0; i < len; i++) {
        buf[i] = hexval(r[2 + 2 * i]) << 4 | hexval(r[3 + 2 * i]);
    }
    free(r);
}

static void qt_write(Probe *p, uint64_t addr, const uint8_t *buf, size_t len)
{
    char *hex = malloc(2 * len + 1);
    size_t i;

    if (!hex) {
        die("out of memory");
    }
    for (i = 0; i < len; i++) {
        sprintf(hex + 2 * i, "%02x", buf[i]);
    }
    free(qt_cmd(p, "write 0x%" PRIx64 " %zu 0x%s", addr, len, hex));
    free(hex);
}

/* The trace QEMU writes (-D): flushed after every line */

typedef void TraceFn(Probe *p, const char *line, void *opaque);

static void trace_drain(Probe *p, TraceFn *fn, void *opaque)
{
    char *line;

    if (p->trace.fd < 0) {
        p->trace.fd = open(p->trace_path, O_RDONLY | O_CLOEXEC);
        if (p->trace.fd < 0) {
            return;
        }
    }
    for (;;) {
        line = lb_take(&p->trace);
        if (!line) {
            if (lb_fill(&p->trace) <= 0) {
                return;
            }
            continue;
        }
        if (fn) {
            fn(p, line, opaque);
        }
        free(line);
    }
}

/* The arguments of trace event @ev in @line, or NULL */
static const char *trace_args(const char *line, const char *ev)
{
    size_t n = strlen(ev);
    const char *s;

    for (s = strstr(line, ev); s; s = strstr(s + 1, ev)) {
        if ((s == line || s[-1] == ':' || s[-1] == ' ') && s[n] == ' ') {
            return s + n + 1;
        }
    }
    return NULL;
}

/* The trace event of each RTAS call (hw/ppc/trace-events) */
static const char *rtas_event_name(const char *call)
{
    static const char *const names[][2] = {
        { "ibm,set-eeh-option", "spapr_pci_eeh_set_option" },
        { "ibm,get-config-addr-info2",
          "spapr_pci_eeh_get_config_addr_info2" },
        { "ibm,read-slot-reset-state2",
          "spapr_pci_eeh_read_slot_reset_state2" },
        { "ibm,set-slot-reset", "spapr_pci_eeh_set_slot_reset" },
        { "ibm,configure-pe", "spapr_pci_eeh_configure_pe" },
        { "ibm,slot-error-detail", "spapr_pci_eeh_slot_error_detail" },
        { "ibm,open-errinjct", "spapr_errinjct_open" },
        { "ibm,errinjct", "spapr_errinjct" },
        { "ibm,close-errinjct", "spapr_errinjct_close" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(call, names[i][0])) {
            return names[i][1];
        }
    }
    return "-";
}

static void call_trace_line(Probe *p, const char *line, void *opaque)
{
    Call *c = opaque;
    const char *op_args = trace_args(line, EV_HOST_OP);
    const char *call_args = trace_args(line, rtas_event_name(c->name));
    const char *capture_args = trace_args(line, EV_CAPTURE);
    const char *log_args = trace_args(line, EV_LOG);
    const char *req_args = trace_args(line, EV_INJECT_REQ);
    int fd, ret, plid, perm;
    unsigned op, phb;
    long len;

    if (op_args) {
        if (sscanf(op_args, "container fd %d EEH op %u: %d", &fd, &op,
                   &ret) == 3 && c->nops < MAX_OPS) {
            c->op[c->nops] = op;
            c->op_ret[c->nops] = ret;
            c->nops++;
        }
    } else if (call_args) {
        const char *st = strstr(call_args, "status ");

        if (st) {
            c->traced = true;
            c->traced_status = atoi(st + 7);
        }
    } else if (capture_args) {
        const char *s = strstr(capture_args, " plid ");

        if (s) {
            p->capture_plid = parse_num(s + 6, false);
        }
        diag("trace: %s %s", EV_CAPTURE, capture_args);
    } else if (req_args) {
        const char *h = strstr(req_args, "host address ");

        if (h) {
            p->inject_host_addr = parse_num(h + 13, true);
        }
        diag("trace: %s %s", EV_INJECT_REQ, req_args);
    } else if (log_args) {
        if (sscanf(log_args, "PHB %u permanent %d plid %i: %ld bytes", &phb,
                   &perm, &plid, &len) == 4) {
            p->log_len = len;
            p->log_plid = plid;
        }
        diag("trace: %s %s", EV_LOG, log_args);
    }
}

/* RTAS through qtest */

static long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void rtas_call(Probe *p, Call *c)
{
    char *r;
    unsigned i;
    long t0;

    if (!p->o.stock) {
        trace_drain(p, NULL, NULL);
    }
    for (i = 0; i < c->nargs; i++) {
        qt_writel(p, p->args_gpa + 4 * i, c->args[i]);
    }
    for (i = 0; i < c->nret; i++) {
        qt_writel(p, p->rets_gpa + 4 * i, 0xdeadbeef);
    }
    t0 = now_us();
    r = qt_cmd(p, "rtas %s %u 0x%" PRIx64 " %u 0x%" PRIx64, c->name,
               c->nargs, p->args_gpa, c->nret, p->rets_gpa);
    c->us = now_us() - t0;
    p->ncalls++;
    p->total_us += c->us;
    if (c->us > p->max_us) {
        p->max_us = c->us;
    }
    c->sent = !strcmp(r, "0");
    free(r);
    for (i = 0; i < c->nret; i++) {
        c->rets[i] = qt_readl(p, p->rets_gpa + 4 * i);
    }
    c->status = c->rets[0];
    /* The trace lines of the call were flushed before QEMU answered */
    if (!p->o.stock) {
        trace_drain(p, call_trace_line, c);
    }
}

static void call_init(Probe *p, Call *c, const char *name, unsigned nargs,
                      unsigned nret, uint32_t addr)
{
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->nargs = nargs;
    c->nret = nret;
    c->args[0] = addr;
    c->args[1] = p->o.buid >> 32;
    c->args[2] = p->o.buid & 0xffffffff;
}

/* What the OP and TAP lines say about the host operations of @c */
static const char *host_desc(Probe *p, const Call *c, char *buf, size_t size)
{
    char one[64];
    int i;

    if (p->o.stock) {
        return "unknown";
    }
    if (!c->nops) {
        return "none";
    }
    buf[0] = '\0';
    for (i = 0; i < c->nops; i++) {
        fmt_op(one, sizeof(one), c->op[i], c->op_ret[i]);
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
                 i ? "," : "", one);
    }
    return buf;
}

/*
 * Print the OP line of @c and one TAP line: the status must be
 * @want_status, the call's own trace event must show that status, and the
 * host operations must be @want_ops (END-terminated), each successful.
 * @why, when not NULL, is a further reason to fail.  With --stock only
 * the status (and @why) count: stock QEMU traces neither.
 */
static bool check_call(Probe *p, Call *c, const char *argdesc,
                       const char *desc, int want_status,
                       const int *want_ops, const char *why)
{
    char hbuf[512];
    const char *host = host_desc(p, c, hbuf, sizeof(hbuf));
    char problem[512] = "";
    size_t plen = 0;
    int i, nwant = 0;
    bool ok;

    printf("OP %s %s rtas=%d host=%s us=%ld\n", c->name, argdesc, c->status,
           host, c->us);

#define PROBLEM(...) \
    (plen += snprintf(problem + plen, plen < sizeof(problem) ? \
                      sizeof(problem) - plen : 0, __VA_ARGS__))

    if (!c->sent) {
        PROBLEM("; QEMU has no RTAS call %s", c->name);
    }
    if (c->status != want_status) {
        PROBLEM("; status %d, expected %d", c->status, want_status);
    }
    if (p->o.stock) {
        /* Neither the call nor the host op is traced */
    } else if (!c->traced) {
        PROBLEM("; no %s trace line", c->name);
    } else if (c->traced_status != c->status) {
        PROBLEM("; trace says status %d", c->traced_status);
    }
    while (!p->o.stock && want_ops[nwant] != END) {
        nwant++;
    }
    if (c->nops != nwant) {
        PROBLEM("; %d host op(s) traced, expected %d", c->nops, nwant);
    }
    for (i = 0; i < c->nops && i < nwant; i++) {
        if (c->op[i] != want_ops[i]) {
            PROBLEM("; host op %d is %s, expected %s", i + 1,
                    op_name(c->op[i]), op_name(want_ops[i]));
        } else if (c->op_ret[i] < 0) {
            PROBLEM("; host %s failed: %s", op_name(c->op[i]),
                    strerror(-c->op_ret[i]));
        }
    }
    if (why) {
        PROBLEM("; %s", why);
    }
#undef PROBLEM

    ok = !problem[0];
    tap(p, ok, "%s: rtas %d, host %s", desc, c->status, host);
    if (!ok) {
        diag("%s", problem + 2);
    }
    return ok;
}

static const int ops_none[] = { END };
static const int ops_get_state[] = { EEH_GET_STATE, END };

/* A call on the PE with one option argument and one host operation */
static bool rtas_pe_option(Probe *p, const char *name, uint32_t option,
                           int host_op, const char *desc)
{
    const int ops[] = { host_op, END };
    char a[64];
    Call c;

    call_init(p, &c, name, 4, 1, p->pe_addr);
    c.args[3] = option;
    rtas_call(p, &c);
    snprintf(a, sizeof(a), "pe=0x%x option=%u", p->pe_addr, option);
    return check_call(p, &c, a, desc, RTAS_SUCCESS, ops, NULL);
}

static bool rtas_set_eeh_option(Probe *p, uint32_t option, int host_op,
                                const char *desc)
{
    return rtas_pe_option(p, "ibm,set-eeh-option", option, host_op, desc);
}

static bool rtas_set_slot_reset(Probe *p, uint32_t option, int host_op,
                                const char *desc)
{
    return rtas_pe_option(p, "ibm,set-slot-reset", option, host_op, desc);
}

static bool rtas_configure_pe(Probe *p, const char *desc)
{
    const int ops[] = { EEH_CONFIGURE, END };
    char a[64];
    Call c;

    call_init(p, &c, "ibm,configure-pe", 3, 1, p->pe_addr);
    rtas_call(p, &c);
    snprintf(a, sizeof(a), "pe=0x%x", p->pe_addr);
    return check_call(p, &c, a, desc, RTAS_SUCCESS, ops, NULL);
}

/*
 * ibm,read-slot-reset-state2; the state QEMU reports must be what the
 * host's GET_STATE returned.  Returns the state, -1 if the call failed.
 */
static int read_state(Probe *p, Call *c)
{
    call_init(p, c, "ibm,read-slot-reset-state2", 3, 4, p->pe_addr);
    rtas_call(p, c);
    return c->status == RTAS_SUCCESS ? (int)c->rets[1] : -1;
}

static bool check_state(Probe *p, Call *c, const char *desc, int want)
{
    char a[64], why[160] = "";
    int state = c->status == RTAS_SUCCESS ? (int)c->rets[1] : -1;

    snprintf(a, sizeof(a), "pe=0x%x state=%d support=%d info=%d",
             p->pe_addr, state, (int)c->rets[2], (int)c->rets[3]);
    if (c->status == RTAS_SUCCESS) {
        if (state != want) {
            snprintf(why, sizeof(why), "state %d, expected %d", state, want);
        } else if (c->rets[2] != 1) {
            snprintf(why, sizeof(why), "EEH support %d, expected 1",
                     (int)c->rets[2]);
        } else if (c->nops == 1 && c->op_ret[0] != state) {
            snprintf(why, sizeof(why), "host state %d, guest sees %d",
                     c->op_ret[0], state);
        }
    }
    return check_call(p, c, a, desc, RTAS_SUCCESS, ops_get_state,
                      why[0] ? why : NULL);
}

/*
 * Poll ibm,read-slot-reset-state2 until it answers @want, at most
 * --polls times; every call gets its OP line, the last one the TAP line.
 */
static int poll_state(Probe *p, const char *desc, int want)
{
    char d[160];
    Call c;
    int i, state = -1;

    for (i = 1; i <= p->o.polls; i++) {
        state = read_state(p, &c);
        if (state == want || i == p->o.polls) {
            break;
        }
        char hbuf[512];

        printf("OP %s pe=0x%x state=%d support=%d info=%d rtas=%d "
               "host=%s us=%ld\n", c.name, p->pe_addr, state,
               (int)c.rets[2], (int)c.rets[3], c.status,
               host_desc(p, &c, hbuf, sizeof(hbuf)), c.us);
        sleep_ms(p->o.poll_ms);
    }
    snprintf(d, sizeof(d), "%s (read %d time%s)", desc, i, i > 1 ? "s" : "");
    check_state(p, &c, d, want);
    return state;
}

/* ibm,slot-error-detail with a driver buffer and a 2048-byte log buffer */
static void slot_error_detail(Probe *p, Call *c, uint32_t function,
                              uint32_t drv_len)
{
    free(qt_cmd(p, "memset 0x%" PRIx64 " %u 0x%x", p->log_gpa,
                RTAS_ERROR_LOG_MAX, LOG_FILL));
    call_init(p, c, "ibm,slot-error-detail", 8, 1, p->pe_addr);
    c->args[3] = drv_len ? p->drv_gpa : 0;
    c->args[4] = drv_len;
    c->args[5] = p->log_gpa;
    c->args[6] = RTAS_ERROR_LOG_MAX;
    c->args[7] = function;
    p->log_len = -1;
    p->log_plid = -1;
    rtas_call(p, c);
}

static void sed_args(Probe *p, Call *c, char *buf, size_t size)
{
    snprintf(buf, size, "pe=0x%x drv=0x%x+%u buf=0x%x+%u function=%u",
             p->pe_addr, c->args[3], c->args[4], c->args[5], c->args[6],
             c->args[7]);
}

/* QMP and a small JSON reader */

struct Json {
    enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } type;
    long long num;
    char *str;
    int n;
    char **keys;
    Json **items;
};

static void json_free(Json *j)
{
    int i;

    if (!j) {
        return;
    }
    for (i = 0; i < j->n; i++) {
        if (j->keys) {
            free(j->keys[i]);
        }
        json_free(j->items[i]);
    }
    free(j->keys);
    free(j->items);
    free(j->str);
    free(j);
}

static void json_ws(const char **s)
{
    while (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n') {
        (*s)++;
    }
}

static char *json_string(const char **s)
{
    const char *q = *s + 1;
    char *out = malloc(strlen(q) + 1), *o = out;

    if (!out) {
        die("out of memory");
    }
    while (*q && *q != '"') {
        if (*q == '\\' && q[1]) {
            q++;
            switch (*q) {
            case 'n':
                *o++ = '\n';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u':
                *o++ = '?';
                q += strlen(q) >= 5 ? 4 : 0;
                break;
            default:
                *o++ = *q;
            }
            q++;
        } else {
            *o++ = *q++;
        }
    }
    *o = '\0';
    *s = *q ? q + 1 : q;
    return out;
}

static Json *json_parse(const char **s, int depth)
{
    Json *j = calloc(1, sizeof(*j));

    if (!j || depth > 32) {
        die("bad JSON from QMP");
    }
    json_ws(s);
    if (**s == '{' || **s == '[') {
        bool obj = **s == '{';
        char close = obj ? '}' : ']';

        j->type = obj ? J_OBJ : J_ARR;
        (*s)++;
        json_ws(s);
        while (**s && **s != close) {
            j->items = realloc(j->items, (j->n + 1) * sizeof(*j->items));
            if (obj) {
                j->keys = realloc(j->keys, (j->n + 1) * sizeof(*j->keys));
                json_ws(s);
                if (**s != '"') {
                    break;
                }
                j->keys[j->n] = json_string(s);
                json_ws(s);
                if (**s == ':') {
                    (*s)++;
                }
            }
            j->items[j->n++] = json_parse(s, depth + 1);
            json_ws(s);
            if (**s == ',') {
                (*s)++;
            }
            json_ws(s);
        }
        if (**s == close) {
            (*s)++;
        }
    } else if (**s == '"') {
        j->type = J_STR;
        j->str = json_string(s);
    } else if (!strncmp(*s, "true", 4) || !strncmp(*s, "false", 5)) {
        j->type = J_BOOL;
        j->num = **s == 't';
        *s += j->num ? 4 : 5;
    } else if (!strncmp(*s, "null", 4)) {
        *s += 4;
    } else {
        long long v = 0;
        double d;
        int n = 0;

        j->type = J_NUM;
        if (sscanf(*s, "%lld%n", &v, &n) == 1) {
            j->num = v;
            if ((*s)[n] == '.' || (*s)[n] == 'e' || (*s)[n] == 'E') {
                /* a fraction or an exponent: skip it all */
                sscanf(*s, "%lf%n", &d, &n);
            }
        }
        *s += n ? n : 1;    /* past the number, or past what is not JSON */
    }
    return j;
}

static Json *json_get(const Json *o, const char *key)
{
    int i;

    if (!o || o->type != J_OBJ) {
        return NULL;
    }
    for (i = 0; i < o->n; i++) {
        if (!strcmp(o->keys[i], key)) {
            return o->items[i];
        }
    }
    return NULL;
}

static long long json_num(const Json *o, const char *key, long long dflt)
{
    const Json *v = json_get(o, key);

    return v && (v->type == J_NUM || v->type == J_BOOL) ? v->num : dflt;
}

static const char *json_str(const Json *o, const char *key)
{
    const Json *v = json_get(o, key);

    return v && v->type == J_STR ? v->str : NULL;
}

static void qmp_event(Probe *p, Json *ev)
{
    const char *name = json_str(ev, "event");
    const Json *data = json_get(ev, "data");
    const char *kind = json_str(data, "kind");
    size_t n = strlen(p->events);

    if (!name) {
        return;
    }
    if (strcmp(name, "VFIO_EEH")) {
        diag("QMP event %s", name);
        return;
    }
    diag("QMP event VFIO_EEH %s freeze-count %lld", kind ? kind : "-",
         json_num(data, "freeze-count", -1));
    if (kind) {
        snprintf(p->events + n, sizeof(p->events) - n, " %s", kind);
    }
}

/* The answer to a QMP command (a "return" or "error" object) */
static Json *qmp_cmd(Probe *p, const char *cmd)
{
    char buf[256];

    snprintf(buf, sizeof(buf), "%s\n", cmd);
    send_all(p->qmp.fd, buf);
    for (;;) {
        char *line = lb_read_line(&p->qmp);
        const char *s = line;
        Json *j;

        if (!line) {
            die("QEMU closed the QMP connection during %s", cmd);
        }
        j = json_parse(&s, 0);
        free(line);
        if (json_get(j, "return") || json_get(j, "error")) {
            return j;
        }
        qmp_event(p, j);
        json_free(j);
    }
}

static void qmp_init(Probe *p)
{
    char *greeting = lb_read_line(&p->qmp);
    Json *r;

    if (!greeting || !strstr(greeting, "\"QMP\"")) {
        die("no QMP greeting");
    }
    free(greeting);
    r = qmp_cmd(p, "{\"execute\": \"qmp_capabilities\"}");
    if (!json_get(r, "return")) {
        die("qmp_capabilities failed");
    }
    json_free(r);
}

/* Process any events that arrived in the meantime */
static void qmp_poll_events(Probe *p)
{
    json_free(qmp_cmd(p, "{\"execute\": \"query-status\"}"));
}

/*
 * query-vfio-eeh: the entry of the PHB (the first one, the probe's
 * machine has one PHB).  Prints the reply's summary; returns the
 * whole reply (caller frees) and the entry in *pe.
 */
static Json *query_vfio_eeh(Probe *p, const Json **pe)
{
    Json *r = qmp_cmd(p, "{\"execute\": \"query-vfio-eeh\"}");
    const Json *ret = json_get(r, "return");
    const Json *recs;
    int i;

    *pe = NULL;
    if (!ret) {
        const char *desc = json_str(json_get(r, "error"), "desc");

        diag("query-vfio-eeh failed: %s", desc ? desc : "?");
        return r;
    }
    if (ret->type == J_ARR && ret->n > 0) {
        *pe = ret->items[0];
    }
    if (!*pe) {
        diag("query-vfio-eeh: no PHB listed");
        return r;
    }
    recs = json_get(*pe, "records");
    printf("QMP query-vfio-eeh phb=%s permanent=%lld freeze-count=%lld "
           "dropped=%lld records=%d\n",
           json_str(*pe, "phb") ? json_str(*pe, "phb") : "?",
           json_num(*pe, "permanent", -1), json_num(*pe, "freeze-count", -1),
           json_num(*pe, "dropped", -1), recs ? recs->n : -1);
    for (i = 0; recs && i < recs->n; i++) {
        const Json *rec = recs->items[i];

        printf("QMP record %d plid=0x%llx class=%s freeze-count=%lld "
               "pe-state=%lld delivered=%lld released=%lld "
               "host-data-format=%s host-data-length=%lld\n", i,
               json_num(rec, "plid", -1),
               json_str(rec, "class") ? json_str(rec, "class") : "-",
               json_num(rec, "freeze-count", -1),
               json_num(rec, "pe-state", -1), json_num(rec, "delivered", -1),
               json_num(rec, "released", -1),
               json_str(rec, "host-data-format") ?
               json_str(rec, "host-data-format") : "-",
               json_num(rec, "host-data-length", -1));
    }
    fflush(stdout);
    return r;
}

/* Starting and stopping QEMU */

static int listen_unix(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(addr.sun_path)) {
        die("socket path too long: %s", path);
    }
    strcpy(addr.sun_path, path);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        die("cannot listen on %s: %s", path, strerror(errno));
    }
    return fd;
}

static void print_stderr_tail(Probe *p)
{
    FILE *f = fopen(p->stderr_path, "r");
    char line[512];

    if (!f) {
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        diag("qemu: %s", line);
    }
    fclose(f);
}

static void start_qemu(Probe *p)
{
    char qt_path[PATH_MAX], qmp_path[PATH_MAX];
    char qtest_arg[PATH_MAX + 8], chardev[PATH_MAX + 32];
    char device[PATH_MAX + 64];
    char *argv[128];
    int argc = 0, lfd[2], i, waited = 0;
    bool got[2] = { false, false };
    size_t k;

    snprintf(qt_path, sizeof(qt_path), "%.1000s/qtest.sock", p->dir);
    snprintf(qmp_path, sizeof(qmp_path), "%.1000s/qmp.sock", p->dir);
    lfd[0] = listen_unix(qt_path);
    lfd[1] = listen_unix(qmp_path);
    snprintf(qtest_arg, sizeof(qtest_arg), "unix:%s", qt_path);
    snprintf(chardev, sizeof(chardev), "socket,path=%s,id=qmp0", qmp_path);
    if (p->o.host) {
        snprintf(device, sizeof(device), "vfio-pci,host=%s,addr=%02x.0,"
                 "id=hostdev0", p->o.host, p->o.slot);
    } else {
        snprintf(device, sizeof(device), "vfio-pci,sysfsdev=%s,addr=%02x.0,"
                 "id=hostdev0", p->o.sysfsdev, p->o.slot);
    }

    argv[argc++] = (char *)p->o.qemu;
    argv[argc++] = "-machine";
    argv[argc++] = "pseries";
    argv[argc++] = "-accel";
    argv[argc++] = "qtest";
    argv[argc++] = "-m";
    argv[argc++] = "512M";
    argv[argc++] = "-nodefaults";
    argv[argc++] = "-display";
    argv[argc++] = "none";
    argv[argc++] = "-qtest";
    argv[argc++] = qtest_arg;
    argv[argc++] = "-qtest-log";
    argv[argc++] = "none";
    argv[argc++] = "-chardev";
    argv[argc++] = chardev;
    argv[argc++] = "-mon";
    argv[argc++] = "chardev=qmp0,mode=control";
    argv[argc++] = "-device";
    argv[argc++] = device;
    /* Stock QEMU has none of these events (and -trace warns for them) */
    for (k = 0; !p->o.stock && k < ARRAY_SIZE(trace_patterns); k++) {
        argv[argc++] = "-trace";
        argv[argc++] = (char *)trace_patterns[k];
    }
    argv[argc++] = "-D";
    argv[argc++] = p->trace_path;
    if (p->o.fwdir) {
        argv[argc++] = "-L";
        argv[argc++] = (char *)p->o.fwdir;
    }
    for (i = 0; i < p->o.nqemu_args; i++) {
        argv[argc++] = (char *)p->o.qemu_args[i];
    }
    argv[argc] = NULL;

    printf("# qemu:");
    for (i = 0; i < argc; i++) {
        printf(" %s", argv[i]);
    }
    printf("\n");
    for (i = 0; i < p->o.nenv; i++) {
        diag("qemu env: %s", p->o.env[i]);
    }
    fflush(stdout);

    p->qemu = fork();
    if (p->qemu < 0) {
        die("fork: %s", strerror(errno));
    }
    if (p->qemu == 0) {
        int fd = open(p->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDWR);

        if (fd < 0 || null < 0) {
            _exit(127);
        }
        dup2(null, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        /* Only QEMU gets these (LD_PRELOAD of the host model) */
        for (i = 0; i < p->o.nenv; i++) {
            putenv((char *)p->o.env[i]);
        }
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }

    /* QEMU connects to both sockets while it starts */
    while (!got[0] || !got[1]) {
        struct pollfd pfd[2] = {
            { .fd = lfd[0], .events = POLLIN },
            { .fd = lfd[1], .events = POLLIN },
        };
        int status;

        if (waitpid(p->qemu, &status, WNOHANG) == p->qemu) {
            p->qemu = 0;
            print_stderr_tail(p);
            die("QEMU exited while starting (status 0x%x)", status);
        }
        if (waited > 60000) {
            print_stderr_tail(p);
            die("QEMU did not connect within 60 s");
        }
        if (poll(pfd, 2, 200) < 0 && errno != EINTR) {
            die("poll: %s", strerror(errno));
        }
        waited += 200;
        for (i = 0; i < 2; i++) {
            if (!got[i] && (pfd[i].revents & POLLIN)) {
                int fd = accept4(lfd[i], NULL, NULL, SOCK_CLOEXEC);

                if (fd < 0) {
                    die("accept: %s", strerror(errno));
                }
                lb_init(i ? &p->qmp : &p->qt, fd);
                got[i] = true;
            }
        }
    }
    close(lfd[0]);
    close(lfd[1]);
    unlink(qt_path);
    unlink(qmp_path);
}

static void stop_qemu(Probe *p)
{
    static const char quit[] = "{\"execute\": \"quit\"}\n";
    int i, status;

    if (p->qemu <= 0) {
        return;
    }
    /* QEMU may be gone before it answers: neither matters now */
    if (write(p->qmp.fd, quit, sizeof(quit) - 1) < 0) {
        diag("QMP quit: %s", strerror(errno));
    }
    for (i = 0; i < 50; i++) {
        if (waitpid(p->qemu, &status, WNOHANG) == p->qemu) {
            p->qemu = 0;
            break;
        }
        sleep_ms(100);
    }
    kill_qemu(p);
    close(p->qt.fd);
    close(p->qmp.fd);
}

/* The test */

static bool gpa_is_ram(Probe *p, uint64_t gpa)
{
    qt_writel(p, gpa, 0x5a5aa5a5);
    if (qt_readl(p, gpa) != 0x5a5aa5a5) {
        return false;
    }
    qt_writel(p, gpa, 0);
    return qt_readl(p, gpa) == 0;
}

static void host_reset_ops(Probe *p, const char *line, void *opaque)
{
    char *ops = opaque, one[64];
    const char *a = trace_args(line, EV_HOST_OP);
    int fd, ret;
    unsigned op;

    if (a && sscanf(a, "container fd %d EEH op %u: %d", &fd, &op, &ret) == 3) {
        fmt_op(one, sizeof(one), op, ret);
        snprintf(ops + strlen(ops), 256 - strlen(ops), "%s%s",
                 ops[0] ? "," : "", one);
    }
}

static void test_errinjct(Probe *p);

static void test_setup(Probe *p)
{
    char ops[256] = "", *r;
    bool ok;

    r = qt_cmd(p, "endianness");
    tap(p, !strcmp(r, "big"), "qtest answers, target is %s-endian", r);
    free(r);

    ok = gpa_is_ram(p, p->args_gpa) && gpa_is_ram(p, p->rets_gpa) &&
         gpa_is_ram(p, p->drv_gpa) && gpa_is_ram(p, p->log_gpa) &&
         gpa_is_ram(p, p->log_gpa + RTAS_ERROR_LOG_MAX - 4);
    if (!tap(p, ok, "guest RAM at 0x%" PRIx64 "..0x%" PRIx64
             " (RTAS args, rets, driver and log buffers)", p->args_gpa,
             p->log_gpa + RTAS_ERROR_LOG_MAX)) {
        die("the guest buffers are not in RAM; try another --gpa");
    }

    /* Machine reset enabled EEH on the PE (spapr_phb_vfio_reset) */
    if (p->o.stock) {
        printf("OP machine-reset - rtas=- host=unknown\n");
        skip(p, SKIP_STOCK_TRACE " (machine reset: host ENABLE)");
        return;
    }
    trace_drain(p, host_reset_ops, ops);
    printf("OP machine-reset - rtas=- host=%s\n", ops[0] ? ops : "none");
    tap(p, !strcmp(ops, "ENABLE=0"),
        "machine reset: host %s (trace works, host has EEH)",
        ops[0] ? ops : "none");
}

static void test_config_addr(Probe *p)
{
    uint32_t cfg = p->o.slot << 11;
    char a[64], why[128];
    Call c;

    call_init(p, &c, "ibm,get-config-addr-info2", 4, 2, cfg);
    c.args[3] = 0;
    rtas_call(p, &c);
    snprintf(a, sizeof(a), "cfg=0x%x function=0 info=0x%x", cfg, c.rets[1]);
    why[0] = '\0';
    /*
     * 00BB0001: the PHB is one PE (stock QEMU, older machine types);
     * 00BBDD01: the device's IOMMU group is a PE of its own
     * (eeh-pe-per-group), DD the devfn of its first device, here ours
     */
    if (c.status == RTAS_SUCCESS && (c.rets[1] & 0xff00ffff) != 1 &&
        c.rets[1] != ((cfg & 0xffff00) | 1)) {
        snprintf(why, sizeof(why), "PE address 0x%x is neither 00BB0001 "
                 "nor 0x%x", c.rets[1], (cfg & 0xffff00) | 1);
    }
    check_call(p, &c, a, "ibm,get-config-addr-info2 function 0 (PE address)",
               RTAS_SUCCESS, ops_none, why[0] ? why : NULL);
    p->pe_addr = c.status == RTAS_SUCCESS ? c.rets[1] : 1;

    call_init(p, &c, "ibm,get-config-addr-info2", 4, 2, cfg);
    c.args[3] = 1;
    rtas_call(p, &c);
    snprintf(a, sizeof(a), "cfg=0x%x function=1 info=0x%x", cfg, c.rets[1]);
    why[0] = '\0';
    if (c.status == RTAS_SUCCESS && c.rets[1] != PE_MODE_SHARED) {
        snprintf(why, sizeof(why), "PE mode %u, expected %u (shared)",
                 c.rets[1], PE_MODE_SHARED);
    }
    check_call(p, &c, a, "ibm,get-config-addr-info2 function 1 (PE mode)",
               RTAS_SUCCESS, ops_none, why[0] ? why : NULL);
}

static void test_healthy(Probe *p)
{
    char a[128];
    Call c;

    rtas_set_eeh_option(p, EEH_OPT_ENABLE, EEH_ENABLE,
                        "ibm,set-eeh-option enable");
    read_state(p, &c);
    check_state(p, &c, "ibm,read-slot-reset-state2: normal", PE_STATE_NORMAL);
    rtas_set_eeh_option(p, EEH_OPT_THAW_IO, EEH_UNFREEZE_IO,
                        "ibm,set-eeh-option thaw MMIO");
    rtas_set_eeh_option(p, EEH_OPT_THAW_DMA, EEH_UNFREEZE_DMA,
                        "ibm,set-eeh-option thaw DMA");
    rtas_set_slot_reset(p, SLOT_RESET_HOT, EEH_RESET_HOT,
                        "ibm,set-slot-reset hot");
    rtas_set_slot_reset(p, SLOT_RESET_DEACTIVATE, EEH_RESET_DEACTIVATE,
                        "ibm,set-slot-reset deactivate");
    rtas_set_slot_reset(p, SLOT_RESET_FUNDAMENTAL, EEH_RESET_FUNDAMENTAL,
                        "ibm,set-slot-reset fundamental");
    rtas_set_slot_reset(p, SLOT_RESET_DEACTIVATE, EEH_RESET_DEACTIVATE,
                        "ibm,set-slot-reset deactivate");
    rtas_configure_pe(p, "ibm,configure-pe");
    poll_state(p, "ibm,read-slot-reset-state2 after the resets: normal",
               PE_STATE_NORMAL);

    slot_error_detail(p, &c, SLOT_ERR_TEMP, 0);
    sed_args(p, &c, a, sizeof(a));
    check_call(p, &c, a, "ibm,slot-error-detail on a healthy PE: "
               "no errors found", RTAS_NO_ERRORS_FOUND, ops_get_state,
               p->log_len >= 0 ? "QEMU traced a log" : NULL);
}

static void test_query_healthy(Probe *p)
{
    const Json *pe;
    const Json *recs;
    Json *r;

    if (p->o.stock) {
        skip(p, SKIP_STOCK_QMP);
        return;
    }
    r = query_vfio_eeh(p, &pe);
    recs = json_get(pe, "records");

    tap(p, pe && json_num(pe, "freeze-count", -1) == 0 &&
        json_num(pe, "permanent", -1) == 0 && recs && recs->n == 0,
        "query-vfio-eeh: PHB listed, not permanent, no freeze, no records");
    json_free(r);
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

/*
 * Run @cmd with sh; its output (stdout and stderr) becomes TAP comments
 * prefixed with @tag.  Returns the wait status; *not_ok is set when a
 * line of the output starts with "not ok".
 */
static int run_shell(const char *tag, const char *cmd, bool *not_ok)
{
    char line[512], *full;
    FILE *f;
    int rc;

    diag("%s: %s", tag, cmd);
    fflush(stdout);
    if (asprintf(&full, "exec 2>&1; %s", cmd) < 0) {
        die("out of memory");
    }
    f = popen(full, "r");
    free(full);
    if (!f) {
        diag("%s: cannot run: %s", tag, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        diag("%s: %s", tag, line);
        if (not_ok && !strncmp(line, "not ok", 6)) {
            *not_ok = true;
        }
    }
    rc = pclose(f);
    return rc;
}

/* The --log-check commands on the saved log */
static void run_log_checks(Probe *p)
{
    int i, rc;

    setenv("EEH_PROBE_LOG", p->o.log_out, 1);
    for (i = 0; i < p->o.nlog_checks; i++) {
        bool not_ok = false;

        rc = run_shell("log check", p->o.log_checks[i], &not_ok);
        tap(p, rc == 0 && !not_ok, "log check %d (%s) exited %d%s", i + 1,
            p->o.log_checks[i], WIFEXITED(rc) ? WEXITSTATUS(rc) : -1,
            not_ok ? " and said not ok" : "");
    }
}

/* Fetch and check the log the guest got; save it with --log-out */
static uint32_t check_log(Probe *p)
{
    uint8_t buf[RTAS_ERROR_LOG_MAX];
    uint32_t len, plid = 0;
    char src[9] = "";
    bool tail_ok = true;
    size_t i;

    qt_read(p, p->log_gpa, buf, sizeof(buf));
    len = 8 + be32(buf + 4);
    if (len >= LOG_MIN && len <= sizeof(buf)) {
        memcpy(src, buf + 96 + 48, 8);
        plid = be32(buf + 24 + 40);
        for (i = len; i < sizeof(buf); i++) {
            tail_ok &= buf[i] == LOG_FILL;
        }
    }
    tap(p, buf[0] == 6 && (buf[1] & 0x04) && buf[3] == 0xe0 &&
        len >= LOG_MIN && len <= sizeof(buf) && len % 4 == 0 &&
        !memcmp(buf + 20, "IBM", 4),
        "log: version 6 platform error log, %u bytes", len);
    tap(p, (long)len == p->log_len,
        "log: length %u is what QEMU traced (%s %ld)", len, EV_LOG,
        p->log_len);
    tap(p, tail_ok, "log: nothing written past its end");
    tap(p, !strcmp(src, "BA188001"), "log: primary SRC %s (temporary)",
        src[0] ? src : "-");
    tap(p, (int)plid == p->capture_plid && (int)plid == p->log_plid,
        "log: PLID 0x%x, captured as 0x%x, traced as 0x%x", plid,
        p->capture_plid, p->log_plid);

    if (p->o.log_out && len >= LOG_MIN && len <= sizeof(buf)) {
        FILE *f = fopen(p->o.log_out, "wb");
        bool ok = f && fwrite(buf, 1, len, f) == len;

        ok = f && !fclose(f) && ok;
        if (tap(p, ok, "log: %u bytes saved to %s", len, p->o.log_out)) {
            run_log_checks(p);
        }
    }
    return plid;
}

/* The log buffer still holds only what slot_error_detail() filled in */
static bool log_untouched(Probe *p)
{
    uint8_t buf[RTAS_ERROR_LOG_MAX];
    size_t i;

    qt_read(p, p->log_gpa, buf, sizeof(buf));
    for (i = 0; i < sizeof(buf); i++) {
        if (buf[i] != LOG_FILL) {
            return false;
        }
    }
    return true;
}

static void test_freeze(Probe *p)
{
    char a[128], drv[128];
    const Json *pe, *recs, *rec = NULL;
    Json *r;
    uint32_t plid = 0;
    int rc, i, state;
    Call c;

    rc = run_shell("freeze", p->o.freeze_cmd, NULL);
    tap(p, rc == 0, "freeze command exited %d",
        WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);

    p->capture_plid = -1;
    /* Upstream too passes the host's GET_STATE through */
    state = poll_state(p, "ibm,read-slot-reset-state2 after the freeze: "
                       "stopped", PE_STATE_STOPPED_IO_DMA);
    p->freezes++;
    if (p->o.stock) {
        skip(p, SKIP_STOCK_TRACE " (QEMU captured an error record)");
    } else if (p->capture_plid >= 0) {
        tap(p, true, "QEMU captured an error record (plid 0x%x)",
            p->capture_plid);
    } else {
        tap(p, false, "QEMU captured an error record (no %s trace line)",
            EV_CAPTURE);
    }

    if (p->o.thaw_before_log) {
        /* What Linux does before it asks for the log */
        rtas_set_eeh_option(p, EEH_OPT_THAW_IO, EEH_UNFREEZE_IO,
                            "ibm,set-eeh-option thaw MMIO before the log");
    }

    snprintf(drv, sizeof(drv), "eeh-probe: %s\n",
             p->o.host ? p->o.host : p->o.sysfsdev);
    qt_write(p, p->drv_gpa, (const uint8_t *)drv, strlen(drv));
    slot_error_detail(p, &c, SLOT_ERR_TEMP, strlen(drv));
    sed_args(p, &c, a, sizeof(a));
    if (p->o.stock) {
        /*
         * Upstream's rtas_ibm_slot_error_detail(): "We don't have error
         * log yet": 1, no errors found, whatever the PE's state, and the
         * log buffer is left alone.
         */
        bool untouched = log_untouched(p);

        check_call(p, &c, a, "stock: ibm,slot-error-detail temporary on "
                   "the frozen PE: no errors found, no log",
                   RTAS_NO_ERRORS_FOUND, ops_get_state,
                   untouched ? NULL : "the log buffer was written");
        diag("stock freeze cycle: state %d after the freeze (%s), "
             "ibm,slot-error-detail %d, log buffer %s", state,
             state == PE_STATE_STOPPED_IO_DMA ? "stopped seen" :
             "stopped not seen", c.status,
             untouched ? "untouched" : "written");
        skip(p, "stock QEMU returns no error log (log checks)");
        for (i = 0; i < p->o.nlog_checks; i++) {
            skip(p, "stock QEMU returns no error log (log check %d)", i + 1);
        }
    } else {
        check_call(p, &c, a, "ibm,slot-error-detail temporary: log returned",
                   RTAS_SUCCESS, ops_get_state,
                   c.nops == 1 && c.op_ret[0] != PE_STATE_STOPPED_IO_DMA &&
                   c.op_ret[0] != PE_STATE_STOPPED_DMA ?
                   "the host did not report the PE stopped" : NULL);
        if (c.status == RTAS_SUCCESS) {
            plid = check_log(p);
        } else {
            tap(p, false, "log: none returned, nothing to check");
        }
    }

    rtas_set_slot_reset(p, SLOT_RESET_HOT, EEH_RESET_HOT,
                        "recovery: ibm,set-slot-reset hot");
    rtas_set_slot_reset(p, SLOT_RESET_DEACTIVATE, EEH_RESET_DEACTIVATE,
                        "recovery: ibm,set-slot-reset deactivate");
    rtas_configure_pe(p, "recovery: ibm,configure-pe");
    poll_state(p, "recovery: ibm,read-slot-reset-state2: normal",
               PE_STATE_NORMAL);

    slot_error_detail(p, &c, SLOT_ERR_TEMP, 0);
    sed_args(p, &c, a, sizeof(a));
    check_call(p, &c, a, "recovery: ibm,slot-error-detail: no errors found",
               RTAS_NO_ERRORS_FOUND, ops_get_state, NULL);

    if (p->o.stock) {
        skip(p, SKIP_STOCK_QMP " (freeze-count)");
        skip(p, SKIP_STOCK_QMP " (record)");
        skip(p, "stock QEMU has no VFIO_EEH events (frozen)");
        skip(p, "stock QEMU has no VFIO_EEH events (recovered)");
        return;
    }
    r = query_vfio_eeh(p, &pe);
    recs = json_get(pe, "records");
    for (i = 0; recs && i < recs->n; i++) {
        if (json_num(recs->items[i], "plid", -1) == plid) {
            rec = recs->items[i];
        }
    }
    tap(p, pe && json_num(pe, "freeze-count", -1) == p->freezes &&
        json_num(pe, "permanent", -1) == 0,
        "query-vfio-eeh: freeze-count %lld (%d expected), not permanent",
        json_num(pe, "freeze-count", -1), p->freezes);
    tap(p, rec && json_num(rec, "delivered", -1) == 1 &&
        json_num(rec, "released", -1) == 0 &&
        json_num(rec, "freeze-count", -1) == p->freezes &&
        json_num(rec, "pe-state", -1) == PE_STATE_STOPPED_IO_DMA,
        "query-vfio-eeh: record of plid 0x%x, delivered, pe-state 2", plid);
    json_free(r);

    qmp_poll_events(p);
    tap(p, strstr(p->events, " frozen") != NULL,
        "QMP event VFIO_EEH frozen (events seen:%s)",
        p->events[0] ? p->events : " none");
    tap(p, strstr(p->events, " recovered") != NULL,
        "QMP event VFIO_EEH recovered");
}

/* Guest error injection */

/* ibm,write-pci-config of @size bytes at register @reg of the device */
static int write_config(Probe *p, uint32_t reg, uint32_t size, uint32_t val)
{
    Call c;

    call_init(p, &c, "ibm,write-pci-config", 5, 1, (p->o.slot << 11) | reg);
    c.args[3] = size;
    c.args[4] = val;
    rtas_call(p, &c);
    return c.status;
}

/* Start of BAR @bar of the device on the host, from its sysfs, or 0 */
static unsigned long long host_bar_start(Probe *p, int bar)
{
    char path[PATH_MAX], line[256];
    unsigned long long start = 0;
    FILE *f;
    int i;

    if (p->o.host) {
        snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource",
                 p->o.host);
    } else {
        snprintf(path, sizeof(path), "%s/resource", p->o.sysfsdev);
    }
    f = fopen(path, "r");
    for (i = 0; f && fgets(line, sizeof(line), f); i++) {
        if (i == bar) {
            start = parse_num(line, true);
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return start;
}

/* An ioa-bus-error request through a work buffer at @buf */
static void errinjct_call(Probe *p, Call *c, uint32_t token, uint64_t buf,
                          uint32_t addr, uint32_t mask, uint32_t func)
{
    uint32_t w[6] = { addr, mask, p->o.slot << 11,
                      (uint32_t)(p->o.buid >> 32), (uint32_t)p->o.buid,
                      func };
    int i;

    for (i = 0; i < 6; i++) {
        qt_writel(p, buf + 4 * i, w[i]);
    }
    call_init(p, c, "ibm,errinjct", 3, 1, 7 /* ioa-bus-error */);
    c->args[1] = token;
    c->args[2] = buf;
    p->inject_host_addr = -1;
    rtas_call(p, c);
}

/*
 * What a guest's errinjct does on a PowerNV POWER9 host (skiboot PHB4):
 * only config space injection is implemented there, memory injection
 * fails in firmware with OPAL_UNSUPPORTED, which Linux returns as EIO.
 */
static void test_errinjct(Probe *p)
{
    const uint32_t bar0 = 0x80020000;
    const int ops_inject[] = { EEH_INJECT_ERR, END };
    uint64_t buf = p->drv_gpa;  /* 4 KiB aligned, free by now */
    unsigned long long hbar = host_bar_start(p, 0);
    uint32_t token;
    char a[128];
    Call c;

    /* A guest address for BAR0, memory decoding on */
    tap(p, write_config(p, 0x10, 4, bar0) == RTAS_SUCCESS &&
        write_config(p, 0x04, 2, 0x0006) == RTAS_SUCCESS,
        "errinjct: BAR0 at guest bus address 0x%x, decoding on", bar0);

    call_init(p, &c, "ibm,open-errinjct", 0, 2, 0);
    rtas_call(p, &c);
    token = c.rets[0];
    c.status = c.rets[1];
    snprintf(a, sizeof(a), "- token=0x%x", token);
    check_call(p, &c, a, "ibm,open-errinjct: session open, token first",
               RTAS_SUCCESS, ops_none, token ? NULL : "token 0");

    /* Memory load: QEMU asks the host at the host's BAR address */
    errinjct_call(p, &c, token, buf, bar0 + 0x10, 0xffffffff, 0);
    snprintf(a, sizeof(a), "type=7 func=0 addr=0x%x hostaddr=0x%llx",
             bar0 + 0x10, p->inject_host_addr);
    printf("OP %s %s rtas=%d host=%s us=%ld\n", c.name, a, c.status,
           c.nops ? (c.op_ret[0] == -EIO ? "INJECT_ERR=EIO" :
                     c.op_ret[0] ? "INJECT_ERR=failed" : "INJECT_ERR=0") :
           "none", c.us);
    tap(p, hbar && p->inject_host_addr == (long long)(hbar + 0x10),
        "errinjct: guest BAR address 0x%x became the host's 0x%llx "
        "(sysfs resource: BAR0 at 0x%llx)", bar0 + 0x10,
        p->inject_host_addr, hbar);
    tap(p, c.traced && c.status == RTAS_HW_ERROR && c.nops >= 1 &&
        c.op[0] == EEH_INJECT_ERR && c.op_ret[0] == -EIO,
        "errinjct: memory load error refused by POWER9 firmware: host "
        "INJECT_ERR %d, rtas %d (expected -EIO, -1)",
        c.nops ? c.op_ret[0] : 0, c.status);

    /*
     * Config load: armed in the PHB, fired by the next config read that
     * reaches the device.  vfio-pci answers the IDs (register 0) from its
     * virtual config space; COMMAND/STATUS (register 4) it reads from the
     * device.
     */
    errinjct_call(p, &c, token, buf, 4, 0, 4);
    snprintf(a, sizeof(a), "type=7 func=4 addr=0x4 hostaddr=0x%llx",
             p->inject_host_addr);
    check_call(p, &c, a, "errinjct: config load error taken by the host",
               RTAS_SUCCESS, ops_inject, NULL);
    call_init(p, &c, "ibm,read-pci-config", 4, 2, (p->o.slot << 11) | 4);
    c.args[3] = 4;
    rtas_call(p, &c);
    diag("config read after the injection: status %d value 0x%x",
         c.status, c.rets[1]);
    if (poll_state(p, "errinjct: the next config read froze the PE",
                   PE_STATE_STOPPED_IO_DMA) == PE_STATE_STOPPED_IO_DMA) {
        p->freezes++;
    }
    rtas_set_slot_reset(p, SLOT_RESET_HOT, EEH_RESET_HOT,
                        "errinjct recovery: ibm,set-slot-reset hot");
    rtas_set_slot_reset(p, SLOT_RESET_DEACTIVATE, EEH_RESET_DEACTIVATE,
                        "errinjct recovery: ibm,set-slot-reset deactivate");
    rtas_configure_pe(p, "errinjct recovery: ibm,configure-pe");
    poll_state(p, "errinjct recovery: ibm,read-slot-reset-state2: normal",
               PE_STATE_NORMAL);

    call_init(p, &c, "ibm,close-errinjct", 1, 1, token);
    rtas_call(p, &c);
    snprintf(a, sizeof(a), "token=0x%x", token);
    check_call(p, &c, a, "ibm,close-errinjct: session closed",
               RTAS_SUCCESS, ops_none, NULL);
}

/* Command line */

static void usage(FILE *f)
{
    fprintf(f,
"Usage: eeh-probe [OPTIONS] (--host BDF | --sysfsdev PATH)\n"
"\n"
"Runs QEMU (pseries, -accel qtest) with one vfio-pci device and drives the\n"
"EEH RTAS calls through qtest, checking each by its RTAS status and by the\n"
"host VFIO_EEH_PE_OP that QEMU's trace shows.  Prints TAP and OP lines.\n"
"\n"
"  --qemu PATH         qemu-system-ppc64 (default: qemu-system-ppc64 in\n"
"                      the current directory, else /usr/bin)\n"
"  --stock             QEMU is stock (upstream, without the series): check\n"
"                      only the RTAS statuses upstream gives; no trace,\n"
"                      no query-vfio-eeh, no log (those tests SKIP)\n"
"  --host BDF          the device, by host address (vfio-pci,host=)\n"
"  --sysfsdev PATH     the device, by sysfs path (vfio-pci,sysfsdev=)\n"
"  --slot N            guest slot on pci.0 (default 1: config addr 0x800)\n"
"  --buid HEX          PHB BUID (default 0x800000020000000)\n"
"  --env K=V           set K=V in QEMU's environment only (repeatable)\n"
"  --qemu-arg ARG      one more QEMU argument (repeatable)\n"
"  -L DIR              QEMU firmware directory\n"
"  --freeze-cmd CMD    run CMD (sh -c) to freeze the PE, then check the\n"
"                      detection, the log and the recovery\n"
"  --thaw-mmio-before-log  thaw MMIO before asking for the log, as Linux\n"
"  --freeze-first      enable EEH and run the freeze cycle before the\n"
"                      calls on the healthy PE (resets included)\n"
"  --errinjct          then the guest's error injection, as a PowerNV\n"
"                      POWER9/10 host takes it: a memory load error is\n"
"                      refused (EIO), a config load error freezes the PE\n"
"                      at the next config read, and the PE recovers\n"
"  --log-out FILE      save the log the guest got (exactly its length)\n"
"  --log-check CMD     then run CMD (sh -c, EEH_PROBE_LOG=FILE in its\n"
"                      environment): one test, ok when it exits 0 and\n"
"                      prints no \"not ok\" line (repeatable)\n"
"  --trace-out FILE    QEMU's trace file (default: in the work directory)\n"
"  --workdir DIR       directory for sockets, stderr and trace (default:\n"
"                      a new one under $TMPDIR or /tmp, removed when all\n"
"                      is well)\n"
"  --keep              keep the work directory\n"
"  --timeout SECONDS   give up after that long (default 120)\n"
"  --polls N           read the PE state up to N times (default 10) ...\n"
"  --poll-ms MS        ... this far apart (default 500)\n"
"  --gpa ADDR          guest-physical base of the buffers (default\n"
"                      0x1000000; uses 12 KiB)\n");
}

static void parse_args(Opts *o, int argc, char **argv)
{
    int i;

    memset(o, 0, sizeof(*o));
    o->timeout = 120;
    o->polls = 10;
    o->poll_ms = 500;
    o->buid = 0x0800000020000000ULL;
    o->slot = 1;
    o->gpa = 0x1000000;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;

        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--keep")) {
            o->keep = true;
            takes = false;
        } else if (!strcmp(a, "--stock")) {
            o->stock = true;
            takes = false;
        } else if (!strcmp(a, "--thaw-mmio-before-log")) {
            o->thaw_before_log = true;
            takes = false;
        } else if (!strcmp(a, "--freeze-first")) {
            o->freeze_first = true;
            takes = false;
        } else if (!strcmp(a, "--errinjct")) {
            o->errinjct = true;
            takes = false;
        } else if (!v) {
            fprintf(stderr, "eeh-probe: %s needs a value (or is unknown)\n",
                    a);
            exit(2);
        } else if (!strcmp(a, "--qemu")) {
            o->qemu = v;
        } else if (!strcmp(a, "--host")) {
            o->host = v;
        } else if (!strcmp(a, "--sysfsdev")) {
            o->sysfsdev = v;
        } else if (!strcmp(a, "--slot")) {
            o->slot = parse_num(v, false);
        } else if (!strcmp(a, "--buid")) {
            o->buid = parse_num(v, true);
        } else if (!strcmp(a, "--env")) {
            if (!strchr(v, '=') || o->nenv >= (int)ARRAY_SIZE(o->env)) {
                fprintf(stderr, "eeh-probe: bad --env %s\n", v);
                exit(2);
            }
            o->env[o->nenv++] = v;
        } else if (!strcmp(a, "--qemu-arg")) {
            if (o->nqemu_args >= (int)ARRAY_SIZE(o->qemu_args)) {
                fprintf(stderr, "eeh-probe: too many --qemu-arg\n");
                exit(2);
            }
            o->qemu_args[o->nqemu_args++] = v;
        } else if (!strcmp(a, "-L")) {
            o->fwdir = v;
        } else if (!strcmp(a, "--freeze-cmd")) {
            o->freeze_cmd = v;
        } else if (!strcmp(a, "--log-out")) {
            o->log_out = v;
        } else if (!strcmp(a, "--log-check")) {
            if (o->nlog_checks >= (int)ARRAY_SIZE(o->log_checks)) {
                fprintf(stderr, "eeh-probe: too many --log-check\n");
                exit(2);
            }
            o->log_checks[o->nlog_checks++] = v;
        } else if (!strcmp(a, "--trace-out")) {
            o->trace_out = v;
        } else if (!strcmp(a, "--workdir")) {
            o->workdir = v;
        } else if (!strcmp(a, "--timeout")) {
            o->timeout = atoi(v);
        } else if (!strcmp(a, "--polls")) {
            o->polls = atoi(v);
        } else if (!strcmp(a, "--poll-ms")) {
            o->poll_ms = atoi(v);
        } else if (!strcmp(a, "--gpa")) {
            o->gpa = parse_num(v, false);
        } else {
            fprintf(stderr, "eeh-probe: unknown option %s\n", a);
            usage(stderr);
            exit(2);
        }
        i += takes;
    }
    if (!o->host == !o->sysfsdev) {
        fprintf(stderr, "eeh-probe: give one of --host and --sysfsdev\n");
        exit(2);
    }
    if (o->slot < 1 || o->slot > 31 || o->polls < 1 || o->poll_ms < 0 ||
        o->gpa < 0x400000 || (o->gpa & 0xfff)) {
        fprintf(stderr, "eeh-probe: bad --slot, --polls, --poll-ms or --gpa "
                "(must be 4 KiB aligned, above 4 MiB)\n");
        exit(2);
    }
    if (!o->qemu) {
        o->qemu = access("qemu-system-ppc64", X_OK) ?
                  "/usr/bin/qemu-system-ppc64" : "./qemu-system-ppc64";
    }
}

static void remove_workdir(Probe *p)
{
    char path[PATH_MAX + 32];

    snprintf(path, sizeof(path), "%s/qemu.stderr", p->dir);
    unlink(path);
    if (!p->o.trace_out) {
        unlink(p->trace_path);
    }
    rmdir(p->dir);
}

int main(int argc, char **argv)
{
    static Probe probe;
    Probe *p = &probe;
    struct sigaction sa = { 0 };

    setvbuf(stdout, NULL, _IOLBF, 0);
    parse_args(&p->o, argc, argv);
    the_probe = p;
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    alarm(p->o.timeout);

    if (p->o.workdir) {
        snprintf(p->dir, sizeof(p->dir), "%s", p->o.workdir);
        if (mkdir(p->dir, 0700) < 0 && errno != EEXIST) {
            die("cannot create %s: %s", p->dir, strerror(errno));
        }
    } else {
        const char *tmp = getenv("TMPDIR");

        snprintf(p->dir, sizeof(p->dir), "%s/eeh-probe-XXXXXX",
                 tmp && tmp[0] ? tmp : "/tmp");
        if (!mkdtemp(p->dir)) {
            die("mkdtemp %s: %s", p->dir, strerror(errno));
        }
        p->made_dir = true;
    }
    snprintf(p->stderr_path, sizeof(p->stderr_path), "%.1000s/qemu.stderr",
             p->dir);
    snprintf(p->trace_path, sizeof(p->trace_path), "%s",
             p->o.trace_out ? p->o.trace_out : "");
    if (!p->o.trace_out) {
        snprintf(p->trace_path, sizeof(p->trace_path), "%.1000s/trace.log",
                 p->dir);
    }
    unlink(p->trace_path);
    lb_init(&p->trace, -1);
    p->args_gpa = p->o.gpa;
    p->rets_gpa = p->o.gpa + 0x100;
    p->drv_gpa = p->o.gpa + 0x1000;
    p->log_gpa = p->o.gpa + 0x2000;
    p->capture_plid = -1;
    p->log_len = -1;
    p->log_plid = -1;
    p->pe_addr = 1;

    diag("eeh-probe: %s %s, BUID 0x%" PRIx64 ", slot %u%s", p->o.host ?
         "host" : "sysfsdev", p->o.host ? p->o.host : p->o.sysfsdev,
         p->o.buid, p->o.slot, p->o.stock ? ", stock QEMU" : "");
    start_qemu(p);
    /* Answered once the machine is created and reset */
    free(qt_cmd(p, "readl 0x%" PRIx64, p->args_gpa));
    qmp_init(p);

    test_setup(p);
    test_config_addr(p);
    /*
     * The guest's error injection comes before the host's freeze: on the
     * emulated POWER9 host, after the resets of the other tests (a
     * fundamental reset among them) an injected config error still makes
     * the config read fail, but the host no longer reports the PE frozen
     * (tests/real-host/README.rst, "Differences").
     */
    if (p->o.freeze_first && p->o.freeze_cmd) {
        test_query_healthy(p);
        rtas_set_eeh_option(p, EEH_OPT_ENABLE, EEH_ENABLE,
                            "ibm,set-eeh-option enable, before the freeze");
        if (p->o.errinjct && !p->o.stock) {
            test_errinjct(p);
        }
        test_freeze(p);
        test_healthy(p);
    } else {
        test_healthy(p);
        test_query_healthy(p);
        if (p->o.errinjct && !p->o.stock) {
            test_errinjct(p);
        }
        if (p->o.freeze_cmd) {
            test_freeze(p);
        } else {
            diag("no --freeze-cmd: freeze cycle skipped");
        }
    }

    stop_qemu(p);
    printf("COST calls=%ld total_us=%lld mean_us=%lld max_us=%ld\n",
           p->ncalls, p->total_us,
           p->ncalls ? p->total_us / p->ncalls : 0, p->max_us);
    printf("1..%d\n", p->ntest);
    diag("%d passed, %d failed", p->ntest - p->nfail, p->nfail);
    if (p->nfail) {
        print_stderr_tail(p);
    }
    if (p->nfail || p->o.keep) {
        diag("trace: %s, QEMU stderr: %s", p->trace_path, p->stderr_path);
    } else if (p->made_dir) {
        remove_workdir(p);
    }
    return p->nfail ? 1 : 0;
}
