using System.Globalization;
using ValidationLab.Errors;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// Reads the <c>slices:</c> section of a run config (see <see cref="SliceSettings"/>). Every mistake that can be
/// seen without the data is an <see cref="InputException"/> naming the file, line and key; checks that need the
/// items (an attribute no item has, a value a grouping leaves unmapped) are <see cref="SliceValidator"/>'s.
/// </summary>
public static class SliceConfigReader
{
    /// <summary>An intersection crosses at most this many attributes: beyond it almost every cell is suppressed.</summary>
    public const int MaxIntersection = 3;

    private static readonly string[] Keys =
        ["attributes", "intersections", "age_bands", "groupings", "reference", "reference_groups", "correction", "min_cell", "alpha", "alert_threshold", "bootstrap_resamples"];

    public static SliceSettings Read(YamlNode node, string path)
    {
        ArgumentNullException.ThrowIfNull(node);
        var map = node as YamlMappingNode ?? throw new InputException("'slices' must be a mapping (attributes, intersections, ...)", path, Line(node), "slices");
        var families = new List<SliceFamilySpec>();
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var settings = new SliceSettings { Families = families, Origin = path, Lines = lines };
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode, path, "slices");
            var field = "slices." + key;
            switch (key)
            {
                case "attributes":
                    foreach (var a in Sequence(value, path, field))
                    {
                        var name = Scalar(a, path, field).Trim();
                        if (SplitIntersection(name).Length > 1)
                        {
                            throw new InputException($"'{name}' is an intersection; list it under slices.intersections", path, Line(a), field);
                        }

                        Add(families, lines, [name], a, path, field);
                    }

                    break;
                case "intersections":
                    foreach (var i in Sequence(value, path, field))
                    {
                        var parts = SplitIntersection(Scalar(i, path, field));
                        if (parts.Length < 2)
                        {
                            throw new InputException($"'{Scalar(i, path, field)}' is not an intersection; write two or three attributes as 'sex x age_band'", path, Line(i), field);
                        }

                        if (parts.Length > MaxIntersection)
                        {
                            throw new InputException(
                                $"'{Scalar(i, path, field)}' crosses {parts.Length} attributes; at most {MaxIntersection} are allowed (beyond that nearly every cell falls under min_cell)",
                                path, Line(i), field);
                        }

                        if (parts.Distinct(StringComparer.Ordinal).Count() != parts.Length)
                        {
                            throw new InputException($"'{Scalar(i, path, field)}' names an attribute twice", path, Line(i), field);
                        }

                        Add(families, lines, parts, i, path, field);
                    }

                    break;
                case "age_bands":
                    var cuts = Sequence(value, path, field).Select(c => ParseInt(c, path, field)).ToList();
                    if (cuts.Count == 0 || cuts.Zip(cuts.Skip(1)).Any(p => p.Second <= p.First) || cuts[0] <= 0)
                    {
                        throw new InputException("age_bands must be increasing positive ages in years, e.g. [18, 45, 65]", path, Line(value), field);
                    }

                    settings = settings with { AgeBands = cuts };
                    break;
                case "groupings":
                    settings = settings with { Groupings = ReadGroupings(value, path) };
                    break;
                case "reference":
                    settings = settings with
                    {
                        Reference = Scalar(value, path, field).Trim().ToLowerInvariant() switch
                        {
                            "largest" => SliceReferenceKind.Largest,
                            "overall" => SliceReferenceKind.Overall,
                            "named" => SliceReferenceKind.Named,
                            var other => throw new InputException($"'{other}' is not a reference; use largest, overall or named", path, Line(value), field),
                        },
                    };
                    break;
                case "reference_groups":
                    var named = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (k, v) in Mapping(value, path, field).Children)
                    {
                        named[Scalar(k, path, field)] = Scalar(v, path, field + "." + Scalar(k, path, field));
                    }

