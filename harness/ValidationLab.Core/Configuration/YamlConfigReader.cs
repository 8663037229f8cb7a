using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Runners;
using ValidationLab.Suites;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Configuration;

/// <summary>
/// Reads a run config such as:
/// <code>
/// seed: 7
/// out: runs/release-42
/// max_error_rate: 0.02
/// limit: {count: 50, sample: true}   # or limit: 50 (the first 50 items)
/// shard: 0/4                          # only shard 0 of 4 (see ItemShard)
/// runner:
///   name: replay
///   predictions: preds.csv
/// suites:
///   - name: medqa
///     data: medqa/test.jsonl
///     mode: generate
/// model_card: model-card.json      # or inline: {intended_use: …, population: …, limitations: …}
/// </code>
/// Runner and suite settings other than their name (and a suite's data) are passed on as flat strings; nested
/// maps are flattened with dots (headers: {X-Trace: 1} becomes headers.X-Trace). Every problem names the line.
/// </summary>
internal static class YamlConfigReader
{
    private static readonly string[] TopLevelKeys = ["seed", "out", "max_error_rate", "limit", "shard", "runner", "suites", "slices", "model_card"];

    public static EvalConfig Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InputException("config file not found", path);
        }

        var bytes = File.ReadAllBytes(full);
        var baseDir = Path.GetDirectoryName(full)!;
        var stream = new YamlStream();
        using var reader = new StringReader(ConfigLoader.Utf8(bytes));
        var scanner = new Scanner(reader);
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new InputException($"not valid YAML: {ex.InnerException?.Message ?? ex.Message}", path, ex.Start.Line);
        }
        catch (InvalidOperationException ex)
        {
            // Some malformed inputs (an unclosed flow sequence) escape YamlDotNet's scanner as
            // InvalidOperationException rather than YamlException; the scanner still knows where it stopped.
            throw new InputException($"not valid YAML: {ex.Message}", path, scanner.CurrentPosition.Line);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputException("the config must be a mapping with 'runner' and 'suites'", path, 1);
        }

        int seed = 0;
        string? outDir = null;
        double? maxErrorRate = null;
        RunLimit? limit = null;
        RunShard? shard = null;
        RunnerSettings? runner = null;
        List<SuiteSettings>? suites = null;
        Analysis.Slicing.SliceSettings? slices = null;
        Exporters.ReportModelCard? modelCard = null;
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(keyNode, path);
            lines[key] = keyNode.Start.Line;
            switch (key)
            {
                case "seed":
                    seed = ParseInt(value, path, key);
                    break;
                case "out":
                    outDir = Path.GetFullPath(Scalar(value, path, key), baseDir);
                    break;
                case "max_error_rate":
                    maxErrorRate = ParseDouble(value, path, key);
                    break;
                case "limit":
                    limit = ReadLimit(value, path);
                    break;
                case "shard":
                    shard = Pipeline.ItemShard.Parse(Scalar(value, path, key), path, key, value.Start.Line);
                    break;
                case "runner":
                    runner = ReadRunner(value, path, baseDir);
                    break;
                case "suites":
                    suites = ReadSuites(value, path, baseDir);
                    break;
                case "slices":
                    // Issue 9: the slicing stage reads its own section (ValidationLab.Analysis.Slicing).
                    slices = Analysis.Slicing.SliceConfigReader.Read(value, path);
                    break;
                case "model_card":
                    // For the report only (intended use, population, limitations): inline, or a model-card file's path.
                    modelCard = ModelCardReader.FromConfig(value, path, baseDir);
                    break;
                default:
                    throw new InputException($"unknown key '{key}' (known: {string.Join(", ", TopLevelKeys)})", path, keyNode.Start.Line, key);
            }
        }

        if (runner is null)
        {
            throw new InputException("the config has no 'runner'", path, root.Start.Line, "runner");
        }

        if (suites is null || suites.Count == 0)
        {
            throw new InputException("the config has no 'suites'", path, lines.TryGetValue("suites", out var l) ? l : root.Start.Line, "suites");
        }

        return new EvalConfig
        {
            Runner = runner,
            Suites = suites,
            Run = new RunContext { Seed = seed, OutDirectory = outDir, MaxErrorRate = maxErrorRate, Limit = limit, Shard = shard },
            Slices = slices,
            ModelCard = modelCard,
            Origin = path,
            KeyLines = lines,
        };
    }

    private static RunnerSettings ReadRunner(YamlNode node, string path, string baseDir)
    {
        if (node is YamlScalarNode scalar)
        {
            return new RunnerSettings { Name = Scalar(scalar, path, "runner"), BaseDirectory = baseDir, Origin = path, Line = scalar.Start.Line };
        }

        var map = Mapping(node, path, "runner");
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        string? name = null;
        long line = node.Start.Line;
        foreach (var (k, v) in map.Children)
        {
            var key = Scalar(k, path);
            if (key == "name")
            {
                name = Scalar(v, path, key);
                line = k.Start.Line;
            }
            else
            {
                Flatten(key, k.Start.Line, v, options, lines, path);
            }
        }

        return new RunnerSettings
        {
            Name = name ?? throw new InputException("the runner has no 'name'", path, node.Start.Line, "runner.name"),
            Options = options,
            OptionLines = lines,
            Line = line,
            BaseDirectory = baseDir,
            Origin = path,
        };
    }

    private static List<SuiteSettings> ReadSuites(YamlNode node, string path, string baseDir)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw new InputException("'suites' must be a list", path, node.Start.Line, "suites");
        }

        var suites = new List<SuiteSettings>();
        foreach (var item in sequence.Children)
        {
            var map = Mapping(item, path, "suites");
            string? name = null, data = null;
            long line = item.Start.Line;
            var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var lines = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var key = Scalar(k, path);
                switch (key)
                {
                    case "name":
                        name = Scalar(v, path, key);
                        line = k.Start.Line;
                        break;
                    case "data":
                        data = Scalar(v, path, key);
                        lines["data"] = k.Start.Line;
                        break;
                    default:
                        Flatten(key, k.Start.Line, v, options, lines, path);
                        break;
                }
            }

            if (name is null)
            {
                throw new InputException("a suite has no 'name'", path, item.Start.Line, "suites.name");
            }

            if (data is null)
            {
                throw new InputException($"suite '{name}' has no 'data'", path, item.Start.Line, "suites.data");
            }

            suites.Add(new SuiteSettings
            {
                Name = name,
                DataPath = Path.GetFullPath(data, baseDir),
                Options = options,
                OptionLines = lines,
                Line = line,
                BaseDirectory = baseDir,
                Origin = path,
            });
        }

        return suites;
    }

    private static void Flatten(string prefix, long line, YamlNode node, IDictionary<string, string> into, IDictionary<string, long> lines, string path)
    {
        switch (node)
        {
            case YamlScalarNode s:
                into[prefix] = s.Value ?? "";
                lines[prefix] = line;
                break;
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    Flatten($"{prefix}.{Scalar(k, path)}", k.Start.Line, v, into, lines, path);
                }

                break;
            default:
                throw new InputException("lists are not accepted here; give a value or a mapping", path, node.Start.Line, prefix);
        }
    }

    /// <summary><c>limit: 50</c> (the first 50 items) or <c>limit: {count: 50, sample: true}</c> (a seeded sample).</summary>
    private static RunLimit ReadLimit(YamlNode node, string path)
    {
        int? count = null;
        var sample = false;
        if (node is YamlScalarNode)
        {
            count = ParseInt(node, path, "limit");
        }
        else
        {
            foreach (var (k, v) in Mapping(node, path, "limit").Children)
            {
                switch (Scalar(k, path))
                {
                    case "count":
                        count = ParseInt(v, path, "limit.count");
                        break;
                    case "sample":
                        sample = Scalar(v, path, "limit.sample").Trim().ToLowerInvariant() switch
                        {
                            "true" => true,
                            "false" => false,
                            var other => throw new InputException($"'{other}' is not true or false", path, v.Start.Line, "limit.sample"),
                        };
                        break;
                    case var other:
                        throw new InputException($"unknown key '{other}' (known: count, sample)", path, k.Start.Line, "limit." + other);
                }
            }
        }

        return count is null ? throw new InputException("'limit' needs a 'count'", path, node.Start.Line, "limit.count")
            : count < 1 ? throw new InputException($"must be 1 or more, found {count}", path, node.Start.Line, "limit.count")
            : new RunLimit(count.Value, sample);
    }

    private static YamlMappingNode Mapping(YamlNode node, string path, string field) =>
        node as YamlMappingNode ?? throw new InputException("expected a mapping", path, node.Start.Line, field);

    private static string Scalar(YamlNode node, string path, string? field = null) =>
        node is YamlScalarNode { Value: { } v } ? v : throw new InputException("expected a single value", path, node.Start.Line, field);

    private static int ParseInt(YamlNode node, string path, string field) =>
        int.TryParse(Scalar(node, path, field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException("expected a whole number", path, node.Start.Line, field);

    private static double ParseDouble(YamlNode node, string path, string field) =>
        double.TryParse(Scalar(node, path, field), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException("expected a number", path, node.Start.Line, field);
}
