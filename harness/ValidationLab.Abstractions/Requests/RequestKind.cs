namespace ValidationLab.Requests;

/// <summary>What a suite asks of a model. A runner declares the kinds it supports; the pipeline checks them
/// against every planned suite before the first call.</summary>
public enum RequestKind
{
    /// <summary>Score each continuation of a context by log-likelihood (multiple choice, lm-evaluation-harness style).</summary>
    LogLikelihood,

    /// <summary>Generate text from chat messages under decoding parameters.</summary>
    Generate,

    /// <summary>Return a probability for an outcome of a patient as seen at time t (longitudinal replay).</summary>
    Risk,
}
