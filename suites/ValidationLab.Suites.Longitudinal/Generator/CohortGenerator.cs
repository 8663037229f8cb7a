using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Rendering;

namespace ValidationLab.Suites.Longitudinal.Generator;

/// <summary>How a generated cohort is made; the same settings and seed always give the same bytes.</summary>
public sealed record GeneratorSettings
{
    public int Patients { get; init; } = 60;

    public int Days { get; init; } = 3;

    public int Seed { get; init; } = 20261203;

    /// <summary>Share of patients who deteriorate.</summary>
    public double DeteriorationRate { get; init; } = 0.25;

    /// <summary>Write Type.000.ndjson.gz instead of plain NDJSON (the committed fixture is gzipped to stay small).</summary>
    public bool Gzip { get; init; }

    public DateTime Start { get; init; } = new(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);
}

/// <summary>What was generated, for tests and the benchmark.</summary>
public sealed record GeneratedCohort(int Patients, int Deteriorating, int VitalPanels, int LabResults, IReadOnlyList<string> Files);

/// <summary>
/// A seeded generator of ward patients, written as FHIR Bulk NDJSON (Patient, Encounter, Observation, Condition).
/// Every hour each patient has a vital-sign panel (respiration rate, SpO2, systolic and diastolic BP, pulse,
/// temperature, ACVPU, inhaled O2 flow) and every 12 h a creatinine and a lactate. A deteriorating patient's
/// vitals drift towards shock and respiratory failure over 6–18 h from a drift start; the <b>onset</b> (the
/// documented time of deterioration: unplanned ICU transfer) is recorded as a Condition
/// <c>https://validationlab.example/generator|deterioration</c>, and the ward admission ends one hour later.
/// Demographics (sex, age, ethnicity, insurance, language, site) are drawn for slicing, independently of outcome.
/// </summary>
public static class CohortGenerator
{
    public const string GeneratorSystem = "https://validationlab.example/generator";
    public const string DeteriorationCode = "deterioration";
    public const string VitalsPanelLoinc = "85353-1";

    private static readonly string[] Ethnicities = ["White", "Black or African American", "Asian", "Hispanic or Latino", "Other"];
    private static readonly string[] Insurances = ["Medicare", "Medicaid", "Private", "Self-pay"];
    private static readonly string[] Languages = ["English", "Spanish", "Portuguese", "Chinese"];
    private static readonly string[] Sites = ["Site A", "Site B", "Site C"];

