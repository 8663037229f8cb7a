using ValidationLab.Requests;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>What a request becomes before decoding: prompt tokens and decoding settings, or an error to report.</summary>
internal sealed record RenderedPrompt
{
    public GeneratePrompt? Generate { get; init; }

    public ScoringPrompt? Scoring { get; init; }

    public string? Error { get; init; }
}

internal sealed record GeneratePrompt(int[] Prompt, int MaxTokens, IReadOnlyList<string> Stop, double Temperature, double? TopP, uint Seed);

internal sealed record ScoringPrompt(int[] Context, int[][] Continuations);

// LlamaCppRunner: turning requests into tokens (chat template, continuation split) — the same code at PrepareAsync,
// where a prompt that cannot run stops the plan, and at ExecuteAsync.
public sealed partial class LlamaCppRunner
{
    /// <summary>Risk requests carry no decoding settings: greedy, and room for a short justification and a number.</summary>
    private static readonly DecodingParameters RiskDecoding = DecodingParameters.Greedy with { MaxTokens = 256 };

    internal RenderedPrompt Render(LlamaModel model, ModelRequest request)
    {
        switch (request)
        {
            case GenerateRequest g:
                return RenderChat(model, g.Messages, g.Decoding);
            case RiskRequest r:
                // Answered in text like any text runner: the suite parses the probability from the reply.
                return RenderChat(model, r.Messages ?? [new ChatMessage("user", r.Context)], RiskDecoding);
            case LogLikelihoodRequest l:
                var context = model.Tokenize(l.Context, addSpecial: true, parseSpecial: false);
                if (context.Length == 0)
                {
                    return new RenderedPrompt { Error = "the context is empty and the model adds no BOS token, so the first token of an option has nothing to be scored against" };
                }

                return new RenderedPrompt { Scoring = new ScoringPrompt(context, [.. l.Continuations.Select(c => Continuation(model, l.Context, context, c))]) };
            default:
                return new RenderedPrompt { Error = $"the llamacpp runner does not answer {request.Kind} requests" };
        }
    }

    /// <summary>
    /// The tokens of <paramref name="continuation"/> as they follow the context: tokenize context + continuation
    /// together and take what follows the context's tokens (a leading space belongs to the option, as in
    /// lm-evaluation-harness); when the joint tokenization re-splits the boundary, the continuation alone.
    /// </summary>
    private static int[] Continuation(LlamaModel model, string contextText, int[] context, string continuation)
    {
        var whole = model.Tokenize(contextText + continuation, addSpecial: true, parseSpecial: false);
        return whole.Length >= context.Length && whole.AsSpan(0, context.Length).SequenceEqual(context)
            ? whole[context.Length..]
            : model.Tokenize(continuation, addSpecial: false, parseSpecial: false);
    }

    private RenderedPrompt RenderChat(LlamaModel model, IReadOnlyList<ChatMessage> messages, DecodingParameters decoding)
    {
        var text = model.RenderChat(messages);
        if (text is null)
        {
            return new RenderedPrompt { Error = "the model's chat template is not one llama.cpp can apply without a Jinja engine; set the runner's chat_template: none to send plain prompts" };
        }

        if (decoding.MaxTokens < 1)
        {
            return new RenderedPrompt { Error = $"max_tokens must be at least 1, found {decoding.MaxTokens}" };
        }

        // A templated prompt holds the template's special tokens as text; they must become those tokens.
        var prompt = model.Tokenize(text, addSpecial: true, parseSpecial: model.UsesChatTemplate);
        var seed = unchecked((uint)(decoding.Seed ?? Options.Seed));
        return new RenderedPrompt { Generate = new GeneratePrompt(prompt, decoding.MaxTokens, decoding.Stop, decoding.Temperature, decoding.TopP, seed) };
    }
}

// LlamaCppRunner: the engine's full generation result (tokens and their log-probabilities), which the text
// response does not carry; for tests and benchmarks.
public sealed partial class LlamaCppRunner
{
    internal async Task<GenerationResult> GenerateForTestsAsync(GenerateRequest request, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        var g = Render(engine.Model, request).Generate ?? throw new InvalidOperationException("not a generate request");
        var job = new GenerateJob(g.Prompt, g.MaxTokens, g.Stop, g.Temperature, g.TopP, g.Seed, engine.Model.ContextSize, cancellationToken);
        engine.Submit(job);
        return await job.Task.ConfigureAwait(false);
    }
}

// LlamaCppRunner: token-level entry points for the benchmarks, so that their timings hold the engine's work only.
public sealed partial class LlamaCppRunner
{
    internal async Task<int[]> TokenizeForBenchmarksAsync(string text, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        return engine.Model.Tokenize(text, addSpecial: true, parseSpecial: false);
    }

    internal async Task<ScoringResult> ScoreTokensForBenchmarksAsync(int[] context, int[][] continuations, bool sharedPrefix, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        var job = new ScoringJob(context, continuations, sharedPrefix, cancellationToken);
        engine.Submit(job);
        return await job.Task.ConfigureAwait(false);
    }

    internal async Task<int[][]> ContinuationsForBenchmarksAsync(string context, IReadOnlyList<string> continuations, CancellationToken cancellationToken)
    {
        var engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        var scoring = Render(engine.Model, new LogLikelihoodRequest { Suite = "b", ItemId = "b", Context = context, Continuations = continuations }).Scoring!;
        return scoring.Continuations;
    }
}
