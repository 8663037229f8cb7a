namespace ValidationLab.Errors;

/// <summary>
/// A mistake in what the user gave us (a file, a config key, a flag). The CLI prints <see cref="Exception.Message"/>
/// as one line prefixed by the location, exits with code 2 and writes nothing; it never shows a stack trace.
/// </summary>
public sealed class InputException : Exception
{
    public InputException(string message, string? file = null, long? line = null, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>The file at fault, as the user named it, when there is one.</summary>
    public string? File { get; }

    /// <summary>1-based line in <see cref="File"/>, when known.</summary>
    public long? Line { get; }

    /// <summary>The field, key or flag at fault, when known.</summary>
    public string? Field { get; }

    /// <summary>"file:line: field 'x': message", leaving out the parts that are unknown.</summary>
    public string Describe()
    {
        var where = File is null ? "" : Line is null ? $"{File}: " : $"{File}:{Line}: ";
        var what = Field is null ? "" : $"field '{Field}': ";
        return where + what + Message;
    }
}
