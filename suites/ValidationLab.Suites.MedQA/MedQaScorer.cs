using System.Globalization;
using System.Text;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Turns one item's response into an <see cref="ItemResult"/>. A failed request is Errored (left out of accuracy),
/// an answer with no readable letter is Unparseable (scored incorrect, counted separately): the two must never be
/// confused, because a flaky endpoint is not a wrong answer and an evasive answer is not a missing one.
/// </summary>
internal static class MedQaScorer
{
    /// <summary>The question a MedQA item carries (items this suite made are <see cref="EvalItem{MedQaQuestion}"/>).</summary>
    public static MedQaQuestion Question(EvalItem item) => item is EvalItem<MedQaQuestion> question
        ? question.Payload
        : throw new ArgumentException($"item '{item.Id}' is not a MedQA question", nameof(item));

    public static ItemResult Score(string suite, EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        var question = Question(item);

        var request = requests.Count > 0 ? requests[0] : null;
        var response = responses.Count > 0 ? responses[0] : null;
        var result = new ItemResult
        {
            Suite = suite,
            ItemId = item.Id,
            ClusterId = item.ClusterId,
            Status = ItemStatus.Errored,
            PromptHash = request is null ? null : RequestHasher.Hash(request),
            Input = item.Input,
            Gold = question.AnswerIdx,
            LatencyMs = response?.LatencyMs ?? 0,
            Strata = new SortedDictionary<string, string>(item.Strata.ToDictionary(), StringComparer.Ordinal),
            Explanation = "",
        };

        if (response is null)
        {
            return Errored(result, "no_response", "the runner returned no response for this item");
        }

        if (responses.FirstOrDefault(r => r.Error is not null) is { Error: { } error })
        {
            return Errored(result, error.Kind, error.Message);
        }

        return request is LogLikelihoodRequest
            ? ScoreLogLikelihoods(result, question, response)
            : ScoreText(result, question, response);
    }

    private static ItemResult ScoreText(ItemResult result, MedQaQuestion question, ModelResponse response)
    {
        var extraction = AnswerExtractor.Extract(response.Text, question.Options);
        result = result with { Response = response.Text };
        if (!extraction.Found)
        {
            return result with
            {
                Status = ItemStatus.Unparseable,
                Correct = false,
                Explanation = $"no answer letter could be read ({extraction.Reason}); scored incorrect; gold is {question.AnswerIdx}",
            };
        }

        return Verdict(result, question, extraction.Letter!, extraction.Reason);
    }

    private static ItemResult ScoreLogLikelihoods(ItemResult result, MedQaQuestion question, ModelResponse response)
    {
        var values = response.LogLikelihoods;
        if (values is null || values.Count != question.Options.Count || values.Any(double.IsNaN))
        {
            var found = values is null ? "none" : values.Count.ToString(CultureInfo.InvariantCulture);
            return Errored(result, "bad_response",
                $"expected {question.Options.Count} log-likelihoods (one per option), got {found}{(values?.Any(double.IsNaN) == true ? " with NaN" : "")}");
        }

        var rendered = new StringBuilder();
        var best = 0;
        for (var i = 0; i < values.Count; i++)
        {
            rendered.Append(i == 0 ? "" : " ").Append(question.Options[i].Label).Append('=')
                .Append(values[i].ToString("R", CultureInfo.InvariantCulture));
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        var letter = question.Options[best].Label;
        var tied = Enumerable.Range(0, values.Count).Where(i => values[i] == values[best]).Select(i => question.Options[i].Label).ToList();
        var how = tied.Count > 1
            ? $"tie between {string.Join(" and ", tied)} at the highest log-likelihood, broken by taking the first ({letter})"
            : $"{letter} has the highest log-likelihood ({values[best].ToString("R", CultureInfo.InvariantCulture)})";
        return Verdict(result with { Response = rendered.ToString() }, question, letter, how);
    }

    private static ItemResult Verdict(ItemResult result, MedQaQuestion question, string letter, string how)
    {
        var correct = letter == question.AnswerIdx;
        return result with
        {
            Status = ItemStatus.Scored,
            Prediction = letter,
            Correct = correct,
            Explanation = $"{how}; gold is {question.AnswerIdx}, so {(correct ? "correct" : "incorrect")}",
        };
    }

    private static ItemResult Errored(ItemResult result, string kind, string message) => result with
    {
        Status = ItemStatus.Errored,
        Correct = null,
        Error = $"{kind}: {message}",
        Explanation = $"no answer was obtained ({kind}), so the item is left out of accuracy and counted as errored",
    };
}
