using System.Text.RegularExpressions;
using ValidationLab.Errors;
using ValidationLab.Store;

namespace ValidationLab.Cli.Registration;

/// <summary>
/// A run named on the command line by its folder or by its id in the run registry. A value that is an existing
/// folder is that folder (a folder always wins, so nothing that worked before changes meaning); otherwise it is
/// looked up in the registry and its registered files are re-exported, byte for byte, into a temporary folder that
/// is deleted on dispose. Neither: one message naming the value and the store, exit 2.
/// </summary>
internal sealed partial class RunLocation : IDisposable
{
    private readonly bool _temporary;

    private RunLocation(string directory, string? registryRunId, bool temporary)
    {
        Directory = directory;
        RegistryRunId = registryRunId;
        _temporary = temporary;
    }

    /// <summary>The folder to read the run from (the user's, or the temporary re-export).</summary>
    public string Directory { get; }

    /// <summary>The run id when the run came from the registry; null for a folder.</summary>
    public string? RegistryRunId { get; }

    /// <summary>How the run is named in outputs that record where it came from: "registry:RUN_ID" for a registry run.</summary>
    public string? RegistryLabel => RegistryRunId is null ? null : "registry:" + RegistryRunId;

    /// <summary>Resolves <paramref name="value"/> given to <paramref name="option"/> (e.g. "--baseline") against the store <paramref name="store"/> (null: the default).</summary>
    public static RunLocation Resolve(string value, string? store, string option)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (System.IO.Directory.Exists(value))
        {
            return new RunLocation(Path.GetFullPath(value), null, temporary: false);
        }

        var spec = StoreSpec.Parse(store, System.IO.Directory.GetCurrentDirectory());
        if (!spec.Exists)
        {
            throw new InputException($"'{value}' is not a run folder, and there is no run registry at {spec.Description} to look it up as a run id (pass --store)", field: option);
        }

        using var opened = StoreFactory.Open(spec);
        var files = opened.Registry.ReadRunFiles(value);
        if (files.Count == 0)
        {
            throw new InputException($"'{value}' is neither a run folder nor a run id in the run registry {spec.Description} (validationlab runs list shows the ids)", field: option);
        }

        var temp = Path.Combine(Path.GetTempPath(), $"validationlab-run-{Safe().Replace(value, "_")}-{Guid.NewGuid():N}");
        try
        {
            foreach (var file in files)
            {
                file.WriteTo(temp, overwrite: false);
            }

            // The sign-offs are the store's chain as it is now (a registered signoffs.jsonl is as old as the recording):
            // the chain is still verified link by link; there is no separate copy to compare it with.
            var mirror = Path.Combine(temp, Governance.Evidence.Signoffs);
            File.Delete(mirror);
            foreach (var row in opened.Registry.ReadSignoffs(value))
            {
                Governance.SignoffMirror.Append(mirror, Commands.Trail.ToRecord(row));
            }
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }

        return new RunLocation(temp, value, temporary: true);
    }

    /// <summary>
    /// The run read from its folder; a registry run is named "registry:RUN_ID" rather than by its temporary folder,
    /// in messages and in what a comparison records.
    /// </summary>
    public ValidationLab.Comparison.LoadedRun Load()
    {
        var run = ValidationLab.Comparison.LoadedRun.Load(Directory);
        return RegistryLabel is { } label ? run with { Directory = label } : run;
    }

    public void Dispose()
    {
        if (_temporary)
        {
            DeleteQuietly(Directory);
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temporary copy left behind is harmless; failing the command over it would not be.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Safe();
}
