#!/usr/bin/python3
"""Reference values for the slicing stage on real data: the MIMIC-III demo, mimic3-mortality-48h, sliced by
insurance and ethnicity (issue 9). Computed outside the project from what the run exported.

Run from the repository root with Debian's python (python3-statsmodels, python3-scipy, python3-sklearn, python3-yaml):
    dotnet run --project harness/ValidationLab.Cli -- run --config tests/reference/slices_mimic_run.yaml --out /tmp/mimic-slices
    /usr/bin/python3 tests/reference/slices_mimic_reference.py /tmp/mimic-slices
Writes tests/reference/slices_mimic_reference.json. Test: tests/ValidationLab.Cli.Tests/SliceRealMimicTests.cs.

Read from the run folder: items.jsonl (per decision point: patient = cluster_id, admission = the middle part of
item_id, status, score, label, and the raw MIMIC strata 'insurance' and 'ethnicity'); results.json only for the raw
p-values of the tests this script cannot recompute (see below). Read from ../shared/data/mimic3_demo: ADMISSIONS
(DEATHTIME, DISCHTIME), for the unit-level metrics. The grouping of raw values is the one declared in slices_mimic_run.yaml
(parsed here, not copied).

Computed independently, with the stage's rules (docs/slices.md) mirrored:
  - per group: items, patients (distinct cluster_id over all its items, errored ones too), suppression (fewer than
    min_cell items or patients), scored risk items, events; reference = the largest group that is not suppressed.
  - per group: AUROC (scikit-learn roc_auc_score), alert rate, PPV of alerts, unit PPV and unit sensitivity at the
    threshold (score >= threshold is an alert; a unit is an admission; a unit with an onset is one whose patient died
    in it, ADMISSIONS.DEATHTIME at or before DISCHTIME, since every decision point precedes death), TPR, FPR, calibration-in-the-large.
  - which (slice, metric) pairs are tested: metrics of kind proportion or AUROC whose n reaches min_cell in the slice
    and its reference; AUROC only with at least 2 events and 2 non-events on both sides.
  - proportion tests: the two-proportion z test (statsmodels proportions_ztest, pooled), or Fisher's exact test (scipy)
    when an expected count is below 5. 'alert_threshold' is the threshold itself (kind score), never tested.
  - AUROC gaps: the stage uses a cluster bootstrap (patients resampled whole, jointly over the slice and its
    reference; SE of the difference; Wald z). Its raw p depends on its random stream, so this script runs its own
    cluster bootstrap of the same design with numpy (20,000 resamples, weighted AUROC with ties counted half) and
    records the SE and p it gets; the test compares the run's SE (difference / statistic) within Monte Carlo error.
  - adjusted p-values: statsmodels multipletests (Benjamini-Hochberg as the config says; Holm too) over the run's raw
    p-values of every test, i.e. the recomputed ones where this script has them and the run's bootstrap p-values.
"""
import csv
import gzip
import json
import os
import sys

import numpy as np
import scipy
import sklearn
import statsmodels
import yaml
from scipy.stats import fisher_exact, norm
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
RESAMPLES = 20_000
SEED = 20261203

if len(sys.argv) != 2:
    sys.exit("usage: slices_mimic_reference.py RUN_FOLDER")
run = sys.argv[1]
config = yaml.safe_load(open(os.path.join(HERE, "slices_mimic_run.yaml")))
slices = config["slices"]
MIN_CELL = slices["min_cell"]
THRESHOLD = config["suites"][0]["threshold"]
assert slices["alert_threshold"] == THRESHOLD
group_of = {attr: {raw: group for group, raws in mapping.items() for raw in raws} for attr, mapping in slices["groupings"].items()}

items = [json.loads(line) for line in open(os.path.join(run, "items.jsonl"))]
results = json.load(open(os.path.join(run, "results.json")))
died = set()
with gzip.open(os.path.join(HERE, "..", "..", "..", "shared", "data", "mimic3_demo", "ADMISSIONS.csv.gz"), "rt") as f:
    for row in csv.DictReader(f):
        # The task counts a death only inside the admission (within_unit); MIMIC has deaths recorded after discharge.
        if row["DEATHTIME"] and row["DEATHTIME"] <= row["DISCHTIME"]:
            died.add(row["HADM_ID"])


