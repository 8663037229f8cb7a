using System.Diagnostics;
using ValidationLab.Pipeline;
using ValidationLab.Requests;

namespace ValidationLab.Cli.Display;

/// <summary>
/// Progress as plain lines for CI logs and redirected output: phases, warnings, a count every 10% or 5 seconds,
/// and retries (throttled) so that a run waiting on an endpoint never looks hung.
/// </summary>
internal sealed class PlainProgressSink(TextWriter writer) : IProgressSink
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private readonly Stopwatch _sinceRetryLine = new();
    private int _total;
    private int _done;
    private int _errored;
    private int _retries;
    private int _lastDecile;

    public void Phase(string description) => Write($"{description}...");

    public void Warning(string message) => Write($"warning: {message}");

    public void RequestsStarted(int total)
    {
        _total = total;
        Write($"calling the model: {total} request(s)");
    }

    public void RequestCompleted(ModelResponse response)
    {
        var done = Interlocked.Increment(ref _done);
        if (response.IsError)
        {
            Interlocked.Increment(ref _errored);
        }

        var decile = _total == 0 ? 10 : done * 10 / _total;
        lock (_gate)
        {
            if (decile > _lastDecile || _sinceLine.Elapsed > TimeSpan.FromSeconds(5))
            {
                _lastDecile = decile;
                WriteUnlocked($"{done}/{_total} requests done, {_errored} errored, {_retries} retries");
            }
        }
    }

    public void RequestsFinished()
    {
        if (_lastDecile < 10)
        {
            Write($"{_done}/{_total} requests done, {_errored} errored, {_retries} retries");
        }
    }

    public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
    {
        Interlocked.Increment(ref _retries);
        lock (_gate)
        {
            if (!_sinceRetryLine.IsRunning || _sinceRetryLine.Elapsed > TimeSpan.FromSeconds(2))
            {
                _sinceRetryLine.Restart();
                WriteUnlocked($"retrying item {itemId} (attempt {attempt}) in {delay.TotalSeconds:0.0} s: {reason}");
            }
        }
    }

    public void Status(string message) => Write(message);

    private void Write(string line)
    {
        lock (_gate)
        {
            WriteUnlocked(line);
        }
    }

    private void WriteUnlocked(string line)
    {
        _sinceLine.Restart();
        writer.WriteLine($"[validationlab] {line}");
    }
}
