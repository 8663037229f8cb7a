using System.Runtime.CompilerServices;
using System.Text;

namespace ValidationLab.Reports.Tests;

/// <summary>
/// A minimal approval check (no Verify package here): compare a rendering with a file committed beside the tests.
/// On mismatch the rendering is written next to it as *.received.html so a person can diff, look at it in a browser
/// and, if the change is intended, copy it over the approved file.
/// </summary>
internal static class ApprovalFile
{
    public static void Verify(string received, string approvedName, [CallerFilePath] string callerPath = "")
    {
        // The test source folder, found from the caller's path, so the approved file is read where it is committed.
        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Approved");
        string approvedPath = Path.Combine(folder, approvedName + ".approved.html");
        string receivedPath = Path.Combine(folder, approvedName + ".received.html");

        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath, Encoding.UTF8) : null;
        if (string.Equals(approved, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, received, new UTF8Encoding(false));
        string hint = approved is null
            ? $"No approved file yet. Review {receivedPath} and, if it is right, rename it to {approvedPath}."
            : $"Rendering differs from the approved file (first difference at line {FirstDifferentLine(approved, received)}).\n"
              + $"  diff {approvedPath} {receivedPath}\n"
              + "If the change is intended, copy the received file over the approved one and commit it.";
        Assert.Fail(hint);
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return Math.Min(a.Length, b.Length) + 1;
    }
}
