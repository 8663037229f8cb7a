#!/usr/bin/python3
"""Times the Python references on the benchmark data (run make_data.py first):
  1. scipy.stats.bootstrap, paired accuracy difference, 10,000 resamples, 100,000 items (vectorized, batch 100);
  2. cluster bootstrap of AUROC, 2,000 resamples, 100,000 predictions / 10,000 patients, vectorized numpy
     resampling of patients + sklearn roc_auc_score.
    /usr/bin/python3 benchmarks/reference/python_timing.py
"""
import os
import time

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import roc_auc_score

d = os.environ.get("VL_BENCH_DATA", "/tmp/validationlab-bench")
a = np.fromfile(f"{d}/paired_a.u8", dtype=np.uint8)[:100_000].astype(float)
b = np.fromfile(f"{d}/paired_b.u8", dtype=np.uint8)[:100_000].astype(float)

t0 = time.perf_counter()
res = stats.bootstrap((a, b), lambda u, v, axis=-1: u.mean(axis=axis) - v.mean(axis=axis), paired=True, vectorized=True,
                      n_resamples=10_000, batch=100, method="percentile", random_state=np.random.default_rng(1))
t1 = time.perf_counter()
print(f"scipy {scipy.__version__} bootstrap paired diff n=100000 B=10000 percentile: "
      f"[{res.confidence_interval.low:.6f}, {res.confidence_interval.high:.6f}] {t1 - t0:.3f} s")

scores = np.fromfile(f"{d}/cluster_scores.f64", dtype="<f8")
labels = np.fromfile(f"{d}/cluster_labels.u8", dtype=np.uint8)
ids = np.fromfile(f"{d}/cluster_ids.i32", dtype="<i4")
order = np.argsort(ids, kind="stable")
k = ids.max() + 1
starts = np.searchsorted(ids[order], np.arange(k))
sizes = np.bincount(ids, minlength=k)
rng = np.random.default_rng(2)
t0 = time.perf_counter()
aucs = np.empty(2000)
for r in range(2000):
    chosen = rng.integers(0, k, k)
    # vectorized expansion of chosen patients to their prediction indices
    lens = sizes[chosen]
    offs = np.repeat(starts[chosen] - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
    idx = order[offs]
    aucs[r] = roc_auc_score(labels[idx], scores[idx])
t1 = time.perf_counter()
lo, hi = np.percentile(aucs, [2.5, 97.5])
print(f"sklearn {sklearn.__version__} cluster bootstrap AUROC n=100000 patients=10000 B=2000: "
      f"auc={roc_auc_score(labels, scores):.6f} [{lo:.6f}, {hi:.6f}] {t1 - t0:.3f} s")
