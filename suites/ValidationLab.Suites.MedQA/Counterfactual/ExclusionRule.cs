using System.Text.RegularExpressions;

namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>One reviewed reason to leave an item out of the sex-swap probe, with the patterns that detect it.</summary>
public sealed record ExclusionRule(string Id, string Reason, IReadOnlyList<Regex> Patterns)
{
    public bool Matches(string text) => Patterns.Any(p => p.IsMatch(text));
}
