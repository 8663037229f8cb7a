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

    /// <summary>
    /// The suites of <paramref name="items"/>, each a view over the items (their positions, 4 bytes each), never a
    /// copy: the items of a streamed run are read back from disk as a section reads them, so the report holds a
    /// few at a time.
    /// </summary>
    public static ReportModel Build(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence? evidence = null)
    {
        var bySuite = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        int position = 0;
        foreach (ItemResult item in items)
        {
            if (!bySuite.TryGetValue(item.Suite, out List<int>? list))
            {
                list = [];
                bySuite.Add(item.Suite, list);
            }

            list.Add(position++);
        }

        // Items whose suite has no result still belong in the report: a reviewer must be able to see every item.
        var names = new SortedSet<string>(run.Suites.Keys, StringComparer.Ordinal);
        names.UnionWith(bySuite.Keys);

        var suites = new List<SuiteView>(names.Count);
        foreach (string name in names)
        {
            run.Suites.TryGetValue(name, out SuiteResult? result);
            IReadOnlyList<ItemResult> suiteItems = !bySuite.TryGetValue(name, out List<int>? found) ? []
                : bySuite.Count == 1 ? items // one suite: the items themselves, in their order
                : new SuiteItems(items, [.. found]);
            suites.Add(new SuiteView(name, "suite-" + (suites.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), result, suiteItems));
        }

        return new ReportModel(run, suites, evidence ?? ReportEvidence.None);
    }

    /// <summary>One suite's items: positions in the run's items, each read from them when asked for.</summary>
    private sealed class SuiteItems(IReadOnlyList<ItemResult> items, int[] positions) : IReadOnlyList<ItemResult>
    {
        public int Count => positions.Length;

        public ItemResult this[int index] => items[positions[index]];

        public IEnumerator<ItemResult> GetEnumerator()
        {
            foreach (int position in positions)
            {
                yield return items[position];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
