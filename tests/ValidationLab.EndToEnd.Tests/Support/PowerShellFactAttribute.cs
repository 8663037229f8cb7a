using System.Text.Json;

namespace ValidationLab.EndToEnd.Tests.Support;

/// <summary>
/// A fact that needs PowerShell, the .NET local tool pinned in .config/dotnet-tools.json (restored by
/// `dotnet tool restore`, which .ci/run does). Without it: skipped with the reason on a developer machine; when CI is
/// set the test runs and fails, saying the tool is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PowerShellFactAttribute : FactAttribute
{
    public PowerShellFactAttribute()
    {
        if (PowerShellTool.Missing() is { } missing && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"PowerShell is not restored ({missing}); run 'dotnet tool restore' — skipped because CI is unset";
        }
    }
}

public static class PowerShellTool
{
    /// <summary>Why the pinned PowerShell tool is unavailable, or null when its package is in the NuGet cache.</summary>
    public static string? Missing()
    {
        if (TestRepository.TryRoot is not { } root)
        {
            return "not inside a checkout";
        }

        var manifest = Path.Combine(root, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest))
        {
            return $"{manifest} is absent";
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        if (!doc.RootElement.GetProperty("tools").TryGetProperty("powershell", out var tool))
        {
            return $"{manifest} has no powershell entry";
        }

        var version = tool.GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, "powershell", version);
        return Directory.Exists(folder) ? null : $"{folder} is absent";
    }
}
