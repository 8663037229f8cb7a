using ValidationLab.Results;

namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// One scored decision point as the risk metrics read it.
/// <para><see cref="PatientId"/> is the cluster: decision points of one patient are correlated, so intervals resample
/// whole patients. <see cref="UnitId"/> is the admission or encounter the label belongs to (nested in the patient).
/// <see cref="Onset"/> is the time of the outcome event that made the unit positive (the same on all its decision
/// points; null for a unit without the event). <see cref="ExposureHours"/> is the stay this decision point covers
/// (usually the interval to the next one), for alerts per 100 patient-days. Items with <see cref="ItemStatus.Errored"/>
/// or <see cref="ItemStatus.Unparseable"/> status are excluded from the metrics and counted.</para>
/// </summary>
public sealed record RiskObservation(
    string ItemId,
    string PatientId,
    string UnitId,
    DateTimeOffset AsOf,
    ItemStatus Status,
    double? Score,
    bool? Label,
    DateTimeOffset? Onset,
    double ExposureHours,
    IReadOnlyDictionary<string, string> Strata);
