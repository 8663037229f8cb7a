using ValidationLab.Requests;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>
/// The property: changing the future never changes the present. For every reader and every shipped task, seeded
/// random decision points are rendered (features, context, chat messages: the whole request), then the patient's
/// record after t is mutated — facts added, changed or deleted, an encounter's end moved, a new encounter or a death
/// added after t — and the request at t must be byte-for-byte the same.
/// </summary>
public sealed class PointInTimeTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "generated", "generated-deterioration-24h" },
        { "mimic3", "mimic3-mortality-48h" },
        { "mimic3", "mimic3-aki-48h" },
        { "synthea-fhir", "synthea-emergency-365d" },
        { "synthea-csv", "synthea-emergency-365d" },
        { "bulk-fhir", "synthea-emergency-365d" },
        { "bulk-fhir", "generated-deterioration-24h" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mutating_anything_after_t_never_changes_the_request_at_t(string source, string taskName)
    {
        var path = source switch
        {
            "generated" => RealData.Fixture,
            "mimic3" => RealData.Mimic3,
            "synthea-fhir" => RealData.SyntheaFhir,
            "synthea-csv" => RealData.SyntheaCsv,
            _ => RealData.BulkFhir,
        };
        if (!Directory.Exists(path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            return; // real data absent outside CI (the reader tests report the skip)
        }

        var cohort = TimelineReader.Read(path);
        var task = TaskDefinition.Load(RealData.Task(taskName));
        var (included, excluded, _) = TaskEngine.Run(task, cohort);
        var points = included.Concat(excluded).ToList();
        if (points.Count == 0)
        {
            // The bulk export has no inpatient stays for the ward task: use the patients' own encounters as times.
            points = cohort.Patients.SelectMany(p => p.Encounters.Take(3).Select(e => new DecisionPoint
            {
                Id = $"{p.PatientId}/{e.Id}", Patient = p, UnitId = e.Id, AsOf = e.Start.AddHours(1), Explanation = "", Strata = new Dictionary<string, string>(),
            })).ToList();
        }

        var suite = new LongitudinalSuite(path, new LongitudinalSuiteOptions { TaskPath = RealData.Task(taskName), TokenBudget = 800 });
        var rng = new Random(8);
        var checkedPoints = 0;
        foreach (var point in points.OrderBy(_ => rng.Next()).Take(25))
        {
            var before = Render(suite, point);
            for (var trial = 0; trial < 4; trial++)
            {
                var mutated = Mutate(point.Patient, point.AsOf, rng);
                Assert.Equal(before, Render(suite, point with { Patient = mutated }));
            }

            // The same mutation made before t does change the request: the check can fail.
            if (point.Patient.At(point.AsOf).Facts.Length > 0)
            {
                var earlier = Rebuild(point.Patient, facts => facts.Where(f => f.Time != point.Patient.At(point.AsOf).Facts[^1].Time), e => e);
                Assert.NotEqual(before, Render(suite, point with { Patient = earlier }));
            }

            checkedPoints++;
        }

        Assert.True(checkedPoints > 0);
    }

    private static string Render(LongitudinalSuite suite, DecisionPoint point)
    {
        var item = new Items.EvalItem<DecisionPoint> { Id = point.Id, Input = "", Payload = point };
        return string.Join("\n", suite.CreateRequests(item).Select(RequestHasher.CanonicalJson));
    }

    private static PatientTimeline Mutate(PatientTimeline p, DateTime t, Random rng)
    {
        var all = p.AllFactsForLabels.ToArray();
        var future = all.Where(f => f.Time > t).ToList();
        var horizon = all.Length > 0 ? all.Max(f => f.Time) : t;
        DateTime Later() => t.AddMinutes(1 + rng.Next(0, 60 * 24 * 5));
        return Rebuild(p, facts =>
        {
            var list = facts.ToList();
            switch (rng.Next(5))
            {
                case 0 when future.Count > 0: // delete one future fact
                    list.Remove(future[rng.Next(future.Count)]);
                    break;
                case 1 when future.Count > 0: // change one future fact's value and text
                    var f = future[rng.Next(future.Count)];
                    list[list.IndexOf(f)] = f with { Value = f.HasValue ? f.Value * 3 + 1 : 42, Text = "changed" };
                    break;
                case 2 when all.Length > 0: // add a copy of any fact, moved after t
                    list.Add(all[rng.Next(all.Length)] with { Time = Later(), Value = 999 });
                    break;
                case 3: // a death after t
                    list.Add(Fact.Textual(Later(), Concept.Of(FactKind.Death, "", "death", "Death"), null));
                    break;
                default: // a fact of an unknown code system after t
                    list.Add(Fact.Numeric(Later(), Concept.Of(FactKind.Lab, "urn:unknown", "x", "Unknown"), 1));
                    break;
            }

            return list;
        }, e => e.Start > t ? e with { Start = Later() } : e.End is { } end && end > t ? e with { End = end.AddHours(rng.Next(1, 100)) } : e,
        extra: rng.Next(2) == 0 ? new Encounter("future-" + rng.Next(), Later(), null, "inpatient", null) : null);
    }

    internal static PatientTimeline Rebuild(PatientTimeline p, Func<IEnumerable<Fact>, IEnumerable<Fact>> facts, Func<Encounter, Encounter> encounters, Encounter? extra = null)
    {
        var b = new TimelineBuilder(p.PatientId) { Demographics = p.Demographics };
        foreach (var e in p.Encounters)
        {
            b.AddEncounter(encounters(e));
        }

        if (extra is not null)
        {
            b.AddEncounter(extra);
        }

        foreach (var f in facts(p.AllFactsForLabels.ToArray()))
        {
            b.Add(f);
        }

        return b.Build(p.Source);
    }
}
