/*
 * QTest helpers for sPAPR EEH (Enhanced Error Handling) on VFIO devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "spapr-eeh-common.h"

const EehDev eeh_one_dev[] = {
    { "0001:00:01.0", 42, 1, NULL },
    { NULL }
};

static const char *model_lib(void)
{
    const char *lib = g_getenv("VHM_LIBRARY");

    return lib && !access(lib, R_OK) ? lib : NULL;
}

static void eeh_skip(void)
{
    g_test_skip("VHM_LIBRARY does not name the VFIO host model library");
}

void eeh_add_test(const char *path, void (*fn)(void))
{
    qtest_add_func(path, model_lib() ? fn : eeh_skip);
}

void eeh_add_data_test(const char *path, const void *data,
                       void (*fn)(const void *))
{
    if (model_lib()) {
        qtest_add_data_func(path, data, fn);
    } else {
        qtest_add_func(path, eeh_skip);
    }
}

/* Control channel of the host model */

static void vhm_connect(EehTest *t)
{
    g_autofree char *path = g_strdup_printf("%s/ctrl.sock", t->dir);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    t->ctrl = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(t->ctrl, >=, 0);
    g_assert_cmpint(connect(t->ctrl, (struct sockaddr *)&addr,
                            sizeof(addr)), ==, 0);
    t->rbuf = g_string_new("");
}

/* Read one reply line (without its newline); NULL on EOF */
static char *vhm_read_line(EehTest *t)
{
    char buf[512];
    char *nl, *line;

    while (!(nl = memchr(t->rbuf->str, '\n', t->rbuf->len))) {
        ssize_t n = read(t->ctrl, buf, sizeof(buf));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        g_string_append_len(t->rbuf, buf, n);
    }
    line = g_strndup(t->rbuf->str, nl - t->rbuf->str);
    g_string_erase(t->rbuf, 0, nl - t->rbuf->str + 1);
    return line;
}

char *vhm_cmd(EehTest *t, GPtrArray *data, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    va_list ap;
    size_t off = 0, len;
    char *line;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    cmd = g_realloc(cmd, strlen(cmd) + 2);
    strcat(cmd, "\n");
    len = strlen(cmd);

    while (off < len) {
        ssize_t n = write(t->ctrl, cmd + off, len - off);

        g_assert_cmpint(n, >, 0);
        off += n;
    }
    while ((line = vhm_read_line(t))) {
        if (g_str_has_prefix(line, "OK") || g_str_has_prefix(line, "ERR")) {
            return line;
        }
        if (data) {
            g_ptr_array_add(data, line);
        } else {
            g_free(line);
        }
    }
    g_error("host model closed the control channel during '%s'", cmd);
}

void vhm_ok(EehTest *t, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *st = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    st = vhm_cmd(t, NULL, "%s", cmd);
    if (!g_str_has_prefix(st, "OK")) {
        g_error("host model refused '%s': %s", cmd, st);
    }
}

char *vhm_eeh_ops(EehTest *t)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) ops = g_string_new("");
    g_autofree char *st = vhm_cmd(t, lines, "log %" PRIu64, t->log_seq);
    guint i;

    g_assert_true(g_str_has_prefix(st, "OK "));
    t->log_seq = g_ascii_strtoull(st + 3, NULL, 10);
    for (i = 0; i < lines->len; i++) {
        const char *l = g_ptr_array_index(lines, i);
        const char *op = strstr(l, "VFIO_EEH_PE_OP op=");
        const char *grp, *ret;

        if (!op) {
            continue;
        }
        op += strlen("VFIO_EEH_PE_OP op=");
        grp = strstr(op, " group=");
        ret = strstr(op, " = ");
        g_assert_nonnull(grp);
        g_assert_nonnull(ret);
        g_string_append_printf(ops, "%s%.*s@%d%s", ops->len ? " " : "",
                               (int)(grp - op), op,
                               atoi(grp + strlen(" group=")),
                               ret[3] == '-' ? "!" : "");
    }
    return g_string_free(g_steal_pointer(&ops), FALSE);
}

/* Machine set-up and tear-down */

