using System.Collections.Concurrent;
using ValidationLab.Runners.LlamaCpp.Native;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>
/// The one thread that decodes. Requests arrive one at a time from the pipeline's concurrent calls; the thread
/// admits up to <c>parallel</c> of them (while their KV-cache reservations fit), and every step packs the pending
/// tokens of all admitted sequences — prompt chunks and single generated tokens alike — into one llama_decode call
/// of at most <c>batch_size</c> tokens. A job leaves as soon as it is done and its sequences are cleared for the next.
/// </summary>
internal sealed unsafe class LlamaEngine : IDisposable
{
    private readonly LlamaModel _model;
    private readonly int _parallel;
    private readonly ConcurrentQueue<EngineJob> _incoming = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private readonly List<EngineJob> _waiting = [];
    private readonly List<EngineJob> _active = [];
    private readonly Dictionary<EngineJob, int[]> _sequences = [];
    private readonly Stack<int> _freeSequences = new(Enumerable.Range(0, LlamaEnums.MaxSequences).Reverse());
    private readonly List<(Branch Branch, EngineJob Job, int TokenIndex, int BatchIndex)> _outputs = [];
    private readonly List<(Branch Branch, int Count)> _fed = [];
    private LlamaBatch _batch;
    private int _reserved;
    private int _tokenCap;
    private volatile bool _stopping;
    private long _decodeCalls;
    private long _decodedTokens;

    public LlamaEngine(LlamaModel model, int parallel)
    {
        _model = model;
        _parallel = parallel;
        _tokenCap = model.BatchSize;
        _batch = LlamaNative.llama_batch_init(model.BatchSize, 0, 1);
        _thread = new Thread(Run) { IsBackground = true, Name = "llama.cpp engine" };
        _thread.Start();
    }

    public LlamaModel Model => _model;

    /// <summary>llama_decode calls made so far.</summary>
    public long DecodeCalls => Interlocked.Read(ref _decodeCalls);

    /// <summary>Tokens evaluated so far (every branch, every step).</summary>
    public long DecodedTokens => Interlocked.Read(ref _decodedTokens);

    /// <summary>Queues <paramref name="job"/>; it completes through its own task.</summary>
    public void Submit(EngineJob job)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        _incoming.Enqueue(job);
        job.CancellationToken.Register(static s => ((AutoResetEvent)s!).Set(), _wake);
        _wake.Set();
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _wake.Set();
        _thread.Join();
        LlamaNative.llama_batch_free(_batch);
        _batch = default;
        _wake.Dispose();
        _model.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            while (_incoming.TryDequeue(out var job))
            {
                _waiting.Add(job);
            }

            if (_stopping)
            {
                foreach (var job in _waiting.Concat(_active).ToList())
                {
                    Release(job);
                    job.Fail(new ObjectDisposedException(nameof(LlamaEngine)));
                }

                return;
            }

            DropCancelled();
            Admit();
            if (_active.Count == 0)
            {
                _wake.WaitOne();
                continue;
            }

