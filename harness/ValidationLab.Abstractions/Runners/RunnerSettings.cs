using ValidationLab.Errors;

namespace ValidationLab.Runners;

/// <summary>
/// A runner's configuration as the user wrote it: flat string options (nested YAML maps are flattened with dots,
/// e.g. <c>headers.X-Trace</c>), the folder relative paths resolve against, the run seed and where events go.
/// </summary>
public sealed record RunnerSettings
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Relative paths in options resolve against this folder (the config file's, or the working one).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Where the options came from, for error messages ("run.yaml" or "command line").</summary>
    public string Origin { get; init; } = "command line";

    public int Seed { get; init; }

    /// <summary>Receives retries, rate-limit waits and similar events for the progress display.</summary>
    public IRunObserver Observer { get; init; } = NullRunObserver.Instance;

    /// <summary>The option's value, or <paramref name="fallback"/>.</summary>
    public string? Get(string key, string? fallback = null) => Options.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>The option's value; an <see cref="InputException"/> naming the key when it is absent.</summary>
    public string Require(string key) => Options.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
        ? v
        : throw new InputException($"runner '{Name}' needs the setting '{key}'", Origin, field: key);

    /// <summary>An integer option, or <paramref name="fallback"/>; an <see cref="InputException"/> when malformed.</summary>
    public int GetInt(string key, int fallback) => Get(key) is not { } s ? fallback
        : int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException($"'{s}' is not a whole number", Origin, field: key);

    /// <summary>A number option, or <paramref name="fallback"/>; an <see cref="InputException"/> when malformed.</summary>
    public double GetDouble(string key, double fallback) => Get(key) is not { } s ? fallback
        : double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException($"'{s}' is not a number", Origin, field: key);

    /// <summary>Resolve a path option against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);
}
