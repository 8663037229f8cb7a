using System.Text.Json;

namespace ValidationLab.Cli.Tests.Support;

/// <summary>
/// Three real runs recorded in one fresh run registry through the real `run` command (issue 12): two of the
/// lexical-overlap floor on the MedQA fixture (the second one's report draws a trend over the first), then one of the
/// random floor (another model). <see cref="Store"/> is a SQLite file, or the PostgreSQL server named by
/// VALIDATIONLAB_TEST_POSTGRES when a subclass asks for it.
/// </summary>
public class RegistryRuns : IDisposable
{
    private readonly TempDir _dir = new();

    public RegistryRuns()
        : this(null)
    {
    }

    protected RegistryRuns(string? store)
    {
        Store = store ?? _dir.Combine("store.db");

        // Made on first use, so that a fixture whose tests are all skipped (no PostgreSQL server) runs nothing.
        _runs = new Lazy<(RecordedRun, RecordedRun, RecordedRun)>(() => (Run("first", "lexical-overlap"), Run("second", "lexical-overlap"), Run("other", "random")));
    }

    private readonly Lazy<(RecordedRun First, RecordedRun Second, RecordedRun Other)> _runs;

    public string Store { get; }

    public RecordedRun First => _runs.Value.First;

    public RecordedRun Second => _runs.Value.Second;

    public RecordedRun Other => _runs.Value.Other;

    public TempDir Dir => _dir;

    private RecordedRun Run(string name, string model)
    {
        if (string.IsNullOrWhiteSpace(Store))
        {
            throw new InvalidOperationException(ValidationLab.Testing.TestPostgres.FailureMessage);
        }

        var folder = _dir.Combine(name);
        var result = CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline",
            "--runner-option", "model=" + model, "--out", folder, "--store", Store).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"could not make the run the registry tests need:\n{result}");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        var manifest = json.RootElement.GetProperty("manifest");
        return new RecordedRun(folder, manifest.GetProperty("run_id").GetString()!, manifest.GetProperty("started_utc").GetString()!, model);
    }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>One run the fixture made: its folder, id, start time (ISO 8601, as results.json has it) and model.</summary>
public sealed record RecordedRun(string Folder, string RunId, string StartedUtc, string Model);
