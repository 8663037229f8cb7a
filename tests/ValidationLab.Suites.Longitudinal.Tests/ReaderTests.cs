using System.IO.Compression;
using System.Text.Json;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>Every reader on the real shared data, checked against counts taken straight from the source files.</summary>
public sealed class ReaderTests
{
    [RealDataFact("mimic3_demo")]
    public void Mimic3_reads_every_patient_admission_and_creatinine_result_as_shipped()
    {
        var cohort = TimelineReader.Read(RealData.Mimic3);
        Assert.Equal(TimelineReader.Mimic3, cohort.Format);
        Assert.Equal(100, cohort.Patients.Count + cohort.EmptyPatients.Count);
        Assert.Equal(129, cohort.Patients.Sum(p => p.Encounters.Count(e => e.Class == "inpatient")));
        Assert.Equal(CountRows("LABEVENTS", row => row[3] == "50912"), cohort.Patients.Sum(p => p.AllFactsForLabels.ToArray().Count(f => f.Concept.Code == "50912" && f.Kind == FactKind.Lab)));
        Assert.Equal(CountRows("ADMISSIONS", row => row[5].Length > 0), cohort.Patients.Sum(p => p.AllFactsForLabels.ToArray().Count(f => f.Kind == FactKind.Death)));
        Assert.All(cohort.Patients, p => Assert.True(IsSorted(p)));
        var creatinine = cohort.Patients.SelectMany(p => p.AllFactsForLabels.ToArray()).First(f => f.Concept.Code == "50912" && f.HasValue);
        Assert.Equal("mg/dL", creatinine.Concept.Unit);
        // Diagnoses become known at the discharge of their admission.
        var p0 = cohort.Patients.First(p => p.AllFactsForLabels.ToArray().Any(f => f.Kind == FactKind.Condition));
        var dx = p0.AllFactsForLabels.ToArray().First(f => f.Kind == FactKind.Condition);
        Assert.Contains(p0.Encounters, e => e.End == dx.Time && e.Id == dx.EncounterId);
        Assert.Contains(cohort.Files, f => f.EndsWith("LABEVENTS.csv.gz", StringComparison.Ordinal));
    }

    [RealDataFact("smart_bulk_fhir_10patients")]
    public void Bulk_ndjson_reads_patients_notes_and_counts_other_resource_types()
    {
        var cohort = TimelineReader.Read(RealData.BulkFhir);
        Assert.Equal(TimelineReader.FhirNdjson, cohort.Format);
        Assert.Equal(Lines("Patient.000.ndjson"), cohort.Patients.Count + cohort.EmptyPatients.Count);
        Assert.Equal(Lines("Immunization.000.ndjson"), cohort.Skipped["Immunization"]);
        Assert.Equal(Lines("Location.000.ndjson"), cohort.Skipped["Location"]);
        Assert.Equal(Lines("Encounter.000.ndjson"), cohort.Patients.Sum(p => p.Encounters.Count));
        var notes = cohort.Patients.SelectMany(p => p.AllFactsForLabels.ToArray()).Where(f => f.Kind == FactKind.Note).ToList();
        Assert.Equal(Lines("DocumentReference.000.ndjson"), notes.Count);
        Assert.All(notes, n => Assert.False(string.IsNullOrWhiteSpace(n.Text))); // base64 decoded
        Assert.Equal(Lines("MedicationRequest.000.ndjson"), cohort.Patients.Sum(p => p.AllFactsForLabels.ToArray().Count(f => f.Kind == FactKind.Medication)));
    }

