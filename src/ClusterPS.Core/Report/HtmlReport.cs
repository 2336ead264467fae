using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using ClusterPS.Codecs;
using ClusterPS.Render;

namespace ClusterPS.Report
{
    /// <summary>
    /// Writes a <see cref="DatasetReport"/> as one self-contained HTML page: inline CSS, charts as
    /// inline SVG, pictures as PNG data URIs; it loads nothing from anywhere, reads on a phone
    /// (viewport, fluid charts) and prints (a print style sheet).
    /// </summary>
    public static class HtmlReport
    {
        private const int ChartWidth = 560, ChartHeight = 340;

        private static readonly Dictionary<string, (string Title, string Axis)> Charts = new Dictionary<string, (string, string)>
        {
            ["ParticleEnergy"] = ("Particle energy", "true particle energy (MeV)"),
            ["NuEnergy"] = ("Neutrino energy (where known)", "true neutrino energy (MeV)"),
            [HistogramField.Charge] = ("Charge", "sum of pixels"),
            ["PositionX"] = ("Position x", "true x (cm)"),
            ["PositionY"] = ("Position y", "true y (cm)"),
            ["PositionZ"] = ("Position z", "true z (cm)"),
        };

        private const string Style = @"
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, 'Liberation Sans', sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { overflow-wrap: anywhere; }
.wrap { overflow-x: auto; }
pre { background: #f6f6f6; padding: .7rem; overflow-x: auto; font-size: .85rem; }
.Error { color: #b00020; font-weight: bold; }
.Warning { color: #8a5a00; font-weight: bold; }
.ok { color: #0a7a3a; font-weight: bold; }
.alert { border: 2px solid #b00020; background: #fff3f4; padding: .5rem 1rem; margin: 1rem 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
@media (max-width: 900px) { .charts { grid-template-columns: 1fr; } }
figcaption { font-size: .8rem; color: #555; }
table.stats { width: auto; min-width: 60%; }
figure { margin: 0; }
.charts svg { display: block; height: auto; }
.gallery { display: flex; flex-wrap: wrap; gap: .8rem; }
.gallery figure { width: 110px; font-size: .7rem; color: #444; overflow-wrap: anywhere; }
.gallery img { width: 48px; height: 384px; image-rendering: pixelated; image-rendering: crisp-edges; border: 1px solid #ccc; display: block; }
@media (max-width: 600px) { body { padding: .5rem; } .gallery img { width: 48px; height: 384px; } .gallery figure { width: 72px; } }
@media print { body { max-width: none; padding: 0; font-size: 10pt; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } .charts { grid-template-columns: 1fr 1fr; } .wrap { overflow: visible; } }
";

        /// <summary>The report page.</summary>
        public static string Render(DatasetReport report, string title, DateTime generatedUtc)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<title>").Append(Encode(title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
            ClusterStatistics s = report.Statistics;
            html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p class=\"meta\">")
                .Append(Encode(s.Source)).Append(" · generated ")
                .Append(generatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(" by ClusterPS</p>\n");
            Unreadable(html, report);
            Statistics(html, s);
            Findings(html, report.Findings);
            Distributions(html, report);
            Gallery(html, report.Gallery);
            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        private static void Unreadable(StringBuilder html, DatasetReport report)
        {
            if (report.Unreadable.Count == 0) return;
            html.Append("<div class=\"alert\" id=\"unreadable\"><strong>").Append(report.Unreadable.Count)
                .Append(report.Unreadable.Count == 1 ? " file could not be read" : " files could not be read")
                .Append("</strong> and is left out of the numbers below:<ul>\n");
            foreach (KeyValuePair<string, string> file in report.Unreadable)
            {
                html.Append("<li><code>").Append(Encode(file.Key)).Append("</code>: ").Append(Encode(file.Value)).Append("</li>\n");
            }

            html.Append("</ul></div>\n");
        }

        private static void Statistics(StringBuilder html, ClusterStatistics s)
        {
            html.Append("<h2 id=\"statistics\">Statistics</h2>\n<div class=\"wrap\"><table class=\"stats\">\n");
            Row(html, "Batches", s.Batches.ToString("N0", CultureInfo.InvariantCulture), null);
            Row(html, "Clusters", s.Clusters.ToString("N0", CultureInfo.InvariantCulture), null, "total-clusters");
            Row(html, "Size", s.SizeMB.ToString("F2", CultureInfo.InvariantCulture) + " MB", null);
            Row(html, "Plane U", Count(s.PlaneU), s.PlaneUPercent);
            Row(html, "Plane V", Count(s.PlaneV), s.PlaneVPercent);
            Row(html, "Plane X", Count(s.PlaneX), s.PlaneXPercent);
            Row(html, "ES", Count(s.ES), s.ESPercent);
            Row(html, "CC", Count(s.CC), s.CCPercent);
            if (s.UnknownInteraction > 0) Row(html, "Interaction unknown", Count(s.UnknownInteraction), null);
            Row(html, "Marley", Count(s.Marley), s.MarleyPercent);
            Row(html, "Main track", Count(s.MainTrack), s.MainTrackPercent);
            Row(html, "Particle energy", Range(s.ParticleEnergyMin, s.ParticleEnergyMax), null);
            Row(html, "Neutrino energy", Range(s.NuEnergyMin, s.NuEnergyMax) + $" ({Count(s.NuEnergyUnknown)} unknown)", null);
            html.Append("</table></div>\n<p>As the reference helper prints it:</p>\n<pre>").Append(Encode(s.ToReport())).Append("</pre>\n");
        }

        private static void Findings(StringBuilder html, IReadOnlyList<AuditFinding> findings)
        {
            int errors = findings.Count(f => f.Severity == DatasetAuditor.Error);
            int warnings = findings.Count(f => f.Severity == DatasetAuditor.Warning);
            html.Append("<h2 id=\"audit\">Audit</h2>\n");
            if (findings.Count == 0)
            {
                html.Append("<p class=\"ok\">No findings: every file is readable and passes every rule of Test-ClusterDataset.</p>\n");
                return;
            }

            html.Append("<p><span class=\"Error\">").Append(errors).Append(errors == 1 ? " error" : " errors").Append("</span>, <span class=\"Warning\">")
                .Append(warnings).Append(warnings == 1 ? " warning" : " warnings").Append("</span>, ")
                .Append(findings.Count - errors - warnings).Append(" other findings.</p>\n");
            html.Append("<div class=\"wrap\"><table>\n<tr><th>Severity</th><th>Rule</th><th>File</th><th>Cluster</th><th>Message</th></tr>\n");
            foreach (AuditFinding f in findings)
            {
                html.Append("<tr><td class=\"").Append(Encode(f.Severity)).Append("\">").Append(Encode(f.Severity)).Append("</td><td>")
                    .Append(Encode(f.Rule)).Append("</td><td><code>").Append(Encode(f.Path == null ? "(dataset)" : System.IO.Path.GetFileName(f.Path)))
                    .Append("</code></td><td class=\"n\">").Append(f.Index?.ToString(CultureInfo.InvariantCulture) ?? "")
                    .Append("</td><td>").Append(Encode(f.Message)).Append("</td></tr>\n");
            }

            html.Append("</table></div>\n");
        }

        private static void Distributions(StringBuilder html, DatasetReport report)
        {
            html.Append("<h2 id=\"distributions\">Distributions</h2>\n<p>Marley clusters against the background, ")
                .Append(DatasetReport.Bins).Append(" equal bins from the smallest to the largest value (as np.histogram bins them).</p>\n<div class=\"charts\">\n");
            for (int p = 0; p < DatasetReport.ChartedProperties.Count; p++)
            {
                string property = DatasetReport.ChartedProperties[p];
                (string title, string axis) = Charts[property];
                IReadOnlyList<ClusterHistogram> groups = report.Histograms[p];
                html.Append("<figure>");
                if (groups.Count == 0)
                {
                    html.Append("<p>").Append(Encode(title)).Append(": no clusters.</p>");
                }
                else
                {
                    html.Append(SvgChart.Histogram("chart" + p.ToString(CultureInfo.InvariantCulture), title, axis, groups[0].Edges,
                        groups.Select(h => FormattableString.Invariant($"{h.Group} ({h.Total:N0})")).ToList(),
                        groups.Select(h => h.Counts).ToList(),
                        groups.Select(h => Color(HistogramRenderer.ColorOf(h.Group))).ToList(),
                        ChartWidth, ChartHeight));
                    long missing = groups.Sum(h => h.Missing);
                    if (missing > 0) html.Append("<figcaption>").Append(missing.ToString("N0", CultureInfo.InvariantCulture)).Append(" clusters without a value (unknown, NaN or ±Inf) are left out.</figcaption>");
                }

                html.Append("</figure>\n");
            }

            html.Append("</div>\n");
        }

        private static void Gallery(StringBuilder html, IReadOnlyList<GalleryImage> gallery)
        {
            html.Append("<h2 id=\"gallery\">Example clusters</h2>\n<p>The first clusters of each class (at most two a file), drawn as Export-ClusterImage draws them: channels across, time ticks up, viridis colours scaled per image.</p>\n");
            foreach (IGrouping<string, GalleryImage> group in gallery.GroupBy(g => g.Group))
            {
                html.Append("<h3>").Append(Encode(group.Key)).Append("</h3>\n<div class=\"gallery\">\n");
                foreach (GalleryImage image in group)
                {
                    byte[] png = PngRenderer.Render(image.Image, new PngRenderOptions { PixelScale = 1 });
                    html.Append("<figure><img alt=\"").Append(Encode(image.Caption[0])).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(png)).Append("\"><figcaption>")
                        .Append(Encode(image.Caption[0])).Append("<br>").Append(Encode(image.Caption[1].Replace(" | ", " · "))).Append("</figcaption></figure>\n");
                }

                html.Append("</div>\n");
            }
        }

        private static void Row(StringBuilder html, string label, string value, double? percent, string? id = null)
        {
            html.Append("<tr").Append(id == null ? "" : " id=\"" + id + "\"").Append("><th>").Append(Encode(label)).Append("</th><td class=\"n\">").Append(Encode(value))
                .Append("</td><td class=\"n\">").Append(percent?.ToString("F1", CultureInfo.InvariantCulture) + (percent.HasValue ? " %" : "")).Append("</td></tr>\n");
        }

        private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string Range(float? min, float? max) =>
            min.HasValue && max.HasValue ? string.Format(CultureInfo.InvariantCulture, "{0:0.###} … {1:0.###} MeV", min, max) : "–";

        private static int Color(Rgb c) => c.R << 16 | c.G << 8 | c.B;

        private static string Encode(string text) => WebUtility.HtmlEncode(text);
    }
}