def risk(it):
    return it["status"] != "errored" and it["score"] is not None and it["label"] is not None


def measures(members):
    """The slice's metrics that the stage may test, with their n (None when undefined)."""
    r = [it for it in members if risk(it)]
    y = np.array([it["label"] for it in r], dtype=bool)
    s = np.array([it["score"] for it in r], dtype=float)
    alert = s >= THRESHOLD
    units = {}
    for it in r:
        u = units.setdefault((it["cluster_id"], it["item_id"].split("/")[1]), {"alerted": False})
        u["alerted"] |= bool(it["score"] >= THRESHOLD)
        u["onset"] = it["item_id"].split("/")[1] in died
    alerted = [u for u in units.values() if u["alerted"]]
    positive = [u for u in units.values() if u["onset"]]
    out = {
        "risk_n": len(r), "events": int(y.sum()), "units": len(units),
        "alert_rate": {"successes": int(alert.sum()), "n": len(r)},
        "alert_threshold": {"value": THRESHOLD, "n": len(r)},
        "ppv_alerts": {"successes": int((alert & y).sum()), "n": int(alert.sum())},
        "ppv_units": {"successes": sum(u["onset"] for u in alerted), "n": len(alerted)},
        "sensitivity_units": {"successes": sum(u["alerted"] for u in positive), "n": len(positive)},
        "auroc": {"value": roc_auc_score(y, s) if 0 < y.sum() < len(y) else None, "n": len(r)},
        "tpr": float(alert[y].mean()) if y.any() else None,
        "fpr": float(alert[~y].mean()) if (~y).any() else None,
        "calibration_in_the_large": float(y.mean() - s.mean()),
    }
    for m in ("alert_rate", "ppv_alerts", "ppv_units", "sensitivity_units"):
        out[m]["value"] = out[m]["successes"] / out[m]["n"] if out[m]["n"] else None
    return out, r


def proportion_test(s1, n1, s2, n2):
    total, succ = n1 + n2, s1 + s2
    expected = [n1 * succ / total, n1 * (total - succ) / total, n2 * succ / total, n2 * (total - succ) / total]
    if min(expected) < 5:
        odds, p = fisher_exact([[s1, n1 - s1], [s2, n2 - s2]])
        return "fisher", None, float(p)
    z, p = proportions_ztest([s1, s2], [n1, n2])
    return "z", float(z), float(p)


def weighted_auc(scores, labels, weights):
    """AUROC with item weights (rows of `weights`, one per resample); ties count half. NaN without both classes."""
    levels, level = np.unique(scores, return_inverse=True)
    onehot = np.zeros((len(scores), len(levels)))
    onehot[np.arange(len(scores)), level] = 1.0
    pos = (weights * labels) @ onehot
    neg = (weights * ~labels) @ onehot
    below = np.cumsum(neg, axis=1) - neg
    wp, wn = pos.sum(axis=1), neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (pos * (below + 0.5 * neg)).sum(axis=1) / (wp * wn)


def cluster_bootstrap_se(first, second, rng):
    both = first + second
    patients = sorted({it["cluster_id"] for it in both})
    index = {p: i for i, p in enumerate(patients)}
    cluster = np.array([index[it["cluster_id"]] for it in both])
    scores = np.array([it["score"] for it in both], dtype=float)
    labels = np.array([it["label"] for it in both], dtype=bool)
    k = len(first)
    diffs = []
    for start in range(0, RESAMPLES, 2000):
        counts = rng.multinomial(len(patients), np.full(len(patients), 1.0 / len(patients)), size=min(2000, RESAMPLES - start))
        w = counts[:, cluster].astype(float)
        diffs.append(weighted_auc(scores[:k], labels[:k], w[:, :k]) - weighted_auc(scores[k:], labels[k:], w[:, k:]))
    d = np.concatenate(diffs)
    d = d[~np.isnan(d)]
    return float(d.std(ddof=1)), int(RESAMPLES - len(d)), len(patients)


