using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ValidationLab.Runners.LlamaCpp.Native;

/// <summary>
/// Takes llama.cpp's log away from stderr (it would tear the progress display) and keeps the last warnings and
/// errors, so that a failed load can say why ("unknown model architecture: 'xyz'"). llama.cpp's logger is global.
/// </summary>
internal static unsafe class LlamaLog
{
    private const int Keep = 16;
    private const int LevelWarn = 3;
    private const int LevelError = 4;
    private static readonly Queue<string> Recent = new();
    private static readonly Lock Gate = new();

    public static void Install() => LlamaNative.llama_log_set(&OnLog, 0);

    /// <summary>Forget what was logged so far (before an operation whose failure will be explained).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Recent.Clear();
        }
    }

    /// <summary>The warnings and errors logged since <see cref="Clear"/>, oldest first.</summary>
    public static IReadOnlyList<string> Problems()
    {
        lock (Gate)
        {
            return [.. Recent];
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, nint userData)
    {
        if (level != LevelWarn && level != LevelError)
        {
            return;
        }

        var line = Marshal.PtrToStringUTF8((nint)text)?.Trim();
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        lock (Gate)
        {
            Recent.Enqueue(line);
            while (Recent.Count > Keep)
            {
                Recent.Dequeue();
            }
        }
    }
}
