using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace ClusterPS.Codecs
{
    /// <summary>Charts as inline SVG, through OxyPlot.</summary>
    public static class SvgChart
    {
        private static readonly Regex Root = new Regex("^(?:<\\?xml[^>]*>\\s*)?<svg width=\"[^\"]*\" height=\"[^\"]*\"", RegexOptions.CultureInvariant);

        /// <summary>
        /// Step histograms that share one set of bin edges: one outlined, lightly filled series per
        /// entry of <paramref name="names"/>, with axes, titles and a legend. The SVG element has a
        /// viewBox and width 100%, so it scales with the page.
        /// </summary>
        /// <param name="id">Prefixes the SVG's element ids, which must be unique in the page that holds several charts.</param>
        /// <param name="edges">Bins + 1 ascending edges.</param>
        /// <param name="counts">Per series, one count per bin.</param>
        /// <param name="colors">Per series, 0xRRGGBB.</param>
        public static string Histogram(string id, string title, string xTitle, double[] edges, IReadOnlyList<string> names,
            IReadOnlyList<long[]> counts, IReadOnlyList<int> colors, int width, int height)
        {
            var model = new PlotModel
            {
                Title = title,
                TitleFontSize = 14,
                DefaultFont = "Arial", // measured with Helvetica metrics; browsers have Arial or a metric twin (Liberation Sans)
                PlotAreaBorderColor = OxyColor.FromRgb(160, 160, 160),
                Background = OxyColors.White,
            };
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = xTitle, MajorGridlineStyle = LineStyle.Dot });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "clusters", Minimum = 0, MinimumPadding = 0, MaximumPadding = 0.06, MajorGridlineStyle = LineStyle.Dot });
            model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.TopCenter, LegendOrientation = LegendOrientation.Horizontal });

            for (int s = 0; s < names.Count; s++)
            {
                OxyColor color = OxyColor.FromRgb((byte)(colors[s] >> 16), (byte)(colors[s] >> 8), (byte)colors[s]);
                var series = new HistogramSeries
                {
                    Title = names[s],
                    StrokeColor = color,
                    StrokeThickness = 1.5,
                    FillColor = OxyColor.FromAColor(70, color),
                };
                for (int b = 0; b < counts[s].Length; b++)
                {
                    series.Items.Add(new HistogramItem(edges[b], edges[b + 1], counts[s][b] * (edges[b + 1] - edges[b]), (int)Math.Min(int.MaxValue, counts[s][b])));
                }

                model.Series.Add(series);
            }

            string svg = SvgExporter.ExportToString(model, width, height, isDocument: false, new PixelTextMeasurer());
            // Inline in HTML: no XML declaration, and a viewBox instead of a fixed size so the chart scales.
            string root = string.Format(CultureInfo.InvariantCulture, "<svg viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\" aria-label=\"{2}\"", width, height,
                System.Net.WebUtility.HtmlEncode(title));
            // Inline SVG needs no namespace declarations; without them the page names no URL at all.
            svg = svg.Replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "").Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
            return Root.Replace(svg, root, 1).Replace("id=\"clipPath", "id=\"" + id + "-clipPath").Replace("url(#clipPath", "url(#" + id + "-clipPath");
        }

        /// <summary>
        /// OxyPlot's default SVG text measurer (its PDF context) answers in points while the SVG is
        /// drawn in pixels, so labels came out 3/4 of their width and legends were clipped.
        /// </summary>
        private sealed class PixelTextMeasurer : PdfRenderContext
        {
            public PixelTextMeasurer()
                : base(1, 1, OxyColors.Undefined)
            {
            }

            public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
            {
                OxySize points = base.MeasureText(text, fontFamily, fontSize, fontWeight);
                return new OxySize(points.Width * 96 / 72, points.Height * 96 / 72);
            }
        }
    }
}
