using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// The run store: one embedded SQLite file (WAL mode) holding a content-addressed response cache and the run records
/// used for resume (the seed of the later run registry). Every write is its own committed transaction, so a response
/// is durable against a process crash (Ctrl-C, kill -9) as soon as <see cref="PutResponse"/> returns. Errors are never
/// cached. Thread-safe: calls are serialized on one connection (each is a few microseconds).
/// </summary>
public sealed class RunStore : IDisposable
{
    /// <summary>The schema this code writes (SQLite <c>user_version</c>); older stores are migrated on open.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _put;
    private readonly SqliteCommand _link;
    private bool _disposed;

    private RunStore(string path, SqliteConnection connection)
    {
        FilePath = path;
        _connection = connection;
        _get = Prepare("""
            SELECT text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method
            FROM responses WHERE cache_key = $key
            """, "$key");
        _exists = Prepare("SELECT 1 FROM responses WHERE cache_key = $key", "$key");
        _put = Prepare("""
            INSERT OR IGNORE INTO responses (cache_key, runner, model, source, fingerprint, request_hash, kind, text, loglikelihoods,
                probability, latency_ms, prompt_tokens, completion_tokens, cost, method, created_utc)
            VALUES ($key, $runner, $model, $source, $fingerprint, $request_hash, $kind, $text, $ll, $p, $latency, $pt, $ct, $cost, $method, $created)
            """, "$key", "$runner", "$model", "$source", "$fingerprint", "$request_hash", "$kind", "$text", "$ll", "$p", "$latency", "$pt", "$ct", "$cost", "$method", "$created");
        _link = Prepare("""
            INSERT OR REPLACE INTO run_responses (run_id, suite, item_id, request_id, cache_key) VALUES ($run, $suite, $item, $request, $key)
            """, "$run", "$suite", "$item", "$request", "$key");
    }

    /// <summary>The store file.</summary>
    public string FilePath { get; }

    /// <summary><c>.validationlab/store.db</c> under <paramref name="workingDirectory"/>.</summary>
    public static string DefaultPath(string workingDirectory) => Path.Combine(workingDirectory, ".validationlab", "store.db");

