using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>; or
/// <c>endpoint-quick [server delay ms] [concurrency]</c> for the interleaved endpoint comparison (immune to the
/// machine changing speed mid-run); a delay stands in for model time; or <c>slicing-quick [medqa test.jsonl]</c>
/// for the slicing stage's share of a 50,000-item run's scoring and aggregation; or <c>report-quick [small] [large] [rounds]</c>:
/// report rendering against JSON, and Chromium opening and filtering the report, large against small; or
/// <c>store-quick [items] [rounds]</c>: the PostgreSQL registry's write of a run against a bare COPY of its rows.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["endpoint-quick", .. var rest])
        {
            var delayMs = rest.Length > 0 ? double.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            var concurrency = rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 16;
            EndpointQuickCompare.Run(Console.Out, concurrency, requests: 2000, rounds: delayMs > 0 ? 7 : 21, TimeSpan.FromMilliseconds(delayMs));
            return;
        }

        if (args is ["slicing-quick", .. var sliceArgs])
        {
            // Issue 9: slicing's cost against scoring+aggregation of a 50,000-item run, both timed in this command.
            var medqa = sliceArgs.Length > 0 ? sliceArgs[0] : Path.Combine("..", "shared", "data", "medqa", "test.jsonl");
            SlicingQuickCompare.Run(Console.Out, medqa);
            return;
        }

        if (args is ["longitudinal-replay", .. var lr])
        {
            LongitudinalReplayBenchmark.Run(Console.Out, lr.Length > 0 ? int.Parse(lr[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000, lr.Length > 1 ? int.Parse(lr[1], System.Globalization.CultureInfo.InvariantCulture) : 7, lr.Length > 2 ? int.Parse(lr[2], System.Globalization.CultureInfo.InvariantCulture) : 3, lr.Length > 3 && lr[3] == "breakdown");
            return;
        }

        if (args is ["longitudinal-fixture", var fixtureFolder])
        {
            LongitudinalReplayBenchmark.WriteFixture(fixtureFolder);
            return;
        }

        if (args is ["longitudinal-cohort", var cohortFolder, .. var cohortArgs])
        {
            // A seeded ward cohort (seed 7, as longitudinal-replay) kept on disk, for measuring the real `run` on it.
            LongitudinalReplayBenchmark.WriteCohort(cohortFolder, cohortArgs.Length > 0 ? int.Parse(cohortArgs[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000, cohortArgs.Length > 1 ? int.Parse(cohortArgs[1], System.Globalization.CultureInfo.InvariantCulture) : 7);
            return;
        }

        if (args is ["longitudinal-run-quick", .. var rq])
        {
            // Issue 8: the real pipeline (validationlab run's) on a generated cohort, against the parse floor.
            LongitudinalRunQuick.RunAsync(Console.Out, rq.Length > 0 ? int.Parse(rq[0], System.Globalization.CultureInfo.InvariantCulture) : 2_000, rq.Length > 1 ? int.Parse(rq[1], System.Globalization.CultureInfo.InvariantCulture) : 7, rq.Contains("report")).GetAwaiter().GetResult();
            return;
        }

        if (args is ["llama-quick", .. var llamaArgs])
        {
            LlamaQuickCompare.Run(Console.Out, llamaArgs);
            return;
        }

        if (args is ["cache-put-quick", .. var putArgs])
        {
            int Arg(int i, int fallback) => putArgs.Length > i ? int.Parse(putArgs[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            CachePutQuick.Run(Console.Out, Arg(0, 16), Arg(1, 5000), Arg(2, 9));
            return;
        }

        if (args is ["store-quick", .. var storeArgs])
        {
            // Issue 12: the PostgreSQL registry's write of a 50,000-item run against a bare binary COPY of the same rows.
            var connection = Environment.GetEnvironmentVariable("VALIDATIONLAB_TEST_POSTGRES")
                ?? throw new InvalidOperationException("store-quick needs VALIDATIONLAB_TEST_POSTGRES (eval \"$(bash .ci/postgres.sh start)\")");
            int Arg(int i, int fallback) => storeArgs.Length > i ? int.Parse(storeArgs[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            StoreQuickCompare.Run(Console.Out, connection, Arg(0, 50_000), Arg(1, 7));
            return;
        }

        if (args is ["cachekey-quick", .. var keyArgs])
        {
            // Issue 12: the cache key per request, hand-written canonical JSON against the reflection serializer it replaced.
            CacheKeyQuick.Run(Console.Out, keyArgs.Length > 0 ? keyArgs[0] : Path.Combine("..", "shared", "data", "medqa", "test.jsonl"),
                Path.Combine("fixtures", "longitudinal", "generated-ward"), Path.Combine("fixtures", "longitudinal", "tasks", "generated-deterioration-24h.yaml"),
                keyArgs.Length > 1 ? int.Parse(keyArgs[1], System.Globalization.CultureInfo.InvariantCulture) : 15);
            return;
        }

        if (args is ["report-quick", .. var sizes])
        {
            int At(int i, int fallback) => sizes.Length > i ? int.Parse(sizes[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            ReportOpenQuick.RunAsync(Console.Out, At(0, 1_000), At(1, 50_000), At(2, 5)).GetAwaiter().GetResult();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
