using ValidationLab.Errors;

namespace ValidationLab.Runners.Replay;

/// <summary>
/// The replay runner's hook for MEDS label files: <c>format: meds</c>, or, without a <c>format</c>, a CSV whose
/// header names <c>subject_id</c> and <c>prediction_time</c>. <c>format: items</c> forces the item layout.
/// </summary>
internal static class MedsFormat
{
    /// <summary>Options of the item layout that have no meaning for a MEDS file (refused rather than ignored).</summary>
    private static readonly string[] ItemOnly = ["id_column", "response_column", "probability_column", "suite_column"];

    public static bool Applies(RunnerSettings settings, string display) => settings.Get("format") switch
    {
        null => MedsLabelReader.LooksLikeMeds(settings.ResolvePath(display)),
        "meds" => true,
        "items" => false,
        var other => throw new InputException($"format '{other}' is not one of: items, meds", settings.Origin, field: "format"),
    };

    public static IModelRunner Create(RunnerSettings settings, string display)
    {
        foreach (var key in settings.Options.Keys)
        {
            if (ItemOnly.Contains(key, StringComparer.Ordinal) || key.StartsWith("filter.", StringComparison.Ordinal))
            {
                throw new InputException($"'{key}' does not apply to a MEDS label file (its columns are fixed: subject_id, prediction_time, boolean_value, predicted_boolean_probability)", settings.Origin, field: key);
            }
        }

        var strict = settings.Get("strict", "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new InputException($"'{other}' is not true or false", settings.Origin, field: "strict"),
        };
        var model = settings.Get("model") ?? Path.GetFileNameWithoutExtension(display);
        return new MedsReplayRunner(settings.ResolvePath(display), display, model, strict);
    }
}
