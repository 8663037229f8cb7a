using SQLitePCL;

namespace ValidationLab.Store;

// RunStore: the group-commit writer: one thread drains the queue of pending writes and commits each batch in one
// transaction, retrying rows alone when a batch fails.
public sealed partial class RunStore
{
    /// <summary>One writer's rows and the wait that completes when they are committed.</summary>
    private sealed class PendingWrite(object[]? response, object[]? link)
    {
        public object[]? Response { get; } = response;

        public object[]? Link { get; } = link;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Enqueue(PendingWrite pending)
    {
        lock (_queueGate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _queue.Enqueue(pending);
            if (_writerWaiting)
            {
                Monitor.Pulse(_queueGate);
            }
        }
    }

    /// <summary>The single writer: takes everything pending, commits it in one transaction, completes the waits.</summary>
    private void WriterLoop()
    {
        var batch = new List<PendingWrite>();
        while (true)
        {
            lock (_queueGate)
            {
                while (_queue.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    _writerWaiting = true;
                    Monitor.Wait(_queueGate);
                    _writerWaiting = false;
                }

                while (_queue.TryDequeue(out var p))
                {
                    batch.Add(p);
                }
            }

            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        Exception? failure = null;
        lock (_gate)
        {
            try
            {
                WriteInTransaction(batch);
            }
            catch (Exception e)
            {
                // Whatever went wrong belongs to the waiting writers, never to this thread (it must outlive any row).
                failure = e;
            }
        }

        if (failure is null)
        {
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }

            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Done.TrySetException(failure);
            return;
        }

        // One bad row must not fail the others: the batch was rolled back, so commit each alone.
        var one = new List<PendingWrite>(1) { batch[0] };
        foreach (var p in batch)
        {
            one[0] = p;
            CommitBatch(one);
        }
    }

    /// <summary>Under <see cref="_gate"/>: every row of the batch in one transaction (rolled back on any error).</summary>
    private void WriteInTransaction(List<PendingWrite> batch)
    {
        Step(_begin, []);
        try
        {
            foreach (var p in batch)
            {
                if (p.Response is { } row)
                {
                    Step(_put, row);
                }

                if (p.Link is { } link)
                {
                    Step(_link, link);
                }
            }

            Step(_commit, []);
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                raw.sqlite3_exec(_connection.Handle, "ROLLBACK");
            }

            throw;
        }
    }
}
