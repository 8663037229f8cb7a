using System.Reflection;

namespace ValidationLab.Pipeline;

/// <summary>
/// The harness's own version and the git commit it was built from. Both come from the assembly (the SDK's
/// SourceRevisionId, as <c>--version</c> shows it; the tree state from the HarnessTreeState target in
/// ValidationLab.Core.csproj), never from the git repository of the folder the harness runs in: a run started
/// inside another repository must not record that repository's HEAD.
/// </summary>
public static class HarnessInfo
{
    private static readonly Assembly Self = typeof(HarnessInfo).Assembly;

    private static readonly string? Informational = Self.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static string Version { get; } = Informational?.Split('+')[0] ?? Self.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>The commit after '+' in the informational version ("0.1.0+0c93553..."), or null when built outside git.</summary>
    public static string? Commit { get; } = ParseCommit(Informational);

    /// <summary>True when the build saw uncommitted changes in the checkout it was built from.</summary>
    public static bool TreeModified { get; } = Self.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Any(a => a.Key == "HarnessTreeModified" && string.Equals(a.Value, "true", StringComparison.OrdinalIgnoreCase));

    internal static string? ParseCommit(string? informational)
    {
        var plus = informational?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        if (plus < 0)
        {
            return null;
        }

        var commit = informational![(plus + 1)..].Split('.', '+')[0];
        return commit.Length >= 7 && commit.All(char.IsAsciiHexDigitLower) ? commit : null;
    }
}