                    settings = settings with { ReferenceGroups = named };
                    break;
                case "correction":
                    settings = settings with
                    {
                        Correction = Scalar(value, path, field).Trim().ToLowerInvariant() switch
                        {
                            "holm" => SliceCorrection.Holm,
                            "bh" or "fdr_bh" or "benjamini-hochberg" => SliceCorrection.BenjaminiHochberg,
                            var other => throw new InputException($"'{other}' is not a correction; use holm or bh", path, Line(value), field),
                        },
                    };
                    break;
                case "min_cell":
                    var minCell = ParseInt(value, path, field);
                    settings = settings with { MinCell = minCell >= 1 ? minCell : throw new InputException($"min_cell must be 1 or more, not {minCell}", path, Line(value), field) };
                    break;
                case "alpha":
                    var alpha = ParseDouble(value, path, field);
                    settings = settings with { Alpha = alpha is > 0 and < 1 ? alpha : throw new InputException("alpha must lie strictly between 0 and 1", path, Line(value), field) };
                    break;
                case "alert_threshold":
                    var threshold = ParseDouble(value, path, field);
                    settings = settings with { AlertThreshold = threshold is >= 0 and <= 1 ? threshold : throw new InputException("alert_threshold must lie between 0 and 1", path, Line(value), field) };
                    break;
                case "bootstrap_resamples":
                    var resamples = ParseInt(value, path, field);
                    settings = settings with { BootstrapResamples = resamples >= 100 ? resamples : throw new InputException("bootstrap_resamples must be 100 or more", path, Line(value), field) };
                    break;
                default:
                    throw new InputException($"unknown key '{key}' (known: {string.Join(", ", Keys)})", path, Line(keyNode), field);
            }
        }

        if (families.Count == 0)
        {
            throw new InputException("'slices' declares no attributes or intersections", path, Line(node), "slices.attributes");
        }

        if (settings.Reference == SliceReferenceKind.Named)
        {
            foreach (var attribute in families.SelectMany(f => f.Attributes).Distinct(StringComparer.Ordinal))
            {
                if (!settings.ReferenceGroups.ContainsKey(attribute))
                {
                    throw new InputException($"reference: named needs a reference group for '{attribute}' in slices.reference_groups", path, Line(node), "slices.reference_groups");
                }
            }
        }

        return settings;
    }

    /// <summary>"sex x age_band x site" -> [sex, age_band, site]; an 'x' inside a name (e.g. 'sex') is not a separator.</summary>
    internal static string[] SplitIntersection(string text) =>
        text.Replace('×', 'x').Split([" x ", " X ", "*"], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, SliceGrouping> ReadGroupings(YamlNode node, string path)
    {
        var result = new Dictionary<string, SliceGrouping>(StringComparer.Ordinal);
        foreach (var (attrNode, groupsNode) in Mapping(node, path, "slices.groupings").Children)
        {
            var attribute = Scalar(attrNode, path, "slices.groupings");
            var field = $"slices.groupings.{attribute}";
            var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (groupNode, valuesNode) in Mapping(groupsNode, path, field).Children)
            {
                var group = Scalar(groupNode, path, field);
                foreach (var v in Sequence(valuesNode, path, $"{field}.{group}"))
                {
                    var raw = Scalar(v, path, $"{field}.{group}");
                    if (!groupOf.TryAdd(raw, group) && groupOf[raw] != group)
                    {
                        throw new InputException($"'{raw}' is mapped to both '{groupOf[raw]}' and '{group}'", path, Line(v), $"{field}.{group}");
                    }
                }
            }

            result[attribute] = new SliceGrouping(groupOf, Line(attrNode));
        }

        return result;
    }

    private static void Add(List<SliceFamilySpec> families, Dictionary<string, long> lines, string[] attributes, YamlNode node, string path, string field)
    {
        var spec = new SliceFamilySpec(attributes);
        if (!lines.TryAdd(spec.Name, Line(node)))
        {
            throw new InputException($"'{spec.Name}' is declared twice", path, Line(node), field);
        }

        families.Add(spec);
    }

    private static long Line(YamlNode node) => node.Start.Line;

    private static IEnumerable<YamlNode> Sequence(YamlNode node, string path, string field) =>
        node switch
        {
            YamlSequenceNode s => s.Children,
            YamlScalarNode => [node],
            _ => throw new InputException("expected a list", path, Line(node), field),
        };

    private static YamlMappingNode Mapping(YamlNode node, string path, string field) =>
        node as YamlMappingNode ?? throw new InputException("expected a mapping", path, Line(node), field);

    private static string Scalar(YamlNode node, string path, string field) =>
        node is YamlScalarNode { Value: { } v } ? v : throw new InputException("expected a single value", path, Line(node), field);

    private static int ParseInt(YamlNode node, string path, string field) =>
        int.TryParse(Scalar(node, path, field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException("expected a whole number", path, Line(node), field);

    private static double ParseDouble(YamlNode node, string path, string field) =>
        double.TryParse(Scalar(node, path, field), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new InputException("expected a number", path, Line(node), field);
}
