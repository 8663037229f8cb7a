using System.Text;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>
/// Bad models and prompts are refused before any item runs, with one message naming the file and the setting:
/// a missing or non-GGUF file at Create, an architecture llama.cpp does not know and a prompt longer than the
/// context at PrepareAsync. And the model is loaded only when there is something to answer.
/// </summary>
public sealed class ErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vl-llama-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Should_Refuse_A_Missing_Model_File()
    {
        var path = Path.Combine(_dir, "nope.gguf");
        var e = Assert.Throws<InputException>(() => new LlamaCppRunnerFactory().Create(Make.Settings(("model", path))));
        Assert.Equal("model", e.Field);
        Assert.Equal("test.yaml", e.File);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_File_That_Is_Not_GGUF()
    {
        var path = Path.Combine(_dir, "model.bin");
        File.WriteAllText(path, "PK\u0003\u0004 this is a safetensors zip, not a gguf file at all......");
        var e = Assert.Throws<InputException>(() => new LlamaCppRunnerFactory().Create(Make.Settings(("model", path))));
        Assert.Equal("model", e.Field);
        Assert.Contains("not a GGUF model file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Truncated_GGUF_Header()
    {
        var path = Path.Combine(_dir, "cut.gguf");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write(Encoding.ASCII.GetBytes("GGUF"));
            w.Write(3u);
            w.Write(0UL);
            w.Write(5UL); // five keys promised, none written
            w.Write(20UL); // a key length running past the end
        }

        var e = Assert.Throws<InputException>(() => new LlamaCppRunnerFactory().Create(Make.Settings(("model", path))));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("context_size", "8")]
    [InlineData("parallel", "0")]
    [InlineData("threads", "-2")]
    [InlineData("chat_template", "jinja")]
    [InlineData("loglikelihood_method", "mean")]
    public void Should_Refuse_Bad_Settings_Naming_The_Key(string key, string value)
    {
        var e = Assert.Throws<InputException>(() => new LlamaCppRunnerFactory().Create(Make.Settings((key, value))));
        Assert.Equal(key, e.Field);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Refuse_An_Unsupported_Architecture_Before_The_Run()
    {
        // Given: a well-formed GGUF whose architecture llama.cpp does not know.
        var path = Path.Combine(_dir, "alien.gguf");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write(Encoding.ASCII.GetBytes("GGUF"));
            w.Write(3u);
            w.Write(0UL);
            w.Write(1UL);
            WriteString(w, "general.architecture");
            w.Write(8u);
            WriteString(w, "quantum-transformer");
        }

        await using var runner = Make.Runner(("model", path));

        // When / Then
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Make.Generate("1", "hi")], CancellationToken.None));
        Assert.Equal("model", e.Field);
        Assert.Contains("quantum-transformer", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Refuse_A_Prompt_Longer_Than_The_Context_Before_The_Run()
    {
        await using var runner = Make.Runner(("context_size", "64"), ("batch_size", "64"));
        var longPrompt = string.Join(' ', Enumerable.Repeat("hypertension", 400)); // llama.cpp rounds the context up to 256 cells
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Make.Generate("ok", "short"), Make.Generate("long-1", longPrompt)], CancellationToken.None));
        Assert.Equal("context_size", e.Field);
        Assert.Contains("item 'long-1'", e.Message, StringComparison.Ordinal);

        var scoring = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Make.Scoring("mc-1", longPrompt, " A", " B")], CancellationToken.None));
        Assert.Contains("item 'mc-1'", scoring.Message, StringComparison.Ordinal);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Load_The_Model_Only_When_A_Request_Needs_It()
    {
        await using var runner = Make.Runner();
        var warnings = await runner.PrepareAsync([], CancellationToken.None);
        Assert.Empty(warnings);
        Assert.False(runner.IsLoaded);

        var answer = await runner.ExecuteAsync(Make.Generate("1", "hello", 3), CancellationToken.None);
        Assert.Null(answer.Error);
        Assert.True(runner.IsLoaded);
        Assert.Equal(1, runner.GetCounters().RequestsSent);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Record_Settings_And_Weights_In_The_Fingerprint()
    {
        await using var a = Make.Runner();
        await using var same = Make.Runner(("threads", "2"));
        await using var otherContext = Make.Runner(("context_size", "1024"));
        var copy = Path.Combine(_dir, "copy.gguf");
        var bytes = File.ReadAllBytes(RealModel.Path);
        bytes[^1] ^= 0x5a;
        File.WriteAllBytes(copy, bytes);
        await using var otherWeights = Make.Runner(("model", copy));

        Assert.Equal("llamacpp", a.Identity.Runner);
        Assert.Equal(RealModel.Path, a.Identity.Source);
        Assert.Equal(a.Identity.Fingerprint, same.Identity.Fingerprint);
        Assert.NotEqual(a.Identity.Fingerprint, otherContext.Identity.Fingerprint);
        Assert.NotEqual(a.Identity.Fingerprint, otherWeights.Identity.Fingerprint);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }
}
