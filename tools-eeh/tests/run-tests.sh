#!/bin/sh
# Self-test for spapr-eeh-decode: feed it hand-built logs, good and broken,
# and check its exit status and output.  Prints TAP.
#
# Usage: run-tests.sh DECODER TESTDIR
#
# Copyright (c) 2026 qemu-spapr-eeh developers
# SPDX-License-Identifier: GPL-2.0-or-later

DEC=$1
DIR=$2
if [ ! -x "$DEC" ] || [ ! -d "$DIR" ]; then
    echo "usage: $0 DECODER TESTDIR" >&2
    exit 2
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
GOOD=$DIR/good-temporary.hex
MINIMAL=$DIR/good-minimal.hex
n=0
failed=0

# The bytes of a hex file, one per line
bytes() {
    sed 's/#.*//' "$1" | tr -cd '0-9a-fA-F' | fold -w2
    echo
}

# patch FILE OFFSET BYTE...: FILE's bytes with some replaced from OFFSET on
patch() {
    f=$1
    off=$2
    shift 2
    bytes "$f" | awk -v off="$off" -v vals="$*" '
        BEGIN { n = split(vals, v, " ") }
        NF == 0 { next }
        { i = NR - 1; print (i >= off && i < off + n) ? v[i - off + 1] : $1 }'
}

# The first COUNT bytes of a hex file
head_bytes() {
    bytes "$1" | awk -v count="$2" 'NF && NR <= count'
}

# tobin: hex bytes on stdin, one per line, to binary on stdout
tobin() {
    fmt=$(awk 'BEGIN { h = "0123456789abcdef" }
        NF {
            b = tolower($1)
            v = (index(h, substr(b, 1, 1)) - 1) * 16
            v += index(h, substr(b, 2, 1)) - 1
            printf "\\%03o", v
        }')
    printf "$fmt"
}

# check NAME RC INPUT-FILE DECODER-ARGS [-- PATTERN...]
# Runs the decoder on INPUT-FILE (given as its last argument, or on stdin
# if DECODER-ARGS contains "<"), expects exit status RC and every PATTERN
# (fixed strings) somewhere in its output.
check() {
    name=$1
    want_rc=$2
    input=$3
    shift 3
    args=
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        args="$args $1"
        shift
    done
    [ $# -gt 0 ] && shift

    n=$((n + 1))
    case "$args" in
    *"<"*)
        # shellcheck disable=SC2086
        "$DEC" ${args%<*} < "$input" > "$TMP/out" 2>&1
        ;;
    *)
        # shellcheck disable=SC2086
        "$DEC" $args "$input" > "$TMP/out" 2>&1
        ;;
    esac
    rc=$?

    why=
    if [ "$rc" -ne "$want_rc" ]; then
        why="exit status $rc, expected $want_rc"
    else
        for pat in "$@"; do
            if ! grep -qF -- "$pat" "$TMP/out"; then
                why="output lacks: $pat"
                break
            fi
        done
    fi
    if [ -z "$why" ]; then
        echo "ok $n - $name" >> "$TMP/tap"
    else
        failed=$((failed + 1))
        {
            echo "not ok $n - $name"
            echo "# $why"
            sed 's/^/#   /' "$TMP/out"
        } >> "$TMP/tap"
    fi
}

: > "$TMP/tap"
bytes "$GOOD" | tobin > "$TMP/good.bin"

