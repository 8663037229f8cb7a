using Microsoft.Data.Sqlite;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests;

/// <summary>The response journal when its own file cannot be written (backend-independent, so on SQLite only).</summary>
public sealed class ResponseJournalTests : IDisposable
{
    private static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-journal-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void A_journal_that_cannot_be_written_fails_the_put_as_an_unavailable_store_and_does_not_serve_the_answer()
    {
        using var store = StoreFactory.Open(Path.Combine(_dir, "store.db"));

        // The journal's folder cannot be created: a file stands where it would go.
        var blocked = Path.Combine(_dir, "out");
        File.WriteAllText(blocked, "not a folder");
        using var journal = ResponseJournal.Open(store, Path.Combine(blocked, ResponseSpool.FolderName));
        var request = new GenerateRequest { Suite = "s", ItemId = "1", Messages = [new ChatMessage("user", "Question 1")] };
        var (key, hash) = CacheKeys.Compute(Identity, request);

        var failure = Assert.Throws<StoreUnavailableException>(() =>
            journal.PutResponseAsync(key, hash, Identity, request, new ModelResponse { Suite = "s", ItemId = "1", Text = "answer", LatencyMs = 1 }, null, CancellationToken.None).GetAwaiter().GetResult());

        Assert.Contains("the response journal in", failure.Message, StringComparison.Ordinal);
        Assert.Contains(store.Description, failure.Message, StringComparison.Ordinal);
        Assert.False(journal.TryGetResponse(key, request, out _)); // not kept, so not served
        Assert.Equal(0, store.Responses.CachedResponseCount);
    }
}
