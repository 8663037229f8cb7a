#!/usr/bin/python3
"""Writes the benchmark data sets (seed 20240601) as raw little-endian files to /tmp/validationlab-bench
(or $VL_BENCH_DATA). The C# benchmarks, the Python and the R reference timings all read these files.
    /usr/bin/python3 benchmarks/reference/make_data.py
"""
import os
import numpy as np

out = os.environ.get("VL_BENCH_DATA", "/tmp/validationlab-bench")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20240601)

# 1. AUROC + DeLong: 1,000,000 scores, 30% positives
y = rng.random(1_000_000) < 0.3
s = rng.normal(loc=y * 0.8, scale=1.0)
s.astype("<f8").tofile(f"{out}/roc_scores.f64")
y.astype(np.uint8).tofile(f"{out}/roc_labels.u8")

# 2. Paired binary outcomes: 1,000,000 items (first 100,000 = the 100k set)
a = rng.random(1_000_000) < 0.80
b = np.where(rng.random(1_000_000) < 0.85, a, rng.random(1_000_000) < 0.75)
a.astype(np.uint8).tofile(f"{out}/paired_a.u8")
b.astype(np.uint8).tofile(f"{out}/paired_b.u8")

# 3. Cluster AUROC: 100,000 predictions over 10,000 patients (10 each), patient-level risk
patient = np.repeat(np.arange(10_000), 10).astype(np.int32)
risk = rng.normal(size=10_000)[patient]
yc = rng.random(100_000) < 1 / (1 + np.exp(-(risk - 1)))
sc = risk + rng.normal(scale=1.0, size=100_000)
sc.astype("<f8").tofile(f"{out}/cluster_scores.f64")
yc.astype(np.uint8).tofile(f"{out}/cluster_labels.u8")
patient.tofile(f"{out}/cluster_ids.i32")
print("wrote", out)
