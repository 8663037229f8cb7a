namespace ValidationLab.Governance;

/// <summary><c>path [÷ divide_by] operator threshold</c>, with <c>absolute</c> comparing |value|.</summary>
public sealed record Condition
{
    public required EvidencePath Path { get; init; }

    public EvidencePath? DivideBy { get; init; }

    public required string Operator { get; init; }

    /// <summary>A number, a boolean or a string (strings and booleans only with == and !=).</summary>
    public required object Threshold { get; init; }

    public bool Absolute { get; init; }

    /// <summary>Line of the threshold (type mismatches are reported there).</summary>
    public required long ThresholdLine { get; init; }

    /// <summary>Where this condition sits in the policy, e.g. <c>criteria[2]</c> or <c>criteria[2].when</c>.</summary>
    public required string Key { get; init; }

    public string ThresholdText => Threshold switch
    {
        double d => d.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => $"'{Threshold}'",
    };

    public string Describe() => $"{(Absolute ? "|" : "")}{Path.Text}{(DivideBy is null ? "" : " / " + DivideBy.Text)}{(Absolute ? "|" : "")} {Operator} {ThresholdText}";
}
