using System.Diagnostics;
using System.Globalization;

namespace ValidationLab.Runners.OpenAI;

/// <summary>
/// A token bucket refilling continuously at the per-minute rate and holding at most one second's allowance (bursts
/// stay small: Azure and most gateways enforce their per-minute quotas over short windows). Requests larger than the bucket
/// are let through when it is full (a single request must never block forever) and drive the balance negative, so
/// later requests wait for the debt to be repaid. Thread-safe.
/// </summary>
internal sealed class PerMinuteLimiter(string name, int perMinute, IRunObserver observer)
{
    private readonly Lock _gate = new();
    private readonly double _capacity = Math.Max(1.0, perMinute / 60.0);
    private readonly double _perSecond = perMinute / 60.0;
    private double _available = Math.Max(1.0, perMinute / 60.0);
    private long _last = Stopwatch.GetTimestamp();
    private long _lastStatus;

    /// <summary>Total time callers spent waiting, in stopwatch ticks.</summary>
    public long WaitedTicks;

    /// <summary>Takes <paramref name="amount"/> units, waiting as long as the limit requires.</summary>
    public async ValueTask AcquireAsync(double amount, CancellationToken cancellationToken)
    {
        long started = 0;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                Refill();
                var needed = Math.Min(amount, _capacity);
                if (_available >= needed)
                {
                    _available -= amount;
                    break;
                }

                wait = TimeSpan.FromSeconds(Math.Max(0.005, (needed - _available) / _perSecond));
            }

            if (started == 0)
            {
                started = Stopwatch.GetTimestamp();
            }

            ReportWait(wait);
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        if (started != 0)
        {
            Interlocked.Add(ref WaitedTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>Corrects an estimate once the real amount is known (positive: more was used than taken).</summary>
    public void Adjust(double delta)
    {
        if (delta == 0)
        {
            return;
        }

        lock (_gate)
        {
            Refill();
            _available = Math.Min(_capacity, _available - delta);
        }
    }

    private void Refill()
    {
        var now = Stopwatch.GetTimestamp();
        _available = Math.Min(_capacity, _available + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
    }

    private void ReportWait(TimeSpan wait)
    {
        // One status line per second at most: many workers wait at once and the display needs only the latest.
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastStatus);
        if (last != 0 && Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastStatus, now, last) == last)
        {
            observer.Status(string.Create(CultureInfo.InvariantCulture, $"waiting {wait.TotalSeconds:0.0} s for the {name} limit ({perMinute}/min)"));
        }
    }
}
