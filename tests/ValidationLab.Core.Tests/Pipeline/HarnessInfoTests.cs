using ValidationLab.Pipeline;

namespace ValidationLab.Core.Tests.Pipeline;

public sealed class HarnessInfoTests
{
    [Theory]
    [InlineData("0.1.0+0c93553a1b2c3d4e5f60718293a4b5c6d7e8f901", "0c93553a1b2c3d4e5f60718293a4b5c6d7e8f901")]
    [InlineData("0.1.0", null)]
    [InlineData("0.1.0+local", null)]
    [InlineData(null, null)]
    public void Should_Read_The_Commit_From_The_Informational_Version(string? informational, string? commit) =>
        Assert.Equal(commit, HarnessInfo.ParseCommit(informational));

    [Fact]
    public void Should_Know_The_Commit_This_Test_Build_Came_From()
    {
        // The tests are built from this checkout, so the SDK stamped its commit (as `validationlab --version` shows).
        Assert.Matches("^[0-9a-f]{40}$", HarnessInfo.Commit);
    }
}
