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

        return new LongitudinalSuiteOptions { TaskPath = path, Format = format, Generate = generate, TokenBudget = budget, MaxTokens = maxTokens };
    }
}
