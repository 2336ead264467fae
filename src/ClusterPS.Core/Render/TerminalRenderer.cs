using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ClusterPS.Render
{
    /// <summary>
    /// Renders a cluster image [tick, channel] as text for a terminal: channels across (two
    /// character cells each), time ticks up (tick 0 on the bottom row), two ticks per text row.
    /// In colour, each cell is an upper-half block '▀' whose 24-bit foreground is the upper
    /// (odd) tick and whose background is the lower (even) tick, in viridis. In plain text, each
    /// cell is a character of <see cref="PlainRamp"/> for the brighter of the two ticks, and the
    /// output holds no escape sequence. Both have a tick axis on the left (a label every 16
    /// ticks), a channel axis below, the title lines above and a colour scale line at the end.
    /// A 16-channel image fits in 80 columns.
    /// </summary>
    public static class TerminalRenderer
    {
        /// <summary>The plain-text intensity ramp, darkest (zero) first.</summary>
        public const string PlainRamp = " .:-=+*#%@";

        /// <summary>Columns before the first channel: a 4-column tick label and the axis line.</summary>
        public const int LeftMargin = 5;

        /// <summary>Character cells per channel.</summary>
        public const int CellsPerChannel = 2;

        /// <summary>A tick label every this many ticks.</summary>
        public const int TickLabelStep = 16;

        /// <summary>A channel label every this many channels (and on the last channel when there is room).</summary>
        public const int ChannelLabelStep = 4;

        /// <summary>Title lines are cut to this width (or to the plot's width when that is wider).</summary>
        public const int MaxTitleWidth = 80;

        private const string Reset = "\u001b[0m";
        private const char UpperHalf = '▀';
        private const char LowerHalf = '▄';
        private const int ScaleCells = 24;

        /// <summary>The text rendering of <paramref name="image"/>, lines separated by '\n'.</summary>
        /// <param name="image">Pixels indexed [tick, channel].</param>
        /// <param name="title">Lines printed above the plot (cut to fit), or null.</param>
        /// <param name="color">24-bit ANSI colour when true; plain text with no escape sequence when false.</param>
        public static string Render(float[,] image, IReadOnlyList<string>? title, bool color)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            int ticks = image.GetLength(0);
            int channels = image.GetLength(1);
            IntensityScale scale = IntensityScale.Of(image);
            int rows = (ticks + 1) / 2;
            int plotWidth = LeftMargin + CellsPerChannel * channels;
            var text = new StringBuilder();

            if (title != null)
            {
                foreach (string line in title)
                {
                    string cut = Cut(line ?? "", Math.Max(MaxTitleWidth, plotWidth));
                    text.Append(color ? "\u001b[1m" + cut + Reset : cut).Append('\n');
                }
            }

            text.Append("tick").Append('\n');
            for (int row = rows - 1; row >= 0; row--)
            {
                int lower = 2 * row;
                int upper = lower + 1;
                bool labelled = lower % TickLabelStep == 0;
                text.Append(labelled ? lower.ToString(CultureInfo.InvariantCulture).PadLeft(LeftMargin - 2) + " " : new string(' ', LeftMargin - 1));
                text.Append(color ? (labelled ? '┤' : '│') : (labelled ? '+' : '|'));
                if (color)
                {
                    AppendColorRow(text, image, scale, lower, upper < ticks ? upper : -1);
                }
                else
                {
                    AppendPlainRow(text, image, scale, lower, upper < ticks ? upper : -1);
                }

                text.Append('\n');
            }

            AppendChannelAxis(text, channels, color);
            AppendScale(text, scale, color);
            return text.ToString();
        }

        /// <summary>The plain-text character for a value already mapped to [0, 1]: ' ' for 0, '@' for 1, never ' ' above 0.</summary>
        public static char PlainChar(double normalized)
        {
            if (!(normalized > 0)) return PlainRamp[0];
            int last = PlainRamp.Length - 1;
            return PlainRamp[1 + Math.Min(last - 1, (int)(normalized * last))];
        }

        private static void AppendColorRow(StringBuilder text, float[,] image, IntensityScale scale, int lower, int upper)
        {
            Rgb? fg = null, bg = null;
            for (int c = 0; c < image.GetLength(1); c++)
            {
                Rgb low = scale.Color(image[lower, c]);
                char glyph;
                Rgb? wantFg, wantBg;
                if (upper >= 0)
                {
                    glyph = UpperHalf;
                    wantFg = scale.Color(image[upper, c]);
                    wantBg = low;
                }
                else
                {
                    // An odd tick count: the top row has only a lower half; leave the terminal's background above it.
                    glyph = LowerHalf;
                    wantFg = low;
                    wantBg = null;
                }

                if (bg.HasValue && !wantBg.HasValue)
                {
                    text.Append(Reset);
                    fg = null;
                    bg = null;
                }

                if (!Nullable.Equals(fg, wantFg)) text.Append(Sgr(38, wantFg!.Value));
                if (wantBg.HasValue && !Nullable.Equals(bg, wantBg)) text.Append(Sgr(48, wantBg.Value));
                fg = wantFg;
                bg = wantBg;
                text.Append(glyph, CellsPerChannel);
            }

            text.Append(Reset);
        }

        private static void AppendPlainRow(StringBuilder text, float[,] image, IntensityScale scale, int lower, int upper)
        {
            for (int c = 0; c < image.GetLength(1); c++)
            {
                double t = scale.Normalize(image[lower, c]);
                if (upper >= 0) t = Math.Max(t, scale.Normalize(image[upper, c]));
                text.Append(PlainChar(t), CellsPerChannel);
            }
        }

        private static void AppendChannelAxis(StringBuilder text, int channels, bool color)
        {
            var labelled = new List<int>();
            for (int c = 0; c < channels; c += ChannelLabelStep) labelled.Add(c);
            int last = channels - 1;
            if (channels > 0 && labelled[labelled.Count - 1] != last)
            {
                int previous = labelled[labelled.Count - 1];
                int room = CellsPerChannel * (last - previous);
                if (room > previous.ToString(CultureInfo.InvariantCulture).Length) labelled.Add(last);
            }

            var axis = new StringBuilder(new string(' ', LeftMargin - 1));
            axis.Append(color ? '└' : '+');
            var labels = new StringBuilder(new string(' ', LeftMargin));
            for (int c = 0; c < channels; c++)
            {
                bool isLabelled = labelled.Contains(c);
                axis.Append(isLabelled ? (color ? '┬' : '+') : (color ? '─' : '-'));
                axis.Append(color ? '─' : '-', CellsPerChannel - 1);
                if (isLabelled)
                {
                    int column = LeftMargin + CellsPerChannel * c;
                    if (labels.Length < column) labels.Append(' ', column - labels.Length);
                    labels.Append(c.ToString(CultureInfo.InvariantCulture));
                }
            }

            labels.Append("  channel");
            text.Append(axis).Append('\n').Append(labels).Append('\n');
        }

        private static void AppendScale(StringBuilder text, IntensityScale scale, bool color)
        {
            text.Append("scale ").Append(IntensityScale.Format(scale.Min)).Append(' ');
            if (color)
            {
                for (int i = 0; i < ScaleCells; i++)
                {
                    text.Append(Sgr(48, Viridis.Map((i + 0.5) / ScaleCells))).Append(' ');
                }

                text.Append(Reset);
            }
            else
            {
                text.Append('[').Append(PlainRamp).Append(']');
            }

            text.Append(' ').Append(IntensityScale.Format(scale.Max));
        }

        private static string Sgr(int code, Rgb rgb) =>
            string.Format(CultureInfo.InvariantCulture, "\u001b[{0};2;{1};{2};{3}m", code, rgb.R, rgb.G, rgb.B);

        private static string Cut(string line, int width)
        {
            line = line.Replace("\u001b", "");
            return line.Length <= width ? line : line.Substring(0, width - 3) + "...";
        }
    }
}