    public static GeneratedCohort Write(string folder, GeneratorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(folder);
        var ext = settings.Gzip ? ".000.ndjson.gz" : ".000.ndjson";
        var files = new[] { "Patient", "Encounter", "Observation", "Condition" }.Select(t => Path.Combine(folder, t + ext)).ToArray();
        using var patients = Open(files[0], settings.Gzip);
        using var encounters = Open(files[1], settings.Gzip);
        using var observations = Open(files[2], settings.Gzip);
        using var conditions = Open(files[3], settings.Gzip);
        var rng = new Random(settings.Seed);
        int deteriorating = 0, panels = 0, labs = 0;
        var hours = settings.Days * 24;
        for (var p = 0; p < settings.Patients; p++)
        {
            var id = $"gen-{p.ToString("D5", CultureInfo.InvariantCulture)}";
            var admit = settings.Start.AddHours(rng.Next(0, 24 * 10)).AddMinutes(rng.Next(0, 4) * 15);
            var age = 18 + rng.Next(0, 78);
            var sex = rng.NextDouble() < 0.5 ? "female" : "male";
            var birth = admit.AddDays(-age * 365.25 - rng.Next(0, 365)).Date;
            WritePatient(patients, id, sex, birth, Pick(rng, Ethnicities), Pick(rng, Insurances), Pick(rng, Languages), Pick(rng, Sites));

            var deteriorates = rng.NextDouble() < settings.DeteriorationRate;
            var driftStart = deteriorates ? 6 + rng.Next(0, Math.Max(1, hours - 30)) : int.MaxValue;
            var driftLength = 6 + rng.Next(0, 13);
            var onsetHour = deteriorates ? Math.Min(hours - 2, driftStart + driftLength) : -1;
            var lastHour = deteriorates ? onsetHour + 1 : hours;
            if (deteriorates)
            {
                deteriorating++;
            }

            var baseline = new[]
            {
                14 + rng.NextDouble() * 4, // respiration
                95 + rng.NextDouble() * 4, // SpO2
                112 + rng.NextDouble() * 30, // systolic
                62 + rng.NextDouble() * 18, // diastolic
                62 + rng.NextDouble() * 26, // pulse
                36.4 + rng.NextDouble() * 0.9, // temperature
                0.6 + rng.NextDouble() * 0.5, // creatinine
                0.7 + rng.NextDouble() * 0.8, // lactate
            };
            var encounterId = id + "-adm";
            WriteEncounter(encounters, encounterId, id, admit, admit.AddHours(lastHour));
            for (var h = 0; h < lastHour; h++)
            {
                var t = admit.AddHours(h).AddMinutes(rng.Next(0, 10));
                var severity = h < driftStart ? 0 : Math.Min(1.2, (h - driftStart + 1) / (double)driftLength);
                var rr = baseline[0] + 11 * severity + Noise(rng, 1.2);
                var spo2 = Math.Min(100, baseline[1] - 9 * severity + Noise(rng, 0.8));
                var sbp = baseline[2] - 40 * severity + Noise(rng, 5);
                var dbp = baseline[3] - 20 * severity + Noise(rng, 4);
                var pulse = baseline[4] + 40 * severity + Noise(rng, 4);
                var temp = baseline[5] + 1.6 * severity + Noise(rng, 0.15);
                var acvpu = severity > 0.8 && rng.NextDouble() < 0.6 ? "C" : severity > 1 && rng.NextDouble() < 0.3 ? "V" : "A";
                var flow = spo2 < 93 ? 2 + Math.Round(4 * severity) : 0;
                WritePanel(observations, $"{id}-v{h.ToString(CultureInfo.InvariantCulture)}", id, encounterId, t,
                    [Round(rr, 0), Round(spo2, 0), Round(sbp, 0), Round(dbp, 0), Round(pulse, 0), Round(temp, 1)], acvpu, flow);
                panels++;
                if (h % 12 == 2)
                {
                    WriteLab(observations, $"{id}-cr{h.ToString(CultureInfo.InvariantCulture)}", id, encounterId, t.AddMinutes(20), "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", Round(baseline[6] * (1 + 0.9 * severity) + Noise(rng, 0.05), 2), "mg/dL");
                    WriteLab(observations, $"{id}-la{h.ToString(CultureInfo.InvariantCulture)}", id, encounterId, t.AddMinutes(20), "2524-7", "Lactate [Moles/volume] in Serum or Plasma", Round(Math.Max(0.3, baseline[7] + 3 * severity + Noise(rng, 0.2)), 1), "mmol/L");
                    labs += 2;
                }
            }

            if (deteriorates)
            {
                WriteCondition(conditions, id + "-onset", id, encounterId, admit.AddHours(onsetHour).AddMinutes(30));
            }
        }

        return new GeneratedCohort(settings.Patients, deteriorating, panels, labs, files);
    }

