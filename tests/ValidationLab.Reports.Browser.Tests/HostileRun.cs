using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Cli;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>
/// Real runs made once through the real CLI: a production run (baseline) and a candidate whose answers are replayed
/// from a predictions file full of hostile text (markup, event handlers, closing tags of every element the page
/// uses, javascript: links, bidi overrides). Then compare, report, gate, a sign-off by a hostile signer name, and
/// report --pdf: the report the browser tests open is the one a board would sign.
/// </summary>
public sealed class HostileRun : IDisposable
{
    /// <summary>Closing tags of every element the report uses, then markup that would run script if it were parsed.</summary>
    public static readonly string[] Payloads =
    [
        "</script></style></textarea></title></noscript></template></pre></code></details></summary></dd></dl></td></tr></table></section></main></body></html><script>window.__pwned='script'</script>",
        "<img src=x onerror=\"window.__pwned='img'\"> <svg onload=\"window.__pwned='svg'\"></svg>",
        "<a href=\"javascript:window.__pwned='link'\" id=\"hostile-link\">click me</a> javascript:alert(1)",
        "\u202Eevil\u202C right-to-left override \u2066isolate\u2069 and a line\u2028separator",
        "<!-- validationlab:governance --> <!-- /validationlab:governance --> ]]> <![CDATA[ x ]]> {{7*7}} ${alert(1)}",
        "\" onmouseover=\"window.__pwned='attr'\" x=\" <iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
        "<style>body{display:none}</style><base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "vl-browser-" + Guid.NewGuid().ToString("N"));

    public HostileRun()
    {
        Directory.CreateDirectory(_root);
        Production = Path.Combine(_root, "production");
        Candidate = Path.Combine(_root, "candidate");
        string data = Path.Combine(TestRepository.Root, "fixtures", "medqa", "medqa-fixture.jsonl");
        Must(0, "run", "--suite", "medqa", "--data", data, "--out", Production);

        // Every item answered: hostile text around the gold letter for two items in three (so both outcomes and
        // flips exist), a wrong letter otherwise; one item gets no usable answer at all.
        var lines = new List<string>();
        int i = 0;
        foreach (string line in File.ReadLines(Path.Combine(Production, "items.jsonl")))
        {
            JsonNode item = JsonNode.Parse(line)!;
            string id = item["item_id"]!.GetValue<string>();
            string gold = item["gold"]!.GetValue<string>();
            string wrong = gold == "A" ? "B" : "A";
            string payload = Payloads[i % Payloads.Length];
            string response = i == 5 ? payload : payload + "\nThe answer is (" + (i % 3 == 2 ? wrong : gold) + ").";
            lines.Add(JsonSerializer.Serialize(new { item_id = id, response }));
            i++;
        }

        ItemCount = i;
        string predictions = Path.Combine(_root, "predictions.jsonl");
        File.WriteAllLines(predictions, lines);
        Must(0, "run", "--suite", "medqa", "--data", data, "--predictions", predictions, "--out", Candidate);
        Must(0, "compare", "--baseline", Production, "--candidate", Candidate, "--out", Candidate);
        Must(0, "report", "--run", Candidate);
        string store = Path.Combine(_root, "store.db");
        // fixtures/policies/medqa-release.yaml without its slice criterion (results.json has slices only when configured).
        string policy = Path.Combine(_root, "policy.yaml");
        File.WriteAllText(policy, """
            name: medqa-release-<b>hostile</b>
            required_roles: [clinical_reviewer, ml_lead]
            comparison:
              margin: 0.02
              seed: 0
            criteria:
              - name: accuracy_lower_bound
                description: We are 95% confident that MedQA accuracy is at least 80%.
                path: suites.medqa.metrics.accuracy.ci_low
                operator: ">="
                threshold: 0.80
              - name: non_inferior_to_production
                path: comparison.suites.medqa.non_inferiority.passed
                operator: "=="
                threshold: true
              - name: error_rate
                path: suites.medqa.counts.errored
                divide_by: suites.medqa.counts.items
                operator: "<="
                threshold: 0.01
            """);
        Must(4, "gate", "--run", Candidate, "--baseline", Production, "--policy", policy, "--store", store);
        Must(0, "signoff", "--run", Candidate, "--as", "Dr <script>window.__pwned='signer'</script> \u202EeilrahC", "--role", "clinical_reviewer",
            "--decision", "approve", "--comment", "<b onclick=\"window.__pwned='comment'\">Checked</b> every section.", "--store", store);
        Must(0, "report", "--run", Candidate, "--pdf");
        Report = Path.Combine(Candidate, "report.html");
    }

    public string Production { get; }

    public string Candidate { get; }

    public string Report { get; }

    public int ItemCount { get; }

    private static void Must(int expected, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApplication.RunAsync(args, stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
        if (code != expected)
        {
            throw new InvalidOperationException($"validationlab {string.Join(' ', args)} exited {code}, expected {expected}\n{stdout}\n{stderr}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A browser may still hold a file; the temp folder is cleaned by the system.
        }
    }
}
