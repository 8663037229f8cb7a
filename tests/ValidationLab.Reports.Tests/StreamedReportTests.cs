using System.Collections;
using System.Text;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html;
using ValidationLab.Reports.Html.Sections;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>
/// report.html is written as it is rendered, from items read as it goes: a streamed run reads its items back from
/// disk, and its page is hundreds of megabytes, so neither may be held whole.
/// </summary>
public sealed class StreamedReportTests
{
    [Fact]
    public void The_page_goes_out_part_by_part_with_the_items_read_between_parts_and_the_same_bytes_as_in_memory()
    {
        // Three batches of chunks and a bit: at least three parts of item text, whatever the number of cores.
        int count = 3 * ItemPayload.BatchChunks * ItemPayload.ChunkSize + 7;
        (RunResult run, IReadOnlyList<ItemResult> source) = SampleRuns.Large(count);
        var items = new CountingItems(source);
        var parts = new List<(int Length, long ReadsBefore)>();
        var page = new StringBuilder();
        HtmlReportExporter.Render(run, items, ReportEvidence.None, part =>
        {
            parts.Add((part.Length, items.Reads));
            page.Append(part);
        }, CancellationToken.None);

        // Byte for byte what the page rendered whole gives (the approved fixtures pin that one).
        Assert.Equal(HtmlReportExporter.Render(run, source, CancellationToken.None).ToString(), page.ToString());

        // Items were read between the parts handed out: the page was not rendered whole and then written (one part),
        // nor were the items collected first (every read before the item text's parts).
        int partsAfterReading = parts.Skip(1).Where((p, i) => p.ReadsBefore > parts[i].ReadsBefore).Count();
        Assert.True(partsAfterReading >= 3, $"{partsAfterReading} of {parts.Count} parts came after reading more items");
    }

    [Fact]
    public async Task With_sign_offs_a_page_written_in_parts_knows_its_own_fingerprint()
    {
        (RunResult run, IReadOnlyList<ItemResult> items) = SampleRuns.Large(3 * ItemPayload.BatchChunks * ItemPayload.ChunkSize);
        string unsigned = await PageAsync(run, items, ReportEvidence.None);
        string fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Bound(unsigned))));
        var evidence = new ReportEvidence
        {
            Signoffs =
            [
                new ReportSignature
                {
                    Seq = 0, Signer = "Dr Ada", Role = "clinical_reviewer", SignedUtc = "2026-12-03T10:05:00Z", Decision = "approve",
                    Meaning = "I approve.", ReportSha256 = fingerprint, RecordHash = new string('c', 64),
                },
            ],
        };

        string signed = await PageAsync(run, items, evidence);

        // The signature covers this page (the fingerprint of a first pass, hashed as it went), and no signed byte moved.
        Assert.Equal(Bound(unsigned), Bound(signed));
        string region = signed[signed.IndexOf(DecisionSection.GovernanceBegin, StringComparison.Ordinal)..signed.IndexOf(DecisionSection.GovernanceEnd, StringComparison.Ordinal)];
        Assert.Contains("<td>yes</td>", region, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence evidence)
    {
        using var stream = new MemoryStream();
        await new HtmlReportExporter().WriteAsync(run, items, evidence, stream, CancellationToken.None);
        return new UTF8Encoding(false, true).GetString(stream.ToArray());
    }

    // docs/governance.md: the page without what lies between the governance markers.
    private static string Bound(string page)
    {
        int begin = page.IndexOf(DecisionSection.GovernanceBegin, StringComparison.Ordinal) + DecisionSection.GovernanceBegin.Length;
        int end = page.IndexOf(DecisionSection.GovernanceEnd, StringComparison.Ordinal);
        return string.Concat(page.AsSpan(0, begin), page.AsSpan(end));
    }

    /// <summary>The items, counting each one handed out (by index or enumeration).</summary>
    private sealed class CountingItems(IReadOnlyList<ItemResult> items) : IReadOnlyList<ItemResult>
    {
        public long Reads { get; private set; }

        public int Count => items.Count;

        public ItemResult this[int index]
        {
            get
            {
                Reads++;
                return items[index];
            }
        }

        public IEnumerator<ItemResult> GetEnumerator()
        {
            for (int i = 0; i < items.Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
