using System.IO.Compression;
using System.Text;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>Bad input names the file, the line or entry, and the field; odd-but-legal input is read.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vl-longitudinal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string PatientLine = """{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1950-01-02"}""";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_broken_ndjson_line_names_file_and_line()
    {
        var file = Write("Patient.000.ndjson", PatientLine + "\n{\"resourceType\":\"Patient\",\"id\":\n");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((file, 2L), (ex.File, ex.Line));
    }

    [Fact]
    public void A_bad_field_in_an_ndjson_resource_names_file_line_and_field()
    {
        Write("Patient.000.ndjson", PatientLine + "\n");
        var file = Write("Observation.000.ndjson",
            """{"resourceType":"Observation","id":"o1","code":{"coding":[{"code":"x"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01T00:00:00Z","valueQuantity":{"value":1}}""" + "\n" +
            """{"resourceType":"Observation","id":"o2","code":{"coding":[{"code":"x"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"last tuesday","valueQuantity":{"value":1}}""" + "\n");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((file, 2L, "effectiveDateTime"), (ex.File, ex.Line, ex.Field));
        Assert.Contains("Observation/o2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_entry_without_a_subject_names_the_entry_and_field()
    {
        var file = Write("b.json", """{"resourceType":"Bundle","entry":[{"resource":""" + PatientLine + """},{"resource":{"resourceType":"Condition","id":"c1","onsetDateTime":"2020-01-01"}}]}""");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(file));
        Assert.Equal((file, "subject.reference"), (ex.File, ex.Field));
        Assert.StartsWith("entry 1 (Condition/c1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_bundle_json_names_the_line()
    {
        var file = Write("b.json", "{\"resourceType\":\"Bundle\",\n\"entry\": [\n{,}]}");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(file));
        Assert.Equal((file, 3L), (ex.File, ex.Line));
    }

    [Fact]
    public void A_bad_synthea_csv_row_names_file_line_and_column()
    {
        Write("patients.csv", "Id,BIRTHDATE,GENDER\np1,1950-01-02,F\n");
        Write("encounters.csv", "Id,START,STOP,PATIENT,ENCOUNTERCLASS,CODE\ne1,2020-01-01T00:00:00Z,2020-01-01T01:00:00Z,p1,emergency,50849002\n");
        var file = Write("observations.csv", "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n2020-01-01T00:10:00Z,p1,e1,vital-signs,8867-4,Heart rate,80,/min,numeric\n2020-01-01T00:20:00Z,p1,e1,vital-signs,8867-4,Heart rate,eighty,/min,numeric\n");
        foreach (var name in new[] { "conditions.csv", "medications.csv", "procedures.csv" })
        {
            Write(name, "START,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n");
        }

        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((file, 3L, "VALUE"), (ex.File, ex.Line, ex.Field));
    }

    [Fact]
    public void A_bad_gzipped_mimic_row_names_file_line_and_column_and_a_missing_column_is_named()
    {
        WriteGz("PATIENTS.csv.gz", "\"ROW_ID\",\"SUBJECT_ID\",\"GENDER\",\"DOB\"\n1,7,\"F\",2100-01-01 00:00:00\n");
        WriteGz("ADMISSIONS.csv.gz", "\"ROW_ID\",\"SUBJECT_ID\",\"HADM_ID\",\"ADMITTIME\",\"DISCHTIME\",\"DEATHTIME\"\n1,7,70,2150-01-01 10:00:00,2150-01-05 10:00:00,\n");
        WriteGz("D_LABITEMS.csv.gz", "\"ROW_ID\",\"ITEMID\",\"LABEL\"\n1,50912,\"Creatinine\"\n");
        var labs = WriteGz("LABEVENTS.csv.gz", "\"ROW_ID\",\"SUBJECT_ID\",\"HADM_ID\",\"ITEMID\",\"CHARTTIME\",\"VALUE\",\"VALUENUM\",\"VALUEUOM\"\n1,7,70,50912,2150-01-02 10:00:00,\"1.0\",1.0,\"mg/dL\"\n2,7,70,50912,2150-01-0X 10:00:00,\"1.0\",1.0,\"mg/dL\"\n");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((labs, 3L, "CHARTTIME"), (ex.File, ex.Line, ex.Field));

        labs = WriteGz("LABEVENTS.csv.gz", "\"ROW_ID\",\"SUBJECT_ID\",\"HADM_ID\",\"ITEMID\",\"CHARTTIME\",\"VALUE\",\"VALUEUOM\"\n");
        ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((labs, 1L, "VALUENUM"), (ex.File, ex.Line, ex.Field));
    }

    [Fact]
    public void Out_of_order_facts_are_sorted_unknown_code_systems_read_and_empty_patients_counted()
    {
        Write("Patient.000.ndjson", PatientLine + "\n" + """{"resourceType":"Patient","id":"p2"}""" + "\n");
        Write("Observation.000.ndjson",
            """{"resourceType":"Observation","id":"o2","code":{"coding":[{"system":"urn:local:ward7","code":"zz"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-02T00:00:00Z","valueQuantity":{"value":2}}""" + "\n" +
            """{"resourceType":"Observation","id":"o1","code":{"coding":[{"system":"urn:local:ward7","code":"zz"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01T12:00:00","valueQuantity":{"value":1}}""" + "\n");
        Write("Device.000.ndjson", """{"resourceType":"Device","id":"d1"}""" + "\n");
        var cohort = TimelineReader.Read(_dir);
        var p1 = Assert.Single(cohort.Patients);
        Assert.Equal(new[] { 1.0, 2.0 }, p1.AllFactsForLabels.ToArray().Select(f => f.Value));
        Assert.Equal(new DateTime(2020, 1, 1, 12, 0, 0, DateTimeKind.Utc), p1.AllFactsForLabels[0].Time); // no offset: UTC
        Assert.Equal(new[] { "p2" }, cohort.EmptyPatients);
        Assert.Equal(1, cohort.Skipped["Device"]);
    }

    [Fact]
    public void A_bad_task_definition_names_file_and_field()
    {
        var file = Write("t.yaml", "name: t\noutcome: x\nunit: admission\ndecision: { every_hours: 4 }\nlabel:\n  events: [ { type: sunrise } ]\n  window: { until_hours: 24 }\n");
        var ex = Assert.Throws<InputException>(() => TaskDefinition.Load(file));
        Assert.Equal((file, "label.events[0].type"), (ex.File, ex.Field));
        file = Write("u.yaml", "name: t\noutcome: x\nhorizon: 3\n");
        ex = Assert.Throws<InputException>(() => TaskDefinition.Load(file));
        Assert.Equal((file, 3L), (ex.File, ex.Line));
    }

    private string WriteGz(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }
}
