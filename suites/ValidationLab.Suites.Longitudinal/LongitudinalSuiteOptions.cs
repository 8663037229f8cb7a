using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Readers;

namespace ValidationLab.Suites.Longitudinal;

/// <summary>The suite's options after validation, built before any data is read.</summary>
public sealed record LongitudinalSuiteOptions
{
    public const string DefaultTask = "generated-deterioration-24h";
    public const int DefaultTokenBudget = 1500;
    public const int DefaultMaxTokens = 64;

    /// <summary>Full path of the task YAML.</summary>
    public required string TaskPath { get; init; }

    public string? Format { get; init; }

    public bool Generate { get; init; }

    public int TokenBudget { get; init; } = DefaultTokenBudget;

    public int MaxTokens { get; init; } = DefaultMaxTokens;

    public const double DefaultTargetAlertRate = 0.10;

    /// <summary>A fixed alert threshold on the probability, or null to use <see cref="TargetAlertRate"/>.</summary>
    public double? Threshold { get; init; }

    /// <summary>The share of decision points to alert on when no threshold is fixed (the threshold is then chosen on the data).</summary>
    public double? TargetAlertRate { get; init; } = DefaultTargetAlertRate;

    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Where the bundled task definitions are (next to the binaries).</summary>
    public static string BundledTasks => Path.Combine(AppContext.BaseDirectory, "fixtures", "longitudinal", "tasks");

    public static LongitudinalSuiteOptions From(SuiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var key in settings.Options.Keys)
        {
            if (!LongitudinalOptionKeys.All.Contains(key))
            {
                throw new InputException($"the longitudinal suite has no option '{key}' (it knows {string.Join(", ", LongitudinalOptionKeys.All)})", settings.Origin, field: key);
            }
        }

        var task = settings.Get(LongitudinalOptionKeys.Task, DefaultTask)!.Trim();
        var bundled = Path.Combine(BundledTasks, task + ".yaml");
        var path = task.EndsWith(".yaml", StringComparison.Ordinal) || task.EndsWith(".yml", StringComparison.Ordinal) ? settings.ResolvePath(task) : bundled;
        if (!File.Exists(path))
        {
            var known = Directory.Exists(BundledTasks) ? string.Join(", ", Directory.GetFiles(BundledTasks, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)) : "none";
            throw new InputException($"no task '{task}' (bundled tasks: {known}; or give a path to a .yaml)", settings.Origin, field: LongitudinalOptionKeys.Task);
        }

        var format = settings.Get(LongitudinalOptionKeys.Format);
        if (format is not null && !TimelineReader.Formats.Contains(format))
        {
            throw new InputException($"'{format}' is not a format; use {string.Join(", ", TimelineReader.Formats)}", settings.Origin, field: LongitudinalOptionKeys.Format);
        }

        var generate = settings.Get(LongitudinalOptionKeys.Mode, "risk")!.Trim().ToLowerInvariant() switch
        {
            "risk" => false,
            "generate" => true,
            var other => throw new InputException($"'{other}' is not a mode; use 'risk' or 'generate'", settings.Origin, field: LongitudinalOptionKeys.Mode),
        };
        var budget = settings.GetInt(LongitudinalOptionKeys.TokenBudget, DefaultTokenBudget);
        if (budget < 100)
        {
            throw new InputException($"must be at least 100, found {budget}", settings.Origin, field: LongitudinalOptionKeys.TokenBudget);
        }

        var maxTokens = settings.GetInt(LongitudinalOptionKeys.MaxTokens, DefaultMaxTokens);
        if (maxTokens < 1)
        {
            throw new InputException($"must be at least 1, found {maxTokens}", settings.Origin, field: LongitudinalOptionKeys.MaxTokens);
        }

        double? threshold = settings.Get(LongitudinalOptionKeys.Threshold) is null ? null : settings.GetDouble(LongitudinalOptionKeys.Threshold, 0);
        if (threshold is { } t && !(t >= 0 && t <= 1))
        {
            throw new InputException($"must be a probability in [0, 1], found {t}", settings.Origin, field: LongitudinalOptionKeys.Threshold);
        }

        double? rate = settings.Get(LongitudinalOptionKeys.TargetAlertRate) is null ? null : settings.GetDouble(LongitudinalOptionKeys.TargetAlertRate, 0);
        if (rate is { } r && !(r > 0 && r <= 1))
        {
            throw new InputException($"must be a share in (0, 1], found {r}", settings.Origin, field: LongitudinalOptionKeys.TargetAlertRate);
        }

        if (threshold is not null && rate is not null)
        {
            throw new InputException("give either a threshold or a target alert rate, not both", settings.Origin, field: LongitudinalOptionKeys.TargetAlertRate);
        }

        var resamples = settings.GetInt(LongitudinalOptionKeys.BootstrapResamples, 1000);
        if (resamples < 0)
        {
            throw new InputException($"must be 0 or more, found {resamples}", settings.Origin, field: LongitudinalOptionKeys.BootstrapResamples);
        }

        return new LongitudinalSuiteOptions
        {
            TaskPath = path, Format = format, Generate = generate, TokenBudget = budget, MaxTokens = maxTokens,
            Threshold = threshold, TargetAlertRate = threshold is null ? rate ?? DefaultTargetAlertRate : null, BootstrapResamples = resamples,
        };
    }
}
