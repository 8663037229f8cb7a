namespace ValidationLab.Store;

/// <summary>A registered run file without its bytes (see <see cref="RunFile"/>).</summary>
public sealed record RunFileInfo(string Name, long Length, string Sha256);