rng = np.random.default_rng(SEED)
run_slices = results["slices"]["suites"]["longitudinal"]["families"]
families = {}
tests = []
for attr in slices["attributes"]:
    groups, missing = {}, 0
    for it in items:
        raw = it["strata"].get(attr)
        if raw is None:
            missing += 1
            continue
        groups.setdefault(group_of[attr][raw], []).append(it)
    rows = {}
    for name, members in sorted(groups.items()):
        patients = len({it["cluster_id"] for it in members})
        m, r = measures(members)
        rows[name] = {"items": len(members), "patients": patients, "suppressed": len(members) < MIN_CELL or patients < MIN_CELL, **m}
    candidates = sorted((n for n in rows if not rows[n]["suppressed"]), key=lambda n: (-rows[n]["items"], n))
    reference = candidates[0]
    ref = rows[reference]
    ref_risk = measures(groups[reference])[1]
    for name, row in rows.items():
        row["reference"] = name == reference
        if row["suppressed"] or name == reference:
            continue
        for metric in ("alert_rate", "ppv_alerts", "ppv_units", "sensitivity_units"):
            a, b = row[metric], ref[metric]
            if a["n"] < MIN_CELL or b["n"] < MIN_CELL or a["value"] is None or b["value"] is None:
                continue
            s1, s2 = round(a["value"] * a["n"]), round(b["value"] * b["n"])
            method, statistic, p = proportion_test(s1, a["n"], s2, b["n"])
            tests.append({"slice": f"{attr}: {name}", "metric": metric, "method": method, "statistic": statistic, "p_value": p,
                          "difference": a["value"] - b["value"], "source": "recomputed"})
        a, b = row["auroc"], ref["auroc"]
        mine = measures(groups[name])[1]
        if a["n"] >= MIN_CELL and b["n"] >= MIN_CELL and a["value"] is not None and b["value"] is not None \
                and 2 <= row["events"] <= row["risk_n"] - 2 and 2 <= ref["events"] <= ref["risk_n"] - 2:
            se, undefined, patients = cluster_bootstrap_se(mine, ref_risk, rng)
            diff = a["value"] - b["value"]
            run_test = run_slices[attr]["groups"][name]["metrics"]["auroc"]["test"]
            tests.append({"slice": f"{attr}: {name}", "metric": "auroc", "method": "cluster bootstrap", "difference": diff,
                          "bootstrap_se": se, "bootstrap_undefined": undefined, "bootstrap_patients": patients,
                          "bootstrap_p": float(2 * norm.sf(abs(diff / se))),
                          # The stage's own raw p (its random stream), used for the multiplicity correction below.
                          "p_value": run_test["p_value"], "statistic": run_test["statistic"], "source": "run"})
    families[attr] = {"reference": reference, "missing": missing, "groups": rows}

raw = [t["p_value"] for t in tests]
for method, key in (("fdr_bh", "adjusted_bh"), ("holm", "adjusted_holm")):
    adjusted = multipletests(raw, method=method)[1]
    for t, a in zip(tests, adjusted):
        t[key] = float(a)

out = {
    "generated_by": "tests/reference/slices_mimic_reference.py",
    "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                 "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__},
    "config": "tests/reference/slices_mimic_run.yaml",
    "items": len(items),
    "errored": sum(it["status"] == "errored" for it in items),
    "min_cell": MIN_CELL,
    "threshold": THRESHOLD,
    "bootstrap": {"resamples": RESAMPLES, "seed": SEED},
    "families": families,
    "tests": tests,
}


def clean(x):
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [clean(v) for v in x]
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    return x


with open(os.path.join(HERE, "slices_mimic_reference.json"), "w") as f:
    json.dump(clean(out), f, indent=1)
print(f"wrote tests/reference/slices_mimic_reference.json ({len(tests)} tests)")
