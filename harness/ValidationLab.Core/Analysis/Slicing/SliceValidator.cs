using ValidationLab.Errors;
using ValidationLab.Items;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// The checks of the slices section that need the loaded items, run by the pipeline after loading and before the
/// first model call: every sliced attribute is carried by some item, every grouping maps every value it meets, and
/// a named reference group exists.
/// </summary>
public static class SliceValidator
{
    private const int ShownValues = 5;

    public static void Check(SliceSettings settings, IReadOnlyList<(string Suite, IReadOnlyList<EvalItem> Items)> suites)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(suites);
        var keys = new SliceKeys(settings);
        var carried = suites.SelectMany(s => s.Items).SelectMany(i => i.Strata.Keys).ToHashSet(StringComparer.Ordinal);
        if (settings.AgeBands is not null && carried.Contains(SliceKeys.Age))
        {
            carried.Add(SliceKeys.AgeBand);
        }

        foreach (var family in settings.Families)
        {
            foreach (var attribute in family.Attributes.Where(a => !carried.Contains(a)))
            {
                var field = family.Attributes.Count == 1 ? "slices.attributes" : "slices.intersections";
                throw new InputException(
                    $"no item of suite(s) {string.Join(", ", suites.Select(s => s.Suite))} has the attribute '{attribute}' (items carry: {string.Join(", ", carried.Order(StringComparer.Ordinal).DefaultIfEmpty("nothing"))})",
                    settings.Origin, settings.Lines.GetValueOrDefault(family.Name), field);
            }
        }

        foreach (var (attribute, grouping) in settings.Groupings)
        {
            var unmapped = suites.SelectMany(s => s.Items)
                .Select(i => keys.Raw(i.Strata, attribute))
                .Where(v => v is not null && !grouping.GroupOf.ContainsKey(v))
                .Select(v => v!)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (unmapped.Count > 0)
            {
                var shown = string.Join(", ", unmapped.Take(ShownValues).Select(v => $"'{v}'"));
                var more = unmapped.Count > ShownValues ? $" and {unmapped.Count - ShownValues} more" : "";
                throw new InputException(
                    $"the grouping of '{attribute}' leaves {unmapped.Count} value(s) unmapped: {shown}{more}; map every value to a group",
                    settings.Origin, grouping.Line, $"slices.groupings.{attribute}");
            }
        }

        if (settings.Reference == SliceReferenceKind.Named)
        {
            foreach (var (attribute, named) in settings.ReferenceGroups)
            {
                var seen = suites.SelectMany(s => s.Items).Any(i => keys.Value(i.Strata, attribute) == named);
                if (!seen)
                {
                    throw new InputException($"the reference group '{named}' of '{attribute}' matches no item", settings.Origin, field: $"slices.reference_groups.{attribute}");
                }
            }
        }
    }
}
