using Polly;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: which logprob method (prompt echo or top_logprobs) the server offers, probed once per runner before
// the first log-likelihood request.
public sealed partial class OpenAIRunner
{
    private Task<string> ResolveMethodAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_methodTask is null || _methodTask.IsFaulted || _methodTask.IsCanceled)
            {
                _methodTask = DetectMethodAsync(cancellationToken);
            }

            return _methodTask;
        }
    }

    /// <summary>Probes the server once for the configured (or, with auto, the best offered) logprob method.</summary>
    private async Task<string> DetectMethodAsync(CancellationToken cancellationToken)
    {
        var wanted = _options.LogLikelihoodMethod;
        var notes = new List<string>();
        if (wanted is LogLikelihoodMethod.Auto or LogLikelihoodMethod.Echo)
        {
            var (ok, note) = await ProbeAsync(_completionsUri, WireFormat.EchoBody(_options, ["The capital of France is Paris"]), WireFormat.HasEchoLogprobs, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                return EchoMethod;
            }

            notes.Add("prompt echo: " + note);
        }

        if (wanted is LogLikelihoodMethod.Auto or LogLikelihoodMethod.TopLogprobs)
        {
            var body = WireFormat.ChatBody(_options, [new ChatMessage("user", "Say A.")], TopLogprobsDecoding, _options.TopLogprobs);
            var (ok, note) = await ProbeAsync(_chatUri, body, WireFormat.HasTopLogprobs, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                return TopLogprobsMethod;
            }

            notes.Add($"top_logprobs={_options.TopLogprobs}: " + note + (note.StartsWith("HTTP 4", StringComparison.Ordinal) ? " (a server that caps top_logprobs, like TGI at 5, needs a lower 'top_logprobs')" : ""));
        }

        var asked = wanted switch
        {
            LogLikelihoodMethod.Echo => "loglikelihood_method: echo was asked for, but",
            LogLikelihoodMethod.TopLogprobs => "loglikelihood_method: top_logprobs was asked for, but",
            _ => "log-likelihood scoring was asked for, but",
        };
        throw new InputException(
            $"{asked} the endpoint {_options.Source} (model '{_options.Model}') does not offer it ({Redact(string.Join("; ", notes))}); use a server that returns completion logprobs (e.g. vLLM) or a generate-mode suite",
            _origin, field: "loglikelihood_method");
    }

    private async Task<(bool Ok, string Note)> ProbeAsync(Uri uri, ReadOnlyMemory<byte> body, Func<byte[], bool> check, CancellationToken cancellationToken)
    {
        var probe = new GenerateRequest { Suite = "probe", ItemId = "(capability probe)", Messages = [] };
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, probe);
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (runner, uri, body, check) = state;
                    await runner._inFlight.WaitAsync(ctx.CancellationToken).ConfigureAwait(false);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
                    timeout.CancelAfter(runner._options.Timeout);
                    try
                    {
                        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
                        message.Content.Headers.ContentType = JsonContentType;
                        runner.AddHeaders(message);
                        Interlocked.Increment(ref runner._requestsSent);
                        using var reply = await runner._http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                        var status = (int)reply.StatusCode;
                        var bytes = await reply.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                        if (status is 408 or 409 or 429 or >= 500)
                        {
                            return Attempt.Fail($"http_{status}", $"HTTP {status}", retryable: true, RetryAfter(reply));
                        }

                        if (status is < 200 or > 299)
                        {
                            var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200)).ReplaceLineEndings(" ").Trim();
                            return Attempt.Fail($"http_{status}", text.Length == 0 ? $"HTTP {status}" : $"HTTP {status} {text}", retryable: false);
                        }

                        return check(bytes) ? Attempt.Ok(null!) : Attempt.Fail("unsupported", "the answer carries no logprobs", retryable: false);
                    }
                    catch (OperationCanceledException) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        return Attempt.Fail("timeout", "timed out", retryable: true);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException)
                    {
                        return Attempt.Fail("connection", Describe(e), retryable: true);
                    }
                    finally
                    {
                        runner._inFlight.Release();
                    }
                },
                context,
                (this, uri, body, check)).ConfigureAwait(false);
            if (result.Kind.Length == 0)
            {
                return (true, "");
            }

            if (result.Retryable)
            {
                throw new InputException($"could not reach {_options.Source} to check log-likelihood support: {Redact(result.Message)}", _origin, field: "base_url");
            }

            return (false, result.Message);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
