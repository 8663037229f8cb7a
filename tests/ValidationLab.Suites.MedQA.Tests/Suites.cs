using ValidationLab.Items;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Creates MedQA suites through the factory, as the pipeline does.</summary>
public static class Suites
{
    public static ISuite Create(string dataPath, int seed = 0, params (string Key, string Value)[] options) =>
        new MedQaSuiteFactory().Create(new SuiteSettings
        {
            Name = "medqa",
            DataPath = dataPath,
            Options = options.ToDictionary(o => o.Key, o => o.Value),
            Run = new ValidationLab.Configuration.RunContext { Seed = seed },
        });

    public static async Task<(ISuite Suite, IReadOnlyList<EvalItem> Items)> LoadAsync(string dataPath, int seed = 0, params (string Key, string Value)[] options)
    {
        var suite = Create(dataPath, seed, options);
        var items = await suite.LoadAsync(CancellationToken.None);
        return (suite, items);
    }

    public static ModelResponse Text(ModelRequest request, string? text, double latencyMs = 0) => new()
    {
        Suite = request.Suite,
        ItemId = request.ItemId,
        RequestId = request.RequestId,
        Text = text,
        LatencyMs = latencyMs,
    };

    public static ModelResponse LogLikelihoods(ModelRequest request, params double[] values) => new()
    {
        Suite = request.Suite,
        ItemId = request.ItemId,
        RequestId = request.RequestId,
        LogLikelihoods = values,
    };
}
