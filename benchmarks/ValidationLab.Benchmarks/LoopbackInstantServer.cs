using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ValidationLab.Benchmarks;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers every request with a fixed OpenAI
/// chat-completion body, at once or after a fixed delay (a stand-in for model time), and keeps connections alive.
/// Raw sockets so that the server costs as little CPU as possible: the benchmark measures the client side.
/// </summary>
internal sealed class LoopbackInstantServer : IDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The answer is C.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":5,\"total_tokens\":47}}");

    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: keep-alive\r\n\r\n")
        .Concat(Body).ToArray();

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly TimeSpan _delay;

    public LoopbackInstantServer(TimeSpan delay = default)
    {
        _delay = delay;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    /// <summary>Reads requests (headers + Content-Length body) and answers each; ends when the client closes.</summary>
    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0)
                {
                    if (filled == buffer.Length)
                    {
                        return; // headers larger than the buffer: not a client of this benchmark
                    }

                    var n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    filled += n;
                    continue;
                }

                var total = headerEnd + 4 + ContentLength(buffer.AsSpan(0, headerEnd));
                if (total > buffer.Length)
                {
                    return;
                }

                while (filled < total)
                {
                    var n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    filled += n;
                }

                if (_delay > TimeSpan.Zero)
                {
                    await Task.Delay(_delay, _stop.Token);
                }

                await client.SendAsync(Response, SocketFlags.None, _stop.Token);
                buffer.AsSpan(total, filled - total).CopyTo(buffer);
                filled -= total;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        var text = Encoding.ASCII.GetString(headers);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
