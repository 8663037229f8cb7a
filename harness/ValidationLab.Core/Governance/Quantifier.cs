namespace ValidationLab.Governance;

/// <summary>Whether a criterion over a collection needs every element or at least one.</summary>
public enum Quantifier
{
    None,
    All,
    Any,
}
