using Microsoft.Data.Sqlite;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests;

/// <summary>
/// The cache runner when its store goes away while the model is answering: with a spool the answer is kept there
/// (and handed out), nothing more is asked, and the next drain stores it with its run link; without one it fails.
/// </summary>
public sealed class CachingModelRunnerSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-spool-runner-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static GenerateRequest Request(int i) => new() { Suite = "s", ItemId = "i" + i, Messages = [new ChatMessage("user", "Question " + i)] };

    [Fact]
    public async Task An_answer_arriving_after_the_store_is_lost_is_spooled_handed_out_and_drained_later_and_nothing_more_is_asked()
    {
        using var store = StoreFactory.Open(Path.Combine(_dir, "store.db"));
        var runId = store.Registry.BeginRun("cfg", resume: false);
        var losing = new LosingCache(store.Responses);
        var model = new Model { WhileAnswering = i => losing.Lost = i == 1 };
        var folder = ResponseSpool.FolderFor(Path.Combine(_dir, "out"));
        using var spool = new ResponseSpool(folder, store.Description);
        await using var cached = new CachingModelRunner(model, losing, runId, spool);

        var first = await cached.ExecuteAsync(Request(0), default);
        var second = await cached.ExecuteAsync(Request(1), default); // the store goes away while this one is answered
        var third = await cached.ExecuteAsync(Request(2), default);

        Assert.Equal("answer 0", first.Text);
        Assert.Equal("answer 1", second.Text); // kept in the spool, so handed out
        Assert.True(third.IsError);
        Assert.Equal(CachingModelRunner.StoreUnavailableKind, third.Error!.Kind);
        Assert.Equal(2, model.Asked); // nothing asked once the store was gone
        Assert.NotNull(cached.StoreFailure);
        Assert.Equal(1, spool.Count);
        Assert.Equal(1, store.Responses.CachedResponseCount);

        spool.Dispose();
        Assert.Equal(new SpoolDrain(1, 1, 0), ResponseSpool.Drain(folder, store));
        Assert.Equal(2, store.Responses.CountAnswered(runId));
        Assert.True(store.Responses.TryGetResponse(CacheKeys.CacheKey(model.Identity, Request(1)), Request(1), out var back));
        Assert.Equal("answer 1", back.Text);
    }

    [Fact]
    public async Task Without_a_spool_the_answer_that_cannot_be_stored_is_not_handed_out()
    {
        using var store = StoreFactory.Open(Path.Combine(_dir, "store.db"));
        var losing = new LosingCache(store.Responses);
        var model = new Model { WhileAnswering = i => losing.Lost = i == 0 };
        await using var cached = new CachingModelRunner(model, losing);

        var response = await cached.ExecuteAsync(Request(0), default);

        Assert.True(response.IsError);
        Assert.Equal(CachingModelRunner.StoreUnavailableKind, response.Error!.Kind);
        Assert.NotNull(cached.StoreFailure);
    }

    /// <summary>A model answering "answer i"; <see cref="WhileAnswering"/> runs before each answer (the store's fate).</summary>
    private sealed class Model : IModelRunner
    {
        private int _asked;

        public Action<int> WhileAnswering { get; init; } = _ => { };

        public int Asked => Volatile.Read(ref _asked);

        public RunnerIdentity Identity { get; } = new() { Runner = "fake", Model = "m", Fingerprint = "f" };

        public IReadOnlySet<RequestKind> SupportedKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public int MaxConcurrency => 4;

        public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<string>>([]);

        public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            var i = int.Parse(request.ItemId[1..], System.Globalization.CultureInfo.InvariantCulture);
            WhileAnswering(i);
            return Task.FromResult(new ModelResponse { Suite = request.Suite, ItemId = request.ItemId, RequestId = request.RequestId, Text = "answer " + i, LatencyMs = 1 });
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The real cache until <see cref="Lost"/>; then every call fails as a PostgreSQL server gone away does.</summary>
    private sealed class LosingCache(IResponseCache inner) : IResponseCache
    {
        private volatile bool _lost;

        public bool Lost
        {
            get => _lost;
            set => _lost = value;
        }

        private void ThrowIfLost()
        {
            if (_lost)
            {
                throw new StoreUnavailableException("the run store postgres://u@h:1/db is unavailable: the server closed the connection");
            }
        }

        public bool Contains(string key)
        {
            ThrowIfLost();
            return inner.Contains(key);
        }

        public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
        {
            ThrowIfLost();
            return inner.TryGetResponse(key, request, out response);
        }

        public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken)
        {
            ThrowIfLost();
            return inner.PutResponseAsync(key, requestHash, identity, request, response, runId, cancellationToken);
        }

        public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken)
        {
            ThrowIfLost();
            return inner.LinkResponseAsync(runId, request, key, cancellationToken);
        }

        public void Flush() => inner.Flush();

        public long CountAnswered(string runId) => inner.CountAnswered(runId);

        public long CachedResponseCount => inner.CachedResponseCount;
    }
}
