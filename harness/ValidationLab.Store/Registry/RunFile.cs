using System.Security.Cryptography;

namespace ValidationLab.Store;

/// <summary>
/// One file of a run folder, by its name relative to the folder ('/' separators), with its exact bytes and their
/// SHA-256 (lower-case hex): the registry keeps them so that a run can be re-exported byte-identically.
/// </summary>
public sealed record RunFile
{
    private RunFile(string name, byte[] bytes, string sha256)
    {
        Name = name;
        Bytes = bytes;
        Sha256 = sha256;
    }

    public string Name { get; }

    public byte[] Bytes { get; }

    public string Sha256 { get; }

    /// <summary>A file with its SHA-256 computed from <paramref name="bytes"/>; the name must be relative and stay inside the folder.</summary>
    public static RunFile Of(string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new RunFile(CheckName(name), bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Every file under <paramref name="directory"/> (recursively), named relative to it, in ordinal name order.</summary>
    public static IReadOnlyList<RunFile> ReadFolder(string directory)
    {
        var root = Path.GetFullPath(directory);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Of(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes(f)))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Writes the file under <paramref name="directory"/>, creating folders; an existing file is replaced only with <paramref name="overwrite"/>.</summary>
    public string WriteTo(string directory, bool overwrite)
    {
        var path = Path.GetFullPath(Path.Combine(directory, Name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        stream.Write(Bytes);
        return path;
    }

    /// <summary>Rebuilds a stored file, refusing bytes that no longer match their recorded SHA-256.</summary>
    internal static RunFile Stored(string name, byte[] bytes, string sha256)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (actual != sha256)
        {
            throw new InvalidDataException($"the registry's copy of {name} does not match its recorded SHA-256 ({sha256}, now {actual})");
        }

        return new RunFile(name, bytes, sha256);
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('\\') || name.StartsWith('/') || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{name}' is not a relative file name inside a run folder", nameof(name));
        }

        return name;
    }
}
