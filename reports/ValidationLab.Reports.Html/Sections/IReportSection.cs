namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// One part of the page. The exporter writes an ordered list of these, so later parts (a comparison with another
/// run, a gate verdict, a sign-off block) slot in without touching the existing ones.
/// </summary>
internal interface IReportSection
{
    void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken);
}
