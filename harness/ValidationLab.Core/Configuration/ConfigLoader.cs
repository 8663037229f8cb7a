using System.Globalization;
using System.Text;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Discovery;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Configuration;

/// <summary>
/// Turns what the user gave (a YAML file, flags, or nothing) into a validated <see cref="EvalConfig"/>. Every key
/// is checked against the suite's and runner's declared options before anything runs, and every mistake is an
/// <see cref="InputException"/> naming the file, line and key.
/// </summary>
public sealed class ConfigLoader(PluginCatalog registry)
{
    /// <summary>The runner the embedded default uses: offline, deterministic, documented as a floor.</summary>
    public const string DefaultRunner = "baseline";

    private const string FlagsOrigin = "command line";

    /// <summary>Build the configuration for <paramref name="options"/>: a config file, flags, or the embedded default.</summary>
    public EvalConfig Load(RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConfigFile is not null)
        {
            var conflicting = new[] { ("--suite", options.Suite), ("--data", options.Data), ("--runner", options.Runner),
                ("--predictions", options.Predictions), ("--mode", options.Mode), ("--exemplars", options.Exemplars) }
                .Where(f => f.Item2 is not null).Select(f => f.Item1).ToList();
            if (options.Shots is not null)
            {
                conflicting.Add("--shots");
            }

            if (conflicting.Count > 0 || options.RunnerOptions.Count > 0 || options.SuiteOptions.Count > 0)
            {
                throw new InputException(
                    $"--config cannot be combined with {string.Join(", ", conflicting.DefaultIfEmpty("--runner-option/--suite-option"))}; put those settings in the config file",
                    FlagsOrigin);
            }

            var fromFile = YamlConfigReader.Read(options.ConfigFile);
            return Validate(fromFile with
            {
                Seed = options.Seed ?? fromFile.Seed,
                OutDirectory = options.Out ?? fromFile.OutDirectory,
                MaxErrorRate = options.MaxErrorRate ?? fromFile.MaxErrorRate,
            });
        }

