using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Builders for MedQA records and questions used across tests.</summary>
public static class Records
{
    public static readonly string[] Drugs = ["Ampicillin", "Vancomycin", "Ceftriaxone", "Doxycycline"];

    /// <summary>A published-layout line; pass null to leave a field out.</summary>
    public static string Published(object? id, string question = "Which drug is best?", string? answerIdx = "C",
        string? meta = "step1", Dictionary<string, string>? options = null, string idField = "realidx")
    {
        var record = new Dictionary<string, object?>
        {
            ["question"] = question,
            ["options"] = options ?? new Dictionary<string, string> { ["A"] = Drugs[0], ["B"] = Drugs[1], ["C"] = Drugs[2], ["D"] = Drugs[3] },
            ["meta_info"] = meta,
        };
        if (answerIdx is not null)
        {
            record["answer_idx"] = answerIdx;
        }

        if (id is not null)
        {
            record[idField] = id;
        }

        return JsonSerializer.Serialize(record);
    }

    public static string HuggingFace(string id, string question, int label) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = id,
        ["sent1"] = question,
        ["sent2"] = "",
        ["ending0"] = Drugs[0],
        ["ending1"] = Drugs[1],
        ["ending2"] = Drugs[2],
        ["ending3"] = Drugs[3],
        ["label"] = label,
    });

    public static MedQaQuestion Question(string id = "q1", string gold = "C", string? meta = "step1", string question = "Which drug is best?") => new()
    {
        Id = id,
        Question = question,
        Options = [new AnswerChoice("A", Drugs[0]), new AnswerChoice("B", Drugs[1]), new AnswerChoice("C", Drugs[2]), new AnswerChoice("D", Drugs[3])],
        AnswerIdx = gold,
        Answer = Drugs[gold[0] - 'A'],
        MetaInfo = meta,
        File = "test.jsonl",
        Line = 1,
    };

    public static IReadOnlyList<AnswerChoice> Options => Question().Options;
}
