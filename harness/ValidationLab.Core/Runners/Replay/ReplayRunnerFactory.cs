using ValidationLab.Runners;
using ValidationLab.Runners.Replay;

[assembly: RunnerFactory(typeof(ReplayRunnerFactory))]

namespace ValidationLab.Runners.Replay;

/// <summary>
/// Scores answers produced elsewhere (a GPU cluster, a silent-mode deployment log) from a CSV or JSONL file.
/// </summary>
public sealed class ReplayRunnerFactory : IRunnerFactory
{
    public string Name => "replay";

    public string Description => "recorded predictions from CSV (item_id,response[,probability]) or JSONL, or risk predictions in the MEDS label layout (format: meds)";

    public IReadOnlyCollection<string> OptionKeys { get; } =
        ["predictions", "id_column", "response_column", "probability_column", "suite_column", "model", "strict", "filter.", "format"];

    public bool CachesResponses => false;

    public IModelRunner Create(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var display = settings.Require("predictions");
        if (MedsFormat.Applies(settings, display))
        {
            return MedsFormat.Create(settings, display);
        }

        var filters = settings.Options
            .Where(kv => kv.Key.StartsWith("filter.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["filter.".Length..], kv => kv.Value, StringComparer.Ordinal);
        var reader = new PredictionFileReader
        {
            IdColumn = settings.Get("id_column", "item_id")!,
            ResponseColumn = settings.Get("response_column", "response")!,
            ProbabilityColumn = settings.Get("probability_column", "probability")!,
            SuiteColumn = settings.Get("suite_column", "suite")!,
            Filters = filters,
        };
        var strict = settings.GetBool("strict", false);
        var model = settings.Get("model") ?? (filters.TryGetValue("model", out var m) ? m : Path.GetFileNameWithoutExtension(display));
        return new ReplayRunner(settings.ResolvePath(display), display, reader, model, strict);
    }
}
