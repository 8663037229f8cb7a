namespace ValidationLab.Reports.Html.Sections;

/// <summary>Warnings come before the numbers: a reviewer should know what to distrust before reading results.</summary>
internal sealed class WarningsSection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", "warnings")).Element("h2", "Warnings").Line();
        IReadOnlyList<string> warnings = model.Run.Warnings;
        if (warnings.Count == 0)
        {
            html.Element("p", "No warnings were raised during this run.", "muted");
        }
        else
        {
            html.Open("ul", ("class", "warnings")).Line();
            foreach (string warning in warnings)
            {
                html.Element("li", warning, "pre").Line();
            }

            html.Close("ul");
        }

        html.Close("section").Line();
    }
}
