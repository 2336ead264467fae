using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ClusterPS.Render
{
    /// <summary>
    /// Draws a histogram as a horizontal bar chart in text: a title line, then one line per bin
    /// with its range, a bar of Unicode block characters (eighth blocks for the remainder) and its
    /// count, then a line with underflow, overflow and missing. In colour each group's bars have
    /// their own 24-bit colour; plain output holds no escape sequence.
    /// </summary>
    public static class HistogramRenderer
    {
        /// <summary>The widest chart drawn, whatever the terminal's width.</summary>
        public const int MaxWidth = 80;

        private const int MinWidth = 40;
        private static readonly char[] Eighths = { ' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉' };

        /// <summary>Colour-blind-safe colours (Okabe and Ito) by group; other groups get the first.</summary>
        private static readonly Dictionary<string, Rgb> GroupColors = new Dictionary<string, Rgb>(StringComparer.OrdinalIgnoreCase)
        {
            ["All"] = new Rgb(0, 158, 115),
            ["Marley"] = new Rgb(230, 159, 0),
            ["Background"] = new Rgb(86, 180, 233),
            ["ES"] = new Rgb(0, 158, 115),
            ["CC"] = new Rgb(213, 94, 0),
            ["U"] = new Rgb(0, 114, 178),
            ["V"] = new Rgb(204, 121, 167),
            ["X"] = new Rgb(240, 228, 66),
            ["MainTrack"] = new Rgb(213, 94, 0),
            ["Secondary"] = new Rgb(86, 180, 233),
        };

        /// <summary>The colour of a group's bars (also used by the HTML report's charts).</summary>
        public static Rgb ColorOf(string group) => GroupColors.TryGetValue(group, out Rgb c) ? c : GroupColors["All"];

        /// <summary>The chart, <paramref name="width"/> columns wide at most (clamped to 40 … 80).</summary>
        public static string Render(ClusterHistogram histogram, bool color, int width = MaxWidth)
        {
            if (histogram == null) throw new ArgumentNullException(nameof(histogram));
            width = Math.Max(MinWidth, Math.Min(MaxWidth, width));
            string[] low = new string[histogram.Bins], high = new string[histogram.Bins];
            int decimals = Decimals(histogram.Edges[1] - histogram.Edges[0]);
            for (int b = 0; b < histogram.Bins; b++)
            {
                low[b] = Number(histogram.Edges[b], decimals);
                high[b] = Number(histogram.Edges[b + 1], decimals);
            }

            int lowWidth = low.Max(s => s.Length), highWidth = high.Max(s => s.Length);
            long max = Math.Max(1, histogram.Counts.Max());
            int countWidth = histogram.Counts.Max().ToString(CultureInfo.InvariantCulture).Length;
            // "[low, high) " + bar + " " + count
            int barWidth = Math.Max(1, width - (lowWidth + highWidth + 5) - 1 - countWidth);

            var sb = new StringBuilder();
            sb.Append(Fit(FormattableString.Invariant($"{histogram.Property} · {histogram.Group} · {histogram.Total:N0} values in {histogram.Bins} bins"), width)).Append('\n');
            for (int b = 0; b < histogram.Bins; b++)
            {
                long count = histogram.Counts[b];
                sb.Append('[').Append(low[b].PadLeft(lowWidth)).Append(", ").Append(high[b].PadLeft(highWidth))
                  .Append(b == histogram.Bins - 1 ? "] " : ") ");
                string bar = Bar(count, max, barWidth);
                if (color && bar.Length > 0) sb.Append(Ansi(ColorOf(histogram.Group))).Append(bar).Append("\u001b[0m");
                else sb.Append(bar);
                sb.Append(' ', barWidth - bar.Length + 1).Append(count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth)).Append('\n');
            }

            sb.Append(Fit(FormattableString.Invariant($"underflow {histogram.Underflow:N0} · overflow {histogram.Overflow:N0} · missing {histogram.Missing:N0}"), width));
            return sb.ToString();
        }

        /// <summary>A bar of <paramref name="width"/> cells for the largest count; any non-zero count shows at least an eighth.</summary>
        internal static string Bar(long count, long max, int width)
        {
            if (count <= 0) return "";
            long eighths = Math.Max(1, (long)Math.Round((double)count * width * 8 / max));
            return new string('█', (int)(eighths / 8)) + (eighths % 8 == 0 ? "" : Eighths[eighths % 8].ToString());
        }

        /// <summary>Enough decimals to tell edges of bins this wide apart.</summary>
        private static int Decimals(double binWidth) =>
            binWidth <= 0 || double.IsNaN(binWidth) ? 2 : Math.Max(1, Math.Min(6, 2 - (int)Math.Floor(Math.Log10(binWidth))));

        private static string Number(double value, int decimals)
        {
            string s = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            return s.Length > 12 ? value.ToString("G4", CultureInfo.InvariantCulture) : s;
        }

        private static string Fit(string text, int width) => text.Length <= width ? text : text.Substring(0, width - 1) + "…";

        private static string Ansi(Rgb c) => $"\u001b[38;2;{c.R};{c.G};{c.B}m";
    }
}
