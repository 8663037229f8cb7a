using System.Diagnostics;
using System.Globalization;
using ValidationLab.Configuration;
using ValidationLab.Errors;
using ValidationLab.Items;
using ValidationLab.Output;
using ValidationLab.Discovery;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Pipeline;

/// <summary>
/// Runs a configuration end to end: validate everything, load every suite, plan every request, call the model and
/// score chunk by chunk, aggregate and write. All checks that can fail on the user's input happen before the first
/// model call; a failing request becomes an errored item and the run goes on; output appears only when complete.
/// </summary>
public sealed class EvaluationPipeline(PluginCatalog registry)
{
    public async Task<RunOutcome> RunAsync(EvalConfig config, PipelineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var progress = options.Progress;
        var started = options.Clock.GetUtcNow();

        // 0. The results folder must be writable (and not hold another run, unless --overwrite) before any work.
        RunWriter.CheckDestination(config.OutDirectory is { } requestedOut ? Path.GetFullPath(requestedOut) : Path.GetFullPath("runs"),
            config.Run.Overwrite || config.OutDirectory is null);

        // 1. Build and check every part before touching data. Every plug-in is created with the one run context.
        var runnerFactory = registry.Runner(config.Runner.Name, config.Runner.Origin, config.Runner.Line);
        var suites = config.Suites.Select(s => Create(s with { Run = config.Run }, settings => registry.Suite(s.Name, s.Origin, s.Line).Create(settings))).ToList();
        var runnerSettings = config.Runner with { Observer = progress, Run = config.Run };
        IModelRunner runner = Create(runnerSettings, runnerFactory.Create);
        try
        {
            return await RunWithRunnerAsync(config, options, runnerFactory, suites, runner, started, binding => runner = binding.Runner, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The outermost runner owns the ones it wraps.
            await runner.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RunOutcome> RunWithRunnerAsync(
        EvalConfig config,
        PipelineOptions options,
        IRunnerFactory runnerFactory,
        List<ISuite> suites,
        IModelRunner runner,
        DateTimeOffset started,
        Action<RunBinding> bound,
        CancellationToken cancellationToken)
    {
        var progress = options.Progress;
        foreach (var suite in suites)
        {
            var missing = suite.RequiredKinds.Where(k => !runner.SupportedKinds.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                throw new InputException(
                    $"runner '{runnerFactory.Name}' cannot answer {string.Join(", ", missing.Select(Kind))} requests, which suite '{suite.Name}' needs in mode '{suite.Mode}' (it answers {string.Join(", ", runner.SupportedKinds.Select(Kind))})",
                    config.Runner.Origin, field: "runner");
            }
        }

        // 2. Load every suite (fail fast on the first bad file) and plan every request.
        var plans = new List<SuitePlan>();
        foreach (var suite in suites)
        {
            progress.Phase($"loading {suite.Name}");
            // A streaming suite gives its index (ids, clusters, strata; no payload): limit, sample, shard and the slice
            // validator read only that, and the items themselves are read chunk by chunk when they are answered.
            var loaded = suite is IStreamingSuite streaming
                ? await streaming.IndexAsync(cancellationToken).ConfigureAwait(false)
                : await suite.LoadAsync(cancellationToken).ConfigureAwait(false);
            plans.Add(SuitePlan.Build(suite, ItemShard.Apply(ItemLimit.Apply(loaded, suite.Name, config.Run), suite.Name, config.Run)));
        }

        // Issue 9 hook: slices over attributes no item has, or groupings leaving values unmapped, stop the run here.
        if (config.Slices is { } sliceSettings)
        {
            Analysis.Slicing.SliceValidator.Check(sliceSettings, plans.Select(p => (p.Suite.Name, p.Items)).ToList());
        }

        var plannedRequests = new PlannedRequests(plans, cancellationToken);

        // 3. Everything the user gave is valid: bind the runner to its hosting (cache, run id), then prepare it.
        var binding = options.Bind?.Invoke(runner, runnerFactory) ?? new RunBinding(runner, NewRunId(started), false);
        bound(binding);
        runner = binding.Runner;
        var runId = binding.RunId;
        var outDir = Path.GetFullPath(config.OutDirectory ?? Path.Combine("runs", runId));
        RunWriter.CheckDestination(outDir, config.Run.Overwrite);
        var warnings = new List<string>();
        foreach (var warning in await runner.PrepareAsync(plannedRequests, cancellationToken).ConfigureAwait(false))
        {
            warnings.Add(warning);
            progress.Warning(warning);
        }

        var dataFiles = HashInputs(suites, runner.Identity, config.PathsAsGiven);

        // 4. Call the model and score, chunk by chunk: a chunk's requests are built, answered (responses land in plan
        // order whatever order they finish in), scored, and let go; item results are kept. Memory follows the chunk
        // size and the concurrency, not the number of items. Only what accounting needs of each response is kept.
        // A streaming suite's items are read as their chunk comes, and its results are staged on disk as they are
        // scored: only what aggregation reads stays in memory (see Compact).
        var chunkRequests = Math.Max(options.ChunkRequests, 4 * Math.Max(1, runner.MaxConcurrency));
        var accounted = new List<ModelResponse>(plannedRequests.Count);
        var scoredBySuite = new List<List<ItemResult>>();
        var written = new List<IReadOnlyList<ItemResult>>();
        ItemStage? stage = null;
        try
        {
            var clock = Stopwatch.StartNew();
            progress.RequestsStarted(plannedRequests.Count);
            foreach (var plan in plans)
            {
                var scored = new List<ItemResult>(plan.Items.Count);
                if (plan.Streaming is not null)
                {
                    stage ??= new ItemStage(StagePath(outDir, runId));
                }

                var stagedFrom = plan.Streaming is null ? 0 : stage!.Position;
                using var cursor = plan.Cursor(cancellationToken);
                for (var from = 0; from < plan.Items.Count;)
                {
                    var to = plan.ChunkEnd(from, chunkRequests);
                    var chunk = SuitePlan.Read(cursor, from, to);
                    var requests = plan.Chunk(from, to, chunk);
                    var responses = new ModelResponse[requests.Length];
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, requests.Length),
                        new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, runner.MaxConcurrency), CancellationToken = cancellationToken },
                        async (i, ct) =>
                        {
                            var response = await Execute(runner, requests[i], ct).ConfigureAwait(false);
                            responses[i] = response;
                            progress.RequestCompleted(response);
                        }).ConfigureAwait(false);
                    for (var i = from; i < to; i++)
                    {
                        var first = plan.Starts[i] - plan.Starts[from];
                        var n = plan.Starts[i + 1] - plan.Starts[i];
                        var result = plan.Suite.Score(chunk[i - from], new ArraySegment<ModelRequest>(requests, first, n), responses.AsSpan(first, n).ToArray());
                        if (plan.Streaming is null)
                        {
                            scored.Add(result);
                        }
                        else
                        {
                            stage!.Add(result);
                            scored.Add(Compact(result, plan.Items[i]));
                        }
                    }

                    accounted.AddRange(responses.Select(Accountable));
                    from = to;
                }

                scoredBySuite.Add(scored);
                written.Add(plan.Streaming is null ? scored : stage!.Read(stagedFrom, scored.Count));
            }

            progress.RequestsFinished();
            var wall = clock.Elapsed;
            return await FinishAsync(config, options, plans, scoredBySuite, written, accounted, warnings, dataFiles, runner, binding, runId, outDir, started, wall, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The staged items were read back into the run's own files (or the run failed): the file goes either way.
            stage?.Dispose();
        }
    }

