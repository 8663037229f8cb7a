using System.Text.RegularExpressions;
using ValidationLab.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>
/// The reviewed exclusion list of the sex-swap probe (fixtures/probes/sex-swap-exclusions.yaml): rules, each with
/// a reason and patterns. A malformed file is an <see cref="InputException"/> naming the file, line and key.
/// </summary>
public sealed class SexSwapExclusions(IReadOnlyList<ExclusionRule> rules)
{
    /// <summary>The committed list, relative to the application folder (copied next to the suite's assembly).</summary>
    public const string DefaultPath = "fixtures/probes/sex-swap-exclusions.yaml";

    public IReadOnlyList<ExclusionRule> Rules { get; } = rules;

    /// <summary>The first rule the text matches, or null when the item may be swapped.</summary>
    public ExclusionRule? FirstMatch(string text) => Rules.FirstOrDefault(r => r.Matches(text));

    public static SexSwapExclusions Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new InputException("exclusion list not found", path);
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(File.ReadAllText(full));
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new InputException($"not valid YAML: {ex.Message}", path, ex.Start.Line);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) || rulesNode is not YamlSequenceNode sequence)
        {
            throw new InputException("expected a mapping with a 'rules' list", path, 1, "rules");
        }

        var rules = new List<ExclusionRule>();
        foreach (var node in sequence.Children)
        {
            if (node is not YamlMappingNode rule)
            {
                throw new InputException("each rule must be a mapping with id, reason and patterns", path, node.Start.Line, "rules");
            }

            string Text(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode { Value: { Length: > 0 } s }
                ? s
                : throw new InputException($"a rule has no '{key}'", path, rule.Start.Line, $"rules.{key}");
            var id = Text("id");
            var reason = Text("reason");
            if (!rule.Children.TryGetValue(new YamlScalarNode("patterns"), out var p) || p is not YamlSequenceNode patterns || patterns.Children.Count == 0)
            {
                throw new InputException($"rule '{id}' has no patterns", path, rule.Start.Line, "rules.patterns");
            }

            var regexes = new List<Regex>();
            foreach (var pattern in patterns.Children)
            {
                var text = (pattern as YamlScalarNode)?.Value ?? "";
                try
                {
                    regexes.Add(new Regex(text, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
                }
                catch (ArgumentException ex)
                {
                    throw new InputException($"rule '{id}': '{text}' is not a valid pattern ({ex.Message})", path, pattern.Start.Line, "rules.patterns");
                }
            }

            rules.Add(new ExclusionRule(id, reason, regexes));
        }

        return new SexSwapExclusions(rules);
    }
}
