using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ClusterPS.Render
{
    /// <summary>How <see cref="PngRenderer"/> draws a cluster image.</summary>
    public sealed class PngRenderOptions
    {
        /// <summary>The largest <see cref="PixelScale"/>.</summary>
        public const int MaxPixelScale = 64;

        /// <summary>Each pixel of the image becomes a PixelScale × PixelScale block of picture pixels (1-64).</summary>
        public int PixelScale { get; set; } = 4;

        /// <summary>A vertical viridis strip on the right, with the intensity scale's maximum at its top and minimum at its bottom.</summary>
        public bool ColorBar { get; set; }

        /// <summary>The title above, a tick axis on the left and a channel axis below.</summary>
        public bool Labels { get; set; }

        /// <summary>The title lines (drawn with <see cref="Labels"/> only); lines of " | " fields are wrapped between fields.</summary>
        public IReadOnlyList<string>? Title { get; set; }
    }

    /// <summary>
    /// Draws a cluster image [tick, channel] as a viridis heat map: channels across, ticks up (tick 0
    /// on the bottom pixel row), each image pixel a PixelScale × PixelScale block. Without a colour bar or
    /// labels the picture is exactly channels × PixelScale wide and ticks × PixelScale high; a colour bar adds
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
            int s = options.PixelScale;
            if (s < 1 || s > PngRenderOptions.MaxPixelScale)
            {
                throw new ArgumentOutOfRangeException(nameof(options), s, $"The pixel scale must be 1-{PngRenderOptions.MaxPixelScale}.");
            }

            var geometry = new Geometry(image, options);
            var buffer = new PixelBuffer(geometry.Width, geometry.Height, Paper);
            IntensityScale intensity = geometry.Intensity;

            for (int t = 0; t < ticks; t++)
            {
                int y = geometry.Top + (ticks - 1 - t) * s;
                for (int c = 0; c < channels; c++) buffer.Fill(geometry.Left + c * s, y, s, s, intensity.Color(image[t, c]));
            }

            if (options.ColorBar) DrawColorBar(buffer, geometry);
            if (options.Labels) DrawLabels(buffer, geometry);
            return buffer;
        }

        private static void DrawColorBar(PixelBuffer buffer, Geometry geometry)
        {
            int f = geometry.Font;
            int x = geometry.Left + geometry.ImageWidth + geometry.BarGap;
            for (int y = 0; y < geometry.ImageHeight; y++)
            {
                double t = 1 - (y + 0.5) / geometry.ImageHeight;
                buffer.Fill(x, geometry.Top + y, geometry.BarWidth, 1, Viridis.Map(t));
            }

            int textX = x + geometry.BarWidth + 2 * f;
            BitmapFont.Draw(buffer, geometry.MaxText, textX, geometry.Top, f, Ink);
            BitmapFont.Draw(buffer, geometry.MinText, textX, geometry.Top + geometry.ImageHeight - BitmapFont.GlyphHeight * f, f, Ink);
        }

        private static void DrawLabels(PixelBuffer buffer, Geometry geometry)
        {
            int f = geometry.Font;
            int s = geometry.PixelScale;
            int left = geometry.Left, top = geometry.Top, bottom = geometry.Top + geometry.ImageHeight;
            int glyphH = BitmapFont.GlyphHeight * f;

            for (int i = 0; i < geometry.TitleLines.Count; i++)
            {
                BitmapFont.Draw(buffer, geometry.TitleLines[i], geometry.Pad, geometry.Pad + i * geometry.LineHeight, f, Ink);
            }

            // Axis lines along the left and bottom edges of the image.
            buffer.Fill(left - f, top, f, geometry.ImageHeight + f, Ink);
            buffer.Fill(left - f, bottom, geometry.ImageWidth + f, f, Ink);

            BitmapFont.Draw(buffer, "TICK", geometry.Pad, top - glyphH - 2 * f, f, Ink);
            foreach (int t in geometry.TickLabels)
            {
                int yc = top + (geometry.Ticks - 1 - t) * s + s / 2;
                buffer.Fill(left - f - geometry.TickMark, yc - f / 2, geometry.TickMark, f, Ink);
                string text = t.ToString(CultureInfo.InvariantCulture);
                BitmapFont.Draw(buffer, text, left - f - geometry.TickMark - f - BitmapFont.Measure(text, f), yc - glyphH / 2, f, Ink);
            }

            int numbersY = bottom + f + geometry.TickMark + f;
            foreach (int c in geometry.ChannelLabels)
            {
                int xc = left + c * s + s / 2;
                buffer.Fill(xc - f / 2, bottom + f, f, geometry.TickMark, Ink);
                string text = c.ToString(CultureInfo.InvariantCulture);
                BitmapFont.Draw(buffer, text, xc - BitmapFont.Measure(text, f) / 2, numbersY, f, Ink);
            }

            BitmapFont.Draw(buffer, "CHANNEL", geometry.ChannelCaptionX, numbersY + geometry.LineHeight, f, Ink);
        }

        /// <summary>Where everything goes: sizes and positions in picture pixels.</summary>
        private sealed class Geometry
        {
            public Geometry(float[,] image, PngRenderOptions options)
            {
                Ticks = image.GetLength(0);
                Channels = image.GetLength(1);
                PixelScale = options.PixelScale;
                Intensity = IntensityScale.Of(image);
                MinText = IntensityScale.Format(Intensity.Min);
                MaxText = IntensityScale.Format(Intensity.Max);
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
            /// <summary>Picture pixels per image pixel, across and up.</summary>
            public int PixelScale { get; }

            /// <summary>Pixel values to colours (the image's own range).</summary>
            public IntensityScale Intensity { get; }
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