# Good logs
check "good temporary log, hex file" 0 "$GOOD" -x -- \
    "input: 368 bytes" \
    "fixed: version=6 severity=2(warning) disposition=0(fully-recovered) extended=1 initiator=2(pci) target=2(pci) type=0xe0(platform-error) ext_length=360" \
    "v6hdr: flags=0xa6(valid,recoverable,new-log,big-endian) format=0x8e(powerpc,platform-event) company=\"IBM\"" \
    "PH: date=2026-01-02 time=03:04:05.67 creator=H section_count=6 plid=0x11223344" \
    "UH: subsystem=0x40(io-adapter) event_severity=0x10(recovered) event_subtype=0x00 action=0x0000" \
    "PS: src_version=2 flags=0x01 refcode=\"BA188001\" (EEH temporary: recovered)" \
    "PS: fru 1: length=20 type=2 flags=0x20 priority=H loc_code_length=16 loc_code=\"U78D2.001-P1-C7\"" \
    "summary: magic=0x51454548 version=1 length=96" \
    "summary: class=1(dma-iommu) source=host-diag" \
    "summary: fault_addr=0x0000000080001000 kind=1(guest-iova) source=host-diag" \
    "summary: requester_id=0x0108(01:01.0) source=host-diag" \
    "summary: pe_state=2(stopped) source=qemu" \
    "summary: aer_ue_status=0x00100000 aer_ce_status=0x00002000 aer_ue_severity=0x00462030 source=aer-config" \
    "summary: tlp_header=40000001 0108000f 80001000 00000000" \
    "summary: freeze_count=3 dropped_records=1" \
    "summary: detect_time_ns=1767323045670000000 (2026-01-02T03:04:05.670000000Z) source=qemu" \
    "summary: raw_format=2(phb4) raw_orig_len=8576 drv_len=18" \
    "summary: log_function=1(temporary) flags=0x00000032(raw-present,raw-cut-at-host,drv-present)" \
    "host-data: format=0x02(phb4) flags=0x02(cut-at-host) data_len=10 orig_len=8576 truncated=no" \
    "host-data:  0000: 01 02 03 04 05 06 07 08 09 0a" \
    "driver: format=0x80(driver) flags=0x00 data_len=18 orig_len=18 truncated=no" \
    "driver:  | dev/vend:12345678" \
    "sections: 6" \
    "result: OK"
check "good temporary log, hex on stdin" 0 "$GOOD" -x "<" -- \
    "input: 368 bytes" "result: OK"
check "good temporary log, binary file" 0 "$TMP/good.bin" -- \
    "input: 368 bytes" "sections: 6" "result: OK"
check "good temporary log, binary on stdin" 0 "$TMP/good.bin" "<" -- \
    "input: 368 bytes" "result: OK"

check "minimal permanent log without call-out or UD" 0 "$MINIMAL" -x -- \
    "fixed: version=6 severity=4(error) disposition=2(not-recovered)" \
    "v6hdr: flags=0xc6(valid,unrecoverable,new-log,big-endian)" \
    "UH: subsystem=0x30(io-bus) event_severity=0x40(unrecoverable) event_subtype=0x00 action=0xa000(service,report-externally)" \
    "refcode=\"BA188002\" (EEH permanent: not recovered)" \
    "PS: no FRU call-outs" "sections: 3" "result: OK"

patch "$GOOD" 1 94 > "$TMP/perm.hex"
patch "$TMP/perm.hex" 8 c6 > "$TMP/p2.hex"
patch "$TMP/p2.hex" 82 40 > "$TMP/p3.hex"
patch "$TMP/p3.hex" 90 a0 > "$TMP/p4.hex"
patch "$TMP/p4.hex" 151 32 > "$TMP/p5.hex"
patch "$TMP/p5.hex" 218 02 > "$TMP/p6.hex"
patch "$TMP/p6.hex" 303 33 > "$TMP/perm.hex"
check "permanent variant of the good log" 0 "$TMP/perm.hex" -x -- \
    "refcode=\"BA188002\"" "event_severity=0x40(unrecoverable)" \
    "summary: log_function=2(permanent) flags=0x00000033(permanent," \
    "result: OK"

{ bytes "$GOOD"; i=0; while [ $i -lt 1680 ]; do echo 00; i=$((i + 1)); done; } \
    > "$TMP/padded.hex"
check "log in a zero-filled 2048-byte buffer" 0 "$TMP/padded.hex" -x -- \
    "input: 2048 bytes" "note: 1680 bytes after the log ignored" \
    "result: OK"

