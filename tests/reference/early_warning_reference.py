#!/usr/bin/python3
"""Reference values for the early-warning (risk) metrics: ValidationLab.Statistics.EarlyWarning and the
longitudinal suite's RiskAggregator.

Run from the repository root with Debian's interpreter (python3-statsmodels, python3-scipy, python3-sklearn):

    /usr/bin/python3 tests/reference/early_warning_reference.py

Writes tests/reference/early_warning_reference.json (tests never call Python).

The dataset is handmade and seeded: patients with one or two admissions ("units"), decision points every 12 h,
some admissions with an outcome onset (decision points stop at onset), labels = onset within 48 h after the
decision time, scores with ties (rounded to 2 decimals) and a patient effect so that decision points of one patient
are correlated. Discrimination, calibration and Brier come from scikit-learn and statsmodels; the threshold metrics
(sensitivity by admission, PPV, alert burden, lead time, net benefit after Vickers & Elkin 2006) have no library
implementation and are written here independently with numpy from their definitions.

Bootstrap: `resamples` holds cluster resamples drawn here with numpy (patient multiplicities), and every metric
recomputed on each resample by the same libraries with the multiplicities as frequency weights, so the C# weighted
statistics are checked replicate by replicate. `intervals` holds 95% percentile intervals from 4000 numpy patient
resamples, for a Monte-Carlo-tolerance check of the intervals the aggregator reports.
"""
import json
import math
import os
import sys

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve

HERE = os.path.dirname(os.path.abspath(__file__))
EPS = 1e-12
HORIZON = 48.0

rng = np.random.default_rng(20261203)

# ---------------------------------------------------------------- dataset
rows = []  # (patient, unit, time, onset or nan, exposure, score, label)
unit_counter = 0
for patient in range(36):
    frailty = rng.normal(0.0, 0.8)
    start = float(rng.integers(0, 30) * 24)
    for _ in range(1 + int(rng.random() < 0.35)):
        unit = unit_counter
        unit_counter += 1
        length = float(rng.integers(2, 11) * 12)  # 24 h .. 120 h of stay
        positive = rng.random() < 0.35 + 0.1 * (frailty > 0)
        onset = start + float(rng.integers(13, int(length) + 1)) if positive else math.nan
        t = start
        while t < start + length and (math.isnan(onset) or t < onset):
            exposure = min(12.0, start + length - t)
            label = (not math.isnan(onset)) and t < onset <= t + HORIZON
            closeness = 0.0 if math.isnan(onset) else max(0.0, 1.0 - (onset - t) / 72.0)
            z = -2.2 + frailty + 2.5 * closeness + rng.normal(0.0, 0.9)
            score = round(1.0 / (1.0 + math.exp(-z)), 2)
            score = min(max(score, 0.01), 0.99)
            rows.append((patient, unit, t, onset, exposure, score, bool(label)))
            t += 12.0
        start += length + float(rng.integers(24, 240))

patients = np.array([r[0] for r in rows])
units = np.array([r[1] for r in rows])
times = np.array([r[2] for r in rows])
onsets = np.array([r[3] for r in rows])
exposure = np.array([r[4] for r in rows])
scores = np.array([r[5] for r in rows])
labels = np.array([r[6] for r in rows])
n_patients = int(patients.max()) + 1
per_patient = np.bincount(patients, minlength=n_patients)
patient_weight = 1.0 / per_patient[patients]

THRESHOLD = 0.3
TARGET_ALERT_RATE = 0.2
DECISION_THRESHOLDS = [k / 100 for k in range(1, 100)]


# ---------------------------------------------------------------- metrics with frequency weights w per decision point
def logit(p):
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def calibration(w):
    x = logit(scores)
    y = labels.astype(float)
    keep = w > 0
    intercept = sm.GLM(y[keep], np.ones((keep.sum(), 1)), family=sm.families.Binomial(), offset=x[keep],
                       freq_weights=w[keep]).fit(tol=1e-14, maxiter=200)
    slope = sm.GLM(y[keep], sm.add_constant(x[keep]), family=sm.families.Binomial(),
                   freq_weights=w[keep]).fit(tol=1e-14, maxiter=200)
    return float(intercept.params[0]), float(slope.params[1])


def units_table():
    table = {}
    for i in range(len(rows)):
        table.setdefault(units[i], []).append(i)
    return table


UNITS = units_table()


def positive_onset(idx):
    """The unit's onset, or nan when it has none or it precedes the unit's first decision point (undetectable)."""
    onset = onsets[idx[0]]
    return math.nan if math.isnan(onset) or onset < min(times[i] for i in idx) else onset


def at_threshold(w, threshold):
    alerted = scores >= threshold
    n_w = w.sum()
    tp = (w * (alerted & labels)).sum()
    fp = (w * (alerted & ~labels)).sum()
    alerts = (w * alerted).sum()
    positive_units = detected = alerted_units = true_alerted_units = 0.0
    leads = []
    for u, idx in UNITS.items():
        weight = w[idx[0]]
        onset = positive_onset(idx)
        alert_times = [times[i] for i in idx if alerted[i] and (math.isnan(onset) or times[i] <= onset)]
        any_alert = any(alerted[i] for i in idx)
        if any_alert:
            alerted_units += weight
        if not math.isnan(onset):
            positive_units += weight
            if alert_times:
                detected += weight
                true_alerted_units += weight
                leads.extend([onset - min(alert_times)] * int(weight))
    odds = threshold / (1 - threshold)
    prevalence = (w * labels).sum() / n_w
    ppv_alerts = tp / alerts if alerts > 0 else math.nan
    return dict(
        alert_rate=alerts / n_w,
        sensitivity_units=detected / positive_units if positive_units > 0 else math.nan,
        ppv_alerts=ppv_alerts,
        ppv_units=true_alerted_units / alerted_units if alerted_units > 0 else math.nan,
        alerts_per_100_patient_days=alerts / ((w * exposure).sum() / 24.0) * 100.0,
        number_needed_to_evaluate=1.0 / ppv_alerts if alerts > 0 and tp > 0 else math.nan,
        lead_time_median_hours=float(np.median(leads)) if leads else math.nan,
        net_benefit=tp / n_w - fp / n_w * odds,
        net_benefit_treat_all=prevalence - (1 - prevalence) * odds,
    )


