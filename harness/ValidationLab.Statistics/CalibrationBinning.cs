namespace ValidationLab.Statistics;

/// <summary>How predicted probabilities are grouped for ECE and reliability diagrams.</summary>
public enum CalibrationBinning
{
    /// <summary>Bins of equal width on [0, 1]; bin = min(⌊p·B⌋, B − 1). Some bins may be empty.</summary>
    EqualWidth,

    /// <summary>Bins of (almost) equal count after a stable sort by p; the first n mod B bins get one extra item (numpy array_split).</summary>
    EqualCount,
}
