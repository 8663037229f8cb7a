using ValidationLab.Requests;

namespace ValidationLab.Core.Tests.Support;

/// <summary>Small request builders.</summary>
public static class TestRequests
{
    public static IReadOnlyList<AnswerChoice> Abcd { get; } =
        [new("A", "Aspirin"), new("B", "Heparin"), new("C", "Warfarin"), new("D", "Alteplase")];

    public static GenerateRequest Generate(string itemId, string suite = "medqa", IReadOnlyList<AnswerChoice>? choices = null) => new()
    {
        Suite = suite,
        ItemId = itemId,
        Messages = [new ChatMessage("user", $"Question {itemId}: which drug? A) Aspirin B) Heparin C) Warfarin D) Alteplase")],
        Choices = choices ?? Abcd,
    };

    public static LogLikelihoodRequest LogLikelihood(string itemId, string suite = "medqa") => new()
    {
        Suite = suite,
        ItemId = itemId,
        Context = $"Question {itemId}: which drug?\nAnswer:",
        Continuations = [" A", " B", " C", " D"],
        Choices = Abcd,
    };
}
