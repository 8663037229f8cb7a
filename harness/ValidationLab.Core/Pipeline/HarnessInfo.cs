using System.Reflection;

namespace ValidationLab.Pipeline;

/// <summary>The harness's own version and, when run from a checkout, its git commit.</summary>
public static class HarnessInfo
{
    public static string Version { get; } =
        typeof(HarnessInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(HarnessInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    /// <summary>
    /// The commit HEAD points at in the nearest .git folder above the working directory or the application,
    /// read from files so that no git binary is needed; null when there is none.
    /// </summary>
    public static string? GitCommit()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var git = Path.Combine(dir.FullName, ".git");
                if (Directory.Exists(git))
                {
                    return ReadHead(git);
                }
            }
        }

        return null;
    }

    private static string? ReadHead(string git)
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return head;
            }

            var name = head[5..];
            var loose = Path.Combine(git, name);
            if (File.Exists(loose))
            {
                return File.ReadAllText(loose).Trim();
            }

            var packed = Path.Combine(git, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == name)?[0]
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
