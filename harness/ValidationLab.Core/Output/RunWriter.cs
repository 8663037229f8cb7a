using ValidationLab.Errors;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// Owns the output folder. Every exporter writes into a temporary folder; only when all files are complete are
/// they moved into place. A new folder is moved in whole; in an existing folder (empty, or replaced with
/// <c>--overwrite</c>) only the files a run writes are replaced, one rename each: files the user put there
/// (a sign-off, attachments) are never touched. A failed or cancelled run leaves no half-written results.
/// </summary>
public static class RunWriter
{
    /// <summary>The files every run writes before any extra exporter.</summary>
    public static IReadOnlyList<IRunExporter> BuiltIn { get; } = [new ResultsJsonExporter(), new ItemsJsonlExporter(), new ItemsCsvExporter()];

    /// <summary>
    /// Every file a run may write. With <c>--overwrite</c> these (and only these) are replaced or removed, so that a
    /// folder never mixes files of two runs.
    /// </summary>
    public static IReadOnlyList<string> RunFiles { get; } = ["config.yaml", "items.csv", "items.jsonl", "report.html", "results.json", "trend.json"];

    /// <summary>The model card a run writes when it was given one (config model_card: or --model-card).</summary>
    public const string ModelCardFile = "model-card.json";

    /// <summary>
    /// Evidence that later commands add to a run folder (compare, gate, signoff, report --pdf). It describes the run
    /// it was made for, so a run written over that folder with <c>--overwrite</c> must not sit beside it; nor may it be
    /// deleted (sign-offs are signatures, and the store's chain refers to them). It is moved, unchanged, into
    /// <see cref="SupersededFolder"/>/&lt;earlier run id&gt;/. A model-card.json is moved only when the new run writes its own.
    /// </summary>
    public static IReadOnlyList<string> EvidenceFiles { get; } =
        ["comparison.json", "gate.json", "gate.junit.xml", "gate.md", "gate-history.jsonl", "signoffs.jsonl", "report.pdf"];

    /// <summary>Where <see cref="EvidenceFiles"/> of an earlier run go when a run is written over its folder.</summary>
    public const string SupersededFolder = "superseded";

    private const string TempPrefix = ".validationlab-tmp-";

    /// <summary>
    /// Refuse, before the run starts, a destination that cannot become a results folder: a file, a path under a
    /// file, a place that cannot be written, or (without <paramref name="overwrite"/>) a folder that already holds
    /// files.
    /// </summary>
    public static void CheckDestination(string outDir, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(outDir);
        if (File.Exists(outDir))
        {
            throw new InputException("--out names a file; it must be a folder", outDir, field: "--out");
        }

        // The nearest part of the path that exists must be a folder we can create files in.
        var existing = outDir;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new InputException($"'{existing}' is a file, so the folder '{outDir}' cannot be created", outDir, field: "--out");
            }

            existing = Path.GetDirectoryName(existing)
                ?? throw new InputException("no part of this path exists", outDir, field: "--out");
        }

        ProbeWritable(existing, outDir);
        if (existing == outDir && !overwrite && Directory.EnumerateFileSystemEntries(outDir).Any())
        {
            throw new InputException(
                "--out names a folder that is not empty; choose a new folder, or pass --overwrite to replace the run files in it (other files are kept)",
                outDir, field: "--out");
        }
    }

    public static Task WriteAsync(string outDir, RunResult run, IReadOnlyList<ItemResult> items, IEnumerable<IRunExporter> extra, CancellationToken cancellationToken) =>
        WriteAsync(outDir, run, items, extra, note: null, cancellationToken);

    /// <summary>Write the run; <paramref name="note"/> hears about evidence of an earlier run moved aside.</summary>
    public static async Task WriteAsync(string outDir, RunResult run, IReadOnlyList<ItemResult> items, IEnumerable<IRunExporter> extra,
        Action<string>? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        outDir = Path.GetFullPath(outDir);
        var exists = Directory.Exists(outDir);
        var parent = Path.GetDirectoryName(outDir)!;
        Directory.CreateDirectory(parent);

        // Beside the destination when it is new (one move puts the folder in place), inside it when it exists
        // (renames within one folder, never a move of the folder the user's files are in).
        var temp = exists ? Path.Combine(outDir, TempPrefix + run.Manifest.RunId) : Path.Combine(parent, $".{Path.GetFileName(outDir)}.tmp-{run.Manifest.RunId}");
        try
        {
            Directory.CreateDirectory(temp);
            var written = new List<string>();
            foreach (var exporter in BuiltIn.Concat(extra))
            {
                var file = Path.Combine(temp, exporter.FileName);
                await using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    await exporter.WriteAsync(run, items, stream, cancellationToken).ConfigureAwait(false);
                }

                written.Add(exporter.FileName);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!exists)
            {
                Directory.Move(temp, outDir);
                return;
            }

            // Evidence made for the earlier run (comparison, gate verdict, sign-offs) would seem to describe this one:
            // move it aside, never delete it.
            MoveEvidenceAside(outDir, written, note);

            // Run files of an earlier run that this one does not write would describe another run: remove them (they
            // are derived; the earlier run's record and answers are in the store).
            foreach (var stale in RunFiles.Except(written, StringComparer.Ordinal))
            {
                File.Delete(Path.Combine(outDir, stale));
            }

            foreach (var name in written)
            {
                File.Move(Path.Combine(temp, name), Path.Combine(outDir, name), overwrite: true);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static void MoveEvidenceAside(string outDir, IReadOnlyList<string> written, Action<string>? note)
    {
        var stale = EvidenceFiles.Where(f => File.Exists(Path.Combine(outDir, f))).ToList();
        if (written.Contains(ModelCardFile, StringComparer.Ordinal) && File.Exists(Path.Combine(outDir, ModelCardFile)))
        {
            stale.Add(ModelCardFile);
        }

        if (stale.Count == 0)
        {
            return;
        }

        string earlier = EarlierRunId(outDir);
        string target = Path.Combine(outDir, SupersededFolder, earlier);
        for (int n = 2; Directory.Exists(target); n++)
        {
            target = Path.Combine(outDir, SupersededFolder, earlier + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Directory.CreateDirectory(target);
        foreach (var name in stale)
        {
            File.Move(Path.Combine(outDir, name), Path.Combine(target, name));
        }

        note?.Invoke($"{string.Join(", ", stale)} described the earlier run {earlier} in this folder; moved unchanged to "
            + $"{Path.GetRelativePath(outDir, target).Replace('\\', '/')}/ (compare, gate and sign off again for this run).");
    }

    /// <summary>The run id in the folder's results.json before it is replaced, or "earlier-run" when it cannot be read.</summary>
    private static string EarlierRunId(string outDir)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "results.json")));
            if (doc.RootElement.TryGetProperty("manifest", out var manifest) && manifest.TryGetProperty("run_id", out var id)
                && id.GetString() is { Length: > 0 } runId && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return runId;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // No readable results.json: the evidence is still moved, under a generic name.
        }

        return "earlier-run";
    }

    private static void ProbeWritable(string folder, string outDir)
    {
        var probe = Path.Combine(folder, $".validationlab-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new InputException($"cannot write in '{folder}': {ex.Message}", outDir, field: "--out", inner: ex);
        }
        finally
        {
            if (File.Exists(probe))
            {
                File.Delete(probe);
            }
        }
    }
}
