using System.IO.Compression;
using ValidationLab.Suites.Longitudinal.Generator;

namespace ValidationLab.Suites.Longitudinal.Tests;

public sealed class GeneratorTests
{
    [Fact]
    public void The_committed_fixture_is_exactly_what_the_generator_writes_with_its_documented_settings()
    {
        var dir = Directory.CreateTempSubdirectory("vl-gen-").FullName;
        try
        {
            var cohort = CohortGenerator.Write(dir, new GeneratorSettings());
            Assert.Equal(60, cohort.Patients);
            Assert.InRange(cohort.Deteriorating, 5, 30);
            foreach (var file in cohort.Files)
            {
                var committed = Path.Combine(RealData.Fixture, Path.GetFileName(file) + ".gz");
                using var gz = new GZipStream(File.OpenRead(committed), CompressionMode.Decompress);
                using var reader = new StreamReader(gz);
                Assert.Equal(File.ReadAllText(file), reader.ReadToEnd());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Another_seed_gives_another_cohort()
    {
        var a = Directory.CreateTempSubdirectory("vl-gen-").FullName;
        var b = Directory.CreateTempSubdirectory("vl-gen-").FullName;
        try
        {
            CohortGenerator.Write(a, new GeneratorSettings { Patients = 5, Days = 1 });
            CohortGenerator.Write(b, new GeneratorSettings { Patients = 5, Days = 1, Seed = 2 });
            Assert.NotEqual(File.ReadAllText(Path.Combine(a, "Observation.000.ndjson")), File.ReadAllText(Path.Combine(b, "Observation.000.ndjson")));
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }
}
