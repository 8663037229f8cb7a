using ValidationLab.Requests;

namespace ValidationLab.Runners.LlamaCpp.Tests;

internal static class Make
{
    public static RunnerSettings Settings(params (string Key, string Value)[] options)
    {
        var dict = new Dictionary<string, string> { ["model"] = RealModel.Path, ["threads"] = "1", ["context_size"] = "2048", ["batch_size"] = "64" };
        foreach (var (k, v) in options)
        {
            dict[k] = v;
        }

        return new RunnerSettings { Name = "llamacpp", Options = dict, Origin = "test.yaml", Seed = 7 };
    }

    public static LlamaCppRunner Runner(params (string Key, string Value)[] options) =>
        (LlamaCppRunner)new LlamaCppRunnerFactory().Create(Settings(options));

    public static GenerateRequest Generate(string id, string text, int maxTokens = 24, double temperature = 0, int? seed = null, params string[] stop) => new()
    {
        Suite = "t",
        ItemId = id,
        Messages = [new ChatMessage("user", text)],
        Decoding = DecodingParameters.Greedy with { MaxTokens = maxTokens, Temperature = temperature, Seed = seed, Stop = stop },
    };

    public static LogLikelihoodRequest Scoring(string id, string context, params string[] continuations) => new()
    {
        Suite = "t",
        ItemId = id,
        Context = context,
        Continuations = continuations,
    };

    public static readonly string[] Questions =
    [
        "A 45-year-old man presents with crushing chest pain radiating to the left arm. What is the first test?",
        "Which antibiotic is first line for uncomplicated cystitis in a healthy woman?",
        "A child has a barking cough and inspiratory stridor. What is the diagnosis?",
        "What electrolyte disturbance causes peaked T waves?",
        "Name the most common cause of community-acquired pneumonia.",
        "Which vitamin deficiency causes Wernicke encephalopathy?",
    ];
}
