#!/usr/bin/python3
"""Reference values for ValidationLab.Statistics tests.

Run from the repository root with Debian's interpreter (python3-statsmodels, python3-scipy, python3-sklearn):

    /usr/bin/python3 tests/reference/statistics_reference.py
    Rscript tests/reference/proc_reference.R

Writes tests/reference/statistics_reference.json (read by the xunit tests; tests never call Python or R).
proc_reference.R reads the ROC cases from that JSON and writes tests/reference/proc_reference.json.
Values come from statsmodels / scipy / scikit-learn wherever they implement the method; where no library
does (Newcombe method 10, Tango score, ECE, Connor sample size) the script holds an independent
re-implementation written from the papers (Tango's restricted MLE is found numerically, not in closed form).
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import optimize, stats
from sklearn.metrics import average_precision_score, brier_score_loss, cohen_kappa_score, roc_auc_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MEDQA = os.path.join("..", "shared", "data", "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv")

out = {
    "generator": {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "sklearn": sklearn.__version__,
    }
}

# ---------------------------------------------------------------- proportions
props = []
for x, n in [(0, 10), (10, 10), (1, 10), (5, 10), (81, 263), (1, 1), (0, 1), (999, 1000), (3, 7), (1016, 1273)]:
    for level in (0.90, 0.95, 0.99):
        wl, wh = proportion_confint(x, n, alpha=1 - level, method="wilson")
        cl, ch = proportion_confint(x, n, alpha=1 - level, method="beta")
        props.append(dict(successes=x, n=n, level=level, wilson_low=wl, wilson_high=wh, cp_low=cl, cp_high=ch))
out["proportions"] = props

# ---------------------------------------------------------------- McNemar
mc = []
for b, c in [(5, 3), (10, 0), (0, 10), (12, 12), (25, 10), (100, 130), (1, 0), (150, 70), (3, 4), (0, 1)]:
    table = [[50, b], [c, 40]]
    ex = mcnemar(table, exact=True)
    cc = mcnemar(table, exact=False, correction=True)
    nc = mcnemar(table, exact=False, correction=False)
    k, n = min(b, c), b + c
    midp = min(1.0, 2 * stats.binom.cdf(k, n, 0.5) - stats.binom.pmf(k, n, 0.5))
    mc.append(dict(b=b, c=c, exact_statistic=float(ex.statistic), exact_p=float(ex.pvalue), midp=float(midp),
                   cc_statistic=float(cc.statistic), cc_p=float(cc.pvalue),
                   chi2_statistic=float(nc.statistic), chi2_p=float(nc.pvalue)))
out["mcnemar"] = mc


# ---------------------------------------------------------------- paired difference
def newcombe10(a, b, c, d, level):
    """Newcombe (1998) method 10, written from the paper (Stat Med 17:2635, eqs. for method 10)."""
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = proportion_confint(a + b, n, alpha=1 - level, method="wilson")
    l2, u2 = proportion_confint(a + c, n, alpha=1 - level, method="wilson")
    denom = (a + b) * (c + d) * (a + c) * (b + d)
    phi = 0.0 if denom == 0 else (a * d - b * c) / math.sqrt(denom)
    dl = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    du = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    diff = p1 - p2
    return max(-1.0, diff - dl), min(1.0, diff + du)


def tango_z(b, c, n, delta0):
    """Tango (1998) score statistic with the restricted MLE of q = P(cell c) found numerically."""
    def negll(q):
        pb, pc = q + delta0, q
        pr = 1 - pb - pc
        if pb <= 0 or pc <= 0 or pr <= 0:
            return 1e300
        return -(b * math.log(pb) + c * math.log(pc) + (n - b - c) * math.log(pr))
    lo = max(0.0, -delta0) + 1e-15
    hi = (1 - delta0) / 2 - 1e-15
    res = optimize.minimize_scalar(negll, bounds=(lo, hi), method="bounded", options=dict(xatol=1e-14, maxiter=2000))
    q = res.x
    # Refine with a derivative root (Brent) near the optimum to reach ~1e-13.
    def score(q):
        pb = q + delta0
        return b / pb + c / q - 2 * (n - b - c) / (1 - 2 * q - delta0)
    try:
        a_, b_ = max(lo, q - 1e-4), min(hi, q + 1e-4)
        if score(a_) * score(b_) < 0:
            q = optimize.brentq(score, a_, b_, xtol=1e-16, rtol=1e-15)
    except (ValueError, ZeroDivisionError):
        pass
    var = n * (2 * q + delta0 * (1 - delta0))
    return (b - c - n * delta0) / math.sqrt(var)


def tango_ci(b, c, n, level):
    z = stats.norm.ppf(1 - (1 - level) / 2)
    d = (b - c) / n
    f_lo = lambda x: tango_z(b, c, n, x) - z
    f_hi = lambda x: tango_z(b, c, n, x) + z
    eps = 1e-9
    low = -1.0 if f_lo(-1 + eps) <= 0 else optimize.brentq(f_lo, -1 + eps, d, xtol=1e-14)
    high = 1.0 if f_hi(1 - eps) >= 0 else optimize.brentq(f_hi, d, 1 - eps, xtol=1e-14)
    return low, high


paired = []
for a, b, c, d in [(1, 1, 7, 12), (30, 5, 2, 63), (500, 40, 25, 435), (10, 0, 0, 0), (0, 3, 0, 7), (50, 12, 12, 26), (800, 90, 60, 323)]:
    n = a + b + c + d
    row = dict(a=a, b=b, c=c, d=d)
    for level in (0.95, 0.90):
        nl, nh = newcombe10(a, b, c, d, level)
        row[f"newcombe_{int(level*100)}"] = [nl, nh]
    if b + c > 0:
        tl, th = tango_ci(b, c, n, 0.95)
        row["tango_95"] = [tl, th]
        row["tango_z"] = [[d0, tango_z(b, c, n, d0)] for d0 in (-0.05, -0.02, 0.0, 0.03)]
    paired.append(row)
out["paired_difference"] = paired

margin_cases = []
for a, b, c, d, margin, alpha in [(800, 90, 60, 323, 0.02, 0.025), (800, 60, 90, 323, 0.02, 0.025), (400, 30, 35, 35, 0.05, 0.05), (700, 45, 40, 215, 0.0, 0.025)]:
    n = a + b + c + d
    zcrit = stats.norm.ppf(1 - alpha)
    dhat = (b - c) / n
    z_ni = tango_z(b, c, n, -margin)
    z_sup = tango_z(b, c, n, margin)
    bound = optimize.brentq(lambda x: tango_z(b, c, n, x) - zcrit, -1 + 1e-9, dhat, xtol=1e-14)
    margin_cases.append(dict(a=a, b=b, c=c, d=d, margin=margin, alpha=alpha, ni_z=z_ni, ni_p=float(stats.norm.sf(z_ni)),
                             sup_z=z_sup, sup_p=float(stats.norm.sf(z_sup)), bound=bound))
out["margin_tests"] = margin_cases

# ---------------------------------------------------------------- bootstrap (Monte Carlo references)
rng = np.random.default_rng(20240601)
x = rng.exponential(scale=2.0, size=60)
acc_a = rng.random(300) < 0.78
acc_b = np.where(rng.random(300) < 0.8, acc_a, rng.random(300) < 0.7)
boot = dict(values=x.tolist(), first=acc_a.astype(int).tolist(), second=acc_b.astype(int).tolist(), resamples=20000)
for method in ("percentile", "BCa"):
    r = stats.bootstrap((x,), np.mean, n_resamples=20000, method=method, random_state=np.random.default_rng(1))
    boot[f"mean_{method}"] = [r.confidence_interval.low, r.confidence_interval.high, r.standard_error]
    r = stats.bootstrap((acc_a.astype(float), acc_b.astype(float)), lambda u, v, axis=-1: u.mean(axis=axis) - v.mean(axis=axis),
                        paired=True, vectorized=True, n_resamples=20000, method=method, random_state=np.random.default_rng(2))
    boot[f"paired_{method}"] = [r.confidence_interval.low, r.confidence_interval.high, r.standard_error]
out["bootstrap"] = boot

# ---------------------------------------------------------------- discrimination
rng = np.random.default_rng(7)
roc_cases = []
n = 300
y = rng.random(n) < 0.35
s1 = np.round(rng.normal(loc=y * 1.0, scale=1.0), 1)          # rounded: many ties
s2 = np.round(0.6 * s1 + rng.normal(loc=y * 0.5, scale=0.8), 2)
roc_cases.append(dict(name="random_ties", labels=y.astype(int).tolist(), scores=s1.tolist(), scores2=s2.tolist()))
roc_cases.append(dict(name="handmade", labels=[0, 0, 1, 1, 0, 1], scores=[0.1, 0.4, 0.35, 0.8, 0.8, 0.9], scores2=[0.2, 0.3, 0.6, 0.5, 0.1, 0.7]))
y3 = rng.random(2000) < 0.1
s3 = rng.beta(2 + 2 * y3, 5)
s4 = np.clip(s3 + rng.normal(0, 0.1, 2000), 0, 1)
roc_cases.append(dict(name="imbalanced", labels=y3.astype(int).tolist(), scores=s3.tolist(), scores2=s4.tolist()))
for case in roc_cases:
    yy = np.array(case["labels"])
    case["sklearn_auc"] = roc_auc_score(yy, case["scores"])
    case["sklearn_auc2"] = roc_auc_score(yy, case["scores2"])
    case["sklearn_ap"] = average_precision_score(yy, case["scores"])
    case["sklearn_ap2"] = average_precision_score(yy, case["scores2"])
    thr = float(np.median(case["scores"]))
    sc = np.array(case["scores"])
    pred = sc >= thr
    tp, fp = int(np.sum(pred & (yy == 1))), int(np.sum(pred & (yy == 0)))
    tn, fn = int(np.sum(~pred & (yy == 0))), int(np.sum(~pred & (yy == 1)))
    case["threshold"] = dict(threshold=thr, tp=tp, fp=fp, tn=tn, fn=fn,
                             sensitivity=list(proportion_confint(tp, tp + fn, method="wilson")),
                             specificity=list(proportion_confint(tn, tn + fp, method="wilson")))
out["roc_cases"] = roc_cases

# ---------------------------------------------------------------- calibration
rng = np.random.default_rng(11)
p = np.clip(rng.beta(2, 3, 500), 1e-4, 1 - 1e-4)
true_logit = -0.3 + 0.7 * np.log(p / (1 - p))
yc = (rng.random(500) < 1 / (1 + np.exp(-true_logit))).astype(int)
logit = np.log(p / (1 - p))
cal = dict(probabilities=p.tolist(), labels=yc.tolist(), brier=brier_score_loss(yc, p))
slope_fit = sm.GLM(yc, sm.add_constant(logit), family=sm.families.Binomial()).fit(tol=1e-14)
int_fit = sm.GLM(yc, np.ones((500, 1)), family=sm.families.Binomial(), offset=logit).fit(tol=1e-14)
cal["slope"] = [float(slope_fit.params[1]), *map(float, slope_fit.conf_int()[1])]
cal["slope_intercept"] = float(slope_fit.params[0])
cal["intercept"] = [float(int_fit.params[0]), *map(float, int_fit.conf_int()[0])]


def bins_equal_width(p, y, k):
    idx = np.minimum((p * k).astype(int), k - 1)
    return [np.where(idx == b)[0] for b in range(k)]


def bins_equal_count(p, y, k):
    order = np.argsort(p, kind="stable")
    return np.array_split(order, k)


for name, fn in (("equal_width", bins_equal_width), ("equal_count", bins_equal_count)):
    bins = fn(p, yc, 10)
    ece = sum(len(b) / len(p) * abs(yc[b].mean() - p[b].mean()) for b in bins if len(b) > 0)
    cal[f"ece_{name}"] = ece
    cal[f"bins_{name}"] = [[int(len(b)), float(p[b].mean()) if len(b) else 0.0, float(yc[b].mean()) if len(b) else 0.0] for b in bins]
out["calibration"] = cal

# ---------------------------------------------------------------- agreement
rng = np.random.default_rng(5)
r1 = rng.integers(0, 4, 150)
r2 = np.where(rng.random(150) < 0.6, r1, np.clip(r1 + rng.integers(-1, 2, 150), 0, 3))
table = np.zeros((4, 4), int)
for i, j in zip(r1, r2):
    table[i, j] += 1
agree = dict(rater1=r1.tolist(), rater2=r2.tolist())
for wt, key in ((None, "none"), ("linear", "linear"), ("quadratic", "quadratic")):
    res = cohens_kappa(table, wt=wt)
    agree[key] = dict(kappa=float(res.kappa), se=float(res.std_kappa), low=float(res.kappa_low), high=float(res.kappa_upp),
                      sklearn=float(cohen_kappa_score(r1, r2, weights=wt)))
ft = np.zeros((40, 3), int)
for i in range(40):
    probs = rng.dirichlet([2, 1, 1])
    ft[i] = rng.multinomial(5, probs)
agree["fleiss_table"] = ft.tolist()
agree["fleiss_kappa"] = float(fleiss_kappa(ft, method="fleiss"))
out["agreement"] = agree

# ---------------------------------------------------------------- group differences
groups = dict()
z, pz = proportions_ztest([45, 30], [100, 90])
groups["ztest"] = dict(x1=45, n1=100, x2=30, n2=90, z=float(z), p=float(pz))
fisher = []
for t in ([[8, 2], [1, 5]], [[20, 15], [10, 25]], [[0, 5], [5, 0]], [[3, 3], [3, 3]], [[102, 33], [56, 77]]):
    orr, pf = stats.fisher_exact(t)
    fisher.append(dict(table=t, odds_ratio=float(orr) if np.isfinite(orr) else None, p=float(pf)))
groups["fisher"] = fisher
chi = []
for t, corr in (([[20, 15], [10, 25]], True), ([[20, 15], [10, 25]], False), ([[10, 20, 30, 5], [15, 15, 25, 10], [20, 10, 10, 30]], False)):
    c2, pc, dof, _ = stats.chi2_contingency(t, correction=corr)
    chi.append(dict(table=t, correction=corr, statistic=float(c2), p=float(pc), dof=int(dof)))
groups["chi2"] = chi
pvals = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.8]
groups["pvalues"] = pvals
groups["holm"] = multipletests(pvals, method="holm")[1].tolist()
groups["bh"] = multipletests(pvals, method="fdr_bh")[1].tolist()
out["groups"] = groups


# ---------------------------------------------------------------- planning (Connor 1987)
def connor_n(psi, delta, alpha, power):
    za, zb = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    return (za * math.sqrt(psi) + zb * math.sqrt(psi - delta ** 2)) ** 2 / delta ** 2


planning = []
for psi, delta, alpha, power in ((0.2, 0.05, 0.05, 0.8), (0.1, 0.03, 0.05, 0.9), (0.3, 0.1, 0.01, 0.8), (0.15, 0.02, 0.05, 0.8)):
    nn = connor_n(psi, delta, alpha, power)
    planning.append(dict(psi=psi, delta=delta, alpha=alpha, power=power, n_exact=nn, n=math.ceil(nn)))
out["planning"] = planning

# ---------------------------------------------------------------- real data (MedQA)
path = os.path.normpath(os.path.join(REPO, MEDQA))
if os.path.exists(path):
    df = pd.read_csv(path)
    wide = df.pivot(index="realidx", columns="model", values="correct")
    a_, b_ = wide["gpt-4o"].astype(bool), wide["gpt-4o-mini"].astype(bool)
    t = [[int((a_ & b_).sum()), int((a_ & ~b_).sum())], [int((~a_ & b_).sum()), int((~a_ & ~b_).sum())]]
    ex, cc = mcnemar(t, exact=True), mcnemar(t, exact=False, correction=True)
    out["medqa"] = dict(path=MEDQA.replace(os.sep, "/"), first="gpt-4o", second="gpt-4o-mini", table=t,
                        exact_statistic=float(ex.statistic), exact_p=float(ex.pvalue),
                        chi2_statistic=float(cc.statistic), chi2_p=float(cc.pvalue),
                        accuracy_first=float(a_.mean()), accuracy_second=float(b_.mean()))
else:
    print(f"warning: {path} not found; medqa reference omitted", file=sys.stderr)


def clean(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if isinstance(o, (np.floating,)):
        return clean(float(o))
    if isinstance(o, (np.integer,)):
        return int(o)
    return o


with open(os.path.join(HERE, "statistics_reference.json"), "w") as f:
    json.dump(clean(out), f, indent=1, allow_nan=False)
    f.write("\n")
print("wrote", os.path.join(HERE, "statistics_reference.json"))
