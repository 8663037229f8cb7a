using System.Text;
using System.Text.Json;
using ValidationLab.Errors;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Reads MedQA JSONL exactly as published (<c>question</c>, <c>options</c>, <c>answer_idx</c>, …) or in the reshaped
/// Hugging Face layout (<c>sent1</c>, <c>ending0..3</c>, <c>label</c>), one JSON object per line. Every defect is an
/// <see cref="InputException"/> naming the file, the 1-based line and the field, because a silently skipped or
/// misread question changes the accuracy a reviewer signs off.
/// </summary>
public static class MedQaLoader
{
    /// <summary>Load and validate every question; blank lines are skipped and a UTF-8 BOM is tolerated.</summary>
    public static IReadOnlyList<MedQaQuestion> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new InputException("is a folder; the MedQA suite needs a .jsonl file", path);
        }

        if (!File.Exists(path))
        {
            throw new InputException("file not found", path);
        }

        var questions = new List<MedQaQuestion>();
        var firstLineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (reader.ReadLine() is { } text)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var question = ParseLine(text, path, lineNumber);
            if (firstLineOfId.TryGetValue(question.Id, out var first))
            {
                throw new InputException(
                    $"duplicate item id '{question.Id}' (first seen on line {first}); ids must be unique to pair runs and predictions",
                    path, lineNumber, IdFieldOf(text));
            }

            firstLineOfId[question.Id] = lineNumber;
            questions.Add(question);
        }

        if (questions.Count == 0)
        {
            throw new InputException("contains no questions", path);
        }

        return questions;
    }

    /// <summary>Parse one non-blank line; <paramref name="lineNumber"/> is 1-based.</summary>
    internal static MedQaQuestion ParseLine(string text, string file, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            // The parser's own wording ("'}' is invalid after a value…") is the most precise account of what is wrong.
            // BytePositionInLine counts UTF-8 bytes, not characters; say so rather than mislead on non-ASCII lines.
            var at = ex.BytePositionInLine is { } pos ? $" at byte {pos + 1}" : "";
            throw new InputException($"malformed JSON{at}: {FirstSentence(ex.Message)}", file, lineNumber, inner: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InputException($"expected a JSON object, found {Describe(root.ValueKind)}", file, lineNumber);
            }

            var reader = new MedQaRecordReader(root, file, lineNumber);
            if (root.TryGetProperty("question", out _))
            {
                return reader.ReadPublished();
            }

            if (root.TryGetProperty("sent1", out _))
            {
                return reader.ReadHuggingFace();
            }

            throw new InputException(
                "neither 'question' (published MedQA layout) nor 'sent1' (Hugging Face layout) is present",
                file, lineNumber, "question");
        }
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        // Drop System.Text.Json's "Path: $ | LineNumber: 0 | BytePositionInLine: 12." tail: we report our own location.
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.Trim();
    }

    private static string IdFieldOf(string text) =>
        text.Contains("\"id\"", StringComparison.Ordinal) ? "id"
        : text.Contains("\"realidx\"", StringComparison.Ordinal) ? "realidx"
        : "line";
}
