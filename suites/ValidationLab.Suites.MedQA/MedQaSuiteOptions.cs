using ValidationLab.Errors;
using ValidationLab.Suites.MedQA.Counterfactual;

namespace ValidationLab.Suites.MedQA;

/// <summary>The suite's options after validation; built once from <see cref="SuiteSettings"/> before any data is read.</summary>
public sealed record MedQaSuiteOptions
{
    public const int DefaultMaxTokens = 512;

    public MedQaMode Mode { get; init; } = MedQaMode.Generate;

    public int Shots { get; init; }

    /// <summary>Full path of the exemplar file; null when none was named.</summary>
    public string? ExemplarsPath { get; init; }

    public int MaxTokens { get; init; } = DefaultMaxTokens;

    public string? SystemPrompt { get; init; }

    /// <summary>The sex-swap probe's reviewed exclusion list when <c>probe: sex_swap</c> was asked for; null when the probe is off.</summary>
    public SexSwapExclusions? SexSwapProbe { get; init; }

    /// <summary>The only probe there is (issue 9).</summary>
    public const string SexSwap = "sex_swap";

    /// <summary>Validate the option values; an <see cref="InputException"/> names the offending key.</summary>
    public static MedQaSuiteOptions From(SuiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var key in settings.Options.Keys)
        {
            if (!MedQaOptionKeys.All.Contains(key))
            {
                throw settings.Error($"the medqa suite has no option '{key}' (it knows {string.Join(", ", MedQaOptionKeys.All)})", key);
            }
        }

        var mode = settings.Get(MedQaOptionKeys.Mode, "generate")!.Trim().ToLowerInvariant() switch
        {
            "generate" => MedQaMode.Generate,
            "loglikelihood" => MedQaMode.LogLikelihood,
            var other => throw settings.Error($"'{other}' is not a mode; use 'generate' or 'loglikelihood'", MedQaOptionKeys.Mode),
        };

        var shots = settings.GetInt(MedQaOptionKeys.Shots, 0);
        if (shots < 0)
        {
            throw settings.Error($"must be 0 or more, found {shots}", MedQaOptionKeys.Shots);
        }

        var exemplars = settings.Get(MedQaOptionKeys.Exemplars);
        if (shots > 0 && string.IsNullOrWhiteSpace(exemplars))
        {
            // Never fall back to the evaluated file: exemplars from the evaluated split leak answers.
            throw settings.Error(
                $"shots = {shots} needs an exemplar file ('{MedQaOptionKeys.Exemplars}'); exemplars are never taken from the evaluated data",
                MedQaOptionKeys.Exemplars);
        }

        var maxTokens = settings.GetInt(MedQaOptionKeys.MaxTokens, DefaultMaxTokens);
        if (maxTokens < 1)
        {
            throw settings.Error($"must be 1 or more, found {maxTokens}", MedQaOptionKeys.MaxTokens);
        }

        SexSwapExclusions? probe = null;
        if (settings.Get(MedQaOptionKeys.Probe) is { } probeName && !string.IsNullOrWhiteSpace(probeName))
        {
            if (!string.Equals(probeName.Trim(), SexSwap, StringComparison.OrdinalIgnoreCase))
            {
                throw settings.Error($"'{probeName}' is not a probe; the only probe is '{SexSwap}'", MedQaOptionKeys.Probe);
            }

            // Loaded now, before any data is read or model called: a broken list stops the run with its file and line.
            probe = SexSwapExclusions.Load(Path.Combine(AppContext.BaseDirectory, SexSwapExclusions.DefaultPath));
        }

        return new MedQaSuiteOptions
        {
            Mode = mode,
            Shots = shots,
            ExemplarsPath = string.IsNullOrWhiteSpace(exemplars) ? null : settings.ResolvePath(exemplars),
            MaxTokens = maxTokens,
            SystemPrompt = settings.Get(MedQaOptionKeys.SystemPrompt),
            SexSwapProbe = probe,
        };
    }
}
