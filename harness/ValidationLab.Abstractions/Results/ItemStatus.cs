namespace ValidationLab.Results;

/// <summary>How an item ended.</summary>
public enum ItemStatus
{
    /// <summary>An answer was extracted and compared with the reference.</summary>
    Scored,

    /// <summary>The model answered but no answer could be extracted: scored incorrect, counted separately.</summary>
    Unparseable,

    /// <summary>No answer (request failed, no recorded prediction): excluded from accuracy, counted.</summary>
    Errored,
}
