namespace ValidationLab.Suites.Longitudinal.Tasks;

/// <summary>TaskEngine: finding events in a window by binary search over a patient's time-sorted events.</summary>
public static partial class TaskEngine
{
    /// <summary>Index of the first event at or after <paramref name="t"/> (events sorted by time).</summary>
    private static int FirstAtOrAfter(List<Event> events, DateTime t)
    {
        int lo = 0, hi = events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (events[mid].Time < t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Index of the first event strictly after <paramref name="t"/> (events sorted by time).</summary>
    private static int FirstAfter(List<Event> events, DateTime t)
    {
        int lo = 0, hi = events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (events[mid].Time <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// The label events a unit may count (all of them, or those within the unit when the label says so): a range of
    /// the time-sorted events, found once per unit instead of filtered again at every decision point.
    /// </summary>
    private readonly struct UnitEvents
    {
        public UnitEvents(TaskDefinition task, List<Event> events, DateTime unitStart, DateTime unitEnd)
        {
            Events = events;
            From = task.Label.WithinUnit ? FirstAtOrAfter(events, unitStart) : 0;
            Until = task.Label.WithinUnit ? Math.Max(From, FirstAfter(events, unitEnd)) : events.Count;
        }

        public List<Event> Events { get; }

        public int From { get; }

        public int Until { get; }

        public int Count => Until - From;

        /// <summary>How many events fall in (lo, hi], and the k-th of them (default when fewer).</summary>
        public (int Count, Event Kth) InWindow(DateTime lo, DateTime hi, int k)
        {
            var first = Math.Max(From, FirstAfter(Events, lo));
            var end = Math.Min(Until, FirstAfter(Events, hi));
            var count = Math.Max(0, end - first);
            return (count, count >= k && k >= 1 ? Events[first + k - 1] : default);
        }
    }
}