void eeh_start(EehTest *t, const EehDev *devs, const char *extra)
{
    g_autoptr(GString) conf = g_string_new("");
    g_autoptr(GString) args = g_string_new("");
    g_autofree char *qemu = NULL;
    g_autofree char *conf_path = NULL;
    g_autofree char *orig = g_strdup(g_getenv("QTEST_QEMU_BINARY"));
    const EehDev *d;

    g_assert_nonnull(orig);
    t->dir = g_dir_make_tmp("spapr-eeh-XXXXXX", NULL);
    g_assert_nonnull(t->dir);
    for (d = devs; d->bdf; d++) {
        g_string_append_printf(conf, "device %s group=%d %s\n", d->bdf,
                               d->group, d->keys ? d->keys : "");
        g_string_append_printf(args,
                               " -device vfio-pci,sysfsdev=%s/sys/devices/%s,"
                               "addr=%02x.0,bus=%s",
                               t->dir, d->bdf, d->slot,
                               d->bus ? d->bus : "pci.0");
    }
    /*
     * The model must be preloaded into QEMU alone; libqtest starts the
     * binary through "sh -c exec", so env(1) can set that up.
     */
    conf_path = g_strdup_printf("%s/model.conf", t->dir);
    g_assert_true(g_file_set_contents(conf_path, conf->str, -1, NULL));
    qemu = g_strdup_printf("env LD_PRELOAD=%s VHM_CONFIG=%s VHM_SYSFS=%s/sys "
                           "VHM_CTRL=%s/ctrl.sock VHM_LOG=%s/ops.log %s%s%s%s",
                           model_lib(), conf_path, t->dir, t->dir, t->dir,
                           orig, t->stderr_to_file ? " 2>" : "",
                           t->stderr_to_file ? t->dir : "",
                           t->stderr_to_file ? "/qemu.stderr" : "");
    g_setenv("QTEST_QEMU_BINARY", qemu, TRUE);
    /* Extra devices (PHBs) come first: the vfio-pci devices may use them */
    t->qts = qtest_initf("-machine %s -m 512M -nodefaults %s%s",
                         t->machine ? t->machine : "pseries",
                         extra ? extra : "", args->str);
    g_setenv("QTEST_QEMU_BINARY", orig, TRUE);
    spapr_alloc_init(&t->alloc, t->qts, ALLOC_NO_FLAGS);
    vhm_connect(t);
}

void eeh_start_enabled(EehTest *t, const EehDev *devs, const char *extra)
{
    uint32_t info = 0;

    eeh_start(t, devs, extra);
    g_assert_cmpint(qrtas_ibm_get_config_addr_info2(t->qts, &t->alloc,
                                                    PHB0_BUID, DEV_CFG_ADDR,
                                                    0, &info), ==, 0);
    g_assert_cmphex(info, ==, PE_ADDR);
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t->qts, &t->alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_ENABLE), ==, 0);
    g_free(vhm_eeh_ops(t));
}

/* Remove @path and everything below it; symbolic links are not followed */
static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
        !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
        const char *name;

        g_assert_nonnull(dir);
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *sub = g_build_filename(path, name, NULL);

            remove_tree(sub);
        }
    }
    g_assert_cmpint(remove(path), ==, 0);
}

void eeh_stop(EehTest *t)
{
    alloc_destroy(&t->alloc);
    qtest_quit(t->qts);
    close(t->ctrl);
    g_string_free(t->rbuf, TRUE);
    if (g_getenv("SPAPR_EEH_TEST_KEEP")) {
        g_test_message("host model log kept in %s/ops.log", t->dir);
    } else {
        remove_tree(t->dir);
    }
    g_free(t->dir);
}

uint32_t eeh_pe_state(EehTest *t, uint64_t buid, uint32_t *unavail_info)
{
    uint32_t state = 0xdead, info = 0xdead;

    g_assert_cmpint(qrtas_ibm_read_slot_reset_state2(t->qts, &t->alloc, buid,
                                                     PE_ADDR, &state, &info),
                    ==, RTAS_SUCCESS);
    if (unavail_info) {
        *unavail_info = info;
    }
    return state;
}

void eeh_freeze(EehTest *t, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vhm_ok(t, "%s", cmd);
    g_assert_cmpuint(eeh_pe_state(t, PHB0_BUID, NULL), ==,
                     PE_STATE_STOPPED_IO_DMA);
}

uint32_t eeh_cfg_read(EehTest *t, uint64_t buid, uint32_t off)
{
    uint32_t addr = ((off & 0xf00) << 20) | DEV_CFG_ADDR | (off & 0xff);

    return qrtas_ibm_read_pci_config(t->qts, &t->alloc, buid, addr, 4);
}

void eeh_bar0_assign(EehTest *t, uint16_t command)
{
    g_assert_cmpint(qrtas_ibm_write_pci_config(t->qts, &t->alloc, PHB0_BUID,
                                               DEV_CFG_ADDR | 0x10, 4,
                                               GUEST_BAR0), ==, 0);
    g_assert_cmpint(qrtas_ibm_write_pci_config(t->qts, &t->alloc, PHB0_BUID,
                                               DEV_CFG_ADDR | 0x04, 2,
                                               command), ==, 0);
}

char *eeh_qemu_stderr(EehTest *t)
{
    g_autofree char *path = g_strdup_printf("%s/qemu.stderr", t->dir);
    char *text = NULL;

    g_assert_true(t->stderr_to_file);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}
