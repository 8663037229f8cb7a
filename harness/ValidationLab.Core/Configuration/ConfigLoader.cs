using System.Globalization;
using System.Text;
using ValidationLab.Discovery;
using ValidationLab.Errors;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Configuration;

/// <summary>
/// Turns what the user gave (a YAML file, flags, or nothing) into a validated <see cref="EvalConfig"/>. Flags
/// that override the file (seed, out, max error rate, limit, store, overwrite) are applied once, into the run
/// context every plug-in receives. Every key is checked against the suite's and runner's declared options before
/// anything runs, and every mistake is an <see cref="InputException"/> naming the file, line and key.
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
        if (options.Limit is < 1)
        {
            throw new InputException($"must be 1 or more, found {options.Limit.Value.ToString(CultureInfo.InvariantCulture)}", FlagsOrigin, field: "--limit");
        }

        if (options.Sample && options.Limit is null)
        {
            throw new InputException("--sample needs --limit N (how many items to draw)", FlagsOrigin, field: "--sample");
        }

        EvalConfig draft;
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

            draft = YamlConfigReader.Read(options.ConfigFile);
            draft = draft with { PathsAsGiven = AsGiven(draft, options.ConfigFile) };
        }
        else
        {
            draft = options.Suite is null && options.Data is null && options.Runner is null && options.Predictions is null
                ? EmbeddedDefault(options)
                : FromFlags(options);
        }

        // The one place flags override the file: the run context every plug-in is created with.
        var fromFile = draft.Run;
        var run = new RunContext
        {
            Seed = options.Seed ?? fromFile.Seed,
            OutDirectory = options.Out is null ? fromFile.OutDirectory : Path.GetFullPath(options.Out),
            MaxErrorRate = options.MaxErrorRate ?? fromFile.MaxErrorRate,
            Limit = options.Limit is { } count ? new RunLimit(count, options.Sample) : fromFile.Limit,
            StorePath = options.Store, // a file path or a PostgreSQL connection string: resolved by StoreSpec.Parse
            Overwrite = options.Overwrite,
        };
        var config = draft with
        {
            Run = run,
            Runner = draft.Runner with { Run = run },
            Suites = draft.Suites.Select(s => s with { Run = run }).ToList(),
        };
        return Validate(config);
    }

    /// <summary>Every registered suite that bundles a fixture, run by the baseline runner.</summary>
    private EvalConfig EmbeddedDefault(RunOptions options)
    {
        const string origin = "embedded default";
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var suites = new List<SuiteSettings>();
        foreach (var factory in registry.Suites.Values.Where(f => f.DefaultDataPath is not null))
        {
            // The fixture is read from the build output's copy, but it is the repository's file that the user
            // would look up: the manifest names it by its repository-relative path.
            var full = Path.GetFullPath(factory.DefaultDataPath!, AppContext.BaseDirectory);
            given[full] = factory.DefaultDataPath!.Replace('\\', '/');
            suites.Add(new SuiteSettings
            {
                Name = factory.Name,
                DataPath = full,
                Options = ParsePairs(options.SuiteOptions, "--suite-option"),
                BaseDirectory = AppContext.BaseDirectory,
                Origin = origin,
            });
        }

        if (suites.Count == 0)
        {
            throw new InputException("no suite with a bundled fixture is installed, so there is no embedded default to run", origin);
        }

        return new EvalConfig
        {
            Runner = new RunnerSettings { Name = DefaultRunner, Options = ParsePairs(options.RunnerOptions, "--runner-option"), Origin = origin },
            Suites = suites,
            Origin = origin,
            PathsAsGiven = given,
        };
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

        var cwd = Directory.GetCurrentDirectory();
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Full(string? typed)
        {
            if (typed is null)
            {
                return null;
            }

            var full = Path.GetFullPath(typed, cwd);
            given[full] = typed;
            return full;
        }

        var suiteOptions = ParsePairs(o.SuiteOptions, "--suite-option");
        AddIfSet(suiteOptions, "mode", o.Mode);
        AddIfSet(suiteOptions, "shots", o.Shots?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(suiteOptions, "exemplars", Full(o.Exemplars));
        var runnerOptions = ParsePairs(o.RunnerOptions, "--runner-option");
        AddIfSet(runnerOptions, "predictions", Full(o.Predictions));
        var runnerName = o.Runner ?? (o.Predictions is not null ? "replay" : DefaultRunner);

        var suite = new SuiteSettings { Name = o.Suite, DataPath = Full(o.Data)!, Options = suiteOptions, BaseDirectory = cwd, Origin = FlagsOrigin };
        var runner = new RunnerSettings { Name = runnerName, Options = runnerOptions, BaseDirectory = cwd, Origin = FlagsOrigin };
        return new EvalConfig { Runner = runner, Suites = [suite], Origin = FlagsOrigin, PathsAsGiven = given };
    }

    /// <summary>
    /// Data files named in a config file, as the user would name them from where they ran the command: relative
    /// to the working folder when the config was named by a relative path, else full paths.
    /// </summary>
    private static Dictionary<string, string> AsGiven(EvalConfig config, string configFile)
    {
        var relative = !Path.IsPathRooted(configFile);
        var cwd = Directory.GetCurrentDirectory();
        string Show(string full) => relative ? Path.GetRelativePath(cwd, full).Replace('\\', '/') : full;
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var suite in config.Suites)
        {
            given[suite.DataPath] = Show(suite.DataPath);
        }

        // Option values that name an existing file (predictions, exemplars) are shown the same way.
        foreach (var settings in config.Suites.Cast<PluginSettings>().Append(config.Runner))
        {
            foreach (var value in settings.Options.Values)
            {
                if (value.Length > 0 && value.IndexOfAny(Path.GetInvalidPathChars()) < 0 && File.Exists(settings.ResolvePath(value)))
                {
                    given.TryAdd(settings.ResolvePath(value), Show(settings.ResolvePath(value)));
                }
            }
        }

        return given;
    }

    /// <summary>Check names and keys against the registry; the data itself is checked when suites load.</summary>
    private EvalConfig Validate(EvalConfig config)
    {
        var runnerFactory = registry.Runner(config.Runner.Name, config.Runner.Origin, config.Runner.Line);
        CheckKeys(config.Runner, runnerFactory.OptionKeys, $"runner '{runnerFactory.Name}'");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var suite in config.Suites)
        {
            var factory = registry.Suite(suite.Name, suite.Origin, suite.Line);
            if (!seen.Add(suite.Name))
            {
                throw new InputException($"suite '{suite.Name}' is listed twice", suite.Origin, suite.Line, "suites");
            }

            CheckKeys(suite, factory.OptionKeys, $"suite '{suite.Name}'");
        }

        if (config.MaxErrorRate is { } rate && (rate < 0 || rate > 1 || double.IsNaN(rate)))
        {
            throw new InputException($"max_error_rate must be between 0 and 1, not {rate.ToString(CultureInfo.InvariantCulture)}",
                config.Origin, config.KeyLines.TryGetValue("max_error_rate", out var line) ? line : null, "max_error_rate");
        }

        return config;
    }

    private static void CheckKeys(PluginSettings settings, IReadOnlyCollection<string> known, string owner)
    {
        foreach (var key in settings.Options.Keys)
        {
            var ok = known.Any(k => k.EndsWith('.') ? key.StartsWith(k, StringComparison.Ordinal) && key.Length > k.Length : k == key);
            if (!ok)
            {
                throw settings.Error($"unknown setting '{key}' for {owner} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})", key);
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

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
