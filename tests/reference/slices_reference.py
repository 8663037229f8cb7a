#!/usr/bin/python3
"""Reference values for the slicing stage (ValidationLab.Analysis.Slicing), computed outside the project.

Run from the repository root with Debian's python (needs python3-statsmodels, python3-scipy, python3-sklearn and
Rscript with r-cran-proc):
    /usr/bin/python3 tests/reference/slices_reference.py
Writes tests/reference/slices_reference.json: the handmade items themselves (so the C# tests slice exactly these),
and per slice the counts, the test the stage must choose (two-proportion z, or Fisher exact when an expected cell
count is below 5), its statistic and p, per-slice AUROC (scikit-learn) with the unpaired DeLong test (R pROC),
TPR/FPR/alert rate/calibration-in-the-large at threshold 0.5, and the Holm and Benjamini-Hochberg adjusted p-values
(statsmodels multipletests) over every test of the run.

Rules mirrored from the stage: min_cell 20 (slices with fewer items are suppressed and not tested), reference =
largest non-suppressed group of each family (ties: first in ordinal order), families sex, age_band, sex x age_band
for the accuracy suite and insurance for the risk suite.
"""
import json
import os
import subprocess
import tempfile

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy.stats import fisher_exact
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

MIN_CELL = 20
THRESHOLD = 0.5

# --- Handmade accuracy items: (sex, age_band) -> (n, correct). Every figure is chosen, none drawn at random.
CELLS = {
    ("female", "18-44"): (60, 48),
    ("female", "45-64"): (50, 35),
    ("female", "65+"): (30, 27),
    ("female", "0-17"): (12, 10),    # suppressed intersection (< 20)
    ("male", "18-44"): (55, 33),
    ("male", "45-64"): (45, 36),
    ("male", "65+"): (25, 12),
    ("male", "0-17"): (8, 8),        # suppressed intersection
    ("unknown", "18-44"): (14, 14),  # suppressed intersection; 'unknown' sex (22 items) survives, all-correct -> Fisher
    ("unknown", "65+"): (8, 8),
}

accuracy_items = []
for (sex, band), (n, k) in sorted(CELLS.items()):
    for i in range(n):
        accuracy_items.append({"id": f"{sex}-{band}-{i:03d}", "sex": sex, "age_band": band, "correct": i < k})


def families_of(items, families):
    out = {}
    for fam in families:
        groups = {}
        for it in items:
            key = ", ".join(it[a] for a in fam)
            groups.setdefault(key, []).append(it)
        out[" x ".join(fam)] = dict(sorted(groups.items()))
    return out


def largest(groups):
    ok = [(k, g) for k, g in groups.items() if len(g) >= MIN_CELL]
    ok.sort(key=lambda kg: (-len(kg[1]), kg[0]))
    return ok[0][0] if ok else None


tests = []  # (key, p)
accuracy_slices = []
for fam, groups in families_of(accuracy_items, [("sex",), ("age_band",), ("sex", "age_band")]).items():
    ref = largest(groups)
    rs = sum(it["correct"] for it in groups[ref])
    rn = len(groups[ref])
    for key, g in groups.items():
        n = len(g)
        s = sum(it["correct"] for it in g)
        row = {"family": fam, "group": key, "n": n, "successes": s, "suppressed": n < MIN_CELL, "reference": key == ref}
        if n >= MIN_CELL and key != ref:
            total, succ = n + rn, s + rs
            expected = [n * succ / total, n * (total - succ) / total, rn * succ / total, rn * (total - succ) / total]
            if min(expected) < 5:
                odds, p = fisher_exact([[s, n - s], [rs, rn - rs]])
                row.update(test="fisher", statistic=odds if np.isfinite(odds) else None, p=p)
            else:
                z, p = proportions_ztest([s, rs], [n, rn])
                row.update(test="z", statistic=z, p=p)
            row["difference"] = s / n - rs / rn
            tests.append((f"handmade|{fam}|{key}|accuracy", p))
        accuracy_slices.append(row)

