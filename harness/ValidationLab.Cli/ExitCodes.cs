namespace ValidationLab.Cli;

/// <summary>What `validationlab` returns; documented in the README for CI scripts.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A fault in the harness itself (a bug): the message says so.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: a file, flag or config key. One message names it; nothing was written.</summary>
    public const int BadInput = 2;

    /// <summary>The run completed and its results were written, but it broke a limit (max_error_rate), or it could not be recorded in the run registry.</summary>
    public const int RunFailed = 3;

    /// <summary>`gate`: the run is not promotable (a criterion is not met, or a required sign-off is missing, stale or not an approval).</summary>
    public const int NotPromotable = 4;

    /// <summary>`audit verify` (and `signoff`): a sign-off record was edited, reordered or deleted, or evidence changed after it was gated.</summary>
    public const int EvidenceMismatch = 5;

    /// <summary>Cancelled by the user (Ctrl-C); nothing was written.</summary>
    public const int Cancelled = 130;
}
