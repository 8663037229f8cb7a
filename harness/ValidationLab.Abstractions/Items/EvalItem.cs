namespace ValidationLab.Items;

/// <summary>
/// One unit a suite evaluates: a question, a patient at time t, a probe. The pipeline sees only the common part;
/// <see cref="Payload"/> is the suite's own data. A suite makes <see cref="EvalItem{TPayload}"/>s and reads its
/// payload back typed (<see cref="EvalItem{TPayload}.Payload"/>), without casting.
/// </summary>
public record EvalItem
{
    /// <summary>Unique within the suite; the key for pairing runs and matching recorded predictions.</summary>
    public required string Id { get; init; }

    /// <summary>The unit resampled by cluster bootstrap (the patient); null when items are independent.</summary>
    public string? ClusterId { get; init; }

    /// <summary>Fields results are broken down by (e.g. meta_info = step1).</summary>
    public IReadOnlyDictionary<string, string> Strata { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What a reviewer reads: the question and its options, the patient summary.</summary>
    public required string Input { get; init; }

    /// <summary>The reference answer as a reviewer reads it ("B"), when the item has one.</summary>
    public string? Gold { get; init; }

    /// <summary>The file and 1-based line the item came from, for messages.</summary>
    public string? Source { get; init; }

    /// <summary>The suite's own data for the item, untyped; a suite reads <see cref="EvalItem{TPayload}.Payload"/>.</summary>
    public object Payload { get; init; } = NoPayload.Instance;

    /// <summary>What <see cref="Payload"/> holds when no one set it.</summary>
    private sealed class NoPayload
    {
        public static readonly NoPayload Instance = new();

        public override string ToString() => "(no payload)";
    }
}

/// <summary>
/// An item carrying its suite's own payload type. The typed <see cref="Payload"/> and the untyped
/// <see cref="EvalItem.Payload"/> are one value (the typed one reads the untyped one), so <c>item with { Payload = x }</c>
/// through either keeps them together.
/// </summary>
public sealed record EvalItem<TPayload> : EvalItem
    where TPayload : notnull
{
    /// <summary>The suite's own data for the item.</summary>
    public required new TPayload Payload
    {
        get => base.Payload is TPayload typed
            ? typed
            : throw new InvalidOperationException($"item '{Id}' holds a {base.Payload.GetType().Name}, not a {typeof(TPayload).Name}");
        init => base.Payload = value;
    }
}
