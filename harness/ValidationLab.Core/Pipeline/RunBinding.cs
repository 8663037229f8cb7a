using ValidationLab.Runners;

namespace ValidationLab.Pipeline;

/// <summary>
/// What hosting decided for a run once everything was validated: the runner to call (possibly wrapped, e.g. in
/// the response cache), the run id, and whether the run continues an interrupted one.
/// </summary>
public sealed record RunBinding(IModelRunner Runner, string RunId, bool Resumed);
