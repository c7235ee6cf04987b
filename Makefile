# qemu-spapr-eeh top-level Makefile
#
#   make          build qemu-system-ppc64 with the series, the host model
#                 and the tools (runs ./configure first if needed)
#   make check    build, then run every test suite ("N passed, N failed")
#   make demo     build, then boot a Linux guest, freeze its adapter from
#                 the host and show the recovery and the log it got
#   make demo-rtas  the same cycle call by call through qtest (no guest)
#   make compare  real-guest scenarios on stock QEMU and on ours, as a table
#   make bench    per-call EEH RTAS cost and peak RSS, ours against stock
#   make clean    remove build output but keep the fetched QEMU source
#                 (the next make configures again)
#
# The two commands for a fresh machine are `make demo` and `make check`:
# both install missing dependencies (as root) or print the command to do so.

-include config.mak

.PHONY: all build deps check demo demo-rtas compare bench checkpatch clean \
        distclean help

all: build

deps:
	@scripts/ensure-deps

config.mak: configure scripts/fetch-qemu scripts/fetch-firmware
	@scripts/ensure-deps
	./configure

NINJA_TARGETS := qemu-system-ppc64 tests/qtest/spapr-eeh-test \
                 tests/qtest/rtas-test
NINJA_TARGETS += $(patsubst %.c,%,$(wildcard tests/unit/test-spapr-*.c))

build: deps config.mak
	@scripts/prepare-tree $(BUILD)/qemu-pristine $(BUILD)/qemu
	ninja -C $(BUILD)/qemu-build $(NINJA_TARGETS)
	@scripts/fetch-firmware $(FIRMWARE_DIR)
	$(MAKE) -s -C tests/vfio-host-model O=$(BUILD)/vfio-host-model
	@if [ -f tools-eeh/Makefile ]; then \
	    $(MAKE) -s -C tools-eeh O=$(BUILD)/tools-eeh; fi

check: build
	scripts/run-tests

demo: build
	scripts/demo

demo-rtas: build
	scripts/demo-rtas

compare: build
	scripts/compare

bench: build
	scripts/bench

checkpatch: config.mak
	scripts/checkpatch-all

clean:
	rm -f config.mak
	rm -rf $(BUILD)/qemu-build $(BUILD)/vfio-host-model $(BUILD)/tools-eeh \
	       $(BUILD)/test-logs $(BUILD)/demo

distclean:
	rm -rf build config.mak

help:
	@sed -n '3,15p' Makefile | sed 's/^# \{0,1\}//'
