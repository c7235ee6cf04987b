/*
 * Fuzz harnesses for the sPAPR EEH log encoder and host data interpreter:
 * shared declarations
 *
 * Each harness defines LLVMFuzzerTestOneInput().  It is linked either with
 * libFuzzer (clang -fsanitize=fuzzer) or with replay.c, which runs it on
 * the files it is given.  A violated invariant calls eehf_fail(), which
 * reports it on stderr and aborts, so that libFuzzer records the input
 * and the replay driver prints "not ok".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_FUZZ_EEH_FUZZ_H
#define TESTS_FUZZ_EEH_FUZZ_H

#include "hw/ppc/spapr_eeh_log.h"

/* The harness entry point, called by libFuzzer or by replay.c */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A cursor over the fuzzer's input; reads past its end give zeroes */
typedef struct EehfReader {
    const uint8_t *p;
    size_t len;
} EehfReader;

uint8_t eehf_u8(EehfReader *r);
uint16_t eehf_u16(EehfReader *r);
uint32_t eehf_u32(EehfReader *r);
uint64_t eehf_u64(EehfReader *r);

/* Report a violated invariant and abort */
void G_GNUC_PRINTF(1, 2) G_NORETURN eehf_fail(const char *fmt, ...);

/* What spapr_eeh_log_encode() was given, for eehf_check_log() */
typedef struct EehfLogCall {
    const SpaprEehErrorRecord *rec;     /* may be NULL */
    const uint8_t *drv_buf;
    size_t drv_len;
    bool permanent;
    uint32_t plid;
    const char *loc_code;
    size_t out_max;
} EehfLogCall;

/*
 * Encode @c into a buffer of exactly c->out_max bytes and check the log:
 * size limits, nothing written past the returned length, a well-formed
 * version 6 log whose section lengths add up, the documented order in
 * which optional sections are dropped, section contents, that nothing is
 * dropped when there is room for it, that the result is deterministic
 * and that spapr_eeh_diag_rtas_log_valid() accepts it.  Returns the
 * encoded length.
 */
size_t eehf_check_encode(const EehfLogCall *c);

/* Set by the replay driver's self-test: corrupt the log before checking */
extern bool eehf_break_log;

#endif /* TESTS_FUZZ_EEH_FUZZ_H */
