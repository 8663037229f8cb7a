using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>What ran, on what, when — then a table of contents and a short guide to reading the numbers.</summary>
internal sealed class HeaderSection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        RunManifest manifest = model.Run.Manifest;
        html.Open("header").Element("h1", "Evaluation report").Line();
        html.Open("p", ("class", "muted")).Text("Model ").Text(manifest.Runner.ToString()).Text(" · run ").Text(manifest.RunId)
            .Close("p").Line();

        html.Open("dl", ("class", "facts"), ("id", "run-facts")).Line();
        Fact(html, "Run id", manifest.RunId, mono: true);
        Fact(html, "Model", manifest.Runner.ToString());
        if (!string.IsNullOrEmpty(manifest.Runner.Source))
        {
            Fact(html, "Answers from", manifest.Runner.Source, mono: true);
        }

        if (!string.IsNullOrEmpty(manifest.Runner.Fingerprint))
        {
            Fact(html, "Runner settings fingerprint", manifest.Runner.Fingerprint, mono: true);
        }

        Fact(html, "Seed", MetricText.Count(manifest.Seed));
        Fact(html, "Started", MetricText.Utc(manifest.StartedUtc));
        Fact(html, "Finished", MetricText.Utc(manifest.FinishedUtc) + " (took "
            + MetricText.Duration(manifest.FinishedUtc - manifest.StartedUtc) + ")");
        if (manifest.Resumed)
        {
            Fact(html, "Resumed", "yes: this run continued an interrupted one");
        }

        Fact(html, "Harness version", manifest.HarnessVersion);
        Fact(html, "Harness commit", manifest.HarnessCommit is null ? "unknown (not built from a git checkout)"
            : manifest.HarnessTreeModified ? manifest.HarnessCommit + " with uncommitted changes" : manifest.HarnessCommit, mono: manifest.HarnessCommit is not null);
        if (manifest.Limit is { } limit)
        {
            Fact(html, "Items limited", limit.Sampled
                ? "a sample of at most " + MetricText.Count(limit.Count) + " items per suite, drawn with seed " + MetricText.Count(limit.Seed)
                : "the first " + MetricText.Count(limit.Count) + " items of each suite only");
        }
        Fact(html, "Configuration SHA-256", manifest.ConfigSha256, mono: true);
        Fact(html, "Results schema", model.Run.SchemaVersion);
        html.Close("dl").Close("header").Line();

        WriteContents(html, model);
        WriteGuide(html);
    }

    private static void WriteContents(HtmlWriter html, ReportModel model)
    {
        html.Open("nav", ("aria-label", "Contents")).Element("strong", "Contents").Open("ul").Line();
        Link(html, "#" + DecisionSection.Anchor, "Decision: gate verdict, sign-offs, key metrics");
        Link(html, "#summary", "Summary");
        Link(html, "#warnings", "Warnings (" + MetricText.Count(model.Run.Warnings.Count) + ")");
        foreach (SuiteView suite in model.Suites)
        {
            Link(html, "#" + suite.Anchor, "Suite " + suite.Name);
        }

        Link(html, "#accounting", "Requests, time and cost");
        Link(html, "#" + ItemsBlock.Anchor, "Item browser");
        Link(html, "#provenance", "Data files");
        Link(html, "#" + ModelCardSection.Anchor, "Model card, key metrics (CHAI) and TRIPOD-LLM");
        html.Close("ul").Close("nav").Line();
    }

    private static void WriteGuide(HtmlWriter html)
    {
        html.Open("section", ("class", "guide"), ("aria-label", "How to read this report")).Element("strong", "How to read this report");
        html.Element("p", "Every figure is shown with its confidence interval, the method that produced the interval and n, "
            + "the number of items it rests on. The interval is the range of values compatible with the data: a wide interval "
            + "means the figure is uncertain, and two figures whose intervals overlap may not really differ.");
        html.Element("p", "Errored items — the model gave no answer, for example because the request failed — are excluded "
            + "from accuracy and from its n. They are counted and listed so nothing is hidden. Unparseable items — the model "
            + "answered but no answer could be extracted — are counted as incorrect.");
        html.Close("section").Line();
    }

    private static void Fact(HtmlWriter html, string label, string value, bool mono = false)
    {
        html.Element("dt", label).Element("dd", value, mono ? "mono" : null).Line();
    }

    private static void Link(HtmlWriter html, string href, string text)
    {
        html.Open("li").Open("a", ("href", href)).Text(text).Close("a").Close("li").Line();
    }
}
