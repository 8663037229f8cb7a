using System.Globalization;
using System.Text;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Rendering;

/// <summary>
/// A concise chronological summary of a patient at a decision time, for language models, from a
/// <see cref="TimelineView"/> only. It fits a token budget, with tokens approximated as characters / 4 (the usual
/// rule of thumb for English with BPE tokenizers; it is an estimate, not a tokenizer): the header and the latest
/// values always come first, then as many of the most recent events as fit, printed oldest first. Notes are cut
/// to <see cref="NoteChars"/> characters.
/// </summary>
public static class ContextRenderer
{
    public const int NoteChars = 240;

    public static int ApproximateTokens(string text) => (text.Length + 3) / 4;

    public static string Render(TimelineView view, int tokenBudget, IReadOnlyDictionary<string, double> features)
    {
        // Room is kept for the "earlier events omitted" line, so the whole text stays within the budget.
        var budgetChars = Math.Max(200, tokenBudget * 4) - 64;
        var head = new StringBuilder();
        var d = view.Demographics;
        head.Append("Patient ").Append(view.PatientId).Append(" as of ").Append(Times.Format(view.AsOf)).Append('\n');
        var age = d.BirthDate is { } b ? ((int)Math.Floor((view.AsOf - b).TotalDays / 365.25)).ToString(CultureInfo.InvariantCulture) : "unknown";
        head.Append("Sex: ").Append(d.Sex ?? "unknown").Append("; age: ").Append(age).Append('\n');
        var current = view.Encounters.LastOrDefault(e => e.End is null && e.Class is "inpatient" or "icu" or "emergency");
        if (current is not null)
        {
            head.Append("Current ").Append(current.Class).Append(" stay since ").Append(Times.Format(current.Start))
                .Append(" (").Append(((int)(view.AsOf - current.Start).TotalHours).ToString(CultureInfo.InvariantCulture)).Append(" h)\n");
        }

        var latest = features.Where(kv => !kv.Key.Contains(':', StringComparison.Ordinal)).ToList();
        if (latest.Count > 0)
        {
            head.Append("Latest values and scores: ")
                .Append(string.Join(", ", latest.Select(kv => kv.Key + " " + kv.Value.ToString("0.##", CultureInfo.InvariantCulture))))
                .Append('\n');
        }

        head.Append("Events (oldest first):\n");
        var lines = new List<string>();
        var used = head.Length;
        var facts = view.Facts;
        var omitted = 0;
        for (var i = facts.Length - 1; i >= 0; i--)
        {
            var line = Line(facts[i]);
            if (used + line.Length + 1 > budgetChars)
            {
                omitted = i + 1;
                break;
            }

            lines.Add(line);
            used += line.Length + 1;
        }

        if (omitted > 0)
        {
            head.Append("(").Append(omitted.ToString(CultureInfo.InvariantCulture)).Append(" earlier events omitted to fit the budget)\n");
        }

        lines.Reverse();
        foreach (var line in lines)
        {
            head.Append(line).Append('\n');
        }

        return head.ToString();
    }

    private static string Line(Fact f)
    {
        var c = f.Concept;
        var what = string.IsNullOrEmpty(c.Display) ? c.Code : c.Display;
        var value = f.HasValue
            ? f.Value.ToString("0.###", CultureInfo.InvariantCulture) + (c.Unit.Length > 0 ? " " + c.Unit : "")
            : f.Text is { } t ? (f.Kind == FactKind.Note && t.Length > NoteChars ? t[..NoteChars].ReplaceLineEndings(" ") + "…" : t.ReplaceLineEndings(" ")) : null;
        return $"{Times.Format(f.Time)} {f.Kind.ToString().ToLowerInvariant()}: {what}{(value is null ? "" : ": " + value)}";
    }
}