    private static async Task<RunOutcome> FinishAsync(
        EvalConfig config,
        PipelineOptions options,
        List<SuitePlan> plans,
        List<List<ItemResult>> scoredBySuite,
        List<IReadOnlyList<ItemResult>> written,
        List<ModelResponse> accounted,
        List<string> warnings,
        SortedDictionary<string, string> dataFiles,
        IModelRunner runner,
        RunBinding binding,
        string runId,
        string outDir,
        DateTimeOffset started,
        TimeSpan wall,
        CancellationToken cancellationToken)
    {
        var progress = options.Progress;
        // 5. Aggregate, suite by suite, in load order.
        progress.Phase("scoring");
        var items = new List<ItemResult>();
        var suiteResults = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal);
        var sliceInputs = new List<Analysis.Slicing.SliceInput>();
        for (var p = 0; p < plans.Count; p++)
        {
            var plan = plans[p];
            var scored = scoredBySuite[p];
            items.AddRange(scored);
            suiteResults[plan.Suite.Name] = plan.Suite.Aggregate(scored);
            sliceInputs.Add(new Analysis.Slicing.SliceInput(plan.Suite, scored, suiteResults[plan.Suite.Name]));
        }

        // Issue 9 hook: the slicing stage, on every suite's items with the suite's own metrics.
        Results.Slices.SliceReport? slices = null;
        if (config.Slices is { } sliceConfig)
        {
            progress.Phase("slicing");
            slices = Analysis.Slicing.SliceAnalyzer.Analyze(sliceConfig, sliceInputs, config.Seed);
            foreach (var line in Analysis.Slicing.SliceConsole.Lines(slices))
            {
                progress.Warning(line);
            }
        }

