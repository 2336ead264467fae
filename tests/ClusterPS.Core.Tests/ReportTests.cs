using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ClusterPS.Codecs;
using ClusterPS.Npz;
using ClusterPS.Report;
using Xunit;

namespace ClusterPS.Tests
{
    /// <summary>The dataset report: its numbers, charts and pictures, and that it names nothing on the network.</summary>
    public class ReportTests
    {
        [Fact]
        public void The_report_of_the_samples_and_a_broken_file_has_every_section()
        {
            var report = new DatasetReport(null);
            string broken = Path.Combine(TestData.Broken, "row_mismatch.npz");
            foreach (string path in TestData.SampleFiles().Append(broken))
            {
                report.Audit(path);
                try
                {
                    using BatchFile file = BatchFile.Open(path);
                    report.Add(file);
                }
                catch (NpzFormatException ex)
                {
                    report.AddUnreadable(ex.Path, ex.Message);
                }
            }

            report.Finish();
            string html = HtmlReport.Render(report, "Samples <report>", new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc));

            Assert.Equal(450, report.Statistics.Clusters);
            Assert.Contains("<title>Samples &lt;report&gt;</title>", html);
            Assert.Contains("Total clusters: 450", html);
            Assert.Equal(DatasetReport.ChartedProperties.Count, Regex.Matches(html, "<svg ").Count);
            Assert.Equal(2 * DatasetReport.GalleryPerGroup, Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,").Count);
            Assert.Contains(broken, html);
            Assert.Contains("RowCountMismatch", html);
            Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("name=\"viewport\"", html);
            Assert.Contains("@media print", html);
            // Each chart's clip paths have ids of their own.
            var ids = Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(report.Histograms, groups => Assert.Equal(new[] { "Marley", "Background" }, groups.Select(h => h.Group)));
            Assert.Equal(77, report.Histograms[0][0].Total);
        }

        [Fact]
        public void Charts_are_scalable_inline_svg_with_titles_axes_and_a_legend()
        {
            string svg = SvgChart.Histogram("c", "Particle energy", "MeV", new[] { 0.0, 1, 2 }, new[] { "Marley", "Background" },
                new[] { new long[] { 3, 1 }, new long[] { 0, 2 } }, new[] { 0xE69F00, 0x56B4E9 }, 560, 340);
            Assert.StartsWith("<svg viewBox=\"0 0 560 340\" width=\"100%\"", svg);
            Assert.Contains(">Particle energy</text>", svg);
            Assert.Contains(">MeV</text>", svg);
            Assert.Contains(">Background</text>", svg);
            Assert.Contains("clusters", svg);
            Assert.DoesNotContain("http", svg);
            Assert.DoesNotContain("id=\"clipPath", svg);
        }
    }
}
