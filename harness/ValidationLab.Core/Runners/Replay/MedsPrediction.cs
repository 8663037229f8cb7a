namespace ValidationLab.Runners.Replay;

/// <summary>
/// One row of a MEDS label file: the subject, the prediction time (normalised to UTC), the recorded probability
/// (null when the cell is empty: the model gave none), the recorded label when present, and the 1-based line.
/// </summary>
public sealed record MedsPrediction(string SubjectId, DateTimeOffset PredictionTime, double? Probability, bool? Label, long Line);
