using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Results;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using ValidationLab.Statistics;

namespace ValidationLab.Comparison;

/// <summary>
/// Compares a candidate run with a baseline run on the same items: per suite, accuracy in both, the paired
/// difference (candidate minus baseline) with Newcombe and paired-bootstrap intervals, McNemar exact and mid-p,
/// a non-inferiority test against a margin, the same per breakdown value, and the items that flipped.
/// Items errored in either run are excluded from pairing and counted.
/// </summary>
public sealed class RunComparer
{
    public double Margin { get; init; } = 0.02;

    public int Seed { get; init; }

    public int BootstrapResamples { get; init; } = 10_000;

    /// <summary>
    /// Compare runs whose suites, data files or items differ (<c>--allow-different-data</c>): only items that are
    /// the same question in both runs are paired, and the rest are counted. Off: the first difference is refused.
    /// </summary>
    public bool AllowDifferentData { get; init; }

    /// <summary>
    /// Compare a limited run (<c>--limit</c>) with a full run or a run with another limit
    /// (<c>--allow-different-limit</c>): the items both ran are paired. Off: refused.
    /// </summary>
    public bool AllowDifferentLimit { get; init; }

    public ComparisonResult Compare(LoadedRun baseline, LoadedRun candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        if (Margin is < 0 or >= 1 || double.IsNaN(Margin))
        {
            throw new InputException($"the margin must be in [0, 1), not {Margin.ToString(CultureInfo.InvariantCulture)}", field: "--margin");
        }

        var baseSuites = baseline.Items.Select(i => i.Suite).ToHashSet(StringComparer.Ordinal);
        var candSuites = candidate.Items.Select(i => i.Suite).ToHashSet(StringComparer.Ordinal);
        var shared = baseSuites.Intersect(candSuites, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (shared.Count == 0)
        {
            throw new InputException($"the runs share no suite (baseline: {string.Join(", ", baseSuites)}; candidate: {string.Join(", ", candSuites)})", candidate.Directory);
        }

        // Every way the data differ, in the order a user would look: limits (they explain missing items), suites,
        // data files, then item by item. Without the matching flag the first one found is refused.
        var differences = new List<string>();
        var limitDifference = LimitDifference(baseline, candidate);
        var limitsDiffer = limitDifference is not null;
        if (limitDifference is not null)
        {
            Differ(differences, limitDifference, AllowDifferentLimit, "--allow-different-limit", baseline, candidate);
        }

        foreach (var suite in baseSuites.Union(candSuites).Except(shared).Order(StringComparer.Ordinal))
        {
            Differ(differences, $"suite '{suite}' is in the {(baseSuites.Contains(suite) ? "baseline" : "candidate")} run only", AllowDifferentData, "--allow-different-data", baseline, candidate);
        }

        foreach (var difference in DataFileDifferences(baseline, candidate))
        {
            Differ(differences, difference, AllowDifferentData, "--allow-different-data", baseline, candidate);
        }

        var pairings = new List<Pairing>();
        foreach (var suite in shared)
        {
            var pairing = Pair(suite, baseline.Items.Where(i => i.Suite == suite).ToList(), candidate.Items.Where(i => i.Suite == suite).ToList());
            pairings.Add(pairing);

            // Items missing from a limited run are what the limit means; they were allowed with the limit.
            var onlyAllowed = AllowDifferentData || (limitsDiffer && AllowDifferentLimit);
            foreach (var id in pairing.OnlyInBaseline)
            {
                Differ(differences, $"suite '{suite}': item '{id}' is in the baseline run only", onlyAllowed, "--allow-different-data", baseline, candidate);
            }

            foreach (var id in pairing.OnlyInCandidate)
            {
                Differ(differences, $"suite '{suite}': item '{id}' is in the candidate run only", onlyAllowed, "--allow-different-data", baseline, candidate);
            }

            foreach (var mismatch in pairing.Mismatches)
            {
                Differ(differences, mismatch, AllowDifferentData, "--allow-different-data", baseline, candidate);
            }
        }

        var suites = new SortedDictionary<string, SuiteComparison>(StringComparer.Ordinal);
        foreach (var pairing in pairings)
        {
            suites[pairing.Suite] = pairing.IsRisk ? CompareRiskSuite(pairing) : CompareSuite(pairing);
        }

        var warnings = new List<string>();
        var same = SameRun(baseline, candidate);
        if (same is not null)
        {
            warnings.Add(same);
        }

        if (differences.Count > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the runs' data differ in {differences.Count} way(s) (first: {differences[0]}); only items that are the same question in both runs were paired"));
        }

        return new ComparisonResult
        {
            Baseline = Reference(baseline),
            Candidate = Reference(candidate),
            Margin = Margin,
            Seed = Seed,
            Suites = suites,
            Unpaired = baseSuites.Union(candSuites).Except(shared).Order(StringComparer.Ordinal).ToList(),
            DataDifferences = differences,
            SameRun = same is not null,
            Warnings = warnings,
        };
    }

    /// <summary>Record an allowed difference, or refuse with it (exit 2) naming the flag that would allow it.</summary>
    private static void Differ(List<string> differences, string difference, bool allowed, string flag, LoadedRun baseline, LoadedRun candidate)
    {
        if (!allowed)
        {
            throw new InputException(
                $"the runs are not over the same data: {difference} (baseline {baseline.Directory}, candidate {candidate.Directory}). "
                + $"Comparing them would pair different questions; pass {flag} to compare only the items that match.");
        }

        differences.Add(difference);
    }

    private static string? LimitDifference(LoadedRun baseline, LoadedRun candidate)
    {
        var (b, c) = (baseline.Limit, candidate.Limit);
        if (b is null && c is null || b is not null && c is not null && b.SelectsSameItemsAs(c))
        {
            return null;
        }

        static string Words(RunLimit? l) => l is null ? "a full run" : $"limited to {l.Describe()}";
        return $"the baseline is {Words(b)} and the candidate is {Words(c)}";
    }

    /// <summary>
    /// Data files are matched by content hash, whatever their paths on the machines that ran them. The runner's
    /// own source (a predictions file) is what differs between models by design, so it is not data.
    /// </summary>
    private static IEnumerable<string> DataFileDifferences(LoadedRun baseline, LoadedRun candidate)
    {
        var b = DataFiles(baseline);
        var c = DataFiles(candidate);
        var bHashes = b.Select(f => f.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cHashes = c.Select(f => f.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var cMissing = c.Where(f => !bHashes.Contains(f.Value)).ToList();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, hash) in b.Where(f => !cHashes.Contains(f.Value)))
        {
            var name = Path.GetFileName(path);
            var counterpart = cMissing.FirstOrDefault(f => string.Equals(Path.GetFileName(f.Key), name, StringComparison.Ordinal));
            if (counterpart.Key is not null)
            {
                reported.Add(counterpart.Key);
                yield return $"data file '{name}' differs: sha256 {Short(hash)} in the baseline ({path}), {Short(counterpart.Value)} in the candidate ({counterpart.Key})";
            }
            else
            {
                yield return $"data file '{path}' (sha256 {Short(hash)}) was read by the baseline run only";
            }
        }

        foreach (var (path, hash) in cMissing.Where(f => !reported.Contains(f.Key)))
        {
            yield return $"data file '{path}' (sha256 {Short(hash)}) was read by the candidate run only";
        }
    }

    private static List<KeyValuePair<string, string>> DataFiles(LoadedRun run)
    {
        var source = run.Result.Manifest.Runner.Source;
        return run.Result.Manifest.DataFiles
            .Where(f => source is null || !SamePath(f.Key, source))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static bool SamePath(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false; // a URL source, not a path
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    /// <summary>Same run id, or the same items with the same responses: the comparison can only show zero.</summary>
    private static string? SameRun(LoadedRun baseline, LoadedRun candidate)
    {
        if (string.Equals(baseline.Result.Manifest.RunId, candidate.Result.Manifest.RunId, StringComparison.Ordinal))
        {
            return $"the baseline and the candidate are the same run ({baseline.Result.Manifest.RunId}): every difference is zero by construction";
        }

        if (baseline.Items.Count > 0 && baseline.Items.Count == candidate.Items.Count
            && baseline.Items.Zip(candidate.Items).All(p => SameAnswer(p.First, p.Second)))
        {
            return $"the baseline ({baseline.Result.Manifest.RunId}) and the candidate ({candidate.Result.Manifest.RunId}) gave identical responses to every item: this compares a run with itself or a copy of it";
        }

        return null;
    }

    private static bool SameAnswer(ItemResult a, ItemResult b) =>
        a.Suite == b.Suite && a.ItemId == b.ItemId && a.Status == b.Status && a.Response == b.Response
        && a.Prediction == b.Prediction && a.Score == b.Score && a.Correct == b.Correct && a.PromptHash == b.PromptHash;

    /// <summary>One suite's items matched by id: the pairs, what is in one run only, and what is not the same question.</summary>
    private sealed record Pairing(
        string Suite,
        bool IsRisk,
        List<(ItemResult Base, ItemResult Cand)> Pairs,
        int Errored,
        List<string> OnlyInBaseline,
        List<string> OnlyInCandidate,
        List<string> Mismatches);

    private static Pairing Pair(string suite, List<ItemResult> baseline, List<ItemResult> candidate)
    {
        var byId = new Dictionary<string, ItemResult>(StringComparer.Ordinal);
        foreach (var c in candidate)
        {
            byId.TryAdd(c.ItemId, c);
        }

        var baseIds = baseline.Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);

        // A risk suite's items carry an outcome label and a score rather than a right/wrong verdict.
        var isRisk = baseline.Concat(candidate).Any(i => i.Label is not null) && baseline.Concat(candidate).All(i => i.Correct is null);
        var pairs = new List<(ItemResult Base, ItemResult Cand)>();
        var mismatches = new List<string>();
        var errored = 0;
        foreach (var b in baseline)
        {
            if (!byId.TryGetValue(b.ItemId, out var c))
            {
                continue;
            }

            if (Mismatch(b, c) is { } what)
            {
                mismatches.Add($"suite '{suite}': item '{b.ItemId}' is not the same question: {what}");
                continue;
            }

            var usable = isRisk
                ? b.Status != ItemStatus.Errored && c.Status != ItemStatus.Errored && b.Score is not null && c.Score is not null && b.Label is not null
                : b.Correct is not null && c.Correct is not null;
            if (!usable)
            {
                errored++;
                continue;
            }

            pairs.Add((b, c));
        }

        return new Pairing(
            suite,
            isRisk,
            pairs,
            errored,
            baseline.Where(b => !byId.ContainsKey(b.ItemId)).Select(b => b.ItemId).ToList(),
            candidate.Where(c => !baseIds.Contains(c.ItemId)).Select(c => c.ItemId).ToList(),
            mismatches);
    }

    /// <summary>What makes two items with the same id different questions; null when they are the same.</summary>
    private static string? Mismatch(ItemResult b, ItemResult c)
    {
        // A field missing on one side (an errored item without a request, an older run) cannot be checked.
        if (b.PromptHash is { } bh && c.PromptHash is { } ch && !string.Equals(bh, ch, StringComparison.Ordinal))
        {
            return $"prompt hash {Short(bh)} in the baseline, {Short(ch)} in the candidate";
        }

        if (b.Gold is { } bg && c.Gold is { } cg && !string.Equals(bg, cg, StringComparison.Ordinal))
        {
            return $"gold answer '{bg}' in the baseline, '{cg}' in the candidate";
        }

        if (b.Label is { } bl && c.Label is { } cl && bl != cl)
        {
            return $"outcome label {(bl ? "true" : "false")} in the baseline, {(cl ? "true" : "false")} in the candidate";
        }

        if (b.ClusterId is { } bc && c.ClusterId is { } cc && !string.Equals(bc, cc, StringComparison.Ordinal))
        {
            return $"cluster '{bc}' in the baseline, '{cc}' in the candidate";
        }

        return null;
    }

    private SuiteComparison CompareSuite(Pairing pairing)
    {
        var (suite, pairs) = (pairing.Suite, pairing.Pairs);
        if (pairs.Count == 0)
        {
            throw new InputException($"suite '{suite}': no item has an answer in both runs, so nothing can be compared");
        }

        var counts = Count(pairs);
        var breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricComparison>>>(StringComparer.Ordinal);
        foreach (var field in pairs.SelectMany(p => p.Base.Strata.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var values = new SortedDictionary<string, IReadOnlyDictionary<string, MetricComparison>>(StringComparer.Ordinal);
            foreach (var group in pairs.Where(p => p.Base.Strata.ContainsKey(field)).GroupBy(p => p.Base.Strata[field], StringComparer.Ordinal))
            {
                values[group.Key] = new SortedDictionary<string, MetricComparison>(StringComparer.Ordinal) { ["accuracy"] = Accuracy(Count(group.ToList())) };
            }

            breakdowns[field] = values;
        }

        var margin = MarginTests.NonInferiority(counts, Margin);
        var verdict = Verdict(margin.Rejected, "points", 100, margin.Bound, margin.PValue);
        return new SuiteComparison
        {
            Suite = suite,
            PairedItems = pairs.Count,
            ExcludedErrored = pairing.Errored,
            OnlyInBaseline = pairing.OnlyInBaseline.Count,
            OnlyInCandidate = pairing.OnlyInCandidate.Count,
            Mismatched = pairing.Mismatches.Count,
            Metrics = new SortedDictionary<string, MetricComparison>(StringComparer.Ordinal) { ["accuracy"] = Accuracy(counts) },
            Breakdowns = breakdowns,
            Power = Plan(counts),
            NonInferiority = new MarginTest(margin.Hypothesis, margin.Margin, margin.Difference, margin.Bound, margin.PValue, margin.Alpha, margin.Rejected, margin.Method, verdict),
            Regressions = pairs.Where(p => p.Base.Correct == true && p.Cand.Correct == false).Select(Flipped).ToList(),
            Improvements = pairs.Where(p => p.Base.Correct == false && p.Cand.Correct == true).Select(Flipped).ToList(),
        };
    }

    /// <summary>The verdict in plain words; <paramref name="unit"/> and <paramref name="scale"/> say how the margin reads.</summary>
    private string Verdict(bool passed, string unit, double scale, double bound, double p)
    {
        var m = (Margin * scale).ToString(scale == 100 ? "0.##" : "0.###", CultureInfo.InvariantCulture);
        var b = (bound * scale).ToString(scale == 100 ? "0.##" : "0.####", CultureInfo.InvariantCulture);
        return passed
            ? $"non-inferior: the candidate is no worse than the baseline by more than {m} {unit} (lower bound {b} {unit}, p {P(p)})"
            : $"not shown non-inferior: a drop of more than {m} {unit} cannot be ruled out (lower bound {b} {unit}, p {P(p)})";
    }

    /// <summary>Minimum detectable difference at 80% power, two-sided alpha 5%, from the observed discordant share.</summary>
    private PowerNote? Plan(PairedCounts counts)
    {
        var discordant = (double)(counts.OnlyFirstCorrect + counts.OnlySecondCorrect) / counts.N;
        if (discordant <= 0)
        {
            return null;
        }

        const double alpha = 0.05, power = 0.8;
        double mdd;
        string method;
        try
        {
            var plan = SampleSize.PairedAccuracyMinimumDetectableDifference(counts.N, discordant, alpha, power);
            mdd = plan.Difference;
            method = plan.Method;
        }
        catch (ArgumentException)
        {
            // Too few items to detect even the largest difference the discordant share allows.
            mdd = discordant;
            method = "McNemar, Connor (1987)";
        }

        var detectable = Margin > 0 && mdd <= Margin;
        var statement = string.Create(CultureInfo.InvariantCulture,
            $"With {counts.N} paired items and {discordant * 100:0.#}% discordant pairs, differences of {mdd * 100:0.#} points or more are detected with 80% power (two-sided alpha 5%); ")
            + (Margin <= 0 ? "no margin was set."
                : detectable ? string.Create(CultureInfo.InvariantCulture, $"a {Margin * 100:0.##}-point drop is within reach.")
                : string.Create(CultureInfo.InvariantCulture, $"this suite is too small to detect a {Margin * 100:0.##}-point drop."));
        return new PowerNote(mdd, discordant, alpha, power, detectable, method, statement);
    }

    /// <summary>First = candidate, second = baseline, so differences read candidate minus baseline.</summary>
    private static PairedCounts Count(IReadOnlyList<(ItemResult Base, ItemResult Cand)> pairs)
    {
        var candidate = pairs.Select(p => p.Cand.Correct == true).ToArray();
        var baseline = pairs.Select(p => p.Base.Correct == true).ToArray();
        return PairedCounts.FromOutcomes(candidate, baseline);
    }

    private MetricComparison Accuracy(PairedCounts counts)
    {
        var paired = PairedBinary.Compare(counts);
        var exact = McNemar.Exact(counts.OnlyFirstCorrect, counts.OnlySecondCorrect);
        var midP = McNemar.MidP(counts.OnlyFirstCorrect, counts.OnlySecondCorrect);
        var boot = PairedBinaryBootstrap.AccuracyDifference(counts, new BootstrapOptions { Resamples = BootstrapResamples, Seed = (ulong)(uint)Seed });
        return new MetricComparison
        {
            Baseline = Value(paired.AccuracySecond),
            Candidate = Value(paired.AccuracyFirst),
            Difference = Value(paired.Difference) with { Kind = MetricKind.Difference },
            BootstrapDifference = Value(boot.Estimate) with { Kind = MetricKind.Difference },
            Improvements = counts.OnlyFirstCorrect,
            Regressions = counts.OnlySecondCorrect,
            Test = new StatisticalTest(exact.Method, exact.Statistic, exact.PValue),
            MidP = new StatisticalTest(midP.Method, midP.Statistic, midP.PValue),
        };
    }

    /// <summary>
    /// A risk suite: AUROC of each run (DeLong), the paired DeLong difference and test, a non-inferiority test on
    /// AUROC at the margin (one-sided, from the DeLong standard error), and paired cluster bootstrap intervals
    /// (patients resampled whole, since one patient's decision points are correlated) for AUROC and Brier.
    /// </summary>
    private SuiteComparison CompareRiskSuite(Pairing pairing)
    {
        var (suite, pairs) = (pairing.Suite, pairing.Pairs);
        var labels = pairs.Select(p => p.Base.Label == true).ToArray();
        var positives = labels.Count(l => l);
        var negatives = labels.Length - positives;
        if (positives < 2 || negatives < 2)
        {
            throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"suite '{suite}': comparing AUROC needs at least 2 paired items with the outcome and 2 without; found {positives} and {negatives}"));
        }

        var baseScores = pairs.Select(p => p.Base.Score!.Value).ToArray();
        var candScores = pairs.Select(p => p.Cand.Score!.Value).ToArray();

        // An item without a cluster id is its own cluster: resampling it alone is the ordinary bootstrap.
        var clusterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusters = pairs.Select(p => p.Base.ClusterId is { } id ? "c:" + id : "i:" + p.Base.ItemId)
            .Select(key => clusterIndex.TryGetValue(key, out var k) ? k : clusterIndex[key] = clusterIndex.Count).ToArray();
        var options = new BootstrapOptions { Resamples = BootstrapResamples, Seed = (ulong)(uint)Seed };
        var n = pairs.Count;
        var clusterCount = clusterIndex.Count;

        var baseAuc = Discrimination.Auroc(baseScores, labels);
        var candAuc = Discrimination.Auroc(candScores, labels);
        PairedAurocResult delong;
        try
        {
            delong = Discrimination.PairedDeLong(candScores, baseScores, labels);
        }
        catch (ArgumentException ex)
        {
            throw new InputException($"suite '{suite}': the paired DeLong test is undefined for these scores ({ex.Message})", inner: ex);
        }

        var aucBoot = Bootstrap.ClusterPairedDifference(clusters, WeightedMetrics.Auroc(candScores, labels), WeightedMetrics.Auroc(baseScores, labels), options);
        var baseBrierStat = Brier(baseScores, labels);
        var candBrierStat = Brier(candScores, labels);
        var brierDiff = Bootstrap.ClusterPairedDifference(clusters, candBrierStat, baseBrierStat, options);
        var baseBrier = Bootstrap.Cluster(clusters, baseBrierStat, options);
        var candBrier = Bootstrap.Cluster(clusters, candBrierStat, options);

        var margin = AurocNonInferiority(delong);
        var risk = new RiskComparison
        {
            Positives = positives,
            Negatives = negatives,
            Clusters = clusterCount,
            Auroc = new ScoreComparison
            {
                Baseline = Value(baseAuc.Estimate) with { Kind = MetricKind.Auroc, Clusters = clusterCount },
                Candidate = Value(candAuc.Estimate) with { Kind = MetricKind.Auroc, Clusters = clusterCount },
                Difference = Value(delong.Difference) with { Kind = MetricKind.Difference, Clusters = clusterCount },
                BootstrapDifference = Value(aucBoot.Estimate) with { Kind = MetricKind.Difference, Clusters = clusterCount },
                Test = new StatisticalTest(delong.Method, delong.Z, delong.PValue),
            },
            Brier = new ScoreComparison
            {
                Baseline = Value(baseBrier.Estimate) with { Kind = MetricKind.Score, Clusters = clusterCount },
                Candidate = Value(candBrier.Estimate) with { Kind = MetricKind.Score, Clusters = clusterCount },
                Difference = Value(brierDiff.Estimate) with { Kind = MetricKind.Difference, Clusters = clusterCount },
                BootstrapDifference = Value(brierDiff.Estimate) with { Kind = MetricKind.Difference, Clusters = clusterCount },
            },
        };

        return new SuiteComparison
        {
            Suite = suite,
            Kind = "risk",
            PairedItems = n,
            ExcludedErrored = pairing.Errored,
            OnlyInBaseline = pairing.OnlyInBaseline.Count,
            OnlyInCandidate = pairing.OnlyInCandidate.Count,
            Mismatched = pairing.Mismatches.Count,
            Metrics = new SortedDictionary<string, MetricComparison>(StringComparer.Ordinal),
            Breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricComparison>>>(StringComparer.Ordinal),
            Power = null,
            NonInferiority = margin,
            Regressions = [],
            Improvements = [],
            Risk = risk,
        };
    }

    /// <summary>
    /// H0: AUROC(candidate) − AUROC(baseline) ≤ −margin, one-sided alpha 2.5%, z = (Δ + margin) / SE with the paired
    /// DeLong SE; the bound is the one-sided 97.5% lower confidence bound Δ − z₀.₉₇₅·SE, so passed ⇔ bound &gt; −margin.
    /// </summary>
    private MarginTest AurocNonInferiority(PairedAurocResult delong)
    {
        const double alpha = 0.025;
        var zCrit = Normal.InvCDF(0, 1, 1 - alpha);
        var diff = delong.Difference.Value;

        // The SE behind the DeLong interval: Δ / z when z is defined, else half the (symmetric) interval.
        var se = delong.Z != 0 ? Math.Abs(diff / delong.Z) : (delong.Difference.High - delong.Difference.Low) / (2 * zCrit);
        double p, bound;
        if (se > 0)
        {
            p = 0.5 * SpecialFunctions.Erfc((diff + Margin) / se / Math.Sqrt(2));
            bound = diff - (zCrit * se);
        }
        else
        {
            // Identical scores: no uncertainty about a zero difference.
            p = diff > -Margin ? 0 : 1;
            bound = diff;
        }

        var passed = p < alpha;
        var method = "DeLong paired z test of the AUROC difference, one-sided alpha 2.5%";
        return new MarginTest("non-inferiority", Margin, diff, bound, p, alpha, passed, method, Verdict(passed, "AUROC", 1, bound, p));
    }

    /// <summary>Brier score on a resample given as frequency weights.</summary>
    private static WeightedStatistic Brier(double[] probabilities, bool[] outcomes) => weights =>
    {
        double sum = 0;
        long total = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            var e = probabilities[i] - (outcomes[i] ? 1.0 : 0.0);
            sum += weights[i] * e * e;
            total += weights[i];
        }

        return total == 0 ? double.NaN : sum / total;
    };

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : "= " + p.ToString("0.####", CultureInfo.InvariantCulture);

    private static MetricValue Value(Estimate e) => new(e.Value, e.Low, e.High, e.N, e.Method);

    private static FlippedItem Flipped((ItemResult Base, ItemResult Cand) p) =>
        new(p.Base.ItemId, p.Base.Gold, p.Base.Prediction, p.Cand.Prediction, p.Base.Input, p.Base.Strata);

    private static RunReference Reference(LoadedRun run) =>
        new(run.Result.Manifest.RunId, run.Directory, run.Result.Manifest.Runner.Runner, run.Result.Manifest.Runner.Model) { Limit = run.Limit };
}
