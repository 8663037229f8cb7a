using System.Text;
using ValidationLab.Reports.Html;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>Render through the public exporter, exactly as the pipeline does, and read the bytes back.</summary>
internal static class Render
{
    public static byte[] Bytes(RunResult run, IReadOnlyList<ItemResult> items)
    {
        using var stream = new MemoryStream();
        new HtmlReportExporter().WriteAsync(run, items, stream, CancellationToken.None).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    public static string Page(RunResult run, IReadOnlyList<ItemResult> items) =>
        new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes(run, items));
}
