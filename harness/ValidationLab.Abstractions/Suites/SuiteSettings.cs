using System.Globalization;
using ValidationLab.Errors;

namespace ValidationLab.Suites;

/// <summary>A suite's configuration as the user wrote it (flat string options, like runners).</summary>
public sealed record SuiteSettings
{
    public required string Name { get; init; }

    /// <summary>The data file or folder, already resolved to a full path.</summary>
    public required string DataPath { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Relative paths in options resolve against this folder.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Where the settings came from, for error messages.</summary>
    public string Origin { get; init; } = "command line";

    public int Seed { get; init; }

    public string? Get(string key, string? fallback = null) => Options.TryGetValue(key, out var v) ? v : fallback;

    /// <summary>An integer option, or <paramref name="fallback"/>; an <see cref="InputException"/> when malformed.</summary>
    public int GetInt(string key, int fallback) => Get(key) is not { } s ? fallback
        : int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException($"'{s}' is not a whole number", Origin, field: key);

    /// <summary>Resolve a path option against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);
}
