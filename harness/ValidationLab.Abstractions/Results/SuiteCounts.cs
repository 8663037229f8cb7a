namespace ValidationLab.Results;

/// <summary>How many items a suite had and how they ended.</summary>
public sealed record SuiteCounts(int Items, int Scored, int Unparseable, int Errored);
