using System.Text.RegularExpressions;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>The help texts of the governance commands, approved as committed text under Approved/ (as HelpTests does for the others).</summary>
public sealed class GateHelpTests
{
    [Theory]
    [InlineData("gate-help", new[] { "gate", "--help" })]
    [InlineData("signoff-help", new[] { "signoff", "--help" })]
    [InlineData("audit-verify-help", new[] { "audit", "verify", "--help" })]
    public async Task Should_Print_The_Approved_Help(string name, string[] args)
    {
        // Given / When
        var result = await CliRunner.RunAsync(args);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        Approval.Verify(Regex.Replace(result.Stdout, @"(Usage:\r?\n  )\S+", "${1}validationlab"), name);
    }
}
