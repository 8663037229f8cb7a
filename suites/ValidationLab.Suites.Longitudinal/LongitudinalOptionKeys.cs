namespace ValidationLab.Suites.Longitudinal;

/// <summary>The option keys the longitudinal suite understands; any other key is refused before the run.</summary>
public static class LongitudinalOptionKeys
{
    /// <summary>A bundled task name (fixtures/longitudinal/tasks/&lt;name&gt;.yaml) or a path to a task YAML.</summary>
    public const string Task = "task";

    /// <summary>fhir-bundle, fhir-ndjson, synthea-csv or mimic3; detected from the data when absent.</summary>
    public const string Format = "format";

    /// <summary>"risk" (default: RiskRequest with features and context) or "generate" (chat question, answer parsed to a probability).</summary>
    public const string Mode = "mode";

    /// <summary>Token budget of the rendered context (tokens ≈ characters / 4); default 1500.</summary>
    public const string TokenBudget = "token_budget";

    /// <summary>Generation budget in generate mode (default 64).</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>Alert when the probability is at or above this (in [0, 1]); exclusive with target_alert_rate.</summary>
    public const string Threshold = "threshold";

    /// <summary>Alert on this share of decision points (default 0.10 when no threshold is given).</summary>
    public const string TargetAlertRate = "target_alert_rate";

    /// <summary>Patient cluster bootstrap resamples behind every interval (default 1000; 0 reports no intervals).</summary>
    public const string BootstrapResamples = "bootstrap_resamples";

    public static IReadOnlyCollection<string> All { get; } = [Task, Format, Mode, TokenBudget, MaxTokens, Threshold, TargetAlertRate, BootstrapResamples];
}
