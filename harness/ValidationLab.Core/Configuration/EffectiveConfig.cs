using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ValidationLab.Configuration;

/// <summary>
/// Renders the configuration a run actually used, after every flag override, as the YAML written to the run folder
/// (<c>config.yaml</c>); <c>config_sha256</c> is the SHA-256 of exactly these bytes. It holds what decides which
/// requests are sent and how they are scored: seed, limit, max_error_rate, the runner (name and options) and each
/// suite (name, full data path, options). It leaves out where results and answers are kept (out, store, overwrite,
/// resume, cache), which change no answer. Secrets never reach it: API keys are only ever named by environment
/// variable, and the values of headers and of any key that looks like a credential are written as
/// <see cref="Redacted"/> (so they are not covered by the hash either).
/// </summary>
public static class EffectiveConfig
{
    /// <summary>What a secret-looking value is replaced with.</summary>
    public const string Redacted = "<redacted>";

    private static readonly string[] SecretWords = ["key", "token", "secret", "password", "authorization", "credential"];

    private static readonly JsonSerializerOptions Quote = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(EvalConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var run = config.Run;
        var yaml = new StringBuilder();
        yaml.Append("# The effective configuration of this run (config file and flags applied).\n");
        yaml.Append("# config_sha256 in results.json is the SHA-256 of this file's bytes.\n");
        yaml.Append("seed: ").Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (run.MaxErrorRate is { } rate)
        {
            yaml.Append("max_error_rate: ").Append(rate.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        if (run.Limit is { } limit)
        {
            yaml.Append("limit:\n  count: ").Append(limit.Count.ToString(CultureInfo.InvariantCulture))
                .Append("\n  sample: ").Append(limit.Sampled ? "true" : "false").Append('\n');
        }

        if (run.Shard is { } shard)
        {
            // A shard evaluates other items than the whole: a different evaluation, a different hash.
            yaml.Append("shard: ").Append(Scalar(shard.ToString())).Append('\n');
        }

        yaml.Append("runner:\n  name: ").Append(Scalar(config.Runner.Name)).Append('\n');
        Options(yaml, "  ", config.Runner.Options);
        yaml.Append("suites:\n");
        foreach (var suite in config.Suites)
        {
            yaml.Append("  - name: ").Append(Scalar(suite.Name)).Append('\n');
            yaml.Append("    data: ").Append(Scalar(suite.DataPath)).Append('\n');
            Options(yaml, "    ", suite.Options);
        }

        if (config.Slices is { } slices)
        {
            Slices(yaml, slices);
        }

        return yaml.ToString();
    }

    /// <summary>True for option keys whose values must never be written (headers, keys, tokens); *_env names are fine.</summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("headers.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Whole words only: "max_tokens" is not a token, "api_key" is a key, "api_key_env" names a variable.
        var words = key.ToLowerInvariant().Split('.', '_', '-');
        return words[^1] != "env" && words.Any(w => SecretWords.Contains(w, StringComparer.Ordinal) || w == "apikey");
    }

    // The slices section decides which tests are run and how they are corrected, so it is part of what is hashed;
    // written in the reader's own keys so that config.yaml can be given back to --config.
    private static void Slices(StringBuilder yaml, Analysis.Slicing.SliceSettings slices)
    {
        static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
        var single = slices.Families.Where(f => f.Attributes.Count == 1).Select(f => Scalar(f.Attributes[0])).ToList();
        var crossed = slices.Families.Where(f => f.Attributes.Count > 1).Select(f => Scalar(f.Name)).ToList();
        yaml.Append("slices:\n");
        yaml.Append("  attributes: ").Append(List(single)).Append('\n');
        if (crossed.Count > 0)
        {
            yaml.Append("  intersections: ").Append(List(crossed)).Append('\n');
        }

        if (slices.AgeBands is { } bands)
        {
            yaml.Append("  age_bands: ").Append(List(bands.Select(b => b.ToString(CultureInfo.InvariantCulture)))).Append('\n');
        }

        if (slices.Groupings.Count > 0)
        {
            yaml.Append("  groupings:\n");
            foreach (var (attribute, grouping) in slices.Groupings.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                yaml.Append("    ").Append(Scalar(attribute)).Append(":\n");
                foreach (var group in grouping.GroupOf.GroupBy(kv => kv.Value, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var raw = group.Select(kv => kv.Key).OrderBy(v => v, StringComparer.Ordinal).Select(Scalar);
                    yaml.Append("      ").Append(Scalar(group.Key)).Append(": ").Append(List(raw)).Append('\n');
                }
            }
        }

        yaml.Append("  reference: ").Append(slices.Reference.ToString().ToLowerInvariant()).Append('\n');
        if (slices.ReferenceGroups.Count > 0)
        {
            yaml.Append("  reference_groups:\n");
            foreach (var (attribute, value) in slices.ReferenceGroups.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                yaml.Append("    ").Append(Scalar(attribute)).Append(": ").Append(Scalar(value)).Append('\n');
            }
        }

        yaml.Append("  correction: ").Append(slices.Correction == Analysis.Slicing.SliceCorrection.Holm ? "holm" : "bh").Append('\n');
        yaml.Append("  min_cell: ").Append(slices.MinCell.ToString(CultureInfo.InvariantCulture)).Append('\n');
        yaml.Append("  alpha: ").Append(slices.Alpha.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        yaml.Append("  alert_threshold: ").Append(slices.AlertThreshold.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        yaml.Append("  bootstrap_resamples: ").Append(slices.BootstrapResamples.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Options(StringBuilder yaml, string indent, IReadOnlyDictionary<string, string> options)
    {
        // Dotted keys (headers.X-Trace) are written flat: the reader turns nested maps into the same keys.
        foreach (var (key, value) in options.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            yaml.Append(indent).Append(Scalar(key)).Append(": ").Append(Scalar(IsSecret(key) ? Redacted : value)).Append('\n');
        }
    }

    /// <summary>A double-quoted scalar (JSON string syntax is valid YAML), so no value can change the structure.</summary>
    private static string Scalar(string value) => JsonSerializer.Serialize(value, Quote);
}
