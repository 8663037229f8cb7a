using System.Text;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Provenance for a board: the model card (intended use, population, limitations), the key metrics in the shape of
/// the CHAI applied model card's KeyMetrics (usefulness, fairness, safety) as JSON to copy into a card, and the
/// TRIPOD-LLM reporting topics this run answers, each linked to where the report answers it.
/// </summary>
internal sealed class ModelCardSection : IReportSection
{
    public const string Anchor = "model-card";

    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", Anchor)).Element("h2", "Model card").Line();
        ReportModelCard? card = model.Evidence.ModelCard;
        html.OpenClass("dl", "facts").Line();
        html.Element("dt", "Model").Element("dd", model.Run.Manifest.Runner.ToString()).Line();
        html.Element("dt", "Intended use").Element("dd", card?.IntendedUse ?? "not stated").Line();
        html.Element("dt", "Population").Element("dd", card?.Population ?? "not stated").Line();
        html.Element("dt", "Limitations").Element("dd", card?.Limitations ?? "not stated").Line();
        html.Close("dl").Line();
        if (card is null)
        {
            html.Element("p", "No model card was given for this run (docs/report.md: model_card: in the run config, run --model-card FILE, or model-card.json in the run folder).", "muted small").Line();
        }

        html.Element("h3", "Key metrics (CHAI applied model card, KeyMetrics)").Line();
        var json = new StringBuilder();
        WriteKeyMetrics(json, model);
        html.Open("pre", ("class", "json"), ("id", "chai-key-metrics")).Text(json.ToString()).Close("pre").Line();

        html.Open("h3", ("id", "tripod")).Text("TRIPOD-LLM items this report answers").Close("h3").Line();
        html.Open("table").Open("thead").Open("tr").Element("th", "Reporting item").Element("th", "Answered in").Close("tr").Close("thead").Open("tbody").Line();
        Tripod(html, "LLM name, version and settings used (runner, settings fingerprint, seed)", "#run-facts", "Run facts");
        Tripod(html, "Reproducibility: configuration hash, harness version and commit", "#run-facts", "Run facts");
        Tripod(html, "Data sources and test data (files with SHA-256)", "#provenance", "Data files");
        Tripod(html, "Sample size: number of items, scored, unparseable, errored", "#summary", "Summary");
        Tripod(html, "Performance measures with confidence intervals", "#key-metrics", "Key metrics");
        Tripod(html, "Handling of missing or unusable outputs", "#summary", "Summary (unparseable and errored items)");
        Tripod(html, "Performance in subgroups (fairness)", model.Suites.Count > 0 ? "#" + model.Suites[0].Anchor : "#summary", "Suite breakdowns");
        Tripod(html, "Comparison with the model in use", "#" + DecisionSection.Anchor, "Decision: change against the production run");
        Tripod(html, "Intended use, population and limitations", "#" + Anchor, "Model card");
        Tripod(html, "Example outputs and error analysis", "#" + ItemsBlock.Anchor, "Item browser");
        html.Close("tbody").Close("table").Close("section").Line();
    }

    private static void Tripod(HtmlWriter html, string item, string href, string where) =>
        html.Open("tr").Element("td", item).Open("td").Open("a", ("href", href)).Text(where).Close("a").Close("td").Close("tr").Line();

    // {"KeyMetrics":{"usefulness":[…],"fairness":[…],"safety":[…]}}: one entry per metric with its result and
    // interval; fairness lists the breakdowns (per-stratum values); safety the share of unusable outputs.
    private static void WriteKeyMetrics(StringBuilder sb, ReportModel model)
    {
        sb.Append("{\n  \"KeyMetrics\": {\n    \"usefulness\": [");
        bool first = true;
        foreach (SuiteView suite in model.Suites)
        {
            if (suite.Result is null)
            {
                continue;
            }

            foreach ((string name, MetricValue m) in suite.Result.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Entry(sb, ref first, suite.Name + " " + name, m, "Internal validation on the suite's test items");
            }
        }

        sb.Append("\n    ],\n    \"fairness\": [");
        first = true;
        foreach (SuiteView suite in model.Suites)
        {
            if (suite.Result is null)
            {
                continue;
            }

            foreach ((string field, var byValue) in suite.Result.Breakdowns.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                foreach ((string value, var metrics) in byValue.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    foreach ((string name, MetricValue m) in metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        Entry(sb, ref first, suite.Name + " " + name + " where " + field + " = " + value, m, "Subgroup analysis by " + field);
                    }
                }
            }
        }

        sb.Append("\n    ],\n    \"safety\": [");
        first = true;
        foreach (SuiteView suite in model.Suites)
        {
            if (suite.Result is not { } r)
            {
                continue;
            }

            sb.Append(first ? "\n      " : ",\n      ");
            first = false;
            sb.Append("{\"metric\": ");
            JsonData.String(sb, suite.Name + " unusable outputs (errored or unparseable)");
            sb.Append(", \"result\": ");
            JsonData.String(sb, MetricText.Count(r.Counts.Errored + r.Counts.Unparseable) + " of " + MetricText.Count(r.Counts.Items));
            sb.Append(", \"test_type\": \"Count of items without a usable answer\"}");
        }

        sb.Append("\n    ]\n  }\n}");
    }

    private static void Entry(StringBuilder sb, ref bool first, string metric, MetricValue m, string testType)
    {
        sb.Append(first ? "\n      " : ",\n      ");
        first = false;
        sb.Append("{\"metric\": ");
        JsonData.String(sb, metric);
        sb.Append(", \"value\": ");
        JsonData.Number(sb, m.Value);
        sb.Append(", \"ci_low\": ");
        JsonData.Number(sb, m.CiLow);
        sb.Append(", \"ci_high\": ");
        JsonData.Number(sb, m.CiHigh);
        sb.Append(", \"n\": ").Append(m.N).Append(", \"method\": ");
        JsonData.String(sb, m.Method);
        sb.Append(", \"test_type\": ");
        JsonData.String(sb, testType);
        sb.Append('}');
    }
}
