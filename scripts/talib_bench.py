#!/usr/bin/env python3
"""Times TA-Lib's batch functions for Chloe's standard indicator set, in ns per element.

Usage, from the project root (needs `pip install ta-lib numpy`):

    python3 scripts/talib_bench.py [--series repeat|walk] [--candles samples/candles/XRP_ETH-1m.csv]
                                   [--count 1000000] [--rounds 5] [--json]

Prints a markdown table (or, with --json, a JSON array) with one row per spec of the standard
set (the `SPECS` of scripts/talib_reference.py): the TA-Lib call timed and the best of
`--rounds` runs divided by the number of candles. donchian, keltner and vwap are not in TA-Lib:
donchian and keltner time their TA-Lib building blocks (MAX + MIN, EMA + ATR) plus the numpy
arithmetic combining them, vwap a vectorised numpy version; those rows say so.

The input series, `--series repeat` (the default; `synthetic_candles`, the same as Chloe's
`SyntheticCandles.make(from:count:)` in Sources/chloe/Bench/SyntheticCandles.swift, so `chloe
bench indicators` times the same input):

    base  = the candles of --candles, in file order (default: the bundled XRP_ETH-1m sample,
            identical to ../shared/data/candles/XRP_ETH-1m.csv, 2,469 candles)
    scale = 1.0
    step  = (base[last].time - base[0].time) + 60_000        # milliseconds
    offset = 0
    out = []
    while len(out) < count:
        for c in base, while len(out) < count:
            out.append(time = c.time + offset,
                       open = c.open * scale, high = c.high * scale,
                       low = c.low * scale, close = c.close * scale,
                       volume = c.volume)                       # volume is not scaled
        scale = out[last].close / base[0].open                  # next repetition opens at the last close
        offset += step

All arithmetic is IEEE double, one multiplication per price and one division per repetition,
so the Swift and Python series are bit for bit the same.

`--series walk` (`walk_candles`, Chloe's `SyntheticCandles.walk(count:)`): a random walk that
never repeats, so no branch predictor can learn it as it learns a repeated series of a few
thousand candles. Draws are `state >> 11` of a 64-bit linear congruential generator
(state = state * 6364136223846793005 + 1442695040888963407 mod 2**64, from 0x853C49E6748FEA9B):

    open   = the previous close (1000.0 at first)
    close  = open + step * 0.01, step -1, 0 or +1 for draw % 20 in 0..8, 9..10, 11..19
    high   = max(open, close) + (w % 4) * 0.01, low = min(open, close) - ((w >> 2) % 4) * 0.01,
             w the next draw
    volume = (the next draw) % 1000
    time   = 1_700_000_000_000 + index * 60_000

Again IEEE double throughout, so both sides build the same series. The script prints a fingerprint of the
series to compare with the Swift side: count, last close and the sum of the closes added one by
one in order (`closes.reduce(0, +)`), both printed with 17 significant digits.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import talib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talib_reference import SPECS, parse_spec, read_candles  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def synthetic_candles(base, count):
    """The base series repeated end to end to `count` candles, each repetition scaled so that it
    opens at the previous repetition's last close (see the module docstring).

    `base` is (time, open, high, low, close, volume) numpy arrays; returns the same six arrays."""
    t, o, h, l, c, v = base
    n = len(t)
    if n == 0:
        raise ValueError("empty base series")
    out = [np.empty(count, dtype=np.int64)] + [np.empty(count) for _ in range(5)]
    step = int(t[-1] - t[0]) + 60_000
    scale, offset, filled = 1.0, 0, 0
    while filled < count:
        take = min(n, count - filled)
        s = slice(filled, filled + take)
        out[0][s] = t[:take] + offset
        out[1][s] = o[:take] * scale
        out[2][s] = h[:take] * scale
        out[3][s] = l[:take] * scale
        out[4][s] = c[:take] * scale
        out[5][s] = v[:take]
        filled += take
        scale = float(out[4][filled - 1]) / float(o[0])
        offset += step
    return tuple(out)


def walk_candles(count):
    """The random walk of `--series walk` (see the module docstring): six arrays as
    `synthetic_candles` returns."""
    mask = (1 << 64) - 1
    state = 0x853C49E6748FEA9B
    t = np.empty(count, dtype=np.int64)
    o, h, l, c, v = (np.empty(count) for _ in range(5))
    close = 1000.0
    for i in range(count):
        opened = close
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        move = (state >> 11) % 20
        step = -1.0 if move < 9 else (0.0 if move < 11 else 1.0)
        close = opened + step * 0.01
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        wick = state >> 11
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        t[i] = 1_700_000_000_000 + i * 60_000
        o[i], c[i] = opened, close
        h[i] = max(opened, close) + float(wick % 4) * 0.01
        l[i] = min(opened, close) - float((wick >> 2) % 4) * 0.01
        v[i] = float((state >> 11) % 1000)
    return t, o, h, l, c, v


def session_vwap(t, h, l, c, v):
    """Vectorised session VWAP (cumulative since the candle's UTC day start)."""
    tp = (h + l + c) / 3.0
    day = t // 86_400_000
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    lengths = np.diff(np.r_[starts, len(t)])
    cpv, cv = np.cumsum(tp * v), np.cumsum(v)
    base_pv = np.repeat(np.r_[0.0, cpv[starts[1:] - 1]], lengths)
    base_v = np.repeat(np.r_[0.0, cv[starts[1:] - 1]], lengths)
    pv, vol = cpv - base_pv, cv - base_v
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(vol != 0.0, pv / vol, tp)


def rolling_vwap(h, l, c, v, n):
    """Vectorised rolling VWAP over n candles (cumulative-sum differences)."""
    tp = (h + l + c) / 3.0
    cpv, cv = np.r_[0.0, np.cumsum(tp * v)], np.r_[0.0, np.cumsum(v)]
    pv, vol = cpv[n:] - cpv[:-n], cv[n:] - cv[:-n]
    out = np.full(len(c), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[n - 1:] = np.where(vol != 0.0, pv / vol, tp[n - 1:])
    return out


def benchmark_call(spec, t, h, l, c, v):
    """(description, zero-argument callable) computing `spec` over the whole series."""
    name, p = parse_spec(spec)
    i = [int(x) for x in p]
    calls = {
        "sma": ("SMA", lambda: talib.SMA(c, i[0])),
        "ema": ("EMA", lambda: talib.EMA(c, i[0])),
        "wma": ("WMA", lambda: talib.WMA(c, i[0])),
        "dema": ("DEMA", lambda: talib.DEMA(c, i[0])),
        "tema": ("TEMA", lambda: talib.TEMA(c, i[0])),
        "rsi": ("RSI", lambda: talib.RSI(c, i[0])),
        "macd": ("MACD", lambda: talib.MACD(c, i[0], i[1], i[2])),
        "bbands": ("BBANDS", lambda: talib.BBANDS(c, i[0], p[1], p[1], 0)),
        "stddev": ("STDDEV", lambda: talib.STDDEV(c, i[0], p[1])),
        "roc": ("ROC", lambda: talib.ROC(c, i[0])),
        "mom": ("MOM", lambda: talib.MOM(c, i[0])),
        "stochrsi": ("STOCHRSI", lambda: talib.STOCHRSI(c, i[0], i[1], i[2], 0)),
        "linearreg_slope": ("LINEARREG_SLOPE", lambda: talib.LINEARREG_SLOPE(c, i[0])),
        "trange": ("TRANGE", lambda: talib.TRANGE(h, l, c)),
        "atr": ("ATR", lambda: talib.ATR(h, l, c, i[0])),
        "natr": ("NATR", lambda: talib.NATR(h, l, c, i[0])),
        "stoch": ("STOCH", lambda: talib.STOCH(h, l, c, i[0], i[1], 0, i[2], 0)),
        "adx": ("ADX", lambda: talib.ADX(h, l, c, i[0])),
        "plus_di": ("PLUS_DI", lambda: talib.PLUS_DI(h, l, c, i[0])),
        "minus_di": ("MINUS_DI", lambda: talib.MINUS_DI(h, l, c, i[0])),
        "cci": ("CCI", lambda: talib.CCI(h, l, c, i[0])),
        "willr": ("WILLR", lambda: talib.WILLR(h, l, c, i[0])),
        "mfi": ("MFI", lambda: talib.MFI(h, l, c, v, i[0])),
        "obv": ("OBV", lambda: talib.OBV(c, v)),
        "sar": ("SAR", lambda: talib.SAR(h, l, p[0], p[1])),
        "aroon": ("AROON", lambda: talib.AROON(h, l, i[0])),
    }
    if name in calls:
        return calls[name]
    if name == "donchian":
        def donchian():
            upper, lower = talib.MAX(h, i[0]), talib.MIN(l, i[0])
            return upper, (upper + lower) / 2.0, lower
        return "MAX + MIN + numpy (not in TA-Lib)", donchian
    if name == "keltner":
        def keltner():
            middle, band = talib.EMA(c, i[0]), p[1] * talib.ATR(h, l, c, i[2])
            return middle + band, middle, middle - band
        return "EMA + ATR + numpy (not in TA-Lib)", keltner
    if name == "vwap":
        if p:
            return "numpy rolling sums (not in TA-Lib)", lambda: rolling_vwap(h, l, c, v, i[0])
        return "numpy per-day cumsum (not in TA-Lib)", lambda: session_vwap(t, h, l, c, v)
    raise SystemExit(f"talib_bench.py: no benchmark for '{spec}'")


def best_ns(fn, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter_ns()
        fn()
        best = min(best, time.perf_counter_ns() - start)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--series", choices=["repeat", "walk"], default="repeat",
                    help="repeat: --candles repeated; walk: a random walk (--candles unused)")
    ap.add_argument("--candles", default=os.path.join(ROOT, "samples", "candles", "XRP_ETH-1m.csv"),
                    help="base candle file repeated to --count candles")
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a markdown table")
    args = ap.parse_args()

    if args.series == "walk":
        t, o, h, l, c, v = walk_candles(args.count)
    else:
        t, o, h, l, c, v = synthetic_candles(read_candles(args.candles), args.count)
    # TA-Lib wants contiguous float64 arrays: these are.
    rows = []
    for spec in SPECS:
        what, fn = benchmark_call(spec, t, h, l, c, v)
        fn()  # warm up
        ns = best_ns(fn, args.rounds) / args.count
        rows.append({"indicator": spec, "implementation": what, "ns_per_element": round(ns, 3)})

    fingerprint = {"count": args.count, "last_close": "%.17g" % c[-1], "sum_close": "%.17g" % sum(c.tolist())}
    if args.json:
        print(json.dumps({"talib": talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else str(talib.__ta_version__),
                          "series_kind": args.series,
                          "candles": os.path.relpath(args.candles) if args.series == "repeat" else None,
                          "rounds": args.rounds,
                          "series": fingerprint, "results": rows}, indent=1))
        return
    print(f"TA-Lib {talib.__version__} (C core {talib.__ta_version__.decode().split()[0]}), "
          f"{args.count:,} candles "
          f"{'from ' + os.path.relpath(args.candles) if args.series == 'repeat' else 'of a random walk'}, "
          f"best of {args.rounds}; "
          f"series last close {fingerprint['last_close']}, sum of closes {fingerprint['sum_close']}")
    print()
    print("| indicator | implementation | ns/element |")
    print("|---|---|---:|")
    for r in rows:
        print(f"| {r['indicator']} | {r['implementation']} | {r['ns_per_element']:.2f} |")


if __name__ == "__main__":
    main()
