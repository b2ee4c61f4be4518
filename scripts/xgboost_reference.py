#!/usr/bin/env python3
"""Train small XGBoost models on Chloe's feature vectors and write them, with XGBoost's own
predictions, as test fixtures for Chloe's XGBoost loader (Tests/ModelTests/Fixtures).

Input: a features CSV written by Chloe itself, so both sides see the same vectors:

    swift build && .build/debug/chloe train --candles ../shared/data/candles/XRP_ETH-1m.csv \
        --dump-features /tmp/xrp-features.csv
    pip install xgboost            # or xgboost-cpu
    python3 scripts/xgboost_reference.py /tmp/xrp-features.csv Tests/ModelTests/Fixtures

The CSV holds `time,<feature names>,forward_return`. To exercise missing-value handling the
script gives `book_imbalance` (always missing in candle data) a seeded random value on half
the rows and blanks a few other values; the vectors it trains and predicts on are written
back as `xgb-features.csv`, so the Swift test predicts on exactly these.

Output (in the fixtures folder):
- xgb-features.csv                 the feature rows (header: feature names), `nan` = missing
- xgb-multi.json, xgb-multi-predictions.csv     multi:softprob, 5 quantile classes
- xgb-binary.json, xgb-binary-predictions.csv   binary:logistic, forward return > 0
Predictions are written with repr(), exactly XGBoost's float32 outputs.
"""
import csv
import sys

import numpy as np
import xgboost as xgb


def main(features_path: str, out_dir: str) -> None:
    with open(features_path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    names = header[1:-1]
    data = np.array([[float(v) for v in row[1:]] for row in rows[1:]], dtype=np.float64)
    x = data[:, :-1].copy()
    forward = data[:, -1]

    rng = np.random.default_rng(7)
    book = names.index("book_imbalance")
    has_book = rng.random(len(x)) < 0.5
    x[has_book, book] = rng.uniform(-1, 1, has_book.sum())
    blank = rng.random(x.shape) < 0.03
    blank[:, book] = False
    x[blank] = np.nan
    # Make the book feature informative so the trees split on it (and learn its missing side).
    forward = forward + np.where(has_book, 0.002 * x[:, book], 0.0)

    cuts = np.quantile(forward, [0.2, 0.4, 0.6, 0.8])
    multi_labels = np.searchsorted(cuts, forward, side="right")
    binary_labels = (forward > 0).astype(int)

    matrix = xgb.DMatrix(x, feature_names=names, missing=np.nan)
    common = {"tree_method": "hist", "max_depth": 4, "eta": 0.3, "seed": 0, "nthread": 1}

    matrix.set_label(multi_labels)
    multi = xgb.train({**common, "objective": "multi:softprob", "num_class": 5}, matrix, num_boost_round=20)
    matrix.set_label(binary_labels)
    binary = xgb.train({**common, "objective": "binary:logistic"}, matrix, num_boost_round=40)

    multi.save_model(f"{out_dir}/xgb-multi.json")
    binary.save_model(f"{out_dir}/xgb-binary.json")
    with open(f"{out_dir}/xgb-features.csv", "w") as f:
        f.write(",".join(names) + "\n")
        for row in x:
            f.write(",".join("nan" if np.isnan(v) else repr(float(v)) for v in row) + "\n")
    write_predictions(f"{out_dir}/xgb-multi-predictions.csv", multi.predict(matrix))
    write_predictions(f"{out_dir}/xgb-binary-predictions.csv", binary.predict(matrix).reshape(-1, 1))
    print(f"xgboost {xgb.__version__}: {len(x)} rows, {len(names)} features -> {out_dir}")


def write_predictions(path: str, predictions: np.ndarray) -> None:
    with open(path, "w") as f:
        for row in predictions:
            f.write(",".join(repr(float(p)) for p in row) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: xgboost_reference.py FEATURES.csv OUT_DIR")
    main(sys.argv[1], sys.argv[2])
