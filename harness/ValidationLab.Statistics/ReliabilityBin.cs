namespace ValidationLab.Statistics;

/// <summary>One bin of a reliability diagram. Empty bins have Count 0 and both means 0.</summary>
/// <param name="Index">Bin index, 0-based.</param>
/// <param name="Count">Number of predictions in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability in the bin.</param>
/// <param name="ObservedFrequency">Observed event rate in the bin.</param>
/// <param name="Lower">Smallest predicted probability in the bin (equal-width: the bin edge).</param>
/// <param name="Upper">Largest predicted probability in the bin (equal-width: the bin edge).</param>
public sealed record ReliabilityBin(int Index, int Count, double MeanPredicted, double ObservedFrequency, double Lower, double Upper);
