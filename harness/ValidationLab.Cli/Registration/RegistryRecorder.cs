using System.Text.Json;
using ValidationLab.Comparison;
using ValidationLab.Governance;
using ValidationLab.Output;
using ValidationLab.Store;

namespace ValidationLab.Cli.Registration;

/// <summary>
/// What `compare` and `gate` add to the run registry. These commands never create a store: they record into one that exists and holds the run, and otherwise say in one line why they did
/// not. A registry that cannot be written costs the record, never the command's own output, which is already written.
/// </summary>
internal static class RegistryRecorder
{
    /// <summary>Records the comparison when the candidate run is registered in the store.</summary>
    public static void Comparison(string? store, ComparisonResult result, byte[] json, CliContext context)
    {
        Use(store, context, "comparison", result.Candidate.RunId, registry =>
        {
            registry.RecordComparison(new ComparisonRecord(result.Candidate.RunId, result.Baseline.RunId, DateTimeOffset.UtcNow, json));
            return "the comparison";
        });
    }

    /// <summary>Records the gate verdict (gate.json's bytes) and marks the run promoted when it is promotable.</summary>
    public static void Verdict(string? store, GateVerdict verdict, byte[] gateJson, CliContext context)
    {
        var runId = verdict.Evaluation.RunId;
        Use(store, context, "gate verdict", runId, registry =>
        {
            registry.RecordGateVerdict(new GateVerdictRecord(runId, verdict.EvaluatedUtc, verdict.Verdict, verdict.Promotable, verdict.Evaluation.PolicySha256, gateJson));
            if (verdict.Promotable)
            {
                registry.SetPromoted(runId, true);
                return "the verdict (run marked promoted)";
            }

            return "the verdict";
        });
    }

    /// <summary>comparison.json's bytes as compare writes them.</summary>
    public static byte[] Json(ComparisonResult result) => JsonSerializer.SerializeToUtf8Bytes(result, ResultsJson.Indented);

    private static void Use(string? store, CliContext context, string what, string runId, Func<IRunRegistry, string> record)
    {
        StoreSpec spec;
        try
        {
            spec = StoreSpec.Parse(store, Directory.GetCurrentDirectory());
        }
        catch (Errors.InputException ex)
        {
            context.Error.WriteLine($"note: the {what} was not recorded in the run registry: {ex.Message}");
            return;
        }

        if (!spec.Exists)
        {
            return;
        }

        try
        {
            using var opened = StoreFactory.Open(spec);
            if (opened.Registry.GetRunDetail(runId) is null)
            {
                context.Error.WriteLine($"note: the {what} was not recorded in the run registry {spec.Description}: run {runId} is not recorded there (validationlab runs record DIR)");
                return;
            }

            var recorded = record(opened.Registry);
            context.Out.WriteLine($"Recorded {recorded} in the run registry {spec.Description}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Error.WriteLine($"error: the {what} was not recorded in the run registry {spec.Description}: {ex.Message} (the files above are written)");
        }
    }
}
