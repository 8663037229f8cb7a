using Npgsql;
using NpgsqlTypes;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Postgres;

/// <summary>
/// The PostgreSQL response cache. Writes go through the group-commit writer (<see cref="GroupCommitter{T}"/>): each
/// batch is one transaction of single-row inserts sent together (one round trip, <see cref="NpgsqlBatch"/>), answers
/// with <c>ON CONFLICT DO NOTHING</c> (first answer wins, also across processes), and a commit that waits for the
/// server's WAL flush (the default <c>synchronous_commit</c>), so "returned ⇒ durable" holds even if the server
/// crashes. Lookups take a pooled connection each. Thread-safe.
/// </summary>
internal sealed class PostgresResponseCache : IResponseCache, ISpoolTarget, IDisposable
{
    private const string Put = $"INSERT INTO responses ({CacheRows.ResponseColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (cache_key) DO NOTHING";
    private const string Link = $"INSERT INTO run_responses ({CacheRows.LinkColumns}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (run_id, suite, item_id, request_id) DO UPDATE SET cache_key = excluded.cache_key";

    private static readonly NpgsqlDbType[] ResponseTypes =
    [
        NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
        NpgsqlDbType.Text, NpgsqlDbType.Bytea, NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Integer, NpgsqlDbType.Integer,
        NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
    ];

    private static readonly NpgsqlDbType[] LinkTypes = [NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text];

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;
    private readonly GroupCommitter<CacheWrite> _writer;

    public PostgresResponseCache(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        _description = description;
        _writer = new GroupCommitter<CacheWrite>(WriteInTransaction, typeof(PostgresRunStore));
    }

    /// <inheritdoc />
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Use(() =>
        {
            using var cmd = _dataSource.CreateCommand("SELECT 1 FROM responses WHERE cache_key = $1");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            return cmd.ExecuteScalar() is not null;
        });
    }

    /// <inheritdoc />
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        var found = Use(() =>
        {
            using var cmd = _dataSource.CreateCommand("""
                SELECT text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method
                FROM responses WHERE cache_key = $1
                """);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            using var r = cmd.ExecuteReader();
            if (!r.Read())
            {
                return null;
            }

            return CacheRows.Answer(
                request,
                r.IsDBNull(0) ? null : r.GetString(0),
                r.IsDBNull(1) ? [] : r.GetFieldValue<byte[]>(1),
                !r.IsDBNull(1),
                r.IsDBNull(2) ? null : r.GetDouble(2),
                r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7));
        });
        response = found!;
        return found is not null;
    }

    /// <inheritdoc />
    public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken) =>
        CacheRows.Put(_writer, key, requestHash, identity, request, response, runId, cancellationToken);

    /// <inheritdoc />
    public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken) =>
        CacheRows.Link(_writer, runId, request, key, cancellationToken);

    /// <inheritdoc />
    Task ISpoolTarget.WriteSpooledAsync(CacheWrite write) => _writer.Enqueue(write, CancellationToken.None);

    /// <inheritdoc />
    public void Flush() => _writer.Flush();

    /// <inheritdoc />
    public long CountAnswered(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        Flush();
        return Use(() =>
        {
            using var cmd = _dataSource.CreateCommand("SELECT count(*) FROM run_responses WHERE run_id = $1");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = runId });
            return (long)cmd.ExecuteScalar()!;
        });
    }

    /// <inheritdoc />
    public long CachedResponseCount
    {
        get
        {
            Flush();
            return Use(() =>
            {
                using var cmd = _dataSource.CreateCommand("SELECT count(*) FROM responses");
                return (long)cmd.ExecuteScalar()!;
            });
        }
    }

    /// <summary>Commits every pending write (their waits complete), then stops the writer.</summary>
    public void Dispose() => _writer.Close();

    private T Use<T>(Func<T> action) => PostgresErrors.Use(action, _description);

    /// <summary>Every row of the batch in one transaction, sent in one round trip (rolled back on any error).</summary>
    private void WriteInTransaction(List<GroupCommitter<CacheWrite>.Pending> batch)
    {
        PostgresErrors.Use(() =>
        {
            using var connection = _dataSource.OpenConnection();
            using var tx = connection.BeginTransaction();
            using var commands = new NpgsqlBatch(connection, tx);
            foreach (var p in batch)
            {
                p.Row?.ForEachRow((row, link) =>
                {
                    if (row is not null)
                    {
                        commands.BatchCommands.Add(Command(Put, row, ResponseTypes));
                    }

                    if (link is not null)
                    {
                        commands.BatchCommands.Add(Command(Link, link, LinkTypes));
                    }
                });
            }

            if (commands.BatchCommands.Count > 0)
            {
                commands.ExecuteNonQuery();
            }

            tx.Commit();
            return true;
        }, _description);
    }

    private static NpgsqlBatchCommand Command(string sql, object?[] values, NpgsqlDbType[] types)
    {
        var command = new NpgsqlBatchCommand(sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = types[i], Value = values[i] ?? DBNull.Value });
        }

        return command;
    }
}
