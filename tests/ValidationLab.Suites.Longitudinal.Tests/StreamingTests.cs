using System.IO.Compression;
using System.Text;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>
/// Reading patient by patient and walking features forward give exactly what reading the cohort whole and building
/// features from the start of the record give; the reader does not depend on how the files are grouped.
/// </summary>
public sealed class StreamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vl-longitudinal-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_ndjson_reader_streams_one_patient_at_a_time_and_accounts_when_done()
    {
        // Given the committed generated cohort (gzipped NDJSON)
        var stream = TimelineReader.Open(RealData.Fixture);

        // When it is read patient by patient
        Assert.True(stream.Streamed);
        Assert.Throws<InvalidOperationException>(() => stream.Account());
        var ids = new List<string>();
        foreach (var p in stream.Patients)
        {
            ids.Add(p.PatientId);
        }

        // Then patients come in id order, every one once, and the account is complete
        Assert.Equal(60, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(60, stream.PatientCount);
        Assert.Empty(stream.Account().EmptyPatients);
        Assert.Throws<InvalidOperationException>(() => stream.Patients.Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Files_not_grouped_by_patient_give_the_same_timelines(bool gzip)
    {
        // Given the fixture's lines shuffled within each file (plain, or gzipped so the reader must reopen to go back)
        var rng = new Random(4);
        foreach (var file in Directory.GetFiles(RealData.Fixture))
        {
            using var reader = new StreamReader(new GZipStream(File.OpenRead(file), CompressionMode.Decompress));
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(_ => rng.Next()).ToList();
            var name = Path.GetFileName(file)[..^3];
            var text = string.Join("\n", lines) + "\n";
            if (gzip)
            {
                using var gz = new GZipStream(File.Create(Path.Combine(_dir, name + ".gz")), CompressionLevel.Fastest);
                gz.Write(Encoding.UTF8.GetBytes(text));
            }
            else
            {
                File.WriteAllText(Path.Combine(_dir, name), text);
            }
        }

        // When both are read
        var grouped = TimelineReader.Read(RealData.Fixture);
        var shuffled = TimelineReader.Read(_dir);

        // Then every patient has the same facts: same times, concepts and values (order of equal times may differ,
        // as it follows the order of the lines)
        Assert.Equal(grouped.Patients.Select(p => p.PatientId), shuffled.Patients.Select(p => p.PatientId));
        foreach (var (a, b) in grouped.Patients.Zip(shuffled.Patients))
        {
            Assert.Equal(a.Demographics, b.Demographics);
            Assert.Equal(a.Encounters, b.Encounters);
            Assert.Equal(Canonical(a), Canonical(b));
        }
    }

    [Fact]
    public void A_line_broken_after_its_subject_is_reported_with_file_and_line_when_its_patient_is_read()
    {
        File.WriteAllText(Path.Combine(_dir, "Patient.000.ndjson"), """{"resourceType":"Patient","id":"p1"}""" + "\n");
        var file = Path.Combine(_dir, "Observation.000.ndjson");
        File.WriteAllText(file,
            """{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"code":"x"}]},"effectiveDateTime":"2020-01-01T00:00:00Z","valueQuantity":{"value":1}}""" + "\n" +
            """{"resourceType":"Observation","id":"o2","subject":{"reference":"Patient/p1"},"code":{"coding":[{"code":"x"}]},"effectiveDateTime":""" + "\n");
        var ex = Assert.Throws<InputException>(() => TimelineReader.Read(_dir));
        Assert.Equal((file, 2L), (ex.File, ex.Line));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generated", "generated-deterioration-24h")]
    [InlineData("mimic3", "mimic3-aki-48h")]
    public void Walking_forward_gives_the_features_built_from_the_start_at_every_decision_point(string source, string taskName)
    {
        var path = source == "generated" ? RealData.Fixture : RealData.Mimic3;
        if (!Directory.Exists(path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            return; // real data absent outside CI (the reader tests report the skip)
        }

        // Given every decision point of a task, in the order the suite plans them (patient by patient, time order)
        var task = TaskDefinition.Load(RealData.Task(taskName));
        var (included, excluded, _) = TaskEngine.Run(task, TimelineReader.Read(path));
        var walker = new FeatureWalker();
        var compared = 0;

        // When one walker goes through all of them (moving back to an earlier point once in a while)
        var rng = new Random(3);
        foreach (var point in included.Concat(excluded))
        {
            var view = rng.Next(20) == 0 ? point.Patient.At(point.AsOf.AddHours(-30)) : point.View;

            // Then its features are those built from the start of the record
            Assert.Equal(FeatureBuilder.Build(view), walker.Build(view));
            compared++;
        }

        Assert.True(compared > 100);
    }

    private static List<string> Canonical(PatientTimeline p) =>
        p.AllFactsForLabels.ToArray().Select(f => $"{f.Time:O} {f.Concept} {f.Concept.Unit} {f.Value} {f.Text} {f.EncounterId}").Order(StringComparer.Ordinal).ToList();
}
