using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Results;
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

        var suites = new SortedDictionary<string, SuiteComparison>(StringComparer.Ordinal);
        foreach (var suite in shared)
        {
            suites[suite] = CompareSuite(suite, baseline.Items.Where(i => i.Suite == suite).ToList(), candidate.Items.Where(i => i.Suite == suite).ToList());
        }

        return new ComparisonResult
        {
            Baseline = Reference(baseline),
            Candidate = Reference(candidate),
            Margin = Margin,
            Seed = Seed,
            Suites = suites,
            Unpaired = baseSuites.Union(candSuites).Except(shared).Order(StringComparer.Ordinal).ToList(),
        };
    }

    private SuiteComparison CompareSuite(string suite, List<ItemResult> baseline, List<ItemResult> candidate)
    {
        var byId = candidate.ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        var baseIds = baseline.Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);
        var pairs = new List<(ItemResult Base, ItemResult Cand)>();
        var errored = 0;
        foreach (var b in baseline)
        {
            if (!byId.TryGetValue(b.ItemId, out var c))
            {
                continue;
            }

            if (b.Correct is null || c.Correct is null)
            {
                errored++;
                continue;
            }

            pairs.Add((b, c));
        }

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
        var verdict = margin.Rejected
            ? string.Create(CultureInfo.InvariantCulture, $"non-inferior: the candidate is no worse than the baseline by more than {Margin * 100:0.##} points (lower bound {margin.Bound * 100:0.##} points, p {P(margin.PValue)})")
            : string.Create(CultureInfo.InvariantCulture, $"not shown non-inferior: a drop of more than {Margin * 100:0.##} points cannot be ruled out (lower bound {margin.Bound * 100:0.##} points, p {P(margin.PValue)})");
        return new SuiteComparison
        {
            Suite = suite,
            PairedItems = pairs.Count,
            ExcludedErrored = errored,
            OnlyInBaseline = baseline.Count(b => !byId.ContainsKey(b.ItemId)),
            OnlyInCandidate = candidate.Count(c => !baseIds.Contains(c.ItemId)),
            Metrics = new SortedDictionary<string, MetricComparison>(StringComparer.Ordinal) { ["accuracy"] = Accuracy(counts) },
            Breakdowns = breakdowns,
            Power = Plan(counts),
            NonInferiority = new MarginTest(margin.Hypothesis, margin.Margin, margin.Difference, margin.Bound, margin.PValue, margin.Alpha, margin.Rejected, margin.Method, verdict),
            Regressions = pairs.Where(p => p.Base.Correct == true && p.Cand.Correct == false).Select(Flipped).ToList(),
            Improvements = pairs.Where(p => p.Base.Correct == false && p.Cand.Correct == true).Select(Flipped).ToList(),
        };
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
            Difference = Value(paired.Difference),
            BootstrapDifference = Value(boot.Estimate),
            Improvements = counts.OnlyFirstCorrect,
            Regressions = counts.OnlySecondCorrect,
            Test = new StatisticalTest(exact.Method, exact.Statistic, exact.PValue),
            MidP = new StatisticalTest(midP.Method, midP.Statistic, midP.PValue),
        };
    }

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : "= " + p.ToString("0.####", CultureInfo.InvariantCulture);

    private static MetricValue Value(Estimate e) => new(e.Value, e.Low, e.High, e.N, e.Method);

    private static FlippedItem Flipped((ItemResult Base, ItemResult Cand) p) =>
        new(p.Base.ItemId, p.Base.Gold, p.Base.Prediction, p.Cand.Prediction, p.Base.Input, p.Base.Strata);

    private static RunReference Reference(LoadedRun run) =>
        new(run.Result.Manifest.RunId, run.Directory, run.Result.Manifest.Runner.Runner, run.Result.Manifest.Runner.Model);
}
