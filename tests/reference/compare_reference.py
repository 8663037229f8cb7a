#!/usr/bin/python3
"""Reference values for `validationlab compare` (comparison.json), checked field by field by
tests/ValidationLab.Cli.Tests/CompareReferenceTests.cs.

Run from the repository root with Debian's interpreter (python3-statsmodels, python3-scipy, python3-sklearn,
python3-pandas; r-cran-proc for the optional pROC cross-check):

    /usr/bin/python3 tests/reference/compare_reference.py

Writes tests/reference/compare_reference.json (tests never call Python or R).

Accuracy suites: paired 2x2 tables written as (a, b, c, d) = (both right, candidate only right, baseline only
right, both wrong); differences read candidate minus baseline.
  - accuracies and Wilson 95% intervals: statsmodels proportion_confint(method="wilson")
  - McNemar exact p: statsmodels mcnemar(exact=True); mid-p: scipy binom (2 P(X <= k) - P(X = k))
  - Newcombe (1998) method 10 paired interval: statsmodels has none, so it is re-implemented here in plain Python
    from the paper (Stat Med 17:2635, method 10: Wilson limits of each margin combined with the phi correlation)
  - non-inferiority: Tango (1998) score test at -margin, one-sided alpha 2.5%; the bound is the one-sided
    Tango score lower confidence bound. No library implements it: the restricted MLE is found numerically
    (scipy minimize_scalar + brentq), independently of the harness's closed form.
  - minimum detectable difference: Connor (1987) n formula solved for the difference with brentq
    (80% power, two-sided alpha 5%, observed discordant share); when even a difference equal to the discordant
    share needs more pairs than there are, compare reports the discordant share itself.
  - paired bootstrap interval: the item-level paired bootstrap of a 2x2 table is a multinomial draw of the four
    cells; 400,000 draws give the percentile interval, and `mc_tolerance` is 5 Monte-Carlo standard errors of a
    10,000-resample estimate (found by repeating it 200 times) plus one lattice step 1/n.

Risk suites (handmade clustered data, seeded): AUROC with sklearn roc_auc_score; DeLong variances, intervals and the
paired DeLong z / p written from DeLong, DeLong & Clarke-Pearson (1988) placement values, cross-checked against R
pROC (ci.auc / roc.test method "delong", paired) when Rscript is present; non-inferiority on AUROC as a one-sided
z test with the paired DeLong SE; Brier with sklearn brier_score_loss; the paired cluster bootstrap (patients
resampled whole) for the AUROC and Brier differences and each run's Brier, with Monte-Carlo tolerances from a
kernel density estimate at the quantiles.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels
from scipy import optimize, stats
from sklearn.metrics import brier_score_loss, roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MEDQA = os.path.join("..", "shared", "data", "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv")
MARGIN = 0.02
ALPHA_NI = 0.025
RESAMPLES = 10_000  # what the tests pass to compare; the Monte-Carlo tolerance is for this many resamples

out = {
    "generator": {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "sklearn": sklearn.__version__,
    },
    "margin": MARGIN,
    "resamples": RESAMPLES,
}


# ---------------------------------------------------------------- accuracy: paired 2x2 tables
def wilson(x, n):
    lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
    return [x / n, float(lo), float(hi)]


def newcombe10(a, b, c, d):
    """Newcombe (1998) method 10 for p1 - p2, p1 = (a+b)/n (candidate), p2 = (a+c)/n (baseline)."""
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = proportion_confint(a + b, n, alpha=0.05, method="wilson")
    l2, u2 = proportion_confint(a + c, n, alpha=0.05, method="wilson")
    # phi of the 2x2 of candidate (rows) by baseline (columns): cells a (1,1), b (1,0), c (0,1), d (0,0)
    denom = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0 if denom == 0 else (a * d - b * c) / math.sqrt(denom)
    dl = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    du = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    diff = p1 - p2
    return [diff, max(-1.0, diff - dl), min(1.0, diff + du)]


def tango_z(b, c, n, delta0):
    """Tango (1998) score statistic for H0: p_b - p_c = delta0, restricted MLE of q = P(cell c) found numerically."""
    def xlogy(k, p):
        return 0.0 if k == 0 else k * math.log(p)  # 0 log 0 = 0: an empty cell may have probability 0

    def negll(q):
        pb, pc = q + delta0, q
        pr = 1 - pb - pc
        if pb < 0 or pc < 0 or pr < 0 or (pb == 0 and b > 0) or (pc == 0 and c > 0) or (pr == 0 and n - b - c > 0):
            return 1e300
        return -(xlogy(b, pb) + xlogy(c, pc) + xlogy(n - b - c, pr))

    lo = max(0.0, -delta0) + 1e-15
    hi = (1 - delta0) / 2 - 1e-15
    q = optimize.minimize_scalar(negll, bounds=(lo, hi), method="bounded", options=dict(xatol=1e-14, maxiter=2000)).x
    # With an empty discordant cell the maximum can sit on the boundary of the parameter space.
    edge = max(0.0, -delta0)
    if negll(edge) <= negll(q):
        q = edge

    def score(q):
        return b / (q + delta0) + c / q - 2 * (n - b - c) / (1 - 2 * q - delta0)

    try:
        a_, b_ = max(lo, q - 1e-4), min(hi, q + 1e-4)
        if score(a_) * score(b_) < 0:
            q = optimize.brentq(score, a_, b_, xtol=1e-16, rtol=1e-15)
    except (ValueError, ZeroDivisionError):
        pass
    var = n * (2 * q + delta0 * (1 - delta0))
    if var <= 0:  # b = c = 0 at delta0 = 0: no evidence either way
        return 0.0
    return (b - c - n * delta0) / math.sqrt(var)


def non_inferiority(b, c, n):
    z = tango_z(b, c, n, -MARGIN)
    p = float(stats.norm.sf(z))
    zcrit = stats.norm.ppf(1 - ALPHA_NI)
    dhat = (b - c) / n
    bound = optimize.brentq(lambda x: tango_z(b, c, n, x) - zcrit, -1 + 1e-9, dhat, xtol=1e-15)
    return dict(difference=dhat, bound=bound, statistic=z, p_value=p, alpha=ALPHA_NI, passed=bool(p < ALPHA_NI))


def connor_n(psi, delta, alpha=0.05, power=0.8):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    return (za * math.sqrt(psi) + zb * math.sqrt(max(0.0, psi - delta ** 2))) ** 2 / delta ** 2


def power_note(b, c, n):
    psi = (b + c) / n
    if psi == 0:
        return None
    if connor_n(psi, psi) > n:
        mdd = psi  # too few pairs for any difference the discordant share allows: compare reports psi
    else:
        mdd = optimize.brentq(lambda x: connor_n(psi, x) - n, 1e-12, psi, xtol=1e-15)
    return dict(minimum_detectable_difference=mdd, discordant_proportion=psi, alpha=0.05, power=0.8,
                margin_detectable=bool(mdd <= MARGIN))


def paired_bootstrap(a, b, c, d, seed):
    n = a + b + c + d
    rng = np.random.default_rng(seed)
    probs = np.array([a, b, c, d]) / n
    draws = rng.multinomial(n, probs, size=400_000)
    diff = (draws[:, 1] - draws[:, 2]) / n
    low, high = np.quantile(diff, [0.025, 0.975])
    reps = rng.multinomial(n, probs, size=(200, RESAMPLES))
    reps = (reps[:, :, 1] - reps[:, :, 2]) / n
    q = np.quantile(reps, [0.025, 0.975], axis=1)
    sd = max(float(np.std(q[0], ddof=1)), float(np.std(q[1], ddof=1)))
    return dict(value=(b - c) / n, ci_low=float(low), ci_high=float(high), mc_tolerance=5 * sd + 1.0 / n)


def accuracy_case(name, a, b, c, d, seed):
    n = a + b + c + d
    ex = mcnemar([[a, b], [c, d]], exact=True)
    k, m = min(b, c), b + c
    midp = 1.0 if m == 0 else min(1.0, 2 * stats.binom.cdf(k, m, 0.5) - stats.binom.pmf(k, m, 0.5))
    return dict(
        name=name, a=a, b=b, c=c, d=d, n=n,
        baseline=wilson(a + c, n),
        candidate=wilson(a + b, n),
        difference=newcombe10(a, b, c, d),
        bootstrap_difference=paired_bootstrap(a, b, c, d, seed),
        improvements=b, regressions=c,
        exact_statistic=float(ex.statistic), exact_p=float(ex.pvalue) if m > 0 else 1.0, mid_p=float(midp),
        non_inferiority=non_inferiority(b, c, n),
        power=power_note(b, c, n),
    )


cases = [
    # found by scanning c for b = 40, n = 1000: the Tango bound crosses -0.02 between c = 41 and c = 42
    ("just_inside_margin", 800, 40, 41, 119),
    ("just_outside_margin", 800, 40, 42, 118),
    ("no_discordant_pairs", 40, 0, 0, 10),
    ("small", 5, 2, 1, 2),
]
accuracy = [accuracy_case(name, a, b, c, d, seed) for seed, (name, a, b, c, d) in enumerate(cases)]

path = os.path.normpath(os.path.join(REPO, MEDQA))
if os.path.exists(path):
    df = pd.read_csv(path)
    wide = df.pivot(index="realidx", columns="model", values="correct")
    cand, base = wide["gpt-4o"].astype(bool), wide["gpt-4o-mini"].astype(bool)
    a, b = int((cand & base).sum()), int((cand & ~base).sum())
    c, d = int((~cand & base).sum()), int((~cand & ~base).sum())
    assert (b, c) == (219, 35), (b, c)
    row = accuracy_case("medqa_gpt4o_vs_gpt4o_mini", a, b, c, d, 99)
    row["baseline_model"], row["candidate_model"] = "gpt-4o-mini", "gpt-4o"
    accuracy.append(row)
else:
    print(f"warning: {path} not found; the real gpt-4o vs gpt-4o-mini case is omitted", file=sys.stderr)
out["accuracy"] = accuracy


# ---------------------------------------------------------------- risk: AUROC (DeLong) and Brier, clustered
def delong_components(scores, labels):
    """Placement values (DeLong 1988): V10 for each positive, V01 for each negative; ties count 1/2."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0), psi.mean()


