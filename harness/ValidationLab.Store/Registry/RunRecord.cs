namespace ValidationLab.Store;

/// <summary>One run as the store knows it.</summary>
public sealed record RunRecord(string RunId, string ConfigSha256, bool Finished, DateTimeOffset StartedUtc, DateTimeOffset? FinishedUtc, int ResumeCount);
