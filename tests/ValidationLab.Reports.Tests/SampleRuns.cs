using ValidationLab.Results;
using ValidationLab.Runners;

namespace ValidationLab.Reports.Tests;

/// <summary>Hand-built runs: small enough to read in the approved file, varied enough to reach every branch.</summary>
internal static class SampleRuns
{
    public static RunManifest Manifest(string runId = "20250105-140322-medqa-baseline") => new()
    {
        RunId = runId,
        StartedUtc = new DateTimeOffset(2025, 1, 5, 14, 3, 22, TimeSpan.Zero),
        FinishedUtc = new DateTimeOffset(2025, 1, 5, 14, 7, 34, TimeSpan.Zero),
        HarnessVersion = "0.1.0",
        HarnessCommit = "0c93553a1b2c3d4e5f60718293a4b5c6d7e8f901",
        ConfigSha256 = "3f1a9c2e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f",
        DataFiles = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["/data/medqa/test.jsonl"] = "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
        },
        Runner = new RunnerIdentity { Runner = "baseline", Model = "always-a", Fingerprint = "ab12cd34" },
        Seed = 1234,
    };

    public static MetricValue Wilson(double value, double low, double high, int n) => new(value, low, high, n, "Wilson 95% CI");

    public static RunResult SmallRun() => new()
    {
        Manifest = Manifest(),
        Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal)
        {
            ["medqa"] = new SuiteResult
            {
                Suite = "medqa",
                Mode = "generate",
                Counts = new SuiteCounts(Items: 5, Scored: 3, Unparseable: 1, Errored: 1),
                Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
                {
                    ["accuracy"] = Wilson(0.5, 0.15, 0.85, 4),
                    ["unparseable_rate"] = Wilson(0.25, 0.046, 0.699, 4),
                },
                Breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>(StringComparer.Ordinal)
                {
                    ["meta_info"] = new SortedDictionary<string, IReadOnlyDictionary<string, MetricValue>>(StringComparer.Ordinal)
                    {
                        ["step1"] = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal) { ["accuracy"] = Wilson(2.0 / 3, 0.208, 0.939, 3) },
                        ["step2&3"] = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal) { ["accuracy"] = Wilson(0, 0, 0.793, 1) },
                    },
                },
                Distributions = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal)
                {
                    ["gold_letter"] = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["A"] = 1, ["B"] = 1, ["C"] = 2, ["D"] = 0 },
                    ["predicted_letter"] = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["A"] = 2, ["B"] = 0, ["C"] = 1, ["D"] = 0 },
                },
                Notes = ["Baseline runner: always answers A. Useful only as a floor."],
            },
            ["empty"] = new SuiteResult
            {
                Suite = "empty",
                Mode = "loglikelihood",
                Counts = new SuiteCounts(0, 0, 0, 0),
                Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
                {
                    ["accuracy"] = new(double.NaN, double.NaN, double.NaN, 0, "Wilson 95% CI"),
                },
            },
        },
        Accounting = new RunAccounting
        {
            Requests = 5, CacheHits = 1, Retries = 2, ErroredRequests = 1, PromptTokens = 1520, CompletionTokens = 230,
            LatencyP50Ms = 412.5, LatencyP95Ms = 980, LatencyP99Ms = 1204.4, ItemsPerSecond = 1.98, WallSeconds = 252,
        },
        Warnings = ["1 item errored: http_503 after 5 attempts (medqa-0005)."],
    };

    public static IReadOnlyList<ItemResult> SmallItems() =>
    [
        Item("medqa-0001", ItemStatus.Scored, "A", "A", true, "extracted A from 'The answer is (A)'; gold is A", response: "The answer is (A).\nReasoning: \"classic\" <presentation> & history."),
        Item("medqa-0002", ItemStatus.Scored, "A", "C", false, "extracted A from 'A'; gold is C", response: "A"),
        Item("medqa-0003", ItemStatus.Scored, "C", "C", true, "extracted C from 'C) Metformin'; gold is C", response: "C) Metformin"),
        Item("medqa-0004", ItemStatus.Unparseable, null, "B", false, "no option letter found in the output; counted incorrect", response: "I cannot give medical advice."),
        Item("medqa-0005", ItemStatus.Errored, null, "C", null, "no answer: the request failed", response: null, error: "http_503: service unavailable after 5 attempts"),
    ];

    public static ItemResult Item(string id, ItemStatus status, string? prediction, string? gold, bool? correct, string explanation,
        string? response, string? error = null, string suite = "medqa") => new()
    {
        Suite = suite,
        ItemId = id,
        Status = status,
        PromptHash = "d2a84f4b8b650937ec8f73cd8be2c74add5a911ba64df27458ed8229da804a26",
        Input = "A 54-year-old man presents with polyuria. Which drug is first line?\nA) Insulin\nB) Sulfonylurea\nC) Metformin\nD) Acarbose",
        Response = response,
        Prediction = prediction,
        Gold = gold,
        Correct = correct,
        Explanation = explanation,
        Error = error,
        LatencyMs = 412.5,
        ClusterId = "p-" + id[^1],
        Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["meta_info"] = id.EndsWith('4') ? "step2&3" : "step1" },
    };

    /// <summary>A run of <paramref name="count"/> items with realistic text lengths, for timing and size checks.</summary>
    public static (RunResult Run, IReadOnlyList<ItemResult> Items) Large(int count)
    {
        var items = new List<ItemResult>(count);
        string question = string.Concat(Enumerable.Repeat("A 63-year-old woman with a history of hypertension presents with chest pain. ", 6))
            + "\nA) Aspirin\nB) Heparin\nC) Nitroglycerin\nD) Morphine\nE) Oxygen";
        string output = string.Concat(Enumerable.Repeat("Considering the presentation, the most appropriate next step is ", 4)) + "(C).";
        for (int i = 0; i < count; i++)
        {
            ItemStatus status = i % 50 == 0 ? ItemStatus.Errored : i % 20 == 0 ? ItemStatus.Unparseable : ItemStatus.Scored;
            items.Add(new ItemResult
            {
                Suite = "medqa",
                ItemId = "medqa-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture),
                Status = status,
                Input = question,
                Response = status == ItemStatus.Errored ? null : output,
                Prediction = status == ItemStatus.Scored ? "C" : null,
                Gold = i % 3 == 0 ? "B" : "C",
                Correct = status == ItemStatus.Errored ? null : status == ItemStatus.Scored && i % 3 != 0,
                Explanation = "extracted C from '(C).'; gold is C",
                LatencyMs = 300 + i % 700,
            });
        }

        RunResult small = SmallRun();
        return (small with { Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal) { ["medqa"] = small.Suites["medqa"] } }, items);
    }
}
