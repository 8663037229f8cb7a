using System.Globalization;
using ValidationLab.Errors;

namespace ValidationLab.Configuration;

/// <summary>
/// What a runner's or a suite's settings share: flat string options as the user wrote them (nested YAML maps are
/// flattened with dots, e.g. <c>headers.X-Trace</c>), where they came from, the folder relative paths resolve
/// against, the run context, and one reader for option values so that every plug-in reports a malformed value the
/// same way (file, line, key).
/// </summary>
public abstract record PluginSettings
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Relative paths in options resolve against this folder (the config file's, or the working one).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Where the options came from, for error messages ("run.yaml", "command line").</summary>
    public string Origin { get; init; } = "command line";

    /// <summary>The line of each option in <see cref="Origin"/> when it came from a config file.</summary>
    public IReadOnlyDictionary<string, long> OptionLines { get; init; } = new Dictionary<string, long>();

    /// <summary>The line in <see cref="Origin"/> where this runner or suite is named, when it came from a config file.</summary>
    public long? Line { get; init; }

    /// <summary>The run this plug-in is created for: seed, limit, output. Set once by the configuration loader.</summary>
    public RunContext Run { get; init; } = RunContext.Default;

    /// <summary>
    /// The run seed (<see cref="RunContext.Seed"/>). Setting it is shorthand for
    /// <c>Run = Run with { Seed = value }</c>; there is only one seed.
    /// </summary>
    public int Seed
    {
        get => Run.Seed;
        init => Run = Run with { Seed = value };
    }

    /// <summary>"runner" or "suite", for messages.</summary>
    protected abstract string Kind { get; }

    /// <summary>The option's value, or <paramref name="fallback"/>.</summary>
    public string? Get(string key, string? fallback = null) => Options.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>The option's value; an <see cref="InputException"/> naming the key when it is absent or blank.</summary>
    public string Require(string key) => Options.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)
        ? v
        : throw Error($"{Kind} '{Name}' needs the setting '{key}'", key);

    /// <summary>An integer option, or <paramref name="fallback"/>; an <see cref="InputException"/> when malformed.</summary>
    public int GetInt(string key, int fallback) => Get(key) is not { } s ? fallback
        : int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw Error($"'{s}' is not a whole number", key);

    /// <summary>A number option, or <paramref name="fallback"/>; an <see cref="InputException"/> when malformed.</summary>
    public double GetDouble(string key, double fallback) => Get(key) is not { } s ? fallback
        : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
        : throw Error($"'{s}' is not a number", key);

    /// <summary>A true/false option, or <paramref name="fallback"/>; an <see cref="InputException"/> otherwise.</summary>
    public bool GetBool(string key, bool fallback) => Get(key)?.Trim().ToLowerInvariant() switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        var other => throw Error($"'{other}' is not true or false", key),
    };

    /// <summary>Resolve a path option against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>An <see cref="InputException"/> about <paramref name="key"/>, at its line when it came from a file.</summary>
    public InputException Error(string message, string key) =>
        new(message, Origin, OptionLines.TryGetValue(key, out var line) ? line : Line, key);
}
