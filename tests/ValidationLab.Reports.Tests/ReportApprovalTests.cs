namespace ValidationLab.Reports.Tests;

public sealed class ReportApprovalTests
{
    [Fact]
    public void Small_run_renders_as_approved()
    {
        // The input is fixed and the exporter uses no clock or random ids, so nothing needs scrubbing.
        string page = Render.Page(SampleRuns.SmallRun(), SampleRuns.SmallItems());

        ApprovalFile.Verify(page, "report");
    }

    [Fact]
    public void Same_input_gives_the_same_bytes()
    {
        byte[] first = Render.Bytes(SampleRuns.SmallRun(), SampleRuns.SmallItems());
        byte[] second = Render.Bytes(SampleRuns.SmallRun(), SampleRuns.SmallItems());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Page_is_utf8_without_byte_order_mark_and_declares_its_charset()
    {
        byte[] bytes = Render.Bytes(SampleRuns.SmallRun(), SampleRuns.SmallItems());

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", Render.Page(SampleRuns.SmallRun(), SampleRuns.SmallItems()));
    }
}
