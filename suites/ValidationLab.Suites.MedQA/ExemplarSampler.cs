using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Chooses k-shot exemplars from the file the user names. The draw orders exemplars by SHA-256 of
/// "seed:id" rather than by <see cref="Random"/>, whose sequence is not promised across .NET versions: the same
/// file and seed give the same exemplars on every machine, and a different seed gives a different draw.
/// </summary>
public static class ExemplarSampler
{
    /// <summary>The <paramref name="shots"/> exemplars for <paramref name="seed"/>, in the order they are shown.</summary>
    public static IReadOnlyList<MedQaQuestion> Draw(IReadOnlyList<MedQaQuestion> pool, int shots, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (shots < 0)
        {
            throw new InputException($"must be 0 or more, found {shots}", field: MedQaOptionKeys.Shots);
        }

        if (shots > pool.Count)
        {
            throw new InputException(
                $"asks for {shots} exemplars but the exemplar file has only {pool.Count}",
                pool.Count > 0 ? pool[0].File : null, field: MedQaOptionKeys.Shots);
        }

        var prefix = seed.ToString(CultureInfo.InvariantCulture) + ":";
        return pool
            .OrderBy(q => RequestHasher.Sha256Hex(prefix + q.Id), StringComparer.Ordinal)
            .ThenBy(q => q.Line)
            .Take(shots)
            .ToList();
    }

    /// <summary>
    /// Refuse an exemplar file that shares a question with the evaluated split: showing the model a question
    /// with its answer and then scoring it on the same question would inflate accuracy.
    /// </summary>
    public static void EnsureDisjoint(IReadOnlyList<MedQaQuestion> pool, IReadOnlyList<MedQaQuestion> evaluated)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(evaluated);
        var evaluatedByText = new Dictionary<string, MedQaQuestion>(StringComparer.Ordinal);
        foreach (var question in evaluated)
        {
            evaluatedByText.TryAdd(AnswerExtractor.Normalize(question.Question), question);
        }

        foreach (var exemplar in pool)
        {
            if (evaluatedByText.TryGetValue(AnswerExtractor.Normalize(exemplar.Question), out var same))
            {
                throw new InputException(
                    $"exemplar '{exemplar.Id}' is the same question as evaluated item '{same.Id}' ({same.File}:{same.Line}); "
                    + "exemplars must never come from the evaluated split",
                    exemplar.File, exemplar.Line, "question");
            }
        }
    }
}
