using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// The run arranged for reading: suites in ordinal name order, each with its items in the order the pipeline gave
/// them, and a stable anchor ("suite-1") so links never depend on suite names, which are data.
/// </summary>
internal sealed class ReportModel
{
    private ReportModel(RunResult run, IReadOnlyList<SuiteView> suites, ReportEvidence evidence)
    {
        Run = run;
        Suites = suites;
        Evidence = evidence;
    }

    public RunResult Run { get; }

    /// <summary>Comparison, gate verdict and sign-offs; <see cref="ReportEvidence.None"/> when the run has none yet.</summary>
    public ReportEvidence Evidence { get; }

    public IReadOnlyList<SuiteView> Suites { get; }

    public static ReportModel Build(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence? evidence = null)
    {
        var bySuite = new Dictionary<string, List<ItemResult>>(StringComparer.Ordinal);
        foreach (ItemResult item in items)
        {
            if (!bySuite.TryGetValue(item.Suite, out List<ItemResult>? list))
            {
                list = [];
                bySuite.Add(item.Suite, list);
            }

            list.Add(item);
        }

        // Items whose suite has no result still belong in the report: a reviewer must be able to see every item.
        var names = new SortedSet<string>(run.Suites.Keys, StringComparer.Ordinal);
        names.UnionWith(bySuite.Keys);

        var suites = new List<SuiteView>(names.Count);
        foreach (string name in names)
        {
            run.Suites.TryGetValue(name, out SuiteResult? result);
            IReadOnlyList<ItemResult> suiteItems = bySuite.TryGetValue(name, out List<ItemResult>? found) ? found : [];
            suites.Add(new SuiteView(name, "suite-" + (suites.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), result, suiteItems));
        }

        return new ReportModel(run, suites, evidence ?? ReportEvidence.None);
    }
}