def delong(scores_cand, scores_base, labels):
    v10c, v01c, aucc = delong_components(scores_cand, labels)
    v10b, v01b, aucb = delong_components(scores_base, labels)
    m, k = len(v10c), len(v01c)
    s10 = np.cov(np.vstack([v10c, v10b]))
    s01 = np.cov(np.vstack([v01c, v01b]))
    cov = s10 / m + s01 / k
    z975 = stats.norm.ppf(0.975)

    def ci(auc, var):
        h = z975 * math.sqrt(var)
        return [auc, max(0.0, auc - h), min(1.0, auc + h)]

    var_diff = cov[0, 0] + cov[1, 1] - 2 * cov[0, 1]
    diff = aucc - aucb
    se = math.sqrt(var_diff)
    z = diff / se
    p = 2 * stats.norm.sf(abs(z))
    zni = (diff + MARGIN) / se
    p_ni = float(stats.norm.sf(zni))
    bound = diff - stats.norm.ppf(1 - ALPHA_NI) * se
    return dict(
        candidate=ci(aucc, cov[0, 0]), baseline=ci(aucb, cov[1, 1]),
        difference=[diff, max(-1.0, diff - z975 * se), min(1.0, diff + z975 * se)],
        z=z, p_value=p,
        non_inferiority=dict(difference=diff, bound=bound, p_value=p_ni, alpha=ALPHA_NI, passed=bool(p_ni < ALPHA_NI)),
    )


