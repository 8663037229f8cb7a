namespace ValidationLab.Governance;

/// <summary>
/// What a sign-off decides, and the fixed sentence stating what the signature means (21 CFR 11.50: the meaning of
/// a signature is part of the record). Only <c>approve</c> counts towards promotion.
/// </summary>
public static class SignoffDecision
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Conditional = "conditional";

    public static IReadOnlyList<string> All { get; } = [Approve, Reject, Conditional];

    public static string Meaning(string decision) => decision switch
    {
        Approve => "I have reviewed this report, its results and the gate verdict, and I approve promotion of this model.",
        Reject => "I have reviewed this report, its results and the gate verdict, and I reject promotion of this model.",
        Conditional => "I have reviewed this report, its results and the gate verdict, and I approve promotion of this model only under the conditions stated in my comment; this is not an approval until they are met.",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown decision"),
    };
}
