namespace ValidationLab.Governance;

/// <summary>One element of a collection criterion.</summary>
public sealed record ElementResult(string Path, bool Applicable, bool Passed, string ObservedText, string Why);
