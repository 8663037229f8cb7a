using ValidationLab.Runners;
using ValidationLab.Runners.OpenAI;

[assembly: RunnerFactory(typeof(OpenAIRunnerFactory))]

namespace ValidationLab.Runners.OpenAI;

/// <summary><c>runner: openai</c> — OpenAI-compatible chat/completions endpoints (OpenAI, Azure AI Foundry, vLLM, TGI, llama.cpp).</summary>
public sealed class OpenAIRunnerFactory : IRunnerFactory
{
    /// <inheritdoc />
    public string Name => "openai";

    /// <inheritdoc />
    public string Description => "OpenAI-compatible endpoint (OpenAI, Azure AI Foundry, vLLM, TGI, llama.cpp server): generate and log-likelihood";

    /// <inheritdoc />
    public IReadOnlyCollection<string> OptionKeys => OpenAIRunnerOptions.Keys;

    /// <inheritdoc />
    public bool CachesResponses => true;

    /// <inheritdoc />
    public IModelRunner Create(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new OpenAIRunner(OpenAIRunnerOptions.Parse(settings), settings.Observer, settings.Origin);
    }
}
