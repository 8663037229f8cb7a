using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;

namespace ValidationLab.Suites;

/// <summary>
/// A benchmark or replay: loads and validates its data, turns items into model requests, scores responses into
/// per-item results and aggregates suite metrics. Scoring and aggregation are pure: same items and responses give
/// the same results.
/// </summary>
public interface ISuite
{
    string Name { get; }

    /// <summary>The scoring mode named in outputs, e.g. "generate" or "loglikelihood".</summary>
    string Mode { get; }

    /// <summary>The request kinds a runner must support for this suite; known before any data is read.</summary>
    IReadOnlySet<RequestKind> RequiredKinds { get; }

    /// <summary>Every file the suite reads (data, exemplars); hashed into the run manifest.</summary>
    IReadOnlyList<string> InputFiles { get; }

    /// <summary>Read and validate all data; throw <see cref="Errors.InputException"/> naming file, line and field.</summary>
    Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>The requests one item needs (usually one).</summary>
    IReadOnlyList<ModelRequest> CreateRequests(EvalItem item);

    /// <summary>
    /// Score an item from its responses, in request order. A response with an error gives an
    /// <see cref="ItemStatus.Errored"/> result, never a wrong answer.
    /// </summary>
    ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses);

    /// <summary>Suite metrics with intervals, breakdowns and distributions.</summary>
    SuiteResult Aggregate(IReadOnlyList<ItemResult> results);
}
