# Chloe — build, run and test on a fresh Debian machine.
#   make run    installs what is missing, builds, runs Chloe on its embedded default
#   make test   installs what is missing, builds, runs the whole test suite
SHELL := /bin/bash
SWIFT ?= swift
SAMPLE ?= samples/candles/XRP_ETH-1m.csv

.PHONY: deps build release run test bench check clean

# Release builds target the x86-64-v3 feature level (FMA, AVX2, BMI2, MOVBE; swiftc names it
# by its first CPU, haswell) when this CPU has it, so the fused multiply-adds TA-Lib parity
# needs are one instruction rather than a libm call. CHLOE_PORTABLE=1 builds for baseline
# x86-64 (a binary to copy to older machines).
ARCH_FLAGS := $(shell if [ -z "$$CHLOE_PORTABLE" ] && [ "$$(uname -m)" = x86_64 ] && \
	grep -qw fma /proc/cpuinfo && grep -qw avx2 /proc/cpuinfo && grep -qw bmi2 /proc/cpuinfo && \
	grep -qw movbe /proc/cpuinfo; then echo "-Xswiftc -target-cpu -Xswiftc haswell"; fi)

# liblua5.4-dev (and pkg-config to find it) through apt-get when pkg-config cannot see Lua 5.4;
# libsqlite3-dev (GRDB's SQLite) when pkg-config cannot see sqlite3.
deps:
	@missing=""; \
	pkg-config --exists lua5.4 2>/dev/null || missing="$$missing liblua5.4-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing pkg-config (not found by pkg-config)"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing pkg-config >/dev/null; \
	  pkg-config --exists lua5.4 || { echo "make: liblua5.4-dev installed but pkg-config lua5.4 still fails"; exit 1; }; \
	  pkg-config --exists sqlite3 || { echo "make: libsqlite3-dev installed but pkg-config sqlite3 still fails"; exit 1; }; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "make: swift not found on PATH (Swift 6.1 or later is needed)"; exit 1; }

# An incremental build does not always recompile the modules that import one whose internals
# changed: they keep its old struct layouts (a client of a non-resilient module builds its
# values with their size at its own compile time) and, in release builds, the code that
# cross-module optimization (Package.swift's `hotPath`) copied from it. A changed indicator's
# layout then overwrites the stack. So after any change under Sources/ since the last build
# of a configuration through this Makefile (or without a record of one), the objects of every
# module of the project are removed, which recompiles them all; the packages it depends on
# are kept. $(call fresh,CONFIG) does that before a build and $(call built,CONFIG) records it.
OWN_MODULES := Indicators Exchanges Model Scripting LocalExchange Host chloe \
	IndicatorsTests ExchangesTests ModelTests ScriptingTests HostTests ChloeTests
stamp = .build/$(1)-sources.stamp
define fresh
	@if [ ! -f $(call stamp,$(1)) ] || [ -n "$$(find Sources -newer $(call stamp,$(1)) -print -quit)" ]; then \
	  bin="$$($(SWIFT) build -c $(1) --show-bin-path)"; \
	  if [ -d "$$bin" ]; then echo "make: recompiling every module of the project ($(1); Sources/ changed since its last build)"; fi; \
	  for m in $(OWN_MODULES); do rm -f "$$bin/$$m.build/"*.o; done; \
	fi
	@mkdir -p .build && touch $(call stamp,$(1)).next
endef
define built
	@mv $(call stamp,$(1)).next $(call stamp,$(1))
endef

build: deps
	$(call fresh,debug)
	$(SWIFT) build
	$(call built,debug)

release: deps
	$(call fresh,release)
	$(SWIFT) build -c release --product chloe $(ARCH_FLAGS)
	$(call built,release)

# The daemon on its embedded default (chloe.yaml): the sim feed over samples/candles, the
# example strategies, the default model, the API on http://127.0.0.1:8080 (Ctrl-C stops it).
run: release
	.build/release/chloe run

test: deps
	$(call fresh,debug)
	$(SWIFT) build --build-tests
	$(call built,debug)
	$(SWIFT) test --skip-build

# Every benchmark (docs/performance.md records their figures).
bench: release
	.build/release/chloe bench indicators
	.build/release/chloe bench exchanges
	.build/release/chloe bench strategies
	.build/release/chloe bench model
	.build/release/chloe bench pipeline

# Outside-in checks from ../shared/checks (need: pip install ta-lib numpy).
check: release
	python3 ../shared/checks/indicators-parity.py .build/release/chloe ../shared/data/candles/*.csv

clean:
	rm -rf .build
