#!/usr/bin/env python3
"""Writes the TA-Lib reference values that Tests/IndicatorsTests/TALibParityTests.swift checks.

Usage, from the project root (needs `pip install ta-lib numpy`):

    python3 scripts/talib_reference.py [--data ../shared/data/candles] [--out Tests/IndicatorsTests/Reference]

For every candle file `<name>.csv` in the data folder (columns time,open,high,low,close,volume)
it writes `<out>/<name>.csv`: `time`, then one column per output of every indicator of the
standard set (`SPECS` below), named exactly as Chloe names its columns:
`<name>_<params joined by _>[_<output>]`, a parameter written as a whole number when it is one
and otherwise as its shortest repr (`sar_0.02_0.2`). Cells are empty where TA-Lib gives NaN
(the lookback); numbers are written with `%.12g` (12 significant digits) to keep the files
small; the Swift test compares within 1e-9 relative or 1e-12 absolute.

It also writes:
- `<out>/specs.txt`: the comma-separated spec list of the standard set (what the test parses);
- `<out>/variants.txt` and `<out>/<name>.variants.csv` for the files in `VARIANT_FILES`: the same
  for non-default parameters of every indicator that has parameters (`VARIANTS` below).

Indicators TA-Lib does not have are computed here independently of Chloe:
- donchian:N    upper = TA-Lib MAX(high, N), lower = MIN(low, N), middle = (upper + lower) / 2
- keltner:N:M:A middle = TA-Lib EMA(close, N), upper/lower = middle +/- M * ATR(high, low, close, A);
                empty until both EMA and ATR exist (lookback max(N - 1, A))
- vwap          session VWAP: typical price (h + l + c) / 3 weighted by volume, accumulated since
                the start of the candle's UTC day (day = time_ms // 86400000); when the summed
                volume is 0 the value is the candle's typical price; lookback 0
- vwap:N        the same over the last N candles (exact sums per window); lookback N - 1
"""
import argparse
import csv
import math
import os
import sys

import numpy as np
import talib

# The standard set: every catalog indicator at its default parameters.
SPECS = [
    "sma:20", "ema:20", "wma:20", "dema:20", "tema:20", "rsi:14", "macd:12:26:9", "bbands:20:2",
    "stddev:20:1", "roc:10", "mom:10", "stochrsi:14:5:3", "linearreg_slope:14", "trange", "atr:14",
    "natr:14", "stoch:14:3:3", "adx:14", "plus_di:14", "minus_di:14", "cci:14", "willr:14", "mfi:14",
    "obv", "sar:0.02:0.2", "aroon:14", "donchian:20", "keltner:20:2:10", "vwap", "vwap:20",
]

# Non-default parameters for every indicator that has parameters. macd:26:12:9 is there because
# TA-Lib swaps fast and slow when slow < fast (same values as macd:12:26:9); stoch and stochrsi
# also appear with unequal smoothing periods so that swapped parameters would show.
VARIANTS = [
    "sma:5", "ema:9", "wma:7", "dema:10", "tema:8", "rsi:7", "macd:5:35:5", "macd:26:12:9",
    "bbands:10:1.5", "stddev:10:2", "roc:1", "mom:3", "stochrsi:7:3:3", "stochrsi:10:6:2",
    "linearreg_slope:5", "atr:5", "natr:7", "stoch:5:3:3", "stoch:9:4:2", "adx:7", "plus_di:5",
    "minus_di:5", "cci:20", "willr:7", "mfi:5", "sar:0.01:0.1", "sar:0.05:0.3", "aroon:25",
    "donchian:5", "keltner:10:1.5:5", "vwap:5",
]
VARIANT_FILES = ["XRP_ETH-1m.csv", "ETH_BTC-5m.csv"]

# Output names in Chloe's column order; a single output has the one name "".
OUTPUTS = {
    "macd": ["", "signal", "hist"],
    "bbands": ["upper", "middle", "lower"],
    "stochrsi": ["k", "d"],
    "stoch": ["k", "d"],
    "aroon": ["down", "up"],
    "donchian": ["upper", "middle", "lower"],
    "keltner": ["upper", "middle", "lower"],
}


