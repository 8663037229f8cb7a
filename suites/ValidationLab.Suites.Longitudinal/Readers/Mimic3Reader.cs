using System.Globalization;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// The MIMIC-III CSVs as PhysioNet ships them (gzipped or not): ADMISSIONS, PATIENTS, ICUSTAYS, LABEVENTS with
/// D_LABITEMS, MICROBIOLOGYEVENTS, PRESCRIPTIONS, DIAGNOSES_ICD with D_ICD_DIAGNOSES. Point-in-time choices that
/// the data forces, each conservative (a fact is shown no earlier than it could have been known):
/// <list type="bullet">
/// <item>ICD-9 diagnoses of an admission are coded at discharge, so they become facts at its DISCHTIME (the
/// model sees the diagnoses of earlier admissions, never of the current one);</item>
/// <item>a microbiology specimen is a fact at CHARTTIME (or the end of CHARTDATE); its organism and
/// susceptibility results are made known <see cref="MicrobiologyResultDelayHours"/> h later, because MIMIC-III does
/// not record when a result was reported;</item>
/// <item>prescriptions carry dates only, so they become facts at the end of STARTDATE.</item>
/// </list>
/// </summary>
internal static class Mimic3Reader
{
    public const string LabSystem = "https://mimic.mit.edu/d_labitems";
    public const string Icd9System = "http://hl7.org/fhir/sid/icd-9-cm";
    public const string CreatinineItem = "50912";
    public const string LactateItem = "50813";
    public const int MicrobiologyResultDelayHours = 48;

    public static bool Looks(string folder) => Find(folder, "ADMISSIONS") is not null;

    public static Cohort Read(string folder)
    {
        var files = new List<string>();
        var patients = new Dictionary<string, TimelineBuilder>(StringComparer.Ordinal);
        var admissions = new Dictionary<string, (string Subject, DateTime Discharge)>(StringComparer.Ordinal);
        var orphans = 0;

        string Need(string name)
        {
            var f = Find(folder, name) ?? throw new ValidationLab.Errors.InputException($"the MIMIC-III folder has no {name}.csv.gz (or {name}.csv)", folder, null, name);
            files.Add(f);
            return f;
        }

        TimelineBuilder? For(string subject)
        {
            if (patients.TryGetValue(subject, out var b))
            {
                return b;
            }

            orphans++;
            return null;
        }

        using (var t = CsvTable.Open(Need("PATIENTS"), "SUBJECT_ID", "GENDER", "DOB"))
        {
            while (t.Read())
            {
                var id = t.Req("SUBJECT_ID");
                var b = new TimelineBuilder(id);
                var dob = t.Req("DOB");
                b.Demographics = new Demographics
                {
                    Sex = t.Opt("GENDER") switch { "F" => "female", "M" => "male", var g => g },
                    BirthDate = Times.TryParseDate(dob, out var d) ? d : throw t.Error($"'{dob}' is not a date", "DOB"),
                };
                patients[id] = b;
            }
        }

        var firstAdmission = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        using (var t = CsvTable.Open(Need("ADMISSIONS"), "SUBJECT_ID", "HADM_ID", "ADMITTIME", "DISCHTIME"))
        {
            while (t.Read())
            {
                var subject = t.Req("SUBJECT_ID");
                if (For(subject) is not { } b)
                {
                    continue;
                }

                var hadm = t.Req("HADM_ID");
                var admit = t.Time("ADMITTIME");
                var discharge = t.Time("DISCHTIME");
                var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (column, key) in new[] { ("INSURANCE", "insurance"), ("LANGUAGE", "language"), ("ETHNICITY", "ethnicity"), ("ADMISSION_TYPE", "admission_type") })
                {
                    if (t.Opt(column) is { } v)
                    {
                        attributes[key] = v;
                    }
                }

                var type = Concept.Of(FactKind.Admission, "https://mimic.mit.edu/admission_type", t.Opt("ADMISSION_TYPE"), t.Opt("DIAGNOSIS") is { } dx ? $"{t.Opt("ADMISSION_TYPE")} admission: {dx}" : t.Opt("ADMISSION_TYPE"));
                FhirMapper.AddEncounter(b, new Encounter(hadm, admit, discharge, "inpatient", type) { Attributes = attributes });
                admissions[hadm] = (subject, discharge);
                if (t.OptTime("DEATHTIME") is { } death)
                {
                    b.Add(Fact.Textual(death, Concept.Of(FactKind.Death, "", "death", "Death in hospital"), null, hadm));
                }

                if (!firstAdmission.TryGetValue(subject, out var first) || admit < first)
                {
                    firstAdmission[subject] = admit;
                    b.Demographics = b.Demographics with
                    {
                        Ethnicity = t.Opt("ETHNICITY"),
                        Insurance = t.Opt("INSURANCE"),
                        Language = t.Opt("LANGUAGE"),
                    };
                }
            }
        }

        if (Find(folder, "ICUSTAYS") is not null)
        {
            using var t = CsvTable.Open(Need("ICUSTAYS"), "SUBJECT_ID", "ICUSTAY_ID", "INTIME");
            while (t.Read())
            {
                if (For(t.Req("SUBJECT_ID")) is not { } b)
                {
                    continue;
                }

                var unit = t.Opt("FIRST_CAREUNIT") ?? "ICU";
                b.AddEncounter(new Encounter("icu-" + t.Req("ICUSTAY_ID"), t.Time("INTIME"), t.OptTime("OUTTIME"), "icu",
                    Concept.Of(FactKind.Encounter, "https://mimic.mit.edu/careunit", unit, $"ICU stay ({unit})")));
                b.Add(Fact.Textual(t.Time("INTIME"), Concept.Of(FactKind.Encounter, "https://mimic.mit.edu/careunit", unit, $"ICU admission ({unit})"), null, t.Opt("HADM_ID")));
            }
        }

