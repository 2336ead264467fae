using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ClusterPS.Render
{
    /// <summary>How <see cref="PngRenderer"/> draws a cluster image.</summary>
    public sealed class PngRenderOptions
    {
        /// <summary>The largest <see cref="Scale"/>.</summary>
        public const int MaxScale = 64;

        /// <summary>Each pixel of the image becomes a Scale × Scale block (1-64).</summary>
        public int Scale { get; set; } = 4;

        /// <summary>A vertical viridis strip on the right, with the scale's maximum at its top and minimum at its bottom.</summary>
        public bool ColorBar { get; set; }

        /// <summary>The title above, a tick axis on the left and a channel axis below.</summary>
        public bool Labels { get; set; }

        /// <summary>The title lines (drawn with <see cref="Labels"/> only); lines of " | " fields are wrapped between fields.</summary>
        public IReadOnlyList<string>? Title { get; set; }
    }

    /// <summary>
    /// Draws a cluster image [tick, channel] as a viridis heat map: channels across, ticks up (tick 0
    /// on the bottom pixel row), each image pixel a Scale × Scale block. Without a colour bar or
    /// labels the picture is exactly channels × Scale wide and ticks × Scale high; a colour bar adds
    /// width only, labels add margins on every side. Text uses <see cref="BitmapFont"/>.
    /// </summary>
    public static class PngRenderer
    {
        /// <summary>The background around the image.</summary>
        public static readonly Rgb Paper = new Rgb(255, 255, 255);

        /// <summary>Text and axis colour.</summary>
        public static readonly Rgb Ink = new Rgb(34, 34, 34);

        /// <summary>The picture as PNG bytes.</summary>
        public static byte[] Render(float[,] image, PngRenderOptions options) => Draw(image, options).ToPng();

        /// <summary>The picture as pixels.</summary>
        public static PixelBuffer Draw(float[,] image, PngRenderOptions options)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            if (options == null) throw new ArgumentNullException(nameof(options));
            int ticks = image.GetLength(0);
            int channels = image.GetLength(1);
            if (ticks == 0 || channels == 0) throw new ArgumentException("The image has no pixels to draw.", nameof(image));
            int s = options.Scale;
            if (s < 1 || s > PngRenderOptions.MaxScale)
            {
                throw new ArgumentOutOfRangeException(nameof(options), s, $"The scale must be 1-{PngRenderOptions.MaxScale}.");
            }

            var layout = new Layout(image, options);
            var buffer = new PixelBuffer(layout.Width, layout.Height, Paper);
            IntensityScale scale = layout.Scale;

            for (int t = 0; t < ticks; t++)
            {
                int y = layout.Top + (ticks - 1 - t) * s;
                for (int c = 0; c < channels; c++) buffer.Fill(layout.Left + c * s, y, s, s, scale.Color(image[t, c]));
            }

            if (options.ColorBar) DrawColorBar(buffer, layout);
            if (options.Labels) DrawLabels(buffer, layout);
            return buffer;
        }

        private static void DrawColorBar(PixelBuffer buffer, Layout layout)
        {
            int f = layout.Font;
            int x = layout.Left + layout.ImageWidth + layout.BarGap;
            for (int y = 0; y < layout.ImageHeight; y++)
            {
                double t = 1 - (y + 0.5) / layout.ImageHeight;
                buffer.Fill(x, layout.Top + y, layout.BarWidth, 1, Viridis.Map(t));
            }

            int textX = x + layout.BarWidth + 2 * f;
            BitmapFont.Draw(buffer, layout.MaxText, textX, layout.Top, f, Ink);
            BitmapFont.Draw(buffer, layout.MinText, textX, layout.Top + layout.ImageHeight - BitmapFont.GlyphHeight * f, f, Ink);
        }

        private static void DrawLabels(PixelBuffer buffer, Layout layout)
        {
            int f = layout.Font;
            int s = layout.PixelScale;
            int left = layout.Left, top = layout.Top, bottom = layout.Top + layout.ImageHeight;
            int glyphH = BitmapFont.GlyphHeight * f;

            for (int i = 0; i < layout.TitleLines.Count; i++)
            {
                BitmapFont.Draw(buffer, layout.TitleLines[i], layout.Pad, layout.Pad + i * layout.LineHeight, f, Ink);
            }

            // Axis lines along the left and bottom edges of the image.
            buffer.Fill(left - f, top, f, layout.ImageHeight + f, Ink);
            buffer.Fill(left - f, bottom, layout.ImageWidth + f, f, Ink);

            BitmapFont.Draw(buffer, "TICK", layout.Pad, top - glyphH - 2 * f, f, Ink);
            foreach (int t in layout.TickLabels)
            {
                int yc = top + (layout.Ticks - 1 - t) * s + s / 2;
                buffer.Fill(left - f - layout.TickMark, yc - f / 2, layout.TickMark, f, Ink);
                string text = t.ToString(CultureInfo.InvariantCulture);
                BitmapFont.Draw(buffer, text, left - f - layout.TickMark - f - BitmapFont.Measure(text, f), yc - glyphH / 2, f, Ink);
            }

            int numbersY = bottom + f + layout.TickMark + f;
            foreach (int c in layout.ChannelLabels)
            {
                int xc = left + c * s + s / 2;
                buffer.Fill(xc - f / 2, bottom + f, f, layout.TickMark, Ink);
                string text = c.ToString(CultureInfo.InvariantCulture);
                BitmapFont.Draw(buffer, text, xc - BitmapFont.Measure(text, f) / 2, numbersY, f, Ink);
            }

            BitmapFont.Draw(buffer, "CHANNEL", layout.ChannelCaptionX, numbersY + layout.LineHeight, f, Ink);
        }

        /// <summary>Where everything goes.</summary>
        private sealed class Layout
        {
            public Layout(float[,] image, PngRenderOptions options)
            {
                Ticks = image.GetLength(0);
                Channels = image.GetLength(1);
                PixelScale = options.Scale;
                Scale = IntensityScale.Of(image);
                MinText = IntensityScale.Format(Scale.Min);
                MaxText = IntensityScale.Format(Scale.Max);
                int s = PixelScale;
                int f = Font = Math.Max(1, Math.Min(3, s / 3));
                Pad = 4 * f;
                LineHeight = BitmapFont.LineHeight * f;
                TickMark = 2 * f;
                ImageWidth = Channels * s;
                ImageHeight = Ticks * s;
                int glyphH = BitmapFont.GlyphHeight * f;

                int right = 0, bottom = 0;
                if (options.Labels)
                {
                    for (int t = 0; t < Ticks; t += 16) TickLabels.Add(t);
                    int labelWidth = TickLabels.Max(t => BitmapFont.Measure(t.ToString(CultureInfo.InvariantCulture), f));
                    Left = Pad + labelWidth + f + TickMark + f;

                    int channelLabelWidth = BitmapFont.Measure((Channels - 1).ToString(CultureInfo.InvariantCulture), f);
                    int step = 1;
                    while (step * s < channelLabelWidth + f) step *= 2;
                    for (int c = 0; c < Channels; c += step) ChannelLabels.Add(c);

                    bottom = f + TickMark + f + LineHeight + glyphH + Pad;
                    right = Pad;
                }

                if (options.ColorBar)
                {
                    BarGap = Math.Max(2 * s, 3 * f);
                    BarWidth = Math.Max(3 * s, 6 * f);
                    int textWidth = Math.Max(BitmapFont.Measure(MinText, f), BitmapFont.Measure(MaxText, f));
                    right = BarGap + BarWidth + 2 * f + textWidth + (options.Labels ? Pad : f);
                }

                int width = Left + ImageWidth + right;
                if (options.Labels)
                {
                    // Lines without " | " fields (the file name) are never broken, and may widen the picture.
                    IReadOnlyList<string> title = options.Title ?? Array.Empty<string>();
                    int usable = Math.Max(width - 2 * Pad, BitmapFont.Measure("CHANNEL", f));
                    foreach (string line in title.Where(l => l != null && !l.Contains(" | "))) usable = Math.Max(usable, BitmapFont.Measure(line, f));
                    TitleLines = Wrap(title, (usable / f + 1) / BitmapFont.Advance);
                    Top = Pad + TitleLines.Count * LineHeight + glyphH + 3 * f;
                    if (TitleLines.Count > 0) Top += f;
                    foreach (string line in TitleLines) width = Math.Max(width, 2 * Pad + BitmapFont.Measure(line, f));

                    int captionWidth = BitmapFont.Measure("CHANNEL", f);
                    ChannelCaptionX = Math.Max(Pad, Left + ImageWidth / 2 - captionWidth / 2);
                    width = Math.Max(width, ChannelCaptionX + captionWidth + Pad);
                }

                Width = width;
                Height = Top + ImageHeight + bottom;
            }

            public int Ticks { get; }
            public int Channels { get; }
            public int PixelScale { get; }
            public IntensityScale Scale { get; }
            public string MinText { get; }
            public string MaxText { get; }

            /// <summary>The font's pixel size.</summary>
            public int Font { get; }

            public int Pad { get; }
            public int LineHeight { get; }
            public int TickMark { get; }
            public int ImageWidth { get; }
            public int ImageHeight { get; }

            /// <summary>The image's top-left corner.</summary>
            public int Left { get; }

            public int Top { get; }
            public int BarGap { get; }
            public int BarWidth { get; }
            public int ChannelCaptionX { get; }
            public int Width { get; }
            public int Height { get; }
            public List<int> TickLabels { get; } = new List<int>();
            public List<int> ChannelLabels { get; } = new List<int>();
            public IReadOnlyList<string> TitleLines { get; } = Array.Empty<string>();

            /// <summary>Wraps each line with " | " fields between fields, to at most <paramref name="maxChars"/> characters (a longer field stays whole).</summary>
            private static List<string> Wrap(IEnumerable<string> lines, int maxChars)
            {
                var wrapped = new List<string>();
                foreach (string line in lines)
                {
                    string text = line ?? "";
                    if (!text.Contains(" | "))
                    {
                        if (text.Length > 0) wrapped.Add(text);
                        continue;
                    }

                    const string separator = " | ";
                    string current = "";
                    foreach (string word in text.Split(new[] { separator }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (current.Length == 0)
                        {
                            current = word;
                        }
                        else if (current.Length + separator.Length + word.Length <= maxChars)
                        {
                            current += separator + word;
                        }
                        else
                        {
                            wrapped.Add(current);
                            current = word;
                        }
                    }

                    if (current.Length > 0) wrapped.Add(current);
                }

                return wrapped;
            }
        }
    }
}
