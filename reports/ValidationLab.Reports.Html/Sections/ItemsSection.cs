namespace ValidationLab.Reports.Html.Sections;

/// <summary>The item browser, after the suites (see <see cref="ItemsBlock"/>).</summary>
internal sealed class ItemsSection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken) =>
        ItemsBlock.Write(html, model, cancellationToken);
}
