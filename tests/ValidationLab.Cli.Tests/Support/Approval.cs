using System.Runtime.CompilerServices;
using System.Text;

namespace ValidationLab.Cli.Tests.Support;

/// <summary>
/// Our own small approval check: compare text with Approved/&lt;name&gt;.txt in the test source folder, ignoring line
/// ending style and trailing spaces. On mismatch the text is written beside it as &lt;name&gt;.received.txt and the test
/// fails with a hint; if the change is intended, copy the received file over the approved one and commit it.
/// </summary>
public static class Approval
{
    public static void Verify(string received, string name, [CallerFilePath] string callerPath = "")
    {
        var folder = Path.Combine(FindTestFolder(callerPath), "Approved");
        var approvedPath = Path.Combine(folder, name + ".txt");
        var receivedPath = Path.Combine(folder, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath, Encoding.UTF8) : null;
        if (approved is not null && Normalise(approved) == Normalise(received))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, Normalise(received), new UTF8Encoding(false));
        Assert.Fail(approved is null
            ? $"No approved text yet. Review {receivedPath} and, if it is right, rename it to {approvedPath}."
            : $"Text differs from {approvedPath} (first difference at line {FirstDifference(Normalise(approved), Normalise(received))}).\n"
              + $"  diff {approvedPath} {receivedPath}\n"
              + "If the change is intended, copy the received file over the approved one and commit it.");
    }

    /// <summary>LF line ends, no trailing spaces, exactly one final newline.</summary>
    public static string Normalise(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    private static int FirstDifference(string a, string b)
    {
        var x = a.Split('\n');
        var y = b.Split('\n');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return i + 1;
            }
        }

        return Math.Min(x.Length, y.Length) + 1;
    }

    /// <summary>The test project's source folder: from the caller's path when built here, else the repository's.</summary>
    private static string FindTestFolder(string callerPath)
    {
        var fromCaller = Path.GetDirectoryName(callerPath);
        return fromCaller is not null && File.Exists(Path.Combine(fromCaller, "ValidationLab.Cli.Tests.csproj"))
            ? fromCaller
            : Path.Combine(RepoPaths.Root, "tests", "ValidationLab.Cli.Tests");
    }
}
