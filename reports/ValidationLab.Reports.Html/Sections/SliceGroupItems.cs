using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// A slice group the item browser can filter by, with its items (positions in the browser's order: suites in report
/// order, items in run order). Membership is rebuilt from the items' strata and kept only when it gives exactly the
/// group's n in results.json: a group built from regrouped values or age bands (which the report cannot rebuild) is
/// left out rather than shown with the wrong items. Suppressed groups are never offered: the count beside the
/// filter would give away what suppression hides.
/// </summary>
internal sealed record SliceGroupItems(string Label, IReadOnlyList<int> Items)
{
    public static List<SliceGroupItems> Find(ReportModel model)
    {
        var found = new List<SliceGroupItems>();
        if (model.Run.Slices is not { } report)
        {
            return found;
        }

        int start = 0;
        foreach (SuiteView suite in model.Suites)
        {
            if (report.Suites.TryGetValue(suite.Name, out SuiteSlices? slices))
            {
                var groups = new List<(string Label, SliceGroup Group, int N, List<int> Items)>();
                foreach ((string familyName, SliceFamily family) in slices.Families.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    foreach ((string key, SliceGroup group) in family.Groups.OrderBy(g => g.Key, StringComparer.Ordinal))
                    {
                        if (group.Suppressed || group.N is not { } n || group.Values.Count == 0)
                        {
                            continue;
                        }

                        groups.Add(((model.Suites.Count > 1 ? suite.Name + ": " : "") + familyName + " = " + key, group, n, []));
                    }
                }

                // One pass over the suite's items for all its groups: the items may be read back from disk (a
                // streamed run), so a pass per group would read them as many times.
                if (groups.Count > 0)
                {
                    int i = 0;
                    foreach (ItemResult item in suite.Items)
                    {
                        foreach ((_, SliceGroup group, _, List<int> items) in groups)
                        {
                            if (Matches(item, group))
                            {
                                items.Add(start + i);
                            }
                        }

                        i++;
                    }
                }

                foreach ((string label, _, int n, List<int> items) in groups)
                {
                    if (items.Count == n)
                    {
                        found.Add(new SliceGroupItems(label, items));
                    }
                }
            }

            start += suite.Items.Count;
        }

        return found;
    }

    private static bool Matches(ItemResult item, SliceGroup group)
    {
        foreach ((string attribute, string value) in group.Values)
        {
            if (!item.Strata.TryGetValue(attribute, out string? own) || !string.Equals(own, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
