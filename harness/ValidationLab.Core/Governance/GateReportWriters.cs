using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ValidationLab.Governance;

/// <summary>The gate verdict for CI systems (JUnit XML) and for people (Markdown). Render only; callers write files.</summary>
public static class GateReportWriters
{
    /// <summary>
    /// JUnit XML: a <c>criteria</c> suite with one testcase per criterion (a failed one carries a &lt;failure&gt;
    /// with why), and, when sign-offs were checked, a <c>signoff</c> suite with one testcase per required role.
    /// </summary>
    public static string JUnit(GateVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var e = verdict.Evaluation;
        var criteria = Suite($"gate.{e.PolicyName}.criteria", e.Criteria.Select(c =>
            Case(c.Name, "criteria", c.Passed, $"{c.Expression}: observed {c.ObservedText}; {c.Why}")));
        var root = new XElement("testsuites",
            new XAttribute("name", $"validationlab gate {e.PolicyName}"),
            criteria);
        if (verdict.Signoffs is { } s)
        {
            root.Add(Suite($"gate.{e.PolicyName}.signoff", s.Roles.Select(r =>
                Case(r.Role, "signoff", r.State == "approved", $"{r.State}{(r.Signer is null ? "" : $" ({r.Signer}, {r.SignedUtc})")}: {r.Why}"))
                .Concat(s.AuditProblems.Count == 0 ? [] : [Case("audit_trail", "signoff", false, string.Join("\n", s.AuditProblems))])));
        }

        var tests = root.Descendants("testcase").Count();
        var failures = root.Descendants("failure").Count();
        root.Add(new XAttribute("tests", tests), new XAttribute("failures", failures), new XAttribute("errors", 0));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    private static XElement Suite(string name, IEnumerable<XElement> cases)
    {
        var list = cases.ToList();
        return new XElement("testsuite",
            new XAttribute("name", name),
            new XAttribute("tests", list.Count),
            new XAttribute("failures", list.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", 0),
            list);
    }

    private static XElement Case(string name, string className, bool passed, string message)
    {
        var testcase = new XElement("testcase", new XAttribute("name", name), new XAttribute("classname", className));
        if (!passed)
        {
            testcase.Add(new XElement("failure", new XAttribute("message", message), message));
        }
        else
        {
            testcase.Add(new XElement("system-out", message));
        }

        return testcase;
    }

    /// <summary>gate.md: the verdict first, then the criteria, the sign-offs and the evidence hashes.</summary>
    public static string Markdown(GateVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var e = verdict.Evaluation;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Gate: {Cell(e.PolicyName)} — {Headline(verdict)}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Run `{Cell(e.RunId)}`, evaluated {verdict.EvaluatedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC. ");
        sb.Append(CultureInfo.InvariantCulture, $"{e.Criteria.Count(c => c.Passed)} of {e.Criteria.Count} criteria met.\n\n");
        sb.Append("| criterion | observed | threshold | result | why |\n|---|---|---|---|---|\n");
        foreach (var c in e.Criteria)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| **{Cell(c.Name)}**{(c.Description is null ? "" : "<br>" + Cell(c.Description))}<br>{Cell(c.Expression)} | {Cell(c.ObservedText)} | {Cell(c.Operator)} {Cell(c.Threshold?.ToJsonString() ?? "")} | {(c.Passed ? "pass" : "**FAIL**")} | {Cell(c.Why)} |\n");
        }

        if (verdict.Signoffs is { } s)
        {
            sb.Append("\n## Sign-off\n\n");
            if (s.Roles.Count == 0)
            {
                sb.Append("The policy requires no sign-off.\n");
            }
            else
            {
                sb.Append("| role | state | signer | signed (UTC) | why |\n|---|---|---|---|---|\n");
                foreach (var r in s.Roles)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"| {Cell(r.Role)} | {(r.State == "approved" ? "approved" : $"**{Cell(r.State)}**")} | {Cell(r.Signer ?? "")} | {Cell(r.SignedUtc ?? "")} | {Cell(r.Why)} |\n");
                }
            }

            foreach (var p in s.AuditProblems)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\n**Audit trail:** {Cell(p)}\n");
            }
        }
        else
        {
            sb.Append("\nSign-offs were not checked (`--criteria-only`): this is not a promotion decision.\n");
        }

        sb.Append("\n## Evidence (SHA-256)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- verdict: `{verdict.VerdictSha256}`\n");
        sb.Append(CultureInfo.InvariantCulture, $"- policy `{Cell(e.PolicyName)}`: `{e.PolicySha256}`\n");
        sb.Append(CultureInfo.InvariantCulture, $"- results.json: `{e.ResultsSha256}`\n");
        sb.Append(CultureInfo.InvariantCulture, $"- comparison.json: {(e.ComparisonSha256 is null ? "none" : $"`{e.ComparisonSha256}`")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- report.html: {(e.ReportSha256 is null ? "none" : $"`{e.ReportSha256}`")}\n");
        return sb.ToString();
    }

    public static string Headline(GateVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Verdict switch
        {
            "promotable" => "PROMOTABLE",
            "criteria_met" => "criteria met (sign-off not checked)",
            "signoff_incomplete" => "NOT PROMOTABLE: criteria met, sign-off incomplete",
            _ => "NOT PROMOTABLE: criteria not met",
        };
    }

    /// <summary>Text safe inside a Markdown table cell: pipes escaped, line breaks flattened, HTML-significant characters encoded.</summary>
    private static string Cell(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("`", "'", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