        return options.Suite is null && options.Data is null && options.Runner is null && options.Predictions is null
            ? EmbeddedDefault(options)
            : Validate(FromFlags(options));
    }

    /// <summary>Every registered suite that bundles a fixture, run by the baseline runner.</summary>
    private EvalConfig EmbeddedDefault(RunOptions options)
    {
        const string origin = "embedded default";
        var seed = options.Seed ?? 0;
        var suites = registry.Suites.Values
            .Where(f => f.DefaultDataPath is not null)
            .Select(f => new SuiteSettings
            {
                Name = f.Name,
                DataPath = Path.GetFullPath(f.DefaultDataPath!, AppContext.BaseDirectory),
                Options = ParsePairs(options.SuiteOptions, "--suite-option"),
                BaseDirectory = AppContext.BaseDirectory,
                Origin = origin,
                Seed = seed,
            })
            .ToList();
        if (suites.Count == 0)
        {
            throw new InputException("no suite with a bundled fixture is installed, so there is no embedded default to run", origin);
        }

        var runner = new RunnerSettings
        {
            Name = DefaultRunner,
            Options = ParsePairs(options.RunnerOptions, "--runner-option"),
            Origin = origin,
            Seed = seed,
        };
        return Validate(new EvalConfig
        {
            Runner = runner,
            Suites = suites,
            Seed = seed,
            OutDirectory = options.Out,
            MaxErrorRate = options.MaxErrorRate,
            ConfigSha256 = CanonicalHash(origin, runner, suites, seed),
            Origin = origin,
        });
    }

    private static EvalConfig FromFlags(RunOptions o)
    {
        if (o.Suite is null)
        {
            throw new InputException("--suite is required when --data, --runner or --predictions is given", FlagsOrigin, field: "--suite");
        }

        if (o.Data is null)
        {
            throw new InputException($"--data is required with --suite {o.Suite}", FlagsOrigin, field: "--data");
        }

        var seed = o.Seed ?? 0;
        var cwd = Directory.GetCurrentDirectory();
        var suiteOptions = ParsePairs(o.SuiteOptions, "--suite-option");
        AddIfSet(suiteOptions, "mode", o.Mode);
        AddIfSet(suiteOptions, "shots", o.Shots?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(suiteOptions, "exemplars", o.Exemplars is null ? null : Path.GetFullPath(o.Exemplars, cwd));
        var runnerOptions = ParsePairs(o.RunnerOptions, "--runner-option");
        AddIfSet(runnerOptions, "predictions", o.Predictions is null ? null : Path.GetFullPath(o.Predictions, cwd));
        var runnerName = o.Runner ?? (o.Predictions is not null ? "replay" : DefaultRunner);

        var suite = new SuiteSettings
        {
            Name = o.Suite,
            DataPath = Path.GetFullPath(o.Data, cwd),
            Options = suiteOptions,
            BaseDirectory = cwd,
            Origin = FlagsOrigin,
            Seed = seed,
        };
        var runner = new RunnerSettings { Name = runnerName, Options = runnerOptions, BaseDirectory = cwd, Origin = FlagsOrigin, Seed = seed };
        return new EvalConfig
        {
            Runner = runner,
            Suites = [suite],
            Seed = seed,
            OutDirectory = o.Out,
            MaxErrorRate = o.MaxErrorRate,
            ConfigSha256 = CanonicalHash(FlagsOrigin, runner, [suite], seed),
            Origin = FlagsOrigin,
        };
    }

    /// <summary>Check names and keys against the registry; the data itself is checked when suites load.</summary>
    private EvalConfig Validate(EvalConfig config)
    {
        var runnerFactory = registry.Runner(config.Runner.Name, config.Runner.Origin);
        CheckKeys(config.Runner.Options.Keys, runnerFactory.OptionKeys, $"runner '{runnerFactory.Name}'", config.Runner.Origin);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var suite in config.Suites)
        {
            var factory = registry.Suite(suite.Name, suite.Origin);
            if (!seen.Add(suite.Name))
            {
                throw new InputException($"suite '{suite.Name}' is listed twice", suite.Origin, field: "suites");
            }

            CheckKeys(suite.Options.Keys, factory.OptionKeys, $"suite '{suite.Name}'", suite.Origin);
        }

        if (config.MaxErrorRate is { } rate && (rate < 0 || rate > 1 || double.IsNaN(rate)))
        {
            throw new InputException($"max_error_rate must be between 0 and 1, not {rate.ToString(CultureInfo.InvariantCulture)}", config.Origin, field: "max_error_rate");
        }

        return config;
    }

    private static void CheckKeys(IEnumerable<string> keys, IReadOnlyCollection<string> known, string owner, string origin)
    {
        foreach (var key in keys)
        {
            var ok = known.Any(k => k.EndsWith('.') ? key.StartsWith(k, StringComparison.Ordinal) && key.Length > k.Length : k == key);
            if (!ok)
            {
                throw new InputException($"unknown setting '{key}' for {owner} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})", origin, field: key);
            }
        }
    }

    private static SortedDictionary<string, string> ParsePairs(IReadOnlyList<string> pairs, string flag)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new InputException($"'{pair}' is not key=value", FlagsOrigin, field: flag);
            }

            result[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }

        return result;
    }

    private static void AddIfSet(IDictionary<string, string> options, string key, string? value)
    {
        if (value is not null)
        {
            options[key] = value;
        }
    }

    private static string CanonicalHash(string origin, RunnerSettings runner, IReadOnlyList<SuiteSettings> suites, int seed)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            origin,
            seed,
            runner = new { runner.Name, options = new SortedDictionary<string, string>(runner.Options.ToDictionary(), StringComparer.Ordinal) },
            suites = suites.Select(s => new { s.Name, data = s.DataPath, options = new SortedDictionary<string, string>(s.Options.ToDictionary(), StringComparer.Ordinal) }),
        });
        return RequestHasher.Sha256Hex(canonical);
    }

    internal static string HashBytes(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
