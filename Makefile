# qemu-spapr-eeh top-level Makefile
#
#   make              build qemu-system-ppc64 with the series on the primary
#                     base, the host model and the tools (configures first)
#   make check        build both bases, then run every test suite; ends with
#                     "N passed, N failed"
#   make demo         build, then boot a Linux guest, freeze its adapter from
#                     the host and show the recovery and the log it got
#   make demo-rtas    the same cycle call by call through qtest (no guest)
#   make series       export the series as git format-patch files with a
#                     cover letter (build/series/, and build/series-10.0/),
#                     and the PowerNV topic (build/series-powernv/)
#   make check-series build and test every prefix of the exported series,
#                     on both bases
#   make compare      real-guest scenarios on stock QEMU and on ours
#   make bench        per-call EEH RTAS cost and peak RSS, ours against stock
#   make check-real-host  the EEH cycle on an emulated POWER9 host running
#                     Linux's own VFIO/EEH (tests/real-host/)
#   make fuzz         build the fuzz targets (clang, libFuzzer, ASan, UBSan)
#                     and run each for FUZZ_SECONDS (tests/fuzz/)
#   make check-sanitizers  build QEMU with ASan and UBSan, run the EEH unit
#                     tests, qtests and a guest recovery under it
#   make clean        remove build output but keep the fetched QEMU sources
#
# The two commands for a fresh machine are `make demo` and `make check`:
# both install missing dependencies (as root) or print the command to do so.

-include config.mak

# The other QEMU release the series is kept working on
OTHER_BASE := 10.0
OTHER := build/qemu-$(OTHER_BASE)

.PHONY: all build build-other deps check demo demo-rtas series check-series \
        compare bench checkpatch check-real-host clean distclean help \
        fuzz check-sanitizers

all: build

deps:
	@scripts/ensure-deps

config.mak: configure scripts/fetch-qemu scripts/fetch-firmware
	@scripts/ensure-deps
	./configure

$(OTHER)/config.mak: configure scripts/fetch-qemu scripts/fetch-firmware
	@scripts/ensure-deps
	./configure --qemu-version=$(OTHER_BASE) --build-dir=$(OTHER)

# The series' tests, as the prepared tree has them: some are diffs in
# their patches, not files of this repository
TREE_TESTS = $$(cd $(1)/qemu && ls tests/qtest/spapr-eeh*-test.c \
    tests/qtest/spapr-phb-mmio-test.c tests/unit/test-spapr-*.c | \
    sed 's/\.c$$//')
NINJA_TARGETS := qemu-system-ppc64 tests/qtest/rtas-test

# The qtests of the topics in patches/ (primary base only)
TOPIC_TARGETS := tests/qtest/pnv-phb4-eeh-test

# build-in BUILD [TARGETS]: lay the series, build QEMU and its tests there
define build-in
	@scripts/prepare-tree $(1)/qemu-pristine $(1)/qemu
	ninja -C $(1)/qemu-build $(NINJA_TARGETS) $(call TREE_TESTS,$(1)) $(2)
endef

build: deps config.mak
	$(call build-in,$(BUILD),$(TOPIC_TARGETS))
	$(MAKE) -s -C tests/vfio-host-model O=$(BUILD)/vfio-host-model
	$(MAKE) -s -C tools-eeh O=$(BUILD)/tools-eeh

build-other: deps $(OTHER)/config.mak
	$(call build-in,$(CURDIR)/$(OTHER))

check: build build-other
	scripts/run-tests

demo: build
	scripts/demo

demo-rtas: build
	scripts/demo-rtas

series: config.mak $(OTHER)/config.mak
	python3 scripts/series.py export $(BUILD)/qemu-pristine $(BUILD)/series
	python3 scripts/series.py export $(OTHER)/qemu-pristine \
	    $(BUILD)/series-$(OTHER_BASE)
	python3 scripts/series.py export --topic=powernv \
	    $(BUILD)/qemu-pristine $(BUILD)/series-powernv

check-series: build build-other
	scripts/check-series $(BUILD) $(OTHER)

compare: build
	scripts/compare

bench: build
	scripts/bench

check-real-host: build
	tests/real-host/check-real-host

fuzz: deps config.mak
	scripts/fuzz

check-sanitizers: deps config.mak
	scripts/check-sanitizers

checkpatch: config.mak $(OTHER)/config.mak
	scripts/checkpatch-all $(BUILD) $(OTHER)

clean:
	rm -f config.mak
	rm -rf $(BUILD)/qemu-build $(BUILD)/vfio-host-model $(BUILD)/tools-eeh \
	       $(BUILD)/test-logs $(BUILD)/demo $(OTHER)/qemu-build \
	       $(OTHER)/config.mak

distclean:
	rm -rf build config.mak

help:
	@sed -n '3,26p' Makefile | sed 's/^# \{0,1\}//'