        var errored = items.Count(i => i.Status == ItemStatus.Errored);
        if (errored > 0)
        {
            warnings.Add($"{errored} of {items.Count} item(s) errored (no answer); they are excluded from accuracy, not scored as wrong");
        }

        string? failure = null;
        if (errored == items.Count)
        {
            // Nothing rests on any answer: every metric is absent. That is a failed run whatever max_error_rate says.
            var first = items.FirstOrDefault(i => i.Error is not null)?.Error;
            failure = $"no item could be scored: {(items.Count == 0 ? "no item was evaluated" : $"all {items.Count} items errored")}{(first is null ? "" : $" (first error: {first})")}";
            warnings.Add(failure);
        }
        else if (config.MaxErrorRate is { } limit && (double)errored / items.Count > limit)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"{errored} of {items.Count} items errored ({(double)errored / items.Count:P1}), above max_error_rate {limit:P1}");
            warnings.Add(failure);
        }

        var result = new RunResult
        {
            Manifest = new RunManifest
            {
                RunId = runId,
                StartedUtc = started,
                FinishedUtc = options.Clock.GetUtcNow(),
                HarnessVersion = HarnessInfo.Version,
                HarnessCommit = HarnessInfo.Commit,
                HarnessTreeModified = HarnessInfo.TreeModified,
                ConfigSha256 = config.ConfigSha256,
                DataFiles = dataFiles,
                Runner = runner.Identity,
                Seed = config.Run.Seed,
                Limit = ManifestLimit.From(config.Run),
                Resumed = binding.Resumed,
                Shard = config.Run.Shard is { } shard ? new ManifestShard(shard.Index, shard.Count, config.EvaluationSha256) : null,
            },
            Suites = suiteResults,
            Accounting = RunAccountant.Account(accounted, (runner as IRunnerStatistics)?.GetCounters(), items.Count, wall),
            Warnings = warnings,
            Slices = slices,
        };

        // 6. Write everything to a temporary folder, then move it into place. Streamed suites' items are read back
        // from the stage by each exporter; afterwards the run's items are those of its own items.jsonl.
        progress.Phase("writing results");
        var streamed = plans.Any(p => p.Streaming is not null);
        var exported = streamed ? new ItemSegments(written) : (IReadOnlyList<ItemResult>)items;
        await RunWriter.WriteAsync(outDir, result, exported, [new ConfigYamlExporter(config.EffectiveYaml), .. options.Exporters], progress.Warning, cancellationToken).ConfigureAwait(false);
        return new RunOutcome(result, streamed ? new JsonlItemList(Path.Combine(outDir, "items.jsonl"), 0, items.Count) : items, outDir, failure);
    }

    /// <summary>
    /// What accounting reads of a response (whether it errored, its latency, its usage), kept for every request of
    /// the run: not its text, its item's id (a copy per request when items are read chunk by chunk) or its method.
    /// </summary>
    private static ModelResponse Accountable(ModelResponse r) =>
        r with { Suite = "", ItemId = "", RequestId = "", Text = null, LogLikelihoods = null, Method = null };

    /// <summary>
    /// What aggregation and slicing read of a streamed item's result: its verdict, score, label, time and strata,
    /// not the rendered input, the model's output or the explanation (those are in the staged file). The index's
    /// id, cluster and strata are shared when equal, so that they are held once.
    /// </summary>
    private static ItemResult Compact(ItemResult result, EvalItem indexed) => result with
    {
        ItemId = string.Equals(result.ItemId, indexed.Id, StringComparison.Ordinal) ? indexed.Id : result.ItemId,
        ClusterId = string.Equals(result.ClusterId, indexed.ClusterId, StringComparison.Ordinal) ? indexed.ClusterId : result.ClusterId,
        Strata = SameStrata(result.Strata, indexed.Strata) ? indexed.Strata : result.Strata,
        PromptHash = null,
        Input = null,
        Response = null,
        Explanation = "",
    };

    private static bool SameStrata(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal)));

    /// <summary>
    /// A hidden file where <see cref="RunWriter"/> puts its temporary folder, so in a place already checked writable:
    /// inside the results folder when it exists (--overwrite, or an empty folder), beside it when it is new.
    /// </summary>
    private static string StagePath(string outDir, string runId)
    {
        if (Directory.Exists(outDir))
        {
            return Path.Combine(outDir, $".validationlab-items-{runId}.jsonl");
        }

        var parent = Path.GetDirectoryName(outDir)!;
        Directory.CreateDirectory(parent);
        return Path.Combine(parent, $".{Path.GetFileName(outDir)}.items-{runId}.jsonl");
    }

    /// <summary>A run id that sorts by time and does not collide: 20261121-213000-1a2b3c.</summary>
    public static string NewRunId(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyyMMdd-HHmmss}-{Random.Shared.Next(0, 0xFFFFFF):x6}");

    private static async Task<ModelResponse> Execute(IModelRunner runner, ModelRequest request, CancellationToken ct)
    {
        try
        {
            return await runner.ExecuteAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A runner should return errors, not throw them; if one throws anyway, the item still errors, the run goes on.
            return ModelResponse.Failed(request, "runner_exception", $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Create a plug-in; a mistake it finds in its settings is reported at the line of the offending key when the
    /// settings came from a config file (plug-ins name the key, the configuration knows the line).
    /// </summary>
    private static T Create<TSettings, T>(TSettings settings, Func<TSettings, T> create)
        where TSettings : PluginSettings
    {
        try
        {
            return create(settings);
        }
        catch (InputException ex) when (ex.Line is null && ex.File == settings.Origin)
        {
            throw new InputException(ex.Message, ex.File,
                ex.Field is { } field && settings.OptionLines.TryGetValue(field, out var line) ? line : settings.Line, ex.Field, ex);
        }
    }

    private static SortedDictionary<string, string> HashInputs(IEnumerable<ISuite> suites, RunnerIdentity identity, IReadOnlyDictionary<string, string> asGiven)
    {
        var files = suites.SelectMany(s => s.InputFiles).ToList();
        if (identity.Source is { } source && File.Exists(source))
        {
            files.Add(source);
        }

        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            hashes[asGiven.TryGetValue(file, out var given) ? given : BundledName(file) ?? file] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }

        return hashes;
    }

    /// <summary>
    /// A bundled fixture (a suite's own task definitions, the files inside a default data folder) is read from the
    /// build output's copy of the repository's fixtures/ folder; the manifest names it as the repository file.
    /// </summary>
    private static string? BundledName(string file)
    {
        var bundled = Path.Combine(AppContext.BaseDirectory, "fixtures") + Path.DirectorySeparatorChar;
        return file.StartsWith(bundled, StringComparison.Ordinal)
            ? "fixtures/" + file[bundled.Length..].Replace(Path.DirectorySeparatorChar, '/')
            : null;
    }

    private static string Kind(RequestKind kind) => kind switch
    {
        RequestKind.LogLikelihood => "loglikelihood",
        RequestKind.Generate => "generate",
        RequestKind.Risk => "risk",
        _ => kind.ToString(),
    };
}