# --- Handmade risk items: insurance groups with seeded scores and outcomes (values are committed below).
rng = np.random.default_rng(20260901)
risk_items = []
for insurance, n, shift in [("Medicare", 120, 1.2), ("Private", 60, 0.6), ("Medicaid", 40, 1.6), ("Self Pay", 10, 1.0)]:
    labels = rng.random(n) < 0.35
    scores = 1 / (1 + np.exp(-(rng.normal(0, 1, n) + shift * labels - 0.8)))
    for i in range(n):
        risk_items.append({"id": f"{insurance}-{i:03d}", "insurance": insurance, "score": round(float(scores[i]), 6), "label": bool(labels[i])})

risk_slices = []
pairs = []
groups = families_of(risk_items, [("insurance",)])["insurance"]
ref = largest(groups)
for key, g in groups.items():
    y = np.array([it["label"] for it in g])
    s = np.array([it["score"] for it in g])
    alert = s >= THRESHOLD
    row = {"family": "insurance", "group": key, "n": len(g), "suppressed": len(g) < MIN_CELL, "reference": key == ref,
           "auc": roc_auc_score(y, s), "tpr": alert[y].mean(), "fpr": alert[~y].mean(), "alert_rate": alert.mean(),
           "calibration_in_the_large": y.mean() - s.mean()}
    risk_slices.append(row)
    if len(g) >= MIN_CELL and key != ref:
        r = groups[ref]
        pairs.append({"key": f"risk|insurance|{key}|auroc",
                      "labels1": [int(it["label"]) for it in g], "scores1": [it["score"] for it in g],
                      "labels2": [int(it["label"]) for it in r], "scores2": [it["score"] for it in r]})

with tempfile.TemporaryDirectory() as tmp:
    pin, pout = os.path.join(tmp, "pairs.json"), os.path.join(tmp, "out.json")
    with open(pin, "w") as f:
        json.dump(pairs, f)
    subprocess.run(["Rscript", os.path.join(os.path.dirname(__file__), "slices_reference.R"), pin, pout], check=True)
    with open(pout) as f:
        proc = json.load(f)
for t in proc["tests"]:
    row = next(r for r in risk_slices if f"risk|insurance|{r['group']}|auroc" == t["key"])
    row.update(delong_z=t["z"], delong_p=t["p"], proc_auc=t["auc1"], proc_var=t["var1"])
    tests.append((t["key"], t["p"]))

# --- Real MedQA (gpt-4o zero-shot, ../shared/data) sliced by meta_info: only summary figures are committed.
medqa = None
pred = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv")
if os.path.exists(pred):
    import csv
    rows = [r for r in csv.DictReader(open(pred)) if r["model"] == "gpt-4o"]
    by = {}
    for r in rows:
        by.setdefault(r["meta_info"], []).append(int(r["correct"]))
    ref_key = max(sorted(by), key=lambda k: len(by[k]))
    medqa = {"model": "gpt-4o", "reference": ref_key, "groups": {k: {"n": len(v), "correct": sum(v)} for k, v in sorted(by.items())}}
    other = [k for k in by if k != ref_key][0]
    z, p = proportions_ztest([sum(by[other]), sum(by[ref_key])], [len(by[other]), len(by[ref_key])])
    # The stage also tests unparseable_rate (0 everywhere: p = 1) in the same family.
    medqa.update(test_group=other, z=z, p=p, holm=list(multipletests([p, 1.0], method="holm")[1]), bh=list(multipletests([p, 1.0], method="fdr_bh")[1]))

keys = [k for k, _ in tests]
ps = [p for _, p in tests]
holm = multipletests(ps, method="holm")[1]
bh = multipletests(ps, method="fdr_bh")[1]

out = {
    "generator": {"python": "/usr/bin/python3", "numpy": np.__version__, "scipy": scipy.__version__,
                  "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__, "R": proc["generator"]},
    "min_cell": MIN_CELL,
    "threshold": THRESHOLD,
    "accuracy_items": accuracy_items,
    "risk_items": risk_items,
    "accuracy_slices": accuracy_slices,
    "risk_slices": risk_slices,
    "holm": dict(zip(keys, holm)),
    "bh": dict(zip(keys, bh)),
    "medqa_gpt4o_meta_info": medqa,
}


def clean(x):
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [clean(v) for v in x]
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    return x


with open(os.path.join(os.path.dirname(__file__), "slices_reference.json"), "w") as f:
    json.dump(clean(out), f, indent=1)
print(f"wrote tests/reference/slices_reference.json ({len(tests)} tests)")