def mc_tolerance(samples, q):
    """5 Monte-Carlo SEs of the q-quantile from RESAMPLES draws (density by Gaussian KDE), plus the reference's own."""
    kde = stats.gaussian_kde(samples)
    x = np.quantile(samples, q)
    f = float(kde(x)[0])
    se = math.sqrt(q * (1 - q) / RESAMPLES) / f
    se_ref = math.sqrt(q * (1 - q) / len(samples)) / f
    return 5 * (se + se_ref)


def cluster_bootstrap(clusters, labels, sc, sb, seed, draws=40_000):
    rng = np.random.default_rng(seed)
    ids = np.unique(clusters)
    members = [np.where(clusters == i)[0] for i in ids]
    auc_d, brier_d, brier_c, brier_b = [], [], [], []
    for _ in range(draws):
        pick = rng.integers(0, len(ids), len(ids))
        idx = np.concatenate([members[j] for j in pick])
        y = labels[idx]
        brier_c.append(np.mean((sc[idx] - y) ** 2))
        brier_b.append(np.mean((sb[idx] - y) ** 2))
        brier_d.append(brier_c[-1] - brier_b[-1])
        if 0 < y.sum() < len(y):
            auc_d.append(roc_auc_score(y, sc[idx]) - roc_auc_score(y, sb[idx]))

    def summary(values, point):
        v = np.asarray(values)
        lo, hi = np.quantile(v, [0.025, 0.975])
        return dict(value=point, ci_low=float(lo), ci_high=float(hi),
                    mc_tolerance=max(mc_tolerance(v, 0.025), mc_tolerance(v, 0.975)))

    return summary, auc_d, brier_d, brier_c, brier_b


