using System.Buffers;
using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: request bodies (pooled scratch buffers, one body per request kind and logprob method) and turning
// a reply body into a ModelResponse; the wire format itself lives in WireFormat.
public sealed partial class OpenAIRunner
{
    private readonly System.Collections.Concurrent.ConcurrentBag<BodyBuffer> _bodies = [];

    /// <summary>
    /// Scratch space for writing a request body, reused: the body is written here and copied out to an exact-size
    /// array that the request owns (HttpClient may still touch a request's content after a failed send returns, so
    /// the content itself is never recycled).
    /// </summary>
    private sealed class BodyBuffer
    {
        public BodyBuffer() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }

        public void Reset()
        {
            Buffer.ResetWrittenCount();
            Writer.Reset(Buffer);
        }
    }

    private BodyBuffer RentBody()
    {
        if (_bodies.TryTake(out var body))
        {
            body.Reset();
            return body;
        }

        return new BodyBuffer();
    }

    /// <summary>Kept for the next request unless a huge prompt grew it (then the memory goes back to the GC).</summary>
    private void ReturnBody(BodyBuffer body)
    {
        if (body.Buffer.Capacity <= 64 * 1024)
        {
            _bodies.Add(body);
        }
    }

    private (Uri Uri, byte[] Body, double TokenEstimate) Build(ModelRequest request, string? method)
    {
        var scratch = RentBody();
        try
        {
            var (uri, estimate) = Write(request, method, scratch);
            return (uri, scratch.Buffer.WrittenSpan.ToArray(), estimate);
        }
        finally
        {
            ReturnBody(scratch);
        }
    }

    private (Uri Uri, double TokenEstimate) Write(ModelRequest request, string? method, BodyBuffer body)
    {
        switch (request)
        {
            case GenerateRequest g:
                {
                    var chars = 0;
                    for (var i = 0; i < g.Messages.Count; i++)
                    {
                        chars += g.Messages[i].Content.Length + 8;
                    }

                    WireFormat.WriteChatBody(body.Writer, _options, g.Messages, g.Decoding, topLogprobs: null);
                    return (_chatUri, (chars / 4.0) + g.Decoding.MaxTokens);
                }

            case RiskRequest r:
                {
                    var messages = RiskMessages(r);
                    WireFormat.WriteChatBody(body.Writer, _options, messages, RiskDecoding, topLogprobs: null);
                    return (_chatUri, (messages.Sum(m => m.Content.Length + 8) / 4.0) + RiskDecoding.MaxTokens);
                }

            case LogLikelihoodRequest l when method == EchoMethod:
                {
                    var chars = l.Continuations.Sum(c => l.Context.Length + c.Length);
                    body.Buffer.Write(WireFormat.EchoBody(_options, l.Continuations.Select(c => l.Context + c)).Span);
                    return (_completionsUri, (chars / 4.0) + l.Continuations.Count);
                }

            case LogLikelihoodRequest l:
                {
                    WireFormat.WriteChatBody(body.Writer, _options, [new ChatMessage("user", l.Context)], TopLogprobsDecoding, _options.TopLogprobs);
                    return (_chatUri, (l.Context.Length / 4.0) + 1);
                }

            default:
                throw new InvalidOperationException("unreachable: kind checked by ExecuteAsync");
        }
    }

    private static readonly DecodingParameters TopLogprobsDecoding = new() { Temperature = 0, MaxTokens = 1 };

    private ModelResponse Interpret(ModelRequest request, string? method, ReadOnlyMemory<byte> body, double latencyMs)
    {
        switch (request)
        {
            case GenerateRequest or RiskRequest:
                {
                    var (text, usage) = WireFormat.ParseChat(body.Span);
                    return ModelResponse.For(request) with
                    {
                        Text = text,
                        LatencyMs = latencyMs,
                        Usage = Priced(usage),
                        Method = ChatMethod,
                    };
                }

            case LogLikelihoodRequest l:
                {
                    var (values, usage) = method == EchoMethod
                        ? WireFormat.ParseEcho(body, l.Context, l.Continuations)
                        : WireFormat.ParseTopLogprobs(body, l.Continuations);
                    return ModelResponse.For(request) with
                    {
                        LogLikelihoods = values,
                        LatencyMs = latencyMs,
                        Usage = Priced(usage),
                        Method = method,
                    };
                }

            default:
                throw new InvalidOperationException("unreachable: kind checked by ExecuteAsync");
        }
    }
}
