using ValidationLab.Requests;

namespace ValidationLab.Runners;

/// <summary>
/// Answers model requests. Implementations never throw for a failed request: they return
/// <see cref="ModelResponse.Failed"/> with the reason. They may be called concurrently up to
/// <see cref="MaxConcurrency"/>.
/// </summary>
public interface IModelRunner : IAsyncDisposable
{
    /// <summary>Who answers; recorded in the manifest and used in cache keys.</summary>
    RunnerIdentity Identity { get; }

    /// <summary>The request kinds this runner can answer; the pipeline refuses a plan that needs others.</summary>
    IReadOnlySet<RequestKind> SupportedKinds { get; }

    /// <summary>How many requests the pipeline may have in flight at once.</summary>
    int MaxConcurrency { get; }

    /// <summary>
    /// Called once with every planned request before the first call: validate inputs against the plan
    /// (a predictions file against item ids, a key against an endpoint) and return warnings to show the user.
    /// Throw <see cref="Errors.InputException"/> for a plan that cannot run.
    /// </summary>
    ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken);

    /// <summary>Answer one request.</summary>
    Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken);
}
