namespace ValidationLab.Suites.MedQA;

/// <summary>How MedQA answers are obtained and scored; named in every output so numbers are never mixed up.</summary>
public enum MedQaMode
{
    /// <summary>The model writes an answer; the extractor reads the final letter from the text.</summary>
    Generate,

    /// <summary>Argmax of log P(" A" | prompt), log P(" B" | prompt), … as lm-evaluation-harness scores MedQA.</summary>
    LogLikelihood,
}
