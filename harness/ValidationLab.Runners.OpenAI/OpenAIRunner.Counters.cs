using System.Diagnostics;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: the running totals reported through IRunnerStatistics (requests, retries, tokens, cost) and the
// price applied to each answer's usage.
public sealed partial class OpenAIRunner
{
    /// <inheritdoc />
    public RunnerCounters GetCounters()
    {
        decimal cost;
        lock (_gate)
        {
            cost = _cost;
        }

        var waited = (_requestLimiter?.WaitedTicks ?? 0) + (_tokenLimiter?.WaitedTicks ?? 0);
        return new RunnerCounters
        {
            RequestsSent = Interlocked.Read(ref _requestsSent),
            Retries = Interlocked.Read(ref _retries),
            FailedRequests = Interlocked.Read(ref _failed),
            PromptTokens = Interlocked.Read(ref _promptTokens),
            CompletionTokens = Interlocked.Read(ref _completionTokens),
            Cost = _options.PriceInputPer1M is null && _options.PriceOutputPer1M is null ? null : cost,
            RateLimitWait = TimeSpan.FromSeconds(waited / (double)Stopwatch.Frequency),
        };
    }

    private TokenUsage? Priced(TokenUsage? usage)
    {
        if (usage is null || (_options.PriceInputPer1M is null && _options.PriceOutputPer1M is null))
        {
            return usage;
        }

        var cost = (usage.PromptTokens * (_options.PriceInputPer1M ?? 0m) / 1_000_000m) + (usage.CompletionTokens * (_options.PriceOutputPer1M ?? 0m) / 1_000_000m);
        return usage with { Cost = cost };
    }

    private void Account(TokenUsage? usage, double estimate)
    {
        if (usage is null)
        {
            return;
        }

        Interlocked.Add(ref _promptTokens, usage.PromptTokens);
        Interlocked.Add(ref _completionTokens, usage.CompletionTokens);
        if (usage.Cost is { } cost)
        {
            lock (_gate)
            {
                _cost += cost;
            }
        }

        _tokenLimiter?.Adjust(usage.PromptTokens + usage.CompletionTokens - estimate);
    }
}
