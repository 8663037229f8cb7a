using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Scores;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>The shipped tasks on their data, each label checked against an independent recount.</summary>
public sealed class TaskTests
{
    [RealDataFact("mimic3_demo")]
    public void Mimic3_mortality_decision_points_and_labels_match_a_direct_recount()
    {
        var cohort = TimelineReader.Read(RealData.Mimic3);
        var task = TaskDefinition.Load(RealData.Task("mimic3-mortality-48h"));
        var (included, excluded, counts) = TaskEngine.Run(task, cohort);
        Assert.Empty(excluded);
        var expected = new List<(string Id, bool Label)>();
        foreach (var p in cohort.Patients)
        {
            var death = p.DeathTime;
            foreach (var e in p.Encounters.Where(e => e.Class == "inpatient"))
            {
                var stop = death is { } d && d < e.End!.Value ? d : e.End!.Value;
                for (var t = e.Start.AddHours(24); t < stop; t = t.AddHours(12))
                {
                    var label = death is { } dd && dd > t && dd <= t.AddHours(48) && dd <= e.End!.Value;
                    expected.Add(($"mimic3-mortality-48h/{e.Id}/{t:yyyyMMdd'T'HHmm}", label));
                }
            }
        }

        Assert.Equal(expected, included.Select(p => (p.Id, p.Label!.Value)));
        Assert.Equal(expected.Count(x => x.Label), counts.Positives);
        Assert.True(counts.Positives > 30, $"{counts.Positives} positives"); // 40 in-hospital deaths in the demo
        Assert.All(included.Where(p => p.Label == true), p => Assert.StartsWith("positive: death at ", p.Explanation, StringComparison.Ordinal));
        Assert.All(included.Where(p => p.Label == false), p => Assert.StartsWith("negative: no death in (", p.Explanation, StringComparison.Ordinal));
        Assert.All(included, p => Assert.Equal(p.Patient.PatientId, cohort.Patients.Single(c => c.Encounters.Any(e => e.Id == p.UnitId)).PatientId));
        Assert.All(included, p => Assert.True(p.Strata.ContainsKey("insurance") && p.Strata.ContainsKey("sex")));
    }

    [RealDataFact("mimic3_demo")]
    public void Mimic3_aki_excludes_points_with_aki_present_and_labels_by_the_kdigo_criterion()
    {
        var cohort = TimelineReader.Read(RealData.Mimic3);
        var task = TaskDefinition.Load(RealData.Task("mimic3-aki-48h"));
        var (included, excluded, counts) = TaskEngine.Run(task, cohort);
        Assert.NotEmpty(excluded);
        Assert.True(counts.Positives > 0);
        Assert.Equal(excluded.Count, counts.Excluded["AKI already present"]);
        foreach (var p in included.Concat(excluded))
        {
            var unit = p.Patient.Encounters.Single(e => e.Id == p.UnitId);
            var creatinine = p.Patient.AllFactsForLabels.ToArray().Where(f => f.HasValue && f.Concept.Code == Mimic3Reader.CreatinineItem).Select(f => new CreatinineResult(f.Time, f.Value)).ToList();
            var aki = Enumerable.Range(0, creatinine.Count).Where(i => Kdigo.Criterion(creatinine, i) is not null).Select(i => creatinine[i].Time).ToList();
            var present = aki.Any(a => a >= unit.Start && a <= p.AsOf);
            Assert.Equal(present, p.ExcludedBecause is not null);
            if (!present)
            {
                Assert.Equal(aki.Any(a => a > p.AsOf && a <= p.AsOf.AddHours(48) && a <= unit.End), p.Label);
            }
            else
            {
                Assert.Contains("excluded: AKI already present (AKI: creatinine", p.Explanation, StringComparison.Ordinal);
            }
        }
    }

    [RealDataFact("synthea_ma10")]
    public void Synthea_task_gives_identical_items_and_labels_from_fhir_and_csv()
    {
        var task = TaskDefinition.Load(RealData.Task("synthea-emergency-365d"));
        var fhir = TaskEngine.Run(task, TimelineReader.Read(RealData.SyntheaFhir));
        var csvCohort = TimelineReader.Read(RealData.SyntheaCsv);
        var common = fhir.Included.Select(p => p.Patient.PatientId).ToHashSet();
        var csv = TaskEngine.Run(task, csvCohort with { Patients = csvCohort.Patients.Where(p => common.Contains(p.PatientId)).ToList() });
        Assert.True(fhir.Included.Count > 50, $"{fhir.Included.Count} items");
        Assert.Contains(fhir.Included, p => p.Label == true);
        Assert.Equal(csv.Included.Select(p => (p.Id, p.AsOf, p.Label, p.Explanation)), fhir.Included.Select(p => (p.Id, p.AsOf, p.Label, p.Explanation)));
        Assert.Equal(csv.Excluded.Select(p => p.Id), fhir.Excluded.Select(p => p.Id));
        Assert.All(fhir.Excluded, p => Assert.Equal("follow-up shorter than the horizon", p.ExcludedBecause));
    }

    [Fact]
    public void Generated_deterioration_labels_follow_the_documented_onset()
    {
        var cohort = TimelineReader.Read(RealData.Fixture);
        var task = TaskDefinition.Load(RealData.Task("generated-deterioration-24h"));
        var (included, excluded, counts) = TaskEngine.Run(task, cohort);
        Assert.Equal(60, counts.Patients);
        Assert.True(counts.PositiveUnits > 5);
        foreach (var p in included.Concat(excluded))
        {
            var onset = p.Patient.AllFactsForLabels.ToArray().Where(f => f.Concept.Code == "deterioration").Select(f => (DateTime?)f.Time).FirstOrDefault();
            if (onset is { } o && o <= p.AsOf)
            {
                Assert.Equal("deterioration already happened", p.ExcludedBecause);
            }
            else
            {
                Assert.Equal(onset is { } o2 && o2 <= p.AsOf.AddHours(24), p.Label);
                Assert.Equal(onset, p.Onset);
            }
        }

        Assert.All(included, p => Assert.True(p.View.Facts.Length > 0 && p.AsOf < p.Patient.Encounters[0].End));
        Assert.All(included, p => Assert.Equal(new[] { "age_band", "ethnicity", "insurance", "language", "sex", "site" }, p.Strata.Keys));
    }

    [Fact]
    public void News2_on_the_generated_cohort_is_computed_from_the_last_vitals()
    {
        var cohort = TimelineReader.Read(RealData.Fixture);
        var patient = cohort.Patients[0];
        var t = patient.Encounters[0].Start.AddHours(10);
        var features = FeatureBuilder.Build(patient.At(t));
        var last = patient.At(t).Facts.ToArray();
        double Last(string code) => last.Last(f => f.Concept.Code == code && f.HasValue).Value;
        var expected = News2.Score(new News2Input(Last("9279-1"), Last("59408-5"), Last("3151-8") > 0, Last("8480-6"), Last("8867-4"),
            FeatureBuilder.ParseAcvpu(last.Last(f => f.Concept.Code == FeatureCatalog.AcvpuLoinc).Text), Last("8310-5"))).Total;
        Assert.Equal(expected, features[FeatureBuilder.News2Feature]);
        Assert.True(features.ContainsKey(FeatureBuilder.QsofaFeature));
        Assert.True(features.ContainsKey(FeatureBuilder.KdigoStageFeature));
        Assert.True(features.ContainsKey(FeatureBuilder.LastLactateFeature));
    }
}
