namespace ValidationLab.Store;

/// <summary>
/// Group commit for the response cache of either backend: writers enqueue a row and wait; one writer thread takes
/// everything pending, writes it in one transaction (<c>writeInTransaction</c>, which must roll back on any error) and
/// then completes all their waits, so a wait completes only once its row is committed ("returned ⇒ durable"). When a
/// batch fails, each row is retried alone, so one bad row fails only its own write. Closing commits everything
/// pending first.
/// </summary>
/// <typeparam name="T">A row as the backend binds it (built on the caller's thread, so the writer only binds and steps).</typeparam>
internal sealed class GroupCommitter<T>
    where T : class
{
    private readonly Action<List<Pending>> _writeInTransaction;
    private readonly Type _owner;
    private readonly object _queueGate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly Thread _writer;
    private bool _writerWaiting;
    private bool _closing;

    public GroupCommitter(Action<List<Pending>> writeInTransaction, Type owner)
    {
        _writeInTransaction = writeInTransaction;
        _owner = owner;
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "ValidationLab run store writer" };
        _writer.Start();
    }

    /// <summary>One writer's row (null: a flush marker) and the wait that completes when it is committed.</summary>
    public sealed class Pending(T? row)
    {
        public T? Row { get; } = row;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Queues <paramref name="row"/>; the task completes once it is committed. Cancelling stops the wait, not the write.</summary>
    public Task Enqueue(T? row, CancellationToken cancellationToken)
    {
        var pending = new Pending(row);
        lock (_queueGate)
        {
            ObjectDisposedException.ThrowIf(_closing, _owner);
            _queue.Enqueue(pending);
            if (_writerWaiting)
            {
                Monitor.Pulse(_queueGate);
            }
        }

        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Returns once every row enqueued before the call is committed (or has failed).</summary>
    public void Flush() => Enqueue(null, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default).GetAwaiter().GetResult();

    /// <summary>Commits every pending row (their waits complete), then stops the writer; later enqueues are refused. Idempotent.</summary>
    public void Close()
    {
        lock (_queueGate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_queueGate);
        }

        _writer.Join();
    }

    /// <summary>The single writer: takes everything pending, commits it in one transaction, completes the waits.</summary>
    private void WriterLoop()
    {
        var batch = new List<Pending>();
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

    private void CommitBatch(List<Pending> batch)
    {
        Exception? failure = null;
        try
        {
            _writeInTransaction(batch);
        }
        catch (Exception e)
        {
            // Whatever went wrong belongs to the waiting writers, never to this thread (it must outlive any row).
            failure = e;
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
        var one = new List<Pending>(1) { batch[0] };
        foreach (var p in batch)
        {
            one[0] = p;
            CommitBatch(one);
        }
    }
}