def format_param(x):
    """Chloe's parameter text: `14`, `2`, `0.02` (whole numbers without decimals, else repr)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def parse_spec(spec):
    name, *raw = spec.split(":")
    return name, [float(p) for p in raw]


def column_names(spec):
    name, params = parse_spec(spec)
    base = "_".join([name] + [format_param(p) for p in params])
    return [base if out == "" else f"{base}_{out}" for out in OUTPUTS.get(name, [""])]


def typical_price(h, l, c):
    return (h + l + c) / 3.0


def session_vwap(t, h, l, c, v):
    """Cumulative since the start of each UTC day; plain Python accumulation in time order."""
    tp = typical_price(h, l, c)
    out = np.empty(len(c))
    day, pv, vol = None, 0.0, 0.0
    for i in range(len(c)):
        d = int(t[i]) // 86_400_000
        if d != day:
            day, pv, vol = d, 0.0, 0.0
        pv += tp[i] * v[i]
        vol += v[i]
        out[i] = pv / vol if vol != 0.0 else tp[i]
    return out


def rolling_vwap(h, l, c, v, n):
    """Over the last n candles, each window summed exactly (math.fsum), no running sums."""
    tp = typical_price(h, l, c)
    pvs = tp * v
    out = np.full(len(c), np.nan)
    for i in range(n - 1, len(c)):
        vol = math.fsum(v[i - n + 1:i + 1])
        out[i] = math.fsum(pvs[i - n + 1:i + 1]) / vol if vol != 0.0 else tp[i]
    return out


def compute(spec, t, o, h, l, c, v):
    """The outputs of one spec, in Chloe's column order, as float arrays (NaN in the lookback)."""
    name, p = parse_spec(spec)
    i = [int(x) for x in p]
    if name == "sma": return [talib.SMA(c, i[0])]
    if name == "ema": return [talib.EMA(c, i[0])]
    if name == "wma": return [talib.WMA(c, i[0])]
    if name == "dema": return [talib.DEMA(c, i[0])]
    if name == "tema": return [talib.TEMA(c, i[0])]
    if name == "rsi": return [talib.RSI(c, i[0])]
    if name == "macd": return list(talib.MACD(c, i[0], i[1], i[2]))
    if name == "bbands": return list(talib.BBANDS(c, i[0], p[1], p[1], 0))
    if name == "stddev": return [talib.STDDEV(c, i[0], p[1])]
    if name == "roc": return [talib.ROC(c, i[0])]
    if name == "mom": return [talib.MOM(c, i[0])]
    if name == "stochrsi": return list(talib.STOCHRSI(c, i[0], i[1], i[2], 0))
    if name == "linearreg_slope": return [talib.LINEARREG_SLOPE(c, i[0])]
    if name == "trange": return [talib.TRANGE(h, l, c)]
    if name == "atr": return [talib.ATR(h, l, c, i[0])]
    if name == "natr": return [talib.NATR(h, l, c, i[0])]
    if name == "stoch": return list(talib.STOCH(h, l, c, i[0], i[1], 0, i[2], 0))
    if name == "adx": return [talib.ADX(h, l, c, i[0])]
    if name == "plus_di": return [talib.PLUS_DI(h, l, c, i[0])]
    if name == "minus_di": return [talib.MINUS_DI(h, l, c, i[0])]
    if name == "cci": return [talib.CCI(h, l, c, i[0])]
    if name == "willr": return [talib.WILLR(h, l, c, i[0])]
    if name == "mfi": return [talib.MFI(h, l, c, v, i[0])]
    if name == "obv": return [talib.OBV(c, v)]
    if name == "sar": return [talib.SAR(h, l, p[0], p[1])]
    if name == "aroon": return list(talib.AROON(h, l, i[0]))  # (down, up)
    if name == "donchian":
        upper, lower = talib.MAX(h, i[0]), talib.MIN(l, i[0])
        return [upper, (upper + lower) / 2.0, lower]
    if name == "keltner":
        middle, atr = talib.EMA(c, i[0]), talib.ATR(h, l, c, i[2])
        band = p[1] * atr  # NaN wherever either is still warming up
        middle = np.where(np.isnan(band), np.nan, middle)
        return [middle + band, middle, middle - band]
    if name == "vwap":
        return [rolling_vwap(h, l, c, v, i[0]) if p else session_vwap(t, h, l, c, v)]
    raise SystemExit(f"talib_reference.py: no reference for '{spec}'")


def read_candles(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    t = np.array([int(r["time"]) for r in rows], dtype=np.int64)
    o, h, l, c, v = (np.array([float(r[k]) for r in rows]) for k in ("open", "high", "low", "close", "volume"))
    return t, o, h, l, c, v


def write_reference(path, candles, specs):
    t = candles[0]
    header, columns = ["time"], []
    for spec in specs:
        names, values = column_names(spec), compute(spec, *candles)
        assert len(names) == len(values), spec
        for name, arr in zip(names, values):
            assert len(arr) == len(t), (spec, name)
            header.append(name)
            columns.append(["" if math.isnan(x) else "%.12g" % x for x in arr.tolist()])
    if len(set(header)) != len(header):
        raise SystemExit(f"talib_reference.py: duplicate column in {path}")
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in range(len(t)):
            f.write(str(int(t[r])) + "," + ",".join(col[r] for col in columns) + "\n")
    return len(header) - 1


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "candles"))
    ap.add_argument("--out", default=os.path.join(root, "Tests", "IndicatorsTests", "Reference"))
    args = ap.parse_args()

    files = sorted(f for f in os.listdir(args.data) if f.endswith(".csv"))
    if not files:
        sys.exit(f"talib_reference.py: no candle files in {args.data}")
    os.makedirs(args.out, exist_ok=True)
    written = []
    with open(os.path.join(args.out, "specs.txt"), "w") as f:
        f.write(",".join(SPECS) + "\n")
    with open(os.path.join(args.out, "variants.txt"), "w") as f:
        f.write(",".join(VARIANTS) + "\n")
    written += ["specs.txt", "variants.txt"]
    for name in files:
        candles = read_candles(os.path.join(args.data, name))
        n = write_reference(os.path.join(args.out, name), candles, SPECS)
        written.append(name)
        print(f"{name}: {len(candles[0])} candles, {n} columns")
        if name in VARIANT_FILES:
            variant = name[:-len(".csv")] + ".variants.csv"
            n = write_reference(os.path.join(args.out, variant), candles, VARIANTS)
            written.append(variant)
            print(f"{variant}: {len(candles[0])} candles, {n} columns")
    missing = sorted(set(VARIANT_FILES) - set(files))
    if missing:
        sys.exit(f"talib_reference.py: variant files not found in {args.data}: {', '.join(missing)}")
    total = sum(os.path.getsize(os.path.join(args.out, w)) for w in written)
    print(f"wrote {len(written)} files to {os.path.relpath(args.out)}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
