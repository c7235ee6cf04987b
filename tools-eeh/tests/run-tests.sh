#!/bin/sh
# Self-test for spapr-eeh-decode: feed it hand-built logs, good and broken,
# and check its exit status and output.  Prints TAP.
#
# Usage: run-tests.sh DECODER TESTDIR
#
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

# setb FILE OFFSET=BYTE...: FILE's bytes with single bytes replaced
setb() {
    f=$1
    shift
    bytes "$f" | awk -v sets="$*" '
        BEGIN {
            n = split(sets, s, " ")
            for (j = 1; j <= n; j++) {
                split(s[j], kv, "=")
                v[kv[1]] = kv[2]
            }
        }
        NF == 0 { next }
        { i = NR - 1; print (i in v) ? v[i] : $1 }'
}

# splice FILE OFFSET COUNT BYTE...: FILE's bytes with the COUNT bytes at
# OFFSET replaced by BYTE... (any number of them, none to delete)
splice() {
    f=$1
    off=$2
    cnt=$3
    shift 3
    bytes "$f" | awk -v off="$off" -v cnt="$cnt" -v vals="$*" '
        BEGIN { n = split(vals, v, " ") }
        NF == 0 { next }
        {
            i = NR - 1
            if (i == off) {
                for (j = 1; j <= n; j++) {
                    print v[j]
                }
            }
            if (i < off || i >= off + cnt) {
                print $1
            }
        }'
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

# The good log's layout: fixed part and v6 header @0, PH @24, UH @72,
# PS @96 (FRU subsection @176, call-out @180, location code @184, FRU
# identity @200), summary @204 (data @212, flags @304), host data @308,
# driver buffer @336, 372 bytes in all.

# Good logs
check "good temporary log, hex file" 0 "$GOOD" -x -- \
    "input: 372 bytes" \
    "fixed: version=6 severity=2(warning) disposition=0(fully-recovered) extended=1 initiator=2(pci) target=2(pci) type=0xe0(platform-error) ext_length=364" \
    "v6hdr: flags=0xa6(valid,recoverable,new-log,big-endian) format=0x8e(powerpc,platform-event) company=\"IBM\"" \
    "section 1 @24: id=PH length=48 version=0 subtype=0x00 component=0x0000" \
    "PH: date=2026-01-02 time=03:04:05.00 creator=H section_count=6 plid=0x11223344" \
    "UH: subsystem=0x40(io-adapter) event_severity=0x10(recovered) event_subtype=0x00 action=0x0000" \
    "section 3 @96: id=PS length=108 version=1" \
    "PS: src_version=2 flags=0x01 refcode=\"BA188001\" (EEH temporary: recovered)" \
    "PS: word_count=9 src_length=100" \
    "PS: hex_words=20202020 20202020 20202020 20202020 20202020 20202020 20202020 20202020" \
    "PS: fru_subsection id=0xc0 length_words=7" \
    "PS: fru 1: length=24 type=2 flags=0x28(fru-id) priority=H loc_code_length=16 loc_code=\"U78D2.001-P1-C7\"" \
    "PS: fru 1: sub 1: id=ID length=4 flags=0x10 type=1(hardware-fru) fields=none" \
    "section 4 @204: id=UD length=104 version=1 subtype=0x01(summary)" \
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
    "section 5 @308: id=UD length=28 version=1 subtype=0x02(host-data)" \
    "host-data: format=0x02(phb4) flags=0x02(cut-at-host) data_len=10 orig_len=8576 truncated=no" \
    "host-data:  0000: 01 02 03 04 05 06 07 08 09 0a" \
    "section 6 @336: id=UD length=36 version=1 subtype=0x03(driver)" \
    "driver: format=0x80(driver) flags=0x00 data_len=18 orig_len=18 truncated=no" \
    "driver:  | dev/vend:12345678" \
    "sections: 6" \
    "result: OK"
check "good temporary log, hex on stdin" 0 "$GOOD" -x "<" -- \
    "input: 372 bytes" "result: OK"
check "good temporary log, binary file" 0 "$TMP/good.bin" -- \
    "input: 372 bytes" "sections: 6" "result: OK"
check "good temporary log, binary on stdin" 0 "$TMP/good.bin" "<" -- \
    "input: 372 bytes" "result: OK"

check "minimal permanent log without call-out or UD" 0 "$MINIMAL" -x -- \
    "fixed: version=6 severity=4(error) disposition=2(not-recovered)" \
    "v6hdr: flags=0xc6(valid,unrecoverable,new-log,big-endian)" \
    "UH: subsystem=0x30(io-bus) event_severity=0x40(unrecoverable) event_subtype=0x00 action=0xa000(service,report-externally)" \
    "refcode=\"BA188002\" (EEH permanent: not recovered)" \
    "PS: word_count=9 src_length=72" \
    "PS: no FRU call-outs" "sections: 3" "result: OK"

setb "$GOOD" 1=94 8=c6 82=40 90=a0 151=32 222=02 307=33 > "$TMP/perm.hex"
check "permanent variant of the good log" 0 "$TMP/perm.hex" -x -- \
    "refcode=\"BA188002\"" "event_severity=0x40(unrecoverable)" \
    "summary: log_function=2(permanent) flags=0x00000033(permanent," \
    "result: OK"

{ bytes "$GOOD"; i=0; while [ $i -lt 1676 ]; do echo 00; i=$((i + 1)); done; } \
    > "$TMP/padded.hex"
check "log in a zero-filled 2048-byte buffer" 0 "$TMP/padded.hex" -x -- \
    "input: 2048 bytes" "note: 1676 bytes after the log ignored" \
    "result: OK"

# The FRU identity with a part number, CCIN and serial number (24 bytes
# more: call-out 48 bytes, subsection 13 words, PS 132, SRC length 124)
splice "$GOOD" 204 0 31 32 33 34 35 36 37 00 41 42 43 44 \
    31 32 33 34 35 36 37 38 39 41 42 43 > "$TMP/t.hex"
setb "$TMP/t.hex" 6=01 7=84 99=84 111=7c 179=0d 180=30 202=1c 203=1d \
    > "$TMP/fields.hex"
check "FRU identity with part number, CCIN and serial number" 0 \
    "$TMP/fields.hex" -x -- \
    "PS: word_count=9 src_length=124" \
    "PS: fru 1: length=48 type=2 flags=0x28(fru-id)" \
    "PS: fru 1: sub 1: id=ID length=28 flags=0x1d type=1(hardware-fru) fields=0x0d(part-number,ccin,serial-number)" \
    "PS: fru 1: sub 1: part_number=\"1234567\" ccin=\"ABCD\" serial_number=\"123456789ABC\"" \
    "note: @204: librtasevent 2.0.3 and later read the part_number as 7 bytes and misread the fields after it" \
    "result: OK"

# Raw data withheld: no host data section (28 bytes less, 5 sections),
# summary flags raw-withheld and drv-present, format and size still given
splice "$GOOD" 308 28 > "$TMP/t.hex"
setb "$TMP/t.hex" 7=50 51=05 306=01 307=20 > "$TMP/withheld.hex"
check "raw data withheld" 0 "$TMP/withheld.hex" -x -- \
    "summary: raw_format=2(phb4) raw_orig_len=8576 drv_len=18" \
    "summary: log_function=1(temporary) flags=0x00000120(drv-present,raw-withheld)" \
    "section 5 @308: id=UD length=36 version=1 subtype=0x03(driver)" \
    "sections: 5" "result: OK"

patch "$GOOD" 110 00 00 > "$TMP/t.hex"
check "SRC length zero is only noted" 0 "$TMP/t.hex" -x -- \
    "PS: word_count=9 src_length=0" \
    "note: @110: PS SRC length is 0 (not set)" "result: OK"

# Broken logs
patch "$GOOD" 51 05 > "$TMP/t.hex"
check "PH section count disagrees" 1 "$TMP/t.hex" -x -- \
    "error: @51: PH section count 5 but 6 sections found" \
    "result: INVALID (1 error)"

patch "$GOOD" 338 00 0c > "$TMP/t.hex"
check "section shorter than 16 bytes" 1 "$TMP/t.hex" -x -- \
    "error: @338: section length 12 below 16" "result: INVALID"

patch "$GOOD" 310 00 1e > "$TMP/t.hex"
check "section length not a multiple of 4" 1 "$TMP/t.hex" -x -- \
    "error: @310: section length 30 not a multiple of 4" "result: INVALID"

patch "$GOOD" 6 01 74 > "$TMP/t.hex"
check "extended length beyond the input" 1 "$TMP/t.hex" -x -- \
    "error: @4: extended length 372 needs 380 bytes, input has 372" \
    "result: INVALID"

head_bytes "$GOOD" 100 > "$TMP/t.hex"
check "input cut short" 1 "$TMP/t.hex" -x -- \
    "error: @4: extended length 364 needs 372 bytes, input has 100"

patch "$GOOD" 20 58 > "$TMP/t.hex"
check "company id is not IBM" 1 "$TMP/t.hex" -x -- \
    "error: @20: company id is not \"IBM\\0\""

patch "$GOOD" 24 58 > "$TMP/t.hex"
check "first section is not PH" 1 "$TMP/t.hex" -x -- \
    "error: @24: first section must be a 48-byte PH"

patch "$GOOD" 107 08 > "$TMP/t.hex"
check "SRC hex word count not 9" 1 "$TMP/t.hex" -x -- \
    "error: @107: PS hex word count 8, expected 9" \
    "result: INVALID (1 error)"

patch "$GOOD" 110 00 60 > "$TMP/t.hex"
check "SRC length not the section length minus 8" 1 "$TMP/t.hex" -x -- \
    "error: @110: PS SRC length 96, expected the section length minus 8 (100)" \
    "result: INVALID (1 error)"

patch "$GOOD" 112 00 > "$TMP/t.hex"
check "SRC hex word not ASCII spaces" 1 "$TMP/t.hex" -x -- \
    "error: @112: PS hex word 2 is 0x00202020, expected ASCII spaces" \
    "result: INVALID (1 error)"

patch "$GOOD" 179 06 > "$TMP/t.hex"
check "FRU subsection length disagrees with PS length" 1 "$TMP/t.hex" -x -- \
    "error: @178: FRU subsection is 24 bytes but the PS section leaves 28"

patch "$GOOD" 199 41 > "$TMP/t.hex"
check "location code without NUL" 1 "$TMP/t.hex" -x -- \
    "error: @184: FRU call-out 1: location code not NUL-terminated"

patch "$MINIMAL" 105 01 > "$TMP/t.hex"
check "subsection flag without a subsection" 1 "$TMP/t.hex" -x -- \
    "error: @105: subsection flag set but no room for a subsection"

# The call-out of the old layout: no FRU identity (4 bytes less: call-out
# 20 bytes, subsection 6 words, PS 104, SRC length 96)
splice "$GOOD" 200 4 > "$TMP/t.hex"
setb "$TMP/t.hex" 7=68 99=68 111=60 179=06 180=14 181=20 > "$TMP/noid.hex"
check "FRU call-out without a FRU identity" 1 "$TMP/noid.hex" -x -- \
    "PS: fru 1: length=20 type=2 flags=0x20 priority=H" \
    "error: @180: FRU call-out 1 has no substructure, no FRU identity: ppc64-diag's rtas_errd crashes on it" \
    "result: INVALID (1 error)"

setb "$TMP/noid.hex" 181=28 > "$TMP/t.hex"
check "FRU identity bit set without a FRU identity" 1 "$TMP/t.hex" -x -- \
    "error: @180: FRU call-out 1 has no substructure, no FRU identity: ppc64-diag's rtas_errd crashes on it" \
    "error: @181: FRU call-out 1: type/flags 0x28 announces a FRU identity (0x08) but there is no \"ID\" substructure" \
    "result: INVALID (2 errors)"

setb "$GOOD" 181=20 > "$TMP/t.hex"
check "FRU identity bit clear with a FRU identity" 1 "$TMP/t.hex" -x -- \
    "error: @181: FRU call-out 1: type/flags 0x20 lacks the FRU identity bit 0x08 but there is an \"ID\" substructure" \
    "result: INVALID (1 error)"

setb "$GOOD" 181=20 200=50 201=45 > "$TMP/t.hex"
check "first substructure not ID (PE)" 1 "$TMP/t.hex" -x -- \
    "PS: fru 1: sub 1: id=PE length=4 flags=0x10" \
    "error: @200: FRU call-out 1: first substructure is \"PE\", not \"ID\": ppc64-diag's rtas_errd looks only at the first substructure and leaves the call-out out of servicelog" \
    "result: INVALID (1 error)"

setb "$GOOD" 181=20 200=58 201=58 > "$TMP/t.hex"
check "only substructure unknown to librtasevent" 1 "$TMP/t.hex" -x -- \
    "error: @200: FRU call-out 1: first substructure is \"XX\", not \"ID\": librtasevent knows none of its substructures, and ppc64-diag's rtas_errd crashes on a call-out without one" \
    "result: INVALID (1 error)"

# An unknown 4-byte substructure before the FRU identity (4 bytes more)
splice "$GOOD" 200 0 58 58 04 00 > "$TMP/t.hex"
setb "$TMP/t.hex" 7=70 99=70 111=68 179=08 180=1c > "$TMP/t2.hex"
check "first substructure not ID, ID second" 1 "$TMP/t2.hex" -x -- \
    "PS: fru 1: sub 1: id=XX length=4 flags=0x00" \
    "PS: fru 1: sub 2: id=ID length=4 flags=0x10 type=1(hardware-fru)" \
    "error: @200: FRU call-out 1: first substructure is \"XX\", not \"ID\": librtasevent only finds the \"ID\" by skipping the others byte by byte" \
    "result: INVALID (1 error)"

patch "$GOOD" 202 08 > "$TMP/t.hex"
check "substructure overruns its call-out" 1 "$TMP/t.hex" -x -- \
    "error: @202: FRU call-out 1: substructure 1 length 8 outside 4..4" \
    "result: INVALID (1 error)"

patch "$GOOD" 202 02 > "$TMP/t.hex"
check "substructure shorter than its header" 1 "$TMP/t.hex" -x -- \
    "error: @202: FRU call-out 1: substructure 1 length 2 outside 4..4" \
    "result: INVALID (1 error)"

patch "$GOOD" 203 18 > "$TMP/t.hex"
check "FRU identity flags announce more than its length" 1 "$TMP/t.hex" -x -- \
    "error: @202: FRU call-out 1: FRU identity length 4, its flags 0x18 announce 12 bytes" \
    "result: INVALID (1 error)"

patch "$TMP/fields.hex" 203 1b > "$TMP/t.hex"
check "FRU identity with part number and procedure" 1 "$TMP/t.hex" -x -- \
    "error: @203: FRU call-out 1: FRU identity announces both a part number and a procedure id" \
    "result: INVALID (1 error)"

patch "$TMP/fields.hex" 211 38 > "$TMP/t.hex"
check "FRU identity part number without NUL" 1 "$TMP/t.hex" -x -- \
    "error: @204: FRU call-out 1: part_number not NUL-terminated in its 8 bytes" \
    "result: INVALID (1 error)"

patch "$GOOD" 212 00 > "$TMP/t.hex"
check "summary magic wrong" 1 "$TMP/t.hex" -x -- \
    "error: @212: summary magic 0x00454548, expected 0x51454548"

patch "$GOOD" 307 30 > "$TMP/t.hex"
check "summary flags disagree with the sections" 1 "$TMP/t.hex" -x -- \
    "error: @24: summary says raw data absent, log has it"

setb "$GOOD" 306=01 > "$TMP/t.hex"
check "raw data withheld and present" 1 "$TMP/t.hex" -x -- \
    "summary: log_function=1(temporary) flags=0x00000132(raw-present,raw-cut-at-host,drv-present,raw-withheld)" \
    "error: @304: raw data both present and withheld" \
    "result: INVALID (1 error)"

setb "$GOOD" 306=01 307=30 > "$TMP/t.hex"
check "raw data withheld with a host data section" 1 "$TMP/t.hex" -x -- \
    "error: @308: summary says raw data withheld, log has a host-data section" \
    "result: INVALID (1 error)"

setb "$TMP/withheld.hex" 292=00 > "$TMP/t.hex"
check "raw data withheld without a raw format" 1 "$TMP/t.hex" -x -- \
    "error: @292: raw data withheld but the raw format is 0(none)" \
    "result: INVALID (1 error)"

setb "$TMP/withheld.hex" 307=28 > "$TMP/t.hex"
check "raw data withheld and dropped" 1 "$TMP/t.hex" -x -- \
    "error: @304: raw data withheld but flagged dropped" \
    "result: INVALID (1 error)"

patch "$GOOD" 346 00 13 > "$TMP/t.hex"
check "driver data length above its original length" 1 "$TMP/t.hex" -x -- \
    "error: @348: driver original length 18 below data length 19"

patch "$GOOD" 345 01 > "$TMP/t.hex"
check "driver flagged truncated but complete" 1 "$TMP/t.hex" -x -- \
    "error: @345: driver flagged truncated but complete"

patch "$GOOD" 334 ff > "$TMP/t.hex"
check "non-zero padding" 1 "$TMP/t.hex" -x -- \
    "error: @334: host-data padding is not zero"

patch "$GOOD" 313 03 > "$TMP/t.hex"
check "a section after the driver buffer" 1 "$TMP/t.hex" -x -- \
    "error: @336: section after the driver buffer UD"

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