            try
            {
                Step();
            }
            catch (Exception e)
            {
                // A native failure must not strand the callers: every job in flight gets the error.
                foreach (var job in _active.ToList())
                {
                    job.Error ??= e.Message;
                    Finish(job);
                }
            }
        }
    }

    private void DropCancelled()
    {
        foreach (var job in _waiting.Where(j => j.CancellationToken.IsCancellationRequested).ToList())
        {
            _waiting.Remove(job);
            job.Fail(new OperationCanceledException(job.CancellationToken));
        }

        foreach (var job in _active.Where(j => j.CancellationToken.IsCancellationRequested).ToList())
        {
            Release(job);
            job.Fail(new OperationCanceledException(job.CancellationToken));
        }
    }

    private void Admit()
    {
        while (_waiting.Count > 0 && _active.Count < _parallel)
        {
            var job = _waiting[0];
            var fits = _active.Count == 0 || _reserved + job.ReserveCells <= _model.ContextSize;
            if (!fits || _freeSequences.Count < job.Branches.Count)
            {
                return;
            }

            _waiting.RemoveAt(0);
            var ids = new int[job.Branches.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = _freeSequences.Pop();
                job.Branches[i].Sequence = ids[i];
            }

            _sequences[job] = ids;
            _reserved += job.ReserveCells;
            _active.Add(job);
            try
            {
                job.Start(_model);
            }
            catch (Exception e)
            {
                job.Error = e.Message;
            }

            if (job.Done || job.Error is not null)
            {
                Finish(job);
            }
        }
    }

    private void Step()
    {
        _outputs.Clear();
        _fed.Clear();
        var n = 0;
        foreach (var job in _active)
        {
            foreach (var branch in job.Branches)
            {
                if (!branch.HasWork || n >= _tokenCap)
                {
                    continue;
                }

                if (branch.CopyFrom >= 0)
                {
                    LlamaNative.llama_memory_seq_cp(_model.Memory, branch.CopyFrom, branch.Sequence, -1, -1);
                    branch.CopyFrom = -1;
                }

                var take = Math.Min(branch.Tokens.Count - branch.Fed, _tokenCap - n);
                for (var k = 0; k < take; k++)
                {
                    var index = branch.Fed + k;
                    _batch.Token[n] = branch.Tokens[index];
                    _batch.Pos[n] = branch.StartPosition + index;
                    _batch.NSeqId[n] = 1;
                    _batch.SeqId[n][0] = branch.Sequence;
                    var wants = branch.WantsLogits[index];
                    _batch.Logits[n] = wants ? (sbyte)1 : (sbyte)0;
                    if (wants)
                    {
                        _outputs.Add((branch, job, index, n));
                    }

                    n++;
                }

                _fed.Add((branch, take));
            }
        }

        if (n == 0)
        {
            // Nothing to feed: every active job is waiting on nothing, which would be a bug; fail rather than spin.
            foreach (var job in _active.ToList())
            {
                job.Error = "internal error: the job has nothing left to evaluate but is not finished";
                Finish(job);
            }

            return;
        }

        _batch.NTokens = n;
        var rc = LlamaNative.llama_decode(_model.Context, _batch);
        Interlocked.Increment(ref _decodeCalls);
        if (rc == 1 && n > 1)
        {
            // No free KV slot for this many tokens at once: the cache state is unchanged, so try smaller steps.
            _tokenCap = Math.Max(1, n / 2);
            return;
        }

        if (rc != 0)
        {
            var reason = rc == 1
                ? $"the context is full (context_size {_model.ContextSize} tokens shared by the sequences in flight); raise context_size or lower parallel"
                : $"llama_decode failed with code {rc}";
            foreach (var job in _active.ToList())
            {
                job.Error = reason;
                Finish(job);
            }

            return;
        }

        Interlocked.Add(ref _decodedTokens, n);
        _tokenCap = _model.BatchSize;
        foreach (var (branch, count) in _fed)
        {
            branch.Fed += count;
        }

        foreach (var (branch, job, tokenIndex, batchIndex) in _outputs)
        {
            if (job.Done || job.Error is not null)
            {
                continue;
            }

            var logits = LlamaNative.llama_get_logits_ith(_model.Context, batchIndex);
            if (logits is null)
            {
                job.Error = "llama.cpp returned no logits for a requested position";
                continue;
            }

            try
            {
                job.OnOutput(_model, branch, tokenIndex, batchIndex, logits);
            }
            catch (Exception e)
            {
                job.Error = e.Message;
            }
        }

        foreach (var job in _active.Where(j => j.Done || j.Error is not null).ToList())
        {
            Finish(job);
        }
    }

    private void Finish(EngineJob job)
    {
        Release(job);
        if (job.Error is { } error)
        {
            job.Fail(new InvalidOperationException(error));
        }
        else
        {
            job.Complete();
        }
    }

    private void Release(EngineJob job)
    {
        if (_sequences.Remove(job, out var ids))
        {
            foreach (var id in ids)
            {
                LlamaNative.llama_memory_seq_rm(_model.Memory, id, -1, -1);
                _freeSequences.Push(id);
            }

            _reserved -= job.ReserveCells;
        }

        _active.Remove(job);
        _waiting.Remove(job);
    }
}
