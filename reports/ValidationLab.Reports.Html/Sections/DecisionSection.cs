using ValidationLab.Exporters;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// What a board decides on, first: the gate verdict and the sign-offs (inside the governance region, which is left
/// out of the report's fingerprint so that showing a signature does not invalidate it), then the key metrics with
/// interval and n, and the change against the production run with its paired test (both signed content).
/// </summary>
internal sealed class DecisionSection : IReportSection
{
    public const string Anchor = "decision";

    /// <summary>docs/governance.md: the region the report fingerprint leaves out.</summary>
    public const string GovernanceBegin = "<!-- validationlab:governance -->";

    public const string GovernanceEnd = "<!-- /validationlab:governance -->";

    /// <summary>Replaced by the governance region's content once the rest of the page (and so its fingerprint) is known.</summary>
    public const string Placeholder = "\u0001governance\u0001";

    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", Anchor)).Element("h2", "Decision").Line();
        html.Trusted(GovernanceBegin).Trusted(Placeholder).Trusted(GovernanceEnd).Line();
        WriteKeyMetrics(html, model);
        WriteComparison(html, model.Evidence.Comparison);
        html.Close("section").Line();
    }

    /// <summary>The governance region: verdict banner and sign-offs. <paramref name="fingerprint"/> is this page's report_sha256.</summary>
    public static void WriteGovernance(HtmlWriter html, ReportModel model, string fingerprint)
    {
        html.Line();
        ReportGate? gate = model.Evidence.Gate;
        if (gate is null)
        {
            html.Open("div", ("class", "verdict v-none"), ("id", "verdict"), ("role", "status"))
                .Element("span", "Not gated", "word").Element("p", "No gate verdict yet: run validationlab gate on this run folder, "
                    + "then validationlab report to show it here. Nothing in this report says the model may be promoted.").Close("div").Line();
        }
        else
        {
            string cls = gate.Promotable ? "verdict v-pass" : gate.Verdict == "criteria_met" ? "verdict v-none" : "verdict v-fail";
            html.Open("div", ("class", cls), ("id", "verdict"), ("role", "status"));
            html.Element("span", "Gate verdict: " + VerdictWord(gate.Verdict), "word");
            html.Element("p", VerdictMeaning(gate) + " Policy " + gate.PolicyName + " (SHA-256 " + Short(gate.PolicySha256)
                + "), evaluated " + gate.EvaluatedUtc + "; verdict digest " + Short(gate.VerdictSha256) + ".");
            html.Close("div").Line();
            html.Element("h3", "Criteria").Line();
            html.Open("table").Open("thead").Open("tr").Element("th", "Criterion").Element("th", "Observed (interval, n)")
                .Element("th", "Threshold").Element("th", "Result").Element("th", "Why").Close("tr").Close("thead").Open("tbody").Line();
            foreach (ReportCriterion c in gate.Criteria)
            {
                html.Open("tr").Open("td").Text(c.Name).Open("div", ("class", "mono small muted")).Text(c.Expression).Close("div").Close("td")
                    .Element("td", c.ObservedText).Element("td", c.Threshold)
                    .Element("td", c.Passed ? "pass" : "FAIL", c.Passed ? "pass" : "fail").Element("td", c.Why).Close("tr").Line();
            }

            html.Close("tbody").Close("table").Line();
        }

        html.Element("h3", "Sign-offs").Line();
        if (gate is { RequiredRoles.Count: > 0 })
        {
            html.Element("p", "Required roles: " + string.Join(", ", gate.RequiredRoles) + ".", "small");
        }

        if (model.Evidence.Signoffs.Count == 0)
        {
            html.Element("p", "Not signed: no sign-off has been recorded for this run.", "muted").Line();
            return;
        }

        html.Open("table", ("id", "signoffs")).Open("thead").Open("tr").Element("th", "Signed by").Element("th", "Role").Element("th", "UTC time")
            .Element("th", "Decision").Element("th", "Meaning").Element("th", "Comment").Element("th", "Covers this report")
            .Close("tr").Close("thead").Open("tbody").Line();
        foreach (ReportSignature s in model.Evidence.Signoffs)
        {
            bool covers = string.Equals(s.ReportSha256, fingerprint, StringComparison.Ordinal);
            html.Open("tr").Element("td", s.Signer).Element("td", s.Role).Element("td", s.SignedUtc, "mono")
                .Element("td", s.Decision, s.Decision == "approve" ? "pass" : "fail").Element("td", s.Meaning).Element("td", s.Comment)
                .Element("td", covers ? "yes" : "no: signed a different version (" + Short(s.ReportSha256) + ")", covers ? null : "fail")
                .Close("tr").Line();
        }

        html.Close("tbody").Close("table").Line();
        html.Element("p", "This report's fingerprint (report_sha256, the page without this verdict-and-signature region): " + fingerprint, "small muted mono").Line();
    }

    private static void WriteKeyMetrics(HtmlWriter html, ReportModel model)
    {
        html.Element("h3", "Key metrics").Line();
        html.Open("table", ("id", "key-metrics")).Open("thead").Open("tr").Element("th", "Suite").Element("th", "Metric")
            .Element("th", "Value (interval, method, n)").Close("tr").Close("thead").Open("tbody").Line();
        foreach (SuiteView suite in model.Suites)
        {
            if (suite.Result is null)
            {
                continue;
            }

            foreach ((string name, MetricValue metric) in suite.Result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                html.Open("tr").Open("td").Open("a", ("href", "#" + suite.Anchor)).Text(suite.Name).Close("a").Close("td")
                    .Element("td", MetricText.Label(name)).Open("td", ("class", "metric"));
                MetricCells.Value(html, name, metric);
                html.Close("td").Close("tr").Line();
            }
        }

        html.Close("tbody").Close("table").Line();
    }

    private static void WriteComparison(HtmlWriter html, ReportComparison? comparison)
    {
        html.Element("h3", "Change against the production run").Line();
        if (comparison is null)
        {
            html.Element("p", "No comparison.json in the run folder: run validationlab compare against the production run, then validationlab report.", "muted").Line();
            return;
        }

        html.Element("p", "Production run " + comparison.BaselineRunId + ". Differences are this run minus production, with the interval and p-value of the paired test on the same items.");
        html.Open("table", ("id", "comparison")).Open("thead").Open("tr").Element("th", "Suite").Element("th", "Metric")
            .Element("th", "This run", "num").Element("th", "Production", "num").Element("th", "Difference (95% CI)", "num")
            .Element("th", "Paired test").Element("th", "p", "num").Element("th", "n", "num").Close("tr").Close("thead").Open("tbody").Line();
        foreach (ReportMetricChange m in comparison.Metrics)
        {
            html.Open("tr").Element("td", m.Suite).Element("td", MetricText.Label(m.Metric))
                .Element("td", Num(m.Candidate), "num").Element("td", Num(m.Baseline), "num")
                .Element("td", Num(m.Difference) + (m.CiLow is null ? "" : " (" + Num(m.CiLow) + " to " + Num(m.CiHigh) + ")"), "num")
                .Element("td", m.Test).Element("td", m.PValue is { } p ? MetricText.Decimal(p, 4) : "—", "num")
                .Element("td", m.N is { } n ? MetricText.Count(n) : "—", "num").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Line();
        html.Element("p", MetricText.Count(comparison.FlippedItems.Count) + " items changed outcome (filter them in the item browser: Against production = Flipped).", "small");
    }

    private static string Num(double? v) => v is { } x && double.IsFinite(x) ? MetricText.Decimal(x, 3) : "—";

    private static string Short(string? sha) => sha is null ? "none" : sha.Length > 12 ? sha[..12] : sha;

    private static string VerdictWord(string verdict) => verdict switch
    {
        "promotable" => "PROMOTABLE",
        "criteria_not_met" => "NOT PROMOTABLE — criteria not met",
        "signoff_incomplete" => "NOT PROMOTABLE — sign-off incomplete",
        "criteria_met" => "criteria met (sign-offs not checked)",
        _ => verdict,
    };

    private static string VerdictMeaning(ReportGate gate) => gate.Promotable
        ? "Every criterion passed and every required role approved this exact report."
        : gate.Verdict == "criteria_not_met" ? "At least one criterion of the policy is not met; the model may not be promoted."
        : gate.Verdict == "signoff_incomplete" ? "The criteria pass but a required sign-off is missing, stale, rejected or conditional."
        : "The criteria were judged without checking sign-offs.";
}
