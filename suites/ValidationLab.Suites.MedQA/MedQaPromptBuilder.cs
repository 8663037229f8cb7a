using System.Text;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Builds the text the model sees. The log-likelihood prompt follows lm-evaluation-harness's medqa_4options
/// ("Question: …\nA. …\nAnswer:") so that numbers are comparable with published ones; the chat prompt asks for a
/// final "The answer is (X)" that the extractor reads. k-shot exemplars are the same for every item, in the order
/// drawn, so the prompt depends only on the question, the exemplar file and the seed.
/// </summary>
public sealed class MedQaPromptBuilder
{
    /// <summary>The system message used unless the user gives <see cref="MedQaOptionKeys.SystemPrompt"/>.</summary>
    public const string DefaultSystemPrompt =
        "You are a medical expert answering multiple-choice questions from the United States Medical Licensing "
        + "Examination (USMLE). Choose the single best option.";

    /// <summary>The closing instruction of every chat question.</summary>
    public const string Instruction =
        "Answer with the letter of the single best option. You may reason briefly first, then end your reply with "
        + "\"The answer is (X)\", where X is the letter of your choice.";

    public MedQaPromptBuilder(IReadOnlyList<MedQaQuestion> exemplars, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(exemplars);
        Exemplars = exemplars;
        SystemPrompt = string.IsNullOrWhiteSpace(systemPrompt) ? DefaultSystemPrompt : systemPrompt;
    }

    /// <summary>The worked examples shown before every question, in order.</summary>
    public IReadOnlyList<MedQaQuestion> Exemplars { get; }

    public string SystemPrompt { get; }

    /// <summary>The question and its lettered options, as a reviewer reads them.</summary>
    public static string FormatQuestion(MedQaQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var builder = new StringBuilder(question.Question.Trim()).Append("\n\n");
        AppendOptions(builder, question);
        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>lm-evaluation-harness layout: exemplars with their answers, then the question ending in "Answer:".</summary>
    public string LogLikelihoodContext(MedQaQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var builder = new StringBuilder();
        foreach (var exemplar in Exemplars)
        {
            AppendHarnessQuestion(builder, exemplar);
            builder.Append(' ').Append(exemplar.AnswerIdx).Append("\n\n");
        }

        AppendHarnessQuestion(builder, question);
        return builder.ToString();
    }

    /// <summary>The continuations scored in log-likelihood mode: " A", " B", … (the space belongs to the answer).</summary>
    public static IReadOnlyList<string> Continuations(MedQaQuestion question) =>
        question.Options.Select(o => " " + o.Label).ToList();

    /// <summary>System message, then each exemplar as a user turn answered by the assistant, then the question.</summary>
    public IReadOnlyList<ChatMessage> ChatMessages(MedQaQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var messages = new List<ChatMessage> { new("system", SystemPrompt) };
        foreach (var exemplar in Exemplars)
        {
            messages.Add(new ChatMessage("user", UserMessage(exemplar)));
            messages.Add(new ChatMessage("assistant", $"The answer is ({exemplar.AnswerIdx})."));
        }

        messages.Add(new ChatMessage("user", UserMessage(question)));
        return messages;
    }

    private static string UserMessage(MedQaQuestion question) => FormatQuestion(question) + "\n\n" + Instruction;

    private static void AppendHarnessQuestion(StringBuilder builder, MedQaQuestion question)
    {
        builder.Append("Question: ").Append(question.Question.Trim()).Append('\n');
        AppendOptions(builder, question);
        builder.Append("Answer:");
    }

    private static void AppendOptions(StringBuilder builder, MedQaQuestion question)
    {
        foreach (var option in question.Options)
        {
            builder.Append(option.Label).Append(". ").Append(option.Text.Trim()).Append('\n');
        }
    }
}
