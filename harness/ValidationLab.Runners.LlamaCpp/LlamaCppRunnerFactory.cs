using ValidationLab.Runners;
using ValidationLab.Runners.LlamaCpp;

[assembly: RunnerFactory(typeof(LlamaCppRunnerFactory))]

namespace ValidationLab.Runners.LlamaCpp;

/// <summary><c>runner: llamacpp</c> — a GGUF model held in process by llama.cpp (CPU, or CUDA when a GPU is present).</summary>
public sealed class LlamaCppRunnerFactory : IRunnerFactory
{
    /// <inheritdoc />
    public string Name => "llamacpp";

    /// <inheritdoc />
    public string Description => "GGUF model in process with llama.cpp (CPU; CUDA with a GPU): generate, shared-prefix log-likelihood, risk by generation";

    /// <inheritdoc />
    public IReadOnlyCollection<string> OptionKeys => LlamaCppRunnerOptions.Keys;

    /// <inheritdoc />
    public bool CachesResponses => true;

    /// <summary>Validates the settings and the model file's header and hashes the weights; the model itself loads on first need.</summary>
    public IModelRunner Create(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LlamaCppRunner(LlamaCppRunnerOptions.Parse(settings), settings.Origin);
    }
}
