namespace ValidationLab.Store;

/// <summary>
/// The run store stopped answering mid-run (a PostgreSQL server went away, was shut down or ran out of connections).
/// The message names the store, never its password. Answers committed before it are kept: <c>--resume</c> continues
/// once the store is back.
/// </summary>
public sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
