using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Analysis.Slicing;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites;
using ValidationLab.Suites.MedQA;

namespace ValidationLab.Benchmarks;

/// <summary>
/// What the slicing stage adds to a run (issue 9): a 50,000-item MedQA run (the real test split repeated with new
/// ids, so vignettes, strata and the demographics extractor are real) is scored and aggregated, then sliced over
/// meta_info, sex and age_band and their three pairwise intersections with every test and the Holm correction.
/// The two are timed alternately, round by round, so that load from other processes hits both alike; the figure
/// is the median slicing time as a share of the median scoring+aggregation time. MedQA aggregates slices through
/// its prepared run (<see cref="ISubsetAggregator"/>); the same slicing through the suite's plain Aggregate on every
/// group (what a suite without the hook gets) is timed in the same rounds for comparison.
/// </summary>
public static class SlicingQuickCompare
{
    public static void Run(TextWriter output, string medqaTestFile, int items = 50_000, int rounds = 9)
    {
        ArgumentNullException.ThrowIfNull(output);
        var data = Path.Combine(Path.GetTempPath(), $"vl-slicing-bench-{Environment.ProcessId}.jsonl");
        try
        {
            WriteRepeated(medqaTestFile, data, items);
            var suite = new MedQaSuiteFactory().Create(new SuiteSettings { Name = "medqa", DataPath = data });
            var loaded = suite.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
            var requests = loaded.Select(i => suite.CreateRequests(i)).ToList();
            var letters = new[] { "A", "B", "C", "D" };
            var responses = requests.Select((r, i) => new ModelResponse
            {
                Suite = r[0].Suite,
                ItemId = r[0].ItemId,
                RequestId = r[0].RequestId,
                Text = $"Reasoning... The answer is ({letters[(i * 7) % 4]})",
            }).ToList();
            var settings = new SliceSettings
            {
                Families = [new(["meta_info"]), new(["sex"]), new(["age_band"]), new(["meta_info", "sex"]), new(["meta_info", "age_band"]), new(["sex", "age_band"])],
            };

            List<ItemResult>? scored = null;
            SuiteResult? overall = null;
            double Score()
            {
                var started = Stopwatch.GetTimestamp();
                scored = new List<ItemResult>(loaded.Count);
                for (var i = 0; i < loaded.Count; i++)
                {
                    scored.Add(suite.Score(loaded[i], requests[i], [responses[i]]));
                }

                overall = suite.Aggregate(scored);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Results.Slices.SliceReport? report = null;
            double Slice()
            {
                var started = Stopwatch.GetTimestamp();
                report = SliceAnalyzer.Analyze(settings, [new SliceInput(suite, scored!, overall!)], seed: 1);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            // The same suite seen without its ISubsetAggregator: every group through ISuite.Aggregate.
            var plainSuite = new WithoutSubsetAggregation(suite);
            double SlicePlain()
            {
                var started = Stopwatch.GetTimestamp();
                SliceAnalyzer.Analyze(settings, [new SliceInput(plainSuite, scored!, overall!)], seed: 1);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            Score();
            Slice();
            SlicePlain();

            // The suite's own Aggregate over all items, once: slicing calls it once per slice, so each family costs
            // about one such pass; this shows how much of slicing is the suite's aggregation rather than the stage.
            double Aggregate()
            {
                var started = Stopwatch.GetTimestamp();
                suite.Aggregate(scored!);
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            var scoring = new List<double>();
            var slicing = new List<double>();
            var aggregation = new List<double>();
            var plain = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                scoring.Add(Score());
                slicing.Add(Slice());
                aggregation.Add(Aggregate());
                plain.Add(SlicePlain());
            }

            var groups = report!.Suites["medqa"].Families.Values.Sum(f => f.Groups.Count);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{loaded.Count} items, {settings.Families.Count} slice families, {groups} slices, {report.Tests} tests ({report.Correction}), {rounds} rounds"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scoring+aggregation median {Median(scoring),8:F1} ms  (best {scoring.Min():F1}, worst {scoring.Max():F1})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slicing             median {Median(slicing),8:F1} ms  (best {slicing.Min():F1}, worst {slicing.Max():F1})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"one Aggregate(all) median {Median(aggregation),8:F1} ms  (the suite's own aggregation; slicing runs it once per family, {Environment.ProcessorCount} cores)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slicing, each group through ISuite.Aggregate (no ISubsetAggregator) median {Median(plain),8:F1} ms  (best {plain.Min():F1}, worst {plain.Max():F1}; adds {Median(plain) / Median(scoring):P1})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slicing adds {Median(slicing) / Median(scoring):P1} of scoring+aggregation (median / median; target <= 20%)"));
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static void WriteRepeated(string source, string target, int items)
    {
        var lines = File.ReadAllLines(source);
        using var writer = new StreamWriter(target);
        for (var i = 0; i < items; i++)
        {
            var node = JsonNode.Parse(lines[i % lines.Length])!.AsObject();
            node["realidx"] = i.ToString(CultureInfo.InvariantCulture);
            writer.WriteLine(node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Forwards to a suite, hiding its <see cref="ISubsetAggregator"/>.</summary>
    private sealed class WithoutSubsetAggregation(ISuite inner) : ISuite
    {
        public string Name => inner.Name;

        public string Mode => inner.Mode;

        public IReadOnlySet<RequestKind> RequiredKinds => inner.RequiredKinds;

        public IReadOnlyList<string> InputFiles => inner.InputFiles;

        public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) => inner.CreateRequests(item);

        public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses) => inner.Score(item, requests, responses);

        public SuiteResult Aggregate(IReadOnlyList<ItemResult> results) => inner.Aggregate(results);
    }
}
