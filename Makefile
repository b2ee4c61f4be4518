# Chloe — build, run and test on a fresh Debian machine.
#   make run    installs what is missing, builds, runs Chloe on its embedded default
#   make test   installs what is missing, builds, runs the whole test suite
SHELL := /bin/bash
SWIFT ?= swift
SAMPLE ?= samples/candles/XRP_ETH-1m.csv

.PHONY: deps build release run test bench check clean

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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product chloe

# Until the daemon lands, the embedded default is the indicator table over a bundled sample.
run: release
	.build/release/chloe indicators --candles $(SAMPLE) --indicators rsi:14,macd:12:26:9,bbands:20:2,atr:14,adx:14 \
	  | awk 'NR == 1 { print; next } { last[NR % 20] = $$0 } END { for (i = NR - 19; i <= NR; i++) if (i > 1) print last[i % 20] }'

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	.build/release/chloe bench indicators

# Outside-in checks from ../shared/checks (need: pip install ta-lib numpy).
check: release
	python3 ../shared/checks/indicators-parity.py .build/release/chloe ../shared/data/candles/*.csv

clean:
	rm -rf .build
