using System.Text;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html.Sections;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html;

/// <summary>
/// Writes report.html: one self-contained page (inline CSS, inline SVG charts, a small filtering script, nothing
/// loaded from the network) for clinical reviewers. Every figure carries its interval, method and n; every item can
/// be opened to see the model's output verbatim. Output is a pure function of the run and items — no clock, no
/// random ids — so the same run always gives the same bytes.
/// </summary>
public sealed class HtmlReportExporter(ReportEvidence? evidence = null) : IRunExporter
{
    // What `run` knows before any compare, gate or sign-off: the model card it was given (ReportEvidence.None without).
    private readonly ReportEvidence _evidence = evidence ?? ReportEvidence.None;

    private const string StyleText = "\n" + ReportAssets.Css;
    private const string ScriptText = "\n" + ReportAssets.Script;

    private static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src '" + Sha256(StyleText) + "'; script-src '" + Sha256(ScriptText)
        + "'; img-src data:; base-uri 'none'; form-action 'none'";

    /// <inheritdoc />
    public string FileName => "report.html";

    /// <inheritdoc />
    public Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken) =>
        WriteAsync(run, items, _evidence, destination, cancellationToken);

    /// <inheritdoc />
    public async Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence evidence, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(destination);

        // UTF-8 without a byte-order mark, matching the <meta charset> the page declares. Written part by part as it
        // is rendered: the page of a large run is hundreds of megabytes.
        await using var writer = new StreamWriter(destination, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        Render(run, items, evidence, part => writer.Write(part), cancellationToken);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The page in memory (for tests and small pages).</summary>
    internal static StringBuilder Render(RunResult run, IReadOnlyList<ItemResult> items, CancellationToken cancellationToken) =>
        Render(run, items, ReportEvidence.None, cancellationToken);

    /// <summary>The page in memory (for tests and small pages).</summary>
    internal static StringBuilder Render(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence evidence, CancellationToken cancellationToken)
    {
        var page = new StringBuilder();
        Render(run, items, evidence, part => page.Append(part), cancellationToken);
        return page;
    }

    /// <summary>
    /// The page, handed to <paramref name="sink"/> part by part (each part is reused after the call). The governance
    /// region (verdict and signatures) depends on the rest of the page: a signature says whether it covers exactly this
    /// page, by the page's fingerprint (docs/governance.md: the page without that region). Without sign-offs the region
    /// needs no fingerprint and the page is rendered once; with sign-offs it is rendered twice, first only to hash it,
    /// so it is never held whole either way.
    /// </summary>
    internal static void Render(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence evidence, Action<StringBuilder> sink, CancellationToken cancellationToken)
    {
        ReportModel model = ReportModel.Build(run, items, evidence);
        string fingerprint = "";
        if (model.Evidence.Signoffs.Count != 0)
        {
            using var hash = new PageHash();
            RenderPage(model, "", hash.Append, cancellationToken);
            fingerprint = hash.Finish();
        }

        var region = new StringBuilder(4096);
        var regionHtml = new HtmlWriter(region);
        DecisionSection.WriteGovernance(regionHtml, model, fingerprint);
        regionHtml.EnsureClosed();
        RenderPage(model, region.ToString(), sink, cancellationToken);
    }

    /// <summary>The page with <paramref name="region"/> in place of the governance placeholder, part by part.</summary>
    private static void RenderPage(ReportModel model, string region, Action<StringBuilder> sink, CancellationToken cancellationToken)
    {
        RunResult run = model.Run;
        bool filled = false;
        var html = new HtmlWriter(new StringBuilder(65_536), part =>
        {
            // The placeholder sits in the decision section near the top: the first part holding it is the only one.
            if (!filled && part.ToString().IndexOf(DecisionSection.Placeholder, StringComparison.Ordinal) is var at and >= 0)
            {
                part.Remove(at, DecisionSection.Placeholder.Length).Insert(at, region);
                filled = true;
            }

            sink(part);
        });

        html.Trusted("<!DOCTYPE html>\n").Open("html", ("lang", "en")).Line();
        html.Open("head").Line();
        html.Void("meta", ("charset", "utf-8")).Line();
        html.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1")).Line();
        // Belt and braces behind the encoder: nothing may load from anywhere, and only our own style sheet and script
        // (pinned by hash) may run, so even markup that somehow got through could not execute.
        html.Void("meta", ("http-equiv", "Content-Security-Policy"), ("content", ContentSecurityPolicy)).Line();
        html.Element("title", "Evaluation report — " + run.Manifest.Runner + " — " + run.Manifest.RunId).Line();
        html.Open("style").Trusted(StyleText).Close("style").Line();
        html.Close("head").Line();
        html.Open("body").Open("main").Line();

        foreach (IReportSection section in Sections(model))
        {
            cancellationToken.ThrowIfCancellationRequested();
            section.Write(html, model, cancellationToken);
            html.Flush();
        }

        html.Open("footer").Text("Generated by ValidationLab " + run.Manifest.HarnessVersion + " from run " + run.Manifest.RunId
            + ". The figures above are reproducible from results.json and items.jsonl of the same run.").Close("footer").Line();
        html.Close("main");
        html.Open("script").Trusted(ScriptText).Close("script").Line();
        html.Flush();
        ItemsBlock.WriteRest(html, model, cancellationToken);
        html.Close("body").Line().Close("html").Line();
        html.EnsureClosed();
        html.Flush();
        if (!filled)
        {
            throw new InvalidOperationException("the page has no governance placeholder");
        }
    }

    /// <summary>SHA-256 of the UTF-8 of the parts handed to it (the fingerprint rule of docs/governance.md), as they come.</summary>
    private sealed class PageHash : IDisposable
    {
        private readonly System.Security.Cryptography.IncrementalHash _hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
        private readonly byte[] _buffer = new byte[3 * 8192 + 8];

        public void Append(StringBuilder part)
        {
            foreach (ReadOnlyMemory<char> chunk in part.GetChunks())
            {
                Feed(chunk.Span, flush: false);
            }
        }

        public string Finish()
        {
            Feed([], flush: true);
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public void Dispose() => _hash.Dispose();

        // An encoder, not Encoding.GetBytes per piece: a surrogate pair may straddle two parts or two of a part's chunks.
        private void Feed(ReadOnlySpan<char> text, bool flush)
        {
            while (true)
            {
                int take = Math.Min(text.Length, 8192);
                int n = _encoder.GetBytes(text[..take], _buffer, flush && take == text.Length);
                _hash.AppendData(_buffer, 0, n);
                text = text[take..];
                if (text.IsEmpty)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A CSP source expression ("sha256-…") for the exact text inside a &lt;style&gt; or &lt;script&gt; element.</summary>
    private static string Sha256(string text) =>
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // The page in reading order: the decision first, then the evidence behind it.
    private static IEnumerable<IReportSection> Sections(ReportModel model)
    {
        yield return new HeaderSection();
        yield return new DecisionSection();
        yield return new WarningsSection();
        yield return new SummarySection();
        foreach (SuiteView suite in model.Suites)
        {
            yield return new SuiteSection(suite);
        }

        yield return new ItemsSection();
        yield return new AccountingSection();
        yield return new ProvenanceSection();
        yield return new ModelCardSection();
    }
}
