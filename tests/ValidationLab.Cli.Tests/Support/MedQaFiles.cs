using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValidationLab.Cli.Tests.Support;

/// <summary>The bundled fixture's questions, and copies of them that tests alter.</summary>
public static class MedQaFiles
{
    public static IReadOnlyList<string> FixtureLines { get; } =
        File.ReadAllLines(RepoPaths.MedQaFixture).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

    /// <summary>(id, gold letter, option letters) of every fixture question, in file order.</summary>
    public static IReadOnlyList<(string Id, string Gold, string[] Letters)> Questions { get; } = FixtureLines.Select(l =>
    {
        using var doc = JsonDocument.Parse(l);
        var root = doc.RootElement;
        return (root.GetProperty("realidx").GetRawText(), root.GetProperty("answer_idx").GetString()!,
            root.GetProperty("options").EnumerateObject().Select(o => o.Name).ToArray());
    }).ToList();

    /// <summary>The first <paramref name="count"/> fixture lines as mutable JSON objects.</summary>
    public static List<JsonObject> Objects(int count) =>
        FixtureLines.Take(count).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public static IEnumerable<string> Lines(IEnumerable<JsonObject> objects) => objects.Select(o => o.ToJsonString());
}
