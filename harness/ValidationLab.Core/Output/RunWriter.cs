using ValidationLab.Errors;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// Owns the output folder: every exporter writes into a temporary sibling folder, which replaces the destination
/// only when all files are complete. A failed or cancelled run leaves no half-written results.
/// </summary>
public static class RunWriter
{
    /// <summary>The files every run writes before any extra exporter.</summary>
    public static IReadOnlyList<IRunExporter> BuiltIn { get; } = [new ResultsJsonExporter(), new ItemsJsonlExporter(), new ItemsCsvExporter()];

    /// <summary>Refuse a destination that cannot become a results folder, before the run starts.</summary>
    public static void CheckDestination(string outDir)
    {
        if (File.Exists(outDir))
        {
            throw new InputException("--out names a file; it must be a folder (it will be created or replaced)", outDir, field: "--out");
        }

        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any() && !File.Exists(Path.Combine(outDir, "results.json")))
        {
            throw new InputException("--out names a folder that holds other files; give an empty folder or a previous run's folder", outDir, field: "--out");
        }
    }

    public static async Task WriteAsync(string outDir, RunResult run, IReadOnlyList<ItemResult> items, IEnumerable<IRunExporter> extra, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(outDir))!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(outDir)}.tmp-{run.Manifest.RunId}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var exporter in BuiltIn.Concat(extra))
            {
                var file = Path.Combine(temp, exporter.FileName);
                await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await exporter.WriteAsync(run, items, stream, cancellationToken).ConfigureAwait(false);
            }

            Replace(temp, outDir);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Swap the finished folder in; an earlier run's folder at the same place is removed only after.</summary>
    private static void Replace(string temp, string outDir)
    {
        if (!Directory.Exists(outDir))
        {
            Directory.Move(temp, outDir);
            return;
        }

        var old = outDir + ".old-" + Guid.NewGuid().ToString("N")[..8];
        Directory.Move(outDir, old);
        Directory.Move(temp, outDir);
        Directory.Delete(old, recursive: true);
    }
}
