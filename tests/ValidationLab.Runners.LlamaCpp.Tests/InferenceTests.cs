using ValidationLab.Requests;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>
/// Real inference on the tiny random-weight llama: deterministic answers (same tokens and log-probabilities on a
/// rerun, and across batch sizes and parallel settings, where only the last bits may move), shared-prefix scoring
/// equal to scoring from scratch, stop strings, token limits and seeded sampling.
/// </summary>
public sealed class InferenceTests
{
    private const double Tolerance = 1e-4;

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Generate_The_Same_Tokens_And_LogProbs_Twice()
    {
        await using var runner = Make.Runner();
        var first = await Generate(runner, Make.Questions[0], 16);
        var second = await Generate(runner, Make.Questions[0], 16);
        Assert.Equal(16, first.Tokens.Length);
        Assert.Equal(first.Tokens, second.Tokens);
        Assert.Equal(first.LogProbs, second.LogProbs);
        Assert.Equal(first.Text, second.Text);
        Assert.All(first.LogProbs, lp => Assert.InRange(lp, -50, 0));
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Generate_The_Same_Tokens_Across_Batch_Sizes_And_Parallel_Settings()
    {
        // Given: one reference, then batch sizes that split the prompt into many decode calls, and several requests
        // decoded side by side in one batch.
        await using var reference = Make.Runner(("batch_size", "512"), ("parallel", "1"));
        var expected = new List<GenerationResult>();
        var questions = Make.Questions.Take(4).ToArray();
        foreach (var q in questions)
        {
            expected.Add(await Generate(reference, q, 12));
        }

        foreach (var (batch, parallel) in new[] { ("7", "1"), ("48", "4") })
        {
            await using var runner = Make.Runner(("batch_size", batch), ("parallel", parallel));

            // When: every question at once, so the engine packs them into shared decode calls.
            var results = await Task.WhenAll(questions.Select(q => Generate(runner, q, 12)));

            // Then
            for (var i = 0; i < results.Length; i++)
            {
                Assert.Equal(expected[i].Tokens, results[i].Tokens);
                for (var t = 0; t < results[i].LogProbs.Length; t++)
                {
                    Assert.True(Math.Abs(expected[i].LogProbs[t] - results[i].LogProbs[t]) < Tolerance, $"batch {batch}, parallel {parallel}, question {i}, token {t}: {expected[i].LogProbs[t]} vs {results[i].LogProbs[t]}");
                }
            }

            if (parallel != "1")
            {
                Assert.True(runner.DecodeCalls < questions.Length * 12, $"{runner.DecodeCalls} decode calls for {questions.Length} requests of 12 tokens: the requests were not batched together");
            }
        }
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Score_Shared_Prefix_Like_Evaluating_Each_Continuation_From_Scratch()
    {
        // Given: single-token letters and multi-token answers, the case where the option branches copy the prefix.
        var context = "Question: A 23-year-old woman has dysuria and frequency. Which drug is first line?\nA. Nitrofurantoin\nB. Ciprofloxacin\nC. Amoxicillin\nD. Doxycycline\nAnswer:";
        string[] continuations = [" A", " B", " C", " D", " Nitrofurantoin for five days", " Ciprofloxacin"];
        await using var shared = Make.Runner(("loglikelihood_method", "shared_prefix"));
        await using var separate = Make.Runner(("loglikelihood_method", "separate"), ("parallel", "1"));

        // When
        var a = await shared.ExecuteAsync(Make.Scoring("1", context, continuations), CancellationToken.None);
        var b = await separate.ExecuteAsync(Make.Scoring("1", context, continuations), CancellationToken.None);

        // Then
        Assert.Null(a.Error);
        Assert.Null(b.Error);
        Assert.Equal(LlamaCppRunner.SharedPrefixMethod, a.Method);
        for (var i = 0; i < continuations.Length; i++)
        {
            Assert.True(Math.Abs(a.LogLikelihoods![i] - b.LogLikelihoods![i]) < Tolerance, $"option {i}: shared {a.LogLikelihoods[i]} vs scratch {b.LogLikelihoods[i]}");
            Assert.True(a.LogLikelihoods[i] < 0);
        }

        // The longer answers are sums over several tokens: far below any single letter.
        Assert.True(a.LogLikelihoods![4] < a.LogLikelihoods.Take(4).Min());

        // And the shared prefix evaluated the context once: fewer tokens than four-plus from-scratch evaluations.
        Assert.True(shared.DecodedTokens * 3 < separate.DecodedTokens, $"shared {shared.DecodedTokens} tokens, separate {separate.DecodedTokens}");
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Score_The_Same_When_Items_Share_A_Batch()
    {
        await using var alone = Make.Runner(("parallel", "1"));
        await using var together = Make.Runner(("parallel", "6"), ("batch_size", "48"));
        var requests = Make.Questions.Select((q, i) => Make.Scoring(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "Question: " + q + "\nAnswer:", " yes", " no", " the answer is unclear")).ToList();
        var expected = new List<ModelResponse>();
        foreach (var r in requests)
        {
            expected.Add(await alone.ExecuteAsync(r, CancellationToken.None));
        }

        var actual = await Task.WhenAll(requests.Select(r => together.ExecuteAsync(r, CancellationToken.None)));
        for (var i = 0; i < requests.Count; i++)
        {
            for (var o = 0; o < 3; o++)
            {
                Assert.True(Math.Abs(expected[i].LogLikelihoods![o] - actual[i].LogLikelihoods![o]) < Tolerance, $"item {i}, option {o}");
            }
        }
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Stop_At_A_Stop_String_And_At_Max_Tokens()
    {
        await using var runner = Make.Runner();
        var full = await runner.ExecuteAsync(Make.Generate("1", Make.Questions[1], 24), CancellationToken.None);
        Assert.Null(full.Error);
        Assert.Equal(24, full.Usage!.CompletionTokens);
        Assert.True(full.Text!.Length > 12, full.Text);

        // A stop string taken from the middle of the greedy answer cuts the answer right before it.
        var stop = full.Text.Substring(full.Text.Length / 2, 4);
        var cut = await runner.ExecuteAsync(Make.Generate("2", Make.Questions[1], 24, stop: stop), CancellationToken.None);
        Assert.Equal(full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.True(cut.Usage!.CompletionTokens < 24);

        var shorter = await runner.ExecuteAsync(Make.Generate("3", Make.Questions[1], 5), CancellationToken.None);
        Assert.Equal(5, shorter.Usage!.CompletionTokens);
        Assert.StartsWith(shorter.Text!, full.Text, StringComparison.Ordinal);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Sample_Reproducibly_With_A_Seed()
    {
        await using var runner = Make.Runner(("parallel", "3"));
        var requests = new[] { Make.Generate("a", Make.Questions[2], 12, 1.0, 11), Make.Generate("b", Make.Questions[2], 12, 1.0, 11), Make.Generate("c", Make.Questions[2], 12, 1.0, 12) };
        var r = await Task.WhenAll(requests.Select(q => runner.ExecuteAsync(q, CancellationToken.None)));
        var greedy = await runner.ExecuteAsync(Make.Generate("g", Make.Questions[2], 12), CancellationToken.None);
        Assert.Equal(r[0].Text, r[1].Text);
        Assert.NotEqual(r[0].Text, r[2].Text);
        Assert.NotEqual(greedy.Text, r[0].Text);
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Answer_Risk_Requests_By_Generation()
    {
        await using var runner = Make.Runner();
        var request = new RiskRequest
        {
            Suite = "longitudinal",
            ItemId = "p1@t",
            PatientId = "p1",
            AsOf = DateTimeOffset.Parse("2100-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Outcome = "deterioration",
            Context = "HR 120, RR 28, SpO2 89%. Give the probability of deterioration within 24 h as a number from 0 to 1.",
        };
        var answer = await runner.ExecuteAsync(request, CancellationToken.None);
        var direct = await runner.ExecuteAsync(Make.Generate("x", request.Context, 12), CancellationToken.None);
        Assert.Null(answer.Error);
        Assert.InRange(answer.Usage!.CompletionTokens, 13, 256);

        // Greedy decoding of the context as a user message: the same answer, longer.
        Assert.StartsWith(direct.Text!, answer.Text, StringComparison.Ordinal);
        Assert.Null(answer.Probability);
    }

    private static async Task<GenerationResult> Generate(LlamaCppRunner runner, string question, int maxTokens)
    {
        // The engine's own result (tokens and their log-probabilities), below the runner's text response.
        var response = await runner.ExecuteAsync(Make.Generate("warm", question, 1), CancellationToken.None);
        Assert.Null(response.Error);
        return await runner.GenerateForTestsAsync(Make.Generate("q", question, maxTokens), CancellationToken.None);
    }
}
