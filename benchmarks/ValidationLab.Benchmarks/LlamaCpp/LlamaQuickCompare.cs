using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.LlamaCpp;

namespace ValidationLab.Benchmarks;

/// <summary>
/// <c>llama-quick [model] [threads] [batch] [all|prompt|mc|generate]</c>: the llamacpp runner measured against references in the same
/// command, rounds interleaved so that a machine changing speed mid-run hits both sides alike.
/// 1. Prompt tokens/s against node-llama-cpp (same prebuilt libraries, model, threads, batch size).
/// 2. 4-option multiple choice: shared-prefix scoring and scoring each option from scratch, as multiples of
///    evaluating the question alone (letters " A".." D", and the options' full texts).
/// 3. MedQA generate items/s at parallel sequences 1, 4 and 8.
/// </summary>
internal static class LlamaQuickCompare
{
    public static void Run(TextWriter output, string[] args)
    {
        var root = RepoRoot();
        var model = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "models", "llama-2-tiny-random.gguf"));
        var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 512;
        var fixture = Path.Combine(root, "fixtures", "medqa", "medqa-fixture.jsonl");
        var questions = File.ReadAllLines(fixture).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        output.WriteLine($"model {model}, threads {threads}, batch {batch}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var only = args.Length > 3 ? args[3] : "all";
        if (only is "all" or "prompt")
        {
            PromptThroughput(output, root, model, threads, batch, questions).GetAwaiter().GetResult();
        }

        if (only is "all" or "mc")
        {
            MultipleChoice(output, model, threads, batch, questions).GetAwaiter().GetResult();
        }

        if (only is "all" or "generate")
        {
            GenerateItemsPerSecond(output, model, threads, batch, questions).GetAwaiter().GetResult();
        }
    }

    private static async Task PromptThroughput(TextWriter output, string root, string model, int threads, int batch, List<JsonObject> questions)
    {
        // A ~1,500-token prompt: the fixture's questions back to back.
        var text = new StringBuilder();
        foreach (var q in questions)
        {
            text.Append(Lm(q)).Append("\n\n");
            if (text.Length > 6000)
            {
                break;
            }
        }

        var promptFile = Path.Combine(Path.GetTempPath(), $"vl-llama-prompt-{Environment.ProcessId}.txt");
        await File.WriteAllTextAsync(promptFile, text.ToString());
        var nodeDir = Path.Combine(root, "benchmarks", "ValidationLab.Benchmarks", "LlamaCpp", "node");
        EnsureNodeReference(output, nodeDir);

        // The same context size as the node script (2048): attention runs over the whole KV cache.
        await using var runner = Runner(model, threads, batch, parallel: 1, contextSize: 2048);
        var tokens = await runner.TokenizeForBenchmarksAsync(text.ToString(), CancellationToken.None);
        int[][] one = [[tokens[^1]]];
        const int Reps = 9;
        var ours = new List<double>();
        var theirs = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < Reps; i++)
            {
                var clock = Stopwatch.StartNew();
                await runner.ScoreTokensForBenchmarksAsync(tokens, one, sharedPrefix: true, CancellationToken.None);
                ours.Add(tokens.Length / clock.Elapsed.TotalSeconds);
            }

            var node = Node(nodeDir, model, threads, batch, promptFile, Reps);
            theirs.AddRange(node.Seconds.Select(s => node.Tokens / s));
        }

        File.Delete(promptFile);
        var (o, t) = (Median(ours.Skip(1)), Median(theirs.Skip(1)));
        output.WriteLine();
        output.WriteLine($"1. prompt evaluation, {tokens.Length} tokens, median of {ours.Count - 1} evaluations each (interleaved in 5 rounds)");
        output.WriteLine($"   llamacpp runner  {o,10:N0} tokens/s");
        output.WriteLine($"   node-llama-cpp   {t,10:N0} tokens/s");
        output.WriteLine($"   ratio            {o / t,10:P1}");
    }

    private static async Task MultipleChoice(TextWriter output, string model, int threads, int batch, List<JsonObject> questions)
    {
        await using var runner = Runner(model, threads, batch, parallel: 1);
        var items = new List<(int[] Context, int[][] Letters, int[][] Texts)>();
        foreach (var q in questions)
        {
            var context = Lm(q);
            var options = q["options"]!.AsObject();
            items.Add((
                await runner.TokenizeForBenchmarksAsync(context, CancellationToken.None),
                await runner.ContinuationsForBenchmarksAsync(context, [.. options.Select(o => " " + o.Key)], CancellationToken.None),
                await runner.ContinuationsForBenchmarksAsync(context, [.. options.Select(o => " " + o.Value!.GetValue<string>())], CancellationToken.None)));
        }

        // Wall time and tokens evaluated, per method, summed over the items. "one call" scores the four options
        // from scratch as four sequences of one decode call; "four requests" as four requests one after the other,
        // as lm-evaluation-harness sends them (one context + continuation per request).
        var sums = new Dictionary<string, (double Seconds, long Tokens)>(StringComparer.Ordinal);
        async Task Measure(string name, int[] context, int[][] continuations, bool shared, bool oneByOne = false)
        {
            var clock = Stopwatch.StartNew();
            long tokens = 0;
            if (oneByOne)
            {
                foreach (var c in continuations)
                {
                    tokens += (await runner.ScoreTokensForBenchmarksAsync(context, [c], false, CancellationToken.None)).EvaluatedTokens;
                }
            }
            else
            {
                tokens = (await runner.ScoreTokensForBenchmarksAsync(context, continuations, shared, CancellationToken.None)).EvaluatedTokens;
            }

            var s = sums.GetValueOrDefault(name);
            sums[name] = (s.Seconds + clock.Elapsed.TotalSeconds, s.Tokens + tokens);
        }

        foreach (var (context, letters, texts) in items)
        {
            await Measure("alone", context, [[context[^1]]], true);
            await Measure("letters shared prefix", context, letters, true);
            await Measure("letters from scratch, one call", context, letters, false);
            await Measure("letters from scratch, four requests", context, letters, false, oneByOne: true);
            await Measure("texts shared prefix", context, texts, true);
            await Measure("texts from scratch, one call", context, texts, false);
            await Measure("texts from scratch, four requests", context, texts, false, oneByOne: true);
        }

        var (aSeconds, aTokens) = sums["alone"];
        output.WriteLine();
        output.WriteLine($"2. 4-option multiple choice, {items.Count} MedQA fixture questions (mean context {items.Average(i => i.Context.Length):N0} tokens, option texts {items.Average(i => i.Texts.Average(t => t.Length)):N1} tokens), relative to evaluating the question alone ({aSeconds * 1000 / items.Count:N1} ms per question)");
        foreach (var (name, (seconds, tokens)) in sums.Where(kv => kv.Key != "alone"))
        {
            output.WriteLine($"   {name,-38} time {seconds / aSeconds,5:N2}x   tokens evaluated {(double)tokens / aTokens,5:N2}x");
        }
    }

    private static async Task GenerateItemsPerSecond(TextWriter output, string model, int threads, int batch, List<JsonObject> questions)
    {
        const int MaxTokens = 64;
        output.WriteLine();
        output.WriteLine($"3. MedQA generate, {questions.Count} fixture items, greedy, max_tokens {MaxTokens}, requests issued like the pipeline (up to 2 x parallel in flight)");
        double? baseline = null;
        foreach (var parallel in new[] { 1, 4, 8 })
        {
            await using var runner = Runner(model, threads, batch, parallel);
            var requests = questions.Select((q, i) => (ModelRequest)new GenerateRequest
            {
                Suite = "medqa",
                ItemId = i.ToString(CultureInfo.InvariantCulture),
                Messages = [new ChatMessage("system", "You are a medical expert answering multiple-choice questions from the USMLE. Choose the single best option."), new ChatMessage("user", Chat(q))],
                Decoding = DecodingParameters.Greedy with { MaxTokens = MaxTokens },
            }).ToList();
            await runner.PrepareAsync(requests, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var completion = 0;
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = runner.MaxConcurrency }, async (r, ct) =>
            {
                var response = await runner.ExecuteAsync(r, ct);
                Interlocked.Add(ref completion, response.Usage?.CompletionTokens ?? 0);
            });
            var seconds = clock.Elapsed.TotalSeconds;
            var rate = requests.Count / seconds;
            baseline ??= rate;
            output.WriteLine($"   parallel {parallel}: {rate,7:N2} items/s  {completion / seconds,8:N0} generated tokens/s  {runner.DecodeCalls,5} decode calls  ({rate / baseline:N2}x parallel 1)");
        }
    }

    private static LlamaCppRunner Runner(string model, int threads, int batch, int parallel, int contextSize = 8192) =>
        (LlamaCppRunner)new LlamaCppRunnerFactory().Create(new RunnerSettings
        {
            Name = "llamacpp",
            Options = new Dictionary<string, string>
            {
                ["model"] = model,
                ["threads"] = threads.ToString(CultureInfo.InvariantCulture),
                ["batch_size"] = batch.ToString(CultureInfo.InvariantCulture),
                ["parallel"] = parallel.ToString(CultureInfo.InvariantCulture),
                ["context_size"] = contextSize.ToString(CultureInfo.InvariantCulture),
            },
        });

    private static string Lm(JsonObject q)
    {
        var sb = new StringBuilder("Question: ").Append(q["question"]!.GetValue<string>().Trim()).Append('\n');
        foreach (var (label, text) in q["options"]!.AsObject())
        {
            sb.Append(label).Append(". ").Append(text!.GetValue<string>().Trim()).Append('\n');
        }

        return sb.Append("Answer:").ToString();
    }

    private static string Chat(JsonObject q) =>
        Lm(q)[..^"Answer:".Length].Replace("Question: ", "", StringComparison.Ordinal)
        + "\nAnswer with the letter of the single best option. You may reason briefly first, then end your reply with \"The answer is (X)\", where X is the letter of your choice.";

    private static async Task<double> Time(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static (int Tokens, double[] Seconds) Node(string dir, string model, int threads, int batch, string promptFile, int reps)
    {
        var psi = new ProcessStartInfo("node", ["prompt-eval.mjs", model, threads.ToString(CultureInfo.InvariantCulture), batch.ToString(CultureInfo.InvariantCulture), promptFile, reps.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"node-llama-cpp reference failed (exit {process.ExitCode}): {stderr}");
        var json = JsonNode.Parse(line)!;
        return (json["tokens"]!.GetValue<int>(), json["seconds"]!.AsArray().Select(s => s!.GetValue<double>()).ToArray());
    }

    private static void EnsureNodeReference(TextWriter output, string dir)
    {
        if (Directory.Exists(Path.Combine(dir, "node_modules", "node-llama-cpp")))
        {
            return;
        }

        output.WriteLine($"installing node-llama-cpp into {dir} (npm install --omit=optional --ignore-scripts; git-ignored)");
        using var process = Process.Start(new ProcessStartInfo("npm", ["install", "--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]) { WorkingDirectory = dir })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("npm install of the node-llama-cpp reference failed");
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ValidationLab.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