    private static double Noise(Random rng, double sd)
    {
        // Box-Muller: a normal deviate from two uniforms, so the stream depends on the seed alone.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Round(double v, int digits) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    private static string Pick(Random rng, string[] options) => options[rng.Next(options.Length)];

    private static NdjsonWriter Open(string file, bool gzip)
    {
        Stream stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        if (gzip)
        {
            stream = new GZipStream(stream, CompressionLevel.SmallestSize);
        }

        return new NdjsonWriter(stream);
    }

    /// <summary>One JSON value per line: a writer that is reset after each value, and the newline between them.</summary>
    private sealed class NdjsonWriter(Stream stream) : IDisposable
    {
        private readonly Utf8JsonWriter _writer = new(stream);

        public Utf8JsonWriter Json => _writer;

        public void EndLine()
        {
            _writer.Flush();
            NewLine();
        }

        private void NewLine()
        {
            stream.WriteByte((byte)'\n');
            _writer.Reset(stream);
        }

        public void Dispose()
        {
            _writer.Dispose();
            stream.Dispose();
        }
    }

    private static void WritePatient(NdjsonWriter n, string id, string sex, DateTime birth, string ethnicity, string insurance, string language, string site)
    {
        var w = n.Json;
        w.WriteStartObject();
        w.WriteString("resourceType", "Patient");
        w.WriteString("id", id);
        w.WriteStartArray("extension");
        w.WriteStartObject();
        w.WriteString("url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity");
        w.WriteStartArray("extension");
        w.WriteStartObject();
        w.WriteString("url", "text");
        w.WriteString("valueString", ethnicity);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("url", FhirMapper.InsuranceExtension);
        w.WriteString("valueString", insurance);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("gender", sex);
        w.WriteString("birthDate", birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteStartArray("communication");
        w.WriteStartObject();
        w.WriteStartObject("language");
        w.WriteString("text", language);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("managingOrganization");
        w.WriteString("display", site);
        w.WriteEndObject();
        w.WriteEndObject();
        n.EndLine();
    }

    private static void WriteEncounter(NdjsonWriter n, string id, string patient, DateTime start, DateTime end)
    {
        var w = n.Json;
        w.WriteStartObject();
        w.WriteString("resourceType", "Encounter");
        w.WriteString("id", id);
        w.WriteString("status", "finished");
        w.WriteStartObject("class");
        w.WriteString("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode");
        w.WriteString("code", "IMP");
        w.WriteEndObject();
        w.WriteStartArray("type");
        WriteCodeable(w, null, "http://snomed.info/sct", "32485007", "Hospital admission (procedure)");
        w.WriteEndArray();
        WriteRef(w, "subject", "Patient/" + patient);
        w.WriteStartObject("period");
        w.WriteString("start", Stamp(start));
        w.WriteString("end", Stamp(end));
        w.WriteEndObject();
        w.WriteEndObject();
        n.EndLine();
    }

    private static void WritePanel(NdjsonWriter n, string id, string patient, string encounter, DateTime t, double[] v, string acvpu, double flow)
    {
        var w = n.Json;
        w.WriteStartObject();
        w.WriteString("resourceType", "Observation");
        w.WriteString("id", id);
        w.WriteString("status", "final");
        w.WriteStartArray("category");
        WriteCodeable(w, null, "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", null);
        w.WriteEndArray();
        WriteCodeable(w, "code", FhirMapper.LoincSystem, VitalsPanelLoinc, "Vital signs panel");
        WriteRef(w, "subject", "Patient/" + patient);
        WriteRef(w, "encounter", "Encounter/" + encounter);
        w.WriteString("effectiveDateTime", Stamp(t));
        w.WriteStartArray("component");
        Component(w, "9279-1", "Respiratory rate", v[0], "/min");
        Component(w, "59408-5", "Oxygen saturation by pulse oximetry", v[1], "%");
        Component(w, "8480-6", "Systolic blood pressure", v[2], "mm[Hg]");
        Component(w, "8462-4", "Diastolic blood pressure", v[3], "mm[Hg]");
        Component(w, "8867-4", "Heart rate", v[4], "/min");
        Component(w, "8310-5", "Body temperature", v[5], "Cel");
        Component(w, "3151-8", "Inhaled oxygen flow rate", flow, "L/min");
        w.WriteStartObject();
        WriteCodeable(w, "code", FhirMapper.LoincSystem, FeatureCatalog.AcvpuLoinc, "Level of responsiveness (ACVPU)");
        w.WriteString("valueString", acvpu);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        n.EndLine();
    }

    private static void Component(Utf8JsonWriter w, string code, string display, double value, string unit)
    {
        w.WriteStartObject();
        WriteCodeable(w, "code", FhirMapper.LoincSystem, code, display);
        w.WriteStartObject("valueQuantity");
        w.WriteNumber("value", value);
        w.WriteString("unit", unit);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteLab(NdjsonWriter n, string id, string patient, string encounter, DateTime t, string code, string display, double value, string unit)
    {
        var w = n.Json;
        w.WriteStartObject();
        w.WriteString("resourceType", "Observation");
        w.WriteString("id", id);
        w.WriteString("status", "final");
        w.WriteStartArray("category");
        WriteCodeable(w, null, "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null);
        w.WriteEndArray();
        WriteCodeable(w, "code", FhirMapper.LoincSystem, code, display);
        WriteRef(w, "subject", "Patient/" + patient);
        WriteRef(w, "encounter", "Encounter/" + encounter);
        w.WriteString("effectiveDateTime", Stamp(t));
        w.WriteStartObject("valueQuantity");
        w.WriteNumber("value", value);
        w.WriteString("unit", unit);
        w.WriteEndObject();
        w.WriteEndObject();
        n.EndLine();
    }

    private static void WriteCondition(NdjsonWriter n, string id, string patient, string encounter, DateTime onset)
    {
        var w = n.Json;
        w.WriteStartObject();
        w.WriteString("resourceType", "Condition");
        w.WriteString("id", id);
        WriteCodeable(w, "code", GeneratorSystem, DeteriorationCode, "Clinical deterioration (unplanned ICU transfer)");
        WriteRef(w, "subject", "Patient/" + patient);
        WriteRef(w, "encounter", "Encounter/" + encounter);
        w.WriteString("onsetDateTime", Stamp(onset));
        w.WriteEndObject();
        n.EndLine();
    }

    private static void WriteCodeable(Utf8JsonWriter w, string? property, string system, string code, string? display)
    {
        if (property is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(property);
        }

        w.WriteStartArray("coding");
        w.WriteStartObject();
        w.WriteString("system", system);
        w.WriteString("code", code);
        if (display is not null)
        {
            w.WriteString("display", display);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRef(Utf8JsonWriter w, string property, string reference)
    {
        w.WriteStartObject(property);
        w.WriteString("reference", reference);
        w.WriteEndObject();
    }

    private static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static Encoding Utf8 => Encoding.UTF8;
}
