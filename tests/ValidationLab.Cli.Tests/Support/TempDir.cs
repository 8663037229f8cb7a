using System.Text;

namespace ValidationLab.Cli.Tests.Support;

/// <summary>A throwaway folder under the system temp folder, deleted when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vl-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    public string WriteLines(string name, IEnumerable<string> lines) => Write(name, string.Join("\n", lines) + "\n");

    /// <summary>Every file and folder name directly inside, sorted.</summary>
    public string[] Entries() =>
        Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