def all_metrics(w):
    pw = w * patient_weight
    keep = w > 0
    intercept, slope = calibration(w)
    m = dict(
        auroc=roc_auc_score(labels[keep], scores[keep], sample_weight=w[keep]),
        auroc_patient_weighted=roc_auc_score(labels[keep], scores[keep], sample_weight=pw[keep]),
        auprc=average_precision_score(labels[keep], scores[keep], sample_weight=w[keep]),
        auprc_patient_weighted=average_precision_score(labels[keep], scores[keep], sample_weight=pw[keep]),
        brier=brier_score_loss(labels[keep], scores[keep], sample_weight=w[keep]),
        calibration_intercept=intercept,
        calibration_slope=slope,
    )
    m.update(at_threshold(w, THRESHOLD))
    return {k: float(v) for k, v in m.items()}


ones = np.ones(len(rows))
point = all_metrics(ones)

# threshold achieving the target alert rate: the lowest observed score whose alert share does not exceed the target
distinct = np.unique(scores)[::-1]
chosen = distinct[0]
for t in distinct:
    if (scores >= t).mean() <= TARGET_ALERT_RATE:
        chosen = t
    else:
        break

# ROC curve (all thresholds), reliability bins (10 equal-width), decision curve, time to detection
fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
bins = []
bin_of = np.minimum((scores * 10).astype(int), 9)
for b in range(10):
    sel = bin_of == b
    if sel.any():
        bins.append([int(sel.sum()), float(scores[sel].mean()), float(labels[sel].mean())])
    else:
        bins.append([0, 0.0, 0.0])
decision = []
prevalence = labels.mean()
for pt in DECISION_THRESHOLDS:
    alerted = scores >= pt
    n = len(scores)
    odds = pt / (1 - pt)
    decision.append([pt, float((alerted & labels).sum() / n - (alerted & ~labels).sum() / n * odds),
                     float(prevalence - (1 - prevalence) * odds)])
leads = []
positive_units = 0
for u, idx in UNITS.items():
    onset = positive_onset(idx)
    if math.isnan(onset):
        continue
    positive_units += 1
    alert_times = [times[i] for i in idx if scores[i] >= THRESHOLD and times[i] <= onset]
    if alert_times:
        leads.append(onset - min(alert_times))
detection = [[float(h), float(sum(1 for x in leads if x >= h) / positive_units)] for h in sorted(set([0.0] + leads))]

# ---------------------------------------------------------------- bootstrap
resamples = []
for _ in range(40):
    counts = np.bincount(rng.integers(0, n_patients, n_patients), minlength=n_patients)
    w = counts[patients].astype(float)
    resamples.append(dict(patient_counts=counts.tolist(), metrics=all_metrics(w)))

interval_draws = {k: [] for k in point}
for _ in range(4000):
    counts = np.bincount(rng.integers(0, n_patients, n_patients), minlength=n_patients)
    m = all_metrics(counts[patients].astype(float))
    for k, v in m.items():
        interval_draws[k].append(v)
intervals = {}
for k, values in interval_draws.items():
    v = np.array([x for x in values if not math.isnan(x)])
    intervals[k] = [float(np.quantile(v, 0.025)), float(np.quantile(v, 0.975))]


def clean(x):
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, np.generic):
        return clean(x.item())
    return x


out = dict(
    generator=dict(python=sys.version.split()[0], numpy=np.__version__, statsmodels=statsmodels.__version__,
                   sklearn=sklearn.__version__),
    horizon_hours=HORIZON,
    threshold=THRESHOLD,
    target_alert_rate=TARGET_ALERT_RATE,
    threshold_for_target=float(chosen),
    data=dict(patient=patients.tolist(), unit=units.tolist(), time_hours=times.tolist(),
              onset_hours=[None if math.isnan(o) else float(o) for o in onsets], exposure_hours=exposure.tolist(),
              score=scores.tolist(), label=[int(x) for x in labels]),
    counts=dict(decision_points=len(rows), patients=n_patients, units=len(UNITS), positive_decision_points=int(labels.sum()),
                positive_units=positive_units),
    point=point,
    at_target=at_threshold(ones, float(chosen)),
    roc=dict(fpr=fpr.tolist(), tpr=tpr.tolist(), thresholds=[None if math.isinf(t) else float(t) for t in thr]),
    reliability_bins=bins,
    decision_curve=decision,
    time_to_detection=detection,
    resamples=resamples,
    intervals=intervals,
)
with open(os.path.join(HERE, "early_warning_reference.json"), "w") as f:
    json.dump(clean(out), f, indent=1, allow_nan=False)
print(json.dumps(out["counts"]), json.dumps(point, indent=1))