    /// <summary>Opens (creating or migrating) the store at <paramref name="path"/>.</summary>
    public static RunStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;");
            Migrate(connection, full);
            return new RunStore(full, connection);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InputException($"cannot open the run store: {e.Message}", full, inner: e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The cache key: SHA-256 over the runner identity (runner, model, source, fingerprint) and the canonical JSON of
    /// the request content (prompt and decoding parameters; ids excluded).
    /// </summary>
    public static string CacheKey(RunnerIdentity identity, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        return RequestHasher.Sha256Hex(string.Join('\0', "validationlab-cache/1", identity.Runner, identity.Model, identity.Source ?? "", identity.Fingerprint, RequestHasher.CanonicalJson(request)));
    }

    /// <summary>True when an answer is stored under <paramref name="key"/>.</summary>
    public bool Contains(string key)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _exists.Parameters[0].Value = key;
            return _exists.ExecuteScalar() is not null;
        }
    }

    /// <summary>The stored answer for <paramref name="key"/>, addressed to <paramref name="request"/>'s suite, item and request ids.</summary>
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _get.Parameters[0].Value = key;
            using var reader = _get.ExecuteReader();
            if (!reader.Read())
            {
                response = null!;
                return false;
            }

            var hasUsage = !reader.IsDBNull(4);
            response = new ModelResponse
            {
                Suite = request.Suite,
                ItemId = request.ItemId,
                RequestId = request.RequestId,
                Text = reader.IsDBNull(0) ? null : reader.GetString(0),
                LogLikelihoods = reader.IsDBNull(1) ? null : MemoryMarshal.Cast<byte, double>((byte[])reader.GetValue(1)).ToArray(),
                Probability = reader.IsDBNull(2) ? null : reader.GetDouble(2),
                LatencyMs = reader.GetDouble(3),
                Usage = hasUsage
                    ? new TokenUsage(reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : decimal.Parse(reader.GetString(6), CultureInfo.InvariantCulture))
                    : null,
                Method = reader.IsDBNull(7) ? null : reader.GetString(7),
            };
            return true;
        }
    }

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> and commits it at once. Failed responses are ignored
    /// (errors are never cached); an existing entry is kept (first answer wins).
    /// </summary>
    public void PutResponse(string key, RunnerIdentity identity, ModelRequest request, ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsError)
        {
            return;
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the run store stores log-likelihoods little-endian");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var p = _put.Parameters;
            p[0].Value = key;
            p[1].Value = identity.Runner;
            p[2].Value = identity.Model;
            p[3].Value = (object?)identity.Source ?? DBNull.Value;
            p[4].Value = identity.Fingerprint;
            p[5].Value = RequestHasher.Hash(request);
            p[6].Value = request.Kind.ToString();
            p[7].Value = (object?)response.Text ?? DBNull.Value;
            p[8].Value = response.LogLikelihoods is { } ll ? MemoryMarshal.AsBytes(ll.ToArray().AsSpan()).ToArray() : DBNull.Value;
            p[9].Value = (object?)response.Probability ?? DBNull.Value;
            p[10].Value = response.LatencyMs;
            p[11].Value = (object?)response.Usage?.PromptTokens ?? DBNull.Value;
            p[12].Value = (object?)response.Usage?.CompletionTokens ?? DBNull.Value;
            p[13].Value = (object?)response.Usage?.Cost?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value;
            p[14].Value = (object?)response.Method ?? DBNull.Value;
            p[15].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            _put.ExecuteNonQuery();
        }
    }

    /// <summary>Records that <paramref name="runId"/> got its answer for the request from the entry <paramref name="key"/>.</summary>
    public void LinkResponse(string runId, ModelRequest request, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var p = _link.Parameters;
            p[0].Value = runId;
            p[1].Value = request.Suite;
            p[2].Value = request.ItemId;
            p[3].Value = request.RequestId;
            p[4].Value = key;
            _link.ExecuteNonQuery();
        }
    }

    /// <summary>How many requests of <paramref name="runId"/> have a stored answer (progress shown on resume).</summary>
    public long CountAnswered(string runId) => Scalar<long>("SELECT COUNT(*) FROM run_responses WHERE run_id = $a", runId);

    /// <summary>How many answers the cache holds.</summary>
    public long CachedResponseCount => Scalar<long>("SELECT COUNT(*) FROM responses");

    /// <summary>
    /// Starts a run of the config whose SHA-256 is <paramref name="configSha256"/> and returns its id. With
    /// <paramref name="resume"/>, the latest unfinished run of the same config is continued (same id) when there is
    /// one; otherwise a new run starts.
    /// </summary>
    public string BeginRun(string configSha256, bool resume)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configSha256);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _connection.BeginTransaction(deferred: false);
            if (resume && FindUnfinishedLocked(configSha256, tx) is { } existing)
            {
                using var bump = Command("UPDATE runs SET resume_count = resume_count + 1, last_resumed_utc = $a WHERE run_id = $b", tx, Now(), existing);
                bump.ExecuteNonQuery();
                tx.Commit();
                return existing;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
            using var insert = Command("INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ($a, $b, 'running', $c)", tx, id, configSha256, Now());
            insert.ExecuteNonQuery();
            tx.Commit();
            return id;
        }
    }

    /// <summary>The latest unfinished run of this config, if any (what <c>--resume</c> would continue).</summary>
    public string? FindUnfinishedRun(string configSha256)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return FindUnfinishedLocked(configSha256, null);
        }
    }

    /// <summary>Marks the run finished; a finished run is never resumed.</summary>
    public void FinishRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("UPDATE runs SET status = 'finished', finished_utc = $a WHERE run_id = $b", null, Now(), runId);
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"no run '{runId}' in the store");
            }
        }
    }

    /// <summary>The run record, or null.</summary>
    public RunRecord? GetRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("SELECT run_id, config_sha256, status, started_utc, finished_utc, resume_count FROM runs WHERE run_id = $a", null, runId);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2) == "finished",
                    DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
                    r.IsDBNull(4) ? null : DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                    r.GetInt32(5))
                : null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _get.Dispose();
            _exists.Dispose();
            _put.Dispose();
            _link.Dispose();
            _connection.Dispose();
        }
    }

    private string? FindUnfinishedLocked(string configSha256, SqliteTransaction? tx)
    {
        using var cmd = Command("SELECT run_id FROM runs WHERE config_sha256 = $a AND status = 'running' ORDER BY started_utc DESC, rowid DESC LIMIT 1", tx, configSha256);
        return cmd.ExecuteScalar() as string;
    }

    private T Scalar<T>(string sql, params object[] args)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command(sql, null, args);
            return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params object[] args)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (char)('a' + i), args[i]);
        }

        return cmd;
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return cmd;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InputException($"the run store has schema version {version}; this ValidationLab reads up to {SchemaVersion} (upgrade ValidationLab or use another --store)", path);
        }

        if (version == SchemaVersion)
        {
            return;
        }

        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;

        // Version 1: response cache, runs, and which answers each run used.
        cmd.CommandText = """
            CREATE TABLE IF NOT EXISTS responses (
                cache_key TEXT NOT NULL PRIMARY KEY,
                runner TEXT NOT NULL,
                model TEXT NOT NULL,
                source TEXT,
                fingerprint TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT,
                loglikelihoods BLOB,
                probability REAL,
                latency_ms REAL NOT NULL,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                cost TEXT,
                method TEXT,
                created_utc TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT NOT NULL PRIMARY KEY,
                config_sha256 TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                started_utc TEXT NOT NULL,
                finished_utc TEXT,
                resume_count INTEGER NOT NULL DEFAULT 0,
                last_resumed_utc TEXT
            );
            CREATE INDEX IF NOT EXISTS runs_by_config ON runs (config_sha256, status, started_utc);
            CREATE TABLE IF NOT EXISTS run_responses (
                run_id TEXT NOT NULL REFERENCES runs (run_id),
                suite TEXT NOT NULL,
                item_id TEXT NOT NULL,
                request_id TEXT NOT NULL,
                cache_key TEXT NOT NULL,
                PRIMARY KEY (run_id, suite, item_id, request_id)
            );
            PRAGMA user_version = 1;
            """;
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}

/// <summary>One run as the store knows it.</summary>
public sealed record RunRecord(string RunId, string ConfigSha256, bool Finished, DateTimeOffset StartedUtc, DateTimeOffset? FinishedUtc, int ResumeCount);
