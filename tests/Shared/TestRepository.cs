namespace ValidationLab.Testing;

/// <summary>
/// Where the repository and the shared real data are, seen from the test binaries: the repository is the first
/// folder above them holding ValidationLab.sln; the real data sits beside it in ../shared/data. Compiled into every
/// test project (tests/Directory.Build.props), so that there is one copy of this walk.
/// </summary>
internal static class TestRepository
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ValidationLab.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    });

    /// <summary>The repository root, or null when the binaries run outside a checkout.</summary>
    public static string? TryRoot => Found.Value;

    /// <summary>The repository root; throws when the binaries run outside a checkout.</summary>
    public static string Root => Found.Value ?? throw new InvalidOperationException($"no ValidationLab.sln above {AppContext.BaseDirectory}");

    /// <summary>The shared real data folder (../shared/data from the repository root).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
}
