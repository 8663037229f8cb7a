using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: risk requests. The endpoint is a language model, so a risk request is asked as a chat completion and
// answered with text; the suite parses the probability out of it (as MedQA parses the letter) and counts text without
// one as unparseable. The runner never guesses a number.
public sealed partial class OpenAIRunner
{
    /// <summary>
    /// Decoding for risk requests: greedy (temperature 0) with the run seed (<see cref="OpenAIRunnerOptions.DefaultSeed"/>),
    /// the most reproducible setting a server offers. <see cref="RiskRequest"/> carries no decoding parameters of its
    /// own; 512 tokens leave room for a short rationale before the number.
    /// </summary>
    internal static readonly DecodingParameters RiskDecoding = DecodingParameters.Greedy;

    /// <summary>The suite's chat framing when it gave one; otherwise the context alone as one user message.</summary>
    internal static IReadOnlyList<ChatMessage> RiskMessages(RiskRequest request) =>
        request.Messages is { Count: > 0 } messages ? messages : [new ChatMessage("user", request.Context)];
}
