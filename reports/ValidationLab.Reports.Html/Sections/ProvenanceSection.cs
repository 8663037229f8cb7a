namespace ValidationLab.Reports.Html.Sections;

/// <summary>Every data file the run read, with its SHA-256, so an auditor can check the inputs were the expected ones.</summary>
internal sealed class ProvenanceSection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> files = model.Run.Manifest.DataFiles;
        html.Open("section", ("id", "provenance")).Element("h2", "Data files").Line();
        if (files.Count == 0)
        {
            html.Element("p", "No data files were recorded for this run.", "muted").Close("section").Line();
            return;
        }

        html.Open("table").Open("thead").Open("tr").Element("th", "File").Element("th", "SHA-256").Close("tr").Close("thead")
            .Open("tbody").Line();
        foreach ((string path, string sha) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            html.Open("tr").Element("td", path, "mono").Element("td", sha, "mono").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Close("section").Line();
    }
}
