using System.Text;

namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Writes throwaway input files for a test and deletes them afterwards.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "medqa-tests-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(_folder);

    public string Folder => _folder;

    /// <summary>A file whose lines are exactly <paramref name="lines"/>, optionally with a UTF-8 BOM.</summary>
    public string Write(string name, IEnumerable<string> lines, bool bom = false)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(bom));
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
