using System.Globalization;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA;

/// <summary>Reads the fields of one MedQA JSON object, in either layout, with errors that name the field.</summary>
internal readonly struct MedQaRecordReader(JsonElement root, string file, int line)
{
    private const string Letters = "ABCDE";

    /// <summary>The layout of the public MedQA release (and of ../shared/data/medqa/test.jsonl).</summary>
    public MedQaQuestion ReadPublished()
    {
        var question = RequireString("question");
        var options = ReadOptionsObject();
        var answerIdx = RequireString("answer_idx").Trim();
        var gold = options.FirstOrDefault(o => o.Label == answerIdx)
            ?? throw Fail($"'{answerIdx}' is not one of the options ({string.Join(", ", options.Select(o => o.Label))})", "answer_idx");

        // The published file repeats the gold text in 'answer'; a mismatch means the record was edited inconsistently.
        if (OptionalString("answer") is { } answer && answer.Trim() != gold.Text.Trim())
        {
            throw Fail($"'{answer}' is not the text of option {answerIdx} ('{gold.Text}')", "answer");
        }

        return new MedQaQuestion
        {
            Id = ReadId(),
            Question = question,
            Options = options,
            AnswerIdx = answerIdx,
            Answer = gold.Text,
            MetaInfo = OptionalString("meta_info"),
            MetamapPhrases = ReadPhrases(),
            File = file,
            Line = line,
        };
    }

    /// <summary>The reshaped layout (GBaker/MedQA-USMLE-4-options-hf): sent1, ending0..3[4], integer label.</summary>
    public MedQaQuestion ReadHuggingFace()
    {
        var question = RequireString("sent1");
        var options = new List<AnswerChoice>();
        for (var i = 0; i < Letters.Length; i++)
        {
            var field = $"ending{i}";
            if (!root.TryGetProperty(field, out _))
            {
                if (i < 4)
                {
                    throw Fail("is missing; the Hugging Face layout needs ending0 to ending3", field);
                }

                break;
            }

            options.Add(new AnswerChoice(Letters[i].ToString(), RequireString(field)));
        }

        if (!root.TryGetProperty("label", out var label) || label.ValueKind == JsonValueKind.Null)
        {
            throw Fail("is missing", "label");
        }

        if (label.ValueKind != JsonValueKind.Number || !label.TryGetInt32(out var index))
        {
            throw Fail($"must be a whole number, found {label.GetRawText()}", "label");
        }

        if (index < 0 || index >= options.Count)
        {
            throw Fail($"{index} is not an option index (0 to {options.Count - 1})", "label");
        }

        return new MedQaQuestion
        {
            Id = ReadId(),
            Question = question,
            Options = options,
            AnswerIdx = options[index].Label,
            Answer = options[index].Text,
            MetaInfo = OptionalString("meta_info"),
            File = file,
            Line = line,
        };
    }

    private IReadOnlyList<AnswerChoice> ReadOptionsObject()
    {
        if (!root.TryGetProperty("options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            throw Fail("is missing", "options");
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            throw Fail($"must be an object of lettered options, found {MedQaLoader.Describe(options.ValueKind)}", "options");
        }

        var byLetter = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options.EnumerateObject())
        {
            if (option.Name.Length != 1 || !Letters.Contains(option.Name, StringComparison.Ordinal))
            {
                throw Fail($"unexpected option key '{option.Name}'; MedQA options are lettered A-D or A-E", "options");
            }

            if (option.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(option.Value.GetString()))
            {
                throw Fail($"option {option.Name} must be non-empty text", "options");
            }

            byLetter[option.Name] = option.Value.GetString()!;
        }

        // A gap (A, B, D) would shift every letter the model sees against the gold: refuse it.
        var expected = Letters[..byLetter.Count];
        if (byLetter.Count is < 4 or > 5 || string.Concat(byLetter.Keys) != expected)
        {
            throw Fail($"must be lettered A-D or A-E, found {(byLetter.Count == 0 ? "none" : string.Join(", ", byLetter.Keys))}", "options");
        }

        return byLetter.Select(kv => new AnswerChoice(kv.Key, kv.Value)).ToList();
    }

    private string ReadId()
    {
        foreach (var field in new[] { "id", "realidx" })
        {
            if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
                // Raw text keeps "17" as "17", the same string the predictions CSV uses for realidx.
                JsonValueKind.Number => value.GetRawText(),
                _ => throw Fail($"must be a non-empty string or a number, found {value.GetRawText()}", field),
            };
        }

        return (line - 1).ToString(CultureInfo.InvariantCulture);
    }

    private IReadOnlyList<string> ReadPhrases()
    {
        if (!root.TryGetProperty("metamap_phrases", out var phrases) || phrases.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (phrases.ValueKind != JsonValueKind.Array || phrases.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
        {
            throw Fail("must be an array of strings", "metamap_phrases");
        }

        return phrases.EnumerateArray().Select(p => p.GetString()!).ToList();
    }

    private string RequireString(string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Fail("is missing", field);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Fail($"must be text, found {MedQaLoader.Describe(value.ValueKind)}", field);
        }

        var text = value.GetString()!;
        return string.IsNullOrWhiteSpace(text) ? throw Fail("is empty", field) : text;
    }

    private string? OptionalString(string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Fail($"must be text, found {MedQaLoader.Describe(value.ValueKind)}", field);
    }

    private InputException Fail(string message, string field) => new(message, file, line, field);
}