def risk_case(name, seed, patients, separation_cand, separation_base):
    rng = np.random.default_rng(seed)
    clusters, labels, frailty = [], [], []
    for p in range(patients):
        k = int(rng.integers(1, 5))
        f = rng.normal(0, 1)
        for _ in range(k):
            clusters.append(f"p{p:03d}")
            labels.append(int(rng.random() < 1 / (1 + math.exp(-(-1.0 + f)))))
            frailty.append(f)
    clusters, labels, frailty = np.array(clusters), np.array(labels), np.array(frailty)
    n = len(labels)
    noise = rng.normal(0, 1, n)
    base = 1 / (1 + np.exp(-(-1.0 + separation_base * (labels - 0.3) + 0.5 * frailty + noise)))
    cand = 1 / (1 + np.exp(-(-1.0 + separation_cand * (labels - 0.3) + 0.5 * frailty + 0.7 * noise + 0.5 * rng.normal(0, 1, n))))
    base, cand = np.round(base, 3), np.round(cand, 3)  # rounded: ties, as real risk scores have
    d = delong(cand, base, labels)
    assert abs(d["candidate"][0] - roc_auc_score(labels, cand)) < 1e-12
    assert abs(d["baseline"][0] - roc_auc_score(labels, base)) < 1e-12
    summary, auc_d, brier_d, brier_c, brier_b = cluster_bootstrap(clusters, labels, cand, base, seed + 1000)
    bc, bb = brier_score_loss(labels, cand), brier_score_loss(labels, base)
    return dict(
        name=name, cluster_ids=clusters.tolist(), labels=labels.tolist(),
        baseline_scores=base.tolist(), candidate_scores=cand.tolist(),
        n=n, positives=int(labels.sum()), negatives=int(n - labels.sum()), clusters=int(len(np.unique(clusters))),
        auroc=dict(baseline=d["baseline"], candidate=d["candidate"], difference=d["difference"],
                   z=d["z"], p_value=d["p_value"],
                   bootstrap_difference=summary(auc_d, d["candidate"][0] - d["baseline"][0])),
        non_inferiority=d["non_inferiority"],
        brier=dict(baseline=summary(brier_b, bb), candidate=summary(brier_c, bc), difference=summary(brier_d, bc - bb)),
    )


risk = [
    risk_case("risk_candidate_better", 11, 60, 2.5, 1.5),
    risk_case("risk_candidate_worse", 12, 80, 1.2, 2.2),
]


def proc_check(cases):
    """Cross-check the DeLong figures with R pROC; a disagreement stops the script."""
    if shutil.which("Rscript") is None:
        print("warning: Rscript not found; pROC cross-check skipped", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "cases.json")
        with open(data, "w") as f:
            json.dump([dict(labels=c["labels"], cand=c["candidate_scores"], base=c["baseline_scores"]) for c in cases], f)
        script = f"""
suppressPackageStartupMessages({{ library(pROC); library(jsonlite) }})
cases <- fromJSON("{data}", simplifyVector = FALSE)
res <- lapply(cases, function(c) {{
  y <- unlist(c$labels); a <- unlist(c$cand); b <- unlist(c$base)
  ra <- roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE)
  rb <- roc(y, b, levels = c(0, 1), direction = "<", quiet = TRUE)
  t <- roc.test(ra, rb, method = "delong", paired = TRUE)
  list(cand = as.numeric(ci.auc(ra, method = "delong"))[c(2, 1, 3)], base = as.numeric(ci.auc(rb, method = "delong"))[c(2, 1, 3)],
       z = unname(t$statistic), p = t$p.value, ci = as.numeric(t$conf.int), version = as.character(packageVersion("pROC")))
}})
cat(toJSON(res, auto_unbox = TRUE, digits = NA))
"""
        r = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    results = json.loads(r.stdout)
    for case, pr in zip(cases, results):
        a = case["auroc"]
        for ours, theirs in ((a["candidate"], pr["cand"]), (a["baseline"], pr["base"]), (a["difference"][1:], pr["ci"]),
                             ([a["z"], a["p_value"]], [pr["z"], pr["p"]])):
            assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12), (case["name"], ours, theirs)
    return results[0]["version"]


version = proc_check(risk)
if version:
    out["generator"]["pROC"] = version
out["risk"] = risk


def clean(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, np.floating):
        return clean(float(o))
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.bool_):
        return bool(o)
    return o


with open(os.path.join(HERE, "compare_reference.json"), "w") as f:
    json.dump(clean(out), f, indent=1, allow_nan=False)
    f.write("\n")
print("wrote", os.path.join(HERE, "compare_reference.json"))
