namespace ValidationLab.Store;

/// <summary>Which registered runs <see cref="IRunRegistry.ListRuns"/> returns; every given filter must hold.</summary>
public sealed record RunQuery
{
    /// <summary>Runs that evaluated this suite.</summary>
    public string? Suite { get; init; }

    /// <summary>Runs of this model (exact).</summary>
    public string? Model { get; init; }

    /// <summary>Runs started at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Runs started before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    public bool? Promoted { get; init; }

    /// <summary>At most this many runs (the newest); null: all.</summary>
    public int? Limit { get; init; }

    /// <summary>Every run.</summary>
    public static RunQuery All { get; } = new();
}
