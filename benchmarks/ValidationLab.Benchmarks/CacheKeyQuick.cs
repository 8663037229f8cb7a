using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Store;
using ValidationLab.Store.Tests.CacheKeyIdentity;
using ValidationLab.Suites;
using ValidationLab.Suites.Longitudinal;
using ValidationLab.Suites.MedQA;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Issue 12: the response cache's key per request — CacheKeys.Compute (canonical JSON, SHA-256 of prefix + JSON and
/// of the JSON alone) — as it is now (a hand-written Utf8JsonWriter into a reused byte buffer; and CacheKey alone, which skips the request hash) against the reflection
/// serializer it replaced (a verbatim copy below), interleaved round by round on one thread in one command, over real
/// requests: the MedQA test split (generate and log-likelihood) and the longitudinal fixture's risk requests
/// (features, chat framing). The floor is the two SHA-256 passes alone over precomputed canonical bytes. Checks first
/// that both give the same keys. Reports ns per key (median and best round) and bytes allocated per key.
/// </summary>
public static class CacheKeyQuick
{
    private static readonly RunnerIdentity Identity = new()
    {
        Runner = "openai",
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        Source = "http://127.0.0.1:8080/v1",
        Fingerprint = new string('f', 64),
    };

    public static void Run(TextWriter output, string medqaTestFile, string longitudinalFixture, string longitudinalTask, int rounds)
    {
        var workloads = new List<(string Name, ModelRequest[] Requests)>
        {
            ("MedQA generate", Requests(MedQa(medqaTestFile, "generate"))),
            ("MedQA loglikelihood", Requests(MedQa(medqaTestFile, "loglikelihood"))),
            ("longitudinal risk", Requests(new LongitudinalSuite(longitudinalFixture, new LongitudinalSuiteOptions { TaskPath = longitudinalTask }))),
        };

        var methods = new (string Name, Func<RunnerIdentity, ModelRequest, (string, string)> Compute)[]
        {
            ("reflection serializer (before)", LegacyCacheKeys.Compute),
            ("Utf8JsonWriter (now)", CacheKeys.Compute),
            ("now, key only (CacheKey)", static (i, r) => (CacheKeys.CacheKey(i, r), "")),
        };

        foreach (var (name, requests) in workloads)
        {
            var mismatch = Array.FindIndex(requests, r => LegacyCacheKeys.Compute(Identity, r) != CacheKeys.Compute(Identity, r));
            if (mismatch >= 0)
            {
                throw new InvalidOperationException($"{name}: request {mismatch} keys differently before and now");
            }

            var bytes = requests.Select(r => Encoding.UTF8.GetByteCount(LegacyCacheKeys.CanonicalJson(r))).Order().ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {requests.Length} requests, canonical JSON median {bytes[bytes.Length / 2]:N0} B (max {bytes[^1]:N0} B); keys identical before and now"));
        }

        output.WriteLine();
        foreach (var (name, requests) in workloads)
        {
            // The floor: the two SHA-256 passes every key needs, over bytes serialized beforehand.
            var prefix = Encoding.UTF8.GetBytes(string.Join('\0', "validationlab-cache/1", Identity.Runner, Identity.Model, Identity.Source ?? "", Identity.Fingerprint) + "\0");
            var canonical = requests.Select(r => prefix.Concat(Encoding.UTF8.GetBytes(LegacyCacheKeys.CanonicalJson(r))).ToArray()).ToArray();
            var passes = Math.Max(1, 20_000 / requests.Length);
            var hash = new byte[SHA256.HashSizeInBytes];
            var ns = new List<double>[methods.Length + 1];
            var alloc = new double[methods.Length + 1];
            for (var m = 0; m < ns.Length; m++)
            {
                ns[m] = [];
            }

            for (var round = -2; round < rounds; round++)
            {
                for (var m = 0; m < ns.Length; m++)
                {
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var started = Stopwatch.GetTimestamp();
                    var sink = 0;
                    for (var p = 0; p < passes; p++)
                    {
                        if (m < methods.Length)
                        {
                            var compute = methods[m].Compute;
                            foreach (var request in requests)
                            {
                                sink += compute(Identity, request).Item1.Length;
                            }
                        }
                        else
                        {
                            foreach (var bytes in canonical)
                            {
                                SHA256.HashData(bytes, hash);
                                SHA256.HashData(bytes.AsSpan(prefix.Length), hash);
                                sink += hash[0];
                            }
                        }
                    }

                    var elapsed = Stopwatch.GetElapsedTime(started);
                    if (round >= 0)
                    {
                        var keys = (double)passes * requests.Length;
                        ns[m].Add(elapsed.TotalNanoseconds / keys);
                        alloc[m] += (GC.GetAllocatedBytesForCurrentThread() - allocated) / keys / rounds;
                    }

                    GC.KeepAlive(sink);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} ({passes} × {requests.Length} keys a round, {rounds} interleaved rounds):"));
            for (var m = 0; m < ns.Length; m++)
            {
                var label = m < methods.Length ? methods[m].Name : "floor: 2 × SHA-256 only";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label,-32} median {Median(ns[m]),8:N0} ns/key  best {ns[m].Min(),8:N0}  {alloc[m],8:N0} B allocated/key"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  before/now: {Median(ns[0]) / Median(ns[1]):F2}× faster (best rounds {ns[0].Min() / ns[1].Min():F2}×); serializing alone (minus the floor): {(Median(ns[0]) - Median(ns[^1])) / (Median(ns[1]) - Median(ns[^1])):F2}× faster, now {Median(ns[1]) - Median(ns[^1]):N0} ns/key"));
        }
    }

    private static ISuite MedQa(string path, string mode) => new MedQaSuiteFactory().Create(new SuiteSettings
    {
        Name = "medqa",
        DataPath = path,
        Options = new Dictionary<string, string>(StringComparer.Ordinal) { [MedQaOptionKeys.Mode] = mode },
    });

    private static ModelRequest[] Requests(ISuite suite) =>
        suite.LoadAsync(CancellationToken.None).GetAwaiter().GetResult().SelectMany(suite.CreateRequests).ToArray();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