        var labItems = new Dictionary<string, (string Label, string? Fluid)>(StringComparer.Ordinal);
        using (var t = CsvTable.Open(Need("D_LABITEMS"), "ITEMID", "LABEL"))
        {
            while (t.Read())
            {
                labItems[t.Req("ITEMID")] = (t.Req("LABEL"), t.Opt("FLUID"));
            }
        }

        using (var t = CsvTable.Open(Need("LABEVENTS"), "SUBJECT_ID", "ITEMID", "CHARTTIME", "VALUE", "VALUENUM", "VALUEUOM"))
        {
            while (t.Read())
            {
                if (For(t.Req("SUBJECT_ID")) is not { } b)
                {
                    continue;
                }

                var item = t.Req("ITEMID");
                var label = labItems.TryGetValue(item, out var li) ? li.Label : "lab item " + item;
                var concept = Concept.Of(FactKind.Lab, LabSystem, item, label, t.Opt("VALUEUOM"));
                var time = t.Time("CHARTTIME");
                var hadm = t.Opt("HADM_ID");
                b.Add(t.Number("VALUENUM") is { } v
                    ? Fact.Numeric(time, concept, v, hadm)
                    : Fact.Textual(time, concept, t.Opt("VALUE"), hadm));
            }
        }

        if (Find(folder, "MICROBIOLOGYEVENTS") is not null)
        {
            using var t = CsvTable.Open(Need("MICROBIOLOGYEVENTS"), "SUBJECT_ID", "CHARTDATE", "SPEC_TYPE_DESC");
            var specimens = new HashSet<(string, DateTime, string)>();
            while (t.Read())
            {
                var subject = t.Req("SUBJECT_ID");
                if (For(subject) is not { } b)
                {
                    continue;
                }

                var time = t.OptTime("CHARTTIME") ?? t.OptDate("CHARTDATE") ?? throw t.Error("no CHARTTIME and no CHARTDATE", "CHARTDATE");
                var spec = t.Opt("SPEC_TYPE_DESC") ?? "specimen";
                var hadm = t.Opt("HADM_ID");
                if (specimens.Add((subject, time, spec)))
                {
                    b.Add(Fact.Textual(time, Concept.Of(FactKind.Microbiology, "https://mimic.mit.edu/spec_type", spec, spec), "specimen sent", hadm));
                }

                if (t.Opt("ORG_NAME") is { } org)
                {
                    var result = t.Opt("AB_NAME") is { } ab ? $"{org}; {ab} {t.Opt("INTERPRETATION")}".TrimEnd() : org;
                    b.Add(Fact.Textual(time.AddHours(MicrobiologyResultDelayHours), Concept.Of(FactKind.Microbiology, "https://mimic.mit.edu/spec_type", spec, spec + " result"), result, hadm));
                }
            }
        }

        if (Find(folder, "PRESCRIPTIONS") is not null)
        {
            using var t = CsvTable.Open(Need("PRESCRIPTIONS"), "SUBJECT_ID", "STARTDATE", "DRUG");
            while (t.Read())
            {
                if (For(t.Req("SUBJECT_ID")) is not { } b || t.OptDate("STARTDATE") is not { } start)
                {
                    continue; // a prescription without a start date cannot be placed in time
                }

                var drug = t.Req("DRUG");
                var dose = t.Opt("DOSE_VAL_RX") is { } d ? $"{d} {t.Opt("DOSE_UNIT_RX")} {t.Opt("ROUTE")}".Trim() : null;
                b.Add(Fact.Textual(start, Concept.Of(FactKind.Medication, "https://mimic.mit.edu/drug", t.Opt("NDC") ?? drug, drug), dose, t.Opt("HADM_ID")));
            }
        }

        if (Find(folder, "DIAGNOSES_ICD") is not null)
        {
            var titles = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Find(folder, "D_ICD_DIAGNOSES") is not null)
            {
                using var d = CsvTable.Open(Need("D_ICD_DIAGNOSES"), "ICD9_CODE", "SHORT_TITLE");
                while (d.Read())
                {
                    titles[d.Req("ICD9_CODE")] = d.Req("SHORT_TITLE");
                }
            }

            using var t = CsvTable.Open(Need("DIAGNOSES_ICD"), "SUBJECT_ID", "HADM_ID", "ICD9_CODE");
            while (t.Read())
            {
                if (For(t.Req("SUBJECT_ID")) is not { } b || t.Opt("ICD9_CODE") is not { } code)
                {
                    continue;
                }

                var hadm = t.Req("HADM_ID");
                if (!admissions.TryGetValue(hadm, out var adm))
                {
                    throw t.Error($"admission {hadm} is not in ADMISSIONS", "HADM_ID");
                }

                b.Add(Fact.Textual(adm.Discharge, Concept.Of(FactKind.Condition, Icd9System, code, titles.GetValueOrDefault(code, "ICD-9 " + code)),
                    "coded at discharge, seq " + (t.Opt("SEQ_NUM") ?? "?"), hadm));
            }
        }

        return Cohort.From("mimic3", patients.Values, files, new SortedDictionary<string, int>(StringComparer.Ordinal), orphans);
    }

    private static string? Find(string folder, string table)
    {
        foreach (var name in new[] { table + ".csv.gz", table + ".csv", table.ToLowerInvariant() + ".csv.gz", table.ToLowerInvariant() + ".csv" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    internal static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
