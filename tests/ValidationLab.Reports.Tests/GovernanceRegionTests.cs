using System.Security.Cryptography;
using System.Text;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html;

namespace ValidationLab.Reports.Tests;

/// <summary>
/// The contract with sign-off (docs/governance.md): the verdict and the signatures sit between the governance
/// markers, which the report fingerprint leaves out, so adding them changes no signed byte.
/// </summary>
public sealed class GovernanceRegionTests
{
    private const string Begin = "<!-- validationlab:governance -->";
    private const string End = "<!-- /validationlab:governance -->";

    private static string Page(ReportEvidence evidence)
    {
        using var stream = new MemoryStream();
        new HtmlReportExporter().WriteAsync(SampleRuns.SmallRun(), SampleRuns.SmallItems(), evidence, stream, CancellationToken.None).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The rule of Evidence.ReportSha256 (ValidationLab.Core): the page without what lies between the markers.
    private static string Bound(string page)
    {
        int begin = page.IndexOf(Begin, StringComparison.Ordinal);
        int end = page.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin);
        return string.Concat(page.AsSpan(0, begin + Begin.Length), page.AsSpan(end));
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static ReportEvidence Signed(string reportSha) => new()
    {
        Gate = new ReportGate
        {
            Verdict = "promotable", Promotable = true, PolicyName = "release", PolicySha256 = new string('a', 64),
            VerdictSha256 = new string('b', 64), EvaluatedUtc = "2026-12-03T10:00:00Z", RequiredRoles = ["clinical_reviewer"],
            Criteria = [new ReportCriterion("accuracy_lower_bound", "suites.medqa.metrics.accuracy.ci_low >= 0.8", "0.85 (n = 5)", ">= 0.8", true, "0.85 >= 0.8")],
        },
        Signoffs =
        [
            new ReportSignature
            {
                Seq = 0, Signer = "Dr <b>Ada</b>", Role = "clinical_reviewer", SignedUtc = "2026-12-03T10:05:00Z", Decision = "approve",
                Meaning = "I approve this model for promotion on the evidence in this report.", ReportSha256 = reportSha, RecordHash = new string('c', 64),
            },
        ],
    };

    [Fact]
    public void Verdict_and_signatures_change_no_signed_byte()
    {
        string unsigned = Page(ReportEvidence.None);
        string signed = Page(Signed(Sha(Bound(unsigned))));

        Assert.NotEqual(unsigned, signed);
        Assert.Equal(Bound(unsigned), Bound(signed));
    }

    [Fact]
    public void Verdict_banner_and_signature_are_inside_the_region_and_say_they_cover_this_page()
    {
        string unsigned = Page(ReportEvidence.None);
        string fingerprint = Sha(Bound(unsigned));
        string signed = Page(Signed(fingerprint));
        string region = signed[signed.IndexOf(Begin, StringComparison.Ordinal)..signed.IndexOf(End, StringComparison.Ordinal)];

        Assert.Contains("Gate verdict: PROMOTABLE", region, StringComparison.Ordinal);
        Assert.Contains("<td>Dr &lt;b&gt;Ada&lt;/b&gt;</td><td>clinical_reviewer</td><td class=\"mono\">2026-12-03T10:05:00Z</td>", region, StringComparison.Ordinal);
        Assert.Contains("I approve this model for promotion", region, StringComparison.Ordinal);
        Assert.Contains("<td>yes</td>", region, StringComparison.Ordinal);
        Assert.Contains(fingerprint, region, StringComparison.Ordinal);
        Assert.Contains("Not gated", unsigned, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_on_another_version_is_shown_as_not_covering_this_page()
    {
        string signed = Page(Signed(new string('d', 64)));

        Assert.Contains("no: signed a different version (dddddddddddd)", signed, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_is_signed_content_and_flipped_items_are_marked_in_the_data()
    {
        var evidence = new ReportEvidence
        {
            Comparison = new ReportComparison
            {
                BaselineRunId = "prod-1",
                Metrics = [new ReportMetricChange("medqa", "accuracy", 0.8, 0.6, 0.2, 0.05, 0.35, "McNemar exact", 0.031, 5)],
                FlippedItems = new HashSet<string>(StringComparer.Ordinal) { "medqa/medqa-0002" },
            },
        };
        string page = Page(evidence);

        Assert.NotEqual(Bound(Page(ReportEvidence.None)), Bound(page));
        Assert.Contains("McNemar exact", Bound(page), StringComparison.Ordinal);
        Assert.Contains("<select id=\"f-flip\">", page, StringComparison.Ordinal);
        Assert.Equal(1, ItemData.Parse(page).Single(r => r.Id == "medqa-0002").Flipped);
        Assert.Equal(0, ItemData.Parse(page).Single(r => r.Id == "medqa-0001").Flipped);
    }
}
