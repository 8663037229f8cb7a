using System.Globalization;
using System.Text.RegularExpressions;
using ValidationLab.Requests;

namespace ValidationLab.Runners.Baseline;

/// <summary>
/// Answers multiple-choice requests from their <see cref="ModelRequest.Choices"/> hint without any model. Items
/// without choices get a plain "no answer" reply, which the suite scores as unparseable. Risk requests are answered
/// from one structured feature on its published scale (BaselineRunner.Risk.cs); a request without it is errored.
/// </summary>
public sealed partial class BaselineRunner(string model, int seed) : IModelRunner
{
    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.LogLikelihood, RequestKind.Generate, RequestKind.Risk };

    /// <summary>A baseline whose risk requests are answered from <paramref name="riskFeature"/> (see <see cref="RiskFeatureScale"/>).</summary>
    public BaselineRunner(string model, int seed, string riskFeature)
        : this(model, seed)
    {
        ArgumentNullException.ThrowIfNull(riskFeature);
        RiskFeature = riskFeature;
        Identity = Identity with
        {
            // The risk feature changes the answers, so it is part of the identity (and the cache key).
            Fingerprint = RequestHasher.Sha256Hex($"baseline/{model}/{seed.ToString(CultureInfo.InvariantCulture)}/risk:{riskFeature}"),
        };
    }

    public RunnerIdentity Identity { get; } = new()
    {
        Runner = "baseline",
        Model = model,
        Fingerprint = RequestHasher.Sha256Hex($"baseline/{model}/{seed.ToString(CultureInfo.InvariantCulture)}"),
    };

    public IReadOnlySet<RequestKind> SupportedKinds => Kinds;

    public int MaxConcurrency => Environment.ProcessorCount;

    public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);

    public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is RiskRequest risk)
        {
            return Task.FromResult(AnswerRisk(risk));
        }

        var choices = request.Choices ?? [];
        var scores = choices.Count == 0 ? [] : Score(request, choices);
        var best = ArgMax(scores);
        var response = request switch
        {
            LogLikelihoodRequest ll => ModelResponse.For(request) with
            {
                // Scores are shifted so the chosen option has log-likelihood 0: the ranking is all that matters.
                LogLikelihoods = ll.Continuations.Select((_, i) => i < scores.Length ? scores[i] - (best < 0 ? 0 : scores[best]) : double.NegativeInfinity).ToList(),
                Method = $"baseline:{model}",
            },
            _ => ModelResponse.For(request) with
            {
                Text = best < 0 ? "No answer: this baseline only answers multiple-choice items." : $"The answer is ({choices[best].Label}).",
                Method = $"baseline:{model}",
            },
        };
        return Task.FromResult(response);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private double[] Score(ModelRequest request, IReadOnlyList<AnswerChoice> choices)
    {
        var scores = new double[choices.Count];
        switch (model)
        {
            case "first-option":
                scores[0] = 1;
                break;
            case "random":
                var pick = (int)(StableHash($"{seed}/{request.Suite}/{request.ItemId}") % (ulong)choices.Count);
                scores[pick] = 1;
                break;
            default:
                LexicalOverlap(PromptText(request), choices, scores);
                break;
        }

        return scores;
    }

    /// <summary>
    /// The prompt contains the question and every option; a word counts for an option when it occurs in the
    /// prompt more often than in the options themselves, i.e. when the question mentions it.
    /// </summary>
    private static void LexicalOverlap(string prompt, IReadOnlyList<AnswerChoice> choices, double[] scores)
    {
        var inPrompt = Count(Words(prompt));
        var inChoices = Count(choices.SelectMany(c => Words(c.Text)));
        for (var i = 0; i < choices.Count; i++)
        {
            scores[i] = Words(choices[i].Text).Distinct(StringComparer.Ordinal)
                .Count(w => inPrompt.GetValueOrDefault(w) > inChoices.GetValueOrDefault(w));
        }
    }

    private static string PromptText(ModelRequest request) => request switch
    {
        LogLikelihoodRequest ll => ll.Context,
        GenerateRequest g => string.Join("\n", g.Messages.Select(m => m.Content)),
        RiskRequest r => r.Context,
        _ => "",
    };

    private static IEnumerable<string> Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    private static Dictionary<string, int> Count(IEnumerable<string> words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in words)
        {
            counts[w] = counts.GetValueOrDefault(w) + 1;
        }

        return counts;
    }

    private static int ArgMax(double[] scores)
    {
        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            if (best < 0 || scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>FNV-1a: stable across processes and platforms, unlike string.GetHashCode.</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return hash;
    }

    [GeneratedRegex(@"[a-z][a-z0-9\-]{3,}")]
    private static partial Regex WordPattern();
}
