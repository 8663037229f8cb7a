using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// Synthea's CSV export (patients, encounters, observations, conditions, medications, procedures). Code systems
/// are implied by Synthea's layout: LOINC for observations, SNOMED CT for encounters, conditions and procedures,
/// RxNorm for medications, so that the facts match those of the FHIR export of the same patients.
/// </summary>
internal static class SyntheaCsvReader
{
    public const string Snomed = "http://snomed.info/sct";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    public static Cohort Read(string folder)
    {
        var patients = new Dictionary<string, TimelineBuilder>(StringComparer.Ordinal);
        var files = new List<string>();
        var orphans = 0;

        TimelineBuilder? For(string id)
        {
            if (patients.TryGetValue(id, out var b))
            {
                return b;
            }

            orphans++;
            return null;
        }

        var file = Path.Combine(folder, "patients.csv");
        files.Add(file);
        using (var t = CsvTable.Open(file, "Id", "BIRTHDATE", "GENDER"))
        {
            while (t.Read())
            {
                var id = t.Req("Id");
                var b = new TimelineBuilder(id);
                var birth = t.Req("BIRTHDATE");
                b.Demographics = new Demographics
                {
                    Sex = t.Opt("GENDER") switch { "F" => "female", "M" => "male", var g => g },
                    BirthDate = Times.TryParseDate(birth, out var d) ? d : throw t.Error($"'{birth}' is not a date", "BIRTHDATE"),
                    Ethnicity = t.Opt("ETHNICITY"),
                    Site = t.Opt("COUNTY"),
                };
                if (t.OptTime("DEATHDATE") is { } death)
                {
                    b.Add(Fact.Textual(death, Concept.Of(FactKind.Death, "", "death", "Death"), null));
                }

                patients[id] = b;
            }
        }

        file = Path.Combine(folder, "encounters.csv");
        files.Add(file);
        using (var t = CsvTable.Open(file, "Id", "START", "PATIENT", "ENCOUNTERCLASS", "CODE"))
        {
            while (t.Read())
            {
                if (For(t.Req("PATIENT")) is not { } b)
                {
                    continue;
                }

                var type = Concept.Of(FactKind.Encounter, Snomed, t.Req("CODE"), t.Opt("DESCRIPTION"));
                FhirMapper.AddEncounter(b, new Encounter(t.Req("Id"), t.Time("START"), t.OptTime("STOP"), FhirMapper.NormaliseClass(t.Req("ENCOUNTERCLASS")), type));
            }
        }

        file = Path.Combine(folder, "observations.csv");
        files.Add(file);
        using (var t = CsvTable.Open(file, "DATE", "PATIENT", "CODE", "VALUE", "TYPE"))
        {
            while (t.Read())
            {
                if (For(t.Req("PATIENT")) is not { } b)
                {
                    continue;
                }

                var kind = t.Opt("CATEGORY") switch
                {
                    "vital-signs" => FactKind.Vital,
                    "laboratory" => FactKind.Lab,
                    _ => FactKind.Observation,
                };
                var concept = Concept.Of(kind, FhirMapper.LoincSystem, t.Req("CODE"), t.Opt("DESCRIPTION"), t.Opt("UNITS"));
                var time = t.Time("DATE");
                var encounter = t.Opt("ENCOUNTER");
                b.Add(t.Opt("TYPE") == "numeric"
                    ? Fact.Numeric(time, concept, t.Number("VALUE")!.Value, encounter)
                    : Fact.Textual(time, concept, t.Opt("VALUE"), encounter));
            }
        }

        foreach (var (name, kind, system) in new[]
                 {
                     ("conditions.csv", FactKind.Condition, Snomed),
                     ("medications.csv", FactKind.Medication, RxNorm),
                     ("procedures.csv", FactKind.Procedure, Snomed),
                 })
        {
            file = Path.Combine(folder, name);
            files.Add(file);
            using var t = CsvTable.Open(file, "START", "PATIENT", "CODE");
            while (t.Read())
            {
                if (For(t.Req("PATIENT")) is not { } b)
                {
                    continue;
                }

                b.Add(Fact.Textual(t.Time("START"), Concept.Of(kind, system, t.Req("CODE"), t.Opt("DESCRIPTION")), null, t.Opt("ENCOUNTER")));
            }
        }

        return Cohort.From("synthea-csv", patients.Values, files, new SortedDictionary<string, int>(StringComparer.Ordinal), orphans);
    }
}
