using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Errors;

namespace ValidationLab.Governance;

/// <summary>
/// Judges a policy's criteria over a run's results.json and comparison.json (as JSON, through the documented paths).
/// A path that does not resolve or a value of the wrong type is a policy error (<see cref="InputException"/>);
/// an absent value (null) fails its criterion with the reason the results give, never passes.
/// </summary>
public static class GateEvaluator
{
    public static IReadOnlyList<CriterionResult> Evaluate(GatePolicy policy, JsonNode results, JsonNode? comparison)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Criteria.Select(c => Evaluate(c, results, comparison)).ToList();
    }

    private static CriterionResult Evaluate(Criterion criterion, JsonNode results, JsonNode? comparison)
    {
        var check = criterion.Check;
        var result = new CriterionResult
        {
            Name = criterion.Name,
            Description = criterion.Description,
            Expression = (criterion.Over is null ? "" : $"{criterion.Quantifier.ToString().ToLowerInvariant()} {criterion.Over.Text}: ")
                + check.Describe() + (criterion.When is null ? "" : $" where {criterion.When.Describe()}"),
            Operator = check.Operator,
            Threshold = ThresholdNode(check.Threshold),
            ObservedText = "",
            Passed = false,
            Why = "",
            RequiresRoles = criterion.RequiresRoles,
        };

        if (criterion.Over is not { } over)
        {
            if (criterion.When is { } when)
            {
                var applies = Judge(when, null, results, comparison);
                if (applies.Holds is null)
                {
                    return result with { ObservedText = applies.ObservedText, Why = $"cannot tell whether it applies: {applies.Why}" };
                }

                if (applies.Holds == false)
                {
                    return result with { ObservedText = applies.ObservedText, Passed = true, Why = $"not applicable: {when.Describe()} does not hold ({applies.ObservedText})" };
                }
            }

            var outcome = Judge(check, null, results, comparison);
            return result with { Observed = outcome.Observed, ObservedText = outcome.ObservedText, Passed = outcome.Holds == true, Why = outcome.Why };
        }

        var elements = new List<ElementResult>();
        var conditionUndecidable = 0;
        foreach (var (path, node) in over.ResolveAll(Document(over, results, comparison, criterion), DocumentName(over)))
        {
            if (criterion.When is { } when)
            {
                var applies = Judge(when, (path, node), results, comparison);
                if (applies.Holds != true)
                {
                    // Inside a collection, an element whose condition value is absent (a slice too small to test, the
                    // reference group itself) is one the condition does not select: "adjusted p < 0.05" does not hold
                    // where no p-value exists. The criterion's own value being absent still fails.
                    conditionUndecidable += applies.Holds is null ? 1 : 0;
                    elements.Add(applies.Holds is null
                        ? new ElementResult(path, false, true, applies.ObservedText, $"not applicable: {when.Describe()} cannot be evaluated ({applies.Why})")
                        : new ElementResult(path, false, true, applies.ObservedText, $"not applicable: {when.Describe()} does not hold"));
                    continue;
                }
            }

            var outcome = Judge(check, (path, node), results, comparison);
            elements.Add(new ElementResult(path, true, outcome.Holds == true, outcome.ObservedText, outcome.Why));
        }

        var applicable = elements.Where(e => e.Applicable).ToList();
        var failing = applicable.Where(e => !e.Passed).ToList();
        var summary = $"{elements.Count} matched, {applicable.Count} applicable, {applicable.Count - failing.Count} hold";
        if (elements.Count == 0)
        {
            return result with
            {
                ObservedText = "nothing matched",
                Passed = criterion.AllowEmpty,
                Why = criterion.AllowEmpty ? "nothing to check (the policy allows an empty collection)" : $"'{over.Text}' matched nothing: a criterion over nothing is not evidence (set allow_empty: true if that is intended)",
                Elements = elements,
            };
        }

        if (conditionUndecidable == elements.Count && criterion.When is { } condition)
        {
            // No element had a value for the condition at all: a mistyped condition path must not pass silently.
            return result with
            {
                ObservedText = summary,
                Why = $"cannot tell whether {condition.Describe()} applies to any of the {elements.Count} element(s): it has no value in any of them",
                Elements = elements,
            };
        }

        if (criterion.Quantifier == Quantifier.All)
        {
            var why = failing.Count == 0
                ? applicable.Count == 0 ? "holds: no element is applicable" : $"holds for all {applicable.Count} applicable"
                : $"fails for {string.Join("; ", failing.Take(5).Select(e => $"{e.Path}: {e.Why}"))}{(failing.Count > 5 ? $"; and {failing.Count - 5} more" : "")}";
            return result with { ObservedText = summary, Passed = failing.Count == 0, Why = why, Elements = elements };
        }

        var holding = applicable.Where(e => e.Passed).ToList();
        return result with
        {
            ObservedText = summary,
            Passed = holding.Count > 0,
            Why = holding.Count > 0 ? $"holds for {string.Join(", ", holding.Take(5).Select(e => e.Path))}" : "holds for no applicable element",
            Elements = elements,
        };
    }

    private sealed record Outcome(bool? Holds, JsonNode? Observed, string ObservedText, string Why);

    private static Outcome Judge(Condition condition, (string Path, JsonNode? Node)? element, JsonNode results, JsonNode? comparison)
    {
        var (value, text, absentReason) = Read(condition.Path, element, results, comparison, condition);
        if (absentReason is not null)
        {
            return new Outcome(null, null, text, $"absent: {absentReason}");
        }

        if (condition.DivideBy is { } divideBy)
        {
            var (den, denText, denAbsent) = Read(divideBy, element, results, comparison, condition);
            if (denAbsent is not null)
            {
                return new Outcome(null, null, denText, $"absent: {denAbsent}");
            }

            var (n, d) = (Number(value!, condition.Path, condition), Number(den!, divideBy, condition));
            if (d == 0)
            {
                return new Outcome(null, null, $"{Format(n)} / 0", $"cannot divide by {divideBy.Text}, which is 0");
            }

            value = JsonValue.Create(n / d);
            text = $"{Format(n / d)} ({Format(n)} / {Format(d)})";
        }

        if (condition.Threshold is double threshold)
        {
            var observed = Number(value!, condition.Path, condition);
            if (condition.Absolute)
            {
                observed = Math.Abs(observed);
                text = $"|{text}|";
            }

            var holds = condition.Operator switch
            {
                ">=" => observed >= threshold,
                ">" => observed > threshold,
                "<=" => observed <= threshold,
                "<" => observed < threshold,
                "==" => observed == threshold,
                _ => observed != threshold,
            };
            return new Outcome(holds, JsonValue.Create(observed), text, $"{Format(observed)} {(holds ? "" : "is not ")}{condition.Operator} {condition.ThresholdText}");
        }

        var same = condition.Threshold switch
        {
            bool b => value!.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? value.GetValue<bool>() == b
                : throw TypeError(condition, value, "true or false"),
            _ => value!.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>() == (string)condition.Threshold
                : throw TypeError(condition, value, "a string"),
        };
        var equal = condition.Operator == "==" ? same : !same;
        return new Outcome(equal, value.DeepClone(), text, $"{text} {(equal ? "" : "is not ")}{condition.Operator} {condition.ThresholdText}");
    }

    /// <summary>The value at <paramref name="path"/>, its text for a reviewer, or why it is absent.</summary>
    private static (JsonNode? Value, string Text, string? AbsentReason) Read(EvidencePath path, (string Path, JsonNode? Node)? element, JsonNode results, JsonNode? comparison, Condition condition)
    {
        JsonNode? root;
        string name;
        if (element is { } e)
        {
            root = e.Node;
            name = $"'{e.Path}'";
        }
        else
        {
            root = Document(path, results, comparison, null);
            name = DocumentName(path);
        }

        var parentPath = path with { Segments = path.Segments.Take(path.Segments.Count - 1).ToList() };
        var parent = parentPath.Segments.Count == 0 ? root : parentPath.Resolve(root, name);
        var node = path.Resolve(root, name);

        // A path may name a metric object ({value, ci_low, ci_high, n, method}): its value is compared.
        JsonObject? metric = null;
        var metricName = path.Segments[^1];
        if (IsMetric(node))
        {
            metric = (JsonObject)node!;
            node = metric["value"];
        }
        else if (IsMetric(parent))
        {
            metric = (JsonObject)parent!;
            metricName = path.Segments.Count > 1 ? path.Segments[^2] : metricName;
        }

        if (node is null)
        {
            var reason = Reason(metric ?? parent as JsonObject) ?? $"{path.Text} is null (no value was computed)";
            return (null, "absent", reason);
        }

        if (node is not JsonValue)
        {
            throw new InputException($"path '{path.Text}' names {(node is JsonArray ? "a list" : "an object")}, not a value: name one of its fields", path.File, path.Line, path.Key);
        }

        var text = node.GetValueKind() == JsonValueKind.Number ? Format(node.GetValue<double>()) : node.ToJsonString();
        if (metric is not null)
        {
            text += $" ({Interval(metric, metricName, ReferenceEquals(metric["value"], node))})";
        }

        return (node, text, null);
    }

    private static bool IsMetric(JsonNode? node) =>
        node is JsonObject o && o.ContainsKey("value") && o.ContainsKey("ci_low") && o.ContainsKey("ci_high");

    /// <summary>"95% CI 0.1675–0.4269, n=43" (preceded by the metric's value when a bound was compared).</summary>
    private static string Interval(JsonObject metric, string name, bool comparedValue)
    {
        var parts = new List<string>();
        if (!comparedValue && metric["value"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            parts.Add($"{name} {Format(v.GetValue<double>())}");
        }

        if (metric["ci_low"] is JsonValue lo && metric["ci_high"] is JsonValue hi
            && lo.GetValueKind() == JsonValueKind.Number && hi.GetValueKind() == JsonValueKind.Number)
        {
            var method = metric["method"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : "CI";
            parts.Add($"{method} {Format(lo.GetValue<double>())} to {Format(hi.GetValue<double>())}");
        }

        if (metric["n"] is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
        {
            parts.Add($"n={n.ToJsonString()}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Why a value is absent, as the results say it (a <c>reason</c> or <c>*_reason</c> field next to it).</summary>
    private static string? Reason(JsonObject? owner) => owner?
        .Where(p => (p.Key == "reason" || p.Key.EndsWith("_reason", StringComparison.Ordinal)) && p.Value is JsonValue r && r.GetValueKind() == JsonValueKind.String)
        .Select(p => p.Value!.GetValue<string>())
        .FirstOrDefault();

    private static double Number(JsonNode value, EvidencePath path, Condition condition) =>
        value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : throw TypeError(condition, value, "a number", path);

    private static InputException TypeError(Condition condition, JsonNode? value, string expected, EvidencePath? path = null)
    {
        var p = path ?? condition.Path;
        return new InputException($"'{p.Text}' is {value?.ToJsonString() ?? "null"}, which cannot be compared with {condition.ThresholdText} (expected {expected})", p.File, p.Line, p.Key);
    }

    private static JsonNode? Document(EvidencePath path, JsonNode results, JsonNode? comparison, Criterion? criterion)
    {
        if (path.Document != EvidencePath.ComparisonRoot)
        {
            return results;
        }

        return comparison ?? throw new InputException(
            $"'{path.Text}' reads comparison.json, but there is none: give --baseline DIR (the production run) or put a comparison.json in the run folder",
            path.File, path.Line, path.Key);
    }

    private static string DocumentName(EvidencePath path) => path.Document == EvidencePath.ComparisonRoot ? Evidence.Comparison : Evidence.Results;

    private static JsonNode ThresholdNode(object threshold) => threshold switch
    {
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        _ => JsonValue.Create((string)threshold),
    };

    /// <summary>Whole numbers as such, small p-values in scientific notation (never a bare 0), else 4 decimals.</summary>
    public static string Format(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(v) < 0.001 ? v.ToString("0.###E+0", CultureInfo.InvariantCulture)
        : v.ToString("0.####", CultureInfo.InvariantCulture);
}
