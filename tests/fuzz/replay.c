/*
 * Replay driver for the sPAPR EEH fuzz harnesses, without libFuzzer
 *
 * Usage: replay-HARNESS [-n NAME] FILE|DIR...
 *
 * Runs LLVMFuzzerTestOneInput() on every file given and every regular
 * file in the directories given (sorted by name), each in a child
 * process, and prints TAP: one "ok" or "not ok" line per file.  A file
 * fails when the harness aborts (a violated invariant, an assertion, a
 * sanitizer report in a sanitizer build) or dies of a signal.  With
 * SPAPR_EEH_FUZZ_BREAK=1 in the environment the log checker is given a
 * corrupted log, which must fail: that checks the checker.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include <sys/wait.h>
#include "eeh-fuzz.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(GPtrArray *files, const char *path)
{
    g_autoptr(GPtrArray) names = NULL;
    GDir *dir;
    const char *n;
    guint i;

    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_ptr_array_add(files, g_strdup(path));
        return;
    }
    dir = g_dir_open(path, 0, NULL);
    if (!dir) {
        g_ptr_array_add(files, g_strdup(path));     /* fails below */
        return;
    }
    names = g_ptr_array_new_with_free_func(g_free);
    while ((n = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(path, n, NULL);

        if (n[0] != '.' && g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
            g_ptr_array_add(names, g_steal_pointer(&p));
        }
    }
    g_dir_close(dir);
    qsort(names->pdata, names->len, sizeof(gpointer), cmp_str);
    for (i = 0; i < names->len; i++) {
        g_ptr_array_add(files, g_strdup(g_ptr_array_index(names, i)));
    }
}

/* Run one file in a child; NULL if it passed, else why it failed */
static char *run_one(const char *path)
{
    g_autofree char *data = NULL;
    g_autoptr(GError) err = NULL;
    gsize len;
    pid_t pid;
    int status;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        return g_strdup(err->message);
    }
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        return g_strdup_printf("fork: %s", strerror(errno));
    }
    if (pid == 0) {
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        _exit(0);
    }
    if (waitpid(pid, &status, 0) < 0) {
        return g_strdup_printf("waitpid: %s", strerror(errno));
    }
    if (WIFSIGNALED(status)) {
        return g_strdup_printf("killed by signal %d (%s)", WTERMSIG(status),
                               strsignal(WTERMSIG(status)));
    }
    if (WEXITSTATUS(status)) {
        return g_strdup_printf("exit status %d", WEXITSTATUS(status));
    }
    return NULL;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    const char *name = "replay";
    const char *brk = getenv("SPAPR_EEH_FUZZ_BREAK");
    int failed = 0;
    guint i;
    int a = 1;

    if (argc > 2 && !strcmp(argv[1], "-n")) {
        name = argv[2];
        a = 3;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: %s [-n NAME] FILE|DIR...\n", argv[0]);
        return 2;
    }
    eehf_break_log = brk && !strcmp(brk, "1");
    for (; a < argc; a++) {
        add_path(files, argv[a]);
    }
    printf("1..%u\n", files->len);
    for (i = 0; i < files->len; i++) {
        const char *f = g_ptr_array_index(files, i);
        g_autofree char *why = run_one(f);

        if (why) {
            printf("not ok %u - %s %s: %s\n", i + 1, name, f, why);
            failed++;
        } else {
            printf("ok %u - %s %s\n", i + 1, name, f);
        }
        fflush(stdout);
    }
    return failed ? 1 : 0;
}
