using ValidationLab.Errors;
using ValidationLab.Runners;
using ValidationLab.Runners.Baseline;

[assembly: RunnerFactory(typeof(BaselineRunnerFactory))]

namespace ValidationLab.Runners.Baseline;

/// <summary>
/// Deterministic reference models that run offline. They are floors to beat, not clinical models: a suite's
/// result on a baseline says what chance or a shallow heuristic scores on that data.
/// </summary>
public sealed class BaselineRunnerFactory : IRunnerFactory
{
    /// <summary>The baselines and what each one does.</summary>
    public static IReadOnlyDictionary<string, string> Models { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["lexical-overlap"] = "picks the option sharing most words with the question (ties: first option)",
        ["first-option"] = "always picks the first option (a position-bias floor)",
        ["random"] = "picks an option uniformly at random, seeded by run seed and item id (the chance floor)",
    };

    public string Name => "baseline";

    public string Description => "deterministic floors (lexical-overlap, first-option, random) and published risk scores (risk_feature: news2, qsofa, ...); offline";

    public IReadOnlyCollection<string> OptionKeys { get; } = ["model", "risk_feature"];

    public bool CachesResponses => false;

    public IModelRunner Create(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var model = settings.Get("model", "lexical-overlap")!;
        if (!Models.ContainsKey(model))
        {
            throw new InputException($"unknown baseline model '{model}' (known: {string.Join(", ", Models.Keys)})", settings.Origin, field: "model");
        }

        var riskFeature = settings.Get("risk_feature", "news2")!;
        if (!RiskFeatureScale.Scales.ContainsKey(riskFeature))
        {
            throw new InputException($"unknown risk feature '{riskFeature}' (known: {RiskFeatureScale.Describe()})", settings.Origin, field: "risk_feature");
        }

        return new BaselineRunner(model, settings.Seed, riskFeature);
    }
}
