using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ValidationLab.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Governance;

/// <summary>
/// Reads a gate policy (docs/governance.md). Every problem is one <see cref="InputException"/> naming the policy
/// file, the line (from YamlDotNet's node marks) and the key, e.g. <c>criteria[2].operator</c>.
/// </summary>
public static partial class PolicyReader
{
    public static readonly IReadOnlyList<string> Operators = [">=", ">", "<=", "<", "==", "!="];

    private static readonly string[] TopKeys = ["name", "description", "required_roles", "comparison", "criteria"];
    private static readonly string[] CriterionKeys =
        ["name", "description", "path", "operator", "threshold", "absolute", "divide_by", "all", "any", "allow_empty", "when", "requires_roles"];

    private static readonly string[] ConditionKeys = ["path", "operator", "threshold", "absolute", "divide_by"];

    public static GatePolicy Read(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InputException("policy file not found", path);
        }

        var bytes = File.ReadAllBytes(full);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(Encoding.UTF8.GetString(bytes)));
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
            // As in the run config reader: some malformed inputs escape YamlDotNet's scanner as InvalidOperationException.
            throw new InputException($"not valid YAML: {ex.Message}", path, scanner.CurrentPosition.Line);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InputException("a policy is a mapping with 'name' and 'criteria'", path, 1);
        }

        var map = Mapping(root, path, "", TopKeys);
        var criteriaNode = map.GetValueOrDefault("criteria").Value
            ?? throw new InputException("the policy has no 'criteria'", path, root.Start.Line, "criteria");
        if (criteriaNode is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw new InputException("'criteria' must be a non-empty list of criteria", path, criteriaNode.Start.Line, "criteria");
        }

        var criteria = new List<Criterion>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var criterion = ReadCriterion(list.Children[i], path, $"criteria[{i}]");
            if (criteria.Any(c => c.Name == criterion.Name))
            {
                throw new InputException($"two criteria are named '{criterion.Name}'", path, criterion.Line, $"criteria[{i}].name");
            }

            criteria.Add(criterion);
        }

        return new GatePolicy
        {
            Name = RequiredScalar(map, "name", path, "", root),
            Description = OptionalScalar(map, "description", path, ""),
            File = path,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            RequiredRoles = Roles(map, "required_roles", path, ""),
            Comparison = ReadComparison(map.GetValueOrDefault("comparison").Value, path),
            Criteria = criteria,
        };
    }

    private static Criterion ReadCriterion(YamlNode node, string file, string key)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw new InputException("a criterion is a mapping with name, path, operator and threshold", file, node.Start.Line, key);
        }

        var map = Mapping(mapping, file, key + ".", CriterionKeys);
        var all = map.GetValueOrDefault("all");
        var any = map.GetValueOrDefault("any");
        if (all.Value is not null && any.Value is not null)
        {
            throw new InputException("a criterion has 'all' or 'any', not both", file, any.Key.Start.Line, key + ".any");
        }

        var (overKey, overNode) = all.Value is not null ? ("all", all.Value) : any.Value is not null ? ("any", any.Value) : (null, null);
        EvidencePath? over = null;
        if (overKey is not null)
        {
            over = EvidencePath.Parse(Scalar(overNode!, file, $"{key}.{overKey}"), relative: false, file, overNode!.Start.Line, $"{key}.{overKey}");
            if (!over.HasWildcard)
            {
                throw new InputException($"'{overKey}' names a collection: use '*' for the keys or elements to check, e.g. slices.*.*", file, overNode.Start.Line, $"{key}.{overKey}");
            }
        }

        var relative = over is not null;
        var check = ReadCondition(mapping, map, file, key, relative);
        Condition? when = null;
        if (map.GetValueOrDefault("when").Value is { } whenNode)
        {
            if (whenNode is not YamlMappingNode whenMap)
            {
                throw new InputException("'when' is a mapping with path, operator and threshold", file, whenNode.Start.Line, key + ".when");
            }

            when = ReadCondition(whenMap, Mapping(whenMap, file, key + ".when.", ConditionKeys), file, key + ".when", relative);
        }

        var allowEmpty = OptionalBool(map, "allow_empty", file, key + ".") ?? false;
        if (allowEmpty && over is null)
        {
            throw new InputException("'allow_empty' only applies to a criterion with 'all' or 'any'", file, map["allow_empty"].Key.Start.Line, key + ".allow_empty");
        }

        return new Criterion
        {
            Name = RequiredScalar(map, "name", file, key + ".", mapping),
            Description = OptionalScalar(map, "description", file, key + "."),
            Check = check,
            Over = over,
            Quantifier = overKey switch { "all" => Quantifier.All, "any" => Quantifier.Any, _ => Quantifier.None },
            AllowEmpty = allowEmpty,
            When = when,
            RequiresRoles = Roles(map, "requires_roles", file, key + "."),
            Line = mapping.Start.Line,
        };
    }

    private static Condition ReadCondition(YamlMappingNode node, Dictionary<string, (YamlNode Key, YamlNode Value)> map, string file, string key, bool relative)
    {
        var pathText = RequiredScalar(map, "path", file, key + ".", node);
        var path = EvidencePath.Parse(pathText, relative, file, map["path"].Value.Start.Line, key + ".path");
        if (path.HasWildcard)
        {
            throw new InputException("'*' belongs in 'all' or 'any'; 'path' names one value (relative to each element there)", file, path.Line, key + ".path");
        }

        EvidencePath? divideBy = null;
        if (OptionalScalar(map, "divide_by", file, key + ".") is { } divideText)
        {
            divideBy = EvidencePath.Parse(divideText, relative, file, map["divide_by"].Value.Start.Line, key + ".divide_by");
        }

        var op = RequiredScalar(map, "operator", file, key + ".", node);
        if (!Operators.Contains(op))
        {
            throw new InputException($"unknown operator '{op}' (use one of {string.Join(" ", Operators)})", file, map["operator"].Value.Start.Line, key + ".operator");
        }

        if (!map.TryGetValue("threshold", out var thresholdEntry))
        {
            throw new InputException("missing 'threshold'", file, node.Start.Line, key + ".threshold");
        }

        var thresholdNode = thresholdEntry.Value;
        var thresholdLine = thresholdNode.Start.Line;
        var raw = Scalar(thresholdNode, file, key + ".threshold");
        var quoted = thresholdNode is YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted };
        object threshold = !quoted && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number
            : !quoted && raw is "true" or "false" ? raw == "true"
            : raw;
        if (threshold is not double && op is not ("==" or "!="))
        {
            throw new InputException($"operator '{op}' needs a number as threshold, not '{raw}'", file, thresholdLine, key + ".threshold");
        }

        var absolute = OptionalBool(map, "absolute", file, key + ".") ?? false;
        if ((absolute || divideBy is not null) && threshold is not double)
        {
            throw new InputException("'absolute' and 'divide_by' compare numbers: the threshold must be a number", file, thresholdLine, key + ".threshold");
        }

        return new Condition { Path = path, DivideBy = divideBy, Operator = op, Threshold = threshold, Absolute = absolute, ThresholdLine = thresholdLine, Key = key };
    }

    private static ComparisonSettings ReadComparison(YamlNode? node, string file)
    {
        if (node is null)
        {
            return new ComparisonSettings();
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new InputException("'comparison' is a mapping with margin, seed and resamples", file, node.Start.Line, "comparison");
        }

        var map = Mapping(mapping, file, "comparison.", ["margin", "seed", "resamples"]);
        var settings = new ComparisonSettings();
        if (map.TryGetValue("margin", out var m))
        {
            var text = Scalar(m.Value, file, "comparison.margin");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var margin) || margin is < 0 or >= 1)
            {
                throw new InputException($"margin must be a fraction in [0, 1), not '{text}'", file, m.Value.Start.Line, "comparison.margin");
            }

            settings = settings with { Margin = margin };
        }

        foreach (var (name, min) in new[] { ("seed", int.MinValue), ("resamples", 100) })
        {
            if (map.TryGetValue(name, out var entry))
            {
                var text = Scalar(entry.Value, file, "comparison." + name);
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
                {
                    throw new InputException($"{name} must be an integer{(min > 0 ? $" of at least {min}" : "")}, not '{text}'", file, entry.Value.Start.Line, "comparison." + name);
                }

                settings = name == "seed" ? settings with { Seed = value } : settings with { Resamples = value };
            }
        }

        return settings;
    }

    private static Dictionary<string, (YamlNode Key, YamlNode Value)> Mapping(YamlMappingNode node, string file, string prefix, string[] known)
    {
        var map = new Dictionary<string, (YamlNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (k, v) in node.Children)
        {
            var name = Scalar(k, file, prefix.TrimEnd('.'));
            if (!known.Contains(name))
            {
                throw new InputException($"unknown key '{name}' (known: {string.Join(", ", known)})", file, k.Start.Line, prefix + name);
            }

            if (!map.TryAdd(name, (k, v)))
            {
                throw new InputException($"'{name}' is given twice", file, k.Start.Line, prefix + name);
            }
        }

        return map;
    }

    private static string Scalar(YamlNode node, string file, string key) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw new InputException("expected a single value here", file, node.Start.Line, key);

    private static string RequiredScalar(Dictionary<string, (YamlNode Key, YamlNode Value)> map, string name, string file, string prefix, YamlNode owner)
    {
        if (!map.TryGetValue(name, out var entry))
        {
            throw new InputException($"missing '{name}'", file, owner.Start.Line, prefix + name);
        }

        var value = Scalar(entry.Value, file, prefix + name);
        return string.IsNullOrWhiteSpace(value) ? throw new InputException($"'{name}' is empty", file, entry.Value.Start.Line, prefix + name) : value;
    }

    private static string? OptionalScalar(Dictionary<string, (YamlNode Key, YamlNode Value)> map, string name, string file, string prefix) =>
        map.TryGetValue(name, out var entry) ? Scalar(entry.Value, file, prefix + name) : null;

    private static bool? OptionalBool(Dictionary<string, (YamlNode Key, YamlNode Value)> map, string name, string file, string prefix) =>
        OptionalScalar(map, name, file, prefix) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw new InputException($"'{name}' is true or false, not '{other}'", file, map[name].Value.Start.Line, prefix + name),
        };

    private static IReadOnlyList<string> Roles(Dictionary<string, (YamlNode Key, YamlNode Value)> map, string name, string file, string prefix)
    {
        if (!map.TryGetValue(name, out var entry))
        {
            return [];
        }

        if (entry.Value is not YamlSequenceNode seq)
        {
            throw new InputException($"'{name}' is a list of role names, e.g. [clinical_reviewer, ml_lead]", file, entry.Value.Start.Line, prefix + name);
        }

        var roles = new List<string>();
        foreach (var item in seq.Children)
        {
            var role = Scalar(item, file, prefix + name);
            if (!RolePattern().IsMatch(role))
            {
                throw new InputException($"'{role}' is not a role name (lower-case letters, digits and underscores, e.g. clinical_reviewer)", file, item.Start.Line, prefix + name);
            }

            roles.Add(role);
        }

        return roles.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Role names as policies and sign-offs spell them.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    public static partial Regex RolePattern();
}
