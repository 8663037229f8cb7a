using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Suites;
using ValidationLab.Suites.Longitudinal;
using ValidationLab.Suites.MedQA;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// The requests real suites build — MedQA in both modes, with k-shot exemplars and the sex-swap probe, and the
/// longitudinal suite's risk and generate requests (features, chat framing) — key exactly as before the hand-written
/// writer, on the repository's fixtures and on the shared real data.
/// </summary>
public sealed class RealRequestKeyTests
{
    private static readonly RunnerIdentity Identity = new()
    {
        Runner = "openai",
        Model = "meta-llama/Llama-3.1-8B-Instruct",
        Source = "http://127.0.0.1:8080/v1",
        Fingerprint = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
    };

    private static string Fixture(params string[] parts) => Path.Combine([TestRepository.Root, "fixtures", .. parts]);

    public static TheoryData<string, string> MedQaModes() => new()
    {
        { "generate", "0" },
        { "loglikelihood", "0" },
        { "generate", "3" },
        { "loglikelihood", "2" },
        { "generate+probe", "0" },
    };

    [Theory]
    [MemberData(nameof(MedQaModes))]
    public async Task MedQa_fixture_requests_key_as_before(string mode, string shots)
    {
        var count = await AssertSuite(MedQa(Fixture("medqa", "medqa-fixture.jsonl"), mode, shots));
        Assert.True(count >= 40, $"only {count} requests");
    }

    [RealDataFact("medqa/test.jsonl")]
    public async Task MedQa_test_split_requests_key_as_before()
    {
        var path = Path.Combine(TestRepository.SharedData, "medqa", "test.jsonl");
        Assert.Equal(1273, await AssertSuite(MedQa(path, "generate", "0")));
        Assert.Equal(1273, await AssertSuite(MedQa(path, "loglikelihood", "0")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Longitudinal_fixture_requests_key_as_before(bool generate)
    {
        var suite = new LongitudinalSuite(Fixture("longitudinal", "generated-ward"), new LongitudinalSuiteOptions
        {
            TaskPath = Fixture("longitudinal", "tasks", "generated-deterioration-24h.yaml"),
            Generate = generate,
        });
        var kinds = new HashSet<Type>();
        var count = await AssertSuite(suite, kinds.Add);
        Assert.True(count > 0);
        Assert.Equal(generate ? typeof(GenerateRequest) : typeof(RiskRequest), Assert.Single(kinds));
    }

    [RealDataFact("mimic3_demo")]
    public async Task Longitudinal_mimic3_demo_risk_requests_key_as_before()
    {
        var suite = new LongitudinalSuite(Path.Combine(TestRepository.SharedData, "mimic3_demo"), new LongitudinalSuiteOptions
        {
            TaskPath = Fixture("longitudinal", "tasks", "mimic3-mortality-48h.yaml"),
        });
        Assert.True(await AssertSuite(suite) > 0);
    }

    private static ISuite MedQa(string path, string mode, string shots)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal) { [MedQaOptionKeys.Mode] = mode.Replace("+probe", "", StringComparison.Ordinal), [MedQaOptionKeys.Shots] = shots };
        if (shots != "0")
        {
            options[MedQaOptionKeys.Exemplars] = Fixture("medqa", "exemplars.jsonl");
        }

        if (mode.EndsWith("+probe", StringComparison.Ordinal))
        {
            options[MedQaOptionKeys.Probe] = "sex_swap";
        }

        return new MedQaSuiteFactory().Create(new SuiteSettings
        {
            Name = "medqa",
            DataPath = path,
            Options = options,
            Run = new ValidationLab.Configuration.RunContext { Seed = 11 },
        });
    }

    /// <summary>Every request of every item: canonical JSON, request hash and cache key, new against old. Returns the count.</summary>
    private static async Task<int> AssertSuite(ISuite suite, Func<Type, bool>? seen = null)
    {
        var items = await suite.LoadAsync(CancellationToken.None);
        var count = 0;
        foreach (var item in items)
        {
            foreach (var request in suite.CreateRequests(item))
            {
                seen?.Invoke(request.GetType());
                var where = $"{item.Id}/{request.RequestId}";
                Assert.True(LegacyCacheKeys.CanonicalJson(request) == RequestHasher.CanonicalJson(request), $"{where}: canonical JSON differs");
                Assert.True(LegacyCacheKeys.Hash(request) == RequestHasher.Hash(request), $"{where}: request hash differs");
                Assert.True(LegacyCacheKeys.Compute(Identity, request) == CacheKeys.Compute(Identity, request), $"{where}: cache key differs");
                count++;
            }
        }

        return count;
    }
}
