namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>One statistic of a <see cref="SharedBootstrap"/>: its point value, and its interval or why there is none.</summary>
/// <param name="Point">The statistic on the original data (NaN when undefined).</param>
/// <param name="Result">The bootstrap interval and diagnostics; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why no interval could be formed; null when there is one.</param>
public sealed record BootstrapOutcome(double Point, BootstrapResult? Result, string? Problem);