    [RealDataFact("synthea_ma10")]
    public void Synthea_fhir_and_csv_give_the_same_timelines_on_the_facts_both_carry()
    {
        var fhir = TimelineReader.Read(RealData.SyntheaFhir);
        var csv = TimelineReader.Read(RealData.SyntheaCsv);
        Assert.Equal(TimelineReader.FhirBundle, fhir.Format);
        Assert.Equal(TimelineReader.SyntheaCsv, csv.Format);
        var common = fhir.Patients.Select(p => p.PatientId).Intersect(csv.Patients.Select(p => p.PatientId)).ToList();
        Assert.Equal(10, common.Count); // the 11th patient's bundle was too large to copy
        foreach (var id in common)
        {
            var f = fhir.Patients.Single(p => p.PatientId == id);
            var c = csv.Patients.Single(p => p.PatientId == id);
            Assert.Equal(c.Encounters.Select(e => (e.Id, e.Start, e.End, e.Class == "emergency", e.Type?.Code)), f.Encounters.Select(e => (e.Id, e.Start, e.End, e.Class == "emergency", e.Type?.Code)));
            Assert.Equal(c.Demographics.BirthDate, f.Demographics.BirthDate);
            // Observations: Synthea's CSV adds its own QALY/DALY/QOLS codes, the FHIR panel wraps blood pressure in
            // components; compare every numeric LOINC observation both carry, by time, code and value.
            var fo = Numeric(f);
            var co = Numeric(c);
            var codes = fo.Select(x => x.Code).Intersect(co.Select(x => x.Code)).ToHashSet();
            Assert.NotEmpty(codes);
            var fromCsv = co.Where(x => codes.Contains(x.Code)).Order().ToList();
            var fromFhir = fo.Where(x => codes.Contains(x.Code)).Order().ToList();
            Assert.Equal(fromCsv.Select(x => (x.Time, x.Code)), fromFhir.Select(x => (x.Time, x.Code)));
            // Synthea's CSV writes values to one decimal where the FHIR export keeps two.
            Assert.All(fromCsv.Zip(fromFhir), pair => Assert.True(Math.Abs(pair.First.Value - pair.Second.Value) <= 0.05 + 1e-9, $"{pair.First} vs {pair.Second}"));
            foreach (var kind in new[] { FactKind.Medication, FactKind.Procedure })
            {
                Assert.Equal(Coded(c, kind), Coded(f, kind));
            }

            // Conditions: the CSV has the local date only (known at the end of that day, read as UTC); FHIR has the
            // time with its offset. Same codes, and each FHIR onset within a day of the CSV date's end.
            var cc = Coded(c, FactKind.Condition).OrderBy(x => x.Code, StringComparer.Ordinal).ThenBy(x => x.Time).ToList();
            var fc = Coded(f, FactKind.Condition).OrderBy(x => x.Code, StringComparer.Ordinal).ThenBy(x => x.Time).ToList();
            Assert.Equal(cc.Select(x => x.Code), fc.Select(x => x.Code));
            Assert.All(cc.Zip(fc), pair => Assert.True(Math.Abs((pair.Second.Time - pair.First.Time).TotalHours) < 24, $"{pair.First} vs {pair.Second}"));
        }
    }

    private static List<(DateTime Time, string Code, double Value)> Numeric(PatientTimeline p) =>
        p.AllFactsForLabels.ToArray().Where(x => x.HasValue && x.Concept.System == FhirMapper.LoincSystem).Select(x => (x.Time, x.Concept.Code, Math.Round(x.Value, 6))).ToList();

    private static List<(DateTime Time, string Code)> Coded(PatientTimeline p, FactKind kind) =>
        p.AllFactsForLabels.ToArray().Where(x => x.Kind == kind).Select(x => (x.Time, x.Concept.Code)).Order().ToList();

    private static bool IsSorted(PatientTimeline p)
    {
        var facts = p.AllFactsForLabels;
        for (var i = 1; i < facts.Length; i++)
        {
            if (facts[i].Time < facts[i - 1].Time)
            {
                return false;
            }
        }

        return true;
    }

    private static int Lines(string file) => File.ReadLines(Path.Combine(RealData.BulkFhir, file)).Count(l => l.Length > 0);

    /// <summary>Rows of a MIMIC table matching a predicate on its fields (a naive split; the columns tested hold no commas).</summary>
    private static int CountRows(string table, Func<string[], bool> predicate)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(RealData.Mimic3, table + ".csv.gz")), CompressionMode.Decompress));
        reader.ReadLine();
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            if (predicate(line.Split(',')))
            {
                n++;
            }
        }

        return n;
    }
}