# Broken logs
patch "$GOOD" 51 05 > "$TMP/t.hex"
check "PH section count disagrees" 1 "$TMP/t.hex" -x -- \
    "error: @51: PH section count 5 but 6 sections found" \
    "result: INVALID (1 error)"

patch "$GOOD" 334 00 0c > "$TMP/t.hex"
check "section shorter than 16 bytes" 1 "$TMP/t.hex" -x -- \
    "error: @334: section length 12 below 16" "result: INVALID"

patch "$GOOD" 306 00 1e > "$TMP/t.hex"
check "section length not a multiple of 4" 1 "$TMP/t.hex" -x -- \
    "error: @306: section length 30 not a multiple of 4" "result: INVALID"

patch "$GOOD" 6 01 70 > "$TMP/t.hex"
check "extended length beyond the input" 1 "$TMP/t.hex" -x -- \
    "error: @4: extended length 368 needs 376 bytes, input has 368" \
    "result: INVALID"

head_bytes "$GOOD" 100 > "$TMP/t.hex"
check "input cut short" 1 "$TMP/t.hex" -x -- \
    "error: @4: extended length 360 needs 368 bytes, input has 100"

patch "$GOOD" 20 58 > "$TMP/t.hex"
check "company id is not IBM" 1 "$TMP/t.hex" -x -- \
    "error: @20: company id is not \"IBM\\0\""

patch "$GOOD" 24 58 > "$TMP/t.hex"
check "first section is not PH" 1 "$TMP/t.hex" -x -- \
    "error: @24: first section must be a 48-byte PH"

patch "$GOOD" 179 05 > "$TMP/t.hex"
check "FRU subsection length disagrees with PS length" 1 "$TMP/t.hex" -x -- \
    "error: @178: FRU subsection is 20 bytes but the PS section leaves 24"

patch "$GOOD" 199 41 > "$TMP/t.hex"
check "location code without NUL" 1 "$TMP/t.hex" -x -- \
    "error: @184: FRU call-out 1: location code not NUL-terminated"

patch "$MINIMAL" 105 01 > "$TMP/t.hex"
check "subsection flag without a subsection" 1 "$TMP/t.hex" -x -- \
    "error: @105: subsection flag set but no room for a subsection"

patch "$GOOD" 208 00 > "$TMP/t.hex"
check "summary magic wrong" 1 "$TMP/t.hex" -x -- \
    "error: @208: summary magic 0x00454548, expected 0x51454548"

patch "$GOOD" 303 30 > "$TMP/t.hex"
check "summary flags disagree with the sections" 1 "$TMP/t.hex" -x -- \
    "error: @24: summary says raw data absent, log has it"

patch "$GOOD" 342 00 13 > "$TMP/t.hex"
check "driver data length above its original length" 1 "$TMP/t.hex" -x -- \
    "error: @344: driver original length 18 below data length 19"

patch "$GOOD" 341 01 > "$TMP/t.hex"
check "driver flagged truncated but complete" 1 "$TMP/t.hex" -x -- \
    "error: @341: driver flagged truncated but complete"

patch "$GOOD" 330 ff > "$TMP/t.hex"
check "non-zero padding" 1 "$TMP/t.hex" -x -- \
    "error: @330: host-data padding is not zero"

patch "$GOOD" 309 03 > "$TMP/t.hex"
check "a section after the driver buffer" 1 "$TMP/t.hex" -x -- \
    "error: @332: section after the driver buffer UD"

# Bad input and usage
: > "$TMP/empty.bin"
check "empty input" 1 "$TMP/empty.bin" -- \
    "error: @0: input shorter than the 8-byte fixed part"

echo "06 44 zz" > "$TMP/t.hex"
check "bad hex text" 2 "$TMP/t.hex" -x -- "bad hex character 'z'"

check "missing file" 2 "$TMP/does-not-exist" -- "does-not-exist"

check "help" 0 "" -h -- "Usage: spapr-eeh-decode [-x] [-v] [FILE]"

echo "1..$n"
cat "$TMP/tap"
[ "$failed" -eq 0 ]
